//! What the record says happened, and who can change it (session 11): approved minutes that
//! say it when a case is renamed after approval (finding 6), one next review date for the case
//! record, the ledger and `--due` (finding 4), recorded times `RENKEI_NOW` cannot forge on a
//! real database (finding 8), `--demo`'s owner-only directory whatever the umask (finding 13),
//! and the store's errors in Japanese first.

use crate::common;

use common::{TempDb, renkei};
use renkei::store::Store;
use renkei::store::cases::LedgerFilter;

/// A case of the demo discussed at a held meeting, and that meeting.
fn held_case(store: &Store) -> (i64, i64) {
    store
        .conn()
        .query_row(
            "SELECT k.case_id, k.meeting_id FROM meeting_cases k
             JOIN meetings m ON m.id = k.meeting_id
             WHERE m.status = 'held' AND k.deleted_at IS NULL
             ORDER BY m.date DESC, m.id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// Finding 6: a case renamed after its meeting's minutes were approved changed the approved
/// minutes silently (they are read from the tables). Now the rename is listed under 修正履歴
/// (who, when, the name before and after), in the minutes as exported and as the TUI reads
/// them. (Seen failing before: 修正履歴 said なし.)
#[test]
fn a_case_renamed_after_approval_is_an_amendment_of_the_minutes() {
    let db = common::demo_loaded();
    let mut store = db.open();
    let (case, meeting) = held_case(&store);
    let before = store.case_detail(case).unwrap().unwrap().row.pseudonym;
    store.approve_minutes(meeting).unwrap();
    let approved = common::output_of(renkei(&db).args(["minutes", &meeting.to_string()]));
    assert!(approved.contains(&before), "{approved}");
    assert!(
        common::section(&approved, "修正履歴").contains("なし"),
        "{approved}"
    );

    let mut e = store.case_detail(case).unwrap().unwrap().edit();
    e.pseudonym = "改名後の世帯".to_owned();
    store.update_case(case, &e, None).unwrap();

    let now = common::output_of(renkei(&db).args(["minutes", &meeting.to_string()]));
    let history = common::section(&now, "修正履歴");
    let line = history
        .lines()
        .find(|l| l.contains("事例名"))
        .unwrap_or_else(|| panic!("the rename is not in the history:\n{now}"));
    assert!(line.contains(&before), "{line}");
    assert!(line.contains("改名後の世帯"), "{line}");
    assert!(line.contains(store.user()), "who: {line}");
    assert!(line.contains("2026"), "when: {line}");
    // In English too, and as the store gives the minutes to the TUI.
    let en = common::output_of(renkei(&db).args(["minutes", &meeting.to_string(), "--lang", "en"]));
    assert!(
        common::section(&en, "Amendments").contains("Case name"),
        "{en}"
    );
    let input = store.minutes_input(meeting).unwrap().unwrap();
    let amendment = input
        .amendments
        .iter()
        .find(|a| a.entity == "meeting" && a.field == "case_name")
        .expect("an amendment of the case's name");
    assert_eq!(amendment.old_value.as_deref(), Some(before.as_str()));
    assert_eq!(amendment.new_value.as_deref(), Some("改名後の世帯"));

    // Renamed by an import (an export edited elsewhere): an amendment too.
    let mut doc = renkei::interchange::parse_json(&renkei::interchange::to_json(
        &store.export_document().unwrap(),
    ))
    .unwrap();
    let uid = store.case_detail(case).unwrap().unwrap().row.uid;
    let record = doc
        .cases
        .iter_mut()
        .find(|c| c.uid.map(|u| u.to_string()) == Some(uid.clone()))
        .unwrap();
    record.pseudonym = "取込で改名した世帯".to_owned();
    let file = db.file(
        "renamed.json",
        renkei::interchange::to_json(&doc).as_bytes(),
    );
    let summary = store
        .import_files(
            std::slice::from_ref(&file),
            renkei::store::tabular::Encoding::Auto,
        )
        .unwrap();
    assert_eq!(summary.cases.updated, 1, "{summary:?}");
    let input = store.minutes_input(meeting).unwrap().unwrap();
    let names: Vec<_> = input
        .amendments
        .iter()
        .filter(|a| a.entity == "meeting" && a.field == "case_name")
        .map(|a| (a.old_value.clone().unwrap(), a.new_value.clone().unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            (before.clone(), "改名後の世帯".to_owned()),
            ("改名後の世帯".to_owned(), "取込で改名した世帯".to_owned())
        ]
    );

    // A meeting whose minutes are not approved yet shows the new name with no amendment.
    let drafts: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM changes WHERE field = 'case_name' AND amendment = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(drafts, 0);
}

/// Finding 4: the case record said 未設定 for 次回確認日 where the ledger and `cases --due` gave
/// the date the review rules make (from the last meeting). One function makes the date; the
/// record, the case screen's row, the ledger and `--due` agree on every case of the demo, one
/// of which has no date set. (Seen failing before: the record's date was None.)
#[test]
fn the_case_record_the_ledger_and_due_give_one_next_review_date() {
    let db = common::demo_loaded();
    let store = db.open();
    let (unset, _) = held_case(&store);
    store
        .conn()
        .execute("UPDATE cases SET next_review = NULL WHERE id = ?1", [unset])
        .unwrap();
    let today = store.clock().today();
    let ledger = store.case_ledger(LedgerFilter::All, false).unwrap();
    let due = store.case_ledger(LedgerFilter::All, true).unwrap();
    assert!(ledger.len() >= 2);
    let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    for row in &ledger {
        let record = store.case_record_input(row.id).unwrap().unwrap();
        assert_eq!(
            record.case.next_review,
            iso(row.next_review),
            "case {} ({})",
            row.id,
            row.pseudonym
        );
        let screen = store.case_detail(row.id).unwrap().unwrap();
        assert_eq!(screen.row.next_review, row.next_review);
        let listed = due.iter().any(|d| d.id == row.id);
        assert_eq!(listed, row.review_due(today), "case {}", row.id);
    }
    let row = ledger.iter().find(|r| r.id == unset).unwrap();
    let date = iso(row.next_review).expect("the rules give a date");
    // The record as `renkei case` writes it.
    let md = common::output_of(renkei(&db).args(["case", &row.pseudonym]));
    let line = md
        .lines()
        .find(|l| l.contains("次回確認日"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(!line.contains("未設定"), "{line}");
    let json = common::output_of(renkei(&db).args(["case", &row.pseudonym, "--format", "json"]));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["case"]["next_review"], date.as_str(), "{json}");
    let ledger_json =
        common::output_of(renkei(&db).args(["cases", "--status", "all", "--format", "json"]));
    let value: serde_json::Value = serde_json::from_str(&ledger_json).unwrap();
    let item = value
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["pseudonym"] == row.pseudonym.as_str())
        .unwrap();
    assert_eq!(item["next_review"], date.as_str());
}

/// The database's approval time and audit times of `meeting`.
fn stamps(path: &std::path::Path, meeting: i64) -> (String, Vec<String>) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let approved: String = conn
        .query_row(
            "SELECT approved_at FROM meetings WHERE id = ?1",
            [meeting],
            |r| r.get(0),
        )
        .unwrap();
    let audit = conn
        .prepare("SELECT at FROM audit WHERE action LIKE '%approve%' OR meeting_id = ?1")
        .unwrap()
        .query_map([meeting], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap();
    (approved, audit)
}

fn held_unapproved(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(
        "SELECT id FROM meetings WHERE status = 'held' AND minutes_state <> 'approved'
         ORDER BY date DESC, id DESC LIMIT 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Finding 8: anyone could set `RENKEI_NOW` and date approvals and audit lines as they liked.
/// On a real database (made under the system clock) an approval under `RENKEI_NOW=2020-…` is
/// recorded at the real time, its audit line too; `RENKEI_NOW` still moves "today" there. A
/// database made under `RENKEI_NOW` (the tests', a demo's) keeps its time. (Seen failing
/// before: approved_at 2020-04-01T10:00:00+09:00.)
#[test]
fn renkei_now_does_not_date_the_approval_of_a_real_database() {
    let db = TempDb::new();
    // Made as a ward makes it: no RENKEI_NOW.
    common::succeeds(renkei(&db).env_remove("RENKEI_NOW").arg("demo"));
    let meeting = held_unapproved(&db.path);
    let before = chrono::Utc::now() - chrono::Duration::seconds(5);
    common::succeeds(
        renkei(&db)
            .env("RENKEI_NOW", "2020-04-01")
            .args(["approve", &meeting.to_string()]),
    );
    let after = chrono::Utc::now() + chrono::Duration::seconds(5);
    let (approved, audit) = stamps(&db.path, meeting);
    let real = |at: &str| {
        let at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
        at >= before && at <= after
    };
    assert!(real(&approved), "approved at {approved}");
    assert!(!audit.is_empty());
    for at in &audit {
        assert!(!at.starts_with("2020"), "audit at {at}");
    }
    let minutes = common::output_of(
        renkei(&db)
            .env("RENKEI_NOW", "2020-04-01")
            .args(["minutes", &meeting.to_string()]),
    );
    assert!(!minutes.contains("2020-04-01"), "{minutes}");
    // "Today" is still RENKEI_NOW's there: the fiscal year of a report, the due lists.
    let upcoming = common::output_of(
        renkei(&db)
            .env("RENKEI_NOW", "2020-04-01")
            .args(["upcoming", "--days", "3", "--format", "json"]),
    );
    assert!(upcoming.contains("2020-04"), "{upcoming}");

    // A database made under RENKEI_NOW (a test's, a demo's) is dated by it.
    let test = TempDb::new();
    common::succeeds(renkei(&test).arg("demo"));
    let meeting = held_unapproved(&test.path);
    common::succeeds(
        renkei(&test)
            .env("RENKEI_NOW", "2026-11-22T09:00:00+09:00")
            .args(["approve", &meeting.to_string()]),
    );
    assert_eq!(stamps(&test.path, meeting).0, "2026-11-22T09:00:00+09:00");
}

/// The modes `renkei --demo check` reports for its temporary directory and its files, run
/// under `umask`.
fn demo_modes(umask: &str) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("renkei");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" --demo check"))
        .arg(bin)
        .env("RENKEI_NOW", common::NOW)
        .env("LANG", "ja_JP.UTF-8")
        .env_remove("RENKEI_DB")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .skip_while(|l| !l.starts_with("ファイルの権限"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim().to_owned())
        .collect()
}

/// Finding 13: `renkei --demo`'s temporary directory followed the umask (0755 under 022, 0777
/// under 000). It is 0700 whatever the umask, its database 0600. (Seen failing before: 0755
/// and 0777.)
#[test]
fn the_demos_directory_is_owner_only_whatever_the_umask() {
    for umask in ["022", "000", "002"] {
        let modes = demo_modes(umask);
        assert!(modes.len() >= 2, "umask {umask}: {modes:?}");
        for line in &modes {
            let (mode, path) = line.split_once(' ').unwrap();
            let want = if path.ends_with('/') { "0700" } else { "0600" };
            assert_eq!(mode, want, "umask {umask}: {line}");
        }
        assert!(
            modes.iter().any(|l| l.contains("renkei-demo-")),
            "{modes:?}"
        );
    }
}

/// The store's errors named in the brief ("the body vanished", "malformed uid", "bad date",
/// a next action or a meeting not found) are said from messages.toml, Japanese first.
#[test]
fn the_stores_errors_are_said_in_japanese_first() {
    let db = common::demo_loaded();
    let mut store = db.open();
    let said = |e: renkei::store::StoreError| match e {
        renkei::store::StoreError::Said(msg) => msg.render(renkei::i18n::Lang::Ja),
        other => panic!("not said from the catalogue: {other}"),
    };
    let err = store.continue_action(999_999, None, None, "").unwrap_err();
    assert_eq!(said(err), "次回までの対応 999999 はありません");
    let action: i64 = store
        .conn()
        .query_row("SELECT MIN(id) FROM next_actions", [], |r| r.get(0))
        .unwrap();
    let err = store
        .continue_action(action, Some(999_999), None, "")
        .unwrap_err();
    assert!(said(err).starts_with("会議 999999 はありません"));
    for key in [
        "action_not_found",
        "meeting_date_unreadable",
        "import_body_vanished",
        "import_case_uid_malformed",
    ] {
        let ja = renkei::i18n::say(renkei::i18n::Lang::Ja, key, &[]);
        let en = renkei::i18n::say(renkei::i18n::Lang::En, key, &[]);
        assert_ne!(ja, en, "{key}");
        assert!(!ja.is_ascii(), "{key}: {ja}");
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, english) in [
        ("src/store/review.rs", "not found"),
        ("src/store/merge.rs", "the body vanished"),
        ("src/store/cases/merge.rs", "malformed uid"),
        ("src/store/cases/review.rs", "bad date"),
    ] {
        let source = std::fs::read_to_string(root.join(file)).unwrap();
        let code = source.split("#[cfg(test)]").next().unwrap();
        assert!(!code.contains(english), "{file}: {english}");
    }
}
