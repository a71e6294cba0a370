//! Safe-write primitives: every change cohort makes to a records file goes
//! through here, so that no record is ever lost or garbled, whatever runs at the
//! same time (other cohort processes, a spreadsheet, an editor) and wherever a
//! crash or power cut strikes.
//!
//! * CSV logs are only ever appended to, under an exclusive lock on the file,
//!   with one `write_all` on an `O_APPEND` handle and an fsync before success is
//!   reported. The log is opened through its folder, held open
//!   (`crate::fsafe::Folder`), so no link on its path is followed.
//! * Whole-file rewrites (TOML files) go through a temp file in the same folder
//!   and a rename, so a reader or a crash sees either the old or the new file.
//!   Read-modify-write edits hold a lock on the folder from the read to the
//!   rename, so concurrent edits serialise instead of overwriting each other.
//!
//! Error messages name the path exactly as the caller passed it and say what
//! went wrong in plain words; they never mention temp files or resolved paths.
//!
//! Rooms: `lock` (the exclusive lock on a log), `append` (what an append
//! writes, and [`LockedLog`]), `atomic` (temp file and rename), `toml`
//! (read-modify-write of a TOML file under a folder lock).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

mod append;
mod atomic;
mod lock;
#[cfg(test)]
mod tests;
mod toml;

pub use append::LockedLog;
pub use atomic::{create_atomically, replace_atomically};
pub use toml::{EditLock, edit_toml};

/// Something went wrong reading or writing a records file.
///
/// Each message is complete on its own (it names the file and the cause), so
/// the variants carry no `source` chain that would repeat it.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The operating system refused an operation.
    #[error("could not {action} {}: {}", shown_path(.path), describe(.error))]
    Io {
        path: PathBuf,
        /// What we were doing, as a verb phrase ("open", "write to", …).
        action: &'static str,
        error: io::Error,
    },
    /// Refused rather than guessed at: decoding it wrongly would garble records.
    #[error(
        "{} is not UTF-8 text; if a spreadsheet saved it, save it again as \"CSV UTF-8\"",
        shown_path(.path)
    )]
    NotUtf8 { path: PathBuf },
    /// A value would have nowhere to go; silently dropping it would lose data.
    #[error(
        "{} has no column \"{column}\", so its value cannot be written; add the column to the first line of the file and try again",
        shown_path(.path)
    )]
    MissingColumn { path: PathBuf, column: String },
    #[error(
        "{} has the column \"{column}\" more than once in its first line, so it is unclear where to write",
        shown_path(.path)
    )]
    DuplicateColumn { path: PathBuf, column: String },
    #[error(
        "{} does not start with a line of column names",
        shown_path(.path)
    )]
    NoHeader { path: PathBuf },
    /// The file ends in the middle of a row (an interrupted write, or a hand
    /// edit). Appending would glue the new row onto it, so we stop instead.
    #[error(
        "the last line of {} is incomplete ({detail}); an earlier write may have been interrupted. Check that line, complete or delete it, then try again",
        shown_path(.path)
    )]
    IncompleteLastRow { path: PathBuf, detail: String },
    #[error("{} already exists", shown_path(.path))]
    AlreadyExists { path: PathBuf },
    /// A caller bug: a record does not match the field list.
    #[error(
        "a row for {} has {found} cells but {expected} columns were named",
        shown_path(.path)
    )]
    WrongCellCount {
        path: PathBuf,
        expected: usize,
        found: usize,
    },
    /// Another program swapped the file for a new one while we held the old one.
    #[error(
        "{} was replaced by another program while cohort was writing to it; try again",
        shown_path(.path)
    )]
    Replaced { path: PathBuf },
}

/// Failure of [`edit_toml`]: the file could not be read or written, it is not
/// valid TOML, or the caller's edit refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError<E> {
    #[error(transparent)]
    Io(#[from] WriteError),
    #[error("could not read {} as TOML: {message}", shown_path(.path))]
    Parse { path: PathBuf, message: String },
    #[error("{0}")]
    Edit(E),
}

/// The data root, so that messages name files relative to it.
static DISPLAY_ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Messages from here name paths relative to `root` (set once, by the command line).
pub fn set_display_root(root: &Path) {
    let _ = DISPLAY_ROOT.set(root.to_path_buf());
}

/// `path` relative to the data root when it is below it, else as given.
pub fn shown_path(path: &Path) -> String {
    let rel = DISPLAY_ROOT
        .get()
        .and_then(|root| path.strip_prefix(root).ok())
        .unwrap_or(path);
    crate::text::shown(&rel.display().to_string()).into_owned()
}

/// Plain words for the errors people can act on; the OS text otherwise.
fn describe(error: &io::Error) -> String {
    use io::ErrorKind::*;
    match error.kind() {
        NotFound => "it or its folder does not exist".into(),
        PermissionDenied => "permission denied".into(),
        StorageFull => "the disk is full".into(),
        QuotaExceeded => "the disk quota is used up".into(),
        ReadOnlyFilesystem => "the disk is read-only".into(),
        IsADirectory => "it is a folder, not a file".into(),
        NotADirectory => "part of the path is a file, not a folder".into(),
        _ => error.to_string(),
    }
}

fn io_err(path: &Path, action: &'static str) -> impl FnOnce(io::Error) -> WriteError {
    let path = path.to_path_buf();
    move |error| WriteError::Io {
        path,
        action,
        error,
    }
}

/// The folder holding `path`; `.` for a bare file name.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Make a new directory entry durable: without this a crash can forget a
/// freshly created or renamed file even though its data was fsynced.
fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}
