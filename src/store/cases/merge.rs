//! How an import writes cases, by the rules of every other record (store/merge.rs): a case is
//! found by its uid, else by its pseudonym in its ward; one the database holds is updated only
//! when nothing was changed here since the file's export (or it is an untouched copy), its
//! household members and plan revisions are records of their own (new ones added, none
//! removed), its history is added to; anything else is a conflict. A meeting's cases are links
//! of their own, matched by uid or by case; the references of a file (a case's uid, its `id` in
//! the file, its pseudonym) are resolved to the cases once they are written.

use rusqlite::{Connection, OptionalExtension, params};
use std::borrow::Cow;
use std::collections::HashMap;
use uuid::Uuid;

use super::export::{Form, case_record, elide_only_case, links};
use super::write::write_plan_lines;
use crate::domain::case::pseudonym_key;
use crate::i18n::{Msg, Words};
use crate::interchange::{CaseLink, CaseRecord, Document, ExternalId, MeetingRecord, PlanLine};
use crate::store::bodies::optional_agency_id;
use crate::store::identity::{Decision, Held, decide, kept_rev, new_uid};
use crate::store::summary::{Conflict, ImportSummary, Outcome};
use crate::store::{Result, StoreError, cached};

/// The cases of one document as written: what each of its references names.
#[derive(Default)]
pub(crate) struct Resolver {
    /// A file case's `id` → its uid.
    by_ext: HashMap<ExternalId, Uuid>,
    /// A file case's pseudonym key (in its ward) → its uid.
    by_key: HashMap<(i64, String), Uuid>,
    /// A file case's uid → its ward (the inverse of `by_key`, for a review naming the case by
    /// uid: one lookup, not a walk through every case of the file).
    ward_of: HashMap<Uuid, i64>,
    /// Cases closed at a meeting the file writes after them: linked once it is written.
    closed_in: Vec<(i64, Uuid)>,
    /// Reviews that contradict their case as the file writes it, unless a meeting the file
    /// writes later reviews the case again: checked once everything is written.
    contradictions: std::cell::RefCell<Vec<Contradiction>>,
    /// Cases closed after today at a meeting (`closed_in`): the meeting must be held on that
    /// date, checked once everything is written.
    late_closures: Vec<LateClosure>,
}

/// A case's closure dated after today, decided at a meeting: allowed only when that meeting is
/// held and of that date.
struct LateClosure {
    file: String,
    path: String,
    meeting: Uuid,
    date: chrono::NaiveDate,
    today: chrono::NaiveDate,
}

impl LateClosure {
    fn check(&self, conn: &Connection) -> Result<()> {
        let held: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM meetings
                                WHERE uid = ?1 AND status = 'held' AND date = ?2)",
            )?
            .query_row(
                params![
                    self.meeting.to_string(),
                    self.date.format("%Y-%m-%d").to_string()
                ],
                |r| r.get(0),
            )?;
        if held {
            return Ok(());
        }
        let said = super::write::after_today("closure_date_after_today", self.date, self.today);
        Err(invalid(&self.file, &self.path, said.to_string()))
    }
}

/// A held meeting's review of a case the same file writes, which the case does not follow.
struct Contradiction {
    /// The file writes the case (else the database holds it).
    in_file: bool,
    file: String,
    path: String,
    case: Uuid,
    /// After the review: its instant, else the end of the meeting's day.
    after: String,
    date: String,
    status: crate::domain::case::CaseStatus,
    next_review: Option<String>,
}

impl Contradiction {
    /// Why the case does not stand as the review left it — none when the file records a later
    /// change of its status or review date, or a later review.
    fn reason(&self, conn: &Connection) -> Result<Option<String>> {
        let row: Option<(String, Option<String>, bool)> = conn
            .prepare_cached(
                "SELECT c.status, c.next_review,
                        EXISTS (SELECT 1 FROM case_changes x WHERE x.case_id = c.id
                                  AND x.entity = 'case' AND x.field IN ('status', 'next_review')
                                  AND julianday(x.at) > julianday(?2))
                        OR EXISTS (SELECT 1 FROM case_reviews r JOIN meetings y ON y.id = r.meeting_id
                                   WHERE r.case_id = c.id AND r.deleted_at IS NULL AND y.date > ?3)
                 FROM cases c WHERE c.uid = ?1",
            )?
            .query_row(
                params![self.case.to_string(), self.after, self.date],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((status, next, later)) = row else {
            return Ok(None);
        };
        if later {
            return Ok(None);
        }
        let status: crate::domain::case::CaseStatus = super::code(&status)?;
        let lang = crate::i18n::message_lang();
        let says = self.status.label(lang);
        let whose = crate::i18n::said(
            if self.in_file {
                "import_the_files_case"
            } else {
                "import_the_databases_case"
            },
            &[],
        );
        if self.status.is_ended() || status.is_ended() {
            if status != self.status {
                return Ok(Some(crate::i18n::said(
                    "import_review_contradicts",
                    &[
                        ("says", says.to_owned()),
                        ("whose", whose),
                        ("status", status.label(lang).to_owned()),
                    ],
                )));
            }
        } else if let Some(date) = self.next_review.as_deref()
            && next.as_deref() != Some(date)
            // The database's case keeps its own review date: a file that reviews it without
            // writing it does not move its date (only an ending it does not follow is refused).
            && self.in_file
        {
            let none = crate::i18n::said("import_no_date", &[]);
            return Ok(Some(crate::i18n::said(
                "import_review_moves_date",
                &[
                    ("date", date.to_owned()),
                    ("whose", whose),
                    ("next", next.unwrap_or(none)),
                ],
            )));
        }
        Ok(None)
    }
}

/// How much a [`Resolver`] had left to link at some moment (see [`Resolver::forget_since`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pending(usize, usize, usize);

impl Resolver {
    /// What is left to link now.
    pub fn pending(&self) -> Pending {
        Pending(
            self.closed_in.len(),
            self.contradictions.borrow().len(),
            self.late_closures.len(),
        )
    }

    /// Forgets what was left to link since `mark` was taken (a file read again from its start
    /// after its first reading was rolled back: what that reading left would be linked, and
    /// checked, twice).
    pub fn forget_since(&mut self, mark: Pending) {
        self.closed_in.truncate(mark.0);
        self.contradictions.get_mut().truncate(mark.1);
        self.late_closures.truncate(mark.2);
    }

    /// This document's resolver, keeping what an earlier one left to link.
    pub fn after(mut self, earlier: Resolver) -> Resolver {
        self.closed_in.extend(earlier.closed_in);
        self.late_closures.extend(earlier.late_closures);
        self.contradictions
            .get_mut()
            .extend(earlier.contradictions.into_inner());
        self
    }

    /// What names a meeting written later in the import: the meeting that closed a case, the
    /// meetings of revisions and changes (cases are written before meetings). The links are
    /// not changes of the records: their revisions stay (flipped out of the trigger's way and
    /// back, as `set_keeping_rev` does).
    pub fn finish(&self, conn: &Connection) -> Result<()> {
        for c in self.contradictions.borrow().iter() {
            if let Some(reason) = c.reason(conn)? {
                return Err(invalid(&c.file, &c.path, reason));
            }
        }
        for late in &self.late_closures {
            late.check(conn)?;
        }
        for (case, uid) in &self.closed_in {
            if let Some(meeting) = id_by_uid(conn, "meetings", Some(*uid))? {
                crate::store::identity::set_keeping_rev(
                    conn,
                    "cases",
                    "closed_in",
                    *case,
                    &meeting,
                )?;
            }
        }
        conn.execute_batch(
            "UPDATE case_plans SET rev = -1 - rev,
                    meeting_id = (SELECT id FROM meetings m WHERE m.uid = case_plans.meeting_uid)
             WHERE meeting_id IS NULL AND meeting_uid IS NOT NULL;
             UPDATE case_plans SET rev = -1 - rev WHERE rev < 0;
             UPDATE case_changes SET meeting_id = (SELECT id FROM meetings m WHERE m.uid = case_changes.meeting_uid)
             WHERE meeting_id IS NULL AND meeting_uid IS NOT NULL;",
        )?;
        Ok(())
    }
}

/// One import's writing of cases, in the import's transaction.
pub(crate) struct Cases<'c> {
    pub conn: &'c Connection,
    pub now: &'c str,
    pub user: &'c str,
    pub file: &'c str,
    /// Whether to list each case added or updated (a dry run prints them): up to how many
    /// lines the summary lists.
    pub log: Option<usize>,
    /// The people the database recorded, read once an import ([`super::recorded_problem`]).
    pub recorded: &'c std::cell::RefCell<Option<crate::cases::RecordedNames>>,
    /// Whether every meeting writing a renamed case's pseudonym still fits one record of the
    /// import (`store::record_size::fit_naming`, given by the importer: it measures cases).
    pub fit_renamed: fn(&Connection, &str, i64) -> Result<()>,
}

impl Cases<'_> {
    /// Lists a case added or updated, when asked to, as the importer lists bodies and meetings.
    fn note(&self, summary: &mut ImportSummary, outcome: Outcome, what: Words) {
        let Some(limit) = self.log else {
            return;
        };
        if summary.log.len() < limit {
            summary.log.push((outcome, what));
        } else {
            summary.log_omitted += 1;
        }
    }
}

fn invalid(file: &str, at: &str, message: String) -> StoreError {
    StoreError::Invalid(format!("{file}: {at}: {message}"))
}

/// The row of a record of `table` with this uid.
pub(crate) fn id_by_uid(conn: &Connection, table: &str, uid: Option<Uuid>) -> Result<Option<i64>> {
    let Some(uid) = uid else { return Ok(None) };
    Ok(conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE uid = ?1"))?
        .query_row([uid.to_string()], |r| r.get(0))
        .optional()?)
}

fn case_row(conn: &Connection, uid: &Uuid) -> Result<Option<i64>> {
    id_by_uid(conn, "cases", Some(*uid))
}

/// The row of a case a normalized reference (a uid) names.
pub(crate) fn case_id(conn: &Connection, reference: Option<&ExternalId>) -> Result<Option<i64>> {
    match reference {
        Some(ExternalId::Text(t)) => match Uuid::parse_str(t) {
            Ok(uid) => case_row(conn, &uid),
            Err(_) => Ok(None),
        },
        _ => Ok(None),
    }
}

impl Cases<'_> {
    /// Writes the document's cases; returns what their references name.
    pub fn write(
        &self,
        summary: &mut ImportSummary,
        doc: &Document,
        ward: i64,
        wards: &HashMap<Uuid, i64>,
    ) -> Result<Resolver> {
        let mut resolver = Resolver::default();
        for (i, c) in doc.cases.iter().enumerate() {
            self.write_one(summary, &mut resolver, i, c, ward, wards)?;
        }
        Ok(resolver)
    }

    /// Writes case `i` of the document (a streamed import writes each as it is read), noting
    /// in `resolver` what its references name.
    pub fn write_one(
        &self,
        summary: &mut ImportSummary,
        resolver: &mut Resolver,
        i: usize,
        c: &CaseRecord,
        ward: i64,
        wards: &HashMap<Uuid, i64>,
    ) -> Result<()> {
        let today = crate::clock::parse_instant(self.now).map(|t| t.date_naive());
        let at = format!("cases[{i}]");
        // A review date years away hides the case from every due list: refused, as the
        // store refuses it on the case.
        let review = c
            .next_review
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
        if let (Some(review), Some(today)) = (review, today)
            && crate::domain::calendar::beyond_horizon(review, today)
        {
            return Err(invalid(
                self.file,
                &at,
                crate::i18n::said(
                    "import_review_too_far",
                    &[
                        ("date", review.to_string()),
                        ("years", crate::domain::calendar::HORIZON_YEARS.to_string()),
                    ],
                ),
            ));
        }
        // A case opened, consent given and a case ended are on days that have come; a closure
        // decided at a meeting may take the date of that meeting if it is held (checked once
        // the meeting, which the file writes after its cases, is written: `Resolver::finish`).
        let day = |d: &Option<String>| {
            d.as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        };
        if let (Some(today), Some(date)) = (today, day(&c.opened))
            && date > today
        {
            let said = super::write::after_today("opened_after_today", date, today);
            return Err(invalid(
                self.file,
                &format!("{at}.opened"),
                said.to_string(),
            ));
        }
        if let (Some(today), Some(date)) = (today, day(&c.consent_date))
            && date > today
        {
            let said = super::write::after_today("consent_date_after_today", date, today);
            let path = format!("{at}.consent_date");
            return Err(invalid(self.file, &path, said.to_string()));
        }
        let late_closure = match (today, day(&c.closed)) {
            (Some(today), Some(date)) if date > today => Some((date, today)),
            _ => None,
        };
        if let Some((date, today)) = late_closure
            && c.closed_in.is_none()
        {
            let said = super::write::after_today("closure_date_after_today", date, today);
            let path = format!("{at}.closed");
            return Err(invalid(self.file, &path, said.to_string()));
        }
        let case_ward = match c.ward {
            Some(uid) => *wards.get(&uid).ok_or_else(|| {
                invalid(
                    self.file,
                    &at,
                    crate::i18n::said("import_not_a_ward", &[("uid", uid.to_string())]),
                )
            })?,
            None => ward,
        };
        let id = self.case(summary, &at, c, case_ward)?;
        if let (Some((date, today)), Some(meeting)) = (late_closure, c.closed_in) {
            resolver.late_closures.push(LateClosure {
                file: self.file.to_owned(),
                path: format!("{at}.closed"),
                meeting,
                date,
                today,
            });
        }
        if let Some(meeting) = c.closed_in {
            let linked: Option<i64> = self
                .conn
                .prepare_cached("SELECT closed_in FROM cases WHERE id = ?1")?
                .query_row([id], |r| r.get(0))?;
            if linked.is_none() && c.status.is_ended() {
                resolver.closed_in.push((id, meeting));
            }
        }
        let uid: String = self
            .conn
            .prepare_cached("SELECT uid FROM cases WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        let uid = Uuid::parse_str(&uid).map_err(|_| {
            let said = crate::i18n::said(
                "import_case_uid_malformed",
                &[("id", id.to_string()), ("uid", crate::text::inert(&uid))],
            );
            invalid(self.file, &at, said)
        })?;
        if let Some(ext) = &c.id {
            resolver.by_ext.insert(ext.clone(), uid);
        }
        resolver
            .by_key
            .insert((case_ward, pseudonym_key(&c.pseudonym)), uid);
        resolver.ward_of.insert(uid, case_ward);
        Ok(())
    }

    fn case(
        &self,
        summary: &mut ImportSummary,
        at: &str,
        c: &CaseRecord,
        ward: i64,
    ) -> Result<i64> {
        let held = match &c.uid {
            Some(uid) => Held::by_uid(self.conn, "cases", uid)?,
            None => None,
        };
        let held = match held {
            Some(h) => Some(h),
            None => self
                .conn
                .prepare_cached(
                    "SELECT id, rev, imported_rev FROM cases WHERE ward_id = ?1 AND pseudonym_key = ?2",
                )?
                .query_row(params![ward, pseudonym_key(&c.pseudonym)], Held::from_row)
                .optional()?,
        };
        let Some(held) = held else {
            let members: Vec<(String, String)> = c
                .members
                .iter()
                .filter(|m| m.deleted_at.is_none())
                .map(|m| (m.relation.clone(), m.name.clone()))
                .collect();
            let people = crate::cases::household_people(&members);
            let problem = match crate::cases::pseudonym_problem(&c.pseudonym, &people) {
                Some(problem) => Some(problem),
                None => super::recorded_problem(self.conn, self.recorded, &c.pseudonym)?,
            };
            if let Some(problem) = problem {
                return Err(invalid(
                    self.file,
                    &format!("{at}.pseudonym"),
                    problem.to_string(),
                ));
            }
            let id = self.insert(c, ward)?;
            summary.cases.added += 1;
            self.note(summary, Outcome::Added, case_label(&c.pseudonym));
            return Ok(id);
        };
        let Some(db) = case_record(self.conn, held.id, Form::Export)? else {
            return Ok(held.id);
        };
        // A hand-made record (no uid) fills in and changes what it gives; what it leaves out
        // stays as the database has it (attack report 4, finding 11: a partial update of a
        // ward's ledger erased the 受理日, lead agency, risk and review date it did not give).
        let filled;
        let c = if c.uid.is_none() {
            filled = filled_in(&db, c);
            &filled
        } else {
            c
        };
        let record = case_label(&db.pseudonym);
        let conflict = |summary: &mut ImportSummary, path: String, reason: Words| {
            summary.conflicts.push(Conflict {
                file: self.file.to_owned(),
                at: path,
                record: record.clone(),
                reason,
            });
        };
        // A case keeps the ward it was recorded in: a file of another ward naming it (a case
        // shared between wards, in both exports) never moves it.
        if self.ward_of(held.id)? != ward {
            let name = |w: i64| -> Result<String> {
                Ok(crate::store::ward::ward_record(self.conn, w)?.name)
            };
            conflict(
                summary,
                at.to_owned(),
                Msg::new("conflict_case_ward")
                    .with("held", name(self.ward_of(held.id)?)?)
                    .with("file", name(ward)?)
                    .into(),
            );
            return Ok(held.id);
        }
        // Decided whole before anything is written.
        let mut own: Option<(i64, bool)> = None;
        if !same_own(&db, c) {
            match decide(&held, c.rev) {
                Decision::Update { rev, imported } => own = Some((rev, imported)),
                Decision::Unchanged => {}
                Decision::Conflict(reason) => {
                    conflict(summary, at.to_owned(), reason);
                    return Ok(held.id);
                }
            }
            if pseudonym_key(&db.pseudonym) != pseudonym_key(&c.pseudonym) {
                let other: Option<i64> = self
                    .conn
                    .query_row(
                        "SELECT id FROM cases WHERE ward_id = ?1 AND pseudonym_key = ?2",
                        params![ward, pseudonym_key(&c.pseudonym)],
                        |r| r.get(0),
                    )
                    .optional()?;
                if other.is_some_and(|o| o != held.id) {
                    conflict(
                        summary,
                        format!("{at}.pseudonym"),
                        Msg::new("conflict_pseudonym_taken")
                            .with("name", &c.pseudonym)
                            .into(),
                    );
                    return Ok(held.id);
                }
            }
        }
        let mut member_updates = Vec::new();
        let mut member_inserts = Vec::new();
        for (j, m) in c.members.iter().enumerate() {
            let found = match m.uid {
                Some(uid) => db.members.iter().find(|h| h.uid == Some(uid)),
                None => db
                    .members
                    .iter()
                    .find(|h| h.relation == m.relation && h.name == m.name),
            };
            match found {
                None => {
                    if let Some(uid) = m.uid
                        && Held::by_uid(self.conn, "case_members", &uid)?.is_some()
                    {
                        conflict(
                            summary,
                            format!("{at}.members[{j}]"),
                            Msg::new("conflict_uid_other_member")
                                .with("uid", uid)
                                .into(),
                        );
                        return Ok(held.id);
                    }
                    member_inserts.push(j);
                }
                Some(h) if m.uid.is_some() && !same_member(h, m) => {
                    let Some(uid) = m.uid else { continue };
                    let Some(row) = Held::by_uid(self.conn, "case_members", &uid)? else {
                        continue;
                    };
                    match decide(&row, m.rev) {
                        Decision::Update { rev, imported } => {
                            member_updates.push((j, row.id, rev, imported))
                        }
                        Decision::Unchanged => {}
                        Decision::Conflict(reason) => {
                            conflict(summary, format!("{at}.members[{j}]"), reason);
                            return Ok(held.id);
                        }
                    }
                }
                Some(_) => {}
            }
        }
        // Members added or changed by the file: the pseudonym the case keeps must name none of
        // the household it will have, as when the members come with a new case or are added
        // on screen.
        if own.is_some() || !member_inserts.is_empty() || !member_updates.is_empty() {
            let deleted_here = |uid: Option<uuid::Uuid>| {
                c.members
                    .iter()
                    .any(|m| uid.is_some() && m.uid == uid && m.deleted_at.is_some())
            };
            let members: Vec<(String, String)> = db
                .members
                .iter()
                .filter(|m| m.deleted_at.is_none() && !deleted_here(m.uid))
                .chain(c.members.iter().filter(|m| m.deleted_at.is_none()))
                .map(|m| (m.relation.clone(), m.name.clone()))
                .collect();
            let people = crate::cases::household_people(&members);
            let pseudonym = if own.is_some() {
                &c.pseudonym
            } else {
                &db.pseudonym
            };
            let mut problem = crate::cases::pseudonym_problem(pseudonym, &people);
            // A pseudonym the file changes is checked against everyone recorded, as a new one.
            if problem.is_none() && own.is_some() && c.pseudonym.trim() != db.pseudonym.trim() {
                problem = super::recorded_problem(self.conn, self.recorded, &c.pseudonym)?;
            }
            if let Some(problem) = problem {
                return Err(invalid(
                    self.file,
                    &format!("{at}.pseudonym"),
                    problem.to_string(),
                ));
            }
        }
        let mut revision_inserts = Vec::new();
        let mut revision_updates = Vec::new();
        for (j, r) in c.revisions.iter().enumerate() {
            let found = r
                .uid
                .and_then(|uid| db.revisions.iter().find(|h| h.uid == Some(uid)));
            match (found, r.uid) {
                (None, Some(uid)) if Held::by_uid(self.conn, "case_plans", &uid)?.is_some() => {
                    conflict(
                        summary,
                        format!("{at}.revisions[{j}]"),
                        Msg::new("conflict_uid_other_revision")
                            .with("uid", uid)
                            .into(),
                    );
                    return Ok(held.id);
                }
                (None, _) => revision_inserts.push(j),
                (Some(h), Some(uid)) if h.policy != r.policy || h.plan != r.plan => {
                    let Some(row) = Held::by_uid(self.conn, "case_plans", &uid)? else {
                        continue;
                    };
                    match decide(&row, r.rev) {
                        Decision::Update { rev, imported } => {
                            revision_updates.push((j, row.id, rev, imported))
                        }
                        Decision::Unchanged => {}
                        Decision::Conflict(reason) => {
                            conflict(summary, format!("{at}.revisions[{j}]"), reason);
                            return Ok(held.id);
                        }
                    }
                }
                _ => {}
            }
        }
        // A plan written without its revisions (a hand-made file), or changed after the export
        // in `plan` only: a revision of its own, under the case's rule.
        let new_revision = match c.revisions.last() {
            Some(last) => c.plan != last.plan || c.policy != last.policy,
            None => c.plan != db.plan || c.policy != db.policy,
        };
        if new_revision && own.is_none() {
            match decide(&held, c.rev) {
                Decision::Update { rev, imported } => own = Some((rev, imported)),
                Decision::Unchanged => {}
                Decision::Conflict(reason) => {
                    conflict(summary, format!("{at}.plan"), reason);
                    return Ok(held.id);
                }
            }
        }
        let new_changes: Vec<usize> = c
            .changes
            .iter()
            .enumerate()
            .filter(|(_, ch)| {
                !db.changes.iter().any(|h| match ch.uid {
                    Some(uid) => h.uid == Some(uid),
                    None => h.at == ch.at && h.field == ch.field && h.new == ch.new,
                })
            })
            .map(|(j, _)| j)
            .collect();
        let changed = own.is_some()
            || !member_updates.is_empty()
            || !member_inserts.is_empty()
            || !revision_inserts.is_empty()
            || !revision_updates.is_empty()
            || !new_changes.is_empty();
        if !changed {
            summary.cases.unchanged += 1;
            return Ok(held.id);
        }
        if let Some((rev, imported)) = own {
            self.write_own(held.id, c, ward, rev, imported)?;
            if db.pseudonym != c.pseudonym.trim() {
                super::write::amend_approved_minutes(
                    self.conn,
                    self.now,
                    self.user,
                    held.id,
                    ("case_name", &db.pseudonym, c.pseudonym.trim()),
                )?;
                (self.fit_renamed)(self.conn, "cases", held.id).map_err(|e| match e {
                    StoreError::Said(msg) => {
                        invalid(self.file, &format!("{at}.pseudonym"), msg.to_string())
                    }
                    other => other,
                })?;
            }
        }
        for (j, row, rev, imported) in member_updates {
            let m = &c.members[j];
            cached(self.conn,
                "UPDATE case_members SET relation = ?2, name = ?3, deleted_at = ?4, updated_at = ?5,
                        rev = ?6, imported_rev = CASE WHEN ?7 THEN ?6 ELSE imported_rev END
                 WHERE id = ?1",
                params![row, m.relation.trim(), m.name.trim(), m.deleted_at, self.now, rev, imported],
            )?;
        }
        for j in member_inserts {
            self.insert_member(held.id, &c.members[j])?;
        }
        for (j, row, rev, imported) in revision_updates {
            let r = &c.revisions[j];
            cached(
                self.conn,
                "UPDATE case_plans SET policy = ?2, rev = ?3,
                        imported_rev = CASE WHEN ?4 THEN ?3 ELSE imported_rev END
                 WHERE id = ?1",
                params![row, r.policy, rev, imported],
            )?;
            write_plan_lines(self.conn, row, &r.plan)?;
        }
        for j in revision_inserts {
            self.insert_revision(held.id, &c.revisions[j])?;
        }
        if new_revision {
            self.plan_revision(held.id, &c.policy, &c.plan)?;
        }
        for j in new_changes {
            self.insert_change(held.id, &c.changes[j])?;
        }
        summary.cases.updated += 1;
        self.note(summary, Outcome::Updated, record);
        Ok(held.id)
    }

    fn ward_of(&self, case: i64) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT ward_id FROM cases WHERE id = ?1", [case], |r| {
                r.get(0)
            })?)
    }

    fn insert(&self, c: &CaseRecord, ward: i64) -> Result<i64> {
        let uid = c.uid.unwrap_or_else(new_uid).to_string();
        let rev = kept_rev(c.rev, None);
        let ext =
            c.id.as_ref()
                .map(|e| serde_json::to_string(e).unwrap_or_default());
        cached(
            self.conn,
            // The revision is written by `write_own` (an update to the same revision would be
            // taken for a change by the trigger and renewed).
            "INSERT INTO cases (uid, rev, ward_id, ext_ref, pseudonym, pseudonym_key, created_by,
                                created_at, updated_at)
             VALUES (?1, -1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                uid,
                ward,
                ext,
                c.pseudonym.trim(),
                pseudonym_key(&c.pseudonym),
                if c.created_by.is_empty() {
                    self.user
                } else {
                    &c.created_by
                },
                c.created_at.as_deref().unwrap_or(self.now),
                self.now
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        self.write_own(id, c, ward, rev, true)?;
        for m in &c.members {
            self.insert_member(id, m)?;
        }
        for r in &c.revisions {
            self.insert_revision(id, r)?;
        }
        let new_revision = match c.revisions.last() {
            Some(last) => c.plan != last.plan || c.policy != last.policy,
            None => !c.plan.is_empty() || !c.policy.trim().is_empty(),
        };
        if new_revision {
            self.plan_revision(id, &c.policy, &c.plan)?;
        }
        for ch in &c.changes {
            self.insert_change(id, ch)?;
        }
        Ok(id)
    }

    /// The case's own fields as the file gives them, with this revision.
    fn write_own(
        &self,
        id: i64,
        c: &CaseRecord,
        ward: i64,
        rev: i64,
        imported: bool,
    ) -> Result<()> {
        let referred = optional_agency_id(self.conn, c.referred_by.as_deref())?;
        let lead = optional_agency_id(self.conn, c.lead_agency.as_deref())?;
        let closed_in: Option<i64> = id_by_uid(self.conn, "meetings", c.closed_in)?;
        cached(self.conn,
            "UPDATE cases SET ward_id = :ward, pseudonym = :pseudonym, pseudonym_key = :key,
                    opened = :opened, status = :status, referred_by = :referred, lead_agency = :lead,
                    key_person = :key_person, consent = :consent, consent_date = :consent_date,
                    consent_by = :consent_by, risk = :risk, urgency = :urgency, policy = :policy,
                    next_review = :review, closed = :closed, closure_reason = :reason,
                    evaluation = :evaluation, transferred_to = :to,
                    closed_in = COALESCE(:closed_in, closed_in), updated_at = :now, rev = :rev,
                    imported_rev = CASE WHEN :imported THEN :rev ELSE imported_rev END
             WHERE id = :id",
            rusqlite::named_params! {
                ":id": id,
                ":ward": ward,
                ":pseudonym": c.pseudonym.trim(),
                ":key": pseudonym_key(&c.pseudonym),
                ":opened": c.opened,
                ":status": c.status.code(),
                ":referred": referred,
                ":lead": lead,
                ":key_person": c.key_person,
                ":consent": c.consent.code(),
                ":consent_date": c.consent_date,
                ":consent_by": c.consent_by,
                ":risk": c.risk,
                ":urgency": c.urgency,
                ":policy": c.policy,
                ":review": c.next_review,
                ":closed": c.closed,
                ":reason": c.closure_reason,
                ":evaluation": c.evaluation,
                ":to": c.transferred_to,
                ":closed_in": closed_in,
                ":now": self.now,
                ":rev": rev,
                ":imported": imported,
            },
        )?;
        Ok(())
    }

    fn insert_member(&self, case: i64, m: &crate::interchange::MemberRecord) -> Result<()> {
        let uid = m.uid.unwrap_or_else(new_uid).to_string();
        let rev = kept_rev(m.rev, None);
        cached(
            self.conn,
            "INSERT INTO case_members (uid, rev, imported_rev, case_id, position, relation, name,
                                       created_by, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM case_members
                                      WHERE case_id = ?3), ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                uid,
                rev,
                case,
                m.relation.trim(),
                m.name.trim(),
                if m.by.is_empty() { self.user } else { &m.by },
                m.at.as_deref().unwrap_or(self.now),
                self.now,
                m.deleted_at
            ],
        )?;
        Ok(())
    }

    fn insert_revision(&self, case: i64, r: &crate::interchange::PlanRevision) -> Result<()> {
        let uid = r.uid.unwrap_or_else(new_uid).to_string();
        let rev = kept_rev(r.rev, None);
        let meeting: Option<i64> = id_by_uid(self.conn, "meetings", r.meeting)?;
        cached(self.conn,
            "INSERT INTO case_plans (uid, rev, imported_rev, case_id, meeting_id, meeting_uid, policy,
                                     created_by, created_at, updated_at)
             VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                uid,
                rev,
                case,
                meeting,
                r.meeting.map(|u| u.to_string()),
                r.policy,
                if r.by.is_empty() { self.user } else { &r.by },
                r.at.as_deref().unwrap_or(self.now),
                self.now
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        write_plan_lines(self.conn, id, &r.plan)
    }

    /// A revision made by the import itself: the plan as the file gives it.
    fn plan_revision(&self, case: i64, policy: &str, plan: &[PlanLine]) -> Result<()> {
        cached(
            self.conn,
            "INSERT INTO case_plans (case_id, policy, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![case, policy, self.user, self.now],
        )?;
        let id = self.conn.last_insert_rowid();
        cached(
            self.conn,
            "UPDATE case_plans SET imported_rev = rev WHERE id = ?1",
            [id],
        )?;
        write_plan_lines(self.conn, id, plan)
    }

    fn insert_change(&self, case: i64, ch: &crate::interchange::CaseChangeRecord) -> Result<()> {
        let uid = ch.uid.unwrap_or_else(new_uid).to_string();
        let exists: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM case_changes WHERE uid = ?1)")?
            .query_row([&uid], |r| r.get(0))?;
        if exists {
            return Ok(());
        }
        cached(self.conn,
            "INSERT INTO case_changes (uid, case_id, meeting_id, meeting_uid, at, by, entity,
                                       entity_uid, field, old_value, new_value)
             VALUES (?1, ?2, (SELECT id FROM meetings WHERE uid = ?3), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                uid,
                case,
                ch.meeting.map(|u| u.to_string()),
                ch.at,
                ch.by,
                ch.entity,
                ch.entity_uid.map(|u| u.to_string()),
                ch.field,
                ch.old,
                ch.new
            ],
        )?;
        Ok(())
    }

    /// A meeting of the file with its case references read as uids (an error names a reference
    /// that names no case), and, where it discusses one case, its records' references left out
    /// as the export writes them.
    pub fn normalize<'m>(
        &self,
        resolver: &Resolver,
        ward: i64,
        at: &str,
        m: &'m MeetingRecord,
    ) -> Result<Cow<'m, MeetingRecord>> {
        let refers = !m.cases.is_empty()
            || !m.case_reviews.is_empty()
            || m.roles.iter().any(|r| r.case.is_some())
            || m.actions.iter().any(|a| a.case.is_some())
            || m.issues.iter().any(|i| i.case.is_some())
            || m.agenda
                .iter()
                .flat_map(|i| i.notes.iter().chain(&i.decisions))
                .any(|e| e.case.is_some());
        if !refers {
            return Ok(Cow::Borrowed(m));
        }
        let mut out = m.clone();
        let resolve = |reference: &mut Option<ExternalId>, path: String| -> Result<()> {
            if let Some(r) = reference.as_ref() {
                let uid = self
                    .resolve(resolver, ward, r)
                    .map_err(|e| invalid(self.file, &path, e))?;
                *reference = Some(ExternalId::Text(uid.to_string()));
            }
            Ok(())
        };
        for (j, link) in out.cases.iter_mut().enumerate() {
            let mut r = Some(link.case.clone());
            resolve(&mut r, format!("{at}.cases[{j}].case"))?;
            if let Some(r) = r {
                link.case = r;
            }
        }
        for (j, review) in out.case_reviews.iter_mut().enumerate() {
            let mut r = Some(review.case.clone());
            resolve(&mut r, format!("{at}.case_reviews[{j}].case"))?;
            if let Some(r) = r {
                review.case = r;
            }
        }
        for (j, review) in out.case_reviews.iter().enumerate() {
            // A review is the reviewing ward's decision on its own case: a case of another
            // ward (shared, in both exports) is never reviewed by this ward's meeting.
            if let Some(other) = self.ward_of_case(resolver, &review.case)?
                && other != ward
            {
                let name = |w: i64| -> Result<String> {
                    Ok(crate::store::ward::ward_record(self.conn, w)?.name)
                };
                return Err(invalid(
                    self.file,
                    &format!("{at}.case_reviews[{j}].case"),
                    crate::i18n::said(
                        "import_case_of_another_ward",
                        &[
                            ("case", m.case_reviews[j].case.to_string()),
                            ("its", name(other)?),
                            ("ward", name(ward)?),
                        ],
                    ),
                ));
            }
            self.check_against_case(resolver, m, review, format!("{at}.case_reviews[{j}]"))?;
            if out.case_reviews[..j].iter().any(|r| r.case == review.case) {
                return Err(invalid(
                    self.file,
                    &format!("{at}.case_reviews[{j}].case"),
                    crate::i18n::said(
                        "import_reviewed_twice",
                        &[("case", m.case_reviews[j].case.to_string())],
                    ),
                ));
            }
        }
        for (j, r) in out.roles.iter_mut().enumerate() {
            resolve(&mut r.case, format!("{at}.roles[{j}].case"))?;
        }
        for (j, a) in out.actions.iter_mut().enumerate() {
            resolve(&mut a.case, format!("{at}.actions[{j}].case"))?;
        }
        for (j, i) in out.issues.iter_mut().enumerate() {
            resolve(&mut i.case, format!("{at}.issues[{j}].case"))?;
        }
        for (j, item) in out.agenda.iter_mut().enumerate() {
            for (list, entries) in [
                ("notes", &mut item.notes),
                ("decisions", &mut item.decisions),
            ] {
                for (k, e) in entries.iter_mut().enumerate() {
                    resolve(&mut e.case, format!("{at}.agenda[{j}].{list}[{k}].case"))?;
                }
            }
        }
        let named: Vec<&ExternalId> = out.cases.iter().map(|l| &l.case).collect();
        let stray = out
            .roles
            .iter()
            .map(|r| &r.case)
            .chain(out.actions.iter().map(|a| &a.case))
            .chain(out.issues.iter().map(|i| &i.case))
            .flatten()
            .chain(out.case_reviews.iter().map(|r| &r.case))
            .find(|c| !named.contains(c));
        if let Some(stray) = stray {
            return Err(invalid(
                self.file,
                at,
                crate::i18n::said("import_case_not_listed", &[("case", stray.to_string())]),
            ));
        }
        elide_only_case(&mut out);
        Ok(Cow::Owned(out))
    }

    /// A held meeting's review of a case the same file writes says what became of the case:
    /// unless the file records a later change of the case's status or review date (or a later
    /// review), the case must stand as the review left it — ended as it says, or kept on with
    /// its next review. A contradiction is kept and checked again once everything is written
    /// (a meeting later in the file may review the case again); renkei's own export never
    /// writes one.
    fn check_against_case(
        &self,
        resolver: &Resolver,
        m: &MeetingRecord,
        review: &crate::interchange::CaseReviewRecord,
        path: String,
    ) -> Result<()> {
        if m.status != crate::domain::model::MeetingStatus::Held || review.deleted_at.is_some() {
            return Ok(());
        }
        let ExternalId::Text(t) = &review.case else {
            return Ok(());
        };
        let Ok(uid) = Uuid::parse_str(t.trim()) else {
            return Ok(());
        };
        // A case the database holds and the file does not write is held to the review's ending
        // too (attack report 4, finding 5: an imported 終結 left the case followed).
        let c = Contradiction {
            in_file: resolver.ward_of.contains_key(&uid),
            file: self.file.to_owned(),
            path,
            case: uid,
            after: review
                .at
                .clone()
                .unwrap_or_else(|| format!("{}T23:59:59+09:00", m.date)),
            date: m.date.to_string(),
            status: review.status,
            next_review: review.next_review.clone(),
        };
        if c.reason(self.conn)?.is_some() {
            resolver.contradictions.borrow_mut().push(c);
        }
        Ok(())
    }

    /// The ward of a case a resolved reference (its uid) names: as the database holds it, else
    /// as the file writes it.
    fn ward_of_case(&self, resolver: &Resolver, reference: &ExternalId) -> Result<Option<i64>> {
        let ExternalId::Text(t) = reference else {
            return Ok(None);
        };
        let Ok(uid) = Uuid::parse_str(t.trim()) else {
            return Ok(None);
        };
        let held: Option<i64> = self
            .conn
            .prepare_cached("SELECT ward_id FROM cases WHERE uid = ?1")?
            .query_row([uid.to_string()], |r| r.get(0))
            .optional()?;
        Ok(held.or_else(|| resolver.ward_of.get(&uid).copied()))
    }

    fn resolve(&self, resolver: &Resolver, ward: i64, r: &ExternalId) -> Result<Uuid, String> {
        if let ExternalId::Text(t) = r
            && let Ok(uid) = Uuid::parse_str(t.trim())
        {
            return match case_row(self.conn, &uid) {
                Ok(Some(_)) => Ok(uid),
                Ok(None) => Err(crate::i18n::said(
                    "import_not_a_case",
                    &[("case", uid.to_string())],
                )),
                Err(e) => Err(e.to_string()),
            };
        }
        if let Some(uid) = resolver.by_ext.get(r) {
            return Ok(*uid);
        }
        if let ExternalId::Text(t) = r {
            let key = pseudonym_key(t);
            if let Some(uid) = resolver.by_key.get(&(ward, key.clone())) {
                return Ok(*uid);
            }
            let found: Option<String> = self
                .conn
                .query_row(
                    "SELECT uid FROM cases WHERE ward_id = ?1 AND pseudonym_key = ?2",
                    params![ward, key],
                    |row| row.get(0),
                )
                .optional()
                .map_err(|e| e.to_string())?;
            if let Some(uid) = found.and_then(|u| Uuid::parse_str(&u).ok()) {
                return Ok(uid);
            }
        }
        Err(crate::i18n::said(
            "import_not_a_case",
            &[("case", r.to_string())],
        ))
    }

    /// The links of a new meeting (or one replaced), as the file gives them.
    pub fn insert_links(&self, meeting: i64, m: &MeetingRecord) -> Result<()> {
        for link in &m.cases {
            self.insert_link(meeting, link)?;
        }
        Ok(())
    }

    fn insert_link(&self, meeting: i64, link: &CaseLink) -> Result<()> {
        let Some(case) = case_id(self.conn, Some(&link.case))? else {
            return Ok(());
        };
        let uid = link.uid.unwrap_or_else(new_uid).to_string();
        let rev = kept_rev(link.rev, None);
        let lead = optional_agency_id(self.conn, link.lead_agency.as_deref())?;
        let plan = id_by_uid(self.conn, "case_plans", link.plan)?;
        let basis = if link.basis.trim().is_empty() && link.uid.is_none() {
            // A hand-made link: the basis follows from the body's kind and the consent.
            sharing(self.conn, meeting, case)?
        } else {
            link.basis.clone()
        };
        cached(self.conn,
            "INSERT INTO meeting_cases (uid, rev, imported_rev, meeting_id, case_id, position, basis,
                                        warned, situation, status, lead_agency, key_person, risk,
                                        urgency, policy, consent, plan_id, created_by, created_at,
                                        updated_at, deleted_at)
             VALUES (?1, ?2, ?2, ?3, ?4, (SELECT COALESCE(MAX(position), 0) + 1 FROM meeting_cases
                                          WHERE meeting_id = ?3),
                     ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
             ON CONFLICT (meeting_id, case_id) DO NOTHING",
            params![
                uid,
                rev,
                meeting,
                case,
                basis,
                link.warned,
                link.situation,
                link.status.map(|s| s.code()).unwrap_or(""),
                lead,
                link.key_person,
                link.risk,
                link.urgency,
                link.policy,
                link.consent.map(|c| c.code()).unwrap_or(""),
                plan,
                if link.by.is_empty() { self.user } else { &link.by },
                link.at.as_deref().unwrap_or(self.now),
                self.now,
                link.deleted_at
            ],
        )?;
        Ok(())
    }

    /// The links of a meeting the database holds: new ones are added, changed ones follow the
    /// rule of every record; none is removed. Returns the conflicts (path, reason), and whether
    /// anything would change (for approved minutes: a conflict of its own).
    pub fn plan_links(&self, meeting: i64, m: &MeetingRecord) -> Result<LinkPlan> {
        let held = links(self.conn, meeting, true)?;
        let mut plan = LinkPlan::default();
        for (j, link) in m.cases.iter().enumerate() {
            let found = held.iter().find(|h| match link.uid {
                Some(uid) => h.uid == Some(uid),
                None => h.case == link.case,
            });
            let Some(h) = found else {
                if let Some(uid) = link.uid
                    && Held::by_uid(self.conn, "meeting_cases", &uid)?.is_some()
                {
                    plan.conflicts.push((
                        format!("cases[{j}]"),
                        Msg::new("conflict_uid_other_link").with("uid", uid).into(),
                    ));
                    continue;
                }
                plan.inserts.push(j);
                continue;
            };
            if link.uid.is_none() || same_link(h, link) {
                continue;
            }
            let Some(uid) = link.uid else { continue };
            let Some(row) = Held::by_uid(self.conn, "meeting_cases", &uid)? else {
                continue;
            };
            match decide(&row, link.rev) {
                Decision::Update { rev, imported } => plan.updates.push((j, row.id, rev, imported)),
                Decision::Unchanged => {}
                Decision::Conflict(reason) => plan.conflicts.push((format!("cases[{j}]"), reason)),
            }
        }
        Ok(plan)
    }

    pub fn apply_links(&self, meeting: i64, m: &MeetingRecord, plan: &LinkPlan) -> Result<()> {
        for &(j, row, rev, imported) in &plan.updates {
            let link = &m.cases[j];
            let lead = optional_agency_id(self.conn, link.lead_agency.as_deref())?;
            let plan_row: Option<i64> = id_by_uid(self.conn, "case_plans", link.plan)?;
            cached(
                self.conn,
                "UPDATE meeting_cases SET basis = ?2, warned = ?3, situation = ?4, status = ?5,
                        lead_agency = ?6, key_person = ?7, risk = ?8, urgency = ?9, policy = ?10,
                        consent = ?11, plan_id = ?12, deleted_at = ?13, updated_at = ?14, rev = ?15,
                        imported_rev = CASE WHEN ?16 THEN ?15 ELSE imported_rev END
                 WHERE id = ?1",
                params![
                    row,
                    link.basis,
                    link.warned,
                    link.situation,
                    link.status.map(|s| s.code()).unwrap_or(""),
                    lead,
                    link.key_person,
                    link.risk,
                    link.urgency,
                    link.policy,
                    link.consent.map(|c| c.code()).unwrap_or(""),
                    plan_row,
                    link.deleted_at,
                    self.now,
                    rev,
                    imported
                ],
            )?;
        }
        for &j in &plan.inserts {
            self.insert_link(meeting, &m.cases[j])?;
        }
        Ok(())
    }
}

/// What an import does to a meeting's links.
#[derive(Default)]
pub(crate) struct LinkPlan {
    pub inserts: Vec<usize>,
    pub updates: Vec<(usize, i64, i64, bool)>,
    pub conflicts: Vec<(String, Words)>,
}

impl LinkPlan {
    pub fn changes_anything(&self) -> bool {
        !self.inserts.is_empty() || !self.updates.is_empty()
    }
}

/// The basis a case is shared on at a meeting, from the rule of the body's kind.
fn sharing(conn: &Connection, meeting: i64, case: i64) -> Result<String> {
    let kind: String = conn
        .prepare_cached(
            "SELECT b.kind FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1",
        )?
        .query_row([meeting], |r| r.get(0))?;
    let consent: String = conn
        .prepare_cached("SELECT consent FROM cases WHERE id = ?1")?
        .query_row([case], |r| r.get(0))?;
    let consent = consent
        .parse()
        .unwrap_or(crate::domain::case::Consent::Unknown);
    let rule = crate::domain::case::CaseRules::builtin().for_kind(&kind);
    Ok(crate::domain::case::Sharing::decide(rule, consent).basis)
}

/// A hand-made case record `c` with what it leaves out (an empty text, no date, consent unknown,
/// no plan) taken from the database's `db`; an ending's fields only while it stays ended (a
/// record that reopens the case leaves its closure behind).
fn filled_in(db: &CaseRecord, c: &CaseRecord) -> CaseRecord {
    let mut out = c.clone();
    let text = |file: &mut String, held: &String| {
        if file.trim().is_empty() {
            file.clone_from(held);
        }
    };
    let option = |file: &mut Option<String>, held: &Option<String>| {
        if file.as_deref().is_none_or(|f| f.trim().is_empty()) {
            file.clone_from(held);
        }
    };
    option(&mut out.opened, &db.opened);
    option(&mut out.referred_by, &db.referred_by);
    option(&mut out.lead_agency, &db.lead_agency);
    text(&mut out.key_person, &db.key_person);
    if out.consent == crate::domain::case::Consent::Unknown {
        out.consent = db.consent;
        option(&mut out.consent_date, &db.consent_date);
        text(&mut out.consent_by, &db.consent_by);
    }
    text(&mut out.risk, &db.risk);
    text(&mut out.urgency, &db.urgency);
    text(&mut out.policy, &db.policy);
    if out.plan.is_empty() {
        out.plan.clone_from(&db.plan);
    }
    if out.status.is_ended() {
        if out.status == db.status {
            option(&mut out.closed, &db.closed);
            text(&mut out.closure_reason, &db.closure_reason);
            text(&mut out.evaluation, &db.evaluation);
            text(&mut out.transferred_to, &db.transferred_to);
        }
    } else {
        option(&mut out.next_review, &db.next_review);
    }
    out
}

fn same_own(db: &CaseRecord, c: &CaseRecord) -> bool {
    let strip = |r: &CaseRecord| CaseRecord {
        id: None,
        uid: None,
        rev: None,
        ward: None,
        members: Vec::new(),
        plan: Vec::new(),
        revisions: Vec::new(),
        changes: Vec::new(),
        created_by: String::new(),
        created_at: None,
        pseudonym: r.pseudonym.trim().to_owned(),
        closed_in: if r.closed_in.is_some() {
            r.closed_in
        } else {
            db.closed_in
        },
        ..r.clone()
    };
    strip(db) == strip(c)
}

fn same_member(h: &crate::interchange::MemberRecord, m: &crate::interchange::MemberRecord) -> bool {
    h.relation == m.relation.trim() && h.name == m.name.trim() && h.deleted_at == m.deleted_at
}

fn same_link(h: &CaseLink, l: &CaseLink) -> bool {
    let strip = |x: &CaseLink| CaseLink {
        uid: None,
        rev: None,
        by: String::new(),
        at: None,
        ..x.clone()
    };
    strip(h) == strip(l)
}

/// `事例「A世帯」`: a case an import lists or meets.
fn case_label(pseudonym: &str) -> Words {
    Msg::new("conflict_record_case")
        .with("name", pseudonym)
        .into()
}
