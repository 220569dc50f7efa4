//! The home screen in every built-in theme and both languages, snapshotted with its styles (each
//! row's text, then its runs of one style: columns, colours, modifiers), and the promises themes
//! make: mono has no colour, ASCII borders leave no box drawing, a degraded theme only the 16
//! ANSI colours.

use crate::common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use common::{TempDb, clock};
use renkei::config::{DateStyle, Preferences};
use renkei::i18n::Lang;
use renkei::store::Store;
use renkei::tui::app::App;
use renkei::tui::keymap::{Keymap, parse_key};
use renkei::tui::screens::Overlay;
use renkei::tui::theme::{BUILT_IN, ColorDepth, Theme};
use renkei::tui::{self, handle};

/// A demo database and an app on it (the harness of tests/tui.rs, with a theme of choice).
struct Harness {
    _db: TempDb,
    store: Store,
    app: App,
}

impl Harness {
    fn new(lang: Lang, theme: Theme) -> Harness {
        // The demo as the library loads it at the tests' time, made once per test binary.
        let db = common::demo_loaded();
        let store = Store::open(&db.path, clock()).unwrap();
        let app = App::new(lang, theme, Keymap::default_keymap(), clock().now());
        let mut h = Harness {
            _db: db,
            store,
            app,
        };
        tui::start(&mut h.app, &mut h.store);
        h
    }

    /// The same with preferences from a config, set before the first screen is built.
    fn with_prefs(lang: Lang, prefs: Preferences) -> Harness {
        let mut h = Harness::new(lang, Theme::mono());
        h.app.ctx.prefs = prefs;
        h.app.ctx.dirty = true;
        tui::refresh(&mut h.app, &h.store);
        h
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(&c.to_string());
        }
    }

    fn key(&mut self, spec: &str) {
        let key = parse_key(spec).unwrap();
        let event =
            crossterm::event::Event::Key(crossterm::event::KeyEvent::new(key.code, key.modifiers));
        handle(&mut self.app, &mut self.store, &event);
    }

    fn buffer(&mut self, w: u16, h: u16) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        self.app.ctx.now = self.store.now();
        terminal.draw(|f| renkei::tui::draw(f, &self.app)).unwrap();
        terminal.backend().buffer().clone()
    }

    /// Every screen a facilitator passes through on the way, each as a buffer.
    fn tour(&mut self) -> Vec<Buffer> {
        let mut shots = vec![self.buffer(80, 24)];
        for keys in [&["2"][..], &["3"], &["1", "?"], &["esc", "2", "enter"]] {
            for k in keys {
                self.key(k);
            }
            shots.push(self.buffer(80, 24));
        }
        shots
    }
}

fn colour(c: Color) -> String {
    match c {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => format!("@{i}"),
        other => format!("{other:?}"),
    }
}

fn describe(style: Style) -> String {
    let mut parts = Vec::new();
    if let Some(fg) = style.fg.filter(|c| *c != Color::Reset) {
        parts.push(format!("fg={}", colour(fg)));
    }
    if let Some(bg) = style.bg.filter(|c| *c != Color::Reset) {
        parts.push(format!("bg={}", colour(bg)));
    }
    for (m, name) in [
        (Modifier::BOLD, "bold"),
        (Modifier::DIM, "dim"),
        (Modifier::ITALIC, "italic"),
        (Modifier::UNDERLINED, "underlined"),
        (Modifier::REVERSED, "reversed"),
    ] {
        if style.add_modifier.contains(m) {
            parts.push(name.to_owned());
        }
    }
    parts.join(" ")
}

/// The screen's text, and under each row the runs of one style that are not plain.
fn with_styles(buffer: &Buffer) -> String {
    let text = tui::buffer_text(buffer);
    let mut out = String::new();
    for (y, line) in text.lines().enumerate() {
        out.push_str(&format!("{y:>2} {line}\n"));
        let mut runs = Vec::new();
        let mut start = 0;
        let mut current = String::new();
        let mut covered = 0;
        for x in 0..=buffer.area.width {
            // The cell a double-width character covers shows that character's style.
            let style = if covered > 0 {
                covered -= 1;
                current.clone()
            } else if x < buffer.area.width {
                let cell = &buffer[(x, y as u16)];
                covered = renkei::text::width(cell.symbol()).saturating_sub(1);
                describe(cell.style())
            } else {
                String::from("<end>")
            };
            if style != current {
                if !current.is_empty() && x > 0 {
                    runs.push(format!("{start}-{}: {current}", x - 1));
                }
                start = x;
                current = style;
            }
        }
        if !runs.is_empty() {
            out.push_str(&format!("   {}\n", runs.join("; ")));
        }
    }
    out
}

fn snapshot_home(lang: Lang, suffix: &str) {
    for (name, _) in BUILT_IN {
        let theme = Theme::builtin(name).unwrap();
        let mut h = Harness::new(lang, theme);
        let shot = with_styles(&h.buffer(80, 24));
        insta::assert_snapshot!(format!("home_{name}{suffix}"), shot);
    }
}

#[test]
fn home_in_every_theme_in_japanese() {
    snapshot_home(Lang::Ja, "");
}

#[test]
fn home_in_every_theme_in_english() {
    snapshot_home(Lang::En, "_en");
}

#[test]
fn home_in_the_light_theme_on_a_16_colour_terminal() {
    let theme = Theme::builtin("light")
        .unwrap()
        .degraded(ColorDepth::Ansi16);
    let mut h = Harness::new(Lang::Ja, theme);
    insta::assert_snapshot!("home_light_16", with_styles(&h.buffer(80, 24)));
}

fn cells(buffer: &Buffer) -> impl Iterator<Item = &ratatui::buffer::Cell> {
    buffer.content().iter()
}

#[test]
fn mono_draws_no_colour_on_any_screen() {
    let mut h = Harness::new(Lang::Ja, Theme::mono());
    for shot in h.tour() {
        for cell in cells(&shot) {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
        assert!(
            cells(&shot).any(|c| c.modifier.contains(Modifier::REVERSED)),
            "the selection and the header still stand out"
        );
    }
}

#[test]
fn ascii_borders_leave_no_box_drawing_on_any_screen() {
    let mut theme = Theme::default_theme();
    theme.ascii_borders = true;
    let mut h = Harness::new(Lang::En, theme);
    for shot in h.tour() {
        let text = tui::buffer_text(&shot);
        assert!(text.contains("+-"), "{text}");
        let boxes: Vec<char> = text
            .chars()
            .filter(|c| ('\u{2500}'..='\u{257f}').contains(c))
            .collect();
        assert!(boxes.is_empty(), "{boxes:?} in\n{text}");
    }
}

#[test]
fn a_degraded_theme_draws_only_the_16_colours() {
    for (name, _) in BUILT_IN {
        let theme = Theme::builtin(name).unwrap().degraded(ColorDepth::Ansi16);
        let mut h = Harness::new(Lang::Ja, theme);
        for shot in h.tour() {
            for cell in cells(&shot) {
                for c in [cell.fg, cell.bg] {
                    assert!(
                        !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                        "{name}: {c:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn overdue_is_marked_in_words_not_only_in_colour() {
    for lang in [Lang::Ja, Lang::En] {
        let mut h = Harness::new(lang, Theme::mono());
        let text = tui::buffer_text(&h.buffer(80, 24));
        assert!(text.contains(lang.pick("!超過", "!OVERDUE")), "{text}");
    }
}

#[test]
fn a_user_theme_file_overrides_some_fields_over_its_base() {
    let db = TempDb::new();
    let path = db.file(
        "mine.toml",
        b"base = \"light\"\nborders = \"ascii\"\n[styles]\noverdue = { fg = \"#ff0000\", bold = true }\n",
    );
    let (theme, problems) = Theme::load(&path.display().to_string(), "--theme");
    assert!(problems.is_empty(), "{problems:?}");
    let light = Theme::builtin("light").unwrap();
    assert_eq!(theme.overdue.fg, Some(Color::Rgb(255, 0, 0)));
    assert_eq!(theme.selection, light.selection);
    assert!(theme.ascii_borders);
}

#[test]
fn a_bad_theme_file_is_named_with_its_line_and_the_rest_still_applies() {
    let db = TempDb::new();
    let path = db.file(
        "bad.toml",
        b"[styles]\nok = { fg = \"blue\" }\naccent = { fg = \"cyan\", blink = true }\n",
    );
    let (theme, problems) = Theme::load(&path.display().to_string(), "--theme");
    assert_eq!(theme.ok.fg, Some(Color::Blue));
    assert_eq!(theme.accent, Theme::default_theme().accent);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let message = problems[0].to_string();
    assert!(
        message.contains("bad.toml") && message.contains("line 3") && message.contains("blink"),
        "{message}"
    );
}

#[test]
fn a_missing_theme_gives_the_default_and_says_so() {
    let (theme, problems) = Theme::load("/nonexistent/theme.toml", "--theme");
    assert_eq!(theme, Theme::default_theme());
    assert!(problems[0].to_string().contains("/nonexistent/theme.toml"));
    let (theme, problems) = Theme::load("solarized", "--theme");
    assert_eq!(theme, Theme::default_theme());
    assert!(problems[0].message.contains("solarized"), "{problems:?}");
}

#[test]
fn the_schedule_form_ends_a_meeting_after_the_configured_length() {
    let prefs = Preferences {
        meeting_minutes: 45,
        ..Preferences::default()
    };
    let mut h = Harness::with_prefs(Lang::Ja, prefs);
    h.key("2");
    h.key("s");
    let Overlay::Form(form) = &h.app.ctx.overlay else {
        panic!("no schedule form");
    };
    assert_eq!(
        (form.value(1), form.value(2)),
        ("14:00".into(), "14:45".into())
    );
}

/// The home screen's first date heading, and the meeting header of the demo's planned
/// 支援方針検討会議, in a date style.
fn dates_shown(lang: Lang, style: Option<DateStyle>) -> (String, String) {
    let prefs = Preferences {
        date_style: style,
        ..Preferences::default()
    };
    let mut h = Harness::with_prefs(lang, prefs);
    let home = tui::buffer_text(&h.buffer(80, 24));
    let heading = home
        .lines()
        .find(|l| l.contains("-- ") && l.contains("23"))
        .unwrap()
        .to_owned();
    h.key("/");
    h.typed("支援方針検討会議");
    h.key("enter");
    h.key("enter");
    let setup = tui::buffer_text(&h.buffer(80, 24));
    (heading, setup.lines().nth(1).unwrap().to_owned())
}

#[test]
fn dates_follow_the_configured_style() {
    let (heading, header) = dates_shown(Lang::Ja, None);
    assert!(
        heading.contains("令和8年11月23日（月）(2026-11-23)"),
        "{heading}"
    );
    assert!(
        header.contains("令和8年") && !header.contains("(2026"),
        "{header}"
    );
    let (heading, header) = dates_shown(Lang::Ja, Some(DateStyle::Iso));
    assert!(heading.contains("-- 2026-11-23(月)"), "{heading}");
    assert!(
        !header.contains("令和") && header.contains("2026-"),
        "{header}"
    );
    let (heading, header) = dates_shown(Lang::En, Some(DateStyle::Wareki));
    assert!(heading.contains("-- Mon 23 Nov, Reiwa 8"), "{heading}");
    assert!(
        header.contains("Reiwa 8") && !header.contains("2026"),
        "{header}"
    );
    let (_, header) = dates_shown(Lang::En, Some(DateStyle::Both));
    assert!(
        header.contains("2026-") && header.contains("Reiwa 8"),
        "{header}"
    );
}
