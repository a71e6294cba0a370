//! `cohort` as a library: the command-line tool is `src/main.rs`; tests,
//! fuzzing and benchmarks reach the loaders and the rules through here.
//!
//! Data flows one way: files ([`load`]) → model ([`model`]) → outcomes
//! ([`rules`]) → rendering ([`render`]); [`write`] is the only module that
//! changes files, and [`cmd`] holds one file per command.

pub mod certificate;
pub mod certnum;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod complete;
pub mod conflicts;
pub mod csvread;
pub mod diag;
pub mod error;
pub mod exit;
pub mod fsafe;
pub mod lines;
pub mod load;
pub mod meeting;
pub mod model;
pub mod register;
pub mod render;
pub mod rules;
pub mod sharing;
pub mod sheet;
pub mod suggest;
pub mod term;
pub mod text;
pub mod tz;
pub mod validate;
pub mod write;
