//! The program's rules: records and an as-of date in, outcomes out.
//!
//! | rule | here |
//! |---|---|
//! | 1. attended: standing row `present`, `makeup`, or `partial` with `minutes >= min_minutes` | [`webinar_state`] |
//! | 2. missed: standing row not attended, or no row and the session was before the as-of date; else upcoming | [`webinar_state`] |
//! | 3. practicum hours count: kind `support`, a monitor, dated after the last session; exact sums; a reversing row counts (as a negative) when the rows it cancels count; a day holds at most 24 h | [`counts`], [`counted_hours`], [`fits_in_a_day`] |
//! | 4. outcome ladder: Incomplete, Certified, Level 1R, Level 1 | [`evaluate`] |
//! | 5. every outcome below Certified says why, in plain words | [`evaluate`] |
//!
//! Pure: no clock and no file system. The caller brings the date.
//! [`asof`] cuts the records to what stood at the end of an earlier date.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;
use strum::IntoStaticStr;

use crate::model::{
    Cohort, Curriculum, Hours, Kind, Mark, Participant, Participation, PracticumRow, Records,
    Status,
};

/// The outcome ladder, lowest first. `Level1`'s name is the program's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, IntoStaticStr)]
#[serde(into = "&'static str")]
#[allow(clippy::enum_variant_names)]
pub enum Level {
    Incomplete,
    #[strum(serialize = "Level 1")]
    Level1,
    #[strum(serialize = "Level 1R")]
    Level1R,
    Certified,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Incomplete,
        Level::Level1,
        Level::Level1R,
        Level::Certified,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Reads `Level 1`, `level-1r`, `1R`, `certified`: spaces, dashes and case ignored.
    ///
    /// ```
    /// use cohort::rules::Level;
    /// assert_eq!(Level::parse("level-1r"), Some(Level::Level1R));
    /// assert!(Level::Certified > Level::Level1R);
    /// ```
    pub fn parse(text: &str) -> Option<Level> {
        let key: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect();
        let key = key.strip_prefix("level").unwrap_or(&key);
        match key {
            "incomplete" => Some(Level::Incomplete),
            "1" => Some(Level::Level1),
            "1r" => Some(Level::Level1R),
            "certified" => Some(Level::Certified),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where one participant stands on one webinar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebinarState {
    /// The standing row counts (rule 1).
    Attended(Mark),
    /// The standing row does not count, or there is none and the session
    /// is past (rule 2).
    Missed(Option<Mark>),
    /// No row yet and the session is today or later.
    Upcoming,
}

/// Rules 1 and 2 for one webinar.
pub fn webinar_state(
    mark: Option<Mark>,
    session_date: NaiveDate,
    as_of: NaiveDate,
    min_minutes: u32,
) -> WebinarState {
    match mark {
        Some(m) if attended(m, min_minutes) => WebinarState::Attended(m),
        Some(m) => WebinarState::Missed(Some(m)),
        None if session_date < as_of => WebinarState::Missed(None),
        None => WebinarState::Upcoming,
    }
}

fn attended(mark: Mark, min_minutes: u32) -> bool {
    match mark.status {
        Status::Present | Status::Makeup => true,
        Status::Partial => mark.minutes.is_some_and(|m| m >= min_minutes),
        Status::Absent | Status::Excused => false,
    }
}

/// Why a practicum row does not count towards the required hours (rule 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotCounted {
    /// Only `support` hours count.
    Kind(Kind),
    /// Support must be monitored.
    NoMonitor,
    /// The practicum follows the webinars: hours on or before the last session do not count.
    NotAfterCohort(NaiveDate),
}

impl fmt::Display for NotCounted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotCounted::Kind(kind) => write!(
                f,
                "kind is \"{}\"; only monitored person-to-person support counts",
                kind.as_str()
            ),
            NotCounted::NoMonitor => f.write_str("no monitor named; only monitored support counts"),
            NotCounted::NotAfterCohort(last) => write!(
                f,
                "dated on or before the cohort's last session ({last}); practicum hours count only after it"
            ),
        }
    }
}

/// Rule 3 for one row.
pub fn counts(row: &PracticumRow, last_session: NaiveDate) -> Result<(), NotCounted> {
    if row.kind != Kind::Support {
        Err(NotCounted::Kind(row.kind))
    } else if blank(&row.monitor) {
        Err(NotCounted::NoMonitor)
    } else if row.date <= last_session {
        Err(NotCounted::NotAfterCohort(last_session))
    } else {
        Ok(())
    }
}

/// The counted hours of `rows` (rule 3): ordinary rows that count add, and
/// reversing rows that count take away. A reversing row has the date, kind
/// and monitor of the rows it cancels, so it counts exactly when they do;
/// the loader refuses one that cancels more than they hold, so the sum
/// never goes below zero (and would stop at zero if it did).
pub fn counted_hours<'r>(
    rows: impl IntoIterator<Item = &'r PracticumRow>,
    last_session: NaiveDate,
) -> Hours {
    crate::model::net_hours(
        rows.into_iter()
            .filter(|row| counts(row, last_session).is_ok()),
    )
}

/// The most practicum hours one participant's day holds.
pub const DAY_LIMIT: Hours = Hours::from_hours(24);

/// A participant's practicum hours of one day, all rows together, are at
/// most [`DAY_LIMIT`] (the loader and every command that logs hours ask here).
pub fn fits_in_a_day(hours: Hours) -> bool {
    hours <= DAY_LIMIT
}

/// Empty or only white space; quick for the usual name starting with a letter.
fn blank(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => false,
        _ => text.trim().is_empty(),
    }
}

/// One participant's outcome as of a date, with everything that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Index `n - 1` is webinar `n`.
    pub webinars: Vec<WebinarState>,
    pub attended: usize,
    /// Missed webinar numbers, ascending.
    pub missed: Vec<u32>,
    pub upcoming: usize,
    /// Counted practicum hours, exact.
    pub hours: Hours,
    pub level: Level,
    /// Empty for Certified; otherwise what is missing, in plain words.
    pub reasons: Vec<String>,
}

impl Outcome {
    /// A missed webinar that is not made up yet puts a participant at risk
    /// (a withdrawn participant is no longer at risk: they have left).
    pub fn at_risk(&self, participant: &Participant) -> bool {
        participant.withdrawn.is_none() && !self.missed.is_empty()
    }
}

/// Rules 1 to 5 for one participant. `marks[w]` is the standing row of
/// webinar `w + 1`; `practicum` is the participant's practicum rows.
pub fn evaluate(
    curriculum: &Curriculum,
    cohort: &Cohort,
    participant: &Participant,
    marks: &[Option<Mark>],
    practicum: &[PracticumRow],
    as_of: NaiveDate,
) -> Outcome {
    let webinars: Vec<WebinarState> = cohort
        .sessions
        .iter()
        .enumerate()
        .map(|(w, session)| {
            let mark = marks.get(w).copied().flatten();
            webinar_state(mark, session.date, as_of, curriculum.min_minutes)
        })
        .collect();

    let mut outcome = tally(webinars, curriculum.min_minutes);
    if let Some(last) = cohort.last_session() {
        outcome.hours = counted_hours(practicum, last);
    }
    if let Some(date) = participant.withdrawn {
        // A withdrawal overrides everything else; other reasons would be noise.
        outcome.reasons = vec![format!("withdrew on {date}")];
    } else {
        outcome.level = level(
            curriculum,
            participant,
            &outcome.missed,
            outcome.upcoming,
            outcome.hours,
            &mut outcome.reasons,
        );
    }
    outcome
}

/// The webinars counted as rules 1 and 2 judged them, each missed one with
/// why (rule 5): an outcome of no hours, Incomplete until [`level`] judges it.
fn tally(webinars: Vec<WebinarState>, min_minutes: u32) -> Outcome {
    let mut reasons = Vec::new();
    let mut missed = Vec::new();
    let (mut attended, mut upcoming) = (0, 0);
    for (w, state) in webinars.iter().enumerate() {
        let number = w as u32 + 1;
        match state {
            WebinarState::Attended(_) => attended += 1,
            WebinarState::Upcoming => upcoming += 1,
            WebinarState::Missed(mark) => {
                missed.push(number);
                reasons.push(format!(
                    "missed webinar {number} ({}; make-up needed)",
                    missed_how(*mark, min_minutes)
                ));
            }
        }
    }
    match upcoming {
        0 => {}
        1 => reasons.push("1 webinar upcoming".to_string()),
        n => reasons.push(format!("{n} webinars upcoming")),
    }
    Outcome {
        webinars,
        attended,
        missed,
        upcoming,
        hours: Hours::default(),
        level: Level::Incomplete,
        reasons,
    }
}

/// Rule 4, the outcome ladder, for a participant who has not withdrawn;
/// what is missing is added to `reasons` (rule 5).
fn level(
    curriculum: &Curriculum,
    participant: &Participant,
    missed: &[u32],
    upcoming: usize,
    hours: Hours,
    reasons: &mut Vec<String>,
) -> Level {
    match &participant.evaluation {
        None => {
            reasons.push("awaiting trainer evaluation".to_string());
            Level::Incomplete
        }
        Some(eval) if eval.participation == Participation::Partial => {
            reasons.push("participation judged partial by the trainers".to_string());
            Level::Incomplete
        }
        Some(_) if !missed.is_empty() || upcoming > 0 => Level::Incomplete,
        Some(eval) if !eval.recommend => {
            reasons.push("not recommended for a practicum".to_string());
            Level::Level1
        }
        Some(_) => {
            let required = curriculum.required_hours;
            if hours < required {
                reasons.push(format!("practicum {hours} of {required} h"));
            }
            match &participant.practicum {
                None => reasons.push("practicum not yet evaluated".to_string()),
                Some(result) if !result.passed => reasons.push(format!(
                    "practicum evaluated as not passed on {}",
                    result.date
                )),
                Some(_) => {}
            }
            if reasons.is_empty() {
                Level::Certified
            } else {
                Level::Level1R
            }
        }
    }
}

fn missed_how(mark: Option<Mark>, min_minutes: u32) -> String {
    match mark {
        None => "no attendance recorded".to_string(),
        Some(Mark {
            status: Status::Partial,
            minutes,
        }) => format!("partial, {} of {min_minutes} minutes", minutes.unwrap_or(0)),
        Some(mark) => mark.status.to_string(),
    }
}

/// Rules 1 to 5 for every participant of a cohort, in the cohort's order.
pub fn evaluate_cohort(
    curriculum: &Curriculum,
    cohort: &Cohort,
    records: &Records,
    as_of: NaiveDate,
) -> Vec<Outcome> {
    cohort
        .participants
        .iter()
        .enumerate()
        .map(|(p, participant)| {
            let marks = records.marks.get(p).map_or(&[][..], Vec::as_slice);
            let practicum = records.practicum.get(p).map_or(&[][..], Vec::as_slice);
            evaluate(curriculum, cohort, participant, marks, practicum, as_of)
        })
        .collect()
}

pub mod asof;

/// The date a participant reached `level` (SPEC, "export"): the trainers' evaluation for
/// Level 1 and 1R, the practicum result for Certified.
pub fn level_date(participant: &Participant, level: Level) -> Option<NaiveDate> {
    match level {
        Level::Incomplete => None,
        Level::Level1 | Level::Level1R => participant.evaluation.as_ref().map(|e| e.date),
        Level::Certified => participant.practicum.as_ref().map(|p| p.date),
    }
}

#[cfg(test)]
mod tests;
