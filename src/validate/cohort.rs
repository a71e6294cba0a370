//! Checks of cohort.toml and curriculum.toml over the parsed model.
