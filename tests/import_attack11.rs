//! Imports under attack (session 11): what a hostile or odd file made the importer do, one test
//! per finding, each seen failing before its fix.

mod common;

use std::io::{Read, Write};

use common::{TempDb, dump};
use rust_xlsxwriter::{Formula, Workbook};

use renkei::store::Encoding;

/// A workbook's parts, `edit` given each part's name and bytes to change them.
fn rewritten(bytes: &[u8], edit: &mut dyn FnMut(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut part = Vec::new();
        file.read_to_end(&mut part).unwrap();
        let part = edit(&name, part);
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&part).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The refusal of `bytes` imported as `name` (into a database holding one body list), checked
/// to be one line naming the file and to change nothing.
fn refused(name: &str, bytes: &[u8]) -> String {
    let db = TempDb::new();
    let mut store = db.open();
    let list = db.file("list.csv", "会議名,主催者\n連絡会,福祉課\n".as_bytes());
    store.import_files(&[list], Encoding::Auto).unwrap();
    let before = dump(&store);
    let path = db.file(name, bytes);
    let err = match store.import_files(std::slice::from_ref(&path), Encoding::Auto) {
        Ok(summary) => panic!("{name} must be refused: {summary:?}"),
        Err(e) => e.to_string(),
    };
    assert_eq!(dump(&store), before, "a refused import changes nothing");
    assert!(err.starts_with(&path.display().to_string()), "{err}");
    assert!(!err.contains('\n'), "one line: {err:?}");
    err
}

/// Finding 5: a cell holding a formula saved without its result (a file written by a program
/// that does not calculate) was read as an empty cell, its value lost without a word. It is
/// refused now, naming the file, the sheet and the cell; a formula with its result still reads
/// as its result. (Seen failing before: the body list imported, 主催者 empty.)
#[test]
fn a_formula_saved_without_its_result_is_refused_naming_the_cell() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("一覧").unwrap();
    ws.write_row(0, 0, ["会議名", "主催者"]).unwrap();
    ws.write_row(1, 0, ["連絡会", "福祉課"]).unwrap();
    ws.write_string(2, 0, "部会").unwrap();
    ws.write_formula(2, 1, Formula::new("=B2").set_result("RESULT"))
        .unwrap();
    let with_result = wb.save_to_buffer().unwrap();
    let db = TempDb::new();
    let mut store = db.open();
    let path = db.file("calculated.xlsx", &with_result);
    store.import_files(&[path], Encoding::Auto).unwrap();
    let organisers: Vec<String> = store
        .conn()
        .prepare("SELECT organiser FROM bodies ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(organisers, ["福祉課", "RESULT"]);

    let mut seen = false;
    let without = rewritten(&with_result, &mut |name, part| {
        if name != "xl/worksheets/sheet1.xml" {
            return part;
        }
        let xml = String::from_utf8(part).unwrap();
        let cut = xml.replace("<v>RESULT</v>", "");
        seen = cut != xml;
        cut.into_bytes()
    });
    assert!(seen, "the result was in the sheet");
    let err = refused("uncalculated.xlsx", &without);
    assert!(
        err.contains(
            "uncalculated.xlsx: 一覧!B3: the cell holds a formula saved without its result (主催者)"
        ),
        "{err}"
    );
}
