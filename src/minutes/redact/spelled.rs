//! Whether a text that is printed as it stands in every redacted copy — a case's pseudonym —
//! spells a person's name in any form redaction knows (session 13; attack report 12, finding
//! 13): the name in kanji, a part of it, its reading in kana of either script and width, its
//! romanisations, and the readings guessed for a given name recorded without one
//! ([`super::guess`]: イチロウ, いちろう, ｲﾁﾛｳ, Ichiro for 山田 一郎). A name in kanji counts
//! wherever it stands in the text (一郎世帯); one in kana only where no more kana is glued to it
//! (イチロウ世帯, not ケースA for a ケイ); one in Latin letters only as a whole word.

use super::fold::{Class, fold};
use super::patterns::{Patterns, Script, Target};

/// Whether `text` holds a form of a name among `patterns` (a person's, or a form several people
/// share; never an agency's), of two or more characters.
pub(super) fn spells_name(patterns: &Patterns, text: &str) -> bool {
    // The folded text without blanks, each character with whether a blank stood before it.
    let mut key: Vec<(char, Class, bool)> = Vec::new();
    let mut blank = true;
    for f in fold(text) {
        if f.class == Class::Space {
            blank = true;
            continue;
        }
        key.push((f.c, f.class, blank));
        blank = false;
    }
    let chars: Vec<char> = key.iter().map(|k| k.0).collect();
    let edge = |at: usize, glued: fn(Class) -> bool| {
        at == 0 || at >= key.len() || key[at].2 || !(glued(key[at - 1].1) && glued(key[at].1))
    };
    patterns
        .all()
        .filter(|p| p.target != Target::Keep)
        .any(|p| {
            let form: Vec<char> = p.parts.concat();
            if form.len() < 2 || form.len() > chars.len() {
                return false;
            }
            (0..=chars.len() - form.len()).any(|s| {
                let e = s + form.len();
                chars[s..e] == form[..]
                    && match p.script {
                        Script::Kanji => true,
                        Script::Kana => edge(s, Class::is_kana) && edge(e, Class::is_kana),
                        Script::Latin => edge(s, Class::is_alnum) && edge(e, Class::is_alnum),
                    }
            })
        })
}
