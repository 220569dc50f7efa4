//! The screens, one module each, and what they are given. A screen owns its state, handles the
//! actions of its keys in a pure [`Screen::update`] (store changes come back as
//! [`Command`]s for the runner), reads what it shows in [`Screen::load`], and draws itself in
//! [`Screen::draw`]. What every screen shares is lent to it as a [`Ctx`]. The app keeps the
//! screens on a stack: [`Ctx::open`] pushes one (or returns to it, when it is on the stack
//! already), Back pops to where the user came from.
//!
//! A new screen: a module here with a struct that implements [`Screen`], a [`ScreenId`] for it
//! (and a [`Context`] with its keys in keymap.toml), and a line in [`make`].

pub mod actions;
pub mod bodies;
pub mod case;
mod case_forms;
pub mod cases;
mod choices;
mod export;
pub mod home;
pub mod meeting;
pub mod meeting_cases;
pub mod meetings;
pub mod minutes;
mod record;
pub mod report;
pub mod review;
mod schedule;
pub mod search;
#[cfg(test)]
pub(crate) mod testing;

use chrono::{DateTime, FixedOffset, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;
use std::any::Any;
use std::path::PathBuf;

use super::command::{Command, Outcome, Undo};
use super::keymap::{Context, Keymap};
use super::theme::Theme;
use super::widgets::detail::Detail;
use super::widgets::form::{DraftKey, Form};
use super::words::tr;
use crate::config::Preferences;
use crate::domain::vocabulary::Vocabulary;
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::Store;

/// Which screen, and of what: the key map's context, the tab it stands under, the meeting its
/// presence names, and where Back returns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenId {
    Home,
    Bodies,
    /// A meeting before it begins: attendees, agenda, open actions carried over.
    Setup(i64),
    /// A meeting as it runs: the agenda's clock and the captures.
    Live(i64),
    Actions,
    /// The minutes of a meeting, as they would be exported.
    Minutes(i64),
    /// The year's work in numbers (the annual report).
    Report,
    /// The meetings of a body, past and planned.
    Meetings(i64),
    /// Past records found by what is typed.
    Search,
    /// The ledger of cases (事例).
    Cases,
    /// One case; `at` the meeting it was opened from (what is changed is changed there).
    Case {
        case: i64,
        at: Option<i64>,
    },
    /// The cases a meeting discusses: pick or create one, the one being discussed.
    MeetingCases(i64),
    /// The review of the ledger's cases at a meeting (進行管理): the cases due, each confirmed
    /// or changed.
    Review(i64),
}

/// How many days ahead the upcoming list looks.
pub const DAYS_AHEAD: u32 = 60;

/// The tabs of the bar, with the word each shows (and its short one, on a narrow terminal);
/// their keys (1–5) work on every screen.
pub const TABS: [(ScreenId, &str, &str); 5] = [
    (ScreenId::Home, "tab_home", "tab_home_short"),
    (ScreenId::Bodies, "tab_bodies", "tab_bodies_short"),
    (ScreenId::Actions, "tab_actions", "tab_actions_short"),
    (ScreenId::Report, "tab_report", "tab_report_short"),
    (ScreenId::Cases, "tab_cases", "tab_cases_short"),
];

impl ScreenId {
    pub fn context(self) -> Context {
        match self {
            ScreenId::Home => Context::Home,
            ScreenId::Bodies => Context::Bodies,
            ScreenId::Setup(_) => Context::Setup,
            ScreenId::Live(_) => Context::Live,
            ScreenId::Actions => Context::Actions,
            ScreenId::Minutes(_) => Context::Minutes,
            ScreenId::Report => Context::Report,
            ScreenId::Meetings(_) => Context::Meetings,
            ScreenId::Search => Context::Search,
            ScreenId::Cases => Context::Cases,
            ScreenId::Case { .. } => Context::Case,
            ScreenId::MeetingCases(_) => Context::CasePanel,
            ScreenId::Review(_) => Context::Review,
        }
    }

    /// The tab the bar lights for this screen (a meeting stands under home).
    pub fn tab(self) -> Option<ScreenId> {
        match self {
            ScreenId::Setup(_)
            | ScreenId::Live(_)
            | ScreenId::MeetingCases(_)
            | ScreenId::Review(_) => Some(ScreenId::Home),
            ScreenId::Meetings(_) => Some(ScreenId::Bodies),
            ScreenId::Case { .. } => Some(ScreenId::Cases),
            ScreenId::Minutes(_) | ScreenId::Search => None,
            tab => Some(tab),
        }
    }

    /// A tab's screen keeps its place (selection, grouping, year) while the user is elsewhere.
    pub fn is_tab(self) -> bool {
        TABS.iter().any(|(id, _, _)| *id == self)
    }

    /// The meeting the screen shows, if it shows one.
    pub fn meeting(self) -> Option<i64> {
        match self {
            ScreenId::Setup(id)
            | ScreenId::Live(id)
            | ScreenId::Minutes(id)
            | ScreenId::MeetingCases(id)
            | ScreenId::Review(id) => Some(id),
            _ => None,
        }
    }
}

/// A new screen for `id`, before its first load.
pub fn make(id: ScreenId) -> Box<dyn Screen> {
    match id {
        ScreenId::Home => Box::new(home::Home::default()),
        ScreenId::Bodies => Box::new(bodies::Bodies::default()),
        ScreenId::Setup(m) => Box::new(meeting::Meeting::new(m, meeting::Stage::Setup)),
        ScreenId::Live(m) => Box::new(meeting::Meeting::new(m, meeting::Stage::Live)),
        ScreenId::Actions => Box::new(actions::Actions::default()),
        ScreenId::Minutes(m) => Box::new(minutes::Minutes::new(m)),
        ScreenId::Report => Box::new(report::Report::default()),
        ScreenId::Meetings(body) => Box::new(meetings::Meetings::new(body)),
        ScreenId::Search => Box::new(search::Search::default()),
        ScreenId::Cases => Box::new(cases::Cases::default()),
        ScreenId::Case { case, at } => Box::new(case::Case::new(case, at)),
        ScreenId::MeetingCases(m) => Box::new(meeting_cases::MeetingCases::new(m)),
        ScreenId::Review(m) => Box::new(review::Review::new(m)),
    }
}

/// A screen: its state, the actions of its keys, what it reads and how it draws.
pub trait Screen: AsAny {
    fn id(&self) -> ScreenId;

    /// Reads what the screen shows from the store: when it comes to the top, and after anything
    /// changed (a command performed, another process's commit). Keeps its selections in range.
    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()>;

    /// The pure update: an action of this screen's keys changes its state (and may open a form, a
    /// confirmation or another screen through `ctx`); store changes are returned.
    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command>;

    /// Draws the screen between the tab bar and the status line.
    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx);

    /// A form this screen opened was submitted: its commands, or the word (words.toml) saying
    /// what is wrong, and the form stays open. By default, the forms any screen may open: a
    /// meeting put in the calendar.
    fn submit(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
        schedule::submit(form, ctx)
    }

    /// A form this screen opened was left with Esc (or open when the app ends): by default what
    /// was typed is let go; a screen that keeps drafts keeps it (the commands that store it).
    fn cancelled(&mut self, form: Form, ctx: &mut Ctx) -> Vec<Command> {
        let _ = (form, ctx);
        Vec::new()
    }

    /// The typing in a form this screen opened paused (or the app ends) with something typed
    /// not kept yet, and the form has no draft name of its own: the commands that keep it (a
    /// review's draft). By default none.
    fn keep_typing(&mut self, form: &Form, ctx: &mut Ctx) -> Vec<Command> {
        let _ = (form, ctx);
        Vec::new()
    }

    /// The name under which what is typed in `form` (opened by this screen) is kept as a draft
    /// (`store::drafts::FormDraft`), and what it belongs to. By default none: not kept (a
    /// review keeps its own drafts, `keep_typing`).
    fn draft_name(&self, form: &Form) -> Option<DraftKey> {
        let _ = form;
        None
    }

    /// A kept draft of this user's (`store::drafts::FormDraft`, by its form's name): if it is a
    /// form of this screen, the screen opens it (the app then puts the draft in it) and says
    /// true. By default no form is this screen's.
    fn reopen_draft(&mut self, form: &str, ctx: &mut Ctx) -> bool {
        let _ = (form, ctx);
        false
    }

    /// What the runner did with a command of this screen (the status line already says a
    /// failure): where to go next, what to say. By default, a meeting scheduled or opened is
    /// shown.
    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        schedule::performed(command, outcome, ctx);
    }

    /// The word of the status line's hint when nothing else is said.
    fn hint(&self) -> &'static str {
        "help_hint"
    }

    /// The filter typed over the screen's list (`/`, `Ctx::filter`) changed: the list is built
    /// again, from its first match.
    fn refilter(&mut self, ctx: &Ctx) {
        let _ = ctx;
    }

    /// Whether the filter typed over the screen is a query of the store: each keystroke then
    /// has the screen read again (a search), not only filter what it read.
    fn filter_reads_store(&self) -> bool {
        false
    }

    /// Whether the screen needs a read of the store to show what its list now selects (the
    /// home reads a body only when its selection comes to it): the app then has it loaded.
    fn stale(&self) -> bool {
        false
    }

    /// What the selection stands for (an id), which a detail pane follows (`Ctx::detail`).
    fn selection(&self) -> Option<i64> {
        None
    }

    /// Brought to the top again by a key (a tab, a meeting reopened), not by Back.
    fn entered(&mut self) {}

    /// No longer on top: what is large and cheap to read again may be let go.
    fn hidden(&mut self) {}
}

/// A screen seen as `Any`, so that tests and the app can ask for a screen of a known type.
pub trait AsAny: Any {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What lies over the screen, taking the keys first.
pub enum Overlay {
    None,
    /// Every key of the screen, scrolled to this line.
    Help(usize),
    /// A form the top screen opened; submitted to it.
    Form(Form),
    /// The filter being typed over the top screen's list.
    Filter(Box<TextArea<'static>>),
    Confirm(Confirm),
}

/// A question answered with Enter/y or Esc/n.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    /// The question, a word of words.toml.
    pub question: &'static str,
    /// What it is about, put in the question's `{subject}` (the meeting to resume).
    pub subject: Option<String>,
    /// What the user must see before answering (the warnings of a redaction), one line each.
    pub detail: Vec<String>,
    /// On yes: commands for the runner (reported to the screen under the question)…
    pub commands: Vec<Command>,
    /// …and a screen to open.
    pub open: Option<ScreenId>,
}

/// A move between screens a screen asks for; the app makes it after the update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Push the screen, or return to it if it is on the stack.
    Open(ScreenId),
    /// Pop the top screen.
    Back,
}

/// What every screen shares, lent to its update and its drawing.
pub struct Ctx {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Now, by the store's clock (injected in tests).
    pub now: DateTime<FixedOffset>,
    /// Date style, meeting length and the like, from the config.
    pub prefs: Preferences,
    /// What the pickers offer: the built-in vocabularies with the config's categories.
    pub vocabulary: Vocabulary,
    /// The status line: (is an error, text).
    pub status: Option<(bool, String)>,
    pub overlay: Overlay,
    /// Bytes for the terminal itself (the OSC 52 clipboard sequence), written after the next draw.
    pub outbox: Vec<String>,
    /// Where exports are written: the directory renkei was started from.
    pub export_dir: PathBuf,
    /// Captures of this session, newest last: what `u` takes back (each meeting its own).
    pub undo: Vec<Undo>,
    /// The meetings whose minutes are shown with names hidden (`R`), for this session: each
    /// meeting's choice is its own.
    pub redacted: Vec<i64>,
    /// A case's screen shows names hidden, and its `w` writes the record redacted (`R` there),
    /// for this session. The ledger's `R` is the ledger's own (what its `w` writes).
    pub redact: bool,
    /// The filter typed over the top screen's list (`/`): kept while another screen covers
    /// it, for Back; a screen opened anew starts without one.
    pub filter: String,
    /// What the detail pane beside a list shows; on a real terminal (`defer_detail`) it waits
    /// while keys move the selection (widgets::detail).
    pub detail: Detail,
    pub defer_detail: bool,
    /// Set when what is shown must be read again from the store.
    pub dirty: bool,
    /// How many commands of this process have written to the store (`App::performed`): a
    /// screen that keeps what it read until something is written tells its own writes by
    /// this, as SQLite's data version moves only with other processes' commits.
    pub writes: u64,
    /// How many lines of the help the last frame had room for (a page of it).
    pub help_rows: std::cell::Cell<usize>,
    /// The rows the key help takes as last drawn (descriptions wrapped to its width).
    pub help_len: std::cell::Cell<usize>,
    /// What a search opened the minutes for: they open at its first line (taken once).
    pub found: Option<String>,
    /// Reviews begun and left with Esc (or not taken by the store): opened again as they were
    /// typed. Those left are kept in the store too (`store::drafts`), and the review screen
    /// brings back those of an earlier session.
    pub drafts: review::Drafts,
    /// Home's line of overdue case reviews opened the ledger: it shows those of this body
    /// (taken once, by the ledger's next load).
    pub overdue_reviews: Option<crate::store::cases::ReviewBody>,
    nav: Option<Nav>,
}

impl Ctx {
    pub fn new(lang: Lang, theme: Theme, keymap: Keymap, now: DateTime<FixedOffset>) -> Ctx {
        Ctx {
            lang,
            theme,
            keymap,
            now,
            prefs: Preferences::default(),
            vocabulary: Vocabulary::builtin().clone(),
            status: None,
            overlay: Overlay::None,
            outbox: Vec::new(),
            export_dir: std::env::current_dir().unwrap_or_default(),
            undo: Vec::new(),
            redacted: Vec::new(),
            redact: false,
            filter: String::new(),
            detail: Detail::default(),
            defer_detail: false,
            dirty: true,
            writes: 0,
            help_rows: std::cell::Cell::new(1),
            help_len: std::cell::Cell::new(0),
            found: None,
            drafts: review::Drafts::default(),
            overdue_reviews: None,
            nav: None,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Says something in the status line (a word of words.toml).
    pub fn info(&mut self, key: &'static str) {
        self.status = Some((false, tr(self.lang, key).to_owned()));
    }

    /// Says something made of more than a word (a word with what it is about).
    pub fn say(&mut self, text: String) {
        self.status = Some((false, text));
    }

    /// Whether the minutes of `meeting` are shown with names hidden.
    pub fn redacts(&self, meeting: i64) -> bool {
        self.redacted.contains(&meeting)
    }

    /// Says what went wrong, in the status line.
    pub fn failed(&mut self, message: String) {
        self.status = Some((true, format!("{}: {message}", tr(self.lang, "error"))));
    }

    /// Opens a screen after this update: pushed, or returned to if it is on the stack.
    pub fn open(&mut self, id: ScreenId) {
        self.nav = Some(Nav::Open(id));
    }

    /// Leaves this screen for the one below after this update.
    pub fn back(&mut self) {
        self.nav = Some(Nav::Back);
    }

    /// The move asked for, once.
    pub fn take_nav(&mut self) -> Option<Nav> {
        self.nav.take()
    }

    pub fn form(&mut self, form: Form) {
        self.overlay = Overlay::Form(form);
    }

    pub fn confirm(&mut self, confirm: Confirm) {
        self.overlay = Overlay::Confirm(confirm);
    }
}

/// A screen's name from its tab's word, without the key number in front (`2 会議体` → `会議体`).
pub fn tab_title(lang: Lang, key: &'static str) -> &'static str {
    tr(lang, key).trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ')
}
