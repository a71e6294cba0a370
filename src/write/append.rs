//! What an append to a CSV log writes: the file's own header, separator and
//! line ending decide, and a last row cut short is refused.

use std::io;
use std::path::Path;

use super::lock::Lock;
use super::{WriteError, io_err};

/// An append-only CSV log opened with an exclusive lock held until drop, and
/// read whole (for callers that decide on all of it, e.g. "is this
/// certificate number taken").
pub struct LockedLog {
    lock: Lock,
    /// What the file held at open plus what we appended since; re-read if
    /// the file's length says someone else (not taking the lock) changed it.
    contents: String,
}

/// How the tail of a CSV text ends, so we never glue a row onto a partial one.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Tail {
    /// Ends with a line ending outside any quoted cell (or is empty).
    Clean,
    /// Ends inside a quoted cell: appending would land inside that cell.
    OpenQuote,
    /// The last row has no line ending; it has this many cells.
    Unterminated(usize),
}

/// Scan CSV `text` the way the csv crate reads it (a quote opens a quoted cell
/// only at the start of a cell) to see how it ends.
pub(super) fn scan_tail(text: &str, sep: u8) -> Tail {
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

    fn eol(&self) -> &'static str {
        if self.crlf {
            "\r\n"
        } else if self.cr {
            "\r"
        } else {
            "\n"
        }
    }

    fn terminator(&self) -> csv::Terminator {
        match self.eol() {
            "\r\n" => csv::Terminator::CRLF,
            "\r" => csv::Terminator::Any(b'\r'),
            _ => csv::Terminator::Any(b'\n'),
        }
    }
}

/// The column names of a CSV text's first line, normalised for matching,
/// read by the one CSV reader ([`crate::csvread`]).
fn read_header(text: &str, path: &Path, sep: u8) -> Result<Vec<String>, WriteError> {
    let mut reader = crate::csvread::Reader::with_separator(text, sep);
    let mut row = crate::csvread::Row::default();
    let found = reader.read(&mut row);
    let header: Vec<String> = (0..row.len())
        .map(|i| header_key(row.get(text, i)))
        .collect();
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
    if let Some(record) = records.iter().find(|r| r.len() != fields.len()) {
        return Err(WriteError::WrongCellCount {
            path: path.to_path_buf(),
            expected: fields.len(),
            found: record.len(),
        });
    }
    let (prefix, width, column_of) = if shape.empty {
        (
            String::new(),
            fields.len(),
            (0..fields.len()).map(Some).collect(),
        )
    } else {
        let column_of = columns_of(&shape.header, path, fields)?;
        (separation(shape, path)?, shape.header.len(), column_of)
    };
    let mut out = csv::WriterBuilder::new()
        .terminator(shape.terminator())
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

/// The column of the file's `header` each of `fields` goes into (`None`:
/// the file has no such column); a name the header has twice is refused.
fn columns_of(
    header: &[String],
    path: &Path,
    fields: &[&str],
) -> Result<Vec<Option<usize>>, WriteError> {
    let mut column_of = Vec::with_capacity(fields.len());
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
    Ok(column_of)
}

/// What goes between the file's last byte and the first new row: nothing,
/// the line ending it lacks, or a refusal when its last row is cut short.
fn separation(shape: &Shape, path: &Path) -> Result<String, WriteError> {
    let incomplete = |detail: String| WriteError::IncompleteLastRow {
        path: path.to_path_buf(),
        detail,
    };
    match shape.tail {
        Tail::Clean if shape.crlf && shape.ends_in_cr => Ok("\n".into()),
        Tail::Clean => Ok(String::new()),
        Tail::Unterminated(cells) if cells >= shape.header.len() => Ok(shape.eol().into()),
        Tail::Unterminated(cells) => Err(incomplete(format!(
            "it has {cells} of {} cells",
            shape.header.len()
        ))),
        Tail::OpenQuote => Err(incomplete("a quoted cell is never closed".into())),
    }
}

fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

impl LockedLog {
    /// Create the file `rel` below `root` (and its parent folders) if
    /// missing, open for read+append, take the exclusive lock (blocking),
    /// and read what is there. No link on the way from `root` is followed.
    pub fn open(root: &Path, rel: &str) -> Result<LockedLog, WriteError> {
        let lock = Lock::open(root, rel)?;
        let contents = lock.read_text()?;
        Ok(LockedLog { lock, contents })
    }

    /// The whole current text (for callers that must decide under the lock,
    /// e.g. "is this certificate number taken").
    pub fn contents(&self) -> &str {
        &self.contents
    }

    /// The root joined with the name the caller gave.
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
