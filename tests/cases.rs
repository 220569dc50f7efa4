//! Cases (issue 17): a household followed across meetings of several bodies — carry-over by
//! case, consent and the basis of sharing, plan revisions per meeting, closure and reopening,
//! several cases at one meeting, the case record, the ledger, interchange and the upgrade of an
//! older database. Each promise is attacked: another body, the case changed after the meeting,
//! a kill before the upgrade is done, a file edited after the export, a name as a pseudonym.

use crate::common;

use chrono::NaiveDate;
use common::{TempDb, csv_cells, renkei, stdout_bytes};

use renkei::cases::record::{self, Options};
use renkei::domain::case::{CaseStatus, Consent, Level, basis_text};
use renkei::domain::model::{ActionStatus, EntryKind};
use renkei::i18n::Lang;
use renkei::interchange::{PlanLine, parse_json, to_json};
use renkei::minutes;
use renkei::store::Store;
use renkei::store::capture::NewMeeting;
use renkei::store::cases::{CaseEdit, Closure, LedgerFilter, NewCase, ReviewDraft, ReviewItem};
use renkei::store::tabular::Encoding;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A ward with Sumida's three tiers (seed 002) and a ward's other bodies.
fn sumida() -> (TempDb, Store) {
    let db = TempDb::new();
    let mut store = db.open();
    store
        .import_files(&[common::fixture("sumida.toml")], Encoding::Auto)
        .unwrap();
    let extra = db.file(
        "more.json",
        r#"{ "format": "renkei/1", "bodies": [
            { "name": "要保護児童対策地域協議会実務者会議", "organiser": "子ども家庭支援課",
              "kind": "要保護児童対策地域協議会", "personal_info": true },
            { "name": "地域ケア会議", "organiser": "地域包括ケア推進課", "kind": "地域ケア会議" } ],
          "meetings": [] }"#
            .as_bytes(),
    );
    store.import_files(&[extra], Encoding::Auto).unwrap();
    (db, store)
}

fn body_id(store: &Store, name: &str) -> i64 {
    store
        .bodies()
        .unwrap()
        .into_iter()
        .find(|b| b.record.name == name)
        .unwrap_or_else(|| panic!("no body {name}"))
        .id
}

fn meeting(store: &mut Store, body: &str, date: &str) -> i64 {
    let body_id = body_id(store, body);
    store
        .schedule_meeting(&NewMeeting {
            body_id,
            date: day(date),
            start: Some("14:00".to_owned()),
            end: Some("15:00".to_owned()),
            place: "区役所 第3会議室".to_owned(),
        })
        .unwrap()
}

/// A meeting of `body` begun (under way): where a review is recorded.
fn begun(store: &mut Store, body: &str, date: &str) -> i64 {
    let id = meeting(store, body, date);
    store.start_meeting(id).unwrap();
    id
}

/// Begun and ended: held.
fn hold(store: &mut Store, id: i64) {
    store.start_meeting(id).unwrap();
    store.end_meeting(id).unwrap();
}

fn household() -> Vec<(String, String)> {
    vec![
        ("本人".to_owned(), "山田 太郎（ヤマダ タロウ）".to_owned()),
        ("子".to_owned(), "山田 一郎".to_owned()),
    ]
}

fn open_case(store: &mut Store, pseudonym: &str) -> i64 {
    store
        .create_case(&NewCase {
            pseudonym: pseudonym.to_owned(),
            opened: Some(day("2026-10-20")),
            referred_by: Some("健康推進課".to_owned()),
            lead_agency: Some("地域福祉課".to_owned()),
            members: household(),
        })
        .unwrap()
}

fn minutes_md(store: &Store, id: i64, lang: Lang, redact: bool) -> String {
    let input = store.minutes_input(id).unwrap().unwrap();
    minutes::render(&input, &minutes::Options { lang, redact })
}

fn record_md(store: &Store, case: i64, lang: Lang, redact: bool) -> String {
    let input = store.case_record_input(case).unwrap().unwrap();
    record::render(&input, &Options { lang, redact })
}

fn item(store: &mut Store, meeting: i64) -> i64 {
    store
        .add_agenda_item(meeting, "事例の検討", Some(30))
        .unwrap()
}

#[test]
fn the_sumida_flow_carries_the_support_meetings_actions_to_the_core_meetings() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let support = meeting(&mut store, "支援会議", "2026-11-03");
    let core1 = meeting(&mut store, "コア会議", "2026-11-17");
    let core2 = meeting(&mut store, "コア会議", "2026-12-01");

    store.link_case(support, case).unwrap();
    store
        .set_situation(
            support,
            case,
            "連絡手段はメールのみ。子が週2回、食事を届けている。",
        )
        .unwrap();
    let agenda = item(&mut store, support);
    store
        .add_entry(
            agenda,
            EntryKind::Decision,
            "訪問診療につなぐことを優先する",
        )
        .unwrap();
    store
        .add_role(support, Some("健康推進課"), "訪問診療の調整")
        .unwrap();
    let mail = store
        .add_action(
            support,
            Some("くらし・しごと相談室"),
            "本人へ結果をメールで伝える",
            Some(day("2026-11-10")),
        )
        .unwrap();
    let clinics = store
        .add_action(
            support,
            Some("健康推進課"),
            "訪問診療の医療機関を2か所あたる",
            Some(day("2026-11-20")),
        )
        .unwrap();
    store.add_case_issue(support, "ひきこもり").unwrap();
    hold(&mut store, support);

    // The core meeting is another body: it reviews the support meeting's open actions all the
    // same, because it discusses the same case.
    store.link_case(core1, case).unwrap();
    let carried: Vec<i64> = store
        .carried_actions(core1)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(carried, vec![mail, clinics]);
    // Closing it there updates the original.
    store
        .close_action(mail, ActionStatus::Done, Some(core1))
        .unwrap();
    let action = store
        .add_action(core1, Some("生活福祉課"), "本人確認の方法を検討する", None)
        .unwrap();
    hold(&mut store, core1);

    store.link_case(core2, case).unwrap();
    let carried: Vec<i64> = store
        .carried_actions(core2)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(
        carried,
        vec![clinics, action],
        "the one closed at the first core meeting is gone"
    );

    // Both meetings' minutes show it: done in the support meeting's list, closed here in the
    // core meeting's carried-over list.
    let support_md = minutes_md(&store, support, Lang::Ja, false);
    assert!(
        support_md.contains("- [x] 本人へ結果をメールで伝える"),
        "{support_md}"
    );
    let core_md = minutes_md(&store, core1, Lang::Ja, false);
    assert!(
        core_md.contains("本人へ結果をメールで伝える（期限 2026-11-10（火）、2026-11-03（火）の会議から） — 現在：完了（本会議で）"),
        "{core_md}"
    );
    assert!(core_md.contains("## 事例：A世帯"), "{core_md}");

    // So does the case record: the action under the meeting that made it, done at the core
    // meeting, and among what the core meeting reviewed.
    let md = record_md(&store, case, Lang::Ja, false);
    assert!(md.contains("### 1. 2026-11-03（火） 支援会議"), "{md}");
    assert!(md.contains("### 2. 2026-11-17（火） コア会議"), "{md}");
    assert!(
        md.contains("### 3. 2026-12-01（火） コア会議（予定）"),
        "{md}"
    );
    assert!(
        md.contains("本人へ結果をメールで伝える（期限 2026-11-10（火）） — 現在：完了（2026-11-17（火） コア会議で）"),
        "{md}"
    );
    let reviewed = md.split("**この会議で確認した継続事項**").nth(1).unwrap();
    assert!(reviewed.contains("本人へ結果をメールで伝える"), "{md}");
    assert!(md.contains("訪問診療につなぐことを優先する"), "{md}");
    assert!(md.contains("| 健康推進課 | 訪問診療の調整 |"), "{md}");
    assert!(md.contains("連絡手段はメールのみ"), "{md}");
    assert!(md.contains("**課題**：ひきこもり"), "{md}");

    // Every capture went to the case: the ledger counts its open actions.
    let ledger = store.case_ledger(LedgerFilter::Open, false).unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].open_actions, 2);
    assert_eq!(ledger[0].last_meeting, Some(day("2026-11-17")));
    assert_eq!(ledger[0].next_meeting, Some(day("2026-12-01")));
}

#[test]
fn a_meeting_without_a_case_keeps_carrying_over_by_its_body() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let support = meeting(&mut store, "支援会議", "2026-11-03");
    store.link_case(support, case).unwrap();
    let of_case = store
        .add_action(support, Some("健康推進課"), "受診の調整", None)
        .unwrap();
    // The plenary discusses no case: nothing of the support meeting's case comes to it.
    let plenary = meeting(&mut store, "重層的支援会議", "2026-11-10");
    let general = store
        .add_action(
            plenary,
            Some("地域福祉課"),
            "社会資源の一覧を更新する",
            None,
        )
        .unwrap();
    let plenary2 = meeting(&mut store, "重層的支援会議", "2026-12-10");
    let carried: Vec<i64> = store
        .carried_actions(plenary2)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(carried, vec![general]);
    // A later support meeting about the case reviews both the case's actions and the body's
    // actions that belong to no case.
    let loose = meeting(&mut store, "支援会議", "2026-11-05");
    let body_action = store
        .add_action(loose, None, "会議録の様式を見直す", None)
        .unwrap();
    let support2 = meeting(&mut store, "支援会議", "2026-11-24");
    store.link_case(support2, case).unwrap();
    let carried: Vec<i64> = store
        .carried_actions(support2)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(carried, vec![of_case, body_action]);
    // The agenda of a meeting that reviews something starts with the review.
    store.prepare_agenda(support2).unwrap();
    let live = store.live_meeting(support2).unwrap().unwrap();
    assert!(
        live.items
            .iter()
            .any(|i| i.title == "前回からの継続事項の確認"),
        "{:?}",
        live.items
    );
}

/// Meetings stored before session 3 keep the 要対協 basis of that time (児童福祉法第25条の2, the
/// article that sets the council up): their Japanese minutes say it as it was said, the English
/// ones give it the same English as today's text, not the Japanese left untranslated.
#[test]
fn an_old_youtaikyo_basis_reads_in_english_as_the_new_one() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let council = meeting(
        &mut store,
        "要保護児童対策地域協議会実務者会議",
        "2026-11-04",
    );
    let now = store.link_case(council, case).unwrap();
    let old = "児童福祉法第25条の2（要保護児童対策地域協議会）";
    store
        .conn()
        .execute(
            "UPDATE meeting_cases SET basis = ?1 WHERE meeting_id = ?2 AND case_id = ?3",
            rusqlite::params![old, council, case],
        )
        .unwrap();
    let english = "Child Welfare Act, Arts. 25-3 and 25-5 (child protection council)";
    assert_eq!(basis_text(&now.basis, Lang::En), english);
    assert_eq!(basis_text(old, Lang::En), english);
    assert_eq!(basis_text(old, Lang::Ja), old);
    let ja = minutes_md(&store, council, Lang::Ja, false);
    assert!(ja.contains(&format!("**共有の根拠**：{old}")), "{ja}");
    let en = minutes_md(&store, council, Lang::En, false);
    assert!(en.contains(english), "{en}");
    assert!(!en.contains("第25条の2"), "{en}");
    let record = record_md(&store, case, Lang::En, false);
    assert!(record.contains(english), "{record}");
    assert!(!record.contains("第25条の2"), "{record}");
}

#[test]
fn sharing_without_consent_where_the_body_needs_it_warns_at_once_and_is_kept() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    // 支援会議: shared without consent under 社会福祉法第106条の6.
    let support = meeting(&mut store, "支援会議", "2026-11-03");
    let linked = store.link_case(support, case).unwrap();
    assert!(!linked.warned);
    assert!(linked.basis.contains("第106条の6"), "{}", linked.basis);
    // 要対協: 児童福祉法第25条の3・第25条の5, no consent needed either.
    let council = meeting(
        &mut store,
        "要保護児童対策地域協議会実務者会議",
        "2026-11-04",
    );
    let linked = store.link_case(council, case).unwrap();
    assert!(
        !linked.warned && linked.basis.contains("第25条の3・第25条の5"),
        "{linked:?}"
    );
    // 重層的支援会議 needs consent; none is recorded: warned, and the warning is kept.
    let plenary = meeting(&mut store, "重層的支援会議", "2026-11-10");
    let linked = store.link_case(plenary, case).unwrap();
    assert!(linked.warned, "{linked:?}");
    let audited: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'case_without_consent' AND meeting_id = ?1",
            [plenary],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
    let md = minutes_md(&store, plenary, Lang::Ja, false);
    assert!(
        md.contains("**共有の根拠**：本人同意（重層的支援会議） — 本人同意が必要な会議で、同意の記録がないまま共有しました（警告を記録）"),
        "{md}"
    );
    let en = minutes_md(&store, plenary, Lang::En, false);
    assert!(en.contains("without consent recorded"), "{en}");
    let support_md = minutes_md(&store, support, Lang::Ja, false);
    assert!(
        support_md.contains("**共有の根拠**：社会福祉法第106条の6（支援会議）"),
        "{support_md}"
    );
    // Consent recorded later does not unsay the warning of the meeting it was missing at...
    store
        .set_consent(case, Consent::Given, Some(day("2026-11-12")), None)
        .unwrap();
    assert!(store.meeting_cases(plenary).unwrap()[0].warned);
    // ...and a meeting after it shares the case on the consent, without a warning.
    let plenary2 = meeting(&mut store, "重層的支援会議", "2026-12-10");
    assert!(!store.link_case(plenary2, case).unwrap().warned);
    // Not given is no consent either.
    store
        .set_consent(case, Consent::NotGiven, Some(day("2026-11-20")), None)
        .unwrap();
    let plenary3 = meeting(&mut store, "重層的支援会議", "2027-01-10");
    assert!(store.link_case(plenary3, case).unwrap().warned);
    let record = record_md(&store, case, Lang::Ja, false);
    assert!(
        record.contains("## 本人同意\n\n無（2026-11-20（金）、記録 "),
        "{record}"
    );
}

fn line(agency: &str, role: &str, goal: &str) -> PlanLine {
    PlanLine {
        agency: Some(agency.to_owned()),
        role: role.to_owned(),
        goal: goal.to_owned(),
    }
}

fn edit(store: &Store, case: i64) -> CaseEdit {
    store.case_detail(case).unwrap().unwrap().edit()
}

#[test]
fn every_revision_of_the_plan_is_kept_and_each_meeting_shows_the_plan_after_it() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let first = meeting(&mut store, "支援会議", "2026-11-03");
    let second = meeting(&mut store, "コア会議", "2026-11-17");
    store.link_case(first, case).unwrap();
    store.link_case(second, case).unwrap();

    // Revised twice at the first meeting: one revision, that meeting's.
    store
        .revise_plan(
            case,
            &[line("健康推進課", "訪問診療の調整", "受診につながる")],
            Some(first),
        )
        .unwrap();
    let mut e = edit(&store, case);
    e.policy = "メールでの連絡を保つ".to_owned();
    e.risk = Some(Level::Medium);
    store.update_case(case, &e, Some(first)).unwrap();
    store
        .revise_plan(
            case,
            &[
                line("健康推進課", "訪問診療の調整", "受診につながる"),
                line("生活福祉課", "生活保護の相談", "申請できる"),
            ],
            Some(first),
        )
        .unwrap();
    hold(&mut store, first);
    assert_eq!(store.case_detail(case).unwrap().unwrap().revisions, 1);

    // The second meeting revises it again.
    store
        .revise_plan(
            case,
            &[line("生活福祉課", "生活保護の申請支援", "保護が始まる")],
            Some(second),
        )
        .unwrap();
    let mut e = edit(&store, case);
    e.risk = Some(Level::High);
    store.update_case(case, &e, Some(second)).unwrap();
    hold(&mut store, second);
    // And once more outside a meeting, by the same person the same day: one more revision.
    store
        .revise_plan(
            case,
            &[
                line("生活福祉課", "生活保護の申請支援", "保護が始まる"),
                line("地域福祉課", "見守り", "孤立しない"),
            ],
            None,
        )
        .unwrap();
    store
        .revise_plan(case, &[line("地域福祉課", "見守り", "孤立しない")], None)
        .unwrap();
    let revisions = store.case_record(case).unwrap().unwrap().revisions;
    assert_eq!(revisions.len(), 3, "{revisions:#?}");
    assert_eq!(revisions[0].plan.len(), 2);
    assert_eq!(revisions[2].plan.len(), 1);

    // The first meeting's minutes show its plan, whatever came after.
    let md = minutes_md(&store, first, Lang::Ja, false);
    assert!(
        md.contains("### 支援プラン（この会議の後）（この会議で改訂）"),
        "{md}"
    );
    assert!(
        md.contains("| 生活福祉課 | 生活保護の相談 | 申請できる |"),
        "{md}"
    );
    assert!(!md.contains("保護が始まる"), "{md}");
    assert!(md.contains("**危険度**：中"), "{md}");
    assert!(md.contains("メールでの連絡を保つ"), "{md}");
    let md2 = minutes_md(&store, second, Lang::Ja, false);
    assert!(
        md2.contains("| 生活福祉課 | 生活保護の申請支援 | 保護が始まる |"),
        "{md2}"
    );
    assert!(!md2.contains("孤立しない"), "{md2}");
    assert!(md2.contains("**危険度**：高"), "{md2}");
    // The case record lists each revision with its meeting.
    let record = record_md(&store, case, Lang::Ja, false);
    assert!(record.contains("2026-11-03 支援会議"), "{record}");
    assert!(record.contains("2026-11-17 コア会議"), "{record}");
    assert!(record.contains("| 会議外 |"), "{record}");
    // Every change is in the case's history with its meeting.
    let changes = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM case_changes WHERE case_id = ?1 AND field = 'risk' AND meeting_id IS NOT NULL",
            [case],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    assert_eq!(changes, 2);
}

#[test]
fn a_case_closed_at_a_meeting_can_be_reopened_with_its_history_kept() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let plenary = meeting(&mut store, "重層的支援会議", "2026-11-10");
    store.link_case(plenary, case).unwrap();
    // Only a closure ends a case, and it needs what ends it.
    assert!(
        store
            .set_case_status(case, CaseStatus::Closed, None)
            .is_err()
    );
    store
        .set_case_status(case, CaseStatus::Active, Some(plenary))
        .unwrap();
    let closure = Closure {
        kind: CaseStatus::Closed,
        date: day("2026-11-10"),
        reason: "生活保護が始まり、訪問診療が定着した".to_owned(),
        evaluation: "目標の受診と生活の安定はおおむね達成".to_owned(),
        transferred_to: String::new(),
    };
    store.close_case(case, &closure, Some(plenary)).unwrap();
    assert!(
        store.close_case(case, &closure, None).is_err(),
        "closed twice"
    );
    hold(&mut store, plenary);
    assert!(
        store
            .case_ledger(LedgerFilter::Open, false)
            .unwrap()
            .is_empty()
    );
    let closed = store.case_ledger(LedgerFilter::Closed, false).unwrap();
    assert_eq!(closed[0].closed, Some(day("2026-11-10")));
    assert_eq!(closed[0].closure_reason, closure.reason);
    let md = minutes_md(&store, plenary, Lang::Ja, false);
    assert!(md.contains("### 終結"), "{md}");
    assert!(md.contains("目標の受診と生活の安定はおおむね達成"), "{md}");

    store.reopen_case(case, None).unwrap();
    assert!(
        store.reopen_case(case, None).is_err(),
        "not closed any more"
    );
    let row = &store.case_ledger(LedgerFilter::Open, false).unwrap()[0];
    assert_eq!((row.status, row.closed), (CaseStatus::Active, None));
    // The meeting that closed it still says so; the record keeps both in its history.
    let md = minutes_md(&store, plenary, Lang::Ja, false);
    assert!(md.contains("生活保護が始まり、訪問診療が定着した"), "{md}");
    let record = record_md(&store, case, Lang::Ja, false);
    assert!(record.contains("支援中 → 終結"), "{record}");
    assert!(record.contains("終結 → 支援中"), "{record}");
    assert!(!record.contains("## 終結・中断・移管"), "{record}");

    // Transferred, with where to.
    store
        .close_case(
            case,
            &Closure {
                kind: CaseStatus::Transferred,
                date: day("2026-11-20"),
                reason: "転居".to_owned(),
                evaluation: String::new(),
                transferred_to: "墨田区外の福祉事務所".to_owned(),
            },
            None,
        )
        .unwrap();
    let record = record_md(&store, case, Lang::En, false);
    assert!(
        record.contains("**Transferred to**: 墨田区外の福祉事務所"),
        "{record}"
    );
}

#[test]
fn a_practitioners_meeting_of_several_cases_keeps_each_capture_on_its_case() {
    let (_db, mut store) = sumida();
    let council = meeting(
        &mut store,
        "要保護児童対策地域協議会実務者会議",
        "2026-11-04",
    );
    let cases: Vec<i64> = ["A世帯", "B世帯", "C世帯"]
        .iter()
        .map(|p| {
            store
                .create_case(&NewCase {
                    pseudonym: (*p).to_owned(),
                    ..NewCase::default()
                })
                .unwrap()
        })
        .collect();
    for &c in &cases {
        store.link_case(council, c).unwrap();
    }
    let agenda = item(&mut store, council);
    let mut made = Vec::new();
    for &c in &cases {
        store.set_current_case(council, Some(c)).unwrap();
        let action = store
            .add_action(
                council,
                Some("子ども家庭支援課"),
                &format!("事例{c}の家庭訪問"),
                None,
            )
            .unwrap();
        store
            .add_role(council, Some("学校"), &format!("事例{c}の登校確認"))
            .unwrap();
        store.add_case_issue(council, &format!("課題{c}")).unwrap();
        store
            .add_entry(
                agenda,
                EntryKind::Decision,
                &format!("事例{c}は見守りを続ける"),
            )
            .unwrap();
        made.push(action);
    }
    // With several cases and none being discussed, a capture belongs to the meeting alone.
    store.set_current_case(council, None).unwrap();
    let loose = store
        .add_action(council, None, "次回の日程を調整する", None)
        .unwrap();
    let case_of = |store: &Store, table: &str, id: i64| -> Option<i64> {
        store
            .conn()
            .query_row(
                &format!("SELECT case_id FROM {table} WHERE id = ?1"),
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    for (i, &c) in cases.iter().enumerate() {
        assert_eq!(case_of(&store, "next_actions", made[i]), Some(c));
    }
    assert_eq!(case_of(&store, "next_actions", loose), None);
    for (table, column) in [
        ("role_assignments", "responsibility"),
        ("case_issues", "category"),
        ("agenda_entries", "text"),
    ] {
        for &c in &cases {
            let n: i64 = store
                .conn()
                .query_row(
                    &format!(
                        "SELECT COUNT(*) FROM {table} WHERE case_id = ?1 AND {column} LIKE ?2"
                    ),
                    rusqlite::params![c, format!("%{c}%")],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "{table} of case {c}");
        }
    }
    // A later meeting of another body about B reviews B's action only.
    let care = meeting(&mut store, "地域ケア会議", "2026-11-18");
    store.link_case(care, cases[1]).unwrap();
    let carried: Vec<i64> = store
        .carried_actions(care)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(carried, vec![made[1]]);
    // The minutes: a section per case, and each role and action with its case.
    let md = minutes_md(&store, council, Lang::Ja, false);
    for p in ["A世帯", "B世帯", "C世帯"] {
        assert!(md.contains(&format!("## 事例：{p}")), "{md}");
    }
    assert!(
        md.contains(&format!("| B世帯 | 学校 | 事例{}の登校確認 |", cases[1])),
        "{md}"
    );
    assert!(
        md.contains(&format!("［C世帯］事例{}の家庭訪問", cases[2])),
        "{md}"
    );
    assert!(md.contains(&format!("**課題**：課題{}", cases[0])), "{md}");
    // Each case record holds its own, and not the others'.
    let b = record_md(&store, cases[1], Lang::Ja, false);
    assert!(
        b.contains(&format!("事例{}は見守りを続ける", cases[1])),
        "{b}"
    );
    assert!(
        !b.contains(&format!("事例{}は見守りを続ける", cases[0])),
        "{b}"
    );
    assert!(!b.contains("次回の日程を調整する"), "{b}");
}

/// Attack report item 9: case issues captured with no case and no case fields on the meeting
/// (or, at a meeting of several cases, while none was being discussed) are in the minutes,
/// as the annual report counts them.
#[test]
fn case_issues_stay_in_the_minutes_without_case_fields_or_a_case_being_discussed() {
    let (_db, mut store) = sumida();
    let plain = meeting(&mut store, "地域ケア会議", "2026-11-04");
    store.add_case_issue(plain, "虐待").unwrap();
    store.add_case_issue(plain, "経済的困窮").unwrap();
    hold(&mut store, plain);
    let md = minutes_md(&store, plain, Lang::Ja, false);
    assert!(md.contains("**課題**：虐待、経済的困窮"), "{md}");
    // No case fields: no empty support policy is made up for it.
    assert!(!md.contains("支援方針"), "{md}");
    let en = minutes_md(&store, plain, Lang::En, false);
    assert!(en.contains("虐待"), "{en}");

    let council = meeting(
        &mut store,
        "要保護児童対策地域協議会実務者会議",
        "2026-11-05",
    );
    for p in ["A世帯", "B世帯"] {
        let c = store
            .create_case(&NewCase {
                pseudonym: p.to_owned(),
                ..NewCase::default()
            })
            .unwrap();
        store.link_case(council, c).unwrap();
        store.set_current_case(council, Some(c)).unwrap();
        store
            .add_case_issue(council, &format!("{p}の孤立"))
            .unwrap();
    }
    store.set_current_case(council, None).unwrap();
    store.add_case_issue(council, "ゴミ屋敷").unwrap();
    let md = minutes_md(&store, council, Lang::Ja, false);
    assert!(md.contains("**課題**：A世帯の孤立"), "{md}");
    assert!(md.contains("**課題**：B世帯の孤立"), "{md}");
    assert!(md.contains("## 課題（事例の指定なし）\n\nゴミ屋敷"), "{md}");

    // Imported with issues and nothing else of a case: the same.
    let file = _db.file(
        "issues.json",
        r#"{ "format": "renkei/1", "meetings": [ { "body": "地域ケア会議",
             "date": "2026-11-10", "status": "held", "issues": ["虐待", "経済的困窮"] } ] }"#
            .as_bytes(),
    );
    store.import_files(&[file], Encoding::Auto).unwrap();
    let imported: i64 = store
        .conn()
        .query_row(
            "SELECT id FROM meetings WHERE date = '2026-11-10'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let md = minutes_md(&store, imported, Lang::Ja, false);
    assert!(md.contains("**課題**：虐待、経済的困窮"), "{md}");
}

/// A ward that has been through a household's year: three cases, meetings of three bodies, a
/// plan revised, consent recorded, a warning, a member removed, a closure and a reopening.
fn busy_ward() -> (TempDb, Store, Vec<i64>) {
    let (db, mut store) = sumida();
    let a = open_case(&mut store, "A世帯");
    let b = store
        .create_case(&NewCase {
            pseudonym: "B世帯".to_owned(),
            members: vec![("本人".to_owned(), "木村 一郎".to_owned())],
            ..NewCase::default()
        })
        .unwrap();
    let c = store
        .create_case(&NewCase {
            pseudonym: "C世帯".to_owned(),
            // Opened before it is closed (2026-11-10): the store refuses a closing before it.
            opened: Some(day("2026-11-01")),
            ..NewCase::default()
        })
        .unwrap();
    let support = meeting(&mut store, "支援会議", "2026-11-03");
    let council = meeting(
        &mut store,
        "要保護児童対策地域協議会実務者会議",
        "2026-11-04",
    );
    let plenary = meeting(&mut store, "重層的支援会議", "2026-11-10");
    store.link_case(support, a).unwrap();
    store.set_situation(support, a, "面会できない").unwrap();
    store
        .revise_plan(
            a,
            &[line("健康推進課", "訪問診療の調整", "受診")],
            Some(support),
        )
        .unwrap();
    store
        .add_action(
            support,
            Some("健康推進課"),
            "医療機関をあたる",
            Some(day("2026-11-20")),
        )
        .unwrap();
    hold(&mut store, support);
    for case in [a, b, c] {
        store.link_case(council, case).unwrap();
    }
    store.set_current_case(council, Some(b)).unwrap();
    store
        .add_action(council, Some("学校"), "登校の確認", None)
        .unwrap();
    store.add_case_issue(council, "不登校").unwrap();
    store.set_current_case(council, Some(c)).unwrap();
    store
        .add_role(council, Some("子ども家庭支援課"), "家庭訪問")
        .unwrap();
    hold(&mut store, council);
    store.link_case(plenary, a).unwrap();
    store
        .set_consent(a, Consent::Given, Some(day("2026-11-12")), Some(plenary))
        .unwrap();
    let removed = store.add_member(a, "元妻", "佐藤 恵子", None).unwrap();
    store.remove_member(removed, None).unwrap();
    store
        .close_case(
            c,
            &Closure {
                kind: CaseStatus::Closed,
                date: day("2026-11-10"),
                reason: "転居".to_owned(),
                evaluation: "引継ぎ済み".to_owned(),
                transferred_to: String::new(),
            },
            Some(plenary),
        )
        .unwrap();
    store.reopen_case(c, None).unwrap();
    // One case stays closed, at the plenary.
    let d = store
        .create_case(&NewCase {
            pseudonym: "D世帯".to_owned(),
            // Opened before it is closed (2026-11-10): the store refuses a closing before it.
            opened: Some(day("2026-11-01")),
            ..NewCase::default()
        })
        .unwrap();
    store.link_case(plenary, d).unwrap();
    store
        .close_case(
            d,
            &Closure {
                kind: CaseStatus::Suspended,
                date: day("2026-11-10"),
                reason: "連絡が取れない".to_owned(),
                evaluation: String::new(),
                transferred_to: String::new(),
            },
            Some(plenary),
        )
        .unwrap();
    hold(&mut store, plenary);
    (db, store, vec![a, b, c, d])
}

fn export(store: &Store) -> String {
    to_json(&store.export_document().unwrap())
}

#[test]
fn cases_go_through_an_export_and_back_to_the_same_bytes() {
    let (_db, store, _) = busy_ward();
    let first = export(&store);
    let doc = parse_json(&first).unwrap();
    assert_eq!(doc.cases.len(), 4);
    assert!(first.contains("\"warned\": true"), "the warning travels");
    assert!(
        first.contains("\"closed_in\""),
        "the meeting that closed one travels"
    );

    let other = TempDb::new();
    let mut copy = other.open();
    let path = other.file("export.json", first.as_bytes());
    let summary = copy
        .import_files(std::slice::from_ref(&path), Encoding::Auto)
        .unwrap();
    assert_eq!(summary.cases.added, 4);
    let second = export(&copy);
    assert_eq!(first, second);
    // Again: nothing to do.
    let summary = copy
        .import_files(std::slice::from_ref(&path), Encoding::Auto)
        .unwrap();
    assert_eq!((summary.cases.unchanged, summary.cases.updated), (4, 0));
    assert_eq!(summary.meetings.updated, 0);
    assert_eq!(export(&copy), first);
    // And what the copy shows is what the original shows.
    let a = copy.find_case("A世帯").unwrap().unwrap();
    let original = store.find_case("A世帯").unwrap().unwrap();
    assert_eq!(
        record_md(&copy, a, Lang::Ja, false),
        record_md(&store, original, Lang::Ja, false)
    );
}

#[test]
fn an_export_edited_after_it_was_made_updates_a_case_only_if_nothing_changed_here() {
    let (db, mut store, cases) = busy_ward();
    let text = export(&store);
    let mut doc = parse_json(&text).unwrap();
    doc.cases[0].policy = "ファイルで書き直した方針".to_owned();
    doc.cases[0]
        .plan
        .push(line("地域福祉課", "見守り", "孤立しない"));
    let edited = db.file("edited.json", to_json(&doc).as_bytes());
    let summary = store
        .import_files(std::slice::from_ref(&edited), Encoding::Auto)
        .unwrap();
    assert_eq!(summary.cases.updated, 1, "{summary:?}");
    let detail = store.case_detail(cases[0]).unwrap().unwrap();
    assert_eq!(detail.row.policy, "ファイルで書き直した方針");
    assert_eq!(detail.plan.len(), 2);
    assert_eq!(
        detail.revisions, 2,
        "the file's plan is a revision of its own"
    );

    // Changed here after that: the same file again would overwrite it — a conflict, nothing
    // changed, every conflict named.
    let mut e = edit(&store, cases[0]);
    e.key_person = "子".to_owned();
    store.update_case(cases[0], &e, None).unwrap();
    let mut doc = parse_json(&export(&store)).unwrap();
    let before = common::dump(&store);
    doc.cases[0].rev = Some(1);
    doc.cases[0].key_person = "長男".to_owned();
    let stale = db.file("stale.json", to_json(&doc).as_bytes());
    let err = store
        .import_files(std::slice::from_ref(&stale), Encoding::Auto)
        .unwrap_err()
        .to_string();
    assert!(err.contains("stale.json: cases[0]: case 'A世帯'"), "{err}");
    assert_eq!(common::dump(&store), before);
    let out = renkei(&db)
        .args(["import", "--skip-conflicts"])
        .arg(&stale)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        store.case_detail(cases[0]).unwrap().unwrap().key_person,
        "子",
        "kept as captured here"
    );
}

#[test]
fn a_hand_made_file_names_cases_by_pseudonym_or_by_its_own_ids() {
    let (db, mut store) = sumida();
    open_case(&mut store, "B世帯");
    let file = db.file(
        "hand.json",
        r#"{ "format": "renkei/1",
  "cases": [ { "id": "c-1", "pseudonym": "Ｄ世帯", "status": "active", "risk": "high",
               "consent": "given", "consent_date": "2026-10-01",
               "members": [ { "relation": "本人", "name": "石井 達也" } ],
               "plan": [ { "agency": "保健所", "role": "服薬の確認", "goal": "通院を続ける" } ],
               "policy": "服薬を支える" } ],
  "meetings": [ { "body": "要保護児童対策地域協議会実務者会議", "date": "2026-11-04",
                  "status": "held", "cases": ["c-1", "B 世帯"],
                  "actions": [ { "agency": "保健所", "text": "家庭訪問", "case": "c-1" },
                               { "agency": "学校", "text": "登校の確認", "case": "b世帯" } ],
                  "issues": [ { "category": "服薬", "case": "Ｄ世帯" }, "孤立" ] },
                { "body": "地域ケア会議", "date": "2026-11-18", "case": "D世帯" } ] }"#
            .as_bytes(),
    );
    let err = store
        .import_files(std::slice::from_ref(&file), Encoding::Auto)
        .unwrap_err()
        .to_string();
    // b世帯 is not B世帯: letters are told apart by width, not by case.
    assert!(err.contains("meetings[0].actions[1].case"), "{err}");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("b世帯", "Ｂ世帯");
    let file = db.file("hand.json", text.as_bytes());
    store
        .import_files(std::slice::from_ref(&file), Encoding::Auto)
        .unwrap();
    let d = store.find_case("D世帯").unwrap().unwrap();
    let b = store.find_case("B世帯").unwrap().unwrap();
    let detail = store.case_detail(d).unwrap().unwrap();
    assert_eq!(detail.row.risk, Some(Level::High));
    assert_eq!(detail.plan.len(), 1);
    assert_eq!(detail.members.len(), 1);
    let council = store.meetings(None).unwrap();
    let council = council
        .iter()
        .find(|m| m.body == "要保護児童対策地域協議会実務者会議")
        .unwrap()
        .id;
    let cases: Vec<i64> = store
        .meeting_cases(council)
        .unwrap()
        .iter()
        .map(|c| c.case_id)
        .collect();
    assert_eq!(cases, vec![d, b]);
    let of = |text: &str| -> Option<i64> {
        store
            .conn()
            .query_row(
                "SELECT case_id FROM next_actions WHERE text = ?1",
                [text],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!((of("家庭訪問"), of("登校の確認")), (Some(d), Some(b)));
    let issue_cases: Vec<Option<i64>> = store
        .conn()
        .prepare("SELECT case_id FROM case_issues ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        issue_cases,
        vec![Some(d), None],
        "an issue naming no case of two"
    );
    // The care meeting names D世帯 by the pseudonym field of files before cases: linked to it.
    let care = store.case_detail(d).unwrap().unwrap().timeline;
    assert_eq!(care.len(), 2);
    assert_eq!(care[1].body, "地域ケア会議");
    // Its basis follows from the body's kind.
    assert!(care[1].basis.contains("第115条の48"), "{:?}", care[1]);
}

#[test]
fn bad_case_records_are_refused_with_their_path_and_change_nothing() {
    let (db, store) = sumida();
    let before = common::dump(&store);
    let cases = [
        (
            r#"{ "pseudonim": "A世帯" }"#,
            // Said in Japanese, the tests' locale.
            vec!["cases[0].pseudonim", "「pseudonym」のことですか"],
        ),
        (
            r#"{ "pseudonym": "A世帯", "risk": "very high" }"#,
            vec!["cases[0].risk"],
        ),
        (
            r#"{ "pseudonym": "A世帯", "status": "finished" }"#,
            vec!["cases[0].status"],
        ),
        (
            r#"{ "pseudonym": "A世帯", "opened": "2026/13/01" }"#,
            vec!["cases[0].opened"],
        ),
        (
            r#"{ "pseudonym": " " }"#,
            vec!["cases[0].pseudonym が空です"],
        ),
        (
            r#"{ "pseudonym": "山田太郎さん世帯", "members": [ { "relation": "本人", "name": "山田 太郎" } ] }"#,
            vec!["cases[0].pseudonym", "山田太郎さん世帯"],
        ),
        (
            r#"{ "pseudonym": "A世帯", "policy": "a\u0000b" }"#,
            vec!["cases[0].policy", "NUL"],
        ),
        (
            r#"{ "pseudonym": "A世帯", "members": [ { "relation": "本人", "nmae": "x" } ] }"#,
            vec!["cases[0].members[0].nmae"],
        ),
        (
            r#"{ "pseudonym": "A世帯", "status": "open", "closed": "2026-11-01" }"#,
            vec!["cases[0].closed"],
        ),
    ];
    for (case, expected) in cases {
        let text = format!(r#"{{ "format": "renkei/1", "cases": [ {case} ], "meetings": [] }}"#);
        let path = db.file("bad.json", text.as_bytes());
        let out = renkei(&db).arg("import").arg(&path).output().unwrap();
        assert!(!out.status.success(), "{case}");
        let err = String::from_utf8_lossy(&out.stderr);
        for e in expected {
            assert!(err.contains(e), "{case}: {err}");
        }
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // A meeting naming a case nobody has, or a record naming a case its meeting does not.
    for (meeting, path) in [
        (
            r#"{ "body": "支援会議", "date": "2026-11-03", "cases": ["Z世帯"] }"#,
            "meetings[0].cases[0].case",
        ),
        (
            r#"{ "body": "支援会議", "date": "2026-11-03", "cases": [ { "case": "A世帯", "basis": "x", "bogus": 1 } ] }"#,
            "meetings[0].cases[0]",
        ),
    ] {
        let text = format!(
            r#"{{ "format": "renkei/1", "cases": [ {{ "pseudonym": "A世帯" }} ], "meetings": [ {meeting} ] }}"#
        );
        let path_file = db.file("bad.json", text.as_bytes());
        let out = renkei(&db).arg("import").arg(&path_file).output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(path), "{err}");
    }
    let text = r#"{ "format": "renkei/1", "cases": [ { "pseudonym": "A世帯" }, { "pseudonym": "B世帯" } ],
        "meetings": [ { "body": "支援会議", "date": "2026-11-03", "cases": ["A世帯"],
                        "actions": [ { "text": "x", "case": "B世帯" } ] } ] }"#;
    let path = db.file("bad.json", text.as_bytes());
    let out = renkei(&db).arg("import").arg(&path).output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("にその事例がありません"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = db.open();
    assert_eq!(common::dump(&store), before);
}

#[test]
fn an_older_database_links_its_meetings_to_their_cases_even_after_a_kill() {
    let db = TempDb::new();
    {
        let mut conn = rusqlite::Connection::open(&db.path).unwrap();
        // A version 4 database (made before cases), with two meetings of one household —
        // its pseudonym once typed in full width — and one of another.
        for step in &renkei::store::schema::MIGRATIONS[..4] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute_batch(
            "INSERT INTO agencies (name) VALUES ('地域福祉課');
             INSERT INTO bodies (name, kind, created_at, updated_at)
                 VALUES ('支援会議', '支援会議', 'x', 'x'), ('コア会議', 'コア会議', 'x', 'x');
             INSERT INTO meetings (body_id, date, status, case_ref, case_subject, lead_agency, risk,
                                   support_policy, created_at, updated_at)
                 VALUES (1, '2026-10-01', 'held', 'A世帯', '山田 花子', 1, '高', '見守る', 'x', 'x'),
                        (2, '2026-10-15', 'held', 'Ａ世帯', '', 1, 'やや高', '', 'x', 'x'),
                        (1, '2026-10-20', 'held', 'B世帯', '', NULL, '', '', 'x', 'x');
             INSERT INTO next_actions (meeting_id, text, created_at, updated_at)
                 VALUES (1, '受診の調整', 'x', 'x');",
        )
        .unwrap();
        // The upgrade is applied and the process killed before it links the meetings.
        renkei::store::schema::migrate(&mut conn).unwrap();
        let marked: i64 = conn
            .query_row("SELECT COUNT(*) FROM case_upgrade", [], |r| r.get(0))
            .unwrap();
        assert_eq!(marked, 1);
    }
    let store = db.open();
    let ledger = store.case_ledger(LedgerFilter::All, false).unwrap();
    let names: Vec<&str> = ledger.iter().map(|r| r.pseudonym.as_str()).collect();
    assert_eq!(names, vec!["A世帯", "B世帯"]);
    let a = &ledger[0];
    assert_eq!(
        (a.meetings, a.risk, a.status),
        (2, Some(Level::High), CaseStatus::Active)
    );
    assert_eq!(a.open_actions, 1, "the old action is the case's");
    assert_eq!(a.opened, Some(day("2026-10-01")));
    let detail = store.case_detail(a.id).unwrap().unwrap();
    assert_eq!(detail.members[0].1, "本人");
    // What the old minutes said stays what they say: 高 there, やや高 at the core meeting.
    assert!(minutes_md(&store, 1, Lang::Ja, false).contains("**危険度**：高"));
    assert!(minutes_md(&store, 2, Lang::Ja, false).contains("**危険度**：やや高"));
    // Once.
    let links: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM meeting_cases", [], |r| r.get(0))
        .unwrap();
    drop(store);
    let store = db.open();
    let again: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM meeting_cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!((links, again), (3, 3));
    let marked: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM case_upgrade", [], |r| r.get(0))
        .unwrap();
    assert_eq!(marked, 0);
}

#[test]
fn a_pseudonym_that_names_a_person_is_refused_where_a_case_is_named() {
    let (_db, mut store) = sumida();
    let err = store
        .create_case(&NewCase {
            pseudonym: "山田さん宅".to_owned(),
            ..NewCase::default()
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("山田さん宅"), "{err}");
    let case = open_case(&mut store, "A世帯");
    let mut e = edit(&store, case);
    e.pseudonym = "ヤマダ世帯".to_owned();
    assert!(
        store.update_case(case, &e, None).is_err(),
        "the household's reading"
    );
    e.pseudonym = "Ａ世帯".to_owned();
    store.update_case(case, &e, None).unwrap();
    // A member whose name the pseudonym holds is refused in turn.
    let club = store
        .create_case(&NewCase {
            pseudonym: "花子の会".to_owned(),
            ..NewCase::default()
        })
        .unwrap();
    let err = store
        .add_member(club, "本人", "山田 花子", None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("花子の会"), "{err}");
    assert!(store.add_member(club, "本人", "山田 恵", None).is_ok());
    let second = open_case(&mut store, "B世帯");
    assert!(
        store
            .create_case(&NewCase {
                pseudonym: "B 世帯".to_owned(),
                ..NewCase::default()
            })
            .is_err(),
        "the same pseudonym written another way"
    );
    let _ = second;
}

#[test]
fn the_ledger_and_the_record_on_the_command_line() {
    let (db, store, cases) = busy_ward();
    let mut store = store;
    let mut e = edit(&store, cases[1]);
    e.next_review = Some(day("2026-11-01"));
    store.update_case(cases[1], &e, None).unwrap();
    drop(store);

    let table = String::from_utf8(stdout_bytes(&db, &["cases"])).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[2].contains("B世帯") && lines[2].contains("! 2026-11-01"),
        "overdue first:\n{table}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&stdout_bytes(&db, &["cases", "--due", "--format", "json"]))
            .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["pseudonym"], "B世帯");
    assert_eq!(json[0]["review_overdue"], true);
    let csv = csv_cells(&stdout_bytes(
        &db,
        &["cases", "--status", "all", "--format", "csv"],
    ));
    assert_eq!(
        csv[0],
        [
            "事例",
            "受理日",
            "相談経路",
            "主担当機関",
            "危険度",
            "緊急度",
            "状態",
            "援助方針",
            "最終検討日",
            "次回確認日",
            "終結日",
            "終結理由"
        ]
    );
    assert_eq!(csv.len(), 5);
    let closed = String::from_utf8(stdout_bytes(&db, &["cases", "--status", "closed"])).unwrap();
    assert!(
        closed.contains("D世帯") && closed.contains("中断"),
        "{closed}"
    );
    assert!(!closed.contains("A世帯"), "{closed}");

    let md = String::from_utf8(stdout_bytes(&db, &["case", "Ａ世帯"])).unwrap();
    assert!(md.starts_with("# 経過記録：A世帯"), "{md}");
    assert!(md.contains("山田 太郎"), "{md}");
    let by_id = String::from_utf8(stdout_bytes(&db, &["case", &cases[0].to_string()])).unwrap();
    assert_eq!(by_id, md);
    let out = db.dir.path().join("a.md");
    renkei(&db)
        .args(["case", "A世帯", "--redact", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(common::mode(&out), 0o600);
    let redacted = std::fs::read_to_string(&out).unwrap();
    for name in ["山田", "太郎", "一郎", "ヤマダ", "佐藤", "恵子"] {
        assert!(!redacted.contains(name), "{name}:\n{redacted}");
    }
    assert!(
        redacted.contains("A氏"),
        "the person at the centre takes the case's letter:\n{redacted}"
    );
    renkei(&db)
        .args(["case", "Z世帯"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("Z世帯"));
    renkei(&db)
        .args(["case", "A世帯", "--redact", "--format", "json"])
        .assert()
        .failure();
    let json: serde_json::Value =
        serde_json::from_slice(&stdout_bytes(&db, &["case", "A世帯", "--format", "json"])).unwrap();
    assert_eq!(json["case"]["pseudonym"], "A世帯");
    assert_eq!(json["meetings"].as_array().unwrap().len(), 3);
    let docx = stdout_bytes(&db, &["case", "A世帯", "--format", "docx", "--redact"]);
    assert!(docx.starts_with(b"PK"));
    let audited = db.open().audit_trail(None).unwrap();
    assert!(audited.iter().any(|a| a.action == "export_case"));
}

/// The household of seed 002's case, told as a facilitator would type it: names in notes,
/// readings, honorifics, a removed member.
fn told_case() -> (TempDb, Store, i64) {
    let (db, mut store) = sumida();
    store.set_user("sato");
    let case = store
        .create_case(&NewCase {
            pseudonym: "A世帯".to_owned(),
            opened: Some(day("2026-10-20")),
            referred_by: Some("健康推進課".to_owned()),
            lead_agency: Some("くらし・しごと相談室".to_owned()),
            members: vec![
                ("本人".to_owned(), "山田 太郎（ヤマダ タロウ）".to_owned()),
                ("子".to_owned(), "山田 一郎".to_owned()),
            ],
        })
        .unwrap();
    let former = store.add_member(case, "元妻", "佐藤 恵子", None).unwrap();
    let support = meeting(&mut store, "支援会議", "2026-11-03");
    let core = meeting(&mut store, "コア会議", "2026-11-17");
    let plenary = meeting(&mut store, "重層的支援会議", "2026-11-20");
    store.link_case(support, case).unwrap();
    store
        .set_situation(
            support,
            case,
            "太郎さんは玄関から出られない。一郎さんが週2回、食事を届ける。元妻の恵子さんとは連絡なし | 住所は秘密。",
        )
        .unwrap();
    let mut e = edit(&store, case);
    e.key_person = "子（山田 一郎）".to_owned();
    e.risk = Some(Level::Medium);
    e.urgency = Some(Level::High);
    e.policy = "メールでの連絡を保ち、医療と生活保護の相談を並行して進める。".to_owned();
    store.update_case(case, &e, Some(support)).unwrap();
    store
        .revise_plan(
            case,
            &[
                line("くらし・しごと相談室", "メール窓口", "連絡が途切れない"),
                line("健康推進課", "訪問診療の調整", "受診につながる"),
            ],
            Some(support),
        )
        .unwrap();
    let agenda = item(&mut store, support);
    store
        .add_entry(
            agenda,
            EntryKind::Note,
            "山田太郎さんはメールにだけ返信がある。長男の一郎さんが週2回食事を届けている",
        )
        .unwrap();
    store
        .add_entry(
            agenda,
            EntryKind::Decision,
            "ヤマダさんへの連絡はメールに一本化する",
        )
        .unwrap();
    store
        .add_role(support, Some("生活福祉課"), "生活保護の相談")
        .unwrap();
    let mail = store
        .add_action(
            support,
            Some("くらし・しごと相談室"),
            "太郎さんに結果をメールで伝える",
            Some(day("2026-11-06")),
        )
        .unwrap();
    store
        .add_action(
            support,
            Some("健康推進課"),
            "訪問診療の医療機関をあたる",
            Some(day("2026-11-20")),
        )
        .unwrap();
    store.add_case_issue(support, "ひきこもり").unwrap();
    hold(&mut store, support);
    store.link_case(core, case).unwrap();
    store
        .close_action(mail, ActionStatus::Done, Some(core))
        .unwrap();
    store
        .set_case_status(case, CaseStatus::Active, Some(core))
        .unwrap();
    hold(&mut store, core);
    store.remove_member(former, None).unwrap();
    store.link_case(plenary, case).unwrap();
    store
        .close_case(
            case,
            &Closure {
                kind: CaseStatus::Closed,
                date: day("2026-11-20"),
                reason: "生活保護が始まり、訪問診療が定着した。".to_owned(),
                evaluation: "受診の目標は達成。ヤマダ タロウさんの外出は今後の課題。".to_owned(),
                transferred_to: String::new(),
            },
            Some(plenary),
        )
        .unwrap();
    hold(&mut store, plenary);
    (db, store, case)
}

#[test]
fn golden_case_record() {
    let (_db, store, case) = told_case();
    insta::assert_snapshot!("case_record_ja", record_md(&store, case, Lang::Ja, false));
    insta::assert_snapshot!("case_record_en", record_md(&store, case, Lang::En, false));
    let redacted = record_md(&store, case, Lang::Ja, true);
    for name in [
        "山田",
        "太郎",
        "一郎",
        "ヤマダ",
        "タロウ",
        "佐藤",
        "恵子",
        "sato",
    ] {
        assert!(!redacted.contains(name), "{name}:\n{redacted}");
    }
    insta::assert_snapshot!("case_record_redacted", redacted);
    let en = record_md(&store, case, Lang::En, true);
    for name in ["山田", "太郎", "一郎", "ヤマダ", "Yamada", "Taro", "sato"] {
        assert!(!en.contains(name), "{name}:\n{en}");
    }
    // The minutes of the meeting know the household too.
    let support = store.case_detail(case).unwrap().unwrap().timeline[0].meeting_id;
    let minutes = minutes_md(&store, support, Lang::Ja, true);
    for name in ["山田", "太郎", "一郎", "ヤマダ", "恵子"] {
        assert!(!minutes.contains(name), "{name}:\n{minutes}");
    }
    assert!(minutes.contains("A氏"), "{minutes}");
}

/// `demo --scale N` makes a ledger of cases (about twenty a unit of scale, for issue 18's 2,000
/// at --scale 100): every generated meeting that names a household is linked to its case, and
/// the meetings of one household are one case.
#[test]
fn the_ward_scale_demo_makes_cases_and_links_every_meeting_to_its_own() {
    // Scale 1 is the plain demo.
    let db = common::demo_loaded();
    let store = db.open();
    let unlinked: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM meetings m WHERE trim(m.case_ref) <> ''
               AND NOT EXISTS (SELECT 1 FROM meeting_cases k WHERE k.meeting_id = m.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unlinked, 0);
    let cases = store.case_ledger(LedgerFilter::All, false).unwrap();
    assert!((1..=20).contains(&cases.len()), "{}", cases.len());
    let mixed: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM meeting_cases k JOIN meetings m ON m.id = k.meeting_id
             JOIN cases c ON c.id = k.case_id
             WHERE trim(m.case_ref) <> '' AND c.pseudonym <> trim(m.case_ref)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(mixed, 0);
}

/// A streamed import reads the cases with the bodies, before the meetings: a hand-made file that
/// gives its cases after its meetings is read in two passes and links them all the same; a link
/// uid given twice in the file is refused with its path, whichever meeting gives it.
#[test]
fn cases_written_after_the_meetings_in_a_file_still_link_them() {
    let (db, mut store) = sumida();
    let file = db.file(
        "late.json",
        r#"{ "format": "renkei/1",
  "meetings": [ { "body": "地域ケア会議", "date": "2026-11-18", "status": "held",
                  "cases": ["k-1"], "issues": ["孤立"] } ],
  "cases": [ { "id": "k-1", "pseudonym": "Q世帯", "status": "active" } ] }"#
            .as_bytes(),
    );
    store.import_files(&[file], Encoding::Auto).unwrap();
    let q = store.find_case("Q世帯").unwrap().unwrap();
    let meeting: i64 = store
        .conn()
        .query_row(
            "SELECT id FROM meetings WHERE date = '2026-11-18'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let linked: Vec<i64> = store
        .meeting_cases(meeting)
        .unwrap()
        .iter()
        .map(|c| c.case_id)
        .collect();
    assert_eq!(linked, vec![q]);
    let issue: Option<i64> = store
        .conn()
        .query_row(
            "SELECT case_id FROM case_issues WHERE meeting_id = ?1",
            [meeting],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(issue, Some(q));

    let uid = "0192f4a0-0000-7000-8000-000000000001";
    let twice = db.file(
        "twice.json",
        format!(
            r#"{{ "format": "renkei/1",
  "cases": [ {{ "id": "r", "pseudonym": "R世帯" }} ],
  "meetings": [
    {{ "body": "地域ケア会議", "date": "2026-11-19", "cases": [ {{ "uid": "{uid}", "case": "r" }} ] }},
    {{ "body": "地域ケア会議", "date": "2026-11-20", "cases": [ {{ "uid": "{uid}", "case": "r" }} ] }} ] }}"#
        )
        .as_bytes(),
    );
    let err = store
        .import_files(&[twice], Encoding::Auto)
        .unwrap_err()
        .to_string();
    assert!(err.contains("meetings[1].cases[0].uid"), "{err}");
    assert!(
        err.contains("meetings[0].cases[0].uid"),
        "the first named: {err}"
    );
    assert!(
        store.find_case("R世帯").unwrap().is_none(),
        "nothing written"
    );

    // The links' uids are kept on disk through the import (a ten-times ward's export gives a
    // quarter of a million): a file read in two passes (its cases after its meetings) meets its
    // links again in the second, and that is no uid given twice; a uid given twice there is.
    let link = |n: u8| format!("0192f4a0-0000-7000-8000-0000000000a{n}");
    let late = |second: &str| {
        format!(
            r#"{{ "format": "renkei/1",
  "meetings": [
    {{ "body": "地域ケア会議", "date": "2026-11-21", "cases": [ {{ "uid": "{}", "case": "s" }} ] }},
    {{ "body": "地域ケア会議", "date": "2026-11-22", "cases": [ {{ "uid": "{second}", "case": "s" }} ] }} ],
  "cases": [ {{ "id": "s", "pseudonym": "S世帯" }} ] }}"#,
            link(1)
        )
    };
    let again = db.file("again.json", late(&link(1)).as_bytes());
    let err = store
        .import_files(&[again], Encoding::Auto)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("meetings[1].cases[0].uid") && err.contains("meetings[0].cases[0].uid"),
        "{err}"
    );
    assert!(
        store.find_case("S世帯").unwrap().is_none(),
        "nothing written"
    );
    let two = db.file("two.json", late(&link(2)).as_bytes());
    store.import_files(&[two], Encoding::Auto).unwrap();
    assert!(store.find_case("S世帯").unwrap().is_some());
}

fn ledger_at(db: &TempDb, now: &str, args: &[&str]) -> serde_json::Value {
    let out = renkei(db)
        .env("RENKEI_NOW", now)
        .args(["cases", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn pseudonyms(json: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pseudonym"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

/// Issue 18 item 1: each followed case's next review comes from the date set for it or from the
/// rules (fixtures/case_rules.toml: by risk, by the kind of body that last discussed it), and
/// the cases past it are due on the clock of the day.
#[test]
fn review_dates_come_from_the_rules_and_fall_due_on_the_clock() {
    let (db, mut store) = sumida();
    let with_risk = |store: &mut Store, name: &str, risk: Option<Level>| {
        let id = open_case(store, name);
        let mut e = edit(store, id);
        e.risk = risk;
        store.update_case(id, &e, None).unwrap();
        id
    };
    // Opened 2026-10-20, never discussed: from the day it was opened.
    let high = with_risk(&mut store, "H世帯", Some(Level::High));
    let medium = with_risk(&mut store, "M世帯", Some(Level::Medium));
    let none = with_risk(&mut store, "N世帯", None);
    // Low risk (6 months) but last discussed by a 要対協 (every 3 months): the shorter holds.
    let low = with_risk(&mut store, "L世帯", Some(Level::Low));
    let council = meeting(
        &mut store,
        "要保護児童対策地域協議会実務者会議",
        "2026-11-04",
    );
    store.link_case(council, low).unwrap();
    hold(&mut store, council);
    // Low risk at a 地域ケア会議 (no interval of its own): 6 months.
    let care_low = with_risk(&mut store, "K世帯", Some(Level::Low));
    let care = meeting(&mut store, "地域ケア会議", "2026-11-05");
    store.link_case(care, care_low).unwrap();
    hold(&mut store, care);
    // A date set at a meeting holds until a later meeting discusses the case.
    let set = with_risk(&mut store, "S世帯", Some(Level::High));
    let support = meeting(&mut store, "支援会議", "2026-11-06");
    store.link_case(support, set).unwrap();
    let mut e = edit(&store, set);
    e.next_review = Some(day("2027-03-01"));
    store.update_case(set, &e, Some(support)).unwrap();
    hold(&mut store, support);

    let review = |store: &Store, id: i64| store.case_detail(id).unwrap().unwrap().row;
    assert_eq!(review(&store, high).next_review, Some(day("2026-11-20")));
    assert_eq!(review(&store, medium).next_review, Some(day("2027-01-20")));
    assert_eq!(review(&store, none).next_review, Some(day("2027-01-20")));
    assert_eq!(review(&store, low).next_review, Some(day("2027-02-04")));
    assert_eq!(
        review(&store, care_low).next_review,
        Some(day("2027-05-05"))
    );
    let s = review(&store, set);
    assert_eq!(s.next_review, Some(day("2027-03-01")));
    assert!(!s.review_by_rule());
    assert!(review(&store, high).review_by_rule());
    drop(store);

    // The clock decides what is due: the day of the tests (11-21), then later days.
    assert_eq!(
        pseudonyms(&ledger_at(&db, common::NOW, &["--due"])),
        ["H世帯"]
    );
    let json = ledger_at(&db, common::NOW, &["--due"]);
    assert_eq!(json[0]["next_review"], "2026-11-20");
    assert_eq!(json[0]["review_overdue"], true);
    assert_eq!(json[0]["review_by_rule"], true);
    assert_eq!(
        pseudonyms(&ledger_at(&db, "2026-11-20T23:59:00+09:00", &["--due"])),
        ["H世帯"],
        "due on the day itself"
    );
    assert_eq!(
        pseudonyms(&ledger_at(&db, "2026-11-19T23:59:00+09:00", &["--due"])),
        Vec::<String>::new()
    );
    // Japan's day, whatever the machine's zone: 11-19 15:30 UTC is already the 20th in Tokyo.
    let out = renkei(&db)
        .env("RENKEI_NOW", "2026-11-19T15:30:00Z")
        .env("TZ", "America/Los_Angeles")
        .args(["cases", "--due", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(pseudonyms(&json), ["H世帯"]);
    assert_eq!(
        pseudonyms(&ledger_at(&db, "2027-02-04T10:00:00+09:00", &["--due"])),
        ["H世帯", "L世帯", "M世帯", "N世帯"]
    );
    assert_eq!(
        pseudonyms(&ledger_at(&db, "2027-03-02T10:00:00+09:00", &["--due"])),
        ["H世帯", "L世帯", "M世帯", "N世帯", "S世帯"]
    );

    // A later meeting that discusses the case without setting a date: the rule from that day.
    let mut store = db.open();
    let again = meeting(&mut store, "支援会議", "2026-11-20");
    store.link_case(again, high).unwrap();
    hold(&mut store, again);
    assert_eq!(review(&store, high).next_review, Some(day("2026-12-20")));
    // An ended case is due for nothing.
    store
        .close_case(
            medium,
            &Closure {
                kind: CaseStatus::Closed,
                date: day("2026-11-21"),
                reason: "終結".to_owned(),
                evaluation: "目標達成".to_owned(),
                transferred_to: String::new(),
            },
            None,
        )
        .unwrap();
    drop(store);
    assert_eq!(
        pseudonyms(&ledger_at(&db, "2027-02-04T10:00:00+09:00", &["--due"])),
        ["H世帯", "L世帯", "N世帯"]
    );
    let table = String::from_utf8(
        renkei(&db)
            .env("RENKEI_NOW", "2027-02-04T10:00:00+09:00")
            .args(["cases", "--due"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(table.contains("! 2026-12-20"), "{table}");

    // A date set by hand after the last meeting holds, even one already past …
    let mut store = db.open();
    let mut e = edit(&store, low);
    e.next_review = Some(day("2026-11-10"));
    store.update_case(low, &e, None).unwrap();
    assert_eq!(review(&store, low).next_review, Some(day("2026-11-10")));
    assert!(review(&store, low).review_overdue(day("2026-11-21")));
    drop(store);
    // … until a meeting discusses the case on a later day: S世帯's 2027-03-01 gives way to the
    // rule from that meeting (high risk: a month).
    let later = chrono::DateTime::parse_from_rfc3339("2026-12-10T10:00:00+09:00").unwrap();
    let mut store = Store::open(&db.path, renkei::clock::Clock::fixed(later)).unwrap();
    let december = meeting(&mut store, "支援会議", "2026-12-10");
    store.link_case(december, set).unwrap();
    hold(&mut store, december);
    assert_eq!(review(&store, set).next_review, Some(day("2027-01-10")));
    assert!(review(&store, set).review_by_rule());
}

/// Issue 18 item 4: `renkei cases --format csv` is the 進行管理台帳 a ward keeps — its twelve
/// columns, one row per case — in UTF-8 with a BOM or in CP932, the same cells either way, and a
/// cell a spreadsheet would take for a formula written as text.
#[test]
fn the_ledger_csv_reads_back_the_same_in_both_encodings() {
    let (db, mut store, cases) = busy_ward();
    let mut e = edit(&store, cases[0]);
    e.risk = Some(Level::High);
    e.urgency = Some(Level::Medium);
    e.policy = "=HYPERLINK(\"http://example.com\",\"見守り～継続\")".to_owned();
    store.update_case(cases[0], &e, None).unwrap();
    drop(store);

    let utf8 = stdout_bytes(&db, &["cases", "--status", "all", "--format", "csv"]);
    assert!(utf8.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let cp932 = stdout_bytes(
        &db,
        &[
            "cases",
            "--status",
            "all",
            "--format",
            "csv",
            "--encoding",
            "cp932",
        ],
    );
    assert!(!cp932.starts_with(b"\xEF\xBB\xBF"));
    assert!(std::str::from_utf8(&cp932).is_err(), "CP932, not UTF-8");
    let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(&cp932);
    assert!(!bad);
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(decoded.as_bytes());
    let (a, b) = (csv_cells(&utf8), csv_cells(&with_bom));
    assert_eq!(a, b, "the same cells in both encodings");

    assert_eq!(a.len(), 5, "a header and four cases:\n{a:?}");
    let header = &a[0];
    let row = |name: &str| {
        let r = a.iter().find(|r| r[0] == name).unwrap();
        header
            .iter()
            .cloned()
            .zip(r.iter().cloned())
            .collect::<std::collections::HashMap<_, _>>()
    };
    let a_case = row("A世帯");
    assert_eq!(a_case["受理日"], "2026-10-20");
    assert_eq!(a_case["相談経路"], "健康推進課");
    assert_eq!(a_case["主担当機関"], "地域福祉課");
    assert_eq!(a_case["危険度"], "高");
    assert_eq!(a_case["緊急度"], "中");
    assert_eq!(a_case["最終検討日"], "2026-11-10");
    // High risk: a month after the last meeting (the rules), as in the ledger.
    assert_eq!(a_case["次回確認日"], "2026-12-10");
    assert_eq!(a_case["終結日"], "");
    assert!(
        a_case["援助方針"].starts_with("'=HYPERLINK"),
        "a formula is text: {}",
        a_case["援助方針"]
    );
    let d_case = row("D世帯");
    assert_eq!(d_case["状態"], "中断");
    assert_eq!(d_case["終結日"], "2026-11-10");
    assert_eq!(d_case["終結理由"], "連絡が取れない");
    assert_eq!(d_case["次回確認日"], "", "an ended case has no review");

    // English headers with --lang en; the same rows.
    let en = csv_cells(&stdout_bytes(
        &db,
        &[
            "--lang", "en", "cases", "--status", "all", "--format", "csv",
        ],
    ));
    assert_eq!(en[0][0], "case");
    assert_eq!(en[0][11], "closure_reason");
    assert_eq!(en.len(), a.len());
}

/// Attack report 2 items 15 and 18c: a pseudonym a spreadsheet would read as a number is
/// written as text; a character CP932 lacks — a control character too, which the CSV writes as
/// � — is an error naming the row, the column and its name, and the character, never the cell.
#[test]
fn the_ledger_csv_keeps_a_number_like_pseudonym_text_and_names_what_cp932_lacks() {
    let (db, mut store, cases) = busy_ward();
    let mut e = edit(&store, cases[0]);
    e.pseudonym = "+1.5".to_owned();
    store.update_case(cases[0], &e, None).unwrap();
    let cells = csv_cells(&stdout_bytes(
        &db,
        &["cases", "--status", "all", "--format", "csv"],
    ));
    assert!(cells.iter().any(|r| r[0] == "'+1.5"), "{cells:?}");
    assert!(!cells.iter().any(|r| r[0] == "+1.5"), "{cells:?}");

    let cp932 = |store: &mut Store, policy: &str| {
        let mut e = edit(store, cases[1]);
        e.policy = policy.to_owned();
        store.update_case(cases[1], &e, None).unwrap();
        let out = common::renkei(&db)
            .args([
                "cases",
                "--status",
                "all",
                "--format",
                "csv",
                "--encoding",
                "cp932",
            ])
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let err = cp932(&mut store, "見守り\u{1b}]0;PWN\u{7}継続");
    assert!(
        err.contains("列目（援助方針）: (U+001B) は CP932 で書けません"),
        "{err}"
    );
    assert!(err.contains(" 行目・"), "{err}");
    assert!(!err.contains("見守り") && !err.contains('\u{1b}'), "{err}");
    let err = cp932(&mut store, "長い方針の途中に𠮷田さん");
    assert!(err.contains("列目（援助方針）: '𠮷' (U+20BB7)"), "{err}");
    assert!(!err.contains("長い方針"), "{err}");
}

/// Attack report 2 item 18a, then attack report 7 finding 16: a text longer than an Excel cell
/// holds refused the whole ledger workbook (every other case with it, until someone shortened
/// the record). The cell holds its beginning now, with a mark that says it was cut and where
/// the whole text is, and every case is written. (Seen failing before: refused.)
#[test]
fn a_text_too_long_for_a_cell_is_cut_with_a_mark_and_the_ledger_written() {
    use calamine::{Reader, open_workbook_auto};
    let (db, mut store, cases) = busy_ward();
    let mut e = edit(&store, cases[0]);
    e.policy = "見守り".repeat(15_000);
    store.update_case(cases[0], &e, None).unwrap();
    let path = db.dir.path().join("ledger.xlsx");
    common::succeeds(
        common::renkei(&db)
            .args(["cases", "--status", "all", "--format", "xlsx", "-o"])
            .arg(&path),
    );
    let mut book = open_workbook_auto(&path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let cells: Vec<String> = range.rows().flatten().map(|c| c.to_string()).collect();
    let cut = cells
        .iter()
        .find(|c| c.starts_with("見守り見守り"))
        .expect("the policy's cell");
    assert_eq!(cut.chars().count(), 32_767);
    assert!(
        cut.ends_with("全文は renkei で）"),
        "{}",
        &cut[cut.len() - 90..]
    );
    for case in &cases {
        let pseudonym: String = store
            .conn()
            .query_row("SELECT pseudonym FROM cases WHERE id = ?1", [case], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(cells.contains(&pseudonym), "{pseudonym}");
    }
}

/// Issue 18 item 5 through the store and the command line: the busy ward's cases in the year's
/// report (CSV and workbook), counted by hand, with a person typed as a lead agency counted
/// under the neutral label, never by name.
#[test]
fn the_years_cases_in_the_report_on_the_command_line() {
    let (db, mut store, cases) = busy_ward();
    // C世帯's lead agency typed as a member of A世帯's household: refused by the case form
    // now (attack report 5, finding 18), kept as an older renkei or a file recorded it.
    let mut e = edit(&store, cases[2]);
    e.lead_agency = Some("山田 一郎".to_owned());
    assert!(store.update_case(cases[2], &e, None).is_err());
    store
        .conn()
        .execute_batch(&format!(
            "INSERT OR IGNORE INTO agencies (name) VALUES ('山田 一郎');
             UPDATE cases SET lead_agency = (SELECT id FROM agencies WHERE name = '山田 一郎')
             WHERE id = {};",
            cases[2]
        ))
        .unwrap();
    drop(store);

    let rows = csv_cells(&stdout_bytes(
        &db,
        &["report", "--fiscal-year", "2026", "--format", "csv"],
    ));
    let find = |title: &str, label: &str| -> String {
        let start = rows
            .iter()
            .position(|r| r[0] == format!("■ {title}"))
            .unwrap_or_else(|| panic!("no table {title}: {rows:?}"));
        let row = rows[start..]
            .iter()
            .take_while(|r| !r.iter().all(String::is_empty))
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("no row {label} in {title}"));
        row[1].clone()
    };
    // A opened 2026-10-20, B, C and D on the day they were made (2026-11-21, today).
    assert_eq!(find("事例（進行管理）", "受理した事例"), "4");
    // D suspended at the plenary; C closed and reopened is followed again.
    assert_eq!(find("事例（進行管理）", "終結・中断・移管した事例"), "1");
    assert_eq!(find("事例（進行管理）", "年度末に対応中の事例"), "3");
    // A at three meetings, B, C at the council, D at the plenary: 6 over 4.
    assert_eq!(find("事例（進行管理）", "会議で扱った事例"), "4");
    assert_eq!(
        find("事例（進行管理）", "1事例あたりの会議回数（平均）"),
        "1.5"
    );
    // The council (要対協, a ledger kind) discussed A, B and C.
    assert_eq!(
        find("事例（進行管理）", "進行管理の確認（会議で検討した件数）"),
        "3"
    );
    assert_eq!(
        find("事例（進行管理）", "年度末に確認期限を過ぎていた事例"),
        "0"
    );
    assert_eq!(
        find("終結・中断・移管の理由", "中断（連絡が取れない）"),
        "1"
    );
    assert_eq!(find("事例の相談経路（受理した事例）", "健康推進課"), "1");
    assert_eq!(find("事例の相談経路（受理した事例）", "未記入"), "3");
    assert_eq!(
        find("主担当機関（年度内に対応した事例）", "地域福祉課"),
        "1"
    );
    assert_eq!(
        find("主担当機関（年度内に対応した事例）", "個人（家族等）"),
        "1"
    );
    assert!(
        !rows.iter().flatten().any(|c| c.contains("山田")),
        "no name in the report"
    );
    assert_eq!(find("本人同意（年度内に対応した事例）", "有"), "1");
    assert_eq!(find("本人同意（年度内に対応した事例）", "未確認"), "3");
    assert_eq!(find("事例の課題（1事例1回）", "不登校"), "1");

    // The workbook has a sheet per table, the cases' among them.
    let out = db.dir.path().join("report.xlsx");
    renkei(&db)
        .args(["report", "--fiscal-year", "2026", "--format", "xlsx", "-o"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut workbook = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut workbook)
        .unwrap();
    assert!(workbook.contains("事例（進行管理）"), "{workbook}");

    // Beside the year before (no case then): every case row is 0 there.
    let md = String::from_utf8(stdout_bytes(
        &db,
        &["report", "--fiscal-year", "2026", "--compare", "2025"],
    ))
    .unwrap();
    assert!(md.lines().any(|l| l == "| 受理した事例 | 4 | 0 |"), "{md}");
}

/// A review as the facilitator decides it: continued, the next review given.
fn continued(next: &str) -> ReviewDraft {
    ReviewDraft {
        status: CaseStatus::Active,
        lead_agency: None,
        policy: None,
        next_review: Some(day(next)),
        note: String::new(),
        reason: String::new(),
        evaluation: String::new(),
        transferred_to: String::new(),
        seen: None,
    }
}

const COUNCIL: &str = "要保護児童対策地域協議会実務者会議";

/// Issue 18 item 2: a review lands on its case (status, lead agency, policy, next review), on
/// the meeting (linked, with the basis of sharing) and in the case's history, in one step.
#[test]
fn a_review_changes_the_case_and_is_kept_with_the_meeting_and_the_case() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    assert!(store.keeps_ledger(council).unwrap());
    let draft = ReviewDraft {
        status: CaseStatus::Monitoring,
        lead_agency: Some("子ども家庭支援センター".to_owned()),
        policy: Some("月1回の家庭訪問で見守る".to_owned()),
        note: " 登校が安定 ".to_owned(),
        ..continued("2027-02-20")
    };
    let id = store.review_case(council, case, &draft).unwrap();
    let detail = store.case_detail(case).unwrap().unwrap();
    assert_eq!(detail.row.status, CaseStatus::Monitoring);
    assert_eq!(
        detail.row.lead_agency.as_deref(),
        Some("子ども家庭支援センター")
    );
    assert_eq!(detail.row.policy, "月1回の家庭訪問で見守る");
    assert_eq!(detail.row.next_review, Some(day("2027-02-20")));
    // On the meeting, shared on the council's law.
    let at = store.meeting_cases(council).unwrap();
    assert_eq!(at.len(), 1);
    assert!(at[0].basis.contains("児童福祉法"), "{}", at[0].basis);
    let reviews = store.meeting_reviews(council).unwrap();
    assert_eq!(reviews.len(), 1);
    let r = &reviews[0];
    assert_eq!((r.id, r.case, r.meeting), (id, case, council));
    assert_eq!(r.meeting_date, day("2026-11-20"));
    assert_eq!(r.body, COUNCIL);
    assert_eq!(r.pseudonym, "A世帯");
    assert_eq!(r.status, CaseStatus::Monitoring);
    assert_eq!(r.lead_agency.as_deref(), Some("子ども家庭支援センター"));
    assert_eq!(r.policy, "月1回の家庭訪問で見守る");
    assert_eq!(r.next_review, Some(day("2027-02-20")));
    assert_eq!(r.note, "登校が安定");
    assert_eq!(store.case_reviews(case).unwrap(), reviews);
    // Every change in the case's history, against the meeting; the review in the audit.
    let count = |sql: &str| -> i64 { store.conn().query_row(sql, [case], |r| r.get(0)).unwrap() };
    assert_eq!(
        count(
            "SELECT COUNT(DISTINCT field) FROM case_changes WHERE case_id = ?1 AND meeting_id IS NOT NULL
             AND field IN ('status', 'lead_agency', 'policy', 'next_review')"
        ),
        4
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM case_changes WHERE case_id = ?1 AND entity = 'case_review'"),
        1
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM audit WHERE action = 'case_review' AND detail LIKE 'case ' || ?1 || ' %'"
        ),
        1
    );
    // None: the lead agency as before, the policy unchanged.
    let again = ReviewDraft {
        lead_agency: None,
        policy: None,
        ..continued("2027-01-20")
    };
    store.review_case(council, case, &again).unwrap();
    let detail = store.case_detail(case).unwrap().unwrap();
    assert_eq!(
        detail.row.lead_agency.as_deref(),
        Some("子ども家庭支援センター")
    );
    assert_eq!(detail.row.policy, "月1回の家庭訪問で見守る");
    assert_eq!(detail.row.status, CaseStatus::Active);
    let rev = |store: &Store| -> i64 {
        store
            .conn()
            .query_row("SELECT rev FROM case_reviews WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
    };
    let (before, changes) = (
        rev(&store),
        common::dump(&store).matches("case_review").count(),
    );
    store.review_case(council, case, &again).unwrap();
    assert_eq!(rev(&store), before, "the same review again changes nothing");
    assert_eq!(
        common::dump(&store).matches("case_review").count(),
        changes + 1,
        "but the audit says it was confirmed"
    );
    let reviews = store.meeting_reviews(council).unwrap();
    assert_eq!(reviews.len(), 1, "revised, not doubled");
    assert_eq!(reviews[0].id, id);
    assert_eq!(reviews[0].status, CaseStatus::Active);
    assert_eq!(reviews[0].note, "");
}

/// Issue 18 item 2: what a review cannot record is refused with one line, and changes nothing.
#[test]
fn a_review_that_cannot_be_recorded_is_refused_and_changes_nothing() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    let support = meeting(&mut store, "支援会議", "2026-11-20");
    let before = common::dump(&store);
    let closed = ReviewDraft {
        status: CaseStatus::Closed,
        next_review: None,
        evaluation: "目標達成".to_owned(),
        ..continued("2027-01-01")
    };
    let suspended = ReviewDraft {
        status: CaseStatus::Suspended,
        reason: "  ".to_owned(),
        ..closed.clone()
    };
    let transferred = ReviewDraft {
        status: CaseStatus::Transferred,
        reason: "転居".to_owned(),
        ..closed.clone()
    };
    let undated = ReviewDraft {
        next_review: None,
        ..continued("2027-01-01")
    };
    let far = continued("2037-11-22");
    let cases: [(i64, &ReviewDraft, &str); 6] = [
        (council, &closed, "without a reason"),
        (council, &suspended, "without a reason"),
        (council, &transferred, "without where to"),
        (council, &undated, "next review date"),
        (council, &far, "10 years"),
        (support, &continued("2027-01-01"), "keeps no case ledger"),
    ];
    for (m, draft, word) in cases {
        let err = store.review_case(m, case, draft).unwrap_err().to_string();
        assert!(err.contains(word), "{word}: {err}");
        assert!(!err.contains('\n'), "one line: {err}");
    }
    assert!(
        store
            .review_case(999_999, case, &continued("2027-01-01"))
            .is_err()
    );
    assert!(
        store
            .review_case(council, 999_999, &continued("2027-01-01"))
            .is_err()
    );
    assert_eq!(common::dump(&store), before, "nothing changed");
    // Ten years to the day is within the horizon.
    store
        .review_case(council, case, &continued("2036-11-21"))
        .unwrap();
}

/// Issue 18 item 3: 終結 at a review closes the case through the closure's rules (the reason, the
/// evaluation, dated the meeting's day, closed in it); 移管 says where; revised back to 継続 at
/// the same meeting, it is open again and its history keeps both.
#[test]
fn closure_at_a_review_needs_its_reason_and_a_transfer_where_to() {
    let (_db, mut store) = sumida();
    let a = open_case(&mut store, "A世帯");
    let b = open_case(&mut store, "B世帯");
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    let closure = ReviewDraft {
        status: CaseStatus::Closed,
        next_review: None,
        reason: "転居先で支援が定着".to_owned(),
        evaluation: "登校と通院が安定した".to_owned(),
        ..continued("2027-01-01")
    };
    store.review_case(council, a, &closure).unwrap();
    let closed = store.case_ledger(LedgerFilter::Closed, false).unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].id, a);
    assert_eq!(closed[0].closed, Some(day("2026-11-20")));
    assert_eq!(closed[0].closure_reason, "転居先で支援が定着");
    assert_eq!(closed[0].next_review, None, "an ended case has no review");
    let detail = store.case_detail(a).unwrap().unwrap();
    assert_eq!(detail.evaluation, "登校と通院が安定した");
    let closed_in: Option<i64> = store
        .conn()
        .query_row("SELECT closed_in FROM cases WHERE id = ?1", [a], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(closed_in, Some(council));
    let transfer = ReviewDraft {
        status: CaseStatus::Transferred,
        reason: "転居".to_owned(),
        evaluation: String::new(),
        transferred_to: "江東区子ども家庭支援センター".to_owned(),
        ..closure.clone()
    };
    store.review_case(council, b, &transfer).unwrap();
    let detail = store.case_detail(b).unwrap().unwrap();
    assert_eq!(detail.row.status, CaseStatus::Transferred);
    assert_eq!(detail.transferred_to, "江東区子ども家庭支援センター");
    let r = &store.case_reviews(b).unwrap()[0];
    assert_eq!(r.transferred_to, "江東区子ども家庭支援センター");
    assert_eq!(r.next_review, None);

    // Revised at the same meeting: continued after all.
    store
        .review_case(council, a, &continued("2027-02-20"))
        .unwrap();
    let detail = store.case_detail(a).unwrap().unwrap();
    assert_eq!(detail.row.status, CaseStatus::Active);
    assert_eq!(detail.row.closed, None);
    assert_eq!(detail.row.next_review, Some(day("2027-02-20")));
    let r = &store.case_reviews(a).unwrap()[0];
    assert_eq!((r.status, r.reason.as_str()), (CaseStatus::Active, ""));
    let record = record_md(&store, a, Lang::Ja, false);
    assert!(record.contains("受理 → 終結"), "{record}");
    assert!(record.contains("終結 → 支援中"), "{record}");
}

/// Issue 18 item 2: two facilitators review the same case at the same meeting, each in their
/// own process: the later one revises the review, and the case's history keeps both.
#[test]
fn two_facilitators_reviewing_one_case_keep_both_in_its_history() {
    let (db, mut first) = sumida();
    let case = open_case(&mut first, "A世帯");
    let council = begun(&mut first, COUNCIL, "2026-11-20");
    let mut second = db.open();
    second.set_user("tanaka");
    first
        .review_case(
            council,
            case,
            &ReviewDraft {
                note: "佐藤の記録".to_owned(),
                ..continued("2027-01-20")
            },
        )
        .unwrap();
    second
        .review_case(
            council,
            case,
            &ReviewDraft {
                status: CaseStatus::Monitoring,
                note: "田中の記録".to_owned(),
                ..continued("2027-02-20")
            },
        )
        .unwrap();
    let reviews = first.meeting_reviews(council).unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].note, "田中の記録");
    assert_eq!(reviews[0].status, CaseStatus::Monitoring);
    let history: Vec<(String, String, Option<String>, Option<String>)> = first
        .conn()
        .prepare(
            "SELECT by, field, old_value, new_value FROM case_changes
             WHERE case_id = ?1 AND entity = 'case_review' ORDER BY id",
        )
        .unwrap()
        .query_map([case], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        history.contains(&(
            "tanaka".to_owned(),
            "note".to_owned(),
            Some("佐藤の記録".to_owned()),
            Some("田中の記録".to_owned())
        )),
        "{history:?}"
    );
    assert!(
        history
            .iter()
            .any(|h| h.0 == "tanaka" && h.1 == "status" && h.3.as_deref() == Some("monitoring")),
        "{history:?}"
    );
}

/// Issue 18 item 2: a review at a meeting whose minutes are approved is an amendment (修正履歴),
/// as a capture added there is: never a silent rewrite.
#[test]
fn a_review_after_the_minutes_are_approved_is_an_amendment() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    hold(&mut store, council);
    store.approve_minutes(council).unwrap();
    store
        .review_case(council, case, &continued("2027-01-20"))
        .unwrap();
    store
        .review_case(
            council,
            case,
            &ReviewDraft {
                note: "追記".to_owned(),
                ..continued("2027-01-20")
            },
        )
        .unwrap();
    let amendments: Vec<(String, Option<String>)> = store
        .conn()
        .prepare(
            "SELECT field, new_value FROM changes WHERE meeting_id = ?1 AND entity = 'case_review'
             AND amendment = 1 ORDER BY id",
        )
        .unwrap()
        .query_map([council], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        amendments,
        [
            ("added".to_owned(), Some("present".to_owned())),
            ("note".to_owned(), Some("追記".to_owned()))
        ]
    );
}

/// Issue 18 item 1: a body's own rule (`review_months` of its fixture entry) changes the date a
/// review suggests; without one, the rule of its kind and the case's risk hold.
#[test]
fn a_bodys_own_review_rule_from_its_fixture_changes_the_suggested_date() {
    let (db, mut store) = sumida();
    store
        .import_files(&[common::fixture("koto.toml")], Encoding::Auto)
        .unwrap();
    let case = open_case(&mut store, "A世帯");
    let koto = meeting(&mut store, "支援方針検討会議", "2026-11-20");
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    assert!(
        store.keeps_ledger(koto).unwrap(),
        "ledger = true in koto.toml"
    );
    let suggested =
        |store: &Store, m: i64| store.suggested_review(m, case, CaseStatus::Active).unwrap();
    // 支援方針検討会議: every month (its own rule); the 要対協: every 3 months (its kind's).
    assert_eq!(suggested(&store, koto), Some(day("2026-12-20")));
    assert_eq!(suggested(&store, council), Some(day("2027-02-20")));
    assert_eq!(
        store
            .suggested_review(koto, case, CaseStatus::Closed)
            .unwrap(),
        None
    );
    // The fixture changed: every 2 months.
    let changed = std::fs::read_to_string(common::fixture("koto.toml"))
        .unwrap()
        .replace(
            "ledger = true\nreview_months = 1\n",
            "ledger = true\nreview_months = 2\n",
        );
    let file = db.file("koto.toml", changed.as_bytes());
    store.import_files(&[file], Encoding::Auto).unwrap();
    assert_eq!(suggested(&store, koto), Some(day("2027-01-20")));
    // The ledger follows the same rule once the meeting has discussed the case.
    store.link_case(koto, case).unwrap();
    hold(&mut store, koto);
    let row = store
        .case_ledger(LedgerFilter::Open, false)
        .unwrap()
        .into_iter()
        .find(|r| r.id == case)
        .unwrap();
    assert_eq!(row.next_review, Some(day("2027-01-20")));
}

/// Issue 18 items 1–2: the review queue of a meeting lists the cases its body reviews that are
/// due by the meeting's date (on the injected clock), unreviewed first; `all` lists every
/// followed one; a case reviewed here stays listed, with its review.
#[test]
fn the_review_queue_lists_the_cases_due_at_the_meeting_unreviewed_first() {
    let (db, mut store) = sumida();
    let due = open_case(&mut store, "A世帯");
    let later = open_case(&mut store, "B世帯");
    let elsewhere = open_case(&mut store, "C世帯");
    let september = begun(&mut store, COUNCIL, "2026-09-01");
    store.link_case(september, due).unwrap();
    store.link_case(september, later).unwrap();
    hold(&mut store, september);
    let other = meeting(&mut store, "支援会議", "2026-09-01");
    store.link_case(other, elsewhere).unwrap();
    hold(&mut store, other);
    let mut e = edit(&store, later);
    e.next_review = Some(day("2027-03-01"));
    store.update_case(later, &e, None).unwrap();
    // September + 3 months: due on 2026-12-01, overdue on the 2nd.
    let december = begun(&mut store, COUNCIL, "2026-12-01");
    let names = |items: &[ReviewItem]| -> Vec<(String, bool, bool)> {
        items
            .iter()
            .map(|i| (i.case.pseudonym.clone(), i.due, i.review.is_some()))
            .collect()
    };
    assert_eq!(
        names(&store.review_queue(december, false).unwrap()),
        [("A世帯".to_owned(), true, false)]
    );
    assert_eq!(
        names(&store.review_queue(december, true).unwrap()),
        [
            ("A世帯".to_owned(), true, false),
            ("B世帯".to_owned(), false, false)
        ]
    );
    // Overdue on the clock: on 2026-12-02 the home list counts A世帯 for the council.
    let late = chrono::DateTime::parse_from_rfc3339("2026-12-02T09:00:00+09:00").unwrap();
    let overdue_then = |db: &TempDb| {
        Store::open(&db.path, renkei::clock::Clock::fixed(late))
            .unwrap()
            .overdue_reviews()
            .unwrap()
            .into_iter()
            .filter(|(b, _)| b.as_ref().map(|b| b.1.as_str()) == Some(COUNCIL))
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    assert_eq!(overdue_then(&db), 1);
    store
        .review_case(december, due, &continued("2027-03-01"))
        .unwrap();
    assert_eq!(overdue_then(&db), 0, "reviewed: the date set holds");
    let queue = store.review_queue(december, false).unwrap();
    assert_eq!(names(&queue), [("A世帯".to_owned(), false, true)]);
    assert_eq!(
        queue[0].review.as_ref().unwrap().next_review,
        Some(day("2027-03-01"))
    );
}

/// Issue 18 "How it is checked": a review meeting of 30 cases — each review lands on its own
/// case (status, lead agency, policy, next review) and in its own row of the minutes' table
/// (事例 / 状況 / 主担当機関 / 方針 / 次回確認, English headings with --lang en); a closure says 終結
/// with its reason, a transfer says where.
#[test]
fn a_review_meeting_of_30_cases_lands_each_review_on_its_case_and_in_the_minutes() {
    let (db, mut store) = sumida();
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    let mut cases = Vec::new();
    for i in 0..30 {
        let case = store
            .create_case(&NewCase {
                pseudonym: format!("R{i:02}世帯"),
                opened: Some(day("2026-04-01")),
                ..NewCase::default()
            })
            .unwrap();
        cases.push(case);
    }
    for (i, &case) in cases.iter().enumerate() {
        let draft = match i % 10 {
            3 => ReviewDraft {
                status: CaseStatus::Closed,
                next_review: None,
                reason: format!("目標達成{i}"),
                evaluation: "安定".to_owned(),
                ..continued("2027-01-01")
            },
            7 => ReviewDraft {
                status: CaseStatus::Transferred,
                next_review: None,
                reason: "転居".to_owned(),
                transferred_to: format!("移管先{i}"),
                ..continued("2027-01-01")
            },
            _ => ReviewDraft {
                status: if i % 2 == 0 {
                    CaseStatus::Active
                } else {
                    CaseStatus::Monitoring
                },
                lead_agency: Some(format!("機関{i}")),
                policy: Some(format!("方針{i}")),
                ..continued(&format!("2027-02-{:02}", i % 28 + 1))
            },
        };
        store.review_case(council, case, &draft).unwrap();
    }
    hold(&mut store, council);
    assert_eq!(store.meeting_reviews(council).unwrap().len(), 30);
    let md = minutes_md(&store, council, Lang::Ja, false);
    assert!(
        md.contains("| 事例 | 状況 | 主担当機関 | 方針 | 次回確認 |"),
        "{md}"
    );
    for (i, &case) in cases.iter().enumerate() {
        let detail = store.case_detail(case).unwrap().unwrap();
        let reviews = store.case_reviews(case).unwrap();
        assert_eq!(reviews.len(), 1, "case {i}");
        assert_eq!(reviews[0].meeting, council);
        let row = md
            .lines()
            .find(|l| l.starts_with(&format!("| R{i:02}世帯 |")))
            .unwrap_or_else(|| panic!("no row for R{i:02}世帯:\n{md}"));
        match i % 10 {
            3 => {
                assert_eq!(detail.row.status, CaseStatus::Closed);
                assert_eq!(detail.row.closure_reason, format!("目標達成{i}"));
                assert!(row.contains(&format!("| 終結（目標達成{i}） |")), "{row}");
            }
            7 => {
                assert_eq!(detail.row.status, CaseStatus::Transferred);
                assert_eq!(detail.transferred_to, format!("移管先{i}"));
                assert!(row.contains(&format!("移管（移管先：移管先{i}）")), "{row}");
            }
            _ => {
                let next = day(&format!("2027-02-{:02}", i % 28 + 1));
                assert_eq!(detail.row.next_review, Some(next), "case {i}");
                assert_eq!(detail.row.lead_agency, Some(format!("機関{i}")));
                assert_eq!(detail.row.policy, format!("方針{i}"));
                let word = if i % 2 == 0 { "継続" } else { "見守り" };
                assert!(
                    row.contains(&format!("| {word} | 機関{i} | 方針{i} |")),
                    "{row}"
                );
                assert!(
                    row.contains(&format!("| 2027-02-{:02}（", i % 28 + 1)),
                    "{row}"
                );
            }
        }
    }
    // The Word minutes hold the same table.
    let xml = docx_xml(&store, council, false);
    for head in ["事例", "状況", "主担当機関", "方針", "次回確認"] {
        assert!(xml.contains(&format!(">{head}<")), "{head}");
    }
    for i in 0..30 {
        assert!(xml.contains(&format!(">R{i:02}世帯<")), "R{i:02}世帯");
    }
    assert!(xml.contains("目標達成13"));
    // The year's report counts the 30 review records (a case without one: none).
    let report = store
        .report(&renkei::report::Options::new(
            Lang::Ja,
            2026,
            day("2026-11-21"),
        ))
        .unwrap();
    let held = report
        .table(renkei::report::TableId::Cases)
        .unwrap()
        .row("進行管理の確認（会議で検討した件数）")
        .unwrap()
        .values[0]
        .display(Lang::Ja);
    assert_eq!(held, "30");
    drop(store);
    let en = String::from_utf8(
        renkei(&db)
            .args(["--lang", "en", "minutes", &council.to_string()])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        en.contains("| Case | Status | Lead agency | Policy | Next review |"),
        "{en}"
    );
    assert!(en.contains("closed (目標達成3)"), "{en}");
}

/// Issue 18 item 3: the redacted minutes hold no name of the household of a reviewed case, nor
/// a person named in the review's note or policy.
#[test]
fn the_redacted_review_table_holds_no_name() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    store
        .review_case(
            council,
            case,
            &ReviewDraft {
                policy: Some("山田 一郎の登校を学校と見守る".to_owned()),
                note: "山田太郎さんと木下さんが面談。ヤマダ タロウ氏は同意".to_owned(),
                ..continued("2027-01-20")
            },
        )
        .unwrap();
    let plain = minutes_md(&store, council, Lang::Ja, false);
    assert!(plain.contains("木下さん"), "{plain}");
    for lang in [Lang::Ja, Lang::En] {
        let md = minutes_md(&store, council, lang, true);
        for name in ["山田", "太郎", "一郎", "木下", "ヤマダ", "タロウ"] {
            assert!(!md.contains(name), "{name} in the redacted minutes:\n{md}");
        }
        assert!(md.contains("A世帯"), "{md}");
    }
    // The case record, redacted, neither.
    let record = record_md(&store, case, Lang::Ja, false);
    assert!(record.contains("木下さん"), "{record}");
    for lang in [Lang::Ja, Lang::En] {
        let md = record_md(&store, case, lang, true);
        for name in ["山田", "太郎", "一郎", "木下", "ヤマダ", "タロウ"] {
            assert!(!md.contains(name), "{name} in the redacted record:\n{md}");
        }
    }
    let xml = docx_xml(&store, council, true);
    assert!(xml.contains("A世帯"));
    for name in ["山田", "太郎", "一郎", "木下", "ヤマダ", "タロウ"] {
        assert!(!xml.contains(name), "{name} in the redacted Word minutes");
    }
}

/// The body of the Word minutes of a meeting (word/document.xml).
fn docx_xml(store: &Store, meeting: i64, redact: bool) -> String {
    use std::io::Read;
    let input = store.minutes_input(meeting).unwrap().unwrap();
    let doc = minutes::document(
        &input,
        &minutes::Options {
            lang: Lang::Ja,
            redact,
        },
    );
    let bytes = renkei::office::docx::document(&doc, common::clock().now()).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// Issue 18 item 2: each review is a record of the case too — `renkei case X` lists its reviews,
/// newest first, with the body, where it stood after, the lead agency, the policy and the next
/// review; an ending with its reason.
#[test]
fn the_case_record_lists_its_reviews_newest_first() {
    let (db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let september = begun(&mut store, COUNCIL, "2026-09-10");
    let november = begun(&mut store, COUNCIL, "2026-11-12");
    store
        .review_case(
            september,
            case,
            &ReviewDraft {
                policy: Some("週1回の訪問".to_owned()),
                ..continued("2026-11-10")
            },
        )
        .unwrap();
    store
        .review_case(
            november,
            case,
            &ReviewDraft {
                status: CaseStatus::Suspended,
                next_review: None,
                reason: "連絡が取れない".to_owned(),
                ..continued("2027-01-01")
            },
        )
        .unwrap();
    let reviews = store.case_reviews(case).unwrap();
    assert_eq!(
        reviews.iter().map(|r| r.meeting).collect::<Vec<_>>(),
        [november, september]
    );
    drop(store);
    let out =
        String::from_utf8(renkei(&db).args(["case", "A世帯"]).output().unwrap().stdout).unwrap();
    assert!(out.contains("## 進行管理（会議での確認）"), "{out}");
    let section = &out[out.find("## 進行管理").unwrap()..];
    let first = section
        .find("| 2026-11-12")
        .unwrap_or_else(|| panic!("{out}"));
    let second = section
        .find("| 2026-09-10")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(first < second, "newest first:\n{out}");
    assert!(out.contains("中断（連絡が取れない）"), "{out}");
    assert!(
        out.contains("| 継続 | 地域福祉課 | 週1回の訪問 | 2026-11-10"),
        "{out}"
    );
}

/// A ward with two cases reviewed at a held council meeting: one continued, one closed.
fn reviewed_ward() -> (TempDb, Store, i64, [i64; 2]) {
    let (db, mut store) = sumida();
    let a = open_case(&mut store, "A世帯");
    let b = open_case(&mut store, "B世帯");
    let council = begun(&mut store, COUNCIL, "2026-11-12");
    store
        .review_case(
            council,
            a,
            &ReviewDraft {
                policy: Some("週1回の訪問".to_owned()),
                note: "登校が安定".to_owned(),
                lead_agency: Some("子ども家庭支援センター".to_owned()),
                ..continued("2027-02-12")
            },
        )
        .unwrap();
    store
        .review_case(
            council,
            b,
            &ReviewDraft {
                status: CaseStatus::Transferred,
                next_review: None,
                reason: "転居".to_owned(),
                transferred_to: "江東区子ども家庭支援センター".to_owned(),
                ..continued("2027-01-01")
            },
        )
        .unwrap();
    hold(&mut store, council);
    (db, store, council, [a, b])
}

/// Issue 18 item 2 (interchange): each meeting's reviews travel as `case_reviews`, through an
/// export and back byte for byte; importing the same file again changes nothing.
#[test]
fn case_reviews_go_through_an_export_and_back_to_the_same_bytes() {
    let (_db, store, _, _) = reviewed_ward();
    let first = export(&store);
    assert!(first.contains("\"case_reviews\""), "{first}");
    assert!(first.contains("\"transferred_to\": \"江東区子ども家庭支援センター\""));
    let other = TempDb::new();
    let mut copy = other.open();
    let path = other.file("export.json", first.as_bytes());
    copy.import_files(std::slice::from_ref(&path), Encoding::Auto)
        .unwrap();
    assert_eq!(export(&copy), first);
    let summary = copy
        .import_files(std::slice::from_ref(&path), Encoding::Auto)
        .unwrap();
    assert_eq!(summary.meetings.updated, 0, "{summary:?}");
    assert_eq!(summary.case_reviews.unchanged, 2, "{summary:?}");
    let reviews_table = |store: &Store| -> Vec<String> {
        store
            .conn()
            .prepare("SELECT uid || '|' || rev || '|' || updated_at || '|' || note FROM case_reviews ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(reviews_table(&copy).len(), 2);
    let held = reviews_table(&copy);
    copy.import_files(std::slice::from_ref(&path), Encoding::Auto)
        .unwrap();
    assert_eq!(
        reviews_table(&copy),
        held,
        "the same file again changes nothing"
    );
    let council = copy.meetings(None).unwrap()[0].id;
    let reviews = copy.meeting_reviews(council).unwrap();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0].note, "登校が安定");
    assert_eq!(
        minutes_md(&copy, council, Lang::Ja, false),
        minutes_md(&store, council, Lang::Ja, false)
    );
}

/// Issue 18 item 2 (interchange): a review in a file updates a copy nobody changed here, adds a
/// new one, and never overwrites a review captured here — a conflict, named, nothing changed.
#[test]
fn an_imported_review_never_overwrites_one_captured_here() {
    let (db, mut store, council, [a, _]) = reviewed_ward();
    let text = export(&store);
    // The file's review of A世帯, edited after the export: updates it (nobody changed it here).
    let mut doc = parse_json(&text).unwrap();
    doc.meetings[0].case_reviews[0].note = "ファイルで追記".to_owned();
    let edited = db.file("edited.json", to_json(&doc).as_bytes());
    let summary = store
        .import_files(std::slice::from_ref(&edited), Encoding::Auto)
        .unwrap();
    assert_eq!(
        store.meeting_reviews(council).unwrap()[0].note,
        "ファイルで追記"
    );
    // Counted as a review updated, the other kept; the meeting itself is unchanged (it was
    // counted as a meeting updated before).
    assert_eq!(
        (summary.case_reviews.updated, summary.case_reviews.unchanged),
        (1, 1),
        "{summary:?}"
    );
    assert_eq!(summary.meetings.updated, 0, "{summary:?}");
    // The same file again, as the command says it: both reviews kept as they are.
    let out = common::renkei(&db)
        .args(["import", edited.to_str().unwrap()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("事例の確認 2 件（新規 0 件・更新 0 件・変更なし 2 件）"),
        "{said}"
    );
    // Revised here since: the stale file's review is a conflict, and nothing changes.
    store
        .review_case(
            council,
            a,
            &ReviewDraft {
                note: "ここで修正".to_owned(),
                ..continued("2027-02-12")
            },
        )
        .unwrap();
    let before = common::dump(&store);
    let err = store
        .import_files(std::slice::from_ref(&edited), Encoding::Auto)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("edited.json: meetings[0].case_reviews[0]"),
        "{err}"
    );
    assert_eq!(common::dump(&store), before);
    // A hand-made review of the same case (no uid) is a conflict too, never an overwrite.
    let mut doc = parse_json(&text).unwrap();
    let review = &mut doc.meetings[0].case_reviews[0];
    review.uid = None;
    review.rev = None;
    review.note = "手作りのファイル".to_owned();
    let hand = db.file("hand.json", to_json(&doc).as_bytes());
    assert!(
        store
            .import_files(std::slice::from_ref(&hand), Encoding::Auto)
            .is_err()
    );
    assert_eq!(common::dump(&store), before);
    assert_eq!(
        store.meeting_reviews(council).unwrap()[0].note,
        "ここで修正"
    );
}

/// Issue 18 item 2 (interchange): strict fields, liberal ids — a review names its case by
/// pseudonym in a hand-made file; a misspelt field, an ending without its reason, a bad date or
/// a case the meeting does not list is refused with its path, and nothing changes.
#[test]
fn hand_made_case_reviews_are_read_liberally_by_case_and_strictly_by_field() {
    let (db, mut store) = sumida();
    open_case(&mut store, "B世帯");
    let before = common::dump(&store);
    let file = |reviews: &str| {
        format!(
            r#"{{ "format": "renkei/1", "meetings": [ {{
                "body": "{COUNCIL}", "date": "2026-11-12", "status": "held",
                "cases": ["B世帯"], "case_reviews": [{reviews}] }} ] }}"#
        )
    };
    let bad = [
        (
            r#"{ "case": "B世帯", "status": "active", "nots": "x" }"#,
            "case_reviews[0].nots",
        ),
        (
            r#"{ "case": "B世帯", "status": "finished" }"#,
            "case_reviews[0].status",
        ),
        (
            r#"{ "case": "B世帯", "status": "closed" }"#,
            "case_reviews[0].reason",
        ),
        (
            r#"{ "case": "B世帯", "status": "transferred", "reason": "転居" }"#,
            "case_reviews[0].transferred_to",
        ),
        (
            r#"{ "case": "B世帯", "status": "active", "next_review": "2027/13/01" }"#,
            "case_reviews[0].next_review",
        ),
        (
            r#"{ "case": "C世帯", "status": "active" }"#,
            "case_reviews[0].case",
        ),
        (
            r#"{ "case": "B世帯", "status": "active" }, { "case": "Ｂ世帯", "status": "active" }"#,
            "case_reviews[1].case",
        ),
    ];
    for (i, (reviews, path)) in bad.iter().enumerate() {
        let f = db.file(&format!("bad{i}.json"), file(reviews).as_bytes());
        let err = store
            .import_files(std::slice::from_ref(&f), Encoding::Auto)
            .unwrap_err()
            .to_string();
        assert!(err.contains(path), "{path}: {err}");
        assert_eq!(common::dump(&store), before, "{path}");
    }
    let good = db.file(
        "good.json",
        file(r#"{ "case": "Ｂ 世帯", "status": "monitoring", "next_review": "2027-02-12", "note": "見守り" }"#)
            .as_bytes(),
    );
    store
        .import_files(std::slice::from_ref(&good), Encoding::Auto)
        .unwrap();
    let b = store.find_case("B世帯").unwrap().unwrap();
    let reviews = store.case_reviews(b).unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].status, CaseStatus::Monitoring);
    assert_eq!(reviews[0].next_review, Some(day("2027-02-12")));
}

/// Attack-3 finding 10: two facilitators with the same review open — the second save, from a
/// form opened before the first was recorded, is refused naming who reviewed the case and
/// what they decided; nothing changes; looked at again (seen read anew), it is recorded.
#[test]
fn a_review_from_a_form_opened_before_anothers_is_refused_until_looked_at_again() {
    let (db, mut first) = sumida();
    let case = open_case(&mut first, "A世帯");
    let council = begun(&mut first, COUNCIL, "2026-11-20");
    let mut second = db.open();
    second.set_user("tanaka");
    // Both forms open: neither review made yet.
    let seen = first.review_seen(council, case).unwrap();
    assert_eq!(second.review_seen(council, case).unwrap(), seen);
    second
        .review_case(
            council,
            case,
            &ReviewDraft {
                status: CaseStatus::Monitoring,
                note: "メモA".to_owned(),
                seen: Some(seen),
                ..continued("2027-01-20")
            },
        )
        .unwrap();
    let before = common::dump(&first);
    let closing = ReviewDraft {
        status: CaseStatus::Closed,
        next_review: None,
        reason: "支援目標達成".to_owned(),
        evaluation: "後見開始".to_owned(),
        seen: Some(seen),
        ..continued("2027-01-01")
    };
    let err = first.review_case(council, case, &closing).unwrap_err();
    assert!(
        matches!(&err, renkei::store::StoreError::Conflict { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("A世帯"), "{text}");
    assert!(
        text.contains("reviewed meanwhile by tanaka (monitoring)"),
        "{text}"
    );
    assert_eq!(common::dump(&first), before, "nothing changed");
    assert_eq!(first.meeting_reviews(council).unwrap()[0].note, "メモA");
    // The other direction: the case changed on its own form after this review form opened.
    let seen = first.review_seen(council, case).unwrap();
    let mut edit = edit(&second, case);
    edit.policy = "B方針：施設入所".to_owned();
    edit.next_review = Some(day("2027-05-01"));
    second.update_case(case, &edit, None).unwrap();
    let err = first
        .review_case(
            council,
            case,
            &ReviewDraft {
                seen: Some(seen),
                ..closing.clone()
            },
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("changed meanwhile by tanaka"), "{err}");
    let detail = first.case_detail(case).unwrap().unwrap();
    assert_eq!(detail.row.review_set, Some(day("2027-05-01")));
    // Looked at again: recorded over it.
    let fresh = first.review_seen(council, case).unwrap();
    first
        .review_case(
            council,
            case,
            &ReviewDraft {
                seen: Some(fresh),
                ..closing
            },
        )
        .unwrap();
    let reviews = first.meeting_reviews(council).unwrap();
    assert_eq!(reviews[0].status, CaseStatus::Closed);
}

/// Attack-3 finding 9: a case form opened before a review and saved after it, having changed
/// only the risk, is refused (the case changed meanwhile); saved again over it, it writes the
/// risk alone — the review's policy and next review stay.
#[test]
fn a_case_form_open_across_a_review_writes_only_what_was_changed_in_it() {
    let (db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let mut loaded = edit(&store, case);
    loaded.policy = "後見申立ての準備を進める".to_owned();
    store.update_case(case, &loaded, None).unwrap();
    // The form opens: the case as it stands, and its revision.
    let rev = store.case_rev(case).unwrap();
    let base = edit(&store, case);
    // Meanwhile a review at a meeting under way.
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    let mut other = db.open();
    other.set_user("tanaka");
    other
        .review_case(
            council,
            case,
            &ReviewDraft {
                status: CaseStatus::Monitoring,
                policy: Some("施設入所で見守る".to_owned()),
                ..continued("2027-04-01")
            },
        )
        .unwrap();
    // The form saved: only 危険度 changed in it.
    let mine = CaseEdit {
        risk: Some(Level::High),
        loaded: Some(renkei::store::cases::Loaded {
            rev,
            fields: Box::new(base.clone()),
        }),
        ..base.clone()
    };
    let before = common::dump(&store);
    let err = store
        .update_case(case, &mine, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("A世帯") && err.contains("reviewed meanwhile by tanaka (monitoring)"),
        "{err}"
    );
    assert_eq!(common::dump(&store), before, "nothing changed");
    // Enter again after the refusal: the revision read anew, the fields changed here written.
    let again = CaseEdit {
        loaded: Some(renkei::store::cases::Loaded {
            rev: store.case_rev(case).unwrap(),
            fields: Box::new(base),
        }),
        ..mine
    };
    store.update_case(case, &again, None).unwrap();
    let d = store.case_detail(case).unwrap().unwrap();
    assert_eq!(d.row.risk, Some(Level::High));
    assert_eq!(
        d.row.policy, "施設入所で見守る",
        "the review's policy stays"
    );
    assert_eq!(d.row.review_set, Some(day("2027-04-01")), "and its date");
    assert_eq!(d.row.status, CaseStatus::Monitoring);
}

/// Attack-3 findings 5 and 12: a review is a record of a meeting that takes place — refused in
/// the setup of a meeting not begun and at a cancelled one, changing nothing; a next review
/// before the meeting's date is refused naming that date.
#[test]
fn a_review_before_its_meeting_begins_or_dated_before_it_is_refused() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let planned = meeting(&mut store, COUNCIL, "2026-12-10");
    let unchanged = common::dump(&store);
    let closing = ReviewDraft {
        status: CaseStatus::Closed,
        next_review: None,
        reason: "支援目標達成".to_owned(),
        evaluation: "登校が安定した".to_owned(),
        ..continued("2027-01-01")
    };
    for draft in [&closing, &continued("2027-02-01")] {
        let err = store
            .review_case(planned, case, draft)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("2026-12-10") && err.contains("not begun"),
            "{err}"
        );
    }
    assert!(common::dump(&store) == unchanged, "nothing changed");
    store
        .conn()
        .execute(
            "UPDATE meetings SET status = 'cancelled' WHERE id = ?1",
            [planned],
        )
        .unwrap();
    let before = common::dump(&store);
    let err = store
        .review_case(planned, case, &closing)
        .unwrap_err()
        .to_string();
    assert!(err.contains("cancelled"), "{err}");
    assert!(common::dump(&store) == before, "nothing changed");
    assert_eq!(
        store.case_detail(case).unwrap().unwrap().row.status,
        CaseStatus::Open
    );
    // Under way: recorded; a next review before the meeting's day is not.
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    for past in ["2018-01-01", "2026-11-19"] {
        let err = store
            .review_case(council, case, &continued(past))
            .unwrap_err()
            .to_string();
        assert!(err.contains(past) && err.contains("2026-11-20"), "{err}");
    }
    store
        .review_case(council, case, &continued("2026-11-20"))
        .unwrap();
}

/// Attack-3 finding 8: a next review typed at a meeting before its day (a review at the 12-10
/// meeting begun early; the case form opened from a meeting's setup) holds once that meeting is
/// held — "a date set at a meeting holds until a meeting on a later day discusses the case"
/// compares the meeting's date, not the day it was typed. The ledger, `--due`, the home's
/// counts, the case record and the report's history read the same day.
#[test]
fn a_next_review_set_at_a_meeting_before_its_day_holds_once_it_is_held() {
    let (db, mut store) = sumida();
    let reviewed = open_case(&mut store, "A世帯");
    let edited = open_case(&mut store, "B世帯");
    // Today is 2026-11-21: the 12-10 meeting begun early, a review recorded there.
    let council = begun(&mut store, COUNCIL, "2026-12-10");
    store
        .review_case(council, reviewed, &continued("2027-02-01"))
        .unwrap();
    // The case form opened from the setup of another meeting of 12-10.
    let planned = meeting(&mut store, COUNCIL, "2026-12-10");
    store.link_case(planned, edited).unwrap();
    let mut e = edit(&store, edited);
    e.next_review = Some(day("2027-02-01"));
    store.update_case(edited, &e, Some(planned)).unwrap();
    store.end_meeting(council).unwrap();
    hold(&mut store, planned);
    for case in [reviewed, edited] {
        let d = store.case_detail(case).unwrap().unwrap();
        assert_eq!(d.row.next_review, Some(day("2027-02-01")), "case {case}");
    }
    drop(store);
    // Mid-February: both past the date set (the rule from 12-10, 2027-03-10, would say not).
    let now = "2027-02-15T10:00";
    let due = ledger_at(&db, now, &["--due"]);
    assert_eq!(pseudonyms(&due), ["A世帯", "B世帯"], "{due}");
    for c in due.as_array().unwrap() {
        assert_eq!(c["next_review"], "2027-02-01", "{c}");
    }
    let store = Store::open(
        &db.path,
        renkei::clock::Clock::fixed(
            chrono::DateTime::parse_from_rfc3339("2027-02-15T10:00:00+09:00").unwrap(),
        ),
    )
    .unwrap();
    let overdue: usize = store
        .review_counts()
        .unwrap()
        .overdue
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(overdue, 2, "the home's count");
    let record = record_md(&store, reviewed, Lang::Ja, false);
    assert!(record.contains("(2027-02-01)"), "{record}");
    // The year's report (the current year: as of today): both overdue.
    let out = renkei(&db)
        .env("RENKEI_NOW", now)
        .args(["report", "--fiscal-year", "2026"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.lines()
            .any(|l| l.starts_with("| 年度末に確認期限を過ぎていた事例 | 2 |")),
        "{md}"
    );
}

/// Attack-3 finding 5: a meeting whose reviews changed its cases is not cancelled by an import
/// (a conflict naming `meetings[i].status`, nothing changed); one with no review is.
#[test]
fn a_meeting_with_reviews_is_not_cancelled_by_an_import() {
    let (db, mut store, council, _) = reviewed_ward();
    let text = export(&store);
    let mut doc = parse_json(&text).unwrap();
    let i = doc
        .meetings
        .iter()
        .position(|m| !m.case_reviews.is_empty())
        .unwrap();
    doc.meetings[i].status = renkei::domain::model::MeetingStatus::Cancelled;
    doc.meetings[i].rev = doc.meetings[i].rev.map(|r| r + 1);
    let cancelled = db.file("cancelled.json", to_json(&doc).as_bytes());
    let before = common::dump(&store);
    let err = store
        .import_files(std::slice::from_ref(&cancelled), Encoding::Auto)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("cancelled.json: meetings[{i}].status")),
        "{err}"
    );
    assert!(common::dump(&store) == before, "nothing changed");
    assert_eq!(store.meeting_reviews(council).unwrap().len(), 2);
    // Nor made planned again by a file that leaves its reviews out (attack report 5, finding
    // 12: the store's rule), the conflict naming the cases.
    let mut doc = parse_json(&text).unwrap();
    let m = &mut doc.meetings[i];
    m.status = renkei::domain::model::MeetingStatus::Planned;
    m.started_at = None;
    m.ended_at = None;
    m.case_reviews.clear();
    m.rev = m.rev.map(|r| r + 1);
    let planned = db.file("planned.json", to_json(&doc).as_bytes());
    let err = store
        .import_files(std::slice::from_ref(&planned), Encoding::Auto)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("planned.json: meetings[{i}].status")) && err.contains("世帯"),
        "{err}"
    );
    assert!(common::dump(&store) == before, "nothing changed");
}

/// Attack-3 finding 13: a held meeting's review that contradicts the case the same file writes
/// (ended there, active in the file; another next review) is refused naming the review; the
/// same file with the case as the review left it is taken.
#[test]
fn a_review_contradicting_its_case_in_the_same_file_is_refused() {
    let doc = |case: &str, review: &str| {
        format!(
            r#"{{"format":"renkei/1","bodies":[{{"name":"実務者会議X","organiser":"福祉課","frequency":"毎月","kind":"要保護児童対策地域協議会"}}],
            "cases":[{{"id":"H0","pseudonym":"J世帯","opened":"2026-05-01","status":"active","next_review":"2027-01-20"}},{case}],
            "meetings":[{{"body":"実務者会議X","date":"2026-11-20","start":"10:00","status":"held","cases":["H0","H1"],
              "case_reviews":[{{"case":"H0","status":"active","next_review":"2027-01-20"}},{review}]}}]}}"#
        )
    };
    let ended = r#"{"case":"H1","status":"closed","reason":"転居","evaluation":"x"}"#;
    let kept = r#"{"case":"H1","status":"active","next_review":"2027-01-20"}"#;
    let active = r#"{"id":"H1","pseudonym":"K世帯","opened":"2026-05-01","status":"active","next_review":"2027-01-20"}"#;
    let other_date = r#"{"id":"H1","pseudonym":"K世帯","opened":"2026-05-01","status":"active","next_review":"2027-03-01"}"#;
    let closed = r#"{"id":"H1","pseudonym":"K世帯","opened":"2026-05-01","status":"closed","closed":"2026-11-20","closure_reason":"転居","evaluation":"x"}"#;
    for (case, review, word) in [
        (active, ended, "'closed' but the file's case is 'active'"),
        (
            other_date,
            kept,
            "2027-01-20 but the file's case has 2027-03-01",
        ),
        (closed, kept, "'active' but the file's case is 'closed'"),
    ] {
        let db = TempDb::new();
        let mut store = db.open();
        let file = db.file("x.json", doc(case, review).as_bytes());
        let err = store
            .import_files(std::slice::from_ref(&file), Encoding::Auto)
            .unwrap_err()
            .to_string();
        // H0's review agrees with its case: only H1's is named.
        assert!(err.contains("x.json: meetings[0].case_reviews[1]"), "{err}");
        assert!(err.contains(word), "{word}: {err}");
        assert!(
            store
                .case_ledger(LedgerFilter::All, false)
                .unwrap()
                .is_empty(),
            "nothing imported"
        );
    }
    for (case, review) in [(active, kept), (closed, ended)] {
        let db = TempDb::new();
        let mut store = db.open();
        let file = db.file("x.json", doc(case, review).as_bytes());
        store
            .import_files(std::slice::from_ref(&file), Encoding::Auto)
            .unwrap();
    }
    // Reviewed again at a meeting the file writes later: the case follows the later review.
    let twice = doc(other_date, kept).replace(
        "]}]}",
        r#"]},{"body":"実務者会議X","date":"2026-12-18","start":"10:00","status":"held","cases":["H1"],
            "case_reviews":[{"case":"H1","status":"active","next_review":"2027-03-01"}]}]}"#,
    );
    let db = TempDb::new();
    let mut store = db.open();
    let file = db.file("x.json", twice.as_bytes());
    store
        .import_files(std::slice::from_ref(&file), Encoding::Auto)
        .unwrap();
}

/// The home's overdue reviews (`Store::review_counts`, read from the indexes of schema step 11)
/// find each case's last meeting held as the ledger does: of two held the same day, the one of
/// the higher id — here across a power of ten, where ids compared as text would pick the other
/// (…9 after …10) — and neither a link removed nor a meeting cancelled counts.
#[test]
fn the_homes_overdue_reviews_take_each_cases_last_meeting_as_the_ledger_does() {
    let (db, mut store) = sumida();
    let bodies: Vec<(i64, String)> = store
        .bodies()
        .unwrap()
        .into_iter()
        .map(|b| (b.id, b.record.name))
        .collect();
    let (first, second) = (&bodies[0], &bodies[1]);
    let case = open_case(&mut store, "Ａ世帯");
    let earlier = meeting(&mut store, &first.1, "2026-11-02");
    // Meetings enough that the next id has one digit more.
    let mut next = earlier + 1;
    while next.to_string().len() == earlier.to_string().len() {
        next = meeting(&mut store, &first.1, "2026-12-24") + 1;
    }
    let later = meeting(&mut store, &second.1, "2026-11-02");
    assert!(later.to_string().len() > earlier.to_string().len());
    // After both: a link removed (of a meeting held), and a meeting cancelled.
    let removed = meeting(&mut store, &first.1, "2026-11-10");
    let cancelled = meeting(&mut store, &first.1, "2026-11-12");
    for m in [earlier, later, removed] {
        store.link_case(m, case).unwrap();
        hold(&mut store, m);
    }
    store.link_case(cancelled, case).unwrap();
    store
        .set_meeting_status(cancelled, renkei::domain::model::MeetingStatus::Cancelled)
        .unwrap();
    store.unlink_case(removed, case).unwrap();
    drop(store);

    // Three months on the case is overdue, reviewed by the body of the later id.
    let now = chrono::DateTime::parse_from_rfc3339("2027-03-01T10:00:00+09:00").unwrap();
    let store = Store::open(&db.path, renkei::clock::Clock::fixed(now)).unwrap();
    let ledger = store.case_ledger(LedgerFilter::Open, false).unwrap();
    let row = ledger.iter().find(|r| r.id == case).unwrap();
    assert_eq!(row.review_body, Some(second.clone()));
    assert_eq!(row.last_meeting, Some(day("2026-11-02")));
    assert!(row.review_overdue(day("2027-03-01")));
    let counts = store.review_counts().unwrap();
    let found: Vec<_> = counts
        .overdue
        .iter()
        .filter(|(b, _)| b.as_ref() == Some(second))
        .collect();
    assert_eq!(found, [&(Some(second.clone()), 1)], "{counts:?}");
    assert!(
        !counts
            .overdue
            .iter()
            .any(|(b, _)| b.as_ref() == Some(first)),
        "{counts:?}"
    );
}

/// Issue 18's loose end 2, in the store: a review's draft (下書き) is kept per meeting and case
/// (the last one typed), read back as typed, never exported nor in the minutes or the case
/// record, and gone in the transaction that records the review — or with its meeting.
#[test]
fn a_review_draft_is_kept_read_back_and_gone_once_the_review_is_recorded() {
    use renkei::store::drafts::{Draft, Typed};
    let (db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    let draft = |note: &str| Draft {
        meeting: council,
        case,
        status: CaseStatus::Transferred,
        typed: Typed {
            next: "3か月後".to_owned(),
            note: note.to_owned(),
            transferred_to: "下書きだけの移管先".to_owned(),
            ..Typed::default()
        },
        seen: None,
    };
    store.keep_review_draft(&draft("一度目の下書き")).unwrap();
    store.keep_review_draft(&draft("二度目の下書き")).unwrap();
    assert_eq!(
        store.review_drafts(council).unwrap(),
        vec![draft("二度目の下書き")]
    );
    // Read by another process (the next start).
    let other = Store::open(&db.path, common::clock()).unwrap();
    assert_eq!(
        other.review_drafts(council).unwrap(),
        vec![draft("二度目の下書き")]
    );
    drop(other);
    // Not a record: the export, the minutes and the case record hold none of it.
    let json = to_json(&store.export_document().unwrap());
    for text in ["二度目の下書き", "下書きだけの移管先"] {
        assert!(!json.contains(text), "{text} exported");
        for lang in [Lang::Ja, Lang::En] {
            assert!(!minutes_md(&store, council, lang, false).contains(text));
            assert!(!record_md(&store, case, lang, false).contains(text));
        }
    }
    // Recorded: gone in the same step.
    store
        .review_case(council, case, &continued("2027-02-20"))
        .unwrap();
    assert!(store.review_drafts(council).unwrap().is_empty());
    // A review refused keeps its draft (nothing recorded, nothing removed).
    store.keep_review_draft(&draft("三度目")).unwrap();
    let refused = ReviewDraft {
        status: CaseStatus::Closed,
        ..continued("2027-02-20")
    };
    assert!(store.review_case(council, case, &refused).is_err());
    assert_eq!(store.review_drafts(council).unwrap(), vec![draft("三度目")]);
    // Its meeting deleted: the draft goes with it.
    store
        .conn()
        .execute("DELETE FROM meetings WHERE id = ?1", [council])
        .unwrap();
    let left: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM review_drafts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}

/// Issue 18's loose end 4: the ledger's 援助方針 and 終結理由 are typed text and may name people.
/// `renkei cases --redact` writes them as each case's redacted record does (the household, and a
/// name an honorific marks, replaced; the same placeholder as in the record); without it the
/// policy is as typed and the reason's names are ○○. Pseudonyms and agencies stay; the audit says it was redacted.
#[test]
fn the_ledger_written_redacted_replaces_names_in_its_free_text_as_the_record_does() {
    let (db, mut store, cases) = busy_ward();
    let b = cases[1];
    let mut e = edit(&store, b);
    e.policy = "木村一郎さんの登校を学校と見守る。木村 一郎は母と同居".to_owned();
    store.update_case(b, &e, None).unwrap();
    let d = store.find_case("D世帯").unwrap().unwrap();
    store
        .conn()
        .execute(
            "UPDATE cases SET closure_reason = '担当の鈴木花子さんへ引継ぎ' WHERE id = ?1",
            [d],
        )
        .unwrap();
    let record = record_md(&store, b, Lang::Ja, true);
    drop(store);

    let args = ["cases", "--status", "all", "--format", "csv"];
    let typed = String::from_utf8(stdout_bytes(&db, &args)).unwrap();
    assert!(typed.contains("木村一郎さん"), "as typed without --redact");
    // The 終結理由 never shows a name, --redact or not (attack report 3, finding 2: the same
    // masking as the report's reason rows).
    assert!(typed.contains("担当の○○へ引継ぎ"), "{typed}");
    assert!(!typed.contains("鈴木花子"));
    let bytes = stdout_bytes(&db, &[&args[..], &["--redact"]].concat());
    let text = String::from_utf8(bytes.clone()).unwrap();
    for name in ["木村", "一郎", "鈴木", "花子"] {
        assert!(!text.contains(name), "{name} left in:\n{text}");
    }
    let cells = csv_cells(&bytes);
    let row = |p: &str| cells.iter().find(|r| r[0] == p).unwrap().clone();
    let policy = &row("B世帯")[7];
    // B世帯's 本人 takes the pseudonym's letter, as in its record.
    assert_eq!(policy, "B氏の登校を学校と見守る。B氏は母と同居");
    // The same words as the case's redacted record.
    assert!(record.contains(policy.as_str()), "{policy}\n{record}");
    assert!(row("D世帯")[11].ends_with("へ引継ぎ"), "{:?}", row("D世帯"));
    assert_eq!(row("A世帯")[3], "地域福祉課", "agencies stay");
    let store = Store::open(&db.path, common::clock()).unwrap();
    let audit: String = store
        .conn()
        .query_row(
            "SELECT detail FROM audit WHERE action = 'export_cases' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audit.ends_with("(redacted)"), "{audit}");
}

/// Finding 15 (left by attack report 3): a reopened case's record keeps its earlier ending —
/// the kind, date, meeting that decided it, reason and the evaluation of the plan — and when it
/// was reopened, in both languages and redacted (the evaluation naming the household).
#[test]
fn a_reopened_case_record_keeps_its_earlier_ending_and_evaluation() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let plenary = meeting(&mut store, "重層的支援会議", "2026-11-10");
    store.link_case(plenary, case).unwrap();
    hold(&mut store, plenary);
    let closure = Closure {
        kind: CaseStatus::Closed,
        date: day("2026-11-10"),
        reason: "施設に入所".to_owned(),
        evaluation: "山田 太郎さんの生活の安定という目標は達成".to_owned(),
        transferred_to: String::new(),
    };
    store.close_case(case, &closure, Some(plenary)).unwrap();
    store.reopen_case(case, None).unwrap();
    let md = record_md(&store, case, Lang::Ja, false);
    let earlier = md
        .find("## 再開前の終結")
        .unwrap_or_else(|| panic!("no earlier ending:\n{md}"));
    let section = &md[earlier..];
    for said in [
        "### 終結",
        "施設に入所",
        "生活の安定という目標は達成",
        "**再開**",
        "令和8年11月10日",
        "重層的支援会議",
    ] {
        assert!(section.contains(said), "{said}:\n{section}");
    }
    // Followed again: no ending of its own now.
    assert!(!md.contains("\n## 終結\n"), "{md}");
    let en = record_md(&store, case, Lang::En, false);
    assert!(en.contains("## Endings before a reopening"), "{en}");
    assert!(en.contains("**Reopened**"), "{en}");
    let redacted = record_md(&store, case, Lang::Ja, true);
    assert!(
        redacted.contains("生活の安定という目標は達成"),
        "{redacted}"
    );
    for name in ["山田", "太郎"] {
        assert!(!redacted.contains(name), "{name}:\n{redacted}");
    }
    // Ended again: that ending is its own, the first stays before the reopening.
    let again = Closure {
        date: day("2026-11-20"),
        reason: "転居".to_owned(),
        evaluation: "転居先へ引継ぎ".to_owned(),
        ..closure
    };
    store.close_case(case, &again, None).unwrap();
    let md = record_md(&store, case, Lang::Ja, false);
    let own = md.find("\n## 終結\n").unwrap_or_else(|| panic!("{md}"));
    let earlier = md.find("## 再開前の終結").unwrap_or_else(|| panic!("{md}"));
    assert!(md[own..earlier].contains("転居先へ引継ぎ"), "{md}");
    assert!(md[earlier..].contains("生活の安定という目標は達成"), "{md}");
}

/// Issue 18: renkei's own export imported into the database it came from changes nothing, and
/// says so — every case, review and meeting unchanged (cases and reviews were counted as
/// updated). The demo's cases, one closed and one reviewed at a meeting, and a reopened one.
#[test]
fn its_own_export_imported_again_is_all_unchanged() {
    let db = common::demo_loaded();
    let mut store = db.open();
    let cases = store.case_ledger(LedgerFilter::All, false).unwrap();
    let (a, b) = (cases[0].id, cases[1].id);
    let closure = Closure {
        kind: CaseStatus::Closed,
        date: day("2026-11-21"),
        reason: "転居".to_owned(),
        evaluation: "引継ぎ済み".to_owned(),
        transferred_to: String::new(),
    };
    store.close_case(a, &closure, None).unwrap();
    store.close_case(b, &closure, None).unwrap();
    store.reopen_case(b, None).unwrap();
    // Reviews at a held meeting of a body that keeps a ledger: one continuing (a new lead
    // agency, a policy, a note), one ending the case.
    let council = begun(&mut store, "支援方針検討会議", "2026-11-21");
    let (c, d) = (cases[2].id, cases[3].id);
    let draft = ReviewDraft {
        status: CaseStatus::Monitoring,
        lead_agency: Some("子ども家庭支援センター".to_owned()),
        policy: Some("月1回の家庭訪問で見守る".to_owned()),
        note: "登校が安定".to_owned(),
        ..continued("2027-02-20")
    };
    store.review_case(council, c, &draft).unwrap();
    // Reviewed again there: the review is revised.
    let revised = ReviewDraft {
        note: "登校が安定、次回は学校も".to_owned(),
        ..draft.clone()
    };
    store.review_case(council, c, &revised).unwrap();
    let ended = ReviewDraft {
        status: CaseStatus::Closed,
        reason: "目標達成".to_owned(),
        evaluation: "安定した".to_owned(),
        next_review: None,
        ..draft
    };
    store.review_case(council, d, &ended).unwrap();
    store.end_meeting(council).unwrap();
    let mut bytes = Vec::new();
    store.write_export(&mut bytes).unwrap();
    let before = common::dump(&store);
    let path = db.file("own.json", &bytes);
    let again = store.import_files(&[path], Encoding::Auto).unwrap();
    assert_eq!(again.cases.added + again.cases.updated, 0, "{again:?}");
    assert!(again.cases.unchanged > 0, "{again:?}");
    assert_eq!(
        again.case_reviews.added + again.case_reviews.updated,
        0,
        "{again:?}"
    );
    assert_eq!(
        again.meetings.added + again.meetings.updated,
        0,
        "{again:?}"
    );
    assert!(again.conflicts.is_empty(), "{:?}", again.conflicts);
    assert!(again.case_reviews.unchanged == 2, "{again:?}");
    // Nothing written but the import's own audit line (and the agenda templates, which an
    // import replaces whole: not records of cases).
    let kept = |dump: String| -> Vec<String> {
        dump.split("\n[")
            .filter(|t| !t.starts_with("audit]") && !t.starts_with("agenda_templates]"))
            .map(str::to_owned)
            .collect()
    };
    let (before, after) = (kept(before), kept(common::dump(&store)));
    for (b, a) in before.iter().zip(&after) {
        assert!(b == a, "{}", &b[..b.len().min(300)]);
    }
}

/// Fills `meeting` with case issues (straight in SQL: a writer would take a while) until it has
/// room for `room` more entries.
fn fill_to_room(store: &Store, meeting: i64, room: usize) {
    let held = store.meeting_entries(meeting).unwrap();
    let add = renkei::limits::MAX_ENTRIES - room - held;
    store
        .conn()
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
             INSERT INTO case_issues (meeting_id, category, created_at)
             SELECT ?1, '孤立' || i, '2026-11-21T10:00:00+09:00' FROM n",
            rusqlite::params![meeting, add as i64],
        )
        .unwrap();
    assert_eq!(
        store.meeting_entries(meeting).unwrap(),
        renkei::limits::MAX_ENTRIES - room
    );
}

/// Every writer that adds entries to a meeting goes through the one path that keeps its limit
/// (`store::limits::adding`): the roster copied, the agenda prepared, a case's review (its link
/// and its review: two entries), a case put on the meeting. Past the limit each is refused
/// saying so and changes nothing; with room it is taken. (Before, the first three wrote past
/// the limit: the test was seen failing on copy_roster.)
#[test]
fn every_writer_that_adds_to_a_meeting_refuses_past_its_limit_and_changes_nothing() {
    use renkei::domain::model::{Attendance, Role};
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let other = open_case(&mut store, "B世帯");
    let before = meeting(&mut store, COUNCIL, "2026-11-06");
    for (agency, name) in [("子ども家庭支援センター", "田中"), ("児童相談所", "鈴木")]
    {
        store
            .add_attendee(
                before,
                Some(agency),
                name,
                "",
                Role::Member,
                Attendance::Present,
            )
            .unwrap();
    }
    hold(&mut store, before);
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    let full = |e: renkei::store::StoreError| {
        let e = e.to_string();
        assert!(e.contains("10000"), "{e}");
    };
    let dump = |store: &Store| common::dump(store);

    // The roster: two attendees, room for one.
    fill_to_room(&store, council, 1);
    let was = dump(&store);
    full(store.copy_roster(council).unwrap_err());
    assert_eq!(dump(&store), was);

    // A review: the case's link and its review, room for one.
    full(
        store
            .review_case(council, other, &continued("2027-02-20"))
            .unwrap_err(),
    );
    assert_eq!(dump(&store), was);

    // A case put on the meeting, no room.
    fill_to_room(&store, council, 0);
    let was = dump(&store);
    full(store.link_case(council, case).unwrap_err());
    assert_eq!(dump(&store), was);

    // The agenda of a meeting that has none, no room.
    let later = meeting(&mut store, COUNCIL, "2026-12-04");
    let items = |store: &Store| {
        store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ?1",
                [later],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
    };
    let had = items(&store);
    fill_to_room(&store, later, 0);
    let was = dump(&store);
    full(store.prepare_agenda(later).unwrap_err());
    assert_eq!(dump(&store), was);
    assert_eq!(items(&store), had);

    // With room, each is taken.
    let roomy = begun(&mut store, COUNCIL, "2026-11-27");
    fill_to_room(&store, roomy, 4);
    store
        .review_case(roomy, other, &continued("2027-02-20"))
        .unwrap();
    store.link_case(roomy, case).unwrap();
    assert_eq!(
        store.meeting_entries(roomy).unwrap(),
        renkei::limits::MAX_ENTRIES - 1
    );
    // A review revised adds nothing: taken at the limit.
    fill_to_room(&store, roomy, 0);
    store
        .review_case(roomy, other, &continued("2027-03-20"))
        .unwrap();
}

/// Attack report 5, finding 12 (the store's rule): a meeting whose case reviews stand is not
/// cancelled, nor returned to planned — its reviews changed their cases — refused with a
/// message naming the cases, in Japanese by default, nothing changed; a meeting without
/// reviews is cancelled as before. (Before: `set_meeting_status` took both — seen failing on
/// the cancellation going through.)
#[test]
fn a_meeting_with_reviews_is_not_cancelled_nor_made_planned_again() {
    use renkei::domain::model::MeetingStatus;
    let (_db, mut store) = sumida();
    let a = open_case(&mut store, "A世帯");
    let b = open_case(&mut store, "B世帯");
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    for case in [a, b] {
        store.link_case(council, case).unwrap();
        store
            .review_case(council, case, &continued("2027-01-20"))
            .unwrap();
    }
    store.end_meeting(council).unwrap();
    let before = common::dump(&store);
    for status in [MeetingStatus::Cancelled, MeetingStatus::Planned] {
        let err = store
            .set_meeting_status(council, status)
            .unwrap_err()
            .to_string();
        assert!(err.contains("A世帯") && err.contains("B世帯"), "{err}");
        assert!(
            err.contains("cancelled") || err.contains("planned"),
            "{err}"
        );
        let ja = match store.set_meeting_status(council, status).unwrap_err() {
            renkei::store::StoreError::Said(msg) => msg.render(Lang::Ja),
            other => panic!("{other:?}"),
        };
        assert!(
            ja.contains("A世帯、B世帯") && ja.contains("進行管理"),
            "{ja}"
        );
        assert_eq!(common::dump(&store), before, "{status:?}: nothing changed");
    }
    let other = meeting(&mut store, COUNCIL, "2026-12-20");
    store
        .set_meeting_status(other, MeetingStatus::Cancelled)
        .unwrap();
}

/// Attack report 5, finding 15: 終結 is recorded with its evaluation (README: "an ending needs
/// its reason (終結 also an evaluation)"). A review and a closure on the case screen without one
/// are refused naming the case, nothing changed; 中断 needs none. (Before: both were taken with
/// the reason alone — seen failing on the closure going through.)
#[test]
fn a_closure_needs_its_evaluation() {
    let (_db, mut store) = sumida();
    let case = open_case(&mut store, "A世帯");
    let council = begun(&mut store, COUNCIL, "2026-11-20");
    store.link_case(council, case).unwrap();
    let before = common::dump(&store);
    let closing = ReviewDraft {
        status: CaseStatus::Closed,
        next_review: None,
        reason: "転居".to_owned(),
        ..continued("2027-01-01")
    };
    let err = store.review_case(council, case, &closing).unwrap_err();
    let said = |err: renkei::store::StoreError| match err {
        renkei::store::StoreError::Said(msg) => msg.render(Lang::Ja),
        other => panic!("{other:?}"),
    };
    let ja = said(err);
    assert!(ja.contains("A世帯") && ja.contains("評価"), "{ja}");
    let closure = Closure {
        kind: CaseStatus::Closed,
        date: day("2026-11-20"),
        reason: "転居".to_owned(),
        evaluation: "  ".to_owned(),
        transferred_to: String::new(),
    };
    let ja = said(store.close_case(case, &closure, None).unwrap_err());
    assert!(ja.contains("A世帯") && ja.contains("評価"), "{ja}");
    assert_eq!(common::dump(&store), before, "nothing changed");
    // 中断 ends without an evaluation; 終結 with one is taken.
    let suspended = Closure {
        kind: CaseStatus::Suspended,
        ..closure.clone()
    };
    store.close_case(case, &suspended, None).unwrap();
    store.reopen_case(case, None).unwrap();
    let closed = Closure {
        evaluation: "転居先へ引継ぎ済み".to_owned(),
        ..closure
    };
    store.close_case(case, &closed, None).unwrap();
}

/// Attack report 5, finding 18: a household member typed into a case's agency field is no
/// agency. The case form (the store's `update_case`, `create_case`) refuses a person's name as
/// 主担当機関 or 相談経路 — the member however written, a name with a relation — saying so,
/// nothing changed; an agency, and a relation alone for a family's own call, are taken. An older
/// file's such fields stay in the registry but no picker offers them. (Before: each was
/// registered as an agency and offered by every meeting's picker — seen failing on
/// `agency_names` holding `母 山田 恵美`.)
#[test]
fn a_household_member_is_neither_taken_nor_offered_as_an_agency() {
    let db = TempDb::new();
    let file = db.file(
        "m.json",
        r#"{"format":"renkei/1","cases":[{"pseudonym":"M世帯","status":"active",
            "lead_agency":"母 山田 恵美","referred_by":"山田恵美（母）",
            "members":[{"relation":"母","name":"山田 恵美"},{"relation":"本人","name":"山田 蓮"}]},
           {"pseudonym":"N世帯","status":"active","lead_agency":"子ども家庭支援センター",
            "referred_by":"民生委員"}]}"#
            .as_bytes(),
    );
    let mut store = db.open();
    store.import_files(&[file], Encoding::Auto).unwrap();
    let offered = store.agency_names().unwrap();
    assert!(
        offered.iter().any(|a| a == "子ども家庭支援センター"),
        "{offered:?}"
    );
    for person in ["母 山田 恵美", "山田恵美（母）"] {
        assert!(
            !offered.iter().any(|a| a == person),
            "{person}: {offered:?}"
        );
    }
    let m: i64 = store
        .conn()
        .query_row(
            "SELECT id FROM cases WHERE pseudonym = 'M世帯'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before = common::dump(&store);
    let edit = |lead: &str, referred: &str| CaseEdit {
        pseudonym: "M世帯".to_owned(),
        lead_agency: Some(lead.to_owned()),
        referred_by: Some(referred.to_owned()),
        ..CaseEdit::default()
    };
    for (lead, referred) in [
        ("山田恵美", "母"),
        ("山田　恵美", "母"),
        ("子ども家庭支援センター", "山田 恵美さん"),
        ("子ども家庭支援センター", "母（山田 恵美）"),
    ] {
        let err = store
            .update_case(m, &edit(lead, referred), None)
            .unwrap_err();
        let ja = match err {
            renkei::store::StoreError::Said(msg) => msg.render(Lang::Ja),
            other => panic!("{lead} / {referred}: {other:?}"),
        };
        assert!(ja.contains("人の名前"), "{lead} / {referred}: {ja}");
        assert_eq!(common::dump(&store), before, "{lead} / {referred}");
    }
    let err = store
        .create_case(&NewCase {
            pseudonym: "P世帯".to_owned(),
            lead_agency: Some("父 佐々木 健".to_owned()),
            members: vec![("父".to_owned(), "佐々木 健".to_owned())],
            ..NewCase::default()
        })
        .unwrap_err();
    assert!(matches!(err, renkei::store::StoreError::Said(_)), "{err:?}");
    assert_eq!(common::dump(&store), before, "no case made");
    store
        .update_case(m, &edit("子ども家庭支援センター", "母"), None)
        .unwrap();
    let offered = store.agency_names().unwrap();
    assert!(!offered.iter().any(|a| a.contains("恵美")), "{offered:?}");
}

/// A new meeting's agenda opens with the review of what is carried over exactly when something
/// is (`carried_actions`): a meeting of every body of the demo, every other one linked to a
/// case. The question is asked of the body's earlier meetings and of the cases' open actions
/// apart (asked together, it read every open action of the database at each meeting
/// scheduled: seconds on a city).
#[test]
fn the_review_is_on_the_agenda_exactly_when_an_action_is_carried() {
    let db = common::demo_loaded();
    let mut store = db.open();
    let bodies: Vec<i64> = store.bodies().unwrap().iter().map(|b| b.id).collect();
    let cases: Vec<i64> = {
        let mut stmt = store
            .conn()
            .prepare("SELECT id FROM cases ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(!cases.is_empty());
    let mut meetings = Vec::new();
    for (i, body_id) in bodies.iter().enumerate() {
        let id = store
            .schedule_meeting(&NewMeeting {
                body_id: *body_id,
                date: day("2026-12-20"),
                start: Some("10:00".to_owned()),
                end: None,
                place: String::new(),
            })
            .unwrap();
        if i % 2 == 1 {
            store.link_case(id, cases[i / 2 % cases.len()]).unwrap();
        }
        meetings.push(id);
    }
    let (mut with, mut without) = (0, 0);
    for id in meetings {
        let carried = !store.carried_actions(id).unwrap().is_empty();
        store.prepare_agenda(id).unwrap();
        let live = store.live_meeting(id).unwrap().unwrap();
        let review = live
            .items
            .iter()
            .any(|i| i.title == renkei::store::capture::CARRIED_REVIEW);
        assert_eq!(review, carried, "meeting {id}");
        match carried {
            true => with += 1,
            false => without += 1,
        }
    }
    assert!(
        with > 0 && without > 0,
        "{with} with a review, {without} without"
    );
}
