//! Exit codes, as the contract names them.

/// Success, or a reading command that found only warnings.
pub const SUCCESS: u8 = 0;
/// The data has errors, or something failed at run time.
pub const FAILURE: u8 = 1;
/// The command line was wrong: an unknown option, a missing argument.
pub const USAGE: u8 = 2;

/// An error in what the user typed (exit 2), as opposed to in the data (exit 1).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A refusal whose reasons are already printed (exit 1, nothing more to say).
#[derive(Debug)]
pub struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused; the reasons are listed above")
    }
}

impl std::error::Error for Refused {}

/// Returns early with a usage error.
#[macro_export]
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err(anyhow::Error::new($crate::exit::UsageError(format!($($arg)*))))
    };
}
