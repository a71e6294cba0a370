//! `cohort report`: columns, formats, ordering, as-of, one person's record,
//! where the data root is found, usage errors, and pipes.

use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::support::{DataRoot, Run, csv_rows, files_below, refused_lines, words};

const HEADER: &str =
    "cohort,participant,name,attended,required,missed,upcoming,practicum_hours,outcome,reasons";

/// A copy of cohort 2024-fall under another id.
fn copy_cohort(root: &DataRoot, id: &str) {
    for (rel, bytes) in files_below(&root.path("cohorts/2024-fall")) {
        root.write(&format!("cohorts/{id}/{rel}"), bytes);
    }
    root.edit(
        &format!("cohorts/{id}/cohort.toml"),
        "id = \"2024-fall\"",
        &format!("id = \"{id}\""),
    );
}

fn row<'a>(rows: &'a [Vec<String>], participant: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[1] == participant)
        .unwrap_or_else(|| panic!("no row for {participant}"))
}

#[test]
fn csv_report_has_the_contract_columns_and_the_example_outcomes() {
    let run = DataRoot::example().ok("report 2024-fall --format csv");
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0].join(","), HEADER);
    assert_eq!(rows.len(), 19);
    assert!(rows.iter().all(|r| r.len() == 10));
    for want in [
        "2024-fall|p01|Zoë Martin-Leclerc|17|17||0|50|Certified|",
        "2024-fall|p04|Nguyễn Thị Mai|17|17||0|32.5|Level 1R|practicum 32.5 of 50 h; practicum not yet evaluated",
        "2024-fall|p05|Darnell Brooks, Jr.|17|17||0|52|Level 1R|practicum evaluated as not passed on 2025-02-20",
        "2024-fall|p06|Ingrid Sørensen|17|17||0|48.75|Level 1R|practicum 48.75 of 50 h",
        "2024-fall|p07|Mateus Conceição|16|17|6|0|0|Incomplete|missed webinar 6 (partial, 104 of 105 minutes; make-up needed)",
        "2024-fall|p08|Chloé Fontaine|16|17|12|0|0|Incomplete|missed webinar 12 (excused; make-up needed)",
        "2024-fall|p10|Kateřina Dvořák|6|17|7 8 9 10 11 12 13 14 15 16 17|0|0|Incomplete|withdrew on 2024-10-02",
        "2024-fall|p11|Liam Kowalski|17|17||0|0|Incomplete|awaiting trainer evaluation",
        "2024-fall|p14|Renée Lachance|17|17||0|14.25|Level 1R|practicum 14.25 of 50 h; practicum not yet evaluated",
        "2024-fall|p17|Élodie Moreau|15|17|3 14|0|0|Incomplete|missed webinar 3 (absent; make-up needed); missed webinar 14 (absent; make-up needed)",
    ] {
        let id = want.split('|').nth(1).unwrap();
        assert_eq!(row(&rows, id).join("|"), want, "case {id}");
    }
    // docs/example-cohort.md: 6 Incomplete, 4 Level 1, 5 Level 1R, 3 Certified.
    let count = |level: &str| rows.iter().filter(|r| r[8] == level).count();
    let counts = ["Incomplete", "Level 1", "Level 1R", "Certified"].map(count);
    assert_eq!(counts, [6, 4, 5, 3]);
    // Warnings go to stderr, never into the data.
    run.stderr_has("will not count");
    assert!(!run.stdout.contains("warning"));
}

#[test]
fn json_report_has_the_contract_keys_types_and_order() {
    let run = DataRoot::example().ok("report 2024-fall --format json");
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = value.as_array().unwrap();
    assert_eq!(rows.len(), 18);
    // Keys in the CSV's order, in the text itself.
    let first = run.stdout.split('}').next().unwrap();
    let positions: Vec<usize> = HEADER
        .split(',')
        .map(|k| {
            first
                .find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("no key {k}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "keys out of order: {first}"
    );
    for row in rows {
        assert_eq!(row.as_object().unwrap().len(), 10);
        assert!(row["missed"].as_array().unwrap().iter().all(|m| m.is_u64()));
        assert!(row["practicum_hours"].is_number());
        let reasons = row["reasons"].as_array().unwrap();
        assert!(reasons.iter().all(serde_json::Value::is_string));
        assert!(row["attended"].is_u64() && row["required"].is_u64() && row["upcoming"].is_u64());
    }
    let p = |id: &str| rows.iter().find(|r| r["participant"] == id).unwrap();
    assert_eq!(p("p17")["missed"], serde_json::json!([3, 14]));
    assert_eq!(p("p04")["practicum_hours"], serde_json::json!(32.5));
    assert_eq!(p("p01")["practicum_hours"], serde_json::json!(50));
    assert_eq!(p("p01")["reasons"], serde_json::json!([]));
    assert_eq!(
        p("p04")["reasons"],
        serde_json::json!(["practicum 32.5 of 50 h", "practicum not yet evaluated"])
    );
    assert_eq!(p("p05")["name"], "Darnell Brooks, Jr.");
    assert_eq!(p("p10")["outcome"], "Incomplete");
}

#[test]
fn all_cohorts_are_ordered_by_cohort_then_participant() {
    let root = DataRoot::example();
    copy_cohort(&root, "2023-winter");
    // p00 comes last in the file but first in the report.
    root.append(
        "cohorts/2023-winter/cohort.toml",
        "\n[[participant]]\nid = \"p00\"\nname = \"Late Enrolment\"\n",
    );
    let run = root.ok("report --all --format csv");
    let rows = csv_rows(&run.stdout);
    let keys: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert!(keys.is_sorted(), "{keys:?}");
    assert_eq!(keys.len(), 37);
    assert_eq!(keys[0], ("2023-winter".to_string(), "p00".to_string()));
    assert_eq!(keys[19].0, "2024-fall");
    // Naming both gives the same, whatever the order they are named in.
    let named = root.cohort("report 2024-fall 2023-winter --format csv");
    assert_eq!(named.stdout, run.stdout);
    // JSON keeps the same order.
    let value = root.json("report --all --format json");
    let text = |r: &serde_json::Value, key: &str| r[key].as_str().unwrap().to_string();
    let json_keys: Vec<(String, String)> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (text(r, "cohort"), text(r, "participant")))
        .collect();
    assert_eq!(json_keys, keys);
}

/// The example as it stood before webinar 11 was recorded.
pub fn mid_cohort() -> DataRoot {
    let root = DataRoot::example();
    for w in 11..=17 {
        root.remove(&format!("cohorts/2024-fall/attendance/{w:02}.csv"));
    }
    root
}

#[test]
fn as_of_mid_cohort_counts_upcoming_webinars_and_shows_who_is_at_risk() {
    let root = mid_cohort();
    let rows = root.csv("report 2024-fall --as-of 2024-10-15 --format csv");
    // Webinar 11 is on the as-of date: upcoming, like 12 to 17.
    // Her practicum hours are all dated after 2024-10-15: none count yet.
    assert_eq!(row(&rows, "p01")[3..=8].join("|"), "10|17||7|0|Incomplete");
    // Her evaluation is dated 2024-11-07: not yet made.
    assert_eq!(
        row(&rows, "p01")[9],
        "7 webinars upcoming; awaiting trainer evaluation"
    );
    assert_eq!(row(&rows, "p07")[5], "6");
    assert_eq!(
        row(&rows, "p07")[9],
        "missed webinar 6 (partial, 104 of 105 minutes; make-up needed); 7 webinars upcoming; awaiting trainer evaluation"
    );
    assert_eq!(row(&rows, "p17")[5], "3");
    // p03's make-up was recorded on 2025-01-21: as of 2024-10-15 the
    // absence stood (SPEC "Rules": the records as they stood that day).
    assert_eq!(row(&rows, "p03")[5], "9");
    assert!(row(&rows, "p03")[9].starts_with("missed webinar 9 (absent; make-up needed)"));
    assert_eq!(row(&rows, "p10")[5..=6].join("|"), "7 8 9 10|7");
    assert!(rows[1..].iter().all(|r| r[8] == "Incomplete"));

    root.ok("report 2024-fall --as-of 2024-10-15")
        .stdout_has("as of 2024-10-15")
        .stdout_has("18 participants: 18 Incomplete; 3 at risk");
    // A day later webinar 11 is held and unrecorded: missed, and a warning.
    let later = root.ok("report 2024-fall --as-of 2024-10-16 --format csv");
    later.stderr_has("webinar 11 was held on 2024-10-15 but no attendance is recorded");
    assert_eq!(
        row(&csv_rows(&later.stdout), "p01")[5..=6].join("|"),
        "11|6"
    );
}

#[test]
fn report_table_snapshot() {
    let run = DataRoot::example().ok("report 2024-fall");
    insta::assert_snapshot!("report_table_2024_fall", run.stdout);
}

#[test]
fn one_participants_record_shows_the_correction_and_the_rows_that_do_not_count() {
    let root = DataRoot::example();
    root.ok("report 2024-fall --participant p09")
        .stdout_has("Rahim Chowdhury (p09)")
        .stdout_has("line 10: absent")
        .stdout_has("line 20: present \"correction:")
        .stdout_has("17 of 17 attended");
    // A row kept for the record is read again from its place: a quoted note
    // with doubled quotes comes out whole, every cell as written.
    let value = root.json("report 2024-fall --participant p09 --format json");
    assert_eq!(
        value["webinars"][3]["history"][1],
        serde_json::json!({
            "line": 20, "status": "present", "minutes": null,
            "recorded_by": "Malik Haddad", "recorded_at": "2024-09-19T15:40:00-04:00",
            "note": "correction: was in the meeting as \"Rahim C.\" (phone), missed on the first pass",
            "after_as_of": false,
        })
    );
    let history = value["webinars"][3]["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0]["status"].as_str(), history[1]["status"].as_str()),
        (Some("absent"), Some("present"))
    );
    // p01's four rows that do not count, each with its reason (JSON: the
    // table wraps long reasons).
    let value = root.json("report 2024-fall --participant p01 --format json");
    let not_counted: Vec<String> = value["practicum"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["counted"] == false)
        .map(|r| format!("{}: {}", r["line"], r["why_not"].as_str().unwrap()))
        .collect();
    assert_eq!(
        not_counted,
        [
            "2: dated on or before the cohort's last session (2024-11-05); practicum hours count only after it",
            "14: no monitor named; only monitored support counts",
            "28: kind is \"supervision\"; only monitored person-to-person support counts",
            "35: kind is \"training\"; only monitored person-to-person support counts",
        ]
    );
    assert_eq!(value["outcome"], "Certified");
    root.ok("report 2024-fall --participant p01")
        .stdout_has("practicum")
        .stdout_has("no: kind is");
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let root = DataRoot::example();
    root.rename("Kwame Mensah", "=HYPERLINK(\\\"http://x\\\")");
    root.rename("Liam Kowalski", "-Liam+");
    let rows = root.csv("report 2024-fall --format csv");
    assert_eq!(row(&rows, "p13")[2], "'=HYPERLINK(\"http://x\")");
    assert_eq!(row(&rows, "p11")[2], "'-Liam+");
    // JSON is for programs: names as they are.
    root.ok("report 2024-fall --format json")
        .stdout_has("\"name\": \"=HYPERLINK(\\\"http://x\\\")\"");
}

/// `cohort LINE` (split as a shell would) run in `cwd`, in the environment
/// of [`DataRoot::run`] with `env` added.
fn run_in(root: &DataRoot, cwd: &Path, line: &str, env: &[(&str, &str)]) -> Run {
    let mut cmd = root.command(&words(line));
    cmd.current_dir(cwd).envs(env.iter().copied());
    Run::of(line.to_string(), cmd.output().unwrap())
}

#[test]
fn the_data_root_is_found_from_a_subfolder_or_named_by_root_or_cohort_root() {
    let root = DataRoot::example();
    let expected = root.cohort("report 2024-fall --format csv").stdout;
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = root.dir().to_str().unwrap();
    let found = |cwd: &Path, line: &str, env: &[(&str, &str)]| {
        let run = run_in(&root, cwd, &format!("{line} --format csv"), env);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, expected.as_str()),
            "{line}"
        );
    };
    let (sub, away) = (root.path("cohorts/2024-fall/attendance"), elsewhere.path());
    found(&sub, "report 2024-fall", &[]);
    found(away, &format!("--root '{dir}' report 2024-fall"), &[]);
    found(away, "report 2024-fall", &[("COHORT_ROOT", dir)]);
    // --root wins over COHORT_ROOT.
    let line = format!("--root '{}' report 2024-fall", away.display());
    run_in(&root, away, &line, &[("COHORT_ROOT", dir)]).fails(2, "has no curriculum.toml");
    // Nothing above: a usage error that says how to name one.
    let run = run_in(&root, away, "report 2024-fall", &[]);
    run.fails(2, "no curriculum.toml here or in any folder above");
    assert_eq!(run.stdout, "");
}

#[test]
fn usage_errors_exit_2_with_a_hint_and_change_nothing() {
    let root = DataRoot::example();
    root.cli_line("report 2024-fal")
        .refused(2, "there is no cohort \"2024-fal\"")
        .stderr_has("did you mean 2024-fall?");
    refused_lines(
        &root,
        2,
        &[
            (
                "report",
                "name a cohort, or give --all; the cohorts are: 2024-fall",
            ),
            ("report 2024-fall --all", "not both"),
            ("report 2024-fall --as-of 15/10/2024", "YYYY-MM-DD"),
            // Only the exit code is asked of this one.
            ("report 2024-fall --format xml", ""),
            ("status nope", "the cohorts are: 2024-fall"),
            ("check 2024-fal", "did you mean 2024-fall?"),
            // Unknown participant: a usage error naming the cohort.
            ("report 2024-fall --participant p99", "p99"),
            ("report --participant p09", "exactly one cohort"),
        ],
    );
    root.cli(&["report", "2024-fall"])
        .env("COHORT_TODAY", "tomorrow")
        .refused(2, "COHORT_TODAY");
}

#[test]
fn report_refuses_data_with_errors_and_goes_on_with_warnings() {
    let root = DataRoot::example();
    root.append("cohorts/2024-fall/attendance/03.csv", "p99,present,,,,\n");
    let run = root
        .cli_line("report 2024-fall")
        .refused(1, "03.csv:20: error: unknown participant \"p99\"");
    run.stderr_has("refusing to go on");
    assert!(run.stdout.is_empty());
}

#[test]
fn a_closed_pipe_is_success() {
    // Enough cohorts that the output overflows the pipe's buffer.
    let root = DataRoot::example();
    for i in 0..12 {
        copy_cohort(&root, &format!("c{i:02}"));
    }
    let mut child = root
        .command(&["report", "--all", "--format", "json"])
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe is closed with output still to come.
    assert_eq!(first, "[\n");
    let out = child.wait_with_output().unwrap();
    Run::of("report --all --format json".into(), out)
        .success()
        .stderr_lacks("error");
}

#[test]
fn completions_and_the_manual_page_need_no_data_root() {
    let (root, elsewhere) = (DataRoot::empty(), tempfile::tempdir().unwrap());
    let away = |line: &str| run_in(&root, elsewhere.path(), line, &[]);
    away("completions bash")
        .success()
        .stdout_has("_clap_complete_cohort()")
        .stdout_has("COMPLETE=\"bash\"");
    let out = away("man").success().stdout.clone();
    assert!(
        out.starts_with(".ie") || out.contains(".TH cohort"),
        "{}",
        &out[..out.len().min(200)]
    );
    away("completions tcsh").code(2);
}
