//! The store on disk: creation, permissions, refusal of foreign and newer files.

use crate::common;

use common::{TempDb, clock, mode};
use renkei::store::{Store, StoreError, schema};

#[test]
fn fresh_database_is_private_and_in_wal_mode() {
    let db = TempDb::new();
    let store = db.open();
    assert_eq!(store.schema_version().unwrap(), schema::LATEST);
    let journal: String = store
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let fk: i64 = store
        .conn()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = store
        .conn()
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    assert_eq!(mode(&db.path), 0o600);
    for suffix in ["-wal", "-shm"] {
        let sidecar = db.path.with_file_name(format!("renkei.db{suffix}"));
        if sidecar.exists() {
            assert_eq!(mode(&sidecar), 0o600, "{suffix}");
        }
    }
}

#[test]
fn missing_directories_are_created_owner_only() {
    let db = TempDb::new();
    let path = db.dir.path().join("a/b/renkei.db");
    Store::open(&path, clock()).unwrap();
    assert_eq!(mode(&db.dir.path().join("a")), 0o700);
    assert_eq!(mode(&db.dir.path().join("a/b")), 0o700);
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn permissions_hold_whatever_the_umask() {
    // The file is created with an explicit mode and then chmod-ed, so a permissive umask
    // cannot widen it. (umask is process-wide, so this test only inspects the result.)
    let db = TempDb::new();
    db.open();
    assert_eq!(mode(&db.path) & 0o077, 0);
}

#[test]
fn setgid_directory_gives_group_access_never_world() {
    use std::os::unix::fs::PermissionsExt;
    let db = TempDb::new();
    let shared = db.dir.path().join("section");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let path = shared.join("ward.db");
    Store::open(&path, clock()).unwrap();
    assert_eq!(mode(&path), 0o660);
    for suffix in ["-wal", "-shm"] {
        let sidecar = shared.join(format!("ward.db{suffix}"));
        if sidecar.exists() {
            assert_eq!(mode(&sidecar) & 0o007, 0, "{suffix} never world-readable");
        }
    }
    // A directory renkei creates inside the shared one is shared the same way.
    let nested = shared.join("2026").join("ward.db");
    Store::open(&nested, clock()).unwrap();
    assert_eq!(mode(&shared.join("2026")), 0o2770);
    assert_eq!(mode(&nested), 0o660);
}

#[test]
fn reopening_keeps_data() {
    let db = TempDb::new();
    {
        let store = db.open();
        store
            .conn()
            .execute("INSERT INTO agencies (name) VALUES ('社会福祉協議会')", [])
            .unwrap();
    }
    let store = db.open();
    let n: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM agencies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn newer_database_is_refused_and_left_untouched() {
    let db = TempDb::new();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&db.path).unwrap();
    let err = Store::open(&db.path, clock())
        .err()
        .expect("a newer schema must be refused");
    assert!(
        matches!(err, StoreError::TooNewAt { found: 99, .. }),
        "{err}"
    );
    let message = err.to_string();
    assert!(message.contains("newer"), "{message}");
    assert!(
        message.contains(&db.path.display().to_string()),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&db.path).unwrap(),
        before,
        "the file must not change"
    );
    assert!(!db.path.with_file_name("renkei.db-wal").exists());
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_clearly() {
    let db = TempDb::new();
    let path = db.file(
        "notes.db",
        "これはデータベースではありません\n".repeat(100).as_bytes(),
    );
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, clock()).err().expect("must refuse");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("notes.db"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn writers_wait_for_each_other_instead_of_failing() {
    let db = TempDb::new();
    let store = db.open();
    // Opening a second store while the first holds a write transaction neither fails nor writes.
    store
        .conn()
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO agencies (name) VALUES ('A');")
        .unwrap();
    let second = db.open();
    // A write of the second waits until the first commits, however long that takes.
    let path = db.path.clone();
    let writer = std::thread::spawn(move || {
        let second = Store::open(&path, clock()).unwrap();
        second
            .conn()
            .execute("INSERT INTO agencies (name) VALUES ('C')", [])
            .unwrap();
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    store.conn().execute_batch("COMMIT").unwrap();
    writer.join().unwrap();
    second
        .conn()
        .execute("INSERT INTO agencies (name) VALUES ('B')", [])
        .unwrap();
    let n: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM agencies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
}

/// Every column a version-3 database has, table by table, with every row: what the upgrade must
/// keep.
fn old_columns(conn: &rusqlite::Connection) -> Vec<(String, Vec<String>)> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let columns: Vec<String> = conn
                .prepare(&format!("PRAGMA table_info(\"{t}\")"))
                .unwrap()
                .query_map([], |r| r.get(1))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (t, columns)
        })
        .collect()
}

fn rows_of(conn: &rusqlite::Connection, table: &str, columns: &[String]) -> Vec<String> {
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn
        .prepare(&format!("SELECT {list} FROM \"{table}\" ORDER BY rowid"))
        .unwrap();
    stmt.query_map([], |r| {
        let mut cells = Vec::new();
        for i in 0..columns.len() {
            let v: rusqlite::types::Value = r.get(i)?;
            cells.push(format!("{v:?}"));
        }
        Ok(cells.join("|"))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn a_version_3_database_with_data_upgrades_keeping_everything() {
    let db = TempDb::new();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        for (i, step) in schema::MIGRATIONS[..3].iter().enumerate() {
            conn.execute_batch(step).unwrap();
            conn.pragma_update(None, "user_version", (i + 1) as i64)
                .unwrap();
        }
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             INSERT INTO agencies (name, kind, sites) VALUES ('健康推進課', '保健', 2), ('地域福祉課', '', NULL);
             INSERT INTO bodies (name, organiser, frequency_text, created_at, updated_at)
                 VALUES ('支援会議', '地域福祉課', '毎月', 't0', 't0'), ('コア会議', '地域福祉課', '随時', 't0', 't0');
             UPDATE bodies SET parent_id = 1 WHERE id = 2;
             INSERT INTO body_members VALUES (1, 1, 1), (1, 2, 2);
             INSERT INTO body_history VALUES (1, 2024, 12, '区報');
             INSERT INTO meetings (body_id, date, start_time, status, minutes_state, approved_at,
                                   approved_by, created_by, created_at, updated_at, chair)
                 VALUES (1, '2026-10-06', '14:00', 'held', 'approved', '2026-10-07T09:00:00+09:00',
                         'sato', 'sato', 't1', 't1', 'sato'),
                        (1, '2026-11-03', '14:00', 'held', 'draft', NULL, '', 'sato', 't2', 't2', '');
             INSERT INTO attendees (meeting_id, position, agency_id, name, role, created_at, updated_at)
                 VALUES (1, 1, 2, '佐藤 健一', 'facilitator', 't1', 't1');
             INSERT INTO agenda_items (meeting_id, position, title, planned_min, created_at, updated_at)
                 VALUES (1, 1, '協議', 30, 't1', 't1');
             INSERT INTO agenda_entries (item_id, kind, text, created_by, created_at, updated_at)
                 VALUES (1, 'note', 'A1', 'sato', 't1', 't1'), (1, 'decision', '訪問は週1回', 'sato', 't1', 't1');
             INSERT INTO role_assignments (meeting_id, agency_id, responsibility, created_at, updated_at)
                 VALUES (1, 1, '訪問', 't1', 't1');
             INSERT INTO next_actions (meeting_id, agency_id, text, status, closed_at, closed_in,
                                       created_at, updated_at)
                 VALUES (1, 1, '医療機関をあたる', 'done', 't2', 2, 't1', 't2');
             INSERT INTO case_issues (meeting_id, category, created_at) VALUES (1, '孤立', 't1');
             INSERT INTO changes (at, by, meeting_id, entity, entity_id, field, old_value, new_value, amendment)
                 VALUES ('t3', 'sato', 1, 'meeting', 1, 'place', '', '第5会議室', 1),
                        ('t3', 'sato', 1, 'agenda_entry', 2, 'text', '訪問は隔週', '訪問は週1回', 1);
             INSERT INTO audit (at, by, action, meeting_id, detail) VALUES ('t1', 'sato', 'approve', 1, '');",
        )
        .unwrap();
    }
    let (before, tables) = {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        let tables = old_columns(&conn);
        let rows: Vec<Vec<String>> = tables.iter().map(|(t, c)| rows_of(&conn, t, c)).collect();
        (rows, tables)
    };
    let store = db.open();
    assert_eq!(store.schema_version().unwrap(), schema::LATEST);
    let conn = store.conn();
    for ((table, columns), rows) in tables.iter().zip(&before) {
        assert_eq!(
            &rows_of(conn, table, columns),
            rows,
            "{table}: nothing lost"
        );
    }
    // Every record has a uid, a version-7 UUID, and a revision.
    for table in [
        "agencies",
        "bodies",
        "body_history",
        "meetings",
        "attendees",
        "agenda_items",
        "agenda_entries",
        "role_assignments",
        "next_actions",
        "case_issues",
        "changes",
    ] {
        let uids: Vec<String> = conn
            .prepare(&format!("SELECT uid FROM {table}"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(!uids.is_empty(), "{table}");
        for uid in &uids {
            let parsed = uuid::Uuid::parse_str(uid).unwrap_or_else(|_| panic!("{table}: {uid}"));
            assert_eq!(parsed.get_version_num(), 7, "{table}: {uid}");
            assert_eq!(uid, &parsed.to_string(), "written the one way");
        }
        let distinct: i64 = conn
            .query_row(
                &format!("SELECT COUNT(DISTINCT uid) FROM {table}"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(distinct as usize, uids.len(), "{table}");
    }
    // Registry data came from imports; meetings of an old database count as made here.
    let copies = |table: &str| -> i64 {
        conn.query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE imported_rev IS rev"),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(copies("bodies"), 2);
    assert_eq!(copies("agencies"), 2);
    assert_eq!(copies("meetings"), 0);
    // The history names its meeting and record by uid, and outlives the meeting.
    let unnamed: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM changes WHERE meeting_uid IS NULL OR entity_uid IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unnamed, 0);
    conn.execute("DELETE FROM meetings WHERE id = 1", [])
        .unwrap();
    let kept: i64 = conn
        .query_row("SELECT COUNT(*) FROM changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 2, "deleting a meeting keeps its changes");
    // Bodies now belong to this database's ward.
    let ward: i64 = conn
        .query_row("SELECT COUNT(*) FROM bodies WHERE ward_id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(ward, 2);
}

#[test]
fn every_insert_gets_a_uid_and_every_change_a_new_revision() {
    let db = TempDb::new();
    let store = db.open();
    let conn = store.conn();
    // As an sqlite3 user would: no uid, no revision given.
    conn.execute(
        "INSERT INTO bodies (name, created_at, updated_at) VALUES ('手で足した会議', 'x', 'x')",
        [],
    )
    .unwrap();
    let (uid, rev): (String, i64) = conn
        .query_row("SELECT uid, rev FROM bodies", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(uuid::Uuid::parse_str(&uid).unwrap().get_version_num(), 7);
    conn.execute("UPDATE bodies SET note = '備考'", []).unwrap();
    let after: i64 = conn
        .query_row("SELECT rev FROM bodies", [], |r| r.get(0))
        .unwrap();
    assert!(after > rev, "{after} > {rev}");
    // A change that is not content (the parent link is, the updated_at stamp is not) keeps it.
    conn.execute("UPDATE bodies SET updated_at = 'y'", [])
        .unwrap();
    let same: i64 = conn
        .query_row("SELECT rev FROM bodies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(same, after);
    // Two bodies of one name and organiser in two wards; never two in one.
    conn.execute("INSERT INTO wards (name) VALUES ('墨田区')", [])
        .unwrap();
    conn.execute(
        "INSERT INTO bodies (ward_id, name, created_at, updated_at) VALUES (2, '手で足した会議', 'x', 'x')",
        [],
    )
    .unwrap();
    assert!(
        conn.execute(
            "INSERT INTO bodies (name, created_at, updated_at) VALUES ('手で足した会議', 'x', 'x')",
            [],
        )
        .is_err()
    );
}
