//! An SQLite database written into a file that has no name (Linux's `O_TMPFILE`), for a backup:
//! a process killed while it copies (`kill -9`, the machine off) leaves nothing in the folder,
//! where a named hidden copy — the whole database, names and all — stayed beside the target
//! (attack of 2026-12-05, round 32a finding 1, round 32b finding 6).
//!
//! SQLite opens a database by name, and its `unix` VFS makes every name absolute by following
//! symbolic links: `/proc/self/fd/N` of an unnamed file became `/dir/#123 (deleted)`, which it
//! could not open; and it opens every file with `O_NOFOLLOW`, which refuses that link. The VFS
//! registered here is SQLite's own `unix` VFS with such a name kept as it is, and SQLite's
//! `open` lets such a name be followed (for every VFS of the `unix` family: the default one
//! never opens such a name, it resolves it first), so that SQLite opens the unnamed file. SQLite keeps no file
//! beside it: the copy is written without a rollback journal (a copy cut short is thrown away
//! whole, with the process) and read back for its check as immutable (no `-wal`, no `-shm`).

use rusqlite::{Connection, OpenFlags, ffi};
use std::ffi::{CStr, c_char, c_int};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::sync::OnceLock;

/// The VFS's name, as a connection asks for it.
const VFS: &str = "renkei-unnamed";
const VFS_NAME: &CStr = c"renkei-unnamed";

/// The names kept as they are: an open file of this process.
const OPEN_FILE: &[u8] = b"/proc/self/fd/";

type FullPathname =
    unsafe extern "C" fn(*mut ffi::sqlite3_vfs, *const c_char, c_int, *mut c_char) -> c_int;

/// The `unix` VFS's own `xFullPathname`, for every other name.
static UNIX_FULL_PATHNAME: OnceLock<FullPathname> = OnceLock::new();

type Open = unsafe extern "C" fn(*const c_char, c_int, c_int) -> c_int;

/// SQLite's own `open`, for every other name.
static UNIX_OPEN: OnceLock<Open> = OnceLock::new();

/// SQLite's `open`: `/proc/self/fd/N` followed to the file it is, any other name as SQLite
/// opens it.
unsafe extern "C" fn open_file(name: *const c_char, flags: c_int, mode: c_int) -> c_int {
    // SAFETY: SQLite passes a NUL-terminated name.
    let flags = if unsafe { CStr::from_ptr(name) }
        .to_bytes()
        .starts_with(OPEN_FILE)
    {
        flags & !nix::libc::O_NOFOLLOW
    } else {
        flags
    };
    match UNIX_OPEN.get() {
        // SAFETY: SQLite's own `open`, called as SQLite calls it.
        Some(open) => unsafe { open(name, flags, mode) },
        None => -1,
    }
}

/// SQLite's `xFullPathname`: `/proc/self/fd/N` as it is, any other name as `unix` makes it.
unsafe extern "C" fn full_pathname(
    vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    n_out: c_int,
    out: *mut c_char,
) -> c_int {
    // SAFETY: SQLite passes a NUL-terminated name and a buffer of `n_out` bytes.
    let given = unsafe { CStr::from_ptr(name) }.to_bytes_with_nul();
    if given.starts_with(OPEN_FILE) {
        if usize::try_from(n_out).is_ok_and(|n| given.len() <= n) {
            // SAFETY: `out` holds at least `given.len()` bytes (checked above); the two never
            // overlap (SQLite's own buffer).
            unsafe { std::ptr::copy_nonoverlapping(name, out, given.len()) };
            return ffi::SQLITE_OK;
        }
        return ffi::SQLITE_CANTOPEN;
    }
    match UNIX_FULL_PATHNAME.get() {
        // SAFETY: the `unix` VFS's function, called as SQLite calls it.
        Some(unix) => unsafe { unix(vfs, name, n_out, out) },
        None => ffi::SQLITE_CANTOPEN,
    }
}

/// Registers the VFS once (not as the default); false when SQLite has no `unix` VFS to copy.
fn registered() -> bool {
    static DONE: OnceLock<bool> = OnceLock::new();
    *DONE.get_or_init(|| {
        // SAFETY: `sqlite3_vfs_find` initialises SQLite and returns a registered VFS, which
        // lives as long as the process; the copy is leaked, as SQLite keeps a pointer to it.
        unsafe {
            let unix = ffi::sqlite3_vfs_find(c"unix".as_ptr());
            if unix.is_null() {
                return false;
            }
            let mut ours = *unix;
            let Some(theirs) = ours.xFullPathname else {
                return false;
            };
            let (Some(get), Some(set)) = (ours.xGetSystemCall, ours.xSetSystemCall) else {
                return false;
            };
            let Some(open) = get(unix, c"open".as_ptr()) else {
                return false;
            };
            // SQLite keeps its system calls as `void (*)(void)` and calls `open` as
            // `int (*)(const char*, int, int)`.
            let _ = UNIX_OPEN.set(std::mem::transmute::<unsafe extern "C" fn(), Open>(open));
            let ours_open = std::mem::transmute::<Open, unsafe extern "C" fn()>(open_file);
            if set(unix, c"open".as_ptr(), Some(ours_open)) != ffi::SQLITE_OK {
                return false;
            }
            let _ = UNIX_FULL_PATHNAME.set(theirs);
            ours.zName = VFS_NAME.as_ptr();
            ours.pNext = std::ptr::null_mut();
            ours.xFullPathname = Some(full_pathname);
            ffi::sqlite3_vfs_register(Box::into_raw(Box::new(ours)), 0) == ffi::SQLITE_OK
        }
    })
}

/// Opens the unnamed `file` as a database: `read_only` as it is (immutable), else to be
/// written without a journal. `None` where this SQLite cannot (no `unix` VFS, no /proc).
pub(super) fn open(file: &File, read_only: bool) -> Option<rusqlite::Result<Connection>> {
    if !registered() || !std::path::Path::new("/proc/self/fd").is_dir() {
        return None;
    }
    let name = format!("/proc/self/fd/{}", file.as_raw_fd());
    let opened = if read_only {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        Connection::open_with_flags_and_vfs(format!("file:{name}?immutable=1"), flags, VFS)
    } else {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Connection::open_with_flags_and_vfs(&name, flags, VFS).and_then(|conn| {
            // A journal would be made beside the name, where /proc allows no file.
            conn.pragma_update_and_check(None, "journal_mode", "OFF", |r| r.get::<_, String>(0))?;
            Ok(conn)
        })
    };
    Some(opened)
}
