//! `cohort revoke`: append a `revoked` row for an issued certificate.

use anyhow::Context as _;

use crate::certnum::{self, Reading};
use crate::diag::Diagnostics;
use crate::exit;
use crate::register::{self, REGISTER};
use crate::rules;
use crate::term;
use crate::write::LockedLog;

use super::{Ctx, done, out, refuse};

/// Revoke a certificate: it stays in certificates.csv, and `verify` says it was revoked, when and why
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Appends a row with status revoked to certificates.csv; the issued row \
stays. Refuses numbers that are not in the register or already revoked.

If the records still give the participant that level, `cohort issue` gives \
them a new certificate: that is how a certificate with a misspelt name is \
replaced (correct the name in cohort.toml, revoke, issue). To keep it from \
being issued again, correct the records first.

On a terminal it shows whose certificate it is and asks before writing; \
--yes skips the question. Without a terminal (a script, a pipe) it refuses \
unless --yes is given.

Examples:
  cohort revoke PSCE-7K3M-9X2Q-H --reason \"name misspelt; replaced\" --dry-run
  cohort revoke PSCE-7K3M-9X2Q-H --reason \"name misspelt; replaced\"
  cohort revoke PSCE-7K3M-9X2Q-H --reason \"issued in error\" --yes

Exit codes: 0 revoked, 1 unknown or already revoked number, a data error, or \
the question answered no; 2 usage error (also a malformed or mistyped \
number, or no terminal to ask on and no --yes).")]
pub struct Args {
    /// The certificate number, e.g. PSCE-7K3M-9X2Q-H
    #[arg(value_name = "NUMBER", required = true, num_args = 1..)]
    pub number: Vec<String>,
    /// Why it is revoked, for staff (`cohort verify --staff` shows it; callers see only the date)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Show what would be recorded; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Revoke without asking (needed when not on a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let reason = args.reason.trim();
    if reason.is_empty() {
        crate::usage!(
            "--reason is empty; say why the certificate is revoked, e.g. --reason \"name misspelt; replaced\""
        );
    }
    let curriculum = ctx.curriculum()?;
    let typed = args.number.join(" ");
    let number = match certnum::read(&typed, &curriculum.certificate_prefix) {
        Reading::Valid(number) => number,
        Reading::Mistyped { canonical } => {
            crate::usage!(
                "{canonical} is not a valid number: its check character does not fit, so a character was mistyped; `cohort verify {canonical}` suggests the number meant"
            )
        }
        Reading::Malformed(why) => {
            crate::usage!("\"{}\" is not a certificate number: {why}", typed.trim())
        }
    };
    let path = ctx.root.path(REGISTER);
    if !path.exists() {
        anyhow::bail!(
            "{number} is not in the register: no certificates have been issued yet ({REGISTER} does not exist)"
        );
    }
    // First read without the lock, to show what will be revoked and ask:
    // the lock is not held while a person thinks.
    // Read by the rule of `crate::fsafe`: no link, no FIFO, no huge file.
    let text = super::issue::read_register(ctx)?;
    let holder = holder_of(&revocable(&text, &number)?);
    if args.dry_run {
        return done(&format!(
            "would revoke {number} ({holder}): {reason}\n(dry run: nothing was written)\n"
        ));
    }
    if !args.yes {
        use std::io::IsTerminal as _;
        if !std::io::stdin().is_terminal() {
            crate::usage!(
                "revoking {number} ({holder}) needs a confirmation, and there is no terminal to ask on; add --yes to revoke it; nothing was revoked"
            );
        }
        if !confirm(&format!(
            "revoke {number} ({holder}): {reason}?\nthe certificate stays in {REGISTER}, and `cohort verify` will say it is revoked. revoke it? [y/N] "
        ))? {
            out("cancelled; nothing was revoked\n")?;
            return Ok(exit::FAILURE);
        }
    }
    // Held from reading to appending: two revocations cannot both pass the checks.
    let mut log = LockedLog::open(&ctx.root.dir, REGISTER)
        .with_context(|| format!("cannot open {REGISTER}"))?;
    let cert = revocable(log.contents(), &number)?;
    let record = cert.revoked_record(&super::recording::now_rfc3339(), reason);
    log.append(register::FIELDS, &[record])
        .with_context(|| format!("nothing was revoked: cannot write {REGISTER}"))?;
    let mut text = format!("revoked {number} ({}): {reason}\n", holder_of(&cert));
    drop(log);
    if still_earned(ctx, &curriculum, &cert) {
        text.push_str(&format!(
            "note: the records still give {} {}, so `cohort issue {}` would issue a new certificate; correct the records first if it should not be replaced\n",
            cert.participant, cert.level, cert.cohort
        ));
    }
    done(&text)
}

/// The certificate `number` of the register `text`, if it can be revoked;
/// otherwise the refusal (printed) or the error.
fn revocable(text: &str, number: &str) -> anyhow::Result<register::Certificate> {
    let mut diags = Diagnostics::default();
    let held = register::parse(text, &mut diags);
    if diags.has_errors() {
        return Err(refuse(&diags));
    }
    let Some(cert) = held.get(number) else {
        anyhow::bail!(
            "{number} is not in the register; nothing was revoked (`cohort verify {number}` says more)"
        );
    };
    if let Some(before) = &cert.revoked {
        anyhow::bail!(
            "{number} was already revoked on {} ({REGISTER} line {}): {}; nothing was changed",
            before.date(),
            before.line,
            before.reason
        );
    }
    Ok(cert.clone())
}

/// "Zoë Martin-Leclerc of 2024-fall, Certified since 2025-03-01".
fn holder_of(cert: &register::Certificate) -> String {
    format!(
        "{} of {}, {} since {}",
        crate::text::shown(&cert.name),
        cert.cohort,
        cert.level,
        cert.date
    )
}

/// Asks on the terminal; only y or yes is yes.
fn confirm(question: &str) -> anyhow::Result<bool> {
    use std::io::BufRead as _;
    term::eprint(question);
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Whether the records (read as they are, without complaint) still give the holder the level.
fn still_earned(
    ctx: &Ctx,
    curriculum: &crate::model::Curriculum,
    cert: &register::Certificate,
) -> bool {
    let mut diags = Diagnostics::default();
    let Some(data) = ctx.read_cohort(curriculum, &cert.cohort, ctx.today, None, &mut diags) else {
        return false;
    };
    let Some(p) = data.cohort.participant_index(&cert.participant) else {
        return false;
    };
    let outcomes = rules::evaluate_cohort(curriculum, &data.cohort, &data.records, ctx.today);
    !diags.has_errors() && outcomes[p].level == cert.level
}
