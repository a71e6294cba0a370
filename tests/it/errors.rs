//! The error catalogue: one fixture per kind of bad input, under
//! `tests/errors/<kind>/`, each a small change to the shipped example made
//! quiet ([`quiet_example`]), so that a fixture's data carries its own
//! problem and nothing else.
//!
//! A fixture folder holds:
//! - `change.txt`: `# ` lines describe the problem and what to do (they go
//!   into docs/errors.md); then directives, each followed by its lines:
//!   `edit PATH` (`- old` lines, then `+ new` lines: the first occurrence of
//!   the old lines, from the start of a line, is replaced), `append PATH` (`+ line` lines; the file is
//!   created if need be), `remove PATH`;
//! - `root/` (optional): files copied byte for byte over the example, for
//!   changes a text format cannot say (Latin-1, UTF-16);
//! - `expected.txt`: the exact stderr of `cohort check`;
//! - `exit-code` (optional): the exit code of `check` when it is not the
//!   usual one (1 with an error, 0 with warnings only);
//! - `check-only` (optional): why `report` does not repeat the fixture's
//!   warnings;
//! - `kinds.txt`: the `kind` of each problem `check --format json` gives,
//!   one per line, in its order (docs/json.md lists the kinds).
//!
//! For every fixture: `check` prints exactly `expected.txt` and exits as
//! expected; `report --all` refuses (exit 1, nothing on stdout) when there
//! are errors and goes on, printing the warnings, when there are none; no
//! file changes. docs/errors.md lists every fixture. Every kind `check`
//! can give has a fixture.
//!
//! Every fixture is run again with the CSV files of its data root saved
//! with CRLF line ends and then with lone CRs: `check` must print the same
//! `expected.txt`, so every error kind is also a CRLF and a CR fixture.
//!
//! `COHORT_BLESS=1 cargo test errors` rewrites every `expected.txt` and
//! docs/errors.md from what the binary prints: read the diff before
//! committing it.

use std::path::{Path, PathBuf};

use crate::support::DataRoot;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/errors")
}

fn bless() -> bool {
    std::env::var_os("COHORT_BLESS").is_some()
}

struct Fixture {
    kind: String,
    dir: PathBuf,
    /// The `# ` lines of change.txt, joined.
    about: String,
}

fn fixtures() -> Vec<Fixture> {
    let mut out: Vec<Fixture> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|dir| {
            let change = std::fs::read_to_string(dir.join("change.txt"))
                .unwrap_or_else(|e| panic!("{}: change.txt: {e}", dir.display()));
            let about = change
                .lines()
                .filter_map(|l| l.strip_prefix("# "))
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                !about.is_empty(),
                "{}: change.txt has no `# ` description",
                dir.display()
            );
            Fixture {
                kind: dir.file_name().unwrap().to_string_lossy().into_owned(),
                dir,
                about,
            }
        })
        .collect();
    out.sort_by(|a, b| a.kind.cmp(&b.kind));
    out
}

/// The rows of the example's practicum log that `check` warns about (they
/// show what does not count): a fixture's base leaves them out.
const WARNED_ROWS: [&str; 5] = [
    "p01,2024-11-05,2,support,Grace Okafor,shadow shift on the day of the last webinar",
    "p01,2024-11-30,1.5,support,,\"drop-in shift, no monitor on site\"",
    "p01,2024-12-17,1:00,supervision,Grace Okafor,monthly supervision meeting",
    "p01,2025-01-10,3,training,Grace Okafor,agency orientation",
    "p06,2025-02-24,1.25,other,Grace Okafor,wrote up session notes",
];

/// The shipped example without a warning: the base of every fixture (no
/// counted hours change, for the rows left out count for nothing).
fn quiet_example() -> DataRoot {
    let root = DataRoot::example();
    let rel = "cohorts/2024-fall/practicum.csv";
    let text = root.read(rel);
    let kept: Vec<&str> = text.lines().filter(|l| !WARNED_ROWS.contains(l)).collect();
    assert_eq!(
        kept.len() + WARNED_ROWS.len(),
        text.lines().count(),
        "{rel} changed"
    );
    root.write(rel, kept.join("\n") + "\n");
    root
}

#[test]
fn the_base_of_the_fixtures_is_quiet() {
    quiet_example()
        .ok("check")
        .stderr_has("0 errors, 0 warnings");
}

/// The quiet example with the fixture's change applied.
fn build(fixture: &Fixture) -> DataRoot {
    let root = quiet_example();
    let change = std::fs::read_to_string(fixture.dir.join("change.txt")).unwrap();
    let mut lines = change.lines().filter(|l| !l.starts_with('#')).peekable();
    while let Some(directive) = lines.next() {
        if directive.trim().is_empty() {
            continue;
        }
        let (verb, path) = directive
            .split_once(' ')
            .unwrap_or_else(|| panic!("{}: bad directive {directive:?}", fixture.kind));
        let mut old = Vec::new();
        let mut new = Vec::new();
        while let Some(line) = lines.next_if(|l| l.starts_with('-') || l.starts_with('+')) {
            let text = line.get(2..).unwrap_or("");
            if line.starts_with('-') {
                old.push(text)
            } else {
                new.push(text)
            }
        }
        match verb {
            "remove" => {
                root.remove(path);
            }
            "edit" => {
                // The old lines match from the start of a line (a comment
                // after them may stay).
                let contents = format!("\n{}", root.read(path));
                let (old, new) = (
                    format!("\n{}", old.join("\n")),
                    format!("\n{}", new.join("\n")),
                );
                assert!(
                    contents.contains(&old),
                    "{}: {path} has no line {old:?}",
                    fixture.kind
                );
                root.write(path, &contents.replacen(&old, &new, 1)[1..]);
            }
            "append" => {
                if !root.path(path).exists() {
                    root.write(path, "");
                }
                root.append(path, &(new.join("\n") + "\n"));
            }
            other => panic!("{}: unknown directive {other:?}", fixture.kind),
        }
    }
    let files = fixture.dir.join("root");
    if files.is_dir() {
        for (rel, bytes) in crate::support::files_below(&files) {
            root.write(&rel, bytes);
        }
    }
    root
}

/// The diagnostics of a check output, one block per problem: the headline
/// and its excerpt and help lines. The closing count is left out.
fn blocks(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with(' ') {
            if let Some(last) = out.last_mut() {
                last.push('\n');
                last.push_str(line);
            }
        } else if line.contains(": error: ")
            || line.contains(": warning: ")
            || line.starts_with("cohort: ")
        {
            out.push(line.to_string());
        }
    }
    out
}

fn headline(block: &str) -> &str {
    block.lines().next().unwrap()
}

/// The fixture's expected.txt ("" when there is none yet).
fn expected(fixture: &Fixture) -> String {
    std::fs::read_to_string(fixture.dir.join("expected.txt")).unwrap_or_default()
}

/// The blocks of `expected` that the quiet example's `baseline` lacks.
fn new_blocks(expected: &str, baseline: &[String]) -> Vec<String> {
    blocks(expected)
        .into_iter()
        .filter(|b| !baseline.contains(b))
        .collect()
}

#[track_caller]
fn assert_no_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} problems:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn expected_code(fixture: &Fixture, expected: &str) -> i32 {
    match std::fs::read_to_string(fixture.dir.join("exit-code")) {
        Ok(code) => code.trim().parse().unwrap(),
        Err(_) => i32::from(expected.contains(": error: ")),
    }
}

#[test]
fn every_fixture_gets_its_message_and_exit_code_and_changes_nothing() {
    let mut failures = Vec::new();
    for fixture in fixtures() {
        let kind = &fixture.kind;
        let root = build(&fixture);
        let before = root.snapshot();
        let check = root.cohort("check");
        if bless() {
            std::fs::write(fixture.dir.join("expected.txt"), &check.stderr).unwrap();
        }
        let expected = expected(&fixture);
        if check.stderr != expected {
            failures.push(format!(
                "{kind}: stderr of `cohort check` differs\n--- expected\n{expected}--- got\n{}",
                check.stderr
            ));
            continue;
        }
        let code = expected_code(&fixture, &expected);
        if check.code != code {
            failures.push(format!(
                "{kind}: `cohort check` exited {} (expected {code})",
                check.code
            ));
        }
        assert!(check.stdout.is_empty(), "{kind}: check printed to stdout");

        let report = root.cohort("report --all --format csv");
        if code == 0 {
            if report.code != 0 || !report.stdout.starts_with("cohort,participant,") {
                failures.push(format!(
                    "{kind}: report did not go on past warnings: exit {}\n{}",
                    report.code, report.stderr
                ));
            }
        } else if report.code != code || !report.stdout.is_empty() {
            failures.push(format!(
                "{kind}: report did not refuse: exit {}, stdout {:?}",
                report.code, report.stdout
            ));
        } else if code == 1 && !report.stderr.contains("refusing to go on") {
            failures.push(format!(
                "{kind}: report refused without saying so:\n{}",
                report.stderr
            ));
        }
        // Report lists the errors check found (and the warnings, when it goes
        // on, unless the fixture has a `check-only` file saying why not).
        let warned = code == 0 && !fixture.dir.join("check-only").exists();
        for block in blocks(&expected)
            .iter()
            .filter(|b| warned || !b.contains(": warning: "))
        {
            if !report.stderr.contains(headline(block)) {
                failures.push(format!(
                    "{kind}: report does not list {:?}:\n{}",
                    headline(block),
                    report.stderr
                ));
            }
        }
        if root.snapshot() != before {
            failures.push(format!("{kind}: a file changed"));
        }
    }
    if bless() {
        std::fs::write(docs_path(), catalogue()).unwrap();
    }
    assert_no_failures(failures);
}

/// The `kind` of each problem in the output of `check --format json`.
fn kinds_in(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let problems = v["diagnostics"].as_array().unwrap().iter();
    problems
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect()
}

/// The fixture's kinds.txt, one kind per line.
fn expected_kinds(fixture: &Fixture) -> Vec<String> {
    let text = std::fs::read_to_string(fixture.dir.join("kinds.txt")).unwrap_or_default();
    text.lines().map(str::to_string).collect()
}

#[test]
fn every_fixture_gives_its_kinds_in_json() {
    let mut failures = Vec::new();
    for fixture in fixtures() {
        let run = build(&fixture).cohort("check --format json");
        // A refusal (exit 2: no data root) prints no JSON, and has no kind.
        let kinds = match run.code {
            2 => Vec::new(),
            _ => kinds_in(&run.stdout),
        };
        if bless() {
            let text: String = kinds.iter().map(|k| format!("{k}\n")).collect();
            std::fs::write(fixture.dir.join("kinds.txt"), text).unwrap();
        } else if kinds != expected_kinds(&fixture) {
            failures.push(format!("{}: kinds {kinds:?}", fixture.kind));
        }
    }
    assert_no_failures(failures);
}

/// Kinds without a fixture here. No `check` gives the first ten:
/// `print` (its template), `report ID` and the other commands that take a
/// cohort, `enroll --from` and `practicum --from` raise them, and their
/// tests show them. `unreadable` cannot be staged: the tests run as root,
/// who reads every file. The last three a fixture cannot hold (a link, a
/// folder, a 65 MiB file): [`links_folders_and_huge_files_have_their_kinds`].
const NOT_FROM_CHECK: [&str; 15] = [
    "missing-file",
    "unknown-cohort",
    "spreadsheet-error",
    "unnamed-column",
    "already-enrolled",
    "already-logged",
    "number-not-printed",
    "bad-placeholder",
    "out-of-range",
    "bad-color",
    "bad-font",
    "unreadable",
    "symbolic-link",
    "not-a-file",
    "file-too-large",
];

#[test]
fn links_folders_and_huge_files_have_their_kinds() {
    for kind in ["symbolic-link", "not-a-file", "file-too-large"] {
        let root = quiet_example();
        let log = root.path("cohorts/2024-fall/attendance/03.csv");
        std::fs::remove_file(&log).unwrap();
        match kind {
            "symbolic-link" => std::os::unix::fs::symlink(log.with_file_name("02.csv"), &log),
            "not-a-file" => std::fs::create_dir(&log),
            _ => std::fs::File::create(&log).and_then(|file| file.set_len(65 << 20)),
        }
        .unwrap();
        let run = root.cohort("check --format json");
        assert_eq!(kinds_in(&run.code(1).stdout), [kind], "{}", run.stdout);
    }
}

#[test]
fn every_kind_check_can_give_has_a_fixture() {
    use strum::VariantArray;
    let shown: std::collections::BTreeSet<String> =
        fixtures().iter().flat_map(expected_kinds).collect();
    let mut failures = Vec::new();
    for kind in cohort::diag::Kind::VARIANTS.iter().map(|k| k.code()) {
        let exempt = NOT_FROM_CHECK.contains(&kind);
        if exempt == shown.contains(kind) {
            failures.push(if exempt {
                format!("{kind} has a fixture: take it off NOT_FROM_CHECK")
            } else {
                format!("{kind} has no fixture in tests/errors/")
            });
        }
    }
    assert_no_failures(failures);
}

#[test]
fn every_fixture_shows_a_problem_the_example_does_not_have() {
    let baseline = blocks(&quiet_example().cohort("check").stderr);
    for fixture in fixtures() {
        assert!(
            !new_blocks(&expected(&fixture), &baseline).is_empty(),
            "{}: expected.txt shows nothing beyond the example's own warnings",
            fixture.kind
        );
    }
}

/// `bytes` with every line end (LF, CRLF or CR) made `eol`. UTF-16 text
/// is left as it is: its line ends are two bytes.
fn with_line_ends(bytes: &[u8], eol: &[u8]) -> Vec<u8> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(eol);
                i += 1;
            }
            b'\r' | b'\n' => out.extend_from_slice(eol),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// Every fixture again with every CSV file of its data root saved with
/// CRLF line ends (what Excel and Google Sheets write), then with lone CRs
/// (old Mac spreadsheets): `check` prints exactly `expected.txt`, the same
/// line numbers and excerpts, and changes nothing.
#[test]
fn every_fixture_reads_the_same_with_crlf_and_cr_line_ends() {
    let mut failures = Vec::new();
    for (name, eol) in [("CRLF", &b"\r\n"[..]), ("CR", &b"\r"[..])] {
        for fixture in fixtures() {
            let root = build(&fixture);
            let mut converted = 0;
            for (rel, bytes) in root.snapshot() {
                if rel.ends_with(".csv") {
                    let new = with_line_ends(&bytes, eol);
                    if new != bytes {
                        converted += 1;
                        root.write(&rel, new);
                    }
                }
            }
            assert!(converted > 0, "{}: no CSV file to convert", fixture.kind);
            let before = root.snapshot();
            let check = root.cohort("check");
            let expected = expected(&fixture);
            let case = format!("{} with {name} line ends", fixture.kind);
            if check.stderr != expected {
                failures.push(format!(
                    "{case}: stderr of `cohort check` differs\n--- expected\n{expected}--- got\n{}",
                    check.stderr
                ));
            } else if check.code != expected_code(&fixture, &expected) {
                failures.push(format!("{case}: `cohort check` exited {}", check.code));
            }
            if root.snapshot() != before {
                failures.push(format!("{case}: a file changed"));
            }
        }
    }
    assert_no_failures(failures);
}

#[test]
fn line_ends_are_converted_whole() {
    assert_eq!(
        with_line_ends(b"a\nb\r\nc\rd", b"\r\n"),
        b"a\r\nb\r\nc\r\nd"
    );
    assert_eq!(with_line_ends(b"a\r\n\r\nb\n", b"\r"), b"a\r\rb\r");
    assert_eq!(
        with_line_ends(b"\xFF\xFEa\x00\n\x00", b"\r"),
        b"\xFF\xFEa\x00\n\x00"
    );
}

fn docs_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/errors.md")
}

/// docs/errors.md: generated from the fixtures, and checked against them.
fn catalogue() -> String {
    let baseline = blocks(&quiet_example().cohort("check").stderr);
    let mut text = String::from(
        "# Messages and what to do\n\n\
         Every message `cohort` can print about the data files, one section per kind\n\
         of problem. Each section shows what `cohort check` prints for a small\n\
         change to the shipped example (`cohorts/2024-fall`), as of 2026-11-22.\n\
         \n\
         - **error**: the data is wrong. `cohort check` exits 1; `report`, `export`\n\
           and `issue` refuse to run until it is fixed, and nothing is changed.\n\
         - **warning**: probably a slip, but the data can be used. Commands go on.\n\
         \n\
         Every message names the file and line (paths are relative to the data\n\
         root), shows the offending line with the spot underlined, and says what\n\
         would be right after `help:`.\n\
         \n\
         This page is generated from the error catalogue in `tests/errors/` (one\n\
         folder per kind: the change, the exact expected output and the `kind` of\n\
         each problem, listed in docs/json.md); a test fails\n\
         when they disagree. To add a kind, add a folder there and run\n\
         `COHORT_BLESS=1 cargo test errors`. Each fixture is also run with its\n\
         CSV files saved with CRLF line ends and with lone CRs (as Excel on\n\
         Windows and old Mac spreadsheets save them): the messages and line\n\
         numbers are the same.\n",
    );
    let mut section = "";
    for fixture in fixtures() {
        let area = match fixture.kind.split('-').next().unwrap() {
            "curriculum" => "curriculum.toml",
            "cohort" => "cohorts/<id>/cohort.toml",
            "attendance" => "cohorts/<id>/attendance/NN.csv",
            "practicum" => "cohorts/<id>/practicum.csv",
            "certificates" => "certificates.csv",
            "warning" => "Warnings",
            other => panic!(
                "{}: name it curriculum-, cohort-, attendance-, practicum-, certificates- or warning-… (not {other}-)",
                fixture.kind
            ),
        };
        if area != section {
            text += &format!("\n## {area}\n");
            section = area;
        }
        let expected = expected(&fixture);
        let code = expected_code(&fixture, &expected);
        let shown = new_blocks(&expected, &baseline);
        let mut kinds: Vec<String> = expected_kinds(&fixture)
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        kinds.dedup();
        let kinds = if kinds.is_empty() {
            String::new()
        } else {
            format!(" (kind {})", kinds.join(", "))
        };
        text += &format!(
            "\n### {}\n\n{}\n\n`cohort check` exits {code}{kinds}:\n\n```text\n{}\n```\n",
            fixture.kind,
            fixture.about,
            shown.join("\n")
        );
    }
    text
}

#[test]
fn docs_errors_md_lists_every_fixture() {
    if bless() {
        return; // written by the test above, once every expected.txt is
    }
    let generated = catalogue();
    let docs = std::fs::read_to_string(docs_path()).unwrap_or_default();
    for fixture in fixtures() {
        assert!(
            docs.contains(&format!("\n### {}\n", fixture.kind)),
            "docs/errors.md lacks the kind {}",
            fixture.kind
        );
    }
    assert!(
        docs == generated,
        "docs/errors.md is out of date; run COHORT_BLESS=1 cargo test errors"
    );
}
