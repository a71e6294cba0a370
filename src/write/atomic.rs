//! Whole-file writes that a reader or a crash sees entirely or not at all:
//! a temp file in the same folder (tempfile), fsynced, then renamed or
//! linked into place, then the folder fsynced.

use std::fs::{self, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tempfile::NamedTempFile;

use super::{WriteError, folder_of, io_err, sync_folder};

/// `contents` in a fresh, fsynced temp file next to `path`. The name is
/// `.NAME.tmp-XXXXXX`: a dot file that says `tmp`, so one left behind by a
/// crash is visibly a leftover (`cohort check` lists them) and safe to
/// delete. Dropped unpersisted, the temp file is removed.
fn write_temp(
    path: &Path,
    contents: &[u8],
    permissions: Option<Permissions>,
) -> Result<NamedTempFile, WriteError> {
    let name = path.file_name().ok_or_else(|| {
        io_err(path, "write")(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not end in a file name",
        ))
    })?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".tmp-");
    // A new file gets the mode any program's new file gets (0666 less the
    // umask), not tempfile's private 0600; a replaced one keeps its own.
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(folder_of(path))
        .map_err(io_err(path, "write a new version of"))?;
    let written = (|| {
        if let Some(permissions) = permissions {
            temp.as_file().set_permissions(permissions)?;
        }
        temp.write_all(contents)?;
        temp.as_file().sync_all()
    })();
    written.map_err(io_err(path, "write a new version of"))?;
    Ok(temp)
}

/// Replace `path` atomically: write a temp file in the same folder (named like
/// `.cohort.toml.tmp-XXXXXX`), fsync it, rename it over the target (tempfile's
/// `persist`), fsync the folder. Keeps the target's permissions when it exists;
/// refuses a symbolic link (never followed) and a read-only file (never
/// replaced).
///
/// A crash at any moment leaves either the old or the new file (and maybe a
/// stray temp file, harmless and named to say so).
pub fn replace_atomically(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    // Links are not followed (see `crate::fsafe`), and a file someone made
    // read-only is not replaced behind their back.
    let permissions = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(io_err(path, "replace")(io::Error::other(
                "it is a symbolic link; cohort does not follow links below the data root",
            )));
        }
        Ok(m) if m.permissions().readonly() => {
            return Err(io_err(path, "replace")(io::Error::other(
                "it is read-only; make it writable (chmod u+w) if the change is wanted",
            )));
        }
        Ok(m) => Some(m.permissions()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_err(path, "read the permissions of")(e)),
    };
    let temp = write_temp(path, contents, permissions)?;
    temp.persist(path)
        .map_err(|e| io_err(path, "replace")(e.error))?;
    sync_folder(folder_of(path)).map_err(io_err(path, "save to disk"))
}

/// Create a new file that must not exist yet, for `cohort new`.
///
/// The complete content is fsynced in a temp file first and then moved to
/// the name with tempfile's `persist_noclobber` (a hard link, or a rename
/// that refuses to replace), which fails if the name is taken; so the file
/// appears whole or not at all, and an existing file is never touched.
pub fn create_atomically(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    let exists = || WriteError::AlreadyExists {
        path: path.to_path_buf(),
    };
    if fs::symlink_metadata(path).is_ok() {
        return Err(exists());
    }
    let temp = write_temp(path, contents, None)?;
    match temp.persist_noclobber(path) {
        Ok(_) => {}
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => return Err(exists()),
        Err(e) => return Err(io_err(path, "create")(e.error)),
    }
    sync_folder(folder_of(path)).map_err(io_err(path, "save to disk"))
}
