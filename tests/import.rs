//! Imports: fixtures, CSV/TSV in every encoding a ward uses, interchange JSON; one transaction
//! each, and a bad file changes nothing.

use crate::common;

use common::{TempDb, dump, fixture};
use renkei::store::{Encoding, Store};

const FIXTURES: &[&str] = &[
    "koto.toml",
    "sendai.toml",
    "sumida.toml",
    "edogawa.toml",
    "osaka.toml",
    "templates.toml",
];

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn import_all_fixtures(store: &mut Store) {
    let paths: Vec<_> = FIXTURES.iter().map(|f| fixture(f)).collect();
    store.import_files(&paths, Encoding::Auto).unwrap();
}

#[test]
fn every_fixture_imports() {
    let db = TempDb::new();
    let mut store = db.open();
    import_all_fixtures(&mut store);
    let koto = count(
        &store,
        "SELECT COUNT(*) FROM bodies WHERE municipality = '江東区'",
    );
    assert_eq!(koto, 48, "Koto's 42 + 6 bodies");
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM bodies WHERE municipality = '仙台市'"
        ),
        5
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM bodies WHERE municipality = '墨田区'"
        ),
        3
    );
    // Sendai's network reports upward: every level but the council has a parent.
    let orphans = count(
        &store,
        "SELECT COUNT(*) FROM bodies WHERE municipality = '仙台市' AND parent_id IS NULL",
    );
    assert_eq!(orphans, 1);
    // Sumida's yearly counts R4–R6.
    let history = count(
        &store,
        "SELECT SUM(h.meetings) FROM body_history h JOIN bodies b ON b.id = h.body_id WHERE b.municipality = '墨田区'",
    );
    assert_eq!(history, 6 + 1 + 1 + 10 + 10 + 9 + 1 + 19 + 6);
    assert!(
        count(
            &store,
            "SELECT COUNT(*) FROM agenda_templates WHERE kind = '支援会議'"
        ) >= 6
    );
    // Members are split into agencies.
    let members = count(
        &store,
        "SELECT COUNT(*) FROM body_members m JOIN bodies b ON b.id = m.body_id WHERE b.name = '江東区居住支援協議会'",
    );
    assert_eq!(members, 10);
}

#[test]
fn importing_twice_does_not_duplicate() {
    let db = TempDb::new();
    let mut store = db.open();
    import_all_fixtures(&mut store);
    let before = count(&store, "SELECT COUNT(*) FROM bodies");
    let again = store
        .import_files(&[fixture("koto.toml")], Encoding::Auto)
        .unwrap();
    assert_eq!(again.bodies.added, 0);
    assert_eq!(again.bodies.unchanged, 48);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM bodies"), before);
    // Re-importing Sumida after Edogawa (which also has a 支援会議) still resolves its own bodies.
    store
        .import_files(&[fixture("sumida.toml")], Encoding::Auto)
        .unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM bodies"), before);
}

const KOTO_CSV: &str = "No.,会議名,主催者,参加者数,参加者,主な議題,開催頻度,個人情報の共有\r\n\
1,江東区居住支援協議会,住宅課住宅指導係,23名程度,\"民間事業者団体、社会福祉協議会、東京都\",お部屋探しサポート,年1回（2月）,\r\n\
11,個別ケース会議,各保健相談所,ケースにより関係者複数名,\"障害者支援課、福祉事務所\",\"支援方針、情報共有\",必要時（不定期）,○\r\n";

fn assert_csv_import(bytes: &[u8], name: &str, encoding: Encoding) {
    let db = TempDb::new();
    let mut store = db.open();
    let path = db.file(name, bytes);
    let summary = store.import_files(&[path], encoding).unwrap();
    assert_eq!(summary.bodies.added, 2, "{name}");
    let bodies = store.bodies().unwrap();
    let case = bodies
        .iter()
        .find(|b| b.record.name == "個別ケース会議")
        .expect(name);
    assert_eq!(case.record.frequency, "必要時（不定期）");
    assert!(case.record.personal_info);
    assert_eq!(case.record.members, ["障害者支援課", "福祉事務所"]);
    let housing = bodies
        .iter()
        .find(|b| b.record.name == "江東区居住支援協議会")
        .unwrap();
    assert!(!housing.record.personal_info);
    assert_eq!(housing.record.frequency, "年1回（2月）");
}

#[test]
fn csv_in_utf8() {
    assert_csv_import(KOTO_CSV.as_bytes(), "bodies.csv", Encoding::Auto);
}

#[test]
fn csv_in_utf8_with_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(KOTO_CSV.as_bytes());
    assert_csv_import(&bytes, "bodies-bom.csv", Encoding::Auto);
}

#[test]
fn csv_in_shift_jis_detected_or_named() {
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(KOTO_CSV);
    assert!(!unmappable);
    assert_csv_import(&sjis, "bodies-sjis.csv", Encoding::Auto);
    assert_csv_import(&sjis, "bodies-sjis2.csv", Encoding::Cp932);
}

#[test]
fn tsv_as_excel_saves_it() {
    let tsv = KOTO_CSV
        .replace(",\"", "\t\"")
        .replace("\",", "\"\t")
        .replace(',', "\t");
    let tsv = tsv.replace(
        "\"民間事業者団体\t社会福祉協議会\t東京都\"",
        "民間事業者団体、社会福祉協議会、東京都",
    );
    let tsv = tsv
        .replace("\"障害者支援課\t福祉事務所\"", "障害者支援課、福祉事務所")
        .replace("\"支援方針\t情報共有\"", "支援方針、情報共有");
    assert_csv_import(tsv.as_bytes(), "bodies.tsv", Encoding::Auto);
}

fn assert_refused(files: &[(&str, &[u8])], expected: &[&str]) {
    let db = TempDb::new();
    let mut store = db.open();
    import_all_fixtures(&mut store);
    let before = dump(&store);
    let paths: Vec<_> = files.iter().map(|(n, b)| db.file(n, b)).collect();
    let err = store
        .import_files(&paths, Encoding::Auto)
        .expect_err("must be refused")
        .to_string();
    for part in expected {
        assert!(err.contains(part), "error {err:?} should contain {part:?}");
    }
    assert!(!err.contains('\n'), "one line: {err:?}");
    assert_eq!(dump(&store), before, "a refused import must change nothing");
}

#[test]
fn bad_csv_names_file_and_line_and_changes_nothing() {
    let csv = "会議名,主催者,個人情報の共有\n新しい会議,福祉課,○\n壊れた会議,福祉課,たぶん\n";
    assert_refused(
        &[("broken.csv", csv.as_bytes())],
        &["broken.csv", "line 3", "個人情報の共有"],
    );
}

#[test]
fn csv_with_unclosed_quote_or_missing_name() {
    assert_refused(
        &[("noname.csv", b"title,freq\nA,1\n")],
        &["noname.csv", "line 1", "会議名"],
    );
    assert_refused(
        &[("empty-name.csv", "会議名,主催者\n,福祉課\n".as_bytes())],
        &["line 2", "empty"],
    );
}

#[test]
fn invalid_bytes_name_the_line() {
    let mut bytes = "会議名\nA\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe\n");
    assert_refused(&[("bytes.csv", &bytes)], &["bytes.csv", "line 3"]);
}

#[test]
fn bad_toml_names_file_and_line() {
    let toml = "[[bodies]]\nname = \"A\"\nfrequency = \"年1回\"\n\n[[bodies]]\nname = \"B\"\npersonal_info = \"はい\"\n";
    assert_refused(&[("bad.toml", toml.as_bytes())], &["bad.toml", "line 7"]);
    let unknown = "[[bodies]]\nname = \"A\"\norganizer = \"x\"\n";
    assert_refused(
        &[("typo.toml", unknown.as_bytes())],
        &["typo.toml", "line 3", "organizer"],
    );
    let parent = "[[bodies]]\nname = \"A\"\nparent = \"存在しない会議\"\n";
    assert_refused(
        &[("parent.toml", parent.as_bytes())],
        &["parent.toml", "bodies[0]", "存在しない会議"],
    );
}

#[test]
fn bad_json_names_the_line_or_path() {
    let syntax =
        "{\n  \"format\": \"renkei/1\",\n  \"bodies\": [\n    { \"name\": \"A\", }\n  ]\n}\n";
    assert_refused(
        &[("syntax.json", syntax.as_bytes())],
        &["syntax.json", "line 4"],
    );
    let wrong_type =
        r#"{ "format": "renkei/1", "bodies": [ { "name": "A", "personal_info": "yes" } ] }"#;
    assert_refused(
        &[("type.json", wrong_type.as_bytes())],
        &["type.json", "bodies[0].personal_info"],
    );
    let bad_date = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
        "meetings": [ { "body": "A", "date": "2026-02-30" } ] }"#;
    assert_refused(
        &[("date.json", bad_date.as_bytes())],
        &["date.json", "meetings[0].date", "2026-02-30"],
    );
    let no_body = r#"{ "format": "renkei/1", "meetings": [ { "body": "どこにもない", "date": "2026-12-01" } ] }"#;
    assert_refused(
        &[("nobody.json", no_body.as_bytes())],
        &["meetings[0].body", "どこにもない"],
    );
    let wrong_format = r#"{ "format": "other/2", "bodies": [] }"#;
    assert_refused(
        &[("format.json", wrong_format.as_bytes())],
        &["format.json", "renkei/1"],
    );
    let bad_role = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
        "meetings": [ { "body": "A", "date": "2026-12-01", "attendees": [ { "name": "x", "role": "chair" } ] } ] }"#;
    assert_refused(
        &[("role.json", bad_role.as_bytes())],
        &["meetings[0].attendees[0].role"],
    );
}

#[test]
fn one_bad_file_refuses_the_whole_import() {
    let good = "会議名,主催者\n新しい会議,福祉課\n";
    let bad = "{ \"format\": \"renkei/1\", \"bodies\": [ { \"name\": 3 } ] }";
    assert_refused(
        &[("good.csv", good.as_bytes()), ("bad.json", bad.as_bytes())],
        &["bad.json"],
    );
}

#[test]
fn unknown_extension_is_refused() {
    assert_refused(
        &[("bodies.pdf", b"%PDF-1.4")],
        &["bodies.pdf", ".csv", ".xlsx"],
    );
}

#[test]
fn interchange_round_trips() {
    let db = common::demo_loaded();
    let store = db.open();
    let first = renkei::store::interchange::to_json(&store.export_document().unwrap());

    let other = TempDb::new();
    let mut copy = other.open();
    let path = other.file("export.json", first.as_bytes());
    copy.import_files(std::slice::from_ref(&path), Encoding::Auto)
        .unwrap();
    let second = renkei::store::interchange::to_json(&copy.export_document().unwrap());
    assert_eq!(first, second);

    // Importing the same export again changes nothing either.
    copy.import_files(&[path], Encoding::Auto).unwrap();
    let third = renkei::store::interchange::to_json(&copy.export_document().unwrap());
    assert_eq!(first, third);
}

#[test]
fn the_streamed_export_is_the_document_byte_for_byte() {
    let db = common::demo_loaded();
    let mut store = db.open();
    // Approved minutes (an approval with its seal): the one kind of record the demo lacks that
    // a scaled history added (`load_scaled(2)`, 2 000 meetings and 9 s of the suite, was here;
    // the exports of both, walked with jq, held the same keys with the same types of value).
    let held: i64 = store
        .conn()
        .query_row(
            "SELECT id FROM meetings WHERE status = 'held' ORDER BY date DESC, id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    store.approve_minutes(held).unwrap();
    // The history of a meeting no longer in the database, which the export lists at the top
    // level (streamed too: attack report 6, finding 16).
    let orphan = db.file(
        "orphan.json",
        br#"{"format": "renkei/1", "bodies": [], "meetings": [], "changes": [
            {"uid": "01a235df-eece-70fc-a503-0000000000c1", "at": "2026-01-01T10:00:00+09:00",
             "by": "sato", "entity": "agenda_entry", "field": "text", "old": "a", "new": "b",
             "meeting_uid": "01a235df-eece-70fc-a503-0000000000c2"}]}"#,
    );
    store.import_files(&[orphan], Encoding::Auto).unwrap();
    let whole = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let mut streamed = Vec::new();
    store.write_export(&mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), whole);
    for list in ["meetings", "changes", "recorded"] {
        assert!(whole.contains(&format!("\"{list}\": [")), "{list}");
    }
    assert!(whole.contains("\"seal\": \""), "the approval");
}

// ---------------------------------------------------------------------------------------------
// Imports never destroy (issue 13): identities, conflicts, dry runs, wards, round trips.

use chrono::NaiveDate;
use renkei::domain::model::{ActionStatus, EntryKind, MeetingStatus, MinutesState};
use renkei::store::capture::NewMeeting;
use renkei::store::{ImportOptions, StoreError};

const BODIES: &str = r#"{ "format": "renkei/1", "bodies": [
    { "name": "支援会議", "organiser": "地域福祉課", "frequency": "毎月" },
    { "name": "コア会議", "organiser": "地域福祉課", "frequency": "随時" } ] }"#;

fn with_bodies() -> (TempDb, Store) {
    let db = TempDb::new();
    let mut store = db.open();
    let path = db.file("bodies.json", BODIES.as_bytes());
    store.import_files(&[path], Encoding::Auto).unwrap();
    (db, store)
}

fn body_id(store: &Store, name: &str) -> i64 {
    store
        .bodies()
        .unwrap()
        .into_iter()
        .find(|b| b.record.name == name)
        .unwrap()
        .id
}

/// A meeting put in the calendar in renkei.
fn scheduled(store: &mut Store, body: &str, date: &str, start: &str, place: &str) -> i64 {
    store
        .schedule_meeting(&NewMeeting {
            body_id: body_id(store, body),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            start: Some(start.to_owned()),
            end: None,
            place: place.to_owned(),
        })
        .unwrap()
}

/// A meeting captured in renkei: scheduled, begun, notes and a decision, an action, ended.
fn captured(store: &mut Store, body: &str, date: &str, start: &str) -> i64 {
    let id = scheduled(store, body, date, start, "区役所 第3会議室");
    store.prepare_agenda(id).unwrap();
    store.start_meeting(id).unwrap();
    let item = first_item(store, id);
    store
        .add_entry(item, EntryKind::Note, "本人と連絡が取れた。")
        .unwrap();
    store
        .add_entry(item, EntryKind::Decision, "訪問は週1回とする")
        .unwrap();
    store
        .add_action(id, Some("健康推進課"), "訪問診療の医療機関をあたる", None)
        .unwrap();
    store.end_meeting(id).unwrap();
    id
}

/// A meeting of 支援会議 begun (and not ended), its agenda prepared.
fn begun(store: &mut Store) -> i64 {
    let id = scheduled(store, "支援会議", "2026-11-03", "14:00", "区役所 第3会議室");
    store.prepare_agenda(id).unwrap();
    store.start_meeting(id).unwrap();
    id
}

fn first_item(store: &Store, meeting: i64) -> i64 {
    store.live_meeting(meeting).unwrap().unwrap().items[0].id
}

fn minutes_text(store: &Store, id: i64) -> String {
    let input = store.minutes_input(id).unwrap().unwrap();
    renkei::minutes::render(&input, &renkei::minutes::Options::default())
}

/// A hand-made file with one meeting of 支援会議 on that date and time.
fn colliding(date: &str, start: &str, note: &str) -> String {
    format!(
        r#"{{ "format": "renkei/1", "meetings": [ {{ "body": "支援会議", "date": "{date}",
             "start": "{start}", "status": "held", "place": "別の場所",
             "agenda": [ {{ "title": "協議", "notes": "{note}", "decisions": ["別の決定"] }} ] }} ] }}"#
    )
}

fn options(skip: bool, dry: bool) -> ImportOptions {
    ImportOptions {
        skip_conflicts: skip,
        dry_run: dry,
        ..ImportOptions::default()
    }
}

#[test]
fn an_approved_meeting_survives_a_colliding_import() {
    let (db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    store.approve_minutes(id).unwrap();
    let minutes = minutes_text(&store, id);
    let before = dump(&store);
    let file = db.file(
        "other.json",
        colliding("2026-11-03", "14:00", "上書き").as_bytes(),
    );
    let err = store.import_files(&[file], Encoding::Auto).unwrap_err();
    let StoreError::Conflicts(conflicts) = &err else {
        panic!("expected conflicts, got {err}");
    };
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert!(c.file.ends_with("other.json"), "{c}");
    assert_eq!(c.at, "meetings[0]");
    assert!(c.record.contains(&format!("meeting {id}")), "{c}");
    assert!(c.reason.contains("approved"), "{c}");
    assert_eq!(dump(&store), before, "a refused import changes nothing");
    assert_eq!(minutes_text(&store, id), minutes);
}

#[test]
fn the_cli_names_the_conflict_and_exits_non_zero() {
    let (db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    store.approve_minutes(id).unwrap();
    drop(store);
    let minutes = common::renkei(&db)
        .args(["minutes", &id.to_string()])
        .output()
        .unwrap()
        .stdout;
    let file = db.file(
        "other.json",
        colliding("2026-11-03", "14:00", "上書き").as_bytes(),
    );
    let out = common::renkei(&db)
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("other.json: meetings[0]: 会議 1（支援会議、2026-11-03 14:00）"),
        "{err}"
    );
    assert!(err.contains("--skip-conflicts"), "{err}");
    let after = common::renkei(&db)
        .args(["minutes", &id.to_string()])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(after, minutes, "the approved minutes, byte for byte");
}

#[test]
fn a_meeting_captured_in_renkei_is_never_replaced_by_a_file_without_ids() {
    let (db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    let before = dump(&store);
    let file = db.file(
        "other.json",
        colliding("2026-11-03", "14:00", "上書き").as_bytes(),
    );
    let err = store.import_files(&[file], Encoding::Auto).unwrap_err();
    assert!(
        err.to_string().contains("captured or edited in renkei"),
        "{err}"
    );
    assert_eq!(dump(&store), before);
    let notes = store.meeting_record(id).unwrap().unwrap().agenda[0].notes_text();
    assert_eq!(notes, "本人と連絡が取れた。");
}

#[test]
fn skip_conflicts_imports_the_rest_and_lists_what_it_skipped() {
    let (db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    let meeting = store.meeting_export(id).unwrap();
    let text = r#"{ "format": "renkei/1", "meetings": [
        { "body": "支援会議", "date": "2026-11-03", "start": "14:00", "place": "別の場所" },
        { "body": "支援会議", "date": "2026-12-01", "start": "14:00", "place": "第1会議室" } ] }"#;
    let file = db.file("two.json", text.as_bytes());
    let summary = store.import_with(&[file], &options(true, false)).unwrap();
    assert_eq!(summary.meetings.added, 1);
    assert_eq!(summary.conflicts.len(), 1);
    assert_eq!(summary.conflicts[0].at, "meetings[0]");
    assert_eq!(store.meeting_export(id).unwrap(), meeting, "left as it was");
    assert_eq!(store.meetings(None).unwrap().len(), 2);
    let audit = store.audit_trail(None).unwrap();
    let line = audit.iter().rev().find(|a| a.action == "import").unwrap();
    assert!(line.detail.contains("two.json"), "{line:?}");
    assert!(line.detail.contains("meetings +1"), "{line:?}");
    assert!(line.detail.contains("skipped 1 in conflict"), "{line:?}");
}

#[test]
fn a_dry_run_says_what_it_would_do_and_changes_nothing() {
    let (db, mut store) = with_bodies();
    captured(&mut store, "支援会議", "2026-11-03", "14:00");
    let before = dump(&store);
    let text = r#"{ "format": "renkei/1",
        "bodies": [ { "name": "新しい会議", "organiser": "福祉課" } ],
        "meetings": [
        { "body": "支援会議", "date": "2026-11-03", "start": "14:00", "place": "別の場所" },
        { "body": "支援会議", "date": "2026-12-01", "start": "14:00" } ] }"#;
    let file = db.file("try.json", text.as_bytes());
    let summary = store
        .import_with(std::slice::from_ref(&file), &options(false, true))
        .unwrap();
    assert!(summary.dry_run);
    assert_eq!(summary.bodies.added, 1);
    assert_eq!(summary.meetings.added, 1);
    assert_eq!(summary.conflicts.len(), 1);
    assert_eq!(
        dump(&store),
        before,
        "a dry run changes nothing, not even the audit"
    );
    drop(store);
    let out = common::renkei(&db)
        .args(["import", "--dry-run"])
        .arg(&file)
        .output()
        .unwrap();
    // The real import would be refused for its conflict: so does the dry run's exit status.
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("変更していません"), "{text}");
    assert!(text.contains("新規: 会議体「新しい会議」"), "{text}");
    assert!(text.contains("新規: 会議 "), "{text}");
    assert!(text.contains("衝突: 1 件"), "{text}");
    assert!(text.contains("try.json: meetings[0]"), "{text}");
    assert_eq!(dump(&db.open()), before);
}

#[test]
fn a_dry_run_exits_as_the_real_import_would() {
    let (db, mut store) = with_bodies();
    captured(&mut store, "支援会議", "2026-11-03", "14:00");
    drop(store);
    let clean = db.file(
        "clean.json",
        colliding("2026-12-01", "14:00", "新しい会議").as_bytes(),
    );
    let conflicting = db.file(
        "conflict.json",
        colliding("2026-11-03", "14:00", "上書き").as_bytes(),
    );
    let status = |args: &[&str], file: &std::path::Path| {
        let out = common::renkei(&db).args(args).arg(file).output().unwrap();
        (out.status.success(), String::from_utf8(out.stderr).unwrap())
    };
    let before = dump(&db.open());
    let (ok, err) = status(&["import", "--dry-run"], &conflicting);
    assert!(
        !ok,
        "a conflict refuses the real import, so the dry run fails"
    );
    assert!(
        err.contains("拒否されます") && err.contains("--skip-conflicts"),
        "{err}"
    );
    assert!(
        !status(&["import"], &conflicting).0,
        "as the real import does"
    );
    assert!(status(&["import", "--dry-run", "--skip-conflicts"], &conflicting).0);
    assert!(status(&["import", "--dry-run"], &clean).0);
    assert_eq!(dump(&db.open()), before, "no dry run changed anything");
    assert!(
        status(&["import"], &clean).0,
        "and the real import of it succeeds"
    );
}

#[test]
fn every_import_is_in_the_audit() {
    let (_db, store) = with_bodies();
    let audit = store.audit_trail(None).unwrap();
    let line = audit.iter().find(|a| a.action == "import").unwrap();
    assert!(line.detail.contains("bodies.json"), "{line:?}");
    assert!(line.detail.contains("bodies +2 ~0 =0"), "{line:?}");
    assert!(!line.by.is_empty());
}

#[test]
fn a_snapshot_import_during_a_live_meeting_loses_nothing() {
    let (db, mut store) = with_bodies();
    let id = scheduled(&mut store, "支援会議", "2026-11-21", "10:00", "");
    store.prepare_agenda(id).unwrap();
    store.start_meeting(id).unwrap();
    let item = first_item(&store, id);
    for n in ["A1", "A2", "A3"] {
        store.add_entry(item, EntryKind::Note, n).unwrap();
    }
    let snap = renkei::store::interchange::to_json(&store.export_document().unwrap());
    for n in ["A4", "A5", "A6"] {
        store.add_entry(item, EntryKind::Note, n).unwrap();
    }
    let file = db.file("snap.json", snap.as_bytes());
    let summary = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(summary.meetings.unchanged, 1, "{summary:?}");
    let live = store.live_meeting(id).unwrap().unwrap();
    let texts: Vec<&str> = live.items[0]
        .entries
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(
        texts,
        ["A1", "A2", "A3", "A4", "A5", "A6"],
        "six entries, each its own"
    );
    assert!(live.is_live(), "still in progress");
}

#[test]
fn a_snapshot_of_a_changed_entry_is_a_conflict_not_an_overwrite() {
    let (db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    let snap = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let entry = store.live_meeting(id).unwrap().unwrap().items[0].entries[0].id;
    store
        .edit_text(
            renkei::store::capture::Entity::Entry,
            entry,
            None,
            "本人と電話で話せた。",
        )
        .unwrap();
    // The snapshot as exported: what it holds is older, nothing is overwritten, nothing refused
    // only for being older? No: it differs, so it is a conflict.
    let file = db.file("snap.json", snap.as_bytes());
    let before = dump(&store);
    let err = store.import_files(&[file], Encoding::Auto).unwrap_err();
    assert!(err.to_string().contains("agenda[0].notes[0]"), "{err}");
    assert!(
        err.to_string().contains("changed in this database since"),
        "{err}"
    );
    assert_eq!(dump(&store), before);
}

/// Imports never overwrite what was captured in renkei (attack of 2026-12-05, round 32b,
/// finding 3): an export edited and imported again rewrote a note typed at the meeting, and a
/// `deleted_at` written into the file removed it. Each is a conflict now, naming the entry, and
/// the database is as it was. Seen failing before the fix: the import updated the meeting.
#[test]
fn an_edited_export_never_rewrites_what_was_captured_here() {
    let (db, mut store) = with_bodies();
    captured(&mut store, "支援会議", "2026-11-03", "14:00");
    let snap = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let before = dump(&store);
    let rewritten = snap.replace("本人と連絡が取れた。", "本人とメールで連絡が取れた。");
    let removed = snap.replacen(
        "\"text\": \"本人と連絡が取れた。\"",
        "\"text\": \"本人と連絡が取れた。\",\n\"deleted_at\": \"2026-11-03T15:00:00+09:00\"",
        1,
    );
    for (name, edited) in [("rewritten.json", rewritten), ("removed.json", removed)] {
        assert_ne!(edited, snap, "{name}");
        let file = db.file(name, edited.as_bytes());
        let err = store.import_files(&[file], Encoding::Auto).unwrap_err();
        let err = err.to_string();
        assert!(err.contains("agenda[0].notes[0]"), "{name}: {err}");
        assert!(
            err.contains("captured or edited in renkei"),
            "{name}: {err}"
        );
        assert_eq!(dump(&store), before, "{name}");
    }
}

/// A copy that came from an import and that nobody changed here is the file's to update: the
/// same export, restored into another database, takes the edit there — the same entry (its
/// uid), the change on record.
#[test]
fn an_edited_export_updates_a_copy_nobody_changed_since() {
    let (source, mut store) = with_bodies();
    captured(&mut store, "支援会議", "2026-11-03", "14:00");
    let snap = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let db = TempDb::new();
    let mut store = db.open();
    let restore = source.file("snap.json", snap.as_bytes());
    store.import_files(&[restore], Encoding::Auto).unwrap();
    let id: i64 = store
        .conn()
        .query_row("SELECT id FROM meetings", [], |r| r.get(0))
        .unwrap();
    let edited = snap.replace("本人と連絡が取れた。", "本人とメールで連絡が取れた。");
    let file = db.file("edited.json", edited.as_bytes());
    let summary = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(summary.meetings.updated, 1);
    let notes = store.meeting_record(id).unwrap().unwrap().agenda[0].notes_text();
    assert_eq!(notes, "本人とメールで連絡が取れた。");
    assert_eq!(
        store.live_meeting(id).unwrap().unwrap().items[0]
            .entries
            .len(),
        2
    );
    let change: (String, String, Option<String>, Option<String>) = store
        .conn()
        .query_row(
            "SELECT entity, field, old_value, new_value FROM changes ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        change,
        (
            "agenda_entry".to_owned(),
            "text".to_owned(),
            Some("本人と連絡が取れた。".to_owned()),
            Some("本人とメールで連絡が取れた。".to_owned())
        )
    );
}

/// A meeting running here is changed by no file (round 32b, finding 1): a colleague's import
/// of an export with the meeting `cancelled` (or `held`, an end given) was taken while the
/// meeting was being held — the screens holding it never knew, a capture went into a cancelled
/// meeting, and ending it made it held again. A conflict now, the database as it was; once the
/// meeting has ended here, its status is what was captured: the file's edit is a conflict too.
/// Seen failing before the fix: both imports changed the meeting.
#[test]
fn an_import_never_changes_a_meeting_running_here() {
    let (db, mut store) = with_bodies();
    let id = begun(&mut store);
    let item = first_item(&store, id);
    store
        .add_entry(item, EntryKind::Note, "本人と連絡が取れた。")
        .unwrap();
    let snap = renkei::store::interchange::to_json(&store.export_document().unwrap());
    assert!(snap.contains("\"status\": \"planned\""), "{snap}");
    let before = dump(&store);
    let cancelled = snap.replace("\"status\": \"planned\"", "\"status\": \"cancelled\"");
    let held = snap.replace("\"status\": \"planned\"", "\"status\": \"held\"");
    for (name, edited) in [("cancelled.json", &cancelled), ("held.json", &held)] {
        let file = db.file(name, edited.as_bytes());
        let err = store.import_files(&[file], Encoding::Auto).unwrap_err();
        assert!(
            err.to_string()
                .contains("a meeting running in this database"),
            "{name}: {err}"
        );
        assert_eq!(dump(&store), before, "{name}");
    }
    // Restored elsewhere while it ran, the copy runs nowhere there: the export taken after it
    // ended here updates it (a city gathering a ward's exports each month).
    let copy = TempDb::new();
    let mut city = copy.open();
    let running = copy.file("running.json", snap.as_bytes());
    city.import_files(&[running], Encoding::Auto).unwrap();
    store.end_meeting(id).unwrap();
    let ended = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let later = copy.file("ended.json", ended.as_bytes());
    let summary = city.import_files(&[later], Encoding::Auto).unwrap();
    assert_eq!(summary.meetings.updated, 1);
    let ended_there: Option<String> = city
        .conn()
        .query_row("SELECT ended_at FROM meetings", [], |r| r.get(0))
        .unwrap();
    assert!(ended_there.is_some());
    let before = dump(&store);
    let file = db.file(
        "ended.json",
        ended
            .replace("\"status\": \"held\"", "\"status\": \"cancelled\"")
            .as_bytes(),
    );
    let err = store.import_files(&[file], Encoding::Auto).unwrap_err();
    assert!(
        err.to_string().contains("captured or edited in renkei"),
        "{err}"
    );
    assert_eq!(dump(&store), before);
}

#[test]
fn a_book_replaces_only_its_own_untouched_meetings() {
    let db = TempDb::new();
    let mut store = db.open();
    let bodies = db.file("bodies.json", BODIES.as_bytes());
    let book = db.file(
        "book.csv",
        "開催日,会議体,課題\n2024/6/3,支援会議,経済的困窮\n2024/6/4,コア会議,孤立\n".as_bytes(),
    );
    store
        .import_files(&[bodies, book.clone()], Encoding::Auto)
        .unwrap();
    // Edited in Excel and imported again: the untouched copies are replaced, not doubled.
    std::fs::write(
        &book,
        "開催日,会議体,課題\n2024/6/3,支援会議,住まい\n2024/6/4,コア会議,孤立\n",
    )
    .unwrap();
    let again = store
        .import_files(std::slice::from_ref(&book), Encoding::Auto)
        .unwrap();
    assert_eq!((again.meetings.updated, again.meetings.unchanged), (1, 1));
    assert_eq!(store.meetings(None).unwrap().len(), 2);
    // Once something is captured in one of them, the book no longer replaces it.
    let core = store
        .meetings(None)
        .unwrap()
        .into_iter()
        .find(|m| m.body == "コア会議")
        .unwrap()
        .id;
    store.add_case_issue(core, "ひきこもり").unwrap();
    std::fs::write(
        &book,
        "開催日,会議体,課題\n2024/6/3,支援会議,住まい\n2024/6/4,コア会議,経済的困窮\n",
    )
    .unwrap();
    let before = dump(&store);
    let err = store
        .import_files(std::slice::from_ref(&book), Encoding::Auto)
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("book.csv: line 3"), "{text}");
    assert!(
        text.contains("changed in renkei since it was imported"),
        "{text}"
    );
    assert_eq!(dump(&store), before);
}

/// A book kept growing in Excel and imported again after one of its meetings was approved here:
/// the approved meeting, unchanged in the book, is unchanged (it was a conflict, and the ward
/// needed --skip-conflicts for every import after: attack of 2026-12-05, round 31, finding 2);
/// changed in the book, a conflict still, and its approval is kept either way.
#[test]
fn a_book_imported_again_leaves_its_approved_meetings_unchanged() {
    let db = TempDb::new();
    let mut store = db.open();
    let bodies = db.file("bodies.json", BODIES.as_bytes());
    let rows = "開催日,会議体,課題\n2024/6/3,支援会議,経済的困窮\n2024/6/4,コア会議,孤立\n";
    let book = db.file("book.csv", rows.as_bytes());
    store
        .import_files(&[bodies, book.clone()], Encoding::Auto)
        .unwrap();
    let approved = store
        .meetings(None)
        .unwrap()
        .into_iter()
        .find(|m| m.body == "支援会議")
        .unwrap()
        .id;
    store.approve_minutes(approved).unwrap();
    std::fs::write(&book, format!("{rows}2024/7/1,支援会議,孤立\n")).unwrap();
    let again = store
        .import_files(std::slice::from_ref(&book), Encoding::Auto)
        .unwrap();
    assert_eq!((again.meetings.added, again.meetings.unchanged), (1, 2));
    assert!(again.conflicts.is_empty());
    let minutes = store.minutes_input(approved).unwrap().unwrap();
    assert_eq!(minutes.meeting.minutes, MinutesState::Approved);

    std::fs::write(
        &book,
        rows.replace("経済的困窮", "住まい") + "2024/7/1,支援会議,孤立\n",
    )
    .unwrap();
    let before = dump(&store);
    let err = store
        .import_files(std::slice::from_ref(&book), Encoding::Auto)
        .unwrap_err();
    assert!(err.to_string().contains("book.csv: line 2"), "{err}");
    assert_eq!(dump(&store), before);
}

#[test]
fn string_and_negative_ids_are_external_references() {
    let db = TempDb::new();
    let mut store = db.open();
    let text = r#"{ "format": "renkei/1", "bodies": [ { "name": "支援会議" } ],
        "meetings": [ { "id": "h-1", "body": "支援会議", "date": "2026-12-01" },
                      { "id": -1, "body": "支援会議", "date": "2026-12-02" } ] }"#;
    let file = db.file("other-system.json", text.as_bytes());
    store
        .import_files(std::slice::from_ref(&file), Encoding::Auto)
        .unwrap();
    let doc = store.export_document().unwrap();
    let ids: Vec<String> = doc
        .meetings
        .iter()
        .map(|m| serde_json::to_string(&m.id).unwrap())
        .collect();
    assert_eq!(ids, ["\"h-1\"", "-1"]);
    // The same file again: the same meetings, nothing added.
    let again = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(again.meetings.unchanged, 2);
    // Another date under the same reference is the same meeting, moved.
    let moved = text.replace("2026-12-01", "2026-12-08");
    let file = db.file("moved.json", moved.as_bytes());
    let summary = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(summary.meetings.updated, 1);
    assert_eq!(store.meetings(None).unwrap().len(), 2);
}

/// An id is the same id written as a number or as a string: a file naming the meeting `1`
/// finds the meeting filed as `"1"` (not `"01"`, which reads otherwise), and a meeting's link
/// to the case `1` finds the case `"1"`. (Both were taken for others: a second meeting of one
/// sitting, and a link to a case the file did not hold — attack on the imports, 2026-12-05.)
#[test]
fn an_id_written_as_a_number_or_a_string_is_one_id() {
    let db = TempDb::new();
    let mut store = db.open();
    let file = |name: &str, id: &str, date: &str| {
        let text = format!(
            r#"{{ "format": "renkei/1", "bodies": [ {{ "name": "支援会議" }} ],
            "meetings": [ {{ "id": {id}, "body": "支援会議", "date": "{date}",
                             "start": "10:00" }} ] }}"#
        );
        db.file(name, text.as_bytes())
    };
    store
        .import_files(&[file("a.json", "\"1\"", "2026-12-01")], Encoding::Auto)
        .unwrap();
    let moved = store
        .import_files(&[file("b.json", "1", "2026-12-08")], Encoding::Auto)
        .unwrap();
    assert_eq!(moved.meetings.updated, 1, "{moved:?}");
    assert_eq!(store.meetings(None).unwrap().len(), 1);
    // "01" is another reference: another meeting, though on the same day.
    let other = store
        .import_files(&[file("c.json", "\"01\"", "2026-12-08")], Encoding::Auto)
        .unwrap();
    assert_eq!(other.meetings.added, 1, "{other:?}");

    let linked = db.file(
        "linked.json",
        r#"{ "format": "renkei/1", "bodies": [ { "name": "コア会議" } ],
            "cases": [ { "id": "7", "pseudonym": "K世帯" } ],
            "meetings": [ { "id": "k", "body": "コア会議", "date": "2026-11-02",
                            "status": "held", "cases": [ { "case": 7 } ] } ] }"#
            .as_bytes(),
    );
    store.import_files(&[linked], Encoding::Auto).unwrap();
    let doc = store.export_document().unwrap();
    let meeting = doc.meetings.iter().find(|m| m.body == "コア会議").unwrap();
    assert_eq!(meeting.cases.len(), 1, "{:?}", meeting.cases);
}

#[test]
fn forged_approved_minutes_are_refused() {
    let (db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    store.approve_minutes(id).unwrap();
    let export = renkei::store::interchange::to_json(&store.export_document().unwrap());
    assert!(
        export.contains("\"seal\": \"sha256:"),
        "approved minutes are sealed"
    );
    let forged = export.replace("訪問は週1回とする", "訪問は不要とする");
    assert_ne!(forged, export);
    // Into a fresh database …
    let other = TempDb::new();
    let mut fresh = other.open();
    let before = dump(&fresh);
    let file = other.file("forged.json", forged.as_bytes());
    let err = fresh
        .import_files(&[file], Encoding::Auto)
        .unwrap_err()
        .to_string();
    assert!(err.contains("forged.json"), "{err}");
    assert!(err.contains("meetings[0].approval.seal"), "{err}");
    assert_eq!(dump(&fresh), before);
    // … and back into its own.
    let before = dump(&store);
    let file = db.file("forged.json", forged.as_bytes());
    assert!(store.import_files(&[file], Encoding::Auto).is_err());
    assert_eq!(dump(&store), before);
    // Taking the approval (who, when, seal) away from approved minutes is refused too.
    let mut unsigned: serde_json::Value = serde_json::from_str(&export).unwrap();
    unsigned["meetings"][0]
        .as_object_mut()
        .unwrap()
        .remove("approval")
        .unwrap();
    let file = other.file("unsigned.json", unsigned.to_string().as_bytes());
    let err = fresh.import_files(&[file], Encoding::Auto).unwrap_err();
    assert!(err.to_string().contains("without their approval"), "{err}");
    // The export as written imports, approved, with who and when.
    let file = other.file("export.json", export.as_bytes());
    fresh.import_files(&[file], Encoding::Auto).unwrap();
    let m = fresh.meeting_record(id).unwrap().unwrap();
    assert_eq!(m.minutes, MinutesState::Approved);
    assert_eq!(
        fresh.minutes_input(id).unwrap().unwrap().approval,
        store.minutes_input(id).unwrap().unwrap().approval
    );
}

#[test]
fn approved_minutes_are_never_changed_by_an_import_even_with_a_recomputed_seal() {
    let (db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    store.approve_minutes(id).unwrap();
    let mut doc = store.export_document().unwrap();
    let m = &mut doc.meetings[0];
    m.agenda[0].decisions[0].text = "訪問は不要とする".to_owned();
    m.agenda[0].decisions.push("書き足した決定".into());
    let sealed = renkei::interchange::seal(m);
    if let Some(a) = &mut m.approval {
        a.seal = Some(sealed);
    }
    let text = renkei::interchange::to_json(&doc);
    let before = dump(&store);
    let file = db.file("resealed.json", text.as_bytes());
    let err = store
        .import_files(std::slice::from_ref(&file), Encoding::Auto)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("approved and are never changed by an import"),
        "{err}"
    );
    assert!(err.contains("agenda[0].decisions[0]"), "{err}");
    assert_eq!(dump(&store), before);
    // A database that never had them takes them: the seal detects edits, it does not stop
    // someone who recomputes it (README says so).
    let other = TempDb::new();
    let mut fresh = other.open();
    let file = other.file("resealed.json", text.as_bytes());
    fresh.import_files(&[file], Encoding::Auto).unwrap();
}

/// The bodies, and two meetings of 支援会議 (10/06 and 11/03), the first with an action still
/// open at the second: the first meeting, the action, the second meeting.
fn carried_action(db: &TempDb, store: &mut Store) -> (i64, i64, i64) {
    let path = db.file("bodies.json", BODIES.as_bytes());
    store.import_files(&[path], Encoding::Auto).unwrap();
    let first = captured(store, "支援会議", "2026-10-06", "14:00");
    let action = store.live_meeting(first).unwrap().unwrap().actions[0].id;
    let second = captured(store, "支援会議", "2026-11-03", "14:00");
    (first, action, second)
}

/// A database with everything a round trip must keep: an action closed at a later meeting,
/// approved minutes amended afterwards, a removed entry, other wards' bodies.
fn rich_store(db: &TempDb) -> Store {
    let mut store = db.open();
    store.set_ward("江東区", Some("131083")).unwrap();
    renkei::demo::load(&mut store).unwrap();
    let (first, action, second) = carried_action(db, &mut store);
    store
        .close_action(action, ActionStatus::Done, Some(second))
        .unwrap();
    store.approve_minutes(first).unwrap();
    store
        .amend_meeting_field(first, "remaining_issues", "国保料の滞納")
        .unwrap();
    let entry = store.live_meeting(second).unwrap().unwrap().items[0].entries[0].id;
    store
        .remove(renkei::store::capture::Entity::Entry, entry)
        .unwrap();
    store
}

#[test]
fn a_round_trip_gives_the_same_bytes_with_closure_links_amendments_and_approval() {
    let db = TempDb::new();
    let store = rich_store(&db);
    let mut first = Vec::new();
    store.write_export(&mut first).unwrap();
    let first = String::from_utf8(first).unwrap();
    assert!(
        first.contains("\"closed_in\""),
        "the closure link is exported"
    );
    assert!(first.contains("\"amendment\": true"));
    assert!(first.contains("\"deleted_at\""));

    let other = TempDb::new();
    let mut copy = other.open();
    let path = other.file("export.json", first.as_bytes());
    copy.import_files(std::slice::from_ref(&path), Encoding::Auto)
        .unwrap();
    let mut second = Vec::new();
    copy.write_export(&mut second).unwrap();
    let second = String::from_utf8(second).unwrap();
    if second != first {
        let diff = first
            .lines()
            .zip(second.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| format!("line {}: {a:?} became {b:?}", i + 1));
        panic!("the round trip changed the export: {diff:?}");
    }

    // The minutes read the same in both: the closing meeting lists the action it closed, the
    // approved one its approval and amendment.
    for m in store.meetings(None).unwrap() {
        assert_eq!(
            minutes_text(&copy, m.id),
            minutes_text(&store, m.id),
            "{m:?}"
        );
    }
    let closing = store
        .meetings(None)
        .unwrap()
        .into_iter()
        .find(|m| m.date.to_string() == "2026-11-03" && m.body == "支援会議")
        .unwrap();
    let text = minutes_text(&copy, closing.id);
    assert!(text.contains("訪問診療の医療機関をあたる"), "{text}");
    assert_eq!(copy.home_ward().unwrap().code.as_deref(), Some("131083"));

    // And importing it once more changes nothing.
    let again = copy.import_files(&[path], Encoding::Auto).unwrap();
    assert_eq!(again.meetings.added + again.meetings.updated, 0);
}

#[test]
fn deleting_a_meeting_keeps_its_amendment_history() {
    let (_db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    store.approve_minutes(id).unwrap();
    store
        .amend_meeting_field(id, "place", "区役所 第5会議室")
        .unwrap();
    let uid: String = store
        .conn()
        .query_row("SELECT uid FROM meetings WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    let history = count(&store, "SELECT COUNT(*) FROM changes");
    assert!(history >= 3, "{history}");
    store
        .conn()
        .execute("DELETE FROM meetings WHERE id = ?1", [id])
        .unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM changes"), history);
    let kept: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM changes WHERE meeting_uid = ?1 AND meeting_id IS NULL",
            [&uid],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, history);
    // … and the export still carries it.
    let doc = store.export_document().unwrap();
    assert_eq!(doc.changes.len() as i64, history);
}

#[test]
fn two_wards_with_the_same_bodies_stay_apart_in_a_third_database() {
    let export = |name: &str, code: &str, frequency: &str| {
        let db = TempDb::new();
        let mut store = db.open();
        store.set_ward(name, Some(code)).unwrap();
        let bodies = BODIES.replace("毎月", frequency);
        let path = db.file("bodies.json", bodies.as_bytes());
        store.import_files(&[path], Encoding::Auto).unwrap();
        captured(&mut store, "支援会議", "2026-11-03", "14:00");
        captured(&mut store, "コア会議", "2026-11-05", "10:00");
        let text = renkei::store::interchange::to_json(&store.export_document().unwrap());
        (db, text)
    };
    let (_a, koto) = export("江東区", "131083", "毎月");
    let (_b, sumida) = export("墨田区", "131075", "年6回");
    let city = TempDb::new();
    let mut store = city.open();
    store.set_ward("東京都（集計）", None).unwrap();
    let a = city.file("koto.json", koto.as_bytes());
    let b = city.file("sumida.json", sumida.as_bytes());
    let summary = store.import_files(&[a, b], Encoding::Auto).unwrap();
    assert_eq!(summary.bodies.added, 4, "{summary:?}");
    assert_eq!(summary.meetings.added, 4, "{summary:?}");
    assert_eq!(summary.wards_added, 2);
    let bodies = store.bodies().unwrap();
    assert_eq!(bodies.len(), 4);
    let support: Vec<(&str, &str)> = bodies
        .iter()
        .filter(|b| b.record.name == "支援会議")
        .map(|b| (b.ward.as_str(), b.record.frequency.as_str()))
        .collect();
    assert_eq!(
        support,
        [("江東区", "毎月"), ("墨田区", "年6回")],
        "none overwritten"
    );
    let wards: Vec<(String, usize, usize)> = store
        .wards()
        .unwrap()
        .into_iter()
        .map(|w| (w.name, w.bodies, w.meetings))
        .collect();
    assert_eq!(
        wards,
        [
            ("東京都（集計）".to_owned(), 0, 0),
            ("江東区".to_owned(), 2, 2),
            ("墨田区".to_owned(), 2, 2)
        ]
    );
    // Each ward's export again: nothing added, nothing doubled.
    let a = city.file("koto.json", koto.as_bytes());
    let again = store.import_files(&[a], Encoding::Auto).unwrap();
    assert_eq!(again.bodies.unchanged, 2);
    assert_eq!(again.meetings.unchanged, 2);
    // The report knows the ward of every meeting.
    let input = store.report_input(&[2026]).unwrap();
    let ward_of = |body: i64| {
        input
            .bodies
            .iter()
            .find(|b| b.id == body)
            .unwrap()
            .ward
            .clone()
    };
    let mut per_ward: Vec<String> = input.meetings.iter().map(|m| ward_of(m.body_id)).collect();
    per_ward.sort();
    assert_eq!(per_ward, ["墨田区", "墨田区", "江東区", "江東区"]);
}

#[test]
fn misspelt_fields_are_refused_with_their_path() {
    for (field, path) in [
        ("\"confidental\": true", "meetings[0].confidental"),
        ("\"atendees\": []", "meetings[0].atendees"),
        ("\"agneda\": []", "meetings[0].agneda"),
    ] {
        let text = format!(
            r#"{{ "format": "renkei/1", "bodies": [ {{ "name": "A" }} ],
                "meetings": [ {{ "body": "A", "date": "2026-12-01", {field} }} ] }}"#
        );
        assert_refused(&[("typo.json", text.as_bytes())], &["typo.json", path]);
    }
    let nested = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
        "meetings": [ { "body": "A", "date": "2026-12-01",
                        "agenda": [ { "title": "x", "notes": [ { "txt": "a" } ] } ] } ] }"#;
    assert_refused(
        &[("nested.json", nested.as_bytes())],
        &[
            "meetings[0].agenda[0].notes[0].txt",
            "did you mean \"text\"",
        ],
    );
    let top = r#"{ "format": "renkei/1", "bodys": [] }"#;
    assert_refused(&[("top.json", top.as_bytes())], &["bodys", "bodies"]);
}

#[test]
fn numbers_out_of_range_are_refused_with_their_path() {
    let history = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
        "history": [ { "body": "A", "fiscal_year": 2024, "meetings": 4294967295 } ] }"#;
    assert_refused(
        &[("history.json", history.as_bytes())],
        &["history[0].meetings", "4294967295", "out of range"],
    );
    let too_big = history.replace("4294967295", "4294967296");
    assert_refused(
        &[("history.json", too_big.as_bytes())],
        &["history[0].meetings"],
    );
    let minutes = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
        "meetings": [ { "body": "A", "date": "2026-12-01",
                        "agenda": [ { "title": "x", "planned_min": 1441 } ] } ] }"#;
    assert_refused(
        &[("minutes.json", minutes.as_bytes())],
        &["meetings[0].agenda[0].planned_min", "1441"],
    );
    let negative = minutes.replace("1441", "-5");
    assert_refused(
        &[("negative.json", negative.as_bytes())],
        &["meetings[0].agenda[0].planned_min"],
    );
    let toml = "[[bodies]]\nname = \"A\"\n\n[[history]]\nbody = \"A\"\nfiscal_year = 2024\nmeetings = 100000\n";
    assert_refused(
        &[("history.toml", toml.as_bytes())],
        &["history.0.meetings", "100000"],
    );
}

#[test]
fn nul_is_refused_in_every_text() {
    let json = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
        "meetings": [ { "body": "A", "date": "2026-12-01",
                        "agenda": [ { "title": "x", "notes": "ok\u0000hidden" } ] } ] }"#;
    assert_refused(
        &[("nul.json", json.as_bytes())],
        &["nul.json", "meetings[0].agenda[0].notes[0].text", "NUL"],
    );
    // An escaped backslash before u0000 is text, not a NUL.
    let db = TempDb::new();
    let mut store = db.open();
    let fine = json.replace("\\u0000", "\\\\u0000");
    let path = db.file("fine.json", fine.as_bytes());
    store.import_files(&[path], Encoding::Auto).unwrap();
    let toml = "[[bodies]]\nname = \"支援\\u0000会議\"\n";
    assert_refused(
        &[("nul.toml", toml.as_bytes())],
        &["nul.toml", "bodies.0.name", "NUL"],
    );
    let csv = b"\xe4\xbc\x9a\xe8\xad\xb0\xe5\x90\x8d\nA\n\xe6\x94\xaf\x00\xe6\x8f\xb4\n";
    assert_refused(&[("nul.csv", csv)], &["nul.csv", "line 3", "NUL"]);
    let book = "開催日,会議体\n2024/6/3,支援\0会議\n";
    assert_refused(
        &[("book.csv", book.as_bytes())],
        &["book.csv", "line 2", "NUL"],
    );
}

#[test]
fn a_newer_format_is_refused_before_its_fields() {
    let newer = r#"{ "format": "renkei/2", "bodies": [], "cases": [ { "pseudonym": "A世帯" } ] }"#;
    assert_refused(
        &[("newer.json", newer.as_bytes())],
        &["newer.json", "renkei/2", "newer renkei"],
    );
}

/// Every value of a key ending in `uid`, upper-cased: the same ids written another way.
fn shout_uids(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, value) in map.iter_mut() {
                if k.ends_with("uid") {
                    if let serde_json::Value::String(s) = value {
                        *s = s.to_uppercase();
                    }
                } else {
                    shout_uids(value);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(shout_uids),
        _ => {}
    }
}

#[test]
fn ids_written_another_way_are_the_same_records() {
    let (db, mut store) = with_bodies();
    captured(&mut store, "支援会議", "2026-11-03", "14:00");
    let mut export: serde_json::Value =
        serde_json::to_value(store.export_document().unwrap()).unwrap();
    let as_written = export.to_string();
    shout_uids(&mut export);
    let text = export.to_string();
    assert_ne!(text, as_written, "the uids are written another way");
    assert_eq!(text.to_lowercase(), as_written.to_lowercase());
    let before = dump(&store);
    let file = db.file("shouted.json", text.as_bytes());
    let summary = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(summary.meetings.unchanged, 1, "{summary:?}");
    assert_eq!(summary.bodies.unchanged, 2, "{summary:?}");
    // Only the audit line of the import is new.
    let after = dump(&store);
    let added: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(added.len(), 1, "{added:?}");
    assert!(added[0].contains("import"), "{added:?}");
}

#[test]
fn an_entry_moved_into_another_meeting_is_a_conflict() {
    let (db, mut store) = with_bodies();
    let first = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    captured(&mut store, "支援会議", "2026-12-01", "14:00");
    let mut doc = store.export_document().unwrap();
    let moved = doc.meetings[0].agenda[0].notes.remove(0);
    doc.meetings[1].agenda[0].notes.push(moved);
    let text = renkei::store::interchange::to_json(&doc);
    let before = dump(&store);
    let file = db.file("moved.json", text.as_bytes());
    let err = store.import_files(&[file], Encoding::Auto).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("meetings[1].agenda[0].notes[1]"), "{text}");
    assert!(text.contains("a record of another meeting"), "{text}");
    assert_eq!(dump(&store), before);
    // The first meeting still has its note: the file's leaving it out removed nothing.
    let notes = store.meeting_record(first).unwrap().unwrap().agenda[0].notes_text();
    assert_eq!(notes, "本人と連絡が取れた。");
}

// Continuations of carried actions (`action_reviews`, schema step 8) in the interchange: each
// action's `reviews`, naming the meeting it was continued at by uid.

/// An action of 10/06 continued at 11/03 (whose minutes are approved, listing it) and again
/// outside any meeting; the 11/03 meeting's uid.
fn continued_store(db: &TempDb) -> (Store, i64, i64) {
    let mut store = db.open();
    let (_, action, second) = carried_action(db, &mut store);
    store
        .continue_action(
            action,
            Some(second),
            NaiveDate::from_ymd_opt(2026, 12, 18),
            "3院に照会、1院から回答待ち",
        )
        .unwrap();
    store.approve_minutes(second).unwrap();
    store
        .continue_action(action, None, NaiveDate::from_ymd_opt(2027, 1, 15), "")
        .unwrap();
    (store, action, second)
}

fn export_text(store: &Store) -> String {
    let mut out = Vec::new();
    store.write_export(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn action_by_uid(store: &Store, uid: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT id FROM next_actions WHERE uid = ?1", [uid], |r| {
            r.get(0)
        })
        .unwrap()
}

fn uid_of(store: &Store, table: &str, id: i64) -> String {
    store
        .conn()
        .query_row(
            &format!("SELECT uid FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

/// Every continuation as the database holds it, with its action's and meeting's uids.
fn reviews_held(store: &Store) -> Vec<String> {
    store
        .conn()
        .prepare(
            "SELECT r.uid || '|' || n.uid || '|' || COALESCE(m.uid, '-') || '|' || r.note || '|' ||
                    COALESCE(r.due_before, '-') || '|' || COALESCE(r.due_after, '-') || '|' ||
                    r.created_by || '|' || r.created_at
             FROM action_reviews r JOIN next_actions n ON n.id = r.action_id
             LEFT JOIN meetings m ON m.id = r.meeting_id ORDER BY r.uid",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn history_text(store: &Store, action: i64) -> Vec<String> {
    store
        .action_history(action)
        .unwrap()
        .iter()
        .map(|e| e.describe(renkei::i18n::Lang::Ja))
        .collect()
}

#[test]
fn a_continued_action_round_trips_with_its_note_and_history() {
    let db = TempDb::new();
    let (store, action, second) = continued_store(&db);
    let first = export_text(&store);
    assert!(
        first.contains("\"reviews\": ["),
        "the continuations are exported"
    );
    assert!(first.contains("3院に照会、1院から回答待ち"));
    assert!(
        first.contains(&format!(
            "\"meeting\": \"{}\"",
            uid_of(&store, "meetings", second)
        )),
        "by the uid of the meeting they were made at"
    );

    // Into an empty database: the 11/03 meeting the first continuation names comes after the
    // action's meeting in the file (linked at the end), and its approved minutes' seal checks.
    let other = TempDb::new();
    let mut copy = other.open();
    let path = other.file("export.json", first.as_bytes());
    let summary = copy
        .import_files(std::slice::from_ref(&path), Encoding::Auto)
        .unwrap();
    assert_eq!(summary.reviews.added, 2, "{summary:?}");
    assert_eq!(reviews_held(&copy), reviews_held(&store));
    assert_eq!(export_text(&copy), first, "export again: the same bytes");

    // The minutes of the later meeting, approved, and the action's history say the same.
    let minutes = minutes_text(&copy, second);
    assert_eq!(minutes, minutes_text(&store, second));
    assert!(minutes.contains("3院に照会、1院から回答待ち"), "{minutes}");
    assert!(minutes.contains("承認"), "{minutes}");
    let copied = action_by_uid(&copy, &uid_of(&store, "next_actions", action));
    let history = history_text(&copy, copied);
    assert_eq!(history, history_text(&store, action));
    assert_eq!(
        history.iter().filter(|h| h.contains("継続（期限")).count(),
        2,
        "{history:?}"
    );

    // Importing it again, into either database, adds nothing and changes no continuation.
    for (store, path) in [
        (&mut copy, path.clone()),
        (&mut db.open(), db.file("own.json", first.as_bytes())),
    ] {
        let held = reviews_held(store);
        let again = store.import_files(&[path], Encoding::Auto).unwrap();
        assert_eq!(again.reviews.added, 0, "{again:?}");
        assert_eq!(again.reviews.unchanged, 2, "{again:?}");
        assert_eq!(
            again.meetings.added + again.meetings.updated,
            0,
            "{again:?}"
        );
        assert_eq!(reviews_held(store), held);
    }
}

#[test]
fn a_dry_run_lists_the_continuations_and_adds_none() {
    let db = TempDb::new();
    let (store, _, _) = continued_store(&db);
    let other = TempDb::new();
    let mut fresh = other.open();
    let before = dump(&fresh);
    let path = other.file("export.json", export_text(&store).as_bytes());
    let summary = fresh.import_with(&[path], &options(false, true)).unwrap();
    assert_eq!(summary.reviews.added, 2, "{summary:?}");
    assert_eq!(dump(&fresh), before);
}

/// The export as JSON, changed by `edit`, imported into a fresh database and into the one it
/// came from: both refused with `expected` in the error, and neither changed.
fn assert_hostile(edit: impl Fn(&mut serde_json::Value), expected: &[&str]) {
    let db = TempDb::new();
    let (mut store, _, _) = continued_store(&db);
    let mut export: serde_json::Value = serde_json::from_str(&export_text(&store)).unwrap();
    edit(&mut export);
    let text = serde_json::to_string_pretty(&export).unwrap();
    let other = TempDb::new();
    let mut fresh = other.open();
    for (store, db) in [(&mut fresh, &other), (&mut store, &db)] {
        let before = dump(store);
        let file = db.file("hostile.json", text.as_bytes());
        let err = store
            .import_files(&[file], Encoding::Auto)
            .unwrap_err()
            .to_string();
        assert!(err.contains("hostile.json"), "{err}");
        for e in expected {
            assert!(err.contains(e), "{e} not in: {err}");
        }
        assert_eq!(dump(store), before, "a refused import changes nothing");
    }
}

/// The continued action's continuations in an export (its meeting, 10/06, comes first).
fn reviews_of_export(export: &mut serde_json::Value) -> &mut Vec<serde_json::Value> {
    export["meetings"][0]["actions"][0]["reviews"]
        .as_array_mut()
        .unwrap()
}

#[test]
fn a_continuation_at_a_meeting_nobody_has_is_refused_with_its_path() {
    assert_hostile(
        |export| {
            // A continuation new to both databases (no uid), at a meeting neither has.
            let r = &mut reviews_of_export(export)[0];
            r.as_object_mut().unwrap().remove("uid").unwrap();
            r["meeting"] = serde_json::json!("01a23261-1713-7c43-8976-57a0cef61b2a");
        },
        &[
            "meetings[0].actions[0].reviews[0].meeting",
            "01a23261-1713-7c43-8976-57a0cef61b2a",
        ],
    );
}

#[test]
fn a_misspelt_continuation_field_is_refused_with_its_path() {
    assert_hostile(
        |export| {
            let r = reviews_of_export(export)[0].as_object_mut().unwrap();
            let note = r.remove("note").unwrap();
            r.insert("noet".to_owned(), note);
        },
        &["meetings[0].actions[0].reviews[0].noet"],
    );
    assert_hostile(
        |export| reviews_of_export(export)[1]["due_after"] = serde_json::json!("2027-13-01"),
        &["meetings[0].actions[0].reviews[1].due_after", "not a date"],
    );
}

#[test]
fn a_continuation_uid_given_twice_is_refused() {
    assert_hostile(
        |export| {
            let reviews = reviews_of_export(export);
            let mut twin = reviews[0].clone();
            twin["note"] = serde_json::json!("別の経過");
            reviews.push(twin);
        },
        &[
            "meetings[0].actions[0].reviews[2].uid",
            "another review record",
        ],
    );
}

#[test]
fn a_continuation_held_here_is_never_overwritten() {
    let db = TempDb::new();
    let (mut store, _, _) = continued_store(&db);
    let mut export: serde_json::Value = serde_json::from_str(&export_text(&store)).unwrap();
    reviews_of_export(&mut export)[0]["note"] = serde_json::json!("書き換えた経過");
    let c = the_one_conflict(&mut store, &db, &export);
    assert_eq!(c.at, "meetings[0].actions[0].reviews[0]");
    assert!(c.reason.contains("never overwritten"), "{c}");
}

/// The export, edited, imported back: refused for one conflict (returned), nothing changed.
fn the_one_conflict(
    store: &mut Store,
    db: &TempDb,
    export: &serde_json::Value,
) -> renkei::store::Conflict {
    let before = dump(store);
    let file = db.file("edited.json", export.to_string().as_bytes());
    let err = store.import_files(&[file], Encoding::Auto).unwrap_err();
    let StoreError::Conflicts(mut conflicts) = err else {
        panic!("expected conflicts, got {err}");
    };
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(dump(store), before);
    conflicts.remove(0)
}

#[test]
fn a_continuation_the_file_leaves_out_is_kept_and_a_new_one_added() {
    let db = TempDb::new();
    let (mut store, action, _) = continued_store(&db);
    let mut export: serde_json::Value = serde_json::from_str(&export_text(&store)).unwrap();
    // Another database continued it once more (hand-made: no uid), and knows nothing of the
    // continuation outside a meeting.
    let reviews = reviews_of_export(&mut export);
    reviews.remove(1);
    reviews.push(serde_json::json!({
        "meeting": null,
        "note": "2院目も回答",
        "due_before": "2027-01-15",
        "due_after": "2027-02-01",
    }));
    let file = db.file("more.json", export.to_string().as_bytes());
    let summary = store
        .import_files(std::slice::from_ref(&file), Encoding::Auto)
        .unwrap();
    assert_eq!((summary.reviews.added, summary.reviews.unchanged), (1, 1));
    let notes: Vec<String> = store
        .reviews_of(action)
        .unwrap()
        .into_iter()
        .map(|r| r.note)
        .collect();
    assert_eq!(notes, ["3院に照会、1院から回答待ち", "", "2院目も回答"]);
    // Without a uid it is told by what it says: once more is nothing new.
    let again = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!((again.reviews.added, again.reviews.unchanged), (0, 2));
}

#[test]
fn a_new_continuation_at_approved_minutes_is_a_conflict() {
    let db = TempDb::new();
    let (mut store, _, second) = continued_store(&db);
    let mut export: serde_json::Value = serde_json::from_str(&export_text(&store)).unwrap();
    reviews_of_export(&mut export).push(serde_json::json!({
        "meeting": uid_of(&store, "meetings", second),
        "note": "承認後に書き足した経過",
        "due_before": "2027-01-15",
        "due_after": "2027-03-01",
    }));
    let c = the_one_conflict(&mut store, &db, &export);
    assert_eq!(c.at, "meetings[0].actions[0].reviews[2]");
    assert!(c.record.contains("2026-11-03"), "{c}");
    assert!(c.reason.contains("approved"), "{c}");
    // Into a database that never had those minutes, the meeting comes with the continuation.
    let other = TempDb::new();
    let mut fresh = other.open();
    let file = other.file("added.json", export.to_string().as_bytes());
    assert_eq!(
        fresh
            .import_files(&[file], Encoding::Auto)
            .unwrap()
            .reviews
            .added,
        3
    );
}

#[test]
fn continuations_import_whatever_the_order_of_the_meetings() {
    let db = TempDb::new();
    let (store, _, second) = continued_store(&db);
    let export = export_text(&store);
    let mut reversed: serde_json::Value = serde_json::from_str(&export).unwrap();
    reversed["meetings"].as_array_mut().unwrap().reverse();
    let other = TempDb::new();
    let mut fresh = other.open();
    let file = other.file("reversed.json", reversed.to_string().as_bytes());
    let summary = fresh.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(summary.reviews.added, 2, "{summary:?}");
    assert_eq!(reviews_held(&fresh), reviews_held(&store));
    assert_eq!(minutes_text(&fresh, second), minutes_text(&store, second));
    assert_eq!(export_text(&fresh), export);
}

#[test]
fn a_meeting_whose_action_was_continued_is_never_replaced() {
    let (db, mut store) = with_bodies();
    // A hand-made file (no uids) with an action, imported; the action continued here without
    // a new due date; the file, edited, imported again: replacing the meeting's actions would
    // take the continuation with them (continuing writes the action, whose revision moves).
    let file = |note: &str| {
        format!(
            r#"{{ "format": "renkei/1", "meetings": [ {{ "body": "支援会議", "date": "2026-11-03",
                 "start": "14:00", "status": "held",
                 "agenda": [ {{ "title": "協議", "notes": "{note}" }} ],
                 "actions": [ {{ "agency": "健康推進課", "text": "受診先をあたる" }} ] }} ] }}"#
        )
    };
    let path = db.file("book.json", file("最初").as_bytes());
    store.import_files(&[path], Encoding::Auto).unwrap();
    let meeting = store.meetings(None).unwrap()[0].id;
    let action = store.live_meeting(meeting).unwrap().unwrap().actions[0].id;
    store
        .continue_action(action, None, None, "経過あり")
        .unwrap();
    let before = dump(&store);
    let path = db.file("book.json", file("書き直し").as_bytes());
    let err = store.import_files(&[path], Encoding::Auto).unwrap_err();
    assert!(matches!(err, StoreError::Conflicts(_)), "{err}");
    assert_eq!(dump(&store), before);
    assert_eq!(store.reviews_of(action).unwrap()[0].note, "経過あり");
}

// ---------------------------------------------------------------------------------------------
// Attack report 1: imports that destroyed or forged (items 1, 4b, 5, 11–15, 21, 22).

/// A database restored from `store`'s export (an export imported into an empty database, as
/// README offers).
fn restored(store: &Store) -> (TempDb, Store) {
    let db = TempDb::new();
    let mut copy = db.open();
    let text = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let file = db.file("backup.json", text.as_bytes());
    copy.import_files(&[file], Encoding::Auto).unwrap();
    (db, copy)
}

/// Imports `files`, expecting a refusal that changes nothing; returns why.
fn refused(store: &mut Store, files: &[std::path::PathBuf]) -> StoreError {
    let before = dump(store);
    let err = store.import_files(files, Encoding::Auto).unwrap_err();
    assert_eq!(
        dump(store),
        before,
        "a refused import changes nothing: {err}"
    );
    err
}

fn conflicts_of(err: StoreError) -> Vec<renkei::store::Conflict> {
    match err {
        StoreError::Conflicts(c) => c,
        other => panic!("expected conflicts, got {other}"),
    }
}

#[test]
fn a_restored_meeting_is_never_replaced_by_a_book_row_or_a_file_without_ids() {
    let (_db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    let (db, mut copy) = restored(&store);
    let book = db.file(
        "book3.csv",
        "会議体,主催者,開催日,開始時刻,課題\n支援会議,地域福祉課,2026-11-03,14:00,孤立\n"
            .as_bytes(),
    );
    let conflicts = conflicts_of(refused(&mut copy, std::slice::from_ref(&book)));
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert!(c.file.ends_with("book3.csv") && c.at == "line 2", "{c}");
    assert!(c.reason.contains("notes and decisions"), "{c}");
    assert!(c.reason.contains("1 actions"), "{c}");
    assert!(c.reason.contains("started_at"), "{c}");
    let notes = copy.meeting_record(id).unwrap().unwrap().agenda[0].notes_text();
    assert_eq!(notes, "本人と連絡が取れた。");
    // Hand-made JSON without ids: the same.
    let file = db.file(
        "other.json",
        colliding("2026-11-03", "14:00", "上書き").as_bytes(),
    );
    let err = refused(&mut copy, &[file]);
    assert!(
        err.to_string()
            .contains("holds what a record without uids would take away"),
        "{err}"
    );
}

#[test]
fn a_restored_demo_meeting_keeps_its_captures_fields_and_confidentiality() {
    let db = common::demo_loaded();
    let store = db.open();
    let m = store.meeting_record(1).unwrap().unwrap();
    assert!(
        m.confidential == Some(true) && !m.facilitator.is_empty(),
        "the demo's meeting 1"
    );
    let (other, mut copy) = restored(&store);
    let row = format!(
        "会議体,主催者,開催日,開始時刻\n{},{},{},{}\n",
        m.body,
        m.body_organiser.clone().unwrap_or_default(),
        m.date,
        m.start.clone().unwrap_or_default()
    );
    let book = other.file("book.csv", row.as_bytes());
    let conflicts = conflicts_of(refused(&mut copy, &[book]));
    let reason = &conflicts[0].reason;
    for lost in [
        "facilitator",
        "case_subject",
        "support_policy",
        "notes and decisions",
    ] {
        assert!(reason.contains(lost), "{lost}: {reason}");
    }
    // A file without ids that says it is public would make it public: that is named too.
    let text = format!(
        r#"{{ "format": "renkei/1", "meetings": [ {{ "body": "{}", "body_organiser": "{}",
              "date": "{}", "start": "{}", "confidential": false }} ] }}"#,
        m.body,
        m.body_organiser.clone().unwrap_or_default(),
        m.date,
        m.start.clone().unwrap_or_default()
    );
    let file = other.file("public.json", text.as_bytes());
    let conflicts = conflicts_of(refused(&mut copy, &[file]));
    assert!(
        conflicts[0]
            .reason
            .contains("confidential (the file would make it public)"),
        "{conflicts:?}"
    );
}

#[test]
fn an_import_never_approves_minutes_here() {
    let (db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    let (_other, mut copy) = restored(&store);
    // Approved in the database it came from: the draft copy here stays a draft.
    store.approve_minutes(id).unwrap();
    let approved = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let file = db.file("approved.json", approved.as_bytes());
    let conflicts = conflicts_of(refused(&mut copy, std::slice::from_ref(&file)));
    assert!(
        conflicts[0].reason.contains("never approves minutes"),
        "{conflicts:?}"
    );
    // Forged: a decision edited, the approver made up, the seal recomputed.
    let mut doc = copy.export_document().unwrap();
    let m = &mut doc.meetings[0];
    m.agenda[0].decisions[0].text = "訪問は不要とする".to_owned();
    m.minutes = MinutesState::Approved;
    m.approval = Some(renkei::interchange::ApprovalRecord {
        at: "2026-11-20T10:00:00+09:00".to_owned(),
        by: "kacho".to_owned(),
        seal: None,
    });
    let sealed = renkei::interchange::seal(m);
    if let Some(a) = &mut m.approval {
        a.seal = Some(sealed);
    }
    let file = db.file("forged.json", renkei::interchange::to_json(&doc).as_bytes());
    let err = refused(&mut copy, &[file]);
    assert!(err.to_string().contains("never approves minutes"), "{err}");
    assert_eq!(
        copy.meeting_record(id).unwrap().unwrap().minutes,
        MinutesState::Draft
    );
    // New to a database: taken, and audited as the file's approval, not one given here.
    let fresh_db = TempDb::new();
    let mut fresh = fresh_db.open();
    let file = fresh_db.file("approved.json", approved.as_bytes());
    fresh.import_files(&[file], Encoding::Auto).unwrap();
    let audit = fresh.audit_trail(None).unwrap();
    let line = audit
        .iter()
        .find(|a| a.action == "import_approval")
        .expect("an audit line for the imported approval");
    assert_eq!(line.meeting_id, Some(id));
    assert!(line.detail.contains("approved.json"), "{line:?}");
    assert!(line.detail.contains("according to the file"), "{line:?}");
}

/// An agency's rename is refused where approved minutes name it; a body's goes through, each
/// approved meeting of the body listing it under 修正履歴 (tests/record12.rs).
#[test]
fn renaming_an_agency_through_an_import_never_changes_approved_minutes() {
    let (db, mut store) = with_bodies();
    let id = captured(&mut store, "支援会議", "2026-11-03", "14:00");
    store.approve_minutes(id).unwrap();
    let minutes = minutes_text(&store, id);
    let export = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let renamed = export.replacen("\"name\": \"健康推進課\"", "\"name\": \"健康づくり課\"", 1);
    assert_ne!(renamed, export);
    let file = db.file("renamed.json", renamed.as_bytes());
    let conflicts = conflicts_of(refused(&mut store, &[file]));
    assert!(
        conflicts
            .iter()
            .any(|c| c.record.en == "agency '健康推進課'"
                && c.reason.contains("never changes approved minutes")),
        "{conflicts:?}"
    );
    assert_eq!(minutes_text(&store, id), minutes, "byte for byte");
    // A body no approved minutes show is renamed as the file says.
    let renamed = export.replacen("\"name\": \"コア会議\"", "\"name\": \"コア会議（改）\"", 1);
    let file = db.file("renamed.json", renamed.as_bytes());
    let summary = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(summary.bodies.updated, 1, "{summary:?}");
}

/// The file of [`BODIES`] where 支援会議 (毎月) shares personal information.
fn sharing_bodies(db: &TempDb) -> std::path::PathBuf {
    let bodies = BODIES.replace(
        "\"frequency\": \"毎月\"",
        "\"frequency\": \"毎月\", \"personal_info\": true",
    );
    db.file("bodies.json", bodies.as_bytes())
}

#[test]
fn a_book_for_a_body_sharing_personal_information_files_confidential_meetings() {
    let db = TempDb::new();
    let mut store = db.open();
    let bodies = sharing_bodies(&db);
    let book = db.file(
        "book.csv",
        "開催日,会議体\n2024/6/3,支援会議\n2024/6/4,コア会議\n".as_bytes(),
    );
    store.import_files(&[bodies, book], Encoding::Auto).unwrap();
    let confidential: Vec<(String, bool)> = store
        .export_document()
        .unwrap()
        .meetings
        .into_iter()
        .map(|m| (m.body, m.confidential == Some(true)))
        .collect();
    assert_eq!(
        confidential,
        [
            ("支援会議".to_owned(), true),
            ("コア会議".to_owned(), false)
        ]
    );
    // A body a book creates, named as a kind whose meetings are confidential, is of that kind.
    store
        .import_files(&[fixture("templates.toml")], Encoding::Auto)
        .unwrap();
    let book = db.file(
        "cases.csv",
        "開催日,会議体\n2024/7/1,個別ケース会議\n".as_bytes(),
    );
    let options = ImportOptions {
        create_bodies: true,
        ..ImportOptions::default()
    };
    store.import_with(&[book], &options).unwrap();
    let doc = store.export_document().unwrap();
    let case = doc
        .meetings
        .iter()
        .find(|m| m.body == "個別ケース会議")
        .unwrap();
    assert_eq!(case.confidential, Some(true));
}

/// A hand-made file's meeting that does not say whether it is confidential is as confidential
/// as its body's would be in renkei, as a meeting book's row is; one that says is as it says.
/// (A meeting of a body sharing personal information was filed as 公開 under the minutes'
/// notice of the duty of confidentiality: attack on the cases, 2026-12-05.)
#[test]
fn a_file_that_does_not_say_confidential_files_as_its_body_would() {
    let db = TempDb::new();
    let mut store = db.open();
    let bodies = sharing_bodies(&db);
    let meetings = db.file(
        "meetings.json",
        r#"{ "format": "renkei/1", "meetings": [
            { "id": "a", "body": "支援会議", "date": "2024-06-03", "status": "held" },
            { "id": "b", "body": "コア会議", "date": "2024-06-04", "status": "held" },
            { "id": "c", "body": "支援会議", "date": "2024-06-05", "status": "held",
              "confidential": false },
            { "id": "d", "body": "コア会議", "date": "2024-06-06", "status": "held",
              "confidential": true } ] }"#
            .as_bytes(),
    );
    store
        .import_files(&[bodies, meetings], Encoding::Auto)
        .unwrap();
    let confidential: Vec<(String, Option<bool>)> = store
        .export_document()
        .unwrap()
        .meetings
        .into_iter()
        .map(|m| (m.date, m.confidential))
        .collect();
    assert_eq!(
        confidential,
        [
            ("2024-06-03".to_owned(), Some(true)),
            ("2024-06-04".to_owned(), Some(false)),
            ("2024-06-05".to_owned(), Some(false)),
            ("2024-06-06".to_owned(), Some(true)),
        ]
    );
}

#[test]
fn two_files_naming_the_same_meeting_are_refused_as_two_rows_are() {
    let (db, mut store) = with_bodies();
    let a = db.file("dupA.csv", "開催日,会議体\n2024/6/3,支援会議\n".as_bytes());
    let b = db.file(
        "dupB.csv",
        "開催日,会議体,課題\n2024-06-03,支援会議,孤立\n".as_bytes(),
    );
    let err = refused(&mut store, &[a, b]).to_string();
    assert!(err.contains("dupB.csv: line 2"), "{err}");
    assert!(err.contains("dupA.csv: line 2"), "{err}");
    // Two records of one hand-made file, the same.
    let text = r#"{ "format": "renkei/1", "meetings": [
        { "body": "支援会議", "date": "2026-12-01", "place": "A" },
        { "body": "支援会議", "date": "2026-12-01", "place": "B" } ] }"#;
    let file = db.file("twice.json", text.as_bytes());
    let err = refused(&mut store, &[file]);
    assert!(err.to_string().contains("twice.json: meetings[1]"), "{err}");
    // Two meetings another system tells apart by their ids are two meetings.
    let text = r#"{ "format": "renkei/1", "meetings": [
        { "id": "h-1", "body": "支援会議", "date": "2026-12-01", "place": "A" },
        { "id": "h-2", "body": "支援会議", "date": "2026-12-01", "place": "B" } ] }"#;
    let file = db.file("two.json", text.as_bytes());
    let summary = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(summary.meetings.added, 2, "{summary:?}");
}

#[test]
fn an_end_before_the_start_is_refused_with_its_path() {
    let (db, mut store) = with_bodies();
    let text = r#"{ "format": "renkei/1", "meetings": [
        { "body": "支援会議", "date": "2026-12-01", "start": "14:00", "end": "13:00" } ] }"#;
    let file = db.file("backwards.json", text.as_bytes());
    let err = refused(&mut store, &[file]).to_string();
    assert!(err.contains("backwards.json"), "{err}");
    assert!(
        err.contains("meetings[0].end: 13:00 is before the start"),
        "{err}"
    );
}

#[test]
fn a_revision_at_the_top_survives_an_edit_and_a_round_trip() {
    let db = TempDb::new();
    let mut store = db.open();
    let text = r#"{ "format": "renkei/1",
        "agencies": [ { "name": "健康推進課", "rev": 9007199254740991 } ],
        "bodies": [ { "name": "支援会議", "rev": 9007199254740991 } ] }"#;
    let file = db.file("top.json", text.as_bytes());
    store.import_files(&[file], Encoding::Auto).unwrap();
    store
        .conn()
        .execute(
            "UPDATE agencies SET note = '編集した' WHERE name = '健康推進課'",
            [],
        )
        .unwrap();
    let export = renkei::store::interchange::to_json(&store.export_document().unwrap());
    // Into a fresh database, and back into its own.
    let other = TempDb::new();
    let mut fresh = other.open();
    let file = other.file("export.json", export.as_bytes());
    fresh.import_files(&[file], Encoding::Auto).unwrap();
    let file = db.file("export.json", export.as_bytes());
    store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(
        renkei::store::interchange::to_json(&store.export_document().unwrap()),
        export
    );
}

/// Every uid of an export, and where it is.
fn first_entry_uid(doc: &renkei::interchange::Document) -> uuid::Uuid {
    doc.meetings[0].agenda[0].notes[0].uid.unwrap()
}

#[test]
fn one_uid_for_two_records_is_refused_naming_the_file_and_path() {
    let (db, mut store) = with_bodies();
    captured(&mut store, "支援会議", "2026-11-03", "14:00");
    captured(&mut store, "コア会議", "2026-11-05", "10:00");
    let doc = store.export_document().unwrap();
    let uid = first_entry_uid(&doc);
    // The same entry under two meetings, in two files.
    let mut a = doc.clone();
    a.meetings.truncate(1);
    let mut b = doc.clone();
    b.meetings.remove(0);
    b.meetings[0].agenda[0].notes[0].uid = Some(uid);
    let other = TempDb::new();
    let mut fresh = other.open();
    let fa = other.file("a.json", renkei::interchange::to_json(&a).as_bytes());
    let fb = other.file("b.json", renkei::interchange::to_json(&b).as_bytes());
    let err = refused(&mut fresh, &[fa, fb]).to_string();
    assert!(!err.contains("UNIQUE"), "{err}");
    assert!(
        err.contains("b.json: meetings[0].agenda[0].notes[0].uid"),
        "{err}"
    );
    assert!(err.contains("a.json"), "{err}");
    // A decision and an action, a meeting and its action: one uid each.
    let mut shared = doc.clone();
    let decision = shared.meetings[0].agenda[0].decisions[0].uid;
    shared.meetings[0].actions[0].uid = decision;
    let file = other.file(
        "shared.json",
        renkei::interchange::to_json(&shared).as_bytes(),
    );
    let err = refused(&mut fresh, &[file]);
    assert!(
        err.to_string().contains("meetings[0].actions[0].uid"),
        "{err}"
    );
    let mut shared = doc.clone();
    shared.meetings[0].actions[0].uid = shared.meetings[0].uid;
    let file = other.file(
        "shared.json",
        renkei::interchange::to_json(&shared).as_bytes(),
    );
    let err = refused(&mut fresh, &[file]);
    assert!(
        err.to_string().contains("meetings[0].actions[0].uid"),
        "{err}"
    );
    // A new meeting whose note has the uid of a note the database holds under another meeting.
    let mut moved = doc.clone();
    moved.meetings.truncate(1);
    moved.meetings[0].uid = Some(uuid::Uuid::now_v7());
    moved.meetings[0].date = "2026-12-24".to_owned();
    // (Its recorded changes name the meeting by its old uid: refused on their own since attack
    // report 7's finding 11, before the note is reached.)
    moved.meetings[0].changes.clear();
    let file = db.file(
        "moved.json",
        renkei::interchange::to_json(&moved).as_bytes(),
    );
    let err = refused(&mut store, &[file]).to_string();
    assert!(!err.contains("UNIQUE"), "{err}");
    assert!(
        err.contains("moved.json: meetings[0].agenda[0].uid"),
        "{err}"
    );
}

#[test]
fn a_ward_given_by_its_name_only_is_recognised() {
    let db = TempDb::new();
    let mut store = db.open();
    store.set_ward("江東区", Some("131083")).unwrap();
    let adachi = r#"{ "format": "renkei/1", "ward": { "name": "足立区" },
        "bodies": [ { "name": "支援会議", "organiser": "福祉課" } ],
        "meetings": [ { "body": "支援会議", "date": "2026-12-01", "start": "10:00" } ] }"#;
    for _ in 0..2 {
        let file = db.file("adachi.json", adachi.as_bytes());
        store.import_files(&[file], Encoding::Auto).unwrap();
    }
    let wards: Vec<(String, usize, usize)> = store
        .wards()
        .unwrap()
        .into_iter()
        .map(|w| (w.name, w.bodies, w.meetings))
        .collect();
    assert_eq!(
        wards,
        [("江東区".to_owned(), 0, 0), ("足立区".to_owned(), 1, 1)]
    );
    // This database's own ward by name: its bodies.
    let path = db.file("bodies.json", BODIES.as_bytes());
    store.import_files(&[path], Encoding::Auto).unwrap();
    let own = r#"{ "format": "renkei/1", "ward": { "name": "江東区" },
        "meetings": [ { "body": "コア会議", "date": "2026-12-02" } ] }"#;
    let file = db.file("own.json", own.as_bytes());
    let summary = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(summary.meetings.added, 1);
    assert_eq!(store.wards().unwrap().len(), 2);
}

#[test]
fn body_names_written_another_way_are_the_same_body() {
    let db = TempDb::new();
    let mut store = db.open();
    let bodies = r#"{ "format": "renkei/1", "bodies": [ { "name": "1・6心理相談運営会議" } ] }"#;
    let bodies = db.file("bodies.json", bodies.as_bytes());
    store.import_files(&[bodies], Encoding::Auto).unwrap();
    let book = db.file(
        "book.csv",
        "開催日,会議体\n2024/6/3,１・６心理相談運営会議\n2024/7/1,1･6心理相談運営会議\n2024/8/5, 1・6心理相談運営会議 \n"
            .as_bytes(),
    );
    let options = ImportOptions {
        create_bodies: true,
        ..ImportOptions::default()
    };
    let summary = store.import_with(&[book], &options).unwrap();
    assert_eq!(summary.bodies.added, 0, "{summary:?}");
    assert_eq!(summary.meetings.added, 3);
    assert_eq!(store.bodies().unwrap().len(), 1);
}

/// Each body's ward, name and organiser, by id.
fn body_rows(store: &Store) -> Vec<(i64, i64, String, String)> {
    let conn = store.conn();
    let mut stmt = conn
        .prepare("SELECT id, ward_id, name, organiser FROM bodies ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The body of each meeting, by date.
fn meeting_bodies(store: &Store) -> Vec<(String, i64)> {
    let conn = store.conn();
    let mut stmt = conn
        .prepare("SELECT date, body_id FROM meetings ORDER BY date")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The bodies a ward holds, written another way in an import (full-width and half-width, kana
/// and ASCII, the organiser too), are found by their folded name and organiser: one name shared
/// by bodies of several organisers picks the organiser's, an exact name first; a body renamed
/// earlier in the import, or added earlier in the same file, is found by its new name written
/// another way; the same names in another ward's file are that ward's bodies. (The import
/// reads the ward's names once, not once per body: these are the answers it gave when it read
/// them each time.)
#[test]
fn an_import_finds_the_bodies_it_names_written_another_way() {
    let db = TempDb::new();
    let mut store = db.open();
    store.set_ward("墨田区", Some("131075")).unwrap();
    let setup = r#"{ "format": "renkei/1", "bodies": [
        { "name": "ｺｱ会議", "organiser": "地域福祉課" },
        { "name": "コア会議", "organiser": "保健センター" },
        { "name": "ＳＶ会議", "organiser": "Ｘ課" },
        { "name": "SV会議", "organiser": "Y課" },
        { "name": "ケア会議A", "organiser": "高齢福祉課" } ] }"#;
    let setup = db.file("setup.json", setup.as_bytes());
    let summary = store.import_files(&[setup], Encoding::Auto).unwrap();
    assert_eq!(summary.bodies.added, 5, "{summary:?}");
    let ids: Vec<i64> = body_rows(&store).iter().map(|b| b.0).collect();
    let [core, core_health, sv_x, sv_y, care] = ids[..] else {
        panic!("{ids:?}");
    };
    let home = body_rows(&store)[0].1;
    let care_uid = store.export_document().unwrap().bodies[4].uid.unwrap();
    let bodies = format!(
        r#"{{ "format": "renkei/1", "bodies": [
        {{ "name": "コア会議", "organiser": "地域福祉課" }},
        {{ "uid": "{care_uid}", "name": "ケア会議B", "organiser": "高齢福祉課" }},
        {{ "name": "ケア会議Ｂ", "organiser": "高齢福祉課" }},
        {{ "name": "ｺｱ会議", "organiser": "保健ｾﾝﾀｰ" }},
        {{ "name": "ＮＥＷ会議", "organiser": "新課" }},
        {{ "name": "NEW会議", "organiser": "新課" }},
        {{ "name": "SV会議", "organiser": "Ｙ課" }} ] }}"#
    );
    let meetings = r#"{ "format": "renkei/1", "meetings": [
        { "body": "コア会議", "body_organiser": "地域福祉課", "date": "2026-12-01" },
        { "body": "ｺｱ会議", "body_organiser": "保健センター", "date": "2026-12-02" },
        { "body": "ケア会議B", "date": "2026-12-03" },
        { "body": "ＮＥＷ会議", "date": "2026-12-04" },
        { "body": "SV会議", "body_organiser": "Ｘ課", "date": "2026-12-05" },
        { "body": "ＳＶ会議", "body_organiser": "Y課", "date": "2026-12-06" } ] }"#;
    let other_ward = r#"{ "format": "renkei/1", "ward": { "name": "江東区", "code": "131083" },
        "bodies": [ { "name": "ｺｱ会議", "organiser": "地域福祉課" } ],
        "meetings": [ { "body": "コア会議", "date": "2026-12-07" } ] }"#;
    let files = [
        db.file("bodies.json", bodies.as_bytes()),
        db.file("meetings.json", meetings.as_bytes()),
        db.file("koto.json", other_ward.as_bytes()),
    ];
    let summary = store.import_files(&files, Encoding::Auto).unwrap();
    assert_eq!(summary.bodies.added, 2, "{summary:?}");
    assert!(summary.conflicts.is_empty(), "{summary:?}");
    let rows = body_rows(&store);
    let new = rows[5].0;
    let (koto, koto_ward) = (rows[6].0, rows[6].1);
    assert_ne!(koto_ward, home);
    let row = |id: i64, ward: i64, name: &str, organiser: &str| {
        (id, ward, name.to_owned(), organiser.to_owned())
    };
    assert_eq!(
        rows,
        [
            row(core, home, "コア会議", "地域福祉課"),
            row(core_health, home, "ｺｱ会議", "保健ｾﾝﾀｰ"),
            row(sv_x, home, "ＳＶ会議", "Ｘ課"),
            row(sv_y, home, "SV会議", "Ｙ課"),
            row(care, home, "ケア会議Ｂ", "高齢福祉課"),
            row(new, home, "NEW会議", "新課"),
            row(koto, koto_ward, "ｺｱ会議", "地域福祉課"),
        ]
    );
    let on = |date: &str, body: i64| (date.to_owned(), body);
    assert_eq!(
        meeting_bodies(&store),
        [
            on("2026-12-01", core),
            on("2026-12-02", core_health),
            on("2026-12-03", care),
            on("2026-12-04", new),
            on("2026-12-05", sv_x),
            on("2026-12-06", sv_y),
            on("2026-12-07", koto),
        ]
    );
    // A name written another way that two bodies share, without an organiser, names neither:
    // the refusal lists their organisers in the order the bodies were made.
    let ambiguous = r#"{ "format": "renkei/1", "meetings": [
        { "body": "ＳV会議", "date": "2026-12-08" } ] }"#;
    let file = db.file("ambiguous.json", ambiguous.as_bytes());
    let err = refused(&mut store, &[file]).to_string();
    assert!(err.contains("ambiguous.json: meetings[0]"), "{err}");
    assert!(err.contains("Ｘ課, Ｙ課"), "{err}");
}

/// A file whose yearly counts come after its meetings is read a second time, its bodies first,
/// after the first reading is rolled back: the bodies it names written another way are found
/// as on a single reading, and those it adds are added once.
#[test]
fn a_file_read_twice_finds_its_bodies_as_a_single_reading_does() {
    let db = TempDb::new();
    let mut store = db.open();
    let setup =
        r#"{ "format": "renkei/1", "bodies": [ { "name": "ＳＶ会議", "organiser": "X課" } ] }"#;
    let setup = db.file("setup.json", setup.as_bytes());
    store.import_files(&[setup], Encoding::Auto).unwrap();
    let text = r#"{ "format": "renkei/1",
        "bodies": [ { "name": "SV会議", "organiser": "Ｘ課" },
                    { "name": "ＮＥＷ会議", "organiser": "新課" } ],
        "meetings": [ { "body": "SV会議", "date": "2026-12-01" },
                      { "body": "NEW会議", "date": "2026-12-02" } ],
        "history": [ { "body": "NEW会議", "fiscal_year": 2025, "meetings": 3 },
                     { "body": "ＳＶ会議", "fiscal_year": 2025, "meetings": 4 } ] }"#;
    let file = db.file("late.json", text.as_bytes());
    let summary = store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(summary.bodies.added, 1, "{summary:?}");
    assert_eq!(summary.bodies.updated, 1, "{summary:?}");
    assert_eq!(summary.meetings.added, 2, "{summary:?}");
    let rows = body_rows(&store);
    let names: Vec<(&str, &str)> = rows.iter().map(|b| (b.2.as_str(), b.3.as_str())).collect();
    assert_eq!(names, [("SV会議", "Ｘ課"), ("ＮＥＷ会議", "新課")]);
    let (sv, new) = (rows[0].0, rows[1].0);
    assert_eq!(
        meeting_bodies(&store),
        [
            ("2026-12-01".to_owned(), sv),
            ("2026-12-02".to_owned(), new)
        ]
    );
    let history: Vec<(i64, i64)> = store
        .conn()
        .prepare("SELECT body_id, meetings FROM body_history ORDER BY body_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(history, [(sv, 4), (new, 3)]);
}

/// A body a meeting book makes (asked to) is found by its later rows written another way, also
/// once the import has read the ward's names for an earlier row written another way.
#[test]
fn a_body_a_book_makes_is_found_by_its_later_rows_written_another_way() {
    let db = TempDb::new();
    let mut store = db.open();
    let setup = r#"{ "format": "renkei/1", "bodies": [ { "name": "S会議" } ] }"#;
    let setup = db.file("setup.json", setup.as_bytes());
    store.import_files(&[setup], Encoding::Auto).unwrap();
    let book = db.file(
        "book.csv",
        "開催日,会議体\n2024/6/3,Ｓ会議\n2024/6/4,Ｚ会議\n2024/6/5,Z会議\n2024/6/6,ｚ会議\n"
            .as_bytes(),
    );
    let options = ImportOptions {
        create_bodies: true,
        ..ImportOptions::default()
    };
    let summary = store.import_with(&[book], &options).unwrap();
    assert_eq!(summary.bodies.added, 2, "{summary:?}");
    assert_eq!(summary.meetings.added, 4, "{summary:?}");
    let rows = body_rows(&store);
    let names: Vec<&str> = rows.iter().map(|b| b.2.as_str()).collect();
    assert_eq!(names, ["S会議", "Ｚ会議", "ｚ会議"]);
    let (s, z, small_z) = (rows[0].0, rows[1].0, rows[2].0);
    let on = |date: &str, body: i64| (date.to_owned(), body);
    assert_eq!(
        meeting_bodies(&store),
        [
            on("2024-06-03", s),
            on("2024-06-04", z),
            on("2024-06-05", z),
            on("2024-06-06", small_z),
        ]
    );
}

#[test]
fn a_restored_meeting_keeps_the_cases_discussed_at_it() {
    let (_db, mut store) = with_bodies();
    let id = scheduled(&mut store, "支援会議", "2026-11-03", "14:00", "");
    let case = store
        .create_case(&renkei::store::cases::NewCase {
            pseudonym: "C世帯".to_owned(),
            ..Default::default()
        })
        .unwrap();
    store.link_case(id, case).unwrap();
    store.set_situation(id, case, "面会できない").unwrap();
    let (db, mut copy) = restored(&store);
    let book = db.file(
        "book.csv",
        "会議体,主催者,開催日,開始時刻\n支援会議,地域福祉課,2026-11-03,14:00\n".as_bytes(),
    );
    let conflicts = conflicts_of(refused(&mut copy, &[book]));
    assert!(
        conflicts[0].reason.contains("1 cases discussed"),
        "{conflicts:?}"
    );
}

/// Attack on the imports, 2026-12-05: two records without uids of one meeting id (`"id": "h-1"`
/// on two days) were refused as "the same meeting (body, date and start)", in English, asking
/// for a start time both had. The refusal says what made them one — the id, else the body and
/// date with the start or without one — in the language asked for, and changes nothing.
#[test]
fn two_records_of_one_meeting_say_what_made_them_one() {
    let db = common::demo_copy();
    let before = dump(&db.open());
    let meeting = |id: &str, date: &str, start: Option<&str>| {
        let mut m = serde_json::json!({"body": "地区母子連絡会", "date": date});
        if !id.is_empty() {
            m["id"] = id.into();
        }
        if let Some(start) = start {
            m["start"] = start.into();
        }
        m
    };
    for (lang, records, said) in [
        (
            "ja",
            [
                meeting("h-1", "2026-12-01", Some("10:00")),
                meeting("h-1", "2026-12-08", Some("14:00")),
            ],
            "two.json: meetings[0] と同じ会議の id（h-1）です",
        ),
        (
            "en",
            [
                meeting("h-1", "2026-12-01", Some("10:00")),
                meeting("h-1", "2026-12-08", Some("14:00")),
            ],
            "meetings[1]: the same meeting id (h-1) as",
        ),
        (
            "ja",
            [
                meeting("", "2026-12-01", Some("10:00")),
                meeting("", "2026-12-01", Some("10:00")),
            ],
            "（会議体・日付・開始時刻 10:00 が同じ）。どちらかを外してください",
        ),
        (
            "ja",
            [
                meeting("", "2026-12-01", None),
                meeting("", "2026-12-01", None),
            ],
            "（会議体と日付が同じで、開始時刻がありません）",
        ),
    ] {
        let file = db.file(
            "two.json",
            serde_json::to_string(
                &serde_json::json!({ "format": "renkei/1", "meetings": records }),
            )
            .unwrap()
            .as_bytes(),
        );
        let out = common::renkei(&db)
            .args(["--lang", lang, "import"])
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(said), "{lang}: {err}");
        assert!(err.contains("two.json"), "{err}");
        assert_eq!(dump(&db.open()), before);
    }
}

/// A body a meeting book makes (asked to) whose name holds a confidential kind's name is of that
/// kind, the longest it holds, so its meetings are confidential: 東部支援会議, 支援会議（東部）
/// and 北部重層的支援会議 were made of no kind and their meetings filed 公開, where 支援会議 alone
/// was 非公開 (attack, 2026-12-05). A kind that shares nothing is taken only as the whole name.
/// A name the ward gives a kind counts as the kind's own: 要対協個別ケース検討会議 (GLOSSARY: the
/// 要対協's case meeting) was made of no kind and its meetings filed 公開.
#[test]
fn a_body_a_book_makes_is_of_the_confidential_kind_its_name_holds() {
    let db = TempDb::new();
    let mut store = db.open();
    store
        .import_files(&[fixture("templates.toml")], Encoding::Auto)
        .unwrap();
    let book = db.file(
        "book.csv",
        "開催日,会議体\n2026/6/3,東部支援会議\n2026/6/4,支援会議（東部）\n2026/6/5,北部重層的支援会議\n2026/6/6,就労部会\n2026/6/7,部会\n\
         2026/6/8,要対協個別ケース検討会議\n2026/6/9,要対協実務者会議\n2026/6/10,東部ケース会議\n\
         2026/6/11,地域ケア推進会議\n"
            .as_bytes(),
    );
    let options = ImportOptions {
        create_bodies: true,
        ..ImportOptions::default()
    };
    store.import_with(&[book], &options).unwrap();
    let kinds: Vec<(String, String, bool)> = store
        .conn()
        .prepare(
            "SELECT b.name, b.kind, m.confidential FROM meetings m JOIN bodies b ON b.id = m.body_id
             ORDER BY m.date",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let row =
        |name: &str, kind: &str, confidential| (name.to_owned(), kind.to_owned(), confidential);
    assert_eq!(
        kinds,
        [
            row("東部支援会議", "支援会議", true),
            row("支援会議（東部）", "支援会議", true),
            row("北部重層的支援会議", "重層的支援会議", true),
            row("就労部会", "", false),
            row("部会", "部会", false),
            row("要対協個別ケース検討会議", "個別ケース会議", true),
            row("要対協実務者会議", "要保護児童対策地域協議会", true),
            row("東部ケース会議", "個別ケース会議", true),
            row("地域ケア推進会議", "", false),
        ]
    );
}

/// A file claims who made its records and when; the audit shows those claims as the file's
/// word, with the import that wrote them — its time and the login that ran it — and never as
/// lines made in this database (attack of 2026-12-05, round 31, finding 1: a hand-made file
/// wrote a creation by `sato` and an approval and an amendment by `kacho`, dated 2020, that the
/// audit showed as theirs). What is entered here carries no such mark; an amendment of minutes
/// still a draft is refused, naming its path.
#[test]
fn an_import_s_authors_are_the_file_s_word_in_the_audit() {
    let (db, mut store) = with_bodies();
    let text = r#"{ "format": "renkei/1", "meetings": [
        { "body": "支援会議", "date": "2026-11-18", "start": "09:00", "status": "held",
          "uid": "01a2474a-1111-7000-8000-000000000003",
          "created_by": "sato", "created_at": "2020-01-01T09:00:00+09:00",
          "agenda": [ { "title": "議題", "notes": [
              { "text": "佐藤が書いたことにするメモ", "by": "sato", "at": "2020-01-01T09:10:00+09:00" } ] } ],
          "changes": [ { "at": "2020-01-05T09:00:00+09:00", "by": "kacho", "entity": "meeting",
                         "entity_uid": "01a2474a-1111-7000-8000-000000000003",
                         "field": "place", "old": "区役所", "new": "", "amendment": AMEND } ] } ] }"#;
    let refused = db.file("amended.json", text.replace("AMEND", "true").as_bytes());
    let before = dump(&store);
    let err = store.import_files(&[refused], Encoding::Auto).unwrap_err();
    assert!(
        err.to_string()
            .contains("amended.json: meetings[0].changes[0].amendment"),
        "{err}"
    );
    assert_eq!(dump(&store), before);

    let file = db.file("claims.json", text.replace("AMEND", "false").as_bytes());
    store.import_files(&[file], Encoding::Auto).unwrap();
    let here = captured(&mut store, "コア会議", "2026-11-20", "10:00");
    let trail = store.audit_trail(None).unwrap();
    let import = trail
        .iter()
        .rev()
        .find(|a| a.action == "import" && a.detail.contains("claims.json"))
        .unwrap();
    let claimed: Vec<_> = trail
        .iter()
        .filter(|a| ["sato", "kacho"].contains(&a.by.as_str()))
        .collect();
    assert_eq!(claimed.len(), 3, "{trail:#?}");
    for line in claimed {
        let imported = line.imported.as_ref().expect("marked as the file's");
        assert_eq!((&imported.at, &imported.by), (&import.at, &import.by));
        assert_ne!(imported.by, line.by);
    }
    let made_here: Vec<_> = trail
        .iter()
        .filter(|a| a.meeting_id == Some(here))
        .collect();
    assert!(made_here.len() >= 4, "{made_here:#?}");
    assert!(
        made_here.iter().all(|a| a.imported.is_none()),
        "{made_here:#?}"
    );

    // The table says it, in Japanese by default.
    let table = String::from_utf8(common::stdout_bytes(&db, &["audit"])).unwrap();
    assert!(table.contains("ファイルから取り込み"), "{table}");
    let sato = table.lines().find(|l| l.contains("sato")).unwrap();
    assert!(sato.contains(&format!(" {}", import.by)), "{sato}");
    assert!(sato.contains(&import.at[..16]), "{sato}");
}

/// A meeting held on a basis that closes it by law (支援会議: 社会福祉法第106条の6; 要対協) is
/// confidential whatever its body's flags: a meeting book's row of such a meeting, and a
/// meeting given that basis in its record's form. It was filed 公開 — its minutes without the
/// notice of the duty of secrecy, its calendar event with its place (attack of 2026-12-05,
/// round 31, finding 6). Another basis leaves a meeting as its body makes it.
#[test]
fn a_meeting_held_on_a_basis_that_closes_it_by_law_is_confidential() {
    let (db, mut store) = with_bodies();
    let book = db.file(
        "book.csv",
        "開催日,会議体,開催根拠\n2026/11/25,支援会議,支援会議\n2026/11/26,支援会議,本人同意\n"
            .as_bytes(),
    );
    store.import_files(&[book], Encoding::Auto).unwrap();
    let confidential = |store: &Store, date: &str| -> bool {
        store
            .conn()
            .query_row(
                "SELECT confidential FROM meetings WHERE date = ?1",
                [date],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert!(confidential(&store, "2026-11-25"));
    assert!(!confidential(&store, "2026-11-26"));
    let minutes = minutes_text(&store, meeting_on(&store, "2026-11-26"));
    assert!(!minutes.contains("守秘義務"), "{minutes}");

    // Given 要対協 as its basis in the record's form: closed, and the change recorded.
    let id = meeting_on(&store, "2026-11-26");
    let mut fields = store.record_fields(id).unwrap();
    fields.basis = "要対協".to_owned();
    store.set_record_fields(id, &fields).unwrap();
    assert!(confidential(&store, "2026-11-26"));
    let minutes = minutes_text(&store, id);
    assert!(minutes.contains("児童福祉法第25条の5"), "{minutes}");
    let trail = store.audit_trail(Some(id)).unwrap();
    assert!(
        trail
            .iter()
            .any(|a| a.detail.ends_with("confidential: no -> yes")),
        "{trail:#?}"
    );
}

fn meeting_on(store: &Store, date: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT id FROM meetings WHERE date = ?1", [date], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Ending a meeting writes the status the database holds, not the screen's (round 32b,
/// finding 1): a meeting cancelled meanwhile by another process is not made held again, and the
/// record of changes says the status it had (`planned -> held` was written whatever it was).
/// Seen failing before the fix: the cancelled meeting ended as held.
#[test]
fn ending_a_meeting_cancelled_meanwhile_is_refused() {
    let (_db, mut store) = with_bodies();
    let id = begun(&mut store);
    store
        .set_meeting_status(id, MeetingStatus::Cancelled)
        .unwrap();
    let err = store.end_meeting(id).unwrap_err();
    assert!(err.to_string().contains("was cancelled"), "{err}");
    let (status, ended): (String, Option<String>) = store
        .conn()
        .query_row(
            "SELECT status, ended_at FROM meetings WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), ended), ("cancelled", None));
    let statuses = |store: &Store| -> Vec<(Option<String>, Option<String>)> {
        let conn = store.conn();
        let mut stmt = conn
            .prepare(
                "SELECT old_value, new_value FROM changes
                  WHERE entity = 'meeting' AND field = 'status' ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let some = |a: &str, b: &str| (Some(a.to_owned()), Some(b.to_owned()));
    assert_eq!(statuses(&store), [some("planned", "cancelled")]);
    store.set_meeting_status(id, MeetingStatus::Held).unwrap();
    store.end_meeting(id).unwrap();
    assert_eq!(
        statuses(&store),
        [some("planned", "cancelled"), some("cancelled", "held")]
    );
}

/// The audit table says a change in its reader's language, as the minutes' 修正履歴 does: the
/// record's kind, the field as it is called on paper, coded values as a reader knows them. It
/// printed `agenda_entry 26 deleted: present -> deleted` in the Japanese table beside `作成 メモ
/// 25` (attack of 2026-12-05, round 32b, finding 7); JSON keeps the record's words. Seen failing
/// before the fix.
#[test]
fn the_audit_table_names_a_change_in_its_reader_s_language() {
    let (db, mut store) = with_bodies();
    let id = begun(&mut store);
    let item = first_item(&store, id);
    let entry = store
        .add_entry(item, EntryKind::Note, "本人と連絡が取れた。")
        .unwrap();
    store
        .remove(renkei::store::capture::Entity::Entry, entry)
        .unwrap();
    store.end_meeting(id).unwrap();
    let table = |lang: &str| {
        String::from_utf8(common::stdout_bytes(&db, &["--lang", lang, "audit"])).unwrap()
    };
    let ja = table("ja");
    assert!(
        ja.contains(&format!("議事の記録 {entry} 削除・復元: あり -> 削除")),
        "{ja}"
    );
    assert!(ja.contains("開催状況: 予定 -> 開催済"), "{ja}");
    for code in ["agenda_entry", "deleted", "present", "status", "planned"] {
        assert!(!ja.contains(code), "{code}\n{ja}");
    }
    let en = table("en");
    assert!(
        en.contains(&format!(
            "note or decision {entry} Removed or restored: present -> removed"
        )),
        "{en}"
    );
    let json =
        String::from_utf8(common::stdout_bytes(&db, &["audit", "--format", "json"])).unwrap();
    assert!(
        json.contains(&format!("agenda_entry {entry} deleted: present -> deleted")),
        "{json}"
    );
}
