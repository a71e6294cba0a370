//! The one CSV layer: logs, rosters, timesheets, the register and meeting
//! reports are decoded, split into records and mapped to their columns here.
//!
//! - [`utf8`]: bytes to text (a byte-order mark dropped, UTF-16 and bytes
//!   that are not UTF-8 located for the message);
//! - [`Reader`]: the text to [`Row`]s, each with the line an editor shows
//!   for it (see [`crate::lines`]); [`Row::get`] gives a cell;
//! - [`Header`] / [`map_header`]: the header row to the fields a reader
//!   knows (any case and order, required columns, "did you mean").
//!
//! ```
//! use cohort::csvread::{Header, Reader, Row};
//! let text = "Participant,Status\np01,present\n";
//! let mut reader = Reader::new(text);
//! let mut diags = cohort::diag::Diagnostics::default();
//! let header = Header::read("log.csv", text, &mut reader, &["participant", "status"], &["participant"], &mut diags).unwrap();
//! let mut row = Row::default();
//! assert!(reader.read(&mut row));
//! assert_eq!((row.line, header.cell(text, &row, 1)), (2, "present"));
//! ```
//!
//! The splitter reads records exactly as the `csv` crate does with the
//! settings the logs were first read with, but hands out cells as slices of
//! the text, not copied and not checked for UTF-8 again: the logs are read
//! several times faster so (BENCHMARKS.md). Its tests compare it with the
//! `csv` crate.

use std::ops::Range;

use crate::diag::{Diagnostics, Kind, did_you_mean};

/// Why bytes are not UTF-8 text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotUtf8 {
    /// UTF-16 ("Unicode text" in a spreadsheet's save dialogue).
    Utf16,
    /// Byte `byte`, on `line`, after the text `before` on that line.
    Invalid {
        line: usize,
        byte: u8,
        before: String,
    },
}

/// The text of `bytes`, its byte-order mark removed; the one UTF-8 decode
/// of every CSV (and TOML) file the program reads.
pub fn utf8(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(NotUtf8::Utf16);
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n' || b == b'\r')
                .map_or(0, |i| i + 1);
            Err(NotUtf8::Invalid {
                line: crate::lines::line_of(bytes, at),
                byte: bytes[at],
                before: String::from_utf8_lossy(&bytes[line_start..at]).into_owned(),
            })
        }
    }
}

/// Byte range of cell `index` within one CSV line, honouring quotes.
pub fn cell_span(line: &str, index: usize) -> Option<(usize, usize)> {
    cell_span_with(line, index, b',')
}

/// [`cell_span`] with cells separated by `sep`.
pub fn cell_span_with(line: &str, index: usize, sep: u8) -> Option<(usize, usize)> {
    let (mut cell, mut start, mut quoted) = (0, 0, false);
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b if b == sep && !quoted => {
                if cell == index {
                    return Some((start, i));
                }
                cell += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    (cell == index).then_some((start, line.trim_end_matches('\r').len()))
}

/// `str::trim`, skipping its Unicode tables in the usual case of a cell
/// that starts and ends with a visible ASCII character.
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// One CSV record and where it is. A cell is a range of the file's text,
/// or of `owned` when it had to be unquoted (a doubled `""` inside quotes,
/// or text after the closing quote).
#[derive(Default)]
pub struct Row {
    /// The line of the record's first byte, as an editor numbers lines.
    pub line: usize,
    /// The byte offset of the record's first byte in the text.
    pub start: usize,
    cells: Vec<(Range<usize>, bool)>,
    owned: String,
}

impl Row {
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Cell `i` (not trimmed); `text` is the text the row was read from.
    #[inline]
    pub fn get<'r>(&'r self, text: &'r str, i: usize) -> &'r str {
        let (range, owned) = &self.cells[i];
        if *owned {
            &self.owned[range.clone()]
        } else {
            &text[range.clone()]
        }
    }

    /// True when every cell is empty or white space.
    pub fn is_blank(&self, text: &str) -> bool {
        (0..self.len()).all(|i| self.get(text, i).bytes().all(|b| b.is_ascii_whitespace()))
    }

    /// The text of the record's first line, without its line end.
    pub fn line_text<'t>(&self, text: &'t str) -> &'t str {
        crate::lines::first_line(text.get(self.start..).unwrap_or(""))
    }

    /// Cell text from the file's `text`, made owned once it is not one slice.
    fn push(&mut self, text: &str, parts: &[Range<usize>]) {
        match parts {
            [one] => self.cells.push((one.clone(), false)),
            parts => {
                let start = self.owned.len();
                self.owned
                    .extend(parts.iter().map(|part| &text[part.clone()]));
                self.cells.push((start..self.owned.len(), true));
            }
        }
    }
}

/// Reads records as the `csv` crate does with the settings these files
/// were read with before (`"` quotes with `""` inside, a record ends at
/// `\r`, `\n` or `\r\n`, blank lines skipped, a byte-order mark at the
/// start skipped, rows of any width). Every cell boundary is an ASCII byte,
/// found with `memchr`, so cells are `&str` slices of the text.
pub struct Reader<'t> {
    text: &'t str,
    /// The cell separator: `,`, `;` or a tab (see [`crate::lines::sniff_separator`]).
    sep: u8,
    /// Where the next read begins, and its line.
    pos: usize,
    line: usize,
    /// `ends[b]`: byte `b` ends an unquoted cell (`sep`, `\r`, `\n`).
    ends: [bool; 256],
    /// The pieces of the cell being read (reused).
    parts: Vec<Range<usize>>,
}

impl<'t> Reader<'t> {
    /// A reader of `text` with the separator its header line shows.
    pub fn new(text: &'t str) -> Reader<'t> {
        Self::with_separator(text, crate::lines::sniff_separator(text))
    }

    pub fn with_separator(text: &'t str, sep: u8) -> Reader<'t> {
        Reader {
            text,
            sep,
            pos: 0,
            line: 1,
            ends: cell_ends(sep),
            parts: Vec::new(),
        }
    }

    /// The reader moved to byte `pos` of its text, the start of a record
    /// read before (its line numbers are not counted from there).
    pub fn starting_at(mut self, pos: usize) -> Self {
        self.pos = pos;
        self
    }

    /// The cell separator: `,`, `;` or a tab.
    pub fn sep(&self) -> u8 {
        self.sep
    }

    /// Where the next read begins: the byte after the record read last and
    /// its line end.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The next record into `row`; `false` at the end of the text.
    pub fn read(&mut self, row: &mut Row) -> bool {
        let b = self.text.as_bytes();
        row.cells.clear();
        row.owned.clear();
        let mut i = self.pos;
        // Like csv, a byte-order mark at the very start is skipped.
        if i == 0 && b.starts_with(b"\xEF\xBB\xBF") {
            i = 3;
        }
        // Line ends before a record are skipped (blank lines).
        while i < b.len() && matches!(b[i], b'\r' | b'\n') {
            self.line += usize::from(crate::lines::is_break(b, i));
            i += 1;
        }
        row.line = self.line;
        row.start = i;
        if i == b.len() {
            self.pos = i;
            return false;
        }
        loop {
            // At the start of a cell.
            if b.get(i) == Some(&b'"') {
                i = self.quoted(i + 1, row);
            } else {
                let end = self.unquoted_end(i);
                row.cells.push((i..end, false));
                i = end;
            }
            match b.get(i) {
                Some(&s) if s == self.sep => i += 1,
                Some(_) => {
                    // `\r` or `\n` ends the record; the `\n` of a `\r\n`
                    // is skipped (and counted) by the next read, as csv does.
                    self.line += usize::from(crate::lines::is_break(b, i));
                    self.pos = i + 1;
                    return true;
                }
                None => {
                    self.pos = i;
                    return true;
                }
            }
        }
    }

    /// Reads a quoted cell whose text starts at `i` into `row`; gives the
    /// byte after it (and after any unquoted text that follows the quote).
    fn quoted(&mut self, mut i: usize, row: &mut Row) -> usize {
        let b = self.text.as_bytes();
        let mut parts = std::mem::take(&mut self.parts);
        parts.clear();
        loop {
            let Some(q) = memchr::memchr(b'"', &b[i..]) else {
                // The text ends inside the quotes: the cell is what is there.
                self.count_lines(i..b.len());
                parts.push(i..b.len());
                i = b.len();
                break;
            };
            let q = i + q;
            self.count_lines(i..q);
            if b.get(q + 1) == Some(&b'"') {
                // `""` is one quote; the cell goes on in quotes.
                parts.push(i..q + 1);
                i = q + 2;
                continue;
            }
            parts.push(i..q);
            // Text after the closing quote belongs to the cell, unquoted.
            let end = self.unquoted_end(q + 1);
            if end > q + 1 {
                parts.push(q + 1..end);
            }
            i = end;
            break;
        }
        row.push(self.text, &parts);
        self.parts = parts;
        i
    }

    #[inline]
    fn unquoted_end(&self, i: usize) -> usize {
        cell_end(self.text.as_bytes(), i, self.sep, &self.ends)
    }

    /// Counts the line ends in `range` (inside a quoted cell) as an editor does.
    fn count_lines(&mut self, range: Range<usize>) {
        let b = self.text.as_bytes();
        self.line += memchr::memchr2_iter(b'\r', b'\n', &b[range.clone()])
            .filter(|&n| crate::lines::is_break(b, range.start + n))
            .count();
    }
}

/// Which bytes end an unquoted cell of a file separated by `sep`.
fn cell_ends(sep: u8) -> [bool; 256] {
    std::array::from_fn(|b| {
        b == usize::from(sep) || b == usize::from(b'\r') || b == usize::from(b'\n')
    })
}

/// The end of an unquoted cell (or unquoted rest of one) of `b` starting
/// at `i`: the first `sep`, `\r` or `\n` (`ends`, from [`cell_ends`]).
#[inline]
fn cell_end(b: &[u8], i: usize, sep: u8, ends: &[bool; 256]) -> usize {
    // Most cells are short: looked at byte by byte (one look-up each),
    // they end before memchr's set-up would pay for itself.
    let near = b.len().min(i + 16);
    if let Some(n) = b[i..near].iter().position(|&c| ends[usize::from(c)]) {
        return i + n;
    }
    memchr::memchr3(sep, b'\r', b'\n', &b[near..]).map_or(b.len(), |n| near + n)
}

/// A file's header row mapped to the fields a reader knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// `columns[f]`: the cell index of field `f`, if the file has it.
    pub columns: Vec<Option<usize>>,
    /// How many cells the header row has.
    pub width: usize,
}

impl Header {
    /// Reads the first record of `text` from `reader` as the header of file
    /// `rel` and maps it to `fields` with [`map_header`]; `None` (errors
    /// recorded) when a `required` column is missing or one is named twice.
    /// An empty text has a header of no columns.
    pub fn read(
        rel: &str,
        text: &str,
        reader: &mut Reader,
        fields: &[&str],
        required: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<Header> {
        let mut row = Row::default();
        if !reader.read(&mut row) {
            return Some(Header {
                columns: vec![None; fields.len()],
                width: 0,
            });
        }
        // The header `cohort` writes maps to itself, without a word to say.
        let exact =
            row.len() == fields.len() && (0..fields.len()).all(|i| row.get(text, i) == fields[i]);
        let columns = if exact {
            (0..fields.len()).map(Some).collect()
        } else {
            let names = (0..row.len()).map(|i| row.get(text, i).to_string());
            let first_line = crate::lines::lines(text).next().unwrap_or("");
            map_header(rel, names, first_line, fields, required, diags)?
        };
        Some(Header {
            columns,
            width: row.len(),
        })
    }

    /// The cell of field `f` in `row` (trimmed), or "" when the file has no
    /// such column or the row no such cell.
    #[inline]
    pub fn cell<'r>(&self, text: &'r str, row: &'r Row, f: usize) -> &'r str {
        match self.columns[f] {
            Some(i) if i < row.len() => trim(row.get(text, i)),
            _ => "",
        }
    }
}

/// Unknown columns named one by one; the rest are counted in one warning.
pub const UNKNOWN_COLUMNS_SHOWN: usize = 3;

/// Maps the canonical `fields` to a file's header cells `names` (trimmed,
/// any case, any order): `columns[i]` is the cell index of `fields[i]`.
/// Warns about unknown columns; `None` (errors recorded) when a column is
/// named twice or a `required` one is missing. `first_line` is shown then.
pub fn map_header(
    rel: &str,
    names: impl Iterator<Item = String>,
    first_line: &str,
    fields: &[&str],
    required: &[&str],
    diags: &mut Diagnostics,
) -> Option<Vec<Option<usize>>> {
    let mut columns = vec![None; fields.len()];
    // A header of a million unknown columns gives a few warnings, not a million.
    let (mut unknown, mut shown) = (0usize, Vec::new());
    for (i, name) in names.enumerate() {
        let name = name.trim().to_lowercase();
        match fields.iter().position(|f| *f == name) {
            Some(f) if columns[f].is_some() => {
                let message = format!("column \"{name}\" appears twice in the header");
                diags
                    .error(Kind::DuplicateColumn, rel, Some(1), message)
                    .help("keep one column of each name");
                return None;
            }
            Some(f) => columns[f] = Some(i),
            None if name.is_empty() => {}
            None => {
                unknown += 1;
                if unknown <= UNKNOWN_COLUMNS_SHOWN {
                    shown.push(name);
                }
            }
        }
    }
    warn_unknown(rel, &shown, unknown, fields, diags);
    let missing: Vec<String> = required
        .iter()
        .filter(|r| {
            fields
                .iter()
                .position(|f| f == *r)
                .is_none_or(|f| columns[f].is_none())
        })
        .map(|m| format!("\"{m}\""))
        .collect();
    if !missing.is_empty() {
        let message = format!("the header has no {} column", missing.join(" or "));
        diags
            .error(Kind::MissingColumn, rel, Some(1), message)
            .excerpt(first_line, 0, first_line.len())
            .help(format!(
                "the first row names the columns, e.g. {}",
                fields.join(",")
            ));
        return None;
    }
    Some(columns)
}

/// A warning for each unknown column name `shown`, with a guess, and one
/// for the rest of the `unknown` ones.
fn warn_unknown(
    rel: &str,
    shown: &[String],
    unknown: usize,
    fields: &[&str],
    diags: &mut Diagnostics,
) {
    for name in shown {
        let message = format!("unknown column \"{name}\" is ignored");
        let d = diags.warning(Kind::UnknownColumn, rel, Some(1), message);
        match did_you_mean(name, fields.iter().copied()) {
            Some(f) => d.help(format!("did you mean \"{f}\"?")),
            None => d.help(format!("known columns: {}", fields.join(", "))),
        };
    }
    if unknown > shown.len() {
        let message = format!(
            "and {} more unknown columns are ignored",
            unknown - shown.len()
        );
        diags
            .warning(Kind::UnknownColumn, rel, Some(1), message)
            .help(format!("known columns: {}", fields.join(", ")));
    }
}

#[cfg(test)]
mod tests;
