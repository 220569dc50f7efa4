//! A fiscal year's case figures are that year's (attack report 2, findings 3, 9, 10, 13): the
//! report takes each case as it stood at the year's end, from the changes renkei kept; the
//! ledger's review dates come from held meetings, the reopening day and Japan-time days.
//!
//! The fixture is the attack's mk_rep.py set (seven cases, five meetings over 令和6–8年度);
//! every figure below was counted by hand, case by case, in the comments.

use crate::common;

use common::{TempDb, renkei, stdout_bytes, succeeds};
use renkei::domain::case::CaseStatus;
use renkei::domain::case::Consent;
use renkei::store::cases::Closure;

const REP: &str = r#"{"format": "renkei/1", "bodies": [{"name": "要対協実務者会議", "organiser": "子ども家庭支援課", "frequency": "月1回", "kind": "要保護児童対策地域協議会"}, {"name": "支援会議", "organiser": "福祉課", "frequency": "随時", "kind": "支援会議"}], "cases": [{"id": "C1", "pseudonym": "C1世帯", "opened": "2025-04-10", "status": "closed", "consent": "given", "referred_by": "学校", "lead_agency": "子ども家庭支援センター", "closed": "2025-06-09", "closure_reason": "転居"}, {"id": "C2", "pseudonym": "C2世帯", "opened": "2025-05-01", "status": "closed", "consent": "given", "referred_by": "学校", "lead_agency": "子ども家庭支援センター", "closed": "2025-07-31", "closure_reason": "支援目標達成"}, {"id": "C3", "pseudonym": "C3世帯", "opened": "2025-06-01", "status": "suspended", "consent": "not_given", "referred_by": "学校", "lead_agency": "子ども家庭支援センター", "closed": "2026-03-31", "closure_reason": "連絡が取れない"}, {"id": "C4", "pseudonym": "C4世帯", "opened": "2025-10-01", "status": "closed", "consent": "unknown", "referred_by": "学校", "lead_agency": "子ども家庭支援センター", "closed": "2026-04-01", "closure_reason": "支援目標達成"}, {"id": "C5", "pseudonym": "C5世帯", "opened": "2025-12-01", "status": "active", "consent": "not_given", "referred_by": "山田さん", "lead_agency": "佐藤 花子（長女）", "risk": "low"}, {"id": "C6", "pseudonym": "C6世帯", "opened": "2024-12-01", "status": "transferred", "consent": "unknown", "referred_by": "学校", "lead_agency": "子ども家庭支援センター", "closed": "2025-04-01", "closure_reason": "転居", "transferred_to": "大阪市"}, {"id": "C7", "pseudonym": "C7世帯", "opened": "2026-04-15", "status": "active", "consent": "unknown", "referred_by": "学校", "lead_agency": "子ども家庭支援センター"}], "meetings": [{"body": "要対協実務者会議", "date": "2025-05-15", "start": "10:00", "end": "11:00", "status": "held", "cases": ["C1", "C2"]}, {"body": "要対協実務者会議", "date": "2025-10-20", "start": "10:00", "end": "11:00", "status": "held", "cases": ["C3", "C4"]}, {"body": "要対協実務者会議", "date": "2026-03-31", "start": "10:00", "end": "11:00", "status": "held", "cases": ["C3"]}, {"body": "要対協実務者会議", "date": "2026-04-01", "start": "10:00", "end": "11:00", "status": "held", "cases": ["C4", "C5"]}, {"body": "支援会議", "date": "2025-12-10", "start": "10:00", "end": "11:00", "status": "held", "cases": ["C5"]}]}"#;

fn import(db: &TempDb, name: &str, json: &str) {
    let path = db.file(name, json.as_bytes());
    succeeds(renkei(db).arg("import").arg(&path));
}

fn stdout(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8(stdout_bytes(db, args)).unwrap()
}

/// A case closed (終結) on `date` for `reason`.
fn closure(date: &str, reason: &str) -> Closure {
    Closure {
        kind: CaseStatus::Closed,
        date: day(date),
        reason: reason.to_owned(),
        evaluation: "支援の目標を達成した".to_owned(),
        transferred_to: String::new(),
    }
}

/// The cells of the report's row whose label is `label` in the table titled `table`.
fn cells(report: &str, table: &str, label: &str) -> Vec<String> {
    let start = report
        .find(&format!("## {table}\n"))
        .unwrap_or_else(|| panic!("no table {table} in\n{report}"));
    let body = &report[start..];
    let body = &body[..body[3..].find("\n## ").map_or(body.len(), |e| e + 3)];
    body.lines()
        .find(|l| l.starts_with(&format!("| {label} |")))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .skip(1)
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

const YEARS: [&str; 6] = [
    "report",
    "--fiscal-year",
    "2025",
    "--compare",
    "2026",
    "--compare",
];

fn report(db: &TempDb) -> String {
    let mut args = YEARS.to_vec();
    args.push("2024");
    stdout(db, &args)
}

const SUMMARY: &str = "事例（進行管理）";

/// The hand-computed figures of 令和7 | 令和8 | 令和6 (today 2026-11-21).
fn assert_as_imported(r: &str) {
    // Opened: R7 C1 C2 C3 C4 C5; R8 C7; R6 C6.
    assert_eq!(cells(r, SUMMARY, "受理した事例"), ["5", "1", "1"], "{r}");
    // Ended: R7 C1 06-09, C2 07-31, C3 03-31, C6 04-01; R8 C4 04-01.
    assert_eq!(
        cells(r, SUMMARY, "終結・中断・移管した事例"),
        ["4", "1", "0"]
    );
    // Followed: R7 all but C7; R8 C4 C5 C7; R6 C6.
    assert_eq!(cells(r, SUMMARY, "年度内に対応した事例"), ["6", "3", "1"]);
    // Active at the end: R7 C4 C5; R8 (today) C5 C7; R6 C6.
    assert_eq!(cells(r, SUMMARY, "年度末に対応中の事例"), ["2", "2", "1"]);
    // Median days: R7 60 (C1), 91 (C2), 121 (C6), 303 (C3) → (91+121)/2; R8 C4 182.
    assert_eq!(
        cells(r, SUMMARY, "受理から終結までの日数（中央値）"),
        ["106.0", "182.0", "-"]
    );
    // Overdue: R7 C5 (支援会議 2025-12-10 + 3 months < 04-01); R8 C5 (2026-04-01 + 3), C7
    // (opened 04-15 + 3); R6 C6 (opened 2024-12-01 + 3 months).
    assert_eq!(
        cells(r, SUMMARY, "年度末に確認期限を過ぎていた事例"),
        ["1", "2", "1"]
    );
    assert_eq!(
        cells(r, "終結・中断・移管の理由", "終結（転居）"),
        ["1", "0", "0"]
    );
    // Consent of the cases followed: R7 C1 C2 given; C3 C5 not; C4 C6 unknown. R8: C5 not.
    assert_eq!(cells(r, CONSENT, "有"), ["2", "0", "0"]);
    assert_eq!(cells(r, CONSENT, "無"), ["2", "1", "0"]);
}

const CONSENT: &str = "本人同意（年度内に対応した事例）";

/// The columns of 令和7 and 令和6 of every table: what a reopening today must not change.
fn past_columns(r: &str) -> Vec<String> {
    r.lines()
        .filter(|l| l.starts_with("| "))
        .map(|l| {
            let c: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            format!("{} | {} | {}", c[0], c[1], c.get(3).copied().unwrap_or(""))
        })
        .collect()
}

/// Finding 3: reopening C1 (終結 2025-06-09) and recording C3's consent today leave 令和7年度
/// and 令和6年度 as they were; 令和8年度 (today) takes them.
#[test]
fn a_reopening_or_a_consent_today_leaves_past_years_as_they_were() {
    let db = TempDb::new();
    import(&db, "rep.json", REP);
    let before = report(&db);
    assert_as_imported(&before);
    let mut store = db.open();
    let c1 = store.find_case("C1世帯").unwrap().unwrap();
    store.reopen_case(c1, None).unwrap();
    let c3 = store.find_case("C3世帯").unwrap().unwrap();
    store.set_consent(c3, Consent::Given, None, None).unwrap();
    drop(store);
    let after = report(&db);
    assert_eq!(past_columns(&before), past_columns(&after), "{after}");
    // 令和8 today: C1 followed and active again (C4 C5 C7 C1; C5 C7 C1); not overdue, its
    // review counted from the reopening (2026-11-21 + 3 months), not from 2025-05-15.
    assert_eq!(
        cells(&after, SUMMARY, "年度内に対応した事例"),
        ["6", "4", "1"]
    );
    assert_eq!(
        cells(&after, SUMMARY, "年度末に対応中の事例"),
        ["2", "3", "1"]
    );
    assert_eq!(
        cells(&after, SUMMARY, "年度末に確認期限を過ぎていた事例"),
        ["1", "2", "1"]
    );
    assert_eq!(cells(&after, CONSENT, "有"), ["2", "1", "0"]);
    // Closing C1 again today ends it in 令和8, and 令和7 still counts its first ending.
    let mut store = db.open();
    store
        .close_case(c1, &closure("2026-11-21", "支援目標達成"), None)
        .unwrap();
    drop(store);
    let closed = report(&db);
    assert_eq!(past_columns(&before), past_columns(&closed), "{closed}");
    assert_eq!(
        cells(&closed, SUMMARY, "終結・中断・移管した事例"),
        ["4", "2", "0"]
    );
}

/// Finding 3, the other way: a closure recorded after the year's end but dated within it (a
/// late entry) counts in the year it is dated.
#[test]
fn a_closure_entered_late_counts_in_the_year_of_its_date() {
    let db = TempDb::new();
    import(&db, "rep.json", REP);
    let mut store = db.open();
    let c5 = store.find_case("C5世帯").unwrap().unwrap();
    store
        .close_case(c5, &closure("2026-03-20", "転居"), None)
        .unwrap();
    drop(store);
    let r = report(&db);
    // R7: C1 C2 C3 C6 and now C5; R8: C4 only.
    assert_eq!(
        cells(&r, SUMMARY, "終結・中断・移管した事例"),
        ["5", "1", "0"],
        "{r}"
    );
    assert_eq!(cells(&r, SUMMARY, "年度末に対応中の事例"), ["1", "1", "1"]);
}

/// Finding 13: with --kind only the 要対協's own meetings count for the cases: C5 was discussed
/// in 令和7 only at the 支援会議.
#[test]
fn a_kind_narrows_the_meetings_counted_for_cases() {
    let db = TempDb::new();
    import(&db, "rep.json", REP);
    let r = stdout(
        &db,
        &[
            "report",
            "--fiscal-year",
            "2025",
            "--kind",
            "要保護児童対策地域協議会",
        ],
    );
    // C1 C2 (05-15), C3 C4 (10-20), C3 (03-31): 4 cases, 5 meetings.
    assert_eq!(cells(&r, SUMMARY, "会議で扱った事例"), ["4"], "{r}");
    assert_eq!(cells(&r, SUMMARY, "1事例あたりの会議回数（平均）"), ["1.3"]);
    let r = stdout(
        &db,
        &["report", "--fiscal-year", "2025", "--body", "支援会議"],
    );
    assert_eq!(cells(&r, SUMMARY, "会議で扱った事例"), ["1"], "{r}");
    assert_eq!(
        cells(&r, SUMMARY, "進行管理の確認（会議で検討した件数）"),
        ["0"]
    );
}

fn ledger_row(db: &TempDb, pseudonym: &str) -> renkei::store::cases::CaseRow {
    let store = db.open();
    store
        .case_ledger(renkei::store::cases::LedgerFilter::All, false)
        .unwrap()
        .into_iter()
        .find(|r| r.pseudonym == pseudonym)
        .unwrap()
}

fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Finding 9: a meeting begun and then cancelled is not the case's review in the ledger (the
/// report's definition: held); a case reopened today is reviewed from today, not overdue at once.
#[test]
fn a_cancelled_meeting_is_no_review_and_a_reopened_case_is_not_overdue_at_once() {
    let db = TempDb::new();
    import(
        &db,
        "cx.json",
        r#"{"format":"renkei/1",
            "bodies":[{"name":"要対協実務者会議","organiser":"子ども家庭支援課","frequency":"月1回",
                       "kind":"要保護児童対策地域協議会"}],
            "cases":[{"id":"X","pseudonym":"X世帯","opened":"2026-06-01","status":"active"}],
            "meetings":[
              {"body":"要対協実務者会議","date":"2026-08-15","start":"10:00","status":"held","cases":["X"]},
              {"body":"要対協実務者会議","date":"2026-11-15","start":"10:00","status":"cancelled",
               "started_at":"2026-11-15T10:00:00+09:00","cases":["X"]}]}"#,
    );
    let x = ledger_row(&db, "X世帯");
    assert_eq!(x.last_meeting, Some(day("2026-08-15")));
    // 2026-08-15 + 3 months (要対協): overdue on 2026-11-21.
    assert_eq!(x.next_review, Some(day("2026-11-15")));
    assert!(x.review_overdue(day("2026-11-21")));

    import(&db, "rep.json", REP);
    let mut store = db.open();
    let c1 = store.find_case("C1世帯").unwrap().unwrap();
    store.reopen_case(c1, None).unwrap();
    drop(store);
    let c1 = ledger_row(&db, "C1世帯");
    assert_eq!(c1.reopened, Some(day("2026-11-21")));
    // From the reopening (its last meeting, 2025-05-15, was before it ended).
    assert_eq!(c1.next_review, Some(day("2027-02-21")));
    assert!(!c1.review_overdue(day("2026-11-21")));
}

/// Finding 10: the day a review date was set is the Japan-time day of the change's instant,
/// whatever offset it was written with: 2026-11-09T20:00-08:00 is 2026-11-10 13:00 in Tokyo,
/// the day of the last meeting, so the date set then holds.
#[test]
fn the_day_a_review_date_was_set_is_japan_time_whatever_the_offset() {
    for (at, label) in [
        ("2026-11-10T13:00:00+09:00", "JST"),
        ("2026-11-09T20:00:00-08:00", "PST"),
        ("2026-11-10T04:00:00Z", "UTC"),
    ] {
        let db = TempDb::new();
        import(
            &db,
            "off.json",
            &format!(
                r#"{{"format":"renkei/1",
                "bodies":[{{"name":"要対協実務者会議","organiser":"子ども家庭支援課","frequency":"月1回",
                           "kind":"要保護児童対策地域協議会"}}],
                "cases":[{{"id":"Y","pseudonym":"Y世帯","opened":"2026-06-01","status":"active",
                          "next_review":"2026-11-20",
                          "changes":[{{"at":"{at}","by":"佐藤","entity":"case","field":"next_review",
                                      "old":null,"new":"2026-11-20"}}]}}],
                "meetings":[{{"body":"要対協実務者会議","date":"2026-11-10","start":"10:00",
                             "status":"held","cases":["Y"]}}]}}"#
            ),
        );
        let y = ledger_row(&db, "Y世帯");
        assert_eq!(y.review_set_on, Some(day("2026-11-10")), "{label}");
        assert_eq!(y.next_review, Some(day("2026-11-20")), "{label}");
        assert!(y.review_overdue(day("2026-11-21")), "{label}");
        // The report counts it overdue today as the ledger does.
        let r = stdout(&db, &["report", "--fiscal-year", "2026"]);
        assert_eq!(
            cells(&r, SUMMARY, "年度末に確認期限を過ぎていた事例"),
            ["1"],
            "{label}: {r}"
        );
    }
}

/// Finding 11: an ended case without the day it ended, or closed before it was opened, is
/// refused by the import naming its JSON path, and nothing is imported.
#[test]
fn an_ended_case_needs_a_closing_day_after_its_opening() {
    for (case, json_path) in [
        (
            r#"{"id":"Z","pseudonym":"Z世帯","opened":"2025-05-01","status":"closed"}"#,
            "cases[1].closed: 状態が 終結 の事例に終結日がありません",
        ),
        (
            r#"{"id":"Z","pseudonym":"Z世帯","opened":"2025-05-01","status":"suspended","closed":""}"#,
            "cases[1].closed: 「」は日付ではありません",
        ),
        (
            r#"{"id":"Z","pseudonym":"Z世帯","opened":"2025-05-01","status":"closed","closed":"2025-01-01"}"#,
            "cases[1].closed: 終結日「2025-01-01」が受理日",
        ),
    ] {
        let db = TempDb::new();
        let json = format!(
            r#"{{"format":"renkei/1","cases":[{{"id":"A","pseudonym":"A世帯","opened":"2025-04-01","status":"active"}},{case}],"meetings":[]}}"#
        );
        let path = db.file("z.json", json.as_bytes());
        let out = renkei(&db).arg("import").arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{case} was imported");
        assert!(err.contains(json_path), "{err}");
        assert!(err.contains("z.json"), "{err}");
        let store = db.open();
        assert!(store.find_case("A世帯").unwrap().is_none(), "{case}");
    }
    // The store keeps the same rule: a case is not closed before it was opened.
    let db = TempDb::new();
    import(&db, "rep.json", REP);
    let mut store = db.open();
    let c7 = store.find_case("C7世帯").unwrap().unwrap();
    let err = store
        .close_case(c7, &closure("2026-04-14", "転居"), None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("2026-04-14") && err.contains("2026-04-15"),
        "{err}"
    );
}

/// Finding 18e: the demo never opens a case in the future (C氏's first meeting is tomorrow: it
/// is opened today), so the ledger and the current year's report count the same open cases.
#[test]
fn the_demo_opens_no_case_in_the_future() {
    let db = TempDb::new();
    stdout(&db, &["demo"]);
    let json = stdout(&db, &["cases", "--status", "all", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert!(!rows.is_empty());
    for r in &rows {
        let opened = r["opened"].as_str().unwrap_or("");
        assert!(opened <= "2026-11-21", "{r}");
        // Finding 18b: the JSON ledger carries the 援助方針 as the CSV does.
        assert!(r["policy"].is_string(), "{r}");
    }
    let report = stdout(&db, &["report", "--fiscal-year", "2026"]);
    assert_eq!(
        cells(&report, SUMMARY, "年度末に対応中の事例"),
        [rows.len().to_string()],
        "{report}"
    );
}

/// Finding 17: a next review date more than ten years away is refused by the store (the case
/// form shows the refusal) and by the import, naming its path; a near one is kept.
#[test]
fn a_review_date_years_away_is_refused() {
    let db = TempDb::new();
    import(&db, "rep.json", REP);
    let mut store = db.open();
    let c5 = store.find_case("C5世帯").unwrap().unwrap();
    let detail = store.case_detail(c5).unwrap().unwrap();
    let mut edit = renkei::store::cases::CaseEdit {
        pseudonym: detail.row.pseudonym.clone(),
        opened: detail.row.opened,
        referred_by: detail.row.referred_by.clone(),
        lead_agency: detail.row.lead_agency.clone(),
        key_person: detail.key_person.clone(),
        risk: detail.row.risk,
        urgency: detail.row.urgency,
        policy: detail.row.policy.clone(),
        next_review: detail.row.review_set,
        loaded: None,
    };
    edit.next_review = Some(day("9999-12-31"));
    let err = store.update_case(c5, &edit, None).unwrap_err().to_string();
    assert!(err.contains("9999-12-31"), "{err}");
    edit.next_review = Some(day("2036-11-22"));
    assert!(store.update_case(c5, &edit, None).is_err());
    edit.next_review = Some(day("2036-11-21"));
    store.update_case(c5, &edit, None).unwrap();
    assert_eq!(
        ledger_row(&db, "C5世帯").review_set,
        Some(day("2036-11-21"))
    );
    drop(store);

    let json = r#"{"format":"renkei/1","cases":[{"id":"F","pseudonym":"F世帯","opened":"2026-04-01","status":"active","next_review":"2062-01-01"}],"meetings":[]}"#;
    let path = db.file("far.json", json.as_bytes());
    let out = renkei(&db).arg("import").arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("cases[0]") && err.contains("next_review"),
        "{err}"
    );
    assert!(db.open().find_case("F世帯").unwrap().is_none());
}

/// The store at an instant of its own (a late entry is made on another day than the others).
fn store_at(db: &TempDb, at: &str) -> renkei::store::Store {
    let now = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    renkei::store::Store::open(&db.path, renkei::clock::Clock::fixed(now)).unwrap()
}

/// The report of 令和7 beside 令和8, by renkei run on a machine in UTC.
fn report_in_utc(db: &TempDb) -> String {
    let out = renkei(db)
        .env("TZ", "UTC")
        .args(["report", "--fiscal-year", "2025", "--compare", "2026"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Finding 11: one rule for every case table — a year counts what happened in it, whenever it
/// was recorded. A consent given on 3/20 and recorded on 4/2 is 令和7's consent (it counted as
/// 未確認 there, as recorded by the year's end, while a closure entered late counted in the year
/// of its date); a lead agency decided at the 3/30 meeting and entered on 4/4 is 令和7's lead
/// agency; a change with no date of its own made at 00:30 on 4/1 in Japan (15:30 on 3/31 in
/// UTC, the machine's zone) is 令和8's, and so is nothing 令和7 says.
#[test]
fn a_year_counts_what_happened_in_it_whenever_it_was_recorded() {
    let db = TempDb::new();
    import(
        &db,
        "late.json",
        r#"{"format":"renkei/1",
            "bodies":[{"name":"要対協実務者会議","organiser":"子ども家庭支援課","frequency":"月1回",
                       "kind":"要保護児童対策地域協議会"}],
            "cases":[
              {"id":"L","pseudonym":"L世帯","opened":"2025-10-01","status":"active","lead_agency":"地域福祉課"},
              {"id":"M","pseudonym":"M世帯","opened":"2025-11-01","status":"active","lead_agency":"地域福祉課"},
              {"id":"N","pseudonym":"N世帯","opened":"2025-12-01","status":"active","lead_agency":"地域福祉課"},
              {"id":"P","pseudonym":"P世帯","opened":"2026-01-05","status":"active","lead_agency":"地域福祉課"}],
            "meetings":[{"body":"要対協実務者会議","date":"2026-03-30","start":"10:00","end":"11:00",
                         "status":"held","cases":["L","M","N","P"]}]}"#,
    );
    let before = report_in_utc(&db);
    assert_eq!(cells(&before, CONSENT, "未確認"), ["4", "4"], "{before}");
    let find = |store: &renkei::store::Store, p: &str| store.find_case(p).unwrap().unwrap();

    // P: 00:30 on 4/1 in Japan, no date of its own — 令和8's.
    let mut store = store_at(&db, "2026-04-01T00:30:00+09:00");
    let p = find(&store, "P世帯");
    let d = store.case_detail(p).unwrap().unwrap();
    let edit = renkei::store::cases::CaseEdit {
        pseudonym: d.row.pseudonym.clone(),
        opened: d.row.opened,
        referred_by: d.row.referred_by.clone(),
        lead_agency: Some("保健センター".to_owned()),
        key_person: d.key_person.clone(),
        risk: d.row.risk,
        urgency: d.row.urgency,
        policy: d.row.policy.clone(),
        next_review: d.row.review_set,
        loaded: None,
    };
    store.update_case(p, &edit, None).unwrap();
    drop(store);
    // L: consent given on 3/20, recorded on 4/2.
    let mut store = store_at(&db, "2026-04-02T10:00:00+09:00");
    let l = find(&store, "L世帯");
    store
        .set_consent(l, Consent::Given, Some(day("2026-03-20")), None)
        .unwrap();
    // M: closed on 3/31, recorded on 4/3.
    drop(store);
    let mut store = store_at(&db, "2026-04-03T10:00:00+09:00");
    let m = find(&store, "M世帯");
    store
        .close_case(m, &closure("2026-03-31", "転居"), None)
        .unwrap();
    drop(store);
    // N: reviewed at the 3/30 meeting, the review entered on 4/4 with a new lead agency.
    let mut store = store_at(&db, "2026-04-04T10:00:00+09:00");
    let n = find(&store, "N世帯");
    let meeting: i64 = store
        .conn()
        .query_row(
            "SELECT id FROM meetings WHERE date = '2026-03-30'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let review = renkei::store::cases::ReviewDraft {
        status: CaseStatus::Monitoring,
        lead_agency: Some("子ども家庭支援センター".to_owned()),
        policy: None,
        next_review: Some(day("2026-06-30")),
        note: String::new(),
        reason: String::new(),
        evaluation: String::new(),
        transferred_to: String::new(),
        seen: None,
    };
    store.review_case(meeting, n, &review).unwrap();
    drop(store);

    let r = report_in_utc(&db);
    // 令和7 | 令和8. Consent of the cases followed: L given in 令和7 (on 3/20) and since.
    assert_eq!(cells(&r, CONSENT, "有"), ["1", "1"], "{r}");
    assert_eq!(cells(&r, CONSENT, "未確認"), ["3", "2"], "{r}");
    // M ended on 3/31: in 令和7, not active at its end, not followed in 令和8.
    assert_eq!(cells(&r, SUMMARY, "終結・中断・移管した事例"), ["1", "0"]);
    assert_eq!(
        cells(&r, "終結・中断・移管の理由", "終結（転居）"),
        ["1", "0"]
    );
    assert_eq!(cells(&r, SUMMARY, "年度末に対応中の事例"), ["3", "3"]);
    // Lead agencies of the cases followed: 令和7 L M 地域福祉課 (P's change came on 4/1), N
    // 子ども家庭支援センター (decided on 3/30); 令和8 L, P 保健センター, N.
    let lead = "主担当機関（年度内に対応した事例）";
    assert_eq!(cells(&r, lead, "地域福祉課"), ["3", "1"], "{r}");
    assert_eq!(cells(&r, lead, "子ども家庭支援センター"), ["1", "1"]);
    assert_eq!(cells(&r, lead, "保健センター"), ["0", "1"]);
    // The review itself is 令和7's, as it always was (the meeting's day).
    assert_eq!(
        cells(&r, SUMMARY, "進行管理の確認（会議で検討した件数）"),
        ["4", "0"]
    );
}
