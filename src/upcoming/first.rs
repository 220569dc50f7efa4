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
//! stops. When it reads every body (a small ward, a list with few overdue windows) the whole
//! list is made from what it read.

use chrono::{Days, NaiveDate};
use std::collections::{BinaryHeap, HashMap};
use std::rc::Rc;

use super::{BodyRef, Entry, Extra, GroupBy, Listing, body_items, sort, with_meetings};
use crate::domain::calendar::add_months;
use crate::domain::schedule::{OVERDUE_LOOK_BACK_MONTHS, Upcoming};
use crate::store::{Result, Store};

/// What [`first_lines`] could read.
#[derive(Debug, Clone, PartialEq)]
pub enum Lines {
    /// The whole list, as [`super::listing`] makes it (every body was read).
    Whole(Listing),
    /// Its first lines: overdue windows only, the same as the first lines of the whole list.
    First(Listing),
}

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
    let n = n.max(1);
    let mut parsed = HashMap::new();
    let mut read: Vec<(BodyRef, Vec<Upcoming>, Option<Extra>)> = Vec::new();
    // The `n` earliest overdue windows found so far (their first day and body): the latest on top.
    let mut earliest: BinaryHeap<(NaiveDate, i64)> = BinaryHeap::new();
    let mut stopped = false;
    store.each_body_by_last_held(today, earliest_overdue(today), &mut |body, bound| {
        if earliest.len() >= n && earliest.peek().is_some_and(|(from, _)| bound > *from) {
            stopped = true;
            return Ok(false);
        }
        let (body, meetings) = with_meetings(store, body, &mut parsed, today, days, today)?;
        let (items, extra) = body_items(&body, &meetings, today, days, today);
        for item in &items {
            if let Upcoming::Expected {
                window,
                overdue: true,
            } = item
            {
                earliest.push((window.from, body.id));
                if earliest.len() > n {
                    earliest.pop();
                }
            }
        }
        read.push((body, items, extra));
        Ok(true)
    })?;
    let mut listing = Listing::default();
    if !stopped {
        read.sort_by_key(|(body, _, _)| body.id);
        for (body, items, extra) in read {
            listing.push(body, items, extra);
        }
        sort(&mut listing.entries, GroupBy::Date);
        return Ok(Lines::Whole(listing));
    }
    for (body, items, _) in read {
        let overdue: Vec<Upcoming> = items
            .into_iter()
            .filter(|i| matches!(i, Upcoming::Expected { overdue: true, .. }))
            .collect();
        if overdue.is_empty() {
            continue;
        }
        let body = Rc::new(body);
        listing
            .entries
            .extend(overdue.into_iter().map(|item| Entry {
                body: Rc::clone(&body),
                item,
            }));
    }
    sort(&mut listing.entries, GroupBy::Date);
    listing.entries.truncate(n);
    Ok(Lines::First(listing))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::DateTime;

    /// The first lines are the whole list's first lines, whatever the day (one whose meetings
    /// held lie after it too: the days before the demo's years), however many are asked for;
    /// and reading every body gives the whole list itself.
    #[test]
    fn the_first_lines_are_the_whole_lists() {
        let dir = tempfile::tempdir().unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let mut store =
            Store::open(&dir.path().join("t.db"), crate::clock::Clock::fixed(now)).unwrap();
        crate::demo::load_scaled(&mut store, 14).unwrap();
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
