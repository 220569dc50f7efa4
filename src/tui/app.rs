//! The app: what every screen shares ([`Ctx`]) and the stack of screens. An event goes to what
//! lies over the screen first (a form, the filter, a question, the help); else the key map turns
//! a key into an [`Action`]. The app answers its own — quit, help, the tabs (1–4), Back, the
//! filter — and gives every other to the top screen's update. Back pops the top screen: the user
//! returns to where they came from. The tabs' screens keep their place (selection, grouping,
//! year) while the user is elsewhere.

use crossterm::event::{Event, KeyCode, KeyEventKind};
use ratatui_textarea::TextArea;

use super::command::{Command, Outcome};
use super::keymap::Keymap;
use super::screens::{self, Ctx, Nav, Overlay, Screen, ScreenId};
use super::theme::Theme;
use super::widgets::form::FormOutcome;
use super::words::tr;
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::Store;

/// The top of a stack that is never empty (home is put back should it be).
fn top_of(stack: &mut Vec<Entry>) -> &mut Entry {
    if stack.is_empty() {
        stack.push(Entry {
            serial: 0,
            screen: screens::make(ScreenId::Home),
            filter: String::new(),
        });
    }
    let last = stack.len() - 1;
    &mut stack[last]
}

/// A screen on the stack, with a number of its own: the runner's report on a command goes to
/// the screen that issued it, wherever it stands by then. While another screen covers it, it
/// keeps the filter typed over it, for when Back returns to it.
struct Entry {
    serial: u64,
    screen: Box<dyn Screen>,
    filter: String,
}

pub struct App {
    pub ctx: Ctx,
    pub running: bool,
    /// Never empty; home at the bottom.
    stack: Vec<Entry>,
    /// The tabs' screens while they are off the stack.
    parked: Vec<Box<dyn Screen>>,
    serial: u64,
    /// The screen whose commands the runner is performing.
    issuer: u64,
}

impl App {
    pub fn new(
        lang: Lang,
        theme: Theme,
        keymap: Keymap,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> App {
        App {
            ctx: Ctx::new(lang, theme, keymap, now),
            running: true,
            stack: vec![Entry {
                serial: 0,
                screen: screens::make(ScreenId::Home),
                filter: String::new(),
            }],
            parked: Vec::new(),
            serial: 0,
            issuer: 0,
        }
    }

    /// The screen on top.
    pub fn top(&self) -> Option<&dyn Screen> {
        self.stack.last().map(|e| &*e.screen)
    }

    /// Which screen is on top.
    pub fn screen(&self) -> ScreenId {
        self.top().map_or(ScreenId::Home, |s| s.id())
    }

    /// The screens on the stack, from the bottom: where Back leads.
    pub fn stack(&self) -> Vec<ScreenId> {
        self.stack.iter().map(|e| e.screen.id()).collect()
    }

    /// The nearest screen of type `T`: on the stack from the top, else parked.
    pub fn find<T: Screen>(&self) -> Option<&T> {
        let on_stack = self.stack.iter().rev().map(|e| &*e.screen);
        on_stack
            .chain(self.parked.iter().map(|s| &**s))
            .find_map(|s| s.as_any().downcast_ref::<T>())
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.ctx.today()
    }

    /// Opens a screen: returns to it if it is on the stack (the screens above it are left),
    /// else pushes it (a tab's screen as the user left it). What is shown is read again.
    pub fn open(&mut self, id: ScreenId) {
        let before = self.stack.last().map(|e| e.serial);
        if let Some(at) = self.stack.iter().rposition(|e| e.screen.id() == id) {
            while self.stack.len() > at + 1 {
                self.pop();
            }
        } else {
            let screen = match self.parked.iter().position(|s| s.id() == id) {
                Some(i) => self.parked.remove(i),
                None => screens::make(id),
            };
            let covered = top_of(&mut self.stack);
            covered.screen.hidden();
            covered.filter = std::mem::take(&mut self.ctx.filter);
            self.serial += 1;
            self.stack.push(Entry {
                serial: self.serial,
                screen,
                filter: String::new(),
            });
        }
        let top = top_of(&mut self.stack);
        if Some(top.serial) != before {
            top.screen.entered();
            // A filter belongs to the visit it was typed in: opened again, the list is whole.
            self.ctx.filter.clear();
        }
        self.ctx.dirty = true;
    }

    /// Leaves the top screen for the one below (home stays), as the user left it.
    fn pop(&mut self) {
        if self.stack.len() < 2 {
            return;
        }
        if let Some(mut entry) = self.stack.pop() {
            entry.screen.hidden();
            if entry.screen.id().is_tab() {
                self.parked.push(entry.screen);
            }
        }
        self.ctx.filter = std::mem::take(&mut top_of(&mut self.stack).filter);
        self.ctx.dirty = true;
    }

    /// The move the last update asked for.
    fn navigate(&mut self) {
        match self.ctx.take_nav() {
            Some(Nav::Open(id)) => self.open(id),
            Some(Nav::Back) => self.pop(),
            None => {}
        }
    }

    /// Handles a terminal event: what lies over the screen first, then the key map.
    pub fn handle_event(&mut self, event: &Event) -> Vec<Command> {
        let commands = match &mut self.ctx.overlay {
            Overlay::Form(form) => match form.handle(event) {
                FormOutcome::Editing => Vec::new(),
                FormOutcome::Cancel => {
                    self.ctx.overlay = Overlay::None;
                    Vec::new()
                }
                FormOutcome::Submit => self.submit(),
            },
            Overlay::Filter(area) => {
                match event {
                    Event::Key(key) if key.code == KeyCode::Enter => {
                        self.ctx.overlay = Overlay::None
                    }
                    Event::Key(key) if key.code == KeyCode::Esc => {
                        self.ctx.overlay = Overlay::None;
                        self.ctx.filter.clear();
                    }
                    Event::Key(key) => {
                        area.input(*key);
                        self.ctx.filter = area.lines().join(" ");
                    }
                    Event::Paste(pasted) => {
                        area.insert_str(pasted);
                        self.ctx.filter = area.lines().join(" ");
                    }
                    _ => {}
                }
                top_of(&mut self.stack).screen.refilter(&self.ctx);
                Vec::new()
            }
            Overlay::Confirm(_) => self.answer(event),
            Overlay::Help => {
                if let Event::Key(key) = event {
                    if matches!(key.code, KeyCode::Esc | KeyCode::Char('?' | 'q')) {
                        self.ctx.overlay = Overlay::None;
                    }
                }
                Vec::new()
            }
            Overlay::None => match event {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    match self.ctx.keymap.action(self.screen().context(), key) {
                        Some(action) => self.update(action),
                        None => Vec::new(),
                    }
                }
                _ => Vec::new(),
            },
        };
        self.navigate();
        commands
    }

    /// A question answered: yes gives its commands (as the screen under it asked) and opens
    /// its screen.
    fn answer(&mut self, event: &Event) -> Vec<Command> {
        let Event::Key(key) = event else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Enter | KeyCode::Char('y') => {
                let Overlay::Confirm(confirm) =
                    std::mem::replace(&mut self.ctx.overlay, Overlay::None)
                else {
                    return Vec::new();
                };
                if let Some(id) = confirm.open {
                    self.ctx.open(id);
                }
                self.issuer = top_of(&mut self.stack).serial;
                confirm.commands
            }
            KeyCode::Esc | KeyCode::Char('n') => {
                self.ctx.overlay = Overlay::None;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// A submitted form goes to the screen that opened it: its commands, or it stays open with
    /// a message saying what is wrong.
    fn submit(&mut self) -> Vec<Command> {
        let Overlay::Form(mut form) = std::mem::replace(&mut self.ctx.overlay, Overlay::None)
        else {
            return Vec::new();
        };
        let lang = self.ctx.lang;
        let top = top_of(&mut self.stack);
        let serial = top.serial;
        let result = top.screen.submit(&form, &mut self.ctx);
        self.issuer = serial;
        match result {
            Ok(commands) => commands,
            Err(key) => {
                form.error = Some(tr(lang, key).to_owned());
                self.ctx.overlay = Overlay::Form(form);
                Vec::new()
            }
        }
    }

    /// The pure update: the app's own actions here, the rest to the top screen; store changes
    /// are returned.
    pub fn update(&mut self, action: Action) -> Vec<Command> {
        self.ctx.status = None;
        let commands = match action {
            Action::Quit => {
                self.running = false;
                Vec::new()
            }
            Action::Help => {
                self.ctx.overlay = Overlay::Help;
                Vec::new()
            }
            Action::Filter => {
                let mut area = TextArea::new(vec![self.ctx.filter.clone()]);
                area.move_cursor(ratatui_textarea::CursorMove::End);
                self.ctx.overlay = Overlay::Filter(Box::new(area));
                Vec::new()
            }
            Action::GoHome | Action::GoBodies | Action::GoActions | Action::GoReport => {
                self.open(match action {
                    Action::GoBodies => ScreenId::Bodies,
                    Action::GoActions => ScreenId::Actions,
                    Action::GoReport => ScreenId::Report,
                    _ => ScreenId::Home,
                });
                Vec::new()
            }
            Action::Back if self.stack.len() > 1 => {
                self.pop();
                Vec::new()
            }
            _ => {
                let top = top_of(&mut self.stack);
                let serial = top.serial;
                let commands = top.screen.update(action, &mut self.ctx);
                self.issuer = serial;
                commands
            }
        };
        self.navigate();
        commands
    }

    /// After the runner performed a command: what the status line says, what can be undone,
    /// then the screen that issued it takes the outcome (and may move on).
    pub fn performed(&mut self, command: &Command, outcome: &Outcome) {
        let lang = self.ctx.lang;
        match outcome {
            Outcome::Done(created) => {
                self.ctx.dirty = true;
                if let (Some(entity), Some(id)) = (command.undoable(), created) {
                    self.ctx.undo.push((entity, *id));
                    if self.ctx.status.is_none() {
                        self.ctx.info("saved");
                    }
                }
            }
            Outcome::Written(path) => {
                self.ctx.status = Some((
                    false,
                    format!("{}: {}", tr(lang, "written"), path.display()),
                ));
            }
            Outcome::NotChair { chair } => {
                self.ctx.status = Some((true, tr(lang, "not_chair").replace("{chair}", chair)));
            }
            Outcome::Conflict { current } => {
                let text = tr(lang, "conflict").replace("{current}", current);
                self.ctx.status = Some((true, text));
                self.ctx.dirty = true;
            }
            Outcome::Failed(message) => self.ctx.failed(message.clone()),
        }
        let issuer = self.issuer;
        if let Some(entry) = self.stack.iter_mut().find(|e| e.serial == issuer) {
            entry.screen.performed(command, outcome, &mut self.ctx);
        }
        self.navigate();
    }

    /// Reads again what the top screen shows.
    pub fn load(&mut self, store: &Store) -> anyhow::Result<()> {
        let top = top_of(&mut self.stack);
        top.screen.load(store, &mut self.ctx)
    }

    /// Whether a detail pane waits to follow the selection (on a real terminal only).
    pub fn detail_waits(&self) -> bool {
        let selection = self.top().and_then(|s| s.selection());
        self.ctx.defer_detail && self.ctx.detail.waits(selection)
    }

    /// The detail panes follow the selection now.
    pub fn settle_detail(&mut self) {
        let selection = self.top().and_then(|s| s.selection());
        self.ctx.detail.settle(selection);
    }
}
