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
use crate::load::{self, AttendanceLog, CohortData, CohortFiles, LogText, Source};
use crate::model::{Cohort, Curriculum, Records, StampedMark};

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
        let seen = Seen {
            curriculum,
            cohort: &cohort,
            webinar,
            as_of: dates.as_of,
        };
        match log {
            LogText::Read(src) => seen.attendance(src, &mut records, kept, diags),
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
pub struct Seen<'a> {
    pub curriculum: &'a Curriculum,
    pub cohort: &'a Cohort,
    pub webinar: u32,
    /// Sessions held before this date should have a row for everyone active.
    pub as_of: NaiveDate,
}

impl Seen<'_> {
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
        let (cohort, webinar) = (self.cohort, self.webinar);
        let keep = history.is_some();
        let Some((log, texts)) = load::parse_attendance(src, self.curriculum, cohort, keep, diags)
        else {
            return;
        };
        let accepted = logs::attendance(&log, self.curriculum, cohort, webinar, diags);
        let w = webinar as usize - 1;
        let mut history = history;
        // The rows' texts are kept only when `history` asks; each moves there.
        let mut texts = texts.into_iter();
        for (i, entry) in log.entries.iter().enumerate() {
            let text = texts.next();
            if !accepted[i] {
                continue;
            }
            records.marks[entry.participant][w] = Some(entry.mark);
            records.stamped.push(StampedMark {
                participant: entry.participant as u32,
                webinar: w as u32,
                mark: entry.mark,
                recorded_at: entry.recorded_at,
            });
            if let (Some(history), Some(text)) = (history.as_deref_mut(), text) {
                history.push(text);
            }
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
    }
}
