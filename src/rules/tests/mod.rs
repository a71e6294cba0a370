//! Every rule of SPEC "Rules", its edge cases, and properties of the engine.
//!
//! The pure engine is tested on values built here; "last row stands" and row
//! order are properties of the loader feeding it, so those go through a
//! small data root written to a temporary folder. By topic: rules 1 and 2
//! ([`attendance`]), rule 3 ([`hours`]), rules 4 and 5 ([`ladder`]), the
//! properties ([`properties`]).

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::model::{Evaluation, PracticumResult, Session, Webinar, tests::h};

pub(super) fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The shipped thresholds: 120-minute sessions, 105 minutes count, 50 hours.
pub(super) fn curriculum(webinars: u32) -> Curriculum {
    Curriculum {
        program_name: "Program".into(),
        credential: "Certified Peer Supporter".into(),
        certificate_prefix: "PSCE".into(),
        session_minutes: 120,
        min_minutes: 105,
        required_hours: Hours::from_hours(50),
        webinars: (1..=webinars)
            .map(|number| Webinar {
                number,
                title: format!("W{number}"),
                topics: vec![],
            })
            .collect(),
        certificate: Default::default(),
    }
}

/// Webinar n on 2024-09-10 + 2(n-1) days; 17 webinars end on 2024-10-12.
pub(super) fn cohort(webinars: u32) -> Cohort {
    let start = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap();
    let end = chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap();
    Cohort {
        id: "c".into(),
        name: "C".into(),
        timezone: "America/Toronto".into(),
        delivery: "online".into(),
        trainers: vec!["T".into()],
        sessions: (1..=webinars)
            .map(|w| Session {
                webinar: w,
                date: d("2024-09-10") + Duration::days(2 * (w as i64 - 1)),
                start,
                end,
            })
            .collect(),
        participants: vec![],
    }
}

const LAST: &str = "2024-10-12";
const AFTER: &str = "2026-11-22";

fn evaluation(participation: Participation, recommend: bool) -> Option<Evaluation> {
    Some(Evaluation {
        participation,
        recommend,
        by: "T".into(),
        date: d("2024-10-20"),
    })
}

pub(super) fn result(passed: bool) -> Option<PracticumResult> {
    Some(PracticumResult {
        passed,
        by: "M".into(),
        date: d("2025-03-01"),
    })
}

/// Full participation, recommended, passed: Certified given the hours.
pub(super) fn person() -> Participant {
    Participant {
        id: "p01".into(),
        name: "P".into(),
        email: None,
        aliases: vec![],
        withdrawn: None,
        evaluation: evaluation(Participation::Full, true),
        practicum: result(true),
    }
}

pub(super) fn mark(status: Status) -> Option<Mark> {
    Some(Mark {
        status,
        minutes: None,
    })
}

fn partial(minutes: u32) -> Option<Mark> {
    Some(Mark {
        status: Status::Partial,
        minutes: Some(minutes),
    })
}

fn all_present() -> Vec<Option<Mark>> {
    vec![mark(Status::Present); 17]
}

pub(super) fn row(date: &str, hours: &str, kind: Kind, monitor: &str) -> PracticumRow {
    PracticumRow {
        line: 2,
        date: d(date),
        hours: h(hours),
        kind,
        monitor: monitor.into(),
        reversal: None,
    }
}

fn support(hours: &str) -> PracticumRow {
    row("2025-01-15", hours, Kind::Support, "M")
}

fn fifty() -> Vec<PracticumRow> {
    vec![support("25"), support("25")]
}

fn eval_with(
    p: &Participant,
    marks: &[Option<Mark>],
    practicum: &[PracticumRow],
    as_of: &str,
) -> Outcome {
    evaluate(&curriculum(17), &cohort(17), p, marks, practicum, d(as_of))
}

fn outcome(p: &Participant, marks: &[Option<Mark>], practicum: &[PracticumRow]) -> Outcome {
    eval_with(p, marks, practicum, AFTER)
}

mod attendance;
mod hours;
mod ladder;
mod properties;
