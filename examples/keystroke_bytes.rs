//! What one keystroke sends down the SSH link: the bytes ratatui's diffed redraw writes to the
//! terminal (crossterm escape sequences and text) after a navigation key on the home screen.
//!
//! ```sh
//! RENKEI_NOW=2026-11-21T10:00 target/release/renkei --db /tmp/ward.db demo --scale 100
//! RENKEI_NOW=2026-11-21T10:00 cargo run --release --example keystroke_bytes -- /tmp/ward.db
//! ```
//!
//! The app starts as `renkei` does (Japanese, the default theme, 80x24, the terminal writer of
//! `tui::run`: moved rows
//! scrolled, frames sent shorter), draws its first frame, then takes each key and draws again; only the second draw's bytes are counted. Budget: a
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
use renkei::tui::scroll::Scrolling;
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
    let area = Rect::new(0, 0, WIDTH, HEIGHT);
    let mut terminal = Terminal::with_options(
        Scrolling::with_area(CrosstermBackend::new(Wire::new(sent.clone())), area),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )?;
    // As `tui::run` sets it: the body detail pane waits while keys move the selection.
    app.ctx.defer_detail = true;
    let mut follow = Follow::default();
    follow.tick(&mut app, &mut store);
    tui::start(&mut app, &mut store);
    app.settle_detail();
    terminal.draw(|f| tui::draw(f, &app))?;
    if show {
        println!();
    }
    println!("first frame: {} bytes ({WIDTH}x{HEIGHT})", sent.0.get());
    let mut s = Session {
        app,
        store,
        terminal,
        follow,
        sent,
        show,
    };
    let keys = [
        ("j (down)", KeyCode::Char('j')),
        ("j (down)", KeyCode::Char('j')),
        ("k (up)", KeyCode::Char('k')),
        ("PageDown (scrolls the list)", KeyCode::PageDown),
        ("j (down, scrolled)", KeyCode::Char('j')),
    ];
    for (name, code) in keys {
        let keystroke = s.key(code)?;
        // The keys pause: the detail pane follows in a frame of its own.
        let settle = s.settle()?;
        println!("{name}: {keystroke} bytes; the detail pane after the pause: {settle} bytes");
    }
    // The list's next 50 lines one after the other (a held key, or j pressed 50 times while
    // the list scrolls): the keystrokes alone, then the detail pane once they stop.
    let (mut total, mut most) = (0, 0);
    let steps = 50;
    for _ in 0..steps {
        let keystroke = s.key(KeyCode::Char('j'))?;
        total += keystroke;
        most = most.max(keystroke);
    }
    let settle = s.settle()?;
    println!(
        "{steps} more j: {} bytes on average, {most} at most; the detail pane after: {settle} bytes",
        total / steps
    );
    // The same walk with a pause after every keystroke: key and detail pane together.
    let (mut total, mut most) = (0, 0);
    for _ in 0..steps {
        let both = s.key(KeyCode::Char('j'))? + s.settle()?;
        total += both;
        most = most.max(both);
    }
    println!(
        "{steps} more j, a pause after each: {} bytes on average with the detail pane, {most} at most",
        total / steps
    );
    // The bodies screen: its list is the left pane, which no terminal can scroll alone.
    s.key(KeyCode::Char('2'))?;
    s.settle()?;
    let (mut total, mut most) = (0, 0);
    for _ in 0..steps {
        let keystroke = s.key(KeyCode::Char('j'))?;
        total += keystroke;
        most = most.max(keystroke);
    }
    println!(
        "bodies screen, {steps} j: {} bytes on average, {most} at most; the detail pane after: {} bytes",
        total / steps,
        s.settle()?
    );
    Ok(())
}

struct Session<B: ratatui::backend::Backend> {
    app: App,
    store: Store,
    terminal: Terminal<B>,
    follow: Follow,
    sent: Counter,
    show: bool,
}

impl<B: ratatui::backend::Backend> Session<B>
where
    B::Error: Send + Sync + 'static,
{
    /// One key as the event loop takes it; the bytes its frame sends.
    fn key(&mut self, code: KeyCode) -> Result<usize> {
        self.sent.0.set(0);
        self.follow.tick(&mut self.app, &mut self.store);
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        tui::handle(&mut self.app, &mut self.store, &event);
        self.draw()
    }

    /// The frame drawn when the keys pause: the detail pane follows the selection.
    fn settle(&mut self) -> Result<usize> {
        self.sent.0.set(0);
        self.app.settle_detail();
        self.draw()
    }

    fn draw(&mut self) -> Result<usize> {
        let app = &self.app;
        self.terminal.draw(|f| tui::draw(f, app))?;
        if self.show {
            println!();
        }
        Ok(self.sent.0.get())
    }
}
