//! What a facilitator sets around the captures: the fields of the record that the minutes and the
//! annual report read (place, legal basis, supervisor dispatched, referring agency, handouts,
//! remaining issues, next meeting date), and the roster a new meeting takes from the last one.
//! Every change is kept in `changes` (an amendment after approval), as every capture is.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::bodies::optional_agency_id;
use super::minutes::{Change, record_change};
use super::{Result, Store, StoreError};

/// The fields of a meeting's record beyond its captures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFields {
    pub place: String,
    /// 開催根拠: 地域ケア会議, 支援会議, 本人同意, 要対協, or any other text.
    pub basis: String,
    /// SV派遣: a supervisor was sent to advise.
    pub supervisor: bool,
    /// 相談のあった機関.
    pub referred_by: Option<String>,
    /// 配布資料, one a line.
    pub handouts: String,
    /// 残された課題.
    pub remaining_issues: String,
    /// 次回の開催日.
    pub next_meeting: Option<NaiveDate>,
}

impl RecordFields {
    /// These fields as a form typed them over the record as it is now (`now`), the form having
    /// opened on `loaded`: a field left as loaded is the record's now.
    fn typed_over(&self, loaded: &RecordFields, now: &RecordFields) -> RecordFields {
        fn pick<T: PartialEq + Clone>(typed: &T, loaded: &T, now: &T) -> T {
            if typed == loaded {
                now.clone()
            } else {
                typed.clone()
            }
        }
        RecordFields {
            place: pick(&self.place, &loaded.place, &now.place),
            basis: pick(&self.basis, &loaded.basis, &now.basis),
            supervisor: pick(&self.supervisor, &loaded.supervisor, &now.supervisor),
            referred_by: pick(&self.referred_by, &loaded.referred_by, &now.referred_by),
            handouts: pick(&self.handouts, &loaded.handouts, &now.handouts),
            remaining_issues: pick(
                &self.remaining_issues,
                &loaded.remaining_issues,
                &now.remaining_issues,
            ),
            next_meeting: pick(&self.next_meeting, &loaded.next_meeting, &now.next_meeting),
        }
    }
}

/// Refuses a save of the record form when a field typed in it was changed by someone else
/// since the form loaded the record (attack report 6, finding 7): the record holds neither
/// what was loaded nor what was typed. Says which field, its text now, and who changed it last.
fn refuse_changed_meanwhile(
    conn: &Connection,
    meeting_id: i64,
    typed: &RecordFields,
    loaded: &RecordFields,
    now: &RecordFields,
) -> Result<()> {
    let (typed, loaded, now) = (typed.texts(), loaded.texts(), now.texts());
    for (i, (field, _)) in now.iter().enumerate() {
        let (typed, loaded, now) = (&typed[i].1, &loaded[i].1, &now[i].1);
        if typed == loaded || now == loaded || now == typed {
            continue;
        }
        let by: Option<String> = conn
            .prepare_cached(
                "SELECT by FROM changes WHERE meeting_id = ?1 AND entity = 'meeting' AND field = ?2
                 ORDER BY at DESC, id DESC LIMIT 1",
            )?
            .query_row(params![meeting_id, field], |r| r.get(0))
            .optional()?;
        let by = by
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| "?".to_owned());
        return Err(StoreError::Conflict {
            current: format!(
                "{}（{by}）: {}",
                crate::i18n::said(&format!("record_field_{field}"), &[]),
                now.as_deref().unwrap_or("")
            ),
        });
    }
    Ok(())
}

impl RecordFields {
    /// Each field as `changes` names it and the text it is kept as there (trimmed; the
    /// supervisor as yes/no, the date as YYYY-MM-DD; none for no referring agency or date): what
    /// a save compares and records, and what a colleague's change meanwhile is judged by.
    fn texts(&self) -> [(&'static str, Option<String>); 7] {
        let text = |t: &str| Some(t.trim().to_owned());
        [
            ("place", text(&self.place)),
            ("basis", text(&self.basis)),
            (
                "supervisor",
                Some(supervisor_code(self.supervisor).to_owned()),
            ),
            (
                "referred_by",
                self.referred_by
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            ("handouts", text(&self.handouts)),
            ("remaining_issues", text(&self.remaining_issues)),
            (
                "next_meeting_date",
                self.next_meeting.map(|d| d.format("%Y-%m-%d").to_string()),
            ),
        ]
    }
}

/// Written in `changes` for the supervisor flag: the minutes show 有/無 (yes/no) for them.
pub fn supervisor_code(dispatched: bool) -> &'static str {
    if dispatched { "yes" } else { "no" }
}

fn read_fields(conn: &Connection, meeting_id: i64) -> Result<RecordFields> {
    conn.query_row(
        "SELECT m.place, m.basis, m.supervisor, a.name, m.handouts, m.remaining_issues,
                m.next_meeting_date
         FROM meetings m LEFT JOIN agencies a ON a.id = m.referred_by WHERE m.id = ?1",
        [meeting_id],
        |r| {
            Ok(RecordFields {
                place: r.get(0)?,
                basis: r.get(1)?,
                supervisor: r.get(2)?,
                referred_by: r.get(3)?,
                handouts: r.get(4)?,
                remaining_issues: r.get(5)?,
                next_meeting: r
                    .get::<_, Option<String>>(6)?
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::Invalid(format!("no meeting with id {meeting_id}")))
}

impl Store {
    /// The record fields of a meeting as stored.
    pub fn record_fields(&self, meeting_id: i64) -> Result<RecordFields> {
        read_fields(self.conn(), meeting_id)
    }

    /// Sets the record fields of a meeting; each field that changes is kept in `changes`
    /// (an amendment once the minutes are approved). Setting what is there changes nothing.
    pub fn set_record_fields(&mut self, meeting_id: i64, fields: &RecordFields) -> Result<()> {
        self.set_record_fields_over(meeting_id, fields, None, true)
    }

    /// [`Store::set_record_fields`] from a form that opened on the record as `loaded`: only the
    /// fields that differ from it — the ones typed in the form — are written; the others stay
    /// as the record has them now, so that a colleague's place or handouts saved meanwhile is
    /// never written back over with what the form loaded. `None`: every field as given.
    ///
    /// A field typed in the form that someone else changed meanwhile (the record holds neither
    /// what the form loaded nor what was typed) is not written over unseen: the save is refused
    /// naming the field, its text now and who changed it ([`StoreError::Conflict`]), unless
    /// `over` (the user was told, and saves again).
    pub fn set_record_fields_over(
        &mut self,
        meeting_id: i64,
        fields: &RecordFields,
        loaded: Option<&RecordFields>,
        over: bool,
    ) -> Result<()> {
        super::limits::texts(&[
            ("place", &fields.place),
            ("basis", &fields.basis),
            ("referred_by", fields.referred_by.as_deref().unwrap_or("")),
            ("handouts", &fields.handouts),
            ("remaining_issues", &fields.remaining_issues),
        ])?;
        self.write(|conn, now, user| {
            let old = read_fields(conn, meeting_id)?;
            if let (Some(loaded), false) = (loaded, over) {
                refuse_changed_meanwhile(conn, meeting_id, fields, loaded, &old)?;
            }
            let merged;
            let fields = match loaded {
                Some(loaded) => {
                    merged = fields.typed_over(loaded, &old);
                    &merged
                }
                None => fields,
            };
            let referred = fields
                .referred_by
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            let mut changed = false;
            for ((field, before), (_, after)) in old.texts().into_iter().zip(fields.texts()) {
                if before != after {
                    changed = true;
                    let change =
                        Change::meeting(meeting_id, field, before.as_deref(), after.as_deref());
                    record_change(conn, now, user, &change)?;
                }
            }
            if !changed {
                return Ok(());
            }
            // A basis that closes the meeting by law closes it here (it is never opened again
            // by a basis taken back: what was shared under it stays confidential).
            if crate::domain::basis::closed_by_law(&fields.basis) {
                let open: bool = conn.query_row(
                    "SELECT NOT confidential FROM meetings WHERE id = ?1",
                    [meeting_id],
                    |r| r.get(0),
                )?;
                if open {
                    let change =
                        Change::meeting(meeting_id, "confidential", Some("no"), Some("yes"));
                    record_change(conn, now, user, &change)?;
                    conn.execute(
                        "UPDATE meetings SET confidential = 1 WHERE id = ?1",
                        [meeting_id],
                    )?;
                }
            }
            let agency = optional_agency_id(conn, referred)?;
            conn.execute(
                "UPDATE meetings SET place = ?2, basis = ?3, supervisor = ?4, referred_by = ?5,
                        handouts = ?6, remaining_issues = ?7, next_meeting_date = ?8, updated_at = ?9
                 WHERE id = ?1",
                params![
                    meeting_id,
                    fields.place.trim(),
                    fields.basis.trim(),
                    fields.supervisor,
                    agency,
                    fields.handouts.trim(),
                    fields.remaining_issues.trim(),
                    fields.next_meeting.map(|d| d.format("%Y-%m-%d").to_string()),
                    now
                ],
            )?;
            Ok(())
        })
    }

    /// The latest earlier meeting of the same body with attendees, whose roster a new meeting
    /// can take: its id and date.
    pub fn last_roster(&self, meeting_id: i64) -> Result<Option<(i64, NaiveDate)>> {
        let found: Option<(i64, String)> = self
            .conn()
            .query_row(
                "SELECT o.id, o.date FROM meetings y JOIN meetings o ON o.body_id = y.body_id
                 WHERE y.id = ?1 AND o.status <> 'cancelled'
                   AND (o.date < y.date OR (o.date = y.date AND o.id < y.id))
                   AND EXISTS (SELECT 1 FROM attendees t WHERE t.meeting_id = o.id AND t.deleted_at IS NULL)
                 ORDER BY o.date DESC, o.id DESC LIMIT 1",
                [meeting_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(found.and_then(|(id, date)| {
            NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .ok()
                .map(|d| (id, d))
        }))
    }

    /// Takes the attendees of the body's last meeting (agency, name, title, role) into this one,
    /// each present until marked otherwise; those already on the list are not added twice. The
    /// number added.
    pub fn copy_roster(&mut self, meeting_id: i64) -> Result<usize> {
        let Some((source, _)) = self.last_roster(meeting_id)? else {
            return Ok(0);
        };
        self.write_to(meeting_id, |conn, now, user| {
            let added = conn.execute(
                "INSERT INTO attendees (meeting_id, position, agency_id, name, title, role, attendance,
                                        created_by, created_at, updated_at)
                 SELECT ?1, (SELECT COALESCE(MAX(position), 0) FROM attendees WHERE meeting_id = ?1)
                            + ROW_NUMBER() OVER (ORDER BY s.position, s.id),
                        s.agency_id, s.name, s.title, s.role, 'present', ?3, ?4, ?4
                 FROM attendees s
                 WHERE s.meeting_id = ?2 AND s.deleted_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM attendees t WHERE t.meeting_id = ?1 AND t.deleted_at IS NULL
                                   AND t.agency_id IS s.agency_id AND t.name = s.name)
                 ORDER BY s.position, s.id",
                params![meeting_id, source, user, now],
            )?;
            // The facilitator and recorder of the record, as a new attendee in those roles sets them.
            for (role, column) in [("facilitator", "facilitator"), ("recorder", "recorder")] {
                conn.execute(
                    &format!(
                        "UPDATE meetings SET {column} = COALESCE((SELECT name FROM attendees
                            WHERE meeting_id = ?1 AND role = ?2 AND deleted_at IS NULL
                            ORDER BY position LIMIT 1), {column})
                         WHERE id = ?1 AND {column} = ''"
                    ),
                    params![meeting_id, role],
                )?;
            }
            Ok(added)
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::clock::Clock;

    /// How many of SQLite's virtual machine steps `read` takes: the work of its statements,
    /// the same on any machine at any load.
    pub(crate) fn sql_steps(store: &mut Store, read: impl FnOnce(&Store)) -> u64 {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicU64, Ordering};
        let steps = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&steps);
        store
            .conn_mut()
            .progress_handler(
                1,
                Some(move || {
                    counted.fetch_add(1, Ordering::Relaxed);
                    false
                }),
            )
            .unwrap();
        read(store);
        store
            .conn_mut()
            .progress_handler(1, None::<fn() -> bool>)
            .unwrap();
        steps.load(Ordering::Relaxed)
    }

    /// The whole of `store` exported and imported again, into an empty database beside it and
    /// into itself; `check` looks at each database afterwards, told which it is.
    pub(crate) fn imported_again(
        store: &mut Store,
        dir: &std::path::Path,
        check: impl Fn(&Store, &str),
    ) {
        let json = crate::store::interchange::to_json(&store.export_document().unwrap());
        let file = dir.join("all.json");
        std::fs::write(&file, json).unwrap();
        let mut other = Store::open(&dir.join("other.db"), store.clock().clone()).unwrap();
        other
            .import_files(std::slice::from_ref(&file), crate::store::Encoding::Auto)
            .unwrap();
        check(&other, "imported into an empty database");
        store
            .import_files(&[file], crate::store::Encoding::Auto)
            .unwrap();
        check(store, "imported into itself");
    }

    /// A store with the demo data at the tests' fixed time, as sato.
    pub(crate) fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let mut store = Store::open(&dir.path().join("r.db"), Clock::fixed(now)).unwrap();
        store.set_user("sato");
        crate::demo::load(&mut store).unwrap();
        (dir, store)
    }

    /// The planned meeting of the body named `body`.
    pub(crate) fn planned(store: &Store, body: &str) -> i64 {
        let all = store.meetings(None).unwrap();
        all.iter()
            .find(|m| m.body == body && m.status == crate::domain::model::MeetingStatus::Planned)
            .unwrap()
            .id
    }

    #[test]
    fn record_fields_are_set_and_each_change_is_kept() {
        let (_dir, mut store) = store();
        let id = planned(&store, "支援方針検討会議");
        let fields = RecordFields {
            place: "区役所 7階".into(),
            basis: "地域ケア会議".into(),
            supervisor: true,
            referred_by: Some("地域包括支援センター".into()),
            handouts: "事例概要シート\n連絡先一覧".into(),
            remaining_issues: "親族の意向が未確認".into(),
            next_meeting: NaiveDate::from_ymd_opt(2026, 12, 18),
        };
        store.set_record_fields(id, &fields).unwrap();
        assert_eq!(store.record_fields(id).unwrap(), fields);
        let changes: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM changes WHERE meeting_id = ?1 AND entity = 'meeting'",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(changes, 7);
        store.set_record_fields(id, &fields).unwrap();
        let again: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM changes WHERE meeting_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(again, 7, "the same values change nothing");
    }

    #[test]
    fn the_roster_of_the_last_meeting_is_taken_once() {
        let (_dir, mut store) = store();
        let id = planned(&store, "支援方針検討会議");
        assert!(store.last_roster(id).unwrap().is_some());
        assert_eq!(store.copy_roster(id).unwrap(), 5);
        assert_eq!(store.copy_roster(id).unwrap(), 0, "not twice");
        let live = store.live_meeting(id).unwrap().unwrap();
        let names: Vec<&str> = live.attendees.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            ["中村 亮", "小林 彩", "加藤 真理", "吉田 修", "山口 洋子"]
        );
        assert!(
            live.attendees
                .iter()
                .all(|a| a.attendance == crate::domain::model::Attendance::Present)
        );
        assert_eq!(
            live.attendees[3].role,
            crate::domain::model::Role::Supervisor
        );
        let facilitator: String = store
            .conn()
            .query_row(
                "SELECT facilitator FROM meetings WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(facilitator, "中村 亮");
    }
}
