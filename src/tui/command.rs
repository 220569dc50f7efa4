//! What a screen asks of the store: its update returns [`Command`]s, the runner
//! (`tui::runner`) performs each (committed before the next key) and reports the [`Outcome`]
//! back to the screen that asked, which may move on, or keep its place and say what went wrong.

use chrono::NaiveDate;
use std::path::PathBuf;

use crate::config::ExportFormat;
use crate::domain::model::{ActionStatus, Attendance, EntryKind, Role};
use crate::i18n::Lang;
use crate::store::capture::{CaseFields, Entity, NewMeeting};
use crate::store::drafts::FormDraft;
use crate::store::setup::RecordFields;

pub use super::case_command::CaseCommand;

/// What the runner does to the store.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Schedule {
        meeting: NewMeeting,
        begin: bool,
    },
    /// `n` on a body: a meeting of it today from now — or, when one of the body's meetings is
    /// running already today (a colleague began it, or this user in a terminal lost with its
    /// SSH link), or a colleague set one up for now and has not begun it, that one
    /// ([`Outcome::Joined`], `Store::hold_now`): never a second meeting of one sitting.
    HoldNow(NewMeeting),
    OpenSetup(i64),
    Begin(i64),
    /// Begin a meeting planned for another day on today's date, from now.
    BeginToday(i64),
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
    /// Place, legal basis, supervisor, referring agency, handouts, remaining issues, next date;
    /// `loaded`: what the form opened on (only the fields typed differently are written, and a
    /// field someone else changed meanwhile is refused unless `over`: the user was told).
    SetRecord {
        meeting: i64,
        fields: RecordFields,
        loaded: Option<RecordFields>,
        over: bool,
    },
    /// The attendees of the body's last meeting into this one (done: the number added).
    CopyRoster(i64),
    /// A carried action continued at a meeting with a new due date and a note on its progress.
    ContinueAction {
        id: i64,
        in_meeting: Option<i64>,
        due: Option<NaiveDate>,
        note: String,
        /// The action's status (its code) when the form opened: a colleague's closing since
        /// is not undone unseen.
        seen: Option<String>,
    },
    Remove {
        entity: Entity,
        id: i64,
    },
    /// `u`: a capture of this session taken back — refused when someone changed it since.
    TakeBack {
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
        dir: PathBuf,
        format: ExportFormat,
    },
    /// The minutes put on the clipboard: logged first (who copied which minutes, redacted or
    /// not); the screen sends them once the log has them.
    CopyMinutes {
        meeting: i64,
        redact: bool,
    },
    TakeChair(i64),
    ExportReport {
        fiscal_year: i32,
        compare: bool,
        dir: PathBuf,
        format: ExportFormat,
    },
    /// The open next actions, as an Excel workbook.
    ExportActions {
        dir: PathBuf,
    },
    ApproveMinutes(i64),
    /// A change of a case (the case screens, a meeting's case panel).
    Case(CaseCommand),
    /// Writes the ledger of cases (進行管理台帳) as an Excel workbook or a CSV (in `encoding`) into
    /// `dir`: the cases of `show` that `cases` names (those the screen shows), in the ledger's
    /// order.
    ExportLedger {
        show: crate::store::cases::LedgerFilter,
        cases: Vec<i64>,
        dir: PathBuf,
        format: crate::config::ExportFormat,
        encoding: crate::report::csv::CsvEncoding,
        /// Names in the free text replaced (`R`), as in the case records.
        redact: bool,
    },
    /// Writes a case record (経過記録) as Markdown into `dir`, redacted or not.
    ExportCase {
        case: i64,
        redact: bool,
        dir: PathBuf,
    },
    /// What is typed in a form, kept as a draft or let go (`store::drafts`).
    Draft(DraftCommand),
}

/// A form's draft (`store::drafts::FormDraft`): kept as the typing pauses and before the form is
/// saved; let go once it is saved or left with Esc.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftCommand {
    Keep(FormDraft),
    /// Let go (Esc).
    Forget(String),
    /// The commands after this one save the form: its draft goes in the same commit as they
    /// write (`Store::saving_form`), and stays if they are refused.
    Saving(String),
}

impl Command {
    /// Whether the command only keeps or lets go of what is typed (a draft): its failure is
    /// said, but reopens no form and stops nothing else.
    pub fn is_draft(&self) -> bool {
        matches!(
            self,
            Command::Draft(_) | Command::Case(CaseCommand::KeepDraft(_))
        )
    }

    /// What `u` takes back after this command created something.
    pub fn undoable(&self) -> Option<Entity> {
        match self {
            Command::AddEntry { .. } => Some(Entity::Entry),
            Command::AddRole { .. } => Some(Entity::Role),
            Command::AddAction { .. } => Some(Entity::Action),
            Command::AddIssue { .. } => Some(Entity::CaseIssue),
            Command::AddAttendee { .. } => Some(Entity::Attendee),
            Command::AddItem { .. } => Some(Entity::AgendaItem),
            _ => None,
        }
    }

    /// Whether the command carries a status its form saw (a carried action's, a case's
    /// consent) rather than a text: on a conflict the form opens again at the status there is
    /// now, and is sent over it with the next Enter.
    pub fn guards_a_status(&self) -> bool {
        matches!(
            self,
            Command::ContinueAction { .. }
                | Command::Case(crate::tui::case_command::CaseCommand::Consent { .. })
        )
    }

    /// What the status line says of a conflict: a colleague's change first, `current` what the
    /// record holds now (a status's code, said by its label).
    pub fn conflict_said(&self, current: &str, lang: Lang) -> String {
        use crate::tui::words::tr;
        match self {
            // A carried action a colleague closed (or continued) meanwhile.
            Command::ContinueAction { .. } => {
                let status = current
                    .parse::<ActionStatus>()
                    .map(|s| lang.pick(s.label_ja(), s.code()).to_owned())
                    .unwrap_or_else(|_| current.to_owned());
                tr(lang, "continue_conflict").replace("{status}", &status)
            }
            // A case's consent a colleague recorded meanwhile.
            Command::Case(crate::tui::case_command::CaseCommand::Consent { .. }) => {
                let consent = current
                    .parse::<crate::domain::case::Consent>()
                    .map(|c| c.label(lang).to_owned())
                    .unwrap_or_else(|_| current.to_owned());
                tr(lang, "consent_conflict").replace("{consent}", &consent)
            }
            _ => tr(lang, "conflict").replace("{current}", current),
        }
    }

    /// The text a correction would store (what `expected` guards).
    pub fn edited_text(&self) -> Option<&str> {
        match self {
            Command::EditText { text, .. }
            | Command::UpdateRole { text, .. }
            | Command::UpdateAction { text, .. } => Some(text),
            _ => None,
        }
    }

    /// What a capture was, for the status line when `u` takes it back: メモ「…」.
    pub fn describe(&self, lang: Lang) -> String {
        let (ja, en, text) = match self {
            Command::AddEntry {
                kind: EntryKind::Note,
                text,
                ..
            } => ("メモ", "note", text.as_str()),
            Command::AddEntry { text, .. } => ("決定事項", "decision", text.as_str()),
            Command::AddRole { text, .. } => ("役割分担", "role assignment", text.as_str()),
            Command::AddAction { text, .. } => ("次回までの対応", "next action", text.as_str()),
            Command::AddIssue { category, .. } => ("課題", "case issue", category.as_str()),
            Command::AddAttendee { name, agency, .. } => (
                "出席者",
                "attendee",
                if name.is_empty() {
                    agency.as_deref().unwrap_or("")
                } else {
                    name.as_str()
                },
            ),
            Command::AddItem { title, .. } => ("議題", "agenda item", title.as_str()),
            _ => ("", "", ""),
        };
        let text = crate::text::truncate(&crate::text::inert(text), 24);
        match lang {
            Lang::Ja => format!("{ja}「{text}」"),
            Lang::En => format!("{en} \"{text}\""),
        }
    }

    /// A change of what is recorded that creates nothing: the status line says it is saved.
    pub fn saves(&self) -> bool {
        matches!(
            self,
            Command::UpdateAttendee { .. }
                | Command::UpdateItem { .. }
                | Command::EditText { .. }
                | Command::UpdateRole { .. }
                | Command::UpdateAction { .. }
                | Command::SetCase { .. }
                | Command::SetRecord { .. }
                | Command::ContinueAction { .. }
        )
    }
}

/// A capture of this session that `u` can take back, and what it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    pub entity: Entity,
    pub id: i64,
    /// メモ「…」, for the status line.
    pub what: String,
}

/// How far a command made of several writes got before one of them found the write lock taken:
/// it is tried again from there, never redoing a write already committed (a second meeting, a
/// second approval).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// How many of its writes are committed.
    pub steps: u32,
    /// What the first of them created.
    pub created: Option<i64>,
}

/// What became of a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Done and committed; the id of what it created, if it created something (for
    /// [`Command::CopyRoster`]: how many attendees it added).
    Done(Option<i64>),
    /// A file written (an export).
    Written(PathBuf),
    /// Refused: someone else holds the chair of the meeting.
    NotChair { chair: String },
    /// Refused: the text was changed meanwhile by someone else (this is it now).
    Conflict { current: String },
    /// It failed; nothing was changed: why, and the field it is about when the refusal names
    /// one (the store's name for it: `next_review`).
    Failed {
        why: String,
        field: Option<&'static str>,
    },
    /// Nothing made: the meeting of the same sitting is the one to go on with
    /// ([`Command::HoldNow`]): running (`begun`), or set up and not begun.
    Joined { id: i64, begun: bool },
}

impl Outcome {
    /// A failure that names no field.
    pub fn failed(why: impl Into<String>) -> Outcome {
        Outcome::Failed {
            why: why.into(),
            field: None,
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(
            self,
            Outcome::Done(_) | Outcome::Written(_) | Outcome::Joined { .. }
        )
    }
}
