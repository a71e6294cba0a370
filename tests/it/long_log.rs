//! `attend` on a webinar log far longer than any real one (8,000 rows of
//! history): it is read whole, like any log, so what `attend` decides is
//! right however long the log has grown, and a damaged row anywhere in it
//! stops the append with its line.

use crate::support::DataRoot;

const LOG: &str = "cohorts/2024-fall/attendance/03.csv";

/// The example with 8,000 rows of earlier history at the top of webinar 3's
/// log (every participant absent), its real rows after them.
fn long_root() -> (DataRoot, String) {
    let root = DataRoot::example();
    let text = root.read(LOG);
    let (header, real) = text.split_once('\n').unwrap();
    let mut long = format!("{header}\n");
    for i in 0..8000 {
        long += &format!(
            "p{:02},absent,,A Trainer,2024-09-17T14:00:00-04:00,\n",
            i % 18 + 1
        );
    }
    long += real;
    root.write(LOG, &long);
    (root, long)
}

#[test]
fn a_correction_on_a_long_log_sees_the_standing_rows_at_its_end() {
    let (root, before) = long_root();
    root.ok("attend 2024-fall 3 --absent p01 --present p17")
        .stdout_has("p01: present → absent (a correction; the earlier row stays as history)")
        .stdout_has("p17: absent → present (a correction");
    let after = root.read(LOG);
    let added = after.strip_prefix(&before).expect("only appended");
    assert_eq!(added.lines().count(), 2, "{added}");
    assert!(added.starts_with("p01,absent,,"), "{added}");
    // Marking again what stands writes nothing.
    root.ok("attend 2024-fall 3 --absent p01")
        .stdout_has("unchanged (already recorded so, nothing written for them): p01");
    assert_eq!(root.read(LOG), after);
    root.cohort("check").success();
}

#[test]
fn the_summary_after_attend_on_a_long_log_counts_every_standing_row() {
    let (root, _) = long_root();
    let line = "attend 2024-fall 3 --present p17 --dry-run";
    let long = root.ok(line).stdout;
    let short = DataRoot::example().ok(line).stdout;
    let without_stamps = |s: &str| {
        s.lines()
            .filter(|l| !l.trim_start().starts_with("p17,present"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(without_stamps(&long), without_stamps(&short));
}

#[test]
fn a_wrong_row_near_the_end_of_a_long_log_refuses_with_its_line() {
    let (root, _) = long_root();
    root.append(LOG, "p02,presnt,,A Trainer,,\n");
    root.cli_line("attend 2024-fall 3 --present p01").refused(
        1,
        "cohorts/2024-fall/attendance/03.csv:8020: error: status \"presnt\" is not one of",
    );
}

#[test]
fn a_wrong_row_high_up_a_long_log_refuses_with_its_line() {
    let (root, _) = long_root();
    let text = root.read(LOG).replacen("p01,absent,,", "p01,absnt,,", 1);
    root.write(LOG, &text);
    root.cli_line("attend 2024-fall 3 --absent p01").refused(
        1,
        "cohorts/2024-fall/attendance/03.csv:2: error: status \"absnt\"",
    );
    root.cohort("check")
        .code(1)
        .stderr_has("cohorts/2024-fall/attendance/03.csv:2: error: status \"absnt\"");
}

#[test]
fn an_open_quote_at_the_end_of_a_long_log_is_refused() {
    let (root, _) = long_root();
    root.append(LOG, "p02,makeup,,A Trainer,,\"with 2025-winter\n");
    root.cli_line("attend 2024-fall 3 --absent p01")
        .refused(1, "a quoted cell is never closed");
}

#[test]
fn trainers_recording_at_once_on_a_long_log_lose_nothing() {
    let (root, before) = long_root();
    let ids = ["p01", "p02", "p03", "p04", "p05", "p06"];
    let children: Vec<_> = ids
        .iter()
        .map(|id| root.spawn(&["attend", "2024-fall", "3", "--excused", id]))
        .collect();
    for child in children {
        assert!(child.wait_with_output().unwrap().status.success());
    }
    let after = root.read(LOG);
    let added = after.strip_prefix(&before).expect("only appended");
    let mut marked: Vec<&str> = added.lines().map(|l| &l[..3]).collect();
    marked.sort();
    assert_eq!(marked, ids);
    assert!(added.lines().all(|l| l.contains(",excused,")), "{added}");
}
