//! Attack report 6 (session 7): what an adversarial pass on main found and the lead fixed, one
//! test per finding, each seen failing before its fix.

mod common;

use common::{TempDb, import_json, stdout_bytes, xml_parts};

fn text(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8(stdout_bytes(db, args)).unwrap()
}

/// A世帯 (本人 髙橋 一郎) whose key person is an aunt outside the household, 叔母 山田 花子, who also
/// gave the consent; B世帯 was referred by her; a held confidential 個別ケース会議 discusses A世帯
/// and its notes name her as people write her.
const KEY_PERSON: &str = r#"{"format": "renkei/1",
 "bodies": [{"name": "個別ケース会議X", "organiser": "保健福祉課", "frequency": "随時",
             "kind": "個別ケース会議", "personal_info": true}],
 "cases": [{"id": "c1", "pseudonym": "A世帯", "opened": "2026-04-10", "status": "active",
            "lead_agency": "子ども家庭支援センター", "key_person": "叔母 山田 花子",
            "consent": "given", "consent_date": "2026-04-10", "consent_by": "叔父 鈴木 次郎",
            "risk": "high", "members": [{"relation": "本人", "name": "髙橋 一郎"}]},
           {"id": "c2", "pseudonym": "B世帯", "opened": "2026-04-10", "status": "active",
            "lead_agency": "子ども家庭支援センター", "referred_by": "山田花子",
            "members": [{"relation": "本人", "name": "渡邊 学"}]}],
 "meetings": [
  {"body": "個別ケース会議X", "date": "2026-10-15", "start": "14:00", "status": "held",
   "confidential": true, "cases": ["c1"], "facilitator": "佐藤 恵子",
   "attendees": [{"name": "佐藤 恵子", "agency": "保健福祉課", "attendance": "present"}],
   "agenda": [{"title": "協議", "notes": ["山田花子が本人を引き取る意向", "ヤマダ ハナコから電話",
                                          "鈴木次郎の同意は書面で"]}],
   "roles": [{"agency": "山田花子", "role": "週末の預かり"}]}]}"#;

/// Finding 3 (privacy, high): the case's key person (and who gave consent) — a relative outside
/// the household, masked in the case's own redacted record — was printed whole by the redacted
/// minutes of the case's meeting, the redacted ledger and the published report, which know only
/// `recorded_texts`: a case's people are recorded there too now (schema step 18).
#[test]
fn a_cases_key_person_is_masked_in_every_published_copy() {
    let db = TempDb::new();
    import_json(&db, KEY_PERSON);
    let plain = text(&db, &["minutes", "1"]);
    assert!(plain.contains("山田花子が本人を引き取る意向"), "{plain}");
    let redacted = text(&db, &["minutes", "1", "--redact"]);
    let docx = xml_parts(&stdout_bytes(
        &db,
        &["minutes", "1", "--redact", "--format", "docx"],
    ));
    for copy in [&redacted, &docx] {
        // (ハナコ stays: no reading of 花子 was recorded, and a given name has many.)
        for name in ["山田", "花子", "ヤマダ", "鈴木", "次郎"] {
            assert!(!copy.contains(name), "{name} in {copy}");
        }
    }
    assert!(redacted.contains("が本人を引き取る意向"), "{redacted}");
    let ledger = text(&db, &["cases", "--redact", "--format", "csv"]);
    let report = text(&db, &["report", "--fiscal-year", "2026"]);
    for copy in [&ledger, &report] {
        assert!(!copy.contains("山田"), "{copy}");
        assert!(!copy.contains("花子"), "{copy}");
    }
}
