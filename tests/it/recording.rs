//! The recording commands: new, enroll, attend, evaluate, practicum, withdraw.
//! Every refusal is checked for its message, its exit code, and that no file
//! changed.

use std::time::{Duration, Instant};

use crate::support::{
    Cli, DataRoot, PRACTICUM, TOML, att, refused_line, refused_lines, session_dates,
};

// ---------------------------------------------------------------- new

#[test]
fn new_gives_the_example_cohorts_dates_and_passes_check() {
    let root = DataRoot::example();
    root.ok("new 2024-copy --start 2024-09-10 --days tue,thu --timezone America/Toronto --trainer 'Ana Trainer' --name Copy")
    .stdout_has("17 sessions, 2024-09-10 to 2024-11-05");
    let dates = |rel: &str| session_dates(&root.read(rel));
    let new = dates("cohorts/2024-copy/cohort.toml");
    assert_eq!(new.len(), 17);
    assert_eq!(new, dates(TOML));
    let text = root.read("cohorts/2024-copy/cohort.toml");
    assert!(text.starts_with("# Cohort 2024-copy"), "{text}");
    assert!(text.contains("trainers = [\"Ana Trainer\"]"));
    root.check_clean();
}

#[test]
fn new_skips_holidays_and_takes_full_day_names() {
    let root = DataRoot::empty();
    root.ok("new 2025-winter --start 2025-01-13 --days Tuesday,Thursday --skip 2025-01-16 --timezone America/Vancouver --time 18:00-20:00")
    .stdout_has("2025-01-14 to");
    let text = root.read("cohorts/2025-winter/cohort.toml");
    assert!(!text.contains("2025-01-16"));
    assert!(text.contains("date = 2025-01-21"));
    assert!(text.contains("start = \"18:00\""));
    root.check_clean();
}

#[test]
fn new_refuses_an_existing_cohort() {
    let root = DataRoot::example();
    let line = "new 2024-fall --start 2025-01-14 --days tue";
    refused_line(&root, line, 2, "cohort 2024-fall already exists");
}

#[test]
fn new_lists_every_bad_argument() {
    let root = DataRoot::empty();
    let run = refused_line(
        &root,
        "new Bad_Id --start 2025-01-14 --days tue,xyz --time 14:00-12:00 --timezone America/Toronot",
        2,
        "nothing was written (4 problems to fix)",
    );
    run.stderr_has("\"Bad_Id\" is not a cohort id")
        .stderr_has("\"xyz\" is not a weekday")
        .stderr_has("the end must be after the start")
        .stderr_has("did you mean \"America/Toronto\"?");
    refused_lines(
        &root,
        2,
        &[
            (
                "new 2025-winter --start 2025-01-14 --days tue",
                "give --timezone",
            ),
            (
                "new 2025-winter --start 2025-01-14 --days tue --timezone UTC --skip 2025-01-15",
                "--skip 2025-01-15 is a Wednesday, not a session day",
            ),
        ],
    );
}

#[test]
fn new_dry_run_shows_the_file_and_writes_nothing() {
    let root = DataRoot::example();
    root.unchanged("new 2025-winter --start 2025-01-14 --days tue,thu --dry-run")
        .stdout_has("[[session]]")
        .stdout_has("dry run: nothing was written");
}

// ---------------------------------------------------------------- enroll

#[test]
fn enroll_appends_a_participant_keeping_comments() {
    let root = DataRoot::example();
    let before = root.read(TOML);
    root.ok("enroll 2024-fall --id p19 --name 'Noor Haddad-Smith' --email noor@example.org --alias 'Noor H'")
    .stdout_has("enrolled 1 participant in cohort 2024-fall")
    .stdout_has("p19  Noor Haddad-Smith");
    let after = root.read(TOML);
    assert!(
        after.starts_with(&before),
        "the old text must stay as it was"
    );
    assert!(after.ends_with("\n[[participant]]\nid = \"p19\"\nname = \"Noor Haddad-Smith\"\nemail = \"noor@example.org\"\naliases = [\"Noor H\"]\n"), "{}", &after[before.len()..]);
    root.check_clean();
}

#[test]
fn enroll_from_a_roster() {
    let root = DataRoot::example();
    root.write("roster.csv", "\u{feff}ID,Name,Email,Aliases\r\np19,\"Lee, Jordan\",jordan@example.org,Jordan L;jl@example.com\r\np20,Sam Roe,,\r\n");
    root.ok("enroll 2024-fall --from roster.csv")
        .stdout_has("enrolled 2 participants");
    let text = root.read(TOML);
    assert!(text.contains("name = \"Lee, Jordan\"\nemail = \"jordan@example.org\"\naliases = [\"Jordan L\", \"jl@example.com\"]"));
    assert!(text.contains("id = \"p20\"\nname = \"Sam Roe\"\n"));
    root.check_clean();
}

#[test]
fn enroll_lists_every_roster_problem_with_its_line() {
    let root = DataRoot::example();
    root.write("roster.csv", "id,name,email\np19,Ana,ana@example.org\np19,Ben,\np20,,\nP 21,Cy,\np22,Di,not-an-email\np01,Ed,\n");
    let run = root
        .cli_line("enroll 2024-fall --from roster.csv")
        .refused(1, "5 problems in roster.csv; nothing was enrolled");
    run.stderr_has("roster.csv:3: error: id \"p19\" is given twice (also on line 2)")
        .stderr_has("roster.csv:4: error: participant p20: the name is empty")
        .stderr_has("roster.csv:5: error: id \"P 21\" is not valid")
        .stderr_has("roster.csv:6: error: participant p22: email \"not-an-email\" is not an email address")
        .stderr_has("roster.csv:7: error: id \"p01\" is already enrolled in cohort 2024-fall (Zoë Martin-Leclerc)");
}

#[test]
fn enroll_refuses_a_taken_id_and_a_bad_roster_file() {
    let root = DataRoot::example();
    let enroll = |message| refused_line(&root, "enroll 2024-fall --from roster.csv", 1, message);
    root.cli(&["enroll", "2024-fall", "--id", "p03", "--name", "X"])
        .refused(2, "id \"p03\" is already enrolled");
    root.write("roster.csv", b"id,name\np19,Jos\xe9\n".as_slice());
    enroll("roster.csv:2: the roster is not UTF-8 text");
    root.write("roster.csv", "who,what\n");
    enroll("the first line must name the columns id,name");
    root.cli(&["enroll", "2024-flal", "--id", "p19", "--name", "X"])
        .refused(2, "did you mean 2024-fall?");
}

#[test]
fn enroll_dry_run_shows_a_diff() {
    let root = DataRoot::example();
    root.unchanged("enroll 2024-fall --id p19 --name Noor --dry-run")
        .stdout_has("+ [[participant]]")
        .stdout_has("+ id = \"p19\"");
}

// ---------------------------------------------------------------- attend

#[test]
fn attend_records_marks_with_who_and_when() {
    let root = DataRoot::empty();
    root.ok("new c1 --start 2026-11-17 --days tue,thu --timezone UTC");
    for (id, name) in [("a1", "Ann"), ("b2", "Bo"), ("c3", "Cy"), ("d4", "Di")] {
        root.ok(&format!("enroll c1 --id {id} --name {name}"));
    }
    root.ok("attend c1 1 --present 'a1, b2' --partial c3=95 --by 'Ana Trainer'")
        .stdout_has("3 rows written to cohorts/c1/attendance/01.csv")
        .stdout_has("a1: present")
        .stdout_has("c3: partial, 95 min")
        .stdout_has("webinar 1: 2 present, 1 partial; not recorded yet: d4");
    let r = root.rows("cohorts/c1/attendance/01.csv");
    let header = "participant,status,minutes,recorded_by,recorded_at,note";
    assert_eq!(r[0], header.split(',').collect::<Vec<_>>());
    assert_eq!(r[1][..4], ["a1", "present", "", "Ana Trainer"]);
    assert_eq!(r[3][..3], ["c3", "partial", "95"]);
    assert!(
        chrono::DateTime::parse_from_rfc3339(&r[1][4]).is_ok(),
        "{:?}",
        r[1]
    );
    // --rest absent marks those not yet recorded; COHORT_USER records.
    root.ok("attend c1 1 --rest absent")
        .stdout_has("d4: absent")
        .stdout_has("at risk")
        .stdout_has("c3 (webinar 1, 2)");
    let r = root.rows("cohorts/c1/attendance/01.csv");
    assert_eq!(r.len(), 5);
    assert_eq!(r[4][..4], ["d4", "absent", "", "test-runner"]);
    root.check_clean();
}

#[test]
fn attend_appends_a_correction_and_says_what_changed() {
    let root = DataRoot::example();
    let before = root.read(&att(3));
    root.ok("attend 2024-fall 3 --present p17,p01")
        .stdout_has("p17: absent → present")
        .stdout_has("unchanged (already recorded so, nothing written for them): p01")
        .stdout_has("1 row written");
    let after = root.read(&att(3));
    assert!(after.starts_with(&before));
    assert!(after[before.len()..].starts_with("p17,present,,test-runner,"));
    // p17 now misses only webinar 14.
    root.ok("attend 2024-fall 3 --present p17")
        .stdout_has("nothing new to write")
        .stdout_has("p17 (webinar 14)");
    root.check_clean();
}

#[test]
fn attend_records_a_makeup_as_its_own_row() {
    let root = DataRoot::example();
    root.ok("attend 2024-fall 12 --makeup p08 --note 'webinar 12 with 2025-winter on 2025-02-20'")
        .stdout_has("p08: excused → makeup");
    let r = root.rows(&att(12));
    let p08: Vec<_> = r.iter().filter(|row| row[0] == "p08").collect();
    assert_eq!(p08.len(), 2, "the excused row stays");
    assert_eq!(p08[1][1], "makeup");
    assert_eq!(p08[1][5], "webinar 12 with 2025-winter on 2025-02-20");
    // The make-up is not undone by a later mark without --force.
    root.attend("2024-fall", 12)
        .absent("p08")
        .refused(2, "would cancel the make-up");
    root.check_clean();
}

#[test]
fn attend_refusals_leave_every_file_unchanged() {
    let root = DataRoot::example();
    for (args, message) in [
        (
            "3 --present p99",
            "cohort 2024-fall has no participant \"p99\"; did you mean p09?",
        ),
        (
            "3 --present p01 --absent p01",
            "p01 is given two marks: present (--present) and absent (--absent)",
        ),
        ("3 --partial p01", "needs the minutes: write ID=MIN"),
        (
            "3 --partial p01=121",
            "the minutes must be a whole number from 0 to 120",
        ),
        (
            "12 --present p10",
            "p10 withdrew on 2024-10-02, before webinar 12",
        ),
        ("18 --present p01", "there is no webinar 18"),
        (
            "9 --makeup p01 --note x",
            "a make-up is for a missed webinar",
        ),
        ("3", "say who attended webinar 3: --present IDS"),
        (
            "3 --makeup p17",
            "--makeup p17 needs a note saying where and when",
        ),
    ] {
        refused_line(&root, &format!("attend 2024-fall {args}"), 2, message);
    }
    root.attend("2024-flal", 3)
        .present("p01")
        .refused(2, "did you mean 2024-fall?");
}

#[test]
fn attend_refuses_future_sessions_unless_forced() {
    let root = DataRoot::empty();
    root.ok("new later --start 2026-11-20 --days fri --timezone UTC");
    root.ok("enroll later --id a1 --name Ann");
    root.attend("later", 2)
        .present("a1")
        .refused(2, "webinar 2 is on 2026-11-27, after today (2026-11-22)");
    root.ok("attend later 1 --present a1");
    root.ok("attend later 2 --present a1 --force")
        .stdout_has("1 row written");
}

#[test]
fn attend_refuses_when_its_own_log_has_errors_but_not_for_other_files() {
    let root = DataRoot::example();
    root.append(&att(3), "p99,present,,,,\n");
    root.attend("2024-fall", 3)
        .present("p17")
        .refused(1, "unknown participant \"p99\"")
        .stderr_has("refusing to go on");
    let before = root.read(&att(4));
    root.ok("attend 2024-fall 4 --absent p01").stderr_has(
        "another file of cohort 2024-fall has errors (cohorts/2024-fall/attendance/03.csv)",
    );
    assert_ne!(root.read(&att(4)), before);
}

#[test]
fn attend_dry_run_shows_rows_and_writes_nothing() {
    let root = DataRoot::example();
    root.unchanged("attend 2024-fall 3 --absent p01 --dry-run")
        .stdout_has("dry run: nothing was written; cohorts/2024-fall/attendance/03.csv would get 1 row (participant,status,minutes,recorded_by,recorded_at,note")
        .stdout_has("  p01,absent,,test-runner,");
}

const REPORT: &str = "\
Meeting ID,Topic,Start Time,End Time
123 456 789,Peer support webinar 4,09/19/2024 11:50:00 AM,09/19/2024 02:10:00 PM

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Zoë Martin-Leclerc,ZOE.MARTIN-LECLERC@example.org,09/19/2024 11:55:00 AM,09/19/2024 02:05:00 PM,130,No
Jose Ramirez (iPhone),,09/19/2024 12:00:00 PM,09/19/2024 01:00:00 PM,60,Yes
Jose Ramirez (iPhone),,09/19/2024 01:10:00 PM,09/19/2024 02:00:00 PM,50,Yes
Rahim C.,,09/19/2024 12:30:00 PM,09/19/2024 02:00:00 PM,90,Yes
Stranger Person,x@example.net,09/19/2024 12:00:00 PM,09/19/2024 02:00:00 PM,120,Yes
";

#[test]
fn attend_from_a_meeting_report() {
    let root = DataRoot::empty();
    // A fresh copy of the example's people without attendance for webinar 4.
    let example = DataRoot::example();
    root.write(TOML, example.read(TOML));
    root.write("z.csv", REPORT);
    root.ok("attend 2024-fall 4 --from-zoom z.csv --excused p08 --unmatched ignore")
        .stdout_has("p01: present, 120 min")
        .stdout_has("p02: present, 110 min")
        .stdout_has("p09: partial, 90 min")
        .stdout_has("p08: excused")
        .stdout_has("p03: absent")
        .stdout_has("matching nobody")
        .stdout_has("\"Stranger Person\" <x@example.net>, 120 min");
    // p02: 60 + 50 = 110 min, which is at least min_minutes (105).
    let r = root.rows(&att(4));
    let find = |id: &str| r.iter().find(|row| row[0] == id).unwrap().clone();
    assert_eq!(find("p02")[..3], ["p02", "present", "110"]);
    assert_eq!(find("p09")[..3], ["p09", "partial", "90"]);
    assert!(!r.iter().any(|row| row[0] == "p10" && row[1] != "absent"));
    assert_eq!(
        r.len(),
        1 + 18,
        "one row per participant active on 2024-09-19, nothing for strangers"
    );
}

#[test]
fn attend_lists_ambiguous_report_names() {
    let root = DataRoot::example();
    for name in ["Jose Ramirez", "Darnell Brooks"] {
        let aliases = format!("aliases = [\"{name}\"");
        root.edit(
            TOML,
            &format!("{aliases}]"),
            &format!("{aliases}, \"Sam\"]"),
        );
    }
    root.write(
        "z.csv",
        "Name,Join Time,Leave Time\nSam (iPad),2024-09-19 12:00:00,2024-09-19 14:00:00\nLiam Kowalski,2024-09-19 12:00:00,2024-09-19 14:00:00\n",
    );
    root.ok("attend 2024-fall 4 --from-zoom z.csv --dry-run")
        .stdout_has("\"Sam (iPad)\", 120 min: could be p02 or p05");
}

#[test]
fn attend_refuses_a_report_that_is_not_utf8() {
    let root = DataRoot::example();
    root.write(
        "z.csv",
        b"Name,Join Time,Leave Time\nJos\xe9,2024-09-19 12:00:00,2024-09-19 13:00:00\n".as_slice(),
    );
    let attend = |message| refused_line(&root, "attend 2024-fall 4 --from-zoom z.csv", 1, message);
    attend("z.csv:2: error: the report is not UTF-8 text")
        .stderr_has("save it again as \"CSV UTF-8 (Comma delimited)\"");
    root.write("z.csv", "Who,When\nAnn,now\n");
    attend("z.csv:1: error:");
}

/// The checklist, driven through a pseudo-terminal made by util-linux
/// `script` (part of every Debian base system).
#[test]
fn attend_checklist_on_a_terminal() {
    let root = DataRoot::example();
    let before = root.read(&att(3));
    // Switch 3 (p03) and p05 to absent, then Enter, then confirm.
    let (code, stdout) = root.on_terminal("attend 2024-fall 3 --by 'Ana Trainer'", "3 p05\n\ny\n");
    assert_eq!(code, 0, "{stdout}");
    for shown in [
        "who attended?",
        " 3 p03   Siobhán O'Brien",
        "15 count as attended, 3 do not (p03 absent, p05 absent, p17 absent)",
        "write 2 rows to cohorts/2024-fall/attendance/03.csv? [y/N]",
    ] {
        assert!(stdout.contains(shown), "no {shown:?} in\n{stdout}");
    }
    let after = root.read(&att(3));
    let added: Vec<&str> = after[before.len()..].lines().collect();
    assert_eq!(added.len(), 2, "{added:?}");
    assert!(added[0].starts_with("p03,absent,,Ana Trainer,"));
    assert!(added[1].starts_with("p05,absent,,Ana Trainer,"));

    // Declining writes nothing.
    let before = root.snapshot();
    let (_, shown) = root.on_terminal("attend 2024-fall 3", "1\n\nn\n");
    assert!(shown.contains("cancelled; nothing was written"));
    assert!(root.snapshot() == before);
}

// ---------------------------------------------------------------- evaluate

#[test]
fn evaluate_writes_and_replaces_an_evaluation() {
    let root = DataRoot::example();
    root.ok("evaluate 2024-fall p11 --participation full --recommend --by 'Rosa Delgado' --date 2024-11-07")
        .stdout_has("recorded the evaluation of p11 (Liam Kowalski): full participation, recommended for a practicum; by Rosa Delgado on 2024-11-07");
    let text = root.read(TOML);
    assert!(text.contains("[participant.evaluation]\nparticipation = \"full\"\nrecommend = true\nby = \"Rosa Delgado\"\ndate = 2024-11-07\n\n# Evaluated as participating only partially.\n[[participant]]\nid = \"p12\""), "{text}");
    root.ok("evaluate 2024-fall p11 --participation full --by 'Rosa Delgado' --date 2024-11-08")
        .stdout_has("it replaces: full participation, recommended for a practicum; by Rosa Delgado on 2024-11-07");
    root.ok("evaluate 2024-fall p11 --participation full --by 'Rosa Delgado' --date 2024-11-08")
        .stdout_has("unchanged");
    root.ok("report 2024-fall --format csv")
        .stdout_has("p11,Liam Kowalski,17,17,,0,0,Level 1,");
    root.check_clean();
}

#[test]
fn evaluate_refusals() {
    let root = DataRoot::example();
    refused_lines(
        &root,
        2,
        &[
            (
                "evaluate 2024-fall p11 --participation full --by R --date 2024-10-01",
                "before the cohort's last session (2024-11-05)",
            ),
            (
                "evaluate 2024-fall p11 --participation full --by R --date 2027-01-01",
                "is in the future",
            ),
            (
                "evaluate 2024-fall p10 --participation full --by R",
                "p10 withdrew on 2024-10-02",
            ),
            (
                "evaluate 2024-fall p11 --participation partial --recommend --by R",
                "--recommend with --participation partial",
            ),
            (
                "evaluate 2024-fall p1 --participation full --by R",
                "has no participant \"p1\"",
            ),
            (
                "evaluate 2024-fall p11 --participation some --by R",
                "invalid value 'some'",
            ),
        ],
    );
}

#[test]
fn evaluate_dry_run_shows_a_diff() {
    let root = DataRoot::example();
    root.unchanged("evaluate 2024-fall p13 --participation full --recommend --by 'Malik Haddad' --date 2024-11-07 --dry-run")
    .stdout_has("- recommend = false")
    .stdout_has("+ recommend = true");
}

// ---------------------------------------------------------------- practicum

#[test]
fn practicum_log_appends_and_warns_when_hours_will_not_count() {
    let root = DataRoot::example();
    root.ok("practicum log 2024-fall p18 --date 2026-11-20 --hours 1:30 --monitor 'Grace Okafor' --note 'drop-in, evening'")
    .stdout_has("logged 1.5 h of support for p18")
    .stdout_has("p18 now has 1.5 of 50 h counted");
    let r = root.rows(PRACTICUM);
    assert_eq!(
        r.last().unwrap(),
        &[
            "p18",
            "2026-11-20",
            "1:30",
            "support",
            "Grace Okafor",
            "drop-in, evening"
        ]
    );
    root.ok("practicum log 2024-fall p18 --date 2024-11-01 --hours 2 --monitor 'Grace Okafor'")
        .stderr_has(
            "these 2 h will not count: dated on or before the cohort's last session (2024-11-05)",
        );
    root.ok("practicum log 2024-fall p18 --date 2026-11-21 --hours 1 --monitor G --kind training")
        .stderr_has("kind is \"training\"");
    root.check_clean();
}

#[test]
fn practicum_log_refusals() {
    let root = DataRoot::example();
    root.ok("practicum log 2024-fall p18 --date 2026-11-20 --hours 20 --monitor G");
    for (args, message) in [
        (
            "2026-11-20 --hours 4.5 --monitor G",
            "p18 already has 20 h logged on 2026-11-20; 4.5 more would make 24.5 h",
        ),
        (
            "2026-11-24 --hours 1 --monitor G",
            "--date 2026-11-24 is in the future (today is 2026-11-22 in America/Toronto; a day's grace is allowed)",
        ),
        ("2026-11-20 --hours 1,5 --monitor G", "uses a comma"),
        ("2026-11-20 --hours 1 --monitor ' '", "--monitor is empty"),
        (
            "2026-11-20 --hours 1 --monitor G --kind coaching",
            "--kind \"coaching\" is not one of",
        ),
        ("2026-11-20 --hours 1", "--monitor"),
    ] {
        let line = format!("practicum log 2024-fall p18 --date {args}");
        refused_line(&root, &line, 2, message);
    }
}

#[test]
fn practicum_result_writes_and_refuses_without_recommendation() {
    let root = DataRoot::example();
    // p04 has 32.5 of 50 h: a pass needs --force (tests/it/suggestions.rs).
    root.ok("practicum result 2024-fall p04 pass --by 'Dana Kowalczyk' --date 2025-03-01 --force")
        .stdout_has("recorded the practicum result of p04 (Nguyễn Thị Mai): pass; by Dana Kowalczyk on 2025-03-01");
    assert!(root.read(TOML).contains(
        "[participant.practicum]\nresult = \"pass\"\nby = \"Dana Kowalczyk\"\ndate = 2025-03-01\n"
    ));
    root.ok("practicum result 2024-fall p04 fail --by 'Dana Kowalczyk' --date 2025-03-02")
        .stdout_has("it replaces: pass");
    refused_lines(
        &root,
        2,
        &[
            (
                "practicum result 2024-fall p13 pass --by D",
                "p13 is not recommended for a practicum",
            ),
            (
                "practicum result 2024-fall p04 pass --by D --date 2024-11-01",
                "not after the cohort's last session",
            ),
        ],
    );
    root.check_clean();
}

// ---------------------------------------------------------------- withdraw

#[test]
fn withdraw_sets_the_date_and_reason() {
    let root = DataRoot::example();
    root.ok("withdraw 2024-fall p18 --date 2024-10-20 --reason 'moved away'")
        .stdout_has("recorded: p18 (Hannah Goldberg) withdrew on 2024-10-20")
        .stdout_has("note: p18 has attendance recorded after 2024-10-20");
    let text = root.read(TOML);
    assert!(
        text.contains("withdrawn = 2024-10-20\nwithdrawn_reason = \"moved away\"\n"),
        "{text}"
    );
    root.ok("report 2024-fall --format csv")
        .stdout_has("withdrew on 2024-10-20");
    root.ok("withdraw 2024-fall p18 --date 2024-10-20")
        .stdout_has("unchanged");
    root.ok("withdraw 2024-fall p18 --date 2024-10-21")
        .stdout_has("(was 2024-10-20)");
}

#[test]
fn withdraw_refusals() {
    let root = DataRoot::example();
    let p18 = || root.withdraw("2024-fall", "p18");
    p18().date("2026-12-01").refused(2, "is in the future");
    root.withdraw("2024-fall", "p188")
        .date("2024-10-01")
        .refused(2, "did you mean p18?");
    p18()
        .date("2024-10-01")
        .reason(" ")
        .refused(2, "--reason is empty");
    root.edit(TOML, "name = \"Fall 2024\"", "name = 2024");
    p18().date("2024-10-01").refused(1, "refusing to go on");
}

// ---------------------------------------------------------------- help

#[test]
fn every_recording_command_has_help_with_an_example() {
    let root = DataRoot::example();
    for cmd in [
        "new",
        "enroll",
        "attend",
        "evaluate",
        "withdraw",
        "practicum log",
        "practicum result",
        "practicum correct",
        "unenroll",
    ] {
        root.ok(&format!("{cmd} --help"))
            .stdout_has("Examples:")
            .stdout_has("--dry-run");
    }
}

// ---------------------------------------------------------------- safety

#[test]
fn concurrent_appends_lose_nothing() {
    let root = DataRoot::example();
    let ids: Vec<String> = (1..=8).map(|i| format!("p{i:02}")).collect();
    let before = root.rows(&att(5)).len();
    let practicum_before = root.rows(PRACTICUM).len();
    let mut children = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        children.push(root.spawn(&["attend", "2024-fall", "5", "--absent", id]));
        let date = format!("2026-11-{:02}", i + 1);
        children.push(root.spawn_line(&format!(
            "practicum log 2024-fall p18 --date {date} --hours 1.25 --monitor 'Grace Okafor'"
        )));
    }
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let r = root.rows(&att(5));
    assert_eq!(r.len(), before + 8);
    // 05.csv has its own column order; appended rows follow it.
    let col = |name: &str| r[0].iter().position(|h| h == name).unwrap();
    let (c_id, c_status) = (col("participant"), col("status"));
    for id in &ids {
        assert_eq!(
            r.iter()
                .filter(|row| &row[c_id] == id && row[c_status] == "absent")
                .count(),
            1,
            "{id}"
        );
    }
    let p = root.rows(PRACTICUM);
    assert_eq!(p.len(), practicum_before + 8);
    assert!(p.iter().all(|row| row.len() == 6));
    root.check_clean();
}

/// Kill -9 at random moments: a CSV log never holds a torn row and the TOML
/// file is always whole (the old or the new version).
#[test]
fn killed_writes_leave_whole_files() {
    let root = DataRoot::example();
    let evaluate = |rec: &str| {
        format!(
            "evaluate 2024-fall p13 --participation full {rec} --by 'Malik Haddad' --date 2024-11-07"
        )
    };
    let states: Vec<String> = {
        let a = DataRoot::example();
        let mut s = vec![a.read(TOML)];
        for rec in ["--recommend", "--no-recommend"] {
            a.ok(&evaluate(rec));
            s.push(a.read(TOML));
        }
        s
    };
    let deadline = Instant::now() + Duration::from_secs(4);
    let mut round = 0u64;
    let mut seed = std::process::id() as u64;
    while Instant::now() < deadline {
        round += 1;
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let (rec, status) = if round.is_multiple_of(2) {
            ("--recommend", "absent")
        } else {
            ("--no-recommend", "present")
        };
        let mut a = root.spawn(&["attend", "2024-fall", "6", &format!("--{status}"), "p01"]);
        let mut b = root.spawn_line(&evaluate(rec));
        std::thread::sleep(Duration::from_micros((seed >> 33) % 20_000));
        let _ = a.kill();
        let _ = b.kill();
        let _ = a.wait();
        let _ = b.wait();
        let toml = root.read(TOML);
        assert!(
            states.contains(&toml),
            "round {round}: cohort.toml is neither the old nor a new version:\n{toml}"
        );
        let text = root.read(&att(6));
        assert!(
            text.ends_with('\n'),
            "round {round}: torn last row in 06.csv:\n{text}"
        );
        for row in root.rows(&att(6)) {
            assert_eq!(row.len(), 6, "round {round}: torn row {row:?}");
        }
    }
    assert!(round > 5, "only {round} rounds ran");
    root.check_clean();
}

// ---------------------------------------------------------------- time zones

/// "In the future" is judged in the cohort's zone, with a day's grace, not
/// on the machine's clock: on a machine at UTC-11, hours dated today at
/// UTC+14 (the machine's tomorrow) are logged; two days later is refused.
#[test]
fn recording_dates_are_judged_in_the_cohorts_zone() {
    let root = DataRoot::example();
    root.edit(
        TOML,
        "timezone = \"America/Toronto\"",
        "timezone = \"Pacific/Kiritimati\"",
    );
    let there = chrono::Utc::now()
        .with_timezone(&chrono_tz::Pacific::Kiritimati)
        .date_naive();
    let machine = |cli| Cli::on_real_clock_in(cli, "Pacific/Pago_Pago");
    let log = |date| {
        machine(root.practicum_log("2024-fall", "p18"))
            .date(date)
            .hours("1")
            .monitor("G")
    };
    let today_there = there.to_string();
    log(&today_there)
        .run()
        .success()
        .stdout_has("logged 1 h of support for p18");
    machine(root.withdraw("2024-fall", "p18"))
        .date(&today_there)
        .force()
        .dry_run()
        .run()
        .success();
    let later = (there + chrono::Days::new(2)).to_string();
    let why = format!(
        "--date {later} is in the future (today is {today_there} in Pacific/Kiritimati; a day's grace is allowed)"
    );
    log(&later).refused(2, &why);
    machine(root.evaluate("2024-fall", "p13"))
        .participation("full")
        .by("R")
        .date(&later)
        .refused(2, &why);
    machine(root.withdraw("2024-fall", "p18"))
        .date(&later)
        .refused(2, &why);
}
