//! For the unit tests: a database filled once per test binary and copied into each test's own
//! directory (a demo is built in seconds; a copy of it in milliseconds), and an empty database
//! of the latest schema copied in memory instead of migrated again for each case of a property.

use std::path::Path;
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, FixedOffset};
use rusqlite::Connection;

use super::Store;
use crate::clock::Clock;

/// The bytes of a database made by `fill` on a store at `now` (the first call's), kept in
/// `template` for every later call: `fill` runs once per test binary.
fn template_bytes(
    template: &OnceLock<Vec<u8>>,
    now: DateTime<FixedOffset>,
    fill: impl FnOnce(&mut Store),
) -> &[u8] {
    template.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.db");
        let mut store = Store::open(&path, Clock::fixed(now)).unwrap();
        fill(&mut store);
        // Closed, its write-ahead log is checkpointed into the file and removed.
        drop(store);
        assert!(!dir.path().join("template.db-wal").exists());
        std::fs::read(&path).unwrap()
    })
}

/// A store at `path` (whose directory the test owns) under a fixed clock at `now`, holding what
/// `fill` wrote into a store of that clock: the database made once per test binary (the first
/// call's `fill` and `now`) and copied.
pub(crate) fn copied_store(
    template: &OnceLock<Vec<u8>>,
    path: &Path,
    now: DateTime<FixedOffset>,
    fill: impl FnOnce(&mut Store),
) -> Store {
    use std::os::unix::fs::PermissionsExt;
    assert!(!path.exists(), "{}", path.display());
    std::fs::write(path, template_bytes(template, now, fill)).unwrap();
    // Only its owner may read it, as a database renkei makes.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    Store::open(path, Clock::fixed(now)).unwrap()
}

/// An empty database of the latest schema in memory, foreign keys on as the store keeps them:
/// the schema migrated once per test binary, copied (SQLite's backup) into each new connection.
pub(crate) fn migrated_in_memory() -> Connection {
    static MIGRATED: OnceLock<Mutex<Connection>> = OnceLock::new();
    let template = MIGRATED.get_or_init(|| {
        let mut conn = Connection::open_in_memory().unwrap();
        super::schema::migrate(&mut conn).unwrap();
        Mutex::new(conn)
    });
    let mut conn = Connection::open_in_memory().unwrap();
    {
        let template = template.lock().unwrap_or_else(|e| e.into_inner());
        let backup = rusqlite::backup::Backup::new(&template, &mut conn).unwrap();
        backup
            .run_to_completion(1024, std::time::Duration::ZERO, None)
            .unwrap();
    }
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    conn
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The copy is the migrated database: the same schema, objects and version.
    #[test]
    fn a_copied_schema_is_the_migrated_one() {
        let mut fresh = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut fresh).unwrap();
        let copy = migrated_in_memory();
        let schema = |c: &Connection| -> Vec<(String, String)> {
            let mut stmt = c
                .prepare("SELECT name, ifnull(sql, '') FROM sqlite_master ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert!(schema(&fresh).len() > 20);
        assert_eq!(schema(&copy), schema(&fresh));
        let version = |c: &Connection| -> i64 {
            c.query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(version(&copy), version(&fresh));
        let fk: i64 = copy
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }
}
