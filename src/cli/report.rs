//! `renkei report`: the annual report of a fiscal year as Markdown or CSV, optionally with other
//! years beside it.

use anyhow::Result;
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::office::write_binary;
use super::{Session, open, write_private_file};
use crate::i18n::Msg;
use crate::office::xlsx::workbook;
use crate::report::csv::{CsvEncoding, encode_report};
use crate::report::{self, Options, markdown};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown (GFM tables)
    #[value(alias = "markdown")]
    Md,
    /// CSV for Excel: the tables one under another
    Csv,
    /// Excel workbook: a sheet per table (with -o FILE, or into a pipe)
    Xlsx,
}

/// A fiscal year as the report takes it: 1900 to 9999, said in the reader's language. Written
/// in either width (`２０２５`) and as the ward names it: `令和7年度`, `令和7`, `R7`, `令和元年度`,
/// `平成31年度` (the year that began in April 2019), `2025年度` (attack14 finding 2).
fn fiscal_year(text: &str) -> Result<i32, String> {
    let folded = crate::domain::calendar::fold_width(text.trim());
    let bare = folded
        .strip_suffix("年度")
        .or_else(|| folded.strip_suffix('年'))
        .unwrap_or(&folded);
    if let Some(year) = era_year(bare) {
        return year;
    }
    bare.parse::<i32>()
        .ok()
        .filter(|y| (1900..=9999).contains(y))
        .ok_or_else(|| crate::i18n::said("usage_fiscal_year", &[]))
}

/// `令和7`, `R7`, `r7`, `平成元` as the Gregorian year of that era's fiscal year; `None` when no
/// era is named. `令和0` or `平成32`, a year the era did not hold (`Era::fiscal_year`), is refused
/// naming the years it held, not counted on from its start (平成32 was 2020, 令和2年度).
fn era_year(text: &str) -> Option<Result<i32, String>> {
    use crate::domain::calendar::Era;
    Era::ALL.into_iter().find_map(|era| {
        let rest = text
            .strip_prefix(era.name_ja())
            .or_else(|| text.strip_prefix(|c: char| c.eq_ignore_ascii_case(&era.initial())))?;
        let n = match rest {
            "元" => 1,
            digits => digits.parse::<i32>().ok()?,
        };
        Some(era.fiscal_year(n).ok_or_else(|| {
            let (first, last) = era.fiscal_years();
            let mut args = vec![
                (
                    "era",
                    crate::i18n::message_lang()
                        .pick(era.name_ja(), era.name_en())
                        .to_owned(),
                ),
                ("year", n.to_string()),
                ("first", first.to_string()),
            ];
            let key = match last {
                Some(last) => {
                    args.push(("last", last.to_string()));
                    args.push(("last_n", (last - first + 1).to_string()));
                    "usage_era_year_outside"
                }
                None => "usage_era_year_before",
            };
            crate::i18n::said(key, &args)
        }))
    })
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The fiscal year, April to March: 2020 = 令和2年度 (April 2020 – March 2021); 令和2年度
    /// and R2 are read too
    #[arg(long, value_name = "YYYY", value_parser = fiscal_year)]
    pub fiscal_year: i32,
    /// A fiscal year printed beside it (may be given more than once)
    #[arg(long, value_name = "YYYY", value_parser = fiscal_year)]
    pub compare: Vec<i32>,
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
    /// Only the meetings of the bodies with this name
    #[arg(long, value_name = "NAME")]
    pub body: Option<String>,
    /// Only the meetings of bodies of this kind (支援会議, コア会議 …)
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// A column per ward and the city's total, as a city publishes its wards
    #[arg(long)]
    pub by_ward: bool,
    /// Only the bodies of this ward (its name or local government code; see `renkei ward`)
    #[arg(long, value_name = "NAME")]
    pub ward: Option<String>,
    /// Agencies (and issues): the N largest rows, the rest folded into その他
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = super::count)]
    pub top: Option<usize>,
    /// Issues: the N largest rows, the rest folded into その他 (default: --top)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = super::count)]
    pub top_issues: Option<usize>,
    /// Encoding of --format csv: UTF-8 with BOM (default) or CP932
    #[arg(long, value_enum, value_name = "ENCODING")]
    pub encoding: Option<CsvEncoding>,
    /// Write to FILE (atomically, owner-only) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn report(ctx: &Session, args: ReportArgs, out: &mut dyn Write) -> Result<()> {
    let encoding = csv_encoding(args.format == ReportFormat::Csv, args.encoding)?;
    let store = open(ctx)?;
    let mut options = Options::new(ctx.lang, args.fiscal_year, ctx.clock.today());
    options.compare = args.compare;
    options.body = args.body;
    options.kind = args.kind;
    options.top = args.top;
    options.top_issues = args.top_issues;
    options.vocabulary = ctx.settings.vocabulary();
    options.by_ward = args.by_ward;
    if let Some(name) = &args.ward {
        options.ward = Some(ward_id(&store, name, ctx.lang)?);
    }
    let (report, masked) = store.report_masked(&options)?;
    if masked > 0 {
        let stderr = std::io::stderr(); // inert: through `say`
        let label = report::people::label(ctx.lang);
        let message = Msg::new("report_people_masked")
            .with("count", masked)
            .with("label", label);
        super::say(&mut stderr.lock(), &message.render(ctx.lang))?;
    }
    match args.format {
        ReportFormat::Md => emit(
            args.output.as_deref(),
            markdown::render(&report).as_bytes(),
            out,
        )?,
        ReportFormat::Csv => emit(
            args.output.as_deref(),
            &encode_report(&report, encoding).map_err(anyhow::Error::msg)?,
            out,
        )?,
        ReportFormat::Xlsx => {
            let now = ctx.clock.now().naive_utc();
            let bytes = workbook(&report::xlsx::sheets(&report), now)?;
            write_binary(args.output.as_deref(), &bytes, out, "xlsx")?
        }
    }
    let years: Vec<String> = report.years.iter().map(i32::to_string).collect();
    let detail = format!(
        "{} (fiscal years {})",
        target(args.output.as_deref()),
        years.join(", ")
    );
    let output = args.output.as_deref();
    super::audit_output(
        &store,
        output,
        "export_report",
        None,
        &detail,
        &ctx.db,
        ctx.lang,
    )
}

/// The ward `--ward` names: by its name, or by its local government code (five or six digits).
pub(super) fn ward_id(
    store: &crate::store::Store,
    name: &str,
    lang: crate::i18n::Lang,
) -> Result<i64> {
    let wards = store.ward_labels()?;
    match wards.named(name).as_slice() {
        [one] => Ok(*one),
        [] => Err(Msg::new("no_ward")
            .with("name", name.trim())
            .with("wards", wards.listed(lang).join(", "))
            .into()),
        // Each with its code (or its uid's start): which to give instead.
        found => Err(Msg::new("ward_ambiguous")
            .with("name", name.trim())
            .with("count", found.len().to_string())
            .with(
                "wards",
                found
                    .iter()
                    .map(|id| wards.label(*id, lang))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .into()),
    }
}

/// Where an export went, for the audit trail.
pub(super) fn target(output: Option<&Path>) -> String {
    output
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "stdout".to_owned())
}

/// The encoding of a CSV export; naming one for another format is a mistake worth saying.
pub(super) fn csv_encoding(is_csv: bool, encoding: Option<CsvEncoding>) -> Result<CsvEncoding> {
    match (is_csv, encoding) {
        (false, Some(_)) => Err(Msg::new("encoding_csv_only").into()),
        (_, e) => Ok(e.unwrap_or_default()),
    }
}

/// Writes what `write` writes to FILE (atomically, owner-only: nothing is left of a write that
/// fails) or to standard output, as it is written.
pub(super) fn emit_with(
    output: Option<&Path>,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match output {
        Some(path) => Ok(crate::store::write_private_with(path, |w| {
            write(w).map_err(|e| super::errors::as_store_error(path, &e))
        })?),
        None => {
            let mut buffered = std::io::BufWriter::new(out);
            write(&mut buffered)?;
            Ok(buffered.flush()?)
        }
    }
}

/// Writes to FILE (atomically, owner-only) or to standard output.
pub(super) fn emit(output: Option<&Path>, bytes: &[u8], out: &mut dyn Write) -> Result<()> {
    match output {
        Some(path) => write_private_file(path, bytes),
        // inert: tables, CSV cells, JSON and Markdown are each made inert as they are built
        None => Ok(out.write_all(bytes)?),
    }
}
