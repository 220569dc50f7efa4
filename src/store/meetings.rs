//! Meetings as lists and the schedule read them; a whole meeting as an interchange record is
//! read by [`super::record`], written by an import in [`super::merge`].

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::record::{Form, read_meeting};
use super::{Result, Store, StoreError};
use crate::domain::model::{MeetingPhase, MeetingStatus};
use crate::interchange::MeetingRecord;

/// A meeting as lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingSummary {
    pub id: i64,
    pub body_id: i64,
    pub body: String,
    pub date: NaiveDate,
    pub start: Option<String>,
    pub end: Option<String>,
    pub place: String,
    pub status: MeetingStatus,
    /// Begun (and not ended) counts as in progress: see [`MeetingSummary::phase`].
    pub started: bool,
    pub ended: bool,
    pub confidential: bool,
    pub uid: String,
    /// The ward of its body: its row (1 is this database's own) and its name.
    pub ward_id: i64,
    pub ward: String,
}

impl MeetingSummary {
    pub fn phase(&self) -> MeetingPhase {
        MeetingPhase::of(self.status, self.started, self.ended)
    }
}

/// What the schedule needs of each meeting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KnownMeetingRow {
    pub id: i64,
    pub body_id: i64,
    pub date: NaiveDate,
    pub status: MeetingStatus,
}

/// A body as the schedule reads it, with its last meeting held (see [`Store::schedule_bodies`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleBody {
    pub id: i64,
    pub name: String,
    pub organiser: String,
    pub kind: String,
    /// The frequency text, verbatim.
    pub frequency: String,
    pub personal_info: bool,
    /// The ward of the body: its row (1 is this database's own) and its name.
    pub ward_id: i64,
    pub ward: String,
    pub last_held: Option<KnownMeetingRow>,
}

fn parse_date_column(text: &str, what: &str, id: i64) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        StoreError::Invalid(format!(
            "meeting {id}: {what} '{text}' is not a date (YYYY-MM-DD)"
        ))
    })
}

fn summary_row(r: &rusqlite::Row<'_>) -> Result<MeetingSummary> {
    let id: i64 = r.get(0)?;
    let date: String = r.get(3)?;
    let status: String = r.get(7)?;
    let start: Option<String> = r.get(4)?;
    let ended: bool = r.get(10)?;
    Ok(MeetingSummary {
        id,
        body_id: r.get(1)?,
        body: r.get(2)?,
        date: parse_date_column(&date, "date", id)?,
        end: crate::domain::calendar::known_end(start.as_deref(), r.get(5)?, ended),
        start,
        place: r.get(6)?,
        status: parse_status(&status)?,
        started: r.get(9)?,
        ended,
        confidential: r.get(8)?,
        uid: r.get(11)?,
        ward_id: r.get(12)?,
        ward: r.get(13)?,
    })
}

fn parse_status(text: &str) -> Result<MeetingStatus> {
    text.parse().map_err(StoreError::Invalid)
}

impl Store {
    /// Meetings, newest first, of one body or of all.
    pub fn meetings(&self, body: Option<i64>) -> Result<Vec<MeetingSummary>> {
        let mut out = Vec::new();
        self.each_meeting(body, &mut |m| -> Result<()> {
            out.push(m);
            Ok(())
        })?;
        Ok(out)
    }

    /// Each meeting, newest first, of one body or of all, handed to `each` as it is read: a
    /// listing of a ward's whole history holds one row at a time.
    pub fn each_meeting<E: From<StoreError>>(
        &self,
        body: Option<i64>,
        each: &mut dyn FnMut(MeetingSummary) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.id, m.body_id, b.name, m.date, m.start_time, m.end_time, m.place, m.status,
                    m.confidential, m.started_at IS NOT NULL, m.ended_at IS NOT NULL, m.uid,
                    b.ward_id, w.name
             FROM meetings m JOIN bodies b ON b.id = m.body_id JOIN wards w ON w.id = b.ward_id
             WHERE ?1 IS NULL OR m.body_id = ?1
             ORDER BY m.date DESC, m.start_time DESC, m.id DESC",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([body]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            each(summary_row(r)?)?;
        }
        Ok(())
    }

    /// Every meeting's body, date and status: what the schedule reads.
    pub fn known_meetings(&self) -> Result<Vec<KnownMeetingRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, body_id, date, status FROM meetings ORDER BY body_id, date",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, body_id, date, status) = row?;
            out.push(KnownMeetingRow {
                id,
                body_id,
                date: parse_date_column(&date, "date", id)?,
                status: parse_status(&status)?,
            });
        }
        Ok(out)
    }

    /// Every body in registry order with what the schedule reads of it, and its last meeting held
    /// on or before `today` (one index seek per body, not a read of its history).
    pub fn schedule_bodies(&self, today: NaiveDate) -> Result<Vec<ScheduleBody>> {
        let mut out = Vec::new();
        self.each_schedule_body(today, &mut |body| {
            out.push(body);
            Ok(())
        })?;
        Ok(out)
    }

    /// [`Store::schedule_bodies`], each body handed to `each` as it is read.
    pub fn each_schedule_body(
        &self,
        today: NaiveDate,
        each: &mut dyn FnMut(ScheduleBody) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SCHEDULE_BODY}, {LAST_HELD_ON_OR_BEFORE} FROM bodies b ORDER BY b.id"
        ))?;
        let mut rows = stmt.query([today.format("%Y-%m-%d").to_string()])?;
        while let Some(r) = rows.next()? {
            each(with_last_held(r)?)?;
        }
        Ok(())
    }

    /// Every body as [`Store::each_schedule_body`] reads it, without its last meeting held:
    /// what a filter over the lists matches a body by.
    pub fn each_body_as_listed(
        &self,
        each: &mut dyn FnMut(ScheduleBody) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SCHEDULE_BODY} FROM bodies b ORDER BY b.id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(schedule_body(r)?)?;
        }
        Ok(())
    }

    /// The bodies as [`Store::each_schedule_body`] reads them, each with the first day its
    /// overdue windows can begin on as of `today` (schema step 16's `body_last_held`, see
    /// `upcoming::first_lines`): first, by id, those whose windows may begin as early as
    /// `floor` — no meeting held, or the last one before `floor`, or dated after today (the
    /// list then anchors on an earlier one) — then the others by the day after their last
    /// meeting held, earliest first (then by id). `each` says whether to go on.
    pub fn each_body_by_last_held(
        &self,
        today: NaiveDate,
        floor: NaiveDate,
        each: &mut dyn FnMut(ScheduleBody, NaiveDate) -> Result<bool>,
    ) -> Result<()> {
        self.each_body_by_last_held_after(today, floor, &BodyPlace::Start, &mut |b, bound, _| {
            each(b, bound)
        })
    }

    /// [`Store::each_body_by_last_held`] from the body after `after` in its order, each body
    /// handed on with its place in that order (to go on from it later: the home reads its list
    /// a few bodies at a time, as its keys go down).
    pub fn each_body_by_last_held_after(
        &self,
        today: NaiveDate,
        floor: NaiveDate,
        after: &BodyPlace,
        each: &mut dyn FnMut(ScheduleBody, NaiveDate, BodyPlace) -> Result<bool>,
    ) -> Result<()> {
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let (today_text, floor_text) = (day(today), day(floor));
        let select = format!(
            "SELECT {SCHEDULE_BODY}, {LAST_HELD_ON_OR_BEFORE}, h.held
             FROM body_last_held h JOIN bodies b ON b.id = h.body_id"
        );
        let (early_after, held_after, id_after) = match after {
            BodyPlace::Start => (Some(i64::MIN), String::new(), i64::MIN),
            BodyPlace::Early(id) => (Some(*id), String::new(), i64::MIN),
            BodyPlace::Held(held, id) => (None, held.clone(), *id),
        };
        if let Some(early_after) = early_after {
            let mut early = self.conn().prepare_cached(&format!(
                "{select} WHERE (h.held IS NULL OR h.held < ?2 OR h.held > ?1) AND h.body_id > ?3
                 ORDER BY h.body_id"
            ))?;
            let mut rows = early.query(params![today_text, floor_text, early_after])?;
            while let Some(r) = rows.next()? {
                let body = with_last_held(r)?;
                let place = BodyPlace::Early(body.id);
                if !each(body, floor, place)? {
                    return Ok(());
                }
            }
        }
        let mut by_date = self.conn().prepare_cached(&format!(
            "SELECT {SCHEDULE_BODY}, {LAST_HELD_ON_OR_BEFORE}, h.held
             FROM body_last_held h INDEXED BY body_last_held_by_date
             JOIN bodies b ON b.id = h.body_id
             WHERE h.held >= ?2 AND h.held <= ?1 AND (h.held > ?3 OR h.body_id > ?4)
             ORDER BY h.held, h.body_id"
        ))?;
        // From the later of the floor and the place to go on after (one range of the index).
        let lower = floor_text.clone().max(held_after.clone());
        let mut rows = by_date.query(params![today_text, lower, held_after, id_after])?;
        while let Some(r) = rows.next()? {
            let body = with_last_held(r)?;
            let held: String = r.get(10)?;
            let date = parse_date_column(&held, "held", body.id)?;
            let bound = date.succ_opt().unwrap_or(date);
            let place = BodyPlace::Held(held, body.id);
            if !each(body, bound, place)? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The meeting of a body running (begun and not ended, 開催中) whatever its date, as the
    /// upcoming list lists it, else its first meeting planned in `[from, to]` (by date, then
    /// id): its id and date.
    pub fn next_planned(
        &self,
        body_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<(i64, NaiveDate)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, date FROM (
                 SELECT id, date, 0 AS o FROM meetings
                 WHERE body_id = ?1 AND status = 'planned' AND started_at IS NOT NULL
                   AND ended_at IS NULL
                 UNION ALL
                 SELECT id, date, 1 FROM meetings
                 WHERE body_id = ?1 AND status = 'planned' AND date BETWEEN ?2 AND ?3)
             ORDER BY o, date, id LIMIT 1",
        )?;
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let found: Option<(i64, String)> = stmt
            .query_row(params![body_id, day(from), day(to)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        found
            .map(|(id, date)| Ok((id, parse_date_column(&date, "date", id)?)))
            .transpose()
    }

    /// One body as [`Store::schedule_bodies`] reads it, without its last meeting held.
    pub fn schedule_body(&self, id: i64) -> Result<Option<ScheduleBody>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SCHEDULE_BODY} FROM bodies b WHERE b.id = ?1"
        ))?;
        Ok(stmt.query_row([id], schedule_body).optional()?)
    }

    /// The meetings of one body dated in `[from, to]` (all of them when `None`), by date.
    pub fn body_meetings(
        &self,
        body_id: i64,
        within: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<Vec<KnownMeetingRow>> {
        let mut stmt = match within {
            Some(_) => self.conn().prepare_cached(
                "SELECT id, body_id, date, status FROM meetings
                 WHERE body_id = ?1 AND date BETWEEN ?2 AND ?3 ORDER BY date, id",
            )?,
            None => self.conn().prepare_cached(
                "SELECT id, body_id, date, status FROM meetings
                 WHERE body_id = ?1 ORDER BY date, id",
            )?,
        };
        let map = |r: &rusqlite::Row<'_>| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        };
        let rows: Vec<(i64, i64, String, String)> = match within {
            Some((from, to)) => stmt
                .query_map(
                    params![
                        body_id,
                        from.format("%Y-%m-%d").to_string(),
                        to.format("%Y-%m-%d").to_string()
                    ],
                    map,
                )?
                .collect::<rusqlite::Result<_>>()?,
            None => stmt
                .query_map([body_id], map)?
                .collect::<rusqlite::Result<_>>()?,
        };
        known_rows(rows)
    }

    /// The planned meetings running (begun and not ended, 開催中) whatever their date, by body
    /// and date: the upcoming list lists them while it holds today (a night meeting begun at
    /// 23:30 and still running at 00:10). A narrow read of the `meetings_running` index, not
    /// of any body's history.
    pub fn running_meetings(&self) -> Result<Vec<KnownMeetingRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, body_id, date, status FROM meetings INDEXED BY meetings_running
             WHERE ended_at IS NULL AND started_at IS NOT NULL AND status = 'planned'
             ORDER BY body_id, date, id",
        )?;
        let rows: Vec<(i64, i64, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        known_rows(rows)
    }

    /// The whole meeting as the minutes show it (entries that were removed left out).
    pub fn meeting_record(&self, id: i64) -> Result<Option<MeetingRecord>> {
        read_meeting(self.conn(), id, Form::Minutes)
    }

    /// The whole meeting as the export writes it: removed entries marked, every recorded change,
    /// approved minutes sealed.
    pub fn meeting_export(&self, id: i64) -> Result<Option<MeetingRecord>> {
        read_meeting(self.conn(), id, Form::Export)
    }
}

/// What the schedule reads of a body `b` (its ward's name too), as [`schedule_body`] takes it.
/// A body's place in [`Store::each_body_by_last_held`]'s order, to go on after it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum BodyPlace {
    /// Before the first body.
    #[default]
    Start,
    /// One of the bodies read first (their windows may begin as early as the floor), by id.
    Early(i64),
    /// One of the others: the date of its last meeting held, as stored, and its id.
    Held(String, i64),
}

const SCHEDULE_BODY: &str = "b.id, b.name, b.organiser, b.kind, b.frequency_text, \
    b.personal_info, b.ward_id, (SELECT name FROM wards w WHERE w.id = b.ward_id)";

/// The id and date of the last meeting held of the body `b` on or before the day `?1`.
const LAST_HELD_ON_OR_BEFORE: &str = "(SELECT m.id FROM meetings m INDEXED BY meetings_held_by_body
        WHERE m.body_id = b.id AND m.status = 'held' AND m.date <= ?1
        ORDER BY m.date DESC, m.id DESC LIMIT 1),
    (SELECT MAX(m.date) FROM meetings m INDEXED BY meetings_held_by_body
        WHERE m.body_id = b.id AND m.status = 'held' AND m.date <= ?1)";

/// Rows of (id, body, date, status) as the schedule reads them.
fn known_rows(rows: Vec<(i64, i64, String, String)>) -> Result<Vec<KnownMeetingRow>> {
    rows.into_iter()
        .map(|(id, body_id, date, status)| {
            Ok(KnownMeetingRow {
                id,
                body_id,
                date: parse_date_column(&date, "date", id)?,
                status: parse_status(&status)?,
            })
        })
        .collect()
}

/// A body read with [`SCHEDULE_BODY`] and [`LAST_HELD_ON_OR_BEFORE`].
fn with_last_held(r: &rusqlite::Row<'_>) -> Result<ScheduleBody> {
    let mut body = schedule_body(r)?;
    let (id, date): (Option<i64>, Option<String>) = (r.get(8)?, r.get(9)?);
    if let (Some(id), Some(date)) = (id, date) {
        body.last_held = Some(KnownMeetingRow {
            id,
            body_id: body.id,
            date: parse_date_column(&date, "date", id)?,
            status: MeetingStatus::Held,
        });
    }
    Ok(body)
}

fn schedule_body(r: &rusqlite::Row<'_>) -> rusqlite::Result<ScheduleBody> {
    Ok(ScheduleBody {
        id: r.get(0)?,
        name: r.get(1)?,
        organiser: r.get(2)?,
        kind: r.get(3)?,
        frequency: r.get(4)?,
        personal_info: r.get(5)?,
        ward_id: r.get(6)?,
        ward: r.get(7)?,
        last_held: None,
    })
}
