//! Tab completion offers the data root's cohort and participant ids: the
//! binary is asked as a shell asks it (`COMPLETE=bash`), and through real
//! bash with the code `cohort completions bash` prints.

use std::path::Path;
use std::process::Command;

use crate::support::{DataRoot, Run, TODAY, words};

/// What `cohort` offers for the last word of `line` (the words after the
/// program name, split as a shell would), asked the way the bash code asks.
fn offered(dir: &Path, line: &str, env: &[(&str, &str)]) -> Vec<String> {
    let line = words(line);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cohort"));
    cmd.arg("--")
        .arg("cohort")
        .args(&line)
        .current_dir(dir)
        .env_remove("COHORT_ROOT")
        .env("COHORT_TODAY", TODAY)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", line.len().to_string())
        .env("_CLAP_IFS", "\n");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = Run::of(line.join(" "), cmd.output().expect("cohort runs"));
    run.success()
        .stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn ids(from: u32, to: u32) -> Vec<String> {
    (from..=to).map(|n| format!("p{n:02}")).collect()
}

/// The example, and a second cohort 2025-winter with two participants of its own.
fn two_cohorts() -> DataRoot {
    let root = DataRoot::example();
    root.ok("new 2025-winter --start 2025-01-14 --days tue,thu --timezone America/Toronto");
    root.ok("enroll 2025-winter --id w01 --name 'Ada Winter'");
    root.ok("enroll 2025-winter --id w02 --name 'Bo Winter'");
    root
}

#[test]
fn cohort_ids_are_offered_from_the_data_root() {
    let root = two_cohorts();
    let got = offered(root.dir(), "report ''", &[]);
    assert!(got.contains(&"2024-fall".to_string()), "{got:?}");
    assert!(got.contains(&"2025-winter".to_string()), "{got:?}");
    assert_eq!(offered(root.dir(), "status 2025", &[]), ["2025-winter"]);
    assert_eq!(offered(root.dir(), "attend 2024", &[]), ["2024-fall"]);
    // From a folder below the root, as the commands find it.
    std::fs::create_dir_all(root.path("cohorts/2024-fall/notes")).unwrap();
    assert_eq!(
        offered(&root.path("cohorts/2024-fall/notes"), "check 2024", &[]),
        ["2024-fall"]
    );
}

#[test]
fn participant_ids_are_those_of_the_cohort_named() {
    let root = two_cohorts();
    assert_eq!(
        offered(root.dir(), "attend 2024-fall 3 --present p1", &[]),
        ids(10, 18)
    );
    assert_eq!(
        offered(root.dir(), "evaluate 2025-winter ''", &[])
            .into_iter()
            .filter(|w| !w.starts_with('-'))
            .collect::<Vec<_>>(),
        ["w01", "w02"]
    );
    assert_eq!(offered(root.dir(), "withdraw 2024-fall p0", &[]), ids(1, 9));
    assert_eq!(
        offered(root.dir(), "report 2024-fall --participant p18", &[]),
        ["p18"]
    );
    // The last of a comma list, without the ones already given.
    let got = offered(root.dir(), "attend 2024-fall 3 --absent p01,p03,p0", &[]);
    let want: Vec<String> = ids(1, 9)
        .into_iter()
        .filter(|p| p != "p01" && p != "p03")
        .map(|p| format!("p01,p03,{p}"))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn completion_follows_root_and_offers_nothing_outside_a_data_root() {
    let root = two_cohorts();
    let elsewhere = tempfile::tempdir().unwrap();
    assert!(offered(elsewhere.path(), "report 20", &[]).is_empty());
    let dir = root.dir().to_str().unwrap();
    assert_eq!(
        offered(elsewhere.path(), &format!("--root {dir} report 20"), &[]),
        ["2024-fall", "2025-winter"]
    );
    assert_eq!(
        offered(elsewhere.path(), "report 2025", &[("COHORT_ROOT", dir)]),
        ["2025-winter"]
    );
}

#[test]
fn bash_completes_with_the_code_cohort_prints() {
    let root = DataRoot::example();
    // As bash calls the function on TAB after `cohort attend 2024-fall 3 --present p1`.
    let script = r#"
        source <(cohort completions bash)
        COMP_WORDS=(cohort attend 2024-fall 3 --present p1)
        COMP_CWORD=5
        COMP_TYPE=9
        _clap_complete_cohort cohort p1 --present
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let out = Command::new("bash")
        .args(["-c", script])
        .current_dir(root.dir())
        .env("PATH", crate::init::path_with_cohort())
        .env_remove("COHORT_ROOT")
        .output()
        .expect("bash runs");
    let run = Run::of("(in bash) completions".into(), out);
    let got: Vec<String> = run.success().stdout.lines().map(str::to_string).collect();
    assert_eq!(got, ids(10, 18));
}
