//! Where the rows of the register go as they are read: every certificate
//! ([`Full`], what [`super::parse`] gives), or only where each was issued
//! ([`Building`], which becomes the [`super::Index`] of `verify`). The
//! checks of a row are the same for both ([`super::parse`]).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::numbers::Numbers;
use super::parse::{File, certificate_at};
use super::{Certificate, Register};

/// Where the rows read are kept: every certificate ([`Full`]), or only
/// where each was issued ([`Index`]).
pub(super) trait Store {
    /// Room for about `n` certificates.
    fn reserve(&mut self, n: usize);
    /// Keeps the certificate of an issued row (`make` builds it) on `line`,
    /// beginning at byte `start`; if `number` was issued before, keeps
    /// nothing and gives the number back with the line and first byte of
    /// the row that issued it.
    fn add(
        &mut self,
        number: String,
        line: usize,
        start: usize,
        make: impl FnOnce(String) -> Certificate,
    ) -> Option<(String, usize, usize)>;
    /// The certificate issued as `number`, to revoke it.
    fn revocable(&mut self, file: &File<'_>, number: &str) -> Option<&mut Certificate>;
    /// Notes that the row on `line` at byte `start` revoked `number` (its
    /// first revocation, the one that stands).
    fn revoked_by(&mut self, _number: &str, _line: usize, _start: usize) {}
}

/// The whole register, and where each certificate's row begins (to tell
/// an exact copy).
#[derive(Default)]
pub(super) struct Full {
    pub(super) register: Register,
    starts: Vec<usize>,
}

impl Store for Full {
    fn reserve(&mut self, n: usize) {
        self.register.certificates.reserve(n);
        self.register.by_number.reserve(n);
        self.starts.reserve(n);
    }

    fn add(
        &mut self,
        number: String,
        _line: usize,
        start: usize,
        make: impl FnOnce(String) -> Certificate,
    ) -> Option<(String, usize, usize)> {
        let next = self.register.certificates.len();
        if let Some(&mut first) = self.register.by_number.insert_new(&number, next) {
            let line = self.register.certificates[first].line;
            return Some((number, line, self.starts[first]));
        }
        self.starts.push(start);
        self.register.certificates.push(make(number));
        None
    }

    fn revocable(&mut self, _file: &File<'_>, number: &str) -> Option<&mut Certificate> {
        self.register.get_mut(number)
    }
}

/// What `verify` keeps while the rows are read: where each certificate's
/// row is, and the certificates revoked so far (to compare a revocation
/// with what was issued).
#[derive(Default)]
pub(super) struct Building {
    /// The line and first byte of each certificate's issued row.
    pub(super) rows: Numbers<(usize, usize)>,
    revoked: HashMap<usize, Certificate>,
    /// By the first byte of a revoked certificate's issued row: the line
    /// and first byte of the row that revoked it.
    pub(super) revocations: HashMap<usize, (usize, usize)>,
}

impl Store for Building {
    fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
    }

    fn add(
        &mut self,
        number: String,
        line: usize,
        start: usize,
        _make: impl FnOnce(String) -> Certificate,
    ) -> Option<(String, usize, usize)> {
        let &mut (first, first_start) = self.rows.insert_new(&number, (line, start))?;
        Some((number, first, first_start))
    }

    fn revocable(&mut self, file: &File<'_>, number: &str) -> Option<&mut Certificate> {
        let &(line, start) = self.rows.get(number)?;
        match self.revoked.entry(start) {
            Entry::Occupied(kept) => Some(kept.into_mut()),
            Entry::Vacant(slot) => {
                let cert = certificate_at(file.text, &file.columns, line, start, number)?;
                Some(slot.insert(cert))
            }
        }
    }

    fn revoked_by(&mut self, number: &str, line: usize, start: usize) {
        if let Some(&(_, issued)) = self.rows.get(number) {
            self.revocations.entry(issued).or_insert((line, start));
        }
    }
}
