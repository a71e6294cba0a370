//! `verify`'s index of a register it checked before, kept in the user's
//! cache folder so that the next `verify` of the same register need not
//! check 100,000 rows again (BENCHMARKS.md).
//!
//! What is kept is where each certificate's row is (numbers as small
//! keys, lines and byte offsets), never a name, a reason or any other
//! cell: a certificate is always read again from the register itself. An
//! index is used only for the very register it was made from: it is kept
//! under a 128-bit hash (XXH3) of the register's text and of this
//! `cohort` executable's size and time, so that any change to either (one
//! byte of the register, a new build) makes it stale, and a register is
//! checked again in full. (A hash made against accidents, not forgery, is
//! enough: whoever could forge a register that hashes alike could edit
//! the register itself; and SHA-256 would cost `verify` a third of its
//! time, BENCHMARKS.md.) An
//! index is kept only when the register had no errors (with errors,
//! `verify` refuses to answer, and is asked again after a fix).
//!
//! The folder is `COHORT_CACHE_DIR` if set (empty: keep nothing), else
//! `cohort` in the platform's cache folder (`~/.cache/cohort` on Linux).
//! One file per register, written whole and renamed into place, readable
//! by its owner only; any problem with it (missing, damaged, unwritable)
//! is the same as having none, and is not shown.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use super::numbers::Sorted;
use super::{Index, REGISTER, parse};
use crate::diag::Diagnostics;
use crate::load::Root;

/// The first bytes of an index file; the number changes with its layout.
const MAGIC: &[u8] = b"cohort register index 1\n";

/// Checks the register's `text` as [`parse::index`] does, or takes its
/// index as kept when the same text was checked before.
pub(super) fn index(root: &Root, text: String, diags: &mut Diagnostics) -> Index {
    let Some(place) = Place::find(root, &text) else {
        return parse::index(text, diags);
    };
    if let Some(kept) = std::fs::read(&place.path)
        .ok()
        .and_then(|b| decode(&b, &place.key))
    {
        return Index { text, ..kept };
    }
    let index = parse::index(text, diags);
    if !diags.has_errors() {
        place.keep(&index);
    }
    index
}

/// Where the index of one register is kept, and the key it must carry.
struct Place {
    path: PathBuf,
    key: Key128,
}

/// What an index is kept under: the hash of the register and the build.
type Key128 = [u8; 16];

impl Place {
    fn find(root: &Root, text: &str) -> Option<Place> {
        let dir = match std::env::var_os("COHORT_CACHE_DIR") {
            Some(dir) if dir.is_empty() => return None,
            Some(dir) => PathBuf::from(dir),
            None => dirs::cache_dir()?.join("cohort"),
        };
        let register = std::fs::canonicalize(root.path(REGISTER)).ok()?;
        let name = xxh3_128(register.as_os_str().as_encoded_bytes());
        let path = dir.join(format!("register-{name:032x}.idx"));
        Some(Place {
            path,
            key: key(text, &executable()?),
        })
    }

    /// Writes `index` in place of any kept before; problems are ignored
    /// (the next `verify` checks the register again).
    fn keep(&self, index: &Index) {
        let _ = self.write(&encode(index, &self.key));
    }

    fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
        // Created readable by its owner only, and renamed into place whole.
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        file.write_all(bytes)?;
        file.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// What tells this build of `cohort` from another: its size and time.
fn executable() -> Option<Vec<u8>> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let time = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut id = meta.len().to_le_bytes().to_vec();
    id.extend_from_slice(&time.as_nanos().to_le_bytes());
    Some(id)
}

/// The key of an index of `text` made by the build `executable`.
fn key(text: &str, executable: &[u8]) -> Key128 {
    let mut hash = Xxh3::new();
    hash.update(MAGIC);
    hash.update(&(executable.len() as u64).to_le_bytes());
    hash.update(executable);
    hash.update(text.as_bytes());
    hash.digest128().to_le_bytes()
}

/// `MAGIC`, the key, the hash of the body, and the body: the columns,
/// the prefixes, the rows and the revocations, as little-endian numbers.
fn encode(index: &Index, key: &Key128) -> Vec<u8> {
    let mut body = Vec::with_capacity(64 + index.rows.entries.len() * 28);
    let u64 = |body: &mut Vec<u8>, n: usize| body.extend_from_slice(&(n as u64).to_le_bytes());
    u64(&mut body, index.columns.len());
    for column in &index.columns {
        u64(&mut body, column.map_or(usize::MAX, |c| c));
    }
    u64(&mut body, index.rows.prefixes.len());
    for prefix in &index.rows.prefixes {
        u64(&mut body, prefix.len());
        body.extend_from_slice(prefix.as_bytes());
    }
    u64(&mut body, index.rows.entries.len());
    for &((id, code), (line, start)) in &index.rows.entries {
        body.extend_from_slice(&id.to_le_bytes());
        body.extend_from_slice(&code.to_le_bytes());
        u64(&mut body, line);
        u64(&mut body, start);
    }
    let mut revocations: Vec<_> = index.revocations.iter().collect();
    revocations.sort_unstable();
    u64(&mut body, revocations.len());
    for (&issued, &(line, start)) in revocations {
        u64(&mut body, issued);
        u64(&mut body, line);
        u64(&mut body, start);
    }
    let mut bytes = Vec::with_capacity(MAGIC.len() + 32 + body.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(key);
    bytes.extend_from_slice(&xxh3_128(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    bytes
}

/// The index in `bytes` if it is whole, undamaged and made under `key`,
/// without its text (the register's, which the caller has).
fn decode(bytes: &[u8], key: &Key128) -> Option<Index> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (kept_key, rest) = rest.split_at_checked(16)?;
    let (sum, body) = rest.split_at_checked(16)?;
    if kept_key != key || sum != xxh3_128(body).to_le_bytes() {
        return None;
    }
    let mut r = Cursor(body);
    let columns = (0..r.count(8)?)
        .map(|_| r.usize().map(|c| (c != usize::MAX).then_some(c)))
        .collect::<Option<Vec<_>>>()?;
    let prefixes = (0..r.count(8)?)
        .map(|_| {
            let len = r.usize()?;
            String::from_utf8(r.take(len)?.to_vec()).ok()
        })
        .collect::<Option<Vec<_>>>()?;
    let rows = (0..r.count(28)?)
        .map(|_| Some(((r.u32()?, r.u64()?), (r.usize()?, r.usize()?))))
        .collect::<Option<Vec<_>>>()?;
    let revocations = (0..r.count(24)?)
        .map(|_| Some((r.usize()?, (r.usize()?, r.usize()?))))
        .collect::<Option<HashMap<_, _>>>()?;
    (r.0.is_empty() && columns_fit(&columns)).then_some(())?;
    Some(Index {
        text: String::new(),
        columns,
        // A binary search needs the rows in order.
        rows: Sorted::new(rows, prefixes)?,
        revocations,
    })
}

/// One column per field of the register.
fn columns_fit(columns: &[Option<usize>]) -> bool {
    columns.is_empty() || columns.len() == super::FIELDS.len()
}

/// Little-endian numbers read off the front of a byte string.
struct Cursor<'b>(&'b [u8]);

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    /// A count of items of `size` bytes each, if that many can follow.
    fn count(&mut self, size: usize) -> Option<usize> {
        let n = self.usize()?;
        (n.checked_mul(size)? <= self.0.len()).then_some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certnum::tests::number;

    /// Two certificates, the first of them revoked.
    fn register_text() -> String {
        let (a, b) = (number("7K3M9X2Q"), number("00000001"));
        format!(
            "{}\n\
             {a},2024-fall,p01,Ana Lima,Level 1,2024-11-07,2024-11-20T10:00:00+00:00,issued,\n\
             {b},2024-fall,p02,\"Ode, Ben\",Level 1R,2024-11-07,2024-11-20T10:00:00+00:00,issued,\n\
             {a},2024-fall,p01,Ana Lima,Level 1,2024-11-07,2024-11-21T10:00:00+00:00,revoked,issued in error\n",
            super::super::FIELDS.join(",")
        )
    }

    fn index() -> Index {
        let mut diags = Diagnostics::default();
        let index = parse::index(register_text(), &mut diags);
        assert!(!diags.has_errors(), "{diags:?}");
        index
    }

    #[test]
    fn an_index_read_back_finds_what_the_checked_register_finds() {
        let key = key(&register_text(), b"build");
        let checked = index();
        let kept = Index {
            text: register_text(),
            ..decode(&encode(&checked, &key), &key).expect("read back")
        };
        let (a, b) = (number("7K3M9X2Q"), number("00000001"));
        for n in [&a, &b, &number("00000002")] {
            assert_eq!(kept.get(n), checked.get(n), "{n}");
        }
        let revoked = kept.get(&a).unwrap().revoked.unwrap();
        assert_eq!(
            (revoked.line, revoked.reason.as_str()),
            (4, "issued in error")
        );
        assert_eq!(kept.get(&b).unwrap().name, "Ode, Ben");
        assert_eq!(kept.get(&b).unwrap().revoked, None);
        let mut mine: Vec<String> = kept.numbers().collect();
        let mut theirs: Vec<String> = checked.numbers().collect();
        mine.sort();
        theirs.sort();
        assert_eq!(mine, theirs);
        assert_eq!(kept.prefixes(), checked.prefixes());
    }

    #[test]
    fn an_index_of_other_text_or_damaged_is_not_used() {
        let key = key(&register_text(), b"build");
        let bytes = encode(&index(), &key);
        assert!(decode(&bytes, &key).is_some());
        // Another register, or another build of cohort: another key.
        assert!(decode(&bytes, &super::key("number\n", b"build")).is_none());
        assert!(decode(&bytes, &super::key(&register_text(), b"other build")).is_none());
        // Any byte changed or missing.
        for at in [
            0,
            MAGIC.len() + 3,
            MAGIC.len() + 20,
            MAGIC.len() + 40,
            bytes.len() - 1,
        ] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 1;
            assert!(decode(&damaged, &key).is_none(), "byte {at} changed");
        }
        assert!(decode(&bytes[..bytes.len() - 1], &key).is_none());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, &key).is_none());
    }

    #[test]
    fn an_index_that_points_at_another_row_finds_nothing() {
        let mut wrong = index();
        for (_, (_, start)) in &mut wrong.rows.entries {
            *start = 0;
        }
        assert!(index().get(&number("00000001")).is_some());
        assert_eq!(wrong.get(&number("00000001")), None);
    }

    #[test]
    fn the_key_covers_every_byte_of_the_register() {
        let a = key(&register_text(), b"build");
        let changed = register_text().replace("Ana Lima", "Ana Lina");
        assert_ne!(a, key(&changed, b"build"));
        assert_eq!(a, key(&register_text(), b"build"));
    }
}
