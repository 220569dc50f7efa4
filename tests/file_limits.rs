//! Writing files at their limits: a file size limit (`ulimit -f`) reached while the database or
//! an export is written is said in Japanese or English naming the file, the database is left
//! whole and as it was, and no partial export is left under the name asked for. An import that
//! fails leaves no new database behind (nor the directories made for it).

mod common;

use std::path::Path;
use std::process::Output;

use common::{TempDb, dump};

/// renkei on `db` with `args` under a file size limit of `kib` KiB, in `lang`.
fn limited(db: &Path, kib: u64, lang: &str, args: &[&str]) -> Output {
    // bash's `ulimit -f` counts blocks of 1024 bytes.
    let script = format!("ulimit -f {kib} && exec \"$0\" \"$@\"");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_renkei"))
        .args(["--lang", lang, "--db"])
        .arg(db)
        .args(args)
        .env("RENKEI_NOW", common::NOW)
        .env_remove("RENKEI_DB")
        .output()
        .unwrap();
    // Killed by SIGXFSZ (without a word) is what this test is against.
    assert!(
        out.status.code().is_some(),
        "renkei was ended by a signal: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The demo's export (half a megabyte), written without a limit.
fn large_export(dir: &Path) -> std::path::PathBuf {
    let source = dir.join("source.db");
    common::succeeds(common::renkei_at(&source).arg("demo"));
    let export = dir.join("ward.json");
    common::succeeds(
        common::renkei_at(&source)
            .args(["export", "-o"])
            .arg(&export),
    );
    export
}

#[test]
fn an_import_past_the_file_size_limit_says_so_and_changes_nothing() {
    let db = TempDb::new();
    drop(db.open()); // an empty database, made
    let export = large_export(db.dir.path());
    let before = dump(&db.open());
    let size_kib = std::fs::metadata(&db.path).unwrap().len() / 1024;
    let export = export.to_str().unwrap();
    for (lang, expected) in [
        (
            "ja",
            "ファイルサイズの上限（ulimit -f）に達したため書き込めません。この変更は保存されていません",
        ),
        (
            "en",
            "the file size limit (ulimit -f) was reached; this change was not saved",
        ),
    ] {
        // Room for the database as it is, not for what the import adds to it.
        let out = limited(&db.path, size_kib + 128, lang, &["import", export]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("renkei: {}: ", db.path.display())),
            "the message names the database: {err}"
        );
        assert!(err.contains(expected), "{lang}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(dump(&db.open()), before, "the import was rolled back");
    common::succeeds(common::renkei(&db).arg("check"));
}

#[test]
fn an_export_past_the_file_size_limit_leaves_no_file() {
    let db = common::demo_copy();
    let out_file = db.dir.path().join("out.json");
    for (lang, expected) in [
        (
            "ja",
            "書き出せません（ファイルサイズの上限（ulimit -f）を超えます）。何も書き出していません",
        ),
        (
            "en",
            "cannot write it (the file size limit (ulimit -f) was reached); nothing was written",
        ),
    ] {
        let out = limited(
            &db.path,
            64,
            lang,
            &["export", "-o", out_file.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(
            err,
            format!("renkei: {}: {expected}\n", out_file.display()),
            "{lang}"
        );
        let left: Vec<String> = std::fs::read_dir(db.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("out.json"))
            .collect();
        assert_eq!(
            left,
            Vec::<String>::new(),
            "no partial export, no temporary file"
        );
    }
}

/// Attack on the exports, 2026-12-05: a spreadsheet's cells went to the system's /tmp, and a
/// write that failed there or under a file size limit ended renkei with rust_xlsxwriter's panic
/// (exit 101, English, a backtrace) and left the output's temporary file. Now every .xlsx
/// writer says so in one line naming the file, and leaves nothing.
#[test]
fn a_spreadsheet_past_the_file_size_limit_says_so_and_leaves_no_file() {
    let db = common::demo_copy();
    {
        // Next actions of long texts: a sheet of more than the limit.
        let mut store = db.open();
        let meeting: i64 = store
            .conn()
            .query_row("SELECT MAX(id) FROM meetings", [], |r| r.get(0))
            .unwrap();
        for i in 0..100 {
            let text = format!(
                "{i}: {}",
                "見守りの体制について関係機関と調整する。".repeat(20)
            );
            store.add_action(meeting, None, &text, None).unwrap();
        }
    }
    for (name, args) in [
        ("actions.xlsx", &["actions", "--format", "xlsx"][..]),
        ("meetings.xlsx", &["meetings", "--format", "xlsx"][..]),
    ] {
        let out_file = db.dir.path().join(name);
        let mut all = args.to_vec();
        all.extend(["-o", out_file.to_str().unwrap()]);
        // Room for the database's log, not for the sheet's cells as they are written.
        let out = limited(&db.path, 40, "ja", &all);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert_eq!(
            err,
            format!(
                "renkei: {}: 書き出せません（ファイルサイズの上限（ulimit -f）を超えます）。何も書き出していません\n",
                out_file.display()
            ),
            "{name}"
        );
        let left: Vec<String> = std::fs::read_dir(db.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(name))
            .collect();
        assert_eq!(left, Vec::<String>::new(), "{name}: no file, no temporary");
        // Written whole without the limit.
        let out = limited(&db.path, 1 << 20, "ja", &all);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert!(
            std::fs::read(&out_file).unwrap().starts_with(b"PK"),
            "{name}"
        );
    }
}

/// Attack on the exports, 2026-12-05: a backup cut short by the file size limit (or a full
/// disk) named the database read, as if its own disk were full and a change lost. It names the
/// copy, as an export does, and leaves nothing of it.
#[test]
fn a_backup_past_the_file_size_limit_names_the_copy() {
    let db = common::demo_copy();
    let copy = db.dir.path().join("copy.db");
    let size_kib = std::fs::metadata(&db.path).unwrap().len() / 1024;
    let out = limited(
        &db.path,
        size_kib / 2,
        "ja",
        &["backup", copy.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "renkei: {}: 書き出せません（ファイルサイズの上限（ulimit -f）を超えます）。何も書き出していません\n",
            copy.display()
        )
    );
    let left: Vec<String> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("copy.db"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
}

/// The files and directories under `dir`, relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            out.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_failed_import_into_a_new_database_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.json");
    std::fs::write(
        &bad,
        br#"{"format": "renkei/1", "bodies": [{"nmae": "x"}]}"#,
    )
    .unwrap();
    let good = common::fixture("koto.toml");
    for db in [
        tmp.path().join("new.db"),
        tmp.path().join("new/deeper/ward.db"),
    ] {
        let before = tree(tmp.path());
        for args in [
            vec![bad.to_str().unwrap()],
            vec![good.to_str().unwrap(), bad.to_str().unwrap()],
            vec![tmp.path().join("missing.csv").to_str().unwrap()],
            vec!["-", "-"],
        ] {
            let out = common::renkei_at(&db)
                .arg("import")
                .args(&args)
                .write_stdin(Vec::new())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert_eq!(
                tree(tmp.path()),
                before,
                "{db:?} {args:?}: {}",
                stderr(&out)
            );
        }
        // A dry run changes nothing either: not even a new, empty database.
        let out = common::renkei_at(&db)
            .args(["import", "--dry-run"])
            .arg(&good)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(tree(tmp.path()), before, "{db:?}: dry run");
        // And an import that goes through keeps its database.
        common::succeeds(common::renkei_at(&db).arg("import").arg(&good));
        assert!(db.exists());
    }
    // An existing database that an import fails on stays, as it was.
    let db = common::demo_copy();
    let before = dump(&db.open());
    let out = common::renkei(&db)
        .arg("import")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(dump(&db.open()), before);
}

#[test]
fn standard_input_given_twice_is_refused_in_both_languages() {
    let db = TempDb::new();
    for (lang, expected) in [
        (
            "ja",
            "renkei: 標準入力（-）は一度だけ指定できます（取り込んでいません）\n",
        ),
        (
            "en",
            "renkei: standard input (-) can be given only once (nothing was imported)\n",
        ),
    ] {
        let out = common::renkei(&db)
            .args(["--lang", lang, "import", "-", "-"])
            .write_stdin(br#"{"format": "renkei/1"}"#.to_vec())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(stderr(&out), expected);
    }
    assert!(!db.path.exists(), "no database was made");
}
