//! The upcoming list: every body's scheduled meetings and expected windows in a range, with the
//! overdue ones first. The CLI and the home screen both read it.

use chrono::NaiveDate;
use std::collections::HashMap;

use crate::domain::frequency::{self, Cadence, Frequency};
use crate::domain::model::MeetingStatus;
use crate::domain::schedule::{self, KnownMeeting, MeetingState, Upcoming};
use crate::store::{Result, Store};

/// One line of the upcoming list.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub body: BodyRef,
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

/// Builds the list for `[from, from + days]` as of `today`.
pub fn listing(
    store: &Store,
    from: NaiveDate,
    days: u32,
    today: NaiveDate,
    by: GroupBy,
) -> Result<Listing> {
    let mut by_body: HashMap<i64, Vec<KnownMeeting>> = HashMap::new();
    for m in store.known_meetings()? {
        by_body.entry(m.body_id).or_default().push(KnownMeeting {
            id: m.id,
            date: m.date,
            state: match m.status {
                MeetingStatus::Planned => MeetingState::Planned,
                MeetingStatus::Held => MeetingState::Held,
                MeetingStatus::Cancelled => MeetingState::Cancelled,
            },
        });
    }
    let mut listing = Listing::default();
    for body in store.bodies()? {
        let rec = body.record;
        let body_ref = BodyRef {
            id: body.id,
            frequency: frequency::parse(&rec.frequency),
            name: rec.name,
            organiser: rec.organiser,
            kind: rec.kind,
            personal_info: rec.personal_info,
        };
        let meetings = by_body.remove(&body.id).unwrap_or_default();
        let items = schedule::upcoming_for_body(&body_ref.frequency, &meetings, from, days, today);
        let has_scheduled = items
            .iter()
            .any(|i| matches!(i, Upcoming::Scheduled { .. }));
        if body_ref.frequency.unknown && !has_scheduled {
            listing.unknown.push(body_ref.clone());
        } else if body_ref.frequency.ad_hoc && items.is_empty() {
            listing.ad_hoc.push(body_ref.clone());
        }
        listing.entries.extend(items.into_iter().map(|item| Entry {
            body: body_ref.clone(),
            item,
        }));
    }
    sort(&mut listing.entries, by);
    Ok(listing)
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
