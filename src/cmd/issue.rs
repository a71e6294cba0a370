//! `cohort issue`: a certificate number for everyone at Level 1 or above who
//! does not yet hold one for their level.

use anyhow::Context as _;

use crate::certnum;
use crate::diag::Diagnostics;
use crate::register::{self, Certificate, REGISTER, Register};
use crate::render;
use crate::rules::Level;
use crate::term;
use crate::write::LockedLog;

use super::{Ctx, TextFormat, done, json, refuse};

/// Issue certificates: a number for every participant at Level 1 or above who has none for their level
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Outcomes are worked out as of today. Each participant at Level 1, Level 1R \
or Certified gets one certificate for their current level, unless they \
already hold an unrevoked one for it, so running issue twice issues \
nothing the second time. A Level 1R holder who later becomes Certified \
gets a new certificate and keeps the old one. Name, level and date are \
frozen in certificates.csv as issued.

Refuses to run on data with errors (see `cohort check`); nothing is \
written then.

Examples:
  cohort issue 2024-fall --dry-run     who would get a certificate
  cohort issue 2024-fall
  cohort issue --all
  cohort issue --all --format json     what was issued, for scripts (docs/json.md)

Exit codes: 0 success (also when there is nothing to issue), 1 data \
errors, 2 usage error.")]
pub struct Args {
    /// Cohorts to issue certificates for
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohorts: Vec<String>,
    /// Every cohort
    #[arg(long)]
    pub all: bool,
    /// Show who would get a certificate; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// text: a table for people; json: one object for scripts
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

/// `issue --format json` (docs/json.md).
#[derive(serde::Serialize)]
struct IssueJson<'a> {
    dry_run: bool,
    /// Issued (or, with --dry-run, due), by cohort and participant.
    certificates: Vec<IssuedJson<'a>>,
}

#[derive(serde::Serialize)]
struct IssuedJson<'a> {
    /// `null` with --dry-run: numbers are drawn only when issuing.
    number: Option<&'a str>,
    cohort: &'a str,
    participant: &'a str,
    name: &'a str,
    level: Level,
    since: chrono::NaiveDate,
    /// The revoked certificate for the same level that this one replaces.
    replaces: Option<&'a str>,
}

fn print_json(numbers: Option<&[Certificate]>, due: &[Due]) -> anyhow::Result<u8> {
    let certificates = due
        .iter()
        .enumerate()
        .map(|(i, d)| IssuedJson {
            number: numbers.map(|n| n[i].number.as_str()),
            cohort: &d.cohort,
            participant: &d.participant,
            name: &d.name,
            level: d.level,
            since: d.date,
            replaces: d.replaces.as_deref(),
        })
        .collect();
    done(&json(&IssueJson {
        dry_run: numbers.is_none(),
        certificates,
    })?)
}

/// Someone who earns a certificate and does not hold it yet.
struct Due {
    cohort: String,
    participant: String,
    name: String,
    level: Level,
    date: chrono::NaiveDate,
    /// A revoked certificate for the same level that this one replaces.
    replaces: Option<String>,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let ids = ctx.select(&args.cohorts, args.all)?;
    let curriculum = ctx.curriculum()?;
    let levels = ctx.levels(&curriculum, &ids)?;
    let path = ctx.root.path(REGISTER);
    let existed = path.exists();
    // The lock is held from reading the register to appending to it, so that
    // concurrent runs never hand out one number twice or one certificate twice.
    let log = if args.dry_run {
        None
    } else {
        Some(
            LockedLog::open(&ctx.root.dir, REGISTER)
                .with_context(|| format!("cannot open {REGISTER}"))?,
        )
    };
    let text = match &log {
        Some(log) => log.contents().to_string(),
        None => read_register(ctx)?,
    };
    let mut diags = Diagnostics::default();
    let held = register::parse(&text, &mut diags);
    let all_ids = ctx.root.cohort_ids(&mut Diagnostics::default());
    register::cross_check(&held, &all_ids, &levels, &mut diags);
    if diags.has_errors() {
        drop_if_created(log, existed);
        return Err(refuse(&diags));
    }
    diags.sort();
    diags.print(term::stderr_color());

    let due = due(&levels, &held);
    let as_json = args.format == TextFormat::Json;
    if args.dry_run {
        return if as_json {
            print_json(None, &due)
        } else {
            print_dry_run(&due)
        };
    }
    let Some(mut log) = log else {
        unreachable!("opened unless --dry-run")
    };
    let issued = draw(&due, &held, &curriculum.certificate_prefix)?;
    let records: Vec<Vec<String>> = issued.iter().map(Certificate::issued_record).collect();
    log.append(register::FIELDS, &records)
        .with_context(|| format!("nothing was issued: cannot write {REGISTER}"))?;
    if issued.is_empty() {
        drop_if_created(Some(log), existed);
    }
    if as_json {
        return print_json(Some(&issued), &due);
    }
    print_issued(&issued, &due)
}

/// The register as it is, for a dry run or a question asked first (no lock taken).
pub(super) fn read_register(ctx: &Ctx) -> anyhow::Result<String> {
    // Read by the rule of `crate::fsafe`: no link, no FIFO, no huge file.
    let mut diags = Diagnostics::default();
    match crate::load::read_source(&ctx.root, REGISTER, crate::load::FileKind::Csv, &mut diags) {
        Ok(Some(src)) => Ok(src.text),
        Ok(None) => Ok(String::new()),
        Err(_) => Err(refuse(&diags)),
    }
}

/// A certificate for each one due, its number new to the register.
fn draw(due: &[Due], held: &Register, prefix: &str) -> anyhow::Result<Vec<Certificate>> {
    // When a register row is written: local time with its UTC offset.
    let issued_at = super::recording::now_rfc3339();
    let mut taken: std::collections::HashSet<String> = held.numbers().map(str::to_owned).collect();
    let mut issued = Vec::with_capacity(due.len());
    for d in due {
        let number = certnum::generate(prefix, |n| taken.contains(n))
            .context("cannot draw a certificate number")?;
        taken.insert(number.clone());
        issued.push(Certificate {
            line: 0,
            number,
            cohort: d.cohort.clone(),
            participant: d.participant.clone(),
            name: d.name.clone(),
            level: d.level,
            date: d.date,
            issued_at: issued_at.clone(),
            revoked: None,
        });
    }
    Ok(issued)
}

/// Everyone at Level 1 or above without an unrevoked certificate for their level,
/// ordered by cohort and participant.
fn due(cohorts: &[register::CohortLevels], held: &Register) -> Vec<Due> {
    // Who holds what, looked up once: the register may hold tens of thousands.
    let mut holds = std::collections::HashSet::new();
    let mut revoked = std::collections::HashMap::new();
    for c in &held.certificates {
        let key = (c.cohort.as_str(), c.participant.as_str(), c.level);
        if c.revoked.is_none() {
            holds.insert(key);
        } else {
            revoked.insert(key, c.number.as_str());
        }
    }
    let mut due = Vec::new();
    for cohort in cohorts {
        for (id, standing) in &cohort.people {
            let key = (cohort.cohort.as_str(), id.as_str(), standing.level);
            if standing.level == Level::Incomplete || holds.contains(&key) {
                continue;
            }
            let Some(date) = standing.since else {
                continue;
            };
            due.push(Due {
                cohort: cohort.cohort.clone(),
                participant: id.clone(),
                name: standing.name.clone(),
                level: standing.level,
                date,
                replaces: revoked.get(&key).map(|n| n.to_string()),
            });
        }
    }
    due.sort_by(|a, b| (&a.cohort, &a.participant).cmp(&(&b.cohort, &b.participant)));
    due
}

/// An empty register that this run created is removed again, under the lock,
/// so a run that issues nothing leaves the data root as it found it.
fn drop_if_created(log: Option<LockedLog>, existed: bool) {
    if let Some(log) = log
        && !existed
        && log.contents().is_empty()
    {
        let _ = std::fs::remove_file(log.path());
    }
}

/// Who a certificate is for, as the tables show it.
fn who(d: &Due) -> [String; 4] {
    [
        d.cohort.clone(),
        d.participant.clone(),
        d.name.clone(),
        d.level.to_string(),
    ]
}

fn print_dry_run(due: &[Due]) -> anyhow::Result<u8> {
    let rows = due
        .iter()
        .map(|d| [who(d).to_vec(), vec![d.date.to_string()]].concat())
        .collect();
    print_table(&["cohort", "id", "name", "level", "since"], rows, |t| {
        format!(
            "{t}\nwould issue {} (dry run: nothing was written)\n",
            certificates(due.len())
        )
    })
}

/// `issued` are the certificates of `due`, in its order.
fn print_issued(issued: &[Certificate], due: &[Due]) -> anyhow::Result<u8> {
    let rows = issued
        .iter()
        .zip(due)
        .map(|(c, d)| [vec![c.number.clone()], who(d).to_vec()].concat())
        .collect();
    print_table(&["number", "cohort", "id", "name", "level"], rows, |t| {
        let mut text = format!(
            "{t}\nissued {}, recorded in {REGISTER}\n",
            certificates(issued.len())
        );
        for (c, d) in issued.iter().zip(due) {
            if let Some(old) = &d.replaces {
                text.push_str(&format!("{} replaces revoked {old}\n", c.number));
            }
        }
        text
    })
}

/// The certificates as a table and what became of them (`said`, given the
/// table); that nobody is due when there are none.
fn print_table(
    header: &[&str],
    rows: Vec<Vec<String>>,
    said: impl FnOnce(&str) -> String,
) -> anyhow::Result<u8> {
    if rows.is_empty() {
        return done(
            "nothing to issue: everyone at Level 1 or above holds a certificate for their level\n",
        );
    }
    let mut t = render::table::new(header);
    t.add_rows(rows);
    done(&said(&t.to_string()))
}

/// "1 certificate", "2 certificates".
pub(super) fn certificates(n: usize) -> String {
    format!("{n} certificate{}", if n == 1 { "" } else { "s" })
}
