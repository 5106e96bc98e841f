//! Writing a file the user names (`export --out FILE`, the TUI's export into its folder) so
//! that no output destroys anything or hangs: never over the cppo file the command has open (or its `-wal` / `-shm` / `-journal`),
//! never through a symbolic link, never into a FIFO or a device, never over an existing file
//! without `--force`, and never half-written (a temporary file beside the target, renamed
//! into place once complete). A new file is readable by its owner alone (0600), as the cppo
//! file is; a replaced one keeps its permissions.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail};

/// The files SQLite keeps beside a database, which hold its latest writes.
const JOURNALS: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Where a command may write, and what it must leave alone.
pub struct Target<'a> {
    /// As the user gave it.
    pub path: &'a Path,
    /// Replace an existing regular file.
    pub force: bool,
    /// The cppo file this command has open.
    pub database: &'a Path,
}

/// What a file that is not a regular one is, for messages.
pub fn kind(m: &Metadata) -> &'static str {
    if m.is_dir() {
        "a directory"
    } else if m.file_type().is_symlink() {
        "a symbolic link"
    } else {
        "a FIFO, socket or device"
    }
}

/// Writes `body` to the target; answers the absolute path written. On a refusal or an error
/// the target is as it was and no temporary file is left.
pub fn write(target: &Target, body: &[u8]) -> anyhow::Result<PathBuf> {
    let path = target.path;
    let shown = path.display();
    let name = path.file_name().ok_or_else(|| anyhow!("`{shown}` names no file: give a file name"))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = dir.canonicalize().map_err(|e| anyhow!("cannot write {shown}: its folder: {e}"))?;
    let at = dir.join(name);
    if is_database(&at, target.database) {
        bail!(
            "{shown} is the cppo file this command has open (or its journal): writing there would destroy it; pick another name"
        );
    }
    // Looked at without following a link: a link is refused, not written through.
    let existing = match fs::symlink_metadata(&at) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => bail!("cannot write {shown}: {e}"),
    };
    if let Some(m) = &existing {
        if !m.is_file() {
            bail!("{shown} is not a regular file ({}): name a new file or a regular one", kind(m));
        }
        if !target.force {
            bail!("{shown} already exists: pass --force to replace it, or name another file");
        }
    }
    let (tmp, mut file) = temporary(&dir, name)?;
    // A replaced file keeps who may read it, from before its new contents are written.
    let written = match &existing {
        Some(m) => file.set_permissions(m.permissions()),
        None => Ok(()),
    }
    .and_then(|()| file.write_all(body))
    .and_then(|()| file.sync_all())
    .and_then(|()| fs::rename(&tmp, &at));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        bail!("cannot write {shown}: {e}");
    }
    Ok(at)
}

/// A new, empty file beside the target (`.NAME.PID.tmp`), made by this process alone.
fn temporary(dir: &Path, name: &std::ffi::OsStr) -> anyhow::Result<(PathBuf, File)> {
    let name = name.to_string_lossy();
    let pid = std::process::id();
    for n in 0..100 {
        let tmp = dir.join(format!(".{name}.{pid}-{n}.tmp"));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        // A change set holds wholesale prices: readable by its owner alone, as the cppo file is.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        match opts.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => bail!("cannot write in {}: {e}", dir.display()),
        }
    }
    bail!("cannot write in {}: too many leftover temporary files named .{name}.{pid}-*.tmp", dir.display())
}

/// `at` (an absolute path whose folder is resolved) is the database or one of its journals,
/// by name (the database's path as given, and through any link to the file SQLite opened),
/// or is the database file itself under another name (a hard link, or a link to it).
fn is_database(at: &Path, database: &Path) -> bool {
    let given = database
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .canonicalize()
        .ok()
        .zip(database.file_name())
        .map(|(dir, name)| dir.join(name));
    let real = database.canonicalize().ok();
    let named = [given, real].into_iter().flatten().any(|base| {
        JOURNALS.iter().any(|suffix| {
            let mut journal = base.clone().into_os_string();
            journal.push(suffix);
            Path::new(&journal) == at
        })
    });
    named || same_file(at, database)
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}
