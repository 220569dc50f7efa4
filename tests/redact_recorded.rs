//! The people recorded elsewhere in the database (`recorded_texts`: every meeting held, every
//! household) in a redacted copy of a document that is not theirs (attack report 6, findings 19
//! and 2's addenda): matched as whole names, in any written form, or as a family name with a
//! marker (an honorific, a title, 宅/家) — never as a bare part inside a place name or a word.
//! And what is typed where a name goes that names no one (`A`, `さん`, `々`, `児相 鈴木`'s 児相).

use crate::common;

use common::{TempDb, import_json, stdout_bytes};

fn text(db: &TempDb, args: &[&str]) -> String {
    String::from_utf8(stdout_bytes(db, args)).unwrap()
}

/// A held confidential meeting (1) attended by `attendees`, a public 地域ケア会議 (2) none of
/// them attended whose notes are `notes`, its place `place` and its issues `issues`; a closed
/// case whose closure reason is `reason`.
fn document(
    attendees: &[&str],
    notes: &[&str],
    place: &str,
    issues: &[&str],
    reason: &str,
) -> String {
    let list = |items: &[&str]| serde_json::to_string(items).unwrap();
    let people: Vec<String> = attendees
        .iter()
        .map(|n| {
            format!(
                r#"{{"name": {}, "agency": "地域包括支援センター", "attendance": "present"}}"#,
                serde_json::to_string(n).unwrap()
            )
        })
        .collect();
    format!(
        r#"{{"format": "renkei/1",
 "bodies": [{{"name": "個別ケース会議X", "organiser": "保健福祉課", "frequency": "随時",
             "kind": "個別ケース会議", "personal_info": true}},
            {{"name": "地域ケア会議X", "organiser": "地域包括支援センター", "frequency": "毎月",
             "kind": "地域ケア会議", "personal_info": false}}],
 "cases": [{{"id": "c1", "pseudonym": "Z世帯", "opened": "2026-04-01", "status": "closed",
            "closed": "2026-11-01", "closure_reason": {reason}, "evaluation": "安定",
            "lead_agency": "千葉県中央児童相談所", "referred_by": "福島県警",
            "members": [{{"relation": "本人", "name": "佐藤 学"}}]}}],
 "meetings": [
  {{"body": "個別ケース会議X", "date": "2026-10-15", "start": "14:00", "status": "held",
   "confidential": true, "facilitator": "佐藤 恵子", "attendees": [{people}]}},
  {{"body": "地域ケア会議X", "date": "2026-11-10", "start": "10:00", "status": "held",
   "confidential": false, "facilitator": "田中 良子", "place": {place},
   "attendees": [{{"name": "田中 良子", "agency": "地域包括支援センター", "attendance": "present"}}],
   "agenda": [{{"title": "地域課題", "notes": {notes}}}], "issues": {issues}}}]}}"#,
        reason = serde_json::to_string(reason).unwrap(),
        people = people.join(", "),
        place = serde_json::to_string(place).unwrap(),
        notes = list(notes),
        issues = list(issues),
    )
}

/// Six ordinary names whose family names are prefectures, cities and wards, and whose given
/// names of one kanji begin ordinary words; 広島 優 with the reading recorded.
const SIX: [&str; 6] = [
    "千葉 一郎",
    "福島 花子",
    "石川 健",
    "松本 誠",
    "中村 光",
    "広島 優（ヒロシマ ユウ）",
];

/// Notes of the public meeting that name none of them: places, words, Latin and kana.
const PLACES: [&str; 15] = [
    "千葉県の施設へ入所",
    "福島県から避難してきた世帯",
    "石川県出身",
    "松本市の病院に通院",
    "名古屋市中村区から転入",
    "広島市の親族",
    "健やかに育つよう支援",
    "誠に遺憾",
    "光が丘団地の住民",
    "Moved from Chiba Prefecture",
    "Fukushima evacuee family",
    "Matsumoto city hospital",
    "ふくしまから避難",
    "チバ県の施設",
    "ヒロシマの親戚",
];

/// Notes that do name them: the whole name however written, the family name with a title, an
/// honorific or 宅.
/// (The note, what follows the name in it, a part of the name.)
const NAMED: [(&str, &str, &str); 7] = [
    ("千葉一郎が来所", "が来所", "千葉"),
    ("福島　花子より電話", "より電話", "福島"),
    ("石川係長に報告", "係長に報告", "石川"),
    ("中村宅を訪問", "宅を訪問", "中村"),
    ("ヒロシマ ユウの件", "の件", "ヒロシマ"),
    ("松本さんから連絡", "から連絡", "松本"),
    ("花子 福島と面談", "と面談", "花子"),
];

/// Finding 19: a redacted copy of a meeting none of them attended keeps the places and words
/// their names are part of — in the notes, the header's place, the published report's issues
/// and closure reason and the ledger — and still masks them where they are named.
#[test]
fn people_recorded_elsewhere_leave_places_and_words_alone() {
    let db = TempDb::new();
    let mut notes: Vec<&str> = PLACES.to_vec();
    notes.extend(NAMED.iter().map(|(n, _, _)| *n));
    import_json(
        &db,
        &document(
            &SIX,
            &notes,
            "中村コミュニティ会館",
            &["福島県からの避難", "健やかな育ち", "中村区の住宅"],
            "千葉県へ転居",
        ),
    );
    let redacted = text(&db, &["minutes", "2", "--redact"]);
    for place in PLACES {
        assert!(redacted.contains(place), "{place} in {redacted}");
    }
    assert!(redacted.contains("中村コミュニティ会館"), "{redacted}");
    for (note, tail, name) in NAMED {
        let line = redacted
            .lines()
            .find(|l| l.contains(tail))
            .unwrap_or_else(|| panic!("{note} in {redacted}"));
        assert!(!line.contains(name), "{note}: {line}");
        assert!(line.contains("氏"), "{note}: {line}");
    }
    let report = text(&db, &["report", "--fiscal-year", "2026"]);
    for cell in [
        "千葉県へ転居",
        "福島県からの避難",
        "健やかな育ち",
        "中村区の住宅",
    ] {
        assert!(report.contains(cell), "{cell} in {report}");
    }
    let ledger = text(
        &db,
        &["cases", "--redact", "--status", "all", "--format", "csv"],
    );
    assert!(ledger.contains("千葉県へ転居"), "{ledger}");
    assert!(ledger.contains("千葉県中央児童相談所"), "{ledger}");
}

/// Finding 9 of report 5 stays fixed the other way round: a closure reason naming one of them
/// whole is masked in the report and the ledger, as it was.
#[test]
fn a_whole_name_recorded_elsewhere_is_still_masked_in_the_report_and_ledger() {
    let db = TempDb::new();
    import_json(
        &db,
        &document(&SIX, &["協議"], "", &[], "千葉 一郎が引き取り"),
    );
    let report = text(&db, &["report", "--fiscal-year", "2026"]);
    let ledger = text(
        &db,
        &["cases", "--redact", "--status", "all", "--format", "csv"],
    );
    for copy in [&report, &ledger] {
        assert!(!copy.contains("一郎"), "{copy}");
        assert!(copy.contains("○○が引き取り"), "{copy}");
    }
}

/// Finding 2's addenda 1: an agency written before the name in an attendee's cell (`児相 鈴木`)
/// is no name part — the agency words stay in every other copy — and the person after it is
/// one, masked in the meeting's own copy with the agency left beside the letter.
#[test]
fn an_agency_before_an_attendees_name_is_no_part_of_it() {
    let db = TempDb::new();
    let attendees = ["包括 佐藤", "社協 田中", "児相 鈴木", "学校 山本"];
    let notes = [
        "地域包括支援センターと社協が連携",
        "児相への通告を検討",
        "学校との情報共有",
        "包括が説明",
        "山本さんから報告",
    ];
    import_json(&db, &document(&attendees, &notes, "", &[], "転居"));
    let public = text(&db, &["minutes", "2", "--redact"]);
    for note in &notes[..4] {
        assert!(public.contains(note), "{note} in {public}");
    }
    assert!(!public.contains("山本"), "{public}");
    let own = text(&db, &["minutes", "1", "--redact"]);
    for (agency, name) in [("包括", "佐藤"), ("児相", "鈴木"), ("学校", "山本")] {
        assert!(!own.contains(name), "{name} in {own}");
        assert!(own.contains(&format!("{agency} ")), "{agency} in {own}");
    }
}

/// Finding 2's addenda 3 and 4: letters (`A`, `B`, `A氏`), a bare honorific (`さん`), an
/// iteration mark (`々`) and `某` typed as attendees' names name no one: the case pseudonym, a
/// letter in a word, an honorific after a real name and a word ending in 々 stay as written, and
/// the names before the honorific are masked whole.
#[test]
fn letters_honorifics_and_marks_typed_as_names_name_no_one() {
    let db = TempDb::new();
    let attendees = ["A", "B", "A氏", "某", "さん", "々"];
    let notes = [
        "A世帯の本人と面談",
        "B型肝炎の検査",
        "プランAを採用",
        "某所で待合せ",
        "A氏より連絡",
        "日々の見守りを色々と続ける",
        "本日 10時に開始。佐藤さん・鈴木さんが出席（2名）。",
    ];
    import_json(&db, &document(&attendees, &notes, "", &[], "転居"));
    let public = text(&db, &["minutes", "2", "--redact"]);
    for note in &notes[..6] {
        assert!(public.contains(note), "{note} in {public}");
    }
    let line = public
        .lines()
        .find(|l| l.contains("本日 10時に開始"))
        .unwrap_or_else(|| panic!("{public}"));
    assert!(!line.contains("佐藤") && !line.contains("鈴木"), "{line}");
    assert!(line.contains("氏・") && line.contains("氏が出席"), "{line}");
}
