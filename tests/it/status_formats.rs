//! `cohort status --format csv|json`: the grid in words, for scripts.

use crate::support::DataRoot;

#[test]
fn status_csv_names_every_state_in_words() {
    let run = DataRoot::example().ok("status 2024-fall --format csv");
    let header = run.stdout.lines().next().unwrap();
    assert!(
        header.starts_with("cohort,participant,name,1,2,"),
        "{header}"
    );
    assert!(header.ends_with(",17,at_risk"), "{header}");
    let row = |id: &str| {
        run.stdout
            .lines()
            .find(|l| l.contains(&format!(",{id},")))
            .unwrap()
            .to_string()
    };
    // p03 made up webinar 9; p07 stayed 104 of 105 minutes at 6; p08 excused at 12.
    assert!(row("p03").contains(",made-up,"), "{}", row("p03"));
    assert!(row("p07").contains(",partial-short,") && row("p07").ends_with(",yes"));
    assert!(row("p08").contains(",excused,") && row("p08").ends_with(",yes"));
    assert!(row("p10").contains(",not-recorded,"), "{}", row("p10"));
    assert!(row("p01").ends_with(",no"));
}

#[test]
fn status_json_mid_cohort_shows_upcoming_sessions() {
    // Without the later logs, 2024-10-15 sees webinars 11..17 ahead.
    let rows =
        crate::report::mid_cohort().json("status 2024-fall --as-of 2024-10-15 --format json");
    let p01 = &rows.as_array().unwrap()[0];
    assert_eq!(p01["participant"], "p01");
    let states = [["attended"; 10].as_slice(), &["upcoming"; 7]].concat();
    assert_eq!(p01["webinars"], serde_json::json!(states));
}
