//! A family name that is also a place (千葉 花子, a household member, whose every part a
//! document or a published table finds): a place it makes (千葉県, 千葉市, 千葉駅前, Chiba
//! Prefecture) stays whole; the person, written any way, is replaced.

use super::*;

fn member(name: &str) -> Person {
    Person::from_field(name, PersonKind::Household).unwrap()
}

/// The places the family names of 千葉 花子 and 松本 誠 make, as notes and reasons write them.
const PLACES: [&str; 10] = [
    "千葉県の施設へ入所",
    "千葉市へ転出",
    "千葉駅前の店で就労",
    "千葉県立病院に入院",
    "松本市の病院に通院",
    "長野県松本市へ転居",
    "千葉郡の親族",
    "千葉線で通学",
    "Moved from Chiba Prefecture",
    "ちば県の施設",
];

/// Written every way, the person is replaced and leaves nothing of the name.
const PERSON: [&str; 9] = [
    "千葉さんが入所",
    "千葉花子が入所",
    "千葉 花子が入所",
    "千　葉　花　子が入所",
    "花子が入所",
    "ﾁﾊﾞ ﾊﾅｺが入所",
    "チバ ハナコが入所",
    "Chiba Hanako moved",
    "千葉の家へ訪問",
];

fn leaks(text: &str) -> bool {
    let f: String = fold_key(text);
    ["千葉", "花子", "チバ", "ハナコ", "chiba", "hanako"]
        .iter()
        .any(|p| f.contains(&fold_key(p)))
}

#[test]
fn a_place_a_members_family_name_makes_stays_in_the_minutes() {
    let people = [member("千葉 花子（チバ ハナコ）"), member("松本 誠")];
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    for text in PLACES {
        assert_eq!(r.redact(text), text);
    }
    assert_eq!(r.report().total(), 0);
    for text in PERSON {
        let out = r.redact(text).into_owned();
        assert!(!leaks(&out), "{text} -> {out}");
    }
    // Beside the place, the person.
    assert_eq!(r.redact("花子は千葉県の施設へ"), "A氏は千葉県の施設へ");
    assert_eq!(r.redact("千葉花子（千葉市）"), "A氏（千葉市）");
}

/// The published tables' judge (the report's and the ledger's agency and reason cells): an agency
/// of a place is no person, a reason keeps its place and loses the name.
#[test]
fn a_place_a_members_family_name_makes_stays_in_the_tables() {
    let people = [member("千葉 花子（チバ ハナコ）"), member("松本 誠")];
    let mut cells = PersonCells::new(&people, &["千葉県立病院"]);
    for agency in [
        "千葉県立病院",
        "千葉市児童相談所",
        "松本市社会福祉協議会",
        "千葉県",
    ] {
        assert!(!cells.agency(agency), "{agency}");
    }
    for text in PLACES {
        assert_eq!(cells.names_replaced(text, "○○"), None, "{text}");
    }
    for text in PERSON {
        let out = cells.names_replaced(text, "○○").unwrap_or_default();
        assert!(out.contains("○○") && !leaks(&out), "{text} -> {out}");
    }
    assert_eq!(
        cells
            .names_replaced("花子は千葉県の施設へ入所", "○○")
            .as_deref(),
        Some("○○は千葉県の施設へ入所")
    );
    assert!(cells.agency("千葉 花子（長女）"));
    assert!(cells.agency("ﾁﾊﾞ ﾊﾅｺ"));
}

/// A given name of a town or a capital is a name (千葉 町子, 松本 都子), and a given name
/// after a recorded family name is still another person where no place starts.
#[test]
fn a_town_in_a_given_name_is_still_a_name() {
    let people = [member("千葉 町子"), member("松本 誠")];
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    let out = r.redact("千葉町子が来所、松本都子さんも").into_owned();
    assert!(!out.contains("町子") && !out.contains("都子"), "{out}");
    assert!(!out.contains("千葉") && !out.contains("松本"), "{out}");
}
