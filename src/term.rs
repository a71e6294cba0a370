//! Where output goes and whether it is coloured.
//!
//! `--color always|never` wins; with `auto` (the default) colour is used only
//! on a terminal, and not when `NO_COLOR` is set (no-color.org) or `TERM=dumb`.

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

pub fn set_color(choice: ColorChoice) {
    CHOICE.get_or_init(|| choice);
}

fn wants_color(is_terminal: bool) -> bool {
    match CHOICE.get().copied().unwrap_or_default() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// Colour for what goes to stdout.
pub fn stdout_color() -> bool {
    wants_color(std::io::stdout().is_terminal())
}

/// Colour for diagnostics on stderr.
pub fn stderr_color() -> bool {
    wants_color(std::io::stderr().is_terminal())
}

/// Diagnostics and progress to stderr; a closed stderr is not worth a panic.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
