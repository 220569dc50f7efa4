//! The readers of tables and fixtures as the command line says their errors (attack report 7,
//! finding 17 and its addenda): meeting books and body lists as CSV, TSV and workbooks, and a
//! TOML fixture's syntax, in Japanese by default and in English with `--lang en`, each naming
//! its line or cell; a meeting book read row by row still refuses as a whole, changing nothing.

use crate::common;

use common::{TempDb, renkei, stdout_bytes};

/// The one line of error an import of `name` holding `bytes` ends with, in Japanese and in
/// English; nothing imported.
fn refused(db: &TempDb, name: &str, bytes: &[u8], args: &[&str]) -> (String, String) {
    let file = db.file(name, bytes);
    let before = stdout_bytes(db, &["export"]);
    let run = |lang: &[&str]| {
        let out = renkei(db)
            .args(lang)
            .arg("import")
            .arg(&file)
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{name} was imported");
        String::from_utf8(out.stderr).unwrap()
    };
    let said = (run(&[]), run(&["--lang", "en"]));
    assert_eq!(
        stdout_bytes(db, &["export"]),
        before,
        "{name} changed the database"
    );
    said
}

fn demo() -> TempDb {
    common::demo_copy()
}

/// Each error in Japanese (no English words of its own) and in English, naming its place.
/// (Seen failing before: every one English in both.)
#[test]
fn the_errors_of_tables_are_said_in_the_readers_language() {
    let db = demo();
    for (name, bytes, args, ja, en) in [
        (
            "bl.csv",
            "会議名,主催者,個人情報\nX,Y,たぶん\n".as_bytes().to_vec(),
            &[][..],
            "2行目: 個人情報の共有 (personal_info) の「たぶん」は 有/無、○/×、yes/no、1/0 のどれでもありません",
            "line 2: 個人情報の共有 (personal_info) 'たぶん' is not 有/無, ○/×, yes/no or 1/0",
        ),
        (
            "bl.csv",
            "会議名,主催者\nA,福祉課\nA,福祉課\n".as_bytes().to_vec(),
            &[],
            "3行目: 福祉課の「A」が二度書かれています（最初は 2行目）",
            "line 3: 'A' of '福祉課' is listed twice (first at line 2)",
        ),
        (
            "bl.csv",
            "会議名,主催者\n\"閉じていない,福祉課\n".as_bytes().to_vec(),
            &[],
            "2行目: 引用符（\"）で始まる欄が閉じていません",
            "line 2: a quoted field is never closed",
        ),
        (
            "bl.csv",
            b"\xff\xfe\xe4\xbc\x9a\xe8\xad\xb0\xe5\x90\x8d\n".to_vec(),
            &["--encoding", "utf8"],
            "1行目: UTF-8 として読めないバイトがあります",
            "line 1: invalid UTF-8",
        ),
        (
            "bl.csv",
            b"\xff\xfe\x81\n".to_vec(),
            &[],
            "1行目: UTF-8 でも Shift_JIS でも読めません",
            "line 1: neither UTF-8 nor Shift_JIS",
        ),
        (
            "mb.csv",
            "開催日,会議体\n2026-01-01,存在しない会議体\n"
                .as_bytes()
                .to_vec(),
            &[],
            "次の会議体がありません: 「存在しない会議体」（2行目）",
            "no such body: '存在しない会議体' (line 2)",
        ),
        (
            "mbig.csv",
            "開催日,会議体\n2026-01-01,二度の会議\n2026/1/1,二度の会議\n"
                .as_bytes()
                .to_vec(),
            &["--create-bodies"],
            "3行目: 2行目 と会議体・開催日・開始時刻が同じです",
            "line 3: the same body, date and start as line 2",
        ),
        (
            "bad.xlsx",
            b"garbage".to_vec(),
            &[],
            "bad.xlsx: renkei が読めるブックではありません（壊れているか、途中で切れています: .xlsx と .ods の入れ物の zip が読めません）",
            "bad.xlsx: not a workbook renkei can read (damaged or cut short: the zip",
        ),
        // A workbook cut short, a 1-byte .ods, a zip that is no workbook, an .xls cut short:
        // each said in the reader's language, none in the library's English (`Zip error:
        // InvalidArchive("Could not find EOCD")`, `Cfb error: Sector 48 points past end of file`).
        (
            "cut.xlsx",
            workbook_bytes()[..3000].to_vec(),
            &[],
            "cut.xlsx: renkei が読めるブックではありません（壊れているか、途中で切れています",
            "cut.xlsx: not a workbook renkei can read (damaged or cut short",
        ),
        (
            "one.ods",
            b"x".to_vec(),
            &[],
            "one.ods: renkei が読めるブックではありません（壊れているか、途中で切れています",
            "one.ods: not a workbook renkei can read (damaged or cut short",
        ),
        (
            "parts.xlsx",
            zip_of_no_workbook(),
            &[],
            "parts.xlsx: renkei が読めるブックではありません（ブックにあるはずの _rels/.rels がありません",
            "parts.xlsx: not a workbook renkei can read (_rels/.rels, which a workbook holds, is missing",
        ),
        (
            "cut.xls",
            std::fs::read(common::fixture("koto_registry.xls")).unwrap()[..5000].to_vec(),
            &[],
            "cut.xls: renkei が読めるブックではありません（壊れているか、途中で切れています: .xls の構造が読めません）",
            "cut.xls: not a workbook renkei can read (damaged or cut short: the structure of the .xls",
        ),
        (
            "fx.toml",
            b"garbage = [\n".to_vec(),
            &[],
            "fx.toml: 1行12列目: 配列（[ ]）が閉じていません",
            "fx.toml: line 1, column 12: unclosed array",
        ),
    ] {
        let (said_ja, said_en) = refused(&db, name, &bytes, args);
        assert!(said_ja.contains(ja), "{name}: {said_ja}");
        assert!(said_en.contains(en), "{name}: {said_en}");
        assert!(!said_ja.contains("error"), "{name}: {said_ja}");
    }
}

/// A workbook of one table, as Excel would save it.
fn workbook_bytes() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write_string(0, 0, "開催日").unwrap();
    sheet.write_string(0, 1, "会議体").unwrap();
    wb.save_to_buffer().unwrap()
}

/// A zip holding something, but none of a workbook's parts.
fn zip_of_no_workbook() -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("EncryptionInfo", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"x").unwrap();
    zip.finish().unwrap().into_inner()
}

/// A workbook's sheet named by `--sheet` that is not there, and a workbook whose sheets hold no
/// table: named in both languages, the sheets listed.
#[test]
fn a_workbooks_sheets_are_named_in_the_readers_language() {
    let db = demo();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "x").unwrap();
    let s2 = wb.add_worksheet();
    s2.set_name("S2").unwrap();
    s2.write_string(0, 0, "備考").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let (ja, en) = refused(&db, "bl2.xlsx", &bytes, &["--sheet", "無い"]);
    assert!(
        ja.contains("「無い」という名前のシートはありません（シート: Sheet1, S2）"),
        "{ja}"
    );
    assert!(
        en.contains("no sheet named '無い' (sheets: Sheet1, S2)"),
        "{en}"
    );
    let (ja, en) = refused(&db, "bl2.xlsx", &bytes, &[]);
    assert!(
        ja.contains("見出しの行があるシートがありません（シート: Sheet1, S2）"),
        "{ja}"
    );
    assert!(en.contains("no sheet has a header row"), "{en}");
}

/// A meeting book is written as its rows are read, one transaction still: a bad row far down
/// refuses the whole book, the meetings of the rows before it included, naming its line.
#[test]
fn a_bad_row_after_many_refuses_the_whole_book() {
    let db = demo();
    let mut text = String::from("開催日,会議体,主催者\n");
    for i in 0..500 {
        text.push_str(&format!(
            "2020-04-{:02},行の会議体{},福祉課\n",
            i % 28 + 1,
            i / 28
        ));
    }
    text.push_str("2020-13-01,行の会議体0,福祉課\n");
    let (ja, en) = refused(&db, "book.csv", text.as_bytes(), &["--create-bodies"]);
    assert!(
        ja.contains("502行目: 開催日 (date) の「2020-13-01」は日付ではありません"),
        "{ja}"
    );
    assert!(
        en.contains("line 502: 開催日 (date) '2020-13-01' is not a date"),
        "{en}"
    );
}
