//! A given name written after the family name in hiragana, in half-width kana, or half in kana
//! and half in kanji (attack on the S世帯 case, 2026-12-05): `渡邊たろうが来た` printed
//! `C氏たろうが来た`, `齊藤はな子` printed `S氏はな子`, `齋藤ハナ子` printed `B氏子` (a letter of
//! its own and 子 left), `ﾜﾀﾅﾍﾞﾀﾛｳｶﾞ来た` printed whole. Every note below is the member, all of
//! it, with the member's one letter; whatever particle or punctuation follows stays.

use super::fold::fold_str;
use super::tests_mixed::person;
use super::*;

/// S世帯: 本人 齋藤 花子 with her reading, 父 渡邊 太郎 and 兄 髙橋 次郎 without one.
fn household() -> Vec<Person> {
    vec![
        person("齋藤 花子（サイトウ ハナコ）", PersonKind::CaseSubject),
        person("渡邊 太郎", PersonKind::Household),
        person("髙橋 次郎", PersonKind::Household),
    ]
}

/// The redactor, and each member's letter as the whole name in kanji is given it.
fn redactor() -> (Redactor, [String; 3]) {
    let mut r = Redactor::new(Lang::Ja, &household(), &[]);
    let letters = ["齋藤花子", "渡邊太郎", "髙橋次郎"].map(|n| r.redact(n).into_owned());
    assert_eq!(letters, ["A氏", "B氏", "C氏"]);
    (r, letters)
}

/// The given names' writings that must not survive, folded (any script and width).
const GIVEN: [&str; 6] = ["はな", "花", "たろ", "太", "じろ", "次"];

/// Each `note` with `name` in it becomes the note with the member's letter there, whatever
/// follows the name (が, と, は, 。, the end of the text).
fn assert_member(r: &mut Redactor, name: &str, letter: &str) {
    for tail in ["が来た", "と面談", "は欠席", "。", ""] {
        let text = format!("{name}{tail}");
        let out = r.redact(&text).into_owned();
        let folded = fold_str(&out);
        let left = GIVEN.iter().find(|g| folded.contains(&fold_str(g)));
        assert!(left.is_none(), "{text:?} → {out:?} keeps {left:?}");
        assert_eq!(out, format!("{letter}{tail}"), "{text:?}");
    }
}

/// Attack: the given name in hiragana glued to the family name or a blank after it, for the two
/// members without a recorded reading. Before: `渡邊たろうが来た` → `B氏たろうが来た` (the guessed
/// 渡邊タロウ refused because more hiragana, the particle, followed it).
#[test]
fn a_guessed_given_name_in_hiragana_after_the_family_name_is_the_member() {
    let (mut r, [_, taro, jiro]) = redactor();
    for name in ["渡邊たろう", "渡邊 たろう", "渡辺たろう", "渡邉　たろう"] {
        assert_member(&mut r, name, &taro);
    }
    for name in ["髙橋じろう", "高橋 じろう", "髙橋ジロウ", "たろう 渡邊"] {
        let letter = if name.contains("渡邊") {
            &taro
        } else {
            &jiro
        };
        assert_member(&mut r, name, letter);
    }
    // The honorific goes into the placeholder, as after the name in kanji.
    for (text, out) in [
        ("渡邊たろうさんが来た", format!("{taro}が来た")),
        ("髙橋じろう君が来た", format!("{jiro}が来た")),
        ("渡邊 たろうくんと面談", format!("{taro}と面談")),
        ("渡邊たろうって人", format!("{taro}って人")),
        ("髙橋じろうだけ来た", format!("{jiro}だけ来た")),
    ] {
        assert_eq!(r.redact(text), out, "{text}");
    }
}

/// Attack: the given name in half-width katakana, the particle in half-width katakana too.
/// Before: `渡邊ﾀﾛｳｶﾞ来た` → `B氏来た` with ﾀﾛｳｶﾞ taken for another person, and
/// `ﾜﾀﾅﾍﾞﾀﾛｳｶﾞ来た` kept whole.
#[test]
fn a_given_name_in_half_width_kana_before_a_half_width_particle_is_the_member() {
    let (mut r, [_, taro, jiro]) = redactor();
    for (text, out) in [
        ("渡邊ﾀﾛｳｶﾞ来た", format!("{taro}ｶﾞ来た")),
        ("ﾜﾀﾅﾍﾞﾀﾛｳｶﾞ来た", format!("{taro}ｶﾞ来た")),
        ("ﾜﾀﾅﾍﾞ ﾀﾛｳﾊ欠席", format!("{taro}ﾊ欠席")),
        ("髙橋ｼﾞﾛｳﾄ面談", format!("{jiro}ﾄ面談")),
    ] {
        assert_eq!(r.redact(text), out, "{text}");
    }
}

/// Attack: the given name half in kana, half in kanji (はな子, ハナ子, 花こ), after the family
/// name or alone before an honorific. Before: `齊藤はな子` → `A氏はな子`, `齋藤ハナ子` → `B氏子`,
/// `はな子さん` kept whole.
#[test]
fn a_given_name_half_in_kana_half_in_kanji_is_the_member() {
    let (mut r, [hanako, taro, jiro]) = redactor();
    for name in [
        "齊藤はな子",
        "齋藤ハナ子",
        "斎藤 はな子",
        "さいとうはな子",
        "齋藤ﾊﾅ子",
    ] {
        assert_member(&mut r, name, &hanako);
    }
    assert_member(&mut r, "渡邊た郎", &taro);
    assert_member(&mut r, "髙橋じ郎", &jiro);
    for (text, out) in [
        ("はな子さんが来た", format!("{hanako}が来た")),
        ("ハナ子ちゃんと面談", format!("{hanako}と面談")),
        ("はな子が来た", format!("{hanako}が来た")),
    ] {
        assert_eq!(r.redact(text), out, "{text}");
    }
}

/// The rule the hiragana case relaxes still holds: a guessed reading glued to more kana that is
/// no particle is someone else's name (佐藤コウジ beside 佐藤 光), and words that merely start
/// like a mix stay (花こう岩).
#[test]
fn kana_after_a_guessed_reading_that_is_no_particle_is_still_another_name() {
    let people = [person("佐藤 光", PersonKind::Household)];
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    assert_eq!(r.redact("佐藤光"), "A氏");
    assert_eq!(r.redact("叔父の佐藤コウジが来所"), "叔父のB氏が来所");
    assert_eq!(r.redact("佐藤こうが来所"), "A氏が来所");
    let (mut r, _) = redactor();
    assert_eq!(r.redact("花こう岩の石段"), "花こう岩の石段");
}

/// Attack: another relative of the family, the given name in hiragana glued to a recorded
/// family name before a particle. Before: `渡邊さくらが来た` → `B氏さくらが来た`, the relative's
/// given name left beside the member's letter.
#[test]
fn another_given_name_in_hiragana_glued_to_the_family_name_is_another_person() {
    let (mut r, [_, taro, _]) = redactor();
    let out = r.redact("渡邊さくらが来た").into_owned();
    assert!(!out.contains("さくら"), "{out}");
    assert!(out.ends_with("氏が来た"), "{out}");
    assert_ne!(out, format!("{taro}が来た"));
    // Words after a family name that are no given name stay.
    for (text, kept) in [
        ("渡邊だけが来た", "だけが来た"),
        ("渡邊からの連絡", "からの連絡"),
        ("渡邊までが来た", "までが来た"),
        ("渡邊あてに郵送", "あてに郵送"),
        ("渡邊いがいは欠席", "いがいは欠席"),
    ] {
        let out = r.redact(text).into_owned();
        assert_eq!(out, format!("{taro}{kept}"), "{text}");
    }
}

/// A given name nobody recorded, half in hiragana and half in kanji before an honorific
/// (みち子さん), is warned about: it reads as a name.
#[test]
fn a_given_name_half_in_hiragana_before_an_honorific_is_warned_about() {
    let (mut r, _) = redactor();
    assert_eq!(r.redact("みち子さんが来た"), "みち子さんが来た");
    let suspects: Vec<String> = r.report().suspects.iter().map(|s| s.text.clone()).collect();
    assert_eq!(suspects, ["みち子さん"]);
    // A word of hiragana and kanji that is no name is warned about at most, never replaced.
    assert_eq!(r.redact("お父さんが来た"), "お父さんが来た");
}

/// Attack: the family name cut at its start, the rest of it glued to the given name (邊太郎 for
/// 渡邊太郎, 藤花子 for 齋藤花子). Before: `邊太郎が来所` → `邊B氏が来所` (the case record
/// printed `邊某氏`): 太郎 was replaced, 邊 left beside the mask, and it tells the family.
#[test]
fn the_end_of_a_family_name_cut_off_before_the_given_name_goes_into_the_mask() {
    let (mut r, [hanako, taro, _]) = redactor();
    for (text, out) in [
        ("邊太郎が来所", format!("{taro}が来所")),
        ("、邉太郎さんと面談", format!("、{taro}と面談")),
        ("藤花子が来所", format!("{hanako}が来所")),
    ] {
        assert_eq!(r.redact(text), out, "{text}");
    }
    // Kanji that are no cut family name stay: another family's whole name before the given name
    // is not cut in two, and a word before it is kept.
    let out = r.redact("近藤花子が来所").into_owned();
    assert!(!out.contains("近A") && !out.contains("近B"), "{out}");
    assert_eq!(
        r.redact("本日太郎が来所"),
        "本日太郎が来所".replace("太郎", &taro)
    );
}

/// Attack: another relative's given name in hiragana glued to the family name, where the given
/// name starts like a particle (はるか, ともみ) or ends at punctuation or the end of the text.
/// Before: `渡邊はるかが来た` → `B氏はるかが来た`, `渡邊さくら、` → `B氏さくら、`.
#[test]
fn a_relatives_given_name_that_starts_like_a_particle_or_ends_at_punctuation_is_masked() {
    let (mut r, [_, taro, _]) = redactor();
    for text in [
        "渡邊はるかが来た",
        "渡邊ともみが来た",
        "渡邊さくら、父と来所",
        "渡邊さくら。",
        "渡邊さくら",
    ] {
        let out = r.redact(text).into_owned();
        let folded = fold_str(&out);
        for given in ["はるか", "ともみ", "さくら"] {
            assert!(!folded.contains(&fold_str(given)), "{text} → {out}");
        }
        assert!(
            !out.starts_with(&taro),
            "{text} → {out}: the father's letter"
        );
    }
    // Grammar after the family name stays: particles, words after a name, sentence ends.
    for (text, kept) in [
        ("渡邊とはいえ、", "とはいえ、"),
        ("渡邊とだけ話した", "とだけ話した"),
        ("渡邊からの連絡", "からの連絡"),
        ("渡邊とかが来た", "とかが来た"),
        ("渡邊はいつも来る", "はいつも来る"),
        ("渡邊でした。", "でした。"),
        ("渡邊です。", "です。"),
        ("渡邊だった。", "だった。"),
        ("渡邊など。", "など。"),
        ("渡邊たち、", "たち、"),
        ("渡邊とも面談", "とも面談"),
    ] {
        assert_eq!(r.redact(text), format!("{taro}{kept}"), "{text}");
    }
}

/// Attack: a given name of one kanji glued to the member's family name, the family name written
/// with a variant kanji or not, before a particle or punctuation. Before: `渡邊太が来所` →
/// `B氏太が来所` — one kanji after a family name counted only where an honorific, a title or a
/// relation marked it, and the given name was left beside the mask.
#[test]
fn a_one_kanji_given_name_glued_to_the_family_name_is_masked() {
    let (mut r, [_, taro, _]) = redactor();
    for text in [
        "渡邊太が来所",
        "渡辺太が来所",
        "渡邉太は欠席",
        "渡邊太と面談",
        "渡邊太、父と来所",
        "渡邊太。",
        "髙橋昭が来所",
    ] {
        let out = r.redact(text).into_owned();
        assert!(!out.contains('太') && !out.contains('昭'), "{text} → {out}");
        assert!(!out.contains("渡") && !out.contains('邊'), "{text} → {out}");
        assert!(out.contains("氏"), "{text} → {out}");
    }
    // One letter for the one name, wherever it is written again.
    let a = r.redact("渡邊太が来所").into_owned();
    let b = r.redact("渡辺太が来所").into_owned();
    assert_eq!(a, b);
    // A kanji after the family name that is no given name stays, with the family's mask.
    for (text, kept) in [
        ("渡邊宅へ", "宅へ"),
        ("渡邊方に送付", "方に送付"),
        ("渡邊側が了承", "側が了承"),
        ("渡邊分の書類", "分の書類"),
        ("渡邊父が来所", "父が来所"),
        ("渡邊他が来所", "他が来所"),
        ("渡邊等が来所", "等が来所"),
        ("渡邊宛に郵送", "宛に郵送"),
        ("渡邊子が来所", "子が来所"),
        ("渡邊姓を名乗る", "姓を名乗る"),
    ] {
        assert_eq!(r.redact(text), format!("{taro}{kept}"), "{text}");
    }
}

/// Attack: the family name cut to its last kana before the given name in kanji (なべ太郎, a
/// nickname from 渡邊), or to its first kanji (渡太郎). Before: `なべ太郎` → `なべB氏`, `渡太郎` →
/// `渡B氏`: the part of the family name left beside the mask.
#[test]
fn a_family_name_cut_to_its_end_in_kana_or_its_start_goes_into_the_mask() {
    let (mut r, [_, taro, _]) = redactor();
    for (text, out) in [
        ("なべ太郎が来所", format!("{taro}が来所")),
        ("ナベ太郎と面談", format!("{taro}と面談")),
        ("、なべ太郎", format!("、{taro}")),
        ("渡太郎が来所", format!("{taro}が来所")),
    ] {
        assert_eq!(r.redact(text), out, "{text}");
    }
    // Kana that are no end of a family reading, or glued to more kana, stay.
    for (text, kept) in [
        ("なお太郎が来所", "なお"),
        ("おなべ太郎", "おなべ"),
        ("今日は太郎が来所", "今日は"),
    ] {
        assert_eq!(r.redact(text), text.replacen("太郎", &taro, 1), "{kept}");
    }
}

/// Attack: a given name of four kanji, or with a kanji the table of readings lacks, written
/// half in kana. Before: `渡辺ゆき恵美` → `D氏ゆき恵美`, `渡辺鬱た` → `E氏鬱た` — no mixed form
/// was made for either.
#[test]
fn a_long_given_name_or_one_with_an_unread_kanji_half_in_kana_is_the_member() {
    let people = [
        person("渡辺 由紀恵美", PersonKind::Household),
        person("佐藤 鬱太", PersonKind::Household),
    ];
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    let [yukie, utta] = ["渡辺由紀恵美", "佐藤鬱太"].map(|n| r.redact(n).into_owned());
    for (text, letter) in [
        ("渡辺ゆき恵美が来所", &yukie),
        ("渡辺由紀えみが来所", &yukie),
        ("渡辺 ゆきえ美が来所", &yukie),
        ("佐藤鬱たが来所", &utta),
    ] {
        assert_eq!(r.redact(text), format!("{letter}が来所"), "{text}");
    }
}

/// Attack: a relative's given name in hiragana that starts like a particle (はるか: は, ともみ:
/// と), glued to the family name, where the sentence breaks after it. Before: `渡邊はるか、` →
/// `B氏はるか、`.
#[test]
fn a_relatives_given_name_like_a_particle_before_punctuation_is_masked() {
    let (mut r, [_, taro, _]) = redactor();
    for text in [
        "渡邊はるか、",
        "渡邊はるか。",
        "渡邊はるか",
        "渡邊ともみ、父と来所",
        "渡邊ともこ。",
    ] {
        let out = r.redact(text).into_owned();
        let folded = fold_str(&out);
        for given in ["はるか", "ともみ", "ともこ"] {
            assert!(!folded.contains(&fold_str(given)), "{text} → {out}");
        }
        assert!(
            !out.starts_with(&taro),
            "{text} → {out}: the father's letter"
        );
    }
    for (text, kept) in [
        ("渡邊はどうか。", "はどうか。"),
        ("渡邊はそこ。", "はそこ。"),
        ("渡邊もここ、", "もここ、"),
        ("渡邊がすき。", "がすき。"),
        ("渡邊はいた。", "はいた。"),
        ("渡邊とはいえ、", "とはいえ、"),
    ] {
        assert_eq!(r.redact(text), format!("{taro}{kept}"), "{text}");
    }
}

/// Attack: a relative's given name glued to a family name of one kanji (members 林太郎 and 林
/// 花子): in kanji, in katakana, in hiragana. Before: `林健太が来た`, `林ケンタが来た`,
/// `林さくらが来た` printed as typed, `林はるかが来た` → `某氏はるかが来た`.
#[test]
fn a_given_name_glued_to_a_one_kanji_family_name_is_masked() {
    let (mut r, taro, hanako) = hayashi_relatives_masked(
        &[
            "林健太が来た",
            "林ケンタが来た",
            "林さくらが来た",
            "林はるかが来た",
            "本日、林健太と面談",
            "林健太さんと面談",
        ],
        &["林", "健", "太", "けんた", "さくら", "はるか"],
    );
    // The members stay theirs; words a one-kanji family name starts stay.
    assert_eq!(r.redact("林たろうが来た"), format!("{taro}が来た"));
    assert_eq!(r.redact("林はな子が来た"), format!("{hanako}が来た"));
    for kept in [
        "林業に就職",
        "林業家の組合",
        "森林組合",
        "林道が崩れた",
        "林檎を買った",
        "林間学校",
    ] {
        assert_eq!(r.redact(kept), kept);
    }
}

/// What follows a family name of one kanji and marks it as a name is no given name: an
/// honorific, a title, a word that joins names (林さんが is the member's family name, as before
/// a given name glued to it was read).
#[test]
fn an_honorific_or_a_title_after_a_one_kanji_family_name_is_no_given_name() {
    let people = [person("林 花子", PersonKind::Household)];
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    let hanako = r.redact("林花子").into_owned();
    for (text, out) in [
        ("林さんが来た", format!("{hanako}が来た")),
        ("林くんと面談", format!("{hanako}と面談")),
        ("林さまは欠席", format!("{hanako}は欠席")),
        ("林先生が説明", format!("{hanako}先生が説明")),
        ("林係長が説明", format!("{hanako}係長が説明")),
        ("林たちが訪問", format!("{hanako}たちが訪問")),
    ] {
        assert_eq!(r.redact(text), out, "{text}");
    }
}

/// The household 林太郎 and 林 花子, and each of `texts` redacted among them: none of `parts`
/// left (folded), neither member's letter given — another person, masked with a letter of
/// their own. The redactor and the members' masks, for what a test asks further.
pub(super) fn hayashi_relatives_masked(
    texts: &[&str],
    parts: &[&str],
) -> (Redactor, String, String) {
    let people = [
        person("林太郎", PersonKind::Household),
        person("林 花子", PersonKind::Household),
    ];
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    let [taro, hanako] = ["林太郎", "林花子"].map(|n| r.redact(n).into_owned());
    for text in texts {
        let out = r.redact(text).into_owned();
        let folded = fold_str(&out);
        for part in parts {
            assert!(!folded.contains(&fold_str(part)), "{text} → {out}");
        }
        assert!(
            !out.contains(&taro) && !out.contains(&hanako),
            "{text} → {out}"
        );
    }
    (r, taro, hanako)
}
