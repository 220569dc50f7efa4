//! The scanner's rules in the commonest wording of case records (attack report 6, findings 1, 4,
//! 12 and 17): what beside a relation is a relative's name and what is an ordinary word, which
//! words before an honorific name no one, and how far a name reaches. Each was seen failing
//! before its rule changed.

use super::*;

/// A published cell (a closure reason) as the report and the ledger mask it, nobody recorded.
fn masked(text: &str) -> Option<String> {
    PersonCells::new(&[], &[]).names_replaced(text, "○○")
}

/// Finding 1: an ordinary word after 本人の/父の/母の (or a blank, ・, a bracket) that a family name
/// of one kanji begins, a place that is also a family name, a word with an agency's in it.
#[test]
fn ordinary_words_beside_a_relation_are_no_names() {
    // (The attack's own forms are checked in every published copy by tests/redact_rules.rs.)
    for kept in [
        "本人の関係調整が必要",
        "父の福島出張",
        "母の千葉の実家",
        "母の千葉出身",
        "母の原因",
        "父の西",
        "祖父の関口座",
        "叔母の林業",
        "本人の中野区の家",
        "姉・宮崎の病院",
        "（本人の角部屋）",
    ] {
        assert_eq!(masked(kept), None, "{kept}");
    }
}

/// Finding 1: what marks a relative's name beside a relation is still read as one: a known
/// family name of two or more kanji alone or with a given name, a name in two parts (a family
/// name of one kanji, a place's or one ending like an agency's too), a name broken at a line's
/// end inside one text.
#[test]
fn a_relatives_name_beside_a_relation_is_still_one() {
    for (text, redacted) in [
        ("叔父の鈴木次郎が引取り", "叔父の○○が引取り"),
        ("叔父の鈴木が引取り", "叔父の○○が引取り"),
        ("叔父の林 健太が引取り", "叔父の○○が引取り"),
        ("本人の角 智子", "本人の○○"),
        ("祖母の宮崎 ハナが同居", "祖母の○○が同居"),
        ("叔父の宮崎が引取り", "叔父の○○が引取り"),
        ("叔父の中野次郎と面談", "叔父の○○と面談"),
        ("叔父の阿部 次郎と面談", "叔父の○○と面談"),
        ("叔父の雁部 千尋と面談", "叔父の○○と面談"),
        ("叔父の阿部が引取り", "叔父の○○が引取り"),
        ("叔父の鈴木\n次郎が引取り", "叔父の○○が引取り"),
        ("祖母・鈴木ハナ（78）宅へ", "祖母・○○（78）宅へ"),
    ] {
        assert_eq!(masked(text).as_deref(), Some(redacted), "{text}");
    }
}

/// Finding 1: the given name of a name nobody recorded, split after a family name of one kanji
/// (角 + 部屋), is a guess: found only where the name is marked again, never wherever it stands.
/// A name split after a family name of two (木下 + 大輔) keeps its parts.
#[test]
fn a_guessed_part_of_a_name_is_not_replaced_everywhere() {
    let people = [
        Person::new("角部屋", PersonKind::Unrecorded),
        Person::new("木下大輔", PersonKind::Unrecorded),
    ];
    let mut r = Redactor::new(Lang::Ja, &people, &[]);
    assert_eq!(r.redact("本人の北側の部屋"), "本人の北側の部屋");
    assert_eq!(r.redact("角部屋さんが来所"), "A氏が来所");
    assert_eq!(r.redact("大輔が同行"), "B氏が同行");
}

/// Finding 4: inside one text a name crosses a line break only as a known family name at a
/// line's end and a given name at the next one's start — never a whole line after a whole name.
#[test]
fn a_name_crosses_a_line_only_broken_in_two() {
    assert_eq!(
        masked("継父：鈴木大介\n父親 鈴木 大介").as_deref(),
        Some("継父：○○\n父親 ○○")
    );
    assert_eq!(
        masked("母の姉 鈴木花子\n鈴木花子（母の姉）が来所").as_deref(),
        Some("母の姉 ○○\n○○（母の姉）が来所")
    );
    assert_eq!(
        masked("叔父の鈴木次郎\n学校は欠席").as_deref(),
        Some("叔父の○○\n学校は欠席")
    );
}

/// Finding 12: how case records name the parents and the household are relations, alone, after
/// a prefix, after another relation and の, and in brackets after a word and の.
#[test]
fn every_relation_word_marks_a_name() {
    for (text, redacted) in [
        ("父親 栗栖 大介が引取り", "父親 ○○が引取り"),
        ("母親の栗栖 花子と面談", "母親の○○と面談"),
        ("栗栖 花子（母親）に連絡", "○○（母親）に連絡"),
        ("祖父母 梶浦 雅人と同居", "祖父母 ○○と同居"),
        ("母方祖母 雁部 千尋が来所", "母方祖母 ○○が来所"),
        ("父方祖父 錦織 直樹", "父方祖父 ○○"),
        ("異父兄 楠瀬 翔太", "異父兄 ○○"),
        ("実兄 鶴来 拓海", "実兄 ○○"),
        ("里親 蓮見 和也", "里親 ○○"),
        ("母の姉 鮫島 真央", "母の姉 ○○"),
        ("母の内縁の夫 柊 悠斗が同居", "母の内縁の夫 ○○が同居"),
        ("鈴木次郎（本児の叔父）", "○○（本児の叔父）"),
        ("鈴木次郎（母方の叔父）", "○○（母方の叔父）"),
        ("鈴木次郎（父の弟）", "○○（父の弟）"),
        ("鈴木次郎（母方祖母の弟）", "○○（母方祖母の弟）"),
    ] {
        assert_eq!(masked(text).as_deref(), Some(redacted), "{text}");
    }
    // What was done with a relative stays, the relation written any of these ways.
    for kept in [
        "面談（本人の母）",
        "電話連絡（母方祖母）",
        "父親が引取り",
        "母親の就労",
        "母の子育て支援",
        "里親委託",
        "父の弟子",
    ] {
        assert_eq!(masked(kept), None, "{kept}");
    }
}

/// Finding 17: agencies and roles called with さん name no one, and the bare word stays.
#[test]
fn agencies_and_roles_with_an_honorific_are_no_names() {
    for kept in [
        "児相さんから連絡",
        "生保さんに相談",
        "CWさんが訪問",
        "SSWさんが面談",
        "MSWさんと調整",
        "学童さんで預かり",
        "子家センさんから",
        "民生さんが見守り",
        "新聞屋さんが発見",
        "電気屋さんが点検",
        "彼氏さんが同居",
        "彼氏の収入",
        "元彼さんから連絡",
        "彼女さんが来所",
        "乳児くんの健診",
        "管理会社さんに連絡",
    ] {
        assert_eq!(masked(kept), None, "{kept}");
    }
    let mut r = Redactor::new(Lang::Ja, &[], &[]);
    assert_eq!(
        r.redact("児相さんから連絡、児相へ通告を検討"),
        "児相さんから連絡、児相へ通告を検討"
    );
    // A name before さん still is one, and so is one in kanji and katakana (鈴木ハナさん).
    assert_eq!(masked("木下さんが来所").as_deref(), Some("○○が来所"));
    assert_eq!(masked("鈴木ハナさんが来所").as_deref(), Some("○○が来所"));
    assert_eq!(masked("土屋さんが来所").as_deref(), Some("○○が来所"));
}
