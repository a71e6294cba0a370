//! Where output goes and whether it is coloured.
//!
//! `anstream` decides (the same rules as cargo's and clap's): `--color
//! always|never` wins; with `auto` (the default) colour is used only on a
//! terminal that has colours (not `TERM=dumb`), and not when `NO_COLOR` is
//! set (no-color.org); `CLICOLOR=0` and `CLICOLOR_FORCE=1` are honoured too.
//! Text is written as it is: it is coloured only when these say so.

use std::io::Write;

use anstream::AutoStream;
use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// What `--color` said, for every stream of this process.
pub fn set_color(choice: ColorChoice) {
    anstream::ColorChoice::write_global(match choice {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    });
}

/// Colour for what goes to stdout.
pub fn stdout_color() -> bool {
    AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// Colour for diagnostics on stderr.
pub fn stderr_color() -> bool {
    AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// `text` in `style` when stderr is coloured.
pub fn paint_stderr(style: anstyle::Style, text: &str) -> String {
    if stderr_color() {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

/// Diagnostics and progress to stderr; a closed stderr is not worth a panic.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
