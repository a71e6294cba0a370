//! `cohort stats`: program figures, what a funder asks for, per cohort or
//! per year and in total.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::load::CohortData;
use crate::model::{Curriculum, Hours, Status};
use crate::render;
use crate::rules::{self, Level, WebinarState};

use super::program;
use super::{Ctx, Format, done, parse_date};

/// Program figures: enrolled, withdrew, reached each level, attendance rate, make-ups, practicum hours
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Counts every participant of the cohorts named (or of all, with --all or \
when none is named), as of a date (today unless --as-of). Outcomes are \
those of `cohort report`; \"reached\" counts everyone at that level or a \
higher one. The attendance rate is attended webinars over held webinars, \
counting for each participant only the sessions held while they were \
enrolled (make-ups count as attended; upcoming sessions not at all). \
Practicum hours are the hours that count (monitored support after the \
last session), summed.

Examples:
  cohort stats
  cohort stats --by year
  cohort stats --by cohort --format csv > figures.csv

CSV columns, in this order: group, cohorts, enrolled, withdrew, incomplete, \
level_1, level_1r, certified, reached_level_1, reached_level_1r, attended, \
held, attendance_rate, makeups, practicum_hours (the last row's group is \"total\")")]
pub struct Args {
    /// Cohorts to count [default: all]
    #[arg(value_name = "COHORT")]
    pub cohorts: Vec<String>,
    /// Count every cohort (the default when none is named)
    #[arg(long)]
    pub all: bool,
    /// One line per cohort or per year (of the cohort's first session), and the total
    #[arg(long, value_enum, value_name = "GROUP")]
    pub by: Option<By>,
    /// Work out outcomes as of this date (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Cohort,
    Year,
}

/// The figures of a group of participants.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub group: String,
    pub cohorts: usize,
    pub enrolled: usize,
    pub withdrew: usize,
    #[serde(flatten)]
    pub levels: Levels,
    pub reached_level_1: usize,
    pub reached_level_1r: usize,
    /// Webinars attended (make-ups included) of those held while enrolled.
    pub attended: usize,
    pub held: usize,
    /// `attended / held` in percent, one decimal; `null` when nothing was held.
    pub attendance_rate: Option<f64>,
    pub makeups: usize,
    #[serde(serialize_with = "super::report::hours_number")]
    pub practicum_hours: Hours,
}

/// How many participants stand at each level (the site's pages count so too).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Levels {
    pub incomplete: usize,
    pub level_1: usize,
    pub level_1r: usize,
    pub certified: usize,
}

impl Levels {
    pub fn count(&mut self, level: Level) {
        match level {
            Level::Incomplete => self.incomplete += 1,
            Level::Level1 => self.level_1 += 1,
            Level::Level1R => self.level_1r += 1,
            Level::Certified => self.certified += 1,
        }
    }

    pub fn add(&mut self, other: &Levels) {
        self.incomplete += other.incomplete;
        self.level_1 += other.level_1;
        self.level_1r += other.level_1r;
        self.certified += other.certified;
    }
}

impl Figures {
    fn add(&mut self, other: &Figures) {
        self.cohorts += other.cohorts;
        self.enrolled += other.enrolled;
        self.withdrew += other.withdrew;
        self.levels.add(&other.levels);
        self.reached_level_1 += other.reached_level_1;
        self.reached_level_1r += other.reached_level_1r;
        self.attended += other.attended;
        self.held += other.held;
        self.makeups += other.makeups;
        self.practicum_hours = self.practicum_hours + other.practicum_hours;
        self.rate();
    }

    fn rate(&mut self) {
        self.attendance_rate = (self.held > 0)
            .then(|| (self.attended as f64 * 1000.0 / self.held as f64).round() / 10.0);
    }

    fn rate_text(&self) -> String {
        self.attendance_rate
            .map_or_else(String::new, |r| format!("{r:.1}"))
    }
}

/// One cohort's figures and the year it started.
fn of_cohort(curriculum: &Curriculum, data: &CohortData, as_of: NaiveDate) -> (i32, Figures) {
    let cohort = &data.cohort;
    let outcomes = rules::evaluate_cohort(curriculum, cohort, &data.records, as_of);
    let mut f = Figures {
        group: cohort.id.clone(),
        cohorts: 1,
        enrolled: cohort.participants.len(),
        ..Figures::default()
    };
    for (person, o) in cohort.participants.iter().zip(&outcomes) {
        f.withdrew += usize::from(person.withdrawn.is_some());
        f.levels.count(o.level);
        f.reached_level_1 += usize::from(o.level >= Level::Level1);
        f.reached_level_1r += usize::from(o.level >= Level::Level1R);
        for (session, state) in cohort.sessions.iter().zip(&o.webinars) {
            if !person.active_on(session.date) {
                continue;
            }
            match state {
                WebinarState::Attended(m) => {
                    f.attended += 1;
                    f.held += 1;
                    f.makeups += usize::from(m.status == Status::Makeup);
                }
                WebinarState::Missed(_) => f.held += 1,
                WebinarState::Upcoming => {}
            }
        }
        f.practicum_hours = f.practicum_hours + o.hours;
    }
    f.rate();
    let year = cohort.span().map_or(0, |(first, _)| first.year());
    (year, f)
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let as_of = args.as_of.unwrap_or(ctx.today);
    let all = args.all || args.cohorts.is_empty();
    let ids = ctx.select(&args.cohorts, all)?;
    let curriculum = ctx.curriculum()?;
    let found = program::each_whole(ctx, &curriculum, &ids, as_of, |data| {
        of_cohort(&curriculum, data, as_of)
    })?;
    let mut total = Figures {
        group: "total".into(),
        ..Figures::default()
    };
    for (_, f) in &found {
        total.add(f);
    }
    let groups: Vec<Figures> = match args.by {
        None => Vec::new(),
        Some(By::Cohort) => found.into_iter().map(|(_, f)| f).collect(),
        Some(By::Year) => {
            let mut years: BTreeMap<i32, Figures> = BTreeMap::new();
            for (year, f) in &found {
                years
                    .entry(*year)
                    .or_insert_with(|| Figures {
                        group: year.to_string(),
                        ..Figures::default()
                    })
                    .add(f);
            }
            years.into_values().collect()
        }
    };
    let text = match args.format {
        Format::Json => {
            #[derive(Serialize)]
            struct Stats<'a> {
                as_of: NaiveDate,
                by: Option<By>,
                groups: &'a [Figures],
                total: &'a Figures,
            }
            serde_json::to_string_pretty(&Stats {
                as_of,
                by: args.by,
                groups: &groups,
                total: &total,
            })? + "\n"
        }
        Format::Csv => csv(&groups, &total)?,
        Format::Table => match args.by {
            None => summary(&total, as_of),
            Some(by) => grouped(&groups, &total, by, as_of),
        },
    };
    done(&text)
}

/// A CSV column: its name and its cell.
type Column = (&'static str, fn(&Figures) -> String);

/// The CSV columns, in order.
const COLUMNS: &[Column] = &[
    ("group", |f| f.group.clone()),
    ("cohorts", |f| f.cohorts.to_string()),
    ("enrolled", |f| f.enrolled.to_string()),
    ("withdrew", |f| f.withdrew.to_string()),
    ("incomplete", |f| f.levels.incomplete.to_string()),
    ("level_1", |f| f.levels.level_1.to_string()),
    ("level_1r", |f| f.levels.level_1r.to_string()),
    ("certified", |f| f.levels.certified.to_string()),
    ("reached_level_1", |f| f.reached_level_1.to_string()),
    ("reached_level_1r", |f| f.reached_level_1r.to_string()),
    ("attended", |f| f.attended.to_string()),
    ("held", |f| f.held.to_string()),
    ("attendance_rate", Figures::rate_text),
    ("makeups", |f| f.makeups.to_string()),
    ("practicum_hours", |f| f.practicum_hours.to_string()),
];

fn csv(groups: &[Figures], total: &Figures) -> anyhow::Result<String> {
    let header: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
    let rows = groups.iter().chain(std::iter::once(total));
    render::csv_for_people(
        &header,
        rows.map(|f| COLUMNS.iter().map(|(_, cell)| cell(f)).collect()),
    )
}

/// The total alone, a figure a line.
fn summary(total: &Figures, as_of: NaiveDate) -> String {
    let levels = &total.levels;
    let lines = [
        ("cohorts", total.cohorts.to_string()),
        ("enrolled", total.enrolled.to_string()),
        ("withdrew", total.withdrew.to_string()),
        (
            "reached Level 1",
            format!(
                "{} (Level 1 {}, Level 1R {}, Certified {})",
                total.reached_level_1, levels.level_1, levels.level_1r, levels.certified
            ),
        ),
        ("reached Level 1R", total.reached_level_1r.to_string()),
        ("Certified", levels.certified.to_string()),
        ("Incomplete", levels.incomplete.to_string()),
        (
            "attendance",
            match total.attendance_rate {
                Some(r) => format!(
                    "{r:.1}% ({} of {} webinars held)",
                    total.attended, total.held
                ),
                None => "no webinar held yet".to_string(),
            },
        ),
        ("make-ups", total.makeups.to_string()),
        ("practicum hours", format!("{} h", total.practicum_hours)),
    ];
    let mut text = format!("program figures as of {as_of}\n");
    for (k, v) in lines {
        text += &format!("  {k:<17} {v}\n");
    }
    text
}

/// A line per group and the total below a rule, in aligned columns.
fn grouped(groups: &[Figures], total: &Figures, by: By, as_of: NaiveDate) -> String {
    let head = match by {
        By::Year => "year",
        By::Cohort => "cohort",
    };
    let rows: Vec<[String; 9]> = groups
        .iter()
        .chain(std::iter::once(total))
        .map(|f| {
            [
                f.group.clone(),
                f.enrolled.to_string(),
                f.withdrew.to_string(),
                f.reached_level_1.to_string(),
                f.reached_level_1r.to_string(),
                f.levels.certified.to_string(),
                f.attendance_rate
                    .map_or_else(String::new, |r| format!("{r:.1}%")),
                f.makeups.to_string(),
                f.practicum_hours.to_string(),
            ]
        })
        .collect();
    let header = [
        head, "enrolled", "withdrew", "L1+", "L1R+", "Cert", "attended", "make-ups", "pract. h",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - cell.width());
            if i == 0 {
                l += &format!("{cell}{pad}");
            } else {
                l += &format!("  {pad}{cell}");
            }
        }
        l.trim_end().to_string() + "\n"
    };
    let mut text =
        format!("program figures as of {as_of}; L1+ and L1R+: reached that level or higher\n\n");
    text += &line(&header);
    for (i, row) in rows.iter().enumerate() {
        if i + 1 == rows.len() {
            text += &"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1));
            text += "\n";
        }
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        text += &line(&cells);
    }
    text
}
