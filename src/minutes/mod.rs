//! Minutes (議事録): their document and redaction — pure: data in, document out.
//!
//! The store gathers a [`MinutesInput`] (`Store::minutes_input`); [`document`] lays it out as a
//! [`crate::document::Document`] in Japanese or English, optionally with every person's name
//! replaced by a stable placeholder; [`render`] writes that as CommonMark + GFM (tables, task
//! lists, strikethrough), `office::docx` as Word.

/// The escaping of typed text for Markdown (it lives with the document writer).
pub use crate::document::escape;
mod labels;
pub mod redact;
mod render;
pub mod sample;

use crate::domain::case::CaseStatus;
use crate::domain::model::ActionStatus;
use crate::i18n::Lang;
use crate::interchange::{CaseLink, ExternalId, MeetingRecord, PlanLine};

pub use labels::Duty;
pub use redact::{Person, PersonKind, RedactionReport};

/// The standing body a meeting belongs to, as far as the minutes need it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyInfo {
    pub name: String,
    pub organiser: String,
    pub kind: String,
    pub personal_info: bool,
    /// The body's ward, where the database holds several (a city's): `都島区（271021）`.
    pub ward: Option<String>,
}

/// Who approved the minutes, and when (RFC 3339).
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub at: String,
    pub by: String,
}

/// A next action of an earlier meeting of the same body that was still open when this meeting
/// took place; `status` is its state now.
#[derive(Debug, Clone, PartialEq)]
pub struct CarriedAction {
    pub id: i64,
    pub from_meeting: i64,
    pub from_date: String,
    pub agency: Option<String>,
    pub text: String,
    pub due: Option<String>,
    pub status: ActionStatus,
    pub closed_in: Option<i64>,
    pub closed_in_date: Option<String>,
    pub closed_at: Option<String>,
}

/// A carried action continued at a meeting: its new due date and a note on how it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionReview {
    pub action_id: i64,
    /// The meeting it was continued at, and its date (YYYY-MM-DD).
    pub meeting_id: Option<i64>,
    pub meeting_date: Option<String>,
    pub note: String,
    pub due_before: Option<String>,
    pub due_after: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// What the record alone does not say of how the meeting went: the carried actions continued at
/// it, and, per agenda item in the record's order, how many role assignments, next actions and
/// case issues were captured while the item ran (they are listed in their own sections).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct During {
    pub reviews: Vec<ActionReview>,
    /// The cases reviewed at the meeting (進行管理), in the order the meeting lists them.
    pub case_reviews: Vec<crate::domain::case::CaseReview>,
    /// Per agenda item.
    pub captured: Vec<Captured>,
}

/// What was captured while one agenda item ran, beyond its notes and decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Captured {
    pub roles: usize,
    pub actions: usize,
    pub issues: usize,
}

/// A change made after the minutes were approved: what, when, by whom, before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Amendment {
    pub at: String,
    pub by: String,
    pub entity: String,
    pub entity_id: i64,
    pub field: String,
    /// What the changed entry is, for readers: an action's or a note's text, an agenda item's
    /// title, an attendee's name (empty for the meeting itself).
    pub subject: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// A case the meeting discussed, as its minutes show it: what was said of it there (the basis it
/// was shared on, the situation) and the case as it stood after the meeting (its fields in
/// `link`, its plan), whatever changed since.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseAtMeeting {
    /// What the meeting's records name it by (their `case`).
    pub reference: ExternalId,
    pub pseudonym: String,
    pub link: CaseLink,
    /// The plan's lines after the meeting.
    pub plan: Vec<PlanLine>,
    /// The plan (or the policy) was revised at this meeting.
    pub revised_here: bool,
    /// The person at the centre (本人), as recorded: their letter is the pseudonym's.
    pub subject: Option<String>,
    /// The case ended at this meeting: how, when, why, and the evaluation of the plan.
    pub closure: Option<ClosureAtMeeting>,
}

/// A closure decided at a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosureAtMeeting {
    pub kind: CaseStatus,
    pub date: String,
    pub reason: String,
    pub evaluation: String,
    pub transferred_to: String,
}

/// Everything the minutes of one meeting show.
#[derive(Debug, Clone, PartialEq)]
pub struct MinutesInput {
    pub body: BodyInfo,
    pub meeting: MeetingRecord,
    pub approval: Option<Approval>,
    pub carried: Vec<CarriedAction>,
    pub amendments: Vec<Amendment>,
    /// YYYY-MM-DD when it is a date; other text is shown as it is.
    pub next_meeting: Option<String>,
    /// The Unix users who entered the notes, decisions, roles and actions, in order of their
    /// first entry (a shared database records who typed what).
    pub contributors: Vec<String>,
    /// People recorded elsewhere whose names the document may show, for redaction: those of the
    /// earlier meetings whose next actions are carried over, and the members of the households
    /// of the cases discussed. The meeting's own people are read from `meeting`.
    pub people: Vec<Person>,
    /// The continuations of carried actions and the captures under each item.
    pub during: During,
    /// The cases discussed, in order (a meeting of old may name its case only by `meeting.case`).
    pub cases: Vec<CaseAtMeeting>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub lang: Lang,
    pub redact: bool,
}

/// What a changed field is called on paper (`議事の記録`, `開催状況`), as the minutes' 修正履歴
/// names it; the audit table says its changes in the same words.
pub fn change_field(entity: &str, field: &str, lang: Lang) -> String {
    labels::field(entity, field, lang)
}

/// A changed field's coded value as a reader knows it (`deleted` 削除, `held` 開催済); `None`
/// for free text, which stands as it was written.
pub fn change_value(entity: &str, field: &str, value: &str, lang: Lang) -> Option<String> {
    labels::coded_value(entity, field, value, lang)
}

/// The minutes as Markdown.
pub fn render(input: &MinutesInput, options: &Options) -> String {
    crate::document::markdown::render(&document(input, options))
}

/// The minutes as a document (for Markdown or Word): the same sections, the same words.
pub fn document(input: &MinutesInput, options: &Options) -> crate::document::Document {
    render::document(input, options)
}

/// The redacted minutes as a document (for Word), and what the redaction did.
pub fn redacted_document(
    input: &MinutesInput,
    lang: Lang,
) -> (crate::document::Document, RedactionReport) {
    render::redacted_document(input, lang)
}

/// Redacted minutes and what the redaction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub markdown: String,
    /// The placeholders put in and how often (never the names), and what still looks like a
    /// name: show it before the minutes leave (`minutes --redact --show-replacements`, the TUI's
    /// redacted preview).
    pub report: RedactionReport,
}

/// The minutes with every name replaced (the same text as `render` with `redact: true`), and the
/// report of what was replaced and what is only warned about.
pub fn render_redacted(input: &MinutesInput, lang: Lang) -> Redacted {
    let (markdown, report) = render::render_redacted(input, lang);
    Redacted { markdown, report }
}
