//! `cohort`: parse the command line, dispatch, turn the result into an exit code.

use std::process::ExitCode;

use clap::Parser;

use cohort::{cli, cmd, exit, term};

fn main() -> ExitCode {
    // `COMPLETE=bash cohort …`: the shell asks for completions (docs/completions.md).
    clap_complete::CompleteEnv::with_factory(<cli::Cli as clap::CommandFactory>::command)
        .complete();
    // clap would say "a value is required for '--root <DIR>'", which names
    // no environment variable.
    if std::env::var_os("COHORT_ROOT").is_some_and(|v| v.is_empty())
        && !std::env::args_os().any(|a| a == "--root" || a.to_string_lossy().starts_with("--root="))
    {
        term::eprint(
            "cohort: error: COHORT_ROOT is set but empty; set it to the data root (the folder that holds curriculum.toml), or unset it (`unset COHORT_ROOT`) to use the nearest one\n",
        );
        return ExitCode::from(exit::USAGE);
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
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => ExitCode::from(report_error(&err)),
    }
}

/// Prints the error chain and picks the exit code. A closed pipe (`cohort
/// report | head`) is not a failure.
fn report_error(err: &anyhow::Error) -> u8 {
    let broken_pipe = err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return exit::SUCCESS;
    }
    if err.downcast_ref::<exit::Refused>().is_some() {
        return exit::FAILURE;
    }
    let style = anstyle::AnsiColor::Red.on_default().bold();
    let label = if term::stderr_color() {
        format!("{}error{}", style.render(), style.render_reset())
    } else {
        "error".to_string()
    };
    term::eprint(&format!("cohort: {label}: {err:#}\n"));
    if err.downcast_ref::<exit::UsageError>().is_some() {
        exit::USAGE
    } else {
        exit::FAILURE
    }
}
