//! The whole TUI driven headless on ratatui's TestBackend: a meeting from scheduling to its end,
//! checked in the database, and snapshots of the key screens at 80x24 and 40x12. The meeting as
//! a facilitator runs it (issue 19) is walked in `tui/meeting.rs`.

use crate::common;
#[path = "tui/meeting.rs"]
mod meeting;
// The cases screens (issue 17), driven with this file's harness.
#[path = "tui/cases.rs"]
mod cases;
// The review of the ledger's cases at a meeting (issue 18 items 2-3).
#[path = "tui/review.rs"]
mod review;
// What is typed survives a kill, each user's drafts their own (task formsafe).
#[path = "tui/drafts.rs"]
mod drafts;
// A save that would take a meeting past what renkei imports of one record (task memory21).
#[path = "tui/record_limit.rs"]
mod record_limit;

use chrono::{DateTime, Duration, FixedOffset};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::{Arc, Mutex};

use common::{NOW, TempDb};
use renkei::clock::Clock;
use renkei::i18n::Lang;
use renkei::store::Store;
use renkei::store::StoredBody;
use renkei::tui::app::App;
use renkei::tui::keymap::{Keymap, parse_key};
use renkei::tui::screens::ScreenId as Screen;
use renkei::tui::screens::actions::Actions;
use renkei::tui::screens::bodies::Bodies;
use renkei::tui::screens::home::Home;
use renkei::tui::theme::Theme;
use renkei::tui::{self, handle};

/// A demo database, an app in Japanese without colour, and a clock the test can move.
struct Harness {
    _db: TempDb,
    store: Store,
    app: App,
    time: Arc<Mutex<DateTime<FixedOffset>>>,
}

impl Harness {
    /// The demo, loaded by `sato` at [`NOW`] once per test binary and copied into each
    /// harness's own directory (loading it took most of each test's time).
    fn new(lang: Lang) -> Harness {
        Harness::holding(lang, Harness::demo())
    }

    /// The bytes of the demo loaded by `sato` at [`NOW`], made once per test binary.
    fn demo() -> &'static [u8] {
        common::sato_demo()
    }

    /// A harness on a copy of the database `bytes` (made once, [`Harness::demo`] say).
    fn holding(lang: Lang, bytes: &[u8]) -> Harness {
        Harness::opened(lang, |path| common::write_private(path, bytes), |_| {})
    }

    /// A harness on a database filled by `fill` (the fixtures alone, say).
    fn filled(lang: Lang, fill: impl FnOnce(&mut Store)) -> Harness {
        Harness::opened(lang, |_| {}, fill)
    }

    /// A harness on the database `make` leaves at its path (none: a new one), filled by `fill`.
    fn opened(
        lang: Lang,
        make: impl FnOnce(&std::path::Path),
        fill: impl FnOnce(&mut Store),
    ) -> Harness {
        let db = TempDb::new();
        make(&db.path);
        let time = Arc::new(Mutex::new(DateTime::parse_from_rfc3339(NOW).unwrap()));
        let shared = Arc::clone(&time);
        let clock = Clock::from_fn(move || *shared.lock().unwrap());
        let mut store = Store::open(&db.path, clock.clone()).unwrap();
        // Snapshots show who holds the chair: the same name on every machine.
        store.set_user("sato");
        fill(&mut store);
        let app = App::new(lang, Theme::mono(), Keymap::default_keymap(), clock.now());
        let mut h = Harness {
            _db: db,
            store,
            app,
            time,
        };
        tui::start(&mut h.app, &mut h.store);
        h
    }

    fn advance(&self, minutes: i64) {
        let mut t = self.time.lock().unwrap();
        *t += Duration::minutes(minutes);
    }

    fn key(&mut self, spec: &str) {
        let key = parse_key(spec).unwrap_or_else(|| panic!("bad key {spec}"));
        handle(
            &mut self.app,
            &mut self.store,
            &Event::Key(KeyEvent::new(key.code, key.modifiers)),
        );
    }

    fn keys(&mut self, specs: &[&str]) {
        for s in specs {
            self.key(s);
        }
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            handle(
                &mut self.app,
                &mut self.store,
                &Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            );
        }
    }

    fn screen(&mut self, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        self.app.ctx.now = self.store.now();
        terminal.draw(|f| renkei::tui::draw(f, &self.app)).unwrap();
        tui::buffer_text(terminal.backend().buffer())
    }

    /// The body the selection on the home or bodies screen stands for.
    fn selected_body(&self) -> Option<&StoredBody> {
        let top = self.app.top()?.as_any();
        match top.downcast_ref::<Home>() {
            Some(home) => home.selected_body(),
            None => top.downcast_ref::<Bodies>()?.selected_body(),
        }
    }

    /// The body the detail pane of the home or bodies screen shows.
    fn detail_body(&self) -> Option<&StoredBody> {
        let ctx = &self.app.ctx;
        let top = self.app.top()?.as_any();
        match top.downcast_ref::<Home>() {
            Some(home) => home.detail_body(ctx),
            None => top.downcast_ref::<Bodies>()?.detail_body(ctx),
        }
    }

    /// The actions screen (on the stack, or parked while another tab shows).
    fn actions(&self) -> &Actions {
        self.app.find::<Actions>().expect("the actions screen")
    }

    fn count(&self, sql: &str) -> i64 {
        self.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn meeting(&self) -> i64 {
        match self.app.screen() {
            Screen::Setup(id) | Screen::Live(id) => id,
            other => panic!("not on a meeting screen: {other:?}"),
        }
    }

    /// A next action captured with `a`: its agency, text and due date as typed.
    fn action(&mut self, agency: &str, text: &str, due: &str) {
        self.key("a");
        self.typed(agency);
        self.key("tab");
        self.typed(text);
        self.key("tab");
        self.typed(due);
        self.key("enter");
    }

    /// Holds a meeting of the selected body now: the place form left empty, the setup, begun.
    /// Draws the screen at every size of `widths` × `heights`: never a panic, never a line wider
    /// than the terminal, never a raw escape shown.
    fn sweep(&mut self, what: &str, widths: &[u16], heights: &[u16]) {
        for &w in widths {
            for &ht in heights {
                let screen = self.screen(w, ht);
                for line in screen.lines() {
                    assert!(
                        unicode_width::UnicodeWidthStr::width(line) <= w as usize,
                        "{what} at {w}x{ht}: a line is wider than the terminal: {line:?}"
                    );
                }
                assert!(
                    !screen.contains('\u{1b}'),
                    "{what} at {w}x{ht} shows a raw escape"
                );
            }
        }
    }

    fn hold_now(&mut self) {
        self.keys(&["n", "enter", "b"]);
    }

    /// Selects the body whose name contains `text` on the bodies screen.
    fn find_body(&mut self, text: &str) {
        self.key("2");
        // A filter left from before is cleared first (/ shows it, Esc clears it).
        self.keys(&["/", "esc", "/"]);
        self.typed(text);
        self.key("enter");
    }
}

#[test]
fn a_whole_meeting_from_schedule_to_end() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    // Schedule it for today at 14:00 (the form suggests today).
    h.key("s");
    h.key("enter");
    let id = h.meeting();
    assert_eq!(h.app.screen(), Screen::Setup(id));
    assert!(
        h.count(&format!(
            "SELECT COUNT(*) FROM agenda_items WHERE meeting_id = {id}"
        )) >= 3,
        "template agenda"
    );

    // Three attendees from three agencies; the third arrives late.
    h.key("tab");
    for (agency, name) in [
        ("障害者支援課", "佐藤 健一"),
        ("ハローワーク木場", "高橋 由美"),
        ("江東特別支援学校", "田中 誠"),
    ] {
        h.key("a");
        h.typed(agency);
        h.key("tab");
        h.typed(name);
        h.key("enter");
    }
    h.key("down");
    h.key("down");
    h.keys(&["space", "space"]);
    assert_eq!(
        h.count(&format!(
            "SELECT COUNT(*) FROM attendees WHERE meeting_id = {id} AND attendance = 'late'"
        )),
        1
    );

    // Begin; capture a note under the first item, move on, capture the rest.
    h.key("b");
    assert_eq!(h.app.screen(), Screen::Live(id));
    h.key("n");
    h.typed("前回からの就労定着の状況を共有した");
    h.key("enter");
    h.advance(7);
    h.key(">");
    h.key("d");
    h.typed("定着支援のケース検討を毎回行う");
    h.key("enter");
    for (agency, role) in [
        ("障害者支援課", "定着支援の全体調整"),
        ("ハローワーク木場", "求人情報の提供"),
    ] {
        h.key("r");
        h.typed(agency);
        h.key("tab");
        h.typed(role);
        h.key("enter");
    }
    for (agency, text, due) in [
        ("障害者支援課", "事業所アンケートの集計", "12/5"),
        ("ハローワーク木場", "合同面接会の日程を共有", "来週金曜"),
        (
            "江東特別支援学校",
            "卒業予定者の進路状況をまとめる",
            "2026-12-24",
        ),
        ("障害者支援課", "間違えて入れた対応", ""),
    ] {
        h.action(agency, text, due);
    }
    // Undo takes back the last capture; it stays in the record as removed.
    h.key("u");
    // Correct the decision: captures pane, first line.
    h.keys(&["tab", "tab"]);
    h.key("e");
    h.typed("（全員合意）");
    h.key("enter");
    h.advance(30);
    let live = h.screen(80, 24);
    assert!(
        live.contains("定着支援のケース検討を毎回行う（全員合"),
        "{live}"
    );
    h.key("E");
    h.key("enter");
    // Ending offers the minutes: preview, export (owner-only), redacted export, clipboard.
    assert_eq!(h.app.screen(), Screen::Minutes(id));
    let preview = h.screen(80, 40);
    assert!(
        preview.contains("議事録") && preview.contains("佐藤"),
        "{preview}"
    );
    h.app.ctx.export_dir = h._db.dir.path().to_owned();
    // w asks the format: Markdown is offered first.
    h.keys(&["w", "enter"]);
    let file = h._db.dir.path().join(format!("minutes-2026-11-21-{id}.md"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("定着支援のケース検討を毎回行う（全員合意）"),
        "{text}"
    );
    assert!(text.contains("佐藤 健一"));
    assert_eq!(common::mode(&file), 0o600);
    h.key("R");
    // w asks the format: Markdown is offered first.
    h.keys(&["w", "enter"]);
    let redacted = std::fs::read_to_string(
        h._db
            .dir
            .path()
            .join(format!("minutes-2026-11-21-{id}-redacted.md")),
    )
    .unwrap();
    assert!(
        !redacted.contains("佐藤") && !redacted.contains("高橋 由美"),
        "{redacted}"
    );
    h.key("y");
    let osc = h.app.ctx.outbox.pop().expect("a clipboard sequence");
    assert!(osc.starts_with("\u{1b}]52;c;") && osc.ends_with('\u{7}'));
    // Back returns to where the minutes were opened from: the meeting, now held.
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Live(id));
    assert!(
        h.screen(80, 24).contains("開催済"),
        "the live screen of a held meeting"
    );

    // In the database, everything as entered.
    let q = |sql: &str| h.count(&sql.replace("{id}", &id.to_string()));
    assert_eq!(
        q(
            "SELECT COUNT(*) FROM meetings WHERE id = {id} AND status = 'held' AND started_at IS NOT NULL AND ended_at IS NOT NULL"
        ),
        1
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM attendees WHERE meeting_id = {id} AND deleted_at IS NULL"),
        3
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM role_assignments WHERE meeting_id = {id} AND deleted_at IS NULL"),
        2
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM next_actions WHERE meeting_id = {id} AND deleted_at IS NULL"),
        3
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM next_actions WHERE meeting_id = {id} AND deleted_at IS NOT NULL"),
        1
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM next_actions WHERE meeting_id = {id} AND due_date = '2026-12-05'"),
        1
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM next_actions WHERE meeting_id = {id} AND due_date = '2026-11-27'"),
        1,
        "来週金曜"
    );
    let decision: String = h
        .store
        .conn()
        .query_row(
            "SELECT e.text FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id WHERE i.meeting_id = ?1 AND e.kind = 'decision'",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(decision, "定着支援のケース検討を毎回行う（全員合意）");
    assert_eq!(
        q(
            "SELECT COUNT(*) FROM changes WHERE meeting_id = {id} AND field = 'text' AND old_value = '定着支援のケース検討を毎回行う'"
        ),
        1
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM changes WHERE meeting_id = {id} AND field = 'deleted'"),
        1
    );
    // The first item ran 7 minutes by the clock.
    let (started, ended): (String, String) = h
        .store
        .conn()
        .query_row(
            "SELECT started_at, ended_at FROM agenda_items WHERE meeting_id = ?1 ORDER BY position LIMIT 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let minutes = (DateTime::parse_from_rfc3339(&ended).unwrap()
        - DateTime::parse_from_rfc3339(&started).unwrap())
    .num_minutes();
    assert_eq!(minutes, 7);

    // The actions screen lists them, by agency; one is marked done from there.
    h.key("3");
    let actions = h.screen(80, 24);
    assert!(actions.contains("事業所アンケートの集計"), "{actions}");
    let open_before =
        h.count("SELECT COUNT(*) FROM next_actions WHERE status = 'open' AND deleted_at IS NULL");
    h.key("D");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM next_actions WHERE status = 'open' AND deleted_at IS NULL"),
        open_before - 1
    );
    // The list holds open actions only: O reopens nothing here, and says nothing (it said
    // 取りやめにしました, having written nothing).
    h.key("O");
    let actions = h.screen(80, 24);
    assert!(!actions.contains("取りやめ"), "{actions}");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM next_actions WHERE status = 'open' AND deleted_at IS NULL"),
        open_before - 1
    );
}

#[test]
fn a_bad_date_keeps_the_form_open_with_a_message() {
    let screen = an_action_due("2月のどこか");
    assert!(screen.contains("日付を読み取れません"), "{screen}");
    assert!(
        screen.contains("使える書き方: 12/5"),
        "the forms a date may take are listed: {screen}"
    );
    // A day its month does not have is said so (it was told how to write a date: attack on
    // the cases, 2026-12-05).
    let screen = an_action_due("2月30日");
    assert!(screen.contains("その月にその日はありません"), "{screen}");
}

/// The screen after an action due on `due` was entered in a new meeting of 就労支援部会, which
/// must refuse it (no action saved).
fn an_action_due(due: &str) -> String {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    h.action("障害者支援課", "アンケート", due);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM next_actions WHERE text = 'アンケート'"),
        0,
        "{due} was saved"
    );
    h.screen(80, 24)
}

/// Attack12 finding 4: a meeting typed to end at the minute it begins (14:00–14:00) was filed,
/// listed as 14:00-14:00 and put in calendars as 14:00–15:30. The form keeps it to correct, says
/// why, and files nothing; corrected, it is filed.
#[test]
fn a_meeting_ending_as_it_begins_is_kept_in_the_form() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    let meetings = "SELECT COUNT(*) FROM meetings";
    let before = h.count(meetings);
    h.key("s");
    h.key("tab");
    for _ in 0..10 {
        h.key("backspace");
    }
    h.typed("16:10");
    h.key("tab");
    for _ in 0..10 {
        h.key("backspace");
    }
    h.typed("16:10");
    h.key("enter");
    let screen = h.screen(80, 24);
    assert!(screen.contains("終了時刻が開始と同じです"), "{screen}");
    assert_eq!(h.count(meetings), before, "16:10-16:10 was filed");
    for _ in 0..5 {
        h.key("backspace");
    }
    h.typed("17:25");
    h.key("enter");
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE start_time = '16:10' AND end_time = '17:25'"),
        1
    );
    assert_eq!(h.count(meetings), before + 1);
}

/// Attack report item 22: `100000日後` in the schedule form filed a meeting in 2300 (令和282年)
/// without asking. A relative date beyond ten years is not read, and a written-out date further
/// than ten years from today is refused with its own message; nothing is filed. The action's
/// due date is held to the same.
#[test]
fn a_date_decades_away_is_refused_in_the_forms() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    let meetings = "SELECT COUNT(*) FROM meetings";
    let before = h.count(meetings);
    h.key("s");
    for (typed, said) in [
        ("100000日後", "日付を読み取れません"),
        ("2300/12/5", "10年以上離れた日付"),
        ("令和282年12月5日", "10年以上離れた日付"),
        ("1900/4/1", "10年以上離れた日付"),
    ] {
        for _ in 0..30 {
            h.key("backspace");
        }
        h.typed(typed);
        h.key("enter");
        let screen = h.screen(80, 24);
        assert!(screen.contains(said), "{typed}: {screen}");
        assert_eq!(h.count(meetings), before, "{typed} filed a meeting");
    }
    // A date within the horizon is filed.
    for _ in 0..30 {
        h.key("backspace");
    }
    h.typed("3か月後");
    h.key("enter");
    assert_eq!(h.count(meetings), before + 1);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM meetings WHERE date = '2027-02-21'"),
        1
    );

    // The due date of an action.
    let screen = an_action_due("2300/12/5");
    assert!(screen.contains("10年以上離れた日付"), "{screen}");
}

#[test]
fn home_filters_japanese_and_cycles_grouping() {
    let mut h = Harness::new(Lang::Ja);
    h.key("/");
    h.typed("コア");
    let screen = h.screen(80, 24);
    assert!(screen.contains("コア会議"), "{screen}");
    assert!(!screen.contains("支援方針検討会議"), "{screen}");
    h.key("esc");
    h.key("g");
    assert!(h.screen(80, 24).contains("会議体順"));
    h.key("g");
    assert!(h.screen(80, 24).contains("頻度順"));
}

/// The bodies tab left while filtered and opened again shows every body, the one selected still
/// selected: it kept the row's number, now another body's, and `n` held a meeting of that one
/// (attack of 2026-12-05, round 31, finding 4).
#[test]
fn the_bodies_tab_keeps_its_body_selected_when_the_filter_goes() {
    let mut h = Harness::new(Lang::Ja);
    h.key("2");
    h.key("/");
    h.typed("支援会議");
    h.key("enter");
    h.keys(&["down", "down"]);
    let chosen = h.selected_body().expect("a body selected").id;
    let name = h.selected_body().unwrap().record.name.clone();
    h.key("1");
    h.key("2");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("会議体 (59)"),
        "the whole list again: {screen}"
    );
    assert_eq!(h.selected_body().map(|b| b.id), Some(chosen), "{screen}");
    let shown = h.detail_body().map(|b| b.record.name.clone());
    assert_eq!(shown.as_deref(), Some(name.as_str()), "{screen}");
}

/// C-u clears what is typed in a list's filter line, as it clears a form's field (a shell's
/// line kill): the text area under the filter took it for its undo, taking back one edit.
#[test]
fn c_u_clears_the_filter_line() {
    let mut h = Harness::new(Lang::Ja);
    h.key("/");
    let whole = h.screen(80, 24);
    h.typed("コア");
    h.typed("会議");
    let narrowed = h.screen(80, 24);
    assert_ne!(narrowed, whole);
    h.key("ctrl-u");
    assert_eq!(h.screen(80, 24), whole);
    // The line is empty and still open: what is typed next is the whole filter.
    h.typed("コア会議");
    assert_eq!(h.screen(80, 24), narrowed);
}

/// The search screen's line says it is a search (it said 絞り込み, as a list's filter), and the
/// cursor is drawn where it is: moved back into the word, the `_` past the end goes.
#[test]
fn the_search_line_is_named_and_shows_its_cursor() {
    let mut h = Harness::new(Lang::Ja);
    h.key("F");
    h.typed("コア会議");
    let typing = h.screen(80, 24);
    assert!(typing.contains("/ 検索: コア会議_"), "{typing}");
    assert!(!typing.contains("絞り込み"), "{typing}");
    h.keys(&["left", "left"]);
    let back = h.screen(80, 24);
    assert!(back.contains("/ 検索: コア会議"), "{back}");
    assert!(
        !back.contains("コア会議_"),
        "the cursor is in the word: {back}"
    );
    // A list's own filter keeps its name.
    h.keys(&["esc", "esc", "/"]);
    h.typed("コア");
    assert!(h.screen(80, 24).contains("/ 絞り込み: コア_"));
}

/// The key help cut every description longer than its 57 cells (過去の記録を検索（メモ・決定・
/// 対応・事例、1〜2文字も）, 記録項目（場所・…）); at 40×12 most of them. A description goes on
/// under itself instead, and paging through the help shows each one whole, in both languages.
#[test]
fn the_key_help_shows_every_description_whole() {
    for lang in [Lang::Ja, Lang::En] {
        let mut h = Harness::new(lang);
        h.find_body("就労支援部会");
        h.hold_now();
        for (w, ht) in [(80, 24), (40, 12)] {
            h.key("?");
            let wanted = h.app.help_lines();
            let mut read = String::new();
            let mut last = String::new();
            for _ in 0..200 {
                let screen = h.screen(w, ht);
                if screen == last {
                    break;
                }
                // The descriptions' column: inside the help's border (the column of its
                // title's corner), after the key's (ASCII) cells.
                let title = if lang == Lang::Ja {
                    "┌ キー一覧"
                } else {
                    "┌ Keys"
                };
                let left = screen
                    .lines()
                    .find_map(|l| l.find(title).map(|at| renkei::text::width(&l[..at])))
                    .unwrap_or_else(|| panic!("no help drawn: {screen}"));
                for line in screen.lines() {
                    let mut cells = 0;
                    let inside: String = line
                        .chars()
                        .skip_while(|c| {
                            cells += renkei::text::width(c.encode_utf8(&mut [0; 4]));
                            cells <= left + 1
                        })
                        .collect();
                    let inside = inside.split('│').next().unwrap_or("");
                    if inside.contains("j/k PgDn") {
                        continue; // the help's own last line: where it is, its keys
                    }
                    if inside.contains(['┐', '┘', '─']) {
                        continue; // its top or bottom border
                    }
                    read.extend(inside.chars().skip(11).filter(|c| *c != ' '));
                    read.push('\n');
                }
                last = screen;
                h.key("pgdn");
            }
            for (key, what) in &wanted {
                // Its lines read on, as the help wraps it.
                let what: String = what.chars().filter(|c| *c != ' ').collect();
                let joined = read.replace('\n', "");
                assert!(joined.contains(&what), "{w}x{ht} {key}: {what}\n{read}");
            }
            h.key("esc");
        }
    }
}

/// A city's home (more than 2 000 bodies: its list written into a temporary table and read
/// around the selection) after a meeting is scheduled from it: back from the meeting's setup it
/// lists the meeting. It showed the table as written before, the meeting missing until the
/// program was started again: its own commit leaves SQLite's data version as it was, and the
/// table was kept while the version stood.
#[test]
fn a_city_s_home_lists_the_meeting_scheduled_from_it() {
    let mut h = Harness::opened(
        Lang::Ja,
        |path| common::write_private(path, Harness::demo()),
        |store| {
            store
                .conn()
                .execute_batch(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                     INSERT INTO bodies (name, frequency_text, created_at, updated_at)
                     SELECT '連絡会' || i, '年1回', 'x', 'x' FROM n;",
                )
                .unwrap();
        },
    );
    h.key("/");
    h.typed("就労支援部会");
    h.key("enter");
    let scheduled = |h: &Harness| {
        h.count(
            "SELECT COUNT(*) FROM temp.home_rows r JOIN meetings m ON m.id = r.meeting
             WHERE m.status = 'planned'",
        )
    };
    let before = scheduled(&h);
    let lines = |screen: &str| screen.lines().filter(|l| l.contains("予定")).count();
    let shown = lines(&h.screen(100, 30));
    h.key("s");
    h.key("enter");
    let id = h.meeting();
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Home);
    assert_eq!(
        scheduled(&h),
        before + 1,
        "meeting {id} in the home's table"
    );
    assert_eq!(
        lines(&h.screen(100, 30)),
        shown + 1,
        "{}",
        h.screen(100, 30)
    );
}

#[test]
fn help_lists_every_key_of_the_screen() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    h.key("?");
    let screen = h.screen(80, 40);
    for word in [
        "メモ",
        "決定事項",
        "役割分担",
        "次回までの対応",
        "会議を終了",
        "直前の入力を取り消す",
    ] {
        assert!(screen.contains(word), "help lacks {word}: {screen}");
    }
}

/// Every screen and overlay, at sizes from 1x1 to 300x100, with Japanese, emoji, combining
/// characters and escape sequences in the data: never a panic, and never a line wider than the
/// terminal.
#[test]
fn every_screen_renders_at_every_size() {
    const WIDTHS: [u16; 20] = [
        1, 2, 3, 5, 8, 13, 21, 29, 30, 31, 39, 40, 41, 59, 79, 80, 81, 120, 200, 300,
    ];
    const HEIGHTS: [u16; 14] = [1, 2, 3, 5, 7, 8, 9, 11, 12, 13, 23, 24, 25, 100];
    let mut h = Harness::new(Lang::Ja);
    let sweep = |h: &mut Harness, what: &str| {
        h.sweep(what, &WIDTHS, &HEIGHTS);
    };
    sweep(&mut h, "home");
    h.key("2");
    sweep(&mut h, "bodies");
    h.key("3");
    sweep(&mut h, "actions");
    h.find_body("就労支援部会");
    h.key("enter");
    sweep(&mut h, "a body's meetings");
    h.key("esc");
    h.key("n");
    h.typed("👪会議室\u{1b}[31m赤");
    sweep(&mut h, "hold-now form");
    h.key("enter");
    h.key("f");
    h.keys(&["tab", "tab", "tab"]);
    h.typed("保健");
    h.key("down");
    sweep(&mut h, "record form with suggestions");
    h.key("esc");
    h.key("R");
    h.key("b");
    h.key("n");
    h.typed("絵文字😀と結合文字がっこう\u{1b}[31m赤\u{202E}逆");
    h.key("enter");
    h.key("a");
    h.typed("👪家族支援センター");
    sweep(&mut h, "action form");
    h.key("esc");
    sweep(&mut h, "live");
    h.key("?");
    sweep(&mut h, "help");
    h.key("esc");
    h.key("E");
    sweep(&mut h, "end confirmation");
    h.key("enter");
    sweep(&mut h, "minutes");
    h.key("esc");
    h.key("/");
    h.typed("ケース");
    sweep(&mut h, "filter");
}

fn snapshot_screens(lang: Lang, suffix: &str) {
    let mut h = Harness::new(lang);
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("home_{w}x{ht}{suffix}"), h.screen(w, ht));
    }
    h.key("2");
    h.find_body("支援方針検討会議");
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("bodies_{w}x{ht}{suffix}"), h.screen(w, ht));
    }
    // The demo's planned meeting of this body, opened from home.
    h.key("1");
    h.key("/");
    h.typed("支援方針検討会議");
    h.key("enter");
    h.key("enter");
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("setup_{w}x{ht}{suffix}"), h.screen(w, ht));
    }
    h.key("tab");
    h.key("a");
    h.typed("権利擁護センター");
    h.key("tab");
    h.typed("加藤 真理");
    h.key("enter");
    // Planned for another day: begun today, as asked.
    h.keys(&["b", "enter"]);
    h.key("n");
    h.typed("親族2名との面談日程を調整中。");
    h.key("enter");
    h.advance(12);
    h.action("地域ケア推進課", "申立て書類の下書き", "12/5");
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("live_{w}x{ht}{suffix}"), h.screen(w, ht));
    }
    // The record's fields, with the next meeting typed and shown as understood.
    h.key("f");
    h.keys(&["tab", "tab", "tab", "tab", "tab", "tab"]);
    h.typed("来週金曜");
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("record_form_{w}x{ht}{suffix}"), h.screen(w, ht));
    }
    h.key("enter");
    h.key("?");
    insta::assert_snapshot!(format!("help_live_80x24{suffix}"), h.screen(80, 24));
    h.key("esc");
    h.keys(&["E", "enter"]);
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("minutes_{w}x{ht}{suffix}"), h.screen(w, ht));
    }
    h.key("esc");
    // Esc leaves the live meeting for its setup, and the setup for home.
    h.keys(&["esc", "esc", "3"]);
    for (w, ht) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(format!("actions_{w}x{ht}{suffix}"), h.screen(w, ht));
    }
    h.key("?");
    insta::assert_snapshot!(format!("help_80x24{suffix}"), h.screen(80, 24));
}

#[test]
fn snapshots_in_japanese() {
    snapshot_screens(Lang::Ja, "");
}

#[test]
fn snapshots_in_english() {
    snapshot_screens(Lang::En, "_en");
}

#[test]
fn the_report_screen_shows_the_year_and_compares() {
    let mut h = Harness::new(Lang::Ja);
    h.key("4");
    assert_eq!(h.app.screen(), Screen::Report);
    let screen = h.screen(100, 40);
    assert!(screen.contains("令和8年度"), "{screen}");
    assert!(screen.contains("会議体別の開催回数"), "{screen}");
    h.key("c");
    assert!(
        h.screen(100, 40).contains("令和7年度"),
        "compared with the year before"
    );
    h.key("<");
    assert!(h.screen(100, 40).contains("令和6年度"));
    h.app.ctx.export_dir = h._db.dir.path().to_owned();
    // w asks the format: Markdown is offered first.
    h.keys(&["w", "enter"]);
    let file = h._db.dir.path().join("report-2025-compare.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("令和7年度") && text.contains("令和6年度"),
        "{text}"
    );
    assert_eq!(common::mode(&file), 0o600);
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Home);
}

/// Events for `tui::event_loop`: keys, and pauses (`None`: the wait ran out), each step checked
/// on the frame drawn after it; the timeouts the loop asked for are kept.
/// When the steps run out, the loop is asked to stop (as by a hang-up): every screen may end it.
struct Steps {
    steps: std::collections::VecDeque<Option<&'static str>>,
    waits: Vec<std::time::Duration>,
    done: bool,
}

impl tui::Events for Steps {
    fn next(&mut self, timeout: std::time::Duration) -> anyhow::Result<Option<Event>> {
        self.waits.push(timeout);
        Ok(match self.steps.pop_front() {
            Some(Some(spec)) => {
                let key = parse_key(spec).unwrap();
                Some(Event::Key(KeyEvent::new(key.code, key.modifiers)))
            }
            Some(None) => None,
            None => {
                self.done = true;
                None
            }
        })
    }

    fn stop_requested(&self) -> bool {
        self.done
    }
}

/// Keys that are all there at once (a paste the terminal does not bracket, a tool typing): the
/// first through `next`, the rest already waiting.
struct Burst {
    keys: std::collections::VecDeque<Event>,
    frames: usize,
}

impl tui::Events for Burst {
    fn next(&mut self, _timeout: std::time::Duration) -> anyhow::Result<Option<Event>> {
        // The loop draws a frame before each wait.
        self.frames += 1;
        match self.keys.pop_front() {
            Some(key) => Ok(Some(key)),
            // Ends the loop as a kill would: the form stays as it was.
            None => anyhow::bail!("no more keys"),
        }
    }

    fn pending(&mut self, _within: std::time::Duration) -> anyhow::Result<Option<Event>> {
        Ok(self.keys.pop_front())
    }
}

/// Attack report 7, finding 6: text arriving as keys drew a frame per key, each redrawing the
/// whole field — 20 000 characters took 24 s of CPU. Keys already there are handled before the
/// next frame: every character is in the field, drawn a few times, not once per key.
/// Attack report 9, finding 9: a note of characters that draw nothing (U+2063, U+FEFF,
/// U+200B) was saved and printed as an empty line of the minutes; a full-width space alone was
/// refused. Such a text is no text: the form stays, nothing is saved. (Seen failing before:
/// saved.)
#[test]
fn a_note_of_characters_that_draw_nothing_is_not_saved() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    let notes = |h: &Harness| h.count("SELECT COUNT(*) FROM agenda_entries");
    let before = notes(&h);
    for invisible in ["\u{2063}", "\u{FEFF}", "\u{200B}\u{200B}"] {
        h.key("n");
        h.typed(invisible);
        h.key("enter");
        assert_eq!(notes(&h), before, "{invisible:?} saved");
        assert!(
            matches!(h.app.ctx.overlay, renkei::tui::screens::Overlay::Form(_)),
            "the form stays"
        );
        h.key("esc");
    }
}

#[test]
fn keys_that_arrive_together_are_drawn_once_not_once_per_key() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.key("n");
    let char_key = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    // A key that is no character among them keeps its place: the last い is erased.
    let mut keys: std::collections::VecDeque<Event> =
        "い".repeat(3000).chars().map(char_key).collect();
    keys.push_back(Event::Key(KeyEvent::new(
        KeyCode::Backspace,
        KeyModifiers::NONE,
    )));
    keys.extend("うえ".chars().map(char_key));
    let mut events = Burst { keys, frames: 0 };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let ended = tui::event_loop(&mut terminal, &mut h.app, &mut h.store, &mut events);
    assert!(
        matches!(&ended, Err(e) if e.to_string() == "no more keys"),
        "{ended:?}"
    );
    let renkei::tui::screens::Overlay::Form(form) = &h.app.ctx.overlay else {
        panic!("the form is open");
    };
    let value = form.value(form.focus);
    let tail: String = value.chars().rev().take(4).collect();
    assert_eq!(
        (value.chars().count(), tail.as_str()),
        (3001, "えういい"),
        "every key is in the field, in order"
    );
    // A frame at most every 30 ms while keys keep coming: a handful for 3 000 keys even in a
    // debug build.
    assert!(
        events.frames < 100,
        "{} frames for 3 000 keys",
        events.frames
    );
}

/// Attack on the TUI, 2026-12-05: lines pasted into a note where the terminal does not bracket
/// the paste come as keys, each line's end an Enter — which saved the note with its first line
/// and left the rest to be read as commands: `E` ended the meeting, `u` and `x` would take back
/// or remove lines. An Enter a character comes with breaks the line of the text instead (a
/// note's lines joined by spaces, as a bracketed paste's); the last Enter, alone, saves it.
#[test]
fn lines_pasted_as_keys_stay_in_the_note_and_run_no_command() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    let meeting = h.meeting();
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    // The loop asks first whether to go back to the meeting running (Enter), then a note.
    let mut keys = std::collections::VecDeque::from([key(KeyCode::Enter), key(KeyCode::Char('n'))]);
    for line in ["本人は来週受診予定。", "E", "uxq 長女が付き添う。"] {
        keys.extend(line.chars().map(|c| key(KeyCode::Char(c))));
        keys.push_back(key(KeyCode::Enter));
    }
    let mut events = Burst { keys, frames: 0 };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let _ = tui::event_loop(&mut terminal, &mut h.app, &mut h.store, &mut events);
    assert_eq!(
        h.count(&format!(
            "SELECT COUNT(*) FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
             WHERE i.meeting_id = {meeting} AND e.deleted_at IS NULL
               AND e.text = '本人は来週受診予定。 E uxq 長女が付き添う。'"
        )),
        1
    );
    assert_eq!(
        h.count(&format!(
            "SELECT COUNT(*) FROM meetings WHERE id = {meeting} AND status <> 'held'"
        )),
        1,
        "the meeting runs on"
    );
    assert_eq!(h.app.screen(), Screen::Live(meeting));
}

/// Keys typed ahead (over a slow link they come in one burst): `n` opens the form to hold a
/// meeting now, Enter saves it with no place, `b` is read on the meeting's screen. The Enter
/// follows no character typed into the form, so it is the save, not a line of a paste (it
/// became one: the form stayed open with ` b` in its place, found by the pty test of a capture
/// during an import).
#[test]
fn an_enter_typed_ahead_after_a_command_still_saves_its_form() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let keys = std::collections::VecDeque::from([
        key(KeyCode::Char('n')),
        key(KeyCode::Enter),
        key(KeyCode::Char('b')),
    ]);
    let mut events = Burst { keys, frames: 0 };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let _ = tui::event_loop(&mut terminal, &mut h.app, &mut h.store, &mut events);
    assert!(
        matches!(h.app.screen(), Screen::Live(_)),
        "{:?}",
        h.app.screen()
    );
    assert!(!matches!(
        h.app.ctx.overlay,
        renkei::tui::screens::Overlay::Form(_)
    ));
}

/// Attack on the TUI, 2026-12-05: the minutes of a meeting still running (`m`) offered `A`,
/// asked whether to approve, then refused in the store's English. Now `A` says at once that
/// minutes are approved once the meeting has ended, and asks nothing.
#[test]
fn the_minutes_of_a_meeting_running_are_not_offered_for_approval() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    let meeting = h.meeting();
    h.key("m");
    assert_eq!(h.app.screen(), Screen::Minutes(meeting));
    h.key("A");
    assert!(
        !matches!(h.app.ctx.overlay, renkei::tui::screens::Overlay::Confirm(_)),
        "asked"
    );
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("議事録の承認は会議の終了後です"),
        "{screen}"
    );
    assert_eq!(
        h.count(&format!(
            "SELECT COUNT(*) FROM meetings WHERE id = {meeting} AND approved_at IS NOT NULL"
        )),
        0
    );
}

#[test]
fn on_a_real_terminal_the_detail_pane_follows_when_the_keys_pause() {
    let mut h = Harness::new(Lang::Ja);
    h.app.ctx.defer_detail = true;
    let title = |h: &Harness, n: usize| -> String {
        let body = h.detail_body().map(|b| b.record.name.clone());
        format!("{n}: {}", body.unwrap_or_default())
    };
    // The bodies of the first rows, as the list shows them.
    let first = h.selected_body().unwrap().record.name.clone();
    h.key("j");
    let second = h.selected_body().unwrap().record.name.clone();
    h.key("k");
    assert_ne!(first, second, "the demo's first two rows are two bodies");

    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut events = Steps {
        steps: [Some("j"), Some("j"), Some("k"), None].into(),
        waits: Vec::new(),
        done: false,
    };
    tui::event_loop(&mut terminal, &mut h.app, &mut h.store, &mut events).unwrap();
    // After j, j, k the selection is on the second row; the pane waited (a short wait asked for)
    // and followed at the pause.
    assert_eq!(title(&h, 0), format!("0: {second}"));
    let settle = std::time::Duration::from_millis(100);
    assert_eq!(events.waits[0], std::time::Duration::from_millis(250));
    assert_eq!(&events.waits[1..4], &[settle, settle, settle]);
    assert_eq!(events.waits[4], std::time::Duration::from_millis(250));
    assert!(!h.app.detail_waits());

    // A screen change shows the new screen's detail at once.
    let mut events = Steps {
        steps: [Some("j"), Some("2")].into(),
        waits: Vec::new(),
        done: false,
    };
    tui::event_loop(&mut terminal, &mut h.app, &mut h.store, &mut events).unwrap();
    assert!(
        !h.app.detail_waits(),
        "a new screen shows its detail at once"
    );
    let screen = tui::buffer_text(terminal.backend().buffer());
    let shown = h.selected_body().unwrap().record.name.clone();
    assert!(screen.contains(&shown), "{screen}");

    // Between a key and the pause the pane keeps the body it showed.
    h.app.settle_detail();
    let before = h.detail_body().map(|b| b.id);
    h.key("j");
    assert!(h.app.detail_waits());
    assert_eq!(h.detail_body().map(|b| b.id), before);
    h.app.settle_detail();
    assert_eq!(
        h.detail_body().map(|b| b.id),
        h.selected_body().map(|b| b.id)
    );

    // Without deferring (tests, the script mode) the pane always shows the selection.
    h.app.ctx.defer_detail = false;
    h.key("j");
    assert_eq!(
        h.detail_body().map(|b| b.id),
        h.selected_body().map(|b| b.id)
    );
}

#[test]
fn the_actions_screen_scrolls_through_thousands_of_open_actions() {
    let mut h = Harness::new(Lang::Ja);
    // The 2 000 spread over twenty meetings: each write measures its meeting's record against
    // the import's limit, which for one meeting of 2 000 actions took more than half of this
    // test's seven seconds; the screen lists open actions whatever their meeting.
    let meetings: Vec<i64> = h
        .store
        .meetings(None)
        .unwrap()
        .iter()
        .take(20)
        .map(|m| m.id)
        .collect();
    let agencies = [
        "保護課",
        "地域包括支援センター",
        "社会福祉協議会",
        "子ども家庭支援センター",
    ];
    for n in 0..2000 {
        let agency = agencies[n % agencies.len()];
        let meeting = meetings[n % meetings.len()];
        h.store
            .add_action(meeting, Some(agency), &format!("見守り訪問 {n:04}"), None)
            .unwrap();
    }
    h.key("3");
    // Down to the 1500th of the list: the view follows, with its group's heading above.
    for _ in 0..1500 {
        h.key("j");
    }
    let selected = &h.actions().action(h.actions().selected()).unwrap().0;
    let text = selected.text.clone();
    let agency = selected.agency.clone().unwrap();
    let screen = h.screen(80, 24);
    let marked: Vec<&str> = screen.lines().filter(|l| l.contains("> ")).collect();
    assert_eq!(marked.len(), 1, "{screen}");
    assert!(marked[0].contains(&text), "{screen}");
    assert!(
        screen.contains("(2"),
        "the count of all open actions in the title: {screen}"
    );
    // Away and back: the list is let go meanwhile, the selection kept.
    let at = h.actions().selected();
    h.key("1");
    assert!(h.actions().is_empty() && h.actions().read().is_empty());
    h.key("3");
    assert_eq!(h.actions().selected(), at);
    assert_eq!(h.actions().action(at).unwrap().0.text, text);
    // Only the rows around the selection were read, not the 2000.
    assert!(
        h.actions().read().len() < 200,
        "{}",
        h.actions().read().len()
    );
    // Back to the top: the first group's heading and the first action.
    for _ in 0..1500 {
        h.key("k");
    }
    let screen = h.screen(80, 24);
    let first = &h.actions().action(0).unwrap().0;
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[2].contains("-- ") && rows[2].contains(first.agency.as_deref().unwrap()));
    assert!(
        rows[3].contains("> ") && rows[3].contains(&first.text),
        "{screen}"
    );
    assert!(!agency.is_empty());
}

/// Back returns to where the user came from, as they left it; opening a screen that is on the
/// stack returns to it instead of stacking it twice; the tabs and q work from every screen.
#[test]
fn back_returns_to_where_the_user_came_from() {
    let mut h = Harness::new(Lang::Ja);
    assert_eq!(h.app.stack(), [Screen::Home]);
    h.key("esc");
    assert_eq!(h.app.stack(), [Screen::Home], "home stays");

    // Minutes opened from the bodies list go back to it: its filter and its selection kept.
    h.find_body("就労支援部会");
    h.key("j");
    let body = h.selected_body().unwrap().clone();
    h.key("m");
    let Screen::Minutes(minutes) = h.app.screen() else {
        panic!("no minutes: {:?}", h.app.stack());
    };
    assert_eq!(Some(minutes), body.last_held_id);
    assert_eq!(
        h.app.stack(),
        [Screen::Home, Screen::Bodies, Screen::Minutes(minutes)]
    );
    h.key("esc");
    assert_eq!(h.app.stack(), [Screen::Home, Screen::Bodies]);
    assert_eq!(h.selected_body().map(|b| b.id), Some(body.id));
    let screen = h.screen(80, 24);
    assert!(screen.contains("[/就労支援部会]"), "{screen}");

    // A meeting held now from the bodies list: its setup, then begun; Back goes through them.
    h.hold_now();
    let id = h.meeting();
    assert_eq!(h.app.screen(), Screen::Live(id));
    // A tab from the meeting, and Back to the meeting.
    h.key("3");
    assert_eq!(
        h.app.stack(),
        [
            Screen::Home,
            Screen::Bodies,
            Screen::Setup(id),
            Screen::Live(id),
            Screen::Actions
        ]
    );
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Live(id));
    // Its minutes return to it.
    h.key("m");
    assert_eq!(h.app.screen(), Screen::Minutes(id));
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Live(id));
    // Its setup, below it, returned to (not stacked twice), and the meeting again.
    h.key("S");
    assert_eq!(
        h.app.stack(),
        [Screen::Home, Screen::Bodies, Screen::Setup(id)]
    );
    h.key("b");
    assert_eq!(
        h.app.stack(),
        [
            Screen::Home,
            Screen::Bodies,
            Screen::Setup(id),
            Screen::Live(id)
        ]
    );
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Setup(id));
    h.key("esc");
    assert_eq!(h.app.screen(), Screen::Bodies);
    h.key("esc");
    assert_eq!(h.app.stack(), [Screen::Home]);

    // The tabs keep their place while elsewhere; a filter belongs to its visit, the body
    // selected under it stays selected.
    h.key("2");
    h.keys(&["j", "j", "j"]);
    let third = h.selected_body().map(|b| b.id);
    h.key("1");
    h.key("2");
    assert_eq!(h.selected_body().map(|b| b.id), third);
    h.key("/");
    h.typed("会議");
    h.key("enter");
    h.key("j");
    let filtered = h.selected_body().map(|b| b.id);
    h.key("1");
    h.key("2");
    assert!(h.app.ctx.filter.is_empty());
    assert_eq!(h.selected_body().map(|b| b.id), filtered);

    // The planned meeting opened from home returns home; its minutes return to it.
    h.key("1");
    h.key("/");
    h.typed("支援方針検討会議");
    h.keys(&["enter", "enter"]);
    let planned = h.meeting();
    h.key("m");
    h.key("esc");
    assert_eq!(h.app.stack(), [Screen::Home, Screen::Setup(planned)]);
    h.key("esc");
    assert_eq!(h.app.stack(), [Screen::Home]);
    assert!(h.screen(80, 24).contains("[/支援方針検討会議]"));

    // q ends renkei from any screen.
    h.key("4");
    h.key("q");
    assert!(!h.app.running);
}

/// The runner's report on a command goes to the screen that issued it: a refused step of the
/// agenda leaves the live meeting where it is, with the reason in the status line.
#[test]
fn a_refused_command_leaves_the_screen_as_it_was() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.hold_now();
    let id = h.meeting();
    h.store.set_user("tanaka");
    h.store.take_chair(id).unwrap();
    h.store.set_user("sato");
    h.key(">");
    assert_eq!(h.app.screen(), Screen::Live(id));
    let status = h.app.ctx.status.clone().unwrap();
    assert!(status.0 && status.1.contains("tanaka"), "{status:?}");
}

/// Opens a live meeting of 就労支援部会 held now (the live screen).
fn live_meeting(h: &mut Harness) -> i64 {
    h.find_body("就労支援部会");
    h.hold_now();
    h.meeting()
}

/// A new case `pseudonym`, its screen open (`5`, Enter on it): its id.
fn case_on_screen(h: &mut Harness, pseudonym: &str) -> i64 {
    let case = h
        .store
        .create_case(&renkei::store::cases::NewCase {
            pseudonym: pseudonym.to_owned(),
            ..Default::default()
        })
        .unwrap();
    h.app.open(Screen::Case { case, at: None });
    tui::refresh(&mut h.app, &h.store);
    case
}

/// A colleague (tanaka, in another process) sets the case's policy (and the next review date
/// when given), the rest as it stands.
fn colleague_sets_policy(h: &Harness, case: i64, policy: &str, next: Option<chrono::NaiveDate>) {
    let mut other = Store::open(&h._db.path, h.store.clock().clone()).unwrap();
    other.set_user("tanaka");
    let d = other.case_detail(case).unwrap().unwrap();
    other
        .update_case(
            case,
            &renkei::store::cases::CaseEdit {
                pseudonym: d.row.pseudonym.clone(),
                opened: d.row.opened,
                policy: policy.to_owned(),
                next_review: next,
                ..Default::default()
            },
            None,
        )
        .unwrap();
}

/// Another connection that takes the database's write lock, as another process's import does.
fn hold_the_lock(h: &Harness) -> rusqlite::Connection {
    let holder = rusqlite::Connection::open(&h._db.path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    holder
}

/// Issue 14: a note entered while another process holds the write lock is neither lost nor
/// refused. The screen keeps drawing and says that it waits, with the note still in its form;
/// what is typed meanwhile (a second note) is held and handled after it, so the two are saved
/// in the order they were typed, once the lock is free.
#[test]
fn a_capture_waits_for_another_process_lock_and_keeps_its_order() {
    renkei::store::busy::set_patience(Some(std::time::Duration::from_millis(30)));
    let mut h = Harness::new(Lang::Ja);
    let id = live_meeting(&mut h);
    let holder = hold_the_lock(&h);
    h.key("n");
    h.typed("一つ目：鍵を待つメモ");
    h.key("enter");
    assert!(h.app.waiting(), "the note waits for the lock");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("他のプロセスの書き込みを待っています"),
        "{screen}"
    );
    assert!(
        screen.contains("一つ目：鍵を待つメモ"),
        "the form stays: {screen}"
    );
    // Typed while the first waits: held, not lost, not ahead of it.
    h.key("n");
    h.typed("二つ目：後から打ったメモ");
    h.key("enter");
    for _ in 0..3 {
        assert!(tui::resume(&mut h.app, &mut h.store), "still waiting");
    }
    let notes =
        "SELECT COUNT(*) FROM agenda_entries WHERE text LIKE '%メモ' AND deleted_at IS NULL";
    assert_eq!(h.count(notes), 0);
    holder.execute_batch("COMMIT").unwrap();
    assert!(!tui::resume(&mut h.app, &mut h.store), "both taken");
    let saved: Vec<String> = h
        .store
        .conn()
        .prepare(
            "SELECT e.text FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
             WHERE i.meeting_id = ?1 AND e.text LIKE '%メモ' ORDER BY e.id",
        )
        .unwrap()
        .query_map([id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(saved, ["一つ目：鍵を待つメモ", "二つ目：後から打ったメモ"]);
    let screen = h.screen(80, 24);
    assert!(screen.contains("保存しました"), "{screen}");
    assert!(!screen.contains("待っています"), "{screen}");
    assert!(matches!(
        h.app.ctx.overlay,
        renkei::tui::screens::Overlay::None
    ));
    // Both can be taken back, the last first.
    h.key("u");
    assert_eq!(h.count(notes), 1);
    renkei::store::busy::set_patience(None);
}

/// Issue 14: a save that fails for another reason than the lock (here the disk is full: SQLite
/// may not grow the file) keeps the typed text in the form, says so, and saves it when tried
/// again.
#[test]
fn a_note_whose_save_fails_stays_in_the_form_to_try_again() {
    let mut h = Harness::new(Lang::Ja);
    live_meeting(&mut h);
    let conn = h.store.conn();
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let free: i64 = conn
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .unwrap();
    let size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    conn.pragma_update(None, "max_page_count", pages).unwrap();
    // More than the free pages hold: the file would have to grow.
    let long = format!(
        "満杯の記録{}",
        "あ".repeat(((free + 4) * size) as usize / 3 + 1)
    );
    h.key("n");
    h.app.ctx.status = None;
    handle(&mut h.app, &mut h.store, &Event::Paste(long.clone()));
    h.key("enter");
    let notes = "SELECT COUNT(*) FROM agenda_entries WHERE text LIKE '満杯の記録%'";
    assert_eq!(h.count(notes), 0);
    let renkei::tui::screens::Overlay::Form(form) = &h.app.ctx.overlay else {
        panic!("the form is gone with what was typed");
    };
    assert_eq!(form.value(0), long);
    let screen = h.screen(80, 24);
    assert!(screen.contains("保存できませんでした"), "{screen}");
    assert!(screen.contains("エラー"), "{screen}");
    // Room again: Enter saves what was kept.
    h.store
        .conn()
        .pragma_update(None, "max_page_count", 1_000_000)
        .unwrap();
    h.key("enter");
    assert_eq!(h.count(notes), 1);
    assert!(matches!(
        h.app.ctx.overlay,
        renkei::tui::screens::Overlay::None
    ));
    assert!(h.screen(80, 24).contains("保存しました"));
}

/// A correction refused because someone else changed the text first keeps what was typed, and
/// never replaces theirs unseen (attack report 18: Enter again used to overwrite it): a question
/// shows both texts; Esc goes back to the typed text (sent again, it asks again); only Enter on
/// the question saves it over theirs.
#[test]
fn a_correction_refused_by_a_conflict_keeps_the_typed_text() {
    let mut h = Harness::new(Lang::Ja);
    let id = live_meeting(&mut h);
    h.key("n");
    h.typed("元のメモ");
    h.key("enter");
    let entry: i64 = h
        .store
        .conn()
        .query_row(
            "SELECT id FROM agenda_entries WHERE text = '元のメモ'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // The entry on the notes pane, opened for correcting.
    h.keys(&["tab", "tab"]);
    let pane_has_it = h.screen(80, 24).contains("元のメモ");
    assert!(pane_has_it);
    h.key("e");
    let renkei::tui::screens::Overlay::Form(_) = &h.app.ctx.overlay else {
        panic!("no correction form (meeting {id})");
    };
    // Someone else corrects it meanwhile.
    h.store.set_user("tanaka");
    h.store
        .edit_text(
            renkei::store::capture::Entity::Entry,
            entry,
            Some("元のメモ"),
            "他の人の訂正",
        )
        .unwrap();
    h.store.set_user("sato");
    h.typed("・私の追記");
    h.key("enter");
    let stored = |h: &Harness| -> String {
        h.store
            .conn()
            .query_row(
                "SELECT text FROM agenda_entries WHERE id = ?1",
                [entry],
                |r| r.get(0),
            )
            .unwrap()
    };
    let asked = |h: &mut Harness| {
        let renkei::tui::screens::Overlay::Confirm(q) = &h.app.ctx.overlay else {
            panic!("not asked before replacing a colleague's text");
        };
        assert_eq!(q.question, "confirm_overwrite");
        let screen = h.screen(80, 24);
        assert!(screen.contains("他の人の訂正"), "{screen}");
        assert!(screen.contains("元のメモ・私の追記"), "{screen}");
        assert!(screen.contains("上書き"), "{screen}");
    };
    asked(&mut h);
    // Esc: back to what was typed, nothing saved.
    h.key("esc");
    let renkei::tui::screens::Overlay::Form(form) = &h.app.ctx.overlay else {
        panic!("the typed correction is gone");
    };
    assert_eq!(form.value(0), "元のメモ・私の追記");
    assert_eq!(stored(&h), "他の人の訂正");
    // Sent again from the form: asked again, still not over theirs.
    h.key("enter");
    asked(&mut h);
    assert_eq!(stored(&h), "他の人の訂正");
    // `y` is not offered, and does not answer.
    h.key("y");
    asked(&mut h);
    h.key("enter");
    assert_eq!(stored(&h), "元のメモ・私の追記");
    assert!(matches!(
        h.app.ctx.overlay,
        renkei::tui::screens::Overlay::None
    ));
}

/// 中川 一郎, 係長 of 地域福祉課, at meeting `id`: a recorded name for redaction to replace.
fn attend(h: &mut Harness, id: i64) {
    h.store
        .add_attendee(
            id,
            Some("地域福祉課"),
            "中川 一郎",
            "係長",
            renkei::domain::model::Role::Member,
            renkei::domain::model::Attendance::Present,
        )
        .unwrap();
}

/// Ends the live meeting and shows its minutes, written where the test can read them.
fn end_for_minutes(h: &mut Harness) {
    h.app.ctx.export_dir = h._db.dir.path().to_owned();
    h.key("E");
    h.key("enter");
}

fn audit(h: &Harness, action: &str) -> Vec<String> {
    h.store
        .conn()
        .prepare("SELECT detail FROM audit WHERE action = ?1 ORDER BY id")
        .unwrap()
        .query_map([action], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Issue 14 item 6: `y` is in the audit (who copied which minutes, redacted or not), and the
/// minutes go to the clipboard only once the log has it — while another process holds the lock,
/// nothing is sent.
#[test]
fn copying_minutes_is_logged_before_they_are_sent() {
    renkei::store::busy::set_patience(Some(std::time::Duration::from_millis(30)));
    let mut h = Harness::new(Lang::Ja);
    let id = live_meeting(&mut h);
    end_for_minutes(&mut h);
    assert_eq!(h.app.screen(), Screen::Minutes(id));
    h.key("y");
    assert_eq!(audit(&h, "copy_minutes"), [""]);
    assert_eq!(h.app.ctx.outbox.len(), 1);
    assert!(h.app.ctx.outbox[0].starts_with("\u{1b}]52;c;"));
    h.app.ctx.outbox.clear();
    h.key("R");
    let holder = hold_the_lock(&h);
    h.key("y");
    assert!(h.app.ctx.outbox.is_empty(), "sent before it was logged");
    holder.execute_batch("COMMIT").unwrap();
    tui::resume(&mut h.app, &mut h.store);
    assert_eq!(audit(&h, "copy_minutes"), ["", "redacted"]);
    assert_eq!(h.app.ctx.outbox.len(), 1);
    let logged: (String, i64) = h
        .store
        .conn()
        .query_row(
            "SELECT by, meeting_id FROM audit WHERE action = 'copy_minutes' ORDER BY id DESC",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(logged, ("sato".to_owned(), id));
    renkei::store::busy::set_patience(None);
}

/// Issue 15 item 4: the redacted preview says what was replaced (counts per placeholder, never
/// a name) and what still looks like a name; writing or copying those minutes first asks, with
/// the warnings listed. Esc leaves nothing behind; Enter writes.
#[test]
fn the_redacted_preview_warns_before_the_minutes_leave() {
    for lang in [Lang::Ja, Lang::En] {
        let suffix = if lang == Lang::En { "_en" } else { "" };
        let mut h = Harness::new(lang);
        let id = live_meeting(&mut h);
        // Recorded, 中川 is replaced; 山本 and John Smith nobody recorded: warnings.
        attend(&mut h, id);
        h.key("n");
        h.typed("中川係長から説明。山本係長に確認。John Smith から電話。");
        h.key("enter");
        h.key("a");
        h.typed("就労支援センター");
        h.key("tab");
        h.typed("中川係長が山本係長と面談");
        h.key("enter");
        end_for_minutes(&mut h);
        h.key("R");
        let screen = h.screen(80, 24);
        for name in ["山本", "John Smith"] {
            // Only in the warnings, never in the minutes above them.
            let minutes = screen.split("氏名の置き換えの確認").next().unwrap();
            let minutes = minutes.split("Redaction check").next().unwrap();
            assert!(
                !minutes.contains(name),
                "{name} shown in the minutes: {screen}"
            );
        }
        insta::assert_snapshot!(format!("minutes_redacted_80x24{suffix}"), screen);
        insta::assert_snapshot!(format!("minutes_redacted_40x12{suffix}"), h.screen(40, 12));
        // Attack report 20: at 40×12 the check said "…ほか 7 行" and its warnings could not be
        // read before w. Tab widens it; the arrows scroll it to every warning; Tab gives back.
        let cut = h.screen(40, 12);
        assert!(!cut.contains("山本") && !cut.contains("John"), "{cut}");
        h.key("tab");
        let mut seen = String::new();
        for _ in 0..12 {
            seen.push_str(&h.screen(40, 12));
            h.key("down");
        }
        assert!(seen.contains("山本") && seen.contains("John"), "{seen}");
        h.key("tab");
        assert_eq!(h.screen(40, 12), cut);

        // Markdown (offered first), then the question.
        h.keys(&["w", "enter"]);
        let asked = h.screen(80, 24);
        assert!(asked.contains("John Smith"), "{asked}");
        insta::assert_snapshot!(format!("minutes_redacted_write_asks_80x24{suffix}"), asked);
        h.key("esc");
        let file = h
            ._db
            .dir
            .path()
            .join(format!("minutes-2026-11-21-{id}-redacted.md"));
        assert!(!file.exists(), "written without asking");
        h.key("y");
        h.key("esc");
        assert!(h.app.ctx.outbox.is_empty(), "copied without asking");
        assert!(audit(&h, "copy_minutes").is_empty());
        h.keys(&["w", "enter", "enter"]);
        assert!(file.exists(), "written once asked");
        h.key("y");
        h.key("enter");
        assert_eq!(h.app.ctx.outbox.len(), 1);
        assert_eq!(audit(&h, "copy_minutes"), ["redacted"]);
        // Not redacted: nothing to warn about, nothing asked.
        h.key("R");
        h.key("y");
        assert_eq!(audit(&h, "copy_minutes"), ["redacted", ""]);
    }
}

/// The sheets of an .xlsx and the text of its first sheet's cells, row by row.
fn xlsx_rows(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    use calamine::Reader;
    let bytes = std::fs::read(path).unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    let range = book.worksheet_range(&names[0]).unwrap();
    let rows = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    (names, rows)
}

/// The text of a .docx's body.
fn docx_xml(path: &std::path::Path) -> String {
    use std::io::Read;
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// Issue 20 item 4: `w` asks the format where a screen writes more than one — Markdown or Word
/// for minutes, Markdown or Excel for the report — and writes the actions as Excel at once; the
/// config's `export_format` is taken where it fits the screen and asked about where it does not.
/// Every file owner-only and in the audit; a redacted Word document holds no recorded name.
#[test]
fn w_writes_the_format_asked_for_or_configured() {
    use renkei::config::ExportFormat;
    let mut h = Harness::new(Lang::Ja);
    let id = live_meeting(&mut h);
    attend(&mut h, id);
    end_for_minutes(&mut h);
    let dir = h._db.dir.path().to_owned();
    h.key("w");
    let asked = h.screen(80, 24);
    assert!(
        asked.contains("書き出し") && asked.contains("< Markdown (.md) >"),
        "{asked}"
    );
    h.keys(&["right", "enter"]);
    let docx = dir.join(format!("minutes-2026-11-21-{id}.docx"));
    assert!(docx_xml(&docx).contains("就労支援部会"));
    assert!(docx_xml(&docx).contains("中川"));
    assert_eq!(common::mode(&docx), 0o600);
    assert!(!dir.join(format!("minutes-2026-11-21-{id}.md")).exists());

    // Configured: Word at once; redacted, the name is gone from it.
    h.app.ctx.prefs.export_format = Some(ExportFormat::Docx);
    h.keys(&["R", "w"]);
    assert!(matches!(
        h.app.ctx.overlay,
        renkei::tui::screens::Overlay::None
    ));
    let redacted = dir.join(format!("minutes-2026-11-21-{id}-redacted.docx"));
    let xml = docx_xml(&redacted);
    assert!(!xml.contains("中川") && xml.contains("A氏"), "{xml}");
    assert_eq!(
        audit(&h, "export_minutes")
            .iter()
            .map(|d| d.ends_with(" (redacted)"))
            .collect::<Vec<_>>(),
        [false, true]
    );

    // The report has no Word form: it asks, and Excel is written.
    h.key("4");
    h.key("w");
    assert!(h.screen(80, 24).contains("< Markdown (.md) >"));
    h.keys(&["right", "enter"]);
    let (sheets, _) = xlsx_rows(&dir.join("report-2026.xlsx"));
    assert!(sheets.len() > 1, "a sheet a table: {sheets:?}");
    assert_eq!(common::mode(&dir.join("report-2026.xlsx")), 0o600);

    // The actions are written as Excel, without a question.
    h.key("3");
    h.key("w");
    let actions = dir.join("actions-2026-11-21.xlsx");
    let (_, rows) = xlsx_rows(&actions);
    assert_eq!(rows[0][0], "機関");
    assert_eq!(rows.len(), h.actions().len() + 1);
    assert_eq!(common::mode(&actions), 0o600);
    assert_eq!(audit(&h, "export_actions").len(), 1);
    // The cells of `renkei actions --open --format xlsx`: written as they are read, as it does.
    let cli = dir.join("cli-actions.xlsx");
    common::succeeds(
        common::renkei_at(&h._db.path)
            .args(["actions", "--open", "--format", "xlsx", "-o"])
            .arg(&cli),
    );
    assert_eq!(xlsx_rows(&cli).1, rows);
}

/// Another ward's export (the demo of 墨田区) imported into the harness's database, whose own
/// ward is named 江東区: the database now holds two wards' bodies of the same names.
fn second_ward(h: &mut Harness) {
    h.store.set_ward("江東区", Some("131083")).unwrap();
    let other = TempDb::new();
    let mut store = other.open();
    store.set_ward("墨田区", Some("131075")).unwrap();
    renkei::demo::load(&mut store).unwrap();
    let text = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let path = other.file("sumida.json", text.as_bytes());
    h.store
        .import_files(&[path], renkei::store::Encoding::Auto)
        .unwrap();
}

/// Attack14 finding 8 on the home screen: a night 個別ケース会議 (23:30–翌00:40) begun at 23:30
/// is still on the home's list at 00:10, marked 開催中 (its row is the day it began), and the
/// bodies' details say it runs; one planned that night and not begun is past. At 80×24.
#[test]
fn a_night_meeting_running_past_midnight_stays_on_the_home_list() {
    let mut h = Harness::filled(Lang::Ja, |store| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("night.json");
        let doc = serde_json::json!({"format": "renkei/1",
            "bodies": [
                {"name": "要保護児童対策地域協議会 個別ケース検討会議", "organiser": "子ども家庭支援課",
                 "frequency": "随時"},
                {"name": "夜間の見守り連絡会", "organiser": "地域福祉課", "frequency": "随時"}],
            "meetings": [
                {"body": "要保護児童対策地域協議会 個別ケース検討会議", "date": "2026-11-20",
                 "start": "23:30", "end": "00:40", "end_date": "2026-11-21"},
                {"body": "夜間の見守り連絡会", "date": "2026-11-20",
                 "start": "23:30", "end": "00:40", "end_date": "2026-11-21"}]});
        std::fs::write(&path, doc.to_string()).unwrap();
        store.import_with(&[path], &Default::default()).unwrap();
    });
    let meetings = h.store.meetings(None).unwrap();
    let begun = meetings
        .iter()
        .find(|m| m.body.contains("個別"))
        .unwrap()
        .id;
    // 2026-11-20 23:30: begun; 00:10 the next day: the home read again.
    h.advance(-(10 * 60 + 30));
    h.store.start_meeting(begun).unwrap();
    h.advance(40);
    h.keys(&["2", "1"]);
    let home = h.screen(80, 24);
    let row = home
        .lines()
        .find(|l| l.contains("開催中"))
        .unwrap_or_else(|| panic!("{home}"));
    assert!(row.contains("11/20") && row.contains("要保護児童"), "{row}");
    // The meeting not begun is past: its body is listed as one that meets when needed, with
    // no meeting line.
    assert_eq!(home.matches("11/20(金)").count(), 1, "{home}");
    assert!(home.contains("随時開催"), "{home}");
    insta::assert_snapshot!("home_night_meeting_running_80x24", home);
    h.find_body("個別ケース検討会議");
    let bodies = h.screen(100, 40);
    assert!(bodies.contains("2026-11-20 (開催中)"), "{bodies}");
}

/// Issue 13 items 3 and 6: a meeting begun and not ended is 開催中 on home and in the bodies'
/// details, not 予定; where the database holds more than one ward, home and the bodies list
/// show each body's ward (and a ward's name finds its bodies), and with one ward they do not.
#[test]
fn meetings_in_progress_and_wards_are_shown() {
    let mut h = Harness::new(Lang::Ja);
    let id = live_meeting(&mut h);
    h.keys(&["esc", "esc", "1", "/"]);
    h.typed("就労支援部会");
    h.key("enter");
    let home = h.screen(80, 24);
    let row = home
        .lines()
        .find(|l| l.starts_with("│> 11/21"))
        .unwrap_or_else(|| panic!("{home}"));
    assert!(row.contains("開催中") && !row.contains("予定"), "{row}");
    h.find_body("就労支援部会");
    let bodies = h.screen(100, 40);
    assert!(bodies.contains("2026-11-21 (開催中)"), "{bodies}");
    // One ward (the demo's, not named): no ward shown.
    assert!(!bodies.contains("名前未設定") && !home.contains("名前未設定"));

    second_ward(&mut h);
    h.key("1");
    h.key("esc");
    let home = h.screen(80, 24);
    assert!(home.contains("江東区") && home.contains("墨田区"), "{home}");
    insta::assert_snapshot!("home_two_wards_80x24", home);
    // At 40 columns the name comes before the ward: each line keeps its body's name readable
    // (it showed the ward and `..` for the name).
    let narrow = h.screen(40, 12);
    let lines: Vec<&str> = narrow
        .lines()
        .filter(|l| l.starts_with("│> ") || l.starts_with("│  "))
        .collect();
    assert!(lines.len() >= 5, "{narrow}");
    for line in &lines {
        let name = line
            .trim_end_matches('│')
            .trim_end()
            .rsplit(' ')
            .next()
            .unwrap_or("");
        assert!(
            renkei::text::width(name) >= 6 && !name.starts_with(".."),
            "{line}\n{narrow}"
        );
    }
    insta::assert_snapshot!("home_two_wards_40x12", narrow);
    h.key("2");
    h.key("/");
    h.typed("墨田");
    h.key("enter");
    let bodies = h.screen(80, 24);
    insta::assert_snapshot!("bodies_two_wards_80x24", bodies);
    // 墨田区's bodies (found by their ward's name), and those of 江東区 whose own fields name
    // 墨田 (a municipality).
    let found = h.count(
        "SELECT COUNT(*) FROM bodies b JOIN wards w ON w.id = b.ward_id
         WHERE w.name = '墨田区' OR (b.name || b.organiser || b.kind || b.frequency_text
                                     || b.topics || b.municipality) LIKE '%墨田%'",
    );
    let by_fields = h.count(
        "SELECT COUNT(*) FROM bodies b WHERE (b.name || b.organiser || b.kind
             || b.frequency_text || b.topics || b.municipality) LIKE '%墨田%'",
    );
    assert!(
        found > by_fields,
        "the ward adds bodies to what the fields find"
    );
    assert!(bodies.contains(&format!("会議体 ({found})")), "{bodies}");
    // The meeting still runs, in 江東区.
    assert_eq!(
        h.count(&format!(
            "SELECT COUNT(*) FROM meetings WHERE id = {id} AND started_at IS NOT NULL AND ended_at IS NULL"
        )),
        1
    );
}

/// Issue 21 item 3: in a database of several wards the home's lines of case reviews
/// (事例の確認, by the body that last discussed the cases) name the body's ward, as the bodies'
/// own lines do: two wards' bodies of the same name no longer look alike, and the ward's name
/// finds its lines.
#[test]
fn a_citys_lines_of_case_reviews_name_the_ward() {
    let mut h = Harness::new(Lang::Ja);
    second_ward(&mut h);
    // Two months on, the demo's followed cases of both wards are overdue.
    h.advance(65 * 24 * 60);
    h.keys(&["esc", "1", "/"]);
    h.typed("事例の確認");
    h.key("enter");
    let home = h.screen(80, 24);
    let lines: Vec<&str> = home
        .lines()
        .filter(|l| l.contains("事例の確認") && l.contains("件"))
        .collect();
    assert!(lines.len() >= 2, "{home}");
    for ward in ["江東区", "墨田区"] {
        assert!(lines.iter().any(|l| l.contains(ward)), "{ward}: {home}");
    }
    // The !超過 of every line in one column, the ward's beside it.
    let column = |l: &str, word: &str| l.find(word).map(|i| renkei::text::width(&l[..i]));
    let kinds: Vec<_> = lines.iter().map(|l| column(l, "!超過")).collect();
    assert!(
        kinds.iter().all(|k| k.is_some() && *k == kinds[0]),
        "{home}"
    );
    insta::assert_snapshot!("home_two_wards_case_reviews_80x24", home);
    // A ward's name finds its own lines (and no line of the other ward's).
    h.keys(&["esc", "/"]);
    h.typed("墨田区 事例の確認");
    h.key("enter");
    let sumida = h.screen(80, 24);
    let reviews: Vec<&str> = sumida
        .lines()
        .filter(|l| l.contains("事例の確認") && l.contains("件"))
        .collect();
    assert!(!reviews.is_empty(), "{sumida}");
    assert!(reviews.iter().all(|l| l.contains("墨田区")), "{sumida}");
}

/// Found by the cases developer: in the live action form, Enter on the agency (no suggestion
/// chosen) was refused for the empty action with the cursor left on the agency, so the action
/// typed next joined the agency's name. The cursor goes to the empty field.
#[test]
fn an_action_typed_after_a_refused_enter_is_not_merged_into_the_agency() {
    let mut h = Harness::new(Lang::Ja);
    let id = live_meeting(&mut h);
    h.key("a");
    h.typed("権利擁護センター");
    h.key("enter");
    h.typed("家庭訪問の日程調整");
    h.key("enter");
    let (agency, text): (String, String) = h
        .store
        .conn()
        .query_row(
            "SELECT a.name, n.text FROM next_actions n JOIN agencies a ON a.id = n.agency_id
             WHERE n.meeting_id = ?1 ORDER BY n.id DESC LIMIT 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(agency, "権利擁護センター");
    assert_eq!(text, "家庭訪問の日程調整");
}

/// The setup opened from the live meeting (S) offers no beginning: its footer says b returns to
/// the meeting, and b does, changing nothing; before the meeting begins the footer says b 開始.
#[test]
fn the_setup_of_a_begun_meeting_does_not_offer_to_begin_it() {
    let mut h = Harness::new(Lang::Ja);
    h.find_body("就労支援部会");
    h.keys(&["n", "enter"]);
    let id = h.meeting();
    let before = h.screen(80, 24);
    assert!(before.contains("b 開始"), "{before}");
    h.key("b");
    assert_eq!(h.app.screen(), Screen::Live(id));
    let facts = |h: &Harness| -> (String, i64) {
        h.store
            .conn()
            .query_row(
                "SELECT started_at, (SELECT COUNT(*) FROM changes) FROM meetings WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    let begun = facts(&h);
    h.advance(5);
    h.key("S");
    assert_eq!(h.app.screen(), Screen::Setup(id));
    let setup = h.screen(80, 24);
    insta::assert_snapshot!("setup_of_a_begun_meeting_80x24", setup);
    assert!(!setup.contains("開始"), "{setup}");
    assert!(setup.contains("b 会議に戻る"), "{setup}");
    h.key("b");
    assert_eq!(h.app.screen(), Screen::Live(id));
    assert_eq!(facts(&h), begun, "nothing written");
    h.key("S");
    h.app.ctx.lang = Lang::En;
    let en = h.screen(80, 24);
    assert!(
        en.contains("b back to meeting") && !en.contains("begin"),
        "{en}"
    );
}

/// Attack report 6, finding 8: in a city the 事例 tab showed no ward, so two wards' A世帯 were
/// two identical rows and an identical case screen, and a ward's name in the filter found no
/// case. Each row says its ward now (a column where there is room, beside the pseudonym at
/// 40 columns), the filter finds a ward's cases by its name, and the case screen's title names
/// the ward. (Seen failing before: no 墨田区 on the tab.)
#[test]
fn a_citys_ledger_tab_and_case_screen_name_the_ward() {
    let mut h = Harness::new(Lang::Ja);
    second_ward(&mut h);
    h.keys(&["esc", "5", "/"]);
    h.typed("A世帯");
    h.key("enter");
    for (w, ht) in [(80, 24), (40, 12)] {
        let ledger = h.screen(w, ht);
        let rows: Vec<&str> = ledger.lines().filter(|l| l.contains("A世帯")).collect();
        assert!(
            rows.iter().any(|l| l.contains("江東区")) && rows.iter().any(|l| l.contains("墨田区")),
            "{w}x{ht}:\n{ledger}"
        );
    }
    h.keys(&["esc", "5", "/"]);
    h.typed("墨田区");
    h.key("enter");
    let sumida = h.screen(80, 24);
    assert!(sumida.contains("事例 ("), "the ledger: {sumida}");
    let rows: Vec<&str> = sumida.lines().filter(|l| l.contains("世帯")).collect();
    assert!(!rows.is_empty(), "{sumida}");
    assert!(rows.iter().all(|l| l.contains("墨田区")), "{sumida}");
    h.key("enter");
    let case = h.screen(80, 24);
    assert!(case.contains("（墨田区）"), "{case}");
    // Search too (the finding's addendum): each hit says its ward, on the command line and in
    // the TUI's search.
    let out = common::succeeds(common::renkei_at(&h._db.path).args(["search", "支援"]));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.lines().next().is_some_and(|l| l.contains("区")),
        "{listed}"
    );
    assert!(
        listed.contains("江東区") && listed.contains("墨田区"),
        "{listed}"
    );
    h.keys(&["esc", "esc", "1", "F"]);
    h.typed("支援");
    h.key("enter");
    let found = h.screen(80, 24);
    assert!(
        found.contains("江東区") || found.contains("墨田区"),
        "{found}"
    );
}

/// Attack12 finding 9: an error wider than the screen was cut at its edge before its reason
/// (`エラー: /tmp/…/minutes-….md: 書き出せません（フォルダ..`). The status line takes up to three
/// rows for it, at 80×24 and at 40×12, and the screen above keeps drawing.
#[test]
fn a_long_error_is_read_to_its_reason() {
    let mut h = Harness::new(Lang::Ja);
    let error = "エラー: /home/facilitator/議事録/令和8年度/支援会議/minutes-2026-11-20-326.md: \
                 書き出せません（フォルダがありません。書き出し先を確かめてください）";
    h.app.ctx.status = Some((true, error.to_owned()));
    let wide = h.screen(80, 24);
    assert!(wide.contains("書き出し先を確かめてください）"), "{wide}");
    assert!(wide.contains("会議"), "the screen above is drawn: {wide}");
    let narrow = h.screen(40, 12);
    let rows: Vec<&str> = narrow.lines().collect();
    assert_eq!(rows.len(), 12);
    assert!(
        rows[9..].iter().any(|r| r.contains("エラー")),
        "three rows at the foot: {narrow}"
    );
    // A message that fits keeps one row.
    h.app.ctx.status = Some((false, "保存しました".to_owned()));
    let one = h.screen(80, 24);
    assert!(
        one.lines().last().unwrap().contains("保存しました"),
        "{one}"
    );
}

/// A file the minutes screen wrote whose audit line cannot be written (a full disk under the
/// database) is removed again, and the screen says so — `w` left the minutes in the folder with
/// no line saying who took them, and said nothing (attack of 2026-12-05, round 32b, finding 2).
/// Seen failing before the fix: the file stayed.
#[test]
fn minutes_written_from_the_screen_without_their_audit_line_are_taken_back() {
    let mut h = Harness::new(Lang::Ja);
    let id = live_meeting(&mut h);
    h.key("E");
    h.key("enter");
    assert_eq!(h.app.screen(), Screen::Minutes(id));
    h.app.ctx.export_dir = h._db.dir.path().to_owned();
    h.store
        .conn()
        .execute_batch(
            "CREATE TEMP TRIGGER full BEFORE INSERT ON main.audit
             WHEN NEW.action = 'export_minutes'
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    h.keys(&["w", "enter"]);
    let file = h._db.dir.path().join(format!("minutes-2026-11-21-{id}.md"));
    assert!(
        !file.exists(),
        "the minutes stayed without their audit line"
    );
    // Said in the form it was asked from, open again: Enter tries again, Esc lets it go.
    let renkei::tui::screens::Overlay::Form(form) = &h.app.ctx.overlay else {
        panic!("the failure is said nowhere");
    };
    let said = form.error.clone().unwrap_or_default();
    assert!(said.contains("書き出していません"), "{said}");
    let screen = h.screen(80, 24);
    assert!(screen.contains("保存できませんでした"), "{screen}");
}
