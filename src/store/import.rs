//! Importing files: every file of one command is read and checked first, then written in one
//! transaction ([`super::merge`] decides what may be written), so a bad file anywhere changes
//! nothing, and an import that would overwrite what was captured or approved here is refused
//! as a whole, listing every conflict — unless asked to skip them. A dry run does everything
//! and keeps nothing. Every import is in the audit.

use std::path::{Path, PathBuf};

use super::fixture::parse_toml;
use super::meeting_book;
use super::merge::Importer;
use super::tabular::{Encoding, decode};
use super::{Result, Store, StoreError};
use crate::interchange::{Document, check, parse_json};

pub use super::summary::{Conflict, Counts, ImportSummary, Outcome};

/// How to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// Text encoding of CSV/TSV files.
    pub encoding: Encoding,
    /// The sheets to read in workbooks (none: the one sheet that holds tables).
    pub sheets: Vec<String>,
    /// Create the bodies a meeting book names that do not exist (else refuse, listing them).
    pub create_bodies: bool,
    /// Skip the records in conflict (and list them) instead of refusing the import.
    pub skip_conflicts: bool,
    /// Do everything, report it, and keep nothing.
    pub dry_run: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            encoding: Encoding::Auto,
            sheets: Vec::new(),
            create_bodies: false,
            skip_conflicts: false,
            dry_run: false,
        }
    }
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

/// A file parsed and checked, and for a meeting book where each meeting came from (`line 12`,
/// `R2!B12`). `sheets` names the sheets to read in a workbook (none: the one sheet that holds
/// tables).
fn read_source(
    path: &Path,
    encoding: Encoding,
    sheets: &[String],
) -> Result<(Parsed, Option<Vec<String>>)> {
    let source = path.display().to_string();
    let fail = |msg: String| StoreError::Invalid(format!("{source}: {msg}"));
    let mut bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut places = None;
    let mut doc = match ext.as_str() {
        "toml" => {
            parse_toml(&utf8_text(std::mem::take(&mut bytes)).map_err(fail)?).map_err(fail)?
        }
        // The file is read once and not copied: at ward scale it is hundreds of megabytes.
        "json" => {
            parse_json(&utf8_text(std::mem::take(&mut bytes)).map_err(fail)?).map_err(fail)?
        }
        "csv" | "tsv" | "txt" => {
            let text = text_of(&bytes, encoding).map_err(fail)?;
            let delimiter = if ext == "tsv" || looks_tab_separated(&text) {
                b'\t'
            } else {
                b','
            };
            tables_document(
                super::tables::read_text(&text, delimiter).map_err(fail)?,
                &mut places,
            )
        }
        e if super::workbook::WORKBOOK_EXTENSIONS.contains(&e) => tables_document(
            super::workbook::read_workbook(&bytes, &ext, sheets).map_err(fail)?,
            &mut places,
        ),
        _ => {
            return Err(fail(
                "unknown kind of file (expected .toml, .json, .csv, .tsv, .xlsx, .xls or .ods)"
                    .to_owned(),
            ));
        }
    };
    if doc.format.is_empty() {
        // A table's cells (a CSV's, a workbook's) are checked as a document's fields are; a NUL
        // in a workbook's cell is refused like one in a CSV's text.
        if let Some(path) = check::nul_path(&doc) {
            return Err(fail(format!(
                "{path}: a NUL character is not allowed in text"
            )));
        }
        let places = places.as_deref().unwrap_or_default();
        check::document_with(&doc, &|i| {
            format!(
                "{}: meeting",
                places.get(i).map(String::as_str).unwrap_or("")
            )
        })
        .map_err(fail)?;
    }
    // Issues without a category say nothing (a hand-made list may hold an empty one).
    for m in &mut doc.meetings {
        m.issues.retain(|i| !i.category.trim().is_empty());
    }
    Ok((Parsed { source, doc }, places))
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

/// A UTF-8 file's text, without copying it (a BOM is dropped).
fn utf8_text(mut bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => refuse_nul(text),
        // Said as every decoder says it, with its line.
        Err(e) => decode(e.as_bytes(), Encoding::Utf8).and_then(refuse_nul),
    }
}

/// The file's text; a NUL byte anywhere is refused with its line (no text field may hold one).
fn text_of(bytes: &[u8], encoding: Encoding) -> Result<String, String> {
    refuse_nul(decode(bytes, encoding)?)
}

fn refuse_nul(text: String) -> Result<String, String> {
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        return Err(format!(
            "line {line}: a NUL byte is not allowed in text (is this a text file?)"
        ));
    }
    Ok(text)
}

fn looks_tab_separated(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first.contains('\t') && !first.contains(',')
}

impl Store {
    /// Imports files in one transaction.
    pub fn import_files(&mut self, paths: &[PathBuf], encoding: Encoding) -> Result<ImportSummary> {
        self.import_with(
            paths,
            &ImportOptions {
                encoding,
                ..ImportOptions::default()
            },
        )
    }

    /// Imports files in one transaction, as `options` say.
    pub fn import_with(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
    ) -> Result<ImportSummary> {
        let sources = paths
            .iter()
            .map(|p| read_source(p, options.encoding, &options.sheets))
            .collect::<Result<Vec<_>>>()?;
        let files: Vec<(&Parsed, Option<&[String]>)> =
            sources.iter().map(|(p, l)| (p, l.as_deref())).collect();
        self.import_sources(&files, options)
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
        self.import_with(
            paths,
            &ImportOptions {
                encoding,
                sheets: sheets.to_vec(),
                create_bodies,
                ..ImportOptions::default()
            },
        )
    }

    /// Writes already-parsed documents in one transaction.
    pub fn import_parsed(&mut self, parsed: &[Parsed]) -> Result<ImportSummary> {
        let files: Vec<(&Parsed, Option<&[String]>)> = parsed.iter().map(|p| (p, None)).collect();
        self.import_sources(&files, &ImportOptions::default())
    }

    fn import_sources(
        &mut self,
        files: &[(&Parsed, Option<&[String]>)],
        options: &ImportOptions,
    ) -> Result<ImportSummary> {
        let cache = self.enlarge_cache()?;
        let result = self.write_sources(files, options);
        self.conn().pragma_update(None, "cache_size", cache)?;
        result
    }

    /// A bulk write (an import, the ward-scale demo) puts rows into every uid index in the
    /// order of its file, not of the index: with SQLite's default 2 MB page cache most of those
    /// inserts read a page back from disk. 64 MB while it runs; returns the size to restore.
    pub(crate) fn enlarge_cache(&self) -> Result<i64> {
        let before: i64 = self
            .conn()
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn().pragma_update(None, "cache_size", -65536)?;
        Ok(before)
    }

    fn write_sources(
        &mut self,
        files: &[(&Parsed, Option<&[String]>)],
        options: &ImportOptions,
    ) -> Result<ImportSummary> {
        let now = self.now_text();
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        let set_aside = match bulk_for_search(&tx, files)? {
            true => Some(super::search::set_aside(&tx)?),
            false => None,
        };
        let mut importer = Importer::new(&tx, now.clone(), user.clone());
        for &(file, book) in files {
            if let Some(places) = book {
                let created = meeting_book::ensure_bodies(
                    &tx,
                    &now,
                    &file.doc,
                    places,
                    options.create_bodies,
                )
                .map_err(|e| StoreError::Invalid(format!("{}: {}", file.source, message(e))))?;
                importer.summary.bodies.added += created;
            }
            importer.document(&file.source, &file.doc, book)?;
            importer.summary.files += 1;
        }
        importer.finish()?;
        let mut summary = std::mem::take(&mut importer.summary);
        drop(importer);
        if !summary.conflicts.is_empty() && !options.skip_conflicts && !options.dry_run {
            // Dropping the transaction rolls everything back.
            return Err(StoreError::Conflicts(summary.conflicts));
        }
        if options.dry_run {
            summary.dry_run = true;
            tx.rollback()?;
            return Ok(summary);
        }
        if let Some(set_aside) = set_aside {
            super::search::index_again(&tx, set_aside)?;
        }
        let names: Vec<&str> = files.iter().map(|(f, _)| f.source.as_str()).collect();
        tx.execute(
            "INSERT INTO audit (at, by, action, meeting_id, detail) VALUES (?1, ?2, 'import', NULL, ?3)",
            rusqlite::params![now, user, audit_detail(&names, &summary)],
        )?;
        tx.commit()?;
        Ok(summary)
    }
}

/// Whether an import is large enough to index for search in one pass at its end rather than row
/// by row: indexing again reads every record of the database (about 7 µs each), the triggers
/// cost about 35 µs a record imported, so one pass wins when the import brings at least a fifth
/// of what the database will hold — an import into an empty database, a ward's whole history.
fn bulk_for_search(
    tx: &rusqlite::Transaction,
    files: &[(&Parsed, Option<&[String]>)],
) -> Result<bool> {
    let incoming: i64 = files.iter().map(|(f, _)| f.doc.meetings.len() as i64).sum();
    if incoming < 1000 {
        return Ok(false);
    }
    let held: i64 = tx.query_row("SELECT COUNT(*) FROM meetings", [], |r| r.get(0))?;
    Ok(incoming * 5 >= held + incoming)
}

/// The audit's line of an import: the files, and what it did.
fn audit_detail(files: &[&str], s: &ImportSummary) -> String {
    let counts = |c: &Counts| format!("+{} ~{} ={}", c.added, c.updated, c.unchanged);
    let mut detail = format!(
        "{}; bodies {}; meetings {}; cases {}; agencies {}; yearly counts {}; templates {}",
        files.join(", "),
        counts(&s.bodies),
        counts(&s.meetings),
        counts(&s.cases),
        counts(&s.agencies),
        counts(&s.history),
        s.templates
    );
    if !s.conflicts.is_empty() {
        detail.push_str(&format!("; skipped {} in conflict", s.conflicts.len()));
    }
    detail
}

fn message(e: StoreError) -> String {
    match e {
        StoreError::Invalid(m) => m,
        other => other.to_string(),
    }
}

/// Parses a TOML fixture from text (the compiled-in demo fixtures).
pub fn parse_fixture(text: &str) -> Result<Document, String> {
    parse_toml(text)
}
