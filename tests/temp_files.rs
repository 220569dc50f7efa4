//! SQLite's temporary files (a temporary table that outgrows its cache, a sorter) hold the
//! records' text: they are written beside the database in `.renkei-tmp`, owner-only, never in
//! /var/tmp or /tmp where every user of the machine can list them. Its own test binary: the
//! directory is chosen once per process, by the first database opened.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::PathBuf;

use common::TempDb;

/// SQLite's temporary files this process has open: their paths (SQLite removes the name at
/// once; the link in /proc still says where the file was made) and modes.
fn open_temp_files() -> Vec<(PathBuf, u32)> {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| {
            let fd = e.ok()?.path();
            let target = std::fs::read_link(&fd).ok()?;
            let name = target.to_string_lossy().into_owned();
            let path = name.strip_suffix(" (deleted)")?;
            // SQLite's temporary files are removed as soon as they are open (named `etilqs_…`
            // or `#…` as the version goes); a device is no such file.
            (!path.starts_with("/dev/")).then(|| {
                let path = PathBuf::from(path);
                let mode = std::fs::metadata(&fd).map_or(0o777, |m| m.mode() & 0o777);
                (path, mode)
            })
        })
        .collect()
}

#[test]
fn sqlites_temporary_files_are_beside_the_database_and_owner_only() {
    renkei::store::temp::keep_private();
    let db = TempDb::new();
    let store = db.open();
    let dir = db.dir.path().join(".renkei-tmp");
    assert_eq!(renkei::temp_file::chosen(), Some(dir.as_path()));
    assert_eq!(common::mode(&dir), 0o700);
    // A temporary table far larger than its cache, and a sort of it: both spill to files.
    let conn = store.conn();
    conn.execute_batch(
        "PRAGMA temp.cache_size = 8;
         CREATE TEMP TABLE spill (text TEXT);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
         INSERT INTO temp.spill SELECT hex(randomblob(100)) || '山田さん世帯' FROM n;",
    )
    .unwrap();
    let sorted: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT text FROM temp.spill ORDER BY text DESC)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sorted, 20000);
    let files = open_temp_files();
    assert!(!files.is_empty(), "the test made no temporary file");
    for (path, mode) in &files {
        assert!(
            path.starts_with(&dir),
            "{} is not in {}",
            path.display(),
            dir.display()
        );
        assert_eq!(mode & 0o077, 0, "{}: mode {mode:o}", path.display());
    }
    assert!(
        std::fs::read_dir(&dir).unwrap().next().is_none(),
        "no name is left in the directory"
    );
    a_spreadsheets_temporary_files_are_beside_the_database(&dir);
    assert!(
        std::fs::read_dir(&dir).unwrap().next().is_none(),
        "no name is left in the directory"
    );
}

/// A spreadsheet's cells go to temporary files as its rows are written (rust_xlsxwriter's
/// constant-memory sheet), and the finished file to another before it is copied out: both in
/// `.renkei-tmp` too, where they went to the system's /tmp (attack on the exports, 2026-12-05).
/// (Part of the test above: the files open in the process are looked at, which a test beside
/// it would make too.)
fn a_spreadsheets_temporary_files_are_beside_the_database(dir: &std::path::Path) {
    use renkei::office::xlsx::{Cell, Sheet, write_list};
    let sheet = Sheet::list("一覧", "次回までの対応", &["対応"], Vec::new());
    let mut seen = Vec::new();
    let mut rows = |row: &mut dyn FnMut(&[Cell]) -> anyhow::Result<()>| -> anyhow::Result<()> {
        for i in 0..2000 {
            row(&[Cell::text(format!("{i} 山田さん世帯への訪問"))])?;
        }
        seen = open_temp_files();
        Ok(())
    };
    let mut out = Vec::new();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    write_list(&sheet, &mut rows, now, &mut out).unwrap();
    assert!(out.starts_with(b"PK"));
    assert!(!seen.is_empty(), "the sheet made no temporary file");
    // rust_xlsxwriter's own are made with the umask's mode, without a name, in the
    // owner-only directory; the finished file's is renkei's, owner-only.
    for (path, _) in &seen {
        assert!(
            path.starts_with(dir),
            "{} is not in {}",
            path.display(),
            dir.display()
        );
    }
    let file = renkei::temp_file::unnamed_in(dir).unwrap();
    assert_eq!(file.metadata().unwrap().mode() & 0o777, 0o600);
}

/// What the binary makes beside a database: `.renkei-tmp`, owner-only; one of its own left
/// open to others is closed; a link or another's directory in its place is refused, naming it.
#[test]
fn the_directory_beside_the_database_is_checked() {
    let db = TempDb::new();
    let dir = db.dir.path().join(".renkei-tmp");
    // An empty database, made without a store of this process (which would choose its own
    // temporary directory for the other test of this file, running beside it).
    // (Its header written: an empty file is no database to a command that reads.)
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute_batch("VACUUM;")
        .unwrap();
    common::succeeds(common::renkei(&db).arg("bodies"));
    assert_eq!(common::mode(&dir), 0o700);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    common::succeeds(common::renkei(&db).arg("bodies"));
    assert_eq!(common::mode(&dir), 0o700);
    std::fs::remove_dir(&dir).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), &dir).unwrap();
    for (lang, expected) in [
        (
            "ja",
            "データベースの一時ファイル用のディレクトリとして使えません",
        ),
        ("en", "cannot hold the database's temporary files"),
    ] {
        let out = common::renkei(&db)
            .args(["--lang", lang, "bodies"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with(&format!("renkei: {}: {expected}", dir.display())),
            "{err}"
        );
    }
}
