//! The SQLite store: one file, WAL, foreign keys, durable commits, versioned migrations, and
//! files that only their owner (or the section's group, in a shared setgid directory) can read.

pub mod backup;
mod bodies;
pub mod capture;
mod export;
mod fixture;
pub mod identity;
pub mod import;
pub mod interchange;
mod live;
pub mod meeting_book;
mod meetings;
mod merge;
pub mod minutes;
mod permissions;
mod record;
pub mod report;
pub mod schema;
pub mod shared;
pub mod tabular;
pub mod ward;

pub use bodies::StoredBody;
pub use import::{Conflict, Counts, ImportOptions, ImportSummary};
pub use interchange::{AgencyRecord, BodyRecord, Document, HistoryRecord, MeetingRecord};
pub use live::{ActionRow, AttendeeRow, EntryRow, ItemRow, LiveMeeting, RoleRow};
pub use meetings::{KnownMeetingRow, MeetingSummary, ScheduleBody};
pub use permissions::{
    FileModes, create_file, create_private_dir, file_modes_for, write_private, write_private_with,
};
pub use tabular::Encoding;
pub use ward::Ward;

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    /// Only the chair moves a live meeting's agenda.
    #[error("the agenda is moved by {chair}; take the chair first")]
    NotChair { chair: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

fn conflicts_message(conflicts: &[import::Conflict]) -> String {
    let list: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
    format!(
        "import refused, nothing was changed: {} record(s) in conflict ({}); --skip-conflicts imports the rest",
        conflicts.len(),
        list.join("; ")
    )
}

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    user: String,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path, clock: Clock) -> Result<Store> {
        let modes = permissions::prepare(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
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
        schema::migrate(&mut conn)?;
        permissions::restrict_sidecars(path, modes)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            clock,
            user: current_user(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The Unix user every entry is recorded as made by.
    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn set_user(&mut self, user: impl Into<String>) {
        self.user = user.into();
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.clock.now()
    }

    pub(crate) fn now_text(&self) -> String {
        timestamp(self.now())
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A transaction that takes the write lock at once. A deferred one would start as a reader
    /// and, if another process committed meanwhile, fail to upgrade with "database is locked"
    /// without waiting; an immediate one waits its turn (the busy timeout) instead.
    pub(crate) fn write_transaction(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    pub fn schema_version(&self) -> Result<u32> {
        schema::user_version(&self.conn)
    }
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
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
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

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(err, _)
            if err.code == rusqlite::ErrorCode::NotADatabase
                || err.code == rusqlite::ErrorCode::DatabaseCorrupt
    )
}

fn current_user() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The default database: `<data dir>/renkei.db`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "renkei").map(|dirs| dirs.data_dir().join("renkei.db"))
}
