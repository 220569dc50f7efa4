//! The people a redacted copy must not name, and how their names are read from the fields they
//! were typed into.
//!
//! A name field holds a name and, optionally, a reading and a relation in brackets:
//! `佐藤 花子（サトウ ハナコ）`, `佐藤 花子(ｻﾄｳ ﾊﾅｺ)`, `Ann Lee（アン・リー）`, `佐藤 恵子（長女）`,
//! `長女 山田 恵子（市外在住）`. Bracketed text that is all kana is the reading; Latin letters
//! after a name in kanji are its romanisation (read the same way); anything else is a note (a
//! relation, where the person lives) and stays in the text, redacted like any other.

use super::fold::{Class, fold, fold_key, fold_str, invisible, is_blank, is_kanji, is_middle_dot};
use super::words::words;

/// Someone whose name a redacted copy must not show.
///
/// The redactor takes these whatever they come from: the meeting's own people, those of the
/// earlier meetings the document shows (carried-over actions), and — for the cases work — the
/// members of a household (`PersonKind::Household`, with their relation and reading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The name as recorded: family and given name with or without a space (`佐藤 花子`,
    /// `佐藤花子`), or a Latin name in either order.
    pub name: String,
    /// How the name is read, in kana (full or half width, hiragana or katakana) or in Latin
    /// letters, when it is known: `サトウ ハナコ`. Parts are separated by a space or `・`.
    pub reading: Option<String>,
    pub kind: PersonKind,
}

/// Where a person was recorded: shown (without the name) in the list of replacements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonKind {
    Facilitator,
    Recorder,
    Attendee,
    /// The person at the centre of the case (the real name behind the pseudonym).
    CaseSubject,
    KeyPerson,
    /// A member of the case's household.
    Household,
    /// Someone recorded at an earlier meeting whose text the document shows.
    EarlierMeeting,
    /// A name that an amendment changed from or to.
    Amendment,
    /// A person typed where an agency goes (`佐藤 恵子（長女）`).
    AgencyField,
    /// The login of someone who entered or approved part of the minutes.
    Login,
    /// A name nobody recorded, found before an honorific in the text (`木下さん`).
    Unrecorded,
    /// Someone the database recorded elsewhere (`recorded_texts`: another meeting, another
    /// case), not one of the document's own people: found only as a whole name, in any written
    /// form, or as a family name with a marker (an honorific, a title, 宅/家) — never a part
    /// alone inside a place name or a word (千葉県, 健やか; attack report 6, finding 19).
    Recorded,
}

impl PersonKind {
    /// How a list of replacements names this kind of person.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use PersonKind::*;
        let (ja, en) = match self {
            Facilitator => ("司会", "facilitator"),
            Recorder => ("記録", "recorder"),
            Attendee => ("出席者", "attendee"),
            CaseSubject => ("事例の本人", "case subject"),
            KeyPerson => ("キーパーソン", "key person"),
            Household => ("世帯員", "household member"),
            EarlierMeeting => ("以前の会議", "earlier meeting"),
            Amendment => ("修正履歴", "amendment"),
            AgencyField => ("機関欄", "agency field"),
            Login => ("入力者", "login"),
            Unrecorded => ("未登録の氏名", "unrecorded name"),
            Recorded => ("他の記録の人", "recorded elsewhere"),
        };
        lang.pick(ja, en)
    }
}

impl Person {
    pub fn new(name: impl Into<String>, kind: PersonKind) -> Person {
        Person {
            name: name.into(),
            reading: None,
            kind,
        }
    }

    /// The person a name field holds, with the reading given in brackets; `None` when it holds
    /// no name: empty, a relation alone such as `長女`, or what [`names_no_one`] finds (a title,
    /// a placeholder, a letter, an honorific or a mark typed where the name goes). An agency
    /// written before the name (`児相 鈴木`) is no part of it.
    pub fn from_field(text: &str, kind: PersonKind) -> Option<Person> {
        let field = NameField::parse(text)?;
        if no_one(field.name) {
            return None;
        }
        // A name typed unspaced is split where its reading's blank says, so that its given
        // name alone is found too (`栗栖睦美（クリス ムツミ）`: `睦美が来所`).
        let name = field
            .reading
            .and_then(|r| spaced_by_reading(field.name, r))
            .unwrap_or_else(|| field.name.to_owned());
        Some(Person {
            name,
            reading: field.reading.map(str::to_owned),
            kind,
        })
    }

    /// The name without spaces, folded: two records of one person have the same key.
    pub fn key(&self) -> String {
        fold_key(&self.name)
    }
}

/// A bracketed part of a field: `（長女）`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bracket<'a> {
    pub open: &'a str,
    pub text: &'a str,
    pub close: &'a str,
}

/// A name field taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameField<'a> {
    /// A relation or a title written before the name, with the space after it: `長女 `,
    /// `民生委員 `.
    pub before: &'a str,
    pub name: &'a str,
    pub reading: Option<&'a str>,
    /// Bracketed notes that are not the reading (relations, where the person lives).
    pub notes: Vec<Bracket<'a>>,
    /// Text after the brackets.
    pub after: &'a str,
    /// Whether an honorific followed the name (山田さん): left out of `name`.
    pub honorific: bool,
}

const OPEN: [char; 4] = ['（', '(', '［', '['];
const CLOSE: [char; 4] = ['）', ')', '］', ']'];

fn kana_only(text: &str) -> bool {
    let folded = fold(text);
    folded.iter().any(|f| f.class.is_kana())
        && folded
            .iter()
            .all(|f| f.class.is_kana() || f.class == Class::Space || f.c == '・')
}

fn latin_only(text: &str) -> bool {
    let folded = fold(text);
    folded.iter().any(|f| f.class == Class::Latin)
        && folded
            .iter()
            .all(|f| f.class == Class::Latin || f.class == Class::Space || "-'.・".contains(f.c))
}

/// The honorific `text` ends with, in bytes (山田さん → さん).
pub(super) fn trailing_honorific(text: &str) -> usize {
    let folded = fold(text);
    let w = words();
    for h in &w.honorifics {
        if folded.len() > h.len()
            && folded[folded.len() - h.len()..]
                .iter()
                .map(|f| f.c)
                .eq(h.iter().copied())
        {
            let start = folded[folded.len() - h.len()].start;
            return text.len() - start;
        }
    }
    0
}

impl<'a> NameField<'a> {
    /// Reads a field; `None` when it holds no name.
    pub fn parse(text: &'a str) -> Option<NameField<'a>> {
        let text = text.trim();
        let head_end = text.find(OPEN).unwrap_or(text.len());
        let (head, mut rest) = text.split_at(head_end);
        let mut reading = None;
        let mut notes = Vec::new();
        while let Some(open) = rest.chars().next().filter(|c| OPEN.contains(c)) {
            let inner = &rest[open.len_utf8()..];
            let Some(close_at) = inner.find(CLOSE) else {
                break;
            };
            let close_len = inner[close_at..].chars().next().map_or(1, char::len_utf8);
            let bracket = Bracket {
                open: &rest[..open.len_utf8()],
                text: &inner[..close_at],
                close: &inner[close_at..close_at + close_len],
            };
            let is_reading =
                kana_only(bracket.text) || (latin_only(bracket.text) && head.chars().any(is_kanji));
            if is_reading && reading.is_none() {
                reading = Some(bracket.text.trim());
            } else {
                notes.push(bracket);
            }
            rest = inner[close_at + close_len..].trim_start();
        }
        let head = head.trim();
        let (before, name) = split_relation(head);
        let honorific = trailing_honorific(name);
        let name = name[..name.len() - honorific].trim();
        if name.is_empty() || words().relations.contains(&fold_key(name)) {
            return None;
        }
        Some(NameField {
            before,
            name,
            reading,
            notes,
            after: rest,
            honorific: honorific > 0,
        })
    }

    /// Whether a relation is written with the name (`佐藤 恵子（長女）`, `長女 佐藤 恵子`): the
    /// sign that an agency field holds a person.
    pub fn has_relation(&self) -> bool {
        let w = words();
        let relation = |t: &str| {
            let folded = fold_key(t);
            w.relations.contains(&folded)
                || folded
                    .split(['・', '、', ','])
                    .any(|p| w.relations.contains(p))
        };
        relation(self.before.trim()) || self.notes.iter().any(|b| relation(b.text))
    }
}

/// `長女 山田 恵子` → (`長女 `, `山田 恵子`); `長女山田恵子` → (`長女`, `山田恵子`) when a known
/// family name follows the relation; `民生委員 佐々木 誠` → (`民生委員 `, `佐々木 誠`): a title
/// before a name written apart from it (the name alone is the person).
fn split_relation(head: &str) -> (&str, &str) {
    let w = words();
    if let Some((first, rest)) = head.split_once(char::is_whitespace)
        && !rest.trim().is_empty()
        && (w.relations.contains(&fold_key(first))
            || (w.is_title(&fold_key(first))
                && !w.not_a_name(&fold_key(rest))
                && !w.looks_like_agency(rest))
            || (agency_word(first) && !no_one(rest.trim()) && !w.looks_like_agency(rest)))
    {
        let at = head.len() - rest.trim_start().len();
        return (&head[..at], rest.trim());
    }
    // Only as many characters as the longest relation: every prefix of a long head folded would
    // make a name of thousands of characters cost the square of its length (attack report 4).
    for (i, _) in head.char_indices().skip(1).take(w.longest_relation) {
        let (rel, rest) = head.split_at(i);
        if w.relations.contains(&fold_key(rel))
            && rest.chars().count() >= 2
            && family_prefix(&fold_key(rest)).is_some()
        {
            return (rel, rest);
        }
    }
    ("", head)
}

/// What is typed where a person's name goes when the name is not known, beside the titles,
/// roles and words `words.toml` lists: the same as above, not yet known, absent, everyone, a
/// certain one.
const PLACEHOLDERS: [&str; 13] = [
    "同上",
    "〃",
    "不明",
    "未定",
    "未記入",
    "空欄",
    "欠席",
    "なし",
    "無し",
    "全員",
    "事務局",
    "調整中",
    "某",
];

/// [`PLACEHOLDERS`] folded, once.
fn placeholders() -> &'static std::collections::HashSet<String> {
    static FOLDED: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    FOLDED.get_or_init(|| PLACEHOLDERS.iter().map(|p| fold_str(p)).collect())
}

/// Short names of agencies written before a person's name in an attendee's cell (`児相 鈴木`,
/// `生保 田中`) that `words.toml` does not list as no name.
const AGENCY_SHORT: [&str; 8] = [
    "児相",
    "家児相",
    "子家セン",
    "子家c",
    "生保",
    "学童",
    "教委",
    "保健セ",
];

/// Iteration and repetition marks: typed alone where a name goes they repeat what is above.
const MARKS: [char; 8] = ['々', '〃', 'ゝ', 'ゞ', 'ヽ', 'ヾ', '仝', 'ー'];

/// Whether the first word of a name cell is an agency's (`児相`, `包括`, `学校`, `社協` of
/// `児相 鈴木`): no name part, the person is written after it.
fn agency_word(word: &str) -> bool {
    let w = words();
    let key = fold_key(word);
    key.chars().count() >= 2
        && !w.surnames.contains_key(&key)
        && (w.not_a_name(&key) || AGENCY_SHORT.iter().any(|a| fold_key(a) == key))
}

/// The given names of a person, folded as patterns are: the parts after a family name written
/// first in kanji, or every part of a name without one (`Ann Lee`, `まどか`), and the same parts
/// of the reading — the parts of someone recorded elsewhere that are no family name.
pub(super) fn given_names(person: &Person) -> Vec<Vec<char>> {
    let split = parts(&person.name).parts;
    let skip = usize::from(split.len() >= 2 && split[0].chars().any(is_kanji));
    let folded = |p: &String| -> Vec<char> {
        fold(p)
            .iter()
            .filter(|f| f.class != Class::Space)
            .map(|f| f.c)
            .collect()
    };
    let mut out: Vec<Vec<char>> = split.iter().skip(skip).map(folded).collect();
    if let Some(reading) = person.reading.as_deref() {
        out.extend(reading_parts(reading, &split).iter().skip(skip).map(folded));
    }
    out
}

/// Whether a text typed where a person's name goes names no one (attack report 6, finding 2
/// and its addenda): a title, a role or a word that is no name (保健師, 主治医, 担任, 学校), two
/// of them joined (包括職員, 地区担当, 担当CW), a placeholder (同上, 〃, 不明, 他1名, 某), Latin
/// letters standing alone (`A`, `B`, `A B`: how a file without names fills the column), an
/// honorific alone (`さん`) or iteration marks (`々`). Only words of two or more characters
/// count, so that a one-kanji family name (王, 宮) written alone stays a name. The one rule of
/// every reader of recorded texts: [`Person::from_field`] applies it.
pub fn names_no_one(text: &str) -> bool {
    NameField::parse(text).is_none_or(|field| no_one(field.name))
}

/// [`names_no_one`] of a name as [`NameField`] read it.
fn no_one(name: &str) -> bool {
    let folded: Vec<char> = fold_str(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !folded.iter().any(|c| c.is_alphabetic()) || folded.iter().any(char::is_ascii_digit) {
        return true;
    }
    if name
        .chars()
        .all(|c| MARKS.contains(&c) || c.is_whitespace())
    {
        return true;
    }
    let letters = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .all(|t| {
            let mut cs = fold_str(t).chars().collect::<Vec<char>>();
            cs.retain(|c| !c.is_whitespace());
            cs.len() == 1 && cs[0].is_ascii_alphabetic()
        });
    if letters {
        return true;
    }
    let w = words();
    let whole: String = folded.iter().collect();
    let placeholders = placeholders();
    if w.honorifics.contains(&folded) || placeholders.contains(&whole) {
        return true;
    }
    let word = |part: &[char]| {
        let text: String = part.iter().collect();
        part.len() >= 2
            && (w.is_title(&text)
                || w.not_a_name(&text)
                || w.is_leading_word(part)
                || placeholders.contains(&text))
    };
    word(&folded)
        || (2..folded.len().saturating_sub(1)).any(|i| word(&folded[..i]) && word(&folded[i..]))
}

/// The longest known family name `folded` starts with, shorter than it, in characters.
pub fn family_prefix(folded: &str) -> Option<usize> {
    let w = words();
    let chars: Vec<char> = folded.chars().collect();
    (1..chars.len().min(w.longest_surname + 1))
        .rev()
        .find(|&n| {
            w.surnames
                .contains_key(&chars[..n].iter().collect::<String>())
        })
}

/// The parts of a name, as written (not folded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    /// Family name first for Japanese names; as written for Latin ones.
    pub parts: Vec<String>,
    /// When a name was recorded without a space and no known family name starts it, the ways it
    /// might split: replaced only where they stand as names.
    pub maybe: Vec<String>,
}

/// Whether a character that shows nothing stands between two words of a name as a blank does
/// (`佐藤\u{200b}恵子`, `中川\u{2060}翔`, pasted from a web page or a PDF): the zero-width spaces,
/// joiners and non-joiners, word joiner, byte order mark, soft hyphen, direction marks. Not a
/// variation selector or the combining grapheme joiner, which belong to the character before
/// them (`辻\u{e0100}本` is one word).
fn separates(c: char) -> bool {
    invisible(c)
        && !matches!(c,
            '\u{34f}' | '\u{180b}'..='\u{180d}' | '\u{180f}' | '\u{fe00}'..='\u{fe0f}'
            | '\u{e0100}'..='\u{e01ef}')
}

/// The words of a name or reading as written: split at spaces, blanks, middle dots and the
/// characters that show nothing ([`separates`]); three or more single characters are one word
/// spaced out (均等割り: `山 田 太 郎` is `山田太郎`).
fn tokens(text: &str) -> Vec<String> {
    let tokens: Vec<String> = text
        .split(|c: char| {
            c.is_whitespace() || is_blank(c) || is_middle_dot(c) || c == '･' || separates(c)
        })
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .map(str::to_owned)
        .collect();
    if tokens.len() >= 3 && tokens.iter().all(|t| t.chars().count() == 1) {
        return vec![tokens.concat()];
    }
    tokens
}

/// Splits a name at whitespace and `・`; a kanji name written without a space after the longest
/// known family name (佐藤花子 → 佐藤 + 花子).
pub fn parts(name: &str) -> Parts {
    let tokens = tokens(name);
    if tokens.len() != 1 {
        return Parts {
            parts: tokens,
            maybe: Vec::new(),
        };
    }
    let token = &tokens[0];
    if let Some(split) = kana_family_prefix(token) {
        return Parts {
            parts: split,
            maybe: Vec::new(),
        };
    }
    let chars: Vec<char> = token.chars().collect();
    let kanji = chars.len() >= 2 && chars.iter().all(|c| is_kanji(*c));
    if !kanji || words().surnames.contains_key(&fold_str(token)) {
        return Parts {
            parts: tokens,
            maybe: Vec::new(),
        };
    }
    if let Some(n) = family_prefix(&fold_str(token)) {
        let family: String = chars[..n].iter().collect();
        let given: String = chars[n..].iter().collect();
        return Parts {
            parts: vec![family, given],
            maybe: Vec::new(),
        };
    }
    let mut maybe = Vec::new();
    for n in 1..chars.len().min(4) {
        maybe.push(chars[..n].iter().collect());
        maybe.push(chars[n..].iter().collect());
    }
    maybe.sort();
    maybe.dedup();
    Parts {
        parts: tokens,
        maybe,
    }
}

/// A name in kana recorded without a blank (`ﾖｼﾀﾞﾏｲ`, `よしだまい`), split after the longest
/// known family name's reading it starts with when two kana or more are left for the given name
/// (ヨシダ + マイ): a ward types names unspaced, and the given name alone must be found too.
fn kana_family_prefix(token: &str) -> Option<Vec<String>> {
    let folded = fold(token);
    if folded.len() < 4 || !folded.iter().all(|f| f.class.is_kana()) {
        return None;
    }
    let w = words();
    let chars: Vec<char> = folded.iter().map(|f| f.c).collect();
    let n = (2..=chars.len() - 2).rev().find(|&n| {
        w.romaji
            .contains_key(&chars[..n].iter().collect::<String>())
    })?;
    // The bytes of the token the first `n` folded characters came from.
    let cut = folded[n].start;
    Some(vec![token[..cut].to_owned(), token[cut..].to_owned()])
}

/// A name recorded without a blank (`栗栖睦美`) whose reading is recorded with one
/// (`クリス ムツミ`): the name with a blank where the reading says — before the kanji read as the
/// given name's reading (given_readings.txt), or after those a known family name's reading
/// says. `None` when the name has a blank already, or nothing tells where.
fn spaced_by_reading(name: &str, reading: &str) -> Option<String> {
    let names = tokens(name);
    let read = tokens(reading);
    let ([name], [family, given]) = (names.as_slice(), read.as_slice()) else {
        return None;
    };
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 2 || !chars.iter().all(|c| is_kanji(*c)) {
        return None;
    }
    let (family, given) = (fold_str(family), fold_str(given));
    let w = words();
    let at = (1..chars.len()).find(|&n| {
        let head: String = chars[..n].iter().collect();
        let tail: String = chars[n..].iter().collect();
        super::guess::given_readings(&tail)
            .iter()
            .any(|r| fold_str(r) == given)
            || w.surnames
                .get(&fold_str(&head))
                .is_some_and(|rs| rs.contains(&family))
    })?;
    let head: String = chars[..at].iter().collect();
    let tail: String = chars[at..].iter().collect();
    Some(format!("{head} {tail}"))
}

/// The parts of a reading, matched to the parts of the name where a known family name's reading
/// tells where an unspaced reading splits.
pub fn reading_parts(reading: &str, name_parts: &[String]) -> Vec<String> {
    let tokens = tokens(reading);
    if tokens.len() != 1 || name_parts.len() < 2 {
        return tokens;
    }
    let folded = fold_str(&tokens[0]);
    let known = words().surnames.get(&fold_str(&name_parts[0]));
    for family in known.into_iter().flatten() {
        if let Some(given) = folded
            .strip_prefix(family.as_str())
            .filter(|g| !g.is_empty())
        {
            return vec![family.clone(), given.to_owned()];
        }
    }
    tokens
}

/// Whether a text (a case's pseudonym) is a person's name written bare, with no honorific or 世帯 to mark it:
/// a known family name alone (`田中`, `タナカ`), with a given name after it (`鈴木一郎`,
/// `田中花子`), or in two words of one script whose first is a known family name or its reading
/// (`佐藤 恵子`, `ヤマダ タロウ`, `やまだ たろう`). `A世帯`, `K1世帯`, `中央地区3` are none.
pub fn bare_name(pseudonym: &str) -> bool {
    let w = words();
    let known = |part: &str| {
        let key = fold_str(part);
        w.surnames.contains_key(&key) || w.romaji.contains_key(&key)
    };
    let split = parts(pseudonym);
    let script = |part: &str| {
        let f = fold(part);
        let first = f.first().map(|c| c.class)?;
        let one = f.iter().all(|c| c.class == first);
        let name = matches!(first, Class::Kanji | Class::Katakana | Class::Hiragana);
        (one && name && (1..=6).contains(&f.len())).then_some(first)
    };
    match split.parts.as_slice() {
        [only] => known(only),
        [family, given] => {
            let listed = |p: &str| {
                let key = fold_str(p);
                w.not_a_name(&key)
                    || w.looks_like_agency(p)
                    || w.household
                        .iter()
                        .any(|h| key == h.iter().collect::<String>())
            };
            let same = (script(family).is_some() && script(family) == script(given))
                || (script(family) == Some(Class::Kanji) && script(given).is_some());
            same && known(family) && !listed(given)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str) -> Option<(String, String, Option<String>, Vec<String>)> {
        NameField::parse(text).map(|f| {
            (
                f.before.to_owned(),
                f.name.to_owned(),
                f.reading.map(str::to_owned),
                f.notes.iter().map(|b| b.text.to_owned()).collect(),
            )
        })
    }

    #[test]
    fn readings_relations_and_notes_are_told_apart() {
        assert_eq!(
            field("佐藤 花子（サトウ ハナコ）"),
            Some((
                "".into(),
                "佐藤 花子".into(),
                Some("サトウ ハナコ".into()),
                vec![]
            ))
        );
        assert_eq!(
            field("佐藤花子(ｻﾄｳ ﾊﾅｺ)"),
            Some(("".into(), "佐藤花子".into(), Some("ｻﾄｳ ﾊﾅｺ".into()), vec![]))
        );
        assert_eq!(
            field("佐藤 恵子（長女）"),
            Some(("".into(), "佐藤 恵子".into(), None, vec!["長女".into()]))
        );
        assert_eq!(
            field("長女 山田 恵子（市外在住）"),
            Some((
                "長女 ".into(),
                "山田 恵子".into(),
                None,
                vec!["市外在住".into()]
            ))
        );
        assert_eq!(
            field("山田 太郎（Yamada Taro）"),
            Some((
                "".into(),
                "山田 太郎".into(),
                Some("Yamada Taro".into()),
                vec![]
            ))
        );
        assert_eq!(field("Ann Lee (Ms)").map(|f| f.3), Some(vec!["Ms".into()]));
        assert_eq!(field("長女"), None);
        assert_eq!(field("子（週2回、食事と郵便を届けている）"), None);
        assert_eq!(field("  "), None);
        assert_eq!(field("山田さん").map(|f| f.1), Some("山田".into()));
        assert!(
            NameField::parse("佐藤 恵子（長女）")
                .unwrap()
                .has_relation()
        );
        assert!(
            NameField::parse("佐藤 恵子（長女・市外）")
                .unwrap()
                .has_relation()
        );
        assert!(!NameField::parse("佐藤 恵子").unwrap().has_relation());
    }

    #[test]
    fn unspaced_names_split_after_a_known_family_name() {
        assert_eq!(parts("佐藤花子").parts, ["佐藤", "花子"]);
        assert_eq!(parts("森田花子").parts, ["森田", "花子"]);
        assert_eq!(parts("林学").parts, ["林", "学"]);
        assert_eq!(parts("髙橋由美").parts, ["髙橋", "由美"]);
        assert_eq!(parts("山田").parts, ["山田"]);
        assert_eq!(parts("佐藤  恵子").parts, ["佐藤", "恵子"]);
        assert_eq!(parts("佐藤\t恵子").parts, ["佐藤", "恵子"]);
        assert_eq!(parts("アン・リー").parts, ["アン", "リー"]);
        assert_eq!(parts("アン·リー").parts, ["アン", "リー"]);
        // A name recorded spaced out (均等割り) is read as written without the blanks.
        assert_eq!(parts("山 田 太 郎").parts, ["山田", "太郎"]);
        assert_eq!(
            parts("山\u{3000}田\u{3000}花\u{3000}子").parts,
            ["山田", "花子"]
        );
        assert_eq!(parts("佐藤\u{2800}花子").parts, ["佐藤", "花子"]);
        assert_eq!(parts("林 学").parts, ["林", "学"]);
        let odd = parts("栗栖太郎");
        assert_eq!(odd.parts, ["栗栖太郎"]);
        assert!(odd.maybe.contains(&"栗栖".to_owned()) && odd.maybe.contains(&"太郎".to_owned()));
    }

    #[test]
    fn readings_split_like_the_name() {
        let name = vec!["佐藤".to_owned(), "花子".to_owned()];
        // An unspaced reading is split in its folded form (a long vowel as ー).
        assert_eq!(reading_parts("サトウハナコ", &name), ["サトー", "ハナコ"]);
        assert_eq!(reading_parts("さとう はなこ", &name), ["さとう", "はなこ"]);
        assert_eq!(reading_parts("ｻﾄｳﾊﾅｺ", &name), ["サトー", "ハナコ"]);
        assert_eq!(reading_parts("サトーハナコ", &name), ["サトー", "ハナコ"]);
        assert_eq!(
            reading_parts("サ ト ウ ハ ナ コ", &name),
            ["サトー", "ハナコ"]
        );
    }

    #[test]
    fn records_of_one_person_share_a_key() {
        let a = Person::new("佐藤 花子", PersonKind::Attendee);
        let b = Person::new("佐藤花子", PersonKind::CaseSubject);
        let c = Person::new("佐藤\u{3000}花子", PersonKind::KeyPerson);
        assert_eq!(a.key(), b.key());
        assert_eq!(a.key(), c.key());
        let p = Person::from_field("佐藤 花子（サトウ ハナコ）", PersonKind::Attendee).unwrap();
        assert_eq!(p.reading.as_deref(), Some("サトウ ハナコ"));
    }
}
