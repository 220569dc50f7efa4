//! Everything the case record (経過記録) shows, read in one snapshot: the case, every meeting
//! that discussed it (what was decided there, who does what, its issues), every action of the
//! case with where it was closed, and the people the record may name.

use rusqlite::{Connection, params};

use super::export::{Form, case_record, links};
use crate::cases::{CaseMeeting, CaseRecordInput, record::CaseAction};
use crate::domain::model::{MeetingPhase, MeetingStatus};
use crate::interchange::RoleRecord;
use crate::store::identity::uid_column;
use crate::store::{Result, Store};

/// The SQL condition "row `x` of meeting `?2` belongs to case `?1`": it names the case, or names
/// none in a meeting whose only case it is.
macro_rules! of_case {
    ($x:literal) => {
        concat!(
            "(",
            $x,
            ".case_id = ?1 OR (",
            $x,
            ".case_id IS NULL AND (SELECT COUNT(*) FROM meeting_cases k
                 WHERE k.meeting_id = ?2 AND k.deleted_at IS NULL) = 1))"
        )
    };
}

/// A meeting that discussed the case, as read.
struct MeetingRow {
    id: i64,
    uid: Option<uuid::Uuid>,
    body: String,
    date: String,
    status: String,
    started: bool,
    ended: bool,
}

fn texts(conn: &Connection, sql: &str, case: i64, meeting: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![case, meeting], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// [`Store::case_record_input`] for a record redacted (`redact`) or not. A redacted record
    /// leaves the confidential circle: its redactor knows, besides the case's household and the
    /// people of its meetings, everyone renkei has recorded ([`Store::recorded_people`]) — a
    /// sibling household named in the policy is replaced too. (The case's own people come
    /// first: they keep their letters.)
    pub fn case_record_input_as(&self, case: i64, redact: bool) -> Result<Option<CaseRecordInput>> {
        let mut input = self.case_record_input(case)?;
        if redact && let Some(input) = &mut input {
            // Those the record may name, looked up from its text as written.
            let plain =
                crate::cases::record::render(input, &crate::cases::record::Options::default());
            input
                .people
                .extend(self.recorded_people_in([plain.as_str()])?);
        }
        Ok(input)
    }

    /// The case record's input; `None` for an unknown case.
    pub fn case_record_input(&self, case: i64) -> Result<Option<CaseRecordInput>> {
        // One snapshot for its several reads; inside the caller's (a ledger written redacted
        // reads every case's record in its own), none of its own.
        let tx = if self.conn().is_autocommit() {
            Some(self.conn().unchecked_transaction()?)
        } else {
            None
        };
        let conn = self.conn();
        let Some(mut record) = case_record(conn, case, Form::Kept)? else {
            return Ok(None);
        };
        // The next review as the ledger, `--due` and the case screen give it (the rules' date
        // when none was set), not the column alone: they said a date where this said 未設定.
        record.next_review = self
            .case_row(case)?
            .and_then(|row| row.next_review)
            .map(|d| d.format("%Y-%m-%d").to_string());
        // The history of the status, from the recorded changes.
        record.changes = case_record(conn, case, Form::Export)?
            .map(|r| r.changes)
            .unwrap_or_default();
        let uid = record.uid;
        let meetings: Vec<MeetingRow> = conn
            .prepare_cached(
                "SELECT m.id, m.uid, b.name, m.date, m.status, m.started_at IS NOT NULL,
                        m.ended_at IS NOT NULL
                 FROM meeting_cases k JOIN meetings m ON m.id = k.meeting_id
                 JOIN bodies b ON b.id = m.body_id
                 WHERE k.case_id = ?1 AND k.deleted_at IS NULL
                 ORDER BY m.date, m.start_time IS NOT NULL, m.start_time, m.id",
            )?
            .query_map([case], |r| {
                Ok(MeetingRow {
                    id: r.get(0)?,
                    uid: uid_column(r, 1)?,
                    body: r.get(2)?,
                    date: r.get(3)?,
                    status: r.get(4)?,
                    started: r.get(5)?,
                    ended: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(meetings.len());
        for MeetingRow {
            id,
            uid: meeting_uid,
            body,
            date,
            status,
            started,
            ended,
        } in meetings
        {
            let Some(link) = links(conn, id, false)?.into_iter().find(|l| {
                uid.is_some_and(|u| l.case == crate::interchange::ExternalId::Text(u.to_string()))
            }) else {
                continue;
            };
            let status: MeetingStatus = super::code(&status)?;
            let entries = |kind: &str| -> Result<Vec<String>> {
                let mut stmt = conn.prepare_cached(concat!(
                    "SELECT e.text FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
                     WHERE i.meeting_id = ?2 AND e.kind = ?3 AND e.deleted_at IS NULL
                       AND i.deleted_at IS NULL AND ",
                    of_case!("e"),
                    " ORDER BY i.position, e.id"
                ))?;
                let rows = stmt.query_map(params![case, id, kind], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            };
            let notes = entries("note")?;
            let decisions = entries("decision")?;
            let issues = texts(
                conn,
                concat!(
                    "SELECT c.category FROM case_issues c
                     WHERE c.meeting_id = ?2 AND c.deleted_at IS NULL AND ",
                    of_case!("c"),
                    " ORDER BY c.id"
                ),
                case,
                id,
            )?;
            let roles: Vec<RoleRecord> = conn
                .prepare_cached(concat!(
                    "SELECT a.name, r.responsibility FROM role_assignments r
                     LEFT JOIN agencies a ON a.id = r.agency_id
                     WHERE r.meeting_id = ?2 AND r.deleted_at IS NULL AND ",
                    of_case!("r"),
                    " ORDER BY r.id"
                ))?
                .query_map(params![case, id], |r| {
                    Ok(RoleRecord {
                        agency: r.get(0)?,
                        role: r.get(1)?,
                        ..RoleRecord::default()
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let revised: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM case_plans WHERE case_id = ?1 AND meeting_id = ?2)",
                params![case, id],
                |r| r.get(0),
            )?;
            out.push(CaseMeeting {
                id,
                uid: meeting_uid,
                body,
                date,
                phase: MeetingPhase::of(status, started, ended),
                link,
                notes,
                decisions,
                roles,
                issues,
                revised,
            });
        }
        let actions = self.case_actions(case)?;
        // Every person of every meeting that discussed it — the first's too — and the members
        // of the other cases discussed there: the record's notes, roles and actions may name any.
        let ids: Vec<i64> = out.iter().map(|m| m.id).collect();
        let mut people = self.people_at_meetings(&ids)?;
        let removed: Vec<(String, String)> = conn
            .prepare_cached(
                "SELECT relation, name FROM case_members WHERE case_id = ?1 AND deleted_at IS NOT NULL",
            )?
            .query_map([case], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        people.extend(crate::cases::household_people(&removed));
        // Its reviews in the same snapshot as the rest.
        let reviews = self.case_reviews(case)?;
        let ward: i64 = conn.query_row("SELECT ward_id FROM cases WHERE id = ?1", [case], |r| {
            r.get(0)
        })?;
        let ward = crate::store::ward::shown_among_many(conn, ward)?;
        if let Some(tx) = tx {
            tx.commit()?;
        }
        Ok(Some(CaseRecordInput {
            case: record,
            meetings: out,
            actions,
            people,
            reviews,
            ward,
        }))
    }

    /// Every action of a case (those its meetings made for it), in the order they were made.
    fn case_actions(&self, case: i64) -> Result<Vec<CaseAction>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT n.meeting_id, a.name, n.text, n.due_date, n.status, c.id, c.date, cb.name,
                    n.closed_at
             FROM next_actions n
             LEFT JOIN agencies a ON a.id = n.agency_id
             LEFT JOIN meetings c ON c.id = n.closed_in
             LEFT JOIN bodies cb ON cb.id = c.body_id
             WHERE n.deleted_at IS NULL AND (n.case_id = ?1 OR (n.case_id IS NULL AND n.meeting_id IN (
                 SELECT k.meeting_id FROM meeting_cases k WHERE k.case_id = ?1 AND k.deleted_at IS NULL
                   AND (SELECT COUNT(*) FROM meeting_cases j WHERE j.meeting_id = k.meeting_id
                        AND j.deleted_at IS NULL) = 1)))
             ORDER BY n.id",
        )?;
        let rows = stmt.query_map([case], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (meeting_id, agency, text, due, status, closed, date, body, closed_at) = row?;
            out.push(CaseAction {
                meeting_id,
                agency,
                text,
                due,
                status: super::code(&status)?,
                closed_in: match (closed, date, body) {
                    (Some(id), Some(date), Some(body)) => Some((id, date, body)),
                    _ => None,
                },
                closed_at,
            });
        }
        Ok(out)
    }
}
