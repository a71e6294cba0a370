//! What `attend` says once it has planned or written: the rows, what
//! changed for whom, the webinar's counts and who is at risk now; or the
//! same as JSON for scripts (docs/json.md).

use std::collections::{BTreeMap, HashMap};

use crate::load::ATTENDANCE_FIELDS;
use crate::model::{Mark, Status};
use crate::render;
use crate::rules;

use super::super::recording::Loaded;
use super::super::{TextFormat, done};
use super::plan::{Recorded, Row};
use super::{Args, Standing};

/// `present`, `partial, 95 min`.
pub(super) fn describe(mark: Mark) -> String {
    match (mark.status, mark.minutes) {
        (Status::Partial | Status::Present, Some(m)) => format!("{}, {m} min", mark.status),
        (status, _) => status.to_string(),
    }
}

pub(super) fn plural_rows(n: usize) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// `attend --format json` (docs/json.md).
#[derive(serde::Serialize)]
struct AttendJson<'a> {
    dry_run: bool,
    cohort: &'a str,
    webinar: u32,
    file: &'a str,
    /// The rows appended (or that would be).
    rows: Vec<RowJson<'a>>,
    /// What changed for whom, in words.
    changes: Vec<String>,
}

/// One attendance row, with the file's column names.
#[derive(serde::Serialize)]
struct RowJson<'a> {
    participant: &'a str,
    status: &'a str,
    minutes: Option<u32>,
    recorded_by: &'a str,
    recorded_at: &'a str,
    note: &'a str,
}

fn json(args: &Args, file: &str, rows: &[Row], lines: &[String]) -> anyhow::Result<String> {
    super::super::json(&AttendJson {
        dry_run: args.dry_run,
        cohort: &args.cohort,
        webinar: args.webinar,
        file,
        rows: rows
            .iter()
            .map(|r| RowJson {
                participant: &r.participant,
                status: r.mark.status.as_str(),
                minutes: r.mark.minutes,
                recorded_by: &r.recorded_by,
                recorded_at: &r.recorded_at,
                note: &r.note,
            })
            .collect(),
        changes: lines.iter().map(|l| l.trim().to_string()).collect(),
    })
}

/// `--dry-run`: the rows that would be appended, as CSV lines or JSON.
pub(super) fn dry_run(
    args: &Args,
    rel: &str,
    (rows, lines): &(Vec<Row>, Vec<String>),
) -> anyhow::Result<u8> {
    if args.format == TextFormat::Json {
        return done(&json(args, rel, rows, lines)?);
    }
    let mut text = format!(
        "dry run: nothing was written; {rel} would get {} ({}, in the file's own column order):\n",
        plural_rows(rows.len()),
        ATTENDANCE_FIELDS.join(",")
    );
    for r in rows {
        text += &format!("  {}\n", crate::render::csv_line(&r.cells())?);
    }
    text += &lines.join("");
    done(&text)
}

/// What was written, what changed, and the webinar's summary.
pub(super) fn written(
    args: &Args,
    rel: &str,
    loaded: &Loaded,
    w: usize,
    recorded: &Recorded,
    today: chrono::NaiveDate,
) -> anyhow::Result<u8> {
    if args.format == TextFormat::Json {
        return done(&json(args, rel, &recorded.rows, &recorded.lines)?);
    }
    let written = if recorded.rows.is_empty() {
        "nothing new to write".to_string()
    } else {
        format!("{} written to {rel}", plural_rows(recorded.rows.len()))
    };
    let cohort = &loaded.data.cohort;
    let mut text = format!(
        "webinar {} ({}) of cohort {}: {written}\n",
        args.webinar, cohort.sessions[w].date, cohort.id
    );
    text += &recorded.lines.join("");
    text += &summary(loaded, w, &recorded.standing, today);
    done(&text)
}

/// Counts per status of webinar `w`, and who is at risk now.
pub(super) fn summary(
    loaded: &Loaded,
    w: usize,
    after: &HashMap<String, Standing>,
    today: chrono::NaiveDate,
) -> String {
    let cohort = &loaded.data.cohort;
    let session = &cohort.sessions[w];
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unrecorded = Vec::new();
    let mut records = loaded.data.records.clone();
    for (p, participant) in cohort.participants.iter().enumerate() {
        let row = after.get(&participant.id);
        records.marks[p][w] = row.map(|s| s.mark);
        if participant.withdrawn.is_some_and(|d| session.date > d) {
            continue;
        }
        match row {
            Some(s) => *counts.entry(s.mark.status.as_str()).or_default() += 1,
            None => unrecorded.push(participant.id.as_str()),
        }
    }
    let parts: Vec<String> = Status::ALL
        .map(Status::as_str)
        .iter()
        .filter_map(|s| counts.get(s).map(|n| format!("{n} {s}")))
        .collect();
    let counted = if parts.is_empty() {
        "nothing recorded".to_string()
    } else {
        parts.join(", ")
    };
    let mut text = format!("\nwebinar {}: {counted}", w + 1);
    if !unrecorded.is_empty() {
        text += &format!("; not recorded yet: {}", unrecorded.join(", "));
    }
    text + "\n" + &at_risk(loaded, &records, today)
}

/// Who is at risk (a missed webinar without make-up) with these records.
fn at_risk(loaded: &Loaded, records: &crate::model::Records, today: chrono::NaiveDate) -> String {
    let cohort = &loaded.data.cohort;
    let outcomes = rules::evaluate_cohort(&loaded.curriculum, cohort, records, today);
    let at_risk: Vec<String> = cohort
        .participants
        .iter()
        .zip(&outcomes)
        .filter(|(p, o)| o.at_risk(p))
        .map(|(p, o)| format!("{} (webinar {})", p.id, render::joined(&o.missed, ", ")))
        .collect();
    if at_risk.is_empty() {
        "nobody is at risk\n".to_string()
    } else {
        format!(
            "at risk (a missed webinar without make-up): {}\n",
            at_risk.join(", ")
        )
    }
}
