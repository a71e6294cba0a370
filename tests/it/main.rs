//! The integration tests: one binary, one module per area, one helper.

mod support;

mod certificates;
mod check;
mod crash;
pub mod damage;
mod errors;
mod fuzz;
mod hostile;
mod long_log;
mod readme;
mod recording;
mod report;
mod reports;
mod sheets;
mod status;
mod status_formats;
