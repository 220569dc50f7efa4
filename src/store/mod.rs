//! The SQLite store: one file, WAL, foreign keys, durable commits, versioned migrations, and
//! files that only their owner (or the section's group, in a shared setgid directory) can read.

pub mod backup;
mod bodies;
pub mod busy;
mod calendar;
pub mod capture;
pub mod cases;
mod changes;
mod derived;
pub mod drafts;
mod export;
mod fixture;
pub mod identity;
pub mod import;
pub mod interchange;
mod last_held;
mod limits;
mod live;
pub mod meeting_book;
mod meetings;
mod merge;
pub mod minutes;
mod permissions;
mod record;
mod record_size;
mod recorded;
pub mod report;
mod review;
mod review_basis;
pub mod schema;
pub mod search;
pub mod setup;
pub mod shared;
mod spool;
mod summary;
pub mod tables;
pub mod tabular;
pub mod temp;
#[cfg(test)]
pub(crate) mod testing;
pub mod trouble;
mod unnamed_db;
pub mod ward;
pub mod workbook;

pub use bodies::StoredBody;
pub use calendar::{CalendarBody, CalendarMeeting, CalendarRead};
pub use import::{Conflict, Counts, ImportOptions, ImportSummary};
pub use interchange::{AgencyRecord, BodyRecord, Document, HistoryRecord, MeetingRecord};
pub use live::{
    ActionGroup, ActionOrder, ActionRow, AttendeeRow, BodyMeeting, EntryRow, ItemRow, LiveMeeting,
    RoleRow,
};
pub use meetings::{BodyPlace, KnownMeetingRow, MeetingSummary, ScheduleBody};
pub use permissions::{
    FileModes, create_file, create_private_dir, file_modes_for, refuse_database, stdout_database,
    write_private, write_private_as, write_private_with,
};
pub use recorded::TablePeople;
pub use tabular::Encoding;
pub use trouble::{Trouble, explain};
pub use ward::{Ward, WardLabels};

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::clock::Clock;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: database schema version {found} is newer than this renkei supports ({supported}); \
         use a newer renkei (the file was left untouched)"
    )]
    TooNewAt {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("database schema version {found} is newer than this renkei supports ({supported})")]
    TooNew { found: u32, supported: u32 },
    #[error("{path}: not a renkei database (not an SQLite file, or damaged)")]
    NotADatabase { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Sql(#[from] rusqlite::Error),
    /// Bad input: names the file and line (or JSON path) and what is wrong.
    #[error("{0}")]
    Invalid(String),
    /// Someone else changed the entry since it was shown: the change was not saved.
    #[error("changed meanwhile by someone else (now: {current}); not saved")]
    Conflict { current: String },
    /// An import would overwrite what the database holds: refused as a whole (nothing was
    /// changed); every conflict is listed.
    #[error("{}", conflicts_message(.0))]
    Conflicts(Vec<import::Conflict>),
    /// A file that cannot be used as asked: an output onto a database, a database path that is
    /// no file, a full disk (see [`Trouble`], which says it in Japanese or English).
    #[error("{0}")]
    File(Trouble),
    /// Only the chair moves a live meeting's agenda.
    #[error("the agenda is moved by {chair}; take the chair first")]
    NotChair { chair: String },
    /// A message of the catalogue (`src/messages.toml`), said in the reader's language.
    #[error("{0}")]
    Said(#[from] crate::i18n::Msg),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The refusal of an import for its conflicts, each named, in the process's message language.
fn conflicts_message(conflicts: &[import::Conflict]) -> String {
    let lang = crate::i18n::message_lang();
    let list: Vec<String> = conflicts.iter().map(|c| c.render(lang)).collect();
    crate::i18n::say(
        lang,
        "import_refused_conflicts",
        &[
            ("count", conflicts.len().to_string()),
            ("list", list.join(lang.pick("；", "; "))),
        ],
    )
}

impl StoreError {
    /// Another process held the write lock longer than this thread's patience
    /// ([`busy::set_patience`]), or the process is ending: nothing was written, and the same
    /// write can be tried again.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            StoreError::Sql(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    /// The clock every entry, change, approval and audit line is dated by: `clock`, except
    /// where `RENKEI_NOW` set it on a real database ([`recording_clock`]).
    stamps: Clock,
    user: String,
    /// The name the user gave in the config: shown beside the login, never instead of it.
    display_name: Option<String>,
    /// The case rules in effect: the rules shipped with the config's `[review]`.
    rules: crate::domain::case::CaseRules,
    /// The form being saved (its draft's name, `drafts::FormDraft`): each write transaction
    /// removes this user's draft of it, so that the save and the end of its draft are one
    /// commit — a kill between them can neither lose the text nor bring a saved one back.
    saving: Option<String>,
    /// This window of renkei, as its form drafts are kept (`drafts::this_process`).
    process: String,
    /// The drafts of ended windows this one took up as their forms opened (`Store::form_draft`),
    /// by form: each goes with this window's next keeping, saving or letting go of the form.
    taken_up: std::sync::Mutex<HashMap<String, String>>,
}

/// The statements the store's connection keeps prepared. One screen's read runs a few dozen
/// distinct statements (the minutes of a meeting: its attendees, items, entries, roles, actions,
/// issues, cases, reviews, carried actions, each with its lookups), an import about sixty, over
/// and over; with rusqlite's own 16 most of them were compiled again on every read — compiling
/// a statement costs more than running it (the minutes of W's busiest meeting: 38 % of their
/// instructions; an import of scale 10: 11 %). A prepared statement is a few kilobytes.
pub(crate) const STATEMENTS: usize = 256;

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path, clock: Clock) -> Result<Store> {
        let file = file_path(path)?;
        // A directory, a FIFO or a device is refused before SQLite tries it (a FIFO would be
        // waited on, /dev/null gives "Error code 1034").
        if let Some(kind) = std::fs::metadata(&file)
            .ok()
            .and_then(|m| trouble::FileKind::of(&m))
        {
            return Err(StoreError::File(Trouble::NotAFile {
                path: path.to_owned(),
                kind,
            }));
        }
        // On read-only media (a backup kept on a USB stick, a snapshot) renkei can neither keep
        // its temporary files beside the database nor write its audit: said as such, with
        // `check` (which reads it as it is) and a copy as the way on (attack report 6, finding 20).
        if file.is_file() && backup::on_read_only_media(&file) {
            return Err(crate::i18n::Msg::new("database_read_only_place")
                .with("path", path.display())
                .into());
        }
        let modes = permissions::prepare(&file)?;
        temp::beside(&file, modes)?;
        // Before SQLite opens them: a read-only sidecar would make the connection read-only.
        permissions::restrict_sidecars(&file, modes)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&file, flags)?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS);
        permissions::protect(&file);
        // A write waits for another process's lock as long as it takes (see busy.rs).
        conn.busy_handler(Some(busy::handler))?;
        // Read the version before anything writes, so that a foreign or newer file is left as it was.
        let version = match schema::user_version(&conn) {
            Ok(v) => v,
            Err(StoreError::Sql(e)) if is_not_a_database(&e) => {
                return Err(StoreError::NotADatabase {
                    path: path.to_owned(),
                });
            }
            Err(e) => return Err(e),
        };
        if version > schema::LATEST {
            return Err(StoreError::TooNewAt {
                path: path.to_owned(),
                found: version,
                supported: schema::LATEST,
            });
        }
        configure(&conn).map_err(|e| match e {
            StoreError::Sql(ref inner) if is_not_a_database(inner) => StoreError::NotADatabase {
                path: path.to_owned(),
            },
            other => other,
        })?;
        let fresh: bool =
            conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM sqlite_master)", [], |r| {
                r.get(0)
            })?;
        schema::migrate(&mut conn)?;
        let stamps = recording_clock(&conn, &clock, fresh)?;
        // Meetings of a database made before cases are linked to their cases once.
        cases::settle(&mut conn, &timestamp(stamps.now()), &current_user())?;
        permissions::restrict_sidecars(&file, modes)?;
        search::register(&conn)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            clock,
            stamps,
            user: current_user(),
            display_name: None,
            rules: crate::domain::case::CaseRules::builtin().clone(),
            saving: None,
            process: drafts::this_process().to_owned(),
            taken_up: std::sync::Mutex::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The Unix user every entry is recorded as made by: the login of the process's real uid
    /// (never `$USER`, which anyone can set).
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Acts as another user: for tests and tools that stand for several people in one process.
    pub fn set_user(&mut self, user: impl Into<String>) {
        self.user = user.into();
    }

    /// This window of renkei, as it keeps its form drafts (`drafts::this_process`).
    pub fn process(&self) -> &str {
        &self.process
    }

    /// Stands for another window of renkei: for tests of two windows in one process.
    #[cfg(test)]
    pub fn set_process(&mut self, process: impl Into<String>) {
        self.process = process.into();
    }

    /// The ended window whose draft of `form` this one took up, if any.
    fn taken_up(&self, form: &str) -> Option<String> {
        let taken = self.taken_up.lock().unwrap_or_else(|e| e.into_inner());
        taken.get(form).cloned()
    }

    /// This window took up the draft of `form` kept by the ended window `process`.
    fn take_up(&self, form: &str, process: &str) {
        let mut taken = self.taken_up.lock().unwrap_or_else(|e| e.into_inner());
        taken.insert(form.to_owned(), process.to_owned());
    }

    /// The name from the config, shown beside the login in the audit and the approval.
    pub fn set_display_name(&mut self, name: Option<String>) {
        self.display_name = name
            .map(|n| crate::text::inert(n.trim()))
            .filter(|n| !n.is_empty() && *n != self.user);
    }

    /// The case rules every review date, `--due`, `!超過` and the report's reviews follow:
    /// the rules shipped with the config's `[review]` ([`crate::config::Settings::case_rules`]).
    pub fn set_rules(&mut self, rules: crate::domain::case::CaseRules) {
        self.rules = rules;
    }

    pub fn rules(&self) -> &crate::domain::case::CaseRules {
        &self.rules
    }

    /// Who did it, as the audit and the approval say it: the login, then the config's name
    /// beside it (`sato (佐藤)`). The login always comes first and is always there.
    pub fn signature(&self) -> String {
        match &self.display_name {
            Some(name) => format!("{} ({name})", self.user),
            None => self.user.clone(),
        }
    }

    /// Now as the screens show it ([`Store::clock`]'s: `RENKEI_NOW`'s where it is set).
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.clock.now()
    }

    /// The time an entry, a change, an approval or an audit line made now is recorded at: the
    /// system clock's on a real database whatever `RENKEI_NOW` says ([`recording_clock`]).
    pub fn recorded_now(&self) -> DateTime<FixedOffset> {
        self.stamps.now()
    }

    pub(crate) fn now_text(&self) -> String {
        timestamp(self.recorded_now())
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Runs `f` in one transaction with the current time and user. It commits only when every
    /// meeting and case `f` wrote to still fits one record of the import (`record_size::Touched`):
    /// past it, nothing is written.
    fn write<T>(&mut self, f: impl FnOnce(&Connection, &str, &str) -> Result<T>) -> Result<T> {
        let now = self.now_text();
        let user = self.user().to_owned();
        let touched = record_size::Touched::watch(self.conn_mut())?;
        let written = self.write_transaction().and_then(|tx| {
            let value = f(&tx, &now, &user)?;
            touched.fit(&tx)?;
            tx.commit()?;
            Ok(value)
        });
        let unwatched = record_size::Touched::unwatch(self.conn_mut());
        let value = written?;
        unwatched?;
        Ok(value)
    }

    /// A transaction that takes the write lock at once. A deferred one would start as a reader
    /// and, if another process committed meanwhile, fail to upgrade with "database is locked"
    /// without waiting; an immediate one waits its turn (see [`busy`]) instead.
    pub(crate) fn write_transaction(&mut self) -> Result<rusqlite::Transaction<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(form) = &self.saving {
            let taken = self.taken_up.lock().unwrap_or_else(|e| e.into_inner());
            let ended = taken.get(form).map(String::as_str);
            drafts::forget_form(&tx, &self.user, form, &self.process, ended)?;
        }
        Ok(tx)
    }

    /// The writes that follow save the form named `form` (none: no form): its draft goes in
    /// their transaction (see `saving`).
    pub fn saving_form(&mut self, form: Option<String>) {
        self.saving = form;
    }

    /// Runs `work` as one transaction of the connection (a savepoint: a part of the
    /// transaction already open, if one is). Rows written one at a time into a temporary table
    /// (the home's list of a city, the upcoming list, the ledger's order) then commit once:
    /// each committed on its own before, and each commit walked the whole page cache of the
    /// temporary database — about a third of the CPU of the home's whole list on a city of 24
    /// wards. An error or a panic in `work` rolls its writes back. The database's own tables
    /// are read in the one snapshot meanwhile (WAL: no writer waits for it).
    pub(crate) fn batched<T, E: From<rusqlite::Error>>(
        &self,
        work: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        /// Rolls the savepoint back unless released (an error, or a panic unwinding).
        struct Open<'c>(&'c Connection, bool);
        impl Drop for Open<'_> {
            fn drop(&mut self) {
                if !self.1 {
                    let _ = self
                        .0
                        .execute_batch("ROLLBACK TO renkei_batched; RELEASE renkei_batched;");
                }
            }
        }
        self.conn.execute_batch("SAVEPOINT renkei_batched")?;
        let mut open = Open(&self.conn, false);
        let value = work()?;
        self.conn.execute_batch("RELEASE renkei_batched")?;
        open.1 = true;
        Ok(value)
    }

    /// A read transaction: every query until it is dropped sees the database as it was at its
    /// first read (WAL), whoever commits meanwhile. A listing read twice (measured, then
    /// written) reads the same rows both times. Drop it before writing.
    pub fn read_snapshot(&self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self.conn.unchecked_transaction()?)
    }

    pub fn schema_version(&self) -> Result<u32> {
        schema::user_version(&self.conn)
    }
}

/// `PRAGMA application_id` of a database made under a clock that is not the system's — a
/// test's, or `RENKEI_NOW`'s (a demo, a script): its records may be dated by that clock.
pub const TEST_CLOCK_DATABASE: i32 = 0x524b_4e54;

/// The clock a database's records are dated by (attack report 9, finding 8: anyone could set
/// `RENKEI_NOW` to 2020 and approve minutes or leave audit lines dated as they liked).
/// `RENKEI_NOW` moves "today" everywhere (schedules, due dates, overdue marks, demo data), but
/// dates what is recorded only on a database made under it or under a test's clock — marked
/// so by its `application_id` when it is made; a real database (made under the system clock)
/// records the system's time whatever `RENKEI_NOW` says. A clock set in the code is trusted.
fn recording_clock(conn: &Connection, clock: &Clock, fresh: bool) -> Result<Clock> {
    if fresh && !clock.is_system() {
        conn.pragma_update(None, "application_id", TEST_CLOCK_DATABASE)?;
        return Ok(clock.clone());
    }
    if !clock.from_environment() {
        return Ok(clock.clone());
    }
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    Ok(if id == TEST_CLOCK_DATABASE {
        clock.clone()
    } else {
        clock.recording()
    })
}

/// The database file as SQLite must be given it: a file path, never a URI. This SQLite reads a
/// name beginning `file:` as a URI (it is built with SQLITE_USE_URI, whatever the open flags), so
/// the path is made absolute: `--db file:/x/y.db` is the file of that name in the current
/// directory, the one renkei's permissions are applied to.
pub(crate) fn file_path(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Runs a statement kept prepared: an import runs the same few inserts for every row, and
/// preparing each anew took more time than writing it.
pub(crate) fn cached(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
    Ok(conn.prepare_cached(sql)?.execute(params)?)
}

/// Timestamps are stored as RFC 3339 with the local offset, to the second.
pub fn timestamp(at: DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn configure(conn: &Connection) -> Result<()> {
    let mode = wal_mode(conn)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Invalid(format!(
            "the database could not be switched to WAL mode (it is in {mode} mode)"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // One plan per statement. Otherwise this build of SQLite (STAT4) marks statements whose plan
    // might depend on a bound value, such as a date range, and prepares them again at every new
    // binding: that made reading the schedule of 500 bodies (500 small queries) twice as slow.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// Puts the database in WAL mode (it stays so: this is a no-op but for a new database, one an
/// import into an empty database switched to a rollback journal, or one left so by a killed
/// one). The switch needs the database to itself, and SQLite does not wait for it through the
/// busy handler while another connection writes (it could deadlock): it says "database is
/// locked" at once. So the open waits here as any write waits (see busy.rs) — for an import
/// into an empty database, its whole length — and tries again: a colleague's screen or command
/// opened meanwhile said `Error code 5: database is locked` and ended (attack on the imports,
/// 2026-12-05).
fn wal_mode(conn: &Connection) -> Result<String> {
    let mut tries = 0;
    loop {
        match conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .map_err(StoreError::from)
        {
            Err(e) if e.is_busy() && busy::keep_waiting(tries, std::time::Instant::now()) => {
                tries = tries.saturating_add(1);
            }
            done => return done,
        }
    }
}

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(err, _)
            if err.code == rusqlite::ErrorCode::NotADatabase
                || err.code == rusqlite::ErrorCode::DatabaseCorrupt
    )
}

/// The login of the process's real uid, from the password database (`uid N` when it has no
/// entry). The environment is not asked: `USER=bob` must not make alice's approval bob's.
pub fn current_user() -> String {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => format!("uid {uid}"),
    }
}

/// The default database: `<data dir>/renkei.db`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "renkei").map(|dirs| dirs.data_dir().join("renkei.db"))
}

#[cfg(test)]
mod batched_tests {
    use super::*;
    use crate::clock::Clock;

    fn rows(store: &Store) -> Vec<i64> {
        let mut stmt = store
            .conn()
            .prepare("SELECT x FROM temp.t ORDER BY x")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_batch_is_one_transaction_that_an_error_or_a_panic_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let store = Store::open(&dir.path().join("b.db"), Clock::fixed(now)).unwrap();
        store
            .conn()
            .execute_batch("CREATE TEMP TABLE t (x INTEGER)")
            .unwrap();
        let insert = |x: i64| store.conn().execute("INSERT INTO temp.t VALUES (?1)", [x]);
        store
            .batched(|| -> Result<()> {
                assert!(!store.conn().is_autocommit(), "not in a transaction");
                for x in 0..3 {
                    insert(x)?;
                }
                Ok(())
            })
            .unwrap();
        assert!(store.conn().is_autocommit());
        let failed = store.batched(|| -> Result<()> {
            insert(10)?;
            Err(StoreError::Invalid("stopped".into()))
        });
        assert!(failed.is_err());
        // Inside a transaction already open: a part of it, which stays open.
        let snapshot = store.read_snapshot().unwrap();
        store
            .batched(|| -> Result<()> { Ok(insert(20).map(drop)?) })
            .unwrap();
        assert!(!store.conn().is_autocommit());
        snapshot.commit().unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.batched(|| -> Result<()> {
                insert(30)?;
                panic!("a bug while the rows are written");
            })
        }));
        assert!(panicked.is_err());
        assert!(
            store.conn().is_autocommit(),
            "the panic left a transaction open"
        );
        assert_eq!(rows(&store), [0, 1, 2, 20]);
    }

    /// Another process writes the database while a batch writes its rows (a colleague's
    /// capture while the home's list of a city is made): neither waits for the other, the batch
    /// reads the one snapshot it began with, and its rows and the other's write are both kept.
    #[test]
    fn another_writer_commits_while_a_batch_writes_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.db");
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let store = Store::open(&path, Clock::fixed(now)).unwrap();
        let mut other = Store::open(&path, Clock::fixed(now)).unwrap();
        // Not renkei's long patience: a batch that held the write lock fails here, not hangs.
        other
            .conn()
            .busy_timeout(std::time::Duration::from_millis(200))
            .unwrap();
        store
            .conn()
            .execute_batch("CREATE TEMP TABLE t (x INTEGER)")
            .unwrap();
        let insert = |x: i64| store.conn().execute("INSERT INTO temp.t VALUES (?1)", [x]);
        let wards = |s: &Store| -> rusqlite::Result<String> {
            s.conn().query_row(
                "SELECT COALESCE(group_concat(name, ','), '') FROM wards",
                [],
                |r| r.get(0),
            )
        };
        let before = wards(&store).unwrap();
        store
            .batched(|| -> Result<()> {
                assert_eq!(wards(&store)?, before);
                insert(1)?;
                other.set_ward("北区", Some("271276"))?;
                insert(2)?;
                assert_eq!(wards(&store)?, before, "the batch's snapshot moved");
                Ok(())
            })
            .unwrap();
        assert_eq!(rows(&store), [1, 2]);
        assert!(wards(&store).unwrap().contains("北区"));
    }
}
