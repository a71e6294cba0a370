//! `cohort stats`, checked against `report`'s rows.

use std::collections::BTreeMap;

use crate::support::DataRoot;

#[test]
fn the_example_cohorts_figures() {
    let root = DataRoot::example();
    assert_eq!(
        root.ok("stats").stdout,
        "\
program figures as of 2026-11-22
  cohorts           1
  enrolled          18
  withdrew          1
  reached Level 1   12 (Level 1 4, Level 1R 5, Certified 3)
  reached Level 1R  8
  Certified         3
  Incomplete        6
  attendance        98.3% (291 of 296 webinars held)
  make-ups          1
  practicum hours   305.5 h
"
    );
    // 17 webinars for 17 people, and p10's 7 up to the withdrawal; 291
    // attended (p07, p08 one short, p17 two, p10 one of 7); p03's make-up.
    assert_eq!(
        root.ok("stats --by cohort --format csv").stdout,
        "group,cohorts,enrolled,withdrew,incomplete,level_1,level_1r,certified,reached_level_1,reached_level_1r,attended,held,attendance_rate,makeups,practicum_hours\n\
         2024-fall,1,18,1,6,4,5,3,12,8,291,296,98.3,1,305.5\n\
         total,1,18,1,6,4,5,3,12,8,291,296,98.3,1,305.5\n"
    );
    let j = root.json("stats --by year --format json");
    assert_eq!(j["by"], "year");
    assert_eq!(j["groups"][0]["group"], "2024");
    assert_eq!(j["total"]["attendance_rate"], 98.3);
    assert_eq!(j["total"]["practicum_hours"], 305.5);
}

#[test]
fn a_new_cohort_with_nothing_held_has_no_attendance_rate() {
    let root = DataRoot::empty();
    root.ok("new 2027-spring --start 2027-03-02 --days tue,thu --timezone America/Toronto --trainer 'Ana Trainer'");
    root.ok("enroll 2027-spring --id p01 --name 'Sam Roe'");
    let j = root.json("stats --format json");
    assert_eq!(j["total"]["held"], 0);
    assert_eq!(j["total"]["attendance_rate"], serde_json::Value::Null);
    root.ok("stats")
        .stdout_has("attendance        no webinar held yet");
}

#[test]
fn usage_errors_exit_2() {
    let root = DataRoot::example();
    root.cohort("stats --by month").code(2);
    root.cohort("stats 2099-none")
        .fails(2, "there is no cohort \"2099-none\"");
    root.cohort("stats 2024-fall --all")
        .fails(2, "name cohorts or give --all, not both");
}

#[test]
fn on_generated_cohorts_the_figures_add_up_to_reports_rows() {
    let root = DataRoot::generated(40);
    let stats = root.json("stats --by cohort --format json");
    let report = root.json("report --all --format json");
    #[derive(Default, Debug, PartialEq)]
    struct Want {
        enrolled: u64,
        levels: [u64; 4],
        withdrew: u64,
        hundredths: u64,
        attended_not_withdrawn: u64,
    }
    let mut want: BTreeMap<String, Want> = BTreeMap::new();
    for r in report.as_array().unwrap() {
        let w = want
            .entry(r["cohort"].as_str().unwrap().to_string())
            .or_default();
        w.enrolled += 1;
        let level = ["Incomplete", "Level 1", "Level 1R", "Certified"]
            .iter()
            .position(|l| r["outcome"] == *l)
            .unwrap();
        w.levels[level] += 1;
        let withdrew = r["reasons"][0]
            .as_str()
            .is_some_and(|s| s.starts_with("withdrew"));
        w.withdrew += u64::from(withdrew);
        if !withdrew {
            w.attended_not_withdrawn += r["attended"].as_u64().unwrap();
        }
        w.hundredths += (r["practicum_hours"].as_f64().unwrap() * 100.0).round() as u64;
    }
    let groups = stats["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 40);
    let mut certified = 0;
    for g in groups {
        let w = &want[g["group"].as_str().unwrap()];
        let n = |k: &str| g[k].as_u64().unwrap();
        assert_eq!(n("enrolled"), w.enrolled);
        assert_eq!(
            [n("incomplete"), n("level_1"), n("level_1r"), n("certified")],
            w.levels
        );
        assert_eq!(n("reached_level_1"), w.levels[1..].iter().sum::<u64>());
        assert_eq!(n("reached_level_1r"), w.levels[2] + w.levels[3]);
        assert_eq!(n("withdrew"), w.withdrew);
        assert!(n("attended") >= w.attended_not_withdrawn);
        assert!(n("held") >= n("attended"));
        // Sums of exact hours against sums of rounded ones: a cent a person at most.
        let hours = (g["practicum_hours"].as_f64().unwrap() * 100.0).round() as i64;
        assert!(
            (hours - w.hundredths as i64).unsigned_abs() <= w.enrolled,
            "{}: {hours} vs {}",
            g["group"],
            w.hundredths
        );
        certified += n("certified");
    }
    assert!(certified > 0);
    // Per year, the groups add up to the same total.
    let years = root.json("stats --by year --format json");
    assert_eq!(years["total"], stats["total"]);
    let sum: u64 = years["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["enrolled"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, report.as_array().unwrap().len() as u64);
    assert_eq!(stats["total"]["certified"], certified);
}
