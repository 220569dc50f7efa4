//! Cases (事例) on paper — pure: data in, document out. The case record (経過記録: the household,
//! consent, the plan and its revisions, every meeting in order with its body, what was decided
//! and who does what, the actions and their state, the closure) as a [`crate::document::Document`]
//! written as Markdown or Word, redacted on request with the household's names replaced; and the
//! check that a pseudonym does not name a person.

mod labels;
pub mod ledger;
pub mod record;

use crate::i18n::Lang;
use crate::minutes::redact::{Redactor, SuspectKind};
use crate::minutes::{Person, PersonKind};

pub use record::{CaseMeeting, CaseRecordInput, Options};

/// Why a pseudonym cannot be a case's: it names a member of the household, or looks like a
/// person's name (a name with an honorific, a family name before 世帯/宅). `None`: it may be used.
pub fn pseudonym_problem(pseudonym: &str, members: &[Person], lang: Lang) -> Option<String> {
    let trimmed = pseudonym.trim();
    if trimmed.is_empty() {
        return Some(
            lang.pick("仮名が空です", "the pseudonym is empty")
                .to_owned(),
        );
    }
    let mut redactor = Redactor::new(lang, members, &[]);
    let redacted = redactor.redact(trimmed).into_owned();
    let report = redactor.report();
    let named = report
        .replacements
        .iter()
        .any(|r| r.kind == Some(PersonKind::Household) || r.kind == Some(PersonKind::CaseSubject));
    if named {
        return Some(match lang {
            Lang::Ja => format!(
                "仮名「{trimmed}」は世帯員の氏名を含んでいます（A世帯 のような記号にしてください）"
            ),
            Lang::En => format!(
                "the pseudonym '{trimmed}' holds the name of a member of the household (use a letter such as A世帯)"
            ),
        });
    }
    let looks = redacted != trimmed
        || report.suspects.iter().any(|s| {
            matches!(
                s.kind,
                SuspectKind::Household | SuspectKind::BeforeHonorific | SuspectKind::LatinPair
            )
        });
    looks.then(|| match lang {
        Lang::Ja => {
            format!("仮名「{trimmed}」は人の氏名に見えます（A世帯 のような記号にしてください）")
        }
        Lang::En => format!(
            "the pseudonym '{trimmed}' looks like a person's name (use a letter such as A世帯)"
        ),
    })
}

/// The people of a household as redaction takes them: the person at the centre (本人) as the
/// case subject, every other member as a member of the household.
pub fn household_people(members: &[(String, String)]) -> Vec<Person> {
    members
        .iter()
        .filter_map(|(relation, name)| {
            let kind = if relation.trim() == "本人" {
                PersonKind::CaseSubject
            } else {
                PersonKind::Household
            };
            Person::from_field(name, kind)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members() -> Vec<Person> {
        household_people(&[
            ("本人".to_owned(), "山田 太郎（ヤマダ タロウ）".to_owned()),
            ("長男".to_owned(), "山田 一郎".to_owned()),
        ])
    }

    #[test]
    fn a_pseudonym_naming_a_member_or_a_person_is_refused() {
        let m = members();
        assert_eq!(pseudonym_problem("A世帯", &m, Lang::Ja), None);
        assert_eq!(pseudonym_problem("Ｂ世帯", &m, Lang::Ja), None);
        assert_eq!(pseudonym_problem("C氏", &m, Lang::Ja), None);
        for bad in [
            "山田太郎さん世帯",
            "山田 太郎",
            "やまだ たろう",
            "ヤマダ世帯",
            "山田世帯",
            "一郎",
            "木下さん",
            "木下様宅",
            "",
        ] {
            assert!(
                pseudonym_problem(bad, &m, Lang::Ja).is_some(),
                "{bad} should be refused"
            );
        }
        // A family name nobody recorded, before 世帯, still reads as a name.
        assert!(pseudonym_problem("佐藤世帯", &[], Lang::En).is_some());
    }
}
