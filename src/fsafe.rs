//! Which files below the data root `cohort` opens, and how.
//!
//! One rule for every command (see docs/guarantees.md, "Links, special
//! files and sizes"):
//! - a path below the root is used only when none of its parts below the
//!   root is a symbolic link: a linked cohort folder, `attendance/` folder,
//!   log, `practicum.csv`, `cohort.toml`, `curriculum.toml` or register is
//!   refused, whether the link points inside the root or outside it (the
//!   root itself may be reached through a link); a file is read through
//!   its [`Folder`], opened part by part, so nothing swapped for a link
//!   while a command reads or appends is followed;
//! - only regular files are read or appended to: a FIFO, a device or a
//!   folder under a file's name is refused without opening it (and files
//!   are opened with `O_NONBLOCK`, so one swapped in meanwhile cannot hang);
//! - a file larger than [`MAX_FILE_BYTES`] is refused with a message
//!   instead of being read.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

use crate::diag::Kind;

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

    pub fn kind(&self) -> Kind {
        match self {
            Refusal::Link(_) => Kind::SymbolicLink,
            Refusal::NotRegular(_) => Kind::NotAFile,
            Refusal::TooLarge(_) => Kind::FileTooLarge,
            Refusal::Io(_) => Kind::Unreadable,
        }
    }
}

fn kind_of(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::MetadataExt;
    kind_of_type(FileType::from_raw_mode(meta.mode()))
}

fn kind_of_type(t: FileType) -> &'static str {
    match t {
        FileType::Directory => "a folder",
        FileType::Fifo => "a FIFO (named pipe)",
        FileType::Socket => "a socket",
        FileType::BlockDevice | FileType::CharacterDevice => "a device",
        _ => "a special file",
    }
}

/// `file` if it is a regular file of at most [`MAX_FILE_BYTES`].
fn regular(file: File) -> Result<File, Refusal> {
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
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    Folder::open(root, dir)?.map_or(Ok(None), |f| f.read(name))
}

/// A folder below the root, held open. Each of its parts was opened
/// relative to the one above and not followed if a link (`openat` with
/// `O_NOFOLLOW`), and the files in it are opened relative to it: its links
/// are checked once for all its files, and a folder renamed or swapped for
/// a link meanwhile cannot redirect a read.
pub struct Folder {
    fd: OwnedFd,
    /// Relative to the root, for messages; empty for the root itself.
    rel: String,
}

impl Folder {
    /// Opens folder `rel` below `root` (the root itself may be reached
    /// through a link). `Ok(None)` when a part of it does not exist or is
    /// not a folder.
    pub fn open(root: &Path, rel: &str) -> Result<Option<Folder>, Refusal> {
        Folder::walk(root, rel, false)
    }

    /// Opens folder `rel` below `root` like [`Folder::open`], creating the
    /// parts that are missing; each new folder's name is synced to disk, so
    /// a crash right after the first append cannot lose the folder it went
    /// into. A part that is something other than a folder is an error.
    pub fn create(root: &Path, rel: &str) -> Result<Folder, Refusal> {
        Folder::walk(root, rel, true)?.ok_or(Refusal::Io(Errno::NOENT.into()))
    }

    /// Opens `root`, then each part of `rel` relative to the one before,
    /// making the missing ones when `create`.
    fn walk(root: &Path, rel: &str, create: bool) -> Result<Option<Folder>, Refusal> {
        let dir = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = match rfs::openat(rfs::CWD, root, dir, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOENT | Errno::NOTDIR) => return Ok(None),
            Err(e) => return Err(Refusal::Io(e.into())),
        };
        let mut folder = Folder {
            fd,
            rel: String::new(),
        };
        for part in rel.split('/').filter(|p| !p.is_empty()) {
            if part == ".." || part == "." {
                return Err(Refusal::Link(rel.to_string()));
            }
            folder = match folder.folder(part)? {
                Some(inner) => inner,
                None if create => {
                    folder.make(part)?;
                    folder
                        .folder(part)?
                        .ok_or(Refusal::Io(Errno::NOTDIR.into()))?
                }
                None => return Ok(None),
            };
        }
        Ok(Some(folder))
    }

    /// Makes folder `name` in this one and syncs this one, so the new name
    /// survives a crash. One made meanwhile, or a file under the name, is
    /// left for the caller's open to find (or refuse).
    fn make(&self, name: &str) -> Result<(), Refusal> {
        match rfs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o777)) {
            Ok(()) => rfs::fsync(&self.fd).map_err(|e| Refusal::Io(e.into())),
            Err(Errno::EXIST) => Ok(()),
            Err(e) => Err(Refusal::Io(e.into())),
        }
    }

    /// The open folder, for the `*at` calls of an append (`crate::write`).
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Folder `name` in this one, not followed if a link. `Ok(None)` when
    /// it does not exist or is not a folder.
    pub fn folder(&self, name: &str) -> Result<Option<Folder>, Refusal> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        match rfs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => Ok(Some(Folder {
                fd,
                rel: self.rel_of(name),
            })),
            Err(Errno::NOENT) => Ok(None),
            // A link, or something other than a folder: which, `lstat` says.
            Err(Errno::LOOP | Errno::NOTDIR) => match self.lstat(name)? {
                Some(FileType::Symlink) => Err(Refusal::Link(self.rel_of(name))),
                _ => Ok(None),
            },
            Err(e) => Err(Refusal::Io(e.into())),
        }
    }

    /// Reads file `name` in this folder whole, by the rule above.
    /// `Ok(None)` when it does not exist.
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>, Refusal> {
        let stat = match rfs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => stat,
            Err(Errno::NOENT | Errno::NOTDIR) => return Ok(None),
            Err(e) => return Err(Refusal::Io(e.into())),
        };
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => {}
            FileType::Symlink => return Err(Refusal::Link(self.rel_of(name))),
            other => return Err(Refusal::NotRegular(kind_of_type(other))),
        }
        let len = stat.st_size as u64;
        if len > MAX_FILE_BYTES {
            return Err(Refusal::TooLarge(len));
        }
        let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let file = match rfs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => regular(File::from(fd))?,
            Err(Errno::LOOP) => return Err(Refusal::Link(self.rel_of(name))),
            Err(Errno::NOENT) => return Ok(None),
            Err(e) => return Err(Refusal::Io(e.into())),
        };
        // A file that grows while it is read is still read no further than the limit.
        let mut bytes = Vec::with_capacity(len as usize);
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(Refusal::Io)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Refusal::TooLarge(bytes.len() as u64));
        }
        Ok(Some(bytes))
    }

    /// The names in this folder, but `.` and `..`, in the order the file
    /// system gives; a name that is not UTF-8 is shown with U+FFFD.
    pub fn names(self) -> Vec<String> {
        let Ok(dir) = rfs::Dir::new(self.fd) else {
            return Vec::new();
        };
        dir.flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "." && name != "..")
            .collect()
    }

    /// The type of `name` in this folder, not followed if a link.
    fn lstat(&self, name: &str) -> Result<Option<FileType>, Refusal> {
        match rfs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(FileType::from_raw_mode(stat.st_mode))),
            Err(Errno::NOENT | Errno::NOTDIR) => Ok(None),
            Err(e) => Err(Refusal::Io(e.into())),
        }
    }

    fn rel_of(&self, name: &str) -> String {
        if self.rel.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", self.rel)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn refusal(result: Result<Option<impl Sized>, Refusal>) -> String {
        match result {
            Err(Refusal::Link(part)) => format!("link {part}"),
            Err(Refusal::NotRegular(kind)) => format!("not regular: {kind}"),
            Err(Refusal::TooLarge(len)) => format!("too large: {len}"),
            Err(Refusal::Io(e)) => format!("io: {e}"),
            Ok(Some(_)) => "read".to_string(),
            Ok(None) => "none".to_string(),
        }
    }

    #[test]
    fn a_folder_refuses_links_on_the_way_and_at_the_end() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        std::fs::create_dir_all(dir.join("real/attendance")).unwrap();
        std::fs::write(dir.join("real/attendance/01.csv"), "x\n").unwrap();
        std::fs::write(dir.join("real/file"), "x\n").unwrap();
        symlink(dir.join("real"), dir.join("linked")).unwrap();
        symlink(
            dir.join("real/attendance/01.csv"),
            dir.join("real/attendance/02.csv"),
        )
        .unwrap();
        symlink(dir.join("nowhere"), dir.join("real/dangling")).unwrap();
        std::fs::create_dir(dir.join("real/attendance/03.csv")).unwrap();
        let cases = [
            ("linked/attendance", "01.csv", "link linked"),
            ("real/dangling", "01.csv", "link real/dangling"),
            ("real/file", "01.csv", "none"),
            ("real/missing", "01.csv", "none"),
            ("real/../real", "01.csv", "link real/../real"),
            ("real/attendance", "01.csv", "read"),
            ("real/attendance", "02.csv", "link real/attendance/02.csv"),
            ("real/attendance", "03.csv", "not regular: a folder"),
            ("real/attendance", "04.csv", "none"),
        ];
        for (folder, name, want) in cases {
            let got = match Folder::open(dir, folder) {
                Ok(Some(f)) => refusal(f.read(name)),
                other => refusal(other),
            };
            assert_eq!(got, want, "{folder} {name}");
            // Read by path, the same file gives the same answer.
            assert_eq!(refusal(read(dir, &format!("{folder}/{name}"))), want);
        }
    }

    #[test]
    fn a_folder_lists_its_names_without_dot_and_dot_dot() {
        let root = tempfile::tempdir().unwrap();
        for name in ["01.csv", ".hidden", "notes"] {
            std::fs::write(root.path().join(name), "").unwrap();
        }
        let mut names = Folder::open(root.path(), "").unwrap().unwrap().names();
        names.sort();
        assert_eq!(names, [".hidden", "01.csv", "notes"]);
    }
}
