//! The git command line, run as the trainer's own git set-up has it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The git command line, run at the top of the repository that holds the
/// data root; the time spent in git is counted.
pub struct Git {
    pub top: PathBuf,
    /// The data root relative to `top`, with `/`, ending in `/` (or empty).
    pub prefix: String,
    pub spent: Duration,
}

/// What a failed git run said.
#[derive(Debug)]
pub struct GitFailed {
    pub args: String,
    pub stderr: String,
}

impl std::fmt::Display for GitFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`git {}` failed: {}", self.args, self.stderr.trim())
    }
}

impl std::error::Error for GitFailed {}

fn run_git(dir: &Path, args: &[&str], spent: &mut Duration) -> std::io::Result<Output> {
    let start = Instant::now();
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        // Never wait for a password at a prompt nobody sees; messages in
        // English, so that they can be told apart.
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output();
    *spent += start.elapsed();
    out
}

impl Git {
    /// The repository that holds `root`; `Err` with the fix when there is none
    /// or git is not installed.
    pub fn open(root: &Path) -> Result<Git, String> {
        let mut spent = Duration::ZERO;
        let out = run_git(
            root,
            &["rev-parse", "--show-toplevel", "--show-prefix"],
            &mut spent,
        )
        .map_err(|e| {
            format!(
                "cannot run git ({e}); install git (https://git-scm.com) and run cohort sync again"
            )
        })?;
        if !out.status.success() {
            return Err(
                "the data root is not in a git repository; `cohort init` makes one, or see docs/sharing.md to clone the program's shared repository"
                    .to_string(),
            );
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let top = PathBuf::from(lines.next().unwrap_or("."));
        let prefix = lines.next().unwrap_or("").to_string();
        Ok(Git { top, prefix, spent })
    }

    /// Runs git; its output, or what it said when it failed.
    pub fn run(&mut self, args: &[&str]) -> Result<String, GitFailed> {
        let failed = |stderr: String| GitFailed {
            args: args.join(" "),
            stderr,
        };
        let out = run_git(&self.top, args, &mut self.spent).map_err(|e| failed(e.to_string()))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            let mut said = String::from_utf8_lossy(&out.stderr).into_owned();
            if said.trim().is_empty() {
                said = String::from_utf8_lossy(&out.stdout).into_owned();
            }
            Err(failed(said))
        }
    }

    /// Whether git succeeds, its output ignored.
    pub fn ok(&mut self, args: &[&str]) -> bool {
        self.run(args).is_ok()
    }

    /// A path relative to the data root, as the repository names it.
    pub fn repo_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    /// Every path below the data root that differs from HEAD or is new,
    /// relative to the data root.
    pub fn changed(&mut self) -> Result<Vec<String>, GitFailed> {
        let below = if self.prefix.is_empty() {
            ".".to_string()
        } else {
            self.prefix.clone()
        };
        let out = self.run(&[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            "--",
            &below,
        ])?;
        // Paths in porcelain output are relative to the top, whatever the
        // folder git runs in.
        let mut paths: Vec<String> = out
            .split('\0')
            .filter(|e| e.len() > 3)
            .filter_map(|entry| entry[3..].strip_prefix(self.prefix.as_str()))
            .map(str::to_string)
            .collect();
        paths.sort();
        paths.dedup();
        Ok(paths)
    }

    /// The text of `rel` (relative to the data root) at `rev`, if it is there.
    pub fn show(&mut self, rev: &str, rel: &str) -> Option<String> {
        self.run(&["show", &format!("{rev}:{}", self.repo_path(rel))])
            .ok()
    }
}
