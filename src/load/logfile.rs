//! A log being read (`attendance/NN.csv`, `practicum.csv`): its text and
//! header, the rows worth reading, and diagnostics placed on a row with
//! the cell at fault underlined.

use super::Source;
use crate::csvread::{Header, Reader, Row, cell_span_with, trim};
use crate::diag::{Diagnostic, Diagnostics, Kind, Severity, did_you_mean};
use crate::model::Cohort;

/// Where a row was read: its line and the byte offset of its first byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub start: usize,
}

/// A log being read: its text, its header, and where its problems go.
pub struct LogFile<'a> {
    pub src: &'a Source,
    pub header: Header,
    /// The cell separator, sniffed from the header line.
    pub sep: u8,
}

impl<'a> LogFile<'a> {
    /// Reads the header; `None` (with errors recorded) when required columns are missing.
    pub fn open(
        src: &'a Source,
        reader: &mut Reader<'a>,
        fields: &[&str],
        required: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<LogFile<'a>> {
        let header = Header::read(&src.rel, &src.text, reader, fields, required, diags)?;
        Some(LogFile {
            src,
            header,
            sep: reader.sep(),
        })
    }

    /// Cell of field `f` (trimmed), or "" when the file has no such column.
    #[inline]
    pub fn cell<'r>(&'r self, row: &'r Row, f: usize) -> &'r str {
        self.header.cell(&self.src.text, row, f)
    }

    /// The text of the row's first line.
    pub fn line_text(&self, at: Place) -> &'a str {
        crate::lines::first_line(self.src.text.get(at.start..).unwrap_or(""))
    }

    /// An error on the row at `at` with the cell of field `f` underlined.
    pub fn error<'d>(
        &self,
        kind: Kind,
        diags: &'d mut Diagnostics,
        at: Place,
        f: Option<usize>,
        message: String,
    ) -> &'d mut Diagnostic {
        self.problem(diags, Severity::Error, kind, at, f, message)
    }

    /// A warning on the row at `at` with the cell of field `f` underlined.
    pub fn warning<'d>(
        &self,
        kind: Kind,
        diags: &'d mut Diagnostics,
        at: Place,
        f: Option<usize>,
        message: String,
    ) -> &'d mut Diagnostic {
        self.problem(diags, Severity::Warning, kind, at, f, message)
    }

    fn problem<'d>(
        &self,
        diags: &'d mut Diagnostics,
        severity: Severity,
        kind: Kind,
        at: Place,
        f: Option<usize>,
        message: String,
    ) -> &'d mut Diagnostic {
        let d = diags.push(severity, kind, &self.src.rel, Some(at.line), message);
        self.underline(d, at, f.and_then(|f| self.header.columns[f]));
        d
    }

    /// Shows the row's line with cell `cell` (an index into the row) underlined.
    fn underline(&self, d: &mut Diagnostic, at: Place, cell: Option<usize>) {
        let text = self.line_text(at);
        let span = cell.and_then(|i| cell_span_with(text, i, self.sep));
        let (start, end) = span.unwrap_or((0, text.len()));
        d.excerpt(text, start, end);
    }

    /// Reads the next row worth looking at into `row` and gives its place:
    /// blank rows are skipped, rows of the wrong width or with control
    /// characters reported and skipped. `None` at the end of the file.
    pub fn next_row(
        &self,
        rdr: &mut Reader<'a>,
        row: &mut Row,
        diags: &mut Diagnostics,
    ) -> Option<Place> {
        while rdr.read(row) {
            let at = Place {
                line: row.line,
                start: row.start,
            };
            if !row.is_blank(&self.src.text)
                && self.check_width(row, at, diags)
                && (self.plain(at, rdr.position()) || self.visible(row, at, diags))
            {
                return Some(at);
            }
        }
        None
    }

    /// Whether the record from `at` to `end` is printable ASCII throughout,
    /// its line end aside: then no cell of it holds a forbidden character,
    /// and [`LogFile::visible`] need not look at each one.
    fn plain(&self, at: Place, end: usize) -> bool {
        let raw = &self.src.text.as_bytes()[at.start..end];
        let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        // A fold, not `all`: it looks at every byte, and so is vectorised.
        raw.iter().fold(true, |ok, b| ok & (0x20..0x7F).contains(b))
    }

    /// Rows with a control character in any cell are refused (see
    /// [`crate::text`]): it would reach terminals and certificates.
    fn visible(&self, row: &Row, at: Place, diags: &mut Diagnostics) -> bool {
        let forbidden = |i| crate::text::forbidden(trim(row.get(&self.src.text, i)));
        let Some((i, c)) = (0..row.len()).find_map(|i| Some((i, forbidden(i)?))) else {
            return true;
        };
        let message = crate::text::problem(&format!("cell {}", i + 1), c);
        let d = diags.error(
            Kind::ControlCharacter,
            &self.src.rel,
            Some(at.line),
            message,
        );
        self.underline(d, at, Some(i));
        d.help("remove it; a spreadsheet shows such characters as nothing or as a box");
        false
    }

    /// Rows whose cell count differs from the header's are refused: most
    /// often a comma inside an unquoted note, or a line a git merge left.
    fn check_width(&self, row: &Row, at: Place, diags: &mut Diagnostics) -> bool {
        if row.len() == self.header.width {
            return true;
        }
        if let Some(marker) = crate::conflicts::marker_line(self.line_text(at)) {
            crate::conflicts::stray_marker(&self.src.rel, at.line, marker, diags);
            return false;
        }
        let message = format!(
            "row has {} cells but the header has {}",
            row.len(),
            self.header.width
        );
        self.error(Kind::WrongCellCount, diags, at, None, message).help(match self.sep {
            b',' => "a comma inside a cell needs the cell in double quotes, e.g. \"Toronto, ON\"",
            b';' => "the file's cells are separated by semicolons (from its header line); a semicolon inside a cell needs the cell in double quotes",
            _ => "the file's cells are separated by tabs (from its header line); a tab inside a cell needs the cell in double quotes",
        });
        false
    }

    /// The position in `cohort` (by its [`index`]) of the participant the
    /// row names in its first cell; `None`, an error recorded, when the id
    /// is empty or not in the cohort.
    pub fn participant(
        &self,
        index: &foldhash::HashMap<&str, usize>,
        diags: &mut Diagnostics,
        row: &Row,
        at: Place,
        cohort: &Cohort,
    ) -> Option<usize> {
        let id = self.cell(row, 0);
        if let Some(&p) = index.get(id) {
            return Some(p);
        }
        if id.is_empty() {
            let message = "participant is empty".to_string();
            self.error(Kind::EmptyParticipant, diags, at, Some(0), message)
                .help(format!(
                    "every row names a participant id; cohort {} has {}",
                    cohort.id,
                    id_list(cohort)
                ));
            return None;
        }
        let message = format!(
            "unknown participant \"{id}\"; cohort {} has {}",
            cohort.id,
            id_list(cohort)
        );
        let d = self.error(Kind::UnknownParticipant, diags, at, Some(0), message);
        match did_you_mean(id, cohort.participants.iter().map(|p| p.id.as_str())) {
            Some(guess) => d.help(format!("did you mean \"{guess}\"?")),
            None => d.help(format!(
                "enrol them first (`cohort enroll {} --id {id} --name …`), or fix the id",
                cohort.id
            )),
        };
        None
    }
}

/// "p01..p18", or the full list when it is short.
fn id_list(cohort: &Cohort) -> String {
    let mut ids: Vec<&str> = cohort.participants.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    match ids.as_slice() {
        [] => "no participants yet".to_string(),
        [one] => format!("only {one}"),
        ids if ids.len() <= 4 => ids.join(", "),
        ids => format!("{}..{}", ids[0], ids[ids.len() - 1]),
    }
}

/// Participant ids to their position in the cohort (ids are unique in a
/// loaded cohort; the first is kept if not).
pub fn index(cohort: &Cohort) -> foldhash::HashMap<&str, usize> {
    // From the last: an earlier participant's position overwrites a later one's.
    let ids = cohort.participants.iter().map(|p| p.id.as_str());
    ids.enumerate().rev().map(|(i, id)| (id, i)).collect()
}
