//! Temporary files renkei writes itself (a spreadsheet's sheets as they are written, a case
//! ledger's spool, an import's spool): unnamed, owner-only, and in the directory the store chose
//! for SQLite's own temporary files when it did (`store::temp`: `.renkei-tmp` beside the
//! database), so that records' text never goes to the system's shared `/tmp`. A leaf: the store
//! sets the directory, the writers (the store's, the office formats', the command line's) read it.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static CHOSEN: OnceLock<PathBuf> = OnceLock::new();

/// The directory temporary files go to, once the store has chosen it.
pub fn chosen() -> Option<&'static Path> {
    CHOSEN.get().map(PathBuf::as_path)
}

/// Sets the directory (the first choice stands: SQLite's is set once per process).
pub(crate) fn choose(dir: PathBuf) {
    let _ = CHOSEN.set(dir);
}

/// A new file in `dir` with no name, owner-only (`0600`): removed however renkei ends. The
/// tempfile crate makes it with Linux's `O_TMPFILE` and no mode of its own, so the umask's
/// (`0644`, or `0666` under `umask 000`) — set here, as every file renkei writes.
pub fn unnamed_in(dir: &Path) -> std::io::Result<std::fs::File> {
    let file = tempfile::tempfile_in(dir)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}
