//! Dates and times: what renkei writes through its screens and its store, renkei reads back.
//! A meeting past midnight, an agenda item of a day, the earliest and latest dates the store
//! takes: each exported and imported into an empty database, the same again.

mod common;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDate};
use common::TempDb;
use proptest::prelude::*;
use renkei::clock::Clock;
use renkei::store::capture::NewMeeting;
use renkei::store::interchange::to_json;
use renkei::store::{Encoding, Store};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A database with one body, 個別ケース会議.
fn with_body(db: &TempDb) -> (Store, i64) {
    let mut store = db.open();
    let file = db.file(
        "body.json",
        r#"{ "format": "renkei/1", "bodies": [
            { "name": "個別ケース会議", "organiser": "地域福祉課", "kind": "個別ケース会議" } ],
          "meetings": [] }"#
            .as_bytes(),
    );
    store.import_files(&[file], Encoding::Auto).unwrap();
    let id = store.bodies().unwrap()[0].id;
    (store, id)
}

fn planned(body_id: i64, date: &str, start: &str, end: &str) -> NewMeeting {
    NewMeeting {
        body_id,
        date: day(date),
        start: Some(start.to_owned()),
        end: Some(end.to_owned()),
        place: "区役所".to_owned(),
    }
}

/// The export of `store` imported into an empty database: its export, or the import's error.
fn through_empty(store: &Store) -> (String, Result<String, String>) {
    let first = to_json(&store.export_document().unwrap());
    let other = TempDb::new();
    let mut copy = other.open();
    let path = other.file("export.json", first.as_bytes());
    let second = copy
        .import_files(&[path], Encoding::Auto)
        .map(|_| to_json(&copy.export_document().unwrap()))
        .map_err(|e| e.to_string());
    (first, second)
}

fn round_trips(store: &Store) -> String {
    let (first, second) = through_empty(store);
    match second {
        Ok(second) => assert_eq!(first, second, "the copy exports the same"),
        Err(e) => panic!("what renkei wrote it did not read back: {e}"),
    }
    first
}

/// The import of a hand-made document with one meeting of 個別ケース会議 (`meeting`'s fields).
fn import_meeting(meeting: &str) -> Result<(), String> {
    let db = common::blank();
    let (mut store, _) = with_body(&db);
    let file = db.file(
        "in.json",
        format!(
            r#"{{ "format": "renkei/1", "meetings": [ {{ "body": "個別ケース会議", {meeting} }} ] }}"#
        )
        .as_bytes(),
    );
    store
        .import_files(&[file], Encoding::Auto)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Finding 11: a night 個別ケース会議 from 23:30 to 00:40, as the schedule form takes it, is
/// exported with its end's date and imported back. Failed before: the import refused
/// `end: 00:40 が開始（23:30）より前です`.
#[test]
fn a_meeting_past_midnight_exports_and_imports_back() {
    let db = common::blank();
    let (mut store, body) = with_body(&db);
    store
        .schedule_meeting(&planned(body, "2026-11-20", "23:30", "00:40"))
        .unwrap();
    let json = round_trips(&store);
    assert!(json.contains(r#""end_date": "2026-11-21""#), "{json}");
    // A meeting ending on its own day carries no end's date.
    let db = common::blank();
    let (mut store, body) = with_body(&db);
    store
        .schedule_meeting(&planned(body, "2026-11-20", "14:00", "15:00"))
        .unwrap();
    assert!(!round_trips(&store).contains("end_date"));
}

#[test]
fn an_end_before_the_start_is_the_next_days_only_when_the_file_says_so() {
    let night = r#""date": "2026-11-20", "start": "23:30", "end": "00:40""#;
    let err = import_meeting(night).unwrap_err();
    assert!(
        err.contains("meetings[0].end: ") && err.contains("end_date") && err.contains("2026-11-21"),
        "{err}"
    );
    import_meeting(&format!(r#"{night}, "end_date": "2026-11-21""#)).unwrap();
    let err = import_meeting(&format!(r#"{night}, "end_date": "2026-11-22""#)).unwrap_err();
    assert!(err.contains("meetings[0].end: "), "{err}");
    let err = import_meeting(&format!(r#"{night}, "end_date": "11/21""#)).unwrap_err();
    assert!(err.contains("meetings[0].end_date: "), "{err}");
}

/// Attack12 finding 4: a meeting ending at the minute it begins (10:00–10:00) was taken and
/// listed as 10:00-10:00, while the calendar said 10:00–11:30. The store and the import refuse
/// it alike, saying why; a held meeting whose close renkei recorded is not held to it.
#[test]
fn a_meeting_ending_as_it_begins_is_refused_by_the_store_and_the_import_alike() {
    renkei::i18n::set_message_lang(renkei::i18n::Lang::Ja);
    let db = TempDb::new();
    let (mut store, body) = with_body(&db);
    let err = store
        .schedule_meeting(&planned(body, "2026-11-20", "10:00", "10:00"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("終了 10:00 が開始と同じです"), "{err}");
    assert!(store.bodies().is_ok());
    let err =
        import_meeting(r#""date": "2026-11-20", "start": "10:00", "end": "10:00""#).unwrap_err();
    assert!(
        err.contains("meetings[0].end: ") && err.contains("開始と同じ"),
        "{err}"
    );
    // Whole-day spans are not what it means either: 00:00–00:00 is the same slip (the store
    // took it before, as one of its edges).
    assert!(
        store
            .schedule_meeting(&planned(body, "2026-11-20", "00:00", "00:00"))
            .is_err()
    );
    assert!(import_meeting(r#""date": "2026-11-20", "start": "00:00", "end": "00:00""#).is_err());
    // A start without an end, and a minute's meeting, are taken.
    import_meeting(r#""date": "2026-11-20", "start": "10:00""#).unwrap();
    import_meeting(r#""date": "2026-11-20", "start": "10:00", "end": "10:01""#).unwrap();
}

/// Attack12 finding 4: `renkei meetings` as JSON and .xlsx gave a night meeting's 00:40 without
/// its day — read as before its 23:30 start. The listings now say the end's date (`end_date`,
/// 終了日), and the table marks it 翌.
#[test]
fn the_listings_say_the_day_a_night_meeting_ends() {
    let db = TempDb::new();
    let (mut store, body) = with_body(&db);
    store
        .schedule_meeting(&planned(body, "2026-11-20", "23:30", "00:40"))
        .unwrap();
    store
        .schedule_meeting(&planned(body, "2026-11-24", "14:00", "15:00"))
        .unwrap();
    drop(store);
    let json: serde_json::Value = serde_json::from_slice(&common::stdout_bytes(
        &db,
        &["meetings", "--format", "json"],
    ))
    .unwrap();
    let ends: Vec<(&str, &str)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["end"].as_str().unwrap(), m["end_date"].as_str().unwrap()))
        .collect();
    assert!(ends.contains(&("00:40", "2026-11-21")), "{json}");
    assert!(ends.contains(&("15:00", "2026-11-24")), "{json}");
    let table = String::from_utf8(common::stdout_bytes(&db, &["meetings"])).unwrap();
    assert!(table.contains("23:30-翌00:40"), "{table}");
    assert!(table.contains("14:00-15:00"), "{table}");
    let xlsx = common::xml_parts(&common::stdout_bytes(
        &db,
        &["meetings", "--format", "xlsx"],
    ));
    assert!(
        xlsx.contains("終了日"),
        "the workbook has no end's date column"
    );
}

/// Finding 12: one limit for an agenda item's planned minutes, a day, and one message: the
/// store refuses what the import refuses. Failed before: the store took 1441 minutes and its
/// export was refused.
#[test]
fn planned_minutes_past_a_day_are_refused_by_the_store_and_the_import_alike() {
    renkei::i18n::set_message_lang(renkei::i18n::Lang::Ja);
    let db = common::blank();
    let (mut store, body) = with_body(&db);
    let meeting = store
        .schedule_meeting(&planned(body, "2026-11-20", "14:00", "15:00"))
        .unwrap();
    let refused = store
        .add_agenda_item(meeting, "協議", Some(1441))
        .unwrap_err()
        .to_string();
    assert_eq!(refused, "予定時間は 1440 分（24時間）までです");
    let item = store.add_agenda_item(meeting, "協議", Some(1440)).unwrap();
    assert!(store.update_agenda_item(item, "協議", Some(1441)).is_err());
    round_trips(&store);
    let err = import_meeting(
        r#""date": "2026-11-20", "agenda": [ { "title": "協議", "planned_min": 1441 } ]"#,
    )
    .unwrap_err();
    assert!(
        err.contains(
            "meetings[0].agenda[0].planned_min: 1441: 予定時間は 1440 分（24時間）までです"
        ),
        "{err}"
    );
}

/// The store takes no meeting the import would refuse: a date outside 1900–2200, a time that
/// is not HH:MM. Failed before: both were stored, and their export refused.
#[test]
fn the_store_refuses_the_dates_and_times_the_import_refuses() {
    let db = common::blank();
    let (mut store, body) = with_body(&db);
    for (date, start) in [
        ("1899-12-31", "10:00"),
        ("2201-01-01", "10:00"),
        ("2026-11-20", "25:00"),
        ("2026-11-20", "9:00"),
    ] {
        let new = planned(body, date, start, "11:00");
        assert!(store.schedule_meeting(&new).is_err(), "{date} {start}");
        assert!(store.hold_now(&new).is_err(), "{date} {start}");
    }
    let meetings: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM meetings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(meetings, 0);
}

/// A clock that can be set back.
fn movable(at: &str) -> (Clock, Arc<Mutex<DateTime<FixedOffset>>>) {
    let now = Arc::new(Mutex::new(DateTime::parse_from_rfc3339(at).unwrap()));
    let read = now.clone();
    (Clock::from_fn(move || *read.lock().unwrap()), now)
}

/// Item 4: a meeting ended on a machine whose clock is behind its start (begun on another
/// machine) ends at its start, and the store says by how much the clock was behind. Failed
/// before: its end was before its start.
#[test]
fn an_end_before_the_start_by_a_clock_behind_is_the_start() {
    let db = TempDb::new();
    drop(with_body(&db));
    let (clock, now) = movable("2026-11-21T10:00:00+09:00");
    let mut store = Store::open(&db.path, clock).unwrap();
    let body = store.bodies().unwrap()[0].id;
    let id = store
        .schedule_meeting(&planned(body, "2026-11-21", "10:00", "11:00"))
        .unwrap();
    store.start_meeting(id).unwrap();
    *now.lock().unwrap() = DateTime::parse_from_rfc3339("2026-11-21T09:57:55+09:00").unwrap();
    assert_eq!(store.end_meeting(id).unwrap(), 125);
    let (started, ended): (String, String) = store
        .conn()
        .query_row(
            "SELECT started_at, ended_at FROM meetings WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(ended, started);
    round_trips(&store);
    // A clock on time: 0.
    let id = store
        .schedule_meeting(&planned(body, "2026-11-21", "13:00", "14:00"))
        .unwrap();
    store.start_meeting(id).unwrap();
    *now.lock().unwrap() = DateTime::parse_from_rfc3339("2026-11-21T13:30:00+09:00").unwrap();
    assert_eq!(store.end_meeting(id).unwrap(), 0);
}

/// A held meeting ended the day renkei recorded its close: begun early and ended before its
/// planned start, it ends on its own day (no end's date); begun at 23:30 and ended at 00:40,
/// the next day. Both come back.
#[test]
fn a_held_meeting_ends_the_day_it_was_closed() {
    let db = TempDb::new();
    drop(with_body(&db));
    let (clock, now) = movable("2026-11-21T09:00:00+09:00");
    let mut store = Store::open(&db.path, clock).unwrap();
    let body = store.bodies().unwrap()[0].id;
    let at = |stamp: &str| *now.lock().unwrap() = DateTime::parse_from_rfc3339(stamp).unwrap();
    let early = store
        .schedule_meeting(&NewMeeting {
            end: None,
            ..planned(body, "2026-11-21", "14:00", "")
        })
        .unwrap();
    store.start_meeting(early).unwrap();
    at("2026-11-21T10:00:00+09:00");
    store.end_meeting(early).unwrap();
    let json = round_trips(&store);
    assert!(!json.contains("end_date"), "{json}");
    at("2026-11-21T23:30:00+09:00");
    let night = store
        .schedule_meeting(&NewMeeting {
            end: None,
            ..planned(body, "2026-11-21", "23:30", "")
        })
        .unwrap();
    store.start_meeting(night).unwrap();
    at("2026-11-22T00:40:00+09:00");
    store.end_meeting(night).unwrap();
    let json = round_trips(&store);
    assert!(json.contains(r#""end_date": "2026-11-22""#), "{json}");
}

/// The limits the store takes, at their edges, come back: the earliest and latest dates, the
/// longest planned item, the first and last minute of a day as start and end (past midnight
/// or not), and the longest text.
#[test]
fn the_edges_round_trip() {
    let db = common::blank();
    let (mut store, body) = with_body(&db);
    for (date, start, end) in [
        ("1900-01-01", "00:00", "23:59"),
        ("2200-12-31", "23:59", "00:00"),
        ("2026-11-20", "23:30", "00:40"),
    ] {
        let id = store
            .schedule_meeting(&planned(body, date, start, end))
            .unwrap();
        store.add_agenda_item(id, "協議", Some(1440)).unwrap();
        store.add_agenda_item(id, "報告", Some(0)).unwrap();
    }
    let long = "あ".repeat(renkei::limits::MAX_TEXT_BYTES / 3);
    let id = store
        .schedule_meeting(&NewMeeting {
            place: long.clone(),
            ..planned(body, "2026-11-21", "10:00", "11:00")
        })
        .unwrap();
    store.add_agenda_item(id, &long, None).unwrap();
    round_trips(&store);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Any meeting the store takes — any date of the years it takes, any start and end, any
    /// planned minutes up to a day — is exported and imported back as it was.
    #[test]
    fn what_the_store_takes_comes_back(
        days in 0i64..=(day("2200-12-31") - day("1900-01-01")).num_days(),
        start in 0u32..1440,
        end in 0u32..1440,
        minutes in 0u32..=1440,
    ) {
        let date = day("1900-01-01") + chrono::Duration::days(days);
        // An end at the start is refused as a slip (README), so the store does not take it:
        // drawn once in 1 440 a case, it failed about one run in 120 (attack14, finding 13).
        let end = if end == start { (end + 1) % 1440 } else { end };
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        let db = common::blank();
        let (mut store, body) = with_body(&db);
        let id = store
            .schedule_meeting(&planned(
                body,
                &date.format("%Y-%m-%d").to_string(),
                &hm(start),
                &hm(end),
            ))
            .unwrap();
        store.add_agenda_item(id, "協議", Some(minutes)).unwrap();
        let (first, second) = through_empty(&store);
        prop_assert_eq!(Ok(first), second);
    }
}

/// The import of a hand-made document of 個別ケース会議's body (`rest`: its cases and meetings).
fn import_doc(rest: &str) -> Result<(), String> {
    let db = common::blank();
    let (mut store, _) = with_body(&db);
    let file = db.file(
        "in.json",
        format!(r#"{{ "format": "renkei/1", {rest} }}"#).as_bytes(),
    );
    store
        .import_files(&[file], Encoding::Auto)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Item 7: a link of a meeting to a case whose uid was copied from another link is refused,
/// naming both paths. Failed before: the error named one path only.
#[test]
fn a_link_uid_copied_from_another_is_refused_naming_both() {
    renkei::i18n::set_message_lang(renkei::i18n::Lang::Ja);
    let uid = "01900000-0000-7000-8000-000000000001";
    let err = import_doc(&format!(
        r#""cases": [ {{ "pseudonym": "A世帯" }}, {{ "pseudonym": "B世帯" }} ],
           "meetings": [
             {{ "body": "個別ケース会議", "date": "2026-11-01",
               "cases": [ {{ "case": "A世帯", "uid": "{uid}" }} ] }},
             {{ "body": "個別ケース会議", "date": "2026-11-02",
               "cases": [ {{ "case": "A世帯" }}, {{ "case": "B世帯", "uid": "{uid}" }} ] }} ]"#
    ))
    .unwrap_err();
    assert!(
        err.contains("meetings[1].cases[1].uid: ") && err.contains("meetings[0].cases[0].uid"),
        "{err}"
    );
    assert!(err.contains("同じ"), "in Japanese: {err}");
}

/// "Today" for what happened (a case's consent, its closure) is Japan's, whatever the machine's
/// zone: in Honolulu at 10:00 in Japan it is still yesterday there, and in Kiritimati (UTC+14)
/// at 23:30 in Japan it is already tomorrow — neither moves which dates an import takes.
#[test]
fn today_for_consent_and_closure_is_japans_in_any_zone() {
    let import = |tz: &str, now: &str, consent: &str| {
        let db = TempDb::new();
        let file = db.file(
            "case.json",
            format!(
                r#"{{ "format": "renkei/1", "cases": [
                    {{ "pseudonym": "B世帯", "consent_date": "{consent}" }} ] }}"#
            )
            .as_bytes(),
        );
        common::renkei(&db)
            .env("TZ", tz)
            .env("RENKEI_NOW", now)
            .arg("import")
            .arg(&file)
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(import("Pacific/Honolulu", "2026-11-21T10:00", "2026-11-21"));
    assert!(!import(
        "Pacific/Honolulu",
        "2026-11-21T10:00",
        "2026-11-22"
    ));
    assert!(import(
        "Pacific/Kiritimati",
        "2026-11-21T23:30",
        "2026-11-21"
    ));
    assert!(!import(
        "Pacific/Kiritimati",
        "2026-11-21T23:30",
        "2026-11-22"
    ));
}
