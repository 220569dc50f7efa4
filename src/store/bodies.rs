//! Agencies and bodies (会議体): upserts keyed by name (agencies) and by name + organiser (bodies).

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, cached};
use crate::text::trim_blanks;

pub use super::interchange::{AgencyRecord, BodyRecord, HistoryRecord};

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
    cached(conn, "INSERT INTO agencies (name) VALUES (?1)", [name])?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn optional_agency_id(conn: &Connection, name: Option<&str>) -> Result<Option<i64>> {
    match name.map(trim_blanks) {
        Some(n) if !n.is_empty() => agency_id(conn, n).map(Some),
        _ => Ok(None),
    }
}

pub(crate) fn upsert_agency(conn: &Connection, rec: &AgencyRecord) -> Result<i64> {
    let id = agency_id(conn, &rec.name)?;
    conn.execute(
        "UPDATE agencies SET kind = ?2, sites = ?3, note = ?4, municipality = ?5 WHERE id = ?1",
        params![id, rec.kind, rec.sites, rec.note, rec.municipality],
    )?;
    Ok(id)
}

/// Inserts the body, or updates the one with the same name and organiser; members are replaced.
/// The parent is linked separately ([`link_parent`]) once every body of an import exists.
pub(crate) fn upsert_body(conn: &Connection, now: &str, rec: &BodyRecord) -> Result<i64> {
    let id: i64 = conn.query_row(
        "INSERT INTO bodies (name, organiser, municipality, expected_size, topics, frequency_text,
                             personal_info, kind, tier, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
         ON CONFLICT (name, organiser) DO UPDATE SET
             municipality = excluded.municipality, expected_size = excluded.expected_size,
             topics = excluded.topics, frequency_text = excluded.frequency_text,
             personal_info = excluded.personal_info, kind = excluded.kind, tier = excluded.tier,
             note = excluded.note, updated_at = excluded.updated_at
         RETURNING id",
        params![
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
            now
        ],
        |r| r.get(0),
    )?;
    conn.execute("DELETE FROM body_members WHERE body_id = ?1", [id])?;
    let mut position = 0;
    for member in rec
        .members
        .iter()
        .map(|m| trim_blanks(m))
        .filter(|m| !m.is_empty())
    {
        let agency = agency_id(conn, member)?;
        position += 1;
        conn.execute(
            "INSERT OR IGNORE INTO body_members (body_id, agency_id, position) VALUES (?1, ?2, ?3)",
            params![id, agency, position],
        )?;
    }
    Ok(id)
}

/// The body with this name (and organiser, when given). A name shared by several bodies must be
/// told apart by its organiser.
pub(crate) fn find_body(
    conn: &Connection,
    name: &str,
    organiser: Option<&str>,
) -> Result<Option<i64>> {
    let name = trim_blanks(name);
    if let Some(org) = organiser.map(trim_blanks).filter(|o| !o.is_empty()) {
        return Ok(conn
            .query_row(
                "SELECT id FROM bodies WHERE name = ?1 AND organiser = ?2",
                [name, org],
                |r| r.get(0),
            )
            .optional()?);
    }
    let mut stmt =
        conn.prepare_cached("SELECT id, organiser FROM bodies WHERE name = ?1 ORDER BY id")?;
    let found: Vec<(i64, String)> = stmt
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    match found.as_slice() {
        [] => Ok(None),
        [(id, _)] => Ok(Some(*id)),
        many => Err(StoreError::Invalid(format!(
            "body '{name}' is ambiguous: {} bodies have that name (organisers: {}); name the organiser too",
            many.len(),
            many.iter()
                .map(|(_, o)| o.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub(crate) fn link_parent(conn: &Connection, body: i64, parent: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE bodies SET parent_id = ?2 WHERE id = ?1",
        params![body, parent],
    )?;
    Ok(())
}

pub(crate) fn upsert_history(conn: &Connection, body: i64, rec: &HistoryRecord) -> Result<()> {
    conn.execute(
        "INSERT INTO body_history (body_id, fiscal_year, meetings, note) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (body_id, fiscal_year) DO UPDATE SET meetings = excluded.meetings, note = excluded.note",
        params![body, rec.fiscal_year, rec.meetings, rec.note],
    )?;
    Ok(())
}

/// A body as stored, with its id and the names of its parent and members.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBody {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// The date and id of the last meeting held.
    pub last_held: Option<chrono::NaiveDate>,
    pub last_held_id: Option<i64>,
    pub record: BodyRecord,
}

impl Store {
    /// Every body, in registry order (the order they were first imported).
    pub fn bodies(&self) -> Result<Vec<StoredBody>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT b.id, b.name, b.organiser, b.municipality, b.expected_size, b.topics,
                    b.frequency_text, b.personal_info, b.kind, b.tier, b.note, b.parent_id,
                    p.name, p.organiser,
                    (SELECT COUNT(*) FROM bodies q WHERE q.name = p.name),
                    (SELECT MAX(date) FROM meetings m WHERE m.body_id = b.id AND m.status = 'held'),
                    (SELECT m.id FROM meetings m WHERE m.body_id = b.id AND m.status = 'held'
                     ORDER BY m.date DESC, m.id DESC LIMIT 1)
             FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id
             ORDER BY b.id",
        )?;
        let mut bodies: Vec<StoredBody> = stmt
            .query_map([], |r| {
                let parent_name: Option<String> = r.get(12)?;
                let parent_org: Option<String> = r.get(13)?;
                let parent_shared: i64 = r.get(14)?;
                let last_held: Option<String> = r.get(15)?;
                Ok(StoredBody {
                    id: r.get(0)?,
                    parent_id: r.get(11)?,
                    last_held: last_held
                        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    last_held_id: r.get(16)?,
                    record: BodyRecord {
                        name: r.get(1)?,
                        organiser: r.get(2)?,
                        municipality: r.get(3)?,
                        expected_size: r.get(4)?,
                        topics: r.get(5)?,
                        frequency: r.get(6)?,
                        personal_info: r.get(7)?,
                        kind: r.get(8)?,
                        tier: r.get(9)?,
                        note: r.get(10)?,
                        parent: parent_name,
                        parent_organiser: parent_org.filter(|_| parent_shared > 1),
                        members: Vec::new(),
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut members = conn.prepare_cached(
            "SELECT m.body_id, a.name FROM body_members m JOIN agencies a ON a.id = m.agency_id
             ORDER BY m.body_id, m.position",
        )?;
        let rows = members.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
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

    pub fn agencies(&self) -> Result<Vec<AgencyRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT name, kind, sites, note, municipality FROM agencies
             WHERE kind <> '' OR sites IS NOT NULL OR note <> '' OR municipality <> '' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(AgencyRecord {
                name: r.get(0)?,
                kind: r.get(1)?,
                sites: r.get(2)?,
                note: r.get(3)?,
                municipality: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every agency name the section has met, for pickers: members of bodies and attendees.
    pub fn agency_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT name FROM agencies ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn history(&self) -> Result<Vec<HistoryRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT b.name, b.organiser, (SELECT COUNT(*) FROM bodies q WHERE q.name = b.name),
                    h.fiscal_year, h.meetings, h.note
             FROM body_history h JOIN bodies b ON b.id = h.body_id
             ORDER BY h.body_id, h.fiscal_year",
        )?;
        let rows = stmt.query_map([], |r| {
            let shared: i64 = r.get(2)?;
            Ok(HistoryRecord {
                body: r.get(0)?,
                organiser: Some(r.get::<_, String>(1)?).filter(|_| shared > 1),
                fiscal_year: r.get(3)?,
                meetings: r.get(4)?,
                note: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
