//! The upcoming list of a whole city for the command line (`renkei upcoming`, its table, JSON
//! and calendar), never held: each body's lines are worked out as its meetings are read and put
//! into a temporary table of SQLite's (which spills to disk past its page cache) with their
//! place in [`super::sort`]'s order; the list is then read back in that order, as often as it
//! is asked for, each line's body read again by its id (the last few kept). A year of a city's
//! thousands of bodies is hundreds of thousands of lines: they are SQLite's to sort, not ours
//! to hold. The home screen's list, a few weeks of one ward, is [`super::listing`]'s.

use chrono::{Datelike, NaiveDate};
use rusqlite::params;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::{
    BodyRef, Entry, Extra, GroupBy, ReadOnce, body_items, body_ref, cadence_rank, with_meetings,
};
use crate::domain::schedule::{Upcoming, Window};
use crate::store::{Result, Store, StoreError};

/// The list, sorted in a temporary table for as long as it lives.
pub struct Sorted<'a> {
    store: &'a Store,
    /// The bodies listed (by a line, or as ad hoc or not understood) are of more than one ward.
    pub several_wards: bool,
}

/// How many bodies are kept while the list is read (the lines of one date come from many).
const BODIES_KEPT: usize = 1024;

impl<'a> Sorted<'a> {
    /// The list of `[from, from + days]` as of `today`, in the order of `by`; `scheduled_only`
    /// leaves the expected windows out (the ad hoc and not understood bodies stay); `ward`
    /// (`--ward`) keeps the bodies of that ward only.
    pub fn build(
        store: &'a Store,
        (from, days, today): (NaiveDate, u32, NaiveDate),
        by: GroupBy,
        (scheduled_only, ward): (bool, Option<i64>),
    ) -> Result<Sorted<'a>> {
        // Its lines commit together (see `Store::batched`).
        store.batched(|| Sorted::write(store, (from, days, today), by, (scheduled_only, ward)))
    }

    /// [`Sorted::build`]'s writing of the lines.
    fn write(
        store: &'a Store,
        (from, days, today): (NaiveDate, u32, NaiveDate),
        by: GroupBy,
        (scheduled_only, ward): (bool, Option<i64>),
    ) -> Result<Sorted<'a>> {
        let conn = store.conn();
        conn.execute_batch(
            "DROP TABLE IF EXISTS temp.upcoming_lines;
             CREATE TEMP TABLE upcoming_lines (
                 overdue INTEGER, g1 INTEGER, g3 TEXT, g2 INTEGER, day INTEGER, body INTEGER,
                 seq INTEGER, meeting INTEGER, to_day INTEGER);
             DROP TABLE IF EXISTS temp.upcoming_extra;
             CREATE TEMP TABLE upcoming_extra (section INTEGER, seq INTEGER, body INTEGER);",
        )?;
        let mut sorted = Sorted {
            store,
            several_wards: false,
        };
        let mut line = conn.prepare(
            "INSERT INTO temp.upcoming_lines VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut extra = conn.prepare("INSERT INTO temp.upcoming_extra VALUES (?1, ?2, ?3)")?;
        let (mut seq, mut first_ward) = (0_i64, None);
        let mut once = ReadOnce::default();
        store.each_schedule_body(today, &mut |body| {
            if ward.is_some_and(|ward| ward != body.ward_id) {
                return Ok(());
            }
            let (body, meetings) = with_meetings(store, body, &mut once, from, days, today)?;
            let (mut items, listed) = body_items(&body, &meetings, from, days, today);
            if scheduled_only {
                items.retain(|i| matches!(i, Upcoming::Scheduled { .. }));
            }
            if let Some(listed) = listed {
                let section = i64::from(listed == Extra::Unknown);
                extra.execute(params![section, seq, body.id])?;
                seq += 1;
            }
            if listed.is_some() || !items.is_empty() {
                let ward = *first_ward.get_or_insert(body.ward_id);
                sorted.several_wards |= ward != body.ward_id;
            }
            for item in items {
                let (g1, g3, g2) = group(&body, &item, by);
                let (meeting, overdue, to) = match &item {
                    Upcoming::Scheduled { meeting_id, .. } => (Some(*meeting_id), false, None),
                    Upcoming::Expected { window, overdue } => (None, *overdue, Some(window.to)),
                };
                line.execute(params![
                    overdue,
                    g1,
                    g3,
                    g2,
                    day_number(item.date()),
                    body.id,
                    seq,
                    meeting,
                    to.map(day_number),
                ])?;
                seq += 1;
            }
            Ok(())
        })?;
        // The lines in their order, read from an index that holds every column read: each
        // reading (a filter key on the home reads the list again) a walk, not a sort.
        conn.execute_batch(
            "CREATE INDEX temp.upcoming_lines_order ON upcoming_lines
                 (overdue DESC, g1, g3, g2, day, body, seq, meeting, to_day);",
        )?;
        Ok(sorted)
    }

    /// The lines a list [`Sorted::keep`] left in their temporary tables, when both are there:
    /// the caller knows nothing was written since (see the home screen's filter).
    pub fn again(store: &'a Store, several_wards: bool) -> Result<Option<Sorted<'a>>> {
        let tables: i64 = store.conn().query_row(
            "SELECT COUNT(*) FROM temp.sqlite_master
             WHERE type = 'table' AND name IN ('upcoming_lines', 'upcoming_extra')",
            [],
            |r| r.get(0),
        )?;
        Ok((tables == 2).then_some(Sorted {
            store,
            several_wards,
        }))
    }

    /// Leaves the lines in their temporary tables after this value, for [`Sorted::again`]
    /// (a later list, or the connection's end, drops them).
    pub fn keep(self) {
        std::mem::forget(self);
    }

    /// Whether an expected window of the list begins or ends outside `[from, to]`.
    pub fn windows_outside(&self, from: NaiveDate, to: NaiveDate) -> Result<bool> {
        Ok(self.store.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM temp.upcoming_lines WHERE meeting IS NULL
                 AND (day NOT BETWEEN ?1 AND ?2 OR to_day NOT BETWEEN ?1 AND ?2))",
            params![day_number(from), day_number(to)],
            |r| r.get(0),
        )?)
    }

    /// Every line in order.
    pub fn each_entry(
        &self,
        each: &mut dyn FnMut(&Entry) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        self.each_entry_of(None, each)
    }

    /// Every line of the bodies `of` (all: `None`) in order; the other lines' bodies are not
    /// read.
    pub fn each_entry_of(
        &self,
        of: Option<&HashSet<i64>>,
        each: &mut dyn FnMut(&Entry) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT body, day, meeting, to_day, overdue FROM temp.upcoming_lines
             ORDER BY overdue DESC, g1, g3, g2, day, body, seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut bodies = Bodies::new(self.store);
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if of.is_some_and(|of| !of.contains(&id)) {
                continue;
            }
            let body = bodies.get(id)?;
            let day = date(r.get(1)?)?;
            let item = match (r.get::<_, Option<i64>>(2)?, r.get::<_, Option<i64>>(3)?) {
                (Some(meeting_id), _) => Upcoming::Scheduled {
                    meeting_id,
                    date: day,
                },
                (None, to) => Upcoming::Expected {
                    window: Window {
                        from: day,
                        to: date(to.unwrap_or_default())?,
                    },
                    overdue: r.get(4)?,
                },
            };
            each(&Entry { body, item })?;
        }
        Ok(())
    }

    /// The bodies that meet only when needed (`ad_hoc`), or else those whose frequency is not
    /// understood, in registry order.
    pub fn each_extra(
        &self,
        ad_hoc: bool,
        each: &mut dyn FnMut(&BodyRef) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        self.each_extra_of(ad_hoc, None, each)
    }

    /// [`Sorted::each_extra`] of the bodies `of` (all: `None`).
    pub fn each_extra_of(
        &self,
        ad_hoc: bool,
        of: Option<&HashSet<i64>>,
        each: &mut dyn FnMut(&BodyRef) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT body FROM temp.upcoming_extra WHERE section = ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([i64::from(!ad_hoc)])?;
        let mut bodies = Bodies::new(self.store);
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if of.is_some_and(|of| !of.contains(&id)) {
                continue;
            }
            each(&*bodies.get(id)?)?;
        }
        Ok(())
    }
}

impl Drop for Sorted<'_> {
    fn drop(&mut self) {
        // Gone with the connection in any case; dropped now so a later list starts afresh.
        let _ = self.store.conn().execute_batch(
            "DROP TABLE IF EXISTS temp.upcoming_lines; DROP TABLE IF EXISTS temp.upcoming_extra;",
        );
    }
}

/// Where a line sorts within [`super::sort`]'s groups: (rank, name, number).
fn group(body: &BodyRef, item: &Upcoming, by: GroupBy) -> (i64, String, i64) {
    match by {
        GroupBy::Date => (
            i64::from(matches!(item, Upcoming::Expected { .. })),
            String::new(),
            0,
        ),
        GroupBy::Body => (0, body.name.clone(), body.id),
        GroupBy::Frequency => {
            let (rank, per_year) = cadence_rank(&body.frequency);
            (i64::from(rank), String::new(), i64::from(per_year))
        }
    }
}

/// A date as a number that sorts as dates do (days from the first of January of year 1).
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

fn date(days: i64) -> Result<NaiveDate> {
    i32::try_from(days)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| StoreError::Invalid(format!("day {days} of the upcoming list")))
}

/// The bodies of the lines, read by id and the last [`BODIES_KEPT`] kept; each frequency
/// written parsed once (a city's 12 000 bodies write a few dozen).
struct Bodies<'a> {
    store: &'a Store,
    kept: HashMap<i64, Rc<BodyRef>>,
    parsed: HashMap<String, crate::domain::frequency::Frequency>,
}

impl<'a> Bodies<'a> {
    fn new(store: &'a Store) -> Bodies<'a> {
        Bodies {
            store,
            kept: HashMap::new(),
            parsed: HashMap::new(),
        }
    }

    fn get(&mut self, id: i64) -> Result<Rc<BodyRef>> {
        if let Some(body) = self.kept.get(&id) {
            return Ok(Rc::clone(body));
        }
        let body = self.store.schedule_body(id)?.ok_or_else(|| {
            StoreError::Invalid(format!("body {id} of the upcoming list is gone"))
        })?;
        if self.kept.len() >= BODIES_KEPT {
            self.kept.clear();
        }
        if self.parsed.len() >= BODIES_KEPT {
            self.parsed.clear();
        }
        let frequency = super::parsed_once(&mut self.parsed, &body.frequency);
        let body = Rc::new(body_ref(body, frequency));
        self.kept.insert(id, Rc::clone(&body));
        Ok(body)
    }
}
