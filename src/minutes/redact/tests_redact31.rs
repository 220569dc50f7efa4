//! Session 31: the gaps the last review left — a member's whole name in hiragana after a particle
//! (今日ははやしけんたが), a member's guessed given name after another member's family name
//! (渡邊ともよ、), a guessed reading in hiragana after kanji before what a person did
//! (本日けんた来所), a reading after a word of kinship words (父母のケンタ), a member's name cut
//! short before ちゃん (はなちゃん) and more given name glued after a whole name (林花子 beside
//! 林 花), a relative's one-kanji given name after a one-kanji family name (林花が来所) — and the
//! ordinary words beside each that stay as written.

use super::tests_mixed::person;
use super::*;

fn suspects(r: &Redactor) -> Vec<String> {
    r.report().suspects.iter().map(|s| s.text.clone()).collect()
}

/// The redactor for `people` and each one's letter, as the first text given names them.
pub(super) fn redactor<const N: usize>(
    people: [&str; N],
    first: [&str; N],
) -> (Redactor, [String; N]) {
    let people = people.map(|p| person(p, PersonKind::Household));
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    let letters = first.map(|n| r.redact(n).into_owned());
    (r, letters)
}

/// Gap 1: a member's whole name in kana, family and given glued, after a particle of one kana
/// that follows kanji. Seen failing before the fix: `今日ははやしけんたが来た` printed as typed
/// (the は before it read as the name's first kana); at a phrase's start it was masked.
#[test]
fn a_whole_name_in_kana_after_a_particle_is_the_member() {
    for who in ["林 健太（はやし けんた）", "林 健太"] {
        let (mut r, [kenta]) = redactor([who], ["林健太"]);
        for (text, head, tail) in [
            ("今日ははやしけんたが来た", "今日は", "が来た"),
            ("今日ははやしけんたさんが来た", "今日は", "が来た"),
            ("今日もはやしけんたくんと面談", "今日も", "と面談"),
            ("母とはやしけんたが来所", "母と", "が来所"),
            ("今日はハヤシケンタが来た", "今日は", "が来た"),
            ("今日はﾊﾔｼｹﾝﾀが来た", "今日は", "が来た"),
            ("はやしけんたが", "", "が"),
        ] {
            assert_eq!(
                r.redact(text),
                format!("{head}{kenta}{tail}"),
                "{who}: {text}"
            );
        }
        for kept in ["はやしたてた", "おはやしの会", "今日ははやく帰った"] {
            assert_eq!(r.redact(kept), kept, "{who}");
        }
    }
}

/// Gap 2: a member's given name in the kana it is guessed to read (佐藤 智代, read ともよ) glued to
/// another member's family name, where a name ends after it: the given name's member, one mask.
/// Seen failing before the fix: `渡邊ともよ、` → `A氏ともよ、` (warned about, not masked).
#[test]
fn a_members_guessed_given_name_after_a_recorded_family_name_is_the_member() {
    let (mut r, [taro, tomoyo]) = redactor(["渡邊 太郎", "佐藤 智代"], ["渡邊太郎", "佐藤智代"]);
    for (text, tail) in [
        ("渡邊ともよ、", "、"),
        ("渡邊ともよ。", "。"),
        ("渡邊ともよが来た", "が来た"),
        ("渡邊トモヨ、", "、"),
        ("渡邊ﾄﾓﾖ、", "、"),
        ("渡邊ともよさんと面談", "と面談"),
        ("渡邊ともよちゃん", ""),
        ("渡邊ともよ", ""),
    ] {
        assert_eq!(r.redact(text), format!("{tomoyo}{tail}"), "{text}");
    }
    assert_eq!(suspects(&r), Vec::<String>::new());
    // Grammar after the family name stays: と, とも before more words.
    for (text, kept) in [
        ("渡邊ともに", "ともに"),
        ("渡邊とも面談", "とも面談"),
        ("渡邊ともよく話す", "ともよく話す"),
        ("渡邊と面談", "と面談"),
    ] {
        assert_eq!(r.redact(text), format!("{taro}{kept}"), "{text}");
    }
}

/// Gap 3: a member's guessed reading in hiragana right after kanji, before a word of what a
/// person did (来所) or before が and one: the member, as in katakana. Seen failing before the
/// fix: `本日けんた来所` and `本日けんた君来所` printed as typed, `本日けんたが来所` and
/// `けんたが来た` only warned about.
#[test]
fn a_guessed_reading_in_hiragana_after_kanji_before_an_act_is_the_member() {
    let (mut r, [kenta, _]) = redactor(["林 健太", "山田 由紀"], ["林健太", "山田由紀"]);
    for (text, out) in [
        ("本日けんた来所", format!("本日{kenta}来所")),
        ("本日ケンタ来所", format!("本日{kenta}来所")),
        ("本日ｹﾝﾀ来所", format!("本日{kenta}来所")),
        ("本日けんた君来所", format!("本日{kenta}来所")),
        ("本日けんたさん来所", format!("本日{kenta}来所")),
        ("本日けんたが来所", format!("本日{kenta}が来所")),
        ("けんたが来た", format!("{kenta}が来た")),
    ] {
        assert_eq!(r.redact(text), out, "{text}");
    }
    assert_eq!(suspects(&r), Vec::<String>::new());
    // An everyday word (ゆき of 由紀), a word's ending, a particle other than が: as before.
    for kept in ["本日ゆき来所", "遅れて来所", "ご様子を伺う"] {
        assert_eq!(r.redact(kept), kept);
    }
    assert_eq!(suspects(&r), Vec::<String>::new());
    assert_eq!(r.redact("はじめは来所を拒否"), "はじめは来所を拒否");
    assert_eq!(r.redact("けんたは来所"), "けんたは来所");
    assert_eq!(suspects(&r), ["けんた"]);
}

/// Gap 4: a word of kinship words alone (父母, 兄姉, 親子) before の or glued is a relation as
/// each of them is. Seen failing before the fix: `父母のケンタ` printed as typed (母 glued after
/// 父 starts no word), while `子のケンタ、` was masked.
#[test]
fn a_reading_after_a_word_of_kinship_words_is_the_member() {
    let (mut r, [kenta]) = redactor(["林 健太"], ["林健太"]);
    for (text, out) in [
        ("父母のケンタ", format!("父母の{kenta}")),
        ("父母のケンタ、", format!("父母の{kenta}、")),
        ("父母のけんた、", format!("父母の{kenta}、")),
        ("父母のｹﾝﾀ", format!("父母の{kenta}")),
        ("父母ケンタ来所", format!("父母{kenta}来所")),
        ("兄姉のケンタ、", format!("兄姉の{kenta}、")),
        ("祖父母のケンタ", format!("祖父母の{kenta}")),
    ] {
        assert_eq!(r.redact(text), out, "{text}");
    }
    for kept in ["父母のケア", "様子のケンタ", "父母の会", "親子のケンカ"] {
        assert_eq!(r.redact(kept), kept);
    }
    assert_eq!(suspects(&r), Vec::<String>::new());
}

/// Gap 5: a member's given name cut short before ちゃん, くん, 君 (はなちゃん for 花子 read はなこ,
/// けんくん for 健太) is the member's letter, in any script. Seen failing before the fix:
/// `はなちゃん` → `C氏`, a new letter, as if someone else were named. Before さん a name cut short
/// is still a name nobody recorded (a letter of its own).
#[test]
fn a_members_name_cut_short_before_chan_takes_the_members_letter() {
    let (mut r, [taro, hanako, kenta]) = redactor(
        ["林 太郎", "山田 花子（やまだ はなこ）", "山田 健太"],
        ["林太郎", "山田花子", "山田健太"],
    );
    for (text, out) in [
        ("はなちゃん", hanako.clone()),
        ("はなちゃんが来た", format!("{hanako}が来た")),
        ("ハナちゃん", hanako.clone()),
        ("ﾊﾅちゃん", hanako.clone()),
        ("花ちゃん", hanako.clone()),
        ("たろちゃん", taro.clone()),
        ("けんくん", kenta.clone()),
        ("ケン君と面談", format!("{kenta}と面談")),
    ] {
        assert_eq!(r.redact(text), out, "{text}");
    }
    let other = r.redact("はなさん").into_owned();
    assert!(![&taro, &hanako, &kenta].contains(&&other), "{other}");
    for kept in ["お母さん", "ご様子", "はなはだ"] {
        assert_eq!(r.redact(kept), kept);
    }
}

/// Gap 5: more given name glued after a member's whole name (林花子 beside 林 花) is one name,
/// another person of the family with a letter of their own. Seen failing before the fix: `林花子`
/// → `A氏子`, `はやしはなこが` printed as typed, `はやしはなだけ` → `A氏はなだけ`.
#[test]
fn more_given_name_after_a_whole_name_is_one_mask() {
    let (mut r, [hana, ichi]) = redactor(["林 花（はやし はな）", "山田 一"], ["林花", "山田一"]);
    for text in [
        "林花子",
        "林花子が来た",
        "林花子さん",
        "はやしはなこが来た",
        "ハヤシハナコが",
        "山田一郎",
        "山田一郎が来所",
    ] {
        let out = r.redact(text).into_owned();
        let mask = out
            .split(['が', 'さ'])
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(
            mask.ends_with('氏') && mask.chars().count() == 2,
            "{text} → {out}"
        );
        assert!(mask != hana && mask != ichi, "{text} → {out}");
    }
    // What follows a name and is no given name stays beside the member's own mask.
    for (text, tail) in [
        ("林花来所", "来所"),
        ("林花係長", "係長"),
        ("林花宅", "宅"),
        ("林花等", "等"),
        ("林花母", "母"),
        ("はやしはなが", "が"),
        ("はやしはなだけ", "だけ"),
    ] {
        assert_eq!(r.redact(text), format!("{hana}{tail}"), "{text}");
    }
}

/// Gap 6: a relative nobody recorded, a one-kanji given name glued to a one-kanji recorded family
/// name (林花 beside a member 林 太郎), as the subject of what a person did: another person of
/// the family, masked. Seen failing before the fix: `林花が来た`, `林花は欠席` printed as typed.
/// Elsewhere two such kanji are as often a word (林道が崩れた, 林業に就職), and stay.
#[test]
fn a_one_kanji_relative_after_a_one_kanji_family_name_doing_something_is_masked() {
    let (mut r, [taro]) = redactor(["林 太郎"], ["林太郎"]);
    for (text, tail) in [
        ("林花が来た", "が来た"),
        ("林花は欠席", "は欠席"),
        ("林花も同席", "も同席"),
        ("林花が来所", "が来所"),
        ("林花さん", ""),
        ("林花ちゃんが来た", "が来た"),
    ] {
        let out = r.redact(text).into_owned();
        assert!(!out.contains('林') && !out.contains('花'), "{text} → {out}");
        assert!(
            out.ends_with(tail) && !out.starts_with(&taro),
            "{text} → {out}"
        );
    }
    for kept in ["林道が崩れた", "林業に就職", "林間学校", "林道は通行止め"] {
        assert_eq!(r.redact(kept), kept);
    }
    let (mut r, _) = redactor(["森 太郎"], ["森太郎"]);
    for kept in ["森林が減少", "森林は減った"] {
        assert_eq!(r.redact(kept), kept);
    }
}
