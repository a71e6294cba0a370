//! A temporary data root built from the shipped example or from scratch,
//! and a way to run `cohort` in it and look at everything it did.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod cli;
pub use cli::Cli;

/// The date the tests run on, so that "today" never drifts.
pub const TODAY: &str = "2026-11-22";

/// Files of the example cohort and the register, by their path in a root.
pub const TOML: &str = "cohorts/2024-fall/cohort.toml";
pub const PRACTICUM: &str = "cohorts/2024-fall/practicum.csv";
pub const REGISTER: &str = "certificates.csv";

/// The attendance log of webinar `n` of the example cohort.
pub fn att(n: u32) -> String {
    format!("cohorts/2024-fall/attendance/{n:02}.csv")
}

pub struct DataRoot {
    dir: tempfile::TempDir,
    /// `COHORT_CACHE_DIR` of every run: beside the root, not in it.
    cache: tempfile::TempDir,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl DataRoot {
    /// The shipped curriculum and example cohort 2024-fall.
    pub fn example() -> DataRoot {
        let root = DataRoot::empty();
        for (rel, bytes) in files_below(&repo().join("cohorts/2024-fall")) {
            root.write(&format!("cohorts/2024-fall/{rel}"), bytes);
        }
        root
    }

    /// The shipped curriculum and no cohorts.
    pub fn empty() -> DataRoot {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            repo().join("curriculum.toml"),
            dir.path().join("curriculum.toml"),
        )
        .unwrap();
        DataRoot::at(dir)
    }

    fn at(dir: tempfile::TempDir) -> DataRoot {
        let cache = tempfile::tempdir().unwrap();
        DataRoot { dir, cache }
    }

    /// The folder `cohort` keeps its caches in for this root.
    pub fn cache_dir(&self) -> &Path {
        self.cache.path()
    }

    /// `cohorts` cohorts written by `examples/synth.rs` (seed 1, dated up
    /// to [`TODAY`]), built by `cargo test` with the other targets.
    pub fn generated(cohorts: usize) -> DataRoot {
        let dir = tempfile::tempdir().unwrap();
        let bin = PathBuf::from(env!("CARGO_BIN_EXE_cohort"));
        let synth = bin.parent().unwrap().join("examples/synth");
        if !synth.is_file() {
            let built = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "--example", "synth"])
                .current_dir(repo())
                .status()
                .unwrap();
            assert!(built.success(), "cargo build --example synth failed");
        }
        let status = Command::new(&synth)
            .args(["--cohorts", &cohorts.to_string(), "--today", TODAY])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{} failed", synth.display());
        DataRoot::at(dir)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating folders), replacing what was there.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Appends text to a file.
    pub fn append(&self, rel: &str, text: &str) -> &Self {
        let mut contents = self.read(rel);
        contents.push_str(text);
        self.write(rel, contents)
    }

    /// Replaces the first occurrence of `from` in a file, which must exist.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let contents = self.read(rel);
        assert!(contents.contains(from), "{rel} has no {from:?}");
        self.write(rel, contents.replacen(from, to, 1))
    }

    /// Renames a participant of the example cohort in its cohort.toml:
    /// `name = "FROM"` becomes `name = "TO"`, `TO` written as TOML would
    /// have it between the quotes.
    pub fn rename(&self, from: &str, to: &str) -> &Self {
        self.edit(
            "cohorts/2024-fall/cohort.toml",
            &format!("name = \"{from}\""),
            &format!("name = \"{to}\""),
        )
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }

    /// Every file below the root with its bytes: compare two to prove that
    /// nothing changed.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        files_below(self.dir.path())
    }

    /// `cohort ARGS…` run inside the root, on the test date, without colour.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[], None)
    }

    /// `cohort LINE` with LINE split into words as a POSIX shell would.
    pub fn cohort(&self, line: &str) -> Run {
        self.cohort_with(line, &[], None)
    }

    /// [`DataRoot::run_with`] with the arguments written as one shell line.
    pub fn cohort_with(&self, line: &str, env: &[(&str, &str)], stdin: Option<&str>) -> Run {
        let words = words(line);
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        self.run_with(&args, env, stdin)
    }

    /// Starts `cohort ARGS…` in the background, as [`DataRoot::run`] would
    /// run it; stderr is kept for the caller.
    pub fn spawn<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> std::process::Child {
        self.command(args)
            .stdout(Stdio::null())
            .spawn()
            .expect("cohort runs")
    }

    /// [`DataRoot::spawn`] with the arguments written as one shell line.
    pub fn spawn_line(&self, line: &str) -> std::process::Child {
        self.spawn(&words(line))
    }

    /// `cohort ARGS…` inside the root, on the test date, without colour,
    /// its output kept.
    pub fn command<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Command {
        self.command_of(env!("CARGO_BIN_EXE_cohort"), args)
    }

    /// `PROGRAM ARGS…` in the environment of [`DataRoot::command`].
    pub fn command_of<S: AsRef<std::ffi::OsStr>>(&self, program: &str, args: &[S]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("COHORT_ROOT")
            .env("COHORT_TODAY", TODAY)
            .env("COHORT_USER", "test-runner")
            .env("NO_COLOR", "1")
            .env("COHORT_CACHE_DIR", self.cache.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// As [`DataRoot::run`], with extra environment and standard input.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
        let mut cmd = self.command(args);
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("cohort runs");
        if let Some(input) = stdin {
            use std::io::Write;
            let written = child.stdin.take().unwrap().write_all(input.as_bytes());
            // A command that refuses before it reads its input closes the pipe.
            if let Err(e) = written {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
            }
        }
        Run::of(args.join(" "), child.wait_with_output().unwrap())
    }
}

impl DataRoot {
    /// `cohort check` finds no errors.
    #[track_caller]
    pub fn check_clean(&self) {
        self.run(&["check"]).success().stderr_has(" 0 errors");
    }

    /// `cohort LINE`, which must succeed.
    #[track_caller]
    pub fn ok(&self, line: &str) -> Run {
        let run = self.cohort(line);
        run.success();
        run
    }

    /// What `cohort LINE`, which must succeed, writes to stdout, read as JSON.
    #[track_caller]
    pub fn json(&self, line: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(line).stdout).expect("stdout is JSON")
    }

    /// `cohort LINE`, which must succeed and leave every file byte for byte
    /// as before (a dry run, a report).
    #[track_caller]
    pub fn unchanged(&self, line: &str) -> Run {
        self.cli_line(line).unchanged()
    }

    /// Rows of a CSV file, header included.
    pub fn rows(&self, rel: &str) -> Vec<Vec<String>> {
        csv_rows(&self.read(rel))
    }

    /// Rows of the CSV that `cohort LINE`, which must succeed, writes to
    /// stdout, header included.
    #[track_caller]
    pub fn csv(&self, line: &str) -> Vec<Vec<String>> {
        csv_rows(&self.ok(line).stdout)
    }

    /// `cohort LINE` on a pseudo-terminal made by util-linux `script`
    /// (part of every Debian base system), with `input` typed, in the
    /// environment of [`DataRoot::run`]; the exit code and what the
    /// terminal showed, as it showed it.
    pub fn on_terminal(&self, line: &str, input: &str) -> (i32, String) {
        use std::io::Write;
        let bin = env!("CARGO_BIN_EXE_cohort");
        let mut child = self
            .command_of("script", &["-qec", &format!("'{bin}' {line}"), "/dev/null"])
            .stdin(Stdio::piped())
            .spawn()
            .expect("util-linux `script` runs (apt-get install bsdutils)");
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).unwrap();
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    }
}

/// Rows of CSV text, header included.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// The dates of the sessions of a cohort.toml, as written (YYYY-MM-DD), in
/// the file's order.
pub fn session_dates(toml: &str) -> Vec<String> {
    let doc: toml_edit::DocumentMut = toml.parse().unwrap();
    doc["session"]
        .as_array_of_tables()
        .unwrap()
        .iter()
        .map(|s| match s["date"].as_value().unwrap() {
            toml_edit::Value::Datetime(d) => d.value().to_string(),
            other => other.as_str().unwrap().to_string(),
        })
        .collect()
}

/// Every file below `dir`, by its path relative to `dir` (with `/`), with
/// its bytes.
pub fn files_below(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// What one run of `cohort` did.
#[derive(Debug)]
pub struct Run {
    pub args: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// What `cohort ARGS` gave as `output`.
    pub fn of(args: String, output: std::process::Output) -> Run {
        Run {
            args,
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "`cohort {}` exited {} (expected {expected})\n--- stdout\n{}\n--- stderr\n{}",
            self.args, self.code, self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Self {
        self.code(0)
    }

    /// Exited `code` with `message` in stderr (files not compared: see
    /// [`refused_line`] for that).
    #[track_caller]
    pub fn fails(&self, code: i32, message: &str) -> &Self {
        self.code(code).stderr_has(message)
    }

    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout of `cohort {}` lacks {text:?}:\n{}",
            self.args,
            self.stdout
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr of `cohort {}` lacks {text:?}:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.stderr.contains(text),
            "stderr of `cohort {}` has {text:?}:\n{}",
            self.args,
            self.stderr
        );
        self
    }
}

/// `line` split into words as a POSIX shell would (quotes, backslashes).
pub fn words(line: &str) -> Vec<String> {
    shell_words::split(line).unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

/// [`refused_line`] for each `(line, message)`, every one with exit code
/// `code`.
#[track_caller]
pub fn refused_lines(root: &DataRoot, code: i32, cases: &[(&str, &str)]) {
    for (line, message) in cases {
        refused_line(root, line, code, message);
    }
}

/// Runs `cohort LINE` (split as a shell would), which must be refused
/// with `code` and a message holding `message`, and checks that every file
/// is byte for byte as before.
#[track_caller]
pub fn refused_line(root: &DataRoot, line: &str, code: i32, message: &str) -> Run {
    root.cli_line(line).refused(code, message)
}
