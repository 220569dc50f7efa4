//! The meeting as a facilitator runs it (issue 19): a whole 支援会議 from the bodies list to
//! approved minutes, driven by keys alone and checked in the database, the minutes and the annual
//! report; and each defect the new user met, by the keys that met it.

use super::Harness;
use crate::common;
use renkei::i18n::Lang;
use renkei::tui::screens::ScreenId as Screen;
use renkei::tui::screens::minutes::Minutes;

impl Harness {
    /// Selects the body named `name` whose organiser is `organiser` on the bodies screen.
    fn select_body(&mut self, name: &str, organiser: &str) {
        self.find_body(&format!("{name} {organiser}"));
        for _ in 0..20 {
            let found = self
                .selected_body()
                .is_some_and(|b| b.record.name == name && b.record.organiser == organiser);
            if found {
                return;
            }
            self.key("j");
        }
        panic!("no body {name} of {organiser}");
    }

    fn query(&self, sql: &str) -> String {
        self.store
            .conn()
            .query_row(sql, [], |r| r.get::<_, String>(0))
            .unwrap()
    }

    fn minutes_text(&self) -> String {
        self.app
            .find::<Minutes>()
            .expect("the minutes screen")
            .text()
            .to_owned()
    }

    fn status(&self) -> String {
        self.app.ctx.status.clone().map(|s| s.1).unwrap_or_default()
    }
}

/// A whole support meeting as the new user ran it, now with the record complete from the keys
/// alone: hold now with a place, the last roster in one key, the record's fields by pickers, the
/// carried actions reviewed while their item runs (done, continued with a new due date and a
/// note, dropped), captures, the case by its scale, end, minutes, approval and an amendment.
#[test]
fn a_support_meeting_as_a_facilitator_runs_it() {
    let mut h = Harness::new(Lang::Ja);
    h.select_body("支援会議", "地域福祉課");
    h.key("n");
    h.typed("区役所 第3会議室");
    h.key("enter");
    let id = h.meeting();
    assert_eq!(h.app.screen(), Screen::Setup(id));
    // Defect 4: the confidentiality confirmation opens the meeting, the carried review follows.
    let titles: Vec<String> = {
        let mut stmt = h
            .store
            .conn()
            .prepare("SELECT title FROM agenda_items WHERE meeting_id = ?1 ORDER BY position")
            .unwrap();
        stmt.query_map([id], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(titles[0], "守秘義務の確認");
    assert_eq!(titles[1], "前回からの継続事項の確認");

    // The last roster in one key; the one who did not come marked absent with one more.
    h.key("R");
    assert!(h.status().contains("6 名"), "{}", h.status());
    let q = |h: &Harness, sql: &str| h.count(&sql.replace("{id}", &id.to_string()));
    assert_eq!(
        q(&h, "SELECT COUNT(*) FROM attendees WHERE meeting_id = {id}"),
        6
    );
    h.keys(&["j", "j", "j", "j", "j", "space"]);
    assert_eq!(
        h.query(&format!(
            "SELECT name FROM attendees WHERE meeting_id = {id} AND attendance = 'absent'"
        )),
        "渡辺 恵"
    );

    // The record's fields: the place as typed, the basis as the body's kind gave it, SV 有, the
    // agency picked, the handouts one a line, the next meeting as said.
    h.key("f");
    h.keys(&["tab", "tab", "y", "tab"]);
    h.typed("健康");
    h.keys(&["down", "tab"]);
    h.typed("事例概要シート");
    h.key("enter");
    h.typed("関係機関連絡先一覧");
    h.keys(&["tab", "tab"]);
    h.typed("2週間後");
    let form = h.screen(80, 24);
    assert!(
        form.contains("-> 12/05(土)"),
        "the date as understood: {form}"
    );
    h.key("enter");
    assert!(h.status().contains("保存しました"));
    let record = h.store.record_fields(id).unwrap();
    assert_eq!(record.place, "区役所 第3会議室");
    assert_eq!(record.basis, "支援会議");
    assert!(record.supervisor);
    assert_eq!(record.referred_by.as_deref(), Some("健康推進課"));
    assert_eq!(record.handouts, "事例概要シート\n関係機関連絡先一覧");
    assert_eq!(record.next_meeting.unwrap().to_string(), "2026-12-05");

    // Begun; the confidentiality confirmed; the carried actions reviewed while their item runs.
    h.key("b");
    assert_eq!(h.app.screen(), Screen::Live(id));
    h.key("n");
    h.typed("社会福祉法第106条の6の守秘義務を全員で確認した");
    h.key("enter");
    h.advance(2);
    h.key(">");
    // The review's item come up, the carried actions have the keys. (The demo's action on the
    // clinics was closed at the core meeting since: two are carried.)
    let live = h.screen(80, 24);
    assert!(live.contains("本人確認の方法"), "{live}");
    assert!(!live.contains("訪問診療が可能な医療機関"), "{live}");
    h.key("N");
    h.typed("12/4");
    h.key("tab");
    h.typed("書面での確認を優先して所内で検討中");
    h.key("enter");
    h.key("j");
    h.key("X");
    let status = |h: &Harness, text: &str| {
        h.query(&format!(
            "SELECT status || ' ' || COALESCE(due_date, '') FROM next_actions WHERE text LIKE '{text}%'"
        ))
    };
    // Reopened, it is said so (it was said 取りやめにしました); reopened again, that it is open
    // still, nothing written. (Attack on the TUI, 2026-12-05.)
    let changes = |h: &Harness| h.count("SELECT COUNT(*) FROM changes");
    h.key("O");
    assert!(status(&h, "収入申告").starts_with("open"));
    assert!(h.screen(80, 24).contains("未完了に戻しました"));
    let before = changes(&h);
    h.key("O");
    assert!(h.screen(80, 24).contains("この対応はまだ未完了です"));
    assert_eq!(changes(&h), before);
    h.key("X");
    assert!(status(&h, "訪問診療").starts_with("done"));
    assert_eq!(status(&h, "本人確認の方法"), "open 2026-12-04");
    assert!(status(&h, "収入申告").starts_with("dropped"));

    // The captures of the items that follow.
    h.advance(2);
    h.key(">");
    h.key("n");
    h.typed("子が週2回、食事と郵便を届けている。本人とはメールのみ");
    h.key("enter");
    h.advance(2);
    h.key(">");
    h.key("i");
    h.typed("経済");
    h.keys(&["down", "enter", "enter"]);
    h.key("i");
    h.typed("セルフネグレクト");
    assert!(
        h.screen(80, 24).contains("(新規)"),
        "a new category is flagged"
    );
    h.key("enter");
    h.advance(2);
    h.key(">");
    h.key("d");
    h.typed("訪問診療につなぐことを最優先とする");
    h.key("enter");
    h.key("c");
    h.typed("A世帯");
    h.key("tab");
    h.typed("くらし");
    h.keys(&["down", "tab"]);
    h.typed("子");
    h.keys(&["tab", "m", "tab", "h", "tab"]);
    h.typed("医療と生活保護の相談を並行して進める");
    h.key("ctrl-s");
    assert!(h.status().contains("保存しました"), "{}", h.status());
    assert!(h.screen(80, 24).contains("事例: A世帯"));
    h.advance(2);
    h.key(">");
    for (agency, role) in [
        ("くらし", "本人とのメール連絡の窓口"),
        ("健康推進", "訪問診療の調整"),
    ] {
        h.key("r");
        h.typed(agency);
        h.keys(&["down", "tab"]);
        h.typed(role);
        h.key("enter");
    }
    h.key("a");
    h.typed("生活福祉");
    h.keys(&["down", "tab"]);
    h.typed("生活保護の申請相談の日程を本人に送る");
    h.key("tab");
    h.typed("来週金曜");
    h.key("enter");
    h.advance(5);
    h.key(">");
    h.key("d");
    h.typed("2週間後にコア会議で経過を確認する");
    h.key("enter");
    h.keys(&["E", "enter"]);
    assert_eq!(h.app.screen(), Screen::Minutes(id));

    let minutes = h.minutes_text();
    for want in [
        "- **場所**：区役所 第3会議室",
        "- **開催根拠**：支援会議",
        "- **相談のあった機関**：健康推進課",
        "- **SV派遣**：有",
        "- 事例概要シート",
        "- 関係機関連絡先一覧",
        "令和8年12月5日（土）",
        "- **危険度**：中",
        "- **緊急度**：高",
        "経済的困窮、セルフネグレクト",
        "| 渡辺 恵 |",
        "現在：継続（本会議で）。新しい期限 2026-12-04（金）。経過：書面での確認を優先して所内で検討中",
        "~~**国保年金課**：収入申告の様式を子経由で届ける~~",
        "役割分担 2件、次回までの対応 1件を記録（下記のとおり）",
        "前回からの継続事項 2件を記録（下記のとおり）",
        "課題 2件を記録（下記のとおり）",
        "- **入力者**：sato",
    ] {
        assert!(minutes.contains(want), "minutes lack {want}:\n{minutes}");
    }
    // Defect 9: no ticked box for a dropped action, no 記録なし under the item whose roles were
    // captured, nobody called unknown.
    assert!(!minutes.contains("[x] ~~"), "{minutes}");
    let roles_item = minutes
        .split("### ")
        .find(|s| s.contains("役割分担") && s.starts_with(char::is_numeric))
        .unwrap_or_default();
    assert!(!roles_item.contains("記録なし"), "{roles_item}");
    assert!(!minutes.contains("unknown"), "{minutes}");

    // The action's history keeps the continuation.
    let action: i64 = h.count("SELECT id FROM next_actions WHERE text LIKE '本人確認の方法%'");
    let history = h.store.action_history(action).unwrap();
    let said: Vec<String> = history.iter().map(|e| e.describe(Lang::Ja)).collect();
    assert!(
        said.iter()
            .any(|s| s.contains("継続（期限 2026-12-04、経過: 書面での確認")),
        "{said:?}"
    );

    // Approved; a change of the record after that is an amendment.
    h.keys(&["A", "enter"]);
    h.key("f");
    h.keys(&["tab", "tab", "tab", "tab", "tab"]);
    h.typed("居住実態の確認方法");
    h.key("ctrl-s");
    let minutes = h.minutes_text();
    assert!(minutes.contains("## 修正履歴"), "{minutes}");
    assert!(minutes.contains("| 残された課題 |"), "{minutes}");
    assert!(minutes.contains("居住実態の確認方法"), "{minutes}");
}

/// The annual report's tables filled from a meeting captured in the TUI alone: on a database with
/// the fixtures and no meeting, one meeting held from the keys gives each table its row.
#[test]
fn the_report_tables_are_filled_from_a_meeting_captured_in_the_tui() {
    let mut h = Harness::filled(Lang::Ja, |store| {
        store
            .import_parsed(&renkei::demo::fixtures().unwrap())
            .unwrap();
    });
    h.select_body("総合的な支援調整の場（つながる場）", "区保健福祉センター");
    h.keys(&["n", "enter"]);
    let id = h.meeting();
    h.key("tab");
    for agency in ["地域包括支援センター", "生活困窮担当"] {
        h.key("a");
        h.typed(agency);
        h.key("enter");
    }
    h.key("f");
    h.key("tab");
    h.typed("地域ケア");
    h.keys(&["down", "tab", "y", "tab"]);
    h.typed("地域包括");
    h.keys(&["down", "enter", "enter"]);
    h.key("b");
    for issue in ["精神障がい（疑い含む）", "ゴミ屋敷"] {
        h.key("i");
        h.typed(issue);
        h.key("enter");
    }
    h.keys(&["E", "enter"]);
    assert_eq!(h.app.screen(), Screen::Minutes(id));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let report =
        renkei::tui::screens::report::text(&h.store, Lang::Ja, today, 2026, false).unwrap();
    for want in [
        "| 地域ケア会議 | 1 |",
        "| 有 | 1 |",
        "| 地域包括支援センター | 1件(100%) |",
        "| 生活困窮担当 | 1 |",
        "| 精神障がい（疑い含む） | 1 |",
        "| ゴミ屋敷 | 1 |",
    ] {
        assert!(report.contains(want), "the report lacks {want}:\n{report}");
    }
}

/// Defect 1: Enter on a suggestion took it and moved on, so the Tab that followed put the name in
/// 職名.
#[test]
fn enter_on_a_suggestion_keeps_the_field_so_the_name_lands_in_its_place() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("支援方針検討会議");
    h.keys(&["n", "enter", "tab", "a"]);
    h.typed("権利");
    h.keys(&["down", "enter", "tab"]);
    h.typed("加藤 真理");
    h.key("enter");
    let id = h.meeting();
    assert_eq!(
        h.query(&format!(
            "SELECT name || '|' || title FROM attendees WHERE meeting_id = {id}"
        )),
        "加藤 真理|"
    );
}

/// Defect 3: the redacted view chosen for one meeting's minutes carried over to another's.
#[test]
fn a_redaction_chosen_for_one_meeting_stays_with_it() {
    let mut h = Harness::new(Lang::Ja);
    h.select_body("支援会議", "地域福祉課");
    h.key("m");
    assert!(
        matches!(h.app.screen(), Screen::Minutes(_)),
        "{:?} {}",
        h.app.screen(),
        h.status()
    );
    h.key("R");
    assert!(!h.minutes_text().contains("佐藤 健一"));
    h.key("esc");
    h.find_body("支援方針検討会議");
    h.key("m");
    assert!(
        h.minutes_text().contains("中村 亮"),
        "another meeting's minutes are not redacted by surprise"
    );
    h.key("esc");
    h.select_body("支援会議", "地域福祉課");
    h.key("m");
    assert!(
        !h.minutes_text().contains("佐藤 健一"),
        "its own choice kept"
    );
}

/// Defect 5: the help did not scroll (cut at 80x24 in the live meeting, no close hint).
#[test]
fn the_help_scrolls_and_says_how_to_close_it_at_any_size() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    h.key("?");
    for (w, ht) in [(80, 24), (40, 12)] {
        let screen = h.screen(w, ht);
        assert!(screen.contains("閉じる"), "{w}x{ht}: {screen}");
        assert!(
            !screen.contains("年度の実績"),
            "the last key is below: {screen}"
        );
    }
    insta::assert_snapshot!("help_live_40x12", h.screen(40, 12));
    h.key("end");
    let screen = h.screen(40, 12);
    assert!(screen.contains("年度の実績"), "{screen}");
    h.keys(&["home", "pgdn"]);
    let screen = h.screen(40, 12);
    assert!(!screen.contains("> 次の議題へ"), "{screen}");
    h.key("j");
    h.key("esc");
    assert!(matches!(
        h.app.ctx.overlay,
        renkei::tui::screens::Overlay::None
    ));
}

/// Defect 6: holding a meeting now skipped the setup and gave no way to set the place.
#[test]
fn holding_a_meeting_now_asks_the_place_and_opens_its_setup() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.key("n");
    h.typed("区役所 5階 会議室");
    h.key("enter");
    let id = h.meeting();
    assert_eq!(h.app.screen(), Screen::Setup(id));
    assert_eq!(
        h.store.record_fields(id).unwrap().place,
        "区役所 5階 会議室"
    );
    assert_eq!(
        h.query(&format!(
            "SELECT date || ' ' || start_time FROM meetings WHERE id = {id}"
        )),
        "2026-11-21 10:00"
    );
}

/// Defect 7: u said only 取り消しました, and a second u silently took back an earlier capture.
#[test]
fn undo_says_what_it_took_back() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    h.key("n");
    h.typed("定着支援の状況を共有");
    h.key("enter");
    h.key("a");
    h.typed("障害者支援課");
    h.key("tab");
    h.typed("事業所アンケートの集計");
    h.key("enter");
    h.key("u");
    assert!(
        h.status()
            .contains("次回までの対応「事業所アンケートの集計」")
            && h.status().contains("あと 1 件"),
        "{}",
        h.status()
    );
    h.key("u");
    assert!(
        h.status().contains("メモ「定着支援の状況を共有」"),
        "{}",
        h.status()
    );
}

/// Attack report 6, finding 22: `u` took back a note a colleague had corrected meanwhile —
/// their correction gone from the minutes — and said it took back the old text. A capture
/// changed since it was made is not taken back: refused naming who changed it, the note (as
/// corrected) stays. (Seen failing before: the corrected note removed.)
#[test]
fn undo_does_not_take_back_a_note_a_colleague_corrected() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    h.key("n");
    h.typed("nobodyのメモX");
    h.key("enter");
    let id: i64 = h
        .store
        .conn()
        .query_row(
            "SELECT id FROM agenda_entries WHERE text = 'nobodyのメモX'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut other = renkei::store::Store::open(&h._db.path, h.store.clock().clone()).unwrap();
    other.set_user("daemon");
    other
        .edit_text(
            renkei::store::capture::Entity::Entry,
            id,
            Some("nobodyのメモX"),
            "daemonの訂正Y",
        )
        .unwrap();
    drop(other);
    h.key("u");
    assert!(h.status().contains("daemon"), "{}", h.status());
    assert_eq!(
        h.query(&format!(
            "SELECT text || ' ' || (deleted_at IS NULL) FROM agenda_entries WHERE id = {id}"
        )),
        "daemonの訂正Y 1",
        "the colleague's correction stays"
    );
}

/// Defect 8: saving the case fields or a correction said nothing.
#[test]
fn a_correction_or_the_case_fields_saved_say_so() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    h.key("n");
    h.typed("定着支援の状況");
    h.key("enter");
    h.keys(&["tab", "tab", "e"]);
    h.typed("を共有");
    h.key("enter");
    assert!(h.status().contains("保存しました"), "{}", h.status());
    h.app.ctx.status = None;
    h.key("c");
    h.typed("D世帯");
    h.key("ctrl-s");
    assert!(h.status().contains("保存しました"), "{}", h.status());
    assert!(h.screen(80, 24).contains("事例: D世帯"));
}

/// Defect 10: at 40x12 a window across two years read 10/20-10/19, the live line cut the clock;
/// the record pane broke lines inside dates and began them with 、.
#[test]
fn a_narrow_terminal_keeps_dates_and_the_clock_readable() {
    let mut h = Harness::new(Lang::Ja);
    let home = h.screen(40, 12);
    assert!(!home.contains("10/20-10/19"), "{home}");
    assert!(home.contains("25/10/20-26/10/19"), "{home}");
    h.find_body("就労支援部会");
    h.hold_now();
    h.advance(3);
    let live = h.screen(40, 12);
    let clock = live.lines().nth(3).unwrap_or("");
    assert!(clock.contains("03:00/2分!"), "{live}");
    for (agency, text, due) in [
        (
            "障害者支援課",
            "事業所アンケートを集計し、結果を「部会」に報告する。",
            "12/4",
        ),
        (
            "ハローワーク木場",
            "合同面接会（障害者向け）の日程を、各事業所へ周知する",
            "来週金曜",
        ),
    ] {
        h.action(agency, text, due);
    }
    h.keys(&["tab", "tab"]);
    for (w, ht) in [(40, 12), (80, 24), (52, 16)] {
        let screen = h.screen(w, ht);
        let pane: Vec<&str> = screen
            .lines()
            .filter_map(|l| l.strip_prefix('│'))
            .map(|l| l.trim_start())
            .collect();
        for line in &pane {
            assert!(
                !line.starts_with(['、', '。', '）', '」']),
                "{w}x{ht}: a line starts with a closing mark: {screen}"
            );
            assert!(!line.contains("(12/0\n"), "{screen}");
        }
        // A date is whole on its line: no line ends inside one.
        for date in ["(12/04(金))", "(11/27(金))"] {
            for cut in 2..date.len() - 1 {
                let Some(head) = date.get(..cut) else {
                    continue;
                };
                assert!(
                    !screen
                        .lines()
                        .any(|l| l.trim_end_matches([' ', '│']).ends_with(head)),
                    "{w}x{ht}: {date} broken after {head}: {screen}"
                );
            }
        }
        assert!(screen.contains("(12/04(金))"), "{screen}");
    }
}

/// Defect 12: an empty filter result said there was nothing scheduled and how to schedule.
#[test]
fn a_filter_that_matches_nothing_says_so() {
    let mut h = Harness::new(Lang::Ja);
    h.key("/");
    h.typed("存在しない会議体");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("絞り込みに合うものはありません"),
        "{screen}"
    );
    assert!(!screen.contains("予定も見込みもありません"), "{screen}");
}

/// Defect 14: the resume question did not name the meeting.
#[test]
fn the_resume_question_names_the_meeting() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    let id = h.meeting();
    let mut again = renkei::tui::app::App::new(
        Lang::Ja,
        renkei::tui::theme::Theme::mono(),
        renkei::tui::keymap::Keymap::default_keymap(),
        h.store.now(),
    );
    renkei::tui::start(&mut again, &mut h.store);
    h.app = again;
    let screen = h.screen(80, 24);
    assert!(screen.contains("地域自立支援協議会"), "{screen}");
    assert!(screen.contains("令和8年11月21日"), "{screen}");
    assert!(screen.contains(&format!("#{id}")), "{screen}");
    h.key("enter");
    assert_eq!(h.app.screen(), Screen::Live(id));
}

/// The bodies screen lists a body's meetings; each opens as it stands.
#[test]
fn a_body_s_past_meetings_open_from_the_bodies_screen() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("支援方針検討会議");
    h.key("enter");
    let Screen::Meetings(body) = h.app.screen() else {
        panic!("{:?}", h.app.screen());
    };
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("meetings_{w}x{ht}"), h.screen(w, ht));
    }
    h.keys(&["j", "enter"]);
    let Screen::Minutes(held) = h.app.screen() else {
        panic!("the held meeting's minutes: {:?}", h.app.screen());
    };
    assert_eq!(
        h.count(&format!("SELECT body_id FROM meetings WHERE id = {held}")),
        body
    );
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Meetings(body));
    let _ = common::NOW;
}

/// Issue 13 item 6: a meeting begun on another day than planned asks first, then takes the real
/// date and time; the plan stays in the record of changes. Declined, nothing begins.
#[test]
fn beginning_on_another_day_asks_and_records_the_real_date() {
    let mut h = Harness::new(Lang::Ja);
    h.key("/");
    h.typed("支援方針検討会議");
    h.keys(&["enter", "enter"]);
    let id = h.meeting();
    h.key("b");
    let question = h.screen(80, 24);
    assert!(question.contains("別の日の予定です"), "{question}");
    assert!(
        question.contains("予定 11/30(月) 15:00 → 実際 11/21(土) 10:00"),
        "{question}"
    );
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Setup(id), "declined: not begun");
    assert_eq!(
        h.count(&format!(
            "SELECT COUNT(*) FROM meetings WHERE id = {id} AND started_at IS NULL"
        )),
        1
    );
    h.keys(&["b", "enter"]);
    assert_eq!(h.app.screen(), Screen::Live(id));
    assert_eq!(
        h.query(&format!(
            "SELECT date || ' ' || start_time FROM meetings WHERE id = {id}"
        )),
        "2026-11-21 10:00"
    );
    assert_eq!(
        h.query(&format!(
            "SELECT old_value FROM changes WHERE meeting_id = {id} AND field = 'date'"
        )),
        "2026-11-30"
    );
    assert!(h.screen(40, 12).contains("11/21(土) 10:00"));
}

/// Vocabularies as data: a category the config adds is offered by the case issue picker, found
/// by its variant, and stored by its name (a whole renkei in the script mode, its config read as
/// a user's is).
#[test]
fn the_config_s_categories_are_offered_by_the_issue_picker() {
    let db = common::TempDb::new();
    common::renkei(&db).arg("demo").assert().success();
    let config = db.file(
        "config.toml",
        "[[issues]]\nname = \"ヤングケアラー\"\nvariants = [\"ヤング・ケアラー\"]\nkana = true\n"
            .as_bytes(),
    );
    let script = [
        "key 2",
        "key /",
        "type 就労支援部会",
        "key enter",
        "key n",
        "key enter",
        "key b",
        "key i",
        "type やんぐ",
        "screen",
        "key down",
        "key enter",
        "key enter",
    ]
    .join("\n");
    let out = common::renkei(&db)
        .env("RENKEI_CONFIG", &config)
        .arg("--script")
        .write_stdin(script)
        .assert()
        .success();
    let shown = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(shown.contains("  ヤングケアラー"), "offered: {shown}");
    let store = db.open();
    let category: String = store
        .conn()
        .query_row(
            "SELECT category FROM case_issues ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(category, "ヤングケアラー");
}

/// Search over past records from the TUI: F anywhere, two characters of Japanese typed, the
/// newest hit first; Enter opens its meeting (the minutes of a held one).
#[test]
fn two_characters_search_past_records_from_the_tui() {
    let mut h = Harness::new(Lang::Ja);
    h.key("F");
    assert_eq!(h.app.screen(), Screen::Search);
    h.typed("訪問");
    let screen = h.screen(80, 24);
    assert!(screen.contains("「訪問」"), "{screen}");
    assert!(screen.contains("訪問診療"), "{screen}");
    h.key("enter");
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("search_{w}x{ht}"), h.screen(w, ht));
    }
    let found = h
        .app
        .find::<renkei::tui::screens::search::Search>()
        .unwrap()
        .hits()
        .len();
    assert!(found > 0);
    h.key("enter");
    let Screen::Minutes(id) = h.app.screen() else {
        panic!("the held meeting's minutes: {:?}", h.app.screen());
    };
    assert!(h.minutes_text().contains("訪問"), "{id}");
    // They open at the first line that holds what was searched for.
    let shown = h.screen(80, 24);
    let top: Vec<&str> = shown.lines().skip(2).take(2).collect();
    assert!(top.iter().any(|l| l.contains("訪問")), "{shown}");
    // Back: the search as it was left, and / types it again.
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Search);
    assert!(h.screen(40, 12).contains("訪問"));
    h.keys(&["/", "backspace", "backspace"]);
    h.typed("親族");
    assert!(h.screen(80, 24).contains("「親族」"));
    // From a meeting, / searches too.
    h.key("esc");
    h.key("esc");
    h.find_body("就労支援部会");
    h.hold_now();
    h.key("/");
    assert_eq!(h.app.screen(), Screen::Search);
}

/// Attack report 5, finding 14: the record's form (`f`) of a live meeting wrote back every field
/// it had loaded, so a colleague's place saved while it was open was wiped unseen. It now writes
/// only the fields typed in it: the colleague's place stays, the remaining issues typed here are
/// saved. (Seen failing before: the place went back to what the form had loaded.)
#[test]
fn the_record_form_writes_only_what_was_typed_in_it() {
    let mut h = Harness::new(Lang::Ja);
    let id = super::live_meeting(&mut h);
    let place = |h: &Harness| h.query(&format!("SELECT place FROM meetings WHERE id = {id}"));
    let before = place(&h);
    h.key("f");
    // Meanwhile a colleague moves the meeting to another room, and saves.
    let mut other = renkei::store::Store::open(&h._db.path, h.store.clock().clone()).unwrap();
    other.set_user("tanaka");
    let mut fields = other.record_fields(id).unwrap();
    fields.place = "第二会議室（変更）".to_owned();
    other.set_record_fields(id, &fields).unwrap();
    drop(other);
    // 残された課題 (the sixth field) typed here.
    h.keys(&["tab", "tab", "tab", "tab", "tab"]);
    h.typed("家計の見直しは次回");
    h.key("ctrl-s");
    let screen = h.screen(80, 24);
    assert!(
        matches!(h.app.ctx.overlay, renkei::tui::screens::Overlay::None),
        "{screen}"
    );
    assert_ne!(before, "第二会議室（変更）");
    assert_eq!(
        place(&h),
        "第二会議室（変更）",
        "the colleague's place stays"
    );
    assert_eq!(
        h.query(&format!(
            "SELECT remaining_issues FROM meetings WHERE id = {id}"
        )),
        "家計の見直しは次回"
    );
}

/// Attack report 6, finding 7 (live): two people complete 残された課題 of one meeting at once;
/// the second to save wrote over the first's text unseen. A field typed here that a colleague
/// changed since the form opened is not written over: the save is refused naming the field and
/// who, their text stays; Enter again (told) saves what was typed. (Seen failing before: the
/// colleague's text replaced at the first save.)
#[test]
fn the_record_form_refuses_a_field_a_colleague_changed_meanwhile() {
    let mut h = Harness::new(Lang::Ja);
    let id = super::live_meeting(&mut h);
    let issues = |h: &Harness| {
        h.query(&format!(
            "SELECT remaining_issues FROM meetings WHERE id = {id}"
        ))
    };
    h.key("f");
    h.keys(&["tab", "tab", "tab", "tab", "tab"]);
    h.typed("私の課題A");
    let mut other = renkei::store::Store::open(&h._db.path, h.store.clock().clone()).unwrap();
    other.set_user("tanaka");
    let mut fields = other.record_fields(id).unwrap();
    fields.remaining_issues = "同僚の課題B".to_owned();
    other.set_record_fields(id, &fields).unwrap();
    drop(other);
    h.key("ctrl-s");
    let screen = h.screen(80, 24);
    assert_eq!(issues(&h), "同僚の課題B", "{screen}");
    assert!(
        matches!(h.app.ctx.overlay, renkei::tui::screens::Overlay::Form(_)),
        "the form stays open as typed: {screen}"
    );
    assert!(screen.contains("tanaka"), "{screen}");
    h.key("ctrl-s");
    assert!(matches!(
        h.app.ctx.overlay,
        renkei::tui::screens::Overlay::None
    ));
    assert_eq!(issues(&h), "私の課題A", "told, the second save writes it");
}
