//! A meeting, at one of two stages. Setup, before it begins: attendees and their roles (the last
//! meeting's roster in one key), the agenda, and the actions carried over from the body's earlier
//! meetings to review. Live: the agenda with the current item's clock, the attendees, and one-key
//! captures (notes, decisions, role assignments, next actions, case issues, case fields), each
//! committed the moment it is entered; while the item that reviews them runs, the carried actions
//! are there to mark done, dropped or continued. The record's own fields (place, legal basis, SV,
//! referring agency, handouts, remaining issues, next date) are one key away at either stage.
//! Its state and keys are here, its rows in `rows.rs`, its forms in `forms.rs`, its drawing in
//! `draw.rs`.

mod draw;
pub(crate) mod forms;
mod rows;

pub use rows::Row;

use super::actions::{marked, marking};
use super::choices::next_attendance;
use super::record;
use super::{Confirm, Ctx, Screen, ScreenId};
use crate::domain::model::ActionStatus;
use crate::keys::Action;
use crate::minutes::{ActionReview, CarriedAction};
use crate::store::capture::OtherDay;
use crate::store::{LiveMeeting, Store};
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::form::short_date;
use crate::tui::widgets::form::{DraftKey, Form};
use crate::tui::widgets::list::{moved, movement};
use crate::tui::words::tr;

/// Before the meeting or while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Setup,
    Live,
}

/// The panes of the meeting (side by side at full size, one at a time below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Agenda,
    Attendees,
    /// Live: what was captured (and the carried actions while they are reviewed); setup: the
    /// actions carried over.
    Captures,
}

const PANES: [Pane; 3] = [Pane::Agenda, Pane::Attendees, Pane::Captures];

impl Pane {
    fn index(self) -> usize {
        match self {
            Pane::Agenda => 0,
            Pane::Attendees => 1,
            Pane::Captures => 2,
        }
    }
}

#[derive(Debug)]
pub struct Meeting {
    id: i64,
    stage: Stage,
    meeting: Option<LiveMeeting>,
    /// Actions of the body's earlier meetings still open when this one takes place.
    carried: Vec<CarriedAction>,
    /// The carried actions continued at this meeting.
    reviews: Vec<ActionReview>,
    /// Who moves the agenda, who else has the meeting open, and who I am.
    chair: String,
    present: Vec<String>,
    me: String,
    /// Every agency the section has met, for the pickers' second rank (read once).
    agencies: Option<Vec<String>>,
    /// The case issue categories recorded so far.
    categories: Vec<String>,
    pane: Pane,
    /// The selection of each pane.
    selected: [usize; 3],
    /// The current agenda item when last read: the review's item, come up, takes the keys.
    current: Option<i64>,
    /// Not begun, and planned for another day than today: beginning it asks first.
    other_day: Option<OtherDay>,
    /// The body keeps a ledger of cases: `L` reviews it (進行管理).
    ledger: bool,
}

impl Meeting {
    pub fn new(id: i64, stage: Stage) -> Meeting {
        Meeting {
            id,
            stage,
            meeting: None,
            carried: Vec::new(),
            reviews: Vec::new(),
            chair: String::new(),
            present: Vec::new(),
            me: String::new(),
            agencies: None,
            categories: Vec::new(),
            pane: Pane::Agenda,
            selected: [0; 3],
            current: None,
            other_day: None,
            ledger: false,
        }
    }

    pub fn meeting(&self) -> Option<&LiveMeeting> {
        self.meeting.as_ref()
    }

    pub fn pane(&self) -> Pane {
        self.pane
    }

    /// The selection of the focused pane.
    pub fn selection(&self) -> usize {
        self.selected[self.pane.index()]
    }

    pub fn carried(&self) -> &[CarriedAction] {
        &self.carried
    }

    fn live(&self) -> bool {
        self.stage == Stage::Live
    }

    /// The meeting has begun (its setup opened from the live meeting).
    fn begun(&self) -> bool {
        self.meeting
            .as_ref()
            .is_some_and(|m| m.started_at.is_some())
    }

    fn pane_len(&self, pane: Pane) -> usize {
        let Some(m) = &self.meeting else { return 0 };
        match pane {
            Pane::Agenda => m.items.len(),
            Pane::Attendees => m.attendees.len(),
            Pane::Captures => self.rows().len(),
        }
    }

    /// The selection of the focused pane.
    fn at(&self) -> usize {
        self.selected[self.pane.index()]
    }

    /// The row of the captures pane under the selection, when that pane has the keys.
    fn selected_row(&self) -> Option<Row> {
        if self.pane != Pane::Captures {
            return None;
        }
        self.rows().get(self.selected[2]).copied()
    }

    /// Keeps the selections inside lists that may have shrunk; live, the agenda's selection
    /// follows the current item while another pane has the keys.
    fn clamp(&mut self) {
        for pane in PANES {
            let n = self.pane_len(pane);
            let i = pane.index();
            self.selected[i] = self.selected[i].min(n.saturating_sub(1));
        }
        if let (Stage::Live, Some(m)) = (self.stage, &self.meeting)
            && let Some(pos) = m
                .current_item
                .and_then(|c| m.items.iter().position(|i| i.id == c))
            && self.pane != Pane::Agenda
        {
            self.selected[0] = pos;
        }
    }

    fn step(&mut self, forward: bool, ctx: &mut Ctx) -> Vec<Command> {
        match &self.meeting {
            Some(m) if !m.is_live() => {
                ctx.info("not_live");
                Vec::new()
            }
            Some(m) if m.items.is_empty() => {
                ctx.info("no_agenda_item");
                Vec::new()
            }
            Some(_) => vec![Command::Step {
                meeting: self.id,
                delta: if forward { 1 } else { -1 },
            }],
            None => Vec::new(),
        }
    }

    fn delete_selected(&mut self, ctx: &mut Ctx) -> Vec<Command> {
        let index = self.at();
        let Some(m) = &self.meeting else {
            return Vec::new();
        };
        let target = match self.pane {
            Pane::Agenda => m
                .items
                .get(index)
                .map(|i| (crate::store::capture::Entity::AgendaItem, i.id)),
            Pane::Attendees => m
                .attendees
                .get(index)
                .map(|a| (crate::store::capture::Entity::Attendee, a.id)),
            Pane::Captures => match self.selected_row() {
                // A carried action is not this meeting's to remove: it is dropped.
                Some(Row::Carried(_)) => return self.mark_carried(ActionStatus::Dropped, ctx),
                Some(row) => row.entity(),
                None => None,
            },
        };
        match target {
            Some((entity, id)) => {
                ctx.info("removed");
                vec![Command::Remove { entity, id }]
            }
            None => Vec::new(),
        }
    }

    fn move_item(&mut self, delta: i64) -> Vec<Command> {
        if self.pane != Pane::Agenda {
            return Vec::new();
        }
        let Some(item) = self
            .meeting
            .as_ref()
            .and_then(|m| m.items.get(self.selected[0]))
        else {
            return Vec::new();
        };
        let id = item.id;
        self.selected[0] = moved(self.selected[0], delta, self.pane_len(Pane::Agenda));
        vec![Command::MoveItem { id, delta }]
    }

    fn cycle_attendance(&self) -> Vec<Command> {
        if self.pane != Pane::Attendees {
            return Vec::new();
        }
        let Some(a) = self
            .meeting
            .as_ref()
            .and_then(|m| m.attendees.get(self.selected[1]))
        else {
            return Vec::new();
        };
        vec![Command::SetAttendance {
            id: a.id,
            attendance: next_attendance(a.attendance),
        }]
    }

    /// Takes back the last capture of this session made in this meeting, saying what it was.
    fn take_back(&self, ctx: &mut Ctx) -> Vec<Command> {
        let Some(m) = &self.meeting else {
            return Vec::new();
        };
        let Some(at) = ctx.undo.iter().rposition(|u| m.holds(u.entity, u.id)) else {
            ctx.info("nothing_to_undo");
            return Vec::new();
        };
        let undo = ctx.undo.remove(at);
        let left = ctx.undo.iter().filter(|u| m.holds(u.entity, u.id)).count();
        let lang = ctx.lang;
        ctx.say(
            tr(lang, "undone")
                .replace("{what}", &undo.what)
                .replace("{left}", &left.to_string()),
        );
        vec![Command::TakeBack {
            entity: undo.entity,
            id: undo.id,
        }]
    }

    /// The carried action under the selection.
    fn selected_carried(&self) -> Option<&CarriedAction> {
        match self.selected_row()? {
            Row::Carried(id) => self.carried.iter().find(|c| c.id == id),
            _ => None,
        }
    }

    /// A carried action closed (or reopened) at this meeting.
    fn mark_carried(&self, status: ActionStatus, ctx: &mut Ctx) -> Vec<Command> {
        let Some(carried) = self.selected_carried() else {
            ctx.info("select_carried");
            return Vec::new();
        };
        let id = carried.id;
        // O on an action still open changes nothing: said, not written.
        if status == ActionStatus::Open && carried.status == ActionStatus::Open {
            ctx.info("action_already_open");
            return Vec::new();
        }
        ctx.info(marked(status));
        vec![Command::SetActionStatus {
            id,
            status,
            in_meeting: Some(self.id),
        }]
    }

    /// Minutes: live, this meeting's; in setup, this meeting's once it has begun, else the last
    /// meeting of the body held before it.
    fn minutes(&self, ctx: &mut Ctx) {
        let Some(m) = &self.meeting else { return };
        let own = self.live() || m.started_at.is_some();
        match (own, m.previous_held) {
            (true, _) => ctx.open(ScreenId::Minutes(self.id)),
            (false, Some(previous)) => ctx.open(ScreenId::Minutes(previous)),
            (false, None) => ctx.info("no_minutes"),
        }
    }

    fn open_record(&self, ctx: &mut Ctx) {
        let Some(m) = &self.meeting else { return };
        let near = m.agency_choices();
        let others = self.agencies.clone().unwrap_or_default();
        record::open(self.id, &m.record, (&near, &others), ctx);
    }

    /// Begins the meeting; planned for another day, it asks first, then takes today's date and
    /// this time (the plan stays in the record of changes).
    fn begin(&self, ctx: &mut Ctx) -> Vec<Command> {
        let Some(other) = &self.other_day else {
            return vec![Command::Begin(self.id)];
        };
        let lang = ctx.lang;
        let planned = format!(
            "{} {}",
            short_date(other.planned, other.today, lang),
            other.planned_start.as_deref().unwrap_or("")
        );
        let now = format!(
            "{} {}",
            short_date(other.today, other.today, lang),
            other.now
        );
        let subject = tr(lang, "other_day_subject")
            .replace("{planned}", planned.trim())
            .replace("{now}", &now);
        ctx.confirm(Confirm {
            question: "confirm_other_day",
            subject: Some(subject),
            detail: Vec::new(),
            commands: vec![Command::BeginToday(self.id)],
            open: None,
        });
        Vec::new()
    }

    fn copy_roster(&self, ctx: &mut Ctx) -> Vec<Command> {
        match self.meeting.as_ref().and_then(|m| m.roster_from) {
            Some(_) => vec![Command::CopyRoster(self.id)],
            None => {
                ctx.info("no_roster");
                Vec::new()
            }
        }
    }
}

impl Screen for Meeting {
    fn id(&self) -> ScreenId {
        match self.stage {
            Stage::Setup => ScreenId::Setup(self.id),
            Stage::Live => ScreenId::Live(self.id),
        }
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        let id = self.id;
        self.meeting = store.live_meeting(id)?;
        self.carried = store.carried_actions(id)?;
        self.reviews = store.reviews_at(id)?;
        self.chair = store.chair(id)?;
        self.present = store
            .present(Some(id))?
            .into_iter()
            .filter(|p| p.user != store.user())
            .map(|p| {
                if p.name.is_empty() || p.name == p.user {
                    p.user
                } else {
                    format!("{} ({})", p.name, p.user)
                }
            })
            .collect();
        self.me = store.user().to_owned();
        if self.agencies.is_none() {
            self.agencies = Some(store.agency_names()?);
        }
        self.categories = store.issue_categories(|c| {
            ctx.vocabulary.issue(c) == crate::domain::vocabulary::IssueMatch::New
        })?;
        self.other_day = store.begins_on_another_day(id)?;
        self.ledger = store.keeps_ledger(id)?;
        // The item that reviews the carried actions, come up: their pane takes the keys, so that
        // D, X and P act at once on the first of them.
        let current = self.meeting.as_ref().and_then(|m| m.current_item);
        if current != self.current {
            self.current = current;
            if self.reviewing() {
                self.pane = Pane::Captures;
                self.selected[2] = 0;
            }
        }
        self.clamp();
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if let Some(delta) = movement(action, self.pane_len(self.pane)) {
            let i = self.pane.index();
            self.selected[i] = moved(self.selected[i], delta, self.pane_len(self.pane));
            return Vec::new();
        }
        if let Some(status) = marking(action) {
            return self.mark_carried(status, ctx);
        }
        let live = self.live();
        match action {
            Action::NextPane | Action::PrevPane => {
                let at = self.pane.index();
                let step = if action == Action::NextPane { 1 } else { 2 };
                self.pane = PANES[(at + step) % 3];
            }
            Action::Setup if live => ctx.open(ScreenId::Setup(self.id)),
            Action::Begin if !live && self.begun() => ctx.open(ScreenId::Live(self.id)),
            Action::Begin if !live => return self.begin(ctx),
            Action::NextItem | Action::PrevItem if live => {
                return self.step(action == Action::NextItem, ctx);
            }
            Action::Add => self.add_in_pane(ctx),
            Action::Edit => self.edit_selected(ctx),
            Action::Delete => return self.delete_selected(ctx),
            Action::MoveUp | Action::MoveDown => {
                return self.move_item(if action == Action::MoveUp { -1 } else { 1 });
            }
            Action::CycleAttendance => return self.cycle_attendance(),
            Action::CaptureNote => self.capture_entry(crate::domain::model::EntryKind::Note, ctx),
            Action::CaptureDecision => {
                self.capture_entry(crate::domain::model::EntryKind::Decision, ctx)
            }
            Action::CaptureRole => self.open_role_form(None, ctx),
            Action::CaptureAction => self.open_action_form(None, ctx),
            Action::CaptureIssue => self.open_issue_form(ctx),
            Action::CaseFields => self.open_case_form(ctx),
            Action::RecordFields => self.open_record(ctx),
            Action::CopyRoster if !live => return self.copy_roster(ctx),
            Action::ContinueAction => self.open_continue_form(ctx),
            Action::Undo => return self.take_back(ctx),
            Action::EndMeeting if live => ctx.confirm(Confirm {
                question: "confirm_end",
                subject: None,
                detail: Vec::new(),
                commands: vec![Command::End(self.id)],
                open: None,
            }),
            Action::Minutes => self.minutes(ctx),
            Action::MeetingCases => ctx.open(ScreenId::MeetingCases(self.id)),
            Action::ReviewCases if self.ledger => ctx.open(ScreenId::Review(self.id)),
            Action::ReviewCases => ctx.info("review_no_ledger"),
            Action::TakeChair if live => return vec![Command::TakeChair(self.id)],
            _ => {}
        }
        Vec::new()
    }

    fn draft_name(&self, form: &Form) -> Option<DraftKey> {
        forms::draft_name(self.id, form)
    }

    fn reopen_draft(&mut self, form: &str, ctx: &mut Ctx) -> bool {
        self.reopen_form(form, ctx)
    }

    fn submit(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
        if let Some(result) = record::submit(form) {
            return result;
        }
        let _ = ctx;
        self.commands_for(form)
    }

    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        record::refused(command, outcome, ctx);
        match (command, outcome) {
            (Command::Begin(id) | Command::BeginToday(id), Outcome::Done(_)) => {
                ctx.open(ScreenId::Live(*id))
            }
            (Command::End(id), Outcome::Done(behind)) => {
                ctx.open(ScreenId::Minutes(*id));
                match behind {
                    // The end was set to the start: the clock was behind it (item 4).
                    Some(seconds) => ctx.say(
                        tr(ctx.lang, "ended_clock_behind")
                            .replace("{seconds}", &seconds.to_string()),
                    ),
                    None => ctx.info("ended"),
                }
            }
            (Command::CopyRoster(_), Outcome::Done(added)) => {
                let added = added.unwrap_or(0);
                let date = self
                    .meeting
                    .as_ref()
                    .and_then(|m| m.roster_from)
                    .map(|(_, d)| d.format("%m/%d").to_string())
                    .unwrap_or_default();
                let word = if added > 0 {
                    "roster_copied"
                } else {
                    "roster_already"
                };
                let text = tr(ctx.lang, word)
                    .replace("{n}", &added.to_string())
                    .replace("{date}", &date);
                ctx.say(text);
                self.pane = Pane::Attendees;
            }
            (Command::ContinueAction { .. }, Outcome::Done(_)) => ctx.info("action_continued"),
            (
                Command::EditText { .. }
                | Command::UpdateRole { .. }
                | Command::UpdateAction { .. },
                Outcome::Failed {
                    field: Some(crate::store::capture::REMOVED_LINE),
                    ..
                },
            ) => forms::add_instead(self.id, ctx),
            _ => {}
        }
    }

    fn hint(&self) -> &'static str {
        match self.stage {
            // Opened from the live meeting (S): begun already, b returns to it.
            Stage::Setup if self.begun() && self.ledger => "setup_begun_hint_ledger",
            Stage::Setup if self.begun() => "setup_begun_hint",
            Stage::Setup if self.ledger => "setup_hint_ledger",
            Stage::Setup => "setup_hint",
            Stage::Live if self.reviewing() => "review_hint",
            Stage::Live if self.ledger => "live_hint_ledger",
            Stage::Live => "live_hint",
        }
    }

    /// Opened again (not returned to by Back): from the first pane.
    fn entered(&mut self) {
        self.pane = Pane::Agenda;
        self.selected = [0; 3];
    }

    fn draw(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        draw::draw(self, frame, area, ctx);
    }
}

#[cfg(test)]
mod tests;
