//! The one error shape of the command line: every way a command gives up,
//! and the exit code each means ([`Error::code`], as `just`'s), by the rule
//! of docs/exit-codes.md: what was typed must change (2), the data says no
//! or the world failed (1), a closed pipe is no failure (0).
//!
//! Commands keep returning `anyhow::Result`, with an [`Error`] inside it
//! where the kind matters: some three hundred `?`s and `.context(…)`s on
//! file, TOML, JSON and write errors all mean the same thing (a run-time
//! failure, exit 1, the message printed), and a variant for each would only
//! wrap them. `main` finds the [`Error`] in the chain ([`Error::of`]) and
//! prints every error in one place; nothing below it prints an error.

use crate::diag::Diagnostics;
use crate::exit;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// What was typed must change: an unknown name, a value of the wrong
    /// form or one the records rule out, a file named that is not there.
    #[error("{0}")]
    Usage(String),
    /// The data says no: these problems, each printed in full, then
    /// `closing` (what was not done).
    #[error("{closing}")]
    Refused {
        diags: Box<Diagnostics>,
        closing: String,
    },
    /// A failure of the data or of the world said in one message.
    #[error("{0}")]
    Failed(String),
    /// The data says no in this text, printed as it is: each of its lines
    /// already says where and what (a meeting report's problems).
    #[error("{0}")]
    Rejected(String),
}

impl Error {
    /// The data has errors: nothing was done, `cohort check` lists them
    /// (in the files' order).
    pub fn refused(mut diags: Diagnostics) -> Error {
        diags.sort();
        let closing = format!(
            "refusing to go on: the data has {}; `cohort check` lists them, and nothing was changed",
            diags.summary()
        );
        Error::refused_with(diags, closing)
    }

    /// The problems as they are ordered, then a closing line of its own.
    pub fn refused_with(diags: Diagnostics, closing: impl Into<String>) -> Error {
        Error::Refused {
            diags: Box::new(diags),
            closing: closing.into(),
        }
    }

    /// The exit code this error means (docs/exit-codes.md).
    pub fn code(&self) -> u8 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Refused { .. } | Error::Failed(_) | Error::Rejected(_) => exit::FAILURE,
        }
    }

    /// The [`Error`] an error of a command carries, if any.
    pub fn of(err: &anyhow::Error) -> Option<&Error> {
        err.chain().find_map(|cause| cause.downcast_ref::<Error>())
    }
}

/// The exit code of an error a command gave up with: a closed pipe
/// (`cohort report | head`) is success, an [`Error`] says its own, anything
/// else failed at run time.
pub fn code(err: &anyhow::Error) -> u8 {
    if is_broken_pipe(err) {
        return exit::SUCCESS;
    }
    Error::of(err).map_or(exit::FAILURE, Error::code)
}

/// Whether writing the output met a closed pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Returns early with a usage error (exit 2).
#[macro_export]
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err(anyhow::Error::new($crate::error::Error::Usage(format!($($arg)*))))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_documented_code() {
        let usage = anyhow::Error::new(Error::Usage("x".into())).context("while y");
        assert_eq!(code(&usage), exit::USAGE);
        let mut diags = Diagnostics::default();
        diags.error(crate::diag::Kind::BadStatus, "a.csv", Some(2), "bad");
        assert_eq!(code(&Error::refused(diags).into()), exit::FAILURE);
        assert_eq!(code(&Error::Failed("no".into()).into()), exit::FAILURE);
        assert_eq!(code(&anyhow::anyhow!("disk full")), exit::FAILURE);
        let pipe = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!(code(&pipe.context("out")), exit::SUCCESS);
    }
}
