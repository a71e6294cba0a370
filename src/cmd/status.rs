//! `cohort status`: the attendance grid, with at-risk participants marked.

use chrono::NaiveDate;
use unicode_width::UnicodeWidthStr;

use crate::render::grid;
use crate::rules;
use crate::term;

use super::{Ctx, Format, done, parse_date};
use crate::render;

/// The attendance grid: who attended, missed, made up each webinar; who is at risk
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each row is a participant, each column a webinar. A participant with a \
missed webinar that is not made up is at risk, marked ! at the end of \
the row. Colours on a terminal; plain text when piped, with --color \
never, or with NO_COLOR set.

Examples:
  cohort status 2024-fall
  cohort status 2024-fall --as-of 2024-10-10
  cohort status 2024-fall --format csv      one column per webinar, in words

In CSV and JSON each webinar is one of: attended, made-up, partial-enough, \
partial-short, absent, excused, not-recorded, upcoming.")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohort: String,
    /// Look from this date (YYYY-MM-DD): the records as they stood at its end [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// With 17 webinars a row fits 80 columns.
const NAME_WIDTH: usize = 20;

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let as_of = args.as_of.unwrap_or(ctx.today);
    ctx.known_cohort(&args.cohort)?;
    let curriculum = ctx.curriculum()?;
    let mut data = ctx.cohort(&curriculum, &args.cohort, as_of)?;
    if rules::asof::applies(as_of, ctx.today) {
        rules::asof::as_it_stood(&mut data.cohort, &mut data.records, as_of);
    }
    let color = term::stdout_color();
    let cohort = &data.cohort;
    let outcomes = rules::evaluate_cohort(&curriculum, cohort, &data.records, as_of);
    if args.format != Format::Table {
        return done(&machine(cohort, &outcomes, args.format)?);
    }

    let mut text = heading(cohort, curriculum.required(), as_of);
    let mut order: Vec<usize> = (0..cohort.participants.len()).collect();
    order.sort_by(|&a, &b| cohort.participants[a].id.cmp(&cohort.participants[b].id));
    let id_width = id_width(cohort);
    let mut at_risk = Vec::new();
    let mut withdrew = Vec::new();
    for p in order {
        let participant = &cohort.participants[p];
        let outcome = &outcomes[p];
        let mut line = format!(
            "{:id_width$}  {} ",
            participant.id,
            fit(&participant.name, NAME_WIDTH)
        );
        for state in &outcome.webinars {
            let (symbol, style) = grid::mark(*state);
            line += "  ";
            line += &grid::paint(symbol, style, color);
        }
        if let Some(date) = participant.withdrawn {
            line += "  W";
            withdrew.push(format!("{} on {date}", participant.id));
        } else if outcome.at_risk(participant) {
            line += &format!(
                "  {}",
                grid::paint("!", anstyle::AnsiColor::Red.on_default().bold(), color)
            );
            at_risk.push(format!(
                "{} (webinar {})",
                participant.id,
                render::joined(&outcome.missed, ", ")
            ));
        }
        text += &(line + "\n");
    }
    text += &footer(&withdrew, &at_risk);
    done(&text)
}

/// The id column is as wide as the longest id, and at least "id".
fn id_width(cohort: &crate::model::Cohort) -> usize {
    cohort
        .participants
        .iter()
        .map(|p| p.id.width())
        .max()
        .unwrap_or(2)
        .max(2)
}

/// The cohort's name, the session dates above their columns and the
/// webinar numbers.
fn heading(cohort: &crate::model::Cohort, webinars: usize, as_of: NaiveDate) -> String {
    let mut text = format!("{} ({}), as of {as_of}\n\n", cohort.name, cohort.id);
    let id_width = id_width(cohort);
    let dates: Vec<NaiveDate> = cohort.sessions.iter().map(|s| s.date).collect();
    text += &(grid::date_header(&dates, id_width + 2 + NAME_WIDTH + 1, 3).join("\n") + "\n");
    let mut header = format!("{:id_width$}  {:NAME_WIDTH$} ", "id", "name");
    header.extend((1..=webinars).map(|w| format!("{w:>3}")));
    text += header.trim_end();
    text += "\n";
    text
}

/// The legend, and who withdrew and who is at risk.
fn footer(withdrew: &[String], at_risk: &[String]) -> String {
    let mut text = format!("\n{}\n", grid::LEGEND);
    if !withdrew.is_empty() {
        text += &(grid::wrap(&format!("withdrew: {}", withdrew.join(", ")), 80) + "\n");
    }
    if at_risk.is_empty() {
        text += "nobody is at risk\n";
    } else {
        text += &(grid::wrap(&format!("at risk: {}", at_risk.join(", ")), 80) + "\n");
    }
    text
}

/// Pads or cuts `name` to `width` terminal columns.
fn fit(name: &str, width: usize) -> String {
    if name.width() <= width {
        return format!("{name}{}", " ".repeat(width - name.width()));
    }
    let mut out = String::new();
    for c in name.chars() {
        if out.width() + c.to_string().width() > width - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    let pad = width.saturating_sub(out.width());
    out + &" ".repeat(pad)
}

#[derive(serde::Serialize)]
struct GridRow<'a> {
    cohort: &'a str,
    participant: &'a str,
    name: &'a str,
    webinars: Vec<&'static str>,
    at_risk: bool,
    withdrawn: Option<NaiveDate>,
}

/// The grid as CSV (`cohort,participant,name,1..N,at_risk`) or JSON.
fn machine(
    cohort: &crate::model::Cohort,
    outcomes: &[rules::Outcome],
    format: Format,
) -> anyhow::Result<String> {
    let mut rows: Vec<GridRow> = cohort
        .participants
        .iter()
        .zip(outcomes)
        .map(|(p, o)| GridRow {
            cohort: &cohort.id,
            participant: &p.id,
            name: &p.name,
            webinars: o.webinars.iter().map(|s| grid::word(*s)).collect(),
            at_risk: o.at_risk(p),
            withdrawn: p.withdrawn,
        })
        .collect();
    rows.sort_by(|a, b| a.participant.cmp(b.participant));
    if format == Format::Json {
        return Ok(serde_json::to_string_pretty(&rows)? + "\n");
    }
    let numbers: Vec<String> = (1..=cohort.sessions.len()).map(|n| n.to_string()).collect();
    let mut header = vec!["cohort", "participant", "name"];
    header.extend(numbers.iter().map(String::as_str));
    header.push("at_risk");
    render::csv_for_people(
        &header,
        rows.iter().map(|r| {
            let mut cells = vec![
                r.cohort.to_string(),
                r.participant.to_string(),
                r.name.to_string(),
            ];
            cells.extend(r.webinars.iter().map(|w| w.to_string()));
            cells.push(if r.at_risk { "yes" } else { "no" }.to_string());
            cells
        }),
    )
}
