//! Semantic styles. Four built-in themes are compiled in from themes/*.toml (default, light,
//! high-contrast, mono); a user's theme file names only what it changes, over the default or over
//! the built-in it names with `base = "..."`. `NO_COLOR` gives mono (the config decides), whose
//! styles are modifiers only, so nothing depends on colour (the screens carry markers too).
//! Colours are reduced to what the terminal can show ([`ColorDepth`]).

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use serde::Deserialize;
use std::path::Path;

pub use crate::config::ColorDepth;
use crate::config::names_a_file;
use crate::i18n::{Msg, Words};
use crate::user_file::{Doc, Problem};

const DEFAULT: &str = include_str!("../../themes/default.toml");
const LIGHT: &str = include_str!("../../themes/light.toml");
const HIGH_CONTRAST: &str = include_str!("../../themes/high-contrast.toml");
const MONO: &str = include_str!("../../themes/mono.toml");

/// The themes compiled into the binary, by the name `--theme` and the config use.
pub const BUILT_IN: [(&str, &str); 4] = [
    ("default", DEFAULT),
    ("light", LIGHT),
    ("high-contrast", HIGH_CONTRAST),
    ("mono", MONO),
];

/// The names of the semantic styles, as theme files spell them.
pub const STYLE_NAMES: [&str; 14] = [
    "text",
    "muted",
    "accent",
    "header",
    "selection",
    "border",
    "title",
    "overdue",
    "due_soon",
    "confidential",
    "warning",
    "ok",
    "decision",
    "key",
];

#[derive(Debug, Clone, PartialEq)]
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

fn color(name: &str) -> Result<Color, Words> {
    name.parse::<Color>()
        .map_err(|_| Msg::new("theme_unknown_colour").with("name", name).into())
}

impl StyleSpec {
    fn style(&self) -> Result<Style, Words> {
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
    /// Every style plain: the ground the built-in theme files are laid on.
    fn plain() -> Theme {
        let plain = Style::default();
        Theme {
            text: plain,
            muted: plain,
            accent: plain,
            header: plain,
            selection: plain,
            border: plain,
            title: plain,
            overdue: plain,
            due_soon: plain,
            confidential: plain,
            warning: plain,
            ok: plain,
            decision: plain,
            key: plain,
            ascii_borders: false,
        }
    }

    /// The compiled-in default theme.
    pub fn default_theme() -> Theme {
        Theme::builtin("default").unwrap_or_else(Theme::plain)
    }

    /// No colour at all: bold, reverse and underline carry the meaning.
    pub fn mono() -> Theme {
        Theme::builtin("mono").unwrap_or_else(Theme::plain)
    }

    /// A built-in theme by name, or `None` when there is none of that name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name)?;
        let (theme, _) = Theme::read(text, name, Theme::plain());
        Some(theme)
    }

    /// Reads a theme file strictly: any problem is an error naming its line.
    pub fn parse(text: &str) -> Result<Theme, String> {
        let (theme, problems) = Theme::read_over_base(text, "theme");
        match problems.first() {
            None => Ok(theme),
            Some(p) => Err(p.to_string()),
        }
    }

    /// A built-in theme by name (`--theme NAME`).
    pub fn named(name: &str) -> Result<Theme, String> {
        Theme::builtin(name).ok_or_else(|| {
            Msg::new("theme_no_such")
                .with("name", name)
                .with("names", names())
                .to_string()
        })
    }

    /// The theme `spec` asks for — a built-in's name or a theme file's path — with what was wrong
    /// in it. What is wrong is left at the default's value; a theme that cannot be found gives the
    /// default theme. `asked_by` names where an unknown name came from (`--theme`, a config file).
    pub fn load(spec: &str, asked_by: &str) -> (Theme, Vec<Problem>) {
        if let Some(theme) = Theme::builtin(spec) {
            return (theme, Vec::new());
        }
        let path = Path::new(spec);
        if !names_a_file(spec) {
            let message = Msg::new("theme_no_such_setting")
                .with("name", spec)
                .with("names", names());
            return (
                Theme::default_theme(),
                vec![Problem::new(asked_by, None, message)],
            );
        }
        match crate::config::read_settings_file(path) {
            Ok(text) => Theme::read_over_base(&text, &path.display().to_string()),
            Err(e) => (
                Theme::default_theme(),
                vec![Problem::new(
                    &path.display().to_string(),
                    None,
                    Words::each(|lang| crate::i18n::io_reason(&e, lang)),
                )],
            ),
        }
    }

    /// A user's theme: over the built-in its `base` names, else over the default.
    fn read_over_base(text: &str, file: &str) -> (Theme, Vec<Problem>) {
        let mut scratch = String::new();
        let mut doc = Doc::read(text, file, &mut scratch);
        let mut base = Theme::default_theme();
        if let Some((name, span)) = doc.string("base") {
            match Theme::builtin(&name) {
                Some(theme) => base = theme,
                None => doc.problem(
                    span,
                    Msg::new("theme_no_base")
                        .with("name", &name)
                        .with("names", names()),
                ),
            }
        }
        Theme::layer(doc, base)
    }

    fn read(text: &str, file: &str, base: Theme) -> (Theme, Vec<Problem>) {
        let mut scratch = String::new();
        Theme::layer(Doc::read(text, file, &mut scratch), base)
    }

    /// Lays the fields of a theme file over `base`, skipping (and reporting) each bad one.
    fn layer(mut doc: Doc, mut theme: Theme) -> (Theme, Vec<Problem>) {
        for (key, span) in doc.keys() {
            match key.as_str() {
                "name" | "base" => {}
                "borders" => match doc.string("borders") {
                    Some((b, _)) if b == "ascii" => theme.ascii_borders = true,
                    Some((b, _)) if b == "plain" => theme.ascii_borders = false,
                    _ => doc.problem(span, Msg::new("theme_borders")),
                },
                "styles" => {
                    for (name, value_span, spec) in doc.table_of::<StyleSpec>("styles") {
                        let prefix = format!("styles.{name}: ");
                        let result = spec
                            .map_err(Words::library)
                            .and_then(|s| s.style())
                            .map_err(|e| e.prefixed(&prefix))
                            .and_then(|style| {
                                let slot = theme.slot(&name).ok_or_else(|| {
                                    Words::from(
                                        Msg::new("theme_no_style")
                                            .with("name", &name)
                                            .with("styles", STYLE_NAMES.join(", ")),
                                    )
                                })?;
                                *slot = style;
                                Ok(())
                            });
                        if let Err(e) = result {
                            doc.problem(value_span, e);
                        }
                    }
                }
                other => doc.problem(span, Msg::new("theme_unknown_field").with("name", other)),
            }
        }
        (theme, doc.into_problems())
    }

    fn slot(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "text" => &mut self.text,
            "muted" => &mut self.muted,
            "accent" => &mut self.accent,
            "header" => &mut self.header,
            "selection" => &mut self.selection,
            "border" => &mut self.border,
            "title" => &mut self.title,
            "overdue" => &mut self.overdue,
            "due_soon" => &mut self.due_soon,
            "confidential" => &mut self.confidential,
            "warning" => &mut self.warning,
            "ok" => &mut self.ok,
            "decision" => &mut self.decision,
            "key" => &mut self.key,
            _ => return None,
        })
    }

    /// Every style, by its name in theme files.
    pub fn styles(&self) -> [(&'static str, Style); 14] {
        let mut copy = self.clone();
        STYLE_NAMES.map(|name| (name, copy.slot(name).map(|s| *s).unwrap_or_default()))
    }

    /// The same theme with every colour reduced to what the terminal shows.
    pub fn degraded(&self, depth: ColorDepth) -> Theme {
        let mut theme = self.clone();
        for name in STYLE_NAMES {
            if let Some(style) = theme.slot(name) {
                style.fg = style.fg.map(|c| degrade(c, depth));
                style.bg = style.bg.map(|c| degrade(c, depth));
            }
        }
        theme
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

fn names() -> String {
    BUILT_IN.map(|(n, _)| n).join(", ")
}

/// The 16 ANSI colours with the RGB values xterm gives them, in palette order.
const ANSI: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The steps of the 6×6×6 colour cube of the 256-colour palette (indices 16–231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// `color` as the terminal at `depth` can show it: the nearest palette colour when it cannot
/// show the colour itself. Named colours and `reset` pass unchanged.
pub fn degrade(color: Color, depth: ColorDepth) -> Color {
    match (depth, color) {
        (ColorDepth::TrueColor, c) => c,
        (ColorDepth::Palette256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256((r, g, b))),
        (ColorDepth::Palette256, c) => c,
        (ColorDepth::Ansi16, Color::Rgb(r, g, b)) => nearest_16((r, g, b)),
        (ColorDepth::Ansi16, Color::Indexed(i)) if i < 16 => ANSI[i as usize].0,
        (ColorDepth::Ansi16, Color::Indexed(i)) => nearest_16(indexed_rgb(i)),
        (ColorDepth::Ansi16, c) => c,
    }
}

/// Distance as the eye sees it, roughly ("redmean": red and blue weigh by how red the pair is).
fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> i64 {
    let mean = (i64::from(a.0) + i64::from(b.0)) / 2;
    let dr = i64::from(a.0) - i64::from(b.0);
    let dg = i64::from(a.1) - i64::from(b.1);
    let db = i64::from(a.2) - i64::from(b.2);
    (((512 + mean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - mean) * db * db) >> 8)
}

fn nearest_16(rgb: (u8, u8, u8)) -> Color {
    ANSI.iter()
        .min_by_key(|(_, ansi)| distance(rgb, *ansi))
        .map(|(c, _)| *c)
        .unwrap_or(Color::Reset)
}

/// The RGB value of a 256-palette index.
fn indexed_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI[i as usize].1,
        16..=231 => {
            let n = i - 16;
            (
                CUBE[(n / 36) as usize],
                CUBE[((n / 6) % 6) as usize],
                CUBE[(n % 6) as usize],
            )
        }
        _ => {
            let level = 8 + 10 * (i - 232);
            (level, level, level)
        }
    }
}

/// The nearest colour of the cube or the grey ramp (indices 16–255; 0–15 are left alone because
/// terminals redefine them).
fn nearest_256(rgb: (u8, u8, u8)) -> u8 {
    (16..=255u8)
        .min_by_key(|&i| distance(rgb, indexed_rgb(i)))
        .unwrap_or(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_parses_cleanly_and_names_every_style() {
        for (name, text) in BUILT_IN {
            let (_, problems) = Theme::read(text, name, Theme::plain());
            assert!(problems.is_empty(), "{name}: {problems:?}");
            let doc: toml::Table = toml::from_str(text).unwrap();
            let styles = doc["styles"].as_table().unwrap();
            for style in STYLE_NAMES {
                assert!(styles.contains_key(style), "{name} does not set {style}");
            }
        }
    }

    #[test]
    fn mono_has_no_colour_at_all() {
        for (name, style) in Theme::mono().styles() {
            assert_eq!((style.fg, style.bg), (None, None), "{name}");
        }
        assert!(
            Theme::mono()
                .selection
                .add_modifier
                .contains(Modifier::REVERSED)
        );
    }

    #[test]
    fn default_theme_parses() {
        let theme = Theme::default_theme();
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
    fn a_partial_theme_can_start_from_another_built_in() {
        let theme = Theme::parse("base = \"light\"\n[styles]\nok = { fg = \"blue\" }\n").unwrap();
        let light = Theme::builtin("light").unwrap();
        assert_eq!(theme.ok.fg, Some(Color::Blue));
        assert_eq!(theme.accent, light.accent);
    }

    #[test]
    fn bad_theme_says_what_and_where() {
        let err = Theme::parse("[styles]\n\noverdue = { fg = \"ultraviolet\" }\n").unwrap_err();
        assert!(
            err.contains("line 3") && err.contains("styles.overdue") && err.contains("ultraviolet"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_field_keeps_the_base_value_and_the_good_fields_apply() {
        let text = "[styles]\nok = { fg = \"blue\" }\naccent = { fg = \"nope\" }\n";
        let (theme, problems) = Theme::read_over_base(text, "t.toml");
        assert_eq!(theme.ok.fg, Some(Color::Blue));
        assert_eq!(theme.accent, Theme::default_theme().accent);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(3));
    }

    #[test]
    fn colours_degrade_to_the_nearest_the_terminal_has() {
        use ColorDepth::*;
        let rgb = Color::Rgb(0xaf, 0, 0);
        assert_eq!(degrade(rgb, TrueColor), rgb);
        assert_eq!(
            degrade(Color::Rgb(255, 0, 0), Palette256),
            Color::Indexed(196)
        );
        assert_eq!(
            degrade(Color::Rgb(128, 128, 128), Palette256),
            Color::Indexed(244)
        );
        assert_eq!(degrade(Color::Indexed(42), Palette256), Color::Indexed(42));
        assert_eq!(degrade(rgb, Ansi16), Color::Red);
        assert_eq!(degrade(Color::Rgb(250, 250, 250), Ansi16), Color::White);
        assert_eq!(degrade(Color::Rgb(0, 0, 128), Ansi16), Color::Blue);
        assert_eq!(degrade(Color::Rgb(0, 135, 0), Ansi16), Color::Green);
        assert_eq!(degrade(Color::Rgb(120, 120, 120), Ansi16), Color::DarkGray);
        assert_eq!(degrade(Color::Indexed(196), Ansi16), Color::LightRed);
        assert_eq!(degrade(Color::Indexed(3), Ansi16), Color::Yellow);
        assert_eq!(degrade(Color::Indexed(250), Ansi16), Color::Gray);
        assert_eq!(degrade(Color::Cyan, Ansi16), Color::Cyan);
        assert_eq!(degrade(Color::Reset, Ansi16), Color::Reset);
    }

    #[test]
    fn a_degraded_theme_has_only_the_16_colours() {
        let light = Theme::builtin("light")
            .unwrap()
            .degraded(ColorDepth::Ansi16);
        for (name, style) in light.styles() {
            for c in [style.fg, style.bg].into_iter().flatten() {
                assert!(
                    !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                    "{name}: {c:?}"
                );
            }
        }
    }
}
