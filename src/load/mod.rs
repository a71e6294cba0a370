//! Files → model, with every problem recorded as a [`Diagnostic`] that names
//! the file and line.
//!
//! [`Diagnostic`]: crate::diag::Diagnostic

pub(crate) mod attendance;
mod cohort;
mod curriculum;
mod logfile;
pub(crate) mod practicum;
pub(crate) mod tomlx;

use std::path::{Path, PathBuf};

pub use crate::csvread::map_header;
pub use attendance::{
    ATTENDANCE_FIELDS, AttendanceEntry, AttendanceLog, ParsedLog, parse_attendance,
};
pub use cohort::{cohort_from_text, load_cohort};
pub use curriculum::load_curriculum;
pub use logfile::{LogFile, Place};
pub use practicum::{PRACTICUM_FIELDS, PracticumEntry, parse_practicum};

use crate::csvread::NotUtf8;
use crate::diag::{Diagnostics, Kind};
use crate::fsafe::{Folder, Refusal};
use crate::model::{Cohort, Curriculum, Records};

/// The folder that holds `curriculum.toml` and `cohorts/`.
#[derive(Debug, Clone)]
pub struct Root {
    pub dir: PathBuf,
}

pub const CURRICULUM: &str = "curriculum.toml";

impl Root {
    /// `--root`/`COHORT_ROOT` if given, else the nearest folder at or above
    /// `start` that holds `curriculum.toml`, the way git finds `.git`.
    pub fn find(explicit: Option<&Path>, start: &Path) -> Result<Root, String> {
        let holds = |dir: &&Path| dir.join(CURRICULUM).is_file();
        let dir = match explicit {
            Some(dir) if holds(&dir) => dir,
            Some(dir) => {
                return Err(format!(
                    "{} has no {CURRICULUM}; --root (or COHORT_ROOT) must name the folder that holds the program's {CURRICULUM}",
                    dir.display()
                ));
            }
            None => start.ancestors().find(holds).ok_or_else(|| {
                format!(
                    "no {CURRICULUM} here or in any folder above; run cohort inside a data root, or name one with --root DIR (or COHORT_ROOT)"
                )
            })?,
        };
        Ok(Root {
            dir: dir.to_path_buf(),
        })
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn cohort_toml(id: &str) -> String {
        format!("cohorts/{id}/cohort.toml")
    }

    pub fn attendance_csv(id: &str, webinar: u32) -> String {
        format!("cohorts/{id}/attendance/{}", Root::log_name(webinar))
    }

    /// The file name of webinar `webinar`'s log in `attendance/`: `03.csv`.
    pub fn log_name(webinar: u32) -> String {
        format!("{webinar:02}.csv")
    }

    pub fn practicum_csv(id: &str) -> String {
        format!("cohorts/{id}/practicum.csv")
    }

    /// Every cohort folder's id, sorted. Folders whose names are not slugs
    /// are reported, not skipped in silence.
    pub fn cohort_ids(&self, diags: &mut Diagnostics) -> Vec<String> {
        let dir = self.dir.join("cohorts");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut ids: Vec<String> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().is_ok_and(|t| t.is_symlink()) && !name.starts_with('.') {
                // `report ID` refuses it too (crate::fsafe): never skipped in silence.
                let name = crate::text::shown(&name);
                diags
                    .error(
                        Kind::SymbolicLink,
                        &format!("cohorts/{name}"),
                        None,
                        "is a symbolic link; cohort does not follow links below the data root",
                    )
                    .help("move the cohort's folder itself into cohorts/, in place of the link");
                continue;
            }
            if !entry.file_type().is_ok_and(|t| t.is_dir()) || name.starts_with('.') {
                continue;
            }
            if !is_slug(&name) {
                diags
                    .error(Kind::BadFolderName, &format!("cohorts/{}", crate::text::shown(&name)), None, format!("\"{}\" is not a cohort id", crate::text::shown(&name)))
                    .help("cohort folders are named with lower-case letters, digits and dashes, e.g. 2024-fall");
                continue;
            }
            if !entry.path().join("cohort.toml").is_file() {
                diags
                    .warning(
                        Kind::FolderWithoutCohort,
                        &format!("cohorts/{name}"),
                        None,
                        "folder has no cohort.toml; it is not read",
                    )
                    .help(format!(
                        "create it with `cohort new {name} …`, or remove the folder"
                    ));
                continue;
            }
            ids.push(name);
        }
        ids.sort();
        ids
    }
}

/// `[a-z0-9][a-z0-9-]*`: a cohort id.
pub fn is_slug(s: &str) -> bool {
    is_id(s, b"-")
}

/// `[a-z0-9][a-z0-9._-]*`: a participant id.
pub fn is_participant_id(s: &str) -> bool {
    is_id(s, b"-._")
}

/// `[a-z0-9]`, then `[a-z0-9]` or a byte of `more`, to the end.
fn is_id(s: &str, more: &[u8]) -> bool {
    let plain = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut bytes = s.as_bytes().iter();
    bytes.next().is_some_and(plain) && bytes.all(|b| plain(b) || more.contains(b))
}

/// A file read whole as UTF-8 text, byte-order mark removed.
pub struct Source {
    pub rel: String,
    pub text: String,
}

/// How a file is to be re-saved when it is not UTF-8.
#[derive(Clone, Copy)]
pub enum FileKind {
    Csv,
    Toml,
}

/// The file could not be used; the reason is already in the diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

/// Reads `rel` below the root. `Ok(None)` when the file does not exist;
/// `Err(Reported)` when a problem was recorded (unreadable, not UTF-8).
pub fn read_source(
    root: &Root,
    rel: &str,
    kind: FileKind,
    diags: &mut Diagnostics,
) -> Result<Option<Source>, Reported> {
    source(rel, crate::fsafe::read(&root.dir, rel), kind, diags)
}

/// What was read of file `rel` ([`crate::fsafe`]), decoded, or the
/// reason it was refused recorded.
fn source(
    rel: &str,
    read: Result<Option<Vec<u8>>, Refusal>,
    kind: FileKind,
    diags: &mut Diagnostics,
) -> Result<Option<Source>, Reported> {
    // Links, special files and oversized files are refused: see `crate::fsafe`.
    match read {
        Ok(Some(bytes)) => decode(rel, bytes, kind, diags).map(Some),
        Ok(None) => Ok(None),
        Err(refusal) => {
            let d = diags.error(refusal.kind(), rel, None, refusal.message(rel));
            if let Some(help) = refusal.help() {
                d.help(help);
            }
            Err(Reported)
        }
    }
}

/// Decodes the bytes of file `rel` as UTF-8 (a byte-order mark removed),
/// or records why not, and how to re-save it.
pub fn decode(
    rel: &str,
    bytes: Vec<u8>,
    kind: FileKind,
    diags: &mut Diagnostics,
) -> Result<Source, Reported> {
    let resave = match kind {
        FileKind::Csv => {
            "open it in your spreadsheet and save it again as \"CSV UTF-8 (Comma delimited)\""
        }
        FileKind::Toml => "open it in a text editor and save it again with the encoding \"UTF-8\"",
    };
    let (line, message) = match crate::csvread::utf8(bytes) {
        Ok(text) => {
            // Left by a git merge: reading on would give misleading messages.
            if crate::conflicts::markers(rel, &text, diags) {
                return Err(Reported);
            }
            return Ok(Source {
                rel: rel.to_string(),
                text,
            });
        }
        Err(NotUtf8::Utf16) => (
            1,
            "is UTF-16 text (\"Unicode text\"), not UTF-8".to_string(),
        ),
        Err(NotUtf8::Invalid { line, byte, before }) => (
            line,
            format!(
                "is not UTF-8 text: byte 0x{byte:02X} after \"{before}\" (a spreadsheet's \"CSV\" or \"Windows\" encoding turns letters such as é or ë into such bytes)"
            ),
        ),
    };
    diags
        .error(Kind::NotUtf8, rel, Some(line), message)
        .help(resave);
    Err(Reported)
}

/// Everything known about one cohort after loading and checking.
pub struct CohortData {
    pub cohort: Cohort,
    pub records: Records,
}

/// A cohort's files as read: `cohort.toml` parsed, the logs' texts
/// decoded, nothing judged against a date. [`crate::validate::cohort_data`]
/// parses and checks the logs into [`CohortData`].
pub struct CohortFiles {
    pub cohort: Cohort,
    /// The attendance log of each webinar, in order.
    pub logs: Vec<LogText>,
    pub practicum: Option<Source>,
}

/// What was found for one webinar's attendance log.
pub enum LogText {
    Read(Source),
    /// There is no such file (at this path).
    Missing(String),
    /// The file could not be used; the reason is in the diagnostics.
    Failed,
    /// Not read: the command reads it itself, or the folder is a link.
    Unread,
}

/// Reads a cohort's `cohort.toml`, its attendance logs and its practicum
/// log, leaving the log of webinar `unread` unread: a command recording
/// attendance reads that one itself, before and under its lock. The
/// cohort's folder is opened once, and every file read in it
/// ([`crate::fsafe::Folder`]).
pub fn cohort_files(
    root: &Root,
    curriculum: &Curriculum,
    id: &str,
    unread: Option<u32>,
    diags: &mut Diagnostics,
) -> Option<CohortFiles> {
    let (toml, folder) = match Folder::open(&root.dir, &format!("cohorts/{id}")) {
        Ok(Some(folder)) => (folder.read("cohort.toml"), folder),
        // Whether missing or refused, the cohort.toml's reader says so.
        other => return cohort::cohort_of(other.map(|_| None), curriculum, id, diags).and(None),
    };
    let cohort = cohort::cohort_of(toml, curriculum, id, diags)?;
    let rel = format!("cohorts/{id}/attendance");
    let attendance = match folder.folder("attendance") {
        Ok(attendance) => Ok(attendance),
        Err(Refusal::Link(_)) => {
            diags
                .error(
                    Kind::SymbolicLink,
                    &rel,
                    None,
                    "is a symbolic link; cohort does not follow links below the data root",
                )
                .help("replace the link by the real folder of logs");
            Err(None)
        }
        // Only a failure to read the folder is left (`Refusal::Io`).
        Err(refusal) => Err(Some(refusal.message(&rel))),
    };
    let logs = (1..=curriculum.required() as u32)
        .map(|webinar| {
            let rel = Root::attendance_csv(id, webinar);
            let read = match &attendance {
                _ if unread == Some(webinar) => return LogText::Unread,
                Err(None) => return LogText::Unread,
                Err(Some(message)) => {
                    diags.error(Kind::Unreadable, &rel, None, message.clone());
                    return LogText::Failed;
                }
                Ok(None) => Ok(None),
                Ok(Some(folder)) => folder.read(&Root::log_name(webinar)),
            };
            match source(&rel, read, FileKind::Csv, diags) {
                Ok(Some(src)) => LogText::Read(src),
                Ok(None) => LogText::Missing(rel),
                Err(Reported) => LogText::Failed,
            }
        })
        .collect();
    if let Ok(Some(attendance)) = attendance {
        check_stray_attendance_files(attendance.names(), curriculum, id, diags);
    }
    let practicum = folder.read("practicum.csv");
    check_leftover_temp_files(folder.names(), id, diags);
    // A practicum log that cannot be used is in the diagnostics.
    let practicum =
        source(&Root::practicum_csv(id), practicum, FileKind::Csv, diags).unwrap_or_default();
    Some(CohortFiles {
        cohort,
        logs,
        practicum,
    })
}

/// `NN.csv` for a webinar `1..=webinars`, as [`Root::attendance_csv`] names it.
fn is_log_name(name: &str, webinars: usize) -> bool {
    match name.as_bytes() {
        [a, b, b'.', b'c', b's', b'v'] if a.is_ascii_digit() && b.is_ascii_digit() => {
            let w = usize::from(a - b'0') * 10 + usize::from(b - b'0');
            (1..=webinars).contains(&w)
        }
        // Webinars from 100 on have three digits or more.
        _ => (100..=webinars).any(|w| name == Root::log_name(w as u32)),
    }
}

/// Files in `attendance/` (`names`) that no webinar reads are most likely
/// a typo.
fn check_stray_attendance_files(
    names: Vec<String>,
    curriculum: &Curriculum,
    id: &str,
    diags: &mut Diagnostics,
) {
    let mut stray: Vec<String> = names
        .into_iter()
        .filter(|name| !name.starts_with('.') && !is_log_name(name, curriculum.required()))
        .collect();
    stray.sort();
    for name in stray {
        diags
            .warning(
                Kind::StrayFile,
                &format!("cohorts/{id}/attendance/{name}"),
                None,
                format!(
                    "is not read: attendance logs are named 01.csv to {:02}.csv",
                    curriculum.required()
                ),
            )
            .help("rename it to the two-digit number of its webinar, e.g. 03.csv");
    }
}

/// `.cohort.toml.tmp-…` files (of `names`, the cohort folder's) are what
/// an edit killed before its rename leaves behind (see docs/guarantees.md);
/// `cohort.toml` itself is whole.
fn check_leftover_temp_files(names: Vec<String>, id: &str, diags: &mut Diagnostics) {
    let mut leftovers: Vec<String> = names
        .into_iter()
        .filter(|name| name.starts_with('.') && name.contains(".tmp-"))
        .collect();
    leftovers.sort();
    for name in leftovers {
        diags
            .warning(
                Kind::LeftoverTempFile,
                &format!("cohorts/{id}/{}", crate::text::shown(&name)),
                None,
                "is left over from an edit that was interrupted (a crash or a kill); it is not read",
            )
            .help(format!(
                "cohorts/{id}/cohort.toml is whole: the old or the new version. Check it (`cohort check`, `git diff`), redo the edit if it is missing, then delete this file"
            ));
    }
}
