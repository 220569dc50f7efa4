//! Attack report 12, findings 6 and 7: a household member recorded without a reading (山田
//! 健太 beside 山田 花子（ヤマダ ハナコ）) written in kana, joined or apart, or half in kana, is
//! that member, with the member's one letter.

use super::*;

fn household() -> Vec<Person> {
    ["山田 花子（ヤマダ ハナコ）", "山田 健太", "佐々木 由紀"]
        .into_iter()
        .filter_map(|n| Person::from_field(n, PersonKind::Household))
        .collect()
}

fn redacted(notes: &[&str]) -> Vec<String> {
    let mut r = Redactor::new(Lang::Ja, &household(), &[]);
    notes.iter().map(|n| r.redact(n).into_owned()).collect()
}

#[test]
fn every_spelling_of_a_member_without_a_reading_is_the_member() {
    let mut r = Redactor::new(Lang::Ja, &household(), &[]);
    let kenta = r.redact("山田健太").into_owned();
    let yuki = r.redact("佐々木由紀").into_owned();
    assert_ne!(kenta, yuki);
    for (text, who) in [
        ("ヤマダケンタ x", &kenta),
        ("x ヤマダケンタ", &kenta),
        ("x。ヤマダケンタ", &kenta),
        ("ヤマダ ケンタ", &kenta),
        ("山田ケンタ", &kenta),
        ("ヤマダ健太", &kenta),
        ("やまだけんた", &kenta),
        ("Yamada Kenta", &kenta),
        ("ササキ ユキ", &yuki),
        ("ササキユキ", &yuki),
        ("Sasaki Yuki", &yuki),
        ("ゆきさん", &yuki),
    ] {
        let out = r.redact(text).into_owned();
        let expected = text
            .replace("ヤマダケンタ", who)
            .replace("ヤマダ ケンタ", who)
            .replace("山田ケンタ", who)
            .replace("ヤマダ健太", who)
            .replace("やまだけんた", who)
            .replace("Yamada Kenta", who)
            .replace("ササキ ユキ", who)
            .replace("ササキユキ", who)
            .replace("Sasaki Yuki", who)
            .replace("ゆきさん", who);
        assert_eq!(out, expected, "{text}");
    }
}

#[test]
fn a_spelling_alone_needs_no_other_note() {
    for text in ["ヤマダケンタ x", "やまだけんた", "山田ケンタ"] {
        let out = redacted(&[text]);
        assert!(
            !out[0].contains("ケンタ") && !out[0].contains("けんた"),
            "{out:?}"
        );
    }
}

/// A guessed reading glued to more kana is the start of another name: 佐藤コウジ beside 佐藤 光
/// (光 read コウ) is someone else, replaced whole with a letter of their own, no `ジ` left.
#[test]
fn a_guessed_reading_glued_to_more_kana_is_another_name() {
    let people: Vec<Person> = ["佐藤 光"]
        .into_iter()
        .filter_map(|n| Person::from_field(n, PersonKind::Household))
        .collect();
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    assert_eq!(r.redact("佐藤ヒカルが来所"), "A氏が来所");
    assert_eq!(r.redact("叔父の佐藤コウジが来所"), "叔父のB氏が来所");
    assert_eq!(r.redact("サトウ コウが来所"), "A氏が来所");
}
