//! Settings and where each comes from: a command-line flag over the environment over the config
//! file (`<config dir>/config.toml`, or the file `RENKEI_CONFIG` names) over the defaults. The
//! language is the exception the issue asks for: `--lang`, else the config's `language`, else the
//! locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), because the locale is the machine's default and the
//! config is the person's choice. `NO_COLOR` beats every theme, flags included (no-color.org).
//!
//! Reading is lenient: a bad value is reported with its file and line and replaced by the
//! default, the rest of the file still applies. Parsing is pure ([`parse`], [`resolve`]); the
//! environment is passed in ([`Environment`]), never read from here, so tests do not race.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::domain::calendar::{format_date_en, format_wareki, wareki_year, weekday_ja};
use crate::domain::case::{CaseRules, KindOverride, REVIEW_MONTHS, RulesOverride};
use crate::domain::vocabulary::{Category, Vocabulary};
use crate::i18n::{Lang, Msg, Words};
use crate::keys::{Action, Context, Override, parse_key};
use crate::report::csv::CsvEncoding;
use crate::text::Ambiguous;
use crate::user_file::Doc;
pub use crate::user_file::Problem;
use crate::zone::Zone;

/// The file format the screens' `w` writes (where it fits the screen; else it asks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Markdown: minutes, the annual report.
    Md,
    /// Word: minutes.
    Docx,
    /// Excel: the annual report, the next actions.
    Xlsx,
    /// CSV for Excel (in the config's `csv_encoding`): the case ledger.
    Csv,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Md,
        ExportFormat::Docx,
        ExportFormat::Xlsx,
        ExportFormat::Csv,
    ];

    fn parse(text: &str) -> Option<ExportFormat> {
        match text.trim_start_matches('.').to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(ExportFormat::Md),
            "docx" | "word" => Some(ExportFormat::Docx),
            "xlsx" | "excel" => Some(ExportFormat::Xlsx),
            "csv" => Some(ExportFormat::Csv),
            _ => None,
        }
    }

    /// Its name in the config file, and the file name's extension.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Md => "md",
            ExportFormat::Docx => "docx",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
        }
    }
}

/// How the screens write dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// 令和8年11月21日（土）
    Wareki,
    /// 2026-11-21 (土)
    Iso,
    /// 令和8年11月21日（土）(2026-11-21)
    Both,
}

impl DateStyle {
    fn parse(text: &str) -> Option<DateStyle> {
        match text {
            "wareki" | "reiwa" | "令和" | "和暦" => Some(DateStyle::Wareki),
            "iso" | "ISO" | "西暦" => Some(DateStyle::Iso),
            "both" | "両方" => Some(DateStyle::Both),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DateStyle::Wareki => "wareki",
            DateStyle::Iso => "iso",
            DateStyle::Both => "both",
        }
    }

    /// A full date in this style and language.
    pub fn format(self, date: chrono::NaiveDate, lang: Lang) -> String {
        let iso = date.format("%Y-%m-%d");
        match (lang, self) {
            (Lang::Ja, DateStyle::Wareki) => format_wareki(date),
            (Lang::Ja, DateStyle::Iso) => format!("{iso}({})", weekday_ja(date)),
            (Lang::Ja, DateStyle::Both) => format!("{}({iso})", format_wareki(date)),
            (Lang::En, DateStyle::Iso) => format_date_en(date),
            (Lang::En, DateStyle::Wareki) => {
                format!("{}, {}", date.format("%a %-d %b"), era_en(date))
            }
            (Lang::En, DateStyle::Both) => {
                format!("{iso} ({}, {})", date.format("%a"), era_en(date))
            }
        }
    }
}

fn era_en(date: chrono::NaiveDate) -> String {
    match wareki_year(date) {
        Some((era, y)) => format!("{} {y}", era.name_en()),
        None => date.format("%Y").to_string(),
    }
}

/// The settings the screens use besides language and look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    /// `None`: each screen's own choice (令和 and ISO in the upcoming list; 令和 in Japanese and
    /// ISO in English in the meeting header).
    pub date_style: Option<DateStyle>,
    /// The length a new meeting is given (the schedule form's end time).
    pub meeting_minutes: u32,
    /// The month the fiscal year begins (4: April).
    pub fiscal_year_start: u32,
    /// How the user is named in the record ("who did what").
    pub name: Option<String>,
    /// What `w` writes where it fits the screen; `None`: it asks.
    pub export_format: Option<ExportFormat>,
    /// The bytes a CSV the screens write is in (UTF-8 with a BOM, or CP932).
    pub csv_encoding: CsvEncoding,
}

impl Default for Preferences {
    fn default() -> Preferences {
        Preferences {
            date_style: None,
            meeting_minutes: 90,
            fiscal_year_start: 4,
            name: None,
            export_format: None,
            csv_encoding: CsvEncoding::Utf8,
        }
    }
}

/// What the config file says; `None` where it says nothing (or something wrong).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileSettings {
    pub theme: Option<String>,
    pub language: Option<Lang>,
    pub date_style: Option<DateStyle>,
    pub db: Option<PathBuf>,
    pub meeting_minutes: Option<u32>,
    pub fiscal_year_start: Option<u32>,
    pub name: Option<String>,
    pub ambiguous_width: Option<Ambiguous>,
    pub time_zone: Option<Zone>,
    pub export_format: Option<ExportFormat>,
    pub csv_encoding: Option<CsvEncoding>,
    pub keys: Vec<Override>,
    /// `[[issues]]`: case issue categories (and variants) added to the built-in list.
    pub issues: Vec<Category>,
    /// `[review]`: the review intervals and ledgers over the rules shipped.
    pub review: Option<RulesOverride>,
}

/// The keys a config file may have, for the message about a misspelt one.
pub const KEYS: [&str; 14] = [
    "theme",
    "language",
    "date_style",
    "db",
    "meeting_minutes",
    "fiscal_year_start",
    "name",
    "ambiguous_width",
    "time_zone",
    "export_format",
    "csv_encoding",
    "keys",
    "issues",
    "review",
];

/// Reads a config file's text. Relative paths in it (`db`, a theme file) are taken from `dir`,
/// the config file's directory.
pub fn parse(text: &str, file: &str, dir: &Path) -> (FileSettings, Vec<Problem>) {
    let mut scratch = String::new();
    let mut doc = Doc::read(text, file, &mut scratch);
    let mut out = FileSettings::default();
    for (key, span) in doc.keys() {
        let result = match key.as_str() {
            "keys" => {
                out.keys = overrides(&mut doc);
                Ok(())
            }
            "issues" => {
                out.issues = issues(&mut doc);
                Ok(())
            }
            "review" => {
                out.review = review(&mut doc);
                Ok(())
            }
            k if KEYS.contains(&k) => read_setting(&doc, k, dir, &mut out),
            other => Err(Msg::new("config_unknown_setting")
                .with("key", other)
                .with("keys", KEYS.join(", "))
                .into()),
        };
        if let Err(message) = result {
            doc.problem(span, message);
        }
    }
    (out, doc.into_problems())
}

fn read_setting(doc: &Doc, key: &str, dir: &Path, out: &mut FileSettings) -> Result<(), Words> {
    let Some((_, value)) = doc.value::<toml::Value>(key) else {
        return Ok(());
    };
    let value = value.map_err(|e| Words::library(format!("{key}: {e}")))?;
    let text = || {
        value
            .as_str()
            .ok_or_else(|| Words::from(Msg::new("config_expected_string").with("key", key)))
    };
    let number = |range: Range<i64>| {
        value
            .as_integer()
            .filter(|n| range.contains(n))
            .map(|n| n as u32)
            .ok_or_else(|| {
                Words::from(
                    Msg::new("config_expected_number")
                        .with("key", key)
                        .with("min", range.start)
                        .with("max", range.end - 1),
                )
            })
    };
    match key {
        "theme" => out.theme = Some(theme_spec(text()?, dir)),
        "language" => {
            out.language = Some(match text()? {
                "ja" => Lang::Ja,
                "en" => Lang::En,
                other => return Err(Msg::new("config_bad_language").with("value", other).into()),
            })
        }
        "date_style" => {
            let t = text()?;
            out.date_style =
                Some(DateStyle::parse(t).ok_or_else(|| {
                    Words::from(Msg::new("config_bad_date_style").with("value", t))
                })?)
        }
        "db" => out.db = Some(dir.join(text()?)),
        "meeting_minutes" => out.meeting_minutes = Some(number(5..721)?),
        "fiscal_year_start" => out.fiscal_year_start = Some(number(1..13)?),
        "name" => {
            let t = text()?.trim();
            if t.is_empty() {
                return Err(Msg::new("config_empty").with("key", key).into());
            }
            out.name = Some(t.to_owned());
        }
        "export_format" => {
            let t = text()?;
            out.export_format = Some(ExportFormat::parse(t).ok_or_else(|| {
                Words::from(Msg::new("config_bad_export_format").with("value", t))
            })?)
        }
        "csv_encoding" => {
            let t = text()?;
            out.csv_encoding = Some(match t.to_ascii_lowercase().as_str() {
                "utf-8" | "utf8" => CsvEncoding::Utf8,
                "cp932" | "sjis" | "shift_jis" | "shift-jis" | "windows-31j" => CsvEncoding::Cp932,
                _ => return Err(Msg::new("config_bad_csv_encoding").with("value", t).into()),
            })
        }
        "ambiguous_width" => {
            out.ambiguous_width = Some(
                value
                    .as_integer()
                    .and_then(Ambiguous::from_cells)
                    .ok_or_else(|| Words::from(Msg::new("config_ambiguous_width")))?,
            )
        }
        "time_zone" => {
            let t = text()?;
            out.time_zone = Some(
                Zone::named(t)
                    .map_err(|_| Words::from(Msg::new("config_time_zone").with("value", t)))?,
            )
        }
        _ => {}
    }
    Ok(())
}

/// Whether a theme setting names a file rather than a built-in theme.
pub fn names_a_file(spec: &str) -> bool {
    spec.contains('/') || spec.ends_with(".toml")
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Palette256,
    Ansi16,
}

impl ColorDepth {
    /// From `COLORTERM` and `TERM`: truecolor/24bit → all colours; a `*256color*` terminal → the
    /// 256-colour palette; anything else (xterm, screen, linux, vt100, unset) → the 16 ANSI colours.
    pub fn detect(colorterm: Option<&str>, term: Option<&str>) -> ColorDepth {
        let colorterm = colorterm.unwrap_or("").to_ascii_lowercase();
        let term = term.unwrap_or("").to_ascii_lowercase();
        let full = |s: &str| s.contains("truecolor") || s.contains("24bit") || s.contains("direct");
        if full(&colorterm) || full(&term) {
            ColorDepth::TrueColor
        } else if term.contains("256color") || colorterm.contains("256") {
            ColorDepth::Palette256
        } else {
            ColorDepth::Ansi16
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ColorDepth::TrueColor => "truecolor",
            ColorDepth::Palette256 => "256",
            ColorDepth::Ansi16 => "16",
        }
    }
}

/// A built-in theme's name stays a name; anything else is a file, found from the config's
/// directory when relative.
fn theme_spec(text: &str, dir: &Path) -> String {
    if names_a_file(text) && Path::new(text).is_relative() {
        dir.join(text).display().to_string()
    } else {
        text.to_owned()
    }
}

/// A `[[keys.bind]]` entry as written, keeping where its key is for the message about it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bind {
    on: Spanned<String>,
    run: Action,
    #[serde(rename = "in", default = "everywhere")]
    contexts: Vec<Context>,
    ja: Option<String>,
    en: Option<String>,
}

fn everywhere() -> Vec<Context> {
    vec![Context::Global]
}

fn overrides(doc: &mut Doc) -> Vec<Override> {
    let mut out = Vec::new();
    for (name, span, bind) in doc.array_in::<Bind>("keys", "bind") {
        let bind = match bind {
            Ok(bind) => bind,
            Err(e) => {
                doc.problem(span, Words::library(format!("{name}: {e}")));
                continue;
            }
        };
        if parse_key(bind.on.get_ref()).is_none() {
            let message = Msg::new("config_unknown_key")
                .with("name", &name)
                .with("key", bind.on.get_ref());
            doc.problem(bind.on.span(), message);
            continue;
        }
        out.push(Override {
            on: bind.on.into_inner(),
            run: bind.run,
            contexts: bind.contexts,
            ja: bind.ja,
            en: bind.en,
        });
    }
    out
}

/// `[[issues]]` entries: each a category (name, en, variants, kana); a wrong field is reported on
/// its line and the entry left out, and so is an entry that would take another category's name.
fn issues(doc: &mut Doc) -> Vec<Category> {
    let mut out = Vec::new();
    let mut vocabulary = Vocabulary::builtin().clone();
    for (name, span, category) in doc.array::<Category>("issues") {
        let category = match category {
            Ok(category) => category,
            Err(e) => {
                doc.problem(span, Words::library(format!("{name}: {e}")));
                continue;
            }
        };
        let (with, problems) = vocabulary.with_issues(std::slice::from_ref(&category));
        match problems.into_iter().next() {
            Some(problem) => doc.problem(span, problem),
            None => {
                vocabulary = with;
                out.push(category);
            }
        }
    }
    out
}

/// `[review]` as written: every key known, each interval with where it is for the message.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewSection {
    months: Option<Spanned<i64>>,
    high: Option<Spanned<i64>>,
    medium: Option<Spanned<i64>>,
    low: Option<Spanned<i64>>,
    #[serde(default)]
    kinds: Vec<Spanned<KindSection>>,
}

/// `[[review.kinds]]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindSection {
    kind: Spanned<String>,
    review_months: Option<Spanned<i64>>,
    ledger: Option<bool>,
    /// A kind of the ward's own, which the rules do not list (支援方針検討会議): said so, so that
    /// a kind misspelt is never taken for a new one.
    #[serde(default)]
    own: bool,
}

/// `[review]`: the rules' intervals and a kind's `review_months` / `ledger`. Strict: a misspelt
/// key, an interval outside [`REVIEW_MONTHS`], a kind without a name, given twice, or not one of
/// the rules' kinds without `own = true` is named on its line, and then none of `[review]`
/// applies (the rules shipped hold whole, never half changed).
fn review(doc: &mut Doc) -> Option<RulesOverride> {
    let (span, section) = doc.value::<ReviewSection>("review")?;
    let section = match section {
        Ok(section) => section,
        Err(e) => {
            doc.problem(span, Words::library(format!("review: {e}")));
            return None;
        }
    };
    let mut problems = Vec::new();
    let mut out = RulesOverride {
        months: months("review.months", section.months, &mut problems),
        high: months("review.high", section.high, &mut problems),
        medium: months("review.medium", section.medium, &mut problems),
        low: months("review.low", section.low, &mut problems),
        kinds: Vec::new(),
    };
    let rules = CaseRules::builtin();
    for entry in section.kinds {
        let entry = entry.into_inner();
        let span = entry.kind.span();
        let kind = entry.kind.get_ref().trim().to_owned();
        let review_months = months(
            "review.kinds.review_months",
            entry.review_months,
            &mut problems,
        );
        let listed = kind == "default" || rules.lists(&kind);
        let problem = if kind.is_empty() {
            Some(Msg::new("config_kind_empty"))
        } else if out.kinds.iter().any(|k| k.kind == kind) {
            Some(Msg::new("config_kind_twice").with("kind", &kind))
        } else if !listed && !entry.own {
            Some(
                Msg::new("config_kind_unknown")
                    .with("kind", &kind)
                    .with("kinds", rules.kinds().join(", ")),
            )
        } else if listed && entry.own {
            Some(Msg::new("config_kind_not_own").with("kind", &kind))
        } else {
            None
        };
        if let Some(message) = problem {
            problems.push((span, message));
        }
        out.kinds.push(KindOverride {
            kind,
            review_months,
            ledger: entry.ledger,
        });
    }
    if problems.is_empty() {
        return Some(out);
    }
    for (span, message) in problems {
        doc.problem(span, message);
    }
    None
}

/// An interval of the config's `[review]`, checked to be in [`REVIEW_MONTHS`].
fn months(
    name: &str,
    value: Option<Spanned<i64>>,
    problems: &mut Vec<(Range<usize>, Msg)>,
) -> Option<u32> {
    let value = value?;
    match u32::try_from(*value.get_ref()) {
        Ok(m) if REVIEW_MONTHS.contains(&m) => Some(m),
        _ => {
            let message = Msg::new("config_review_months")
                .with("key", name)
                .with("value", value.get_ref())
                .with("min", REVIEW_MONTHS.start())
                .with("max", REVIEW_MONTHS.end());
            problems.push((value.span(), message));
            None
        }
    }
}

/// The variables renkei reads, passed in so that tests can give their own.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    pub const NAMES: [&'static str; 8] = [
        "RENKEI_CONFIG",
        "RENKEI_DB",
        "NO_COLOR",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "COLORTERM",
        "TERM",
    ];

    pub fn from_process() -> Environment {
        let vars = Environment::NAMES
            .iter()
            .filter_map(|&name| Some((name.to_owned(), std::env::var(name).ok()?)))
            .collect();
        Environment { vars }
    }

    pub fn with(mut self, name: &str, value: &str) -> Environment {
        self.vars.insert(name.to_owned(), value.to_owned());
        self
    }

    /// A variable that is set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The first locale variable set, and its name.
    fn locale(&self) -> Option<(&'static str, &str)> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|name| Some((name, self.get(name)?)))
    }

    pub fn color_depth(&self) -> ColorDepth {
        ColorDepth::detect(self.get("COLORTERM"), self.get("TERM"))
    }
}

/// What the command line said, when it said it (clap's `RENKEI_DB` fallback is not a flag).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub db: Option<PathBuf>,
    pub lang: Option<Lang>,
    pub theme: Option<String>,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File,
    Env(&'static str),
    Flag(&'static str),
}

impl Source {
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Source::Default => lang.pick("既定値", "default").to_owned(),
            Source::File => lang.pick("設定ファイル", "config file").to_owned(),
            Source::Env(name) => format!("{} {name}", lang.pick("環境変数", "environment")),
            Source::Flag(name) => format!("{} {name}", lang.pick("コマンドライン", "command line")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

fn setting<T>(value: T, source: Source) -> Setting<T> {
    Setting { value, source }
}

/// Every setting in effect, each with where it came from, and what was wrong on the way.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file looked for, and whether it was there.
    pub file: Option<(PathBuf, bool)>,
    /// A built-in theme's name or a theme file's path; `mono` when `NO_COLOR` is set.
    pub theme: Setting<String>,
    pub lang: Setting<Lang>,
    /// `None`: the default database in the user's data directory.
    pub db: Setting<Option<PathBuf>>,
    pub date_style: Setting<Option<DateStyle>>,
    pub meeting_minutes: Setting<u32>,
    pub fiscal_year_start: Setting<u32>,
    pub name: Setting<Option<String>>,
    pub ambiguous: Setting<Ambiguous>,
    /// The zone meetings are held in: every clock and calendar time is its (Asia/Tokyo).
    pub time_zone: Setting<Zone>,
    /// `None`: the screens ask.
    pub export_format: Setting<Option<ExportFormat>>,
    /// The bytes of the CSVs the screens write.
    pub csv_encoding: Setting<CsvEncoding>,
    pub keys: Vec<Override>,
    /// Case issue categories the config adds to the built-in list.
    pub issues: Vec<Category>,
    /// The config's `[review]`: what it changes in the case rules.
    pub review: Option<RulesOverride>,
    pub color_depth: ColorDepth,
    pub problems: Vec<Problem>,
}

impl Default for Settings {
    fn default() -> Settings {
        resolve(
            &Flags::default(),
            &Environment::default(),
            FileSettings::default(),
        )
    }
}

impl Settings {
    pub fn preferences(&self) -> Preferences {
        Preferences {
            date_style: self.date_style.value,
            meeting_minutes: self.meeting_minutes.value,
            fiscal_year_start: self.fiscal_year_start.value,
            name: self.name.value.clone(),
            export_format: self.export_format.value,
            csv_encoding: self.csv_encoding.value,
        }
    }

    /// The vocabularies in effect: the built-in ones with the config's categories (each checked
    /// when the file was read).
    pub fn vocabulary(&self) -> Vocabulary {
        Vocabulary::builtin().with_issues(&self.issues).0
    }

    /// The case rules in effect: the rules shipped (fixtures/case_rules.toml) with the config's
    /// `[review]` (each value checked when the file was read).
    pub fn case_rules(&self) -> CaseRules {
        let shipped = CaseRules::builtin();
        match &self.review {
            Some(o) => shipped.with_override(o),
            None => shipped.clone(),
        }
    }

    /// Whether `NO_COLOR` decided the theme.
    pub fn no_color(&self) -> bool {
        self.theme.source == Source::Env("NO_COLOR")
    }
}

/// The config file: the one `RENKEI_CONFIG` names (which must exist), else `config.toml` in the
/// user's config directory (which may not).
pub fn config_path(env: &Environment) -> Option<(PathBuf, bool)> {
    if let Some(path) = env.get("RENKEI_CONFIG") {
        return Some((PathBuf::from(path), true));
    }
    directories::ProjectDirs::from("", "", "renkei")
        .map(|dirs| (dirs.config_dir().join("config.toml"), false))
}

/// Reads a settings file (the config, a theme) as text. Only a regular file is read: a FIFO, a
/// device or a directory is refused at once — opening a FIFO for reading would wait for a writer
/// forever, before the screen is even shown. The file is opened without waiting and checked
/// after it is open, so that nothing can be swapped in between.
pub fn read_settings_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = crate::user_file::open_regular(path)?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    Ok(text)
}

/// Reads the config file (if there is one) and resolves every setting.
pub fn load(flags: &Flags, env: &Environment) -> Settings {
    let mut problems = Vec::new();
    let mut file = FileSettings::default();
    let mut found = None;
    if let Some((path, explicit)) = config_path(env) {
        let label = path.display().to_string();
        match read_settings_file(&path) {
            Ok(text) => {
                let dir = path.parent().unwrap_or(Path::new("."));
                let (settings, file_problems) = parse(&text, &label, dir);
                file = settings;
                problems = file_problems;
                found = Some((path, true));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                found = Some((path, false));
            }
            Err(e) => {
                let message = Words::each(|lang| {
                    let why = crate::i18n::io_reason(&e, lang);
                    crate::i18n::say(lang, "config_cannot_read", &[("why", why)])
                });
                problems.push(Problem::new(&label, None, message));
                found = Some((path, false));
            }
        }
    }
    let mut settings = resolve(flags, env, file);
    settings.file = found;
    settings.problems.splice(0..0, problems);
    settings
}

/// Precedence, pure: flag > environment > file > default (language: flag > file > locale).
pub fn resolve(flags: &Flags, env: &Environment, file: FileSettings) -> Settings {
    let theme = if env.get("NO_COLOR").is_some() {
        setting("mono".to_owned(), Source::Env("NO_COLOR"))
    } else {
        pick(
            flags.theme.clone().map(|t| (t, Source::Flag("--theme"))),
            file.theme,
            "default".to_owned(),
        )
    };
    let locale = env
        .locale()
        .map(|(name, value)| (Lang::from_locale_name(Some(value)), Source::Env(name)));
    let lang = pick(
        flags.lang.map(|l| (l, Source::Flag("--lang"))),
        file.language,
        Lang::Ja,
    );
    let lang = match (lang.source.clone(), locale) {
        (Source::Default, Some((l, source))) => setting(l, source),
        _ => lang,
    };
    let db_flag = flags
        .db
        .clone()
        .map(|p| (Some(p), Source::Flag("--db")))
        .or_else(|| {
            env.get("RENKEI_DB")
                .map(|p| (Some(PathBuf::from(p)), Source::Env("RENKEI_DB")))
        });
    let defaults = Preferences::default();
    Settings {
        file: None,
        theme,
        lang,
        db: pick(db_flag, file.db.map(Some), None),
        date_style: pick(None, file.date_style.map(Some), defaults.date_style),
        meeting_minutes: pick(None, file.meeting_minutes, defaults.meeting_minutes),
        fiscal_year_start: pick(None, file.fiscal_year_start, defaults.fiscal_year_start),
        name: pick(None, file.name.map(Some), None),
        ambiguous: pick(None, file.ambiguous_width, Ambiguous::Narrow),
        time_zone: pick(None, file.time_zone, Zone::tokyo()),
        export_format: pick(None, file.export_format.map(Some), None),
        csv_encoding: pick(None, file.csv_encoding, CsvEncoding::Utf8),
        keys: file.keys,
        issues: file.issues,
        review: file.review,
        color_depth: env.color_depth(),
        problems: Vec::new(),
    }
}

/// The first of: what the command line or environment said, what the file said, the default.
fn pick<T>(over: Option<(T, Source)>, file: Option<T>, default: T) -> Setting<T> {
    match (over, file) {
        (Some((value, source)), _) => setting(value, source),
        (None, Some(value)) => setting(value, Source::File),
        (None, None) => setting(default, Source::Default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_depth_comes_from_the_environment() {
        use ColorDepth::*;
        assert_eq!(
            ColorDepth::detect(Some("truecolor"), Some("xterm")),
            TrueColor
        );
        assert_eq!(ColorDepth::detect(Some("24bit"), None), TrueColor);
        assert_eq!(ColorDepth::detect(None, Some("xterm-256color")), Palette256);
        assert_eq!(ColorDepth::detect(None, Some("tmux-256color")), Palette256);
        assert_eq!(ColorDepth::detect(None, Some("xterm")), Ansi16);
        assert_eq!(ColorDepth::detect(None, Some("screen")), Ansi16);
        assert_eq!(ColorDepth::detect(None, None), Ansi16);
    }

    fn parsed(text: &str) -> (FileSettings, Vec<Problem>) {
        parse(text, "config.toml", Path::new("/etc/renkei"))
    }

    #[test]
    fn a_full_file_is_read() {
        let (file, problems) = parsed(
            "theme = \"light\"\nlanguage = \"en\"\ndate_style = \"iso\"\ndb = \"team.db\"\n\
             meeting_minutes = 60\nfiscal_year_start = 1\nname = \"佐藤\"\nambiguous_width = 2\n\
             time_zone = \"America/New_York\"\nexport_format = \"docx\"\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(file.theme.as_deref(), Some("light"));
        assert_eq!(file.language, Some(Lang::En));
        assert_eq!(file.date_style, Some(DateStyle::Iso));
        assert_eq!(file.db, Some(PathBuf::from("/etc/renkei/team.db")));
        assert_eq!(file.meeting_minutes, Some(60));
        assert_eq!(file.fiscal_year_start, Some(1));
        assert_eq!(file.name.as_deref(), Some("佐藤"));
        assert_eq!(file.ambiguous_width, Some(Ambiguous::Wide));
        assert_eq!(
            file.time_zone.as_ref().map(Zone::name),
            Some("America/New_York")
        );
        assert_eq!(file.export_format, Some(ExportFormat::Docx));
        let (file, problems) = parsed("export_format = \"pdf\"\n");
        assert_eq!(file.export_format, None);
        assert!(problems[0].message.contains("md"), "{problems:?}");
    }

    #[test]
    fn a_time_zone_must_be_an_iana_name() {
        for bad in [
            "time_zone = \"JST\"",
            "time_zone = \"+09:00\"",
            "time_zone = 9",
        ] {
            let (file, problems) = parsed(bad);
            assert_eq!(file.time_zone, None, "{bad}");
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert!(
                problems[0].message.en.starts_with("time_zone"),
                "{problems:?}"
            );
        }
        let settings = resolve(&Flags::default(), &Environment::default(), parsed("").0);
        assert_eq!(settings.time_zone.value.name(), "Asia/Tokyo");
        assert_eq!(settings.time_zone.source, Source::Default);
    }

    #[test]
    fn issue_categories_are_added_and_bad_entries_named_on_their_line() {
        let (file, problems) = parsed(
            "[[issues]]\nname = \"ヤングケアラー\"\nvariants = [\"ヤング・ケアラー\"]\nkana = true\n\n\
             [[issues]]\nname = \"孤独\"\nvariants = [\"孤立\"]\n\n\
             [[issues]]\nname = \"DV\"\nvarients = [\"ＤＶ被害\"]\n\n\
             [[issues]]\nname = \"ゴミ屋敷\"\nvariants = [\"物があふれた家\"]\n",
        );
        let names: Vec<&str> = file.issues.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["ヤングケアラー", "ゴミ屋敷"]);
        let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(6), Some(12)], "{problems:?}");
        assert!(
            problems[0].message.contains("'孤立' (孤立)"),
            "{problems:?}"
        );
        assert!(problems[1].message.contains("varients"), "{problems:?}");
        let settings = resolve(&Flags::default(), &Environment::default(), file);
        let vocabulary = settings.vocabulary();
        let known = |t: &str| match vocabulary.issue(t) {
            crate::domain::vocabulary::IssueMatch::Known(c) => c.name.clone(),
            crate::domain::vocabulary::IssueMatch::New => String::new(),
        };
        assert_eq!(known("やんぐけあらー"), "ヤングケアラー");
        assert_eq!(known("物があふれた家"), "ゴミ屋敷");
        assert_eq!(known("孤独"), "");
        let (_, problems) = parsed("issues = \"DV\"\n");
        assert!(problems[0].message.contains("[[issues]]"), "{problems:?}");
    }

    #[test]
    fn a_bad_value_is_reported_on_its_line_and_the_rest_applies() {
        let (file, problems) =
            parsed("language = \"en\"\n\nmeeting_minutes = \"long\"\nlangauge = \"ja\"\n");
        assert_eq!(file.language, Some(Lang::En));
        assert_eq!(file.meeting_minutes, None);
        let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(3), Some(4)], "{problems:?}");
        assert!(problems[1].message.contains("langauge"));
        assert!(
            problems[0]
                .to_string()
                .starts_with("config.toml: line 3: meeting_minutes")
        );
    }

    #[test]
    fn a_syntax_error_spoils_only_its_line() {
        let (file, problems) = parsed("language = \"en\"\ntheme = \"light\nname = \"x\"\n");
        assert_eq!(file.language, Some(Lang::En));
        assert_eq!(problems[0].line, Some(2), "{problems:?}");
        assert_eq!(file.theme, None);
    }

    #[test]
    fn key_overrides_are_read_with_their_lines() {
        let (file, problems) = parsed(
            "[[keys.bind]]\non = \"ctrl-n\"\nrun = \"capture_note\"\nin = [\"live\"]\n\n\
             [[keys.bind]]\non = \"hyper-x\"\nrun = \"quit\"\n\n\
             [[keys.bind]]\non = \"z\"\nrun = \"fly\"\n",
        );
        assert_eq!(file.keys.len(), 1);
        assert_eq!(file.keys[0].on, "ctrl-n");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].message.contains("hyper-x"));
        assert_eq!(problems[0].line, Some(7));
        assert!(problems[1].message.contains("fly"));
    }

    /// One range for a review interval wherever it is written: the config takes what the rules
    /// file, the interchange and the database take (1–120 months), and refuses the rest alike.
    #[test]
    fn review_intervals_have_one_range() {
        let (file, problems) = parsed(
            "[review]\nmonths = 60\nhigh = 1\nlow = 120\n\n\
             [[review.kinds]]\nkind = \"要保護児童対策地域協議会\"\nreview_months = 36\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let review = file.review.expect("the [review] applies");
        assert_eq!((review.months, review.low), (Some(60), Some(120)));
        assert_eq!(review.kinds[0].review_months, Some(36));
        for bad in ["0", "121", "-1"] {
            let (file, problems) = parsed(&format!("[review]\nmonths = {bad}\n"));
            assert_eq!(file.review, None);
            assert!(
                problems[0].message.en.contains("from 1 to 120"),
                "{problems:?}"
            );
            assert!(
                problems[0].message.ja.contains("1 から 120 までの月数"),
                "{problems:?}"
            );
        }
        let rules = |months: u32| {
            CaseRules::parse(
                &crate::domain::case::RULES_TOML
                    .replace("review_months = 3", &format!("review_months = {months}")),
            )
        };
        assert!(rules(120).is_ok());
        assert!(rules(121).unwrap_err().contains("give 1 to 120 months"));
    }

    /// A kind in `[[review.kinds]]` is one of the rules' or says it is the ward's own: a
    /// misspelt kind would otherwise be a new kind that no body has, changing nothing, silently.
    #[test]
    fn a_review_kind_is_the_rules_or_said_to_be_the_wards_own() {
        let kind = |text: &str| parsed(&format!("[[review.kinds]]\n{text}\nreview_months = 1\n"));
        let (file, problems) = kind("kind = \"要保護児童対策地域協議会\"");
        assert!(problems.is_empty() && file.review.is_some(), "{problems:?}");
        let (file, problems) = kind("kind = \"default\"");
        assert!(problems.is_empty() && file.review.is_some(), "{problems:?}");
        let (file, problems) = kind("kind = \"支援方針検討会議\"\nown = true");
        assert!(problems.is_empty() && file.review.is_some(), "{problems:?}");
        for (text, en, ja) in [
            (
                "kind = \"要保護児童対策地域協義会\"",
                "is not a kind of the rules",
                "にない種別です",
            ),
            (
                "kind = \"支援方針検討会議\"",
                "add own = true",
                "own = true を書き添えて",
            ),
            (
                "kind = \"支援会議\"\nown = true",
                "is a kind of the rules",
                "規則にある種別",
            ),
            (
                "kind = \"支援会議\"\nown = \"yes\"",
                "invalid type",
                "値の型が違います",
            ),
        ] {
            let (file, problems) = kind(text);
            assert_eq!(file.review, None, "{text}");
            assert_eq!(problems.len(), 1, "{text}: {problems:?}");
            assert!(problems[0].message.en.contains(en), "{problems:?}");
            assert!(problems[0].message.ja.contains(ja), "{problems:?}");
        }
    }

    #[test]
    fn dates_follow_the_style() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(
            DateStyle::Wareki.format(d, Lang::Ja),
            "令和8年11月21日（土）"
        );
        assert_eq!(DateStyle::Iso.format(d, Lang::Ja), "2026-11-21(土)");
        assert_eq!(
            DateStyle::Both.format(d, Lang::Ja),
            "令和8年11月21日（土）(2026-11-21)"
        );
        assert_eq!(DateStyle::Iso.format(d, Lang::En), "2026-11-21 (Sat)");
        assert_eq!(DateStyle::Wareki.format(d, Lang::En), "Sat 21 Nov, Reiwa 8");
        assert_eq!(
            DateStyle::Both.format(d, Lang::En),
            "2026-11-21 (Sat, Reiwa 8)"
        );
    }
}
