//! The annual report: seed 003's published tables reproduced from a generated meeting book,
//! every table, fiscal-year boundaries, Markdown and CSV (read back in both encodings), meeting
//! book imports, and the actions export.

use crate::common;

use chrono::NaiveDate;
use common::{TempDb, dump, fixture, renkei, stdout_bytes};
use renkei::i18n::Lang;
use renkei::report::{self, Options, Report, RowKind, TableId, Value};
use renkei::store::{Encoding, Store};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// The generator of fixtures/osaka_tsunagaru_r1_r2.csv
//
// Seed 003 publishes, for 令和2年度 (2020) and 令和元年度 (2019), the meetings of Osaka city's
// つながる場 by legal basis, supervisor dispatched, referring agency, participating agencies and
// case issues — the top rows of each and "その他". The generator writes one meeting book of both
// years whose report gives exactly those numbers. The agencies and issues folded into その他 are
// the ones the seed names under ※ (plus a few of the same sort), each below the smallest published
// row, so that the published rows stay the largest. Values are spread over the meetings by fixed
// strides, so the file is the same on every run.
//
// Regenerate after changing the generator:
//     RENKEI_REGENERATE=1 cargo test --test it report::osaka_book

const BOOK: &str = "osaka_tsunagaru_r1_r2.csv";
const BODY: &str = "総合的な支援調整の場（つながる場）";

struct YearSpec {
    year: i32,
    meetings: usize,
    basis: &'static [(&'static str, usize)],
    supervisor: usize,
    referred: &'static [(&'static str, usize)],
    agencies: &'static [(&'static str, usize)],
    issues: &'static [(&'static str, usize)],
}

const OTHER_AGENCIES: [&str; 12] = [
    "見守り相談室",
    "精神保健福祉相談員",
    "障がい福祉担当",
    "子ども・子育て担当",
    "社会福祉協議会",
    "民生委員",
    "医療機関",
    "訪問看護ステーション",
    "居宅介護支援事業所",
    "福祉サービス事業所",
    "学校教育機関",
    "保健福祉センター保健師",
];

const OTHER_ISSUES: [&str; 14] = [
    "依存症",
    "近隣住民とのトラブル",
    "身体障がい（疑い含む）",
    "制度の狭間",
    "自殺企図",
    "介護負担",
    "住まいの問題",
    "多重債務",
    "DV",
    "不登校",
    "8050問題",
    "家族関係の不和",
    "金銭管理",
    "就労",
];

const R2: YearSpec = YearSpec {
    year: 2020,
    meetings: 118,
    // Wards write the same basis several ways; the report folds them into one row.
    basis: &[
        ("地域ケア会議", 40),
        ("地域ケア会議※１", 18),
        ("支援会議", 29),
        ("本人同意（つながる場単独開催）", 10),
        ("本人同意", 6),
        ("要保護児童対策地域協議会", 9),
        ("要対協", 6),
    ],
    supervisor: 41,
    referred: &[
        ("地域包括支援センター", 35),
        ("生活困窮担当", 17),
        ("子ども・子育て担当", 11),
        ("見守り相談室", 8),
        ("生活保護担当", 6),
        ("高齢福祉担当", 5),
        ("障がい者基幹相談支援センター", 5),
        ("学校教育機関", 5),
        ("精神保健福祉相談員", 5),
        ("障がい福祉担当", 5),
        ("福祉サービス事業所", 5),
        ("医療機関", 5),
        ("民生委員", 4),
        ("社会福祉協議会", 2),
    ],
    agencies: &[
        ("地域包括支援センター", 72),
        ("高齢福祉担当", 63),
        ("生活困窮担当", 51),
        ("障がい者基幹相談支援センター", 51),
        ("生活保護担当", 48),
        (OTHER_AGENCIES[0], 47),
        (OTHER_AGENCIES[1], 46),
        (OTHER_AGENCIES[2], 45),
        (OTHER_AGENCIES[3], 44),
        (OTHER_AGENCIES[4], 40),
        (OTHER_AGENCIES[5], 38),
        (OTHER_AGENCIES[6], 36),
        (OTHER_AGENCIES[7], 34),
        (OTHER_AGENCIES[8], 32),
        (OTHER_AGENCIES[9], 30),
        (OTHER_AGENCIES[10], 28),
        (OTHER_AGENCIES[11], 24),
    ],
    issues: &[
        ("精神障がい（疑い含む）", 61),
        ("経済的困窮", 42),
        ("知的障がい（疑い含む）", 34),
        ("病気・けが", 31),
        ("虐待関連", 28),
        ("ゴミ屋敷", 25),
        ("ひきこもり", 25),
        ("発達障がい（疑い含む）", 21),
        ("認知症", 20),
        ("孤立", 19),
        (OTHER_ISSUES[0], 18),
        (OTHER_ISSUES[1], 18),
        (OTHER_ISSUES[2], 18),
        (OTHER_ISSUES[3], 17),
        (OTHER_ISSUES[4], 17),
        (OTHER_ISSUES[5], 17),
        (OTHER_ISSUES[6], 16),
        (OTHER_ISSUES[7], 16),
        (OTHER_ISSUES[8], 16),
        (OTHER_ISSUES[9], 15),
        (OTHER_ISSUES[10], 15),
        (OTHER_ISSUES[11], 14),
        (OTHER_ISSUES[12], 13),
        (OTHER_ISSUES[13], 13),
    ],
};

const R1: YearSpec = YearSpec {
    year: 2019,
    meetings: 158,
    basis: &[
        ("地域ケア会議", 70),
        ("支援会議", 38),
        ("本人同意", 29),
        ("要保護児童対策地域協議会", 20),
        ("地域ケア会議・要対協の共催", 1),
    ],
    supervisor: 74,
    referred: &[
        ("地域包括支援センター", 53),
        ("生活困窮担当", 33),
        ("子ども・子育て担当", 3),
        ("見守り相談室", 14),
        ("生活保護担当", 10),
        ("高齢福祉担当", 5),
        ("障がい者基幹相談支援センター", 5),
        ("学校教育機関", 5),
        ("精神保健福祉相談員", 5),
        ("障がい福祉担当", 5),
        ("福祉サービス事業所", 5),
        ("医療機関", 5),
        ("民生委員", 5),
        ("社会福祉協議会", 5),
    ],
    agencies: &[
        ("地域包括支援センター", 96),
        ("高齢福祉担当", 71),
        ("生活困窮担当", 79),
        ("障がい者基幹相談支援センター", 70),
        ("生活保護担当", 55),
        (OTHER_AGENCIES[0], 60),
        (OTHER_AGENCIES[1], 58),
        (OTHER_AGENCIES[2], 55),
        (OTHER_AGENCIES[3], 52),
        (OTHER_AGENCIES[4], 50),
        (OTHER_AGENCIES[5], 48),
        (OTHER_AGENCIES[6], 46),
        (OTHER_AGENCIES[7], 44),
        (OTHER_AGENCIES[8], 40),
        (OTHER_AGENCIES[9], 38),
        (OTHER_AGENCIES[10], 35),
        (OTHER_AGENCIES[11], 27),
    ],
    issues: &[
        ("精神障がい（疑い含む）", 94),
        ("経済的困窮", 68),
        ("知的障がい（疑い含む）", 52),
        ("病気・けが", 47),
        ("虐待関連", 35),
        ("ゴミ屋敷", 16),
        ("ひきこもり", 40),
        ("発達障がい（疑い含む）", 29),
        ("認知症", 37),
        ("孤立", 30),
        (OTHER_ISSUES[0], 30),
        (OTHER_ISSUES[1], 29),
        (OTHER_ISSUES[2], 28),
        (OTHER_ISSUES[3], 28),
        (OTHER_ISSUES[4], 27),
        (OTHER_ISSUES[5], 27),
        (OTHER_ISSUES[6], 26),
        (OTHER_ISSUES[7], 26),
        (OTHER_ISSUES[8], 26),
        (OTHER_ISSUES[9], 25),
        (OTHER_ISSUES[10], 25),
        (OTHER_ISSUES[11], 24),
        (OTHER_ISSUES[12], 24),
        (OTHER_ISSUES[13], 23),
    ],
};

/// One value per meeting: the list expanded by counts, taken with a stride coprime with the
/// number of meetings (so every value is used exactly its count of times).
fn spread(values: &[(&'static str, usize)], n: usize, stride: usize) -> Vec<&'static str> {
    let expanded: Vec<&str> = values
        .iter()
        .flat_map(|(v, c)| std::iter::repeat_n(*v, *c))
        .collect();
    assert_eq!(expanded.len(), n, "counts must add up to the meetings");
    (0..n).map(|i| expanded[(i * stride) % n]).collect()
}

/// Several values per meeting, each at most once: every value fills the next `count` meetings
/// (in the order of a stride coprime with the number of meetings), so each meeting gets nearly
/// the same number of values.
fn fill(values: &[(&'static str, usize)], n: usize, stride: usize) -> Vec<Vec<&'static str>> {
    let mut out = vec![Vec::new(); n];
    let mut next = 0;
    for (v, count) in values {
        assert!(*count <= n, "{v} in more meetings than there are");
        for j in 0..*count {
            out[((next + j) % n) * stride % n].push(*v);
        }
        next = (next + count) % n;
    }
    out
}

fn year_rows(spec: &YearSpec) -> Vec<Vec<String>> {
    let n = spec.meetings;
    let start = NaiveDate::from_ymd_opt(spec.year, 4, 1).unwrap();
    let basis = spread(spec.basis, n, 37);
    let sv = spread(
        &[("有", spec.supervisor), ("無", n - spec.supervisor)],
        n,
        29,
    );
    let referred = spread(spec.referred, n, 23);
    let agencies = fill(spec.agencies, n, 13);
    let issues = fill(spec.issues, n, 17);
    (0..n)
        .map(|i| {
            let date = start + chrono::Days::new((i * 365 / n) as u64);
            vec![
                date.format("%Y/%-m/%-d").to_string(),
                BODY.to_owned(),
                basis[i].to_owned(),
                sv[i].to_owned(),
                referred[i].to_owned(),
                agencies[i].join("、"),
                issues[i].join("、"),
            ]
        })
        .collect()
}

fn osaka_book() -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer
        .write_record([
            "開催日",
            "会議体",
            "開催根拠",
            "SV派遣",
            "相談のあった機関",
            "参加機関",
            "課題",
        ])
        .unwrap();
    for spec in [&R1, &R2] {
        for row in year_rows(spec) {
            writer.write_record(&row).unwrap();
        }
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
fn osaka_book_fixture_is_what_the_generator_makes() {
    let generated = osaka_book();
    let path = fixture(BOOK);
    if std::env::var_os("RENKEI_REGENERATE").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == generated,
        "{BOOK} differs from the generator: RENKEI_REGENERATE=1 cargo test --test it report::osaka_book"
    );
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn stdout(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8(stdout_bytes(db, args)).unwrap()
}

fn stderr_of_failure(db: &TempDb, args: &[&str]) -> String {
    let out = renkei(db).args(args).output().unwrap();
    assert!(!out.status.success(), "expected a failure: {args:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn osaka_db() -> TempDb {
    let db = TempDb::new();
    let mut store = db.open();
    store
        .import_files(&[fixture("osaka.toml"), fixture(BOOK)], Encoding::Auto)
        .unwrap();
    db
}

fn build(store: &Store, options: &Options) -> Report {
    let input = store.report_input(&options.years()).unwrap();
    report::check_scope(&input, options).unwrap();
    report::build(&input, options)
}

/// Seed 003's layout: the five largest agencies and the ten largest issues, the rest as その他.
fn published_options(year: i32, compare: &[i32]) -> Options {
    let mut o = Options::new(Lang::Ja, year, today());
    o.compare = compare.to_vec();
    o.top = Some(5);
    o.top_issues = Some(10);
    o
}

/// Each row's counts by its first label.
fn counts(report: &Report, id: TableId) -> BTreeMap<String, Vec<u64>> {
    report
        .table(id)
        .unwrap()
        .rows
        .iter()
        .map(|r| {
            (
                r.label().to_owned(),
                r.values.iter().map(|v| v.count()).collect(),
            )
        })
        .collect()
}

fn displayed(report: &Report, id: TableId, label: &str) -> Vec<String> {
    report
        .table(id)
        .unwrap()
        .row(label)
        .unwrap_or_else(|| panic!("no row {label} in {id:?}"))
        .values
        .iter()
        .map(|v| v.display(Lang::Ja))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Seed 003's tables: (row, R2年度, R元年度)

const BASIS: &[(&str, u64, u64)] = &[
    ("地域ケア会議", 58, 70),
    ("支援会議", 29, 38),
    ("本人同意", 16, 29),
    ("要保護児童対策地域協議会", 15, 20),
    ("地域ケア会議・要対協の共催", 0, 1),
    ("計", 118, 158),
];

const SUPERVISOR: &[(&str, u64, u64)] = &[("無", 77, 84), ("有", 41, 74), ("計", 118, 158)];

const REFERRED: &[(&str, &str, &str)] = &[
    ("地域包括支援センター", "35件(30%)", "53件(34%)"),
    ("生活困窮担当", "17件(14%)", "33件(21%)"),
    ("子ども・子育て担当", "11件(9%)", "3件(2%)"),
    ("見守り相談室", "8件(7%)", "14件(9%)"),
    ("生活保護担当", "6件(5%)", "10件(6%)"),
    ("その他", "41件(35%)", "45件(28%)"),
    ("計", "118件(100%)", "158件(100%)"),
];

const AGENCIES: &[(&str, u64, u64)] = &[
    ("地域包括支援センター", 72, 96),
    ("高齢福祉担当", 63, 71),
    ("生活困窮担当", 51, 79),
    ("障がい者基幹相談支援センター", 51, 70),
    ("生活保護担当", 48, 55),
    ("その他", 444, 553),
    ("計", 729, 924),
];

const ISSUES: &[(&str, u64, u64)] = &[
    ("精神障がい（疑い含む）", 61, 94),
    ("経済的困窮", 42, 68),
    ("知的障がい（疑い含む）", 34, 52),
    ("病気・けが", 31, 47),
    ("虐待関連", 28, 35),
    ("ゴミ屋敷", 25, 16),
    ("ひきこもり", 25, 40),
    ("発達障がい（疑い含む）", 21, 29),
    ("認知症", 20, 37),
    ("孤立", 19, 30),
    ("その他", 223, 368),
    ("総計", 529, 816),
];

fn assert_published(report: &Report, id: TableId, published: &[(&str, u64, u64)], col: usize) {
    let got = counts(report, id);
    for (label, r2, r1) in published {
        let want = [*r2, *r1][col..col + report.years.len()].to_vec();
        assert_eq!(got.get(*label), Some(&want), "{id:?} {label}");
    }
    // Nothing else: the published rows, plus the mean row where there is one.
    let items = report.table(id).unwrap().rows_of(RowKind::Item).count();
    let published_items = published
        .iter()
        .filter(|(l, ..)| !matches!(*l, "計" | "総計" | "その他"))
        .count();
    assert_eq!(items, published_items, "{id:?} rows");
}

#[test]
fn published_r2_tables_are_reproduced() {
    let db = osaka_db();
    let r = build(&db.open(), &published_options(2020, &[]));
    assert_eq!(r.title, "年次報告 令和2年度");
    assert_published(&r, TableId::Basis, BASIS, 0);
    assert_published(&r, TableId::Supervisor, SUPERVISOR, 0);
    assert_published(&r, TableId::Agencies, AGENCIES, 0);
    assert_published(&r, TableId::Issues, ISSUES, 0);
    for (label, r2, _) in REFERRED {
        assert_eq!(displayed(&r, TableId::ReferredBy, label), [*r2], "{label}");
    }
    assert_eq!(
        displayed(&r, TableId::Agencies, "1回あたり平均参加機関数"),
        ["6.2"]
    );
    assert_eq!(displayed(&r, TableId::Issues, "1事例あたり課題数"), ["4.5"]);
    // Largest first, as published (ties aside).
    let agencies: Vec<&str> = r
        .table(TableId::Agencies)
        .unwrap()
        .rows_of(RowKind::Item)
        .map(|row| row.label())
        .collect();
    assert_eq!(
        agencies,
        [
            "地域包括支援センター",
            "高齢福祉担当",
            "生活困窮担当",
            "障がい者基幹相談支援センター",
            "生活保護担当"
        ]
    );
    // The meetings recorded replace the yearly count kept in osaka.toml for the same year.
    let body = r.table(TableId::MeetingsByBody).unwrap().row(BODY).unwrap();
    assert_eq!(
        body.values,
        [Value::Meetings {
            count: 118,
            published: false
        }]
    );
    assert_eq!(counts(&r, TableId::MeetingsByKind)["個別ケース会議"], [118]);
    // The folded rows are named, as the seed's ※ notes do.
    let notes = &r.table(TableId::Agencies).unwrap().notes;
    assert!(
        notes[0].starts_with("その他には、見守り相談室、精神保健福祉相談員"),
        "{notes:?}"
    );
}

#[test]
fn published_r1_beside_r2() {
    let db = osaka_db();
    let r = build(&db.open(), &published_options(2020, &[2019]));
    assert_eq!(r.years, [2020, 2019]);
    assert_published(&r, TableId::Basis, BASIS, 0);
    assert_published(&r, TableId::Supervisor, SUPERVISOR, 0);
    assert_published(&r, TableId::Agencies, AGENCIES, 0);
    assert_published(&r, TableId::Issues, ISSUES, 0);
    for (label, r2, r1) in REFERRED {
        assert_eq!(
            displayed(&r, TableId::ReferredBy, label),
            [*r2, *r1],
            "{label}"
        );
    }
    assert_eq!(
        displayed(&r, TableId::Agencies, "1回あたり平均参加機関数"),
        ["6.2", "5.8"]
    );
    assert_eq!(
        displayed(&r, TableId::Issues, "1事例あたり課題数"),
        ["4.5", "5.2"]
    );
    assert_eq!(
        r.table(TableId::Basis).unwrap().value_headers,
        ["令和2年度", "令和元年度"]
    );
    // R元 on its own.
    let r1 = build(&db.open(), &published_options(2019, &[]));
    assert_eq!(
        counts(&r1, TableId::Basis)["地域ケア会議・要対協の共催"],
        [1]
    );
    assert_eq!(counts(&r1, TableId::Basis)["計"], [158]);
}

#[test]
fn markdown_prints_the_published_tables_side_by_side() {
    let db = osaka_db();
    let text = stdout(
        &db,
        &[
            "report",
            "--fiscal-year",
            "2020",
            "--compare",
            "2019",
            "--top",
            "5",
            "--top-issues",
            "10",
        ],
    );
    for line in [
        "# 年次報告 令和2年度",
        "## 開催根拠",
        "| 開催根拠 | 令和2年度 | 令和元年度 |",
        "| 地域ケア会議 | 58 | 70 |",
        "| 地域ケア会議・要対協の共催 | 0 | 1 |",
        "| 無 | 77 | 84 |",
        "| 地域包括支援センター | 35件(30%) | 53件(34%) |",
        "| その他 | 41件(35%) | 45件(28%) |",
        "| 計 | 118件(100%) | 158件(100%) |",
        "| その他 | 444 | 553 |",
        "| 1回あたり平均参加機関数 | 6.2 | 5.8 |",
        "| 総計 | 529 | 816 |",
        "| 1事例あたり課題数 | 4.5 | 5.2 |",
        "| 総合的な支援調整の場（つながる場） | 区保健福祉センター | 118 | 158 |",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    // Every table is a GFM table.
    let parser = pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::ENABLE_TABLES);
    let tables = parser
        .filter(|e| {
            matches!(
                e,
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Table(_))
            )
        })
        .count();
    // The fixture's meetings discuss no case: no table of cases.
    assert_eq!(tables, TableId::ALL.len() - TableId::CASES.len());
}

#[test]
fn english_on_request() {
    let db = osaka_db();
    let text = stdout(&db, &["--lang", "en", "report", "--fiscal-year", "2020"]);
    assert!(text.starts_with("# Annual report FY2020\n"), "{text}");
    assert!(text.contains("## Legal basis"), "{text}");
    assert!(text.contains("| Basis | FY2020 |"), "{text}");
    assert!(
        text.contains("| Agencies per meeting (mean) | 6.2 |"),
        "{text}"
    );
    assert!(
        text.contains("| Community care meeting (地域ケア会議) | 58 |"),
        "{text}"
    );
}

/// CSV records, read back with the csv crate: every record the same length (RFC 4180).
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn has_record(records: &[Vec<String>], cells: &[&str]) -> bool {
    records
        .iter()
        .any(|r| r.len() >= cells.len() && r.iter().zip(cells).all(|(a, b)| a == b))
}

#[test]
fn report_csv_reads_back_in_both_encodings() {
    let db = osaka_db();
    let args = [
        "report",
        "--fiscal-year",
        "2020",
        "--compare",
        "2019",
        "--top",
        "5",
        "--top-issues",
        "10",
        "--format",
        "csv",
    ];
    let utf8 = stdout_bytes(&db, &args);
    assert!(
        utf8.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with a BOM for Excel"
    );
    let text = std::str::from_utf8(&utf8[3..]).unwrap();
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let records = read_csv(text);
    for cells in [
        &["■ 開催根拠"][..],
        &["開催根拠", "令和2年度", "令和元年度"],
        &["地域ケア会議", "58", "70"],
        &[
            "相談のあった機関",
            "令和2年度",
            "令和2年度 割合(%)",
            "令和元年度",
            "令和元年度 割合(%)",
        ],
        &["地域包括支援センター", "35", "30", "53", "34"],
        &["1回あたり平均参加機関数", "6.2", "5.8"],
        &["1事例あたり課題数", "4.5", "5.2"],
    ] {
        assert!(has_record(&records, cells), "no record {cells:?}");
    }

    let mut cp932_args = args.to_vec();
    cp932_args.extend(["--encoding", "cp932"]);
    let sjis = stdout_bytes(&db, &cp932_args);
    let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
    assert!(!bad);
    // The same records; 〜 is written as Windows writes it (～).
    assert_eq!(read_csv(&decoded), read_csv(&text.replace('〜', "～")));
}

#[test]
fn report_to_a_file_is_owner_only() {
    let db = osaka_db();
    let path = db.dir.path().join("r2.csv");
    renkei(&db)
        .args(["report", "--fiscal-year", "2020", "--format", "csv", "-o"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    assert_eq!(common::mode(&path), 0o600);
    let err = stderr_of_failure(
        &db,
        &["report", "--fiscal-year", "2020", "--encoding", "cp932"],
    );
    assert!(
        err.contains("--encoding は --format csv のときだけ使えます"),
        "{err}"
    );
}

#[test]
fn book_in_cp932_gives_the_same_report() {
    let utf8 = osaka_db();
    let text = std::fs::read_to_string(fixture(BOOK)).unwrap();
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!bad);
    let db = TempDb::new();
    let book = db.file("book.csv", &sjis);
    db.open()
        .import_files(&[fixture("osaka.toml"), book], Encoding::Auto)
        .unwrap();
    let args = ["report", "--fiscal-year", "2020", "--compare", "2019"];
    assert_eq!(stdout(&db, &args), stdout(&utf8, &args));
}

// ---------------------------------------------------------------------------------------------
// Fiscal years, history, filters

#[test]
fn fiscal_year_boundaries() {
    let db = TempDb::new();
    let book = db.file(
        "book.csv",
        "開催日,会議体,開催根拠\n2020/4/1,支援会議,支援会議\n2021/3/31,支援会議,支援会議\n2021/4/1,支援会議,本人同意\n"
            .as_bytes(),
    );
    common::succeeds(renkei(&db).args(["import", "--create-bodies"]).arg(&book));
    let text = stdout(
        &db,
        &["report", "--fiscal-year", "2020", "--compare", "2021"],
    );
    assert!(text.contains("| 支援会議 | 2 | 0 |"), "{text}");
    assert!(text.contains("| 本人同意 | 0 | 1 |"), "{text}");
    assert!(
        text.contains("- 令和2年度: 2020-04-01 〜 2021-03-31"),
        "{text}"
    );
    assert!(
        text.contains("- 令和3年度: 2021-04-01 〜 2022-03-31"),
        "{text}"
    );
}

#[test]
fn yearly_counts_stand_in_for_years_with_no_meetings() {
    let db = TempDb::new();
    let mut store = db.open();
    store
        .import_files(&[fixture("sumida.toml")], Encoding::Auto)
        .unwrap();
    let mut o = Options::new(Lang::Ja, 2024, today());
    o.compare = vec![2023, 2022];
    let r = build(&store, &o);
    let published = |n| Value::Meetings {
        count: n,
        published: true,
    };
    let body = |name: &str| {
        r.table(TableId::MeetingsByBody)
            .unwrap()
            .row(name)
            .unwrap()
            .values
            .clone()
    };
    // Seed 002: 重層的支援会議 6/1/1, 支援会議 10/10/9, コア会議 1/19/6 (R4/R5/R6).
    assert_eq!(
        body("重層的支援会議"),
        [published(1), published(1), published(6)]
    );
    assert_eq!(
        body("支援会議"),
        [published(9), published(10), published(10)]
    );
    assert_eq!(
        body("コア会議"),
        [published(6), published(19), published(1)]
    );
    assert_eq!(counts(&r, TableId::MeetingsByKind)["コア会議"], [6, 19, 1]);
    assert_eq!(counts(&r, TableId::MeetingsByBody)["計"], [16, 30, 17]);
    // A year with meetings recorded counts them instead.
    let book = db.file("book.csv", "開催日,会議体\n2024/6/3,支援会議\n".as_bytes());
    store.import_files(&[book], Encoding::Auto).unwrap();
    let r = build(&store, &o);
    let support = &r
        .table(TableId::MeetingsByBody)
        .unwrap()
        .row("支援会議")
        .unwrap()
        .values;
    assert_eq!(
        support[0],
        Value::Meetings {
            count: 1,
            published: false
        }
    );
    let text = stdout(
        &db,
        &["report", "--fiscal-year", "2024", "--compare", "2023"],
    );
    assert!(
        text.contains("| 支援会議 | 地域福祉課 | 1 | 10（実績） |"),
        "{text}"
    );
    assert!(text.contains("（実績）: 会議の記録がない年度"), "{text}");
    let csv = String::from_utf8(stdout_bytes(
        &db,
        &[
            "report",
            "--fiscal-year",
            "2024",
            "--compare",
            "2023",
            "--format",
            "csv",
        ],
    ))
    .unwrap();
    let records = read_csv(csv.trim_start_matches('\u{feff}'));
    assert!(
        has_record(
            &records,
            &["支援会議", "地域福祉課", "1", "記録", "10", "実績"]
        ),
        "{records:?}"
    );
}

#[test]
fn body_and_kind_choose_the_meetings() {
    let db = TempDb::new();
    let mut store = db.open();
    store
        .import_files(&[fixture("sumida.toml")], Encoding::Auto)
        .unwrap();
    let book = db.file(
        "book.csv",
        "開催日,会議体,SV派遣\n2024/6/3,支援会議,有\n2024/6/4,コア会議,無\n2024/6/5,コア会議,無\n"
            .as_bytes(),
    );
    store.import_files(&[book], Encoding::Auto).unwrap();
    let text = stdout(
        &db,
        &["report", "--fiscal-year", "2024", "--kind", "コア会議"],
    );
    assert!(text.contains("| 無 | 2 |"), "{text}");
    assert!(text.contains("- 種別: コア会議"), "{text}");
    assert!(!text.contains("| 支援会議 | 地域福祉課 |"), "{text}");
    let text = stdout(
        &db,
        &["report", "--fiscal-year", "2024", "--body", "支援会議"],
    );
    assert!(text.contains("| 有 | 1 |"), "{text}");
    let err = stderr_of_failure(
        &db,
        &["report", "--fiscal-year", "2024", "--body", "ない会議"],
    );
    assert!(
        err.contains("--body: 「ない会議」という会議体はありません"),
        "{err}"
    );
    let err = stderr_of_failure(&db, &["report", "--fiscal-year", "2024", "--kind", "部会"]);
    assert!(
        err.contains("--kind: 「部会」という種別の会議体はありません"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Attendance, issues, planned meetings and next actions

/// Two held meetings of 令和8年度 and a planned one, with every attendance, duplicate issues and
/// actions in every state. "Today" is 21 November 2026.
const CASES: &str = r#"{ "format": "renkei/1",
  "bodies": [
    { "name": "支援会議", "organiser": "福祉課", "kind": "支援会議", "frequency": "毎月" },
    { "name": "コア会議", "organiser": "福祉課", "kind": "コア会議", "frequency": "随時" } ],
  "meetings": [
    { "body": "支援会議", "date": "2026-10-01", "status": "held", "basis": "支援会議",
      "supervisor": true, "referred_by": "地域包括支援センター",
      "attendees": [
        { "agency": "地域包括支援センター", "name": "山田", "attendance": "present" },
        { "agency": "地域包括支援センター", "name": "佐藤", "attendance": "late" },
        { "agency": "保護課", "attendance": "left_early" },
        { "agency": "社会福祉協議会", "attendance": "absent" },
        { "name": "本人", "role": "person" } ],
      "actions": [
        { "agency": "地域包括支援センター", "text": "訪問して状況を確認", "due": "2026-11-01" },
        { "agency": "保護課", "text": "申請の案内", "due": "2026-12-01" },
        { "agency": "保護課", "text": "医療券の発行", "due": "2026-10-15", "status": "done" },
        { "text": "次回日程の調整", "status": "dropped" } ],
      "issues": ["経済的困窮", "孤立", "経済的困窮"] },
    { "body": "コア会議", "date": "2026-04-01", "status": "held", "basis": "重層的支援会議" },
    { "body": "コア会議", "date": "2026-11-25", "status": "planned",
      "actions": [ { "agency": "保護課", "text": "予定の会議で決めた対応", "due": "2026-11-01" } ],
      "issues": ["認知症"] } ] }"#;

fn cases_db() -> TempDb {
    let db = TempDb::new();
    let path = db.file("cases.json", CASES.as_bytes());
    db.open().import_files(&[path], Encoding::Auto).unwrap();
    db
}

#[test]
fn every_table_counts_held_meetings_only() {
    let db = cases_db();
    let r = build(&db.open(), &Options::new(Lang::Ja, 2026, today()));
    assert_eq!(counts(&r, TableId::MeetingsByBody)["支援会議"], [1]);
    assert_eq!(counts(&r, TableId::MeetingsByBody)["コア会議"], [1]);
    assert_eq!(counts(&r, TableId::MeetingsByKind)["計"], [2]);
    let basis = counts(&r, TableId::Basis);
    assert_eq!(
        (
            basis["支援会議"][0],
            basis["重層的支援会議"][0],
            basis["計"][0]
        ),
        (1, 1, 2)
    );
    assert_eq!(counts(&r, TableId::Supervisor)["有"], [1]);
    assert_eq!(displayed(&r, TableId::ReferredBy, "未記入"), ["1件(50%)"]);
    // Present, late and left early count, once per agency; absent does not.
    let agencies = counts(&r, TableId::Agencies);
    assert_eq!(agencies["地域包括支援センター"], [1]);
    assert_eq!(agencies["保護課"], [1]);
    assert!(!agencies.contains_key("社会福祉協議会"));
    assert_eq!(
        displayed(&r, TableId::Agencies, "1回あたり平均参加機関数"),
        ["1.0"]
    );
    // A category listed twice for one case counts once; the planned meeting's issue not at all.
    let issues = counts(&r, TableId::Issues);
    assert_eq!(issues["経済的困窮"], [1]);
    assert_eq!(issues["総計"], [2]);
    assert!(!issues.contains_key("認知症"));
    // Created, done, open, overdue (as of today for the current year).
    let actions = counts(&r, TableId::Actions);
    assert_eq!(actions["地域包括支援センター"], [1, 0, 1, 1]);
    assert_eq!(actions["保護課"], [2, 1, 1, 0]);
    assert_eq!(actions["（機関未指定）"], [1, 0, 0, 0]);
    assert_eq!(actions["計"], [4, 1, 2, 1]);
}

#[test]
fn actions_list_marks_the_overdue() {
    let db = cases_db();
    let table = stdout(&db, &["actions"]);
    assert!(table.contains("! 期限超過"), "{table}");
    assert!(table.contains("訪問して状況を確認"), "{table}");
    assert!(table.contains("医療券の発行"), "{table}");
    let open = stdout(&db, &["actions", "--open", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&open).unwrap();
    let list = list.as_array().unwrap();
    let texts: Vec<(&str, bool)> = list
        .iter()
        .map(|a| (a["text"].as_str().unwrap(), a["overdue"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        texts,
        [
            ("予定の会議で決めた対応", true),
            ("申請の案内", false),
            ("訪問して状況を確認", true),
        ]
    );
    let keys: Vec<&str> = list[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "agency",
            "text",
            "due",
            "status",
            "overdue",
            "body",
            "meeting_id",
            "meeting_date",
            "ward",
            "ward_code",
            "ward_uid"
        ]
    );
    let one = stdout(&db, &["actions", "--agency", "保護課", "--format", "json"]);
    let one: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 3);
    let err = stderr_of_failure(&db, &["actions", "--agency", "ない機関"]);
    assert!(
        err.contains("--agency: 「ない機関」という機関はありません"),
        "{err}"
    );
}

#[test]
fn actions_csv_reads_back_in_both_encodings() {
    let db = cases_db();
    let utf8 = stdout_bytes(&db, &["actions", "--open", "--format", "csv"]);
    assert!(utf8.starts_with(b"\xEF\xBB\xBF"));
    let records = read_csv(std::str::from_utf8(&utf8[3..]).unwrap());
    assert_eq!(
        records[0],
        [
            "機関",
            "内容",
            "期限",
            "状態",
            "期限超過",
            "会議体",
            "会議日",
            "会議ID"
        ]
    );
    assert!(has_record(
        &records,
        &[
            "地域包括支援センター",
            "訪問して状況を確認",
            "2026-11-01",
            "未完了",
            "超過",
            "支援会議",
            "2026-10-01"
        ]
    ));
    let sjis = stdout_bytes(
        &db,
        &[
            "actions",
            "--open",
            "--format",
            "csv",
            "--encoding",
            "cp932",
        ],
    );
    let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
    assert!(!bad);
    assert_eq!(read_csv(&decoded), records);

    // A character CP932 cannot hold is an error naming the row, and nothing is written.
    let mut store = db.open();
    let meeting = store.meetings(None).unwrap()[0].id;
    store
        .add_action(meeting, Some("保護課"), "𠮷田さんに連絡", None)
        .unwrap();
    let path = db.dir.path().join("actions.csv");
    let out = renkei(&db)
        .args(["actions", "--format", "csv", "--encoding", "cp932", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("2 列目（内容）: '𠮷' (U+20BB7) は CP932 で書けません")
            && err.contains(" 行目"),
        "{err}"
    );
    assert!(!path.exists());
    renkei(&db)
        .args(["actions", "--format", "csv", "-o"])
        .arg(&path)
        .assert()
        .success();
    assert_eq!(common::mode(&path), 0o600);
    // Exports are in the audit trail, with where they went.
    let audit = stdout(&db, &["audit", "--format", "json"]);
    let exported = format!("\"detail\": \"{}\"", path.display());
    assert!(
        audit.contains("\"action\": \"export_actions\"") && audit.contains(&exported),
        "{audit}"
    );
}

// ---------------------------------------------------------------------------------------------
// Meeting books

#[test]
fn unknown_bodies_are_listed_and_nothing_changes() {
    let db = TempDb::new();
    db.open()
        .import_files(&[fixture("sumida.toml")], Encoding::Auto)
        .unwrap();
    let before = dump(&db.open());
    let book = db.file(
        "book.csv",
        "開催日,会議体\n2024/6/3,支援会議\n2024/6/4,ケース会議\n2024/6/5,地域ケア会議\n2024/6/6,ケース会議\n"
            .as_bytes(),
    );
    let err = stderr_of_failure(&db, &["import", book.to_str().unwrap()]);
    assert!(
        err.contains(
            "book.csv: 次の会議体がありません: 「ケース会議」（3行目）, 「地域ケア会議」（4行目）"
        ),
        "{err}"
    );
    assert!(err.contains("--create-bodies"), "{err}");
    assert_eq!(dump(&db.open()), before);

    let out = stdout(&db, &["import", "--create-bodies", book.to_str().unwrap()]);
    assert!(
        out.contains("新規 2 件") && out.contains("会議 4 件"),
        "{out}"
    );
    let bodies = stdout(&db, &["bodies", "--format", "json"]);
    assert!(bodies.contains("\"ケース会議\""), "{bodies}");
    // Importing the same book again replaces its meetings instead of doubling them.
    stdout(&db, &["import", book.to_str().unwrap()]);
    let meetings: serde_json::Value =
        serde_json::from_str(&stdout(&db, &["meetings", "--format", "json"])).unwrap();
    assert_eq!(meetings.as_array().unwrap().len(), 4);
}

#[test]
fn a_bad_row_names_file_and_line() {
    let db = TempDb::new();
    let book = db.file(
        "book.csv",
        "開催日,会議体,SV派遣\n2024/6/3,支援会議,有\n\n2024/6/4,支援会議,多分\n".as_bytes(),
    );
    let err = stderr_of_failure(&db, &["import", "--create-bodies", book.to_str().unwrap()]);
    assert!(
        err.contains("book.csv: 4行目: SV派遣 (supervisor) の「多分」は 有/無、○/×、yes/no、1/0 のどれでもありません"),
        "{err}"
    );
}

#[test]
fn book_meetings_round_trip_through_interchange() {
    let db = osaka_db();
    let store = db.open();
    let first = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let other = TempDb::new();
    let path = other.file("export.json", first.as_bytes());
    let mut copy = other.open();
    copy.import_files(&[path], Encoding::Auto).unwrap();
    let second = renkei::store::interchange::to_json(&copy.export_document().unwrap());
    assert_eq!(first, second);
    let args = ["report", "--fiscal-year", "2020", "--compare", "2019"];
    assert_eq!(stdout(&other, &args), stdout(&db, &args));
}

// ---------------------------------------------------------------------------------------------
// People typed where an agency or an issue goes (attack report 1, item 8)

const PEOPLE: &str = r#"{ "format": "renkei/1",
  "bodies": [ { "name": "支援会議", "organiser": "福祉課", "kind": "支援会議", "frequency": "毎月" } ],
  "meetings": [
    { "body": "支援会議", "date": "2026-10-01", "status": "held", "basis": "支援会議",
      "referred_by": "鈴木さん",
      "attendees": [
        { "agency": "佐藤 花子（長女）", "attendance": "present" },
        { "agency": "保護課", "name": "山田恵子", "attendance": "present" },
        { "agency": "地域包括支援センター", "name": "木村", "attendance": "present" } ],
      "actions": [
        { "agency": "山田恵子", "text": "訪問", "due": "2026-11-01" },
        { "agency": "保護課", "text": "申請の案内", "due": "2026-12-01" } ],
      "issues": ["山田さんの虐待", "孤立", "愛の手帳"] } ] }"#;

#[test]
fn people_in_agency_and_issue_cells_are_printed_as_a_label_and_counted() {
    let db = TempDb::new();
    let path = db.file("people.json", PEOPLE.as_bytes());
    db.open().import_files(&[path], Encoding::Auto).unwrap();
    for format in ["md", "csv"] {
        let out = renkei(&db)
            .args(["report", "--fiscal-year", "2026", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        for name in ["佐藤", "花子", "山田", "恵子", "鈴木"] {
            assert!(!text.contains(name), "{name} printed in {format}:\n{text}");
        }
        assert!(text.contains("個人（家族等）"), "{text}");
        for kept in ["保護課", "地域包括支援センター", "孤立", "愛の手帳"] {
            assert!(text.contains(kept), "{kept} lost in {format}:\n{text}");
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("4 か所"), "{err}");
        for name in ["佐藤", "山田", "鈴木"] {
            assert!(!err.contains(name), "{err}");
        }
    }
    // Counted under the label: the referring agency, the agency, the issue, the action's agency.
    let md = stdout(&db, &["report", "--fiscal-year", "2026", "--lang", "en"]);
    assert!(md.contains("a person"), "{md}");
}

/// The report's CSV in CP932 names the column a character cannot be written in by its own
/// table's header (主催者), where it named it by the file's first row, the report's title,
/// which has no second column: `6 行目・2 列目（）` (attack, 2026-12-05).
#[test]
fn a_report_csv_in_cp932_names_the_column_by_its_tables_header() {
    let db = TempDb::new();
    let bodies = db.file(
        "bodies.csv",
        "会議名,主催者,参加者数,参加者,主な議題,開催頻度,個人情報の共有\n吉会議,𠮷野課,10,児相,議題,年4回,無\n"
            .as_bytes(),
    );
    let book = db.file(
        "book.csv",
        "開催日,会議体,開催根拠,SV派遣,相談のあった機関,参加機関,課題\n2026/5/1,吉会議,支援会議,有,児相,児相,虐待関連\n"
            .as_bytes(),
    );
    stdout(
        &db,
        &["import", bodies.to_str().unwrap(), book.to_str().unwrap()],
    );
    let args = ["report", "--fiscal-year", "2026", "--format", "csv"];
    let err = stderr_of_failure(&db, &[&args[..], &["--encoding", "cp932"]].concat());
    let (row, _) = err
        .split_once(" 行目・2 列目（主催者）: '𠮷' (U+20BB7) は CP932 で書けません")
        .unwrap_or_else(|| panic!("{err}"));
    // The header named is the one above that row in the file as UTF-8 writes it.
    let row: usize = row.rsplit(' ').next().unwrap().parse().unwrap();
    let utf8 = stdout(&db, &args);
    let lines: Vec<&str> = utf8.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[row - 1].contains("𠮷野課"), "{utf8}");
    let above = lines[..row - 1]
        .iter()
        .rev()
        .find(|l| l.contains("主催者"))
        .unwrap_or_else(|| panic!("{utf8}"));
    assert_eq!(above.split(',').nth(1), Some("主催者"), "{utf8}");
}

/// An issue category longer than an Excel cell holds heads a column of the report's workbook
/// cut, with the mark that says so, as a long text in any other cell is: the workbook was
/// refused (`課題: 33034 文字の文字列は Excel のセルに入りません`), the report not written
/// (attack, 2026-12-05).
#[test]
fn a_report_workbook_cuts_an_issue_category_too_long_for_a_cell() {
    use calamine::{Reader, open_workbook_auto};
    let db = TempDb::new();
    let issue = format!("課題{}", "長".repeat(33_000));
    let doc = serde_json::json!({
        "format": "renkei/1",
        "bodies": [{ "name": "支援会議", "organiser": "区", "frequency": "随時" }],
        "meetings": [{
            "body": "支援会議", "date": "2026-05-01", "start": "10:00",
            "status": "held", "issues": [issue],
        }],
    });
    let file = db.file("long.json", doc.to_string().as_bytes());
    stdout(&db, &["import", file.to_str().unwrap()]);
    let path = db.dir.path().join("report.xlsx");
    stdout(
        &db,
        &[
            "report",
            "--fiscal-year",
            "2026",
            "--format",
            "xlsx",
            "-o",
            path.to_str().unwrap(),
        ],
    );
    let mut book = open_workbook_auto(&path).unwrap();
    let mut seen = 0;
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).unwrap();
        for cell in range.rows().flatten().map(|c| c.to_string()) {
            if cell.starts_with("課題長長") {
                assert_eq!(cell.chars().count(), 32_767);
                assert!(cell.ends_with("全文は renkei で）"));
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "the issue category is in the workbook");
}
