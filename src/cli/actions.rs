//! `renkei actions`: next actions by agency with their meeting, overdue ones marked — as a
//! table, JSON, or CSV for Excel.

use anyhow::Result;
use chrono::NaiveDate;
use clap::ValueEnum;
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;

use super::office::write_binary;
use super::report::{csv_encoding, emit, target};
use super::table::Table;
use super::{Session, open, write_json};
use crate::i18n::{Lang, Msg};
use crate::office::xlsx::workbook;
use crate::report::actions::{is_overdue, sheet, status_label};
use crate::report::csv::{CsvEncoding, encode};
use crate::store::report::ActionListRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionsFormat {
    Table,
    Json,
    /// CSV for Excel (UTF-8 with BOM, or CP932 with --encoding cp932)
    Csv,
    /// Excel workbook (with -o FILE, or into a pipe)
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct ActionsArgs {
    /// Only the actions of this agency
    #[arg(long, value_name = "NAME")]
    pub agency: Option<String>,
    /// Only the open actions
    #[arg(long)]
    pub open: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ActionsFormat,
    /// Encoding of --format csv: UTF-8 with BOM (default) or CP932
    #[arg(long, value_enum, value_name = "ENCODING")]
    pub encoding: Option<CsvEncoding>,
    /// Write to FILE (atomically, owner-only) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn actions(ctx: &Session, args: ActionsArgs, out: &mut dyn Write) -> Result<()> {
    let encoding = csv_encoding(args.format == ActionsFormat::Csv, args.encoding)?;
    let store = open(ctx)?;
    if let Some(name) = &args.agency {
        if !store.agency_exists(name)? {
            return Err(Msg::new("no_agency").with("name", name.trim()).into());
        }
    }
    let rows = store.action_list(args.agency.as_deref(), args.open)?;
    let today = ctx.clock.today();
    let output = args.output.as_deref();
    match args.format {
        ActionsFormat::Table => emit(output, table(&rows, today, ctx.lang).as_bytes(), out)?,
        ActionsFormat::Json => {
            let mut buffer = Vec::new();
            write_json(&mut buffer, &json_list(&rows, today))?;
            emit(output, &buffer, out)?
        }
        ActionsFormat::Csv => {
            let text = sheet(&rows, today, ctx.lang).plain_rows();
            emit(
                output,
                &encode(&text, encoding).map_err(anyhow::Error::msg)?,
                out,
            )?
        }
        ActionsFormat::Xlsx => {
            let list = sheet(&rows, today, ctx.lang);
            let bytes =
                workbook(&[list], ctx.clock.now().naive_utc()).map_err(anyhow::Error::msg)?;
            write_binary(output, &bytes, out, "xlsx")?
        }
    }
    let mut detail = target(args.output.as_deref());
    if let Some(agency) = &args.agency {
        detail.push_str(&format!(" (agency {})", agency.trim()));
    }
    Ok(store.audit("export_actions", None, &detail)?)
}

fn no_agency(lang: Lang) -> String {
    lang.pick("（機関未指定）", "(no agency)").to_owned()
}

fn day(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn table(rows: &[ActionListRow], today: NaiveDate, lang: Lang) -> String {
    if rows.is_empty() {
        return lang
            .pick("次回までの対応はありません。\n", "No next actions.\n")
            .to_owned();
    }
    let mut t = Table::new(&[
        (lang.pick("機関", "Agency"), 24),
        (lang.pick("内容", "Action"), 40),
        (lang.pick("期限", "Due"), 10),
        (lang.pick("状態", "Status"), 12),
        (lang.pick("会議体", "Body"), 30),
        (lang.pick("会議日", "Meeting"), 10),
    ]);
    for r in rows {
        let status = if is_overdue(r, today) {
            lang.pick("! 期限超過", "! OVERDUE").to_owned()
        } else {
            status_label(r.status, lang)
        };
        t.row(vec![
            r.agency.clone().unwrap_or_else(|| no_agency(lang)),
            r.text.clone(),
            day(r.due),
            status,
            r.body.clone(),
            day(Some(r.meeting_date)),
        ]);
    }
    t.render()
}

fn json_list(rows: &[ActionListRow], today: NaiveDate) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "agency": r.agency,
                    "text": r.text,
                    "due": r.due.map(|d| d.format("%Y-%m-%d").to_string()),
                    "status": r.status.code(),
                    "overdue": is_overdue(r, today),
                    "body": r.body,
                    "meeting_id": r.meeting_id,
                    "meeting_date": r.meeting_date.format("%Y-%m-%d").to_string(),
                })
            })
            .collect(),
    )
}
