//! `renkei audit`: who created, changed, saw, exported or approved what — for confidential
//! meetings a ward must be able to answer "who saw or exported this record".

use anyhow::Result;
use serde_json::json;
use std::io::Write;

use super::table::Columns;
use super::{ListFormat, Session, open, write_json_items};
use crate::store::shared::AuditEntry;

pub fn audit(
    ctx: &Session,
    meeting: Option<i64>,
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let store = open(ctx)?;
    // Both readings of the table see the same lines, whoever writes meanwhile; no line is held.
    let _snapshot = store.read_snapshot()?;
    let each = |f: &mut dyn FnMut(AuditEntry) -> Result<()>| store.each_audit_entry(meeting, f);
    match format {
        ListFormat::Json => write_json_items(out, |item| {
            each(&mut |e| {
                item(&json!({ "at": e.at, "by": e.by, "action": e.action,
                              "meeting_id": e.meeting_id, "detail": e.detail }))
            })
        }),
        ListFormat::Table => {
            let lang = ctx.lang;
            let mut columns = Columns::new(&[
                (lang.pick("日時", "When"), 25),
                (lang.pick("誰が", "Who"), 12),
                (lang.pick("操作", "Action"), 16),
                (lang.pick("会議", "Meeting"), 7),
                (lang.pick("内容", "Detail"), 60),
            ]);
            let cells = |e: AuditEntry| {
                vec![
                    e.at,
                    e.by,
                    e.action,
                    e.meeting_id.map(|m| m.to_string()).unwrap_or_default(),
                    e.detail,
                ]
            };
            each(&mut |e| {
                columns.measure(&cells(e));
                Ok(())
            })?;
            columns.write_head(out)?;
            each(&mut |e| Ok(columns.write_row(out, &cells(e))?))?;
            out.flush()?;
            Ok(())
        }
    }
}
