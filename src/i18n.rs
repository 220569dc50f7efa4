//! The language renkei speaks: Japanese by default, English on request or from the locale.

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_decides() {
        assert_eq!(Lang::from_locale_name(Some("ja_JP.UTF-8")), Lang::Ja);
        assert_eq!(Lang::from_locale_name(Some("en_GB.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale_name(None), Lang::Ja);
        assert_eq!(Lang::from_locale_name(Some("C.UTF-8")), Lang::Ja);
    }
}
