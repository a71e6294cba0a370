//! The plan of marks: each participant's minutes inside the session (the
//! union of their intervals on every device, clipped, rounded down, never
//! more than the time the layout says they were in), the rows that match
//! nobody, the marks, and the text saying what was read and decided.

use std::collections::{BTreeMap, BTreeSet};

use chrono::TimeDelta;

use super::Report;
use super::import::{Outcome, Setting, Stranger, Window};
use super::matching::{self, Who};
use super::names::Keys;
use super::spans::{Span, Times, seconds_inside};
use super::time::Order;
use crate::model::{Cohort, Mark, Status};
use crate::render::count;

/// What the rows add up to, person by person.
#[derive(Default)]
pub struct Tally {
    /// Each participant's spans.
    mine: BTreeMap<usize, Vec<Span>>,
    /// Each participant's total time in, and whether every row gave one.
    cap: BTreeMap<usize, TimeDelta>,
    capped_all: BTreeMap<usize, bool>,
    /// The spans of each unresolved name and e-mail, and its first row.
    unresolved: BTreeMap<(String, String), (Vec<Span>, usize)>,
    guests: Vec<String>,
    staff: Vec<String>,
    in_report: BTreeSet<usize>,
}

fn push_new(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

impl Tally {
    pub fn of(report: &Report, who: &[Who], times: &Times) -> Tally {
        let mut t = Tally::default();
        for (i, a) in report.attendees.iter().enumerate() {
            match &who[i] {
                Who::Participant(p) => {
                    t.in_report.insert(*p);
                    let all = t.capped_all.entry(*p).or_insert(true);
                    match times.totals[i] {
                        Some(total) => *t.cap.entry(*p).or_default() += total,
                        None => *all = false,
                    }
                }
                Who::Unresolved(n, e) => {
                    t.unresolved
                        .entry((n.clone(), e.clone()))
                        .or_insert((Vec::new(), i));
                }
                Who::Staff => push_new(&mut t.staff, &a.name),
                Who::Guest => push_new(&mut t.guests, &a.name),
            }
        }
        for (i, span, _) in &times.spans {
            match &who[*i] {
                Who::Participant(p) => t.mine.entry(*p).or_default().push(*span),
                Who::Unresolved(n, e) => {
                    if let Some(entry) = t.unresolved.get_mut(&(n.clone(), e.clone())) {
                        entry.0.push(*span);
                    }
                }
                _ => {}
            }
        }
        t
    }

    /// Participant `p`'s whole minutes inside the session.
    fn minutes_of(&self, p: usize, w: &Window, session_minutes: u32) -> u32 {
        let secs = self
            .mine
            .get(&p)
            .map_or(0, |v| seconds_inside(v, w.start, w.end));
        let secs = match (self.capped_all.get(&p), self.cap.get(&p)) {
            (Some(true), Some(c)) => secs.min(c.num_seconds()),
            _ => secs,
        };
        u32::try_from(secs / 60)
            .unwrap_or(u32::MAX)
            .min(session_minutes)
    }

    /// The refusal when no row is a participant.
    pub fn nobody_matches(&self, report: &Report, s: &Setting<'_>) -> Option<String> {
        if !self.in_report.is_empty() {
            return None;
        }
        let some: Vec<String> = self
            .unresolved
            .values()
            .take(5)
            .map(|(_, i)| format!("\"{}\"", report.attendees[*i].name))
            .collect();
        let n = self.unresolved.len();
        Some(format!(
            "{}: error: nobody in the report is a participant of cohort {} ({n} {} in it, e.g. {}); is it another group's meeting? If these are your participants under other names, add the names with `cohort alias {} PARTICIPANT NAME…`",
            s.shown,
            s.cohort.id,
            if n == 1 { "person" } else { "people" },
            some.join(", "),
            s.cohort.id
        ))
    }

    /// The rows that match nobody or several, one per name and e-mail.
    pub fn strangers(&self, report: &Report, keys: &Keys, w: &Window) -> Vec<Stranger> {
        self.unresolved
            .values()
            .map(|(list, i)| {
                let a = &report.attendees[*i];
                let (could_be, conflict) = matching::candidates(a, keys);
                Stranger {
                    name: a.name.clone(),
                    email: a.email.clone(),
                    original: a.original.clone(),
                    minutes: u32::try_from(seconds_inside(list, w.start, w.end) / 60)
                        .unwrap_or(u32::MAX),
                    could_be,
                    conflict,
                }
            })
            .collect()
    }
}

/// The first lines of the text: the report, how it was read, who was left out.
pub fn heading(
    report: &Report,
    times: &Times,
    tally: &Tally,
    s: &Setting<'_>,
    w: &Window,
) -> String {
    let mut text = format!(
        "{}: {}, {}, session {} ({})\n",
        s.shown,
        report.layout,
        count(report.attendees.len(), "row", "rows"),
        w.text,
        s.cohort_tz
    );
    if times.ambiguous_order {
        text += &format!(
            "  its dates read {} (day and month settled by the session's date)\n",
            if times.order == Order::DayFirst {
                "day-first"
            } else {
                "month-first"
            }
        );
    }
    if s.tz_given && s.report_tz != s.cohort_tz {
        text += &format!("  its times read in {}\n", s.report_tz);
    }
    if !times.repeated.is_empty() {
        text += &format!(
            "  warning: {} happen twice in {} (the clocks go back that night); read as the first time, before the change (a report with UTC offsets in its times leaves no doubt)\n",
            times.repeated.join(", "),
            s.report_tz
        );
    }
    if times.waiting > 0 {
        text += &format!(
            "  {} not counted\n",
            count(times.waiting, "waiting-room row", "waiting-room rows")
        );
    }
    if !tally.staff.is_empty() {
        text += &format!(
            "  trainers and host, not recorded: {}\n",
            tally.staff.join(", ")
        );
    }
    if !tally.guests.is_empty() {
        text += &format!(
            "  panelists who are no participant, not recorded: {}\n",
            tally.guests.join(", ")
        );
    }
    text
}

/// The marks of every participant active on the session's date, into
/// `outcome`; the text's closing lines (nobody inside, withdrawn) into
/// `outcome.text`. With `hold`, those who would be marked absent are held
/// back instead.
pub fn marks(tally: &Tally, s: &Setting<'_>, w: &Window, hold: bool, outcome: &mut Outcome) {
    let session = s.session;
    let mut withdrawn_seen = Vec::new();
    let mut zero = Vec::new();
    for (p, participant) in s.cohort.participants.iter().enumerate() {
        let seen = tally.in_report.contains(&p);
        if !participant.active_on(session.date) {
            if seen {
                withdrawn_seen.push(participant.id.clone());
            }
            continue;
        }
        let minutes = seen.then(|| tally.minutes_of(p, w, s.session_minutes));
        if let Some(m) = minutes.filter(|&m| m > 0) {
            let status = if m >= s.min_minutes {
                Status::Present
            } else {
                Status::Partial
            };
            let mark = Mark {
                status,
                minutes: Some(m),
            };
            outcome.marks.push((p, mark));
            continue;
        }
        if minutes == Some(0) {
            zero.push(participant.id.clone());
        }
        if hold {
            outcome.held_back.push(p);
        } else {
            let absent = Mark {
                status: Status::Absent,
                minutes: None,
            };
            outcome.marks.push((p, absent));
        }
    }
    if !zero.is_empty() {
        outcome.text += &format!(
            "  in the report but not one minute inside {}–{}, so not attended: {}\n",
            session.start.format("%H:%M"),
            session.end.format("%H:%M"),
            zero.join(", ")
        );
    }
    if !withdrawn_seen.is_empty() {
        outcome.text += &format!(
            "  in the report but withdrawn before this session, not recorded: {}\n",
            withdrawn_seen.join(", ")
        );
    }
}

/// The line of one stranger who could be one of several (or two by e-mail
/// and name), or `None` for one who matches nobody.
fn ambiguous_line(st: &Stranger, email: &str, id: &dyn Fn(usize) -> String) -> Option<String> {
    match (st.conflict, st.could_be.as_slice()) {
        (Some((e, n)), _) => Some(format!(
            "  \"{}\"{email}, {} min: the e-mail is {}'s and the name is {}'s; not recorded for either (mark the right one with --present or --partial)\n",
            st.name,
            st.minutes,
            id(e),
            id(n)
        )),
        (None, [_, _, ..]) => Some(format!(
            "  \"{}\"{email}, {} min: could be {}; not recorded (add a distinct alias, or mark with --present or --partial)\n",
            st.name,
            st.minutes,
            crate::render::joined(st.could_be.iter().map(|&p| id(p)), " or ")
        )),
        _ => None,
    }
}

/// The lines that list the unresolved rows, and what to do about them.
pub fn strangers_text(outcome: &Outcome, cohort: &Cohort) -> String {
    let mut text = String::new();
    let id = |p: usize| cohort.participants[p].id.clone();
    let mut unknown = Vec::new();
    for st in &outcome.strangers {
        let email = st
            .email
            .as_deref()
            .map_or(String::new(), |e| format!(" <{e}>"));
        match ambiguous_line(st, &email, &id) {
            Some(line) => text += &line,
            None => unknown.push(format!(
                "  \"{}\"{email}{}, {} min\n",
                st.name,
                st.original
                    .as_deref()
                    .map_or(String::new(), |o| format!(" (joined as \"{o}\")")),
                st.minutes
            )),
        }
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
        let ids: Vec<String> = outcome.held_back.iter().map(|&p| id(p)).collect();
        text += &format!(
            "left unrecorded, not marked absent, while a row above is unmatched (it may be one of them): {}\n  help: match the rows (cohort alias), mark them with flags, or give --unmatched ignore to mark them absent\n",
            ids.join(", ")
        );
    }
    text
}
