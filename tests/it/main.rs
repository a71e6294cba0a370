//! The integration tests: one binary, one module per area, one helper.

mod support;

mod calendar;
mod certificates;
mod check;
mod crash;
pub mod damage;
mod errors;
mod fuzz;
mod long_log;
mod makeups;
mod readme;
mod recording;
mod report;
mod site;
mod stats;
mod status;
mod status_dates;
mod status_formats;
