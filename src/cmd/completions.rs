//! `cohort completions SHELL`: tab completion scripts.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit;

/// Print a shell completion script
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  cohort completions bash > ~/.local/share/bash-completion/completions/cohort
  cohort completions zsh > ~/.zfunc/_cohort
  cohort completions fish > ~/.config/fish/completions/cohort.fish")]
pub struct Args {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: &Args) -> anyhow::Result<u8> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "cohort", &mut out);
    super::out(&String::from_utf8(out)?)?;
    Ok(exit::SUCCESS)
}
