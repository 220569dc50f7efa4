//! The attack of 2026-12-05 on agency fields, through the binary: a household member typed into
//! the agency of an action or a role with a relation glued before the name (`母ハナコ`,
//! `元妻佐々木`, `長男山田`) or at the end of an agency after の (`健康推進課の山田`) was kept whole
//! in the redacted minutes (Markdown and .docx), the redacted case record and the published
//! report, and shielded the same words in the meeting's notes.

use crate::common;

use common::{TempDb, docx_text, import_json, stdout_bytes};

/// A世帯 (本人 山田 花子（ヤマダ ハナコ）, 長男 山田 健太, 元妻 佐々木 由紀) at a held 支援会議 whose
/// notes name the mother and the former wife, and whose actions and roles hold them in their
/// agency fields — beside agencies that hold a family name as a word.
const CASE: &str = r#"{"format": "renkei/1",
 "bodies": [{"name": "支援会議", "organiser": "福祉課", "frequency": "随時", "kind": "支援会議"}],
 "cases": [{"id": "c1", "pseudonym": "A世帯", "opened": "2026-04-10", "status": "active",
            "lead_agency": "子ども家庭支援センター",
            "members": [{"relation": "本人", "name": "山田 花子（ヤマダ ハナコ）"},
                        {"relation": "長男", "name": "山田 健太"},
                        {"relation": "元妻", "name": "佐々木 由紀"}]}],
 "meetings": [{"body": "支援会議", "date": "2026-11-03", "start": "10:00", "status": "held",
   "cases": ["c1"], "facilitator": "佐藤 恵子",
   "attendees": [{"name": "佐藤 恵子", "agency": "福祉課", "attendance": "present"}],
   "agenda": [{"title": "経過", "notes": ["母ハナコと元妻佐々木に連絡した"]}],
   "roles": [{"agency": "祖母・花子", "role": "週末の預かり"}],
   "actions": [{"agency": "母ハナコ", "text": "受診に同行する", "case": "c1"},
               {"agency": "元妻佐々木", "text": "受診に同行する", "case": "c1"},
               {"agency": "長男山田", "text": "受診に同行する", "case": "c1"},
               {"agency": "健康推進課の山田", "text": "受診に同行する", "case": "c1"},
               {"agency": "ヤマダ電機", "text": "家電を届ける", "case": "c1"},
               {"agency": "山田クリニック", "text": "診察する", "case": "c1"}]}]}"#;

fn text(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8(stdout_bytes(db, args)).unwrap()
}

/// What of the household a copy names: the fields as typed, the given name's reading, the
/// former wife's family name, the family name outside the two agencies that hold it as a word.
fn leaks(copy: &str) -> Vec<&'static str> {
    let outside = copy.replace("山田クリニック", "");
    [
        "母ハナコ",
        "元妻佐々木",
        "長男山田",
        "祖母・花子",
        "ハナコ",
        "花子",
        "佐々木",
        "山田",
    ]
    .into_iter()
    .filter(|name| outside.contains(name))
    .collect()
}

/// Seen failing before the fix: `### 母ハナコ` in the minutes (md and docx), `**母ハナコ**` in the
/// case record, `| 母ハナコ | 1 |` in the report, and the note kept whole.
#[test]
fn a_relative_typed_into_an_agency_field_is_masked_in_every_redacted_copy() {
    let db = TempDb::new();
    import_json(&db, CASE);
    let plain = text(&db, &["minutes", "1"]);
    assert!(plain.contains("母ハナコと元妻佐々木に連絡した"), "{plain}");
    let minutes = text(&db, &["minutes", "1", "--redact"]);
    let docx = docx_text(&stdout_bytes(
        &db,
        &["minutes", "1", "--redact", "--format", "docx"],
    ));
    let record = text(&db, &["case", "A世帯", "--redact"]);
    for copy in [&minutes, &docx, &record] {
        assert!(leaks(copy).is_empty(), "{:?}\n{copy}", leaks(copy));
        // The note: the mother is the case's A氏, the former wife another letter.
        assert!(copy.contains("母A氏と元妻"), "{copy}");
        assert!(copy.contains("母A氏"), "{copy}");
        assert!(copy.contains("健康推進課の"), "{copy}");
        // Agencies that hold a family name as a word stay.
        assert!(copy.contains("ヤマダ電機"), "{copy}");
        assert!(copy.contains("山田クリニック"), "{copy}");
    }
    let report = text(&db, &["report", "--fiscal-year", "2026"]);
    assert!(leaks(&report).is_empty(), "{:?}\n{report}", leaks(&report));
    assert!(report.contains("個人（家族等）"), "{report}");
    assert!(report.contains("ヤマダ電機"), "{report}");
    assert!(report.contains("山田クリニック"), "{report}");
}
