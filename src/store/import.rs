//! Importing files: every file of one command is read and checked first, then written in one
//! transaction, so a bad file anywhere changes nothing.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{Connection, params};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::bodies::{find_body, link_parent, upsert_agency, upsert_body, upsert_history};
use super::fixture::parse_toml;
use super::interchange::{Document, MeetingRecord, TemplateRecord, parse_json};
use super::meeting_book;
use super::meetings::upsert_meeting;
use super::tabular::{Encoding, decode};
use super::{Result, Store, StoreError};
use crate::text::trim_blanks;

/// What one import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub files: usize,
    pub bodies_added: usize,
    pub bodies_updated: usize,
    pub meetings: usize,
    pub agencies: usize,
    pub history: usize,
    pub templates: usize,
}

/// A file read and parsed, not yet written.
pub struct Parsed {
    pub source: String,
    pub doc: Document,
}

/// Reads and parses one file by its extension; the error names the file (and line).
pub fn read_file(path: &Path, encoding: Encoding) -> Result<Parsed> {
    read_source(path, encoding, &[]).map(|(parsed, _)| parsed)
}

/// A file parsed, and for a meeting book where each meeting came from (`line 12`, `R2!B12`).
/// `sheets` names the sheets to read in a workbook (none: the one sheet that holds tables).
fn read_source(
    path: &Path,
    encoding: Encoding,
    sheets: &[String],
) -> Result<(Parsed, Option<Vec<String>>)> {
    let source = path.display().to_string();
    let fail = |msg: String| StoreError::Invalid(format!("{source}: {msg}"));
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut lines = None;
    let doc = match ext.as_str() {
        "toml" => parse_toml(&utf8_text(&bytes).map_err(fail)?).map_err(fail)?,
        "json" => parse_json(&utf8_text(&bytes).map_err(fail)?).map_err(fail)?,
        "csv" | "tsv" | "txt" => {
            let text = decode(&bytes, encoding).map_err(fail)?;
            let delimiter = if ext == "tsv" || looks_tab_separated(&text) {
                b'\t'
            } else {
                b','
            };
            tables_document(
                super::tables::read_text(&text, delimiter).map_err(fail)?,
                &mut lines,
            )
        }
        e if super::workbook::WORKBOOK_EXTENSIONS.contains(&e) => tables_document(
            super::workbook::read_workbook(&bytes, &ext, sheets).map_err(fail)?,
            &mut lines,
        ),
        _ => {
            return Err(fail(
                "unknown kind of file (expected .toml, .json, .csv, .tsv, .xlsx, .xls or .ods)"
                    .to_owned(),
            ));
        }
    };
    Ok((Parsed { source, doc }, lines))
}

/// The bodies and meetings of a file's tables; a meeting book's places go to `places`.
fn tables_document(tables: super::tables::Tables, places: &mut Option<Vec<String>>) -> Document {
    if !tables.book.meetings.is_empty() {
        *places = Some(tables.book.places);
    }
    Document {
        bodies: tables.bodies,
        meetings: tables.book.meetings,
        ..Document::default()
    }
}

fn utf8_text(bytes: &[u8]) -> Result<String, String> {
    decode(bytes, Encoding::Utf8)
}

fn looks_tab_separated(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first.contains('\t') && !first.contains(',')
}

impl Store {
    /// Imports files in one transaction.
    pub fn import_files(&mut self, paths: &[PathBuf], encoding: Encoding) -> Result<ImportSummary> {
        self.import_files_with(paths, encoding, &[], false)
    }

    /// Imports files in one transaction; `sheets` names the sheets to read in workbooks;
    /// `create_bodies` creates the bodies a meeting book names that do not exist yet (else the
    /// import is refused, listing them).
    pub fn import_files_with(
        &mut self,
        paths: &[PathBuf],
        encoding: Encoding,
        sheets: &[String],
        create_bodies: bool,
    ) -> Result<ImportSummary> {
        let sources = paths
            .iter()
            .map(|p| read_source(p, encoding, sheets))
            .collect::<Result<Vec<_>>>()?;
        let files: Vec<(&Parsed, Option<&[String]>)> =
            sources.iter().map(|(p, l)| (p, l.as_deref())).collect();
        self.import_sources(&files, create_bodies)
    }

    /// Writes already-parsed documents in one transaction.
    pub fn import_parsed(&mut self, parsed: &[Parsed]) -> Result<ImportSummary> {
        let files: Vec<(&Parsed, Option<&[String]>)> = parsed.iter().map(|p| (p, None)).collect();
        self.import_sources(&files, false)
    }

    fn import_sources(
        &mut self,
        files: &[(&Parsed, Option<&[String]>)],
        create_bodies: bool,
    ) -> Result<ImportSummary> {
        let now = self.now_text();
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        let mut summary = ImportSummary::default();
        for &(file, book) in files {
            let lines = book.unwrap_or_default();
            book.map_or(Ok(0), |lines| {
                meeting_book::ensure_bodies(&tx, &now, &file.doc, lines, create_bodies)
            })
            .and_then(|created| {
                summary.bodies_added += created;
                apply(&tx, &now, &user, &file.doc, lines, &mut summary)
            })
            .map_err(|e| StoreError::Invalid(format!("{}: {}", file.source, message(e))))?;
            summary.files += 1;
        }
        tx.commit()?;
        Ok(summary)
    }
}

fn message(e: StoreError) -> String {
    match e {
        StoreError::Invalid(m) => m,
        other => other.to_string(),
    }
}

/// Writes one document; `places` (a meeting book's) name its meetings by line or cell in errors.
fn apply(
    conn: &Connection,
    now: &str,
    user: &str,
    doc: &Document,
    places: &[String],
    summary: &mut ImportSummary,
) -> Result<()> {
    for (i, agency) in doc.agencies.iter().enumerate() {
        if trim_blanks(&agency.name).is_empty() {
            return Err(invalid(format!("agencies[{i}].name is empty")));
        }
        upsert_agency(conn, agency)?;
        summary.agencies += 1;
    }
    let mut ids = Vec::with_capacity(doc.bodies.len());
    let mut seen = HashSet::new();
    for (i, body) in doc.bodies.iter().enumerate() {
        let at = || format!("bodies[{i}] '{}'", body.name);
        if trim_blanks(&body.name).is_empty() {
            return Err(invalid(format!("bodies[{i}].name is empty")));
        }
        if !seen.insert((trim_blanks(&body.name), trim_blanks(&body.organiser))) {
            return Err(invalid(format!(
                "{}: listed twice with the same organiser '{}'",
                at(),
                body.organiser
            )));
        }
        let existed = find_body(conn, &body.name, Some(&body.organiser))
            .ok()
            .flatten()
            .is_some();
        ids.push(upsert_body(conn, now, body)?);
        if existed {
            summary.bodies_updated += 1;
        } else {
            summary.bodies_added += 1;
        }
    }
    for (i, (body, &id)) in doc.bodies.iter().zip(&ids).enumerate() {
        let Some(parent) = body
            .parent
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        else {
            continue;
        };
        let at = format!("bodies[{i}] '{}': parent", body.name);
        let parent_id = resolve(conn, doc, &ids, parent, body.parent_organiser.as_deref())
            .map_err(|e| invalid(format!("{at}: {}", message(e))))?
            .ok_or_else(|| {
                invalid(format!(
                    "{at} '{parent}' is not a body in this file or the database"
                ))
            })?;
        if creates_cycle(conn, id, parent_id)? {
            return Err(invalid(format!(
                "{at} '{parent}' would make the body its own ancestor"
            )));
        }
        link_parent(conn, id, Some(parent_id))?;
    }
    for (i, h) in doc.history.iter().enumerate() {
        let at = format!("history[{i}] '{}'", h.body);
        let body = resolve(conn, doc, &ids, &h.body, h.organiser.as_deref())
            .map_err(|e| invalid(format!("{at}: {}", message(e))))?
            .ok_or_else(|| invalid(format!("{at}: no such body")))?;
        upsert_history(conn, body, h)?;
        summary.history += 1;
    }
    for (i, t) in doc.templates.iter().enumerate() {
        replace_template(conn, t)
            .map_err(|e| invalid(format!("templates[{i}]: {}", message(e))))?;
        summary.templates += 1;
    }
    for (i, m) in doc.meetings.iter().enumerate() {
        let at = match places.get(i) {
            Some(place) => format!("{place}: meeting"),
            None => format!("meetings[{i}]"),
        };
        check_meeting(m).map_err(|e| invalid(format!("{at}.{e}")))?;
        let body = resolve(conn, doc, &ids, &m.body, m.body_organiser.as_deref())
            .map_err(|e| invalid(format!("{at}.body: {}", message(e))))?
            .ok_or_else(|| invalid(format!("{at}.body: '{}' is not a body", m.body)))?;
        upsert_meeting(conn, now, user, body, m)?;
        summary.meetings += 1;
    }
    Ok(())
}

/// A body named in a document: one of the document's own bodies when the name (and organiser, if
/// given) picks exactly one of them, else one in the database.
fn resolve(
    conn: &Connection,
    doc: &Document,
    ids: &[i64],
    name: &str,
    organiser: Option<&str>,
) -> Result<Option<i64>> {
    let organiser = organiser.map(trim_blanks).filter(|o| !o.is_empty());
    let mut own = doc.bodies.iter().zip(ids).filter(|(b, _)| {
        trim_blanks(&b.name) == trim_blanks(name)
            && organiser.is_none_or(|o| trim_blanks(&b.organiser) == o)
    });
    if let (Some((_, &id)), None) = (own.next(), own.next()) {
        return Ok(Some(id));
    }
    find_body(conn, name, organiser)
}

fn invalid(msg: String) -> StoreError {
    StoreError::Invalid(msg)
}

fn creates_cycle(conn: &Connection, body: i64, parent: i64) -> Result<bool> {
    let mut current = Some(parent);
    let mut steps = 0;
    while let Some(id) = current {
        if id == body {
            return Ok(true);
        }
        steps += 1;
        if steps > 1000 {
            return Ok(true);
        }
        current = conn.query_row("SELECT parent_id FROM bodies WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    }
    Ok(false)
}

fn replace_template(conn: &Connection, t: &TemplateRecord) -> Result<()> {
    if t.kind.trim().is_empty() {
        return Err(invalid("kind is empty".to_owned()));
    }
    conn.execute(
        "DELETE FROM agenda_templates WHERE kind = ?1",
        [t.kind.trim()],
    )?;
    for (i, item) in t.items.iter().enumerate() {
        if item.title.trim().is_empty() {
            return Err(invalid(format!("items[{i}].title is empty")));
        }
        conn.execute(
            "INSERT INTO agenda_templates (kind, position, title, planned_min, confidential) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![t.kind.trim(), i as i64 + 1, item.title, item.minutes, t.confidential],
        )?;
    }
    Ok(())
}

/// Checks the shape of a meeting's values; the error starts with the field's path.
fn check_meeting(m: &MeetingRecord) -> Result<(), String> {
    check_date("date", &m.date)?;
    for (field, value) in [("start", &m.start), ("end", &m.end)] {
        if let Some(t) = value {
            NaiveTime::parse_from_str(t, "%H:%M")
                .map_err(|_| format!("{field}: '{t}' is not a time (HH:MM)"))?;
        }
    }
    if let Some(next) = &m.next_meeting {
        check_date("next_meeting", next)?;
    }
    for (i, a) in m.actions.iter().enumerate() {
        if a.text.trim().is_empty() {
            return Err(format!("actions[{i}].text is empty"));
        }
        if let Some(due) = &a.due {
            check_date(&format!("actions[{i}].due"), due)?;
        }
    }
    for (i, item) in m.agenda.iter().enumerate() {
        if item.title.trim().is_empty() {
            return Err(format!("agenda[{i}].title is empty"));
        }
    }
    for (i, r) in m.roles.iter().enumerate() {
        if r.role.trim().is_empty() {
            return Err(format!("roles[{i}].role is empty"));
        }
    }
    Ok(())
}

fn check_date(field: &str, text: &str) -> Result<(), String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| format!("{field}: '{text}' is not a date (YYYY-MM-DD)"))
}

/// Parses a TOML fixture from text (the compiled-in demo fixtures).
pub fn parse_fixture(text: &str) -> Result<Document, String> {
    parse_toml(text)
}
