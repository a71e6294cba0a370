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

use crate::diag::Diagnostics;
use crate::error::Error;
use crate::load::{self, CohortData, Root};
use crate::model::Curriculum;
use crate::term;
use crate::validate;

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
    /// The data root `--root` names, or the nearest one.
    pub fn new(root: Option<&std::path::Path>) -> anyhow::Result<Ctx> {
        let cwd = std::env::current_dir().context("cannot read the current folder")?;
        let root = Root::find(root, &cwd).map_err(Error::Usage)?;
        crate::write::set_display_root(&root.dir);
        Ok(Ctx {
            root,
            today: today()?,
        })
    }

    /// The curriculum, or the refusal that lists why it cannot be used.
    pub fn curriculum(&self) -> Result<Curriculum, Error> {
        let mut diags = Diagnostics::default();
        let curriculum = load::load_curriculum(&self.root, &mut diags);
        usable(curriculum, diags)
    }

    /// Loads one cohort whole, or the refusal that lists its errors.
    pub fn cohort(
        &self,
        curriculum: &Curriculum,
        id: &str,
        as_of: NaiveDate,
    ) -> anyhow::Result<CohortData> {
        self.cohort_with_history(curriculum, id, as_of, None)
    }

    /// As [`Ctx::cohort`], keeping every attendance row in `history`.
    pub fn cohort_with_history(
        &self,
        curriculum: &Curriculum,
        id: &str,
        as_of: NaiveDate,
        history: Option<&mut Vec<load::AttendanceLog>>,
    ) -> anyhow::Result<CohortData> {
        self.known_cohort(id)?;
        let mut diags = Diagnostics::default();
        let data = self.read_cohort(curriculum, id, as_of, history, &mut diags);
        Ok(usable(data, diags)?)
    }

    /// Cohort `id`'s files read ([`load::cohort_files`]) and checked
    /// ([`validate::cohort_data`]) today, looking from `as_of`; `None` when
    /// its cohort.toml cannot be used (the reasons are in `diags`).
    pub fn read_cohort(
        &self,
        curriculum: &Curriculum,
        id: &str,
        as_of: NaiveDate,
        history: Option<&mut Vec<load::AttendanceLog>>,
        diags: &mut Diagnostics,
    ) -> Option<CohortData> {
        let files = load::cohort_files(&self.root, curriculum, id, None, diags)?;
        let dates = validate::Dates {
            today: self.today,
            as_of,
        };
        Some(validate::cohort_data(
            files, curriculum, dates, history, diags,
        ))
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
                return Err(Error::refused(diags).into());
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

    /// Where everyone of `ids` stands, for the certificate commands: cohorts
    /// are read on all cores and only their levels kept; on errors in any
    /// of them, the refusal that lists them all.
    pub fn levels(
        &self,
        curriculum: &Curriculum,
        ids: &[String],
    ) -> Result<Vec<crate::register::CohortLevels>, Error> {
        // As of today: the records are taken whole (no as-of cut).
        program::each_whole(self, curriculum, ids, self.today, |data| {
            crate::register::CohortLevels::of(curriculum, data, self.today)
        })
    }
}

/// What was loaded, if the problems found on the way are at most
/// warnings (shown, a few of them); else the refusal that lists them.
pub fn usable<T>(loaded: Option<T>, diags: Diagnostics) -> Result<T, Error> {
    match loaded {
        Some(loaded) => warnings_only(diags).map(|()| loaded),
        None => Err(Error::refused(diags)),
    }
}

/// On errors, the refusal that lists them; else the warnings, sorted,
/// [`WARNINGS_SHOWN`] of them shown.
pub fn warnings_only(mut diags: Diagnostics) -> Result<(), Error> {
    if diags.has_errors() {
        return Err(Error::refused(diags));
    }
    diags.sort();
    diags.print_brief(term::stderr_color(), WARNINGS_SHOWN);
    Ok(())
}

/// The refusal of data with errors, as an error of the command: it
/// lists them all, and says that nothing was done.
pub fn refuse(diags: &Diagnostics) -> anyhow::Error {
    Error::refused(diags.clone()).into()
}

/// `COHORT_TODAY=YYYY-MM-DD` pins the date, for reproducible runs and tests.
fn today() -> anyhow::Result<NaiveDate> {
    match std::env::var("COHORT_TODAY") {
        Ok(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            Error::Usage(format!(
                "COHORT_TODAY is \"{text}\"; expected a date like 2024-11-05"
            ))
            .into()
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

/// Writes a command's whole output to stdout ([`out`]) and gives its success.
pub fn done(text: &str) -> anyhow::Result<u8> {
    out(text)?;
    Ok(crate::exit::SUCCESS)
}

/// No value on the command line may hold a control character (see
/// [`crate::text`]): names, notes, `--by`, `--reason` … end up in the records.
pub fn check_command_line() -> anyhow::Result<()> {
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
        crate::text::check_arg(&what, value).map_err(Error::Usage)?;
    }
    Ok(())
}

/// `--as-of`, parsed by clap.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::model::parse_ymd(text.trim())
        .ok_or_else(|| format!("\"{text}\" is not a date like 2024-11-05 (YYYY-MM-DD)"))
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
