//! `renkei cases` (the ledger: every case with its status, lead agency, risk, last and next
//! meeting, review date and open actions) and `renkei case REF` (one case's record, 経過記録, as
//! Markdown, Word or JSON, redacted on request).

use anyhow::Result;
use chrono::NaiveDate;
use clap::ValueEnum;
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;

use super::minutes::tell;
use super::office::write_binary;
use super::report::{csv_encoding, emit, target};
use super::table::Table;
use super::{Session, open, write_json, write_private_file};
use crate::cases::ledger::{self, CaseRow, sheet};
use crate::cases::record::{self, CaseRecordInput, Options};
use crate::i18n::{Lang, Msg};
use crate::office::{docx, xlsx::workbook};
use crate::report::csv::CsvEncoding;
use crate::store::cases::LedgerFilter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    /// Cases still followed (受理, 支援中, 見守り)
    Open,
    /// Cases ended (終結, 中断, 移管)
    Closed,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LedgerFormat {
    Table,
    Json,
    /// CSV for Excel (UTF-8 with BOM, or CP932 with --encoding cp932): the 進行管理台帳 columns
    Csv,
    /// Excel workbook (with -o FILE, or into a pipe)
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct CasesArgs {
    #[arg(long, value_enum, default_value = "open")]
    pub status: StatusFilter,
    /// Only the cases due for review by today (their next review date has come)
    #[arg(long)]
    pub due: bool,
    /// Only the cases of one ward of a city: its name or its local government code
    #[arg(long, value_name = "WARD")]
    pub ward: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: LedgerFormat,
    /// Replace people's names in the free text (援助方針, 終結理由) as `renkei case --redact`
    /// does in each case's record (agency cells holding a person are masked either way)
    #[arg(long)]
    pub redact: bool,
    /// Encoding of --format csv: UTF-8 with BOM (default) or CP932
    #[arg(long, value_enum, value_name = "ENCODING")]
    pub encoding: Option<CsvEncoding>,
    /// Write to FILE (atomically, owner-only) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum RecordFormat {
    /// Markdown (CommonMark with GFM tables and task lists)
    #[default]
    #[value(alias = "markdown")]
    Md,
    /// The record as JSON (the case, its meetings and actions)
    Json,
    /// Word document, A4 (with -o FILE, or into a pipe)
    Docx,
}

#[derive(Debug, clap::Args)]
pub struct CaseArgs {
    /// The case: its pseudonym (A世帯), its number or its uid
    pub reference: String,
    #[arg(long, value_enum, default_value = "md")]
    pub format: RecordFormat,
    /// Replace the names of people — the household's first — by A氏, B氏 …; what still looks
    /// like a name is warned about on standard error
    #[arg(long)]
    pub redact: bool,
    /// With --redact: list on standard error how many places each placeholder replaced
    #[arg(long, requires = "redact")]
    pub show_replacements: bool,
    /// Write to FILE (atomically, owner-only) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn cases(ctx: &Session, args: CasesArgs, out: &mut dyn Write) -> Result<()> {
    let encoding = csv_encoding(args.format == LedgerFormat::Csv, args.encoding)?;
    let store = open(ctx)?;
    let filter = match args.status {
        StatusFilter::Open => LedgerFilter::Open,
        StatusFilter::Closed => LedgerFilter::Closed,
        StatusFilter::All => LedgerFilter::All,
    };
    let mut rows = store.case_ledger(filter, args.due)?;
    if let Some(name) = &args.ward {
        let ward = super::report::ward_id(&store, name, ctx.lang)?;
        rows.retain(|r| r.ward_id == ward);
    }
    // A city's ledger says whose each case is (the same pseudonym may be in several wards).
    let wards = store.wards()?;
    let ward_names: Option<std::collections::HashMap<i64, String>> =
        (wards.len() > 1).then(|| wards.into_iter().map(|w| (w.id, w.name)).collect());
    crate::cases::ledger::mask(&mut rows, &store.household_people()?, ctx.lang);
    if args.redact {
        record::redact_ledger(&mut rows, ctx.lang, |case| store.case_record_input(case))?;
    }
    let today = ctx.clock.today();
    let output = args.output.as_deref();
    match args.format {
        LedgerFormat::Table => emit(
            output,
            table(&rows, ward_names.as_ref(), today, ctx.lang).as_bytes(),
            out,
        )?,
        LedgerFormat::Json => {
            let mut buffer = Vec::new();
            write_json(&mut buffer, &json_list(&rows, ward_names.as_ref(), today))?;
            emit(output, &buffer, out)?
        }
        LedgerFormat::Csv => {
            let bytes = ledger::csv(&rows, ctx.lang, encoding).map_err(anyhow::Error::msg)?;
            emit(output, &bytes, out)?
        }
        LedgerFormat::Xlsx => {
            let bytes = workbook(&[sheet(&rows, ctx.lang)], ctx.clock.now().naive_utc())
                .map_err(anyhow::Error::msg)?;
            write_binary(output, &bytes, out, "xlsx")?
        }
    }
    let redacted = if args.redact { " (redacted)" } else { "" };
    Ok(store.audit(
        "export_cases",
        None,
        &format!("{}{redacted}", target(output)),
    )?)
}

fn day(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The wards of a city by id (none: the database holds one ward).
type WardNames = std::collections::HashMap<i64, String>;

fn table(rows: &[CaseRow], wards: Option<&WardNames>, today: NaiveDate, lang: Lang) -> String {
    if rows.is_empty() {
        return format!("{}\n", crate::i18n::say(lang, "case_no_cases", &[]));
    }
    let mut columns = vec![("ID", 4), (lang.pick("事例", "Case"), 16)];
    if wards.is_some() {
        columns.push((lang.pick("区", "Ward"), 8));
    }
    columns.extend([
        (lang.pick("状態", "Status"), 10),
        (lang.pick("主担当機関", "Lead agency"), 24),
        (lang.pick("危険度", "Risk"), 6),
        (lang.pick("最終会議", "Last met"), 10),
        (lang.pick("次回会議", "Next meeting"), 10),
        (lang.pick("次回確認", "Next review"), 12),
        (lang.pick("未完了", "Open"), 6),
    ]);
    let mut t = Table::new(&columns);
    for r in rows {
        let review = match r.next_review {
            Some(d) if r.review_overdue(today) => {
                format!("! {}", d.format("%Y-%m-%d"))
            }
            other => day(other),
        };
        let mut cells = vec![r.id.to_string(), r.pseudonym.clone()];
        if let Some(wards) = wards {
            cells.push(wards.get(&r.ward_id).cloned().unwrap_or_default());
        }
        cells.extend([
            r.status.label(lang).to_owned(),
            r.lead_agency.clone().unwrap_or_default(),
            r.risk.map(|l| l.label(lang).to_owned()).unwrap_or_default(),
            day(r.last_meeting),
            day(r.next_meeting),
            review,
            r.open_actions.to_string(),
        ]);
        t.row(cells);
    }
    t.render()
}

fn json_list(rows: &[CaseRow], wards: Option<&WardNames>, today: NaiveDate) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let mut item = json!({
                    "id": r.id,
                    "uid": r.uid,
                    "pseudonym": r.pseudonym,
                    "status": r.status.code(),
                    "opened": day(r.opened),
                    "referred_by": r.referred_by,
                    "lead_agency": r.lead_agency,
                    "risk": r.risk.map(|l| l.code()).unwrap_or(""),
                    "urgency": r.urgency.map(|l| l.code()).unwrap_or(""),
                    "consent": r.consent.code(),
                    "policy": r.policy,
                    "last_meeting": r.last_meeting.map(|d| d.format("%Y-%m-%d").to_string()),
                    "next_meeting": r.next_meeting.map(|d| d.format("%Y-%m-%d").to_string()),
                    "next_review": r.next_review.map(|d| d.format("%Y-%m-%d").to_string()),
                    "review_overdue": r.review_overdue(today),
                    "review_by_rule": r.review_by_rule(),
                    "open_actions": r.open_actions,
                    "meetings": r.meetings,
                    "closed": r.closed.map(|d| d.format("%Y-%m-%d").to_string()),
                    "closure_reason": r.closure_reason,
                });
                if let (Some(wards), Value::Object(map)) = (wards, &mut item) {
                    map.insert("ward".to_owned(), json!(wards.get(&r.ward_id)));
                }
                item
            })
            .collect(),
    )
}

pub(super) fn case(ctx: &Session, args: CaseArgs, out: &mut dyn Write) -> Result<()> {
    if args.redact && args.format == RecordFormat::Json {
        return Err(Msg::new("case_redact_json").into());
    }
    let store = open(ctx)?;
    let Some(id) = store.find_case(&args.reference)? else {
        let named = store.cases_named(&args.reference)?;
        if named.len() > 1 {
            // A city whose wards use the pseudonym: which ones, by number and ward.
            let list: Vec<String> = named
                .iter()
                .map(|(id, name, code)| {
                    let ward = super::ward::ward_label(name, code.as_deref(), ctx.lang);
                    format!("{id}: {ward}")
                })
                .collect();
            return Err(Msg::new("case_several")
                .with("reference", args.reference.trim())
                .with("cases", list.join(", "))
                .into());
        }
        return Err(Msg::new("case_not_found")
            .with("reference", args.reference.trim())
            .into());
    };
    let input = store
        .case_record_input(id)?
        .ok_or_else(|| Msg::new("case_not_found").with("reference", id))?;
    let output = args.output.as_deref();
    let report = match args.format {
        RecordFormat::Md => {
            let (text, report) = if args.redact {
                let (doc, report) = record::redacted_document(&input, ctx.lang);
                (crate::document::markdown::render(&doc), Some(report))
            } else {
                let options = Options {
                    lang: ctx.lang,
                    redact: false,
                };
                (record::render(&input, &options), None)
            };
            match output {
                Some(path) => write_private_file(path, text.as_bytes())?,
                // inert: the record shows control characters as control pictures (␛)
                None => out.write_all(text.as_bytes())?,
            }
            report
        }
        RecordFormat::Docx => {
            let (doc, report) = if args.redact {
                let (doc, report) = record::redacted_document(&input, ctx.lang);
                (doc, Some(report))
            } else {
                let options = Options {
                    lang: ctx.lang,
                    redact: false,
                };
                (record::document(&input, &options), None)
            };
            let bytes = docx::document(&doc, ctx.clock.now()).map_err(anyhow::Error::msg)?;
            write_binary(output, &bytes, out, "docx")?;
            report
        }
        RecordFormat::Json => {
            let mut buffer = Vec::new();
            write_json(&mut buffer, &record_json(&input))?;
            emit(output, &buffer, out)?;
            None
        }
    };
    let mut detail = format!("case {id}: {}", target(output));
    if args.redact {
        detail.push_str(" (redacted)");
    }
    store.audit("export_case", None, &detail)?;
    if let Some(report) = report {
        tell(&report, args.show_replacements, ctx.lang)?;
    }
    Ok(())
}

/// The case record as JSON: the case as the interchange writes it, every meeting that
/// discussed it with what was said and decided there, and every action with its state.
fn record_json(input: &CaseRecordInput) -> Value {
    let meetings: Vec<Value> = input
        .meetings
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "uid": m.uid,
                "date": m.date,
                "body": m.body,
                "status": m.phase.code(),
                "basis": m.link.basis,
                "warned": m.link.warned,
                "situation": m.link.situation,
                "policy": m.link.policy,
                "notes": m.notes,
                "decisions": m.decisions,
                "roles": m.roles.iter().map(|r| json!({"agency": r.agency, "role": r.role})).collect::<Vec<_>>(),
                "issues": m.issues,
                "plan_revised": m.revised,
            })
        })
        .collect();
    let actions: Vec<Value> = input
        .actions
        .iter()
        .map(|a| {
            json!({
                "meeting_id": a.meeting_id,
                "agency": a.agency,
                "text": a.text,
                "due": a.due,
                "status": a.status.code(),
                "closed_in": a.closed_in.as_ref().map(|(id, _, _)| id),
                "closed_at": a.closed_at,
            })
        })
        .collect();
    json!({
        "case": input.case,
        "meetings": meetings,
        "actions": actions,
    })
}
