//! `cohort report COHORT --participant ID`: one person's whole record.

use chrono::NaiveDate;
use serde::Serialize;

use crate::exit;
use crate::model::{Mark, Status};
use crate::render;
use crate::rules::{self, WebinarState};

use super::{Ctx, Format, out};

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
    ctx.known_cohort(cohort_id)?;
    let mut history = Vec::new();
    let mut data = ctx.cohort_with_history(&curriculum, cohort_id, as_of, Some(&mut history))?;
    let cohort = &data.cohort;
    let Some(p) = cohort.participant_index(participant_id) else {
        let ids = cohort.participants.iter().map(|p| p.id.as_str());
        let hint = crate::diag::did_you_mean(participant_id, ids)
            .map_or(String::new(), |g| format!("; did you mean {g}?"));
        crate::usage!("cohort {cohort_id} has no participant \"{participant_id}\"{hint}");
    };
    let cut = rules::asof::applies(as_of, ctx.today);
    // What was on file, for showing what came after the as-of date.
    let on_file = (
        cohort.participants[p].clone(),
        data.records.practicum[p].clone(),
    );
    if cut {
        rules::asof::as_it_stood(&mut data.cohort, &mut data.records, as_of);
    }
    let cohort = &data.cohort;
    let tz = rules::asof::zone(cohort);
    let after = |row: &crate::model::AttendanceRow, w: usize| {
        cut && !rules::asof::recorded_by(
            chrono::DateTime::parse_from_rfc3339(&row.recorded_at).ok(),
            cohort.sessions[w].date,
            tz,
            as_of,
        )
    };
    let participant = &cohort.participants[p];
    let marks = &data.records.marks[p];
    let practicum = &data.records.practicum[p];
    let outcome = rules::evaluate(&curriculum, cohort, participant, marks, practicum, as_of);
    let last = cohort.last_session();

    let record = Record {
        cohort: cohort.id.clone(),
        participant: participant.id.clone(),
        name: participant.name.clone(),
        as_of,
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
                history: history[w]
                    .iter()
                    .filter(|row| row.participant == participant.id)
                    .map(|row| HistoryRow {
                        line: row.line,
                        status: row.mark.status,
                        minutes: row.mark.minutes,
                        recorded_by: row.recorded_by.clone(),
                        recorded_at: row.recorded_at.clone(),
                        note: row.note.clone(),
                        after_as_of: after(row, w),
                    })
                    .collect(),
            })
            .collect(),
        practicum: on_file
            .1
            .iter()
            .map(|row| {
                let why = if row.date > as_of && cut {
                    Some(format!("dated after {as_of}, the as-of date"))
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
            })
            .collect(),
        practicum_hours: outcome.hours.to_string(),
        required_hours: curriculum.required_hours.to_string(),
    };

    let text = match format {
        Format::Json => serde_json::to_string_pretty(&record)? + "\n",
        _ => render_text(&record, participant, &curriculum) + &later(&on_file.0, participant),
    };
    out(&text)?;
    Ok(exit::SUCCESS)
}

/// What `cohort.toml` holds that is dated after the as-of date.
fn later(on_file: &crate::model::Participant, stood: &crate::model::Participant) -> String {
    let mut text = String::new();
    if let (Some(e), None) = (&on_file.evaluation, &stood.evaluation) {
        text += &format!(
            "not counted, dated after the as-of date: the evaluation of {}\n",
            e.date
        );
    }
    if let (Some(r), None) = (&on_file.practicum, &stood.practicum) {
        text += &format!(
            "not counted, dated after the as-of date: the practicum result of {}\n",
            r.date
        );
    }
    if let (Some(d), None) = (on_file.withdrawn, stood.withdrawn) {
        text += &format!("not counted, dated after the as-of date: the withdrawal of {d}\n");
    }
    text
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

fn render_text(
    r: &Record,
    participant: &crate::model::Participant,
    curriculum: &crate::model::Curriculum,
) -> String {
    let mut text = format!(
        "{} ({}) in cohort {}, as of {}\n",
        r.name, r.participant, r.cohort, r.as_of
    );
    text += &format!("outcome: {}\n", r.outcome);
    for reason in &r.reasons {
        text += &format!("  still needed: {reason}\n");
    }
    if let Some(e) = &participant.evaluation {
        let participation = match e.participation {
            crate::model::Participation::Full => "full",
            crate::model::Participation::Partial => "partial",
        };
        let rec = if e.recommend {
            "recommended for a practicum"
        } else {
            "not recommended for a practicum"
        };
        text += &format!(
            "evaluation: {participation} participation, {rec}; by {} on {}\n",
            e.by, e.date
        );
    }
    if let Some(p) = &participant.practicum {
        text += &format!(
            "practicum result: {}; by {} on {}\n",
            if p.passed { "pass" } else { "fail" },
            p.by,
            p.date
        );
    }

    let mut t = render::table::new(&[
        "webinar",
        "date",
        "standing",
        "rows in the log (the last one stands)",
    ]);
    for w in &r.webinars {
        let rows: Vec<String> = w
            .history
            .iter()
            .map(|h| {
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
                    format!(" (recorded after {}: not counted)", r.as_of)
                } else {
                    String::new()
                };
                format!("line {}: {}{minutes}{note}{by}{late}", h.line, h.status)
            })
            .collect();
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
    text += &format!(
        "\nwebinars: {attended} of {} attended\n{t}\n",
        curriculum.required()
    );

    text += &format!(
        "\npracticum: {} of {} h counted\n",
        r.practicum_hours, r.required_hours
    );
    if r.practicum.is_empty() {
        text += "  no practicum hours logged\n";
    } else {
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
    }
    text
}
