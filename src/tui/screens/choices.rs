//! What the meeting's pickers offer: roles by their letters, attendance, the risk and urgency
//! scale (高・中・低), the legal bases of the annual report (開催根拠), SV派遣 有/無, and the case
//! issue categories recorded so far. A value typed that is none of these is kept as typed.

use crate::domain::model::{Attendance, Role};
use crate::i18n::Lang;
use crate::report::Basis;
use crate::tui::widgets::form::Opt;
use crate::tui::widgets::picker::{Choice, Picker};

/// The letter that picks a role in the attendee form.
pub fn role_letter(role: Role) -> char {
    match role {
        Role::Facilitator => 'f',
        Role::Recorder => 'r',
        Role::Secretariat => 's',
        Role::Coordinator => 'c',
        Role::Supervisor => 'v',
        Role::Member => 'm',
        Role::Person => 'p',
        Role::Family => 'k',
        Role::Observer => 'o',
    }
}

pub fn roles(lang: Lang) -> Vec<Opt> {
    Role::ALL
        .iter()
        .map(|r| {
            let label = match lang {
                Lang::Ja => r.short_ja(),
                Lang::En => r.code(),
            };
            Opt::lettered(role_letter(*r), r.code(), label)
        })
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

/// 高・中・低 (h, m, l), and none.
pub fn scale(lang: Lang) -> Vec<Opt> {
    let none = lang.pick("未設定", "not set");
    vec![
        Opt::lettered('h', "高", lang.pick("高", "高 high")),
        Opt::lettered('m', "中", lang.pick("中", "中 medium")),
        Opt::lettered('l', "低", lang.pick("低", "低 low")),
        Opt::lettered('-', "", none),
    ]
}

/// SV派遣: 無 (n) or 有 (y).
pub fn supervisor(lang: Lang) -> Vec<Opt> {
    vec![
        Opt::lettered('n', "no", lang.pick("無", "no")),
        Opt::lettered('y', "yes", lang.pick("有", "yes")),
    ]
}

/// The legal bases the annual report counts, stored by their short names.
pub fn bases(lang: Lang) -> Picker {
    let key = |b: &Basis| match b {
        Basis::ChildProtection => "要対協".to_owned(),
        Basis::CoHosted => "地域ケア会議・要対協".to_owned(),
        other => other.label(Lang::Ja),
    };
    Picker::new(
        Basis::FIXED
            .iter()
            .map(|b| Choice {
                key: key(b),
                label: b.label(lang),
                near: false,
            })
            .collect(),
    )
}

/// Case issue categories: those recorded so far, the most used first.
pub fn categories(recorded: &[String]) -> Picker {
    Picker::of_names(recorded, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::classify_basis;

    /// Every basis the picker stores is counted in its own row of the annual report.
    #[test]
    fn each_basis_stored_is_the_report_s_row() {
        let picker = bases(Lang::Ja);
        assert_eq!(picker.choices.len(), Basis::FIXED.len());
        for (choice, basis) in picker.choices.iter().zip(Basis::FIXED.iter()) {
            assert_eq!(&classify_basis(&choice.key), basis, "{}", choice.key);
        }
    }

    #[test]
    fn every_role_has_its_own_letter() {
        let mut letters: Vec<char> = Role::ALL.iter().map(|r| role_letter(*r)).collect();
        letters.sort_unstable();
        letters.dedup();
        assert_eq!(letters.len(), Role::ALL.len());
    }
}
