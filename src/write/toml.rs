//! Read-modify-write of a TOML file: a lock on its folder from the read to
//! the atomic replace, and toml_edit, which keeps comments and layout.

use std::fs::{self, File};
use std::path::Path;

use super::{EditError, WriteError, folder_of, io_err, replace_atomically};

/// A lock that serialises read-modify-write edits of one file that is replaced
/// by rename (so the file's own inode cannot carry the lock: a waiter would
/// hold a lock on the old, renamed-away file).
///
/// It locks the file's folder (flock works on directory handles on Linux), so
/// no lock files appear in the user's git repository. All edits in one folder
/// serialise, which is cheap at cohort's scale. Held until drop. Not
/// re-entrant: taking it twice for the same folder in one process deadlocks.
#[derive(Debug)]
pub struct EditLock {
    _folder: File,
}

impl EditLock {
    pub fn acquire(path: &Path) -> Result<EditLock, WriteError> {
        let folder = File::open(folder_of(path)).map_err(io_err(path, "open the folder of"))?;
        folder.lock().map_err(io_err(path, "lock the folder of"))?;
        Ok(EditLock { _folder: folder })
    }
}

/// Read-modify-write a TOML file keeping comments, order and formatting.
///
/// Takes the [`EditLock`] first and holds it from the read to the rename, so
/// two concurrent edits both land. If `edit` returns `Err` nothing is written;
/// if the edit changed nothing the file is left alone (no needless git noise or
/// mtime change). A UTF-8 byte-order mark and CRLF line endings are kept.
pub fn edit_toml<T, E>(
    path: &Path,
    edit: impl FnOnce(&mut toml_edit::DocumentMut) -> Result<T, E>,
) -> Result<T, EditError<E>> {
    let _lock = EditLock::acquire(path)?;
    let bytes = fs::read(path).map_err(io_err(path, "read"))?;
    let text = String::from_utf8(bytes).map_err(|_| WriteError::NotUtf8 {
        path: path.to_path_buf(),
    })?;
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(body) => ("\u{feff}", body),
        None => ("", text.as_str()),
    };
    let mut doc: toml_edit::DocumentMut =
        body.parse()
            .map_err(|e: toml_edit::TomlError| EditError::Parse {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
    let unedited = doc.to_string();
    let value = edit(&mut doc).map_err(EditError::Edit)?;
    let edited = doc.to_string();
    if edited != unedited {
        // toml_edit writes LF; a CRLF file would otherwise change on every
        // line in git.
        let crlf = body.find('\n').is_some_and(|i| body[..i].ends_with('\r'));
        let edited = if crlf {
            edited.replace("\r\n", "\n").replace('\n', "\r\n")
        } else {
            edited
        };
        replace_atomically(path, format!("{bom}{edited}").as_bytes())?;
    }
    Ok(value)
}
