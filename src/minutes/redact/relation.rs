//! A household member's relation (続柄) in a redacted case record: the column says how a member
//! stands to the household, and sometimes holds a name typed beside the relation when the
//! member's own name was not known (`内縁の夫・ｼﾝｼﾞ`, `父（ケンジ）`) — a name recorded nowhere,
//! which the text's redaction has nothing to find it by (attack of 2026-12-05, round 31a,
//! finding 5). So the column is read as what it should hold: relations (内縁の夫, 母方祖母, 父の弟)
//! and the notes a household table gives beside them (同居, 12歳, 中2, 死亡), joined by blanks,
//! brackets and dots. A piece of anything else is withheld: a recorded person's letter, else the
//! mark of a name nobody recorded (某氏).

use super::fold::fold_key;
use super::patterns::Target;
use super::words::words;
use super::{Redactor, is_relation, whole_person};

impl Redactor {
    /// A member's relation, its relations and household notes kept, anything else withheld.
    pub fn relation_field(&mut self, text: &str) -> String {
        let pieces = pieces(text);
        let mut out = String::with_capacity(text.len());
        let mut written = 0;
        let mut k = 0;
        while k < pieces.len() {
            let (start, end) = pieces[k];
            out.push_str(&text[written..start]);
            // A recorded person written over a blank or a dot (林 花子, 林・花子) is one person.
            let over = (k + 1..pieces.len().min(k + NAME_PIECES))
                .rev()
                .find_map(
                    |m| match whole_person(&self.patterns, &text[start..pieces[m].1]) {
                        Some(Target::Person(person)) => Some((m, person)),
                        _ => None,
                    },
                );
            if let Some((m, person)) = over {
                out.push_str(&self.placeholder(person));
                written = pieces[m].1;
                k = m + 1;
                continue;
            }
            out.push_str(&self.relation_piece(&text[start..end]));
            written = end;
            k += 1;
        }
        out.push_str(&text[written..]);
        out
    }

    /// A piece of a relation between joiners: a recorded person's letter when it is one; kept
    /// when it is made of relations, household notes and numbers only; relations at its start
    /// kept before anything else in it (`内縁の夫ｼﾝｼﾞ`, `父のケンジ`: the relation, then the name
    /// withheld); otherwise withheld whole.
    fn relation_piece(&mut self, piece: &str) -> String {
        if let Some(Target::Person(person)) = whole_person(&self.patterns, piece) {
            return self.placeholder(person);
        }
        let chars: Vec<char> = piece.chars().collect();
        if covered(&chars) {
            return piece.to_owned();
        }
        if let Some(n) = leading_relations(&chars) {
            let head: String = chars[..n].iter().collect();
            let rest: String = chars[n..].iter().collect();
            return head + &self.withheld_piece(&rest);
        }
        self.withheld_piece(piece)
    }

    /// A piece that is no relation: a recorded person's letter, else the mark of a name.
    fn withheld_piece(&mut self, piece: &str) -> String {
        match whole_person(&self.patterns, piece) {
            Some(Target::Person(person)) => self.placeholder(person),
            _ => self.ambiguous(),
        }
    }
}

/// The most pieces a recorded person's name is read over (林 花子, 林・花子, 林 花子 はなこ).
const NAME_PIECES: usize = 4;

/// The byte ranges of `text` between its joiners.
fn pieces(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        if joins(c) {
            if let Some(s) = start.take() {
                out.push((s, at));
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// What joins the relations and notes of a relation column: blanks, brackets, dots, commas,
/// slashes, colons and dashes between them (`内縁の夫・同居`, `父（別居）`, `長男/12歳`).
fn joins(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '・' | '･'
                | '、'
                | '，'
                | ','
                | '。'
                | '/'
                | '／'
                | '('
                | ')'
                | '（'
                | '）'
                | '['
                | ']'
                | '［'
                | '］'
                | '「'
                | '」'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | ':'
                | '：'
                | '-'
                | '－'
                | '~'
                | '〜'
                | '～'
                | '+'
                | '＋'
                | '&'
                | '＆'
        )
}

/// Whether `chars` is a relation or a household note, folded (長男, 内縁の夫, 母方祖母, 同居), or
/// the の that chains relations (父の弟).
fn is_kept_word(chars: &[char]) -> bool {
    let text: String = chars.iter().collect();
    text == "の" || is_relation(&text) || words().relation_notes.contains(&fold_key(&text))
}

/// The longest word a relation column keeps, in characters.
fn longest_word() -> usize {
    let w = words();
    w.longest_relation.max(w.longest_relation_note)
}

/// Whether `chars` is made entirely of relations, household notes and numbers with their
/// units (長男12歳, 父の弟, 中2, 40代): read as a chain of them, any chain.
fn covered(chars: &[char]) -> bool {
    let w = words();
    let longest = longest_word();
    let mut reached = vec![false; chars.len() + 1];
    reached[0] = true;
    for i in 0..chars.len() {
        if !reached[i] {
            continue;
        }
        let grade = w.relation_grades.contains(&fold_key(&chars[i].to_string()));
        let digits_from = if grade { i + 1 } else { i };
        let digits = numbers(&chars[digits_from.min(chars.len())..]);
        if digits > 0 {
            let end = digits_from + digits;
            reached[end] = true;
            for unit in &w.relation_units {
                let Some(after) = chars.get(end..end + unit.len()) else {
                    continue;
                };
                if fold_key(&after.iter().collect::<String>()) == unit.iter().collect::<String>() {
                    reached[end + unit.len()] = true;
                }
            }
        }
        for n in 1..=longest.min(chars.len() - i) {
            if is_kept_word(&chars[i..i + n]) {
                reached[i + n] = true;
            }
        }
    }
    reached[chars.len()]
}

/// How many characters of numbers `chars` begins with (12, １２, 2.5).
fn numbers(chars: &[char]) -> usize {
    let n = chars
        .iter()
        .take_while(|c| c.is_numeric() || matches!(c, '.' | '．'))
        .count();
    if chars.first().is_some_and(|c| c.is_numeric()) {
        n
    } else {
        0
    }
}

/// How many characters the relations and notes at the start of `chars` take, when they take
/// two characters or more (内縁の夫, 長男, 父の): one character (父, 子) may as well be the first
/// of a name (夫美子, 子之吉), so a piece beginning with one alone is withheld whole.
fn leading_relations(chars: &[char]) -> Option<usize> {
    (2..chars.len()).rev().find(|&n| covered(&chars[..n]))
}
