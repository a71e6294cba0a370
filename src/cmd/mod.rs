//! One file per command: thin glue between the command line, `load`,
//! `rules`, `write` and `render`.

pub mod alias;
pub mod attend;
pub mod calendar;
pub mod check;
pub mod completions;
pub mod enroll;
pub mod evaluate;
pub mod export;
pub mod init;
pub mod issue;
pub mod makeups;
pub mod man;
pub mod new;
pub mod practicum;
mod practicum_from;
pub mod print;
mod program;
pub mod publish;
mod record;
mod recording;
pub mod report;
pub mod revoke;
pub mod site;
pub mod stats;
pub mod status;
pub mod sync;
pub mod unenroll;
pub mod verify;
pub mod withdraw;

use std::io::Write;

use anyhow::Context as _;
use chrono::NaiveDate;

use crate::cli::{Cli, Command};
use crate::diag::Diagnostics;
use crate::exit;
use crate::load::{self, CohortData, Root};
use crate::model::Curriculum;
use crate::term;

/// Commands that go on despite warnings show this many, one line each.
pub const WARNINGS_SHOWN: usize = 10;

/// Runs `work` for every item on all cores (cohorts are independent) and
/// gives the results in the items' order.
pub fn par_map<I: Sync, T: Send>(items: &[I], work: impl Fn(&I) -> T + Sync) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, work(item)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker panicked"))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// What every command that reads the data root starts from.
pub struct Ctx {
    pub root: Root,
    /// The real date (or `COHORT_TODAY`, for reproducible runs).
    pub today: NaiveDate,
}

impl Ctx {
    fn new(cli: &Cli) -> anyhow::Result<Ctx> {
        let cwd = std::env::current_dir().context("cannot read the current folder")?;
        let root = Root::find(cli.root.as_deref(), &cwd)
            .map_err(|e| anyhow::Error::new(exit::UsageError(e)))?;
        crate::write::set_display_root(&root.dir);
        Ok(Ctx {
            root,
            today: today()?,
        })
    }

    /// The curriculum, or the exit code after printing why it cannot be used.
    pub fn curriculum(&self) -> Result<Curriculum, u8> {
        let mut diags = Diagnostics::default();
        let curriculum = load::load_curriculum(&self.root, &mut diags);
        match curriculum {
            Some(c) if !diags.has_errors() => {
                diags.print_brief(term::stderr_color(), WARNINGS_SHOWN);
                Ok(c)
            }
            _ => {
                refuse(&diags);
                Err(exit::FAILURE)
            }
        }
    }

    /// Loads one cohort whole; on errors prints them all and gives the exit code.
    pub fn cohort(
        &self,
        curriculum: &Curriculum,
        id: &str,
        as_of: NaiveDate,
    ) -> anyhow::Result<Result<CohortData, u8>> {
        self.cohort_with_history(curriculum, id, as_of, None)
    }

    /// As [`Ctx::cohort`], keeping every attendance row in `history`.
    pub fn cohort_with_history(
        &self,
        curriculum: &Curriculum,
        id: &str,
        as_of: NaiveDate,
        history: Option<&mut Vec<load::AttendanceLog>>,
    ) -> anyhow::Result<Result<CohortData, u8>> {
        self.known_cohort(id)?;
        let mut diags = Diagnostics::default();
        let data = load::load_cohort_data(
            &self.root, curriculum, id, self.today, as_of, history, &mut diags,
        );
        Ok(match data {
            Some(data) if !diags.has_errors() => {
                diags.sort();
                diags.print_brief(term::stderr_color(), WARNINGS_SHOWN);
                Ok(data)
            }
            _ => {
                refuse(&diags);
                Err(exit::FAILURE)
            }
        })
    }

    /// A usage error (exit 2) when `id` names no cohort, with the closest one.
    pub fn known_cohort(&self, id: &str) -> anyhow::Result<()> {
        // A cohort id is a folder name, never a path: nothing outside the root is read.
        if !load::is_slug(id) {
            crate::usage!(
                "\"{}\" is not a cohort id; cohort ids are lower-case letters, digits and dashes, e.g. 2024-fall",
                crate::text::shown(id)
            );
        }
        if crate::fsafe::is_link(&self.root.path(&format!("cohorts/{id}"))) {
            // Loading it says why it is refused, as `check` does.
            return Ok(());
        }
        if self.root.path(&Root::cohort_toml(id)).is_file() {
            return Ok(());
        }
        let ids = self.root.cohort_ids(&mut Diagnostics::default());
        let hint = match crate::diag::did_you_mean(id, ids.iter().map(String::as_str)) {
            Some(guess) => format!("did you mean {guess}?"),
            None if ids.is_empty() => {
                "there are no cohorts yet; `cohort new` creates one".to_string()
            }
            None => format!("the cohorts are: {}", ids.join(", ")),
        };
        crate::usage!("there is no cohort \"{id}\" (no cohorts/{id}/cohort.toml); {hint}")
    }

    /// The cohorts a command names, or all of them with `--all`.
    pub fn select(&self, ids: &[String], all: bool) -> anyhow::Result<Vec<String>> {
        if all {
            if !ids.is_empty() {
                crate::usage!("name cohorts or give --all, not both");
            }
            // A folder that is not a cohort is an error of the data: `check`
            // lists it, so `--all` must not skip it in silence.
            let mut diags = Diagnostics::default();
            let ids = self.root.cohort_ids(&mut diags);
            if diags.has_errors() {
                refuse(&diags);
                return Err(anyhow::Error::new(exit::Refused));
            }
            diags.print(term::stderr_color());
            return Ok(ids);
        }
        if ids.is_empty() {
            let known = self.root.cohort_ids(&mut Diagnostics::default());
            crate::usage!(
                "name a cohort, or give --all; the cohorts are: {}",
                if known.is_empty() {
                    "(none yet)".to_string()
                } else {
                    known.join(", ")
                }
            );
        }
        for id in ids {
            self.known_cohort(id)?;
        }
        let mut ids = ids.to_vec();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}

impl Ctx {
    /// Where everyone of `ids` stands, for the certificate commands: cohorts
    /// are read on all cores and only their levels kept. On errors in any
    /// of them, prints them all and gives the exit code.
    pub fn levels(
        &self,
        curriculum: &Curriculum,
        ids: &[String],
    ) -> Result<Vec<crate::register::CohortLevels>, u8> {
        // As of today: the records are taken whole (no as-of cut).
        program::load_each(
            self,
            curriculum,
            ids,
            self.today,
            |_| program::Read::Full,
            |loaded| match loaded {
                program::Loaded::Full(data) => {
                    crate::register::CohortLevels::of(curriculum, &data, self.today)
                }
                program::Loaded::Schedule(_) => unreachable!("read in full"),
            },
        )
    }
}

/// Prints every problem, then says that nothing was done.
pub fn refuse(diags: &Diagnostics) {
    let mut diags = diags.clone();
    diags.sort();
    diags.print(term::stderr_color());
    term::eprint(&format!(
        "cohort: refusing to go on: the data has {}; `cohort check` lists them, and nothing was changed\n",
        diags.summary()
    ));
}

/// `COHORT_TODAY=YYYY-MM-DD` pins the date, for reproducible runs and tests.
fn today() -> anyhow::Result<NaiveDate> {
    match std::env::var("COHORT_TODAY") {
        Ok(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            anyhow::Error::new(exit::UsageError(format!(
                "COHORT_TODAY is \"{text}\"; expected a date like 2024-11-05"
            )))
        }),
        Err(_) => Ok(chrono::Local::now().date_naive()),
    }
}

/// Writes to stdout; errors (a closed pipe) travel up as values.
pub fn out(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// No value on the command line may hold a control character (see
/// [`crate::text`]): names, notes, `--by`, `--reason` … end up in the records.
fn check_command_line() -> anyhow::Result<()> {
    let mut flag: Option<String> = None;
    for arg in std::env::args_os().skip(1) {
        let arg = arg.to_string_lossy();
        let (name, value) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (Some(name.to_string()), value),
            _ if arg.starts_with('-') => {
                flag = Some(arg.to_string());
                continue;
            }
            _ => (flag.take(), &*arg),
        };
        let what = match name {
            Some(name) => format!("{name} value"),
            None => "the value".to_string(),
        };
        crate::text::check_arg(&what, value)
            .map_err(|e| anyhow::Error::new(exit::UsageError(e)))?;
    }
    Ok(())
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    check_command_line()?;
    // Commands that need no data root.
    match &cli.command {
        Command::Completions(args) => return completions::run(args),
        Command::Man(args) => return man::run(args),
        Command::Init(args) => return init::run(args),
        _ => {}
    }
    let ctx = Ctx::new(&cli)?;
    match cli.command {
        Command::Check(args) => check::run(&ctx, &args),
        Command::Report(args) => report::run(&ctx, &args),
        Command::Status(args) => status::run(&ctx, &args),
        Command::New(args) => new::run(&ctx, &args),
        Command::Enroll(args) => enroll::run(&ctx, &args),
        Command::Attend(args) => attend::run(&ctx, &args),
        Command::Alias(args) => alias::run(&ctx, &args),
        Command::Evaluate(args) => evaluate::run(&ctx, &args),
        Command::Practicum(command) => practicum::run(&ctx, &command),
        Command::Withdraw(args) => withdraw::run(&ctx, &args),
        Command::Unenroll(args) => unenroll::run(&ctx, &args),
        Command::Issue(args) => issue::run(&ctx, &args),
        Command::Export(args) => export::run(&ctx, &args),
        Command::Verify(args) => verify::run(&ctx, &args),
        Command::Revoke(args) => revoke::run(&ctx, &args),
        Command::Makeups(args) => makeups::run(&ctx, &args),
        Command::Calendar(args) => calendar::run(&ctx, &args),
        Command::Site(args) => site::run(&ctx, &args),
        Command::Stats(args) => stats::run(&ctx, &args),
        Command::Sync(args) => sync::run(&ctx, &args),
        Command::Print(args) => print::run(&ctx, &args),
        Command::Publish(args) => publish::run(&ctx, &args),
        Command::Completions(_) | Command::Man(_) | Command::Init(_) => {
            unreachable!("handled above")
        }
    }
}

/// `--as-of`, parsed by clap.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::model::parse_ymd(text.trim())
        .ok_or(())
        .map_err(|_| format!("\"{text}\" is not a date like 2024-11-05 (YYYY-MM-DD)"))
}

/// Output formats of reading commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
}

/// Output of commands whose usual output is prose: `check`, `verify`,
/// `issue`, `attend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TextFormat {
    #[default]
    Text,
    Json,
}

/// Pretty JSON of a typed value, with a final newline.
pub fn json(value: &impl serde::Serialize) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}
