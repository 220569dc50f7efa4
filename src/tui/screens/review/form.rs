//! The form of one case's review: its status by one letter, the lead agency confirmed (the
//! agency picker to change it), the policy, the next review date the rules suggest, a note;
//! an ending asks what it needs (終結 the reason and the evaluation, 中断 the reason, 移管 where
//! to). The fields are laid out for the status: when another status is chosen in the form,
//! Enter lays them out again with what was typed, and the next Enter records.

use chrono::NaiveDate;

use crate::domain::case::CaseStatus;
use crate::i18n::Lang;
use crate::store::cases::{ReviewDraft, Seen};
use crate::tui::widgets::form::{Field, FieldKind, Form, Opt};
use crate::tui::widgets::picker::Picker;
use crate::tui::words::tr;

/// What a field of the form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Status,
    Lead,
    Policy,
    NextReview,
    Note,
    Reason,
    Evaluation,
    TransferredTo,
}

/// The statuses a review gives, with the letter that picks each (the same letters as the
/// review's keys) and its word.
pub const STATUSES: [(CaseStatus, char, &str); 5] = [
    (CaseStatus::Active, 'c', "review_active"),
    (CaseStatus::Monitoring, 'm', "review_monitoring"),
    (CaseStatus::Closed, 'e', "review_closed"),
    (CaseStatus::Suspended, 's', "review_suspended"),
    (CaseStatus::Transferred, 't', "review_transferred"),
];

/// The word of a status as a review decides it (継続 for a case still supported).
pub fn decision(status: CaseStatus, lang: Lang) -> &'static str {
    STATUSES
        .iter()
        .find(|(s, _, _)| *s == status)
        .map_or_else(|| status.label(lang), |(_, _, word)| tr(lang, word))
}

/// The next review dates the rules suggest for the case kept on: supported (継続) or watched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Suggested {
    pub active: Option<NaiveDate>,
    pub monitoring: Option<NaiveDate>,
}

impl Suggested {
    pub fn of(&self, status: CaseStatus) -> Option<NaiveDate> {
        match status {
            CaseStatus::Monitoring => self.monitoring,
            s if s.is_ended() => None,
            _ => self.active,
        }
    }
}

/// What a review form holds, as typed: kept while the form is laid out again, and as a draft.
pub use crate::store::drafts::Typed;

impl Typed {
    fn get(&self, slot: Slot) -> &str {
        match slot {
            Slot::Status => "",
            Slot::Lead => &self.lead,
            Slot::Policy => &self.policy,
            Slot::NextReview => &self.next,
            Slot::Note => &self.note,
            Slot::Reason => &self.reason,
            Slot::Evaluation => &self.evaluation,
            Slot::TransferredTo => &self.transferred_to,
        }
    }

    fn set(&mut self, slot: Slot, value: String) {
        match slot {
            Slot::Status => {}
            Slot::Lead => self.lead = value,
            Slot::Policy => self.policy = value,
            Slot::NextReview => self.next = value,
            Slot::Note => self.note = value,
            Slot::Reason => self.reason = value,
            Slot::Evaluation => self.evaluation = value,
            Slot::TransferredTo => self.transferred_to = value,
        }
    }
}

/// A date as a field shows it prefilled.
pub fn iso(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// What a review form is for: the case at the meeting, the status its fields are laid out for,
/// and what the case holds now (a field left as it is confirms it).
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewForm {
    pub meeting: i64,
    pub case: i64,
    pub pseudonym: String,
    pub status: CaseStatus,
    pub slots: Vec<Slot>,
    pub lead: Option<String>,
    pub policy: String,
    pub suggested: Suggested,
    /// The case and its review here as the form loaded them (a save over a change made
    /// meanwhile is refused); `told` once the user was shown such a refusal: Enter then
    /// records over it (the screen gives what it read again).
    pub seen: Option<Seen>,
    pub told: bool,
}

/// The fields a status asks for, in order: an ending's own first, after the status.
fn slots(status: CaseStatus) -> Vec<Slot> {
    use Slot::*;
    match status {
        CaseStatus::Closed => vec![Status, Reason, Evaluation, Lead, Policy, Note],
        CaseStatus::Suspended => vec![Status, Reason, Lead, Policy, Note],
        CaseStatus::Transferred => vec![Status, TransferredTo, Reason, Lead, Policy, Note],
        _ => vec![Status, Lead, Policy, NextReview, Note],
    }
}

/// The field an ending needs first (the reason, where to), if the status is an ending.
pub fn needed(status: CaseStatus) -> Option<Slot> {
    match status {
        CaseStatus::Closed | CaseStatus::Suspended => Some(Slot::Reason),
        CaseStatus::Transferred => Some(Slot::TransferredTo),
        _ => None,
    }
}

/// What the form says on its last line when it is laid out for `status`.
pub fn ask(status: CaseStatus) -> Option<&'static str> {
    match status {
        CaseStatus::Closed => Some("review_ask_closed"),
        CaseStatus::Suspended => Some("review_ask_suspended"),
        CaseStatus::Transferred => Some("review_ask_transferred"),
        _ => None,
    }
}

impl ReviewForm {
    /// The form laid out for this purpose's status, holding what was typed; the cursor on the
    /// status (its letters pick another), or, with `ask`, on what an ending needs. `today` is
    /// the day relative dates count from: the meeting's date (来週 is a week after it).
    pub fn form(
        self,
        lang: Lang,
        today: NaiveDate,
        (typed, ask): (&Typed, bool),
        agencies: (&[String], usize),
    ) -> Form {
        let status = self.status;
        let title = tr(lang, "form_review").replace("{case}", &crate::text::inert(&self.pseudonym));
        let layout = slots(status);
        let fields = layout
            .iter()
            .map(|&slot| field(slot, status, lang, today, typed, agencies))
            .collect();
        let focus = needed(status)
            .filter(|_| ask)
            .and_then(|n| layout.iter().position(|&s| s == n))
            .unwrap_or(0);
        let mut form = Form::new(
            &title,
            ReviewForm {
                slots: layout,
                ..self
            },
            fields,
        );
        form.focus = focus;
        form
    }

    /// The status chosen in the form.
    pub fn chosen(&self, form: &Form) -> CaseStatus {
        self.index(Slot::Status)
            .and_then(|i| form.value(i).parse().ok())
            .unwrap_or(self.status)
    }

    pub fn index(&self, slot: Slot) -> Option<usize> {
        self.slots.iter().position(|&s| s == slot)
    }

    /// What the form holds, field by field (what it does not show: from `before`).
    pub fn typed(&self, form: &Form, before: &Typed) -> Typed {
        let mut typed = before.clone();
        for (i, &slot) in self.slots.iter().enumerate() {
            if slot != Slot::Status {
                typed.set(slot, form.value(i));
            }
        }
        typed
    }

    /// The review the form says, for the store: the lead agency and the policy only when
    /// changed (else confirmed as they stand), the next review only for a case kept on.
    pub fn draft(
        &self,
        form: &Form,
        status: CaseStatus,
        typed: &Typed,
    ) -> Result<ReviewDraft, &'static str> {
        let next_review = match self.index(Slot::NextReview) {
            Some(i) if !status.is_ended() => form.date(i)?,
            _ => None,
        };
        let lead = typed.lead.trim();
        let lead_agency = (lead != self.lead.as_deref().unwrap_or("")).then(|| lead.to_owned());
        let policy = (typed.policy.trim() != self.policy.trim()).then(|| typed.policy.clone());
        Ok(ReviewDraft {
            status,
            lead_agency,
            policy,
            next_review,
            note: typed.note.clone(),
            reason: typed.reason.clone(),
            evaluation: typed.evaluation.clone(),
            transferred_to: typed.transferred_to.clone(),
            seen: self.seen,
        })
    }
}

fn field(
    slot: Slot,
    status: CaseStatus,
    lang: Lang,
    today: NaiveDate,
    typed: &Typed,
    (agencies, near): (&[String], usize),
) -> Field {
    let value = typed.get(slot);
    let field = match slot {
        Slot::Status => {
            let options = STATUSES
                .iter()
                .map(|(s, letter, word)| Opt::lettered(*letter, s.code(), tr(lang, word)))
                .collect();
            Field::options(tr(lang, "field_review_status"), options, status.code())
        }
        Slot::Lead => Field::pick(
            tr(lang, "field_lead"),
            value,
            Picker::of_names(agencies, near),
        ),
        Slot::Policy => Field::text(tr(lang, "field_policy"), value),
        Slot::NextReview => {
            let mut field = Field::date(tr(lang, "field_next_review"), None, today);
            if let FieldKind::Date { input, .. } = &mut field.kind {
                input.insert_str(value);
            }
            field
        }
        Slot::Note => Field::text(tr(lang, "field_review_note"), value),
        Slot::Reason => {
            let label = match status {
                CaseStatus::Closed => "field_reason_closed",
                CaseStatus::Suspended => "field_reason_suspended",
                _ => "field_reason_optional",
            };
            Field::text(tr(lang, label), value)
        }
        Slot::Evaluation => Field::text(tr(lang, "field_evaluation"), value),
        Slot::TransferredTo => Field::pick(
            tr(lang, "field_transferred_to"),
            value,
            Picker::of_names(agencies, near),
        ),
    };
    // By the store's names: the cursor goes where a refusal of the review points.
    let name = match slot {
        Slot::Status => "status",
        Slot::Lead => "lead_agency",
        Slot::Policy => "policy",
        Slot::NextReview => "next_review",
        Slot::Note => "note",
        Slot::Reason => "closure_reason",
        Slot::Evaluation => "evaluation",
        Slot::TransferredTo => "transferred_to",
    };
    field.named(name)
}

/// Whether two statuses lay the form out alike.
pub fn same_layout(a: CaseStatus, b: CaseStatus) -> bool {
    slots(a) == slots(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purpose(status: CaseStatus) -> ReviewForm {
        ReviewForm {
            meeting: 1,
            case: 2,
            pseudonym: "A世帯".into(),
            status,
            slots: Vec::new(),
            lead: Some("子ども家庭支援センター".into()),
            policy: "見守りを続ける".into(),
            suggested: Suggested::default(),
            seen: None,
            told: false,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()
    }

    #[test]
    fn what_is_left_as_it_stands_is_confirmed_and_a_change_is_sent() {
        let typed = Typed {
            lead: "子ども家庭支援センター".into(),
            policy: "見守りを続ける".into(),
            next: "2027-03-08".into(),
            ..Typed::default()
        };
        let agencies = vec!["保健センター".to_owned()];
        let form = purpose(CaseStatus::Active).form(
            crate::i18n::Lang::Ja,
            today(),
            (&typed, true),
            (&agencies, 0),
        );
        let p = form.purpose::<ReviewForm>().unwrap().clone();
        assert_eq!(p.chosen(&form), CaseStatus::Active);
        let read = p.typed(&form, &Typed::default());
        assert_eq!(read, typed);
        let draft = p.draft(&form, CaseStatus::Active, &read).unwrap();
        assert_eq!(draft.lead_agency, None, "confirmed");
        assert_eq!(draft.policy, None, "unchanged");
        assert_eq!(draft.next_review, NaiveDate::from_ymd_opt(2027, 3, 8));
        let changed = Typed {
            lead: "保健センター".into(),
            ..read
        };
        let draft = p.draft(&form, CaseStatus::Active, &changed).unwrap();
        assert_eq!(draft.lead_agency.as_deref(), Some("保健センター"));
    }

    #[test]
    fn an_ending_asks_first_what_it_needs_and_has_no_next_review() {
        let form = purpose(CaseStatus::Closed).form(
            crate::i18n::Lang::Ja,
            today(),
            (&Typed::default(), true),
            (&[], 0),
        );
        assert_eq!(form.fields[form.focus].label, "終結の理由");
        let p = form.purpose::<ReviewForm>().unwrap();
        assert_eq!(p.index(Slot::NextReview), None);
        let form = purpose(CaseStatus::Transferred).form(
            crate::i18n::Lang::En,
            today(),
            (&Typed::default(), true),
            (&[], 0),
        );
        assert_eq!(form.fields[form.focus].label, "Transferred to");
        assert!(same_layout(CaseStatus::Active, CaseStatus::Monitoring));
        assert!(!same_layout(CaseStatus::Active, CaseStatus::Closed));
    }
}
