//! Where renkei writes and what it opens: no output lands on any SQLite database (another team's,
//! one a TUI has open, a journal beside one), a refused output is not audited, and a database
//! path that is no file or a write that cannot be made says so in one line naming the file asked
//! for (attack report 1, items 2, 15 and 19).

use crate::common;

use common::{TempDb, clock, renkei};
use renkei::store::Store;
use std::path::{Path, PathBuf};

fn run(db: &TempDb, args: &[&str]) -> (bool, String, String) {
    let out = renkei(db)
        .current_dir(db.dir.path())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn demo(db: &TempDb) {
    let (ok, _, err) = run(db, &["demo"]);
    assert!(ok, "{err}");
}

/// What every file in `dir` holds, by name (links as links), as a digest; the database the
/// commands run on is left out (running a command may checkpoint it).
fn files(dir: &Path) -> Vec<(String, u64)> {
    use std::hash::{Hash, Hasher};
    let mut out: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            !name.starts_with("renkei.db")
        })
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let bytes = if meta.file_type().is_symlink() {
                std::fs::read_link(&path)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
                    .into_bytes()
            } else {
                std::fs::read(&path).unwrap_or_default()
            };
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            (name, hasher.finish())
        })
        .collect();
    out.sort();
    out
}

/// The writers a user can point at a file.
fn writers(target: &str) -> Vec<Vec<&str>> {
    vec![
        vec!["export", "-o", target],
        vec!["minutes", "1", "-o", target],
        vec!["minutes", "1", "--format", "docx", "-o", target],
        vec!["report", "--fiscal-year", "2026", "-o", target],
        vec!["actions", "-o", target],
        vec!["meetings", "--format", "xlsx", "-o", target],
        vec!["backup", "--force", target],
    ]
}

fn audited_outputs(db: &TempDb) -> String {
    let (ok, out, err) = run(db, &["audit", "--format", "json"]);
    assert!(ok, "{err}");
    out
}

/// Attack report item 2: with a TUI open on t.db, `--db a.db export -o t.db` exited 0 and turned
/// t.db into JSON, the captures left in an orphaned -wal. Now every writer refuses any SQLite
/// database (by its header), a file with a -wal, -shm or -journal beside it, and those journals
/// themselves, with one line; nothing is written, and nothing is audited as written (item 19).
#[test]
fn no_output_can_overwrite_another_database() {
    // Made here, not copied: the directory's files, the store's own among them, are compared.
    let db = TempDb::new();
    demo(&db);
    let dir = db.dir.path();
    // Another team's database, open in a TUI (held open here: its -wal and -shm are there).
    let open_path = dir.join("t.db");
    let mut open = Store::open(&open_path, clock()).unwrap();
    renkei::demo::load(&mut open).unwrap();
    let open_before = common::dump(&open);
    // A database nobody has open, and a link to it.
    let closed = dir.join("closed.db");
    renkei::demo::load(&mut Store::open(&closed, clock()).unwrap()).unwrap();
    assert!(!dir.join("closed.db-wal").exists());
    let link = dir.join("minutes-2026-11-21-1.md");
    std::os::unix::fs::symlink(&closed, &link).unwrap();
    // Any SQLite file, not only renkei's; a file a journal was left beside.
    let foreign = dir.join("notes.txt");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES ('keep');")
        .unwrap();
    let journaled = dir.join("j.db");
    std::fs::write(&journaled, b"").unwrap();
    std::fs::write(dir.join("j.db-journal"), b"a hot journal").unwrap();
    let targets: Vec<PathBuf> = vec![
        open_path.clone(),
        dir.join("t.db-wal"),
        dir.join("t.db-shm"),
        closed.clone(),
        link.clone(),
        foreign.clone(),
        journaled.clone(),
        dir.join("j.db-journal"),
        // The journals of a database nobody has open, before they exist (attack 2 item 16).
        dir.join("closed.db-wal"),
        dir.join("closed.db-shm"),
        dir.join("closed.db-journal"),
    ];
    let before = files(dir);
    for target in &targets {
        let t = target.to_str().unwrap();
        for args in writers(t) {
            let (ok, _, err) = run(&db, &args);
            assert!(!ok, "{args:?} was allowed");
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(err.contains("データベース"), "{args:?}: {err}");
            assert!(err.contains(t), "{args:?} names the file asked for: {err}");
            assert_eq!(files(dir), before, "{args:?} changed a file");
        }
    }
    // In English too.
    let (ok, _, err) = run(
        &db,
        &["export", "--lang", "en", "-o", closed.to_str().unwrap()],
    );
    assert!(!ok && err.contains("SQLite database"), "{err}");
    // The screens' w writes through the same function.
    for target in &targets {
        assert!(
            renkei::store::write_private(target, b"# minutes").is_err(),
            "{}",
            target.display()
        );
    }
    assert_eq!(files(dir), before);
    assert_eq!(common::dump(&open), open_before);
    drop(open);
    assert_eq!(
        common::dump(&Store::open(&open_path, clock()).unwrap()),
        open_before
    );
    // No refused output is in the audit as done.
    let audit = audited_outputs(&db);
    for action in [
        "export_database",
        "export_minutes",
        "export_report",
        "export_actions",
        "\"backup\"",
    ] {
        assert!(!audit.contains(action), "{action} audited: {audit}");
    }
}

/// Attack report item 19: `export -o o.db-wal` was refused but logged as `export_database`.
#[test]
fn a_refused_export_is_not_audited() {
    let db = common::demo_copy();
    let wal = format!("{}-wal", db.path.display());
    let (ok, _, err) = run(&db, &["export", "-o", &wal]);
    assert!(!ok, "{err}");
    let audit = audited_outputs(&db);
    assert!(!audit.contains("export_database"), "{audit}");
    // A written export is.
    let (ok, _, err) = run(&db, &["export", "-o", "out.json"]);
    assert!(ok, "{err}");
    assert!(audited_outputs(&db).contains("export_database"));
}

/// `backup --force` may replace an earlier backup of the same database (a nightly copy), never
/// another database.
#[test]
fn a_backup_replaces_an_earlier_backup_of_its_own_database_only() {
    let db = common::demo_copy();
    let (ok, _, err) = run(&db, &["backup", "nightly.db"]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&db, &["backup", "--force", "nightly.db"]);
    assert!(ok, "the second night: {err}");
    let other = TempDb::new();
    demo(&other);
    let theirs = other.path.to_str().unwrap();
    let before = std::fs::read(&other.path).unwrap();
    let (ok, _, err) = run(&db, &["backup", "--force", theirs]);
    assert!(!ok, "another team's database was replaced");
    assert!(err.contains("データベース"), "{err}");
    assert_eq!(std::fs::read(&other.path).unwrap(), before);
}

/// Attack report item 15: `--db /dev/null` said "Error code 1034", a FIFO "Error code 266" (or
/// waited for a writer), a directory an SQLite code. Now each is refused at once, in one line
/// naming the path and what it is, in Japanese and English.
#[test]
fn a_database_path_that_is_no_file_is_refused_naming_it() {
    let db = TempDb::new();
    let dir = db.dir.path();
    let fifo = dir.join("pipe.db");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let folder = dir.join("folder.db");
    std::fs::create_dir(&folder).unwrap();
    let cases: [(&Path, &str, &str); 3] = [
        (Path::new("/dev/null"), "デバイス", "a device"),
        (&fifo, "名前付きパイプ（FIFO）", "a named pipe (FIFO)"),
        (&folder, "フォルダ", "a directory"),
    ];
    for (path, ja, en) in cases {
        let p = path.to_str().unwrap();
        for (lang, kind, said) in [
            ("ja", ja, "データベースのファイルではありません"),
            ("en", en, "not a database file"),
        ] {
            for command in [vec!["demo"], vec!["meetings"], vec!["check"]] {
                let mut args = vec!["--lang", lang];
                args.extend(command.iter().copied());
                let out = common::renkei_at(path).args(&args).output().unwrap();
                let (ok, err) = (
                    out.status.success(),
                    String::from_utf8_lossy(&out.stderr).into_owned(),
                );
                assert!(!ok, "{args:?}");
                assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
                assert!(
                    err.contains(p) && err.contains(kind) && err.contains(said),
                    "{args:?}: {err}"
                );
                assert!(!err.contains("Error code"), "{args:?}: {err}");
            }
        }
    }
    assert!(
        std::fs::read_dir(&folder).unwrap().next().is_none(),
        "nothing made in the folder"
    );
}

/// Attack report item 15: `-o` into a missing or unwritable directory named the hidden temporary
/// file (`.m.md.PID.tmp`). Now the file asked for and the reason, in one line.
#[test]
fn an_output_that_cannot_be_written_names_the_file_asked_for() {
    use std::os::unix::fs::PermissionsExt;
    let db = common::demo_copy();
    let dir = db.dir.path();
    let locked = dir.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
    let root = nix::unistd::geteuid().is_root();
    let mut cases = vec![(
        dir.join("missing/m.md"),
        "フォルダ",
        "がありません",
        "there is no directory",
    )];
    if !root {
        cases.push((
            locked.join("m.md"),
            "フォルダ",
            "書き込む権限がありません",
            "no permission to write",
        ));
    }
    for (target, _, ja, en) in &cases {
        let t = target.to_str().unwrap();
        for args in [
            vec!["minutes", "1", "-o", t],
            vec!["export", "-o", t],
            vec!["report", "--fiscal-year", "2026", "-o", t],
            vec!["actions", "-o", t],
        ] {
            let (ok, _, err) = run(&db, &args);
            assert!(!ok, "{args:?}");
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(err.contains(t) && err.contains(ja), "{args:?}: {err}");
            assert!(
                !err.contains(".m.md."),
                "{args:?} names the temporary file: {err}"
            );
            let mut english = vec!["--lang", "en"];
            english.extend(args.iter().copied());
            let (_, _, err) = run(&db, &english);
            assert!(err.contains(t) && err.contains(en), "{english:?}: {err}");
        }
        // The screens' w writes through the same function and says the same.
        let e = renkei::store::write_private(target, b"# minutes").unwrap_err();
        assert!(
            e.to_string().contains(t) && !e.to_string().contains(".m.md."),
            "{e}"
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(std::fs::read_dir(&locked).unwrap().next().is_none());
    let audit = audited_outputs(&db);
    assert!(
        !audit.contains("missing/m.md"),
        "a failed output was audited: {audit}"
    );
}

/// Attack report 12, finding 11: `renkei minutes 1 -o 議事録.docx` (no `--format`) wrote the
/// Markdown into a file named .docx, which Word refuses as damaged; `report -o r.xlsx` and
/// `cases -o c.csv` likewise. The name's extension is the format where the command writes it; a
/// `--format` given is kept. (Seen failing before the fix: every file was Markdown or a table.)
#[test]
fn an_output_named_for_a_format_is_written_in_it() {
    let db = common::demo_copy();
    let dir = db.dir.path();
    let zip = |name: &str| {
        std::fs::read(dir.join(name))
            .unwrap()
            .starts_with(b"PK\x03\x04")
    };
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    for (args, name) in [
        (vec!["minutes", "1"], "議事録.docx"),
        (vec!["report", "--fiscal-year", "2026"], "年次報告.xlsx"),
        (vec!["actions"], "対応.xlsx"),
        (vec!["meetings"], "会議.xlsx"),
        (vec!["cases"], "台帳.xlsx"),
        (vec!["case", "A世帯"], "経過記録.docx"),
    ] {
        let target = path(name);
        let mut args = args.clone();
        args.extend(["-o", target.as_str()]);
        let (ok, _, err) = run(&db, &args);
        assert!(ok, "{args:?}: {err}");
        assert!(zip(name), "{args:?}: not a Word or Excel file");
    }
    let target = path("台帳.csv");
    let (ok, _, err) = run(&db, &["cases", "--status", "all", "-o", &target]);
    assert!(ok, "{err}");
    let csv = std::fs::read_to_string(&target).unwrap();
    assert!(
        csv.starts_with('\u{feff}') && csv.lines().next().unwrap().contains(','),
        "{csv}"
    );
    // Asked for, Markdown it is, whatever the name.
    let target = path("asked.docx");
    let (ok, _, err) = run(&db, &["minutes", "1", "--format", "md", "-o", &target]);
    assert!(ok, "{err}");
    assert!(!zip("asked.docx"));
}

/// Attack report 12, finding 3: `-o out/` (a directory, with the slash a shell completes) said
/// "out/: cannot write it (. is not a directory)"; it says it is a directory, and a name ending
/// with a slash that is no directory is no file name. (Seen failing before the fix.)
#[test]
fn an_output_ending_with_a_slash_is_said_to_be_a_directory() {
    let db = common::demo_copy();
    let dir = db.dir.path();
    let existing = format!("{}/", dir.join("out").display());
    std::fs::create_dir(dir.join("out")).unwrap();
    let missing = format!("{}/", dir.join("nothing").display());
    for (target, ja, en) in [
        (&existing, "フォルダです", "that is a directory"),
        (&missing, "ファイル名ではありません", "not a file name"),
    ] {
        for args in [
            vec!["minutes", "1", "-o", target],
            vec!["export", "-o", target],
            vec!["actions", "--format", "csv", "-o", target],
        ] {
            let (ok, _, err) = run(&db, &args);
            assert!(!ok, "{args:?}");
            assert!(
                err.contains(target.as_str()) && err.contains(ja),
                "{args:?}: {err}"
            );
            assert!(!err.contains("（. "), "{args:?}: {err}");
            let mut english = vec!["--lang", "en"];
            english.extend(args.iter().copied());
            let (_, _, err) = run(&db, &english);
            assert!(err.contains(en), "{english:?}: {err}");
        }
    }
    assert!(std::fs::read_dir(dir.join("out")).unwrap().next().is_none());
    assert!(!dir.join("nothing").exists());
}

/// Attack report item 15: `demo` on a full disk said "Error code 13: database or disk is full".
/// SQLite is kept from growing the file (as a full disk does); the error is said in one line
/// naming the database, in both languages, and nothing of the demo is left half-written.
#[test]
fn a_full_disk_is_said_naming_the_database() {
    let db = TempDb::new();
    let mut store = db.open();
    let conn = store.conn();
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    conn.pragma_update(None, "max_page_count", pages).unwrap();
    let e = renkei::demo::load(&mut store).unwrap_err();
    let e = anyhow::Error::from(e);
    for (lang, said) in [
        (renkei::i18n::Lang::Ja, "ディスクがいっぱいです"),
        (renkei::i18n::Lang::En, "the disk is full"),
    ] {
        let line = renkei::store::explain(&e, &db.path, lang).expect("a full disk is explained");
        assert!(line.contains(said), "{line}");
        assert!(line.contains(db.path.to_str().unwrap()), "{line}");
        assert!(!line.contains("Error code"), "{line}");
    }
    let meetings: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM meetings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(meetings, 0);
}

/// Attack report item 22: `check` with `--db` a symbolic link reported the link's directory and
/// modes, not the database's (SQLite keeps the -wal and -shm beside the real file).
#[test]
fn check_through_a_link_reports_the_databases_own_directory() {
    use std::os::unix::fs::PermissionsExt;
    let db = common::demo_copy();
    let real_dir = std::fs::canonicalize(db.dir.path()).unwrap();
    std::fs::set_permissions(&real_dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let link_dir = std::fs::canonicalize(elsewhere.path()).unwrap();
    // The link's directory is open to everyone: a warning about it would be about the wrong place.
    std::fs::set_permissions(&link_dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let link = link_dir.join("team.db");
    std::os::unix::fs::symlink(&db.path, &link).unwrap();
    let out = common::renkei_at(&link).arg("check").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(real_dir.to_str().unwrap()), "{text}");
    assert!(!text.contains(link_dir.to_str().unwrap()), "{text}");
    std::fs::set_permissions(&link_dir, std::fs::Permissions::from_mode(0o700)).unwrap();
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Attack of 2026-12-05 (round 30), finding 7: an output killed while it was written (kill -9
/// during `export -o k/t.json`) left `k/.t.json.PID.renkei-tmp`, a part of the records, hidden
/// beside the target until the next output into that folder. Now it is written unnamed
/// (Linux's O_TMPFILE) and named only once whole: while it is written its folder holds no
/// name of it — so a kill leaves nothing — and it ends owner-only under its own name. Where
/// the file system has no unnamed files (FAT) the hidden copy is written as before.
#[test]
fn an_output_has_no_name_in_its_folder_until_it_is_whole() {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.json");
    std::fs::write(&path, b"old").unwrap();
    let unnamed = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(nix::libc::O_TMPFILE)
        .mode(0o600)
        .open(dir.path())
        .is_ok();
    renkei::store::write_private_with(&path, |w| {
        let names = names_in(dir.path());
        if unnamed {
            assert_eq!(names, ["t.json"], "nothing named while written");
        } else {
            assert_eq!(names.len(), 2, "the hidden copy: {names:?}");
        }
        w.write_all(b"{\"new\": true}\n")
            .map_err(|e| renkei::store::StoreError::Invalid(e.to_string()))
    })
    .unwrap();
    assert_eq!(names_in(dir.path()), ["t.json"]);
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"new\": true}\n");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // A write that fails leaves the file as it was, and nothing beside it.
    let failed = renkei::store::write_private_with(&path, |w| {
        let _ = w.write_all(b"half");
        Err(renkei::store::StoreError::Invalid(
            "the writer failed".into(),
        ))
    });
    assert!(failed.is_err());
    assert_eq!(names_in(dir.path()), ["t.json"]);
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"new\": true}\n");
}

/// Attack of 2026-12-05, round 32b, finding 2: on a full disk under the database, `export -o`,
/// `backup`, `case -o` and `minutes -o` (the output on another disk) wrote the whole output and
/// then failed on its audit line — the records out, and no trace of who took them. An output
/// whose audit line cannot be written is taken back, and the command says so. Here the audit is
/// refused by a trigger, as deterministic as a full disk.
#[test]
fn an_output_whose_audit_line_cannot_be_written_is_not_left_in_place() {
    let db = TempDb::new();
    demo(&db);
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit refused'); END;",
    )
    .unwrap();
    drop(conn);
    let out = tempfile::tempdir().unwrap();
    let at = |name: &str| out.path().join(name).to_string_lossy().into_owned();
    for args in [
        vec!["export", "-o", &at("all.json")],
        vec!["backup", &at("copy.db")],
        vec!["case", "A世帯", "-o", &at("case.md")],
        vec!["minutes", "1", "-o", &at("minutes.md")],
        vec!["actions", "-o", &at("actions.csv")],
        vec!["report", "--fiscal-year", "2026", "-o", &at("report.csv")],
    ] {
        let (ok, said, err) = run(&db, &args);
        assert!(!ok, "{args:?}: {said}");
        assert!(
            err.contains("は書き出していません") && err.contains("操作の記録"),
            "{args:?}: {err}"
        );
        assert!(!said.contains("バックアップしました"), "{args:?}: {said}");
        assert_eq!(names_in(out.path()), Vec::<String>::new(), "{args:?}");
    }
}
