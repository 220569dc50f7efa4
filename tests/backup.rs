//! Backup and check: a consistent owner-only copy while others write, refusal to overwrite, and
//! the check's report and exit code for sound, exposed and damaged databases.

use crate::common;

use common::{TempDb, clock, renkei_at as renkei};
use renkei::store::Store;
use renkei::store::backup::{self, ModeWarning};
use rusqlite::Connection;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

fn output(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = renkei(db).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn demo_db() -> TempDb {
    let db = TempDb::new();
    // As renkei makes its own data directory (tempfile's follows the umask).
    chmod(db.dir.path(), 0o700);
    renkei::demo::load(&mut db.open()).unwrap();
    db
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn backup_is_owner_only_and_holds_the_same_data() {
    let db = demo_db();
    let copy = db.dir.path().join("copy.db");
    let (ok, out, err) = output(&db.path, &["backup", copy.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.starts_with("バックアップしました: "), "{out}");
    assert!(out.contains("権限 0600、整合性 ok"), "{out}");
    assert_eq!(common::mode(&copy), 0o600);
    let (_, original, _) = output(&db.path, &["export"]);
    let (_, copied, _) = output(&copy, &["export"]);
    assert_eq!(original, copied);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".backup"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    let (_, audit, _) = output(&db.path, &["audit", "--format", "json"]);
    assert!(audit.contains("\"action\": \"backup\""), "{audit}");
}

#[test]
fn backup_refuses_to_overwrite_unless_forced() {
    let db = demo_db();
    let copy = db.dir.path().join("copy.db");
    std::fs::write(&copy, b"keep me").unwrap();
    let (ok, _, err) = output(&db.path, &["backup", copy.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("すでにあります。上書きするには --force を付けてください"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
    assert_eq!(std::fs::read(&copy).unwrap(), b"keep me");
    let (ok, _, err) = output(&db.path, &["backup", "--force", copy.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(common::mode(&copy), 0o600);
    let (ok, _, err) = output(&db.path, &["backup", "--force", db.path.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("データベースそのもの"), "{err}");
    let missing = db.dir.path().join("none.db");
    let (ok, _, err) = output(&missing, &["backup", copy.to_str().unwrap()]);
    assert!(!ok && err.contains("データベースがありません"), "{err}");
    assert!(!missing.exists(), "a backup never creates the database");
}

fn pairs(conn: &Connection) -> (i64, i64) {
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        count("SELECT COUNT(*) FROM next_actions WHERE text = 'pair'"),
        count("SELECT COUNT(*) FROM case_issues WHERE category = 'pair'"),
    )
}

/// Writes an action and an issue in one transaction, over and over: a consistent copy always
/// holds as many of one as of the other.
fn pair_writer(
    path: &Path,
    meeting: i64,
    stop: Arc<AtomicBool>,
    commits: Arc<AtomicU64>,
    running: std::sync::mpsc::Sender<()>,
) {
    let mut conn = Connection::open(path).unwrap();
    // Waits its turn as long as it takes, as the store's writes do (store::busy): with a bounded
    // wait, a loaded machine let the tight-looping capture thread hold it off past the bound and
    // the test failed on timing, not on a wrong copy.
    conn.busy_handler(Some(|_| {
        std::thread::sleep(Duration::from_millis(1));
        true
    }))
    .unwrap();
    while !stop.load(Ordering::Relaxed) {
        // IMMEDIATE, as the store's own writes: a deferred transaction that read an older
        // snapshot fails at once (SQLITE_BUSY_SNAPSHOT) instead of waiting, when the other
        // writer committed in between.
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        tx.execute(
            "INSERT INTO next_actions (meeting_id, text, created_at, updated_at) VALUES (?1, 'pair', 'now', 'now')",
            [meeting],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO case_issues (meeting_id, category, created_at) VALUES (?1, 'pair', 'now')",
            [meeting],
        )
        .unwrap();
        tx.commit().unwrap();
        if commits.fetch_add(1, Ordering::Relaxed) == 4 {
            let _ = running.send(());
        }
    }
}

#[test]
fn backup_is_consistent_under_concurrent_writes() {
    let db = demo_db();
    let store = db.open();
    let meeting = store.meetings(None).unwrap()[0].id;
    // Some bulk, so that each backup takes a while.
    store
        .conn()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO changes (at, entity, entity_id, field, new_value)
             SELECT 'now', 'bulk', i, 'text', printf('%.200c', 'x') FROM n;",
        )
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let commits = Arc::new(AtomicU64::new(0));
    let (running, started) = std::sync::mpsc::channel();
    let raw = {
        let (path, stop, commits) = (db.path.clone(), stop.clone(), commits.clone());
        std::thread::spawn(move || pair_writer(&path, meeting, stop, commits, running))
    };
    // And the way the TUI captures: through the store, one entry a transaction.
    let tui = {
        let (path, stop) = (db.path.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut store = Store::open(&path, clock()).unwrap();
            while !stop.load(Ordering::Relaxed) {
                store
                    .add_action(meeting, Some("保護課"), "tui", None)
                    .unwrap();
            }
        })
    };
    // The writer says when it has committed five times; if it dies first, the channel closes.
    started
        .recv_timeout(Duration::from_secs(60))
        .expect("the pair writer stopped before writing");
    let mut during = 0;
    let mut seen = Vec::new();
    for i in 0..8 {
        let target = db.dir.path().join(format!("copy{i}.db"));
        let before = commits.load(Ordering::Relaxed);
        let done = if i % 2 == 0 {
            backup::backup_file(&db.path, &target, false).unwrap()
        } else {
            store.backup_to(&target, false).unwrap()
        };
        during += commits.load(Ordering::Relaxed) - before;
        assert_eq!(done.integrity, "ok");
        assert_eq!(common::mode(&target), 0o600);
        let copy = Connection::open(&target).unwrap();
        let check: String = copy
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let (actions, issues) = pairs(&copy);
        assert_eq!(actions, issues, "copy {i} holds half a transaction");
        seen.push(actions);
        drop(copy);
        Store::open(&target, clock()).unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    raw.join().unwrap();
    tui.join().unwrap();
    assert!(during > 0, "no write landed while a backup ran");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen[seen.len() - 1] > seen[0], "{seen:?}");
}

#[test]
fn check_reports_a_sound_private_database() {
    let db = demo_db();
    let (ok, out, err) = output(&db.path, &["check"]);
    assert!(ok, "{err}");
    assert!(out.contains("整合性チェック: ok"), "{out}");
    let version = renkei::store::schema::LATEST;
    assert!(
        out.contains(&format!(
            "スキーマのバージョン: {version}（対応: {version}）"
        )),
        "{out}"
    );
    assert!(out.contains("  会議体: "), "{out}");
    assert!(
        out.contains("  会議: ") && out.contains("（開催済 "),
        "{out}"
    );
    assert!(out.contains("（未完了 "), "{out}");
    assert!(
        out.contains(&format!("  0600 {}\n", db.path.display())),
        "{out}"
    );
    assert!(
        out.contains(&format!("  0700 {}/\n", db.dir.path().display())),
        "{out}"
    );
    assert!(!out.contains("警告"), "{out}");
    let (ok, out, _) = output(&db.path, &["--lang", "en", "check"]);
    assert!(
        ok && out.contains("Integrity check: ok") && out.contains("  bodies: "),
        "{out}"
    );
}

/// `renkei check` counts the cases too: the cases (with those followed), the meetings that
/// discussed one, the plan's revisions and the carried actions continued — each the number the
/// database holds.
#[test]
fn check_counts_cases_plans_and_continued_actions() {
    let db = demo_db();
    let mut store = db.open();
    let action: i64 = store
        .conn()
        .query_row("SELECT MIN(id) FROM next_actions", [], |r| r.get(0))
        .unwrap();
    store
        .continue_action(action, None, None, "経過あり")
        .unwrap();
    store.continue_action(action, None, None, "再度").unwrap();
    let count = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    let cases = count("SELECT COUNT(*) FROM cases");
    let followed = store
        .case_ledger(renkei::store::cases::LedgerFilter::Open, false)
        .unwrap()
        .len();
    let on_meetings = count("SELECT COUNT(*) FROM meeting_cases");
    let plans = count("SELECT COUNT(*) FROM case_plans");
    assert!(cases > 0 && on_meetings > 0 && plans > 0 && followed > 0);
    drop(store);
    let (ok, out, err) = output(&db.path, &["check"]);
    assert!(ok, "{err}");
    for line in [
        format!("  事例: {cases}（対応中 {followed}）\n"),
        format!("  会議で扱った事例: {on_meetings}\n"),
        format!("  支援プランの改訂: {plans}\n"),
        "  対応の継続: 2\n".to_owned(),
    ] {
        assert!(out.contains(&line), "'{line}' missing in\n{out}");
    }
    let (_, out, _) = output(&db.path, &["--lang", "en", "check"]);
    assert!(
        out.contains(&format!("  cases: {cases} (followed {followed})\n"))
            && out.contains("  action continuations: 2\n"),
        "{out}"
    );
}

#[test]
fn check_warns_about_files_others_can_read() {
    let db = demo_db();
    chmod(&db.path, 0o644);
    let (ok, out, _) = output(&db.path, &["check"]);
    assert!(ok, "permissions warn, they do not fail");
    assert!(
        out.contains(&format!(
            "警告: {}: 同じグループのユーザーが読めます（書き込みはできません",
            db.path.display()
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "警告: {}: 他のユーザーが読めます",
            db.path.display()
        )),
        "{out}"
    );
    // The check opened the database read-only, and SQLite made its -wal/-shm with its mode.
    for sidecar in ["renkei.db", "renkei.db-wal", "renkei.db-shm"] {
        let path = db.dir.path().join(sidecar);
        if path.exists() {
            chmod(&path, 0o600);
        }
    }
    chmod(db.dir.path(), 0o755);
    let report = backup::check(&db.path).unwrap();
    let dir = db.dir.path().to_owned();
    assert_eq!(
        report.warnings,
        [
            ModeWarning::GroupAccess(dir.clone(), backup::Access::READ),
            ModeWarning::WorldReadable(dir)
        ]
    );
    chmod(db.dir.path(), 0o700);
}

#[test]
fn check_accepts_group_access_in_a_shared_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let shared = tmp.path().join("section");
    std::fs::create_dir(&shared).unwrap();
    chmod(&shared, 0o2770);
    if common::mode(&shared) & 0o2000 == 0 {
        return; // this system does not let the user set setgid on a directory
    }
    let path = shared.join("renkei.db");
    renkei::demo::load(&mut Store::open(&path, clock()).unwrap()).unwrap();
    assert_eq!(common::mode(&path), 0o660);
    let report = backup::check(&path).unwrap();
    assert!(report.shared);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    chmod(&path, 0o664);
    let report = backup::check(&path).unwrap();
    assert_eq!(report.warnings, [ModeWarning::WorldReadable(path.clone())]);
    // The advice keeps the section's access: `chmod 700` on a 2775 section directory took it
    // from the group (attack of 2026-12-05, round 32b, finding 7). Seen failing before the fix.
    chmod(&shared, 0o2775);
    let (_, out, _) = output(&path, &["check"]);
    assert!(out.contains("chmod o-rwx"), "{out}");
    assert!(
        !out.contains("chmod 700") && !out.contains("chmod 600"),
        "{out}"
    );
    chmod(&shared, 0o2770);
}

#[test]
fn check_fails_on_a_damaged_database() {
    let db = demo_db();
    let mut bytes = std::fs::read(&db.path).unwrap();
    assert!(bytes.len() > 4096 * 8, "{} bytes", bytes.len());
    for b in &mut bytes[4096 * 3..4096 * 6] {
        *b = 0xA5;
    }
    std::fs::write(&db.path, &bytes).unwrap();
    let (ok, out, err) = output(&db.path, &["check"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("整合性チェック: ") && !out.contains("整合性チェック: ok"),
        "{out}"
    );
    assert!(err.contains("整合性チェックで問題が"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let (ok, _, err) = output(&db.dir.path().join("none.db"), &["check"]);
    assert!(!ok && err.contains("データベースがありません"), "{err}");
}

/// Attack report 6, finding 20, as a person without write access sees it: a backup on
/// read-only media (directory and file read-only) is checked as it is (`整合性チェック: ok`), not
/// called "not a renkei database"; the other commands say why they cannot open it and how to go
/// on. Needs root (to act as `nobody` with setpriv), so it is run by hand:
/// `cargo test --test it -- --ignored backup::a_backup_on_read_only_media`.
#[test]
#[ignore]
fn a_backup_on_read_only_media_is_checked_as_it_is() {
    let db = TempDb::new();
    common::succeeds(renkei(&db.path).arg("demo"));
    let media = tempfile::tempdir().unwrap();
    let copy = media.path().join("b.db");
    common::succeeds(renkei(&db.path).arg("backup").arg(&copy));
    std::fs::set_permissions(media.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let nobody = |args: &[&str]| {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_renkei"))
            .arg("--db")
            .arg(&copy)
            .args(args)
            .env("LANG", "ja_JP.UTF-8")
            .env("RENKEI_NOW", common::NOW)
            .env("HOME", "/nonexistent")
            .output()
            .unwrap()
    };
    nix::unistd::chown(&copy, Some(65534.into()), None).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(media.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let check = nobody(&["check"]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(said.contains("整合性チェック: ok"), "{said}{:?}", check);
    let cases = nobody(&["cases"]);
    let err = String::from_utf8_lossy(&cases.stderr);
    assert!(!cases.status.success());
    assert!(
        err.contains("書き込めない場所") && err.contains("check"),
        "{err}"
    );
    std::fs::set_permissions(media.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Attack report 9, finding 3: in a directory several users write that is no section's shared
/// (setgid) one, another user's `.renkei-tmp` stopped every command on this user's database
/// there (`backup` said it was done, then failed). This user's own `.renkei-tmp-UID` is used
/// instead. Needs root (the other user's directory is made as `nobody`), so it is run by hand:
/// `cargo test --test it -- --ignored backup::another_users_temp`.
#[test]
#[ignore]
fn another_users_temp_directory_beside_my_database_is_not_mine_to_use() {
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let theirs = shared.path().join(".renkei-tmp");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o700)).unwrap();
    nix::unistd::chown(&theirs, Some(65534.into()), Some(65534.into())).unwrap();
    let db = shared.path().join("mine.db");
    common::succeeds(renkei(&db).arg("demo"));
    let out = renkei(&db)
        .arg("backup")
        .arg(shared.path().join("b.db"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let uid = nix::unistd::getuid().as_raw();
    assert!(shared.path().join(format!(".renkei-tmp-{uid}")).is_dir());
}

/// Attack on the imports, 2026-12-05: an import into a new database writes through a rollback
/// journal, and killed (`kill -9`) it leaves that journal hot; `check` — what one runs after a
/// crash — opened the database read-only, could not roll the journal back, and called a whole
/// database no database (`壊れています`). Now the journal is rolled back as any opening rolls
/// it back, and the check reads the database as it was before the killed write; so does a
/// backup of it. The crash made here without timing: a writer's database and hot journal
/// copied while its transaction is open.
#[test]
fn check_after_a_write_killed_in_its_rollback_journal_reads_the_database_as_it_was() {
    let db = demo_db();
    let crashed = db.dir.path().join("crashed.db");
    let meetings_before;
    {
        let store = db.open();
        meetings_before = count_meetings(store.conn());
    }
    {
        let conn = Connection::open(&db.path).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.execute_batch(
            "PRAGMA cache_size = 2;
             BEGIN IMMEDIATE;
             DELETE FROM search_docs;
             UPDATE meetings SET place = hex(randomblob(500));",
        )
        .unwrap();
        // The pages spilled: the database file is changed, the journal holds what it was.
        let journal = db.dir.path().join(format!(
            "{}-journal",
            db.path.file_name().unwrap().to_string_lossy()
        ));
        assert!(std::fs::metadata(&journal).unwrap().len() > 0);
        std::fs::copy(&db.path, &crashed).unwrap();
        std::fs::copy(&journal, db.dir.path().join("crashed.db-journal")).unwrap();
        conn.execute_batch("ROLLBACK").unwrap();
    }
    let (ok, out, err) = output(&crashed, &["check"]);
    assert!(ok, "{out}{err}");
    assert!(!err.contains("壊れて"), "{err}");
    let conn = Connection::open(&crashed).unwrap();
    // Back in WAL mode, as every open leaves it (it was left in rollback mode).
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(count_meetings(&conn), meetings_before);
    let places: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM meetings WHERE length(place) = 1000",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(places, 0, "the killed write is rolled back");
    let (ok, _, err) = output(
        &crashed,
        &["backup", db.dir.path().join("b.db").to_str().unwrap()],
    );
    assert!(ok, "{err}");
}

fn count_meetings(conn: &Connection) -> i64 {
    conn.query_row("SELECT COUNT(*) FROM meetings", [], |r| r.get(0))
        .unwrap()
}

/// Attack of 2026-12-05, round 32a finding 1 and round 32b finding 6: `kill -9` during
/// `renkei backup FILE` left `.FILE.PID.renkei-backup` (and its `-journal`, `-wal`, `-shm`)
/// beside the target — a hidden copy of the whole database, names and all — until the next
/// backup into that folder. Now the copy is written without a name and named only once whole
/// and checked: stopped at the worst moment (the copy complete, not yet in place) the folder
/// holds nothing, and killed there it is left with nothing.
#[test]
fn a_backup_killed_when_its_copy_is_whole_leaves_nothing_in_the_folder() {
    use std::os::unix::fs::OpenOptionsExt;
    let db = demo_db();
    let out = tempfile::tempdir().unwrap();
    let unnamed = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(nix::libc::O_TMPFILE)
        .mode(0o600)
        .open(out.path())
        .is_ok();
    if !unnamed {
        eprintln!("skipped: no unnamed files (O_TMPFILE) here");
        return;
    }
    let held = db.dir.path().join("held");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_renkei"))
        .env("RENKEI_NOW", common::NOW)
        .env("LANG", "ja_JP.UTF-8")
        .env("RENKEI_TEST_HOLD_BACKUP", &held)
        .arg("--db")
        .arg(&db.path)
        .arg("backup")
        .arg(out.path().join("backup.db"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !held.exists() && child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(60), "never held");
        std::thread::sleep(Duration::from_millis(20));
    }
    let names = || -> Vec<String> {
        std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let while_held = names();
    let _ = child.kill();
    child.wait().unwrap();
    assert!(held.exists(), "the backup ended before its copy was placed");
    assert_eq!(while_held, Vec::<String>::new(), "named while copied");
    assert_eq!(names(), Vec::<String>::new(), "left by the killed backup");

    // Not held, the same backup is placed whole, owner-only, and reads as the database.
    let (ok, said, err) = output(
        &db.path,
        &["backup", &out.path().join("b.db").to_string_lossy()],
    );
    assert!(ok, "{err}");
    assert!(said.contains("整合性 ok"), "{said}");
    assert_eq!(names(), ["b.db"]);
    let copy = Connection::open(out.path().join("b.db")).unwrap();
    assert_eq!(
        count_meetings(&copy),
        count_meetings(&Connection::open(&db.path).unwrap())
    );
}
