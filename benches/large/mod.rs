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

use renkei::clock::Clock;
use renkei::i18n::Lang;
use renkei::store::Store;
use renkei::tui::app::App;
use renkei::tui::keymap::Keymap;
use renkei::tui::theme::Theme;

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
