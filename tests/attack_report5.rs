//! Attack report 5 (session 6): what an adversarial pass on main found and this stop fixed, one
//! test per finding, each seen failing before its fix. (Findings fixed in the TUI's own tests:
//! 1 and 3 in tests/tui/drafts.rs; 8 in tests/cli.rs.)

use crate::common;

use common::{TempDb, import_json, stdout_bytes, xml_parts};

fn text(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8(stdout_bytes(db, args)).unwrap()
}

/// A 要対協 body discussing A世帯 (本人 髙橋 一郎, 長女 山﨑 まどか) and B世帯 (本人 渡邊 学); and a public
/// 地域ケア会議 held the day before that lists no case, where the same family is talked about.
const FAMILY_ELSEWHERE: &str = r#"{"format":"renkei/1",
 "bodies":[
  {"name":"要対協実務者会議","organiser":"子ども家庭支援課","frequency":"毎月","kind":"要保護児童対策地域協議会","personal_info":true},
  {"name":"地域ケア会議Z","organiser":"長寿支援課","frequency":"随時","kind":"地域ケア会議","personal_info":false}],
 "cases":[
  {"id":"c1","pseudonym":"A世帯","opened":"2026-04-10","status":"monitoring",
   "members":[{"relation":"本人","name":"髙橋 一郎（タカハシ イチロウ）"},
              {"relation":"長女","name":"山﨑 まどか（ヤマサキ マドカ）"}]},
  {"id":"c2","pseudonym":"B世帯","opened":"2026-04-10","status":"active",
   "members":[{"relation":"本人","name":"渡邊 学（ワタナベ マナブ）"}]}],
 "meetings":[
  {"body":"要対協実務者会議","date":"2026-10-15","start":"14:00","status":"held","confidential":true,
   "cases":["c1","c2"],"facilitator":"佐藤 恵子",
   "attendees":[{"name":"佐藤 恵子","agency":"子ども家庭支援課","attendance":"present"}]},
  {"body":"地域ケア会議Z","date":"2026-11-19","start":"10:00","status":"held","confidential":false,
   "agenda":[{"title":"協議","notes":["髙橋一郎が来所、まどかも同席","渡邊学の件は要対協へ","佐藤恵子係長が同行"]}]}]}"#;

/// Finding 9 (privacy, high): the redacted minutes of a meeting that does not list a case print
/// its household's names whole — `髙橋一郎が来所、まどかも同席`, `渡邊学の件は要対協へ` — with
/// "置き換えた氏名：なし", while the report and the ledger of the same database mask exactly these
/// people. A redacted copy is the one handed out; its redactor now knows everyone recorded (every
/// household, everyone at a meeting held), in Markdown and in Word alike. The plain minutes are
/// as typed.
#[test]
fn a_household_named_at_a_meeting_that_does_not_list_its_case_is_replaced() {
    let db = TempDb::new();
    import_json(&db, FAMILY_ELSEWHERE);
    let id: i64 = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE b.name = '地域ケア会議Z'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let id = id.to_string();
    let plain = text(&db, &["minutes", &id]);
    assert!(plain.contains("髙橋一郎が来所"), "{plain}");
    let redacted = text(&db, &["minutes", &id, "--redact"]);
    let docx = xml_parts(&stdout_bytes(
        &db,
        &["minutes", &id, "--redact", "--format", "docx"],
    ));
    for copy in [&redacted, &docx] {
        for name in ["髙橋", "一郎", "まどか", "渡邊", "渡邊学", "恵子"] {
            assert!(!copy.contains(name), "{name} in {copy}");
        }
    }
    assert!(
        redacted.contains("が来所"),
        "the rest of the note stays: {redacted}"
    );
}

/// The id of the meeting of `body` held on `date`.
fn meeting_id(db: &TempDb, body: &str, date: &str) -> String {
    let id: i64 = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id
             WHERE b.name = ?1 AND m.date = ?2",
            [body, date],
            |r| r.get(0),
        )
        .unwrap();
    id.to_string()
}

/// Every published or redacted output of the database: the minutes of `meeting` redacted (md,
/// docx), the annual report (md, csv), the ledger redacted (csv, json) — and as it is (table,
/// csv: its agency cells and reasons are masked, its 援助方針 is as typed) when `plain` — and
/// the redacted record of each of `cases` (md, docx).
fn published(db: &TempDb, meeting: &str, cases: &[&str], plain: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut run = |args: &[&str]| {
        let name = args.join(" ");
        let bytes = stdout_bytes(db, args);
        let text = if args.contains(&"docx") {
            xml_parts(&bytes)
        } else {
            String::from_utf8(bytes).unwrap()
        };
        out.push((name, text));
    };
    run(&["minutes", meeting, "--redact"]);
    run(&["minutes", meeting, "--redact", "--format", "docx"]);
    run(&["report", "--fiscal-year", "2026"]);
    run(&["report", "--fiscal-year", "2026", "--format", "csv"]);
    if plain {
        run(&["cases", "--status", "all"]);
        run(&["cases", "--status", "all", "--format", "csv"]);
    }
    run(&["cases", "--status", "all", "--format", "csv", "--redact"]);
    run(&["cases", "--status", "all", "--format", "json", "--redact"]);
    for case in cases {
        run(&["case", case, "--redact"]);
        run(&["case", case, "--redact", "--format", "docx"]);
    }
    out
}

/// The lines of the outputs that hold any of `names`.
fn leaks(outputs: &[(String, String)], names: &[&str]) -> Vec<String> {
    outputs
        .iter()
        .flat_map(|(what, text)| {
            text.lines()
                .filter(|l| names.iter().any(|n| l.contains(n)))
                .map(move |l| format!("{what}: {l}"))
        })
        .collect()
}

const COUNCIL: &str = r#"{"name":"要対協実務者会議","organiser":"子ども家庭支援課","frequency":"毎月","kind":"要保護児童対策地域協議会","personal_info":true}"#;

/// Finding 4 (privacy, high) with its addendum: a relative who shares the household's recorded
/// family name kept the given name in every redacted copy and the published report —
/// `E氏 昭（祖父）`, `○○ 昭（祖父）`, `父のB氏健太`, `D氏ハル`, and in the agency cells `祖母の髙橋ハル`,
/// `民生委員 鈴木 一`, `鈴木一民生委員` as agencies. README: a name with its relation is replaced
/// whole; "No person is published". A recorded family name followed by a word that reads as a
/// given name is now one person, replaced whole. Seen failing before: 昭, 健太, ハル, 次郎 and
/// the 鈴木/髙橋 agency cells printed.
#[test]
fn a_relative_sharing_the_family_name_is_replaced_whole_everywhere() {
    let db = TempDb::new();
    import_json(
        &db,
        &format!(
            r#"{{"format":"renkei/1","bodies":[{COUNCIL}],
 "cases":[
  {{"id":"c1","pseudonym":"A世帯","opened":"2026-04-10","status":"monitoring",
   "members":[{{"relation":"本人","name":"髙橋 一郎（タカハシ イチロウ）"}}]}},
  {{"id":"c2","pseudonym":"B世帯","opened":"2026-04-10","status":"closed","closed":"2026-11-20",
   "closure_reason":"渡邊 昭（祖父）が引取り","evaluation":"父の渡邊健太が養育",
   "members":[{{"relation":"本人","name":"渡邊 学（ワタナベ マナブ）"}}]}},
  {{"id":"x0","pseudonym":"X0世帯","opened":"2026-05-01","status":"active",
   "referred_by":"祖母の髙橋ハル","lead_agency":"髙橋ハル",
   "members":[{{"relation":"本人","name":"髙橋 一郎（タカハシ イチロウ）"}}]}},
  {{"id":"x2","pseudonym":"X2世帯","opened":"2026-05-01","status":"active",
   "referred_by":"民生委員 鈴木 一","lead_agency":"鈴木一民生委員",
   "members":[{{"relation":"本人","name":"鈴木 花子"}}]}}],
 "meetings":[
  {{"body":"要対協実務者会議","date":"2026-11-20","start":"14:00","status":"held","confidential":true,
   "cases":["c1","c2","x0","x2"],"facilitator":"佐藤 恵子",
   "agenda":[{{"title":"協議","notes":["父の高橋 健太が来所した","兄 高橋健太と面談","高橋健太宅を訪問",
     "祖母の髙橋ハルが同居","叔父 高橋 次郎に連絡","渡邊 昭（祖父）と面談","ワタナベ アキラ氏の話"]}}],
   "case_reviews":[{{"case":"c2","status":"closed","reason":"渡邊 昭（祖父）が引取り",
     "evaluation":"父の渡邊健太が養育"}}]}}]}}"#
        ),
    );
    let meeting = meeting_id(&db, "要対協実務者会議", "2026-11-20");
    let outputs = published(&db, &meeting, &["B世帯", "X0世帯", "X2世帯"], true);
    let leaked = leaks(
        &outputs,
        &[
            "昭",
            "健太",
            "ハル",
            "次郎",
            "アキラ",
            "髙橋",
            "高橋",
            "渡邊",
            "鈴木 一",
            "鈴木一",
        ],
    );
    assert!(leaked.is_empty(), "{leaked:#?}");
    let minutes = &outputs[0].1;
    // The relatives are people of their own: not the members' letters.
    assert!(minutes.contains("が来所した"), "{minutes}");
    let report = &outputs[2].1;
    assert!(report.contains("○○（祖父）が引取り"), "{report}");
}

/// Finding 5 (privacy, high), with its addendum: a one-kanji family name before 家/宅/世帯
/// (`林宅`, `林家が転居`) was printed in every redacted copy and the published report (its reason
/// rows and issue tables), with no warning, while `林さん宅` was replaced. Seen failing before:
/// 林 in every output below. Words that end so (実家, 小林家, 林業) stay.
#[test]
fn a_one_kanji_family_name_before_its_home_is_replaced_everywhere() {
    let db = TempDb::new();
    import_json(
        &db,
        r#"{"format":"renkei/1",
 "bodies":[{"name":"ケース会議Y","organiser":"福祉課","frequency":"随時","kind":"個別ケース会議","personal_info":true}],
 "cases":[{"id":"c1","pseudonym":"K世帯","opened":"2026-04-01","status":"closed","closed":"2026-11-20",
   "members":[{"relation":"本人","name":"林 学（ハヤシ マナブ）"},{"relation":"母","name":"林 美（ハヤシ ミ）"}],
   "policy":"林家への定期訪問","closure_reason":"林家が転居"}],
 "meetings":[{"body":"ケース会議Y","date":"2026-11-20","start":"10:00","status":"held","confidential":true,
   "cases":["c1"],"place":"林宅",
   "agenda":[{"title":"協議","notes":["林家を訪問","林宅を訪問","林世帯の状況","昨日林家へ",
     "林家・学校と連携","母の実家へ転居、小林家の隣","林業に就職"]}],
   "issues":["林家の経済的困窮","林宅のごみ屋敷"]}]}"#,
    );
    let meeting = meeting_id(&db, "ケース会議Y", "2026-11-20");
    let outputs = published(&db, &meeting, &["K世帯"], false);
    let leaked: Vec<String> = leaks(&outputs, &["林"])
        .into_iter()
        .filter(|l| !l.contains("小林家") && !l.contains("林業"))
        .collect();
    assert!(leaked.is_empty(), "{leaked:#?}");
    let minutes = &outputs[0].1;
    for kept in ["母の実家へ転居、小林家の隣", "林業に就職"] {
        assert!(minutes.contains(kept), "{kept}: {minutes}");
    }
}

/// Finding 16 (privacy, medium) and its addendum: a one-kanji name before `SW` or `担任`, before
/// ら・たち・等・及び, or joined by `・` before 両名 stayed in the redacted minutes. Seen failing
/// before: each line below kept 林 or 森.
#[test]
fn a_one_kanji_name_before_sw_or_a_plural_is_replaced() {
    let db = TempDb::new();
    import_json(
        &db,
        r#"{"format":"renkei/1",
 "bodies":[{"name":"ケース会議Y","organiser":"福祉課","frequency":"随時","kind":"個別ケース会議","personal_info":true}],
 "meetings":[{"body":"ケース会議Y","date":"2026-11-20","start":"10:00","status":"held","confidential":true,
   "facilitator":"林 一","attendees":[{"name":"林 一","agency":"福祉課","attendance":"present"},
                                     {"name":"森 優","agency":"保健所","attendance":"present"}],
   "agenda":[{"title":"協議","notes":["【1】林SWが説明","【2】林担任が説明","【3】林・森両名",
     "【4】林らが訪問","【5】林たちが訪問","【6】林等が訪問","【7】林及び森","【8】林業等の振興"]}]}]}"#,
    );
    let meeting = meeting_id(&db, "ケース会議Y", "2026-11-20");
    for args in [
        vec!["minutes", meeting.as_str(), "--redact"],
        vec!["minutes", meeting.as_str(), "--redact", "--format", "docx"],
    ] {
        let bytes = stdout_bytes(&db, &args);
        let text = if args.contains(&"docx") {
            xml_parts(&bytes)
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let notes: Vec<&str> = text.split('【').skip(1).collect();
        assert_eq!(notes.len(), 8, "{text}");
        for note in &notes[..7] {
            let note = note.split(['\n', '<']).next().unwrap_or("");
            assert!(!note.contains('林') && !note.contains('森'), "{note}");
        }
        assert!(text.contains("林業等の振興"), "{text}");
    }
}

/// Finding 13 (wrong record, low): a member named 希望 turned `本人の希望により終結` into
/// `本人の○○により終結` in the published report and the ledger. An ordinary word after a
/// particle is the word. Seen failing before: `本人の○○により終結`.
#[test]
fn an_ordinary_word_that_is_a_members_name_stays_in_the_report() {
    let db = TempDb::new();
    import_json(
        &db,
        &format!(
            r#"{{"format":"renkei/1","bodies":[{COUNCIL}],
 "cases":[{{"id":"c1","pseudonym":"W0世帯","opened":"2026-04-10","status":"closed","closed":"2026-11-20",
   "closure_reason":"本人の希望により終結","members":[{{"relation":"本人","name":"望月 希望"}}]}}],
 "meetings":[{{"body":"要対協実務者会議","date":"2026-11-20","start":"14:00","status":"held",
   "confidential":true,"cases":["c1"],
   "agenda":[{{"title":"協議","notes":["本人の希望により終結","希望さんが来所"]}}]}}]}}"#
        ),
    );
    let meeting = meeting_id(&db, "要対協実務者会議", "2026-11-20");
    let outputs = published(&db, &meeting, &["W0世帯"], true);
    for (what, text) in &outputs {
        assert!(!text.contains("本人の○○"), "{what}: {text}");
        assert!(!text.contains("希望さん"), "{what}: {text}");
    }
    let report = &outputs[2].1;
    assert!(report.contains("本人の希望により終結"), "{report}");
    assert!(outputs[0].1.contains("本人の希望により終結"));
}

/// Finding 6 (low): at a review meeting of several cases the 本人 did not take the pseudonym's
/// letter (`C氏` for A世帯's 本人, A and B used by no one). README: "A世帯's 本人 is A氏" — in
/// minutes and case records alike. Seen failing before: `C氏は祖母宅`, no remark.
#[test]
fn each_case_subject_takes_its_pseudonyms_letter_at_a_review_of_several() {
    let db = TempDb::new();
    import_json(
        &db,
        &format!(
            r#"{{"format":"renkei/1","bodies":[{COUNCIL}],
 "cases":[
  {{"id":"c1","pseudonym":"A世帯","opened":"2026-04-10","status":"monitoring",
   "members":[{{"relation":"本人","name":"髙橋 一郎"}},{{"relation":"長女","name":"山﨑 まどか"}}]}},
  {{"id":"c2","pseudonym":"B世帯","opened":"2026-04-10","status":"active",
   "members":[{{"relation":"本人","name":"渡邊 学"}}]}}],
 "meetings":[{{"body":"要対協実務者会議","date":"2026-11-20","start":"14:00","status":"held",
   "confidential":true,"cases":["c1","c2"],
   "case_reviews":[{{"case":"c1","status":"monitoring","note":"まどかちゃんは登校、一郎くんは祖母宅"}},
                   {{"case":"c2","status":"active","note":"渡邊学は通学"}}]}}]}}"#
        ),
    );
    let meeting = meeting_id(&db, "要対協実務者会議", "2026-11-20");
    let minutes = text(&db, &["minutes", &meeting, "--redact"]);
    assert!(minutes.contains("A氏は祖母宅"), "{minutes}");
    assert!(minutes.contains("B氏は通学"), "{minutes}");
    assert!(minutes.contains("A世帯 → A氏、B世帯 → B氏"), "{minutes}");
    let record = text(&db, &["case", "B世帯", "--redact"]);
    assert!(record.contains("B氏"), "{record}");
}

/// Finding 9's other half (privacy, high): the redacted case record and the redacted ledger knew
/// only the case's own household and the people of its meetings: a sibling household named in a
/// policy (`林田学の家庭（K世帯）と連携`) was printed; and a public body's calendar event put a
/// recorded child's home in its LOCATION (`髙橋一郎さん宅（家庭訪問）`). Everything published
/// masked now knows everyone recorded. Seen failing before: 林田 in the record and the CSV, the
/// LOCATION in the calendar.
#[test]
fn a_redacted_record_ledger_and_calendar_know_every_recorded_household() {
    let db = TempDb::new();
    import_json(
        &db,
        &format!(
            r#"{{"format":"renkei/1","bodies":[{COUNCIL},
  {{"name":"地域ケア会議Z","organiser":"長寿支援課","frequency":"随時","kind":"地域ケア会議","personal_info":false}}],
 "cases":[
  {{"id":"c1","pseudonym":"A世帯","opened":"2026-04-10","status":"monitoring",
   "policy":"林田学の家庭（K世帯）と連携し見守り",
   "members":[{{"relation":"本人","name":"髙橋 一郎（タカハシ イチロウ）"}}]}},
  {{"id":"c2","pseudonym":"K世帯","opened":"2026-04-10","status":"active",
   "members":[{{"relation":"本人","name":"林田 学"}}]}}],
 "meetings":[
  {{"body":"要対協実務者会議","date":"2026-10-15","start":"14:00","status":"held","confidential":true,
   "cases":["c1"],"facilitator":"佐藤 恵子"}},
  {{"body":"地域ケア会議Z","date":"2026-11-25","start":"10:00","status":"planned","confidential":false,
   "place":"髙橋一郎さん宅（家庭訪問）"}},
  {{"body":"地域ケア会議Z","date":"2026-11-26","start":"10:00","status":"planned","confidential":false,
   "place":"区民会館 第2会議室"}}]}}"#
        ),
    );
    for args in [
        vec!["case", "A世帯", "--redact"],
        vec!["cases", "--status", "all", "--format", "csv", "--redact"],
        vec!["cases", "--status", "all", "--format", "json", "--redact"],
    ] {
        let out = text(&db, &args);
        assert!(!out.contains("林田"), "{args:?}: {out}");
        assert!(
            out.contains("の家庭（K世帯）と連携し見守り"),
            "{args:?}: {out}"
        );
    }
    let ics = text(&db, &["upcoming", "--days", "30", "--format", "ics"]);
    assert!(!ics.contains("髙橋") && !ics.contains("一郎"), "{ics}");
    assert!(ics.contains("LOCATION:区民会館 第2会議室"), "{ics}");
}

/// Finding 10 (privacy, high): a real name was taken as a case's pseudonym — a recorded member's
/// from a meeting book (`髙橋 一郎`), a bare full name (`田中花子`), the facilitator recorded at a
/// meeting (`佐藤 恵子`) in JSON and at the TUI's `n` (the store's `create_case`) — and printed
/// by every redacted copy. Refused now, naming the file and the line or JSON path, in Japanese.
/// Seen failing before: each was accepted.
#[test]
fn a_recorded_person_or_a_bare_full_name_is_refused_as_a_pseudonym() {
    let db = TempDb::new();
    import_json(
        &db,
        &format!(
            r#"{{"format":"renkei/1","bodies":[{COUNCIL}],
 "cases":[{{"id":"c1","pseudonym":"A世帯","opened":"2026-04-10","status":"active",
   "members":[{{"relation":"本人","name":"髙橋 一郎（タカハシ イチロウ）"}}]}}],
 "meetings":[{{"body":"要対協実務者会議","date":"2026-10-15","start":"14:00","status":"held",
   "confidential":true,"cases":["c1"],"facilitator":"佐藤 恵子"}}]}}"#
        ),
    );
    let before = common::dump(&db.open());
    for (i, name) in ["髙橋 一郎", "田中花子", "髙橋", "ヤマダ タロウ"]
        .iter()
        .enumerate()
    {
        let book = db.file(
            &format!("book{i}.csv"),
            format!("開催日,会議体,開催根拠,事例\n2026/10/1,要対協実務者会議,要対協,{name}\n")
                .as_bytes(),
        );
        let out = common::renkei(&db)
            .arg("import")
            .arg(&book)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: accepted");
        assert!(
            err.contains(&format!("book{i}.csv")) && err.contains("2") && err.contains("仮名"),
            "{name}: {err}"
        );
    }
    for name in [
        "佐藤 恵子",
        "鈴木一郎",
        "ヤマダ タロウ",
        "やまだ たろう",
        "髙橋 次郎",
    ] {
        let json = format!(
            r#"{{"format":"renkei/1","cases":[{{"id":"n","pseudonym":"{name}","opened":"2026-05-01","status":"active"}}]}}"#
        );
        let file = db.file("case.json", json.as_bytes());
        let out = common::renkei(&db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: accepted");
        assert!(
            err.contains("case.json") && err.contains("cases[0].pseudonym") && err.contains("仮名"),
            "{name}: {err}"
        );
    }
    assert_eq!(common::dump(&db.open()), before, "nothing changed");
    let mut store = db.open();
    for name in ["佐藤 恵子", "恵子", "髙橋"] {
        let refused = store.create_case(&renkei::store::cases::NewCase {
            pseudonym: name.to_owned(),
            ..Default::default()
        });
        assert!(refused.is_err(), "{name}");
    }
    let refused = store.create_case(&renkei::store::cases::NewCase {
        pseudonym: "恵子".to_owned(),
        ..Default::default()
    });
    let err = refused.unwrap_err().to_string();
    assert!(err.contains("recorded in renkei"), "{err}");
    // A letter, as before, is taken.
    store
        .create_case(&renkei::store::cases::NewCase {
            pseudonym: "C世帯".to_owned(),
            ..Default::default()
        })
        .unwrap();
}

/// Finding 12 (wrong record): an import recorded case reviews at a cancelled meeting and at one
/// planned a month ahead — B世帯's ending filed at a meeting that did not take place — though
/// README says a review is recorded at a meeting begun or held, never at one to come nor at a
/// cancelled one. Refused now, naming the path, in Japanese by default, and nothing changes.
#[test]
fn an_import_records_no_review_at_a_meeting_that_did_not_take_place() {
    for (status, date) in [("cancelled", "2026-11-20"), ("planned", "2026-12-20")] {
        let db = TempDb::new();
        drop(db.open());
        let json = format!(
            r#"{{"format":"renkei/1",
 "bodies":[{{"name":"要対協実務者会議","organiser":"子ども家庭支援課","frequency":"毎月","kind":"要保護児童対策地域協議会","personal_info":true}}],
 "cases":[{{"id":"c1","pseudonym":"B世帯","opened":"2026-04-10","status":"active"}}],
 "meetings":[{{"body":"要対協実務者会議","date":"{date}","start":"14:00","status":"{status}","cases":["c1"],
   "case_reviews":[{{"case":"c1","status":"monitoring","next_review":"2027-01-20","note":"見守り"}}]}}]}}"#
        );
        let file = db.file("in.json", json.as_bytes());
        let before = common::dump(&db.open());
        let out = common::renkei(&db)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{status}: imported");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("meetings[0].status") && err.contains("開催した"),
            "{status}: {err}"
        );
        assert_eq!(
            common::dump(&db.open()),
            before,
            "{status}: nothing changes"
        );
    }
}
