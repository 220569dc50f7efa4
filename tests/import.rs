//! Imports: fixtures, CSV/TSV in every encoding a ward uses, interchange JSON; one transaction
//! each, and a bad file changes nothing.

mod common;

use common::{TempDb, dump, fixture};
use renkei::store::{Encoding, Store};

const FIXTURES: &[&str] = &[
    "koto.toml",
    "sendai.toml",
    "sumida.toml",
    "edogawa.toml",
    "osaka.toml",
    "templates.toml",
];

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn import_all_fixtures(store: &mut Store) {
    let paths: Vec<_> = FIXTURES.iter().map(|f| fixture(f)).collect();
    store.import_files(&paths, Encoding::Auto).unwrap();
}

#[test]
fn every_fixture_imports() {
    let db = TempDb::new();
    let mut store = db.open();
    import_all_fixtures(&mut store);
    let koto = count(
        &store,
        "SELECT COUNT(*) FROM bodies WHERE municipality = '江東区'",
    );
    assert_eq!(koto, 48, "Koto's 42 + 6 bodies");
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM bodies WHERE municipality = '仙台市'"
        ),
        5
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM bodies WHERE municipality = '墨田区'"
        ),
        3
    );
    // Sendai's network reports upward: every level but the council has a parent.
    let orphans = count(
        &store,
        "SELECT COUNT(*) FROM bodies WHERE municipality = '仙台市' AND parent_id IS NULL",
    );
    assert_eq!(orphans, 1);
    // Sumida's yearly counts R4–R6.
    let history = count(
        &store,
        "SELECT SUM(h.meetings) FROM body_history h JOIN bodies b ON b.id = h.body_id WHERE b.municipality = '墨田区'",
    );
    assert_eq!(history, 6 + 1 + 1 + 10 + 10 + 9 + 1 + 19 + 6);
    assert!(
        count(
            &store,
            "SELECT COUNT(*) FROM agenda_templates WHERE kind = '支援会議'"
        ) >= 6
    );
    // Members are split into agencies.
    let members = count(
        &store,
        "SELECT COUNT(*) FROM body_members m JOIN bodies b ON b.id = m.body_id WHERE b.name = '江東区居住支援協議会'",
    );
    assert_eq!(members, 10);
}

#[test]
fn importing_twice_does_not_duplicate() {
    let db = TempDb::new();
    let mut store = db.open();
    import_all_fixtures(&mut store);
    let before = count(&store, "SELECT COUNT(*) FROM bodies");
    let again = store
        .import_files(&[fixture("koto.toml")], Encoding::Auto)
        .unwrap();
    assert_eq!(again.bodies_added, 0);
    assert_eq!(again.bodies_updated, 48);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM bodies"), before);
    // Re-importing Sumida after Edogawa (which also has a 支援会議) still resolves its own bodies.
    store
        .import_files(&[fixture("sumida.toml")], Encoding::Auto)
        .unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM bodies"), before);
}

const KOTO_CSV: &str = "No.,会議名,主催者,参加者数,参加者,主な議題,開催頻度,個人情報の共有\r\n\
1,江東区居住支援協議会,住宅課住宅指導係,23名程度,\"民間事業者団体、社会福祉協議会、東京都\",お部屋探しサポート,年1回（2月）,\r\n\
11,個別ケース会議,各保健相談所,ケースにより関係者複数名,\"障害者支援課、福祉事務所\",\"支援方針、情報共有\",必要時（不定期）,○\r\n";

fn assert_csv_import(bytes: &[u8], name: &str, encoding: Encoding) {
    let db = TempDb::new();
    let mut store = db.open();
    let path = db.file(name, bytes);
    let summary = store.import_files(&[path], encoding).unwrap();
    assert_eq!(summary.bodies_added, 2, "{name}");
    let bodies = store.bodies().unwrap();
    let case = bodies
        .iter()
        .find(|b| b.record.name == "個別ケース会議")
        .expect(name);
    assert_eq!(case.record.frequency, "必要時（不定期）");
    assert!(case.record.personal_info);
    assert_eq!(case.record.members, ["障害者支援課", "福祉事務所"]);
    let housing = bodies
        .iter()
        .find(|b| b.record.name == "江東区居住支援協議会")
        .unwrap();
    assert!(!housing.record.personal_info);
    assert_eq!(housing.record.frequency, "年1回（2月）");
}

#[test]
fn csv_in_utf8() {
    assert_csv_import(KOTO_CSV.as_bytes(), "bodies.csv", Encoding::Auto);
}

#[test]
fn csv_in_utf8_with_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(KOTO_CSV.as_bytes());
    assert_csv_import(&bytes, "bodies-bom.csv", Encoding::Auto);
}

#[test]
fn csv_in_shift_jis_detected_or_named() {
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(KOTO_CSV);
    assert!(!unmappable);
    assert_csv_import(&sjis, "bodies-sjis.csv", Encoding::Auto);
    assert_csv_import(&sjis, "bodies-sjis2.csv", Encoding::Cp932);
}

#[test]
fn tsv_as_excel_saves_it() {
    let tsv = KOTO_CSV
        .replace(",\"", "\t\"")
        .replace("\",", "\"\t")
        .replace(',', "\t");
    let tsv = tsv.replace(
        "\"民間事業者団体\t社会福祉協議会\t東京都\"",
        "民間事業者団体、社会福祉協議会、東京都",
    );
    let tsv = tsv
        .replace("\"障害者支援課\t福祉事務所\"", "障害者支援課、福祉事務所")
        .replace("\"支援方針\t情報共有\"", "支援方針、情報共有");
    assert_csv_import(tsv.as_bytes(), "bodies.tsv", Encoding::Auto);
}

fn assert_refused(files: &[(&str, &[u8])], expected: &[&str]) {
    let db = TempDb::new();
    let mut store = db.open();
    import_all_fixtures(&mut store);
    let before = dump(&store);
    let paths: Vec<_> = files.iter().map(|(n, b)| db.file(n, b)).collect();
    let err = store
        .import_files(&paths, Encoding::Auto)
        .expect_err("must be refused")
        .to_string();
    for part in expected {
        assert!(err.contains(part), "error {err:?} should contain {part:?}");
    }
    assert!(!err.contains('\n'), "one line: {err:?}");
    assert_eq!(dump(&store), before, "a refused import must change nothing");
}

#[test]
fn bad_csv_names_file_and_line_and_changes_nothing() {
    let csv = "会議名,主催者,個人情報の共有\n新しい会議,福祉課,○\n壊れた会議,福祉課,たぶん\n";
    assert_refused(
        &[("broken.csv", csv.as_bytes())],
        &["broken.csv", "line 3", "個人情報の共有"],
    );
}

#[test]
fn csv_with_unclosed_quote_or_missing_name() {
    assert_refused(
        &[("noname.csv", b"title,freq\nA,1\n")],
        &["noname.csv", "line 1", "会議名"],
    );
    assert_refused(
        &[("empty-name.csv", "会議名,主催者\n,福祉課\n".as_bytes())],
        &["line 2", "empty"],
    );
}

#[test]
fn invalid_bytes_name_the_line() {
    let mut bytes = "会議名\nA\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe\n");
    assert_refused(&[("bytes.csv", &bytes)], &["bytes.csv", "line 3"]);
}

#[test]
fn bad_toml_names_file_and_line() {
    let toml = "[[bodies]]\nname = \"A\"\nfrequency = \"年1回\"\n\n[[bodies]]\nname = \"B\"\npersonal_info = \"はい\"\n";
    assert_refused(&[("bad.toml", toml.as_bytes())], &["bad.toml", "line 7"]);
    let unknown = "[[bodies]]\nname = \"A\"\norganizer = \"x\"\n";
    assert_refused(
        &[("typo.toml", unknown.as_bytes())],
        &["typo.toml", "line 3", "organizer"],
    );
    let parent = "[[bodies]]\nname = \"A\"\nparent = \"存在しない会議\"\n";
    assert_refused(
        &[("parent.toml", parent.as_bytes())],
        &["parent.toml", "bodies[0]", "存在しない会議"],
    );
}

#[test]
fn bad_json_names_the_line_or_path() {
    let syntax =
        "{\n  \"format\": \"renkei/1\",\n  \"bodies\": [\n    { \"name\": \"A\", }\n  ]\n}\n";
    assert_refused(
        &[("syntax.json", syntax.as_bytes())],
        &["syntax.json", "line 4"],
    );
    let wrong_type =
        r#"{ "format": "renkei/1", "bodies": [ { "name": "A", "personal_info": "yes" } ] }"#;
    assert_refused(
        &[("type.json", wrong_type.as_bytes())],
        &["type.json", "bodies[0].personal_info"],
    );
    let bad_date = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
        "meetings": [ { "body": "A", "date": "2026-02-30" } ] }"#;
    assert_refused(
        &[("date.json", bad_date.as_bytes())],
        &["date.json", "meetings[0].date", "2026-02-30"],
    );
    let no_body = r#"{ "format": "renkei/1", "meetings": [ { "body": "どこにもない", "date": "2026-12-01" } ] }"#;
    assert_refused(
        &[("nobody.json", no_body.as_bytes())],
        &["meetings[0].body", "どこにもない"],
    );
    let wrong_format = r#"{ "format": "other/2", "bodies": [] }"#;
    assert_refused(
        &[("format.json", wrong_format.as_bytes())],
        &["format.json", "renkei/1"],
    );
    let bad_role = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
        "meetings": [ { "body": "A", "date": "2026-12-01", "attendees": [ { "name": "x", "role": "chair" } ] } ] }"#;
    assert_refused(
        &[("role.json", bad_role.as_bytes())],
        &["meetings[0].attendees[0].role"],
    );
}

#[test]
fn one_bad_file_refuses_the_whole_import() {
    let good = "会議名,主催者\n新しい会議,福祉課\n";
    let bad = "{ \"format\": \"renkei/1\", \"bodies\": [ { \"name\": 3 } ] }";
    assert_refused(
        &[("good.csv", good.as_bytes()), ("bad.json", bad.as_bytes())],
        &["bad.json"],
    );
}

#[test]
fn unknown_extension_is_refused() {
    assert_refused(
        &[("bodies.pdf", b"%PDF-1.4")],
        &["bodies.pdf", ".csv", ".xlsx"],
    );
}

#[test]
fn interchange_round_trips() {
    let db = TempDb::new();
    let mut store = db.open();
    renkei::demo::load(&mut store).unwrap();
    let first = renkei::store::interchange::to_json(&store.export_document().unwrap());

    let other = TempDb::new();
    let mut copy = other.open();
    let path = other.file("export.json", first.as_bytes());
    copy.import_files(std::slice::from_ref(&path), Encoding::Auto)
        .unwrap();
    let second = renkei::store::interchange::to_json(&copy.export_document().unwrap());
    assert_eq!(first, second);

    // Importing the same export again changes nothing either.
    copy.import_files(&[path], Encoding::Auto).unwrap();
    let third = renkei::store::interchange::to_json(&copy.export_document().unwrap());
    assert_eq!(first, third);
}

#[test]
fn the_streamed_export_is_the_document_byte_for_byte() {
    let db = TempDb::new();
    let mut store = db.open();
    renkei::demo::load(&mut store).unwrap();
    renkei::demo::load_scaled(&mut store, 2).unwrap();
    let whole = renkei::store::interchange::to_json(&store.export_document().unwrap());
    let mut streamed = Vec::new();
    store.write_export(&mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), whole);
    assert!(whole.contains("\"meetings\": ["));
}
