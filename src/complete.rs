//! Tab completion that knows the data: cohort ids and participant ids, read
//! from the data root while the shell asks (clap_complete's dynamic
//! completion, `COMPLETE=bash cohort`; see docs/completions.md).
//!
//! A completer never fails and never prints: on a folder that is not a data
//! root, or a cohort that cannot be read, it offers nothing.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::diag::Diagnostics;
use crate::load::{self, Root};

/// Completes a cohort id.
pub fn cohorts() -> ArgValueCompleter {
    ArgValueCompleter::new(complete_cohort)
}

/// Completes a participant id, or the last of a comma-separated list of
/// them (`--present p01,p0<TAB>`); `ID=…` forms (`--partial`) complete the id.
pub fn participants() -> ArgValueCompleter {
    ArgValueCompleter::new(complete_participant)
}

fn complete_cohort(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(root) = root() else {
        return Vec::new();
    };
    let current = current.to_string_lossy();
    root.cohort_ids(&mut Diagnostics::default())
        .into_iter()
        .filter(|id| id.starts_with(current.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

fn complete_participant(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(root) = root() else {
        return Vec::new();
    };
    let current = current.to_string_lossy();
    let (done, last) = match current.rfind(',') {
        Some(at) => current.split_at(at + 1),
        None => ("", current.as_ref()),
    };
    let given: Vec<&str> = done.split(',').filter(|s| !s.is_empty()).collect();
    let mut diags = Diagnostics::default();
    let Some(curriculum) = load::load_curriculum(&root, &mut diags) else {
        return Vec::new();
    };
    // The cohort the command line names (a word with a cohort folder); without
    // one, every cohort's people.
    let named: Vec<String> = line_words()
        .into_iter()
        .filter(|w| load::is_slug(w) && root.path(&Root::cohort_toml(w)).is_file())
        .collect();
    let cohorts = if named.is_empty() {
        root.cohort_ids(&mut diags)
    } else {
        named
    };
    let mut out: Vec<String> = cohorts
        .iter()
        .filter_map(|id| load::load_cohort(&root, &curriculum, id, &mut diags))
        .flat_map(|cohort| cohort.participants)
        .map(|p| p.id)
        .filter(|p| p.starts_with(last) && !given.contains(&p.as_str()))
        .collect();
    out.sort();
    out.dedup();
    out.into_iter()
        .map(|p| CompletionCandidate::new(format!("{done}{p}")))
        .collect()
}

/// The words of the command line being completed: what follows `--` in
/// this process's arguments (the shell's protocol).
fn line_words() -> Vec<String> {
    std::env::args_os()
        .skip_while(|a| a != "--")
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// The data root the completed command would use: its `--root`, else
/// `COHORT_ROOT`, else the nearest folder with curriculum.toml.
fn root() -> Option<Root> {
    let words = line_words();
    let mut explicit: Option<PathBuf> = None;
    for (i, w) in words.iter().enumerate() {
        if let Some(v) = w.strip_prefix("--root=") {
            explicit = Some(v.into());
        } else if w == "--root" {
            explicit = words.get(i + 1).map(PathBuf::from);
        }
    }
    let explicit = explicit.or_else(|| std::env::var_os("COHORT_ROOT").map(PathBuf::from));
    let cwd = std::env::current_dir().ok()?;
    Root::find(explicit.as_deref(), &cwd).ok()
}
