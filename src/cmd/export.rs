//! `cohort export`: the issued, unrevoked certificates, ready for printing.

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::exit;
use crate::model::Curriculum;
use crate::register;
use crate::render::{self, SheetFormat as ExportFormat};
use crate::rules::Level;
use crate::term;

use super::issue::certificates;
use super::{Ctx, out, refuse};

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
  cohort export 2024-fall --format xlsx --out certificates.xlsx
  cohort export 2024-fall --with-email > mail-merge.csv

CSV columns: number,cohort,participant,name,level,credential,date,program,trainers,cohort_name \
(and email with --with-email). The CSV begins with a UTF-8 byte-order mark so \
that Excel opens accented names right; the xlsx has every cell as text.

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
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output (needed with --format xlsx)
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Add each holder's e-mail (from cohort.toml) as a last column, for a mail merge
    #[arg(long)]
    pub with_email: bool,
}

pub(super) fn parse_level(text: &str) -> Result<Level, String> {
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
    /// The cohort's display name (cohort.toml `name`).
    pub cohort_name: String,
    /// Only with `--with-email`: never shown by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
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

/// The certificates a command asked for, with what printing them needs.
pub struct Selected {
    pub curriculum: Curriculum,
    pub rows: Vec<Row>,
}

/// The issued, unrevoked certificates of `cohorts` (or all), of `level` if
/// given, ordered by cohort, participant and level; on data with errors,
/// prints them and gives the exit code. `cohort print` uses this too.
pub fn select(
    ctx: &Ctx,
    cohorts: &[String],
    all: bool,
    level: Option<Level>,
) -> anyhow::Result<Selected> {
    let ids = ctx.select(cohorts, all)?;
    let curriculum = ctx.curriculum()?;
    let levels = ctx.levels(&curriculum, &ids)?;
    let mut diags = Diagnostics::default();
    let held = register::load(&ctx.root, &mut diags);
    let all_ids = ctx.root.cohort_ids(&mut Diagnostics::default());
    register::cross_check(&held, &all_ids, &levels, &mut diags);
    if diags.has_errors() {
        return Err(refuse(&diags));
    }
    diags.sort();
    diags.print(term::stderr_color());

    let by_id: std::collections::HashMap<&str, &register::CohortLevels> =
        levels.iter().map(|l| (l.cohort.as_str(), l)).collect();
    let mut rows: Vec<Row> = held
        .valid()
        .filter(|c| level.is_none_or(|l| l == c.level))
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
                cohort_name: cohort.name.clone(),
                email: cohort
                    .people
                    .get(&c.participant)
                    .and_then(|p| p.email.clone()),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.cohort, &a.participant, a.level).cmp(&(&b.cohort, &b.participant, b.level))
    });
    Ok(Selected { curriculum, rows })
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    if args.format == ExportFormat::Xlsx && args.out.is_none() {
        crate::usage!("--format xlsx writes a file: give --out FILE, e.g. --out certificates.xlsx");
    }
    let mut rows = select(ctx, &args.cohorts, args.all, args.level)?.rows;
    if !args.with_email {
        rows.iter_mut().for_each(|row| row.email = None);
    }
    let mut header: Vec<&str> = CSV_HEADER.to_vec();
    header.push("cohort_name");
    if args.with_email {
        header.push("email");
    }
    let cells = |row: &Row| {
        let mut cells = csv_cells(row);
        cells.push(row.cohort_name.clone());
        if args.with_email {
            cells.push(row.email.clone().unwrap_or_default());
        }
        cells
    };
    let text = match args.format {
        // The byte-order mark makes Excel on Windows read the file as UTF-8
        // (without it, "Zoë" opens as "ZoÃ«").
        ExportFormat::Csv => {
            "\u{feff}".to_string() + &render::csv_for_people(&header, rows.iter().map(cells))?
        }
        ExportFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        ExportFormat::Table => table(&rows),
        ExportFormat::Xlsx => {
            let out_path = args.out.as_deref().expect("checked above");
            render::xlsx::write(out_path, "certificates", &header, rows.iter().map(cells))?;
            term::eprint(&format!(
                "wrote {} to {}\n",
                certificates(rows.len()),
                out_path.display()
            ));
            return Ok(exit::SUCCESS);
        }
    };
    match &args.out {
        Some(path) => crate::render::xlsx::write_atomically(path, text.as_bytes())?,
        None => out(&text)?,
    }
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
    format!("{t}\n{}\n", certificates(rows.len()))
}
