//! Where SQLite writes its temporary files — the sorters of a large ORDER BY, the temporary
//! tables of the case ledger's listing and of an import, statement journals that spill. By
//! default it picks the first of `$SQLITE_TMPDIR`, `$TMPDIR`, /var/tmp, /tmp: directories every
//! user of the machine can list, on a disk the ward never chose for confidential records. renkei
//! keeps them in `.renkei-tmp` beside the database instead: on the database's own disk (the
//! streaming listings still spill there, memory stays bounded), in a directory only the owner
//! (or, beside a database a section shares, its group) may enter. SQLite opens each temporary
//! file owner-only and removes its name at once; the directory hides even that moment.
//!
//! The directory is SQLite's for the whole process (`PRAGMA temp_store_directory` sets a global
//! that is not safe to change while other connections work), so it is set once, by the first
//! database opened, and only in a process that asked for it ([`keep_private`]: the binary does,
//! before it opens anything); a test process opening many databases keeps SQLite's default.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::permissions::{self, FileModes};
use super::{Result, StoreError, Trouble};

/// The name of the directory beside the database.
pub const DIR_NAME: &str = ".renkei-tmp";

static WANTED: AtomicBool = AtomicBool::new(false);

/// Asks that SQLite's temporary files be kept beside the first database this process opens.
pub fn keep_private() {
    WANTED.store(true, Ordering::Relaxed);
}

/// Called by `Store::open` for the database file `db` (its directory exists, with `modes`).
pub(super) fn beside(db: &Path, modes: FileModes) -> Result<()> {
    if !WANTED.load(Ordering::Relaxed) || crate::temp_file::chosen().is_some() {
        return Ok(());
    }
    let beside = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut dir = beside.join(DIR_NAME);
    if let Err(e) = prepare(&dir, modes) {
        // Another user's, in a directory several users write that is no section's shared
        // (setgid) one: the first to open a database there would decide for all (attack report
        // 9, finding 3). This user's own beside it instead.
        let others = std::fs::symlink_metadata(&dir)
            .is_ok_and(|m| m.is_dir() && m.uid() != nix::unistd::getuid().as_raw());
        if !others || modes.dir & 0o070 != 0 {
            return Err(e);
        }
        dir = beside.join(format!("{DIR_NAME}-{}", nix::unistd::getuid().as_raw()));
        prepare(&dir, modes)?;
    }
    let Some(text) = dir.to_str() else {
        // SQLite is given the name as text: a directory name that is not UTF-8 cannot be.
        return Err(unsafe_dir(&dir));
    };
    let conn = rusqlite::Connection::open_in_memory()?;
    conn.execute_batch(&format!(
        "PRAGMA temp_store_directory = '{}'",
        text.replace('\'', "''")
    ))?;
    crate::temp_file::choose(dir);
    Ok(())
}

/// Makes `dir` (owner-only, or the group's beside a shared database) or checks the one there:
/// a real directory, not a link, that no one outside the owner (and a shared group) may enter —
/// one of ours with a looser mode is tightened; anyone else's is refused, naming it.
fn prepare(dir: &Path, modes: FileModes) -> Result<()> {
    if std::fs::symlink_metadata(dir).is_err() {
        permissions::create_private_dir(dir)?;
    }
    let meta = std::fs::symlink_metadata(dir).map_err(|source| StoreError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let shared = modes.dir & 0o070 != 0;
    let ours = meta.uid() == nix::unistd::getuid().as_raw();
    let our_group = shared && permissions::is_my_group(meta.gid());
    if !meta.file_type().is_dir() || !(ours || our_group) {
        return Err(unsafe_dir(dir));
    }
    let allowed = if shared { 0o2770 } else { 0o700 };
    let mode = meta.permissions().mode() & 0o7777;
    if mode & !allowed & 0o777 != 0 {
        if !ours {
            return Err(unsafe_dir(dir));
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(modes.dir)).map_err(
            |source| StoreError::Io {
                path: dir.to_owned(),
                source,
            },
        )?;
    }
    Ok(())
}

fn unsafe_dir(dir: &Path) -> StoreError {
    StoreError::File(Trouble::UnsafeTempDir {
        path: dir.to_owned(),
    })
}
