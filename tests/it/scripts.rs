//! What scripts rely on: `--format json` of `check`, `verify`, `issue` and
//! `attend`, and `revoke`'s confirmation.

use serde_json::Value;

use crate::certificates::{issued, number, number_of};
use crate::support::{DataRoot, REGISTER};
use crate::verify_index::issued_and_revoked;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

#[test]
fn check_json_lists_every_problem_with_file_line_column_and_help() {
    let root = DataRoot::example();
    root.append(
        "cohorts/2024-fall/attendance/03.csv",
        "p06,present,,Rosa Delgado,2024-09-17 14:04,\n",
    );
    let run = root.cohort("check --format json");
    run.code(1);
    assert_eq!(run.stderr, "", "JSON mode prints nothing on stderr");
    let v = json(&run.stdout);
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 5);
    assert_eq!(v["cohorts_checked"], 1);
    let all = v["diagnostics"].as_array().unwrap();
    assert_eq!(all.len(), 6);
    let error = all.iter().find(|d| d["severity"] == "error").unwrap();
    assert_eq!(error["file"], "cohorts/2024-fall/attendance/03.csv");
    assert_eq!(error["line"], 20);
    // "p06,present,,Rosa Delgado," is 26 characters: the timestamp starts at 27.
    assert_eq!(error["column"], 27);
    assert_eq!(
        error["message"],
        "recorded_at \"2024-09-17 14:04\" is not an RFC 3339 timestamp"
    );
    assert_eq!(
        error["help"],
        "write it like 2024-09-10T14:05:00-04:00, or leave it empty"
    );
    assert_eq!(error["kind"], "bad-timestamp");
    for d in all {
        let keys = d.as_object().unwrap().len();
        assert_eq!(
            keys, 7,
            "file, line, column, severity, kind, message, help: {d}"
        );
    }
    // The same problems as the text output, no more and no fewer.
    let shown = root
        .cohort("check")
        .stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .count();
    assert_eq!(shown, all.len());
    // Clean data: ok, exit 0.
    let v = DataRoot::example().json("check --format json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["errors"], 0);
    // The column counts characters, not bytes: "p04,present,,Zoë Ærø," is
    // 21 characters (24 bytes).
    let root = DataRoot::example();
    root.append(
        "cohorts/2024-fall/attendance/03.csv",
        "p04,present,,Zoë Ærø,2024-09-17 14:04,\n",
    );
    let v = json(&root.cohort("check --format json").code(1).stdout);
    let all = v["diagnostics"].as_array().unwrap();
    let error = all.iter().find(|d| d["severity"] == "error").unwrap();
    assert_eq!(error["column"], 22, "{error}");
}

#[test]
fn verify_json_tells_valid_revoked_unknown_mistyped_and_malformed_apart() {
    let (root, valid, revoked) = issued_and_revoked();
    let mut typo = valid.clone().into_bytes();
    typo[5] = if typo[5] == b'0' { b'1' } else { b'0' };
    let typo = String::from_utf8(typo).unwrap();
    // A well-formed number nobody holds: the typo with the check character that fits it.
    let unknown = number(&format!("{}{}", &typo[5..9], &typo[10..14]));

    let cases = [
        (valid.as_str(), "valid", 0),
        (revoked.as_str(), "revoked", 1),
        (unknown.as_str(), "unknown", 1),
        (typo.as_str(), "mistyped", 2),
        ("PSCE-7K3M-9X2Q", "malformed", 2),
    ];
    for (typed, status, code) in cases {
        let run = root.run(&["verify", typed, "--format", "json"]);
        run.code(code);
        let v = json(&run.stdout);
        assert_eq!(v["status"], status, "{typed}: {v}");
        assert_eq!(v["typed"], typed);
        // The text output gives the same exit code.
        root.run(&["verify", typed]).code(code);
    }
    let verify_json =
        |line: String| json(&root.cohort(&format!("verify {line} --format json")).stdout);
    let v = verify_json(valid.clone());
    assert_eq!(v["number"], valid.as_str());
    assert_eq!(v["certificate"]["holder"], "Zoë Martin-Leclerc");
    assert_eq!(v["certificate"]["level"], "Certified");
    assert_eq!(v["certificate"]["credential"], "Certified Peer Supporter");
    assert_eq!(v["certificate"]["cohort"], "2024-fall");
    assert_eq!(v["certificate"]["cohort_name"], "Fall 2024");
    assert_eq!(v["revoked"], Value::Null);
    // Nothing private: no email, no participant id.
    let out = root.run(&["verify", &valid, "--format", "json"]).stdout;
    assert!(!out.contains("p01"), "{out}");
    assert!(!out.contains('@'), "{out}");

    // The free-text reason is for staff only.
    let v = verify_json(revoked.clone());
    assert_eq!(v["revoked"]["reason"], serde_json::Value::Null);
    let v = verify_json(format!("{revoked} --staff"));
    assert_eq!(v["revoked"]["reason"], "issued in error");
    assert_eq!(v["revoked"]["date"].as_str().unwrap().len(), 10);
    assert_eq!(v["certificate"]["holder"], "Darnell Brooks, Jr.");

    let v = verify_json(typo.clone());
    assert_eq!(v["did_you_mean"], serde_json::json!([valid]));

    let v = verify_json("PSCE-7K3M-9X2Q".into());
    assert_eq!(v["number"], Value::Null);
    assert!(v["problem"].as_str().unwrap().contains("too short"));
}

#[test]
fn issue_json_names_every_certificate_and_dry_run_draws_no_numbers() {
    let root = DataRoot::example();
    // The dry run writes nothing.
    let run = root.unchanged("issue 2024-fall --dry-run --format json");
    let v = json(&run.stdout);
    assert_eq!(v["dry_run"], true);
    let due = v["certificates"].as_array().unwrap();
    assert_eq!(due.len(), 12);
    assert!(due.iter().all(|c| c["number"].is_null()));
    assert_eq!(due[0]["participant"], "p01");
    assert_eq!(due[0]["level"], "Certified");

    let v = root.json("issue 2024-fall --format json");
    assert_eq!(v["dry_run"], false);
    let s = |c: &Value, key: &str| c[key].as_str().unwrap().to_string();
    let got: Vec<(String, String, String)> = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (s(c, "number"), s(c, "participant"), s(c, "level")))
        .collect();
    // The issued rows of the register: (number, participant, level).
    let want: Vec<(String, String, String)> = root.rows(REGISTER)[1..]
        .iter()
        .filter(|r| r[7] == "issued")
        .map(|r| (r[0].clone(), r[2].clone(), r[4].clone()))
        .collect();
    assert_eq!(got, want);
    // Again: nothing to issue, an empty list.
    let v = json(&root.cohort("issue 2024-fall --format json").stdout);
    assert_eq!(v["certificates"], serde_json::json!([]));
}

#[test]
fn attend_dry_run_json_gives_the_rows_and_writes_nothing() {
    let root = DataRoot::example();
    let run = root.unchanged("attend 2024-fall 3 --absent p01 --partial p02=95 --by 'Ana Trainer' --dry-run --format json");
    let v = json(&run.stdout);
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["file"], "cohorts/2024-fall/attendance/03.csv");
    assert_eq!(v["webinar"], 3);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["participant"], "p01");
    assert_eq!(rows[0]["status"], "absent");
    assert_eq!(rows[0]["minutes"], Value::Null);
    assert_eq!(rows[1]["status"], "partial");
    assert_eq!(rows[1]["minutes"], 95);
    assert_eq!(rows[1]["recorded_by"], "Ana Trainer");

    // Without --dry-run the same shape, and the rows are in the file.
    let v = root.json("attend 2024-fall 3 --absent p01 --format json");
    assert_eq!(v["dry_run"], false);
    assert_eq!(v["rows"][0]["participant"], "p01");
    let last = root.read("cohorts/2024-fall/attendance/03.csv");
    assert!(last.lines().last().unwrap().starts_with("p01,absent,"));
}

#[test]
fn revoke_without_a_terminal_needs_yes() {
    let root = issued();
    let n = number_of(&root, "p05", "Level 1R");
    let before = root.snapshot();
    root.cli(&["revoke", &n, "--reason", "issued in error"])
        .refused(
            2,
            &format!("revoking {n} (Darnell Brooks, Jr. of 2024-fall, Level 1R since"),
        )
        .stderr_has("add --yes");
    // Piped input is no terminal either: a "y" on a pipe does not count.
    root.run_with(
        &["revoke", &n, "--reason", "issued in error"],
        &[],
        Some("y\n"),
    )
    .fails(2, "add --yes");
    assert_eq!(root.snapshot(), before);
    root.ok(&format!("revoke {n} --reason 'issued in error' --yes"))
        .stdout_has(&format!("revoked {n}"));
    assert_ne!(root.snapshot(), before);
}

/// `cohort revoke` on a pseudo-terminal made by util-linux `script`, with
/// `answer` typed; gives the exit code and what the terminal showed.
fn revoke_on_terminal(root: &DataRoot, number: &str, answer: &str) -> (i32, String) {
    root.on_terminal(&format!("revoke {number} --reason 'name misspelt'"), answer)
}

#[test]
fn revoke_asks_on_a_terminal_showing_what_it_revokes() {
    let root = issued();
    let n = number_of(&root, "p05", "Level 1R");
    let before = root.snapshot();

    let (code, shown) = revoke_on_terminal(&root, &n, "n\n");
    assert!(
        shown.contains(&format!(
            "revoke {n} (Darnell Brooks, Jr. of 2024-fall, Level 1R since"
        )),
        "{shown}"
    );
    assert!(shown.contains("revoke it? [y/N]"), "{shown}");
    assert!(shown.contains("cancelled; nothing was revoked"), "{shown}");
    assert_eq!(code, 1, "{shown}");
    assert_eq!(root.snapshot(), before, "answering no writes nothing");

    // Enter alone is no.
    let (code, _) = revoke_on_terminal(&root, &n, "\n");
    assert_eq!(code, 1);
    assert_eq!(root.snapshot(), before);

    let (code, shown) = revoke_on_terminal(&root, &n, "y\n");
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains(&format!("revoked {n}")), "{shown}");
    let register = root.read(REGISTER);
    let last = register.lines().last().unwrap();
    assert!(last.starts_with(&n), "{last}");
    assert!(last.contains(",revoked,name misspelt"), "{last}");
}
