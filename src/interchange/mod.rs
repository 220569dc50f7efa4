//! The interchange format `renkei/1`: plain records (no database behind them) that every importer
//! (TOML fixtures, CSV body lists and meeting books, JSON) produces, that the export writes, and
//! that the minutes renderer reads. Pure data and pure checks: nothing here touches the store.
//!
//! Every record renkei keeps carries its global id (`uid`, a UUID) and the revision it had when it
//! was written (`rev`), so that an import can tell the same record from a new one and "unchanged
//! since the export" from "changed since". Hand-made files may leave both out: such records are
//! identified by what they say (a body by its ward, name and organiser; a meeting by its body,
//! date and start time; an entry by its text).

pub mod ahead;
pub mod cases;
pub mod check;
pub mod held;
mod json;
mod seal;
pub mod stream;
mod values;

pub use cases::{
    CaseChangeRecord, CaseLink, CaseRecord, CaseReviewRecord, MemberRecord, PlanLine, PlanRevision,
};
pub use json::{parse_json, to_json, unknown_field_message};
pub use seal::seal;
pub use values::ExternalId;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::model::{ActionStatus, Attendance, MeetingStatus, MinutesState, Role};

pub const FORMAT: &str = "renkei/1";

/// A whole database (or a hand-made part of one), in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Document {
    pub format: String,
    /// The ward the database belongs to (its identity); the records are this ward's unless they
    /// name another one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ward: Option<WardRecord>,
    /// Other wards whose records the database holds (a city gathering its wards).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub wards: Vec<WardRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<AgencyRecord>,
    pub bodies: Vec<BodyRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryRecord>,
    /// The cases (事例) followed across meetings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::limits::records")]
    pub cases: Vec<CaseRecord>,
    #[serde(deserialize_with = "crate::limits::records")]
    pub meetings: Vec<MeetingRecord>,
    /// Changes recorded against meetings that are no longer in the database (kept: the history
    /// of a meeting outlives it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<TemplateRecord>,
    /// Every text the database has recorded as a person, once per kind (its `recorded_texts`):
    /// a name since corrected, an attendee removed, a meeting held then cancelled stay masked
    /// in a restored copy or in the city that imports the ward, as in the ward's own database.
    /// At the end of the document; an import adds them, never takes one out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recorded: Vec<RecordedText>,
}

/// A text once recorded as a person, and the kind of field it came in (`facilitator`,
/// `recorder`, `case_subject`, `key_person`, `attendee`, `household`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordedText {
    pub text: String,
    pub kind: String,
}

/// The kinds a [`RecordedText`] may have, as the database's `recorded_texts` keeps them.
pub const RECORDED_KINDS: [&str; 6] = [
    "facilitator",
    "recorder",
    "case_subject",
    "key_person",
    "attendee",
    "household",
];

/// A ward (区): the identity of a database, with its 全国地方公共団体コード when known.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WardRecord {
    pub uid: Option<Uuid>,
    pub name: String,
    pub code: Option<String>,
}

/// An agency, with its field and how many sites it has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgencyRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub name: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sites: Option<u32>,
    pub note: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub municipality: String,
}

/// A standing meeting (会議体).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BodyRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    /// The ward's uid, when it is not the document's own ward.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ward: Option<Uuid>,
    pub name: String,
    pub organiser: String,
    pub members: Vec<String>,
    pub topics: String,
    pub expected_size: String,
    pub frequency: String,
    pub personal_info: bool,
    pub kind: String,
    pub parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_organiser: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_uid: Option<Uuid>,
    pub tier: String,
    pub municipality: String,
    pub note: String,
    /// The body reviews a ledger of cases (進行管理台帳); absent: as the rule of its kind says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<bool>,
    /// How many months after this body discussed a case it is looked at again (1 to 120);
    /// absent: as the rule of its kind says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_months: Option<u32>,
}

/// A yearly meeting count published before the body's meetings were kept in renkei.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organiser: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_uid: Option<Uuid>,
    pub fiscal_year: i32,
    pub meetings: u32,
    pub note: String,
}

/// The agenda template of a kind of body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TemplateRecord {
    pub kind: String,
    pub confidential: bool,
    pub items: Vec<TemplateItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TemplateItem {
    pub title: String,
    pub minutes: Option<u32>,
}

/// Who approved the minutes and when; `seal` is a digest of the approved meeting as exported, so
/// that a file edited after the export is told from one renkei wrote (see [`seal`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApprovalRecord {
    pub at: String,
    pub by: String,
    #[serde(skip_serializing_if = "seal::leave_out_seal")]
    pub seal: Option<String>,
}

/// One meeting with everything captured at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingRecord {
    /// An external reference (another system's id, or this meeting's number in the database
    /// that exported it): a string or a whole number, kept as it is.
    pub id: Option<ExternalId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_organiser: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_uid: Option<Uuid>,
    pub date: String,
    pub start: Option<String>,
    pub end: Option<String>,
    /// The end's date when it is not `date`: a meeting that runs past midnight (begun 23:30,
    /// ended 00:40) ends the next day, and says so (an end before the start without it is a
    /// slip). Written only then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    pub place: String,
    pub status: MeetingStatus,
    /// Whether the meeting is confidential; a record that does not say (a hand-made file, a
    /// meeting book's row) is as confidential as a meeting scheduled in renkei for its body
    /// would be — one of a body that shares personal information was filed as 公開 under the
    /// minutes' notice of the duty of confidentiality (attack on the cases, 2026-12-05).
    /// renkei writes it for every meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidential: Option<bool>,
    pub basis: String,
    pub supervisor: bool,
    pub referred_by: Option<String>,
    pub case: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub case_subject: String,
    /// The cases discussed (references, or the links renkei writes); `case` names one by its
    /// pseudonym, as files from before cases did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::limits::entries")]
    pub cases: Vec<CaseLink>,
    /// The cases reviewed at the meeting (進行管理).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::limits::entries")]
    pub case_reviews: Vec<CaseReviewRecord>,
    pub facilitator: String,
    pub recorder: String,
    pub lead_agency: Option<String>,
    pub key_person: String,
    pub risk: String,
    pub urgency: String,
    pub support_policy: String,
    pub handouts: String,
    pub remaining_issues: String,
    pub next_meeting: Option<String>,
    pub minutes: MinutesState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "crate::limits::entries")]
    pub attendees: Vec<AttendeeRecord>,
    #[serde(deserialize_with = "crate::limits::entries")]
    pub agenda: Vec<AgendaRecord>,
    #[serde(deserialize_with = "crate::limits::entries")]
    pub roles: Vec<RoleRecord>,
    #[serde(deserialize_with = "crate::limits::entries")]
    pub actions: Vec<ActionRecord>,
    #[serde(deserialize_with = "crate::limits::entries")]
    pub issues: Vec<IssueRecord>,
    /// Every correction recorded for this meeting (amendments after approval among them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::limits::changes")]
    pub changes: Vec<ChangeRecord>,
}

impl Default for MeetingRecord {
    fn default() -> Self {
        MeetingRecord {
            id: None,
            uid: None,
            rev: None,
            body: String::new(),
            body_organiser: None,
            body_uid: None,
            date: String::new(),
            start: None,
            end: None,
            end_date: None,
            place: String::new(),
            status: MeetingStatus::Planned,
            confidential: None,
            basis: String::new(),
            supervisor: false,
            referred_by: None,
            case: String::new(),
            case_subject: String::new(),
            cases: Vec::new(),
            case_reviews: Vec::new(),
            facilitator: String::new(),
            recorder: String::new(),
            lead_agency: None,
            key_person: String::new(),
            risk: String::new(),
            urgency: String::new(),
            support_policy: String::new(),
            handouts: String::new(),
            remaining_issues: String::new(),
            next_meeting: None,
            minutes: MinutesState::Draft,
            approval: None,
            started_at: None,
            ended_at: None,
            created_by: String::new(),
            created_at: None,
            attendees: Vec::new(),
            agenda: Vec::new(),
            roles: Vec::new(),
            actions: Vec::new(),
            issues: Vec::new(),
            changes: Vec::new(),
        }
    }
}

impl MeetingRecord {
    /// Begun and not ended: in progress (開催中).
    pub fn in_progress(&self) -> bool {
        self.status == MeetingStatus::Planned
            && self.started_at.is_some()
            && self.ended_at.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttendeeRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub agency: Option<String>,
    pub name: String,
    pub title: String,
    pub role: Role,
    pub attendance: Attendance,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl Default for AttendeeRecord {
    fn default() -> Self {
        AttendeeRecord {
            uid: None,
            rev: None,
            agency: None,
            name: String::new(),
            title: String::new(),
            role: Role::Member,
            attendance: Attendance::Present,
            by: String::new(),
            at: None,
            deleted_at: None,
        }
    }
}

/// One agenda item with what was written under it. `notes` may be given as one string (the
/// shape of hand-made files); renkei writes each note and decision as its own entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgendaRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub title: String,
    pub planned_min: Option<u32>,
    #[serde(deserialize_with = "values::entries")]
    pub notes: Vec<EntryRecord>,
    #[serde(deserialize_with = "values::entries")]
    pub decisions: Vec<EntryRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl AgendaRecord {
    /// The notes kept (not removed), one per line, as the minutes print them.
    pub fn notes_text(&self) -> String {
        let kept: Vec<&str> = self
            .notes
            .iter()
            .filter(|e| e.deleted_at.is_none())
            .map(|e| e.text.as_str())
            .collect();
        kept.join("\n")
    }

    /// The decisions kept (not removed).
    pub fn decision_texts(&self) -> impl Iterator<Item = &str> {
        self.decisions
            .iter()
            .filter(|e| e.deleted_at.is_none())
            .map(|e| e.text.as_str())
    }
}

/// One note or decision. A plain string in a file is an entry with only its text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EntryRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub text: String,
    /// The case it is about (one of the meeting's; none: the meeting's only case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<ExternalId>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl From<&str> for EntryRecord {
    fn from(text: &str) -> Self {
        EntryRecord {
            text: text.to_owned(),
            ..EntryRecord::default()
        }
    }
}

impl From<String> for EntryRecord {
    fn from(text: String) -> Self {
        EntryRecord {
            text,
            ..EntryRecord::default()
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoleRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub agency: Option<String>,
    pub role: String,
    /// The case it belongs to (one of the meeting's; none: the meeting's only case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<ExternalId>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

/// A next action. `closed_in` is the uid of the meeting that closed (done or dropped) it,
/// `carried_from` the uid of the action it continues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub agency: Option<String>,
    pub text: String,
    pub due: Option<String>,
    pub status: ActionStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_in: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<Uuid>,
    /// The case it belongs to (one of the meeting's; none: the meeting's only case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<ExternalId>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    /// Its continuations at later meetings (or outside one), oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::limits::entries")]
    pub reviews: Vec<ReviewRecord>,
}

/// A continuation of a next action (schema step 8, `action_reviews`): at which meeting (`meeting`,
/// its uid; none: outside a meeting), the due date before and after, the note on its progress,
/// who and when. Never edited once made: an import adds the ones the database lacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    pub meeting: Option<Uuid>,
    pub note: String,
    pub due_before: Option<String>,
    pub due_after: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

impl Default for ActionRecord {
    fn default() -> Self {
        ActionRecord {
            uid: None,
            rev: None,
            agency: None,
            text: String::new(),
            due: None,
            status: ActionStatus::Open,
            closed_at: None,
            closed_in: None,
            carried_from: None,
            case: None,
            by: String::new(),
            at: None,
            deleted_at: None,
            reviews: Vec::new(),
        }
    }
}

/// A case issue (課題) of a meeting, for the statistics. A plain string in a file is an issue
/// with only its category.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IssueRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub category: String,
    /// The case it is an issue of (one of the meeting's; none: the meeting's only case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<ExternalId>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl From<&str> for IssueRecord {
    fn from(category: &str) -> Self {
        IssueRecord {
            category: category.to_owned(),
            ..IssueRecord::default()
        }
    }
}

impl From<String> for IssueRecord {
    fn from(category: String) -> Self {
        IssueRecord {
            category,
            ..IssueRecord::default()
        }
    }
}

/// One recorded change: a correction, an undo, a status change, an amendment after approval.
/// `entity_uid` names the changed record (the meeting itself for its own fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChangeRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    pub at: String,
    pub by: String,
    pub entity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_uid: Option<Uuid>,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub amendment: bool,
    /// The meeting the change belongs to, in the document-level list of changes whose meeting
    /// is gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_uid: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    /// The minutes renderer and the report take plain records: neither reaches into the store
    /// (issue 13, structure).
    #[test]
    fn the_renderers_do_not_depend_on_the_store() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let store = concat!("crate", "::store");
        let mut dirs: Vec<_> = ["minutes", "report", "interchange"]
            .iter()
            .map(|d| root.join(d))
            .collect();
        let mut read = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(!text.contains(store), "{} uses the store", path.display());
                read += 1;
            }
        }
        assert!(read > 10, "{read} files read");
    }
}
