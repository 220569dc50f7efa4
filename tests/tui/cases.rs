//! The cases screens driven as a facilitator would (issue 17): the ledger (5), a case and its
//! panes, a meeting's case panel picked from the live meeting with every capture going to the
//! case being discussed, and snapshots at 80x24 and 40x12 with Japanese text.

use super::Harness;
use renkei::i18n::Lang;
use renkei::store::cases::LedgerFilter;
use renkei::tui::screens::Overlay;
use renkei::tui::screens::ScreenId as Screen;

fn case_of(h: &Harness, text: &str) -> Option<i64> {
    h.store
        .conn()
        .query_row(
            "SELECT case_id FROM next_actions WHERE text = ?1",
            [text],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn from_the_live_meeting_a_case_is_picked_and_every_capture_goes_to_it() {
    let mut h = Harness::new(Lang::Ja);
    // A meeting held now of the plenary (重層的支援会議 needs the person's consent).
    h.find_body("重層的支援会議");
    // Hold now: the place left empty, the setup, begun.
    h.hold_now();
    let id = h.meeting();
    h.key("P");
    assert_eq!(h.app.screen(), Screen::MeetingCases(id));
    // The picker is open at once: A世帯 has no consent recorded — warned, and kept.
    h.typed("A世帯");
    h.key("enter");
    let screen = h.screen(80, 24);
    assert!(screen.contains("警告"), "{screen}");
    assert!(screen.contains("議論中"), "{screen}");
    // A new household in a few keys: a, its pseudonym, Enter.
    h.key("a");
    h.typed("F世帯");
    h.key("enter");
    let f = h.store.find_case("F世帯").unwrap().unwrap();
    let a = h.store.find_case("A世帯").unwrap().unwrap();
    // F is being discussed: the next action goes to F; back to A, the next one goes to A.
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Live(id));
    let live = h.screen(80, 24);
    assert!(
        live.contains("[事例 F世帯]"),
        "the live meeting says where captures go:
{live}"
    );
    h.key("a");
    h.typed("地域福祉課");
    h.key("tab");
    h.typed("F世帯の初回面談");
    h.key("enter");
    assert_eq!(case_of(&h, "F世帯の初回面談"), Some(f));
    h.key("P");
    h.keys(&["k", "k", "enter", "esc"]);
    h.key("a");
    h.typed("健康推進課");
    h.key("tab");
    h.typed("訪問診療の日程確認");
    h.key("enter");
    assert_eq!(case_of(&h, "訪問診療の日程確認"), Some(a));
    // The situation told at the meeting, then the case opened at it: a policy changed there
    // is the meeting's revision.
    h.key("P");
    h.key("s");
    h.typed("訪問診療の初回が決まった");
    h.key("ctrl-s");
    let situation: String = h
        .store
        .conn()
        .query_row(
            "SELECT situation FROM meeting_cases WHERE meeting_id = ?1 AND case_id = ?2",
            [id, a],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(situation, "訪問診療の初回が決まった");
    h.key("o");
    assert_eq!(
        h.app.screen(),
        Screen::Case {
            case: a,
            at: Some(id)
        }
    );
    h.key("c");
    h.key("left");
    h.key("enter");
    let warned: i64 = h.count("SELECT COUNT(*) FROM audit WHERE action = 'case_without_consent'");
    assert_eq!(
        warned, 2,
        "A世帯 and the new F世帯: neither has consent recorded"
    );
    let consent = h.store.case_detail(a).unwrap().unwrap().row.consent;
    assert_eq!(consent.code(), "not_given");
    // The ledger lists both; Enter opens F.
    h.key("5");
    assert_eq!(h.app.screen(), Screen::Cases);
    h.key("/");
    h.typed("F世帯");
    h.key("enter");
    h.key("enter");
    assert_eq!(h.app.screen(), Screen::Case { case: f, at: None });
}

#[test]
fn a_case_is_opened_given_a_household_and_a_plan_and_closed_from_its_screen() {
    let mut h = Harness::new(Lang::Ja);
    h.key("5");
    h.key("n");
    h.typed("G世帯");
    h.key("tab");
    h.typed("高田 洋子");
    h.key("enter");
    let g = h.store.find_case("G世帯").unwrap().unwrap();
    assert_eq!(h.app.screen(), Screen::Case { case: g, at: None });
    // A plan line (the plan pane), a member (the household pane).
    h.key("tab");
    h.key("a");
    h.typed("地域包括支援センター");
    h.key("tab");
    h.typed("見守り訪問");
    h.key("tab");
    h.typed("週1回の訪問が続く");
    h.key("enter");
    h.keys(&["tab", "tab", "a"]);
    h.typed("長女");
    h.key("tab");
    h.typed("高田 真理（タカダ マリ）");
    h.key("enter");
    let d = h.store.case_detail(g).unwrap().unwrap();
    assert_eq!((d.plan.len(), d.members.len()), (1, 2));
    // A pseudonym that names the household is refused, the form kept with its text.
    h.key("tab");
    h.key("e");
    for _ in 0..3 {
        h.key("backspace");
    }
    h.typed("高田さん宅");
    h.key("enter");
    assert!(h.store.find_case("高田さん宅").unwrap().is_none());
    h.key("esc");
    assert_eq!(
        h.store.case_detail(g).unwrap().unwrap().row.pseudonym,
        "G世帯"
    );
    // Closed with its reason; then reopened.
    h.key("E");
    h.keys(&["tab", "tab"]);
    h.typed("施設に入所");
    h.key("tab");
    h.typed("見守りの目標は達成");
    h.key("enter");
    let closed = h.store.case_ledger(LedgerFilter::Closed, false).unwrap();
    assert!(closed.iter().any(|r| r.id == g));
    h.key("O");
    h.key("enter");
    assert!(
        h.store
            .case_ledger(LedgerFilter::Closed, false)
            .unwrap()
            .is_empty()
    );
    // The record is written where renkei was started, redacted when names are hidden.
    let dir = tempfile::tempdir().unwrap();
    h.app.ctx.export_dir = dir.path().to_owned();
    h.key("R");
    h.key("w");
    let written: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let text = std::fs::read_to_string(&written[0]).unwrap();
    assert!(text.starts_with("# 経過記録：G世帯"), "{text}");
    for name in ["高田", "洋子", "真理", "タカダ"] {
        assert!(!text.contains(name), "{name}:\n{text}");
    }
}

fn snapshots(lang: Lang, suffix: &str) {
    let mut h = Harness::new(lang);
    h.key("5");
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("cases_ledger_{w}x{ht}{suffix}"), h.screen(w, ht));
    }
    h.key("/");
    h.typed("A世帯");
    h.key("enter");
    h.key("enter");
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("case_{w}x{ht}{suffix}"), h.screen(w, ht));
    }
    // The core meeting to come, and its case panel.
    let core = h
        .store
        .case_detail(h.store.find_case("A世帯").unwrap().unwrap())
        .unwrap()
        .unwrap()
        .timeline
        .last()
        .unwrap()
        .meeting_id;
    h.app.open(Screen::Setup(core));
    renkei::tui::refresh(&mut h.app, &h.store);
    h.key("P");
    insta::assert_snapshot!(format!("case_panel_80x24{suffix}"), h.screen(80, 24));
}

#[test]
fn snapshots_of_the_cases_screens_in_japanese() {
    snapshots(Lang::Ja, "");
}

#[test]
fn snapshots_of_the_cases_screens_in_english() {
    snapshots(Lang::En, "_en");
}

/// The ledger, a case, its forms and a meeting's case panel at sizes from 1x1 to 300x100 with
/// Japanese, emoji and escape sequences in the data: no panic, no line wider than the terminal.
#[test]
fn the_cases_screens_render_at_every_size() {
    const WIDTHS: [u16; 12] = [1, 3, 8, 21, 30, 31, 40, 41, 79, 80, 120, 300];
    const HEIGHTS: [u16; 9] = [1, 3, 7, 8, 12, 13, 24, 25, 100];
    let mut h = Harness::new(Lang::Ja);
    let sweep = |h: &mut Harness, what: &str| {
        h.sweep(what, &WIDTHS, &HEIGHTS);
    };
    h.key("5");
    h.key("n");
    h.typed("Ｈ世帯😀\u{1b}[31m\u{202E}");
    sweep(&mut h, "new case form");
    h.key("enter");
    sweep(&mut h, "case");
    h.key("tab");
    h.key("a");
    h.typed("👪家族支援センター");
    h.key("tab");
    h.typed("結合文字がっこう\u{1b}]0;title\u{7}");
    h.key("enter");
    h.keys(&["tab", "tab"]);
    sweep(&mut h, "household pane");
    h.key("esc");
    sweep(&mut h, "ledger");
    h.find_body("重層的支援会議");
    h.hold_now();
    h.key("P");
    sweep(&mut h, "picker");
    h.typed("Ｈ世帯😀\u{1b}[31m\u{202E}");
    h.key("enter");
    sweep(&mut h, "case panel");
}

/// Issue 18 item 4: `w` on the ledger writes the cases it shows as the 進行管理台帳 (the columns
/// of `renkei cases --format xlsx`), owner-only and in the audit; a filter narrows what is written.
#[test]
fn w_on_the_ledger_writes_the_cases_shown() {
    let mut h = Harness::new(Lang::Ja);
    let dir = h._db.dir.path().to_owned();
    h.app.ctx.export_dir = dir.clone();
    h.key("5");
    // w asks the format, the workbook offered first.
    h.key("w");
    h.key("enter");
    let path = dir.join("cases-2026-11-21.xlsx");
    assert!(path.exists(), "{}", h.screen(80, 24));
    let (sheets, rows) = super::xlsx_rows(&path);
    assert_eq!(sheets, ["進行管理台帳"]);
    assert_eq!(rows[0][0], "事例");
    assert_eq!(rows[0][11], "終結理由");
    let followed = h.store.case_ledger(LedgerFilter::Open, false).unwrap();
    assert_eq!(rows.len(), followed.len() + 1);
    assert_eq!(rows[1][0], followed[0].pseudonym, "in the ledger's order");
    assert_eq!(super::common::mode(&path), 0o600);
    // Filtered to one case: only it is written.
    h.key("/");
    h.typed("E氏");
    h.key("enter");
    h.keys(&["w", "enter"]);
    let (_, rows) = super::xlsx_rows(&path);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][0], "E氏");
    assert_eq!(super::audit(&h, "export_cases").len(), 2);
}

/// Issue 18 item 4 and issue 20: the ledger's `w` asks like every other `w` — the workbook or a
/// CSV, the CSV in the config's `csv_encoding` (UTF-8 with a BOM, or CP932) and byte for byte what
/// `renkei cases --format csv` writes; `export_format = "csv"` writes it without asking; every
/// writer's refusals hold (owner-only, no database overwritten).
#[test]
fn w_on_the_ledger_asks_and_writes_the_csv_of_the_command_line() {
    use renkei::config::ExportFormat;
    use renkei::report::csv::CsvEncoding;
    let mut h = Harness::new(Lang::Ja);
    let dir = h._db.dir.path().to_owned();
    h.app.ctx.export_dir = dir.clone();
    h.key("5");
    h.key("w");
    insta::assert_snapshot!("cases_ledger_w_asks_80x24", h.screen(80, 24));
    h.keys(&["right", "enter"]);
    let path = dir.join("cases-2026-11-21.csv");
    assert!(path.exists(), "{}", h.screen(80, 24));
    assert_eq!(super::common::mode(&path), 0o600);
    let db = h._db.path.clone();
    let cli = |args: &[&str]| {
        let out = super::common::succeeds(
            super::common::renkei_at(&db)
                .args(["cases", "--format", "csv"])
                .args(args),
        );
        out.stdout
    };
    let utf8 = std::fs::read(&path).unwrap();
    assert_eq!(utf8, cli(&[]), "the CSV of renkei cases --format csv");
    let cells = super::common::csv_cells(&utf8);
    assert_eq!(cells[0][0], "事例");
    assert_eq!(cells[0][11], "終結理由");
    let followed = h.store.case_ledger(LedgerFilter::Open, false).unwrap();
    assert_eq!(cells.len(), followed.len() + 1);
    assert_eq!(cells[1][0], followed[0].pseudonym);

    // CP932 when the config says so: read back through the Windows encoding.
    h.app.ctx.prefs.csv_encoding = CsvEncoding::Cp932;
    h.keys(&["w", "right", "enter"]);
    let cp932 = std::fs::read(&path).unwrap();
    assert_eq!(cp932, cli(&["--encoding", "cp932"]));
    assert!(!cp932.starts_with(b"\xEF\xBB\xBF"), "no BOM in CP932");
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&cp932);
    assert!(!bad);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    assert_eq!(super::common::csv_cells(&bom), cells, "the same cells");

    // The config's export_format = "csv": written without asking.
    std::fs::remove_file(&path).unwrap();
    h.app.ctx.prefs.export_format = Some(ExportFormat::Csv);
    h.key("w");
    assert!(path.exists(), "written at once: {}", h.screen(80, 24));
    let written = |h: &Harness| {
        super::audit(h, "export_cases")
            .iter()
            .filter(|d| d.contains("cases-2026-11-21.csv"))
            .count()
    };
    assert_eq!(written(&h), 3);

    // Onto a database: refused, the database kept.
    let db_bytes = std::fs::read(&db).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink(&db, &path).unwrap();
    h.key("w");
    let screen = h.screen(80, 24);
    assert_eq!(std::fs::read(&db).unwrap().len(), db_bytes.len());
    assert!(
        std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink(),
        "{screen}"
    );
    assert_eq!(written(&h), 3, "{screen}");
}

/// Issue 18 item 5: screen 4 shows the year's cases as the report prints them, beside the year
/// before with `c`.
#[test]
fn the_report_screen_shows_the_years_cases() {
    let h = Harness::new(Lang::Ja);
    let today = h.store.clock().today();
    let text = renkei::tui::screens::report::text(&h.store, Lang::Ja, today, 2026, true).unwrap();
    assert!(text.contains("## 事例（進行管理）"), "{text}");
    let opened = text
        .lines()
        .find(|l| l.starts_with("| 受理した事例 |"))
        .unwrap();
    // The demo's cases opened by today (C氏 is opened at a meeting still to come).
    let by_today = h
        .store
        .case_ledger(LedgerFilter::All, false)
        .unwrap()
        .iter()
        .filter(|c| c.opened.is_some_and(|d| d <= today))
        .count();
    assert!(by_today > 0);
    assert!(opened.contains(&format!("| {by_today} | 0 |")), "{opened}");
}

/// Attack-3 finding 9 in the TUI: a case form open while someone else changes the case is
/// refused naming who, kept as typed; the next Enter writes only the field changed in the form
/// (the other's policy and next review stay).
#[test]
fn a_case_form_saved_after_anothers_change_is_refused_then_writes_only_its_change() {
    let mut h = Harness::new(Lang::Ja);
    let g = super::case_on_screen(&mut h, "G世帯");
    h.key("e");
    super::colleague_sets_policy(
        &h,
        g,
        "施設入所で見守る",
        chrono::NaiveDate::from_ymd_opt(2027, 4, 1),
    );
    // The key person typed in the form, its other fields left as loaded.
    h.keys(&["tab", "tab"]);
    h.typed("民生委員");
    h.key("enter");
    let renkei::tui::screens::Overlay::Form(form) = &h.app.ctx.overlay else {
        panic!("the form stays open");
    };
    let error = form.error.clone().unwrap_or_default();
    assert!(
        error.contains("G世帯")
            && (error.contains("tanakaが変更しました")
                || error.contains("changed meanwhile by tanaka")),
        "{error}"
    );
    assert_eq!(h.store.case_detail(g).unwrap().unwrap().key_person, "");
    h.key("enter");
    let d = h.store.case_detail(g).unwrap().unwrap();
    assert_eq!(d.key_person, "民生委員");
    assert_eq!(d.row.policy, "施設入所で見守る", "the other's policy stays");
    assert_eq!(
        d.row.review_set,
        chrono::NaiveDate::from_ymd_opt(2027, 4, 1)
    );
}

/// Selects home's first line of overdue case reviews (`事例の確認N件 !超過 …`), and returns it.
fn select_overdue_reviews(h: &mut Harness) -> String {
    use renkei::tui::screens::home::{Home, HomeRow};
    h.key("1");
    h.key("home");
    for _ in 0..60 {
        let home = h.app.find::<Home>().expect("home");
        if matches!(home.rows().get(home.selected()), Some(HomeRow::Reviews(_))) {
            let screen = h.screen(80, 24);
            return screen
                .lines()
                .find(|l| l.contains("> "))
                .unwrap_or("")
                .to_owned();
        }
        h.key("down");
    }
    panic!("no line of overdue reviews:\n{}", h.screen(80, 24));
}

/// Issue 18's loose end 1: Enter on home's line of overdue case reviews opens the ledger showing
/// those cases alone — 超過のみ and the body of the line in its title, as many as the line says —
/// not the whole ledger sorted overdue first; `o` there shows every case again and then every
/// overdue one, and `?` lists it.
#[test]
fn enter_on_homes_overdue_reviews_opens_the_ledger_of_those_cases() {
    let mut h = Harness::new(Lang::Ja);
    // 2026-12-20: B世帯 (due 12-11) and E氏 (12-19) are overdue, each by the body that last
    // discussed it; A世帯 (12-28) and C氏 are not.
    h.advance(29 * 24 * 60);
    let line = select_overdue_reviews(&mut h);
    assert!(line.contains("事例の確認1件"), "{line}");
    assert!(line.contains("!超過"), "{line}");
    h.key("enter");
    assert_eq!(h.app.screen(), Screen::Cases);
    let screen = h.screen(80, 24);
    insta::assert_snapshot!("cases_ledger_overdue_of_a_body_80x24", screen);
    // At 40 columns the title keeps its count, leaving the body out.
    let narrow = h.screen(40, 12);
    insta::assert_snapshot!("cases_ledger_overdue_of_a_body_40x12", narrow);
    assert!(narrow.contains("(対応中・超過のみ, 1)"), "{narrow}");
    // The review's date, what the list was opened for, stays at 40 columns (it was the first
    // column left out), its overdue mark with it.
    assert!(narrow.contains("確認"), "{narrow}");
    assert!(narrow.contains('!'), "{narrow}");
    assert!(screen.contains("超過のみ"), "{screen}");
    let ledger = h
        .app
        .find::<renkei::tui::screens::cases::Cases>()
        .expect("the ledger");
    let shown: Vec<String> = ledger.rows().iter().map(|r| r.pseudonym.clone()).collect();
    assert_eq!(shown.len(), 1, "{screen}");
    let body = ledger.rows()[0].review_body.clone().unwrap().1;
    assert!(line.contains(&body), "the line's body: {line} / {body}");
    assert!(screen.contains(&format!("超過のみ {body}")), "{screen}");
    // `o`: every case again; `o` again: every overdue one, of any body.
    h.key("o");
    let all = h.screen(80, 24);
    assert!(all.contains("(対応中, 4)"), "{all}");
    for case in ["A世帯", "B世帯", "C氏", "E氏"] {
        assert!(all.contains(case), "{case}:\n{all}");
    }
    h.key("o");
    let overdue = h.screen(80, 24);
    insta::assert_snapshot!("cases_ledger_overdue_80x24", overdue);
    assert!(overdue.contains("(対応中・超過のみ, 2)"), "{overdue}");
    assert!(
        overdue.contains("B世帯") && overdue.contains("E氏"),
        "{overdue}"
    );
    assert!(
        !overdue.contains("A世帯") && !overdue.contains("C氏"),
        "{overdue}"
    );
    h.key("?");
    let help = h.screen(80, 24);
    assert!(help.contains("超過のみ"), "{help}");
    h.key("esc");
    // Nothing overdue on the day of the demo: the ledger says so, and how to see every case.
    let mut h = Harness::new(Lang::En);
    h.key("5");
    h.key("o");
    let none = h.screen(80, 24);
    insta::assert_snapshot!("cases_ledger_overdue_none_80x24_en", none);
    assert!(none.contains("No case review is overdue"), "{none}");
}

/// The ledger's `w` writes by the command line's own path (`cases::stream`), each case read as
/// it is written: byte for byte `renkei cases --format csv`, in a city too (its 区 column: the
/// `w` that read the ledger whole wrote none) and redacted (`R`: `--redact`).
#[test]
fn w_on_the_ledger_writes_the_command_lines_csv_in_a_city_and_redacted() {
    let mut h = Harness::new(Lang::Ja);
    let dir = h._db.dir.path().to_owned();
    h.app.ctx.export_dir = dir.clone();
    let a = h.store.find_case("A世帯").unwrap().unwrap();
    let e = h.store.find_case("E氏").unwrap().unwrap();
    h.store
        .conn()
        .execute_batch(&format!(
            "UPDATE cases SET policy = '山田花子さんと健太さんの通院を支える' WHERE id = {a};
             INSERT INTO wards (name) VALUES ('隣区');
             UPDATE cases SET ward_id = (SELECT MAX(id) FROM wards) WHERE id = {e};"
        ))
        .unwrap();
    let db = h._db.path.clone();
    let cli = |args: &[&str]| {
        super::common::succeeds(
            super::common::renkei_at(&db)
                .args(["cases", "--format", "csv"])
                .args(args),
        )
        .stdout
    };
    h.key("5");
    h.keys(&["w", "right", "enter"]);
    let plain = std::fs::read(dir.join("cases-2026-11-21.csv")).unwrap();
    assert_eq!(plain, cli(&[]), "{}", String::from_utf8_lossy(&plain));
    let cells = super::common::csv_cells(&plain);
    assert_eq!(cells[0][1], "区", "{:?}", cells[0]);
    assert!(
        cells.iter().any(|r| r[0] == "E氏" && r[1] == "隣区"),
        "{cells:?}"
    );
    h.keys(&["R", "w", "right", "enter"]);
    let redacted = std::fs::read(dir.join("cases-2026-11-21-redacted.csv")).unwrap();
    assert_eq!(redacted, cli(&["--redact"]));
    let text = String::from_utf8(redacted).unwrap();
    assert!(text.contains("の通院を支える"), "{text}");
    for name in ["山田", "花子", "健太"] {
        assert!(!text.contains(name), "{name}: {text}");
    }
    let audit = super::audit(&h, "export_cases");
    assert!(audit[0].contains("(4 cases)"), "{audit:?}");
}

/// Issue 18's loose end 4 on the screen: `R` on the ledger makes `w` write it redacted — the
/// free text as the case records redact it, the file named `…-redacted` — and `R` again as typed.
#[test]
fn r_then_w_on_the_ledger_writes_it_redacted() {
    let mut h = Harness::new(Lang::Ja);
    let dir = h._db.dir.path().to_owned();
    h.app.ctx.export_dir = dir.clone();
    let a = h.store.find_case("A世帯").unwrap().unwrap();
    h.store
        .conn()
        .execute(
            "UPDATE cases SET policy = '山田花子さんと健太さんの通院を支える' WHERE id = ?1",
            [a],
        )
        .unwrap();
    h.key("5");
    h.key("R");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("書き出しは匿名化"),
        "the status line says it:\n{screen}"
    );
    assert!(
        screen.contains("(対応中, 4) [書出は匿名化]"),
        "and the title:\n{screen}"
    );
    h.keys(&["w", "enter"]);
    let path = dir.join("cases-2026-11-21-redacted.xlsx");
    assert!(path.exists(), "{}", h.screen(80, 24));
    assert_eq!(super::common::mode(&path), 0o600);
    let (_, rows) = super::xlsx_rows(&path);
    let policy = &rows.iter().find(|r| r[0] == "A世帯").unwrap()[7];
    assert!(policy.ends_with("の通院を支える"), "{policy}");
    for name in ["山田", "花子", "健太"] {
        assert!(!policy.contains(name), "{name}: {policy}");
    }
    // `R` again: as typed.
    h.keys(&["R", "w", "enter"]);
    let (_, rows) = super::xlsx_rows(&dir.join("cases-2026-11-21.xlsx"));
    let policy = &rows.iter().find(|r| r[0] == "A世帯").unwrap()[7];
    assert!(policy.contains("山田花子さん"), "{policy}");
    let audit = super::audit(&h, "export_cases");
    assert!(audit[0].ends_with("(redacted)"), "{audit:?}");
    assert!(!audit[1].ends_with("(redacted)"), "{audit:?}");
}

/// Issue 18: the ledger's `R` (what its `w` writes) and a case's `R` (names hidden on its
/// screen, its record written redacted) were one switch — `R` on the ledger hid the names of
/// every case opened from it, and `R` on a case made the ledger's `w` redact. Each is its own
/// now, and the ledger's title says what its `w` writes.
#[test]
fn the_ledgers_r_and_a_cases_r_are_each_their_own() {
    let mut h = Harness::new(Lang::Ja);
    h.key("5");
    h.key("R");
    assert!(h.screen(80, 24).contains("[書出は匿名化]"));
    // A case opened from the ledger shows its household by name.
    h.key("enter");
    assert!(matches!(h.app.screen(), Screen::Case { .. }));
    h.keys(&["tab", "tab", "tab"]);
    let case = h.screen(80, 24);
    assert!(!case.contains("＊＊＊"), "names shown:\n{case}");
    assert!(!h.app.ctx.redact);
    // `R` there hides them; back on the ledger, its own switch is as it was, and `R` there
    // turns only that one off.
    h.key("R");
    assert!(h.screen(80, 24).contains("＊＊＊"));
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Cases);
    assert!(h.screen(80, 24).contains("[書出は匿名化]"));
    h.key("R");
    assert!(!h.screen(80, 24).contains("[書出は匿名化]"));
    assert!(h.app.ctx.redact, "the case screen's names stay hidden");
}

/// Whether the form drawn on `screen` says `text`, however it was wrapped: each line without
/// the borders around it (the form's and, at 80 columns, the screen's), the spaces left out.
fn form_says(screen: &str, text: &str) -> bool {
    let border = |c: char| " │┌┐└┘─".contains(c);
    let squash = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
    let joined: String = screen.lines().map(|l| l.trim_matches(border)).collect();
    squash(&joined).contains(&squash(text))
}

/// Attack on the case screens (2026-12-05), finding 1: a case form the store refused said only
/// 保存できませんでした… in the form; why (仮名「E氏」の事例はすでにあります, a 次回確認日 past
/// the horizon) went to the status line, which the form covers at 40x12. The form says why,
/// wrapped by cells, at 40x12 and at 80x24, in both languages.
#[test]
fn a_case_form_the_store_refuses_says_why_in_the_form() {
    for lang in [Lang::Ja, Lang::En] {
        let mut h = Harness::new(lang);
        h.key("5");
        h.key("/");
        h.typed("A世帯");
        h.key("enter");
        h.key("enter");
        h.key("e");
        // The pseudonym of another case.
        h.key("ctrl-u");
        h.typed("E氏");
        h.key("enter");
        let taken = match lang {
            Lang::Ja => "仮名「E氏」の事例はすでにあります（別の記号にしてください）",
            Lang::En => "a case named 'E氏' exists already (use another letter)",
        };
        for (w, ht) in [(40, 12), (80, 24)] {
            let screen = h.screen(w, ht);
            assert!(form_says(&screen, taken), "{lang:?} {w}x{ht}:\n{screen}");
            if lang == Lang::Ja {
                insta::assert_snapshot!(format!("case_form_refused_{w}x{ht}"), screen);
            }
        }
        // Said once: the status line under the form at 80x24 does not say it again.
        let status = h.app.ctx.status.clone().map(|(_, said)| said);
        assert!(
            !status.as_deref().unwrap_or("").contains(taken),
            "{lang:?}: {status:?}"
        );
        let screen = h.screen(80, 24);
        let last = screen.lines().last().unwrap_or("");
        assert!(!form_says(last, taken), "{lang:?}:\n{screen}");
        // A household member's name as the lead agency (the form cannot know the names).
        h.key("ctrl-u");
        h.typed("A世帯");
        h.key("tab");
        h.key("ctrl-u");
        h.typed("山田 健太");
        h.key("enter");
        let person = match lang {
            Lang::Ja => "主担当機関「山田 健太」は人の名前です",
            Lang::En => "lead agency '山田 健太' is a person's name",
        };
        for (w, ht) in [(40, 12), (80, 24)] {
            let screen = h.screen(w, ht);
            assert!(form_says(&screen, person), "{lang:?} {w}x{ht}:\n{screen}");
        }
    }
}

/// A Harness on A世帯's screen (the demo's case, opened 2026-10-13; its household 山田 健太 and
/// 佐々木 由紀).
fn on_case_a(lang: Lang) -> Harness {
    let mut h = Harness::new(lang);
    h.key("5");
    h.key("/");
    h.typed("A世帯");
    h.key("enter");
    h.key("enter");
    assert!(matches!(h.app.screen(), Screen::Case { .. }));
    h
}

/// The form open, and the label of the field its cursor is in.
fn focused(h: &Harness) -> (usize, String) {
    let Overlay::Form(form) = &h.app.ctx.overlay else {
        panic!("no form open");
    };
    (form.focus, form.fields[form.focus].label.clone())
}

/// Left from the attack on the case screens (2026-12-05): a case form the store refused opened
/// again with its cursor where it was (on 受理日, the last field, Tab had brought it to), and
/// what was typed next went there. It goes to the field the refusal names: 仮名 for the
/// pseudonym of another case, 主担当機関 for a person's name in it, the closure's date for one
/// before the case was opened.
#[test]
fn a_refused_case_form_puts_the_cursor_in_the_field_the_store_names() {
    let mut h = on_case_a(Lang::Ja);
    h.key("e");
    h.key("ctrl-u");
    h.typed("E氏");
    for _ in 0..8 {
        h.key("tab");
    }
    assert_eq!(focused(&h).1, "受理日");
    h.key("enter");
    let screen = h.screen(80, 24);
    assert!(form_says(&screen, "すでにあります"), "{screen}");
    assert_eq!(
        focused(&h),
        (0, "仮名（A世帯 など）".to_owned()),
        "{screen}"
    );
    // Typed now, it is the pseudonym.
    h.key("ctrl-u");
    h.typed("A世帯");
    h.key("tab");
    h.key("ctrl-u");
    h.typed("山田 健太");
    for _ in 0..4 {
        h.key("tab");
    }
    assert_eq!(focused(&h).1, "援助方針");
    h.key("enter");
    let screen = h.screen(80, 24);
    assert!(form_says(&screen, "人の名前です"), "{screen}");
    assert_eq!(focused(&h), (1, "主担当機関".to_owned()), "{screen}");
    h.key("ctrl-u");
    h.typed("地域福祉課");
    h.key("enter");
    assert!(
        matches!(h.app.ctx.overlay, Overlay::None),
        "{}",
        h.screen(80, 24)
    );
    // The closure dated before the case was opened (2026-10-13): the cursor on its date.
    h.key("E");
    h.key("tab");
    h.key("ctrl-u");
    h.typed("2026-10-01");
    h.key("tab");
    h.typed("転居");
    h.key("tab");
    h.typed("転居先で支援がつながった");
    h.key("enter");
    let screen = h.screen(80, 24);
    assert!(
        form_says(&screen, "受理日 2026-10-13 より前です"),
        "{screen}"
    );
    assert_eq!(focused(&h), (1, "日付".to_owned()), "{screen}");
}

/// Left from the attack on the case screens (2026-12-05): the case form did not check the
/// ten-year limit on 次回確認日 itself, as it checks a 受理日 after today; 2040-01-01 was sent
/// and refused by the store at the save (保存できませんでした: …). The form refuses it at the
/// field, in its own words, in both languages, at 40x12 and at 80x24; a date within the limit
/// is then saved.
#[test]
fn the_case_form_refuses_a_review_date_ten_years_away_at_its_field() {
    for lang in [Lang::Ja, Lang::En] {
        let mut h = on_case_a(lang);
        let a = h.store.find_case("A世帯").unwrap().unwrap();
        h.key("e");
        for _ in 0..6 {
            h.key("tab");
        }
        h.key("ctrl-u");
        h.typed("2040-01-01");
        h.keys(&["tab", "tab"]);
        h.key("enter");
        let (said, not_saved) = match lang {
            Lang::Ja => (
                "次回確認日が今日から10年より先（または前）です。次に確認する日を入力してください",
                "保存できませんでした",
            ),
            Lang::En => (
                "The next review date is more than 10 years from today",
                "Not saved",
            ),
        };
        for (w, ht) in [(40, 12), (80, 24)] {
            let screen = h.screen(w, ht);
            assert!(form_says(&screen, said), "{lang:?} {w}x{ht}:\n{screen}");
            assert!(!screen.contains(not_saved), "{lang:?} {w}x{ht}:\n{screen}");
        }
        assert_eq!(focused(&h).0, 6, "次回確認日");
        h.key("ctrl-u");
        h.typed("2027-01-11");
        h.key("enter");
        assert!(
            matches!(h.app.ctx.overlay, Overlay::None),
            "{}",
            h.screen(80, 24)
        );
        let d = h.store.case_detail(a).unwrap().unwrap();
        assert_eq!(
            d.row.review_set,
            chrono::NaiveDate::from_ymd_opt(2027, 1, 11)
        );
    }
}

/// The ledger's line of `pseudonym` on a screen.
fn line_of<'s>(screen: &'s str, pseudonym: &str) -> &'s str {
    screen
        .lines()
        .find(|l| l.contains(pseudonym))
        .unwrap_or_else(|| panic!("no line of {pseudonym}:\n{screen}"))
}

/// Attack on the case screens (2026-12-05), finding 2: at 40 columns the ledger left the risk's
/// column out, and in English at 80 columns `medium` was `me..`. The ledger keeps a one-cell
/// mark (高・中・低, H/M/L) at 40 columns; `medium` is whole.
#[test]
fn the_ledger_shows_each_cases_risk_at_40_columns_and_medium_whole() {
    let mut h = Harness::new(Lang::Ja);
    h.key("5");
    let ledger = h.screen(40, 12);
    // The demo's B世帯 is 高, E氏 低, A世帯 中, C氏 none.
    for (case, mark) in [("B世帯", " 高 "), ("E氏", " 低 "), ("A世帯", " 中 ")] {
        assert!(line_of(&ledger, case).contains(mark), "{case}:\n{ledger}");
    }
    assert!(line_of(&ledger, "状態").contains("危"), "{ledger}");
    let mut h = Harness::new(Lang::En);
    h.key("5");
    let ledger = h.screen(80, 24);
    assert!(line_of(&ledger, "A世帯").contains(" medium "), "{ledger}");
    let ledger = h.screen(40, 12);
    for (case, mark) in [("B世帯", " H "), ("E氏", " L "), ("A世帯", " M ")] {
        assert!(line_of(&ledger, case).contains(mark), "{case}:\n{ledger}");
    }
}

/// Attack on the case screens (2026-12-05), finding 3: the case form's 危険度 and 緊急度 moved
/// only with Left/Right, while the live meeting's case fields pick 高・中・低 by `h`/`m`/`l`
/// (README). The case form's take the same letters (`-` none), shown beside their labels, and
/// its keys line says so.
#[test]
fn the_case_forms_risk_and_urgency_are_picked_by_their_letters() {
    let mut h = Harness::new(Lang::Ja);
    h.key("5");
    h.key("/");
    h.typed("A世帯");
    h.key("enter");
    h.key("enter");
    let a = h.store.find_case("A世帯").unwrap().unwrap();
    h.key("e");
    h.keys(&["tab", "tab", "tab"]);
    let form = h.screen(40, 12);
    assert!(form.contains("[h]高") && form.contains("[l]低"), "{form}");
    assert!(form.contains("[文字]"), "{form}");
    h.key("l");
    h.key("tab");
    h.key("-");
    h.key("enter");
    let d = h.store.case_detail(a).unwrap().unwrap();
    assert_eq!(d.row.risk, Some(renkei::domain::case::Level::Low));
    assert_eq!(d.row.urgency, None);
    h.key("e");
    h.keys(&["tab", "tab", "tab", "m", "tab", "h", "enter"]);
    let d = h.store.case_detail(a).unwrap().unwrap();
    assert_eq!(d.row.risk, Some(renkei::domain::case::Level::Medium));
    assert_eq!(d.row.urgency, Some(renkei::domain::case::Level::High));
}

/// Attack on the case screens (2026-12-05), findings 2 and 4: at 40 columns the case's head cut
/// its risk to `危..`, after the lead agency's name; and 相談のあった機関 (who the consultation
/// came from) was in the case form only. The head says the risk and the urgency first, and at
/// 80x24 the agency the consultation came from, under the 受理 date.
#[test]
fn the_case_screen_says_its_risk_at_40_columns_and_who_referred_it() {
    for (lang, risk, urgency, referred) in [
        (
            Lang::Ja,
            "危険度 中",
            "緊急度 高",
            "相談のあった機関 健康推進課",
        ),
        (
            Lang::En,
            "Risk medium",
            "Urgency high",
            "Referred by 健康推進課",
        ),
    ] {
        let mut h = Harness::new(lang);
        h.key("5");
        h.key("/");
        h.typed("A世帯");
        h.key("enter");
        h.key("enter");
        let case = h.screen(40, 12);
        assert!(
            case.contains(risk) && case.contains(urgency),
            "{lang:?}:\n{case}"
        );
        let case = h.screen(80, 24);
        assert!(case.contains(referred), "{lang:?}:\n{case}");
    }
}

/// A person in the agency the consultation came from (母の松本 由美, the household's own
/// member) is masked on the case screen while names are hidden, as the ledger masks that cell;
/// the screen showed the head's agency cells as stored whatever `R` said (attack on the case
/// screens, 2026-12-05: 相談のあった機関 newly shown).
#[test]
fn the_case_screen_masks_a_person_in_its_agency_cells_while_names_are_hidden() {
    let mut h = Harness::opened(
        Lang::Ja,
        |path| super::common::write_private(path, Harness::demo()),
        |store| {
            store
                .conn()
                .execute_batch(
                    "INSERT INTO agencies (name) VALUES ('母の松本 由美'), ('松本 由美');
                     UPDATE cases
                     SET referred_by = (SELECT id FROM agencies WHERE name = '母の松本 由美'),
                         lead_agency = (SELECT id FROM agencies WHERE name = '松本 由美')
                     WHERE pseudonym = 'E氏';",
                )
                .unwrap();
        },
    );
    h.key("5");
    h.key("/");
    h.typed("E氏");
    h.key("enter");
    h.key("enter");
    let shown = h.screen(80, 24);
    assert!(shown.contains("相談のあった機関 母の松本 由美"), "{shown}");
    h.key("R");
    let hidden = h.screen(80, 24);
    assert!(!hidden.contains("松本"), "{hidden}");
    // As the ledger shows such a cell: 個人（家族等）.
    assert!(
        hidden.contains("相談のあった機関 個人（家族等）"),
        "{hidden}"
    );
    assert!(hidden.contains("主担当機関 個人（家族等）"), "{hidden}");
    h.key("R");
    assert!(h.screen(80, 24).contains("主担当機関 松本 由美"));
}

/// The ledger left while filtered and opened again lists every case, the one selected still
/// selected (as the bodies tab: its row's number was another case's once the filter was gone;
/// attack of 2026-12-05, round 31, finding 4).
#[test]
fn the_ledger_keeps_its_case_selected_when_the_filter_goes() {
    let mut h = Harness::new(Lang::Ja);
    h.key("5");
    let whole = h.screen(80, 24);
    h.key("/");
    h.typed("E氏");
    h.key("enter");
    let filtered = h.screen(80, 24);
    assert_eq!(ledger_selected(&h).as_deref(), Some("E氏"), "{filtered}");
    h.key("1");
    h.key("5");
    let again = h.screen(80, 24);
    let title = |screen: &str| screen.lines().nth(1).unwrap_or_default().to_owned();
    assert_eq!(
        title(&again),
        title(&whole),
        "the whole list again: {again}"
    );
    assert_eq!(ledger_selected(&h).as_deref(), Some("E氏"), "{again}");
}

fn ledger_selected(h: &Harness) -> Option<String> {
    h.app
        .find::<renkei::tui::screens::cases::Cases>()?
        .selected()
        .map(|r| r.pseudonym.clone())
}
