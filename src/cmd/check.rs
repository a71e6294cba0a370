//! `cohort check`: validate every file, report every problem.

use crate::diag::{self, Diagnostics};
use crate::exit;
use crate::load;
use crate::register;
use crate::term;

use super::{Ctx, TextFormat};

/// Validate every file of the data root and list every problem
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The certificate register certificates.csv is checked too, and against the \
records: a warning names a certificate whose level the records no longer \
give. What a git merge can leave is found too (see docs/sharing.md): \
conflict markers and two certificates for one level (errors), one webinar \
recorded differently on two machines and rows repeated by a merge done \
twice (warnings). Each problem is printed as PATH:LINE: error: … or warning: …, with the \
offending text underlined and what would be right. Warnings do not fail \
the check.

Examples:
  cohort check                 every cohort
  cohort check 2024-fall       one cohort (and the curriculum and certificates.csv)
  cohort check --format json   every problem as JSON on stdout, with its kind (docs/json.md)

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error.")]
pub struct Args {
    /// Check only these cohorts [default: all]
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohorts: Vec<String>,
    /// text: each problem on stderr as PATH:LINE: …; json: one object on stdout with every problem
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

/// `check --format json`.
#[derive(serde::Serialize)]
struct CheckJson {
    /// Whether no errors were found (warnings allowed).
    ok: bool,
    errors: usize,
    warnings: usize,
    cohorts_checked: usize,
    diagnostics: Vec<diag::DiagnosticJson>,
}

/// Cohorts checked at once: their problems are printed, then dropped, so
/// memory stays flat however many cohorts (and warnings) there are.
const CHUNK: usize = 64;

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let mut diags = Diagnostics::default();
    let ids = if args.cohorts.is_empty() {
        ctx.root.cohort_ids(&mut diags)
    } else {
        ctx.select(&args.cohorts, false)?
    };
    let curriculum = load::load_curriculum(&ctx.root, &mut diags);
    // The program first, then the cohorts in order, then the register.
    let mut totals = Totals {
        json: (args.format == TextFormat::Json).then(Vec::new),
        ..Totals::default()
    };
    totals.print(diags);
    let mut checked = 0;
    let mut loaded = Vec::new();
    if let Some(curriculum) = &curriculum {
        let color = term::stderr_color();
        let json = totals.json.is_some();
        for chunk in ids.chunks(CHUNK) {
            let found = super::par_map(chunk, |id| {
                let mut diags = Diagnostics::default();
                let data = ctx.read_cohort(curriculum, id, ctx.today, None, &mut diags);
                // Outcomes of a cohort with errors would be guesses: no cross-check against them.
                let levels = data
                    .filter(|_| !diags.has_errors())
                    .map(|data| register::CohortLevels::of(curriculum, &data, ctx.today));
                // Each cohort's problems are written out on its core; the
                // text is printed at once, in the cohorts' order.
                (Rendered::of(diags, color, json), levels)
            });
            for (rendered, levels) in found {
                totals.add(rendered);
                loaded.extend(levels);
                checked += 1;
            }
        }
    }
    // The certificate register, and where it disagrees with the cohorts' records.
    let mut diags = Diagnostics::default();
    let certificates = register::load(&ctx.root, &mut diags);
    if curriculum.is_some() {
        let all_ids = ctx.root.cohort_ids(&mut Diagnostics::default());
        register::cross_check(&certificates, &all_ids, &loaded, &mut diags);
    }
    totals.print(diags);
    let code = if totals.errors > 0 {
        exit::FAILURE
    } else {
        exit::SUCCESS
    };
    if let Some(diagnostics) = totals.json {
        super::out(&super::json(&CheckJson {
            ok: totals.errors == 0,
            errors: totals.errors,
            warnings: totals.warnings,
            cohorts_checked: checked,
            diagnostics,
        })?)?;
        return Ok(code);
    }
    let cohorts = if checked == 1 {
        "1 cohort".to_string()
    } else {
        format!("{checked} cohorts")
    };
    term::eprint(&format!(
        "checked the curriculum and {cohorts}: {}\n",
        diag::summary(totals.errors, totals.warnings)
    ));
    Ok(code)
}

/// Problems are printed a batch at a time; only their count is kept (and,
/// for `--format json`, their JSON shapes, printed at the end as one object).
#[derive(Default)]
struct Totals {
    errors: usize,
    warnings: usize,
    json: Option<Vec<diag::DiagnosticJson>>,
}

impl Totals {
    fn print(&mut self, diags: Diagnostics) {
        let rendered = Rendered::of(diags, term::stderr_color(), self.json.is_some());
        self.add(rendered);
    }

    fn add(&mut self, rendered: Rendered) {
        self.errors += rendered.errors;
        self.warnings += rendered.warnings;
        match &mut self.json {
            Some(all) => all.extend(rendered.json),
            None => term::eprint(&rendered.text),
        }
    }
}

/// Problems sorted and written out as they are printed, and their count.
struct Rendered {
    text: String,
    json: Vec<diag::DiagnosticJson>,
    errors: usize,
    warnings: usize,
}

impl Rendered {
    fn of(mut diags: Diagnostics, color: bool, json: bool) -> Rendered {
        diags.sort();
        let mut text = String::new();
        let mut shapes = Vec::new();
        for d in &diags.items {
            if json {
                shapes.push(d.to_json());
            } else {
                d.render_into(&mut text, color);
            }
        }
        Rendered {
            text,
            json: shapes,
            errors: diags.errors(),
            warnings: diags.warnings(),
        }
    }
}
