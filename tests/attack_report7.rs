//! Attack report 7 (session 8): what an adversarial pass on main found and the lead fixed, one
//! test per finding, each seen failing before its fix.

use crate::common;

use common::{TempDb, import_json, stdout_bytes};

fn text(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8(stdout_bytes(db, args)).unwrap()
}

/// Finding 2 (availability): an agency renamed by an import grew every meeting naming it — its
/// name is written in each attendee — past the import's 16 MB record, without a word, and the
/// ward's own export was then refused by renkei's import (a restore impossible). The rename is
/// refused now, naming the agency's `name` and the meeting; the export imports again.
/// (Seen failing before: the rename imported, the export refused.)
#[test]
fn an_agency_renamed_past_what_its_meetings_hold_is_refused() {
    let db = TempDb::new();
    // Twenty: enough to take the meeting past 16 MB once renamed (forty took twice the time).
    let attendees: Vec<String> = (0..20)
        .map(|i| {
            format!(
                r#"{{"agency": "機関X", "name": "出席 者{i}", "role": "member", "attendance": "present"}}"#
            )
        })
        .collect();
    import_json(
        &db,
        &format!(
            r#"{{"format": "renkei/1", "agencies": [{{"name": "機関X"}}],
                "bodies": [{{"name": "会議体L", "organiser": "課L", "frequency": "毎月"}}],
                "meetings": [{{"body": "会議体L", "date": "2026-11-01", "start": "10:00",
                               "status": "held", "attendees": [{}]}}]}}"#,
            attendees.join(",")
        ),
    );
    let export: serde_json::Value =
        serde_json::from_slice(&stdout_bytes(&db, &["export"])).unwrap();
    let uid = export["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "機関X")
        .unwrap()["uid"]
        .as_str()
        .unwrap()
        .to_owned();
    // 990 kB: under the megabyte of one text, 20 MB in the meeting.
    let long = format!("機関X{}", "あ".repeat(330_000));
    let rename = db.file(
        "rename.json",
        format!(r#"{{"format": "renkei/1", "agencies": [{{"uid": "{uid}", "name": "{long}"}}]}}"#)
            .as_bytes(),
    );
    let before = text(&db, &["export"]);
    let out = common::renkei(&db)
        .arg("import")
        .arg(&rename)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    for said in ["rename.json", "agencies[0].name", "会議 1", "16"] {
        assert!(err.contains(said), "{said}: {err}");
    }
    assert_eq!(text(&db, &["export"]), before, "nothing imported");

    // A rename the meetings hold goes through, and the export is imported again whole.
    let fine = db.file(
        "fine.json",
        format!(r#"{{"format": "renkei/1", "agencies": [{{"uid": "{uid}", "name": "機関Y"}}]}}"#)
            .as_bytes(),
    );
    common::succeeds(common::renkei(&db).arg("import").arg(&fine));
    let export = db.file("ward.json", &stdout_bytes(&db, &["export"]));
    let restored = TempDb::new();
    common::succeeds(common::renkei(&restored).arg("import").arg(&export));
    assert!(text(&restored, &["minutes", "1"]).contains("機関Y"));
}

/// Finding 4 (Japanese first, bad input): a meeting or a yearly count naming a body two bodies
/// share was refused in English with advice a meeting cannot follow ("name the organiser too":
/// a meeting has `body_organiser`); the yearly count said the name twice. In Japanese now,
/// naming the fields that tell them apart, and `body_organiser` does. (Seen failing before.)
#[test]
fn a_body_two_bodies_share_is_refused_in_japanese_naming_what_tells_them_apart() {
    let db = TempDb::new();
    import_json(
        &db,
        r#"{"format": "renkei/1",
            "bodies": [{"name": "支援会議", "organiser": "地域福祉課", "frequency": "毎月"},
                       {"name": "支援会議", "organiser": "保健センター", "frequency": "毎月"}]}"#,
    );
    for (doc, path) in [
        (
            r#"{"format": "renkei/1", "meetings": [{"body": "支援会議", "date": "2026-12-20", "status": "planned"}]}"#,
            "meetings[0].body",
        ),
        (
            r#"{"format": "renkei/1", "history": [{"body": "支援会議", "fiscal_year": 2020, "meetings": 3}]}"#,
            "history[0].body",
        ),
    ] {
        let file = db.file("two.json", doc.as_bytes());
        let out = common::renkei(&db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{err}");
        for said in [
            path,
            "会議体「支援会議」は 2 つあります",
            "地域福祉課",
            "body_organiser",
        ] {
            assert!(err.contains(said), "{said}: {err}");
        }
        assert!(
            !err.contains("ambiguous") && err.matches("支援会議").count() == 1,
            "{err}"
        );
    }
    let file = db.file(
        "told.json",
        r#"{"format": "renkei/1", "meetings": [{"body": "支援会議", "body_organiser": "保健センター",
            "date": "2026-12-20", "status": "planned"}]}"#
            .as_bytes(),
    );
    common::succeeds(common::renkei(&db).arg("import").arg(&file));
}

/// Finding 13 (wrong record): 終結 needs its evaluation, but a zero-width space (U+200B) passed
/// as one and the case closed with an evaluation that prints as nothing. A required text of only
/// blanks and characters that draw nothing is empty now, from the case screen and from a review.
/// (Seen failing before: closed.)
#[test]
fn an_evaluation_that_draws_nothing_does_not_close_a_case() {
    use renkei::domain::case::CaseStatus;
    use renkei::store::cases::Closure;
    let db = TempDb::new();
    import_json(
        &db,
        r#"{"format": "renkei/1", "cases": [{"id": "c1", "pseudonym": "A世帯",
            "opened": "2026-04-10", "status": "active"}]}"#,
    );
    let mut store = renkei::store::Store::open(&db.path, common::clock()).unwrap();
    let case = store.find_case("A世帯").unwrap().unwrap();
    for nothing in ["\u{200B}", " \u{3000}\u{FEFF}", "\u{2060}\u{200D}\u{3164}"] {
        let closure = Closure {
            kind: CaseStatus::Closed,
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            reason: "転居".to_owned(),
            evaluation: nothing.to_owned(),
            transferred_to: String::new(),
        };
        let err = store.close_case(case, &closure, None).unwrap_err();
        assert!(err.to_string().contains("evaluation"), "{nothing:?}: {err}");
    }
    let status: String = store
        .conn()
        .query_row("SELECT status FROM cases WHERE id = ?1", [case], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "active");
}

/// Finding 22 (wrong record): `ward set 江東区` without `--code` erased the ward's code — the one
/// a city and a restore know the ward by. It is kept now. (Seen failing before: `"code": null`.)
#[test]
fn naming_the_ward_again_keeps_its_code() {
    let db = TempDb::new();
    common::succeeds(common::renkei(&db).args(["ward", "set", "江東區", "--code", "131083"]));
    common::succeeds(common::renkei(&db).args(["ward", "set", "江東区"]));
    let ward: serde_json::Value =
        serde_json::from_slice(&stdout_bytes(&db, &["ward", "--format", "json"])).unwrap();
    let text = ward.to_string();
    assert!(
        text.contains("\"131083\"") && text.contains("江東区"),
        "{text}"
    );
}

/// Finding 27 (privacy): an existing empty file given as `--db` (`touch`ed by an admin or a
/// script under umask 022) became the database with its own mode, 0644: every user of the ward
/// server could read it; a read command on it made a database too. The empty file now gets the
/// mode a new database gets, and a read command refuses it as it refuses a missing one. (Seen
/// failing before: 0644; a database made by `cases`.)
#[test]
fn an_empty_file_given_as_the_database_becomes_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("touched.db");
    std::fs::write(&path, b"").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = common::renkei_at(&path).arg("cases").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ありません"));
    assert_eq!(
        std::fs::metadata(&path).unwrap().len(),
        0,
        "no database made by a read"
    );
    common::succeeds(common::renkei_at(&path).args(["ward", "set", "江東区"]));
    assert_eq!(common::mode(&path), 0o600);
}

/// Finding 14's addenda (data loss): an attendee's and a household member's correction was
/// written into the row a colleague removed meanwhile, and said saved — shown nowhere. Refused
/// now, naming who removed it, as a note's correction is. (Seen failing before: saved.)
#[test]
fn correcting_an_attendee_or_a_member_someone_removed_is_refused() {
    use renkei::domain::model::{Attendance, Role};
    use renkei::store::capture::Entity;
    let db = TempDb::new();
    import_json(
        &db,
        r#"{"format": "renkei/1",
            "bodies": [{"name": "会議体L", "organiser": "課L", "frequency": "毎月"}],
            "cases": [{"id": "c1", "pseudonym": "A世帯", "opened": "2026-04-10", "status": "active",
                       "members": [{"relation": "本人", "name": "山田 花子"}]}],
            "meetings": [{"body": "会議体L", "date": "2026-11-30", "start": "10:00",
                          "status": "planned",
                          "attendees": [{"name": "佐藤 健一", "title": "係長", "attendance": "present"}]}]}"#,
    );
    let open = |user: &str| {
        let mut store = renkei::store::Store::open(&db.path, common::clock()).unwrap();
        store.set_user(user);
        store
    };
    let (mut nobody, mut daemon) = (open("nobody"), open("daemon"));
    let attendee: i64 = nobody
        .conn()
        .query_row("SELECT id FROM attendees", [], |r| r.get(0))
        .unwrap();
    daemon.remove(Entity::Attendee, attendee).unwrap();
    let err = nobody
        .update_attendee(
            attendee,
            None,
            "佐藤 健一",
            "係長（訂正）",
            Role::Member,
            Attendance::Present,
        )
        .unwrap_err();
    assert!(err.to_string().contains("daemon"), "{err}");
    let member: i64 = nobody
        .conn()
        .query_row("SELECT id FROM case_members", [], |r| r.get(0))
        .unwrap();
    daemon.remove_member(member, None).unwrap();
    let err = nobody
        .update_member(member, "本人", "山田 花子（訂正）", None)
        .unwrap_err();
    assert!(err.to_string().contains("daemon"), "{err}");
    let kept: (String, String) = nobody
        .conn()
        .query_row(
            "SELECT (SELECT title FROM attendees), (SELECT name FROM case_members)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(kept, ("係長".to_owned(), "山田 花子".to_owned()));
}

/// Finding 32 (Japanese first): the TUI started without a terminal (`ssh server renkei`
/// without -t, a launcher, cron) said only `No such device or address (os error 6)`, in English.
/// It says what to do now. (Seen failing before: the system's words.)
#[test]
fn the_screen_without_a_terminal_says_what_to_do() {
    let db = TempDb::new();
    import_json(&db, r#"{"format": "renkei/1"}"#);
    // Its standard output a pipe, as `ssh server renkei` gives it.
    let out = common::renkei(&db).write_stdin("").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("端末") && err.contains("ssh -t"), "{err}");
}

/// Finding 29 (privacy, disk): a `backup` or `export -o` killed midway left its hidden partial
/// copy beside the target (`.b.db.NNNN.backup`, `.x.json.NNNN.tmp`: the household names in it)
/// and no later run removed it. The next run removes what a process that is gone left; a copy
/// of a process still running is left to it. (Seen failing before: kept.)
#[test]
fn a_killed_writers_hidden_copy_is_removed_by_the_next_run() {
    let db = TempDb::new();
    import_json(&db, r#"{"format": "renkei/1"}"#);
    let dir = tempfile::tempdir().unwrap();
    // A pid no process has (past the kernel's largest), and this test's own (running).
    let gone = 4_194_305_u32;
    let running = std::process::id();
    let stale = [
        format!(".x.json.{gone}.tmp"),
        format!(".b.db.{gone}.backup"),
        format!(".b.db.{gone}.backup-journal"),
    ];
    let alive = [
        format!(".x.json.{running}.tmp"),
        format!(".b.db.{running}.backup"),
    ];
    for name in stale.iter().chain(&alive) {
        std::fs::write(dir.path().join(name), "山田 花子").unwrap();
    }
    let x = dir.path().join("x.json");
    common::succeeds(common::renkei(&db).arg("export").arg("-o").arg(&x));
    common::succeeds(
        common::renkei(&db)
            .arg("backup")
            .arg(dir.path().join("b.db")),
    );
    for name in &stale {
        assert!(!dir.path().join(name).exists(), "{name} left");
    }
    for name in &alive {
        assert!(
            dir.path().join(name).exists(),
            "{name} of a running process removed"
        );
    }
}

/// Finding 20 (bad input): an imported review's next review date six years before its own
/// meeting, or 73 years on, was taken and printed in the minutes. Refused now, naming the path,
/// as the review form refuses it; a date after the meeting is taken. (Seen failing before.)
#[test]
fn an_imported_reviews_next_date_is_from_its_meeting_to_the_horizon() {
    let db = TempDb::new();
    import_json(
        &db,
        r#"{"format": "renkei/1", "cases": [{"id": "c1", "pseudonym": "A世帯",
            "opened": "2026-04-10", "status": "active"}]}"#,
    );
    let file = |next: &str| {
        format!(
            r#"{{"format": "renkei/1",
                "bodies": [{{"name": "会議体Z", "organiser": "課Z", "frequency": "毎月",
                             "kind": "要保護児童対策地域協議会", "personal_info": true}}],
                "meetings": [{{"body": "会議体Z", "date": "2026-11-20", "start": "10:00",
                               "status": "held", "cases": ["A世帯"],
                               "case_reviews": [{{"case": "A世帯", "status": "active",
                                                  "next_review": "{next}"}}]}}]}}"#
        )
    };
    for (next, said) in [("2020-01-01", "より前"), ("2099-12-31", "年を超えて")] {
        let path = db.file("review.json", file(next).as_bytes());
        let out = common::renkei(&db)
            .arg("import")
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{next}: {err}");
        assert!(
            err.contains("meetings[0].case_reviews[0].next_review") && err.contains(said),
            "{next}: {err}"
        );
    }
    let path = db.file("review.json", file("2027-01-15").as_bytes());
    common::succeeds(common::renkei(&db).arg("import").arg(&path));
}

/// Finding 5 (privacy, bad input): a `recorded` entry of a kind renkei does not know was
/// dropped without a word when nothing came after it (the list went with the head, unchecked),
/// and refused when meetings came first: the key order decided. Refused either way now, naming
/// its path; a known kind is recorded. (Seen failing before: imported, the name not recorded.)
#[test]
fn a_recorded_entry_of_an_unknown_kind_is_refused_wherever_it_stands() {
    let db = TempDb::new();
    for doc in [
        r#"{"format": "renkei/1", "recorded": [{"text": "栗栖 権兵衛", "kind": "member"}]}"#,
        r#"{"format": "renkei/1", "recorded": [{"text": "栗栖 権兵衛", "kind": "member"}],
            "meetings": []}"#,
        r#"{"format": "renkei/1", "meetings": [],
            "recorded": [{"text": "栗栖 権兵衛", "kind": "member"}]}"#,
    ] {
        let file = db.file("recorded.json", doc.as_bytes());
        let out = common::renkei(&db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{doc}");
        assert!(err.contains("recorded[0].kind"), "{err}");
    }
    import_json(
        &db,
        r#"{"format": "renkei/1", "recorded": [{"text": "栗栖 権兵衛", "kind": "attendee"}]}"#,
    );
    let store = renkei::store::Store::open(&db.path, common::clock()).unwrap();
    let n: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM recorded_texts WHERE text = '栗栖 権兵衛'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
}

/// Finding 28 (bad input): imports took any meeting date — `0001-01-01`, `9999-12-31` held
/// meetings, counted in a report of 令和7981年度. A meeting's date is of the years a fiscal year
/// may be (1900–2200), refused naming its path otherwise. (Seen failing before: imported.)
#[test]
fn an_imported_meetings_date_is_of_the_years_a_report_counts() {
    for date in ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"] {
        let db = TempDb::new();
        let doc = format!(
            r#"{{"format": "renkei/1",
              "bodies": [{{"name": "こども食堂連絡会", "organiser": "こども家庭支援課"}}],
              "meetings": [{{"id": "m1", "body": "こども食堂連絡会", "date": "{date}", "status": "held"}}]}}"#
        );
        let file = db.file("in.json", doc.as_bytes());
        let out = common::renkei(&db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{date} imported");
        assert!(
            err.contains("meetings[0].date")
                && err.contains("1900 年から 2200 年までの日付ではありません"),
            "{err}"
        );
    }
}

/// Finding 11 (wrong record): a meeting's `changes` naming another meeting's note — or a kind
/// of record renkei does not know — were imported without a word and printed in that meeting's
/// minutes as an amendment of an item `note.text`. Refused now naming the path; a change of the
/// meeting's own record still imports. (Seen failing before: imported.)
#[test]
fn a_change_of_another_meetings_record_is_refused() {
    let db = common::demo_copy();
    let export: serde_json::Value =
        serde_json::from_slice(&stdout_bytes(&db, &["export"])).unwrap();
    let meetings = export["meetings"].as_array().unwrap();
    let with_notes = |skip: usize| {
        meetings
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                m["agenda"].as_array().is_some_and(|a| {
                    a.iter()
                        .any(|i| i["notes"].as_array().is_some_and(|n| !n.is_empty()))
                })
            })
            .nth(skip)
            .map(|(i, m)| (i, m.clone()))
            .unwrap()
    };
    let (other, other_meeting) = with_notes(0);
    let (at, meeting) = with_notes(1);
    let note_of = |m: &serde_json::Value| {
        m["agenda"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|i| i["notes"].as_array().cloned().unwrap_or_default())
            .next()
            .unwrap()["uid"]
            .clone()
    };
    let change = |entity: &str, uid: &serde_json::Value| {
        serde_json::json!({"at": "2026-11-20T10:00:00+09:00", "by": "sato", "entity": entity,
                           "entity_uid": uid, "field": "text", "old": "他会議のメモ",
                           "new": "書き換え"})
    };
    let cases = [
        (
            change("agenda_entry", &note_of(&other_meeting)),
            "entity_uid",
            "この会議の記録",
        ),
        (
            change("note", &note_of(&meeting)),
            "entity",
            "記録の種類ではありません",
        ),
    ];
    assert_ne!(other, at);
    for (bad, field, said) in cases {
        let mut doc = export.clone();
        let m = &mut doc["meetings"][at];
        m.as_object_mut().unwrap().remove("rev");
        let changes = m["changes"].as_array().cloned().unwrap_or_default();
        let j = changes.len();
        let mut changes = changes;
        changes.push(bad);
        m["changes"] = serde_json::Value::Array(changes);
        let file = db.file("chg.json", doc.to_string().as_bytes());
        let out = common::renkei(&db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "imported: {field}");
        let path = format!("meetings[{at}].changes[{j}].{field}");
        assert!(err.contains(&path) && err.contains(said), "{path}: {err}");
    }
    // The meeting's own note: taken.
    let mut doc = export.clone();
    let m = &mut doc["meetings"][at];
    m.as_object_mut().unwrap().remove("rev");
    m["changes"] = serde_json::json!([change("agenda_entry", &note_of(&meeting))]);
    let file = db.file("own.json", doc.to_string().as_bytes());
    common::succeeds(common::renkei(&db).arg("import").arg(&file));
}
