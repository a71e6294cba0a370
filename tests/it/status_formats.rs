//! `cohort status --format csv|json`: the grid in words, for scripts.

use crate::support::DataRoot;

#[test]
fn status_csv_names_every_state_in_words() {
    let run = DataRoot::example().cohort("status 2024-fall --format csv");
    run.success();
    let mut lines = run.stdout.lines();
    let header = lines.next().unwrap();
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
    let root = DataRoot::example();
    // Without the later logs, 2024-10-15 sees webinars 11..17 ahead.
    for w in 11..=17 {
        root.remove(&format!("cohorts/2024-fall/attendance/{w:02}.csv"));
    }
    let run = root.cohort("status 2024-fall --as-of 2024-10-15 --format json");
    run.success();
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let p01 = &rows.as_array().unwrap()[0];
    assert_eq!(p01["participant"], "p01");
    let states: Vec<&str> = p01["webinars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(states[..10], ["attended"; 10]);
    assert_eq!(states[10..], ["upcoming"; 7]);
}
