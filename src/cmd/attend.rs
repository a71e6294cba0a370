//! `cohort attend`: not built yet.

use super::Ctx;

/// Not built yet
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub rest: Vec<String>,
}

pub fn run(_ctx: &Ctx, _args: &Args) -> anyhow::Result<u8> {
    anyhow::bail!("`cohort attend` is not built yet")
}
