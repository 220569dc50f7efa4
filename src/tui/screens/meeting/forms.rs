//! The meeting's forms: opened on a pane's line (new, or to correct one), and read back into
//! commands when submitted. A correction carries the text as it was when the form opened, so
//! that a change made meanwhile by someone else is detected instead of overwritten.

use super::{Meeting, Pane, Row};
use crate::domain::model::{Attendance, EntryKind, Role};
use crate::i18n::Lang;
use crate::store::capture::{CaseFields, Entity};
use crate::tui::command::Command;
use crate::tui::screens::{Ctx, choices};
use crate::tui::widgets::form::{Field, Form, agency_picker};
use crate::tui::words::tr;

/// What a meeting's form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MeetingForm {
    Attendee {
        id: Option<i64>,
    },
    AgendaItem {
        id: Option<i64>,
    },
    Entry {
        kind: EntryKind,
        item_id: i64,
        id: Option<i64>,
    },
    Role {
        id: Option<i64>,
    },
    Action {
        id: Option<i64>,
    },
    Issue {
        id: Option<i64>,
    },
    Case,
    /// A carried action continued: a new due date (or the one it has, `due`) and a note on
    /// its progress.
    Continue {
        id: i64,
        due: Option<chrono::NaiveDate>,
    },
}

impl Meeting {
    pub(super) fn add_in_pane(&mut self, ctx: &mut Ctx) {
        match self.pane {
            Pane::Attendees => self.open_attendee_form(None, ctx),
            Pane::Agenda => self.open_item_form(None, ctx),
            Pane::Captures => {}
        }
    }

    pub(super) fn edit_selected(&mut self, ctx: &mut Ctx) {
        let index = self.at();
        match self.pane {
            Pane::Agenda => self.open_item_form(Some(index), ctx),
            Pane::Attendees => self.open_attendee_form(Some(index), ctx),
            Pane::Captures => match self.selected_row() {
                Some(Row::Entry(id)) => self.open_entry_edit(id, ctx),
                Some(Row::Role(id)) => self.open_role_form(Some(id), ctx),
                Some(Row::Action(id)) => self.open_action_form(Some(id), ctx),
                Some(Row::Carried(_)) => self.open_continue_form(ctx),
                Some(Row::Case) => self.open_case_form(ctx),
                Some(Row::Record) => self.open_record(ctx),
                Some(Row::Issue(id)) => self.open_issue_edit(id, ctx),
                None => {}
            },
        }
    }

    fn open_entry_edit(&self, id: i64, ctx: &mut Ctx) {
        let Some(m) = &self.meeting else { return };
        let found = m.items.iter().find_map(|i| {
            i.entries
                .iter()
                .find(|e| e.id == id)
                .map(|e| (i.id, e.clone()))
        });
        if let Some((item_id, entry)) = found {
            open_entry_form(entry.kind, item_id, Some(entry.id), &entry.text, ctx);
        }
    }

    /// The agenda item captures go under: the current one while live, else the selected one.
    fn capture_item(&self) -> Option<i64> {
        let m = self.meeting.as_ref()?;
        m.current_item
            .or_else(|| m.items.get(self.selected[0]).map(|i| i.id))
    }

    pub(super) fn capture_entry(&mut self, kind: EntryKind, ctx: &mut Ctx) {
        let Some(item_id) = self.capture_item() else {
            ctx.info("no_agenda_item");
            return;
        };
        open_entry_form(kind, item_id, None, "", ctx);
    }

    /// A picker of agencies: this meeting's and its body's first, then every other known.
    fn agency_field(&self, label: &str, initial: &str) -> Field {
        let near = self
            .meeting
            .as_ref()
            .map(|m| m.agency_choices())
            .unwrap_or_default();
        let others = self.agencies.clone().unwrap_or_default();
        Field::pick(label, initial, agency_picker(&near, &others))
    }

    fn open_attendee_form(&mut self, existing: Option<usize>, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let row = existing.and_then(|i| self.meeting.as_ref()?.attendees.get(i).cloned());
        let fields = vec![
            self.agency_field(
                tr(lang, "agency"),
                row.as_ref().and_then(|r| r.agency.as_deref()).unwrap_or(""),
            ),
            Field::text(
                tr(lang, "name"),
                row.as_ref().map(|r| r.name.as_str()).unwrap_or(""),
            ),
            Field::text(
                tr(lang, "title"),
                row.as_ref().map(|r| r.title.as_str()).unwrap_or(""),
            ),
            Field::options(
                tr(lang, "role"),
                choices::roles(&ctx.vocabulary, lang),
                row.as_ref().map(|r| r.role.code()).unwrap_or("member"),
            ),
            Field::options(
                tr(lang, "attendance"),
                choices::attendance(lang),
                row.as_ref()
                    .map(|r| r.attendance.code())
                    .unwrap_or("present"),
            ),
        ];
        ctx.form(Form::new(
            tr(lang, "attendee_title"),
            MeetingForm::Attendee {
                id: row.map(|r| r.id),
            },
            fields,
        ));
    }

    fn open_item_form(&mut self, existing: Option<usize>, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let row = existing.and_then(|i| self.meeting.as_ref()?.items.get(i).cloned());
        let minutes = row
            .as_ref()
            .and_then(|r| r.planned_min)
            .map(|m| m.to_string())
            .unwrap_or_default();
        ctx.form(Form::new(
            tr(lang, "agenda"),
            MeetingForm::AgendaItem {
                id: row.as_ref().map(|r| r.id),
            },
            vec![
                Field::text(
                    tr(lang, "item_title"),
                    row.as_ref().map(|r| r.title.as_str()).unwrap_or(""),
                ),
                Field::text(tr(lang, "planned_minutes"), &minutes),
            ],
        ));
    }

    pub(super) fn open_role_form(&mut self, existing: Option<i64>, ctx: &mut Ctx) {
        let m = self.meeting.as_ref();
        let row = existing.and_then(|id| m?.roles.iter().find(|r| r.id == id));
        let form = self.agency_form(
            ("role_assignment", MeetingForm::Role { id: existing }),
            row.map(|r| (r.agency.as_deref(), r.text.as_str())),
            "role_assignment",
            Vec::new(),
            ctx.lang,
        );
        ctx.form(form);
    }

    pub(super) fn open_action_form(&mut self, existing: Option<i64>, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let m = self.meeting.as_ref();
        let row = existing.and_then(|id| m?.actions.iter().find(|a| a.id == id));
        let due = Field::date(tr(lang, "due"), row.and_then(|r| r.due), ctx.today());
        let form = self.agency_form(
            ("next_action", MeetingForm::Action { id: existing }),
            row.map(|r| (r.agency.as_deref(), r.text.as_str())),
            "text",
            vec![due],
            lang,
        );
        ctx.form(form);
    }

    /// A form naming an agency and what falls to it (a role, an action), and more `fields`;
    /// correcting `row` (its agency and text) when there is one.
    fn agency_form(
        &self,
        (title, purpose): (&'static str, MeetingForm),
        row: Option<(Option<&str>, &str)>,
        text_label: &'static str,
        fields: Vec<Field>,
        lang: Lang,
    ) -> Form {
        let (agency, text) = row.unwrap_or((None, ""));
        let mut all = vec![
            self.agency_field(tr(lang, "agency"), agency.unwrap_or("")),
            Field::text(tr(lang, text_label), text),
        ];
        all.extend(fields);
        Form::new(tr(lang, title), purpose, all).editing(row.map(|(_, text)| text))
    }

    pub(super) fn open_issue_form(&mut self, ctx: &mut Ctx) {
        self.issue_form(None, "", ctx);
    }

    /// A case issue's category corrected, as any capture is.
    fn open_issue_edit(&mut self, id: i64, ctx: &mut Ctx) {
        let Some(m) = &self.meeting else { return };
        let Some((_, category)) = m.issues.iter().find(|(i, _)| *i == id).cloned() else {
            return;
        };
        self.issue_form(Some(id), &category, ctx);
    }

    fn issue_form(&self, id: Option<i64>, category: &str, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let form = Form::new(
            tr(lang, "case_issue"),
            MeetingForm::Issue { id },
            vec![Field::pick(
                tr(lang, "category"),
                category,
                choices::categories(&ctx.vocabulary, &self.categories, lang),
            )],
        );
        ctx.form(form.editing(id.map(|_| category)));
    }

    pub(super) fn open_case_form(&mut self, ctx: &mut Ctx) {
        let Some(m) = &self.meeting else { return };
        let lang = ctx.lang;
        let fields = vec![
            Field::text(tr(lang, "case_ref"), &m.case_ref),
            self.agency_field(
                tr(lang, "lead_agency"),
                m.lead_agency.as_deref().unwrap_or(""),
            ),
            Field::text(tr(lang, "key_person"), &m.key_person),
            Field::options(
                tr(lang, "risk"),
                choices::scale(&ctx.vocabulary, lang),
                &m.risk,
            ),
            Field::options(
                tr(lang, "urgency"),
                choices::scale(&ctx.vocabulary, lang),
                &m.urgency,
            ),
            Field::multiline(tr(lang, "support_policy"), &m.support_policy),
        ];
        ctx.form(Form::new(
            tr(lang, "case_fields"),
            MeetingForm::Case,
            fields,
        ));
    }

    /// The selected carried action, continued: a new due date (left empty, the one it has is
    /// kept; the label says it) and a note on its progress.
    pub(super) fn open_continue_form(&mut self, ctx: &mut Ctx) {
        let Some(c) = self.selected_carried() else {
            ctx.info("select_carried");
            return;
        };
        let lang = ctx.lang;
        let due = c
            .due
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let title = format!(
            "{}: {} {}",
            tr(lang, "continue_title"),
            c.agency.as_deref().unwrap_or(""),
            c.text
        );
        let form = Form::new(
            &title,
            MeetingForm::Continue { id: c.id, due },
            vec![
                Field::date_keeping(tr(lang, "new_due"), due, ctx.today()),
                Field::text(tr(lang, "progress"), ""),
            ],
        );
        ctx.form(form);
    }

    /// A submitted form as commands, or the word saying what is wrong with it.
    pub(super) fn commands_for(&self, form: &Form) -> Result<Vec<Command>, &'static str> {
        let Some(purpose) = form.purpose::<MeetingForm>() else {
            return Ok(Vec::new());
        };
        let meeting = self.id;
        let v = |i: usize| form.value(i);
        let agency = |i: usize| Some(v(i)).filter(|s| !s.is_empty());
        let text = |i: usize| Some(v(i)).filter(|s| !s.is_empty()).ok_or("empty_text");
        Ok(vec![match *purpose {
            MeetingForm::Attendee { id } => {
                let role = v(3).parse().unwrap_or(Role::Member);
                let attendance = v(4).parse().unwrap_or(Attendance::Present);
                if v(0).is_empty() && v(1).is_empty() {
                    return Err("empty_text");
                }
                match id {
                    Some(id) => Command::UpdateAttendee {
                        id,
                        agency: agency(0),
                        name: v(1),
                        title: v(2),
                        role,
                        attendance,
                    },
                    None => Command::AddAttendee {
                        meeting,
                        agency: agency(0),
                        name: v(1),
                        title: v(2),
                        role,
                        attendance,
                    },
                }
            }
            MeetingForm::AgendaItem { id } => {
                let title = text(0)?;
                let minutes = minutes(&v(1))?;
                match id {
                    Some(id) => Command::UpdateItem { id, title, minutes },
                    None => Command::AddItem {
                        meeting,
                        title,
                        minutes,
                    },
                }
            }
            MeetingForm::Entry { kind, item_id, id } => {
                let text = text(0)?;
                match id {
                    Some(id) => Command::EditText {
                        entity: Entity::Entry,
                        id,
                        expected: form.original.clone(),
                        text,
                    },
                    None => Command::AddEntry {
                        item: item_id,
                        kind,
                        text,
                    },
                }
            }
            MeetingForm::Role { id } => {
                let text = text(1)?;
                match id {
                    Some(id) => Command::UpdateRole {
                        id,
                        agency: agency(0),
                        expected: form.original.clone(),
                        text,
                    },
                    None => Command::AddRole {
                        meeting,
                        agency: agency(0),
                        text,
                    },
                }
            }
            MeetingForm::Action { id } => {
                let text = text(1)?;
                let due = form.date(2)?;
                match id {
                    Some(id) => Command::UpdateAction {
                        id,
                        agency: agency(0),
                        expected: form.original.clone(),
                        text,
                        due,
                    },
                    None => Command::AddAction {
                        meeting,
                        agency: agency(0),
                        text,
                        due,
                    },
                }
            }
            MeetingForm::Issue { id: None } => Command::AddIssue {
                meeting,
                category: text(0)?,
            },
            MeetingForm::Issue { id: Some(id) } => Command::EditText {
                entity: Entity::CaseIssue,
                id,
                expected: form.original.clone(),
                text: text(0)?,
            },
            MeetingForm::Case => Command::SetCase {
                meeting,
                fields: CaseFields {
                    case_ref: v(0),
                    lead_agency: agency(1),
                    key_person: v(2),
                    risk: v(3),
                    urgency: v(4),
                    support_policy: v(5),
                },
            },
            MeetingForm::Continue { id, due } => Command::ContinueAction {
                id,
                in_meeting: Some(meeting),
                due: form.date(0)?.or(due),
                note: v(1),
            },
        }])
    }
}

fn open_entry_form(
    kind: EntryKind,
    item_id: i64,
    entry_id: Option<i64>,
    text: &str,
    ctx: &mut Ctx,
) {
    let lang = ctx.lang;
    let key = match kind {
        EntryKind::Note => "note",
        EntryKind::Decision => "decision",
    };
    ctx.form(
        Form::new(
            tr(lang, key),
            MeetingForm::Entry {
                kind,
                item_id,
                id: entry_id,
            },
            vec![Field::text(tr(lang, "text"), text)],
        )
        .editing(entry_id.map(|_| text)),
    );
}

/// Planned minutes as typed (10, １５分, 15m); empty is none.
fn minutes(text: &str) -> Result<Option<u32>, &'static str> {
    let text = crate::domain::calendar::fold_width(text.trim());
    let text = text.trim_end_matches(['分', 'm']);
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| "bad_minutes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_are_numbers() {
        assert_eq!(minutes("10"), Ok(Some(10)));
        assert_eq!(minutes("１５分"), Ok(Some(15)));
        assert_eq!(minutes("ten"), Err("bad_minutes"));
    }
}
