//! What went wrong with a file renkei opens or writes — an output refused because it is a
//! database, a database path that is no file, a full disk — said in one line naming the file
//! the user asked for, in Japanese or English (the message catalogue, `src/messages.toml`); the
//! CLI and the screens say them through [`explain`].

use std::fmt;
use std::path::{Path, PathBuf};

use super::StoreError;
use crate::i18n::{Lang, say};

/// What a path that should be a database file is instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Directory,
    Fifo,
    Device,
    Socket,
    Other,
}

impl FileKind {
    /// What `meta` (followed through links) is, when it is not a regular file.
    pub fn of(meta: &std::fs::Metadata) -> Option<FileKind> {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        Some(if t.is_file() {
            return None;
        } else if t.is_dir() {
            FileKind::Directory
        } else if t.is_fifo() {
            FileKind::Fifo
        } else if t.is_char_device() || t.is_block_device() {
            FileKind::Device
        } else if t.is_socket() {
            FileKind::Socket
        } else {
            FileKind::Other
        })
    }

    fn name(self, lang: Lang) -> String {
        let key = match self {
            FileKind::Directory => "kind_directory",
            FileKind::Fifo => "kind_fifo",
            FileKind::Device => "kind_device",
            FileKind::Socket => "kind_socket",
            FileKind::Other => "kind_other",
        };
        say(lang, key, &[])
    }
}

/// Something wrong with a file, said in one line that names it.
#[derive(Debug)]
pub enum Trouble {
    /// An output onto the database this process uses, one of its journals, or a link to them.
    ThisDatabase { target: PathBuf, database: PathBuf },
    /// An output onto an SQLite database (the file begins with SQLite's header).
    Database { target: PathBuf },
    /// An output onto an SQLite journal (`-wal`, `-shm`, `-journal`), of `database` when known.
    Journal {
        target: PathBuf,
        database: Option<PathBuf>,
    },
    /// An output onto a file with an SQLite journal beside it: a database in use, or one left in
    /// the middle of a write.
    InUse { target: PathBuf, journal: PathBuf },
    /// The database path is a directory, a FIFO, a device…
    NotAFile { path: PathBuf, kind: FileKind },
    /// The disk that holds the database is full: the change was not saved.
    DiskFull { path: PathBuf },
    /// The database could not be read or written (an I/O error): the change was not saved.
    DiskError { path: PathBuf },
    /// The database would grow past the process's file size limit (`ulimit -f`): the change was
    /// not saved.
    TooLarge { path: PathBuf },
    /// The directory for SQLite's temporary files beside the database is not renkei's to use:
    /// not a directory, someone else's, or open to others.
    UnsafeTempDir { path: PathBuf },
    /// An output file could not be written (no such directory, no permission, a full disk).
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Trouble {
    /// The line, in `lang`, from the message catalogue (`src/messages.toml`).
    pub fn say(&self, lang: Lang) -> String {
        let shown = |p: &Path| p.display().to_string();
        match self {
            Trouble::ThisDatabase { target, database } => say(
                lang,
                "is_the_database",
                &[("path", shown(target)), ("database", shown(database))],
            ),
            Trouble::Database { target } => {
                say(lang, "output_is_a_database", &[("path", shown(target))])
            }
            Trouble::Journal {
                target,
                database: Some(database),
            } => say(
                lang,
                "output_is_a_journal_of",
                &[("path", shown(target)), ("database", shown(database))],
            ),
            Trouble::Journal {
                target,
                database: None,
            } => say(lang, "output_is_a_journal", &[("path", shown(target))]),
            Trouble::InUse { target, journal } => say(
                lang,
                "output_database_in_use",
                &[("path", shown(target)), ("journal", shown(journal))],
            ),
            Trouble::NotAFile { path, kind } => say(
                lang,
                "database_not_a_file",
                &[("path", shown(path)), ("kind", kind.name(lang))],
            ),
            Trouble::DiskFull { path } => say(lang, "database_disk_full", &[("path", shown(path))]),
            Trouble::DiskError { path } => say(lang, "database_io_error", &[("path", shown(path))]),
            Trouble::TooLarge { path } => say(lang, "database_too_large", &[("path", shown(path))]),
            Trouble::UnsafeTempDir { path } => {
                say(lang, "unsafe_temp_dir", &[("path", shown(path))])
            }
            Trouble::Output { path, source } => output(path, source, lang),
        }
    }
}

/// Why an output file could not be written, naming the file asked for (never the hidden
/// temporary file it is first written to).
fn output(path: &Path, source: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
        _ => ".".to_owned(),
    };
    let key = match source.kind() {
        ErrorKind::NotFound => Some("output_no_directory"),
        ErrorKind::NotADirectory => Some("output_not_a_directory"),
        ErrorKind::PermissionDenied => Some("output_no_permission"),
        ErrorKind::ReadOnlyFilesystem => Some("output_read_only"),
        ErrorKind::StorageFull => Some("output_disk_full"),
        ErrorKind::FileTooLarge => Some("output_too_large"),
        ErrorKind::IsADirectory => Some("output_is_a_directory"),
        _ => None,
    };
    let why = match key {
        Some(key) => say(lang, key, &[("dir", dir)]),
        // The system's other reasons in the reader's words where renkei has them.
        None => crate::i18n::io_reason(source, lang),
    };
    say(
        lang,
        "output_failed",
        &[("path", path.display().to_string()), ("why", why)],
    )
}

impl fmt::Display for Trouble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

/// The line for an error whose cause renkei can name itself — a [`Trouble`], or SQLite's full
/// disk or I/O error while using the database at `db` — in `lang`; `None` for any other error.
pub fn explain(error: &anyhow::Error, db: &Path, lang: Lang) -> Option<String> {
    error.chain().find_map(|cause| {
        if let Some(StoreError::File(trouble)) = cause.downcast_ref::<StoreError>() {
            return Some(trouble.say(lang));
        }
        let sql = match cause.downcast_ref::<StoreError>() {
            Some(StoreError::Sql(e)) => Some(e),
            _ => cause.downcast_ref::<rusqlite::Error>(),
        };
        disk_trouble(sql?, db).map(|t| t.say(lang))
    })
}

/// Set when the process is sent SIGXFSZ: a write went past the file size limit (`ulimit -f`).
static FILE_SIZE_LIMIT: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> =
    std::sync::OnceLock::new();

/// Catches SIGXFSZ, whose default is to end the process at once, without a word, in the middle of
/// a write: caught, the write fails with EFBIG instead, the transaction is rolled back as for a
/// full disk, and the error says which file and why (SQLite reports EFBIG only as an I/O error;
/// the signal tells them apart). Called once by `main`.
pub fn watch_file_size_limit() -> std::io::Result<()> {
    let flag = FILE_SIZE_LIMIT.get_or_init(Default::default);
    signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag.clone()).map(drop)
}

/// Whether a write of this process went past the file size limit.
pub fn file_size_limit_reached() -> bool {
    FILE_SIZE_LIMIT
        .get()
        .is_some_and(|f| f.load(std::sync::atomic::Ordering::Relaxed))
}

/// SQLite's full disk or I/O error, as a [`Trouble`] naming the database.
pub(super) fn disk_trouble(e: &rusqlite::Error, db: &Path) -> Option<Trouble> {
    let rusqlite::Error::SqliteFailure(failure, _) = e else {
        return None;
    };
    let path = db.to_owned();
    match failure.code {
        rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure
            if file_size_limit_reached() =>
        {
            Some(Trouble::TooLarge { path })
        }
        rusqlite::ErrorCode::DiskFull => Some(Trouble::DiskFull { path }),
        rusqlite::ErrorCode::SystemIoFailure => Some(Trouble::DiskError { path }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line is in the catalogue in both languages (an unknown key would show itself),
    /// names the file asked for, and fills every value.
    #[test]
    fn every_trouble_is_said_in_both_languages_naming_the_file() {
        let p = || PathBuf::from("出力/議事録.md");
        let io = |kind| std::io::Error::from(kind);
        let all = [
            Trouble::ThisDatabase {
                target: p(),
                database: "a.db".into(),
            },
            Trouble::Database { target: p() },
            Trouble::Journal {
                target: p(),
                database: Some("a.db".into()),
            },
            Trouble::Journal {
                target: p(),
                database: None,
            },
            Trouble::InUse {
                target: p(),
                journal: "a.db-wal".into(),
            },
            Trouble::NotAFile {
                path: p(),
                kind: FileKind::Fifo,
            },
            Trouble::DiskFull { path: p() },
            Trouble::DiskError { path: p() },
            Trouble::TooLarge { path: p() },
            Trouble::UnsafeTempDir { path: p() },
            Trouble::Output {
                path: p(),
                source: io(std::io::ErrorKind::NotFound),
            },
            Trouble::Output {
                path: p(),
                source: io(std::io::ErrorKind::PermissionDenied),
            },
            Trouble::Output {
                path: p(),
                source: io(std::io::ErrorKind::StorageFull),
            },
        ];
        for trouble in &all {
            let ja = trouble.say(Lang::Ja);
            let en = trouble.say(Lang::En);
            for line in [&ja, &en] {
                assert!(line.starts_with("出力/議事録.md: "), "{line}");
                assert!(!line.contains('{') && !line.contains('_'), "{line}");
            }
            assert_ne!(ja, en);
        }
        let full = Trouble::DiskFull { path: p() };
        assert!(full.say(Lang::Ja).contains("ディスクがいっぱい"));
        assert!(full.say(Lang::En).contains("the disk is full"));
        assert_eq!(full.to_string(), full.say(Lang::En));
    }
}
