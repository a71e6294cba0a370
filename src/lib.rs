//! `cohort` as a library: the command-line tool is `src/main.rs`; tests,
//! fuzzing and benchmarks reach the loaders and the rules through here.
//!
//! Data flows one way: files ([`load`]) → model ([`model`]) → outcomes
//! ([`rules`]) → rendering ([`render`]); [`write`] is the only module that
//! changes files, and [`cmd`] holds one file per command.

pub mod certificate;
pub mod certnum;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod exit;
pub mod load;
pub mod model;
pub mod register;
pub mod render;
pub mod rules;
pub mod tail;
pub mod term;
pub mod write;
pub mod zoom;
