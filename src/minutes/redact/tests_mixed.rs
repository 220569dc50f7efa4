//! A name written another way (session 11): its parts in different scripts and either order,
//! any separator; every romaji spelling; variant kanji (旧字体, 異体字) in either direction.

use super::*;
use crate::minutes::redact::fold::variant_lines;

pub(super) fn person(name: &str, kind: PersonKind) -> Person {
    Person::from_field(name, kind).unwrap()
}

/// The kinds a redaction meets a person as: the document's own, and recorded elsewhere.
pub(super) const KINDS: [PersonKind; 3] = [
    PersonKind::Attendee,
    PersonKind::CaseSubject,
    PersonKind::Recorded,
];

/// Whether any of `forms` (folded) is left in `out`, folded: any width, script or long vowel,
/// any romaji spelling.
fn left(out: &str, forms: &[&str]) -> Option<String> {
    let folded = fold_str(out);
    forms
        .iter()
        .map(|f| fold_str(f))
        .find(|f| folded.contains(f.as_str()))
}

const KIMURA: &str = "木村 一郎（きむら いちろう）";
const KIMURA_FORMS: [&str; 6] = ["木村", "キムラ", "一郎", "イチロー", "Kimura", "Ichiro"];

/// Item 1: 木村 一郎 written with each part in any script — kanji, hiragana, katakana,
/// half-width katakana, romaji of any spelling and case, full-width Latin — in either order,
/// with any separator or none: no part of it is left, for the document's own people and for
/// those recorded elsewhere. Before: 699 of 3402 writings were left for a person recorded
/// elsewhere (木村 Ichiro, イチロウ木村, キムラ Itiro, Kimura・Ichiro …), and the document's own
/// KimuraItiro.
#[test]
fn a_name_with_its_parts_in_different_scripts_in_either_order_is_replaced() {
    let separators = ["", " ", "　", "・", "･", " ・ ", "\n", "\r\n", "\t", "  "];
    let families = [
        "木村",
        "キムラ",
        "きむら",
        "ｷﾑﾗ",
        "Kimura",
        "KIMURA",
        "Ｋｉｍｕｒａ",
    ];
    let givens = [
        "一郎",
        "イチロウ",
        "いちろう",
        "ｲﾁﾛｰ",
        "イチロー",
        "Ichiro",
        "Ichirou",
        "ICHIRO",
        "Itiro",
        "Ichirō",
        "Ｉｃｈｉｒｏｕ",
        "Ichiroh",
    ];
    let mut bad = Vec::new();
    for kind in KINDS {
        let mut r = Redactor::new(Lang::Ja, &[person(KIMURA, kind)], &[]);
        for f in families {
            for g in givens {
                for sep in separators {
                    for text in [format!("{f}{sep}{g}が来所"), format!("{g}{sep}{f}が来所")] {
                        let out = r.redact(&text).into_owned();
                        if left(&out, &KIMURA_FORMS).is_some() || !out.ends_with("が来所") {
                            bad.push(format!("{kind:?}: {text:?} → {out:?}"));
                        }
                    }
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} left: {:#?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}

/// Item 1, in running text and with an honorific: the whole mention is one placeholder.
#[test]
fn a_mixed_name_in_a_sentence_is_one_placeholder() {
    for kind in KINDS {
        let mut r = Redactor::new(Lang::Ja, &[person(KIMURA, kind)], &[]);
        assert_eq!(
            r.redact("本日、木村イチロウさんが来所した"),
            "本日、A氏が来所した"
        );
        assert_eq!(r.redact("キムラ一郎様より電話"), "A氏より電話");
        assert_eq!(r.redact("一郎・木村と面談"), "A氏と面談");
        assert_eq!(r.redact("Kimura 一郎"), "A氏");
        assert_eq!(r.redact("一郎 Kimura"), "A氏");
        assert_eq!(r.redact("担当：\nきむら\n一郎"), "担当：\nA氏");
    }
}

/// Item 1's bounds: a mixed form is no licence to take words it stands beside.
#[test]
fn a_mixed_form_does_not_take_other_words() {
    let mut r = Redactor::new(Lang::Ja, &[person(KIMURA, PersonKind::Recorded)], &[]);
    for text in [
        "木村屋のパン",
        "Akimura一郎",
        "イチロウ選手の記録",
        "Ichiro Suzuki",
        "木村",
    ] {
        let out = r.redact(text);
        assert!(
            out.contains("木村屋") || !text.contains("木村屋"),
            "{text} → {out}"
        );
        if text.starts_with("Akimura") {
            assert!(out.starts_with("Akimura"), "{text} → {out}");
        }
    }
    assert_eq!(r.redact("木村屋のパン"), "木村屋のパン");
    assert_eq!(r.redact("Ichiro Suzuki"), "Ichiro Suzuki");
}

/// Item 2: every romaji spelling — Hepburn, Kunrei, wāpuro, with or without macrons or long
/// vowels, an apostrophe or a dash after n, any case, full-width — of a name recorded in
/// kanji with its reading, or recorded in Latin letters.
#[test]
fn every_romaji_spelling_is_replaced() {
    let cases: [(&str, &[&str], &[&str]); 4] = [
        (
            "佐藤 慎一（さとう しんいち）",
            &["佐藤", "Sato", "Shinichi", "Siniti"],
            &[
                "Satō Shin'ichi",
                "Sato Shinichi",
                "SATOU SHINICHI",
                "Satoh Sin'iti",
                "Ｓａｔｏｕ　Ｓｈｉｎｉｃｈｉ",
                "Shinnichi Satoo",
                "Satô Shin-ichi",
                "SATO, Shinichi",
                "Shin’ichi Satou",
                "satou shin-iti",
                "SatohShinichi",
            ],
        ),
        (
            "原 剛（はら つよし）",
            &["原", "Hara", "Tsuyoshi", "Tuyosi"],
            &[
                "Tsuyoshi Hara",
                "Tuyosi Hara",
                "HARA Tuyoshi",
                "Hara Tsuyosi",
                "ＨＡＲＡ ＴＳＵＹＯＳＨＩ",
            ],
        ),
        (
            "大野 潤一郎（おおの じゅんいちろう）",
            &["大野", "Ono", "Junichiro", "Zyunitiro"],
            &[
                "Jun'ichirō Ōno",
                "Junichiro Ono",
                "Zyunitiro Oono",
                "Jyunichirou Ohno",
                "Ōno Jun'ichirō",
                "OHNO JUNICHIROH",
                "Junichirô Ôno",
                "Jun-ichiro Ouno",
            ],
        ),
        (
            "Satoh Kenji",
            &["Sato", "Kenji", "Kenzi"],
            &[
                "Sato Kenzi",
                "Satō Kenji",
                "Kenji Satou",
                "SATOO KENZI",
                "Satoh Kenji",
            ],
        ),
    ];
    for (name, forms, texts) in cases {
        for kind in KINDS {
            let mut r = Redactor::new(Lang::En, &[person(name, kind)], &[]);
            for text in texts {
                let written = format!("Met {text} today.");
                let out = r.redact(&written);
                assert!(
                    left(&out, forms).is_none(),
                    "{kind:?} {name}: {written} → {out}"
                );
                assert_eq!(out, "Met Person A today.", "{kind:?} {name}");
            }
        }
    }
}

/// Item 2, one part alone: a family name or a given name in any spelling where it stands as a
/// name (an honorific after it, an English title before it).
#[test]
fn one_romanised_part_in_any_spelling_is_replaced() {
    let mut r = Redactor::new(
        Lang::En,
        &[person(
            "佐藤 慎一（さとう しんいち）",
            PersonKind::CaseSubject,
        )],
        &[],
    );
    for text in [
        "Satoh-san called",
        "Mr. Satō called",
        "Shin'ichi-kun called",
        "Sinniti called",
        "SATOU called",
    ] {
        assert_eq!(r.redact(text), "Person A called", "{text}");
    }
    // Other names and words stay: Saito, Satoshi, Shin, the word "so".
    for text in [
        "Saito called",
        "Satoshi called",
        "Shin called",
        "so it goes",
    ] {
        assert_eq!(r.redact(text), text);
    }
}

/// Item 3: 淺/浅 聰/聡 穗/穂 彥/彦 嶽/岳 舩/船 濟/済 鷗/鴎 姬/姫 靏/鶴 圡/土 廸/迪 壯/壮 (missed by
/// the last attack): a person recorded in one form is found written in the other, either way.
#[test]
fn the_variant_kanji_of_the_last_attack_are_found_both_ways() {
    let pairs = [
        ("淺野 聰子", "浅野 聡子"),
        ("穗積 和彥", "穂積 和彦"),
        ("嶽本 舩太", "岳本 船太"),
        ("濟藤 鷗外", "済藤 鴎外"),
        ("姬野 廸子", "姫野 迪子"),
        ("靏田 壯太", "鶴田 壮太"),
        ("圡屋 聰", "土屋 聡"),
        ("髙﨑 眞", "高崎 真"),
        ("渡邊 德子", "渡辺 徳子"),
        ("齋藤 龍", "斉藤 竜"),
    ];
    for (a, b) in pairs {
        for (recorded, written) in [(a, b), (b, a)] {
            for kind in KINDS {
                let mut r = Redactor::new(Lang::Ja, &[person(recorded, kind)], &[]);
                let whole = written.replace(' ', "");
                let out = r.redact(&format!("{whole}が来所")).into_owned();
                assert_eq!(out, "A氏が来所", "{kind:?} {recorded}: {whole}");
                let family = written.split(' ').next().unwrap_or("");
                let out = r.redact(&format!("{family}さんと面談")).into_owned();
                assert_eq!(out, "A氏と面談", "{kind:?} {recorded}: {family}さん");
            }
        }
    }
}

/// Item 3, the whole table: every pair of every line of variants.txt, both ways, in a given
/// name recorded in one form and written in the other (a family name of 姉 would be read as
/// the relation). The table cannot rot.
#[test]
fn every_variant_pair_is_found_both_ways() {
    let mut bad = Vec::new();
    let mut tried = 0;
    for line in variant_lines() {
        for &x in &line {
            for &y in &line {
                if x == y {
                    continue;
                }
                tried += 1;
                for kind in [PersonKind::Attendee, PersonKind::Recorded] {
                    let mut r =
                        Redactor::new(Lang::Ja, &[person(&format!("谷口 {x}一"), kind)], &[]);
                    let text = format!("谷口{y}一が来所");
                    let out = r.redact(&text);
                    if out != "A氏が来所" {
                        bad.push(format!("{kind:?} {x}一: {text} → {out}"));
                    }
                }
            }
        }
    }
    assert!(tried >= 900, "{tried}");
    assert!(
        bad.is_empty(),
        "{} left: {:#?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}

/// Item 4 (attack finding 10): a family name of the case's own people (a household member, the
/// case's subject, its key person) after a relation word and の, or with an honorific, is that
/// family — in a published table's free text (PersonCells, as the annual report and the ledger
/// judge a cell), whatever the family name: one kanji, a place, an ordinary word (希望). Before:
/// 夫の希望が来所, 元夫の希望と面談 … were left (66 texts of 希望).
#[test]
fn a_household_family_name_after_a_relation_is_the_family() {
    let relations = [
        "夫",
        "元夫",
        "妻",
        "元妻",
        "父",
        "母",
        "祖父",
        "祖母",
        "叔父",
        "叔母",
        "伯父",
        "伯母",
        "兄",
        "姉",
        "弟",
        "妹",
        "息子",
        "娘",
        "長男",
        "長女",
        "次男",
        "次女",
        "孫",
        "内縁の夫",
        "内縁の妻",
        "義父",
        "義母",
        "継父",
        "甥",
        "姪",
        "母の内縁の夫",
    ];
    let families = [
        "佐々木 花子",
        "林 花子",
        "森 花子",
        "東 花子",
        "中野 花子",
        "千葉 花子",
        "小野 花子",
        "勅使河原 花子",
        "ササキ ハナコ",
        "希望 花子",
        "谷 花子",
    ];
    let mut bad = Vec::new();
    for kind in [
        PersonKind::Household,
        PersonKind::CaseSubject,
        PersonKind::KeyPerson,
    ] {
        for name in families {
            let family = name.split(' ').next().unwrap_or("");
            let mut cells = PersonCells::new(&[person(name, kind)], &[]);
            for rel in relations {
                for text in [
                    format!("{rel}の{family}が来所"),
                    format!("{rel}の{family}さん"),
                    format!("{rel}の{family}と面談"),
                    format!("{rel}・{family}が同席"),
                    format!("{rel} {family}が来所"),
                    format!("{family}（{rel}）が来所"),
                    format!("{family}さんが来所"),
                ] {
                    let out = cells.names_replaced(&text, "○○");
                    if out.as_deref().is_none_or(|o| o.contains(family)) {
                        bad.push(format!("{kind:?} {name}: {text} → {out:?}"));
                    }
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} left: {:#?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}

/// Item 4's bounds: the word stays where no person of the case has that family name, and where
/// the name is of someone recorded elsewhere (a meeting's attendee), who is found only marked.
#[test]
fn an_ordinary_word_after_a_relation_stays_without_such_a_family() {
    let mut cells = PersonCells::new(&[person("佐藤 花子", PersonKind::Household)], &[]);
    assert_eq!(cells.names_replaced("夫の希望により転居", "○○"), None);
    let mut cells = PersonCells::new(&[person("希望 花子", PersonKind::Recorded)], &[]);
    assert_eq!(cells.names_replaced("夫の希望により転居", "○○"), None);
    assert_eq!(
        cells.names_replaced("夫の希望さんが来所", "○○").as_deref(),
        Some("夫の○○が来所")
    );
}

/// Item 5: a whole name glued after a kanji that makes another known family name with the
/// recorded one (小林ケンタ for 林 ケンタ) is that other family's: no part of it is replaced as
/// 林 ケンタ's (a given name alone elsewhere still is).
/// Where the kanji before makes no family name (元林ケンタ, 故林健太), the name is replaced:
/// an over-redaction is safer. Before: 小林ケンタが来所 → 小A氏が来所.
#[test]
fn a_longer_family_name_is_another_family() {
    for kind in KINDS {
        let mut r = Redactor::new(Lang::Ja, &[person("林 ケンタ", kind)], &[]);
        assert_eq!(r.redact("小林ケンタが来所"), "小林ケンタが来所", "{kind:?}");
        assert_eq!(
            r.redact("小林 ケンタが来所"),
            "小林 ケンタが来所",
            "{kind:?}"
        );
        assert_eq!(r.redact("林ケンタが来所"), "A氏が来所", "{kind:?}");
        assert_eq!(r.redact("元林ケンタが来所"), "元A氏が来所", "{kind:?}");
        let mut r = Redactor::new(Lang::Ja, &[person("藤 花子", kind)], &[]);
        assert_eq!(r.redact("佐藤花子が来所"), "佐藤花子が来所", "{kind:?}");
        assert_eq!(r.redact("本日藤花子が来所"), "本日A氏が来所", "{kind:?}");
    }
}
