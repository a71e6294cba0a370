//! The integration tests: one binary, one module per area, one helper.

mod support;

mod certificates;
mod check;
mod report;
