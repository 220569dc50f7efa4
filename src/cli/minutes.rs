//! `renkei minutes` and `renkei approve`: the minutes of one meeting as Markdown, and their
//! approval.

use anyhow::Result;
use std::io::Write;
use std::path::Path;

use super::office::write_binary;
use super::{Session, open, say, write_private_file};
use crate::i18n::{Lang, Msg};
use crate::minutes::{self, Options, RedactionReport};
use crate::office::docx;

/// How the minutes are handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MinutesFormat {
    /// Markdown (CommonMark with GFM tables and task lists)
    #[default]
    #[value(alias = "markdown")]
    Md,
    /// Word document, A4 (with -o FILE, or into a pipe)
    Docx,
}

/// How the minutes are wanted.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct How {
    pub redact: bool,
    pub show_replacements: bool,
    pub format: MinutesFormat,
}

/// Prints the minutes, or writes them to `output` (atomically, owner-only). Redacted, it warns on
/// standard error about what still looks like a name, and with `show_replacements` lists the
/// placeholders and their counts there; the exit status is 0 either way (the warnings are
/// heuristics, read them before the minutes leave).
pub(super) fn minutes(
    ctx: &Session,
    id: i64,
    how: How,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let store = open(ctx)?;
    let input = store
        .minutes_input_as(id, how.redact)?
        .ok_or_else(|| Msg::new("meeting_not_found").with("id", id))?;
    let options = Options {
        lang: ctx.lang,
        redact: false,
    };
    let report = match how.format {
        MinutesFormat::Md => {
            let (text, report) = if how.redact {
                let redacted = minutes::render_redacted(&input, ctx.lang);
                (redacted.markdown, Some(redacted.report))
            } else {
                (minutes::render(&input, &options), None)
            };
            match output {
                Some(path) => write_private_file(path, text.as_bytes())?,
                // inert: the minutes show control characters as control pictures (␛)
                None => out.write_all(text.as_bytes())?,
            }
            report
        }
        MinutesFormat::Docx => {
            let (doc, report) = if how.redact {
                let (doc, report) = minutes::redacted_document(&input, ctx.lang);
                (doc, Some(report))
            } else {
                (minutes::document(&input, &options), None)
            };
            let bytes = docx::document(&doc, ctx.clock.now()).map_err(anyhow::Error::msg)?;
            write_binary(output, &bytes, out, "docx")?;
            report
        }
    };
    let target = output
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "stdout".to_owned());
    let detail = if how.redact {
        format!("{target} (redacted)")
    } else {
        target
    };
    let (db, lang) = (&ctx.db, ctx.lang);
    super::audit_output(
        &store,
        output,
        "export_minutes",
        Some(id),
        &detail,
        db,
        lang,
    )?;
    if let Some(report) = report {
        tell(&report, how.show_replacements, ctx.lang)?;
    }
    Ok(())
}

/// The replacements (counts only) and the warnings, on standard error, each line through `say`
/// (inert: a suspect is text a user typed).
pub(super) fn tell(report: &RedactionReport, replacements: bool, lang: Lang) -> Result<()> {
    let stderr = std::io::stderr(); // inert: every line goes through `say`
    let mut err = stderr.lock();
    if replacements {
        say(
            &mut err,
            &format!("renkei: {}", report.replacements_line(lang)),
        )?;
    }
    if report.suspects.is_empty() {
        return Ok(());
    }
    let n = report.suspects.len();
    let head = match lang {
        Lang::Ja => format!(
            "警告：氏名かもしれない語が {n} か所に残っています（置き換えていません）。渡す前に確認してください："
        ),
        Lang::En => format!(
            "warning: {n} places still look like names (not replaced); check them before the minutes leave:"
        ),
    };
    say(&mut err, &format!("renkei: {head}"))?;
    for line in report.suspect_lines(lang) {
        say(&mut err, &format!("renkei:   {line}"))?;
    }
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
