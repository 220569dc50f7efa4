//! What a real terminal shows is the frame: the app runs through the writer `renkei` uses on a
//! terminal (moved rows scrolled, frames sent short: `tui::scroll`, `tui::backend`), and every
//! byte it sends goes into a terminal emulator (the vt100 crate: scrolling regions, erasing,
//! double-width characters). After each key the emulator's screen — characters and colours —
//! must be the frame ratatui drew.

use crate::common;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::{Cell, RefCell};
use std::io::Write;
use std::rc::Rc;
use unicode_width::UnicodeWidthStr;

use common::{TempDb, clock};
use renkei::i18n::Lang;
use renkei::tui::app::App;
use renkei::tui::backend::Wire;
use renkei::tui::keymap::{Keymap, parse_key};
use renkei::tui::scroll::Scrolling;
use renkei::tui::theme::Theme;
use renkei::tui::{self, Follow};

/// The wire: every byte sent, fed to the emulator, and counted.
#[derive(Clone)]
struct Emulator(Rc<RefCell<vt100::Parser>>, Rc<Cell<usize>>);

impl Write for Emulator {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().process(buf);
        self.1.set(self.1.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn colour(c: Color) -> vt100::Color {
    use vt100::Color::{Default, Idx, Rgb};
    match c {
        Color::Reset => Default,
        Color::Black => Idx(0),
        Color::Red => Idx(1),
        Color::Green => Idx(2),
        Color::Yellow => Idx(3),
        Color::Blue => Idx(4),
        Color::Magenta => Idx(5),
        Color::Cyan => Idx(6),
        Color::Gray => Idx(7),
        Color::DarkGray => Idx(8),
        Color::LightRed => Idx(9),
        Color::LightGreen => Idx(10),
        Color::LightYellow => Idx(11),
        Color::LightBlue => Idx(12),
        Color::LightMagenta => Idx(13),
        Color::LightCyan => Idx(14),
        Color::White => Idx(15),
        Color::Indexed(n) => Idx(n),
        Color::Rgb(r, g, b) => Rgb(r, g, b),
    }
}

/// Each difference between the emulator's screen and the frame, as `row:col expected/shown`.
fn differences(frame: &Buffer, screen: &vt100::Screen) -> Vec<String> {
    let mut out = Vec::new();
    for y in 0..frame.area.height {
        let mut x = 0;
        while x < frame.area.width {
            let cell = &frame[(x, y)];
            let width = cell.symbol().width().max(1) as u16;
            let Some(shown) = screen.cell(y, x) else {
                out.push(format!("{y}:{x} missing"));
                break;
            };
            let symbol = match shown.contents() {
                "" => " ",
                s => s,
            };
            // A space shows only its background (and reverse video).
            let blank = cell.symbol() == " ";
            let expected = (
                cell.symbol(),
                (!blank).then(|| colour(cell.fg)),
                colour(cell.bg),
                !blank && cell.modifier.contains(Modifier::BOLD),
                cell.modifier.contains(Modifier::REVERSED),
            );
            let got = (
                symbol,
                (!blank).then(|| shown.fgcolor()),
                shown.bgcolor(),
                !blank && shown.bold(),
                shown.inverse(),
            );
            if expected != got {
                out.push(format!("{y}:{x} {expected:?} / {got:?}"));
            }
            x += width;
        }
    }
    out
}

/// The writer `tui::run` puts between ratatui and the terminal, here onto the emulator.
type Wired = Terminal<Scrolling<CrosstermBackend<Wire<Emulator>>>>;

/// The terminal renkei writes to, as `tui::run` has it (the shorter frames, the scrolled
/// bands), on an emulator of `width`×`height` that every byte goes into.
fn emulated(width: u16, height: u16) -> (Rc<RefCell<vt100::Parser>>, Wired) {
    let (parser, _, terminal) = emulated_counting(width, height);
    (parser, terminal)
}

/// The same, with the count of the bytes sent.
fn emulated_counting(
    width: u16,
    height: u16,
) -> (Rc<RefCell<vt100::Parser>>, Rc<Cell<usize>>, Wired) {
    let parser = Rc::new(RefCell::new(vt100::Parser::new(
        std::num::NonZeroU16::new(height).unwrap(),
        std::num::NonZeroU16::new(width).unwrap(),
        0,
    )));
    let sent = Rc::new(Cell::new(0));
    let area = Rect::new(0, 0, width, height);
    let terminal = Terminal::with_options(
        Scrolling::with_area(
            CrosstermBackend::new(Wire::new(Emulator(Rc::clone(&parser), Rc::clone(&sent)))),
            area,
        ),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .unwrap();
    (parser, sent, terminal)
}

/// The demo data on `db`, at the time `clock` tells, and an app in Japanese in the default
/// colours.
/// (The demo is loaded once per test binary by `sato` at the tests' time, which each clock
/// given here still tells when it is opened, and copied.)
fn demo_app(db: &TempDb, clock: renkei::clock::Clock) -> (renkei::store::Store, App) {
    common::write_private(&db.path, common::sato_demo());
    let mut store = renkei::store::Store::open(&db.path, clock.clone()).unwrap();
    store.set_user("sato");
    let app = App::new(
        Lang::Ja,
        Theme::default_theme(),
        Keymap::default_keymap(),
        clock.now(),
    );
    (store, app)
}

#[test]
fn the_terminal_shows_every_frame_after_every_key() {
    let db = TempDb::new();
    let (mut store, mut app) = demo_app(&db, clock());
    app.ctx.defer_detail = true;
    let (parser, mut terminal) = emulated(80, 24);
    let mut follow = Follow::default();
    follow.tick(&mut app, &mut store);
    tui::start(&mut app, &mut store);
    app.settle_detail();

    let key = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let ch = |c: char| key(KeyCode::Char(c));
    // Down the home list past its bottom and back, pages, the filter (typed in Japanese and
    // erased), the other screens and their lists, the help, and home again.
    let mut walk: Vec<(Event, bool)> = Vec::new();
    let mut keys = |events: Vec<Event>, pause: bool| {
        walk.extend(events.into_iter().map(|e| (e, pause)));
    };
    keys(vec![ch('j'); 40], false);
    keys(vec![ch('k'); 25], true);
    keys(vec![key(KeyCode::PageDown), key(KeyCode::PageDown)], true);
    keys(vec![key(KeyCode::PageUp)], false);
    keys(vec![ch('g'), ch('j'), ch('j'), ch('g'), ch('g')], true);
    keys(
        vec![ch('/'), ch('支'), ch('援'), key(KeyCode::Backspace)],
        true,
    );
    keys(vec![key(KeyCode::Backspace), key(KeyCode::Esc)], true);
    keys(vec![ch('2')], true);
    keys(vec![ch('j'); 30], false);
    keys(vec![ch('k'); 12], true);
    keys(vec![ch('3'), ch('j'), ch('j'), ch('4'), ch('?')], true);
    keys(vec![key(KeyCode::Esc), ch('1'), ch('j'), ch('j')], true);

    let check = |terminal: &mut Terminal<_>, app: &App, step: &str| {
        let completed = terminal.draw(|f| tui::draw(f, app)).unwrap();
        let frame = completed.buffer.clone();
        let parser = parser.borrow();
        let diff = differences(&frame, parser.screen());
        assert!(
            diff.is_empty(),
            "{step}: the terminal differs from the frame at {diff:?}\nframe:\n{}\nterminal:\n{}",
            tui::buffer_text(&frame),
            parser.screen().contents()
        );
    };
    check(&mut terminal, &app, "first frame");
    for (n, (event, pause)) in walk.iter().enumerate() {
        follow.tick(&mut app, &mut store);
        tui::handle(&mut app, &mut store, event);
        check(&mut terminal, &app, &format!("key {n} ({event:?})"));
        if *pause {
            app.settle_detail();
            check(&mut terminal, &app, &format!("pause after key {n}"));
        }
    }
}

/// The screen on the emulator as the script mode prints one: each row's characters, a
/// double-width one once.
fn emulator_text(screen: &vt100::Screen, width: u16, height: u16) -> String {
    let mut out = String::new();
    for y in 0..height {
        for x in 0..width {
            let Some(cell) = screen.cell(y, x) else {
                continue;
            };
            if cell.is_wide_continuation() {
                continue;
            }
            out.push_str(match cell.contents() {
                "" => " ",
                s => s,
            });
        }
        out.push('\n');
    }
    out
}

/// The script mode (`renkei --script`: what tests and bug reports read) prints the screen a
/// terminal shows. A walk through every screen runs twice on the same data: once in the script
/// mode, once through the real terminal writer into the emulator; at each `screen` the two agree.
#[test]
fn the_script_mode_prints_what_the_terminal_shows() {
    // Home (grouped two ways), bodies, the minutes of a body's last meeting (from a list of
    // wide characters to another) and back, actions, the report, a meeting's setup from home,
    // live with a note being typed, its minutes and back, the help, the end confirmation, the
    // minutes of the ended meeting redacted, and back to it.
    for size in [(80, 24), (40, 12)] {
        walk_in_script_mode_and_on_the_wire(size);
    }
}

fn walk_in_script_mode_and_on_the_wire((width, height): (u16, u16)) {
    let walk = [
        "screen",
        "key j",
        "key j",
        "key g",
        "screen",
        "key g",
        "key g",
        "key 2",
        "screen",
        "key j",
        "key j",
        "key m",
        "screen",
        "key j",
        "key esc",
        "screen",
        "key 3",
        "screen",
        "key 4",
        "screen",
        "key 1",
        "key /",
        "type 支援方針検討会議",
        "key enter",
        "screen",
        "key enter",
        "screen",
        "key tab",
        "key b",
        "screen",
        "key n",
        "type 面談の日程を調整中",
        "screen",
        "key enter",
        "key m",
        "screen",
        "key esc",
        "key ?",
        "screen",
        "key esc",
        "key E",
        "screen",
        "key enter",
        "screen",
        "key R",
        "screen",
        "key esc",
        "screen",
    ];
    let start = |db: &TempDb| demo_app(db, clock());

    // The script mode, as `renkei --script` runs it.
    let db = TempDb::new();
    let (mut store, mut app) = start(&db);
    let mut printed = Vec::new();
    let input = walk.join("\n");
    tui::script::run(
        &mut store,
        &mut app,
        input.as_bytes(),
        &mut printed,
        (width, height),
    )
    .unwrap();
    let printed = String::from_utf8(printed).unwrap();
    let mut screens = Vec::new();
    let mut lines = printed.lines();
    while let Some(line) = lines.next() {
        if line == "ok" || line == "ready" {
            continue;
        }
        let mut screen = format!("{line}\n");
        for line in lines.by_ref() {
            if line == "end" {
                break;
            }
            screen.push_str(line);
            screen.push('\n');
        }
        screens.push(screen);
    }
    assert_eq!(
        screens.len(),
        walk.iter().filter(|l| **l == "screen").count(),
        "{printed}"
    );

    // The same walk through the wire into the emulator.
    let db = TempDb::new();
    let (mut store, mut app) = start(&db);
    let (parser, mut terminal) = emulated(width, height);
    tui::start(&mut app, &mut store);
    terminal.draw(|f| tui::draw(f, &app)).unwrap();
    let mut shown = screens.iter();
    for (n, line) in walk.iter().enumerate() {
        let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
        let events: Vec<Event> = match command {
            "key" => {
                let key = parse_key(rest).unwrap();
                vec![Event::Key(KeyEvent::new(key.code, key.modifiers))]
            }
            "type" => rest
                .chars()
                .map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
                .collect(),
            _ => {
                let on_terminal = emulator_text(parser.borrow().screen(), width, height);
                let printed = shown.next().unwrap();
                assert_eq!(
                    printed, &on_terminal,
                    "{width}x{height} step {n}: the script mode printed\n{printed}\nwhere the terminal shows\n{on_terminal}"
                );
                Vec::new()
            }
        };
        for event in events {
            tui::handle(&mut app, &mut store, &event);
        }
        app.ctx.now = store.now();
        terminal.draw(|f| tui::draw(f, &app)).unwrap();
    }
}

/// An idle terminal for `tui::event_loop`: a few keys first, then ticks with no key while the
/// clock moves on by `step`. Before each tick it notes what the frame drawn just before sent
/// and the screen the terminal then shows.
struct Idle {
    keys: std::collections::VecDeque<Event>,
    ticks: usize,
    step: chrono::Duration,
    time: std::sync::Arc<std::sync::Mutex<chrono::DateTime<chrono::FixedOffset>>>,
    sent: Rc<Cell<usize>>,
    parser: Rc<RefCell<vt100::Parser>>,
    /// (bytes sent, screen shown) at each tick.
    frames: Vec<(usize, String)>,
}

impl tui::Events for Idle {
    fn next(&mut self, _timeout: std::time::Duration) -> anyhow::Result<Option<Event>> {
        if let Some(key) = self.keys.pop_front() {
            return Ok(Some(key));
        }
        let shown = self.parser.borrow().screen().contents();
        self.frames.push((self.sent.replace(0), shown));
        *self.time.lock().unwrap() += self.step;
        self.ticks = self.ticks.saturating_sub(1);
        Ok(None)
    }

    fn stop_requested(&self) -> bool {
        self.ticks == 0
    }
}

/// Issue 21: an idle screen sends nothing. The real event loop runs through the real writer
/// (`Scrolling`, `Wire`) over 120 ticks of an injected clock: on home 15 seconds each (its
/// clock shows minutes), on a live meeting 250 ms each, as the loop ticks (its clocks show
/// seconds). A tick whose frame leaves the terminal showing what it showed sends no byte; a
/// minute passing on home sends only the clock's changed digits, a second on a live meeting only
/// its clocks (the item's time running over turns it to the warning colour).
#[test]
fn an_idle_screen_sends_nothing_but_what_changed() {
    let ch = |c: char| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let enter = Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let mut live: Vec<Event> = "2/".chars().map(ch).collect();
    live.extend("就労支援部会".chars().map(ch));
    live.push(enter.clone());
    // Held now: the place left empty, the setup, begun.
    live.push(ch('n'));
    live.push(enter);
    live.push(ch('b'));
    // The most a changed frame may send: home's clock digits; the live meeting's clocks.
    let screens = [
        ("home", Vec::new(), chrono::Duration::seconds(15), 32),
        ("live", live, chrono::Duration::milliseconds(250), 160),
    ];
    for (what, keys, step, most) in screens {
        let db = TempDb::new();
        let time = std::sync::Arc::new(std::sync::Mutex::new(clock().now()));
        let shared = std::sync::Arc::clone(&time);
        let moving = renkei::clock::Clock::from_fn(move || *shared.lock().unwrap());
        let (mut store, mut app) = demo_app(&db, moving);
        app.ctx.defer_detail = true;
        let (parser, sent, mut terminal) = emulated_counting(80, 24);
        let mut idle = Idle {
            keys: keys.into(),
            ticks: 120,
            step,
            time,
            sent,
            parser,
            frames: Vec::new(),
        };
        tui::event_loop(&mut terminal, &mut app, &mut store, &mut idle).unwrap();
        if what == "live" {
            assert!(
                matches!(app.screen(), tui::screens::ScreenId::Live(_)),
                "{:?}",
                app.screen()
            );
        }
        let frames = &idle.frames;
        assert!(frames[0].0 > 1000, "{what}: the first frame is drawn whole");
        let mut changes = 0;
        for (n, pair) in frames.windows(2).enumerate() {
            let ((_, before), (bytes, after)) = (&pair[0], &pair[1]);
            if before == after {
                assert_eq!(*bytes, 0, "{what}: tick {n} sent {bytes} bytes for nothing");
            } else {
                changes += 1;
                assert!(
                    *bytes <= most,
                    "{what}: tick {n} sent {bytes} bytes for a clock\n{before}\n{after}"
                );
            }
        }
        // Half an hour by 15 seconds: the clock in the tab bar changed 30 times; 30 seconds by
        // 250 ms: the live meeting's clocks 30 times.
        assert!((29..=31).contains(&changes), "{what}: {changes} changes");
        let total: usize = frames[1..].iter().map(|(bytes, _)| bytes).sum();
        eprintln!("{what}: {changes} changes in 120 ticks, {total} bytes");
    }
}
