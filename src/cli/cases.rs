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
use super::office::{write_binary, write_binary_with};
use super::report::{csv_encoding, emit, emit_with, target};
use super::table::Columns;
use super::{Session, open, write_json, write_json_items, write_private_file};
use crate::cases::ledger::{CaseRow, WardNames};
use crate::cases::record::{self, CaseRecordInput, Options};
use crate::i18n::Msg;
use crate::ledger_file::{Ledger, ward_names};
use crate::office::docx;
use crate::report::csv::CsvEncoding;
use crate::store::WardLabels;
use crate::store::cases::{LedgerFilter, LedgerQuery};

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
    let ward = match &args.ward {
        Some(name) => Some(super::report::ward_id(&store, name, ctx.lang)?),
        None => None,
    };
    let query = LedgerQuery {
        filter,
        due: args.due,
        ward,
    };
    // A city's ledger says whose each case is (the same pseudonym may be in several wards).
    let ward_names = ward_names(&store, ctx.lang)?;
    let wards = ward_names.as_ref();
    // In JSON the ward's name and code, as `actions`, `meetings` and `bodies` give them.
    let labels = store.ward_labels()?;
    let json_wards = labels.several().then_some(&labels);
    let (today, lang) = (ctx.clock.today(), ctx.lang);
    let output = args.output.as_deref();
    {
        // Every reading of the ledger — and with --redact each case's record — sees the same
        // cases, whoever writes meanwhile.
        // Texts recorded since the last keying keyed first, outside the snapshot (the masker
        // looks up who a cell may name: `Store::table_people`).
        store.key_recorded_texts()?;
        let _snapshot = store.read_snapshot()?;
        let ledger = Ledger {
            store: &store,
            query,
            lang,
            redact: args.redact,
            only: None,
        };
        match args.format {
            LedgerFormat::Table => table(&ledger, wards, today, output, out)?,
            LedgerFormat::Json => emit_with(output, out, |w| {
                write_json_items(w, |item| {
                    ledger.each(&mut |_| Ok(()), &mut |r| {
                        item(&json_item(&r, json_wards, today))
                    })
                })
            })?,
            LedgerFormat::Csv => {
                // One reading of the ledger. A character CP932 cannot write is found before
                // anything reaches standard output: the rows wait in an unnamed owner-only file
                // beside the database until the last is written (a file given with -o is
                // written whole or not at all anyway).
                let rows = |w: &mut dyn Write| ledger.write_csv(wards, encoding, w).map(|_| ());
                if encoding == CsvEncoding::Cp932 && output.is_none() {
                    kept_until_written(&ctx.db, out, rows)?
                } else {
                    emit_with(output, out, rows)?
                }
            }
            // Each row read as it is written (the columns measured on a first reading): the
            // workbook's sheet goes to a temporary file as it is made.
            LedgerFormat::Xlsx => write_binary_with(output, out, "xlsx", |w| {
                ledger
                    .write_xlsx(wards, ctx.clock.now().naive_utc(), w)
                    .map(|_| ())
            })?,
        }
    }
    let redacted = if args.redact { " (redacted)" } else { "" };
    Ok(store.audit(
        "export_cases",
        None,
        &format!("{}{redacted}", target(output)),
    )?)
}

/// `write` into an unnamed owner-only file beside the database `db`, then copied to `out`
/// once it has all been written: an error half-way leaves standard output untouched.
fn kept_until_written(
    db: &std::path::Path,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    use std::io::{Seek, SeekFrom};
    let dir = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    // Owner-only and unnamed: nothing is left, however renkei ends.
    let mut kept = crate::temp_file::unnamed_in(dir)?;
    {
        let mut w = std::io::BufWriter::new(&mut kept);
        write(&mut w)?;
        w.flush()?;
    }
    kept.seek(SeekFrom::Start(0))?;
    std::io::copy(&mut kept, out)?;
    Ok(out.flush()?)
}

fn day(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The table: its columns measured on the first reading (the lead agency's as it is shown,
/// masked), its rows written in order on the second.
fn table(
    ledger: &Ledger,
    wards: Option<&WardNames>,
    today: NaiveDate,
    output: Option<&std::path::Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let lang = ledger.lang;
    let mut columns = vec![("ID", 4), (lang.pick("事例", "Case"), 16)];
    if wards.is_some() {
        columns.push((lang.pick("区", "Ward"), crate::store::ward::LABEL_CELLS));
    }
    let lead = columns.len() + 1;
    columns.extend([
        (lang.pick("状態", "Status"), 10),
        (lang.pick("主担当機関", "Lead agency"), 24),
        (lang.pick("危険度", "Risk"), 6),
        (lang.pick("最終会議", "Last met"), 10),
        (lang.pick("次回会議", "Next meeting"), 10),
        (lang.pick("次回確認", "Next review"), 12),
        (lang.pick("未完了", "Open"), 6),
    ]);
    let cells = |r: &CaseRow| -> Vec<String> {
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
        cells
    };
    let columns = std::cell::RefCell::new(Columns::new(&columns));
    let mut rows = 0;
    let leads = std::cell::RefCell::new(std::collections::BTreeSet::new());
    let mut started = false;
    emit_with(output, out, |w| {
        ledger.each_with(
            &mut |r| {
                rows += 1;
                let mut row = cells(r);
                // The lead agency is measured as it is shown: below, once masked.
                if let Some(lead) = row.get_mut(lead) {
                    leads.borrow_mut().extend(r.lead_agency.clone());
                    lead.clear();
                }
                columns.borrow_mut().measure(&row);
                Ok(())
            },
            &mut |name, shown| {
                if leads.borrow().contains(name) {
                    let mut row = vec![String::new(); lead + 1];
                    row[lead] = shown.to_owned();
                    columns.borrow_mut().measure(&row);
                }
            },
            &mut |r| {
                if !started {
                    started = true;
                    columns.borrow().write_head(w)?;
                }
                Ok(columns.borrow().write_row(w, &cells(&r))?)
            },
        )?;
        if rows == 0 {
            let none = crate::i18n::say(lang, "case_no_cases", &[]);
            w.write_all(crate::text::inert_lines(&format!("{none}\n")).as_bytes())?;
        }
        Ok(())
    })
}

fn json_item(r: &CaseRow, wards: Option<&WardLabels>, today: NaiveDate) -> Value {
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
        map.insert("ward".to_owned(), json!(wards.name(r.ward_id)));
        map.insert("ward_code".to_owned(), json!(wards.code(r.ward_id)));
    }
    item
}

pub(super) fn case(ctx: &Session, args: CaseArgs, out: &mut dyn Write) -> Result<()> {
    if args.redact && args.format == RecordFormat::Json {
        return Err(Msg::new("case_redact_json").into());
    }
    let store = open(ctx)?;
    let Some(id) = store.find_case(&args.reference)? else {
        if let Some((number, pseudonym)) = store.case_number_beside_pseudonym(&args.reference)? {
            // `2` is case number 2 and another case's pseudonym: both listed, by number.
            let mut list = vec![format!("#{number}: {pseudonym}")];
            for (id, _, _) in store.cases_named(&args.reference)? {
                list.push(format!("#{id}: {}", args.reference.trim()));
            }
            return Err(Msg::new("case_number_or_pseudonym")
                .with("reference", args.reference.trim())
                .with("cases", list.join(", "))
                .into());
        }
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
        .case_record_input_as(id, args.redact)?
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
    let (db, lang) = (&ctx.db, ctx.lang);
    super::audit_output(&store, output, "export_case", None, &detail, db, lang)?;
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
