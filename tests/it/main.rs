//! The integration tests: one binary, one module per area, one helper.

mod support;

mod certificates;
mod check;
mod chromium;
mod crash;
pub mod damage;
mod errors;
mod fuzz;
mod long_log;
mod print;
mod publish;
mod readme;
mod recording;
mod report;
mod spreadsheets;
mod status;
mod status_formats;
