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

/// Returns early with a usage error.
#[macro_export]
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err(anyhow::Error::new($crate::exit::UsageError(format!($($arg)*))))
    };
}
