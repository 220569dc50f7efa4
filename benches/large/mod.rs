//! The large data set the ward benchmarks run on: `renkei demo --scale 100` — 500 bodies, about
//! 50 000 meetings held over ten fiscal years with everything captured at them, about 1.5 million
//! rows — generated once per bench run into a temporary directory, on a fixed clock.
//!
//! `RENKEI_BENCH_SCALE=N` picks another scale (a quick look at the shape of the numbers);
//! `RENKEI_BENCH_DB=PATH` copies a database made before (`renkei demo --scale 100` with
//! `RENKEI_NOW=2026-11-21`) instead of generating one, to profile without waiting.
#![allow(dead_code)]

use chrono::DateTime;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use renkei::clock::Clock;
use renkei::i18n::Lang;
use renkei::store::Store;
use renkei::tui::app::App;
use renkei::tui::keymap::Keymap;
use renkei::tui::scroll::Scrolling;
use renkei::tui::theme::Theme;
use renkei::tui::{self, Follow};

pub const WIDTH: u16 = 80;
pub const HEIGHT: u16 = 24;

/// Saturday 21 November 2026, 10:00 in Tokyo: the day every test lives in, too.
pub const NOW: &str = "2026-11-21T10:00:00+09:00";

pub fn clock() -> Clock {
    Clock::fixed(DateTime::parse_from_rfc3339(NOW).unwrap())
}

pub fn scale() -> u32 {
    std::env::var("RENKEI_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100)
}

pub struct LargeSet {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl LargeSet {
    /// A city (`renkei demo --scale N --wards W`; `RENKEI_BENCH_CITY_SCALE`, default 100, and
    /// `RENKEI_BENCH_CITY_WARDS`, default 24), or one made before (`RENKEI_BENCH_CITY_DB`, used
    /// where it is, not copied: it is 18.5 GB; the benches add presence rows to it): generating 24
    /// ward-scale wards takes about 35 minutes of CPU.
    pub fn city() -> LargeSet {
        let dir = tempfile::Builder::new()
            .prefix("renkei-bench-city-")
            .tempdir()
            .unwrap();
        if let Ok(path) = std::env::var("RENKEI_BENCH_CITY_DB") {
            eprintln!("city: {path}");
            return LargeSet {
                dir,
                path: path.into(),
            };
        }
        let path = dir.path().join("city.db");
        let number = |name: &str, default: u32| {
            std::env::var(name)
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(default)
        };
        let (scale, wards) = (
            number("RENKEI_BENCH_CITY_SCALE", 100),
            number("RENKEI_BENCH_CITY_WARDS", 24),
        );
        let started = Instant::now();
        let mut store = Store::open(&path, clock()).unwrap();
        let summary = renkei::demo::load_city(&mut store, scale, wards).unwrap();
        drop(store);
        eprintln!(
            "city: {wards} wards at scale {scale}, {} bodies, {} meetings, in {:.1} s",
            summary.bodies,
            summary.meetings,
            started.elapsed().as_secs_f64(),
        );
        LargeSet { dir, path }
    }

    pub fn generate() -> LargeSet {
        let dir = tempfile::Builder::new()
            .prefix("renkei-bench-")
            .tempdir()
            .unwrap();
        let path = dir.path().join("ward.db");
        if let Ok(from) = std::env::var("RENKEI_BENCH_DB") {
            std::fs::copy(&from, &path).unwrap();
            eprintln!("large set: a copy of {from}");
            return LargeSet { dir, path };
        }
        let started = Instant::now();
        let mut store = Store::open(&path, clock()).unwrap();
        let summary = renkei::demo::load_scaled(&mut store, scale()).unwrap();
        drop(store);
        eprintln!(
            "large set: scale {}, {} bodies, {} meetings, {} generated rows, in {:.1} s ({})",
            scale(),
            summary.bodies,
            summary.meetings,
            summary.rows,
            started.elapsed().as_secs_f64(),
            path.display()
        );
        LargeSet { dir, path }
    }

    pub fn open(&self) -> Store {
        let mut store = Store::open(&self.path, clock()).unwrap();
        store.set_user("bench");
        store
    }
}

/// The app as a fresh start shows it: Japanese, the default theme and keys.
pub fn app(store: &Store) -> App {
    App::new(
        Lang::Ja,
        Theme::default_theme(),
        Keymap::default_keymap(),
        store.now(),
    )
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn char_key(c: char) -> Event {
    key(KeyCode::Char(c))
}

/// What the event loop (`tui::event_loop`) does before its first frame: open, follow the others
/// (a heartbeat: a durable write), load the home screen, draw.
pub fn first_frame(set: &LargeSet) -> (Store, App, Terminal<Scrolling<TestBackend>>, Follow) {
    let mut store = set.open();
    let mut app = app(&store);
    let mut follow = Follow::default();
    follow.tick(&mut app, &mut store);
    tui::start(&mut app, &mut store);
    follow.tick(&mut app, &mut store);
    tui::refresh(&mut app, &store);
    // The terminal as `tui::run` has it: moved rows scrolled (`tui::scroll`), and the detail
    // pane waiting while keys move the selection.
    app.ctx.defer_detail = true;
    app.settle_detail();
    let mut terminal = Terminal::new(Scrolling::new(TestBackend::new(WIDTH, HEIGHT))).unwrap();
    terminal.draw(|f| tui::draw(f, &app)).unwrap();
    (store, app, terminal, follow)
}

/// A renkei command on the set, as the command line runs it, its output thrown away.
pub fn command(set: &LargeSet, args: &[&str]) {
    let mut argv = vec!["renkei", "--db", set.path.to_str().unwrap()];
    argv.extend_from_slice(args);
    let parsed = renkei::cli::Args::parse_from(argv);
    let session = renkei::cli::Session {
        clock: clock(),
        lang: Lang::Ja,
        db: set.path.clone(),
        settings: renkei::config::Settings::default(),
    };
    renkei::cli::run(parsed.command.unwrap(), &session, &mut std::io::sink()).unwrap();
}

/// The actions screen (every open action of ten years: 18 557 on W, 186 101 on W10): opened from the home
/// (the order read, the rows around the selection, drawn) and left again; a key down its list,
/// and a page down (read again when the selection leaves the rows read).
pub fn actions_benches(
    g: &mut criterion::BenchmarkGroup<criterion::measurement::WallTime>,
    store: &mut Store,
    app: &mut App,
    terminal: &mut Terminal<Scrolling<TestBackend>>,
) {
    let (actions, home) = (char_key('3'), char_key('1'));
    g.bench_function("actions_screen_open", |b| {
        b.iter(|| {
            tui::handle(app, store, &actions);
            terminal.draw(|f| tui::draw(f, app)).unwrap();
            tui::handle(app, store, &home);
        })
    });
    tui::handle(app, store, &actions);
    let (down, page) = (char_key('j'), key(KeyCode::PageDown));
    g.bench_function("actions_navigation_keystroke", |b| {
        b.iter(|| {
            tui::handle(app, store, &down);
            terminal.draw(|f| tui::draw(f, app)).unwrap();
        })
    });
    g.bench_function("actions_page_down", |b| {
        b.iter(|| {
            tui::handle(app, store, &page);
            terminal.draw(|f| tui::draw(f, app)).unwrap();
        })
    });
    tui::handle(app, store, &home);
}
