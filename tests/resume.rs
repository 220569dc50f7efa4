//! Killing renkei mid-meeting loses nothing: a child renkei (the whole app, driven through its
//! script mode) captures entries and is killed with SIGKILL; the database is whole, and the next
//! start offers to resume the meeting where it was.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use common::{NOW, TempDb};

struct Renkei {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Renkei {
    fn start(db: &TempDb) -> Renkei {
        let mut child = Command::new(env!("CARGO_BIN_EXE_renkei"))
            .env("RENKEI_NOW", NOW)
            .env("LANG", "ja_JP.UTF-8")
            .env("USER", "sato")
            .arg("--db")
            .arg(&db.path)
            .arg("--script")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut r = Renkei {
            child,
            stdin,
            stdout,
        };
        assert_eq!(r.line(), "ready");
        r
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line.trim_end().to_owned()
    }

    /// Sends one script command and waits until renkei has handled it (and committed).
    fn send(&mut self, command: &str) {
        writeln!(self.stdin, "{command}").unwrap();
        self.stdin.flush().unwrap();
        assert_eq!(self.line(), "ok", "after {command}");
    }

    fn screen(&mut self) -> String {
        writeln!(self.stdin, "screen").unwrap();
        self.stdin.flush().unwrap();
        let mut text = String::new();
        loop {
            let line = self.line();
            if line == "end" {
                break;
            }
            text.push_str(&line);
            text.push('\n');
        }
        assert_eq!(self.line(), "ok");
        text
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// A database with the demo data.
fn demo() -> TempDb {
    common::demo_copy()
}

#[test]
fn killed_mid_meeting_it_resumes_with_everything() {
    let db = demo();

    let mut r = Renkei::start(&db);
    for command in [
        "key 2",
        "key /",
        "type 就労支援部会",
        "key enter",
        "key n",
        "key enter",
        "key b",
        "key >",
        "key n",
        "type 就労定着の状況を共有した",
        "key enter",
        "key a",
        "type 障害者支援課",
        "key tab",
        "type 事業所アンケートの集計",
        "key tab",
        "type 12/5",
        "key enter",
        "key r",
        "type ハローワーク木場",
        "key tab",
        "type 求人情報の提供",
        "key enter",
    ] {
        r.send(command);
    }
    // Half-typed text in an open form is not yet an entry; everything confirmed is.
    r.send("key d");
    r.send("type 書きかけの決定");
    r.kill();

    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT COUNT(*) FROM meetings WHERE started_at IS NOT NULL AND ended_at IS NULL"),
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM agenda_entries WHERE text = '就労定着の状況を共有した'"),
        1
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM next_actions WHERE text = '事業所アンケートの集計' AND due_date = '2026-12-05'"
        ),
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM role_assignments WHERE responsibility = '求人情報の提供'"),
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM agenda_entries WHERE text LIKE '書きかけ%'"),
        0
    );
    // The agenda was at its second item when it died.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM meetings m JOIN agenda_items i ON i.id = m.current_item_id
             WHERE m.ended_at IS NULL AND i.position = 2"
        ),
        1
    );
    drop(conn);

    let mut again = Renkei::start(&db);
    let offer = again.screen();
    assert!(offer.contains("進行中の会議があります"), "{offer}");
    // Which meeting: its date and the item it stopped at (issue 19, defect 14).
    assert!(
        offer.contains("令和8年11月21日") && offer.contains("開会・前回の振り返り"),
        "{offer}"
    );
    again.send("key enter");
    let live = again.screen();
    assert!(live.contains("進行中"), "{live}");
    assert!(
        live.contains("就労定着の状況を共有した") || live.contains("求人情報の提供"),
        "{live}"
    );
    assert!(live.contains("* 2."), "the agenda is where it was: {live}");
    again.send("key E");
    again.send("key enter");
    again.kill();
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let held: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM meetings WHERE started_at IS NOT NULL AND ended_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(held, 0, "ended after resuming");
}

/// Task formsafe 1, with a real SIGKILL: a note being typed, the typing paused (the script's
/// `idle`: the event loop's idle tick), the process killed. Its text is in the database, and
/// the next start, resuming the meeting, opens the note's form again with it; saved once, it
/// does not come back. (Before: lost — seen failing on the missing draft.)
#[test]
fn a_note_being_typed_when_killed_comes_back_in_its_form() {
    let db = demo();
    let mut r = Renkei::start(&db);
    for command in [
        "key 2",
        "key /",
        "type 就労支援部会",
        "key enter",
        "key n",
        "key enter",
        "key b",
        "key n",
        "type 就労先の見学を調整中",
        "idle",
    ] {
        r.send(command);
    }
    r.kill();
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let kept: String = conn
        .query_row("SELECT fields FROM form_drafts", [], |r| r.get(0))
        .unwrap();
    assert!(kept.contains("就労先の見学を調整中"), "{kept}");
    drop(conn);

    let mut again = Renkei::start(&db);
    again.send("key enter");
    let live = again.screen();
    assert!(
        live.contains("就労先の見学を調整中") && live.contains("戻しました"),
        "{live}"
    );
    again.send("key enter");
    again.kill();
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT COUNT(*) FROM agenda_entries WHERE text = '就労先の見学を調整中'"),
        1
    );
    assert_eq!(count("SELECT COUNT(*) FROM form_drafts"), 0);
}
