//! Cases (事例) in the store: the case record (one per pseudonym in a ward), its household, its
//! support plan with every revision, the cases a meeting discusses, closure and reopening, and
//! the reads the ledger, the case screen and the case record take.
//!
//! What a meeting said of a case stays what it said: each case a meeting discusses keeps, with
//! the meeting, the case's fields and plan as they stood after it (`meeting_cases`); a change
//! made at the meeting, or before it is held, updates them, a change made later does not — the
//! minutes of a held meeting never change behind its back.

/// The day a case's next review date was set (SQL, the case aliased `c`): the Japan-time day
/// of its last change, or — set at a meeting, a review or the case form opened from it — that
/// meeting's date when later (a date typed in the setup of the 12-10 meeting was set at 12-10:
/// that meeting held does not override it). "A date set holds until a meeting on a later day
/// discusses the case" compares this day; the ledger, `--due`, the home and the case record
/// read it here, the report's history takes the same day (`store::report`).
macro_rules! review_set_on {
    () => {
        "(SELECT max(date(julianday(x.at) + 0.375), COALESCE(xm.date, ''))
          FROM case_changes x LEFT JOIN meetings xm ON xm.id = x.meeting_id
          WHERE x.case_id = c.id AND x.entity = 'case' AND x.field = 'next_review'
          ORDER BY julianday(x.at) DESC, x.id DESC LIMIT 1)"
    };
}

/// The Japan-time day a case `c` was last reopened (its status changed from an ending to a
/// followed status: [`crate::domain::case::CaseStatus::reopens`], which a test checks this
/// against), by the latest instant: what the ledger's row and the home's overdue counts read.
macro_rules! reopened_on {
    () => {
        "(SELECT date(MAX(julianday(x.at)) + 0.375) FROM case_changes x
          WHERE x.case_id = c.id AND x.entity = 'case' AND x.field = 'status'
            AND x.old_value IN ('closed', 'suspended', 'transferred')
            AND x.new_value IN ('open', 'active', 'monitoring'))"
    };
}

mod export;
mod legacy;
mod listing;
pub(crate) mod merge;
mod read;
mod record;
mod review;
mod stale;
mod write;

pub use listing::{LedgerEntry, LedgerQuery, LedgerText};
pub use read::{
    CaseDetail, CaseRow, LedgerFilter, MeetingCase, OpenCaseAction, ReviewBody, ReviewCounts,
    TimelineEntry,
};
pub use review::{CaseReview, ReviewDraft, ReviewItem};
pub use stale::Seen;
pub use write::{CaseEdit, Closure, Linked, Loaded, NewCase};

pub(crate) use export::{Form as CaseForm, case_record, elide_only_case, links as meeting_links};
pub(crate) use legacy::{Mode as LinkMode, link_all, link_by_pseudonym, settle};
pub(crate) use read::capture_case;
pub(crate) use review::review_records;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError};
use crate::domain::case::{CaseStatus, Consent};

/// A case's fields as a row holds them, read for a change or a snapshot.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fields {
    pub pseudonym: String,
    pub status: CaseStatus,
    pub referred_by: Option<String>,
    pub lead_agency: Option<String>,
    pub key_person: String,
    pub consent: Consent,
    pub consent_date: Option<String>,
    pub risk: String,
    pub urgency: String,
    pub policy: String,
    pub next_review: Option<String>,
    pub opened: Option<String>,
}

pub(crate) fn read_fields(conn: &Connection, case: i64) -> Result<Fields> {
    conn.prepare_cached(
        "SELECT c.pseudonym, c.status, r.name, l.name, c.key_person, c.consent, c.consent_date,
                c.risk, c.urgency, c.policy, c.next_review, c.opened
         FROM cases c LEFT JOIN agencies r ON r.id = c.referred_by
         LEFT JOIN agencies l ON l.id = c.lead_agency WHERE c.id = ?1",
    )?
    .query_row([case], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get::<_, String>(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
            r.get(10)?,
            r.get(11)?,
        ))
    })
    .optional()?
    .map(|row| {
        Ok(Fields {
            pseudonym: row.0,
            status: code(&row.1)?,
            referred_by: row.2,
            lead_agency: row.3,
            key_person: row.4,
            consent: code(&row.5)?,
            consent_date: row.6,
            risk: row.7,
            urgency: row.8,
            policy: row.9,
            next_review: row.10,
            opened: row.11,
        })
    })
    .ok_or_else(|| not_found(case))?
}

pub(crate) fn code<T: std::str::FromStr<Err = String>>(text: &str) -> Result<T> {
    text.parse().map_err(StoreError::Invalid)
}

pub(crate) fn not_found(case: i64) -> StoreError {
    crate::i18n::Msg::new("case_not_found")
        .with("reference", case)
        .into()
}

/// Where a change of a case is made: the case, the meeting it is made at (if any), when and by
/// whom; `record` keeps one change in `case_changes`.
pub(crate) struct CaseChange<'a> {
    conn: &'a Connection,
    now: &'a str,
    user: &'a str,
    case: i64,
    meeting: Option<i64>,
}

impl<'a> CaseChange<'a> {
    pub fn at(
        conn: &'a Connection,
        now: &'a str,
        user: &'a str,
        case: i64,
        meeting: Option<i64>,
    ) -> CaseChange<'a> {
        CaseChange {
            conn,
            now,
            user,
            case,
            meeting,
        }
    }

    /// One change: of the case's own fields (`entity` "case", no uid: the case's), a member, a
    /// revision of the plan (their uid), or what a meeting keeps of the case.
    pub fn record(
        &self,
        entity: &str,
        entity_uid: Option<String>,
        field: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO case_changes (case_id, meeting_id, meeting_uid, at, by, entity,
                                           entity_uid, field, old_value, new_value)
                 VALUES (?1, ?2, (SELECT uid FROM meetings WHERE id = ?2), ?3, ?4, ?5,
                         COALESCE(?6, (SELECT uid FROM cases WHERE id = ?1)), ?7, ?8, ?9)",
            )?
            .execute(params![
                self.case,
                self.meeting,
                self.now,
                self.user,
                entity,
                entity_uid,
                field,
                old,
                new
            ])?;
        Ok(())
    }
}

/// Brings what meetings keep of a case up to the case as it is now: at the meeting the change
/// was made at (`at`), and at every meeting of the case not held yet — never at a meeting held
/// since (its minutes say what was decided there) nor one whose minutes are approved.
pub(crate) fn refresh_snapshots(conn: &Connection, case: i64, at: Option<i64>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE meeting_cases SET
             status = c.status, lead_agency = c.lead_agency, key_person = c.key_person,
             risk = c.risk, urgency = c.urgency, policy = c.policy, consent = c.consent,
             plan_id = (SELECT p.id FROM case_plans p WHERE p.case_id = c.id
                        ORDER BY p.created_at DESC, p.id DESC LIMIT 1)
         FROM cases c
         WHERE c.id = meeting_cases.case_id AND meeting_cases.case_id = ?1
           AND meeting_cases.deleted_at IS NULL
           AND meeting_cases.meeting_id IN (
               SELECT m.id FROM meetings m
               WHERE m.minutes_state = 'draft'
                 AND (m.id IS ?2 OR (m.status = 'planned' AND m.ended_at IS NULL)))",
    )?
    .execute(params![case, at])?;
    Ok(())
}

/// The case a reference names: its number, its uid, or its pseudonym (any width, spaces
/// aside) in this database's ward, else in any ward when only one has it.
pub(crate) fn find(conn: &Connection, reference: &str) -> Result<Option<i64>> {
    find_for(conn, reference, None)
}

/// [`find`], a pseudonym read as a case of the ward `ward` only when one is given (in a city,
/// every ward may have its `A1世帯`: at a ward's meeting the name is that ward's household).
fn find_for(conn: &Connection, reference: &str, ward: Option<i64>) -> Result<Option<i64>> {
    let r = reference.trim();
    if r.is_empty() {
        return Ok(None);
    }
    // `#12` is case number 12 and nothing else.
    let (explicit, r) = match r.strip_prefix('#') {
        Some(n) => (true, n.trim()),
        None => (false, r),
    };
    if let Some(id) = by_number(conn, r)? {
        // A ward that names its cases by number (事例番号): the pseudonym `2` of another case
        // makes `2` two cases, never guessed (the command lists both).
        if !explicit && number_beside_pseudonym(conn, r)?.is_some() {
            return Ok(None);
        }
        return Ok(Some(id));
    }
    if explicit {
        return Ok(None);
    }
    if let Ok(uid) = uuid::Uuid::parse_str(r)
        && let Some(id) = conn
            .prepare_cached("SELECT id FROM cases WHERE uid = ?1")?
            .query_row([uid.to_string()], |row| row.get(0))
            .optional()?
    {
        return Ok(Some(id));
    }
    let ids = named(conn, r)?;
    if let Some(ward) = ward {
        return Ok(ids.iter().find(|(_, w)| *w == ward).map(|(id, _)| *id));
    }
    Ok(match ids.as_slice() {
        [] => None,
        [(id, _)] => Some(*id),
        several => several
            .iter()
            .find(|(_, ward)| *ward == super::ward::HOME)
            .map(|(id, _)| *id),
    })
}

/// The cases (id, ward) whose pseudonym is `reference` in any width, spacing or letter case
/// (`j1世帯` and `Ｊ１世帯` are J1世帯): the exact key first, and only without one the key
/// without case.
/// The case whose renkei number `reference` is, if it is one.
fn by_number(conn: &Connection, reference: &str) -> Result<Option<i64>> {
    let Ok(n) = reference.parse::<i64>() else {
        return Ok(None);
    };
    Ok(conn
        .prepare_cached("SELECT id FROM cases WHERE id = ?1")?
        .query_row([n], |row| row.get(0))
        .optional()?)
}

/// The case `reference` numbers when another case's pseudonym is `reference` too (`2`).
fn number_beside_pseudonym(conn: &Connection, reference: &str) -> Result<Option<i64>> {
    let Some(id) = by_number(conn, reference)? else {
        return Ok(None);
    };
    let other = named(conn, reference)?
        .iter()
        .any(|(other, _)| *other != id);
    Ok(other.then_some(id))
}

fn named(conn: &Connection, reference: &str) -> Result<Vec<(i64, i64)>> {
    let key = crate::domain::case::pseudonym_key(reference);
    for sql in [
        "SELECT id, ward_id FROM cases WHERE pseudonym_key = ?1 ORDER BY ward_id, id",
        "SELECT id, ward_id FROM cases WHERE pseudonym_key = ?1 COLLATE NOCASE ORDER BY ward_id, id",
    ] {
        let ids: Vec<(i64, i64)> = conn
            .prepare_cached(sql)?
            .query_map([&key], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if !ids.is_empty() {
            return Ok(ids);
        }
    }
    Ok(Vec::new())
}

impl super::Store {
    /// The case a reference names (number, uid or pseudonym), if any.
    pub fn find_case(&self, reference: &str) -> Result<Option<i64>> {
        find(self.conn(), reference)
    }

    /// The ward a meeting belongs to: its body's.
    pub fn meeting_ward(&self, meeting: i64) -> Result<i64> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT b.ward_id FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1",
            )?
            .query_row([meeting], |row| row.get(0))?)
    }

    /// Puts the case `reference` names (its number, uid, or pseudonym — a pseudonym read in
    /// the meeting's ward) on the meeting and makes it the case discussed, opening a case of
    /// that pseudonym in the meeting's ward when the ward has none: at 都島区's meeting `A1世帯`
    /// is 都島区's household, never 福島区's nor a new case of the city's own. Done with the
    /// case's id.
    pub fn link_case_named(&mut self, meeting: i64, reference: &str) -> Result<i64> {
        let ward = self.meeting_ward(meeting)?;
        let case = match find_for(self.conn(), reference, Some(ward))? {
            Some(case) => case,
            None => self.create_case_in(
                ward,
                &NewCase {
                    pseudonym: reference.trim().to_owned(),
                    ..NewCase::default()
                },
            )?,
        };
        self.link_case(meeting, case)?;
        self.set_current_case(meeting, Some(case))?;
        Ok(case)
    }

    /// Every case a pseudonym names, with its ward's name and code (a city whose wards use
    /// the same pseudonym), in the order of the wards.
    pub fn cases_named(&self, reference: &str) -> Result<Vec<(i64, String, Option<String>)>> {
        let mut out = Vec::new();
        for (id, ward) in named(self.conn(), reference.trim())? {
            let w = super::ward::ward_record(self.conn(), ward)?;
            out.push((id, w.name, w.code));
        }
        Ok(out)
    }

    /// The case a number names besides the cases whose pseudonym it is (`2`: case number 2, and
    /// the ward's case named 2), with its pseudonym, when both exist: [`Store::find_case`] then
    /// guesses neither.
    pub fn case_number_beside_pseudonym(&self, reference: &str) -> Result<Option<(i64, String)>> {
        let Some(id) = number_beside_pseudonym(self.conn(), reference.trim())? else {
            return Ok(None);
        };
        let pseudonym = self
            .conn()
            .prepare_cached("SELECT pseudonym FROM cases WHERE id = ?1")?
            .query_row([id], |row| row.get(0))?;
        Ok(Some((id, pseudonym)))
    }
}

/// Why a new case's pseudonym cannot be used besides its own household's names: it holds a
/// person the database recorded (`Store::recorded_people`), read into `cell` the first time an
/// import asks.
pub(crate) fn recorded_problem(
    conn: &Connection,
    cell: &std::cell::RefCell<Option<crate::cases::RecordedNames>>,
    pseudonym: &str,
) -> Result<Option<crate::i18n::Msg>> {
    let mut cell = cell.borrow_mut();
    if cell.is_none() {
        let people = crate::store::recorded::people(conn)?;
        *cell = Some(crate::cases::RecordedNames::new(&people));
    }
    Ok(cell.as_mut().and_then(|r| r.problem(pseudonym)))
}

#[cfg(test)]
mod reopened_tests {
    use crate::domain::case::CaseStatus;

    /// The SQL of a reopening says what [`CaseStatus::reopens`] says, for every pair of
    /// statuses: the one rule, in the one language the database needs it in too.
    #[test]
    fn the_reopening_in_sql_is_the_domains() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE cases (id INTEGER PRIMARY KEY);
             CREATE TABLE case_changes (case_id INTEGER, entity TEXT, field TEXT, old_value TEXT,
                                        new_value TEXT, at TEXT);",
        )
        .unwrap();
        let mut id = 0;
        for &from in CaseStatus::ALL {
            for &to in CaseStatus::ALL {
                id += 1;
                conn.execute("INSERT INTO cases (id) VALUES (?1)", [id])
                    .unwrap();
                conn.execute(
                    "INSERT INTO case_changes VALUES (?1, 'case', 'status', ?2, ?3,
                                                     '2026-03-31T15:30:00Z')",
                    rusqlite::params![id, from.code(), to.code()],
                )
                .unwrap();
                let day: Option<String> = conn
                    .query_row(
                        concat!("SELECT ", reopened_on!(), " FROM cases c WHERE c.id = ?1"),
                        [id],
                        |r| r.get(0),
                    )
                    .unwrap();
                let expected = CaseStatus::reopens(from, to).then(|| "2026-04-01".to_owned());
                assert_eq!(day, expected, "{from:?} → {to:?}");
            }
        }
    }
}
