//! What the annual report and the actions export read: held meetings of some fiscal years with
//! their basis, supervisor, referring agency, agencies present and issues; yearly counts; next
//! actions.

use chrono::NaiveDate;
use rusqlite::params;
use std::collections::HashMap;

use super::{Result, Store, StoreError};
use crate::domain::calendar::{fiscal_year_end, fiscal_year_start};
use crate::domain::model::ActionStatus;
use crate::minutes::redact::{Person, PersonKind, key_person_name};
use crate::report::{ActionFact, BodyFact, HistoryFact, Input, MeetingFact};

fn day(text: &str, what: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Invalid(format!("{what}: '{text}' is not a date (YYYY-MM-DD)")))
}

fn optional_day(text: Option<String>, what: &str) -> Result<Option<NaiveDate>> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| day(&t, what))
        .transpose()
}

fn status(text: String) -> Result<ActionStatus> {
    text.parse().map_err(StoreError::Invalid)
}

/// A next action as the actions list and its exports show it: plain data, defined where the
/// list is laid out as a sheet.
pub use crate::report::actions::ActionListRow;

impl Store {
    /// The facts the report of `years` counts: every body, and the held meetings, yearly counts
    /// and next actions of those fiscal years.
    pub fn report_input(&self, years: &[i32]) -> Result<Input> {
        let mut input = Input {
            bodies: self.report_bodies()?,
            ..Input::default()
        };
        for &year in years {
            let from = fiscal_year_start(year).format("%Y-%m-%d").to_string();
            let to = fiscal_year_end(year).format("%Y-%m-%d").to_string();
            let mut meetings = self.held_meetings(&from, &to)?;
            self.attach_agencies(&from, &to, &mut meetings)?;
            self.attach_issues(&from, &to, &mut meetings)?;
            input.actions.extend(self.held_actions(&from, &to)?);
            input.meetings.extend(meetings);
            input.history.extend(self.history_of(year)?);
        }
        Ok(input)
    }

    fn report_bodies(&self) -> Result<Vec<BodyFact>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT b.id, b.name, b.organiser, b.kind, b.ward_id, w.name
                 FROM bodies b JOIN wards w ON w.id = b.ward_id ORDER BY b.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(BodyFact {
                id: r.get(0)?,
                name: r.get(1)?,
                organiser: r.get(2)?,
                kind: r.get(3)?,
                ward_id: r.get(4)?,
                ward: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn held_meetings(&self, from: &str, to: &str) -> Result<Vec<MeetingFact>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.id, m.body_id, m.date, m.basis, m.supervisor, a.name
             FROM meetings m LEFT JOIN agencies a ON a.id = m.referred_by
             WHERE m.status = 'held' AND m.date BETWEEN ?1 AND ?2
             ORDER BY m.date, m.id",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, body_id, date, basis, supervisor, referred_by) = row?;
            out.push(MeetingFact {
                id,
                body_id,
                date: day(&date, &format!("meeting {id}: date"))?,
                basis,
                supervisor,
                referred_by,
                agencies: Vec::new(),
                issues: Vec::new(),
            });
        }
        Ok(out)
    }

    /// The agencies of the attendees who came, each once per meeting.
    fn attach_agencies(&self, from: &str, to: &str, meetings: &mut [MeetingFact]) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT DISTINCT t.meeting_id, a.name
             FROM attendees t JOIN agencies a ON a.id = t.agency_id
             JOIN meetings m ON m.id = t.meeting_id
             WHERE m.status = 'held' AND m.date BETWEEN ?1 AND ?2 AND t.deleted_at IS NULL
               AND t.attendance IN ('present', 'late', 'left_early')
             ORDER BY t.meeting_id, a.name",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        attach(meetings, rows, |m, name| m.agencies.push(name))
    }

    fn attach_issues(&self, from: &str, to: &str, meetings: &mut [MeetingFact]) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.meeting_id, c.category FROM case_issues c JOIN meetings m ON m.id = c.meeting_id
             WHERE m.status = 'held' AND m.date BETWEEN ?1 AND ?2 AND c.deleted_at IS NULL
             ORDER BY c.meeting_id, c.id",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        attach(meetings, rows, |m, category| m.issues.push(category))
    }

    fn held_actions(&self, from: &str, to: &str) -> Result<Vec<ActionFact>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT n.id, n.meeting_id, a.name, n.due_date, n.status
             FROM next_actions n JOIN meetings m ON m.id = n.meeting_id
             LEFT JOIN agencies a ON a.id = n.agency_id
             WHERE m.status = 'held' AND m.date BETWEEN ?1 AND ?2 AND n.deleted_at IS NULL
             ORDER BY n.id",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, meeting_id, agency, due, text) = row?;
            out.push(ActionFact {
                meeting_id,
                agency,
                due: optional_day(due, &format!("action {id}: due"))?,
                status: status(text)?,
            });
        }
        Ok(out)
    }

    fn history_of(&self, year: i32) -> Result<Vec<HistoryFact>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT body_id, fiscal_year, meetings FROM body_history WHERE fiscal_year = ?1 ORDER BY body_id",
        )?;
        let rows = stmt.query_map([year], |r| {
            Ok(HistoryFact {
                body_id: r.get(0)?,
                fiscal_year: r.get(1)?,
                meetings: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Next actions with their meeting, by agency (none last), open ones first, then by due date
    /// (none last).
    pub fn action_list(&self, agency: Option<&str>, open_only: bool) -> Result<Vec<ActionListRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT n.id, a.name, n.text, n.due_date, n.status, b.name, m.id, m.date
             FROM next_actions n JOIN meetings m ON m.id = n.meeting_id
             JOIN bodies b ON b.id = m.body_id
             LEFT JOIN agencies a ON a.id = n.agency_id
             WHERE n.deleted_at IS NULL AND (?1 IS NULL OR a.name = ?1)
               AND (?2 = 0 OR n.status = 'open')
             ORDER BY a.name IS NULL, a.name, n.status <> 'open', n.due_date IS NULL, n.due_date, m.date, n.id",
        )?;
        let rows = stmt.query_map(params![agency.map(str::trim), open_only], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, agency, text, due, state, body, meeting_id, date) = row?;
            out.push(ActionListRow {
                id,
                agency,
                text,
                due: optional_day(due, &format!("action {id}: due"))?,
                status: status(state)?,
                body,
                meeting_id,
                meeting_date: day(&date, &format!("meeting {meeting_id}: date"))?,
            });
        }
        Ok(out)
    }

    /// The people recorded in the meetings held in `years` (facilitator, recorder, case subject,
    /// key person, attendees): what the report must not print where an agency or issue goes.
    pub fn report_people(&self, years: &[i32]) -> Result<Vec<Person>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.facilitator, m.recorder, m.case_subject, m.key_person FROM meetings m
             WHERE m.status = 'held' AND m.date BETWEEN ?1 AND ?2",
        )?;
        let mut names = self.conn().prepare_cached(
            "SELECT t.name FROM attendees t JOIN meetings m ON m.id = t.meeting_id
             WHERE m.status = 'held' AND m.date BETWEEN ?1 AND ?2 AND t.deleted_at IS NULL",
        )?;
        let mut out = Vec::new();
        for &year in years {
            let from = fiscal_year_start(year).format("%Y-%m-%d").to_string();
            let to = fiscal_year_end(year).format("%Y-%m-%d").to_string();
            let rows = stmt.query_map(params![from, to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?;
            for row in rows {
                let (facilitator, recorder, subject, key) = row?;
                out.extend(Person::from_field(&facilitator, PersonKind::Facilitator));
                out.extend(Person::from_field(&recorder, PersonKind::Recorder));
                out.extend(Person::from_field(&subject, PersonKind::CaseSubject));
                if key_person_name(&key).is_some() {
                    out.extend(Person::from_field(&key, PersonKind::KeyPerson));
                }
            }
            let rows = names.query_map(params![from, to], |r| r.get::<_, String>(0))?;
            for name in rows {
                out.extend(Person::from_field(&name?, PersonKind::Attendee));
            }
        }
        Ok(out)
    }

    /// Whether an agency of this exact name is known.
    pub fn agency_exists(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM agencies WHERE name = ?1",
                [name.trim()],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)?)
    }
}

/// Hands each (meeting id, text) row to its meeting.
fn attach(
    meetings: &mut [MeetingFact],
    rows: impl Iterator<Item = rusqlite::Result<(i64, String)>>,
    mut put: impl FnMut(&mut MeetingFact, String),
) -> Result<()> {
    let index: HashMap<i64, usize> = meetings
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id, i))
        .collect();
    for row in rows {
        let (id, text) = row?;
        if let Some(&i) = index.get(&id) {
            put(&mut meetings[i], text);
        }
    }
    Ok(())
}
