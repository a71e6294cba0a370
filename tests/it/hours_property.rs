//! Counted practicum hours against a sum worked out here, on the text of
//! the rows and the rule as the contract states it (monitored `support`
//! dated after the last session counts; a reversing row takes its hours
//! back), never with the code's own `counts` or `Hours`.

use proptest::prelude::*;

use crate::support::DataRoot;

/// The cohort's last session.
const LAST: &str = "2024-11-05";

/// A row as typed: date, hours and their minutes, kind, monitor, and
/// whether a reversing row of the same slot follows it.
type Row = (
    &'static str,
    (&'static str, u32),
    &'static str,
    &'static str,
    bool,
);

fn any_row() -> impl Strategy<Value = Row> {
    (
        prop::sample::select(vec![LAST, "2024-11-06", "2025-01-01", "2025-02-10"]),
        prop::sample::select(vec![
            ("0.1", 6),
            ("1:30", 90),
            ("2", 120),
            ("0.25", 15),
            ("0:45", 45),
        ]),
        prop::sample::select(vec!["support", "", "supervision", "training", "other"]),
        prop::sample::select(vec!["", "Grace Okafor"]),
        any::<bool>(),
    )
}

/// The minutes that count, summed from the rows as typed.
fn expected_minutes(rows: &[Row]) -> i64 {
    let mut minutes = 0i64;
    for &(date, (_, m), kind, monitor, reversed) in rows {
        // Dates are YYYY-MM-DD: their text orders as they do.
        let counts = date > LAST && (kind == "support" || kind.is_empty()) && !monitor.is_empty();
        let reversed = reversed && !monitor.is_empty();
        if counts && !reversed {
            minutes += i64::from(m);
        }
    }
    minutes
}

fn log_text(rows: &[Row]) -> String {
    let mut text = String::from("participant,date,hours,kind,monitor,note\n");
    for &(date, (hours, _), kind, monitor, reversed) in rows {
        text += &format!("p02,{date},{hours},{kind},{monitor},\n");
        if reversed && !monitor.is_empty() {
            text += &format!("p02,{date},-{hours},{kind},{monitor},logged in error\n");
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn counted_hours_are_the_independent_sum_of_the_counting_rows(
        rows in prop::collection::vec(any_row(), 0..8),
    ) {
        let root = DataRoot::example();
        root.write("cohorts/2024-fall/practicum.csv", log_text(&rows));
        let report = root.csv("report 2024-fall --format csv");
        let col = |name: &str| report[0].iter().position(|h| h == name).unwrap();
        let (c_id, c_hours) = (col("participant"), col("practicum_hours"));
        let p02 = report.iter().skip(1).find(|r| r[c_id] == "p02").unwrap();
        let hours: f64 = p02[c_hours].parse().unwrap();
        prop_assert_eq!((hours * 60.0).round() as i64, expected_minutes(&rows), "{}", log_text(&rows));
    }
}
