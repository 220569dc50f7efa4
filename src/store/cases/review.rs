//! A review meeting (進行管理): a meeting of a body that keeps a ledger of cases walks through
//! the cases due (or all it follows) and, for each, decides where it stands — 継続, 見守り, or
//! ended (終結, 中断, 移管) — who leads, the policy and when it is looked at again. Each decision is
//! a row of `case_reviews` (one per meeting and case: reviewed again there, the same row is
//! revised and both states stay in `case_changes`), and it changes the case the same way the
//! case's own commands do: closure through the same rules as `close_case`, the link to the
//! meeting through `link_case`'s. At a meeting whose minutes are approved a review is an
//! amendment (`changes`), as a capture added there is.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::merge::{Cases, LinkPlan, case_id};
use super::stale::{Seen, refuse_stale, seen};
use super::write::{Closure, end, iso, link_audited, reopen, revise, set_field};
use super::{CaseChange, code, read_fields, refresh_snapshots};
pub use crate::cases::ledger::CaseReview;
use crate::cases::ledger::CaseRow;
use crate::domain::calendar::{HORIZON_YEARS, beyond_horizon};
use crate::domain::case::{CaseRules, CaseStatus, Level};
use crate::i18n::{Msg, Words, message_lang};
use crate::interchange::{CaseReviewRecord, ExternalId, MeetingRecord};
use crate::store::bodies::optional_agency_id;
use crate::store::identity::{Decision, Held, decide, kept_rev, new_uid, uid_column};
use crate::store::{Result, Store, StoreError};
use crate::text::is_blank;

/// What the facilitator decides for one case at a review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewDraft {
    /// Active | Monitoring (continuing) | Closed | Suspended | Transferred (ended).
    pub status: CaseStatus,
    /// The lead agency by name; `None`: as before (confirmed).
    pub lead_agency: Option<String>,
    /// The policy; `None`: unchanged.
    pub policy: Option<String>,
    /// Continuing statuses: required (the rule suggests one); ended: none.
    pub next_review: Option<NaiveDate>,
    pub note: String,
    /// 終結 / 中断: required (the closure reason).
    pub reason: String,
    /// 終結: the evaluation (may be empty for 中断 / 移管).
    pub evaluation: String,
    /// 移管: required (where to).
    pub transferred_to: String,
    /// The case and its review at this meeting as the form showed them (`ReviewItem::seen`):
    /// a review saved from a form opened before someone changed the case, or reviewed it here,
    /// is refused (`StoreError::Conflict`, naming who). `None`: not checked (a script).
    pub seen: Option<Seen>,
}

/// A case as a review meeting lists it: the ledger row, whether it is due at the meeting's date,
/// and its review at this meeting if one was made.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    pub case: CaseRow,
    pub due: bool,
    pub review: Option<CaseReview>,
    /// The revisions of the case and of its review here, read in the same snapshot as the
    /// rest of the item: what a form opened on it gives back (`ReviewDraft::seen`), so that a
    /// save over a change made after this reading is refused.
    pub seen: Seen,
}

/// A meeting as a review needs it: its date, whether it was begun (held, or under way) or
/// cancelled, its body and that body's rules.
struct ReviewMeeting {
    date: NaiveDate,
    begun: bool,
    cancelled: bool,
    body_id: i64,
    body: String,
    kind: String,
    keeps_ledger: Option<bool>,
    review_months: Option<u32>,
}

impl ReviewMeeting {
    fn read(conn: &Connection, meeting: i64) -> Result<ReviewMeeting> {
        let row: Option<MeetingRow> = conn
            .prepare_cached(
                "SELECT m.date, b.id, b.name, b.kind, b.keeps_ledger, b.review_months,
                        m.status = 'held' OR m.started_at IS NOT NULL, m.status = 'cancelled'
                 FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1",
            )?
            .query_row([meeting], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })
            .optional()?;
        let (date, body_id, body, kind, keeps_ledger, review_months, begun, cancelled) =
            row.ok_or_else(|| StoreError::from(Msg::new("meeting_not_found").with("id", meeting)))?;
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|_| unreadable_date(meeting, &date))?;
        Ok(ReviewMeeting {
            date,
            begun,
            cancelled,
            body_id,
            body,
            kind,
            keeps_ledger,
            review_months,
        })
    }

    /// A review is a record of a meeting that takes place: refused before the meeting is begun
    /// (its setup: the form is kept as a draft) and at a cancelled one, so that no case changes
    /// by a meeting that has not happened.
    fn refuse_unheld(&self) -> Result<()> {
        let key = if self.cancelled {
            "review_meeting_cancelled"
        } else if !self.begun {
            "review_not_held"
        } else {
            return Ok(());
        };
        Err(Msg::new(key).with("date", iso(self.date)).into())
    }

    fn keeps_ledger(&self, rules: &CaseRules) -> bool {
        rules.keeps_ledger(&self.kind, self.keeps_ledger)
    }

    fn suggested(
        &self,
        rules: &CaseRules,
        risk: Option<Level>,
        status: CaseStatus,
    ) -> Option<NaiveDate> {
        if status.is_ended() {
            return None;
        }
        Some(rules.review_date_for(self.date, risk, Some(&self.kind), self.review_months))
    }
}

/// One field of a review changed: its name, before, after.
type Field = (&'static str, Option<String>, Option<String>);

/// A meeting's row as a review reads it: date, body id, name, kind, its own rules, begun,
/// cancelled.
type MeetingRow = (
    String,
    i64,
    String,
    String,
    Option<bool>,
    Option<u32>,
    bool,
    bool,
);

/// The review row of a case at a meeting as stored, for a revision.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    status: String,
    lead_agency: Option<i64>,
    /// The lead agency's name, as the history says it.
    lead_name: Option<String>,
    policy: String,
    next_review: Option<String>,
    note: String,
    closure_reason: String,
    evaluation: String,
    transferred_to: String,
}

impl Stored {
    fn fields(&self) -> [(&'static str, Option<String>); 8] {
        [
            ("status", Some(self.status.clone())),
            ("lead_agency", self.lead_name.clone()),
            ("policy", Some(self.policy.clone())),
            ("next_review", self.next_review.clone()),
            ("note", Some(self.note.clone())),
            ("closure_reason", Some(self.closure_reason.clone())),
            ("evaluation", Some(self.evaluation.clone())),
            ("transferred_to", Some(self.transferred_to.clone())),
        ]
    }
}

/// Refuses what a review cannot record: an ending without its reason or destination, a
/// continuing status without a next review date, a date beyond the horizon.
fn check(case: &str, draft: &ReviewDraft, today: NaiveDate) -> Result<()> {
    let lang = message_lang();
    let status = draft.status.label(lang);
    match draft.status {
        CaseStatus::Closed | CaseStatus::Suspended if is_blank(&draft.reason) => {
            return Err(Msg::new("review_needs_reason")
                .about("closure_reason")
                .with("case", case)
                .with("status", status)
                .into());
        }
        CaseStatus::Closed if is_blank(&draft.evaluation) => {
            return Err(Msg::new("case_needs_evaluation")
                .about("evaluation")
                .with("case", case)
                .into());
        }
        CaseStatus::Transferred if is_blank(&draft.transferred_to) => {
            return Err(Msg::new("review_needs_destination")
                .about("transferred_to")
                .with("case", case)
                .into());
        }
        s if !s.is_ended() && draft.next_review.is_none() => {
            return Err(Msg::new("review_needs_date")
                .about("next_review")
                .with("case", case)
                .with("status", status)
                .into());
        }
        _ => {}
    }
    if let Some(date) = draft.next_review.filter(|_| !draft.status.is_ended())
        && beyond_horizon(date, today)
    {
        return Err(Msg::new("review_date_far")
            .about("next_review")
            .with("date", iso(date))
            .with("years", HORIZON_YEARS)
            .into());
    }
    Ok(())
}

const REVIEW: &str = "SELECT r.id, r.uid, r.meeting_id, m.date, b.name, r.case_id, c.pseudonym,
        r.status, a.name, r.policy, r.next_review, r.note, r.closure_reason, r.evaluation,
        r.transferred_to
    FROM case_reviews r JOIN meetings m ON m.id = r.meeting_id
    JOIN bodies b ON b.id = m.body_id JOIN cases c ON c.id = r.case_id
    LEFT JOIN agencies a ON a.id = r.lead_agency
    WHERE r.deleted_at IS NULL";

fn review_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(CaseReview, String, String)> {
    let next: Option<String> = r.get(10)?;
    Ok((
        CaseReview {
            id: r.get(0)?,
            uid: r.get(1)?,
            meeting: r.get(2)?,
            meeting_date: NaiveDate::MIN,
            body: r.get(4)?,
            case: r.get(5)?,
            pseudonym: r.get(6)?,
            status: CaseStatus::Active,
            lead_agency: r.get(8)?,
            policy: r.get(9)?,
            next_review: next.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok()),
            note: r.get(11)?,
            reason: r.get(12)?,
            evaluation: r.get(13)?,
            transferred_to: r.get(14)?,
        },
        r.get(3)?,
        r.get(7)?,
    ))
}

/// A meeting's date the store cannot read (written by hand into the file).
fn unreadable_date(meeting: i64, date: &str) -> StoreError {
    Msg::new("meeting_date_unreadable")
        .with("id", meeting)
        .with("date", crate::text::inert(date))
        .into()
}

fn reviews(conn: &Connection, condition: &str, id: i64) -> Result<Vec<CaseReview>> {
    let mut stmt = conn.prepare_cached(&format!("{REVIEW} AND {condition}"))?;
    let rows = stmt.query_map([id], review_row)?;
    let mut out = Vec::new();
    for row in rows {
        let (mut review, date, status) = row?;
        review.meeting_date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|_| unreadable_date(review.meeting, &date))?;
        review.status = code(&status)?;
        out.push(review);
    }
    Ok(out)
}

impl Store {
    /// Does this meeting's body keep a ledger (body override, else its kind's rule)?
    pub fn keeps_ledger(&self, meeting: i64) -> Result<bool> {
        Ok(ReviewMeeting::read(self.conn(), meeting)?.keeps_ledger(self.rules()))
    }

    /// The cases a review at `meeting` goes through: `all == false` the cases due by the
    /// meeting's date that this body reviews (plus any already reviewed here), `all == true`
    /// every followed case this body reviews; each with its review here if made. A body reviews
    /// the cases its meetings last discussed, those on this meeting, and (with `all`) the
    /// followed cases no meeting has discussed yet. Ordered: unreviewed due first, then by
    /// review date (none last) and pseudonym.
    pub fn review_queue(&self, meeting: i64, all: bool) -> Result<Vec<ReviewItem>> {
        let snapshot = self.read_snapshot()?;
        let m = ReviewMeeting::read(&snapshot, meeting)?;
        let here = self.meeting_reviews(meeting)?;
        let on_meeting: Vec<i64> = snapshot
            .prepare_cached(
                "SELECT case_id FROM meeting_cases WHERE meeting_id = ?1 AND deleted_at IS NULL",
            )?
            .query_map([meeting], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // A case this user began a review of is listed whatever became of it meanwhile (ended,
        // no longer due): its draft is opened or let go from here (attack report 5, finding 7).
        let drafted: Vec<i64> = snapshot
            .prepare_cached(
                "SELECT case_id FROM review_drafts WHERE meeting_id = ?1 AND typed_by = ?2",
            )?
            .query_map(rusqlite::params![meeting, self.user()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for case in self.case_ledger(super::LedgerFilter::All, false)? {
            let review = here.iter().find(|r| r.case == case.id).cloned();
            let ours = match &case.review_body {
                Some((body, _)) => *body == m.body_id,
                None => all,
            } || on_meeting.contains(&case.id);
            let due = case.review_due(m.date);
            let listed = review.is_some()
                || drafted.contains(&case.id)
                || (ours && !case.status.is_ended() && (all || due));
            if listed {
                let seen = seen(&snapshot, Some(meeting), case.id)?;
                out.push(ReviewItem {
                    case,
                    due,
                    review,
                    seen,
                });
            }
        }
        drop(snapshot);
        out.sort_by(|a, b| {
            let key = |i: &ReviewItem| {
                (
                    i.review.is_some(),
                    !i.due,
                    i.case.next_review.is_none(),
                    i.case.next_review,
                    crate::domain::case::pseudonym_key(&i.case.pseudonym),
                    i.case.id,
                )
            };
            key(a).cmp(&key(b))
        });
        Ok(out)
    }

    /// The revisions of a case and of its review at `meeting` as a review form loads them: the
    /// form gives them back (`ReviewDraft::seen`) so that a save over a change made meanwhile
    /// is refused.
    pub fn review_seen(&self, meeting: i64, case: i64) -> Result<Seen> {
        seen(self.conn(), Some(meeting), case)
    }

    /// The revision of a case as a case form loads it (`CaseEdit::loaded`).
    pub fn case_rev(&self, case: i64) -> Result<i64> {
        Ok(seen(self.conn(), None, case)?.case_rev)
    }

    /// The next review date the rules give for `case` reviewed at `meeting` with `status`: the
    /// meeting's date plus the shortest of the case's risk interval and the body's (its own
    /// `review_months`, else its kind's); none for an ending.
    pub fn suggested_review(
        &self,
        meeting: i64,
        case: i64,
        status: CaseStatus,
    ) -> Result<Option<NaiveDate>> {
        let conn = self.conn();
        let m = ReviewMeeting::read(conn, meeting)?;
        let risk = read_fields(conn, case)?.risk;
        Ok(m.suggested(self.rules(), risk.parse().ok(), status))
    }

    /// Records (or revises) the review of `case` at `meeting`, in one transaction: the review
    /// row, the case's fields (status, lead agency, policy, next review; closure through the
    /// same rules as `close_case`), the case's link to the meeting (`link_case`'s rules: basis,
    /// consent warning), `case_changes` and the audit. Refuses, with a catalogue message, an
    /// ended status without its reason / transfer destination, a continuing one without a next
    /// review date, a date beyond `calendar::HORIZON_YEARS`, a meeting whose body keeps no
    /// ledger. The id of the review.
    pub fn review_case(&mut self, meeting: i64, case: i64, draft: &ReviewDraft) -> Result<i64> {
        crate::store::limits::texts(&[
            ("lead_agency", draft.lead_agency.as_deref().unwrap_or("")),
            ("policy", draft.policy.as_deref().unwrap_or("")),
            ("note", &draft.note),
            ("reason", &draft.reason),
            ("evaluation", &draft.evaluation),
            ("transferred_to", &draft.transferred_to),
        ])?;
        // The refusals name the case as the facilitator knows it: by its pseudonym.
        let name: Option<String> = self
            .conn()
            .query_row("SELECT pseudonym FROM cases WHERE id = ?1", [case], |r| {
                r.get(0)
            })
            .optional()?;
        check(
            &name.unwrap_or_else(|| case.to_string()),
            draft,
            self.clock().today(),
        )?;
        let signature = self.signature();
        let rules = self.rules().clone();
        self.case_write(|conn, now, user| {
            let m = ReviewMeeting::read(conn, meeting)?;
            if !m.keeps_ledger(&rules) {
                return Err(Msg::new("review_no_ledger").with("body", &m.body).into());
            }
            m.refuse_unheld()?;
            if let Some(date) = draft.next_review.filter(|_| !draft.status.is_ended())
                && date < m.date
            {
                return Err(Msg::new("review_date_before_meeting")
                    .about("next_review")
                    .with("date", iso(date))
                    .with("meeting", iso(m.date))
                    .into());
            }
            if let Some(was) = &draft.seen {
                refuse_stale(conn, Some(meeting), case, was)?;
            }
            let old = read_fields(conn, case)?;
            let at = Some(meeting);
            // The case's link and its review here: up to two entries of the meeting.
            let id = crate::store::limits::adding(conn, meeting, |conn| {
                link_audited(conn, now, user, &signature, meeting, case)?;
                apply_status(conn, now, user, case, old.status, draft, m.date, meeting)?;
                if let Some(lead) = draft.lead_agency.as_deref().map(str::trim)
                    && !lead.is_empty()
                {
                    if old.lead_agency.as_deref() != Some(lead) {
                        super::write::refuse_person_as_agency(
                            conn,
                            "lead_agency",
                            Some(lead),
                            &[],
                        )?;
                    }
                    set_field(
                        conn,
                        now,
                        user,
                        case,
                        at,
                        ("lead_agency", old.lead_agency.as_deref(), Some(lead)),
                        &|c| {
                            let id = optional_agency_id(c, Some(lead))?;
                            c.execute(
                                "UPDATE cases SET lead_agency = ?2, updated_at = ?3 WHERE id = ?1",
                                params![case, id, now],
                            )?;
                            Ok(())
                        },
                    )?;
                }
                if let Some(policy) = draft.policy.as_deref().map(str::trim)
                    && policy != old.policy
                {
                    let (_, lines) = super::write::current_plan(conn, case)?;
                    revise(conn, now, user, case, &lines, policy, at)?;
                }
                let next = draft
                    .next_review
                    .filter(|_| !draft.status.is_ended())
                    .map(iso);
                set_field(
                    conn,
                    now,
                    user,
                    case,
                    at,
                    ("next_review", old.next_review.as_deref(), next.as_deref()),
                    &|c| {
                        c.execute(
                            "UPDATE cases SET next_review = ?2, updated_at = ?3 WHERE id = ?1",
                            params![case, next, now],
                        )?;
                        Ok(())
                    },
                )?;
                store_review(conn, now, user, meeting, case, draft, next)
            })?;
            conn.prepare_cached(
                "INSERT INTO audit (at, by, action, meeting_id, detail)
                 VALUES (?1, ?2, 'case_review', ?3, ?4)",
            )?
            .execute(params![
                now,
                signature,
                meeting,
                format!("case {case} reviewed: {}", draft.status.code())
            ])?;
            refresh_snapshots(conn, case, at)?;
            // Recorded: its draft (下書き) has done its work.
            crate::store::drafts::forget(conn, meeting, case, user)?;
            Ok(id)
        })
    }

    /// The reviews made at a meeting, in the order the meeting lists its cases.
    pub fn meeting_reviews(&self, meeting: i64) -> Result<Vec<CaseReview>> {
        reviews(
            self.conn(),
            "r.meeting_id = ?1 ORDER BY (SELECT k.position FROM meeting_cases k
                 WHERE k.meeting_id = r.meeting_id AND k.case_id = r.case_id), r.id",
            meeting,
        )
    }

    /// The reviews of a case, newest first.
    pub fn case_reviews(&self, case: i64) -> Result<Vec<CaseReview>> {
        reviews(
            self.conn(),
            "r.case_id = ?1 ORDER BY m.date DESC, r.created_at DESC, r.id DESC",
            case,
        )
    }
}

/// The case's status as the review decides it: ended through the same rules as `close_case`
/// (dated the meeting's day, closed in it), opened again when a continuing status follows an
/// ending (a review revised, or a case taken up again), kept when nothing changes.
#[allow(clippy::too_many_arguments)]
fn apply_status(
    conn: &Connection,
    now: &str,
    user: &str,
    case: i64,
    old: CaseStatus,
    draft: &ReviewDraft,
    date: NaiveDate,
    meeting: i64,
) -> Result<()> {
    let at = Some(meeting);
    if draft.status.is_ended() {
        let closure = Closure {
            kind: draft.status,
            date,
            reason: draft.reason.trim().to_owned(),
            evaluation: draft.evaluation.trim().to_owned(),
            transferred_to: if draft.status == CaseStatus::Transferred {
                draft.transferred_to.trim().to_owned()
            } else {
                String::new()
            },
        };
        if old.is_ended() {
            let same: bool = conn.prepare_cached("SELECT status = ?2 AND closed IS ?3 AND closure_reason = ?4 AND evaluation = ?5
                        AND transferred_to = ?6 FROM cases WHERE id = ?1")?.query_row(
                params![
                    case,
                    closure.kind.code(),
                    iso(closure.date),
                    closure.reason,
                    closure.evaluation,
                    closure.transferred_to
                ],
                |r| r.get(0),
            )?;
            if same {
                return Ok(());
            }
            reopen(conn, now, user, case, old, at)?;
            return end(conn, now, user, case, CaseStatus::Active, &closure, at);
        }
        return end(conn, now, user, case, old, &closure, at);
    }
    let mut from = old;
    if old.is_ended() {
        reopen(conn, now, user, case, old, at)?;
        from = CaseStatus::Active;
    }
    set_field(
        conn,
        now,
        user,
        case,
        at,
        ("status", Some(from.code()), Some(draft.status.code())),
        &|c| {
            c.execute(
                "UPDATE cases SET status = ?2, updated_at = ?3 WHERE id = ?1",
                params![case, draft.status.code(), now],
            )?;
            Ok(())
        },
    )
}

/// Writes the review row (new, or the one this meeting already has for the case, revised),
/// each change in `case_changes`; at a meeting whose minutes are approved, an amendment.
fn store_review(
    conn: &Connection,
    now: &str,
    user: &str,
    meeting: i64,
    case: i64,
    draft: &ReviewDraft,
    next: Option<String>,
) -> Result<i64> {
    let (lead, lead_name, policy): (Option<i64>, Option<String>, String) = conn
        .prepare_cached(
            "SELECT c.lead_agency, a.name, c.policy FROM cases c
         LEFT JOIN agencies a ON a.id = c.lead_agency WHERE c.id = ?1",
        )?
        .query_row([case], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let ended = draft.status.is_ended();
    let new = Stored {
        status: draft.status.code().to_owned(),
        lead_agency: lead,
        lead_name,
        policy,
        next_review: next,
        note: draft.note.trim().to_owned(),
        closure_reason: if ended {
            draft.reason.trim().to_owned()
        } else {
            String::new()
        },
        evaluation: if ended {
            draft.evaluation.trim().to_owned()
        } else {
            String::new()
        },
        transferred_to: if draft.status == CaseStatus::Transferred {
            draft.transferred_to.trim().to_owned()
        } else {
            String::new()
        },
    };
    let existing: Option<(Stored, Option<String>)> = conn
        .prepare_cached(
            "SELECT r.status, r.lead_agency, r.policy, r.next_review, r.note, r.closure_reason,
                    r.evaluation, r.transferred_to, r.deleted_at, a.name
             FROM case_reviews r LEFT JOIN agencies a ON a.id = r.lead_agency
             WHERE r.meeting_id = ?1 AND r.case_id = ?2",
        )?
        .query_row(params![meeting, case], |r| {
            Ok((
                Stored {
                    status: r.get(0)?,
                    lead_agency: r.get(1)?,
                    lead_name: r.get(9)?,
                    policy: r.get(2)?,
                    next_review: r.get(3)?,
                    note: r.get(4)?,
                    closure_reason: r.get(5)?,
                    evaluation: r.get(6)?,
                    transferred_to: r.get(7)?,
                },
                r.get(8)?,
            ))
        })
        .optional()?;
    let revised: Option<Vec<Field>> = existing.map(|(old, deleted)| {
        old.fields()
            .into_iter()
            .zip(new.fields())
            .map(|((field, before), (_, after))| {
                (field, before.filter(|_| deleted.is_none()), after)
            })
            .filter(|(_, before, after)| before != after)
            .collect()
    });
    let unchanged = revised.as_ref().is_some_and(Vec::is_empty);
    if !unchanged {
        upsert(conn, now, user, meeting, case, &new)?;
    }
    let (id, uid): (i64, String) = conn
        .prepare_cached("SELECT id, uid FROM case_reviews WHERE meeting_id = ?1 AND case_id = ?2")?
        .query_row(params![meeting, case], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let change = CaseChange::at(conn, now, user, case, Some(meeting));
    let amended: Vec<Field> = match revised {
        Some(fields) => fields,
        None => {
            change.record(
                "case_review",
                Some(uid.clone()),
                "status",
                None,
                Some(&new.status),
            )?;
            vec![(
                crate::store::capture::ADDED,
                Some("absent".to_owned()),
                Some("present".to_owned()),
            )]
        }
    };
    let revised_fields = amended
        .iter()
        .filter(|(f, ..)| *f != crate::store::capture::ADDED);
    for (field, before, after) in revised_fields {
        change.record(
            "case_review",
            Some(uid.clone()),
            field,
            before.as_deref(),
            after.as_deref(),
        )?;
    }
    let approved: bool = conn
        .prepare_cached("SELECT minutes_state = 'approved' FROM meetings WHERE id = ?1")?
        .query_row([meeting], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    if approved {
        for (field, before, after) in &amended {
            conn.prepare_cached(
                "INSERT INTO changes (at, by, meeting_id, entity, entity_id, entity_uid, field,
                                      old_value, new_value, amendment)
                 VALUES (?1, ?2, ?3, 'case_review', ?4, ?5, ?6, ?7, ?8, 1)",
            )?
            .execute(params![now, user, meeting, id, uid, field, before, after])?;
        }
    }
    Ok(id)
}

/// Writes a review: a new row, or the meeting's row for the case revised (taken back if it was
/// removed).
fn upsert(
    conn: &Connection,
    now: &str,
    user: &str,
    meeting: i64,
    case: i64,
    new: &Stored,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO case_reviews (meeting_id, case_id, status, lead_agency, policy, next_review,
                                   note, closure_reason, evaluation, transferred_to, created_by,
                                   created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
         ON CONFLICT (meeting_id, case_id) DO UPDATE SET
             status = excluded.status, lead_agency = excluded.lead_agency,
             policy = excluded.policy, next_review = excluded.next_review, note = excluded.note,
             closure_reason = excluded.closure_reason, evaluation = excluded.evaluation,
             transferred_to = excluded.transferred_to, deleted_at = NULL,
             updated_at = excluded.updated_at",
    )?
    .execute(params![
        meeting,
        case,
        new.status,
        new.lead_agency,
        new.policy,
        new.next_review,
        new.note,
        new.closure_reason,
        new.evaluation,
        new.transferred_to,
        user,
        now
    ])?;
    Ok(())
}

/// The reviews of a meeting as the interchange writes them, each naming its case by uid, in
/// the order the meeting lists its cases; with `export`, the removed ones too.
pub(crate) fn review_records(
    conn: &Connection,
    meeting: i64,
    export: bool,
) -> Result<Vec<CaseReviewRecord>> {
    let kept = if export {
        ""
    } else {
        " AND r.deleted_at IS NULL"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.uid, r.rev, c.uid, r.status, a.name, r.policy, r.next_review, r.note,
                r.closure_reason, r.evaluation, r.transferred_to, r.created_by, r.created_at,
                r.deleted_at
         FROM case_reviews r JOIN cases c ON c.id = r.case_id
         LEFT JOIN agencies a ON a.id = r.lead_agency
         WHERE r.meeting_id = ?1{kept}
         ORDER BY (SELECT k.position FROM meeting_cases k
                   WHERE k.meeting_id = r.meeting_id AND k.case_id = r.case_id), r.id"
    ))?;
    let rows = stmt.query_map([meeting], |r| {
        Ok((
            CaseReviewRecord {
                uid: uid_column(r, 0)?,
                rev: r.get(1)?,
                case: ExternalId::Text(r.get(2)?),
                status: CaseStatus::Active,
                lead_agency: r.get(4)?,
                policy: r.get(5)?,
                next_review: r.get(6)?,
                note: r.get(7)?,
                reason: r.get(8)?,
                evaluation: r.get(9)?,
                transferred_to: r.get(10)?,
                by: r.get(11)?,
                at: r.get(12)?,
                deleted_at: r.get(13)?,
            },
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut record, status) = row?;
        record.status = code(&status)?;
        out.push(record);
    }
    Ok(out)
}

/// The same review, whoever wrote it when.
fn same_review(held: &CaseReviewRecord, file: &CaseReviewRecord) -> bool {
    let strip = |r: &CaseReviewRecord| CaseReviewRecord {
        uid: None,
        rev: None,
        by: String::new(),
        at: None,
        ..r.clone()
    };
    strip(held) == strip(file)
}

/// How an import writes a meeting's case reviews, by the rule of every captured record: a new
/// one is added, the same one again changes nothing, one the database holds is updated only
/// when nobody changed it here since the file's export (or it is an untouched copy); anything
/// else is a conflict, and a review captured here is never overwritten.
impl Cases<'_> {
    /// The reviews of a new meeting (or one replaced), as the file gives them.
    /// How many were written (a review of a case the database does not hold is not).
    pub fn insert_reviews(&self, meeting: i64, m: &MeetingRecord) -> Result<usize> {
        let mut added = 0;
        for r in &m.case_reviews {
            added += self.insert_review(meeting, r)?;
        }
        Ok(added)
    }

    fn insert_review(&self, meeting: i64, r: &CaseReviewRecord) -> Result<usize> {
        let Some(case) = case_id(self.conn, Some(&r.case))? else {
            return Ok(0);
        };
        let lead = optional_agency_id(self.conn, r.lead_agency.as_deref())?;
        let rev = kept_rev(r.rev, None);
        let added = self
            .conn
            .prepare_cached(
                "INSERT INTO case_reviews (uid, rev, imported_rev, meeting_id, case_id, status,
                                           lead_agency, policy, next_review, note, closure_reason,
                                           evaluation, transferred_to, created_by, created_at,
                                           updated_at, deleted_at)
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                 ON CONFLICT (meeting_id, case_id) DO NOTHING",
            )?
            .execute(params![
                r.uid.unwrap_or_else(new_uid).to_string(),
                rev,
                meeting,
                case,
                r.status.code(),
                lead,
                r.policy,
                r.next_review,
                r.note,
                r.reason,
                r.evaluation,
                r.transferred_to,
                if r.by.is_empty() { self.user } else { &r.by },
                r.at.as_deref().unwrap_or(self.now),
                self.now,
                r.deleted_at
            ])?;
        Ok(added)
    }

    /// What an import does to the reviews of a meeting the database holds (none is removed).
    pub fn plan_reviews(&self, meeting: i64, m: &MeetingRecord) -> Result<LinkPlan> {
        let held = review_records(self.conn, meeting, true)?;
        let mut plan = LinkPlan::default();
        // Its reviews changed the cases: a meeting that reviewed cases here is not cancelled
        // nor made planned again by a file (that would leave closures and review dates decided
        // by no meeting) — the store's own rule (`Store::set_meeting_status`).
        use crate::domain::model::MeetingStatus;
        let unheld = m.status == MeetingStatus::Cancelled
            || (m.status == MeetingStatus::Planned && m.started_at.is_none());
        if unheld {
            let status: String = self
                .conn
                .prepare_cached("SELECT status FROM meetings WHERE id = ?1")?
                .query_row([meeting], |r| r.get(0))?;
            if status != m.status.code()
                && let Err(refused) =
                    crate::store::capture::refuse_unholding_reviews(self.conn, meeting, m.status)
            {
                let reason = match refused {
                    StoreError::Said(msg) => Words::from(msg),
                    other => Words::each(|_| other.to_string()),
                };
                plan.conflicts.push(("status".to_owned(), reason));
            }
        }
        for (j, r) in m.case_reviews.iter().enumerate() {
            let at = format!("case_reviews[{j}]");
            let found = held.iter().find(|h| match r.uid {
                Some(uid) => h.uid == Some(uid),
                None => h.case == r.case,
            });
            let Some(h) = found else {
                if let Some(uid) = r.uid
                    && Held::by_uid(self.conn, "case_reviews", &uid)?.is_some()
                {
                    plan.conflicts.push((
                        at,
                        Msg::new("conflict_uid_other_review")
                            .with("uid", uid)
                            .into(),
                    ));
                    continue;
                }
                if held.iter().any(|h| h.case == r.case) {
                    plan.conflicts
                        .push((at, Words::from(Msg::new("conflict_review_exists"))));
                    continue;
                }
                plan.inserts.push(j);
                continue;
            };
            if same_review(h, r) {
                continue;
            }
            let Some(uid) = h.uid else { continue };
            let Some(row) = Held::by_uid(self.conn, "case_reviews", &uid)? else {
                continue;
            };
            let decision = match r.uid {
                Some(_) => decide(&row, r.rev),
                // A hand-made review replaces only a copy nobody here has touched.
                None if row.unchanged_since_import() => decide(&row, None),
                None => Decision::Conflict(Msg::new("conflict_review_made_here").into()),
            };
            match decision {
                Decision::Update { rev, imported } => plan.updates.push((j, row.id, rev, imported)),
                Decision::Unchanged => {}
                Decision::Conflict(reason) => plan.conflicts.push((at, reason)),
            }
        }
        Ok(plan)
    }

    /// How many reviews were added and how many updated.
    pub fn apply_reviews(
        &self,
        meeting: i64,
        m: &MeetingRecord,
        plan: &LinkPlan,
    ) -> Result<(usize, usize)> {
        for &(j, row, rev, imported) in &plan.updates {
            let r = &m.case_reviews[j];
            let lead = optional_agency_id(self.conn, r.lead_agency.as_deref())?;
            self.conn
                .prepare_cached(
                    "UPDATE case_reviews SET status = ?2, lead_agency = ?3, policy = ?4,
                            next_review = ?5, note = ?6, closure_reason = ?7, evaluation = ?8,
                            transferred_to = ?9, deleted_at = ?10, updated_at = ?11, rev = ?12,
                            imported_rev = CASE WHEN ?13 THEN ?12 ELSE imported_rev END
                     WHERE id = ?1",
                )?
                .execute(params![
                    row,
                    r.status.code(),
                    lead,
                    r.policy,
                    r.next_review,
                    r.note,
                    r.reason,
                    r.evaluation,
                    r.transferred_to,
                    r.deleted_at,
                    self.now,
                    rev,
                    imported
                ])?;
        }
        let mut added = 0;
        for &j in &plan.inserts {
            added += self.insert_review(meeting, &m.case_reviews[j])?;
        }
        Ok((added, plan.updates.len()))
    }
}
