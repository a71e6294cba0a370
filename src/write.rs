//! Safe-write primitives: every change cohort makes to a records file goes
//! through here, so that no record is ever lost or garbled, whatever runs at the
//! same time (other cohort processes, a spreadsheet, an editor) and wherever a
//! crash or power cut strikes.
//!
//! * CSV logs are only ever appended to, under an exclusive lock on the file,
//!   with one `write_all` on an `O_APPEND` handle and an fsync before success is
//!   reported.
//! * Whole-file rewrites (TOML files) go through a temp file in the same folder
//!   and a rename, so a reader or a crash sees either the old or the new file.
//!   Read-modify-write edits hold a lock on the folder from the read to the
//!   rename, so concurrent edits serialise instead of overwriting each other.
//!
//! Error messages name the path exactly as the caller passed it and say what
//! went wrong in plain words; they never mention temp files or resolved paths.

use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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

/// Create the missing folders above `path`, syncing each new entry so a crash
/// right after the first append cannot lose the folder it went into.
fn create_folders(path: &Path) -> Result<(), WriteError> {
    let folder = folder_of(path);
    if folder.is_dir() {
        return Ok(());
    }
    let missing: Vec<&Path> = folder
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .take_while(|a| !a.is_dir())
        .collect();
    for dir in missing.into_iter().rev() {
        match fs::create_dir(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => return Err(io_err(path, "create the folder for")(e)),
        }
        sync_folder(folder_of(dir)).map_err(io_err(path, "create the folder for"))?;
    }
    Ok(())
}

/// An exclusive lock (std `File::lock`) on a log file, held until drop.
///
/// The lock is advisory: it serialises cohort processes and threads (each
/// `open` is its own lock holder), which is what makes "read, decide, append"
/// safe, e.g. handing out the next certificate number.
struct Lock {
    file: File,
    path: PathBuf,
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
    fn open(path: &Path) -> Result<Lock, WriteError> {
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
    fn current_len(&self) -> Result<u64, WriteError> {
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

    fn read_text(&self) -> Result<String, WriteError> {
        let bytes = read_whole(&self.file).map_err(io_err(&self.path, "read"))?;
        String::from_utf8(bytes).map_err(|_| WriteError::NotUtf8 {
            path: self.path.clone(),
        })
    }

    /// One `write_all` on the `O_APPEND` handle, then fsync, so `Ok` means
    /// the bytes are on disk. If the write itself fails (disk full), the
    /// partial bytes are cut off again: the file was `before` bytes long.
    fn write_end(&self, before: u64, bytes: &[u8]) -> Result<(), WriteError> {
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

/// An append-only CSV log opened with an exclusive lock held until drop, and
/// read whole (for callers that decide on all of it, e.g. "is this
/// certificate number taken").
pub struct LockedLog {
    lock: Lock,
    /// What the file held at open plus what we appended since; re-read if
    /// the file's length says someone else (not taking the lock) changed it.
    contents: String,
}

/// An append-only CSV log opened with an exclusive lock held until drop, of
/// which an append reads only the ends (see [`crate::tail`]): its cost does
/// not grow with the length of the log.
pub struct LockedEnd {
    lock: Lock,
}

/// Identifies the state of a file. What was read of a log before its lock
/// was taken still holds under the lock when the stamp is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    dev: u64,
    ino: u64,
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl FileStamp {
    pub fn of(meta: &fs::Metadata) -> FileStamp {
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// The file's length when stamped.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when the file was empty when stamped.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// How the tail of a CSV text ends, so we never glue a row onto a partial one.
#[derive(Debug, PartialEq, Eq)]
enum Tail {
    /// Ends with a line ending outside any quoted cell (or is empty).
    Clean,
    /// Ends inside a quoted cell: appending would land inside that cell.
    OpenQuote,
    /// The last row has no line ending; it has this many cells.
    Unterminated(usize),
}

/// Scan CSV `text` the way the csv crate reads it (a quote opens a quoted cell
/// only at the start of a cell) to see how it ends.
fn scan_tail(text: &str, sep: u8) -> Tail {
    #[derive(Clone, Copy)]
    enum S {
        LineStart,
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = S::LineStart;
    let mut cells = 1;
    for b in text.bytes() {
        state = match (state, b) {
            (S::Quoted, b'"') => S::QuoteInQuoted,
            (S::Quoted, _) => S::Quoted,
            (S::QuoteInQuoted, b'"') => S::Quoted,
            (_, b'\n' | b'\r') => {
                cells = 1;
                S::LineStart
            }
            (_, c) if c == sep => {
                cells += 1;
                S::CellStart
            }
            (S::LineStart | S::CellStart, b'"') => S::Quoted,
            _ => S::Unquoted,
        };
    }
    match state {
        S::LineStart => Tail::Clean,
        S::Quoted => Tail::OpenQuote,
        _ => Tail::Unterminated(cells),
    }
}

fn header_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// What an append must know of a log's text.
#[derive(Debug)]
struct Shape {
    /// No text at all (or only a byte-order mark): the header goes first.
    empty: bool,
    crlf: bool,
    /// Lines end with a lone CR (old Mac spreadsheets).
    cr: bool,
    /// The cell separator, sniffed from the header line (see [`crate::lines`]).
    sep: u8,
    /// The column names, normalised for matching.
    header: Vec<String>,
    tail: Tail,
    /// The text ends between the two bytes of a CRLF.
    ends_in_cr: bool,
}

impl Shape {
    /// The shape of a whole text (byte-order mark removed).
    fn of_text(text: &str, path: &Path) -> Result<Shape, WriteError> {
        if text.is_empty() {
            return Ok(Shape {
                empty: true,
                crlf: false,
                cr: false,
                sep: b',',
                header: Vec::new(),
                tail: Tail::Clean,
                ends_in_cr: false,
            });
        }
        let sep = crate::lines::sniff_separator(text);
        // The first line end tells the file's kind.
        let first_end = text.find(['\r', '\n']).map(|i| &text.as_bytes()[i..]);
        Ok(Shape {
            empty: false,
            crlf: first_end.is_some_and(|e| e.starts_with(b"\r\n")),
            cr: first_end.is_some_and(|e| e[0] == b'\r' && e.get(1) != Some(&b'\n')),
            sep,
            header: read_header(text, path, sep)?,
            tail: scan_tail(text, sep),
            ends_in_cr: text.ends_with('\r'),
        })
    }

    /// The shape read from a log's ends, when they leave no doubt: the rows
    /// end cleanly and every one has the header's width. Anything else
    /// (`None`) is for a whole read to decide.
    fn of_end(end: &crate::tail::End, path: &Path) -> Result<Option<Shape>, WriteError> {
        let sep = crate::lines::sniff_separator(&end.header);
        if end.header.trim_end_matches(['\r', '\n']).contains('\r') {
            return Ok(None);
        }
        let header = read_header(&end.header, path, sep)?;
        if scan_tail(&end.rows, sep) != Tail::Clean {
            return Ok(None);
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sep)
            .from_reader(end.rows.as_bytes());
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) if record.len() == header.len() => {}
                Ok(true) | Err(_) => return Ok(None),
                Ok(false) => break,
            }
        }
        Ok(Some(Shape {
            empty: false,
            crlf: end.crlf(),
            cr: false,
            sep,
            header,
            tail: Tail::Clean,
            ends_in_cr: false,
        }))
    }
}

/// The column names of a CSV text's first line, normalised for matching.
fn read_header(text: &str, path: &Path, sep: u8) -> Result<Vec<String>, WriteError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let found = reader
        .read_record(&mut record)
        .map_err(|e| io_err(path, "read the column names of")(io::Error::other(e)))?;
    let header: Vec<String> = record.iter().map(header_key).collect();
    if !found || header.iter().all(String::is_empty) {
        return Err(WriteError::NoHeader {
            path: path.to_path_buf(),
        });
    }
    Ok(header)
}

/// Build every byte of one append to a log of `shape`, or fail having
/// written nothing. `fields` are the canonical column names in canonical
/// order, each record a Vec of cells in that order.
///
/// A new or empty file first gets a header line of `fields`. Otherwise the
/// file's own header decides where each cell goes (names matched trimmed and
/// case-insensitively, any order), because people reorder and rename-case
/// columns in spreadsheets. Columns we don't know get empty cells; a non-empty
/// value without a column is an error. The file's line ending (CRLF, LF or
/// a lone CR, from its first line) and cell separator (`,`, `;` or tab,
/// from its header line) are kept. A missing final line ending is added first
/// so no row is glued to the last one, but a last row that is visibly cut
/// short (open quote, fewer cells than the header) is refused: it may be the
/// remains of an interrupted write, and a person should look at it.
fn build(
    shape: &Shape,
    path: &Path,
    fields: &[&str],
    records: &[Vec<String>],
) -> Result<Vec<u8>, WriteError> {
    debug_assert!(
        {
            let mut keys: Vec<String> = fields.iter().map(|f| header_key(f)).collect();
            keys.sort();
            keys.windows(2).all(|w| w[0] != w[1])
        },
        "duplicate field names {fields:?}"
    );
    for record in records {
        if record.len() != fields.len() {
            return Err(WriteError::WrongCellCount {
                path: path.to_path_buf(),
                expected: fields.len(),
                found: record.len(),
            });
        }
    }
    let mut prefix = String::new();
    let eol = if shape.crlf {
        "\r\n"
    } else if shape.cr {
        "\r"
    } else {
        "\n"
    };
    let (crlf, width, column_of) = if shape.empty {
        (false, fields.len(), (0..fields.len()).map(Some).collect())
    } else {
        let header = &shape.header;
        let mut column_of: Vec<Option<usize>> = Vec::with_capacity(fields.len());
        for field in fields {
            let key = header_key(field);
            let mut hits = header.iter().enumerate().filter(|(_, h)| **h == key);
            let hit = hits.next().map(|(i, _)| i);
            if hits.next().is_some() {
                return Err(WriteError::DuplicateColumn {
                    path: path.to_path_buf(),
                    column: field.to_string(),
                });
            }
            column_of.push(hit);
        }
        let crlf = shape.crlf;
        match shape.tail {
            Tail::Clean if crlf && shape.ends_in_cr => prefix.push('\n'),
            Tail::Clean => {}
            Tail::Unterminated(cells) if cells >= header.len() => prefix.push_str(eol),
            Tail::Unterminated(cells) => {
                return Err(WriteError::IncompleteLastRow {
                    path: path.to_path_buf(),
                    detail: format!("it has {cells} of {} cells", header.len()),
                });
            }
            Tail::OpenQuote => {
                return Err(WriteError::IncompleteLastRow {
                    path: path.to_path_buf(),
                    detail: "a quoted cell is never closed".into(),
                });
            }
        }
        (crlf, header.len(), column_of)
    };

    let terminator = if crlf {
        csv::Terminator::CRLF
    } else if shape.cr {
        csv::Terminator::Any(b'\r')
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut out = csv::WriterBuilder::new()
        .terminator(terminator)
        .delimiter(shape.sep)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(prefix.into_bytes());
    let format_err = |e: csv::Error| io_err(path, "format rows for")(io::Error::other(e));
    if shape.empty {
        out.write_record(fields).map_err(format_err)?;
    }
    for record in records {
        let mut row = vec![""; width];
        for (cell, (column, field)) in record.iter().zip(column_of.iter().zip(fields)) {
            match column {
                Some(c) => row[*c] = cell,
                None if cell.is_empty() => {}
                None => {
                    return Err(WriteError::MissingColumn {
                        path: path.to_path_buf(),
                        column: field.to_string(),
                    });
                }
            }
        }
        out.write_record(&row).map_err(format_err)?;
    }
    out.into_inner()
        .map_err(|e| io_err(path, "format rows for")(e.into_error()))
}

fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

impl LockedLog {
    /// Create the file (and its parent folders) if missing, open for
    /// read+append, take the exclusive lock (blocking), and read what is there.
    pub fn open(path: &Path) -> Result<LockedLog, WriteError> {
        let lock = Lock::open(path)?;
        let contents = lock.read_text()?;
        Ok(LockedLog { lock, contents })
    }

    /// The whole current text (for callers that must decide under the lock,
    /// e.g. "is this certificate number taken").
    pub fn contents(&self) -> &str {
        &self.contents
    }

    /// The path as the caller gave it.
    pub fn path(&self) -> &Path {
        &self.lock.path
    }

    /// Append records. `fields` are the canonical column names in canonical
    /// order, each record a Vec of cells in that order. They go under the
    /// file's own header (names matched trimmed and case-insensitively, any
    /// order; a new file gets a header of `fields`), with its line ending; a
    /// value for a column the file lacks is an error, and a last row cut
    /// short (open quote, too few cells) is refused. Appending no records
    /// writes nothing (not even a header).
    ///
    /// All bytes are built first and written with one `write_all` on the
    /// `O_APPEND` handle, then fsynced, so `Ok` means the rows are on disk. If
    /// the write itself fails (disk full) the partial bytes are cut off again.
    pub fn append(&mut self, fields: &[&str], records: &[Vec<String>]) -> Result<(), WriteError> {
        if records.is_empty() {
            return Ok(());
        }
        // Re-read if someone not taking the lock changed the file.
        if self.lock.current_len()? != self.contents.len() as u64 {
            self.contents = self.lock.read_text()?;
        }
        let shape = Shape::of_text(without_bom(&self.contents), &self.lock.path)?;
        let bytes = build(&shape, &self.lock.path, fields, records)?;
        // On failure `contents` stays behind the file's length, so the next
        // append re-reads rather than trusting what we think is there.
        self.lock.write_end(self.contents.len() as u64, &bytes)?;
        self.contents
            .push_str(std::str::from_utf8(&bytes).expect("CSV of UTF-8 cells is UTF-8"));
        Ok(())
    }
}

/// How much of a log's end [`LockedEnd`] reads to see how it ends.
const END_WINDOW: u64 = 16 * 1024;

impl LockedEnd {
    /// Create the file (and its parent folders) if missing, open for
    /// read+append and take the exclusive lock (blocking). Reads nothing.
    pub fn open(path: &Path) -> Result<LockedEnd, WriteError> {
        Ok(LockedEnd {
            lock: Lock::open(path)?,
        })
    }

    /// The locked file, to read under the lock.
    pub fn file(&self) -> &File {
        &self.lock.file
    }

    /// The path as the caller gave it.
    pub fn path(&self) -> &Path {
        &self.lock.path
    }

    /// The file's state now, to compare with a stamp taken before the lock.
    pub fn stamp(&self) -> Result<FileStamp, WriteError> {
        self.lock.current_len()?;
        let meta = self
            .lock
            .file
            .metadata()
            .map_err(io_err(&self.lock.path, "read"))?;
        Ok(FileStamp::of(&meta))
    }

    /// Append records as [`LockedLog::append`] does, having read only the
    /// first line and the last rows of the file (the whole file when it is
    /// short or its end is unclear; see [`crate::tail`]).
    pub fn append(&mut self, fields: &[&str], records: &[Vec<String>]) -> Result<(), WriteError> {
        if records.is_empty() {
            return Ok(());
        }
        let path = &self.lock.path;
        let len = self.lock.current_len()?;
        let end = crate::tail::read_end(&self.lock.file, len, END_WINDOW)
            .map_err(io_err(path, "read"))?;
        let shape = match end.map(|end| Shape::of_end(&end, path)).transpose()? {
            Some(Some(shape)) => shape,
            _ => Shape::of_text(without_bom(&self.lock.read_text()?), path)?,
        };
        let bytes = build(&shape, path, fields, records)?;
        self.lock.write_end(len, &bytes)
    }
}

/// Disambiguates temp files of one process; the pid covers other processes.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Write `contents` to a fresh temp file next to `target` and fsync it.
/// `path` is only for messages. The name starts with a dot and says `tmp`, so
/// one left behind by a crash is visibly a leftover and safe to delete.
fn write_temp(
    path: &Path,
    target: &Path,
    contents: &[u8],
    permissions: Option<Permissions>,
) -> Result<PathBuf, WriteError> {
    let name = target.file_name().ok_or_else(|| {
        io_err(path, "write")(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not end in a file name",
        ))
    })?;
    let folder = folder_of(target);
    let pid = std::process::id();
    loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".tmp-{pid}-{n}"));
        let temp = folder.join(temp_name);
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(f) => f,
            // A leftover from an earlier process that had our pid.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_err(path, "write a new version of")(e)),
        };
        let written = (|| {
            if let Some(p) = &permissions {
                file.set_permissions(p.clone())?;
            }
            file.write_all(contents)?;
            file.sync_all()
        })();
        return match written {
            Ok(()) => Ok(temp),
            Err(e) => {
                drop(file);
                let _ = fs::remove_file(&temp);
                Err(io_err(path, "write a new version of")(e))
            }
        };
    }
}

/// Replace `path` atomically: write a temp file in the same folder (named like
/// `.cohort.toml.tmp-<pid>-<n>`), fsync it, rename it over the target, fsync
/// the folder. Keeps the target's permissions when it exists; refuses a
/// symbolic link (never followed) and a read-only file (never replaced).
///
/// A crash at any moment leaves either the old or the new file (and maybe a
/// stray temp file, harmless and named to say so).
pub fn replace_atomically(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    // Links are not followed (see `crate::fsafe`), and a file someone made
    // read-only is not replaced behind their back.
    let target = match fs::symlink_metadata(path) {
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
        _ => path.to_path_buf(),
    };
    let permissions = match fs::metadata(&target) {
        Ok(m) => Some(m.permissions()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_err(path, "read the permissions of")(e)),
    };
    let temp = write_temp(path, &target, contents, permissions)?;
    if let Err(e) = fs::rename(&temp, &target) {
        let _ = fs::remove_file(&temp);
        return Err(io_err(path, "replace")(e));
    }
    sync_folder(folder_of(&target)).map_err(io_err(path, "save to disk"))
}

/// Create a new file that must not exist yet, for `cohort new`.
///
/// The complete content is fsynced in a temp file first and then hard-linked
/// to the name, which fails if the name is taken; so the file appears whole or
/// not at all, and an existing file is never touched. On file systems without
/// hard links we claim the name with an empty file and rename over it, which
/// can leave an empty (never a half) file if we crash in between.
pub fn create_atomically(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    let exists = || WriteError::AlreadyExists {
        path: path.to_path_buf(),
    };
    if fs::symlink_metadata(path).is_ok() {
        return Err(exists());
    }
    let temp = write_temp(path, path, contents, None)?;
    let linked = fs::hard_link(&temp, path);
    let result = match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(exists()),
        Err(_) => match OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(_) => fs::rename(&temp, path).map_err(io_err(path, "create")),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(exists()),
            Err(e) => Err(io_err(path, "create")(e)),
        },
    };
    let _ = fs::remove_file(&temp);
    result?;
    sync_folder(folder_of(path)).map_err(io_err(path, "save to disk"))
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::hash::BuildHasher;
    use std::os::unix::fs::PermissionsExt;
    use std::process::{Child, Command, Stdio};
    use std::time::Duration;

    /// Selects what a re-executed copy of this test binary does.
    const CHILD_MODE: &str = "COHORT_WRITE_TEST_CHILD";
    const CHILD_PATH: &str = "COHORT_WRITE_TEST_PATH";
    const CHILD_ID: &str = "COHORT_WRITE_TEST_ID";

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    fn read(path: &Path) -> String {
        fs::read_to_string(path).unwrap()
    }

    fn parse(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    /// The next free number of a log whose rows hold no line breaks: what a
    /// caller deciding "is this certificate number taken" does under the lock.
    fn next_number(contents: &str) -> String {
        contents.lines().count().saturating_sub(1).to_string()
    }

    fn random_below(n: u64) -> u64 {
        std::hash::RandomState::new().hash_one(std::time::SystemTime::now()) % n
    }

    /// Runs this test binary again as a child process doing `mode`.
    fn spawn_child(mode: &str, path: &Path, id: usize) -> Child {
        let entry =
            module_path!().split_once("::").unwrap().1.to_string() + "::child_process_entry";
        Command::new(std::env::current_exe().unwrap())
            .args([entry.as_str(), "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_MODE, mode)
            .env(CHILD_PATH, path)
            .env(CHILD_ID, id.to_string())
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// Not a test of its own: the body of the child processes the multi-process
    /// and crash tests start. Without the environment variable it does nothing.
    #[test]
    fn child_process_entry() {
        let Ok(mode) = std::env::var(CHILD_MODE) else {
            return;
        };
        let path = PathBuf::from(std::env::var_os(CHILD_PATH).unwrap());
        let id: usize = std::env::var(CHILD_ID).unwrap().parse().unwrap();
        match mode.as_str() {
            "append" => {
                for i in 0..200 {
                    let mut log = LockedLog::open(&path).unwrap();
                    let next = next_number(log.contents());
                    log.append(
                        &["who", "n", "number"],
                        &[strings(&[&format!("p{id}"), &i.to_string(), &next])],
                    )
                    .unwrap();
                }
            }
            "replace-loop" => {
                let (old, new) = big_tomls();
                loop {
                    replace_atomically(&path, old.as_bytes()).unwrap();
                    replace_atomically(&path, new.as_bytes()).unwrap();
                }
            }
            "append-loop" => {
                for seq in 0.. {
                    let mut log = LockedLog::open(&path).unwrap();
                    let rows: Vec<_> = (0..3).map(|k| crash_row(id, seq * 3 + k)).collect();
                    log.append(&CRASH_FIELDS, &rows).unwrap();
                }
            }
            other => panic!("unknown child mode {other}"),
        }
    }

    #[test]
    fn append_to_new_file_writes_header_then_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs/2024/training.csv");
        let mut log = LockedLog::open(&path).unwrap();
        assert_eq!(log.contents(), "");
        log.append(&["date", "name"], &[strings(&["2024-01-02", "Ann"])])
            .unwrap();
        log.append(&["date", "name"], &[strings(&["2024-01-03", "Bo"])])
            .unwrap();
        let expected = "date,name\n2024-01-02,Ann\n2024-01-03,Bo\n";
        assert_eq!(log.contents(), expected);
        drop(log);
        assert_eq!(read(&path), expected);
    }

    #[test]
    fn append_writes_cells_under_reordered_upper_case_headers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        fs::write(&path, " NAME ,Notes,Date\nAnn,hi,2024-01-01\n").unwrap();
        let mut log = LockedLog::open(&path).unwrap();
        log.append(&["date", "name"], &[strings(&["2024-01-02", "Bo"])])
            .unwrap();
        assert_eq!(
            read(&path),
            " NAME ,Notes,Date\nAnn,hi,2024-01-01\nBo,,2024-01-02\n"
        );
    }

    #[test]
    fn append_keeps_a_spreadsheets_separator_and_lone_cr_line_ends() {
        let dir = tempfile::tempdir().unwrap();
        for (before, after) in [
            // fr-CA Excel: `;` and CRLF.
            (
                "\u{feff}name;date\r\nAnn;2024-01-01\r\n",
                "\u{feff}name;date\r\nAnn;2024-01-01\r\n\"Bo; Jr\";2024-01-02\r\n",
            ),
            // Tab separated, its last row unterminated.
            (
                "name\tdate\nAnn\t2024-01-01",
                "name\tdate\nAnn\t2024-01-01\nBo; Jr\t2024-01-02\n",
            ),
            // Old Mac: lone CRs.
            (
                "name,date\rAnn,2024-01-01\r",
                "name,date\rAnn,2024-01-01\rBo; Jr,2024-01-02\r",
            ),
            (
                "name,date\rAnn,2024-01-01",
                "name,date\rAnn,2024-01-01\rBo; Jr,2024-01-02\r",
            ),
        ] {
            let path = dir.path().join("log.csv");
            fs::write(&path, before).unwrap();
            let mut log = LockedLog::open(&path).unwrap();
            log.append(&["date", "name"], &[strings(&["2024-01-02", "Bo; Jr"])])
                .unwrap();
            drop(log);
            assert_eq!(read(&path), after, "{before:?}");
        }
    }

    #[test]
    fn append_to_bom_crlf_file_writes_crlf_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        fs::write(&path, "\u{feff}Name,Date\r\nAnn,2024-01-01\r\n").unwrap();
        let mut log = LockedLog::open(&path).unwrap();
        log.append(
            &["date", "name"],
            &[
                strings(&["2024-01-02", "Bo"]),
                strings(&["2024-01-03", "Cy"]),
            ],
        )
        .unwrap();
        assert_eq!(
            read(&path),
            "\u{feff}Name,Date\r\nAnn,2024-01-01\r\nBo,2024-01-02\r\nCy,2024-01-03\r\n"
        );
    }

    #[test]
    fn append_adds_missing_final_line_ending_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        fs::write(&path, "name,date\nAnn,2024-01-01").unwrap();
        LockedLog::open(&path)
            .unwrap()
            .append(&["name", "date"], &[strings(&["Bo", "2024-01-02"])])
            .unwrap();
        assert_eq!(read(&path), "name,date\nAnn,2024-01-01\nBo,2024-01-02\n");

        // Same for a CRLF file, and for one holding only its header.
        fs::write(&path, "name,date\r\nAnn,2024-01-01").unwrap();
        LockedLog::open(&path)
            .unwrap()
            .append(&["name", "date"], &[strings(&["Bo", "x"])])
            .unwrap();
        assert_eq!(read(&path), "name,date\r\nAnn,2024-01-01\r\nBo,x\r\n");
        fs::write(&path, "name,date").unwrap();
        LockedLog::open(&path)
            .unwrap()
            .append(&["name", "date"], &[strings(&["Bo", "x"])])
            .unwrap();
        assert_eq!(read(&path), "name,date\nBo,x\n");
    }

    #[test]
    fn append_with_value_for_missing_column_fails_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let before = "name,date\nAnn,2024-01-01\n";
        fs::write(&path, before).unwrap();
        let mut log = LockedLog::open(&path).unwrap();
        let err = log
            .append(
                &["name", "date", "grade"],
                &[
                    strings(&["Bo", "2024-01-02", ""]),
                    strings(&["Cy", "2024-01-03", "A"]),
                ],
            )
            .unwrap_err();
        assert!(matches!(&err, WriteError::MissingColumn { column, .. } if column == "grade"));
        let message = err.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("\"grade\""), "{message}");
        assert_eq!(fs::read(&path).unwrap(), before.as_bytes());
        assert_eq!(log.contents(), before);

        // An empty value for an unknown column is fine: nothing is lost.
        log.append(
            &["name", "date", "grade"],
            &[strings(&["Bo", "2024-01-02", ""])],
        )
        .unwrap();
        assert_eq!(read(&path), format!("{before}Bo,2024-01-02\n"));
    }

    #[test]
    fn append_quotes_commas_quotes_and_newlines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let tricky = strings(&[
            "Smith, Ann",
            "she said \"hi\"",
            "line one\nline two",
            "",
            "plain",
        ]);
        let fields = ["a", "b", "c", "d", "e"];
        let mut log = LockedLog::open(&path).unwrap();
        log.append(&fields, std::slice::from_ref(&tricky)).unwrap();
        log.append(&fields, &[strings(&["x", "y", "z", "w", "v"])])
            .unwrap();
        let text = read(&path);
        assert_eq!(
            text,
            "a,b,c,d,e\n\"Smith, Ann\",\"she said \"\"hi\"\"\",\"line one\nline two\",,plain\nx,y,z,w,v\n"
        );
        let rows = parse(&text);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1], tricky);
    }

    #[test]
    fn append_refuses_to_glue_onto_a_cut_off_last_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        for torn in [
            "name,date,note\nAnn,2024-01-01,\"half a quo",
            "name,date,note\nAnn,2024-01-01,\"a cell\nthat goes on\n",
            "name,date,note\nAnn,2024-",
        ] {
            fs::write(&path, torn).unwrap();
            let err = LockedLog::open(&path)
                .unwrap()
                .append(&["name", "date", "note"], &[strings(&["Bo", "x", "y"])])
                .unwrap_err();
            assert!(matches!(err, WriteError::IncompleteLastRow { .. }), "{err}");
            assert_eq!(read(&path), torn);
        }
    }

    #[test]
    fn append_rereads_a_file_changed_without_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let mut log = LockedLog::open(&path).unwrap();
        log.append(&["n"], &[strings(&["1"])]).unwrap();
        // Someone (a spreadsheet) rewrites it in place, reordering columns.
        fs::write(&path, "Other,N\r\nq,1\r\n").unwrap();
        log.append(&["n"], &[strings(&["2"])]).unwrap();
        assert_eq!(read(&path), "Other,N\r\nq,1\r\n,2\r\n");
        // ... or replaces it by rename: our handle would append to a ghost.
        fs::write(dir.path().join("new.csv"), "n\n").unwrap();
        fs::rename(dir.path().join("new.csv"), &path).unwrap();
        let err = log.append(&["n"], &[strings(&["3"])]).unwrap_err();
        assert!(matches!(err, WriteError::Replaced { .. }), "{err}");
    }

    #[test]
    fn locked_log_excludes_a_second_opener_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let log = LockedLog::open(&path).unwrap();
        let other = File::open(&path).unwrap();
        assert!(other.try_lock().is_err());
        drop(log);
        assert!(other.try_lock().is_ok());
    }

    /// A log past `tail::WHOLE_UP_TO`, so that `LockedEnd` reads only its ends.
    fn long_log(header: &str, eol: &str) -> String {
        let mut text = format!("{header}{eol}");
        for i in 0..4000 {
            text += &format!("Ann,\"note {i}, with a comma\nand a line break\",2024-01-01{eol}");
        }
        assert!(text.len() as u64 > crate::tail::WHOLE_UP_TO);
        text
    }

    #[test]
    fn locked_end_appends_to_a_long_log_under_its_own_header_and_line_ends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let before = format!("\u{feff}{}", long_log(" NAME ,Notes,Date", "\r\n"));
        fs::write(&path, &before).unwrap();
        let mut log = LockedEnd::open(&path).unwrap();
        log.append(
            &["date", "name", "notes"],
            &[strings(&["2024-01-02", "Bo", "two\nlines, \"quoted\""])],
        )
        .unwrap();
        log.append(
            &["date", "name", "notes"],
            &[strings(&["2024-01-03", "Cy", ""])],
        )
        .unwrap();
        assert_eq!(
            read(&path),
            format!("{before}Bo,\"two\nlines, \"\"quoted\"\"\",2024-01-02\r\nCy,,2024-01-03\r\n")
        );
    }

    #[test]
    fn locked_end_keeps_the_separator_of_a_long_semicolon_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let before = long_log("name;notes;date", "\r\n").replace(",2024", ";2024");
        let before = before.replace("Ann,", "Ann;");
        fs::write(&path, &before).unwrap();
        let mut log = LockedEnd::open(&path).unwrap();
        log.append(
            &["date", "name", "notes"],
            &[strings(&["2024-01-02", "Bo", "a; b, c"])],
        )
        .unwrap();
        assert_eq!(
            read(&path),
            format!("{before}Bo;\"a; b, c\";2024-01-02\r\n")
        );
    }

    #[test]
    fn locked_end_refuses_a_long_log_whose_last_row_opens_a_quote() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let before = format!("{}Bo,\"never closed\n", long_log("name,notes,date", "\n"));
        fs::write(&path, &before).unwrap();
        let err = LockedEnd::open(&path)
            .unwrap()
            .append(
                &["name", "notes", "date"],
                &[strings(&["Cy", "", "2024-01-03"])],
            )
            .unwrap_err();
        assert!(
            matches!(&err, WriteError::IncompleteLastRow { detail, .. } if detail.contains("never closed")),
            "{err}"
        );
        assert_eq!(read(&path), before);
    }

    #[test]
    fn locked_end_ends_an_unterminated_long_log_before_appending() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let before = format!("{}Bo,,2024-01-02", long_log("name,notes,date", "\n"));
        fs::write(&path, &before).unwrap();
        LockedEnd::open(&path)
            .unwrap()
            .append(
                &["name", "notes", "date"],
                &[strings(&["Cy", "", "2024-01-03"])],
            )
            .unwrap();
        assert_eq!(read(&path), format!("{before}\nCy,,2024-01-03\n"));
    }

    #[test]
    fn locked_end_on_a_new_file_writes_the_header_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/log.csv");
        let mut log = LockedEnd::open(&path).unwrap();
        assert!(log.stamp().unwrap().is_empty());
        log.append(&["name", "date"], &[strings(&["Ann", "2024-01-01"])])
            .unwrap();
        let after = log.stamp().unwrap();
        assert_eq!(after.len(), "name,date\nAnn,2024-01-01\n".len() as u64);
        drop(log);
        assert_eq!(read(&path), "name,date\nAnn,2024-01-01\n");
    }

    #[test]
    fn a_stamp_tells_whether_a_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        fs::write(&path, "name\nAnn\n").unwrap();
        let stamp = |p: &Path| FileStamp::of(&fs::metadata(p).unwrap());
        let first = stamp(&path);
        assert_eq!(first, stamp(&path));
        LockedLog::open(&path)
            .unwrap()
            .append(&["name"], &[strings(&["Bo"])])
            .unwrap();
        assert_ne!(first, stamp(&path));
        // Another file under the same name is another file, whatever its length.
        let other = dir.path().join("other.csv");
        fs::write(&other, "name\nAnn\nBo\n").unwrap();
        let grown = stamp(&path);
        fs::rename(&other, &path).unwrap();
        assert_ne!(grown, stamp(&path));
    }

    #[test]
    fn locked_end_and_locked_log_appending_together_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        fs::write(&path, long_log("who,note,n", "\n")).unwrap();
        std::thread::scope(|s| {
            for t in 0..6 {
                let path = &path;
                s.spawn(move || {
                    for i in 0..100 {
                        let row = [strings(&[&format!("t{t}"), "a, \"b\"\nc", &i.to_string()])];
                        if t % 2 == 0 {
                            LockedEnd::open(path)
                                .unwrap()
                                .append(&["who", "note", "n"], &row)
                        } else {
                            LockedLog::open(path)
                                .unwrap()
                                .append(&["who", "note", "n"], &row)
                        }
                        .unwrap();
                    }
                });
            }
        });
        let rows = parse(&read(&path));
        let ours: BTreeSet<(String, String)> = rows
            .iter()
            .filter(|r| r[0].starts_with('t'))
            .map(|r| {
                assert_eq!(r[1], "a, \"b\"\nc", "{r:?}");
                (r[0].clone(), r[2].clone())
            })
            .collect();
        assert_eq!(ours.len(), 600);
        assert_eq!(rows.len(), 1 + 4000 + 600);
    }

    #[test]
    fn eight_threads_appending_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        std::thread::scope(|s| {
            for t in 0..8 {
                let path = &path;
                s.spawn(move || {
                    for i in 0..200 {
                        let mut log = LockedLog::open(path).unwrap();
                        let note = format!("thread {t}, row {i}, \"quoted\"");
                        log.append(
                            &["who", "n", "note"],
                            &[strings(&[&format!("t{t}"), &i.to_string(), &note])],
                        )
                        .unwrap();
                    }
                });
            }
        });
        let text = read(&path);
        assert_eq!(text.lines().count(), 1601);
        let rows = parse(&text);
        assert_eq!(rows[0], ["who", "n", "note"]);
        let mut seen = BTreeSet::new();
        for row in &rows[1..] {
            assert_eq!(row.len(), 3, "{row:?}");
            let t = &row[0][1..];
            assert_eq!(row[2], format!("thread {t}, row {}, \"quoted\"", row[1]));
            assert!(
                seen.insert((row[0].clone(), row[1].clone())),
                "duplicate {row:?}"
            );
        }
        assert_eq!(seen.len(), 1600);
    }

    #[test]
    fn four_processes_appending_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let children: Vec<Child> = (0..4).map(|id| spawn_child("append", &path, id)).collect();
        for mut child in children {
            assert!(child.wait().unwrap().success());
        }
        let text = read(&path);
        let rows = parse(&text);
        assert_eq!(rows.len(), 801, "{text}");
        assert_eq!(rows[0], ["who", "n", "number"]);
        assert!(rows[1..].iter().all(|r| r.len() == 3));
        let seen: BTreeSet<_> = rows[1..]
            .iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        assert_eq!(seen.len(), 800);
        // Numbers handed out by reading under the lock are all distinct.
        let numbers: Vec<String> = rows[1..].iter().map(|r| r[2].clone()).collect();
        let expected: Vec<String> = (0..800).map(|n| n.to_string()).collect();
        assert_eq!(numbers, expected);
    }

    const SAMPLE_TOML: &str = "# Course settings, edited by hand.\n\
        title = \"First aid\"   # shown on certificates\n\
        \n\
        [counter]\n\
        value = 0\n\
        \n\
        [trainers]  # alphabetical please\n\
        names = [ \"Ann\",  \"Bo\" ]\n";

    fn bump(doc: &mut toml_edit::DocumentMut) -> Result<i64, String> {
        let n = doc["counter"]["value"].as_integer().ok_or("no counter")? + 1;
        doc["counter"]["value"] = toml_edit::value(n);
        Ok(n)
    }

    #[test]
    fn edit_toml_keeps_comments_and_formatting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        fs::write(&path, SAMPLE_TOML).unwrap();
        assert_eq!(edit_toml(&path, bump).unwrap(), 1);
        assert_eq!(read(&path), SAMPLE_TOML.replace("value = 0", "value = 1"));
        assert!(
            fs::read_dir(dir.path()).unwrap().count() == 1,
            "temp file left"
        );
    }

    #[test]
    fn edit_toml_without_change_leaves_the_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        fs::write(&path, SAMPLE_TOML).unwrap();
        let inode = fs::metadata(&path).unwrap().ino();
        let title = edit_toml(&path, |doc| {
            Ok::<_, String>(doc["title"].as_str().unwrap().to_string())
        })
        .unwrap();
        assert_eq!(title, "First aid");
        assert_eq!(fs::metadata(&path).unwrap().ino(), inode);
    }

    #[test]
    fn concurrent_edit_toml_increments_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        fs::write(&path, SAMPLE_TOML).unwrap();
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    for _ in 0..100 {
                        edit_toml(&path, bump).unwrap();
                    }
                });
            }
        });
        assert_eq!(read(&path), SAMPLE_TOML.replace("value = 0", "value = 200"));
    }

    #[test]
    fn edit_toml_error_from_edit_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        fs::write(&path, SAMPLE_TOML).unwrap();
        let inode = fs::metadata(&path).unwrap().ino();
        let err = edit_toml(&path, |doc| {
            doc["title"] = toml_edit::value("changed");
            Err::<(), _>("certificate number taken")
        })
        .unwrap_err();
        assert!(matches!(err, EditError::Edit("certificate number taken")));
        assert_eq!(fs::read(&path).unwrap(), SAMPLE_TOML.as_bytes());
        assert_eq!(fs::metadata(&path).unwrap().ino(), inode);
    }

    #[test]
    fn edit_toml_reports_bad_toml_and_missing_file_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        fs::write(&path, "title = \n").unwrap();
        let err = edit_toml(&path, bump).unwrap_err();
        assert!(matches!(err, EditError::Parse { .. }));
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("could not read {} as TOML: ", path.display())),
            "{message}"
        );
        assert!(message.contains("line 1"), "{message}");
        assert_eq!(read(&path), "title = \n");

        let missing = dir.path().join("nope.toml");
        let message = edit_toml(&missing, bump).unwrap_err().to_string();
        assert_eq!(
            message,
            format!(
                "could not read {}: it or its folder does not exist",
                missing.display()
            )
        );
    }

    #[test]
    fn edit_toml_keeps_crlf_line_endings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        let crlf = SAMPLE_TOML.replace('\n', "\r\n");
        fs::write(&path, &crlf).unwrap();
        edit_toml(&path, |doc| {
            doc["trainers"]["lead"] = toml_edit::value("Ann");
            bump(doc)
        })
        .unwrap();
        let expected = crlf.replace("value = 0", "value = 1") + "lead = \"Ann\"\r\n";
        assert_eq!(read(&path), expected);
    }

    #[test]
    fn edit_toml_keeps_a_byte_order_mark() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        fs::write(&path, format!("\u{feff}{SAMPLE_TOML}")).unwrap();
        edit_toml(&path, bump).unwrap();
        assert_eq!(
            read(&path),
            format!("\u{feff}{}", SAMPLE_TOML.replace("value = 0", "value = 1"))
        );
    }

    #[test]
    fn replace_atomically_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        replace_atomically(&path, b"new").unwrap();
        assert_eq!(read(&path), "new");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
            0o640
        );
        fs::set_permissions(&path, Permissions::from_mode(0o604)).unwrap();
        replace_atomically(&path, b"newer").unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
            0o604
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp file left"
        );
    }

    #[test]
    fn replace_atomically_refuses_a_symlink_and_leaves_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        let link = dir.path().join("cohort.toml");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.toml", &link).unwrap();
        let err = replace_atomically(&link, b"new").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(read(&real), "old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "temp file left"
        );
    }

    #[test]
    fn appends_never_follow_a_link_or_wait_on_a_fifo() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        fs::write(&real, "a\n1\n").unwrap();
        let link = dir.path().join("log.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = LockedLog::open(&link).err().expect("refused");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(LockedEnd::open(&link).is_err());
        assert_eq!(read(&real), "a\n1\n");
        let fifo = dir.path().join("fifo.csv");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opened without blocking: an error at once, not a hang.
        let err = LockedEnd::open(&fifo).err().expect("refused");
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn a_log_created_by_an_open_that_writes_nothing_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.csv");
        drop(LockedLog::open(&path).unwrap());
        assert!(!path.exists());
        // One that existed, even empty, stays.
        fs::write(&path, "").unwrap();
        drop(LockedEnd::open(&path).unwrap());
        assert!(path.exists());
    }

    #[test]
    fn replace_atomically_refuses_a_read_only_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o444)).unwrap();
        let err = replace_atomically(&path, b"new").unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(read(&path), "old");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
            0o444
        );
    }

    #[test]
    fn create_atomically_creates_once_and_never_touches_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        create_atomically(&path, b"first").unwrap();
        assert_eq!(read(&path), "first");
        let err = create_atomically(&path, b"second").unwrap_err();
        assert!(matches!(err, WriteError::AlreadyExists { .. }));
        assert_eq!(
            err.to_string(),
            format!("{} already exists", path.display())
        );
        assert_eq!(read(&path), "first");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp file left"
        );
    }

    #[test]
    fn messages_name_the_path_as_given() {
        let err = replace_atomically(Path::new("no-such-folder/cohort.toml"), b"x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "could not write a new version of no-such-folder/cohort.toml: it or its folder does not exist"
        );
    }

    /// About 1 MB, so a write takes long enough for kills to land inside it.
    fn big_tomls() -> (String, String) {
        let body: String = (0..20_000)
            .map(|i| format!("key{i} = \"value number {i} of the file\"\n"))
            .collect();
        (
            format!("# old\n{body}"),
            format!("# new\n{body}[extra]\nx = 1\n"),
        )
    }

    #[test]
    fn killed_replace_leaves_old_or_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cohort.toml");
        let (old, new) = big_tomls();
        replace_atomically(&path, old.as_bytes()).unwrap();
        for _ in 0..4 {
            let mut child = spawn_child("replace-loop", &path, 0);
            std::thread::sleep(Duration::from_millis(50 + random_below(250)));
            assert!(
                child.try_wait().unwrap().is_none(),
                "child stopped by itself"
            );
            child.kill().unwrap();
            child.wait().unwrap();
            let now = read(&path);
            assert!(
                now == old || now == new,
                "garbled file of {} bytes",
                now.len()
            );
        }
        for entry in fs::read_dir(dir.path()).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                name == "cohort.toml" || name.starts_with(".cohort.toml.tmp-"),
                "{name}"
            );
        }
    }

    const CRASH_FIELDS: [&str; 4] = ["seq", "who", "note", "tail"];
    const CRASH_NOTE: &str = "a \"quoted\" note, with a comma and\na second line";

    /// Long rows so a write spans several pages. The last cell is quoted (it
    /// holds a comma), so any cut inside a row is visible as one.
    fn crash_row(id: usize, seq: usize) -> Vec<String> {
        vec![
            seq.to_string(),
            format!("p{id}-{}", "x".repeat(6000)),
            CRASH_NOTE.into(),
            "end,".into(),
        ]
    }

    #[test]
    fn killed_append_leaves_only_whole_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        LockedLog::open(&path)
            .unwrap()
            .append(&CRASH_FIELDS, &[crash_row(9, 0)])
            .unwrap();
        let mut torn = 0;
        for round in 0..4 {
            let mut child = spawn_child("append-loop", &path, round);
            // On a loaded machine the child may take a while to start: wait
            // for its first row, then kill it at a random moment after.
            let started = std::time::Instant::now();
            let mark = format!(",p{round}-");
            while !String::from_utf8_lossy(&fs::read(&path).unwrap()).contains(&mark)
                && started.elapsed() < Duration::from_secs(20)
                && child.try_wait().unwrap().is_none()
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            std::thread::sleep(Duration::from_millis(random_below(250)));
            assert!(
                child.try_wait().unwrap().is_none(),
                "child stopped by itself"
            );
            child.kill().unwrap();
            child.wait().unwrap();

            let mut text = read(&path);
            // The kernel may cut a large write short when SIGKILL arrives
            // between pages. Then the tail must be recognisably cut, and the
            // next append must refuse rather than glue onto it.
            if scan_tail(&text, b',') != Tail::Clean {
                torn += 1;
                let err = LockedLog::open(&path)
                    .unwrap()
                    .append(&CRASH_FIELDS, &[crash_row(9, 0)])
                    .unwrap_err();
                assert!(matches!(err, WriteError::IncompleteLastRow { .. }), "{err}");
                assert_eq!(read(&path), text);
                let whole = text.rfind("\"end,\"\n").unwrap() + "\"end,\"\n".len();
                text.truncate(whole);
                fs::write(&path, &text).unwrap();
            }
            let rows = parse(&text);
            assert_eq!(rows[0], CRASH_FIELDS);
            let mine: Vec<_> = rows
                .iter()
                .filter(|r| r[1].starts_with(&format!("p{round}-")))
                .collect();
            assert!(!mine.is_empty(), "child {round} appended nothing");
            for row in &rows[1..] {
                assert_eq!(row.len(), 4, "{row:?}");
                assert_eq!(row[1].len(), 6003, "{row:?}");
                assert_eq!((row[2].as_str(), row[3].as_str()), (CRASH_NOTE, "end,"));
            }
            for (k, row) in mine.iter().enumerate() {
                assert_eq!(row[0], k.to_string(), "rows of child {round} out of order");
            }
        }
        if torn > 0 {
            eprintln!("{torn} kill(s) cut a write short; each was detected");
        }
    }
}
