//! What one keystroke sends down the SSH link: the bytes ratatui's diffed redraw writes to the
//! terminal (crossterm escape sequences and text) after a navigation key on the home screen.
//!
//! ```sh
//! RENKEI_NOW=2026-11-21T10:00 target/release/renkei --db /tmp/ward.db demo --scale 100
//! RENKEI_NOW=2026-11-21T10:00 cargo run --release --example keystroke_bytes -- /tmp/ward.db
//! ```
//!
//! The app starts as `renkei` does (Japanese, the default theme, 80x24, the terminal writer of
//! `tui::run`), draws its first frame,
//! then takes each key and draws again; only the second draw's bytes are counted. Budget: a
//! navigation keystroke writes under 300 bytes.

use anyhow::{Context, Result, bail};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;

use renkei::clock::Clock;
use renkei::i18n::Lang;
use renkei::store::Store;
use renkei::tui::app::App;
use renkei::tui::backend::Wire;
use renkei::tui::keymap::Keymap;
use renkei::tui::theme::Theme;
use renkei::tui::{self, Follow};

const WIDTH: u16 = 80;
const HEIGHT: u16 = 24;

/// A terminal that only counts what it is sent (and with `--show` prints it, ESC as `^[`).
#[derive(Clone, Default)]
struct Counter(Rc<Cell<usize>>, bool);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        if self.1 {
            print!("{}", String::from_utf8_lossy(buf).replace('\x1b', "^["));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show = args.iter().any(|a| a == "--show");
    let Some(db) = args.iter().find(|a| !a.starts_with("--")) else {
        bail!("usage: keystroke_bytes DATABASE [--show] (made by `renkei demo --scale 100`)");
    };
    let clock = Clock::from_env().map_err(anyhow::Error::msg)?;
    let mut store = Store::open(db.as_ref(), clock.clone()).context("opening the database")?;
    let mut app = App::new(
        Lang::Ja,
        Theme::default_theme(),
        Keymap::default_keymap(),
        clock.now(),
    );
    // A fixed viewport: the size is not asked of a terminal, since there is none here.
    let sent = Counter(Rc::default(), show);
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(Wire::new(sent.clone())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
        },
    )?;
    let mut follow = Follow::default();
    follow.tick(&mut app, &mut store);
    tui::start(&mut app, &mut store);
    terminal.draw(|f| tui::draw(f, &app))?;
    if show {
        println!();
    }
    println!("first frame: {} bytes ({WIDTH}x{HEIGHT})", sent.0.get());
    let keys = [
        ("j (down)", KeyCode::Char('j')),
        ("j (down)", KeyCode::Char('j')),
        ("k (up)", KeyCode::Char('k')),
        ("PageDown (scrolls the list)", KeyCode::PageDown),
        ("j (down, scrolled)", KeyCode::Char('j')),
    ];
    for (name, code) in keys {
        sent.0.set(0);
        follow.tick(&mut app, &mut store);
        tui::handle(
            &mut app,
            &mut store,
            &Event::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        terminal.draw(|f| tui::draw(f, &app))?;
        if show {
            println!();
        }
        println!("{name}: {} bytes", sent.0.get());
    }
    // The list's first 50 lines one after the other: what a person scrolling down sends.
    let (mut total, mut most) = (0, 0);
    let steps = 50;
    for _ in 0..steps {
        sent.0.set(0);
        follow.tick(&mut app, &mut store);
        tui::handle(
            &mut app,
            &mut store,
            &Event::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)),
        );
        terminal.draw(|f| tui::draw(f, &app))?;
        total += sent.0.get();
        most = most.max(sent.0.get());
    }
    println!(
        "{steps} more j: {} bytes on average, {most} at most",
        total / steps
    );
    Ok(())
}
