//! Validation as a pass of its own: loading parses the files and locates
//! every value; the functions here check the parsed model against the
//! rules and report what is wrong, with the place the loader recorded.
//! Nothing here reads a file.

pub mod cohort;
pub mod logs;
