//! `cohort makeups`: for every missed webinar not made up yet, the coming
//! sessions of the same webinar in other cohorts. Also the at-risk
//! mail-merge list of `report --at-risk` (the same rows, with e-mails).

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate};
use serde::Serialize;

use crate::model::{Cohort, Curriculum};
use crate::render;
use crate::rules;

use super::program::{self, Loaded, Read};
use super::{Ctx, Format, done, parse_date};

/// Where each missed webinar can be made up: the coming sessions of the same webinar in other cohorts
#[derive(Debug, clap::Args)]
#[command(after_help = "\
For every participant at risk (a missed webinar not made up yet, not \
withdrawn), lists the sessions of the same webinar that other cohorts \
hold on or after the as-of date (today unless --as-of), soonest first, \
with the date and time in the other cohort's time zone and in the \
participant's own cohort's, and the delivery; \"none scheduled\" when no \
cohort holds that webinar again. Once attended, record it with \
`cohort attend OTHER N --guest COHORT:ID`.

Examples:
  cohort makeups 2024-fall
  cohort makeups --all --format csv > makeups.csv     a mail-merge list (with e-mails)
  cohort makeups 2024-fall --limit 1 --format json

CSV columns (one row per participant at risk, as `report --at-risk`): \
cohort,participant,name,email,missed,makeup_options")]
pub struct Args {
    /// Cohorts whose participants to look at
    #[arg(value_name = "COHORT")]
    pub cohorts: Vec<String>,
    /// Look at every cohort
    #[arg(long)]
    pub all: bool,
    /// Look from this date (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// At most this many sessions per missed webinar
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// One session where a webinar can be made up.
#[derive(Debug, Clone, Serialize)]
pub struct Slot {
    pub cohort: String,
    pub cohort_name: String,
    pub delivery: String,
    /// In the other cohort's zone.
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
    pub timezone: String,
    /// The same times in the participant's own cohort's zone.
    pub home_date: NaiveDate,
    pub home_start: String,
    pub home_end: String,
    pub home_timezone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Missed {
    pub webinar: u32,
    pub title: String,
    /// Soonest first; empty when none is scheduled.
    pub options: Vec<Slot>,
}

/// One participant at risk, with where to make up each missed webinar.
#[derive(Debug, Clone, Serialize)]
pub struct Need {
    pub cohort: String,
    pub participant: String,
    pub name: String,
    /// Only in the mail-merge list, never in `makeups --format json`.
    #[serde(skip)]
    pub email: Option<String>,
    pub missed: Vec<Missed>,
    /// The cohort's zone, for the table's heading.
    #[serde(skip)]
    pub timezone: String,
}

pub const CSV_HEADER: &[&str] = &[
    "cohort",
    "participant",
    "name",
    "email",
    "missed",
    "makeup_options",
];

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let as_of = args.as_of.unwrap_or(ctx.today);
    if args.limit == 0 {
        crate::usage!("--limit 0 would list no session; give 1 or more (default 3)");
    }
    let ids = ctx.select(&args.cohorts, args.all)?;
    let needs = needs(ctx, &ids, as_of, args.limit)?;
    let text = match args.format {
        Format::Csv => mail_merge_csv(&needs)?,
        Format::Json => serde_json::to_string_pretty(&needs)? + "\n",
        Format::Table => table(&needs, as_of),
    };
    done(&text)
}

/// `report --at-risk`: the mail-merge list, e-mails included, in any format.
pub fn at_risk(
    ctx: &Ctx,
    ids: &[String],
    all: bool,
    as_of: NaiveDate,
    format: Format,
) -> anyhow::Result<u8> {
    let ids = ctx.select(ids, all)?;
    let needs = needs(ctx, &ids, as_of, 3)?;
    let text = match format {
        Format::Csv => mail_merge_csv(&needs)?,
        Format::Json => {
            /// As `Need`, with `email` always there (`null` when unknown).
            #[derive(Serialize)]
            struct Listed<'a> {
                cohort: &'a str,
                participant: &'a str,
                name: &'a str,
                email: &'a Option<String>,
                missed: &'a [Missed],
            }
            let listed: Vec<Listed> = needs
                .iter()
                .map(|n| Listed {
                    cohort: &n.cohort,
                    participant: &n.participant,
                    name: &n.name,
                    email: &n.email,
                    missed: &n.missed,
                })
                .collect();
            serde_json::to_string_pretty(&listed)? + "\n"
        }
        Format::Table => {
            let mut text = format!(
                "at risk as of {as_of}: {}\n",
                render::count(needs.len(), "participant", "participants")
            );
            for n in &needs {
                let email = match &n.email {
                    Some(e) => format!(" <{e}>"),
                    None => " (no e-mail)".to_string(),
                };
                text += &format!(
                    "\n{}{email}, {} {}: missed {}\n  {}\n",
                    n.name,
                    n.cohort,
                    n.participant,
                    missed_numbers(n),
                    options_text(n, "\n  ")
                );
            }
            text
        }
    };
    done(&text)
}

/// Everyone at risk in `ids`, ordered by cohort and participant id, with
/// up to `limit` make-up sessions per missed webinar from every other cohort.
pub fn needs(
    ctx: &Ctx,
    ids: &[String],
    as_of: NaiveDate,
    limit: usize,
) -> anyhow::Result<Vec<Need>> {
    let curriculum = ctx.curriculum()?;
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
    // Every cohort's schedule is needed; the records only of those asked about.
    let all = ctx.select(&[], true)?;
    let found = program::load_each(
        ctx,
        &curriculum,
        &all,
        as_of,
        |id| {
            if wanted.contains(id) {
                Read::Full
            } else {
                Read::Schedule
            }
        },
        |loaded| match loaded {
            Loaded::Full(data) => {
                let at_risk = at_risk_of(&curriculum, &data, as_of);
                (data.cohort, at_risk)
            }
            Loaded::Schedule(cohort) => (cohort, Vec::new()),
        },
    )?;
    let index = Index::new(&curriculum, found.iter().map(|(c, _)| c), as_of);
    let mut needs = Vec::new();
    for (c, (cohort, at_risk)) in found.iter().enumerate() {
        for (p, missed) in at_risk {
            let participant = &cohort.participants[*p];
            needs.push(Need {
                cohort: cohort.id.clone(),
                participant: participant.id.clone(),
                name: participant.name.clone(),
                email: participant.email.clone(),
                timezone: cohort.timezone.clone(),
                missed: missed
                    .iter()
                    .map(|&w| Missed {
                        webinar: w,
                        title: curriculum.webinars[w as usize - 1].title.clone(),
                        options: index.options(&found, c, w, limit),
                    })
                    .collect(),
            });
        }
    }
    Ok(needs)
}

/// Participants at risk (by index) and their missed webinars.
type AtRisk = Vec<(usize, Vec<u32>)>;

/// The participants at risk of one cohort (by index, ordered by id) and
/// their missed webinars.
fn at_risk_of(curriculum: &Curriculum, data: &crate::load::CohortData, as_of: NaiveDate) -> AtRisk {
    let cohort = &data.cohort;
    let outcomes = rules::evaluate_cohort(curriculum, cohort, &data.records, as_of);
    let mut at_risk: AtRisk = outcomes
        .into_iter()
        .enumerate()
        .filter(|(p, o)| o.at_risk(&cohort.participants[*p]))
        .map(|(p, o)| (p, o.missed))
        .collect();
    at_risk.sort_by_key(|(p, _)| &cohort.participants[*p].id);
    at_risk
}

/// The coming sessions of each webinar, soonest first: `(start, cohort index)`.
struct Index {
    by_webinar: Vec<Vec<(DateTime<chrono::Utc>, usize)>>,
}

impl Index {
    fn new<'a>(
        curriculum: &Curriculum,
        cohorts: impl Iterator<Item = &'a Cohort>,
        as_of: NaiveDate,
    ) -> Index {
        let mut by_webinar = vec![Vec::new(); curriculum.required()];
        for (c, cohort) in cohorts.enumerate() {
            let tz = program::zone(cohort);
            for (w, session) in cohort.sessions.iter().enumerate() {
                // On the as-of date itself a session is still to come
                // (rule 2 calls it upcoming).
                if session.date >= as_of {
                    let start = program::instant(tz, session.date, session.start);
                    by_webinar[w].push((start.with_timezone(&chrono::Utc), c));
                }
            }
        }
        by_webinar.iter_mut().for_each(|sessions| sessions.sort());
        Index { by_webinar }
    }

    fn options(
        &self,
        cohorts: &[(Cohort, AtRisk)],
        home: usize,
        webinar: u32,
        limit: usize,
    ) -> Vec<Slot> {
        let home_tz = program::zone(&cohorts[home].0);
        self.by_webinar[webinar as usize - 1]
            .iter()
            .filter(|(_, c)| *c != home)
            .take(limit)
            .map(|&(_, c)| {
                let other = &cohorts[c].0;
                let session = &other.sessions[webinar as usize - 1];
                let tz = program::zone(other);
                let start = program::instant(tz, session.date, session.start);
                let end = program::instant(tz, session.date, session.end);
                let (hs, he) = (start.with_timezone(&home_tz), end.with_timezone(&home_tz));
                Slot {
                    cohort: other.id.clone(),
                    cohort_name: other.name.clone(),
                    delivery: other.delivery.clone(),
                    date: session.date,
                    start: session.start.format("%H:%M").to_string(),
                    end: session.end.format("%H:%M").to_string(),
                    timezone: other.timezone.clone(),
                    home_date: hs.date_naive(),
                    home_start: hs.format("%H:%M").to_string(),
                    home_end: he.format("%H:%M").to_string(),
                    home_timezone: cohorts[home].0.timezone.clone(),
                }
            })
            .collect()
    }
}

/// `Tue 2026-12-01 15:00-17:00 America/Toronto`, then the other cohort's
/// own time when its zone differs, the cohort and the delivery.
pub fn option_text(o: &Slot) -> String {
    let weekday = |d: NaiveDate| d.format("%a").to_string();
    let home = format!(
        "{} {} {}-{} {}",
        weekday(o.home_date),
        o.home_date,
        o.home_start,
        o.home_end,
        o.home_timezone
    );
    let theirs = if o.timezone == o.home_timezone {
        String::new()
    } else {
        format!(
            " ({} {} {}-{} {})",
            weekday(o.date),
            o.date,
            o.start,
            o.end,
            o.timezone
        )
    };
    format!(
        "{home}{theirs} with {} ({}), {}",
        o.cohort_name, o.cohort, o.delivery
    )
}

fn missed_numbers(n: &Need) -> String {
    render::joined(n.missed.iter().map(|m| m.webinar), " ")
}

/// Every missed webinar with its options, `webinar 6: …` each, joined by `sep`.
fn options_text(n: &Need, sep: &str) -> String {
    let each = n.missed.iter().map(|m| {
        let options = if m.options.is_empty() {
            "none scheduled".to_string()
        } else {
            render::joined(m.options.iter().map(option_text), " or ")
        };
        format!("webinar {}: {options}", m.webinar)
    });
    render::joined(each, sep)
}

/// One row per participant at risk: what a mail merge needs.
fn mail_merge_csv(needs: &[Need]) -> anyhow::Result<String> {
    render::csv_for_people(
        CSV_HEADER,
        needs.iter().map(|n| {
            vec![
                n.cohort.clone(),
                n.participant.clone(),
                n.name.clone(),
                n.email.clone().unwrap_or_default(),
                missed_numbers(n),
                options_text(n, "; "),
            ]
        }),
    )
}

/// One block per cohort, times in its zone; one line per make-up session.
fn table(needs: &[Need], as_of: NaiveDate) -> String {
    if needs.is_empty() {
        return format!("nobody is at risk as of {as_of}\n");
    }
    let mut text = String::new();
    for block in needs.chunk_by(|a, b| a.cohort == b.cohort) {
        let (cohort, zone) = (&block[0].cohort, &block[0].timezone);
        let webinars: usize = block.iter().map(|n| n.missed.len()).sum();
        if !text.is_empty() {
            text += "\n";
        }
        text += &format!(
            "{cohort}: {} at risk, {webinars} missed webinar{} to make up, as of {as_of}; times in {zone}\n",
            block.len(),
            if webinars == 1 { "" } else { "s" },
        );
        for n in block {
            text += &format!("\n{}  {}\n", n.participant, n.name);
            for m in &n.missed {
                if m.options.is_empty() {
                    text += &format!("  webinar {} {}: none scheduled\n", m.webinar, m.title);
                    continue;
                }
                text += &format!("  webinar {} {}\n", m.webinar, m.title);
                for o in &m.options {
                    let theirs = if o.timezone == o.home_timezone {
                        String::new()
                    } else {
                        format!(" ({}-{} {})", o.start, o.end, o.timezone)
                    };
                    text += &format!(
                        "    {} {} {}-{}  with {}, {}{theirs}\n",
                        o.home_date.format("%a"),
                        o.home_date,
                        o.home_start,
                        o.home_end,
                        o.cohort,
                        o.delivery
                    );
                }
            }
        }
    }
    text
}
