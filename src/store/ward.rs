//! The database's identity: its ward (区), row 1 of `wards`, with a name and the 全国地方公共団体
//! コード when known; the other rows are wards whose records this database gathered (a city's).

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::identity::uid_column;
use super::{Result, Store, StoreError};
use crate::domain::ward::parse_code;
use crate::interchange::WardRecord;

/// The row of this database's own ward.
pub const HOME: i64 = 1;

/// A ward as lists show it, with what the database holds of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ward {
    pub id: i64,
    pub uid: Uuid,
    pub name: String,
    pub code: Option<String>,
    pub bodies: usize,
    pub meetings: usize,
}

impl Ward {
    pub fn is_home(&self) -> bool {
        self.id == HOME
    }

    pub fn record(&self) -> WardRecord {
        WardRecord {
            uid: Some(self.uid),
            name: self.name.clone(),
            code: self.code.clone(),
        }
    }
}

pub(crate) fn ward_record(conn: &Connection, id: i64) -> Result<WardRecord> {
    Ok(conn
        .prepare_cached("SELECT uid, name, code FROM wards WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(WardRecord {
                uid: uid_column(r, 0)?,
                name: r.get(1)?,
                code: r.get(2)?,
            })
        })?)
}

/// The ward of a document: found by uid, else by code (a code names one local government
/// wherever the file was made); `adopt` makes a blank database take the file's ward as its own,
/// so that an export imported into an empty database is the same database again. A ward not
/// known yet is added.
pub(crate) fn resolve(conn: &Connection, ward: &WardRecord, adopt: bool) -> Result<(i64, bool)> {
    if let Some(uid) = &ward.uid
        && let Some(id) = conn
            .prepare_cached("SELECT id FROM wards WHERE uid = ?1")?
            .query_row([uid.to_string()], |r| r.get::<_, i64>(0))
            .optional()?
    {
        return Ok((id, false));
    }
    // A code (five or six digits, full-width too) or, without uid or code, a name: the one rule
    // `--ward` follows too ([`same_ward`]), this database's own ward first.
    let given = match (&ward.uid, &ward.code) {
        (_, Some(code)) => Some(code.as_str()),
        (None, None) => Some(ward.name.as_str()),
        (Some(_), None) => None,
    };
    if let Some(given) = given {
        let mut stmt = conn.prepare_cached("SELECT id, name, code FROM wards ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut found: Vec<(i64, Option<String>)> = Vec::new();
        for row in rows {
            let (id, name, code) = row?;
            if same_ward(&name, code.as_deref(), given) {
                found.push((id, code));
            }
        }
        match found.as_slice() {
            [] => {}
            [(id, _)] => return Ok((*id, false)),
            // By its name only, two wards of one name (北区 of two cities): this database's own
            // first, as said; else which was meant is not known (attack report 6, finding 15).
            [(id, _), ..] if *id == HOME => return Ok((HOME, false)),
            several => {
                let codes: Vec<String> = several.iter().filter_map(|(_, c)| c.clone()).collect();
                return Err(StoreError::Invalid(crate::i18n::said(
                    "import_ward_ambiguous",
                    &[
                        ("name", ward.name.trim().to_owned()),
                        ("count", several.len().to_string()),
                        ("codes", codes.join("、")),
                    ],
                )));
            }
        }
    }
    // Stored as six ASCII digits, however the file wrote it.
    let code = ward
        .code
        .as_deref()
        .map(|c| parse_code(c).unwrap_or_else(|_| c.to_owned()));
    if adopt && is_blank(conn)? {
        conn.execute(
            "UPDATE wards SET uid = COALESCE(?2, uid), name = ?3, code = ?4 WHERE id = ?1",
            params![
                HOME,
                ward.uid.map(|u| u.to_string()),
                ward.name.trim(),
                code
            ],
        )?;
        return Ok((HOME, false));
    }
    let uid = ward.uid.unwrap_or_else(super::identity::new_uid);
    conn.execute(
        "INSERT INTO wards (uid, name, code) VALUES (?1, ?2, ?3)",
        params![uid.to_string(), ward.name.trim(), code],
    )?;
    let id = conn.last_insert_rowid();
    Ok((id, true))
}

/// Whether `given` names the ward held as `name` (with `code`): its local government code (five
/// or six digits, full-width too: [`parse_code`]), or its name compared without blanks anywhere
/// and without width (`都島 区`, `都島区　` and `都島区` are one ward). The one rule for an import's
/// `ward` and for `--ward`.
pub fn same_ward(name: &str, code: Option<&str>, given: &str) -> bool {
    if let Ok(given) = parse_code(given)
        && code.and_then(|c| parse_code(c).ok()).as_deref() == Some(given.as_str())
    {
        return true;
    }
    let key = name_key(given);
    !key.is_empty() && name_key(name) == key
}

/// A ward's name as [`same_ward`] compares it: NFKC, every blank removed.
fn name_key(name: &str) -> String {
    crate::text::fold_name(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A database nothing was put in yet, whose ward nobody named.
fn is_blank(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM bodies) AND NOT EXISTS (SELECT 1 FROM meetings)
                AND NOT EXISTS (SELECT 1 FROM wards WHERE id <> 1)
                AND (SELECT name = '' AND code IS NULL FROM wards WHERE id = 1)",
        [],
        |r| r.get(0),
    )?)
}

/// Ward `id` as a filed document names it (`都島区（271021）`), where the database holds several
/// wards (a city's): a meeting's minutes and a case's record of one ward are told from another
/// ward's same-named body or pseudonym. `None` in a ward's own database.
pub(crate) fn shown_among_many(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT name || COALESCE('（' || code || '）', '') FROM wards
             WHERE id = ?1 AND (SELECT COUNT(*) FROM wards) > 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

impl Store {
    /// This database's ward, and the other wards it holds records of, with their counts.
    pub fn wards(&self) -> Result<Vec<Ward>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT w.id, w.uid, w.name, w.code,
                    (SELECT COUNT(*) FROM bodies b WHERE b.ward_id = w.id),
                    (SELECT COUNT(*) FROM meetings m JOIN bodies b ON b.id = m.body_id
                     WHERE b.ward_id = w.id)
             FROM wards w ORDER BY w.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, uid, name, code, bodies, meetings) = row?;
            out.push(Ward {
                id,
                uid: Uuid::parse_str(&uid)
                    .map_err(|_| StoreError::Invalid(format!("ward {id}: '{uid}' is not a uid")))?,
                name,
                code,
                bodies: usize::try_from(bodies).unwrap_or(0),
                meetings: usize::try_from(meetings).unwrap_or(0),
            });
        }
        Ok(out)
    }

    /// The wards that have bodies, by id, with their names: a seek in the bodies' index by
    /// ward for each ward, never a read of every body.
    pub fn body_wards(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT w.id, w.name FROM wards w
             WHERE EXISTS (SELECT 1 FROM bodies b WHERE b.ward_id = w.id)
             ORDER BY w.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// This database's own ward.
    pub fn home_ward(&self) -> Result<WardRecord> {
        ward_record(self.conn(), HOME)
    }

    /// Names this database's ward (`renkei ward set`); the code, when given, must be a valid
    /// 全国地方公共団体コード and not one of another ward this database holds (not given, the
    /// ward's code is kept). Audited.
    pub fn set_ward(&mut self, name: &str, code: Option<&str>) -> Result<WardRecord> {
        super::limits::texts(&[("name", name)])?;
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(crate::i18n::said(
                "ward_name_empty",
                &[],
            )));
        }
        if name.contains('\0') {
            return Err(StoreError::Invalid(crate::i18n::said("ward_name_nul", &[])));
        }
        let code = code
            .map(parse_code)
            .transpose()
            .map_err(|e| StoreError::Invalid(format!("--code: {e}")))?;
        let now = self.now_text();
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        if let Some(code) = &code {
            let other: Option<String> = tx
                .query_row(
                    "SELECT name FROM wards WHERE code = ?1 AND id <> 1",
                    [code],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other) = other {
                return Err(StoreError::Invalid(format!(
                    "--code: {}",
                    crate::i18n::said(
                        "ward_code_of_another",
                        &[("code", code.clone()), ("other", other)]
                    )
                )));
            }
        }
        let old = ward_record(&tx, HOME)?;
        // Without a code the one it has is kept: the code is what a city and a restore know
        // the ward by, never erased by the name typed again.
        tx.execute(
            "UPDATE wards SET name = ?2, code = COALESCE(?3, code) WHERE id = ?1",
            params![HOME, name, code],
        )?;
        tx.execute(
            "INSERT INTO audit (at, by, action, meeting_id, detail) VALUES (?1, ?2, 'ward_set', NULL, ?3)",
            params![
                now,
                user,
                format!(
                    "{} ({}) -> {name} ({})",
                    old.name,
                    old.code.clone().unwrap_or_default(),
                    code.clone().or(old.code).unwrap_or_default()
                )
            ],
        )?;
        let ward = ward_record(&tx, HOME)?;
        tx.commit()?;
        Ok(ward)
    }
}
