//! `cohort sync`: share this machine's records and take in the others'.
//!
//! Commit what the commands changed (with a message saying what), fetch,
//! merge, check, push; say in plain words what came in. Refuses, with the
//! fix, when the tree holds changes no command made, when the shared
//! repository cannot be reached, and when the merge leaves a conflict.
//! The git work is in [`crate::sharing`].

use std::time::Instant;

use crate::error::Error;
use crate::exit;
use crate::sharing::{self, Change, Git};
use crate::term;

use super::{Ctx, done, out};

/// Share your records with the other trainers, and get theirs (git)
#[derive(Debug, clap::Args)]
#[command(after_help = "\
For trainers who do not use git themselves. In one go, sync:
  1. commits what cohort commands changed here, with a message saying what
     (e.g. \"attend 2024-fall webinar 3: 14 present, 2 absent (Ana Trainer)\");
  2. fetches the shared repository and merges what the others recorded;
  3. runs `cohort check` on the result;
  4. pushes, and says what came in.

It refuses, saying what to do, when a file was changed other than by a \
cohort command (a log edited rather than appended to, a file cohort does \
not write), when the shared repository cannot be reached (your records \
stay committed here and go out at the next sync), and when the merge \
leaves a conflict (fix it as `cohort check` says, then sync again). Set \
up once per program: see docs/sharing.md.

Examples:
  cohort sync                   after recording, and before reporting
  cohort sync --no-push         commit and take in the others' records only")]
pub struct Args {
    /// Commit and merge, but do not push
    #[arg(long)]
    pub no_push: bool,
}

/// How many times a push that lost a race with another trainer's is retried.
const ATTEMPTS: usize = 3;

/// Sync's refusals say `cohort sync:` and what to do (exit 1).
fn refusal(text: &str) -> anyhow::Error {
    Error::Rejected(format!("cohort sync: {text}\n")).into()
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let started = Instant::now();
    let mut git = Git::open(&ctx.root.dir).map_err(|why| refusal(&why))?;
    let code = sync(ctx, args, &mut git)?;
    if std::env::var_os("COHORT_SYNC_TIMING").is_some() {
        let total = started.elapsed();
        term::eprint(&format!(
            "sync: {:.1} ms in all, {:.1} ms in git, {:.1} ms in cohort\n",
            total.as_secs_f64() * 1000.0,
            git.spent.as_secs_f64() * 1000.0,
            total.saturating_sub(git.spent).as_secs_f64() * 1000.0
        ));
    }
    Ok(code)
}

fn sync(ctx: &Ctx, args: &Args, git: &mut Git) -> anyhow::Result<u8> {
    let Ok(branch) = git.run(&["symbolic-ref", "--quiet", "--short", "HEAD"]) else {
        return Err(refusal(
            "this clone is not on a branch (a detached HEAD); `git switch main` (or the program's branch) first",
        ));
    };
    let branch = branch.trim().to_string();
    let mut report = commit_here(ctx, git)?;
    let Some(remote) = remote(git, &branch) else {
        out(&report)?;
        return Err(refusal(
            "committed here, but this data root has no shared repository to sync with; add it once with `git remote add origin URL` (see docs/sharing.md), then sync again",
        ));
    };
    for attempt in 1..=ATTEMPTS {
        let theirs = format!("refs/remotes/{remote}/{branch}");
        take_in(ctx, git, &remote, &theirs, &mut report)?;
        if args.no_push {
            report += "not pushed (--no-push)\n";
            break;
        }
        let ahead = !git.ok(&["rev-parse", "--quiet", "--verify", &theirs])
            || !git
                .run(&["rev-list", "--count", &format!("{theirs}..HEAD")])
                .is_ok_and(|n| n.trim() == "0");
        if !ahead {
            break;
        }
        match git.run(&[
            "push",
            "--quiet",
            "-u",
            &remote,
            &format!("HEAD:refs/heads/{branch}"),
        ]) {
            Ok(_) => {
                report += &format!("sent to {remote}\n");
                break;
            }
            Err(e) if attempt < ATTEMPTS && rejected(&e.stderr) => continue,
            Err(e) => {
                out(&report)?;
                return Err(refusal(&format!(
                    "cannot push to {remote}: {}\nYour records are committed here and go out at your next sync.",
                    e.stderr.trim()
                )));
            }
        }
    }
    if report.is_empty() {
        report = "nothing to share, and nothing new came in\n".to_string();
    }
    done(&report)
}

/// Commits this machine's side: what the commands changed, or the merge an
/// earlier sync left once it is fixed. What it did, for the report.
fn commit_here(ctx: &Ctx, git: &mut Git) -> anyhow::Result<String> {
    if git.ok(&["rev-parse", "--quiet", "--verify", "MERGE_HEAD"]) {
        // An earlier sync's merge stopped on a conflict: finish it once fixed.
        finish_merge(ctx, git)
    } else if git.ok(&["rev-parse", "--quiet", "--verify", "REBASE_HEAD"])
        || ctx.root.dir.join(".git/rebase-merge").exists()
    {
        Err(refusal(
            "a git rebase is in progress; finish it (`git rebase --continue`) or abort it (`git rebase --abort`), then sync again",
        ))
    } else {
        commit_local(ctx, git)
    }
}

/// The shared repository: the branch's remote, else `origin`, else the first.
fn remote(git: &mut Git, branch: &str) -> Option<String> {
    let remotes = git.run(&["remote"]).unwrap_or_default();
    match git.run(&["config", &format!("branch.{branch}.remote")]) {
        Ok(r) if !r.trim().is_empty() => Some(r.trim().to_string()),
        _ if remotes.lines().any(|r| r == "origin") => Some("origin".to_string()),
        _ => remotes.lines().next().map(str::to_string),
    }
}

/// Fetches, says what came in, merges it and checks the result; refuses
/// (after printing `report`) when any of it fails.
fn take_in(
    ctx: &Ctx,
    git: &mut Git,
    remote: &str,
    theirs: &str,
    report: &mut String,
) -> anyhow::Result<()> {
    if let Err(e) = git.run(&["fetch", "--quiet", remote]) {
        out(report)?;
        let url = git.run(&["remote", "get-url", remote]).unwrap_or_default();
        return Err(refusal(&format!(
            "cannot reach the shared repository {remote} ({}): {}\nYour records are committed here and go out at your next sync. Check the network (or that the shared folder is there), then run `cohort sync` again.",
            url.trim(),
            e.stderr.trim()
        )));
    }
    if git.ok(&["rev-parse", "--quiet", "--verify", theirs]) {
        let incoming = git
            .run(&[
                "log",
                "--no-merges",
                "--format=%an: %s",
                &format!("HEAD..{theirs}"),
            ])
            .unwrap_or_default();
        if !incoming.trim().is_empty() {
            *report += "came in from the others:\n";
            for line in incoming.lines().rev() {
                *report += &format!("  {line}\n");
            }
        }
        merge_theirs(git, remote, theirs, report)?;
    }
    let code = check(ctx)?;
    if code != exit::SUCCESS {
        out(report)?;
        return Err(refusal(&format!(
            "the merged records have errors (listed above); nothing was pushed. Fix them as the messages say, then run `cohort sync` again (exit {code})"
        )));
    }
    Ok(())
}

/// Merges the others' branch; refuses, naming the files, on a conflict.
fn merge_theirs(git: &mut Git, remote: &str, theirs: &str, report: &str) -> anyhow::Result<()> {
    let said = format!("cohort sync: take in what came from {remote}");
    let Err(e) = with_identity(git, &["merge", "--no-edit", "--quiet", "-m", &said, theirs]) else {
        return Ok(());
    };
    let conflicted = git
        .run(&["diff", "--name-only", "--diff-filter=U"])
        .unwrap_or_default();
    out(report)?;
    if conflicted.trim().is_empty() {
        return Err(refusal(&format!("the merge failed: {}", e.stderr.trim())));
    }
    let files: Vec<String> = conflicted
        .lines()
        .map(|p| p.strip_prefix(git.prefix.as_str()).unwrap_or(p).to_string())
        .collect();
    Err(refusal(&format!(
        "the others changed the same lines as you in {}; both versions are kept in the file, between <<<<<<< and >>>>>>> lines. Run `cohort check` to see them, keep the right one, then run `cohort sync` again (nothing was pushed)",
        files.join(", ")
    )))
}

/// Someone pushed between our fetch and our push.
fn rejected(stderr: &str) -> bool {
    stderr.contains("rejected")
        || stderr.contains("fetch first")
        || stderr.contains("non-fast-forward")
}

/// Commits what the commands changed, or refuses.
fn commit_local(ctx: &Ctx, git: &mut Git) -> anyhow::Result<String> {
    let paths = git.changed()?;
    if paths.is_empty() {
        return Ok(String::new());
    }
    let mut changes = Vec::new();
    let mut refusals = Vec::new();
    for rel in paths {
        let old = git.show("HEAD", &rel);
        let new = std::fs::read(ctx.root.dir.join(&rel))
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let change = Change { rel, old, new };
        match sharing::judge(&change) {
            Ok(_) => changes.push(change),
            Err(why) => refusals.push(why),
        }
    }
    if !refusals.is_empty() {
        let list: Vec<String> = refusals.iter().map(|r| format!("  - {r}")).collect();
        return Err(refusal(&format!(
            "the data root holds changes that no cohort command made; nothing was committed or sent:\n{}",
            list.join("\n")
        )));
    }
    // Records with errors are not shared: the others would get them too.
    if check(ctx)? != exit::SUCCESS {
        return Err(refusal(
            "your records have errors (listed above); nothing was committed or sent. Fix them as the messages say, then run `cohort sync` again",
        ));
    }
    let parts: Vec<String> = changes.iter().flat_map(sharing::describe).collect();
    let message = sharing::message(&parts);
    let repo_paths: Vec<String> = changes.iter().map(|c| git.repo_path(&c.rel)).collect();
    add(git, &repo_paths)?;
    with_identity(git, &["commit", "--quiet", "-m", &message])?;
    let said: String = parts.iter().map(|part| format!("  {part}\n")).collect();
    Ok(format!("committed here:\n{said}"))
}

/// `git merge` or `git commit`: `args` after `-c user.name=… -c user.email=…`
/// where git has no identity (the name from `COHORT_USER`).
fn with_identity(git: &mut Git, args: &[&str]) -> Result<String, sharing::GitFailed> {
    let mut full: Vec<String> = Vec::new();
    if git.run(&["config", "user.name"]).is_err() {
        let who = super::recording::recorder(None).unwrap_or_default();
        let who = if who.is_empty() { "cohort" } else { &who };
        full.extend(["-c".into(), format!("user.name={who}")]);
    }
    if git.run(&["config", "user.email"]).is_err() {
        full.extend(["-c".into(), "user.email=cohort@localhost".into()]);
    }
    full.extend(args.iter().map(|a| a.to_string()));
    git.run(&full.iter().map(String::as_str).collect::<Vec<_>>())
}

/// `git add` of `paths` (as the repository names them), when there are any.
fn add(git: &mut Git, paths: &[String]) -> Result<(), sharing::GitFailed> {
    if !paths.is_empty() {
        let mut add = vec!["add", "--"];
        add.extend(paths.iter().map(String::as_str));
        git.run(&add)?;
    }
    Ok(())
}

/// Completes a merge an earlier sync left with conflicts, once every
/// conflicted file is free of markers.
fn finish_merge(ctx: &Ctx, git: &mut Git) -> anyhow::Result<String> {
    let conflicted = git.run(&["diff", "--name-only", "--diff-filter=U"])?;
    let mut left = Vec::new();
    let mut files = Vec::new();
    for path in conflicted.lines() {
        let text = std::fs::read_to_string(git.top.join(path)).unwrap_or_default();
        if !crate::conflicts::blocks(&text).is_empty() {
            left.push(path.strip_prefix(git.prefix.as_str()).unwrap_or(path));
        }
        files.push(path.to_string());
    }
    if !left.is_empty() {
        return Err(refusal(&format!(
            "the last sync's merge is not finished: {} still hold both versions (between <<<<<<< and >>>>>>>). `cohort check` shows them; keep the right one, then run `cohort sync` again",
            left.join(", ")
        )));
    }
    if check(ctx)? != exit::SUCCESS {
        return Err(refusal(
            "the merged records have errors (listed above); fix them, then run `cohort sync` again",
        ));
    }
    // Everything else the merge brought is staged already; the files the
    // trainer settled, and what commands changed since, go in with it.
    add(git, &files)?;
    let changed = git.changed()?;
    let paths: Vec<String> = changed.iter().map(|rel| git.repo_path(rel)).collect();
    add(git, &paths)?;
    with_identity(git, &["commit", "--quiet", "--no-edit"])?;
    Ok("finished the merge of the last sync\n".to_string())
}

/// `cohort check` of the whole data root, in a process of its own so that
/// its report reads as usual; only problems that concern sharing and the
/// totals are shown when there are no errors. Gives its exit code.
fn check(ctx: &Ctx) -> anyhow::Result<u8> {
    let exe = std::env::current_exe()?;
    let output = std::process::Command::new(exe)
        .arg("--root")
        .arg(&ctx.root.dir)
        .arg("check")
        .stdin(std::process::Stdio::null())
        .output()?;
    let text = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        let mut shown = String::new();
        let mut keep = false;
        for line in text.lines() {
            if line.contains(": warning: ") {
                keep = line.contains("two machines") || line.contains("merge done twice");
            } else if line.starts_with("checked ") {
                keep = true;
            }
            if keep {
                shown += line;
                shown += "\n";
            }
        }
        term::eprint(&shown);
        Ok(exit::SUCCESS)
    } else {
        term::eprint(&text);
        Ok(output.status.code().map_or(exit::FAILURE, |c| c as u8))
    }
}
