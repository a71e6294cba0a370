//! The integration tests: one binary, one module per area, one helper.

mod support;

mod check;
mod recording;
mod report;
