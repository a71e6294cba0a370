//! The certificate register `certificates.csv`: the model, and reading it.
//!
//! Append-only: a certificate is one `issued` row; a revocation is a later
//! `revoked` row with the same number. `name`, `level` and `date` are frozen
//! as printed, so the register, not today's records, says what a certificate
//! says. Every problem is a located [`Diagnostic`](crate::diag::Diagnostic),
//! like the other loaders'.
//!
//! - [`parse`]: the CSV read and every row checked, problems located;
//! - [`standing`]: who stands at which level in a cohort's records;
//! - [`crosscheck`]: where the register and the records disagree;
//! - [`cache`]: `verify`'s index of a register checked before, kept.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::diag::Diagnostics;
use crate::load::{self, FileKind, Root};
use crate::rules::Level;
use numbers::{Numbers, Sorted};

mod cache;
mod crosscheck;
mod numbers;
mod parse;
mod standing;
mod store;
#[cfg(test)]
mod tests;

pub use crosscheck::{cross_check, issued_twice};
pub use parse::parse;
pub use standing::{CohortLevels, Standing};

/// Where the register lives, relative to the data root.
pub const REGISTER: &str = "certificates.csv";

/// The register's columns, in the order `cohort` writes them.
pub const FIELDS: &[&str] = &[
    "number",
    "cohort",
    "participant",
    "name",
    "level",
    "date",
    "issued_at",
    "status",
    "reason",
];

/// One issued certificate, as printed, and its revocation if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// Line of the `issued` row.
    pub line: usize,
    /// Canonical form, `PREFIX-XXXX-XXXX-C`.
    pub number: String,
    pub cohort: String,
    pub participant: String,
    pub name: String,
    pub level: Level,
    /// The date the level was reached.
    pub date: NaiveDate,
    pub issued_at: String,
    pub revoked: Option<Revocation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub line: usize,
    /// When the `revoked` row was written (its `issued_at` cell).
    pub at: String,
    pub reason: String,
}

impl Revocation {
    /// The date part of `at`.
    pub fn date(&self) -> &str {
        self.at.get(..10).unwrap_or(&self.at)
    }
}

impl Certificate {
    /// The `issued` row, in [`FIELDS`] order.
    pub fn issued_record(&self) -> Vec<String> {
        self.record(&self.issued_at, "issued", "")
    }

    /// A `revoked` row for this certificate: it repeats what was revoked so
    /// the register reads on its own.
    pub fn revoked_record(&self, at: &str, reason: &str) -> Vec<String> {
        self.record(at, "revoked", reason)
    }

    fn record(&self, at: &str, status: &str, reason: &str) -> Vec<String> {
        vec![
            self.number.clone(),
            self.cohort.clone(),
            self.participant.clone(),
            self.name.clone(),
            self.level.to_string(),
            self.date.to_string(),
            at.to_string(),
            status.to_string(),
            reason.to_string(),
        ]
    }
}

/// Every certificate in the register, in the order issued. Rows with errors
/// are left out (and reported).
#[derive(Debug, Clone, Default)]
pub struct Register {
    pub certificates: Vec<Certificate>,
    /// Where each number is in `certificates`: `revoke` looks one up in
    /// constant time, however long the register.
    by_number: Numbers<usize>,
}

impl Register {
    fn get_mut(&mut self, number: &str) -> Option<&mut Certificate> {
        let i = *self.by_number.get(number)?;
        Some(&mut self.certificates[i])
    }

    pub fn get(&self, number: &str) -> Option<&Certificate> {
        self.by_number.get(number).map(|&i| &self.certificates[i])
    }

    pub fn numbers(&self) -> impl Iterator<Item = &str> {
        self.certificates.iter().map(|c| c.number.as_str())
    }

    /// Certificates that are not revoked.
    pub fn valid(&self) -> impl Iterator<Item = &Certificate> {
        self.certificates.iter().filter(|c| c.revoked.is_none())
    }

    /// The prefixes that begin registered numbers, sorted (a curriculum
    /// may have been renamed).
    pub fn prefixes(&self) -> Vec<&str> {
        self.by_number.prefixes()
    }
}

/// The register as `verify` needs it: every row checked as [`load`] checks
/// it, but only where each certificate's row is kept, and a certificate
/// read again from its row when asked for. `verify` reads the whole
/// register on every call; keeping 100,000 certificates would cost it
/// most of its time, and checking them all again most of the rest: a
/// register checked once is kept as this index ([`cache`], BENCHMARKS.md).
#[derive(Debug, Default)]
pub struct Index {
    text: String,
    columns: Vec<Option<usize>>,
    /// The line and first byte of each certificate's issued row.
    rows: Sorted<(usize, usize)>,
    /// By the first byte of a revoked certificate's issued row: the line
    /// and first byte of the row that revoked it.
    revocations: HashMap<usize, (usize, usize)>,
}

impl Index {
    /// The certificate `number`, with its revocation if any.
    pub fn get(&self, number: &str) -> Option<Certificate> {
        let &(line, start) = self.rows.get(number)?;
        let text = parse::body(&self.text);
        let mut cert = parse::certificate_at(text, &self.columns, line, start, number)?;
        if let Some(&(line, at)) = self.revocations.get(&start) {
            cert.revoked = Some(parse::revocation_at(text, &self.columns, line, at, number)?);
        }
        Some(cert)
    }

    /// Every registered number, in no particular order.
    pub fn numbers(&self) -> impl Iterator<Item = String> {
        self.rows.iter().map(|(number, _)| number)
    }

    /// The prefixes that begin registered numbers, sorted.
    pub fn prefixes(&self) -> Vec<&str> {
        self.rows.prefixes()
    }
}

/// Reads the register below `root`; a missing file is an empty register.
pub fn load(root: &Root, diags: &mut Diagnostics) -> Register {
    match load::read_source(root, REGISTER, FileKind::Csv, diags) {
        Ok(Some(src)) => parse(&src.text, diags),
        Ok(None) | Err(load::Reported) => Register::default(),
    }
}

/// Reads and checks the register below `root` as [`load`] does, keeping
/// only its [`Index`].
pub fn index(root: &Root, diags: &mut Diagnostics) -> Index {
    match load::read_source(root, REGISTER, FileKind::Csv, diags) {
        Ok(Some(src)) => cache::index(root, src.text, diags),
        Ok(None) | Err(load::Reported) => Index::default(),
    }
}
