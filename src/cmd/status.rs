//! `cohort status`: the attendance grid, with at-risk participants marked.

use chrono::NaiveDate;
use unicode_width::UnicodeWidthStr;

use crate::exit;
use crate::render::grid;
use crate::rules;
use crate::term;

use super::{Ctx, out, parse_date};

/// The attendance grid: who attended, missed, made up each webinar; who is at risk
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each row is a participant, each column a webinar. A participant with a \
missed webinar that is not made up is at risk, marked ! at the end of \
the row. Colours on a terminal; plain text when piped, with --color \
never, or with NO_COLOR set.

Examples:
  cohort status 2024-fall
  cohort status 2024-fall --as-of 2024-10-10")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT")]
    pub cohort: String,
    /// Look from this date (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

const NAME_WIDTH: usize = 22;

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let as_of = args.as_of.unwrap_or(ctx.today);
    ctx.known_cohort(&args.cohort)?;
    let curriculum = match ctx.curriculum() {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let data = match ctx.cohort(&curriculum, &args.cohort, as_of)? {
        Ok(data) => data,
        Err(code) => return Ok(code),
    };
    let color = term::stdout_color();
    let cohort = &data.cohort;
    let outcomes = rules::evaluate_cohort(&curriculum, cohort, &data.records, as_of);

    let mut text = format!("{} ({}), as of {as_of}\n\n", cohort.name, cohort.id);
    let id_width = cohort
        .participants
        .iter()
        .map(|p| p.id.width())
        .max()
        .unwrap_or(2)
        .max(2);
    let mut header = format!("{:id_width$}  {:NAME_WIDTH$} ", "id", "name");
    for w in 1..=curriculum.required() {
        header += &format!("{w:>3}");
    }
    text += header.trim_end();
    text += "\n";

    let mut order: Vec<usize> = (0..cohort.participants.len()).collect();
    order.sort_by(|&a, &b| cohort.participants[a].id.cmp(&cohort.participants[b].id));
    let mut at_risk = Vec::new();
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
            line += &format!("  withdrew {date}");
        } else if outcome.at_risk(participant) {
            line += &format!(
                "  {}",
                grid::paint("!", anstyle::AnsiColor::Red.on_default().bold(), color)
            );
            at_risk.push(format!(
                "{} (webinar {})",
                participant.id,
                join(&outcome.missed)
            ));
        }
        text += &line;
        text += "\n";
    }
    text += &format!("\n{}\n", grid::LEGEND);
    if at_risk.is_empty() {
        text += "nobody is at risk\n";
    } else {
        text += &format!("at risk: {}\n", at_risk.join(", "));
    }
    out(&text)?;
    Ok(exit::SUCCESS)
}

fn join(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
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
