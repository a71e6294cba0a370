//! `cohort site DIR`: self-contained static web pages, an index of cohorts
//! and one page per cohort, for people who do not use a terminal.
//!
//! The pages are askama templates (`templates/`): checked when the program
//! is compiled, and every value is HTML-escaped unless a template says
//! otherwise (none does). Each page carries its own style sheet and draws
//! its chart as inline SVG: no script, font or image from anywhere else, so
//! a page works opened from disk and can be mailed as one file.
//!
//! Every page is rendered (in memory, on all cores) before any is written:
//! a run refused for errors in the data leaves DIR as it was.

use std::path::PathBuf;

use anyhow::Context as _;
use askama::Template;
use chrono::NaiveDate;

use crate::exit;
use crate::load::CohortData;
use crate::model::{Curriculum, Hours, Participant, Status};
use crate::render::grid;
use crate::rules::{self, Level, Outcome, WebinarState};

use super::stats::Levels;
use super::{Ctx, parse_date};

/// Web pages of every cohort: attendance grid, who is at risk, outcomes, practicum progress
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Writes DIR/index.html (every cohort with its outcome counts) and one page \
per cohort, DIR/<id>.html: the attendance grid with the session dates, who \
is at risk, every outcome with its reasons, practicum progress, and a chart \
of attendance per webinar. The pages need nothing from the internet: open \
them from disk, or put the folder on any web server. E-mail addresses are \
never shown. Pages of cohorts already in DIR are replaced; other files in \
DIR are left alone. Refuses to run on data with errors (see `cohort check`).

Examples:
  cohort site public/
  cohort site public/ --as-of 2024-10-15")]
pub struct Args {
    /// The folder to write the pages into (created if missing)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Work out outcomes as of this date (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    participants: usize,
    levels: Levels,
    withdrew: usize,
    at_risk: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.participants += other.participants;
        self.levels.add(&other.levels);
        self.withdrew += other.withdrew;
        self.at_risk += other.at_risk;
    }
}

struct IndexRow {
    id: String,
    name: String,
    file: String,
    span: String,
    counts: Counts,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    program: &'a str,
    as_of: NaiveDate,
    cohorts: Vec<IndexRow>,
    total: Counts,
}

struct Column {
    number: u32,
    title: String,
    date: NaiveDate,
    month_day: String,
}

struct Cell {
    symbol: &'static str,
    class: &'static str,
    title: String,
}

struct GridRow {
    id: String,
    name: String,
    cells: Vec<Cell>,
    at_risk: bool,
    note: String,
}

struct AtRisk {
    id: String,
    name: String,
    missed: String,
}

struct OutcomeRow {
    id: String,
    name: String,
    attended: String,
    level: Level,
    class: &'static str,
    reasons: String,
}

struct Progress {
    id: String,
    name: String,
    hours: String,
    percent: u64,
    done: bool,
    result: String,
}

struct Bar {
    number: u32,
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    upcoming: bool,
    fill: &'static str,
    label: String,
    title: String,
}

struct Chart {
    width: u32,
    height: u32,
    left: u32,
    right: u32,
    top: u32,
    base: u32,
    bars: Vec<Bar>,
}

#[derive(Template)]
#[template(path = "cohort.html")]
struct CohortPage<'a> {
    program: &'a str,
    id: &'a str,
    name: &'a str,
    span: String,
    timezone: &'a str,
    delivery: &'a str,
    trainers: String,
    as_of: NaiveDate,
    webinars: Vec<Column>,
    rows: Vec<GridRow>,
    at_risk: Vec<AtRisk>,
    chart: Chart,
    outcomes: Vec<OutcomeRow>,
    practicum: Vec<Progress>,
    required: String,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let as_of = args.as_of.unwrap_or(ctx.today);
    let ids = ctx.select(&[], true)?;
    let curriculum = ctx.curriculum()?;
    let rendered = super::program::each_whole(ctx, &curriculum, &ids, as_of, |data| {
        cohort_page(&curriculum, data, as_of)
    });
    let pages = rendered?.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    // Every cohort read clean: only now is anything written.
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    let (mut rows, mut total) = (Vec::with_capacity(pages.len()), Counts::default());
    for (page, row) in pages {
        let path = args.dir.join(&row.file);
        write_page(&path, &page).with_context(|| format!("cannot write {}", path.display()))?;
        total.add(&row.counts);
        rows.push(row);
    }
    let count = rows.len();
    let index = IndexPage {
        program: &curriculum.program_name,
        as_of,
        cohorts: rows,
        total,
    }
    .render()?;
    let path = args.dir.join("index.html");
    write_page(&path, &index).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "cohort: wrote index.html and {count} cohort page{} into {}",
        if count == 1 { "" } else { "s" },
        args.dir.display()
    );
    Ok(exit::SUCCESS)
}

/// Writes a page over the old one in place, then cuts it to length: on
/// ext4, truncating a file to zero first (or renaming over it) makes the
/// file system free and reallocate its blocks, which made rewriting 3,000
/// pages twice as slow as writing them anew.
fn write_page(path: &std::path::Path, page: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    file.write_all(page.as_bytes())?;
    file.set_len(page.len() as u64)
}

fn span(data: &CohortData) -> String {
    data.cohort
        .span()
        .map_or_else(String::new, |(a, b)| format!("{a} to {b}"))
}

/// What a webinar state is called in the page: a class and words.
fn class(state: WebinarState) -> (&'static str, String) {
    let words = match state {
        WebinarState::Attended(m) => match m.status {
            Status::Makeup => "made up".into(),
            Status::Partial => format!("partial, {} minutes", m.minutes.unwrap_or(0)),
            _ => "attended".into(),
        },
        WebinarState::Missed(Some(m)) => match m.status {
            Status::Partial => format!("partial, {} minutes: too few", m.minutes.unwrap_or(0)),
            Status::Excused => "excused: make-up needed".into(),
            _ => "absent: make-up needed".into(),
        },
        WebinarState::Missed(None) => "held, nothing recorded".into(),
        WebinarState::Upcoming => "upcoming".into(),
    };
    (grid::word(state), words)
}

fn level_class(level: Level) -> &'static str {
    match level {
        Level::Certified => "certified",
        Level::Level1R => "level-1r",
        Level::Level1 => "level-1",
        Level::Incomplete => "incomplete",
    }
}

fn cohort_page(
    curriculum: &Curriculum,
    data: &CohortData,
    as_of: NaiveDate,
) -> anyhow::Result<(String, IndexRow)> {
    let cohort = &data.cohort;
    let outcomes = rules::evaluate_cohort(curriculum, cohort, &data.records, as_of);
    let mut order: Vec<usize> = (0..cohort.participants.len()).collect();
    order.sort_by(|&a, &b| cohort.participants[a].id.cmp(&cohort.participants[b].id));

    let mut counts = Counts {
        participants: order.len(),
        ..Counts::default()
    };
    let (mut rows, mut at_risk, mut outcome_rows, mut practicum) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for &p in &order {
        let person = &cohort.participants[p];
        let o: &Outcome = &outcomes[p];
        counts.levels.count(o.level);
        let risk = o.at_risk(person);
        counts.withdrew += usize::from(person.withdrawn.is_some());
        counts.at_risk += usize::from(risk);
        rows.push(grid_row(person, o, risk));
        if risk {
            at_risk.push(at_risk_row(person, o));
        }
        outcome_rows.push(OutcomeRow {
            id: person.id.clone(),
            name: person.name.clone(),
            attended: format!("{}/{}", o.attended, curriculum.required()),
            level: o.level,
            class: level_class(o.level),
            reasons: o.reasons.join("; "),
        });
        practicum.extend(progress(person, o, curriculum.required_hours));
    }

    let webinars: Vec<Column> = cohort
        .sessions
        .iter()
        .map(|s| Column {
            number: s.webinar,
            title: curriculum.webinars[s.webinar as usize - 1].title.clone(),
            date: s.date,
            month_day: s.date.format("%-m/%-d").to_string(),
        })
        .collect();
    let chart = chart(data, &outcomes, as_of);
    let row = IndexRow {
        id: cohort.id.clone(),
        name: cohort.name.clone(),
        file: format!("{}.html", cohort.id),
        span: span(data),
        counts,
    };
    let page = CohortPage {
        program: &curriculum.program_name,
        id: &cohort.id,
        name: &cohort.name,
        span: span(data),
        timezone: &cohort.timezone,
        delivery: &cohort.delivery,
        trainers: cohort.trainers.join(", "),
        as_of,
        webinars,
        rows,
        at_risk,
        chart,
        outcomes: outcome_rows,
        practicum,
        required: curriculum.required_hours.to_string(),
    }
    .render()?;
    Ok((page, row))
}

/// A participant's line of the attendance grid: a cell per webinar.
fn grid_row(person: &Participant, o: &Outcome, risk: bool) -> GridRow {
    GridRow {
        id: person.id.clone(),
        name: person.name.clone(),
        cells: o
            .webinars
            .iter()
            .enumerate()
            .map(|(w, &state)| {
                let (class, words) = class(state);
                Cell {
                    symbol: grid::mark(state).0,
                    class,
                    title: format!("webinar {}: {words}", w + 1),
                }
            })
            .collect(),
        at_risk: risk,
        note: person
            .withdrawn
            .map(|d| format!("withdrew {d}"))
            .unwrap_or_default(),
    }
}

fn at_risk_row(person: &Participant, o: &Outcome) -> AtRisk {
    AtRisk {
        id: person.id.clone(),
        name: person.name.clone(),
        missed: format!(
            "missed webinar{} {}",
            if o.missed.len() == 1 { "" } else { "s" },
            crate::render::joined(&o.missed, ", ")
        ),
    }
}

/// Practicum progress, for a participant recommended and still enrolled.
fn progress(person: &Participant, o: &Outcome, required: Hours) -> Option<Progress> {
    let recommended = person.evaluation.as_ref().is_some_and(|e| e.recommend);
    if !recommended || person.withdrawn.is_some() {
        return None;
    }
    let percent = (o.hours.seconds * 100)
        .checked_div(required.seconds)
        .map_or(100, |p| p.min(100));
    Some(Progress {
        id: person.id.clone(),
        name: person.name.clone(),
        hours: o.hours.to_string(),
        percent,
        done: o.hours >= required,
        result: match &person.practicum {
            None => "not yet evaluated".to_string(),
            Some(r) if r.passed => format!("passed on {}", r.date),
            Some(r) => format!("not passed on {}", r.date),
        },
    })
}

/// Bars of the share of participants (still enrolled on the day) who
/// attended each webinar, make-ups included; upcoming sessions outlined.
fn chart(data: &CohortData, outcomes: &[Outcome], as_of: NaiveDate) -> Chart {
    let cohort = &data.cohort;
    let (left, top, step, width, plot) = (40u32, 16u32, 30u32, 22u32, 150u32);
    let base = top + plot;
    let mut bars = Vec::new();
    for (w, session) in cohort.sessions.iter().enumerate() {
        let enrolled: Vec<usize> = (0..cohort.participants.len())
            .filter(|&p| cohort.participants[p].active_on(session.date))
            .collect();
        let attended = enrolled
            .iter()
            .filter(|&&p| matches!(outcomes[p].webinars[w], WebinarState::Attended(_)))
            .count();
        let upcoming = enrolled
            .iter()
            .all(|&p| outcomes[p].webinars[w] == WebinarState::Upcoming)
            && session.date >= as_of;
        let share = (attended * 100).checked_div(enrolled.len()).unwrap_or(0) as u32;
        let height = plot * share / 100;
        let x = left + 6 + w as u32 * step;
        bars.push(Bar {
            number: session.webinar,
            x,
            y: base - height,
            width,
            height,
            upcoming,
            fill: if share == 100 { "#1a7f37" } else { "#2f6fb5" },
            label: format!("{share}%"),
            title: if upcoming {
                format!("webinar {} on {}: upcoming", session.webinar, session.date)
            } else {
                format!(
                    "webinar {} on {}: {attended} of {} attended ({share}%)",
                    session.webinar,
                    session.date,
                    enrolled.len()
                )
            },
        });
    }
    let right = left + 12 + cohort.sessions.len() as u32 * step;
    Chart {
        width: right + 10,
        height: base + 20,
        left,
        right,
        top,
        base,
        bars,
    }
}
