//! Attack report 6 (session 7): what an adversarial pass on main found and the lead fixed, one
//! test per finding, each seen failing before its fix.

use crate::common;

use common::{TempDb, import_json, stdout_bytes, xml_parts};

fn text(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8(stdout_bytes(db, args)).unwrap()
}

/// A世帯 (本人 髙橋 一郎) whose key person is an aunt outside the household, 叔母 山田 花子, who also
/// gave the consent; B世帯 was referred by her; a held confidential 個別ケース会議 discusses A世帯
/// and its notes name her as people write her.
const KEY_PERSON: &str = r#"{"format": "renkei/1",
 "bodies": [{"name": "個別ケース会議X", "organiser": "保健福祉課", "frequency": "随時",
             "kind": "個別ケース会議", "personal_info": true}],
 "cases": [{"id": "c1", "pseudonym": "A世帯", "opened": "2026-04-10", "status": "active",
            "lead_agency": "子ども家庭支援センター", "key_person": "叔母 山田 花子",
            "consent": "given", "consent_date": "2026-04-10", "consent_by": "叔父 鈴木 次郎",
            "risk": "high", "members": [{"relation": "本人", "name": "髙橋 一郎"}]},
           {"id": "c2", "pseudonym": "B世帯", "opened": "2026-04-10", "status": "active",
            "lead_agency": "子ども家庭支援センター", "referred_by": "山田花子",
            "members": [{"relation": "本人", "name": "渡邊 学"}]}],
 "meetings": [
  {"body": "個別ケース会議X", "date": "2026-10-15", "start": "14:00", "status": "held",
   "confidential": true, "cases": ["c1"], "facilitator": "佐藤 恵子",
   "attendees": [{"name": "佐藤 恵子", "agency": "保健福祉課", "attendance": "present"}],
   "agenda": [{"title": "協議", "notes": ["山田花子が本人を引き取る意向", "ヤマダ ハナコから電話",
                                          "鈴木次郎の同意は書面で"]}],
   "roles": [{"agency": "山田花子", "role": "週末の預かり"}]}]}"#;

/// Finding 3 (privacy, high): the case's key person (and who gave consent) — a relative outside
/// the household, masked in the case's own redacted record — was printed whole by the redacted
/// minutes of the case's meeting, the redacted ledger and the published report, which know only
/// `recorded_texts`: a case's people are recorded there too now (schema step 18).
#[test]
fn a_cases_key_person_is_masked_in_every_published_copy() {
    let db = TempDb::new();
    import_json(&db, KEY_PERSON);
    let plain = text(&db, &["minutes", "1"]);
    assert!(plain.contains("山田花子が本人を引き取る意向"), "{plain}");
    let redacted = text(&db, &["minutes", "1", "--redact"]);
    let docx = xml_parts(&stdout_bytes(
        &db,
        &["minutes", "1", "--redact", "--format", "docx"],
    ));
    for copy in [&redacted, &docx] {
        // (ハナコ stays: no reading of 花子 was recorded, and a given name has many.)
        for name in ["山田", "花子", "ヤマダ", "鈴木", "次郎"] {
            assert!(!copy.contains(name), "{name} in {copy}");
        }
    }
    assert!(redacted.contains("が本人を引き取る意向"), "{redacted}");
    let ledger = text(&db, &["cases", "--redact", "--format", "csv"]);
    let report = text(&db, &["report", "--fiscal-year", "2026"]);
    for copy in [&ledger, &report] {
        assert!(!copy.contains("山田"), "{copy}");
        assert!(!copy.contains("花子"), "{copy}");
    }
}

/// Ward 江東区: B世帯 (closed) whose lead agency and closure reason name a family member who
/// attended the held 個別ケース会議 as `山田 太郎`.
const RENAMED: &str = r#"{"format": "renkei/1",
 "bodies": [{"name": "個別ケース会議X", "organiser": "保健福祉課", "frequency": "随時",
             "kind": "個別ケース会議", "personal_info": true}],
 "cases": [{"id": "c2", "pseudonym": "B世帯", "opened": "2026-04-10", "status": "closed",
            "lead_agency": "山田太郎", "closed": "2026-11-01",
            "closure_reason": "山田太郎が引き取り", "evaluation": "安定",
            "members": [{"relation": "本人", "name": "渡邊 学"}]}],
 "meetings": [{"body": "個別ケース会議X", "date": "2026-10-15", "start": "14:00",
   "status": "held", "confidential": true, "facilitator": "佐藤 恵子",
   "attendees": [{"name": "佐藤 恵子", "agency": "保健福祉課", "attendance": "present"},
                 {"name": "山田 太郎", "agency": "家族", "role": "family",
                  "attendance": "present"}]}]}"#;

/// What the published report and the redacted ledger show of 山田太郎.
fn published(db: &TempDb, ward: Option<&str>) -> String {
    let mut report = vec!["report", "--fiscal-year", "2026"];
    report.extend(ward.map(|w| ["--ward", w]).into_iter().flatten());
    text(db, &report)
        + &text(
            db,
            &["cases", "--status", "all", "--redact", "--format", "csv"],
        )
}

/// Finding 9 (privacy, high): a person once recorded stays masked in the ward's own database
/// after the record changes (the attendee renamed, then removed), but the export did not carry
/// `recorded_texts`: a copy restored from it, or the city importing the ward, published
/// `終結（山田太郎が引き取り）` and `山田太郎` as an agency. The export now ends with the texts
/// recorded (`recorded`), which an import adds. (Seen failing before: 山田太郎 in the copies.)
#[test]
fn a_person_once_recorded_stays_masked_in_a_restored_copy_and_in_the_city() {
    let ward = TempDb::new();
    common::succeeds(common::renkei(&ward).args(["ward", "set", "江東区", "--code", "131083"]));
    import_json(&ward, RENAMED);
    let conn = rusqlite::Connection::open(&ward.path).unwrap();
    conn.execute(
        "UPDATE attendees SET name = '山田 花子' WHERE name = '山田 太郎'",
        [],
    )
    .unwrap();
    drop(conn);
    let own = published(&ward, None);
    assert!(!own.contains("山田太郎"), "{own}");
    let export = ward.file("ward.json", &stdout_bytes(&ward, &["export"]));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    assert!(
        json["recorded"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"text": "山田 太郎", "kind": "attendee"})),
        "{}",
        json["recorded"]
    );

    let restored = TempDb::new();
    common::succeeds(common::renkei(&restored).arg("import").arg(&export));
    let copy = published(&restored, None);
    assert!(!copy.contains("山田太郎"), "restored: {copy}");
    assert!(copy.contains("B世帯"), "{copy}");

    let city = TempDb::new();
    common::succeeds(common::renkei(&city).args(["ward", "set", "大阪市", "--code", "271004"]));
    common::succeeds(common::renkei(&city).arg("import").arg(&export));
    let copy = published(&city, Some("江東区"));
    assert!(!copy.contains("山田太郎"), "city: {copy}");
    assert!(copy.contains("B世帯"), "{copy}");
}

/// The document's `recorded` list is checked as every other field: a kind the database does
/// not know, or an unknown field, is refused naming its JSON path, and nothing is imported.
#[test]
fn a_recorded_text_of_an_unknown_kind_is_refused_naming_its_path() {
    let db = TempDb::new();
    for (recorded, path) in [
        (
            r#"[{"text": "山田 太郎", "kind": "attendee"}, {"text": "x", "kind": "neighbour"}]"#,
            "recorded[1].kind",
        ),
        (
            r#"[{"text": "山田 太郎", "kinds": "attendee"}]"#,
            "recorded[0]",
        ),
    ] {
        let file = db.file(
            "bad.json",
            format!(
                r#"{{"format": "renkei/1", "bodies": [], "meetings": [], "recorded": {recorded}}}"#
            )
            .as_bytes(),
        );
        let out = common::renkei(&db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{err}");
        assert!(err.contains(path), "{path}: {err}");
    }
    let n: i64 = rusqlite::Connection::open(&db.path)
        .map(|c| {
            c.query_row("SELECT COUNT(*) FROM recorded_texts", [], |r| r.get(0))
                .unwrap_or(0)
        })
        .unwrap_or(0);
    assert_eq!(n, 0);
}

/// Finding 10 (Japanese first): a missing file, a directory, a file of no known kind, every
/// `ward set` error and a fiscal year out of range were said in English by default. Each is
/// Japanese now, naming what it names, and English with `--lang en`. (Seen failing before:
/// `No such file or directory (os error 2)`, `the check digit is wrong` …)
#[test]
fn the_commonest_mistakes_are_said_in_japanese() {
    let db = TempDb::new();
    common::succeeds(common::renkei(&db).args(["ward", "set", "江東区", "--code", "131083"]));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("notes.sh");
    std::fs::write(&script, "echo\n").unwrap();
    let missing = dir.path().join("nonexist.json");
    let cases: [(Vec<std::ffi::OsString>, &str, &str); 8] = [
        (
            vec!["import".into(), missing.clone().into()],
            "nonexist.json",
            "ありません",
        ),
        (vec!["import".into(), dir.path().into()], "", "ディレクトリ"),
        (
            vec!["import".into(), script.clone().into()],
            "notes.sh",
            "ファイルの種類がわかりません",
        ),
        (
            vec![
                "ward".into(),
                "set".into(),
                "江東区".into(),
                "--code".into(),
                "131084".into(),
            ],
            "131084",
            "検査数字が違います",
        ),
        (
            vec![
                "ward".into(),
                "set".into(),
                "江東区".into(),
                "--code".into(),
                "12".into(),
            ],
            "12",
            "全国地方公共団体コードではありません",
        ),
        (
            vec!["ward".into(), "set".into(), "".into()],
            "",
            "区の名前が空です",
        ),
        (
            vec!["report".into(), "--fiscal-year".into(), "1800".into()],
            "1800",
            "1900 から 9999",
        ),
        (
            vec![
                "report".into(),
                "--fiscal-year".into(),
                "2026".into(),
                "--compare".into(),
                "99999".into(),
            ],
            "99999",
            "1900 から 9999",
        ),
    ];
    for (args, names, says) in &cases {
        let out = common::renkei(&db)
            .env("LANG", "ja_JP.UTF-8")
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(err.contains(names) && err.contains(says), "{args:?}: {err}");
        for english in [
            "No such file",
            "Is a directory",
            "unknown kind",
            "check digit",
            "is not",
            "empty",
        ] {
            assert!(!err.contains(english), "{args:?}: {err}");
        }
    }
    let out = common::renkei(&db)
        .args(["--lang", "en", "ward", "set", "江東区", "--code", "131084"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the check digit is wrong"), "{err}");
}

/// Finding 6, its second half: a file whose meetings come before its bodies, cut short, was
/// refused for a body it never reached (`meetings[0].body: 「会議体X」という会議体はありません`),
/// not for being cut. The cut is named now, with its line and column, and nothing is imported.
/// (Seen failing before: the missing body.)
#[test]
fn a_file_cut_short_after_its_meetings_is_refused_for_the_cut() {
    let mut meetings = Vec::new();
    for day in 1..=28 {
        meetings.push(format!(
            r#"{{"body": "会議体X", "date": "2026-10-{day:02}", "status": "held",
                "agenda": [{{"title": "協議", "notes": ["ファイルAの記録 {day}"]}}]}}"#
        ));
    }
    let whole = format!(
        r#"{{"format": "renkei/1", "meetings": [{}],
            "bodies": [{{"name": "会議体X", "organiser": "課A", "frequency": "毎月"}}]}}"#,
        meetings.join(",\n")
    );
    let db = TempDb::new();
    let cut = db.file(
        "cut.json",
        &whole.as_bytes()[..whole.find("ファイルAの記録 14").unwrap() + 6],
    );
    let out = common::renkei(&db)
        .env("LANG", "ja_JP.UTF-8")
        .arg("import")
        .arg(&cut)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("cut.json") && err.contains("行"), "{err}");
    assert!(!err.contains("会議体はありません"), "{err}");
    let whole_file = db.file("whole.json", whole.as_bytes());
    common::succeeds(common::renkei(&db).arg("import").arg(&whole_file));
}

/// Finding 13 (availability, high): a change in the document's list (those of meetings no longer
/// in the database) naming a meeting the database holds was written into it — an amendment of
/// approved minutes that never happened — and with no entry behind it the meeting's minutes and
/// the whole `audit` failed (`Invalid column type Null … entity_id`). Such a change is refused
/// now, naming its path; and a meeting's own change naming no entry (no `entity_uid`, an
/// unknown one, an entity renkei does not know) no longer breaks the minutes or the audit.
/// (Seen failing before: the import succeeded, then `minutes 1` and `audit` failed.)
#[test]
fn a_change_that_names_no_entry_breaks_neither_the_minutes_nor_the_audit() {
    let db = common::demo_copy();
    common::succeeds(common::renkei(&db).args(["approve", "1"]));
    let mut doc: serde_json::Value =
        serde_json::from_slice(&stdout_bytes(&db, &["export"])).unwrap();
    let approved = doc["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .position(|m| m.get("approval").is_some())
        .unwrap();
    let meeting_uid = doc["meetings"][approved]["uid"].clone();
    doc["changes"] = serde_json::json!([{
        "uid": "01a235df-eece-70fc-a503-0000000000aa", "at": "2026-11-21T09:00:00+09:00",
        "by": "sato", "entity": "agenda_entry", "field": "text", "old": "前", "new": "別の文",
        "amendment": true, "meeting_uid": meeting_uid}]);
    let file = db.file("doc.json", doc.to_string().as_bytes());
    let before = stdout_bytes(&db, &["minutes", "1"]);
    let out = common::renkei(&db)
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("changes[0].meeting_uid"), "{err}");
    assert_eq!(
        stdout_bytes(&db, &["minutes", "1"]),
        before,
        "nothing imported"
    );

    // A meeting's own change naming no record (no `entity_uid`): an unapproved meeting's, in
    // the same export (no amendment: an unapproved meeting has none, and one is refused since
    // round 31 of the attacks). (One naming a kind renkei does not know, or another meeting's record, is
    // refused since attack report 7's finding 11: `tests/attack_report7.rs`.)
    doc.as_object_mut().unwrap().remove("changes");
    let open = doc["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .position(|m| m.get("approval").is_none())
        .unwrap();
    let changes = doc["meetings"][open]["changes"].as_array_mut();
    let own = [
        serde_json::json!({"at": "2026-11-21T09:00:00+09:00", "by": "sato", "entity": "meeting",
                            "field": "place", "old": "旧", "new": "新"}),
        serde_json::json!({"at": "2026-11-21T09:01:00+09:00", "by": "sato",
                            "entity": "agenda_entry", "field": "text", "old": "a", "new": "b"}),
    ];
    match changes {
        Some(list) => list.extend(own),
        None => doc["meetings"][open]["changes"] = serde_json::Value::from(own.to_vec()),
    }
    let file = db.file("own.json", doc.to_string().as_bytes());
    common::succeeds(common::renkei(&db).arg("import").arg(&file));
    let uid = doc["meetings"][open]["uid"].as_str().unwrap().to_owned();
    let id: i64 = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row("SELECT id FROM meetings WHERE uid = ?1", [&uid], |r| {
            r.get(0)
        })
        .unwrap();
    let ids = ["1".to_owned(), id.to_string()];
    let mut runs: Vec<Vec<&str>> = vec![vec!["audit"], vec!["audit", "--format", "json"]];
    for id in &ids {
        runs.push(vec!["minutes", id]);
        runs.push(vec!["audit", "--meeting", id]);
    }
    for args in &runs {
        let out = common::renkei(&db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let audit = String::from_utf8(stdout_bytes(&db, &["audit"])).unwrap();
    assert!(audit.contains("旧 -> 新"), "{audit}");
}

/// A confidential 個別ケース会議 whose attendee names were not known (a title or a placeholder
/// typed instead) beside one named person, and a public 地域ケア会議 none of them attended.
const TITLES_AS_NAMES: &str = r#"{"format": "renkei/1",
 "bodies": [{"name": "個別ケース会議X", "organiser": "保健福祉課", "frequency": "随時",
             "kind": "個別ケース会議", "personal_info": true},
            {"name": "地域ケア会議Z", "organiser": "長寿支援課", "frequency": "随時",
             "kind": "地域ケア会議", "personal_info": false}],
 "meetings": [
  {"body": "個別ケース会議X", "date": "2026-10-15", "start": "14:00", "status": "held",
   "confidential": true,
   "attendees": [{"name": "保健師", "agency": "保健センター"}, {"name": "主治医", "agency": "A病院"},
                 {"name": "民生委員", "agency": "民生委員協議会"}, {"name": "担任", "agency": "B小学校"},
                 {"name": "同上", "agency": "B小学校"}, {"name": "担当者", "agency": "C事業所"},
                 {"name": "学校", "agency": "B小学校"}, {"name": "田中 良子", "agency": "保健福祉課"}]},
  {"body": "地域ケア会議Z", "date": "2026-11-19", "start": "10:00", "status": "held",
   "confidential": false,
   "agenda": [{"title": "協議", "notes": ["保健師が説明し、保健師との連携を確認",
     "主治医の意見書を共有", "民生委員が見守り", "担任と学校が連携", "担当者を決める",
     "同上の件は次回", "田中良子が出席"]}]}]}"#;

/// Finding 2 (wrong record): a title or placeholder typed as one attendee's name (保健師, 主治医,
/// 民生委員, 担任, 学校, 同上, 担当者) was a recorded person, and since step 15 replaced as one
/// in the redacted minutes of every meeting (`B氏が説明し`) — for good. Such a text names no one
/// now; a name beside them still does. (Seen failing before: `B氏が説明`.)
#[test]
fn a_title_typed_as_an_attendees_name_is_no_person_elsewhere() {
    let db = TempDb::new();
    import_json(&db, TITLES_AS_NAMES);
    let redacted = text(&db, &["minutes", "2", "--redact"]);
    for kept in [
        "保健師が説明し、保健師との連携を確認",
        "主治医の意見書を共有",
        "民生委員が見守り",
        "担任と学校が連携",
        "担当者を決める",
        "同上の件は次回",
    ] {
        assert!(redacted.contains(kept), "{kept}: {redacted}");
    }
    assert!(!redacted.contains("田中"), "{redacted}");
    assert!(!redacted.contains("良子"), "{redacted}");
}

/// A ward's document of one body, naming the ward as `ward` (JSON).
fn ward_document(ward: &str, body: &str) -> String {
    format!(
        r#"{{"format": "renkei/1", "ward": {ward},
            "bodies": [{{"name": "{body}", "organiser": "福祉課", "frequency": "毎月"}}],
            "meetings": []}}"#
    )
}

/// Finding 15 (wrong record): a database holding two wards of one name (北区 of 大阪市 and of
/// 東京都) took a file naming its ward by the name only as the first of them, without a word,
/// while `report --ward 北区` refuses the name as ambiguous. The import refuses it too now,
/// naming `ward` and both codes, and imports nothing; with the code it goes to that ward.
/// (Seen failing before: the import succeeded.)
#[test]
fn a_ward_named_by_a_name_two_wards_share_is_refused() {
    let db = TempDb::new();
    common::succeeds(common::renkei(&db).args(["ward", "set", "大阪市", "--code", "271004"]));
    for (code, body) in [("271276", "会議体O"), ("131172", "会議体T")] {
        let file = db.file(
            &format!("{code}.json"),
            ward_document(&format!(r#"{{"name": "北区", "code": "{code}"}}"#), body).as_bytes(),
        );
        common::succeeds(common::renkei(&db).arg("import").arg(&file));
    }
    let bodies = || text(&db, &["bodies", "--format", "json"]);
    let before = bodies();
    let file = db.file(
        "by-name.json",
        ward_document(r#"{"name": "北区"}"#, "会議体N").as_bytes(),
    );
    let out = common::renkei(&db)
        .env("LANG", "ja_JP.UTF-8")
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    for said in ["by-name.json", "ward", "北区", "271276", "131172"] {
        assert!(err.contains(said), "{said}: {err}");
    }
    assert_eq!(bodies(), before, "nothing imported");
    let file = db.file(
        "by-code.json",
        ward_document(r#"{"name": "北区", "code": "131172"}"#, "会議体N").as_bytes(),
    );
    common::succeeds(common::renkei(&db).arg("import").arg(&file));
}

/// Finding 18 (bad input): a file read in several passes (its `changes` before its meetings,
/// its meetings before its bodies) said of any mistake after the first pass that `"format"` was
/// missing — no line, no path, while the file begins with its format. The mistake is named
/// with its line and path now, as in a file read in one pass. (Seen failing before: `"format"
/// がありません`.)
#[test]
fn a_mistake_in_a_later_reading_is_named_where_it_is() {
    let db = TempDb::new();
    let body = r#"{"name": "会議体X", "organiser": "課", "frequency": "毎月"}"#;
    let meeting = r#"{"body": "会議体X", "date": "2026-10-01", "status": "held"}"#;
    for (doc, path) in [
        (
            format!(
                r#"{{"format": "renkei/1", "changes": [{{"at": "2026-10-01T10:00:00+09:00",
                 "by": "sato", "entity": "meeting", "field": "place", "amendment": "no"}}],
                 "bodies": [{body}], "meetings": [{meeting}]}}"#
            ),
            "changes[0].amendment",
        ),
        (
            format!(
                r#"{{"format": "renkei/1", "changes": [], "bodies": [{body}],
                 "meetings": [{{"bodyy": "会議体X", "date": "2026-10-01"}}]}}"#
            ),
            "meetings[0]",
        ),
        (
            format!(r#"{{"format": "renkei/1", "meetings": {{"a": 1}}, "bodies": [{body}]}}"#),
            "meetings",
        ),
    ] {
        let file = db.file("f18.json", doc.as_bytes());
        let out = common::renkei(&db)
            .env("LANG", "ja_JP.UTF-8")
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{err}");
        assert!(err.contains(path) && err.contains("行"), "{path}: {err}");
        assert!(!err.contains("format"), "{path}: {err}");
    }
}

/// Finding 10's addendum (Japanese first): the import's conflict list — every line under the
/// Japanese refusal, and the dry run's and `--skip-conflicts`' lists — was English
/// (`meeting 1 (会議体N, …): a meeting of the same body, date and time holds what…`).
#[test]
fn the_imports_conflicts_are_listed_in_japanese() {
    let db = TempDb::new();
    let meeting = |place: &str| {
        format!(
            r#"{{"format":"renkei/1","bodies":[{{"name":"会議体N","organiser":"課","frequency":"毎月"}}],
 "meetings":[{{"id":"m1","body":"会議体N","date":"2026-10-01","start":"10:00","status":"held","place":"{place}",
   "agenda":[{{"title":"議題","notes":["メモ"]}}]}}]}}"#
        )
    };
    import_json(&db, &meeting("会議室A"));
    let second = db.file("second.json", meeting("会議室C").as_bytes());
    let english = [
        "meeting 1",
        "a meeting of the same body",
        "notes and decisions",
        "never replaced",
    ];
    for extra in [&[][..], &["--dry-run"][..], &["--skip-conflicts"][..]] {
        let out = common::renkei(&db)
            .arg("import")
            .args(extra)
            .arg(&second)
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            said.contains("会議 1（会議体N、2026-10-01 10:00）"),
            "{extra:?}: {said}"
        );
        assert!(said.contains("記録・決定事項 1 件"), "{extra:?}: {said}");
        assert!(
            said.contains("取り込みで置き換えることはありません"),
            "{extra:?}: {said}"
        );
        for word in english {
            assert!(!said.contains(word), "{extra:?}: {word}: {said}");
        }
        if extra.is_empty() {
            assert!(said.contains("renkei: 衝突: "), "{said}");
        }
    }
    // In English when asked.
    let out = common::renkei(&db)
        .args(["--lang", "en", "import"])
        .arg(&second)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("meeting 1 (会議体N, 2026-10-01 10:00)")
            && said.contains("1 notes and decisions"),
        "{said}"
    );
}

/// The note of attack report 6 (privacy): with `recorded_texts` emptied around its triggers
/// (`sqlite3 X "DELETE FROM recorded_texts"`), `check` said all was well and the annual report
/// published the names the table held. `check` now compares each table the triggers keep with
/// what the records make of it, fails naming the counts, and `check --mend` makes them again.
#[test]
fn check_finds_the_people_recorded_emptied_and_mend_makes_them_again() {
    let db = TempDb::new();
    import_json(&db, RENAMED);
    let sound = common::renkei(&db).arg("check").output().unwrap();
    assert!(
        sound.status.success(),
        "{}",
        String::from_utf8_lossy(&sound.stderr)
    );
    assert!(String::from_utf8_lossy(&sound.stdout).contains("に欠けている名前: 0 件"));

    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute_batch(
        "DELETE FROM recorded_texts; UPDATE body_last_held SET held = '1999-01-01';",
    )
    .unwrap();
    drop(conn);
    let out = common::renkei(&db).arg("check").output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("に欠けている名前: 4 件"), "{said}");
    assert!(said.contains("記録と違う会議体: 1 件"), "{said}");
    assert!(err.contains("renkei check --mend"), "{err}");

    let mended = text(&db, &["check", "--mend"]);
    assert!(mended.contains("記録された人に 4 件を加え"), "{mended}");
    assert!(mended.contains("最後の開催日 1 件"), "{mended}");
    common::succeeds(common::renkei(&db).arg("check"));
    let again = published(&db, None);
    assert!(!again.contains("山田太郎"), "{again}");
    let audit = text(&db, &["audit"]);
    assert!(audit.contains("整合性の修復"), "{audit}");
}
