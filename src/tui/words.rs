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

    /// The Rust sources of the TUI, every folder of it.
    fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }

    /// The words a source names: `tr(lang, "key")` with the language as a plain path (lang,
    /// ctx.lang, self.lang), and the keys screens hand on to be said (`ctx.info("key")`, a
    /// question, a form's `Err("key")`, a hint, a tab's name).
    fn keys_in(source: &str) -> Vec<&str> {
        let mut keys = Vec::new();
        for (i, _) in source.match_indices("tr(") {
            let before = source[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
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
            if let Some(end) = tail.find('"') {
                keys.push(&tail[..end]);
            }
        }
        // The hints screens give and the tabs' names, named where they are defined.
        for literal in source.split('"').skip(1).step_by(2) {
            let word = literal.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if word && (literal.ends_with("_hint") || literal.starts_with("tab_")) {
                keys.push(literal);
            }
        }
        for prefix in [".info(\"", "question: \"", "Err(\"", "ok_or(\""] {
            for (i, _) in source.match_indices(prefix) {
                let tail = &source[i + prefix.len()..];
                if let Some(end) = tail.find('"') {
                    keys.push(&tail[..end]);
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_used_in_the_code_exists() {
        let words: HashMap<String, Pair> = toml::from_str(include_str!("words.toml")).unwrap();
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui"),
            &mut files,
        );
        assert!(files.len() > 20, "the walk found the sources");
        let mut checked = 0;
        for (file, source) in files.iter().filter(|(f, _)| !f.ends_with("words.rs")) {
            for key in keys_in(source) {
                checked += 1;
                assert!(
                    words.contains_key(key),
                    "{file}: word '{key}' is missing from words.toml"
                );
            }
        }
        assert!(checked > 100, "the words were found: {checked}");
        assert_eq!(keys_in("ctx.info(\"nope\")"), ["nope"]);
    }
}
