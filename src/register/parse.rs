//! Reading `certificates.csv`: the rows split by the crate's one CSV layer
//! ([`crate::csvread`]), every row checked, every problem located at its
//! line with the cell underlined.
//!
//! One pass, linear in the register: each row is looked at once, a number
//! is found through the register's index, and cells are borrowed from the
//! text until a certificate keeps them. `verify` reads the whole register
//! this way on every call (a row with an error anywhere might hide a
//! revocation), so this pass is what `verify` costs.

use chrono::{DateTime, NaiveDate};

use super::{Certificate, FIELDS, REGISTER, Register, Revocation};
use crate::certnum::{self, Reading};
use crate::csvread::{Reader, Row, cell_span};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, is_participant_id, is_slug};
use crate::rules::Level;

const REQUIRED: &[&str] = &[
    "number",
    "cohort",
    "participant",
    "name",
    "level",
    "date",
    "status",
];
const F_NUMBER: usize = 0;
const F_COHORT: usize = 1;
const F_PARTICIPANT: usize = 2;
const F_NAME: usize = 3;
const F_LEVEL: usize = 4;
const F_DATE: usize = 5;
const F_AT: usize = 6;
const F_STATUS: usize = 7;
const F_REASON: usize = 8;

/// Parses and validates the register's text (as read, or as held under the lock).
pub fn parse(text: &str, diags: &mut Diagnostics) -> Register {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::with_separator(text, b',');
    let mut row = Row::default();
    let mut register = Register::default();
    if !reader.read(&mut row) {
        return register;
    }
    let Some(file) = File::open(text, &row, diags) else {
        return register;
    };
    // Where each certificate's row begins, to tell an exact copy.
    let mut starts = Vec::new();
    while reader.read(&mut row) {
        let at = Located {
            file: &file,
            row: &row,
        };
        if let Some((number, at_cell)) = at.checked(diags) {
            at.record(number, at_cell, &mut register, &mut starts, diags);
        }
    }
    register
}

/// The certificate levels; `Incomplete` earns none.
fn certificate_level(text: &str) -> Option<Level> {
    Level::parse(text).filter(|l| *l != Level::Incomplete)
}

/// An RFC 3339 timestamp, or a plain date for rows entered by hand.
fn is_timestamp(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok()
        || NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// The register's text and how its header maps [`FIELDS`] to its columns.
struct File<'t> {
    text: &'t str,
    columns: Vec<Option<usize>>,
    width: usize,
}

impl<'t> File<'t> {
    /// Reads the header; `None` (errors recorded) when required columns are missing.
    fn open(text: &'t str, header: &Row, diags: &mut Diagnostics) -> Option<File<'t>> {
        let names = (0..header.len()).map(|i| header.get(text, i).to_string());
        let first = crate::lines::lines(text).next().unwrap_or("");
        let columns = load::map_header(REGISTER, names, first, FIELDS, REQUIRED, diags)?;
        Some(File {
            text,
            columns,
            width: header.len(),
        })
    }

    /// The first line of the record whose reading began at byte `byte`.
    fn line_at(&self, byte: usize) -> &'t str {
        let rest = self.text[byte..].trim_start_matches(['\r', '\n']);
        rest.split(['\r', '\n']).next().unwrap_or(rest)
    }
}

/// One row of the register being read, and where its problems go.
struct Located<'a, 't> {
    file: &'a File<'t>,
    row: &'a Row,
}

impl<'a, 't> Located<'a, 't> {
    /// Field `f`, trimmed; "" when the file has no such column.
    fn cell(&self, f: usize) -> &'a str {
        match self.file.columns[f] {
            Some(i) if i < self.row.len() => self.row.get(self.file.text, i).trim(),
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
        if cells().all(|c| c.trim().is_empty()) {
            return None;
        }
        if row.len() != self.file.width {
            self.error(
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
        if let Some((i, c)) = cells()
            .enumerate()
            .find_map(|(i, c)| crate::text::forbidden(c.trim()).map(|c| (i, c)))
        {
            let f = self.file.columns.iter().position(|&col| col == Some(i));
            self.error(
                diags,
                f,
                crate::text::problem(&format!("cell {}", i + 1), c),
                "certificate rows are written by `cohort issue` and `cohort revoke`; restore the row from git history",
            );
            return None;
        }
        let number = self.number(diags)?;
        let at = self.cell(F_AT);
        if !is_timestamp(at) {
            self.error(
                diags,
                Some(F_AT),
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
        let typed = self.cell(F_NUMBER);
        let prefix = typed.split('-').next().unwrap_or("").to_ascii_uppercase();
        match certnum::read(typed, &prefix) {
            Reading::Valid(n) if n == typed => Some(n),
            Reading::Valid(n) => {
                self.warning(
                    diags,
                    Some(F_NUMBER),
                    format!("number \"{typed}\" is not written the way cohort writes it"),
                )
                .help(format!("write it as {n}"));
                Some(n)
            }
            Reading::Mistyped { canonical } => {
                self.error(
                    diags,
                    Some(F_NUMBER),
                    format!("number {canonical} has a check character that does not fit: a character was changed or mistyped"),
                    "certificate numbers are only ever written by `cohort issue`; restore the number from the printed certificate or from git history",
                );
                None
            }
            Reading::Malformed(why) => {
                self.error(
                    diags,
                    Some(F_NUMBER),
                    format!("number \"{typed}\" is not a certificate number: {why}"),
                    "numbers look like PSCE-7K3M-9X2Q-H (prefix, eight characters, one check character)",
                );
                None
            }
        }
    }

    /// Records a checked row by its status.
    fn record(
        &self,
        number: String,
        at: &str,
        register: &mut Register,
        starts: &mut Vec<usize>,
        diags: &mut Diagnostics,
    ) {
        let status = self.cell(F_STATUS);
        match status.to_lowercase().as_str() {
            "issued" => {
                if let Some(cert) = self.issued(number, at, register, starts, diags) {
                    starts.push(self.row.start);
                    register.add(cert);
                }
            }
            "revoked" => self.revoked(&number, at, register, diags),
            _ => self.error(
                diags,
                Some(F_STATUS),
                format!("status \"{status}\" is not issued or revoked"),
                "a certificate row is `issued`; a later row with the same number and `revoked` revokes it",
            ),
        }
    }

    /// The certificate an `issued` row gives, if its cells are right and its
    /// number new (an exact copy of an earlier row is only a warning).
    fn issued(
        &self,
        number: String,
        at: &str,
        register: &Register,
        starts: &[usize],
        diags: &mut Diagnostics,
    ) -> Option<Certificate> {
        let cohort = self.cell(F_COHORT);
        let participant = self.cell(F_PARTICIPANT);
        let name = self.cell(F_NAME);
        let (level_text, date_text) = (self.cell(F_LEVEL), self.cell(F_DATE));
        let problem = if !is_slug(cohort) {
            Some((
                F_COHORT,
                format!("cohort \"{cohort}\" is not a cohort id"),
                "cohort ids are lower-case letters, digits and dashes, e.g. 2024-fall",
            ))
        } else if !is_participant_id(participant) {
            Some((
                F_PARTICIPANT,
                format!("participant \"{participant}\" is not a participant id"),
                "participant ids are lower-case letters, digits, dots, dashes and underscores, e.g. p01",
            ))
        } else if name.is_empty() {
            Some((
                F_NAME,
                "name is empty".into(),
                "the name is the one printed on the certificate",
            ))
        } else {
            None
        };
        if let Some((f, message, help)) = problem {
            self.error(diags, Some(f), message, help);
            return None;
        }
        let Some(level) = certificate_level(level_text) else {
            self.error(
                diags,
                Some(F_LEVEL),
                format!("level \"{level_text}\" is not a certificate level"),
                "write Level 1, Level 1R or Certified",
            );
            return None;
        };
        let Ok(date) = NaiveDate::parse_from_str(date_text, "%Y-%m-%d") else {
            self.error(
                diags,
                Some(F_DATE),
                format!("date \"{date_text}\" is not a date"),
                "write the date the level was reached, like 2024-11-07 (YYYY-MM-DD)",
            );
            return None;
        };
        if let Some(first) = register.by_number.get(&number) {
            self.issued_again(&register.certificates[*first], starts[*first], diags);
            return None;
        }
        Some(Certificate {
            line: self.row.line,
            number,
            cohort: cohort.to_string(),
            participant: participant.to_string(),
            name: name.to_string(),
            level,
            date,
            issued_at: at.to_string(),
            revoked: None,
        })
    }

    /// An `issued` row for a number issued before (on the row at `start`):
    /// a warning for the very same row again, a git merge done twice; an
    /// error otherwise.
    fn issued_again(&self, first: &Certificate, start: usize, diags: &mut Diagnostics) {
        let this = self.file.line_at(self.row.start);
        if self.file.line_at(start).trim_end() == this.trim_end() {
            self.warning(
                diags,
                None,
                format!(
                    "repeats line {} exactly: a git merge done twice leaves such copies",
                    first.line
                ),
            )
            .help("it changes nothing (one certificate, one number); you may delete the copy");
            return;
        }
        self.error(
            diags,
            Some(F_NUMBER),
            format!(
                "number {} was already issued on line {}",
                first.number, first.line
            ),
            "every certificate has its own number; a number is never issued twice",
        );
    }

    /// A `revoked` row: the revocation of the certificate issued above it.
    fn revoked(&self, number: &str, at: &str, register: &mut Register, diags: &mut Diagnostics) {
        let Some(cert) = register.get_mut(number) else {
            self.error(
                diags,
                Some(F_NUMBER),
                format!("revokes {number}, but no earlier row issued it"),
                "a revoked row repeats the number of an issued row above it; `cohort revoke` writes it",
            );
            return;
        };
        if let Some(before) = &cert.revoked {
            self.warning(
                diags,
                Some(F_NUMBER),
                format!("{number} was already revoked on line {}", before.line),
            )
            .help("the first revocation stands; this row changes nothing");
            return;
        }
        // What the row repeats must be what was issued.
        let issued = cert.issued_record();
        for f in [F_COHORT, F_PARTICIPANT, F_NAME, F_LEVEL, F_DATE] {
            let value = self.cell(f);
            let same = match f {
                F_LEVEL => certificate_level(value) == Some(cert.level),
                _ => value == issued[f],
            };
            if !value.is_empty() && !same {
                self.warning(
                    diags,
                    Some(f),
                    format!(
                        "{} \"{value}\" differs from the issued row of {number} (line {}: \"{}\")",
                        FIELDS[f], cert.line, issued[f]
                    ),
                )
                .help("the issued row is what was printed; this cell is ignored");
            }
        }
        let reason = self.cell(F_REASON);
        if reason.is_empty() {
            self.warning(diags, Some(F_REASON), format!("the revocation of {number} gives no reason"))
                .help("`cohort verify --staff` tells staff why a certificate was revoked; say why in the reason column");
        }
        cert.revoked = Some(Revocation {
            line: self.row.line,
            at: at.to_string(),
            reason: reason.to_string(),
        });
    }

    fn error(&self, diags: &mut Diagnostics, f: Option<usize>, message: String, help: &str) {
        let d = diags.error(REGISTER, Some(self.row.line), message);
        self.underline(d, f).help(help);
    }

    fn warning<'d>(
        &self,
        diags: &'d mut Diagnostics,
        f: Option<usize>,
        message: String,
    ) -> &'d mut Diagnostic {
        let d = diags.warning(REGISTER, Some(self.row.line), message);
        self.underline(d, f)
    }

    /// The row's line with the cell of field `f` underlined (the whole line without one).
    fn underline<'d>(&self, d: &'d mut Diagnostic, f: Option<usize>) -> &'d mut Diagnostic {
        let text = self.file.line_at(self.row.start);
        let span = f
            .and_then(|f| self.file.columns[f])
            .and_then(|i| cell_span(text, i));
        let (start, end) = span.unwrap_or((0, text.len()));
        d.excerpt(text, start, end)
    }
}
