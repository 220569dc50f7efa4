//! What the meeting's pickers offer, from the vocabularies (`domain::vocabulary`: built in, the
//! case issue categories extended by the config): roles by their keys, attendance, the risk and
//! urgency scale (高・中・低), the legal bases of the annual report (開催根拠), SV派遣 有/無, and the
//! case issue categories — the vocabulary's, then those recorded that it does not know. A value
//! typed that is none of these is kept as typed, and said to be new.

use crate::domain::model::Attendance;
use crate::domain::vocabulary::{IssueMatch, Vocabulary};
use crate::i18n::Lang;
use crate::tui::widgets::form::Opt;
use crate::tui::widgets::picker::{Choice, Picker};

/// The roles, each picked by its key.
pub fn roles(vocabulary: &Vocabulary, lang: Lang) -> Vec<Opt> {
    vocabulary
        .roles()
        .iter()
        .map(|r| Opt::lettered(r.key, r.code.code(), lang.pick(&r.ja, &r.en)))
        .collect()
}

/// Attendance, absent second: a roster taken from the last meeting is marked one key at a time.
pub fn attendance(lang: Lang) -> Vec<Opt> {
    [
        (Attendance::Present, 'p'),
        (Attendance::Absent, 'a'),
        (Attendance::Late, 'l'),
        (Attendance::LeftEarly, 'e'),
    ]
    .into_iter()
    .map(|(a, letter)| {
        let label = match lang {
            Lang::Ja => a.label_ja().to_owned(),
            Lang::En => a.code().replace('_', " "),
        };
        Opt::lettered(letter, a.code(), &label)
    })
    .collect()
}

/// The attendance after `a` when it is cycled: present, absent, late, left early.
pub fn next_attendance(a: Attendance) -> Attendance {
    match a {
        Attendance::Present => Attendance::Absent,
        Attendance::Absent => Attendance::Late,
        Attendance::Late => Attendance::LeftEarly,
        Attendance::LeftEarly => Attendance::Present,
    }
}

/// The risk and urgency scale, stored as the minutes print it (高, 中, 低), each picked by the
/// first letter of its code (h, m, l); and none.
pub fn scale(vocabulary: &Vocabulary, lang: Lang) -> Vec<Opt> {
    let mut options: Vec<Opt> = vocabulary
        .scale()
        .iter()
        .map(|l| {
            let label = match lang {
                Lang::Ja => l.ja.clone(),
                Lang::En => format!("{} {}", l.ja, l.en),
            };
            match l.code.chars().next() {
                Some(letter) => Opt::lettered(letter, &l.ja, &label),
                None => Opt::new(&l.ja, &label),
            }
        })
        .collect();
    options.push(Opt::lettered('-', "", lang.pick("未設定", "not set")));
    options
}

/// SV派遣: 無 (n) or 有 (y), stored as the record's flag (`yes`, `no`).
pub fn supervisor(vocabulary: &Vocabulary, lang: Lang) -> Vec<Opt> {
    let mut options: Vec<Opt> = vocabulary
        .supervisor()
        .iter()
        .map(|c| {
            let (letter, code) = if c.value { ('y', "yes") } else { ('n', "no") };
            Opt::lettered(letter, code, lang.pick(&c.ja, &c.en))
        })
        .collect();
    // 無 first: what a meeting is unless someone was sent.
    options.sort_by_key(|o| o.code == "yes");
    options
}

/// The legal bases the annual report counts, stored by their names.
pub fn bases(vocabulary: &Vocabulary, lang: Lang) -> Picker {
    Picker::new(
        vocabulary
            .bases()
            .iter()
            .map(|b| Choice::keyed(&b.name, lang.pick(&b.name, &b.en)))
            .collect(),
    )
}

/// Case issue categories: the vocabulary's (their variants name them too), then those recorded
/// that it does not know, the most used first.
pub fn categories(vocabulary: &Vocabulary, recorded: &[String], lang: Lang) -> Picker {
    let mut choices: Vec<Choice> = vocabulary
        .issues()
        .iter()
        .map(|c| Choice {
            also: c.variants.clone(),
            kana: c.kana,
            ..Choice::keyed(&c.name, c.label(lang))
        })
        .collect();
    for category in recorded {
        if vocabulary.issue(category) == IssueMatch::New {
            choices.push(Choice::named(category, false));
        }
    }
    Picker::new(choices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Basis, classify_basis};

    /// Every basis the picker stores is counted in its own row of the annual report.
    #[test]
    fn each_basis_stored_is_the_report_s_row() {
        let picker = bases(Vocabulary::builtin(), Lang::Ja);
        assert_eq!(picker.choices.len(), Basis::FIXED.len());
        for (choice, basis) in picker.choices.iter().zip(Basis::FIXED.iter()) {
            assert_eq!(&classify_basis(&choice.key), basis, "{}", choice.key);
        }
    }

    #[test]
    fn every_role_has_its_own_key_and_the_scale_its_letters() {
        let vocabulary = Vocabulary::builtin();
        let mut letters: Vec<Option<char>> = roles(vocabulary, Lang::Ja)
            .iter()
            .map(|o| o.letter)
            .collect();
        let count = letters.len();
        letters.sort_unstable();
        letters.dedup();
        assert_eq!(letters.len(), count);
        let scale: Vec<(Option<char>, String)> = scale(vocabulary, Lang::Ja)
            .into_iter()
            .map(|o| (o.letter, o.code))
            .collect();
        assert_eq!(scale[0], (Some('h'), "高".to_owned()));
        assert_eq!(scale[2], (Some('l'), "低".to_owned()));
        let sv = supervisor(vocabulary, Lang::Ja);
        assert_eq!(sv[0].code, "no", "無 first");
    }

    /// A category recorded that the vocabulary knows (a variant) is not offered twice.
    #[test]
    fn categories_are_the_vocabulary_s_then_the_new_ones_recorded() {
        let recorded = ["ごみ屋敷".to_owned(), "ペットの多頭飼育".to_owned()];
        let picker = categories(Vocabulary::builtin(), &recorded, Lang::Ja);
        let labels: Vec<&str> = picker.choices.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels[0], "精神障がい（疑い含む）");
        assert!(!labels.contains(&"ごみ屋敷"));
        assert_eq!(labels.last(), Some(&"ペットの多頭飼育"));
        assert_eq!(picker.value("ごみ屋敷"), "ゴミ屋敷");
    }
}
