//! Reading `certificates.csv`: the rows split by the crate's one CSV layer
//! ([`crate::csvread`]), every row checked, every problem located at its
//! line with the cell underlined.
//!
//! One pass, linear in the register: each row is looked at once, a number
//! is found through the register's index, and cells are borrowed from the
//! text until a certificate keeps them. `verify` reads the whole register
//! this way on every call (a row with an error anywhere might hide a
//! revocation), so this pass is what `verify` costs; it keeps no
//! certificate, only where each row is ([`index`], [`super::store`]).

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate};

use super::store::{Building, Full, Store};
use super::{Certificate, FIELDS, Index, REGISTER, Register, Revocation};
use crate::certnum::{self, Reading};
use crate::csvread::{Reader, Row, cell_span, trim};
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::load::{self, is_participant_id, is_slug};
use crate::rules::Level;

/// The columns a register may lack (a register typed by hand): every other
/// one of [`FIELDS`] is required.
const OPTIONAL: [&str; 2] = ["issued_at", "reason"];

/// The register's fields, by their place in [`FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum F {
    Number,
    Cohort,
    Participant,
    Name,
    Level,
    Date,
    At,
    Status,
    Reason,
}

/// Parses and validates the register's text (as read, or as held under the lock).
pub fn parse(text: &str, diags: &mut Diagnostics) -> Register {
    let mut full = Full::default();
    read(text, diags, &mut full);
    full.register
}

/// Parses and validates the register's text as [`parse`] does, keeping
/// only where each certificate's row is.
pub(super) fn index(text: String, diags: &mut Diagnostics) -> Index {
    let mut building = Building::default();
    let columns = read(&text, diags, &mut building).unwrap_or_default();
    Index {
        text,
        columns,
        rows: building.rows.into_sorted(),
        revocations: building.revocations,
    }
}

/// The text after a byte-order mark: what row offsets count from.
pub(super) fn body(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Reads every row into `store`; the header's map of [`FIELDS`] to
/// columns, or `None` (errors recorded) when it lacks required ones.
fn read(text: &str, diags: &mut Diagnostics, store: &mut impl Store) -> Option<Vec<Option<usize>>> {
    let text = body(text);
    let mut reader = Reader::with_separator(text, b',');
    let mut row = Row::default();
    if !reader.read(&mut row) {
        return None;
    }
    let file = File::open(text, &row, diags)?;
    store.reserve(rows_in(text));
    while reader.read(&mut row) {
        let at = Located {
            file: &file,
            row: &row,
            plain: plain(text, &row, reader.position()),
        };
        if let Some((number, at_cell)) = at.checked(diags) {
            at.record(number, at_cell, store, diags);
        }
    }
    Some(file.columns)
}

/// About how many rows `text` holds, to make room once: its line ends, but
/// no more than rows of the shortest kind could fill (a file of blank lines
/// reserves nothing much).
fn rows_in(text: &str) -> usize {
    let bytes = text.as_bytes();
    let lines = match memchr::memchr_iter(b'\n', bytes).count() {
        0 => memchr::memchr_iter(b'\r', bytes).count(),
        n => n,
    };
    lines.min(bytes.len() / 48)
}

/// The certificate of the issued row at byte `start` (on `line`) of the
/// register's `text` (after its byte-order mark), a row that was checked;
/// `None` unless the row is an issued row of `number`.
pub(super) fn certificate_at(
    text: &str,
    columns: &[Option<usize>],
    line: usize,
    start: usize,
    number: &str,
) -> Option<Certificate> {
    row_at(text, columns, line, start, number, |at| {
        let level = certificate_level(at.cell(F::Level))?;
        let date = ymd(at.cell(F::Date))?;
        Some(at.certificate(number.to_string(), level, date))
    })
}

/// The revocation written by the row at byte `start` (on `line`) of the
/// register's `text`, a checked `revoked` row of `number`.
pub(super) fn revocation_at(
    text: &str,
    columns: &[Option<usize>],
    line: usize,
    start: usize,
    number: &str,
) -> Option<Revocation> {
    row_at(text, columns, line, start, number, |at| {
        Some(Revocation {
            line,
            at: at.cell(F::At).to_string(),
            reason: at.cell(F::Reason).to_string(),
        })
    })
}

/// `read` of the row at byte `start` (on `line`) of `text`, if the row
/// holds `number`: a row found again where an index says it is (a kept
/// index that points elsewhere finds nothing).
fn row_at<T>(
    text: &str,
    columns: &[Option<usize>],
    line: usize,
    start: usize,
    number: &str,
    read: impl FnOnce(&Located<'_, '_>) -> Option<T>,
) -> Option<T> {
    let rest = text.get(start..)?;
    let mut row = Row::default();
    Reader::with_separator(rest, b',').read(&mut row);
    row.line = line;
    let file = File {
        text: rest,
        columns: columns.to_vec(),
        width: row.len(),
    };
    let at = Located {
        file: &file,
        row: &row,
        plain: true,
    };
    match read_number(at.cell(F::Number)) {
        Reading::Valid(n) if n == number => read(&at),
        _ => None,
    }
}

/// A number cell read with its own prefix (the curriculum's may have
/// changed since), upper-cased as the number is canonical.
fn read_number(typed: &str) -> Reading {
    let prefix = memchr::memchr(b'-', typed.as_bytes()).map_or(typed, |i| &typed[..i]);
    let prefix = match prefix.bytes().any(|b| b.is_ascii_lowercase()) {
        true => Cow::Owned(prefix.to_ascii_uppercase()),
        false => Cow::Borrowed(prefix),
    };
    certnum::read(typed, &prefix)
}

/// The certificate levels; `Incomplete` earns none.
fn certificate_level(text: &str) -> Option<Level> {
    // The words `cohort issue` writes, before the lenient reading.
    match text {
        "Level 1" => Some(Level::Level1),
        "Level 1R" => Some(Level::Level1R),
        "Certified" => Some(Level::Certified),
        _ => Level::parse(text).filter(|l| *l != Level::Incomplete),
    }
}

/// A date as chrono's `%Y-%m-%d` reads it (a register edited by hand may
/// hold `2024-9-1`), the usual `2024-11-05` by [`crate::model::parse_ymd`].
fn ymd(text: &str) -> Option<NaiveDate> {
    crate::model::parse_ymd(text).or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
}

/// An RFC 3339 timestamp, or a plain date for rows entered by hand.
fn is_timestamp(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok() || ymd(text).is_some()
}

/// The register's text and how its header maps [`FIELDS`] to its columns.
pub(super) struct File<'t> {
    pub(super) text: &'t str,
    pub(super) columns: Vec<Option<usize>>,
    width: usize,
}

impl<'t> File<'t> {
    /// Reads the header; `None` (errors recorded) when required columns are missing.
    fn open(text: &'t str, header: &Row, diags: &mut Diagnostics) -> Option<File<'t>> {
        let names = (0..header.len()).map(|i| header.get(text, i).to_string());
        let first = crate::lines::lines(text).next().unwrap_or("");
        let required: Vec<&str> = FIELDS
            .iter()
            .copied()
            .filter(|f| !OPTIONAL.contains(f))
            .collect();
        let columns = load::map_header(REGISTER, names, first, FIELDS, &required, diags)?;
        Some(File {
            text,
            columns,
            width: header.len(),
        })
    }

    /// The first line of the record whose reading began at byte `byte`.
    fn line_at(&self, byte: usize) -> &'t str {
        crate::lines::first_line(self.text[byte..].trim_start_matches(['\r', '\n']))
    }
}

/// One row of the register being read, and where its problems go.
struct Located<'a, 't> {
    file: &'a File<'t>,
    row: &'a Row,
    /// Every byte of the row is printable ASCII: no cell holds a control character.
    plain: bool,
}

/// Whether the record read last, which ends at byte `end` of `text`, is
/// printable ASCII but for its line end: looked at whole, not cell by
/// cell. A record that ends the text might end inside quotes and is left
/// to the cells.
fn plain(text: &str, row: &Row, end: usize) -> bool {
    match text.as_bytes().get(row.start..end) {
        Some([raw @ .., _line_end]) if end < text.len() => raw
            .iter()
            .fold(true, |plain, b| plain & (0x20..0x7F).contains(b)),
        _ => false,
    }
}

impl<'a, 't> Located<'a, 't> {
    /// The column of field `f`, if the file has one.
    fn column(&self, f: F) -> Option<usize> {
        self.file.columns[f as usize]
    }

    /// Field `f`, trimmed; "" when the file has no such column.
    fn cell(&self, f: F) -> &'a str {
        match self.file.columns[f as usize] {
            Some(i) if i < self.row.len() => trim(self.row.get(self.file.text, i)),
            _ => "",
        }
    }

    /// What every row must be, whatever its status: not blank (blank rows
    /// are skipped quietly), as wide as the header, free of control
    /// characters, with a certificate number and a timestamp. Gives the
    /// canonical number and the timestamp; `None` when the row is left out.
    fn checked(&self, diags: &mut Diagnostics) -> Option<(String, &'a str)> {
        let (row, text) = (self.row, self.file.text);
        let cells = || (0..row.len()).map(|i| row.get(text, i));
        if cells().all(|c| trim(c).is_empty()) {
            return None;
        }
        if row.len() != self.file.width {
            self.error(
                Kind::WrongCellCount,
                diags,
                None,
                format!(
                    "row has {} cells but the header has {}",
                    row.len(),
                    self.file.width
                ),
                "a comma inside a cell needs the cell in double quotes, e.g. \"Brooks, Jr.\"",
            );
            return None;
        }
        if !self.plain
            && let Some((i, c)) = cells()
                .enumerate()
                .find_map(|(i, c)| crate::text::forbidden(trim(c)).map(|c| (i, c)))
        {
            let column = self.file.columns.contains(&Some(i)).then_some(i);
            self.error(
                Kind::ControlCharacter,
                diags,
                column,
                crate::text::problem(&format!("cell {}", i + 1), c),
                "certificate rows are written by `cohort issue` and `cohort revoke`; restore the row from git history",
            );
            return None;
        }
        let number = self.number(diags)?;
        let at = self.cell(F::At);
        if !is_timestamp(at) {
            self.error(
                Kind::BadTimestamp,
                diags,
                self.column(F::At),
                if at.is_empty() { "issued_at is empty".to_string() } else { format!("issued_at \"{at}\" is not a timestamp") },
                "write when the row was recorded, like 2025-03-14T10:05:00-04:00 (or a date, 2025-03-14)",
            );
            return None;
        }
        Some((number, at))
    }

    /// The row's number in canonical form, read with its own prefix (the
    /// curriculum's may have changed since); `None` when it cannot be one.
    fn number(&self, diags: &mut Diagnostics) -> Option<String> {
        let typed = self.cell(F::Number);
        match read_number(typed) {
            Reading::Valid(n) if n == typed => Some(n),
            Reading::Valid(n) => {
                self.warning(
                    Kind::NumberNotCanonical,
                    diags,
                    self.column(F::Number),
                    format!("number \"{typed}\" is not written the way cohort writes it"),
                )
                .help(format!("write it as {n}"));
                Some(n)
            }
            Reading::Mistyped { canonical } => {
                self.error(
                    Kind::NumberMistyped,
                    diags,
                    self.column(F::Number),
                    format!("number {canonical} has a check character that does not fit: a character was changed or mistyped"),
                    "certificate numbers are only ever written by `cohort issue`; restore the number from the printed certificate or from git history",
                );
                None
            }
            Reading::Malformed(why) => {
                self.error(
                    Kind::BadNumber,
                    diags,
                    self.column(F::Number),
                    format!("number \"{typed}\" is not a certificate number: {why}"),
                    "numbers look like PSCE-7K3M-9X2Q-H (prefix, eight characters, one check character)",
                );
                None
            }
        }
    }

    /// Records a checked row by its status.
    fn record(&self, number: String, at: &str, store: &mut impl Store, diags: &mut Diagnostics) {
        let status = self.cell(F::Status);
        // ASCII, as written: compared without making a lower-case copy.
        let is = |word: &str| match status.is_ascii() {
            true => status.eq_ignore_ascii_case(word),
            false => status.to_lowercase() == word,
        };
        if is("issued") {
            if let Some((level, date)) = self.issued(diags) {
                let (line, start) = (self.row.line, self.row.start);
                let make = |number| self.certificate(number, level, date);
                if let Some((number, first, first_start)) = store.add(number, line, start, make) {
                    self.issued_again(&number, first, first_start, diags);
                }
            }
        } else if is("revoked") {
            self.revoked(&number, at, store, diags);
        } else {
            self.error(
                Kind::BadStatus,
                diags,
                self.column(F::Status),
                format!("status \"{status}\" is not issued or revoked"),
                "a certificate row is `issued`; a later row with the same number and `revoked` revokes it",
            );
        }
    }

    /// The level and date of an `issued` row, if its cells are right.
    fn issued(&self, diags: &mut Diagnostics) -> Option<(Level, NaiveDate)> {
        let cohort = self.cell(F::Cohort);
        let participant = self.cell(F::Participant);
        let name = self.cell(F::Name);
        let (level_text, date_text) = (self.cell(F::Level), self.cell(F::Date));
        let (level, date) = (certificate_level(level_text), ymd(date_text));
        let problem = if !is_slug(cohort) {
            Some((
                F::Cohort,
                Kind::BadCohortId,
                format!("cohort \"{cohort}\" is not a cohort id"),
                "cohort ids are lower-case letters, digits and dashes, e.g. 2024-fall",
            ))
        } else if !is_participant_id(participant) {
            Some((
                F::Participant,
                Kind::BadParticipantId,
                format!("participant \"{participant}\" is not a participant id"),
                "participant ids are lower-case letters, digits, dots, dashes and underscores, e.g. p01",
            ))
        } else if name.is_empty() {
            Some((
                F::Name,
                Kind::EmptyName,
                "name is empty".into(),
                "the name is the one printed on the certificate",
            ))
        } else if level.is_none() {
            Some((
                F::Level,
                Kind::BadLevel,
                format!("level \"{level_text}\" is not a certificate level"),
                "write Level 1, Level 1R or Certified",
            ))
        } else if date.is_none() {
            Some((
                F::Date,
                Kind::BadDate,
                format!("date \"{date_text}\" is not a date"),
                "write the date the level was reached, like 2024-11-07 (YYYY-MM-DD)",
            ))
        } else {
            None
        };
        if let Some((f, kind, message, help)) = problem {
            self.error(kind, diags, self.column(f), message, help);
            return None;
        }
        Some((level?, date?))
    }

    /// The certificate of this `issued` row, whose cells were checked.
    fn certificate(&self, number: String, level: Level, date: NaiveDate) -> Certificate {
        Certificate {
            line: self.row.line,
            number,
            cohort: self.cell(F::Cohort).to_string(),
            participant: self.cell(F::Participant).to_string(),
            name: self.cell(F::Name).to_string(),
            level,
            date,
            issued_at: self.cell(F::At).to_string(),
            revoked: None,
        }
    }

    /// An `issued` row for a number issued before (on `line`, the row at
    /// byte `start`; no certificate is kept for it): a warning for the very
    /// same row again, a git merge done twice; an error otherwise.
    fn issued_again(&self, number: &str, line: usize, start: usize, diags: &mut Diagnostics) {
        let this = self.file.line_at(self.row.start);
        if self.file.line_at(start).trim_end() == this.trim_end() {
            let message =
                format!("repeats line {line} exactly: a git merge done twice leaves such copies");
            self.warning(Kind::RepeatedRow, diags, None, message)
                .help("it changes nothing (one certificate, one number); you may delete the copy");
            return;
        }
        self.error(
            Kind::NumberReused,
            diags,
            self.column(F::Number),
            format!("number {number} was already issued on line {line}"),
            "every certificate has its own number; a number is never issued twice",
        );
    }

    /// A `revoked` row: the revocation of the certificate issued above it.
    fn revoked(&self, number: &str, at: &str, store: &mut impl Store, diags: &mut Diagnostics) {
        let Some(cert) = store.revocable(self.file, number) else {
            self.error(
                Kind::RevokesUnissued,
                diags,
                self.column(F::Number),
                format!("revokes {number}, but no earlier row issued it"),
                "a revoked row repeats the number of an issued row above it; `cohort revoke` writes it",
            );
            return;
        };
        if let Some(before) = &cert.revoked {
            let message = format!("{number} was already revoked on line {}", before.line);
            self.warning(Kind::RevokedTwice, diags, self.column(F::Number), message)
                .help("the first revocation stands; this row changes nothing");
            return;
        }
        // What the row repeats must be what was issued.
        let issued = cert.issued_record();
        for f in [F::Cohort, F::Participant, F::Name, F::Level, F::Date] {
            let value = self.cell(f);
            let same = match f {
                F::Level => certificate_level(value) == Some(cert.level),
                _ => value == issued[f as usize],
            };
            if !value.is_empty() && !same {
                let message = format!(
                    "{} \"{value}\" differs from the issued row of {number} (line {}: \"{}\")",
                    FIELDS[f as usize], cert.line, issued[f as usize]
                );
                self.warning(Kind::RevocationDiffers, diags, self.column(f), message)
                    .help("the issued row is what was printed; this cell is ignored");
            }
        }
        let reason = self.cell(F::Reason);
        if reason.is_empty() {
            self.warning(Kind::RevocationWithoutReason, diags, self.column(F::Reason), format!("the revocation of {number} gives no reason"))
                .help("`cohort verify --staff` tells staff why a certificate was revoked; say why in the reason column");
        }
        cert.revoked = Some(Revocation {
            line: self.row.line,
            at: at.to_string(),
            reason: reason.to_string(),
        });
        store.revoked_by(number, self.row.line, self.row.start);
    }

    fn error(
        &self,
        kind: Kind,
        diags: &mut Diagnostics,
        column: Option<usize>,
        message: String,
        help: &str,
    ) {
        let d = diags.error(kind, REGISTER, Some(self.row.line), message);
        self.underline(d, column).help(help);
    }

    fn warning<'d>(
        &self,
        kind: Kind,
        diags: &'d mut Diagnostics,
        column: Option<usize>,
        message: String,
    ) -> &'d mut Diagnostic {
        let d = diags.warning(kind, REGISTER, Some(self.row.line), message);
        self.underline(d, column)
    }

    /// The row's line with the cell in `column` underlined (the whole line without one).
    fn underline<'d>(&self, d: &'d mut Diagnostic, column: Option<usize>) -> &'d mut Diagnostic {
        let text = self.file.line_at(self.row.start);
        let span = column.and_then(|i| cell_span(text, i));
        let (start, end) = span.unwrap_or((0, text.len()));
        d.excerpt(text, start, end)
    }
}
