//! Key bindings as data (src/tui/keymap.toml, compiled in): each binding carries its description,
//! and the help screen is generated from them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::i18n::{Lang, Msg, Words};
pub use crate::keys::{Action, Context, Key, Override, parse_key};

const DEFAULT: &str = include_str!("keymap.toml");

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

    /// The default map with the user's bindings laid over it, and what is wrong with them (keys
    /// that cannot be read, two actions on one key, a global key a screen's own binding hides).
    pub fn with_overrides(&self, overrides: &[Override]) -> (Keymap, Vec<Words>) {
        let mut problems = Vec::new();
        let mut added: Vec<Binding> = Vec::new();
        for o in overrides {
            match parse_key(&o.on) {
                Some(key) => added.push(self.binding_for(o, key)),
                None => problems.push(Msg::new("config_key_unknown").with("key", &o.on).into()),
            }
        }
        let mut bindings = self.bindings.clone();
        for user in &added {
            for b in &mut bindings {
                if b.key == user.key {
                    b.contexts.retain(|c| !user.contexts.contains(c));
                }
            }
        }
        bindings.retain(|b| !b.contexts.is_empty());
        problems.extend(hidden(&bindings, &added));
        bindings.extend(added);
        let map = Keymap { bindings };
        problems.extend(map.conflicts());
        (map, problems)
    }

    fn binding_for(&self, o: &Override, key: Key) -> Binding {
        let default = self.bindings.iter().find(|b| b.action == o.run);
        let fallback = |pick: fn(&Binding) -> &String| {
            default
                .map(|b| pick(b).clone())
                .unwrap_or_else(|| format!("{:?}", o.run))
        };
        Binding {
            key,
            label: o.on.clone(),
            action: o.run,
            contexts: o.contexts.clone(),
            ja: o.ja.clone().unwrap_or_else(|| fallback(|b| &b.ja)),
            en: o.en.clone().unwrap_or_else(|| fallback(|b| &b.en)),
        }
    }

    /// Every binding, in the order the help lists them.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
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
    pub fn conflicts(&self) -> Vec<Words> {
        let mut out = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                let shared = a.contexts.iter().find(|c| b.contexts.contains(c));
                if a.key == b.key
                    && a.action != b.action
                    && let Some(ctx) = shared
                {
                    let message = Msg::new("config_key_conflict")
                        .with("key", &a.label)
                        .with("a", format!("{:?}", a.action))
                        .with("b", format!("{:?}", b.action))
                        .with("context", format!("{ctx:?}"));
                    out.push(message.into());
                }
            }
        }
        out
    }
}

/// A user's global binding that a screen's own binding of the same key shadows there.
fn hidden(defaults: &[Binding], added: &[Binding]) -> Vec<Words> {
    let mut out = Vec::new();
    for user in added
        .iter()
        .filter(|b| b.contexts.contains(&Context::Global))
    {
        let screens = defaults.iter().chain(added).filter(|b| {
            b.key == user.key && b.action != user.action && !b.contexts.contains(&Context::Global)
        });
        for b in screens {
            let message = Msg::new("config_key_hidden")
                .with("key", &user.label)
                .with("a", format!("{:?}", user.action))
                .with("b", format!("{:?}", b.action))
                .with("context", format!("{:?}", b.contexts));
            out.push(message.into());
        }
    }
    out
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
        // The tabs and quitting work from every screen.
        for context in [
            Context::Live,
            Context::Minutes,
            Context::Setup,
            Context::Case,
            Context::CasePanel,
        ] {
            assert_eq!(
                map.action(context, &key(KeyCode::Char('q'))),
                Some(Action::Quit)
            );
            assert_eq!(
                map.action(context, &key(KeyCode::Char('3'))),
                Some(Action::GoActions)
            );
        }
        assert_eq!(
            map.action(Context::Live, &key(KeyCode::Char('5'))),
            Some(Action::GoCases)
        );
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

    fn user(on: &str, run: Action, contexts: &[Context]) -> Override {
        Override {
            on: on.to_owned(),
            run,
            contexts: contexts.to_vec(),
            ja: None,
            en: None,
        }
    }

    #[test]
    fn an_override_adds_a_key_with_the_default_description() {
        let (map, problems) = Keymap::default_keymap().with_overrides(&[user(
            "ctrl-n",
            Action::CaptureNote,
            &[Context::Live],
        )]);
        assert!(problems.is_empty(), "{problems:?}");
        let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(
            map.action(Context::Live, &ctrl_n),
            Some(Action::CaptureNote)
        );
        assert_eq!(
            map.action(Context::Live, &key(KeyCode::Char('n'))),
            Some(Action::CaptureNote),
            "the default key still works"
        );
        let help = map.help(Context::Live);
        let added = help.iter().find(|b| b.label == "ctrl-n").unwrap();
        assert_eq!((added.ja.as_str(), added.en.as_str()), ("メモ", "Note"));
    }

    #[test]
    fn an_override_takes_a_key_from_the_default_in_its_screens_only() {
        let mut o = user("n", Action::CaptureDecision, &[Context::Live]);
        o.en = Some("Decision, quickly".to_owned());
        let (map, problems) = Keymap::default_keymap().with_overrides(&[o]);
        assert!(problems.is_empty(), "{problems:?}");
        let n = key(KeyCode::Char('n'));
        assert_eq!(map.action(Context::Live, &n), Some(Action::CaptureDecision));
        assert_eq!(map.action(Context::Bodies, &n), Some(Action::StartNow));
        assert!(
            map.help(Context::Live)
                .iter()
                .any(|b| b.describe(Lang::En) == "Decision, quickly")
        );
    }

    #[test]
    fn conflicting_overrides_are_reported_by_key() {
        let (_, problems) = Keymap::default_keymap().with_overrides(&[
            user("ctrl-x", Action::Quit, &[Context::Home]),
            user("ctrl-x", Action::Help, &[Context::Home, Context::Live]),
            user("nope-nope", Action::Help, &[Context::Home]),
        ]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("unknown key 'nope-nope'"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("'ctrl-x'") && p.contains("Home"))
        );
    }

    #[test]
    fn a_global_key_hidden_by_a_screen_is_reported() {
        let (_, problems) =
            Keymap::default_keymap().with_overrides(&[user("n", Action::Help, &[Context::Global])]);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("'n'") && p.contains("hidden")),
            "{problems:?}"
        );
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
