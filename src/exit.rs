//! Exit codes, as the contract names them; which error gives which is
//! [`crate::error::Error::code`].

/// Success, or a reading command that found only warnings.
pub const SUCCESS: u8 = 0;
/// The data has errors, or something failed at run time.
pub const FAILURE: u8 = 1;
/// The command line was wrong: an unknown option, a missing argument.
pub const USAGE: u8 = 2;
