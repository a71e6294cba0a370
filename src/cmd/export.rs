//! `cohort export`: the issued, unrevoked certificates, ready for printing.

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::exit;
use crate::model::Curriculum;
use crate::register;
use crate::render;
use crate::rules::Level;
use crate::term;

use super::{Ctx, Format, out, refuse};

/// The issued, unrevoked certificates, for printing (mail merge, PDF generation)
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Name, level and date come from certificates.csv as they were issued; \
program and trainers from curriculum.toml and the cohort's cohort.toml. \
Rows are ordered by cohort, participant and level. CSV is the default \
(it is meant for scripts and mail merges); a cell beginning with =, +, -, \
@, a tab or a carriage return gets a leading ' so that a spreadsheet does \
not run it as a formula. Refuses to run on data with errors.

Examples:
  cohort export 2024-fall > certificates-2024-fall.csv
  cohort export --all --level Certified --format json

CSV columns: number,cohort,participant,name,level,credential,date,program,trainers

credential: the curriculum's credential for Certified; \"Level 1: completed \
the training\" for Level 1; \"Level 1R: completed the training, recommended \
for the practicum\" for Level 1R. trainers are joined with \"; \" (a list in \
JSON).")]
pub struct Args {
    /// Cohorts whose certificates to export
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohorts: Vec<String>,
    /// Every cohort
    #[arg(long)]
    pub all: bool,
    /// Only certificates of this level: "Level 1", "Level 1R" or "Certified" (1, 1r, certified also do)
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    pub level: Option<Level>,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

fn parse_level(text: &str) -> Result<Level, String> {
    match Level::parse(text) {
        Some(level) if level != Level::Incomplete => Ok(level),
        _ => Err(format!(
            "\"{text}\" is not a certificate level; use \"Level 1\", \"Level 1R\" or \"Certified\""
        )),
    }
}

/// One certificate to print; the field order is the CSV's.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub number: String,
    pub cohort: String,
    pub participant: String,
    pub name: String,
    pub level: Level,
    pub credential: String,
    pub date: chrono::NaiveDate,
    pub program: String,
    pub trainers: Vec<String>,
}

pub const CSV_HEADER: &[&str] = &[
    "number",
    "cohort",
    "participant",
    "name",
    "level",
    "credential",
    "date",
    "program",
    "trainers",
];

/// The words printed on a certificate of `level`.
pub fn credential(curriculum: &Curriculum, level: Level) -> String {
    match level {
        Level::Certified => curriculum.credential.clone(),
        Level::Level1R => {
            "Level 1R: completed the training, recommended for the practicum".to_string()
        }
        Level::Level1 => "Level 1: completed the training".to_string(),
        Level::Incomplete => String::new(),
    }
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let ids = ctx.select(&args.cohorts, args.all)?;
    let curriculum = match ctx.curriculum() {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let levels = match ctx.levels(&curriculum, &ids) {
        Ok(levels) => levels,
        Err(code) => return Ok(code),
    };
    let mut diags = Diagnostics::default();
    let held = register::load(&ctx.root, &mut diags);
    let all_ids = ctx.root.cohort_ids(&mut Diagnostics::default());
    register::cross_check(&held, &all_ids, &levels, &mut diags);
    if diags.has_errors() {
        refuse(&diags);
        return Ok(exit::FAILURE);
    }
    diags.sort();
    diags.print(term::stderr_color());

    let by_id: std::collections::HashMap<&str, &register::CohortLevels> =
        levels.iter().map(|l| (l.cohort.as_str(), l)).collect();
    let mut rows: Vec<Row> = held
        .valid()
        .filter(|c| args.level.is_none_or(|l| l == c.level))
        .filter_map(|c| {
            let cohort = by_id.get(c.cohort.as_str())?;
            Some(Row {
                number: c.number.clone(),
                cohort: c.cohort.clone(),
                participant: c.participant.clone(),
                name: c.name.clone(),
                level: c.level,
                credential: credential(&curriculum, c.level),
                date: c.date,
                program: curriculum.program_name.clone(),
                trainers: cohort.trainers.clone(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.cohort, &a.participant, a.level).cmp(&(&b.cohort, &b.participant, b.level))
    });

    let text = match args.format {
        Format::Csv => render::csv_for_people(CSV_HEADER, rows.iter().map(csv_cells))?,
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Table => table(&rows),
    };
    out(&text)?;
    Ok(exit::SUCCESS)
}

fn csv_cells(row: &Row) -> Vec<String> {
    vec![
        row.number.clone(),
        row.cohort.clone(),
        row.participant.clone(),
        row.name.clone(),
        row.level.to_string(),
        row.credential.clone(),
        row.date.to_string(),
        row.program.clone(),
        row.trainers.join("; "),
    ]
}

fn table(rows: &[Row]) -> String {
    let mut t = render::table::new(&["number", "cohort", "id", "name", "level", "since"]);
    for row in rows {
        t.add_row(vec![
            row.number.clone(),
            row.cohort.clone(),
            row.participant.clone(),
            row.name.clone(),
            row.level.to_string(),
            row.date.to_string(),
        ]);
    }
    let n = rows.len();
    format!("{t}\n{n} certificate{}\n", if n == 1 { "" } else { "s" })
}
