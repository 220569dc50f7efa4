//! Cases (事例) in the interchange format: the case record with its household, its support plan
//! and every revision of it, its closure and its history; and, on a meeting, the cases it
//! discussed (`"cases"`: a reference to a case, or the whole link renkei writes: the basis the
//! case was shared on, the situation told, the case's fields as they stood after the meeting).
//!
//! A case is referred to by its uid, by the `id` a file gave it, or by its pseudonym. Strict as
//! every record: a field renkei does not know is an error.

use serde::de::{self, Deserializer, MapAccess, Visitor, value::MapAccessDeserializer};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use uuid::Uuid;

use super::check::{LinkAt, UidSet};
use super::{ExternalId, MeetingRecord};
use crate::domain::case::{CaseStatus, Consent, Level};
use crate::domain::model::MeetingStatus;
use crate::i18n::said;

/// A case: a person or household followed across meetings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseRecord {
    /// An external reference (this case's number in the database that wrote the file, or
    /// another system's id): a string or a whole number, kept as it is.
    pub id: Option<ExternalId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    /// The ward's uid, when it is not the document's own ward.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ward: Option<Uuid>,
    /// What lists and minutes show (A世帯): never a real name.
    pub pseudonym: String,
    /// YYYY-MM-DD: when the case was taken on (受理).
    pub opened: Option<String>,
    pub status: CaseStatus,
    /// The agency that brought the case (相談のあった機関).
    pub referred_by: Option<String>,
    pub lead_agency: Option<String>,
    pub key_person: String,
    pub consent: Consent,
    pub consent_date: Option<String>,
    /// Who recorded the consent.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub consent_by: String,
    /// `high`, `medium`, `low`, or empty.
    pub risk: String,
    pub urgency: String,
    pub policy: String,
    pub next_review: Option<String>,
    #[serde(deserialize_with = "crate::limits::entries")]
    pub members: Vec<MemberRecord>,
    /// The plan as it stands now (the last revision's lines).
    #[serde(deserialize_with = "crate::limits::entries")]
    pub plan: Vec<PlanLine>,
    /// Every revision of the plan, oldest first (the last one is `plan`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::limits::entries")]
    pub revisions: Vec<PlanRevision>,
    pub closed: Option<String>,
    pub closure_reason: String,
    pub evaluation: String,
    /// Where a transferred case went.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub transferred_to: String,
    /// The meeting that decided the closure (its uid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_in: Option<Uuid>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Every recorded change of the case, its household and its plan.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::limits::changes")]
    pub changes: Vec<CaseChangeRecord>,
}

impl Default for CaseRecord {
    fn default() -> Self {
        CaseRecord {
            id: None,
            uid: None,
            rev: None,
            ward: None,
            pseudonym: String::new(),
            opened: None,
            status: CaseStatus::Open,
            referred_by: None,
            lead_agency: None,
            key_person: String::new(),
            consent: Consent::Unknown,
            consent_date: None,
            consent_by: String::new(),
            risk: String::new(),
            urgency: String::new(),
            policy: String::new(),
            next_review: None,
            members: Vec::new(),
            plan: Vec::new(),
            revisions: Vec::new(),
            closed: None,
            closure_reason: String::new(),
            evaluation: String::new(),
            transferred_to: String::new(),
            closed_in: None,
            created_by: String::new(),
            created_at: None,
            changes: Vec::new(),
        }
    }
}

/// A member of the household: the relation (本人, 長男 …) and the name, kept only so that
/// redaction finds it (a reading may follow in brackets: `山田 花子（ヤマダ ハナコ）`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MemberRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub relation: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

/// One line of a support plan: an agency, its role, and the goal it works towards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanLine {
    pub agency: Option<String>,
    pub role: String,
    pub goal: String,
}

/// One revision of the plan: at a meeting (its uid) or recorded alone, by whom and when, with
/// the policy and the lines as they stood after it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanRevision {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting: Option<Uuid>,
    pub policy: String,
    #[serde(deserialize_with = "crate::limits::entries")]
    pub plan: Vec<PlanLine>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// One recorded change of a case (a field, a member, the plan, the status …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseChangeRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    pub at: String,
    pub by: String,
    /// The meeting it was made at (its uid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting: Option<Uuid>,
    pub entity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_uid: Option<Uuid>,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A case discussed at a meeting. In a file either a reference to the case (its uid, its `id`,
/// or its pseudonym) or this object, which renkei writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CaseLink {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub case: ExternalId,
    /// The basis the case was shared on at this meeting (a law, or the person's consent).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub basis: String,
    /// Shared at a body that needs consent without consent recorded: the warning, kept.
    #[serde(skip_serializing_if = "is_false")]
    pub warned: bool,
    /// The situation now, as told at the meeting.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub situation: String,
    /// The case as it stood after the meeting: what its minutes show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<CaseStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_agency: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key_person: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub risk: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub urgency: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// The revision of the plan as it stood after the meeting (its uid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Uuid>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

/// A case reviewed at a meeting (進行管理, schema step 9): the case (its uid, its `id` or its
/// pseudonym), where it stands after the review, the lead agency, the policy, the next review
/// (none once it ended), the note and, for an ending, its reason, the evaluation and where to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseReviewRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<i64>,
    pub case: ExternalId,
    pub status: CaseStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_agency: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_review: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evaluation: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub transferred_to: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

/// Checks the case reviews of one meeting (paths relative to it): a meeting that took place or
/// is under way (never one to come, nor one cancelled: the store's rule for a review), a case
/// named, a date as a date, an ending with its reason (a transfer with where to), each case
/// reviewed once.
pub(super) fn check_reviews(
    index: usize,
    m: &MeetingRecord,
    uids: &mut dyn UidSet,
) -> Result<(), String> {
    let begun = m.status == MeetingStatus::Held
        || (m.status == MeetingStatus::Planned && m.started_at.is_some());
    if m.case_reviews.iter().any(|r| r.deleted_at.is_none()) && !begun {
        return Err(said(
            "import_review_unheld",
            &[("status", m.status.code().to_owned())],
        ));
    }
    let mut cases: Vec<&ExternalId> = Vec::new();
    for (j, r) in m.case_reviews.iter().enumerate() {
        (|| -> Result<(), String> {
            if matches!(&r.case, ExternalId::Text(t) if t.trim().is_empty()) {
                return Err(said("import_empty", &[("field", "case".to_owned())]));
            }
            if cases.contains(&&r.case) {
                return Err(said(
                    "import_reviewed_twice",
                    &[("case", r.case.to_string())],
                ));
            }
            cases.push(&r.case);
            super::check::rev_field(r.rev)?;
            if let Some(d) = &r.next_review {
                super::check::date_field("next_review", d)?;
                next_review_at(d, &m.date, r.status)?;
            }
            match r.status {
                CaseStatus::Closed | CaseStatus::Suspended if r.reason.trim().is_empty() => {
                    return Err(said("import_ending_needs_reason", &[]));
                }
                CaseStatus::Transferred if r.transferred_to.trim().is_empty() => {
                    return Err(said("import_transfer_needs_where", &[]));
                }
                _ => {}
            }
            super::check::stamp_field("at", r.at.as_ref())?;
            super::check::stamp_field("deleted_at", r.deleted_at.as_ref())?;
            match r.uid {
                Some(u) => link_uid(uids, u, (index, "case_reviews", j)),
                None => Ok(()),
            }
        })()
        .map_err(|e| format!("case_reviews[{j}].{e}"))?;
    }
    Ok(())
}

/// A continuing review's next date from its meeting's day to the horizon after it, as the
/// review form takes it (attack report 7, finding 20: a date six years before the review, or 73
/// years on, was imported and printed in the minutes).
fn next_review_at(next: &str, meeting: &str, status: CaseStatus) -> Result<(), String> {
    let day = |t: &str| chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok();
    let (Some(next), Some(meeting)) = (day(next), day(meeting)) else {
        return Ok(());
    };
    if status.is_ended() {
        return Ok(());
    }
    let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    if next < meeting {
        return Err(format!(
            "next_review: {}",
            said(
                "review_date_before_meeting",
                &[("date", iso(next)), ("meeting", iso(meeting))]
            )
        ));
    }
    if crate::domain::calendar::beyond_horizon(next, meeting) {
        return Err(format!(
            "next_review: {}",
            said(
                "review_date_far_from_meeting",
                &[
                    ("date", iso(next)),
                    ("years", crate::domain::calendar::HORIZON_YEARS.to_string())
                ]
            )
        ));
    }
    Ok(())
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl CaseLink {
    /// A link given only by its case's reference (a hand-made file).
    pub fn to(case: ExternalId) -> CaseLink {
        CaseLink {
            case,
            ..CaseLink::default()
        }
    }
}

impl Default for ExternalId {
    fn default() -> Self {
        ExternalId::Text(String::new())
    }
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct LinkFields {
    uid: Option<Uuid>,
    rev: Option<i64>,
    case: Option<ExternalId>,
    basis: String,
    warned: bool,
    situation: String,
    status: Option<CaseStatus>,
    lead_agency: Option<String>,
    key_person: String,
    risk: String,
    urgency: String,
    policy: String,
    consent: Option<Consent>,
    plan: Option<Uuid>,
    by: String,
    at: Option<String>,
    deleted_at: Option<String>,
}

impl<'de> Deserialize<'de> for CaseLink {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Link;
        impl<'de> Visitor<'de> for Link {
            type Value = CaseLink;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a case (its uid, id or pseudonym) or a link object {case, basis, …}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CaseLink, E> {
                Ok(CaseLink::to(ExternalId::Text(v.to_owned())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CaseLink, E> {
                Ok(CaseLink::to(ExternalId::Number(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CaseLink, E> {
                i64::try_from(v)
                    .map(|n| CaseLink::to(ExternalId::Number(n)))
                    .map_err(|_| {
                        E::custom(said("import_id_out_of_range", &[("value", v.to_string())]))
                    })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CaseLink, A::Error> {
                let f = LinkFields::deserialize(MapAccessDeserializer::new(map))?;
                let case = f.case.ok_or_else(|| de::Error::missing_field("case"))?;
                Ok(CaseLink {
                    uid: f.uid,
                    rev: f.rev,
                    case,
                    basis: f.basis,
                    warned: f.warned,
                    situation: f.situation,
                    status: f.status,
                    lead_agency: f.lead_agency,
                    key_person: f.key_person,
                    risk: f.risk,
                    urgency: f.urgency,
                    policy: f.policy,
                    consent: f.consent,
                    plan: f.plan,
                    by: f.by,
                    at: f.at,
                    deleted_at: f.deleted_at,
                })
            }
        }
        deserializer.deserialize_any(Link)
    }
}

/// Checks the cases of a document and the cases its meetings name; paths are those of the
/// document (`cases[2].risk`, `meetings[4].cases[0].case`). Only interchange JSON has cases.
pub(super) fn check(doc: &super::Document) -> Result<(), String> {
    check_cases(&doc.cases)?;
    let mut links = super::check::Uids::default();
    for (i, m) in doc.meetings.iter().enumerate() {
        check_links(i, m, &mut links).map_err(|e| format!("meetings[{i}].{e}"))?;
        check_reviews(i, m, &mut links).map_err(|e| format!("meetings[{i}].{e}"))?;
    }
    Ok(())
}

/// The checks of a document's cases; errors are named `cases[i].…`.
pub(super) fn check_cases(cases: &[CaseRecord]) -> Result<(), String> {
    let mut check = CaseCheck::default();
    for (i, c) in cases.iter().enumerate() {
        check.case(i, c)?;
    }
    Ok(())
}

/// The checks of a file's cases one at a time (a streamed import writes each case as it is
/// read), remembering of each only its uids and its pseudonym's key (one case per key in a
/// ward, one record per uid), never the record.
#[derive(Default)]
pub(super) struct CaseCheck {
    uids: HashSet<(&'static str, Uuid)>,
    keys: HashSet<(Option<Uuid>, String)>,
}

impl CaseCheck {
    /// Checks case `i` of the file.
    pub(super) fn case(&mut self, i: usize, c: &CaseRecord) -> Result<(), String> {
        let uids = &mut self.uids;
        let mut add = |kind: &'static str, uid: Option<Uuid>| match uid {
            Some(u) if !uids.insert((kind, u)) => Err(uid_twice(u, kind)),
            _ => Ok(()),
        };
        let keys = &mut self.keys;
        (|| -> Result<(), String> {
            if c.pseudonym.trim().is_empty() {
                return Err(said("import_empty", &[("field", "pseudonym".to_owned())]));
            }
            let key = (c.ward, crate::domain::case::pseudonym_key(&c.pseudonym));
            if !keys.insert(key) {
                return Err(said(
                    "import_pseudonym_twice",
                    &[("pseudonym", c.pseudonym.clone())],
                ));
            }
            for (field, value) in [
                ("opened", &c.opened),
                ("consent_date", &c.consent_date),
                ("next_review", &c.next_review),
                ("closed", &c.closed),
            ] {
                if let Some(d) = value {
                    super::check::date_field(field, d)?;
                }
            }
            level("risk", &c.risk)?;
            level("urgency", &c.urgency)?;
            super::check::rev_field(c.rev)?;
            add("case", c.uid)?;
            if c.status.is_ended() && c.closed.as_deref().is_none_or(|d| d.trim().is_empty()) {
                return Err(said(
                    "import_closed_missing",
                    &[("status", status_label(c.status))],
                ));
            }
            let day = |t: &str| chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok();
            if let (Some(opened), Some(closed)) = (&c.opened, &c.closed)
                && day(closed) < day(opened)
            {
                return Err(said(
                    "import_closed_before_opened",
                    &[("closed", closed.clone()), ("opened", opened.clone())],
                ));
            }
            if c.closed.is_some() && !c.status.is_ended() {
                return Err(said(
                    "import_closed_not_ended",
                    &[("status", status_label(c.status))],
                ));
            }
            for (j, m) in c.members.iter().enumerate() {
                (|| -> Result<(), String> {
                    if m.name.trim().is_empty() && m.relation.trim().is_empty() {
                        return Err(said("import_member_empty", &[]));
                    }
                    super::check::rev_field(m.rev)?;
                    super::check::stamp_field("at", m.at.as_ref())?;
                    super::check::stamp_field("deleted_at", m.deleted_at.as_ref())?;
                    add("member", m.uid)
                })()
                .map_err(|e| format!("members[{j}].{e}"))?;
            }
            for (j, line) in c.plan.iter().enumerate() {
                plan_line(line).map_err(|e| format!("plan[{j}].{e}"))?;
            }
            for (j, r) in c.revisions.iter().enumerate() {
                (|| -> Result<(), String> {
                    super::check::rev_field(r.rev)?;
                    super::check::stamp_field("at", r.at.as_ref())?;
                    for (k, line) in r.plan.iter().enumerate() {
                        plan_line(line).map_err(|e| format!("plan[{k}].{e}"))?;
                    }
                    add("plan_revision", r.uid)
                })()
                .map_err(|e| format!("revisions[{j}].{e}"))?;
            }
            for (j, ch) in c.changes.iter().enumerate() {
                super::check::stamp_field("at", Some(&ch.at))
                    .and_then(|()| add("case_change", ch.uid))
                    .map_err(|e| format!("changes[{j}].{e}"))?;
            }
            Ok(())
        })()
        .map_err(|e| format!("cases[{i}].{e}"))
    }
}

/// The checks of a meeting's links to its cases (errors named `cases[j].…`); `uids` holds the
/// links' uids met so far in the file, one link per uid.
pub(super) fn check_links(
    index: usize,
    m: &MeetingRecord,
    uids: &mut dyn UidSet,
) -> Result<(), String> {
    for (j, link) in m.cases.iter().enumerate() {
        (|| -> Result<(), String> {
            if matches!(&link.case, ExternalId::Text(t) if t.trim().is_empty()) {
                return Err(said("import_empty", &[("field", "case".to_owned())]));
            }
            super::check::rev_field(link.rev)?;
            super::check::stamp_field("at", link.at.as_ref())?;
            super::check::stamp_field("deleted_at", link.deleted_at.as_ref())?;
            match link.uid {
                Some(u) => link_uid(uids, u, (index, "cases", j)),
                None => Ok(()),
            }
        })()
        .map_err(|e| format!("cases[{j}].{e}"))?;
    }
    Ok(())
}

/// A link's (or a review's) uid, refused when the file gave it to another already (a link
/// copied from another case): the error names both paths. The uids are the import's set (on
/// disk for a streamed file: a ten-times ward's export holds a quarter of a million links).
fn link_uid(uids: &mut dyn UidSet, uid: Uuid, at: LinkAt) -> Result<(), String> {
    match uids.insert_link(uid, at)? {
        None => Ok(()),
        Some(first) => Err(said(
            "import_link_uid_twice",
            &[("uid", uid.to_string()), ("first", first)],
        )),
    }
}

fn plan_line(line: &PlanLine) -> Result<(), String> {
    if line.role.trim().is_empty() && line.goal.trim().is_empty() {
        return Err(said("import_plan_line_empty", &[]));
    }
    Ok(())
}

/// A case's risk or urgency: one of the scale's codes, or nothing. (A meeting's link keeps what
/// older records said, やや高 too, so only a case's own field is held to the codes.)
fn level(field: &str, value: &str) -> Result<(), String> {
    if value.is_empty() || value.parse::<Level>().is_ok() {
        return Ok(());
    }
    Err(said(
        "import_not_a_level",
        &[("field", field.to_owned()), ("value", value.to_owned())],
    ))
}

/// A uid given to two records of one kind in the file (`kind`: `case`, `member` … as the
/// catalogue's `import_kind_*` names them).
fn uid_twice(uid: Uuid, kind: &str) -> String {
    let kind = said(&format!("import_kind_{kind}"), &[]);
    let holder = said("import_record_of_file", &[("kind", kind)]);
    said(
        "import_uid_twice",
        &[("uid", uid.to_string()), ("holder", holder)],
    )
}

/// A case's status as an import error says it: its label in Japanese (終結), its code in English
/// (closed, as the file writes it).
fn status_label(status: CaseStatus) -> String {
    match crate::i18n::message_lang() {
        crate::i18n::Lang::Ja => status.label(crate::i18n::Lang::Ja).to_owned(),
        crate::i18n::Lang::En => status.to_string(),
    }
}
