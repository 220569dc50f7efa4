//! Attack report 8's redaction findings: a home written with an honorific (`髙橋様宅`, `髙橋様方`),
//! a whole name half in its reading (`髙橋イチロウ`), given names recorded elsewhere that are
//! everyday words (`希望が強い`), variant kanji (凜/凛, 一之瀬/一ノ瀬).

use super::*;

fn recorded(name: &str) -> Person {
    Person::from_field(name, PersonKind::Recorded).unwrap()
}

fn own(name: &str) -> Person {
    Person::from_field(name, PersonKind::Attendee).unwrap()
}

const TAKAHASHI: &str = "髙橋 一郎（タカハシ イチロウ）";

/// No written form of 髙橋 一郎 is left in `out`.
fn no_takahashi(text: &str, out: &str) {
    for form in [
        "髙橋",
        "高橋",
        "タカハシ",
        "たかはし",
        "一郎",
        "イチロウ",
        "イチロー",
    ] {
        assert!(!out.contains(form), "{text} → {out}");
    }
    let lower = out.to_lowercase();
    for form in ["takaha", "ichir", "itir"] {
        assert!(!lower.contains(form), "{text} → {out}");
    }
}

const HOMES: [&str; 15] = [
    "髙橋様宅へ訪問した",
    "高橋氏宅にて面談",
    "髙橋君宅",
    "髙橋様世帯",
    "髙橋様家",
    "髙橋様方に届ける",
    "髙橋方に届ける",
    "高橋氏方",
    "髙橋様邸",
    "髙橋邸",
    "タカハシ様宅",
    "一郎様宅",
    "髙橋イチロウが来所",
    "タカハシ一郎が来所",
    "髙橋さん宅",
];

/// Finding 1: a recorded person's home written with an honorific before 宅/方/邸/家/世帯, or 方
/// after the family name, and a whole name half in its reading, in no redacted copy.
#[test]
fn a_home_with_an_honorific_and_a_mixed_name_recorded_elsewhere_are_replaced() {
    let mut r = Redactor::new(Lang::Ja, &[recorded(TAKAHASHI)], &[]);
    for text in HOMES {
        let out = r.redact(text);
        no_takahashi(text, &out);
    }
    assert_eq!(r.redact("髙橋様宅へ訪問した"), "A氏宅へ訪問した");
    assert_eq!(r.redact("髙橋様方に届ける"), "A氏方に届ける");
    assert_eq!(r.redact("髙橋方に届ける"), "A氏方に届ける");
}

/// Finding 1, the meeting's own attendee: every such form is the attendee's placeholder, not
/// another person's.
#[test]
fn a_home_with_an_honorific_of_the_own_attendee_is_the_attendee() {
    let mut r = Redactor::new(Lang::Ja, &[own("佐藤 花子"), own(TAKAHASHI)], &[]);
    assert_eq!(r.redact("佐藤 花子"), "A氏");
    assert_eq!(r.redact("髙橋 一郎"), "B氏");
    for text in HOMES {
        let out = r.redact(text);
        no_takahashi(text, &out);
        assert!(out.contains("B氏"), "{text} → {out}");
        assert!(
            !out.contains("C氏") && !out.contains("某"),
            "{text} → {out}"
        );
    }
}

/// Finding 1's addendum 2: a case's household member (found by every part) the same.
#[test]
fn a_household_members_home_with_an_honorific_is_replaced() {
    let member = Person::from_field("栗栖 太一（クリス タイチ）", PersonKind::Household).unwrap();
    let mut r = Redactor::new(Lang::Ja, &[member], &[]);
    for text in ["栗栖様宅", "栗栖氏宅を訪問", "栗栖様方", "栗栖君宅"] {
        let out = r.redact(text);
        assert!(!out.contains("栗栖"), "{text} → {out}");
    }
}

/// What a home word after an honorific must not take: 様子, 皆様方, 先生方, 中野方面, 先方.
#[test]
fn words_near_the_home_forms_stay() {
    let mut r = Redactor::new(
        Lang::Ja,
        &[
            recorded(TAKAHASHI),
            recorded("中野 一郎"),
            recorded("東 花子"),
        ],
        &[],
    );
    for text in [
        "本人の様子を見る",
        "皆様方のご協力",
        "中野方面へ転居",
        "先方に連絡した",
        "東方の地域",
        "両方の意見",
        "高橋家庭裁判所",
        "邸宅の管理",
    ] {
        assert_eq!(r.redact(text), text);
    }
}

const WORD_NAMES: [&str; 12] = [
    "田中 希望（タナカ ノゾミ）",
    "山田 未来（ヤマダ ミライ）",
    "井上 真実（イノウエ マミ）",
    "佐藤 勇気（サトウ ユウキ）",
    "佐藤 朝日（サトウ アサヒ）",
    "佐藤 一心",
    "佐藤 大空（サトウ ソラ）",
    "佐藤 ひかり",
    "佐藤 みのり",
    "佐藤 さくら",
    "佐藤 みらい",
    "西村 まこと",
];

/// Finding 4: a given name recorded elsewhere that is an everyday word is the word, unless
/// something marks it as a name.
#[test]
fn given_names_recorded_elsewhere_that_are_words_stay_words() {
    let people: Vec<Person> = WORD_NAMES.iter().map(|n| recorded(n)).collect();
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    for text in [
        "希望が強い",
        "本人の希望を聞き取る",
        "勇気を出して相談に来た",
        "未来を描く",
        "未来に向けて支援する",
        "真実を知りたい",
        "朝日が差す部屋",
        "大空を見上げる",
        "一心に取り組む",
        "さくらが咲く頃",
        "みのりの秋",
        "ひかりが差す",
        "みらいに向けて",
        "まことに申し訳ない",
        "希望が叶い終結",
    ] {
        assert_eq!(r.redact(text), text);
    }
    // Marked, or whole, they are names.
    for text in [
        "希望さんが来所",
        "勇気くんと面談",
        "田中希望が来所",
        "佐藤 さくらちゃん",
    ] {
        let out = r.redact(text);
        for part in ["希望", "勇気", "さくら", "田中", "佐藤"] {
            assert!(!out.contains(part), "{text} → {out}");
        }
    }
}

/// Finding 4: the document's own people are still found before a particle.
#[test]
fn an_own_given_name_that_is_a_word_is_found_as_a_name() {
    let mut r = Redactor::new(Lang::Ja, &[own("田中 希望")], &[]);
    assert_eq!(r.redact("希望が説明した"), "A氏が説明した");
    assert_eq!(r.redact("本人の希望により終結"), "本人の希望により終結");
    // A kana given name of the document's own people after と is still the name.
    let mut r = Redactor::new(Lang::Ja, &[own("佐藤 ひかり")], &[]);
    assert_eq!(r.redact("母とひかりが来所"), "母とA氏が来所");
}

/// Finding 13: 凜/凛 and 之/ノ/の in names are one.
#[test]
fn variant_kanji_rin_and_no_are_folded() {
    let mut r = Redactor::new(
        Lang::Ja,
        &[
            recorded("藪内 凜"),
            recorded("一ノ瀬 蓮（イチノセ レン）"),
            recorded("木之下 学"),
        ],
        &[],
    );
    for (text, gone) in [
        ("薮内凛が来所", ["薮内", "凛"]),
        ("藪内凜が来所", ["藪内", "凜"]),
        ("一之瀬蓮が来所", ["一之瀬", "蓮"]),
        ("一の瀬蓮が来所", ["一の瀬", "蓮"]),
        ("木ノ下学が来所", ["木ノ下", "学"]),
    ] {
        let out = r.redact(text);
        for g in gone {
            assert!(!out.contains(g), "{text} → {out}");
        }
    }
    assert_eq!(fold_str("一之瀬"), fold_str("一ノ瀬"));
    assert_eq!(fold_str("凜"), fold_str("凛"));
    let out = r.redact("博之さんの件");
    assert!(!out.contains("博之"), "{out}");
}

/// Finding 7: a field that names a place or a topic holding only a district that is also a
/// family name recorded elsewhere keeps the district; marked, it is the person.
#[test]
fn a_district_alone_in_a_place_field_stays() {
    let people: Vec<Person> = ["大島 一郎", "深川 花子", "木場 学", "中野 一郎", "上野 健"]
        .iter()
        .map(|n| recorded(n))
        .collect();
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    for text in ["中野", "大島", "深川", "木場", "上野"] {
        assert_eq!(r.redact_place(text), text);
    }
    assert_eq!(r.redact_place("大島さん宅"), "A氏宅");
    assert_eq!(r.redact_place("中野一郎"), "B氏");
    // Elsewhere (a name field, a cell) a part alone is still the person.
    assert_eq!(r.redact("大島"), "A氏");
}

/// Finding 11: a romanised name of mixed systems, or with an initial, in no redacted copy.
#[test]
fn romanised_names_of_mixed_systems_and_initials_are_replaced() {
    let mut r = Redactor::new(Lang::Ja, &[recorded(TAKAHASHI)], &[]);
    for text in [
        "Ichiro Takahashi called",
        "Ichirou Takahashi called",
        "Takahashi Ichirou called",
        "Takahasi Ichiro called",
        "TAKAHASI Itiro called",
        "Takahashi, Ichirou called",
        "I. Takahashi called",
        "Takahashi I. called",
    ] {
        let out = r.redact(text);
        no_takahashi(text, &out);
        assert!(
            out.ends_with(" called") && out.starts_with("A氏"),
            "{text} → {out}"
        );
    }
    // A recorded family name alone in Latin letters stays without a marker.
    let mut r = Redactor::new(Lang::Ja, &[recorded(TAKAHASHI), recorded("千葉 花子")], &[]);
    for text in [
        "Moved from Chiba Prefecture",
        "Takahashi Station area",
        "Chiba Takahashi",
    ] {
        assert_eq!(r.redact(text), text);
    }
}
