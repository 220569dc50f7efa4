//! The whole database as one interchange document.

use super::interchange::{Document, FORMAT, TemplateItem, TemplateRecord};
use super::{Result, Store};

impl Store {
    pub fn export_document(&self) -> Result<Document> {
        let mut meetings = Vec::new();
        let mut ids = self
            .conn()
            .prepare_cached("SELECT id FROM meetings ORDER BY date, start_time, id")?;
        let ids: Vec<i64> = ids
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
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
