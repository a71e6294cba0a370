//! The log of the webinar being recorded, read whole for `attend`: the
//! standing (last) row of each participant, validated as the loader
//! validates any log, with the log's warnings.
//!
//! A real log holds a row per participant and a few corrections, so it is
//! read whole, before the lock (a checklist or a report's questions may wait
//! on a person) and again under it from what the lock read (another trainer
//! may have recorded meanwhile).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;
use chrono::NaiveDate;

use super::Standing;
use crate::diag::{Diagnostics, Severity};
use crate::fsafe::Refusal;
use crate::load::{self, FileKind, Source};
use crate::model::{Cohort, Curriculum, Records};

/// What `attend` knows of a log.
#[derive(Debug, Default)]
pub(super) struct Log {
    /// The standing row of each participant with a row.
    pub standing: HashMap<String, Standing>,
    /// The log's warnings, for `attend` to show those about what it records.
    pub warnings: Vec<crate::diag::Diagnostic>,
    /// The text read (its byte-order mark removed): under the lock, the
    /// same text needs no second reading.
    pub text: String,
}

/// What a log is read for: the cohort and its webinar.
pub(super) struct Want<'a> {
    pub rel: &'a str,
    pub curriculum: &'a Curriculum,
    pub cohort: &'a Cohort,
    pub webinar: u32,
    pub today: NaiveDate,
}

/// Reads the log `want.rel` below `root`; refuses it (an
/// [`crate::error::Error::Refused`]) when it cannot be decided on: rows
/// that do not read, a file that is not UTF-8, a link.
pub(super) fn read(root: &Path, want: &Want<'_>) -> anyhow::Result<Log> {
    // The rule of `crate::fsafe`: no links below the root, regular files only.
    match crate::fsafe::read(root, want.rel) {
        Ok(Some(bytes)) => of_bytes(bytes, want).map_err(|errors| super::refuse(&errors)),
        Ok(None) => Ok(Log::default()),
        Err(Refusal::Io(e)) => Err(e).with_context(|| format!("cannot read {}", want.rel)),
        Err(refusal) => {
            let mut diags = Diagnostics::default();
            let d = diags.error(refusal.kind(), want.rel, None, refusal.message(want.rel));
            if let Some(help) = refusal.help() {
                d.help(help);
            }
            Err(super::refuse(&diags))
        }
    }
}

/// The log in `bytes`, e.g. what the lock read.
pub(super) fn of_bytes(bytes: Vec<u8>, want: &Want<'_>) -> Result<Log, Diagnostics> {
    let mut diags = Diagnostics::default();
    let Ok(src) = load::decode(want.rel, bytes, FileKind::Csv, &mut diags) else {
        return Err(diags);
    };
    let (standing, warnings) = standing_of(&src, want)?;
    Ok(Log {
        standing,
        warnings,
        text: src.text,
    })
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
    let check = crate::validate::LogCheck {
        curriculum: want.curriculum,
        cohort: want.cohort,
        webinar: want.webinar,
        as_of: want.today,
    };
    let rows = check.standing(src, &mut records, &mut diags);
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
pub(super) mod tests {
    use super::*;
    use crate::load::Root;
    use crate::model::Status;

    /// The example's curriculum and cohort, and a data root to hold the
    /// log of [`want`].
    pub(in crate::cmd::attend) fn example() -> (Curriculum, Cohort, tempfile::TempDir) {
        let root = Root::find(
            Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))),
            std::path::Path::new("."),
        )
        .expect("the example data root");
        let mut diags = Diagnostics::default();
        let curriculum = load::load_curriculum(&root, &mut diags).expect("curriculum");
        let cohort =
            load::load_cohort(&root, &curriculum, "2024-fall", &mut diags).expect("cohort");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("cohorts/2024-fall/attendance")).unwrap();
        (curriculum, cohort, dir)
    }

    /// What webinar 3's log of the example is read for.
    pub(in crate::cmd::attend) fn want<'a>(
        curriculum: &'a Curriculum,
        cohort: &'a Cohort,
    ) -> Want<'a> {
        Want {
            rel: "cohorts/2024-fall/attendance/03.csv",
            curriculum,
            cohort,
            webinar: 3,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        }
    }

    /// Reads webinar 3's log of the example from `text` (`None`: no file).
    fn read_text(text: Option<&str>) -> Result<Log, Diagnostics> {
        let (curriculum, cohort, dir) = example();
        let want = want(&curriculum, &cohort);
        if let Some(text) = text {
            std::fs::write(dir.path().join(want.rel), text).unwrap();
        }
        read(dir.path(), &want).map_err(|err| match crate::error::Error::of(&err) {
            Some(crate::error::Error::Refused { diags, .. }) => (**diags).clone(),
            _ => panic!("not a refusal: {err:#}"),
        })
    }

    #[test]
    fn the_last_row_stands_and_case_and_bom_are_accepted() {
        let text = "\u{feff}Participant,STATUS,minutes,note\np01,absent,,\np02,partial,95,\np01,Present,,correction\n";
        let log = read_text(Some(text)).unwrap();
        assert_eq!(log.standing["p01"].mark.status, Status::Present);
        assert_eq!(log.standing["p01"].note, "correction");
        assert_eq!(log.standing["p02"].mark.minutes, Some(95));
    }

    #[test]
    fn a_missing_log_stands_empty() {
        let log = read_text(None).unwrap();
        assert!(log.standing.is_empty() && log.warnings.is_empty());
    }

    #[test]
    fn a_wrong_row_is_refused_with_its_line() {
        let text = "participant,status,minutes,recorded_by,recorded_at,note\np01,present,,T,,\np02,presnt,,T,,\n";
        let errors = read_text(Some(text)).unwrap_err();
        assert_eq!(errors.items.len(), 1);
        assert_eq!(errors.items[0].line, Some(3));
        assert!(errors.items[0].message.contains("presnt"));
    }

    #[test]
    fn what_the_lock_read_is_read_as_the_file_is() {
        let (curriculum, cohort, _dir) = example();
        let want = want(&curriculum, &cohort);
        let text = "participant,status,minutes,recorded_by,recorded_at,note\r\np03,excused,,T,,\"called in, sick\"\r\n";
        let log = of_bytes(text.as_bytes().to_vec(), &want).unwrap();
        assert_eq!(log.standing["p03"].mark.status, Status::Excused);
        assert_eq!(log.standing["p03"].note, "called in, sick");
        assert!(of_bytes(b"participant,status\np01,\xff\n".to_vec(), &want).is_err());
    }
}
