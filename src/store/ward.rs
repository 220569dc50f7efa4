//! The database's identity: its ward (区), row 1 of `wards`, with a name and the 全国地方公共団体
//! コード when known; the other rows are wards whose records this database gathered (a city's).

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::identity::uid_column;
use super::{Result, Store, StoreError};
use crate::domain::ward::parse_code;
use crate::i18n::Lang;
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

/// The most cells a ward's column takes in the command line's tables: the widest label
/// renkei makes, an unnamed ward's beside another's (`（名前未設定）（0b6f2c3e）`), whole.
pub const LABEL_CELLS: usize = 26;

/// How a ward is named in lists: its name (or that it has none), with `code` beside it when
/// given (`北区（271276）`, as `renkei ward` lists the wards).
pub fn ward_label(name: &str, code: Option<&str>, lang: Lang) -> String {
    let name = if name.trim().is_empty() {
        lang.pick("（名前未設定）", "(unnamed)").to_owned()
    } else {
        name.to_owned()
    };
    match code {
        Some(code) => match lang {
            Lang::Ja => format!("{name}（{code}）"),
            Lang::En => format!("{name} ({code})"),
        },
        None => name,
    }
}

/// The wards of a database as its lists name them: by name, and where two wards share a name
/// (大阪市北区 271276 and 東京都北区 131172 in one city), with the code beside it — the name
/// alone tells them apart nowhere then (attack report 7, finding 9). Read whole: a city has a
/// few dozen wards.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WardLabels {
    /// By id.
    wards: Vec<WardName>,
}

#[derive(Debug, Clone, PartialEq)]
struct WardName {
    id: i64,
    uid: String,
    name: String,
    code: Option<String>,
    /// Another ward of the database has the same name (as [`same_ward`] compares names), or
    /// none as this one has none.
    shared: bool,
    /// Another ward of the same name has no code either: only the uid tells them apart.
    uncoded: bool,
}

impl WardLabels {
    /// The wards as (id, uid, name, code).
    pub fn new(rows: Vec<(i64, String, String, Option<String>)>) -> WardLabels {
        let keys: Vec<(String, bool)> = rows
            .iter()
            .map(|(_, _, name, code)| (name_key(name), code.is_some()))
            .collect();
        // Two wards without a name share the lack of one (finding 15: both listed as
        // （名前未設定）, their bodies under one heading twice).
        let others = |i: usize| -> Vec<bool> {
            keys.iter()
                .enumerate()
                .filter(|(j, (k, _))| *j != i && *k == keys[i].0)
                .map(|(_, (_, coded))| *coded)
                .collect()
        };
        let mut wards: Vec<WardName> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (id, uid, name, code))| {
                let others = others(i);
                WardName {
                    shared: !others.is_empty(),
                    uncoded: code.is_none() && others.iter().any(|coded| !coded),
                    id,
                    uid,
                    name,
                    code,
                }
            })
            .collect();
        wards.sort_by_key(|w| w.id);
        WardLabels { wards }
    }

    /// The database holds more than one ward (a city's, or one that gathered another ward's
    /// export).
    pub fn several(&self) -> bool {
        self.wards.len() > 1
    }

    fn get(&self, id: i64) -> Option<&WardName> {
        let at = self.wards.binary_search_by_key(&id, |w| w.id).ok()?;
        self.wards.get(at)
    }

    /// The wards' rows, in order.
    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.wards.iter().map(|w| w.id)
    }

    /// The ward's name as held.
    pub fn name(&self, id: i64) -> &str {
        self.get(id).map_or("", |w| w.name.as_str())
    }

    /// Its local government code, when known.
    pub fn code(&self, id: i64) -> Option<&str> {
        self.get(id).and_then(|w| w.code.as_deref())
    }

    /// Its uid (the interchange's and `renkei ward`'s).
    pub fn uid(&self, id: i64) -> Option<&str> {
        self.get(id).map(|w| w.uid.as_str())
    }

    /// The ward's cell in a list that has a ward column where the database holds several
    /// wards (a city's CSV and workbooks, as the ledger's): its label then, else none.
    pub fn column(&self, id: i64, lang: Lang) -> Option<String> {
        self.several().then(|| self.label(id, lang))
    }

    /// The wards `given` names (`--ward`): by name or local government code, as [`same_ward`]
    /// reads them.
    pub fn named(&self, given: &str) -> Vec<i64> {
        self.wards
            .iter()
            .filter(|w| same_ward(&w.name, w.code.as_deref(), given))
            .map(|w| w.id)
            .collect()
    }

    /// Every ward with its code, as `renkei ward` lists them (what `--ward` may name).
    pub fn listed(&self, lang: Lang) -> Vec<String> {
        self.wards
            .iter()
            .map(|w| ward_label(&w.name, w.code.as_deref(), lang))
            .collect()
    }

    /// The ward as lists show it: its name, with its code when another ward has the same name
    /// (or none, as it has none), and the start of its uid when neither has a code — one label
    /// for one ward wherever wards are listed or grouped.
    pub fn label(&self, id: i64, lang: Lang) -> String {
        match self.get(id) {
            Some(w) => ward_label(&w.name, Self::beside(w), lang),
            None => String::new(),
        }
    }

    fn beside(w: &WardName) -> Option<&str> {
        if !w.shared {
            return None;
        }
        match &w.code {
            Some(code) => Some(code),
            None if w.uncoded => Some(w.uid.get(..8).unwrap_or(&w.uid)),
            None => None,
        }
    }

    /// The ward in a column of `cells`: its label when it fits; else, for a ward whose name
    /// another shares, its code alone (`北区（..` would be both 北区); else the label, for the
    /// column to cut.
    pub fn label_in(&self, id: i64, lang: Lang, cells: usize) -> String {
        let label = self.label(id, lang);
        match self.get(id).and_then(Self::beside) {
            Some(code) if crate::text::width(&label) > cells && code.len() <= cells => {
                code.to_owned()
            }
            _ => label,
        }
    }

    /// The code a list gives beside the ward's name: where another ward has the same name.
    pub fn beside_name(&self, id: i64) -> Option<&str> {
        self.get(id)
            .filter(|w| w.shared)
            .and_then(|w| w.code.as_deref())
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
    keep_headers_of_one_ward(conn)?;
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
// Named as the lists name it ([`ward_label`]), in Japanese brackets whatever the document's
// language: the ward's name is Japanese either way.
pub(crate) fn shown_among_many(conn: &Connection, id: i64) -> Result<Option<String>> {
    let ward: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT name, code FROM wards WHERE id = ?1 AND (SELECT COUNT(*) FROM wards) > 1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(ward.map(|(name, code)| ward_label(&name, code.as_deref(), Lang::Ja)))
}

/// The ward the minutes of `meeting` show now ([`shown_among_many`] of its body's ward).
pub(crate) fn shown_for_meeting(conn: &Connection, meeting: i64) -> Result<Option<String>> {
    let ward: Option<i64> = conn
        .prepare_cached(
            "SELECT b.ward_id FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1",
        )?
        .query_row([meeting], |r| r.get(0))
        .optional()?;
    match ward {
        Some(ward) => shown_among_many(conn, ward),
        None => Ok(None),
    }
}

/// The ward approved minutes of `meeting` (of a body of ward `ward`) show: as they were
/// approved, whatever the database's wards became since — a ward renamed (`renkei ward set`) is
/// a 修正履歴 line of them, not a new header; a second ward gathered (an import, `demo --wards`)
/// adds no 区 line to a header that had none. The approval records the ward shown then (a
/// change of field `ward` that is no amendment, [`Store::approve_minutes`]); minutes approved
/// before it did, the first ward amendment's old value (a body moved to another ward); else the
/// ward as shown now.
pub(crate) fn shown_as_approved(
    conn: &Connection,
    meeting: i64,
    ward: i64,
) -> Result<Option<String>> {
    let at_approval: Option<Option<String>> = conn
        .prepare_cached(
            "SELECT new_value FROM changes
             WHERE meeting_id = ?1 AND entity = 'meeting' AND field = 'ward' AND amendment = 0
             ORDER BY at DESC, id DESC LIMIT 1",
        )?
        .query_row([meeting], |r| r.get(0))
        .optional()?;
    if let Some(shown) = at_approval {
        return Ok(shown);
    }
    let amended: Option<Option<String>> = conn
        .prepare_cached(
            "SELECT old_value FROM changes
             WHERE meeting_id = ?1 AND entity = 'meeting' AND field = 'ward' AND amendment = 1
             ORDER BY at, id LIMIT 1",
        )?
        .query_row([meeting], |r| r.get(0))
        .optional()?;
    match amended {
        Some(shown) => Ok(shown),
        None => shown_among_many(conn, ward),
    }
}

/// Before a database of one ward gathers a second: minutes approved without the ward recorded
/// (before renkei recorded it) were approved in a database of one ward, whose minutes show no
/// 区 line — recorded so, at their approval's time, as an approval records it.
pub(crate) fn keep_headers_of_one_ward(conn: &Connection) -> Result<()> {
    let one: bool = conn.query_row("SELECT COUNT(*) = 1 FROM wards", [], |r| r.get(0))?;
    if !one {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO changes (at, by, meeting_id, entity, entity_id, field, old_value, new_value,
                              amendment)
         SELECT COALESCE(m.approved_at, m.updated_at), m.approved_by, m.id, 'meeting', m.id,
                'ward', NULL, NULL, 0
         FROM meetings m
         WHERE m.minutes_state = 'approved'
           AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.meeting_id = m.id
                           AND c.entity = 'meeting' AND c.field = 'ward')",
        [],
    )?;
    Ok(())
}

/// Ward `id` renamed (or given a code) in a database of several wards: each approved minutes of
/// its bodies that show it (as approved) lists the change under 修正履歴, their header staying
/// as approved ([`shown_as_approved`]).
fn amend_renamed(
    conn: &Connection,
    now: &str,
    user: &str,
    id: i64,
    before: Option<&str>,
) -> Result<()> {
    let after = shown_among_many(conn, id)?;
    if before.is_none() || after.as_deref() == before {
        return Ok(());
    }
    let meetings: Vec<i64> = conn
        .prepare_cached(
            "SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id
             WHERE b.ward_id = ?1 AND m.minutes_state = 'approved' ORDER BY m.id",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for meeting in meetings {
        if shown_as_approved(conn, meeting, id)?.is_none() {
            continue;
        }
        let change = super::changes::Change::meeting(meeting, "ward", before, after.as_deref());
        super::changes::record_change(conn, now, user, &change)?;
    }
    Ok(())
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

    /// The wards as lists name them ([`WardLabels`]): one small read of `wards`, none of the
    /// bodies or meetings.
    pub fn ward_labels(&self) -> Result<WardLabels> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, uid, name, code FROM wards ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(WardLabels::new(rows.collect::<rusqlite::Result<_>>()?))
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
        let shown = shown_among_many(&tx, HOME)?;
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
        amend_renamed(&tx, &now, &user, HOME, shown.as_deref())?;
        let ward = ward_record(&tx, HOME)?;
        tx.commit()?;
        Ok(ward)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(rows: &[(i64, &str, Option<&str>)]) -> WardLabels {
        WardLabels::new(
            rows.iter()
                .map(|(id, name, code)| {
                    (
                        *id,
                        format!("uid-{id}"),
                        (*name).to_owned(),
                        code.map(str::to_owned),
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn a_name_two_wards_share_has_the_code_beside_it() {
        let wards = labels(&[
            (1, "大阪市", Some("271004")),
            (2, "北区", Some("271276")),
            (3, "北区　", Some("131172")),
            (4, "都島区", Some("271021")),
            (5, "", None),
        ]);
        assert!(wards.several());
        assert_eq!(wards.label(2, Lang::Ja), "北区（271276）");
        assert_eq!(wards.label(3, Lang::En), "北区　 (131172)");
        assert_eq!(wards.label(4, Lang::Ja), "都島区");
        assert_eq!(wards.label(1, Lang::Ja), "大阪市");
        assert_eq!(wards.label(5, Lang::Ja), "（名前未設定）");
        assert_eq!(wards.label(9, Lang::Ja), "");
        // Finding 15: two wards without a name, each its own label (code, else uid).
        let unnamed = labels(&[(1, "", None), (2, "", None), (3, "　", Some("271276"))]);
        assert_eq!(unnamed.label(1, Lang::Ja), "（名前未設定）（uid-1）");
        assert_eq!(unnamed.label(2, Lang::En), "(unnamed) (uid-2)");
        assert_eq!(unnamed.label(3, Lang::Ja), "（名前未設定）（271276）");
        // In a column too narrow for it, the uid's start alone.
        assert_eq!(unnamed.label_in(1, Lang::Ja, 14), "uid-1");
        let long = WardLabels::new(vec![
            (1, "0b6f2c3e-aaaa".to_owned(), String::new(), None),
            (2, "9d1e7f00-bbbb".to_owned(), String::new(), None),
        ]);
        assert_eq!(long.label(1, Lang::Ja), "（名前未設定）（0b6f2c3e）");
        assert_eq!(long.label(2, Lang::Ja), "（名前未設定）（9d1e7f00）");
        assert_eq!(
            (wards.name(3), wards.code(3), wards.uid(3)),
            ("北区　", Some("131172"), Some("uid-3"))
        );
        // A shared name whose other ward has no code: the one with a code says it.
        let wards = labels(&[(1, "北区", None), (2, "北区", Some("271276"))]);
        assert_eq!(wards.label(1, Lang::Ja), "北区");
        assert_eq!(wards.label(2, Lang::Ja), "北区（271276）");
        // A column too narrow for the name and the code gives the code.
        assert_eq!(wards.label_in(2, Lang::Ja, 14), "北区（271276）");
        assert_eq!(wards.label_in(2, Lang::Ja, 8), "271276");
        assert_eq!(wards.label_in(1, Lang::Ja, 2), "北区");
        assert!(!labels(&[(1, "江東区", Some("131083"))]).several());
    }
}
