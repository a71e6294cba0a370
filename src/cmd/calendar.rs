//! `cohort calendar`: a cohort's sessions as an iCalendar file (RFC 5545),
//! for trainers' and participants' calendar programs.
//!
//! Each session is one VEVENT whose UID is made of the cohort id and the
//! webinar number only, so a re-import updates the event rather than adding
//! a second one. A calendar program takes an update only when its SEQUENCE
//! is higher; a file written from `cohort.toml` alone cannot know that a
//! date changed, so the last calendar written is the memory: with
//! `--out FILE` (or `--previous FILE`), the events of that file are read
//! back, and an event whose time or text differs gets the SEQUENCE it had
//! there plus one; an unchanged one keeps its SEQUENCE. A new event, or
//! one written without a previous file, has SEQUENCE 0.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context as _;
use chrono::{NaiveDate, TimeZone as _, Utc};

use crate::diag::Diagnostics;
use crate::exit;
use crate::load;
use crate::model::{Cohort, Curriculum};
use crate::render::ical::{self, Writer};

use super::{Ctx, out, program, refuse};

/// The cohort's sessions as an iCalendar file, to import into a calendar program
#[derive(Debug, clap::Args)]
#[command(after_help = "\
One event per session, with the webinar's title and topics, in the \
cohort's time zone (a VTIMEZONE with the zone's real daylight-saving \
changes). Event UIDs stay the same from run to run, so importing a newer \
file updates the events. With --out FILE, a FILE written before is read \
first: every event whose date, time or text changed since gets a higher \
SEQUENCE, which tells calendar programs to take the change.

Examples:
  cohort calendar 2024-fall > 2024-fall.ics
  cohort calendar 2024-fall --out calendars/2024-fall.ics     keeps SEQUENCE up to date
  cohort calendar 2024-fall --participant p10                 only the sessions p10 is enrolled for")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT")]
    pub cohort: String,
    /// Only the sessions this participant is enrolled for (up to a withdrawal)
    #[arg(long, value_name = "ID")]
    pub participant: Option<String>,
    /// Write the calendar to FILE (read first, to raise SEQUENCE of changed events) [default: stdout]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The calendar written last time, to raise SEQUENCE of changed events (when not --out)
    #[arg(long, value_name = "FILE", conflicts_with = "out")]
    pub previous: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    ctx.known_cohort(&args.cohort)?;
    let curriculum = ctx.curriculum()?;
    let mut diags = Diagnostics::default();
    let Some(cohort) = load::load_cohort(&ctx.root, &curriculum, &args.cohort, &mut diags)
        .filter(|_| !diags.has_errors())
    else {
        return Err(refuse(&diags));
    };
    let until = match &args.participant {
        None => None,
        Some(id) => match cohort.participants.iter().find(|p| &p.id == id) {
            Some(p) => Some(p.withdrawn),
            None => crate::usage!("{}", super::recording::no_participant(&cohort, id)),
        },
    };
    let previous_file = args.out.as_ref().or(args.previous.as_ref());
    let previous = match previous_file {
        Some(path) if path.is_file() => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            previous_events(&text)
        }
        Some(path) if args.previous.is_some() => {
            crate::usage!(
                "--previous {}: no such file; give the calendar written last time, or leave --previous out",
                path.display()
            )
        }
        _ => HashMap::new(),
    };
    let text = calendar(
        &curriculum,
        &cohort,
        ctx.today,
        until.map(|w| w.unwrap_or(NaiveDate::MAX)),
        &previous,
    );
    match &args.out {
        Some(path) => {
            crate::write::replace_atomically(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "cohort: {} events written to {}",
                text.matches("BEGIN:VEVENT").count(),
                path.display()
            );
        }
        None => out(&text)?,
    }
    Ok(exit::SUCCESS)
}

/// The stable UID of webinar `n`'s session of `cohort`.
pub fn uid(cohort: &str, webinar: u32) -> String {
    format!("{cohort}-webinar-{webinar:02}@cohort")
}

/// An event of a previous file: its SEQUENCE and what would change it.
struct Previous {
    sequence: u32,
    content: String,
}

/// The lines of a VEVENT that, when they differ, raise its SEQUENCE.
const TRACKED: &[&str] = &["DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION"];

/// UID → (SEQUENCE, tracked lines) of every VEVENT in `text` (unfolded).
fn previous_events(text: &str) -> HashMap<String, Previous> {
    let unfolded = text.replace("\r\n ", "").replace("\n ", "");
    let mut events = HashMap::new();
    let (mut uid, mut sequence, mut content) = (None, 0, String::new());
    for line in unfolded.lines() {
        let line = line.trim_end_matches('\r');
        if line == "BEGIN:VEVENT" {
            (uid, sequence, content) = (None, 0, String::new());
        } else if line == "END:VEVENT" {
            if let Some(uid) = uid.take() {
                events.insert(
                    uid,
                    Previous {
                        sequence,
                        content: std::mem::take(&mut content),
                    },
                );
            }
        } else if let Some(v) = line.strip_prefix("UID:") {
            uid = Some(v.to_string());
        } else if let Some(v) = line.strip_prefix("SEQUENCE:") {
            sequence = v.trim().parse().unwrap_or(0);
        } else if TRACKED
            .iter()
            .any(|k| line.starts_with(k) && line[k.len()..].starts_with([':', ';']))
        {
            content.push_str(line);
            content.push('\n');
        }
    }
    events
}

/// The calendar text. `until`: only sessions on or before this date (a
/// participant's withdrawal); `previous`: the events of the last file.
fn calendar(
    curriculum: &Curriculum,
    cohort: &Cohort,
    today: NaiveDate,
    until: Option<NaiveDate>,
    previous: &HashMap<String, Previous>,
) -> String {
    let tz = program::zone(cohort);
    let mut w = Writer::default();
    w.raw("BEGIN", "VCALENDAR");
    w.raw("VERSION", "2.0");
    w.raw(
        "PRODID",
        &format!("-//cohort//cohort {}//EN", env!("CARGO_PKG_VERSION")),
    );
    w.raw("CALSCALE", "GREGORIAN");
    w.raw("METHOD", "PUBLISH");
    w.text("X-WR-CALNAME", &format!("{} ({})", cohort.name, cohort.id));
    w.raw("X-WR-TIMEZONE", &cohort.timezone);
    if let Some((first, last)) = cohort.span() {
        ical::vtimezone(&mut w, tz, first, last);
    }
    // Reproducible: the stamp is the day the file is made (COHORT_TODAY in tests).
    let stamp = ical::utc(Utc.from_utc_datetime(&today.and_hms_opt(0, 0, 0).expect("midnight")));
    let required = curriculum.required();
    for session in &cohort.sessions {
        if until.is_some_and(|u| session.date > u) {
            continue;
        }
        let webinar = &curriculum.webinars[session.webinar as usize - 1];
        let uid = uid(&cohort.id, session.webinar);
        let summary = format!("Webinar {}: {}", webinar.number, webinar.title);
        let mut description = format!(
            "{} ({}), webinar {} of {required}.",
            cohort.name, cohort.id, webinar.number
        );
        if !webinar.topics.is_empty() {
            description += &format!("\nTopics: {}.", webinar.topics.join("; "));
        }
        if !cohort.trainers.is_empty() {
            description += &format!("\nTrainers: {}.", cohort.trainers.join(", "));
        }
        let mut event = Writer::default();
        let tzid = format!("DTSTART;TZID={}", cohort.timezone);
        event.raw(&tzid, &ical::local(session.date.and_time(session.start)));
        let tzid = format!("DTEND;TZID={}", cohort.timezone);
        event.raw(&tzid, &ical::local(session.date.and_time(session.end)));
        event.text("SUMMARY", &summary);
        event.text("DESCRIPTION", &description);
        event.text("LOCATION", &cohort.delivery);
        let content: String = event
            .as_str()
            .replace("\r\n ", "")
            .lines()
            .map(|l| format!("{}\n", l.trim_end_matches('\r')))
            .collect();
        let sequence = match previous.get(&uid) {
            Some(p) if p.content == content => p.sequence,
            Some(p) => p.sequence + 1,
            None => 0,
        };
        w.raw("BEGIN", "VEVENT");
        w.raw("UID", &uid);
        w.raw("DTSTAMP", &stamp);
        w.raw("SEQUENCE", &sequence.to_string());
        w.append(event);
        w.raw("END", "VEVENT");
    }
    w.raw("END", "VCALENDAR");
    w.finish()
}
