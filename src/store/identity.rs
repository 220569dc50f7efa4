//! Global ids and revisions on the Rust side (SQLite makes them itself for every other insert,
//! see schema V4), and the one rule an import follows for a record the database already holds.

use rusqlite::{Connection, OptionalExtension};
use std::time::{SystemTime, UNIX_EPOCH};
use uuid::Uuid;

use super::Result;
use crate::i18n::{Msg, Words};
use crate::interchange::check::MAX_REV;

/// A new global id: a UUID version 7, time-ordered within this process.
pub fn new_uid() -> Uuid {
    Uuid::now_v7()
}

/// A new revision, as schema V4's `new_rev` makes them: the time in milliseconds and ten random
/// bits; never lower than `after + 1`.
pub fn new_rev(after: Option<i64>) -> i64 {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let random = (Uuid::now_v7().as_u128() & 1023) as i64;
    let now = ((i64::try_from(ms).unwrap_or(0) << 10) | random).min(KEPT_REV);
    match after {
        // Past the highest revision a file may carry, a record starts again from the clock's
        // (lower, and not the one it had: a file of its earlier state no longer matches it).
        Some(r) if r >= MAX_REV => now,
        Some(r) => now.max(r + 1),
        None => now,
    }
}

/// The highest revision an import keeps as a file gives it. Every edit in renkei raises a
/// record's revision by at least one and a file may carry up to [`MAX_REV`]: a record kept at a
/// revision just below 2^53 would, edited once, be exported with one no import takes. Above
/// this, an import gives the record a revision of its own (the clock's, as renkei makes them:
/// around 2^50 today, 2^52 in the year 2109), leaving 2^52 edits of room.
pub const KEPT_REV: i64 = 1 << 52;

/// The revision an import writes for a file's `rev` (none: a new one; above [`KEPT_REV`]: a new
/// one after `after`, see there).
pub fn kept_rev(rev: Option<i64>, after: Option<i64>) -> i64 {
    match rev {
        Some(r) if (0..=KEPT_REV).contains(&r) => r,
        _ => new_rev(after),
    }
}

/// A uid column read back (a row written by hand with a malformed one reads as none).
pub(crate) fn uid_column(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Uuid>> {
    // Parsed where SQLite holds the text (an export reads a million and a half: each was a
    // string made to be parsed and dropped); any other value is read as a string was before,
    // to fail as it failed.
    if let rusqlite::types::ValueRef::Text(text) = r.get_ref(i)?
        && let Ok(text) = std::str::from_utf8(text)
    {
        return Ok(Uuid::parse_str(text).ok());
    }
    Ok(r.get::<_, Option<String>>(i)?
        .and_then(|t| Uuid::parse_str(&t).ok()))
}

/// What an import knows of a record the database holds: its row, its revision, and the revision
/// an import gave it (none when it was made in this database).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub id: i64,
    pub rev: i64,
    pub imported_rev: Option<i64>,
}

impl Held {
    /// Came from an import and nobody changed it here since.
    pub fn unchanged_since_import(&self) -> bool {
        self.imported_rev == Some(self.rev)
    }

    /// Reads `id, rev, imported_rev` of the row of `table` with this uid.
    pub fn by_uid(conn: &Connection, table: &str, uid: &Uuid) -> Result<Option<Held>> {
        let sql = format!("SELECT id, rev, imported_rev FROM {table} WHERE uid = ?1");
        Ok(conn
            .prepare_cached(&sql)?
            .query_row([uid.to_string()], Held::from_row)
            .optional()?)
    }

    pub fn by_id(conn: &Connection, table: &str, id: i64) -> Result<Option<Held>> {
        let sql = format!("SELECT id, rev, imported_rev FROM {table} WHERE id = ?1");
        Ok(conn
            .prepare_cached(&sql)?
            .query_row([id], Held::from_row)
            .optional()?)
    }

    pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Held> {
        Ok(Held {
            id: r.get(0)?,
            rev: r.get(1)?,
            imported_rev: r.get(2)?,
        })
    }
}

/// What an import does with one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The database has it as the file says.
    Unchanged,
    /// Write the file's content, with this revision; `imported` when the record stays (or
    /// becomes) a copy of someone else's.
    Update { rev: i64, imported: bool },
    /// Leave it: the reason says why it cannot be overwritten.
    Conflict(Words),
}

/// The rule for a record the database holds whose content differs from the file's:
/// - the database still has the revision the file's export saw (the file was edited after the
///   export): update, with a new revision;
/// - the record came from an import and nobody changed it here since: a newer revision from its
///   source updates it (keeping the source's revision); an older one is a conflict;
/// - otherwise it was made or changed in this database after the export: a conflict.
pub fn decide(held: &Held, file_rev: Option<i64>) -> Decision {
    if file_rev == Some(held.rev) {
        return Decision::Update {
            rev: new_rev(Some(held.rev)),
            imported: held.imported_rev.is_some(),
        };
    }
    if held.unchanged_since_import() {
        return match file_rev {
            Some(r) if r > held.rev => Decision::Update {
                rev: kept_rev(Some(r), Some(held.rev)),
                imported: true,
            },
            Some(_) => Decision::Conflict(said("conflict_newer_held")),
            // A hand-made record replaces a copy nobody here has touched.
            None => Decision::Update {
                rev: new_rev(Some(held.rev)),
                imported: true,
            },
        };
    }
    Decision::Conflict(said(if held.imported_rev.is_some() {
        "conflict_changed_since_import"
    } else if file_rev.is_some() {
        "conflict_changed_since_export"
    } else {
        "conflict_made_here"
    }))
}

/// [`decide`] for what was captured in renkei — a meeting's entries, attendees, roles and
/// actions, and a meeting begun here: the file's edit of a revision that was made or changed in
/// this database (not a copy of an import's) is a conflict, never an update. An export edited
/// and imported again rewrote notes typed at the meeting and removed them by a `deleted_at`
/// (attack of 2026-12-05, round 32b, finding 3): imports never overwrite what was captured here.
pub fn decide_captured(held: &Held, file_rev: Option<i64>) -> Decision {
    if file_rev == Some(held.rev) && !held.unchanged_since_import() {
        return Decision::Conflict(said("conflict_captured_here"));
    }
    decide(held, file_rev)
}

/// A message of the catalogue without values, in both languages.
pub fn said(key: &'static str) -> Words {
    Words::from(Msg::new(key))
}

/// Writes `column = value` of one row without renewing its revision: a link resolved after the
/// row was written (a meeting that closed an action, named later in the file) is not a change.
/// The revision is flipped out of the way for the update (so the trigger leaves it) and back.
pub fn set_keeping_rev(
    conn: &Connection,
    table: &str,
    column: &str,
    id: i64,
    value: &dyn rusqlite::ToSql,
) -> Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE {table} SET {column} = ?2, rev = -1 - rev WHERE id = ?1"
    ))?
    .execute(rusqlite::params![id, value])?;
    conn.prepare_cached(&format!("UPDATE {table} SET rev = -1 - rev WHERE id = ?1"))?
        .execute([id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(rev: i64, imported: Option<i64>) -> Held {
        Held {
            id: 1,
            rev,
            imported_rev: imported,
        }
    }

    #[test]
    fn revisions_grow_and_stay_exact_in_json() {
        let a = new_rev(None);
        assert!(a > 0 && a <= MAX_REV);
        assert!(new_rev(Some(a)) > a);
        assert_eq!(new_rev(Some(MAX_REV - 1)), MAX_REV);
        // At the top a record starts again from the clock's, never past what a file may carry.
        let wrapped = new_rev(Some(MAX_REV));
        assert!(wrapped <= KEPT_REV && wrapped > 0, "{wrapped}");
    }

    #[test]
    fn an_import_keeps_revisions_an_edit_can_still_raise() {
        assert_eq!(kept_rev(Some(7), None), 7);
        assert_eq!(kept_rev(Some(KEPT_REV), None), KEPT_REV);
        for high in [KEPT_REV + 1, MAX_REV] {
            let kept = kept_rev(Some(high), Some(5));
            assert!(kept > 5 && kept <= KEPT_REV, "{kept}");
        }
        // A copy nobody touched, updated from a file at the top: kept below the ceiling.
        match decide(&held(5, Some(5)), Some(MAX_REV)) {
            Decision::Update { rev, imported } => {
                assert!(imported && rev > 5 && rev <= KEPT_REV, "{rev}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_rule() {
        // The file saw this revision: an edited export updates.
        assert!(matches!(
            decide(&held(5, None), Some(5)),
            Decision::Update {
                imported: false,
                ..
            }
        ));
        // Changed here since the export.
        assert!(matches!(
            decide(&held(6, None), Some(5)),
            Decision::Conflict(_)
        ));
        // Made here, and a hand-made record: never replaced.
        assert!(matches!(
            decide(&held(6, None), None),
            Decision::Conflict(_)
        ));
        // A copy nobody touched: a newer revision updates, an older one does not.
        assert_eq!(
            decide(&held(5, Some(5)), Some(9)),
            Decision::Update {
                rev: 9,
                imported: true
            }
        );
        assert!(matches!(
            decide(&held(5, Some(5)), Some(3)),
            Decision::Conflict(_)
        ));
        assert!(matches!(
            decide(&held(5, Some(5)), None),
            Decision::Update { imported: true, .. }
        ));
        // A copy changed here since its import.
        assert!(matches!(
            decide(&held(7, Some(5)), Some(9)),
            Decision::Conflict(_)
        ));
    }
}
