//! Minutes: golden files, CommonMark validity with hostile text, redaction, approval and
//! amendments, carry-over across meetings, and the `minutes` / `approve` commands.

use crate::common;

use common::{TempDb, contains_form, renkei};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use renkei::domain::model::{ActionStatus, Attendance, MeetingStatus, Role};
use renkei::i18n::Lang;
use renkei::minutes::{self, MinutesInput, Options, PersonKind, escape, redact, sample};
use renkei::store::Store;
use renkei::store::import::Parsed;
use renkei::store::interchange::{
    ActionRecord, AgendaRecord, AttendeeRecord, BodyRecord, Document, FORMAT, MeetingRecord,
    RoleRecord,
};
use renkei::store::minutes::ActionEventKind;

// ---------------------------------------------------------------------------------------------
// Helpers

fn demo() -> (TempDb, Store) {
    static DEMO: common::Made = common::Made::new();
    let db = DEMO.copy(|db| {
        let mut store = db.open();
        store.set_user("facilitator");
        renkei::demo::load(&mut store).unwrap();
    });
    let mut store = db.open();
    store.set_user("facilitator");
    (db, store)
}

/// The id of the held (or only) meeting of `body` in the demo data.
fn meeting_of(store: &Store, body: &str, status: MeetingStatus) -> i64 {
    store
        .meetings(None)
        .unwrap()
        .into_iter()
        .find(|m| m.body == body && m.status == status)
        .unwrap_or_else(|| panic!("no {status} meeting of {body}"))
        .id
}

fn input(store: &Store, id: i64) -> MinutesInput {
    store.minutes_input(id).unwrap().unwrap()
}

fn render(input: &MinutesInput, lang: Lang, redact: bool) -> String {
    minutes::render(input, &Options { lang, redact })
}

fn import(store: &mut Store, bodies: Vec<BodyRecord>, meetings: Vec<MeetingRecord>) {
    store
        .import_parsed(&[Parsed {
            source: "test".to_owned(),
            doc: Document {
                format: FORMAT.to_owned(),
                bodies,
                meetings,
                ..Document::default()
            },
        }])
        .unwrap();
}

fn body(name: &str, kind: &str, personal_info: bool) -> BodyRecord {
    BodyRecord {
        name: name.to_owned(),
        organiser: "地域福祉課".to_owned(),
        kind: kind.to_owned(),
        personal_info,
        frequency: "随時".to_owned(),
        ..BodyRecord::default()
    }
}

fn attendee(agency: &str, name: &str, title: &str, role: Role) -> AttendeeRecord {
    AttendeeRecord {
        agency: Some(agency.to_owned()),
        name: name.to_owned(),
        title: title.to_owned(),
        role,
        attendance: Attendance::Present,
        ..AttendeeRecord::default()
    }
}

fn action(agency: &str, text: &str, status: ActionStatus) -> ActionRecord {
    ActionRecord {
        agency: Some(agency.to_owned()),
        text: text.to_owned(),
        due: Some("2026-12-01".to_owned()),
        status,
        ..ActionRecord::default()
    }
}

/// What a CommonMark + GFM reader makes of the minutes.
struct Read {
    text: String,
    tables: usize,
    tasks: usize,
    html: Vec<String>,
    headings: Vec<String>,
}

fn read(markdown: &str) -> Read {
    let options = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_TASKLISTS
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    let mut r = Read {
        text: String::new(),
        tables: 0,
        tasks: 0,
        html: Vec::new(),
        headings: Vec::new(),
    };
    let mut columns = 0;
    let mut cells = 0;
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Table(align)) => {
                r.tables += 1;
                columns = align.len();
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                assert_eq!(
                    cells, columns,
                    "a row of table {} lost its columns",
                    r.tables
                )
            }
            Event::End(TagEnd::TableCell) => r.text.push('\t'),
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => r.headings.extend(heading.take()),
            Event::Text(t) | Event::Code(t) => {
                r.text.push_str(&t);
                if let Some(h) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => r.text.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => r.text.push('\n'),
            Event::TaskListMarker(_) => r.tasks += 1,
            Event::Html(h) | Event::InlineHtml(h) => r.html.push(h.to_string()),
            _ => {}
        }
    }
    r
}

/// Every line of `entered` is in the text a reader sees.
fn assert_kept(read: &Read, entered: &str) {
    for line in escape::visible(entered).lines() {
        assert!(
            read.text.contains(line),
            "{line:?} is missing from the minutes' text"
        );
    }
}

/// Every piece of text a user entered for the meeting.
fn entered_texts(input: &MinutesInput) -> Vec<String> {
    let m = &input.meeting;
    let mut out = vec![
        m.place.clone(),
        m.facilitator.clone(),
        m.recorder.clone(),
        m.handouts.clone(),
        m.remaining_issues.clone(),
        m.support_policy.clone(),
        m.key_person.clone(),
        m.case.clone(),
    ];
    for a in &m.attendees {
        out.extend([a.name.clone(), a.title.clone()]);
        out.extend(a.agency.clone());
    }
    for item in &m.agenda {
        out.extend([item.title.clone(), item.notes_text()]);
        out.extend(item.decision_texts().map(str::to_owned));
    }
    for r in &m.roles {
        out.push(r.role.clone());
        out.extend(r.agency.clone());
    }
    for a in &m.actions {
        out.push(a.text.clone());
        out.extend(a.agency.clone());
    }
    out.extend(input.carried.iter().map(|a| a.text.clone()));
    out.retain(|t| !t.trim().is_empty());
    out
}

fn check_markdown(input: &MinutesInput, lang: Lang) -> Read {
    let md = render(input, lang, false);
    let read = read(&md);
    assert!(
        read.html.is_empty(),
        "raw HTML got through: {:?}",
        read.html
    );
    // A dropped action is struck through, not a task: it was not done.
    let dropped = |s: &ActionStatus| *s == ActionStatus::Dropped;
    let tasks = input
        .meeting
        .actions
        .iter()
        .filter(|a| !dropped(&a.status))
        .count()
        + input.carried.iter().filter(|a| !dropped(&a.status)).count();
    assert_eq!(
        read.tasks, tasks,
        "one task list item per action not dropped"
    );
    for text in entered_texts(input) {
        assert_kept(&read, &text);
    }
    read
}

// ---------------------------------------------------------------------------------------------
// Golden files

#[test]
fn golden_support_meeting_with_confidential_data() {
    let (_db, store) = demo();
    let id = meeting_of(&store, "支援会議", MeetingStatus::Held);
    let md = render(&input(&store, id), Lang::Ja, false);
    assert!(md.contains("社会福祉法第106条の6"));
    assert!(md.contains("令和8年11月3日（火）(2026-11-03)"));
    insta::assert_snapshot!("support_meeting", md);
}

#[test]
fn golden_case_meeting() {
    let (_db, store) = demo();
    let id = meeting_of(
        &store,
        "総合的な支援調整の場（つながる場）",
        MeetingStatus::Held,
    );
    let md = render(&input(&store, id), Lang::Ja, false);
    for section in [
        "## 事例",
        "主担当機関",
        "キーパーソン",
        "危険度",
        "### 支援方針",
    ] {
        assert!(md.contains(section), "{section} missing");
    }
    insta::assert_snapshot!("case_meeting", md);
}

#[test]
fn golden_large_liaison_meeting() {
    let input = sample::large_meeting();
    assert_eq!(input.meeting.attendees.len(), 20);
    assert_eq!(input.meeting.agenda.len(), 10);
    assert_eq!(input.meeting.actions.len(), 30);
    let md = render(&input, Lang::Ja, false);
    assert!(
        !md.contains("取扱注意"),
        "a public liaison meeting has no notice"
    );
    insta::assert_snapshot!("large_liaison_meeting", md);
}

#[test]
fn golden_english() {
    let (_db, store) = demo();
    let id = meeting_of(&store, "支援会議", MeetingStatus::Held);
    let md = render(&input(&store, id), Lang::En, false);
    assert!(md.contains("Article 106-6"));
    insta::assert_snapshot!("support_meeting_en", md);
}

#[test]
fn golden_redacted() {
    let (_db, store) = demo();
    let id = meeting_of(&store, "支援会議", MeetingStatus::Held);
    let md = render(&input(&store, id), Lang::Ja, true);
    insta::assert_snapshot!("support_meeting_redacted", md);
}

// ---------------------------------------------------------------------------------------------
// Valid CommonMark, nothing lost

const HOSTILE_NOTES: &str = "<script>alert('x')</script>\n# 見出しではない\n- 箇条書きではない\n\
    | a | b |\n|---|---|\n1. 番号でもない\n`code` と ``more``\n*強調* _下線_ **太字** ~~取消~~\n\
    [リンク](http://example.com) &amp; \\ 終わり\\";

/// A night meeting's end is the next day's, and its minutes say so as the listings do:
/// `23:30〜翌00:40` (`23:30–+1 00:40`); it read `23:30〜00:40`, its end before its start (attack
/// on the files, 2026-12-05). A meeting of one day says no 翌.
#[test]
fn a_night_meetings_minutes_say_its_end_is_the_next_day() {
    let (_db, mut store) = demo();
    let night = |date: &str, start: &str, end: &str| MeetingRecord {
        body: "夜間の会議".to_owned(),
        date: date.to_owned(),
        start: Some(start.to_owned()),
        end: Some(end.to_owned()),
        end_date: (end < start).then(|| "2026-11-21".to_owned()),
        status: MeetingStatus::Held,
        ..MeetingRecord::default()
    };
    import(
        &mut store,
        vec![body("夜間の会議", "", false)],
        vec![
            night("2026-11-20", "23:30", "00:40"),
            night("2026-11-19", "10:00", "11:30"),
        ],
    );
    let late = meeting_of_date(&store, "2026-11-20");
    let ja = render(&input(&store, late), Lang::Ja, false);
    assert!(ja.contains("23:30〜翌00:40"), "{ja}");
    let en = render(&input(&store, late), Lang::En, false);
    assert!(en.contains("23:30–+1 00:40"), "{en}");
    let day = meeting_of_date(&store, "2026-11-19");
    let ja = render(&input(&store, day), Lang::Ja, false);
    assert!(ja.contains("10:00〜11:30") && !ja.contains("翌"), "{ja}");
}

/// The id of the meeting of 夜間の会議 on `date`.
fn meeting_of_date(store: &Store, date: &str) -> i64 {
    store
        .meetings(None)
        .unwrap()
        .into_iter()
        .find(|m| m.body == "夜間の会議" && m.date.to_string() == date)
        .unwrap()
        .id
}

fn hostile_meeting() -> MeetingRecord {
    MeetingRecord {
        body: "| 悪意ある * 会議体 |".to_owned(),
        date: "2026-11-20".to_owned(),
        start: Some("14:00".to_owned()),
        end: Some("15:00".to_owned()),
        place: "第1会議室 | 2F *奥*".to_owned(),
        status: MeetingStatus::Held,
        confidential: Some(true),
        basis: "本人同意".to_owned(),
        case: "`X`世帯".to_owned(),
        case_subject: "山田 花子".to_owned(),
        facilitator: "佐藤 健一".to_owned(),
        recorder: "Smith_John | Jr".to_owned(),
        lead_agency: Some("地域福祉課 | 相談係".to_owned()),
        key_person: "長女 山田 恵子（市外）".to_owned(),
        risk: "高 <b>".to_owned(),
        urgency: "中 #1".to_owned(),
        support_policy: "花子さんの意向を尊重する。\n- 佐藤係長が全体を調整\n> 引用ではない"
            .to_owned(),
        handouts: "資料1 | 概要\n- 資料2\n<資料3>".to_owned(),
        remaining_issues: "山田さんの住まい｜全角バー\n\n二行目 `x`".to_owned(),
        attendees: vec![
            attendee("地域福祉課", "佐藤 健一", "係長*代理", Role::Facilitator),
            attendee("地域福祉課", "Smith_John | Jr", "主事", Role::Recorder),
            attendee("健康推進課", "高橋 由美", "保健師 | 地区担当", Role::Member),
            AttendeeRecord {
                agency: None,
                name: "山田 花子".to_owned(),
                title: String::new(),
                role: Role::Person,
                attendance: Attendance::Absent,
                ..AttendeeRecord::default()
            },
        ],
        agenda: vec![
            AgendaRecord {
                title: "# 議題 | その1 *重要*".to_owned(),
                planned_min: Some(10),
                notes: vec![HOSTILE_NOTES.into()],
                decisions: vec![
                    "高橋 由美が `訪問` を担当 | 週1回".into(),
                    "山田花子さんに *メール* で伝える\n二行目も決定".into(),
                ],
                started_at: Some("2026-11-20T14:00:00+09:00".to_owned()),
                ended_at: Some("2026-11-20T14:12:00+09:00".to_owned()),
                ..AgendaRecord::default()
            },
            AgendaRecord {
                title: "- その他".to_owned(),
                planned_min: None,
                notes: Vec::new(),
                decisions: Vec::new(),
                ..AgendaRecord::default()
            },
        ],
        roles: vec![
            RoleRecord {
                agency: Some("健康推進課".to_owned()),
                role: "訪問 | 見守り\n高橋さんが担当".to_owned(),
                ..RoleRecord::default()
            },
            RoleRecord {
                agency: None,
                role: "未定 *要確認*".to_owned(),
                ..RoleRecord::default()
            },
        ],
        actions: vec![
            action(
                "地域福祉課",
                "佐藤さんが ~~x~~ [link](y) _z_ を確認",
                ActionStatus::Open,
            ),
            action(
                "健康推進課",
                "1. 高橋 由美が訪問\n2. 結果を共有",
                ActionStatus::Done,
            ),
            action(
                "地域福祉課",
                "<img src=x> 取りやめた対応 | 山田",
                ActionStatus::Dropped,
            ),
            ActionRecord {
                agency: None,
                text: "機関未定の対応 `a|b`".to_owned(),
                due: None,
                status: ActionStatus::Open,
                ..ActionRecord::default()
            },
        ],
        issues: vec!["経済的困窮 | 住まい".into()],
        ..MeetingRecord::default()
    }
}

fn hostile_store() -> (TempDb, Store, i64) {
    let db = TempDb::new();
    let mut store = db.open();
    import(
        &mut store,
        vec![body("| 悪意ある * 会議体 |", "支援会議", true)],
        vec![hostile_meeting()],
    );
    let id = store.meetings(None).unwrap()[0].id;
    (db, store, id)
}

#[test]
fn hostile_text_stays_text_and_tables_keep_their_columns() {
    let (_db, store, id) = hostile_store();
    let input = input(&store, id);
    for lang in [Lang::Ja, Lang::En] {
        let read = check_markdown(&input, lang);
        assert_eq!(read.tables, 2, "attendees and roles");
        assert_kept(&read, HOSTILE_NOTES);
        assert_kept(&read, "| 悪意ある * 会議体 |");
    }
    let md = render(&input, Lang::Ja, false);
    assert!(
        md.contains("\\<script\\>") && md.contains("\\<img src=x\\>"),
        "{md}"
    );
    let read = read(&md);
    // Only the minutes' own headings: nothing typed became one.
    assert!(read.headings.iter().all(|h| !h.contains("見出しではない")));
    assert!(
        read.headings
            .contains(&"1. # 議題 | その1 *重要*".to_owned())
    );
}

#[test]
fn every_demo_meeting_renders_as_valid_markdown() {
    let (_db, store) = demo();
    for m in store.meetings(None).unwrap() {
        let input = input(&store, m.id);
        for lang in [Lang::Ja, Lang::En] {
            check_markdown(&input, lang);
            let redacted = read(&render(&input, lang, true));
            assert!(redacted.html.is_empty());
        }
    }
    check_markdown(&sample::large_meeting(), Lang::Ja);
    check_markdown(&sample::large_meeting(), Lang::En);
}

// ---------------------------------------------------------------------------------------------
// Redaction

/// The forms of a name that must not survive: as written, without spaces, the family name alone.
fn name_forms(name: &str) -> Vec<String> {
    let parts: Vec<&str> = name.split_whitespace().collect();
    let mut out = vec![parts.join(" "), parts.concat()];
    if parts.len() >= 2 && parts[0].chars().count() >= 2 {
        out.push(parts[0].to_owned());
    }
    out
}

fn assert_no_name_survives(input: &MinutesInput) {
    let names: Vec<String> = redact::recorded_people(input)
        .into_iter()
        .filter(|p| p.kind != PersonKind::Login)
        .map(|p| p.name)
        .collect();
    for lang in [Lang::Ja, Lang::En] {
        let md = render(input, lang, true);
        let text = read(&md).text;
        for name in &names {
            for form in name_forms(name) {
                assert!(
                    !md.contains(&form) && !text.contains(&form),
                    "{form:?} survived redaction ({lang:?}):\n{md}"
                );
            }
        }
    }
}

#[test]
fn no_recorded_name_survives_redaction_even_in_free_text() {
    let (_db, mut store, id) = hostile_store();
    store.set_user("tester");
    store.approve_minutes(id).unwrap();
    store
        .amend_meeting_field(id, "facilitator", "佐々木 一郎")
        .unwrap();
    store
        .amend_meeting_field(id, "key_person", "長女 山田 恵美")
        .unwrap();
    let input = input(&store, id);
    let names: Vec<String> = redact::recorded_people(&input)
        .into_iter()
        .map(|p| p.name)
        .collect();
    for expected in [
        "佐藤 健一",
        "佐々木 一郎",
        "山田 花子",
        "山田 恵子",
        "山田 恵美",
        "高橋 由美",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not recorded"
        );
    }
    assert_no_name_survives(&input);

    let md = render(&input, Lang::Ja, true);
    // The case subject takes the case's letter; the same person keeps one letter throughout.
    assert!(md.contains("`X`世帯") || md.contains("\\`X\\`世帯"));
    assert!(!md.contains("高橋 由美"));
    let takahashi = md
        .lines()
        .find(|l| l.contains("健康推進課") && l.contains("保健師"))
        .unwrap();
    let letter = takahashi.split(" | ").nth(1).unwrap().trim().to_owned();
    assert!(letter.ends_with('氏'), "{takahashi}");
    assert!(
        md.contains(&format!("{letter}が \\`訪問\\` を担当")),
        "{md}"
    );
    // Agencies stay, and the approver's login is left out.
    assert!(md.contains("健康推進課") && md.contains("地域福祉課"));
    assert!(!md.contains("tester"));
    assert!(render(&input, Lang::Ja, false).contains("tester"));
}

#[test]
fn no_recorded_name_survives_in_any_demo_meeting() {
    let (_db, store) = demo();
    for m in store.meetings(None).unwrap() {
        assert_no_name_survives(&input(&store, m.id));
    }
    assert_no_name_survives(&sample::large_meeting());
}

#[test]
fn placeholders_follow_first_appearance() {
    let input = sample::large_meeting();
    let md = render(&input, Lang::Ja, true);
    let a = md.find("A氏").unwrap();
    let b = md.find("B氏").unwrap();
    let c = md.find("C氏").unwrap();
    assert!(a < b && b < c);
    // The facilitator is the first name in the header.
    assert!(md.contains("- **司会**：A氏"));
    assert!(md.contains("- **記録**：B氏"));
}

// ---------------------------------------------------------------------------------------------
// Redaction that holds: one golden file per leak found by hand (issue 15)

/// A held case meeting of a confidential body, changed by `edit`, imported, and its input read
/// back from the store.
fn case_meeting(edit: impl FnOnce(&mut MeetingRecord)) -> (TempDb, Store, i64) {
    let db = TempDb::new();
    let mut store = db.open();
    let mut m = MeetingRecord {
        body: "個別ケース会議".to_owned(),
        date: "2026-11-20".to_owned(),
        start: Some("14:00".to_owned()),
        end: Some("15:00".to_owned()),
        place: "区役所 第2会議室".to_owned(),
        status: MeetingStatus::Held,
        confidential: Some(true),
        basis: "要対協".to_owned(),
        case: "A世帯".to_owned(),
        lead_agency: Some("子ども家庭支援センター".to_owned()),
        risk: "高".to_owned(),
        urgency: "中".to_owned(),
        facilitator: "中川 明".to_owned(),
        recorder: "大西 優".to_owned(),
        attendees: vec![
            attendee(
                "子ども家庭支援センター",
                "中川 明",
                "係長",
                Role::Facilitator,
            ),
            attendee("子ども家庭支援センター", "大西 優", "主事", Role::Recorder),
        ],
        ..MeetingRecord::default()
    };
    edit(&mut m);
    import(
        &mut store,
        vec![body("個別ケース会議", "個別ケース会議", true)],
        vec![m],
    );
    let id = store.meetings(None).unwrap()[0].id;
    (db, store, id)
}

fn agenda(title: &str, notes: &str, decisions: &[&str]) -> AgendaRecord {
    AgendaRecord {
        title: title.to_owned(),
        planned_min: Some(10),
        notes: if notes.is_empty() {
            Vec::new()
        } else {
            vec![notes.into()]
        },
        decisions: decisions.iter().map(|d| (*d).into()).collect(),
        ..AgendaRecord::default()
    }
}

/// The redacted minutes of `id`, checked: no form of any name in `forbidden` is in the Markdown
/// or in the text a reader sees, whatever its width or case.
fn redacted_without(store: &Store, id: i64, lang: Lang, forbidden: &[&str]) -> String {
    let md = render(&input(store, id), lang, true);
    let seen = read(&md).text;
    for text in [&md, &seen] {
        let folded = redact::fold_str(text);
        for name in forbidden {
            let form = redact::fold_str(name);
            assert!(
                !contains_form(&folded, &form),
                "{name:?} survived redaction ({lang:?}):\n{md}"
            );
        }
    }
    md
}

#[test]
fn golden_leak_the_subject_named_in_notes_and_case_name() {
    // A case name that names the person is refused (issue 17): lists and minutes show it.
    let db = TempDb::new();
    let mut store = db.open();
    let err = store
        .import_parsed(&[Parsed {
            source: "test".to_owned(),
            doc: Document {
                format: FORMAT.to_owned(),
                bodies: vec![body("個別ケース会議", "個別ケース会議", true)],
                meetings: vec![MeetingRecord {
                    body: "個別ケース会議".to_owned(),
                    date: "2026-11-20".to_owned(),
                    case: "事例：山田太郎さん世帯".to_owned(),
                    ..MeetingRecord::default()
                }],
                ..Document::default()
            },
        }])
        .unwrap_err()
        .to_string();
    assert!(err.contains("事例：山田太郎さん世帯"), "{err}");
    assert!(err.contains("name"), "{err}");
    let (_db, store, id) = case_meeting(|m| {
        m.agenda = vec![agenda(
            "事例の概要",
            "山田太郎さん（本人）は日中独居。山田太郎の長男が同居。",
            &["山田さんの意向を確認する"],
        )];
        m.support_policy = "太郎さんの安全を最優先する。".to_owned();
    });
    let md = redacted_without(&store, id, Lang::Ja, &["山田", "太郎"]);
    insta::assert_snapshot!("leak_subject_in_notes_and_case_name", md);
}

#[test]
fn golden_leak_recorded_name_without_space_or_with_honorific() {
    let (_db, store, id) = case_meeting(|m| {
        m.case_subject = "佐藤花子".to_owned();
        m.agenda = vec![agenda(
            "佐藤さんの近況",
            "花子さんは通院を再開。佐藤 花子様より電話あり。",
            &["花子さんに週1回連絡する"],
        )];
        m.support_policy = "佐藤さんの意向を尊重し、花子さんの通院を支える。".to_owned();
        m.remaining_issues = "佐藤花子氏の住まい".to_owned();
    });
    let forbidden = ["佐藤", "花子"];
    let md = redacted_without(&store, id, Lang::Ja, &forbidden);
    assert!(md.contains("### 1. A氏の近況"), "{md}");
    insta::assert_snapshot!("leak_unspaced_and_honorific", md);
    let en = redacted_without(&store, id, Lang::En, &forbidden);
    assert!(en.contains("### 1. Person Aの近況"), "{en}");
}

#[test]
fn golden_leak_one_character_family_names() {
    let (_db, store, id) = case_meeting(|m| {
        m.facilitator = "林".to_owned();
        m.case_subject = "東".to_owned();
        m.attendees = vec![
            attendee("地域福祉課", "林", "係長", Role::Facilitator),
            attendee("民生委員", "森", "民生委員", Role::Member),
        ];
        m.agenda = vec![agenda(
            "見守り",
            "林係長が説明。森さんが見守り。東さんは不在。\n出席：林、森\n林業の仕事を探す。森林公園を散歩。東京の親族。",
            &[],
        )];
    });
    let md = redacted_without(
        &store,
        id,
        Lang::Ja,
        &["林係長", "森さん", "東さん", "| 林 |"],
    );
    assert!(md.contains("- **司会**：B氏"), "{md}");
    for kept in ["林業", "森林", "東京"] {
        assert!(md.contains(kept), "{kept} is an ordinary word:\n{md}");
    }
    insta::assert_snapshot!("leak_one_character_names", md);
}

#[test]
fn golden_leak_one_character_given_name() {
    let (_db, store, id) = case_meeting(|m| {
        m.recorder = "林 学".to_owned();
        m.attendees[1].name = "林 学".to_owned();
        m.agenda = vec![agenda(
            "補足",
            "学さんが補足。大学との連絡は林が担当。",
            &[],
        )];
    });
    let md = redacted_without(&store, id, Lang::Ja, &["学さん", "林 学", "林学", "林が"]);
    assert!(md.contains("大学との連絡"), "{md}");
    insta::assert_snapshot!("leak_one_character_given_name", md);
}

#[test]
fn golden_leak_person_of_an_earlier_meeting_in_a_carried_action() {
    let db = TempDb::new();
    let mut store = db.open();
    let earlier = MeetingRecord {
        body: "個別ケース会議".to_owned(),
        date: "2026-10-20".to_owned(),
        status: MeetingStatus::Held,
        confidential: Some(true),
        attendees: vec![attendee(
            "児童相談所",
            "木下 大輔",
            "児童福祉司",
            Role::Member,
        )],
        actions: vec![action(
            "児童相談所",
            "木下大輔宅を家庭訪問し、木下の帰宅時間を確認",
            ActionStatus::Open,
        )],
        ..MeetingRecord::default()
    };
    let later = MeetingRecord {
        date: "2026-11-20".to_owned(),
        attendees: vec![attendee("児童相談所", "中川 明", "係長", Role::Facilitator)],
        actions: Vec::new(),
        ..earlier.clone()
    };
    import(
        &mut store,
        vec![body("個別ケース会議", "個別ケース会議", true)],
        vec![earlier, later],
    );
    let id = store.meetings(None).unwrap()[0].id;
    let input = input(&store, id);
    assert_eq!(input.carried.len(), 1);
    assert!(
        input.people.iter().any(|p| p.name == "木下 大輔"),
        "the store gives the people of the earlier meeting: {:?}",
        input.people
    );
    let md = redacted_without(&store, id, Lang::Ja, &["木下", "大輔"]);
    insta::assert_snapshot!("leak_carried_action_names_earlier_person", md);
}

#[test]
fn golden_leak_person_in_an_agency_field() {
    let (_db, store, id) = case_meeting(|m| {
        m.attendees
            .push(attendee("佐藤 恵子（長女）", "", "", Role::Family));
        m.roles = vec![RoleRecord {
            agency: Some("佐藤 恵子（長女）".to_owned()),
            role: "週末の見守り".to_owned(),
            ..RoleRecord::default()
        }];
        m.actions = vec![action(
            "佐藤 恵子（長女）",
            "通院に付き添う",
            ActionStatus::Open,
        )];
        m.agenda = vec![agenda(
            "家族の協力",
            "恵子さんが週末に来訪。佐藤恵子より連絡。",
            &[],
        )];
    });
    let md = redacted_without(&store, id, Lang::Ja, &["佐藤", "恵子"]);
    assert!(md.contains("（長女）"), "the relation stays: {md}");
    assert!(md.contains("子ども家庭支援センター"), "agencies stay");
    insta::assert_snapshot!("leak_person_in_agency_field", md);
}

#[test]
fn golden_leak_latin_names_in_other_cases_and_widths() {
    let (_db, store, id) = case_meeting(|m| {
        m.attendees
            .push(attendee("国際交流協会", "Ann Lee", "通訳", Role::Member));
        m.agenda = vec![agenda(
            "通訳",
            "ann lee が同席。ANN LEE より報告。Ms. Lee は来週不在。Ｌｅｅさんに連絡。Lee-san, Lée.",
            &[],
        )];
    });
    for lang in [Lang::Ja, Lang::En] {
        let md = redacted_without(&store, id, lang, &["ann", "lee"]);
        let name = if lang == Lang::Ja {
            "leak_latin_names"
        } else {
            "leak_latin_names_en"
        };
        insta::assert_snapshot!(name, md);
    }
}

#[test]
fn golden_leak_spacing_variants() {
    let (_db, store, id) = case_meeting(|m| {
        m.attendees.push(attendee(
            "生活福祉課",
            "佐藤  恵子",
            "ケースワーカー",
            Role::Member,
        ));
        m.agenda = vec![agenda(
            "生活",
            "佐藤\t恵子が訪問。佐藤　恵子と同行。佐藤\n恵子",
            &[],
        )];
    });
    let md = redacted_without(&store, id, Lang::Ja, &["佐藤", "恵子"]);
    assert!(!md.contains("氏  恵子") && !md.contains("氏\t"), "{md}");
    insta::assert_snapshot!("leak_spacing_variants", md);
}

#[test]
fn golden_leak_readings_and_variant_kanji() {
    let (_db, store, id) = case_meeting(|m| {
        m.case_subject = "佐藤 花子（サトウ ハナコ）".to_owned();
        m.attendees
            .push(attendee("保健相談所", "髙橋 由美", "保健師", Role::Member));
        m.attendees.push(attendee(
            "地域包括支援センター",
            "山﨑 亮",
            "社会福祉士",
            Role::Member,
        ));
        m.agenda = vec![agenda(
            "近況",
            "サトウ ハナコさんから電話。ﾊﾅｺさんは元気。はなこさんの妹も来所。\n高橋保健師と山崎さんが訪問。Hanako Sato と Ms. Takahashi にも共有。",
            &[],
        )];
    });
    let forbidden = [
        "佐藤",
        "花子",
        "サトウ",
        "ハナコ",
        "高橋",
        "山崎",
        "hanako",
        "takahashi",
        "sato",
    ];
    let md = redacted_without(&store, id, Lang::Ja, &forbidden);
    assert!(
        md.contains("A氏から電話"),
        "the case subject takes the case's letter: {md}"
    );
    insta::assert_snapshot!("leak_readings_and_variants", md);
}

#[test]
fn the_report_counts_placeholders_and_warns_without_names() {
    let (_db, store, id) = case_meeting(|m| {
        m.agenda = vec![agenda(
            "連絡",
            "中川係長から説明。山本係長に確認。John Smith から電話。",
            &[],
        )];
    });
    let redacted = minutes::render_redacted(&input(&store, id), Lang::Ja);
    assert_eq!(
        redacted.markdown,
        render(&input(&store, id), Lang::Ja, true)
    );
    let report = &redacted.report;
    let counts: Vec<(&str, usize)> = report
        .replacements
        .iter()
        .map(|r| (r.placeholder.as_str(), r.count))
        .collect();
    // A is the case's letter (A世帯): nobody else takes it.
    assert_eq!(counts, [("B氏", 3), ("C氏", 2)]);
    let line = report.replacements_line(Lang::Ja);
    assert!(!line.contains("中川") && !line.contains("大西"), "{line}");
    let suspects: Vec<&str> = report.suspects.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(suspects, ["山本係長", "John Smith"]);
    let lines = report.suspect_lines(Lang::Ja);
    let at = report.suspects[0].line.unwrap();
    assert!(
        redacted
            .markdown
            .lines()
            .nth(at - 1)
            .unwrap()
            .contains("山本係長")
    );
    assert!(
        lines[0].starts_with(&format!("{at}行目：「山本係長」")),
        "{lines:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Approval and amendments

#[test]
fn editing_a_draft_is_not_an_amendment_but_editing_approved_minutes_is() {
    let (_db, mut store) = demo();
    let id = meeting_of(&store, "支援会議", MeetingStatus::Held);
    store
        .amend_meeting_field(id, "place", "区役所 第5会議室")
        .unwrap();
    assert!(store.amendments(id).unwrap().is_empty());
    let logged: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM changes WHERE meeting_id = ?1 AND field = 'place' AND amendment = 0",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        logged, 1,
        "a draft edit is still logged, just not as an amendment"
    );
    let draft = render(&input(&store, id), Lang::Ja, false);
    assert!(draft.contains("案（未承認）") && !draft.contains("修正履歴"));

    store.approve_minutes(id).unwrap();
    let again = store.approve_minutes(id).unwrap_err().to_string();
    assert!(again.contains("already approved"), "{again}");
    let approved = render(&input(&store, id), Lang::Ja, false);
    assert!(approved.contains("承認済み（2026-11-21 10:00、facilitator）"));
    assert!(
        approved.trim_end().ends_with("## 修正履歴\n\nなし"),
        "{approved}"
    );

    store
        .amend_meeting_field(id, "place", "区役所 第3会議室")
        .unwrap();
    store
        .amend_meeting_field(id, "remaining_issues", "国保料の滞納 | 解消済み")
        .unwrap();
    let action = action_id(&store, "収入申告の様式を子経由で届ける");
    store
        .close_action(action, ActionStatus::Done, None)
        .unwrap();
    // The same value again is not a change.
    store
        .amend_meeting_field(id, "place", "区役所 第3会議室")
        .unwrap();

    let amendments = store.amendments(id).unwrap();
    let fields: Vec<&str> = amendments.iter().map(|a| a.field.as_str()).collect();
    assert_eq!(fields, ["place", "remaining_issues", "status"]);
    assert_eq!(amendments[0].old_value.as_deref(), Some("区役所 第5会議室"));
    assert_eq!(amendments[0].by, "facilitator");
    assert_eq!(amendments[2].subject, "収入申告の様式を子経由で届ける");

    let md = render(&input(&store, id), Lang::Ja, false);
    let history = &md[md.find("## 修正履歴").unwrap()..];
    assert!(!history[3..].contains("\n## "), "amendments come last");
    assert!(history.contains(
        "| 2026-11-21 10:00 | facilitator | 場所 | 区役所 第5会議室 | 区役所 第3会議室 |"
    ));
    assert!(
        history.contains("本人確認と居住実態の確認ができず"),
        "previous text kept"
    );
    assert!(history.contains("国保料の滞納 \\| 解消済み"));
    assert!(
        history.contains("次回までの対応の状態（収入申告の様式を子経由で届ける） | 未完了 | 完了")
    );
    check_markdown(&input(&store, id), Lang::Ja);
    check_markdown(&input(&store, id), Lang::En);
    insta::assert_snapshot!("approved_with_amendments", history);
}

/// Attack report 4a: after approval a new note, attendee, action, role, issue or agenda item
/// was shown inline while the minutes still said 承認済み and 修正履歴 listed only edits. Each
/// addition is now an amendment naming what was added; before approval it is not.
#[test]
fn a_capture_added_after_approval_is_an_amendment() {
    let (_db, mut store) = demo();
    let id = meeting_of(&store, "支援会議", MeetingStatus::Held);
    let item: i64 = store
        .conn()
        .query_row(
            "SELECT id FROM agenda_items WHERE meeting_id = ?1 ORDER BY position LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    store
        .add_entry(item, renkei::domain::model::EntryKind::Note, "承認前のメモ")
        .unwrap();
    assert!(
        store.amendments(id).unwrap().is_empty(),
        "a draft grows freely"
    );

    store.approve_minutes(id).unwrap();
    store
        .add_entry(item, renkei::domain::model::EntryKind::Note, "承認後のメモ")
        .unwrap();
    store
        .add_attendee(
            id,
            None,
            "追加 花子",
            "相談員",
            Role::Member,
            Attendance::Present,
        )
        .unwrap();
    store.add_action(id, None, "承認後の対応", None).unwrap();
    store.add_role(id, None, "承認後の役割").unwrap();
    store.add_case_issue(id, "承認後の課題").unwrap();
    store.add_agenda_item(id, "承認後の議題", None).unwrap();

    let amendments = store.amendments(id).unwrap();
    let added: Vec<(&str, &str)> = amendments
        .iter()
        .map(|a| (a.entity.as_str(), a.subject.as_str()))
        .collect();
    assert_eq!(
        added,
        [
            ("agenda_entry", "承認後のメモ"),
            ("attendee", "追加 花子"),
            ("next_action", "承認後の対応"),
            ("role_assignment", "承認後の役割"),
            ("case_issue", "承認後の課題"),
            ("agenda_item", "承認後の議題"),
        ]
    );
    assert!(amendments.iter().all(|a| a.field == "added"));
    let md = render(&input(&store, id), Lang::Ja, false);
    let history = &md[md.find("## 修正履歴").unwrap()..];
    assert!(
        history.contains("| facilitator | 承認後の追加（承認後のメモ） | なし | 追加 |"),
        "{history}"
    );
    assert!(!history.contains("承認前のメモ"), "{history}");
    let en = render(&input(&store, id), Lang::En, false);
    assert!(
        en.contains("Added after approval (承認後の対応) | none | added"),
        "{en}"
    );
    // Redacted, the added attendee's name is not in the history.
    let redacted = render(&input(&store, id), Lang::Ja, true);
    assert!(!redacted.contains("追加 花子"), "{redacted}");
    check_markdown(&input(&store, id), Lang::Ja);
}

#[test]
fn only_held_meetings_can_be_approved_and_fields_are_checked() {
    let (_db, mut store) = demo();
    let planned = meeting_of(&store, "コア会議", MeetingStatus::Planned);
    let err = store.approve_minutes(planned).unwrap_err().to_string();
    assert!(err.contains("has not been held"), "{err}");
    let err = store.approve_minutes(99_999).unwrap_err().to_string();
    assert!(err.contains("meeting 99999 not found"), "{err}");
    let err = store
        .amend_meeting_field(planned, "body_id", "1")
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown meeting field 'body_id'"), "{err}");
    let err = store
        .amend_meeting_field(planned, "next_meeting", "来月")
        .unwrap_err()
        .to_string();
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    store
        .amend_meeting_field(planned, "next_meeting", "2026-12-24")
        .unwrap();
    assert_eq!(
        input(&store, planned).next_meeting.as_deref(),
        Some("2026-12-24")
    );
}

// ---------------------------------------------------------------------------------------------
// Carry-over

fn action_id(store: &Store, text: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT id FROM next_actions WHERE text = ?1", [text], |r| {
            r.get(0)
        })
        .unwrap()
}

fn meeting_on(date: &str, status: MeetingStatus, actions: Vec<ActionRecord>) -> MeetingRecord {
    MeetingRecord {
        body: "地域ケア連絡会".to_owned(),
        date: date.to_owned(),
        start: Some("10:00".to_owned()),
        place: "区役所 会議室".to_owned(),
        status,
        actions,
        ..MeetingRecord::default()
    }
}

/// Four meetings of one body: three held (with actions created at the first), one planned.
fn three_meetings() -> (TempDb, Store, [i64; 4]) {
    let db = TempDb::new();
    let mut store = db.open();
    import(
        &mut store,
        vec![body("地域ケア連絡会", "連絡会", false)],
        vec![
            meeting_on(
                "2026-09-01",
                MeetingStatus::Held,
                vec![
                    action(
                        "地域包括支援センター",
                        "見守り体制を整える",
                        ActionStatus::Open,
                    ),
                    action("社会福祉協議会", "会場を押さえる", ActionStatus::Done),
                    action("保健相談所", "講座の案内を配る", ActionStatus::Open),
                    action("地域福祉課", "名簿を更新する", ActionStatus::Open),
                ],
            ),
            meeting_on("2026-10-01", MeetingStatus::Held, Vec::new()),
            meeting_on("2026-11-01", MeetingStatus::Held, Vec::new()),
            meeting_on("2026-12-01", MeetingStatus::Planned, Vec::new()),
        ],
    );
    // Newest first, so reversed: meeting 1 to 4.
    let ids: Vec<i64> = store
        .meetings(None)
        .unwrap()
        .iter()
        .rev()
        .map(|m| m.id)
        .collect();
    (db, store, [ids[0], ids[1], ids[2], ids[3]])
}

fn carried_texts(store: &Store, meeting: i64) -> Vec<(String, ActionStatus)> {
    store
        .carried_actions(meeting)
        .unwrap()
        .into_iter()
        .map(|a| (a.text, a.status))
        .collect()
}

#[test]
fn open_actions_are_carried_until_closed_and_closing_updates_the_original() {
    let (_db, mut store, [m1, m2, m3, m4]) = three_meetings();
    let watch = action_id(&store, "見守り体制を整える");
    let leaflet = action_id(&store, "講座の案内を配る");
    let roster = action_id(&store, "名簿を更新する");

    // Before anything is closed, every open action of meeting 1 is carried to every later one;
    // the action done at meeting 1 never is.
    for m in [m2, m3, m4] {
        assert_eq!(carried_texts(&store, m).len(), 3, "meeting {m}");
    }
    assert!(carried_texts(&store, m1).is_empty());

    store.approve_minutes(m1).unwrap();
    store
        .close_action(leaflet, ActionStatus::Dropped, Some(m2))
        .unwrap();
    store
        .close_action(watch, ActionStatus::Done, Some(m3))
        .unwrap();
    // Closed outside any meeting, today (2026-11-21): after meeting 3, before meeting 4.
    store
        .close_action(roster, ActionStatus::Done, None)
        .unwrap();

    let at2 = carried_texts(&store, m2);
    assert_eq!(
        at2,
        [
            ("見守り体制を整える".to_owned(), ActionStatus::Done),
            ("講座の案内を配る".to_owned(), ActionStatus::Dropped),
            ("名簿を更新する".to_owned(), ActionStatus::Done),
        ]
    );
    let at3 = carried_texts(&store, m3);
    assert_eq!(
        at3,
        [
            ("見守り体制を整える".to_owned(), ActionStatus::Done),
            ("名簿を更新する".to_owned(), ActionStatus::Done),
        ]
    );
    assert!(carried_texts(&store, m4).is_empty());
    let carried = store.carried_actions(m3).unwrap();
    assert_eq!(carried[0].from_meeting, m1);
    assert_eq!(carried[0].from_date, "2026-09-01");
    assert_eq!(carried[0].closed_in, Some(m3));

    // The original row changed, and the change is an amendment of meeting 1's approved minutes.
    let original = store.meeting_record(m1).unwrap().unwrap();
    let watch_record = original
        .actions
        .iter()
        .find(|a| a.text == "見守り体制を整える")
        .unwrap();
    assert_eq!(watch_record.status, ActionStatus::Done);
    let amendments = store.amendments(m1).unwrap();
    assert_eq!(amendments.len(), 3);
    assert!(amendments.iter().all(|a| a.entity == "next_action"));

    // History: created at 1, carried to 2 and 3, done at 3.
    let history = store.action_history(watch).unwrap();
    let steps: Vec<(ActionEventKind, Option<i64>)> =
        history.iter().map(|e| (e.kind, e.meeting_id)).collect();
    assert_eq!(
        steps,
        [
            (ActionEventKind::Created, Some(m1)),
            (ActionEventKind::CarriedTo, Some(m2)),
            (ActionEventKind::CarriedTo, Some(m3)),
            (ActionEventKind::Done, Some(m3)),
        ]
    );
    let lines: Vec<String> = history.iter().map(|e| e.describe(Lang::Ja)).collect();
    assert_eq!(
        lines,
        [
            format!("会議 #{m1}（2026-09-01（火））で作成"),
            format!("会議 #{m2}（2026-10-01（木））に継続"),
            format!("会議 #{m3}（2026-11-01（日））に継続"),
            format!("会議 #{m3}（2026-11-01（日））で完了"),
        ]
    );

    // The minutes of meeting 3 list them with their state now.
    let md = render(&input(&store, m3), Lang::Ja, false);
    let section =
        &md[md.find("## 前回からの継続事項").unwrap()..md.find("## 残された課題").unwrap()];
    assert!(section.contains(
        "- [x] **地域包括支援センター**：見守り体制を整える（期限 2026-12-01（火）、2026-09-01（火）の会議から） — 現在：完了（本会議で）"
    ), "{section}");
    assert!(section.contains("名簿を更新する"));
    assert!(!section.contains("講座の案内を配る"));
    let md2 = render(&input(&store, m2), Lang::Ja, false);
    assert!(
        md2.contains("- ~~**保健相談所**：講座の案内を配る~~ （取りやめ）"),
        "{md2}"
    );

    // Reopening clears the close and carries it on again.
    store.close_action(watch, ActionStatus::Open, None).unwrap();
    let (closed_at, closed_in): (Option<String>, Option<i64>) = store
        .conn()
        .query_row(
            "SELECT closed_at, closed_in FROM next_actions WHERE id = ?1",
            [watch],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((closed_at, closed_in), (None, None));
    assert_eq!(
        carried_texts(&store, m4),
        [("見守り体制を整える".to_owned(), ActionStatus::Open)]
    );
    let last = store.action_history(watch).unwrap();
    assert_eq!(last.last().unwrap().kind, ActionEventKind::Reopened);
    assert!(
        store
            .close_action(99_999, ActionStatus::Done, None)
            .is_err()
    );
    assert!(
        store
            .close_action(watch, ActionStatus::Done, Some(99_999))
            .is_err()
    );
}

#[test]
fn the_next_meeting_is_the_recorded_date_or_the_next_of_the_body() {
    let (_db, store, [m1, _, m3, m4]) = three_meetings();
    assert_eq!(
        input(&store, m1).next_meeting.as_deref(),
        Some("2026-10-01")
    );
    assert_eq!(
        input(&store, m3).next_meeting.as_deref(),
        Some("2026-12-01")
    );
    assert_eq!(input(&store, m4).next_meeting, None);
    let md = render(&input(&store, m3), Lang::Ja, false);
    assert!(md.contains("## 次回開催予定\n\n令和8年12月1日（火）(2026-12-01)"));
    assert!(render(&input(&store, m4), Lang::Ja, false).contains("## 次回開催予定\n\n未定"));
}

// ---------------------------------------------------------------------------------------------
// Command line

fn demo_db() -> (TempDb, i64) {
    let db = common::demo_copy();
    let id = meeting_of(&db.open(), "支援会議", MeetingStatus::Held);
    (db, id)
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
fn minutes_command_prints_or_writes_an_owner_only_file() {
    let (db, id) = demo_db();
    let id = id.to_string();
    let md = stdout(&db, &["minutes", &id]);
    assert!(md.starts_with("# 支援会議 議事録\n"), "{md}");
    let file = db.dir.path().join("minutes.md");
    renkei(&db)
        .args(["minutes", &id, "-o"])
        .arg(&file)
        .assert()
        .success()
        .stdout("");
    assert_eq!(common::mode(&file), 0o600);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), md);
    let leftovers: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".tmp") || name.ends_with(".renkei-tmp") && name != ".renkei-tmp"
        })
        .collect();
    assert!(leftovers.is_empty());

    let en = stdout(&db, &["--lang", "en", "minutes", &id, "--redact"]);
    assert!(en.starts_with("# Minutes: 支援会議\n"), "{en}");
    assert!(en.contains("Person A") && !en.contains("佐藤"));
    let ja = stdout(&db, &["minutes", &id, "--lang", "ja", "--redact"]);
    assert!(ja.contains("A氏") && !ja.contains("佐藤"));
}

#[test]
fn unknown_meeting_is_a_one_line_error() {
    let (db, _) = demo_db();
    let out = renkei(&db).args(["minutes", "99999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("renkei: 会議 99999 はありません"), "{err}");
    let file = db.dir.path().join("none.md");
    renkei(&db)
        .args(["minutes", "99999", "-o"])
        .arg(&file)
        .assert()
        .failure();
    assert!(!file.exists(), "nothing half-written");
}

#[test]
fn approve_command_approves_once() {
    let (db, id) = demo_db();
    let id = id.to_string();
    let said = stdout(&db, &["approve", &id]);
    assert!(said.contains("承認しました"), "{said}");
    assert!(
        stdout(&db, &["minutes", &id]).contains("- **議事録の状態**：承認済み（2026-11-21 10:00")
    );
    renkei(&db)
        .args(["approve", &id])
        .assert()
        .failure()
        .stderr(predicates::str::contains("の議事録は承認済みです"));
}

#[test]
fn minutes_command_lists_replacements_and_warns_on_standard_error() {
    let (db, store, id) = case_meeting(|m| {
        m.case_subject = "佐藤 花子".to_owned();
        m.agenda = vec![agenda(
            "連絡",
            "花子さんから電話。山本\u{1b}\u{202e}\u{7}係長に確認。",
            &[],
        )];
    });
    drop(store);
    let id = id.to_string();
    let file = db.dir.path().join("redacted.md");
    let out = renkei(&db)
        .args(["minutes", &id, "--redact", "--show-replacements", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings do not fail the command"
    );
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "renkei: 置き換えた氏名：B氏 2か所（司会）、C氏 2か所（記録）、A氏 1か所（事例の本人） — 計 5か所",
        "{err}"
    );
    assert!(
        lines[1].starts_with("renkei: 警告：氏名かもしれない語が 1 か所"),
        "{err}"
    );
    assert!(
        lines[2].contains("山本") && lines[2].contains("（職名の前の漢字）"),
        "{err}"
    );
    for c in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !err.contains(c),
            "typed text never drives the terminal: {err:?}"
        );
    }
    for name in ["佐藤", "花子", "中川", "大西"] {
        assert!(!err.contains(name), "{name} in {err}");
    }
    let md = std::fs::read_to_string(&file).unwrap();
    assert!(md.contains("A氏から電話") && !md.contains("花子"), "{md}");

    // Without --show-replacements only the warnings; without --redact no word of either.
    let out = renkei(&db)
        .args(["--lang", "en", "minutes", &id, "--redact"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("renkei: warning: 1 places still look like names"),
        "{err}"
    );
    assert!(!err.contains("names replaced"));
    let out = renkei(&db).args(["minutes", &id]).output().unwrap();
    assert!(out.stderr.is_empty());
    renkei(&db)
        .args(["minutes", &id, "--show-replacements"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("--redact"));
}

/// Each agenda item keeps its own notes and decisions, in the order they were written, whatever
/// order the items were added, written into and moved in: the entries are read for the whole
/// meeting at once and dealt to their items (the minutes without removed entries, the export
/// with them marked).
#[test]
fn entries_stay_with_their_items_when_written_out_of_order_and_moved() {
    use renkei::domain::model::EntryKind::{Decision, Note};
    use renkei::store::capture::Entity;
    let (_db, mut store) = demo();
    let id = meeting_of(&store, "支援会議", MeetingStatus::Held);
    let before = store.meeting_record(id).unwrap().unwrap().agenda;
    let x = store.add_agenda_item(id, "議題X", None).unwrap();
    let y = store.add_agenda_item(id, "議題Y", None).unwrap();
    let z = store.add_agenda_item(id, "議題Z", Some(5)).unwrap();
    let _ = store.add_agenda_item(id, "議題W（空）", None).unwrap();
    store.add_entry(z, Note, "Zの一つ目").unwrap();
    store.add_entry(x, Note, "Xの一つ目").unwrap();
    store.add_entry(y, Decision, "Yの決定").unwrap();
    let gone = store.add_entry(x, Note, "Xの消したメモ").unwrap();
    store.add_entry(z, Decision, "Zの決定").unwrap();
    store.add_entry(x, Note, "Xの二つ目").unwrap();
    store.add_entry(z, Note, "Zの二つ目").unwrap();
    store.remove(Entity::Entry, gone).unwrap();
    // Z moved above Y and X: position order is no longer the order of the items' ids.
    store.move_agenda_item(z, -1).unwrap();
    store.move_agenda_item(z, -1).unwrap();

    let texts = |entries: &[renkei::store::interchange::EntryRecord]| -> Vec<String> {
        entries.iter().map(|e| e.text.clone()).collect()
    };
    let shown = |agenda: &[renkei::store::interchange::AgendaRecord]| -> Vec<(String, Vec<String>, Vec<String>)> {
        agenda
            .iter()
            .filter(|a| a.title.starts_with("議題"))
            .map(|a| (a.title.clone(), texts(&a.notes), texts(&a.decisions)))
            .collect()
    };
    let s = |v: &[&str]| v.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
    let minutes = store.meeting_record(id).unwrap().unwrap();
    assert_eq!(
        shown(&minutes.agenda),
        vec![
            (
                "議題Z".to_owned(),
                s(&["Zの一つ目", "Zの二つ目"]),
                s(&["Zの決定"])
            ),
            ("議題X".to_owned(), s(&["Xの一つ目", "Xの二つ目"]), vec![]),
            ("議題Y".to_owned(), vec![], s(&["Yの決定"])),
            ("議題W（空）".to_owned(), vec![], vec![]),
        ]
    );
    let export = store.meeting_export(id).unwrap().unwrap();
    assert_eq!(
        shown(&export.agenda)[1],
        (
            "議題X".to_owned(),
            s(&["Xの一つ目", "Xの消したメモ", "Xの二つ目"]),
            vec![]
        )
    );
    let removed: Vec<bool> = export
        .agenda
        .iter()
        .find(|a| a.title == "議題X")
        .unwrap()
        .notes
        .iter()
        .map(|e| e.deleted_at.is_some())
        .collect();
    assert_eq!(removed, [false, true, false]);
    // The demo's own items are the meeting's first, each with what it held before.
    assert_eq!(minutes.agenda.len(), export.agenda.len());
    assert!(minutes.agenda[0].notes.len() + minutes.agenda[0].decisions.len() > 0);
    assert_eq!(minutes.agenda.len(), before.len() + 4);
    for (now, then) in minutes.agenda.iter().zip(&before) {
        assert_eq!(now.title, then.title);
        assert_eq!(texts(&now.notes), texts(&then.notes), "{}", now.title);
        assert_eq!(
            texts(&now.decisions),
            texts(&then.decisions),
            "{}",
            now.title
        );
    }
}
