//! Meetings and everything captured at them, as whole records (import and export) and as the
//! short summaries that lists need.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::bodies::optional_agency_id;
use super::interchange::{ActionRecord, AgendaRecord, AttendeeRecord, MeetingRecord, RoleRecord};
use super::{Result, Store, StoreError, cached};
use crate::domain::model::{EntryKind, MeetingStatus};

/// Writes one meeting record for `body`: replaces the meeting with the same body, date and start
/// time (so an import can be repeated), else inserts it, keeping the record's id when it is free.
pub(crate) fn upsert_meeting(
    conn: &Connection,
    now: &str,
    user: &str,
    body: i64,
    rec: &MeetingRecord,
) -> Result<i64> {
    let existing: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM meetings WHERE body_id = ?1 AND date = ?2 AND start_time IS ?3",
        )?
        .query_row(params![body, rec.date, rec.start], |r| r.get(0))
        .optional()?;
    let id = match existing {
        Some(id) => {
            cached(conn, "DELETE FROM meetings WHERE id = ?1", [id])?;
            Some(id)
        }
        None => match rec.id {
            Some(wanted) if !meeting_exists(conn, wanted)? => Some(wanted),
            _ => None,
        },
    };
    let referred_by = optional_agency_id(conn, rec.referred_by.as_deref())?;
    let lead_agency = optional_agency_id(conn, rec.lead_agency.as_deref())?;
    cached(
            conn,
        "INSERT INTO meetings (id, body_id, date, start_time, end_time, place, status, started_at,
             ended_at, facilitator, recorder, confidential, basis, supervisor, referred_by, case_ref,
             case_subject, lead_agency, key_person, risk, urgency, support_policy, handouts,
             remaining_issues, next_meeting_date, minutes_state, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?28)",
        params![
            id,
            body,
            rec.date,
            rec.start,
            rec.end,
            rec.place,
            rec.status.code(),
            rec.started_at,
            rec.ended_at,
            rec.facilitator,
            rec.recorder,
            rec.confidential,
            rec.basis,
            rec.supervisor,
            referred_by,
            rec.case,
            rec.case_subject,
            lead_agency,
            rec.key_person,
            rec.risk,
            rec.urgency,
            rec.support_policy,
            rec.handouts,
            rec.remaining_issues,
            rec.next_meeting,
            rec.minutes.code(),
            user,
            now
        ],
    )?;
    let meeting = conn.last_insert_rowid();
    insert_attendees(conn, now, user, meeting, &rec.attendees)?;
    insert_agenda(conn, now, user, meeting, &rec.agenda)?;
    insert_roles(conn, now, user, meeting, &rec.roles)?;
    insert_actions(conn, now, user, meeting, &rec.actions)?;
    for issue in rec
        .issues
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
    {
        cached(
            conn,
            "INSERT INTO case_issues (meeting_id, category, created_by, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![meeting, issue, user, now],
        )?;
    }
    Ok(meeting)
}

fn meeting_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM meetings WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn insert_attendees(
    conn: &Connection,
    now: &str,
    user: &str,
    meeting: i64,
    rows: &[AttendeeRecord],
) -> Result<()> {
    for (position, a) in rows.iter().enumerate() {
        let agency = optional_agency_id(conn, a.agency.as_deref())?;
        cached(
            conn,
            "INSERT INTO attendees (meeting_id, position, agency_id, name, title, role, attendance,
                                    created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![
                meeting,
                position as i64 + 1,
                agency,
                a.name,
                a.title,
                a.role.code(),
                a.attendance.code(),
                user,
                now
            ],
        )?;
    }
    Ok(())
}

fn insert_agenda(
    conn: &Connection,
    now: &str,
    user: &str,
    meeting: i64,
    rows: &[AgendaRecord],
) -> Result<()> {
    for (position, item) in rows.iter().enumerate() {
        cached(
            conn,
            "INSERT INTO agenda_items (meeting_id, position, title, planned_min, started_at, ended_at,
                                       created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![meeting, position as i64 + 1, item.title, item.planned_min, item.started_at, item.ended_at, user, now],
        )?;
        let item_id = conn.last_insert_rowid();
        let notes = (!item.notes.is_empty()).then_some(item.notes.as_str());
        let entries = notes.map(|n| (EntryKind::Note, n)).into_iter().chain(
            item.decisions
                .iter()
                .map(|d| (EntryKind::Decision, d.as_str())),
        );
        for (kind, text) in entries {
            cached(
            conn,
                "INSERT INTO agenda_entries (item_id, kind, text, created_by, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![item_id, kind.code(), text, user, now],
            )?;
        }
    }
    Ok(())
}

fn insert_roles(
    conn: &Connection,
    now: &str,
    user: &str,
    meeting: i64,
    rows: &[RoleRecord],
) -> Result<()> {
    for r in rows {
        let agency = optional_agency_id(conn, r.agency.as_deref())?;
        cached(
            conn,
            "INSERT INTO role_assignments (meeting_id, agency_id, responsibility, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![meeting, agency, r.role, user, now],
        )?;
    }
    Ok(())
}

fn insert_actions(
    conn: &Connection,
    now: &str,
    user: &str,
    meeting: i64,
    rows: &[ActionRecord],
) -> Result<()> {
    for a in rows {
        let agency = optional_agency_id(conn, a.agency.as_deref())?;
        cached(
            conn,
            "INSERT INTO next_actions (meeting_id, agency_id, text, due_date, status, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![meeting, agency, a.text, a.due, a.status.code(), user, now],
        )?;
    }
    Ok(())
}

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
    pub confidential: bool,
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
    pub last_held: Option<KnownMeetingRow>,
}

fn parse_date_column(text: &str, what: &str, id: i64) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        StoreError::Invalid(format!(
            "meeting {id}: {what} '{text}' is not a date (YYYY-MM-DD)"
        ))
    })
}

fn parse_status(text: &str) -> Result<MeetingStatus> {
    text.parse().map_err(StoreError::Invalid)
}

impl Store {
    /// Meetings, newest first, of one body or of all.
    pub fn meetings(&self, body: Option<i64>) -> Result<Vec<MeetingSummary>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.id, m.body_id, b.name, m.date, m.start_time, m.end_time, m.place, m.status,
                    m.confidential
             FROM meetings m JOIN bodies b ON b.id = m.body_id
             WHERE ?1 IS NULL OR m.body_id = ?1
             ORDER BY m.date DESC, m.start_time DESC, m.id DESC",
        )?;
        let rows = stmt.query_map([body], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, bool>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, body_id, body, date, start, end, place, status, confidential) = row?;
            out.push(MeetingSummary {
                id,
                body_id,
                body,
                date: parse_date_column(&date, "date", id)?,
                start,
                end,
                place,
                status: parse_status(&status)?,
                confidential,
            });
        }
        Ok(out)
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
        let mut stmt = self.conn().prepare_cached(
            "SELECT b.id, b.name, b.organiser, b.kind, b.frequency_text, b.personal_info,
                    (SELECT m.id FROM meetings m
                     WHERE m.body_id = b.id AND m.status = 'held' AND m.date <= ?1
                     ORDER BY m.date DESC, m.id DESC LIMIT 1),
                    (SELECT MAX(m.date) FROM meetings m
                     WHERE m.body_id = b.id AND m.status = 'held' AND m.date <= ?1)
             FROM bodies b ORDER BY b.id",
        )?;
        let rows = stmt.query_map([today.format("%Y-%m-%d").to_string()], |r| {
            Ok((
                ScheduleBody {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    organiser: r.get(2)?,
                    kind: r.get(3)?,
                    frequency: r.get(4)?,
                    personal_info: r.get(5)?,
                    last_held: None,
                },
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut body, id, date) = row?;
            if let (Some(id), Some(date)) = (id, date) {
                body.last_held = Some(KnownMeetingRow {
                    id,
                    body_id: body.id,
                    date: parse_date_column(&date, "date", id)?,
                    status: MeetingStatus::Held,
                });
            }
            out.push(body);
        }
        Ok(out)
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

    /// The whole meeting as an interchange record (soft-deleted entries left out).
    pub fn meeting_record(&self, id: i64) -> Result<Option<MeetingRecord>> {
        let conn = self.conn();
        let head = conn
            .query_row(
                "SELECT m.id, b.name, b.organiser, (SELECT COUNT(*) FROM bodies q WHERE q.name = b.name),
                        m.date, m.start_time, m.end_time, m.place, m.status, m.confidential, m.basis,
                        m.supervisor, r.name, m.case_ref, m.case_subject, m.facilitator, m.recorder,
                        l.name, m.key_person, m.risk, m.urgency, m.support_policy, m.handouts,
                        m.remaining_issues, m.next_meeting_date, m.minutes_state, m.started_at, m.ended_at
                 FROM meetings m JOIN bodies b ON b.id = m.body_id
                 LEFT JOIN agencies r ON r.id = m.referred_by
                 LEFT JOIN agencies l ON l.id = m.lead_agency
                 WHERE m.id = ?1",
                [id],
                |r| {
                    let shared: i64 = r.get(3)?;
                    let status: String = r.get(8)?;
                    let minutes: String = r.get(25)?;
                    Ok((
                        MeetingRecord {
                            id: Some(r.get(0)?),
                            body: r.get(1)?,
                            body_organiser: Some(r.get::<_, String>(2)?).filter(|_| shared > 1),
                            date: r.get(4)?,
                            start: r.get(5)?,
                            end: r.get(6)?,
                            place: r.get(7)?,
                            confidential: r.get(9)?,
                            basis: r.get(10)?,
                            supervisor: r.get(11)?,
                            referred_by: r.get(12)?,
                            case: r.get(13)?,
                            case_subject: r.get(14)?,
                            facilitator: r.get(15)?,
                            recorder: r.get(16)?,
                            lead_agency: r.get(17)?,
                            key_person: r.get(18)?,
                            risk: r.get(19)?,
                            urgency: r.get(20)?,
                            support_policy: r.get(21)?,
                            handouts: r.get(22)?,
                            remaining_issues: r.get(23)?,
                            next_meeting: r.get(24)?,
                            started_at: r.get(26)?,
                            ended_at: r.get(27)?,
                            ..MeetingRecord::default()
                        },
                        status,
                        minutes,
                    ))
                },
            )
            .optional()?;
        let Some((mut rec, status, minutes)) = head else {
            return Ok(None);
        };
        rec.status = parse_status(&status)?;
        rec.minutes = minutes.parse().map_err(StoreError::Invalid)?;
        rec.attendees = self.attendee_records(id)?;
        rec.agenda = self.agenda_records(id)?;
        rec.roles = self.role_records(id)?;
        rec.actions = self.action_records(id)?;
        let mut stmt = conn.prepare_cached(
            "SELECT category FROM case_issues WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        rec.issues = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(rec))
    }

    fn attendee_records(&self, meeting: i64) -> Result<Vec<AttendeeRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.name, t.name, t.title, t.role, t.attendance
             FROM attendees t LEFT JOIN agencies a ON a.id = t.agency_id
             WHERE t.meeting_id = ?1 AND t.deleted_at IS NULL ORDER BY t.position, t.id",
        )?;
        let rows = stmt.query_map([meeting], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (agency, name, title, role, attendance) = row?;
            out.push(AttendeeRecord {
                agency,
                name,
                title,
                role: role.parse().map_err(StoreError::Invalid)?,
                attendance: attendance.parse().map_err(StoreError::Invalid)?,
            });
        }
        Ok(out)
    }

    fn agenda_records(&self, meeting: i64) -> Result<Vec<AgendaRecord>> {
        let conn = self.conn();
        let mut items = conn.prepare_cached(
            "SELECT id, title, planned_min, started_at, ended_at FROM agenda_items
             WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
        )?;
        let mut entries = conn.prepare_cached(
            "SELECT kind, text FROM agenda_entries WHERE item_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows: Vec<(i64, AgendaRecord)> = items
            .query_map([meeting], |r| {
                Ok((
                    r.get(0)?,
                    AgendaRecord {
                        title: r.get(1)?,
                        planned_min: r.get(2)?,
                        started_at: r.get(3)?,
                        ended_at: r.get(4)?,
                        ..AgendaRecord::default()
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (item_id, mut rec) in rows {
            let mut notes = Vec::new();
            for entry in entries.query_map([item_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })? {
                let (kind, text) = entry?;
                match kind.parse().map_err(StoreError::Invalid)? {
                    EntryKind::Note => notes.push(text),
                    EntryKind::Decision => rec.decisions.push(text),
                }
            }
            rec.notes = notes.join("\n");
            out.push(rec);
        }
        Ok(out)
    }

    fn role_records(&self, meeting: i64) -> Result<Vec<RoleRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.name, r.responsibility FROM role_assignments r LEFT JOIN agencies a ON a.id = r.agency_id
             WHERE r.meeting_id = ?1 AND r.deleted_at IS NULL ORDER BY r.id",
        )?;
        let rows = stmt.query_map([meeting], |r| {
            Ok(RoleRecord {
                agency: r.get(0)?,
                role: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn action_records(&self, meeting: i64) -> Result<Vec<ActionRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.name, n.text, n.due_date, n.status FROM next_actions n LEFT JOIN agencies a ON a.id = n.agency_id
             WHERE n.meeting_id = ?1 AND n.deleted_at IS NULL ORDER BY n.id",
        )?;
        let rows = stmt.query_map([meeting], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (agency, text, due, status) = row?;
            out.push(ActionRecord {
                agency,
                text,
                due,
                status: status.parse().map_err(StoreError::Invalid)?,
            });
        }
        Ok(out)
    }
}
