//! `cohort …` written as a sentence, for the recording tests:
//! `root.attend("2024-fall", 3).present("p01").run()`.

use std::process::Command;

use super::{DataRoot, Run};

/// A command line being built; [`Cli::run`] runs it as [`DataRoot::run`] would.
pub struct Cli<'r> {
    root: &'r DataRoot,
    args: Vec<String>,
    env: Vec<(String, Option<String>)>,
}

/// Options that take a value: `.date("2024-10-02")` is `--date 2024-10-02`.
macro_rules! options {
    ($($method:ident => $flag:literal),* $(,)?) => {
        $(pub fn $method(self, value: &str) -> Self { self.opt($flag, value) })*
    };
}

/// Options without a value: `.force()` is `--force`.
macro_rules! switches {
    ($($method:ident => $flag:literal),* $(,)?) => {
        $(pub fn $method(self) -> Self { self.arg($flag) })*
    };
}

impl DataRoot {
    /// `cohort ARGS…`, to go on with.
    pub fn cli<S: AsRef<str>>(&self, args: &[S]) -> Cli<'_> {
        Cli {
            root: self,
            args: args.iter().map(|a| a.as_ref().to_string()).collect(),
            env: Vec::new(),
        }
    }

    /// [`DataRoot::cli`] with the arguments written as one shell line.
    pub fn cli_line(&self, line: &str) -> Cli<'_> {
        self.cli(&super::words(line))
    }

    pub fn attend(&self, cohort: &str, webinar: u32) -> Cli<'_> {
        self.cli(&["attend", cohort, &webinar.to_string()])
    }

    pub fn evaluate(&self, cohort: &str, participant: &str) -> Cli<'_> {
        self.cli(&["evaluate", cohort, participant])
    }

    pub fn withdraw(&self, cohort: &str, participant: &str) -> Cli<'_> {
        self.cli(&["withdraw", cohort, participant])
    }

    pub fn practicum_log(&self, cohort: &str, participant: &str) -> Cli<'_> {
        self.cli(&["practicum", "log", cohort, participant])
    }
}

impl Cli<'_> {
    pub fn arg(mut self, arg: &str) -> Self {
        self.args.push(arg.to_string());
        self
    }

    pub fn opt(self, flag: &str, value: &str) -> Self {
        self.arg(flag).arg(value)
    }

    options! {
        date => "--date", by => "--by", hours => "--hours", monitor => "--monitor",
        kind => "--kind", note => "--note", reason => "--reason", present => "--present",
        absent => "--absent", participation => "--participation", timezone => "--timezone",
    }

    switches! { force => "--force", dry_run => "--dry-run", recommend => "--recommend" }

    /// With `var` set to `value` in the command's environment.
    pub fn env(mut self, var: &str, value: &str) -> Self {
        self.env.push((var.to_string(), Some(value.to_string())));
        self
    }

    /// Without `var` (`COHORT_TODAY`: on the real clock).
    pub fn env_remove(mut self, var: &str) -> Self {
        self.env.push((var.to_string(), None));
        self
    }

    /// On the real clock (no `COHORT_TODAY`), on a machine in time zone `tz`.
    pub fn on_real_clock_in(self, tz: &str) -> Self {
        self.env_remove("COHORT_TODAY").env("TZ", tz)
    }

    pub fn run(self) -> Run {
        let mut cmd: Command = self.root.command(&self.args);
        for (var, value) in &self.env {
            match value {
                Some(v) => cmd.env(var, v),
                None => cmd.env_remove(var),
            };
        }
        Run::of(self.args.join(" "), cmd.output().expect("cohort runs"))
    }

    /// Runs it: it must succeed, every file byte for byte as before (a dry
    /// run, a report).
    #[track_caller]
    pub fn unchanged(self) -> Run {
        let root = self.root;
        let before = root.snapshot();
        let run = self.run();
        run.success();
        assert!(
            root.snapshot() == before,
            "`cohort {}` changed files although it should not",
            run.args
        );
        run
    }

    /// Runs it: it must be refused with `code` and a message holding
    /// `message`, every file byte for byte as before.
    #[track_caller]
    pub fn refused(self, code: i32, message: &str) -> Run {
        let root = self.root;
        let before = root.snapshot();
        let run = self.run();
        run.fails(code, message);
        assert!(
            root.snapshot() == before,
            "`cohort {}` changed files although it was refused",
            run.args
        );
        run
    }
}
