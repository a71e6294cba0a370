//! `cohort check` on the shipped example, on broken files (see also the
//! catalogue in errors.rs), and on the forms spreadsheets save files in.

use crate::support::DataRoot;

#[test]
fn the_shipped_example_passes_check() {
    DataRoot::example()
        .ok("check")
        .stderr_has("checked the curriculum and 1 cohort: 0 errors, 5 warnings");
}

#[test]
fn check_lists_every_problem_not_just_the_first() {
    let root = DataRoot::example();
    root.append(
        "cohorts/2024-fall/attendance/03.csv",
        "p99,present,,,,\np06,partial,,,,\np07,makeup,,,,\n",
    );
    root.append(
        "cohorts/2024-fall/practicum.csv",
        "p18,2025-03-01,\"1,5\",support,Sam Whitfield,\n",
    );
    root.edit(
        "cohorts/2024-fall/attendance/09.csv",
        "p01,present",
        "p01,presnt",
    );
    let run = root.cli_line("check").refused(1, ": error: ");
    assert!(run.stdout.is_empty());
    insta::assert_snapshot!("check_several_errors", run.stderr);
}

#[test]
fn check_one_cohort_and_warnings_alone_exit_0() {
    let root = DataRoot::example();
    root.remove("cohorts/2024-fall/attendance/17.csv");
    root.ok("check 2024-fall")
        .stderr_has("17.csv: warning: webinar 17 was held")
        .stderr_has("0 errors, 6 warnings");
}

/// Rewrites a CSV file with its columns in another order and its header in
/// another case, quoting as a spreadsheet does.
fn reorder(root: &DataRoot, rel: &str, order: &[usize], upper: bool) {
    let mut w = csv::Writer::from_writer(Vec::new());
    for (i, record) in root.rows(rel).iter().enumerate() {
        let cells: Vec<String> = order
            .iter()
            .map(|&c| {
                if i == 0 && upper {
                    record[c].to_uppercase()
                } else {
                    record[c].clone()
                }
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    root.write(rel, w.into_inner().unwrap());
}

/// Writes a file again as a spreadsheet might save it: a byte-order mark
/// first if `bom`, and `newline` at the end of each line.
fn resave(root: &DataRoot, rel: &str, bom: bool, newline: &str) {
    let start = if bom { "\u{feff}" } else { "" };
    let text = root.read(rel).replace('\n', newline);
    root.write(rel, format!("{start}{text}"));
}

#[test]
fn spreadsheet_habits_are_accepted() {
    // The example's report, for comparing a re-saved file against.
    let expected = DataRoot::example()
        .ok("report 2024-fall --format csv")
        .stdout;
    let files = [
        "cohorts/2024-fall/attendance/03.csv",
        "cohorts/2024-fall/attendance/04.csv",
        "cohorts/2024-fall/practicum.csv",
    ];
    type Change = fn(&DataRoot, &str);
    let changes: [(&str, Change); 6] = [
        ("a byte-order mark", |r, f| resave(r, f, true, "\n")),
        ("CRLF line ends", |r, f| resave(r, f, false, "\r\n")),
        ("BOM and CRLF together", |r, f| resave(r, f, true, "\r\n")),
        ("trailing blank lines", |r, f| {
            r.append(f, "\n\n\r\n");
        }),
        ("blank rows between rows and empty cells", |r, f| {
            let text = r.read(f);
            let mut lines: Vec<&str> = text.lines().collect();
            lines.insert(3, ",,,,,");
            lines.insert(2, "");
            r.write(f, lines.join("\n") + "\n");
        }),
        ("columns in another order, header in capitals", |r, f| {
            reorder(r, f, &[5, 3, 1, 0, 4, 2], true);
        }),
    ];
    for (what, change) in changes {
        let root = DataRoot::example();
        for f in files {
            change(&root, f);
        }
        let check = root.cohort("check");
        assert_eq!(check.code, 0, "{what}:\n{}", check.stderr);
        assert!(
            check.stderr.contains("0 errors, 5 warnings"),
            "{what}:\n{}",
            check.stderr
        );
        let report = root.cohort("report 2024-fall --format csv");
        assert_eq!(report.stdout, expected, "{what}");
    }
}

#[test]
fn a_correction_in_a_resaved_file_still_stands() {
    // p09's correction in 04.csv survives CRLF and a BOM (the last row stands).
    let root = DataRoot::example();
    resave(&root, "cohorts/2024-fall/attendance/04.csv", true, "\r\n");
    root.ok("report 2024-fall --format csv")
        .stdout_has("2024-fall,p09,Rahim Chowdhury,17,17,,0,0,Level 1,");
}
