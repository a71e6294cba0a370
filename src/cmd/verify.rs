//! `cohort verify`: is a certificate number real, and whose is it — what a
//! phone check needs, and nothing more.

use crate::certnum::{self, Reading};
use crate::diag::Diagnostics;
use crate::exit;
use crate::load::{self, Root};
use crate::register::{self, Index};

use super::{Ctx, TextFormat, json, out, refuse};

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

Every row of the register is checked first; a register checked before, \
byte for byte the same, is answered from the index kept of it in the cache \
folder (COHORT_CACHE_DIR; set empty, nothing is kept; docs/guarantees.md).

With --format json, one object on stdout whose status is valid, revoked, \
unknown, mistyped or malformed (docs/json.md).

Examples:
  cohort verify PSCE-7K3M-9X2Q-H
  cohort verify psce 7k3m 9x2q h
  cohort verify PSCE-7K3M-9X2Q-H --format json
  cohort verify PSCE-7K3M-9X2Q-H --staff    also why it was revoked

Exit codes: 0 valid; 1 revoked, or not in the register, or the register has \
errors; 2 the number as typed cannot be one (mistyped check character, \
malformed), or another usage error.")]
pub struct Args {
    /// The certificate number, e.g. PSCE-7K3M-9X2Q-H (several words are joined)
    #[arg(value_name = "NUMBER", required = true, num_args = 1..)]
    pub number: Vec<String>,
    /// text: sentences for people; json: one object for scripts
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
    /// For staff: also print why a revoked certificate was revoked
    #[arg(long)]
    pub staff: bool,
}

/// What `verify` found, as `--format json` gives it (docs/json.md).
#[derive(Debug, serde::Serialize)]
pub struct Verdict {
    /// `valid`, `revoked`, `unknown`, `mistyped` or `malformed`.
    pub status: Status,
    /// What was typed, trimmed.
    pub typed: String,
    /// The number read from it; `null` when malformed.
    pub number: Option<String>,
    /// For valid and revoked numbers: what the certificate says.
    pub certificate: Option<Held>,
    /// For revoked numbers: when and why.
    pub revoked: Option<RevokedJson>,
    /// For mistyped numbers: the registered number one character away,
    /// only when exactly one is (and its own check character fits).
    pub did_you_mean: Vec<String>,
    /// For malformed numbers: why it cannot be a number.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Valid,
    Revoked,
    Unknown,
    Mistyped,
    Malformed,
}

impl Status {
    /// 0 valid; 1 not valid (revoked, unknown); 2 the input cannot be a number.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Valid => exit::SUCCESS,
            Status::Revoked | Status::Unknown => exit::FAILURE,
            Status::Mistyped | Status::Malformed => exit::USAGE,
        }
    }
}

#[derive(Debug, serde::Serialize)]
pub struct Held {
    pub holder: String,
    pub level: crate::rules::Level,
    /// The credential's words, for a Certified level; `null` otherwise.
    pub credential: Option<String>,
    pub program: String,
    pub cohort: String,
    pub cohort_name: Option<String>,
    /// The date the level was reached.
    pub since: chrono::NaiveDate,
}

#[derive(Debug, serde::Serialize)]
pub struct RevokedJson {
    pub date: String,
    /// Why, with --staff only (the free text may say more about the
    /// person than a caller needs); `null` otherwise.
    pub reason: Option<String>,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let curriculum = ctx.curriculum()?;
    let held = trusted(ctx, register::index)?;
    let typed = args.number.join(" ");
    let prefix = prefix_for(&typed, &curriculum.certificate_prefix, &held);
    let verdict = verdict(ctx, &curriculum, &held, &typed, &prefix, args.staff);
    let text = match args.format {
        TextFormat::Json => json(&verdict)?,
        TextFormat::Text => prose(&verdict, &prefix),
    };
    out(&text)?;
    Ok(verdict.status.exit_code())
}

/// The register as `read` reads it, or the refusal when it has errors: a
/// register with errors might hide a revocation, and no answer is better
/// than a wrong one (`verify`, `publish`).
pub(super) fn trusted<T>(ctx: &Ctx, read: fn(&Root, &mut Diagnostics) -> T) -> anyhow::Result<T> {
    let mut diags = Diagnostics::default();
    let held = read(&ctx.root, &mut diags);
    if diags.has_errors() {
        return Err(refuse(&diags));
    }
    Ok(held)
}

fn verdict(
    ctx: &Ctx,
    curriculum: &crate::model::Curriculum,
    held: &Index,
    typed: &str,
    prefix: &str,
    staff: bool,
) -> Verdict {
    let mut v = Verdict {
        status: Status::Malformed,
        typed: typed.trim().to_string(),
        number: None,
        certificate: None,
        revoked: None,
        did_you_mean: Vec::new(),
        problem: None,
    };
    match certnum::read(typed, prefix) {
        Reading::Valid(number) => {
            v.status = Status::Unknown;
            if let Some(cert) = held.get(&number) {
                v.status = Status::Valid;
                v.certificate = Some(Held {
                    holder: cert.name.clone(),
                    level: cert.level,
                    credential: (cert.level == crate::rules::Level::Certified)
                        .then(|| curriculum.credential.clone()),
                    program: curriculum.program_name.clone(),
                    cohort: cert.cohort.clone(),
                    cohort_name: cohort_name(ctx, curriculum, &cert.cohort),
                    since: cert.date,
                });
                if let Some(revoked) = &cert.revoked {
                    v.status = Status::Revoked;
                    v.revoked = Some(RevokedJson {
                        date: revoked.date().to_string(),
                        reason: staff.then(|| revoked.reason.clone()),
                    });
                }
            }
            v.number = Some(number);
        }
        Reading::Mistyped { canonical } => {
            v.status = Status::Mistyped;
            // At most one number is shown, and only one whose own check
            // character fits: listing several would let anyone walk the register.
            let numbers: Vec<String> = held.numbers().collect();
            let near: Vec<String> =
                certnum::near_misses(&canonical, numbers.iter().map(String::as_str))
                    .into_iter()
                    .filter(|n| {
                        let prefix = n.split('-').next().unwrap_or("");
                        certnum::read(n, prefix) == Reading::Valid(n.clone())
                    })
                    .collect();
            if near.len() == 1 {
                v.did_you_mean = near;
            }
            v.number = Some(canonical);
        }
        Reading::Malformed(why) => v.problem = Some(why.to_string()),
    }
    v
}

fn prose(v: &Verdict, prefix: &str) -> String {
    let number = v.number.as_deref().unwrap_or("");
    let what = v.certificate.as_ref().map(|c| {
        let cohort = match &c.cohort_name {
            Some(name) => format!("{name} ({})", c.cohort),
            None => c.cohort.clone(),
        };
        format!(
            "  holder:  {}\n  level:   {}{}\n  program: {}\n  cohort:  {cohort}\n  since:   {}\n",
            crate::text::shown(&c.holder),
            c.level,
            c.credential
                .as_ref()
                .map(|w| format!(" ({w})"))
                .unwrap_or_default(),
            c.program,
            c.since,
        )
    });
    match v.status {
        Status::Unknown => format!(
            "{number} is NOT a certificate: no certificate was issued with this number.\n\
             Check the number against the printed certificate.\n"
        ),
        Status::Valid => format!("{number} is VALID.\n{}", what.unwrap_or_default()),
        Status::Revoked => {
            let date = v.revoked.as_ref().map(|r| r.date.as_str()).unwrap_or("");
            let reason = match v.revoked.as_ref().and_then(|r| r.reason.as_deref()) {
                None => String::new(),
                Some("") => ": no reason recorded".to_string(),
                Some(reason) => format!(": {}", crate::text::shown(reason)),
            };
            format!(
                "{number} was REVOKED on {date}{reason}.\nIt is no longer valid. It had been issued as:\n{}",
                what.unwrap_or_default()
            )
        }
        Status::Mistyped => {
            let mut text = format!(
                "{number} is NOT a valid number: its check character does not fit, so a character was mistyped.\n"
            );
            match v.did_you_mean.as_slice() {
                [one] => text.push_str(&format!("Did you mean {one}? (`cohort verify {one}`)\n")),
                _ => text.push_str("Check the number against the printed certificate.\n"),
            }
            text
        }
        Status::Malformed => format!(
            "\"{}\" is NOT a certificate number: {}.\nNumbers look like {prefix}-XXXX-XXXX-C: the prefix, eight characters and a check character.\n",
            crate::text::shown(&v.typed),
            v.problem.as_deref().unwrap_or("")
        ),
    }
}

/// The prefix to read `typed` with: the curriculum's, or an older one found
/// in the register if that is what the number starts with.
fn prefix_for(typed: &str, current: &str, held: &Index) -> String {
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

/// The cohort's name, when the cohort can be read.
fn cohort_name(ctx: &Ctx, curriculum: &crate::model::Curriculum, id: &str) -> Option<String> {
    load::load_cohort(&ctx.root, curriculum, id, &mut Diagnostics::default()).map(|c| c.name)
}
