//! `cohort`: parse the command line, dispatch, and print what went wrong:
//! this is the one place that prints an error (the kinds and their exit
//! codes are `cohort::error`).

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cohort::error::{self, Error};
use cohort::{cli, exit, term};

/// glibc gives freed memory back to the system as soon as 128 KiB is free
/// at the top of a heap, and each cohort read on each core frees and takes
/// again a few MiB: `report --all` spent a third of its system time on
/// those pages. Keeping up to 64 MiB (cohort's peak is about 40 MiB)
/// halves that; measured in BENCHMARKS.md.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before any
    // thread is started.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}

fn main() -> ExitCode {
    keep_freed_memory();
    // `COMPLETE=bash cohort …`: the shell asks for completions (docs/completions.md).
    clap_complete::CompleteEnv::with_factory(cli::Cli::command).complete();
    // clap would say "a value is required for '--root <DIR>'", which names
    // no environment variable.
    if std::env::var_os("COHORT_ROOT").is_some_and(|v| v.is_empty())
        && !std::env::args_os().any(|a| a == "--root" || a.to_string_lossy().starts_with("--root="))
    {
        return report(&Error::Usage(
            "COHORT_ROOT is set but empty; set it to the data root (the folder that holds curriculum.toml), or unset it (`unset COHORT_ROOT`) to use the nearest one".into(),
        ).into());
    }
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::SUCCESS
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    term::set_color(cli.color);
    match cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => report(&err),
    }
}

/// Prints `err` (the problems of refused data in full, anything else as
/// `cohort: error: …` with its causes) and gives its exit code. A closed
/// pipe (`cohort report | head`) is not a failure and says nothing.
fn report(err: &anyhow::Error) -> ExitCode {
    let code = error::code(err);
    if error::is_broken_pipe(err) {
        return ExitCode::from(code);
    }
    let text = match Error::of(err) {
        Some(Error::Refused { diags, closing }) => {
            diags.print(term::stderr_color());
            format!("cohort: {closing}\n")
        }
        Some(Error::Rejected(text)) => text.clone(),
        _ => {
            let label = term::paint_stderr(anstyle::AnsiColor::Red.on_default().bold(), "error");
            format!("cohort: {label}: {err:#}\n")
        }
    };
    term::eprint(&text);
    ExitCode::from(code)
}
