//! `cohort init`, and the README's "Start your own program" run exactly as
//! written: a new user gets from nothing to a recorded first webinar.

use std::path::Path;
use std::process::Command;

use crate::support::{Run, TODAY, csv_rows};

pub(crate) fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The `sh` block of the README's "Start your own program" section.
fn start_block(readme: &str) -> String {
    let start = readme
        .find("## Start your own program")
        .expect("README has a \"Start your own program\" section");
    let section = &readme[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |e| e + 3);
    let section = &section[..end];
    let open = section.find("```sh\n").expect("the section has a sh block") + 6;
    let close = section[open..].find("```").expect("the block is closed");
    section[open..open + close].to_string()
}

/// Runs a shell script in `dir` with the built `cohort` first on PATH.
fn sh(dir: &Path, script: &str) -> Run {
    let output = Command::new("sh")
        .args(["-ec", script])
        .current_dir(dir)
        .env("PATH", path_with_cohort())
        .env_remove("COHORT_ROOT")
        .env("COHORT_TODAY", TODAY)
        .env("COHORT_USER", "Ana Trainer")
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("sh runs");
    Run::of(format!("(in sh) {script}"), output)
}

/// PATH with the built `cohort` first.
pub(crate) fn path_with_cohort() -> String {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cohort")).parent().unwrap();
    let path = std::env::var("PATH").unwrap_or_default();
    format!("{}:{path}", bin_dir.display())
}

#[test]
fn the_readme_takes_a_new_user_from_nothing_to_a_recorded_webinar() {
    let block = start_block(&readme());
    // The section is the one the issue asks for, right after the set-up commands.
    for command in [
        "cohort init",
        "cohort new",
        "cohort enroll",
        "--from",
        "cohort attend",
    ] {
        assert!(block.contains(command), "the README block lacks {command}");
    }
    let readme = readme();
    let setup = readme.find("## Set up").unwrap();
    let after_setup = &readme[setup + 3..];
    assert!(
        after_setup[after_setup.find("\n## ").unwrap()..]
            .starts_with("\n## Start your own program"),
        "\"Start your own program\" comes right after \"Set up\""
    );
    let dir = tempfile::tempdir().unwrap();
    let stdout = sh(dir.path(), &block).success().stdout.clone();
    let root = dir.path().join("my-program");
    assert!(root.join(".git").is_dir(), "git init ran");
    let log = std::fs::read_to_string(root.join("cohorts/2025-winter/attendance/01.csv")).unwrap();
    let rows = csv_rows(&log);
    let got: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("p01", "present", "Ana Trainer"),
            ("p02", "present", "Ana Trainer"),
            ("p03", "absent", "Ana Trainer")
        ]
    );
    // The last command, `cohort status`, shows the grid with p03's absence.
    assert!(
        stdout.contains("2025-winter") && stdout.contains("p03"),
        "{stdout}"
    );
    sh(&root, "cohort check").stderr_has(" 0 errors");
}

#[test]
fn init_writes_the_curriculum_cohorts_and_git_files() {
    let dir = tempfile::tempdir().unwrap();
    sh(
        dir.path(),
        "cohort init new-root --program 'Peer Care Basics' --credential 'Certified Peer Worker' --prefix PCB",
    )
    .success();
    let root = dir.path().join("new-root");
    let curriculum = std::fs::read_to_string(root.join("curriculum.toml")).unwrap();
    assert!(curriculum.contains("name = \"Peer Care Basics\""));
    assert!(curriculum.contains("certificate_prefix = \"PCB\""));
    assert_eq!(
        curriculum.lines().filter(|l| *l == "[[webinar]]").count(),
        17
    );
    assert!(root.join("cohorts").is_dir());
    let attributes = std::fs::read_to_string(root.join(".gitattributes")).unwrap();
    for line in crate::sharing::GITATTRIBUTES.lines() {
        assert!(attributes.lines().any(|l| l == line), "{line}");
    }
    // git itself reads the attributes so.
    let git = sh(
        &root,
        "git check-attr merge cohorts/a/attendance/01.csv cohorts/a/practicum.csv certificates.csv cohorts/a/cohort.toml",
    );
    assert_eq!(
        git.success().stdout,
        "cohorts/a/attendance/01.csv: merge: union\ncohorts/a/practicum.csv: merge: union\ncertificates.csv: merge: union\ncohorts/a/cohort.toml: merge: unspecified\n"
    );
    sh(&root, "cohort report --all --format csv").success();
}

#[test]
fn init_refuses_an_existing_data_root_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("curriculum.toml"), "# mine\n").unwrap();
    sh(dir.path(), "cohort init").code(2).stderr_has(
        "cohort: error: . already holds a curriculum.toml: it is a data root already, and nothing was written",
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["curriculum.toml"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("curriculum.toml")).unwrap(),
        "# mine\n"
    );
    sh(dir.path(), "cohort init other --prefix psce")
        .code(2)
        .stderr_has("--prefix \"psce\" must be 1 to 8 capital letters or digits");
    assert!(!dir.path().join("other").exists());
}

#[test]
fn init_inside_a_git_repository_makes_no_second_one() {
    let dir = tempfile::tempdir().unwrap();
    sh(
        dir.path(),
        "git init -q . && mkdir sub && cohort init sub/program",
    )
    .success()
    .stdout_has("inside a git repository already");
    assert!(!dir.path().join("sub/program/.git").exists());
    assert!(dir.path().join("sub/program/.gitattributes").is_file());
}

#[test]
fn init_without_git_says_so_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // A PATH that has cohort and a shell, but no git.
    let tools = tempfile::tempdir().unwrap();
    let cohort = tools.path().join("cohort");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_cohort"), &cohort).unwrap();
    let out = Command::new(&cohort)
        .args(["init", "p"])
        .current_dir(dir.path())
        .env("PATH", tools.path())
        .output()
        .unwrap();
    Run::of("init p".into(), out)
        .success()
        .stdout_has("git               not installed, so no repository was made");
    assert!(dir.path().join("p/curriculum.toml").is_file());
    assert!(!dir.path().join("p/.git").exists());
}

#[test]
fn init_has_help_with_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let out = sh(dir.path(), "cohort init --help");
    let help = &out.success().stdout;
    assert!(
        help.contains("Examples:") && help.contains("cohort init my-program"),
        "{help}"
    );
    assert!(!dir.path().join("curriculum.toml").exists());
}
