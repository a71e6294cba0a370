//! The integration tests: one binary, one module per area, one helper.

mod support;

mod check;
mod damage;
mod fuzz;
mod readme;
mod report;
mod status_formats;
