//! The runner: the one place the TUI changes the store. An event goes through the app's pure
//! update; the runner performs the commands it returns (each committed before the next), reports
//! each outcome back to the app (and so to the screen that asked), and has the top screen read
//! again what it shows when anything changed.

use anyhow::Result;
use crossterm::event::Event;
use std::path::{Path, PathBuf};

use super::app::App;
use super::command::{Command, Outcome};
use super::screens::{Confirm, Overlay, ScreenId, report};
use super::words;
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::{Store, StoreError};

/// On start, a meeting left open (a killed process, a dropped connection) is offered for resuming.
pub fn start(app: &mut App, store: &mut Store) {
    app.ctx.now = store.now();
    if let Ok(live) = store.live_meetings() {
        if let Some(&id) = live.first() {
            app.ctx.overlay = Overlay::Confirm(Confirm {
                question: "confirm_resume",
                commands: Vec::new(),
                open: Some(ScreenId::Live(id)),
            });
        }
    }
    refresh(app, store);
}

/// One event through the whole app: update, perform the commands, reload.
pub fn handle(app: &mut App, store: &mut Store, event: &Event) {
    app.ctx.now = store.now();
    for command in app.handle_event(event) {
        perform(app, store, &command);
    }
    refresh(app, store);
}

/// One action through the whole app (for tests and scripted use).
pub fn dispatch(app: &mut App, store: &mut Store, action: Action) {
    app.ctx.now = store.now();
    for command in app.update(action) {
        perform(app, store, &command);
    }
    refresh(app, store);
}

/// Reads again what the top screen shows, when something changed.
pub fn refresh(app: &mut App, store: &Store) {
    if !app.ctx.dirty {
        return;
    }
    app.ctx.dirty = false;
    if let Err(e) = app.load(store) {
        app.ctx.failed(e.to_string());
    }
}

/// Performs one command on the store (every capture is committed before this returns) and
/// tells the app what became of it.
fn perform(app: &mut App, store: &mut Store, command: &Command) {
    let outcome = outcome(store, app.ctx.lang, app.today(), command);
    app.performed(command, &outcome);
}

fn outcome(store: &mut Store, lang: Lang, today: chrono::NaiveDate, command: &Command) -> Outcome {
    let written = match command {
        Command::ExportMinutes {
            meeting,
            redact,
            dir,
        } => Some(export_minutes(store, lang, *meeting, *redact, dir)),
        Command::ExportReport {
            fiscal_year,
            compare,
            dir,
        } => Some(export_report(
            store,
            lang,
            today,
            *fiscal_year,
            *compare,
            dir,
        )),
        _ => None,
    };
    if let Some(written) = written {
        return match written {
            Ok(path) => Outcome::Written(path),
            Err(e) => Outcome::Failed(e.to_string()),
        };
    }
    match execute(store, command) {
        Ok(created) => Outcome::Done(created),
        Err(StoreError::NotChair { chair }) => Outcome::NotChair { chair },
        Err(StoreError::Conflict { current }) => Outcome::Conflict { current },
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// Writes the annual report as Markdown into `dir`, owner-only, and logs it.
fn export_report(
    store: &Store,
    lang: Lang,
    today: chrono::NaiveDate,
    year: i32,
    compare: bool,
    dir: &Path,
) -> Result<PathBuf> {
    let text = report::text(store, lang, today, year, compare)?;
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
    lang: Lang,
    meeting: i64,
    redact: bool,
    dir: &Path,
) -> Result<PathBuf> {
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
