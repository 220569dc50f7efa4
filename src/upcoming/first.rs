//! The first lines of the upcoming list, as the home's first screen shows them, without working
//! out every body's windows (issue 21 item 3: a city has 12 000 bodies).
//!
//! The list begins with the overdue windows, earliest first (then by body). A body's overdue
//! windows all begin after its last meeting held: the window that holds that meeting is filled
//! by it (windows of one body never overlap, see `domain::schedule`), and the windows before it
//! ended before it, too early to be overdue. They also begin no earlier than twelve months and
//! one window (at most 366 days) before today. So the bodies are read in the order of the day
//! after their last meeting held (`Store::each_body_by_last_held`, from schema step 16's
//! `body_last_held`, which triggers keep), each body's lines worked out as the whole list
//! works them out; once `n` overdue windows are found and the next body's windows cannot begin
//! before the `n`-th of them, no body left can change the first `n` lines, and the reading
//! stops. When it reads every body (a small ward, a list with few overdue windows) and the
//! lines asked for reach past the overdue windows, the whole list is made from what it read.

use chrono::{Days, NaiveDate};
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::rc::Rc;

use super::{BodyRef, Entry, Extra, GroupBy, Listing, ReadOnce, body_items, sort, with_meetings};
use crate::domain::calendar::add_months;
use crate::domain::schedule::{OVERDUE_LOOK_BACK_MONTHS, Upcoming};
use crate::store::{BodyPlace, Result, Store};

/// What [`first_lines`] could read.
#[derive(Debug, Clone, PartialEq)]
pub enum Lines {
    /// The whole list, as [`super::listing`] makes it (every body was read, and the lines
    /// asked for reach past the overdue windows).
    Whole(Listing),
    /// Its first lines: overdue windows only, the same as the first lines of the whole list.
    First(Listing),
}

/// Where an overdue window begins: its first day and its body.
type Starts = (NaiveDate, i64);

/// The longest window there is: a fiscal year (366 days in a leap year).
const LONGEST_WINDOW_DAYS: u64 = 366;

/// The first day an overdue window can begin on, for any body, as of `today`.
pub fn earliest_overdue(today: NaiveDate) -> NaiveDate {
    let look_back = add_months(today, -OVERDUE_LOOK_BACK_MONTHS);
    look_back
        .checked_sub_days(Days::new(LONGEST_WINDOW_DAYS))
        .unwrap_or(NaiveDate::MIN)
}

/// The list of the `days` from `today` ordered by date (the home's first grouping), or its first
/// `n` lines when these are overdue windows and reading only some bodies finds them.
pub fn first_lines(store: &Store, today: NaiveDate, days: u32, n: usize) -> Result<Lines> {
    let mut reading = Reading::new(today, days);
    reading.read_until(store, n)?;
    Ok(reading.lines(n))
}

/// The list read a few bodies at a time, in the order of the first day their overdue windows
/// can begin on (see the module's comment), going on from where it stopped: the home reads as
/// many as its first lines need, and a few more at each key, so that no key reads the whole
/// list at once (a city's 12 000 bodies took 121 ms for the key that went past the first
/// lines). What it read stays valid while the database does not change and the day does not
/// end (the home begins a new reading then).
#[derive(Debug)]
pub struct Reading {
    today: NaiveDate,
    days: u32,
    /// The frequencies parsed and the meetings running, read once for the whole reading.
    once: ReadOnce,
    /// Each body read: its lines of the list, and whether it is listed as ad hoc or unknown.
    read: Vec<(BodyRef, Vec<Upcoming>, Option<Extra>)>,
    /// The overdue windows read so far in the order the list begins with: their first day,
    /// body, and where they are in `read` (the body, the line).
    overdue: BTreeSet<(NaiveDate, i64, usize, usize)>,
    /// The last body read, to go on after it.
    place: BodyPlace,
    /// The first day the windows of the next body not read can begin on (none before the first
    /// reading and after the last).
    next: Option<NaiveDate>,
    /// Every body is read.
    done: bool,
}

impl Reading {
    /// A reading of the `days` from `today` that has read nothing yet.
    pub fn new(today: NaiveDate, days: u32) -> Reading {
        Reading {
            today,
            days,
            once: ReadOnce::default(),
            read: Vec::new(),
            overdue: BTreeSet::new(),
            place: BodyPlace::Start,
            next: None,
            done: false,
        }
    }

    /// The day and span this reading lists.
    pub fn of(&self) -> (NaiveDate, u32) {
        (self.today, self.days)
    }

    /// Whether every body is read (the whole list is known).
    pub fn done(&self) -> bool {
        self.done
    }

    /// How many bodies are read.
    pub fn bodies_read(&self) -> usize {
        self.read.len()
    }

    /// How many of the list's first lines are known: the overdue windows no body left to read
    /// can come before.
    pub fn known(&self) -> usize {
        match (self.done, self.next) {
            (true, _) => self.overdue.len(),
            (false, Some(next)) => self.overdue.range(..(next, i64::MIN, 0, 0)).count(),
            (false, None) => 0,
        }
    }

    /// Reads on until the first `n` lines are known (or every body is read).
    pub fn read_until(&mut self, store: &Store, n: usize) -> Result<()> {
        let n = n.max(1);
        // The `n` earliest overdue windows read so far (their first day and body): the latest
        // on top.
        let mut earliest: BinaryHeap<(NaiveDate, i64)> = self
            .overdue
            .iter()
            .take(n)
            .map(|(from, body, _, _)| (*from, *body))
            .collect();
        self.go_on(store, &mut |bound, lines| {
            for &(from, body) in lines {
                earliest.push((from, body));
                if earliest.len() > n {
                    earliest.pop();
                }
            }
            !(earliest.len() >= n && earliest.peek().is_some_and(|(from, _)| bound > *from))
        })
    }

    /// Reads at most `most` more bodies.
    pub fn read_some(&mut self, store: &Store, most: usize) -> Result<()> {
        let mut left = most;
        self.go_on(store, &mut |_, _| {
            let go = left > 0;
            left = left.saturating_sub(1);
            go
        })
    }

    /// Reads the bodies after the last one read while `go` says so, given the next body's
    /// bound and the overdue windows of the body read just before it (their first days and
    /// body; those of the body read last are given once more, with no bound, at the end).
    fn go_on(
        &mut self,
        store: &Store,
        go: &mut dyn FnMut(NaiveDate, &[Starts]) -> bool,
    ) -> Result<()> {
        if self.done {
            return Ok(());
        }
        let (today, days) = (self.today, self.days);
        let mut last: Vec<Starts> = Vec::new();
        let mut stopped = false;
        let Reading {
            once,
            read,
            overdue,
            place,
            next,
            ..
        } = self;
        let after = place.clone();
        store.each_body_by_last_held_after(
            today,
            earliest_overdue(today),
            &after,
            &mut |body, bound, at| {
                *next = Some(bound);
                if !go(bound, &last) {
                    stopped = true;
                    return Ok(false);
                }
                last.clear();
                let (body, meetings) = with_meetings(store, body, once, today, days, today)?;
                let (items, extra) = body_items(&body, &meetings, today, days, today);
                for (i, item) in items.iter().enumerate() {
                    if let Upcoming::Expected {
                        window,
                        overdue: true,
                    } = item
                    {
                        overdue.insert((window.from, body.id, read.len(), i));
                        last.push((window.from, body.id));
                    }
                }
                read.push((body, items, extra));
                *place = at;
                Ok(true)
            },
        )?;
        if !stopped {
            go(NaiveDate::MAX, &last);
            self.done = true;
            self.next = None;
        }
        Ok(())
    }

    /// The whole list when every body is read and `n` lines reach past the overdue windows
    /// (what was read goes into it: it is handed over once), else its first `n` lines (as many
    /// as are known). The whole list is made no sooner: the home then reads the overdue
    /// reviews of cases placed after those windows (28–40 ms on C24), on the key that comes
    /// near them rather than on the key that read the last body.
    pub fn lines(&mut self, n: usize) -> Lines {
        let mut listing = Listing::default();
        if self.done && n > self.overdue.len() {
            let mut read = std::mem::take(&mut self.read);
            self.overdue.clear();
            read.sort_by_key(|(body, _, _)| body.id);
            for (body, items, extra) in read {
                listing.push(body, items, extra);
            }
            sort(&mut listing.entries, GroupBy::Date);
            return Lines::Whole(listing);
        }
        let mut shared: HashMap<i64, Rc<BodyRef>> = HashMap::new();
        for &(_, body_id, at, item) in self.overdue.iter().take(n.min(self.known())) {
            let (body, items, _) = &self.read[at];
            let body = shared
                .entry(body_id)
                .or_insert_with(|| Rc::new(body.clone()));
            listing.entries.push(Entry {
                body: Rc::clone(body),
                item: items[item].clone(),
            });
        }
        Lines::First(listing)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The first lines are the whole list's first lines, whatever the day (one whose meetings
    /// held lie after it too: the days before the demo's years), however many are asked for;
    /// and reading every body gives the whole list itself.
    #[test]
    fn the_first_lines_are_the_whole_lists() {
        let (_dir, store) = super::reading_tests::demo_14();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let (mut first, mut whole) = (0, 0);
        for today in [
            day(2026, 11, 21),
            day(2026, 3, 31),
            day(2024, 4, 1),
            day(2019, 2, 28),
            day(2028, 1, 15),
            day(2016, 6, 1),
        ] {
            let all = super::super::listing(&store, today, 60, today, GroupBy::Date).unwrap();
            for n in [1, 7, 40, 129, 400] {
                match first_lines(&store, today, 60, n).unwrap() {
                    Lines::Whole(listing) => {
                        assert_eq!(listing, all, "{today}, {n} lines");
                        whole += 1;
                    }
                    Lines::First(listing) => {
                        assert_eq!(listing.entries.len(), n, "{today}");
                        assert_eq!(listing.entries[..], all.entries[..n], "{today}, {n} lines");
                        assert!(listing.entries.iter().all(Entry::is_overdue));
                        first += 1;
                    }
                }
            }
        }
        assert!(first >= 3 && whole >= 3, "first {first}, whole {whole}");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod reading_tests {
    use super::*;
    use chrono::DateTime;

    /// The demo at scale 14 (its 59 bodies and 11 more, ten years of history) at 10:00 on
    /// 2026-11-21: loaded once per test binary, copied into the directory returned.
    pub(crate) fn demo_14() -> (tempfile::TempDir, Store) {
        static DEMO_14: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        let dir = tempfile::tempdir().unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let path = dir.path().join("t.db");
        let store = crate::store::testing::copied_store(&DEMO_14, &path, now, |store| {
            crate::demo::load_scaled(store, 14).unwrap();
        });
        (dir, store)
    }

    /// A list of more than a thousand overdue lines, its first ones found without reading
    /// every body: the demo's 70 bodies, four in five weekly, each body's meetings held after
    /// a day of its own in the last year cancelled (its last meeting held between a day and a
    /// year ago). The store and its day.
    pub(crate) fn many_overdue() -> (tempfile::TempDir, Store, NaiveDate) {
        let (dir, store) = demo_14();
        store
            .conn()
            .execute_batch(
                "UPDATE bodies SET frequency_text = '毎週' WHERE id % 5 != 0;
                 UPDATE meetings SET status = 'cancelled' WHERE status = 'held'
                     AND date > date('2026-11-21', '-' || ((body_id * 37) % 360) || ' days');",
            )
            .unwrap();
        (dir, store, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap())
    }

    /// Issue 21 item 1: the home reads its list on from where it stopped, a few bodies at a
    /// key and as far as the selection needs, past 1 024 lines (where it read the whole list
    /// before): every window it reads holds the whole list's lines, and once every body is read
    /// it is the whole list.
    #[test]
    fn reading_on_past_a_thousand_lines_gives_the_whole_lists_lines() {
        let (_dir, store, today) = many_overdue();
        let whole = super::super::listing(&store, today, 60, today, GroupBy::Date).unwrap();
        let overdue = whole.entries.iter().take_while(|e| e.is_overdue()).count();
        assert!(overdue > 1200, "{overdue} overdue lines");
        let bodies = store.schedule_bodies(today).unwrap().len();

        let mut reading = Reading::new(today, 60);
        let steps = [
            (0, 1),
            (2, 129),
            (0, 1000),
            (1, 1023),
            (0, 1024),
            (0, 1025),
            (3, 1100),
            (0, 1100),
        ];
        let mut before = 0;
        for (ahead, n) in steps {
            reading.read_some(&store, ahead).unwrap();
            reading.read_until(&store, n).unwrap();
            assert!(reading.bodies_read() >= before, "read {n}");
            before = reading.bodies_read();
            match reading.lines(n) {
                Lines::First(first) => {
                    assert!(reading.known() >= n, "{n}: {} known", reading.known());
                    assert_eq!(first.entries.len(), n);
                    assert_eq!(first.entries[..], whole.entries[..n], "{n} lines");
                }
                Lines::Whole(listing) => panic!("{n} lines: all {}", listing.entries.len()),
            }
        }
        assert!(before < bodies, "every body read for 1 100 lines");
        // The last overdue lines, in a reading of their own (they may need every body).
        let mut far = Reading::new(today, 60);
        far.read_until(&store, overdue - 1).unwrap();
        match far.lines(overdue - 1) {
            Lines::First(first) => assert_eq!(first.entries[..], whole.entries[..overdue - 1]),
            Lines::Whole(listing) => assert_eq!(listing, whole),
        }
        while !reading.done() {
            reading.read_some(&store, 5).unwrap();
        }
        assert_eq!(reading.bodies_read(), bodies);
        // Every body read: the first lines up to the last overdue window, then the whole list.
        match reading.lines(overdue) {
            Lines::First(first) => assert_eq!(first.entries[..], whole.entries[..overdue]),
            Lines::Whole(_) => panic!("the whole list for the overdue lines"),
        }
        assert_eq!(reading.lines(overdue + 1), Lines::Whole(whole.clone()));
        assert_eq!(reading.bodies_read(), 0, "handed over");
        // Reading on a few bodies at a time gives what one reading of them all gives.
        assert_eq!(
            first_lines(&store, today, 60, overdue + 1).unwrap(),
            Lines::Whole(whole)
        );
    }
}
