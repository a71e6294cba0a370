//! The import rules of SPEC "Meeting reports", applied to a [`Report`].
//!
//! In order: the times are read (day/month settled by the session's date)
//! and placed on real instants in the report's zone; a report of another
//! day, or one whose attendance only fits the session shifted by whole hours,
//! is refused; rows are matched to participants (e-mail, then name or alias,
//! then the original name of a renamed attendee); trainers and the host are
//! left out; a report in which nobody matches is refused. A person's minutes
//! are the union of their intervals on every device, clipped to the
//! session's scheduled start and end, rounded down; waiting-room time does
//! not count. While any row matches nobody (or several), the participants
//! who would be marked absent are left unrecorded, unless told to ignore
//! the unmatched.
//!
//! Pure: no clock, no files. The caller prints, asks and writes.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::names::{self, Keys};
use super::time::{self, Order, Stamp};
use super::{Attendee, Place, Report, Role, Table, located};
use crate::model::{Cohort, Mark, Session, Status};

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

/// One interval on real instants.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// Who a row turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Participant(usize),
    /// A trainer or the host.
    Staff,
    /// A panelist who is no participant.
    Guest,
    /// Matches nobody or several: grouped by name and e-mail keys.
    Unresolved(String, String),
}

/// Union of the spans clipped to `[start, end)`, in whole seconds.
pub fn seconds_inside(spans: &[Span], start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    let mut clipped: Vec<Span> = spans
        .iter()
        .map(|&(a, b)| (a.max(start), b.min(end)))
        .filter(|(a, b)| a < b)
        .collect();
    clipped.sort_unstable();
    let mut total = TimeDelta::zero();
    let mut current: Option<Span> = None;
    for (a, b) in clipped {
        current = match current {
            Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += cb - ca;
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    if let Some((ca, cb)) = current {
        total += cb - ca;
    }
    total.num_seconds()
}

/// The instant of a local time in `tz`; a time that falls in a daylight-
/// saving gap does not exist and is an error; one that falls twice (the
/// autumn hour) is taken the first time.
fn instant(stamp: &Stamp, default: NaiveDate, tz: Tz) -> Result<DateTime<Utc>, String> {
    let local = stamp.local(default);
    if let Some(offset) = stamp.offset {
        return Ok(Utc.from_utc_datetime(&(local - TimeDelta::seconds(offset.into()))));
    }
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("{local} does not exist in {tz} (the clocks skip that hour)"))
}

/// Zones to suggest for `--report-tz`, in order of preference.
const ZONES: &[&str] = &[
    "America/Toronto",
    "America/Vancouver",
    "America/Edmonton",
    "America/Winnipeg",
    "America/Halifax",
    "America/Regina",
    "America/Whitehorse",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Pacific/Noumea",
    "Pacific/Auckland",
];

/// A zone whose UTC offset at `at` is `offset` seconds.
fn zone_with_offset(at: DateTime<Utc>, offset: i64) -> Option<&'static str> {
    use chrono::Offset;
    ZONES.iter().copied().find(|name| {
        name.parse::<Tz>().is_ok_and(|tz| {
            i64::from(at.with_timezone(&tz).offset().fix().local_minus_utc()) == offset
        })
    })
}

fn offset_of(tz: Tz, at: DateTime<Utc>) -> i64 {
    use chrono::Offset;
    i64::from(at.with_timezone(&tz).offset().fix().local_minus_utc())
}

/// Applies the rules to `report`. `Err` is the refusal, every line of it,
/// each naming the report (and its line where it helps).
pub fn import(
    report: &Report,
    table: &Table,
    keys: &Keys,
    s: &Setting<'_>,
) -> Result<Outcome, String> {
    let cohort = s.cohort;
    let session = s.session;
    let at = |place: Place| located(s.shown, table, place);
    let start_local = session.date.and_time(session.start);
    let end_local = session.date.and_time(session.end);
    let to_utc = |t| {
        s.cohort_tz
            .from_local_datetime(&t)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    };
    let (Some(start), Some(end)) = (to_utc(start_local), to_utc(end_local)) else {
        return Err(format!(
            "error: webinar {}'s scheduled time {} {}–{} does not exist in {} (a daylight-saving change)",
            s.webinar,
            session.date,
            session.start.format("%H:%M"),
            session.end.format("%H:%M"),
            s.cohort_tz
        ));
    };

    // 1. The times, read in one day/month order for the whole file.
    let stamps = report.meeting_start.iter().map(String::as_str).chain(
        report
            .attendees
            .iter()
            .flat_map(|a| [a.join.as_str(), a.leave.as_str()]),
    );
    let order = time::decide_order(stamps.clone(), session.date);
    let ambiguous_order = time::both_orders_fit(stamps);
    let mut problems = Vec::new();
    // (attendee index, span, local join date)
    let mut spans: Vec<(usize, Span, Option<NaiveDate>)> = Vec::new();
    let mut waiting = 0usize;
    for (i, a) in report.attendees.iter().enumerate() {
        if a.join == "--" || a.leave == "--" {
            continue;
        }
        let read = |text: &str, what: &str| -> Result<Stamp, String> {
            time::parse(text, order)
                .map_err(|e| format!("{}: error: the {what} time {e}", at(a.place)))
        };
        let (join, leave) = match (read(&a.join, "join"), read(&a.leave, "leave")) {
            (Ok(j), Ok(l)) => (j, l),
            (j, l) => {
                problems.extend(j.err());
                problems.extend(l.err());
                continue;
            }
        };
        let place = |r: Result<DateTime<Utc>, String>| {
            r.map_err(|e| {
                format!(
                    "{}: error: {e}; give --report-tz with the zone the report was made in",
                    at(a.place)
                )
            })
        };
        let (j, mut l) = match (
            place(instant(&join, session.date, s.report_tz)),
            place(instant(&leave, session.date, s.report_tz)),
        ) {
            (Ok(j), Ok(l)) => (j, l),
            (j, l) => {
                problems.extend(j.err());
                problems.extend(l.err());
                continue;
            }
        };
        if l < j && report.time_only {
            // A time alone past midnight: the next day.
            l += TimeDelta::days(1);
        }
        if l < j {
            problems.push(format!(
                "{}: error: the leave time \"{}\" is before the join time \"{}\"; an attendee leaves at or after joining",
                at(a.place),
                a.leave,
                a.join
            ));
            continue;
        }
        if a.waiting {
            waiting += 1;
            continue;
        }
        spans.push((i, (j, l), join.date));
    }
    let totals: Vec<Option<TimeDelta>> = report
        .attendees
        .iter()
        .map(|a| a.total.as_deref().and_then(time::duration))
        .collect();
    for (a, total) in report.attendees.iter().zip(&totals) {
        if a.total.is_some() && total.is_none() {
            problems.push(format!(
                "{}: error: the duration \"{}\" is not a duration like 1h 27m 51s, 2 hr 3 min or 1:27:51",
                at(a.place),
                a.total.as_deref().unwrap_or("")
            ));
        }
    }
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(problems.join("\n"));
    }

    // 2. Who each row is.
    let host_email = report.host_email.as_deref().map(names::email_key);
    let who: Vec<Who> = report
        .attendees
        .iter()
        .map(|a| identify(a, keys, host_email.as_deref()))
        .collect();

    // 3. The report's day and hours against the session's.
    // Each person's spans (staff left out), grouped once.
    let mut by_person: BTreeMap<&Who, Vec<Span>> = BTreeMap::new();
    for (i, span, _) in &spans {
        if !matches!(who[*i], Who::Staff | Who::Guest) {
            by_person.entry(&who[*i]).or_default().push(*span);
        }
    }
    let score = |shift: i64| -> i64 {
        let d = TimeDelta::hours(shift);
        by_person
            .values()
            .map(|v| seconds_inside(v, start + d, end + d))
            .sum()
    };
    // Where the meeting sat: the median of the people's first joins and of
    // their last leaves. A whole-hour shift that puts both much nearer the
    // scheduled start and end than no shift does is a zone mistake.
    let median = |mut v: Vec<i64>| -> Option<i64> {
        v.sort_unstable();
        let n = v.len();
        (n > 0).then(|| (v[(n - 1) / 2] + v[n / 2]) / 2)
    };
    let firsts = median(
        by_person
            .values()
            .filter_map(|v| v.iter().map(|s| s.0.timestamp()).min())
            .collect(),
    );
    let lasts = median(
        by_person
            .values()
            .filter_map(|v| v.iter().map(|s| s.1.timestamp()).max())
            .collect(),
    );
    let distance = |k: i64| -> i64 {
        match (firsts, lasts) {
            (Some(f), Some(l)) => {
                (f - start.timestamp() - k * 3600).abs() + (l - end.timestamp() - k * 3600).abs()
            }
            _ => 0,
        }
    };
    let fit = score(0);
    let best = (-14i64..=14)
        .filter(|&k| k != 0)
        .map(|k| (distance(k), k))
        .min_by_key(|&(d, k)| (d, k.abs()))
        .filter(|&(d, k)| d + 30 * 60 <= distance(0) && score(k) > fit)
        .map(|(_, k)| (score(k), k));
    let window = format!(
        "{} {}–{}",
        session.date,
        session.start.format("%H:%M"),
        session.end.format("%H:%M")
    );
    let dates: Vec<NaiveDate> = {
        let mut d: Vec<NaiveDate> = spans.iter().filter_map(|(_, _, d)| *d).collect();
        d.sort();
        d.dedup();
        d
    };
    let shifted = |score: i64, k: i64| -> Option<String> {
        if score == 0 {
            return None;
        }
        let hours = if k.abs() == 1 {
            "1 hour".to_string()
        } else {
            format!("{} hours", k.abs())
        };
        let dir = if k < 0 { "behind" } else { "ahead of" };
        let zone = zone_with_offset(start, offset_of(s.report_tz, start) + k * 3600);
        let read_in = if s.tz_given {
            format!("read in {} (--report-tz), ", s.report_tz)
        } else {
            String::new()
        };
        let fix = match zone {
            Some(z) => format!("give --report-tz {z}"),
            None => format!(
                "give --report-tz with the time zone of the account that downloaded the report (UTC{:+} on that day)",
                (offset_of(s.report_tz, start) + k * 3600) as f64 / 3600.0
            ),
        };
        Some(format!(
            "error: {read_in}the report's times look {hours} {dir} the session (webinar {}, {window} {}): its attendance fits {}–{}, not the scheduled time; {fix}\n  help: if the meeting really was held at other times than cohort.toml says, correct the session's start and end there first",
            s.webinar,
            s.cohort_tz,
            (start_local + TimeDelta::hours(k)).format("%H:%M"),
            (end_local + TimeDelta::hours(k)).format("%H:%M"),
        ))
    };
    let other_day = !report.time_only && !dates.is_empty() && !dates.contains(&session.date);
    if let Some((score, k)) = best
        && let Some(message) = shifted(score, k)
    {
        let d = TimeDelta::hours(k);
        let fixes_day = !other_day
            || spans.iter().any(|(_, (j, _), _)| {
                (*j - d).with_timezone(&s.cohort_tz).date_naive() == session.date
            });
        if fixes_day {
            return Err(format!("{}: {message}", s.shown));
        }
    }
    if other_day {
        let listed: Vec<String> = dates.iter().map(NaiveDate::to_string).collect();
        let mut text = format!(
            "{}: error: the report's meeting is on {}, not on {} (the date of webinar {} of cohort {})",
            s.shown,
            listed.join(", "),
            session.date,
            s.webinar,
            cohort.id
        );
        if ambiguous_order {
            text +=
                "; its dates can be read day-first or month-first, and neither fits the session";
        }
        let fitting: Vec<String> = cohort
            .sessions
            .iter()
            .filter(|x| dates.contains(&x.date))
            .map(|x| {
                format!(
                    "webinar {} is on {}: cohort attend {} {} --from-report {}",
                    x.webinar, x.date, cohort.id, x.webinar, s.shown
                )
            })
            .collect();
        if fitting.is_empty() {
            text += &format!(
                "\n  help: no webinar of cohort {} is on that date; is this the report of the right meeting?",
                cohort.id
            );
        } else {
            text += &format!("\n  help: {}", fitting.join("; "));
        }
        return Err(text);
    }
    if fit == 0 {
        let first = spans.iter().map(|(_, (j, _), _)| *j).min();
        let last = spans.iter().map(|(_, (_, l), _)| *l).max();
        let shown_range = match (first, last) {
            (Some(a), Some(b)) => format!(
                "the report runs {}–{} ({})",
                a.with_timezone(&s.cohort_tz).format("%H:%M"),
                b.with_timezone(&s.cohort_tz).format("%H:%M"),
                s.cohort_tz
            ),
            _ => "the report has no attendance times".to_string(),
        };
        return Err(format!(
            "{}: error: nobody in the report was in the meeting during the session's scheduled time ({window} {}); {shown_range}. Check that it is the report of webinar {} and that cohort.toml has its times right",
            s.shown, s.cohort_tz, s.webinar
        ));
    }

    // 4. Minutes per participant, strangers per name.
    let mut mine: BTreeMap<usize, Vec<Span>> = BTreeMap::new();
    let mut cap: BTreeMap<usize, TimeDelta> = BTreeMap::new();
    let mut capped_all: BTreeMap<usize, bool> = BTreeMap::new();
    let mut unresolved: BTreeMap<(String, String), (Vec<Span>, usize)> = BTreeMap::new();
    let mut guests: Vec<String> = Vec::new();
    let mut staff: Vec<String> = Vec::new();
    let mut in_report: BTreeMap<usize, ()> = BTreeMap::new();
    for (i, a) in report.attendees.iter().enumerate() {
        match &who[i] {
            Who::Participant(p) => {
                in_report.insert(*p, ());
                let all = capped_all.entry(*p).or_insert(true);
                match totals[i] {
                    Some(t) => *cap.entry(*p).or_default() += t,
                    None => *all = false,
                }
            }
            Who::Unresolved(n, e) => {
                unresolved
                    .entry((n.clone(), e.clone()))
                    .or_insert((Vec::new(), i));
            }
            Who::Staff => {
                if !staff.contains(&a.name) {
                    staff.push(a.name.clone());
                }
            }
            Who::Guest => {
                if !guests.contains(&a.name) {
                    guests.push(a.name.clone());
                }
            }
        }
    }
    for (i, span, _) in &spans {
        match &who[*i] {
            Who::Participant(p) => mine.entry(*p).or_default().push(*span),
            Who::Unresolved(n, e) => {
                if let Some(entry) = unresolved.get_mut(&(n.clone(), e.clone())) {
                    entry.0.push(*span);
                }
            }
            _ => {}
        }
    }
    let minutes_of = |p: usize| -> u32 {
        let secs = mine.get(&p).map_or(0, |v| seconds_inside(v, start, end));
        let secs = match (capped_all.get(&p), cap.get(&p)) {
            (Some(true), Some(c)) => secs.min(c.num_seconds()),
            _ => secs,
        };
        u32::try_from(secs / 60)
            .unwrap_or(u32::MAX)
            .min(s.session_minutes)
    };

    if in_report.is_empty() {
        let mut people: Vec<String> = unresolved.keys().map(|(n, _)| n.clone()).collect();
        people.dedup();
        let some: Vec<String> = unresolved
            .values()
            .take(5)
            .map(|(_, i)| format!("\"{}\"", report.attendees[*i].name))
            .collect();
        return Err(format!(
            "{}: error: nobody in the report is a participant of cohort {} ({} {} in it, e.g. {}); is it another group's meeting? If these are your participants under other names, add the names with `cohort alias {} PARTICIPANT NAME…`",
            s.shown,
            cohort.id,
            unresolved.len(),
            if unresolved.len() == 1 {
                "person"
            } else {
                "people"
            },
            some.join(", "),
            cohort.id
        ));
    }

    let strangers: Vec<Stranger> = unresolved
        .iter()
        .map(|(_, (list, i))| {
            let a = &report.attendees[*i];
            let (could_be, conflict) = candidates(a, keys);
            Stranger {
                name: a.name.clone(),
                email: a.email.clone(),
                original: a.original.clone(),
                minutes: u32::try_from(seconds_inside(list, start, end) / 60).unwrap_or(u32::MAX),
                could_be,
                conflict,
            }
        })
        .collect();
    let hold = !strangers.is_empty() && !s.ignore_unmatched;

    let mut outcome = Outcome {
        strangers,
        ..Outcome::default()
    };
    let mut text = format!(
        "{}: {}, {} {}, session {window} ({})\n",
        s.shown,
        report.layout,
        report.attendees.len(),
        if report.attendees.len() == 1 {
            "row"
        } else {
            "rows"
        },
        s.cohort_tz
    );
    if ambiguous_order {
        text += &format!(
            "  its dates read {} (day and month settled by the session's date)\n",
            if order == Order::DayFirst {
                "day-first"
            } else {
                "month-first"
            }
        );
    }
    if s.tz_given && s.report_tz != s.cohort_tz {
        text += &format!("  its times read in {}\n", s.report_tz);
    }
    if waiting > 0 {
        text += &format!(
            "  {waiting} waiting-room {} not counted\n",
            if waiting == 1 { "row" } else { "rows" }
        );
    }
    if !staff.is_empty() {
        text += &format!("  trainers and host, not recorded: {}\n", staff.join(", "));
    }
    if !guests.is_empty() {
        text += &format!(
            "  panelists who are no participant, not recorded: {}\n",
            guests.join(", ")
        );
    }
    let mut withdrawn_seen = Vec::new();
    let mut zero = Vec::new();
    for (p, participant) in cohort.participants.iter().enumerate() {
        if !participant.active_on(session.date) {
            if in_report.contains_key(&p) {
                withdrawn_seen.push(participant.id.clone());
            }
            continue;
        }
        let minutes = in_report.contains_key(&p).then(|| minutes_of(p));
        match minutes {
            Some(m) if m > 0 => {
                let status = if m >= s.min_minutes {
                    Status::Present
                } else {
                    Status::Partial
                };
                outcome.marks.push((
                    p,
                    Mark {
                        status,
                        minutes: Some(m),
                    },
                ));
            }
            other => {
                if other == Some(0) {
                    zero.push(participant.id.clone());
                }
                if hold {
                    outcome.held_back.push(p);
                } else {
                    outcome.marks.push((
                        p,
                        Mark {
                            status: Status::Absent,
                            minutes: None,
                        },
                    ));
                }
            }
        }
    }
    if !zero.is_empty() {
        text += &format!(
            "  in the report but not one minute inside {}–{}, so not attended: {}\n",
            session.start.format("%H:%M"),
            session.end.format("%H:%M"),
            zero.join(", ")
        );
    }
    if !withdrawn_seen.is_empty() {
        text += &format!(
            "  in the report but withdrawn before this session, not recorded: {}\n",
            withdrawn_seen.join(", ")
        );
    }
    outcome.text = text;
    Ok(outcome)
}

/// Who a row is: a participant by e-mail, else by name or alias, else by
/// the original name; a trainer or the host; or nobody / several.
fn identify(a: &Attendee, keys: &Keys, host_email: Option<&str>) -> Who {
    let email = a.email.as_deref().unwrap_or("");
    if a.role == Role::Host
        || (host_email.is_some() && host_email == Some(names::email_key(email).as_str()))
    {
        return Who::Staff;
    }
    let unresolved = || Who::Unresolved(names::name_key(&a.name), names::email_key(email));
    let by_email = if email.is_empty() {
        &[][..]
    } else {
        keys.email(email)
    };
    let by_name = keys.name(&a.name);
    match (by_email, by_name) {
        ([p], [q]) if p != q => return unresolved(),
        ([p], _) => return Who::Participant(*p),
        ([], _) => {}
        _ => return unresolved(),
    }
    match by_name {
        [p] => return Who::Participant(*p),
        [] => {}
        _ => return unresolved(),
    }
    if let Some(original) = &a.original {
        match keys.name(original) {
            [p] => return Who::Participant(*p),
            [] => {}
            _ => return unresolved(),
        }
    }
    // Some reports show the e-mail in the name cell.
    if let [p] = keys.email(&a.name) {
        return Who::Participant(*p);
    }
    if keys.is_trainer(&a.name) || a.original.as_deref().is_some_and(|o| keys.is_trainer(o)) {
        return Who::Staff;
    }
    if a.role == Role::Panelist {
        return Who::Guest;
    }
    unresolved()
}

/// For an unresolved row: the participants it could be, and the e-mail/name
/// pair when they point at two.
fn candidates(a: &Attendee, keys: &Keys) -> (Vec<usize>, Option<(usize, usize)>) {
    let email = a.email.as_deref().unwrap_or("");
    let by_email = if email.is_empty() {
        &[][..]
    } else {
        keys.email(email)
    };
    let by_name = keys.name(&a.name);
    if let ([p], [q]) = (by_email, by_name)
        && p != q
    {
        return (vec![*p, *q], Some((*p, *q)));
    }
    let mut all: Vec<usize> = by_email.iter().chain(by_name).copied().collect();
    if let Some(o) = &a.original {
        all.extend(keys.name(o));
    }
    all.sort_unstable();
    all.dedup();
    (all, None)
}

/// The lines that list the unresolved rows, and what to do about them.
pub fn strangers_text(outcome: &Outcome, cohort: &Cohort) -> String {
    let mut text = String::new();
    let id = |p: usize| cohort.participants[p].id.as_str();
    let mut unknown = Vec::new();
    for st in &outcome.strangers {
        let email = st
            .email
            .as_deref()
            .map_or(String::new(), |e| format!(" <{e}>"));
        let line = match (st.conflict, st.could_be.as_slice()) {
            (Some((e, n)), _) => format!(
                "  \"{}\"{email}, {} min: the e-mail is {}'s and the name is {}'s; not recorded for either (mark the right one with --present or --partial)\n",
                st.name,
                st.minutes,
                id(e),
                id(n)
            ),
            (None, [_, _, ..]) => format!(
                "  \"{}\"{email}, {} min: could be {}; not recorded (add a distinct alias, or mark with --present or --partial)\n",
                st.name,
                st.minutes,
                st.could_be
                    .iter()
                    .map(|&p| id(p))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            _ => {
                unknown.push(format!(
                    "  \"{}\"{email}{}, {} min\n",
                    st.name,
                    st.original
                        .as_deref()
                        .map_or(String::new(), |o| format!(" (joined as \"{o}\")")),
                    st.minutes
                ));
                continue;
            }
        };
        text += &line;
    }
    if !unknown.is_empty() {
        text = format!(
            "matching nobody in cohort {} (if one is a participant: cohort alias {} PARTICIPANT \"NAME\", then run this again):\n{}{text}",
            cohort.id,
            cohort.id,
            unknown.join("")
        );
    } else if !text.is_empty() {
        text = format!("not matched to one participant:\n{text}");
    }
    if !outcome.held_back.is_empty() {
        let ids: Vec<&str> = outcome.held_back.iter().map(|&p| id(p)).collect();
        text += &format!(
            "left unrecorded, not marked absent, while a row above is unmatched (it may be one of them): {}\n  help: match the rows (cohort alias), mark them with flags, or give --unmatched ignore to mark them absent\n",
            ids.join(", ")
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 9, 17, h, m, 0).unwrap()
    }

    #[test]
    fn union_of_devices_clipped_and_summed() {
        let spans = [
            (t(10, 30), t(11, 30)),
            (t(10, 0), t(11, 0)),
            (t(10, 40), t(10, 50)),
        ];
        assert_eq!(seconds_inside(&spans, t(9, 0), t(13, 0)), 90 * 60);
        let spans = [(t(9, 45), t(12, 20))];
        assert_eq!(seconds_inside(&spans, t(10, 0), t(12, 0)), 120 * 60);
        let spans = [(t(8, 0), t(9, 0)), (t(12, 0), t(13, 0))];
        assert_eq!(seconds_inside(&spans, t(10, 0), t(12, 0)), 0);
        assert_eq!(seconds_inside(&[], t(10, 0), t(12, 0)), 0);
    }

    #[test]
    fn a_zone_is_suggested_by_its_offset_on_the_day() {
        // 2024-09-17 16:00 UTC: Toronto is -4, Vancouver -7.
        assert_eq!(
            zone_with_offset(t(16, 0), -7 * 3600),
            Some("America/Vancouver")
        );
        assert_eq!(
            zone_with_offset(t(16, 0), -4 * 3600),
            Some("America/Toronto")
        );
        assert_eq!(zone_with_offset(t(16, 0), 0), Some("UTC"));
        assert_eq!(zone_with_offset(t(16, 0), 3600), Some("Europe/London"));
    }
}
