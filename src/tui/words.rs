//! The words of the screens, in one catalogue (src/tui/words.toml) in Japanese and English.

use std::sync::OnceLock;

#[cfg(test)]
use crate::i18n::Pair;
use crate::i18n::{Catalogue, Lang};
#[cfg(test)]
use std::collections::HashMap;

fn catalogue() -> &'static Catalogue {
    static WORDS: OnceLock<Catalogue> = OnceLock::new();
    WORDS.get_or_init(|| Catalogue::parse(include_str!("words.toml")).unwrap_or_default())
}

/// The word for `key`; an unknown key shows itself, so a missing word is visible, never a crash.
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    catalogue().word(lang, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_parses_and_every_word_has_both_languages() {
        let words: HashMap<String, Pair> = toml::from_str(include_str!("words.toml")).unwrap();
        assert!(words.len() > 50);
        for (key, pair) in &words {
            assert!(!pair.ja.trim().is_empty(), "{key} has no Japanese");
            assert!(!pair.en.trim().is_empty(), "{key} has no English");
        }
    }

    #[test]
    fn every_key_used_in_the_code_exists() {
        let words: HashMap<String, Pair> = toml::from_str(include_str!("words.toml")).unwrap();
        let sources = [
            include_str!("app.rs"),
            include_str!("mod.rs"),
            include_str!("views/home.rs"),
            include_str!("views/bodies.rs"),
            include_str!("views/meeting.rs"),
            include_str!("views/actions.rs"),
            include_str!("views/chrome.rs"),
            include_str!("views/minutes.rs"),
        ];
        for source in sources {
            for (i, _) in source.match_indices("tr(") {
                let before = source[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                // tr(lang, "key") with the language as a plain path: lang, app.lang, self.lang.
                let rest = &source[i + 3..];
                let Some((arg, tail)) = rest.split_once(", \"") else {
                    continue;
                };
                if !arg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
                {
                    continue;
                }
                let Some(end) = tail.find('"') else { continue };
                let key = &tail[..end];
                assert!(
                    words.contains_key(key),
                    "word '{key}' is missing from words.toml"
                );
            }
        }
    }
}
