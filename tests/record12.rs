//! What was approved reads the same (session 12): a body changed after its meeting's minutes
//! were approved is listed under 修正履歴 of each, through every copy of the minutes and every
//! export and import; dates of what happened (consent, closure) are not after today.

mod common;

use common::{TempDb, renkei};
use renkei::store::Store;
use renkei::store::tabular::Encoding;

fn export(store: &Store) -> String {
    renkei::interchange::to_json(&store.export_document().unwrap())
}

fn import(store: &mut Store, db: &TempDb, name: &str, json: &str) -> renkei::store::ImportSummary {
    let file = db.file(name, json.as_bytes());
    store
        .import_files(std::slice::from_ref(&file), Encoding::Auto)
        .unwrap()
}

/// The amendments of the meeting `uid` of the body's fields, as (field, old, new).
fn body_amendments(store: &Store, uid: &str) -> Vec<(String, String, String)> {
    let id: i64 = store
        .conn()
        .query_row("SELECT id FROM meetings WHERE uid = ?1", [uid], |r| {
            r.get(0)
        })
        .unwrap();
    store
        .minutes_input(id)
        .unwrap()
        .unwrap()
        .amendments
        .into_iter()
        .filter(|a| {
            a.entity == "meeting"
                && ["body_name", "organiser", "body_kind", "personal_info"]
                    .contains(&a.field.as_str())
        })
        .map(|a| {
            (
                a.field,
                a.old_value.unwrap_or_default(),
                a.new_value.unwrap_or_default(),
            )
        })
        .collect()
}

/// A body of the demo with two meetings held, and those meetings (latest first).
fn body_held_twice(store: &Store) -> (i64, i64, i64) {
    store
        .conn()
        .query_row(
            "SELECT body_id, MAX(id), MIN(id) FROM meetings WHERE status = 'held'
             GROUP BY body_id HAVING COUNT(*) >= 2 ORDER BY body_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

/// Item 1: a body renamed (its organiser, kind and sharing of personal information changed too)
/// by an import after one of its meetings' minutes was approved changed that approved header
/// silently — or, on main, the import was refused as a whole. Now each change is a 修正履歴
/// line of the approved minutes (who, when, before → after), in Markdown, English, redacted and
/// Word; the draft minutes of the body's other meeting show the new name with no amendment; the
/// export carrying it imports into a fresh database and again into its own, each line once.
/// (Seen failing before the fix: the import was refused, `conflict_approved_unchanged`.)
#[test]
fn a_body_changed_after_approval_is_an_amendment_of_its_approved_minutes() {
    let db = TempDb::new();
    let mut store = db.open();
    renkei::demo::load(&mut store).unwrap();
    let (body, approved, draft) = body_held_twice(&store);
    store.approve_minutes(approved).unwrap();
    let before = store.body(body).unwrap().unwrap().record;
    let meeting_uid: String = store
        .conn()
        .query_row("SELECT uid FROM meetings WHERE id = ?1", [approved], |r| {
            r.get(0)
        })
        .unwrap();
    let id = approved.to_string();
    let minutes = common::output_of(renkei(&db).args(["minutes", &id]));
    assert!(
        common::section(&minutes, "修正履歴").contains("なし"),
        "{minutes}"
    );
    let pre = export(&store);

    // The file changes the body: its name, organiser, kind and sharing of personal information.
    let mut doc: serde_json::Value = serde_json::from_str(&pre).unwrap();
    let uid = before.uid.unwrap().to_string();
    let record = doc["bodies"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|b| b["uid"] == uid.as_str())
        .unwrap();
    record["name"] = "改名した会議体".into();
    record["organiser"] = "改名後の主催課".into();
    record["kind"] = "改めた種別".into();
    record["personal_info"] = (!before.personal_info).into();
    let edited = serde_json::to_string(&doc).unwrap();
    let summary = import(&mut store, &db, "edited.json", &edited);
    assert_eq!(summary.bodies.updated, 1, "{summary:?}");

    let now = common::output_of(renkei(&db).args(["minutes", &id]));
    assert!(now.starts_with("# 改名した会議体 議事録"), "{now}");
    let history = common::section(&now, "修正履歴");
    let yes_no = |b: bool| if b { "有" } else { "無" };
    for (label, old, new) in [
        ("会議体名", before.name.as_str(), "改名した会議体"),
        ("主催", before.organiser.as_str(), "改名後の主催課"),
        ("会議体の種別", before.kind.as_str(), "改めた種別"),
        (
            "個人情報の共有",
            yes_no(before.personal_info),
            yes_no(!before.personal_info),
        ),
    ] {
        let line = history
            .lines()
            .find(|l| l.contains(label) && l.contains(new))
            .unwrap_or_else(|| panic!("no {label} in the history:\n{now}"));
        assert!(line.contains(old), "{line}");
        assert!(line.contains(store.user()), "who: {line}");
        assert!(line.contains("2026"), "when: {line}");
    }
    let en = common::output_of(renkei(&db).args(["minutes", &id, "--lang", "en"]));
    assert!(
        common::section(&en, "Amendments").contains("Body's name"),
        "{en}"
    );
    let redacted = common::output_of(renkei(&db).args(["minutes", &id, "--redact"]));
    assert!(
        common::section(&redacted, "修正履歴").contains("改名した会議体"),
        "{redacted}"
    );
    let docx = db.dir.path().join("m.docx");
    renkei(&db)
        .args(["minutes", &id, "--format", "docx", "-o"])
        .arg(&docx)
        .assert()
        .success();
    let xml = common::xml_parts(&std::fs::read(&docx).unwrap());
    assert!(xml.contains("会議体名"), "the docx lists the rename");
    let amended = body_amendments(&store, &meeting_uid);
    assert_eq!(amended.len(), 4, "{amended:?}");

    // The draft minutes show the body as it is, with nothing to amend.
    let shown = common::output_of(renkei(&db).args(["minutes", &draft.to_string()]));
    assert!(shown.starts_with("# 改名した会議体 議事録"), "{shown}");
    assert!(!shown.contains("会議体名"), "{shown}");

    // The export carrying the amendments imports into a fresh database, and into its own.
    let post = export(&store);
    let fresh = TempDb::new();
    let mut other = fresh.open();
    import(&mut other, &fresh, "post.json", &post);
    assert_eq!(body_amendments(&other, &meeting_uid), amended);
    let again = import(&mut store, &db, "post.json", &post);
    assert!(again.conflicts.is_empty(), "{again:?}");
    assert_eq!(body_amendments(&store, &meeting_uid), amended);

    // A copy of the database from before the change, holding the approved minutes without
    // these amendments, is not changed by the file's (as with any amendment after approval:
    // an import never changes approved minutes); skipping that conflict, the body's change
    // comes with this import's amendment, each line once.
    let copy = TempDb::new();
    let mut old = copy.open();
    import(&mut old, &copy, "pre.json", &pre);
    assert!(body_amendments(&old, &meeting_uid).is_empty());
    let file = copy.file("post.json", post.as_bytes());
    let skipping = renkei::store::ImportOptions {
        skip_conflicts: true,
        ..Default::default()
    };
    let later = old.import_with(&[file], &skipping).unwrap();
    assert_eq!(later.conflicts.len(), 1, "{later:?}");
    let lines = body_amendments(&old, &meeting_uid);
    let fields: Vec<_> = lines.iter().map(|(f, o, n)| (f, o, n)).collect();
    let expected: Vec<_> = amended.iter().map(|(f, o, n)| (f, o, n)).collect();
    assert_eq!(fields, expected);
}

const HELD: &str = "01900000-0000-7000-8000-000000000001";
const PLANNED: &str = "01900000-0000-7000-8000-000000000002";

/// A database with one body, 個別ケース会議, a meeting of it held on 2026-11-25 (four days
/// after the tests' today: a meeting begun ahead of its day, from another client) and one
/// planned for 2026-11-26; and the cases of `cases` (JSON), as an import writes them.
fn with_meetings(db: &TempDb, cases: &str) -> Result<Store, String> {
    let mut store = db.open();
    let file = db.file(
        "in.json",
        format!(
            r#"{{ "format": "renkei/1", "bodies": [
                {{ "name": "個別ケース会議", "organiser": "地域福祉課", "kind": "個別ケース会議" }} ],
              "cases": [ {cases} ],
              "meetings": [
                {{ "uid": "{HELD}", "body": "個別ケース会議", "date": "2026-11-25", "start": "10:00",
                   "status": "held" }},
                {{ "uid": "{PLANNED}", "body": "個別ケース会議", "date": "2026-11-26", "start": "10:00" }} ] }}"#
        )
        .as_bytes(),
    );
    store
        .import_files(&[file], Encoding::Auto)
        .map_err(|e| e.to_string())?;
    Ok(store)
}

fn meeting_id(store: &Store, uid: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT id FROM meetings WHERE uid = ?1", [uid], |r| {
            r.get(0)
        })
        .unwrap()
}

fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Item 2, the store: consent given and a case ended after today (the tests' today is
/// 2026-11-21) are refused, naming the field and the date; today is taken, and a closure
/// decided at a held meeting may take that meeting's date — not at a planned one, nor another
/// date. (Seen failing before the fix: every date was stored.)
#[test]
fn the_store_refuses_consent_and_closure_after_today() {
    renkei::i18n::set_message_lang(renkei::i18n::Lang::Ja);
    let db = TempDb::new();
    let mut store = with_meetings(&db, "").unwrap();
    let case = store
        .create_case(&renkei::store::cases::NewCase {
            pseudonym: "A世帯".to_owned(),
            opened: Some(day("2026-10-01")),
            referred_by: None,
            lead_agency: None,
            members: Vec::new(),
        })
        .unwrap();
    let consent = renkei::domain::case::Consent::ALL[0];
    let err = store
        .set_consent(case, consent, Some(day("2026-11-22")), None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("同意日（consent_date）2026-11-22") && err.contains("2026-11-21"),
        "{err}"
    );
    store
        .set_consent(case, consent, Some(day("2026-11-21")), None)
        .unwrap();
    let closure = |date: &str| renkei::store::cases::Closure {
        kind: renkei::domain::case::CaseStatus::Closed,
        date: day(date),
        reason: "目標を達成".to_owned(),
        evaluation: "自立".to_owned(),
        transferred_to: String::new(),
    };
    let (held, planned) = (meeting_id(&store, HELD), meeting_id(&store, PLANNED));
    for (date, at) in [
        ("2026-11-22", None),
        ("2026-11-26", Some(planned)),
        ("2026-11-24", Some(held)),
    ] {
        let err = store
            .close_case(case, &closure(date), at)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("終結日（closed）{date}")),
            "{date}: {err}"
        );
    }
    store
        .close_case(case, &closure("2026-11-25"), Some(held))
        .unwrap();
    store.reopen_case(case, None).unwrap();
    store
        .close_case(case, &closure("2026-11-21"), None)
        .unwrap();
}

/// Item 2, the import and the command line: a case's consent or closure after today is
/// refused naming its JSON path; a closure decided at a meeting the file holds (`closed_in`)
/// may take its date if it is held. (Seen failing before the fix: the import took them.)
#[test]
fn the_import_refuses_consent_and_closure_after_today_naming_the_path() {
    renkei::i18n::set_message_lang(renkei::i18n::Lang::Ja);
    let refused = |cases: &str| {
        with_meetings(&TempDb::new(), cases)
            .err()
            .unwrap_or_default()
    };
    let err = refused(r#"{ "pseudonym": "B世帯", "consent_date": "2026-11-22" }"#);
    assert!(
        err.contains("cases[0].consent_date: 同意日（consent_date）2026-11-22"),
        "{err}"
    );
    let closed = |date: &str, at: &str| {
        format!(
            r#"{{ "pseudonym": "B世帯", "status": "closed", "closed": "{date}",
                 "closure_reason": "転居"{at} }}"#
        )
    };
    let err = refused(&closed("2026-11-22", ""));
    assert!(
        err.contains("cases[0].closed: 終結日（closed）2026-11-22"),
        "{err}"
    );
    let at_planned = format!(r#", "closed_in": "{PLANNED}""#);
    let err = refused(&closed("2026-11-26", &at_planned));
    assert!(
        err.contains("cases[0].closed: 終結日（closed）2026-11-26"),
        "{err}"
    );
    let at_held = format!(r#", "closed_in": "{HELD}""#);
    let err = refused(&closed("2026-11-24", &at_held));
    assert!(
        err.contains("cases[0].closed: 終結日（closed）2026-11-24"),
        "{err}"
    );
    with_meetings(&TempDb::new(), &closed("2026-11-25", &at_held)).unwrap();
    with_meetings(&TempDb::new(), &closed("2026-11-21", "")).unwrap();

    // The command line says it, in Japanese, and changes nothing.
    let db = TempDb::new();
    let file = db.file(
        "late.json",
        format!(
            r#"{{ "format": "renkei/1", "cases": [ {} ] }}"#,
            closed("2027-03-31", "")
        )
        .as_bytes(),
    );
    let out = renkei(&db).arg("import").arg(&file).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("late.json")
            && stderr.contains("cases[0].closed: 終結日（closed）2027-03-31"),
        "{stderr}"
    );
    assert!(!db.path.exists(), "no database left behind");
}

/// Item 3: approved minutes whose next meeting was left to the calendar (次回開催予定 未定, no
/// later meeting of the body then) took the date of a meeting scheduled after their approval —
/// their text changed silently. Now they take only a meeting that was in the calendar when
/// they were approved; draft minutes take the calendar as it is. (Seen failing before the fix:
/// the approved minutes said 2026-12-01.)
#[test]
fn a_meeting_scheduled_after_approval_leaves_the_approved_next_meeting_as_it_was() {
    let db = TempDb::new();
    let mut store = db.open();
    let file = db.file(
        "held.json",
        r#"{ "format": "renkei/1", "bodies": [
              { "name": "個別ケース会議", "organiser": "地域福祉課", "kind": "個別ケース会議" } ],
            "meetings": [
              { "body": "個別ケース会議", "date": "2026-10-01", "start": "10:00", "status": "held" },
              { "body": "個別ケース会議", "date": "2026-11-02", "start": "10:00", "status": "held" } ] }"#
            .as_bytes(),
    );
    store.import_files(&[file], Encoding::Auto).unwrap();
    let (first, approved): (i64, i64) = store
        .conn()
        .query_row("SELECT MIN(id), MAX(id) FROM meetings", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    store.approve_minutes(approved).unwrap();
    let next = |store: &Store, id: i64| store.minutes_input(id).unwrap().unwrap().next_meeting;
    assert_eq!(next(&store, approved), None);
    let before = common::output_of(renkei(&db).args(["minutes", &approved.to_string()]));
    drop(store);

    // An hour later, a colleague schedules the next meeting.
    let later = chrono::DateTime::parse_from_rfc3339("2026-11-21T11:00:00+09:00").unwrap();
    let mut store = Store::open(&db.path, renkei::clock::Clock::fixed(later)).unwrap();
    let body = store.bodies().unwrap()[0].id;
    store
        .schedule_meeting(&renkei::store::capture::NewMeeting {
            body_id: body,
            date: day("2026-12-01"),
            start: Some("10:00".to_owned()),
            end: Some("11:00".to_owned()),
            place: "区役所".to_owned(),
        })
        .unwrap();
    assert_eq!(next(&store, approved), None);
    assert_eq!(
        common::output_of(renkei(&db).args(["minutes", &approved.to_string()])),
        before
    );
    assert_eq!(next(&store, first).as_deref(), Some("2026-11-02"));
}

/// Item 1's audit, agencies: an agency's rename by an import is refused where approved minutes
/// show it — as the lead agency of a case discussed (refused on main already: the meeting's
/// record in the file differs) and on an action of an earlier meeting they list as carried
/// over.
#[test]
fn an_agency_approved_minutes_show_anywhere_keeps_its_name_against_an_import() {
    let db = TempDb::new();
    let mut store = db.open();
    let file = db.file(
        "held.json",
        r#"{ "format": "renkei/1", "bodies": [
              { "name": "個別ケース会議", "organiser": "地域福祉課", "kind": "個別ケース会議" } ],
            "cases": [ { "id": "H1", "pseudonym": "H世帯" } ],
            "meetings": [
              { "body": "個別ケース会議", "date": "2026-10-01", "start": "10:00", "status": "held",
                "actions": [ { "agency": "訪問看護ステーション", "text": "訪問の報告", "due": "2026-10-20",
                               "status": "open" } ] },
              { "body": "個別ケース会議", "date": "2026-11-02", "start": "10:00", "status": "held",
                "cases": [ { "case": "H1", "lead_agency": "見守り推進室" } ] } ] }"#
            .as_bytes(),
    );
    store.import_files(&[file], Encoding::Auto).unwrap();
    let approved: i64 = store
        .conn()
        .query_row("SELECT MAX(id) FROM meetings", [], |r| r.get(0))
        .unwrap();
    store.approve_minutes(approved).unwrap();
    let id = approved.to_string();
    let minutes = common::output_of(renkei(&db).args(["minutes", &id]));
    let export = export(&store);
    for name in ["見守り推進室", "訪問看護ステーション"] {
        assert!(minutes.contains(name), "{minutes}");
        let renamed = export.replacen(
            &format!("\"name\": \"{name}\""),
            &format!("\"name\": \"{name}（改）\""),
            1,
        );
        assert_ne!(renamed, export, "{name}");
        let file = db.file("renamed.json", renamed.as_bytes());
        let refused = store.import_files(&[file], Encoding::Auto);
        assert!(refused.is_err(), "{name}: {refused:?}");
        assert_eq!(
            common::output_of(renkei(&db).args(["minutes", &id])),
            minutes
        );
    }
}

// Session 13 (record13): approved minutes stay what was approved — the ward they show, the
// state of the actions they carried, the meeting held.

/// A ward's export of one body, 個別ケース会議, with a meeting held on 2026-10-01 that made an
/// open action and one held on 2026-11-02 that carries it; `ward` is the document's ward
/// (JSON, empty for none).
fn ward_of_two_meetings(ward: &str, body: &str) -> String {
    let ward = match ward {
        "" => String::new(),
        w => format!(r#""ward": {w},"#),
    };
    format!(
        r#"{{ "format": "renkei/1", {ward} "bodies": [
              {{ "name": "{body}", "organiser": "地域福祉課", "kind": "個別ケース会議" }} ],
            "meetings": [
              {{ "body": "{body}", "date": "2026-10-01", "start": "10:00", "status": "held",
                 "actions": [ {{ "agency": "訪問看護ステーション", "text": "訪問の報告",
                                "due": "2026-10-20", "status": "open" }} ] }},
              {{ "body": "{body}", "date": "2026-11-02", "start": "10:00", "status": "held" }} ] }}"#
    )
}

/// The minutes of `id` as every copy shows them: Markdown in Japanese and English and the
/// redacted Markdown (the .docx is made from the same document as the Markdown).
fn copies(store: &Store, id: i64) -> [String; 3] {
    let input = store.minutes_input(id).unwrap().unwrap();
    let options = |lang| renkei::minutes::Options {
        lang,
        redact: false,
    };
    [
        renkei::minutes::render(&input, &options(renkei::i18n::Lang::Ja)),
        renkei::minutes::render(&input, &options(renkei::i18n::Lang::En)),
        renkei::minutes::render_redacted(&input, renkei::i18n::Lang::Ja).markdown,
    ]
}

/// Everything of the minutes before their 修正履歴 (Amendments), which is the last section.
fn before_amendments(minutes: &str) -> &str {
    let at = minutes
        .find("## 修正履歴")
        .or_else(|| minutes.find("## Amendments"))
        .unwrap_or_else(|| panic!("no amendments section: {minutes}"));
    &minutes[..at]
}

/// The store at a later time than the tests' today (a colleague, later that day).
fn later(db: &TempDb, at: &str) -> Store {
    let at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    Store::open(&db.path, renkei::clock::Clock::fixed(at)).unwrap()
}

/// A database holding [`ward_of_two_meetings`] of `ward`: the store and the two meetings.
fn two_meetings(db: &TempDb, ward: &str) -> (Store, i64, i64) {
    let mut store = db.open();
    let own = ward_of_two_meetings(ward, "個別ケース会議");
    import(&mut store, db, "own.json", &own);
    let (first, later): (i64, i64) = store
        .conn()
        .query_row("SELECT MIN(id), MAX(id) FROM meetings", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    (store, first, later)
}

/// A ward's database (no ward named) holding [`ward_of_two_meetings`], the later meeting's
/// minutes approved: the store, the earlier meeting, the approved one and its copies.
fn approved_of_two(db: &TempDb) -> (Store, i64, i64, [String; 3]) {
    let (mut store, first, approved) = two_meetings(db, "");
    store.approve_minutes(approved).unwrap();
    let copies = copies(&store, approved);
    (store, first, approved, copies)
}

/// Item 1: a ward's header kept as approved. Minutes approved in a ward's own database (no 区
/// line) gain none when an import gathers a second ward (main: every approved header gained
/// `区: 都島区（271021）`); minutes approved among several wards keep the name they were
/// approved with when the ward is renamed (`renkei ward set`: main changed it silently), the
/// rename a 修正履歴 line; an import that names the ward otherwise (same uid) changes nothing.
/// Each copy byte-identical but for the amendment lines. (Seen failing on main: the 区 line.)
#[test]
fn approved_headers_keep_the_ward_they_were_approved_with() {
    let db = TempDb::new();
    let own =
        r#"{ "uid": "01900000-0000-7000-8000-0000000000a1", "name": "都島区", "code": "271021" }"#;
    let (mut store, alone, among) = two_meetings(&db, own);
    store.approve_minutes(alone).unwrap();
    let first = copies(&store, alone);
    assert!(!first[0].contains("都島区"), "{}", first[0]);

    // A second ward gathered by an import.
    let other =
        r#"{ "uid": "01900000-0000-7000-8000-0000000000b2", "name": "福島区", "code": "271071" }"#;
    let summary = import(
        &mut store,
        &db,
        "other.json",
        &ward_of_two_meetings(other, "福島区の会議"),
    );
    assert_eq!(summary.wards_added, 1, "{summary:?}");
    assert_eq!(
        copies(&store, alone),
        first,
        "a second ward adds no 区 line"
    );

    // Minutes approved among two wards show theirs; the ward renamed, they keep that name.
    store.approve_minutes(among).unwrap();
    let approved = copies(&store, among);
    assert!(approved[0].contains("都島区（271021）"), "{}", approved[0]);
    drop(store);
    let mut store = later(&db, "2026-11-21T11:00:00+09:00");
    store.set_ward("都島区役所", None).unwrap();
    let renamed = copies(&store, among);
    for (was, is) in approved.iter().zip(&renamed) {
        assert_eq!(before_amendments(is), before_amendments(was));
        assert_ne!(is, was);
    }
    let history = common::section(&renamed[0], "修正履歴");
    assert!(
        history.contains("都島区（271021）") && history.contains("都島区役所（271021）"),
        "{history}"
    );
    assert_eq!(copies(&store, alone), first, "they never showed the ward");

    // An import naming the ward otherwise (its uid the same) changes neither.
    let json = export(&store).replace("\"都島区役所\"", "\"都島区（旧）\"");
    import(&mut store, &db, "renamed.json", &json);
    assert_eq!(copies(&store, among), renamed);
    assert_eq!(copies(&store, alone), first);

    // The export carries the ward as approved: a fresh database shows the same minutes.
    let fresh = TempDb::new();
    let mut copy = fresh.open();
    import(&mut copy, &fresh, "all.json", &export(&store));
    let id = |s: &Store, date: &str| -> i64 {
        s.conn()
            .query_row(
                "SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id
                 WHERE b.name = '個別ケース会議' AND m.date = ?1",
                [date],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(copies(&copy, id(&copy, "2026-10-01")), first);
    assert_eq!(
        before_amendments(&copies(&copy, id(&copy, "2026-11-02"))[0]),
        before_amendments(&renamed[0])
    );
}

/// Item 1, `renkei demo --wards`: the demo's city gathered into a ward's database leaves its
/// approved minutes without a 区 line (seen failing on main). The demo adds each ward by the
/// statement below (src/demo/scale.rs, `city`), no store function: run here as it runs there,
/// without generating a ward's 500 meetings (`demo::load_city(store, 1, 2)` passes as well,
/// at 2 s of CPU).
#[test]
fn a_city_demo_gathered_adds_no_ward_line_to_approved_minutes() {
    let db = TempDb::new();
    let (store, _, id, approved) = approved_of_two(&db);
    store
        .conn()
        .execute(
            "INSERT INTO wards (name, code) VALUES (?1, ?2)",
            ["都島区", "271021"],
        )
        .unwrap();
    assert!(store.wards().unwrap().len() > 1);
    assert_eq!(copies(&store, id), approved);
}

/// Item 3: approved minutes list the carried actions as they stood when approved. An action
/// carried as 未完了 and closed an hour after the approval read 完了 in them on main (seen
/// failing); the minutes of a meeting not approved show the action as it is.
#[test]
fn a_carried_action_closed_after_approval_reads_as_approved() {
    let db = TempDb::new();
    let (store, origin, carrying, approved) = approved_of_two(&db);
    let action: i64 = store
        .conn()
        .query_row("SELECT id FROM next_actions", [], |r| r.get(0))
        .unwrap();
    assert!(approved[0].contains("未完了"), "{}", approved[0]);
    drop(store);
    let mut store = later(&db, "2026-11-21T11:00:00+09:00");
    store
        .close_action(action, renkei::domain::model::ActionStatus::Done, None)
        .unwrap();
    assert_eq!(copies(&store, carrying), approved);
    let carried = store.minutes_input(carrying).unwrap().unwrap().carried;
    assert_eq!(carried[0].status, renkei::domain::model::ActionStatus::Open);
    // Reopened later still, and closed again: as approved all along.
    drop(store);
    let mut store = later(&db, "2026-11-21T12:00:00+09:00");
    store
        .close_action(action, renkei::domain::model::ActionStatus::Open, None)
        .unwrap();
    store
        .close_action(action, renkei::domain::model::ActionStatus::Dropped, None)
        .unwrap();
    assert_eq!(copies(&store, carrying), approved);
    // The record itself is as it is now: the action dropped, where the origin made it.
    let live = store.carried_actions(carrying).unwrap();
    assert_eq!(live[0].status, renkei::domain::model::ActionStatus::Dropped);
    assert_eq!(live[0].from_meeting, origin);
}

/// Item 2: a meeting whose minutes were approved was held — not cancelled nor made planned
/// again by the store (main recorded it as an amendment: seen failing), nor by an import, into
/// a fresh database or the one that holds it (naming meetings[i].status).
#[test]
fn a_meeting_with_approved_minutes_is_not_cancelled() {
    use renkei::domain::model::MeetingStatus;
    renkei::i18n::set_message_lang(renkei::i18n::Lang::Ja);
    let db = TempDb::new();
    let (mut store, _, id, approved) = approved_of_two(&db);
    let before = common::dump(&store);
    for status in [MeetingStatus::Cancelled, MeetingStatus::Planned] {
        let err = store
            .set_meeting_status(id, status)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("会議 #{id} は議事録が承認されています")),
            "{err}"
        );
    }
    assert_eq!(common::dump(&store), before);
    assert_eq!(copies(&store, id), approved);
    store.set_meeting_status(id, MeetingStatus::Held).unwrap();

    // A file where the meeting was cancelled after approval (as main let it be), its seal
    // matching.
    let mut doc = store.export_document().unwrap();
    let at = doc
        .meetings
        .iter()
        .position(|m| m.minutes == renkei::domain::model::MinutesState::Approved)
        .unwrap();
    let m = &mut doc.meetings[at];
    m.status = MeetingStatus::Cancelled;
    let seal = renkei::interchange::seal(m);
    m.approval.as_mut().unwrap().seal = Some(seal);
    let edited = renkei::interchange::to_json(&doc);
    for target in [TempDb::new(), db] {
        let mut store = target.open();
        let file = target.file("cancelled.json", edited.as_bytes());
        let err = store
            .import_files(std::slice::from_ref(&file), Encoding::Auto)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("meetings[{at}].status")) && err.contains("cancelled"),
            "{err}"
        );
    }
}

/// The ward an approval records is no change of the meeting: `renkei audit` said
/// `meeting 10 ward:  -> ` at each approval in a ward's own database (session 13's closing note).
/// It says what the approved header shows instead: no 区 line, or the ward it names.
#[test]
fn the_audit_says_the_ward_an_approval_recorded_not_a_change() {
    let db = TempDb::new();
    let (mut store, alone, among) = two_meetings(&db, "");
    store.approve_minutes(alone).unwrap();
    let other =
        r#"{ "uid": "01900000-0000-7000-8000-0000000000b2", "name": "福島区", "code": "271071" }"#;
    import(
        &mut store,
        &db,
        "other.json",
        &ward_of_two_meetings(other, "福島区の会議"),
    );
    store.set_ward("都島区", Some("271021")).unwrap();
    store.approve_minutes(among).unwrap();
    let ward_lines = |id: i64| -> Vec<String> {
        store
            .audit_trail(Some(id))
            .unwrap()
            .into_iter()
            .filter(|e| e.detail.contains("ward"))
            .map(|e| format!("{} {}", e.action, e.detail))
            .collect()
    };
    assert_eq!(
        ward_lines(alone),
        [format!(
            "change meeting {alone} ward at approval: (no ward line)"
        )]
    );
    assert_eq!(
        ward_lines(among),
        [format!(
            "change meeting {among} ward at approval: 都島区（271021）"
        )]
    );
}

/// A case is opened (受理) on a day that has come, as consent and a closure are: the store
/// refuses a case opened after today and an edit that moves its 受理日 there (a date it already
/// had stays, so other edits still save), and the import refuses one naming its JSON path. (A
/// 受理日 of 2027-03-20 was saved and counted in no year's report: attack on the cases,
/// 2026-12-05.)
#[test]
fn a_case_opened_after_today_is_refused_by_the_store_and_the_import() {
    renkei::i18n::set_message_lang(renkei::i18n::Lang::Ja);
    let db = TempDb::new();
    let mut store = with_meetings(&db, "").unwrap();
    let new = |opened: &str| renkei::store::cases::NewCase {
        pseudonym: "C世帯".to_owned(),
        opened: Some(day(opened)),
        referred_by: None,
        lead_agency: None,
        members: Vec::new(),
    };
    let err = store
        .create_case(&new("2026-11-22"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("受理日（opened）2026-11-22") && err.contains("2026-11-21"),
        "{err}"
    );
    let case = store.create_case(&new("2026-11-21")).unwrap();
    let edit = |opened: &str, policy: &str| renkei::store::cases::CaseEdit {
        pseudonym: "C世帯".to_owned(),
        opened: Some(day(opened)),
        policy: policy.to_owned(),
        ..renkei::store::cases::CaseEdit::default()
    };
    let err = store
        .update_case(case, &edit("2027-03-20", ""), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("受理日（opened）2027-03-20"), "{err}");
    // A 受理日 after today the case already had (kept by an older renkei) does not stop
    // another change.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE cases SET opened = '2027-03-20' WHERE id = ?1",
        [case],
    )
    .unwrap();
    store
        .update_case(case, &edit("2027-03-20", "見守り"), None)
        .unwrap();

    let err = with_meetings(
        &TempDb::new(),
        r#"{ "pseudonym": "B世帯", "opened": "2030-01-01" }"#,
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("cases[0].opened: 受理日（opened）2030-01-01"),
        "{err}"
    );
}
