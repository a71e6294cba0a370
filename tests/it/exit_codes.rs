//! Every command's failure paths, one table: the same kind of failure gives
//! the same exit code everywhere (docs/exit-codes.md), and a refused command
//! changes no file.

use clap::CommandFactory;

use crate::support::DataRoot;

const USAGE: i32 = 2;
const DATA: i32 = 1;

/// The data root a case runs in.
#[derive(Debug, Clone, Copy)]
enum Setup {
    /// The shipped example, as it is.
    Example,
    /// The example with certificates issued.
    Issued,
    /// The example with an error in an attendance log of 2024-fall.
    BadAttendance,
    /// The example with an error in curriculum.toml.
    BadCurriculum,
    /// The example with a register whose header is wrong.
    BadRegister,
}

fn build(setup: Setup) -> DataRoot {
    let root = DataRoot::example();
    match setup {
        Setup::Example => {}
        Setup::Issued => {
            root.ok("issue 2024-fall");
        }
        Setup::BadAttendance => {
            root.append(
                "cohorts/2024-fall/attendance/03.csv",
                "p06,presnt,,Rosa Delgado,,\n",
            );
        }
        Setup::BadCurriculum => {
            root.edit(
                "curriculum.toml",
                "session_minutes = 120",
                "session_minutes = \"two hours\"",
            );
        }
        Setup::BadRegister => {
            root.write("certificates.csv", "numero,cohort\nX,2024-fall\n");
        }
    }
    root.write("roster-bad-header.csv", "who,what\nq1,Someone\n");
    root.write("roster-bad-row.csv", "id,name\nP 3,Someone\n");
    root.write("roster-bad-utf8.csv", b"id,name\np19,Jos\xe9\n".as_slice());
    root
}

/// The first issued certificate number, with one payload character changed
/// (so its check character no longer fits).
fn mistyped(root: &DataRoot) -> String {
    let mut bytes = issued_number(root).into_bytes();
    bytes[5] = if bytes[5] == b'0' { b'1' } else { b'0' };
    String::from_utf8(bytes).unwrap()
}

fn issued_number(root: &DataRoot) -> String {
    root.rows("certificates.csv")[1][0].clone()
}

/// A well-formed number that is not in the register (check character fits).
fn unknown() -> String {
    let check = cohort::certnum::check_char(b"00000000") as char;
    format!("PSCE-0000-0000-{check}")
}

const UNKNOWN: &str = "{UNKNOWN}";

/// The command path, as `cohort help` names it ("practicum log"), the
/// setup, the arguments, the exit code, and part of what stderr (or, for
/// verify's answers, stdout) must say.
type Case = (
    &'static str,
    Setup,
    &'static [&'static str],
    i32,
    &'static str,
);

use Setup::*;

/// `{MISTYPED}` and `{ISSUED}` in args are replaced by a number of the
/// register, `{UNKNOWN}` by a well-formed number nobody holds.
#[rustfmt::skip]
const CASES: &[Case] = &[
    // Global.
    ("check", Example, &["check", "--bogus"], USAGE, "unexpected argument '--bogus'"),
    ("check", Example, &["--root", "no-such-folder", "check"], USAGE, "no-such-folder"),
    // check
    ("check", Example, &["check", "2024-flal"], USAGE, "did you mean 2024-fall?"),
    ("check", Example, &["check", "--format", "xml"], USAGE, "invalid value 'xml'"),
    ("check", BadAttendance, &["check"], DATA, "03.csv:20: error:"),
    ("check", BadCurriculum, &["check"], DATA, "curriculum.toml"),
    ("check", BadRegister, &["check"], DATA, "certificates.csv:1: error:"),
    // report
    ("report", Example, &["report"], USAGE, "name a cohort, or give --all"),
    ("report", Example, &["report", "2024-flal"], USAGE, "did you mean 2024-fall?"),
    ("report", Example, &["report", "2024-fall", "--as-of", "2024-13-01"], USAGE, "not a date"),
    ("report", Example, &["report", "2024-fall", "--participant", "p99"], USAGE, "no participant \"p99\""),
    ("report", Example, &["report", "2024-fall", "--all"], USAGE, "not both"),
    ("report", BadAttendance, &["report", "2024-fall"], DATA, "refusing to go on"),
    ("report", BadCurriculum, &["report", "2024-fall"], DATA, "refusing to go on"),
    // status
    ("status", Example, &["status", "2024-flal"], USAGE, "did you mean 2024-fall?"),
    ("status", BadAttendance, &["status", "2024-fall"], DATA, "refusing to go on"),
    ("status", BadCurriculum, &["status", "2024-fall"], DATA, "refusing to go on"),
    // new
    ("new", Example, &["new", "Winter 25", "--start", "2025-01-14", "--days", "tue"], USAGE, "is not a cohort id"),
    ("new", Example, &["new", "2024-fall", "--start", "2025-01-14", "--days", "tue"], USAGE, "already exists"),
    ("new", Example, &["new", "2025-winter", "--start", "2025-02-30", "--days", "tue"], USAGE, "2025-02-30"),
    ("new", BadCurriculum, &["new", "2025-winter", "--start", "2025-01-14", "--days", "tue"], DATA, "refusing to go on"),
    // enroll
    ("enroll", Example, &["enroll", "2024-fall", "--id", "p03", "--name", "X"], USAGE, "already enrolled"),
    ("enroll", Example, &["enroll", "2024-fall", "--id", "P 3", "--name", "X"], USAGE, "is not valid"),
    ("enroll", Example, &["enroll", "2024-fall", "--from", "no-such-roster.csv"], USAGE, "cannot read the roster"),
    ("enroll", Example, &["enroll", "2024-fall", "--from", "roster-bad-header.csv"], DATA, "the first line must name the columns"),
    ("enroll", Example, &["enroll", "2024-fall", "--from", "roster-bad-row.csv"], DATA, "is not valid"),
    ("enroll", Example, &["enroll", "2024-fall", "--from", "roster-bad-utf8.csv"], DATA, "not UTF-8"),
    ("enroll", BadCurriculum, &["enroll", "2024-fall", "--id", "p19", "--name", "X"], DATA, "refusing to go on"),
    // attend
    ("attend", Example, &["attend", "2024-fall", "99", "--present", "p01"], USAGE, "there is no webinar 99"),
    ("attend", Example, &["attend", "2024-fall", "3", "--present", "p99"], USAGE, "p99"),
    ("attend", Example, &["attend", "2024-fall", "3", "--partial", "p05"], USAGE, "needs the minutes"),
    ("attend", Example, &["attend", "2024-fall", "3"], USAGE, "say who attended webinar 3"),
    ("attend", Example, &["attend", "2024-fall", "3", "--from-zoom", "no-such-report.csv"], USAGE, "no-such-report.csv"),
    ("attend", BadAttendance, &["attend", "2024-fall", "3", "--present", "p01"], DATA, "03.csv:20: error:"),
    // evaluate
    ("evaluate", Example, &["evaluate", "2024-fall", "p99", "--participation", "full", "--by", "X"], USAGE, "no participant \"p99\""),
    ("evaluate", Example, &["evaluate", "2024-fall", "p11", "--participation", "most", "--by", "X"], USAGE, "invalid value 'most'"),
    ("evaluate", BadCurriculum, &["evaluate", "2024-fall", "p11", "--participation", "full", "--by", "X"], DATA, "refusing to go on"),
    // practicum log
    ("practicum log", Example, &["practicum", "log", "2024-fall", "p99", "--date", "2025-01-10", "--hours", "2", "--monitor", "M"], USAGE, "no participant \"p99\""),
    ("practicum log", Example, &["practicum", "log", "2024-fall", "p01", "--date", "2025-01-10", "--hours", "two", "--monitor", "M"], USAGE, "two"),
    ("practicum log", BadCurriculum, &["practicum", "log", "2024-fall", "p01", "--date", "2025-01-10", "--hours", "2", "--monitor", "M"], DATA, "refusing to go on"),
    // practicum result
    ("practicum result", Example, &["practicum", "result", "2024-fall", "p01", "maybe", "--by", "X"], USAGE, "invalid value 'maybe'"),
    ("practicum result", Example, &["practicum", "result", "2024-fall", "p99", "pass", "--by", "X"], USAGE, "no participant \"p99\""),
    ("practicum result", BadCurriculum, &["practicum", "result", "2024-fall", "p01", "pass", "--by", "X"], DATA, "refusing to go on"),
    // withdraw
    ("withdraw", Example, &["withdraw", "2024-fall", "p99", "--date", "2024-10-01"], USAGE, "no participant \"p99\""),
    ("withdraw", Example, &["withdraw", "2024-fall", "p01", "--date", "yesterday"], USAGE, "not a date"),
    ("withdraw", BadCurriculum, &["withdraw", "2024-fall", "p01", "--date", "2024-10-01"], DATA, "refusing to go on"),
    // issue
    ("issue", Example, &["issue"], USAGE, "name a cohort, or give --all"),
    ("issue", Example, &["issue", "2024-flal"], USAGE, "did you mean 2024-fall?"),
    ("issue", BadAttendance, &["issue", "2024-fall"], DATA, "refusing to go on"),
    ("issue", BadRegister, &["issue", "2024-fall"], DATA, "certificates.csv:1: error:"),
    // export
    ("export", Example, &["export"], USAGE, "name a cohort, or give --all"),
    ("export", Example, &["export", "2024-fall", "--level", "Level 9"], USAGE, "Level 9"),
    ("export", BadAttendance, &["export", "2024-fall"], DATA, "refusing to go on"),
    ("export", BadRegister, &["export", "2024-fall"], DATA, "certificates.csv:1: error:"),
    // verify: the answer "not valid" is 1; a number that cannot be one as typed is 2.
    ("verify", Issued, &["verify", "{MISTYPED}"], USAGE, "check character does not fit"),
    ("verify", Issued, &["verify", "PSCE-7K3M-9X2Q"], USAGE, "too short"),
    ("verify", Issued, &["verify", UNKNOWN], DATA, "no certificate was issued with this number"),
    ("verify", BadRegister, &["verify", UNKNOWN], DATA, "certificates.csv:1: error:"),
    ("verify", BadCurriculum, &["verify", UNKNOWN], DATA, "refusing to go on"),
    // revoke: the same kinds as verify, the same codes.
    ("revoke", Issued, &["revoke", "{MISTYPED}", "--reason", "x", "--yes"], USAGE, "check character does not fit"),
    ("revoke", Issued, &["revoke", "PSCE-7K3M-9X2Q", "--reason", "x", "--yes"], USAGE, "too short"),
    ("revoke", Issued, &["revoke", UNKNOWN, "--reason", "x", "--yes"], DATA, "is not in the register"),
    ("revoke", Issued, &["revoke", "{ISSUED}", "--reason", " ", "--yes"], USAGE, "--reason is empty"),
    ("revoke", Issued, &["revoke", "{ISSUED}", "--reason", "x"], USAGE, "add --yes"),
    ("revoke", BadRegister, &["revoke", UNKNOWN, "--reason", "x", "--yes"], DATA, "certificates.csv:1: error:"),
    // completions, man
    ("completions", Example, &["completions", "tcsh"], USAGE, "invalid value 'tcsh'"),
    ("man", Example, &["man", "--bogus"], USAGE, "unexpected argument '--bogus'"),
    ("man", Example, &["man", "--out", "curriculum.toml"], DATA, "cannot create curriculum.toml"),
    // makeups
    ("makeups", Example, &["makeups", "2024-flal"], USAGE, "did you mean 2024-fall?"),
    ("makeups", Example, &["makeups"], USAGE, "name a cohort, or give --all"),
    ("makeups", BadCurriculum, &["makeups", "2024-fall"], DATA, "refusing to go on"),
    // calendar
    ("calendar", Example, &["calendar", "2024-flal"], USAGE, "did you mean 2024-fall?"),
    ("calendar", BadCurriculum, &["calendar", "2024-fall"], DATA, "refusing to go on"),
    // site
    ("site", Example, &["site"], USAGE, "<DIR>"),
    ("site", BadCurriculum, &["site", "public"], DATA, "refusing to go on"),
    // stats
    ("stats", Example, &["stats", "2024-flal"], USAGE, "did you mean 2024-fall?"),
    ("stats", Example, &["stats", "--by", "month"], USAGE, "invalid value 'month'"),
    ("stats", BadCurriculum, &["stats"], DATA, "refusing to go on"),
    // sync
    ("sync", Example, &["sync", "--bogus"], USAGE, "unexpected argument '--bogus'"),
    ("sync", Example, &["sync"], DATA, "the data root is not in a git repository"),
    // print
    ("print", Example, &["print", "2024-flal", "--out", "pdf"], USAGE, "did you mean 2024-fall?"),
    ("print", Example, &["print", "2024-fall"], USAGE, "--out <DIR>"),
    ("print", BadCurriculum, &["print", "2024-fall", "--out", "pdf"], DATA, "refusing to go on"),
    // publish
    ("publish", Example, &["publish"], USAGE, "<DIR>"),
    ("publish", Example, &["publish", "curriculum.toml"], DATA, "it is not a folder"),
    // init
    ("init", Example, &["init", "."], USAGE, "already holds a curriculum.toml"),
    ("init", Example, &["init", "curriculum.toml"], USAGE, "is a file, not a folder"),
    ("init", Example, &["init", "curriculum.toml/sub"], DATA, "cannot create curriculum.toml/sub"),
    // alias
    ("alias", Example, &["alias", "2024-fall", "p99", "Someone Else"], USAGE, "no participant \"p99\""),
    ("alias", BadCurriculum, &["alias", "2024-fall", "p01", "Zoe M"], DATA, "refusing to go on"),
    // unenroll
    ("unenroll", Example, &["unenroll", "2024-fall", "p01"], USAGE, "has records"),
    ("unenroll", BadCurriculum, &["unenroll", "2024-fall", "p01"], DATA, "refusing to go on"),
    // practicum correct
    ("practicum correct", Example, &["practicum", "correct", "2024-fall", "p01", "--date", "2020-01-01", "--hours", "1", "--monitor", "X", "--reason", "typo"], USAGE, "a reversing row may cancel only hours logged before it"),
    ("practicum correct", BadCurriculum, &["practicum", "correct", "2024-fall", "p01", "--date", "2025-01-10", "--hours", "1", "--monitor", "X", "--reason", "typo"], DATA, "refusing to go on"),
];

/// Every command and subcommand, as `cohort help` lists them.
fn every_command() -> Vec<String> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let path = format!("{prefix}{}", sub.get_name());
            if sub.has_subcommands() {
                walk(sub, &format!("{path} "), out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&cohort::cli::Cli::command(), "", &mut out);
    out
}

#[test]
fn every_command_has_its_failure_paths_in_the_table() {
    let missing: Vec<String> = every_command()
        .into_iter()
        .filter(|c| !CASES.iter().any(|&(command, ..)| command == c))
        .collect();
    assert!(
        missing.is_empty(),
        "commands without failure cases in tests/it/exit_codes.rs: {missing:?}; add rows for them"
    );
    // Every command that reads the data root refuses a broken curriculum with 1.
    for command in every_command() {
        if matches!(command.as_str(), "completions" | "man" | "init") {
            continue;
        }
        let has = |want| {
            CASES
                .iter()
                .any(|&(c, _, _, code, _)| c == command && code == want)
        };
        assert!(
            has(USAGE) && has(DATA),
            "{command}: needs a usage case and a data case"
        );
    }
}

#[test]
fn every_failure_gives_its_documented_code_and_changes_nothing() {
    let mut failures = Vec::new();
    for &(_, setup, args, code, says) in CASES {
        let root = build(setup);
        let (number, typo) = match setup {
            Issued => (issued_number(&root), mistyped(&root)),
            _ => (String::new(), String::new()),
        };
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                a.replace("{MISTYPED}", &typo)
                    .replace("{ISSUED}", &number)
                    .replace("{UNKNOWN}", &unknown())
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let before = root.snapshot();
        let run = root.run(&args);
        let said = run.stderr.contains(says) || run.stdout.contains(says);
        if run.code != code || !said {
            failures.push(format!(
                "`cohort {}` ({setup:?}): exit {} (expected {code}), expected to say {says:?}\n--- stdout\n{}--- stderr\n{}",
                run.args, run.code, run.stdout, run.stderr
            ));
        }
        if root.snapshot() != before {
            failures.push(format!("`cohort {}` changed files", run.args));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
