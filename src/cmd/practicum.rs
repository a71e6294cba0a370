//! `cohort practicum`: not built yet.

use super::Ctx;

/// Practicum hours and results (not built yet)
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Not built yet
    Log {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
}

pub fn run(_ctx: &Ctx, _command: &Command) -> anyhow::Result<u8> {
    anyhow::bail!("`cohort practicum` is not built yet")
}
