//! The log of the webinar being recorded, read for `attend`: the standing
//! (last) row of each participant, from the end of the log.
//!
//! A log longer than [`tail::WHOLE_UP_TO`] is read from its end, a window at
//! a time (each four times the last), until the standing row of every
//! participant who is needed is found: recording costs the same however long
//! the log has grown. The rows read are validated as the loader validates
//! any log; if one of them is wrong, or the window reaches the top, the log
//! is read whole, so errors are reported with their real line numbers.
//! Shorter logs are always read whole.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;

use anyhow::Context as _;
use chrono::NaiveDate;

use super::Standing;
use crate::diag::{Diagnostics, Severity};
use crate::load::{self, AttendanceLog, FileKind, Source};
use crate::model::{Cohort, Curriculum, Records};
use crate::tail;
use crate::write::FileStamp;

/// The first window read from the end of a long log: about 150 rows.
const FIRST_WINDOW: u64 = 8 * 1024;

/// What `attend` knows of a log.
#[derive(Debug)]
pub(super) struct Log {
    /// The standing row of each participant found: every participant with
    /// a row when the log was read whole, at least the needed ones otherwise.
    pub standing: HashMap<String, Standing>,
    /// The file's state when read; `None` when there was no file.
    pub stamp: Option<FileStamp>,
    /// The warnings of the part read (its header included), for `attend`
    /// to show those about what it records.
    pub warnings: Vec<crate::diag::Diagnostic>,
}

/// What a log is read for: the cohort, its webinar, and whose standing rows
/// are needed.
pub(super) struct Want<'a> {
    pub rel: &'a str,
    pub curriculum: &'a Curriculum,
    pub cohort: &'a Cohort,
    pub webinar: u32,
    pub today: NaiveDate,
    pub needed: &'a [&'a str],
}

/// Reads the log at `path`. `Ok(Err(errors))` when it cannot be decided
/// on: rows that do not read, or a file that is not UTF-8.
pub(super) fn read(
    path: &std::path::Path,
    want: &Want<'_>,
) -> anyhow::Result<Result<Log, Diagnostics>> {
    // The rule of `crate::fsafe`: no links below the root, regular files only.
    let refused = |refusal: crate::fsafe::Refusal| {
        let mut diags = Diagnostics::default();
        let d = diags.error(want.rel, None, refusal.message(want.rel));
        if let Some(help) = refusal.help() {
            d.help(help);
        }
        Ok(Err(diags))
    };
    let depth = want.rel.split('/').count();
    if let Some(root) = path.ancestors().nth(depth)
        && let Err(refusal) = crate::fsafe::no_links(root, want.rel)
    {
        return refused(refusal);
    }
    match crate::fsafe::open_regular(path) {
        Ok(file) => read_file(&file, want),
        Err(crate::fsafe::Refusal::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(Ok(Log {
                standing: HashMap::new(),
                stamp: None,
                warnings: Vec::new(),
            }))
        }
        Err(crate::fsafe::Refusal::Io(e)) => {
            Err(e).with_context(|| format!("cannot read {}", want.rel))
        }
        Err(crate::fsafe::Refusal::Link(_)) => {
            refused(crate::fsafe::Refusal::Link(want.rel.to_string()))
        }
        Err(refusal) => refused(refusal),
    }
}

/// [`read`] of an open file (e.g. one locked for the append).
pub(super) fn read_file(file: &File, want: &Want<'_>) -> anyhow::Result<Result<Log, Diagnostics>> {
    let context = || format!("cannot read {}", want.rel);
    let stamp = FileStamp::of(&file.metadata().with_context(context)?);
    let len = stamp.len();
    let mut window = FIRST_WINDOW;
    while let Some(end) = tail::read_end(file, len, window).with_context(context)? {
        let src = Source {
            rel: want.rel.to_string(),
            text: end.text(),
        };
        let Ok((standing, warnings)) = standing_of(&src, want) else {
            break; // The whole read says which row is wrong, and where.
        };
        if want.needed.iter().all(|id| standing.contains_key(*id)) {
            // Lines of a window read from the end are not the file's:
            // its warnings are shown only when it was read from the top.
            let whole = src.text.len() as u64 >= len;
            return Ok(Ok(Log {
                standing,
                stamp: Some(stamp),
                warnings: if whole { warnings } else { Vec::new() },
            }));
        }
        window = window.saturating_mul(4);
    }
    // Read up to the stamped length only: what an append adds after the
    // stamp is read again under the lock.
    let mut bytes = vec![0; len as usize];
    file.read_exact_at(&mut bytes, 0).with_context(context)?;
    let mut diags = Diagnostics::default();
    let Ok(src) = load::decode(want.rel, bytes, FileKind::Csv, &mut diags) else {
        return Ok(Err(diags));
    };
    Ok(standing_of(&src, want).map(|(standing, warnings)| Log {
        standing,
        stamp: Some(stamp),
        warnings,
    }))
}

/// The standing rows of a log's text, validated as the loader does, with
/// its warnings; its errors otherwise.
#[allow(clippy::type_complexity)]
fn standing_of(
    src: &Source,
    want: &Want<'_>,
) -> Result<(HashMap<String, Standing>, Vec<crate::diag::Diagnostic>), Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut records = Records::new(want.cohort.participants.len(), want.curriculum.required());
    let mut rows = AttendanceLog::new();
    load::attendance_from_source(
        src,
        want.curriculum,
        want.cohort,
        want.webinar,
        want.today,
        &mut records,
        Some(&mut rows),
        &mut diags,
    );
    if diags.has_errors() {
        diags.items.retain(|d| d.severity == Severity::Error);
        return Err(diags);
    }
    let standing = rows
        .into_iter()
        .map(|row| {
            let standing = Standing {
                mark: row.mark,
                note: row.note,
            };
            (row.participant, standing)
        })
        .collect();
    Ok((standing, diags.items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Root;
    use crate::model::Status;

    /// The example's curriculum and cohort, and a folder for logs.
    fn example() -> (Curriculum, Cohort, tempfile::TempDir) {
        let root = Root::find(
            Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))),
            std::path::Path::new("."),
        )
        .expect("the example data root");
        let mut diags = Diagnostics::default();
        let curriculum = load::load_curriculum(&root, &mut diags).expect("curriculum");
        let cohort =
            load::load_cohort(&root, &curriculum, "2024-fall", &mut diags).expect("cohort");
        (curriculum, cohort, tempfile::tempdir().unwrap())
    }

    /// Reads webinar 3's log of the example from `text` (`None`: no file).
    fn read_text(text: Option<&str>, needed: &[&str]) -> Result<Log, Diagnostics> {
        let (curriculum, cohort, dir) = example();
        let path = dir.path().join("03.csv");
        if let Some(text) = text {
            std::fs::write(&path, text).unwrap();
        }
        let want = Want {
            rel: "cohorts/2024-fall/attendance/03.csv",
            curriculum: &curriculum,
            cohort: &cohort,
            webinar: 3,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            needed,
        };
        read(&path, &want).unwrap()
    }

    /// A log past `WHOLE_UP_TO`: `n` rows of history for p01..p18, then `tail`.
    fn long_log(n: usize, tail: &str) -> String {
        let mut text = String::from("participant,status,minutes,recorded_by,recorded_at,note\n");
        for i in 0..n {
            text += &format!("p{:02},absent,,T,,\n", i % 18 + 1);
        }
        assert!(text.len() as u64 > tail::WHOLE_UP_TO);
        text + tail
    }

    #[test]
    fn the_last_row_stands_and_case_and_bom_are_accepted() {
        let text = "\u{feff}Participant,STATUS,minutes,note\np01,absent,,\np02,partial,95,\np01,Present,,correction\n";
        let log = read_text(Some(text), &[]).unwrap();
        assert_eq!(log.standing["p01"].mark.status, Status::Present);
        assert_eq!(log.standing["p01"].note, "correction");
        assert_eq!(log.standing["p02"].mark.minutes, Some(95));
        assert_eq!(log.stamp.unwrap().len(), text.len() as u64);
    }

    #[test]
    fn a_missing_log_stands_empty() {
        let log = read_text(None, &["p01"]).unwrap();
        assert!(log.standing.is_empty() && log.stamp.is_none());
    }

    #[test]
    fn a_long_log_is_read_from_its_end_until_the_needed_rows_are_found() {
        let text = long_log(
            8000,
            "p01,makeup,,T,,\"with 2025-winter, on 01-21\"\np02,present,,T,,\n",
        );
        let log = read_text(Some(&text), &["p01", "p02", "p03"]).unwrap();
        assert_eq!(log.standing["p01"].mark.status, Status::Makeup);
        assert_eq!(log.standing["p01"].note, "with 2025-winter, on 01-21");
        assert_eq!(log.standing["p02"].mark.status, Status::Present);
        assert_eq!(log.standing["p03"].mark.status, Status::Absent);
    }

    #[test]
    fn a_row_far_up_is_found_by_growing_the_window() {
        // p05's only row is the first one; 8,000 rows of others follow.
        let mut text = String::from(
            "participant,status,minutes,recorded_by,recorded_at,note\np05,partial,95,T,,\n",
        );
        for i in 0..8000 {
            text += &format!("p0{},absent,,T,,\n", i % 4 + 1);
        }
        let log = read_text(Some(&text), &["p01", "p05"]).unwrap();
        assert_eq!(log.standing["p05"].mark.status, Status::Partial);
        assert_eq!(log.standing["p05"].mark.minutes, Some(95));
    }

    #[test]
    fn a_wrong_row_in_the_window_is_reported_from_a_whole_read_with_its_line() {
        let text = long_log(8000, "p01,presnt,,T,,\n");
        let errors = read_text(Some(&text), &["p01"]).unwrap_err();
        assert_eq!(errors.items.len(), 1);
        assert_eq!(errors.items[0].line, Some(8002));
        assert!(errors.items[0].message.contains("presnt"));
    }

    #[test]
    fn a_wrong_row_above_the_window_is_left_to_cohort_check() {
        let mut text = long_log(8000, "");
        text = text.replacen("p01,absent", "p01,absnt", 1);
        let log = read_text(Some(&text), &["p01", "p02"]).unwrap();
        assert_eq!(log.standing["p01"].mark.status, Status::Absent);
    }
}
