//! Everything done to a case, each committed the moment it is entered and kept in the case's
//! history (`case_changes`): opening it, its fields, its household, consent, the plan, putting
//! it on a meeting (with the consent check of the body's kind), the situation told there, the
//! case being discussed, closure and reopening. A change made at a meeting names it: the
//! meeting's record of the case follows, and a plan revised there is that meeting's revision.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{CaseChange, Fields, not_found, read_fields, refresh_snapshots};
use crate::domain::case::{CaseRules, CaseStatus, Consent, Level, Sharing, pseudonym_key};
use crate::i18n::{Msg, message_lang};
use crate::interchange::PlanLine;
use crate::store::bodies::optional_agency_id;
use crate::store::{Result, Store, StoreError};

/// A case to open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewCase {
    pub pseudonym: String,
    /// Today when not given.
    pub opened: Option<NaiveDate>,
    pub referred_by: Option<String>,
    pub lead_agency: Option<String>,
    /// The household: (relation, name).
    pub members: Vec<(String, String)>,
}

/// The fields of a case that are edited together (the case form).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseEdit {
    pub pseudonym: String,
    pub opened: Option<NaiveDate>,
    pub referred_by: Option<String>,
    pub lead_agency: Option<String>,
    pub key_person: String,
    pub risk: Option<Level>,
    pub urgency: Option<Level>,
    pub policy: String,
    pub next_review: Option<NaiveDate>,
    /// What the form loaded: a save is refused when the case changed since (`rev`), and writes
    /// only the fields that differ from `fields` — the ones the user changed — so that a form
    /// open across someone else's change never writes back what it loaded. `None`: every field
    /// as given, unchecked (a script).
    pub loaded: Option<Loaded>,
}

/// A case as a form loaded it: its revision and its fields then.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub rev: i64,
    pub fields: Box<CaseEdit>,
}

impl CaseEdit {
    /// The edit as it applies to the case now (`old`): a field left as the form loaded it is
    /// the case's current value (nothing to write).
    fn changed_only(&self, old: &Fields) -> CaseEdit {
        let Some(loaded) = &self.loaded else {
            return self.clone();
        };
        let base = &loaded.fields;
        let day = |t: &Option<String>| {
            t.as_deref()
                .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        };
        fn pick<T: PartialEq + Clone>(mine: &T, base: &T, now: T) -> T {
            if mine == base { now } else { mine.clone() }
        }
        CaseEdit {
            pseudonym: pick(&self.pseudonym, &base.pseudonym, old.pseudonym.clone()),
            opened: pick(&self.opened, &base.opened, day(&old.opened)),
            referred_by: pick(
                &self.referred_by,
                &base.referred_by,
                old.referred_by.clone(),
            ),
            lead_agency: pick(
                &self.lead_agency,
                &base.lead_agency,
                old.lead_agency.clone(),
            ),
            key_person: pick(&self.key_person, &base.key_person, old.key_person.clone()),
            risk: pick(&self.risk, &base.risk, old.risk.parse().ok()),
            urgency: pick(&self.urgency, &base.urgency, old.urgency.parse().ok()),
            policy: pick(&self.policy, &base.policy, old.policy.clone()),
            next_review: pick(&self.next_review, &base.next_review, day(&old.next_review)),
            loaded: None,
        }
    }
}

/// How a case ends: closed (終結), suspended (中断) or transferred (移管), with the date, the
/// reason, the evaluation of the plan (what was reached) and, for a transfer, where to.
#[derive(Debug, Clone, PartialEq)]
pub struct Closure {
    pub kind: CaseStatus,
    pub date: NaiveDate,
    pub reason: String,
    pub evaluation: String,
    pub transferred_to: String,
}

/// A case put on a meeting: the basis it is shared on, and whether that needed consent nobody
/// recorded (the warning, kept with the meeting and in the audit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub basis: String,
    pub warned: bool,
}

pub(super) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A date of what happened — a case opened (`opened_after_today`), consent given
/// (`consent_date_after_today`), a case ended (`closure_date_after_today`) — after `today`: the refusal, naming the date and today. What
/// happened has a day that has come (the forms refuse the same; the store and the import too,
/// whoever writes).
pub(crate) fn after_today(key: &'static str, date: NaiveDate, today: NaiveDate) -> Msg {
    Msg::new(key)
        .with("value", iso(date))
        .with("today", iso(today))
}

/// Whether the meeting `at` is held and dated `date`: a closure decided there may take its
/// date (a meeting begun ahead of its day keeps the day it was planned for).
pub(crate) fn held_on(conn: &Connection, at: Option<i64>, date: NaiveDate) -> Result<bool> {
    let Some(meeting) = at else {
        return Ok(false);
    };
    Ok(conn
        .prepare_cached("SELECT 1 FROM meetings WHERE id = ?1 AND status = 'held' AND date = ?2")?
        .query_row(params![meeting, iso(date)], |_| Ok(()))
        .optional()?
        .is_some())
}

fn level_code(level: Option<Level>) -> &'static str {
    level.map(Level::code).unwrap_or("")
}

/// Refuses a pseudonym another case of the ward has, or one that names a person.
fn check_pseudonym(
    conn: &Connection,
    ward: i64,
    pseudonym: &str,
    members: &[(String, String)],
    except: Option<i64>,
) -> Result<()> {
    let people = crate::cases::household_people(members);
    if let Some(problem) = crate::cases::pseudonym_problem(pseudonym, &people) {
        return Err(problem.about("pseudonym").into());
    }
    let recorded = crate::store::recorded::people(conn)?;
    if let Some(problem) = crate::cases::RecordedNames::new(&recorded).problem(pseudonym) {
        return Err(problem.about("pseudonym").into());
    }
    let other: Option<i64> = conn
        .prepare_cached("SELECT id FROM cases WHERE ward_id = ?1 AND pseudonym_key = ?2")?
        .query_row(params![ward, pseudonym_key(pseudonym)], |r| r.get(0))
        .optional()?;
    if other.is_some() && other != except {
        return Err(Msg::new("pseudonym_taken")
            .about("pseudonym")
            .with("pseudonym", pseudonym.trim())
            .into());
    }
    Ok(())
}

/// The household of a case, as (relation, name), kept members only.
pub(crate) fn members_of(conn: &Connection, case: i64) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT relation, name FROM case_members WHERE case_id = ?1 AND deleted_at IS NULL
         ORDER BY position, id",
    )?;
    let rows = stmt.query_map([case], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn ward_of(conn: &Connection, case: i64) -> Result<i64> {
    conn.prepare_cached("SELECT ward_id FROM cases WHERE id = ?1")?
        .query_row([case], |r| r.get(0))
        .optional()?
        .ok_or_else(|| not_found(case))
}

/// The lines of the plan as it stands (its latest revision), and that revision's row.
pub(crate) fn current_plan(conn: &Connection, case: i64) -> Result<(Option<i64>, Vec<PlanLine>)> {
    let latest: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM case_plans WHERE case_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1",
        )?
        .query_row([case], |r| r.get(0))
        .optional()?;
    let Some(plan) = latest else {
        return Ok((None, Vec::new()));
    };
    Ok((Some(plan), plan_lines(conn, plan)?))
}

pub(crate) fn plan_lines(conn: &Connection, plan: i64) -> Result<Vec<PlanLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.name, i.role, i.goal FROM case_plan_items i
         LEFT JOIN agencies a ON a.id = i.agency_id WHERE i.plan_id = ?1 ORDER BY i.position",
    )?;
    let rows = stmt.query_map([plan], |r| {
        Ok(PlanLine {
            agency: r.get(0)?,
            role: r.get(1)?,
            goal: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn write_plan_lines(conn: &Connection, plan: i64, lines: &[PlanLine]) -> Result<()> {
    conn.prepare_cached("DELETE FROM case_plan_items WHERE plan_id = ?1")?
        .execute([plan])?;
    for (i, line) in lines.iter().enumerate() {
        let agency = optional_agency_id(conn, line.agency.as_deref())?;
        conn.prepare_cached(
            "INSERT INTO case_plan_items (plan_id, position, agency_id, role, goal)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            plan,
            i as i64 + 1,
            agency,
            line.role.trim(),
            line.goal.trim()
        ])?;
    }
    Ok(())
}

/// The plan revised (its lines, the policy): a revision at the meeting `at` (one per meeting:
/// revised again there, the same revision follows), or, outside a meeting, a new revision —
/// unless the last one was made outside a meeting by the same person on the same day.
pub(super) fn revise(
    conn: &Connection,
    now: &str,
    user: &str,
    case: i64,
    lines: &[PlanLine],
    policy: &str,
    at: Option<i64>,
) -> Result<()> {
    let (latest, old_lines) = current_plan(conn, case)?;
    let old_policy: String = conn
        .prepare_cached("SELECT policy FROM cases WHERE id = ?1")?
        .query_row([case], |r| r.get(0))?;
    if old_lines == lines && old_policy == policy {
        return Ok(());
    }
    let same: Option<i64> = match at {
        Some(m) => conn
            .prepare_cached(
                "SELECT id FROM case_plans WHERE case_id = ?1 AND meeting_id = ?2
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![case, m], |r| r.get(0))
            .optional()?,
        None => conn
            .prepare_cached(
                "SELECT id FROM case_plans WHERE id = ?2 AND meeting_id IS NULL
                   AND created_by = ?3 AND substr(created_at, 1, 10) = substr(?4, 1, 10)",
            )?
            .query_row(params![case, latest, user, now], |r| r.get(0))
            .optional()?,
    };
    let plan = match same {
        Some(p) => {
            conn.prepare_cached(
                "UPDATE case_plans SET policy = ?2, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![p, policy, now])?;
            p
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO case_plans (case_id, meeting_id, meeting_uid, policy, created_by,
                                         created_at, updated_at)
                 VALUES (?1, ?2, (SELECT uid FROM meetings WHERE id = ?2), ?3, ?4, ?5, ?5)",
            )?
            .execute(params![case, at, policy, user, now])?;
            conn.last_insert_rowid()
        }
    };
    write_plan_lines(conn, plan, lines)?;
    let uid: String = conn
        .prepare_cached("SELECT uid FROM case_plans WHERE id = ?1")?
        .query_row([plan], |r| r.get(0))?;
    let text = |lines: &[PlanLine]| {
        lines
            .iter()
            .map(|l| {
                format!(
                    "{}: {} / {}",
                    l.agency.as_deref().unwrap_or(""),
                    l.role,
                    l.goal
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    if old_lines != lines {
        CaseChange::at(conn, now, user, case, at).record(
            "plan",
            Some(uid.clone()),
            "plan",
            Some(&text(&old_lines)),
            Some(&text(lines)),
        )?;
    }
    if old_policy != policy {
        CaseChange::at(conn, now, user, case, at).record(
            "case",
            None,
            "policy",
            Some(&old_policy),
            Some(policy),
        )?;
        conn.prepare_cached("UPDATE cases SET policy = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![case, policy, now])?;
    }
    Ok(())
}

/// Writes one field of a case and records the change (nothing when it is the same).
pub(super) fn set_field(
    conn: &Connection,
    now: &str,
    user: &str,
    case: i64,
    at: Option<i64>,
    (field, old, new): (&str, Option<&str>, Option<&str>),
    write: &dyn Fn(&Connection) -> Result<()>,
) -> Result<()> {
    if old.unwrap_or("") == new.unwrap_or("") {
        return Ok(());
    }
    write(conn)?;
    CaseChange::at(conn, now, user, case, at).record("case", None, field, old, new)
}

/// A case renamed after minutes that show it were approved: the minutes are read from the tables,
/// so the new name shows in them; each approved meeting that discussed or reviewed the case
/// lists the change under 修正履歴 (who, when, the name before and after), so that what was
/// approved is never changed silently (attack report 9, finding 6).
pub(crate) fn amend_approved_minutes(
    conn: &Connection,
    now: &str,
    user: &str,
    case: i64,
    (field, old, new): (&str, &str, &str),
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let meetings: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM meetings WHERE minutes_state = 'approved' AND id IN (
                 SELECT meeting_id FROM meeting_cases WHERE case_id = ?1 AND deleted_at IS NULL
                 UNION SELECT meeting_id FROM case_reviews WHERE case_id = ?1)
             ORDER BY id",
        )?
        .query_map([case], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for meeting_id in meetings {
        // A change of the meeting (its uid the meeting's): what an export carries and an import
        // takes back as the meeting's own change.
        let change =
            crate::store::minutes::Change::meeting(meeting_id, field, Some(old), Some(new));
        crate::store::minutes::record_change(conn, now, user, &change)?;
    }
    Ok(())
}

impl Store {
    /// Runs `f` in one write transaction with the time and the user.
    pub(super) fn case_write<T>(
        &mut self,
        f: impl FnOnce(&Connection, &str, &str) -> Result<T>,
    ) -> Result<T> {
        self.write(f)
    }

    /// Opens a case (受理) in this database's ward. A pseudonym another case has, or one that
    /// looks like a person's name, is refused.
    pub fn create_case(&mut self, new: &NewCase) -> Result<i64> {
        self.create_case_in(crate::store::ward::HOME, new)
    }

    /// Opens a case (受理) in the ward `ward` (in a city: the ward of the meeting it comes up
    /// at), as [`Store::create_case`] does.
    pub fn create_case_in(&mut self, ward: i64, new: &NewCase) -> Result<i64> {
        crate::store::limits::texts(&[
            ("pseudonym", &new.pseudonym),
            ("referred_by", new.referred_by.as_deref().unwrap_or("")),
            ("lead_agency", new.lead_agency.as_deref().unwrap_or("")),
        ])?;
        for (relation, name) in &new.members {
            crate::store::limits::texts(&[("relation", relation), ("name", name)])?;
        }
        let today = self.clock().today();
        if let Some(opened) = new.opened.filter(|d| *d > today) {
            return Err(after_today("opened_after_today", opened, today)
                .about("opened")
                .into());
        }
        self.case_write(|conn, now, user| {
            check_pseudonym(conn, ward, &new.pseudonym, &new.members, None)?;
            let referred = optional_agency_id(conn, new.referred_by.as_deref())?;
            let lead = optional_agency_id(conn, new.lead_agency.as_deref())?;
            let member_names: Vec<&str> = new.members.iter().map(|(_, n)| n.as_str()).collect();
            refuse_person_as_agency(
                conn,
                "referred_by",
                new.referred_by.as_deref(),
                &member_names,
            )?;
            refuse_person_as_agency(
                conn,
                "lead_agency",
                new.lead_agency.as_deref(),
                &member_names,
            )?;
            conn.prepare_cached(
                "INSERT INTO cases (ward_id, pseudonym, pseudonym_key, opened, status, referred_by,
                                    lead_agency, created_by, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7, ?8, ?8)",
            )?
            .execute(params![
                ward,
                new.pseudonym.trim(),
                pseudonym_key(&new.pseudonym),
                iso(new.opened.unwrap_or(today)),
                referred,
                lead,
                user,
                now
            ])?;
            let case = conn.last_insert_rowid();
            for (relation, name) in &new.members {
                insert_member(conn, now, user, case, relation, name, None)?;
            }
            CaseChange::at(conn, now, user, case, None).record(
                "case",
                None,
                "status",
                None,
                Some(CaseStatus::Open.code()),
            )?;
            Ok(case)
        })
    }

    /// Changes the fields of a case (the case form), each change recorded; at a meeting, the
    /// meeting's record of the case follows, and a new policy is the plan's revision there.
    pub fn update_case(&mut self, case: i64, edit: &CaseEdit, at: Option<i64>) -> Result<()> {
        crate::store::limits::texts(&[
            ("pseudonym", &edit.pseudonym),
            ("referred_by", edit.referred_by.as_deref().unwrap_or("")),
            ("lead_agency", edit.lead_agency.as_deref().unwrap_or("")),
            ("key_person", &edit.key_person),
            ("policy", &edit.policy),
        ])?;
        let today = self.clock().today();
        self.case_write(|conn, now, user| {
            if let Some(loaded) = &edit.loaded {
                let was = super::Seen {
                    case_rev: loaded.rev,
                    review_rev: None,
                };
                super::stale::refuse_stale(conn, None, case, &was)?;
            }
            let old = read_fields(conn, case)?;
            let edit = &edit.changed_only(&old);
            // An agency field changed to a person's name is refused (one left as it was, stays).
            for (field, new, was) in [
                ("referred_by", &edit.referred_by, &old.referred_by),
                ("lead_agency", &edit.lead_agency, &old.lead_agency),
            ] {
                let new = new.as_deref().map(str::trim).filter(|t| !t.is_empty());
                if new != was.as_deref() {
                    refuse_person_as_agency(conn, field, new, &[])?;
                }
            }
            // A review date years away hides the case from every due list (a slip: 2062 for
            // 2026): refused beyond the horizon, unless it is the date the case already had.
            if let Some(review) = edit.next_review {
                let unchanged = old.next_review.as_deref() == Some(iso(review).as_str());
                if !unchanged && crate::domain::calendar::beyond_horizon(review, today) {
                    return Err(Msg::new("case_review_too_far")
                        .about("next_review")
                        .with("date", iso(review))
                        .with("years", crate::domain::calendar::HORIZON_YEARS)
                        .into());
                }
            }
            if old.pseudonym != edit.pseudonym.trim() {
                let ward = ward_of(conn, case)?;
                check_pseudonym(conn, ward, &edit.pseudonym, &members_of(conn, case)?, Some(case))?;
            }
            let pseudonym = edit.pseudonym.trim().to_owned();
            set_field(conn, now, user, case, at,
                ("pseudonym", Some(&old.pseudonym), Some(&pseudonym)),
                &|c| {
                    c.execute(
                        "UPDATE cases SET pseudonym = ?2, pseudonym_key = ?3, updated_at = ?4 WHERE id = ?1",
                        params![case, pseudonym, pseudonym_key(&pseudonym), now],
                    )?;
                    Ok(())
                })?;
            amend_approved_minutes(conn, now, user, case, ("case_name", &old.pseudonym, &pseudonym))?;
            let opened = edit.opened.map(iso);
            // A case is opened on a day that has come (a 受理日 a year ahead was counted in no
            // year's report); one it already had stays.
            if let Some(day) = edit.opened.filter(|d| *d > today)
                && old.opened.as_deref() != opened.as_deref()
            {
                return Err(after_today("opened_after_today", day, today)
                    .about("opened")
                    .into());
            }
            set_field(conn, now, user, case, at, ("opened", old.opened.as_deref(), opened.as_deref()), &|c| {
                c.execute("UPDATE cases SET opened = ?2, updated_at = ?3 WHERE id = ?1", params![case, opened, now])?;
                Ok(())
            })?;
            for (field, before, after) in [
                ("referred_by", &old.referred_by, &edit.referred_by),
                ("lead_agency", &old.lead_agency, &edit.lead_agency),
            ] {
                let after = after.as_deref().map(str::trim).filter(|s| !s.is_empty());
                set_field(conn, now, user, case, at, (field, before.as_deref(), after), &|c| {
                    let id = optional_agency_id(c, after)?;
                    c.execute(
                        &format!("UPDATE cases SET {field} = ?2, updated_at = ?3 WHERE id = ?1"),
                        params![case, id, now],
                    )?;
                    Ok(())
                })?;
            }
            let key_person = edit.key_person.trim();
            set_field(conn, now, user, case, at, ("key_person", Some(&old.key_person), Some(key_person)), &|c| {
                c.execute("UPDATE cases SET key_person = ?2, updated_at = ?3 WHERE id = ?1", params![case, key_person, now])?;
                Ok(())
            })?;
            for (field, before, after) in [
                ("risk", &old.risk, level_code(edit.risk)),
                ("urgency", &old.urgency, level_code(edit.urgency)),
            ] {
                set_field(conn, now, user, case, at, (field, Some(before), Some(after)), &|c| {
                    c.execute(
                        &format!("UPDATE cases SET {field} = ?2, updated_at = ?3 WHERE id = ?1"),
                        params![case, after, now],
                    )?;
                    Ok(())
                })?;
            }
            let review = edit.next_review.map(iso);
            set_field(conn, now, user, case, at, ("next_review", old.next_review.as_deref(), review.as_deref()), &|c| {
                c.execute("UPDATE cases SET next_review = ?2, updated_at = ?3 WHERE id = ?1", params![case, review, now])?;
                Ok(())
            })?;
            if old.policy != edit.policy.trim() {
                let (_, lines) = current_plan(conn, case)?;
                revise(conn, now, user, case, &lines, edit.policy.trim(), at)?;
            }
            refresh_snapshots(conn, case, at)
        })
    }

    /// Records the person's consent (given, not given, unknown), when, and who recorded it.
    pub fn set_consent(
        &mut self,
        case: i64,
        consent: Consent,
        date: Option<NaiveDate>,
        at: Option<i64>,
    ) -> Result<()> {
        self.set_consent_seen(case, consent, date, at, None)
    }

    /// [`Store::set_consent`] from a form opened on the consent `seen` (its code): when a
    /// colleague has recorded another since, nothing is written — `StoreError::Conflict` with
    /// the consent the case has now — so that their 無 is not saved over unseen; the form sent
    /// again with it saves.
    pub fn set_consent_seen(
        &mut self,
        case: i64,
        consent: Consent,
        date: Option<NaiveDate>,
        at: Option<i64>,
        seen: Option<&str>,
    ) -> Result<()> {
        let today = self.clock().today();
        if let Some(date) = date
            && date > today
        {
            return Err(after_today("consent_date_after_today", date, today)
                .about("consent_date")
                .into());
        }
        let by = self.signature();
        self.case_write(|conn, now, user| {
            let old = read_fields(conn, case)?;
            if seen.is_some_and(|s| s != old.consent.code()) {
                return Err(StoreError::Conflict {
                    current: old.consent.code().to_owned(),
                });
            }
            let date = date.map(iso);
            if old.consent == consent && old.consent_date == date {
                return Ok(());
            }
            conn.prepare_cached(
                "UPDATE cases SET consent = ?2, consent_date = ?3, consent_by = ?4, updated_at = ?5
                 WHERE id = ?1",
            )?
            .execute(params![case, consent.code(), date, by, now])?;
            for (field, before, after) in [
                ("consent", Some(old.consent.code()), Some(consent.code())),
                ("consent_date", old.consent_date.as_deref(), date.as_deref()),
            ] {
                if before != after {
                    CaseChange::at(conn, now, user, case, at)
                        .record("case", None, field, before, after)?;
                }
            }
            refresh_snapshots(conn, case, at)
        })
    }

    /// Sets where an open case stands: 受理, 支援中, 見守り (ending it is [`Store::close_case`]).
    pub fn set_case_status(
        &mut self,
        case: i64,
        status: CaseStatus,
        at: Option<i64>,
    ) -> Result<()> {
        if status.is_ended() {
            return Err(Msg::new("case_end_with_closure")
                .with("status", status.label(message_lang()))
                .into());
        }
        self.case_write(|conn, now, user| {
            let old = read_fields(conn, case)?;
            if old.status.is_ended() {
                return Err(Msg::new("case_reopen_first")
                    .with("id", case)
                    .with("status", old.status.label(message_lang()))
                    .into());
            }
            set_field(
                conn,
                now,
                user,
                case,
                at,
                ("status", Some(old.status.code()), Some(status.code())),
                &|c| {
                    c.execute(
                        "UPDATE cases SET status = ?2, updated_at = ?3 WHERE id = ?1",
                        params![case, status.code(), now],
                    )?;
                    Ok(())
                },
            )?;
            refresh_snapshots(conn, case, at)
        })
    }

    /// Ends a case — closed, suspended or transferred — with its date, reason and the evaluation
    /// of the plan; decided at the meeting `at`, or recorded alone.
    pub fn close_case(&mut self, case: i64, closure: &Closure, at: Option<i64>) -> Result<()> {
        crate::store::limits::texts(&[
            ("closure_reason", &closure.reason),
            ("evaluation", &closure.evaluation),
            ("transferred_to", &closure.transferred_to),
        ])?;
        if !closure.kind.is_ended() {
            return Err(Msg::new("case_not_an_ending")
                .with("status", closure.kind.label(message_lang()))
                .into());
        }
        let today = self.clock().today();
        self.case_write(|conn, now, user| {
            if closure.date > today && !held_on(conn, at, closure.date)? {
                return Err(after_today("closure_date_after_today", closure.date, today)
                    .about("closed")
                    .into());
            }
            let old = read_fields(conn, case)?;
            if old.status.is_ended() {
                return Err(Msg::new("case_ended_already")
                    .with("id", case)
                    .with("status", old.status.label(message_lang()))
                    .into());
            }
            end(conn, now, user, case, old.status, closure, at)?;
            refresh_snapshots(conn, case, at)
        })
    }

    /// Opens a closed (suspended, transferred) case again: 支援中, its closure cleared from the
    /// record and kept in its history.
    pub fn reopen_case(&mut self, case: i64, at: Option<i64>) -> Result<()> {
        self.case_write(|conn, now, user| {
            let old = read_fields(conn, case)?;
            if !old.status.is_ended() {
                return Err(Msg::new("case_not_ended")
                    .with("id", case)
                    .with("status", old.status.label(message_lang()))
                    .into());
            }
            reopen(conn, now, user, case, old.status, at)?;
            refresh_snapshots(conn, case, at)
        })
    }

    /// Adds a member of the household. A name the case's pseudonym holds is refused (rename
    /// the case first).
    pub fn add_member(
        &mut self,
        case: i64,
        relation: &str,
        name: &str,
        at: Option<i64>,
    ) -> Result<i64> {
        crate::store::limits::texts(&[("relation", relation), ("name", name)])?;
        self.case_write(|conn, now, user| {
            let pseudonym = read_fields(conn, case)?.pseudonym;
            let mut members = members_of(conn, case)?;
            members.push((relation.to_owned(), name.to_owned()));
            check_member(&pseudonym, &members)?;
            insert_member(conn, now, user, case, relation, name, at)
        })
    }

    /// Corrects a member's relation or name.
    pub fn update_member(
        &mut self,
        member: i64,
        relation: &str,
        name: &str,
        at: Option<i64>,
    ) -> Result<()> {
        crate::store::limits::texts(&[("relation", relation), ("name", name)])?;
        self.case_write(|conn, now, user| {
            let (case, uid, old_relation, old_name): (i64, String, String, String) = conn
                .prepare_cached(
                    "SELECT case_id, uid, relation, name FROM case_members WHERE id = ?1",
                )?
                .query_row([member], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?
                .ok_or_else(|| {
                    StoreError::from(Msg::new("case_member_not_found").with("id", member))
                })?;
            // A member a colleague removed meanwhile: a correction there would show nowhere.
            let removed: bool = conn
                .prepare_cached("SELECT deleted_at IS NOT NULL FROM case_members WHERE id = ?1")?
                .query_row([member], |r| r.get(0))?;
            if removed {
                let by: Option<String> = conn
                    .prepare_cached(
                        "SELECT by FROM case_changes WHERE case_id = ?1 AND entity = 'member'
                           AND entity_uid = ?2 AND field = 'deleted' ORDER BY id DESC LIMIT 1",
                    )?
                    .query_row(params![case, uid], |r| r.get(0))
                    .optional()?;
                return Err(crate::store::capture::removed_by(by));
            }
            let pseudonym = read_fields(conn, case)?.pseudonym;
            let mut members = members_of(conn, case)?;
            members.push((relation.to_owned(), name.to_owned()));
            check_member(&pseudonym, &members)?;
            conn.prepare_cached(
                "UPDATE case_members SET relation = ?2, name = ?3, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![member, relation.trim(), name.trim(), now])?;
            for (field, before, after) in [
                ("relation", old_relation, relation.trim()),
                ("name", old_name, name.trim()),
            ] {
                if before != after {
                    CaseChange::at(conn, now, user, case, at).record(
                        "member",
                        Some(uid.clone()),
                        field,
                        Some(&before),
                        Some(after),
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Removes a member from the household (kept, marked removed: redaction still knows the name).
    pub fn remove_member(&mut self, member: i64, at: Option<i64>) -> Result<()> {
        self.case_write(|conn, now, user| {
            let (case, uid): (i64, String) = conn
                .prepare_cached("SELECT case_id, uid FROM case_members WHERE id = ?1")?
                .query_row([member], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| {
                    StoreError::from(Msg::new("case_member_not_found").with("id", member))
                })?;
            conn.prepare_cached(
                "UPDATE case_members SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            )?
            .execute(params![member, now])?;
            CaseChange::at(conn, now, user, case, at).record(
                "member",
                Some(uid),
                "deleted",
                Some("present"),
                Some("deleted"),
            )
        })
    }

    /// Sets the plan's lines (the policy stays): a revision at the meeting `at`, or alone.
    pub fn revise_plan(&mut self, case: i64, lines: &[PlanLine], at: Option<i64>) -> Result<()> {
        if lines.len() > crate::limits::MAX_ENTRIES {
            return Err(crate::limits::too_many(lines.len(), crate::limits::MAX_ENTRIES).into());
        }
        for line in lines {
            crate::store::limits::texts(&[
                ("agency", line.agency.as_deref().unwrap_or("")),
                ("role", &line.role),
                ("goal", &line.goal),
            ])?;
        }
        let lines: Vec<PlanLine> = lines
            .iter()
            .filter(|l| !l.role.trim().is_empty() || !l.goal.trim().is_empty())
            .map(|l| PlanLine {
                agency: l
                    .agency
                    .as_deref()
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned),
                role: l.role.trim().to_owned(),
                goal: l.goal.trim().to_owned(),
            })
            .collect();
        self.case_write(|conn, now, user| {
            let policy = read_fields(conn, case)?.policy;
            revise(conn, now, user, case, &lines, &policy, at)?;
            refresh_snapshots(conn, case, at)
        })
    }

    /// Puts a case on a meeting (or back on it): the basis it is shared on follows from the
    /// rule of the body's kind and the case's consent; sharing it where the kind needs consent
    /// that was not recorded is allowed, and warned about — the warning is kept with the meeting
    /// and written to the audit.
    pub fn link_case(&mut self, meeting: i64, case: i64) -> Result<Linked> {
        let signature = self.signature();
        self.case_write(|conn, now, user| {
            crate::store::limits::adding(conn, meeting, |conn| {
                link_audited(conn, now, user, &signature, meeting, case)
            })
        })
    }

    /// Takes a case off a meeting (the link is kept, marked removed; its captures stay theirs).
    pub fn unlink_case(&mut self, meeting: i64, case: i64) -> Result<()> {
        self.case_write(|conn, now, _user| {
            conn.prepare_cached(
                "UPDATE meeting_cases SET deleted_at = ?3, updated_at = ?3
                 WHERE meeting_id = ?1 AND case_id = ?2 AND deleted_at IS NULL",
            )?
            .execute(params![meeting, case, now])?;
            conn.prepare_cached(
                "UPDATE meetings SET current_case_id = NULL WHERE id = ?1 AND current_case_id = ?2",
            )?
            .execute(params![meeting, case])?;
            Ok(())
        })
    }

    /// The situation of a case now, as told at a meeting.
    pub fn set_situation(&mut self, meeting: i64, case: i64, text: &str) -> Result<()> {
        crate::store::limits::texts(&[("situation", text)])?;
        self.case_write(|conn, now, user| {
            let (id, old): (i64, String) = conn
                .prepare_cached(
                    "SELECT id, situation FROM meeting_cases
                     WHERE meeting_id = ?1 AND case_id = ?2 AND deleted_at IS NULL",
                )?
                .query_row(params![meeting, case], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| {
                    StoreError::from(
                        Msg::new("case_not_at_meeting")
                            .with("case", case)
                            .with("meeting", meeting),
                    )
                })?;
            if old == text {
                return Ok(());
            }
            conn.prepare_cached(
                "UPDATE meeting_cases SET situation = ?2, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![id, text, now])?;
            CaseChange::at(conn, now, user, case, Some(meeting)).record(
                "meeting_case",
                None,
                "situation",
                Some(&old),
                Some(text),
            )
        })
    }

    /// The case being discussed: every capture of the meeting goes to it from now on.
    pub fn set_current_case(&mut self, meeting: i64, case: Option<i64>) -> Result<()> {
        self.case_write(|conn, _now, _user| {
            if let Some(c) = case {
                let on: bool = conn
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM meeting_cases
                                    WHERE meeting_id = ?1 AND case_id = ?2 AND deleted_at IS NULL)",
                    )?
                    .query_row(params![meeting, c], |r| r.get(0))?;
                if !on {
                    return Err(Msg::new("case_not_at_meeting")
                        .with("case", c)
                        .with("meeting", meeting)
                        .into());
                }
            }
            conn.prepare_cached("UPDATE meetings SET current_case_id = ?2 WHERE id = ?1")?
                .execute(params![meeting, case])?;
            Ok(())
        })
    }
}

/// An agency field of a case (主担当機関 `lead_agency`, 相談経路 `referred_by`) holding a person —
/// a household member or anyone recorded, in any written form, or a name with a relation or
/// an honorific (`母 山田 恵美`, `山田恵美（母）`) — is refused (attack report 5, finding 18): an
/// agency is registered and offered by every meeting's picker, a person never is. `members`:
/// the names of a household being recorded in the same write.
pub(crate) fn refuse_person_as_agency(
    conn: &Connection,
    field: &'static str,
    text: Option<&str>,
    members: &[&str],
) -> Result<()> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(());
    };
    // The recorded people the text may name, looked up (`Store::table_people`), not everyone.
    let mut people = crate::store::recorded::table_people(conn)?.people_in(text)?;
    people.extend(members.iter().filter_map(|n| {
        crate::minutes::redact::Person::from_field(n, crate::minutes::redact::PersonKind::Household)
    }));
    let mut cells = crate::minutes::redact::PersonCells::new(&people, &[text]);
    if !cells.agency(text) {
        return Ok(());
    }
    let key = match field {
        "referred_by" => "case_referral_is_person",
        _ => "case_lead_is_person",
    };
    Err(Msg::new(key)
        .about(field)
        .with("text", crate::text::inert(text))
        .into())
}

/// Ends a case in the caller's transaction (see [`Store::close_case`]): its status and closure,
/// each change kept.
pub(super) fn end(
    conn: &Connection,
    now: &str,
    user: &str,
    case: i64,
    old_status: CaseStatus,
    closure: &Closure,
    at: Option<i64>,
) -> Result<()> {
    let date = iso(closure.date);
    // 終結 evaluates the plan (README: "終結 also an evaluation"; attack report 5, finding 15):
    // whatever ends it here — the case screen, a review — says what was reached. (An import
    // keeps an older file's closure as it was written.)
    if closure.kind == CaseStatus::Closed && crate::text::is_blank(&closure.evaluation) {
        let pseudonym: String = conn
            .prepare_cached("SELECT pseudonym FROM cases WHERE id = ?1")?
            .query_row([case], |r| r.get(0))?;
        return Err(Msg::new("case_needs_evaluation")
            .about("evaluation")
            .with("case", crate::text::inert(&pseudonym))
            .into());
    }
    // A case ends on or after the day it was opened (the import refuses the same).
    let opened: Option<String> = conn
        .prepare_cached("SELECT opened FROM cases WHERE id = ?1")?
        .query_row([case], |r| r.get(0))?;
    if let Some(opened) = opened.filter(|o| date.as_str() < o.as_str()) {
        return Err(Msg::new("case_closed_before_opened")
            .about("closed")
            .with("date", &date)
            .with("opened", opened)
            .into());
    }
    conn.prepare_cached(
        "UPDATE cases SET status = ?2, closed = ?3, closure_reason = ?4, evaluation = ?5,
                transferred_to = ?6, closed_in = ?7, updated_at = ?8 WHERE id = ?1",
    )?
    .execute(params![
        case,
        closure.kind.code(),
        date,
        closure.reason.trim(),
        closure.evaluation.trim(),
        closure.transferred_to.trim(),
        at,
        now
    ])?;
    for (field, value) in [
        ("status", closure.kind.code()),
        ("closed", date.as_str()),
        ("closure_reason", closure.reason.trim()),
        ("evaluation", closure.evaluation.trim()),
        ("transferred_to", closure.transferred_to.trim()),
    ] {
        if field == "transferred_to" && value.is_empty() {
            continue;
        }
        let before = (field == "status").then(|| old_status.code());
        CaseChange::at(conn, now, user, case, at).record(
            "case",
            None,
            field,
            before,
            Some(value),
        )?;
    }
    Ok(())
}

/// Opens an ended case again in the caller's transaction (see [`Store::reopen_case`]).
pub(super) fn reopen(
    conn: &Connection,
    now: &str,
    user: &str,
    case: i64,
    old_status: CaseStatus,
    at: Option<i64>,
) -> Result<()> {
    let (closed, reason, evaluation, to): (Option<String>, String, String, String) = conn
        .prepare_cached(
            "SELECT closed, closure_reason, evaluation, transferred_to FROM cases WHERE id = ?1",
        )?
        .query_row([case], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    conn.prepare_cached(
        "UPDATE cases SET status = 'active', closed = NULL, closure_reason = '',
                evaluation = '', transferred_to = '', closed_in = NULL, updated_at = ?2
         WHERE id = ?1",
    )?
    .execute(params![case, now])?;
    for (field, before, after) in [
        (
            "status",
            Some(old_status.code()),
            Some(CaseStatus::Active.code()),
        ),
        ("closed", closed.as_deref(), None),
        ("closure_reason", Some(reason.as_str()), Some("")),
        ("evaluation", Some(evaluation.as_str()), Some("")),
        ("transferred_to", Some(to.as_str()), Some("")),
    ] {
        if before.unwrap_or("") != after.unwrap_or("") {
            CaseChange::at(conn, now, user, case, at).record("case", None, field, before, after)?;
        }
    }
    Ok(())
}

/// Puts a case on a meeting ([`link`]) and writes a warning about consent to the audit.
pub(super) fn link_audited(
    conn: &Connection,
    now: &str,
    user: &str,
    signature: &str,
    meeting: i64,
    case: i64,
) -> Result<Linked> {
    let linked = link(conn, now, user, meeting, case)?;
    if linked.warned {
        conn.prepare_cached(
            "INSERT INTO audit (at, by, action, meeting_id, detail)
             VALUES (?1, ?2, 'case_without_consent', ?3, ?4)",
        )?
        .execute(params![
            now,
            signature,
            meeting,
            format!(
                "case {case} shared without recorded consent ({})",
                linked.basis
            )
        ])?;
    }
    Ok(linked)
}

/// A member's name the pseudonym holds is refused.
fn check_member(pseudonym: &str, members: &[(String, String)]) -> Result<()> {
    let people = crate::cases::household_people(members);
    match crate::cases::pseudonym_problem(pseudonym, &people) {
        Some(problem) => Err(problem.into()),
        None => Ok(()),
    }
}

pub(crate) fn insert_member(
    conn: &Connection,
    now: &str,
    user: &str,
    case: i64,
    relation: &str,
    name: &str,
    at: Option<i64>,
) -> Result<i64> {
    if relation.trim().is_empty() && name.trim().is_empty() {
        return Err(Msg::new("case_member_empty").into());
    }
    conn.prepare_cached(
        "INSERT INTO case_members (case_id, position, relation, name, created_by, created_at,
                                   updated_at)
         VALUES (?1, (SELECT COALESCE(MAX(position), 0) + 1 FROM case_members WHERE case_id = ?1),
                 ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![case, relation.trim(), name.trim(), user, now])?;
    let id = conn.last_insert_rowid();
    let uid: String = conn
        .prepare_cached("SELECT uid FROM case_members WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    CaseChange::at(conn, now, user, case, at).record(
        "member",
        Some(uid),
        "relation",
        None,
        Some(relation.trim()),
    )?;
    Ok(id)
}

/// Puts a case on a meeting, in the caller's transaction (also for the cases a meeting names by
/// pseudonym): the basis from the body kind's rule and the case's consent, the case's fields
/// and plan as they stand, at the end of the meeting's list.
pub(crate) fn link(
    conn: &Connection,
    now: &str,
    user: &str,
    meeting: i64,
    case: i64,
) -> Result<Linked> {
    let kind: String = conn
        .prepare_cached(
            "SELECT b.kind FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1",
        )?
        .query_row([meeting], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Invalid(format!("meeting {meeting} not found")))?;
    let fields: Fields = read_fields(conn, case)?;
    let sharing = Sharing::decide(CaseRules::builtin().for_kind(&kind), fields.consent);
    let held: Option<(i64, Option<String>)> = conn
        .prepare_cached(
            "SELECT id, deleted_at FROM meeting_cases WHERE meeting_id = ?1 AND case_id = ?2",
        )?
        .query_row(params![meeting, case], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match held {
        Some((_, None)) => {
            let (basis, warned): (String, bool) = conn.prepare_cached("SELECT basis, warned FROM meeting_cases WHERE meeting_id = ?1 AND case_id = ?2")?.query_row(
                params![meeting, case],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            return Ok(Linked { basis, warned });
        }
        Some((id, Some(_))) => {
            conn.prepare_cached("UPDATE meeting_cases SET deleted_at = NULL, basis = ?2, warned = ?3, updated_at = ?4,
                        position = (SELECT COALESCE(MAX(position), 0) + 1 FROM meeting_cases
                                    WHERE meeting_id = ?5)
                 WHERE id = ?1")?.execute(
                params![id, sharing.basis, sharing.warned, now, meeting],
            )?;
        }
        None => {
            conn.prepare_cached("INSERT INTO meeting_cases (meeting_id, case_id, position, basis, warned, created_by,
                                            created_at, updated_at)
                 VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM meeting_cases
                                  WHERE meeting_id = ?1), ?3, ?4, ?5, ?6, ?6)")?.execute(
                params![meeting, case, sharing.basis, sharing.warned, user, now],
            )?;
        }
    }
    CaseChange::at(conn, now, user, case, Some(meeting)).record(
        "meeting_case",
        None,
        "basis",
        None,
        Some(&sharing.basis),
    )?;
    if sharing.warned {
        CaseChange::at(conn, now, user, case, Some(meeting)).record(
            "meeting_case",
            None,
            "warned",
            None,
            Some(fields.consent.code()),
        )?;
    }
    refresh_snapshots(conn, case, Some(meeting))?;
    Ok(Linked {
        basis: sharing.basis,
        warned: sharing.warned,
    })
}
