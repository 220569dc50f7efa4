//! The whole database as one interchange document: its ward, the other wards it holds, every
//! agency, body, yearly count, meeting (with everything captured at it, removed entries marked,
//! every recorded change, approved minutes sealed) and agenda template.

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::record::change_row;
use super::ward::{HOME, ward_record};
use super::{Result, Store, StoreError};
use crate::interchange::{
    AgencyRecord, BodyRecord, CaseRecord, ChangeRecord, Document, FORMAT, HistoryRecord,
    MeetingRecord, RecordedText, TemplateItem, TemplateRecord, WardRecord,
};

/// The interchange document as [`Document`] writes it, field for field, with the bodies, the
/// cases, the meetings and the changes read one at a time while they are written: none of
/// these lists is held, whatever the database holds (a city's 1.2 million meetings were a
/// list of ids of 10 MB, and more while it grew, before the first was written).
#[derive(Serialize)]
struct Streamed<'a> {
    format: &'static str,
    ward: WardRecord,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    wards: Vec<WardRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    agencies: Vec<AgencyRecord>,
    bodies: ByIds<'a, BodyRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    history: Vec<HistoryRecord>,
    #[serde(skip_serializing_if = "ByIds::is_empty")]
    cases: ByIds<'a, CaseRecord>,
    meetings: ByIds<'a, MeetingRecord>,
    #[serde(skip_serializing_if = "Rows::is_empty")]
    changes: Rows<'a, ChangeRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    templates: Vec<TemplateRecord>,
    #[serde(skip_serializing_if = "Rows::is_empty")]
    recorded: Rows<'a, RecordedText>,
}

/// The texts recorded as people, as the export lists them.
const RECORDED: &str = "SELECT text, kind FROM recorded_texts ORDER BY kind, text";

fn recorded_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecordedText> {
    Ok(RecordedText {
        text: r.get(0)?,
        kind: r.get(1)?,
    })
}

/// The changes of meetings no longer in the database, oldest first (the index on the changes'
/// meeting and time gives them in order).
const ORPHAN_CHANGES: &str = "SELECT uid, at, by, entity, entity_uid, field, old_value, new_value,
        amendment, meeting_uid
     FROM changes WHERE meeting_id IS NULL ORDER BY at, id";

fn orphan_change_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChangeRecord> {
    let mut c = change_row(r)?;
    c.meeting_uid = super::identity::uid_column(r, 9)?;
    Ok(c)
}

/// A list the export reads from one query while it writes it — the document's changes, the
/// texts recorded as people: a city's are hundreds of thousands, never held.
struct Rows<'a, T> {
    store: &'a Store,
    sql: &'static str,
    row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    empty: bool,
}

impl<'a, T> Rows<'a, T> {
    fn new(
        store: &'a Store,
        sql: &'static str,
        row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Rows<'a, T>> {
        let empty = !store.conn().prepare_cached(sql)?.exists([])?;
        Ok(Rows {
            store,
            sql,
            row,
            empty,
        })
    }

    fn is_empty(&self) -> bool {
        self.empty
    }
}

impl<T: Serialize> Serialize for Rows<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        let mut stmt = self
            .store
            .conn()
            .prepare_cached(self.sql)
            .map_err(S::Error::custom)?;
        let mut rows = stmt.query([]).map_err(S::Error::custom)?;
        while let Some(row) = rows.next().map_err(S::Error::custom)? {
            seq.serialize_element(&(self.row)(row).map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// A list written as it is read: the ids `sql` gives, in its order, each record read by `read`
/// as it is written (one statement stepped while the records' own statements run beside it).
struct ByIds<'a, T> {
    store: &'a Store,
    sql: &'static str,
    read: fn(&Store, i64) -> Result<Option<T>>,
    /// Whether `sql` gives no id (a list left out when empty).
    empty: bool,
}

impl<'a, T> ByIds<'a, T> {
    fn new(
        store: &'a Store,
        sql: &'static str,
        read: fn(&Store, i64) -> Result<Option<T>>,
    ) -> Result<Self> {
        let empty = !store
            .conn()
            .query_row(&format!("SELECT EXISTS ({sql})"), [], |r| {
                r.get::<_, bool>(0)
            })?;
        Ok(ByIds {
            store,
            sql,
            read,
            empty,
        })
    }

    fn is_empty(&self) -> bool {
        self.empty
    }
}

impl<T: Serialize> Serialize for ByIds<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut ids = self
            .store
            .conn()
            .prepare_cached(self.sql)
            .map_err(S::Error::custom)?;
        let mut rows = ids.query([]).map_err(S::Error::custom)?;
        let mut seq = serializer.serialize_seq(None)?;
        while let Some(row) = rows.next().map_err(S::Error::custom)? {
            let id: i64 = row.get(0).map_err(S::Error::custom)?;
            if let Some(rec) = (self.read)(self.store, id).map_err(S::Error::custom)? {
                seq.serialize_element(&rec)?;
            }
        }
        seq.end()
    }
}

/// The meetings in the order of the export.
const MEETING_IDS: &str = "SELECT id FROM meetings ORDER BY date, start_time, id";

impl Store {
    /// Writes the whole database as interchange JSON (as [`crate::interchange::to_json`] of
    /// [`Store::export_document`] would), reading one snapshot and one meeting at a time: at
    /// ward scale the document would take hundreds of megabytes in memory.
    pub fn write_export(&self, out: &mut dyn std::io::Write) -> Result<()> {
        // One read transaction: the export is one snapshot even while others write.
        let tx = self.conn().unchecked_transaction()?;
        let doc = Streamed {
            format: FORMAT,
            ward: ward_record(self.conn(), HOME)?,
            wards: self.other_wards()?,
            agencies: self.agencies()?,
            bodies: ByIds::new(self, "SELECT id FROM bodies ORDER BY id", |store, id| {
                Ok(store.body(id)?.map(|b| b.record))
            })?,
            history: self.history()?,
            cases: ByIds::new(self, "SELECT id FROM cases ORDER BY id", Store::case_export)?,
            meetings: ByIds::new(self, MEETING_IDS, Store::meeting_export)?,
            changes: Rows::new(self, ORPHAN_CHANGES, orphan_change_row)?,
            templates: self.templates()?,
            recorded: Rows::new(self, RECORDED, recorded_row)?,
        };
        // serde_json writes a document in pieces of a few bytes (a key, a quote, an indent):
        // into a buffer of a concrete type each is a copy, where through `dyn Write` each was a
        // call (an eighth of the export's time, 2026-12-04).
        use std::io::Write as _;
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        serde_json::to_writer_pretty(&mut buffered, &doc).map_err(written)?;
        let io = |source| StoreError::Io {
            path: std::path::PathBuf::from("-"),
            source,
        };
        buffered.write_all(b"\n").map_err(io)?;
        buffered.flush().map_err(io)?;
        drop(buffered);
        tx.commit()?;
        Ok(())
    }

    /// Every text recorded as a person, as the export writes them (by kind, then text).
    fn recorded_texts(&self) -> Result<Vec<RecordedText>> {
        let mut stmt = self.conn().prepare_cached(RECORDED)?;
        let rows = stmt.query_map([], recorded_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn meeting_ids(&self) -> Result<Vec<i64>> {
        let mut ids = self.conn().prepare_cached(MEETING_IDS)?;
        let ids = ids
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    pub fn export_document(&self) -> Result<Document> {
        let tx = self.conn().unchecked_transaction()?;
        let mut meetings = Vec::new();
        for id in self.meeting_ids()? {
            if let Some(rec) = self.meeting_export(id)? {
                meetings.push(rec);
            }
        }
        let doc = Document {
            format: FORMAT.to_owned(),
            ward: Some(ward_record(self.conn(), HOME)?),
            wards: self.other_wards()?,
            agencies: self.agencies()?,
            bodies: self.bodies()?.into_iter().map(|b| b.record).collect(),
            history: self.history()?,
            cases: self.case_records()?,
            meetings,
            changes: self.orphan_changes()?,
            templates: self.templates()?,
            recorded: self.recorded_texts()?,
        };
        tx.commit()?;
        Ok(doc)
    }

    /// The wards other than this database's own whose records it holds, in the order met.
    fn other_wards(&self) -> Result<Vec<WardRecord>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id FROM wards WHERE id <> ?1 ORDER BY id")?;
        let ids: Vec<i64> = stmt
            .query_map([HOME], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .map(|id| ward_record(self.conn(), id))
            .collect()
    }

    /// Changes whose meeting is no longer in the database ([`ORPHAN_CHANGES`]).
    fn orphan_changes(&self) -> Result<Vec<ChangeRecord>> {
        let mut stmt = self.conn().prepare_cached(ORPHAN_CHANGES)?;
        let rows = stmt.query_map([], orphan_change_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Agenda templates, by kind.
    pub fn templates(&self) -> Result<Vec<TemplateRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT kind, confidential, title, planned_min FROM agenda_templates ORDER BY kind, position",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<u32>>(3)?,
            ))
        })?;
        let mut out: Vec<TemplateRecord> = Vec::new();
        for row in rows {
            let (kind, confidential, title, minutes) = row?;
            if out.last().is_none_or(|t| t.kind != kind) {
                out.push(TemplateRecord {
                    kind,
                    confidential,
                    items: Vec::new(),
                });
            }
            if let Some(t) = out.last_mut() {
                t.items.push(TemplateItem { title, minutes });
            }
        }
        Ok(out)
    }
}

/// An export that could not be written: the system's reason (a full disk, the file size limit)
/// kept as an I/O error, which the writer of the file says of the file asked for (standard
/// output is `-`); anything else as serde_json says it.
fn written(e: serde_json::Error) -> StoreError {
    if e.io_error_kind().is_some() {
        StoreError::Io {
            path: std::path::PathBuf::from("-"),
            source: e.into(),
        }
    } else {
        StoreError::Invalid(format!("export: {e}"))
    }
}
