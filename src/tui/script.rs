//! A scripted run of the whole app on an in-memory screen, reading commands from standard input:
//! for tests that need a real process to kill, and for reproducing a session by hand.
//!
//! Commands, one per line: `key SPEC` (as in keymap.toml: `enter`, `n`, `ctrl-c` …),
//! `type TEXT` (each character as a key), `paste TEXT`, `idle` (the typing pauses: what a form
//! holds is kept as its draft), `screen` (prints the screen, then `end`).
//! After each line renkei prints `ok` — by then everything it caused is committed.

use anyhow::{Result, bail};
use crossterm::event::{Event, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::io::{BufRead, Write};

use super::app::App;
use super::keymap::parse_key;
use super::{draw, handle, start};
use crate::store::Store;

pub fn run(
    store: &mut Store,
    app: &mut App,
    input: impl BufRead,
    mut out: impl Write,
    size: (u16, u16),
) -> Result<()> {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1))?;
    start(app, store);
    // The frame as drawn, not the test backend's cells: the backend is sent only what changed,
    // and a terminal clears the cell beside a wide character that a narrow one replaces, which
    // the test backend does not (ratatui's diff counts on it). What ratatui drew is what a
    // terminal shows (tests/terminal.rs checks both).
    let mut frame = terminal.draw(|f| draw(f, app))?.buffer.clone();
    writeln!(out, "ready")?;
    out.flush()?;
    for line in input.lines() {
        let line = line?;
        let (command, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let events: Vec<Event> = match command {
            "key" => match parse_key(rest) {
                Some(key) => vec![Event::Key(KeyEvent::new(key.code, key.modifiers))],
                None => bail!("script: unknown key '{rest}'"),
            },
            "type" => rest
                .chars()
                .map(|c| {
                    Event::Key(KeyEvent::new(
                        crossterm::event::KeyCode::Char(c),
                        KeyModifiers::NONE,
                    ))
                })
                .collect(),
            "paste" => vec![Event::Paste(rest.to_owned())],
            // The typing pauses (the event loop's idle tick, `tui::PAUSE` after the last key):
            // what is typed in a form is kept as its draft.
            "idle" => {
                super::runner::pause(app, store);
                Vec::new()
            }
            "screen" => {
                write!(out, "{}", super::buffer_text(&frame))?;
                writeln!(out, "end")?;
                Vec::new()
            }
            "" => Vec::new(),
            other => bail!("script: unknown command '{other}'"),
        };
        for event in events {
            handle(app, store, &event);
        }
        // `ok` says that everything is committed: a command that waits for another process's
        // lock is waited for.
        while super::resume(app, store) && !crate::store::busy::stop_requested() {}
        app.ctx.now = store.now();
        frame = terminal.draw(|f| draw(f, app))?.buffer.clone();
        writeln!(out, "ok")?;
        out.flush()?;
        if !app.running {
            break;
        }
    }
    Ok(())
}
