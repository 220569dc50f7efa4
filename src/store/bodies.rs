//! Agencies (by name), bodies (会議体: by name and organiser within their ward) and yearly counts:
//! reading them as records, and the writes an import makes.

use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use uuid::Uuid;

use super::identity::{Held, uid_column};
use super::{Result, Store, StoreError, cached};
use crate::text::{fold_name, trim_blanks};

pub use crate::interchange::{AgencyRecord, BodyRecord, HistoryRecord};

/// Finds an agency by its exact name, creating it if needed.
pub(crate) fn agency_id(conn: &Connection, name: &str) -> Result<i64> {
    let name = trim_blanks(name);
    if let Some(id) = conn
        .prepare_cached("SELECT id FROM agencies WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    super::limits::texts(&[("agency", name)])?;
    cached(conn, "INSERT INTO agencies (name) VALUES (?1)", [name])?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn optional_agency_id(conn: &Connection, name: Option<&str>) -> Result<Option<i64>> {
    match name.map(trim_blanks) {
        Some(n) if !n.is_empty() => agency_id(conn, n).map(Some),
        _ => Ok(None),
    }
}

/// An agency as the export writes it.
pub(crate) fn read_agency(conn: &Connection, id: i64) -> Result<AgencyRecord> {
    Ok(conn
        .prepare_cached(
            "SELECT uid, rev, name, kind, sites, note, municipality FROM agencies WHERE id = ?1",
        )?
        .query_row([id], agency_row)?)
}

fn agency_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AgencyRecord> {
    Ok(AgencyRecord {
        uid: uid_column(r, 0)?,
        rev: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
        sites: r.get(4)?,
        note: r.get(5)?,
        municipality: r.get(6)?,
    })
}

/// Writes an agency's details (and its name, when its uid found it under another one).
pub(crate) fn write_agency(
    conn: &Connection,
    id: i64,
    rec: &AgencyRecord,
    rev: i64,
    imported: bool,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE agencies SET name = ?2, kind = ?3, sites = ?4, note = ?5, municipality = ?6,
                rev = ?7, imported_rev = CASE WHEN ?8 THEN ?7 ELSE imported_rev END
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        trim_blanks(&rec.name),
        rec.kind,
        rec.sites,
        rec.note,
        rec.municipality,
        rev,
        imported
    ])?;
    Ok(())
}

pub(crate) fn insert_agency(
    conn: &Connection,
    rec: &AgencyRecord,
    uid: &Uuid,
    rev: i64,
) -> Result<i64> {
    cached(
        conn,
        "INSERT INTO agencies (uid, rev, imported_rev, name, kind, sites, note, municipality)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            uid.to_string(),
            rev,
            trim_blanks(&rec.name),
            rec.kind,
            rec.sites,
            rec.note,
            rec.municipality
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// What the minutes of a body's meeting show of the body: its name, organiser, kind, whether it
/// shares personal information, and its ward (where the database holds several).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shown {
    pub name: String,
    pub organiser: String,
    pub kind: String,
    pub personal_info: bool,
    pub ward: Option<String>,
}

impl Shown {
    /// The body as its minutes show it now (`None` for no such body).
    pub(crate) fn of(conn: &Connection, body: i64) -> Result<Option<Shown>> {
        let row = conn
            .prepare_cached(
                "SELECT name, organiser, kind, personal_info, ward_id FROM bodies WHERE id = ?1",
            )?
            .query_row([body], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .optional()?;
        let Some((name, organiser, kind, personal_info, ward)) = row else {
            return Ok(None);
        };
        Ok(Some(Shown {
            name,
            organiser,
            kind,
            personal_info,
            ward: super::ward::shown_among_many(conn, ward)?,
        }))
    }
}

/// A body changed after minutes that show it were approved (renamed, its organiser, kind,
/// sharing of personal information or ward changed — by an import, the one way a body changes):
/// the minutes are read from the tables, so the new value shows in them; each approved meeting
/// of the body lists the change under 修正履歴 (who, when, before and after), as a case's rename
/// does (`store::cases::write::amend_approved_minutes`), so that what was approved is never
/// changed silently. Recorded as changes of the meeting (fields `body_name`, `organiser`,
/// `body_kind`, `personal_info`, `ward`): what an export carries and an import takes back.
pub(crate) fn amend_approved_minutes(
    conn: &Connection,
    now: &str,
    user: &str,
    body: i64,
    before: &Shown,
) -> Result<()> {
    let Some(after) = Shown::of(conn, body)? else {
        return Ok(());
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let fields = [
        (
            "body_name",
            Some(before.name.as_str()),
            Some(after.name.as_str()),
        ),
        (
            "organiser",
            Some(before.organiser.as_str()),
            Some(after.organiser.as_str()),
        ),
        (
            "body_kind",
            Some(before.kind.as_str()),
            Some(after.kind.as_str()),
        ),
        (
            "personal_info",
            Some(yes_no(before.personal_info)),
            Some(yes_no(after.personal_info)),
        ),
        ("ward", before.ward.as_deref(), after.ward.as_deref()),
    ];
    let changed: Vec<_> = fields.iter().filter(|(_, old, new)| old != new).collect();
    if changed.is_empty() {
        return Ok(());
    }
    let meetings: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM meetings WHERE body_id = ?1 AND minutes_state = 'approved' ORDER BY id",
        )?
        .query_map([body], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for meeting in meetings {
        for (field, old, new) in &changed {
            let change = super::minutes::Change::meeting(meeting, field, *old, *new);
            super::minutes::record_change(conn, now, user, &change)?;
        }
    }
    Ok(())
}

/// Whether a new meeting of a body is confidential from the start, wherever it comes from (the
/// calendar, a meeting book): the body shares personal information, or an agenda template of its
/// kind is confidential (支援会議, 個別ケース会議, 要保護児童対策地域協議会 …).
pub(crate) fn confidential_by_default(conn: &Connection, body: i64) -> Result<bool> {
    conn.prepare_cached(
        "SELECT b.personal_info
                OR COALESCE((SELECT MAX(t.confidential) FROM agenda_templates t WHERE t.kind = b.kind), 0)
         FROM bodies b WHERE b.id = ?1",
    )?
    .query_row([body], |r| r.get(0))
    .optional()?
    .ok_or_else(|| StoreError::Invalid(format!("no body with id {body}")))
}

pub(crate) fn agency_by_name(conn: &Connection, name: &str) -> Result<Option<Held>> {
    Ok(conn
        .prepare_cached("SELECT id, rev, imported_rev FROM agencies WHERE name = ?1")?
        .query_row([trim_blanks(name)], Held::from_row)
        .optional()?)
}

/// The bodies of the wards an import looked for a body in, by folded name: each ward's read
/// and folded once, at its first body not found as written. Read again for each such body, as
/// a single look-up does, they made an import quadratic in the bodies held (every new body is
/// one): 5,000 new bodies took 7 s, nearly all of it folding the same names again. Kept in
/// step with the import's writes: a body made since (by the import, or by a meeting book asked
/// to make its bodies) has a higher id than any read, and is read at the next look-up; one
/// renamed or moved is told ([`Self::moved`]); a file's reading rolled back forgets everything
/// ([`Self::forget`]). No body is deleted during an import.
#[derive(Default)]
pub(crate) struct FoldedBodies {
    /// By ward, then folded name: each body's id and organiser, in the order of their ids (the
    /// order the scan of a ward gives).
    wards: HashMap<i64, HashMap<String, Vec<(i64, String)>>>,
    /// The highest id of a body read; `None` until the first look-up.
    read_to: Option<i64>,
}

impl FoldedBodies {
    /// Forgets every body read (a file's reading rolled back).
    pub(crate) fn forget(&mut self) {
        self.wards.clear();
        self.read_to = None;
    }

    /// Tells that body `id`, of ward `from` named `old`, is now of ward `ward` with that name
    /// and organiser (as they are stored: trimmed).
    pub(crate) fn moved(
        &mut self,
        id: i64,
        (from, old): (i64, &str),
        (ward, name, organiser): (i64, &str, &str),
    ) {
        if self.read_to.is_none_or(|read| id > read) {
            // Not read yet: it is read as it is then.
            return;
        }
        if let Some(names) = self.wards.get_mut(&from)
            && let Some(bodies) = names.get_mut(&fold_name(old))
        {
            bodies.retain(|(b, _)| *b != id);
        }
        if let Some(names) = self.wards.get_mut(&ward) {
            let bodies = names.entry(fold_name(name)).or_default();
            let at = bodies.partition_point(|(b, _)| *b < id);
            bodies.insert(at, (id, organiser.to_owned()));
        }
    }

    /// The bodies of `ward` whose folded name is `folded`, in the order of their ids.
    fn named(&mut self, conn: &Connection, ward: i64, folded: &str) -> Result<&[(i64, String)]> {
        let read_to = match self.read_to {
            Some(read) => self.made_since(conn, read)?,
            None => conn
                .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM bodies")?
                .query_row([], |r| r.get(0))?,
        };
        self.read_to = Some(read_to);
        let names = match self.wards.entry(ward) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(ward_bodies(conn, ward, read_to)?)
            }
        };
        Ok(names.get(folded).map_or(&[], Vec::as_slice))
    }

    /// Reads the bodies made after id `read` into the wards read; the highest id now.
    fn made_since(&mut self, conn: &Connection, read: i64) -> Result<i64> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, ward_id, name, organiser FROM bodies WHERE id > ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query([read])?;
        let mut last = read;
        while let Some(r) = rows.next()? {
            let (id, ward) = (r.get::<_, i64>(0)?, r.get::<_, i64>(1)?);
            last = id;
            if let Some(names) = self.wards.get_mut(&ward) {
                let name: String = r.get(2)?;
                names
                    .entry(fold_name(&name))
                    .or_default()
                    .push((id, r.get(3)?));
            }
        }
        Ok(last)
    }
}

/// The bodies of a ward up to id `read_to`, by folded name, in the order of their ids.
fn ward_bodies(
    conn: &Connection,
    ward: i64,
    read_to: i64,
) -> Result<HashMap<String, Vec<(i64, String)>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, organiser FROM bodies WHERE ward_id = ?1 AND id <= ?2 ORDER BY id",
    )?;
    let mut rows = stmt.query(params![ward, read_to])?;
    let mut names: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let name: String = r.get(1)?;
        names
            .entry(fold_name(&name))
            .or_default()
            .push((r.get(0)?, r.get(2)?));
    }
    Ok(names)
}

/// The bodies of a ward whose name (and organiser, when given) folded is `name`'s: a name
/// written exactly is found by the index; one written another way, in `folded` (the ward's
/// bodies read and folded once an import, where each look-up read the whole ward).
fn bodies_named(
    conn: &Connection,
    folded: &mut FoldedBodies,
    ward: i64,
    name: &str,
    organiser: Option<&str>,
) -> Result<Vec<(i64, String)>> {
    let exact: Vec<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, organiser FROM bodies WHERE ward_id = ?1 AND name = ?2 ORDER BY id",
        )?
        .query_map(params![ward, trim_blanks(name)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let organiser = organiser.map(fold_name);
    let of = |o: &String| organiser.as_ref().is_none_or(|want| fold_name(o) == *want);
    if exact.iter().any(|(_, o)| of(o)) {
        return Ok(exact.into_iter().filter(|(_, o)| of(o)).collect());
    }
    let named = folded.named(conn, ward, &fold_name(name))?;
    Ok(named.iter().filter(|(_, o)| of(o)).cloned().collect())
}

/// The body with this name (and organiser, when given) in a ward, a name written another way
/// looked for in an import's `folded`. A name shared by several bodies must be told apart by
/// its organiser.
pub(crate) fn find_body_in(
    conn: &Connection,
    folded: &mut FoldedBodies,
    ward: i64,
    name: &str,
    organiser: Option<&str>,
) -> Result<Option<i64>> {
    let name = trim_blanks(name);
    let organiser = organiser.map(trim_blanks).filter(|o| !o.is_empty());
    let found = bodies_named(conn, folded, ward, name, organiser)?;
    if organiser.is_some() {
        return Ok(found.first().map(|(id, _)| *id));
    }
    match found.as_slice() {
        [] => Ok(None),
        [(id, _)] => Ok(Some(*id)),
        many => Err(crate::i18n::Msg::new("body_ambiguous")
            .with("name", name)
            .with("n", many.len())
            .with(
                "organisers",
                many.iter()
                    .map(|(_, o)| o.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .into()),
    }
}

/// The body with exactly this ward, name and organiser (an import's identity of a body), a
/// name written another way looked for in the import's `folded`.
pub(crate) fn body_by_key(
    conn: &Connection,
    folded: &mut FoldedBodies,
    ward: i64,
    name: &str,
    organiser: &str,
) -> Result<Option<Held>> {
    let exact = conn
        .prepare_cached(
            "SELECT id, rev, imported_rev FROM bodies
             WHERE ward_id = ?1 AND name = ?2 AND organiser = ?3",
        )?
        .query_row(
            params![ward, trim_blanks(name), trim_blanks(organiser)],
            Held::from_row,
        )
        .optional()?;
    if exact.is_some() {
        return Ok(exact);
    }
    match bodies_named(conn, folded, ward, name, Some(organiser))?.first() {
        Some((id, _)) => Held::by_id(conn, "bodies", *id),
        None => Ok(None),
    }
}

/// A body as the export writes it, with its ward's row; `ward` and the parent's name are filled
/// by the caller's context (see [`Store::bodies`]).
pub(crate) fn read_body(conn: &Connection, id: i64) -> Result<(BodyRecord, i64, Option<i64>)> {
    let (mut rec, ward, parent) = conn
        .prepare_cached(
            "SELECT b.uid, b.rev, b.name, b.organiser, b.municipality, b.expected_size, b.topics,
                    b.frequency_text, b.personal_info, b.kind, b.tier, b.note, b.ward_id,
                    b.parent_id, p.name, p.organiser, p.uid,
                    (SELECT COUNT(*) FROM bodies q WHERE q.name = p.name),
                    b.keeps_ledger, b.review_months
             FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id WHERE b.id = ?1",
        )?
        .query_row([id], body_row)?;
    rec.members = members(conn, id)?;
    Ok((std::mem::take(&mut rec), ward, parent))
}

fn body_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(BodyRecord, i64, Option<i64>)> {
    let parent_shared: i64 = r.get(17)?;
    Ok((
        BodyRecord {
            uid: uid_column(r, 0)?,
            rev: r.get(1)?,
            name: r.get(2)?,
            organiser: r.get(3)?,
            municipality: r.get(4)?,
            expected_size: r.get(5)?,
            topics: r.get(6)?,
            frequency: r.get(7)?,
            personal_info: r.get(8)?,
            kind: r.get(9)?,
            tier: r.get(10)?,
            note: r.get(11)?,
            parent: r.get(14)?,
            parent_organiser: r
                .get::<_, Option<String>>(15)?
                .filter(|_| parent_shared > 1),
            parent_uid: uid_column(r, 16)?,
            ward: None,
            members: Vec::new(),
            ledger: r.get(18)?,
            review_months: r.get(19)?,
        },
        r.get(12)?,
        r.get(13)?,
    ))
}

fn members(conn: &Connection, body: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.name FROM body_members m JOIN agencies a ON a.id = m.agency_id
         WHERE m.body_id = ?1 ORDER BY m.position",
    )?;
    let rows = stmt.query_map([body], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts a body in a ward, with its members; the parent is linked once every body of the
/// import exists ([`link_parent`]).
pub(crate) fn insert_body(
    conn: &Connection,
    now: &str,
    ward: i64,
    rec: &BodyRecord,
    uid: &Uuid,
    rev: i64,
) -> Result<i64> {
    cached(
        conn,
        "INSERT INTO bodies (uid, rev, ward_id, name, organiser, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            uid.to_string(),
            // Any revision but the one written next, so that the trigger leaves that one.
            -1 - rev,
            ward,
            trim_blanks(&rec.name),
            trim_blanks(&rec.organiser),
            now
        ],
    )?;
    let id = conn.last_insert_rowid();
    write_body(conn, now, id, ward, rec, rev, true)?;
    Ok(id)
}

/// Writes a body's content (not its parent) and members, with the revision given.
pub(crate) fn write_body(
    conn: &Connection,
    now: &str,
    id: i64,
    ward: i64,
    rec: &BodyRecord,
    rev: i64,
    imported: bool,
) -> Result<()> {
    cached(
        conn,
        "UPDATE bodies SET ward_id = ?2, name = ?3, organiser = ?4, municipality = ?5,
                expected_size = ?6, topics = ?7, frequency_text = ?8, personal_info = ?9,
                kind = ?10, tier = ?11, note = ?12, updated_at = ?13, rev = ?14,
                imported_rev = CASE WHEN ?15 THEN ?14 ELSE imported_rev END,
                keeps_ledger = ?16, review_months = ?17
         WHERE id = ?1",
        params![
            id,
            ward,
            trim_blanks(&rec.name),
            trim_blanks(&rec.organiser),
            rec.municipality,
            rec.expected_size,
            rec.topics,
            rec.frequency,
            rec.personal_info,
            rec.kind,
            rec.tier,
            rec.note,
            now,
            rev,
            imported,
            rec.ledger,
            rec.review_months
        ],
    )?;
    set_members(conn, id, &rec.members)
}

fn set_members(conn: &Connection, id: i64, members: &[String]) -> Result<()> {
    cached(conn, "DELETE FROM body_members WHERE body_id = ?1", [id])?;
    let mut position = 0;
    for member in members
        .iter()
        .map(|m| trim_blanks(m))
        .filter(|m| !m.is_empty())
    {
        let agency = agency_id(conn, member)?;
        position += 1;
        cached(
            conn,
            "INSERT OR IGNORE INTO body_members (body_id, agency_id, position) VALUES (?1, ?2, ?3)",
            params![id, agency, position],
        )?;
    }
    Ok(())
}

/// Links a body to its parent (a structural link resolved after the bodies are written: its
/// revision is the one the body was written with).
pub(crate) fn link_parent(conn: &Connection, body: i64, parent: Option<i64>) -> Result<()> {
    super::identity::set_keeping_rev(conn, "bodies", "parent_id", body, &parent)
}

/// A yearly count as the export writes it.
pub(crate) fn read_history(conn: &Connection, body: i64, year: i32) -> Result<HistoryRecord> {
    Ok(conn
        .prepare_cached(
            "SELECT h.uid, h.rev, b.name, b.organiser, (SELECT COUNT(*) FROM bodies q WHERE q.name = b.name),
                    b.uid, h.fiscal_year, h.meetings, h.note
             FROM body_history h JOIN bodies b ON b.id = h.body_id
             WHERE h.body_id = ?1 AND h.fiscal_year = ?2",
        )?
        .query_row(params![body, year], history_row)?)
}

fn history_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HistoryRecord> {
    let shared: i64 = r.get(4)?;
    Ok(HistoryRecord {
        uid: uid_column(r, 0)?,
        rev: r.get(1)?,
        body: r.get(2)?,
        organiser: Some(r.get::<_, String>(3)?).filter(|_| shared > 1),
        body_uid: uid_column(r, 5)?,
        fiscal_year: r.get(6)?,
        meetings: r.get(7)?,
        note: r.get(8)?,
    })
}

/// The yearly count of a body, by its uid or by its body and year: its row id is the rowid.
pub(crate) fn history_held(
    conn: &Connection,
    uid: Option<&Uuid>,
    body: i64,
    year: i32,
) -> Result<Option<(Held, i64, i32)>> {
    let map = |r: &rusqlite::Row<'_>| Ok((Held::from_row(r)?, r.get(3)?, r.get(4)?));
    if let Some(uid) = uid
        && let Some(found) = conn
            .prepare_cached(
                "SELECT rowid, rev, imported_rev, body_id, fiscal_year FROM body_history WHERE uid = ?1",
            )?
            .query_row([uid.to_string()], map)
            .optional()?
        {
            return Ok(Some(found));
        }
    Ok(conn
        .prepare_cached(
            "SELECT rowid, rev, imported_rev, body_id, fiscal_year FROM body_history
             WHERE body_id = ?1 AND fiscal_year = ?2",
        )?
        .query_row(params![body, year], map)
        .optional()?)
}

pub(crate) fn insert_history(
    conn: &Connection,
    body: i64,
    rec: &HistoryRecord,
    uid: &Uuid,
    rev: i64,
) -> Result<()> {
    cached(
        conn,
        "INSERT INTO body_history (uid, rev, imported_rev, body_id, fiscal_year, meetings, note)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6)",
        params![
            uid.to_string(),
            rev,
            body,
            rec.fiscal_year,
            rec.meetings,
            rec.note
        ],
    )?;
    Ok(())
}

pub(crate) fn write_history(
    conn: &Connection,
    rowid: i64,
    body: i64,
    rec: &HistoryRecord,
    rev: i64,
    imported: bool,
) -> Result<()> {
    cached(
        conn,
        "UPDATE body_history SET body_id = ?2, fiscal_year = ?3, meetings = ?4, note = ?5, rev = ?6,
                imported_rev = CASE WHEN ?7 THEN ?6 ELSE imported_rev END
         WHERE rowid = ?1",
        params![
            rowid,
            body,
            rec.fiscal_year,
            rec.meetings,
            rec.note,
            rev,
            imported
        ],
    )?;
    Ok(())
}

/// A body as stored, with its id, its ward and the names of its parent and members.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBody {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// The ward the body belongs to: its row (1 is this database's own) and its name.
    pub ward_id: i64,
    pub ward: String,
    /// The date and id of the last meeting held.
    pub last_held: Option<chrono::NaiveDate>,
    pub last_held_id: Option<i64>,
    pub record: BodyRecord,
}

/// A body as [`StoredBody`] holds it (`b`), with its parent, ward and last meeting held; the
/// rows kept by `{where}` (a condition on `b`, `?1` its parameter if any).
const STORED_BODY: &str =
    "SELECT b.uid, b.rev, b.name, b.organiser, b.municipality, b.expected_size, b.topics,
            b.frequency_text, b.personal_info, b.kind, b.tier, b.note, b.ward_id,
            b.parent_id, p.name, p.organiser, p.uid,
            (SELECT COUNT(*) FROM bodies q WHERE q.name = p.name),
            b.keeps_ledger, b.review_months,
            b.id, w.name, w.uid,
            (SELECT MAX(date) FROM meetings m INDEXED BY meetings_held_by_body
             WHERE m.body_id = b.id AND m.status = 'held'),
            (SELECT m.id FROM meetings m INDEXED BY meetings_held_by_body
             WHERE m.body_id = b.id AND m.status = 'held'
             ORDER BY m.date DESC, m.id DESC LIMIT 1)
     FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id
     JOIN wards w ON w.id = b.ward_id
     WHERE {where}
     ORDER BY b.id";

/// What the members of a body `m` are read with: `{where}` as in [`STORED_BODY`].
const MEMBERS: &str =
    "SELECT m.body_id, a.name FROM body_members m JOIN agencies a ON a.id = m.agency_id
     WHERE {where}
     ORDER BY m.body_id, m.position";

fn stored_body(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredBody> {
    let (mut record, ward_id, parent_id) = body_row(r)?;
    if ward_id != super::ward::HOME {
        record.ward = uid_column(r, 22)?;
    }
    let last_held: Option<String> = r.get(23)?;
    Ok(StoredBody {
        id: r.get(20)?,
        parent_id,
        ward_id,
        ward: r.get(21)?,
        last_held: last_held.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        last_held_id: r.get(24)?,
        record,
    })
}

impl Store {
    /// Every body, in registry order (the order they were first imported).
    pub fn bodies(&self) -> Result<Vec<StoredBody>> {
        self.bodies_where("1", params![])
    }

    /// One body by its id, as [`Store::bodies`] reads each (the home reads only the one its
    /// selection stands for, where a city has 12 000).
    pub fn body(&self, id: i64) -> Result<Option<StoredBody>> {
        Ok(self.bodies_where("b.id = ?1", [id])?.pop())
    }

    /// [`Store::bodies`], each body handed to `each` as it is read (a few hundred held at a
    /// time, read by id): a city's 12 000 bodies are never held whole.
    pub fn each_body<E: From<StoreError>>(
        &self,
        each: &mut dyn FnMut(StoredBody) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut after = i64::MIN;
        loop {
            let batch = self.bodies_where(
                "b.id IN (SELECT id FROM bodies WHERE id > ?1 ORDER BY id LIMIT 256)",
                [after],
            )?;
            let Some(last) = batch.last().map(|b| b.id) else {
                return Ok(());
            };
            after = last;
            for body in batch {
                each(body)?;
            }
        }
    }

    /// The bodies of `ids` as [`Store::bodies`] reads each, in the order of their ids (the
    /// bodies screen reads those around its selection, where a city has 12 000).
    pub fn bodies_in(&self, ids: &[i64]) -> Result<Vec<StoredBody>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        self.bodies_where(&format!("b.id IN ({})", list.join(",")), params![])
    }

    /// The ids of the bodies, in the order of their ids, whose text columns `keep` keeps: their
    /// name, organiser, kind, frequency as written, topics, municipality and ward's name (the
    /// bodies screen's filter, over these columns alone: no body is held).
    pub fn body_ids_where(&self, keep: &mut dyn FnMut(&[&str; 7]) -> bool) -> Result<Vec<i64>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT b.id, b.name, b.organiser, b.kind, b.frequency_text, b.topics,
                    b.municipality, w.name
             FROM bodies b JOIN wards w ON w.id = b.ward_id ORDER BY b.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut ids = Vec::new();
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
            };
            let columns = [
                text(1)?,
                text(2)?,
                text(3)?,
                text(4)?,
                text(5)?,
                text(6)?,
                text(7)?,
            ];
            let columns = columns.each_ref().map(String::as_str);
            if keep(&columns) {
                ids.push(r.get(0)?);
            }
        }
        Ok(ids)
    }

    /// The names of the bodies whose parent is `id`, in the order of their ids.
    pub fn child_body_names(&self, id: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT name FROM bodies WHERE parent_id = ?1 ORDER BY id")?;
        let names = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    fn bodies_where<P: rusqlite::Params + Copy>(
        &self,
        condition: &str,
        params: P,
    ) -> Result<Vec<StoredBody>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&STORED_BODY.replace("{where}", condition))?;
        let mut bodies: Vec<StoredBody> = stmt
            .query_map(params, stored_body)?
            .collect::<rusqlite::Result<_>>()?;
        let members = condition.replace("b.id", "m.body_id");
        let mut members = conn.prepare_cached(&MEMBERS.replace("{where}", &members))?;
        let rows = members.query_map(params, |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let index: std::collections::HashMap<i64, usize> =
            bodies.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
        for row in rows {
            let (body, name) = row?;
            if let Some(&i) = index.get(&body) {
                bodies[i].record.members.push(name);
            }
        }
        Ok(bodies)
    }

    /// Every agency, in the order the database first met them.
    pub fn agencies(&self) -> Result<Vec<AgencyRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT uid, rev, name, kind, sites, note, municipality FROM agencies ORDER BY id",
        )?;
        let rows = stmt.query_map([], agency_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every agency name the section has met, for pickers (members of bodies and attendees),
    /// without those that hold a person — a
    /// household member or anyone recorded, however written, or a name with a relation or an
    /// honorific, typed into a case's agency field before the case form refused it (attack
    /// report 5, finding 18: a 要対協 household's mother offered by every body's picker). The
    /// registry keeps them (an older record names them); the ledger shows them as 個人（家族等）.
    pub fn agency_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT name FROM agencies ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        let names: Vec<String> = rows.collect::<rusqlite::Result<_>>()?;
        self.without_people(names)
    }

    /// `names` (agencies offered by a picker) without those that hold a person: each name
    /// judged against the few recorded people it may name, looked up by the keys its text
    /// holds (`Store::table_people`, as the report's and the ledger's cells are), never against
    /// everyone recorded — a city's pickers held every recorded person to offer its agencies.
    pub fn without_people(&self, names: Vec<String>) -> Result<Vec<String>> {
        if names.is_empty() {
            return Ok(names);
        }
        let people = self.table_people()?;
        let kept = {
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let lookup = Box::new(|t: &str| people.cell_people(t));
            let mut masker =
                crate::report::people::Masker::looked_up(&refs, crate::i18n::Lang::Ja, lookup);
            let held: Vec<bool> = names.iter().map(|n| masker.holds_person(n)).collect();
            held
        };
        people.checked()?;
        Ok(names
            .into_iter()
            .zip(kept)
            .filter_map(|(n, person)| (!person).then_some(n))
            .collect())
    }

    pub fn history(&self) -> Result<Vec<HistoryRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT h.uid, h.rev, b.name, b.organiser, (SELECT COUNT(*) FROM bodies q WHERE q.name = b.name),
                    b.uid, h.fiscal_year, h.meetings, h.note
             FROM body_history h JOIN bodies b ON b.id = h.body_id
             ORDER BY h.body_id, h.fiscal_year",
        )?;
        let rows = stmt.query_map([], history_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
