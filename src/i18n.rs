//! The language renkei speaks: Japanese by default, English on request or from the locale; and
//! the one mechanism every word goes through: catalogues of ja/en pairs kept as TOML files
//! (the screens' `src/tui/words.toml`, the command line's `src/messages.toml`), with `{name}`
//! placeholders filled when a message is said.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

mod library;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// From `LC_ALL`, `LC_MESSAGES` or `LANG` (the first one set): ja* is Japanese, any other
    /// locale English; no locale at all keeps the Japanese default.
    pub fn from_locale() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty());
        Lang::from_locale_name(locale.as_deref())
    }

    pub fn from_locale_name(locale: Option<&str>) -> Lang {
        match locale {
            None | Some("C") | Some("POSIX") | Some("C.UTF-8") | Some("C.utf8") => Lang::Ja,
            Some(l) if l.to_ascii_lowercase().starts_with("ja") => Lang::Ja,
            Some(_) => Lang::En,
        }
    }

    /// The Japanese or the English of a pair.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

/// The language of messages said where no reader's language is at hand (an error shown by its
/// own `Display`): set once by `main` from the settings (Japanese unless asked otherwise). A
/// program that uses the library without setting it gets English, as the code is written.
static MESSAGE_LANG: AtomicU8 = AtomicU8::new(1);

pub fn set_message_lang(lang: Lang) {
    MESSAGE_LANG.store(lang as u8, Ordering::Relaxed);
}

pub fn message_lang() -> Lang {
    match MESSAGE_LANG.load(Ordering::Relaxed) {
        0 => Lang::Ja,
        _ => Lang::En,
    }
}

/// One entry of a catalogue: the Japanese and the English.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub ja: String,
    pub en: String,
}

impl Pair {
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }
}

/// Words by key, read from a TOML file of `[key] ja = "…" en = "…"` tables.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pairs: HashMap<String, Pair>,
}

impl Catalogue {
    pub fn parse(text: &str) -> Result<Catalogue, toml::de::Error> {
        Ok(Catalogue {
            pairs: toml::from_str(text)?,
        })
    }

    pub fn pair(&self, key: &str) -> Option<&Pair> {
        self.pairs.get(key)
    }

    /// The word for `key`; an unknown key shows itself, so a missing word is visible, never a
    /// crash.
    pub fn word<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        self.pairs.get(key).map(|p| p.get(lang)).unwrap_or(key)
    }

    pub fn entries(&self) -> impl Iterator<Item = (&String, &Pair)> {
        self.pairs.iter()
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// `template` with each `{name}` replaced by its value; a placeholder with no value stays as
/// written, and `{{`/`}}` stand for braces.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        // `{name}`: a name with no brace in it, closed by `}`.
        let closed = tail
            .strip_prefix('{')
            .and_then(|t| t.find(['{', '}']).filter(|&i| t.as_bytes()[i] == b'}'))
            .map(|i| i + 1);
        match closed {
            Some(end) => {
                let name = &tail[1..end];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&tail[..=end]),
                }
                rest = &tail[end + 1..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders a template names, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{{") {
            rest = after;
            continue;
        }
        match tail.find('}') {
            Some(end) => {
                names.push(&tail[1..end]);
                rest = &tail[end + 1..];
            }
            None => break,
        }
    }
    names
}

/// The command line's messages and errors (`src/messages.toml`), the store's errors among them.
pub fn messages() -> &'static Catalogue {
    static MESSAGES: OnceLock<Catalogue> = OnceLock::new();
    MESSAGES.get_or_init(|| Catalogue::parse(include_str!("messages.toml")).unwrap_or_default())
}

/// A message of [`messages`] with its values: said in the reader's language when printed
/// ([`Msg::render`]), or in the process's message language as a plain `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// The field a refusal is about, by the store's name for it (`next_review`, `pseudonym`):
    /// a form refused so puts its cursor there.
    pub field: Option<&'static str>,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
            field: None,
        }
    }

    /// The refusal is about `field` (the store's name for it).
    pub fn about(mut self, field: &'static str) -> Msg {
        self.field = Some(field);
        self
    }

    /// Adds the value of the placeholder `{name}`.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        say(lang, self.key, &self.args)
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(message_lang()))
    }
}

impl std::error::Error for Msg {}

/// Words made in both languages where they are made, said later in the reader's (a problem with
/// a config file is found before the language is known, and shown on the screen and the CLI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub ja: String,
    pub en: String,
}

impl Words {
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }

    /// A library's own English (serde's, serde_json's, with renkei's key or path before it):
    /// in Japanese where renkei knows the phrases, as written where it does not.
    pub fn library(en: impl Into<String>) -> Words {
        let en = en.into();
        Words {
            ja: library::ja(&en),
            en,
        }
    }

    /// A syntax error of the toml reader.
    pub fn toml(en: impl Into<String>) -> Words {
        let en = en.into();
        Words {
            ja: library::toml(&en),
            en,
        }
    }

    /// Words made in each language by `say`.
    pub fn each(say: impl Fn(Lang) -> String) -> Words {
        Words {
            ja: say(Lang::Ja),
            en: say(Lang::En),
        }
    }

    /// These words after `prefix` (a key, a path), in both languages.
    pub fn prefixed(self, prefix: &str) -> Words {
        Words {
            ja: format!("{prefix}{}", self.ja),
            en: format!("{prefix}{}", self.en),
        }
    }

    /// The message `key` of [`messages`] in each language, its placeholders filled with words
    /// themselves made in both (a record's label inside a reason).
    pub fn said(key: &str, args: &[(&str, &Words)]) -> Words {
        Words::each(|lang| {
            let args: Vec<(&str, String)> = args
                .iter()
                .map(|(name, words)| (*name, words.get(lang).to_owned()))
                .collect();
            say(lang, key, &args)
        })
    }

    /// Whether either language's words contain `text`.
    pub fn contains(&self, text: &str) -> bool {
        self.ja.contains(text) || self.en.contains(text)
    }
}

impl From<Msg> for Words {
    fn from(msg: Msg) -> Words {
        Words {
            ja: msg.render(Lang::Ja),
            en: msg.render(Lang::En),
        }
    }
}

impl fmt::Display for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get(message_lang()))
    }
}

/// A library's English (serde, serde_json, toml) in `lang`: see [`Words::library`].
pub fn library_words(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => library::ja(text),
        Lang::En => text.to_owned(),
    }
}

/// A syntax error of the toml reader (`unclosed array, expected `]``) in the message language,
/// when renkei knows its words; `None` for what is not a syntax error.
pub fn toml_syntax_said(text: &str) -> Option<String> {
    match message_lang() {
        Lang::Ja => library::toml_syntax_known(text),
        Lang::En => None,
    }
}

/// Why the system could not use a file, in `lang`: renkei's own words for the common reasons,
/// the system's (English) for the rest.
pub fn io_reason(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    let key = match e.kind() {
        K::NotFound => "io_not_found",
        K::PermissionDenied => "io_permission",
        K::AlreadyExists => "io_exists",
        K::IsADirectory => "io_is_directory",
        K::NotADirectory => "io_not_directory",
        K::StorageFull => "io_full",
        K::FileTooLarge => "io_too_large",
        K::ReadOnlyFilesystem => "io_read_only",
        K::InvalidInput if e.to_string().starts_with("not a regular file") => "io_not_regular",
        K::BrokenPipe => "io_broken_pipe",
        // By their numbers: their kinds are not stable in Rust's standard library yet.
        _ => match e.raw_os_error().map(nix::errno::Errno::from_raw) {
            Some(nix::errno::Errno::ENAMETOOLONG) => "io_name_too_long",
            Some(nix::errno::Errno::ELOOP) => "io_link_loop",
            // Any other reason the system gives, said as the system's (in English: it has no
            // other words for it), and said to be the system's.
            _ => return say(lang, "io_other", &[("reason", e.to_string())]),
        },
    };
    say(lang, key, &[])
}

/// A message of [`messages`] said in `lang`, with its values. `{@other}` in a message stands for
/// the message `other` (a list of accepted forms said in several messages).
/// A message of [`messages`] in the process's message language ([`message_lang`]): for errors
/// built as text deep in a check (an import's), which the command line prints as they are.
pub fn said(key: &str, args: &[(&str, String)]) -> String {
    say(message_lang(), key, args)
}

pub fn say(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let template = messages().word(lang, key);
    let mut all: Vec<(&str, String)> = args.to_vec();
    for name in placeholders(template) {
        if let Some(other) = name.strip_prefix('@') {
            all.push((name, messages().word(lang, other).to_owned()));
        }
    }
    fill(template, &all)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The system's reasons renkei met in an attack said in Japanese (`File name too long (os
    /// error 36)`, `Too many levels of symbolic links`, `Broken pipe` were printed in English
    /// inside Japanese lines, attack 2026-12-05); any other is said to be the system's.
    #[test]
    fn the_systems_reasons_are_said_in_the_readers_language() {
        use std::io::Error;
        let said = |e: &Error| (io_reason(e, Lang::Ja), io_reason(e, Lang::En));
        let (ja, en) = said(&Error::from_raw_os_error(36));
        assert_eq!(ja, "名前が長すぎます（ファイル名は 255 バイトまで）");
        assert!(en.starts_with("File name too long"), "{en}");
        let (ja, en) = said(&Error::from_raw_os_error(40));
        assert_eq!(ja, "シンボリックリンクが循環しています");
        assert!(en.starts_with("Too many levels of symbolic links"), "{en}");
        let (ja, _) = said(&Error::from_raw_os_error(32));
        assert_eq!(ja, "読み手が先に終わりました（パイプが閉じています）");
        // ETXTBSY, which renkei has no words for.
        let (ja, en) = said(&Error::from_raw_os_error(26));
        assert!(
            ja.starts_with("システムのエラーです（Text file busy"),
            "{ja}"
        );
        assert!(en.starts_with("Text file busy"), "{en}");
    }

    #[test]
    fn locale_decides() {
        assert_eq!(Lang::from_locale_name(Some("ja_JP.UTF-8")), Lang::Ja);
        assert_eq!(Lang::from_locale_name(Some("en_GB.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale_name(None), Lang::Ja);
        assert_eq!(Lang::from_locale_name(Some("C.UTF-8")), Lang::Ja);
    }

    #[test]
    fn placeholders_are_filled_and_braces_kept() {
        let args = [("name", "支援".to_owned()), ("n", "3".to_owned())];
        assert_eq!(fill("「{name}」は{n}件", &args), "「支援」は3件");
        assert_eq!(fill("{missing} {{x}} {", &args), "{missing} {x} {");
        assert_eq!(fill("a}b{", &args), "a}b{");
        assert_eq!(placeholders("{a} {{b}} {c}"), ["a", "c"]);
        // A value is never read again as a template.
        let hostile = [("name", "{n}".to_owned()), ("n", "x".to_owned())];
        assert_eq!(fill("{name}", &hostile), "{n}");
    }

    #[test]
    fn the_message_catalogue_has_both_languages_and_the_same_placeholders() {
        let catalogue = Catalogue::parse(include_str!("messages.toml")).unwrap();
        assert!(!catalogue.is_empty());
        for (key, pair) in catalogue.entries() {
            assert!(!pair.ja.trim().is_empty(), "{key} has no Japanese");
            assert!(!pair.en.trim().is_empty(), "{key} has no English");
            for name in placeholders(&pair.ja)
                .into_iter()
                .chain(placeholders(&pair.en))
            {
                if let Some(other) = name.strip_prefix('@') {
                    assert!(
                        catalogue.pair(other).is_some(),
                        "{key}: no message '{other}'"
                    );
                }
            }
            let mut ja = placeholders(&pair.ja);
            let mut en = placeholders(&pair.en);
            ja.sort_unstable();
            en.sort_unstable();
            // A value may be said twice in one language and once in the other.
            ja.dedup();
            en.dedup();
            assert_eq!(ja, en, "{key}: the two languages name other values");
        }
    }

    #[test]
    fn every_message_key_used_in_the_code_exists() {
        let catalogue = Catalogue::parse(include_str!("messages.toml")).unwrap();
        let mut files = Vec::new();
        rust_sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut checked = 0;
        for (file, source) in &files {
            for prefix in ["Msg::new(\"", "say(lang, \"", "say(ctx.lang, \""] {
                for (i, _) in source.match_indices(prefix) {
                    let tail = &source[i + prefix.len()..];
                    let Some(end) = tail.find('"') else { continue };
                    let key = &tail[..end];
                    checked += 1;
                    assert!(
                        catalogue.pair(key).is_some(),
                        "{file}: message '{key}' is missing from messages.toml"
                    );
                }
            }
        }
        assert!(checked > 20, "the keys were found: {checked}");
    }

    fn rust_sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
}
