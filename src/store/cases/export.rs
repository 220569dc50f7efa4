//! Cases read as interchange records: the whole case for the export (removed members marked,
//! every revision of the plan, every change), and the cases a meeting discusses as the links
//! its record carries.

use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use super::code;
use super::write::plan_lines;
use crate::interchange::{
    CaseChangeRecord, CaseLink, CaseRecord, ExternalId, MeetingRecord, MemberRecord, PlanRevision,
};
use crate::store::identity::uid_column;
use crate::store::ward::HOME;
use crate::store::{Result, Store, StoreError};

/// How much of a case to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// Everything, for the export: removed members (marked), every revision and change; `id` the
    /// external reference it came with, else its number.
    Export,
    /// What a reader is shown: kept members only; `id` its number.
    Kept,
}

pub(crate) fn case_record(conn: &Connection, id: i64, form: Form) -> Result<Option<CaseRecord>> {
    let head = conn
        .prepare_cached(
            "SELECT c.ext_ref, c.uid, c.rev, w.uid, c.pseudonym, c.opened, c.status, r.name, l.name,
                    c.key_person, c.consent, c.consent_date, c.consent_by, c.risk, c.urgency,
                    c.policy, c.next_review, c.closed, c.closure_reason, c.evaluation,
                    c.transferred_to, q.uid, c.created_by, c.created_at, c.ward_id
             FROM cases c JOIN wards w ON w.id = c.ward_id
             LEFT JOIN agencies r ON r.id = c.referred_by
             LEFT JOIN agencies l ON l.id = c.lead_agency
             LEFT JOIN meetings q ON q.id = c.closed_in
             WHERE c.id = ?1",
        )?
        .query_row([id], |r| {
            let ward: Option<Uuid> = if r.get::<_, i64>(24)? == HOME {
                None
            } else {
                uid_column(r, 3)?
            };
            Ok((
                r.get::<_, Option<String>>(0)?,
                CaseRecord {
                    uid: uid_column(r, 1)?,
                    rev: r.get(2)?,
                    ward,
                    pseudonym: r.get(4)?,
                    opened: r.get(5)?,
                    referred_by: r.get(7)?,
                    lead_agency: r.get(8)?,
                    key_person: r.get(9)?,
                    consent_date: r.get(11)?,
                    consent_by: r.get(12)?,
                    risk: r.get(13)?,
                    urgency: r.get(14)?,
                    policy: r.get(15)?,
                    next_review: r.get(16)?,
                    closed: r.get(17)?,
                    closure_reason: r.get(18)?,
                    evaluation: r.get(19)?,
                    transferred_to: r.get(20)?,
                    closed_in: uid_column(r, 21)?,
                    created_by: r.get(22)?,
                    created_at: Some(r.get::<_, String>(23)?).filter(|t| !t.is_empty()),
                    ..CaseRecord::default()
                },
                (r.get::<_, String>(6)?, r.get::<_, String>(10)?),
            ))
        })
        .optional()?;
    let Some((ext, mut rec, (status, consent))) = head else {
        return Ok(None);
    };
    rec.id = Some(match (form, ext) {
        (Form::Export, Some(text)) => serde_json::from_str(&text).map_err(|_| {
            StoreError::Invalid(format!("case {id}: external id '{text}' is not JSON"))
        })?,
        _ => ExternalId::Number(id),
    });
    rec.status = code(&status)?;
    rec.consent = code(&consent)?;
    rec.members = members(conn, id, form)?;
    rec.revisions = revisions(conn, id)?;
    rec.plan = rec
        .revisions
        .last()
        .map(|r| r.plan.clone())
        .unwrap_or_default();
    if form == Form::Export {
        rec.changes = changes(conn, id)?;
    }
    Ok(Some(rec))
}

fn members(conn: &Connection, case: i64, form: Form) -> Result<Vec<MemberRecord>> {
    let kept = match form {
        Form::Export => "",
        Form::Kept => " AND deleted_at IS NULL",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT uid, rev, relation, name, created_by, created_at, deleted_at FROM case_members
         WHERE case_id = ?1{kept} ORDER BY position, id"
    ))?;
    let rows = stmt.query_map([case], |r| {
        Ok(MemberRecord {
            uid: uid_column(r, 0)?,
            rev: r.get(1)?,
            relation: r.get(2)?,
            name: r.get(3)?,
            by: r.get(4)?,
            at: r.get(5)?,
            deleted_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every revision of the plan, oldest first.
pub(crate) fn revisions(conn: &Connection, case: i64) -> Result<Vec<PlanRevision>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.uid, p.rev, COALESCE(m.uid, p.meeting_uid), p.policy, p.created_by,
                p.created_at
         FROM case_plans p LEFT JOIN meetings m ON m.id = p.meeting_id
         WHERE p.case_id = ?1 ORDER BY p.created_at, p.id",
    )?;
    let rows: Vec<(i64, PlanRevision)> = stmt
        .query_map([case], |r| {
            Ok((
                r.get(0)?,
                PlanRevision {
                    uid: uid_column(r, 1)?,
                    rev: r.get(2)?,
                    meeting: uid_column(r, 3)?,
                    policy: r.get(4)?,
                    by: r.get(5)?,
                    at: r.get(6)?,
                    plan: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, mut rev) in rows {
        rev.plan = plan_lines(conn, id)?;
        out.push(rev);
    }
    Ok(out)
}

fn changes(conn: &Connection, case: i64) -> Result<Vec<CaseChangeRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT x.uid, x.at, x.by, COALESCE(m.uid, x.meeting_uid), x.entity, x.entity_uid, x.field,
                x.old_value, x.new_value
         FROM case_changes x LEFT JOIN meetings m ON m.id = x.meeting_id
         WHERE x.case_id = ?1 ORDER BY x.at, x.id",
    )?;
    let rows = stmt.query_map([case], |r| {
        Ok(CaseChangeRecord {
            uid: uid_column(r, 0)?,
            at: r.get(1)?,
            by: r.get(2)?,
            meeting: uid_column(r, 3)?,
            entity: r.get(4)?,
            entity_uid: uid_column(r, 5)?,
            field: r.get(6)?,
            old: r.get(7)?,
            new: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The cases a meeting discusses, as its record carries them (removed ones too for the export).
pub(crate) fn links(conn: &Connection, meeting: i64, export: bool) -> Result<Vec<CaseLink>> {
    let kept = if export {
        ""
    } else {
        " AND k.deleted_at IS NULL"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT k.uid, k.rev, c.uid, k.basis, k.warned, k.situation, k.status, l.name,
                k.key_person, k.risk, k.urgency, k.policy, k.consent, p.uid, k.created_by,
                k.created_at, k.deleted_at
         FROM meeting_cases k JOIN cases c ON c.id = k.case_id
         LEFT JOIN agencies l ON l.id = k.lead_agency
         LEFT JOIN case_plans p ON p.id = k.plan_id
         WHERE k.meeting_id = ?1{kept} ORDER BY k.position, k.id"
    ))?;
    let rows = stmt.query_map([meeting], |r| {
        Ok((
            CaseLink {
                uid: uid_column(r, 0)?,
                rev: r.get(1)?,
                case: ExternalId::Text(r.get(2)?),
                basis: r.get(3)?,
                warned: r.get(4)?,
                situation: r.get(5)?,
                lead_agency: r.get(7)?,
                key_person: r.get(8)?,
                risk: r.get(9)?,
                urgency: r.get(10)?,
                policy: r.get(11)?,
                plan: uid_column(r, 13)?,
                by: r.get(14)?,
                at: r.get(15)?,
                deleted_at: r.get(16)?,
                ..CaseLink::default()
            },
            r.get::<_, String>(6)?,
            r.get::<_, String>(12)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut link, status, consent) = row?;
        link.status = if status.is_empty() {
            None
        } else {
            Some(code(&status)?)
        };
        link.consent = if consent.is_empty() {
            None
        } else {
            Some(code(&consent)?)
        };
        out.push(link);
    }
    Ok(out)
}

/// In an export, a record of a meeting that discusses one case belongs to it without saying so
/// (a file without `case` on its records means the meeting's only case): the case is named only
/// where it tells something.
pub(crate) fn elide_only_case(m: &mut MeetingRecord) {
    let kept: Vec<&CaseLink> = m.cases.iter().filter(|l| l.deleted_at.is_none()).collect();
    let only = match kept.as_slice() {
        [one] => Some(one.case.clone()),
        _ => None,
    };
    let Some(only) = only else { return };
    let elide = |case: &mut Option<ExternalId>| {
        if case.as_ref() == Some(&only) {
            *case = None;
        }
    };
    for r in &mut m.roles {
        elide(&mut r.case);
    }
    for a in &mut m.actions {
        elide(&mut a.case);
    }
    for i in &mut m.issues {
        elide(&mut i.case);
    }
    for item in &mut m.agenda {
        for e in item.notes.iter_mut().chain(item.decisions.iter_mut()) {
            elide(&mut e.case);
        }
    }
}

impl Store {
    /// One case as the export writes it.
    pub(crate) fn case_export(&self, id: i64) -> Result<Option<CaseRecord>> {
        case_record(self.conn(), id, Form::Export)
    }

    /// Every case, in the order they were made.
    pub(crate) fn case_records(&self) -> Result<Vec<CaseRecord>> {
        let ids: Vec<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM cases ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(rec) = case_record(self.conn(), id, Form::Export)? {
                out.push(rec);
            }
        }
        Ok(out)
    }

    /// One case as a record (its kept members, plan and revisions; its number as id).
    pub fn case_record(&self, case: i64) -> Result<Option<CaseRecord>> {
        case_record(self.conn(), case, Form::Kept)
    }
}
