//! The terminal app. A key becomes an [`action::Action`]; [`app::App::update`] changes state and
//! returns commands; the runner here performs them on the store (each committed at once) and
//! reloads what the screen shows. The loop is generic over ratatui's `Backend`, so tests drive the
//! whole app on a `TestBackend`.

pub mod action;
pub mod app;
pub mod backend;
pub mod form;
mod hangup;
pub mod keymap;
pub mod script;
pub mod scroll;
pub mod theme;
mod views;
pub mod words;

use anyhow::Result;
use crossterm::event::{self, Event};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::store::Store;
use crate::upcoming;
use app::{App, Command, Confirm, Overlay, Screen};
pub use views::draw;

/// The screen as a person sees it: one line per row, each double-width character once (the cell
/// it covers is not printed again). For tests and the script mode.
pub fn buffer_text(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            out.push_str(symbol);
            skip = crate::text::width(symbol).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// How long the loop waits for a key before redrawing the clocks and checking for signals.
const TICK: Duration = Duration::from_millis(250);

/// How long the keys must pause before a waiting detail pane follows the selection: longer than
/// a held key's repeat (about 30 ms) and an SSH link's jitter, short enough to go unnoticed.
const SETTLE: Duration = Duration::from_millis(100);

/// Where events come from: the real terminal, or a test's script.
pub trait Events {
    /// The next event, or `None` when `timeout` passed without one.
    fn next(&mut self, timeout: Duration) -> Result<Option<Event>>;
    /// A hang-up or termination signal arrived: end now (everything is already saved).
    fn stop_requested(&self) -> bool {
        false
    }

    /// The terminal was given back and taken again (Ctrl-Z, then `fg`): whatever it shows now
    /// is not the last frame, so the next one is drawn whole.
    fn resumed(&mut self) -> bool {
        false
    }

    /// Sends bytes meant for the terminal itself (the clipboard sequence).
    fn emit(&mut self, _bytes: &str) {}

    /// Whether the terminal is gone (hung up): then failing to draw on it is the end, not an
    /// error.
    fn terminal_gone(&mut self) -> bool {
        false
    }
}

/// How long crossterm is given to read what the terminal has: not zero, which makes it skip the
/// events it already holds.
const CROSSTERM_LOOK: Duration = Duration::from_millis(1);

/// The real terminal's events, and SIGHUP/SIGTERM or the terminal going away as a request
/// to stop.
pub struct TerminalEvents {
    requests: Arc<hangup::Requests>,
    tty: Option<std::fs::File>,
    /// The terminal was seen hung up: it stays so.
    gone: bool,
}

impl TerminalEvents {
    pub fn new() -> Result<TerminalEvents> {
        let requests = Arc::new(hangup::Requests::default());
        hangup::watch_signals(Arc::clone(&requests))?;
        Ok(TerminalEvents {
            requests,
            tty: hangup::terminal_input(),
            gone: false,
        })
    }

    fn hung_up(&mut self) -> Option<Event> {
        self.gone = true;
        self.requests.stop.store(true, Ordering::Relaxed);
        None
    }

    /// Ctrl-Z is job control, not a key for the screens.
    fn job_control(event: Event) -> Option<Event> {
        use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
        match &event {
            Event::Key(key)
                if key.code == KeyCode::Char('z')
                    && key.modifiers.contains(KeyModifiers::CONTROL)
                    && key.kind == KeyEventKind::Press =>
            {
                hangup::suspend();
                None
            }
            _ => Some(event),
        }
    }

    /// The next event of the terminal, Ctrl-Z included.
    fn next_event(&mut self, timeout: Duration) -> Result<Option<Event>> {
        // crossterm waits on a terminal that is gone as on one that has input (its reads of
        // nothing return at once): the waiting is done here, where the end is seen, and crossterm
        // is only asked briefly.
        let Some(tty) = &self.tty else {
            return Ok(if event::poll(timeout)? {
                Some(event::read()?)
            } else {
                None
            });
        };
        if hangup::wait(tty, Duration::ZERO)? == hangup::Input::HungUp {
            return Ok(self.hung_up());
        }
        // Events crossterm read before and keeps (several keys in one read, a paste).
        if event::poll(CROSSTERM_LOOK)? {
            return Ok(Some(event::read()?));
        }
        match hangup::wait(tty, timeout)? {
            hangup::Input::HungUp => Ok(self.hung_up()),
            hangup::Input::Nothing => Ok(None),
            hangup::Input::Ready => Ok(if event::poll(CROSSTERM_LOOK)? {
                Some(event::read()?)
            } else {
                None
            }),
        }
    }
}

impl Events for TerminalEvents {
    fn next(&mut self, timeout: Duration) -> Result<Option<Event>> {
        Ok(self
            .next_event(timeout)?
            .and_then(TerminalEvents::job_control))
    }

    fn stop_requested(&self) -> bool {
        self.requests.stop.load(Ordering::Relaxed)
    }

    fn resumed(&mut self) -> bool {
        self.requests.redraw.swap(false, Ordering::Relaxed)
    }

    fn terminal_gone(&mut self) -> bool {
        if !self.gone
            && self.tty.as_ref().is_some_and(|tty| {
                matches!(hangup::wait(tty, Duration::ZERO), Ok(hangup::Input::HungUp))
            })
        {
            self.hung_up();
        }
        self.gone
    }

    fn emit(&mut self, bytes: &str) {
        let mut stdout = std::io::stdout();
        let _ = stdout.write_all(bytes.as_bytes());
        let _ = stdout.flush();
    }
}

/// Runs the app on the real terminal until the user quits or a signal ends it; the terminal is
/// restored on every way out, a panic included.
pub fn run(store: &mut Store, app: &mut App) -> Result<()> {
    install_panic_hook();
    app.defer_detail = true;
    let mut terminal = enter()?;
    let mut events = match TerminalEvents::new() {
        Ok(events) => events,
        Err(e) => {
            leave();
            return Err(e);
        }
    };
    let result = event_loop(&mut terminal, app, store, &mut events);
    if events.terminal_gone() {
        // Nothing can be shown any more. Dropping the terminal would try to show the cursor and
        // report failing to on a standard error that is gone too — which is itself a panic.
        std::mem::forget(terminal);
        return Ok(());
    }
    leave();
    result
}

/// The real terminal: moved bands of rows scrolled, each frame sent in fewer bytes.
type Term = scroll::Scrolling<ratatui::backend::CrosstermBackend<backend::Wire<std::io::Stdout>>>;

fn enter() -> Result<Terminal<Term>> {
    reenter()?;
    let stdout = std::io::stdout();
    // Each frame goes out shorter: what an SSH link carries at every keystroke.
    let terminal = Terminal::new(scroll::Scrolling::new(
        ratatui::backend::CrosstermBackend::new(backend::Wire::new(stdout)),
    ))?;
    Ok(terminal)
}

/// Takes the terminal: raw mode, the alternate screen, bracketed paste (at the start, and again
/// when the process continues after a stop).
pub(crate) fn reenter() -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::event::EnableBracketedPaste,
        crossterm::cursor::Hide
    )
}

/// Puts the terminal back as the shell had it. Safe to call twice.
pub fn leave() {
    let mut stdout = std::io::stdout();
    let _ = crossterm::execute!(
        stdout,
        crossterm::event::DisableBracketedPaste,
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = stdout.flush();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
}

/// The loop: load, draw, wait for an event (or a tick, which moves the clocks), handle it.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    store: &mut Store,
    events: &mut impl Events,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    // Follow first: its first look at the data version counts as a change, which after start()
    // would load every list a second time before the first frame.
    let mut follow = Follow::default();
    follow.tick(app, store);
    start(app, store);
    app.settle_detail();
    while app.running {
        app.now = store.now();
        follow.tick(app, store);
        refresh(app, store);
        if events.resumed() {
            // Back from a stop: the terminal shows something else (and may have changed size);
            // draw every cell again. (Terminal::clear would ask the terminal where its cursor
            // is, which not every terminal answers.)
            let size = terminal.size()?;
            terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
        }
        if let Err(e) = terminal.draw(|frame| views::draw(frame, app)) {
            if events.terminal_gone() {
                break;
            }
            return Err(e.into());
        }
        for bytes in app.outbox.drain(..) {
            events.emit(&bytes);
        }
        if events.stop_requested() {
            break;
        }
        let wait = if app.detail_waits() { SETTLE } else { TICK };
        match events.next(wait)? {
            Some(event) => {
                let screen = app.screen;
                let bare = |app: &App| matches!(app.overlay, Overlay::None);
                let was_bare = bare(app);
                handle(app, store, &event);
                // Only moving along a list makes a detail pane wait; anything else shows it now.
                if app.screen != screen || !was_bare || !bare(app) {
                    app.settle_detail();
                }
            }
            None => app.settle_detail(),
        }
        if events.stop_requested() {
            break;
        }
    }
    let _ = store.leave();
    Ok(())
}

/// How often a running renkei says it is still there.
const HEARTBEAT: chrono::Duration = chrono::Duration::seconds(10);

/// Following the others on a shared database: commits by other processes make the screen reload
/// (SQLite's data_version, asked on every tick — no polling of tables), and a heartbeat keeps this
/// process's presence fresh.
#[derive(Debug, Default)]
pub struct Follow {
    version: Option<i64>,
    last_beat: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The meeting the last heartbeat named: opening another one says so at once.
    meeting: Option<i64>,
}

impl Follow {
    pub fn tick(&mut self, app: &mut App, store: &mut Store) {
        if let Ok(version) = store.data_version() {
            // The first look, or a change since the last one: what is shown may be stale.
            if self.version != Some(version) {
                app.dirty = true;
            }
            self.version = Some(version);
        }
        let now = store.now();
        let meeting = match app.screen {
            Screen::Setup(id) | Screen::Live(id) | Screen::Minutes(id) => Some(id),
            _ => None,
        };
        if meeting != self.meeting || self.last_beat.is_none_or(|beat| now - beat >= HEARTBEAT) {
            self.meeting = meeting;
            // The name the user set in the config, else the Unix login.
            let name = app
                .prefs
                .name
                .clone()
                .unwrap_or_else(|| store.user().to_owned());
            if store.heartbeat(&name, meeting).is_ok() {
                self.last_beat = Some(now);
            }
            // Our own heartbeat moved nothing others wrote: do not count it as their change.
            self.version = store.data_version().ok();
        }
    }
}

/// On start, a meeting left open (a killed process, a dropped connection) is offered for resuming.
pub fn start(app: &mut App, store: &mut Store) {
    app.now = store.now();
    if let Ok(live) = store.live_meetings() {
        if let Some(&id) = live.first() {
            app.overlay = Overlay::Confirm(Confirm::Resume(id));
        }
    }
    refresh(app, store);
}

/// One event through the whole app: update, perform the commands, reload.
pub fn handle(app: &mut App, store: &mut Store, event: &Event) {
    app.now = store.now();
    for command in app.handle_event(event) {
        perform(app, store, &command);
    }
    refresh(app, store);
}

/// One action through the whole app (for tests and scripted use).
pub fn dispatch(app: &mut App, store: &mut Store, action: action::Action) {
    app.now = store.now();
    for command in app.update(action) {
        perform(app, store, &command);
    }
    refresh(app, store);
}

/// Reads again what the current screen shows, when something changed.
pub fn refresh(app: &mut App, store: &Store) {
    if !app.dirty {
        return;
    }
    app.dirty = false;
    if let Err(e) = load(app, store) {
        app.failed(e.to_string());
    }
    app.clamp_selections();
}

fn load(app: &mut App, store: &Store) -> Result<()> {
    let today = app.today();
    // The open actions of every meeting ever held can be thousands: kept only while shown.
    if app.screen != Screen::Actions {
        app.actions = Vec::new();
    }
    if app.bodies.is_empty() || matches!(app.screen, Screen::Bodies | Screen::Home) {
        app.bodies = store.bodies()?;
        app.rebuild_bodies();
    }
    match app.screen {
        Screen::Home | Screen::Bodies => {
            app.listing = upcoming::listing(store, today, 60, today, app.group)?;
            app.rebuild_home();
        }
        Screen::Setup(id) | Screen::Live(id) => {
            app.meeting = store.live_meeting(id)?;
            app.carried = store.carried_actions(id)?;
            app.chair = store.chair(id)?;
            app.present = store
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
            app.me = store.user().to_owned();
        }
        Screen::Report => {
            app.report = report_text(store, app, app.report_fiscal_year(), app.report_compare)?;
        }
        Screen::Minutes(id) => {
            let options = crate::minutes::Options {
                lang: app.lang,
                redact: app.minutes_redact,
            };
            // Who saw the minutes of a confidential meeting is a question a ward must answer.
            if app.minutes_seen != Some((id, app.minutes_redact)) {
                store.audit(
                    "view_minutes",
                    Some(id),
                    if app.minutes_redact { "redacted" } else { "" },
                )?;
                app.minutes_seen = Some((id, app.minutes_redact));
            }
            app.minutes = match store.minutes_input(id)? {
                Some(input) => crate::minutes::render(&input, &options),
                None => String::new(),
            };
        }
        Screen::Actions => {
            let mut actions = store.open_actions()?;
            // Overdue first, then by agency and due date.
            fn key(
                a: &crate::store::ActionRow,
                today: chrono::NaiveDate,
            ) -> (bool, Option<&str>, Option<chrono::NaiveDate>) {
                (a.due.is_none_or(|d| d >= today), a.agency.as_deref(), a.due)
            }
            actions.sort_by(|(a, _, _), (b, _, _)| key(a, today).cmp(&key(b, today)));
            app.actions = actions;
        }
    }
    Ok(())
}

/// Performs one command on the store; every capture is committed before this returns.
fn perform(app: &mut App, store: &mut Store, command: &Command) {
    if let Command::ExportMinutes {
        meeting,
        redact,
        dir,
    } = command
    {
        match export_minutes(store, app.lang, *meeting, *redact, dir) {
            Ok(path) => {
                app.status = Some((
                    false,
                    format!("{}: {}", words::tr(app.lang, "written"), path.display()),
                ))
            }
            Err(e) => app.failed(e.to_string()),
        }
        return;
    }
    if let Command::ExportReport {
        fiscal_year,
        compare,
        dir,
    } = command
    {
        match export_report(store, app, *fiscal_year, *compare, dir) {
            Ok(path) => {
                app.status = Some((
                    false,
                    format!("{}: {}", words::tr(app.lang, "written"), path.display()),
                ));
            }
            Err(e) => app.failed(e.to_string()),
        }
        return;
    }
    match execute(store, command) {
        Ok(created) => app.performed(command, created),
        Err(crate::store::StoreError::NotChair { chair }) => {
            app.status = Some((
                true,
                words::tr(app.lang, "not_chair").replace("{chair}", &chair),
            ));
        }
        Err(crate::store::StoreError::Conflict { current }) => {
            app.status = Some((
                true,
                words::tr(app.lang, "conflict").replace("{current}", &current),
            ));
            app.dirty = true;
        }
        Err(e) => app.failed(e.to_string()),
    }
}

/// The annual report of the year on screen (and the year before, when compared), as Markdown.
fn report_text(store: &Store, app: &App, year: i32, compare: bool) -> Result<String> {
    let mut options = crate::report::Options::new(app.lang, year, app.today());
    if compare {
        options.compare = vec![year - 1];
    }
    let input = store.report_input(&options.years())?;
    crate::report::check_scope(&input, &options).map_err(anyhow::Error::msg)?;
    Ok(crate::report::markdown::render(&crate::report::build(
        &input, &options,
    )))
}

/// Writes the annual report as Markdown into `dir`, owner-only, and logs it.
fn export_report(
    store: &Store,
    app: &App,
    year: i32,
    compare: bool,
    dir: &std::path::Path,
) -> Result<std::path::PathBuf> {
    let text = report_text(store, app, year, compare)?;
    let path = dir.join(format!(
        "report-{year}{}.md",
        if compare { "-compare" } else { "" }
    ));
    crate::store::write_private(&path, text.as_bytes())?;
    store.audit("export_report", None, &path.display().to_string())?;
    Ok(path)
}

/// Writes the minutes as Markdown into `dir` (where renkei was started), owner-only.
fn export_minutes(
    store: &Store,
    lang: crate::i18n::Lang,
    meeting: i64,
    redact: bool,
    dir: &std::path::Path,
) -> Result<std::path::PathBuf> {
    let input = store
        .minutes_input(meeting)?
        .ok_or_else(|| anyhow::anyhow!("{} #{meeting}", words::tr(lang, "meeting_not_found")))?;
    let text = crate::minutes::render(&input, &crate::minutes::Options { lang, redact });
    let suffix = if redact { "-redacted" } else { "" };
    let name = format!("minutes-{}-{meeting}{suffix}.md", input.meeting.date);
    let path = dir.join(name);
    crate::store::write_private(&path, text.as_bytes())?;
    store.audit(
        "export_minutes",
        Some(meeting),
        &format!(
            "{}{}",
            path.display(),
            if redact { " (redacted)" } else { "" }
        ),
    )?;
    Ok(path)
}

fn execute(store: &mut Store, command: &Command) -> crate::store::Result<Option<i64>> {
    Ok(match command {
        Command::Schedule { meeting, begin } => {
            let id = store.schedule_meeting(meeting)?;
            store.prepare_agenda(id)?;
            if *begin {
                store.start_meeting(id)?;
            }
            Some(id)
        }
        Command::OpenSetup(id) => {
            store.prepare_agenda(*id)?;
            Some(*id)
        }
        Command::Begin(id) => {
            store.prepare_agenda(*id)?;
            store.start_meeting(*id)?;
            None
        }
        Command::Step { meeting, delta } => store.step_agenda(*meeting, *delta)?,
        Command::End(id) => {
            store.end_meeting(*id)?;
            None
        }
        Command::AddAttendee {
            meeting,
            agency,
            name,
            title,
            role,
            attendance,
        } => Some(store.add_attendee(
            *meeting,
            agency.as_deref(),
            name,
            title,
            *role,
            *attendance,
        )?),
        Command::UpdateAttendee {
            id,
            agency,
            name,
            title,
            role,
            attendance,
        } => {
            store.update_attendee(*id, agency.as_deref(), name, title, *role, *attendance)?;
            None
        }
        Command::SetAttendance { id, attendance } => {
            store.set_attendance(*id, *attendance)?;
            None
        }
        Command::AddItem {
            meeting,
            title,
            minutes,
        } => Some(store.add_agenda_item(*meeting, title, *minutes)?),
        Command::UpdateItem { id, title, minutes } => {
            store.update_agenda_item(*id, title, *minutes)?;
            None
        }
        Command::MoveItem { id, delta } => {
            store.move_agenda_item(*id, *delta)?;
            None
        }
        Command::AddEntry { item, kind, text } => Some(store.add_entry(*item, *kind, text)?),
        Command::EditText {
            entity,
            id,
            expected,
            text,
        } => {
            store.edit_text(*entity, *id, expected.as_deref(), text)?;
            None
        }
        Command::AddRole {
            meeting,
            agency,
            text,
        } => Some(store.add_role(*meeting, agency.as_deref(), text)?),
        Command::UpdateRole {
            id,
            agency,
            expected,
            text,
        } => {
            store.update_role(*id, agency.as_deref(), expected.as_deref(), text)?;
            None
        }
        Command::AddAction {
            meeting,
            agency,
            text,
            due,
        } => Some(store.add_action(*meeting, agency.as_deref(), text, *due)?),
        Command::UpdateAction {
            id,
            agency,
            expected,
            text,
            due,
        } => {
            store.update_action(*id, agency.as_deref(), expected.as_deref(), text, *due)?;
            None
        }
        Command::AddIssue { meeting, category } => Some(store.add_case_issue(*meeting, category)?),
        Command::SetCase { meeting, fields } => {
            store.set_case_fields(*meeting, fields)?;
            None
        }
        Command::Remove { entity, id } => {
            store.remove(*entity, *id)?;
            None
        }
        Command::SetActionStatus {
            id,
            status,
            in_meeting,
        } => {
            store.close_action(*id, *status, *in_meeting)?;
            None
        }
        Command::ApproveMinutes(id) => {
            store.approve_minutes(*id)?;
            store.audit("approve_minutes", Some(*id), "")?;
            None
        }
        Command::ExportMinutes { .. } | Command::ExportReport { .. } => None,
        Command::TakeChair(id) => {
            store.take_chair(*id)?;
            None
        }
    })
}
