//! `renkei minutes` and `renkei approve`: the minutes of one meeting as Markdown, and their
//! approval.

use anyhow::Result;
use std::io::Write;
use std::path::Path;

use super::{Session, open, write_private_file};
use crate::i18n::{Lang, Msg};
use crate::minutes::{self, Options};

/// Prints the minutes, or writes them to `output` (atomically, owner-only).
pub(super) fn minutes(
    ctx: &Session,
    id: i64,
    redact: bool,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let store = open(ctx)?;
    let input = store
        .minutes_input(id)?
        .ok_or_else(|| Msg::new("meeting_not_found").with("id", id))?;
    let text = minutes::render(
        &input,
        &Options {
            lang: ctx.lang,
            redact,
        },
    );
    match output {
        Some(path) => write_private_file(path, text.as_bytes())?,
        // inert: the minutes show control characters as control pictures (␛)
        None => out.write_all(text.as_bytes())?,
    }
    let target = output
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "stdout".to_owned());
    let detail = if redact {
        format!("{target} (redacted)")
    } else {
        target
    };
    store.audit("export_minutes", Some(id), &detail)?;
    Ok(())
}

/// Approves the minutes of a held meeting and says so.
pub(super) fn approve(ctx: &Session, id: i64, out: &mut dyn Write) -> Result<()> {
    let mut store = open(ctx)?;
    store.approve_minutes(id)?;
    store.audit("approve_minutes", Some(id), "")?;
    let by = store.signature();
    let message = match ctx.lang {
        Lang::Ja => format!(
            "会議 #{id} の議事録を承認しました（承認者: {by}）。以後の修正は修正履歴として議事録に残ります。"
        ),
        Lang::En => format!(
            "Approved the minutes of meeting #{id} (by {by}). Later changes are listed with them as amendments."
        ),
    };
    super::say(out, &message)?;
    Ok(())
}
