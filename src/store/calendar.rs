//! What a calendar file (iCalendar) needs of meetings and bodies: besides what lists show, the
//! global ids and revisions that let a calendar program recognise a meeting it already has, and
//! the uid of the ward the record belongs to.

use crate::domain::case::CaseRules;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};

use super::{Result, Store, StoreError};
use crate::domain::model::{MeetingPhase, MeetingStatus};

/// A body as a calendar names it.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarBody {
    pub id: i64,
    pub uid: String,
    /// Renewed whenever the body changes (see `schema`): the time in milliseconds, shifted left
    /// ten bits, with ten random bits.
    pub rev: i64,
    pub name: String,
    pub organiser: String,
    pub frequency: String,
    /// The body's own flag, or it keeps a ledger of cases: either way its meetings and expected
    /// meetings share personal information (confidential in a calendar).
    pub personal_info: bool,
    /// The global id and name of the body's ward.
    pub ward_uid: String,
    pub ward: String,
}

/// Which meetings [`Store::each_calendar_meeting`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarRead {
    /// Every meeting dated in the range, whatever its state.
    Dated,
    /// The meetings running (begun and not ended, 開催中) dated outside the range: a calendar
    /// of a range that holds today keeps them whatever their date, as the upcoming list lists
    /// them. A narrow read of the `meetings_running` index.
    RunningOutside,
}

/// A meeting as a calendar shows it, whatever its state.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarMeeting {
    pub id: i64,
    pub uid: String,
    pub rev: i64,
    pub date: NaiveDate,
    pub start: Option<String>,
    pub end: Option<String>,
    pub place: String,
    pub phase: MeetingPhase,
    pub confidential: bool,
    /// It discusses or reviews a case (or names one): it shares personal information whatever
    /// its body says.
    pub shares_cases: bool,
    pub body: CalendarBody,
}

const BODY_COLUMNS: &str = "b.id, b.uid, b.rev, b.name, b.organiser, b.frequency_text,
     b.personal_info, w.uid, w.name, b.kind, b.keeps_ledger";

fn body(r: &Row<'_>, at: usize, rules: &CaseRules) -> rusqlite::Result<CalendarBody> {
    Ok(CalendarBody {
        id: r.get(at)?,
        uid: r.get(at + 1)?,
        rev: r.get(at + 2)?,
        name: r.get(at + 3)?,
        organiser: r.get(at + 4)?,
        frequency: r.get(at + 5)?,
        personal_info: r.get::<_, bool>(at + 6)?
            || rules.keeps_ledger(&r.get::<_, String>(at + 9)?, r.get(at + 10)?),
        ward_uid: r.get(at + 7)?,
        ward: r.get(at + 8)?,
    })
}

impl Store {
    /// Every meeting dated in `[from, to]` — planned, in progress, held or cancelled — by date,
    /// time and row. Dates are kept as text, which sorts as dates for the years 0–9999 only: the
    /// range is held within them.
    pub fn calendar_meetings(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CalendarMeeting>> {
        let mut out = Vec::new();
        self.each_calendar_meeting(CalendarRead::Dated, (from, to), &mut |m| {
            out.push(m);
            Ok::<(), StoreError>(())
        })?;
        Ok(out)
    }

    /// [`Store::calendar_meetings`], each meeting handed to `each` as it is read; with
    /// [`CalendarRead::RunningOutside`], the meetings running dated outside `[from, to]`.
    pub fn each_calendar_meeting<E: From<StoreError>>(
        &self,
        read: CalendarRead,
        (from, to): (NaiveDate, NaiveDate),
        each: &mut dyn FnMut(CalendarMeeting) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let tables_and_filter = match read {
            CalendarRead::Dated => {
                "FROM meetings m JOIN bodies b ON b.id = m.body_id JOIN wards w ON w.id = b.ward_id
                 WHERE m.date BETWEEN ?1 AND ?2"
            }
            CalendarRead::RunningOutside => {
                "FROM meetings m INDEXED BY meetings_running
                     JOIN bodies b ON b.id = m.body_id JOIN wards w ON w.id = b.ward_id
                 WHERE m.ended_at IS NULL AND m.started_at IS NOT NULL AND m.status = 'planned'
                   AND (m.date < ?1 OR m.date > ?2)"
            }
        };
        self.each_calendar_meeting_where(tables_and_filter, (from, to), each)
    }

    /// The meetings of `tables_and_filter` (`FROM … WHERE …` over `m`, `b` and `w`, with the
    /// dates `?1` and `?2`), by date, time and row. Dates are kept as text, which sorts as
    /// dates for the years 0–9999 only: the dates are held within them.
    fn each_calendar_meeting_where<E: From<StoreError>>(
        &self,
        tables_and_filter: &str,
        (from, to): (NaiveDate, NaiveDate),
        each: &mut dyn FnMut(CalendarMeeting) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let text = |d: NaiveDate| {
            d.clamp(first_sortable(), last_sortable())
                .format("%Y-%m-%d")
                .to_string()
        };
        let mut stmt = self
            .conn()
            .prepare_cached(&format!(
                "SELECT m.id, m.uid, m.rev, m.date, m.start_time, m.end_time, m.place, m.status,
                    m.started_at IS NOT NULL, m.ended_at IS NOT NULL, m.confidential, {BODY_COLUMNS},
                    m.case_ref <> '' OR m.case_subject <> ''
                    OR EXISTS (SELECT 1 FROM meeting_cases k
                               WHERE k.meeting_id = m.id AND k.deleted_at IS NULL)
                    OR EXISTS (SELECT 1 FROM case_reviews r
                               WHERE r.meeting_id = m.id AND r.deleted_at IS NULL)
             {tables_and_filter}
             ORDER BY m.date, m.start_time, m.id"
            ))
            .map_err(StoreError::from)?;
        let mut rows = stmt
            .query(params![text(from), text(to)])
            .map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            each(self.calendar_meeting(r)?)?;
        }
        Ok(())
    }

    fn calendar_meeting(&self, r: &rusqlite::Row<'_>) -> Result<CalendarMeeting> {
        let id: i64 = r.get(0)?;
        let date: String = r.get(3)?;
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| {
            StoreError::Invalid(format!(
                "meeting {id}: date '{date}' is not a date (YYYY-MM-DD)"
            ))
        })?;
        let status: MeetingStatus = r
            .get::<_, String>(7)?
            .parse()
            .map_err(StoreError::Invalid)?;
        let start: Option<String> = r.get(4)?;
        Ok(CalendarMeeting {
            id,
            uid: r.get(1)?,
            rev: r.get(2)?,
            date,
            end: crate::domain::calendar::known_end(start.as_deref(), r.get(5)?, r.get(9)?),
            start,
            place: r.get(6)?,
            phase: MeetingPhase::of(status, r.get(8)?, r.get(9)?),
            confidential: r.get(10)?,
            shares_cases: r.get(22)?,
            body: body(r, 11, self.rules())?,
        })
    }

    /// One body as a calendar names it.
    pub fn calendar_body(&self, id: i64) -> Result<Option<CalendarBody>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {BODY_COLUMNS} FROM bodies b JOIN wards w ON w.id = b.ward_id WHERE b.id = ?1"
            ))?
            .query_row([id], |r| body(r, 0, self.rules()))
            .optional()?)
    }
}

fn first_sortable() -> NaiveDate {
    NaiveDate::from_ymd_opt(0, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn last_sortable() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}
