//! The limits of [`crate::limits`] as every store writer keeps them: a text longer than
//! [`crate::limits::MAX_TEXT_BYTES`] is refused with a message naming the field, an entry
//! is not added to a meeting that holds [`crate::limits::MAX_ENTRIES`] already, and no write
//! takes a meeting or a case past what the import holds of one record
//! ([`crate::limits::MAX_RECORD_BYTES`] of its export: [`Touched`]). Nothing is written when
//! any refuses.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::Result;
use crate::limits::{MAX_RECORD_BYTES, size};

/// Every text a writer is given, by the name of its field: refused when one is too long.
pub(crate) fn texts(fields: &[(&str, &str)]) -> Result<()> {
    for (field, value) in fields {
        crate::limits::text(field, value)?;
    }
    Ok(())
}

/// How many entries a meeting holds, of every kind the limit counts (removed ones included:
/// they stay in its history and in its export). A continuation of an action counts at the
/// action's own meeting, where the export writes it (`actions[i].reviews`) and the import
/// counts it, wherever it was made: what a meeting holds here, its export brings back.
pub(crate) fn entries(conn: &Connection, meeting: i64) -> Result<usize> {
    let held: i64 = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM attendees WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
                 WHERE i.meeting_id = ?1)
              + (SELECT COUNT(*) FROM role_assignments WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM next_actions WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM case_issues WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM meeting_cases WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM case_reviews WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM action_reviews r JOIN next_actions a ON a.id = r.action_id
                 WHERE a.meeting_id = ?1)",
        [meeting],
        |r| r.get(0),
    )?;
    Ok(held.max(0) as usize)
}

impl super::Store {
    /// How many entries `meeting` holds, as the limit counts them (see [`entries`]).
    pub fn meeting_entries(&self, meeting: i64) -> Result<usize> {
        entries(self.conn(), meeting)
    }
}

/// The one path by which entries join a meeting: `add` writes them (one capture, or several at
/// once — a roster copied, an agenda prepared, a review with the case's link to the meeting),
/// then the meeting's entries are counted in the same transaction. Past
/// [`crate::limits::MAX_ENTRIES`] the writer is refused, and nothing it wrote is committed (its
/// transaction ends without a commit). Counting after the writing counts exactly what was
/// added, however many rows one statement made; a writer that adds none (a link already there,
/// a review revised) passes a meeting at the limit.
pub(crate) fn adding<T>(
    conn: &Connection,
    meeting: i64,
    add: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    let before = entries(conn, meeting)?;
    let value = add(conn)?;
    let after = entries(conn, meeting)?;
    if after > before {
        crate::limits::entries_room(before, after - before)?;
    }
    Ok(value)
}

/// What the export writes a row of a table into: a meeting's record or a case's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whole {
    Meeting,
    Case,
}

/// The tables whose rows the export writes into a meeting's or a case's record, each with the
/// query that finds that record's id from one of its rows (by rowid, as SQLite's update hook
/// names a row). A continuation of an action is written with the action, at its own meeting;
/// a change with the meeting or the case it was recorded against.
const PARTS: &[(&str, Whole, &str)] = &[
    (
        "meetings",
        Whole::Meeting,
        "SELECT id FROM meetings WHERE rowid = ?1",
    ),
    (
        "attendees",
        Whole::Meeting,
        "SELECT meeting_id FROM attendees WHERE rowid = ?1",
    ),
    (
        "agenda_items",
        Whole::Meeting,
        "SELECT meeting_id FROM agenda_items WHERE rowid = ?1",
    ),
    (
        "agenda_entries",
        Whole::Meeting,
        "SELECT i.meeting_id FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
         WHERE e.rowid = ?1",
    ),
    (
        "role_assignments",
        Whole::Meeting,
        "SELECT meeting_id FROM role_assignments WHERE rowid = ?1",
    ),
    (
        "next_actions",
        Whole::Meeting,
        "SELECT meeting_id FROM next_actions WHERE rowid = ?1",
    ),
    (
        "action_reviews",
        Whole::Meeting,
        "SELECT a.meeting_id FROM action_reviews r JOIN next_actions a ON a.id = r.action_id
         WHERE r.rowid = ?1",
    ),
    (
        "case_issues",
        Whole::Meeting,
        "SELECT meeting_id FROM case_issues WHERE rowid = ?1",
    ),
    (
        "meeting_cases",
        Whole::Meeting,
        "SELECT meeting_id FROM meeting_cases WHERE rowid = ?1",
    ),
    (
        "case_reviews",
        Whole::Meeting,
        "SELECT meeting_id FROM case_reviews WHERE rowid = ?1",
    ),
    (
        "changes",
        Whole::Meeting,
        "SELECT meeting_id FROM changes WHERE rowid = ?1",
    ),
    (
        "cases",
        Whole::Case,
        "SELECT id FROM cases WHERE rowid = ?1",
    ),
    (
        "case_members",
        Whole::Case,
        "SELECT case_id FROM case_members WHERE rowid = ?1",
    ),
    (
        "case_plans",
        Whole::Case,
        "SELECT case_id FROM case_plans WHERE rowid = ?1",
    ),
    (
        "case_changes",
        Whole::Case,
        "SELECT case_id FROM case_changes WHERE rowid = ?1",
    ),
];

/// The rows one write transaction inserted or updated in the tables of [`PARTS`] (an index in
/// it and the rowid), gathered by SQLite's update hook while [`Touched::watch`] lasts. Before
/// the write commits, [`Touched::fit`] writes each meeting and case they belong to as the
/// export would, counting the bytes without keeping them, and refuses the write when one is
/// past [`MAX_RECORD_BYTES`]: the import would refuse the ward's own export at that record
/// (a meeting of corrections of long texts, each kept whole with the text it replaced, passes
/// 16 MB well within the limits of one text and of entries). Every writer is covered, the
/// triggers' writes included, without each having to say what it touched.
#[derive(Clone, Default)]
pub(crate) struct Touched(Arc<Mutex<BTreeSet<(usize, i64)>>>);

impl Touched {
    /// Starts gathering the rows `conn` writes.
    pub(crate) fn watch(conn: &mut Connection) -> Result<Touched> {
        let touched = Touched::default();
        let rows = Arc::clone(&touched.0);
        conn.update_hook(Some(move |action, db: &str, table: &str, rowid: i64| {
            if action == rusqlite::hooks::Action::SQLITE_DELETE || db != "main" {
                return;
            }
            if let Some(part) = PARTS.iter().position(|(t, _, _)| *t == table) {
                rows.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert((part, rowid));
            }
        }))?;
        Ok(touched)
    }

    /// Stops gathering.
    pub(crate) fn unwatch(conn: &mut Connection) -> Result<()> {
        conn.update_hook(None::<fn(rusqlite::hooks::Action, &str, &str, i64)>)?;
        Ok(())
    }

    /// Whether every meeting and case the write touched still fits one record of the import,
    /// read in the write's own transaction (`conn`) before it commits.
    pub(crate) fn fit(&self, conn: &Connection) -> Result<()> {
        let rows = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        let mut wholes = BTreeSet::new();
        for (part, rowid) in rows {
            let (_, whole, sql) = PARTS[part];
            let id: Option<i64> = conn
                .prepare_cached(sql)?
                .query_row([rowid], |r| r.get(0))
                .optional()?
                .flatten();
            if let Some(id) = id {
                wholes.insert((whole == Whole::Case, id));
            }
        }
        for (case, id) in wholes {
            // Most meetings are far under the limit: said so by a sum of their texts, without
            // reading and writing the whole record at every capture.
            if !case && meeting_bound(conn, id)? <= MAX_RECORD_BYTES {
                continue;
            }
            let bytes = if case {
                super::cases::case_record(conn, id, super::cases::CaseForm::Export)?
                    .map(|rec| exported_bytes("cases", &rec))
            } else {
                super::record::read_meeting(conn, id, super::record::Form::Export)?
                    .map(|rec| exported_bytes("meetings", &rec))
            };
            let bytes = bytes.transpose()?.unwrap_or(0);
            if bytes > MAX_RECORD_BYTES {
                let key = if case {
                    "case_too_large"
                } else {
                    "meeting_too_large"
                };
                return Err(crate::i18n::Msg::new(key)
                    .with("size", size(bytes))
                    .with("limit", size(MAX_RECORD_BYTES))
                    .into());
            }
        }
        Ok(())
    }
}

/// The rows of a meeting's record, by table, with how they are found from its id (`?1`); `t`
/// is the table's row.
const MEETING_ROWS: &[(&str, &str)] = &[
    ("meetings", "WHERE t.id = ?1"),
    ("attendees", "WHERE t.meeting_id = ?1"),
    ("agenda_items", "WHERE t.meeting_id = ?1"),
    (
        "agenda_entries",
        "JOIN agenda_items i ON i.id = t.item_id WHERE i.meeting_id = ?1",
    ),
    ("role_assignments", "WHERE t.meeting_id = ?1"),
    ("next_actions", "WHERE t.meeting_id = ?1"),
    (
        "action_reviews",
        "JOIN next_actions a ON a.id = t.action_id WHERE a.meeting_id = ?1",
    ),
    ("case_issues", "WHERE t.meeting_id = ?1"),
    ("meeting_cases", "WHERE t.meeting_id = ?1"),
    ("case_reviews", "WHERE t.meeting_id = ?1"),
    ("changes", "WHERE t.meeting_id = ?1"),
];

/// What the export writes of a row beyond its values (names of fields, quotes, indentation,
/// `null`s), per column, and of a meeting beyond its rows (the seal of approved minutes …).
const PER_COLUMN: usize = 64;
const PER_MEETING: usize = 16_384;

/// More than the bytes a meeting's record takes in an export: every text of its rows and every
/// name they join (an agency, the body, a case's pseudonym) counted six times (the longest a
/// byte is written in JSON: `\u001f`), and [`PER_COLUMN`] bytes for each column of each row.
/// Read from the columns the schema has (one statement, made once a process: every database is
/// brought to this binary's schema as it is opened).
fn meeting_bound(conn: &Connection, meeting: i64) -> Result<usize> {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = match SQL.get() {
        Some(sql) => sql,
        None => {
            let made = meeting_bound_sql(conn)?;
            SQL.get_or_init(|| made)
        }
    };
    let bytes: i64 = conn
        .prepare_cached(sql)?
        .query_row([meeting], |r| r.get(0))?;
    Ok(usize::try_from(bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(PER_MEETING))
}

/// The statement of [`meeting_bound`].
fn meeting_bound_sql(conn: &Connection) -> Result<String> {
    let bytes = |expr: &str| format!("COALESCE(length(CAST({expr} AS BLOB)), 0)");
    let mut parts = Vec::new();
    for (table, rows) in MEETING_ROWS {
        let mut columns =
            conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
        let columns: Vec<String> = columns
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut texts = Vec::new();
        for column in &columns {
            texts.push(bytes(&format!("t.{column}")));
            let joined = match column.as_str() {
                "agency_id" | "referred_by" | "lead_agency" => "name FROM agencies",
                "case_id" => "pseudonym FROM cases",
                "body_id" => "name || organiser FROM bodies",
                _ => continue,
            };
            texts.push(bytes(&format!("(SELECT {joined} WHERE id = t.{column})")));
        }
        parts.push(format!(
            "(SELECT COALESCE(SUM(6 * ({}) + {}), 0) FROM {table} t {rows})",
            texts.join(" + "),
            PER_COLUMN * columns.len()
        ));
    }
    Ok(format!("SELECT {}", parts.join(" + ")))
}

/// A record in its list of the document, as the export writes it (`{"meetings": [record]}`,
/// pretty): the record indented as it is there, with at least the bytes around it that the
/// import's budget may count with it (the comma and the line before it).
struct InList<'a, T>(&'static str, &'a T);

impl<T: Serialize> Serialize for InList<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &[self.1])?;
        map.end()
    }
}

/// Counts what is written, keeping none of it.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bytes `record` takes in an export, in the list `list` (see [`InList`]).
fn exported_bytes<T: Serialize>(list: &'static str, record: &T) -> Result<usize> {
    let mut counter = Counter(0);
    serde_json::to_writer_pretty(&mut counter, &InList(list, record))
        .map_err(|e| super::StoreError::Invalid(e.to_string()))?;
    Ok(counter.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Attendance, EntryKind, Role};
    use crate::limits::{MAX_ENTRIES, MAX_TEXT_BYTES};
    use crate::store::capture::{CaseFields, Entity};

    fn said(e: crate::store::StoreError) -> String {
        e.to_string()
    }

    /// Attack report 2, finding 4: nothing bounded what a writer took.
    #[test]
    fn every_writer_refuses_a_text_over_the_limit_and_writes_nothing() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let item = store.add_agenda_item(meeting, "経過", None).unwrap();
        let long = "あ".repeat(MAX_TEXT_BYTES / 3 + 1);
        let fits = "あ".repeat(MAX_TEXT_BYTES / 3);
        let before = entries(store.conn(), meeting).unwrap();
        let refusals = [
            store.add_entry(item, EntryKind::Note, &long).map(drop),
            store.add_agenda_item(meeting, &long, None).map(drop),
            store
                .add_attendee(meeting, None, &long, "", Role::Member, Attendance::Present)
                .map(drop),
            store.add_role(meeting, Some("児童相談所"), &long).map(drop),
            store
                .add_action(meeting, Some(&long), "電話", None)
                .map(drop),
            store.add_case_issue(meeting, &long).map(drop),
        ];
        for (i, r) in refusals.into_iter().enumerate() {
            let e = said(r.unwrap_err());
            assert!(e.contains("1 MB"), "{i}: {e}");
        }
        assert_eq!(entries(store.conn(), meeting).unwrap(), before);
        let note = store.add_entry(item, EntryKind::Note, &fits).unwrap();
        assert!(store.edit_text(Entity::Entry, note, None, &long).is_err());
        let kept: String = store
            .conn()
            .query_row(
                "SELECT text FROM agenda_entries WHERE id = ?1",
                [note],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, fits);
        let fields = CaseFields {
            support_policy: long.clone(),
            ..CaseFields::default()
        };
        assert!(store.set_case_fields(meeting, &fields).is_err());
        // Drafts and the ward's name too: nothing is stored.
        let case: i64 = store
            .conn()
            .query_row("SELECT MIN(id) FROM cases", [], |r| r.get(0))
            .unwrap();
        let draft = crate::store::drafts::Draft {
            meeting,
            case,
            status: crate::domain::case::CaseStatus::Active,
            typed: crate::store::drafts::Typed {
                transferred_to: long.clone(),
                ..Default::default()
            },
        };
        let e = said(store.keep_review_draft(&draft).unwrap_err());
        assert!(e.contains("transferred_to") && e.contains("1 MB"), "{e}");
        assert!(store.review_drafts(meeting).unwrap().is_empty());
        let form = crate::store::drafts::FormDraft {
            form: format!("meeting {meeting} entry note 1 new"),
            meeting: Some(meeting),
            fields: vec![(0, "本文".to_owned(), long.clone())],
            ..Default::default()
        };
        assert!(said(store.keep_form_draft(&form).unwrap_err()).contains("1 MB"));
        assert!(store.form_drafts().unwrap().is_empty());
        let ward = store.home_ward().unwrap();
        assert!(said(store.set_ward(&long, None).unwrap_err()).contains("1 MB"));
        assert_eq!(store.home_ward().unwrap(), ward);
    }

    #[test]
    fn a_full_meeting_takes_no_more_entries() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let item = store.add_agenda_item(meeting, "経過", None).unwrap();
        let held = entries(store.conn(), meeting).unwrap();
        store
            .conn()
            .execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
                 INSERT INTO agenda_entries (item_id, kind, text, created_at, updated_at)
                 SELECT ?1, 'note', 'メモ' || i, '2026-11-21T10:00:00+09:00',
                        '2026-11-21T10:00:00+09:00' FROM n",
                rusqlite::params![item, (MAX_ENTRIES - held - 1) as i64],
            )
            .unwrap();
        assert_eq!(entries(store.conn(), meeting).unwrap(), MAX_ENTRIES - 1);
        store.add_entry(item, EntryKind::Note, "最後").unwrap();
        let e = said(
            store
                .add_entry(item, EntryKind::Note, "一つ多い")
                .unwrap_err(),
        );
        assert!(e.contains("10000"), "{e}");
        assert!(store.add_action(meeting, None, "電話", None).is_err());
        assert_eq!(entries(store.conn(), meeting).unwrap(), MAX_ENTRIES);
    }

    /// A continuation of an action counts at the action's own meeting, as its export writes it
    /// (`actions[i].reviews`) and the import counts it: made outside any meeting or at a later
    /// one, it cannot carry a meeting past the limit its own export would be refused at.
    #[test]
    fn a_continuation_counts_at_the_actions_own_meeting() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let later = store
            .meetings(None)
            .unwrap()
            .iter()
            .find(|m| m.id != meeting)
            .unwrap()
            .id;
        let action = store.add_action(meeting, None, "電話", None).unwrap();
        let before = (
            entries(store.conn(), meeting).unwrap(),
            entries(store.conn(), later).unwrap(),
        );
        store
            .continue_action(action, Some(later), None, "継続")
            .unwrap();
        assert_eq!(
            (
                entries(store.conn(), meeting).unwrap(),
                entries(store.conn(), later).unwrap()
            ),
            (before.0 + 1, before.1)
        );
        let item = store.add_agenda_item(meeting, "経過", None).unwrap();
        let held = entries(store.conn(), meeting).unwrap();
        store
            .conn()
            .execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
                 INSERT INTO agenda_entries (item_id, kind, text, created_at, updated_at)
                 SELECT ?1, 'note', 'メモ' || i, '2026-11-21T10:00:00+09:00',
                        '2026-11-21T10:00:00+09:00' FROM n",
                rusqlite::params![item, (MAX_ENTRIES - held) as i64],
            )
            .unwrap();
        // Full: neither at a later meeting nor outside one.
        assert!(
            store
                .continue_action(action, Some(later), None, "再び")
                .is_err()
        );
        assert!(store.continue_action(action, None, None, "再び").is_err());
        assert_eq!(entries(store.conn(), meeting).unwrap(), MAX_ENTRIES);
    }
    /// The sum that spares most writes the whole record is never under the record's bytes:
    /// on every meeting of the demonstration, and on one of hostile texts (control characters,
    /// written six bytes each; a long agency's name joined into every row that names it).
    #[test]
    fn the_bound_of_a_meeting_is_never_under_its_exported_bytes() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let item = store.add_agenda_item(meeting, "経過\u{1}", None).unwrap();
        let control: String = "\u{1f}\u{1}\"\\\n".repeat(2_000);
        let agency = "\u{2}".repeat(5_000);
        store.add_entry(item, EntryKind::Note, &control).unwrap();
        store
            .add_attendee(
                meeting,
                Some(&agency),
                &control,
                "",
                Role::Member,
                Attendance::Present,
            )
            .unwrap();
        store
            .add_action(meeting, Some(&agency), &control, None)
            .unwrap();
        store.add_role(meeting, Some(&agency), &control).unwrap();
        let ids: Vec<i64> = store
            .conn()
            .prepare("SELECT id FROM meetings")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(ids.len() > 5);
        for id in ids {
            let rec = crate::store::record::read_meeting(
                store.conn(),
                id,
                crate::store::record::Form::Export,
            )
            .unwrap()
            .unwrap();
            let exact = exported_bytes("meetings", &rec).unwrap();
            let bound = meeting_bound(store.conn(), id).unwrap();
            assert!(bound >= exact, "meeting {id}: {bound} < {exact}");
            if id == meeting {
                assert!(exact > 60_000, "{exact}");
            }
        }
    }
}
