//! One meeting read as an interchange record: the whole of it for the export (removed entries
//! and every recorded change included, approved minutes sealed), or what the minutes show.

use rusqlite::{Connection, OptionalExtension};

use super::identity::uid_column;
use super::{Result, StoreError};
use crate::domain::model::{EntryKind, MinutesState};
use crate::interchange::{
    ActionRecord, AgendaRecord, ApprovalRecord, AttendeeRecord, ChangeRecord, EntryRecord,
    ExternalId, IssueRecord, MeetingRecord, ReviewRecord, RoleRecord, seal,
};

/// How much of a meeting to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// What the minutes show: entries that were removed left out; `id` is the meeting's number.
    Minutes,
    /// Everything, for the export: removed entries (marked), changes, the seal of approved
    /// minutes; `id` is the external reference the meeting came with, else its number.
    Export,
}

fn code<T: std::str::FromStr<Err = String>>(text: &str) -> Result<T> {
    text.parse().map_err(StoreError::Invalid)
}

/// A statement of `form`: the minutes' leave out what was removed (`$kept`, the conditions on
/// `deleted_at` between the statement's head and tail), the export's keep it. Literals, so
/// that each record's reads make no string (an export reads W's 50 000 meetings).
macro_rules! by_form {
    ($form:expr, $head:literal, $kept:literal, $tail:literal) => {
        match $form {
            Form::Minutes => concat!($head, $kept, $tail),
            Form::Export => concat!($head, $tail),
        }
    };
}

/// The end's date of a meeting that ends on another day than its date, as the interchange
/// writes it (none when it ends on its own day): a held meeting's is the day renkei recorded
/// its close (`ended_at`), a planned one's the next day when its end comes before its start.
fn end_date(m: &MeetingRecord) -> Option<String> {
    let ends = match &m.ended_at {
        Some(at) => chrono::DateTime::parse_from_rfc3339(at).ok()?.date_naive(),
        None => {
            let time = |t: &Option<String>| {
                t.as_deref()
                    .and_then(|t| chrono::NaiveTime::parse_from_str(t, "%H:%M").ok())
            };
            let day = chrono::NaiveDate::parse_from_str(&m.date, "%Y-%m-%d").ok()?;
            crate::domain::calendar::end_day(day, time(&m.start)?, time(&m.end)?)
        }
    };
    let ends = ends.format("%Y-%m-%d").to_string();
    (ends != m.date).then_some(ends)
}

pub(crate) fn read_meeting(
    conn: &Connection,
    id: i64,
    form: Form,
) -> Result<Option<MeetingRecord>> {
    let head = conn
        .prepare_cached(
            "SELECT m.id, m.ext_ref, m.uid, m.rev, b.name, b.organiser,
                    (SELECT COUNT(*) FROM bodies q WHERE q.name = b.name), b.uid,
                    m.date, m.start_time, m.end_time, m.place, m.status, m.confidential, m.basis,
                    m.supervisor, r.name, m.case_ref, m.case_subject, m.facilitator, m.recorder,
                    l.name, m.key_person, m.risk, m.urgency, m.support_policy, m.handouts,
                    m.remaining_issues, m.next_meeting_date, m.minutes_state, m.approved_at,
                    m.approved_by, m.started_at, m.ended_at, m.created_by, m.created_at
             FROM meetings m JOIN bodies b ON b.id = m.body_id
             LEFT JOIN agencies r ON r.id = m.referred_by
             LEFT JOIN agencies l ON l.id = m.lead_agency
             WHERE m.id = ?1",
        )?
        .query_row([id], |r| {
            let shared: i64 = r.get(6)?;
            let ext: Option<String> = r.get(1)?;
            Ok((
                MeetingRecord {
                    uid: uid_column(r, 2)?,
                    rev: r.get(3)?,
                    body: r.get(4)?,
                    body_organiser: Some(r.get::<_, String>(5)?).filter(|_| shared > 1),
                    body_uid: uid_column(r, 7)?,
                    date: r.get(8)?,
                    start: r.get(9)?,
                    end: r.get(10)?,
                    place: r.get(11)?,
                    confidential: r.get(13)?,
                    basis: r.get(14)?,
                    supervisor: r.get(15)?,
                    referred_by: r.get(16)?,
                    case: r.get(17)?,
                    case_subject: r.get(18)?,
                    facilitator: r.get(19)?,
                    recorder: r.get(20)?,
                    lead_agency: r.get(21)?,
                    key_person: r.get(22)?,
                    risk: r.get(23)?,
                    urgency: r.get(24)?,
                    support_policy: r.get(25)?,
                    handouts: r.get(26)?,
                    remaining_issues: r.get(27)?,
                    next_meeting: r.get(28)?,
                    started_at: r.get(32)?,
                    ended_at: r.get(33)?,
                    created_by: r.get(34)?,
                    created_at: Some(r.get::<_, String>(35)?).filter(|t| !t.is_empty()),
                    ..MeetingRecord::default()
                },
                ext,
                (r.get::<_, String>(12)?, r.get::<_, String>(29)?),
                (r.get::<_, Option<String>>(30)?, r.get::<_, String>(31)?),
            ))
        })
        .optional()?;
    let Some((mut rec, ext, (status, minutes), (approved_at, approved_by))) = head else {
        return Ok(None);
    };
    rec.end = crate::domain::calendar::known_end(
        rec.start.as_deref(),
        rec.end.take(),
        rec.ended_at.is_some(),
    );
    rec.id = Some(match (form, ext) {
        (Form::Export, Some(text)) => serde_json::from_str(&text).map_err(|_| {
            StoreError::Invalid(format!("meeting {id}: external id '{text}' is not JSON"))
        })?,
        _ => ExternalId::Number(id),
    });
    rec.end_date = end_date(&rec);
    rec.status = code(&status)?;
    rec.minutes = code(&minutes)?;
    if rec.minutes == MinutesState::Approved {
        rec.approval = Some(ApprovalRecord {
            at: approved_at.unwrap_or_default(),
            by: approved_by,
            seal: None,
        });
    }
    rec.attendees = attendees(conn, id, form)?;
    rec.agenda = agenda(conn, id, form)?;
    rec.roles = roles(conn, id, form)?;
    rec.actions = actions(conn, id, form)?;
    rec.issues = issues(conn, id, form)?;
    rec.cases = super::cases::meeting_links(conn, id, form == Form::Export)?;
    rec.case_reviews = super::cases::review_records(conn, id, form == Form::Export)?;
    super::cases::elide_only_case(&mut rec);
    if form == Form::Export {
        rec.changes = changes(conn, id)?;
        let sealed = seal(&rec);
        if let Some(a) = &mut rec.approval {
            a.seal = Some(sealed);
        }
    }
    Ok(Some(rec))
}

fn attendees(conn: &Connection, meeting: i64, form: Form) -> Result<Vec<AttendeeRecord>> {
    let sql = by_form!(
        form,
        "SELECT t.uid, t.rev, a.name, t.name, t.title, t.role, t.attendance, t.created_by,
                t.created_at, t.deleted_at
         FROM attendees t LEFT JOIN agencies a ON a.id = t.agency_id
         WHERE t.meeting_id = ?1",
        " AND t.deleted_at IS NULL",
        " ORDER BY t.position, t.id"
    );
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([meeting], |r| {
        Ok((
            AttendeeRecord {
                uid: uid_column(r, 0)?,
                rev: r.get(1)?,
                agency: r.get(2)?,
                name: r.get(3)?,
                title: r.get(4)?,
                by: r.get(7)?,
                at: r.get(8)?,
                deleted_at: r.get(9)?,
                ..AttendeeRecord::default()
            },
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut rec, role, attendance) = row?;
        rec.role = code(&role)?;
        rec.attendance = code(&attendance)?;
        out.push(rec);
    }
    Ok(out)
}

fn agenda(conn: &Connection, meeting: i64, form: Form) -> Result<Vec<AgendaRecord>> {
    let sql = by_form!(
        form,
        "SELECT i.id, i.uid, i.rev, i.title, i.planned_min, i.started_at, i.ended_at,
                i.created_by, i.created_at, i.deleted_at
         FROM agenda_items i WHERE i.meeting_id = ?1",
        " AND i.deleted_at IS NULL",
        " ORDER BY i.position, i.id"
    );
    let mut items = conn.prepare_cached(sql)?;
    let mut rows: Vec<(i64, AgendaRecord)> = items
        .query_map([meeting], |r| {
            Ok((
                r.get(0)?,
                AgendaRecord {
                    uid: uid_column(r, 1)?,
                    rev: r.get(2)?,
                    title: r.get(3)?,
                    planned_min: r.get(4)?,
                    started_at: r.get(5)?,
                    ended_at: r.get(6)?,
                    by: r.get(7)?,
                    at: r.get(8)?,
                    deleted_at: r.get(9)?,
                    ..AgendaRecord::default()
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Every entry of the meeting's items in one read, in the items' order (the index of the
    // items by meeting and position, then each item's entries by id): a statement run for each
    // item was a sixth of an export (W's 285 000 items).
    let sql = by_form!(
        form,
        "SELECT e.item_id, e.uid, e.rev, e.kind, e.text, e.created_by, e.created_at,
                e.deleted_at, k.uid
         FROM agenda_items i JOIN agenda_entries e ON e.item_id = i.id
         LEFT JOIN cases k ON k.id = e.case_id
         WHERE i.meeting_id = ?1",
        " AND i.deleted_at IS NULL AND e.deleted_at IS NULL",
        " ORDER BY i.position, i.id, e.id"
    );
    let mut entries = conn.prepare_cached(sql)?;
    let mut found = entries.query([meeting])?;
    let place: std::collections::HashMap<i64, usize> = rows
        .iter()
        .enumerate()
        .map(|(at, (id, _))| (*id, at))
        .collect();
    while let Some(r) = found.next()? {
        // An item not among those read was added by another process in between (outside a
        // transaction each statement reads its own snapshot): it shows at the next read.
        let Some(&at) = place.get(&r.get::<_, i64>(0)?) else {
            continue;
        };
        let entry = EntryRecord {
            uid: uid_column(r, 1)?,
            rev: r.get(2)?,
            text: r.get(4)?,
            case: r.get::<_, Option<String>>(8)?.map(ExternalId::Text),
            by: r.get(5)?,
            at: r.get(6)?,
            deleted_at: r.get(7)?,
        };
        let rec = &mut rows[at].1;
        match code(&r.get::<_, String>(3)?)? {
            EntryKind::Note => rec.notes.push(entry),
            EntryKind::Decision => rec.decisions.push(entry),
        }
    }
    Ok(rows.into_iter().map(|(_, rec)| rec).collect())
}

fn roles(conn: &Connection, meeting: i64, form: Form) -> Result<Vec<RoleRecord>> {
    let sql = by_form!(
        form,
        "SELECT r.uid, r.rev, a.name, r.responsibility, r.created_by, r.created_at, r.deleted_at,
                k.uid
         FROM role_assignments r LEFT JOIN agencies a ON a.id = r.agency_id
         LEFT JOIN cases k ON k.id = r.case_id
         WHERE r.meeting_id = ?1",
        " AND r.deleted_at IS NULL",
        " ORDER BY r.id"
    );
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([meeting], |r| {
        Ok(RoleRecord {
            uid: uid_column(r, 0)?,
            rev: r.get(1)?,
            agency: r.get(2)?,
            role: r.get(3)?,
            case: r.get::<_, Option<String>>(7)?.map(ExternalId::Text),
            by: r.get(4)?,
            at: r.get(5)?,
            deleted_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn actions(conn: &Connection, meeting: i64, form: Form) -> Result<Vec<ActionRecord>> {
    let sql = by_form!(
        form,
        "SELECT n.uid, n.rev, a.name, n.text, n.due_date, n.status, n.closed_at, c.uid, p.uid,
                n.created_by, n.created_at, n.deleted_at, k.uid, n.id
         FROM next_actions n LEFT JOIN agencies a ON a.id = n.agency_id
         LEFT JOIN cases k ON k.id = n.case_id
         LEFT JOIN meetings c ON c.id = n.closed_in
         LEFT JOIN next_actions p ON p.id = n.carried_from
         WHERE n.meeting_id = ?1",
        " AND n.deleted_at IS NULL",
        " ORDER BY n.id"
    );
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([meeting], |r| {
        Ok((
            ActionRecord {
                uid: uid_column(r, 0)?,
                rev: r.get(1)?,
                agency: r.get(2)?,
                text: r.get(3)?,
                due: r.get(4)?,
                closed_at: r.get(6)?,
                closed_in: uid_column(r, 7)?,
                carried_from: uid_column(r, 8)?,
                case: r.get::<_, Option<String>>(12)?.map(ExternalId::Text),
                by: r.get(9)?,
                at: r.get(10)?,
                deleted_at: r.get(11)?,
                ..ActionRecord::default()
            },
            r.get::<_, String>(5)?,
            r.get::<_, i64>(13)?,
        ))
    })?;
    let mut out = Vec::new();
    let mut ids = Vec::new();
    for row in rows {
        let (mut rec, status, id) = row?;
        rec.status = code(&status)?;
        out.push(rec);
        ids.push(id);
    }
    if form == Form::Export {
        reviews(conn, meeting, &ids, &mut out)?;
    }
    Ok(out)
}

/// The continuations of the meeting's actions (`ids`, in `actions`' order: by id), each
/// action's oldest first, each naming the meeting it was made at by uid: one statement for the
/// meeting (one for each action was a twentieth of an export, W's 174 000 actions).
fn reviews(
    conn: &Connection,
    meeting: i64,
    ids: &[i64],
    actions: &mut [ActionRecord],
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.action_id, r.uid, m.uid, r.note, r.due_before, r.due_after, r.created_by,
                r.created_at
         FROM next_actions n JOIN action_reviews r ON r.action_id = n.id
         LEFT JOIN meetings m ON m.id = r.meeting_id
         WHERE n.meeting_id = ?1 ORDER BY r.action_id, r.created_at, r.id",
    )?;
    let mut rows = stmt.query([meeting])?;
    while let Some(r) = rows.next()? {
        let action: i64 = r.get(0)?;
        // An action written after the actions were read (outside a transaction) has none here.
        let Ok(at) = ids.binary_search(&action) else {
            continue;
        };
        actions[at].reviews.push(ReviewRecord {
            uid: uid_column(r, 1)?,
            meeting: uid_column(r, 2)?,
            note: r.get(3)?,
            due_before: r.get(4)?,
            due_after: r.get(5)?,
            by: r.get(6)?,
            at: r.get(7)?,
        });
    }
    Ok(())
}

fn issues(conn: &Connection, meeting: i64, form: Form) -> Result<Vec<IssueRecord>> {
    let sql = by_form!(
        form,
        "SELECT c.uid, c.rev, c.category, c.created_by, c.created_at, c.deleted_at, k.uid
         FROM case_issues c LEFT JOIN cases k ON k.id = c.case_id WHERE c.meeting_id = ?1",
        " AND c.deleted_at IS NULL",
        " ORDER BY c.id"
    );
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([meeting], |r| {
        Ok(IssueRecord {
            uid: uid_column(r, 0)?,
            rev: r.get(1)?,
            category: r.get(2)?,
            case: r.get::<_, Option<String>>(6)?.map(ExternalId::Text),
            by: r.get(3)?,
            at: r.get(4)?,
            deleted_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The changes recorded for a meeting, oldest first.
fn changes(conn: &Connection, meeting: i64) -> Result<Vec<ChangeRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT uid, at, by, entity, entity_uid, field, old_value, new_value, amendment
         FROM changes WHERE meeting_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([meeting], change_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn change_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChangeRecord> {
    Ok(ChangeRecord {
        uid: uid_column(r, 0)?,
        at: r.get(1)?,
        by: r.get(2)?,
        entity: r.get(3)?,
        entity_uid: uid_column(r, 4)?,
        field: r.get(5)?,
        old: r.get(6)?,
        new: r.get(7)?,
        amendment: r.get(8)?,
        meeting_uid: None,
    })
}
