//! The exclusive lock on a log file, and the one way bytes are added to it.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rustix::fs::{self as rfs, AtFlags, Mode, OFlags};
use rustix::io::Errno;

use super::{WriteError, io_err};
use crate::fsafe::{Folder, Refusal};

fn read_whole(mut file: &File) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(0))?;
    let mut buf = Vec::new();
    file.read_to_end(&mut buf)?;
    Ok(buf)
}

/// An exclusive lock (std `File::lock`) on a log file, held until drop.
///
/// The lock is advisory: it serialises cohort processes and threads (each
/// `open` is its own lock holder), which is what makes "read, decide, append"
/// safe, e.g. handing out the next certificate number.
///
/// The log is opened through its [`Folder`], held open, so no part of its
/// path that is (or is swapped for) a symbolic link is followed, and every
/// later look at the name (still ours? remove it again?) is in that folder.
pub(super) struct Lock {
    pub(super) file: File,
    folder: Folder,
    name: String,
    /// The log's path as the caller named it, for messages.
    pub(super) path: PathBuf,
    /// This open created the file: if it is still empty when the lock is
    /// dropped (the command was refused, or its write failed), it is
    /// removed again, so a refused command leaves no new file behind.
    created: bool,
}

/// True when `name` in `folder` still names the same inode as `file`: a lock
/// on a file that was renamed away protects nothing.
fn still_names(folder: &Folder, name: &str, file: &File) -> io::Result<bool> {
    let ours = file.metadata()?;
    match rfs::statat(folder.fd(), name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(now) => Ok(now.st_dev == ours.dev() && now.st_ino == ours.ino()),
        Err(Errno::NOENT) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Still under the lock: anyone waiting for it finds the name gone
        // (`still_names`) and starts again.
        if self.created
            && self.file.metadata().is_ok_and(|m| m.len() == 0)
            && still_names(&self.folder, &self.name, &self.file).unwrap_or(false)
        {
            let _ = rfs::unlinkat(self.folder.fd(), self.name.as_str(), AtFlags::empty());
        }
    }
}

impl Lock {
    /// Create the file `rel` below `root` (and the folders above it) if
    /// missing, open it for read+append and take the exclusive lock
    /// (blocking).
    ///
    /// If the file was replaced (renamed over) while we waited for the lock,
    /// we start again on the new file, so a lock is never held on a file that
    /// no longer has this name.
    pub(super) fn open(root: &Path, rel: &str) -> Result<Lock, WriteError> {
        let path = root.join(rel);
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        // A link on the way, or the log itself a link: the reader's words.
        let refused = |refusal| match refusal {
            Refusal::Io(e) => io_err(&path, "create the folder for")(e),
            other => io_err(&path, "open")(io::Error::other(format!("it {}", other.message(rel)))),
        };
        let folder = Folder::create(root, dir).map_err(refused)?;
        // No link followed, no hang on a FIFO, nothing but a regular file
        // appended to (see `crate::fsafe`).
        let flags = OFlags::RDWR
            | OFlags::APPEND
            | OFlags::CREATE
            | OFlags::NOFOLLOW
            | OFlags::NONBLOCK
            | OFlags::CLOEXEC;
        for _ in 0..50 {
            let created = rfs::statat(folder.fd(), name, AtFlags::SYMLINK_NOFOLLOW).is_err();
            let file = match rfs::openat(folder.fd(), name, flags, Mode::from_raw_mode(0o666)) {
                Ok(fd) => File::from(fd),
                Err(Errno::LOOP) => return Err(refused(Refusal::Link(rel.to_string()))),
                Err(Errno::NXIO) => {
                    return Err(io_err(&path, "open")(io::Error::other(
                        "it is a FIFO (named pipe), not a regular file",
                    )));
                }
                Err(e) => return Err(io_err(&path, "open")(e.into())),
            };
            let meta = file.metadata().map_err(io_err(&path, "open"))?;
            if !meta.is_file() {
                return Err(io_err(&path, "open")(io::Error::other(
                    "it is not a regular file (a FIFO, a device or a folder)",
                )));
            }
            if meta.len() > crate::fsafe::MAX_FILE_BYTES {
                return Err(io_err(&path, "open")(io::Error::other(format!(
                    "it is larger than {} MiB, far larger than any real log",
                    crate::fsafe::MAX_FILE_BYTES / (1024 * 1024)
                ))));
            }
            file.lock().map_err(io_err(&path, "lock"))?;
            if !still_names(&folder, name, &file).map_err(io_err(&path, "open"))? {
                continue;
            }
            if file.metadata().map_err(io_err(&path, "read"))?.len() == 0 {
                // Possibly created just now: make its name durable too.
                rfs::fsync(folder.fd()).map_err(|e| io_err(&path, "save to disk")(e.into()))?;
            }
            return Ok(Lock {
                file,
                folder,
                name: name.to_string(),
                path,
                created,
            });
        }
        Err(WriteError::Replaced { path })
    }

    /// The file's length now; refuses if the name points at another file
    /// (our appends would go nowhere).
    pub(super) fn current_len(&self) -> Result<u64, WriteError> {
        if !still_names(&self.folder, &self.name, &self.file).map_err(io_err(&self.path, "open"))? {
            return Err(WriteError::Replaced {
                path: self.path.clone(),
            });
        }
        let meta = self.file.metadata().map_err(io_err(&self.path, "read"))?;
        Ok(meta.len())
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
