//! `cohort man --out DIR`: a page for every command and subcommand, and
//! every page a page names is written.

use std::collections::BTreeSet;
use std::process::Command;

use clap::CommandFactory;

use crate::support::DataRoot;

/// Every page a roff text names as `cohort…(1)` (roff writes `-` as `\-`,
/// and SEE ALSO sets names in bold).
fn referenced(roff: &str) -> BTreeSet<String> {
    let plain = roff
        .replace("\\-", "-")
        .replace("\\fB", "")
        .replace("\\fR", "");
    let mut found = BTreeSet::new();
    for (at, _) in plain.match_indices("(1)") {
        let before = &plain[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        let name = &before[start..];
        if name.starts_with("cohort") {
            found.insert(format!("{name}.1"));
        }
    }
    found
}

/// `cohort`, `cohort-check`, `cohort-practicum-log`, … (no `help`).
fn every_page() -> BTreeSet<String> {
    fn walk(cmd: &clap::Command, name: &str, out: &mut BTreeSet<String>) {
        out.insert(format!("{name}.1"));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, &format!("{name}-{}", sub.get_name()), out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&cohort::cli::Cli::command(), "cohort", &mut out);
    out
}

#[test]
fn man_out_writes_a_page_per_command_and_every_page_named_exists() {
    let root = DataRoot::empty();
    root.ok("man --out pages/man1").stdout_has(&format!(
        "wrote {} manual pages to pages/man1",
        every_page().len()
    ));
    let dir = root.path("pages/man1");
    let listing = || -> BTreeSet<String> {
        let files = std::fs::read_dir(&dir).unwrap();
        files
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let written = listing();
    assert_eq!(written, every_page());
    assert!(written.contains("cohort-practicum-log.1"));
    assert!(!written.contains("cohort-help.1"));
    let mut named = BTreeSet::new();
    for file in &written {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let refs = referenced(&text);
        if file != "cohort.1" {
            let parent = format!(
                "{}.1",
                file.trim_end_matches(".1").rsplit_once('-').unwrap().0
            );
            assert!(
                refs.contains(&parent),
                "{file} names its parent {parent}: {refs:?}"
            );
            assert!(text.contains(".SH \"SEE ALSO\""), "{file}");
        }
        named.extend(refs);
    }
    let missing: Vec<&String> = named.difference(&written).collect();
    assert!(
        missing.is_empty(),
        "pages named but not written: {missing:?}"
    );
    // The main page names every command's page.
    let main = std::fs::read_to_string(dir.join("cohort.1")).unwrap();
    let main_refs = referenced(&main);
    for page in ["cohort-check.1", "cohort-attend.1", "cohort-practicum.1"] {
        assert!(main_refs.contains(page), "cohort.1 names {page}");
    }
    assert!(!main.contains("cohort\\-help"), "no page for help is named");
    let log = std::fs::read_to_string(dir.join("cohort-practicum-log.1")).unwrap();
    assert!(referenced(&log).contains("cohort-practicum.1"));

    // Every page is valid roff for man(1): groff reads it (UTF-8, through
    // preconv as man-db does) without a warning.
    for file in &written {
        let out = Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.join(file))
            .output()
            .expect("groff runs (apt-get install groff-base)");
        assert!(out.status.success(), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "groff on {file}: {stderr}");
    }

    // Again into the same folder: the pages are replaced, nothing else changes.
    root.cohort("man --out pages/man1").success();
    assert_eq!(listing(), written);
}

#[test]
fn man_on_stdout_is_the_main_page_and_says_how_to_get_the_others() {
    let root = DataRoot::empty();
    let run = root.cohort("man");
    run.success()
        .stdout_has(".TH cohort 1")
        .stdout_has("cohort man \\-\\-out");
    assert!(referenced(&run.stdout).contains("cohort-check.1"));
}

#[test]
fn man_out_into_a_file_is_a_runtime_error() {
    let root = DataRoot::empty();
    root.write("taken", "a file, not a folder");
    root.cohort("man --out taken")
        .fails(1, "cannot create taken");
}
