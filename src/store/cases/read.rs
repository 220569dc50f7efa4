//! What the screens and commands read of cases: the ledger (every case with its last and next
//! meeting and its open actions), one case with its timeline across bodies, and the cases a
//! meeting discusses with what the case panel shows.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::code;
use super::write::{current_plan, plan_lines};
use crate::domain::case::{CaseRules, CaseStatus, Consent, Level, ReviewFacts};
use crate::domain::model::{MeetingPhase, MeetingStatus};
use crate::interchange::PlanLine;
use crate::store::{Result, Store};

pub use crate::cases::ledger::{CaseRow, ReviewBody};

/// Which cases the ledger lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LedgerFilter {
    /// Those still followed (受理, 支援中, 見守り).
    #[default]
    Open,
    /// Those ended (終結, 中断, 移管).
    Closed,
    All,
}

/// A meeting of a case's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub meeting_id: i64,
    pub date: NaiveDate,
    pub body: String,
    pub phase: MeetingPhase,
    pub basis: String,
    pub warned: bool,
    pub situation: String,
}

/// An open action of a case, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenCaseAction {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_date: NaiveDate,
    pub body: String,
    pub agency: Option<String>,
    pub text: String,
    pub due: Option<NaiveDate>,
}

/// One case as its screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDetail {
    pub row: CaseRow,
    pub key_person: String,
    pub consent_date: Option<NaiveDate>,
    pub consent_by: String,
    pub evaluation: String,
    pub transferred_to: String,
    /// The household: (member id, relation, name).
    pub members: Vec<(i64, String, String)>,
    pub plan: Vec<PlanLine>,
    /// How many revisions the plan has had.
    pub revisions: usize,
    pub timeline: Vec<TimelineEntry>,
    pub open_actions: Vec<OpenCaseAction>,
}

impl CaseDetail {
    /// The case form's fields as the case has them (unchecked: `loaded` none), to change one.
    pub fn edit(&self) -> super::CaseEdit {
        super::CaseEdit {
            pseudonym: self.row.pseudonym.clone(),
            opened: self.row.opened,
            referred_by: self.row.referred_by.clone(),
            lead_agency: self.row.lead_agency.clone(),
            key_person: self.key_person.clone(),
            risk: self.row.risk,
            urgency: self.row.urgency,
            policy: self.row.policy.clone(),
            next_review: self.row.review_set,
            loaded: None,
        }
    }
}

/// A case discussed at a meeting, as the meeting's case panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingCase {
    pub case_id: i64,
    pub pseudonym: String,
    pub status: CaseStatus,
    pub consent: Consent,
    pub basis: String,
    pub warned: bool,
    pub situation: String,
    pub lead_agency: Option<String>,
    pub risk: Option<Level>,
    pub urgency: Option<Level>,
    pub policy: String,
    pub plan: Vec<PlanLine>,
    /// The case being discussed (captures go to it).
    pub current: bool,
    /// Open actions of the case from earlier meetings (of any body).
    pub carried: Vec<OpenCaseAction>,
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| crate::store::report::iso_day(&t))
}

fn level(text: &str) -> Option<Level> {
    text.parse().ok()
}

/// Whose links [`row_sql`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cases {
    All,
    /// The case `?2`.
    One,
    /// The cases of the JSON array of ids `?2`: one statement for them all (each statement
    /// sets up its own temporary tables for the links, most of the cost of reading one case).
    Listed,
}

/// A meeting counts as having discussed a case (its review, its last meeting) when it was held
/// (`status = 'held'`: ended, or imported as held) — the report's definition: one begun and then
/// cancelled is not a review, nor one still running until it ends.
///
/// Every case's links are read in one pass (`links`), in case order from the live links' index
/// and each meeting's facts from its narrow index (schema steps 11 and 12), where the row looked through
/// each case's meetings three times, each link a page of the meetings (188 ms for the ledger of
/// the ward-scale set): the last meeting held (the latest date, then the highest id: the two as
/// one text that orders so), the next meeting planned from `?1` on, and how many. Of
/// [`Cases::One`], only the links of case `?2`; of [`Cases::Listed`], those of the cases whose
/// ids the JSON array `?2` lists.
///
/// Days of instants (the day a review date was set, the day a case was reopened) are the
/// Japan-time days of the instants as SQLite parses them (`julianday` reads any offset), the
/// latest instant by time, not by its text.
pub(super) fn row_sql(cases: Cases) -> String {
    let case = match cases {
        Cases::All => "",
        Cases::One => " AND k.case_id = ?2",
        Cases::Listed => " AND k.case_id IN (SELECT value FROM json_each(?2))",
    };
    format!(
        concat!(
            "WITH links AS (
            SELECT k.case_id,
                MAX(CASE WHEN m.status = 'held' THEN m.date || printf('%020d', m.id) END)
                    AS last_held,
                MIN(CASE WHEN m.status = 'planned' AND m.started_at IS NULL AND m.date >= ?1
                    THEN m.date END) AS next_planned,
                COUNT(*) AS linked
            FROM meeting_cases k INDEXED BY meeting_cases_live
            JOIN meetings m INDEXED BY meetings_case_facts ON m.id = k.meeting_id
            WHERE k.deleted_at IS NULL{case}
            GROUP BY k.case_id)
        SELECT c.id, c.uid, c.pseudonym, c.status, l.name, r.name, c.risk, c.urgency,
            c.consent, c.opened, c.next_review, c.closed, c.closure_reason, c.policy,
            substr(k.last_held, 1, length(k.last_held) - 20), k.next_planned,
            (SELECT COUNT(*) FROM next_actions n INDEXED BY next_actions_case_open
             WHERE n.case_id = c.id AND n.status = 'open' AND n.deleted_at IS NULL),
            COALESCE(k.linked, 0),
            lb.id, lb.name, lb.kind,
            ",
            review_set_on!(),
            ",
            lb.review_months, c.ward_id,
            ",
            reopened_on!(),
            "
        FROM cases c LEFT JOIN links k ON k.case_id = c.id
        LEFT JOIN agencies l ON l.id = c.lead_agency
        LEFT JOIN agencies r ON r.id = c.referred_by
        LEFT JOIN meetings lm INDEXED BY meetings_case_facts
            ON lm.id = CAST(substr(k.last_held, -20) AS INTEGER)
        LEFT JOIN bodies lb ON lb.id = lm.body_id"
        ),
        case = case
    )
}

/// The followed cases whose date set stands (schema step 14's `case_review_basis`), due today
/// or past: a range of the index by that date.
const FIXED_DUE: &str = "SELECT body_id, fixed < ?1
    FROM case_review_basis INDEXED BY case_review_basis_fixed
    WHERE fixed IS NOT NULL AND fixed <= ?1";

/// The next group of cases whose review date the rules make with one interval (risk, whether a
/// meeting was held, that body's kind and own interval) after `(?1, ?2, ?3, ?4)`: one seek in
/// the index of the groups, however many cases each holds.
const NEXT_GROUP: &str = "SELECT risk, has_body, kind, own
    FROM case_review_basis INDEXED BY case_review_basis_rule
    WHERE fixed IS NULL AND base IS NOT NULL AND (risk, has_body, kind, own) > (?1, ?2, ?3, ?4)
    ORDER BY risk, has_body, kind, own LIMIT 1";

/// The cases of one group due today or past: those whose base is before `?6` (past before
/// `?5`), a range of the index of the groups.
const GROUP_DUE: &str = "SELECT body_id, base < ?5
    FROM case_review_basis INDEXED BY case_review_basis_rule
    WHERE fixed IS NULL AND base IS NOT NULL
      AND risk = ?1 AND has_body = ?2 AND kind = ?3 AND own = ?4 AND base < ?6";

/// The first day from which a base's review date (`review_date`, nondecreasing in the base) is
/// not before `day`: the bases before it are reviewed before `day`.
fn first_base_not_before(
    day: NaiveDate,
    review_date: impl Fn(NaiveDate) -> NaiveDate,
) -> NaiveDate {
    // A month's length apart at most from `day` less the interval: found in a few steps back
    // and forth from the day the interval would give back.
    let mut d = day;
    while review_date(d) >= day {
        let Some(earlier) = d.checked_sub_months(chrono::Months::new(1)) else {
            return d;
        };
        d = earlier;
    }
    // review_date(d) < day: forward to the first day past it.
    loop {
        let Some(next) = d.succ_opt() else {
            return NaiveDate::MAX;
        };
        d = next;
        if review_date(d) >= day {
            return d;
        }
    }
}

/// Followed cases by the body that reviews them: past their review date, and due today.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewCounts {
    pub overdue: Vec<(ReviewBody, usize)>,
    pub today: Vec<(ReviewBody, usize)>,
    /// The ward (its row) of each body counted (by the body's id): a city's wards have bodies
    /// of the same names, which the home tells apart by their ward.
    pub wards: std::collections::HashMap<i64, i64>,
}

pub(super) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(CaseRow, String, String)> {
    let body: Option<i64> = r.get(18)?;
    let body_name: Option<String> = r.get(19)?;
    let kind: Option<String> = r.get(20)?;
    Ok((
        CaseRow {
            id: r.get(0)?,
            uid: r.get(1)?,
            pseudonym: r.get(2)?,
            status: CaseStatus::Open,
            lead_agency: r.get(4)?,
            referred_by: r.get(5)?,
            risk: level(&r.get::<_, String>(6)?),
            urgency: level(&r.get::<_, String>(7)?),
            consent: Consent::Unknown,
            opened: date(r.get(9)?),
            next_review: None,
            review_set: date(r.get(10)?),
            review_set_on: date(r.get(21)?),
            reopened: date(r.get(24)?),
            review_body: body.zip(body_name),
            review_kind: kind,
            review_months: r.get(22)?,
            closed: date(r.get(11)?),
            closure_reason: r.get(12)?,
            policy: r.get(13)?,
            last_meeting: date(r.get(14)?),
            next_meeting: date(r.get(15)?),
            open_actions: r.get::<_, i64>(16)? as usize,
            meetings: r.get::<_, i64>(17)? as usize,
            ward_id: r.get(23)?,
        },
        r.get(3)?,
        r.get(8)?,
    ))
}

pub(super) fn finish(
    (mut row, status, consent): (CaseRow, String, String),
    rules: &CaseRules,
) -> Result<CaseRow> {
    row.status = code(&status)?;
    row.consent = code(&consent)?;
    row.next_review = next_review(&row, rules);
    Ok(row)
}

/// When a case is looked at again ([`CaseRules::next_review`]): the date set for it, unless a
/// meeting has discussed it on a later day than the date was set; otherwise its last meeting
/// (before any, the day it was opened) plus the interval of the rules. An ended case keeps only
/// the date set, and is never due.
pub(crate) fn next_review(row: &CaseRow, rules: &CaseRules) -> Option<NaiveDate> {
    if row.status.is_ended() {
        return row.review_set;
    }
    // A case reopened after its last meeting is looked at again from the day it was reopened.
    let last_meeting = match (row.last_meeting, row.reopened) {
        (Some(last), Some(reopened)) => Some(last.max(reopened)),
        (last, reopened) => last.or(reopened),
    };
    rules.next_review(&ReviewFacts {
        set: row.review_set,
        set_on: row.review_set_on,
        last_meeting,
        kind: row.review_kind.as_deref(),
        own_months: row.review_months,
        opened: row.opened,
        risk: row.risk,
    })
}

impl Store {
    /// One case's row as the ledger lists it, its next review made by the rules
    /// ([`next_review`]): what the case screen and the case record show, so that the three
    /// never disagree on the date. `None` for an unknown case.
    pub(crate) fn case_row(&self, case: i64) -> Result<Option<CaseRow>> {
        let today = self.clock().today();
        let found = self
            .conn()
            .prepare_cached(&format!("{} WHERE c.id = ?2", row_sql(Cases::One)))?
            .query_row(params![today.format("%Y-%m-%d").to_string(), case], row)
            .optional()?;
        found.map(|found| finish(found, self.rules())).transpose()
    }

    /// The ledger's rows of `filter`, in no order, their review dates made by the rules.
    fn ledger_rows(&self, filter: LedgerFilter) -> Result<Vec<CaseRow>> {
        let today = self.clock().today();
        let sql = format!(
            "{}{}",
            row_sql(Cases::All),
            super::listing::filter_condition(filter)
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([today.format("%Y-%m-%d").to_string()], row)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(finish(r?, self.rules())?);
        }
        Ok(out)
    }

    /// The ledger: cases with their last and next meeting and open actions; overdue reviews
    /// first, then by review date (none last), then by pseudonym. `due` keeps only those due for
    /// review by today.
    pub fn case_ledger(&self, filter: LedgerFilter, due: bool) -> Result<Vec<CaseRow>> {
        let today = self.clock().today();
        let mut out = self.ledger_rows(filter)?;
        if due {
            out.retain(|r| r.review_due(today));
        }
        // Each row's key made once (the pseudonym folded), not at every comparison.
        out.sort_by_cached_key(|r| {
            (
                !r.review_overdue(today),
                r.status.is_ended(),
                r.next_review.is_none(),
                r.next_review,
                crate::domain::case::pseudonym_key(&r.pseudonym),
                r.id,
            )
        });
        Ok(out)
    }

    /// The followed cases whose review is overdue, counted by the body that last discussed them
    /// (the one to review them; `None`: no meeting has discussed them yet), most first.
    ///
    /// The dates are those of `next_review` (`overdue_reviews_are_the_ledgers` checks it
    /// against the ledger).
    pub fn overdue_reviews(&self) -> Result<Vec<(ReviewBody, usize)>> {
        Ok(self.review_counts()?.overdue)
    }

    /// The followed cases past their review date (`overdue`) and those whose review date is
    /// today — due (`cases --due` lists them) but not overdue yet — each by the body that last
    /// discussed them, most first: the home screen's `!超過` lines and how many more are due
    /// today.
    ///
    /// The home screen reads it at every first frame, and a city follows 48 000 cases: it reads
    /// only the cases due, never every followed case. Each case's review basis is kept by
    /// schema step 14's triggers (`case_review_basis`: the date set when it stands, else the
    /// day the rules' interval counts from, and what the interval depends on); the rules are
    /// applied here: the dates set up to today are a range of one index, and for each group of
    /// cases that the rules give one interval, the bases old enough are a range of another
    /// (`first_base_not_before`). The groups are found by skipping through that index, a seek
    /// each.
    pub fn review_counts(&self) -> Result<ReviewCounts> {
        let today = self.clock().today();
        let rules = self.rules();
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let conn = self.conn();
        // By body: (past, due today).
        let mut by_body: std::collections::HashMap<Option<i64>, (usize, usize)> =
            std::collections::HashMap::new();
        let mut count = |body: Option<i64>, past: bool| {
            let n = by_body.entry(body).or_default();
            if past { n.0 += 1 } else { n.1 += 1 }
        };
        let mut fixed = conn.prepare_cached(FIXED_DUE)?;
        let mut rows = fixed.query([day(today)])?;
        while let Some(r) = rows.next()? {
            count(r.get(0)?, r.get(1)?);
        }
        let tomorrow = today.succ_opt().unwrap_or(today);
        let mut next = conn.prepare_cached(NEXT_GROUP)?;
        let mut due = conn.prepare_cached(GROUP_DUE)?;
        let mut after: (String, i64, String, i64) = (String::new(), -1, String::new(), -1);
        loop {
            let group: Option<(String, i64, String, i64)> = next
                .query_row(params![after.0, after.1, after.2, after.3], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let Some(group) = group else { break };
            let (risk, has_body, kind, own) = &group;
            let risk_level = level(risk);
            let kind_of = (*has_body != 0).then_some(kind.as_str());
            let own_months = u32::try_from(*own).ok().filter(|m| *m > 0);
            let review_date =
                |base: NaiveDate| rules.review_date_for(base, risk_level, kind_of, own_months);
            let past = first_base_not_before(today, review_date);
            let by_today = first_base_not_before(tomorrow, review_date);
            let mut rows =
                due.query(params![risk, has_body, kind, own, day(past), day(by_today)])?;
            while let Some(r) = rows.next()? {
                count(r.get(0)?, r.get(1)?);
            }
            after = group;
        }
        // The bodies' names and wards in one statement (a city's cases due are reviewed by
        // thousands of bodies: a query each was most of the read).
        let ids: Vec<String> = by_body.keys().flatten().map(i64::to_string).collect();
        let mut names = conn.prepare_cached(
            "SELECT b.id, b.name, b.ward_id FROM json_each(?1) j
             JOIN bodies b ON b.id = j.value",
        )?;
        let mut named: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
        let mut counts = ReviewCounts::default();
        let mut rows = names.query([format!("[{}]", ids.join(","))])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            named.insert(id, r.get(1)?);
            counts.wards.insert(id, r.get(2)?);
        }
        // Summed by what the lines show (a body not found counts with the cases of no body).
        let mut sums: [std::collections::HashMap<ReviewBody, usize>; 2] = Default::default();
        for (body, (past, by_today)) in by_body {
            let body: ReviewBody = body.and_then(|id| Some((id, named.get(&id)?.clone())));
            for (sum, n) in sums.iter_mut().zip([past, by_today]) {
                if n > 0 {
                    *sum.entry(body.clone()).or_default() += n;
                }
            }
        }
        let [overdue, today] = sums;
        counts.overdue = overdue.into_iter().collect();
        counts.today = today.into_iter().collect();
        for counted in [&mut counts.overdue, &mut counts.today] {
            counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        Ok(counts)
    }

    /// One case with its household, plan, timeline of meetings and open actions.
    pub fn case_detail(&self, case: i64) -> Result<Option<CaseDetail>> {
        let Some(row) = self.case_row(case)? else {
            return Ok(None);
        };
        let conn = self.conn();
        let (key_person, consent_date, consent_by, evaluation, transferred_to): (
            String,
            Option<String>,
            String,
            String,
            String,
        ) = conn.query_row(
            "SELECT key_person, consent_date, consent_by, evaluation, transferred_to
             FROM cases WHERE id = ?1",
            [case],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        let members = conn
            .prepare_cached(
                "SELECT id, relation, name FROM case_members WHERE case_id = ?1 AND deleted_at IS NULL
                 ORDER BY position, id",
            )?
            .query_map([case], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let revisions: i64 = conn.query_row(
            "SELECT COUNT(*) FROM case_plans WHERE case_id = ?1",
            [case],
            |r| r.get(0),
        )?;
        let mut timeline = Vec::new();
        let mut stmt = conn.prepare_cached(
            "SELECT m.id, m.date, b.name, m.status, m.started_at IS NOT NULL, m.ended_at IS NOT NULL,
                    k.basis, k.warned, k.situation
             FROM meeting_cases k JOIN meetings m ON m.id = k.meeting_id
             JOIN bodies b ON b.id = m.body_id
             WHERE k.case_id = ?1 AND k.deleted_at IS NULL
             ORDER BY m.date, m.start_time IS NOT NULL, m.start_time, m.id",
        )?;
        let rows = stmt.query_map([case], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        for r in rows {
            let (id, d, body, status, started, ended, basis, warned, situation) = r?;
            let Some(d) = date(Some(d)) else { continue };
            let status: MeetingStatus = code(&status)?;
            timeline.push(TimelineEntry {
                meeting_id: id,
                date: d,
                body,
                phase: MeetingPhase::of(status, started, ended),
                basis,
                warned,
                situation,
            });
        }
        Ok(Some(CaseDetail {
            row,
            key_person,
            consent_date: date(consent_date),
            consent_by,
            evaluation,
            transferred_to,
            members,
            plan: current_plan(conn, case)?.1,
            revisions: revisions as usize,
            timeline,
            open_actions: open_actions(conn, case, None)?,
        }))
    }

    /// The cases a meeting discusses, in order, each with its plan and the open actions of its
    /// earlier meetings.
    pub fn meeting_cases(&self, meeting: i64) -> Result<Vec<MeetingCase>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.pseudonym, c.status, c.consent, k.basis, k.warned, k.situation, l.name,
                    c.risk, c.urgency, c.policy, m.current_case_id IS c.id
             FROM meeting_cases k JOIN cases c ON c.id = k.case_id
             JOIN meetings m ON m.id = k.meeting_id
             LEFT JOIN agencies l ON l.id = c.lead_agency
             WHERE k.meeting_id = ?1 AND k.deleted_at IS NULL ORDER BY k.position, k.id",
        )?;
        let rows = stmt.query_map([meeting], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
                r.get::<_, String>(10)?,
                r.get::<_, bool>(11)?,
            ))
        })?;
        let mut out = Vec::new();
        for r in rows {
            let (
                id,
                pseudonym,
                status,
                consent,
                basis,
                warned,
                situation,
                lead,
                risk,
                urgency,
                policy,
                current,
            ) = r?;
            out.push(MeetingCase {
                case_id: id,
                pseudonym,
                status: code(&status)?,
                consent: code(&consent)?,
                basis,
                warned,
                situation,
                lead_agency: lead,
                risk: level(&risk),
                urgency: level(&urgency),
                policy,
                plan: current_plan(conn, id)?.1,
                current,
                carried: open_actions(conn, id, Some(meeting))?,
            });
        }
        // With one case, that case is the one discussed.
        if let [only] = out.as_mut_slice() {
            only.current = true;
        }
        Ok(out)
    }

    /// The lines of one revision of a case's plan.
    pub fn plan_revision(&self, plan: i64) -> Result<Vec<PlanLine>> {
        plan_lines(self.conn(), plan)
    }
}

/// The open actions of a case, oldest first; with `before`, only those of meetings before it.
fn open_actions(
    conn: &rusqlite::Connection,
    case: i64,
    before: Option<i64>,
) -> Result<Vec<OpenCaseAction>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, o.id, o.date, b.name, a.name, n.text, n.due_date
         FROM next_actions n JOIN meetings o ON o.id = n.meeting_id
         JOIN bodies b ON b.id = o.body_id
         LEFT JOIN agencies a ON a.id = n.agency_id
         LEFT JOIN meetings y ON y.id = ?2
         WHERE n.case_id = ?1 AND n.status = 'open' AND n.deleted_at IS NULL
           AND (?2 IS NULL OR o.date < y.date OR (o.date = y.date AND o.id < y.id))
         ORDER BY o.date, o.id, n.id",
    )?;
    let rows = stmt.query_map(params![case, before], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (id, meeting_id, d, body, agency, text, due) = r?;
        let Some(meeting_date) = date(Some(d)) else {
            continue;
        };
        out.push(OpenCaseAction {
            id,
            meeting_id,
            meeting_date,
            body,
            agency,
            text,
            due: date(due),
        });
    }
    Ok(out)
}

impl Store {
    /// The cases a meeting discussed as its minutes show them, and the people of their
    /// households (removed members too: a note may still name them), for redaction.
    pub(crate) fn cases_at_meeting(
        &self,
        meeting: i64,
    ) -> Result<(
        Vec<crate::minutes::CaseAtMeeting>,
        Vec<crate::minutes::Person>,
    )> {
        let conn = self.conn();
        let mut cases = Vec::new();
        let mut people = Vec::new();
        for link in super::export::links(conn, meeting, false)? {
            let Some(case) = super::merge::case_id(conn, Some(&link.case))? else {
                continue;
            };
            let pseudonym: String = conn
                .prepare_cached("SELECT pseudonym FROM cases WHERE id = ?1")?
                .query_row([case], |r| r.get(0))?;
            let plan = match super::merge::id_by_uid(conn, "case_plans", link.plan)? {
                Some(row) => plan_lines(conn, row)?,
                None => Vec::new(),
            };
            let revised_here: bool = conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM case_plans WHERE case_id = ?1 AND meeting_id = ?2)",
                )?
                .query_row(params![case, meeting], |r| r.get(0))?;
            let members: Vec<(String, String)> = conn
                .prepare_cached(
                    "SELECT relation, name FROM case_members WHERE case_id = ?1
                     ORDER BY deleted_at IS NOT NULL, position, id",
                )?
                .query_map([case], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let subject = members
                .iter()
                .find(|(relation, name)| relation.trim() == "本人" && !name.trim().is_empty())
                .map(|(_, name)| name.clone());
            people.extend(crate::cases::household_people(&members));
            cases.push(crate::minutes::CaseAtMeeting {
                reference: link.case.clone(),
                pseudonym,
                plan,
                revised_here,
                subject,
                closure: closure_at(conn, case, meeting)?,
                link,
            });
        }
        Ok((cases, people))
    }
}

/// The closure of a case decided at a meeting, as its history keeps it (a case reopened since
/// still shows, in that meeting's minutes, that it was closed there).
fn closure_at(
    conn: &rusqlite::Connection,
    case: i64,
    meeting: i64,
) -> Result<Option<crate::minutes::ClosureAtMeeting>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, new_value FROM case_changes
         WHERE case_id = ?1 AND meeting_id = ?2 AND entity = 'case'
           AND field IN ('status', 'closed', 'closure_reason', 'evaluation', 'transferred_to')
         ORDER BY at, id",
    )?;
    let rows = stmt.query_map(params![case, meeting], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let mut closure: Option<crate::minutes::ClosureAtMeeting> = None;
    for row in rows {
        let (field, value) = row?;
        let value = value.unwrap_or_default();
        match field.as_str() {
            "status" => match value.parse::<CaseStatus>() {
                Ok(kind) if kind.is_ended() => {
                    closure = Some(crate::minutes::ClosureAtMeeting {
                        kind,
                        date: String::new(),
                        reason: String::new(),
                        evaluation: String::new(),
                        transferred_to: String::new(),
                    })
                }
                _ => closure = None,
            },
            _ => {
                if let Some(c) = closure.as_mut() {
                    match field.as_str() {
                        "closed" => c.date = value,
                        "closure_reason" => c.reason = value,
                        "evaluation" => c.evaluation = value,
                        _ => c.transferred_to = value,
                    }
                }
            }
        }
    }
    Ok(closure)
}

/// The case a capture of the meeting goes to, as the trigger of schema step 6 decides it (the
/// case being discussed, else the meeting's only case): its pseudonym.
pub(crate) fn capture_case(conn: &rusqlite::Connection, meeting: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.pseudonym FROM cases c WHERE c.id = COALESCE(
                 (SELECT k.case_id FROM meetings m JOIN meeting_cases k
                    ON k.meeting_id = m.id AND k.case_id = m.current_case_id
                  WHERE m.id = ?1 AND k.deleted_at IS NULL),
                 (SELECT MIN(case_id) FROM meeting_cases WHERE meeting_id = ?1
                    AND deleted_at IS NULL HAVING COUNT(*) = 1))",
        )?
        .query_row([meeting], |r| r.get(0))
        .optional()?)
}

#[cfg(test)]
mod overdue_tests {
    use super::*;
    use crate::clock::Clock;

    /// The overdue reviews as the ledger finds them, counted by body as the home shows them.
    fn by_the_ledger(store: &Store) -> ReviewCounts {
        let today = store.clock().today();
        let mut counts = ReviewCounts::default();
        for row in store.case_ledger(LedgerFilter::All, false).unwrap() {
            let counted = if row.review_overdue(today) {
                &mut counts.overdue
            } else if row.review_due(today) {
                &mut counts.today
            } else {
                continue;
            };
            match counted.iter_mut().find(|(b, _)| *b == row.review_body) {
                Some((_, n)) => *n += 1,
                None => counted.push((row.review_body, 1)),
            }
        }
        for counted in [&mut counts.overdue, &mut counts.today] {
            counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        let wards: std::collections::HashMap<i64, i64> = store
            .bodies()
            .unwrap()
            .into_iter()
            .map(|b| (b.id, b.ward_id))
            .collect();
        for (body, _) in counts.overdue.iter().chain(&counts.today) {
            if let Some((id, _)) = body {
                counts.wards.insert(*id, wards[id]);
            }
        }
        counts
    }

    /// The ledger's row as it was read before the one pass (`row_sql`): each case's meetings
    /// looked through three times, from the tables. What the one pass must read alike.
    const BEFORE: &str =
        "SELECT c.id, c.uid, c.pseudonym, c.status, l.name, r.name, c.risk, c.urgency,
            c.consent, c.opened, c.next_review, c.closed, c.closure_reason, c.policy,
            (SELECT MAX(m.date) FROM meeting_cases k JOIN meetings m ON m.id = k.meeting_id
             WHERE k.case_id = c.id AND k.deleted_at IS NULL AND m.status = 'held'),
            (SELECT MIN(m.date) FROM meeting_cases k JOIN meetings m ON m.id = k.meeting_id
             WHERE k.case_id = c.id AND k.deleted_at IS NULL AND m.status = 'planned'
               AND m.started_at IS NULL AND m.date >= ?1),
            (SELECT COUNT(*) FROM next_actions n
             WHERE n.case_id = c.id AND n.status = 'open' AND n.deleted_at IS NULL),
            (SELECT COUNT(*) FROM meeting_cases k WHERE k.case_id = c.id AND k.deleted_at IS NULL),
            lb.id, lb.name, lb.kind,
            (SELECT date(MAX(julianday(x.at)) + 0.375) FROM case_changes x
             WHERE x.case_id = c.id AND x.entity = 'case' AND x.field = 'next_review'),
            lb.review_months, c.ward_id,
            (SELECT date(MAX(julianday(x.at)) + 0.375) FROM case_changes x
             WHERE x.case_id = c.id AND x.entity = 'case' AND x.field = 'status'
               AND x.old_value IN ('closed', 'suspended', 'transferred')
               AND x.new_value IN ('open', 'active', 'monitoring'))
        FROM cases c LEFT JOIN agencies l ON l.id = c.lead_agency
        LEFT JOIN agencies r ON r.id = c.referred_by
        LEFT JOIN bodies lb ON lb.id = (
            SELECT m.body_id FROM meeting_cases k JOIN meetings m ON m.id = k.meeting_id
            WHERE k.case_id = c.id AND k.deleted_at IS NULL AND m.status = 'held'
            ORDER BY m.date DESC, m.id DESC LIMIT 1)";

    /// Every row the ledger lists, as the one pass reads it and as the row read before it did,
    /// on the ward demo with every way a link can count or not: a last meeting held whose link
    /// was removed, two meetings held on one day (the higher id is the last, its body the one to
    /// review), a planned meeting begun, one cancelled, one past and the next to come, a case
    /// with no meeting left, an open action removed and one done.
    #[test]
    fn the_one_pass_lists_each_row_as_the_rows_own_look_did() {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let mut store = Store::open(&dir.path().join("r.db"), Clock::fixed(now)).unwrap();
        crate::demo::load_scaled(&mut store, 1).unwrap();
        let conn = store.conn();
        let linked = |sql: &str| -> Vec<i64> {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        let cases = linked("SELECT id FROM cases ORDER BY id");
        assert!(cases.len() >= 4, "{cases:?}");
        let (removed, same_day, planned, unlinked) = (cases[0], cases[1], cases[2], cases[3]);
        let with_actions = linked(
            "SELECT case_id FROM next_actions WHERE status = 'open' AND deleted_at IS NULL
             GROUP BY case_id HAVING COUNT(*) >= 3 ORDER BY case_id",
        );
        assert!(!with_actions.is_empty());
        let (first_body, last_body): (i64, i64) = conn
            .query_row("SELECT MIN(id), MAX(id) FROM bodies", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        // A meeting of `body` linked to `case`; the link's id.
        let add = |case: i64, body: i64, date: &str, status: &str, started: Option<&str>| {
            conn.execute(
                "INSERT INTO meetings (body_id, date, status, started_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, '2026-11-01T10:00:00+09:00', '2026-11-01T10:00:00+09:00')",
                params![body, date, status, started],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO meeting_cases (meeting_id, case_id, position, created_at, updated_at)
                 VALUES (last_insert_rowid(), ?1, 9, '2026-11-01T10:00:00+09:00',
                         '2026-11-01T10:00:00+09:00')",
                [case],
            )
            .unwrap();
            conn.last_insert_rowid()
        };
        // The last held, its link removed: the one before is the last.
        add(removed, first_body, "2026-11-20", "held", None);
        let link = add(removed, last_body, "2026-11-21", "held", None);
        conn.execute(
            "UPDATE meeting_cases SET deleted_at = '2026-11-21T12:00:00+09:00' WHERE id = ?1",
            [link],
        )
        .unwrap();
        // Two held on one day: the later id (of the first body) is the last, whatever its body.
        add(same_day, last_body, "2026-11-21", "held", None);
        add(same_day, first_body, "2026-11-21", "held", None);
        add(
            planned,
            last_body,
            "2026-11-22",
            "planned",
            Some("2026-11-21T09:00:00+09:00"),
        );
        add(planned, last_body, "2026-11-23", "cancelled", None);
        add(planned, last_body, "2026-11-20", "planned", None);
        add(planned, last_body, "2026-12-05", "planned", None);
        add(planned, last_body, "2026-12-01", "planned", None);
        conn.execute("DELETE FROM meeting_cases WHERE case_id = ?1", [unlinked])
            .unwrap();
        conn.execute(
            "UPDATE next_actions SET deleted_at = '2026-11-01T10:00:00+09:00' WHERE id =
               (SELECT MIN(id) FROM next_actions WHERE case_id = ?1 AND status = 'open')",
            [with_actions[0]],
        )
        .unwrap();
        conn.execute(
            "UPDATE next_actions SET status = 'done' WHERE id =
               (SELECT MIN(id) FROM next_actions WHERE case_id = ?1 AND status = 'open'
                  AND deleted_at IS NULL)",
            [with_actions[0]],
        )
        .unwrap();

        let before = |condition: &str| -> Vec<CaseRow> {
            let mut rows: Vec<CaseRow> = conn
                .prepare(&format!("{BEFORE}{condition}"))
                .unwrap()
                .query_map(["2026-11-21"], row)
                .unwrap()
                .map(|r| finish(r.unwrap(), store.rules()).unwrap())
                .collect();
            rows.sort_by_key(|r| r.id);
            rows
        };
        for (filter, condition) in [
            (LedgerFilter::All, ""),
            (
                LedgerFilter::Open,
                " WHERE c.status IN ('open', 'active', 'monitoring')",
            ),
            (
                LedgerFilter::Closed,
                " WHERE c.status IN ('closed', 'suspended', 'transferred')",
            ),
        ] {
            let mut now = store.ledger_rows(filter).unwrap();
            now.sort_by_key(|r| r.id);
            assert_eq!(now, before(condition), "{filter:?}");
        }
        let all = before("");
        assert!(all.len() >= 4);
        let of = |id: i64| all.iter().find(|r| r.id == id).unwrap().clone();
        // What each tampering did, so that the comparison above compares something.
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d);
        assert_eq!(of(same_day).review_body.map(|b| b.0), Some(first_body));
        assert_eq!(of(same_day).last_meeting, day(21));
        assert_eq!(
            of(planned).next_meeting,
            NaiveDate::from_ymd_opt(2026, 12, 1)
        );
        assert_eq!(
            (of(unlinked).meetings, of(unlinked).last_meeting),
            (0, None)
        );
        assert_eq!(of(removed).last_meeting, day(20));
        assert_eq!(of(removed).review_body.map(|b| b.0), Some(first_body));
        // One row alone (the case screen) reads as the ledger's.
        for r in &all {
            assert_eq!(&store.case_detail(r.id).unwrap().unwrap().row, r);
        }
    }

    #[test]
    fn overdue_reviews_are_the_ledgers() {
        let (dir, store) = crate::store::setup::tests::store();
        let path = dir.path().join("r.db");
        // A case with a review date set later than its last meeting, one set before it, one
        // never met, bodies with their own interval: every way a review date is made.
        let ids: Vec<i64> = store
            .conn()
            .prepare("SELECT id FROM cases ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(ids.len() >= 3, "{ids:?}");
        store
            .conn()
            .execute_batch(&format!(
                "UPDATE cases SET next_review = NULL, risk = '';
                 UPDATE cases SET next_review = '2027-01-15' WHERE id = {};
                 UPDATE cases SET next_review = '2001-01-01' WHERE id = {};
                 DELETE FROM meeting_cases WHERE case_id = {2};
                 INSERT INTO case_changes (case_id, at, entity, field, old_value, new_value)
                 VALUES ({2}, '2027-02-01T10:00:00+09:00', 'case', 'status', 'closed', 'active');
                 UPDATE bodies SET review_months = 1 WHERE id % 2 = 0;
                 UPDATE bodies SET review_months = 12 WHERE id % 2 = 1;",
                ids[0], ids[1], ids[2]
            ))
            .unwrap();
        drop(store);
        let (mut seen, mut seen_today) = (0, 0);
        for day in [
            "2026-06-01",
            "2026-11-21",
            // The day of the date set for the first case: due today, not overdue.
            "2027-01-15",
            "2027-01-16",
            "2027-06-01",
            "2029-01-01",
        ] {
            let now =
                chrono::DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+09:00")).unwrap();
            let mut store = Store::open(&path, Clock::fixed(now)).unwrap();
            // The rules shipped, and a user's config changing every interval they have.
            let shipped = CaseRules::builtin().clone();
            let kinds: Vec<String> = store
                .conn()
                .prepare("SELECT DISTINCT kind FROM bodies")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let changed = shipped.with_override(&crate::domain::case::RulesOverride {
                months: Some(2),
                high: Some(1),
                medium: Some(5),
                low: Some(24),
                kinds: kinds
                    .iter()
                    .enumerate()
                    .map(|(i, k)| crate::domain::case::KindOverride {
                        kind: k.clone(),
                        review_months: Some(1 + (i as u32 * 5) % 13),
                        ledger: None,
                    })
                    .collect(),
            });
            for rules in [shipped, changed] {
                store.set_rules(rules);
                let counts = store.review_counts().unwrap();
                assert_eq!(counts, by_the_ledger(&store), "{day}");
                assert_eq!(store.overdue_reviews().unwrap(), counts.overdue, "{day}");
                seen += counts.overdue.iter().map(|(_, n)| n).sum::<usize>();
                seen_today += counts.today.iter().map(|(_, n)| n).sum::<usize>();
            }
        }
        assert!(seen > 3, "{seen}");
        assert!(seen_today > 0, "{seen_today}");
    }

    /// The first base not reviewed before a day is the bound of the bases that are: for every
    /// interval the rules allow and days at the ends of months (where a shorter month clamps),
    /// each base of three years around is before the bound exactly when its review date is
    /// before the day.
    #[test]
    fn the_first_base_not_before_a_day_bounds_the_bases_reviewed_before_it() {
        let rules = CaseRules::builtin();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        for day in [
            d(2026, 3, 1),
            d(2026, 2, 28),
            d(2024, 2, 29),
            d(2026, 3, 31),
            d(2026, 11, 21),
        ] {
            for months in [1, 2, 3, 6, 11, 12, 24, 120] {
                let review_date =
                    |base: NaiveDate| rules.review_date_for(base, None, None, Some(months));
                let bound = first_base_not_before(day, review_date);
                let mut base = day - chrono::Days::new(365 * 11);
                while base <= day + chrono::Days::new(365) {
                    assert_eq!(
                        review_date(base) < day,
                        base < bound,
                        "{day} {months} months: {base} (bound {bound})"
                    );
                    base = base.succ_opt().unwrap();
                }
            }
        }
    }
}
