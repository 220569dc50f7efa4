//! The lookup of who a published table's cell may name ([`TablePeople`]): the same cells masked
//! as with everyone recorded, and a database that cannot be written read without writing.

use super::*;
use crate::i18n::Lang;
use crate::report::people::Masker;
use rusqlite::OpenFlags;

/// A household (千葉 花子 and her son, a key person), attendees of a held meeting recorded
/// elsewhere, and people who share a family name, written into the database `path`.
fn recorded(path: &std::path::Path) -> Connection {
    let mut conn = Connection::open(path).unwrap();
    crate::store::schema::migrate(&mut conn).unwrap();
    conn.execute_batch(
        "INSERT INTO bodies (id, name, kind, created_at, updated_at)
             VALUES (1, '支援会議', '', 'x', 'x');
         INSERT INTO cases (id, pseudonym, pseudonym_key, opened, status, key_person,
             created_at, updated_at)
             VALUES (1, 'P世帯', 'p世帯', '2025-05-01', 'active', '長男 千葉 大和', 'x', 'x');
         INSERT INTO case_members (case_id, position, relation, name, created_at, updated_at)
             VALUES (1, 1, '本人', '千葉 花子（チバ ハナコ）', 'x', 'x');
         INSERT INTO meetings (id, body_id, date, status, facilitator, recorder, created_at,
             updated_at)
             VALUES (1, 1, '2025-06-01', 'held', '松本 誠', '石川 健', 'x', 'x');",
    )
    .unwrap();
    let attendees = [
        "広島 優（ヒロシマ ユウ）",
        "千葉 一郎",
        "千葉 二郎",
        "千葉 三郎",
        "中村 光",
        "福島 花子",
        "髙橋 まどか",
        "山田 太郎（ヤマダ タロウ）",
        // Each part shared by two texts before it in the keys' order: 髙橋 優 is found by
        // the key of the whole name alone (a part's key reads two texts).
        "髙橋 一郎",
        "中村 優",
        "髙橋 優",
    ];
    for (n, name) in attendees.iter().enumerate() {
        conn.execute(
            "INSERT INTO attendees (meeting_id, position, name, created_at, updated_at)
             VALUES (1, ?1, ?2, 'x', 'x')",
            rusqlite::params![n as i64 + 1, name],
        )
        .unwrap();
    }
    conn
}

/// Cells as the report and the ledger hold them: agencies, reasons and issues, with and without
/// the people written in them in various ways.
const CELLS: [&str; 29] = [
    "千葉県立病院",
    "千葉県の施設へ入所",
    "千葉 花子（長女）",
    "ﾁﾊﾞ ﾊﾅｺ",
    "花子が施設入所",
    "千葉さんの借金",
    "千葉",
    "大和さん",
    "千葉大和",
    "広島優",
    "ひろしま ゆう",
    "Hiroshima Yuu",
    "広島市の病院",
    "広島さんが転居",
    "中村コミュニティ会館",
    "中村宅",
    "名古屋市中村区へ転居",
    "福島県から避難",
    "福島　花子",
    "松本係長",
    "松本市の病院",
    "石川県出身",
    "まどかも同席",
    "山田クリニック",
    "ヤマダ タロウ",
    "地域包括支援センター",
    "健やかに育つ",
    "高齢者虐待",
    "髙橋優が同席",
];

const AGENCIES: [&str; 4] = [
    "千葉県立病院",
    "中村コミュニティ会館",
    "山田クリニック",
    "地域包括支援センター",
];

/// Every cell judged and masked as an agency, a reason and an issue.
fn masked(masker: &mut Masker<'_>) -> Vec<(String, String, String)> {
    CELLS
        .iter()
        .map(|cell| {
            let (mut agency, mut reason, mut issue) =
                ((*cell).to_owned(), (*cell).to_owned(), (*cell).to_owned());
            masker.agency(&mut agency);
            masker.reason(&mut reason);
            masker.issue(&mut issue);
            (agency, reason, issue)
        })
        .collect()
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Looked up cell by cell, the report's and the ledger's masker replaces what it replaces with
/// everyone recorded (`Store::recorded_people`'s kinds: the case's people by every part, the
/// meetings' as recorded elsewhere) — keyed or not yet keyed.
#[test]
fn cells_looked_up_are_masked_as_with_everyone_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let conn = recorded(&dir.path().join("r.db"));
    let mut everyone: Vec<Person> = people(&conn).unwrap();
    for p in &mut everyone {
        if matches!(
            p.kind,
            PersonKind::Facilitator | PersonKind::Recorder | PersonKind::Attendee
        ) {
            p.kind = PersonKind::Recorded;
        }
    }
    let whole = masked(&mut Masker::new(&everyone, &AGENCIES, Lang::Ja));
    // Not keyed yet, read inside a transaction (nothing written); then keyed.
    for keyed in [false, true] {
        if keyed {
            conn.execute_batch("COMMIT").unwrap();
            key_pending(&conn).unwrap();
            assert_eq!(count(&conn, "recorded_unkeyed"), 0);
        } else {
            conn.execute_batch("BEGIN").unwrap();
        }
        let lookup = TablePeople {
            conn: &conn,
            pending: key_pending(&conn).unwrap(),
            failed: std::cell::RefCell::new(None),
        };
        let mut looked_up = Masker::looked_up(
            &AGENCIES,
            Lang::Ja,
            Box::new(|text: &str| lookup.cell_people(text)),
        );
        assert_eq!(masked(&mut looked_up), whole, "keyed: {keyed}");
        lookup.checked().unwrap();
    }
    // What the masking is: the household by every part, the places and agencies kept.
    let shown = |cell: &str| whole[CELLS.iter().position(|c| *c == cell).unwrap()].clone();
    assert_eq!(shown("千葉県立病院").0, "千葉県立病院");
    assert_eq!(shown("千葉県の施設へ入所").1, "千葉県の施設へ入所");
    assert_eq!(shown("ﾁﾊﾞ ﾊﾅｺ").0, "個人（家族等）");
    assert_eq!(shown("花子が施設入所").1, "○○が施設入所");
    assert_eq!(shown("広島優").0, "個人（家族等）");
    assert_eq!(shown("広島市の病院").1, "広島市の病院");
    assert_eq!(shown("福島県から避難").2, "福島県から避難");
    assert_eq!(shown("髙橋優が同席").2, "○○が同席");
}

/// A database renkei cannot write (opened read-only, a read inside another's transaction, a
/// write lock held by another process) is looked up in without writing: the texts recorded
/// since the last keying are read for the lookup itself, found as if keyed.
#[test]
fn a_database_that_cannot_be_written_is_looked_up_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let conn = recorded(&path);
    // Half keyed: one more attendee recorded after the keying.
    key_pending(&conn).unwrap();
    conn.execute(
        "INSERT INTO attendees (meeting_id, position, name, created_at, updated_at)
         VALUES (1, 99, '川口 由紀', 'x', 'x')",
        [],
    )
    .unwrap();
    let keys = count(&conn, "recorded_keys");
    assert!(keys > 0);
    assert_eq!(count(&conn, "recorded_unkeyed"), 1);
    let names = |conn: &Connection, text: &str| -> Vec<String> {
        let lookup = TablePeople {
            conn,
            pending: key_pending(conn).unwrap(),
            failed: std::cell::RefCell::new(None),
        };
        let mut found: Vec<String> = lookup
            .people_in(text)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        found.extend(
            people_in(conn, [text])
                .unwrap()
                .into_iter()
                .map(|p| format!("minutes: {}", p.name)),
        );
        found.sort();
        found
    };
    // Everyone a part of the text may be: 中村 優 by 優 (the masker judges them).
    let wanted = [
        "minutes: 中村 優",
        "minutes: 川口 由紀",
        "minutes: 広島 優",
        "中村 優",
        "川口 由紀",
        "広島 優",
    ];
    let text = "川口由紀と広島優が来所";
    let unchanged = |conn: &Connection| {
        assert_eq!(count(conn, "recorded_keys"), keys);
        assert_eq!(count(conn, "recorded_unkeyed"), 1);
    };

    // Read-only (SQLite's flag: whoever runs the test, root included).
    let ro = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    assert_eq!(names(&ro, text), wanted);
    unchanged(&ro);
    drop(ro);

    // Inside a transaction of the reader's own (a snapshot): nothing written.
    conn.execute_batch("BEGIN").unwrap();
    assert_eq!(names(&conn, text), wanted);
    conn.execute_batch("COMMIT").unwrap();
    unchanged(&conn);

    // Another connection holds the write lock: the keying gives way, the lookup reads. The
    // connection's busy timeout (rusqlite's five seconds, waited out at each of the two keyings
    // of `names`) made this the slowest unit test: at zero the keying meets the lock at once,
    // the same SQLITE_BUSY it meets when the timeout runs out.
    conn.busy_timeout(std::time::Duration::ZERO).unwrap();
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    assert_eq!(names(&conn, text), wanted);
    other.execute_batch("ROLLBACK").unwrap();
    unchanged(&conn);

    // Writable again: keyed, and found the same.
    assert_eq!(names(&conn, text), wanted);
    assert_eq!(count(&conn, "recorded_unkeyed"), 0);
    assert!(count(&conn, "recorded_keys") > keys);
}
