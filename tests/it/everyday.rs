//! The everyday corrections and the common case of recording (issue 11):
//! strict files, the warnings a recording command shows, `attend --rest`,
//! per-person notes and the checklist. Every refusal is checked for its
//! message, its exit code and that no file changed.

use crate::support::{DataRoot, PRACTICUM, Run, TOML, att, refused_line, refused_lines};

/// The rows a run added to a log, as text lines.
fn added(before: &str, after: &str) -> Vec<String> {
    assert!(
        after.starts_with(before),
        "the log was not only appended to"
    );
    after[before.len()..].lines().map(str::to_string).collect()
}

/// A new cohort `2026-fall` (sessions Tue/Thu from 2026-09-01, all held by
/// the test date) with participants a01..a05 and nothing recorded.
fn fresh_cohort() -> DataRoot {
    let root = DataRoot::empty();
    root.ok("new 2026-fall --start 2026-09-01 --days tue,thu --timezone America/Toronto");
    root.write(
        "roster.csv",
        "id,name,email\na01,Ana One,\na02,Bo Two,\na03,Cy Three,\na04,Di Four,\na05,Ed Five,\n",
    );
    root.ok("enroll 2026-fall --from roster.csv");
    root
}

/// Dates p13's evaluation 2024-10-07, before the last session: a warning
/// about p13.
fn evaluate_p13_early(root: &DataRoot) {
    root.edit(
        TOML,
        "recommend = false\nby = \"Rosa Delgado\"\ndate = 2024-11-07\n\n# Practicum under way",
        "recommend = false\nby = \"Rosa Delgado\"\ndate = 2024-10-07\n\n# Practicum under way",
    );
}

// ------------------------------------------------------------ strict files

#[test]
fn a_misspelt_recommend_refuses_issue_instead_of_giving_level_1() {
    let root = DataRoot::example();
    // p18 is Level 1R; with the key misspelt she would have been Level 1.
    root.edit(
        TOML,
        "name = \"Hannah Goldberg\"\n\n[participant.evaluation]\nparticipation = \"full\"\nrecommend = true",
        "name = \"Hannah Goldberg\"\n\n[participant.evaluation]\nparticipation = \"full\"\nrecomend = true",
    );
    for line in ["issue 2024-fall", "report 2024-fall", "export 2024-fall"] {
        let run = refused_line(&root, line, 1, "unknown key `recomend`");
        run.stderr_has("did you mean `recommend`?");
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[test]
fn a_misspelt_key_refuses_the_command_and_names_the_key_meant() {
    for (rel, from, to, line, message, meant) in [
        (
            TOML,
            "aliases = [\"Jose Ramirez\"]",
            "aliase = [\"Jose Ramirez\"]",
            "attend 2024-fall 3 --present p02",
            "error: unknown key `aliase` in [[participant]]",
            "did you mean `aliases`?",
        ),
        (
            "curriculum.toml",
            "required_hours = 50",
            "required_hours = 50\nrequired_hour = 40",
            "report 2024-fall",
            "unknown key `required_hour`",
            "did you mean `required_hours`?",
        ),
    ] {
        let root = DataRoot::example();
        root.edit(rel, from, to);
        refused_line(&root, line, 1, message).stderr_has(meant);
    }
}

#[test]
fn recording_commands_show_the_warnings_about_what_they_record() {
    let root = DataRoot::example();
    evaluate_p13_early(&root);
    let warning = "warning: participant p13: evaluation is dated 2024-10-07";
    for line in [
        "withdraw 2024-fall p13 --date 2024-11-05 --dry-run",
        "attend 2024-fall 3 --present p13 --dry-run",
        "evaluate 2024-fall p13 --participation full --by 'Rosa Delgado' --dry-run",
    ] {
        root.ok(line).stderr_has(warning);
    }
    // Not about p14: not shown.
    for line in [
        "withdraw 2024-fall p14 --date 2024-11-05 --dry-run",
        "attend 2024-fall 3 --present p14 --dry-run",
    ] {
        root.ok(line).stderr_lacks("p13");
    }
}

#[test]
fn practicum_log_shows_the_warnings_of_its_file_about_that_participant() {
    let root = DataRoot::example();
    root.ok("practicum log 2024-fall p06 --date 2025-03-01 --hours 1 --monitor 'Grace Okafor' --dry-run")
        .stderr_has("practicum.csv:50: warning: 1.25 h of p06 will not count")
        .stderr_lacks("of p01 will not count");
}

// ------------------------------------------------------------ attend flags

#[test]
fn rest_present_marks_everyone_not_otherwise_marked() {
    let root = fresh_cohort();
    let rel = "cohorts/2026-fall/attendance/01.csv";
    root.ok("attend 2026-fall 1 --absent a03 --excused 'a04=called in sick' --rest present")
        .stdout_has("5 rows written");
    let text = root.read(rel);
    let rows: Vec<&str> = text.lines().skip(1).collect();
    let expect = [
        ("a01", "present", ""),
        ("a02", "present", ""),
        ("a03", "absent", ""),
        ("a04", "excused", "called in sick"),
        ("a05", "present", ""),
    ];
    assert_eq!(rows.len(), 5, "{text}");
    for (row, (id, status, note)) in rows.iter().zip(expect) {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!((cells[0], cells[1], cells[5]), (id, status, note), "{text}");
    }
    // Those recorded already are left as they stand.
    root.ok("attend 2026-fall 1 --rest present")
        .stdout_has("nothing new to write");
    root.check_clean();
}

#[test]
fn a_note_lands_only_on_its_own_row() {
    let root = DataRoot::example();
    let before = root.read(&att(12));
    root.ok("attend 2024-fall 12 --absent p01,p02 --excused 'p03=called in sick, will make it up' --excused p04 --force");
    let rows = added(&before, &root.read(&att(12)));
    assert_eq!(rows.len(), 4, "{rows:?}");
    for (row, (start, end)) in rows.iter().zip([
        ("p01,absent,", ","),
        ("p02,absent,", ","),
        ("p03,excused,", ",\"called in sick, will make it up\""),
        ("p04,excused,", ","),
    ]) {
        assert!(row.starts_with(start) && row.ends_with(end), "{rows:?}");
    }
}

#[test]
fn a_makeup_takes_its_own_note_or_the_note_flag() {
    let root = DataRoot::example();
    let before = root.read(&att(3));
    root.ok("attend 2024-fall 3 --makeup 'p17=with 2025-winter on 2025-01-21'")
        .stdout_has("p17: absent → makeup (a correction; the earlier row stays as history) \"with 2025-winter on 2025-01-21\"");
    let rows = added(&before, &root.read(&att(3)));
    assert_eq!(rows.len(), 1);
    assert!(rows[0].starts_with("p17,makeup,,test-runner,"), "{rows:?}");
    assert!(
        rows[0].ends_with(",with 2025-winter on 2025-01-21"),
        "{rows:?}"
    );

    // The old spelling: --makeup ID --note TEXT; the note goes on the make-up only.
    let before = root.read(&att(14));
    root.ok(
        "attend 2024-fall 14 --makeup p17 --note 'with 2025-winter on 2025-02-04' --absent p01",
    );
    let rows = added(&before, &root.read(&att(14)));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].starts_with("p01,absent,") && rows[0].ends_with(','),
        "{rows:?}"
    );
    assert!(
        rows[1].ends_with(",with 2025-winter on 2025-02-04"),
        "{rows:?}"
    );
}

#[test]
fn attend_note_refusals() {
    let root = DataRoot::example();
    refused_lines(
        &root,
        2,
        &[
            (
                "attend 2024-fall 3 --absent p01 --note sick",
                "--note is the note of the --makeup ids given without one of their own, and there are none",
            ),
            (
                "attend 2024-fall 3 --excused p01,p02=sick",
                "a note is for one person",
            ),
            (
                "attend 2024-fall 3 --excused p01=",
                "--excused p01= has an empty note",
            ),
            (
                "attend 2024-fall 3 --excused p99=sick",
                "--excused: cohort 2024-fall has no participant \"p99\"",
            ),
            (
                "attend 2024-fall 3 --excused p01=sick --excused p01=ill",
                "p01 is given two notes",
            ),
            (
                "attend 2024-fall 3 --rest everyone",
                "invalid value 'everyone' for '--rest <present|absent|none>'",
            ),
        ],
    );
}

// ------------------------------------------------------------ checklist

/// Runs `cohort ARGS` on a pseudo-terminal made by util-linux `script`,
/// typing `input`; gives whether it succeeded and what it showed.
fn on_terminal(root: &DataRoot, line: &str, input: &str) -> (bool, String) {
    let (code, shown) = root.on_terminal(line, input);
    (code == 0, shown.replace('\r', ""))
}

#[test]
fn the_checklist_marks_every_status_and_shows_what_counts() {
    let root = DataRoot::example();
    let before = root.read(&att(3));
    let input = "\
3 absent
4 partial 110
5 partial 95
8 excused: called in sick
17 makeup: with 2025-winter on 2025-01-21
1 2 partial
9
9

y
";
    let (ok, shown) = on_terminal(&root, "attend 2024-fall 3 --by 'Ana Trainer'", input);
    assert!(ok, "{shown}");
    for want in [
        "a partial counts from 105 minutes",
        "partial 95 min: does not count (105 min needed)",
        "partial 110 min: counts",
        "excused \"called in sick\": does not count; make-up needed",
        "makeup \"with 2025-winter on 2025-01-21\": counts",
        // The line "1 2 partial" has a problem: it changes nothing at all.
        "not taken, nothing on the line \"1 2 partial\" was changed",
        "15 count as attended, 3 do not (p03 absent, p05 partial 95 min, p08 excused \"called in sick\")",
    ] {
        assert!(shown.contains(want), "{want:?} not shown:\n{shown}");
    }
    let rows = added(&before, &root.read(&att(3)));
    let got: Vec<String> = rows
        .iter()
        .map(|r| {
            let c: Vec<&str> = r.splitn(6, ',').collect();
            format!("{} {} {} {}", c[0], c[1], c[2], c[5])
        })
        .collect();
    assert_eq!(
        got,
        [
            "p03 absent  ",
            "p04 partial 110 ",
            "p05 partial 95 ",
            "p08 excused  called in sick",
            "p17 makeup  with 2025-winter on 2025-01-21",
        ],
        "{shown}"
    );
    // What stands now counts the 95-minute partial as missed.
    root.ok("report 2024-fall --format csv")
        .stdout_has("missed webinar 3 (partial, 95 of 105 minutes; make-up needed)");
}

#[test]
fn the_checklist_refuses_a_makeup_for_an_attended_webinar_whole() {
    let root = DataRoot::example();
    let before = root.snapshot();
    let (ok, shown) = on_terminal(&root, "attend 2024-fall 3", "17 1 makeup: somewhere\nq\n");
    assert!(!ok, "{shown}");
    assert!(
        shown.contains("p01 is recorded as present; a make-up is for a missed webinar"),
        "{shown}"
    );
    assert!(shown.contains("cancelled; nothing was written"), "{shown}");
    assert!(root.snapshot() == before);
}

// ------------------------------------------------------------ practicum correct

/// `practicum correct 2024-fall p04 --date 2025-03-03 EXTRA`.
fn correct(extra: &str) -> String {
    format!("practicum correct 2024-fall p04 --date 2025-03-03 {extra}")
}

/// [`correct`] taking back `hours` with Dana Kowalczyk for `reason`, which
/// must succeed.
#[track_caller]
fn take_back(root: &DataRoot, hours: &str, reason: &str) -> Run {
    root.ok(&correct(&format!(
        "--hours {hours} --monitor 'Dana Kowalczyk' --reason '{reason}'"
    )))
}

#[test]
fn practicum_correct_appends_a_reversing_row_that_report_and_check_take() {
    let root = DataRoot::example();
    // p04 has 32.5 h counted; 6 h of them on 2025-03-03 with Dana Kowalczyk.
    let before = root.read(PRACTICUM);
    take_back(&root, "1:30", "was 4.5 h, not 6")
        .stdout_has("took back 1.5 h of support for p04")
        .stdout_has("p04 now has 31 of 50 h counted");
    let rows = added(&before, &root.read(PRACTICUM));
    assert_eq!(
        rows,
        ["p04,2025-03-03,-1:30,support,Dana Kowalczyk,\"was 4.5 h, not 6\""]
    );
    root.check_clean();
    root.ok("report 2024-fall --format csv")
        .stdout_has("2024-fall,p04,Nguyễn Thị Mai,17,17,,0,31,Level 1R,practicum 31 of 50 h;");
    root.ok("report 2024-fall --participant p04 --format json")
        .stdout_has("\"hours\": \"-1.5\"")
        .stdout_has("\"reversal\": \"was 4.5 h, not 6\"");
    root.ok("report 2024-fall --participant p04")
        .stdout_has("-1.5");
    // The rest of the 6 h can be taken back, and not a minute more.
    take_back(&root, "4.5", "not done at all").stdout_has("p04 now has 26.5 of 50 h counted");
    refused_line(
        &root,
        &correct("--hours 0:01 --monitor 'Dana Kowalczyk' --reason x"),
        2,
        "p04 has 0 h of support with monitor \"Dana Kowalczyk\" on 2025-03-03; a reversing row may cancel only hours logged before it, so it cannot take back 0.02 h",
    );
}

#[test]
fn practicum_correct_refusals() {
    let root = DataRoot::example();
    let dana = "--monitor 'Dana Kowalczyk'";
    for (extra, message) in [
        (
            format!("--hours 7 {dana} --reason x"),
            "p04 has 6 h of support with monitor \"Dana Kowalczyk\" on 2025-03-03; a reversing row may cancel only hours logged before it, so it cannot take back 7 h",
        ),
        (
            "--hours 2 --monitor 'Grace Okafor' --reason x".to_string(),
            "that day holds 6 h of support with \"Dana Kowalczyk\" (line 51). Give the same --kind and --monitor",
        ),
        (
            format!("--hours 2 {dana} --kind training --reason x"),
            "p04 has 0 h of training",
        ),
        (
            format!("--hours 2 {dana} --reason ' '"),
            "--reason is empty",
        ),
        (
            format!("--hours 1,5 {dana} --reason x"),
            "--hours: \"1,5\" uses a comma",
        ),
        (
            format!("--hours 2 {dana} --kind coaching --reason x"),
            "--kind \"coaching\" is not one of",
        ),
    ] {
        refused_line(&root, &correct(&extra), 2, message);
    }
    // The dry run shows the row and writes nothing.
    root.unchanged(&correct(
        "--hours 2 --monitor 'Dana Kowalczyk' --reason 'logged twice' --dry-run",
    ))
    .stdout_has("p04,2025-03-03,-2,support,Dana Kowalczyk,logged twice");
}

#[test]
fn a_reversed_day_takes_new_hours_up_to_24() {
    let root = DataRoot::example();
    // 6 h on the day; 18 more make 24; reversing 6 leaves room for 6 again.
    let log = |hours: &str| {
        root.cohort(&format!(
            "practicum log 2024-fall p04 --date 2025-03-03 --hours {hours} --monitor 'Dana Kowalczyk'"
        ))
    };
    log("18").success();
    log("0.25").code(2).stderr_has("one day holds at most 24");
    take_back(&root, "6", "wrong day");
    log("6").success();
    root.check_clean();
}

// ------------------------------------------------------------ unenroll, withdraw

#[test]
fn unenroll_removes_a_participant_without_records_keeping_the_rest() {
    let root = DataRoot::example();
    let before = root.read(TOML);
    root.ok("enroll 2024-fall --id p19 --name 'Enrolled By Mistake'");
    assert!(root.read(TOML).contains("p19"));
    root.unchanged("unenroll 2024-fall p19 --dry-run")
        .stdout_has("- id = \"p19\"");
    root.ok("unenroll 2024-fall p19")
        .stdout_has("removed p19 (Enrolled By Mistake) from cohort 2024-fall");
    assert_eq!(
        root.read(TOML),
        before,
        "the file is as it was before the enrolment"
    );
    root.check_clean();
}

#[test]
fn unenroll_refuses_anyone_with_records_and_points_to_withdraw() {
    let root = fresh_cohort();
    let toml = "cohorts/2026-fall/cohort.toml";
    // Each message begins with the id of the participant it is about.
    let each = |record: &str| {
        let id = &record[..3];
        let run = refused_line(&root, &format!("unenroll 2026-fall {id}"), 2, record);
        run.stderr_has("`cohort withdraw 2026-fall");
    };
    root.ok("attend 2026-fall 2 --absent a01");
    each("a01 (Ana One) has records: attendance of webinar 2");
    root.write(
        "cohorts/2026-fall/practicum.csv",
        "participant,date,hours,kind,monitor,note\na02,2026-11-02,1,support,M,\n",
    );
    each("a02 (Bo Two) has records: 1 practicum row(s)");
    root.ok("evaluate 2026-fall a03 --participation full --by T --date 2026-11-01");
    each("a03 (Cy Three) has records: a trainer evaluation");
    root.ok("withdraw 2026-fall a04 --date 2026-09-03");
    each("a04 (Di Four) has records: a withdrawal on 2026-09-03");
    root.write(
        "certificates.csv",
        "number,cohort,participant,name,level,date,issued_at,status,reason\n\
         PSCE-0000-0000-0,2026-fall,a05,Ed Five,Level 1,2026-11-01,2026-11-01T10:00:00Z,issued,\n",
    );
    each("a05 (Ed Five) has records: 1 row(s) in certificates.csv");
    root.cli_line("unenroll 2026-fall a99")
        .refused(2, "has no participant \"a99\"");
    assert!(root.read(toml).contains("a05"));
}

#[test]
fn withdraw_undo_takes_a_withdrawal_back() {
    let root = DataRoot::example();
    root.ok("withdraw 2024-fall p18 --date 2024-10-20 --reason moved");
    let toml = root.read(TOML);
    assert!(toml.contains("withdrawn = 2024-10-20\nwithdrawn_reason = \"moved\""));
    root.ok("withdraw 2024-fall p18 --undo")
        .stdout_has("took back the withdrawal of p18 (Hannah Goldberg) on 2024-10-20");
    let after = root.read(TOML);
    assert!(!after.contains("withdrawn = 2024-10-20") && !after.contains("moved"));
    root.ok("report 2024-fall --format csv")
        .stdout_has("2024-fall,p18,Hannah Goldberg,17,17,,0,0,Level 1R,");
    refused_lines(
        &root,
        2,
        &[
            (
                "withdraw 2024-fall p18 --undo",
                "p18 (Hannah Goldberg) has no withdrawal to take back; nothing was written",
            ),
            (
                "withdraw 2024-fall p18 --undo --date 2024-10-01",
                "the argument '--undo' cannot be used with '--date <D>'",
            ),
        ],
    );
    // The example's own withdrawal, with a comment after it, goes too.
    root.ok("withdraw 2024-fall p10 --undo");
    root.check_clean();
}

#[test]
fn withdraw_dates_lie_inside_the_cohorts_sessions_unless_forced() {
    let root = DataRoot::example();
    refused_lines(
        &root,
        2,
        &[
            (
                "withdraw 2024-fall p01 --date 2024-09-01",
                "--date 2024-09-01 is before the cohort's first session (2024-09-10); withdrawn then, they would miss every webinar, whatever they attended. Check the date, or give --force",
            ),
            (
                "withdraw 2024-fall p01 --date 2024-11-06",
                "--date 2024-11-06 is after the cohort's last session (2024-11-05)",
            ),
        ],
    );
    root.ok("withdraw 2024-fall p01 --date 2024-09-10");
    root.ok("withdraw 2024-fall p02 --date 2024-11-05");
    root.ok("withdraw 2024-fall p03 --date 2024-12-01 --force");
    assert!(root.read(TOML).contains("withdrawn = 2024-12-01"));
}

#[test]
fn practicum_commands_warn_about_hours_that_cannot_make_someone_certified() {
    let root = DataRoot::example();
    // p14: recommended, 14.25 of 50 h. A pass now is refused; with --force it
    // is recorded, with a warning.
    root.cohort("practicum result 2024-fall p14 pass --by 'Grace Okafor'")
        .fails(2, "p14 (Renée Lachance) has 14.25 of the 50 h counted, so a pass would not make them Certified");
    root.ok("practicum result 2024-fall p14 pass --by 'Grace Okafor' --force")
    .stderr_has(
        "warning: p14 has 14.25 of the 50 h counted; they stay Level 1R until the hours are logged",
    );
    // p01 has 50 h: no such warning.
    root.ok("practicum result 2024-fall p01 pass --by 'Grace Okafor' --date 2025-06-01 --dry-run")
        .stdout_has("would record the practicum result of p01")
        .stderr_lacks("h counted; they stay Level 1R");
    // p03 is not recommended: hours are logged, with a warning.
    root.ok("practicum log 2024-fall p03 --date 2025-03-01 --hours 2 --monitor 'Grace Okafor'")
        .stderr_has(
            "warning: p03 (Siobhán O'Brien) is not recommended for a practicum (evaluated by",
        );
    root.ok("practicum log 2024-fall p04 --date 2025-03-01 --hours 2 --monitor 'Grace Okafor'")
        .stderr_lacks("not recommended");
}

#[test]
fn attend_shows_the_warnings_of_its_own_log() {
    let root = DataRoot::example();
    // An unknown column in 03.csv (a warning about the file as a whole), and
    // nothing about 04.csv when recording webinar 4.
    root.edit(&att(3), "recorded_at,note\n", "recorded_at,notes\n");
    root.ok("attend 2024-fall 3 --present p01 --dry-run")
        .stderr_has("03.csv:1: warning: unknown column \"notes\" is ignored");
    root.ok("attend 2024-fall 4 --present p01 --dry-run")
        .stderr_lacks("notes");
}

#[test]
fn enroll_shows_the_warnings_about_cohort_toml_as_a_whole() {
    let root = DataRoot::example();
    root.edit(TOML, "date = 2024-09-10", "date = 2024-09-13");
    root.ok("enroll 2024-fall --id p19 --name 'New Person' --dry-run")
        .stderr_has("warning: webinar 2 is dated 2024-09-12, before webinar 1 (2024-09-13)");
    // A warning about one participant is not about an enrolment.
    evaluate_p13_early(&root);
    root.ok("enroll 2024-fall --id p19 --name 'New Person' --dry-run")
        .stderr_lacks("p13");
}
