//! `renkei actions`: next actions by agency with their meeting, overdue ones marked — as a
//! table, JSON, or CSV for Excel.

use anyhow::Result;
use chrono::NaiveDate;
use clap::ValueEnum;
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;

use super::office::write_binary_with;
use super::report::{csv_encoding, emit, emit_with, target};
use super::table::Columns;
use super::{Session, open, write_json_items};
use crate::i18n::{Lang, Msg};
use crate::office::xlsx::{Cell, write_list};
use crate::report::actions::{cells, headers, is_overdue, sheet, status_label};
use crate::report::csv::{CsvEncoding, CsvWriter};
use crate::store::WardLabels;
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
    /// Only the actions of one ward of a city: its name or its local government code
    #[arg(long, value_name = "WARD")]
    pub ward: Option<String>,
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
    if let Some(name) = &args.agency
        && !store.agency_exists(name)?
    {
        return Err(Msg::new("no_agency").with("name", name.trim()).into());
    }
    let ward = match &args.ward {
        Some(name) => Some(super::report::ward_id(&store, name, ctx.lang)?),
        None => None,
    };
    // A city's wards have agencies and bodies of the same names: each action says its ward.
    let wards = store.ward_labels()?;
    let today = ctx.clock.today();
    let lang = ctx.lang;
    let output = args.output.as_deref();
    {
        // Every reading of the list sees the same actions, whoever writes meanwhile.
        let _snapshot = store.read_snapshot()?;
        // Each action handed on as it is read: every action of ten years is never held whole.
        let each = |f: &mut dyn FnMut(ActionListRow) -> Result<()>| -> Result<()> {
            store.each_action(args.agency.as_deref(), ward, args.open, f)
        };
        let row =
            |r: &ActionListRow| cells(r, today, lang, wards.column(r.ward_id, lang).as_deref());
        match args.format {
            ActionsFormat::Table => table(&each, &wards, today, lang, output, out)?,
            ActionsFormat::Json => emit_with(output, out, |w| {
                write_json_items(w, |item| each(&mut |r| item(&json_item(&r, &wards, today))))
            })?,
            ActionsFormat::Csv => {
                let head: Vec<String> = headers(lang, wards.several())
                    .iter()
                    .map(|h| (*h).to_owned())
                    .collect();
                let plain =
                    |r: &ActionListRow| -> Vec<String> { row(r).iter().map(Cell::csv).collect() };
                // CP932 cannot write every character: found before anything is written.
                if encoding == CsvEncoding::Cp932 {
                    let mut check = CsvWriter::new(encoding);
                    check.check(&head).map_err(anyhow::Error::msg)?;
                    each(&mut |r| check.check(&plain(&r)).map_err(anyhow::Error::msg))?;
                }
                emit_with(output, out, |w| {
                    let mut csv = CsvWriter::new(encoding);
                    csv.start(w)?;
                    csv.row(w, &head)?;
                    each(&mut |r| Ok(csv.row(w, &plain(&r))?))
                })?
            }
            ActionsFormat::Xlsx => {
                // Each row read as it is written, twice (the columns measured, then written).
                let list = sheet(lang, wards.several());
                let now = ctx.clock.now().naive_utc();
                write_binary_with(output, out, "xlsx", |w| {
                    write_list(
                        &list,
                        &mut |written| each(&mut |r| written(&row(&r))),
                        now,
                        w,
                    )
                })?
            }
        }
    }
    let mut detail = target(args.output.as_deref());
    if let Some(agency) = &args.agency {
        detail.push_str(&format!(" (agency {})", agency.trim()));
    }
    if let Some(ward) = ward {
        detail.push_str(&format!(" (ward {})", wards.label(ward, Lang::En)));
    }
    let output = args.output.as_deref();
    super::audit_output(
        &store,
        output,
        "export_actions",
        None,
        &detail,
        &ctx.db,
        ctx.lang,
    )
}

fn no_agency(lang: Lang) -> String {
    lang.pick("（機関未指定）", "(no agency)").to_owned()
}

fn day(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

type EachAction<'a> = dyn Fn(&mut dyn FnMut(ActionListRow) -> Result<()>) -> Result<()> + 'a;

/// The table: measured over the actions, then written as they are read again; a ward column
/// first where they are of more than one ward.
fn table(
    each: &EachAction,
    wards: &WardLabels,
    today: NaiveDate,
    lang: Lang,
    output: Option<&std::path::Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let mut columns = Columns::new(&[
        (lang.pick("区", "Ward"), crate::store::ward::LABEL_CELLS),
        (lang.pick("機関", "Agency"), 24),
        (lang.pick("内容", "Action"), 40),
        (lang.pick("期限", "Due"), 10),
        (lang.pick("状態", "Status"), 12),
        (lang.pick("会議体", "Body"), 30),
        (lang.pick("会議日", "Meeting"), 10),
    ]);
    let cells = |r: &ActionListRow| {
        let status = if is_overdue(r, today) {
            lang.pick("! 期限超過", "! OVERDUE").to_owned()
        } else {
            status_label(r.status, lang)
        };
        vec![
            wards.label(r.ward_id, lang),
            r.agency.clone().unwrap_or_else(|| no_agency(lang)),
            r.text.clone(),
            day(r.due),
            status,
            r.body.clone(),
            day(Some(r.meeting_date)),
        ]
    };
    let mut first_ward = None;
    let mut several = false;
    each(&mut |r| {
        columns.measure(&cells(&r));
        several |= *first_ward.get_or_insert(r.ward_id) != r.ward_id;
        Ok(())
    })?;
    if columns.rows() == 0 {
        let none = lang.pick("次回までの対応はありません。\n", "No next actions.\n");
        return emit(output, none.as_bytes(), out);
    }
    if !several {
        columns.hide(0);
    }
    emit_with(output, out, |w| {
        columns.write_head(w)?;
        each(&mut |r| Ok(columns.write_row(w, &cells(&r))?))
    })
}

/// One action as JSON: its ward always (by name, code and uid: two wards may share a name),
/// as `meetings` and `bodies` give theirs.
fn json_item(r: &ActionListRow, wards: &WardLabels, today: NaiveDate) -> Value {
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
        "ward": r.ward,
        "ward_code": wards.code(r.ward_id),
        "ward_uid": wards.uid(r.ward_id),
    })
}
