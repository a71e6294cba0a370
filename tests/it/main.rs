//! The integration tests: one binary, one module per area, one helper.

mod support;

mod asof;
mod calendar;
mod certificates;
mod check;
mod chromium;
mod completions;
mod conflicts;
mod crash;
pub mod damage;
mod errors;
mod everyday;
mod exit_codes;
mod fuzz;
mod hostile;
mod hours_property;
mod init;
mod long_log;
mod makeups;
mod man;
mod print;
mod publish;
mod readme;
mod recording;
mod report;
mod reports;
mod scripts;
mod sharing;
mod sheets;
mod site;
mod spreadsheets;
mod stats;
mod status;
mod status_dates;
mod status_formats;
mod suggestions;
