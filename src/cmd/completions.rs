//! `cohort completions SHELL`: the shell code that asks `cohort` for
//! completions while you type, so that cohort and participant ids of the
//! data root are offered (clap_complete's dynamic completion).

use crate::exit;

/// Print the shell code for tab completion (cohort and participant ids included)
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The code it prints asks `cohort` itself for the completions of each word, \
so cohort ids and participant ids come from the data root you are in (or \
--root, or COHORT_ROOT). It prints the same as COMPLETE=SHELL cohort. \
Load it anew in each shell, so that it always matches the installed cohort \
(see docs/completions.md).

Examples:
  echo 'source <(cohort completions bash)' >> ~/.bashrc
  echo 'source <(cohort completions zsh)' >> ~/.zshrc
  echo 'cohort completions fish | source' >> ~/.config/fish/config.fish

Then: cohort attend 2024-fall 3 --present p0<TAB> offers p01 … p09.")]
pub struct Args {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: &Args) -> anyhow::Result<u8> {
    use clap::ValueEnum as _;
    let name = args
        .shell
        .to_possible_value()
        .expect("every shell has a name")
        .get_name()
        .to_string();
    let shells = clap_complete::env::Shells::builtins();
    let Some(shell) = shells.completer(&name) else {
        crate::usage!("completion for {name} is not available");
    };
    let mut out = Vec::new();
    shell.write_registration("COMPLETE", "cohort", "cohort", "cohort", &mut out)?;
    super::out(&String::from_utf8(out)?)?;
    Ok(exit::SUCCESS)
}
