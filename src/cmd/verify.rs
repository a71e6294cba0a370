//! `cohort verify`: is a certificate number real, and whose is it — what a
//! phone check needs, and nothing more.

use crate::certnum::{self, Reading};
use crate::diag::Diagnostics;
use crate::exit;
use crate::load;
use crate::register::{self, Register};

use super::{Ctx, out, refuse};

/// Say whether a certificate number is valid, revoked, mistyped or unknown, and whose it is
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The number may be typed in lower case, with spaces or without dashes; O is \
read as 0, and I and L as 1. A valid number prints the holder's name, the \
level, the program and cohort, and the date the level was reached; nothing \
else about the person (no email, no other records).

A revoked number prints the date of the revocation; the reason recorded \
with it is for staff only and printed with --staff. A mistyped number \
suggests the registered number meant only when exactly one is a single \
character away.

Examples:
  cohort verify PSCE-7K3M-9X2Q-H
  cohort verify psce 7k3m 9x2q h
  cohort verify PSCE-7K3M-9X2Q-H --staff    also why it was revoked

Exit codes: 0 valid, 1 revoked, mistyped, malformed or not in the register, \
2 usage error.")]
pub struct Args {
    /// The certificate number, e.g. PSCE-7K3M-9X2Q-H (several words are joined)
    #[arg(value_name = "NUMBER", required = true, num_args = 1..)]
    pub number: Vec<String>,
    /// For staff: also print why a revoked certificate was revoked
    #[arg(long)]
    pub staff: bool,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let curriculum = match ctx.curriculum() {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let mut diags = Diagnostics::default();
    let held = register::load(&ctx.root, &mut diags);
    // A register with errors might hide a revocation: no answer is better than a wrong one.
    if diags.has_errors() {
        refuse(&diags);
        return Ok(exit::FAILURE);
    }
    let typed = args.number.join(" ");
    let prefix = prefix_for(&typed, &curriculum.certificate_prefix, &held);
    let text = match certnum::read(&typed, &prefix) {
        Reading::Valid(number) => match held.get(&number) {
            None => {
                out(&format!(
                    "{number} is NOT a certificate: no certificate was issued with this number.\n\
                     Check the number against the printed certificate.\n"
                ))?;
                return Ok(exit::FAILURE);
            }
            Some(cert) => {
                let cohort = cohort_name(ctx, &curriculum, &cert.cohort);
                let what = format!(
                    "  holder:  {}\n  level:   {}{}\n  program: {}\n  cohort:  {cohort}\n  since:   {}\n",
                    crate::text::shown(&cert.name),
                    cert.level,
                    match cert.level {
                        crate::rules::Level::Certified => format!(" ({})", curriculum.credential),
                        _ => String::new(),
                    },
                    curriculum.program_name,
                    cert.date,
                );
                if let Some(revoked) = &cert.revoked {
                    // The free-text reason may say more about the person
                    // than a caller needs: staff only.
                    let reason = match (args.staff, revoked.reason.is_empty()) {
                        (false, _) => String::new(),
                        (true, true) => ": no reason recorded".to_string(),
                        (true, false) => format!(": {}", crate::text::shown(&revoked.reason)),
                    };
                    out(&format!(
                        "{number} was REVOKED on {}{reason}.\nIt is no longer valid. It had been issued as:\n{what}",
                        revoked.date()
                    ))?;
                    return Ok(exit::FAILURE);
                }
                out(&format!("{number} is VALID.\n{what}"))?;
                return Ok(exit::SUCCESS);
            }
        },
        Reading::Mistyped { canonical } => {
            let mut text = format!(
                "{canonical} is NOT a valid number: its check character does not fit, so a character was mistyped.\n"
            );
            // At most one number is shown, and only one whose own check
            // character fits: listing several would let anyone walk the register.
            let near: Vec<String> = certnum::near_misses(&canonical, held.numbers())
                .into_iter()
                .filter(|n| {
                    let prefix = n.split('-').next().unwrap_or("");
                    certnum::read(n, prefix) == Reading::Valid(n.clone())
                })
                .collect();
            match near.as_slice() {
                [one] => text.push_str(&format!("Did you mean {one}? (`cohort verify {one}`)\n")),
                _ => text.push_str("Check the number against the printed certificate.\n"),
            }
            text
        }
        Reading::Malformed(why) => format!(
            "\"{}\" is NOT a certificate number: {why}.\nNumbers look like {prefix}-XXXX-XXXX-C: the prefix, eight characters and a check character.\n",
            typed.trim()
        ),
    };
    out(&text)?;
    Ok(exit::FAILURE)
}

/// The prefix to read `typed` with: the curriculum's, or an older one found
/// in the register if that is what the number starts with.
fn prefix_for(typed: &str, current: &str, held: &Register) -> String {
    let squeezed: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}'))
        .flat_map(char::to_uppercase)
        .collect();
    held.prefixes()
        .into_iter()
        .filter(|p| squeezed.starts_with(p) && !squeezed.starts_with(current))
        .max_by_key(|p| p.len())
        .unwrap_or(current)
        .to_string()
}

/// "Fall 2024 (2024-fall)", or the id alone when the cohort cannot be read.
fn cohort_name(ctx: &Ctx, curriculum: &crate::model::Curriculum, id: &str) -> String {
    match load::load_cohort(&ctx.root, curriculum, id, &mut Diagnostics::default()) {
        Some(cohort) => format!("{} ({id})", cohort.name),
        None => id.to_string(),
    }
}
