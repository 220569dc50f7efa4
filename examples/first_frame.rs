//! Where the home screen's first frame goes: each read the home makes, timed on its own in one
//! process (each run a few times, the fastest kept: the reads after the first find the pages in
//! the cache, as the TUI's own reads mostly do), then the first frame as `renkei` draws it
//! (open, the heartbeat, load, draw) and navigation keys on it.
//!
//! Times are CPU time of the thread (`CLOCK_THREAD_CPUTIME_ID`), which a
//! machine shared with others' builds measures as well as a quiet one; wall time beside it.
//!
//! ```sh
//! RENKEI_NOW=2026-11-21T10:00 cargo run --release --example first_frame -- /tmp/ward.db
//! ```
//!
//! The database is written to (a heartbeat, as the TUI writes one): use a copy, or
//! `--read-only` (no heartbeat, the data version not followed; nothing else is written) for a
//! database that must not be written to (a city too large to copy).

use anyhow::{Result, bail};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

use renkei::clock::Clock;
use renkei::i18n::Lang;
use renkei::store::Store;
use renkei::tui::app::App;
use renkei::tui::keymap::Keymap;
use renkei::tui::theme::Theme;
use renkei::tui::{self, Follow};
use renkei::upcoming::{self, GroupBy};

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

unsafe extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

/// Linux's clock of the CPU time of the calling thread.
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

/// The CPU time this thread has had (to the nanosecond: the kernel counts the running thread's
/// time up to the call, where /proc's counters lag by a tick).
fn cpu() -> Duration {
    let mut t = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `t` is, and keeps no pointer.
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// A span of CPU time and of wall time.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Spent {
    cpu: Duration,
    wall: Duration,
}

impl Spent {
    fn since(cpu_at: Duration, wall_at: Instant) -> Spent {
        Spent {
            cpu: cpu() - cpu_at,
            wall: wall_at.elapsed(),
        }
    }
}

/// The fastest of `n` runs of `f` by CPU time.
fn fastest<T>(n: usize, mut f: impl FnMut() -> Result<T>) -> Result<Spent> {
    let mut best: Option<Spent> = None;
    for _ in 0..n {
        let (c, w) = (cpu(), Instant::now());
        let kept = f()?;
        let spent = Spent::since(c, w);
        best = Some(best.map_or(spent, |b| b.min(spent)));
        drop(kept);
    }
    best.ok_or_else(|| anyhow::anyhow!("no run"))
}

fn ms(s: Spent) -> String {
    format!(
        "{:8.2} ms CPU ({:.2} ms wall)",
        s.cpu.as_secs_f64() * 1000.0,
        s.wall.as_secs_f64() * 1000.0
    )
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read_only = args.iter().any(|a| a == "--read-only");
    let Some(db) = args.iter().find(|a| *a != "--read-only").cloned() else {
        bail!("usage: first_frame [--read-only] DATABASE (a copy: the heartbeat writes to it)");
    };
    // The heartbeat and the following of others' writes, as the TUI's loop makes them (a write),
    // or nothing but the first load.
    let tick = |follow: &mut Follow, app: &mut App, store: &mut Store| {
        if read_only {
            app.ctx.dirty = true;
        } else {
            follow.tick(app, store);
        }
    };
    let clock = Clock::from_env().map_err(anyhow::Error::msg)?;
    let today = clock.today();
    let runs = 5;

    let open = fastest(runs, || Ok(Store::open(db.as_ref(), clock.clone())?))?;
    let store = Store::open(db.as_ref(), clock.clone())?;
    println!("{} Store::open", ms(open));
    println!(
        "{} bodies ({})",
        ms(fastest(runs, || Ok(store.bodies()?))?),
        store.bodies()?.len()
    );
    println!(
        "{} body_wards (what the home reads of the bodies since issue 21 item 1)",
        ms(fastest(runs, || Ok(store.body_wards()?))?)
    );
    println!(
        "{} schedule_bodies",
        ms(fastest(runs, || Ok(store.schedule_bodies(today)?))?)
    );
    let listing = upcoming::listing(&store, today, 60, today, GroupBy::Date)?;
    println!(
        "{} upcoming::listing, 60 days ({} entries)",
        ms(fastest(runs, || Ok(upcoming::listing(
            &store,
            today,
            60,
            today,
            GroupBy::Date
        )?))?),
        listing.entries.len()
    );
    let first = upcoming::first_lines(&store, today, 60, 129)?;
    println!(
        "{} upcoming::first_lines, 129 lines ({}: what the home's first frame reads)",
        ms(fastest(runs, || Ok(upcoming::first_lines(
            &store, today, 60, 129
        )?))?),
        match first {
            upcoming::Lines::Whole(_) => "every body read: the whole list",
            upcoming::Lines::First(_) => "the first lines",
        }
    );
    println!(
        "{} live_meetings",
        ms(fastest(runs, || Ok(store.live_meetings()?))?)
    );
    let counts = store.review_counts()?;
    println!(
        "{} review_counts ({} overdue, {} due today)",
        ms(fastest(runs, || Ok(store.review_counts()?))?),
        counts.overdue.iter().map(|(_, n)| n).sum::<usize>(),
        counts.today.iter().map(|(_, n)| n).sum::<usize>()
    );
    drop(store);

    // The first frame as the event loop makes it (see benches/large/mod.rs).
    let mut frames = Vec::new();
    let mut kept = None;
    for _ in 0..runs {
        let (c, w) = (cpu(), Instant::now());
        let mut store = Store::open(db.as_ref(), clock.clone())?;
        store.set_user("first_frame");
        let mut app = App::new(
            Lang::Ja,
            Theme::default_theme(),
            Keymap::default_keymap(),
            store.now(),
        );
        let mut follow = Follow::default();
        let opened = Spent::since(c, w);
        tick(&mut follow, &mut app, &mut store);
        tui::start(&mut app, &mut store);
        if !read_only {
            follow.tick(&mut app, &mut store);
        }
        let (c2, w2) = (cpu(), Instant::now());
        tui::refresh(&mut app, &store);
        app.ctx.defer_detail = true;
        app.settle_detail();
        let loaded = Spent::since(c2, w2);
        let (c3, w3) = (cpu(), Instant::now());
        let mut terminal = Terminal::new(TestBackend::new(80, 24))?;
        terminal.draw(|f| tui::draw(f, &app))?;
        let drawn = Spent::since(c3, w3);
        frames.push((Spent::since(c, w), opened, loaded, drawn));
        kept = Some((store, app, terminal, follow));
    }
    frames.sort();
    let (total, opened, loaded, drawn) = frames[0];
    println!("{} first frame", ms(total));
    println!("    {} of it opening", ms(opened));
    println!("    {} loading the home", ms(loaded));
    println!("    {} drawing", ms(drawn));

    let Some((mut store, mut app, mut terminal, mut follow)) = kept else {
        bail!("no frame");
    };
    let key = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let keys = 200;
    let zero = Spent {
        cpu: Duration::ZERO,
        wall: Duration::ZERO,
    };
    // The slowest key and its number: the keys on the first lines read the list ahead, and
    // the one that reads its last body makes the whole list of what was read.
    let mut slowest = (zero, 0);
    let (c, w) = (cpu(), Instant::now());
    for n in 0..keys {
        let (c1, w1) = (cpu(), Instant::now());
        if !read_only {
            follow.tick(&mut app, &mut store);
        }
        tui::handle(
            &mut app,
            &mut store,
            &key(if n % 2 == 0 { 'j' } else { 'k' }),
        );
        terminal.draw(|f| tui::draw(f, &app))?;
        slowest = slowest.max((Spent::since(c1, w1), n + 1));
    }
    let spent = Spent::since(c, w);
    let mean = Spent {
        cpu: spent.cpu / keys,
        wall: spent.wall / keys,
    };
    println!("{} a navigation key (mean of {keys})", ms(mean));
    println!("{} the slowest of them (key {})", ms(slowest.0), slowest.1);
    // Down through the list: the keys that come near the end of the first lines read read
    // further (then the whole list, past upcoming's most first lines).
    let mut slowest = zero;
    let (c, w) = (cpu(), Instant::now());
    let down = 1500;
    for _ in 0..down {
        let (c1, w1) = (cpu(), Instant::now());
        tui::handle(&mut app, &mut store, &key('j'));
        terminal.draw(|f| tui::draw(f, &app))?;
        slowest = slowest.max(Spent::since(c1, w1));
    }
    let spent = Spent::since(c, w);
    let mean = Spent {
        cpu: spent.cpu / down,
        wall: spent.wall / down,
    };
    println!("{} a key down, {down} from the top (mean)", ms(mean));
    println!("{} the slowest of them", ms(slowest));
    Ok(())
}
