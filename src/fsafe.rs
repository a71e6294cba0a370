//! Which files below the data root `cohort` opens, and how.
//!
//! One rule for every command (see docs/guarantees.md, "Links, special
//! files and sizes"):
//! - a path below the root is used only when none of its parts below the
//!   root is a symbolic link: a linked cohort folder, `attendance/` folder,
//!   log, `practicum.csv`, `cohort.toml`, `curriculum.toml` or register is
//!   refused, whether the link points inside the root or outside it (the
//!   root itself may be reached through a link);
//! - only regular files are read or appended to: a FIFO, a device or a
//!   folder under a file's name is refused without opening it (and files
//!   are opened with `O_NONBLOCK`, so one swapped in meanwhile cannot hang);
//! - a file larger than [`MAX_FILE_BYTES`] is refused with a message
//!   instead of being read.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The largest file read: 64 MiB. A webinar log is a few kilobytes, a
/// practicum log or a register of 100,000 certificates about 10 MiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a path below the root is not used.
#[derive(Debug)]
pub enum Refusal {
    /// `part` (relative to the root) is a symbolic link.
    Link(String),
    /// The file is a FIFO, device, socket or folder.
    NotRegular(&'static str),
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge(u64),
    Io(io::Error),
}

impl Refusal {
    /// The message for a diagnostic on `rel`.
    pub fn message(&self, rel: &str) -> String {
        match self {
            Refusal::Link(part) if part == rel => {
                "is a symbolic link; cohort does not follow links below the data root".to_string()
            }
            Refusal::Link(part) => format!(
                "is inside {part}, which is a symbolic link; cohort does not follow links below the data root"
            ),
            Refusal::NotRegular(kind) => format!("is {kind}, not a regular file; it is not read"),
            Refusal::TooLarge(len) => format!(
                "is {} MiB; cohort reads files of at most {} MiB",
                len.div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            Refusal::Io(e) => format!("cannot be read: {e}"),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Refusal::Link(_) => Some(
                "replace the link by the real file or folder (e.g. `cp -r --remove-destination`), inside the data root",
            ),
            Refusal::NotRegular(_) => Some("remove it, or replace it by the real file"),
            Refusal::TooLarge(_) => Some(
                "this is far larger than any real log; check what the file holds, and split or repair it",
            ),
            Refusal::Io(_) => None,
        }
    }
}

fn kind_of(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

/// Checks that no part of `rel` below `root` is a symbolic link. `Ok(None)`
/// when the path (or a folder on the way) does not exist, else the final
/// part's metadata (not followed).
pub fn no_links(root: &Path, rel: &str) -> Result<Option<Metadata>, Refusal> {
    let mut path = root.to_path_buf();
    let mut so_far = String::new();
    let mut meta = None;
    for part in rel.split('/').filter(|p| !p.is_empty()) {
        if part == ".." || part == "." {
            return Err(Refusal::Link(rel.to_string()));
        }
        path.push(part);
        if !so_far.is_empty() {
            so_far.push('/');
        }
        so_far.push_str(part);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return Err(Refusal::Link(so_far)),
            Ok(m) => meta = Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(None),
            Err(e) => return Err(Refusal::Io(e)),
        }
    }
    Ok(meta)
}

/// Opens `path` for reading without following a final link and without
/// blocking on a FIFO; refuses anything but a regular file.
pub fn open_regular(path: &Path) -> Result<File, Refusal> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => Refusal::Link(String::new()),
            _ => Refusal::Io(e),
        })?;
    let meta = file.metadata().map_err(Refusal::Io)?;
    if !meta.is_file() {
        return Err(Refusal::NotRegular(kind_of(&meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(meta.len()));
    }
    Ok(file)
}

/// Reads `rel` below `root` whole, by the rule above. `Ok(None)` when it
/// does not exist.
pub fn read(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, Refusal> {
    let Some(meta) = no_links(root, rel)? else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Err(Refusal::NotRegular(kind_of(&meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(meta.len()));
    }
    let file = match open_regular(&root.join(rel)) {
        Ok(f) => f,
        Err(Refusal::Link(_)) => return Err(Refusal::Link(rel.to_string())),
        Err(Refusal::Io(e)) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // A file that grows while it is read is still read no further than the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(Some(bytes))
}

/// A folder below the root that is a symbolic link, for listings that
/// would otherwise skip it in silence.
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// A file named on the command line (a roster, a timesheet, a meeting
/// report): a link is followed, since the person named it, but only a
/// regular file of at most [`MAX_FILE_BYTES`] is read, and a FIFO never
/// makes the command wait.
pub fn read_named(path: &Path) -> io::Result<Vec<u8>> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(format!(
            "it is {}, not a regular file",
            kind_of(&meta)
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(io::Error::other(format!(
            "it is larger than {} MiB",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io::Error::other(
            "it grew larger than the limit while it was read",
        ));
    }
    Ok(bytes)
}
