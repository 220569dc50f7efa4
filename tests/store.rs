//! The store on disk: creation, permissions, refusal of foreign and newer files.

mod common;

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
