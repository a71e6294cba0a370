//! `cohort report`: one row per participant, the outcome and its reasons.
//! Each cohort's part is built once as data ([`CohortReport`]), then
//! rendered in the format asked for by one [`Renderer`] per format (as
//! hyperfine's exporters).

use std::path::Path;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::diag::Diagnostics;
use crate::exit;
use crate::load::CohortData;
use crate::model::{Curriculum, Hours};
use crate::render::{self, SheetFormat as ReportFormat};
use crate::rules::{self, Level};
use crate::term;

use super::{Ctx, Format, out, parse_date};

/// Outcomes of every participant: who reached which level, and what is missing
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Outcomes are worked out from the records as they stood at the end of a \
date (today unless --as-of): rows recorded later, and evaluations, \
practicum rows and withdrawals dated later, are left out; a session \
before that date with no attendance row counts as missed; one on or \
after it is upcoming. Refuses to run on data with \
errors (see `cohort check`).

Examples:
  cohort report 2024-fall
  cohort report --all --format csv > outcomes.csv
  cohort report 2024-fall --as-of 2024-10-15        who was at risk mid-cohort
  cohort report 2024-fall --participant p07         one person's whole record
  cohort report --all --at-risk --format csv        a mail-merge list of who is at risk
  cohort report --all --format xlsx --out outcomes.xlsx

CSV columns: cohort,participant,name,attended,required,missed,upcoming,practicum_hours,outcome,reasons")]
pub struct Args {
    /// Cohorts to report on
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohorts: Vec<String>,
    /// Report on every cohort
    #[arg(long)]
    pub all: bool,
    /// Work out outcomes as of this date (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// The spreadsheet to write with --format xlsx
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Show one participant's whole record: every webinar with its history, practicum rows, what is still needed
    #[arg(long, value_name = "ID", add = crate::complete::participants())]
    pub participant: Option<String>,
    /// A mail-merge list of who is at risk: name, e-mail, missed webinars, make-up options (see `cohort makeups`)
    #[arg(long, conflicts_with = "participant")]
    pub at_risk: bool,
}

/// One participant's line of the report; the field order is the CSV's.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub cohort: String,
    pub participant: String,
    pub name: String,
    pub attended: usize,
    pub required: usize,
    pub missed: Vec<u32>,
    pub upcoming: usize,
    #[serde(serialize_with = "hours_number")]
    pub practicum_hours: Hours,
    pub outcome: Level,
    pub reasons: Vec<String>,
    /// Not a column: for the table's summary.
    #[serde(skip)]
    pub at_risk: bool,
}

pub const CSV_HEADER: &[&str] = &[
    "cohort",
    "participant",
    "name",
    "attended",
    "required",
    "missed",
    "upcoming",
    "practicum_hours",
    "outcome",
    "reasons",
];

/// `50`, `32.5`: a whole number when it is one (report's and stats' JSON).
pub(super) fn hours_number<S: Serializer>(hours: &Hours, s: S) -> Result<S::Ok, S::Error> {
    let h = hours.hundredths();
    if h.is_multiple_of(100) {
        s.serialize_u64(h / 100)
    } else {
        s.serialize_f64(hours.as_f64())
    }
}

/// The rows of one cohort, ordered by participant id.
pub fn rows(curriculum: &Curriculum, data: &CohortData, as_of: NaiveDate) -> Vec<Row> {
    let outcomes = rules::evaluate_cohort(curriculum, &data.cohort, &data.records, as_of);
    let mut rows: Vec<Row> = data
        .cohort
        .participants
        .iter()
        .zip(outcomes)
        .map(|(p, o)| Row {
            cohort: data.cohort.id.clone(),
            participant: p.id.clone(),
            name: p.name.clone(),
            attended: o.attended,
            required: curriculum.required(),
            at_risk: o.at_risk(p),
            missed: o.missed,
            upcoming: o.upcoming,
            practicum_hours: o.hours,
            outcome: o.level,
            reasons: o.reasons,
        })
        .collect();
    rows.sort_by(|a, b| a.participant.cmp(&b.participant));
    rows
}

/// The cohorts (of `among`, or all) that have a participant `id`, for the
/// message that asks to name one.
fn cohorts_with(ctx: &Ctx, id: &str, among: &[String]) -> Vec<String> {
    let mut diags = crate::diag::Diagnostics::default();
    let Some(curriculum) = crate::load::load_curriculum(&ctx.root, &mut diags) else {
        return Vec::new();
    };
    let ids = if among.is_empty() {
        ctx.root.cohort_ids(&mut diags)
    } else {
        among.to_vec()
    };
    ids.into_iter()
        .filter(|c| {
            crate::load::load_cohort(&ctx.root, &curriculum, c, &mut diags)
                .is_some_and(|cohort| cohort.participant_index(id).is_some())
        })
        .collect()
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let as_of = args.as_of.unwrap_or(ctx.today);
    if args.at_risk {
        let format = text_format(
            args.format,
            "--at-risk gives a table, csv or json; for a spreadsheet use --format csv and open it",
        )?;
        return super::makeups::at_risk(ctx, &args.cohorts, args.all, as_of, format);
    }
    if let Some(id) = &args.participant {
        return participant(ctx, args, id, as_of);
    }
    match (args.format, &args.out) {
        (ReportFormat::Xlsx, None) => {
            crate::usage!("--format xlsx writes a file: give --out FILE, e.g. --out outcomes.xlsx")
        }
        (ReportFormat::Xlsx, Some(_)) | (_, None) => {}
        (_, Some(_)) => {
            crate::usage!("--out is for --format xlsx; other formats go to standard output")
        }
    }
    let ids = ctx.select(&args.cohorts, args.all)?;
    match args.format {
        ReportFormat::Table => report(ctx, &ids, as_of, &Table { as_of }),
        ReportFormat::Csv => report(ctx, &ids, as_of, &Csv),
        ReportFormat::Json => report(ctx, &ids, as_of, &Json),
        ReportFormat::Xlsx => {
            let path = args.out.as_deref().expect("checked above");
            report(ctx, &ids, as_of, &Xlsx { path })
        }
    }
}

/// The format of a reading command that has no spreadsheet, or `refusal`.
fn text_format(format: ReportFormat, refusal: &str) -> anyhow::Result<Format> {
    Ok(match format {
        ReportFormat::Table => Format::Table,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Json => Format::Json,
        ReportFormat::Xlsx => crate::usage!("{refusal}"),
    })
}

/// `--participant ID`: one person's whole record ([`super::record`]).
fn participant(ctx: &Ctx, args: &Args, id: &str, as_of: NaiveDate) -> anyhow::Result<u8> {
    let [cohort] = args.cohorts.as_slice() else {
        let hint = match cohorts_with(ctx, id, &args.cohorts).as_slice() {
            [] => format!("no cohort has a participant \"{id}\""),
            [one] => format!("{id} is in {one}: cohort report {one} --participant {id}"),
            many => format!("{id} is in {}; name one of them", many.join(", ")),
        };
        crate::usage!("--participant needs exactly one cohort; {hint}");
    };
    let format = text_format(
        args.format,
        "--participant shows one record as a table, CSV or JSON, not xlsx",
    )?;
    super::record::run(ctx, cohort, id, as_of, format)
}

/// One cohort's part of the report.
pub struct CohortReport {
    pub id: String,
    pub name: String,
    pub rows: Vec<Row>,
}

/// How the report is printed in one format (hyperfine's exporters).
trait Renderer: Sync {
    /// What the format keeps of a cohort's part until all are done.
    type Part: Send;
    /// Renders one cohort's part, on the core that built it.
    fn part(&self, cohort: CohortReport) -> anyhow::Result<Self::Part>;
    /// Prints the parts, in the order of the cohorts asked for.
    fn finish(&self, parts: Vec<Self::Part>) -> anyhow::Result<()>;
}

/// A table for each cohort, one after the other.
struct Table {
    as_of: NaiveDate,
}

impl Renderer for Table {
    type Part = String;

    fn part(&self, cohort: CohortReport) -> anyhow::Result<String> {
        Ok(table(&cohort, self.as_of))
    }

    fn finish(&self, parts: Vec<String>) -> anyhow::Result<()> {
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out("\n")?;
            }
            out(part)?;
        }
        Ok(())
    }
}

/// The CSV of SPEC "report, CSV and JSON", one header for every cohort.
struct Csv;

impl Renderer for Csv {
    type Part = String;

    fn part(&self, cohort: CohortReport) -> anyhow::Result<String> {
        render::csv_rows(cohort.rows.iter().map(csv_cells))
    }

    fn finish(&self, parts: Vec<String>) -> anyhow::Result<()> {
        let header = CSV_HEADER.iter().map(|h| h.to_string()).collect();
        out(&render::csv_rows([header])?)?;
        for part in &parts {
            out(part)?;
        }
        Ok(())
    }
}

/// One JSON array of every cohort's rows (docs/json.md).
struct Json;

impl Renderer for Json {
    type Part = Vec<Row>;

    fn part(&self, cohort: CohortReport) -> anyhow::Result<Vec<Row>> {
        Ok(cohort.rows)
    }

    fn finish(&self, parts: Vec<Vec<Row>>) -> anyhow::Result<()> {
        let rows: Vec<Row> = parts.into_iter().flatten().collect();
        if rows.is_empty() {
            // An empty report has always been printed on two lines.
            return out("[\n]\n");
        }
        out(&(serde_json::to_string_pretty(&rows)? + "\n"))
    }
}

/// A workbook of the CSV's rows, written to `path`.
struct Xlsx<'p> {
    path: &'p Path,
}

impl Renderer for Xlsx<'_> {
    type Part = Vec<Vec<String>>;

    fn part(&self, cohort: CohortReport) -> anyhow::Result<Vec<Vec<String>>> {
        Ok(cohort.rows.iter().map(csv_cells).collect())
    }

    fn finish(&self, parts: Vec<Vec<Vec<String>>>) -> anyhow::Result<()> {
        let cells = parts.into_iter().flatten();
        render::xlsx::write(self.path, "outcomes", CSV_HEADER, cells)?;
        term::eprint(&format!("wrote {}\n", self.path.display()));
        Ok(())
    }
}

/// Builds the report of the cohorts `ids` and prints it with `renderer`;
/// on data with errors (or a register with a level issued twice), prints
/// them and refuses.
fn report(
    ctx: &Ctx,
    ids: &[String],
    as_of: NaiveDate,
    renderer: &impl Renderer,
) -> anyhow::Result<u8> {
    let curriculum = ctx.curriculum()?;
    // Each cohort is loaded, evaluated, rendered and dropped on its own:
    // memory holds one cohort's records per core, plus what the format keeps.
    let found = super::par_map(ids, |id| {
        let (cohort, diags) = cohort_report(ctx, &curriculum, id, as_of);
        (cohort.map(|c| renderer.part(c)), diags)
    });
    let mut diags = Diagnostics::default();
    let mut parts = Vec::with_capacity(found.len());
    for (part, cohort_diags) in found {
        diags.extend(cohort_diags);
        parts.extend(part.transpose()?);
    }
    // The register too: a merge can leave two certificates for one level.
    let register = crate::register::load(&ctx.root, &mut diags);
    crate::register::issued_twice(&register, &mut diags);
    super::warnings_only(diags)?;
    renderer.finish(parts)?;
    Ok(exit::SUCCESS)
}

/// Cohort `id`'s part of the report, as it stood at the end of `as_of`;
/// `None` when its data has errors (they are in the diagnostics).
fn cohort_report(
    ctx: &Ctx,
    curriculum: &Curriculum,
    id: &str,
    as_of: NaiveDate,
) -> (Option<CohortReport>, Diagnostics) {
    let mut diags = Diagnostics::brief(super::WARNINGS_SHOWN);
    let data = ctx.read_cohort(curriculum, id, as_of, None, &mut diags);
    let part = data.filter(|_| !diags.has_errors()).map(|mut data| {
        if rules::asof::applies(as_of, ctx.today) {
            rules::asof::as_it_stood(&mut data.cohort, &mut data.records, as_of);
        }
        CohortReport {
            rows: rows(curriculum, &data, as_of),
            id: data.cohort.id,
            name: data.cohort.name,
        }
    });
    (part, diags)
}

fn csv_cells(row: &Row) -> Vec<String> {
    vec![
        row.cohort.clone(),
        row.participant.clone(),
        row.name.clone(),
        row.attended.to_string(),
        row.required.to_string(),
        render::joined(&row.missed, " "),
        row.upcoming.to_string(),
        row.practicum_hours.to_string(),
        row.outcome.to_string(),
        row.reasons.join("; "),
    ]
}

/// A heading, the table, and a one-line count of outcomes.
fn table(cohort: &CohortReport, as_of: NaiveDate) -> String {
    let rows = &cohort.rows;
    let mut t = render::table::new(&[
        "id",
        "name",
        "webinars",
        "practicum",
        "outcome",
        "what is missing",
    ]);
    for row in rows {
        t.add_row(vec![
            row.participant.clone(),
            row.name.clone(),
            format!("{}/{}", row.attended, row.required),
            if row.practicum_hours.seconds == 0 {
                String::new()
            } else {
                format!("{} h", row.practicum_hours)
            },
            row.outcome.to_string(),
            row.reasons.join("; "),
        ]);
    }
    let counts: Vec<String> = Level::ALL
        .iter()
        .rev()
        .map(|level| (level, rows.iter().filter(|r| r.outcome == *level).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(level, n)| format!("{n} {level}"))
        .collect();
    let at_risk = rows.iter().filter(|r| r.at_risk).count();
    let risk = match at_risk {
        0 => String::new(),
        n => format!("; {n} at risk (a missed webinar not made up)"),
    };
    format!(
        "{} ({}), as of {as_of}\n{t}\n{} participants: {}{risk}\n",
        cohort.name,
        cohort.id,
        rows.len(),
        if counts.is_empty() {
            "none".to_string()
        } else {
            counts.join(", ")
        },
    )
}
