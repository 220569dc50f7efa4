//! Attack of 2026-12-05 (round 30), findings 2 and 3: fields the redaction passed by. The
//! meeting's basis (開催根拠) and the basis a case was shared on (共有の根拠) are free text —
//! `本人同意（山田花子）` — and the body's organiser is typed with its contact as often as not
//! (`地域福祉課（担当 佐藤 健一）`); the redacted minutes (Markdown and .docx) and case record
//! printed them as typed, beside the same people masked, and the published report printed the
//! organiser whole.

use crate::common;

use common::{import_json, stdout_bytes};

/// Case P世帯 (本人 山田 花子（ヤマダ ハナコ）) discussed at a held meeting that 佐藤 健一
/// facilitated, with the member in both bases and the facilitator in the organiser.
const FILE: &str = r#"{"format":"renkei/1",
  "bodies":[{"name":"支援会議","organiser":"地域福祉課（担当 佐藤 健一）","frequency":"随時","kind":"支援会議"}],
  "cases":[{"id":"P0","pseudonym":"P世帯","opened":"2025-05-01","status":"active",
    "members":[{"relation":"本人","name":"山田 花子（ヤマダ ハナコ）"}]}],
  "meetings":[{"body":"支援会議","date":"2025-06-01","start":"10:00","status":"held",
    "facilitator":"佐藤 健一","basis":"本人同意（山田花子）",
    "cases":[{"case":"P0","basis":"本人（ヤマダ ハナコ）の同意"}],
    "agenda":[{"title":"経過","notes":["本人と面談した"]}]}]}"#;

fn leaks(text: &str) -> Vec<&'static str> {
    ["山田", "花子", "ヤマダ", "ハナコ", "佐藤", "健一"]
        .into_iter()
        .filter(|p| text.contains(p))
        .collect()
}

#[test]
fn the_bases_and_the_organiser_are_redacted_in_every_copy() {
    let db = common::blank();
    import_json(&db, FILE);
    let text = |args: &[&str]| String::from_utf8(stdout_bytes(&db, args)).unwrap();

    let minutes = text(&["minutes", "1", "--redact"]);
    assert!(
        leaks(&minutes).is_empty(),
        "{:?}\n{minutes}",
        leaks(&minutes)
    );
    // The words around the names stay, so the copy still says what the basis was.
    assert!(minutes.contains("本人同意（"), "{minutes}");
    assert!(minutes.contains("の同意"), "{minutes}");
    assert!(minutes.contains("地域福祉課（担当 "), "{minutes}");
    let docx = common::docx_text(&stdout_bytes(
        &db,
        &["minutes", "1", "--redact", "--format", "docx"],
    ));
    assert!(leaks(&docx).is_empty(), "{:?}\n{docx}", leaks(&docx));

    let record = text(&["case", "P世帯", "--redact"]);
    assert!(leaks(&record).is_empty(), "{:?}\n{record}", leaks(&record));
    assert!(record.contains("の同意"), "{record}");

    let report = text(&["report", "--fiscal-year", "2025"]);
    assert!(leaks(&report).is_empty(), "{:?}\n{report}", leaks(&report));
    assert!(report.contains("地域福祉課（担当 ○○）"), "{report}");

    // The copy that is not redacted keeps every field as typed.
    let whole = text(&["minutes", "1"]);
    for typed in [
        "本人同意（山田花子）",
        "本人（ヤマダ ハナコ）の同意",
        "地域福祉課（担当 佐藤 健一）",
    ] {
        assert!(whole.contains(typed), "{typed}:\n{whole}");
    }
}
