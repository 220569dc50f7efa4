//! The command line, driven as a script would: exit codes, one-line errors, JSON shapes, tables
//! and iCalendar.

use crate::common;

use common::{TempDb, renkei};
use serde_json::Value;

fn demo_db() -> TempDb {
    common::demo_copy()
}

fn json(db: &TempDb, args: &[&str]) -> Value {
    let out = renkei(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stdout(db: &TempDb, args: &[&str]) -> String {
    let out = renkei(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn bodies_json_has_the_parsed_frequency() {
    let db = demo_db();
    let bodies = json(&db, &["bodies", "--format", "json"]);
    let list = bodies.as_array().unwrap();
    assert!(list.len() >= 59, "{} bodies", list.len());
    let housing = list
        .iter()
        .find(|b| b["name"] == "江東区居住支援協議会")
        .unwrap();
    let keys: Vec<&str> = housing
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        &keys[..10],
        [
            "id",
            "name",
            "organiser",
            "members",
            "topics",
            "expected_size",
            "frequency",
            "personal_info",
            "kind",
            "parent"
        ]
    );
    assert_eq!(housing["frequency"]["text"], "年1回（2月）");
    assert_eq!(housing["frequency"]["per_year_min"], 1);
    assert_eq!(housing["frequency"]["months"], serde_json::json!([2]));
    assert_eq!(housing["frequency"]["ad_hoc"], false);
    let case = list
        .iter()
        .find(|b| b["name"] == "個別ケース会議" && b["organiser"] == "各保健相談所")
        .unwrap();
    assert_eq!(case["frequency"]["ad_hoc"], true);
    assert_eq!(case["personal_info"], true);
    assert_eq!(case["frequency"]["per_year_min"], Value::Null);
}

#[test]
fn upcoming_puts_named_months_and_counts_in_their_windows() {
    let db = demo_db();
    let entries = json(
        &db,
        &[
            "upcoming",
            "--from",
            "2026-11-21",
            "--days",
            "365",
            "--format",
            "json",
        ],
    );
    let entries = entries.as_array().unwrap();
    let of = |name: &str| -> Vec<&Value> { entries.iter().filter(|e| e["body"] == name).collect() };

    // 年1回（2月）: one window, February.
    let housing = of("江東区居住支援協議会");
    assert!(
        housing.iter().any(|e| e["kind"] == "expected"
            && e["window"] == serde_json::json!(["2027-02-01", "2027-02-28"])),
        "{housing:?}"
    );
    // 年1回（7月）: July of the next fiscal year.
    let grants = of("福祉団体助成審査会");
    assert!(
        grants.iter().any(|e| e["window"][0] == "2027-07-01"),
        "{grants:?}"
    );
    // 毎月: about one window a month over a year.
    let monthly = of("支援方針検討会議");
    assert!(monthly.len() >= 11, "{monthly:?}");
    assert!(
        monthly.iter().any(|e| e["kind"] == "scheduled"),
        "the planned demo meeting is listed"
    );
    // Ad hoc bodies have no entries at all.
    let ad_hoc: Vec<_> = of("ケース会議")
        .into_iter()
        .filter(|e| e["organiser"] == "主に計画相談支援事業所の相談支援専門員")
        .collect();
    assert!(ad_hoc.is_empty(), "{ad_hoc:?}");
    for e in entries {
        match e["kind"].as_str().unwrap() {
            "scheduled" => assert!(e["date"].is_string() && e["meeting_id"].is_i64()),
            "expected" => assert!(e["window"].as_array().unwrap().len() == 2),
            other => panic!("unexpected kind {other}"),
        }
    }
}

#[test]
fn upcoming_table_groups_ad_hoc_bodies_and_marks_overdue() {
    let db = demo_db();
    let text = stdout(&db, &["upcoming"]);
    assert!(text.contains("随時開催"), "{text}");
    assert!(text.contains("期限超過"), "{text}");
    assert!(text.contains("令和8年"), "{text}");
    let by_body = stdout(&db, &["upcoming", "--by", "body"]);
    assert!(by_body.contains("-- 支援方針検討会議"), "{by_body}");
    let by_freq = stdout(&db, &["upcoming", "--by", "frequency"]);
    assert!(by_freq.contains("-- 毎月"), "{by_freq}");
}

#[test]
fn english_on_request() {
    let db = demo_db();
    let text = stdout(&db, &["--lang", "en", "upcoming"]);
    assert!(text.contains("Body"), "{text}");
    assert!(text.contains("Ad hoc"), "{text}");
}

#[test]
fn ics_is_valid_icalendar() {
    let db = demo_db();
    let text = stdout(&db, &["upcoming", "--days", "90", "--format", "ics"]);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text:.200}");
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(
            line.len() <= 75,
            "unfolded line of {} octets: {line}",
            line.len()
        );
    }
    let events = text.matches("BEGIN:VEVENT").count();
    let todos = text.matches("BEGIN:VTODO").count();
    assert!(events > 5, "{events} events");
    assert!(todos > 5, "{todos} to-dos");
    assert_eq!(text.matches("\r\nUID:").count(), events + todos);
    // Stamped with when each record last changed, not when the file was written.
    assert_eq!(text.matches("\r\nDTSTAMP:").count(), events + todos);
    assert!(!text.contains("DTSTAMP:20261121T010000Z"), "{text}");
    assert!(text.contains("DTSTART;TZID=Asia/Tokyo:"));
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\n"));
    assert!(
        !text.contains("STATUS:TENTATIVE"),
        "expected windows are to-dos, not tentative events"
    );
    let parsed: icalendar::Calendar = text.parse().unwrap();
    // The events, the to-dos and the VTIMEZONE.
    assert_eq!(parsed.components.len(), events + todos + 1);
}

#[test]
fn meetings_of_one_body() {
    let db = demo_db();
    let list = json(
        &db,
        &["meetings", "--body", "支援方針検討会議", "--format", "json"],
    );
    let list = list.as_array().unwrap();
    assert!(list.len() >= 2);
    assert!(list.iter().all(|m| m["body"] == "支援方針検討会議"));
    assert!(
        list.iter().any(|m| m["status"] == "held") && list.iter().any(|m| m["status"] == "planned")
    );
    let table = stdout(&db, &["meetings"]);
    assert!(table.contains("非公開"));
    renkei(&db)
        .args(["meetings", "--body", "ありません"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "「ありません」という会議体はありません",
        ));
}

#[test]
fn demo_flag_runs_a_command_on_fresh_demo_data() {
    let db = TempDb::new();
    // The database of the environment (RENKEI_DB) is left alone; one named by --db is refused
    // with --demo (attack12 finding 10, tests/messages.rs).
    let out = common::renkei_anywhere()
        .env("RENKEI_DB", &db.path)
        .args(["--demo", "upcoming"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("支援方針検討会議") || text.contains("コア会議"),
        "{text}"
    );
    assert!(!db.path.exists(), "--demo must not touch the real database");
}

/// `check`'s counts of every table, but for the audit (a demo loaded again is an import, and
/// audited).
fn check_counts(db: &TempDb) -> Vec<String> {
    stdout(db, &["check"])
        .lines()
        .filter(|l| l.starts_with("  ") && !l.contains("操作の記録"))
        .map(str::to_owned)
        .collect()
}

/// Attack14 finding 3: `renkei demo` a second time on the same day added the four meetings of
/// the demo's cases again (two コア会議 at the same hour, their actions and plan revisions:
/// meetings 325 → 329, next actions 11 → 18) — their uids were new each time, so the import
/// took them for other meetings. The demo's records are the same records each time now: the
/// second load finds every one unchanged.
#[test]
fn the_demo_loaded_again_the_same_day_adds_nothing() {
    let db = demo_db();
    let counts = || check_counts(&db);
    let before = counts();
    let meetings = json(&db, &["meetings", "--format", "json"]);
    let out = stdout(&db, &["demo"]);
    assert_eq!(counts(), before, "{out}");
    assert_eq!(json(&db, &["meetings", "--format", "json"]), meetings);
}

/// Attack14 finding 10: `renkei demo --wards 2` a second time added 都島区 (271021) and 福島区
/// (271039) again — two wards of one name and one code in one database, which `ward set` and
/// an import both refuse — with their bodies and history (bodies 69 -> 79, meetings 1 353 ->
/// 2 706). A ward of the city the database holds already is left as it is, as the ward-scale
/// demo leaves a ward that has its bodies; a ward not there yet is added (`--wards 3` after 2).
#[test]
fn the_city_demo_loaded_again_adds_no_ward_twice() {
    // The city as `demo --wards 2` made it (once per test binary, copied). Every row of every
    // table but the audit trail's, rather than the counts `check` prints: more than they say,
    // and `check` recomputes the derived tables of a city's 1 240 meetings (7 s of CPU, twice).
    let (db, _) = common::city_demo();
    let counts = || {
        common::dump(&db.open())
            .split("\n[")
            .filter(|t| !t.starts_with("audit]"))
            .collect::<Vec<_>>()
            .join("\n[")
    };
    let wards = || {
        db.open()
            .wards()
            .unwrap()
            .iter()
            .map(|w| (w.name.clone(), w.code.clone()))
            .collect::<Vec<_>>()
    };
    let (before, held) = (counts(), wards());
    assert_eq!(held.len(), 3, "{held:?}");
    let out = common::succeeds(renkei(&db).args(["demo", "--wards", "2"]));
    assert_eq!(wards(), held);
    assert!(
        counts() == before,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::succeeds(renkei(&db).args(["demo", "--wards", "3"]));
    let mut third = held.clone();
    third.push(("此花区".to_owned(), Some("271047".to_owned())));
    assert_eq!(wards(), third);
}

/// Attack14 finding 11: a listing written as it is read (`meetings`, `upcoming`, an `.xlsx`)
/// onto a full disk said `No space left on device (os error 28)` in English, or
/// ディスクに空きがありません, naming no file — while `actions -o /dev/full` names it in the
/// reader's words, as README promises of every output. The writer's system error is kept as
/// one, and said of the file asked for.
#[test]
fn a_listing_written_onto_a_full_disk_names_the_file() {
    let db = demo_db();
    for args in [
        &["meetings"][..],
        &["meetings", "--format", "json"],
        &["meetings", "--format", "xlsx"],
        &["upcoming", "--format", "ics"],
        &["actions"],
    ] {
        let err = common::refused(renkei(&db).args(args).args(["-o", "/dev/full"]));
        assert_eq!(
            err,
            "renkei: /dev/full: 書き出せません（ディスクがいっぱいです）。何も書き出していません\n",
            "{args:?}"
        );
    }
}

/// Attack of 2026-12-05 (round 30), finding 6: standard output onto a full disk (`> /dev/full`)
/// said `-: ディスクに空きがありません` (the export) or the bare reason (a Word file's minutes, a
/// listing), naming nothing; it is said of standard output, in either language, and that the
/// output ends part-way. A reader gone (`| head`) still ends renkei without a word.
#[test]
fn standard_output_onto_a_full_disk_is_said_of_standard_output() {
    let db = demo_db();
    let onto_full = |args: &[&str]| {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("renkei"))
            .env("RENKEI_NOW", common::NOW)
            .env_remove("RENKEI_DB")
            .env("LANG", "ja_JP.UTF-8")
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    for args in [
        &["export"][..],
        &["minutes", "1", "--format", "docx"],
        &["meetings"],
        &["meetings", "--format", "json"],
        &["actions", "--format", "csv"],
    ] {
        assert_eq!(
            onto_full(args),
            "renkei: 標準出力に書き出せません（ディスクに空きがありません）。出力は途中で終わっています\n",
            "{args:?}"
        );
    }
    assert_eq!(
        onto_full(&["--lang", "en", "export"]),
        "renkei: could not write to standard output (No space left on device); the output ends part-way\n"
    );
}

/// A FIFO named `name` beside the database.
fn fifo_in(db: &TempDb, name: &str) -> std::path::PathBuf {
    let fifo = db.dir.path().join(name);
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    fifo
}

/// Attack14 finding 12: `renkei backup /dev/null --force` (root, or anyone naming a FIFO)
/// renamed the finished copy over the device: /dev/null a private regular file for every
/// program of the machine — what the `-o` writers were mended for (they write into a device)
/// but not the backup. A backup is a database file: it is refused onto anything but a regular
/// file, naming it, and the FIFO is left as it was.
#[test]
fn a_backup_never_replaces_a_fifo_or_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let db = common::blank();
    let fifo = fifo_in(&db, "copy.db");
    for force in [false, true] {
        let mut cmd = renkei(&db);
        cmd.arg("backup").arg(&fifo);
        if force {
            cmd.arg("--force");
        }
        let err = common::refused(&mut cmd);
        assert!(
            err.contains("copy.db") && err.contains("普通のファイルではありません"),
            "{err}"
        );
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
    // A folder is said to be one at once, not "already there: add --force".
    let err = common::refused(renkei(&db).arg("backup").arg(db.dir.path()));
    assert!(err.contains("フォルダです"), "{err}");
}

#[test]
fn bad_import_fails_with_one_line_and_changes_nothing() {
    let db = demo_db();
    let before = stdout(&db, &["export"]);
    let bad = db.file("bad.csv", "会議名,個人情報の共有\nA,○\nB,?\n".as_bytes());
    let out = renkei(&db).arg("import").arg(&bad).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("renkei: ") && err.contains("bad.csv") && err.contains("3行目"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    assert_eq!(stdout(&db, &["export"]), before);
}

#[test]
fn import_reports_what_it_did() {
    let db = TempDb::new();
    let fixture = common::fixture("koto.toml");
    renkei(&db)
        .arg("import")
        .arg(&fixture)
        .assert()
        .success()
        .stdout(predicates::str::contains("新規 48 件"));
    renkei(&db)
        .arg("import")
        .arg(&fixture)
        .assert()
        .success()
        .stdout(predicates::str::contains("変更なし 48 件"));
}

#[test]
fn newer_database_is_refused_on_the_command_line() {
    let db = TempDb::new();
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 42;")
        .unwrap();
    renkei(&db)
        .arg("bodies")
        .assert()
        .failure()
        .stderr(predicates::str::contains("より新しいものです"));
}

#[test]
fn export_to_a_file_is_owner_only() {
    let db = demo_db();
    let out = db.dir.path().join("all.json");
    renkei(&db)
        .arg("export")
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(common::mode(&out), 0o600);
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["format"], "renkei/1");
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "format",
            "ward",
            "agencies",
            "bodies",
            "history",
            "cases",
            "meetings",
            "templates",
            "recorded"
        ]
    );
}

#[test]
fn the_ward_is_named_its_code_checked_and_written_into_every_export() {
    let db = TempDb::new();
    renkei(&db)
        .args(["ward", "set", "江東区", "--code", "131084"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("検査数字が違います"));
    renkei(&db)
        .args(["ward", "set", "江東区", "--code", "131083"])
        .assert()
        .success()
        .stdout(predicates::str::contains("江東区（131083）"));
    let text = stdout(&db, &["ward"]);
    assert!(text.starts_with("区: 江東区（131083）\nID: "), "{text}");
    let ward = json(&db, &["ward", "--format", "json"]);
    assert_eq!(ward["ward"]["code"], "131083");
    let export = json(&db, &["export"]);
    assert_eq!(export["ward"]["name"], "江東区");
    assert_eq!(export["ward"]["uid"], ward["ward"]["uid"]);
    let audit = stdout(&db, &["audit"]);
    assert!(audit.contains("区の設定"), "{audit}");
}

#[test]
fn lists_show_the_ward_where_there_are_several() {
    let db = TempDb::new();
    let file = db.file(
        "city.json",
        r#"{ "format": "renkei/1",
             "ward": { "uid": "0193a0c0-0000-7000-8000-000000000001", "name": "江東区", "code": "131083" },
             "wards": [ { "uid": "0193a0c0-0000-7000-8000-000000000002", "name": "墨田区", "code": "131075" } ],
             "bodies": [ { "name": "支援会議", "organiser": "福祉課" },
                         { "name": "支援会議", "organiser": "福祉課", "ward": "0193a0c0-0000-7000-8000-000000000002" } ],
             "meetings": [ { "body": "支援会議", "body_uid": null, "date": "2026-12-01", "start": "10:00" } ] }"#
            .replace("\"body_uid\": null, ", "")
            .as_bytes(),
    );
    // A meeting naming a body both wards have by name goes to the file's own ward.
    renkei(&db).arg("import").arg(&file).assert().success();
    let bodies = stdout(&db, &["bodies"]);
    assert!(
        bodies.contains("区") && bodies.contains("墨田区"),
        "{bodies}"
    );
    let list = json(&db, &["bodies", "--format", "json"]);
    let wards: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["ward"].as_str().unwrap())
        .collect();
    assert_eq!(wards, ["江東区", "墨田区"]);
    let meetings = json(&db, &["meetings", "--format", "json"]);
    assert_eq!(meetings[0]["ward"], "江東区");
    let ward = stdout(&db, &["ward"]);
    assert!(
        ward.contains("墨田区（131075）: 会議体 1 件、会議 0 件"),
        "{ward}"
    );
    // One ward only: no ward column.
    let single = demo_db();
    let table = stdout(&single, &["bodies"]);
    assert!(!table.lines().next().unwrap().contains("区 "), "{table}");
}

/// A demo meeting planned after the tests' today (2026-11-21).
fn planned_after_today(store: &renkei::store::Store) -> renkei::store::MeetingSummary {
    store
        .meetings(None)
        .unwrap()
        .into_iter()
        .find(|m| {
            m.status == renkei::domain::model::MeetingStatus::Planned
                && m.date > chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        })
        .unwrap()
}

#[test]
fn a_meeting_in_progress_is_shown_as_such_everywhere() {
    let db = common::demo_copy();
    let id = {
        let mut store = db.open();
        let id = planned_after_today(&store).id;
        store.start_meeting(id).unwrap();
        id
    };
    let list = json(&db, &["meetings", "--format", "json"]);
    let m = list
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap();
    assert_eq!(m["status"], "in_progress");
    let table = stdout(&db, &["meetings"]);
    let row = table
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{id} ")))
        .unwrap();
    assert!(row.contains("開催中"), "{row}");
    let minutes = stdout(&db, &["minutes", &id.to_string()]);
    assert!(minutes.contains("**開催状況**：開催中"), "{minutes}");
    let upcoming = stdout(&db, &["upcoming", "--days", "90"]);
    assert!(upcoming.contains(&format!("開催中 #{id}")), "{upcoming}");
    let entries = json(&db, &["upcoming", "--days", "90", "--format", "json"]);
    let entry = entries
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["meeting_id"] == id)
        .unwrap();
    assert_eq!(entry["in_progress"], true);
}

#[test]
fn a_meeting_begun_on_another_day_is_filed_under_the_real_date() {
    let db = common::demo_copy();
    let mut store = db.open();
    let planned = planned_after_today(&store);
    let other = store.begins_on_another_day(planned.id).unwrap().unwrap();
    assert_eq!(other.planned, planned.date);
    assert_eq!(other.today.to_string(), "2026-11-21");
    assert_eq!(other.now, "10:00");
    store.start_meeting_today(planned.id).unwrap();
    assert_eq!(store.begins_on_another_day(planned.id).unwrap(), None);
    let m = store.meeting_record(planned.id).unwrap().unwrap();
    assert_eq!(
        (m.date.as_str(), m.start.as_deref(), m.end.as_deref()),
        ("2026-11-21", Some("10:00"), None)
    );
    // The plan is in the history.
    let history: Vec<(String, Option<String>, Option<String>)> = store
        .conn()
        .prepare(
            "SELECT field, old_value, new_value FROM changes WHERE meeting_id = ?1 ORDER BY id",
        )
        .unwrap()
        .query_map([planned.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let plan = planned.date.to_string();
    assert!(
        history.contains(&("date".to_owned(), Some(plan), Some("2026-11-21".to_owned()))),
        "{history:?}"
    );
    assert!(
        history
            .iter()
            .any(|(f, old, _)| f == "start_time" && *old == planned.start),
        "{history:?}"
    );
    drop(store);
    let today = json(&db, &["meetings", "--format", "json"]);
    let m = today
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == planned.id)
        .unwrap();
    assert_eq!(m["date"], "2026-11-21");
    assert_eq!(m["status"], "in_progress");
}

/// Attack report 5, finding 8: a reader that closed the pipe (`renkei meetings | head -1`) is
/// no error to report: renkei ends without a word (it said `renkei: Broken pipe (os error 32)`
/// in English, exit 1), with the status a process ended by SIGPIPE has. The reader here is gone
/// before renkei writes, so that every run is the same. (Seen failing before: English on stderr;
/// for the JSON of bodies, audit and search, written through serde_json, until attack report 6.)
#[test]
fn a_reader_that_closed_the_pipe_ends_renkei_quietly() {
    let db = common::demo_copy();
    // Every command that writes to the standard output, in each of its formats (attack report
    // 6, finding 5: the JSON of bodies, audit and search still failed in English).
    for args in [
        &["meetings"][..],
        &["meetings", "--format", "json"],
        &["export"],
        &["actions"],
        &["actions", "--format", "json"],
        &["bodies"],
        &["bodies", "--format", "json"],
        &["audit"],
        &["audit", "--format", "json"],
        &["search", "支援"],
        &["search", "支援", "--format", "json"],
        &["cases"],
        &["cases", "--format", "json"],
        &["cases", "--format", "csv"],
        &["upcoming"],
        &["upcoming", "--format", "json"],
        &["upcoming", "--format", "ics"],
        &["report", "--fiscal-year", "2026"],
        &["minutes", "1"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_renkei"))
            .env("RENKEI_NOW", common::NOW)
            .env_remove("RENKEI_DB")
            .env("LANG", "ja_JP.UTF-8")
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(141), "{args:?}");
    }
}

/// Attack report 5, finding 17: a read on a mistyped `--db` made an empty database there and
/// printed an empty ledger or a whole report of zeros, successfully. Every command that reads
/// now refuses a database that is not there, naming it, in Japanese by default, and makes no
/// file; `demo`, `import` and `ward set` still begin a new one. (Seen failing before: exit 0.)
#[test]
fn a_read_on_a_database_that_is_not_there_is_refused_and_nothing_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("renkie.db");
    let reads: [&[&str]; 9] = [
        &["meetings"],
        &["cases"],
        &["actions"],
        &["bodies"],
        &["upcoming"],
        &["report", "--fiscal-year", "2026"],
        &["minutes", "1"],
        &["export"],
        &["ward"],
    ];
    for args in reads {
        let out = common::renkei_at(&typo).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("renkie.db") && stderr.contains("ありません"),
            "{args:?}: {stderr}"
        );
        assert!(!typo.exists(), "{args:?} made {}", typo.display());
    }
    let out = common::renkei_at(&typo)
        .args(["--lang", "en", "cases"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no database at"));
    // Naming the ward of a new database makes it, as demo and import do.
    common::renkei_at(&typo)
        .args(["ward", "set", "江東区"])
        .assert()
        .success();
    assert!(typo.exists());
}

/// How many bytes of NULs renkei takes of `args`' input before it gives up on it: fed through
/// standard input (`fifo: None`) or a FIFO at that path, 64 KB at a time up to 64 MB, until a
/// write finds the reader gone. Its exit status too.
fn nul_bytes_taken(db: &TempDb, args: &[&str], fifo: Option<&std::path::Path>) -> (usize, bool) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("renkei"))
        .env("RENKEI_NOW", "2026-11-21T10:00:00+09:00")
        .env("LANG", "ja_JP.UTF-8")
        .arg("--db")
        .arg(&db.path)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input: Box<dyn Write> = match fifo {
        // Opening a FIFO's writing end waits for its reader.
        Some(path) => Box::new(std::fs::OpenOptions::new().write(true).open(path).unwrap()),
        None => Box::new(child.stdin.take().unwrap()),
    };
    let chunk = vec![0u8; 64 * 1024];
    let mut taken = 0;
    while taken < 64 * 1024 * 1024 {
        match input.write(&chunk) {
            Ok(n) => taken += n,
            Err(_) => break,
        }
    }
    drop(input);
    drop(child.stdin.take());
    (taken, child.wait().unwrap().success())
}

/// Attack14 finding 4 (src/store/spool.rs, import14's lane): `renkei import /dev/zero` (or
/// `yes | renkei import -`) never ends: a pipe or a device is copied to its end into an unnamed
/// file beside the database before a byte of it is parsed, so an endless input fills the
/// database's disk (strace: 64 KB reads of NULs into an O_TMPFILE in the database's folder,
/// for as long as it runs). A JSON document begins with `{` (after a BOM or blanks), and a NUL
/// is refused anywhere: the copy can stop at the first byte that cannot be JSON.
#[test]
fn an_import_of_an_endless_pipe_stops_at_its_first_impossible_byte() {
    let db = common::blank();
    let (taken, ok) = nul_bytes_taken(&db, &["import", "-"], None);
    assert!(!ok, "an import of NULs succeeded");
    assert!(
        taken < 1024 * 1024,
        "{taken} bytes of NULs taken from the pipe"
    );
}

/// Attack14 finding 5 (src/store/import.rs read_source and the workbook's reading, import14's
/// lane): a TOML fixture or a workbook is read whole into memory before it is looked at, so
/// `renkei import z.toml` where z.toml is a FIFO or a link to /dev/zero grows until the
/// machine runs out (887 MB in 5 s as z.toml, 917 MB as z.xlsx, release build). Such a file
/// could be refused as no regular file, or read only up to a bound.
#[test]
fn a_toml_import_of_a_fifo_is_not_read_whole_into_memory() {
    let db = common::blank();
    let fifo = fifo_in(&db, "z.toml");
    let (taken, ok) = nul_bytes_taken(&db, &["import", fifo.to_str().unwrap()], Some(&fifo));
    assert!(!ok, "an import of NULs succeeded");
    assert!(
        taken < 1024 * 1024,
        "{taken} bytes of NULs read into memory"
    );
}

/// A 個別ケース会議 of 夜間会議 (meets when needed) planned on `date` from `start` to `end`
/// (an end before the start is the next day's), begun at the instant `begun` when given: the
/// database and the meeting's id.
fn meeting_begun(date: &str, (start, end): (&str, &str), begun: Option<&str>) -> (TempDb, i64) {
    let db = TempDb::new();
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let end_date = if end < start {
        day.succ_opt().unwrap()
    } else {
        day
    };
    common::import_json(
        &db,
        &serde_json::json!({"format": "renkei/1",
            "bodies": [{"name": "夜間会議", "organiser": "X課", "frequency": "随時"}],
            "meetings": [{"body": "夜間会議", "date": date, "start": start, "end": end,
                "end_date": end_date.to_string(), "status": "planned"}]})
        .to_string(),
    );
    let id = db.open().meetings(None).unwrap()[0].id;
    if let Some(at) = begun {
        let at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
        renkei::store::Store::open(&db.path, renkei::clock::Clock::fixed(at))
            .unwrap()
            .start_meeting(id)
            .unwrap();
    }
    (db, id)
}

/// `upcoming` (table, JSON, calendar) at the instant `now` on a machine whose `TZ` is `tz`:
/// whether the meeting `id` is listed as 開催中 in the table, listed (and whether in progress)
/// in the JSON, and how many events the calendar holds.
fn upcoming_at(
    db: &TempDb,
    id: i64,
    now: &str,
    tz: &str,
    more: &[&str],
) -> (bool, Option<bool>, usize) {
    let run = |args: &[&str]| {
        let out = renkei(db)
            .env("RENKEI_NOW", now)
            .env("TZ", tz)
            .arg("upcoming")
            .args(args)
            .args(more)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run(&[]);
    let json: Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let listed = json
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["meeting_id"] == id)
        .map(|e| e["in_progress"] == true);
    let ics = run(&["--format", "ics"]);
    (
        table.contains(&format!("開催中 #{id}")),
        listed,
        ics.matches("BEGIN:VEVENT").count(),
    )
}

/// Attack14 finding 8: a night meeting (個別ケース会議 23:30–翌00:40) begun at 23:30 and still
/// running at 00:10 was gone from `upcoming` — table, JSON and calendar, and so from the home
/// screen's list: the list was of meetings dated from today, and it is dated yesterday. A
/// meeting running is listed, marked 開催中, whatever its date, until it is ended — whatever
/// the machine's `TZ`, and whatever the offset `RENKEI_NOW` is written in; the calendar keeps
/// its event, which ends within its range.
#[test]
fn a_night_meeting_running_past_midnight_stays_in_the_upcoming_list() {
    let (db, id) = meeting_begun(
        "2026-11-20",
        ("23:30", "00:40"),
        Some("2026-11-20T23:30:00+09:00"),
    );
    for (now, tz) in [
        ("2026-11-21T00:10:00+09:00", "Asia/Tokyo"),
        ("2026-11-21T00:10:00+09:00", "UTC"),
        ("2026-11-20T15:10:00Z", "UTC"),
        ("2026-11-21T00:10:00+09:00", "America/Los_Angeles"),
    ] {
        assert_eq!(
            upcoming_at(&db, id, now, tz, &[]),
            (true, Some(true), 1),
            "{now} with TZ={tz}"
        );
    }
    // Still running at 09:00: still listed.
    let later = "2026-11-21T09:00:00+09:00";
    assert_eq!(
        upcoming_at(&db, id, later, "UTC", &[]),
        (true, Some(true), 1)
    );
    // A range that does not hold today lists what is dated in it only.
    let december = ["--from", "2026-12-01"];
    assert_eq!(
        upcoming_at(&db, id, later, "UTC", &december),
        (false, None, 0)
    );
    // Ended: it is held, no longer listed as upcoming (the calendar keeps the night's event,
    // which ends on the range's first day).
    let ended = chrono::DateTime::parse_from_rfc3339("2026-11-21T00:45:00+09:00").unwrap();
    renkei::store::Store::open(&db.path, renkei::clock::Clock::fixed(ended))
        .unwrap()
        .end_meeting(id)
        .unwrap();
    assert_eq!(upcoming_at(&db, id, later, "UTC", &[]), (false, None, 1));
}

/// A meeting begun two days ago and never ended ("left running since another day", README:
/// not today's for `n`) is still listed as 開催中, so it can be found and ended; the calendar
/// of a range that holds today keeps its event, as the list keeps it; `meetings` says 開催中.
#[test]
fn a_meeting_left_running_since_another_day_is_listed_as_running() {
    let (db, id) = meeting_begun(
        "2026-11-19",
        ("10:00", "11:00"),
        Some("2026-11-19T10:05:00+09:00"),
    );
    for tz in ["Asia/Tokyo", "UTC"] {
        assert_eq!(
            upcoming_at(&db, id, common::NOW, tz, &[]),
            (true, Some(true), 1),
            "TZ={tz}"
        );
    }
    // Overdue windows only (`--days 0`): nothing scheduled, no event.
    assert_eq!(
        upcoming_at(&db, id, common::NOW, "UTC", &["--days", "0"]),
        (false, None, 0)
    );
    let meetings = stdout(&db, &["meetings"]);
    assert!(meetings.contains("開催中"), "{meetings}");
}

/// A night meeting planned 23:30–翌00:40 yesterday and never begun is past at 00:10: not listed
/// as upcoming (nor as running). The calendar keeps its event, which ends within its range, as
/// it keeps every meeting the range's days hold; a meeting of the day before that ended before
/// midnight is no event of it.
#[test]
fn a_night_meeting_not_begun_is_past_after_midnight() {
    let (db, id) = meeting_begun("2026-11-20", ("23:30", "00:40"), None);
    let now = "2026-11-21T00:10:00+09:00";
    for tz in ["Asia/Tokyo", "UTC"] {
        assert_eq!(
            upcoming_at(&db, id, now, tz, &[]),
            (false, None, 1),
            "TZ={tz}"
        );
    }
    let (evening, evening_id) = meeting_begun("2026-11-20", ("19:00", "21:00"), None);
    assert_eq!(
        upcoming_at(&evening, evening_id, now, "UTC", &[]),
        (false, None, 0)
    );
    // The same, begun and left running: listed, and its event kept.
    let (left, left_id) = meeting_begun(
        "2026-11-20",
        ("19:00", "21:00"),
        Some("2026-11-20T19:00:00+09:00"),
    );
    assert_eq!(
        upcoming_at(&left, left_id, now, "UTC", &[]),
        (true, Some(true), 1)
    );
}

/// Legacy meetings whose end equals their start (10:00–10:00, refused by the form, the store and
/// the import since session 13, but held by older databases), written here directly with SQL:
/// every listing, the calendar, the minutes and the export read such an end as no end known —
/// the start alone, a calendar meeting of the configured length (90 minutes), no end in the
/// export, so the database's own export imports again — never `10:00-10:00`, a panic, or an
/// event of no length. A held meeting's end as renkei recorded its close is kept.
#[test]
fn a_legacy_meeting_ending_as_it_begins_is_read_as_no_end_known() {
    let db = TempDb::new();
    common::import_json(
        &db,
        r#"{"format":"renkei/1","bodies":[{"name":"地域ケア会議","organiser":"X課","frequency":"毎月"}],
        "meetings":[
          {"body":"地域ケア会議","date":"2026-11-10","start":"14:00","end":"15:00","status":"held"},
          {"body":"地域ケア会議","date":"2026-11-24","start":"10:00","end":"11:00"},
          {"body":"地域ケア会議","date":"2026-11-25","start":"23:30","end":"00:40","end_date":"2026-11-26"}]}"#,
    );
    let changed = db
        .open()
        .conn()
        .execute("UPDATE meetings SET end_time = start_time", [])
        .unwrap();
    assert_eq!(changed, 3);
    let held = db.open().meetings(None).unwrap();
    let held = held
        .iter()
        .find(|m| m.date.to_string() == "2026-11-10")
        .unwrap()
        .id;

    let table = stdout(&db, &["meetings"]);
    for slip in ["14:00-14:00", "10:00-10:00", "23:30-23:30", "翌"] {
        assert!(!table.contains(slip), "{slip}: {table}");
    }
    assert!(
        table.contains("10:00 ") && table.contains("23:30 "),
        "{table}"
    );
    let listed = json(&db, &["meetings", "--format", "json"]);
    for m in listed.as_array().unwrap() {
        assert!(m["end"].is_null() && m["end_date"].is_null(), "{m}");
    }
    let xlsx = renkei(&db)
        .args(["meetings", "--format", "xlsx"])
        .output()
        .unwrap();
    assert!(xlsx.status.success() && xlsx.stdout.starts_with(b"PK"));

    let upcoming = stdout(&db, &["upcoming"]);
    assert!(upcoming.contains("2026-11-24"), "{upcoming}");
    let listed = json(&db, &["upcoming", "--format", "json"]);
    assert!(!listed.as_array().unwrap().is_empty());
    let ics = stdout(&db, &["upcoming", "--format", "ics"]);
    for (start, end) in [
        ("20261124T100000", "20261124T113000"),
        ("20261125T233000", "20261126T010000"),
    ] {
        assert!(
            ics.contains(&format!(
                "DTSTART;TZID=Asia/Tokyo:{start}\r\nDTEND;TZID=Asia/Tokyo:{end}"
            )) || (ics.contains(&format!("DTSTART;TZID=Asia/Tokyo:{start}"))
                && ics.contains(&format!("DTEND;TZID=Asia/Tokyo:{end}"))),
            "{start}–{end}: {ics}"
        );
    }

    let minutes = stdout(&db, &["minutes", &held.to_string()]);
    assert!(!minutes.contains("14:00〜14:00"), "{minutes}");
    assert!(minutes.contains("14:00〜"), "{minutes}");

    // The database's own export imports again, into a database of its own.
    let export = common::stdout_bytes(&db, &["export"]);
    let again = TempDb::new();
    let file = again.file("export.json", &export);
    common::succeeds(renkei(&again).arg("import").arg(&file));
    assert_eq!(again.open().meetings(None).unwrap().len(), 3);

    // Held from the keys within one minute: the end recorded at its close is kept.
    let mut store = db.open();
    let id = db
        .open()
        .meetings(None)
        .unwrap()
        .iter()
        .find(|m| m.date.to_string() == "2026-11-24")
        .unwrap()
        .id;
    store
        .conn()
        .execute("UPDATE meetings SET end_time = NULL WHERE id = ?1", [id])
        .unwrap();
    store.start_meeting(id).unwrap();
    store.end_meeting(id).unwrap();
    let m = store
        .meetings(None)
        .unwrap()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap();
    assert_eq!(
        (m.start.as_deref(), m.end.as_deref()),
        (Some("10:00"), Some("10:00"))
    );
}

/// `renkei export >> renkei.db`: the shell opens the database for appending and hands it to
/// renkei as its standard output, where no `-o` check looked, and the export was appended onto
/// the database. Standard output that is the database (by device and inode, through a link
/// too), its journal, or another SQLite database is refused for every command, naming the file,
/// before anything is read or written: the database is byte for byte what it was. A file of
/// its own, a pipe and /dev/null are written as before.
#[test]
fn standard_output_onto_the_database_is_refused() {
    use std::process::Stdio;
    let db = demo_db();
    let other = demo_db();
    let link = db.dir.path().join("link.db");
    std::os::unix::fs::symlink(&db.path, &link).unwrap();
    let journal = db.dir.path().join("renkei.db-journal");
    let run = |args: &[&str], target: &std::path::Path| {
        let file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(target)
            .unwrap();
        std::process::Command::new(assert_cmd::cargo::cargo_bin("renkei"))
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .env("RENKEI_NOW", common::NOW)
            .env_remove("RENKEI_DB")
            .env("LANG", "ja_JP.UTF-8")
            .stdout(Stdio::from(file))
            .output()
            .unwrap()
    };
    let before = std::fs::read(&db.path).unwrap();
    let other_before = std::fs::read(&other.path).unwrap();
    for args in [
        &["export"][..],
        &["meetings"],
        &["upcoming", "--format", "ics"],
        &["bodies", "--format", "json"],
        &["minutes", "1"],
        &["actions"],
    ] {
        for (target, named) in [
            (&db.path, &db.path),
            (&link, &db.path),
            (&other.path, &other.path),
        ] {
            let out = run(args, target);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{args:?} >> {target:?} succeeded");
            assert_eq!(
                err.trim_end(),
                format!(
                    "renkei: {}: 標準出力（> や >>）の行き先がデータベースかその一部です。書き出すと壊れます。-o で別のファイルを指定してください（何もしていません）",
                    named.display()
                ),
                "{args:?} >> {target:?}"
            );
        }
        // A journal beside the database (as one left by a write cut short): refused too.
        std::fs::write(&journal, b"").unwrap();
        let out = run(args, &journal);
        assert!(!out.status.success(), "{args:?} >> its journal");
        std::fs::remove_file(&journal).unwrap();
    }
    assert!(
        std::fs::read(&db.path).unwrap() == before,
        "the database changed"
    );
    assert!(std::fs::read(&other.path).unwrap() == other_before);
    // No audit line either: the export was never made.
    let audited: i64 = db
        .open()
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'export_database'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 0);
    // A file of its own and /dev/null are written as before.
    let own = db.dir.path().join("export.json");
    assert!(run(&["export"], &own).status.success());
    assert!(std::fs::read(&own).unwrap().starts_with(b"{"));
    assert!(
        run(&["export"], std::path::Path::new("/dev/null"))
            .status
            .success()
    );
}
