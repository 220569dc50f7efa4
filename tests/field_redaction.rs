//! Attack report 2, findings 1 and 2: a household member written into a field — an agency field
//! of the case record or of a meeting, a case issue, an action's agency — in any written form
//! (the name spaced or not, the recorded reading in katakana, hiragana, half width or Latin
//! letters, with an honorific or a relation). The redacted case record and minutes replace it
//! like the person and then every other mention of the person too; the annual report and the case
//! ledger count and show it as 個人（家族等）.

use crate::common;

use common::{import_json, renkei, stdout_bytes, xml_parts};
use unicode_normalization::UnicodeNormalization;

/// The member: 本人 山田 太郎（ヤマダ タロウ）.
const MEMBER: &str = "山田 太郎（ヤマダ タロウ）";

/// Every way the attack wrote the member into a field (finding 2's twelve forms and more).
const FORMS: &[&str] = &[
    "山田 太郎",
    "山田太郎",
    "山田　太郎",
    "山 田 太 郎",
    "山田太郎さん",
    "山田 太郎（本人）",
    "ヤマダ タロウ",
    "ヤマダ　タロウ",
    "ヤマダタロウ",
    "やまだ たろう",
    "やまだたろう",
    "ﾔﾏﾀﾞ ﾀﾛｳ",
    "Yamada Taro",
    "YAMADA",
    "タロウ",
    "太郎",
];

/// NFKC, lower case, katakana for hiragana, no blanks: how the test looks for the name.
fn folded(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The pieces of the member's name that must be nowhere in `text`.
fn leaks(text: &str) -> Vec<&'static str> {
    let f = folded(text);
    ["山田", "太郎", "ヤマダ", "タロウ", "yamada", "taro"]
        .into_iter()
        .filter(|p| f.contains(p))
        .collect()
}

/// Case P世帯 with the member, named in its policy, an issue and a note of a held meeting; the
/// member typed (as `form`) into the agency field `slot`.
fn case_file(slot: &str, form: &str) -> String {
    let agency = |s: &str| {
        if s == slot {
            serde_json::to_string(form).unwrap()
        } else {
            "\"保健センター\"".to_owned()
        }
    };
    format!(
        r#"{{"format":"renkei/1",
  "bodies":[{{"name":"支援会議","organiser":"福祉課","frequency":"随時","kind":"支援会議"}}],
  "cases":[{{"id":"P0","pseudonym":"P世帯","opened":"2025-05-01","status":"active",
    "policy":"山田太郎さんの通院。山田 太郎。ヤマダ タロウを支える",
    "lead_agency":{lead},"referred_by":{referred},
    "plan":[{{"agency":{plan},"role":"見守り","goal":"通院"}}],
    "members":[{{"relation":"本人","name":"{MEMBER}"}}]}}],
  "meetings":[{{"body":"支援会議","date":"2025-06-01","start":"10:00","status":"held","cases":["P0"],
    "issues":[{{"category":"山田太郎の飲酒","case":"P0"}}],
    "roles":[{{"agency":{role},"role":"見守る"}}],
    "actions":[{{"agency":{action},"text":"山田さんに連絡する","case":"P0"}}],
    "agenda":[{{"title":"経過","notes":["山田太郎さんと面談。山田 太郎に電話。ヤマダ タロウ、やまだ たろう、ﾔﾏﾀﾞ ﾀﾛｳ、Yamada Taro"]}}]}}]}}"#,
        lead = agency("lead"),
        referred = agency("referred"),
        plan = agency("plan"),
        role = agency("role"),
        action = agency("action"),
    )
}

/// Finding 1: whichever agency field of the case holds the member, in whichever form, the
/// redacted record (Markdown and .docx) names the member nowhere and calls the member P氏.
#[test]
fn a_member_typed_into_any_agency_field_is_redacted_everywhere_in_the_case_record() {
    // Every form in the lead agency; a few in each other agency field (time).
    let some = [
        "山田 太郎",
        "ヤマダ タロウ",
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        "Yamada Taro",
        "山田 太郎（本人）",
    ];
    for slot in ["lead", "referred", "plan", "role", "action"] {
        let forms = if slot == "lead" { FORMS } else { &some[..] };
        for form in forms {
            let db = common::blank();
            import_json(&db, &case_file(slot, form));
            let md = String::from_utf8(stdout_bytes(&db, &["case", "P世帯", "--redact"])).unwrap();
            assert!(
                leaks(&md).is_empty(),
                "{slot} = {form}: {:?}\n{md}",
                leaks(&md)
            );
            assert!(md.contains("P氏の通院"), "{slot} = {form}:\n{md}");
            assert!(!md.contains("某氏"), "{slot} = {form}:\n{md}");
            assert!(md.contains("保健センター"), "{slot} = {form}:\n{md}");
            if ["lead", "referred", "role"].contains(&slot) && form == &"ヤマダ タロウ" {
                let docx = stdout_bytes(&db, &["case", "P世帯", "--redact", "--format", "docx"]);
                let text = common::docx_text(&docx);
                assert!(leaks(&text).is_empty(), "{slot} = {form}: {text}");
            }
        }
    }
}

/// A meeting's agency cells, issues and action headings holding the member's reading.
fn meeting_file(form: &str) -> String {
    let f = serde_json::to_string(form).unwrap();
    format!(
        r#"{{"format":"renkei/1",
  "bodies":[{{"name":"支援会議","organiser":"福祉課","frequency":"随時","kind":"支援会議"}}],
  "cases":[{{"id":"P0","pseudonym":"P世帯","opened":"2025-05-01","status":"active",
    "members":[{{"relation":"本人","name":"{MEMBER}"}}]}}],
  "meetings":[{{"body":"支援会議","date":"2025-06-01","start":"10:00","status":"held","cases":["P0"],
    "referred_by":{f},
    "issues":[{{"category":"ヤマダ タロウの借金","case":"P0"}},{{"category":"山田太郎の飲酒","case":"P0"}}],
    "attendees":[{{"name":"佐藤","agency":{f},"attendance":"present"}}],
    "actions":[{{"agency":{f},"text":"連絡する","due":"2025-07-01"}}],
    "agenda":[{{"title":"経過","notes":["ヤマダ タロウさんと面談。山田 太郎に電話"]}}]}}]}}"#
    )
}

/// Finding 2: in the redacted minutes the reading in a field is the member (P氏), and a reading
/// in `referred_by` does not make the reading an agency kept whole in the notes.
#[test]
fn a_reading_in_a_meeting_field_is_the_member_in_the_redacted_minutes_and_record() {
    for form in FORMS {
        let db = common::blank();
        import_json(&db, &meeting_file(form));
        let md = String::from_utf8(stdout_bytes(&db, &["minutes", "1", "--redact"])).unwrap();
        assert!(leaks(&md).is_empty(), "{form}: {:?}\n{md}", leaks(&md));
        assert!(md.contains("P氏と面談。P氏に電話"), "{form}:\n{md}");
        assert!(md.contains("P氏の借金"), "{form}:\n{md}");
        assert!(!md.contains("某氏"), "{form}:\n{md}");
        let record = String::from_utf8(stdout_bytes(&db, &["case", "P世帯", "--redact"])).unwrap();
        assert!(leaks(&record).is_empty(), "{form}: {record}");
    }
}

/// Finding 2's cosmetic: the header names the case before the arrow when the meeting's cases
/// are case records.
#[test]
fn the_redacted_minutes_header_names_the_case_before_the_arrow() {
    let db = common::blank();
    import_json(&db, &meeting_file("佐藤 花子（長女）"));
    let md = String::from_utf8(stdout_bytes(&db, &["minutes", "1", "--redact"])).unwrap();
    assert!(md.contains("（P世帯 → P氏）"), "{md}");
    assert!(!md.contains("（ → "), "{md}");
}

/// Twelve cases referred by the member, each written another way (finding 2, ppl2.json).
fn referred_cases() -> String {
    let cases: Vec<String> = FORMS
        .iter()
        .enumerate()
        .map(|(i, form)| {
            format!(
                r#"{{"id":"V{i}","pseudonym":"V{i}世帯","opened":"2025-05-01","status":"active","referred_by":{},"lead_agency":{}}}"#,
                serde_json::to_string(form).unwrap(),
                serde_json::to_string(form).unwrap(),
            )
        })
        .collect();
    format!(
        r#"{{"format":"renkei/1",
  "bodies":[{{"name":"支援会議","organiser":"福祉課","frequency":"随時","kind":"支援会議"}}],
  "cases":[{{"id":"P0","pseudonym":"P世帯","opened":"2025-05-01","status":"active",
    "referred_by":"地域包括支援センター","lead_agency":"山田クリニック",
    "members":[{{"relation":"本人","name":"{MEMBER}"}}]}},{}],
  "meetings":[{{"body":"支援会議","date":"2025-06-01","start":"10:00","status":"held","cases":["P0"],
    "issues":[{{"category":"ヤマダ タロウの借金","case":"P0"}}],
    "attendees":[{{"name":"佐藤","agency":"ヤマダタロウ","attendance":"present"}}],
    "actions":[{{"agency":"やまだ たろう","text":"連絡する","due":"2025-07-01"}}]}}]}}"#,
        cases.join(",")
    )
}

/// Finding 2 (the report): every written form of the member is counted and printed as
/// 個人（家族等）, in Markdown, CSV and xlsx; a real agency holding the family name is kept.
#[test]
fn the_report_masks_every_written_form_of_a_member() {
    let db = common::blank();
    import_json(&db, &referred_cases());
    let md = String::from_utf8(stdout_bytes(&db, &["report", "--fiscal-year", "2025"])).unwrap();
    assert!(md.contains("山田クリニック"), "{md}");
    let md = md.replace("山田クリニック", "");
    assert!(leaks(&md).is_empty(), "{:?}\n{md}", leaks(&md));
    assert!(md.contains("個人（家族等）"), "{md}");
    assert!(md.contains("地域包括支援センター"), "{md}");
    let csv = stdout_bytes(&db, &["report", "--fiscal-year", "2025", "--format", "csv"]);
    let csv = String::from_utf8_lossy(&csv).replace("山田クリニック", "");
    assert!(leaks(&csv).is_empty(), "{:?}\n{csv}", leaks(&csv));
    let out = db.dir.path().join("report.xlsx");
    renkei(&db)
        .args(["report", "--fiscal-year", "2025", "--format", "xlsx", "-o"])
        .arg(&out)
        .assert()
        .success();
    let xlsx = xml_parts(&std::fs::read(&out).unwrap()).replace("山田クリニック", "");
    assert!(leaks(&xlsx).is_empty(), "{:?}", leaks(&xlsx));
    assert!(xlsx.contains("個人（家族等）"));
}

/// Finding 2 (the ledger): 主担当機関 and 相談経路 never show a household member, in the table,
/// JSON, CSV and xlsx; an agency holding the family name stays.
#[test]
fn the_ledger_never_shows_a_household_name() {
    let db = common::blank();
    import_json(&db, &referred_cases());
    let table = String::from_utf8(stdout_bytes(&db, &["cases"])).unwrap();
    let without_agency = table.replace("山田クリニック", "");
    assert!(leaks(&without_agency).is_empty(), "{table}");
    assert!(table.contains("個人（家族等）"), "{table}");
    assert!(table.contains("山田クリニック"), "{table}");
    for format in ["json", "csv"] {
        let out = stdout_bytes(&db, &["cases", "--format", format]);
        let text = String::from_utf8_lossy(&out).replace("山田クリニック", "");
        assert!(
            leaks(&text).is_empty(),
            "{format}: {:?}\n{text}",
            leaks(&text)
        );
        assert_eq!(
            text.matches("個人（家族等）").count(),
            2 * FORMS.len(),
            "{format}: {text}"
        );
    }
    let out = db.dir.path().join("cases.xlsx");
    renkei(&db)
        .args(["cases", "--format", "xlsx", "-o"])
        .arg(&out)
        .assert()
        .success();
    let xlsx = xml_parts(&std::fs::read(&out).unwrap()).replace("山田クリニック", "");
    assert!(leaks(&xlsx).is_empty(), "{:?}", leaks(&xlsx));
}

/// Finding 1's last case: the member's reading typed as the key person (and as the lead agency)
/// is the member — P氏, not another letter nor 某氏.
#[test]
fn the_reading_as_the_key_person_takes_the_members_letter() {
    for form in ["ヤマダ タロウ", "やまだたろう", "ﾔﾏﾀﾞ ﾀﾛｳ"] {
        let db = common::blank();
        let json = case_file("lead", "ヤマダ　タロウ").replace(
            r#""status":"active","#,
            &format!(
                r#""status":"active","key_person":{},"#,
                serde_json::to_string(form).unwrap()
            ),
        );
        import_json(&db, &json);
        let md = String::from_utf8(stdout_bytes(&db, &["case", "P世帯", "--redact"])).unwrap();
        assert!(leaks(&md).is_empty(), "{form}: {md}");
        assert!(md.contains("**キーパーソン**：P氏"), "{form}: {md}");
        assert!(md.contains("**主担当機関**：P氏"), "{form}: {md}");
        // A氏 only in the notice that explains the placeholders.
        assert_eq!(md.matches("A氏").count(), 1, "{form}: {md}");
        assert!(!md.contains("某氏"), "{form}: {md}");
    }
}
