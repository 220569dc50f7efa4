//! Waiting for another process's write lock.
//!
//! SQLite lets one connection write at a time. A capture, an edit or an approval must never fail
//! because someone else is importing, so a write that finds the lock taken waits — by default as
//! long as it takes — polling in short steps, so that a request to end the process (SIGHUP,
//! SIGTERM …: [`request_stop`]) ends the wait at once. An import stays one transaction (all or
//! nothing); whoever comes next simply waits for its commit.
//!
//! What a screen needs in order to keep drawing while it waits: [`set_patience`] bounds the wait
//! of the calling thread; a write that runs out of patience fails with an error for which
//! [`StoreError::is_busy`](super::StoreError::is_busy) is true, and can simply be tried again (the
//! screen says "waiting for another process…" meanwhile). [`on_wait`] names what to do once a write
//! has waited noticeably (the command line says so on standard error, once).

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Set when the process has been asked to end: no write waits any more.
static STOP: AtomicBool = AtomicBool::new(false);

/// A wait shorter than this goes unremarked (another capture's commit takes milliseconds).
const NOTICE_AFTER: Duration = Duration::from_millis(300);

/// The longest pause between two tries: how late a request to end can be seen.
const LONGEST_STEP: Duration = Duration::from_millis(25);

thread_local! {
    /// How long a write of this thread may wait; `None`: as long as it takes.
    static PATIENCE: Cell<Option<Duration>> = const { Cell::new(None) };
    /// When the current wait began.
    static SINCE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Whether the current wait was already told to [`on_wait`]'s hook.
    static TOLD: Cell<bool> = const { Cell::new(false) };
    static HOOK: RefCell<Option<Box<dyn FnMut()>>> = const { RefCell::new(None) };
}

/// The process is asked to end (a signal): every waiting write gives up now, and none waits again.
pub fn request_stop() {
    STOP.store(true, Ordering::Relaxed);
}

pub fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// Bounds how long the writes of the calling thread wait for another process (`None`: as long as
/// it takes, the default).
pub fn set_patience(patience: Option<Duration>) {
    PATIENCE.with(|p| p.set(patience));
}

/// Called on the calling thread when one of its writes has waited for another process for a
/// noticeable time (once per wait).
pub fn on_wait(hook: impl FnMut() + 'static) {
    HOOK.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
}

/// SQLite's busy handler: `tries` counts the calls for one lock, from 0. Returns whether to try
/// again.
pub(super) fn handler(tries: i32) -> bool {
    keep_waiting(tries, Instant::now())
}

/// Whether a write that has found the lock taken `tries` times should try again, pausing first.
pub(super) fn keep_waiting(tries: i32, now: Instant) -> bool {
    if stop_requested() {
        return false;
    }
    if tries == 0 {
        SINCE.with(|s| s.set(Some(now)));
        TOLD.with(|t| t.set(false));
    }
    let waited = now.duration_since(SINCE.with(Cell::get).unwrap_or(now));
    if PATIENCE
        .with(Cell::get)
        .is_some_and(|limit| waited >= limit)
    {
        return false;
    }
    if waited >= NOTICE_AFTER && !TOLD.with(|t| t.replace(true)) {
        HOOK.with(|h| {
            if let Some(hook) = h.borrow_mut().as_mut() {
                hook();
            }
        });
    }
    // Short first steps (the usual wait is another capture's commit), then a steady pace.
    let step = Duration::from_millis(1 << tries.clamp(0, 5)).min(LONGEST_STEP);
    std::thread::sleep(step);
    !stop_requested()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patience_bounds_the_wait_and_the_hook_is_told_once() {
        let told = std::rc::Rc::new(Cell::new(0));
        let counter = std::rc::Rc::clone(&told);
        on_wait(move || counter.set(counter.get() + 1));
        set_patience(Some(Duration::from_secs(1)));
        let start = Instant::now();
        assert!(keep_waiting(0, start));
        assert!(keep_waiting(1, start + Duration::from_millis(100)));
        assert_eq!(told.get(), 0, "a short wait goes unremarked");
        assert!(keep_waiting(2, start + Duration::from_millis(400)));
        assert!(keep_waiting(3, start + Duration::from_millis(500)));
        assert_eq!(told.get(), 1, "said once");
        assert!(!keep_waiting(4, start + Duration::from_millis(1000)));
        // Without a bound, a write waits on.
        set_patience(None);
        assert!(keep_waiting(5, start + Duration::from_secs(3600)));
        assert_eq!(told.get(), 1);
    }
}
