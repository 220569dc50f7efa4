//! The terminal app; README.md in this folder draws how it fits together. A key becomes an
//! [`crate::keys::Action`]; the top screen's pure update ([`screens::Screen`]) changes its state
//! and returns commands; the runner ([`runner`]) performs them on the store (each committed at
//! once) and has the screen read again what it shows. Here: the terminal itself (set up,
//! restored, its events) and the loop, generic over ratatui's `Backend`, so tests drive the whole
//! app on a `TestBackend`.

pub mod app;
pub mod backend;
mod case_command;
mod chrome;
pub mod command;
mod follow;
mod hangup;
pub mod keymap;
mod look;
pub mod runner;
pub mod screens;
pub mod script;
pub mod scroll;
pub mod theme;
pub mod widgets;
pub mod words;

use anyhow::Result;
use crossterm::event::{self, Event};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::store::Store;
use app::App;
pub use chrome::draw;
pub use follow::Follow;
pub use runner::{dispatch, handle, refresh, resume, start};
use screens::Overlay;

/// The screen as a person sees it: one line per row, each double-width character once (the cell
/// it covers is not printed again). For tests and the script mode.
pub fn buffer_text(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            out.push_str(symbol);
            skip = crate::text::width(symbol).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// How long the loop waits for a key before redrawing the clocks and checking for signals.
const TICK: Duration = Duration::from_millis(250);

/// How long the typing must pause before what is typed in a form is written as its draft
/// (`store::drafts`): a kill loses at most the last second typed, and a steady typist causes no
/// write at all until they stop.
pub const PAUSE: Duration = Duration::from_secs(1);

/// How long the keys must pause before a waiting detail pane follows the selection: longer than
/// a held key's repeat (about 30 ms) and an SSH link's jitter, short enough to go unnoticed.
const SETTLE: Duration = Duration::from_millis(100);

/// The shortest time between two frames while keys keep coming (text typed by a tool, a paste
/// the terminal does not bracket): keys that arrive within it are handled before the next frame
/// is drawn. A frame per key redrew a long field for every character (CPU quadratic in its
/// length). A key typed by hand comes later than this after the last frame, and is drawn at once.
const FRAME_INTERVAL: Duration = Duration::from_millis(30);

/// Where events come from: the real terminal, or a test's script.
pub trait Events {
    /// The next event, or `None` when `timeout` passed without one.
    fn next(&mut self, timeout: Duration) -> Result<Option<Event>>;
    /// An event that comes within `within` (a short wait, before the next frame is drawn);
    /// `None` when none does. A script gives none: each of its steps is a frame.
    fn pending(&mut self, _within: Duration) -> Result<Option<Event>> {
        Ok(None)
    }
    /// A hang-up or termination signal arrived: end now (everything is already saved).
    fn stop_requested(&self) -> bool {
        false
    }

    /// The terminal was given back and taken again (Ctrl-Z, then `fg`): whatever it shows now
    /// is not the last frame, so the next one is drawn whole.
    fn resumed(&mut self) -> bool {
        false
    }

    /// Sends bytes meant for the terminal itself (the clipboard sequence).
    fn emit(&mut self, _bytes: &str) {}

    /// Whether the terminal is gone (hung up): then failing to draw on it is the end, not an
    /// error.
    fn terminal_gone(&mut self) -> bool {
        false
    }
}

/// How long crossterm is given to read what the terminal has: not zero, which makes it skip the
/// events it already holds.
const CROSSTERM_LOOK: Duration = Duration::from_millis(1);

/// The real terminal's events, and SIGHUP/SIGTERM or the terminal going away as a request
/// to stop.
pub struct TerminalEvents {
    requests: Arc<hangup::Requests>,
    tty: Option<std::fs::File>,
    /// The terminal was seen hung up: it stays so.
    gone: bool,
}

impl TerminalEvents {
    pub fn new() -> Result<TerminalEvents> {
        let requests = Arc::new(hangup::Requests::default());
        hangup::watch_signals(Arc::clone(&requests))?;
        Ok(TerminalEvents {
            requests,
            tty: hangup::terminal_input(),
            gone: false,
        })
    }

    fn hung_up(&mut self) -> Option<Event> {
        self.gone = true;
        self.requests.stop.store(true, Ordering::Relaxed);
        None
    }

    /// Ctrl-Z is job control, not a key for the screens.
    fn job_control(event: Event) -> Option<Event> {
        use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
        match &event {
            Event::Key(key)
                if key.code == KeyCode::Char('z')
                    && key.modifiers.contains(KeyModifiers::CONTROL)
                    && key.kind == KeyEventKind::Press =>
            {
                hangup::suspend();
                None
            }
            _ => Some(event),
        }
    }

    /// The next event of the terminal, Ctrl-Z included.
    fn next_event(&mut self, timeout: Duration) -> Result<Option<Event>> {
        // crossterm waits on a terminal that is gone as on one that has input (its reads of
        // nothing return at once): the waiting is done here, where the end is seen, and crossterm
        // is only asked briefly.
        let Some(tty) = &self.tty else {
            return Ok(if event::poll(timeout)? {
                Some(event::read()?)
            } else {
                None
            });
        };
        if hangup::wait(tty, Duration::ZERO)? == hangup::Input::HungUp {
            return Ok(self.hung_up());
        }
        // Events crossterm read before and keeps (several keys in one read, a paste).
        if event::poll(CROSSTERM_LOOK)? {
            return Ok(Some(event::read()?));
        }
        match hangup::wait(tty, timeout)? {
            hangup::Input::HungUp => Ok(self.hung_up()),
            hangup::Input::Nothing => Ok(None),
            hangup::Input::Ready => Ok(if event::poll(CROSSTERM_LOOK)? {
                Some(event::read()?)
            } else {
                None
            }),
        }
    }
}

impl Events for TerminalEvents {
    fn next(&mut self, timeout: Duration) -> Result<Option<Event>> {
        Ok(self
            .next_event(timeout)?
            .and_then(TerminalEvents::job_control))
    }

    fn pending(&mut self, within: Duration) -> Result<Option<Event>> {
        if self.tty.is_none() {
            return Ok(None);
        }
        Ok(self
            .next_event(within)?
            .and_then(TerminalEvents::job_control))
    }

    fn stop_requested(&self) -> bool {
        self.requests.stop.load(Ordering::Relaxed)
    }

    fn resumed(&mut self) -> bool {
        self.requests.redraw.swap(false, Ordering::Relaxed)
    }

    fn terminal_gone(&mut self) -> bool {
        if !self.gone
            && self.tty.as_ref().is_some_and(|tty| {
                matches!(hangup::wait(tty, Duration::ZERO), Ok(hangup::Input::HungUp))
            })
        {
            self.hung_up();
        }
        self.gone
    }

    fn emit(&mut self, bytes: &str) {
        let mut stdout = std::io::stdout();
        let _ = stdout.write_all(bytes.as_bytes());
        let _ = stdout.flush();
    }
}

/// Runs the app on the real terminal until the user quits or a signal ends it; the terminal is
/// restored on every way out, a panic included.
pub fn run(store: &mut Store, app: &mut App) -> Result<()> {
    install_panic_hook();
    app.ctx.defer_detail = true;
    // A write that finds another process's lock taken gives up briefly, so that the screen
    // keeps drawing and says so; the runner tries it again on every tick (runner.rs).
    crate::store::busy::set_patience(Some(runner::PATIENCE));
    // Started without a terminal (`ssh server renkei` without -t, a launcher, cron): said, with
    // what to do, instead of the system's "No such device or address".
    if !has_terminal() {
        return Err(crate::i18n::Msg::new("tui_needs_terminal").into());
    }
    let mut terminal = enter()?;
    let mut events = match TerminalEvents::new() {
        Ok(events) => events,
        Err(e) => {
            leave();
            return Err(e);
        }
    };
    let result = event_loop(&mut terminal, app, store, &mut events);
    if events.terminal_gone() {
        // Nothing can be shown any more. Dropping the terminal would try to show the cursor and
        // report failing to on a standard error that is gone too — which is itself a panic.
        std::mem::forget(terminal);
        return Ok(());
    }
    leave();
    result
}

/// Whether the screen can be drawn: the standard output is a terminal and the process has one
/// to read keys from (`/dev/tty`, as crossterm reads them).
fn has_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::fs::File::open("/dev/tty").is_ok()
}

/// The real terminal: moved bands of rows scrolled, each frame sent in fewer bytes.
type Term = scroll::Scrolling<ratatui::backend::CrosstermBackend<backend::Wire<std::io::Stdout>>>;

fn enter() -> Result<Terminal<Term>> {
    reenter()?;
    let stdout = std::io::stdout();
    // Each frame goes out shorter: what an SSH link carries at every keystroke.
    let terminal = Terminal::new(scroll::Scrolling::new(
        ratatui::backend::CrosstermBackend::new(backend::Wire::new(stdout)),
    ))?;
    Ok(terminal)
}

/// Takes the terminal: raw mode, the alternate screen, bracketed paste (at the start, and again
/// when the process continues after a stop).
pub(crate) fn reenter() -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::event::EnableBracketedPaste,
        crossterm::cursor::Hide
    )
}

/// Puts the terminal back as the shell had it. Safe to call twice.
pub fn leave() {
    let mut stdout = std::io::stdout();
    let _ = crossterm::execute!(
        stdout,
        crossterm::event::DisableBracketedPaste,
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = stdout.flush();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
}

/// One event handled; the detail pane shown now unless the event only moved along a list.
fn handle_one(app: &mut App, store: &mut Store, event: &Event) {
    let screen = app.screen();
    let bare = |app: &App| matches!(app.ctx.overlay, Overlay::None);
    let was_bare = bare(app);
    handle(app, store, event);
    if app.screen() != screen || !was_bare || !bare(app) {
        app.settle_detail();
    }
}

/// The character a key press types, if it is one (no Ctrl or Alt).
fn typed_char(event: &Event) -> Option<char> {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    match event {
        Event::Key(key)
            if key.kind == KeyEventKind::Press
                && (key.modifiers - KeyModifiers::SHIFT).is_empty() =>
        {
            match key.code {
                KeyCode::Char(c) => Some(c),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether an event is a plain Enter pressed.
fn is_enter(event: &Event) -> bool {
    use crossterm::event::{KeyCode, KeyEventKind};
    matches!(event, Event::Key(key) if key.code == KeyCode::Enter
        && key.kind == KeyEventKind::Press && key.modifiers.is_empty())
}

/// Character keys that came together, put into the text that takes them: one as the key it
/// is, several as one text typed ([`runner::type_text`]); `keys` emptied.
fn put_text(app: &mut App, store: &mut Store, keys: &mut Vec<Event>) {
    match keys.as_slice() {
        [] => {}
        [key] => handle_one(app, store, key),
        _ => {
            let text: String = keys.iter().filter_map(typed_char).collect();
            runner::type_text(app, store, &text);
            app.settle_detail();
        }
    }
    keys.clear();
}

/// The loop: load, draw, wait for an event (or a tick, which moves the clocks), handle it.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    store: &mut Store,
    events: &mut impl Events,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    // Follow first: its first look at the data version counts as a change, which after start()
    // would load every list a second time before the first frame.
    let mut follow = Follow::default();
    follow.tick(app, store);
    start(app, store);
    app.settle_detail();
    // How long no event came (the waits that ran out, added): the typing paused at PAUSE.
    let mut quiet = Duration::ZERO;
    while app.running {
        app.ctx.now = store.now();
        follow.tick(app, store);
        // A command that waited for another process's lock is tried again, then what was
        // typed meanwhile is handled.
        resume(app, store);
        refresh(app, store);
        if events.resumed() {
            // Back from a stop: the terminal shows something else (and may have changed size);
            // draw every cell again. (Terminal::clear would ask the terminal where its cursor
            // is, which not every terminal answers.)
            let size = terminal.size()?;
            terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
        }
        if let Err(e) = terminal.draw(|frame| draw(frame, app)) {
            if events.terminal_gone() {
                break;
            }
            return Err(e.into());
        }
        let drawn = std::time::Instant::now();
        for bytes in app.ctx.outbox.drain(..) {
            events.emit(&bytes);
        }
        if events.stop_requested() {
            break;
        }
        let wait = if app.waiting() {
            runner::PATIENCE
        } else if app.detail_waits() {
            SETTLE
        } else {
            TICK
        };
        match events.next(wait)? {
            Some(event) => {
                // Keys that come soon after the last frame are handled before the next one;
                // characters among them going into a text are put in at once (a text area
                // measures its whole text at every edit: CPU quadratic in a long field).
                let mut next = Some(event);
                let mut typed = Vec::new();
                while let Some(event) = next.take() {
                    // The event after an Enter, when one is there already.
                    let mut after = None;
                    if typed_char(&event).is_some() && app.takes_text() {
                        typed.push(event);
                    } else if is_enter(&event) && app.takes_text() && !typed.is_empty() {
                        // An Enter between characters of one burst typed into a text (a paste
                        // the terminal does not bracket) breaks the line of the text it is in,
                        // as a bracketed paste does: taken for the form's save, it left the
                        // lines after it to be read as commands — `E` ended the meeting, `x`
                        // removed a line. An Enter that follows no character of the burst (a
                        // form opened and saved at once, keys typed ahead: `n` Enter `b`)
                        // stays the save.
                        after = events.pending(Duration::ZERO)?;
                        if after.as_ref().is_some_and(|e| typed_char(e).is_some()) {
                            typed.push(Event::Key(crossterm::event::KeyEvent::new(
                                crossterm::event::KeyCode::Char('\n'),
                                crossterm::event::KeyModifiers::NONE,
                            )));
                        } else {
                            put_text(app, store, &mut typed);
                            handle_one(app, store, &event);
                        }
                    } else {
                        put_text(app, store, &mut typed);
                        handle_one(app, store, &event);
                    }
                    if after.is_some() {
                        next = after;
                        continue;
                    }
                    let since = drawn.elapsed();
                    if app.running
                        && !app.waiting()
                        && !events.stop_requested()
                        && since < FRAME_INTERVAL
                    {
                        next = events.pending(FRAME_INTERVAL - since)?;
                    }
                }
                put_text(app, store, &mut typed);
                quiet = Duration::ZERO;
            }
            None => {
                app.settle_detail();
                let before = quiet;
                quiet = quiet.saturating_add(wait);
                if before < PAUSE && quiet >= PAUSE {
                    runner::pause(app, store);
                }
            }
        }
        if events.stop_requested() {
            break;
        }
    }
    // Ended with a form open (a hang-up, a termination): what is typed in it is kept as its
    // draft.
    runner::close(app, store);
    let _ = store.leave();
    Ok(())
}
