//! `--as-of`: the records as they stood at the end of that date (SPEC "Rules").

use crate::support::DataRoot;

#[test]
fn report_participant_marks_what_was_recorded_after_the_as_of_date() {
    let root = DataRoot::example();
    let run = root.ok("report 2024-fall --participant p03 --as-of 2024-10-15");
    run.stdout_has("missed (absent)")
        .stdout_has("(recorded after 2024-10-15: not")
        .stdout_has("not counted, dated after the as-of date: the evaluation of 2025-01-23");
    // The absence itself was recorded before: it is not marked.
    run.stdout_has("line 4: absent, Rosa Delgado  ");
    let v = root.json("report 2024-fall --participant p03 --as-of 2024-10-15 --format json");
    let history = &v["webinars"][8]["history"];
    assert_eq!(history[0]["after_as_of"], false);
    assert_eq!(history[1]["after_as_of"], true);
    // Today nothing is marked, and the make-up stands.
    let today = root.ok("report 2024-fall --participant p03");
    today.stdout_has("attended (made up)");
    assert!(!today.stdout.contains("recorded after"), "{}", today.stdout);
}

#[test]
fn practicum_rows_dated_after_are_shown_as_not_counted() {
    let v = DataRoot::example()
        .json("report 2024-fall --participant p01 --as-of 2024-12-01 --format json");
    let rows = v["practicum"].as_array().unwrap();
    let later: Vec<_> = rows
        .iter()
        .filter(|r| r["date"].as_str().unwrap() > "2024-12-01")
        .collect();
    assert!(!later.is_empty());
    for row in later {
        assert_eq!(row["counted"], false);
        assert_eq!(row["why_not"], "dated after 2024-12-01, the as-of date");
    }
}

#[test]
fn a_stamp_in_the_evening_counts_on_the_cohorts_day_not_utcs() {
    let root = DataRoot::example();
    // Webinar 9 (2024-10-08) of p08, recorded absent at 23:30 Toronto time,
    // which is already 2024-10-09 in UTC.
    root.append(
        "cohorts/2024-fall/attendance/09.csv",
        "p08,absent,,Rosa Delgado,2024-10-09T03:30:00Z,\n",
    );
    // p08's cell of webinar 9 in the status grid as of `as_of`.
    let cell = |as_of: &str| -> String {
        let text = root
            .ok(&format!("status 2024-fall --as-of {as_of} --format csv"))
            .stdout;
        let line = text.lines().find(|l| l.contains(",p08,")).unwrap();
        line.split(',').nth(3 + 8).unwrap().to_string()
    };
    // 03:30 UTC on 10-09 is 23:30 on 10-08 in Toronto: it stood that evening.
    assert_eq!(cell("2024-10-08"), "absent");
    assert_eq!(cell("2024-10-07"), "upcoming");
}

#[test]
fn as_of_today_or_later_is_the_report_of_today() {
    let root = DataRoot::example();
    let today = root.ok("report 2024-fall --format csv");
    // The day before (2026-11-21) is cut: nothing in the example is recorded
    // that late, so only the upcoming count could differ, and it does not.
    for as_of in [crate::support::TODAY, "2030-01-01", "2026-11-21"] {
        let run = root.ok(&format!("report 2024-fall --format csv --as-of {as_of}"));
        assert_eq!(run.stdout, today.stdout, "as of {as_of}");
    }
}

/// makeups, stats and site read the records as they stood too: p03's
/// make-up of webinar 9 was recorded after 2024-10-15, so on that day p03
/// still needed one, and no make-up had been recorded in the cohort.
#[test]
fn makeups_stats_and_site_take_the_records_as_they_stood() {
    let root = DataRoot::example();
    root.ok("makeups 2024-fall --as-of 2024-10-15 --format csv")
        .stdout_has("2024-fall,p03,Siobhán O'Brien,siobhan.obrien@example.org,9,");
    let now = root.ok("makeups 2024-fall --format csv");
    assert!(!now.stdout.contains("2024-fall,p03,"), "{}", now.stdout);
    let stats = |more: &str| {
        root.json(&format!("stats 2024-fall --format json{more}"))
            .to_string()
    };
    let then = stats(" --as-of 2024-10-15");
    let now = stats("");
    assert!(then.contains("\"makeups\":0"), "{then}");
    assert!(!now.contains("\"makeups\":0"), "{now}");
    root.ok("site site --as-of 2024-10-15");
    let page = root.read("site/2024-fall.html");
    assert!(
        page.contains("<li><strong>Siobhán O&#39;Brien</strong> (p03): missed webinar 9</li>"),
        "p03 is not at risk on the page as of 2024-10-15"
    );
    root.ok("site site-today");
    let page = root.read("site-today/2024-fall.html");
    assert!(!page.contains("(p03): missed webinar 9"), "p03 made it up");
}
