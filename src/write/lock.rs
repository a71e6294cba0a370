//! The exclusive lock on a log file, and the one way bytes are added to it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::{WriteError, create_folders, folder_of, io_err, sync_folder};

fn read_whole(file: &File) -> io::Result<Vec<u8>> {
    let mut f = file;
    f.seek(SeekFrom::Start(0))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(buf)
}

/// True when `path` still names the same inode as `file`: a lock on a file
/// that was renamed away protects nothing.
fn still_names(path: &Path, file: &File) -> io::Result<bool> {
    let ours = file.metadata()?;
    match fs::metadata(path) {
        Ok(now) => Ok(now.dev() == ours.dev() && now.ino() == ours.ino()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// An exclusive lock (std `File::lock`) on a log file, held until drop.
///
/// The lock is advisory: it serialises cohort processes and threads (each
/// `open` is its own lock holder), which is what makes "read, decide, append"
/// safe, e.g. handing out the next certificate number.
pub(super) struct Lock {
    pub(super) file: File,
    pub(super) path: PathBuf,
    /// This open created the file: if it is still empty when the lock is
    /// dropped (the command was refused, or its write failed), it is
    /// removed again, so a refused command leaves no new file behind.
    created: bool,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Still under the lock: anyone waiting for it finds the name gone
        // (`still_names`) and starts again.
        if self.created
            && self.file.metadata().is_ok_and(|m| m.len() == 0)
            && still_names(&self.path, &self.file).unwrap_or(false)
        {
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl Lock {
    /// Create the file (and its parent folders) if missing, open it for
    /// read+append and take the exclusive lock (blocking).
    ///
    /// If the file was replaced (renamed over) while we waited for the lock,
    /// we start again on the new file, so a lock is never held on a file that
    /// no longer has this name.
    pub(super) fn open(path: &Path) -> Result<Lock, WriteError> {
        create_folders(path)?;
        for _ in 0..50 {
            let created = fs::symlink_metadata(path).is_err();
            // No link followed, no hang on a FIFO, nothing but a regular
            // file appended to (see `crate::fsafe`).
            let file = OpenOptions::new()
                .read(true)
                .append(true)
                .create(true)
                .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
                .open(path)
                .map_err(|e| match e.raw_os_error() {
                    Some(libc::ELOOP) => io_err(path, "open")(io::Error::other(
                        "it is a symbolic link; cohort does not follow links below the data root",
                    )),
                    Some(libc::ENXIO) => io_err(path, "open")(io::Error::other(
                        "it is a FIFO (named pipe), not a regular file",
                    )),
                    _ => io_err(path, "open")(e),
                })?;
            let meta = file.metadata().map_err(io_err(path, "open"))?;
            if !meta.is_file() {
                return Err(io_err(path, "open")(io::Error::other(
                    "it is not a regular file (a FIFO, a device or a folder)",
                )));
            }
            if meta.len() > crate::fsafe::MAX_FILE_BYTES {
                return Err(io_err(path, "open")(io::Error::other(format!(
                    "it is larger than {} MiB, far larger than any real log",
                    crate::fsafe::MAX_FILE_BYTES / (1024 * 1024)
                ))));
            }
            file.lock().map_err(io_err(path, "lock"))?;
            if !still_names(path, &file).map_err(io_err(path, "open"))? {
                continue;
            }
            if file.metadata().map_err(io_err(path, "read"))?.len() == 0 {
                // Possibly created just now: make its name durable too.
                sync_folder(folder_of(path)).map_err(io_err(path, "save to disk"))?;
            }
            return Ok(Lock {
                file,
                path: path.to_path_buf(),
                created,
            });
        }
        Err(WriteError::Replaced {
            path: path.to_path_buf(),
        })
    }

    /// The file's length now; refuses if the name points at another file
    /// (our appends would go nowhere).
    pub(super) fn current_len(&self) -> Result<u64, WriteError> {
        if !still_names(&self.path, &self.file).map_err(io_err(&self.path, "open"))? {
            return Err(WriteError::Replaced {
                path: self.path.clone(),
            });
        }
        Ok(self
            .file
            .metadata()
            .map_err(io_err(&self.path, "read"))?
            .len())
    }

    pub(super) fn read_text(&self) -> Result<String, WriteError> {
        let bytes = read_whole(&self.file).map_err(io_err(&self.path, "read"))?;
        String::from_utf8(bytes).map_err(|_| WriteError::NotUtf8 {
            path: self.path.clone(),
        })
    }

    /// One `write_all` on the `O_APPEND` handle, then fsync, so `Ok` means
    /// the bytes are on disk. If the write itself fails (disk full), the
    /// partial bytes are cut off again: the file was `before` bytes long.
    pub(super) fn write_end(&self, before: u64, bytes: &[u8]) -> Result<(), WriteError> {
        if let Err(error) = (&self.file).write_all(bytes) {
            if self.file.metadata().is_ok_and(|m| m.len() >= before) {
                let _ = self.file.set_len(before);
            }
            return Err(io_err(&self.path, "write to")(error));
        }
        self.file
            .sync_all()
            .map_err(io_err(&self.path, "save to disk"))
    }
}
