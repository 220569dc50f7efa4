//! Semantic colours. The default theme is compiled in from themes/default.toml; `NO_COLOR` gives
//! a theme of modifiers only, so nothing depends on colour (markers carry meaning too).

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use serde::Deserialize;
use std::collections::HashMap;

const DEFAULT: &str = include_str!("../../themes/default.toml");

#[derive(Debug, Clone)]
pub struct Theme {
    pub text: Style,
    pub muted: Style,
    pub accent: Style,
    pub header: Style,
    pub selection: Style,
    pub border: Style,
    pub title: Style,
    pub overdue: Style,
    pub due_soon: Style,
    pub confidential: Style,
    pub warning: Style,
    pub ok: Style,
    pub decision: Style,
    pub key: Style,
    pub ascii_borders: bool,
}

#[derive(Debug, Deserialize)]
struct ThemeFile {
    #[serde(default)]
    borders: Option<String>,
    #[serde(default)]
    styles: HashMap<String, StyleSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
}

fn color(name: &str) -> Result<Color, String> {
    name.parse::<Color>()
        .map_err(|_| format!("unknown colour '{name}'"))
}

impl StyleSpec {
    fn style(&self) -> Result<Style, String> {
        let mut style = Style::default();
        if let Some(fg) = &self.fg {
            style = style.fg(color(fg)?);
        }
        if let Some(bg) = &self.bg {
            style = style.bg(color(bg)?);
        }
        let flags = [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
        ];
        for (on, modifier) in flags {
            if on {
                style = style.add_modifier(modifier);
            }
        }
        Ok(style)
    }
}

impl Theme {
    /// The compiled-in default theme.
    pub fn default_theme() -> Theme {
        Theme::parse(DEFAULT).unwrap_or_else(|_| Theme::mono())
    }

    /// No colour at all: bold, reverse and underline carry the meaning.
    pub fn mono() -> Theme {
        let plain = Style::default();
        Theme {
            text: plain,
            muted: plain,
            accent: plain.add_modifier(Modifier::BOLD),
            header: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selection: plain.add_modifier(Modifier::REVERSED),
            border: plain,
            title: plain.add_modifier(Modifier::BOLD),
            overdue: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            due_soon: plain.add_modifier(Modifier::UNDERLINED),
            confidential: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            warning: plain.add_modifier(Modifier::REVERSED),
            ok: plain,
            decision: plain.add_modifier(Modifier::BOLD),
            key: plain.add_modifier(Modifier::BOLD),
            ascii_borders: false,
        }
    }

    /// Reads a theme file over the default: fields it does not name keep the default's style.
    pub fn parse(text: &str) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        let mut theme = Theme::mono();
        if let Ok(base) = toml::from_str::<ThemeFile>(DEFAULT) {
            apply(&mut theme, &base.styles)?;
        }
        apply(&mut theme, &file.styles)?;
        if let Some(borders) = file.borders.as_deref() {
            theme.ascii_borders = match borders {
                "ascii" => true,
                "plain" => false,
                other => return Err(format!("borders = '{other}' (expected plain or ascii)")),
            };
        }
        Ok(theme)
    }

    /// A built-in theme by name.
    pub fn named(name: &str) -> Result<Theme, String> {
        match name {
            "default" => Ok(Theme::default_theme()),
            "mono" => Ok(Theme::mono()),
            other => Err(format!(
                "--theme: no theme named '{other}' (built in: default, mono)"
            )),
        }
    }

    /// The default theme, or no colour when `NO_COLOR` is set (https://no-color.org).
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::default_theme(),
        }
    }

    pub fn border_set(&self) -> border::Set<'static> {
        if self.ascii_borders {
            border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            }
        } else {
            border::PLAIN
        }
    }
}

fn apply(theme: &mut Theme, styles: &HashMap<String, StyleSpec>) -> Result<(), String> {
    for (name, spec) in styles {
        let style = spec.style().map_err(|e| format!("styles.{name}: {e}"))?;
        let slot = match name.as_str() {
            "text" => &mut theme.text,
            "muted" => &mut theme.muted,
            "accent" => &mut theme.accent,
            "header" => &mut theme.header,
            "selection" => &mut theme.selection,
            "border" => &mut theme.border,
            "title" => &mut theme.title,
            "overdue" => &mut theme.overdue,
            "due_soon" => &mut theme.due_soon,
            "confidential" => &mut theme.confidential,
            "warning" => &mut theme.warning,
            "ok" => &mut theme.ok,
            "decision" => &mut theme.decision,
            "key" => &mut theme.key,
            other => return Err(format!("styles.{other}: no such style")),
        };
        *slot = style;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_parses() {
        let theme = Theme::parse(DEFAULT).unwrap();
        assert_eq!(theme.overdue.fg, Some(Color::LightRed));
        assert!(!theme.ascii_borders);
    }

    #[test]
    fn partial_theme_keeps_the_rest() {
        let theme =
            Theme::parse("borders = \"ascii\"\n[styles]\noverdue = { fg = \"red\" }\n").unwrap();
        assert_eq!(theme.overdue.fg, Some(Color::Red));
        assert_eq!(theme.accent.fg, Some(Color::Cyan));
        assert!(theme.ascii_borders);
    }

    #[test]
    fn bad_theme_says_what() {
        let err = Theme::parse("[styles]\noverdue = { fg = \"ultraviolet\" }\n").unwrap_err();
        assert!(
            err.contains("styles.overdue") && err.contains("ultraviolet"),
            "{err}"
        );
    }
}
