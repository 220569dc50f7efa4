//! Two people on one database file: both capture into one live meeting, edits of the same entry
//! are detected, only the chair moves the agenda, each sees the other's commits, presence expires
//! by itself, and the audit says who did what.

use crate::common;

use chrono::{DateTime, Duration, FixedOffset};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::{Arc, Mutex};

use common::{NOW, TempDb};
use renkei::clock::Clock;
use renkei::domain::model::EntryKind;
use renkei::i18n::Lang;
use renkei::store::capture::Entity;
use renkei::store::{Store, StoreError};
use renkei::tui::app::App;
use renkei::tui::keymap::{Keymap, parse_key};
use renkei::tui::screens::ScreenId as Screen;
use renkei::tui::screens::meeting::Meeting;
use renkei::tui::theme::Theme;
use renkei::tui::{self, Follow, handle};

type Time = Arc<Mutex<DateTime<FixedOffset>>>;

/// One person's renkei: their own connection (as their Unix user) and app.
struct Person {
    store: Store,
    app: App,
    follow: Follow,
}

impl Person {
    fn new(db: &TempDb, user: &str, time: &Time) -> Person {
        let shared = Arc::clone(time);
        let clock = Clock::from_fn(move || *shared.lock().unwrap());
        let mut store = Store::open(&db.path, clock.clone()).unwrap();
        store.set_user(user);
        let app = App::new(
            Lang::Ja,
            Theme::mono(),
            Keymap::default_keymap(),
            clock.now(),
        );
        let mut p = Person {
            store,
            app,
            follow: Follow::default(),
        };
        tui::start(&mut p.app, &mut p.store);
        p
    }

    fn key(&mut self, spec: &str) {
        let key = parse_key(spec).unwrap();
        handle(
            &mut self.app,
            &mut self.store,
            &Event::Key(KeyEvent::new(key.code, key.modifiers)),
        );
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

    /// What the loop does on every tick: notice others' commits, then redraw.
    fn tick(&mut self) -> String {
        self.follow.tick(&mut self.app, &mut self.store);
        tui::refresh(&mut self.app, &self.store);
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        self.app.ctx.now = self.store.now();
        terminal.draw(|f| tui::draw(f, &self.app)).unwrap();
        tui::buffer_text(terminal.backend().buffer())
    }

    fn open_live(&mut self, meeting: i64) {
        self.app.open(Screen::Live(meeting));
        tui::refresh(&mut self.app, &self.store);
    }

    fn note(&mut self, text: &str) {
        self.key("n");
        self.typed(text);
        self.key("enter");
    }
}

/// The demo as `sato` loads it at [`NOW`], made once per test binary, copied.
fn sato_demo() -> TempDb {
    TempDb::holding(common::sato_demo())
}

fn setup() -> (TempDb, Time, Person, Person, i64) {
    let db = sato_demo();
    let time: Time = Arc::new(Mutex::new(DateTime::parse_from_rfc3339(NOW).unwrap()));
    let mut sato = Person::new(&db, "sato", &time);
    let mut tanaka = Person::new(&db, "tanaka", &time);
    // Sato opens the 就労支援部会 now; Tanaka joins the same live meeting.
    sato.key("2");
    sato.key("/");
    sato.typed("就労支援部会");
    sato.key("enter");
    // Held now: the place left empty, then begun from the setup.
    sato.key("n");
    sato.key("enter");
    sato.key("b");
    let Screen::Live(id) = sato.app.screen() else {
        panic!("sato is not in the meeting")
    };
    tanaka.open_live(id);
    (db, time, sato, tanaka, id)
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn both_capture_into_one_meeting_and_see_each_other() {
    let (_db, _time, mut sato, mut tanaka, id) = setup();
    sato.tick();
    tanaka.tick();
    for i in 0..5 {
        sato.note(&format!("佐藤のメモ{i}"));
        tanaka.note(&format!("田中のメモ{i}"));
    }
    let entries = count(
        &sato.store,
        "SELECT COUNT(*) FROM agenda_entries WHERE text LIKE '%のメモ%'",
    );
    assert_eq!(entries, 10, "every entry once");
    let by: Vec<String> = sato
        .store
        .conn()
        .prepare(
            "SELECT DISTINCT created_by FROM agenda_entries WHERE text LIKE '%のメモ%' ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(by, ["sato", "tanaka"], "each entry records who made it");
    // Each one's next tick shows the other's last entry: the views converge.
    let sato_sees = sato.tick();
    let tanaka_sees = tanaka.tick();
    assert!(sato_sees.contains("田中のメモ4"), "{sato_sees}");
    assert!(tanaka_sees.contains("佐藤のメモ4"), "{tanaka_sees}");
    assert_eq!(sato.store.contributors(id).unwrap(), ["sato", "tanaka"]);
}

#[test]
fn a_commit_elsewhere_is_noticed_on_the_next_tick() {
    let (_db, _time, mut sato, mut tanaka, id) = setup();
    tanaka.tick();
    let item = sato
        .app
        .find::<Meeting>()
        .and_then(Meeting::meeting)
        .and_then(|m| m.current_item)
        .unwrap();
    sato.store
        .add_entry(item, EntryKind::Decision, "支援会議に切り替える")
        .unwrap();
    // No key pressed by Tanaka: the tick (every 250 ms in the real loop) alone brings it in.
    let screen = tanaka.tick();
    assert!(screen.contains("支援会議に切り替える"), "{screen}");
    let _ = id;
}

#[test]
fn only_the_chair_moves_the_agenda_and_the_chair_can_be_taken() {
    let (_db, _time, mut sato, mut tanaka, id) = setup();
    assert_eq!(
        sato.store.chair(id).unwrap(),
        "sato",
        "whoever begins holds the chair"
    );
    tanaka.key(">");
    let screen = tanaka.tick();
    assert!(
        screen.contains("議題を進めるのは sato さんです"),
        "{screen}"
    );
    assert!(matches!(
        tanaka.store.step_agenda(id, 1),
        Err(StoreError::NotChair { .. })
    ));
    tanaka.key("C");
    assert_eq!(tanaka.store.chair(id).unwrap(), "tanaka");
    let before = tanaka.store.live_meeting(id).unwrap().unwrap().current_item;
    tanaka.key(">");
    let after = tanaka.store.live_meeting(id).unwrap().unwrap().current_item;
    assert_ne!(before, after, "the new chair moves the agenda");
    assert!(matches!(
        sato.store.step_agenda(id, 1),
        Err(StoreError::NotChair { .. })
    ));
    let trail = sato.store.audit_trail(Some(id)).unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "take_chair" && e.by == "tanaka")
    );
}

#[test]
fn editing_an_entry_someone_else_changed_is_refused_and_told() {
    let (_db, _time, mut sato, mut tanaka, _id) = setup();
    sato.note("訪問は来週");
    tanaka.tick();
    // Both open the same note for correction.
    for p in [&mut sato, &mut tanaka] {
        p.key("tab");
        p.key("tab");
        p.key("e");
    }
    tanaka.typed("（火曜）");
    tanaka.key("enter");
    sato.typed("（水曜）");
    sato.key("enter");
    let text: String = sato
        .store
        .conn()
        .query_row(
            "SELECT text FROM agenda_entries WHERE text LIKE '訪問は来週%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(text, "訪問は来週（火曜）", "the first edit stands");
    let screen = sato.tick();
    assert!(
        screen.contains("他の人が先に変更したため保存しませんでした"),
        "{screen}"
    );
    // At the store level too.
    let id: i64 = sato
        .store
        .conn()
        .query_row(
            "SELECT id FROM agenda_entries WHERE text = ?1",
            [&text],
            |r| r.get(0),
        )
        .unwrap();
    match sato
        .store
        .edit_text(Entity::Entry, id, Some("訪問は来週"), "上書き")
    {
        Err(StoreError::Conflict { current }) => assert_eq!(current, "訪問は来週（火曜）"),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn presence_expires_without_a_heartbeat() {
    let (_db, time, mut sato, mut tanaka, id) = setup();
    // Tanaka set a display name in the config; it is shown with the login.
    tanaka.app.ctx.prefs.name = Some("田中由美".to_owned());
    sato.tick();
    tanaka.tick();
    let present: Vec<String> = sato
        .store
        .present(Some(id))
        .unwrap()
        .into_iter()
        .map(|p| p.user)
        .collect();
    assert!(present.contains(&"tanaka".to_owned()), "{present:?}");
    let screen = sato.tick();
    assert!(screen.contains("同席:田中由美 (tanaka)"), "{screen}");
    // Tanaka's process is killed: no more heartbeats. Sato keeps going.
    drop(tanaka);
    for _ in 0..4 {
        *time.lock().unwrap() += Duration::seconds(10);
        sato.tick();
    }
    let present: Vec<String> = sato
        .store
        .present(Some(id))
        .unwrap()
        .into_iter()
        .map(|p| p.user)
        .collect();
    assert_eq!(
        present,
        ["sato"],
        "a dead session's presence expires by itself"
    );
}

#[test]
fn viewing_and_exporting_minutes_is_audited() {
    let (db, _time, mut sato, mut tanaka, id) = setup();
    sato.note("記録");
    tanaka.key("m");
    tanaka.tick();
    tanaka.app.ctx.export_dir = db.dir.path().to_owned();
    tanaka.key("R");
    // w asks the format: Markdown is offered first.
    tanaka.key("w");
    tanaka.key("enter");
    let trail = sato.store.audit_trail(Some(id)).unwrap();
    let actions: Vec<(String, String)> = trail
        .iter()
        .filter(|e| e.action.ends_with("minutes"))
        .map(|e| (e.by.clone(), e.action.clone()))
        .collect();
    assert!(
        actions.contains(&("tanaka".to_owned(), "view_minutes".to_owned())),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("tanaka".to_owned(), "export_minutes".to_owned())),
        "{actions:?}"
    );
    assert!(trail.iter().any(|e| e.action == "create" && e.by == "sato"));
}

#[test]
fn audit_on_the_command_line() {
    let (db, _time, mut sato, _tanaka, id) = setup();
    sato.note("CLI から見る記録");
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("renkei")
            .unwrap()
            .env("RENKEI_NOW", NOW)
            .env("USER", "suzuki")
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(
        run(&["minutes", &id.to_string(), "--redact"])
            .status
            .success()
    );
    let out = run(&["audit", "--meeting", &id.to_string(), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    // The command line records its real uid's login, whatever $USER says.
    let login = renkei::store::current_user();
    assert_ne!(login, "suzuki");
    assert!(
        rows.iter().any(|r| r["by"] == login.as_str()
            && r["action"] == "export_minutes"
            && r["detail"] == "stdout (redacted)"),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r["by"] == "sato" && r["action"] == "create")
    );
    assert!(rows.iter().all(|r| r["meeting_id"] == id));
    // The table says the action in the reader's language (JSON keeps the code).
    let table = String::from_utf8(run(&["audit"]).stdout).unwrap();
    assert!(table.contains("議事録の出力"), "{table}");
    assert!(!table.contains("export_minutes"), "{table}");
    let table = String::from_utf8(run(&["--lang", "en", "audit"]).stdout).unwrap();
    assert!(table.contains("export minutes"), "{table}");
}

/// Attack report 7, finding 14 (data loss): a correction of a line a colleague removed
/// meanwhile said 保存しました and was written into the removed line — in no minutes. It is
/// refused now, naming who removed it, and the form keeps what was typed. (Seen failing
/// before: saved into the removed row.)
#[test]
fn correcting_a_line_someone_removed_meanwhile_is_refused_and_told() {
    let (_db, _time, mut sato, mut tanaka, _id) = setup();
    sato.note("訪問は来週");
    tanaka.tick();
    sato.key("tab");
    sato.key("tab");
    sato.key("e");
    sato.typed("（水曜）");
    tanaka.key("tab");
    tanaka.key("tab");
    tanaka.key("x");
    tanaka.key("enter");
    let removed = count(
        &tanaka.store,
        "SELECT COUNT(*) FROM agenda_entries WHERE text = '訪問は来週' AND deleted_at IS NOT NULL",
    );
    assert_eq!(removed, 1, "tanaka removed the note");
    sato.key("enter");
    let screen = sato.tick();
    assert!(screen.contains("tanaka さんが削除しました"), "{screen}");
    assert!(
        screen.contains("訪問は来週（水曜）"),
        "the typed text is kept: {screen}"
    );
    assert_eq!(
        count(
            &sato.store,
            "SELECT COUNT(*) FROM agenda_entries WHERE text LIKE '訪問は来週%' AND text <> '訪問は来週'"
        ),
        0,
        "nothing written into the removed line"
    );
    // Enter again adds what was typed as a new line, as the refusal says (round 32b, finding
    // 7: it failed the same way each time, and the text could only be let go). Seen failing
    // before the fix.
    sato.key("enter");
    sato.tick();
    assert_eq!(
        count(
            &sato.store,
            "SELECT COUNT(*) FROM agenda_entries
              WHERE text = '訪問は来週（水曜）' AND deleted_at IS NULL AND created_by = 'sato'"
        ),
        1,
        "the correction added as a new line"
    );
    assert_eq!(
        count(
            &sato.store,
            "SELECT COUNT(*) FROM agenda_entries WHERE text = '訪問は来週' AND deleted_at IS NULL"
        ),
        0,
        "the removed line stays removed"
    );
}

/// Attack report 7, finding 15 (wrong record): a carried action continued (`N`) by one
/// facilitator while a colleague marked it done (`D`) was saved over the 完了 without a word —
/// open again, the colleague's closing undone. The save is refused now, saying what the action
/// became, the form kept; Enter again continues it, knowingly. (Seen failing before: continued
/// at once.)
#[test]
fn continuing_an_action_a_colleague_closed_meanwhile_is_refused_and_told() {
    let (_db, _time, mut sato, mut tanaka, _live) = setup();
    // A planned meeting whose setup lists open actions of its body's earlier meetings.
    let id: i64 = count(
        &sato.store,
        "SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id
         WHERE b.name = '支援方針検討会議' AND m.status = 'planned' AND m.started_at IS NULL
           AND EXISTS (SELECT 1 FROM next_actions a JOIN meetings p ON p.id = a.meeting_id
                       WHERE p.body_id = m.body_id AND p.id <> m.id AND a.status = 'open'
                         AND a.deleted_at IS NULL)
         ORDER BY m.date LIMIT 1",
    );
    for p in [&mut sato, &mut tanaka] {
        p.app.open(Screen::Setup(id));
        tui::refresh(&mut p.app, &p.store);
        p.key("backtab");
    }
    let open = |store: &Store| {
        count(
            store,
            "SELECT COUNT(*) FROM next_actions WHERE status = 'open'",
        )
    };
    let before = open(&sato.store);
    sato.key("N");
    sato.typed("12/20");
    sato.key("tab");
    sato.typed("様式を郵送済み");
    tanaka.key("D");
    tanaka.tick();
    assert_eq!(open(&tanaka.store), before - 1, "tanaka marked it done");
    sato.key("enter");
    let screen = sato.tick();
    assert_eq!(
        open(&sato.store),
        before - 1,
        "not continued over it: {screen}"
    );
    assert!(
        screen.contains("先に「完了」にしたため保存しませんでした"),
        "{screen}"
    );
    assert!(
        screen.contains("様式を郵送済み"),
        "the typed text is kept: {screen}"
    );
    // Enter again: continued, knowingly.
    sato.key("enter");
    sato.tick();
    assert_eq!(open(&sato.store), before);
}

/// Attack report 7, finding 21 (privacy / audit): `search` — on the command line and the TUI's
/// `F` — showed the words of confidential meetings' notes and left no line in the audit, nor
/// did the TUI's case screen, where a household's record is read; every other reader does.
/// Each search (its words, how many it showed) and each case screen opened is audited now.
/// (Seen failing before: no line.)
#[test]
fn searching_and_reading_a_case_on_screen_are_audited() {
    let (db, _time, mut sato, _tanaka, _id) = setup();
    let lines = |store: &Store, action: &str| {
        count(
            store,
            &format!("SELECT COUNT(*) FROM audit WHERE action = '{action}'"),
        )
    };
    let out = common::renkei_at(&db.path)
        .env("RENKEI_USER", "suzuki")
        .args(["search", "本人"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let by: String = sato
        .store
        .conn()
        .query_row(
            "SELECT by || ' ' || detail FROM audit WHERE action = 'search'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(by.contains("\"本人\"") && by.contains("hits"), "{by}");
    // The TUI: F, the words, the hit list.
    sato.app.open(Screen::Search);
    sato.app.ctx.filter = "本人".to_owned();
    tui::refresh(&mut sato.app, &sato.store);
    sato.tick();
    assert_eq!(lines(&sato.store, "search"), 2);
    // The same list read again is not a new search.
    sato.tick();
    assert_eq!(lines(&sato.store, "search"), 2);
    // A case's screen, once.
    let case = sato.store.find_case("A世帯").unwrap().unwrap();
    sato.app.open(Screen::Case { case, at: None });
    tui::refresh(&mut sato.app, &sato.store);
    sato.tick();
    sato.tick();
    assert_eq!(lines(&sato.store, "view_case"), 1);
}

/// Attack report 7, finding 23 (wrong record): `n` (hold now) on a body whose meeting was
/// already running — a colleague began it, or the same facilitator's terminal lost with its SSH
/// link — made a second running meeting of the same sitting, and each one's notes went to a
/// different meeting. The running one is opened now, said so, and nothing is made. (Seen failing
/// before: a second meeting.)
#[test]
fn holding_now_a_meeting_that_runs_already_opens_it() {
    let (_db, _time, _sato, mut tanaka, id) = setup();
    let meetings = |store: &Store| count(store, "SELECT COUNT(*) FROM meetings");
    let before = meetings(&tanaka.store);
    let screen = tanaka.hold_now();
    assert_eq!(
        meetings(&tanaka.store),
        before,
        "no second meeting: {screen}"
    );
    assert_eq!(tanaka.app.screen(), Screen::Live(id));
    assert!(screen.contains("すでに開催中です"), "{screen}");
}

impl Person {
    /// `n` on the 就労支援部会 from the bodies screen, the place left empty.
    fn hold_now(&mut self) -> String {
        self.key("2");
        self.key("/");
        self.key("esc");
        self.key("/");
        self.typed("就労支援部会");
        self.key("enter");
        self.key("n");
        self.key("enter");
        self.tick()
    }
}

/// Attack report 8, finding 12 (wrong record): `n` joined a meeting of the body left running
/// since another day (a terminal lost on 11/20, `n` on 11/22): today's sitting went into the
/// 11/20 meeting's record. Only a meeting begun today is today's sitting. (Seen failing before:
/// joined the meeting of two days ago.)
#[test]
fn holding_now_does_not_join_a_meeting_left_running_since_another_day() {
    let (_db, time, _sato, mut tanaka, id) = setup();
    *time.lock().unwrap() += Duration::days(2);
    let screen = tanaka.hold_now();
    let Screen::Setup(new) = tanaka.app.screen() else {
        panic!("a new meeting's setup: {screen}");
    };
    assert_ne!(new, id);
    assert!(!screen.contains("すでに開催中です"), "{screen}");
}

/// A colleague pressed `n` and is in the setup, not begun yet: the second `n` made a second
/// meeting of the same sitting (report 7's 23 left this). It opens that setup, says so, makes
/// nothing; a meeting scheduled for this evening is another sitting. (Seen failing before: a
/// second meeting.)
#[test]
fn holding_now_a_meeting_a_colleague_set_up_opens_its_setup() {
    let db = sato_demo();
    let time: Time = Arc::new(Mutex::new(DateTime::parse_from_rfc3339(NOW).unwrap()));
    let mut sato = Person::new(&db, "sato", &time);
    let mut tanaka = Person::new(&db, "tanaka", &time);
    let meetings = |store: &Store| count(store, "SELECT COUNT(*) FROM meetings");
    sato.hold_now();
    let Screen::Setup(set_up) = sato.app.screen() else {
        panic!("sato is in the setup");
    };
    let before = meetings(&tanaka.store);
    // The place typed is said not to be used (attack report 9, finding 16).
    tanaka.key("2");
    tanaka.key("/");
    tanaka.key("esc");
    tanaka.key("/");
    tanaka.typed("就労支援部会");
    tanaka.key("enter");
    tanaka.key("n");
    tanaka.typed("会議室B");
    tanaka.key("enter");
    let screen = tanaka.tick();
    assert_eq!(
        meetings(&tanaka.store),
        before,
        "no second meeting: {screen}"
    );
    assert_eq!(tanaka.app.screen(), Screen::Setup(set_up));
    assert!(screen.contains("準備済みの会議を開きました"), "{screen}");
    assert!(screen.contains("「会議室B」は使っていません"), "{screen}");

    // Three hours later the set-up meeting is not this sitting: a new one is made.
    *time.lock().unwrap() += Duration::hours(3);
    let screen = tanaka.hold_now();
    assert_eq!(meetings(&tanaka.store), before + 1, "{screen}");
}

/// Attack report 7, finding 31 (wrong record): the case screen's consent form (`c`) saved 同意
/// 有 over a colleague's 同意 無 recorded meanwhile, without a word — the next meeting then
/// shared the household's information on a consent the person refused. The form keeps the
/// consent it opened on: refused, said, the form kept; Enter again saves. (Seen failing before:
/// saved over.)
#[test]
fn a_consent_a_colleague_recorded_meanwhile_is_not_saved_over_unseen() {
    let (_db, _time, mut sato, mut tanaka, _id) = setup();
    let case = sato.store.find_case("A世帯").unwrap().unwrap();
    let consent = |store: &Store| -> String {
        store
            .conn()
            .query_row("SELECT consent FROM cases WHERE id = ?1", [case], |r| {
                r.get(0)
            })
            .unwrap()
    };
    let before = consent(&sato.store);
    for p in [&mut sato, &mut tanaka] {
        p.app.open(Screen::Case { case, at: None });
        tui::refresh(&mut p.app, &p.store);
        p.key("c");
    }
    sato.key("right");
    tanaka.key("right");
    tanaka.key("right");
    tanaka.key("enter");
    let theirs = consent(&tanaka.store);
    assert_ne!(theirs, before, "tanaka recorded another consent");
    sato.key("enter");
    let screen = sato.tick();
    assert_eq!(consent(&sato.store), theirs, "not saved over: {screen}");
    assert!(screen.contains("他の人が先に同意を"), "{screen}");
    sato.key("enter");
    sato.tick();
    let mine = consent(&sato.store);
    assert!(mine != theirs && mine != before, "saved, knowingly: {mine}");
}

/// Attack report 9, finding 11 (wrong record): two facilitators pressing `n` on the same body
/// at the same moment got two meetings (2 tries in 8): the look for the sitting's meeting and
/// the making of a new one were two steps. One write now: whoever comes second joins the first's.
/// (Seen failing before, as the attack saw it: now and then two meetings.)
#[test]
fn two_holding_now_at_one_moment_make_one_meeting() {
    let db = sato_demo();
    let time: Time = Arc::new(Mutex::new(DateTime::parse_from_rfc3339(NOW).unwrap()));
    let first = Person::new(&db, "sato", &time);
    let bodies: Vec<i64> = first
        .store
        .conn()
        .prepare("SELECT id FROM bodies ORDER BY id LIMIT 12")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let today = first.store.now().date_naive();
    for body in bodies {
        let before = count(
            &first.store,
            &format!("SELECT COUNT(*) FROM meetings WHERE body_id = {body}"),
        );
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let made: Vec<Option<bool>> = ["sato", "tanaka"]
            .into_iter()
            .map(|user| {
                let path = db.path.clone();
                let start = std::sync::Arc::clone(&start);
                let clock = first.store.clock().clone();
                std::thread::spawn(move || {
                    let mut store = Store::open(&path, clock).unwrap();
                    store.set_user(user);
                    let meeting = renkei::store::capture::NewMeeting {
                        body_id: body,
                        date: today,
                        start: Some("10:00".to_owned()),
                        end: None,
                        place: String::new(),
                    };
                    start.wait();
                    store.hold_now(&meeting).unwrap().1
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        let after = count(
            &first.store,
            &format!("SELECT COUNT(*) FROM meetings WHERE body_id = {body}"),
        );
        assert_eq!(after, before + 1, "body {body}: {made:?}");
        assert_eq!(made.iter().filter(|m| m.is_none()).count(), 1, "{made:?}");
    }
}
