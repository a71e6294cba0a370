//! `cohort status`: the attendance grid and who is at risk.

use crate::support::DataRoot;

#[test]
fn status_grid_snapshot() {
    let run = DataRoot::example().ok("status 2024-fall");
    insta::assert_snapshot!("status_2024_fall", run.stdout);
}

#[test]
fn status_mid_cohort_snapshot() {
    let run = crate::report::mid_cohort().ok("status 2024-fall --as-of 2024-10-15");
    insta::assert_snapshot!("status_2024_fall_mid_cohort", run.stdout);
}

#[test]
fn the_grid_marks_each_state_and_the_people_at_risk() {
    let run = DataRoot::example().ok("status 2024-fall");
    let line = |id: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("no line for {id}"))
            .to_string()
    };
    assert!(line("p01").ends_with("✓  ✓  ✓"));
    assert!(
        line("p02").contains(" p "),
        "partial with enough minutes: {}",
        line("p02")
    );
    assert!(line("p03").contains(" M "), "made up: {}", line("p03"));
    assert!(line("p07").contains(" ½ ") && line("p07").ends_with('!'));
    assert!(line("p08").contains(" E ") && line("p08").ends_with('!'));
    assert!(line("p10").ends_with("?  W"));
    run.stdout_has("\nwithdrew: p10 on 2024-10-02\n");
    assert!(!line("p10").ends_with('!'));
    assert!(line("p17").contains(" ✗ ") && line("p17").ends_with('!'));
    run.stdout_has("at risk: p07 (webinar 6), p08 (webinar 12), p17 (webinar 3, 14)");
}

#[test]
fn status_refuses_data_with_errors() {
    let root = DataRoot::example();
    root.edit(
        "cohorts/2024-fall/cohort.toml",
        "timezone = \"America/Toronto\"",
        "timezone = \"Toronto\"",
    );
    let run = root
        .cli(&["status", "2024-fall"])
        .refused(1, "cohort.toml:8: error: timezone \"Toronto\"");
    run.stderr_has("refusing to go on");
    assert!(run.stdout.is_empty());
}

#[test]
fn colour_only_when_asked() {
    let root = DataRoot::example();
    let plain = root.cohort("status 2024-fall");
    assert!(!plain.stdout.contains('\u{1b}'));
    let coloured = root.cohort_with("--color always status 2024-fall", &[], None);
    assert!(coloured.stdout.contains('\u{1b}'));
}
