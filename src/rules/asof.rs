//! As the records stood: SPEC "Rules", the as-of paragraph.
//!
//! A report as of a date takes the records as they stood at the end of that
//! date in the cohort's time zone. Left out are:
//!
//! | record | left out when |
//! |---|---|
//! | attendance row | its `recorded_at`, in the cohort's zone, is on a later day; a row without `recorded_at` counts from its session's date |
//! | evaluation | dated later |
//! | practicum row | dated later |
//! | practicum result | dated later |
//! | withdrawal | dated later |
//!
//! Among the attendance rows that are left, the last one in the file stands,
//! as always. Pure, like the rest of the rules: the caller brings the date.
//!
//! On or after today every record on file counts ([`applies`]): nothing can
//! have been recorded after today, and a stamp that says so comes from a
//! clock that is off (or from a trainer west of the cohort's zone recording
//! late in the evening), which must not change today's report.

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;

use crate::model::{Cohort, Records, StampedMark};

/// Whether the records must be cut at `as_of`: only for a date before today.
pub fn applies(as_of: NaiveDate, today: NaiveDate) -> bool {
    as_of < today
}

/// The cohort's time zone; UTC for a name that is not one (the loader
/// reports it as an error, so no report is made from it).
pub fn zone(cohort: &Cohort) -> Tz {
    cohort.timezone.parse().unwrap_or(Tz::UTC)
}

/// The day, in the cohort's zone, that a row was recorded on: its stamp's
/// day there, or its session's date when it has no stamp.
pub fn recorded_on(
    recorded_at: Option<DateTime<FixedOffset>>,
    session_date: NaiveDate,
    tz: Tz,
) -> NaiveDate {
    recorded_at.map_or(session_date, |at| at.with_timezone(&tz).date_naive())
}

/// Whether a row recorded at `recorded_at` had been recorded by the end of
/// `as_of` in zone `tz`. Quick for stamps far from the day: a zone's date is
/// never more than one day from the UTC date.
pub fn recorded_by(
    recorded_at: Option<DateTime<FixedOffset>>,
    session_date: NaiveDate,
    tz: Tz,
    as_of: NaiveDate,
) -> bool {
    if let Some(at) = recorded_at {
        let utc = at.naive_utc().date();
        if utc < as_of {
            return true;
        }
        if utc.pred_opt().is_some_and(|d| d > as_of) {
            return false;
        }
    }
    recorded_on(recorded_at, session_date, tz) <= as_of
}

/// Cuts a cohort and its records to what stood at the end of `as_of`: the
/// later attendance rows, evaluations, practicum rows and results, and
/// withdrawals are taken out; the standing marks are those of the rows left.
/// `records.stamped` is left whole, for showing what came later.
pub fn as_it_stood(cohort: &mut Cohort, records: &mut Records, as_of: NaiveDate) {
    let tz = zone(cohort);
    let counts = |row: &StampedMark| {
        let date = cohort.sessions[row.webinar as usize].date;
        recorded_by(row.recorded_at, date, tz, as_of)
    };
    if !records.stamped.iter().all(counts) {
        records.marks.iter_mut().for_each(|m| m.fill(None));
        for row in records.stamped.iter().filter(|row| counts(row)) {
            records.marks[row.participant as usize][row.webinar as usize] = Some(row.mark);
        }
    }
    for rows in &mut records.practicum {
        rows.retain(|row| row.date <= as_of);
    }
    for p in &mut cohort.participants {
        p.withdrawn = p.withdrawn.filter(|d| *d <= as_of);
        p.evaluation = p.evaluation.take().filter(|e| e.date <= as_of);
        p.practicum = p.practicum.take().filter(|r| r.date <= as_of);
    }
}

#[cfg(test)]
mod tests;
