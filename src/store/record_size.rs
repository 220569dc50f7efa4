//! No write takes a meeting or a case past what the import holds of one record
//! ([`crate::limits::MAX_RECORD_BYTES`] of its export): the rows a write touched, gathered by
//! SQLite's update hook, their records counted as the export writes them ([`Touched`]).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::Result;
use crate::limits::{record_bytes, size};

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
/// past [`crate::limits::record_bytes`]: the import would refuse the ward's own export at that record
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
            let mut rows = rows.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(part) = PARTS.iter().position(|(t, _, _)| *t == table) {
                rows.insert((part, rowid));
            }
            // A row whose name others write, changed (a new one is named by nothing yet).
            if action == rusqlite::hooks::Action::SQLITE_UPDATE
                && let Some(named) = NAMED.iter().position(|t| *t == table)
            {
                rows.insert((PARTS.len() + named, rowid));
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
            // A row of a table whose name others write (its rowid is its id).
            if let Some(table) = part.checked_sub(PARTS.len()).and_then(|n| NAMED.get(n)) {
                wholes.extend(naming(conn, table, rowid)?);
                continue;
            }
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
        fit_wholes(conn, wholes, false)
    }
}

/// The rows of a meeting's record, by table: each with the join (if any) and the expression
/// that give the meeting of its row `t`.
const MEETING_ROWS: &[(&str, &str, &str)] = &[
    ("meetings", "", "t.id"),
    ("attendees", "", "t.meeting_id"),
    ("agenda_items", "", "t.meeting_id"),
    (
        "agenda_entries",
        "JOIN agenda_items i ON i.id = t.item_id",
        "i.meeting_id",
    ),
    ("role_assignments", "", "t.meeting_id"),
    ("next_actions", "", "t.meeting_id"),
    (
        "action_reviews",
        "JOIN next_actions a ON a.id = t.action_id",
        "a.meeting_id",
    ),
    ("case_issues", "", "t.meeting_id"),
    ("meeting_cases", "", "t.meeting_id"),
    ("case_reviews", "", "t.meeting_id"),
    ("changes", "", "t.meeting_id"),
];

/// The rows of a case's record that name an agency, with the case of their row `t`.
const CASE_AGENCIES: &[(&str, &str, &str)] = &[
    ("cases", "", "t.id"),
    (
        "case_plan_items",
        "JOIN case_plans p ON p.id = t.plan_id",
        "p.case_id",
    ),
];

/// The tables whose names the export writes into other records: a row of them changed sends
/// the update hook to [`naming`].
const NAMED: &[&str] = &["agencies", "bodies", "cases"];

/// The meetings and cases whose exported record writes the name of row `id` of `table` — an
/// agency's name in each attendee, action and role, a body's in each of its meetings, a case's
/// pseudonym in each meeting it was discussed at: what a rename grows. Found from the schema's
/// foreign keys, so that a table gaining a reference is covered.
fn naming(conn: &Connection, table: &str, id: i64) -> Result<BTreeSet<(bool, i64)>> {
    let mut out = BTreeSet::new();
    let wholes = MEETING_ROWS
        .iter()
        .map(|part| (false, part))
        .chain(CASE_AGENCIES.iter().map(|part| (true, part)));
    for (case, (part, join, whole)) in wholes {
        if case && table != "agencies" {
            continue;
        }
        let columns: Vec<String> = conn
            .prepare_cached(
                "SELECT \"from\" FROM pragma_foreign_key_list(?1) WHERE \"table\" = ?2",
            )?
            .query_map([part, &table], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for column in columns {
            let sql = format!("SELECT DISTINCT {whole} FROM {part} t {join} WHERE t.{column} = ?1");
            let ids = conn
                .prepare_cached(&sql)?
                .query_map([id], |r| r.get::<_, Option<i64>>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.extend(ids.into_iter().flatten().map(|w| (case, w)));
        }
    }
    Ok(out)
}

/// Whether every meeting and case that writes the name of row `id` of `table` (`agencies`,
/// `bodies`, `cases`) still fits one record of the import once renamed, read in the rename's
/// transaction: the update hook of [`Touched`] sees the renamed row, not the records that
/// write its name. Past it, the error names the meeting or case.
pub(crate) fn fit_naming(conn: &Connection, table: &str, id: i64) -> Result<()> {
    fit_wholes(conn, naming(conn, table, id)?, true)
}

/// Whether each meeting and case (`(is a case, id)`) fits one record of the import; `named`:
/// the error names it.
fn fit_wholes(conn: &Connection, wholes: BTreeSet<(bool, i64)>, named: bool) -> Result<()> {
    for (case, id) in wholes {
        // Most meetings are far under the limit: said so by a sum of their texts, without
        // reading and writing the whole record at every capture.
        if !case && meeting_bound(conn, id)? <= record_bytes() {
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
        if bytes > record_bytes() {
            let key = match (case, named) {
                (false, false) => "meeting_too_large",
                (true, false) => "case_too_large",
                (false, true) => "named_meeting_too_large",
                (true, true) => "named_case_too_large",
            };
            return Err(crate::i18n::Msg::new(key)
                .with("id", id)
                .with("size", size(bytes))
                .with("limit", size(record_bytes()))
                .into());
        }
    }
    Ok(())
}

/// The bytes meeting `id` takes in an export when they are past [`crate::limits::record_bytes`] (read
/// and written as the export does, keeping nothing): an import refuses such a meeting, which
/// renkei could not import again from its own export.
pub(crate) fn meeting_over(conn: &Connection, id: i64) -> Result<Option<usize>> {
    if meeting_bound(conn, id)? <= record_bytes() {
        return Ok(None);
    }
    let bytes = super::record::read_meeting(conn, id, super::record::Form::Export)?
        .map(|rec| exported_bytes("meetings", &rec))
        .transpose()?
        .unwrap_or(0);
    Ok((bytes > record_bytes()).then_some(bytes))
}

/// The bytes of `record` as compact JSON, counted without keeping them.
pub(crate) fn compact_bytes<T: Serialize>(record: &T) -> usize {
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, record) {
        Ok(()) => counter.0,
        // Nothing renkei reads fails to serialize; were it to, the exact count is asked for.
        Err(_) => usize::MAX,
    }
}

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
    for (table, join, meeting) in MEETING_ROWS {
        let rows = format!("{join} WHERE {meeting} = ?1");
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
