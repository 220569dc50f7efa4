//! One meeting as the setup and live screens show it: every row with its id, so that any entry
//! can be corrected or undone, and the timestamps the clocks are derived from.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, params};

use super::capture::Entity;
use super::setup::RecordFields;
use super::{Result, Store, StoreError};
use crate::domain::model::{
    ActionStatus, Attendance, EntryKind, MeetingStatus, MinutesState, Role,
};

#[derive(Debug, Clone, PartialEq)]
pub struct LiveMeeting {
    pub id: i64,
    pub body_id: i64,
    pub body: String,
    pub body_kind: String,
    pub organiser: String,
    pub date: NaiveDate,
    pub start: Option<String>,
    pub end: Option<String>,
    pub place: String,
    pub status: MeetingStatus,
    pub confidential: bool,
    pub started_at: Option<DateTime<FixedOffset>>,
    pub ended_at: Option<DateTime<FixedOffset>>,
    pub current_item: Option<i64>,
    pub case_ref: String,
    pub lead_agency: Option<String>,
    pub key_person: String,
    pub risk: String,
    pub urgency: String,
    pub support_policy: String,
    /// The case the meeting's captures go to (the one being discussed, or its only case).
    pub case_now: Option<String>,
    pub members: Vec<String>,
    /// The agencies that came to the body's earlier meetings, the latest first.
    pub past_agencies: Vec<String>,
    /// Place, legal basis, supervisor, referring agency, handouts, remaining issues, next date.
    pub record: RecordFields,
    /// The body's last meeting held before this one (whose minutes setup shows).
    pub previous_held: Option<i64>,
    /// The earlier meeting whose roster this one can take, and its date.
    pub roster_from: Option<(i64, NaiveDate)>,
    pub attendees: Vec<AttendeeRow>,
    pub items: Vec<ItemRow>,
    pub roles: Vec<RoleRow>,
    pub actions: Vec<ActionRow>,
    pub issues: Vec<(i64, String)>,
}

impl LiveMeeting {
    /// Opened and not yet closed.
    pub fn is_live(&self) -> bool {
        self.started_at.is_some() && self.ended_at.is_none()
    }

    pub fn current(&self) -> Option<&ItemRow> {
        self.current_item
            .and_then(|id| self.items.iter().find(|i| i.id == id))
    }

    /// Whether a row of `entity` with this id is one of this meeting's (and not removed).
    pub fn holds(&self, entity: Entity, id: i64) -> bool {
        match entity {
            Entity::Attendee => self.attendees.iter().any(|a| a.id == id),
            Entity::AgendaItem => self.items.iter().any(|i| i.id == id),
            Entity::Entry => self
                .items
                .iter()
                .flat_map(|i| &i.entries)
                .any(|e| e.id == id),
            Entity::Role => self.roles.iter().any(|r| r.id == id),
            Entity::Action => self.actions.iter().any(|a| a.id == id),
            Entity::CaseIssue => self.issues.iter().any(|(i, _)| *i == id),
        }
    }

    /// The agencies near this meeting, for the first rank of a picker: the body's members, those
    /// attending, then those that came to its earlier meetings.
    pub fn agency_choices(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let attending = self.attendees.iter().filter_map(|a| a.agency.clone());
        let past = self.past_agencies.iter().cloned();
        for name in self.members.iter().cloned().chain(attending).chain(past) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttendeeRow {
    pub id: i64,
    pub agency: Option<String>,
    pub name: String,
    pub title: String,
    pub role: Role,
    pub attendance: Attendance,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub id: i64,
    pub title: String,
    pub planned_min: Option<u32>,
    pub started_at: Option<DateTime<FixedOffset>>,
    pub ended_at: Option<DateTime<FixedOffset>>,
    pub entries: Vec<EntryRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntryRow {
    pub id: i64,
    pub kind: EntryKind,
    pub text: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoleRow {
    pub id: i64,
    pub agency: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub agency: Option<String>,
    pub text: String,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
}

/// The open next actions in the order the actions screen lists them (see
/// [`Store::open_action_order`]): how many, and their groups; the ids themselves wait in a
/// temporary table of the connection, read a window at a time ([`Store::action_order_ids`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionOrder {
    /// How many actions are listed.
    pub len: usize,
    /// The groups in the order listed, each once.
    pub groups: Vec<ActionGroup>,
}

/// A group of the actions screen: the overdue or the other actions of one agency — of one
/// ward, where the database holds the bodies of several (each ward's こども家庭支援課 is a list
/// of its own).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionGroup {
    pub overdue: bool,
    /// The ward's row, where the database holds the bodies of several wards.
    pub ward: Option<i64>,
    pub agency: Option<String>,
    /// The place in the order of the group's first action.
    pub first: usize,
}

impl ActionOrder {
    /// The group (an index in `groups`) the action at `n` of the order is listed under.
    pub fn group_of(&self, n: usize) -> usize {
        self.groups
            .partition_point(|g| g.first <= n)
            .saturating_sub(1)
    }
}

/// One meeting of a body in its list: when, where, how it stands and its minutes.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyMeeting {
    pub id: i64,
    pub date: NaiveDate,
    pub start: Option<String>,
    pub place: String,
    pub status: MeetingStatus,
    /// Begun and not ended.
    pub running: bool,
    pub minutes: MinutesState,
    /// Notes, decisions, role assignments and next actions recorded.
    pub captures: i64,
}

fn stamp(text: Option<String>) -> Option<DateTime<FixedOffset>> {
    text.and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn code<T: std::str::FromStr<Err = String>>(text: String) -> Result<T> {
    text.parse().map_err(StoreError::Invalid)
}

impl Store {
    pub fn live_meeting(&self, id: i64) -> Result<Option<LiveMeeting>> {
        let conn = self.conn();
        let head = conn
            .prepare_cached("SELECT m.id, m.body_id, b.name, b.kind, b.organiser, m.date, m.start_time, m.end_time, m.place,
                        m.status, m.confidential, m.started_at, m.ended_at, m.current_item_id, m.case_ref,
                        l.name, m.key_person, m.risk, m.urgency, m.support_policy
                 FROM meetings m JOIN bodies b ON b.id = m.body_id
                 LEFT JOIN agencies l ON l.id = m.lead_agency WHERE m.id = ?1")?.query_row(
                [id],
                |r| {
                    Ok((
                        (r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?),
                        (r.get::<_, String>(4)?, r.get::<_, String>(5)?, r.get::<_, Option<String>>(6)?, r.get(7)?, r.get::<_, String>(8)?),
                        (r.get::<_, String>(9)?, r.get::<_, bool>(10)?, r.get(11)?, r.get(12)?, r.get(13)?),
                        (r.get::<_, String>(14)?, r.get(15)?, r.get::<_, String>(16)?, r.get::<_, String>(17)?),
                        (r.get::<_, String>(18)?, r.get::<_, String>(19)?),
                    ))
                },
            )
            .optional()?;
        let Some((a, b, c, d, e)) = head else {
            return Ok(None);
        };
        let meeting_date = date(Some(b.1.clone())).ok_or_else(|| {
            StoreError::Invalid(format!("meeting {id}: date '{}' is not a date", b.1))
        })?;
        Ok(Some(LiveMeeting {
            id: a.0,
            body_id: a.1,
            body: a.2,
            body_kind: a.3,
            organiser: b.0,
            date: meeting_date,
            end: crate::domain::calendar::known_end(
                b.2.as_deref(),
                b.3,
                Option::<String>::is_some(&c.3),
            ),
            start: b.2,
            place: b.4,
            status: code(c.0)?,
            confidential: c.1,
            started_at: stamp(c.2),
            ended_at: stamp(c.3),
            current_item: c.4,
            case_ref: d.0,
            lead_agency: d.1,
            key_person: d.2,
            risk: d.3,
            urgency: e.0,
            support_policy: e.1,
            case_now: super::cases::capture_case(self.conn(), id)?,
            members: self.members_of(a.1)?,
            past_agencies: self.past_agencies(a.1)?,
            record: self.record_fields(id)?,
            previous_held: self.previous_held(id)?,
            roster_from: self.last_roster(id)?,
            attendees: self.attendee_rows(id)?,
            items: self.item_rows(id)?,
            roles: self.role_rows(id)?,
            actions: self.action_rows(id)?,
            issues: self.issue_rows(id)?,
        }))
    }

    /// How a meeting stands: its status, and whether it runs (begun, not ended).
    pub fn meeting_state(&self, id: i64) -> Result<(MeetingStatus, bool)> {
        let (status, running): (String, bool) = self
            .conn()
            .query_row(
                "SELECT status, started_at IS NOT NULL AND ended_at IS NULL FROM meetings WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::Invalid(format!("no meeting with id {id}")))?;
        Ok((code(status)?, running))
    }

    /// The meetings of a body, the latest first, with their minutes' state.
    pub fn meetings_of_body(&self, body_id: i64) -> Result<Vec<BodyMeeting>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.id, m.date, m.start_time, m.place, m.status,
                    m.started_at IS NOT NULL AND m.ended_at IS NULL, m.minutes_state,
                    (SELECT COUNT(*) FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
                      WHERE i.meeting_id = m.id AND e.deleted_at IS NULL)
                    + (SELECT COUNT(*) FROM role_assignments r WHERE r.meeting_id = m.id AND r.deleted_at IS NULL)
                    + (SELECT COUNT(*) FROM next_actions n WHERE n.meeting_id = m.id AND n.deleted_at IS NULL)
             FROM meetings m WHERE m.body_id = ?1
             ORDER BY m.date DESC, m.start_time DESC, m.id DESC",
        )?;
        let rows = stmt.query_map([body_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, i64>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, day, start, place, status, running, minutes, captures) = row?;
            let Some(date) = date(Some(day)) else {
                continue;
            };
            out.push(BodyMeeting {
                id,
                date,
                start,
                place,
                status: code(status)?,
                running,
                minutes: code(minutes)?,
                captures,
            });
        }
        Ok(out)
    }

    fn past_agencies(&self, body_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.name FROM attendees t JOIN meetings o ON o.id = t.meeting_id
             JOIN agencies a ON a.id = t.agency_id
             WHERE o.body_id = ?1 AND t.deleted_at IS NULL
             GROUP BY a.id ORDER BY MAX(o.date) DESC, MIN(t.position)",
        )?;
        let rows = stmt.query_map([body_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn previous_held(&self, meeting_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT o.id FROM meetings y JOIN meetings o ON o.body_id = y.body_id
                 WHERE y.id = ?1 AND o.status = 'held'
                   AND (o.date < y.date OR (o.date = y.date AND o.id < y.id))
                 ORDER BY o.date DESC, o.id DESC LIMIT 1",
                [meeting_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The case issue categories recorded so far that `offered` keeps (a picker's: those its
    /// vocabulary does not know), the most used first, then by name. The distinct categories are
    /// read from their index, each a seek past the one before (schema step 23), and only the
    /// issues of a category kept are counted: a database's issues are never all read.
    pub fn issue_categories(&self, offered: impl Fn(&str) -> bool) -> Result<Vec<String>> {
        let mut distinct = self.conn().prepare_cached(
            "WITH RECURSIVE seen(category) AS (
                 SELECT MIN(category) FROM case_issues
                 WHERE deleted_at IS NULL AND category <> ''
                 UNION ALL
                 SELECT (SELECT MIN(i.category) FROM case_issues i
                         WHERE i.deleted_at IS NULL AND i.category <> ''
                           AND i.category > seen.category)
                 FROM seen WHERE seen.category IS NOT NULL)
             SELECT category FROM seen WHERE category IS NOT NULL",
        )?;
        let categories: Vec<String> = distinct
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut count = self.conn().prepare_cached(
            "SELECT COUNT(*) FROM case_issues
             WHERE deleted_at IS NULL AND category <> '' AND category = ?1",
        )?;
        let mut counted: Vec<(i64, String)> = Vec::new();
        for category in categories.into_iter().filter(|c| offered(c)) {
            counted.push((count.query_row([&category], |r| r.get(0))?, category));
        }
        counted.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(counted.into_iter().map(|(_, category)| category).collect())
    }

    fn members_of(&self, body_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.name FROM body_members m JOIN agencies a ON a.id = m.agency_id WHERE m.body_id = ?1 ORDER BY m.position",
        )?;
        let rows = stmt.query_map([body_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn attendee_rows(&self, meeting: i64) -> Result<Vec<AttendeeRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.id, a.name, t.name, t.title, t.role, t.attendance
             FROM attendees t LEFT JOIN agencies a ON a.id = t.agency_id
             WHERE t.meeting_id = ?1 AND t.deleted_at IS NULL ORDER BY t.position, t.id",
        )?;
        let rows = stmt.query_map([meeting], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, agency, name, title, role, attendance) = row?;
            out.push(AttendeeRow {
                id,
                agency,
                name,
                title,
                role: code(role)?,
                attendance: code(attendance)?,
            });
        }
        Ok(out)
    }

    fn item_rows(&self, meeting: i64) -> Result<Vec<ItemRow>> {
        let conn = self.conn();
        let mut items = conn.prepare_cached(
            "SELECT id, title, planned_min, started_at, ended_at FROM agenda_items
             WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
        )?;
        let mut rows: Vec<ItemRow> = items
            .query_map([meeting], |r| {
                Ok(ItemRow {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    planned_min: r.get(2)?,
                    started_at: stamp(r.get(3)?),
                    ended_at: stamp(r.get(4)?),
                    entries: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut entries = conn.prepare_cached(
            "SELECT e.item_id, e.id, e.kind, e.text, e.created_by FROM agenda_entries e
             JOIN agenda_items i ON i.id = e.item_id
             WHERE i.meeting_id = ?1 AND e.deleted_at IS NULL ORDER BY e.id",
        )?;
        let found = entries.query_map([meeting], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get(1)?,
                r.get::<_, String>(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })?;
        for row in found {
            let (item, id, kind, text, by) = row?;
            if let Some(target) = rows.iter_mut().find(|i| i.id == item) {
                target.entries.push(EntryRow {
                    id,
                    kind: code(kind)?,
                    text,
                    by,
                });
            }
        }
        Ok(rows)
    }

    fn role_rows(&self, meeting: i64) -> Result<Vec<RoleRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.id, a.name, r.responsibility FROM role_assignments r LEFT JOIN agencies a ON a.id = r.agency_id
             WHERE r.meeting_id = ?1 AND r.deleted_at IS NULL ORDER BY r.id",
        )?;
        let rows = stmt.query_map([meeting], |r| {
            Ok(RoleRow {
                id: r.get(0)?,
                agency: r.get(1)?,
                text: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn action_rows(&self, meeting: i64) -> Result<Vec<ActionRow>> {
        self.actions_where("n.meeting_id = ?1", params![meeting])
    }

    /// The open next actions as the actions screen lists them: overdue first (due before
    /// `today`), then — where the database holds the bodies of several wards — by ward (this
    /// database's own first, the others in the order of their codes), then by agency (none
    /// first), due date (none first) and id. Their ids go, in that order, into a temporary
    /// table of this connection (SQLite's, which spills to a file past its page cache), read a
    /// window at a time by [`Store::action_order_ids`]; only the groups are held. A city's
    /// 447 396 open actions were held as ids (7 MB, growing with the actions) before. A single
    /// ward's list reads no meeting: every action has its meeting (a foreign key, deleted with
    /// it), and the ward is the same for all. What is sorted comes from two narrow indexes,
    /// no action's or meeting's row read: the open actions' (schema step 21: meeting, agency,
    /// due date, id) in meeting order, and the meetings' by id that holds the body.
    pub fn open_action_order(&self, today: NaiveDate) -> Result<ActionOrder> {
        let conn = self.conn();
        conn.execute_batch(
            "DROP TABLE IF EXISTS temp.action_order;
             CREATE TEMP TABLE action_order (
                 pos INTEGER PRIMARY KEY, id INTEGER NOT NULL, overdue INTEGER NOT NULL,
                 ward INTEGER, agency TEXT);",
        )?;
        let several = self.body_wards()?.len() > 1;
        let (ward, ward_join, ward_order) = if several {
            (
                "wa.id",
                // The meeting's body read from an index of the meetings by id that holds it:
                // the meetings' own rows are wide (a city's 1.2 million take most of its 17 GB),
                // and SQLite takes them by their rowid otherwise. On the 24-ward city (447 396
                // open actions, pages not cached) 140 s of reading against 42 s, at load 12–14.
                "JOIN meetings m INDEXED BY meetings_case_facts ON m.id = n.meeting_id
                 JOIN bodies b ON b.id = m.body_id JOIN wards wa ON wa.id = b.ward_id",
                "wa.id <> 1 AS home, wa.code IS NULL AS uncoded, wa.code AS code",
            )
        } else {
            ("NULL", "", "0 AS home, 0 AS uncoded, NULL AS code")
        };
        let len = conn.execute(
            &format!(
                "INSERT INTO temp.action_order (pos, id, overdue, ward, agency)
                 SELECT row_number() OVER w - 1, id, overdue, ward, agency FROM (
                     SELECT n.id AS id, n.due_date IS NOT NULL AND n.due_date < ?1 AS overdue,
                            {ward} AS ward, {ward_order}, a.name AS agency, n.due_date AS due
                     FROM next_actions n INDEXED BY next_actions_open_order {ward_join}
                     LEFT JOIN agencies a ON a.id = n.agency_id
                     WHERE n.status = 'open' AND n.deleted_at IS NULL)
                 WINDOW w AS (ORDER BY overdue DESC, home, uncoded, code, ward, agency, due, id)"
            ),
            [today.format("%Y-%m-%d").to_string()],
        )?;
        let mut groups = conn.prepare_cached(
            "SELECT overdue, ward, agency, MIN(pos) FROM temp.action_order
             GROUP BY overdue, ward, agency ORDER BY MIN(pos)",
        )?;
        let groups = groups
            .query_map([], |r| {
                Ok(ActionGroup {
                    overdue: r.get(0)?,
                    ward: r.get(1)?,
                    agency: r.get(2)?,
                    first: r.get::<_, i64>(3)?.max(0) as usize,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ActionOrder { len, groups })
    }

    /// The ids of the open actions at `range` of the order [`Store::open_action_order`] read
    /// last, in that order.
    pub fn action_order_ids(&self, range: std::ops::Range<usize>) -> Result<Vec<i64>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id FROM temp.action_order WHERE pos >= ?1 AND pos < ?2 ORDER BY pos",
        )?;
        let ids = stmt
            .query_map([range.start as i64, range.end as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Lets go of the order [`Store::open_action_order`] read.
    pub fn forget_action_order(&self) -> Result<()> {
        self.conn()
            .execute_batch("DROP TABLE IF EXISTS temp.action_order")?;
        Ok(())
    }

    /// Open (or since closed) next actions by id, each with the body and the date of the meeting
    /// that gave it, in the order of `ids`; an id no longer found is left out.
    pub fn open_actions_by_id(&self, ids: &[i64]) -> Result<Vec<(ActionRow, String, NaiveDate)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT n.id, n.meeting_id, a.name, n.text, n.due_date, n.status, b.name, m.date
             FROM next_actions n JOIN meetings m ON m.id = n.meeting_id JOIN bodies b ON b.id = m.body_id
             LEFT JOIN agencies a ON a.id = n.agency_id
             WHERE n.id = ?1 AND n.deleted_at IS NULL",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let found = stmt
                .query_row([id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                })
                .optional()?;
            let Some((id, meeting_id, agency, text, due, status, body, meeting_date)) = found
            else {
                continue;
            };
            let Some(meeting_date) = date(Some(meeting_date)) else {
                continue;
            };
            out.push((
                ActionRow {
                    id,
                    meeting_id,
                    agency,
                    text,
                    due: date(due),
                    status: code(status)?,
                },
                body,
                meeting_date,
            ));
        }
        Ok(out)
    }

    fn actions_where(
        &self,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<ActionRow>> {
        let sql = format!(
            "SELECT n.id, n.meeting_id, a.name, n.text, n.due_date, n.status FROM next_actions n
             LEFT JOIN agencies a ON a.id = n.agency_id WHERE {condition} AND n.deleted_at IS NULL ORDER BY n.id"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, meeting_id, agency, text, due, status) = row?;
            out.push(ActionRow {
                id,
                meeting_id,
                agency,
                text,
                due: date(due),
                status: code(status)?,
            });
        }
        Ok(out)
    }

    fn issue_rows(&self, meeting: i64) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, category FROM case_issues WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([meeting], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::setup::tests::{sql_steps, store};

    /// `n` live issues of `category` at the demo's first meeting.
    fn issues(store: &crate::store::Store, category: &str, n: usize) {
        for _ in 0..n {
            store
                .conn()
                .execute(
                    "INSERT INTO case_issues (meeting_id, category, created_at)
                     VALUES ((SELECT MIN(id) FROM meetings), ?1, 'now')",
                    [category],
                )
                .unwrap();
        }
    }

    /// The categories offered are the categories of the live issues the closure keeps, the
    /// most used first, then by name: what grouping every issue gave, and a removed issue or
    /// one without a category is not offered.
    #[test]
    fn the_categories_offered_are_the_recorded_ones_kept_the_most_used_first() {
        let (_dir, store) = store();
        issues(&store, "ペットの多頭飼育", 3);
        issues(&store, "借金", 3);
        issues(&store, "", 2);
        issues(&store, "消された", 5);
        store
            .conn()
            .execute(
                "UPDATE case_issues SET deleted_at = 'now' WHERE category = '消された'",
                [],
            )
            .unwrap();
        let grouped: Vec<String> = store
            .conn()
            .prepare(
                "SELECT category FROM case_issues WHERE deleted_at IS NULL AND category <> ''
                 GROUP BY category ORDER BY COUNT(*) DESC, category",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(grouped.len() > 3, "{grouped:?}");
        assert_eq!(store.issue_categories(|_| true).unwrap(), grouped);
        let kept: Vec<String> = grouped
            .iter()
            .filter(|c| c.as_str() != "借金")
            .cloned()
            .collect();
        assert_eq!(store.issue_categories(|c| c != "借金").unwrap(), kept);
        let new = store
            .issue_categories(|c| ["借金", "ペットの多頭飼育"].contains(&c))
            .unwrap();
        assert_eq!(new, ["ペットの多頭飼育", "借金"]);
    }

    /// Reading the categories does not read the issues of those not kept: a thousand more of
    /// one the vocabulary knows take it no more of SQLite's steps (it read and grouped every
    /// issue of the database at each reading of a meeting's screen: more than a second on a
    /// city).
    #[test]
    fn the_categories_are_read_without_reading_every_issue() {
        let (_dir, mut store) = store();
        issues(&store, "ペットの多頭飼育", 2);
        let known = |c: &str| c == "ペットの多頭飼育";
        let offered = |c: &str| !known(c);
        let steps = |store: &mut crate::store::Store| {
            sql_steps(store, |store| {
                store.issue_categories(offered).unwrap();
            })
        };
        let before = steps(&mut store);
        issues(&store, "ペットの多頭飼育", 1000);
        let after = steps(&mut store);
        assert!(
            after <= before + 10,
            "{before} steps, {after} with a thousand issues more"
        );
        assert!(before > 0);
    }
}
