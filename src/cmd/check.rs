//! `cohort check`: validate every file, report every problem.

use crate::diag::Diagnostics;
use crate::exit;
use crate::load;
use crate::term;

use super::Ctx;

/// Validate every file of the data root and list every problem
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each problem is printed as PATH:LINE: error: … or warning: …, with the \
offending text underlined and what would be right. Warnings do not fail \
the check.

Examples:
  cohort check                 every cohort
  cohort check 2024-fall       one cohort (and the curriculum)

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error.")]
pub struct Args {
    /// Check only these cohorts [default: all]
    #[arg(value_name = "COHORT")]
    pub cohorts: Vec<String>,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let mut diags = Diagnostics::default();
    let ids = if args.cohorts.is_empty() {
        ctx.root.cohort_ids(&mut diags)
    } else {
        ctx.select(&args.cohorts, false)?
    };
    let curriculum = load::load_curriculum(&ctx.root, &mut diags);
    let mut checked = 0;
    if let Some(curriculum) = &curriculum {
        for id in &ids {
            load::load_cohort_data(
                &ctx.root, curriculum, id, ctx.today, ctx.today, None, &mut diags,
            );
            checked += 1;
        }
    }
    diags.sort();
    diags.print(term::stderr_color());
    let cohorts = if checked == 1 {
        "1 cohort".to_string()
    } else {
        format!("{checked} cohorts")
    };
    term::eprint(&format!(
        "checked the curriculum and {cohorts}: {}\n",
        diags.summary()
    ));
    Ok(if diags.has_errors() {
        exit::FAILURE
    } else {
        exit::SUCCESS
    })
}
