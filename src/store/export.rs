//! The whole database as one interchange document.

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::interchange::{
    AgencyRecord, BodyRecord, Document, FORMAT, HistoryRecord, TemplateItem, TemplateRecord,
};
use super::{Result, Store, StoreError};

/// The interchange document as [`Document`] writes it, field for field, with the meetings read
/// one at a time while they are written.
#[derive(Serialize)]
struct Streamed<'a> {
    format: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    agencies: Vec<AgencyRecord>,
    bodies: Vec<BodyRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    history: Vec<HistoryRecord>,
    meetings: Meetings<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    templates: Vec<TemplateRecord>,
}

struct Meetings<'a> {
    store: &'a Store,
    ids: Vec<i64>,
}

impl Serialize for Meetings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.ids.len()))?;
        for &id in &self.ids {
            if let Some(rec) = self.store.meeting_record(id).map_err(S::Error::custom)? {
                seq.serialize_element(&rec)?;
            }
        }
        seq.end()
    }
}

impl Store {
    /// Writes the whole database as interchange JSON (as [`super::interchange::to_json`] of
    /// [`Store::export_document`] would), reading one snapshot and one meeting at a time: at
    /// ward scale the document would take hundreds of megabytes in memory.
    pub fn write_export(&self, out: &mut dyn std::io::Write) -> Result<()> {
        // One read transaction: the export is one snapshot even while others write.
        let tx = self.conn().unchecked_transaction()?;
        let doc = Streamed {
            format: FORMAT,
            agencies: self.agencies()?,
            bodies: self.bodies()?.into_iter().map(|b| b.record).collect(),
            history: self.history()?,
            meetings: Meetings {
                store: self,
                ids: self.meeting_ids()?,
            },
            templates: self.templates()?,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)
            .map_err(|e| StoreError::Invalid(format!("export: {e}")))?;
        out.write_all(b"\n")
            .map_err(|e| StoreError::Invalid(format!("export: {e}")))?;
        tx.commit()?;
        Ok(())
    }

    fn meeting_ids(&self) -> Result<Vec<i64>> {
        let mut ids = self
            .conn()
            .prepare_cached("SELECT id FROM meetings ORDER BY date, start_time, id")?;
        let ids = ids
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    pub fn export_document(&self) -> Result<Document> {
        let mut meetings = Vec::new();
        for id in self.meeting_ids()? {
            if let Some(rec) = self.meeting_record(id)? {
                meetings.push(rec);
            }
        }
        Ok(Document {
            format: FORMAT.to_owned(),
            agencies: self.agencies()?,
            bodies: self.bodies()?.into_iter().map(|b| b.record).collect(),
            history: self.history()?,
            meetings,
            templates: self.templates()?,
        })
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
