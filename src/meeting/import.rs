//! The import rules of SPEC "Meeting reports", applied to a [`Report`].
//!
//! In order: the times are read (day/month settled by the session's date)
//! and placed on real instants in the report's zone ([`super::spans`]); rows
//! are matched to participants (e-mail, then name or alias, then the
//! original name of a renamed attendee), trainers and the host left out
//! ([`super::matching`]); a report of another day, or one whose attendance
//! only fits the session shifted by whole hours, is refused
//! ([`super::fit`]); a report in which nobody matches is refused. A person's
//! minutes are the union of their intervals on every device, clipped to the
//! session's scheduled start and end, rounded down; waiting-room time does
//! not count. While any row matches nobody (or several), the participants
//! who would be marked absent are left unrecorded, unless told to ignore
//! the unmatched ([`super::plan`]).
//!
//! Pure: no clock, no files. The caller prints, asks and writes.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::names::Keys;
use super::plan::{self, Tally};
use super::{Place, Report, Table, fit, located, matching, spans};
use crate::model::{Cohort, Mark, Session};

pub use super::plan::strangers_text;
pub use super::spans::seconds_inside;

/// What the import is about.
pub struct Setting<'a> {
    pub cohort: &'a Cohort,
    pub session: &'a Session,
    pub webinar: u32,
    pub session_minutes: u32,
    pub min_minutes: u32,
    /// The cohort's zone: the session's times are in it.
    pub cohort_tz: Tz,
    /// The zone the report's times are read in.
    pub report_tz: Tz,
    /// Whether `report_tz` was given (`--report-tz`).
    pub tz_given: bool,
    /// `--unmatched ignore`: mark absent even while rows are unmatched.
    pub ignore_unmatched: bool,
    /// The report's name as shown in messages.
    pub shown: &'a str,
}

/// A row group that matches nobody, or several participants.
#[derive(Debug, Clone)]
pub struct Stranger {
    pub name: String,
    pub email: Option<String>,
    pub original: Option<String>,
    /// Their minutes inside the session, as they would count.
    pub minutes: u32,
    /// The participants it could be (several: ambiguous; none: unknown).
    pub could_be: Vec<usize>,
    /// E-mail of one participant and name of another.
    pub conflict: Option<(usize, usize)>,
}

/// The import, before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The marks to record, by participant index.
    pub marks: Vec<(usize, Mark)>,
    /// Participants who would be marked absent, left unrecorded because some
    /// rows are unmatched.
    pub held_back: Vec<usize>,
    pub strangers: Vec<Stranger>,
    /// What was read, matched and decided, for the trainer.
    pub text: String,
}

/// The session's scheduled time, on real instants and as the cohort's
/// clocks show it.
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub start_local: NaiveDateTime,
    pub end_local: NaiveDateTime,
    /// `2024-09-17 12:00–14:00`, for messages.
    pub text: String,
}

impl Window {
    fn of(s: &Setting<'_>) -> Result<Window, String> {
        let session = s.session;
        let start_local = session.date.and_time(session.start);
        let end_local = session.date.and_time(session.end);
        let to_utc = |t| {
            s.cohort_tz
                .from_local_datetime(&t)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        };
        let text = format!(
            "{} {}–{}",
            session.date,
            session.start.format("%H:%M"),
            session.end.format("%H:%M")
        );
        let (Some(start), Some(end)) = (to_utc(start_local), to_utc(end_local)) else {
            return Err(format!(
                "error: webinar {}'s scheduled time {text} does not exist in {} (a daylight-saving change)",
                s.webinar, s.cohort_tz
            ));
        };
        Ok(Window {
            start,
            end,
            start_local,
            end_local,
            text,
        })
    }
}

/// Applies the rules to `report`. `Err` is the refusal, every line of it,
/// each naming the report (and its line where it helps).
pub fn import(
    report: &Report,
    table: &Table,
    keys: &Keys,
    s: &Setting<'_>,
) -> Result<Outcome, String> {
    let w = Window::of(s)?;
    let at = |place: Place| located(s.shown, table, place);
    let times = spans::read(report, s, &at)?;
    let who = matching::each(report, keys);
    fit::check(report, &times, &who, s, &w)?;
    let tally = Tally::of(report, &who, &times);
    if let Some(refusal) = tally.nobody_matches(report, s) {
        return Err(refusal);
    }
    let strangers = tally.strangers(report, keys, &w);
    let hold = !strangers.is_empty() && !s.ignore_unmatched;
    let mut outcome = Outcome {
        strangers,
        text: plan::heading(report, &times, &tally, s, &w),
        ..Outcome::default()
    };
    plan::marks(&tally, s, &w, hold, &mut outcome);
    Ok(outcome)
}
