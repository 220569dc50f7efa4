//! The runner: the one place the TUI changes the store. An event goes through the app's pure
//! update; the runner performs the commands it returns (each committed before the next), reports
//! each outcome back to the app (and so to the screen that asked), and has the top screen read
//! again what it shows when anything changed.
//!
//! Another process may hold the write lock (an import of years of meetings). On a real terminal
//! a write waits only briefly ([`PATIENCE`]); one that finds the lock still taken stays at the
//! front of the app's queue with everything after it, the screen says that it waits, and
//! [`resume`] tries it again on every tick until the store takes it. What is typed meanwhile is
//! held and handled, in order, after it: two captures are never reordered, and nothing typed is
//! dropped.

use anyhow::Result;
use crossterm::event::Event;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::app::{App, Held};
use super::command::{Command, DraftCommand, Outcome, Progress};
use super::screens::{Confirm, Overlay, ScreenId, report};
use super::words;
use crate::config::ExportFormat;
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::{Store, StoreError};

/// How long one try of a write waits for another process's lock before the screen is drawn
/// again (and says that it waits): long enough for another capture's commit, short enough that
/// the screen keeps answering.
pub const PATIENCE: Duration = Duration::from_millis(100);

/// On start, a meeting left open (a killed process, a dropped connection) is offered for resuming.
pub fn start(app: &mut App, store: &mut Store) {
    app.ctx.now = store.now();
    if let Ok(live) = store.live_meetings()
        && let Some(&id) = live.first()
    {
        let subject = store
            .live_meeting(id)
            .ok()
            .flatten()
            .map(|m| resumed(&m, app.ctx.lang));
        app.ctx.overlay = Overlay::Confirm(Confirm {
            question: "confirm_resume",
            subject,
            detail: Vec::new(),
            commands: Vec::new(),
            open: Some(ScreenId::Live(id)),
        });
    }
    refresh(app, store);
}

/// The meeting a resume question names: its body, date, start, the item it stopped at.
fn resumed(m: &crate::store::LiveMeeting, lang: Lang) -> String {
    let date = match lang {
        Lang::Ja => crate::domain::calendar::format_wareki(m.date),
        Lang::En => crate::domain::calendar::format_date_en(m.date),
    };
    let start = m.start.as_deref().unwrap_or("");
    let mut text = format!("{} {date} {start} (#{})", m.body, m.id);
    if let Some(item) = m.current() {
        text.push_str(&format!(" - {}", item.title));
    }
    text
}

/// How many times the end of the app tries a write that finds another process's lock taken
/// (each try waits `PATIENCE`): a couple of seconds, then the process ends all the same.
const CLOSING_TRIES: usize = 20;

/// The app ends: a form still open is left as with Esc, so that what its screen keeps of it
/// is stored (a review's draft) before the process goes; and what was already sent and waits
/// for another process's lock (a capture, a review entered) is written too, if the lock frees
/// within the tries.
pub fn close(app: &mut App, store: &mut Store) {
    let commands = app.closing();
    app.enqueue(commands);
    for _ in 0..CLOSING_TRIES {
        if !app.pending() {
            break;
        }
        drain(app, store);
    }
}

/// One event through the whole app: update, perform the commands, reload. While a command
/// waits for the lock, the event is held for after it.
pub fn handle(app: &mut App, store: &mut Store, event: &Event) {
    take(app, store, Held::Event(event.clone()));
}

/// Characters typed together into a text ([`App::type_text`]), held as an event is.
pub fn type_text(app: &mut App, store: &mut Store, text: &str) {
    take(app, store, Held::Typed(text.to_owned()));
}

/// One action through the whole app (for tests and scripted use), held as an event is.
pub fn dispatch(app: &mut App, store: &mut Store, action: Action) {
    take(app, store, Held::Action(action));
}

fn take(app: &mut App, store: &mut Store, input: Held) {
    app.ctx.now = store.now();
    if app.pending() {
        app.hold(input);
        return;
    }
    update(app, input);
    drain(app, store);
    refresh(app, store);
}

/// The pure update of one event or action; its commands join the queue.
fn update(app: &mut App, input: Held) {
    let commands = match input {
        Held::Event(event) => app.handle_event(&event),
        Held::Action(action) => app.update(action),
        Held::Typed(text) => app.type_text(&text),
    };
    app.enqueue(commands);
}

/// On every tick: the command that waited for the lock is tried again, then what was typed
/// meanwhile is handled. Whether anything still waits.
pub fn resume(app: &mut App, store: &mut Store) -> bool {
    if app.pending() {
        app.ctx.now = store.now();
        drain(app, store);
        refresh(app, store);
    }
    app.pending()
}

/// Performs the queued commands in order, each committed before the next, and then what was
/// held; stops at a command that finds the write lock still taken (it stays, to be tried again).
fn drain(app: &mut App, store: &mut Store) {
    loop {
        while let Some(queued) = app.front() {
            let mut progress = queued.progress;
            let command = queued.command.clone();
            let result = outcome(store, app.ctx.lang, app.today(), &command, &mut progress);
            match result {
                Err(Waiting) => {
                    app.wait(progress);
                    return;
                }
                Ok(outcome) => app.performed(&outcome),
            }
        }
        app.settled();
        match app.take_held() {
            Some(input) => update(app, input),
            None => return,
        }
    }
}

/// Reads again what the top screen shows, when something changed; then what is kept of the
/// user's typing comes back where it belongs ([`drafts`]).
pub fn refresh(app: &mut App, store: &Store) {
    let loaded = !app.ctx.dirty || reload(app, store);
    drafts(app, store);
    // A draft its screen reopened may ask for a read first (a form whose choices are read as
    // it opens: the ledger's new case): then the draft goes into that form.
    if loaded && app.ctx.dirty && reload(app, store) {
        drafts(app, store);
    }
}

/// Reads the top screen again; whether it was read.
fn reload(app: &mut App, store: &Store) -> bool {
    app.ctx.dirty = false;
    let Err(e) = app.load(store) else {
        return true;
    };
    if is_busy(&e) {
        // A write the screen makes as it reads (the log of who viewed the minutes) waits for
        // the lock: read again on the next tick.
        app.ctx.dirty = true;
        app.ctx.info("waiting_lock");
    } else {
        app.ctx.failed(e.to_string());
    }
    false
}

/// The user's kept form drafts (`store::drafts::FormDraft`: typed when renkei was killed, or
/// left by a save that failed): a screen come up reopens its own form that has one, and a form
/// that opens is filled from its draft. A draft that cannot be read now is looked for again
/// when the form opens again; nothing typed is lost to it.
fn drafts(app: &mut App, store: &Store) {
    if app.offer_drafts()
        && let Ok(kept) = store.form_drafts()
        && !kept.is_empty()
    {
        app.reopen_draft(&kept);
    }
    if let Some(name) = app.draft_to_look_for()
        && let Ok(Some(draft)) = store.form_draft(&name)
    {
        app.restore_draft(&draft);
    }
}

/// The typing paused (the event loop's idle tick, [`super::PAUSE`] after the last key): what is
/// typed in the open form and not kept yet is written as its draft.
pub fn pause(app: &mut App, store: &mut Store) {
    let commands = app.pause();
    if commands.is_empty() {
        return;
    }
    app.ctx.now = store.now();
    app.enqueue(commands);
    drain(app, store);
    refresh(app, store);
}

/// The command found another process's write lock taken and waited as long as it may: nothing
/// of it beyond `Progress` was written.
struct Waiting;

fn is_busy(e: &anyhow::Error) -> bool {
    e.downcast_ref::<StoreError>()
        .is_some_and(StoreError::is_busy)
}

fn outcome(
    store: &mut Store,
    lang: Lang,
    today: chrono::NaiveDate,
    command: &Command,
    progress: &mut Progress,
) -> Result<Outcome, Waiting> {
    let written = match command {
        Command::ExportMinutes {
            meeting,
            redact,
            dir,
            format,
        } => Some(export_minutes(store, lang, *meeting, *redact, dir, *format)),
        Command::ExportReport {
            fiscal_year,
            compare,
            dir,
            format,
        } => Some(export_report(
            store,
            lang,
            today,
            (*fiscal_year, *compare),
            dir,
            *format,
        )),
        Command::ExportActions { dir } => Some(export_actions(store, lang, today, dir)),
        Command::ExportCase { case, redact, dir } => Some(super::case_command::export_case(
            store, lang, *case, *redact, dir,
        )),
        Command::ExportLedger {
            show,
            cases,
            dir,
            format,
            encoding,
            redact,
        } => Some(super::case_command::export_ledger(
            store,
            lang,
            (*show, cases, *redact),
            dir,
            *format,
            *encoding,
        )),
        _ => None,
    };
    if let Some(written) = written {
        return match written {
            Ok(path) => Ok(Outcome::Written(path)),
            Err(e) if is_busy(&e) => Err(Waiting),
            Err(e) => Ok(failed(&e, store, lang)),
        };
    }
    // `n` on a body whose meeting runs already: that one, never a second of one sitting.
    if let Command::HoldNow(meeting) = command
        && progress.created.is_none()
    {
        // The look and the making in one write: two `n` at one moment make one meeting.
        match store.hold_now(meeting) {
            Ok((id, Some(begun))) => return Ok(Outcome::Joined { id, begun }),
            Ok((id, None)) => progress.created = Some(id),
            Err(e) if e.is_busy() => return Err(Waiting),
            Err(e) => return Ok(failed(&e.into(), store, lang)),
        }
    }
    let result = execute(store, command, progress);
    if !command.is_draft() && !matches!(&result, Err(e) if e.is_busy()) {
        // The form its draft went with is saved, or refused (its draft stays): either way the
        // next writes save no form.
        store.saving_form(None);
    }
    match result {
        Ok(created) => Ok(Outcome::Done(created)),
        Err(e) if e.is_busy() => Err(Waiting),
        Err(StoreError::NotChair { chair }) => Ok(Outcome::NotChair { chair }),
        Err(StoreError::Conflict { current }) => Ok(Outcome::Conflict { current }),
        Err(e) => Ok(failed(&e.into(), store, lang)),
    }
}

/// A failure as the screen says it: a full disk or a refused file in the screen's language,
/// naming the file (see `store::explain`), a message of the catalogue (a refusal: a meeting
/// full, a text too long, a review without its reason) in the screen's language too, not the
/// process's; anything else as it is.
fn said(e: &anyhow::Error, store: &Store, lang: Lang) -> String {
    if let Some(text) = crate::store::explain(e, store.path(), lang) {
        return text;
    }
    match catalogued(e) {
        Some(msg) => msg.render(lang),
        None => e.to_string(),
    }
}

/// The failure as the screen says it ([`said`]), with the field the refusal is about when it
/// names one: the form it came from opens again with the cursor there.
fn failed(e: &anyhow::Error, store: &Store, lang: Lang) -> Outcome {
    Outcome::Failed {
        why: said(e, store, lang),
        field: catalogued(e).and_then(|msg| msg.field),
    }
}

/// The message of the catalogue a failure is, if it is one.
fn catalogued(e: &anyhow::Error) -> Option<&crate::i18n::Msg> {
    e.chain()
        .find_map(|cause| match cause.downcast_ref::<StoreError>() {
            Some(StoreError::Said(msg)) => Some(msg),
            _ => cause.downcast_ref::<crate::i18n::Msg>(),
        })
}

/// Writes the annual report of (year, with the year before beside it) into `dir` as Markdown
/// or an Excel workbook, owner-only, and logs it.
fn export_report(
    store: &Store,
    lang: Lang,
    today: chrono::NaiveDate,
    (year, compare): (i32, bool),
    dir: &Path,
    format: ExportFormat,
) -> Result<PathBuf> {
    let built = report::built(store, lang, today, year, compare)?;
    // Markdown, unless Excel is asked for (the report has no Word form).
    let (bytes, extension) = match format {
        ExportFormat::Xlsx => {
            let sheets = crate::report::xlsx::sheets(&built);
            let bytes = crate::office::xlsx::workbook(&sheets, store.now().naive_utc())?;
            (bytes, "xlsx")
        }
        ExportFormat::Md | ExportFormat::Docx | ExportFormat::Csv => {
            (crate::report::markdown::render(&built).into_bytes(), "md")
        }
    };
    let compared = if compare { "-compare" } else { "" };
    let path = dir.join(format!("report-{year}{compared}.{extension}"));
    crate::store::write_private(&path, &bytes)?;
    super::case_command::audit_written(
        store,
        lang,
        &path,
        "export_report",
        None,
        &path.display().to_string(),
    )?;
    Ok(path)
}

/// Writes the minutes into `dir` (where renkei was started) as Markdown or a Word document,
/// owner-only, and logs it.
fn export_minutes(
    store: &Store,
    lang: Lang,
    meeting: i64,
    redact: bool,
    dir: &Path,
    format: ExportFormat,
) -> Result<PathBuf> {
    let input = store
        .minutes_input_as(meeting, redact)?
        .ok_or_else(|| anyhow::anyhow!("{} #{meeting}", words::tr(lang, "meeting_not_found")))?;
    let options = crate::minutes::Options { lang, redact };
    // Markdown, unless Word is asked for (minutes have no Excel form).
    let (bytes, extension) = match format {
        ExportFormat::Docx => {
            let document = if redact {
                crate::minutes::redacted_document(&input, lang).0
            } else {
                crate::minutes::document(&input, &options)
            };
            let bytes = crate::office::docx::document(&document, store.now())
                .map_err(anyhow::Error::msg)?;
            (bytes, "docx")
        }
        ExportFormat::Md | ExportFormat::Xlsx | ExportFormat::Csv => {
            (crate::minutes::render(&input, &options).into_bytes(), "md")
        }
    };
    let suffix = if redact { "-redacted" } else { "" };
    let name = format!(
        "minutes-{}-{meeting}{suffix}.{extension}",
        input.meeting.date
    );
    let path = dir.join(name);
    crate::store::write_private(&path, &bytes)?;
    super::case_command::audit_written(
        store,
        lang,
        &path,
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

/// Writes the open next actions into `dir` as an Excel workbook, owner-only, and logs it.
fn export_actions(
    store: &Store,
    lang: Lang,
    today: chrono::NaiveDate,
    dir: &Path,
) -> Result<PathBuf> {
    use crate::report::actions::{cells, sheet};
    let path = dir.join(format!("actions-{}.xlsx", today.format("%Y-%m-%d")));
    {
        // Each open action read as it is written, twice (the columns measured, then written),
        // in one read snapshot: a city's 200 000 open actions are never held (as `renkei
        // actions --open --format xlsx` writes them).
        let _snapshot = store.read_snapshot()?;
        // A city's: each action's ward in a column of its own (attack report 7, finding 18).
        let wards = store.ward_labels()?;
        let list = sheet(lang, wards.several());
        let now = store.now().naive_utc();
        crate::store::write_private_as(&path, |w| {
            crate::office::xlsx::write_list(
                &list,
                &mut |row| {
                    store.each_action(None, None, true, &mut |r| {
                        row(&cells(
                            &r,
                            today,
                            lang,
                            wards.column(r.ward_id, lang).as_deref(),
                        ))
                    })
                },
                now,
                w,
            )
        })?;
    }
    super::case_command::audit_written(
        store,
        lang,
        &path,
        "export_actions",
        None,
        &path.display().to_string(),
    )?;
    Ok(path)
}

/// Performs one command. A command of several writes records in `progress` each one committed,
/// so that when a later one finds the lock taken, trying again does not repeat it.
fn execute(
    store: &mut Store,
    command: &Command,
    progress: &mut Progress,
) -> crate::store::Result<Option<i64>> {
    Ok(match command {
        Command::HoldNow(meeting) | Command::Schedule { meeting, .. } => {
            let begin = matches!(command, Command::Schedule { begin: true, .. });
            let id = match progress.created {
                Some(id) => id,
                None => {
                    let id = store.schedule_meeting(meeting)?;
                    progress.created = Some(id);
                    id
                }
            };
            // Giving it an agenda and opening it can be done again without harm.
            store.prepare_agenda(id)?;
            if begin {
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
        Command::BeginToday(id) => {
            store.prepare_agenda(*id)?;
            store.start_meeting_today(*id)?;
            None
        }
        Command::Step { meeting, delta } => store.step_agenda(*meeting, *delta)?,
        // How many seconds the clock was behind the meeting's start, when it was.
        Command::End(id) => Some(store.end_meeting(*id)?).filter(|behind| *behind > 0),
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
        Command::SetRecord {
            meeting,
            fields,
            loaded,
            over,
        } => {
            store.set_record_fields_over(*meeting, fields, loaded.as_ref(), *over)?;
            None
        }
        Command::CopyRoster(id) => Some(store.copy_roster(*id)? as i64),
        Command::ContinueAction {
            id,
            in_meeting,
            due,
            note,
            seen,
        } => Some(store.continue_action_seen(*id, *in_meeting, *due, note, seen.as_deref())?),
        Command::Remove { entity, id } => {
            store.remove(*entity, *id)?;
            None
        }
        Command::TakeBack { entity, id } => {
            store.take_back(*entity, *id)?;
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
            if progress.steps == 0 {
                store.approve_minutes(*id)?;
                progress.steps = 1;
            }
            store.audit("approve_minutes", Some(*id), "")?;
            None
        }
        Command::CopyMinutes { meeting, redact } => {
            let detail = if *redact { "redacted" } else { "" };
            store.audit("copy_minutes", Some(*meeting), detail)?;
            None
        }
        Command::ExportMinutes { .. }
        | Command::ExportReport { .. }
        | Command::ExportActions { .. }
        | Command::ExportCase { .. }
        | Command::ExportLedger { .. } => None,
        Command::Case(change) => change.perform(store)?,
        Command::Draft(DraftCommand::Keep(draft)) => {
            store.keep_form_draft(draft)?;
            None
        }
        Command::Draft(DraftCommand::Forget(form)) => {
            store.forget_form_draft(form)?;
            None
        }
        Command::Draft(DraftCommand::Saving(form)) => {
            store.saving_form(Some(form.clone()));
            None
        }
        Command::TakeChair(id) => {
            store.take_chair(*id)?;
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::testing::Demo;

    fn count(demo: &Demo, sql: &str) -> i64 {
        demo.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// A command of several writes whose later write found the lock taken is tried again from
    /// there: a meeting scheduled and then waited on is not scheduled twice, minutes approved
    /// and then waited on are not approved twice (which the store refuses).
    #[test]
    fn a_command_tried_again_does_not_repeat_what_was_committed() {
        let mut demo = Demo::new();
        let body: i64 = count(&demo, "SELECT MIN(id) FROM bodies");
        let meetings = "SELECT COUNT(*) FROM meetings";
        let before = count(&demo, meetings);
        let schedule = Command::Schedule {
            meeting: crate::store::capture::NewMeeting {
                body_id: body,
                date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                start: None,
                end: None,
                place: String::new(),
            },
            begin: true,
        };
        let mut progress = Progress::default();
        let created = execute(&mut demo.store, &schedule, &mut progress).unwrap();
        assert_eq!(progress.created, created);
        // As if opening it had waited: tried again with what was committed.
        let again = execute(&mut demo.store, &schedule, &mut progress).unwrap();
        assert_eq!(again, created);
        assert_eq!(count(&demo, meetings), before + 1);

        let held = demo.held();
        let approve = Command::ApproveMinutes(held);
        let mut progress = Progress::default();
        execute(&mut demo.store, &approve, &mut progress).unwrap();
        assert_eq!(progress.steps, 1);
        execute(&mut demo.store, &approve, &mut progress).unwrap();
        let approvals = "SELECT COUNT(*) FROM audit WHERE action = 'approve_minutes'";
        assert_eq!(count(&demo, approvals), 2, "the log is what is tried again");
        assert!(
            execute(&mut demo.store, &approve, &mut Progress::default()).is_err(),
            "approving twice is refused: the progress is what spares it"
        );
    }
}
