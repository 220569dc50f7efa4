//! Who reaches the published tables (people21): the annual report and the ledger look up, for
//! each distinct cell, the few recorded people it may name (`Store::table_people`) — and a
//! household member's family name that is a place (千葉 花子) leaves the place (千葉県, 千葉市,
//! 千葉駅) whole in the report, the ledger, the redacted minutes and the redacted case record,
//! while the person is replaced in every written form.

use crate::common;

use common::{TempDb, import_json, renkei, stdout_bytes};

/// Case P世帯: 本人 千葉 花子（チバ ハナコ）, ended with a reason that names a place and the
/// person; another case referred by the member typed another way; a held meeting with an
/// attendee recorded elsewhere (広島 優), a note of places and the member, an issue naming her,
/// an action's agency holding the attendee.
const FILE: &str = r#"{"format":"renkei/1",
  "bodies":[{"name":"支援会議","organiser":"福祉課","frequency":"随時","kind":"支援会議"}],
  "cases":[
    {"id":"P0","pseudonym":"P世帯","opened":"2025-05-01","status":"closed","closed":"2025-11-01",
     "closure_reason":"花子は千葉県の施設へ入所（千葉市経由）",
     "lead_agency":"千葉県立病院","referred_by":"千葉市児童相談所",
     "policy":"千葉駅前の店での就労を支える",
     "members":[{"relation":"本人","name":"千葉 花子（チバ ハナコ）"}]},
    {"id":"Q0","pseudonym":"Q世帯","opened":"2025-05-01","status":"active",
     "lead_agency":"ﾁﾊﾞ ﾊﾅｺ","referred_by":"千葉　花子（長女）"}],
  "meetings":[{"body":"支援会議","date":"2025-06-01","start":"10:00","status":"held",
    "cases":["P0"],
    "attendees":[{"name":"広島 優（ヒロシマ ユウ）","agency":"広島市社会福祉協議会","attendance":"present"}],
    "issues":[{"category":"千葉さんの借金","case":"P0"},{"category":"千葉県外への転居","case":"P0"}],
    "actions":[{"agency":"広島優","text":"連絡する","due":"2025-07-01"},
               {"agency":"千葉県立病院","text":"受診同行","due":"2025-07-01"}],
    "agenda":[{"title":"経過","notes":["花子は千葉県の施設を見学。千葉駅前の店で就労。千葉市へ転出予定。チバ ハナコ氏と面談"]}]}]}"#;

/// The places the family name makes, which every output keeps.
const PLACES: [&str; 5] = [
    "千葉県立病院",
    "千葉市児童相談所",
    "千葉県の施設",
    "千葉駅前の店",
    "千葉市",
];

/// What is left of the member's name in `text` once the places are taken out.
fn leaks(text: &str) -> Vec<&'static str> {
    let mut rest = text.to_owned();
    for place in PLACES
        .iter()
        .chain(&["千葉県外", "千葉県", "広島市社会福祉協議会"])
    {
        rest = rest.replace(place, "");
    }
    let folded: String = rest
        .chars()
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect();
    use unicode_normalization::UnicodeNormalization;
    let folded: String = folded.nfkc().collect();
    [
        "千葉",
        "花子",
        "チバ",
        "ハナコ",
        "chiba",
        "hanako",
        "広島",
        "ヒロシマ",
        "hiroshima",
        "優",
    ]
    .into_iter()
    .filter(|p| folded.contains(p))
    .collect()
}

fn out(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8_lossy(&stdout_bytes(db, args)).into_owned()
}

#[test]
fn the_report_keeps_the_places_and_masks_the_member() {
    let db = TempDb::new();
    import_json(&db, FILE);
    for format in ["md", "csv"] {
        let text = out(
            &db,
            &["report", "--fiscal-year", "2025", "--format", format],
        );
        assert!(
            leaks(&text).is_empty(),
            "{format}: {:?}\n{text}",
            leaks(&text)
        );
        for kept in [
            "千葉県立病院",
            "千葉市児童相談所",
            "○○は千葉県の施設へ入所",
            "千葉県外への転居",
        ] {
            assert!(text.contains(kept), "{format}: {kept}\n{text}");
        }
        assert!(text.contains("個人（家族等）"), "{format}\n{text}");
        assert!(text.contains("○○の借金"), "{format}\n{text}");
    }
}

#[test]
fn the_ledger_keeps_the_places_and_masks_the_member() {
    let db = TempDb::new();
    import_json(&db, FILE);
    let text = out(&db, &["cases", "--status", "all", "--format", "csv"]);
    assert!(leaks(&text).is_empty(), "{:?}\n{text}", leaks(&text));
    for kept in [
        "千葉県立病院",
        "千葉市児童相談所",
        "○○は千葉県の施設へ入所（千葉市経由）",
    ] {
        assert!(text.contains(kept), "{kept}\n{text}");
    }
    assert_eq!(text.matches("個人（家族等）").count(), 2, "{text}");
    let redacted = out(
        &db,
        &["cases", "--status", "all", "--format", "json", "--redact"],
    );
    assert!(
        leaks(&redacted).is_empty(),
        "{:?}\n{redacted}",
        leaks(&redacted)
    );
    assert!(redacted.contains("千葉駅前の店での就労"), "{redacted}");
}

#[test]
fn the_redacted_minutes_and_record_keep_the_places() {
    let db = TempDb::new();
    import_json(&db, FILE);
    let minutes = out(&db, &["minutes", "1", "--redact"]);
    assert!(
        leaks(&minutes).is_empty(),
        "{:?}\n{minutes}",
        leaks(&minutes)
    );
    for kept in [
        "千葉県の施設を見学",
        "千葉駅前の店で就労",
        "千葉市へ転出予定",
    ] {
        assert!(minutes.contains(kept), "{kept}\n{minutes}");
    }
    let record = out(&db, &["case", "P世帯", "--redact"]);
    assert!(leaks(&record).is_empty(), "{:?}\n{record}", leaks(&record));
    assert!(record.contains("千葉県の施設へ入所"), "{record}");
    assert!(record.contains("千葉駅前の店での就労"), "{record}");
}

/// The tables read the people they may name from the keys: texts recorded after the last
/// keying are keyed by the report's read (before its snapshot), and found.
#[test]
fn a_table_read_keys_what_was_recorded_since() {
    let db = TempDb::new();
    import_json(&db, FILE);
    let unkeyed = || -> i64 {
        db.open()
            .conn()
            .query_row("SELECT count(*) FROM recorded_unkeyed", [], |r| r.get(0))
            .unwrap()
    };
    assert!(unkeyed() > 0);
    renkei(&db)
        .args(["report", "--fiscal-year", "2025"])
        .assert()
        .success();
    assert_eq!(unkeyed(), 0);
}

/// redactrules' trade-off: a one-kanji family name glued to a given name beside a relation
/// (`叔父の林健太`) is no name of its own — but where that person is recorded (an attendee of
/// another meeting, with a reading), the lookup finds the whole name, written any way, in a
/// public meeting's redacted minutes, the report's reason and the ledger.
#[test]
fn a_recorded_relative_glued_to_a_one_kanji_family_name_is_found() {
    let forms = [
        "叔父の林健太",
        "叔父の林　健太",
        "叔父の林 健太",
        "叔父のハヤシケンタ",
        "叔父のﾊﾔｼ ｹﾝﾀ",
        "叔父のはやし けんた",
        "叔父のHayashi Kenta",
        "叔父の健太 林",
    ];
    let notes: Vec<String> = forms.iter().map(|f| format!("\"{f}が来所\"")).collect();
    let cases: Vec<String> = forms
        .iter()
        .enumerate()
        .map(|(i, f)| {
            format!(
                r#"{{"id":"c{i}","pseudonym":"T{i}世帯","opened":"2025-04-10","status":"closed",
                  "closed":"2025-11-15","closure_reason":"{f}が引取り"}}"#
            )
        })
        .collect();
    let db = TempDb::new();
    import_json(
        &db,
        &format!(
            r#"{{"format":"renkei/1",
  "bodies":[{{"name":"支援会議","organiser":"福祉課","frequency":"随時","kind":"支援会議"}},
            {{"name":"地域ケア会議","organiser":"高齢課","frequency":"随時","kind":"地域ケア会議"}}],
  "cases":[{}],
  "meetings":[{{"body":"支援会議","date":"2025-06-01","start":"10:00","status":"held",
    "attendees":[{{"name":"林 健太（ハヤシ ケンタ）","agency":"民生委員","attendance":"present"}},
                 {{"name":"林 一郎","attendance":"present"}},{{"name":"林 二郎","attendance":"present"}}]}},
   {{"body":"地域ケア会議","date":"2025-07-01","start":"10:00","status":"held",
    "agenda":[{{"title":"経過","notes":[{}]}}]}}]}}"#,
            cases.join(","),
            notes.join(",")
        ),
    );
    let leaked = |text: &str| {
        let f: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        ["健太", "ケンタ", "ｹﾝﾀ", "けんた", "kenta"]
            .into_iter()
            .filter(|p| f.contains(p))
            .collect::<Vec<_>>()
    };
    let minutes = out(&db, &["minutes", "2", "--redact"]);
    assert!(
        leaked(&minutes).is_empty(),
        "{:?}\n{minutes}",
        leaked(&minutes)
    );
    assert_eq!(
        minutes.matches("叔父のA氏が来所").count(),
        forms.len(),
        "{minutes}"
    );
    let report = out(&db, &["report", "--fiscal-year", "2025"]);
    assert!(
        leaked(&report).is_empty(),
        "{:?}\n{report}",
        leaked(&report)
    );
    let ledger = out(&db, &["cases", "--status", "all", "--format", "csv"]);
    assert!(
        leaked(&ledger).is_empty(),
        "{:?}\n{ledger}",
        leaked(&ledger)
    );
}
