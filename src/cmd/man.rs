//! `cohort man`: the manual page, in roff.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit;

/// Print the manual page (roff)
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  cohort man | man -l -
  cohort man > /usr/local/share/man/man1/cohort.1")]
pub struct Args {}

pub fn run(_args: &Args) -> anyhow::Result<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    super::out(&String::from_utf8(out)?)?;
    Ok(exit::SUCCESS)
}
