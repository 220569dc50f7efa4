//! A household's family name after a relation word (attack finding 10, session 11): notes like
//! 「元夫の佐々木が来所」「叔父の山田さん」, where 佐々木 / 山田 is the family name of the case's
//! household, name that household: no published table (the annual report, the ledger, its
//! redacted list) keeps it.

use crate::common;

use common::{TempDb, import_json, stdout_bytes};

/// Case S世帯 (本人 佐々木 花子, 長男 佐々木 健) ended with reasons and issues that name the
/// family by its family name after a relation; case Y世帯 (本人 山田 太郎) likewise; case K世帯
/// (本人 希望 一郎), whose family name is also a word, ended with 「元夫の希望が来所し引取り」.
const FILE: &str = r#"{"format":"renkei/1",
  "bodies":[{"name":"支援会議","organiser":"福祉課","frequency":"随時","kind":"支援会議"}],
  "cases":[
    {"id":"S0","pseudonym":"S世帯","opened":"2025-05-01","status":"closed","closed":"2025-11-01",
     "closure_reason":"元夫の佐々木が来所し引取り",
     "lead_agency":"福祉課","policy":"元夫の佐々木との接触を避け、母の佐々木さんに見守りを依頼",
     "members":[{"relation":"本人","name":"佐々木 花子（ササキ ハナコ）"},
                {"relation":"長男","name":"佐々木 健"}]},
    {"id":"Y0","pseudonym":"Y世帯","opened":"2025-05-01","status":"closed","closed":"2025-11-02",
     "closure_reason":"叔父の山田さんが同居を始めた","policy":"叔父の山田さんと伯母の山田に連絡",
     "members":[{"relation":"本人","name":"山田 太郎（ヤマダ タロウ）"}]},
    {"id":"K0","pseudonym":"K世帯","opened":"2025-05-01","status":"closed","closed":"2025-11-03",
     "closure_reason":"元夫の希望が来所し引取り",
     "members":[{"relation":"本人","name":"希望 一郎（キボウ イチロウ）"}]}],
  "meetings":[{"body":"支援会議","date":"2025-06-01","start":"10:00","status":"held",
    "cases":["S0","Y0"],
    "agenda":[{"title":"経過","notes":["元夫の佐々木が来所。叔父の山田さんが同席。長男の佐々木も同席"]}],
    "issues":[{"category":"内縁の夫の佐々木による暴力","case":"S0"},
              {"category":"叔父の山田さんの借金","case":"Y0"},
              {"category":"伯母の山田と同居","case":"Y0"}]}]}"#;

fn out(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8_lossy(&stdout_bytes(db, args)).into_owned()
}

fn no_family(what: &str, text: &str) {
    for name in ["佐々木", "佐佐木", "山田", "元夫の希望"] {
        assert!(!text.contains(name), "{what}: {name}\n{text}");
    }
}

#[test]
fn the_report_masks_a_household_family_name_after_a_relation() {
    let db = TempDb::new();
    import_json(&db, FILE);
    for format in ["md", "csv"] {
        let text = out(
            &db,
            &["report", "--fiscal-year", "2025", "--format", format],
        );
        no_family(format, &text);
        for kept in [
            "元夫の○○が来所し引取り",
            "叔父の○○が同居を始めた",
            "内縁の夫の○○による暴力",
        ] {
            assert!(text.contains(kept), "{format}: {kept}\n{text}");
        }
    }
}

#[test]
fn the_ledger_masks_a_household_family_name_after_a_relation() {
    let db = TempDb::new();
    import_json(&db, FILE);
    // The list's 終結理由 as the report's (its 援助方針 is shown as typed without --redact).
    let text = out(&db, &["cases", "--status", "all", "--format", "csv"]);
    for reason in ["元夫の○○が来所し引取り", "叔父の○○が同居を始めた"] {
        assert_eq!(
            text.matches(reason).count(),
            if reason.starts_with("元夫") { 2 } else { 1 },
            "{reason}\n{text}"
        );
    }
    let redacted = out(
        &db,
        &["cases", "--status", "all", "--format", "json", "--redact"],
    );
    no_family("ledger --redact", &redacted);
}

#[test]
fn the_redacted_minutes_and_record_mask_a_household_family_name_after_a_relation() {
    let db = TempDb::new();
    import_json(&db, FILE);
    let minutes = out(&db, &["minutes", "1", "--redact"]);
    no_family("minutes --redact", &minutes);
    for case in ["S世帯", "Y世帯"] {
        let record = out(&db, &["case", case, "--redact"]);
        no_family(case, &record);
    }
}
