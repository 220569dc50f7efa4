//! The upcoming list: every body's scheduled meetings and expected windows in a range, with the
//! overdue ones first. The CLI and the home screen both read it.

use chrono::{Datelike, Days, NaiveDate};
use std::collections::HashMap;
use std::rc::Rc;

use crate::config::DateStyle;
use crate::domain::calendar::{add_months, format_wareki_iso};
use crate::domain::frequency::{self, Cadence, Frequency};
use crate::domain::model::MeetingStatus;
use crate::domain::schedule::{self, KnownMeeting, MeetingState, Upcoming};
use crate::i18n::Lang;
use crate::store::{KnownMeetingRow, Result, ScheduleBody, Store};

mod first;
mod sorted;
#[cfg(test)]
pub(crate) use first::reading_tests::many_overdue;
pub use first::{Lines, Reading, earliest_overdue, first_lines};
pub use sorted::Sorted;

/// One line of the upcoming list. Its body is shared by the body's other lines: a year of a
/// city's 12 000 bodies is hundreds of thousands of lines, each a few words of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub body: Rc<BodyRef>,
    pub item: Upcoming,
}

/// The body an entry belongs to, as lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyRef {
    pub id: i64,
    pub name: String,
    pub organiser: String,
    pub kind: String,
    pub frequency: Frequency,
    pub personal_info: bool,
    /// The body's ward: its row (1 is this database's own) and its name, for lists that show
    /// the ward where the database holds more than one.
    pub ward_id: i64,
    pub ward: String,
}

impl Entry {
    /// The day the entry sorts by: the meeting's date, or the window's first day.
    pub fn date(&self) -> NaiveDate {
        match &self.item {
            Upcoming::Scheduled { date, .. } => *date,
            Upcoming::Expected { window, .. } => window.from,
        }
    }

    pub fn is_overdue(&self) -> bool {
        matches!(self.item, Upcoming::Expected { overdue: true, .. })
    }
}

/// How the list is ordered and grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum GroupBy {
    #[default]
    Date,
    Body,
    Frequency,
}

/// The upcoming list and the bodies that meet only when needed (or whose frequency is unreadable).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listing {
    pub entries: Vec<Entry>,
    pub ad_hoc: Vec<BodyRef>,
    pub unknown: Vec<BodyRef>,
}

/// Builds the list for `[from, from + days]` as of `today`. Each body's meetings are read only
/// for the days its list can depend on (see [`relevant_days`]), never its whole history.
/// The heading of one day's group in the upcoming list, in `lang`: in the config's date style
/// when it names one, else 令和 with the ISO date in Japanese, the weekday and date in English
/// (`Mon 23 Nov 2026 (2026-11-23)`).
/// The command line and the screens say it the same way.
pub fn date_heading(date: NaiveDate, lang: Lang, style: Option<DateStyle>) -> String {
    match (style, lang) {
        (Some(style), _) => style.format(date, lang),
        (None, Lang::Ja) => format_wareki_iso(date),
        // Short enough for the narrowest screen, as the Japanese heading is (34 cells).
        (None, Lang::En) => date.format("%a %-d %b %Y (%Y-%m-%d)").to_string(),
    }
}

pub fn listing(
    store: &Store,
    from: NaiveDate,
    days: u32,
    today: NaiveDate,
    by: GroupBy,
) -> Result<Listing> {
    let mut listing = Listing::default();
    let mut once = ReadOnce::default();
    for body in store.schedule_bodies(today)? {
        let (body_ref, meetings) = with_meetings(store, body, &mut once, from, days, today)?;
        listing.add(body_ref, &meetings, from, days, today);
    }
    sort(&mut listing.entries, by);
    Ok(listing)
}

/// The ids of the bodies `keep` keeps, each read as the lists show it (its frequency parsed once
/// for all bodies that write it the same): which lines of a sorted list a filter shows, found
/// without reading any body's meetings.
pub fn bodies_where(
    store: &Store,
    keep: &dyn Fn(&BodyRef) -> bool,
) -> Result<std::collections::HashSet<i64>> {
    let mut parsed = HashMap::new();
    let mut kept = std::collections::HashSet::new();
    store.each_body_as_listed(&mut |body| {
        let frequency = parsed_once(&mut parsed, &body.frequency);
        let body = body_ref(body, frequency);
        if keep(&body) {
            kept.insert(body.id);
        }
        Ok(())
    })?;
    Ok(kept)
}

/// What one reading of the list reads once for all its bodies: each frequency written, parsed
/// once (a city's 12 000 bodies write a few dozen), and the meetings running (begun and not
/// ended, 開催中) by body. These are listed whatever their date while the range holds today,
/// so they are read apart from each body's days: one narrow read (`Store::running_meetings`),
/// at the first body, never a body's history.
#[derive(Debug, Default)]
pub(crate) struct ReadOnce {
    parsed: HashMap<String, Frequency>,
    running: Option<HashMap<i64, Vec<KnownMeetingRow>>>,
}

impl ReadOnce {
    /// The meetings running of the body `id`.
    fn running(&mut self, store: &Store, id: i64) -> Result<&[KnownMeetingRow]> {
        if self.running.is_none() {
            let mut by_body: HashMap<i64, Vec<KnownMeetingRow>> = HashMap::new();
            for m in store.running_meetings()? {
                by_body.entry(m.body_id).or_default().push(m);
            }
            self.running = Some(by_body);
        }
        Ok(self
            .running
            .as_ref()
            .and_then(|r| r.get(&id))
            .map_or(&[], Vec::as_slice))
    }
}

/// A body as lists show it, and its meetings the list of `[from, from + days]` depends on:
/// those of its relevant days, its last meeting held and its meetings running.
pub(crate) fn with_meetings(
    store: &Store,
    body: ScheduleBody,
    once: &mut ReadOnce,
    from: NaiveDate,
    days: u32,
    today: NaiveDate,
) -> Result<(BodyRef, Vec<KnownMeeting>)> {
    let last = body.last_held;
    let frequency = parsed_once(&mut once.parsed, &body.frequency);
    let body_ref = body_ref(body, frequency);
    let within = relevant_days(&body_ref.frequency, last.map(|m| m.date), from, days, today);
    let mut rows = store.body_meetings(body_ref.id, within)?;
    if let Some(last) = last.filter(|l| !rows.iter().any(|m| m.id == l.id)) {
        rows.push(last);
    }
    let running = once.running(store, body_ref.id)?;
    for m in running {
        if !rows.iter().any(|r| r.id == m.id) {
            rows.push(*m);
        }
    }
    let meetings = rows
        .into_iter()
        .map(|m| known(m, running.iter().any(|r| r.id == m.id)))
        .collect();
    Ok((body_ref, meetings))
}

/// What a body is besides its lines: one that meets when needed, or whose frequency is not
/// understood (with nothing scheduled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extra {
    AdHoc,
    Unknown,
}

/// One body's lines of the list, and whether it is listed as ad hoc or not understood.
fn body_items(
    body: &BodyRef,
    meetings: &[KnownMeeting],
    from: NaiveDate,
    days: u32,
    today: NaiveDate,
) -> (Vec<Upcoming>, Option<Extra>) {
    let items = schedule::upcoming_for_body(&body.frequency, meetings, from, days, today);
    let has_scheduled = items
        .iter()
        .any(|i| matches!(i, Upcoming::Scheduled { .. }));
    let extra = if body.frequency.unknown && !has_scheduled {
        Some(Extra::Unknown)
    } else if body.frequency.ad_hoc && items.is_empty() {
        Some(Extra::AdHoc)
    } else {
        None
    };
    (items, extra)
}

/// A frequency as written, parsed once per listing (a city's 12 000 bodies write a few dozen).
pub(crate) fn parsed_once(parsed: &mut HashMap<String, Frequency>, text: &str) -> Frequency {
    if let Some(f) = parsed.get(text) {
        return f.clone();
    }
    let f = frequency::parse(text);
    parsed.insert(text.to_owned(), f.clone());
    f
}

pub(crate) fn body_ref(body: ScheduleBody, frequency: Frequency) -> BodyRef {
    BodyRef {
        id: body.id,
        frequency,
        name: body.name,
        organiser: body.organiser,
        kind: body.kind,
        personal_info: body.personal_info,
        ward_id: body.ward_id,
        ward: body.ward,
    }
}

impl Listing {
    /// Adds one body's upcoming meetings, or the body itself to the ad hoc or unreadable ones.
    fn add(
        &mut self,
        body: BodyRef,
        meetings: &[KnownMeeting],
        from: NaiveDate,
        days: u32,
        today: NaiveDate,
    ) {
        let (items, extra) = body_items(&body, meetings, from, days, today);
        self.push(body, items, extra);
    }

    /// Adds one body's lines worked out by [`body_items`].
    fn push(&mut self, body: BodyRef, items: Vec<Upcoming>, extra: Option<Extra>) {
        match extra {
            Some(Extra::Unknown) => self.unknown.push(body.clone()),
            Some(Extra::AdHoc) => self.ad_hoc.push(body.clone()),
            None => {}
        }
        if items.is_empty() {
            return;
        }
        let body = Rc::new(body);
        self.entries.extend(items.into_iter().map(|item| Entry {
            body: Rc::clone(&body),
            item,
        }));
    }
}

/// A meeting as the schedule reads it; `running`: begun and not ended.
fn known(m: KnownMeetingRow, running: bool) -> KnownMeeting {
    KnownMeeting {
        id: m.id,
        date: m.date,
        state: match m.status {
            MeetingStatus::Planned if running => MeetingState::Running,
            MeetingStatus::Planned => MeetingState::Planned,
            MeetingStatus::Held => MeetingState::Held,
            MeetingStatus::Cancelled => MeetingState::Cancelled,
        },
    }
}

/// The days whose meetings can change a body's list: the windows
/// [`schedule::upcoming_for_body`] lays out (the same call, so the same windows: from the overdue
/// look-back, or `from`, to the end of the range, or yesterday) and the range itself (planned
/// meetings). A meeting outside every window fills none and is not listed, so leaving it out
/// changes nothing; the last meeting held, which anchors the windows, is read separately. `None`
/// (read everything) when the span leaves the years 0–9999, where dates stored as text no longer
/// sort as dates.
fn relevant_days(
    freq: &Frequency,
    last_held: Option<NaiveDate>,
    from: NaiveDate,
    days: u32,
    today: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let limit = add_months(today, -schedule::OVERDUE_LOOK_BACK_MONTHS);
    let look_back = match last_held {
        Some(held) => held.succ_opt().unwrap_or(NaiveDate::MAX).max(limit),
        None => limit,
    };
    let yesterday = today.pred_opt().unwrap_or(today);
    let end = days.checked_sub(1).map(|d| {
        from.checked_add_days(Days::new(u64::from(d)))
            .unwrap_or(NaiveDate::MAX)
    });
    let span_to = end.unwrap_or(from).max(yesterday);
    let windows = schedule::expected_windows(freq, last_held, from.min(look_back), span_to);
    let first = windows.iter().map(|w| w.from).fold(from, NaiveDate::min);
    let last = windows
        .iter()
        .map(|w| w.to)
        .fold(end.unwrap_or(from), NaiveDate::max);
    let sortable = |d: NaiveDate| (0..=9999).contains(&d.year());
    (sortable(first) && sortable(last)).then_some((first, last))
}

/// Overdue first, then by the chosen grouping; ties by date and body. By date, meetings with a
/// date come before the windows that still need one.
pub fn sort(entries: &mut [Entry], by: GroupBy) {
    let dated = |e: &Entry| matches!(e.item, Upcoming::Expected { .. });
    entries.sort_by(|a, b| {
        let overdue = b.is_overdue().cmp(&a.is_overdue());
        let group = match by {
            GroupBy::Date => dated(a).cmp(&dated(b)),
            GroupBy::Body => a
                .body
                .name
                .cmp(&b.body.name)
                .then(a.body.id.cmp(&b.body.id)),
            GroupBy::Frequency => {
                cadence_rank(&a.body.frequency).cmp(&cadence_rank(&b.body.frequency))
            }
        };
        overdue
            .then(group)
            .then(a.date().cmp(&b.date()))
            .then(a.body.id.cmp(&b.body.id))
    });
}

/// Frequent bodies first: monthly before yearly, ad hoc and unknown last.
pub fn cadence_rank(freq: &Frequency) -> (u8, u32) {
    match freq.cadence() {
        Cadence::AdHoc => (2, 0),
        Cadence::Unknown => (3, 0),
        _ => (1, u32::MAX - freq.per_year_min.unwrap_or(0)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_days_heading_is_in_the_language_asked_whatever_the_style() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let japanese = |t: &str| {
            t.chars().any(|c| {
                ('\u{3040}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c)
            })
        };
        for style in [
            None,
            Some(DateStyle::Wareki),
            Some(DateStyle::Iso),
            Some(DateStyle::Both),
        ] {
            let en = date_heading(day, Lang::En, style);
            assert!(!japanese(&en), "{style:?}: {en}");
            assert!(japanese(&date_heading(day, Lang::Ja, style)), "{style:?}");
        }
        assert_eq!(
            date_heading(day, Lang::En, None),
            "Mon 23 Nov 2026 (2026-11-23)"
        );
        assert_eq!(
            date_heading(day, Lang::Ja, None),
            "令和8年11月23日（月）(2026-11-23)"
        );
    }

    /// The list as it was built before the reads were narrowed: every meeting of every body.
    fn from_whole_history(store: &Store, from: NaiveDate, days: u32, today: NaiveDate) -> Listing {
        let mut by_body: HashMap<i64, Vec<KnownMeeting>> = HashMap::new();
        let running = store.live_meetings().unwrap();
        for m in store.known_meetings().unwrap() {
            let body = m.body_id;
            by_body
                .entry(body)
                .or_default()
                .push(known(m, running.contains(&m.id)));
        }
        let mut listing = Listing::default();
        for body in store.schedule_bodies(today).unwrap() {
            let meetings = by_body.remove(&body.id).unwrap_or_default();
            let frequency = frequency::parse(&body.frequency);
            listing.add(body_ref(body, frequency), &meetings, from, days, today);
        }
        sort(&mut listing.entries, GroupBy::Date);
        listing
    }

    /// Attack14 finding 8, bounded: meetings left running (the oldest, the last one before
    /// today, the latest) are listed whatever their date by every path — the whole
    /// list as the whole history makes it, the CLI's sorted list, the home's reading — read
    /// through the `meetings_running` index alone, and the home's first lines still read only
    /// some bodies.
    #[test]
    fn meetings_left_running_are_listed_by_every_path_from_a_narrow_read() {
        let (_dir, store, today) = super::first::reading_tests::many_overdue();
        let ids: Vec<i64> = store
            .conn()
            .prepare(
                "SELECT * FROM (SELECT id FROM meetings ORDER BY date, id LIMIT 1) UNION ALL
                 SELECT * FROM (SELECT id FROM meetings WHERE date < '2026-11-21'
                                ORDER BY date DESC, id DESC LIMIT 1) UNION ALL
                 SELECT * FROM (SELECT id FROM meetings ORDER BY date DESC, id DESC LIMIT 1)",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(ids.len(), 3, "{ids:?}");
        for id in &ids {
            store
                .conn()
                .execute(
                    "UPDATE meetings SET status = 'planned', started_at = date || 'T09:00:00+09:00',
                         ended_at = NULL WHERE id = ?1",
                    [id],
                )
                .unwrap();
        }
        let plan: String = store
            .conn()
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id, body_id, date, status FROM meetings
                 INDEXED BY meetings_running
                 WHERE ended_at IS NULL AND started_at IS NOT NULL AND status = 'planned'",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(
            plan.contains("SEARCH") && plan.contains("meetings_running"),
            "{plan}"
        );
        assert_eq!(store.running_meetings().unwrap().len(), 3);

        let whole = listing(&store, today, 60, today, GroupBy::Date).unwrap();
        assert_eq!(whole, from_whole_history(&store, today, 60, today));
        let scheduled = |l: &Listing| -> Vec<i64> {
            l.entries
                .iter()
                .filter_map(|e| match e.item {
                    Upcoming::Scheduled { meeting_id, .. } => Some(meeting_id),
                    Upcoming::Expected { .. } => None,
                })
                .filter(|id| ids.contains(id))
                .collect()
        };
        // By date: the oldest first.
        assert_eq!(scheduled(&whole), ids);
        let mut sorted = Vec::new();
        Sorted::build(&store, (today, 60, today), GroupBy::Date, (true, None))
            .unwrap()
            .each_entry(&mut |e| {
                if let Upcoming::Scheduled { meeting_id, .. } = e.item {
                    sorted.push(meeting_id);
                }
                Ok(())
            })
            .unwrap();
        sorted.retain(|id| ids.contains(id));
        assert_eq!(sorted, ids);
        // A range that does not hold today: what is dated in it only (the oldest is not).
        let before = today - Duration::days(61);
        let dated = scheduled(&listing(&store, before, 60, today, GroupBy::Date).unwrap());
        assert!(!dated.contains(&ids[0]), "{dated:?}");

        let bodies = store.schedule_bodies(today).unwrap().len();
        let mut reading = Reading::new(today, 60);
        reading.read_until(&store, 40).unwrap();
        assert!(matches!(reading.lines(40), Lines::First(_)));
        assert!(
            reading.bodies_read() < bodies,
            "every body read for 40 lines"
        );
        assert_eq!(
            first_lines(&store, today, 60, 100_000).unwrap(),
            Lines::Whole(whole)
        );
    }

    #[test]
    fn reading_only_the_relevant_days_lists_what_the_whole_history_lists() {
        // The demo's 59 bodies and 11 more, with ten years of history: every kind of frequency,
        // planned meetings, and bodies left overdue.
        let (_dir, store) = super::first::reading_tests::demo_14();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let todays = [
            day(2026, 11, 21),
            day(2026, 3, 31),
            day(2024, 4, 1),
            day(2019, 2, 28),
            day(2028, 1, 15),
        ];
        let mut compared = 0;
        for today in todays {
            for offset in [-400, 0, 45] {
                let from = today + Duration::days(offset);
                for days in [0, 60, 900] {
                    let narrow = listing(&store, from, days, today, GroupBy::Date).unwrap();
                    let whole = from_whole_history(&store, from, days, today);
                    assert_eq!(narrow, whole, "today {today}, from {from}, {days} days");
                    compared += narrow.entries.len();
                }
            }
        }
        assert!(compared > 1000, "too little to compare: {compared} entries");
    }
}
