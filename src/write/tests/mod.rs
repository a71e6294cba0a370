//! Tests of the safe writes: appends (`append`), TOML edits and atomic
//! replaces (`edit`), and many threads, processes and kills (`processes`).

use super::append::{Tail, scan_tail};
use super::*;
use std::collections::BTreeSet;
use std::fs::{self, Permissions};
use std::hash::BuildHasher;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Selects what a re-executed copy of this test binary does.
const CHILD_MODE: &str = "COHORT_WRITE_TEST_CHILD";
const CHILD_PATH: &str = "COHORT_WRITE_TEST_PATH";
const CHILD_ID: &str = "COHORT_WRITE_TEST_ID";

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// A new temporary folder and the path `name` in it, not yet created.
fn temp_path(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

/// A new temporary folder and the file `name` in it, holding `contents`.
fn temp_file(name: &str, contents: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = temp_path(name);
    fs::write(&path, contents).unwrap();
    (dir, path)
}

impl LockedLog {
    /// `LockedLog::append` given rows of string literals.
    fn add<R: AsRef<[&'static str]>>(
        &mut self,
        fields: &[&str],
        rows: &[R],
    ) -> Result<(), WriteError> {
        let rows: Vec<_> = rows.iter().map(|r| strings(r.as_ref())).collect();
        self.append(fields, &rows)
    }
}

/// `LockedLog::open` of the log at `path`, with the nearest folder above it
/// that exists as the data root (the folders below it are created).
fn locked(path: &Path) -> Result<LockedLog, WriteError> {
    let root = path.ancestors().skip(1).find(|a| a.is_dir()).unwrap();
    let rel = path.strip_prefix(root).unwrap().to_str().unwrap();
    LockedLog::open(root, rel)
}

/// Opens the log at `path` and appends `rows` to it.
fn append_to<R: AsRef<[&'static str]>>(
    path: &Path,
    fields: &[&str],
    rows: &[R],
) -> Result<(), WriteError> {
    locked(path).unwrap().add(fields, rows)
}

/// What a log holding `before` holds once `rows` are appended to it.
fn appended<R: AsRef<[&'static str]>>(before: &str, fields: &[&str], rows: &[R]) -> String {
    let (_dir, path) = temp_file("log.csv", before);
    append_to(&path, fields, rows).unwrap();
    read(&path)
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

mod append;
mod edit;
mod processes;
