//! What a merge can leave, as `check`, `report`, `issue` and `export` see it.

use crate::support::{DataRoot, refused_line};

const TWICE: &str = "number,cohort,participant,name,level,date,issued_at,status,reason\n\
PSCE-KDHW-F7RY-Q,2024-fall,p03,Siobhán O'Brien,Level 1,2025-01-23,2025-01-24T10:00:00-05:00,issued,\n\
PSCE-BTH9-43W3-H,2024-fall,p03,Siobhán O'Brien,Level 1,2025-01-23,2025-01-24T10:20:00-05:00,issued,\n";

#[test]
fn two_certificates_for_one_level_stop_issue_export_and_report_until_one_is_revoked() {
    let root = DataRoot::example();
    root.write("certificates.csv", TWICE);
    for line in [
        "issue 2024-fall",
        "export 2024-fall --format csv",
        "report 2024-fall",
    ] {
        let run = root.cli_line(line).refused(
            1,
            "certificates.csv:3: error: p03 of 2024-fall holds two Level 1 certificates",
        );
        run.stderr_has("cohort revoke PSCE-BTH9-43W3-H --reason \"issued twice\"");
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    // The fix the message gives works, and then everything goes on.
    root.ok("revoke PSCE-BTH9-43W3-H --reason 'issued twice' --yes");
    root.cohort("check").success().stderr_lacks("two Level 1");
    root.ok("export 2024-fall --format csv")
        .stdout_has("PSCE-KDHW-F7RY-Q");
}

#[test]
fn conflict_markers_stop_report_issue_and_export_and_attend() {
    let root = DataRoot::example();
    root.append(
        "cohorts/2024-fall/attendance/03.csv",
        "<<<<<<< HEAD\np06,absent,,A,2024-09-17T15:00:00-04:00,\n=======\np06,present,,B,2024-09-17T15:01:00-04:00,\n>>>>>>> origin/main\n",
    );
    for line in [
        "report 2024-fall",
        "issue 2024-fall",
        "export 2024-fall",
        "attend 2024-fall 3 --present p06",
    ] {
        let message =
            "cohorts/2024-fall/attendance/03.csv:20: error: a git merge left two versions here";
        refused_line(&root, line, 1, message).stderr_lacks("quote");
    }
}

#[test]
fn a_row_recorded_after_both_settles_an_overlap() {
    let root = DataRoot::example();
    root.append(
        "cohorts/2024-fall/attendance/03.csv",
        "p06,absent,,Malik Haddad,2024-09-17T15:10:00-04:00,\np06,present,,Rosa Delgado,2024-09-17T15:05:00-04:00,\n",
    );
    root.ok("check")
        .stderr_has("p06 was recorded differently on two machines");
    // The recorders agree on absent, and one records it again.
    root.cohort("attend 2024-fall 3 --absent p06").success();
    root.ok("check").stderr_lacks("recorded differently");
    root.ok("report 2024-fall --format csv")
        .stdout_has("2024-fall,p06,Ingrid Sørensen,16,17,3,");
}
