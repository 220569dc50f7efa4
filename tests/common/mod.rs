//! Shared helpers for the integration tests: a fixed clock and a fresh database in a temp dir.
#![allow(dead_code)]

use chrono::DateTime;
use std::path::{Path, PathBuf};

use renkei::clock::Clock;
use renkei::store::Store;

/// Saturday 21 November 2026, 10:00 in Tokyo: the day every test lives in.
pub const NOW: &str = "2026-11-21T10:00:00+09:00";

pub fn clock() -> Clock {
    Clock::fixed(DateTime::parse_from_rfc3339(NOW).unwrap())
}

pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TempDb {
    pub fn new() -> TempDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("renkei.db");
        TempDb { dir, path }
    }

    pub fn open(&self) -> Store {
        Store::open(&self.path, clock()).unwrap()
    }

    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

/// Writes `bytes` (a database made once per test binary, say) as a new file at `path` that
/// only its owner may read, as renkei makes its databases.
pub fn write_private(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .unwrap();
    file.write_all(bytes).unwrap();
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Every row of every table, for "nothing changed" checks. The search index's own tables are
/// left out: they are derived from `search_docs`, which is in.
pub fn dump(store: &Store) -> String {
    dump_leaving_out(store, &[])
}

/// What two databases made from the same files both hold: every row of every table but the ids
/// each database gives its records (uids, revisions) and its own ward.
pub fn content_dump(store: &Store) -> String {
    dump_leaving_out(
        store,
        &["uid", "rev", "imported_rev", "meeting_uid", "entity_uid"],
    )
    .split("\n[")
    .filter(|t| !t.starts_with("wards]"))
    .collect::<Vec<_>>()
    .join("\n[")
}

fn dump_leaving_out(store: &Store, columns: &[&str]) -> String {
    let conn = store.conn();
    let mut out = String::new();
    // A table without rowid (`recorded_texts`) is listed in its key's order, which is its
    // content's: the same in two databases that hold the same rows.
    let tables: Vec<(String, bool)> = conn
        .prepare(
            "SELECT name, sql LIKE '%WITHOUT ROWID%' FROM sqlite_master
             WHERE type = 'table' AND name NOT LIKE 'search_fts%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (t, without_rowid) in tables {
        let names: Vec<String> = conn
            .prepare(&format!("PRAGMA table_info(\"{t}\")"))
            .unwrap()
            .query_map([], |r| r.get(1))
            .unwrap()
            .map(Result::unwrap)
            .filter(|c: &String| !columns.contains(&c.as_str()))
            .map(|c| format!("\"{c}\""))
            .collect();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {} FROM \"{t}\"{}",
                names.join(", "),
                if without_rowid { "" } else { " ORDER BY rowid" }
            ))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut cells = Vec::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    cells.push(format!("{v:?}"));
                }
                Ok(cells.join("|"))
            })
            .unwrap();
        out.push_str(&format!("[{t}]\n"));
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

/// The renkei binary on `db` (assert_cmd), at the tests' fixed time, in Japanese, whatever
/// RENKEI_DB the environment has.
pub fn renkei_at(db: &Path) -> assert_cmd::Command {
    let mut cmd = renkei_anywhere();
    cmd.arg("--db").arg(db);
    cmd
}

/// The renkei binary at the tests' fixed time, in Japanese, with no database named (neither
/// `--db` nor RENKEI_DB): for `--demo`, and for what the environment alone decides.
pub fn renkei_anywhere() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("renkei").unwrap();
    cmd.env("RENKEI_NOW", NOW)
        .env_remove("RENKEI_DB")
        .env("LANG", "ja_JP.UTF-8");
    cmd
}

pub fn renkei(db: &TempDb) -> assert_cmd::Command {
    renkei_at(&db.path)
}

/// The standard output of a renkei command that must succeed (its error shown if it does not).
pub fn stdout_bytes(db: &TempDb, args: &[&str]) -> Vec<u8> {
    let out = renkei(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The standard error of a command that must fail (what it printed if it did not): the
/// counterpart of [`succeeds`].
pub fn refused(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "{cmd:?} succeeded: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    err
}

/// Imports an interchange document given as text (written to a file in the database's
/// directory), which must succeed.
pub fn import_json(db: &TempDb, json: &str) {
    let file = db.file("in.json", json.as_bytes());
    renkei(db).arg("import").arg(&file).assert().success();
}

/// The output of a command that must succeed (its standard error shown if it does not).
pub fn succeeds(cmd: &mut assert_cmd::Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The pseudonyms of a JSON ledger (`renkei cases --format json`), sorted.
pub fn pseudonyms(json: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pseudonym"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

/// The cells of a CSV export (BOM and all).
pub fn csv_cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap()).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Whether `folded` holds `form`: anywhere for Japanese, as a whole word for Latin letters
/// (Ann is not in Planned).
pub fn contains_form(folded: &str, form: &str) -> bool {
    if !form.chars().all(|c| c.is_ascii_alphabetic()) {
        return folded.contains(form);
    }
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    folded.match_indices(form).any(|(i, m)| {
        !glued(folded[..i].chars().next_back()) && !glued(folded[i + m.len()..].chars().next())
    })
}

/// Every XML part of an Office file (.xlsx, .docx), joined: what a leak test searches.
pub fn xml_parts(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if part.name().unwrap().ends_with(".xml") {
            part.read_to_string(&mut out).unwrap();
        }
    }
    out
}

/// The text of a .docx (its document part, tags left out).
pub fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// What a command that must succeed wrote on standard output.
pub fn output_of(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(succeeds(cmd).stdout).unwrap()
}

/// The section of the minutes from its heading `## {title}` to the next heading of that level.
pub fn section<'a>(minutes: &'a str, title: &str) -> &'a str {
    let start = minutes
        .find(&format!("## {title}"))
        .unwrap_or_else(|| panic!("no {title} in\n{minutes}"));
    let rest = &minutes[start + 3..];
    let end = rest.find("\n## ").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

/// A database made once per test binary and copied for each test that asks for it: the demo
/// costs half a second of CPU in a debug build, and dozens of tests each made their own.
/// Declare one per way of making it (`static DEMO: Made = Made::new();`); each
/// [`Made::copy`] is a fresh directory holding the file's bytes, owner-only as the store makes
/// it. Copies share the uids the first database was given: a test that needs two databases of
/// different uids (two wards, a merge) makes its second one itself.
pub struct Made(std::sync::OnceLock<Vec<u8>>);

impl Made {
    pub const fn new() -> Made {
        Made(std::sync::OnceLock::new())
    }

    /// A copy of the database `make` makes in an empty [`TempDb`] (called once per binary;
    /// every connection to it must be closed when it returns).
    pub fn copy(&self, make: impl FnOnce(&TempDb)) -> TempDb {
        let bytes = self.0.get_or_init(|| {
            let db = TempDb::new();
            make(&db);
            db.bytes()
        });
        TempDb::holding(bytes)
    }
}

impl TempDb {
    /// A fresh directory whose database is `bytes` (a copy of one made before), owner-only as
    /// the store makes it.
    pub fn holding(bytes: &[u8]) -> TempDb {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let db = TempDb::new();
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&db.path)
            .unwrap()
            .write_all(bytes)
            .unwrap();
        db
    }

    /// The bytes of this database, every connection to it closed (a copy to make others from).
    pub fn bytes(&self) -> Vec<u8> {
        let wal = self.path.with_extension("db-wal");
        assert!(
            std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
            "a connection to the database is still open"
        );
        std::fs::read(&self.path).unwrap()
    }
}

/// The demo ward as `renkei demo` makes it at the tests' time, made once per test binary; a
/// fresh copy for each call.
pub fn demo_copy() -> TempDb {
    static DEMO: Made = Made::new();
    DEMO.copy(|db| {
        succeeds(renkei(db).arg("demo"));
    })
}

/// The demo ward as [`renkei::demo::load`] makes it (the library, with the store's defaults),
/// made once per test binary; a fresh copy for each call.
pub fn demo_loaded() -> TempDb {
    static DEMO: Made = Made::new();
    DEMO.copy(|db| {
        renkei::demo::load(&mut db.open()).unwrap();
    })
}

/// The bytes of the demo as `sato` (the user of the TUI's tests) loads it through the library
/// at [`NOW`], made once per test binary: the TUI's harnesses each loaded it (half a second of
/// CPU in a debug build). Write them with [`write_private`] where the store is then opened.
pub fn sato_demo() -> &'static [u8] {
    static DEMO: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let db = TempDb::new();
        let mut store = db.open();
        store.set_user("sato");
        renkei::demo::load(&mut store).unwrap();
        drop(store);
        db.bytes()
    })
}

/// An empty database (made by the store, every migration run), made once per test binary; a
/// fresh copy for each call. Making one costs a tenth of a second of CPU in a debug build;
/// a copy shares the first one's ward uid, so a test of two wards makes its second with
/// [`TempDb::new`].
pub fn blank() -> TempDb {
    static BLANK: Made = Made::new();
    BLANK.copy(|db| {
        db.open();
    })
}

/// The city demo as `renkei demo --scale 1 --wards 2` makes it (the demo in 大阪市's own ward,
/// then 都島区 and 福島区 generated: 1 240 meetings, 26 MB), made once per test binary — about
/// eight seconds of CPU in a debug build, which three tests each spent — with what the making
/// said on standard error; a fresh copy for each call. Copies share the first one's uids.
pub fn city_demo() -> (TempDb, String) {
    static CITY: std::sync::OnceLock<(Vec<u8>, String)> = std::sync::OnceLock::new();
    let (bytes, said) = CITY.get_or_init(|| {
        let db = TempDb::new();
        let out = succeeds(renkei(&db).args(["demo", "--scale", "1", "--wards", "2"]));
        (db.bytes(), String::from_utf8(out.stderr).unwrap())
    });
    (TempDb::holding(bytes), said.clone())
}

/// One meeting whose only agenda item holds `notes` notes of `kana` kana each (three bytes
/// each: 333 000 of them are 999 kB).
pub fn meeting_of_long_notes(db: &TempDb, notes: usize, kana: usize) -> std::path::PathBuf {
    let note = serde_json::to_string(&"あ".repeat(kana)).unwrap();
    let json = format!(
        r#"{{"format":"renkei/1","bodies":[{{"name":"支援会議","organiser":"福祉課","frequency":"随時"}}],
  "meetings":[{{"body":"支援会議","date":"2026-06-01","start":"10:00","status":"held",
    "agenda":[{{"title":"経過","notes":[{}]}}]}}]}}"#,
        vec![note.as_str(); notes].join(",")
    );
    db.file(&format!("notes{notes}x{kana}.json"), json.as_bytes())
}

/// The record limit lowered to 1 MB ([`renkei::limits::lowered`], which only this test's thread
/// sees and which can only lower a limit): a file of a megabyte or two crosses it as one of
/// sixteen or more crosses [`renkei::limits::MAX_RECORD_BYTES`], in a fraction of the time.
pub fn with_a_1_mb_record<T>(f: impl FnOnce() -> T) -> T {
    let lower = renkei::limits::Lower {
        record: 1_000_000,
        ..renkei::limits::Lower::NONE
    };
    renkei::limits::lowered(lower, f)
}
