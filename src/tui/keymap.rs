//! Key bindings as data (src/tui/keymap.toml, compiled in): each binding carries its description,
//! and the help screen is generated from them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use super::action::Action;
use crate::i18n::Lang;

const DEFAULT: &str = include_str!("keymap.toml");

/// Where a binding works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    Global,
    Home,
    Bodies,
    Setup,
    Live,
    Actions,
    Minutes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub key: Key,
    pub label: String,
    pub action: Action,
    pub contexts: Vec<Context>,
    pub ja: String,
    pub en: String,
}

impl Binding {
    pub fn describe(&self, lang: Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }
}

#[derive(Debug, Deserialize)]
struct File {
    bind: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    on: String,
    run: Action,
    #[serde(rename = "in")]
    contexts: Vec<Context>,
    ja: String,
    en: String,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Keymap {
    pub fn default_keymap() -> Keymap {
        Keymap::parse(DEFAULT).unwrap_or(Keymap {
            bindings: Vec::new(),
        })
    }

    pub fn parse(text: &str) -> Result<Keymap, String> {
        let file: File = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        let mut bindings = Vec::new();
        for (i, entry) in file.bind.into_iter().enumerate() {
            let key = parse_key(&entry.on)
                .ok_or_else(|| format!("bind[{i}]: unknown key '{}'", entry.on))?;
            bindings.push(Binding {
                key,
                label: entry.on,
                action: entry.run,
                contexts: entry.contexts,
                ja: entry.ja,
                en: entry.en,
            });
        }
        Ok(Keymap { bindings })
    }

    /// The action for a key in a screen: the screen's own bindings before the global ones.
    pub fn action(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let key = normalise(event);
        let find = |ctx: Context| {
            self.bindings
                .iter()
                .find(|b| b.key == key && b.contexts.contains(&ctx))
                .map(|b| b.action)
        };
        find(context).or_else(|| find(Context::Global))
    }

    /// The bindings of a screen, then the global ones, for the help screen.
    pub fn help(&self, context: Context) -> Vec<&Binding> {
        let own = self
            .bindings
            .iter()
            .filter(|b| b.contexts.contains(&context));
        let global = self
            .bindings
            .iter()
            .filter(|b| b.contexts.contains(&Context::Global));
        own.chain(global).collect()
    }

    /// Pairs of bindings that claim the same key in the same screen.
    pub fn conflicts(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                let shared = a.contexts.iter().find(|c| b.contexts.contains(c));
                if a.key == b.key && a.action != b.action {
                    if let Some(ctx) = shared {
                        out.push(format!(
                            "'{}' is bound to both {:?} and {:?} in {:?}",
                            a.label, a.action, b.action, ctx
                        ));
                    }
                }
            }
        }
        out
    }
}

/// Shifted characters arrive with SHIFT set on some terminals and not on others: compare without it.
fn normalise(event: &KeyEvent) -> Key {
    let mut modifiers = event.modifiers;
    if let KeyCode::Char(_) = event.code {
        modifiers.remove(KeyModifiers::SHIFT);
    }
    let code = event.code;
    if code == KeyCode::BackTab {
        modifiers.remove(KeyModifiers::SHIFT);
    }
    Key { code, modifiers }
}

pub fn parse_key(text: &str) -> Option<Key> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text;
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-") {
            modifiers |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-") {
            modifiers |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" => KeyCode::PageUp,
        "pgdn" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        f if f.starts_with('f') && f.len() > 1 => KeyCode::F(f[1..].parse().ok()?),
        c => {
            let mut chars = c.chars();
            let ch = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            KeyCode::Char(ch)
        }
    };
    Some(Key { code, modifiers })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn default_keymap_parses_without_conflicts() {
        let map = Keymap::parse(DEFAULT).unwrap();
        assert!(map.conflicts().is_empty(), "{:?}", map.conflicts());
        assert!(
            map.bindings
                .iter()
                .all(|b| !b.ja.is_empty() && !b.en.is_empty())
        );
    }

    #[test]
    fn screen_bindings_come_before_global_ones() {
        let map = Keymap::default_keymap();
        assert_eq!(
            map.action(Context::Home, &key(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
        assert_eq!(map.action(Context::Live, &key(KeyCode::Char('q'))), None);
        assert_eq!(
            map.action(Context::Live, &key(KeyCode::Char('n'))),
            Some(Action::CaptureNote)
        );
        assert_eq!(
            map.action(Context::Bodies, &key(KeyCode::Char('n'))),
            Some(Action::StartNow)
        );
        assert_eq!(
            map.action(Context::Live, &key(KeyCode::Esc)),
            Some(Action::Back)
        );
        let shifted = KeyEvent::new(KeyCode::Char('E'), KeyModifiers::SHIFT);
        assert_eq!(
            map.action(Context::Live, &shifted),
            Some(Action::EndMeeting)
        );
    }

    #[test]
    fn conflicts_are_reported() {
        let map = Keymap::parse(
            "[[bind]]\non = \"x\"\nrun = \"quit\"\nin = [\"home\"]\nja = \"a\"\nen = \"a\"\n\
             [[bind]]\non = \"x\"\nrun = \"help\"\nin = [\"home\"]\nja = \"b\"\nen = \"b\"\n",
        )
        .unwrap();
        assert_eq!(map.conflicts().len(), 1);
    }

    #[test]
    fn keys_parse() {
        assert_eq!(
            parse_key("ctrl-c").unwrap().modifiers,
            KeyModifiers::CONTROL
        );
        assert_eq!(parse_key("f1").unwrap().code, KeyCode::F(1));
        assert!(parse_key("nope").is_none());
    }
}
