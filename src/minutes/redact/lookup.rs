//! Looking up, among everyone a database recorded, the few a document may name (attack report 6,
//! finding 14): each recorded text is kept under the keys of its forms (the folded forms the
//! scanner looks for: [`person_keys`]) and a document asks for the keys it holds
//! ([`DocumentKeys`]), so that a redaction builds patterns for the people it may meet, never for
//! everyone — its memory and time follow the document, not the database.

use std::collections::HashSet;

use super::fold::{Class, FoldedChar, fold};
use super::patterns::Patterns;
use super::people::Person;

/// The key of a whole name's form (its parts joined, folded, without blanks).
pub const WHOLE: char = 'w';
/// The key of one part's form (a family name, a given name, a reading, a romanisation).
pub const PART: char = 'p';

/// The keying of `recorded_keys`, kept there as a key of no text: a database keyed by a build
/// that folded otherwise (keying 2: 凜=凛, 藪=薮, 之=ノ between kanji, attack report 8, finding
/// 13; keying 3: a romanised word spelt one way, Satoh = sato, and the variant kanji of
/// variants.txt, session 11; keying 4: the readings guessed for a given name recorded without
/// one, session 13; keying 5: a name's parts split at a character that shows
/// nothing between them, or unspaced after a known family name or its reading; ヶ written ケ, ヵ,
/// カ, か, 箇 or 个 between kanji, session 32) has every recorded text keyed again at
/// its next redacting read.
/// Change it whenever the keys of a recorded text change. A key the scanner makes starts with
/// [`WHOLE`] or [`PART`].
pub const KEYING: &str = "#keying-5";

/// The longest part looked up, in folded characters (a family name in kanji is at most 5, a
/// reading in kana 8, a romanisation 12).
const LONGEST_PART: usize = 12;
/// The longest whole name looked up (a romanised name of three long parts).
const LONGEST_WHOLE: usize = 40;

/// The keys of every form the scanner finds `person` by: [`WHOLE`] and the parts joined for the
/// forms of two or more parts, [`PART`] and the part for the others — the forms the person has
/// as one of a document's own people, so that the readings guessed for a given name recorded
/// without one are keys too (session 13): a table's cell holding only `ケンタ` or `ヤマダケンタ`
/// finds the household's 山田 健太, whom the table's masker then takes by every form.
pub fn person_keys(person: &Person) -> Vec<String> {
    let own = Person {
        kind: super::PersonKind::Household,
        ..person.clone()
    };
    let patterns = Patterns::build(std::slice::from_ref(&own), &[]);
    let mut out: Vec<String> = patterns
        .all()
        .map(|p| {
            let kind = if p.parts.len() >= 2 { WHOLE } else { PART };
            std::iter::once(kind)
                .chain(p.parts.iter().flatten().copied())
                .collect()
        })
        .filter(|k: &String| k.chars().count() >= 2)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The keys a document may hold a recorded person by: its text folded as the scanner folds it,
/// blanks and the separators of a spaced-out name left out.
pub struct DocumentKeys {
    /// Runs of word characters (folded), each with whether a character starts a Latin word.
    runs: Vec<Vec<(char, bool)>>,
}

/// Separators a name spaced out may have between its characters (`ヤ・マ・ダ`, `山-田`).
fn separator(f: &FoldedChar) -> bool {
    f.class == Class::Space || (f.class == Class::Other && "・-_./".contains(f.c))
}

impl DocumentKeys {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> DocumentKeys {
        let mut runs = Vec::new();
        for text in texts {
            let folded = fold(text);
            let mut run: Vec<(char, bool)> = Vec::new();
            let mut latin_before = false;
            for f in &folded {
                if f.class.is_word() {
                    let latin = f.class == Class::Latin;
                    run.push((f.c, latin && !latin_before));
                    latin_before = latin;
                } else {
                    latin_before = false;
                    if !separator(f) && !run.is_empty() {
                        runs.push(std::mem::take(&mut run));
                    }
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
        }
        DocumentKeys { runs }
    }

    /// Every part key the document holds, each with where it starts (run, index): for a Latin
    /// word the word whole, elsewhere every stretch of up to [`LONGEST_PART`] characters — from
    /// each start one after another, each a character longer than the one before.
    pub fn parts(&self) -> Vec<((usize, usize), String)> {
        let mut out = Vec::new();
        for (r, run) in self.runs.iter().enumerate() {
            for i in 0..run.len() {
                let (c, latin_start) = run[i];
                if c.is_ascii_alphabetic() {
                    if latin_start {
                        // To the next word's start: the blanks between are left out.
                        let word: String = std::iter::once(PART)
                            .chain(std::iter::once(c))
                            .chain(
                                run[i + 1..]
                                    .iter()
                                    .take_while(|(c, start)| c.is_ascii_alphabetic() && !start)
                                    .map(|(c, _)| *c),
                            )
                            .collect();
                        out.push(((r, i), word));
                    }
                    continue;
                }
                let mut key = String::from(PART);
                for &(c, _) in run[i..].iter().take(LONGEST_PART) {
                    if c.is_ascii_alphanumeric() {
                        break;
                    }
                    key.push(c);
                    out.push(((r, i), key.clone()));
                }
            }
        }
        out
    }

    /// The whole-name keys that start where a part was found (`starts`): a whole name starts
    /// with one of its parts. In order, so that the keys going on from a key follow it.
    pub fn wholes(&self, starts: &HashSet<(usize, usize)>) -> Vec<String> {
        let mut out = Vec::new();
        for &(r, i) in starts {
            let Some(run) = self.runs.get(r) else {
                continue;
            };
            let mut key = String::from(WHOLE);
            for (n, &(c, _)) in run[i.min(run.len())..]
                .iter()
                .take(LONGEST_WHOLE)
                .enumerate()
            {
                key.push(c);
                if n >= 1 {
                    out.push(key.clone());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minutes::redact::PersonKind;

    fn keys_of(name: &str) -> Vec<String> {
        person_keys(&Person::from_field(name, PersonKind::Recorded).unwrap())
    }

    /// Every form of a recorded name the scanner finds is a key the document holds where the
    /// form is written: whole, spaced out, reversed, in the reading and romanised.
    #[test]
    fn a_document_holds_the_keys_of_the_forms_written_in_it() {
        let keys = keys_of("広島 優（ヒロシマ ユウ）");
        for written in [
            "広島優",
            "広 島 優",
            "優 広島",
            "ひろしま ゆう",
            "ヒロシマ・ユウ",
            "Hiroshima Yuu",
        ] {
            let doc = DocumentKeys::new([written]);
            let parts = doc.parts();
            let starts: HashSet<(usize, usize)> = parts
                .iter()
                .filter(|(_, k)| keys.contains(k))
                .map(|(s, _)| *s)
                .collect();
            let wholes = doc.wholes(&starts);
            assert!(
                wholes.iter().any(|k| keys.contains(k)),
                "{written}: {keys:?} {wholes:?}"
            );
        }
        let doc = DocumentKeys::new(["千葉県の施設。Moved from Chiba"]);
        let parts: Vec<String> = doc.parts().into_iter().map(|(_, k)| k).collect();
        // Chiba reads as romaji: spelt one way (tiba), as its forms are.
        for key in ["p千葉", "p千葉県", "ptiba", "pmoved"] {
            assert!(parts.contains(&key.to_owned()), "{key} in {parts:?}");
        }
        assert!(!parts.contains(&"pti".to_owned()));
    }
}
