//! `renkei config --print`: every setting in effect, in the config file's own syntax (so a line
//! can be copied into the file), each with where it came from, then what was wrong.

use anyhow::Result;
use std::io::Write;

use super::Session;
use crate::config::{Setting, Settings};
use crate::i18n::Lang;

/// Prints the effective settings; with `path_only`, just the config file's path.
pub(super) fn print(ctx: &Session, path_only: bool, out: &mut dyn Write) -> Result<()> {
    let s = &ctx.settings;
    if path_only {
        if let Some((path, _)) = &s.file {
            super::say(out, &path.display().to_string())?;
        }
        return Ok(());
    }
    out.write_all(crate::text::inert_lines(&render(s, ctx.lang)).as_bytes())?;
    Ok(())
}

/// The whole report as text (pure, for tests).
pub fn render(s: &Settings, lang: Lang) -> String {
    let mut lines = vec![file_line(s, lang)];
    let row = |key: &str, value: String, source: String| {
        format!("{:<32} # {source}", format!("{key} = {value}"))
    };
    let quoted = |v: &str| format!("{v:?}");
    let from = |setting_source: &crate::config::Source| setting_source.describe(lang);
    lines.push(row("theme", quoted(&s.theme.value), from(&s.theme.source)));
    lines.push(row(
        "language",
        quoted(match s.lang.value {
            Lang::Ja => "ja",
            Lang::En => "en",
        }),
        from(&s.lang.source),
    ));
    lines.push(row("db", quoted(&db_text(s)), from(&s.db.source)));
    lines.push(optional(
        "date_style",
        s.date_style.value.map(|d| quoted(d.name())),
        &s.date_style,
        lang,
        lang.pick("画面ごとの既定", "each screen's own"),
    ));
    lines.push(row(
        "meeting_minutes",
        s.meeting_minutes.value.to_string(),
        from(&s.meeting_minutes.source),
    ));
    lines.push(row(
        "fiscal_year_start",
        s.fiscal_year_start.value.to_string(),
        format!(
            "{} ({})",
            from(&s.fiscal_year_start.source),
            lang.pick("年度の最初の月", "first month of the fiscal year")
        ),
    ));
    lines.push(optional(
        "name",
        s.name.value.as_deref().map(quoted),
        &s.name,
        lang,
        lang.pick("未設定", "not set"),
    ));
    lines.push(row(
        "ambiguous_width",
        s.ambiguous.value.cells().to_string(),
        from(&s.ambiguous.source),
    ));
    lines.push(row(
        "time_zone",
        quoted(s.time_zone.value.name()),
        format!(
            "{} ({})",
            from(&s.time_zone.source),
            lang.pick(
                "時刻と予定表はこの地域の時刻。TZ は見ない",
                "clocks and calendars are this zone's; TZ is not read"
            )
        ),
    ));
    lines.push(optional(
        "export_format",
        s.export_format.value.map(|f| quoted(f.name())),
        &s.export_format,
        lang,
        lang.pick("書き出すときに選ぶ", "asked when writing"),
    ));
    lines.push(row(
        "csv_encoding",
        quoted(match s.csv_encoding.value {
            crate::report::csv::CsvEncoding::Utf8 => "utf-8",
            crate::report::csv::CsvEncoding::Cp932 => "cp932",
        }),
        format!(
            "{} ({})",
            from(&s.csv_encoding.source),
            lang.pick("画面から書き出す CSV", "CSVs written from the screens")
        ),
    ));
    lines.push(format!(
        "# {}: {}",
        lang.pick(
            "色数（COLORTERM・TERM から）",
            "colours (from COLORTERM, TERM)"
        ),
        s.color_depth.name()
    ));
    lines.push(format!(
        "# {}: {}",
        lang.pick("キーの上書き", "key overrides"),
        s.keys.len()
    ));
    let vocabulary = s.vocabulary();
    let added: Vec<&str> = s.issues.iter().map(|c| c.name.as_str()).collect();
    lines.push(format!(
        "# {}: {}{}",
        lang.pick("課題の分類", "case issue categories"),
        vocabulary.issues().len(),
        if added.is_empty() {
            String::new()
        } else {
            format!(
                " ({}: {})",
                lang.pick("設定ファイルから", "from the config file"),
                added.join(", ")
            )
        }
    ));
    let rules = s.case_rules().review_summary();
    lines.push(format!(
        "# {}: {rules}{}",
        lang.pick("事例の確認間隔（月）", "case review intervals (months)"),
        match &s.review {
            Some(_) => format!(
                " ({})",
                lang.pick("設定ファイルから", "from the config file")
            ),
            None => String::new(),
        }
    ));
    let (_, _, look_problems) = s.look();
    let problems: Vec<String> = s
        .problems
        .iter()
        .chain(&look_problems)
        .map(|p| format!("#   {p}"))
        .collect();
    if !problems.is_empty() {
        lines.push(format!("# {}:", lang.pick("問題", "problems")));
        lines.extend(problems);
    }
    lines.join("\n") + "\n"
}

fn file_line(s: &Settings, lang: Lang) -> String {
    match &s.file {
        Some((path, true)) => format!(
            "# {}: {}",
            lang.pick("設定ファイル", "config file"),
            path.display()
        ),
        Some((path, false)) => format!(
            "# {}: {} ({})",
            lang.pick("設定ファイル", "config file"),
            path.display(),
            lang.pick("なし: 既定値を使用", "none there: defaults")
        ),
        None => format!(
            "# {}",
            lang.pick("設定ファイルの場所がありません", "no config directory")
        ),
    }
}

fn db_text(s: &Settings) -> String {
    match &s.db.value {
        Some(path) => path.display().to_string(),
        None => crate::store::default_path()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    }
}

/// A setting that may be unset: unset ones are shown commented out.
fn optional<T>(
    key: &str,
    value: Option<String>,
    setting: &Setting<T>,
    lang: Lang,
    unset: &str,
) -> String {
    match value {
        Some(v) => format!(
            "{:<32} # {}",
            format!("{key} = {v}"),
            setting.source.describe(lang)
        ),
        None => format!("{:<32} # {unset}", format!("# {key} =")),
    }
}
