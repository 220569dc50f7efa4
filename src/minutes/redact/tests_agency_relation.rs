//! The attack of 2026-12-05 on agency fields: a recorded person typed into the agency of an
//! action or a role with a relation glued before the name (`母ハナコ`, `元妻佐々木`, `長男山田`),
//! or a recorded family name at the end of an agency after の or a space (`健康推進課の山田`), was
//! judged an agency and kept whole — in the minutes, the case record, the report and the ledger —
//! and, kept whole, shielded the same words in the notes (`母ハナコと元妻佐々木に連絡した`).

use super::tests_mixed::person;
use super::*;

/// The household of the case A世帯 in the attack.
fn household() -> Vec<Person> {
    vec![
        person("山田 花子（ヤマダ ハナコ）", PersonKind::CaseSubject),
        person("山田 健太", PersonKind::Household),
        person("佐々木 由紀", PersonKind::Household),
    ]
}

fn agencies(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// Seen failing before the fix: every one of these was an agency (`Held::No`).
#[test]
fn a_relation_glued_before_a_recorded_name_is_a_person() {
    let patterns = Patterns::build(&household(), &[]);
    for form in [
        "母ハナコ",
        "元妻佐々木",
        "長男山田",
        "父の山田",
        "祖母・花子",
        "母花子",
        "母方祖母ハナコ",
        "母の姉ハナコ",
        "元妻佐々木（同居）",
        "母ハナコさん",
    ] {
        assert!(holds_person(form, &patterns), "{form}");
    }
    // No new person is made of such a field: it is the recorded one.
    assert!(agency_field_people(&household(), ["母ハナコ", "元妻佐々木", "父の山田"]).is_empty());
}

/// Seen failing before the fix: kept whole, the fields and the notes (`母ハナコと元妻佐々木に連絡
/// した`) named the mother and the former wife in the redacted minutes.
#[test]
fn such_a_field_is_replaced_like_a_name_and_shields_nothing() {
    let fields = ["母ハナコ", "元妻佐々木", "長男山田", "祖母・花子"];
    let mut r = Redactor::new(Lang::Ja, &household(), &agencies(&fields));
    assert_eq!(r.agency("母ハナコ"), "母A氏");
    assert_eq!(r.agency("元妻佐々木"), "元妻B氏");
    assert_eq!(r.agency("長男山田"), "長男某氏");
    assert_eq!(r.agency("祖母・花子"), "祖母・A氏");
    assert_eq!(r.agency("元妻佐々木（同居）"), "元妻B氏（同居）");
    assert_eq!(
        r.redact("母ハナコと元妻佐々木に連絡した"),
        "母A氏と元妻B氏に連絡した"
    );
    let names = r.report().replacements_line(Lang::Ja);
    assert!(names.contains("A氏") && names.contains("B氏"), "{names}");
}

/// Seen failing before the fix: `健康推進課の山田` was an agency kept whole.
#[test]
fn a_recorded_name_at_the_end_of_an_agency_is_a_name_within() {
    let patterns = Patterns::build(&household(), &[]);
    for form in [
        "健康推進課の山田",
        "健康推進課 山田",
        "健康推進課　佐々木",
        "健康推進課の佐々木",
        "ヤマダ電機の佐々木",
    ] {
        assert!(holds_person(form, &patterns), "{form}");
    }
    let fields = [
        "健康推進課の山田",
        "健康推進課の佐々木",
        "健康推進課 佐々木",
    ];
    let mut r = Redactor::new(Lang::Ja, &household(), &agencies(&fields));
    assert_eq!(r.agency("健康推進課の佐々木"), "健康推進課のA氏");
    assert_eq!(r.agency("健康推進課 佐々木"), "健康推進課 A氏");
    assert_eq!(r.agency("健康推進課の山田"), "健康推進課の某氏");
    assert_eq!(
        r.redact("健康推進課の佐々木に連絡した"),
        "健康推進課のA氏に連絡した"
    );
    // Not a new person: the agency is kept, the name in it masked.
    assert!(agency_field_people(&household(), fields).is_empty());
}

/// A one-character recorded name at the end after の is a name after an agency's name (健康推進課
/// の林) or a relation (父の林), not after another word (ふれあいの森: a place's name). After a
/// relation it is the relative as the notes read it: 子どもの森 is the child 森 where a 森 is of
/// the case (the text 子どもの森 is redacted so too), no agency kept whole.
#[test]
fn a_one_character_name_at_the_end_only_after_an_agency_or_a_relation() {
    let members = [
        person("林 健太", PersonKind::Household),
        person("森 一郎", PersonKind::Household),
    ];
    let patterns = Patterns::build(&members, &[]);
    for form in ["健康推進課の林", "母林", "父の林", "子どもの森"] {
        assert!(holds_person(form, &patterns), "{form}");
    }
    for agency in ["ふれあいの森", "小林クリニック"] {
        assert!(!holds_person(agency, &patterns), "{agency}");
    }
    let mut r = Redactor::new(Lang::Ja, &members, &agencies(&["父の林", "子どもの森"]));
    assert_eq!(r.agency("父の林"), "父のA氏");
    assert_eq!(r.redact("子どもの森へ"), "子どものB氏へ");
}

/// What merely holds a family name as a word stays an agency, kept whole in the fields and in the
/// notes; words a relation begins are no relation before a name.
#[test]
fn agencies_holding_a_family_name_as_a_word_stay_agencies() {
    let mut members = household();
    members.push(person("中村 亮", PersonKind::Household));
    let patterns = Patterns::build(&members, &[]);
    let kept = [
        "ヤマダ電機",
        "山田クリニック",
        "中村橋福祉センター",
        "母子生活支援施設",
        "子ども家庭支援センター",
        "父母の会",
        "まどかの森保育園",
        "健康推進課",
        "母の山田クリニック",
    ];
    for agency in kept {
        assert!(!holds_person(agency, &patterns), "{agency}");
    }
    let mut r = Redactor::new(Lang::Ja, &members, &agencies(&kept));
    for agency in kept {
        assert_eq!(r.agency(agency), agency);
    }
    assert_eq!(
        r.redact("ヤマダ電機と山田クリニック、中村橋福祉センターに連絡"),
        "ヤマダ電機と山田クリニック、中村橋福祉センターに連絡"
    );
    assert_eq!(r.report().total(), 0);
}

/// The report's and the ledger's judge: such a cell holds a person (counted under 個人（家族等）),
/// an agency holding a family name as a word does not. Seen failing before the fix.
#[test]
fn the_published_tables_judge_such_cells_persons() {
    let fields = [
        "母ハナコ",
        "元妻佐々木",
        "長男山田",
        "健康推進課の山田",
        "ヤマダ電機",
        "山田クリニック",
    ];
    let mut cells = PersonCells::new(&household(), &fields);
    for person in [
        "母ハナコ",
        "元妻佐々木",
        "長男山田",
        "父の山田",
        "健康推進課の山田",
    ] {
        assert!(cells.agency(person), "{person}");
    }
    for agency in ["ヤマダ電機", "山田クリニック", "健康推進課"] {
        assert!(!cells.agency(agency), "{agency}");
    }
}
