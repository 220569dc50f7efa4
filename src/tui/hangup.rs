//! The terminal going away: an SSH connection dropped, a tmux session killed, a window closed.
//! renkei must then end — everything is already saved — and not stay behind. Two things make
//! sure of it:
//!
//! - [`wait`] looks at the terminal before crossterm reads it: a hung-up terminal (the poll says
//!   so, or says "readable" with nothing to read) ends the session. crossterm itself would read
//!   it again and again in a loop that never returns, at full CPU, with every signal unheard.
//! - [`watch_signals`]: SIGHUP, SIGTERM, SIGINT and SIGQUIT (sent by another process: typed, they
//!   are keys in raw mode) ask the event loop to stop, and a write waiting for another process's
//!   lock to give up; if the loop has not stopped [`GRACE`] later (it was stuck somewhere it
//!   cannot see the request), the terminal is restored and the process ends anyway, with status 0
//!   whichever of them it was. A capture is committed before it is shown, so nothing confirmed is
//!   lost.
//! - SIGTSTP (Ctrl-Z, which the event loop turns into the signal) restores the terminal before the
//!   process stops; SIGCONT takes the terminal again and asks the loop to draw the whole screen.

use std::fs::File;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long the event loop has to stop after a signal before the process ends without it: the
/// loop looks every tick (250 ms), a waiting write gives up within 25 ms, and the whole must end
/// within a second.
const GRACE: Duration = Duration::from_millis(600);

/// What the terminal has for us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Nothing,
    Ready,
    HungUp,
}

/// The terminal crossterm reads keys from: standard input when it is a terminal, else
/// `/dev/tty`. `None` when neither can be had (then crossterm is asked directly).
pub fn terminal_input() -> Option<File> {
    let stdin = std::io::stdin();
    if rustix::termios::isatty(stdin.as_fd()) {
        return stdin.as_fd().try_clone_to_owned().ok().map(File::from);
    }
    File::open("/dev/tty").ok()
}

/// Waits up to `timeout` for input on the terminal.
pub fn wait(tty: &File, timeout: Duration) -> std::io::Result<Input> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let mut fds = [PollFd::new(tty, PollFlags::IN)];
    let timeout = Timespec {
        tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: i64::from(timeout.subsec_nanos()),
    };
    match poll(&mut fds, Some(&timeout)) {
        Ok(0) => return Ok(Input::Nothing),
        Ok(_) => {}
        Err(rustix::io::Errno::INTR) => return Ok(Input::Nothing),
        Err(e) => return Err(e.into()),
    }
    let ready = fds[0].revents();
    if ready.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
        return Ok(Input::HungUp);
    }
    if ready.contains(PollFlags::IN) {
        // Readable with nothing to read: the end of the terminal's input.
        return Ok(match rustix::io::ioctl_fionread(tty) {
            Ok(0) | Err(_) => Input::HungUp,
            Ok(_) => Input::Ready,
        });
    }
    Ok(Input::Nothing)
}

/// What the signals ask of the event loop.
#[derive(Debug, Default)]
pub struct Requests {
    /// End now.
    pub stop: AtomicBool,
    /// The terminal was taken again after a stop: draw the whole screen.
    pub redraw: AtomicBool,
}

/// The signals that end renkei: each a clean end, exit status 0.
const ENDING: [i32; 4] = [
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
];

/// Watches the signals on a thread of its own: an ending one sets `stop` (and stops waiting
/// writes), and a process still running [`GRACE`] later ends; SIGTSTP gives the terminal back
/// and stops; SIGCONT takes it again and sets `redraw`.
pub fn watch_signals(requests: Arc<Requests>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGCONT, SIGTSTP};
    let mut signals =
        signal_hook::iterator::Signals::new(ENDING.iter().chain(&[SIGTSTP, SIGCONT]))?;
    std::thread::Builder::new()
        .name("renkei-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                match signal {
                    SIGTSTP => {
                        super::leave();
                        // Stops the process here (SIGSTOP), until SIGCONT.
                        let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
                    }
                    SIGCONT => {
                        if super::reenter().is_ok() {
                            requests.redraw.store(true, Ordering::Relaxed);
                        }
                    }
                    _ => {
                        crate::store::busy::request_stop();
                        requests.stop.store(true, Ordering::Relaxed);
                        std::thread::spawn(|| {
                            std::thread::sleep(GRACE);
                            super::leave();
                            std::process::exit(0);
                        });
                    }
                }
            }
        })?;
    Ok(())
}

/// Ctrl-Z typed: in raw mode the terminal sends it as a key, not as the signal; renkei raises the
/// signal itself, so that the shell's job control works as with any program.
pub fn suspend() {
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A pipe stands in for the terminal: written to is ready, closed is the end.
    #[test]
    fn input_nothing_and_the_end_are_told_apart() {
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        let reader = File::from(reader);
        let mut writer = File::from(writer);
        assert_eq!(wait(&reader, Duration::ZERO).unwrap(), Input::Nothing);
        writer.write_all(b"j").unwrap();
        assert_eq!(wait(&reader, Duration::ZERO).unwrap(), Input::Ready);
        let mut byte = [0u8; 1];
        std::io::Read::read(&mut &reader, &mut byte).unwrap();
        assert_eq!(wait(&reader, Duration::ZERO).unwrap(), Input::Nothing);
        // Closed: the end, even with input left unread (a half-sent key is no use any more).
        writer.write_all(b"\x1b[").unwrap();
        drop(writer);
        assert_eq!(wait(&reader, Duration::ZERO).unwrap(), Input::HungUp);
    }
}
