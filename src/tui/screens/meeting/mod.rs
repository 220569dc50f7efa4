//! A meeting, at one of two stages. Setup, before it begins: attendees and their roles, the
//! agenda, and the open actions of the body's earlier meetings to review. Live: the agenda with
//! the current item's clock, the attendees, and one-key captures (notes, decisions, role
//! assignments, next actions, case issues), each committed the moment it is entered. Its state
//! and keys are here, its forms in `forms.rs`, its drawing in `draw.rs`.

mod draw;
mod forms;

use super::actions::{marked, marking};
use super::{Confirm, Ctx, Screen, ScreenId};
use crate::domain::model::{ActionStatus, Attendance};
use crate::keys::Action;
use crate::minutes::CarriedAction;
use crate::store::capture::Entity;
use crate::store::{LiveMeeting, Store};
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::form::Form;
use crate::tui::widgets::list::{moved, movement};

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
    /// Live: what was captured; setup: the actions carried over.
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

/// A selectable line of the captures pane.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureLine {
    pub entity: Entity,
    pub id: i64,
}

#[derive(Debug)]
pub struct Meeting {
    id: i64,
    stage: Stage,
    meeting: Option<LiveMeeting>,
    /// Open actions of earlier meetings of the body, on the setup screen.
    carried: Vec<CarriedAction>,
    /// Who moves the agenda, who else has the meeting open, and who I am.
    chair: String,
    present: Vec<String>,
    me: String,
    /// The agencies the bodies name, for the agency picker (read once).
    body_members: Option<Vec<String>>,
    pane: Pane,
    /// The selection of each pane.
    selected: [usize; 3],
}

impl Meeting {
    pub fn new(id: i64, stage: Stage) -> Meeting {
        Meeting {
            id,
            stage,
            meeting: None,
            carried: Vec::new(),
            chair: String::new(),
            present: Vec::new(),
            me: String::new(),
            body_members: None,
            pane: Pane::Agenda,
            selected: [0; 3],
        }
    }

    pub fn meeting(&self) -> Option<&LiveMeeting> {
        self.meeting.as_ref()
    }

    pub fn pane(&self) -> Pane {
        self.pane
    }

    fn live(&self) -> bool {
        self.stage == Stage::Live
    }

    /// The lines of the captures pane, in the order it shows them.
    pub fn capture_lines(&self) -> Vec<CaptureLine> {
        let Some(m) = &self.meeting else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        if let Some(item) = m.current().or_else(|| m.items.get(self.selected[0])) {
            lines.extend(item.entries.iter().map(|e| CaptureLine {
                entity: Entity::Entry,
                id: e.id,
            }));
        }
        lines.extend(m.roles.iter().map(|r| CaptureLine {
            entity: Entity::Role,
            id: r.id,
        }));
        lines.extend(m.actions.iter().map(|a| CaptureLine {
            entity: Entity::Action,
            id: a.id,
        }));
        lines.extend(m.issues.iter().map(|(id, _)| CaptureLine {
            entity: Entity::CaseIssue,
            id: *id,
        }));
        lines
    }

    fn pane_len(&self, pane: Pane) -> usize {
        let Some(m) = &self.meeting else { return 0 };
        match pane {
            Pane::Agenda => m.items.len(),
            Pane::Attendees => m.attendees.len(),
            Pane::Captures if !self.live() => self.carried.len(),
            Pane::Captures => self.capture_lines().len(),
        }
    }

    /// The selection of the focused pane.
    fn at(&self) -> usize {
        self.selected[self.pane.index()]
    }

    /// Keeps the selections inside lists that may have shrunk; live, the agenda's selection
    /// follows the current item while another pane has the keys.
    fn clamp(&mut self) {
        for pane in PANES {
            let n = self.pane_len(pane);
            let i = pane.index();
            self.selected[i] = self.selected[i].min(n.saturating_sub(1));
        }
        if let (Stage::Live, Some(m)) = (self.stage, &self.meeting) {
            if let Some(pos) = m
                .current_item
                .and_then(|c| m.items.iter().position(|i| i.id == c))
            {
                if self.pane != Pane::Agenda {
                    self.selected[0] = pos;
                }
            }
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
            Pane::Agenda => m.items.get(index).map(|i| (Entity::AgendaItem, i.id)),
            Pane::Attendees => m.attendees.get(index).map(|a| (Entity::Attendee, a.id)),
            Pane::Captures => self.capture_lines().get(index).map(|l| (l.entity, l.id)),
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
        let next = match a.attendance {
            Attendance::Present => Attendance::Late,
            Attendance::Late => Attendance::LeftEarly,
            Attendance::LeftEarly => Attendance::Absent,
            Attendance::Absent => Attendance::Present,
        };
        vec![Command::SetAttendance {
            id: a.id,
            attendance: next,
        }]
    }

    fn take_back(ctx: &mut Ctx) -> Vec<Command> {
        match ctx.undo.pop() {
            Some((entity, id)) => {
                ctx.info("undone");
                vec![Command::Remove { entity, id }]
            }
            None => {
                ctx.info("nothing_to_undo");
                Vec::new()
            }
        }
    }

    /// Before the meeting, an action carried over is closed (or reopened) in its review.
    fn mark_carried(&self, status: ActionStatus, ctx: &mut Ctx) -> Vec<Command> {
        if self.live() || self.pane != Pane::Captures {
            return Vec::new();
        }
        let Some(id) = self.carried.get(self.selected[2]).map(|c| c.id) else {
            return Vec::new();
        };
        ctx.info(marked(status));
        vec![Command::SetActionStatus {
            id,
            status,
            in_meeting: Some(self.id),
        }]
    }
}

impl Screen for Meeting {
    fn id(&self) -> ScreenId {
        match self.stage {
            Stage::Setup => ScreenId::Setup(self.id),
            Stage::Live => ScreenId::Live(self.id),
        }
    }

    fn load(&mut self, store: &Store, _ctx: &mut Ctx) -> anyhow::Result<()> {
        let id = self.id;
        self.meeting = store.live_meeting(id)?;
        self.carried = store.carried_actions(id)?;
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
        if self.body_members.is_none() {
            let mut members: Vec<String> = Vec::new();
            for body in store.bodies()? {
                for m in body.record.members {
                    if !members.contains(&m) {
                        members.push(m);
                    }
                }
            }
            self.body_members = Some(members);
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
            Action::Begin if !live => return vec![Command::Begin(self.id)],
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
            Action::Undo => return Self::take_back(ctx),
            Action::EndMeeting if live => ctx.confirm(Confirm {
                question: "confirm_end",
                detail: Vec::new(),
                commands: vec![Command::End(self.id)],
                open: None,
            }),
            Action::Minutes => ctx.open(ScreenId::Minutes(self.id)),
            Action::MeetingCases => ctx.open(ScreenId::MeetingCases(self.id)),
            Action::TakeChair if live => return vec![Command::TakeChair(self.id)],
            _ => {}
        }
        Vec::new()
    }

    fn submit(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
        self.commands_for(form, ctx)
    }

    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        match (command, outcome) {
            (Command::Begin(id), Outcome::Done(_)) => ctx.open(ScreenId::Live(*id)),
            (Command::End(id), Outcome::Done(_)) => {
                ctx.open(ScreenId::Minutes(*id));
                ctx.info("ended");
            }
            _ => {}
        }
    }

    fn hint(&self) -> &'static str {
        match self.stage {
            Stage::Setup => "setup_hint",
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
mod tests {
    use super::*;
    use crate::tui::screens::testing::{Demo, drawn};
    use crate::tui::screens::{Nav, Overlay};

    /// Types into the focused field of the open form.
    fn typed(ctx: &mut Ctx, text: &str) {
        let Overlay::Form(form) = &mut ctx.overlay else {
            panic!("no form open");
        };
        for c in text.chars() {
            let key = crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            );
            form.handle(&crossterm::event::Event::Key(key));
        }
    }

    fn submitted(meeting: &mut Meeting, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
        let Overlay::Form(form) = std::mem::replace(&mut ctx.overlay, Overlay::None) else {
            panic!("no form open");
        };
        meeting.submit(&form, ctx)
    }

    #[test]
    fn the_meeting_screen_alone() {
        let mut demo = Demo::new();
        let mut ctx = demo.ctx();
        let id = demo.planned("支援方針検討会議");
        // As the runner does when a meeting is opened: the body's template agenda.
        demo.store.prepare_agenda(id).unwrap();
        let mut setup = demo.loaded(Meeting::new(id, Stage::Setup), &mut ctx);
        assert_eq!(setup.id(), ScreenId::Setup(id));
        let screen = drawn(&setup, &ctx, 80, 22);
        assert!(screen.contains("支援方針検討会議"), "{screen}");
        assert!(screen.contains("議題"), "{screen}");

        // An attendee, through the form on the attendees pane.
        setup.update(Action::NextPane, &mut ctx);
        assert_eq!(setup.pane(), Pane::Attendees);
        setup.update(Action::Add, &mut ctx);
        typed(&mut ctx, "権利擁護センター");
        let commands = submitted(&mut setup, &mut ctx).unwrap();
        assert!(matches!(
            commands.as_slice(),
            [Command::AddAttendee { meeting, agency: Some(a), .. }]
                if *meeting == id && a == "権利擁護センター"
        ));
        // A form left empty says what is wrong.
        setup.update(Action::Add, &mut ctx);
        assert_eq!(submitted(&mut setup, &mut ctx), Err("empty_text"));

        // Begun: the runner's outcome leads to the live meeting.
        assert_eq!(
            setup.update(Action::Begin, &mut ctx),
            vec![Command::Begin(id)]
        );
        setup.performed(&Command::Begin(id), &Outcome::Done(None), &mut ctx);
        assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Live(id))));
        assert!(setup.update(Action::EndMeeting, &mut ctx).is_empty());
        assert!(
            matches!(ctx.overlay, Overlay::None),
            "no end before it begins"
        );

        let mut live = demo.loaded(Meeting::new(id, Stage::Live), &mut ctx);
        assert_eq!(live.hint(), "live_hint");
        live.update(Action::CaptureNote, &mut ctx);
        typed(&mut ctx, "面談の日程を調整中");
        assert!(matches!(
            submitted(&mut live, &mut ctx).unwrap().as_slice(),
            [Command::AddEntry { text, .. }] if text == "面談の日程を調整中"
        ));
        live.update(Action::EndMeeting, &mut ctx);
        let Overlay::Confirm(confirm) = &ctx.overlay else {
            panic!("ending asks first");
        };
        assert_eq!(confirm.commands, vec![Command::End(id)]);
        live.performed(&Command::End(id), &Outcome::Done(None), &mut ctx);
        assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(id))));
        live.update(Action::Minutes, &mut ctx);
        assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(id))));
        live.update(Action::Setup, &mut ctx);
        assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Setup(id))));
        // A failed command leads nowhere.
        live.performed(&Command::End(id), &Outcome::Failed("x".into()), &mut ctx);
        assert_eq!(ctx.take_nav(), None);
    }
}
