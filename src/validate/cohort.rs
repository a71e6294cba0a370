//! Checks of cohort.toml and curriculum.toml over the parsed model: values
//! compared with each other (two sessions for one webinar, an email used
//! twice, an evaluation before the last session) and with the rules (the
//! curriculum's webinars, times that exist in the cohort's zone). The
//! loaders (`crate::load`) parse and locate, then call these.

use std::collections::HashMap;

use chrono_tz::Tz;

use crate::diag::{Diagnostics, Kind, Severity};
use crate::model::{Curriculum, Participant, Session, Webinar};

/// Where the loader found a session's values; `number` is its webinar
/// number as written (the session holds it only when it fits).
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionPlace {
    pub number: i64,
    pub webinar: Option<usize>,
    pub start: Option<usize>,
    pub end: Option<usize>,
}

/// Where the loader found a participant and its checked values.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParticipantPlace {
    pub table: Option<usize>,
    pub id: Option<usize>,
    pub name: Option<usize>,
    pub email: Option<usize>,
}

/// What the loader read of one cohort.toml: each session and participant
/// read whole, in file order, with its place; `*_whole` is false when a
/// table could not be read (then the checks that need all of them wait).
pub struct ReadCohort<'a> {
    pub rel: &'a str,
    /// The cohort's folder name, and the `id` the file gives with its line.
    pub folder: &'a str,
    pub id: Option<(String, Option<usize>)>,
    pub tz: Option<Tz>,
    pub sessions: Vec<(Session, SessionPlace)>,
    pub sessions_whole: bool,
    /// The line of the last `[[session]]` table.
    pub last_session_line: Option<usize>,
    pub participants: Vec<(Participant, ParticipantPlace)>,
    pub participants_whole: bool,
}

/// Every check of a read cohort.toml; problems go to `diags`.
pub fn validate_cohort(read: &ReadCohort, curriculum: &Curriculum, diags: &mut Diagnostics) {
    validate_id(read, diags);
    let before = diags.errors();
    validate_sessions(read, curriculum, diags);
    let sessions_ok = read.sessions_whole && diags.errors() == before;
    let before = diags.errors();
    validate_participants(read, diags);
    if sessions_ok && read.participants_whole && diags.errors() == before {
        validate_outcomes(read, diags);
    }
}

fn validate_id(read: &ReadCohort, diags: &mut Diagnostics) {
    let folder = read.folder;
    let Some((id, line)) = read.id.as_ref().filter(|(id, _)| id != folder) else {
        return;
    };
    let message = format!("id is \"{id}\" but the folder is cohorts/{folder}");
    diags
        .error(Kind::IdMismatch, read.rel, *line, message)
        .help(if crate::load::is_slug(folder) {
            format!("the id must equal the folder name: write id = \"{folder}\", or rename the folder")
        } else {
            "the id must equal the folder name; rename the folder to a cohort id (lower-case letters, digits and dashes, e.g. 2024-fall)".to_string()
        });
}

/// One session per curriculum webinar, each ending after it starts, at
/// times that exist in the cohort's zone, in the curriculum's order.
fn validate_sessions(read: &ReadCohort, curriculum: &Curriculum, diags: &mut Diagnostics) {
    let n = curriculum.required();
    let rel = read.rel;
    let mut seen = vec![false; n];
    let mut ok = true;
    for (s, place) in &read.sessions {
        if s.start >= s.end {
            let message = format!(
                "session ends at {} but starts at {}; the end must be after the start",
                s.end.format("%H:%M"),
                s.start.format("%H:%M")
            );
            diags.error(Kind::EndBeforeStart, rel, place.end, message);
            ok = false;
        }
        let w = place.number;
        if w < 1 || w as usize > n {
            let message =
                format!("webinar {w} is not in the curriculum, which has webinars 1 to {n}");
            diags.error(Kind::UnknownWebinar, rel, place.webinar, message);
            ok = false;
            continue;
        }
        if std::mem::replace(&mut seen[w as usize - 1], true) {
            diags.error(Kind::DuplicateSession, rel, place.webinar, format!("webinar {w} has two [[session]] tables"))
                .help("keep one session per webinar; a make-up is recorded in the attendance log, not as a session");
            ok = false;
            continue;
        }
        if let Some((severity, kind, message)) = read.tz.and_then(|tz| local_time_problem(tz, s)) {
            let d = diags.push(severity, kind, rel, place.start, message);
            if severity == Severity::Error {
                d.help("move the session to a time that exists that day, e.g. an hour later");
                ok = false;
            } else {
                d.help("cohort counts minutes on real instants; to avoid doubt, move the session out of the repeated hour");
            }
        }
    }
    if !(ok && read.sessions_whole) {
        return;
    }
    let missing: Vec<String> = (1..=n)
        .filter(|w| !seen[w - 1])
        .map(|w| w.to_string())
        .collect();
    if !missing.is_empty() {
        let message = format!("no [[session]] for webinar {}", missing.join(", "));
        diags
            .error(Kind::MissingSession, rel, read.last_session_line, message)
            .help(format!(
                "every curriculum webinar (1 to {n}) needs exactly one session"
            ));
        return;
    }
    let mut sessions: Vec<&Session> = read.sessions.iter().map(|(s, _)| s).collect();
    sessions.sort_by_key(|s| s.webinar);
    for pair in sessions.windows(2) {
        if pair[1].date < pair[0].date {
            let message = format!(
                "webinar {} is dated {}, before webinar {} ({})",
                pair[1].webinar, pair[1].date, pair[0].webinar, pair[0].date
            );
            diags
                .warning(Kind::SessionsOutOfOrder, rel, None, message)
                .help("sessions usually follow the curriculum's order; check the dates");
        }
    }
}

/// A session time that does not exist on its day in `tz` (the clocks jump
/// forward over it) is an error; one that happens twice (they fall back
/// over it) is a warning: minutes and "held" are worked out on real instants.
pub fn local_time_problem(tz: Tz, session: &Session) -> Option<(Severity, Kind, String)> {
    use chrono::TimeZone;
    for (what, time) in [("start", session.start), ("end", session.end)] {
        let local = session.date.and_time(time);
        let (severity, kind, how, why) = match tz.from_local_datetime(&local) {
            chrono::LocalResult::Single(_) => continue,
            chrono::LocalResult::None => (
                Severity::Error,
                Kind::SessionTimeSkipped,
                "does not exist",
                "the clocks skip it (daylight saving time begins)",
            ),
            chrono::LocalResult::Ambiguous(..) => (
                Severity::Warning,
                Kind::SessionTimeRepeated,
                "happens twice",
                "the clocks go back over it (daylight saving time ends)",
            ),
        };
        let message = format!(
            "webinar {}: {what} {} on {} {how} in {tz}: {why}",
            session.webinar,
            time.format("%H:%M"),
            session.date
        );
        return Some((severity, kind, message));
    }
    None
}

/// Ids used once, names with their letters, emails that are addresses and
/// tell participants apart.
fn validate_participants(read: &ReadCohort, diags: &mut Diagnostics) {
    let rel = read.rel;
    let mut seen: HashMap<&str, Option<usize>> = HashMap::new();
    let mut emails: HashMap<String, &str> = HashMap::new();
    for (p, place) in &read.participants {
        let id = p.id.as_str();
        if let Some(first) = seen.insert(id, place.id) {
            let first = first.map_or(String::new(), |l| format!(" (first on line {l})"));
            let message = format!("participant id \"{id}\" is used twice{first}");
            diags
                .error(Kind::DuplicateParticipant, rel, place.id, message)
                .help("every participant needs an id of their own");
        }
        // Printed on certificates as written: letters a spreadsheet lost
        // (`Nguy?n`) must be put back first.
        if crate::sheet::lost_letters(&p.name) {
            let message = format!(
                "participant {id}: the name \"{}\" has \"?\" where letters were lost",
                p.name
            );
            diags.error(Kind::LostLetters, rel, place.name, message)
                .help("write the name with its letters, exactly as it is to be printed on the certificate (e.g. Nguyễn Thị Mai); a roster re-saved as \"CSV UTF-8\" keeps them");
        }
        let Some(e) = &p.email else { continue };
        if !e.contains('@') || e.trim().contains(' ') {
            let message = format!("participant {id}: email \"{e}\" is not an email address");
            diags
                .error(Kind::BadEmail, rel, place.email, message)
                .help("write it like name@example.org, or leave email out");
        } else if let Some(other) = emails.insert(e.trim().to_lowercase(), id) {
            let message = format!(
                "participant {id} has the same email as {other}; meeting reports cannot tell them apart"
            );
            diags.warning(Kind::SameEmail, rel, place.email, message);
        }
    }
}

/// Evaluations and practicum results that do not fit the cohort's story.
fn validate_outcomes(read: &ReadCohort, diags: &mut Diagnostics) {
    let rel = read.rel;
    let last = read.sessions.iter().map(|(s, _)| s.date).max();
    for (p, place) in &read.participants {
        let line = place.table;
        if let (Some(eval), Some(last)) = (&p.evaluation, last)
            && eval.date < last
        {
            diags.warning(Kind::EvaluationBeforeLastSession, rel, line, format!("participant {}: evaluation is dated {}, before the cohort's last session ({last})", p.id, eval.date))
                .help("trainers evaluate at the end of the cohort; check the date");
        }
        if p.withdrawn.is_some() && p.evaluation.is_some() {
            diags.warning(Kind::WithdrawnWithEvaluation, rel, line, format!("participant {} withdrew but has a trainer evaluation; a withdrawal makes the outcome Incomplete whatever the evaluation", p.id))
                .help("remove the withdrawal if they came back, or the evaluation if it was recorded by mistake");
        }
        let recommended = p.evaluation.as_ref().is_some_and(|e| e.recommend);
        if p.practicum.is_some() && !recommended {
            diags.warning(Kind::ResultNotRecommended, rel, line, format!("participant {} has a practicum result but no recommendation for a practicum; the result does not count", p.id))
                .help("a practicum counts only after the trainers recommend it (Level 1R)");
        }
    }
}

/// Where the curriculum loader found the values checked here.
#[derive(Debug, Default)]
pub struct CurriculumPlaces {
    pub session_minutes: Option<usize>,
    pub min_minutes: Option<usize>,
}

/// A webinar's length that fits a day, a threshold within it.
pub fn validate_minutes(
    (session, min): (i64, i64),
    places: &CurriculumPlaces,
    diags: &mut Diagnostics,
) -> bool {
    let rel = crate::load::CURRICULUM;
    if !(1..=24 * 60).contains(&session) {
        diags.error(Kind::BadSessionMinutes, rel, places.session_minutes, format!("session_minutes is {session}; expected the length of one webinar in minutes, e.g. 120"));
        return false;
    }
    if !(0..=session).contains(&min) {
        let message =
            format!("min_minutes is {min}; it must be between 0 and session_minutes ({session})");
        diags.error(Kind::BadMinMinutes, rel, places.min_minutes, message);
        return false;
    }
    true
}

/// Webinars numbered 1, 2, 3, … without gaps or repeats; sorts them.
pub fn validate_webinars(
    webinars: &mut [(Webinar, Option<usize>)],
    diags: &mut Diagnostics,
) -> bool {
    webinars.sort_by_key(|(w, _)| w.number);
    for (i, (w, line)) in webinars.iter().enumerate() {
        let expected = i as u32 + 1;
        if w.number == expected {
            continue;
        }
        let what = if i > 0 && webinars[i - 1].0.number == w.number {
            format!("webinar {} is defined twice", w.number)
        } else {
            format!(
                "webinar {expected} is missing (the next one is {})",
                w.number
            )
        };
        diags
            .error(Kind::WebinarNumbering, crate::load::CURRICULUM, *line, what)
            .help("number the [[webinar]] tables 1, 2, 3, … without gaps or repeats");
        return false;
    }
    true
}
