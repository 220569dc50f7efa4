//! `renkei audit`: who created, changed, saw, exported or approved what — for confidential
//! meetings a ward must be able to answer "who saw or exported this record".

use anyhow::Result;
use serde_json::json;
use std::io::Write;

use super::table::Table;
use super::{ListFormat, Session, open, write_json};

pub fn audit(
    ctx: &Session,
    meeting: Option<i64>,
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let store = open(ctx)?;
    let trail = store.audit_trail(meeting)?;
    match format {
        ListFormat::Json => {
            let rows: Vec<_> = trail
                .iter()
                .map(|e| json!({ "at": e.at, "by": e.by, "action": e.action, "meeting_id": e.meeting_id, "detail": e.detail }))
                .collect();
            write_json(out, &serde_json::Value::Array(rows))
        }
        ListFormat::Table => {
            let lang = ctx.lang;
            let mut t = Table::new(&[
                (lang.pick("日時", "When"), 25),
                (lang.pick("誰が", "Who"), 12),
                (lang.pick("操作", "Action"), 16),
                (lang.pick("会議", "Meeting"), 7),
                (lang.pick("内容", "Detail"), 60),
            ]);
            for e in &trail {
                t.row(vec![
                    e.at.clone(),
                    e.by.clone(),
                    e.action.clone(),
                    e.meeting_id.map(|m| m.to_string()).unwrap_or_default(),
                    e.detail.clone(),
                ]);
            }
            out.write_all(t.render().as_bytes())?; // inert: a Table makes every cell inert
            Ok(())
        }
    }
}
