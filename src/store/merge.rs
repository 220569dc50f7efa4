//! How an import writes a document without destroying anything (issue 13, "imports never
//! destroy"):
//! - a record with a uid the database holds is that record: it is updated only when the database
//!   still has what the file's export saw, or a copy from an import nobody changed here
//!   ([`decide`]); content identical is never a conflict;
//! - entries the file does not have (captured after the export) are kept, never deleted;
//! - a meeting without a uid (hand-made JSON, a meeting book) that meets one of the same body,
//!   date and start time replaces it only if that one came from an import and nothing of it was
//!   changed here since;
//! - approved minutes are never changed by an import;
//! - everything else that cannot be written is a [`Conflict`], and the caller refuses the import
//!   as a whole (or, asked to, skips those records and lists them).
//!
//! Every record is decided whole before anything of it is written, so that a skipped meeting is
//! left exactly as it was.

use rusqlite::{Connection, OptionalExtension, ToSql, params};
use std::collections::HashMap;
use uuid::Uuid;

use super::bodies::{
    FoldedBodies, agency_by_name, body_by_key, confidential_by_default, find_body_in, history_held,
    insert_agency, insert_body, insert_history, link_parent, optional_agency_id, read_agency,
    read_body, read_history, write_agency, write_body, write_history,
};
use super::cases::merge::{Cases, Pending, Resolver, case_id};
use super::cases::{LinkMode, link_by_pseudonym};
use super::identity::{
    Decision, Held, decide, decide_captured, kept_rev, new_rev, new_uid, said, set_keeping_rev,
    uid_column,
};
use super::minutes::{Change, record_change};
use super::record::{Form, read_meeting};
use super::schema::CASE_OF_MEETING;
use super::summary::{Conflict, Counts, ImportSummary, Outcome};
use super::ward::{self, HOME};
use super::{Result, StoreError, cached};
use crate::domain::model::{EntryKind, MeetingStatus, MinutesState};
use crate::i18n::{Msg, Words};
use crate::interchange::cases::CaseReviewRecord;
use crate::interchange::{
    ActionRecord, AgencyRecord, AgendaRecord, AttendeeRecord, BodyRecord, CaseRecord, ChangeRecord,
    Document, EntryRecord, ExternalId, HistoryRecord, IssueRecord, MeetingRecord, ReviewRecord,
    RoleRecord, TemplateRecord,
};
use crate::text::{fold_name, trim_blanks};

/// One import in progress, inside the caller's transaction. What it must remember until the end
/// (links to records named later in the files) waits in a temporary table, not in memory: a
/// ward's export holds a million records.
pub(crate) struct Importer<'c> {
    conn: &'c Connection,
    now: String,
    user: String,
    pub summary: ImportSummary,
    /// What the case references of the document being written name.
    resolver: Resolver,
    /// The file being written (its name), for the errors of its cases.
    file: String,
    /// Whether to list each body and meeting added or updated (a dry run prints them).
    log: bool,
    /// The people the database recorded, read the first time a new case's pseudonym is checked
    /// against them (once an import, not once a record).
    recorded: std::cell::RefCell<Option<crate::cases::RecordedNames>>,
    /// The agencies the meetings' rows named so far, by name (up to [`AGENCIES_KEPT`]): forgotten
    /// when a document's head may rename one, and when a file's reading is rolled back.
    agencies: HashMap<String, i64>,
    /// The bodies of the wards looked in for a body named another way than it is stored (read
    /// once an import, not once a body): forgotten when a file's reading is rolled back.
    bodies: FoldedBodies,
    /// The longest pseudonym of the database's cases, once read (see [`Importer::fits`]).
    pseudonym: Option<usize>,
    /// The audit line of the import, written into every row whose author and time the file
    /// gives (schema step 26, `origin`); `None` for a writer that is no import.
    pub origin: Option<i64>,
}

/// What the export may write of an entry of a meeting beyond what it holds as compact JSON (a
/// uid, an author, a time, a revision, each line indented), and of a meeting beyond its entries.
const PER_ENTRY: usize = 1024;
const PER_MEETING: usize = 64 * 1024;

/// The most agency names an import keeps looked up: a registry's agencies are a few hundred; a
/// file naming more (each a new agency) looks the others up each time.
const AGENCIES_KEPT: usize = 4096;

/// A link waiting for every record of the import: the row and column it is written to, the
/// table and uid it names. Where in which file it was read ([`Link::at`]) stays in the table
/// until an error names it: a file's name is as long as the system lets it be (4 KB), a
/// sheet's as long as its file says, and a page of links held a thousand of them.
struct Link {
    key: i64,
    table: String,
    column: String,
    row: i64,
    target: String,
    uid: String,
}

/// The most links [`Importer::finish`] reads at once: at most a few hundred bytes each (two
/// names of the code's and a uid).
const LINKS_PAGE: i64 = 1000;

impl Link {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Link> {
        Ok(Link {
            key: r.get(0)?,
            table: r.get(1)?,
            column: r.get(2)?,
            row: r.get(3)?,
            target: r.get(4)?,
            uid: r.get(5)?,
        })
    }

    /// The bytes the link holds in memory.
    #[cfg(test)]
    fn held(&self) -> usize {
        std::mem::size_of::<Link>()
            + self.table.capacity()
            + self.column.capacity()
            + self.target.capacity()
            + self.uid.capacity()
    }

    /// The links waiting after `last`, up to [`LINKS_PAGE`] of them.
    fn after(conn: &Connection, last: i64) -> Result<Vec<Link>> {
        Ok(conn
            .prepare_cached(
                "SELECT rowid, row_table, row_column, row_id, target, uid
                 FROM temp.import_links WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
            )?
            .query_map([last, LINKS_PAGE], Link::from_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Where the link was read (`w.json: meetings[3].actions[1]`), for the error naming it.
    fn at(&self, conn: &Connection) -> Result<String> {
        Ok(conn.query_row(
            "SELECT at FROM temp.import_links WHERE rowid = ?1",
            [self.key],
            |r| r.get(0),
        )?)
    }
}

/// The table of the continuations of actions (schema step 8).
const REVIEWS: &str = "action_reviews";

/// The most bodies and meetings a summary lists by name: a dry run of a whole ward's export says
/// how many more there were instead of listing fifty thousand lines.
pub const LOG_LIMIT: usize = 1000;

/// What a document's meetings need of its head: the ward, the wards it names, its bodies (as the
/// file gives them, and the rows they went to) and the bodies by name.
pub(crate) struct Head {
    ward: i64,
    wards: HashMap<Uuid, i64>,
    bodies: Vec<BodyRecord>,
    rows: Vec<(i64, Written)>,
    by_name: HashMap<String, Vec<usize>>,
}

impl Head {
    /// The document's own bodies named `name` (and organised by `organiser`, when given).
    fn named<'h>(
        &'h self,
        name: &str,
        organiser: Option<&'h str>,
    ) -> impl Iterator<Item = &'h (i64, Written)> + 'h {
        self.by_name
            .get(&fold_name(name))
            .into_iter()
            .flatten()
            .filter(move |&&i| {
                organiser.is_none_or(|o| fold_name(&self.bodies[i].organiser) == fold_name(o))
            })
            .map(|&i| &self.rows[i])
    }
}

/// Where a record is: the file and its JSON path (or a meeting book's line).
#[derive(Clone)]
struct Place<'a> {
    file: &'a str,
    at: String,
    /// A meeting book's row: its fields are named `line N: meeting.body`.
    line: bool,
}

impl Place<'_> {
    fn conflict(&self, record: Words, reason: Words) -> Conflict {
        Conflict {
            file: self.file.to_owned(),
            at: self.at.clone(),
            record,
            reason,
        }
    }

    fn invalid(&self, message: String) -> StoreError {
        StoreError::Invalid(format!("{}: {}: {message}", self.file, self.at))
    }

    /// An error about one field of the record: `meetings[0].body: …`.
    fn invalid_field(&self, field: &str, message: String) -> StoreError {
        let path = if self.line {
            format!("{}: meeting.{field}", self.at)
        } else {
            format!("{}.{field}", self.at)
        };
        StoreError::Invalid(format!("{}: {path}: {message}", self.file))
    }
}

impl<'c> Importer<'c> {
    /// An import; `log` lists each body and meeting it adds or updates (up to [`LOG_LIMIT`]).
    pub fn new(conn: &'c Connection, now: String, user: String, log: bool) -> Result<Importer<'c>> {
        conn.execute_batch(
            "DROP TABLE IF EXISTS temp.import_links;
             CREATE TEMP TABLE import_links (
                 row_table TEXT NOT NULL, row_column TEXT NOT NULL, row_id INTEGER NOT NULL,
                 target TEXT NOT NULL, uid TEXT NOT NULL, at TEXT NOT NULL);
             DROP TABLE IF EXISTS temp.import_new_meetings;
             CREATE TEMP TABLE import_new_meetings (id INTEGER PRIMARY KEY);
             DROP TABLE IF EXISTS temp.import_keyless;
             CREATE TEMP TABLE import_keyless (id INTEGER PRIMARY KEY, place TEXT NOT NULL);",
        )?;
        Ok(Importer {
            conn,
            now,
            user,
            summary: ImportSummary::default(),
            resolver: Resolver::default(),
            file: String::new(),
            log,
            recorded: std::cell::RefCell::new(None),
            agencies: HashMap::new(),
            bodies: FoldedBodies::default(),
            pseudonym: None,
            origin: None,
        })
    }

    /// What the import has left to link at its end, so far.
    pub(crate) fn pending(&self) -> Pending {
        self.resolver.pending()
    }

    /// Forgets what was left to link since `mark` (a file's first reading, rolled back).
    pub(crate) fn forget_since(&mut self, mark: Pending) {
        self.resolver.forget_since(mark);
        self.agencies.clear();
        self.bodies.forget();
    }

    /// Lists a body or meeting added or updated, when asked to and below [`LOG_LIMIT`]; `what`
    /// names it (only then: naming a meeting reads it again).
    fn log(&mut self, outcome: Outcome, what: impl FnOnce(&Self) -> Result<Words>) -> Result<()> {
        if !self.log {
            return Ok(());
        }
        if self.summary.log.len() < LOG_LIMIT {
            let what = what(self)?;
            self.summary.log.push((outcome, what));
        } else {
            self.summary.log_omitted += 1;
        }
        Ok(())
    }

    fn cases(&self) -> Cases<'_> {
        Cases {
            conn: self.conn,
            now: &self.now,
            user: &self.user,
            file: &self.file,
            log: self.log.then_some(LOG_LIMIT),
            recorded: &self.recorded,
            fit_renamed: super::record_size::fit_naming,
        }
    }

    /// A meeting that names its case only by pseudonym (and no case of its own) is linked to
    /// that case, made when the ward has none.
    fn link_named_case(&self, place: &Place, meeting: i64, m: &MeetingRecord) -> Result<()> {
        if !m.cases.is_empty() || m.case.trim().is_empty() {
            return Ok(());
        }
        let linked: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM meeting_cases WHERE meeting_id = ?1)")?
            .query_row([meeting], |r| r.get(0))?;
        if !linked {
            let mode = LinkMode::Link(&self.recorded);
            link_by_pseudonym(self.conn, &self.now, &self.user, meeting, mode)
                .map_err(|e| place.invalid_field("case", message(e)))?;
        }
        Ok(())
    }

    /// Writes one document; `places` (a meeting book's: `line 12`, `R2!B12`) name its meetings.
    pub fn document(
        &mut self,
        file: &str,
        doc: &Document,
        places: Option<&[String]>,
    ) -> Result<()> {
        let head = self.head(file, doc)?;
        for (i, m) in doc.meetings.iter().enumerate() {
            let (at, line) = match places.and_then(|p| p.get(i)) {
                Some(place) => (place.clone(), true),
                None => (format!("meetings[{i}]"), false),
            };
            self.meeting_at(&head, &Place { file, at, line }, m)?;
        }
        self.changes(file, &doc.changes)
    }

    /// Writes everything of a document its meetings need first: its wards, agencies, bodies,
    /// yearly counts and agenda templates.
    pub fn head(&mut self, file: &str, doc: &Document) -> Result<Head> {
        // Its agencies may rename one the meetings named before.
        self.agencies.clear();
        let (ward, wards) = self.wards(file, doc)?;
        for (i, a) in doc.agencies.iter().enumerate() {
            let place = Place {
                file,
                at: format!("agencies[{i}]"),
                line: false,
            };
            self.agency(&place, a)?;
        }
        let mut head = Head {
            ward,
            wards,
            bodies: doc.bodies.clone(),
            rows: Vec::with_capacity(doc.bodies.len()),
            by_name: HashMap::new(),
        };
        for (i, b) in doc.bodies.iter().enumerate() {
            head.by_name.entry(fold_name(&b.name)).or_default().push(i);
            let place = Place {
                file,
                at: format!("bodies[{i}]"),
                line: false,
            };
            let body_ward = match b.ward {
                Some(uid) => *head.wards.get(&uid).ok_or_else(|| {
                    place.invalid(crate::i18n::said(
                        "import_not_a_ward",
                        &[("uid", uid.to_string())],
                    ))
                })?,
                None => ward,
            };
            let row = self.body(&place, b, body_ward)?;
            head.rows.push(row);
        }
        for (i, b) in doc.bodies.iter().enumerate() {
            let place = Place {
                file,
                at: format!("bodies[{i}]"),
                line: false,
            };
            self.parent(&place, &head, i, b)?;
        }
        for (i, h) in doc.history.iter().enumerate() {
            let place = Place {
                file,
                at: format!("history[{i}]"),
                line: false,
            };
            let body = self
                .resolve_body(
                    &head,
                    ward,
                    h.body_uid.as_ref(),
                    &h.body,
                    h.organiser.as_deref(),
                )
                .map_err(|e| place.invalid_field("body", message(e)))?
                .ok_or_else(|| {
                    place.invalid(crate::i18n::said(
                        "import_not_a_body",
                        &[("body", h.body.clone())],
                    ))
                })?;
            self.history(&place, h, body)?;
        }
        self.templates(file, &doc.templates)?;
        self.recorded(&doc.recorded)?;
        self.file = file.to_owned();
        let mut summary = std::mem::take(&mut self.summary);
        let resolver = self.cases().write(&mut summary, doc, ward, &head.wards);
        self.summary = summary;
        // What the earlier files left to link is linked at the end too.
        let earlier = std::mem::take(&mut self.resolver);
        self.resolver = resolver?.after(earlier);
        Ok(head)
    }

    /// Writes case `index` of a JSON document whose head was written (the cases are streamed:
    /// a city's are never all in memory).
    pub fn case(&mut self, head: &Head, file: &str, index: usize, c: &CaseRecord) -> Result<()> {
        self.file = file.to_owned();
        let mut summary = std::mem::take(&mut self.summary);
        let mut resolver = std::mem::take(&mut self.resolver);
        let written = self.cases().write_one(
            &mut summary,
            &mut resolver,
            index,
            c,
            head.ward,
            &head.wards,
        );
        self.summary = summary;
        self.resolver = resolver;
        // A case written after the longest pseudonym was read may be longer.
        self.pseudonym = self.pseudonym.map(|n| n.max(c.pseudonym.len()));
        written
    }

    /// Adds a document's recorded texts to the database's (checked: a text and a known kind):
    /// what the exporting database masked stays masked here; nothing is taken out.
    pub fn recorded(&mut self, recorded: &[crate::interchange::RecordedText]) -> Result<()> {
        let mut add = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO recorded_texts (text, kind) VALUES (?1, ?2)")?;
        for r in recorded {
            add.execute([&r.text, &r.kind])?;
        }
        Ok(())
    }

    /// Writes a document's agenda templates.
    pub fn templates(&mut self, file: &str, templates: &[TemplateRecord]) -> Result<()> {
        for (i, t) in templates.iter().enumerate() {
            replace_template(self.conn, t).map_err(|e| {
                StoreError::Invalid(format!("{file}: templates[{i}]: {}", message(e)))
            })?;
            self.summary.templates += 1;
        }
        Ok(())
    }

    /// Writes meeting `index` of a JSON document whose head was written.
    pub fn meeting(
        &mut self,
        head: &Head,
        file: &str,
        index: usize,
        m: &MeetingRecord,
    ) -> Result<()> {
        let place = Place {
            file,
            at: format!("meetings[{index}]"),
            line: false,
        };
        self.meeting_at(head, &place, m)
    }

    /// Writes a meeting of a meeting book, read at `place` (`line 12`, `R2!B12`), whose file's
    /// head was written.
    pub fn book_meeting(
        &mut self,
        head: &Head,
        file: &str,
        place: String,
        m: &MeetingRecord,
    ) -> Result<()> {
        let place = Place {
            file,
            at: place,
            line: true,
        };
        self.meeting_at(head, &place, m)
    }

    fn meeting_at(&mut self, head: &Head, place: &Place, m: &MeetingRecord) -> Result<()> {
        // Approved minutes are a held meeting's (the store's rule, `refuse_unholding_approved`).
        if m.minutes == MinutesState::Approved && m.status != MeetingStatus::Held {
            let said = crate::i18n::said(
                "import_approved_not_held",
                &[("status", m.status.code().to_owned())],
            );
            return Err(place.invalid_field("status", said));
        }
        let body = self
            .resolve_body(
                head,
                head.ward,
                m.body_uid.as_ref(),
                &m.body,
                m.body_organiser.as_deref(),
            )
            .map_err(|e| place.invalid_field("body", message(e)))?
            .ok_or_else(|| {
                let said = crate::i18n::said("import_not_a_body", &[("body", m.body.clone())]);
                place.invalid_field("body", said)
            })?;
        let body_ward: i64 = self
            .conn
            .prepare_cached("SELECT ward_id FROM bodies WHERE id = ?1")?
            .query_row([body], |r| r.get(0))?;
        let m = self
            .cases()
            .normalize(&self.resolver, body_ward, &place.at, m)?;
        self.meeting_of(place, &m, body)?;
        self.fits(place, &m, body)
    }

    /// Refuses meeting `m` (just written) when its export would be past one record of the
    /// import, naming where it was read (`meetings[3]`): the database would hold a meeting its
    /// own export cannot bring back (attack report 7, finding 19). A meeting read from 16 MB of
    /// a file may well export as more: the export writes a uid, an author and a time for each
    /// entry a hand-made file gave as a string, the case's pseudonym where the file gave its
    /// uid, the body's name where it gave the body's uid, and indents every line. Most meetings
    /// are said to fit by what they hold as compact JSON with a generous allowance for each of
    /// those; only the others are read and written again as the export does.
    fn fits(&mut self, place: &Place, m: &MeetingRecord, body: i64) -> Result<()> {
        let refs = m.cases.len()
            + m.case_reviews.len()
            + m.issues.len()
            + usize::from(!m.case.trim().is_empty());
        let pseudonym = match refs {
            0 => 0,
            _ => self.longest_pseudonym()?,
        };
        let named = match m.body.is_empty() {
            true => self
                .conn
                .prepare_cached(
                    "SELECT length(CAST(name AS BLOB)) + length(CAST(organiser AS BLOB))
                     FROM bodies WHERE id = ?1",
                )?
                .query_row([body], |r| r.get::<_, i64>(0))
                .optional()?
                .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)),
            false => 0,
        };
        let estimate = super::record_size::compact_bytes(m)
            .saturating_add(
                (crate::interchange::check::entries(m) + m.changes.len() + refs)
                    .saturating_mul(PER_ENTRY),
            )
            .saturating_add(refs.saturating_mul(6).saturating_mul(pseudonym))
            .saturating_add(named.saturating_mul(6))
            .saturating_add(PER_MEETING);
        if estimate <= crate::limits::record_bytes() {
            return Ok(());
        }
        let id = match &m.uid {
            Some(uid) => meeting_id_by_uid(self.conn, uid)?,
            None => self
                .conn
                .prepare_cached("SELECT id FROM temp.import_keyless WHERE place = ?1")?
                .query_row([format!("{}: {}", place.file, place.at)], |r| r.get(0))
                .optional()?,
        };
        // A meeting in conflict was not written.
        let Some(id) = id else { return Ok(()) };
        match super::record_size::meeting_over(self.conn, id)? {
            None => Ok(()),
            Some(bytes) => Err(place.invalid(
                Msg::new("import_meeting_too_large")
                    .with("size", crate::limits::size(bytes))
                    .with("limit", crate::limits::size(crate::limits::record_bytes()))
                    .to_string(),
            )),
        }
    }

    /// The longest pseudonym of a case in the database (in bytes), read once an import and
    /// kept up as cases are written.
    fn longest_pseudonym(&mut self) -> Result<usize> {
        if let Some(n) = self.pseudonym {
            return Ok(n);
        }
        let n: i64 = self.conn.query_row(
            "SELECT COALESCE(max(length(CAST(pseudonym AS BLOB))), 0) FROM cases",
            [],
            |r| r.get(0),
        )?;
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        self.pseudonym = Some(n);
        Ok(n)
    }

    /// Writes the changes of meetings no longer in the database that the file keeps.
    pub fn changes(&mut self, file: &str, changes: &[ChangeRecord]) -> Result<()> {
        for (i, c) in changes.iter().enumerate() {
            self.change(file, i, c)?;
        }
        Ok(())
    }

    /// Writes change `index` of the document's list, unless the database holds it already.
    pub fn change(&mut self, file: &str, index: usize, c: &ChangeRecord) -> Result<()> {
        let Some(uid) = c.uid else { return Ok(()) };
        let exists: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM changes WHERE uid = ?1)")?
            .query_row([uid.to_string()], |r| r.get(0))?;
        if !exists {
            let meeting = match c.meeting_uid {
                Some(m) => meeting_id_by_uid(self.conn, &m)?,
                None => None,
            };
            // The document's list holds the changes of meetings no longer in the database; one
            // of a meeting the database holds would be written into that meeting's record
            // (its approved minutes too) from outside it (attack report 6, finding 13).
            if let (Some(_), Some(uid)) = (meeting, c.meeting_uid) {
                return Err(StoreError::Invalid(format!(
                    "{file}: changes[{index}].meeting_uid: {}",
                    crate::i18n::said(
                        "import_change_of_a_held_meeting",
                        &[("uid", uid.to_string())]
                    )
                )));
            }
            insert_change(self.conn, meeting, c.meeting_uid.as_ref(), c, self.origin).map_err(
                |e| StoreError::Invalid(format!("{file}: changes[{index}]: {}", message(e))),
            )?;
        }
        Ok(())
    }

    /// Links that name records written later in the import, and changes that name their record
    /// by uid only: resolved once everything is written.
    pub fn finish(&mut self) -> Result<()> {
        self.resolver.finish(self.conn)?;
        let mut last = 0;
        loop {
            // A page at a time, so that no statement reads the table while it is written.
            let page = Link::after(self.conn, last)?;
            let Some(end) = page.last().map(|l| l.key) else {
                break;
            };
            last = end;
            for link in page {
                let found: Option<i64> = self
                    .conn
                    .prepare_cached(&format!("SELECT id FROM {} WHERE uid = ?1", link.target))?
                    .query_row([&link.uid], |r| r.get(0))
                    .optional()?;
                if link.table == REVIEWS {
                    // A continuation names the meeting it was made at; it has no revision.
                    let Some(target) = found else {
                        return Err(StoreError::Invalid(format!(
                            "{}.meeting: {}",
                            link.at(self.conn)?,
                            crate::i18n::said(
                                "import_no_meeting_uid",
                                &[("uid", link.uid.clone())]
                            )
                        )));
                    };
                    // Written by this import (it was not here when the continuation was): no
                    // approved minutes of this database are changed.
                    cached(
                        self.conn,
                        "UPDATE action_reviews SET meeting_id = ?2 WHERE id = ?1",
                        params![link.row, target],
                    )?;
                    continue;
                }
                let Some(target) = found else {
                    return Err(StoreError::Invalid(format!(
                        "{}: {}: {}",
                        link.at(self.conn)?,
                        link.column,
                        crate::i18n::said("import_no_record_uid", &[("uid", link.uid.clone())])
                    )));
                };
                set_keeping_rev(self.conn, &link.table, &link.column, link.row, &target)?;
            }
        }
        self.conn.execute_batch(
            "DROP TABLE temp.import_links; DROP TABLE temp.import_new_meetings;
                 DROP TABLE temp.import_keyless",
        )?;
        self.conn.execute_batch(
            "UPDATE changes SET entity_id = CASE entity
                WHEN 'meeting' THEN (SELECT id FROM meetings WHERE uid = changes.entity_uid)
                WHEN 'attendee' THEN (SELECT id FROM attendees WHERE uid = changes.entity_uid)
                WHEN 'agenda_item' THEN (SELECT id FROM agenda_items WHERE uid = changes.entity_uid)
                WHEN 'agenda_entry' THEN (SELECT id FROM agenda_entries WHERE uid = changes.entity_uid)
                WHEN 'role_assignment' THEN (SELECT id FROM role_assignments WHERE uid = changes.entity_uid)
                WHEN 'next_action' THEN (SELECT id FROM next_actions WHERE uid = changes.entity_uid)
                WHEN 'case_issue' THEN (SELECT id FROM case_issues WHERE uid = changes.entity_uid)
             END
             WHERE entity_id IS NULL AND entity_uid IS NOT NULL;",
        )?;
        Ok(())
    }

    /// The document's ward (this database's own for a hand-made file) and its other wards.
    fn wards(&mut self, file: &str, doc: &Document) -> Result<(i64, HashMap<Uuid, i64>)> {
        let mut known = HashMap::new();
        let named = |at: String| {
            move |e: StoreError| StoreError::Invalid(format!("{file}: {at}: {}", message(e)))
        };
        let own = match &doc.ward {
            Some(w) => {
                let (id, added) =
                    ward::resolve(self.conn, w, true).map_err(named("ward".to_owned()))?;
                self.summary.wards_added += usize::from(added);
                if let Some(uid) = w.uid {
                    known.insert(uid, id);
                }
                id
            }
            None => HOME,
        };
        for (i, w) in doc.wards.iter().enumerate() {
            let (id, added) =
                ward::resolve(self.conn, w, false).map_err(named(format!("wards[{i}]")))?;
            self.summary.wards_added += usize::from(added);
            if let Some(uid) = w.uid {
                known.insert(uid, id);
            }
        }
        Ok((own, known))
    }

    fn agency(&mut self, place: &Place, a: &AgencyRecord) -> Result<()> {
        let by_uid = match &a.uid {
            Some(uid) => Held::by_uid(self.conn, "agencies", uid)?,
            None => None,
        };
        let (held, same_record) = match by_uid {
            Some(h) => (Some(h), true),
            None => (agency_by_name(self.conn, &a.name)?, a.uid.is_none()),
        };
        let Some(held) = held else {
            let uid = a.uid.unwrap_or_else(new_uid);
            insert_agency(self.conn, a, &uid, kept_rev(a.rev, None))?;
            self.summary.agencies.added += 1;
            return Ok(());
        };
        let db = read_agency(self.conn, held.id)?;
        if same_agency(&db, a) {
            self.summary.agencies.unchanged += 1;
            return Ok(());
        }
        let blank = db.kind.is_empty() && db.sites.is_none() && db.note.is_empty();
        if !same_record && !blank {
            // Another record under the same name (another ward's agency): this database's stays.
            self.summary.kept.push(format!(
                "{}: {}: agency '{}' kept as this database has it",
                place.file, place.at, a.name
            ));
            return Ok(());
        }
        let decision = if blank {
            Decision::Update {
                rev: match a.rev {
                    Some(r) if r != held.rev => kept_rev(Some(r), Some(held.rev)),
                    _ => new_rev(Some(held.rev)),
                },
                imported: true,
            }
        } else {
            decide(&held, a.rev)
        };
        match decision {
            Decision::Update { rev, imported } => {
                if trim_blanks(&a.name) != db.name {
                    let named = "m.referred_by = ?1 OR m.lead_agency = ?1
                        OR EXISTS (SELECT 1 FROM attendees t WHERE t.meeting_id = m.id AND t.agency_id = ?1)
                        OR EXISTS (SELECT 1 FROM role_assignments r WHERE r.meeting_id = m.id AND r.agency_id = ?1)
                        OR EXISTS (SELECT 1 FROM next_actions n WHERE n.agency_id = ?1
                                   AND (n.meeting_id = m.id OR n.closed_in = m.id))
                        OR EXISTS (SELECT 1 FROM meeting_cases k WHERE k.meeting_id = m.id
                                   AND (k.lead_agency = ?1 OR EXISTS (SELECT 1 FROM case_plan_items p
                                        WHERE p.plan_id = k.plan_id AND p.agency_id = ?1)))
                        OR EXISTS (SELECT 1 FROM case_reviews r
                                   WHERE r.meeting_id = m.id AND r.lead_agency = ?1)
                        -- an action of an earlier meeting the minutes list as carried over
                        -- (record12: of the body, or of a case discussed; a superset)
                        OR EXISTS (SELECT 1 FROM next_actions n JOIN meetings o ON o.id = n.meeting_id
                                   WHERE n.agency_id = ?1 AND o.date <= m.date
                                     AND (o.body_id = m.body_id OR n.case_id IN (
                                          SELECT k.case_id FROM meeting_cases k
                                          WHERE k.meeting_id = m.id)))";
                    if let Some(meeting) = approved_naming(self.conn, named, held.id)? {
                        let reason = approved_unchanged(&self.label(meeting)?);
                        self.summary
                            .conflicts
                            .push(place.conflict(agency_record(&db.name), reason));
                        return Ok(());
                    }
                    if let Some(other) = agency_by_name(self.conn, &a.name)?
                        && other.id != held.id
                    {
                        self.summary.conflicts.push(
                            place.conflict(
                                agency_record(&db.name),
                                Msg::new("conflict_renamed_to_other_agency")
                                    .with("name", &a.name)
                                    .into(),
                            ),
                        );
                        return Ok(());
                    }
                }
                write_agency(self.conn, held.id, a, rev, imported)?;
                if trim_blanks(&a.name) != db.name {
                    fit_renamed(place, self.conn, "agencies", held.id)?;
                }
                self.summary.agencies.updated += 1;
            }
            Decision::Unchanged => self.summary.agencies.unchanged += 1,
            Decision::Conflict(reason) => self
                .summary
                .conflicts
                .push(place.conflict(agency_record(&a.name), reason)),
        }
        Ok(())
    }

    /// Writes (or finds) one body of a ward; returns its row and whether this import wrote it.
    fn body(&mut self, place: &Place, b: &BodyRecord, ward: i64) -> Result<(i64, Written)> {
        let held = match &b.uid {
            Some(uid) => match Held::by_uid(self.conn, "bodies", uid)? {
                Some(h) => Some(h),
                None => body_by_key(self.conn, &mut self.bodies, ward, &b.name, &b.organiser)?,
            },
            None => body_by_key(self.conn, &mut self.bodies, ward, &b.name, &b.organiser)?,
        };
        let Some(held) = held else {
            let uid = b.uid.unwrap_or_else(new_uid);
            let id = insert_body(self.conn, &self.now, ward, b, &uid, kept_rev(b.rev, None))?;
            self.summary.bodies.added += 1;
            self.log(Outcome::Added, |_| {
                Ok(body_record("conflict_record_body", &b.name))
            })?;
            return Ok((id, Written::Yes));
        };
        let (db, db_ward, _) = read_body(self.conn, held.id)?;
        if db_ward == ward && same_body(&db, b) {
            self.summary.bodies.unchanged += 1;
            return Ok((held.id, Written::Unchanged));
        }
        if (db_ward != ward
            || db.name != trim_blanks(&b.name)
            || db.organiser != trim_blanks(&b.organiser))
            && let Some(other) =
                body_by_key(self.conn, &mut self.bodies, ward, &b.name, &b.organiser)?
            && other.id != held.id
        {
            self.summary.conflicts.push(
                place.conflict(
                    body_record("conflict_record_body", &db.name),
                    Msg::new("conflict_body_key_taken")
                        .with("name", &b.name)
                        .with("organiser", &b.organiser)
                        .into(),
                ),
            );
            return Ok((held.id, Written::No));
        }
        match decide(&held, b.rev) {
            Decision::Update { rev, imported } => {
                // What approved minutes of the body show of it and the import changes is an
                // amendment of each (record12: listed under 修正履歴, never a silent change).
                let shown = super::bodies::Shown::of(self.conn, held.id)?;
                write_body(self.conn, &self.now, held.id, ward, b, rev, imported)?;
                let (name, organiser) = (trim_blanks(&b.name), trim_blanks(&b.organiser));
                if db_ward != ward || db.name != name || db.organiser != organiser {
                    let now = (ward, name, organiser);
                    self.bodies.moved(held.id, (db_ward, &db.name), now);
                }
                if let Some(shown) = shown {
                    super::bodies::amend_approved_minutes(
                        self.conn, &self.now, &self.user, held.id, &shown,
                    )?;
                }
                if db.name != trim_blanks(&b.name) || db.organiser != trim_blanks(&b.organiser) {
                    fit_renamed(place, self.conn, "bodies", held.id)?;
                }
                self.summary.bodies.updated += 1;
                self.log(Outcome::Updated, |_| {
                    Ok(body_record("conflict_record_body", &b.name))
                })?;
                Ok((held.id, Written::Yes))
            }
            Decision::Unchanged => Ok((held.id, Written::Unchanged)),
            Decision::Conflict(reason) => {
                self.summary
                    .conflicts
                    .push(place.conflict(body_record("conflict_record_body", &b.name), reason));
                Ok((held.id, Written::No))
            }
        }
    }

    fn parent(&mut self, place: &Place, head: &Head, i: usize, b: &BodyRecord) -> Result<()> {
        let parent_name = b
            .parent
            .as_deref()
            .map(trim_blanks)
            .filter(|p| !p.is_empty());
        if parent_name.is_none() && b.parent_uid.is_none() {
            return Ok(());
        }
        let (id, written) = head.rows[i];
        if written == Written::No {
            return Ok(());
        }
        let ward: i64 =
            self.conn
                .query_row("SELECT ward_id FROM bodies WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        let name = parent_name.unwrap_or_default();
        let parent = self
            .resolve_body(
                head,
                ward,
                b.parent_uid.as_ref(),
                name,
                b.parent_organiser.as_deref(),
            )
            .map_err(|e| place.invalid(format!("parent: {}", message(e))))?
            .ok_or_else(|| {
                place.invalid(crate::i18n::said(
                    "import_parent_not_a_body",
                    &[("name", name.to_owned())],
                ))
            })?;
        let current: Option<i64> =
            self.conn
                .query_row("SELECT parent_id FROM bodies WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        if current == Some(parent) {
            return Ok(());
        }
        if creates_cycle(self.conn, id, parent)? {
            return Err(place.invalid(crate::i18n::said(
                "import_parent_cycle",
                &[("name", name.to_owned())],
            )));
        }
        if written == Written::Unchanged {
            // The body's content is as the file says, but not its parent: the same rule.
            let held = Held::by_id(self.conn, "bodies", id)?
                .ok_or_else(|| place.invalid(crate::i18n::said("import_body_vanished", &[])))?;
            match decide(&held, b.rev) {
                Decision::Update { rev, imported } => {
                    cached(
                        self.conn,
                        "UPDATE bodies SET rev = ?2, imported_rev = CASE WHEN ?3 THEN ?2 ELSE imported_rev END WHERE id = ?1",
                        params![id, rev, imported],
                    )?;
                    self.summary.bodies.unchanged = self.summary.bodies.unchanged.saturating_sub(1);
                    self.summary.bodies.updated += 1;
                }
                Decision::Unchanged => {}
                Decision::Conflict(reason) => {
                    self.summary.conflicts.push(
                        place.conflict(body_record("conflict_record_body_parent", &b.name), reason),
                    );
                    return Ok(());
                }
            }
        }
        link_parent(self.conn, id, Some(parent))
    }

    /// A body named in a document: by uid; else one of the document's own bodies when the name
    /// (and organiser, if given) picks exactly one of them; else one of the ward's in the database.
    fn resolve_body(
        &mut self,
        head: &Head,
        ward: i64,
        uid: Option<&Uuid>,
        name: &str,
        organiser: Option<&str>,
    ) -> Result<Option<i64>> {
        if let Some(uid) = uid
            && let Some(held) = Held::by_uid(self.conn, "bodies", uid)?
        {
            return Ok(Some(held.id));
        }
        let organiser = organiser.map(trim_blanks).filter(|o| !o.is_empty());
        let mut own = head.named(name, organiser);
        if let (Some(&(id, _)), None) = (own.next(), own.next()) {
            return Ok(Some(id));
        }
        find_body_in(self.conn, &mut self.bodies, ward, name, organiser)
    }

    fn history(&mut self, place: &Place, h: &HistoryRecord, body: i64) -> Result<()> {
        let Some((held, db_body, db_year)) =
            history_held(self.conn, h.uid.as_ref(), body, h.fiscal_year)?
        else {
            let uid = h.uid.unwrap_or_else(new_uid);
            insert_history(self.conn, body, h, &uid, kept_rev(h.rev, None))?;
            self.summary.history.added += 1;
            return Ok(());
        };
        let db = read_history(self.conn, db_body, db_year)?;
        if db_body == body
            && db.fiscal_year == h.fiscal_year
            && db.meetings == h.meetings
            && db.note == h.note
        {
            self.summary.history.unchanged += 1;
            return Ok(());
        }
        let record: Words = Msg::new("conflict_record_history")
            .with("body", &h.body)
            .with("year", h.fiscal_year)
            .into();
        if (db_body, db_year) != (body, h.fiscal_year)
            && history_held(self.conn, None, body, h.fiscal_year)?.is_some()
        {
            self.summary
                .conflicts
                .push(place.conflict(record, said("conflict_history_taken")));
            return Ok(());
        }
        match decide(&held, h.rev) {
            Decision::Update { rev, imported } => {
                write_history(self.conn, held.id, body, h, rev, imported)?;
                self.summary.history.updated += 1;
            }
            Decision::Unchanged => self.summary.history.unchanged += 1,
            Decision::Conflict(reason) => {
                self.summary.conflicts.push(place.conflict(record, reason))
            }
        }
        Ok(())
    }

    fn meeting_of(&mut self, place: &Place, m: &MeetingRecord, body: i64) -> Result<()> {
        // A record that does not say whether it is confidential (a meeting book has no column
        // for it; a hand-made file may leave it out) is as confidential as a meeting scheduled
        // in renkei for that body would be.
        let said;
        let m = if m.confidential.is_none() {
            let mut record = m.clone();
            record.confidential = Some(
                crate::domain::basis::closed_by_law(&m.basis)
                    || confidential_by_default(self.conn, body)?,
            );
            said = record;
            &said
        } else {
            m
        };
        if let Some(uid) = &m.uid {
            // A meeting with a uid is that meeting, or a new one: two meetings of a body may
            // well share a date and time (the file says so), so its date says nothing.
            return match Held::by_uid(self.conn, "meetings", uid)? {
                Some(held) => self.merge_same(place, m, body, held),
                None => self.insert_new(place, m, body).map(|_| ()),
            };
        }
        match self.same_key(m, body)? {
            Some(held) => {
                self.once(place, held.id, m)?;
                self.replace(place, m, body, held)
            }
            None => {
                let id = self.insert_new(place, m, body)?;
                self.once(place, id, m)
            }
        }
    }

    /// Refuses a second record without a uid naming a meeting an earlier one of this import
    /// wrote (two files, or two records of one file): the second would silently replace the
    /// first. The meetings written so far, and where their records were, are in a temporary
    /// table (a meeting book's fifty thousand rows are not held: attack report 7, finding 25);
    /// a file read again forgets its first reading's with its savepoint.
    /// The message says what made them one: the file's id of the meeting (`id`: two meetings
    /// of one id), else the body and date, with the start or without one (attack on the
    /// imports, 2026-12-05: it said "body, date and start", in English, of two meetings of one
    /// id on two days, and asked for a start time they had).
    fn once(&mut self, place: &Place, meeting: i64, m: &MeetingRecord) -> Result<()> {
        let first: Option<String> = self
            .conn
            .prepare_cached("SELECT place FROM temp.import_keyless WHERE id = ?1")?
            .query_row([meeting], |r| r.get(0))
            .optional()?;
        if let Some(first) = first {
            let said = match (&m.id, &m.start) {
                (Some(id), _) => Msg::new("import_same_meeting_id").with("id", id),
                (None, Some(start)) => Msg::new("import_same_meeting_start").with("start", start),
                (None, None) => Msg::new("import_same_meeting_day"),
            };
            return Err(place.invalid(said.with("first", first).to_string()));
        }
        self.conn
            .prepare_cached("INSERT INTO temp.import_keyless (id, place) VALUES (?1, ?2)")?
            .execute(rusqlite::params![
                meeting,
                format!("{}: {}", place.file, place.at)
            ])?;
        Ok(())
    }

    /// A meeting of the same body with the file's external reference, else on the same date and
    /// start time (and no other external reference): a record without a uid collides with it.
    fn same_key(&self, m: &MeetingRecord, body: i64) -> Result<Option<Held>> {
        if let Some(id) = &m.id {
            let found = self
                .conn
                .prepare_cached(
                    "SELECT id, rev, imported_rev FROM meetings
                     WHERE body_id = ?1 AND (ext_ref = ?2 OR ext_ref = ?3)
                     ORDER BY id LIMIT 1",
                )?
                .query_row(params![body, ext_ref(id), twin_ref(id)], Held::from_row)
                .optional()?;
            if found.is_some() {
                return Ok(found);
            }
        }
        // A meeting another external reference names is another meeting, whatever its date.
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, rev, imported_rev FROM meetings
                 WHERE body_id = ?1 AND date = ?2 AND start_time IS ?3
                   AND (?4 IS NULL OR ext_ref IS NULL OR ext_ref = ?4 OR ext_ref = ?5)
                 ORDER BY id LIMIT 1",
            )?
            .query_row(
                params![
                    body,
                    m.date,
                    m.start,
                    m.id.as_ref().map(ext_ref),
                    m.id.as_ref().and_then(twin_ref)
                ],
                Held::from_row,
            )
            .optional()?)
    }

    /// `会議 5（支援会議、2026-11-03 14:00）`: the meeting a conflict meets.
    fn label(&self, id: i64) -> Result<Words> {
        let (body, when): (String, String) = self.conn.query_row(
            "SELECT b.name, m.date || COALESCE(' ' || m.start_time, '')
             FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Msg::new("conflict_record_meeting")
            .with("id", id)
            .with("body", body)
            .with("when", when)
            .into())
    }

    /// A new meeting: written whole, keeping the file's number as its id when it is free.
    fn insert_new(&mut self, place: &Place, m: &MeetingRecord, body: i64) -> Result<i64> {
        let wanted = match m.id {
            Some(ExternalId::Number(n)) if n > 0 && !meeting_exists(self.conn, n)? => Some(n),
            _ => None,
        };
        let uid = m.uid.unwrap_or_else(new_uid);
        let rev = kept_rev(m.rev, None);
        let id = self
            .insert_meeting_row(wanted, body, m, &uid, rev)
            .map_err(|e| taken(place, "", &uid, e))?;
        cached(
            self.conn,
            "INSERT INTO temp.import_new_meetings (id) VALUES (?1)",
            [id],
        )?;
        self.cases().insert_links(id, m)?;
        self.summary.case_reviews.added += self.cases().insert_reviews(id, m)?;
        self.link_named_case(place, id, m)?;
        self.write_children(place, id, m)?;
        self.reviews(place, id, m)?;
        if m.minutes == MinutesState::Approved {
            // Minutes approved elsewhere, new to this database: taken as the file says, and
            // audited as an approval the file reports, not one given here.
            let (at, by) = approval_columns(m);
            cached(
                self.conn,
                "INSERT INTO audit (at, by, action, meeting_id, detail)
                 VALUES (?1, ?2, 'import_approval', ?3, ?4)",
                params![
                    self.now,
                    self.user,
                    id,
                    format!(
                        "{}: {}: minutes approved by '{by}' at {} according to the file (not approved in this database)",
                        place.file,
                        place.at,
                        at.unwrap_or_default()
                    )
                ],
            )?;
        }
        self.summary.meetings.added += 1;
        self.log(Outcome::Added, |i| i.label(id))?;
        Ok(id)
    }

    /// A meeting the database holds (found by uid): what differs is decided record by record;
    /// what the file does not have is kept.
    fn merge_same(
        &mut self,
        place: &Place,
        m: &MeetingRecord,
        body: i64,
        held: Held,
    ) -> Result<()> {
        let Some(db) = read_meeting(self.conn, held.id, Form::Export)? else {
            return Ok(());
        };
        if db.minutes != MinutesState::Approved && m.minutes == MinutesState::Approved {
            let record = self.label(held.id)?;
            self.summary
                .conflicts
                .push(place.conflict(record, never_approves()));
            return Ok(());
        }
        let db_body: i64 = self
            .conn
            .prepare_cached("SELECT body_id FROM meetings WHERE id = ?1")?
            .query_row([held.id], |r| r.get(0))?;
        let mut plan = Plan::default();
        if db_body != body || !same_own(&db, m) {
            // A meeting begun here holds what was captured at it (its times, status, record);
            // one still running is changed by no file: a colleague's import cancelled or ended
            // a meeting being held, and the screens holding it never knew (round 32b, finding 1).
            // A copy of an import's that was running where it came from runs nowhere here: a
            // newer export of it (ended there) updates it.
            let decision = match (&db.started_at, &db.ended_at) {
                (Some(_), None) if !held.unchanged_since_import() => {
                    Decision::Conflict(said("conflict_meeting_running"))
                }
                (Some(_), None) => decide(&held, m.rev),
                (Some(_), Some(_)) => decide_captured(&held, m.rev),
                (None, _) => decide(&held, m.rev),
            };
            match decision {
                Decision::Update { rev, imported } => {
                    plan.own = Some((rev, imported));
                    plan.changes.extend(own_differences(held.id, &db, m));
                }
                Decision::Unchanged => {}
                Decision::Conflict(reason) => plan.conflict(String::new(), reason),
            }
            plan.first_difference(String::new());
        }
        plan_children(self.conn, &mut plan, held.id, &db, m)?;
        let links = self.cases().plan_links(held.id, m)?;
        if links.changes_anything() {
            plan.first_difference("cases".to_owned());
        }
        plan.conflicts.extend(links.conflicts.iter().cloned());
        let reviews = self.cases().plan_reviews(held.id, m)?;
        // Whether the meeting itself changes (its case reviews are counted as themselves).
        let meeting_changes = plan.changes_anything();
        if reviews.changes_anything() {
            plan.first_difference("case_reviews".to_owned());
        }
        plan.conflicts.extend(reviews.conflicts.iter().cloned());
        // Its label (a query) only where it is said: most meetings of an import into a database
        // that holds them are unchanged.
        if db.minutes == MinutesState::Approved && plan.changes_anything() {
            let record = self.label(held.id)?;
            let reason = match plan.first.clone().unwrap_or_default() {
                at if at.is_empty() => said("conflict_approved_fields_differ"),
                at => Msg::new("conflict_approved_differs").with("at", at).into(),
            };
            self.summary.conflicts.push(place.conflict(record, reason));
            return Ok(());
        }
        if !plan.conflicts.is_empty() {
            let record = self.label(held.id)?;
            for (at, reason) in plan.conflicts {
                let mut p = place.clone();
                if !at.is_empty() {
                    p.at = format!("{}.{at}", place.at);
                }
                self.summary
                    .conflicts
                    .push(p.conflict(record.clone(), reason));
            }
            return Ok(());
        }
        // The meeting's case reviews are counted as themselves, not as a change of the meeting.
        let (added, updated) = self.cases().apply_reviews(held.id, m, &reviews)?;
        let counts = &mut self.summary.case_reviews;
        counts.added += added;
        counts.updated += updated;
        counts.unchanged += m.case_reviews.len().saturating_sub(added + updated);
        if !meeting_changes {
            self.summary.meetings.unchanged += 1;
            if reviews.changes_anything() {
                self.link_named_case(place, held.id, m)?;
            }
            return self.reviews(place, held.id, m);
        }
        let record = self.label(held.id)?;
        if let Some((rev, imported)) = plan.own {
            self.update_meeting_row(held.id, body, m, rev, imported, None)?;
        }
        self.cases().apply_links(held.id, m, &links)?;
        self.link_named_case(place, held.id, m)?;
        self.apply(place, held.id, m, &plan)?;
        self.record(held.id, &plan.changes)?;
        self.reviews(place, held.id, m)?;
        self.summary.meetings.updated += 1;
        self.log(Outcome::Updated, |_| Ok(record))?;
        Ok(())
    }

    /// A meeting without a uid, colliding with one of the same body, date and start time (or
    /// external reference): identical is nothing to do; an unchanged copy from an import is
    /// replaced; anything made, edited or approved here is a conflict.
    fn replace(&mut self, place: &Place, m: &MeetingRecord, body: i64, held: Held) -> Result<()> {
        let Some(db) = read_meeting(self.conn, held.id, Form::Minutes)? else {
            return Ok(());
        };
        let record = self.label(held.id)?;
        if same_content(&db, m) {
            self.summary.meetings.unchanged += 1;
            return self.reviews(place, held.id, m);
        }
        if db.minutes == MinutesState::Approved {
            self.summary
                .conflicts
                .push(place.conflict(record, said("conflict_slot_approved")));
            return Ok(());
        }
        if m.minutes == MinutesState::Approved {
            self.summary
                .conflicts
                .push(place.conflict(record, never_approves()));
            return Ok(());
        }
        if !whole_meeting_unchanged_since_import(self.conn, held.id)? {
            let reason = said(if held.imported_rev.is_some() {
                "conflict_slot_changed"
            } else {
                "conflict_slot_captured"
            });
            self.summary.conflicts.push(place.conflict(record, reason));
            return Ok(());
        }
        // A copy nobody changed here may still hold what was captured in the database it came
        // from (a restored export: every record of it is an untouched copy): what the file
        // does not carry would be lost.
        let lost = lost_by_replacing(self.conn, held.id, &db, m)?;
        if !lost.is_empty() {
            let lost = Words::each(|lang| {
                let list: Vec<&str> = lost.iter().map(|w| w.get(lang)).collect();
                list.join(lang.pick("、", ", "))
            });
            self.summary.conflicts.push(place.conflict(
                record,
                Words::said("conflict_slot_lost", &[("lost", &lost)]),
            ));
            return Ok(());
        }
        let rev = match m.rev {
            Some(r) if r != held.rev => kept_rev(Some(r), Some(held.rev)),
            _ => new_rev(Some(held.rev)),
        };
        // The row keeps its uid and takes the file's external reference.
        self.record(held.id, &own_differences(held.id, &db, m))?;
        self.update_meeting_row(held.id, body, m, rev, true, m.id.as_ref().map(ext_ref))?;
        // Its rows are written again, perhaps with rowids the deleted ones had: the import
        // gives them their case at its end (`store::import::cases_again`).
        cached(
            self.conn,
            "INSERT OR IGNORE INTO temp.import_replaced (meeting_id) VALUES (?1)",
            [held.id],
        )?;
        for table in [
            "attendees",
            "agenda_items",
            "role_assignments",
            "next_actions",
            "case_issues",
            "case_reviews",
            "meeting_cases",
        ] {
            cached(
                self.conn,
                &format!("DELETE FROM {table} WHERE meeting_id = ?1"),
                [held.id],
            )?;
        }
        self.cases().insert_links(held.id, m)?;
        self.summary.case_reviews.added += self.cases().insert_reviews(held.id, m)?;
        self.link_named_case(place, held.id, m)?;
        self.write_children(place, held.id, m)?;
        self.reviews(place, held.id, m)?;
        self.summary.meetings.updated += 1;
        self.log(Outcome::Updated, |_| {
            Ok(Words::said("import_log_replaced", &[("record", &record)]))
        })?;
        Ok(())
    }

    fn insert_meeting_row(
        &mut self,
        id: Option<i64>,
        body: i64,
        m: &MeetingRecord,
        uid: &Uuid,
        rev: i64,
    ) -> Result<i64> {
        let content = MeetingColumns::of(self.conn, m, body)?;
        let uid = uid.to_string();
        let ext = m.id.as_ref().map(ext_ref);
        let by = or_user(&m.created_by, &self.user);
        let at = m.created_at.as_deref().unwrap_or(&self.now);
        let mut values = content.params();
        values.extend([
            (":id", &id as &dyn ToSql),
            (":uid", &uid),
            (":rev", &rev),
            (":ext_ref", &ext),
            (":created_by", &by),
            (":created_at", &at),
            (":now", &self.now),
            (":origin", &self.origin),
        ]);
        cached(
            self.conn,
            "INSERT INTO meetings (id, uid, rev, imported_rev, ext_ref, body_id, date, start_time,
                 end_time, place, status, started_at, ended_at, facilitator, recorder, confidential,
                 basis, supervisor, referred_by, case_ref, case_subject, lead_agency, key_person,
                 risk, urgency, support_policy, handouts, remaining_issues, next_meeting_date,
                 minutes_state, approved_at, approved_by, created_by, created_at, updated_at,
                 origin)
             VALUES (:id, :uid, :rev, :rev, :ext_ref, :body_id, :date, :start_time, :end_time,
                 :place, :status, :started_at, :ended_at, :facilitator, :recorder, :confidential,
                 :basis, :supervisor, :referred_by, :case_ref, :case_subject, :lead_agency,
                 :key_person, :risk, :urgency, :support_policy, :handouts, :remaining_issues,
                 :next_meeting_date, :minutes_state, :approved_at, :approved_by, :created_by,
                 :created_at, :now, :origin)",
            &values[..],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn update_meeting_row(
        &mut self,
        id: i64,
        body: i64,
        m: &MeetingRecord,
        rev: i64,
        imported: bool,
        ext: Option<String>,
    ) -> Result<()> {
        let content = MeetingColumns::of(self.conn, m, body)?;
        let mut values = content.params();
        values.extend([
            (":id", &id as &dyn ToSql),
            (":rev", &rev),
            (":imported", &imported),
            (":ext_ref", &ext),
            (":created_by", &m.created_by),
            (":created_at", &m.created_at),
            (":now", &self.now),
            (":origin", &self.origin),
        ]);
        cached(
            self.conn,
            "UPDATE meetings SET body_id = :body_id, date = :date, start_time = :start_time,
                 end_time = :end_time, place = :place, status = :status, started_at = :started_at,
                 ended_at = :ended_at, facilitator = :facilitator, recorder = :recorder,
                 confidential = :confidential, basis = :basis, supervisor = :supervisor,
                 referred_by = :referred_by, case_ref = :case_ref, case_subject = :case_subject,
                 lead_agency = :lead_agency, key_person = :key_person, risk = :risk,
                 urgency = :urgency, support_policy = :support_policy, handouts = :handouts,
                 remaining_issues = :remaining_issues, next_meeting_date = :next_meeting_date,
                 minutes_state = :minutes_state, approved_at = :approved_at,
                 approved_by = :approved_by,
                 created_by = CASE WHEN :created_by = '' THEN created_by ELSE :created_by END,
                 created_at = COALESCE(:created_at, created_at), updated_at = :now, rev = :rev,
                 origin = CASE WHEN :created_by = '' AND :created_at IS NULL THEN origin
                               ELSE :origin END,
                 imported_rev = CASE WHEN :imported THEN :rev ELSE imported_rev END,
                 ext_ref = COALESCE(:ext_ref, ext_ref)
             WHERE id = :id",
            &values[..],
        )?;
        Ok(())
    }

    /// Every record of a meeting written anew (a new meeting, or one replaced).
    fn write_children(&mut self, place: &Place, meeting: i64, m: &MeetingRecord) -> Result<()> {
        let mut plan = Plan::default();
        plan.inserts
            .extend((0..m.attendees.len()).map(Target::Attendee));
        for (i, item) in m.agenda.iter().enumerate() {
            plan.inserts.push(Target::Item(i));
            plan.inserts.extend(
                entry_order(item)
                    .into_iter()
                    .map(|(kind, j)| Target::Entry(i, kind, j)),
            );
        }
        plan.inserts.extend((0..m.roles.len()).map(Target::Role));
        plan.inserts
            .extend((0..m.actions.len()).map(Target::Action));
        plan.inserts.extend((0..m.issues.len()).map(Target::Issue));
        plan.inserts
            .extend((0..m.changes.len()).map(Target::Change));
        self.apply(place, meeting, m, &plan)
    }

    /// The agency named (made when the database has none of that name): looked up once an
    /// import, not once a row (an attendee, a role, an action each name one).
    fn agency_named(&mut self, name: Option<&str>) -> Result<Option<i64>> {
        let Some(name) = name.map(trim_blanks).filter(|n| !n.is_empty()) else {
            return Ok(None);
        };
        if let Some(&id) = self.agencies.get(name) {
            return Ok(Some(id));
        }
        let id = optional_agency_id(self.conn, Some(name))?;
        if let Some(id) = id
            && self.agencies.len() < AGENCIES_KEPT
        {
            self.agencies.insert(name.to_owned(), id);
        }
        Ok(id)
    }

    /// Writes what a plan decided, in the file's order.
    fn apply(&mut self, place: &Place, meeting: i64, m: &MeetingRecord, plan: &Plan) -> Result<()> {
        let mut items: HashMap<usize, i64> = plan.matched_items.clone();
        // A capture that names no case takes its meeting's, as the trigger `{table}_case` would
        // give it (the import sets those aside): here, as the row is written, rather than by a
        // second write of the row at the import's end (`store::import::cases_again`, which then
        // finds nothing left). The meeting's links are written before its captures.
        let mut meeting_case: Option<Option<i64>> = None;
        let mut case_of = |conn: &Connection, named: Option<&ExternalId>| -> Result<Option<i64>> {
            if let Some(case) = case_id(conn, named)? {
                return Ok(Some(case));
            }
            if let Some(case) = meeting_case {
                return Ok(case);
            }
            let case = conn
                .prepare_cached(CASE_OF_MEETING)?
                .query_row([meeting], |r| r.get(0))?;
            meeting_case = Some(case);
            Ok(case)
        };
        for &(target, id, rev, imported) in &plan.updates {
            self.update_child(place, m, target, id, rev, imported)?;
        }
        for &target in &plan.inserts {
            match target {
                Target::Attendee(i) => {
                    let a = &m.attendees[i];
                    let agency = self.agency_named(a.agency.as_deref())?;
                    let (uid, rev) = identity(a.uid, a.rev);
                    cached(
                        self.conn,
                        "INSERT INTO attendees (uid, rev, imported_rev, meeting_id, position, agency_id,
                             name, title, role, attendance, created_by, created_at, updated_at, deleted_at,
                             origin)
                         VALUES (?1, ?2, ?2, ?3,
                                 (SELECT COALESCE(MAX(position), 0) + 1 FROM attendees WHERE meeting_id = ?3),
                                 ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                        params![
                            uid,
                            rev,
                            meeting,
                            agency,
                            a.name,
                            a.title,
                            a.role.code(),
                            a.attendance.code(),
                            or_user(&a.by, &self.user),
                            a.at.as_deref().unwrap_or(&self.now),
                            self.now,
                            a.deleted_at,
                            self.origin
                        ],
                    )
                    .map_err(|e| taken(place, &format!("attendees[{i}]"), &uid, e))?;
                }
                Target::Item(i) => {
                    let item = &m.agenda[i];
                    let (uid, rev) = identity(item.uid, item.rev);
                    cached(
                        self.conn,
                        "INSERT INTO agenda_items (uid, rev, imported_rev, meeting_id, position, title,
                             planned_min, started_at, ended_at, created_by, created_at, updated_at, deleted_at)
                         VALUES (?1, ?2, ?2, ?3,
                                 (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = ?3),
                                 ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                        params![
                            uid,
                            rev,
                            meeting,
                            item.title,
                            item.planned_min,
                            item.started_at,
                            item.ended_at,
                            or_user(&item.by, &self.user),
                            item.at.as_deref().unwrap_or(&self.now),
                            self.now,
                            item.deleted_at
                        ],
                    )
                    .map_err(|e| taken(place, &format!("agenda[{i}]"), &uid, e))?;
                    items.insert(i, self.conn.last_insert_rowid());
                }
                Target::Entry(i, kind, j) => {
                    let Some(&item) = items.get(&i) else {
                        continue;
                    };
                    let e = entry(m, i, kind, j);
                    let (uid, rev) = identity(e.uid, e.rev);
                    let case = case_of(self.conn, e.case.as_ref())?;
                    cached(
                        self.conn,
                        "INSERT INTO agenda_entries (uid, rev, imported_rev, item_id, kind, text,
                             created_by, created_at, updated_at, deleted_at, case_id, origin)
                         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                        params![
                            uid,
                            rev,
                            item,
                            kind.code(),
                            e.text,
                            or_user(&e.by, &self.user),
                            e.at.as_deref().unwrap_or(&self.now),
                            self.now,
                            e.deleted_at,
                            case,
                            self.origin
                        ],
                    )
                    .map_err(|e| taken(place, &entry_path(i, kind, j), &uid, e))?;
                }
                Target::Role(i) => {
                    let r = &m.roles[i];
                    let agency = self.agency_named(r.agency.as_deref())?;
                    let (uid, rev) = identity(r.uid, r.rev);
                    let case = case_of(self.conn, r.case.as_ref())?;
                    cached(
                        self.conn,
                        "INSERT INTO role_assignments (uid, rev, imported_rev, meeting_id, agency_id,
                             responsibility, created_by, created_at, updated_at, deleted_at, case_id,
                             origin)
                         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                        params![
                            uid,
                            rev,
                            meeting,
                            agency,
                            r.role,
                            or_user(&r.by, &self.user),
                            r.at.as_deref().unwrap_or(&self.now),
                            self.now,
                            r.deleted_at,
                            case,
                            self.origin
                        ],
                    )
                    .map_err(|e| taken(place, &format!("roles[{i}]"), &uid, e))?;
                }
                Target::Action(i) => {
                    let a = &m.actions[i];
                    let agency = self.agency_named(a.agency.as_deref())?;
                    let (uid, rev) = identity(a.uid, a.rev);
                    let case = case_of(self.conn, a.case.as_ref())?;
                    cached(
                        self.conn,
                        "INSERT INTO next_actions (uid, rev, imported_rev, meeting_id, agency_id, text,
                             due_date, status, closed_at, created_by, created_at, updated_at, deleted_at,
                             case_id, origin)
                         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                        params![
                            uid,
                            rev,
                            meeting,
                            agency,
                            a.text,
                            a.due,
                            a.status.code(),
                            a.closed_at,
                            or_user(&a.by, &self.user),
                            a.at.as_deref().unwrap_or(&self.now),
                            self.now,
                            a.deleted_at,
                            case,
                            self.origin
                        ],
                    )
                    .map_err(|e| taken(place, &format!("actions[{i}]"), &uid, e))?;
                    let row = self.conn.last_insert_rowid();
                    self.link_action(place, row, i, a)?;
                }
                Target::Issue(i) => {
                    let issue = &m.issues[i];
                    let (uid, rev) = identity(issue.uid, issue.rev);
                    let case = case_of(self.conn, issue.case.as_ref())?;
                    cached(
                        self.conn,
                        "INSERT INTO case_issues (uid, rev, imported_rev, meeting_id, category,
                             created_by, created_at, deleted_at, case_id)
                         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![
                            uid,
                            rev,
                            meeting,
                            issue.category.trim(),
                            or_user(&issue.by, &self.user),
                            issue.at.as_deref().unwrap_or(&self.now),
                            issue.deleted_at,
                            case
                        ],
                    )
                    .map_err(|e| taken(place, &format!("issues[{i}]"), &uid, e))?;
                }
                Target::Change(i) => {
                    let uid: Option<String> = self
                        .conn
                        .prepare_cached("SELECT uid FROM meetings WHERE id = ?1")?
                        .query_row([meeting], |r| r.get(0))?;
                    let meeting_uid = uid.and_then(|u| Uuid::parse_str(&u).ok());
                    insert_change(
                        self.conn,
                        Some(meeting),
                        meeting_uid.as_ref(),
                        &m.changes[i],
                        self.origin,
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Keeps what an import changed in the meeting's record of changes, as every correction is.
    fn record(&self, meeting: i64, changes: &[Difference]) -> Result<()> {
        for d in changes {
            let change = Change {
                meeting_id: meeting,
                entity: d.entity,
                entity_id: d.id,
                field: &d.field,
                old: d.old.as_deref(),
                new: d.new.as_deref(),
            };
            record_change(self.conn, &self.now, &self.user, &change)?;
        }
        Ok(())
    }

    /// The continuations of the meeting's actions (written already) that the database lacks:
    /// added, their meeting linked now or, when it comes later in the files, at the end. One the
    /// database holds (by uid, else a continuation of the action alike in every field) is never
    /// overwritten: the same is nothing to do, another is a conflict.
    fn reviews(&mut self, place: &Place, meeting: i64, m: &MeetingRecord) -> Result<()> {
        for (i, a) in m.actions.iter().enumerate() {
            if a.reviews.is_empty() {
                continue;
            }
            let action = match a.uid {
                Some(uid) => self
                    .conn
                    .prepare_cached("SELECT id FROM next_actions WHERE uid = ?1")?
                    .query_row([uid.to_string()], |r| r.get(0))
                    .optional()?,
                None => self
                    .conn
                    .prepare_cached(
                        "SELECT id FROM next_actions WHERE meeting_id = ?1 AND text = ?2
                         ORDER BY deleted_at IS NOT NULL, id LIMIT 1",
                    )?
                    .query_row(params![meeting, a.text], |r| r.get::<_, i64>(0))
                    .optional()?,
            };
            let Some(action) = action else {
                return Err(place.invalid_field(
                    &format!("actions[{i}]"),
                    "the action continued is not in the database".to_owned(),
                ));
            };
            for (j, r) in a.reviews.iter().enumerate() {
                let at = format!("actions[{i}].reviews[{j}]");
                self.review(place, &at, action, r)?;
            }
        }
        Ok(())
    }

    fn review(&mut self, place: &Place, at: &str, action: i64, r: &ReviewRecord) -> Result<()> {
        let meeting = match r.meeting {
            Some(uid) => meeting_id_by_uid(self.conn, &uid)?,
            None => None,
        };
        let held: Option<(i64, ReviewRecord)> = match (r.uid, r.meeting, meeting) {
            (Some(uid), _, _) => self
                .conn
                .prepare_cached(
                    "SELECT r.action_id, m.uid, r.note, r.due_before, r.due_after
                     FROM action_reviews r LEFT JOIN meetings m ON m.id = r.meeting_id
                     WHERE r.uid = ?1",
                )?
                .query_row([uid.to_string()], held_review)
                .optional()?,
            // Without a uid, at a meeting not written yet: not one the database holds.
            (None, Some(_), None) => None,
            (None, _, _) => self
                .conn
                .prepare_cached(
                    "SELECT r.action_id, m.uid, r.note, r.due_before, r.due_after
                     FROM action_reviews r LEFT JOIN meetings m ON m.id = r.meeting_id
                     WHERE r.action_id = ?1 AND r.meeting_id IS ?2 AND r.note = ?3
                       AND r.due_before IS ?4 AND r.due_after IS ?5 LIMIT 1",
                )?
                .query_row(
                    params![action, meeting, r.note, r.due_before, r.due_after],
                    held_review,
                )
                .optional()?,
        };
        if let Some((held_action, h)) = held {
            let same = held_action == action
                && h.meeting == r.meeting
                && h.note == r.note
                && h.due_before == r.due_before
                && h.due_after == r.due_after;
            if same {
                self.summary.reviews.unchanged += 1;
            } else {
                let mut p = place.clone();
                p.at = format!("{}.{at}", place.at);
                let record = Msg::new("conflict_record_continuation")
                    .with("uid", r.uid.map(|u| u.to_string()).unwrap_or_default())
                    .into();
                self.summary
                    .conflicts
                    .push(p.conflict(record, said("conflict_continuation_differs")));
            }
            return Ok(());
        }
        if let Some(id) = meeting
            && let Some(reason) = self.approved_before(id)?
        {
            let mut p = place.clone();
            p.at = format!("{}.{at}", place.at);
            let record = self.label(id)?;
            self.summary.conflicts.push(p.conflict(record, reason));
            return Ok(());
        }
        let uid = r.uid.unwrap_or_else(new_uid).to_string();
        cached(
            self.conn,
            "INSERT INTO action_reviews (uid, action_id, meeting_id, note, due_before, due_after,
                 created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                uid,
                action,
                meeting,
                r.note,
                r.due_before,
                r.due_after,
                or_user(&r.by, &self.user),
                r.at.as_deref().unwrap_or(&self.now)
            ],
        )?;
        let row = self.conn.last_insert_rowid();
        if let (Some(uid), None) = (r.meeting, meeting) {
            cached(
                self.conn,
                "INSERT INTO temp.import_links (row_table, row_column, row_id, target, uid, at)
                 VALUES (?1, 'meeting_id', ?2, 'meetings', ?3, ?4)",
                params![
                    REVIEWS,
                    row,
                    uid.to_string(),
                    format!("{}: {}.{at}", place.file, place.at)
                ],
            )?;
        }
        self.summary.reviews.added += 1;
        Ok(())
    }

    /// Why a continuation new to the database cannot be made at meeting `id`: its minutes
    /// (which list the continuations made at it) were approved before this import.
    fn approved_before(&self, id: i64) -> Result<Option<Words>> {
        let approved: bool = self
            .conn
            .prepare_cached(
                "SELECT minutes_state = 'approved'
                        AND NOT EXISTS (SELECT 1 FROM temp.import_new_meetings n WHERE n.id = m.id)
                 FROM meetings m WHERE m.id = ?1",
            )?
            .query_row([id], |r| r.get(0))?;
        Ok(approved.then(|| said("conflict_continuation_approved")))
    }

    /// The meeting that closed an action and the action it continues, linked once every record
    /// of the import is written (either may come later in the files).
    fn link_action(&mut self, place: &Place, row: i64, i: usize, a: &ActionRecord) -> Result<()> {
        for (column, uid, target) in [
            ("closed_in", a.closed_in, "meetings"),
            ("carried_from", a.carried_from, "next_actions"),
        ] {
            if let Some(uid) = uid {
                cached(
                    self.conn,
                    "INSERT INTO temp.import_links (row_table, row_column, row_id, target, uid, at)
                     VALUES ('next_actions', ?1, ?2, ?3, ?4, ?5)",
                    params![
                        column,
                        row,
                        target,
                        uid.to_string(),
                        format!("{}: {}.actions[{i}]", place.file, place.at)
                    ],
                )?;
            }
        }
        Ok(())
    }

    fn update_child(
        &mut self,
        place: &Place,
        m: &MeetingRecord,
        target: Target,
        id: i64,
        rev: i64,
        imported: bool,
    ) -> Result<()> {
        match target {
            Target::Attendee(i) => {
                let a = &m.attendees[i];
                let agency = self.agency_named(a.agency.as_deref())?;
                cached(
                    self.conn,
                    "UPDATE attendees SET agency_id = ?2, name = ?3, title = ?4, role = ?5,
                         attendance = ?6, deleted_at = ?7, updated_at = ?8, rev = ?9,
                         imported_rev = CASE WHEN ?10 THEN ?9 ELSE imported_rev END
                     WHERE id = ?1",
                    params![
                        id,
                        agency,
                        a.name,
                        a.title,
                        a.role.code(),
                        a.attendance.code(),
                        a.deleted_at,
                        self.now,
                        rev,
                        imported
                    ],
                )?;
            }
            Target::Item(i) => {
                let item = &m.agenda[i];
                cached(
                    self.conn,
                    "UPDATE agenda_items SET title = ?2, planned_min = ?3, started_at = ?4,
                         ended_at = ?5, deleted_at = ?6, updated_at = ?7, rev = ?8,
                         imported_rev = CASE WHEN ?9 THEN ?8 ELSE imported_rev END
                     WHERE id = ?1",
                    params![
                        id,
                        item.title,
                        item.planned_min,
                        item.started_at,
                        item.ended_at,
                        item.deleted_at,
                        self.now,
                        rev,
                        imported
                    ],
                )?;
            }
            Target::Entry(i, kind, j) => {
                let e = entry(m, i, kind, j);
                cached(
                    self.conn,
                    "UPDATE agenda_entries SET kind = ?2, text = ?3, deleted_at = ?4, updated_at = ?5,
                         rev = ?6, imported_rev = CASE WHEN ?7 THEN ?6 ELSE imported_rev END,
                         case_id = COALESCE(?8, case_id)
                     WHERE id = ?1",
                    params![
                        id,
                        kind.code(),
                        e.text,
                        e.deleted_at,
                        self.now,
                        rev,
                        imported,
                        case_id(self.conn, e.case.as_ref())?
                    ],
                )?;
            }
            Target::Role(i) => {
                let r = &m.roles[i];
                let agency = self.agency_named(r.agency.as_deref())?;
                cached(
                    self.conn,
                    "UPDATE role_assignments SET agency_id = ?2, responsibility = ?3, deleted_at = ?4,
                         updated_at = ?5, rev = ?6,
                         imported_rev = CASE WHEN ?7 THEN ?6 ELSE imported_rev END,
                         case_id = COALESCE(?8, case_id)
                     WHERE id = ?1",
                    params![
                        id,
                        agency,
                        r.role,
                        r.deleted_at,
                        self.now,
                        rev,
                        imported,
                        case_id(self.conn, r.case.as_ref())?
                    ],
                )?;
            }
            Target::Action(i) => {
                let a = &m.actions[i];
                let agency = self.agency_named(a.agency.as_deref())?;
                let closed_in = match a.closed_in {
                    Some(uid) => meeting_id_by_uid(self.conn, &uid)?,
                    None => None,
                };
                cached(
                    self.conn,
                    "UPDATE next_actions SET agency_id = ?2, text = ?3, due_date = ?4, status = ?5,
                         closed_at = ?6, closed_in = ?7, deleted_at = ?8, updated_at = ?9, rev = ?10,
                         imported_rev = CASE WHEN ?11 THEN ?10 ELSE imported_rev END,
                         case_id = COALESCE(?12, case_id)
                     WHERE id = ?1",
                    params![
                        id,
                        agency,
                        a.text,
                        a.due,
                        a.status.code(),
                        a.closed_at,
                        closed_in,
                        a.deleted_at,
                        self.now,
                        rev,
                        imported,
                        case_id(self.conn, a.case.as_ref())?
                    ],
                )?;
                if a.closed_in.is_some() && closed_in.is_none() {
                    self.link_action(place, id, i, a)?;
                }
            }
            Target::Issue(i) => {
                let issue = &m.issues[i];
                cached(
                    self.conn,
                    "UPDATE case_issues SET category = ?2, deleted_at = ?3, rev = ?4,
                         imported_rev = CASE WHEN ?5 THEN ?4 ELSE imported_rev END,
                         case_id = COALESCE(?6, case_id)
                     WHERE id = ?1",
                    params![
                        id,
                        issue.category.trim(),
                        issue.deleted_at,
                        rev,
                        imported,
                        case_id(self.conn, issue.case.as_ref())?
                    ],
                )?;
            }
            Target::Change(_) => {}
        }
        Ok(())
    }
}

/// A meeting's own columns as a file gives them, for the insert and the update alike.
struct MeetingColumns<'m> {
    m: &'m MeetingRecord,
    body: i64,
    referred_by: Option<i64>,
    lead_agency: Option<i64>,
    approved_at: Option<String>,
    approved_by: String,
    status: &'static str,
    minutes: &'static str,
}

impl<'m> MeetingColumns<'m> {
    fn of(conn: &Connection, m: &'m MeetingRecord, body: i64) -> Result<MeetingColumns<'m>> {
        let (approved_at, approved_by) = approval_columns(m);
        Ok(MeetingColumns {
            m,
            body,
            referred_by: optional_agency_id(conn, m.referred_by.as_deref())?,
            lead_agency: optional_agency_id(conn, m.lead_agency.as_deref())?,
            approved_at,
            approved_by,
            status: m.status.code(),
            minutes: m.minutes.code(),
        })
    }

    fn params(&self) -> Vec<(&'static str, &dyn ToSql)> {
        let m = self.m;
        vec![
            (":body_id", &self.body),
            (":date", &m.date),
            (":start_time", &m.start),
            (":end_time", &m.end),
            (":place", &m.place),
            (":status", &self.status),
            (":started_at", &m.started_at),
            (":ended_at", &m.ended_at),
            (":facilitator", &m.facilitator),
            (":recorder", &m.recorder),
            (":confidential", &m.confidential),
            (":basis", &m.basis),
            (":supervisor", &m.supervisor),
            (":referred_by", &self.referred_by),
            (":case_ref", &m.case),
            (":case_subject", &m.case_subject),
            (":lead_agency", &self.lead_agency),
            (":key_person", &m.key_person),
            (":risk", &m.risk),
            (":urgency", &m.urgency),
            (":support_policy", &m.support_policy),
            (":handouts", &m.handouts),
            (":remaining_issues", &m.remaining_issues),
            (":next_meeting_date", &m.next_meeting),
            (":minutes_state", &self.minutes),
            (":approved_at", &self.approved_at),
            (":approved_by", &self.approved_by),
        ]
    }
}

/// Whether an import wrote a body: its parent is linked only then (or by the same rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    Yes,
    Unchanged,
    No,
}

/// A record of a meeting, by its place in the file's meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Attendee(usize),
    Item(usize),
    /// An entry of item `.0`: a note or a decision, by its index in that list.
    Entry(usize, EntryKind, usize),
    Role(usize),
    Action(usize),
    Issue(usize),
    Change(usize),
}

/// What an import will do to one meeting.
#[derive(Default)]
struct Plan {
    /// The meeting's own fields: the revision to write, and whether it stays a copy.
    own: Option<(i64, bool)>,
    updates: Vec<(Target, i64, i64, bool)>,
    inserts: Vec<Target>,
    /// Items of the file found in the database (for their new entries).
    matched_items: HashMap<usize, i64>,
    conflicts: Vec<(String, Words)>,
    /// The path of the first thing that differs, for the message about approved minutes.
    first: Option<String>,
    /// What the updates change, field by field, for the meeting's record of changes.
    changes: Vec<Difference>,
}

/// One field an import changes: kept in `changes` as every correction is.
struct Difference {
    entity: &'static str,
    id: i64,
    field: String,
    old: Option<String>,
    new: Option<String>,
}

/// The fields in which two records differ (their uid, revision and lists of records aside).
fn differences<T: serde::Serialize>(
    entity: &'static str,
    id: i64,
    old: &T,
    new: &T,
) -> Vec<Difference> {
    let as_map = |r: &T| match serde_json::to_value(r) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (old, new) = (as_map(old), as_map(new));
    let text = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    let mut fields: Vec<&String> = new.keys().collect();
    fields.extend(old.keys().filter(|k| !new.contains_key(*k)));
    fields
        .into_iter()
        // Who made a record and when is not rewritten by an update (nor its ids).
        .filter(|k| !matches!(k.as_str(), "uid" | "rev" | "id" | "by" | "at"))
        .filter(|k| {
            !k.starts_with("created")
                || new
                    .get(*k)
                    .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
        })
        .filter(|k| !new.get(*k).or(old.get(*k)).is_some_and(|v| v.is_array()))
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| Difference {
            entity,
            id,
            field: k.clone(),
            old: text(old.get(k)),
            new: text(new.get(k)),
        })
        .collect()
}

impl Plan {
    fn changes_anything(&self) -> bool {
        self.own.is_some()
            || !self.updates.is_empty()
            || !self.inserts.is_empty()
            || self.first.is_some()
    }

    fn conflict(&mut self, at: String, reason: Words) {
        self.conflicts.push((at, reason));
    }

    fn first_difference(&mut self, at: String) {
        if self.first.is_none() {
            self.first = Some(at);
        }
    }
}

/// A child record of a meeting, for matching the file's with the database's.
trait Child: serde::Serialize {
    const TABLE: &'static str;
    /// The name `changes` records it by.
    const ENTITY: &'static str;
    fn uid(&self) -> Option<Uuid>;
    fn rev(&self) -> Option<i64>;
    /// Equal in what the record says (its revision aside; who and when left out by the file are
    /// not differences).
    fn same(&self, held: &Self) -> bool;
    /// Equal in what the record says, ids and who and when aside (for records without a uid).
    fn alike(&self, held: &Self) -> bool;
}

fn meta_same(by: &str, at: &Option<String>, held_by: &str, held_at: &Option<String>) -> bool {
    (by.is_empty() || by == held_by) && (at.is_none() || at == held_at)
}

/// A [`Child`] of the record type `$t`: `$alike` says whether `a` (the file's) says what `h`
/// (the database's) says, `$rest` what else must agree for the two to be the same.
macro_rules! child {
    ($t:ty, $entity:literal, $table:literal, |$a:ident, $h:ident| $alike:expr $(, $rest:expr)?) => {
        impl Child for $t {
            const ENTITY: &'static str = $entity;
            const TABLE: &'static str = $table;
            fn uid(&self) -> Option<Uuid> {
                self.uid
            }
            fn rev(&self) -> Option<i64> {
                self.rev
            }
            fn same(&self, $h: &Self) -> bool {
                let $a = self;
                $a.alike($h)
                    $(&& $rest)?
                    && $a.deleted_at == $h.deleted_at
                    && meta_same(&$a.by, &$a.at, &$h.by, &$h.at)
            }
            fn alike(&self, $h: &Self) -> bool {
                let $a = self;
                $alike
            }
        }
    };
}

child!(AttendeeRecord, "attendee", "attendees", |a, h| {
    trimmed(&a.agency) == trimmed(&h.agency)
        && a.name == h.name
        && a.title == h.title
        && a.role == h.role
        && a.attendance == h.attendance
});
child!(
    AgendaRecord,
    "agenda_item",
    "agenda_items",
    |a, h| a.title == h.title && a.planned_min == h.planned_min,
    a.started_at == h.started_at && a.ended_at == h.ended_at
);
child!(
    EntryRecord,
    "agenda_entry",
    "agenda_entries",
    |a, h| a.text == h.text,
    a.case == h.case
);
child!(
    RoleRecord,
    "role_assignment",
    "role_assignments",
    |a, h| trimmed(&a.agency) == trimmed(&h.agency) && a.role == h.role,
    a.case == h.case
);
child!(
    ActionRecord,
    "next_action",
    "next_actions",
    |a, h| {
        trimmed(&a.agency) == trimmed(&h.agency)
            && a.text == h.text
            && a.due == h.due
            && a.status == h.status
    },
    a.closed_at == h.closed_at
        && a.closed_in == h.closed_in
        && a.carried_from == h.carried_from
        && a.case == h.case
);
child!(
    IssueRecord,
    "case_issue",
    "case_issues",
    |a, h| a.category.trim() == h.category.trim(),
    a.case == h.case
);

/// Matches the file's records of one kind with the database's: by uid, else (no uid) an alike
/// record not matched yet. Returns, for each file record, the database's index it matched.
fn match_children<T: Child>(
    conn: &Connection,
    plan: &mut Plan,
    path: &str,
    file: &[T],
    held: &[T],
    target: impl Fn(usize) -> Target,
) -> Result<Vec<Option<usize>>> {
    let mut used = vec![false; held.len()];
    let mut matched = Vec::with_capacity(file.len());
    for (i, f) in file.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let found = match f.uid() {
            Some(uid) => held.iter().position(|h| h.uid() == Some(uid)),
            None => held
                .iter()
                .enumerate()
                .position(|(j, h)| !used[j] && f.alike(h)),
        };
        let Some(j) = found else {
            if let Some(uid) = f.uid()
                && Held::by_uid(conn, T::TABLE, &uid)?.is_some()
            {
                plan.conflict(
                    at,
                    Msg::new("conflict_uid_other_meeting")
                        .with("uid", uid)
                        .into(),
                );
                matched.push(None);
                continue;
            }
            plan.inserts.push(target(i));
            plan.first_difference(at);
            matched.push(None);
            continue;
        };
        used[j] = true;
        matched.push(Some(j));
        if f.uid().is_none() || f.same(&held[j]) {
            continue;
        }
        plan.first_difference(at.clone());
        let Some(uid) = f.uid() else { continue };
        let Some(row) = Held::by_uid(conn, T::TABLE, &uid)? else {
            continue;
        };
        match decide_captured(&row, f.rev()) {
            Decision::Update { rev, imported } => {
                plan.updates.push((target(i), row.id, rev, imported));
                plan.changes
                    .extend(differences(T::ENTITY, row.id, &held[j], f));
            }
            Decision::Unchanged => {}
            Decision::Conflict(reason) => plan.conflict(at, reason),
        }
    }
    Ok(matched)
}

/// Plans every child record of a meeting found by uid.
fn plan_children(
    conn: &Connection,
    plan: &mut Plan,
    meeting: i64,
    db: &MeetingRecord,
    m: &MeetingRecord,
) -> Result<()> {
    match_children(
        conn,
        plan,
        "attendees",
        &m.attendees,
        &db.attendees,
        Target::Attendee,
    )?;
    let items = match_children(conn, plan, "agenda", &m.agenda, &db.agenda, Target::Item)?;
    let item_ids = item_rows(conn, meeting)?;
    for (i, found) in items.iter().enumerate() {
        let Some(j) = *found else {
            if plan.inserts.contains(&Target::Item(i)) {
                let entries = entry_order(&m.agenda[i]);
                plan.inserts.extend(
                    entries
                        .into_iter()
                        .map(|(kind, k)| Target::Entry(i, kind, k)),
                );
            }
            continue;
        };
        if let Some(uid) = db.agenda[j].uid
            && let Some(&id) = item_ids.get(&uid)
        {
            plan.matched_items.insert(i, id);
        }
        for (kind, list, held) in [
            (EntryKind::Note, &m.agenda[i].notes, &db.agenda[j].notes),
            (
                EntryKind::Decision,
                &m.agenda[i].decisions,
                &db.agenda[j].decisions,
            ),
        ] {
            let name = if kind == EntryKind::Note {
                "notes"
            } else {
                "decisions"
            };
            match_children(
                conn,
                plan,
                &format!("agenda[{i}].{name}"),
                list,
                held,
                |k| Target::Entry(i, kind, k),
            )?;
        }
    }
    match_children(conn, plan, "roles", &m.roles, &db.roles, Target::Role)?;
    match_children(
        conn,
        plan,
        "actions",
        &m.actions,
        &db.actions,
        Target::Action,
    )?;
    match_children(conn, plan, "issues", &m.issues, &db.issues, Target::Issue)?;
    for (i, c) in m.changes.iter().enumerate() {
        let known = match c.uid {
            Some(uid) => db.changes.iter().any(|h| h.uid == Some(uid)),
            None => db.changes.iter().any(|h| same_change(h, c)),
        };
        if !known {
            if let Some(uid) = c.uid {
                let elsewhere: bool = conn
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM changes WHERE uid = ?1)")?
                    .query_row([uid.to_string()], |r| r.get(0))?;
                if elsewhere {
                    plan.conflict(
                        format!("changes[{i}]"),
                        Msg::new("conflict_uid_other_change")
                            .with("uid", uid)
                            .into(),
                    );
                    continue;
                }
            }
            plan.inserts.push(Target::Change(i));
            plan.first_difference(format!("changes[{i}]"));
        }
    }
    Ok(())
}

fn item_rows(conn: &Connection, meeting: i64) -> Result<HashMap<Uuid, i64>> {
    let mut stmt = conn.prepare_cached("SELECT uid, id FROM agenda_items WHERE meeting_id = ?1")?;
    let rows = stmt.query_map([meeting], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (uid, id) = row?;
        if let Ok(uid) = Uuid::parse_str(&uid) {
            out.insert(uid, id);
        }
    }
    Ok(out)
}

fn same_change(a: &ChangeRecord, b: &ChangeRecord) -> bool {
    a.at == b.at
        && a.by == b.by
        && a.entity == b.entity
        && a.field == b.field
        && a.old == b.old
        && a.new == b.new
        && a.amendment == b.amendment
}

/// The entries of an item in the order they were written: notes and decisions merged by when
/// they were entered (then by uid, which is time-ordered), each list keeping its own order.
fn entry_order(item: &AgendaRecord) -> Vec<(EntryKind, usize)> {
    let key = |e: &EntryRecord| (e.at.clone().unwrap_or_default(), e.uid);
    let (mut n, mut d) = (0, 0);
    let mut out = Vec::with_capacity(item.notes.len() + item.decisions.len());
    while n < item.notes.len() || d < item.decisions.len() {
        let take_note = match (item.notes.get(n), item.decisions.get(d)) {
            (Some(a), Some(b)) => key(a) <= key(b),
            (Some(_), None) => true,
            _ => false,
        };
        if take_note {
            out.push((EntryKind::Note, n));
            n += 1;
        } else {
            out.push((EntryKind::Decision, d));
            d += 1;
        }
    }
    out
}

/// The path of entry `j` of item `item` within its meeting.
fn entry_path(item: usize, kind: EntryKind, j: usize) -> String {
    let list = match kind {
        EntryKind::Note => "notes",
        EntryKind::Decision => "decisions",
    };
    format!("agenda[{item}].{list}[{j}]")
}

fn entry(m: &MeetingRecord, item: usize, kind: EntryKind, j: usize) -> &EntryRecord {
    let item = &m.agenda[item];
    match kind {
        EntryKind::Note => &item.notes[j],
        EntryKind::Decision => &item.decisions[j],
    }
}

/// A meeting's own fields as compared (its records, ids and revisions aside; who made it and
/// when, if the file leaves them out, taken as the database has them).
fn own_fields(m: &MeetingRecord, held: &MeetingRecord) -> MeetingRecord {
    let mut own = MeetingRecord {
        attendees: Vec::new(),
        agenda: Vec::new(),
        roles: Vec::new(),
        actions: Vec::new(),
        issues: Vec::new(),
        changes: Vec::new(),
        cases: Vec::new(),
        case_reviews: Vec::new(),
        id: None,
        uid: None,
        rev: None,
        body: String::new(),
        body_organiser: None,
        body_uid: None,
        ..m.clone()
    };
    if let Some(a) = &mut own.approval {
        a.seal = None;
    }
    if own.created_by.is_empty() {
        own.created_by.clone_from(&held.created_by);
    }
    if own.created_at.is_none() {
        own.created_at.clone_from(&held.created_at);
    }
    own
}

/// The meeting's own fields an import changes (its body by name).
fn own_differences(id: i64, db: &MeetingRecord, m: &MeetingRecord) -> Vec<Difference> {
    let mut out = differences("meeting", id, &own_fields(db, db), &own_fields(m, db));
    if trim_blanks(&db.body) != trim_blanks(&m.body) {
        out.push(Difference {
            entity: "meeting",
            id,
            field: "body".to_owned(),
            old: Some(db.body.clone()),
            new: Some(m.body.clone()),
        });
    }
    out
}

fn same_own(db: &MeetingRecord, m: &MeetingRecord) -> bool {
    own_fields(m, db) == own_fields(db, db)
}

/// The same meeting in everything a file without uids can say.
fn same_content(db: &MeetingRecord, m: &MeetingRecord) -> bool {
    let strip = |r: &MeetingRecord| {
        let mut s = own_fields(r, db);
        s.created_by = String::new();
        s.created_at = None;
        // Minutes approved here after the file was written (a meeting book's rows are drafts):
        // the file's draft, alike in all else, is the same meeting, not a conflict (attack of
        // 2026-12-05, round 31, finding 2: a book imported again, unchanged, was refused once
        // one of its meetings was approved). The approval stays this database's.
        if m.minutes == MinutesState::Draft && m.approval.is_none() {
            s.minutes = MinutesState::Draft;
            s.approval = None;
        }
        s
    };
    let kept = |d: &Option<String>| d.is_none();
    strip(db) == strip(m)
        && (m.cases.is_empty()
            || db.cases.iter().map(|l| &l.case).eq(m
                .cases
                .iter()
                .filter(|l| kept(&l.deleted_at))
                .map(|l| &l.case)))
        && (m.case_reviews.is_empty() || reviews_alike(&db.case_reviews, &m.case_reviews))
        && list_alike(&db.attendees, &m.attendees, |a| kept(&a.deleted_at))
        && list_alike(&db.roles, &m.roles, |a| kept(&a.deleted_at))
        && list_alike(&db.actions, &m.actions, |a| kept(&a.deleted_at))
        && db.issues.iter().map(|i| i.category.trim()).eq(m
            .issues
            .iter()
            .map(|i| i.category.trim())
            .filter(|c| !c.is_empty()))
        && db.agenda.len() == m.agenda.iter().filter(|i| kept(&i.deleted_at)).count()
        && db
            .agenda
            .iter()
            .zip(m.agenda.iter().filter(|i| kept(&i.deleted_at)))
            .all(|(a, b)| {
                b.alike(a)
                    && a.started_at == b.started_at
                    && a.ended_at == b.ended_at
                    && list_alike(&a.notes, &b.notes, |e| kept(&e.deleted_at))
                    && list_alike(&a.decisions, &b.decisions, |e| kept(&e.deleted_at))
            })
}

/// The case reviews of a meeting as a record without uids compares them: the same cases in the
/// same order with the same outcome (who recorded them and when aside). A review changed in the
/// file makes the meeting differ (replaced when untouched here, a conflict otherwise), never
/// counted unchanged and dropped (attack report 4, finding 6).
fn reviews_alike(held: &[CaseReviewRecord], file: &[CaseReviewRecord]) -> bool {
    let file: Vec<&CaseReviewRecord> = file.iter().filter(|r| r.deleted_at.is_none()).collect();
    let text = |t: &str| t.trim().to_owned();
    let date = |d: &Option<String>| {
        d.as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
    };
    let agency = |a: &Option<String>| {
        a.as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
    };
    held.len() == file.len()
        && held.iter().zip(file).all(|(h, f)| {
            h.case == f.case
                && h.status == f.status
                && agency(&h.lead_agency) == agency(&f.lead_agency)
                && text(&h.policy) == text(&f.policy)
                && date(&h.next_review) == date(&f.next_review)
                && text(&h.note) == text(&f.note)
                && text(&h.reason) == text(&f.reason)
                && text(&h.evaluation) == text(&f.evaluation)
                && text(&h.transferred_to) == text(&f.transferred_to)
        })
}

fn list_alike<T: Child>(held: &[T], file: &[T], keep: impl Fn(&T) -> bool) -> bool {
    let file: Vec<&T> = file.iter().filter(|f| keep(f)).collect();
    held.len() == file.len() && held.iter().zip(file).all(|(h, f)| f.alike(h))
}

/// Nothing of the meeting was made or changed in this database: the meeting and every record
/// of it came from an import and are as the import wrote them.
fn whole_meeting_unchanged_since_import(conn: &Connection, meeting: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT m.imported_rev IS m.rev
                AND NOT EXISTS (SELECT 1 FROM attendees t WHERE t.meeting_id = m.id
                                AND t.imported_rev IS NOT t.rev)
                AND NOT EXISTS (SELECT 1 FROM agenda_items i WHERE i.meeting_id = m.id
                                AND i.imported_rev IS NOT i.rev)
                AND NOT EXISTS (SELECT 1 FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
                                WHERE i.meeting_id = m.id AND e.imported_rev IS NOT e.rev)
                AND NOT EXISTS (SELECT 1 FROM role_assignments r WHERE r.meeting_id = m.id
                                AND r.imported_rev IS NOT r.rev)
                AND NOT EXISTS (SELECT 1 FROM next_actions n WHERE n.meeting_id = m.id
                                AND n.imported_rev IS NOT n.rev)
                AND NOT EXISTS (SELECT 1 FROM case_issues c WHERE c.meeting_id = m.id
                                AND c.imported_rev IS NOT c.rev)
                AND NOT EXISTS (SELECT 1 FROM meeting_cases k WHERE k.meeting_id = m.id
                                AND k.imported_rev IS NOT k.rev)
                AND NOT EXISTS (SELECT 1 FROM case_reviews v WHERE v.meeting_id = m.id
                                AND v.imported_rev IS NOT v.rev)

             FROM meetings m WHERE m.id = ?1",
        )?
        .query_row([meeting], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

fn same_agency(db: &AgencyRecord, a: &AgencyRecord) -> bool {
    db.name == trim_blanks(&a.name)
        && db.kind == a.kind
        && db.sites == a.sites
        && db.note == a.note
        && db.municipality == a.municipality
}

fn same_body(db: &BodyRecord, b: &BodyRecord) -> bool {
    db.name == trim_blanks(&b.name)
        && db.organiser == trim_blanks(&b.organiser)
        && db.members == member_list(&b.members)
        && db.topics == b.topics
        && db.expected_size == b.expected_size
        && db.frequency == b.frequency
        && db.personal_info == b.personal_info
        && db.kind == b.kind
        && db.tier == b.tier
        && db.municipality == b.municipality
        && db.note == b.note
        && db.ledger == b.ledger
        && db.review_months == b.review_months
}

/// Members as stored: trimmed, without blanks, each once.
fn member_list(members: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in members
        .iter()
        .map(|m| trim_blanks(m))
        .filter(|m| !m.is_empty())
    {
        if !out.iter().any(|o| o == m) {
            out.push(m.to_owned());
        }
    }
    out
}

fn trimmed(agency: &Option<String>) -> Option<&str> {
    agency.as_deref().map(trim_blanks).filter(|a| !a.is_empty())
}

fn or_user<'a>(by: &'a str, user: &'a str) -> &'a str {
    if by.is_empty() { user } else { by }
}

fn identity(uid: Option<Uuid>, rev: Option<i64>) -> (String, i64) {
    (uid.unwrap_or_else(new_uid).to_string(), kept_rev(rev, None))
}

fn approval_columns(m: &MeetingRecord) -> (Option<String>, String) {
    match (&m.minutes, &m.approval) {
        (MinutesState::Approved, Some(a)) => (Some(a.at.clone()), a.by.clone()),
        _ => (None, String::new()),
    }
}

/// An external id as stored: its JSON (a number stays a number, a string a string).
fn ext_ref(id: &ExternalId) -> String {
    serde_json::to_string(id).unwrap_or_default()
}

/// The same id written the other way as stored (`"1"` for `1`): a meeting filed under one is
/// found by the other ([`ExternalId::twin`]).
fn twin_ref(id: &ExternalId) -> Option<String> {
    id.twin().as_ref().map(ext_ref)
}

fn meeting_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM meetings WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A continuation the database holds: its action's row, and what it says.
fn held_review(q: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, ReviewRecord)> {
    Ok((
        q.get(0)?,
        ReviewRecord {
            meeting: uid_column(q, 1)?,
            note: q.get(2)?,
            due_before: q.get(3)?,
            due_after: q.get(4)?,
            ..ReviewRecord::default()
        },
    ))
}

fn meeting_id_by_uid(conn: &Connection, uid: &Uuid) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM meetings WHERE uid = ?1")?
        .query_row([uid.to_string()], |r| r.get(0))
        .optional()?)
}

/// A change the file records, written as the file says it (its `by` and `at`), marked as the
/// import's (`origin`).
fn insert_change(
    conn: &Connection,
    meeting: Option<i64>,
    meeting_uid: Option<&Uuid>,
    c: &ChangeRecord,
    origin: Option<i64>,
) -> Result<()> {
    let uid = c.uid.unwrap_or_else(new_uid);
    cached(
        conn,
        "INSERT INTO changes (uid, at, by, meeting_id, meeting_uid, entity, entity_id, entity_uid,
                              field, old_value, new_value, amendment, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            uid.to_string(),
            c.at,
            c.by,
            meeting,
            meeting_uid.map(Uuid::to_string),
            c.entity,
            c.entity_uid.map(|u| u.to_string()),
            c.field,
            c.old,
            c.new,
            c.amendment,
            origin
        ],
    )?;
    Ok(())
}

fn message(e: StoreError) -> String {
    match e {
        StoreError::Invalid(m) => m,
        other => other.to_string(),
    }
}

fn creates_cycle(conn: &Connection, body: i64, parent: i64) -> Result<bool> {
    let mut current = Some(parent);
    let mut steps = 0;
    while let Some(id) = current {
        if id == body {
            return Ok(true);
        }
        steps += 1;
        if steps > 1000 {
            return Ok(true);
        }
        current = conn.query_row("SELECT parent_id FROM bodies WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    }
    Ok(false)
}

/// The first meeting with approved minutes that `naming` (SQL about meeting `m`, with `?1` the
/// record's row) says shows the record.
fn approved_naming(conn: &Connection, naming: &str, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT m.id FROM meetings m WHERE m.minutes_state = 'approved' AND ({naming})
             ORDER BY m.id LIMIT 1"
        ))?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Why a body or agency keeps its name (organiser, kind) against an import: approved minutes
/// show it as they were approved, and an import never changes them (README, "Imports").
fn approved_unchanged(meeting: &Words) -> Words {
    Words::said("conflict_approved_unchanged", &[("meeting", meeting)])
}

/// Why an import never approves minutes here.
fn never_approves() -> Words {
    said("conflict_never_approves")
}

/// A rename (of an agency, a body) that would take a meeting or a case writing the name past
/// one record of the import: refused, naming the record's `name` and the meeting.
fn fit_renamed(place: &Place, conn: &Connection, table: &str, id: i64) -> Result<()> {
    super::record_size::fit_naming(conn, table, id).map_err(|e| match e {
        StoreError::Said(msg) => place.invalid_field("name", msg.to_string()),
        other => other,
    })
}

fn agency_record(name: &str) -> Words {
    Msg::new("conflict_record_agency").with("name", name).into()
}

/// A body (`conflict_record_body`) or its parent link (`conflict_record_body_parent`).
fn body_record(key: &'static str, name: &str) -> Words {
    Msg::new(key).with("name", name).into()
}

/// What a meeting holds that a record without a uid colliding with it would take away: what was
/// captured at it (notes, decisions, actions, roles — kept or removed: records a file without
/// uids cannot be matched with), and each of its own fields that has a value the file leaves
/// empty (a held meeting's times, its facilitator, its confidentiality…). Empty: nothing
/// would be lost.
fn lost_by_replacing(
    conn: &Connection,
    meeting: i64,
    db: &MeetingRecord,
    m: &MeetingRecord,
) -> Result<Vec<Words>> {
    let mut lost = Vec::new();
    // A case discussed at the meeting (its situation, policy, consent…) is a capture too; a
    // bare link to a case (what a book's 事例 makes) is not.
    let (entries, actions, roles, cases): (i64, i64, i64, i64) = conn
        .prepare_cached(
            "SELECT (SELECT COUNT(*) FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
                     WHERE i.meeting_id = ?1),
                    (SELECT COUNT(*) FROM next_actions WHERE meeting_id = ?1),
                    (SELECT COUNT(*) FROM role_assignments WHERE meeting_id = ?1),
                    (SELECT COUNT(*) FROM meeting_cases WHERE meeting_id = ?1
                        AND (basis <> '' OR situation <> '' OR status <> '' OR key_person <> ''
                             OR risk <> '' OR urgency <> '' OR policy <> '' OR consent <> ''
                             OR lead_agency IS NOT NULL OR plan_id IS NOT NULL
                             OR deleted_at IS NOT NULL))",
        )?
        .query_row([meeting], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let reviews: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM case_reviews WHERE meeting_id = ?1")?
        .query_row([meeting], |r| r.get(0))?;
    let reviews = reviews.saturating_sub(m.case_reviews.len() as i64);
    for (n, key) in [
        (reviews, "conflict_lost_case_reviews"),
        (entries, "conflict_lost_entries"),
        (actions, "conflict_lost_actions"),
        (roles, "conflict_lost_roles"),
        (cases, "conflict_lost_cases"),
    ] {
        if n > 0 {
            lost.push(Msg::new(key).with("n", n).into());
        }
    }
    let as_map = |r: &MeetingRecord| match serde_json::to_value(own_fields(r, db)) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (held, file) = (as_map(db), as_map(m));
    // Of the yes/no fields only confidentiality protects anything: a book saying 無 where it
    // said 有 (SV派遣) is an edit, not a loss.
    let has_value = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) | Some(serde_json::Value::Bool(false)) => false,
        Some(serde_json::Value::String(s)) => !trim_blanks(s).is_empty(),
        Some(serde_json::Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    };
    for (field, value) in &held {
        if value.is_boolean() && field != "confidential" {
            continue;
        }
        if has_value(Some(value)) && !has_value(file.get(field)) {
            lost.push(if field == "confidential" {
                said("conflict_lost_confidential")
            } else {
                Words::each(|_| field.clone())
            });
        }
    }
    Ok(lost)
}

/// A uid the database holds for another record: the insert is refused naming the file and the
/// record's path, not with SQLite's words.
fn taken(place: &Place, path: &str, uid: &dyn std::fmt::Display, e: StoreError) -> StoreError {
    match &e {
        StoreError::Sql(rusqlite::Error::SqliteFailure(f, Some(text)))
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && text.contains("UNIQUE")
                && text.ends_with(".uid") =>
        {
            let field = if path.is_empty() {
                "uid".to_owned()
            } else {
                format!("{path}.uid")
            };
            place.invalid_field(
                &field,
                format!(
                    "{uid} is the uid of another record in this database (one uid, one record)"
                ),
            )
        }
        _ => e,
    }
}

fn replace_template(conn: &Connection, t: &TemplateRecord) -> Result<()> {
    conn.execute(
        "DELETE FROM agenda_templates WHERE kind = ?1",
        [t.kind.trim()],
    )?;
    for (i, item) in t.items.iter().enumerate() {
        conn.execute(
            "INSERT INTO agenda_templates (kind, position, title, planned_min, confidential) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![t.kind.trim(), i as i64 + 1, item.title, item.minutes, t.confidential],
        )?;
    }
    Ok(())
}

impl Counts {
    pub fn total(&self) -> usize {
        self.added + self.updated + self.unchanged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the link pass holds at once is bounded whatever the links were read from: a page
    /// of [`LINKS_PAGE`] links holds two names of the code's and a uid each, not where each was
    /// read (a file's name, as long as the system allows, or a sheet's, as long as the file
    /// says), which is read only for the error that names it.
    #[test]
    fn the_link_pass_holds_a_bounded_page_whatever_the_places() {
        let conn = Connection::open_in_memory().unwrap();
        let importer = Importer::new(&conn, "2026-12-03T00:00".into(), "u".into(), false).unwrap();
        let place = format!("{}.json: meetings[0].actions[0]", "長い名前".repeat(2000));
        for row in 0..2 * LINKS_PAGE {
            conn.execute(
                "INSERT INTO temp.import_links (row_table, row_column, row_id, target, uid, at)
                 VALUES ('next_actions', 'carried_from', ?1, 'next_actions', ?2, ?3)",
                params![row, Uuid::nil().to_string(), place],
            )
            .unwrap();
        }
        let mut pages = 0;
        let mut last = 0;
        loop {
            let page = Link::after(&conn, last).unwrap();
            let Some(end) = page.last().map(|l| l.key) else {
                break;
            };
            last = end;
            pages += 1;
            let held: usize = page.iter().map(Link::held).sum();
            assert!(held <= 256 * 1024, "a page of links holds {held} bytes");
        }
        assert_eq!(pages, 2);
        drop(importer);
    }

    /// A file's reading rolled back takes with it the bodies it made, and the import forgets
    /// them: the next body made has the id one of them had, and a body named as that one was
    /// is made again, not found in the other's row.
    #[test]
    fn a_reading_rolled_back_forgets_the_bodies_it_made() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        let mut importer =
            Importer::new(&conn, "2026-12-03T00:00".into(), "u".into(), false).unwrap();
        let doc = |names: &[&str]| Document {
            bodies: names
                .iter()
                .map(|&name| BodyRecord {
                    name: name.to_owned(),
                    ..BodyRecord::default()
                })
                .collect(),
            ..Document::default()
        };
        conn.execute_batch("SAVEPOINT import_file").unwrap();
        let mark = importer.pending();
        importer
            .head("a.json", &doc(&["ＸＸ会議", "ZZ会議"]))
            .unwrap();
        conn.execute_batch("ROLLBACK TO import_file").unwrap();
        importer.forget_since(mark);
        importer
            .head("a.json", &doc(&["YY会議", "XX会議"]))
            .unwrap();
        let names: Vec<String> = conn
            .prepare("SELECT name FROM bodies ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(names, ["YY会議", "XX会議"]);
    }

    /// A link whose record is in neither the files nor the database names where it was read.
    #[test]
    fn a_link_to_no_record_names_its_place() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        let mut importer =
            Importer::new(&conn, "2026-12-03T00:00".into(), "u".into(), false).unwrap();
        conn.execute(
            "INSERT INTO temp.import_links (row_table, row_column, row_id, target, uid, at)
             VALUES ('next_actions', 'carried_from', 1, 'next_actions', ?1, 'w.json: meetings[3].actions[1]')",
            [Uuid::nil().to_string()],
        )
        .unwrap();
        let error = importer.finish().unwrap_err().to_string();
        assert!(
            error.contains("w.json: meetings[3].actions[1]: carried_from: ")
                && error.contains(&Uuid::nil().to_string()),
            "{error}"
        );
    }
}
