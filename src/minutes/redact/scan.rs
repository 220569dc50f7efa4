//! Finding names in one folded text: recorded names first (the longest form at each place), then
//! words nobody recorded that an honorific marks as names, then what still looks like a name and
//! is only warned about.

use unicode_normalization::UnicodeNormalization;

use super::fold::{Class, FoldedChar};
use super::guess::given_readings;
use super::patterns::{Pattern, Patterns, Script, Target};
use super::people::family_prefix;
use super::words::{Words, starts_with_any, words};

mod given;
mod relative;

/// What was found at `start..end` (indices into the folded characters).
/// What a name's characters may be written apart with besides blanks (`ヤ・マ・ダ`, `山-田`, `山_田`,
/// `山.田`, `山/田`), in kanji and kana; Latin letters take only blanks (`Ken-ichi` is a syllable
/// break, handled apart).
fn is_spacer(c: char) -> bool {
    matches!(c, '・' | '-' | '_' | '.' | '/' | '*' | '~')
}

/// Whether `open` opens a bracket that `close` closes (either width).
fn in_brackets(open: char, close: Option<&char>) -> bool {
    matches!(
        (open, close),
        ('（' | '(', Some('）' | ')')) | ('［' | '[', Some('］' | ']'))
    )
}

/// Verbs in hiragana a person is the subject of, after a name and a particle (たろうがきた,
/// はじめはいた): what makes a guessed reading there read as a name.
const PERSON_VERBS: [&str; 38] = [
    "きた",
    "きました",
    "きて",
    "くる",
    "きます",
    "こない",
    "こなかった",
    "いた",
    "いる",
    "いない",
    "いました",
    "います",
    "いなかった",
    "いって",
    "いった",
    "いう",
    "いわれた",
    "はなした",
    "はなす",
    "かえった",
    "かえる",
    "かえりました",
    "でた",
    "でて",
    "ねた",
    "ねている",
    "おきた",
    "ないた",
    "わらった",
    "おこった",
    "よんだ",
    "よばれた",
    "でかけた",
    "もどった",
    "もどる",
    "きていた",
    "いっていた",
    "すわった",
];

/// Verbs only a thing does, weather or a plant, as they start (降った, 降る, 積もった, 溶けた,
/// 咲いた): an everyday word (ゆき, はな) before a particle and one of them is the word, not a
/// member so named (ユキが降った for 由紀); 降り (降りた, got off) is a person's.
const THING_VERBS: [&str; 10] = [
    "降っ",
    "降る",
    "降ら",
    "降り続",
    "積も",
    "積っ",
    "溶け",
    "咲い",
    "咲く",
    "咲き",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Keep,
    Person(usize),
    Ambiguous,
    /// A name nobody recorded: its folded form, for one placeholder per name.
    Unrecorded(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub found: Found,
    /// A single part of a name in kanji (山田 of 山田 花子): an unrecorded given name right after
    /// it makes one unrecorded full name with it.
    pub kanji_part: bool,
    /// All of a recorded name (every part of a name of two or more, or of its reading), not
    /// one part of it: what an agency's name never holds by chance (山田太郎 in 山田太郎の会社,
    /// where 山田 alone may be 山田クリニック's).
    pub whole_name: bool,
}

/// Why something is warned about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuspectKind {
    /// Two capitalised Latin words (John Smith).
    LatinPair,
    /// A kanji word before a title (山本係長) that no list explains.
    BeforeTitle,
    /// A kanji word before 宅 or 世帯 that starts with a family name (山本宅).
    Household,
    /// A word before an honorific that was left as it is (a role word with something before it,
    /// a long run of hiragana, kanji after a little hiragana: みち子さん).
    BeforeHonorific,
    /// An agency field that looks like a person's name.
    AgencyField,
    /// A member's given name in the hiragana it is guessed to read, where a name stands
    /// (`たろうが来た` for 渡辺 太郎): ordinary words are written so too (はじめは).
    GivenReading,
}

/// Where something that looks like a name was left (folded indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspicion {
    pub start: usize,
    pub end: usize,
    pub kind: SuspectKind,
}

/// Everything found in one text.
#[derive(Debug, Default)]
pub struct Findings {
    pub hits: Vec<Hit>,
    pub suspects: Vec<Suspicion>,
    /// Letters written as pseudonyms in the text (C氏, B世帯): no placeholder takes them.
    pub pseudonyms: Vec<usize>,
}

pub struct Scan<'a> {
    pub f: &'a [FoldedChar],
    pub text: &'a str,
    pub cs: Vec<char>,
    pub patterns: &'a Patterns,
    /// Titles recorded for the attendees (the word list's are in `w`), longest first.
    pub titles: &'a [Vec<char>],
    /// Whether a part of a name recorded elsewhere standing alone in the whole text is a name
    /// (a name field, a cell); not in a field that names a place (the meeting's place, an agenda
    /// title, a handout), where `中野` or `大島` is the district (attack report 8, finding 7).
    pub alone_marks: bool,
    w: &'static Words,
}

enum Decision {
    Name(usize),
    NotName,
    Warn(usize),
}

impl<'a> Scan<'a> {
    pub fn new(
        f: &'a [FoldedChar],
        text: &'a str,
        patterns: &'a Patterns,
        titles: &'a [Vec<char>],
    ) -> Scan<'a> {
        Scan {
            f,
            text,
            cs: f.iter().map(|c| c.c).collect(),
            patterns,
            titles,
            alone_marks: true,
            w: words(),
        }
    }

    fn n(&self) -> usize {
        self.f.len()
    }

    fn class(&self, i: usize) -> Option<Class> {
        self.f.get(i).map(|c| c.class)
    }

    /// The original text of folded characters `start..end`.
    pub fn original(&self, start: usize, end: usize) -> &'a str {
        match (
            self.f.get(start),
            end.checked_sub(1).and_then(|e| self.f.get(e)),
        ) {
            (Some(a), Some(b)) if a.start <= b.end => &self.text[a.start..b.end],
            _ => "",
        }
    }

    fn capitalised(&self, i: usize) -> bool {
        self.f
            .get(i)
            .and_then(|c| self.text[c.start..].chars().next())
            .is_some_and(char::is_uppercase)
    }

    /// The length of an honorific at `j` (さん, 様 …), 0 when there is none. 様 before another
    /// kanji is a word (様子), and a honorific written in katakana before more katakana is part of
    /// a word (サマリー).
    pub fn honorific_at(&self, j: usize) -> usize {
        let rest = &self.cs[j.min(self.n())..];
        if !rest
            .first()
            .is_some_and(|c| self.w.honorifics.iter().any(|h| h.first() == Some(c)))
        {
            return 0;
        }
        for h in &self.w.honorifics {
            if !rest.starts_with(h) {
                continue;
            }
            let after = j + h.len();
            let next = self.class(after);
            if h.len() == 1
                && self.class(j) == Some(Class::Kanji)
                && next == Some(Class::Kanji)
                && !self.home_after_honorific(after)
                && !self.after_katakana_honorific(j)
            {
                continue;
            }
            if self.class(j) == Some(Class::Katakana) && next == Some(Class::Katakana) {
                continue;
            }
            if h[..] == ['サ', 'マ'] && self.cs[after.min(self.n())..].starts_with(&['ザ', 'マ'])
            {
                continue;
            }
            return h.len();
        }
        0
    }

    /// Whether the kanji at `j` is an honorific after kana although a kanji follows it
    /// (ケンタ君来所, ユキ氏同席, ケンタ様来所, けんた君来所): after kana 君, 氏 and 様 start no
    /// word but 氏名 and 様子, 様式, 様相, 様態, 様々 (フリガナ氏名, データ様式, ご様子).
    fn after_katakana_honorific(&self, j: usize) -> bool {
        if j == 0 || !self.class(j - 1).is_some_and(Class::is_kana) {
            return false;
        }
        let next = self.cs.get(j + 1).copied().unwrap_or(' ');
        match self.cs[j] {
            '君' => true,
            '氏' => next != '名',
            '様' => !matches!(next, '子' | '式' | '相' | '態' | '々'),
            _ => false,
        }
    }

    /// Whether a home word follows an honorific of one kanji at `k` (髙橋様宅, 高橋氏宅, 髙橋君宅,
    /// 髙橋様邸, 髙橋様世帯, and 様方 / 氏方, the postal "care of"): the honorific is one, 様 no
    /// word (様子) (attack report 8, finding 1).
    fn home_after_honorific(&self, k: usize) -> bool {
        self.home_at(k) > 0
            || (self.cs.get(k) == Some(&'方')
                && k >= 1
                && matches!(self.cs[k - 1], '様' | '氏')
                && self.class(k + 1) != Some(Class::Kanji))
    }

    /// 方 after a family name of two or more characters (髙橋方に届ける: at 髙橋's home, the
    /// postal "care of"), where no kanji follows (中野方面); a one-character name before 方 is
    /// as often a word (先方, 東方, 両方).
    pub(super) fn care_of_at(&self, p: &Pattern, end: usize) -> bool {
        p.family
            && p.len >= 2
            && self.cs.get(end) == Some(&'方')
            && self.class(end + 1) != Some(Class::Kanji)
    }

    /// `-san`, ` san` after a Latin name, with its separator.
    fn latin_honorific_at(&self, j: usize) -> usize {
        if !matches!(self.cs.get(j), Some('-' | ' ')) {
            return 0;
        }
        let word = self.latin_word(j + 1);
        if word > 0 {
            let w: String = self.cs[j + 1..j + 1 + word].iter().collect();
            if self.w.latin_honorifics.contains(&w) {
                return word + 1;
            }
        }
        0
    }

    /// The length of the Latin word starting at `i`.
    fn latin_word(&self, i: usize) -> usize {
        self.f[i.min(self.n())..]
            .iter()
            .take_while(|c| c.class == Class::Latin)
            .count()
    }

    pub fn title_at(&self, j: usize) -> usize {
        if !matches!(
            self.class(j),
            Some(Class::Kanji | Class::Katakana | Class::Latin)
        ) {
            return 0;
        }
        let rest = &self.cs[j.min(self.n())..];
        let Some(first) = rest.first() else {
            return 0;
        };
        let listed = match self.w.title_index.binary_search_by_key(first, |(c, _)| *c) {
            Ok(at) => self.w.title_index[at].1.as_slice(),
            Err(_) => &[],
        };
        let fits = |t: &&Vec<char>| {
            rest.starts_with(t)
                && !(t.iter().all(|c| c.is_ascii_alphabetic())
                    && self.class(j + t.len()).is_some_and(Class::is_alnum))
        };
        let a = listed.iter().find(fits).map_or(0, |t| t.len());
        let b = self.titles.iter().find(fits).map_or(0, |t| t.len());
        a.max(b)
    }

    pub fn particle_at(&self, j: usize) -> usize {
        if self.class(j) != Some(Class::Hiragana) {
            return 0;
        }
        starts_with_any(&self.cs[j..], &self.w.particles).unwrap_or(0)
    }

    /// A particle at `j` after kana: in hiragana as [`Scan::particle_at`], or in half-width
    /// katakana after half-width katakana (`ﾀﾛｳｶﾞ`), where a whole note is typed in half-width
    /// kana and the particle with it.
    pub fn kana_particle_at(&self, j: usize) -> usize {
        let p = self.particle_at(j);
        if p > 0 || j == 0 || self.class(j) != Some(Class::Katakana) {
            return p;
        }
        let half = |k: usize| {
            self.f.get(k).is_some_and(|c| {
                self.text[c.start..]
                    .chars()
                    .next()
                    .is_some_and(|w| ('\u{FF66}'..='\u{FF9D}').contains(&w))
            })
        };
        if !half(j - 1) || !half(j) {
            return 0;
        }
        starts_with_any(&self.cs[j..], &self.w.particles)
            .filter(|&l| (j..j + l).all(half))
            .unwrap_or(0)
    }

    fn left_boundary(&self, i: usize) -> bool {
        i == 0 || !self.f[i - 1].class.is_word()
    }

    fn right_boundary(&self, j: usize) -> bool {
        self.class(j).is_none_or(|c| !c.is_word())
    }

    fn gap(&self, c: &FoldedChar, script: Script) -> bool {
        c.class == Class::Space
            || (script != Script::Latin && is_spacer(c.c))
            || (script == Script::Latin && matches!(c.c, ',' | '・'))
    }

    /// Where `p` ends when it matches at `i`, and whether it was written with blanks (or middle
    /// dots, dashes, underscores, full stops, slashes) between the characters of a part (均等割り: `山 田 太 郎`, `Y A M A D A`, `ヤ・マ・ダ`). A romanised name may have an
    /// apostrophe or a dash between its syllables (`Shin'ichi`, `Ken-ichi`).
    fn match_parts(&self, p: &Pattern, i: usize) -> Option<(usize, bool)> {
        let mut k = i;
        let (mut spaced, mut glued) = (false, false);
        for (idx, part) in p.parts.iter().enumerate() {
            if idx > 0 {
                let mut g = 0;
                while g < 4 && self.f.get(k).is_some_and(|c| self.gap(c, p.script)) {
                    k += 1;
                    g += 1;
                }
            }
            for (at, &c) in part.iter().enumerate() {
                if at > 0 && !self.same(k, c) {
                    let mut g = 0;
                    while g < 4
                        && self.f.get(k).is_some_and(|f| {
                            f.class == Class::Space || (p.script != Script::Latin && is_spacer(f.c))
                        })
                    {
                        k += 1;
                        g += 1;
                    }
                    if g > 0 {
                        spaced = true;
                    } else if p.script == Script::Latin
                        && matches!(self.cs.get(k), Some('\'' | '-'))
                        && self.class(k + 1) == Some(Class::Latin)
                    {
                        k += 1;
                    }
                    // Folding reads ウ after an o-sound as ー only when nothing stands between.
                    if g > 0 && c == 'ー' && matches!(self.cs.get(k), Some('ウ' | 'オ')) {
                        k += 1;
                        continue;
                    }
                } else if at > 0 {
                    glued = true;
                }
                if !self.same(k, c) {
                    return None;
                }
                k += 1;
            }
        }
        // Latin letters are spaced out one by one or not at all (`A n n` is not `Ann`).
        if spaced && glued && p.script == Script::Latin {
            return None;
        }
        Some((k, spaced))
    }

    /// Whether the folded character at `k` is `c`. A ウ or オ folded as a long vowel after an
    /// o- or u-sound (アツウア is アツーア) is still the ウ that starts the next part of a name
    /// (アツ ウア).
    fn same(&self, k: usize, c: char) -> bool {
        match self.f.get(k) {
            Some(f) if f.c == c => true,
            Some(f) if f.c == 'ー' && matches!(c, 'ウ' | 'オ') => self.text[f.start..f.end]
                .nfkc()
                .next()
                .is_some_and(|w| matches!(w, 'ウ' | 'う' | 'オ' | 'お')),
            _ => false,
        }
    }

    /// The honorific after a name written with blanks (`山 田 さん`): its end, blanks included.
    fn spaced_honorific_at(&self, j: usize) -> usize {
        let mut m = j;
        while m - j < 2 && self.class(m) == Some(Class::Space) {
            m += 1;
        }
        match self.honorific_at(m) {
            0 => 0,
            h => m + h - j,
        }
    }

    /// An English title before `i` (`Ms. `, `Dr `): where it starts.
    fn english_title_before(&self, i: usize, floor: usize) -> Option<usize> {
        let mut k = i;
        let mut spaces = 0;
        while k > floor && self.f[k - 1].class == Class::Space && spaces < 2 {
            k -= 1;
            spaces += 1;
        }
        if spaces == 0 {
            return None;
        }
        if k > floor && self.cs[k - 1] == '.' {
            k -= 1;
        }
        let end = k;
        while k > floor && self.f[k - 1].class == Class::Latin {
            k -= 1;
        }
        if k == end || (k > 0 && self.f[k - 1].class.is_alnum()) {
            return None;
        }
        let word: String = self.cs[k..end].iter().collect();
        self.w.english_titles.contains(&word).then_some(k)
    }

    fn allowed(
        &self,
        p: &Pattern,
        i: usize,
        (end, spaced): (usize, bool),
        last_end: Option<usize>,
    ) -> bool {
        let before = i.checked_sub(1).and_then(|k| self.class(k));
        let after = self.class(end);
        let honorific = self.honorific_at(end) > 0;
        // A part written with blanks between its characters stands apart from the text on at
        // least one side (`渡 邊が`, `本日渡 邊`), so that `富士山 田中` is not 山田; a whole name
        // so written is found wherever it stands.
        if spaced
            && !(p.full && p.parts.len() >= 2)
            && !(self.left_boundary(i)
                || self.right_boundary(end)
                || self.spaced_honorific_at(end) > 0
                || self.title_at(end) > 0
                || self.particle_at(end) > 0)
        {
            return false;
        }
        // A part of a name before 県, 市, 区, 駅 … is a place's name (千葉県の施設へ入所 for a
        // household's 千葉 花子): the place stays in every copy and table.
        if p.target != Target::Keep && !(p.full && p.parts.len() >= 2) && self.place_at(end) {
            return false;
        }
        match p.script {
            Script::Latin => {
                if before.is_some_and(Class::is_alnum) || after.is_some_and(Class::is_alnum) {
                    return false;
                }
            }
            Script::Kana => {
                if p.katakana_only && self.f[i..end].iter().any(|c| c.class == Class::Hiragana) {
                    return false;
                }
                // A word that starts with the name and a particle (ゆうがた for ゆう).
                if self.class(i) == Some(Class::Hiragana)
                    && starts_with_any(&self.cs[i..], &self.w.kana_words)
                        .is_some_and(|l| l > end - i)
                {
                    return false;
                }
                // After の, と or や that follow a word in another script (母のあい, 姉とゆう) a
                // name in kana starts, as after a boundary; a whole name of two parts after any
                // particle of one kana there (今日ははやしけんたが: printed as typed before, the
                // は read as the name's first kana).
                let whole = p.full && p.parts.len() >= 2;
                let after_particle = i >= 1
                    && self.class(i - 1) == Some(Class::Hiragana)
                    && (matches!(self.cs[i - 1], 'ノ' | 'ト' | 'ヤ')
                        || (whole && self.particle_at(i - 1) == 1))
                    && (i == 1 || self.class(i - 2) != Some(Class::Hiragana));
                // A member's guessed reading where a name stands (今日はたろうがきた) is the member
                // glued to the particle before it too.
                let alone_name = self.guessed_reading_alone(p, i, end) == Some(true);
                let left_glued = before == self.class(i) && !after_particle && !alone_name;
                let right_glued = after == self.class(end - 1);
                if left_glued && !honorific {
                    return false;
                }
                // A whole name before a word that follows names (はやしはなだけ, やまだはならが).
                let after_name =
                    whole && (self.joined_at(end) > 0 || self.after_name_word_at(end) > 0);
                if right_glued
                    && !(honorific
                        || after_name
                        || self.title_at(end) > 0
                        || self.kana_particle_at(end) > 0)
                {
                    return false;
                }
            }
            // A name of mixed scripts (Kimura 一郎, 一郎 Kimura) is no part of a longer Latin
            // word (Akimura一郎).
            Script::Kanji => {
                let latin = |c: Option<&char>| c.is_some_and(char::is_ascii_alphanumeric);
                let first = p.parts.first().and_then(|f| f.first());
                let last = p.parts.last().and_then(|l| l.last());
                if (latin(first) && before.is_some_and(Class::is_alnum))
                    || (latin(last) && after.is_some_and(Class::is_alnum))
                {
                    return false;
                }
                // A guessed reading in kana with more of its kana after it starts another name
                // (佐藤コウジ beside 佐藤 光, read コウ): that one is found as it. A particle, an
                // honorific, a word that joins names or one that follows a name (だけ, って) is no
                // more of the name (渡邊たろうが, 渡邊ﾀﾛｳｶﾞ: attack on the S世帯 case, 2026-12-05).
                let kana_end = self.class(end - 1).is_some_and(Class::is_kana);
                if p.guess
                    && kana_end
                    && after == self.class(end - 1)
                    && !(honorific
                        || self.kana_particle_at(end) > 0
                        || self.joined_at(end) > 0
                        || self.after_name_word_at(end) > 0)
                {
                    return false;
                }
            }
        }
        // One Latin word written as a common English word (too, to, go, I, will) is the word
        // unless something marks it as a name (romaji.rs, words.toml's `english_words`).
        if p.script == Script::Latin
            && p.parts.len() == 1
            && p.target != Target::Keep
            && self.english_word(i, end)
            && self.in_latin_prose(i, end)
            && !self.latin_name_marked(p, i, end)
        {
            return false;
        }
        if p.strong || p.target == Target::Keep {
            return true;
        }
        if p.elsewhere {
            return self.marked_elsewhere(p, i, end);
        }
        // A Latin word among Japanese text (`会議はtooで`, `山田さんとTaroが`) is a word of its
        // own wherever it is glued: no English sentence around it to read it as a word of
        // (session 13). English prose's common words stay: [`Scan::in_latin_prose`].
        let latin_among_japanese = p.script == Script::Latin && !self.in_latin_prose(i, end);
        if p.marked {
            // A reading glossed by another word's kanji (ユキ（雪）かき) is that word.
            if p.guess && self.glossed_at(p, i, end) {
                return false;
            }
            if self.guessed_reading_alone(p, i, end) == Some(true) {
                return true;
            }
            // Before 世帯, 家 or 宅 where a word starts (`イチロウ世帯`, a pseudonym's way of
            // writing a member's given name: session 14) the name is a household's.
            let home = self.home_at(end) > 0 && self.starts_word(i);
            return honorific
                || home
                || self.title_at(end) > 0
                || self.latin_honorific_at(end) > 0
                || latin_among_japanese
                || (self.left_boundary(i) && self.right_boundary(end));
        }
        // After hiragana a kanji starts a word (連絡は林が) — not an ordinary word's, which is
        // the word there (本人の希望により); と and や also join a list of names.
        let listed = i >= 1
            && self.class(i - 1) == Some(Class::Hiragana)
            && ((self.class(i) == Some(Class::Kanji) && !p.ordinary)
                || (last_end == Some(i - 1) && matches!(self.cs[i - 1], 'ト' | 'ヤ')));
        // A family name before 家・宅・世帯 where a word starts (林家が転居, 昨日林宅へ; not
        // 小林家 for 林).
        let home =
            p.family && (self.home_at(end) > 0 || self.care_of_at(p, end)) && self.starts_word(i);
        // A family name of the case's own people after a relation and の (元夫の佐々木が,
        // 夫の希望と): that family, even where the name is also a word.
        let relative = p.family && self.after_relation(i);
        honorific
            || home
            || latin_among_japanese
            || self.title_at(end) > 0
            || self.latin_honorific_at(end) > 0
            || ((self.left_boundary(i) || listed || relative)
                && (self.right_boundary(end)
                    || self.particle_at(end) > 0
                    || self.joined_at(end) > 0))
            || (p.script == Script::Latin
                && (self.capitalised(i) || self.english_title_before(i, 0).is_some()))
    }

    /// A given name's guessed reading alone ([`Pattern::guess`]) where a name stands: where a
    /// phrase starts (after no kana, or after a particle that follows no hiragana: `今日はタロウが`)
    /// and before a particle that no more hiragana follows (`ﾀﾛｳｶﾞ来た`, `たろうが来た`; not
    /// `しょうがない`). `Some(true)` in katakana, the member's name (attack on the S世帯 case,
    /// 2026-12-05: printed as typed); `Some(false)` in hiragana, where ordinary words are written
    /// the same (はじめは元気), only warned about; `None` where it stands otherwise.
    fn guessed_reading_alone(&self, p: &Pattern, i: usize, end: usize) -> Option<bool> {
        if !(p.guess && p.marked && p.script == Script::Kana && p.target != Target::Keep) {
            return None;
        }
        let class = self.class(i)?;
        if end - i < 2 || self.f[i..end].iter().any(|f| f.class != class) {
            return None;
        }
        let longer_word =
            starts_with_any(&self.cs[i..], &self.w.kana_words).is_some_and(|l| l > end - i);
        if longer_word || self.glossed_at(p, i, end) {
            return None;
        }
        let word: String = self.cs[i..end].iter().collect();
        // Three kana or more that are no everyday word read as a name in hiragana too.
        let reads_as_name =
            class == Class::Katakana || (end - i >= 3 && !self.w.is_everyday_given(&word));
        let particle = self.kana_particle_at(end);
        // An everyday word before a particle and a verb only a thing does (ユキが降った).
        if particle > 0 && self.w.is_everyday_given(&word) && self.thing_verb_at(end + particle) {
            return None;
        }
        // After a relation, with の or glued (子のケンタ、, 元妻のユキ。, 子ケンタ来所), where the
        // name ends (a break, a particle, a word that says what a person did, one that joins
        // names, 宅): the relation marks it as the relative's name (attack on the A世帯 case,
        // 2026-12-05, printed as typed).
        let ends = self.right_boundary(end)
            || particle > 0
            || self.action_at(end) > 0
            || self.joined_at(end) > 0
            || self.home_at(end) > 0;
        if ends && self.relation_before(i, class) {
            return Some(reads_as_name);
        }
        let after_particle = i >= 1
            && self.particle_at(i - 1) == 1
            && (i == 1 || self.class(i - 2) != Some(Class::Hiragana));
        let starts = i == 0
            || !self.f[i - 1].class.is_kana()
            || (self.class(i - 1) != Some(class) && class == Class::Katakana)
            || after_particle;
        // At the start of a phrase before a word that says what a person did (ケンタ来所); in
        // hiragana not right after kanji, where kana are as often a word's ending.
        let phrase = i == 0 || !self.f[i - 1].class.is_word() || after_particle;
        // Right after kanji, a reading that reads as a name in hiragana too (本日けんた来所: printed
        // as typed before), where an everyday word (ゆき) is as often a word's ending.
        if particle == 0
            && self.action_at(end) > 0
            && (phrase || (starts && (class == Class::Katakana || reads_as_name)))
        {
            return Some(reads_as_name);
        }
        if !starts || particle == 0 {
            return None;
        }
        let after = end + particle;
        if self.class(after) == Some(Class::Hiragana) {
            // More hiragana after the particle: a word of its own (しょうがない) unless it is what
            // a person does (たろうがきた, はじめはいた). Before が, the subject's particle, and
            // that verb ending there, a reading of three kana or more that is no everyday word
            // is the member (attack on the S世帯 case, 2026-12-05: `たろうがきた` was neither
            // replaced nor warned about); anything else so written is warned about.
            let verb = self.person_verb_at(after);
            if verb == 0 {
                return None;
            }
            let subject = particle == 1 && self.cs[end] == 'ガ';
            let ends = self.class(after + verb) != Some(Class::Hiragana);
            return Some(subject && ends && reads_as_name);
        }
        // Before が and a word in kanji of what a person does (けんたが来所, けんたが来た: only
        // warned about before), as before that verb in hiragana.
        if class == Class::Hiragana && particle == 1 && self.person_acts_after(end) {
            return Some(self.cs[end] == 'ガ' && reads_as_name);
        }
        Some(class == Class::Katakana)
    }

    /// Whether the kana reading `i..end` is glossed by the kanji of another word in brackets
    /// right after it (ユキ（雪）かき): the kanji read so (雪 as ユキ) and are no writing of the
    /// person's own (ユキ（由紀） is the member).
    fn glossed_at(&self, p: &Pattern, i: usize, end: usize) -> bool {
        let Some(&open) = self.cs.get(end) else {
            return false;
        };
        let mut close = end + 1;
        while close < self.n() && close - end <= 3 && self.class(close) == Some(Class::Kanji) {
            close += 1;
        }
        if close == end + 1 || !in_brackets(open, self.cs.get(close)) {
            return false;
        }
        let kanji = self.word(end + 1, close);
        let reading = self.word(i, end);
        let own = self
            .patterns
            .starting_with(self.cs[end + 1])
            .iter()
            .any(|q| {
                q.target == p.target
                    && self
                        .match_parts(q, end + 1)
                        .is_some_and(|(e, _)| e == close)
            });
        !own && given_readings(&kanji).contains(&reading)
    }

    /// The length of a word of kanji at `j` that says what a person did or how they stand
    /// (来所, 同居, 欠席, 方: words.toml's `not_given` in kanji), the longest; 0 when there is none.
    pub(super) fn action_at(&self, j: usize) -> usize {
        (1..=3)
            .rev()
            .find(|&l| {
                j + l <= self.n()
                    && self.f[j..j + l].iter().all(|f| f.class == Class::Kanji)
                    && self.w.not_given.contains(&self.word(j, j + l))
            })
            .unwrap_or(0)
    }

    /// Whether a verb at `j` is one only a thing does, weather or a plant (降った, 積もった,
    /// 溶けた, 咲いた): an everyday word before it and a particle is the word (ユキが降った).
    fn thing_verb_at(&self, j: usize) -> bool {
        THING_VERBS.iter().any(|v| {
            let v: Vec<char> = super::fold::fold_str(v).chars().collect();
            self.cs[j.min(self.n())..].starts_with(&v)
        })
    }

    /// The length of a verb in hiragana at `j` that a person is the subject of (きた, いた,
    /// はなした), the longest; 0 when there is none.
    fn person_verb_at(&self, j: usize) -> usize {
        PERSON_VERBS
            .iter()
            .map(|w| super::fold::fold_str(w).chars().collect::<Vec<char>>())
            .filter(|w| self.cs[j.min(self.n())..].starts_with(w))
            .map(|w| w.len())
            .max()
            .unwrap_or(0)
    }

    /// Whether the Latin word `i..end` is written as a common English word ([`Words::is_english_word`]):
    /// compared as typed (NFKC, lower case), not folded, so that `too` is the word and `Tō`,
    /// `Toh` and `Tou` are not.
    fn english_word(&self, i: usize, end: usize) -> bool {
        let written: String = self
            .original(i, end)
            .nfkc()
            .flat_map(char::to_lowercase)
            .collect();
        self.w.is_english_word(&written)
    }

    /// Whether the Latin word `i..end` stands in Latin prose: the nearest letter before or after
    /// it, over blanks and ASCII punctuation only, is a Latin one (`Me too.`, `go to school`). A
    /// word among Japanese text or alone in its field (`、a。`, `会議はtooで`, a place field
    /// `to`) is no English sentence, so it gets no English word's benefit: privacy first.
    fn in_latin_prose(&self, i: usize, end: usize) -> bool {
        let (Some(first), Some(last)) = (
            self.f.get(i),
            end.checked_sub(1).and_then(|e| self.f.get(e)),
        ) else {
            return false;
        };
        let latin = |c: char| {
            c.is_ascii_alphabetic()
                || ('\u{C0}'..='\u{24F}').contains(&c)
                || ('\u{FF21}'..='\u{FF3A}').contains(&c)
                || ('\u{FF41}'..='\u{FF5A}').contains(&c)
        };
        let between = |c: &char| c.is_ascii_whitespace() || c.is_ascii_punctuation();
        let before = self.text[..first.start].chars().rev().find(|c| !between(c));
        let after = self.text[last.end..].chars().find(|c| !between(c));
        before.is_some_and(latin) || after.is_some_and(latin)
    }

    /// Whether a Latin word at `i..end` that is also a common English word stands as a name: a
    /// capital (`Too`, `TOO`; not a word of one letter, as `I` and a sentence's `A` always have
    /// one), an honorific after it (`too-san`, `Tooさん`), an English title before it (`Mr. To`),
    /// or another part of the same person's name or its initial beside it (`To Ichiro`, `ichiro
    /// too`, `I. To`). A capital at the start of a sentence (`Too late`) counts: a name starts a
    /// sentence as often, and a name left is worse than a word cut.
    fn latin_name_marked(&self, p: &Pattern, i: usize, end: usize) -> bool {
        (self.capitalised(i) && self.original(i, end).chars().count() > 1)
            || self.honorific_at(end) > 0
            || self.spaced_honorific_at(end) > 0
            || self.latin_honorific_at(end) > 0
            || self.title_at(end) > 0
            || self.english_title_before(i, 0).is_some()
            || self.latin_partner(p, i, end)
    }

    /// Whether the kanji right before `i` (one to three) and the family name `p` starts with
    /// make a known family name of their own (小 + 林 = 小林). Where they do not (元林, 故林), the
    /// name is taken, as an over-redaction is safer than a name left.
    fn longer_family_before(&self, p: &Pattern, i: usize) -> bool {
        let Some(family) = p.parts.first() else {
            return false;
        };
        if !family.iter().all(|c| super::fold::is_kanji(*c)) {
            return false;
        }
        (1..=3).any(|k| {
            i >= k
                && self.f[i - k..i].iter().all(|f| f.class == Class::Kanji)
                && self
                    .w
                    .surnames
                    .contains_key(&self.cs[i - k..i].iter().chain(family).collect::<String>())
        })
    }

    /// Whether a part of a name recorded elsewhere stands here as a name: before an honorific
    /// or a title, a family name before 宅/家/世帯 where a word starts, after an English title,
    /// or alone in the text (a name field, a cell); a romanised given name also as a word glued
    /// to Japanese text ([`Pattern::given_latin`]).
    fn marked_elsewhere(&self, p: &Pattern, i: usize, end: usize) -> bool {
        self.honorific_at(end) > 0
            || self.spaced_honorific_at(end) > 0
            || self.title_at(end) > 0
            || self.latin_honorific_at(end) > 0
            || (p.family
                && (self.home_at(end) > 0 || self.care_of_at(p, end))
                && self.starts_word(i))
            || (p.script == Script::Latin
                && (self.english_title_before(i, 0).is_some() || self.latin_partner(p, i, end)))
            || (p.given_latin && !self.in_latin_prose(i, end))
            || (self.alone_marks
                && self.f[..i].iter().all(|f| !f.class.is_word())
                && self.f[end..].iter().all(|f| !f.class.is_word()))
            || self.family_as_subject(p, i, end)
    }

    /// A family name in kanji of two or more characters recorded elsewhere, where a phrase
    /// starts and before が, は, も, と, を, に or の (`田中が来所`, `、田中は欠席`: session 14):
    /// the person — not a family name that is also a place (words.toml's `place_surnames`:
    /// `長野は寒い`, `千葉の施設`) or an ordinary word, not inside a longer word (`山田中学校`,
    /// `田中学校が`), not in a meeting's place, an agenda title or a handout (where `中野は` is
    /// the district), and not before へ, で or から (where one goes, where a thing is).
    fn family_as_subject(&self, p: &Pattern, i: usize, end: usize) -> bool {
        if !(self.alone_marks
            && p.family
            && p.script == Script::Kanji
            && p.len >= 2
            && !p.ordinary
            && self.left_boundary(i))
        {
            return false;
        }
        // As written: を folds to オ.
        let subject = end < self.n()
            && self
                .original(end, end + 1)
                .starts_with(['が', 'は', 'も', 'と', 'を', 'に', 'の']);
        let written: String = self.cs[i..end].iter().collect();
        subject && !self.w.place_surnames.contains(&written)
    }

    /// Whether a romanised part of a name recorded elsewhere has another part of the same
    /// person's name beside it, in any of its spellings — `Ichirou Takahashi`, `Takahasi Ichiro`,
    /// `TAKAHASI Itiro` (one part in Hepburn, the other as typed) — or its initial (`I.
    /// Takahashi`, `Takahashi I.`): all of the name (attack report 8, finding 11).
    fn latin_partner(&self, p: &Pattern, i: usize, end: usize) -> bool {
        if !matches!(p.target, Target::Person(_)) {
            return false;
        }
        if self.initial_before(i).is_some() || self.initial_after(end).is_some() {
            return true;
        }
        // The word after, then the word before, a blank or a comma between.
        let mut k = end;
        while k < self.n() && k - end < 3 && self.gap(&self.f[k], Script::Latin) {
            k += 1;
        }
        let after = (k > end).then(|| (k, k + self.latin_word(k)));
        let mut m = i;
        while m > 0 && i - m < 3 && self.gap(&self.f[m - 1], Script::Latin) {
            m -= 1;
        }
        let before = (m < i).then(|| {
            let mut s = m;
            while s > 0 && self.f[s - 1].class == Class::Latin {
                s -= 1;
            }
            (s, m)
        });
        [after, before].into_iter().flatten().any(|(s, e)| {
            e > s
                && self.right_boundary(e)
                && self.left_boundary(s)
                && self.patterns.starting_with(self.cs[s]).iter().any(|q| {
                    q.target == p.target
                        && q.script == Script::Latin
                        && q.parts.len() == 1
                        && q.parts[0] != p.parts[0]
                        && q.parts[0][..] == self.cs[s..e]
                })
        })
    }

    /// An initial and a full stop right before `i` with a blank between (`I. Takahashi`): where
    /// it starts.
    fn initial_before(&self, i: usize) -> Option<usize> {
        let k = i.checked_sub(3)?;
        (self.class(k) == Some(Class::Latin)
            && self.cs[k + 1] == '.'
            && self.class(k + 2) == Some(Class::Space)
            && self.capitalised(k)
            && self.left_boundary(k))
        .then_some(k)
    }

    /// A blank, an initial and a full stop right after `end` (`Takahashi I.`): where it ends.
    fn initial_after(&self, end: usize) -> Option<usize> {
        (self.class(end) == Some(Class::Space)
            && self.class(end + 1) == Some(Class::Latin)
            && self.cs.get(end + 2) == Some(&'.')
            && self.capitalised(end + 1)
            && self.class(end + 3).is_none_or(|c| !c.is_alnum()))
        .then_some(end + 3)
    }

    /// Recorded names and agencies, left to right, the longest form at each place. A name takes
    /// the honorific after it and an English title before it into its placeholder.
    pub fn recorded(&self) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        let mut i = 0;
        let mut last_end = None;
        // Whether the last hit is a bare name that the next may continue.
        let mut open = false;
        // A whole name that is another family's (小林ケンタ for 林 ケンタ): where it ends, and
        // whose it is not — no part of it is that person's.
        let mut other_family: Option<(usize, Target)> = None;
        'outer: while i < self.n() {
            for p in self.patterns.starting_with(self.cs[i]) {
                if other_family.is_some_and(|(e, t)| i < e && t == p.target) {
                    continue;
                }
                let Some((end, spaced)) = self.match_parts(p, i) else {
                    continue;
                };
                // Glued after a kanji that makes a longer known family name with its own, a
                // whole name is another family's (session 11, item 5).
                if p.full && p.parts.len() >= 2 && self.longer_family_before(p, i) {
                    other_family = Some((end, p.target));
                    continue;
                }
                let short_family = self
                    .short_family_given(p, i, end)
                    .or_else(|| self.kana_family_given(p, i, end))
                    .or_else(|| self.given_continues(p, i, end));
                if short_family.is_none() && !self.allowed(p, i, (end, spaced), last_end) {
                    continue;
                }
                let (mut start, mut end) = (i, end);
                let mut found = match p.target {
                    Target::Keep => Found::Keep,
                    Target::Person(n) => Found::Person(n),
                    Target::Ambiguous => Found::Ambiguous,
                };
                // Another person of the family (渡邊 昭, Wang Wei): one name nobody recorded.
                let mut other = None;
                if found != Found::Keep {
                    other = match p.script {
                        Script::Latin if !p.full => {
                            self.latin_beside(i, end, last_end.unwrap_or(0))
                        }
                        _ => self.given_after(p, end).or(short_family).map(|g| (i, g)),
                    };
                }
                if let Some((s, e)) = other {
                    found = Found::Unrecorded(self.word(s, e));
                    (start, end) = (s, e);
                }
                // A member's given name glued to another member's family name (渡邊はなこ for
                // 齋藤 花子 beside 渡邊 太郎): one name, the given name's — not two masks side by
                // side (`B氏A氏`), which tell that two people's names were written there.
                let mut joined = false;
                if other.is_none()
                    && !spaced
                    && matches!(found, Found::Person(_) | Found::Ambiguous)
                    && let Some((e, who)) = self.member_given_after(p, end)
                {
                    found = Found::Person(who);
                    end = e;
                    joined = true;
                }
                let name_end = end;
                if found != Found::Keep {
                    let floor = last_end.unwrap_or(0);
                    if p.script == Script::Latin {
                        start = self.english_title_before(start, floor).unwrap_or(start);
                        // An initial of the other part goes with the name (`I. Takahashi`).
                        if let Some(s) = self.initial_before(start).filter(|&s| s >= floor) {
                            start = s;
                        } else if let Some(e) = self.initial_after(end) {
                            end = e;
                        }
                        end += self.latin_honorific_at(end);
                    }
                    end += match self.honorific_at(end) {
                        0 if spaced => self.spaced_honorific_at(end),
                        h => h,
                    };
                }
                let hit = Hit {
                    start,
                    end,
                    found,
                    kanji_part: !p.full && p.script == Script::Kanji && other.is_none() && !joined,
                    whole_name: (p.full && p.parts.len() >= 2) || other.is_some() || joined,
                };
                // A reading in brackets right after a name of the same person (渡邊（わたなべ）太郎,
                // 渡邊太郎（わたなべたろう）): one mention with the name, the brackets in it — not
                // `B氏（B氏）B氏`.
                if let Some(last) = hits.last_mut()
                    && open
                    && matches!(last.found, Found::Person(_))
                    && last.found == hit.found
                    && start == last.end + 1
                    && in_brackets(self.cs[last.end], self.cs.get(end))
                    && end == name_end
                {
                    last.end = end + 1;
                    last.kanji_part = false;
                    last.whole_name = true;
                    last_end = Some(last.end);
                    i = last.end;
                    continue 'outer;
                }
                // Two forms of one person side by side are one mention (`YAMADA TAROO`, whose
                // parts were matched one by one), unless the first took an honorific or a title
                // (`Lee-san, Lée` are two).
                match hits.last_mut() {
                    Some(last)
                        if open
                            && matches!(last.found, Found::Person(_))
                            && last.found == hit.found
                            && start - last.end <= 4
                            && (last.end..start).all(|k| self.gap(&self.f[k], p.script)) =>
                    {
                        last.end = end;
                        last.kanji_part = false;
                        last.whole_name = true;
                    }
                    _ => hits.push(hit),
                }
                open = end == name_end && start == i && other.is_none();
                last_end = Some(end);
                i = end;
                continue 'outer;
            }
            i += 1;
        }
        hits
    }

    /// The regions between hits: `(start, end)`.
    fn regions(&self, hits: &[Hit]) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(hits.len() + 1);
        let mut a = 0;
        for h in hits {
            if h.start > a {
                out.push((a, h.start));
            }
            a = h.end;
        }
        if a < self.n() {
            out.push((a, self.n()));
        }
        out
    }

    /// The word that ends at `j` within `floor..j`: its start, end and script.
    fn word_before(&self, j: usize, floor: usize) -> Option<(usize, usize, Class)> {
        // A blank or two may stand between a name and its honorific (`Lee san`, `田中 さん`).
        let mut e = j;
        while e > floor && j - e < 2 && self.f[e - 1].class == Class::Space {
            e -= 1;
        }
        if e == floor || !self.f[e - 1].class.is_word() {
            e = j;
        }
        if e <= floor {
            return None;
        }
        let class = self.f[e - 1].class;
        if !matches!(
            class,
            Class::Kanji | Class::Katakana | Class::Hiragana | Class::Latin
        ) {
            return None;
        }
        let mut k = e;
        loop {
            while k > floor && self.f[k - 1].class == class {
                k -= 1;
            }
            let joined = match class {
                // アン・リー
                Class::Katakana => {
                    k >= floor + 2 && self.cs[k - 1] == '・' && self.f[k - 2].class == class
                }
                // John Smith
                Class::Latin => {
                    k >= floor + 2
                        && self.f[k - 1].class == Class::Space
                        && self.f[k - 2].class == class
                        && self.capitalised(k)
                }
                _ => false,
            };
            if !joined {
                break;
            }
            let mut m = k - 1;
            while m > floor && self.f[m - 1].class == class {
                m -= 1;
            }
            if class == Class::Latin && !self.capitalised(m) {
                break;
            }
            k -= 1;
        }
        // 均等割り: single characters with blanks between them are one word (`木 下 さん`).
        if class != Class::Latin && e - k == 1 {
            loop {
                let mut m = k;
                while m > floor && k - m < 2 && self.f[m - 1].class == Class::Space {
                    m -= 1;
                }
                let single = m > floor
                    && m < k
                    && self.f[m - 1].class == class
                    && (m - 1 == floor || self.f[m - 2].class != class);
                if !single {
                    break;
                }
                k = m - 1;
            }
        }
        // A family name a blank before the given name (`田中 太郎さん`, `ジョン スミスさん`): a word
        // of one to four characters of the same script that starts a phrase and is no listed
        // word (本日 太郎さん keeps 本日).
        if matches!(class, Class::Kanji | Class::Katakana) {
            let mut m = k;
            while m > floor && k - m < 2 && self.f[m - 1].class == Class::Space {
                m -= 1;
            }
            let mut s = m;
            while s > floor && self.f[s - 1].class == class {
                s -= 1;
            }
            let starts_phrase = s == 0 || !self.f[s - 1].class.is_word();
            let word = self.word(s, m);
            let listed = self.w.not_a_name(&word)
                || self.w.is_leading_word(&self.cs[s..m])
                || self
                    .w
                    .agency_markers
                    .iter()
                    .any(|a| word.ends_with(a.as_str()))
                || self.title_at(s) == m - s;
            if m < k && (1..=4).contains(&(m - s)) && starts_phrase && !listed {
                k = s;
            }
        }
        Some((k, e, class))
    }

    fn word(&self, start: usize, end: usize) -> String {
        self.cs[start..end].iter().collect()
    }

    /// The word `start..end` without the blanks a spaced-out word has inside it.
    fn squeezed(&self, start: usize, end: usize) -> String {
        self.f[start..end]
            .iter()
            .filter(|c| c.class != Class::Space)
            .map(|c| c.c)
            .collect()
    }

    /// Strips leading words (本日, 長男 …) from a kanji run, keeping at least one character.
    fn strip_leading(&self, mut s: usize, e: usize) -> usize {
        while let Some(l) = starts_with_any(&self.cs[s..e], &self.w.leading_words) {
            if s + l >= e {
                break;
            }
            s += l;
        }
        s
    }

    /// Whether the katakana word `s..e` ends a word of kanji and katakana that is no name
    /// (子家センさん: 子家セン, the 子ども家庭支援センター).
    fn ends_a_compound(&self, s: usize, e: usize, class: Class) -> bool {
        if class != Class::Katakana || s == 0 || self.class(s - 1) != Some(Class::Kanji) {
            return false;
        }
        let mut k = s;
        while k > 0 && s - k < 8 && self.class(k - 1) == Some(Class::Kanji) {
            k -= 1;
        }
        (k..s).any(|from| {
            let compound = self.squeezed(from, e);
            self.w.not_a_name(&compound)
                || self
                    .w
                    .agency_markers
                    .iter()
                    .any(|m| compound.ends_with(m.as_str()))
        })
    }

    /// Where a known family name in kanji starts that the katakana word at `s` is glued to
    /// (鈴木ハナ), when one is: the whole word of kanji before it, after a boundary.
    fn family_before(&self, s: usize, class: Class, floor: usize) -> Option<usize> {
        if class != Class::Katakana {
            return None;
        }
        let mut k = s;
        while k > floor
            && s - k <= self.w.longest_surname
            && self.class(k - 1) == Some(Class::Kanji)
        {
            k -= 1;
        }
        let alone =
            k == 0 || !self.f[k - 1].class.is_word() || self.class(k - 1) == Some(Class::Hiragana);
        (k < s && alone && self.w.surnames.contains_key(&self.word(k, s))).then_some(k)
    }

    /// A part of a recorded name in kanji (大輔 of an attendee 山本 大輔) glued after a known
    /// family name of two or more kanji where a word starts (`木下大輔さん`, `木下大輔が来所`): one
    /// name nobody recorded, replaced whole — not the recorded person with the family name
    /// left beside the placeholder (`木下A氏`: session 14). A family name written as the
    /// person's own is the whole name, found as such before this.
    fn family_glued_before(&self, hits: &mut [Hit]) {
        for k in 0..hits.len() {
            let (start, end) = (hits[k].start, hits[k].end);
            if !hits[k].kanji_part
                || !matches!(hits[k].found, Found::Person(_))
                || self.class(start) != Some(Class::Kanji)
            {
                continue;
            }
            let floor = match k.checked_sub(1) {
                Some(j) => hits[j].end,
                None => 0,
            };
            let mut s = start;
            while s > floor
                && start - s < self.w.longest_surname
                && self.class(s - 1) == Some(Class::Kanji)
            {
                s -= 1;
            }
            // The longest known family name that ends where the part starts.
            let family = (s..start.saturating_sub(1)).find(|&f| {
                self.starts_word(f) && self.w.surnames.contains_key(&self.word(f, start))
            });
            let Some(f) = family else {
                continue;
            };
            let name_end = end - self.honorific_len_back(end);
            hits[k] = Hit {
                start: f,
                end,
                found: Found::Unrecorded(self.word(f, name_end)),
                kanji_part: false,
                whole_name: false,
            };
        }
    }

    /// Where a given name half in hiragana starts whose kanji `s..e` stand before an honorific
    /// (はな子さん, みち代さん): one or two kanji after two or three hiragana that start a phrase.
    /// The kanji alone are no name (子), so the word was left unwarned, a name in plain sight
    /// (attack on the S世帯 case, 2026-12-05).
    fn hiragana_lead(&self, s: usize, e: usize, class: Class, floor: usize) -> Option<usize> {
        if class != Class::Kanji || e - s > 2 {
            return None;
        }
        let mut k = s;
        while k > floor && s - k < 4 && self.class(k - 1) == Some(Class::Hiragana) {
            k -= 1;
        }
        ((2..=3).contains(&(s - k)) && self.left_boundary(k) && self.particle_at(k) == 0)
            .then_some(k)
    }

    /// Whether the word `s..e` before an honorific is a name.
    fn decide(&self, s: usize, e: usize, class: Class) -> Decision {
        let w = self.w;
        let whole = self.squeezed(s, e);
        let prefixed = s > 0
            && self.class(s - 1) == Some(Class::Hiragana)
            && matches!(self.cs[s - 1], 'オ' | 'ゴ');
        match class {
            Class::Kanji | Class::Katakana => {
                if prefixed
                    || self.cs[s] == '御'
                    || w.not_a_name(&whole)
                    || self.ends_a_compound(s, e, class)
                {
                    return Decision::NotName;
                }
                let s2 = self.strip_leading(s, e);
                let rest = self.squeezed(s2, e);
                // A trade (新聞屋さん, 電気屋さん): a word of three or more ending in 屋.
                let trade = rest.ends_with('屋') && rest.chars().count() >= 3;
                if w.not_a_name(&rest)
                    || trade
                    || w.agency_markers.iter().any(|m| rest.ends_with(m.as_str()))
                {
                    return Decision::NotName;
                }
                // A role word of two or more characters at its end, after something (○○委員).
                let chars: Vec<char> = rest.chars().collect();
                let ends_in_role = (1..chars.len()).any(|k| {
                    chars.len() - k >= 2 && w.not_a_name(&chars[k..].iter().collect::<String>())
                });
                if ends_in_role {
                    return Decision::Warn(s2);
                }
                Decision::Name(s2)
            }
            Class::Latin => {
                // A title or role in Latin letters (CWさん, SSWさん) is no name either.
                let word = self.word(s, e);
                if e - s == 1 || w.english_titles.contains(&word) || w.not_a_name(&word) {
                    Decision::NotName
                } else {
                    Decision::Name(s)
                }
            }
            Class::Hiragana => {
                if s > 0 && self.class(s - 1) == Some(Class::Kanji) {
                    return Decision::NotName;
                }
                let mut s2 = s;
                let p = self.particle_at(s2);
                let spaced = self.f[s..e].iter().any(|c| c.class == Class::Space);
                if p > 0 && e - (s2 + p) >= 2 && !spaced {
                    s2 += p;
                }
                let rest = self.squeezed(s2, e);
                let len = rest.chars().count();
                if matches!(self.cs[s2], 'オ' | 'ゴ') || w.not_a_name(&rest) || len < 2 {
                    return Decision::NotName;
                }
                if len > 4 {
                    return Decision::Warn(s2);
                }
                Decision::Name(s2)
            }
            _ => Decision::NotName,
        }
    }

    /// Names nobody recorded: a word before an honorific, or after an English title.
    fn unrecorded(&self, hits: &mut Vec<Hit>, out: &mut Findings) {
        let mut found: Vec<Hit> = Vec::new();
        for (a, b) in self.regions(hits) {
            let mut j = a;
            // Where the last name found ends: no name found later starts before it.
            let mut floor = a;
            while j < b {
                let mut h = self.honorific_at(j);
                if h == 0 && j > a && self.f[j - 1].class == Class::Latin {
                    h = self.latin_honorific_at(j);
                }
                // A relation beside a name marks it (鈴木 次郎（叔父）, 叔父・鈴木次郎): the hit is
                // the name; the relation stays.
                if h == 0
                    && let Some((hit, next)) = self.relative(j, floor, b)
                {
                    if let Some(hit) = hit {
                        floor = hit.end;
                        found.push(hit);
                    }
                    j = next;
                    continue;
                }
                if h == 0 || j == a {
                    if let Some(hit) = self.after_english_title(j, a, b) {
                        j = hit.end;
                        floor = j;
                        found.push(hit);
                        continue;
                    }
                    j += 1;
                    continue;
                }
                let Some((s, e, class)) = self.word_before(j, floor) else {
                    j += 1;
                    continue;
                };
                // A known family name in kanji before a given name in katakana (鈴木ハナさん).
                let s = self.family_before(s, class, floor).unwrap_or(s);
                if class == Class::Latin
                    && e - s == 1
                    && self.capitalised(s)
                    && self.cs[s].is_ascii_lowercase()
                {
                    out.pseudonyms.push(usize::from(self.cs[s] as u8 - b'a'));
                }
                match self.decide(s, e, class) {
                    Decision::Name(start) => {
                        floor = j + h;
                        let found_as = match self.nickname_of(start, e, j) {
                            Some(who) => Found::Person(who),
                            None => Found::Unrecorded(self.word(start, e)),
                        };
                        found.push(Hit {
                            start,
                            end: j + h,
                            found: found_as,
                            kanji_part: false,
                            whole_name: false,
                        });
                    }
                    Decision::Warn(start) => out.suspects.push(Suspicion {
                        start,
                        end: j + h,
                        kind: SuspectKind::BeforeHonorific,
                    }),
                    Decision::NotName => {
                        if let Some(start) = self.hiragana_lead(s, e, class, floor) {
                            out.suspects.push(Suspicion {
                                start,
                                end: j + h,
                                kind: SuspectKind::BeforeHonorific,
                            });
                        }
                    }
                }
                j += h;
            }
        }
        for hit in found {
            // 山田 (a recorded part) right before 太郎さん: one name nobody recorded, 山田太郎.
            let before = hits.iter().position(|h| h.end == hit.start);
            match before {
                Some(k) if hits[k].kanji_part && self.class(hit.start) == Some(Class::Kanji) => {
                    let start = hits[k].start;
                    let name_end = hit.end - self.honorific_len_back(hit.end);
                    hits[k] = Hit {
                        start,
                        end: hit.end,
                        found: Found::Unrecorded(self.word(start, name_end)),
                        kanji_part: false,
                        whole_name: false,
                    };
                }
                _ => hits.push(hit),
            }
        }
        hits.sort_by_key(|h| h.start);
    }

    /// Whether a recorded name found here stands as a person's name by what is written with
    /// it: all of a name of two or more parts, an honorific taken in (高橋氏の会社), or a title
    /// or a household word after it, blanks allowed between (髙橋係長, 高橋 CW, 高橋宅) — where a
    /// part alone before another word (ヤマダ電機) may be an agency's name.
    pub fn marked_as_name(&self, hit: &Hit) -> bool {
        if hit.whole_name || self.honorific_len_back(hit.end) > 0 {
            return true;
        }
        let mut j = hit.end;
        while j - hit.end < 2 && self.class(j) == Some(Class::Space) {
            j += 1;
        }
        // 家 or 宅 that begins a longer word (高橋家庭裁判所) marks no home.
        let home = starts_with_any(&self.cs[j.min(self.n())..], &self.w.household)
            .is_some_and(|l| self.class(j + l) != Some(Class::Kanji));
        // 方 after a name of two or more characters (髙橋方): the care of a home.
        let care_of = hit.end - hit.start >= 2
            && self.cs.get(j) == Some(&'方')
            && self.class(j + 1) != Some(Class::Kanji);
        self.title_at(j) > 0 || home || care_of
    }

    /// The length of the honorific that ends at `end`.
    fn honorific_len_back(&self, end: usize) -> usize {
        self.w
            .honorifics
            .iter()
            .find(|h| end >= h.len() && self.cs[end - h.len()..end] == h[..])
            .map_or(0, Vec::len)
    }

    /// `Ms. Lee`, `Dr John Smith` at `j`: a title, then capitalised words.
    fn after_english_title(&self, j: usize, a: usize, b: usize) -> Option<Hit> {
        if self.class(j) != Some(Class::Latin) || (j > a && self.f[j - 1].class.is_alnum()) {
            return None;
        }
        let t = self.latin_word(j);
        let title: String = self.cs[j..j + t].iter().collect();
        if !self.w.english_titles.contains(&title) {
            return None;
        }
        let mut k = j + t;
        if self.cs.get(k) == Some(&'.') {
            k += 1;
        }
        let mut end = None;
        for _ in 0..3 {
            let mut m = k;
            while m < b && self.f[m].class == Class::Space && m - k < 2 {
                m += 1;
            }
            let len = self.latin_word(m);
            if m == k || len < 2 || m + len > b || !self.capitalised(m) {
                break;
            }
            end = Some(m + len);
            k = m + len;
        }
        let end = end?;
        let name_start =
            (j + t..end).find(|&m| self.capitalised(m) && self.f[m - 1].class == Class::Space)?;
        Some(Hit {
            start: j,
            end,
            found: Found::Unrecorded(self.word(name_start, end)),
            kanji_part: false,
            whole_name: false,
        })
    }

    /// What still looks like a name where nothing was replaced.
    fn warnings(&self, hits: &[Hit], out: &mut Findings) {
        let w = self.w;
        for (a, b) in self.regions(hits) {
            let mut j = a;
            while j < b {
                if let Some(end) = self.given_reading_warned(j, b) {
                    out.suspects.push(Suspicion {
                        start: j,
                        end,
                        kind: SuspectKind::GivenReading,
                    });
                    j = end;
                    continue;
                }
                if let Some(end) = self.latin_pair(j, a, b) {
                    out.suspects.push(Suspicion {
                        start: j,
                        end,
                        kind: SuspectKind::LatinPair,
                    });
                    j = end;
                    continue;
                }
                let t = self.title_at(j);
                if t > 0 {
                    if let Some((s2, e, rest)) = self.kanji_word_before(j, a) {
                        let known = w.not_a_name(&rest)
                            || w.is_leading_word(&self.cs[s2..e])
                            || w.agency_markers.iter().any(|m| rest.ends_with(m.as_str()));
                        if !known && e - s2 <= 4 {
                            out.suspects.push(Suspicion {
                                start: s2,
                                end: j + t,
                                kind: SuspectKind::BeforeTitle,
                            });
                        }
                    }
                    j += t;
                    continue;
                }
                if let Some(hl) = starts_with_any(&self.cs[j..b], &w.household) {
                    let compound = self.class(j + hl) == Some(Class::Kanji);
                    if let (false, Some((s2, e, rest))) = (compound, self.kanji_word_before(j, a)) {
                        let family =
                            family_prefix(&rest).is_some() || w.surnames.contains_key(&rest);
                        if family && (2..=4).contains(&(e - s2)) && !w.not_a_name(&rest) {
                            out.suspects.push(Suspicion {
                                start: s2,
                                end: j + hl,
                                kind: SuspectKind::Household,
                            });
                        }
                    }
                    j += hl;
                    continue;
                }
                j += 1;
            }
        }
    }

    /// A given name's guessed reading in hiragana at `j` where a name stands
    /// ([`Scan::guessed_reading_alone`]): where it ends, warned about.
    fn given_reading_warned(&self, j: usize, b: usize) -> Option<usize> {
        if self.class(j) != Some(Class::Hiragana) {
            return None;
        }
        self.patterns
            .starting_with(self.cs[j])
            .iter()
            .find_map(|p| {
                let (end, spaced) = self.match_parts(p, j)?;
                let warned =
                    !spaced && end <= b && self.guessed_reading_alone(p, j, end) == Some(false);
                warned.then_some(end)
            })
    }

    /// The kanji word that ends at `j` within `floor..j`, without leading words (本日, 担当 …):
    /// its start, end and folded text.
    fn kanji_word_before(&self, j: usize, floor: usize) -> Option<(usize, usize, String)> {
        match self.word_before(j, floor)? {
            (s, e, Class::Kanji) => {
                let s2 = self.strip_leading(s, e);
                Some((s2, e, self.word(s2, e)))
            }
            _ => None,
        }
    }

    /// Two capitalised Latin words at `j` (John Smith): where they end.
    fn latin_pair(&self, j: usize, a: usize, b: usize) -> Option<usize> {
        if self.f[j].class != Class::Latin
            || (j > a && self.f[j - 1].class.is_alnum())
            || !self.capitalised(j)
        {
            return None;
        }
        let first = self.latin_word(j);
        if first < 2 {
            return None;
        }
        let mut m = j + first;
        while m < b && self.f[m].class == Class::Space && m - (j + first) < 2 {
            m += 1;
        }
        let second = self.latin_word(m);
        let is_title = |s: usize, l: usize| self.w.english_titles.contains(&self.word(s, s + l));
        (m > j + first
            && second >= 2
            && m + second <= b
            && self.capitalised(m)
            && !is_title(j, first))
        .then_some(m + second)
    }

    /// Everything in this text.
    pub fn run(&self) -> Findings {
        let mut out = Findings::default();
        let mut hits = self.recorded();
        self.family_glued_before(&mut hits);
        self.unrecorded(&mut hits, &mut out);
        self.warnings(&hits, &mut out);
        out.hits = hits;
        out
    }
}
