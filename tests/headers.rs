//! The headers of a tabular import (CSV, TSV, a workbook): a column renkei does not know is
//! refused naming the file, the cell and the header, with the columns it knows, and nothing is
//! imported — it was read as nothing, and a body list's `個人情報共有` left a body sharing
//! personal information public (its meetings 公開, CLASS:PUBLIC, the minutes without their
//! confidentiality notice), a meeting book's `SV派遣の有無`, `参加者` or `課題名` left every
//! meeting without its supervisor, attendees or issues (attack on the imports, 2026-12-05).
//! The unambiguous spellings of a ward are read as the column they mean.

use crate::common;

use common::{TempDb, dump, refused, renkei, stdout_bytes, succeeds};
use rust_xlsxwriter::Workbook;

/// The attack's meeting book: one meeting of 見守り会議.
const BOOK: &str = "開催日,会議体,開催根拠,SV派遣,相談のあった機関,参加機関,課題,事例\n\
    2026/11/10,見守り会議,本人同意,無,児相,児相、保健所,虐待関連,\n";

/// A body list whose fourth header is `flag`.
fn list(flag: &str) -> String {
    format!("会議名,主催者,開催頻度,{flag}\n見守り会議,区,年4回,有\n")
}

/// A workbook of one sheet, 一覧, holding `text`'s rows (comma-separated) from A1.
fn xlsx(text: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("一覧").unwrap();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            if !cell.is_empty() {
                sheet.write(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// The file named `name` holding `text` as its extension says: CSV, TSV or a workbook.
fn file(db: &TempDb, name: &str, text: &str) -> std::path::PathBuf {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("tsv") => db.file(name, text.replace(',', "\t").as_bytes()),
        Some("xlsx") => db.file(name, &xlsx(text)),
        _ => db.file(name, text.as_bytes()),
    }
}

fn export(db: &TempDb) -> serde_json::Value {
    serde_json::from_slice(&stdout_bytes(db, &["export"])).unwrap()
}

/// The import of `files` (name, text) is refused; its message, and the database as it was.
fn refusal(files: &[(&str, &str)], lang: &str) -> String {
    let db = TempDb::new();
    let before = dump(&db.open());
    let paths: Vec<_> = files.iter().map(|(n, t)| file(&db, n, t)).collect();
    let err = refused(
        renkei(&db)
            .args(["--lang", lang, "import"])
            .args(&paths)
            .current_dir(db.dir.path()),
    );
    assert_eq!(dump(&db.open()), before, "{err}");
    err
}

/// The repro of the attack, as CSV, TSV and a workbook: the ward's spellings of the
/// personal-information flag are read as it — the body shares personal information and its
/// meeting is 非公開.
#[test]
fn the_wards_spellings_of_the_personal_information_flag_are_read() {
    for flag in ["個人情報共有", "個人情報の共有の有無", " 個人情報の共有 "]
    {
        for ext in ["csv", "tsv", "xlsx"] {
            let db = TempDb::new();
            let body_list = file(&db, &format!("hv.{ext}"), &list(flag));
            let book = file(&db, &format!("hvb.{ext}"), BOOK);
            succeeds(renkei(&db).arg("import").arg(&body_list).arg(&book));
            let doc = export(&db);
            assert_eq!(doc["bodies"][0]["personal_info"], true, "{flag} {ext}");
            let meetings = String::from_utf8(stdout_bytes(&db, &["meetings"])).unwrap();
            assert!(meetings.contains("非公開"), "{flag} {ext}: {meetings}");
        }
    }
}

/// A header renkei does not know is refused, naming the file, the line and column (or the
/// sheet's cell), the header, the known column nearest to it and every column it knows; the
/// database is as it was, the other file of the import not imported either.
#[test]
fn an_unknown_header_is_refused_naming_its_place_and_nothing_is_imported() {
    for (header, near, column) in [
        ("個人情報の取扱い", "個人情報の共有 (personal_info)", 4),
        ("主催社", "主催者 (organiser)", 4),
        ("開催頻変", "開催頻度 (frequency)", 4),
    ] {
        for (ext, at) in [
            ("csv", format!("1行{column}列目")),
            ("tsv", format!("1行{column}列目")),
            ("xlsx", "一覧!D1".to_owned()),
        ] {
            let name = format!("hv.{ext}");
            let err = refusal(&[(&name, &list(header)), ("hvb.csv", BOOK)], "ja");
            assert!(
                err.contains(&format!(
                    "{name}: {at}: 見出し「{header}」は renkei の知らない列です。{near} のことでしょうか。"
                )),
                "{err}"
            );
            assert!(
                err.contains("読める列は 会議名 (name), 主催者 (organiser), "),
                "{err}"
            );
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
    // In English, and a header near no known one.
    let err = refusal(&[("hv.csv", &list("担当者メモ"))], "en");
    assert!(
        err.contains(
            "hv.csv: line 1, column 4: the header '担当者メモ' is not a column renkei knows; \
             the columns it reads are 会議名 (name), "
        ),
        "{err}"
    );
    assert!(err.contains("備考 (note), No./番号"), "{err}");
}

/// A meeting book's `SV派遣の有無` is its supervisor column; `参加者` (people or agencies?) and
/// `課題名` are refused with the column they are near — never read as nothing, which left the
/// annual report's counts wrong.
#[test]
fn a_meeting_books_headers() {
    let book = "開催日,会議体,SV派遣の有無,参加機関,課題\n2026/11/10,見守り会議,有,児相、保健所,虐待関連\n";
    for ext in ["csv", "tsv", "xlsx"] {
        let db = TempDb::new();
        let path = file(&db, &format!("book.{ext}"), book);
        succeeds(renkei(&db).arg("import").arg(&path).arg("--create-bodies"));
        let doc = export(&db);
        let m = &doc["meetings"][0];
        assert_eq!(m["supervisor"], true, "{ext}: {m}");
        assert_eq!(m["attendees"].as_array().unwrap().len(), 2, "{ext}: {m}");
        assert_eq!(m["issues"].as_array().unwrap().len(), 1, "{ext}: {m}");
    }
    for (header, near, column, cell) in [
        ("参加者", "参加機関 (agencies)", 4, "D1"),
        ("課題名", "課題 (issues)", 5, "E1"),
        ("主催社", "主催者 (organiser)", 3, "C1"),
    ] {
        let text = format!(
            "開催日,会議体,{},{}\n2026/11/10,見守り会議,有,児相、保健所,虐待関連\n",
            if column == 3 { header } else { "SV派遣" },
            if column == 4 {
                format!("{header},課題")
            } else if column == 5 {
                format!("参加機関,{header}")
            } else {
                "参加機関,課題".to_owned()
            }
        );
        for (ext, at) in [
            ("csv", format!("1行{column}列目")),
            ("xlsx", format!("一覧!{cell}")),
        ] {
            let name = format!("book.{ext}");
            let err = refusal(&[("hv.csv", &list("個人情報の共有")), (&name, &text)], "ja");
            assert!(
                err.contains(&format!(
                    "{name}: {at}: 見出し「{header}」は renkei の知らない列です。{near} のことでしょうか。"
                )),
                "{err}"
            );
            assert!(
                err.contains("読める列は 開催日 (date), 会議体 (body), "),
                "{err}"
            );
        }
    }
}

/// Laid out as a ward prints it — a title, the header repeated, a second table — an unknown
/// header of the second table, under rows already read, refuses the whole file at its line.
#[test]
fn an_unknown_header_further_down_refuses_the_file() {
    let text = "江東区の会議体,,,\n\
        \n\
        No.,会議名,主催者,個人情報の共有\n\
        1,居住支援協議会,住宅課,\n\
        No.,会議名,主催者,個人情報の共有\n\
        2,ケース会議,障害者支援課,○\n\
        \n\
        社会福祉協議会,,,\n\
        No.,会議名,主催者,個人情報の取り扱い\n\
        1,ケース会議,社協,○\n";
    for (ext, at) in [("csv", "9行4列目"), ("xlsx", "一覧!D9")] {
        let name = format!("registry.{ext}");
        let err = refusal(&[(&name, text)], "ja");
        assert!(
            err.contains(&format!("{name}: {at}: 見出し「個人情報の取り扱い」")),
            "{err}"
        );
    }
}

/// Liberal where a ward's files are: blank header cells over empty columns, blanks around a
/// header, full-width letters (Ｎｏ．, ＳＶ), the row numbers of No. and 番号.
#[test]
fn what_a_wards_header_row_may_hold() {
    let db = TempDb::new();
    let text = "Ｎｏ．,　会議名 ,主催者,,　個人情報の共有の有無 ,\n1,見守り会議,区,,○,\n";
    let path = file(&db, "ok.csv", text);
    succeeds(renkei(&db).arg("import").arg(&path));
    assert_eq!(export(&db)["bodies"][0]["personal_info"], true);
    let book = "番号,開催日,会議体,,ＳＶ 有無,\n1,2026/11/10,見守り会議,,有,\n";
    let path = file(&db, "ok_book.xlsx", book);
    succeeds(renkei(&db).arg("import").arg(&path));
    let doc = export(&db);
    assert_eq!(doc["meetings"].as_array().unwrap().len(), 1);
    assert_eq!(doc["meetings"][0]["supervisor"], true);
}
