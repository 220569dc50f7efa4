//! Vocabularies as data: the annual report folds the variants of a case issue category into it
//! (ゴミ屋敷 = ごみ屋敷 = ｺﾞﾐ屋敷 = ゴミやしき), counts a text not in the list as itself and
//! flags it new, and takes the categories a config file adds.

use crate::common;

use common::{TempDb, renkei};
use renkei::domain::model::MeetingStatus;
use renkei::store::capture::NewMeeting;
use std::path::PathBuf;

fn config(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/valid_configs")
        .join(name)
}

/// Four meetings held in 令和8年度, with their issues written as people write them.
fn meetings_with_issues() -> TempDb {
    let db = TempDb::new();
    let mut store = db.open();
    store
        .conn()
        .execute(
            "INSERT INTO bodies (name, organiser, created_at, updated_at)
             VALUES ('つながる場', '保健福祉課', 'x', 'x')",
            [],
        )
        .unwrap();
    let body = store.conn().last_insert_rowid();
    let issues: [&[&str]; 4] = [
        &["ゴミ屋敷", "ごみ屋敷", "ヤングケアラー"],
        &["ｺﾞﾐ屋敷", "ヤング・ケアラー", "精神障害"],
        &["ゴミやしき", "物があふれた家", "やんぐけあらー"],
        &["孤立"],
    ];
    for (i, list) in issues.iter().enumerate() {
        let id = store
            .schedule_meeting(&NewMeeting {
                body_id: body,
                date: chrono::NaiveDate::from_ymd_opt(2026, 5, 10 + i as u32).unwrap(),
                start: None,
                end: None,
                place: String::new(),
            })
            .unwrap();
        for issue in *list {
            store.add_case_issue(id, issue).unwrap();
        }
        store.set_meeting_status(id, MeetingStatus::Held).unwrap();
    }
    db
}

/// The 課題 table of `renkei report --format csv`: (label, count) rows, then the notes.
fn issue_rows(db: &TempDb, config: Option<PathBuf>) -> (Vec<(String, String)>, String) {
    let mut cmd = renkei(db);
    match config {
        Some(path) => cmd.env("RENKEI_CONFIG", path),
        None => cmd.env("RENKEI_CONFIG", db.dir.path().join("none.toml")),
    };
    // An explicit RENKEI_CONFIG that does not exist is a problem said on stderr; the report
    // still runs with the built-in list.
    let out = cmd
        .args(["report", "--fiscal-year", "2026", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // The table under its title and header, to the blank line; its notes are single cells.
    let rows = text
        .lines()
        .skip_while(|l| !l.starts_with("■ 課題,"))
        .skip(2)
        .take_while(|l| !l.starts_with(",,"))
        .map(|l| l.split(',').collect::<Vec<&str>>())
        .filter(|cells| !cells[1].is_empty())
        .map(|cells| (cells[0].to_owned(), cells[1].to_owned()))
        .collect();
    (rows, text)
}

#[test]
fn the_report_folds_variants_and_flags_new_categories() {
    let db = meetings_with_issues();
    let (rows, text) = issue_rows(&db, None);
    // By hand: ゴミ屋敷 in meetings 1 (twice written, once counted), 2 and 3 = 3; the three
    // spellings of ヤングケアラー are not in the built-in list, and a new text is folded in width
    // only, not kana: ヤングケアラー 1, ヤング・ケアラー 1, やんぐけあらー 1 (ties by name); 物があふれた家 1 (new); 精神障害 is 精神障がい（疑い含む） 1; 孤立 1.
    // Total 9 over 4 meetings held: 2.3 per case.
    let expected: Vec<(String, String)> = [
        ("ゴミ屋敷", "3"),
        ("やんぐけあらー", "1"),
        ("ヤングケアラー", "1"),
        ("ヤング・ケアラー", "1"),
        ("孤立", "1"),
        ("物があふれた家", "1"),
        ("精神障がい（疑い含む）", "1"),
        ("総計", "9"),
        ("1事例あたり課題数", "2.3"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(rows, expected, "{text}");
    assert!(
        text.contains(
            "課題の一覧にないもの（新しい課題としてそのまま数えています）: やんぐけあらー、ヤングケアラー、ヤング・ケアラー、物があふれた家"
        ),
        "{text}"
    );
}

#[test]
fn a_config_file_extends_the_list() {
    let db = meetings_with_issues();
    let (rows, text) = issue_rows(&db, Some(config("issues.toml")));
    // ヤングケアラー is a category now (kana folded, ヤング・ケアラー its variant): 3 meetings;
    // 物があふれた家 is a variant of ゴミ屋敷, already counted in meeting 3. Total 8.
    let expected: Vec<(String, String)> = [
        ("ゴミ屋敷", "3"),
        ("ヤングケアラー", "3"),
        ("孤立", "1"),
        ("精神障がい（疑い含む）", "1"),
        ("総計", "8"),
        ("1事例あたり課題数", "2.0"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(rows, expected, "{text}");
    assert!(!text.contains("課題の一覧にないもの"), "{text}");
}
