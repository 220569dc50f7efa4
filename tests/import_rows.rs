//! The rows of a new meeting as the import writes them, with each agency looked up once an
//! import (`store::merge`): the order, positions, agencies, cases and links of every row of
//! lists longer than a statement of several rows would hold, a row refused named by its path
//! with nothing written, and an agency a later file renames not found by its old name.

use crate::common;

use common::TempDb;
use renkei::store::{Encoding, Store, StoreError};

const MEETING_A: &str = "0190f000-0000-7000-8000-00000000000a";
const MEETING_B: &str = "0190f000-0000-7000-8000-00000000000b";
const CARRIED: &str = "0190f000-0000-7000-8000-0000000000c1";
const AGENCY: &str = "0190f000-0000-7000-8000-0000000000a1";

/// 40 attendees and 35 actions, some naming an agency, one action continuing an action of a
/// meeting later in the file and one closed there.
fn document() -> String {
    let agencies = ["機関甲", "機関乙", "", "機関丙"];
    let attendees: Vec<String> = (0..40)
        .map(|i| {
            let role = ["member", "facilitator", "family", "observer"][i % 4];
            let attendance = ["present", "absent", "late", "left_early"][i % 4];
            format!(
                r#"{{"agency": "{}", "name": "出席者{i}", "role": "{role}", "attendance": "{attendance}"}}"#,
                agencies[i % 4]
            )
        })
        .collect();
    let actions: Vec<String> = (0..35)
        .map(|i| {
            let status = ["open", "done", "dropped"][i % 3];
            let link = match i {
                20 => format!(r#", "carried_from": "{CARRIED}""#),
                30 => format!(r#", "closed_in": "{MEETING_B}""#),
                _ => String::new(),
            };
            format!(
                r#"{{"agency": "{}", "text": "対応{i}", "status": "{status}", "due": "2026-12-{:02}"{link}}}"#,
                agencies[(i + 1) % 4],
                i % 28 + 1
            )
        })
        .collect();
    format!(
        r#"{{"format": "renkei/1", "agencies": [{{"uid": "{AGENCY}", "name": "機関甲"}}],
            "bodies": [{{"name": "会議体R", "organiser": "課R", "frequency": "毎月"}}],
            "meetings": [
              {{"uid": "{MEETING_A}", "body": "会議体R", "date": "2026-11-01", "start": "10:00",
                "status": "held", "attendees": [{}], "actions": [{}]}},
              {{"uid": "{MEETING_B}", "body": "会議体R", "date": "2026-10-01", "start": "10:00",
                "status": "held",
                "actions": [{{"uid": "{CARRIED}", "text": "前回の対応", "status": "open"}}]}}]}}"#,
        attendees.join(","),
        actions.join(",")
    )
}

fn import(db: &TempDb, name: &str, json: &str) -> Result<(), StoreError> {
    let path = db.file(name, json.as_bytes());
    db.open().import_files(&[path], Encoding::Auto).map(|_| ())
}

fn export(store: &Store) -> String {
    serde_json::to_string(&store.export_document().unwrap()).unwrap()
}

fn rows(store: &Store, sql: &str) -> Vec<Vec<String>> {
    let mut stmt = store.conn().prepare(sql).unwrap();
    let width = stmt.column_count();
    stmt.query_map([], |r| {
        (0..width)
            .map(|i| {
                r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                    rusqlite::types::Value::Null => "NULL".to_owned(),
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
            })
            .collect()
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn a_meetings_many_attendees_and_actions_keep_their_order_agencies_and_links() {
    let db = TempDb::new();
    import(&db, "ward.json", &document()).unwrap();
    let store = db.open();
    let attendees = rows(
        &store,
        &format!(
            "SELECT t.position, t.name, COALESCE(a.name, ''), t.role, t.attendance
             FROM attendees t JOIN meetings m ON m.id = t.meeting_id
             LEFT JOIN agencies a ON a.id = t.agency_id
             WHERE m.uid = '{MEETING_A}' ORDER BY t.id"
        ),
    );
    assert_eq!(attendees.len(), 40);
    for (i, row) in attendees.iter().enumerate() {
        let agency = ["機関甲", "機関乙", "", "機関丙"][i % 4];
        let role = ["member", "facilitator", "family", "observer"][i % 4];
        let attendance = ["present", "absent", "late", "left_early"][i % 4];
        let want = [
            &(i + 1).to_string(),
            &format!("出席者{i}"),
            agency,
            role,
            attendance,
        ];
        assert_eq!(row, &want, "attendees[{i}]");
    }
    let actions = rows(
        &store,
        &format!(
            "SELECT n.text, COALESCE(a.name, ''), n.status, n.due_date,
                    COALESCE(f.uid, ''), COALESCE(c.uid, '')
             FROM next_actions n JOIN meetings m ON m.id = n.meeting_id
             LEFT JOIN agencies a ON a.id = n.agency_id
             LEFT JOIN next_actions f ON f.id = n.carried_from
             LEFT JOIN meetings c ON c.id = n.closed_in
             WHERE m.uid = '{MEETING_A}' ORDER BY n.id"
        ),
    );
    assert_eq!(actions.len(), 35);
    for (i, row) in actions.iter().enumerate() {
        let agency = ["機関甲", "機関乙", "", "機関丙"][(i + 1) % 4];
        let status = ["open", "done", "dropped"][i % 3];
        let carried = if i == 20 { CARRIED } else { "" };
        let closed = if i == 30 { MEETING_B } else { "" };
        let due = format!("2026-12-{:02}", i % 28 + 1);
        let want = [&format!("対応{i}"), agency, status, &due, carried, closed];
        assert_eq!(row, &want, "actions[{i}]");
    }
    // One agency per name: the head's, and one made for each other name the rows give.
    let agencies = rows(&store, "SELECT name FROM agencies ORDER BY name");
    assert_eq!(agencies, [["機関丙"], ["機関乙"], ["機関甲"]]);

    // The export imports into an empty database as the same records.
    let exported = export(&store);
    let again = TempDb::new();
    import(&again, "export.json", &exported).unwrap();
    assert_eq!(export(&again.open()), exported);
}

#[test]
fn a_row_whose_uid_another_record_holds_is_refused_by_its_path_and_nothing_is_written() {
    let held = "0190f000-0000-7000-8000-0000000000ff";
    // Each list's row `at` (in a statement after the first) has a uid the database holds.
    let lists: [(&str, &str, usize); 5] = [
        ("attendees", r#""name": "人""#, 21),
        ("notes", r#""text": "メモ""#, 19),
        ("roles", r#""role": "見守り""#, 16),
        ("actions", r#""text": "対応", "status": "open""#, 17),
        ("issues", r#""category": "経済的困窮""#, 30),
    ];
    for (list, fields, at) in lists {
        let rows = |uid: &dyn Fn(usize) -> String, n: usize| -> String {
            let rows: Vec<String> = (0..n)
                .map(|i| format!(r#"{{"uid": "{}", {fields}}}"#, uid(i)))
                .collect();
            match list {
                "notes" => format!(
                    r#""agenda": [{{"title": "議題", "notes": [{}]}}]"#,
                    rows.join(",")
                ),
                _ => format!(r#""{list}": [{}]"#, rows.join(",")),
            }
        };
        let db = TempDb::new();
        import(
            &db,
            "first.json",
            &format!(
                r#"{{"format": "renkei/1",
                    "bodies": [{{"name": "会議体S", "organiser": "課S", "frequency": "毎月"}}],
                    "meetings": [{{"body": "会議体S", "date": "2026-09-01", "status": "held",
                                   {}}}]}}"#,
                rows(&|_| held.to_owned(), 1)
            ),
        )
        .unwrap();
        let before = export(&db.open());
        let uid = |i: usize| {
            if i == at {
                held.to_owned()
            } else {
                format!("0190f000-0000-7000-8000-0000000010{i:02}")
            }
        };
        let err = import(
            &db,
            "second.json",
            &format!(
                r#"{{"format": "renkei/1",
                    "meetings": [{{"body": "会議体S", "date": "2026-10-01", "status": "held",
                                   {}}}]}}"#,
                rows(&uid, 40)
            ),
        )
        .unwrap_err()
        .to_string();
        let path = match list {
            "notes" => format!("second.json: meetings[0].agenda[0].notes[{at}].uid"),
            _ => format!("second.json: meetings[0].{list}[{at}].uid"),
        };
        assert!(err.contains(&path), "{list}: {err}");
        assert!(err.contains(held), "{list}: {err}");
        assert_eq!(export(&db.open()), before, "{list}: nothing written");
    }
}

#[test]
fn an_agency_a_later_file_renames_is_not_the_one_its_old_name_names_then() {
    // One import of two files: the first's attendee names 機関甲 (the agency of uid AGENCY);
    // the second renames that agency 機関丁, then its attendee names 機関甲 again: a new agency,
    // not the renamed one.
    let db = TempDb::new();
    let meeting = |date: &str| {
        format!(
            r#"{{"body": "会議体R", "date": "{date}", "status": "held",
                "attendees": [{{"agency": "機関甲", "name": "出席者"}}]}}"#
        )
    };
    let first = db.file(
        "first.json",
        format!(
            r#"{{"format": "renkei/1", "agencies": [{{"uid": "{AGENCY}", "name": "機関甲"}}],
                "bodies": [{{"name": "会議体R", "organiser": "課R", "frequency": "毎月"}}],
                "meetings": [{}]}}"#,
            meeting("2026-10-01")
        )
        .as_bytes(),
    );
    let second = db.file(
        "second.json",
        format!(
            r#"{{"format": "renkei/1", "agencies": [{{"uid": "{AGENCY}", "name": "機関丁"}}],
                "meetings": [{}]}}"#,
            meeting("2026-11-01")
        )
        .as_bytes(),
    );
    let mut store = db.open();
    store
        .import_files(&[first, second], Encoding::Auto)
        .unwrap();
    let named = rows(
        &store,
        "SELECT m.date, a.name, a.uid = '0190f000-0000-7000-8000-0000000000a1'
         FROM attendees t JOIN meetings m ON m.id = t.meeting_id
         JOIN agencies a ON a.id = t.agency_id ORDER BY m.date",
    );
    assert_eq!(
        named,
        [["2026-10-01", "機関丁", "1"], ["2026-11-01", "機関甲", "0"]]
    );
}
