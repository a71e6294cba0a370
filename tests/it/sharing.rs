//! `cohort sync` with a bare repository and clones on disk, and real git.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{DataRoot, Run, TODAY, csv_rows, files_below, words};

/// What `cohort init` writes for sharing (init.rs checks that it does); the
/// tests here write it themselves.
pub(crate) const GITATTRIBUTES: &str = "cohorts/*/attendance/*.csv merge=union\n\
cohorts/*/practicum.csv merge=union\n\
certificates.csv merge=union\n";

/// A bare repository ("the shared folder") seeded with the example data
/// root, and clones of it, one per trainer.
struct Shared {
    dir: tempfile::TempDir,
}

/// `program` in `dir` with git's configuration left out and `name` <`email`>
/// as the author and committer of what it commits.
fn with_git_identity(program: &str, dir: &Path, name: &str, email: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email);
    cmd
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = with_git_identity("git", dir, "Staff", "staff@example.org")
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Shared {
    fn new() -> Shared {
        let dir = tempfile::tempdir().unwrap();
        let bare = dir.path().join("shared.git");
        std::fs::create_dir(&bare).unwrap();
        git(&bare, &["init", "--quiet", "--bare", "-b", "main"]);
        let seed = DataRoot::example();
        seed.write(".gitattributes", GITATTRIBUTES);
        let seed = seed.dir();
        git(seed, &["init", "--quiet", "-b", "main"]);
        git(seed, &["add", "."]);
        git(seed, &["commit", "--quiet", "-m", "the program's records"]);
        git(seed, &["push", "--quiet", bare.to_str().unwrap(), "main"]);
        Shared { dir }
    }

    fn clone(&self, name: &str, trainer: &str) -> Trainer {
        let path = self.dir.path().join(name);
        git(
            self.dir.path(),
            &["clone", "--quiet", "shared.git", path.to_str().unwrap()],
        );
        Trainer {
            dir: path,
            name: trainer.to_string(),
        }
    }
}

struct Trainer {
    dir: PathBuf,
    name: String,
}

impl Trainer {
    /// `cohort LINE` in this trainer's clone, LINE split as a shell would.
    fn cohort(&self, line: &str) -> Run {
        let args = words(line);
        let bin = env!("CARGO_BIN_EXE_cohort");
        let output = with_git_identity(bin, &self.dir, &self.name, "trainer@example.org")
            .args(&args)
            .env_remove("COHORT_ROOT")
            .env("COHORT_TODAY", TODAY)
            .env("COHORT_USER", &self.name)
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        Run::of(args.join(" "), output)
    }

    /// [`Trainer::cohort`], which must succeed.
    #[track_caller]
    fn ok(&self, line: &str) -> Run {
        let run = self.cohort(line);
        run.success();
        run
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// Every file of the data root, `.git` left out.
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        files_below(&self.dir)
            .into_iter()
            .filter(|(rel, _)| !rel.starts_with(".git/"))
            .collect()
    }

    fn lines(&self, rel: &str) -> Vec<String> {
        std::fs::read_to_string(self.path(rel))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

#[test]
fn sync_commits_with_a_message_saying_what_and_tells_what_came_in() {
    let shared = Shared::new();
    let ana = shared.clone("ana", "Ana Trainer");
    let ben = shared.clone("ben", "Ben Trainer");
    ana.ok("attend 2024-fall 17 --absent p11,p13 --present p12");
    ana.ok("sync")
        .stdout_has("committed here:\n  attend 2024-fall webinar 17: 2 absent (Ana Trainer)\n")
        .stdout_has("sent to origin");
    let log = git(&ana.dir, &["log", "-1", "--format=%an|%s"]);
    assert_eq!(
        log.trim(),
        "Ana Trainer|attend 2024-fall webinar 17: 2 absent (Ana Trainer)"
    );
    ben.ok("evaluate 2024-fall p11 --participation full --by 'Ben Trainer' --date 2024-11-20");
    ben.ok("sync")
        .stdout_has("committed here:\n  evaluate 2024-fall: p11\n")
        .stdout_has("came in from the others:\n  Ana Trainer: attend 2024-fall webinar 17: 2 absent (Ana Trainer)\n");
    ana.ok("sync")
        .stdout_has("came in from the others:\n  Ben Trainer: evaluate 2024-fall: p11\n");
    assert_eq!(ana.files(), ben.files());
    // Nothing new: says so.
    ana.ok("sync")
        .stdout_has("nothing to share, and nothing new came in");
}

#[test]
fn sync_refuses_changes_no_command_made_and_changes_nothing() {
    let shared = Shared::new();
    let ana = shared.clone("ana", "Ana Trainer");
    let head = git(&ana.dir, &["rev-parse", "HEAD"]);
    // A log edited in place, and a file cohort does not write.
    let rel = "cohorts/2024-fall/attendance/03.csv";
    let text = std::fs::read_to_string(ana.path(rel)).unwrap();
    std::fs::write(ana.path(rel), text.replacen("p17,absent", "p17,present", 1)).unwrap();
    std::fs::write(ana.path("notes.txt"), "call p04\n").unwrap();
    let before = ana.files();
    ana.cohort("sync").fails(1, "the data root holds changes that no cohort command made; nothing was committed or sent")
        .stderr_has(&format!("{rel} was edited at line"))
        .stderr_has(&format!("git checkout -- {rel}"))
        .stderr_has("notes.txt is not a file cohort writes");
    assert_eq!(before, ana.files());
    assert_eq!(head, git(&ana.dir, &["rev-parse", "HEAD"]));
    // Deleting a log is refused too.
    std::fs::write(ana.path(rel), text).unwrap();
    std::fs::remove_file(ana.path("notes.txt")).unwrap();
    std::fs::remove_file(ana.path("cohorts/2024-fall/practicum.csv")).unwrap();
    ana.cohort("sync")
        .fails(1, "cohorts/2024-fall/practicum.csv was deleted");
}

#[test]
fn sync_refuses_when_the_shared_repository_cannot_be_reached_and_keeps_the_commit() {
    let shared = Shared::new();
    let ana = shared.clone("ana", "Ana Trainer");
    ana.ok("attend 2024-fall 17 --absent p11");
    let move_shared = |from: &str, to: &str| {
        let dir = shared.dir.path();
        std::fs::rename(dir.join(from), dir.join(to)).unwrap();
    };
    move_shared("shared.git", "moved.git");
    ana.cohort("sync")
        .code(1)
        .stdout_has("committed here:")
        .stderr_has("cannot reach the shared repository origin")
        .stderr_has("Your records are committed here and go out at your next sync");
    assert!(git(&ana.dir, &["status", "--porcelain"]).trim().is_empty());
    // Back again: the commit goes out.
    move_shared("moved.git", "shared.git");
    ana.ok("sync").stdout_has("sent to origin");
}

#[test]
fn a_conflict_in_cohort_toml_stops_sync_until_one_version_is_kept() {
    let shared = Shared::new();
    let ana = shared.clone("ana", "Ana Trainer");
    let ben = shared.clone("ben", "Ben Trainer");
    // Two evaluations of one participant: the same lines, two versions.
    ana.ok("evaluate 2024-fall p11 --participation full --recommend --by 'Ana Trainer' --date 2024-11-20");
    ana.ok("sync");
    ben.ok("evaluate 2024-fall p11 --participation partial --by 'Ben Trainer' --date 2024-11-21");
    ben.cohort("sync")
        .code(1)
        .stderr_has("the others changed the same lines as you in cohorts/2024-fall/cohort.toml")
        .stderr_has("nothing was pushed");
    // check names both versions; report refuses.
    ben.cohort("check")
        .fails(1, "cohorts/2024-fall/cohort.toml:")
        .stderr_has("error: a git merge left two versions here")
        .stderr_has("recommend = true");
    ben.cohort("report 2024-fall").code(1);
    // Sync again without fixing: refused, still nothing pushed.
    ben.cohort("sync").fails(1, "still hold both versions");
    // Keep the other machine's version, as the message says.
    git(
        &ben.dir,
        &["checkout", "--theirs", "cohorts/2024-fall/cohort.toml"],
    );
    ben.ok("check");
    ben.ok("sync")
        .stdout_has("finished the merge of the last sync")
        .stdout_has("sent to origin");
    ana.ok("sync");
    assert_eq!(ana.files(), ben.files());
}

/// A small reproducible random source.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn three_trainers_record_at_random_and_sync_and_end_up_with_one_record() {
    let shared = Shared::new();
    let names = ["Ana Trainer", "Ben Trainer", "Cleo Trainer"];
    let trainers: Vec<Trainer> = names
        .iter()
        .enumerate()
        .map(|(i, n)| shared.clone(&format!("t{i}"), n))
        .collect();
    let logs = |t: &Trainer| -> BTreeMap<String, Vec<String>> {
        t.files()
            .keys()
            .filter(|rel| rel.ends_with(".csv"))
            .map(|rel| (rel.clone(), t.lines(rel)))
            .collect()
    };
    let mut rng = Lcg(20241001);
    // Each command as given, with the trainer who gave it.
    let mut done: Vec<(usize, String)> = Vec::new();
    // Every row each trainer's commands appended, by file.
    let mut written: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for _round in 0..2 {
        for (t, trainer) in trainers.iter().enumerate() {
            for _ in 0..(2 + rng.below(3)) {
                // Few people and webinars, so that trainers often record the same.
                let p = format!("p{:02}", 11 + rng.below(4)); // p11..p14
                let line = match (t, rng.below(5)) {
                    // Enrolment and evaluation by one trainer each: two
                    // machines editing cohort.toml at once is the conflict
                    // tested above.
                    (0, 0) => format!(
                        "enroll 2024-fall --id n{0} --name 'New Person {0}'",
                        done.len()
                    ),
                    (1, 0) => format!(
                        "evaluate 2024-fall {p} --participation full --recommend --by '{}' --date 2024-11-20",
                        names[1]
                    ),
                    (_, 1) => format!(
                        "practicum log 2024-fall {p} --date 2025-0{}-1{} --hours {}.5 --monitor 'Grace Okafor'",
                        3 + rng.below(6),
                        rng.below(10),
                        1 + rng.below(4)
                    ),
                    (_, 2) if rng.below(2) == 0 => "issue 2024-fall".to_string(),
                    _ => format!(
                        "attend 2024-fall {} --{} {p}",
                        15 + rng.below(2),
                        ["present", "absent", "excused"][rng.below(3) as usize]
                    ),
                };
                let before = logs(trainer);
                let run = trainer.cohort(&line);
                assert!(run.code == 0, "{} `{}`: {}", names[t], run.args, run.stderr);
                for (rel, lines) in logs(trainer) {
                    let old = before.get(&rel).map_or(0, Vec::len);
                    let start = if old == 0 { 1 } else { old };
                    written
                        .entry(rel)
                        .or_default()
                        .extend(lines[start.min(lines.len())..].iter().cloned());
                }
                done.push((t, line));
            }
        }
        // Everyone syncs, in a random order; a refusal is met as its message says.
        let mut order: Vec<usize> = (0..3).collect();
        for i in (1..3).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        for &t in &order {
            sync_until_done(&trainers[t], &mut written);
        }
    }
    for _ in 0..2 {
        for t in &trainers {
            sync_until_done(t, &mut written);
        }
    }
    // Every clone identical.
    let files = trainers[0].files();
    for t in &trainers[1..] {
        assert!(
            files == t.files(),
            "{} differs from {}",
            t.name,
            trainers[0].name
        );
    }
    // No row lost: every row written is there, as often as it was written.
    for (rel, rows) in &written {
        let now = trainers[0].lines(rel);
        let mut count: BTreeMap<&String, usize> = BTreeMap::new();
        for row in rows {
            *count.entry(row).or_default() += 1;
        }
        for (row, n) in count {
            let have = now.iter().filter(|l| *l == row).count();
            assert!(have >= n, "{rel}: {row:?} written {n} times, {have} there");
        }
    }
    // check is clean, or names the conflicts: an overlapping recording is a
    // warning, nothing is an error.
    let check = trainers[0].ok("check");
    let overlapping: Vec<String> = check
        .stderr
        .lines()
        .filter(|l| l.contains("recorded differently on two machines"))
        .filter_map(|l| l.split(": warning: ").nth(1))
        .filter_map(|m| m.split_whitespace().next().map(str::to_string))
        .collect();

    // The same commands on one machine, in the order they were given.
    let mut one = shared.clone("one", "one");
    git(
        &one.dir,
        &["reset", "--quiet", "--hard", &first_commit(&one.dir)],
    );
    for (t, line) in &done {
        one.name = names[*t].into();
        one.ok(line);
    }
    let merged = csv_rows(&trainers[0].cohort("report 2024-fall --format csv").stdout);
    let single = csv_rows(&one.cohort("report 2024-fall --format csv").stdout);
    assert_eq!(merged.len(), single.len());
    for (m, s) in merged.iter().zip(&single) {
        if overlapping.contains(&m[1]) {
            continue; // named by check: which row stands is for people to settle
        }
        assert_eq!(
            m, s,
            "outcome of {} differs from the one-machine record",
            m[1]
        );
    }
}

fn first_commit(dir: &Path) -> String {
    git(dir, &["rev-list", "--max-parents=0", "HEAD"])
        .trim()
        .to_string()
}

/// Syncs; when the merged register holds two certificates for one level,
/// revokes the one the message names (an append, written down as such) and
/// syncs again.
fn sync_until_done(t: &Trainer, written: &mut BTreeMap<String, Vec<String>>) {
    for _ in 0..4 {
        let run = t.cohort("sync");
        if run.code == 0 {
            return;
        }
        let fixes: Vec<String> = run
            .stderr
            .lines()
            .filter_map(|l| {
                l.split("help: keep the first and revoke the later one: cohort revoke ")
                    .nth(1)
            })
            .filter_map(|rest| rest.split_whitespace().next().map(str::to_string))
            .collect();
        assert!(
            !fixes.is_empty(),
            "{}: sync refused without a fix:\n{}\n{}",
            t.name,
            run.stdout,
            run.stderr
        );
        for number in fixes {
            let before = t.lines("certificates.csv").len();
            t.ok(&format!("revoke {number} --reason 'issued twice' --yes"));
            let after = t.lines("certificates.csv");
            written
                .entry("certificates.csv".into())
                .or_default()
                .extend(after[before..].iter().cloned());
        }
    }
    panic!("{} could not sync", t.name);
}

#[test]
fn one_person_marked_differently_on_two_machines_is_named_until_settled() {
    let shared = Shared::new();
    let ana = shared.clone("ana", "Ana Trainer");
    let ben = shared.clone("ben", "Ben Trainer");
    ana.ok("attend 2024-fall 17 --absent p11");
    ana.ok("sync");
    // Ben has not taken in Ana's row when he records his own.
    ben.ok("attend 2024-fall 17 --excused p11");
    // His merge puts his row first and Ana's below it: hers stands, though
    // his was recorded later. sync says so, and so does check.
    ben.ok("sync")
        .stderr_has("p11 was recorded differently on two machines")
        .stderr_has("excused (Ben Trainer,")
        .stderr_has("absent (Ana Trainer,");
    ben.ok("check")
        .stderr_has("cohorts/2024-fall/attendance/17.csv:")
        .stderr_has("stands, being lower in the file")
        .stderr_has("`cohort attend 2024-fall 17 --excused p11`");
    // They agree on excused, and Ben records it again, after both (stamps
    // are to the second: a second later, as it would be).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    ben.ok("attend 2024-fall 17 --excused p11");
    ben.ok("sync");
    ana.ok("sync");
    ana.ok("check").stderr_lacks("recorded differently");
    ana.ok("report 2024-fall --participant p11 --format json")
        .stdout_has("\"standing\": \"missed (excused)\"");
}

#[test]
fn sync_outside_git_or_without_a_shared_repository_says_how_to_set_it_up() {
    let root = DataRoot::example();
    root.cohort("sync")
        .code(1)
        .stderr_has("the data root is not in a git repository; `cohort init` makes one");
    git(root.dir(), &["init", "--quiet", "-b", "main"]);
    let alone = Trainer {
        dir: root.dir().to_path_buf(),
        name: "Ana Trainer".into(),
    };
    alone
        .cohort("sync")
        .code(1)
        .stdout_has("committed here:\n")
        .stdout_has("  set up the program (curriculum.toml)\n")
        .stdout_has("  new cohort 2024-fall: 17 sessions\n")
        .stdout_has("  attend 2024-fall webinar 3: 17 present, 1 absent (Rosa Delgado)\n")
        .stderr_has(
            "no shared repository to sync with; add it once with `git remote add origin URL`",
        );
    assert!(
        git(root.dir(), &["status", "--porcelain"])
            .trim()
            .is_empty()
    );
}
