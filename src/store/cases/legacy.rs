//! Meetings that name their case only by its pseudonym — made before renkei had case records,
//! written by files of that shape, or set by the case fields of a live meeting — are linked to
//! the case of that pseudonym in the body's ward, and a case is made from what the meeting says
//! when the ward has none. What the meeting said of the case (lead agency, key person, risk,
//! urgency, policy) becomes the meeting's record of it, so its minutes keep showing it.

use rusqlite::{Connection, OptionalExtension, params};

use super::CaseChange;
use super::write::{current_plan, insert_member, members_of, write_plan_lines};
use crate::domain::case::{CaseRules, Level, pseudonym_key};
use crate::store::Result;

/// Whose linking it is.
#[derive(Clone, Copy)]
pub(crate) enum Mode<'a> {
    /// The upgrade of a database made before cases: meetings are taken in date order, and each
    /// brings the case up to what it said (the case is the ward's history of that pseudonym).
    Upgrade,
    /// An import, or a meeting's case fields: a case the ward has is linked as it is; a new one
    /// is made from the meeting, and refused when its pseudonym looks like a person's name or
    /// holds one the database recorded (read once an import, into the cell).
    Link(&'a std::cell::RefCell<Option<crate::cases::RecordedNames>>),
}

struct Said {
    case_ref: String,
    subject: String,
    ward: i64,
    kind: String,
    date: String,
    held: bool,
    basis: String,
    referred_by: Option<i64>,
    lead_agency: Option<i64>,
    key_person: String,
    risk: String,
    urgency: String,
    policy: String,
    created_by: String,
}

fn said(conn: &Connection, meeting: i64) -> Result<Option<Said>> {
    Ok(conn
        .prepare_cached(
            "SELECT m.case_ref, m.case_subject, b.ward_id, b.kind, m.date, m.status = 'held',
                    m.basis, m.referred_by, m.lead_agency, m.key_person, m.risk, m.urgency,
                    m.support_policy, m.created_by
             FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1",
        )?
        .query_row([meeting], |r| {
            Ok(Said {
                case_ref: r.get(0)?,
                subject: r.get(1)?,
                ward: r.get(2)?,
                kind: r.get(3)?,
                date: r.get(4)?,
                held: r.get(5)?,
                basis: r.get(6)?,
                referred_by: r.get(7)?,
                lead_agency: r.get(8)?,
                key_person: r.get(9)?,
                risk: r.get(10)?,
                urgency: r.get(11)?,
                policy: r.get(12)?,
                created_by: r.get(13)?,
            })
        })
        .optional()?)
}

/// A level as a case keeps it: the scale's code, or nothing for text off the scale.
fn level_code(text: &str) -> &'static str {
    Level::parse_loose(text).map(Level::code).unwrap_or("")
}

/// A level as a meeting's record of the case keeps it: the code when the text is on the scale,
/// the text itself otherwise (やや高 stays what the minutes said).
fn level_kept(text: &str) -> String {
    match Level::parse_loose(text) {
        Some(l) => l.code().to_owned(),
        None => text.trim().to_owned(),
    }
}

/// Links a meeting to the case its pseudonym names (making the case when the ward has none);
/// its captures that belong to no case become that case's. Returns the case, or `None` when
/// the meeting names none.
pub(crate) fn link_by_pseudonym(
    conn: &Connection,
    now: &str,
    user: &str,
    meeting: i64,
    mode: Mode<'_>,
) -> Result<Option<i64>> {
    let Some(s) = said(conn, meeting)? else {
        return Ok(None);
    };
    let pseudonym = s.case_ref.trim();
    if pseudonym.is_empty() {
        return Ok(None);
    }
    let key = pseudonym_key(pseudonym);
    let found: Option<i64> = conn
        .prepare_cached("SELECT id FROM cases WHERE ward_id = ?1 AND pseudonym_key = ?2")?
        .query_row(params![s.ward, key], |r| r.get(0))
        .optional()?;
    let subject = s.subject.trim();
    let case =
        match found {
            Some(case) => {
                if matches!(mode, Mode::Upgrade) {
                    follow_meeting(conn, now, case, &s)?;
                }
                case
            }
            None => {
                if let Mode::Link(recorded) = mode {
                    let members = [("本人".to_owned(), subject.to_owned())];
                    let people = crate::cases::household_people(&members);
                    if let Some(problem) = crate::cases::pseudonym_problem(pseudonym, &people) {
                        return Err(problem.into());
                    }
                    if let Some(problem) = super::recorded_problem(conn, recorded, pseudonym)? {
                        return Err(problem.into());
                    }
                }
                conn.prepare_cached(
                "INSERT INTO cases (ward_id, pseudonym, pseudonym_key, opened, status, referred_by,
                                    lead_agency, key_person, risk, urgency, policy, created_by,
                                    created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            )?
            .execute(params![
                s.ward,
                pseudonym,
                key,
                opened_on(now, &s.date),
                if s.held { "active" } else { "open" },
                s.referred_by,
                s.lead_agency,
                s.key_person.trim(),
                level_code(&s.risk),
                level_code(&s.urgency),
                s.policy.trim(),
                if s.created_by.is_empty() { user } else { &s.created_by },
                now
            ])?;
                let case = conn.last_insert_rowid();
                let status = if s.held { "active" } else { "open" };
                CaseChange::at(conn, now, user, case, Some(meeting)).record(
                    "case",
                    None,
                    "status",
                    None,
                    Some(status),
                )?;
                case
            }
        };
    if !subject.is_empty()
        && !members_of(conn, case)?
            .iter()
            .any(|(_, name)| pseudonym_key(name) == pseudonym_key(subject))
    {
        insert_member(conn, now, user, case, "本人", subject, Some(meeting))?;
    }
    let plan = if !s.policy.trim().is_empty() && (found.is_none() || matches!(mode, Mode::Upgrade))
    {
        Some(plan_at(conn, now, user, case, meeting, s.policy.trim())?)
    } else {
        current_plan(conn, case)?.0
    };
    // The meeting's 開催根拠 as the law it names (支援会議 → 社会福祉法第106条の6), else as written;
    // none written: the rule of the body's kind.
    let rules = CaseRules::builtin();
    let basis = if s.basis.trim().is_empty() {
        rules.for_kind(&s.kind).basis.clone()
    } else {
        rules
            .for_basis(&s.basis)
            .map(|r| r.basis.clone())
            .unwrap_or_else(|| s.basis.trim().to_owned())
    };
    conn.prepare_cached(
        "INSERT INTO meeting_cases (meeting_id, case_id, position, basis, lead_agency, key_person,
                                    risk, urgency, policy, plan_id, created_by, created_at,
                                    updated_at)
         VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM meeting_cases
                          WHERE meeting_id = ?1), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
         ON CONFLICT (meeting_id, case_id) DO NOTHING",
    )?
    .execute(params![
        meeting,
        case,
        basis,
        s.lead_agency,
        s.key_person.trim(),
        level_kept(&s.risk),
        level_kept(&s.urgency),
        s.policy.trim(),
        plan,
        user,
        now
    ])?;
    // `+case_id`: found through the meeting, never through the index on case_id — in an import
    // every record so far has none, and reading them all at each meeting made a ward's import
    // quadratic (it ran past 15 minutes instead of 15 s).
    for table in ["role_assignments", "next_actions", "case_issues"] {
        conn.prepare_cached(&format!(
            "UPDATE {table} SET case_id = ?2 WHERE meeting_id = ?1 AND +case_id IS NULL"
        ))?
        .execute(params![meeting, case])?;
    }
    conn.prepare_cached(
        "UPDATE agenda_entries SET case_id = ?2
         WHERE +case_id IS NULL AND item_id IN (SELECT id FROM agenda_items WHERE meeting_id = ?1)",
    )?
    .execute(params![meeting, case])?;
    Ok(Some(case))
}

/// The upgrade: the case takes what a later meeting said of it (what it left empty stays).
/// The day a case made from a meeting's pseudonym was opened: the meeting's day, unless the
/// meeting is still to come — a case is never opened in the future (it is today's, then).
fn opened_on(now: &str, meeting: &str) -> String {
    match crate::clock::parse_instant(now).map(|t| t.format("%Y-%m-%d").to_string()) {
        Some(today) if today.as_str() < meeting => today,
        _ => meeting.to_owned(),
    }
}

fn follow_meeting(conn: &Connection, now: &str, case: i64, s: &Said) -> Result<()> {
    conn.prepare_cached(
        "UPDATE cases SET
             status = CASE WHEN ?2 THEN 'active' ELSE status END,
             lead_agency = COALESCE(?3, lead_agency),
             key_person = CASE WHEN ?4 = '' THEN key_person ELSE ?4 END,
             risk = CASE WHEN ?5 = '' THEN risk ELSE ?5 END,
             urgency = CASE WHEN ?6 = '' THEN urgency ELSE ?6 END,
             policy = CASE WHEN ?7 = '' THEN policy ELSE ?7 END,
             referred_by = COALESCE(referred_by, ?8),
             updated_at = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        case,
        s.held,
        s.lead_agency,
        s.key_person.trim(),
        level_code(&s.risk),
        level_code(&s.urgency),
        s.policy.trim(),
        s.referred_by,
        now
    ])?;
    Ok(())
}

/// A revision of the plan at the meeting with its policy (the lines as they stood).
fn plan_at(
    conn: &Connection,
    now: &str,
    user: &str,
    case: i64,
    meeting: i64,
    policy: &str,
) -> Result<i64> {
    let (_, lines) = current_plan(conn, case)?;
    // Dated when the meeting was (its end), so that revisions keep the order of their meetings
    // whatever order they are linked in.
    conn.prepare_cached(
        "INSERT INTO case_plans (case_id, meeting_id, meeting_uid, policy, created_by, created_at,
                                 updated_at)
         SELECT ?1, m.id, m.uid, ?3, ?4,
                COALESCE(m.ended_at, m.date || 'T' || COALESCE(m.end_time, '23:59') || ':00'
                                     || substr(?5, 20)),
                ?5
         FROM meetings m WHERE m.id = ?2",
    )?
    .execute(params![case, meeting, policy, user, now])?;
    let plan = conn.last_insert_rowid();
    write_plan_lines(conn, plan, &lines)?;
    Ok(plan)
}

/// After the upgrade to cases: every meeting that names a case by pseudonym is linked to its
/// case, oldest first, in one transaction that also clears the mark the upgrade left — a
/// process killed before the commit leaves the mark, and the next start links them again.
pub(crate) fn settle(conn: &mut Connection, now: &str, user: &str) -> Result<()> {
    let pending: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM case_upgrade WHERE step = 'link_meetings')",
        [],
        |r| r.get(0),
    )?;
    if !pending {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    link_all(&tx, now, user)?;
    tx.execute("DELETE FROM case_upgrade WHERE step = 'link_meetings'", [])?;
    tx.commit()?;
    Ok(())
}

/// Links every meeting that names its case by pseudonym and has no case yet, oldest first, in
/// the caller's transaction (the upgrade; the ward-scale demo, which writes meetings as rows).
/// Returns how many it linked.
pub(crate) fn link_all(conn: &Connection, now: &str, user: &str) -> Result<usize> {
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT m.id FROM meetings m WHERE trim(m.case_ref) <> ''
               AND NOT EXISTS (SELECT 1 FROM meeting_cases k WHERE k.meeting_id = m.id)
             ORDER BY m.date, m.start_time IS NOT NULL, m.start_time, m.id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for &id in &ids {
        link_by_pseudonym(conn, now, user, id, Mode::Upgrade)?;
    }
    Ok(ids.len())
}
