//! The rows of the third pane. Live: the carried actions while the item that reviews them runs,
//! then what was captured under the current item, the role assignments, next actions and case
//! issues, the case fields and the record's fields (once any is set). In setup: the carried
//! actions.

use super::{Meeting, Stage};
use crate::store::capture::Entity;
use crate::store::{ItemRow, LiveMeeting};

/// A selectable row of the third pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// An action carried over from an earlier meeting (its id).
    Carried(i64),
    Entry(i64),
    Role(i64),
    Action(i64),
    Issue(i64),
    /// The case fields (pseudonym, lead agency, key person, risk, urgency, support policy).
    Case,
    /// The record's fields (place, legal basis, SV, referring agency, handouts, remaining
    /// issues, next meeting).
    Record,
}

impl Row {
    /// The stored row it stands for, when it is one of this meeting's captures.
    pub fn entity(self) -> Option<(Entity, i64)> {
        match self {
            Row::Entry(id) => Some((Entity::Entry, id)),
            Row::Role(id) => Some((Entity::Role, id)),
            Row::Action(id) => Some((Entity::Action, id)),
            Row::Issue(id) => Some((Entity::CaseIssue, id)),
            Row::Carried(_) | Row::Case | Row::Record => None,
        }
    }
}

/// An agenda item that reviews the actions carried over (前回からの継続事項の確認, and the
/// templates' 前回からの経過報告).
pub fn reviews_carried(item: &ItemRow) -> bool {
    item.title.contains("継続事項") || item.title.starts_with("前回から")
}

/// Whether any case field is set.
pub fn has_case(m: &LiveMeeting) -> bool {
    [
        &m.case_ref,
        &m.key_person,
        &m.risk,
        &m.urgency,
        &m.support_policy,
    ]
    .iter()
    .any(|s| !s.trim().is_empty())
        || m.lead_agency.is_some()
}

/// Whether any record field is set.
pub fn has_record(m: &LiveMeeting) -> bool {
    let r = &m.record;
    [&r.place, &r.basis, &r.handouts, &r.remaining_issues]
        .iter()
        .any(|s| !s.trim().is_empty())
        || r.supervisor
        || r.referred_by.is_some()
        || r.next_meeting.is_some()
}

impl Meeting {
    /// The agenda item the third pane is about: live, the current one; else the selected one.
    pub(super) fn pane_item(&self) -> Option<&ItemRow> {
        let m = self.meeting.as_ref()?;
        m.current().or_else(|| m.items.get(self.selected[0]))
    }

    /// Live, while the item that reviews the carried actions runs (or is selected).
    pub fn reviewing(&self) -> bool {
        self.stage == Stage::Live
            && !self.carried.is_empty()
            && self.pane_item().is_some_and(reviews_carried)
    }

    /// The rows of the third pane, in the order it shows them.
    pub fn rows(&self) -> Vec<Row> {
        let Some(m) = &self.meeting else {
            return Vec::new();
        };
        let carried = self.carried.iter().map(|c| Row::Carried(c.id));
        if self.stage == Stage::Setup {
            return carried.collect();
        }
        let mut rows = Vec::new();
        if self.reviewing() {
            rows.extend(carried);
        }
        if let Some(item) = self.pane_item() {
            rows.extend(item.entries.iter().map(|e| Row::Entry(e.id)));
        }
        rows.extend(m.roles.iter().map(|r| Row::Role(r.id)));
        rows.extend(m.actions.iter().map(|a| Row::Action(a.id)));
        rows.extend(m.issues.iter().map(|(id, _)| Row::Issue(*id)));
        if has_case(m) {
            rows.push(Row::Case);
        }
        if has_record(m) {
            rows.push(Row::Record);
        }
        rows
    }
}
