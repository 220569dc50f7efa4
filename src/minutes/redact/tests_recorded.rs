//! The two circles of people (attack report 6, findings 19 and 2's addenda): the document's own
//! people matched by every part, those recorded elsewhere as whole names or marked family
//! names; and what typed where a name goes names no one.

use super::*;

fn recorded(name: &str) -> Person {
    Person::from_field(name, PersonKind::Recorded).unwrap()
}

fn own(name: &str) -> Person {
    Person::from_field(name, PersonKind::Attendee).unwrap()
}

const SIX: [&str; 6] = [
    "千葉 一郎",
    "福島 花子",
    "石川 健",
    "松本 誠",
    "中村 光",
    "広島 優（ヒロシマ ユウ）",
];

fn elsewhere() -> Redactor {
    let people: Vec<Person> = SIX.iter().map(|n| recorded(n)).collect();
    Redactor::new(Lang::Ja, &people, &[])
}

#[test]
fn a_part_of_a_name_recorded_elsewhere_stays_inside_places_and_words() {
    let mut r = elsewhere();
    for text in [
        "千葉県の施設へ入所",
        "福島県から避難してきた世帯",
        "石川県出身",
        "松本市の病院に通院",
        "名古屋市中村区から転入",
        "中村コミュニティ会館",
        "広島市の親族",
        "健やかに育つよう支援",
        "誠に遺憾",
        "光が丘団地の住民",
        "松本が説明",
        "出席：千葉、福島",
        "Moved from Chiba Prefecture",
        "ふくしまから避難",
        "チバ県の施設",
        "ヒロシマの親戚",
    ] {
        assert_eq!(r.redact(text), text);
    }
    assert_eq!(r.report().total(), 0);
}

#[test]
fn a_name_recorded_elsewhere_is_masked_whole_or_marked() {
    let mut r = elsewhere();
    assert_eq!(r.redact("千葉一郎が来所"), "A氏が来所");
    assert_eq!(r.redact("千 葉 一 郎"), "A氏");
    assert_eq!(r.redact("一郎 千葉と面談"), "A氏と面談");
    assert_eq!(r.redact("千葉さんから電話"), "A氏から電話");
    assert_eq!(r.redact("福島係長に報告"), "B氏係長に報告");
    assert_eq!(r.redact("昨日中村宅を訪問"), "昨日C氏宅を訪問");
    assert_eq!(r.redact("ヒロシマ　ユウの件"), "D氏の件");
    assert_eq!(r.redact("松本"), "E氏");
    let kinds: Vec<Option<PersonKind>> = r.report().replacements.iter().map(|x| x.kind).collect();
    assert!(
        kinds.iter().all(|k| *k == Some(PersonKind::Recorded)),
        "{kinds:?}"
    );
}

/// The document's own people keep every part (a meeting's attendee 松本 誠: 松本が説明), and
/// a form one of them shares with someone recorded elsewhere is theirs.
#[test]
fn the_documents_own_people_keep_every_part_and_their_forms() {
    let people = [own("松本 誠"), own("山田 太郎"), recorded("山田 花子")];
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    assert_eq!(r.redact("松本が説明"), "A氏が説明");
    assert_eq!(r.redact("山田 太郎と山田さん"), "B氏とB氏");
    assert_eq!(r.redact("山田花子"), "C氏");
}

#[test]
fn letters_honorifics_marks_and_placeholders_name_no_one() {
    for text in [
        "A", "B", "A氏", "Ａ", "A B", "さん", "様", "々", "〃", "ゝ", "某", "某氏",
    ] {
        assert!(names_no_one(text), "{text}");
        assert_eq!(
            Person::from_field(text, PersonKind::Attendee),
            None,
            "{text}"
        );
    }
    for text in ["Li", "Lee", "王", "林", "佐々木", "王 文", "Ann Lee"] {
        assert!(!names_no_one(text), "{text}");
    }
}

/// An agency before the name in an attendee's cell (`児相 鈴木`) is no part of the name.
#[test]
fn an_agency_before_a_name_is_no_part_of_it() {
    for (text, agency, name) in [
        ("児相 鈴木", "児相", "鈴木"),
        ("包括 佐藤", "包括", "佐藤"),
        ("社協 田中", "社協", "田中"),
        ("学校 山本", "学校", "山本"),
        ("保健師 高橋", "保健師", "高橋"),
    ] {
        let field = NameField::parse(text).unwrap();
        assert_eq!((field.before.trim(), field.name), (agency, name), "{text}");
        assert_eq!(own(text).name, name);
    }
    let people = [recorded("児相 鈴木"), recorded("包括 佐藤")];
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    for text in [
        "児相への通告を検討",
        "包括が説明",
        "地域包括支援センターと社協",
    ] {
        assert_eq!(r.redact(text), text);
    }
    assert_eq!(r.redact("鈴木さんと児相"), "A氏と児相");
}
