//! The integration tests: one binary, one module per area, one helper.

mod support;

mod asof;
mod certificates;
mod check;
mod conflicts;
mod crash;
pub mod damage;
mod errors;
mod fuzz;
mod long_log;
mod readme;
mod recording;
mod report;
mod sharing;
mod status;
mod status_formats;
