//! Files as spreadsheets save them: Excel's "CSV UTF-8" (a byte-order mark,
//! CRLF), fr-CA Excel (`;`), tab-separated text, old Mac CR line ends, and
//! `.xlsx` workbooks (made here with `rust_xlsxwriter`). Rosters, practicum
//! timesheets, the logs and the register; line numbers as an editor shows
//! them; nothing written on a refusal.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

use crate::support::{DataRoot, PRACTICUM, Run, TOML, refused_line, refused_lines};

/// `rows` as a spreadsheet saves them: cells joined by `sep`, quoted when
/// they hold `sep` or a quote, lines ended by `eol`, after `bom`.
fn saved<C: AsRef<str>>(rows: &[impl AsRef<[C]>], sep: &str, eol: &str, bom: bool) -> String {
    let mut text = String::from(if bom { "\u{feff}" } else { "" });
    for row in rows {
        let cells: Vec<String> = row
            .as_ref()
            .iter()
            .map(|c| {
                let c = c.as_ref();
                if c.contains(sep) || c.contains('"') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.to_string()
                }
            })
            .collect();
        text += &cells.join(sep);
        text += eol;
    }
    text
}

/// `cohort enroll 2024-fall --from FILE`, refused as bad data (exit 1)
/// with `message`, every file as it was.
#[track_caller]
pub(crate) fn roster_refused(root: &DataRoot, file: &str, message: &str) -> Run {
    refused_line(root, &format!("enroll 2024-fall --from {file}"), 1, message)
}

/// `cohort practicum log 2024-fall --from FILE`, FILE holding `text`,
/// refused likewise.
#[track_caller]
fn timesheet_refused(root: &DataRoot, file: &str, text: impl AsRef<[u8]>, message: &str) -> Run {
    root.write(file, text);
    let line = format!("practicum log 2024-fall --from {file}");
    refused_line(root, &line, 1, message)
}

/// The ways a person saves a CSV file: name, separator, line end, BOM.
const SAVED_AS: &[(&str, &str, &str, bool)] = &[
    ("plain", ",", "\n", false),
    ("Excel CSV UTF-8", ",", "\r\n", true),
    ("fr-CA Excel", ";", "\r\n", true),
    ("tab-separated", "\t", "\n", false),
    ("old Mac", ",", "\r", false),
];

/// A workbook whose first sheet `sheet` holds `rows` as text cells.
fn xlsx(root: &DataRoot, rel: &str, sheet: &str, rows: &[&[&str]]) {
    let mut book = Workbook::new();
    text_sheet(&mut book, sheet, rows);
    // A second sheet is not read.
    book.add_worksheet().write_string(0, 0, "not read").unwrap();
    book.save(root.path(rel)).unwrap();
}

/// A new sheet `name` of `book` holding `rows` as text cells, empty ones
/// left out.
fn text_sheet<'b>(book: &'b mut Workbook, name: &str, rows: &[&[&str]]) -> &'b mut Worksheet {
    let ws = book.add_worksheet();
    ws.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    ws
}

const ROSTER: &[&[&str]] = &[
    &["id", "name", "email", "aliases"],
    &[
        "p19",
        "Nguyễn Văn An",
        "an@example.org",
        "An N; an.nguyen@example.com",
    ],
    &["p20", "Brooks, Jr.; Darnell", "", ""],
    &["p21", "Zoë \"Zo\" Lefèvre", "zoe@example.org", ""],
];

#[test]
fn a_roster_enrols_alike_however_it_was_saved() {
    let plain = DataRoot::example();
    plain.write("roster.csv", saved(ROSTER, ",", "\n", false));
    plain
        .ok("enroll 2024-fall --from roster.csv")
        .stdout_has("enrolled 3 participants");
    let expected = plain.read(TOML);
    assert!(expected.contains("name = \"Nguyễn Văn An\""));
    assert!(expected.contains("aliases = [\"An N\", \"an.nguyen@example.com\"]"));
    assert!(expected.contains("name = \"Brooks, Jr.; Darnell\""));
    for (how, sep, eol, bom) in SAVED_AS {
        let root = DataRoot::example();
        root.write("roster.csv", saved(ROSTER, sep, eol, *bom));
        root.ok("enroll 2024-fall --from roster.csv");
        assert_eq!(root.read(TOML), expected, "roster saved as {how}");
    }
    let root = DataRoot::example();
    xlsx(&root, "roster.xlsx", "Roster", ROSTER);
    root.ok("enroll 2024-fall --from roster.xlsx")
        .stdout_has("p19  Nguyễn Văn An");
    assert_eq!(root.read(TOML), expected, "xlsx");
}

const BAD_ROSTER: &[&[&str]] = &[
    &["id", "name", "email"],
    &["p19", "Ana Silva", ""],
    &["p19", "Ben Roe", ""],
    &["p20", "Nguy?n V?n An", ""],
    &["p21", "Cy Doe", "not-an-email"],
];

#[test]
fn roster_problems_name_the_line_an_editor_shows_whatever_the_line_ends() {
    for (how, sep, eol, bom) in SAVED_AS {
        let root = DataRoot::example();
        // A blank line before the rows: the lines after it count it.
        let text = saved(&BAD_ROSTER[..1], sep, eol, *bom)
            + eol
            + &saved(&BAD_ROSTER[1..], sep, eol, false);
        root.write("roster.csv", text);
        let run = roster_refused(
            &root,
            "roster.csv",
            "cohort: 3 problems in roster.csv; nothing was enrolled",
        );
        for line in [
            "roster.csv:4: error: id \"p19\" is given twice (also on line 3)",
            "roster.csv:5: error: participant p20: the name \"Nguy?n V?n An\" has \"?\" where letters were lost",
            "roster.csv:6: error: participant p21: email \"not-an-email\"",
        ] {
            assert!(
                run.stderr.contains(line),
                "{how}: no {line:?} in\n{}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_name_whose_letters_became_question_marks_is_refused_with_how_to_resave() {
    let root = DataRoot::example();
    root.write(
        "roster.csv",
        "id,name,email,aliases\r\np19,Nguy?n V?n An,an@example.org,\r\np20,Ana Silva,ana@example.org,A? Silva\r\n",
    );
    let run = roster_refused(
        &root,
        "roster.csv",
        "roster.csv:2: error: participant p19: the name \"Nguy?n V?n An\" has \"?\" where letters were lost",
    );
    run.stderr_has("help: the spreadsheet saved the file in an encoding without these letters: open the original in your spreadsheet and save it as \"CSV UTF-8 (Comma delimited)\"")
        .stderr_has("roster.csv:3: error: participant p20: the name \"A? Silva\" has \"?\"")
        .stderr_has("2 problems in roster.csv; nothing was enrolled");
    // A U+FFFD left by a bad conversion is lost letters too.
    root.write("roster.csv", "id,name\np19,Ren\u{FFFD}e Roy\n");
    roster_refused(
        &root,
        "roster.csv",
        "roster.csv:2: error: participant p19: the name \"Ren\u{FFFD}e Roy\" has \"?\"",
    );
    // In a workbook the letters were lost before: retype them.
    xlsx(&root, "roster.xlsx", "Roster", BAD_ROSTER);
    let run = roster_refused(
        &root,
        "roster.xlsx",
        "roster.xlsx: error: sheet \"Roster\" row 4: participant p20: the name \"Nguy?n V?n An\" has \"?\" where letters were lost",
    );
    run.stderr_has(
        "help: the letters were lost before they reached this workbook: type the name again",
    )
    .stderr_has(
        "roster.xlsx: error: sheet \"Roster\" row 3: id \"p19\" is given twice (also on row 2)",
    )
    .stderr_has("roster.xlsx: error: sheet \"Roster\" row 5: participant p21: email");
}

#[test]
fn a_name_with_lost_letters_is_refused_on_the_command_line_too() {
    let root = DataRoot::example();
    refused_line(
        &root,
        "enroll 2024-fall --id p19 --name 'Nguy?n V?n An'",
        2,
        "command line: error: participant p19: the name \"Nguy?n V?n An\" has \"?\" where letters were lost; type it with its letters",
    );
}

#[test]
fn a_row_that_does_not_fit_the_header_is_refused_not_cut() {
    let root = DataRoot::example();
    // An unquoted comma in a note would drop what follows it.
    timesheet_refused(
        &root,
        "march.csv",
        "participant,date,hours,monitor,note\r\np18,2025-03-01,2,Grace Okafor,home visit, then a call\r\n",
        "march.csv:2: error: row has 6 cells but the header has 5",
    )
    .stderr_has("help: a comma inside a cell needs the cell in double quotes");
    root.write("roster.csv", "id;name\np19;Ana;Silva\n");
    roster_refused(
        &root,
        "roster.csv",
        "roster.csv:2: error: row has 3 cells but the header has 2",
    )
    .stderr_has("a semicolon inside a cell needs the cell in double quotes");
    // In a workbook, a value right of the named columns.
    xlsx(
        &root,
        "roster.xlsx",
        "Roster",
        &[&["id", "name"], &["p19", "Ana", "ana@example.org"]],
    );
    roster_refused(
        &root,
        "roster.xlsx",
        "roster.xlsx: error: sheet \"Roster\" row 2: cell C2 holds \"ana@example.org\" but its column has no name in the header row",
    );
    // A control character in a workbook is named by its sheet and row too.
    xlsx(
        &root,
        "roster.xlsx",
        "Roster",
        &[&["id", "name"], &["p19", "Ana\u{7}"]],
    );
    roster_refused(
        &root,
        "roster.xlsx",
        "roster.xlsx: error: sheet \"Roster\" row 2: cell 2 holds the control character U+0007",
    );
}

#[test]
fn rosters_that_cannot_be_read_are_bad_data() {
    let root = DataRoot::example();
    for (file, bytes, message) in [
        (
            "roster.csv",
            &b"\xFF\xFEi\x00d\x00"[..],
            "roster.csv:1: the roster is UTF-16 text",
        ),
        (
            "roster.csv",
            b"id;name\r\np19;Jos\xe9\r\n",
            "roster.csv:2: the roster is not UTF-8 text; open it in your spreadsheet and save it again as \"CSV UTF-8 (Comma delimited)\"",
        ),
        (
            "roster.xlsx",
            b"id,name\n",
            "cannot read the roster roster.xlsx as an .xlsx workbook",
        ),
        ("roster.xls", b"x", "save it as \"Excel Workbook (.xlsx)\""),
    ] {
        root.write(file, bytes);
        roster_refused(&root, file, message);
    }
}

/// The example's attendance log of webinar 3 and practicum log, saved
/// with `sep` and `eol`: `check` and `report` read them as before.
#[test]
fn logs_saved_by_spreadsheets_read_alike() {
    let plain = DataRoot::example();
    let report = plain.unchanged("report 2024-fall --format csv").stdout;
    let check = plain.ok("check").stderr;
    for (how, sep, eol, bom) in SAVED_AS {
        let root = DataRoot::example();
        for rel in ["cohorts/2024-fall/attendance/03.csv", PRACTICUM] {
            root.write(rel, saved(&plain.rows(rel), sep, eol, *bom));
        }
        let run = root.cohort("report 2024-fall --format csv");
        assert_eq!(run.stdout, report, "report with logs saved as {how}");
        // The warnings show the same lines; excerpts show the file's cells.
        let got = root.ok("check");
        let lines = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| l.contains(": warning: "))
                .map(String::from)
                .collect()
        };
        assert_eq!(
            lines(&got.stderr),
            lines(&check),
            "check with logs saved as {how}"
        );
    }
}

#[test]
fn a_semicolon_log_gets_its_errors_underlined_and_its_appends_in_kind() {
    let root = DataRoot::example();
    // The header and a row that stay.
    let head = "\u{feff}participant;date;hours;kind;monitor;note\r\n\
                p18;2025-03-01;2;support;Grace Okafor;\"a; b\"\r\n";
    root.write(
        PRACTICUM,
        format!("{head}p18;2025-03-02;2,5;support;Grace Okafor;\r\n"),
    );
    root.cohort("check")
        .code(1)
        .stderr_has("cohorts/2024-fall/practicum.csv:3: error: \"2,5\" uses a comma")
        .stderr_has(" 3 | p18;2025-03-02;2,5;support;Grace Okafor;\n   |                ^^^\n");
    // Fixed, the log takes appends with its own separator and line ends.
    root.write(PRACTICUM, head);
    root.ok("practicum log 2024-fall p18 --date 2025-03-04 --hours 1:30 --monitor 'Grace Okafor' --note 'home visit; late'");
    assert_eq!(
        root.read(PRACTICUM),
        format!("{head}p18;2025-03-04;1:30;support;Grace Okafor;\"home visit; late\"\r\n")
    );
    root.ok("check");
}

#[test]
fn an_old_mac_attendance_log_takes_appends_with_lone_crs() {
    let root = DataRoot::example();
    let rel = "cohorts/2024-fall/attendance/03.csv";
    let text = root.read(rel).replace('\n', "\r");
    root.write(rel, &text);
    root.ok("attend 2024-fall 3 --present p17");
    let after = root.read(rel);
    assert!(after.starts_with(&text), "the log's rows stay");
    assert!(!after.contains('\n'), "no LF in a CR file: {after:?}");
    assert!(after[text.len()..].starts_with("p17,present,"));
    root.ok("check");
}

/// `report --participant` points at the rows behind each webinar by line.
#[test]
fn report_participant_lines_are_the_same_with_crlf_and_cr() {
    let plain = DataRoot::example();
    let expected = plain.unchanged("report 2024-fall --participant p07").stdout;
    assert!(expected.contains("line "), "{expected}");
    for eol in ["\r\n", "\r"] {
        let root = DataRoot::example();
        for (rel, bytes) in root.snapshot() {
            if rel.ends_with(".csv") {
                let text = String::from_utf8(bytes).unwrap();
                root.write(&rel, text.replace('\n', eol));
            }
        }
        let run = root.cohort("report 2024-fall --participant p07");
        assert_eq!(run.stdout, expected, "{eol:?}");
    }
}

#[test]
fn register_lines_are_those_an_editor_shows() {
    for eol in ["\n", "\r\n", "\r"] {
        let root = DataRoot::example();
        root.write(
            "certificates.csv",
            [
                "number,cohort,participant,name,level,date,issued_at,status,reason",
                "",
                "PSCE-0000-0000-0,2024-fall",
                "",
            ]
            .join(eol),
        );
        root.cohort("check")
            .code(1)
            .stderr_has("certificates.csv:3: error: row has 2 cells but the header has 9");
    }
}

// Timesheets.

const SHEET: &[&[&str]] = &[
    &["Participant", "Date", "Hours", "Kind", "Monitor", "Note"],
    &[
        "p18",
        "2025-03-01",
        "2.5",
        "support",
        "Grace Okafor",
        "home visit; follow-up",
    ],
    &["p18", "2025-03-02", "1:30", "", "Grace Okafor", ""],
    &[
        "p04",
        "2025-03-02",
        "0.25",
        "supervision",
        "Sam Whitfield",
        "weekly check-in",
    ],
];

/// The rows a timesheet of [`SHEET`] appends to the example's log.
const APPENDED: &str = "p18,2025-03-01,2.5,support,Grace Okafor,home visit; follow-up\np18,2025-03-02,1:30,support,Grace Okafor,\np04,2025-03-02,0.25,supervision,Sam Whitfield,weekly check-in\n";

#[test]
fn a_timesheet_is_appended_whole_however_it_was_saved() {
    for (how, sep, eol, bom) in SAVED_AS {
        let root = DataRoot::example();
        let before = root.read(PRACTICUM);
        root.write("march.csv", saved(SHEET, sep, eol, *bom));
        root.ok("practicum log 2024-fall --from march.csv")
            .stdout_has("logged 3 rows (4.25 h) from march.csv in cohorts/2024-fall/practicum.csv")
            .stdout_has("p18  Hannah Goldberg: 2 rows, 4 h")
            .stderr_has(
                "march.csv:4: warning: 0.25 h of p04 will not count: kind is \"supervision\"",
            );
        assert_eq!(root.read(PRACTICUM), before.clone() + APPENDED, "{how}");
        root.ok("check");
    }
}

#[test]
fn a_semicolon_timesheet_takes_the_decimal_comma_of_its_language() {
    let root = DataRoot::example();
    let before = root.read(PRACTICUM);
    root.write(
        "mars.csv",
        "\u{feff}participant;date;hours;kind;monitor;note\r\np18;2025-03-01;2,5;support;Grace Okafor;visite\r\np18;2025-03-02;0,25;support;Grace Okafor;\r\n",
    );
    root.ok("practicum log 2024-fall --from mars.csv")
        .stdout_has("p18  Hannah Goldberg: 2 rows, 2.75 h; now 2.75 of 50 h counted");
    assert_eq!(
        root.read(PRACTICUM),
        before.clone()
            + "p18,2025-03-01,2.5,support,Grace Okafor,visite\np18,2025-03-02,0.25,support,Grace Okafor,\n"
    );
    // Elsewhere a comma is not read as a decimal point.
    timesheet_refused(
        &root,
        "march.tsv",
        "participant\tdate\thours\tmonitor\np18\t2025-03-05\t2,5\tGrace Okafor\n",
        "march.tsv:2: error: \"2,5\" uses a comma; write the decimal point as a dot (1.5)",
    );
    timesheet_refused(
        &root,
        "mars.csv",
        "participant;date;hours;monitor\np18;2025-03-05;1,234;Grace Okafor\np18;2025-03-06;1,2,3;Grace Okafor\n",
        "mars.csv:2: error: \"1.234\" has more than two decimal places",
    )
    .stderr_has("mars.csv:3: error: \"1,2,3\" uses a comma");
}

#[test]
fn an_xlsx_timesheet_reads_dates_numbers_and_times_as_they_show() {
    let root = DataRoot::example();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("March").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("h:mm");
    // SHEET's text cells, with a blank row (it is skipped) before p04's;
    // the dates and hours as a spreadsheet holds them, but p04's date, text.
    for (r, row) in [(0, SHEET[0]), (1, SHEET[1]), (2, SHEET[2]), (4, SHEET[3])] {
        for (c, cell) in row.iter().enumerate() {
            let typed = r > 0 && (c == 2 || c == 1 && r < 4);
            if !cell.is_empty() && !typed {
                ws.write_string(r, c as u16, *cell).unwrap();
            }
        }
    }
    let d = |day| ExcelDateTime::from_ymd(2025, 3, day).unwrap();
    ws.write_datetime_with_format(1, 1, d(1), &date).unwrap();
    ws.write_number(1, 2, 2.5).unwrap();
    ws.write_datetime_with_format(2, 1, d(2), &date).unwrap();
    ws.write_datetime_with_format(2, 2, ExcelDateTime::from_hms(1, 30, 0).unwrap(), &time)
        .unwrap();
    ws.write_number(4, 2, 0.25).unwrap();
    book.save(root.path("march.xlsx")).unwrap();
    let before = root.read(PRACTICUM);
    root.ok("practicum log 2024-fall --from march.xlsx")
        .stderr_has("march.xlsx: warning: sheet \"March\" row 5: 0.25 h of p04 will not count");
    assert_eq!(root.read(PRACTICUM), before + APPENDED);
}

#[test]
fn a_timesheet_with_any_bad_row_writes_nothing_and_lists_every_problem() {
    let root = DataRoot::example();
    let run = timesheet_refused(
        &root,
        "march.csv",
        saved(
            &[
                SHEET[0],
                SHEET[1],
                &["p99", "2025-03-01", "2", "", "Grace Okafor", ""],
                &["Hannah Goldberg", "2025-03-01", "2", "", "Grace Okafor", ""],
                &["p18", "3/1/2025", "2", "", "Grace Okafor", ""],
                &["p18", "2025-03-03", "1.234", "", "Grace Okafor", ""],
                &["p18", "2025-03-03", "2", "shift", "Grace Okafor", ""],
                &["p18", "2026-12-01", "2", "", "Grace Okafor", ""],
                &["p18", "2025-03-04", "2", "", "M?nica Ortega", "came late?"],
                &["", "2025-03-04", "2", "", "Grace Okafor", ""],
            ],
            ",",
            "\r\n",
            true,
        ),
        "cohort: 8 problems in march.csv; nothing was written to cohorts/2024-fall/practicum.csv",
    );
    run.stderr_has("march.csv:3: error: unknown participant \"p99\"; cohort 2024-fall has p01..p18\n 3 | p99,2025-03-01,2,,Grace Okafor,\n   | ^^^\n")
        .stderr_has(" 9 | p18,2025-03-04,2,,M?nica Ortega,came late?\n   |                   ^^^^^^^^^^^^^\n")
        .stderr_has("march.csv:4: error: unknown participant \"Hannah Goldberg\"")
        .stderr_has("help: the participant column holds ids: write p18 for Hannah Goldberg")
        .stderr_has("march.csv:5: error: date \"3/1/2025\" is not a date like 2025-02-14 (YYYY-MM-DD)")
        .stderr_has("march.csv:6: error:")
        .stderr_has("march.csv:7: error: kind \"shift\" is not one of support, supervision, training, other")
        .stderr_has("march.csv:8: error: date 2026-12-01 is in the future (today is 2026-11-22 in America/Toronto; a day's grace is allowed)")
        .stderr_has("march.csv:9: error: the monitor's name \"M?nica Ortega\" has \"?\" where letters were lost")
        .stderr_has("march.csv:10: error: participant is empty")
        .stderr_lacks("\"came late?\"");
}

#[test]
fn a_timesheet_day_over_24_hours_counts_the_rows_already_logged() {
    let root = DataRoot::example();
    root.append(PRACTICUM, "p18,2025-03-01,20,support,Sam Whitfield,\n");
    timesheet_refused(
        &root,
        "march.csv",
        "participant,date,hours,monitor\np18,2025-03-01,3,Grace Okafor\np04,2025-03-01,20,Grace Okafor\np18,2025-03-01,1:30,Grace Okafor\n",
        "march.csv:4: error: p18 would have 24.5 h on 2025-03-01 (20 h already in cohorts/2024-fall/practicum.csv, 4.5 h in this timesheet so far); one day holds at most 24",
    )
    .stderr_has("1 problem in march.csv");
}

#[test]
fn a_timesheet_logged_twice_is_refused_the_second_time() {
    let root = DataRoot::example();
    let sheet = saved(SHEET, ";", "\r\n", true);
    root.write("march.csv", &sheet);
    root.ok("practicum log 2024-fall --from march.csv");
    timesheet_refused(
        &root,
        "march.csv",
        &sheet,
        "march.csv:2: error: cohorts/2024-fall/practicum.csv already has this row (2.5 h of p18 on 2025-03-01, same kind, monitor and note): was this timesheet logged before?",
    )
    .stderr_has("3 problems in march.csv");
    // The same hours written another way are the same row.
    timesheet_refused(
        &root,
        "april.csv",
        "participant,date,hours,kind,monitor,note\np18,2025-03-02,1.5,Support,Grace Okafor,\n",
        "april.csv:2: error: cohorts/2024-fall/practicum.csv already has this row (1.5 h of p18 on 2025-03-02",
    );
}

#[test]
fn a_timesheet_dry_run_shows_the_rows_and_writes_nothing() {
    let root = DataRoot::example();
    root.write("march.csv", saved(SHEET, "\t", "\n", false));
    root.unchanged("practicum log 2024-fall --from march.csv --dry-run")
        .stdout_has("dry run: nothing was written; cohorts/2024-fall/practicum.csv would get 3 rows from march.csv:\n  p18,2025-03-01,2.5,support,Grace Okafor,home visit; follow-up\n");
}

#[test]
fn timesheet_usage_errors_exit_2() {
    let root = DataRoot::example();
    root.write("empty.csv", "participant,date,hours\n");
    root.write("march.csv", saved(SHEET, ",", "\n", false));
    refused_lines(
        &root,
        2,
        &[
            (
                "practicum log 2024-fall --from empty.csv",
                "empty.csv has no rows below its header; nothing was written",
            ),
            (
                "practicum log 2024-fall --from missing.csv",
                "cannot read the timesheet missing.csv",
            ),
            (
                "practicum log 2024-fall --from march.csv --date 2025-03-01",
                "cannot be used with",
            ),
            (
                "practicum log 2024-fall --from march.csv --kind training",
                "the argument '--from <FILE>' cannot be used with '--kind <K>'",
            ),
            ("practicum log 2024-fall --date 2025-03-01", "required"),
        ],
    );
    timesheet_refused(
        &root,
        "who.csv",
        "who,when\np18,2025-03-01\n",
        "who.csv:1: error: the header has no \"participant\" or \"date\" or \"hours\" column",
    );
    root.ok("practicum log --help")
        .stdout_has("cohort practicum log 2024-fall --from timesheet-march.xlsx --dry-run");
}

#[test]
fn an_xlsx_timesheet_names_the_sheet_and_row_of_each_problem() {
    let root = DataRoot::example();
    let mut book = Workbook::new();
    let rows: &[&[&str]] = &[
        &["participant", "date", "hours", "monitor"],
        &["p18", "2025-03-01", "", "Grace Okafor"],
        &["p18", "2025-03-02", "", "Grace Okafor"],
    ];
    let ws = text_sheet(&mut book, "Hours", rows);
    ws.write_number(1, 2, 0.1 + 0.2).unwrap();
    ws.write_formula(
        2,
        2,
        rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
    )
    .unwrap();
    book.save(root.path("hours.xlsx")).unwrap();
    let run = refused_line(
        &root,
        "practicum log 2024-fall --from hours.xlsx",
        1,
        "hours.xlsx: error: sheet \"Hours\" row 2: \"0.30000000000000004\"",
    );
    run.stderr_has("nothing was written to cohorts/2024-fall/practicum.csv");
    run.stderr_has("hours.xlsx: error: sheet \"Hours\" row 3: cell C3 holds the spreadsheet error #DIV/0!\n help: fix the formula or type the value itself")
        .stderr_has("3 problems in hours.xlsx");
}
