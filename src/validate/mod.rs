//! Validation as a pass of its own: loading parses the files and locates
//! every value; the functions here check the parsed model against the
//! rules and report what is wrong, with the place the loader recorded.
//! Nothing here reads a file, and only this pass looks at a date: `today`
//! (practicum rows may not lie in the future) and `as_of` (the sessions
//! held by then should have their rows).

pub mod cohort;
pub mod logs;

use chrono::NaiveDate;

use crate::diag::Diagnostics;
use crate::load::{self, AttendanceLog, CohortData, CohortFiles, LogText, ParsedLog, Source};
use crate::model::{AttendanceRow, Cohort, Curriculum, Records, StampedMark};

/// The dates a cohort's records are checked on.
#[derive(Debug, Clone, Copy)]
pub struct Dates {
    /// The real date.
    pub today: NaiveDate,
    /// The date a report looks from.
    pub as_of: NaiveDate,
}

impl Dates {
    /// Today, looked at from today.
    pub fn today(today: NaiveDate) -> Dates {
        Dates {
            today,
            as_of: today,
        }
    }
}

/// A cohort's logs parsed (by [`crate::load`]) and checked, the rows that
/// stand kept in its records. With `history`, every standing attendance
/// row is kept too, one log per webinar read.
pub fn cohort_data(
    files: CohortFiles,
    curriculum: &Curriculum,
    dates: Dates,
    mut history: Option<&mut Vec<AttendanceLog>>,
    diags: &mut Diagnostics,
) -> CohortData {
    let CohortFiles {
        cohort,
        logs,
        practicum,
    } = files;
    let mut records = Records::new(cohort.participants.len(), curriculum.required());
    for (webinar, log) in (1..).zip(&logs) {
        if matches!(log, LogText::Unread) {
            continue;
        }
        let kept = history.as_deref_mut().map(|h| {
            h.push(AttendanceLog::new());
            h.last_mut().expect("just pushed")
        });
        let check = LogCheck {
            curriculum,
            cohort: &cohort,
            webinar,
            as_of: dates.as_of,
        };
        match log {
            LogText::Read(src) => check.attendance(src, &mut records, kept, diags),
            LogText::Missing(rel) => {
                logs::unrecorded(diags, rel, &cohort, webinar, dates.as_of, &[], false)
            }
            LogText::Failed | LogText::Unread => {}
        }
    }
    if let Some(src) = &practicum {
        let mut checks = logs::Practicum::new(&cohort, dates.today, src.text.len());
        load::parse_practicum(src, &cohort, diags, |file, entry, diags| {
            checks.check(file, entry, &mut records, diags)
        });
    }
    CohortData { cohort, records }
}

/// One webinar's log as a check sees it.
pub struct LogCheck<'a> {
    pub curriculum: &'a Curriculum,
    pub cohort: &'a Cohort,
    pub webinar: u32,
    /// Sessions held before this date should have a row for everyone active.
    pub as_of: NaiveDate,
}

impl LogCheck<'_> {
    /// The text of one attendance log parsed and checked into `records.marks`
    /// (the last row of each participant stands), every standing row kept
    /// in `history` when asked.
    pub fn attendance(
        &self,
        src: &Source,
        records: &mut Records,
        history: Option<&mut AttendanceLog>,
        diags: &mut Diagnostics,
    ) {
        let Some((log, accepted)) = self.checked(src, records, diags) else {
            return;
        };
        if let Some(history) = history {
            let kept = log.entries.iter().zip(&accepted).filter(|(_, a)| **a);
            history.extend(kept.map(|(entry, _)| log.row_text(entry)));
        }
    }

    /// [`LogCheck::attendance`] keeping only the row that stands for each
    /// participant with one (what `attend` compares its marks with).
    pub fn standing(
        &self,
        src: &Source,
        records: &mut Records,
        diags: &mut Diagnostics,
    ) -> Vec<AttendanceRow> {
        let Some((log, accepted)) = self.checked(src, records, diags) else {
            return Vec::new();
        };
        let mut last = vec![None; self.cohort.participants.len()];
        for (entry, _) in log.entries.iter().zip(&accepted).filter(|(_, a)| **a) {
            last[entry.participant] = Some(entry);
        }
        last.into_iter()
            .flatten()
            .map(|e| log.row_text(e))
            .collect()
    }

    /// The log parsed and checked, the marks of its standing rows put in
    /// `records`; with it, whether each of its rows stands.
    fn checked<'s>(
        &self,
        src: &'s Source,
        records: &mut Records,
        diags: &mut Diagnostics,
    ) -> Option<(ParsedLog<'s>, Vec<bool>)> {
        let (cohort, webinar) = (self.cohort, self.webinar);
        let log = load::parse_attendance(src, self.curriculum, cohort, diags)?;
        let accepted = logs::attendance(&log, self.curriculum, cohort, webinar, diags);
        let w = webinar as usize - 1;
        for (entry, _) in log.entries.iter().zip(&accepted).filter(|(_, a)| **a) {
            records.marks[entry.participant][w] = Some(entry.mark);
            records.stamped.push(StampedMark {
                participant: entry.participant as u32,
                webinar: w as u32,
                mark: entry.mark,
                recorded_at: entry.recorded_at,
            });
        }
        logs::unrecorded(
            diags,
            &src.rel,
            cohort,
            webinar,
            self.as_of,
            &log.has_row,
            true,
        );
        Some((log, accepted))
    }
}
