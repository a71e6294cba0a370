//! The command line: global options, one subcommand per task, and the
//! dispatch to `cmd/` (which knows nothing of this file).

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use crate::cmd::{self, Ctx};
use crate::term::ColorChoice;

const ABOUT: &str = "Run a peer-support training program from plain files: cohorts, attendance, outcomes and certificates.";

const LONG_ABOUT: &str = "\
Run a peer-support training program from plain files: cohorts, attendance, \
outcomes and certificates.

Every record lives in files you can read, keep in git and open in a \
spreadsheet: curriculum.toml, cohorts/<id>/cohort.toml, attendance logs \
cohorts/<id>/attendance/NN.csv, cohorts/<id>/practicum.csv and the \
certificate register certificates.csv. cohort finds them in the nearest \
folder, at or above the current one, that holds curriculum.toml.";

const EXAMPLES: &str = "\
Examples:
  cohort check                          validate every file
  cohort report 2024-fall               outcomes of one cohort
  cohort status 2024-fall               the attendance grid, who is at risk
  cohort attend 2024-fall 3 --present p01,p02 --absent p03

Exit codes: 0 success, 1 data or runtime error, 2 usage error.";

#[derive(Debug, Parser)]
#[command(name = "cohort", version, about = ABOUT, long_about = LONG_ABOUT, after_help = EXAMPLES)]
pub struct Cli {
    /// The data root: the folder that holds curriculum.toml [default: the nearest one at or above the current folder]
    #[arg(
        long,
        global = true,
        env = "COHORT_ROOT",
        value_name = "DIR",
        display_order = 100
    )]
    pub root: Option<PathBuf>,

    /// When to colour the output; NO_COLOR in the environment means never, unless --color always
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", display_order = 101)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(cmd::init::Args),
    Check(cmd::check::Args),
    Report(cmd::report::Args),
    Status(cmd::status::Args),
    New(cmd::new::Args),
    Enroll(cmd::enroll::Args),
    Attend(cmd::attend::Args),
    Alias(cmd::alias::Args),
    Evaluate(cmd::evaluate::Args),
    #[command(subcommand)]
    Practicum(cmd::practicum::Command),
    Withdraw(cmd::withdraw::Args),
    Unenroll(cmd::unenroll::Args),
    Issue(cmd::issue::Args),
    Export(cmd::export::Args),
    Verify(cmd::verify::Args),
    Revoke(cmd::revoke::Args),
    Makeups(cmd::makeups::Args),
    Calendar(cmd::calendar::Args),
    Site(cmd::site::Args),
    Stats(cmd::stats::Args),
    Sync(cmd::sync::Args),
    Print(cmd::print::Args),
    Publish(cmd::publish::Args),
    Completions(cmd::completions::Args),
    Man(cmd::man::Args),
}

/// Runs the command; the `Ok` code is what a finished command exits with.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    cmd::check_command_line()?;
    // Completions, man pages and init need no data root.
    let ctx = || Ctx::new(cli.root.as_deref());
    match cli.command {
        Command::Completions(args) => cmd::completions::run(&args),
        Command::Man(args) => cmd::man::run(&args, Cli::command()),
        Command::Init(args) => cmd::init::run(&args),
        Command::Check(args) => cmd::check::run(&ctx()?, &args),
        Command::Report(args) => cmd::report::run(&ctx()?, &args),
        Command::Status(args) => cmd::status::run(&ctx()?, &args),
        Command::New(args) => cmd::new::run(&ctx()?, &args),
        Command::Enroll(args) => cmd::enroll::run(&ctx()?, &args),
        Command::Attend(args) => cmd::attend::run(&ctx()?, &args),
        Command::Alias(args) => cmd::alias::run(&ctx()?, &args),
        Command::Evaluate(args) => cmd::evaluate::run(&ctx()?, &args),
        Command::Practicum(command) => cmd::practicum::run(&ctx()?, &command),
        Command::Withdraw(args) => cmd::withdraw::run(&ctx()?, &args),
        Command::Unenroll(args) => cmd::unenroll::run(&ctx()?, &args),
        Command::Issue(args) => cmd::issue::run(&ctx()?, &args),
        Command::Export(args) => cmd::export::run(&ctx()?, &args),
        Command::Verify(args) => cmd::verify::run(&ctx()?, &args),
        Command::Revoke(args) => cmd::revoke::run(&ctx()?, &args),
        Command::Makeups(args) => cmd::makeups::run(&ctx()?, &args),
        Command::Calendar(args) => cmd::calendar::run(&ctx()?, &args),
        Command::Site(args) => cmd::site::run(&ctx()?, &args),
        Command::Stats(args) => cmd::stats::run(&ctx()?, &args),
        Command::Sync(args) => cmd::sync::run(&ctx()?, &args),
        Command::Print(args) => cmd::print::run(&ctx()?, &args),
        Command::Publish(args) => cmd::publish::run(&ctx()?, &args),
    }
}
