//! A common English word that reads as romaji (too, to, go, I, will) beside a person whose name
//! it spells (十 トオ, 呉 ゴ, 李 イ, Will Smith) is the word unless something marks it as a name;
//! every other spelling of the name is still cut (session 12; romaji.rs, words.toml's
//! `english_words`).

use super::tests_mixed::{KINDS, person};
use super::*;

/// People whose names, or a part of them, romanise to a common English word.
const PEOPLE: [&str; 9] = [
    "十 健（とお けん）",
    "東 洋子（とう ようこ）",
    "Tō Ichiro",
    "呉 美香（ご みか）",
    "李 花子（い はなこ）",
    "野 花子（の はなこ）",
    "宗 太郎（そう たろう）",
    "伊達 一郎（だて いちろう）",
    "Will Smith",
];

/// Before: `I came too late.` → `I came Person A late.` for 十 健 and Tō Ichiro, `Me too.` →
/// `Person B.`, `go to school` → `Person A to school` for 呉 美香, `I will go.` → `Person A will
/// go.` for 李 花子 and `I Person A go.` for Will Smith, `a date` → `a Person A` for 伊達 一郎.
#[test]
fn common_english_words_beside_a_name_they_spell_are_kept() {
    let texts = [
        "I came too late.",
        "Me too.",
        "go to school",
        "We have to go too.",
        "no way",
        "so it goes",
        "a date was set",
        "I will go.",
        "they said no, so we wait",
        "to do: call the school",
    ];
    for name in PEOPLE {
        for kind in KINDS {
            let mut r = Redactor::new(Lang::En, &[person(name, kind)], &[]);
            for text in texts {
                assert_eq!(r.redact(text), text, "{kind:?} {name}");
            }
        }
    }
}

/// The same words marked as a name — a capital, an honorific, an English title, the other part
/// of the name beside them — are cut, and so is every spelling that is no English word.
#[test]
fn the_same_spellings_marked_as_names_are_cut() {
    for kind in KINDS {
        let mut r = Redactor::new(Lang::En, &[person("十 健（とお けん）", kind)], &[]);
        // An honorific, a title, the other part of the name.
        let marked = [
            "Too-san",
            "too-san",
            "TOO-san",
            "Tō-san",
            "Toh san",
            "Tooさん",
            "Mr. To",
            "Ms. too",
            "Ken Too",
            "ken too",
            "TOO Ken",
        ];
        for text in marked {
            let written = format!("{text} called");
            assert_eq!(r.redact(&written), "Person A called", "{kind:?} {text}");
        }
    }
    // The document's own people: a capital marks the word (privacy first: `Too late` at the
    // start of a sentence is cut too), and a spelling that is no English word is cut anywhere.
    for kind in [PersonKind::Attendee, PersonKind::CaseSubject] {
        let mut r = Redactor::new(Lang::En, &[person("十 健（とお けん）", kind)], &[]);
        for text in [
            "Too called",
            "TOO called",
            "Tō called",
            "Toh called",
            "tou called",
        ] {
            assert_eq!(r.redact(text), "Person A called", "{kind:?} {text}");
        }
        assert_eq!(r.redact("Too late."), "Person A late.", "{kind:?}");
        let mut r = Redactor::new(Lang::En, &[person("呉 美香（ご みか）", kind)], &[]);
        assert_eq!(r.redact("Go called"), "Person A called", "{kind:?}");
        assert_eq!(r.redact("go-san called"), "Person A called", "{kind:?}");
        assert_eq!(r.redact("go to school"), "go to school", "{kind:?}");
        // I is always a capital: only a mark makes it 李.
        let mut r = Redactor::new(Lang::En, &[person("李 花子（い はなこ）", kind)], &[]);
        assert_eq!(r.redact("I called"), "I called", "{kind:?}");
        assert_eq!(r.redact("I-san called"), "Person A called", "{kind:?}");
        assert_eq!(r.redact("Ms. I called"), "Person A called", "{kind:?}");
        assert_eq!(r.redact("Hanako I called"), "Person A called", "{kind:?}");
        let mut r = Redactor::new(Lang::En, &[person("Will Smith", kind)], &[]);
        assert_eq!(r.redact("Will called"), "Person A called", "{kind:?}");
        assert_eq!(r.redact("will smith called"), "Person A called", "{kind:?}");
    }
}

/// Real names in every spelling are still cut, lower case included: ono and kimura are no
/// English words (the person 大野 as `ono` is cut; the word `no` beside it stays).
#[test]
fn names_that_are_no_english_words_are_cut_in_every_spelling() {
    for kind in [PersonKind::Attendee, PersonKind::CaseSubject] {
        let mut r = Redactor::new(Lang::En, &[person("大野 健（おおの けん）", kind)], &[]);
        for text in ["Ono", "ono", "ONO", "Ōno", "Ohno", "oono", "Ouno"] {
            let written = format!("{text} said no, so we wait");
            assert_eq!(
                r.redact(&written),
                "Person A said no, so we wait",
                "{kind:?} {text}"
            );
        }
        let names: [(&str, &[&str]); 2] = [
            (
                "木村 一郎（きむら いちろう）",
                &["Kimura", "kimura", "KIMURA", "Ichirō", "ichiro"],
            ),
            (
                "佐藤 慎一（さとう しんいち）",
                &["Satō", "Sato", "satou", "Satoh", "Shin'ichi", "siniti"],
            ),
        ];
        for (name, spellings) in names {
            let mut r = Redactor::new(Lang::En, &[person(name, kind)], &[]);
            for text in spellings {
                let written = format!("met {text} too");
                assert_eq!(r.redact(&written), "met Person A too", "{kind:?} {text}");
            }
        }
    }
}

/// Every entry of `english_words` reads as romaji: a word that does not (the, and) can never
/// meet a name's spelling, and would only make the list look wider than it is.
#[test]
fn every_listed_english_word_reads_as_romaji() {
    let w = words::words();
    for word in &w.english_words {
        let ordinary = w.ordinary.contains(&fold_str(word));
        assert!(
            ordinary || super::romaji::canonical_pieces(word).is_some(),
            "{word}"
        );
        assert!(word.chars().count() <= 4 || ordinary, "{word}");
    }
    assert!(w.is_english_word("too") && w.is_english_word("will"));
    assert!(!w.is_english_word("to\u{304}") && !w.is_english_word("kimura"));
}

/// A common English word among Japanese text, or alone in its field, is no English sentence:
/// the name it spells is cut (the property test of tests/properties.rs found `、a。` kept for a
/// person read ア タ once English words were spared).
#[test]
fn a_common_word_among_japanese_text_or_alone_is_cut() {
    for kind in KINDS {
        let mut r = Redactor::new(Lang::Ja, &[person("十 健（とお けん）", kind)], &[]);
        for text in ["、too。", "too", "（too）", "too。"] {
            let out = r.redact(text);
            assert!(
                !out.to_lowercase().contains("too"),
                "{kind:?} {text} → {out}"
            );
        }
        assert_eq!(r.redact("Me too."), "Me too.", "{kind:?}");
    }
}
