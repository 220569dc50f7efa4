//! Loading what the minutes need, approval and amendments, and the carry-over of next actions.
//!
//! Carry-over is derived, never copied: a next action is one row, owned by the meeting that
//! created it, and it "appears" at every later meeting of the same body at which it was still
//! open. Closing it there updates that one row, so the original meeting, the later meetings and
//! the actions list can never disagree, and its history (created at X, carried to Y, done at Z)
//! follows from the dates.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError};
use crate::domain::calendar::{weekday_en, weekday_ja};
use crate::domain::model::{ActionStatus, MeetingStatus, MinutesState};
use crate::i18n::{Lang, Msg};
use crate::minutes::{Approval, BodyInfo, Captured, During, MinutesInput, Person, PersonKind};

pub use crate::minutes::{Amendment, CarriedAction};

/// The SQL condition "meeting `y` comes after meeting `o`": a later date, or the same date and a
/// larger id (two meetings of one body on one day are ordered by creation).
macro_rules! y_after_o {
    () => {
        "(y.date > o.date OR (y.date = o.date AND y.id > o.id))"
    };
}
pub(crate) use y_after_o;

/// The SQL condition "next action `n` was still open when meeting `y` took place". When it was
/// closed in a meeting that is there, that meeting's place in the order decides; otherwise the
/// day it was closed. The meeting it was closed in is asked by subqueries of `n` alone (not a
/// join): SQLite then tests the condition as it reads each action, before the joins that only
/// give what is shown — most of a body's actions were closed long before, and the minutes of its
/// busiest meeting read their carried actions in half the time.
macro_rules! open_at_y {
    () => {
        "(n.status = 'open' OR n.closed_in = y.id
          OR (n.closed_in IS NOT NULL AND EXISTS (
                SELECT 1 FROM meetings c WHERE c.id = n.closed_in
                  AND (c.date > y.date OR (c.date = y.date AND c.id > y.id))))
          OR (n.closed_at IS NOT NULL AND substr(n.closed_at, 1, 10) >= y.date
              AND NOT EXISTS (SELECT 1 FROM meetings c WHERE c.id = n.closed_in)))"
    };
}

/// The SQL condition "next action `n`, made at meeting `o`, is reviewed at meeting `y`" (its
/// meeting comes before, and it was still open then — see `open_at_y`): a meeting that discusses
/// cases reviews the actions of its cases from any earlier meeting of any body, and its body's
/// earlier actions that belong to no case; a meeting that discusses none reviews its body's, as
/// before there were cases.
macro_rules! reviewed_at_y {
    () => {
        "((o.body_id = y.body_id AND (n.case_id IS NULL OR NOT EXISTS (
               SELECT 1 FROM meeting_cases k WHERE k.meeting_id = y.id AND k.deleted_at IS NULL)))
          OR EXISTS (SELECT 1 FROM meeting_cases k
                     WHERE k.meeting_id = y.id AND k.case_id = n.case_id AND k.deleted_at IS NULL))"
    };
}
pub(crate) use reviewed_at_y;

/// What happened to a next action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionEventKind {
    Created,
    CarriedTo,
    Done,
    Dropped,
    Reopened,
    /// Continued at a meeting with a new due date and a note on its progress.
    Continued,
}

/// One line of a next action's history.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionEvent {
    pub kind: ActionEventKind,
    pub meeting_id: Option<i64>,
    /// YYYY-MM-DD of the meeting.
    pub meeting_date: Option<String>,
    /// RFC 3339, for changes made outside a meeting.
    pub at: Option<String>,
    /// Continued: the new due date (YYYY-MM-DD) and the note on its progress.
    pub due: Option<String>,
    pub note: String,
}

impl ActionEvent {
    /// "会議 #12（2026-11-03（火））で作成" / "created at meeting #12 (2026-11-03 (Tue))".
    pub fn describe(&self, lang: Lang) -> String {
        let verb = match (self.kind, lang) {
            (ActionEventKind::Created, Lang::Ja) => "作成",
            (ActionEventKind::CarriedTo, Lang::Ja) => "継続",
            (ActionEventKind::Done, Lang::Ja) => "完了",
            (ActionEventKind::Dropped, Lang::Ja) => "取りやめ",
            (ActionEventKind::Reopened, Lang::Ja) => "再開",
            (ActionEventKind::Continued, Lang::Ja) => "継続",
            (ActionEventKind::Continued, Lang::En) => "continued",
            (ActionEventKind::Created, Lang::En) => "created",
            (ActionEventKind::CarriedTo, Lang::En) => "carried",
            (ActionEventKind::Done, Lang::En) => "done",
            (ActionEventKind::Dropped, Lang::En) => "dropped",
            (ActionEventKind::Reopened, Lang::En) => "reopened",
        };
        let carried = self.kind == ActionEventKind::CarriedTo;
        let said = match (self.meeting_id, lang) {
            (Some(id), Lang::Ja) => {
                let date = self.date_text(lang);
                let particle = if carried { "に" } else { "で" };
                format!("会議 #{id}（{date}）{particle}{verb}")
            }
            (Some(id), Lang::En) => {
                let date = self.date_text(lang);
                let prep = if carried { "to" } else { "at" };
                format!("{verb} {prep} meeting #{id} ({date})")
            }
            (None, Lang::Ja) => format!("{}に{verb}", self.stamp_text()),
            (None, Lang::En) => format!("{verb} on {}", self.stamp_text()),
        };
        if self.kind != ActionEventKind::Continued {
            return said;
        }
        let due = self.due.as_deref().unwrap_or(lang.pick("なし", "none"));
        let note = self.note.trim();
        match (lang, note.is_empty()) {
            (Lang::Ja, true) => format!("{said}（期限 {due}）"),
            (Lang::Ja, false) => format!("{said}（期限 {due}、経過: {note}）"),
            (Lang::En, true) => format!("{said} (due {due})"),
            (Lang::En, false) => format!("{said} (due {due}; progress: {note})"),
        }
    }

    fn date_text(&self, lang: Lang) -> String {
        let text = self.meeting_date.clone().unwrap_or_default();
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) if lang == Lang::Ja => format!("{text}（{}）", weekday_ja(d)),
            Ok(d) => format!("{text} ({})", weekday_en(d)),
            Err(_) => text,
        }
    }

    fn stamp_text(&self) -> String {
        let at = self.at.as_deref().unwrap_or("?");
        chrono::DateTime::parse_from_rfc3339(at)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|_| at.to_owned())
    }
}

/// The kind of value a meeting field holds, for checking an amendment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    Text,
    /// HH:MM, or empty for none.
    Time,
    /// YYYY-MM-DD, or empty for none.
    Date,
}

/// The meeting fields that can be amended: the interchange name (also accepted), the column
/// (the name `changes` records, as every other change does), and the kind of value.
const MEETING_FIELDS: &[(&str, &str, FieldKind)] = &[
    ("place", "place", FieldKind::Text),
    ("start", "start_time", FieldKind::Time),
    ("end", "end_time", FieldKind::Time),
    ("facilitator", "facilitator", FieldKind::Text),
    ("recorder", "recorder", FieldKind::Text),
    ("basis", "basis", FieldKind::Text),
    ("case", "case_ref", FieldKind::Text),
    ("case_subject", "case_subject", FieldKind::Text),
    ("key_person", "key_person", FieldKind::Text),
    ("risk", "risk", FieldKind::Text),
    ("urgency", "urgency", FieldKind::Text),
    ("support_policy", "support_policy", FieldKind::Text),
    ("handouts", "handouts", FieldKind::Text),
    ("remaining_issues", "remaining_issues", FieldKind::Text),
    ("next_meeting", "next_meeting_date", FieldKind::Date),
];

fn meeting_field(name: &str) -> Result<(&'static str, &'static str, FieldKind)> {
    MEETING_FIELDS
        .iter()
        .find(|(field, column, _)| *field == name || *column == name)
        .copied()
        .ok_or_else(|| {
            let known: Vec<&str> = MEETING_FIELDS.iter().map(|(f, _, _)| *f).collect();
            StoreError::Invalid(format!(
                "unknown meeting field '{name}' (fields that can be amended: {})",
                known.join(", ")
            ))
        })
}

/// The value to store: checked against the field's kind and written the one way (09:30,
/// 2026-12-05); empty means none for times and dates.
fn field_value(field: &str, kind: FieldKind, value: &str) -> Result<Option<String>> {
    let trimmed = value.trim();
    let normal = match kind {
        FieldKind::Text => return Ok(Some(value.to_owned())),
        _ if trimmed.is_empty() => return Ok(None),
        FieldKind::Time => NaiveTime::parse_from_str(trimmed, "%H:%M")
            .ok()
            .map(|t| t.format("%H:%M").to_string()),
        FieldKind::Date => NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
            .ok()
            .map(|d| d.format("%Y-%m-%d").to_string()),
    };
    normal.map(Some).ok_or_else(|| {
        let expected = if kind == FieldKind::Time {
            "HH:MM"
        } else {
            "YYYY-MM-DD"
        };
        StoreError::Invalid(format!(
            "{field}: '{value}' is not a valid value (expected {expected}, or nothing)"
        ))
    })
}

pub(crate) use super::changes::{Change, record_change};

fn not_found(meeting_id: i64) -> StoreError {
    Msg::new("meeting_not_found").with("id", meeting_id).into()
}

fn meeting_exists(conn: &Connection, meeting_id: i64) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM meetings WHERE id = ?1", [meeting_id], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

fn parse_action_status(text: &str) -> Result<ActionStatus> {
    text.parse().map_err(StoreError::Invalid)
}

impl Store {
    /// [`Store::minutes_input`] for a copy redacted (`redact`) or not. A redacted copy is the
    /// one that leaves the confidential circle (a public body's minutes handed out, a liaison
    /// meeting's): its redactor knows, besides the meeting's own people and its cases'
    /// households, everyone renkei has recorded — every household member of every case and
    /// everyone recorded at a meeting held ([`Store::recorded_people`], whom the annual report
    /// and the ledger mask too). A family talked about where its case is not on the agenda is
    /// replaced there as well. (The people of the meeting come first: they keep their letters.)
    pub fn minutes_input_as(&self, meeting_id: i64, redact: bool) -> Result<Option<MinutesInput>> {
        let mut input = self.minutes_input(meeting_id)?;
        if redact && let Some(input) = &mut input {
            // Those the minutes may name, looked up from their text as written.
            let plain = crate::minutes::render(input, &crate::minutes::Options::default());
            input
                .people
                .extend(self.recorded_people_in([plain.as_str()])?);
        }
        Ok(input)
    }

    /// Everything the minutes of a meeting show, read in one snapshot; `None` for an unknown id.
    pub fn minutes_input(&self, meeting_id: i64) -> Result<Option<MinutesInput>> {
        let tx = self.conn().unchecked_transaction()?;
        let Some(meeting) = self.meeting_record(meeting_id)? else {
            return Ok(None);
        };
        // Prepared once a connection: the minutes screen reads them again at each change.
        let body = tx
            .prepare_cached(
                "SELECT b.name, b.organiser, b.kind, b.personal_info, m.approved_at, m.approved_by,
                        b.ward_id
                 FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1",
            )?
            .query_row([meeting_id], |r| {
                Ok((
                    BodyInfo {
                        name: r.get(0)?,
                        organiser: r.get(1)?,
                        kind: r.get(2)?,
                        personal_info: r.get(3)?,
                        ward: None,
                    },
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })?;
        let (mut body, approved_at, approved_by, ward) = body;
        let approved = meeting.minutes == MinutesState::Approved;
        // Approved minutes show the ward as they were approved: a ward renamed afterwards is a
        // 修正履歴 line, a second ward gathered adds no 区 line to a header that had none.
        body.ward = match approved {
            true => super::ward::shown_as_approved(&tx, meeting_id, ward)?,
            false => super::ward::shown_among_many(&tx, ward)?,
        };
        let approval = approved.then(|| Approval {
            at: approved_at.clone().unwrap_or_default(),
            by: approved_by,
        });
        let next_meeting = match meeting
            .next_meeting
            .clone()
            .filter(|d| !d.trim().is_empty())
        {
            Some(date) => Some(date),
            None => self.next_meeting_after(meeting_id)?,
        };
        let mut carried = self.carried_actions(meeting_id)?;
        if approved && let Some(at) = &approved_at {
            self.as_at_approval(&mut carried, at)?;
        }
        let mut people =
            self.people_of_meetings(meeting_id, carried.iter().map(|a| a.from_meeting))?;
        let (cases, household) = self.cases_at_meeting(meeting_id)?;
        people.extend(household);
        people.extend(self.households_taken_off(meeting_id)?);
        people.extend(self.cases_key_people(meeting_id)?);
        let input = MinutesInput {
            body,
            approval,
            carried,
            people,
            amendments: self.amendments(meeting_id)?,
            next_meeting,
            contributors: self.contributors(meeting_id)?,
            during: During {
                reviews: self.reviews_at(meeting_id)?,
                case_reviews: self.meeting_reviews(meeting_id)?,
                captured: self.captured_per_item(meeting_id)?,
            },
            meeting,
            cases,
        };
        tx.commit()?;
        Ok(Some(input))
    }

    /// Per agenda item (as the record lists them: by position, removed ones left out), the role
    /// assignments and next actions captured while it ran.
    fn captured_per_item(&self, meeting_id: i64) -> Result<Vec<Captured>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT (SELECT COUNT(*) FROM role_assignments r WHERE r.meeting_id = i.meeting_id
                       AND r.deleted_at IS NULL AND r.created_at >= i.started_at
                       AND (i.ended_at IS NULL OR r.created_at < i.ended_at)),
                    (SELECT COUNT(*) FROM next_actions n WHERE n.meeting_id = i.meeting_id
                       AND n.deleted_at IS NULL AND n.created_at >= i.started_at
                       AND (i.ended_at IS NULL OR n.created_at < i.ended_at)),
                    (SELECT COUNT(*) FROM case_issues c WHERE c.meeting_id = i.meeting_id
                       AND c.deleted_at IS NULL AND c.created_at >= i.started_at
                       AND (i.ended_at IS NULL OR c.created_at < i.ended_at))
             FROM agenda_items i WHERE i.meeting_id = ?1 AND i.deleted_at IS NULL
             ORDER BY i.position, i.id",
        )?;
        let count = |r: &rusqlite::Row<'_>, i: usize| r.get::<_, i64>(i).map(|n| n as usize);
        let rows = stmt.query_map([meeting_id], |r| {
            Ok(Captured {
                roles: count(r, 0)?,
                actions: count(r, 1)?,
                issues: count(r, 2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The households of the cases a meeting discussed or reviewed and no longer lists (a case
    /// taken off it after its review: the review stays a record of the meeting, and its notes and
    /// the meeting's may still name the family).
    /// The key person and who gave consent of each case a meeting discussed or reviewed (a
    /// relative outside the household, as often as not): the meeting's own people, found by
    /// every part as its cases' households are.
    fn cases_key_people(&self, meeting_id: i64) -> Result<Vec<Person>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT key_person FROM cases WHERE id IN (SELECT case_id FROM meeting_cases
                 WHERE meeting_id = ?1 UNION SELECT case_id FROM case_reviews WHERE meeting_id = ?1)
             UNION ALL SELECT consent_by FROM cases WHERE id IN (SELECT case_id FROM meeting_cases
                 WHERE meeting_id = ?1 UNION SELECT case_id FROM case_reviews WHERE meeting_id = ?1)",
        )?;
        let texts: Vec<String> = stmt
            .query_map([meeting_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(texts
            .iter()
            .filter(|t| crate::minutes::redact::key_person_name(t).is_some())
            .filter_map(|t| Person::from_field(t, PersonKind::KeyPerson))
            .collect())
    }

    fn households_taken_off(&self, meeting_id: i64) -> Result<Vec<Person>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.relation, c.name FROM case_members c
             WHERE c.case_id IN (
                   SELECT k.case_id FROM meeting_cases k
                   WHERE k.meeting_id = ?1 AND k.deleted_at IS NOT NULL
                   UNION SELECT r.case_id FROM case_reviews r WHERE r.meeting_id = ?1)
               AND c.case_id NOT IN (SELECT k.case_id FROM meeting_cases k
                   WHERE k.meeting_id = ?1 AND k.deleted_at IS NULL)
             ORDER BY c.case_id, c.position, c.id",
        )?;
        let rows: Vec<(String, String)> = stmt
            .query_map([meeting_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(crate::cases::household_people(&rows))
    }

    /// People whose names the minutes of `meeting_id` may show besides its current ones: everyone
    /// recorded at the meetings its carried-over actions come from (facilitator, recorder,
    /// attendees, case subject, key person), and this meeting's removed attendees and earlier
    /// values of its name fields (a note may still name them).
    pub(crate) fn people_of_meetings(
        &self,
        meeting_id: i64,
        earlier: impl Iterator<Item = i64>,
    ) -> Result<Vec<Person>> {
        let mut ids: Vec<i64> = earlier.filter(|&id| id != meeting_id).collect();
        ids.sort_unstable();
        ids.dedup();
        self.meeting_people(Some(meeting_id), &ids, PersonKind::EarlierMeeting)
    }

    /// Everyone recorded at these meetings, the whole of each (what a document that shows no
    /// meeting's own lists — the case record — must replace): facilitator, recorder, case subject,
    /// key person, every attendee (removed ones too), the earlier values of those fields, and the
    /// members of every case the meetings discussed or reviewed (removed ones, and cases taken off
    /// the meeting, too).
    pub(crate) fn people_at_meetings(&self, meetings: &[i64]) -> Result<Vec<Person>> {
        let mut people = self.meeting_people(None, meetings, PersonKind::Attendee)?;
        let mut members = self.conn().prepare_cached(
            "SELECT c.relation, c.name FROM case_members c
             WHERE c.case_id IN (SELECT k.case_id FROM meeting_cases k WHERE k.meeting_id = ?1
                                 UNION SELECT r.case_id FROM case_reviews r WHERE r.meeting_id = ?1)
             ORDER BY c.case_id, c.position, c.id",
        )?;
        for &id in meetings {
            let rows: Vec<(String, String)> = members
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            people.extend(crate::cases::household_people(&rows));
        }
        Ok(people)
    }

    /// The people of `own` that its minutes do not list themselves (removed attendees, earlier
    /// values of name fields), and everyone of the meetings `others` (as `kind`: the attendees,
    /// and the name fields by what they are when `kind` is [`PersonKind::Attendee`]).
    fn meeting_people(
        &self,
        own: Option<i64>,
        others: &[i64],
        kind: PersonKind,
    ) -> Result<Vec<Person>> {
        let mut people = Vec::new();
        let mut fields = self.conn().prepare_cached(
            "SELECT facilitator, recorder, case_subject, key_person FROM meetings WHERE id = ?1",
        )?;
        let mut attendees = self.conn().prepare_cached(
            "SELECT name FROM attendees WHERE meeting_id = ?1 AND (?2 OR deleted_at IS NOT NULL)
             ORDER BY id",
        )?;
        let mut changes = self.conn().prepare_cached(
            "SELECT field, old_value, new_value FROM changes WHERE meeting_id = ?1
               AND ((entity = 'meeting'
                     AND field IN ('facilitator', 'recorder', 'case_subject', 'key_person'))
                    OR (entity = 'attendee' AND field = 'name'))
             ORDER BY id",
        )?;
        // A field's own kind when the meetings are the document's own (the case record's).
        let field_kind = |field: &str| match (kind, field) {
            (PersonKind::Attendee, "facilitator") => PersonKind::Facilitator,
            (PersonKind::Attendee, "recorder") => PersonKind::Recorder,
            (PersonKind::Attendee, "case_subject") => PersonKind::CaseSubject,
            (PersonKind::Attendee, "key_person") => PersonKind::KeyPerson,
            _ => kind,
        };
        let mut add = |text: &str, field: &str, kind: PersonKind| {
            if field != "key_person" || crate::minutes::redact::key_person_name(text).is_some() {
                people.extend(Person::from_field(text, kind));
            }
        };
        let all = own
            .into_iter()
            .map(|id| (id, false))
            .chain(others.iter().map(|&id| (id, true)));
        for (id, whole) in all {
            let own_kind = if whole { kind } else { PersonKind::Attendee };
            if whole {
                let row = fields
                    .query_row([id], |r| {
                        Ok([r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
                    })
                    .optional()?
                    .unwrap_or_default();
                let names = ["facilitator", "recorder", "case_subject", "key_person"];
                for (name, field) in row.iter().zip(names) {
                    add(name, field, field_kind(field));
                }
            }
            let names = attendees.query_map(params![id, whole], |r| r.get::<_, String>(0))?;
            for name in names {
                add(&name?, "", own_kind);
            }
            let values = changes.query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?;
            for row in values {
                let (field, old, new) = row?;
                for value in [old, new].into_iter().flatten() {
                    add(&value, &field, own_kind);
                }
            }
        }
        Ok(people)
    }

    /// The date of the next meeting of the same body after this one that is not cancelled.
    /// Approved minutes take only a meeting that was in the calendar when they were approved: one
    /// scheduled afterwards changed their 次回開催予定 silently (未定 became its date).
    fn next_meeting_after(&self, meeting_id: i64) -> Result<Option<String>> {
        // Kept prepared: preparing it (the parse against the whole schema) was most of its time
        // in the minutes. `y.date >= o.date`, implied by `y_after_o`, lets the index of a body's
        // meetings by date start at the meeting.
        Ok(self
            .conn()
            .prepare_cached(concat!(
                "SELECT y.date FROM meetings o JOIN meetings y ON y.body_id = o.body_id
                 WHERE o.id = ?1 AND y.date >= o.date AND y.status <> 'cancelled'
                   AND (o.minutes_state <> 'approved' OR o.approved_at IS NULL
                        OR julianday(y.created_at) <= julianday(o.approved_at)) AND ",
                y_after_o!(),
                " ORDER BY y.date, y.id LIMIT 1"
            ))?
            .query_row([meeting_id], |r| r.get(0))
            .optional()?)
    }

    /// The next actions reviewed at this meeting, each with its state now, oldest first: those
    /// of earlier meetings that were still open when it took place — of the cases it discusses,
    /// whatever body made them, and of its body (those that belong to no case, when it
    /// discusses cases).
    pub fn carried_actions(&self, meeting_id: i64) -> Result<Vec<CarriedAction>> {
        // Two reads joined: the body's earlier meetings, and the actions of the meeting's cases
        // (by the index on their case), each answered from an index.
        let mut stmt = self.conn().prepare_cached(concat!(
            "SELECT n.id, o.id, o.date, a.name, n.text, n.due_date, n.status, n.closed_in, c.date,
                    n.closed_at
             FROM meetings y
             JOIN meetings o ON o.body_id = y.body_id
             JOIN next_actions n ON n.meeting_id = o.id
             LEFT JOIN agencies a ON a.id = n.agency_id
             LEFT JOIN meetings c ON c.id = n.closed_in
             WHERE y.id = ?1 AND n.deleted_at IS NULL AND ",
            y_after_o!(),
            " AND ",
            open_at_y!(),
            " AND ",
            reviewed_at_y!(),
            " UNION ALL
             SELECT n.id, o.id, o.date, a.name, n.text, n.due_date, n.status, n.closed_in, c.date,
                    n.closed_at
             FROM meetings y
             JOIN meeting_cases k ON k.meeting_id = y.id AND k.deleted_at IS NULL
             JOIN next_actions n ON n.case_id = k.case_id
             JOIN meetings o ON o.id = n.meeting_id
             LEFT JOIN agencies a ON a.id = n.agency_id
             LEFT JOIN meetings c ON c.id = n.closed_in
             WHERE y.id = ?1 AND n.deleted_at IS NULL AND o.body_id <> y.body_id AND ",
            y_after_o!(),
            " AND ",
            open_at_y!(),
            " ORDER BY 3, 2, 1"
        ))?;
        let rows = stmt.query_map([meeting_id], |r| {
            Ok((
                CarriedAction {
                    id: r.get(0)?,
                    from_meeting: r.get(1)?,
                    from_date: r.get(2)?,
                    agency: r.get(3)?,
                    text: r.get(4)?,
                    due: r.get(5)?,
                    status: ActionStatus::Open,
                    closed_in: r.get(7)?,
                    closed_in_date: r.get(8)?,
                    closed_at: r.get(9)?,
                },
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut action, status) = row?;
            action.status = parse_action_status(&status)?;
            out.push(action);
        }
        Ok(out)
    }

    /// The carried actions of approved minutes in the state they had when the minutes were
    /// approved (`approved_at`): the minutes are the record as approved, and an action closed or
    /// reopened afterwards changed the text of minutes nobody amended (an action carried as 未完了
    /// read 完了). Each status change is recorded with its time (`changes`, field `status`):
    /// the first one after the approval holds, as its old value, the state at approval. Closed
    /// afterwards, the action reads open, with no closing meeting; reopened afterwards, closed
    /// as it was (the meeting it was closed in is no longer held: its state without the date).
    fn as_at_approval(&self, carried: &mut [CarriedAction], approved_at: &str) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT old_value FROM changes
             WHERE entity = 'next_action' AND entity_id = ?1 AND field = 'status'
               AND julianday(at) > julianday(?2)
             ORDER BY at, id LIMIT 1",
        )?;
        for action in carried {
            let then: Option<Option<String>> = stmt
                .query_row(params![action.id, approved_at], |r| r.get(0))
                .optional()?;
            let Some(Some(then)) = then else {
                continue;
            };
            let then = parse_action_status(&then)?;
            if then == action.status {
                continue;
            }
            action.status = then;
            if then == ActionStatus::Open {
                action.closed_in = None;
                action.closed_in_date = None;
                action.closed_at = None;
            }
        }
        Ok(())
    }

    /// Sets a next action's status. Closing (done or dropped) stamps when and, when it happens at
    /// a meeting, in which; reopening clears both. The change is recorded against the meeting
    /// that created the action, as an amendment when its minutes are approved. Setting the status
    /// it already has changes nothing.
    pub fn close_action(
        &mut self,
        action_id: i64,
        status: ActionStatus,
        in_meeting: Option<i64>,
    ) -> Result<()> {
        self.write(|tx, now, user| {
            let (meeting_id, old): (i64, String) = tx
            .query_row(
                "SELECT meeting_id, status FROM next_actions WHERE id = ?1 AND deleted_at IS NULL",
                [action_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::Invalid(format!("next action {action_id} not found")))?;
            if let Some(m) = in_meeting
                && !meeting_exists(tx, m)?
            {
                return Err(not_found(m));
            }
            if old == status.code() {
                return Ok(());
            }
            let closing = status != ActionStatus::Open;
            tx.execute(
            "UPDATE next_actions SET status = ?2, closed_at = ?3, closed_in = ?4, updated_at = ?5
             WHERE id = ?1",
            params![
                action_id,
                status.code(),
                closing.then_some(&now),
                in_meeting.filter(|_| closing),
                now
            ],
        )?;
            let change = Change {
                meeting_id,
                entity: "next_action",
                entity_id: action_id,
                field: "status",
                old: Some(&old),
                new: Some(status.code()),
            };
            record_change(tx, now, user, &change)?;
            Ok(())
        })
    }

    /// Where a next action has been: created at its meeting, carried to each later meeting of the
    /// body (not cancelled) at which it was still open, then closed or reopened.
    pub fn action_history(&self, action_id: i64) -> Result<Vec<ActionEvent>> {
        let conn = self.conn();
        let head = conn
            .query_row(
                "SELECT o.id, o.date, n.status, n.closed_in, c.date, n.closed_at
                 FROM next_actions n JOIN meetings o ON o.id = n.meeting_id
                 LEFT JOIN meetings c ON c.id = n.closed_in
                 WHERE n.id = ?1",
                [action_id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((origin, origin_date, status, closed_in, closed_date, closed_at)) = head else {
            return Err(StoreError::Invalid(format!(
                "next action {action_id} not found"
            )));
        };
        let mut events = vec![ActionEvent {
            kind: ActionEventKind::Created,
            meeting_id: Some(origin),
            meeting_date: Some(origin_date),
            at: None,
            due: None,
            note: String::new(),
        }];
        events.extend(self.carried_to(action_id)?);
        // Each continuation after the meeting it was made at (or after the carrying, outside one).
        for review in self.reviews_of(action_id)? {
            let at = events
                .iter()
                .rposition(|e| e.meeting_id.is_some() && e.meeting_id == review.meeting_id)
                .map_or(events.len(), |i| i + 1);
            let event = ActionEvent {
                kind: ActionEventKind::Continued,
                meeting_id: review.meeting_id,
                meeting_date: review.meeting_date,
                at: Some(review.at),
                due: review.due_after,
                note: review.note,
            };
            events.insert(at, event);
        }
        let mut changes = self.status_changes(action_id)?;
        let status = parse_action_status(&status)?;
        if changes.is_empty() && status != ActionStatus::Open {
            changes.push((closed_at, status));
        }
        let last = changes.len().saturating_sub(1);
        for (i, (at, new)) in changes.into_iter().enumerate() {
            let kind = match new {
                ActionStatus::Open => ActionEventKind::Reopened,
                ActionStatus::Done => ActionEventKind::Done,
                ActionStatus::Dropped => ActionEventKind::Dropped,
            };
            // Only the latest close knows its meeting: reopening clears it.
            let here = i == last && new != ActionStatus::Open && closed_in.is_some();
            events.push(ActionEvent {
                kind,
                meeting_id: closed_in.filter(|_| here),
                meeting_date: closed_date.clone().filter(|_| here),
                at,
                due: None,
                note: String::new(),
            });
        }
        Ok(events)
    }

    fn carried_to(&self, action_id: i64) -> Result<Vec<ActionEvent>> {
        let mut stmt = self.conn().prepare_cached(concat!(
            "SELECT y.id, y.date FROM next_actions n
             JOIN meetings o ON o.id = n.meeting_id
             JOIN meetings y ON y.body_id = o.body_id
             WHERE n.id = ?1 AND y.status <> 'cancelled' AND ",
            y_after_o!(),
            " AND ",
            open_at_y!(),
            " AND ",
            reviewed_at_y!(),
            " UNION
             SELECT y.id, y.date FROM next_actions n
             JOIN meetings o ON o.id = n.meeting_id
             JOIN meeting_cases k ON k.case_id = n.case_id AND k.deleted_at IS NULL
             JOIN meetings y ON y.id = k.meeting_id
             WHERE n.id = ?1 AND y.status <> 'cancelled' AND ",
            y_after_o!(),
            " AND ",
            open_at_y!(),
            " ORDER BY 2, 1"
        ))?;
        let rows = stmt.query_map([action_id], |r| {
            Ok(ActionEvent {
                kind: ActionEventKind::CarriedTo,
                meeting_id: Some(r.get(0)?),
                meeting_date: Some(r.get(1)?),
                at: None,
                due: None,
                note: String::new(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn status_changes(&self, action_id: i64) -> Result<Vec<(Option<String>, ActionStatus)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT at, new_value FROM changes
             WHERE entity = 'next_action' AND entity_id = ?1 AND field = 'status'
             ORDER BY at, id",
        )?;
        let rows = stmt.query_map([action_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, new) = row?;
            out.push((Some(at), parse_action_status(new.as_deref().unwrap_or(""))?));
        }
        Ok(out)
    }

    /// Approves the minutes of a held meeting; from then on every change to the meeting is an
    /// amendment listed with them.
    pub fn approve_minutes(&mut self, meeting_id: i64) -> Result<()> {
        let approver = self.signature();
        self.write(|tx, now, user| {
            let (status, state, approved_at, started, ended): (
                String,
                String,
                Option<String>,
                bool,
                bool,
            ) = tx
                .query_row(
                    "SELECT status, minutes_state, approved_at, started_at IS NOT NULL,
                            ended_at IS NOT NULL
                     FROM meetings WHERE id = ?1",
                    [meeting_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?
                .ok_or_else(|| not_found(meeting_id))?;
            if state == MinutesState::Approved.code() {
                let message = match approved_at {
                    Some(at) => Msg::new("already_approved_at").with("at", at),
                    None => Msg::new("already_approved"),
                };
                return Err(message.with("id", meeting_id).into());
            }
            if status != MeetingStatus::Held.code() {
                // As the lists say it (開催中 for a meeting begun, not `planned`), in the
                // reader's language (attack report 6, finding 10).
                let said = status.parse::<MeetingStatus>().map_or(status.clone(), |s| {
                    let phase = crate::domain::model::MeetingPhase::of(s, started, ended);
                    crate::i18n::message_lang()
                        .pick(phase.label_ja(), phase.label_en())
                        .to_owned()
                });
                return Err(Msg::new("not_held")
                    .with("id", meeting_id)
                    .with("status", said)
                    .into());
            }
            let change = Change::meeting(
                meeting_id,
                "minutes_state",
                Some(MinutesState::Draft.code()),
                Some(MinutesState::Approved.code()),
            );
            record_change(tx, now, user, &change)?;
            // The ward the minutes show as approved (none in a ward's own database), recorded
            // with the approval (not an amendment): what their header keeps whatever the
            // database's wards become (`ward::shown_as_approved`); an export carries it.
            let ward = super::ward::shown_for_meeting(tx, meeting_id)?;
            record_change(
                tx,
                now,
                user,
                &Change::meeting(meeting_id, "ward", None, ward.as_deref()),
            )?;
            tx.execute(
            "UPDATE meetings SET minutes_state = 'approved', approved_at = ?2, approved_by = ?3,
                                 updated_at = ?2
             WHERE id = ?1",
            params![meeting_id, now, approver],
        )?;
            Ok(())
        })
    }

    /// The changes made after the minutes were approved, oldest first. A change an import
    /// brought that names no entry of the database (its entry not given, or unknown) has
    /// entity id 0 and no subject: shown, not a failure of the whole minutes.
    pub fn amendments(&self, meeting_id: i64) -> Result<Vec<Amendment>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.at, c.by, c.entity, COALESCE(c.entity_id, 0), c.field, c.old_value, c.new_value,
                    CASE c.entity
                        WHEN 'next_action' THEN (SELECT text FROM next_actions WHERE id = c.entity_id)
                        WHEN 'agenda_item' THEN (SELECT title FROM agenda_items WHERE id = c.entity_id)
                        WHEN 'agenda_entry' THEN (SELECT text FROM agenda_entries WHERE id = c.entity_id)
                        WHEN 'role_assignment' THEN (SELECT responsibility FROM role_assignments
                                                     WHERE id = c.entity_id)
                        WHEN 'attendee' THEN (SELECT name FROM attendees WHERE id = c.entity_id)
                        WHEN 'case_issue' THEN (SELECT category FROM case_issues WHERE id = c.entity_id)
                        WHEN 'case_review' THEN (SELECT k.pseudonym FROM case_reviews v
                                                 JOIN cases k ON k.id = v.case_id
                                                 WHERE v.id = c.entity_id)
                    END
             FROM changes c
             WHERE c.meeting_id = ?1 AND c.amendment = 1
             ORDER BY c.at, c.id",
        )?;
        let rows = stmt.query_map([meeting_id], |r| {
            Ok(Amendment {
                at: r.get(0)?,
                by: r.get(1)?,
                entity: r.get(2)?,
                entity_id: r.get(3)?,
                field: r.get(4)?,
                old_value: r.get(5)?,
                new_value: r.get(6)?,
                subject: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes one text field of a meeting (place, support_policy, remaining_issues, handouts,
    /// key_person, risk, urgency …) and records the change: never a silent edit, and an
    /// amendment once the minutes are approved. Setting the value it already has changes nothing.
    pub fn amend_meeting_field(
        &mut self,
        meeting_id: i64,
        field: &str,
        new_value: &str,
    ) -> Result<()> {
        let (name, column, kind) = meeting_field(field)?;
        let value = field_value(name, kind, new_value)?;
        self.write(|tx, now, user| {
            // `column` comes from MEETING_FIELDS, never from the caller.
            let old: Option<String> = tx
                .query_row(
                    &format!("SELECT {column} FROM meetings WHERE id = ?1"),
                    [meeting_id],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| not_found(meeting_id))?;
            if old == value {
                return Ok(());
            }
            tx.execute(
                &format!("UPDATE meetings SET {column} = ?2, updated_at = ?3 WHERE id = ?1"),
                params![meeting_id, value, now],
            )?;
            let change = Change::meeting(meeting_id, column, old.as_deref(), value.as_deref());
            record_change(tx, now, user, &change)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked() {
        assert!(meeting_field("place").is_ok());
        assert_eq!(
            meeting_field("next_meeting").unwrap().1,
            "next_meeting_date"
        );
        assert_eq!(
            meeting_field("next_meeting_date").unwrap().1,
            "next_meeting_date"
        );
        let err = meeting_field("id; DROP TABLE meetings")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown meeting field"), "{err}");
        assert_eq!(
            field_value("start", FieldKind::Time, " 9:30 ").unwrap(),
            Some("09:30".to_owned())
        );
        assert_eq!(field_value("end", FieldKind::Time, "").unwrap(), None);
        assert!(field_value("next_meeting", FieldKind::Date, "来週").is_err());
        assert_eq!(
            field_value("place", FieldKind::Text, " 会議室 ").unwrap(),
            Some(" 会議室 ".to_owned())
        );
    }

    #[test]
    fn history_reads_as_a_sentence() {
        let e = ActionEvent {
            kind: ActionEventKind::CarriedTo,
            meeting_id: Some(3),
            meeting_date: Some("2026-11-21".to_owned()),
            at: None,
            due: None,
            note: String::new(),
        };
        assert_eq!(e.describe(Lang::Ja), "会議 #3（2026-11-21（土））に継続");
        assert_eq!(
            e.describe(Lang::En),
            "carried to meeting #3 (2026-11-21 (Sat))"
        );
    }
}
