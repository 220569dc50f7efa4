//! Files that hold personal information: owner-only by default, group read/write (never world)
//! when the database lives in a setgid directory that a section shares.

use std::fs;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Result, StoreError, Trouble};

/// The modes renkei gives the files and directories it creates in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileModes {
    pub file: u32,
    pub dir: u32,
}

const PRIVATE: FileModes = FileModes {
    file: 0o600,
    dir: 0o700,
};
const SHARED: FileModes = FileModes {
    file: 0o660,
    dir: 0o2770,
};

/// Private, unless `dir` is a setgid directory (the way a Unix group shares one) of a group the
/// user belongs to. A setgid directory of another group would hand the files to strangers.
pub fn file_modes_for(dir: &Path) -> FileModes {
    match fs::metadata(dir) {
        Ok(meta)
            if meta.is_dir()
                && meta.permissions().mode() & 0o2000 != 0
                && is_my_group(meta.gid()) =>
        {
            SHARED
        }
        _ => PRIVATE,
    }
}

/// Whether `gid` is the process's group or one of its supplementary groups.
pub fn is_my_group(gid: u32) -> bool {
    use nix::unistd::{Gid, getegid, getgid, getgroups};
    let gid = Gid::from_raw(gid);
    gid == getgid() || gid == getegid() || getgroups().is_ok_and(|groups| groups.contains(&gid))
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Where a symbolic link `path` leads when the file it names is not made yet (an admin points
/// the team's agreed path at the data volume before the first start): that file, to be made
/// there — in a directory that exists, never one made where a volume is not mounted yet. `None`
/// when `path` is no such link.
fn dangling_target(path: &Path) -> Result<Option<PathBuf>> {
    let is_link = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link(path) || fs::metadata(path).is_ok() {
        return Ok(None);
    }
    let mut at = path.to_owned();
    for _ in 0..40 {
        if !is_link(&at) {
            break;
        }
        let next = fs::read_link(&at).map_err(io_err(path))?;
        at = match at.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    let dir = match at.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    // Still a link after forty (a link to itself, two to each other): it goes round.
    if !dir.is_dir() || fs::symlink_metadata(&at).is_ok() {
        return Err(crate::i18n::Msg::new("db_link_leads_nowhere")
            .with("path", path.display())
            .with("target", at.display())
            .into());
    }
    Ok(Some(at))
}

/// Creates the database's directory and an empty database file with the right modes, so that
/// SQLite never creates it with the umask's (often world-readable) default.
pub(super) fn prepare(path: &Path) -> Result<FileModes> {
    let target = dangling_target(path)?;
    let path = target.as_deref().unwrap_or(path);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::env::current_dir().map_err(io_err(path))?,
    };
    if !dir.exists() {
        create_private_dir(&dir)?;
    }
    let modes = file_modes_for(&dir);
    match fs::metadata(path) {
        Err(_) => drop(create_file(path, modes.file)?),
        // An empty file (`touch`ed by an admin or a script, left by an editor) becomes the
        // database: with the mode a new one gets, never the umask's world-readable one.
        Ok(meta) if meta.is_file() && meta.len() == 0 => {
            fs::set_permissions(path, fs::Permissions::from_mode(modes.file))
                .map_err(io_err(path))?;
        }
        Ok(_) => {}
    }
    Ok(modes)
}

/// The hidden copy a process writes `name` into before putting it in place: `.NAME.PID.renkei-KIND`
/// beside it (KIND `backup` or `tmp`); a suffix of renkei's own, so that what a killed run left
/// is known as renkei's whatever the name it was writing.
pub(crate) fn hidden_copy(dir: &Path, name: &str, kind: &str) -> std::path::PathBuf {
    dir.join(format!(".{name}.{}.renkei-{kind}", std::process::id()))
}

/// Removes what a process killed while writing in `dir` left there: its hidden copy
/// ([`hidden_copy`], and SQLite's `-journal` of it) whose process is gone — a partial copy of the
/// confidential records beside the backup or the export, seen by nobody who rotates or deletes
/// them (attack report 7, finding 29) — whatever name it was writing: backups and exports are
/// named by date, and the next run writes another (attack report 8, finding 6). The hidden
/// copies of older renkei (`.NAME.PID.KIND`, a suffix others use too) are removed for `name`
/// alone. A copy of a process still running is left to it; one that cannot be removed (another
/// user's) is left as it is.
pub(crate) fn remove_stale(dir: &Path, name: &str, kind: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let ours = format!(".renkei-{kind}");
    let older = format!(".{name}.");
    let gone = |pid: &str| {
        pid.parse::<u32>().is_ok_and(|pid| {
            pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
        })
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(hidden) = file.to_str().and_then(|f| f.strip_prefix('.')) else {
            continue;
        };
        // SQLite's files beside the copy: its journal, and the -wal and -shm a copy left by a
        // killed backup may have (attack report 9, finding 12).
        let unjournaled = ["-journal", "-wal", "-shm"]
            .iter()
            .find_map(|s| hidden.strip_suffix(s))
            .unwrap_or(hidden);
        let stale = match unjournaled.strip_suffix(ours.as_str()) {
            Some(rest) => rest.rsplit_once('.').is_some_and(|(_, pid)| gone(pid)),
            None => file
                .to_str()
                .and_then(|f| f.strip_prefix(&older))
                .and_then(|rest| rest.split_once('.'))
                .is_some_and(|(pid, end)| {
                    (end == kind || end.strip_prefix(kind) == Some("-journal")) && gone(pid)
                }),
        };
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Creates `dir` and its missing parents so that only the owner can enter the new directories —
/// or, below a directory its group shares, so that they are shared alike (2770): a team's
/// database in a new subdirectory stays the team's.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let mut existing = Some(dir);
    while let Some(d) = existing.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d);
        existing = d.parent();
    }
    let base = match existing {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let modes = file_modes_for(base);
    for d in missing.into_iter().rev() {
        match fs::DirBuilder::new().mode(modes.dir & 0o777).create(d) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => continue,
            Err(e) => return Err(io_err(d)(e)),
        }
        fs::set_permissions(d, fs::Permissions::from_mode(modes.dir)).map_err(io_err(d))?;
    }
    Ok(())
}

/// The databases this process opened (absolute paths): no output may be written onto them.
static DATABASES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The files that make up the database at `db`: itself and the journals SQLite keeps beside it.
const DATABASE_FILES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Remembers that this process uses the database at `path`, so that [`refuse_database`] keeps
/// every output off it.
pub(super) fn protect(path: &Path) {
    let Ok(path) = std::path::absolute(path) else {
        return;
    };
    if let Ok(mut list) = DATABASES.lock()
        && !list.contains(&path)
    {
        list.push(path);
    }
}

/// The name `path` has once its directory's symbolic links are resolved (the file itself may not
/// exist yet).
fn resolved_name(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let dir = fs::canonicalize(absolute.parent()?).ok()?;
    Some(dir.join(absolute.file_name()?))
}

/// Refuses an output onto a database this process uses, its `-wal`, `-shm` or journal, or a hard
/// or symbolic link to one of them: the same file (device and inode) or, for a file that does not
/// exist yet, the same name.
fn refuse_own_database(target: &Path) -> Result<()> {
    let databases = DATABASES.lock().map(|l| l.clone()).unwrap_or_default();
    // Followed through symbolic links, and the link itself.
    let target_meta = [fs::metadata(target).ok(), fs::symlink_metadata(target).ok()];
    let target_names = [
        resolved_name(target),
        fs::canonicalize(target).ok(),
        fs::read_link(target)
            .ok()
            .and_then(|link| resolved_name(&target.parent().unwrap_or(Path::new(".")).join(link))),
    ];
    for db in &databases {
        for suffix in DATABASE_FILES {
            let file = with_suffix(db, suffix);
            let hit_file = fs::metadata(&file)
                .ok()
                .is_some_and(|m| target_meta.iter().flatten().any(|t| same_file(t, &m)));
            let file_name = resolved_name(&file);
            let hit_name = file_name.is_some()
                && target_names
                    .iter()
                    .flatten()
                    .any(|t| Some(t) == file_name.as_ref());
            if hit_file || hit_name {
                return Err(StoreError::File(Trouble::ThisDatabase {
                    target: target.to_owned(),
                    database: file,
                }));
            }
        }
    }
    Ok(())
}

/// Refuses an output onto any database: the one this process uses (see above), any SQLite
/// database (its first bytes are SQLite's header), an SQLite journal, and a file with a journal
/// beside it (a database someone has open, or one left in the middle of a write) — also through
/// links. Every writer of files calls it before it writes anything; the refusal names the file
/// asked for, and nothing is written.
pub fn refuse_database(target: &Path) -> Result<()> {
    refuse_output(target, |_| false)
}

/// The file standard output goes to, when it is the database `db` (or its `-wal`, `-shm` or
/// journal: the same device and inode), or any file [`refuse_database`] keeps outputs off (an
/// SQLite database, a journal, a file with a journal beside it): `renkei export >> renkei.db`
/// — the shell opened the file, not renkei, so no `-o` check sees it, and the output would be
/// appended onto the database. `None` for a terminal, a pipe, `/dev/null` or any other file.
/// The name is the one the system gives the open file (`/proc/self/fd/1`), else the
/// database's file it is.
pub fn stdout_database(db: &Path) -> Option<PathBuf> {
    use std::os::fd::AsFd;
    // inert: only looked at (fstat), nothing is printed
    let fd = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
    let meta = fs::File::from(fd).metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let name = fs::read_link("/proc/self/fd/1")
        .ok()
        .filter(|p| p.is_absolute() && fs::metadata(p).is_ok_and(|m| same_file(&m, &meta)));
    for suffix in DATABASE_FILES {
        let file = with_suffix(db, suffix);
        if fs::metadata(&file).is_ok_and(|m| same_file(&m, &meta)) {
            return Some(name.unwrap_or(file));
        }
    }
    name.filter(|name| refuse_database(name).is_err())
}

/// The same file: the same device and inode.
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// As [`refuse_database`], except that an SQLite database nobody has open may be replaced when
/// `may_replace` says so (a backup replacing an earlier backup of the same database).
pub(super) fn refuse_output(target: &Path, may_replace: impl Fn(&Path) -> bool) -> Result<()> {
    refuse_own_database(target)?;
    match any_database(target) {
        Some(Trouble::Database { .. }) if may_replace(target) => Ok(()),
        Some(trouble) => Err(StoreError::File(trouble)),
        None => Ok(()),
    }
}

/// SQLite's journals: the write-ahead log, its shared memory, the rollback journal.
const JOURNALS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// The first 16 bytes of every SQLite database.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// What makes `target` a database or part of one, if anything.
fn any_database(target: &Path) -> Option<Trouble> {
    let mut names: Vec<PathBuf> = Vec::new();
    names.extend(std::path::absolute(target).ok());
    names.extend(fs::canonicalize(target).ok());
    for name in &names {
        for suffix in JOURNALS {
            let journal = with_suffix(name, suffix);
            if fs::symlink_metadata(&journal).is_ok() {
                return Some(Trouble::InUse {
                    target: target.to_owned(),
                    journal,
                });
            }
        }
    }
    // A file that does not exist yet may still be named as a journal (below).
    let head = first_bytes(target).unwrap_or_default();
    if head.starts_with(SQLITE_HEADER) {
        return Some(Trouble::Database {
            target: target.to_owned(),
        });
    }
    // The journal of a database, by its name beside the database (an empty file too: a new
    // database whose first write was cut short is empty beside its journal) or by its own
    // header (a WAL begins 0x377f0682 or 0x377f0683, a rollback journal d9d505f920a163d7).
    let database = names.iter().find_map(|name| {
        JOURNALS.iter().find_map(|suffix| {
            let base = name.to_str()?.strip_suffix(suffix)?;
            let is_db = first_bytes(Path::new(base))
                .is_some_and(|h| h.is_empty() || h.starts_with(SQLITE_HEADER));
            is_db.then(|| PathBuf::from(base))
        })
    });
    let journal_header = head.starts_with(&[0x37, 0x7f, 0x06, 0x82])
        || head.starts_with(&[0x37, 0x7f, 0x06, 0x83])
        || head.starts_with(&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
    (database.is_some() || journal_header).then(|| Trouble::Journal {
        target: target.to_owned(),
        database,
    })
}

/// The first 16 bytes of a regular file (through links), or `None` when it is no such file.
/// Opened without waiting, so that a FIFO is never waited on.
fn first_bytes(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
        .ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut head = Vec::with_capacity(16);
    file.take(16).read_to_end(&mut head).ok()?;
    Some(head)
}

/// `path` with `suffix` added to its name (`x.db` → `x.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates a new empty file with exactly `mode`, whatever the umask.
pub fn create_file(path: &Path, mode: u32) -> Result<fs::File> {
    refuse_own_database(path)?;
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(io_err(path))?;
    file.set_permissions(fs::Permissions::from_mode(mode))
        .map_err(io_err(path))?;
    Ok(file)
}

/// A file in `dir` with no name, of `mode` (Linux's O_TMPFILE: it vanishes with the process
/// unless linked); `None` where the file system or the kernel has none (FAT, an old overlay)
/// or /proc is missing, and the caller writes a named hidden copy instead.
pub(super) fn unnamed_file(dir: &Path, mode: u32) -> Option<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Named through /proc ([`name_unnamed`]): without it (a container without /proc) the
    // file could be written and never named.
    if !Path::new("/proc/self/fd").is_dir() {
        return None;
    }
    let file = fs::OpenOptions::new()
        .write(true)
        .custom_flags(nix::libc::O_TMPFILE)
        .mode(mode)
        .open(dir)
        .ok()?;
    // The mode asked for whatever the umask says, as [`create_file`] makes it.
    file.set_permissions(fs::Permissions::from_mode(mode))
        .ok()?;
    Some(file)
}

/// Gives the unnamed `file` its name: linked as `tmp` (through /proc, as the kernel allows
/// without privileges), then renamed over `path` in one step.
pub(super) fn name_unnamed(file: &fs::File, tmp: &Path, path: &Path) -> std::io::Result<()> {
    link_unnamed(file, tmp)?;
    fs::rename(tmp, path)
}

/// Links the unnamed `file` as `path` (through /proc); fails if `path` exists.
pub(super) fn link_unnamed(file: &fs::File, path: &Path) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let proc_fd = format!("/proc/self/fd/{}", file.as_raw_fd());
    nix::unistd::linkat(
        None,
        Path::new(&proc_fd),
        None,
        path,
        nix::fcntl::AtFlags::AT_SYMLINK_FOLLOW,
    )
    .map_err(std::io::Error::from)
}

/// SQLite gives `-wal` and `-shm` the database's mode; make sure of it. A sidecar of ours left
/// read-only (after the database was once 0400) would keep the database read-only: it gets the
/// owner's write back too.
pub(super) fn restrict_sidecars(path: &Path, modes: FileModes) -> Result<()> {
    for suffix in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let sidecar = Path::new(&name);
        if let Ok(meta) = fs::metadata(sidecar) {
            let mode = meta.permissions().mode() & 0o777;
            let read_only = mode & 0o200 == 0 && meta.uid() == nix::unistd::getuid().as_raw();
            if mode & !modes.file != 0 || read_only {
                fs::set_permissions(sidecar, fs::Permissions::from_mode(modes.file))
                    .map_err(io_err(sidecar))?;
            }
        }
    }
    Ok(())
}

/// Writes a whole file atomically (a temporary file beside it, then a rename), readable by its
/// owner only (or the group, in a shared setgid directory): exports and minutes hold personal
/// information, and a reader never sees half a file.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_private_with(path, |out| {
        out.write_all(bytes).map_err(output_err(path))?;
        Ok(())
    })
}

/// An output that could not be written, named as the user asked for it (never the hidden
/// temporary file it is first written to).
pub(super) fn output_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| {
        StoreError::File(Trouble::Output {
            path: path.to_owned(),
            source,
        })
    }
}

/// An error about a file renkei writes on the way to `path`, said of `path`.
pub(super) fn as_output(path: &Path, e: StoreError) -> StoreError {
    match e {
        StoreError::Io { source, .. } => output_err(path)(source),
        other => other,
    }
}

/// [`write_private_with`] for a writer whose own error (anyhow's: a busy database while its
/// rows are read, a cell Excel cannot hold) comes back as it was, not as text.
pub fn write_private_as(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut failed = None;
    let written = write_private_with(path, |w| {
        write(w).map_err(|e| {
            let said = StoreError::Invalid(format!("{e:#}"));
            failed = Some(e);
            said
        })
    });
    match (written, failed) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(e.into()),
    }
}

/// As [`write_private`], the content written by `write` as it goes (an export of the whole
/// database is not held in memory first).
pub fn write_private_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
) -> Result<()> {
    refuse_database(path)?;
    // `-o out/`: the name ends with a slash, so it names a directory, never a file (its parent
    // was taken as `.`, and the refusal said ". is not a directory"; attack report 12, finding 3).
    if path.as_os_str().as_encoded_bytes().ends_with(b"/") {
        if path.is_dir() {
            return Err(output_err(path)(std::io::ErrorKind::IsADirectory.into()));
        }
        return Err(crate::i18n::Msg::new("not_a_file_name")
            .with("path", path.display())
            .into());
    }
    // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO a reader waits on) is written
    // into, never replaced: renaming the finished file over it put a private regular file where
    // /dev/null was, for every program of the machine (seen here, as root).
    if let Ok(meta) = fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        let file = fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(output_err(path))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out).map_err(|e| as_output(path, e))?;
        return std::io::Write::flush(&mut out).map_err(output_err(path));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => Path::new(".").to_owned(),
    };
    let modes = file_modes_for(&dir);
    let Some(name) = path.file_name() else {
        return Err(crate::i18n::Msg::new("not_a_file_name")
            .with("path", path.display())
            .into());
    };
    remove_stale(&dir, &name.to_string_lossy(), "tmp");
    let tmp = hidden_copy(&dir, &name.to_string_lossy(), "tmp");
    // Written unnamed where the file system can (Linux's O_TMPFILE), named only once whole: a
    // process killed while writing (kill -9, the machine off) leaves nothing, where a named
    // copy — the records, unredacted, part-written — stayed hidden beside the target until the
    // next output into that folder (attack of 2026-12-05, round 30, finding 7).
    if let Some(file) = unnamed_file(&dir, modes.file) {
        let result = (|| {
            let mut out = std::io::BufWriter::new(file);
            write(&mut out)?;
            let file = out
                .into_inner()
                .map_err(|e| output_err(path)(e.into_error()))?;
            file.sync_all().map_err(output_err(path))?;
            name_unnamed(&file, &tmp, path).map_err(output_err(path))
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        return result.map_err(|e| as_output(path, e));
    }
    let result = create_file(&tmp, modes.file).and_then(|file| {
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| output_err(path)(e.into_error()))?;
        file.sync_all()
            .and_then(|()| fs::rename(&tmp, path))
            .map_err(output_err(path))
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(|e| as_output(path, e))
}
