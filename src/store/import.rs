//! Importing files: every file of one command is read and checked first, then written in one
//! transaction ([`super::merge`] decides what may be written), so a bad file anywhere changes
//! nothing, and an import that would overwrite what was captured or approved here is refused
//! as a whole, listing every conflict — unless asked to skip them. A dry run does everything
//! and keeps nothing. Every import is in the audit.

use rusqlite::{Connection, OptionalExtension};
use std::io::Read;
use std::path::{Path, PathBuf};
use uuid::Uuid;

use super::cases::merge::Pending;
use super::fixture::parse_toml;
use super::meeting_book::{self, SeenKeys};
use super::merge::{Head, Importer};
use super::schema::{CASE_FILLS, CaseFill};
use super::tables::{Reading, Record, Want};
use super::tabular::{Encoding, decode};
use super::{Result, Store, StoreError};
use crate::interchange::check::{Kind, LinkAt, UidSet};
use crate::interchange::stream::{Failure, Sink};
use crate::interchange::{
    CaseRecord, ChangeRecord, Document, MeetingRecord, RecordedText, check, parse_json,
};

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

/// Reads and parses one TOML or JSON file whole; the error names the file (and line).
pub fn read_file(path: &Path) -> Result<Parsed> {
    read_source(path)
}

/// A file parsed and checked whole (a TOML fixture; JSON read whole). Tables (CSV, TSV,
/// workbooks) are read as they are written: [`TableFile`].
fn read_source(path: &Path) -> Result<Parsed> {
    let source = path.display().to_string();
    let fail = |msg: String| StoreError::Invalid(format!("{source}: {msg}"));
    let mut bytes = read_whole_file(path)?;
    let ext = extension(path);
    let mut doc = match ext.as_str() {
        "toml" => {
            parse_toml(&utf8_text(std::mem::take(&mut bytes)).map_err(fail)?).map_err(fail)?
        }
        // The file is read once and not copied: at ward scale it is hundreds of megabytes.
        "json" => {
            parse_json(&utf8_text(std::mem::take(&mut bytes)).map_err(fail)?).map_err(fail)?
        }
        _ => {
            return Err(fail(crate::i18n::said("import_unknown_kind_of_file", &[])));
        }
    };
    // Issues without a category say nothing (a hand-made list may hold an empty one).
    for m in &mut doc.meetings {
        m.issues.retain(|i| !i.category.trim().is_empty());
    }
    Ok(Parsed { source, doc })
}

/// A file read whole before it is looked at (a fixture's TOML, a workbook — calamine reads a
/// workbook from memory): at most this many bytes. Such files are of kilobytes or a few
/// megabytes; JSON, CSV and TSV are read as they stream, whatever their size.
pub const MAX_READ_WHOLE_BYTES: u64 = 64_000_000;

/// The bytes of `path`, a regular file of at most [`MAX_READ_WHOLE_BYTES`]: a FIFO or a device
/// named `z.toml` or `z.xlsx` (a link to `/dev/zero`) was read until memory ran out (attack14,
/// finding 5: 887 MB in 5 s); now it is refused at once, and a file that grows while it is read
/// stops at the bound.
fn read_whole_file(path: &Path) -> Result<Vec<u8>> {
    let io = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    let file = crate::user_file::open_regular(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_READ_WHOLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_READ_WHOLE_BYTES {
        let limit = crate::limits::size(MAX_READ_WHOLE_BYTES as usize);
        return Err(StoreError::Invalid(format!(
            "{}: {}",
            path.display(),
            crate::i18n::said("import_read_whole_too_large", &[("limit", limit)])
        )));
    }
    Ok(bytes)
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// A file of tables: a CSV or TSV text, or a workbook.
fn is_table(path: &Path) -> bool {
    matches!(extension(path).as_str(), "csv" | "tsv" | "txt")
        || super::workbook::WORKBOOK_EXTENSIONS.contains(&extension(path).as_str())
}

/// A UTF-8 file's text, without copying it (a BOM is dropped).
fn utf8_text(mut bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => refuse_nul(text),
        // Said as every decoder says it, with its line.
        Err(e) => decode(e.into_bytes(), Encoding::Utf8).and_then(refuse_nul),
    }
}

fn refuse_nul(text: String) -> Result<String, String> {
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        return Err(format!(
            "line {line}: {}",
            crate::i18n::said("table_nul", &[])
        ));
    }
    Ok(text)
}

/// One file of an import: interchange JSON, written as it is read (a ward's export is hundreds
/// of megabytes), or any other kind, read and checked whole before the transaction begins.
enum Source<'a> {
    Json {
        source: String,
        open: Box<dyn Fn() -> std::io::Result<Box<dyn Read>> + Sync + 'a>,
        /// Its size in bytes (a pipe's once read whole; 0 for a reader given by the caller).
        size: u64,
    },
    Read(&'a Parsed),
    /// A file of tables (CSV, TSV, a workbook), read as it is written.
    Tables {
        source: String,
        path: PathBuf,
    },
}

impl Source<'_> {
    fn name(&self) -> &str {
        match self {
            Source::Json { source, .. } => source,
            Source::Read(p) => &p.source,
            Source::Tables { source, .. } => source,
        }
    }
}

/// A JSON file, opened again for each reading (an error is explained from a second reading).
/// A pipe, a device or `-` (standard input) cannot be opened again: it is read to its end first
/// into an owner-only unnamed file in `dir` (the database's), and read from there — so that its
/// size is known before the import begins, and a whole ward piped in is indexed for search in
/// one pass at its end, as the same file named is.
fn json_source(path: &Path, dir: &Path) -> Result<Source<'static>> {
    let io = |e| StoreError::Invalid(format!("{}: {e}", path.display()));
    // A file that cannot be read says so when it is opened, as any file does.
    let meta = std::fs::metadata(path).ok();
    let pipe: Option<Box<dyn Read + Send>> = if is_stdin(path) {
        Some(Box::new(std::io::stdin()))
    } else if meta.as_ref().is_some_and(|m| !m.is_file()) {
        Some(Box::new(std::fs::File::open(path).map_err(io)?))
    } else {
        None
    };
    let source = path.display().to_string();
    if let Some(pipe) = pipe {
        let spool = super::spool::Spool::new(pipe, dir).map_err(io)?;
        let size = spool.read_whole().map_err(io)?;
        return Ok(Source::Json {
            source,
            open: Box::new(move || spool.open().and_then(without_bom)),
            size,
        });
    }
    // Opened once: every reading is of this file, even if another is put in its place (a save
    // replaces a file) while the import reads it again (attack report 6, finding 6).
    let file = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(Source::Json {
        source,
        open: Box::new(move || {
            use std::io::{Seek, SeekFrom};
            let mut again = file.try_clone()?;
            again.seek(SeekFrom::Start(0))?;
            without_bom(Box::new(again))
        }),
        size: meta.map_or(0, |m| m.len()),
    })
}

/// `-`: standard input.
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn is_json(path: &Path) -> bool {
    is_stdin(path)
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || (path.extension().is_none() && is_stream(path))
}

/// A pipe or a character device (`/dev/stdin`, `/dev/fd/3`, a named pipe): read as JSON, as `-`
/// is — it has no name to tell its kind by, and an export is what is piped.
fn is_stream(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| {
        let kind = m.file_type();
        kind.is_fifo() || kind.is_char_device()
    })
}

/// An import into a database that holds no meetings (a restore, an import into a new file:
/// the common case at ten times a ward) writes through a rollback journal, not the WAL, when
/// this connection is the database's only one; returns whether it does.
///
/// Through the WAL, a transaction writes every page twice (to the WAL, then to the database
/// at the checkpoint: disk for the database twice over), and SQLite's index of the WAL (`-shm`,
/// mapped into every process that has the database open, counted in its RSS) grows by 2 MB for
/// each GB the one transaction writes: about 14 MB for a ten-times ward's 7 GB, on top of the
/// import's 16 MB page cache — the peak grew with the data (issue 21). Through a rollback
/// journal, the journal holds only the pages that existed before (a new database's schema: a
/// few hundred kilobytes), the rows are written once into the database, and no index grows.
///
/// SQLite leaves WAL mode only with the database's exclusive lock: another connection that has
/// it open (a colleague's screen, a second command) holds a shared lock as long as it is open,
/// so the switch fails at once — it is not waited for — and the import stays in WAL mode,
/// where that reader goes on reading the database as it was. A process that opens the database
/// during an import through the journal finds it in rollback mode and waits for the import's
/// lock (the busy handler), or, out of patience, says it is busy: it never reads half an
/// import. A database with meetings stays in WAL mode: its readers keep reading during the
/// import (in rollback mode they would wait for its whole length). [`back_to_wal`] puts the
/// database back at the end, whatever happened; killed before that, the journal left behind
/// is hot: the next connection rolls the import back, and every open sets WAL mode again.
fn rollback_journal(conn: &mut Connection) -> Result<bool> {
    let no_meetings: bool =
        conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM meetings)", [], |r| {
            r.get(0)
        })?;
    if !no_meetings {
        return Ok(false);
    }
    conn.busy_handler(None::<fn(i32) -> bool>)?;
    let switched =
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0));
    conn.busy_handler(Some(super::busy::handler))?;
    match switched.map_err(StoreError::from) {
        Ok(mode) => Ok(mode.eq_ignore_ascii_case("delete")),
        Err(e) if e.is_busy() => Ok(false),
        Err(e) => Err(e),
    }
}

/// The database back in WAL mode after an import through a rollback journal (waiting, as any
/// write does, for a process that opened it meanwhile to finish its read).
fn back_to_wal(conn: &Connection) -> Result<()> {
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Invalid(format!(
            "the database could not be switched back to WAL mode (it is in {mode} mode)"
        )));
    }
    Ok(())
}

/// The import's page cache: [`IMPORT_CACHE_KB`], or a test's smaller one (to make SQLite
/// spill the import's pages into the database before its commit with little data).
fn import_cache_kb() -> i64 {
    #[cfg(test)]
    if let Some(kb) = tests::IMPORT_CACHE.with(std::cell::Cell::get) {
        return kb;
    }
    IMPORT_CACHE_KB
}

/// The page cache of an import: an export's uids arrive nearly in the order of their indexes
/// (they are time-ordered, and an export lists meetings by date), so 16 MB imports a ward's
/// export in the same CPU time as 64 MB did (10.5 s of user and system time on the development
/// VM either way) and keeps the whole import under 32 MB.
const IMPORT_CACHE_KB: i64 = 16 * 1024;

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
        let read = paths
            .iter()
            .filter(|p| !is_json(p) && !is_table(p))
            .map(|p| read_source(p))
            .collect::<Result<Vec<_>>>()?;
        let mut read = read.iter();
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let mut sources = Vec::with_capacity(paths.len());
        for path in paths {
            if is_json(path) {
                sources.push(json_source(path, &dir)?);
            } else if is_table(path) {
                sources.push(Source::Tables {
                    source: path.display().to_string(),
                    path: path.clone(),
                });
            } else if let Some(parsed) = read.next() {
                sources.push(Source::Read(parsed));
            }
        }
        self.import_sources(&sources, options, &mut |_| {})
    }

    /// Imports one interchange JSON document from a reader that `open` makes (called again to
    /// explain an error, or for a hand-made file whose bodies come after its meetings), in one
    /// transaction. `written` is told the number of each meeting once it is written: the
    /// document is read as it is written, never whole.
    pub fn import_json_from(
        &mut self,
        source: &str,
        open: &(dyn Fn() -> std::io::Result<Box<dyn Read>> + Sync),
        options: &ImportOptions,
        written: &mut dyn FnMut(usize),
    ) -> Result<ImportSummary> {
        let sources = [Source::Json {
            source: source.to_owned(),
            open: Box::new(open),
            size: 0,
        }];
        self.import_sources(&sources, options, written)
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
        let files: Vec<Source> = parsed.iter().map(Source::Read).collect();
        self.import_sources(&files, &ImportOptions::default(), &mut |_| {})
    }

    fn import_sources(
        &mut self,
        files: &[Source],
        options: &ImportOptions,
        written: &mut dyn FnMut(usize),
    ) -> Result<ImportSummary> {
        let rollback = rollback_journal(self.conn_mut())?;
        let cache = self.enlarge_cache(import_cache_kb());
        // The statements it runs stay prepared: `super::STATEMENTS`. A panic (the transaction
        // rolled back as it unwinds) still puts the database back in WAL mode.
        let result = cache.and_then(|cache| {
            let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.write_sources(files, options, written, cache)
            }));
            let restored = self.conn().pragma_update(None, "cache_size", cache);
            match written {
                Ok(written) => restored.map_err(StoreError::from).and(written),
                Err(panic) => {
                    if rollback {
                        let _ = back_to_wal(self.conn());
                    }
                    std::panic::resume_unwind(panic)
                }
            }
        });
        if rollback {
            back_to_wal(self.conn())?;
        }
        result
    }

    /// A bulk write (an import, the ward-scale demo) puts rows into every uid index in the
    /// order of its file, not of the index: with SQLite's default 2 MB page cache many of those
    /// inserts read a page back from disk. `kb` while it runs; returns the size to restore.
    pub(crate) fn enlarge_cache(&self, kb: i64) -> Result<i64> {
        let before: i64 = self
            .conn()
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn().pragma_update(None, "cache_size", -kb)?;
        Ok(before)
    }

    /// `cache`: the page cache before the import, which its end (the passes over every row
    /// written) runs with.
    fn write_sources(
        &mut self,
        files: &[Source],
        options: &ImportOptions,
        written: &mut dyn FnMut(usize),
        cache: i64,
    ) -> Result<ImportSummary> {
        let now = self.now_text();
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        // A bulk import indexes for search and makes the derived tables again in one pass at
        // its end instead of row by row (see `super::derived`).
        let set_aside = match bulk_for_search(&tx, files)? {
            true => Some((
                super::search::set_aside(&tx)?,
                super::derived::set_aside(&tx)?,
            )),
            false => None,
        };
        let cases_aside = set_cases_aside(&tx)?;
        let indexes_aside = match set_aside.is_some() {
            true => set_indexes_aside(&tx)?,
            false => IndexesAside(Vec::new()),
        };
        // The import's audit line, written first (its detail at the end): every row whose
        // author and time the file gives names it (`origin`, schema step 26).
        tx.execute(
            "INSERT INTO audit (at, by, action, meeting_id, detail) VALUES (?1, ?2, 'import', NULL, '')",
            rusqlite::params![now, user],
        )?;
        let origin = tx.last_insert_rowid();
        let mut importer = Importer::new(&tx, now.clone(), user.clone(), options.dry_run)?;
        importer.origin = Some(origin);
        let names: Vec<&str> = files.iter().map(Source::name).collect();
        // One uid is one record in every file of the import (two files giving one uid to two
        // records would otherwise meet in the database's unique index).
        let mut uids = TempUids::new(&names)?;
        for (n, file) in files.iter().enumerate() {
            uids.file = n;
            match file {
                Source::Read(file) => {
                    own_uids(&file.doc, &mut uids)
                        .map_err(|e| StoreError::Invalid(format!("{}: {e}", file.source)))?;
                    importer.document(&file.source, &file.doc, None)?;
                }
                Source::Tables { source, path } => {
                    TableFile::open(path, source, options)?.import(
                        &tx,
                        &mut importer,
                        &now,
                        options,
                        &mut uids,
                    )?;
                }
                Source::Json { source, open, .. } => {
                    JsonFile::import(
                        &tx,
                        &mut importer,
                        source,
                        open.as_ref(),
                        &mut uids,
                        written,
                    )?;
                }
            }
            importer.summary.files += 1;
        }
        drop(uids);
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
        // The passes over everything written (the captures' cases, the derived tables; the
        // search index takes a small cache of its own) run with the page cache the database
        // had, not the import's [`IMPORT_CACHE_KB`], which is for the rows: SQLite sizes its
        // sorter and temporary b-trees by the page cache, and the people recorded
        // (`recorded_texts`, a UNION of every name held) peaked the import of twice a ward's
        // rows at 65 MB (import13: 22 MB for that statement alone with 16 MB, 7 MB with 2 MB).
        tx.pragma_update(None, "cache_size", cache)?;
        #[cfg(test)]
        tests::CACHE_AT_END.with(|c| {
            c.set(tx.pragma_query_value(None, "cache_size", |r| r.get(0)).ok());
        });
        indexes_again(&tx, indexes_aside)?;
        cases_again(&tx, cases_aside)?;
        if let Some((search, derived)) = set_aside {
            super::derived::again(&tx, derived)?;
            // The index is made of meetings and what they hold, which an import writes only in
            // a meeting it adds or updates: a file the database holds already, unchanged,
            // needs none of it indexed again.
            if summary.meetings.added + summary.meetings.updated > 0 {
                super::search::index_again(&tx, search)?;
            } else {
                super::search::put_back(&tx, search)?;
            }
        }
        tx.execute(
            "UPDATE audit SET detail = ?2 WHERE id = ?1",
            rusqlite::params![origin, audit_detail(&names, &summary)],
        )?;
        tx.commit()?;
        Ok(summary)
    }
}

/// One JSON file being imported: the records of the document, checked by the streaming reader,
/// written as they come (see [`crate::interchange::stream`]), inside a savepoint so that a file
/// read twice (its bodies after its meetings) forgets its first reading.
struct JsonFile<'i, 'c, 'w> {
    conn: &'c Connection,
    importer: &'i mut Importer<'c>,
    source: &'i str,
    head: Option<Head>,
    /// The summary before this file, for a second reading.
    before: ImportSummary,
    /// What the import had left to link at its end before this file.
    pending: Pending,
    written: &'w mut dyn FnMut(usize),
}

impl<'i, 'c, 'w> JsonFile<'i, 'c, 'w> {
    fn import(
        conn: &'c Connection,
        importer: &'i mut Importer<'c>,
        source: &'i str,
        open: &(dyn Fn() -> std::io::Result<Box<dyn Read>> + Sync),
        uids: &mut TempUids<'_>,
        written: &'w mut dyn FnMut(usize),
    ) -> Result<()> {
        // The set of uids outlives a second reading (the file's own are forgotten then).
        conn.execute_batch("SAVEPOINT import_file;")?;
        let mut file = JsonFile {
            conn,
            before: importer.summary.clone(),
            pending: importer.pending(),
            importer,
            source,
            head: None,
            written,
        };
        match crate::interchange::ahead::read_json(open, uids, &mut file) {
            Ok(()) => {}
            Err(Failure::Invalid(message)) => {
                return Err(StoreError::Invalid(format!("{source}: {message}")));
            }
            Err(Failure::Sink(e)) => return Err(e),
        }
        conn.execute_batch("RELEASE import_file;")?;
        Ok(())
    }
}

impl Sink for JsonFile<'_, '_, '_> {
    type Error = StoreError;

    fn head(&mut self, head: &Document) -> Result<()> {
        self.head = Some(self.importer.head(self.source, head)?);
        Ok(())
    }

    fn case(&mut self, index: usize, case: CaseRecord) -> Result<()> {
        let Some(head) = &self.head else {
            return Err(StoreError::Invalid(format!(
                "{}: cases[{index}]: read before the file's head",
                self.source
            )));
        };
        self.importer.case(head, self.source, index, &case)
    }

    fn meeting(&mut self, index: usize, mut meeting: MeetingRecord) -> Result<()> {
        let Some(head) = &self.head else {
            return Err(StoreError::Invalid(format!(
                "{}: meetings[{index}]: read before the file's bodies",
                self.source
            )));
        };
        // Issues without a category say nothing (a hand-made list may hold an empty one).
        meeting.issues.retain(|i| !i.category.trim().is_empty());
        self.importer.meeting(head, self.source, index, &meeting)?;
        (self.written)(index);
        Ok(())
    }

    fn change(&mut self, index: usize, change: ChangeRecord) -> Result<()> {
        self.importer.change(self.source, index, &change)
    }

    fn recorded(&mut self, _: usize, entry: RecordedText) -> Result<()> {
        self.importer.recorded(std::slice::from_ref(&entry))
    }

    fn tail(&mut self, tail: &Document) -> Result<()> {
        // Templates after the meetings are the file's only ones (a field comes once).
        self.importer.templates(self.source, &tail.templates)
    }

    fn restart(&mut self) -> Result<()> {
        self.conn.execute_batch("ROLLBACK TO import_file")?;
        self.importer.summary = self.before.clone();
        self.importer.forget_since(self.pending);
        self.head = None;
        Ok(())
    }
}

/// A file of tables (a CSV or TSV text, a workbook) being imported: read twice, one row at a
/// time — its body lists first (each meeting names its body), written as the file's head, then
/// its meeting books, each meeting checked and written as soon as its row is read (attack
/// report 7, finding 25: the rows were held, 4–10 kB each). What must be remembered from one
/// row to the next (the meetings read, for the same meeting given twice; the bodies missing)
/// is in temporary tables, not in memory.
struct TableFile<'o> {
    source: &'o str,
    kind: TableKind,
}

enum TableKind {
    /// A CSV or TSV file, read as it is decoded each time it is read (never held whole), its
    /// encoding (Shift_JIS or else UTF-8) and its delimiter.
    Text {
        file: std::fs::File,
        sjis: bool,
        delimiter: u8,
    },
    /// A workbook, its extension and the sheets to read.
    Workbook {
        bytes: Vec<u8>,
        ext: String,
        chosen: Vec<super::workbook::Chosen>,
    },
}

impl<'o> TableFile<'o> {
    fn open(path: &Path, source: &'o str, options: &ImportOptions) -> Result<TableFile<'o>> {
        let fail = |msg: String| StoreError::Invalid(format!("{source}: {msg}"));
        let io = |e| StoreError::Io {
            path: path.to_owned(),
            source: e,
        };
        let ext = extension(path);
        if !super::workbook::WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
            // Opened once: every reading is of this file (see `json_source`).
            let file = std::fs::File::open(path).map_err(io)?;
            let open = || -> std::io::Result<Box<dyn Read + '_>> {
                Ok(Box::new(super::tabular::ReadAt::new(&file)))
            };
            let looked = super::tabular::look(&open, options.encoding).map_err(fail)?;
            let delimiter = if ext == "tsv" || looked.tabs {
                b'\t'
            } else {
                b','
            };
            return Ok(TableFile {
                source,
                kind: TableKind::Text {
                    file,
                    sjis: looked.sjis,
                    delimiter,
                },
            });
        }
        let bytes = read_whole_file(path)?;
        let chosen = super::workbook::chosen_sheets(&bytes, &ext, &options.sheets).map_err(fail)?;
        Ok(TableFile {
            source,
            kind: TableKind::Workbook { bytes, ext, chosen },
        })
    }

    /// Reads the file's tables into `reading`, handing each record to `on`.
    fn read(
        &self,
        reading: &mut Reading<'_>,
        on: &mut dyn FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        let read = match &self.kind {
            TableKind::Text {
                file,
                sjis,
                delimiter,
            } => {
                let open = || -> Box<dyn Read + '_> {
                    Box::new(super::tabular::Decoded::new(
                        super::tabular::ReadAt::new(file),
                        *sjis,
                    ))
                };
                reading.records(
                    &mut super::tabular::CsvRows::streamed(&open, *delimiter),
                    on,
                )
            }
            TableKind::Workbook { bytes, ext, chosen } => {
                super::workbook::read_sheets(bytes, ext, chosen, reading, on)
            }
        };
        read.map_err(|f| match f {
            Failure::Invalid(message) => StoreError::Invalid(format!("{}: {message}", self.source)),
            Failure::Sink(e) => e,
        })
    }

    fn import(
        &self,
        conn: &Connection,
        importer: &mut Importer<'_>,
        now: &str,
        options: &ImportOptions,
        uids: &mut TempUids<'_>,
    ) -> Result<()> {
        let source = self.source;
        let fail = |msg: String| StoreError::Invalid(format!("{source}: {msg}"));
        let mut keys = TempKeys::new(conn)?;
        let mut bodies = Vec::new();
        let mut reading = Reading::new(Want::Bodies, &mut keys);
        self.read(&mut reading, &mut |record| {
            if let Record::Body(b) = record {
                bodies.push(*b);
            }
            Ok(())
        })?;
        let walked = reading.walked;
        if walked.tables() == 0 {
            return Err(fail(super::tabular::no_header(walked.first.as_ref())));
        }
        let doc = Document {
            bodies,
            ..Document::default()
        };
        check::document(&doc).map_err(fail)?;
        own_uids(&doc, uids).map_err(fail)?;
        let head = importer.head(source, &doc)?;
        if walked.books == 0 {
            return Ok(());
        }
        let mut book =
            meeting_book::BookBodies::new(conn, now, &doc.bodies, options.create_bodies)?;
        let mut reading = Reading::new(Want::Meetings, &mut keys);
        self.read(&mut reading, &mut |record| {
            let Record::Meeting(place, mut m) = record else {
                return Ok(());
            };
            check::long_text(&m, "")
                .and_then(|()| check::meeting_with(&m, &mut check::Uids::default()))
                .map_err(|e| fail(format!("{place}: meeting.{e}")))?;
            // Issues without a category say nothing (a hand-made list may hold an empty one).
            m.issues.retain(|i| !i.category.trim().is_empty());
            if book.found(&m, &place).map_err(|e| in_file(source, e))? {
                importer.book_meeting(&head, source, place, &m)?;
            }
            Ok(())
        })?;
        importer.summary.bodies.added += book.finish().map_err(|e| in_file(source, e))?;
        keys.drop_table()
    }
}

/// An error about a file's contents, naming the file.
fn in_file(source: &str, e: StoreError) -> StoreError {
    match e {
        StoreError::Invalid(m) => StoreError::Invalid(format!("{source}: {m}")),
        other => other,
    }
}

/// The meetings of a meeting book read so far, by body, organiser, date and start, with the
/// row each was read at: a temporary table (a meeting book of any length holds none of them).
struct TempKeys<'c> {
    conn: &'c Connection,
}

impl<'c> TempKeys<'c> {
    fn new(conn: &'c Connection) -> Result<TempKeys<'c>> {
        conn.execute_batch(
            "DROP TABLE IF EXISTS temp.import_book_keys;
             CREATE TEMP TABLE import_book_keys (key TEXT PRIMARY KEY, place TEXT NOT NULL)
                 WITHOUT ROWID;",
        )?;
        Ok(TempKeys { conn })
    }

    fn drop_table(self) -> Result<()> {
        self.conn
            .execute_batch("DROP TABLE temp.import_book_keys")?;
        Ok(())
    }
}

impl SeenKeys for TempKeys<'_> {
    fn first_at(&mut self, key: &str, place: &str) -> Result<Option<String>, String> {
        let said = |e: rusqlite::Error| e.to_string();
        let added = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO temp.import_book_keys (key, place) VALUES (?1, ?2)",
            )
            .and_then(|mut s| s.execute([key, place]))
            .map_err(said)?;
        if added == 1 {
            return Ok(None);
        }
        self.conn
            .prepare_cached("SELECT place FROM temp.import_book_keys WHERE key = ?1")
            .and_then(|mut s| s.query_row([key], |r| r.get(0)))
            .map(Some)
            .map_err(said)
    }
}

/// The uids the files of an import gave so far, in a temporary database of their own (on disk
/// past SQLite's small page cache, in SQLite's temporary directory: see `store::temp`): a
/// ward's export gives a million and a half. A connection of its own, so that the thread that
/// reads a JSON file ahead of the writing asks it while the database is written
/// (`interchange::ahead`); a uid is one record of the import, whichever table it goes to.
/// `file` is the file being read, of `names`.
struct TempUids<'n> {
    conn: Connection,
    file: usize,
    names: &'n [&'n str],
}

impl<'n> TempUids<'n> {
    fn new(names: &'n [&'n str]) -> Result<TempUids<'n>> {
        // An empty name: a database SQLite deletes when it is closed. Nothing of it outlives the
        // import, so it needs no journal, and it is written in one transaction never committed
        // (each insert committing on its own wrote its pages out, a third more work).
        let conn = Connection::open("")?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             BEGIN;
             CREATE TABLE import_uids (uid BLOB PRIMARY KEY, kind INTEGER NOT NULL,
                                       file INTEGER NOT NULL) WITHOUT ROWID;
             CREATE TABLE import_link_uids (file INTEGER NOT NULL, uid BLOB NOT NULL,
                                            meeting INTEGER NOT NULL, list TEXT NOT NULL,
                                            item INTEGER NOT NULL,
                                            PRIMARY KEY (file, uid)) WITHOUT ROWID;",
        )?;
        Ok(TempUids {
            conn,
            file: 0,
            names,
        })
    }
}

impl UidSet for TempUids<'_> {
    fn insert(&mut self, kind: Kind, uid: Uuid) -> Result<Option<String>, String> {
        let uid = uid.as_bytes().as_slice();
        let added = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO import_uids (uid, kind, file) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(rusqlite::params![uid, kind as i64, self.file as i64]))
            .map_err(|e| e.to_string())?;
        if added == 1 {
            return Ok(None);
        }
        let (held_kind, file): (i64, i64) = self
            .conn
            .query_row(
                "SELECT kind, file FROM import_uids WHERE uid = ?1",
                [uid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| e.to_string())?;
        let other_file = usize::try_from(file).ok().filter(|f| *f != self.file);
        // Written by `insert` only, as `kind as i64`.
        let held_kind = usize::try_from(held_kind)
            .ok()
            .and_then(|k| Kind::ALL.get(k).copied())
            .ok_or_else(|| format!("the import's uids hold a kind numbered {held_kind}"))?;
        if other_file.is_some() && kind.is_head() && held_kind == kind {
            // Every export gives its ward, agencies and bodies: two files of one import may well
            // give the same ones. From now on a second one in this file is this file's.
            self.conn
                .execute(
                    "UPDATE import_uids SET file = ?2 WHERE uid = ?1",
                    rusqlite::params![uid, self.file as i64],
                )
                .map_err(|e| e.to_string())?;
            return Ok(None);
        }
        // Said in the reader's language, as a document read whole says it (`check::Uids`):
        // `import w.json w.json` said `ほかのmeeting record of w.jsonにも` (attack14, finding 6).
        let said = crate::i18n::said;
        let kind = said(&format!("import_kind_{}", held_kind.name()), &[]);
        Ok(Some(match other_file.and_then(|f| self.names.get(f)) {
            Some(file) => said(
                "import_record_of_other_file",
                &[("kind", kind), ("file", (*file).to_owned())],
            ),
            None => said("import_record_of_file", &[("kind", kind)]),
        }))
    }

    /// The links' uids of each file apart (a file's links, one link per uid; two files giving
    /// one meeting are refused by the meetings' uids), on disk as the records' are: in memory
    /// they grew with the data (75 MB at ten times a ward's export, its 262 500 links).
    fn insert_link(&mut self, uid: Uuid, at: LinkAt) -> Result<Option<String>, String> {
        let (meeting, list, item) = at;
        let said = |e: rusqlite::Error| e.to_string();
        let added = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO import_link_uids (file, uid, meeting, list, item)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.execute(rusqlite::params![
                    self.file as i64,
                    uid.as_bytes().as_slice(),
                    meeting as i64,
                    list,
                    item as i64
                ])
            })
            .map_err(said)?;
        if added == 1 {
            return Ok(None);
        }
        let (meeting, list, item): (i64, String, i64) = self
            .conn
            .query_row(
                "SELECT meeting, list, item FROM import_link_uids WHERE file = ?1 AND uid = ?2",
                rusqlite::params![self.file as i64, uid.as_bytes().as_slice()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(said)?;
        Ok(Some(check::link_path(meeting, &list, item)))
    }

    fn clear(&mut self) -> Result<(), String> {
        let file = self.file as i64;
        self.conn
            .execute("DELETE FROM import_uids WHERE file = ?1", [file])
            .and_then(|_| {
                self.conn
                    .execute("DELETE FROM import_link_uids WHERE file = ?1", [file])
            })
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Adds the uids of a document read whole (a TOML file) to the import's.
fn own_uids(doc: &Document, uids: &mut dyn UidSet) -> Result<(), String> {
    check::head(doc, uids)?;
    for (i, m) in doc.meetings.iter().enumerate() {
        check::meeting_with(m, uids).map_err(|e| format!("meetings[{i}].{e}"))?;
    }
    check::changes(&doc.changes, uids)
}

/// A file's bytes without the UTF-8 byte order mark Windows editors write at its start.
fn without_bom(mut file: Box<dyn Read>) -> std::io::Result<Box<dyn Read>> {
    let mut head = [0u8; 3];
    let mut filled = 0;
    while filled < head.len() {
        let n = file.read(&mut head[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    let from = if head[..filled] == *b"\xEF\xBB\xBF" {
        3
    } else {
        0
    };
    Ok(Box::new(
        std::io::Cursor::new(head[from..filled].to_vec()).chain(file),
    ))
}

/// Bytes of interchange JSON a meeting takes in a ward's export, on average (550 MB for 50 000
/// meetings with everything in them): a JSON file's size says about how many it brings before
/// it is read.
const JSON_BYTES_PER_MEETING: u64 = 11_000;

/// Whether an import is large enough to index for search in one pass at its end rather than row
/// by row: indexing again reads every record of the database (about 7 µs each), the triggers
/// cost about 35 µs a record imported, so one pass wins when the import brings at least a fifth
/// of what the database will hold — an import into an empty database, a ward's whole history.
/// A JSON file is written as it is read: its meetings are estimated from its size.
/// A meeting book's row as the file holds it, about: a CSV line of date, body, organiser,
/// agencies and issues (70 bytes), the same row in a compressed .xlsx (25 bytes).
const TEXT_BYTES_PER_ROW: u64 = 70;
const WORKBOOK_BYTES_PER_ROW: u64 = 25;

fn bulk_for_search(tx: &rusqlite::Transaction, files: &[Source]) -> Result<bool> {
    let incoming: i64 = files
        .iter()
        .map(|f| match f {
            Source::Read(p) => p.doc.meetings.len() as i64,
            Source::Tables { path, .. } => {
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                let per_row = match super::workbook::is_workbook(path) {
                    true => WORKBOOK_BYTES_PER_ROW,
                    false => TEXT_BYTES_PER_ROW,
                };
                (size / per_row) as i64
            }
            Source::Json { size, .. } => (size / JSON_BYTES_PER_MEETING) as i64,
        })
        .sum();
    if incoming < 1000 {
        return Ok(false);
    }
    let held: i64 = tx.query_row("SELECT COUNT(*) FROM meetings", [], |r| r.get(0))?;
    Ok(incoming * 5 >= held + incoming)
}

/// The indexes an import into a database without meetings sets aside while it writes its rows
/// ([`set_indexes_aside`]): those whose keys come in no order of the file's (a meeting's date,
/// an action's status and due date) or are written twice (a capture's case, given at the
/// import's end by [`cases_again`]), so that a row's entry lands on a page of its own, in the
/// import's page cache or read back from disk. Made again once the rows are written, each in
/// one sorted pass, they took W's import 1.5–2.5 s less (interleaved runs, 2026-12-04: 23.0 and
/// 24.2 s against 21.3 and 20.7; 19.1, 20.1 and 20.9 against 18.0, 18.6 and 22.7). No statement
/// of the import reads by them — it finds rows by uid, by meeting, by a body's reference or
/// date, by agency (an agency renamed): `an_import_with_indexes_aside_reads_no_table_more…`.
const INDEXES_ASIDE: [&str; 13] = [
    "meetings_date",
    "meetings_running",
    "meetings_case_facts",
    "next_actions_status_due",
    "next_actions_case_status",
    "next_actions_case",
    "next_actions_case_open",
    "case_issues_case",
    "case_issues_case_live",
    "agenda_entries_case",
    "role_assignments_case",
    "meeting_cases_case",
    "meeting_cases_live",
];

/// The indexes set aside by [`set_indexes_aside`], as the SQL that makes each again.
#[must_use = "the indexes come back only with indexes_again"]
struct IndexesAside(Vec<String>);

/// Drops [`INDEXES_ASIDE`] within `tx` when the database holds no meeting: the import writes
/// every row those indexes will hold. Like the triggers set aside, a failed or dropped import
/// rolls their removal back with everything else, and no other process sees them gone.
fn set_indexes_aside(tx: &rusqlite::Transaction) -> Result<IndexesAside> {
    #[cfg(test)]
    if tests::KEEP_INDEXES.with(std::cell::Cell::get) {
        return Ok(IndexesAside(Vec::new()));
    }
    let held: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM meetings)", [], |r| r.get(0))?;
    if held {
        return Ok(IndexesAside(Vec::new()));
    }
    #[cfg(test)]
    let names = tests::INDEXES_ASIDE_TOO.with(|more| {
        let mut names = INDEXES_ASIDE.to_vec();
        names.extend(more.get());
        names
    });
    #[cfg(not(test))]
    let names = INDEXES_ASIDE;
    let mut aside = Vec::with_capacity(names.len());
    for name in names {
        aside.extend(drop_kept(tx, "index", name)?);
    }
    Ok(IndexesAside(aside))
}

/// Drops the schema's `kind` (index, trigger) `name` within `tx`, and gives the SQL that makes
/// it again (none when the schema has no such object).
fn drop_kept(tx: &rusqlite::Transaction, kind: &str, name: &str) -> Result<Option<String>> {
    let sql: Option<String> = tx
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = ?1 AND name = ?2",
            [kind, name],
            |r| r.get(0),
        )
        .optional()?;
    if sql.is_some() {
        tx.execute_batch(&format!(
            "DROP {} \"{}\";",
            kind.to_uppercase(),
            name.replace('"', "\"\"")
        ))?;
    }
    Ok(sql)
}

/// Makes the indexes [`set_indexes_aside`] dropped again, over every row written.
fn indexes_again(tx: &rusqlite::Transaction, aside: IndexesAside) -> Result<()> {
    for sql in aside.0 {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

/// The triggers that give a capture its meeting's case (`{table}_case`, schema step 7), set
/// aside while an import writes (see [`set_cases_aside`]), with each table's last rowid before.
#[must_use = "the triggers come back only with cases_again"]
struct CasesAside(Vec<(&'static CaseFill, String, i64)>);

/// Sets the `*_case` triggers aside within `tx` for an import. Each fired on every row inserted
/// without a case (most rows of most files: the meetings without a case) and ran an UPDATE of
/// that row — a second b-tree write, and a statement journal for every INSERT of the import,
/// which took the import of a ward from 13.7 s of CPU to 29–41 s. [`cases_again`] does their
/// work once per table before the import commits, and puts them back. They are part of the
/// schema: a failed or dropped import rolls their removal back with everything else, and no
/// other process sees them gone (it reads the last committed schema).
fn set_cases_aside(tx: &rusqlite::Transaction) -> Result<CasesAside> {
    tx.execute_batch(
        "DROP TABLE IF EXISTS temp.import_replaced;
         CREATE TEMP TABLE import_replaced (meeting_id INTEGER PRIMARY KEY);",
    )?;
    let mut aside = Vec::with_capacity(CASE_FILLS.len());
    #[cfg(test)]
    if tests::ROW_BY_ROW.with(std::cell::Cell::get) {
        return Ok(CasesAside(aside));
    }
    for fill in &CASE_FILLS {
        let last: i64 = tx.query_row(
            &format!("SELECT COALESCE(MAX(rowid), 0) FROM {}", fill.table),
            [],
            |r| r.get(0),
        )?;
        let Some(sql) = drop_kept(tx, "trigger", &format!("{}_case", fill.table))? else {
            continue;
        };
        aside.push((fill, sql, last));
    }
    Ok(CasesAside(aside))
}

/// Gives the rows the import wrote without a case the case their trigger would have given them
/// (the meetings' cases are written before their captures, and no later record of an import
/// changes them), then puts the triggers back.
fn cases_again(tx: &rusqlite::Transaction, aside: CasesAside) -> Result<()> {
    for (fill, trigger, last) in aside.0 {
        tx.execute(fill.new_rows, [last])?;
        tx.execute(fill.replaced_rows, [last])?;
        tx.execute_batch(&trigger)?;
    }
    tx.execute_batch("DROP TABLE temp.import_replaced;")?;
    Ok(())
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

/// Parses a TOML fixture from text (the compiled-in demo fixtures).
pub fn parse_fixture(text: &str) -> Result<Document, String> {
    parse_toml(text)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::clock::Clock;

    thread_local! {
        /// The import keeps the `*_case` triggers and lets them fire row by row (the way
        /// before they were set aside), to compare with.
        pub(super) static ROW_BY_ROW: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// The import keeps every index while it writes (see [`INDEXES_ASIDE`]), to compare with.
        pub(super) static KEEP_INDEXES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// An index the import sets aside besides [`INDEXES_ASIDE`]: one a statement of the
        /// import reads, to see the test of the import's work fail.
        pub(super) static INDEXES_ASIDE_TOO: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
        /// The page cache the passes at the end of the last import ran with.
        pub(super) static CACHE_AT_END: std::cell::Cell<Option<i64>> = const { std::cell::Cell::new(None) };
        /// The import's page cache in KB, set by a test ([`import_cache_kb`]).
        pub(super) static IMPORT_CACHE: std::cell::Cell<Option<i64>> = const { std::cell::Cell::new(None) };
    }

    /// The passes at the end of an import (the captures' cases, the derived tables) run with
    /// the page cache the database had, not the import's 16 MB: SQLite sizes its sorter by the
    /// page cache, and the people recorded sorted in a 16 MB cache took the import of twice a
    /// ward's rows to 65 MB (import13, measured with `scripts/repeat-export`; 22 → 7 MB for the
    /// statement alone). The rows still get the import's cache, and the database's is back
    /// after. (Seen failing before the change: the end ran at -16384.)
    #[test]
    fn the_passes_at_the_end_of_an_import_run_with_the_databases_page_cache() {
        let dir = tempfile::tempdir().unwrap();
        let json = demo_export(&dir);
        let file = dir.path().join("demo.json");
        std::fs::write(&file, &json).unwrap();
        let mut store = empty(&dir, "new.db");
        let cache = |s: &Store| -> i64 {
            s.conn()
                .pragma_query_value(None, "cache_size", |r| r.get(0))
                .unwrap()
        };
        let before = cache(&store);
        assert_ne!(before, -IMPORT_CACHE_KB);
        CACHE_AT_END.with(|c| c.set(None));
        store
            .import_files(std::slice::from_ref(&file), Encoding::Utf8)
            .unwrap();
        assert_eq!(CACHE_AT_END.with(std::cell::Cell::get), Some(before));
        assert_eq!(cache(&store), before);
    }

    /// Attack report 6, finding 6: a file read in several passes was opened by its name for
    /// each; a file put in its place meanwhile (a save replaces a file) was read by the later
    /// passes — the import a mix of two files. Every reading is of the file opened first now,
    /// from its start. (Seen failing before: the second reading gave B.)
    #[test]
    fn every_reading_of_a_json_file_is_of_the_file_first_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.json");
        std::fs::write(&path, "\u{feff}A").unwrap();
        let Source::Json { open, .. } = json_source(&path, dir.path()).unwrap() else {
            panic!("a JSON source");
        };
        let read = || {
            let mut text = String::new();
            open().unwrap().read_to_string(&mut text).unwrap();
            text
        };
        assert_eq!(read(), "A");
        let other = dir.path().join("other.json");
        std::fs::write(&other, "B").unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert_eq!(read(), "A", "a second reading, after the file was replaced");
        assert_eq!(read(), "A", "and a third, from its start");
    }

    fn empty(dir: &tempfile::TempDir, name: &str) -> Store {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let mut store = Store::open(&dir.path().join(name), Clock::fixed(now)).unwrap();
        store.set_user("sato");
        store
    }

    /// The export of the demo's database (made in `dir`).
    fn demo_export(dir: &tempfile::TempDir) -> Vec<u8> {
        let mut demo = empty(dir, "demo.db");
        crate::demo::load(&mut demo).unwrap();
        let mut json = Vec::new();
        demo.write_export(&mut json).unwrap();
        json
    }

    /// Imports `files` into `store` with the triggers set aside (`row_by_row` false) or firing.
    fn import(store: &mut Store, files: &[PathBuf], row_by_row: bool) -> Result<ImportSummary> {
        ROW_BY_ROW.with(|r| r.set(row_by_row));
        let done = store.import_files_with(files, Encoding::Auto, &[], true);
        ROW_BY_ROW.with(|r| r.set(false));
        done
    }

    /// Every capture's uid with its case's pseudonym (`-` for none), table by table.
    fn cases_of_captures(store: &Store) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for fill in &CASE_FILLS {
            let sql = format!(
                "SELECT t.uid, COALESCE(c.pseudonym, '-') FROM {} t
                 LEFT JOIN cases c ON c.id = t.case_id ORDER BY t.uid",
                fill.table
            );
            let mut stmt = store.conn().prepare(&sql).unwrap();
            let rows = stmt
                .query_map([], |r| Ok((fill.table.to_owned(), r.get(0)?, r.get(1)?)))
                .unwrap();
            out.extend(rows.map(|r| r.unwrap()));
        }
        out
    }

    fn with_case(captures: &[(String, String, String)]) -> usize {
        captures.iter().filter(|(_, _, c)| c != "-").count()
    }

    /// Takes `case` out of every record of a meeting (its agenda's entries, roles, actions,
    /// issues) but its links to cases: the importer must find each capture's case itself.
    fn without_capture_cases(value: &mut serde_json::Value) {
        fn strip(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Object(o) => {
                    o.remove("case");
                    o.values_mut().for_each(strip);
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
                _ => {}
            }
        }
        for m in value["meetings"].as_array_mut().unwrap() {
            for (key, v) in m.as_object_mut().unwrap() {
                if key != "cases" && key != "case" {
                    strip(v);
                }
            }
        }
    }

    /// The search index's rows and its FTS5 integrity, to compare two imports by.
    fn search_index(store: &Store) -> (i64, i64) {
        let conn = store.conn();
        conn.execute(
            "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .unwrap();
        let docs = conn
            .query_row("SELECT COUNT(*) FROM search_docs", [], |r| r.get(0))
            .unwrap();
        // A word of three characters (the trigram index's least) from the first doc.
        let word: String = conn
            .query_row(
                "SELECT substr(text, 1, 3) FROM search_docs WHERE length(text) >= 3 ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let found = conn
            .query_row(
                "SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH ?1",
                [format!("\"{}\"", word.replace('"', "\"\""))],
                |r| r.get(0),
            )
            .unwrap();
        (docs, found)
    }

    /// The derived tables of a database: every followed case's review basis, every text
    /// recorded, and every body's latest meeting held (by the body's uid), in order.
    type Derived = (Vec<String>, Vec<(String, String)>, Vec<String>);

    fn derived_tables(store: &Store) -> Derived {
        let conn = store.conn();
        let last_held = conn
            .prepare(
                "SELECT hex(b.uid) || '|' || quote(l.held) FROM body_last_held l
                 JOIN bodies b ON b.id = l.body_id ORDER BY b.uid",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let basis = conn
            .prepare(
                "SELECT case_id || '|' || quote(fixed) || '|' || quote(base) || '|' || risk || '|'
                        || has_body || '|' || kind || '|' || own || '|' || quote(body_id)
                 FROM case_review_basis ORDER BY case_id",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let texts = conn
            .prepare("SELECT text, kind FROM recorded_texts ORDER BY text, kind")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        (basis, texts, last_held)
    }

    /// SQLite's own check: every index holds exactly its table's rows.
    fn integrity(store: &Store) -> String {
        store
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap()
    }

    /// An import large enough to be written in bulk sets the triggers of the people recorded
    /// and of the review basis aside and makes both tables in one pass at its end: the same
    /// tables as the triggers make row by row (the same file, small enough to be written row by
    /// row), into an empty database and into one that holds the file already, with the triggers
    /// back after it.
    #[test]
    fn a_bulk_import_makes_the_derived_tables_its_triggers_make_row_by_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut json = demo_export(&dir);
        let small = dir.path().join("small.json");
        std::fs::write(&small, &json).unwrap();
        // Blanks after the document make it as large as a ward's export of 1 000 meetings.
        json.resize(json.len() + (JSON_BYTES_PER_MEETING * 1000) as usize, b'\n');
        let large = dir.path().join("large.json");
        std::fs::write(&large, &json).unwrap();
        let mut rows = empty(&dir, "rows.db");
        let before = schema(&rows);
        {
            let tx = rows.write_transaction().unwrap();
            let small = json_source(&small, dir.path()).unwrap();
            let large = json_source(&large, dir.path()).unwrap();
            assert!(!bulk_for_search(&tx, std::slice::from_ref(&small)).unwrap());
            assert!(bulk_for_search(&tx, std::slice::from_ref(&large)).unwrap());
        }
        rows.import_files(std::slice::from_ref(&small), Encoding::Utf8)
            .unwrap();
        let by_trigger = derived_tables(&rows);
        assert!(by_trigger.0.len() > 3, "{:?}", by_trigger.0);
        assert!(by_trigger.1.len() > 10, "{:?}", by_trigger.1);
        let held = by_trigger
            .2
            .iter()
            .filter(|b| !b.ends_with("|NULL"))
            .count();
        assert!(held > 3, "{:?}", by_trigger.2);
        let mut bulk = empty(&dir, "bulk.db");
        for round in ["empty", "again"] {
            let summary = bulk
                .import_files(std::slice::from_ref(&large), Encoding::Utf8)
                .unwrap();
            assert!(summary.meetings.added + summary.meetings.unchanged > 10);
            assert_eq!(derived_tables(&bulk), by_trigger, "{round}");
            assert_eq!(bulk.review_basis_stale().unwrap(), Vec::<i64>::new());
            assert_eq!(bulk.recorded_texts_missing().unwrap(), []);
            assert_eq!(bulk.last_held_stale().unwrap(), Vec::<i64>::new());
            assert_eq!(schema(&bulk), before, "{round}: the triggers are back");
            assert_eq!(integrity(&bulk), "ok", "{round}");
            // FTS5's buffer, enlarged for the pass, is its default again (no row of its own).
            let hashsize: i64 = bulk
                .conn()
                .query_row(
                    "SELECT COUNT(*) FROM search_fts_config WHERE k = 'hashsize'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(hashsize, 0, "{round}");
            assert_eq!(search_index(&bulk), search_index(&rows), "{round}");
        }
    }

    /// A pipe's size is unknown when it starts: it is read whole into its kept copy first, so
    /// that a ward piped in (`renkei import -`) is indexed for search in one pass at its end, as
    /// the same file named is — not row by row.
    #[test]
    fn a_pipe_is_indexed_in_bulk_as_the_same_file_is() {
        let dir = tempfile::tempdir().unwrap();
        let mut demo = empty(&dir, "demo.db");
        crate::demo::load(&mut demo).unwrap();
        let mut json = Vec::new();
        demo.write_export(&mut json).unwrap();
        // Blanks after the document make it as large as a ward's export of 1 000 meetings.
        json.resize(json.len() + (JSON_BYTES_PER_MEETING * 1000) as usize, b'\n');
        let file = dir.path().join("ward.json");
        std::fs::write(&file, &json).unwrap();
        let fifo = dir.path().join("pipe.json");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        let writer = {
            let (fifo, json) = (fifo.clone(), json.clone());
            std::thread::spawn(move || std::fs::write(fifo, json).unwrap())
        };
        let piped = json_source(&fifo, dir.path()).unwrap();
        writer.join().unwrap();
        let named = json_source(&file, dir.path()).unwrap();
        let size = |s: &Source| match s {
            Source::Json { size, .. } => *size,
            Source::Read(..) | Source::Tables { .. } => 0,
        };
        assert_eq!(size(&piped), json.len() as u64);
        assert_eq!(size(&piped), size(&named));
        let mut by_pipe = empty(&dir, "piped.db");
        let tx = by_pipe.write_transaction().unwrap();
        assert!(bulk_for_search(&tx, std::slice::from_ref(&piped)).unwrap());
        drop(tx);
        let before = schema(&by_pipe);
        let summary = by_pipe
            .import_sources(
                std::slice::from_ref(&piped),
                &ImportOptions::default(),
                &mut |_| {},
            )
            .unwrap();
        assert!(summary.meetings.added > 10, "{summary:?}");
        // The triggers are back, and the index holds what a file imported gives it.
        assert_eq!(schema(&by_pipe), before);
        let mut by_file = empty(&dir, "named.db");
        by_file.import_files(&[file], Encoding::Utf8).unwrap();
        let index = search_index(&by_pipe);
        assert!(index.1 > 0, "{index:?}");
        assert_eq!(index, search_index(&by_file));
        assert_eq!(index, search_index(&demo));
    }

    /// A case of another ward of the file, whose `wards` come after its `cases` (keys sorted,
    /// as `jq -S` writes them): the cases are read again after the head, as meetings naming a
    /// body given after them are (review finding: the case was refused, its ward unknown).
    #[test]
    fn a_case_naming_a_ward_given_after_the_cases_is_read_again_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = empty(&dir, "w.db");
        let other = "0193a0c0-0000-7000-8000-000000000002";
        let text = format!(
            r#"{{ "format": "renkei/1",
                 "ward": {{ "uid": "0193a0c0-0000-7000-8000-000000000001", "name": "江東区", "code": "131083" }},
                 "cases": [ {{ "pseudonym": "A世帯", "ward": "{other}" }}, {{ "pseudonym": "B世帯" }} ],
                 "wards": [ {{ "uid": "{other}", "name": "墨田区", "code": "131075" }} ] }}"#
        );
        let file = dir.path().join("sorted.json");
        std::fs::write(&file, text).unwrap();
        let summary = store.import_files(&[file], Encoding::Utf8).unwrap();
        assert_eq!(summary.cases.added, 2, "{summary:?}");
        let wards: Vec<(String, String)> = store
            .conn()
            .prepare(
                "SELECT c.pseudonym, w.name FROM cases c JOIN wards w ON w.id = c.ward_id
                 ORDER BY c.pseudonym",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            wards,
            [
                ("A世帯".to_owned(), "墨田区".to_owned()),
                ("B世帯".to_owned(), "江東区".to_owned())
            ]
        );
    }

    #[test]
    fn every_case_trigger_has_its_fill() {
        let dir = tempfile::tempdir().unwrap();
        let store = empty(&dir, "r.db");
        let mut triggers: Vec<String> = store
            .conn()
            .prepare(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'
                 AND name = tbl_name || '_case' ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let mut fills: Vec<String> = CASE_FILLS.iter().map(|f| f.table.to_owned()).collect();
        triggers.sort();
        fills.sort();
        assert_eq!(triggers, fills);
    }

    #[test]
    fn an_import_gives_each_capture_the_case_its_trigger_gave_row_by_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut demo = empty(&dir, "demo.db");
        crate::demo::load(&mut demo).unwrap();
        let mut json = Vec::new();
        demo.write_export(&mut json).unwrap();
        let mut value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let with = dir.path().join("with.json");
        std::fs::write(&with, &json).unwrap();
        without_capture_cases(&mut value);
        let without = dir.path().join("without.json");
        std::fs::write(&without, serde_json::to_vec(&value).unwrap()).unwrap();
        for (name, file) in [("with", with), ("without", without)] {
            let mut bulk = empty(&dir, &format!("{name}-bulk.db"));
            let mut rows = empty(&dir, &format!("{name}-rows.db"));
            import(&mut bulk, std::slice::from_ref(&file), false).unwrap();
            import(&mut rows, std::slice::from_ref(&file), true).unwrap();
            let by_trigger = cases_of_captures(&rows);
            assert!(
                with_case(&by_trigger) > 10,
                "{name}: {}",
                with_case(&by_trigger)
            );
            assert_eq!(cases_of_captures(&bulk), by_trigger, "{name}");
            // Imported again (nothing new), and into the database holding the other copy.
            import(&mut bulk, std::slice::from_ref(&file), false).unwrap();
            assert_eq!(cases_of_captures(&bulk), by_trigger, "{name} again");
        }
        // Without cases in the file, the captures of the demo's case meetings have theirs.
        let demo_cases = cases_of_captures(&demo);
        assert!(with_case(&demo_cases) > 10);
    }

    /// A meeting an import replaces has its rows deleted and written again — with the rowids the
    /// deleted ones had, when they were the table's last: those rows get their case too, and a
    /// row the import did not write keeps having none.
    #[test]
    fn rows_written_again_below_the_last_rowid_get_their_case() {
        let (_dir, store) = crate::store::setup::tests::store();
        let conn = store.conn();
        let one_case = |skip: i64| -> (i64, i64) {
            conn.query_row(
                "SELECT meeting_id, MIN(case_id) FROM meeting_cases WHERE deleted_at IS NULL
                 GROUP BY meeting_id HAVING COUNT(*) = 1 ORDER BY meeting_id LIMIT 1 OFFSET ?1",
                [skip],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        let (replaced, case) = one_case(0);
        let (untouched, _) = one_case(1);
        let insert = |rowid: Option<i64>, meeting: i64| {
            conn.execute(
                "INSERT INTO case_issues (rowid, meeting_id, category, created_at)
                 VALUES (?1, ?2, '孤立', 'now')",
                rusqlite::params![rowid, meeting],
            )
            .unwrap();
            conn.last_insert_rowid()
        };
        // Captured before its meeting had a case (the trigger gave it none).
        let old = insert(None, untouched);
        conn.execute(
            "UPDATE case_issues SET case_id = NULL WHERE rowid = ?1",
            [old],
        )
        .unwrap();
        let last = insert(None, replaced);
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
                .unwrap();
        let aside = set_cases_aside(&tx).unwrap();
        tx.execute("DELETE FROM case_issues WHERE rowid = ?1", [last])
            .unwrap();
        let again = insert(Some(last), replaced);
        let new = insert(None, replaced);
        tx.execute("INSERT INTO temp.import_replaced VALUES (?1)", [replaced])
            .unwrap();
        let none: Option<i64> = tx
            .query_row(
                "SELECT case_id FROM case_issues WHERE rowid = ?1",
                [again],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(none, None, "the trigger is set aside");
        cases_again(&tx, aside).unwrap();
        tx.commit().unwrap();
        let case_of = |rowid: i64| -> Option<i64> {
            conn.query_row(
                "SELECT case_id FROM case_issues WHERE rowid = ?1",
                [rowid],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(case_of(again), Some(case));
        assert_eq!(case_of(new), Some(case));
        assert_eq!(case_of(old), None);
    }

    /// Every row of `sqlite_master`: type, name, SQL.
    type Schema = Vec<(String, String, Option<String>)>;

    /// Steps over a whole table, by the SQL of the statement that took them.
    type Scans = std::collections::BTreeMap<String, i32>;

    fn schema(store: &Store) -> Schema {
        store
            .conn()
            .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    /// The export of `store` with a last meeting naming a body nobody has: a file refused
    /// after the meetings before it were written.
    fn refused_at_its_last_meeting(store: &Store) -> Vec<u8> {
        let mut json = Vec::new();
        store.write_export(&mut json).unwrap();
        let mut value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let meetings = value["meetings"].as_array_mut().unwrap();
        let mut last = meetings[0].clone();
        last["uid"] = serde_json::Value::String(Uuid::now_v7().to_string());
        last["body"] = serde_json::Value::String("どこにもない会議".to_owned());
        last.as_object_mut().unwrap().remove("body_uid");
        meetings.push(last);
        serde_json::to_vec(&value).unwrap()
    }

    /// A bulk import of `file` into a new database `name`, with the indexes [`INDEXES_ASIDE`]
    /// set aside (`keep` false; `too`, one more) or kept: how many steps each statement it ran
    /// took over a whole table (SQLite's `FULLSCAN_STEP`, by the statement's SQL), and the
    /// database's schema and integrity check after.
    fn import_scans(
        dir: &tempfile::TempDir,
        file: &Path,
        name: &str,
        keep: bool,
        too: Option<&'static str>,
    ) -> (Scans, Schema, String) {
        use rusqlite::trace::{TraceEvent, TraceEventCodes};
        use std::sync::{Arc, Mutex};
        KEEP_INDEXES.with(|k| k.set(keep));
        INDEXES_ASIDE_TOO.with(|t| t.set(too));
        let mut store = empty(dir, name);
        let scans = Arc::new(Mutex::new(std::collections::BTreeMap::new()));
        let seen = Arc::clone(&scans);
        store
            .conn_mut()
            .trace_v2(
                TraceEventCodes::SQLITE_TRACE_PROFILE,
                Some(move |event: TraceEvent<'_>| {
                    if let TraceEvent::Profile(stmt, _) = event {
                        // The statement's count since it was prepared: a cached one runs again.
                        let steps = stmt.get_status(rusqlite::StatementStatus::FullscanStep);
                        let mut seen = seen.lock().unwrap();
                        let most = seen.entry(stmt.sql().into_owned()).or_insert(0);
                        *most = steps.max(*most);
                    }
                }),
            )
            .unwrap();
        store
            .import_files(&[file.to_owned()], Encoding::Utf8)
            .unwrap();
        store
            .conn_mut()
            .trace_v2(TraceEventCodes::empty(), None::<fn(TraceEvent<'_>)>)
            .unwrap();
        KEEP_INDEXES.with(|k| k.set(false));
        INDEXES_ASIDE_TOO.with(|t| t.set(None));
        let scans = std::mem::take(&mut *scans.lock().unwrap());
        (scans, schema(&store), integrity(&store))
    }

    /// A bulk import into a database without meetings writes its rows with the indexes of
    /// [`INDEXES_ASIDE`] set aside, and makes them again before it commits: the schema it
    /// leaves is the one it found, and no statement of it reads more of a table than with
    /// every index kept — besides the indexes' own making, each one pass. An index a statement
    /// of the import reads by must not be set aside: that statement would read its whole table
    /// for each meeting (agenda items', which an item's next position is read by, is seen here).
    #[test]
    fn an_import_with_indexes_aside_reads_no_table_more_and_makes_them_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut json = demo_export(&dir);
        json.resize(json.len() + (JSON_BYTES_PER_MEETING * 1000) as usize, b'\n');
        let file = dir.path().join("large.json");
        std::fs::write(&file, &json).unwrap();
        let before = schema(&empty(&dir, "schema.db"));
        let made: Vec<&str> = before
            .iter()
            .filter(|(kind, name, _)| kind == "index" && INDEXES_ASIDE.contains(&name.as_str()))
            .filter_map(|(_, _, sql)| sql.as_deref())
            .collect();
        assert_eq!(
            made.len(),
            INDEXES_ASIDE.len(),
            "every index aside is in the schema"
        );
        let (kept, kept_schema, ok) = import_scans(&dir, &file, "kept.db", true, None);
        assert_eq!((kept_schema, ok.as_str()), (before.clone(), "ok"));
        let (mut aside, aside_schema, ok) = import_scans(&dir, &file, "aside.db", false, None);
        assert_eq!((aside_schema, ok.as_str()), (before.clone(), "ok"));
        for sql in &made {
            assert!(aside.remove(*sql).is_some(), "made again: {sql}");
        }
        // Setting them aside reads the schema (a table of its own) and drops each.
        let setting_aside =
            |sql: &str| sql.contains("sqlite_master") || sql.starts_with("DROP INDEX");
        let more = |aside: &Scans| -> Vec<String> {
            aside
                .iter()
                .filter(|(sql, _)| !setting_aside(sql))
                .filter(|(sql, steps)| **steps > kept.get(*sql).copied().unwrap_or(0))
                .map(|(sql, steps)| format!("{steps}: {sql}"))
                .collect()
        };
        assert_eq!(more(&aside), Vec::<String>::new());
        assert!(kept.values().any(|steps| *steps > 0), "{kept:?}");
        let (read, ..) = import_scans(&dir, &file, "read.db", false, Some("agenda_items_meeting"));
        let more = more(&read);
        assert!(
            more.iter().any(|s| s.contains("INSERT INTO agenda_items")),
            "{more:?}"
        );
    }

    /// A bulk import into an empty database refused at its last meeting — after its rows were
    /// written with every trigger of the search index and the derived tables set aside —
    /// leaves the schema as it was, every trigger there, and nothing written.
    #[test]
    fn a_failed_bulk_import_into_an_empty_database_leaves_every_trigger() {
        let dir = tempfile::tempdir().unwrap();
        let mut demo = empty(&dir, "demo.db");
        crate::demo::load(&mut demo).unwrap();
        let mut json = refused_at_its_last_meeting(&demo);
        json.resize(json.len() + (JSON_BYTES_PER_MEETING * 1000) as usize, b'\n');
        let file = dir.path().join("bad.json");
        std::fs::write(&file, &json).unwrap();
        let mut store = empty(&dir, "e.db");
        let before = schema(&store);
        {
            let tx = store.write_transaction().unwrap();
            let source = json_source(&file, dir.path()).unwrap();
            assert!(bulk_for_search(&tx, std::slice::from_ref(&source)).unwrap());
        }
        store.import_files(&[file], Encoding::Utf8).unwrap_err();
        assert_eq!(schema(&store), before);
        let meetings: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM meetings", [], |r| r.get(0))
            .unwrap();
        assert_eq!(meetings, 0);
        assert_eq!(integrity(&store), "ok");
    }

    #[test]
    fn a_failed_import_leaves_the_triggers_and_a_capture_after_it_gets_its_case() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let dir = tempfile::tempdir().unwrap();
        let before = schema(&store);
        // A file whose last meeting names a body nobody has: refused after the meetings
        // before it were written.
        let file = dir.path().join("bad.json");
        std::fs::write(&file, refused_at_its_last_meeting(&store)).unwrap();
        import(&mut store, &[file], false).unwrap_err();
        assert_eq!(schema(&store), before);
        // A capture in a meeting with one case takes it, by the trigger.
        let (meeting, case): (i64, i64) = store
            .conn()
            .query_row(
                "SELECT meeting_id, MIN(case_id) FROM meeting_cases WHERE deleted_at IS NULL
                 GROUP BY meeting_id HAVING COUNT(*) = 1 LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        store
            .conn()
            .execute(
                "INSERT INTO case_issues (meeting_id, category, created_at) VALUES (?1, '孤立', 'now')",
                [meeting],
            )
            .unwrap();
        let got: Option<i64> = store
            .conn()
            .query_row(
                "SELECT case_id FROM case_issues WHERE rowid = last_insert_rowid()",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(got, Some(case));
    }

    fn journal_mode(conn: &Connection) -> String {
        conn.pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap()
    }

    fn meetings(conn: &Connection) -> rusqlite::Result<i64> {
        conn.query_row("SELECT COUNT(*) FROM meetings", [], |r| r.get(0))
    }

    fn sidecar(db: &Path, suffix: &str) -> PathBuf {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    }

    /// Imports `json` into `store` from memory with the page cache at `kb` (small: SQLite
    /// spills the import's pages into the file before the commit), `during` told each meeting
    /// once it is written.
    fn import_with_cache(
        store: &mut Store,
        json: &[u8],
        kb: i64,
        during: &mut dyn FnMut(usize),
    ) -> Result<ImportSummary> {
        let json = json.to_vec();
        let open = move || -> std::io::Result<Box<dyn Read>> {
            Ok(Box::new(std::io::Cursor::new(json.clone())))
        };
        IMPORT_CACHE.with(|c| c.set(Some(kb)));
        let result = store.import_json_from("in.json", &open, &ImportOptions::default(), during);
        IMPORT_CACHE.with(|c| c.set(None));
        result
    }

    /// Issue 21 (the peak independent of the data): an import into a database without
    /// meetings writes through a rollback journal — no WAL, no WAL index growing with the
    /// rows — and leaves the database in WAL mode. Attacked while its pages are in the file
    /// (spilled before the commit): another connection reads nothing of it (busy, or the empty
    /// database), and the files as a kill at that moment leaves them (the database and its hot
    /// journal, copied) open as the empty database, in WAL mode, whole. (Seen failing before
    /// the change: the import's `-wal` was there and no `-journal`.)
    #[test]
    fn an_import_into_a_database_without_meetings_writes_through_a_rollback_journal() {
        let dir = tempfile::tempdir().unwrap();
        let json = demo_export(&dir);
        let mut store = empty(&dir, "new.db");
        let db = store.path().to_owned();
        assert_eq!(journal_mode(store.conn()), "wal");
        let killed = dir.path().join("killed.db");
        let mut busy = 0;
        let mut seen = 0;
        let mut during = |_: usize| {
            seen += 1;
            assert!(!sidecar(&db, "-wal").exists(), "a WAL during the import");
            assert!(
                sidecar(&db, "-journal").exists(),
                "no journal during the import"
            );
            let other = Connection::open(&db).unwrap();
            other.busy_timeout(std::time::Duration::ZERO).unwrap();
            match meetings(&other) {
                Ok(n) => assert_eq!(n, 0, "another connection read half an import"),
                Err(e) => {
                    assert!(StoreError::from(e).is_busy());
                    busy += 1;
                }
            }
            drop(other);
            // The files as a kill now leaves them (copied last: closing a copy's descriptor
            // drops this process's locks on the file, which the checks above need).
            if busy == 1 && !killed.exists() {
                std::fs::copy(&db, &killed).unwrap();
                std::fs::copy(sidecar(&db, "-journal"), sidecar(&killed, "-journal")).unwrap();
            }
        };
        let summary = import_with_cache(&mut store, &json, 256, &mut during).unwrap();
        assert!(summary.meetings.added > 0);
        assert!(
            busy > 0,
            "the pages never reached the file before the commit ({seen} meetings)"
        );
        assert_eq!(journal_mode(store.conn()), "wal");
        assert!(!sidecar(&db, "-journal").exists());
        assert_eq!(
            meetings(store.conn()).unwrap(),
            summary.meetings.added as i64
        );
        assert_eq!(integrity(&store), "ok");
        drop(store);
        let reopened = empty(&dir, "new.db");
        assert_eq!(journal_mode(reopened.conn()), "wal");

        assert!(sidecar(&killed, "-journal").exists());
        let after_kill = empty(&dir, "killed.db");
        assert_eq!(meetings(after_kill.conn()).unwrap(), 0);
        assert_eq!(journal_mode(after_kill.conn()), "wal");
        assert_eq!(integrity(&after_kill), "ok");
        assert!(!sidecar(&killed, "-journal").exists());
    }

    /// A process that opens the database during an import through the rollback journal (a
    /// colleague's screen, `renkei meetings`) waits for it and then opens it, in WAL mode, with
    /// everything the import wrote. It said `Error code 5: database is locked` at once and ended:
    /// its switch to WAL mode, which SQLite does not wait for through the busy handler while
    /// another connection writes (attack on the imports, 2026-12-05). Told, not slept for: the
    /// opening says it has waited noticeably (its `on_wait` hook) before the import goes on.
    #[test]
    fn opening_the_database_during_an_import_into_it_waits_for_the_import() {
        let dir = tempfile::tempdir().unwrap();
        let json = demo_export(&dir);
        let mut store = empty(&dir, "new.db");
        let (tell, told) = std::sync::mpsc::channel::<Option<Result<i64>>>();
        let mut opener = None;
        let mut during = |_: usize| {
            if opener.is_some() {
                return;
            }
            let tell = tell.clone();
            let dir = dir.path().to_owned();
            opener = Some(std::thread::spawn(move || {
                let waiting = tell.clone();
                super::super::busy::on_wait(move || {
                    let _ = waiting.send(None);
                });
                let now =
                    chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
                let opened = Store::open(&dir.join("new.db"), Clock::fixed(now))
                    .and_then(|s| Ok(meetings(s.conn())?));
                let _ = tell.send(Some(opened));
            }));
            // The opening's first word: that it waits (else it has failed, or read the
            // database empty before the import took its lock: both wrong here).
            match told.recv().unwrap() {
                None => {}
                Some(done) => panic!("the opening did not wait for the import: {done:?}"),
            }
        };
        // A page cache that holds the import (nothing spilled before the commit): the opening
        // finds the import's lock reserved, not yet exclusive, reads the database and then
        // cannot switch it (the moment `renkei meetings` opened at, half a second into it).
        let summary = import_with_cache(&mut store, &json, 64 * 1024, &mut during).unwrap();
        opener.take().unwrap().join().unwrap();
        // After any further word that it waits (a wait for the commit is told too).
        let opened = told
            .try_iter()
            .flatten()
            .next()
            .expect("the opening's result");
        assert_eq!(opened.unwrap(), summary.meetings.added as i64);
        assert_eq!(journal_mode(store.conn()), "wal");
    }

    /// A connection that has the database open before the import (a colleague's screen) keeps
    /// the import in WAL mode — not waited for — and reads the database as it was throughout;
    /// an import into a database that holds meetings stays in WAL mode too.
    #[test]
    fn an_import_stays_in_wal_beside_a_reader_and_into_a_database_with_meetings() {
        let dir = tempfile::tempdir().unwrap();
        let json = demo_export(&dir);
        let mut store = empty(&dir, "new.db");
        let db = store.path().to_owned();
        let reader = Connection::open(&db).unwrap();
        assert_eq!(meetings(&reader).unwrap(), 0);
        let mut during = |_: usize| {
            assert!(
                !sidecar(&db, "-journal").exists(),
                "a rollback journal beside a reader"
            );
            assert_eq!(meetings(&reader).unwrap(), 0);
        };
        let summary = import_with_cache(&mut store, &json, 256, &mut during).unwrap();
        assert_eq!(journal_mode(store.conn()), "wal");
        assert_eq!(
            meetings(&reader).unwrap(),
            summary.meetings.added as i64,
            "the reader after the commit"
        );
        drop(reader);

        // The same file again, alone, into the database that holds it now: WAL.
        let mut during = |_: usize| {
            assert!(
                !sidecar(&db, "-journal").exists(),
                "a rollback journal with meetings"
            );
        };
        import_with_cache(&mut store, &json, 256, &mut during).unwrap();
        assert_eq!(journal_mode(store.conn()), "wal");
    }

    /// An import through the rollback journal that fails, or panics, leaves the database
    /// empty and in WAL mode.
    #[test]
    fn a_failed_or_panicking_import_through_the_journal_leaves_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let mut demo = empty(&dir, "demo.db");
        crate::demo::load(&mut demo).unwrap();
        let refused = refused_at_its_last_meeting(&demo);
        let json = demo_export(&dir);
        let mut store = empty(&dir, "new.db");
        import_with_cache(&mut store, &refused, 256, &mut |_| {}).unwrap_err();
        assert_eq!(journal_mode(store.conn()), "wal");
        assert_eq!(meetings(store.conn()).unwrap(), 0);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            import_with_cache(&mut store, &json, 256, &mut |n| {
                assert!(n < 20, "a panic in the middle of the import");
            })
        }));
        assert!(panicked.is_err());
        IMPORT_CACHE.with(|c| c.set(None));
        assert_eq!(journal_mode(store.conn()), "wal");
        assert_eq!(meetings(store.conn()).unwrap(), 0);
        assert_eq!(integrity(&store), "ok");
    }
}
