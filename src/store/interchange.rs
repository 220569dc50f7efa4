//! The interchange format `renkei/1`: the whole database as JSON, and the records that every
//! importer (TOML fixtures, CSV body lists, JSON) produces before anything touches the store.

use serde::{Deserialize, Serialize};

use crate::domain::model::{ActionStatus, Attendance, MeetingStatus, MinutesState, Role};

pub const FORMAT: &str = "renkei/1";

/// The whole database, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Document {
    pub format: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<AgencyRecord>,
    pub bodies: Vec<BodyRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryRecord>,
    pub meetings: Vec<MeetingRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<TemplateRecord>,
}

/// An agency known beyond its name: its field and how many sites it has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgencyRecord {
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
#[serde(default)]
pub struct BodyRecord {
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
    pub tier: String,
    pub municipality: String,
    pub note: String,
}

/// A yearly meeting count published before the body's meetings were kept in renkei.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryRecord {
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organiser: Option<String>,
    pub fiscal_year: i32,
    pub meetings: u32,
    pub note: String,
}

/// One agenda template item of a kind of body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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

/// One meeting with everything captured at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingRecord {
    pub id: Option<i64>,
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_organiser: Option<String>,
    pub date: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub place: String,
    pub status: MeetingStatus,
    pub confidential: bool,
    pub basis: String,
    pub supervisor: bool,
    pub referred_by: Option<String>,
    pub case: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub case_subject: String,
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
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    pub attendees: Vec<AttendeeRecord>,
    pub agenda: Vec<AgendaRecord>,
    pub roles: Vec<RoleRecord>,
    pub actions: Vec<ActionRecord>,
    pub issues: Vec<String>,
}

impl Default for MeetingRecord {
    fn default() -> Self {
        MeetingRecord {
            id: None,
            body: String::new(),
            body_organiser: None,
            date: String::new(),
            start: None,
            end: None,
            place: String::new(),
            status: MeetingStatus::Planned,
            confidential: false,
            basis: String::new(),
            supervisor: false,
            referred_by: None,
            case: String::new(),
            case_subject: String::new(),
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
            started_at: None,
            ended_at: None,
            attendees: Vec::new(),
            agenda: Vec::new(),
            roles: Vec::new(),
            actions: Vec::new(),
            issues: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttendeeRecord {
    pub agency: Option<String>,
    pub name: String,
    pub title: String,
    pub role: Role,
    pub attendance: Attendance,
}

impl Default for AttendeeRecord {
    fn default() -> Self {
        AttendeeRecord {
            agency: None,
            name: String::new(),
            title: String::new(),
            role: Role::Member,
            attendance: Attendance::Present,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgendaRecord {
    pub title: String,
    pub planned_min: Option<u32>,
    pub notes: String,
    pub decisions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleRecord {
    pub agency: Option<String>,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionRecord {
    pub agency: Option<String>,
    pub text: String,
    pub due: Option<String>,
    pub status: ActionStatus,
}

impl Default for ActionRecord {
    fn default() -> Self {
        ActionRecord {
            agency: None,
            text: String::new(),
            due: None,
            status: ActionStatus::Open,
        }
    }
}

/// Reads interchange JSON; errors name the line and column, or the JSON path of a bad value.
pub fn parse_json(text: &str) -> Result<Document, String> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let doc: Document = serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        let path = e.path().to_string();
        if path.is_empty() || path == "." {
            format!("line {}, column {}: {inner}", inner.line(), inner.column())
        } else {
            format!(
                "line {}, column {} ({path}): {inner}",
                inner.line(),
                inner.column()
            )
        }
    })?;
    if doc.format != FORMAT {
        return Err(if doc.format.is_empty() {
            format!("\"format\" is missing (expected \"{FORMAT}\")")
        } else {
            format!("\"format\" is \"{}\" (expected \"{FORMAT}\")", doc.format)
        });
    }
    Ok(doc)
}

/// Pretty JSON with a trailing newline; field order is the structs' order, so it is stable.
pub fn to_json(doc: &Document) -> String {
    let mut text = serde_json::to_string_pretty(doc).unwrap_or_default();
    text.push('\n');
    text
}
