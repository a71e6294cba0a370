//! `cohort report COHORT --participant ID`: one person's whole record.

use chrono::NaiveDate;
use serde::Serialize;

use crate::load::{AttendanceLog, CohortData};
use crate::model::{AttendanceRow, Cohort, Curriculum, Mark, Participant, PracticumRow, Status};
use crate::render;
use crate::rules::{self, WebinarState};

use super::{Ctx, Format, done, recording};

#[derive(Serialize)]
struct Record {
    cohort: String,
    participant: String,
    name: String,
    as_of: NaiveDate,
    outcome: String,
    reasons: Vec<String>,
    withdrawn: Option<NaiveDate>,
    webinars: Vec<WebinarRecord>,
    practicum: Vec<PracticumRecord>,
    practicum_hours: String,
    required_hours: String,
}

#[derive(Serialize)]
struct WebinarRecord {
    number: usize,
    date: NaiveDate,
    standing: String,
    history: Vec<HistoryRow>,
}

#[derive(Serialize)]
struct HistoryRow {
    line: usize,
    status: Status,
    minutes: Option<u32>,
    recorded_by: String,
    recorded_at: String,
    note: String,
    /// Recorded after the end of the as-of date: left out of the outcome.
    after_as_of: bool,
}

#[derive(Serialize)]
struct PracticumRecord {
    line: usize,
    date: NaiveDate,
    hours: String,
    kind: &'static str,
    monitor: String,
    counted: bool,
    why_not: Option<String>,
    /// For a reversing row (negative hours): why it cancels hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    reversal: Option<String>,
}

pub fn run(
    ctx: &Ctx,
    cohort_id: &str,
    participant_id: &str,
    as_of: NaiveDate,
    format: Format,
) -> anyhow::Result<u8> {
    if format == Format::Csv {
        crate::usage!("--participant prints a table or JSON (--format table|json), not CSV");
    }
    let curriculum = ctx.curriculum()?;
    let mut history = Vec::new();
    let mut data = ctx.cohort_with_history(&curriculum, cohort_id, as_of, Some(&mut history))?;
    let cohort = &data.cohort;
    let Some(p) = cohort.participant_index(participant_id) else {
        crate::usage!("{}", recording::no_participant(cohort, participant_id));
    };
    let as_of = AsOf {
        date: as_of,
        cut: rules::asof::applies(as_of, ctx.today),
    };
    // What was on file, for showing what came after the as-of date.
    let on_file = (
        cohort.participants[p].clone(),
        data.records.practicum[p].clone(),
    );
    if as_of.cut {
        rules::asof::as_it_stood(&mut data.cohort, &mut data.records, as_of.date);
    }
    let record = build(&curriculum, &data, p, &history, &on_file.1, as_of);
    let participant = &data.cohort.participants[p];
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&record)? + "\n",
        _ => render_text(&record, participant, &curriculum) + &later(&on_file.0, participant),
    };
    done(&text)
}

/// The as-of date, and whether records dated after it are left out.
#[derive(Clone, Copy)]
struct AsOf {
    date: NaiveDate,
    cut: bool,
}

/// Participant `p`'s record in `data` (as it stood), with every row of
/// `history` and the practicum rows `on_file` shown.
fn build(
    curriculum: &Curriculum,
    data: &CohortData,
    p: usize,
    history: &[AttendanceLog],
    on_file: &[PracticumRow],
    as_of: AsOf,
) -> Record {
    let cohort = &data.cohort;
    let participant = &cohort.participants[p];
    let marks = &data.records.marks[p];
    let practicum = &data.records.practicum[p];
    let outcome = rules::evaluate(
        curriculum,
        cohort,
        participant,
        marks,
        practicum,
        as_of.date,
    );
    let last = cohort.last_session();
    Record {
        cohort: cohort.id.clone(),
        participant: participant.id.clone(),
        name: participant.name.clone(),
        as_of: as_of.date,
        outcome: outcome.level.to_string(),
        reasons: outcome.reasons.clone(),
        withdrawn: participant.withdrawn,
        webinars: outcome
            .webinars
            .iter()
            .enumerate()
            .map(|(w, state)| WebinarRecord {
                number: w + 1,
                date: cohort.sessions[w].date,
                standing: standing(*state, curriculum.min_minutes),
                history: history_rows(cohort, w, &history[w], &participant.id, as_of),
            })
            .collect(),
        practicum: on_file
            .iter()
            .map(|row| practicum_record(row, last, as_of))
            .collect(),
        practicum_hours: outcome.hours.to_string(),
        required_hours: curriculum.required_hours.to_string(),
    }
}

/// The rows about `id` in the log of webinar `w + 1`.
fn history_rows(
    cohort: &Cohort,
    w: usize,
    log: &AttendanceLog,
    id: &str,
    as_of: AsOf,
) -> Vec<HistoryRow> {
    let tz = rules::asof::zone(cohort);
    let after = |row: &AttendanceRow| {
        as_of.cut
            && !rules::asof::recorded_by(
                chrono::DateTime::parse_from_rfc3339(&row.recorded_at).ok(),
                cohort.sessions[w].date,
                tz,
                as_of.date,
            )
    };
    log.iter()
        .filter(|row| row.participant == id)
        .map(|row| HistoryRow {
            line: row.line,
            status: row.mark.status,
            minutes: row.mark.minutes,
            recorded_by: row.recorded_by.clone(),
            recorded_at: row.recorded_at.clone(),
            note: row.note.clone(),
            after_as_of: after(row),
        })
        .collect()
}

/// A practicum row, whether it counts and why not.
fn practicum_record(row: &PracticumRow, last: Option<NaiveDate>, as_of: AsOf) -> PracticumRecord {
    let why = if row.date > as_of.date && as_of.cut {
        Some(format!("dated after {}, the as-of date", as_of.date))
    } else {
        last.and_then(|l| rules::counts(row, l).err())
            .map(|w| w.to_string())
    };
    PracticumRecord {
        line: row.line,
        date: row.date,
        hours: match row.reversal {
            Some(_) => format!("-{}", row.hours),
            None => row.hours.to_string(),
        },
        kind: row.kind.as_str(),
        monitor: row.monitor.to_string(),
        counted: why.is_none(),
        why_not: why,
        reversal: row.reversal.as_deref().map(str::to_string),
    }
}

/// What `cohort.toml` holds that is dated after the as-of date.
fn later(on_file: &Participant, stood: &Participant) -> String {
    let mut later = Vec::new();
    if let (Some(e), None) = (&on_file.evaluation, &stood.evaluation) {
        later.push(format!("the evaluation of {}", e.date));
    }
    if let (Some(r), None) = (&on_file.practicum, &stood.practicum) {
        later.push(format!("the practicum result of {}", r.date));
    }
    if let (Some(d), None) = (on_file.withdrawn, stood.withdrawn) {
        later.push(format!("the withdrawal of {d}"));
    }
    later
        .iter()
        .map(|what| format!("not counted, dated after the as-of date: {what}\n"))
        .collect()
}

fn standing(state: WebinarState, min_minutes: u32) -> String {
    let mark = |m: Mark| match (m.status, m.minutes) {
        (Status::Partial, Some(min)) => format!("partial, {min} min"),
        (status, _) => status.to_string(),
    };
    match state {
        WebinarState::Attended(m) if m.status == Status::Makeup => "attended (made up)".to_string(),
        WebinarState::Attended(m) => format!("attended ({})", mark(m)),
        WebinarState::Missed(Some(m)) if m.status == Status::Partial => {
            format!("missed ({}; {min_minutes} needed)", mark(m))
        }
        WebinarState::Missed(Some(m)) => format!("missed ({})", mark(m)),
        WebinarState::Missed(None) => "missed (no row)".to_string(),
        WebinarState::Upcoming => "upcoming".to_string(),
    }
}

/// The record for people: the outcome, then the webinars and the practicum.
fn render_text(r: &Record, participant: &Participant, curriculum: &Curriculum) -> String {
    let mut text = format!(
        "{} ({}) in cohort {}, as of {}\n",
        r.name, r.participant, r.cohort, r.as_of
    );
    text += &format!("outcome: {}\n", r.outcome);
    for reason in &r.reasons {
        text += &format!("  still needed: {reason}\n");
    }
    if let Some(e) = &participant.evaluation {
        text += &format!("evaluation: {}\n", super::evaluate::describe(e));
    }
    if let Some(p) = &participant.practicum {
        text += &format!("practicum result: {}\n", super::practicum::describe(p));
    }
    text + &webinars_text(r, curriculum) + &practicum_text(r)
}

/// Every webinar with its standing and the rows of its log.
fn webinars_text(r: &Record, curriculum: &Curriculum) -> String {
    let mut t = render::table::new(&[
        "webinar",
        "date",
        "standing",
        "rows in the log (the last one stands)",
    ]);
    for w in &r.webinars {
        let rows: Vec<String> = w.history.iter().map(|h| history_line(h, r.as_of)).collect();
        t.add_row(vec![
            w.number.to_string(),
            w.date.to_string(),
            w.standing.clone(),
            rows.join("\n"),
        ]);
    }
    let attended = r
        .webinars
        .iter()
        .filter(|w| w.standing.starts_with("attended"))
        .count();
    format!(
        "\nwebinars: {attended} of {} attended\n{t}\n",
        curriculum.required()
    )
}

/// `line 12: present 90 min "note", Ana`.
fn history_line(h: &HistoryRow, as_of: NaiveDate) -> String {
    let minutes = h.minutes.map_or(String::new(), |m| format!(" {m} min"));
    let note = if h.note.is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", h.note)
    };
    let by = if h.recorded_by.is_empty() {
        String::new()
    } else {
        format!(", {}", h.recorded_by)
    };
    let late = if h.after_as_of {
        format!(" (recorded after {as_of}: not counted)")
    } else {
        String::new()
    };
    format!("line {}: {}{minutes}{note}{by}{late}", h.line, h.status)
}

/// The practicum hours counted, and every row with whether it counts.
fn practicum_text(r: &Record) -> String {
    let mut text = format!(
        "\npracticum: {} of {} h counted\n",
        r.practicum_hours, r.required_hours
    );
    if r.practicum.is_empty() {
        return text + "  no practicum hours logged\n";
    }
    let mut t = render::table::new(&["line", "date", "hours", "kind", "monitor", "counted"]);
    for p in &r.practicum {
        let mut counted = match &p.why_not {
            None => "yes".to_string(),
            Some(why) => format!("no: {why}"),
        };
        if let Some(why) = &p.reversal {
            counted += &format!(" (reverses hours above: {why})");
        }
        t.add_row(vec![
            p.line.to_string(),
            p.date.to_string(),
            p.hours.clone(),
            p.kind.to_string(),
            p.monitor.clone(),
            counted,
        ]);
    }
    text += &format!("{t}\n");
    text
}
