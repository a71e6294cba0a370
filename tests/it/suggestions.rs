//! Suggestions worked out from the data (ids, time zones), and the
//! practicum commands that catch what staff would not mean.

use crate::support::{DataRoot, PRACTICUM, Run, TOML, refused_line};

/// Runs a command that must be refused with `code`, saying `message`
/// exactly as a line of stderr, and changing no file.
#[track_caller]
fn refused_with(root: &DataRoot, line: &str, code: i32, message: &str) -> Run {
    let run = refused_line(root, line, code, message);
    assert!(
        run.stderr.lines().any(|l| l == message),
        "stderr of `cohort {line}` lacks the line\n{message}\n--- stderr\n{}",
        run.stderr
    );
    run
}

const NEW: &str = "new 2025-winter --start 2025-01-14 --days tue,thu";

fn new_with_timezone(tz: &str) -> String {
    format!("{NEW} --timezone {tz}")
}

#[test]
fn new_refuses_an_abbreviation_with_the_places_that_fit() {
    let root = DataRoot::example();
    let refused = |tz, message| refused_with(&root, &new_with_timezone(tz), 2, message);
    refused(
        "EST",
        "cohort: error: --timezone \"EST\" is an abbreviation, not a place: it does not say when daylight saving time applies; write the IANA name of the place, e.g. America/Toronto, America/New_York, America/Detroit, America/Fort_Wayne, America/Grand_Turk, America/Indianapolis … (22 more)",
    );
    // One that chrono-tz does not know as a zone at all.
    let run = refused(
        "PST",
        "cohort: error: --timezone \"PST\" is an abbreviation, not a place: it does not say when daylight saving time applies; write the IANA name of the place, e.g. America/Vancouver, America/Los_Angeles, America/Ensenada, America/Santa_Isabel, America/Tijuana, Asia/Manila",
    );
    assert!(!run.stderr.contains("America/Toronto"));
}

#[test]
fn new_finds_the_zone_of_a_city_typed_alone() {
    let root = DataRoot::example();
    for (tz, message) in [
        (
            "toronto",
            "cohort: error: --timezone \"toronto\" is a place, not its time zone name; write the IANA name of the place, e.g. America/Toronto",
        ),
        (
            "america/toronto",
            "cohort: error: --timezone \"america/toronto\" is not written as the IANA name is; did you mean \"America/Toronto\"?",
        ),
        (
            "Vancuover",
            "cohort: error: --timezone \"Vancuover\" is not an IANA time zone name; did you mean \"America/Vancouver\"?",
        ),
    ] {
        refused_with(&root, &new_with_timezone(tz), 2, message);
    }
    // The right name is taken as it is.
    root.ok(&new_with_timezone("America/Vancouver"));
    assert!(
        root.read("cohorts/2025-winter/cohort.toml")
            .contains("timezone = \"America/Vancouver\"")
    );
}

#[test]
fn a_cohort_toml_with_est_is_an_error_for_every_command() {
    let root = DataRoot::example();
    root.edit(TOML, "timezone = \"America/Toronto\"", "timezone = \"EST\"");
    root.cohort("check").code(1).stderr_has(
        "cohorts/2024-fall/cohort.toml:8: error: timezone \"EST\" is an abbreviation, not a place",
    );
    // The recording and reading commands refuse it too (the full reader and
    // the quick one agree).
    for line in ["report 2024-fall", "attend 2024-fall 3 --present p01"] {
        refused_line(&root, line, 1, "timezone \"EST\" is an abbreviation");
    }
    // And a new cohort does not take it over as the latest cohort's zone.
    root.cohort(NEW)
        .fails(2, "--timezone \"EST\" is an abbreviation");
}

#[test]
fn enroll_suggests_ids_from_the_cohort() {
    let root = DataRoot::example();
    for (id, message) in [
        (
            "P13",
            "command line: error: id \"P13\" is not valid: use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit; \"p13\" is taken (Kwame Mensah); the next free id is p19",
        ),
        (
            "P19",
            "command line: error: id \"P19\" is not valid: use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit; did you mean \"p19\"?",
        ),
        (
            "' '",
            "command line: error: id is empty; every participant needs an id; the next free id is p19",
        ),
    ] {
        let line = format!("enroll 2024-fall --id {id} --name 'Kim Park'");
        refused_with(&root, &line, 2, message);
    }
    // A roster's own ids are taken too: the next free one comes after them.
    root.write(
        "roster.csv",
        "id,name\np19,Kim Park\np20,Lee Park\n#3,Max Park\n",
    );
    refused_with(
        &root,
        "enroll 2024-fall --from roster.csv",
        1,
        "roster.csv:4: error: id \"#3\" is not valid: use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit; the next free id is p21",
    );
    // A cohort with another pattern gets its own.
    root.ok(NEW);
    root.ok("enroll 2025-winter --id w-001 --name 'Ada Winter'");
    refused_with(
        &root,
        "enroll 2025-winter --id '' --name 'Bo Winter'",
        2,
        "command line: error: id is empty; every participant needs an id; the next free id is w-002",
    );
}

#[test]
fn practicum_pass_below_the_required_hours_needs_force() {
    let root = DataRoot::example();
    // p04: recommended, 32.5 of 50 h counted.
    refused_with(
        &root,
        "practicum result 2024-fall p04 pass --by 'Dana Kowalczyk'",
        2,
        "cohort: error: p04 (Nguyễn Thị Mai) has 32.5 of the 50 h counted, so a pass would not make them Certified; log the missing hours first (`cohort practicum log 2024-fall p04 …`), or give --force to record the pass now",
    );
    // A fail is a result at any number of hours.
    root.ok("practicum result 2024-fall p04 fail --by 'Dana Kowalczyk'")
        .stderr_lacks("warning");
    // --force records the pass, and says what it means.
    root.ok("practicum result 2024-fall p04 pass --by 'Dana Kowalczyk' --force")
        .stdout_has("recorded the practicum result of p04")
        .stderr_has("cohort: warning: p04 has 32.5 of the 50 h counted; they stay Level 1R until the hours are logged");
    root.ok("report 2024-fall --format csv")
        .stdout_has("p04,Nguyễn Thị Mai,17,17,,0,32.5,Level 1R,practicum 32.5 of 50 h\n");
    // With the hours complete, a pass passes without a word: p05 has 52 h.
    root.ok("practicum result 2024-fall p05 pass --by 'Dana Kowalczyk'")
        .stderr_lacks("warning");
}

#[test]
fn practicum_log_warns_for_someone_not_recommended() {
    let root = DataRoot::example();
    // p03: evaluated, not recommended. The hours are logged (they happened).
    let before = root.read(PRACTICUM);
    root.ok("practicum log 2024-fall p03 --date 2025-01-10 --hours 2 --monitor 'Grace Okafor'")
        .stderr_has("cohort: warning: p03 (Siobhán O'Brien) is not recommended for a practicum (evaluated by Rosa Delgado on 2025-01-23); their hours will not lead to Certified. Check the participant id");
    assert_eq!(
        root.read(PRACTICUM).len(),
        before.len() + "p03,2025-01-10,2,support,Grace Okafor,\n".len()
    );
    // p11: no evaluation yet.
    root.ok("practicum log 2024-fall p11 --date 2025-01-10 --hours 2 --monitor 'Grace Okafor' --dry-run")
        .stderr_has("cohort: warning: p11 (Liam Kowalski) has no trainers' evaluation yet; their hours lead to Certified only once they are recommended (`cohort evaluate 2024-fall p11 --recommend …`)");
    // p18: recommended, no warning.
    root.ok("practicum log 2024-fall p18 --date 2025-01-10 --hours 2 --monitor 'Grace Okafor' --dry-run")
    .stderr_lacks("warning");
}

#[test]
fn report_participant_without_a_cohort_names_the_cohort_that_has_them() {
    let root = DataRoot::example();
    let refused = |line, message| refused_with(&root, line, 2, message);
    refused(
        "report --participant p03",
        "cohort: error: --participant needs exactly one cohort; p03 is in 2024-fall: cohort report 2024-fall --participant p03",
    );
    refused(
        "report --participant q77",
        "cohort: error: --participant needs exactly one cohort; no cohort has a participant \"q77\"",
    );
    root.ok(NEW);
    root.ok("enroll 2025-winter --id p03 --name 'Ada Winter'");
    refused(
        "report 2024-fall 2025-winter --participant p03",
        "cohort: error: --participant needs exactly one cohort; p03 is in 2024-fall, 2025-winter; name one of them",
    );
}
