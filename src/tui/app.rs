//! The state of the app and its pure update: an [`Action`] (or a key in a form) changes the state
//! and returns the [`Command`]s that the runner performs on the store.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use crossterm::event::Event;
use ratatui_textarea::TextArea;

use super::form::{Field, Form, FormOutcome, Purpose};
use super::keymap::{Context, Keymap};
use super::theme::Theme;
use super::words::tr;
use crate::domain::calendar::parse_date_input;
use crate::domain::model::{ActionStatus, Attendance, EntryKind, Role};
use crate::domain::schedule::Upcoming;
use crate::i18n::Lang;
use crate::keys::Action;
use crate::minutes::CarriedAction;
use crate::store::capture::{CaseFields, Entity, NewMeeting};
use crate::store::{ActionRow, LiveMeeting, StoredBody};
use crate::upcoming::{GroupBy, Listing};

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Bodies,
    Setup(i64),
    Live(i64),
    Actions,
    /// The minutes of a meeting, as they would be exported.
    Minutes(i64),
    /// The year's work in numbers (the annual report).
    Report,
}

impl Screen {
    pub fn context(self) -> Context {
        match self {
            Screen::Home => Context::Home,
            Screen::Bodies => Context::Bodies,
            Screen::Setup(_) => Context::Setup,
            Screen::Live(_) => Context::Live,
            Screen::Actions => Context::Actions,
            Screen::Minutes(_) => Context::Minutes,
            Screen::Report => Context::Report,
        }
    }
}

/// What lies over the screen, taking the keys first.
pub enum Overlay {
    None,
    Help,
    Form(Form),
    Filter(Box<TextArea<'static>>),
    Confirm(Confirm),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    EndMeeting(i64),
    Resume(i64),
}

/// The panes of the meeting screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Agenda,
    Attendees,
    Captures,
}

/// What the runner does to the store.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Schedule {
        meeting: NewMeeting,
        begin: bool,
    },
    OpenSetup(i64),
    Begin(i64),
    Step {
        meeting: i64,
        delta: i64,
    },
    End(i64),
    AddAttendee {
        meeting: i64,
        agency: Option<String>,
        name: String,
        title: String,
        role: Role,
        attendance: Attendance,
    },
    UpdateAttendee {
        id: i64,
        agency: Option<String>,
        name: String,
        title: String,
        role: Role,
        attendance: Attendance,
    },
    SetAttendance {
        id: i64,
        attendance: Attendance,
    },
    AddItem {
        meeting: i64,
        title: String,
        minutes: Option<u32>,
    },
    UpdateItem {
        id: i64,
        title: String,
        minutes: Option<u32>,
    },
    MoveItem {
        id: i64,
        delta: i64,
    },
    AddEntry {
        item: i64,
        kind: EntryKind,
        text: String,
    },
    EditText {
        entity: Entity,
        id: i64,
        expected: Option<String>,
        text: String,
    },
    AddRole {
        meeting: i64,
        agency: Option<String>,
        text: String,
    },
    UpdateRole {
        id: i64,
        agency: Option<String>,
        expected: Option<String>,
        text: String,
    },
    AddAction {
        meeting: i64,
        agency: Option<String>,
        text: String,
        due: Option<NaiveDate>,
    },
    UpdateAction {
        id: i64,
        agency: Option<String>,
        expected: Option<String>,
        text: String,
        due: Option<NaiveDate>,
    },
    AddIssue {
        meeting: i64,
        category: String,
    },
    SetCase {
        meeting: i64,
        fields: CaseFields,
    },
    Remove {
        entity: Entity,
        id: i64,
    },
    SetActionStatus {
        id: i64,
        status: ActionStatus,
        in_meeting: Option<i64>,
    },
    ExportMinutes {
        meeting: i64,
        redact: bool,
        dir: std::path::PathBuf,
    },
    TakeChair(i64),
    ExportReport {
        fiscal_year: i32,
        compare: bool,
        dir: std::path::PathBuf,
    },
    ApproveMinutes(i64),
}

/// A line of the home list.
#[derive(Debug, Clone, PartialEq)]
pub enum HomeRow {
    Heading(String),
    Entry(usize),
    AdHoc(usize),
    Unknown(usize),
}

/// A selectable line of the captures pane.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureLine {
    pub entity: Entity,
    pub id: i64,
}

pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub screen: Screen,
    pub overlay: Overlay,
    pub status: Option<(bool, String)>,
    pub running: bool,
    /// Set when what is shown must be read again from the store.
    pub dirty: bool,
    pub now: DateTime<FixedOffset>,
    pub listing: Listing,
    pub group: GroupBy,
    pub filter: String,
    pub home_rows: Vec<HomeRow>,
    pub home_selected: usize,
    pub bodies: Vec<StoredBody>,
    pub body_rows: Vec<usize>,
    pub body_selected: usize,
    pub meeting: Option<LiveMeeting>,
    pub pane: Pane,
    pub selected: [usize; 3],
    pub actions: Vec<(ActionRow, String, NaiveDate)>,
    pub action_selected: usize,
    /// Captures of this session, newest last: what `u` takes back.
    pub undo: Vec<(Entity, i64)>,
    /// Open actions of earlier meetings of the body, on the setup screen.
    pub carried: Vec<CarriedAction>,
    /// The minutes on the minutes screen, rendered.
    pub minutes: String,
    pub minutes_redact: bool,
    pub minutes_scroll: usize,
    /// Bytes for the terminal itself (the OSC 52 clipboard sequence), written after the next draw.
    pub outbox: Vec<String>,
    /// Where exported minutes are written: the directory renkei was started from.
    pub export_dir: std::path::PathBuf,
    /// Who moves the agenda of the meeting on screen, who else has it open, and who I am.
    pub chair: String,
    pub present: Vec<String>,
    pub me: String,
    /// The minutes last shown (meeting, redacted), so that viewing is audited once, not per redraw.
    pub minutes_seen: Option<(i64, bool)>,
    /// The annual report on screen: its fiscal year (None: this one), whether the year before
    /// stands beside it, and its Markdown.
    pub report_year: Option<i32>,
    pub report_compare: bool,
    pub report: String,
    pub report_scroll: usize,
    /// Date style, meeting length and the like, from the config.
    pub prefs: crate::config::Preferences,
    /// On a real terminal the body detail panes (home, bodies) wait while keys move the
    /// selection, and follow it once they pause (see `tui::event_loop`): a keystroke then sends
    /// the list's few changed cells, not a new body's details each time.
    pub defer_detail: bool,
    /// The body those panes show while they wait.
    pub detail_shown: Option<i64>,
}

fn filter_matches(filter: &str, texts: &[&str]) -> bool {
    filter
        .split_whitespace()
        .all(|word| texts.iter().any(|t| t.contains(word)))
}

impl App {
    pub fn new(lang: Lang, theme: Theme, keymap: Keymap, now: DateTime<FixedOffset>) -> App {
        App {
            lang,
            theme,
            keymap,
            screen: Screen::Home,
            overlay: Overlay::None,
            status: None,
            running: true,
            dirty: true,
            now,
            listing: Listing::default(),
            group: GroupBy::Date,
            filter: String::new(),
            home_rows: Vec::new(),
            home_selected: 0,
            bodies: Vec::new(),
            body_rows: Vec::new(),
            body_selected: 0,
            meeting: None,
            pane: Pane::Agenda,
            selected: [0; 3],
            actions: Vec::new(),
            action_selected: 0,
            undo: Vec::new(),
            carried: Vec::new(),
            minutes: String::new(),
            minutes_redact: false,
            minutes_scroll: 0,
            outbox: Vec::new(),
            export_dir: std::env::current_dir().unwrap_or_default(),
            chair: String::new(),
            present: Vec::new(),
            me: String::new(),
            minutes_seen: None,
            report_year: None,
            report_compare: false,
            report: String::new(),
            report_scroll: 0,
            defer_detail: false,
            detail_shown: None,
            prefs: crate::config::Preferences::default(),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    fn info(&mut self, key: &'static str) {
        self.status = Some((false, tr(self.lang, key).to_owned()));
    }

    fn error(&mut self, text: String) {
        self.status = Some((true, text));
    }

    fn go(&mut self, screen: Screen) {
        if self.screen != screen {
            self.screen = screen;
            self.pane = Pane::Agenda;
            self.selected = [0; 3];
            // A filter belongs to the list it was typed over.
            self.filter.clear();
        }
        self.dirty = true;
    }

    /// Rebuilds the home lines from the listing and the filter.
    pub fn rebuild_home(&mut self) {
        let mut rows = Vec::new();
        let mut heading: Option<String> = None;
        let lang = self.lang;
        for (i, e) in self.listing.entries.iter().enumerate() {
            if !filter_matches(
                &self.filter,
                &[
                    &e.body.name,
                    &e.body.organiser,
                    &e.body.kind,
                    &e.body.frequency.text,
                ],
            ) {
                continue;
            }
            let h = if e.is_overdue() {
                tr(lang, "group_overdue").to_owned()
            } else {
                match self.group {
                    GroupBy::Date => match &e.item {
                        Upcoming::Scheduled { date, .. } => match self.prefs.date_style {
                            Some(style) => style.format(*date, lang),
                            None => crate::domain::calendar::format_wareki_iso(*date),
                        },
                        Upcoming::Expected { .. } => tr(lang, "group_expected").to_owned(),
                    },
                    GroupBy::Body => e.body.name.clone(),
                    GroupBy::Frequency => match lang {
                        Lang::Ja => e.body.frequency.describe_ja(),
                        Lang::En => e.body.frequency.describe_en(),
                    },
                }
            };
            if heading.as_ref() != Some(&h) {
                rows.push(HomeRow::Heading(h.clone()));
                heading = Some(h);
            }
            rows.push(HomeRow::Entry(i));
        }
        let extra = [
            (
                "group_ad_hoc",
                &self.listing.ad_hoc,
                HomeRow::AdHoc as fn(usize) -> HomeRow,
            ),
            (
                "group_unknown",
                &self.listing.unknown,
                HomeRow::Unknown as fn(usize) -> HomeRow,
            ),
        ];
        for (key, bodies, make) in extra {
            let matching: Vec<usize> = bodies
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    filter_matches(
                        &self.filter,
                        &[&b.name, &b.organiser, &b.kind, &b.frequency.text],
                    )
                })
                .map(|(i, _)| i)
                .collect();
            if !matching.is_empty() {
                rows.push(HomeRow::Heading(tr(lang, key).to_owned()));
                rows.extend(matching.into_iter().map(make));
            }
        }
        self.home_rows = rows;
        self.home_selected = self.snap(self.home_selected, 1);
    }

    pub fn rebuild_bodies(&mut self) {
        self.body_rows = self
            .bodies
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                let r = &b.record;
                filter_matches(
                    &self.filter,
                    &[
                        &r.name,
                        &r.organiser,
                        &r.kind,
                        &r.frequency,
                        &r.topics,
                        &r.municipality,
                    ],
                )
            })
            .map(|(i, _)| i)
            .collect();
        self.body_selected = self
            .body_selected
            .min(self.body_rows.len().saturating_sub(1));
    }

    /// The nearest selectable home line from `at`, looking in `direction` first.
    fn snap(&self, at: usize, direction: i64) -> usize {
        let n = self.home_rows.len();
        if n == 0 {
            return 0;
        }
        let at = at.min(n - 1);
        let selectable = |i: usize| !matches!(self.home_rows[i], HomeRow::Heading(_));
        let mut i = at as i64;
        while i >= 0 && (i as usize) < n {
            if selectable(i as usize) {
                return i as usize;
            }
            i += direction;
        }
        let mut i = at as i64;
        while i >= 0 && (i as usize) < n {
            if selectable(i as usize) {
                return i as usize;
            }
            i -= direction;
        }
        0
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
            Pane::Captures if matches!(self.screen, Screen::Setup(_)) => self.carried.len(),
            Pane::Captures => self.capture_lines().len(),
        }
    }

    fn pane_index(pane: Pane) -> usize {
        match pane {
            Pane::Agenda => 0,
            Pane::Attendees => 1,
            Pane::Captures => 2,
        }
    }

    fn list_len(&self) -> usize {
        match self.screen {
            Screen::Home => self.home_rows.len(),
            Screen::Bodies => self.body_rows.len(),
            Screen::Setup(_) | Screen::Live(_) => self.pane_len(self.pane),
            Screen::Actions => self.actions.len(),
            Screen::Minutes(_) => self.minutes.lines().count(),
            Screen::Report => self.report.lines().count(),
        }
    }

    fn selection_mut(&mut self) -> &mut usize {
        match self.screen {
            Screen::Home => &mut self.home_selected,
            Screen::Bodies => &mut self.body_selected,
            Screen::Setup(_) | Screen::Live(_) => &mut self.selected[Self::pane_index(self.pane)],
            Screen::Actions => &mut self.action_selected,
            Screen::Minutes(_) => &mut self.minutes_scroll,
            Screen::Report => &mut self.report_scroll,
        }
    }

    fn move_selection(&mut self, delta: i64) {
        let n = self.list_len();
        let home = self.screen == Screen::Home;
        let current = *self.selection_mut();
        let target = if n == 0 {
            0
        } else {
            (current as i64 + delta).clamp(0, n as i64 - 1) as usize
        };
        let target = if home {
            self.snap(target, delta.signum().max(-1))
        } else {
            target
        };
        *self.selection_mut() = target;
    }

    /// The body the selection on the home or bodies screen stands for.
    fn selected_body_id(&self) -> Option<i64> {
        match self.screen {
            Screen::Home => self.home_row_body(self.home_rows.get(self.home_selected)?),
            Screen::Bodies => Some(
                self.bodies
                    .get(*self.body_rows.get(self.body_selected)?)?
                    .id,
            ),
            _ => None,
        }
    }

    /// The body a row of the home list stands for (none for a heading).
    fn home_row_body(&self, row: &HomeRow) -> Option<i64> {
        match row {
            HomeRow::Entry(i) => Some(self.listing.entries.get(*i)?.body.id),
            HomeRow::AdHoc(i) => Some(self.listing.ad_hoc.get(*i)?.id),
            HomeRow::Unknown(i) => Some(self.listing.unknown.get(*i)?.id),
            HomeRow::Heading(_) => None,
        }
    }

    pub fn selected_body(&self) -> Option<&StoredBody> {
        let id = self.selected_body_id()?;
        self.bodies.iter().find(|b| b.id == id)
    }

    /// The body a detail pane shows: the selected one, or while the pane waits (`defer_detail`),
    /// the one it showed before — if it is still on the list, else none.
    pub fn detail_body(&self) -> Option<&StoredBody> {
        if !self.defer_detail {
            return self.selected_body();
        }
        let id = self.detail_shown?;
        let listed = match self.screen {
            Screen::Home => self
                .home_rows
                .iter()
                .any(|row| self.home_row_body(row) == Some(id)),
            Screen::Bodies => self
                .body_rows
                .iter()
                .any(|&i| self.bodies.get(i).is_some_and(|b| b.id == id)),
            _ => false,
        };
        if listed {
            self.bodies.iter().find(|b| b.id == id)
        } else {
            None
        }
    }

    /// Whether a detail pane waits to follow the selection.
    pub fn detail_waits(&self) -> bool {
        self.defer_detail && self.detail_shown != self.selected_body_id()
    }

    /// The detail panes follow the selection now.
    pub fn settle_detail(&mut self) {
        self.detail_shown = self.selected_body_id();
    }

    /// Handles a terminal event: the overlay first, then the key map.
    pub fn handle_event(&mut self, event: &Event) -> Vec<Command> {
        match &mut self.overlay {
            Overlay::Form(form) => {
                return match form.handle(event) {
                    FormOutcome::Editing => Vec::new(),
                    FormOutcome::Cancel => {
                        self.overlay = Overlay::None;
                        Vec::new()
                    }
                    FormOutcome::Submit => self.submit(),
                };
            }
            Overlay::Filter(area) => {
                if let Event::Key(key) = event {
                    match key.code {
                        crossterm::event::KeyCode::Enter => self.overlay = Overlay::None,
                        crossterm::event::KeyCode::Esc => {
                            self.overlay = Overlay::None;
                            self.filter.clear();
                        }
                        _ => {
                            area.input(*key);
                            self.filter = area.lines().join(" ");
                        }
                    }
                } else if let Event::Paste(text) = event {
                    area.insert_str(text);
                    self.filter = area.lines().join(" ");
                }
                // A new filter starts from the first line that matches.
                self.home_selected = 0;
                self.body_selected = 0;
                self.rebuild_home();
                self.rebuild_bodies();
                return Vec::new();
            }
            Overlay::Confirm(confirm) => {
                let confirm = *confirm;
                if let Event::Key(key) = event {
                    match key.code {
                        crossterm::event::KeyCode::Enter | crossterm::event::KeyCode::Char('y') => {
                            self.overlay = Overlay::None;
                            return match confirm {
                                Confirm::EndMeeting(id) => vec![Command::End(id)],
                                Confirm::Resume(id) => {
                                    self.go(Screen::Live(id));
                                    Vec::new()
                                }
                            };
                        }
                        crossterm::event::KeyCode::Esc | crossterm::event::KeyCode::Char('n') => {
                            self.overlay = Overlay::None;
                        }
                        _ => {}
                    }
                }
                return Vec::new();
            }
            Overlay::Help => {
                if let Event::Key(key) = event {
                    if matches!(
                        key.code,
                        crossterm::event::KeyCode::Esc | crossterm::event::KeyCode::Char('?' | 'q')
                    ) {
                        self.overlay = Overlay::None;
                    }
                }
                return Vec::new();
            }
            Overlay::None => {}
        }
        match event {
            Event::Key(key) if key.kind != crossterm::event::KeyEventKind::Release => {
                match self.keymap.action(self.screen.context(), key) {
                    Some(action) => self.update(action),
                    None => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    /// The pure update: state changes here, store changes are returned.
    pub fn update(&mut self, action: Action) -> Vec<Command> {
        self.status = None;
        match action {
            Action::Quit => self.running = false,
            Action::Back => self.back(),
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-10),
            Action::PageDown => self.move_selection(10),
            Action::Top => self.move_selection(-(self.list_len() as i64)),
            Action::Bottom => self.move_selection(self.list_len() as i64),
            Action::Help => self.overlay = Overlay::Help,
            Action::Filter => {
                let mut area = TextArea::new(vec![self.filter.clone()]);
                area.move_cursor(ratatui_textarea::CursorMove::End);
                self.overlay = Overlay::Filter(Box::new(area));
            }
            Action::CycleGrouping => {
                self.group = match self.group {
                    GroupBy::Date => GroupBy::Body,
                    GroupBy::Body => GroupBy::Frequency,
                    GroupBy::Frequency => GroupBy::Date,
                };
                self.dirty = true;
            }
            Action::GoHome => self.go(Screen::Home),
            Action::GoBodies => self.go(Screen::Bodies),
            Action::GoActions => self.go(Screen::Actions),
            Action::NextPane | Action::PrevPane => {
                let panes = [Pane::Agenda, Pane::Attendees, Pane::Captures];
                let at = panes.iter().position(|p| *p == self.pane).unwrap_or(0);
                let step = if action == Action::NextPane { 1 } else { 2 };
                self.pane = panes[(at + step) % 3];
            }
            Action::Open => return self.open(),
            Action::Schedule => self.open_schedule_form(),
            Action::StartNow => {
                if let Some(body_id) = self.selected_body_id() {
                    let time = self.now.time().format("%H:%M").to_string();
                    let meeting = NewMeeting {
                        body_id,
                        date: self.today(),
                        start: Some(time),
                        end: None,
                        place: String::new(),
                    };
                    return vec![Command::Schedule {
                        meeting,
                        begin: true,
                    }];
                }
            }
            Action::Setup => {
                if let Screen::Live(id) = self.screen {
                    self.go(Screen::Setup(id));
                }
            }
            Action::Begin => {
                if let Screen::Setup(id) = self.screen {
                    return vec![Command::Begin(id)];
                }
            }
            Action::NextItem | Action::PrevItem => return self.step(action == Action::NextItem),
            Action::Add => self.add_in_pane(),
            Action::Edit => self.edit_selected(),
            Action::Delete => return self.delete_selected(),
            Action::MoveUp | Action::MoveDown => {
                return self.move_item(if action == Action::MoveUp { -1 } else { 1 });
            }
            Action::CycleAttendance => return self.cycle_attendance(),
            Action::CaptureNote => self.capture_entry(EntryKind::Note),
            Action::CaptureDecision => self.capture_entry(EntryKind::Decision),
            Action::CaptureRole => self.open_role_form(None),
            Action::CaptureAction => self.open_action_form(None),
            Action::CaptureIssue => self.open_issue_form(),
            Action::CaseFields => self.open_case_form(),
            Action::Undo => return self.take_back(),
            Action::EndMeeting => {
                if let Screen::Live(id) = self.screen {
                    self.overlay = Overlay::Confirm(Confirm::EndMeeting(id));
                }
            }
            Action::MarkDone => return self.set_selected_action(ActionStatus::Done),
            Action::MarkDropped => return self.set_selected_action(ActionStatus::Dropped),
            Action::Reopen => return self.set_selected_action(ActionStatus::Open),
            Action::Minutes => self.open_minutes(),
            Action::ExportMinutes => {
                if let Screen::Minutes(id) = self.screen {
                    return vec![Command::ExportMinutes {
                        meeting: id,
                        redact: self.minutes_redact,
                        dir: self.export_dir.clone(),
                    }];
                }
            }
            Action::ToggleRedact => {
                self.minutes_redact = !self.minutes_redact;
                self.dirty = true;
            }
            Action::CopyMinutes => self.copy_minutes(),
            Action::GoReport => self.go(Screen::Report),
            Action::PrevYear | Action::NextYear => {
                let year =
                    self.report_fiscal_year() + if action == Action::NextYear { 1 } else { -1 };
                self.report_year = Some(year);
                self.report_scroll = 0;
                self.dirty = true;
            }
            Action::ToggleCompare => {
                self.report_compare = !self.report_compare;
                self.dirty = true;
            }
            Action::ExportReport => {
                return vec![Command::ExportReport {
                    fiscal_year: self.report_fiscal_year(),
                    compare: self.report_compare,
                    dir: self.export_dir.clone(),
                }];
            }
            Action::TakeChair => {
                if let Screen::Live(id) = self.screen {
                    return vec![Command::TakeChair(id)];
                }
            }
            Action::ApproveMinutes => {
                if let Screen::Minutes(id) = self.screen {
                    return vec![Command::ApproveMinutes(id)];
                }
            }
        }
        Vec::new()
    }

    fn back(&mut self) {
        match self.screen {
            Screen::Home => {
                if !self.filter.is_empty() {
                    self.filter.clear();
                    self.rebuild_home();
                }
            }
            Screen::Live(id) => self.go(Screen::Setup(id)),
            Screen::Setup(_)
            | Screen::Bodies
            | Screen::Actions
            | Screen::Minutes(_)
            | Screen::Report => self.go(Screen::Home),
        }
    }

    /// The fiscal year the report screen shows: chosen, or the current one.
    pub fn report_fiscal_year(&self) -> i32 {
        self.report_year
            .unwrap_or_else(|| crate::domain::calendar::fiscal_year_of(self.today()))
    }

    /// The minutes of the meeting on screen, or of the selected body's last meeting held.
    fn open_minutes(&mut self) {
        let target = match self.screen {
            Screen::Setup(id) | Screen::Live(id) => Some(id),
            _ => self.selected_body().and_then(|b| b.last_held_id),
        };
        match target {
            Some(id) => {
                self.minutes_scroll = 0;
                self.go(Screen::Minutes(id));
            }
            None => self.info("no_minutes"),
        }
    }

    /// Puts the minutes on the clipboard of the computer the facilitator sits at: OSC 52 travels
    /// through SSH and tmux to the local terminal.
    fn copy_minutes(&mut self) {
        use base64::Engine;
        if self.minutes.is_empty() {
            return;
        }
        let encoded = base64::engine::general_purpose::STANDARD.encode(self.minutes.as_bytes());
        self.outbox.push(format!("\u{1b}]52;c;{encoded}\u{7}"));
        self.info("copied");
    }

    fn open(&mut self) -> Vec<Command> {
        if self.screen == Screen::Home {
            if let Some(HomeRow::Entry(i)) = self.home_rows.get(self.home_selected) {
                if let Some(Upcoming::Scheduled { meeting_id, .. }) =
                    self.listing.entries.get(*i).map(|e| &e.item)
                {
                    return vec![Command::OpenSetup(*meeting_id)];
                }
            }
        }
        self.open_schedule_form();
        Vec::new()
    }

    fn open_schedule_form(&mut self) {
        let Some(body_id) = self.selected_body_id() else {
            return;
        };
        let lang = self.lang;
        let suggested = match (self.screen, self.home_rows.get(self.home_selected)) {
            (Screen::Home, Some(HomeRow::Entry(i))) => {
                match self.listing.entries.get(*i).map(|e| &e.item) {
                    Some(Upcoming::Expected { window, .. }) => window.from.max(self.today()),
                    _ => self.today(),
                }
            }
            _ => self.today(),
        };
        let name = self
            .bodies
            .iter()
            .find(|b| b.id == body_id)
            .map(|b| b.record.name.clone())
            .unwrap_or_default();
        self.overlay = Overlay::Form(Form::new(
            &format!("{} - {}", tr(lang, "schedule_title"), name),
            Purpose::Schedule { body_id },
            vec![
                Field::text(tr(lang, "date"), &suggested.format("%Y-%m-%d").to_string()),
                Field::text(tr(lang, "start_time"), "14:00"),
                Field::text(tr(lang, "end_time"), &self.default_end("14:00")),
                Field::text(tr(lang, "place"), ""),
            ],
        ));
    }

    /// A new meeting's end: its start plus the configured length (within the day).
    fn default_end(&self, start: &str) -> String {
        let length = chrono::Duration::minutes(i64::from(self.prefs.meeting_minutes));
        match NaiveTime::parse_from_str(start, "%H:%M").map(|t| t.overflowing_add_signed(length)) {
            Ok((end, 0)) => end.format("%H:%M").to_string(),
            _ => "23:59".to_owned(),
        }
    }

    fn meeting_id(&self) -> Option<i64> {
        match self.screen {
            Screen::Setup(id) | Screen::Live(id) => Some(id),
            _ => None,
        }
    }

    fn step(&mut self, forward: bool) -> Vec<Command> {
        let Screen::Live(id) = self.screen else {
            return Vec::new();
        };
        match &self.meeting {
            Some(m) if !m.is_live() => {
                self.info("not_live");
                Vec::new()
            }
            Some(m) if m.items.is_empty() => {
                self.info("no_agenda_item");
                Vec::new()
            }
            Some(_) => vec![Command::Step {
                meeting: id,
                delta: if forward { 1 } else { -1 },
            }],
            None => Vec::new(),
        }
    }

    fn role_options(&self) -> Vec<(String, String)> {
        Role::ALL
            .iter()
            .map(|r| {
                (
                    r.code().to_owned(),
                    match self.lang {
                        Lang::Ja => r.label_ja().to_owned(),
                        Lang::En => r.code().to_owned(),
                    },
                )
            })
            .collect()
    }

    fn attendance_options(&self) -> Vec<(String, String)> {
        Attendance::ALL
            .iter()
            .map(|a| {
                (
                    a.code().to_owned(),
                    match self.lang {
                        Lang::Ja => a.label_ja().to_owned(),
                        Lang::En => a.code().replace('_', " "),
                    },
                )
            })
            .collect()
    }

    fn agency_choices(&self) -> Vec<String> {
        let mut choices = self
            .meeting
            .as_ref()
            .map(LiveMeeting::agency_choices)
            .unwrap_or_default();
        for b in &self.bodies {
            for m in &b.record.members {
                if !choices.contains(m) {
                    choices.push(m.clone());
                }
            }
        }
        choices
    }

    fn open_attendee_form(&mut self, existing: Option<usize>) {
        let Some(meeting_id) = self.meeting_id() else {
            return;
        };
        let lang = self.lang;
        let row = existing.and_then(|i| self.meeting.as_ref()?.attendees.get(i).cloned());
        let fields = vec![
            Field::agency(
                tr(lang, "agency"),
                row.as_ref().and_then(|r| r.agency.as_deref()).unwrap_or(""),
                self.agency_choices(),
            ),
            Field::text(
                tr(lang, "name"),
                row.as_ref().map(|r| r.name.as_str()).unwrap_or(""),
            ),
            Field::text(
                tr(lang, "title"),
                row.as_ref().map(|r| r.title.as_str()).unwrap_or(""),
            ),
            Field::choice(
                tr(lang, "role"),
                self.role_options(),
                row.as_ref().map(|r| r.role.code()).unwrap_or("member"),
            ),
            Field::choice(
                tr(lang, "attendance"),
                self.attendance_options(),
                row.as_ref()
                    .map(|r| r.attendance.code())
                    .unwrap_or("present"),
            ),
        ];
        self.overlay = Overlay::Form(Form::new(
            tr(lang, "attendee_title"),
            Purpose::Attendee {
                meeting_id,
                attendee_id: row.map(|r| r.id),
            },
            fields,
        ));
    }

    fn open_item_form(&mut self, existing: Option<usize>) {
        let Some(meeting_id) = self.meeting_id() else {
            return;
        };
        let lang = self.lang;
        let row = existing.and_then(|i| self.meeting.as_ref()?.items.get(i).cloned());
        let minutes = row
            .as_ref()
            .and_then(|r| r.planned_min)
            .map(|m| m.to_string())
            .unwrap_or_default();
        self.overlay = Overlay::Form(Form::new(
            tr(lang, "agenda"),
            Purpose::AgendaItem {
                meeting_id,
                item_id: row.as_ref().map(|r| r.id),
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

    /// The agenda item captures go under: the current one while live, else the selected one.
    fn capture_item(&self) -> Option<i64> {
        let m = self.meeting.as_ref()?;
        m.current_item
            .or_else(|| m.items.get(self.selected[0]).map(|i| i.id))
    }

    fn capture_entry(&mut self, kind: EntryKind) {
        let Some(item_id) = self.capture_item() else {
            self.info("no_agenda_item");
            return;
        };
        self.open_entry_form(kind, item_id, None, "");
    }

    fn open_entry_form(
        &mut self,
        kind: EntryKind,
        item_id: i64,
        entry_id: Option<i64>,
        text: &str,
    ) {
        let lang = self.lang;
        let (key, purpose) = match kind {
            EntryKind::Note => ("note", Purpose::Note { item_id, entry_id }),
            EntryKind::Decision => ("decision", Purpose::Decision { item_id, entry_id }),
        };
        self.overlay = Overlay::Form(
            Form::new(
                tr(lang, key),
                purpose,
                vec![Field::text(tr(lang, "text"), text)],
            )
            .editing(entry_id.map(|_| text)),
        );
    }

    fn open_role_form(&mut self, existing: Option<i64>) {
        let Some(meeting_id) = self.meeting_id() else {
            return;
        };
        let lang = self.lang;
        let row = existing.and_then(|id| {
            self.meeting
                .as_ref()?
                .roles
                .iter()
                .find(|r| r.id == id)
                .cloned()
        });
        self.overlay = Overlay::Form(
            Form::new(
                tr(lang, "role_assignment"),
                Purpose::Role {
                    meeting_id,
                    role_id: existing,
                },
                vec![
                    Field::agency(
                        tr(lang, "agency"),
                        row.as_ref().and_then(|r| r.agency.as_deref()).unwrap_or(""),
                        self.agency_choices(),
                    ),
                    Field::text(
                        tr(lang, "role_assignment"),
                        row.as_ref().map(|r| r.text.as_str()).unwrap_or(""),
                    ),
                ],
            )
            .editing(row.as_ref().map(|r| r.text.as_str())),
        );
    }

    fn open_action_form(&mut self, existing: Option<i64>) {
        let Some(meeting_id) = self.meeting_id() else {
            return;
        };
        let lang = self.lang;
        let row = existing.and_then(|id| {
            self.meeting
                .as_ref()?
                .actions
                .iter()
                .find(|a| a.id == id)
                .cloned()
        });
        let due = row
            .as_ref()
            .and_then(|r| r.due)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        self.overlay = Overlay::Form(
            Form::new(
                tr(lang, "next_action"),
                Purpose::Action {
                    meeting_id,
                    action_id: existing,
                },
                vec![
                    Field::agency(
                        tr(lang, "agency"),
                        row.as_ref().and_then(|r| r.agency.as_deref()).unwrap_or(""),
                        self.agency_choices(),
                    ),
                    Field::text(
                        tr(lang, "text"),
                        row.as_ref().map(|r| r.text.as_str()).unwrap_or(""),
                    ),
                    Field::text(tr(lang, "due"), &due),
                ],
            )
            .editing(row.as_ref().map(|r| r.text.as_str())),
        );
    }

    fn open_issue_form(&mut self) {
        let Some(meeting_id) = self.meeting_id() else {
            return;
        };
        let lang = self.lang;
        self.overlay = Overlay::Form(Form::new(
            tr(lang, "case_issue"),
            Purpose::Issue { meeting_id },
            vec![Field::text(tr(lang, "category"), "")],
        ));
    }

    fn open_case_form(&mut self) {
        let Some(m) = &self.meeting else { return };
        let lang = self.lang;
        let fields = vec![
            Field::text(tr(lang, "case_ref"), &m.case_ref),
            Field::agency(
                tr(lang, "lead_agency"),
                m.lead_agency.as_deref().unwrap_or(""),
                self.agency_choices(),
            ),
            Field::text(tr(lang, "key_person"), &m.key_person),
            Field::text(tr(lang, "risk"), &m.risk),
            Field::text(tr(lang, "urgency"), &m.urgency),
            Field::text(tr(lang, "support_policy"), &m.support_policy),
        ];
        self.overlay = Overlay::Form(Form::new(
            tr(lang, "case_fields"),
            Purpose::Case { meeting_id: m.id },
            fields,
        ));
    }

    fn add_in_pane(&mut self) {
        match self.pane {
            Pane::Attendees => self.open_attendee_form(None),
            _ => self.open_item_form(None),
        }
    }

    fn edit_selected(&mut self) {
        let index = self.selected[Self::pane_index(self.pane)];
        match self.pane {
            Pane::Agenda => self.open_item_form(Some(index)),
            Pane::Attendees => self.open_attendee_form(Some(index)),
            Pane::Captures => {
                let Some(line) = self.capture_lines().get(index).cloned() else {
                    return;
                };
                let Some(m) = &self.meeting else { return };
                match line.entity {
                    Entity::Entry => {
                        let found = m.items.iter().find_map(|i| {
                            i.entries
                                .iter()
                                .find(|e| e.id == line.id)
                                .map(|e| (i.id, e.clone()))
                        });
                        if let Some((item_id, entry)) = found {
                            self.open_entry_form(entry.kind, item_id, Some(entry.id), &entry.text);
                        }
                    }
                    Entity::Role => self.open_role_form(Some(line.id)),
                    Entity::Action => self.open_action_form(Some(line.id)),
                    _ => {}
                }
            }
        }
    }

    fn delete_selected(&mut self) -> Vec<Command> {
        let index = self.selected[Self::pane_index(self.pane)];
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
                self.info("removed");
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
        let n = self.pane_len(Pane::Agenda);
        self.selected[0] =
            (self.selected[0] as i64 + delta).clamp(0, n.saturating_sub(1) as i64) as usize;
        vec![Command::MoveItem { id, delta }]
    }

    fn cycle_attendance(&mut self) -> Vec<Command> {
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

    fn take_back(&mut self) -> Vec<Command> {
        match self.undo.pop() {
            Some((entity, id)) => {
                self.info("undone");
                vec![Command::Remove { entity, id }]
            }
            None => {
                self.info("nothing_to_undo");
                Vec::new()
            }
        }
    }

    fn set_selected_action(&mut self, status: ActionStatus) -> Vec<Command> {
        if let Screen::Setup(meeting) = self.screen {
            if self.pane != Pane::Captures {
                return Vec::new();
            }
            let Some(id) = self.carried.get(self.selected[2]).map(|c| c.id) else {
                return Vec::new();
            };
            self.info(if status == ActionStatus::Done {
                "action_done"
            } else {
                "action_dropped"
            });
            return vec![Command::SetActionStatus {
                id,
                status,
                in_meeting: Some(meeting),
            }];
        }
        let Some(id) = self
            .actions
            .get(self.action_selected)
            .map(|(row, _, _)| row.id)
        else {
            return Vec::new();
        };
        self.info(if status == ActionStatus::Done {
            "action_done"
        } else {
            "action_dropped"
        });
        vec![Command::SetActionStatus {
            id,
            status,
            in_meeting: None,
        }]
    }

    /// Turns a submitted form into commands, or keeps it open with a message saying what is wrong.
    fn submit(&mut self) -> Vec<Command> {
        let Overlay::Form(form) = &self.overlay else {
            return Vec::new();
        };
        match self.commands_for(form) {
            Ok(commands) => {
                self.overlay = Overlay::None;
                commands
            }
            Err(key) => {
                let message = tr(self.lang, key).to_owned();
                if let Overlay::Form(form) = &mut self.overlay {
                    form.error = Some(message);
                }
                Vec::new()
            }
        }
    }

    fn commands_for(&self, form: &Form) -> Result<Vec<Command>, &'static str> {
        let v = |i: usize| form.value(i);
        let agency = |i: usize| Some(v(i)).filter(|s| !s.is_empty());
        let text = |i: usize| Some(v(i)).filter(|s| !s.is_empty()).ok_or("empty_text");
        let today = self.today();
        Ok(vec![match &form.purpose {
            Purpose::Schedule { body_id } => {
                let date = parse_date_input(&v(0), today).ok_or("bad_date")?;
                let start = time(&v(1))?;
                let end = time(&v(2))?;
                Command::Schedule {
                    meeting: NewMeeting {
                        body_id: *body_id,
                        date,
                        start,
                        end,
                        place: v(3),
                    },
                    begin: false,
                }
            }
            Purpose::Attendee {
                meeting_id,
                attendee_id,
            } => {
                let role = v(3).parse().unwrap_or(Role::Member);
                let attendance = v(4).parse().unwrap_or(Attendance::Present);
                if v(0).is_empty() && v(1).is_empty() {
                    return Err("empty_text");
                }
                match attendee_id {
                    Some(id) => Command::UpdateAttendee {
                        id: *id,
                        agency: agency(0),
                        name: v(1),
                        title: v(2),
                        role,
                        attendance,
                    },
                    None => Command::AddAttendee {
                        meeting: *meeting_id,
                        agency: agency(0),
                        name: v(1),
                        title: v(2),
                        role,
                        attendance,
                    },
                }
            }
            Purpose::AgendaItem {
                meeting_id,
                item_id,
            } => {
                let title = text(0)?;
                let minutes = minutes(&v(1))?;
                match item_id {
                    Some(id) => Command::UpdateItem {
                        id: *id,
                        title,
                        minutes,
                    },
                    None => Command::AddItem {
                        meeting: *meeting_id,
                        title,
                        minutes,
                    },
                }
            }
            Purpose::Note { item_id, entry_id } | Purpose::Decision { item_id, entry_id } => {
                let kind = if matches!(form.purpose, Purpose::Note { .. }) {
                    EntryKind::Note
                } else {
                    EntryKind::Decision
                };
                let text = text(0)?;
                match entry_id {
                    Some(id) => Command::EditText {
                        entity: Entity::Entry,
                        id: *id,
                        expected: form.original.clone(),
                        text,
                    },
                    None => Command::AddEntry {
                        item: *item_id,
                        kind,
                        text,
                    },
                }
            }
            Purpose::Role {
                meeting_id,
                role_id,
            } => {
                let text = text(1)?;
                match role_id {
                    Some(id) => Command::UpdateRole {
                        id: *id,
                        agency: agency(0),
                        expected: form.original.clone(),
                        text,
                    },
                    None => Command::AddRole {
                        meeting: *meeting_id,
                        agency: agency(0),
                        text,
                    },
                }
            }
            Purpose::Action {
                meeting_id,
                action_id,
            } => {
                let text = text(1)?;
                let due = match v(2).as_str() {
                    "" => None,
                    typed => Some(parse_date_input(typed, today).ok_or("bad_date")?),
                };
                match action_id {
                    Some(id) => Command::UpdateAction {
                        id: *id,
                        agency: agency(0),
                        expected: form.original.clone(),
                        text,
                        due,
                    },
                    None => Command::AddAction {
                        meeting: *meeting_id,
                        agency: agency(0),
                        text,
                        due,
                    },
                }
            }
            Purpose::Issue { meeting_id } => Command::AddIssue {
                meeting: *meeting_id,
                category: text(0)?,
            },
            Purpose::Case { meeting_id } => Command::SetCase {
                meeting: *meeting_id,
                fields: CaseFields {
                    case_ref: v(0),
                    lead_agency: agency(1),
                    key_person: v(2),
                    risk: v(3),
                    urgency: v(4),
                    support_policy: v(5),
                },
            },
            Purpose::Filter => return Ok(Vec::new()),
        }])
    }

    /// After the runner performed a command: where to go, what can be undone, what to say.
    pub fn performed(&mut self, command: &Command, created: Option<i64>) {
        self.dirty = true;
        let undoable = match command {
            Command::AddEntry { .. } => Some(Entity::Entry),
            Command::AddRole { .. } => Some(Entity::Role),
            Command::AddAction { .. } => Some(Entity::Action),
            Command::AddIssue { .. } => Some(Entity::CaseIssue),
            Command::AddAttendee { .. } => Some(Entity::Attendee),
            Command::AddItem { .. } => Some(Entity::AgendaItem),
            _ => None,
        };
        if let (Some(entity), Some(id)) = (undoable, created) {
            self.undo.push((entity, id));
            if self.status.is_none() {
                self.info("saved");
            }
        }
        match (command, created) {
            (Command::Schedule { begin: true, .. }, Some(id)) => self.go(Screen::Live(id)),
            (Command::Schedule { .. }, Some(id)) => self.go(Screen::Setup(id)),
            (Command::OpenSetup(id), _) => self.go(Screen::Setup(*id)),
            (Command::Begin(id), _) => self.go(Screen::Live(*id)),
            (Command::ApproveMinutes(_), _) => self.info("approved"),
            (Command::End(id), _) => {
                self.minutes_scroll = 0;
                self.go(Screen::Minutes(*id));
                self.info("ended");
            }
            _ => {}
        }
    }

    pub fn failed(&mut self, message: String) {
        self.error(format!("{}: {message}", tr(self.lang, "error")));
    }

    /// Keeps selections inside lists that may have shrunk after a reload.
    pub fn clamp_selections(&mut self) {
        for pane in [Pane::Agenda, Pane::Attendees, Pane::Captures] {
            let n = self.pane_len(pane);
            let i = Self::pane_index(pane);
            self.selected[i] = self.selected[i].min(n.saturating_sub(1));
        }
        // Off its screen the list is let go (see `tui::load`): the selection waits for it.
        if self.screen == Screen::Actions {
            self.action_selected = self
                .action_selected
                .min(self.actions.len().saturating_sub(1));
        }
        if let (Screen::Live(_), Some(m)) = (self.screen, &self.meeting) {
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
}

fn time(text: &str) -> Result<Option<String>, &'static str> {
    let text = crate::domain::calendar::fold_width(text.trim());
    if text.is_empty() {
        return Ok(None);
    }
    let parsed = NaiveTime::parse_from_str(&text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&text, "%H%M"))
        .or_else(|_| NaiveTime::parse_from_str(&format!("{text}:00"), "%H:%M"))
        .map_err(|_| "bad_time")?;
    Ok(Some(parsed.format("%H:%M").to_string()))
}

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
    fn times_are_forgiving() {
        assert_eq!(time("9:30"), Ok(Some("09:30".to_owned())));
        assert_eq!(time("１４：００"), Ok(Some("14:00".to_owned())));
        assert_eq!(time("1400"), Ok(Some("14:00".to_owned())));
        assert_eq!(time("14"), Ok(Some("14:00".to_owned())));
        assert_eq!(time(""), Ok(None));
        assert_eq!(time("25:00"), Err("bad_time"));
    }

    #[test]
    fn minutes_are_numbers() {
        assert_eq!(minutes("10"), Ok(Some(10)));
        assert_eq!(minutes("１５分"), Ok(Some(15)));
        assert_eq!(minutes("ten"), Err("bad_minutes"));
    }
}
