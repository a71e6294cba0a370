//! Rule 3: which practicum hours count, reversing rows included.

use super::*;

#[test]
fn only_monitored_support_after_the_last_session_counts() {
    let last = d(LAST);
    let not_after = Err(NotCounted::NotAfterCohort(last));
    let no_monitor = Err(NotCounted::NoMonitor);
    for (date, monitor, want) in [
        ("2024-10-13", "M", Ok(())),
        ("2024-10-12", "M", not_after),
        ("2024-09-01", "M", not_after),
        ("2024-10-13", "", no_monitor),
        ("2024-10-13", "   ", no_monitor),
    ] {
        let support = row(date, "1", Kind::Support, monitor);
        assert_eq!(counts(&support, last), want, "{date} {monitor:?}");
    }
    for kind in [Kind::Supervision, Kind::Training, Kind::Other] {
        let other = row("2024-10-13", "1", kind, "M");
        assert_eq!(counts(&other, last), Err(NotCounted::Kind(kind)));
    }
}

#[test]
fn rows_that_do_not_count_are_left_out_of_the_sum() {
    let rows = vec![
        support("48"),
        row("2024-10-12", "5", Kind::Support, "M"),
        row("2024-10-13", "5", Kind::Support, ""),
        row("2024-10-13", "5", Kind::Supervision, "M"),
        row("2024-10-13", "5", Kind::Training, "M"),
        row("2024-10-13", "5", Kind::Other, "M"),
        row("2024-10-13", "1.5", Kind::Support, "M"),
    ];
    let o = outcome(&person(), &all_present(), &rows);
    assert_eq!(o.hours, h("49.5"));
    assert_eq!(o.level, Level::Level1R);
    assert_eq!(o.reasons, vec!["practicum 49.5 of 50 h"]);
}

#[test]
fn five_hundred_tenths_make_exactly_fifty_hours_and_certified() {
    let rows: Vec<PracticumRow> = (0..500).map(|_| support("0.1")).collect();
    let o = outcome(&person(), &all_present(), &rows);
    assert_eq!(o.hours, Hours::from_hours(50));
    assert_eq!(o.level, Level::Certified);
}

#[test]
fn forty_nine_point_nine_nine_is_not_fifty() {
    let o = outcome(&person(), &all_present(), &[support("49.99")]);
    assert_eq!(o.level, Level::Level1R);
    assert_eq!(o.reasons, vec!["practicum 49.99 of 50 h"]);
    // A hundredth short in many small rows too.
    let mut rows: Vec<PracticumRow> = (0..499).map(|_| support("0.1")).collect();
    rows.push(support("0.09"));
    let o = outcome(&person(), &all_present(), &rows);
    assert_eq!(o.level, Level::Level1R);
}

#[test]
fn h_mm_rows_sum_exactly() {
    // Three 0:20 are one hour; rounding each to 0.33 would leave 49.99.
    let rows = ["0:20", "0:20", "0:20", "2:50", "46:10"].map(support);
    let o = outcome(&person(), &all_present(), &rows);
    assert_eq!(o.hours, Hours::from_hours(50));
    assert_eq!(o.level, Level::Certified);
    let o = outcome(&person(), &all_present(), &rows[1..]);
    assert_eq!(o.reasons, vec!["practicum 49.67 of 50 h"]);
}

fn reversal(mut row: PracticumRow) -> PracticumRow {
    row.reversal = Some("logged twice".into());
    row
}

#[test]
fn a_reversing_row_takes_away_the_hours_it_cancels() {
    // 52 h logged, 3 of them twice by mistake and reversed: 49 h, not Certified.
    let rows = vec![
        support("49"),
        support("3"),
        reversal(support("3")),
        support("3"),
    ];
    let o = outcome(&person(), &all_present(), &rows[..3]);
    assert_eq!(o.hours, h("49"));
    assert_eq!(o.level, Level::Level1R);
    assert_eq!(o.reasons, vec!["practicum 49 of 50 h"]);
    let o = outcome(&person(), &all_present(), &rows);
    assert_eq!(o.hours, h("52"));
    assert_eq!(o.level, Level::Certified);
}

#[test]
fn a_reversing_row_counts_exactly_when_the_rows_it_cancels_count() {
    // Reversals of rows that do not count take nothing from the counted sum.
    let uncounted = [
        row("2024-10-13", "5", Kind::Support, ""),
        row("2024-10-13", "5", Kind::Supervision, "M"),
        row("2024-10-12", "5", Kind::Support, "M"),
    ];
    let mut rows = vec![support("50")];
    for r in uncounted {
        rows.push(r.clone());
        rows.push(reversal(r));
    }
    let o = outcome(&person(), &all_present(), &rows);
    assert_eq!(o.hours, Hours::from_hours(50));
    assert_eq!(o.level, Level::Certified);
}

#[test]
fn counted_hours_never_go_below_zero() {
    // The loader refuses such a row; the sum would stop at zero anyway.
    let rows = [reversal(support("2"))];
    assert_eq!(counted_hours(&rows, d(LAST)), Hours::default());
    let rows = [support("1"), reversal(support("0.25"))];
    assert_eq!(counted_hours(&rows, d(LAST)), h("0.75"));
}

/// Every way of writing hours, and every way of getting them wrong, with
/// what `Hours::parse` gives: the seconds, or a phrase of its message.
#[test]
fn hours_are_read_exactly_or_refused_with_the_reason() {
    let cases: &[(&str, Result<u64, &str>)] = &[
        ("1.5", Ok(5400)),
        ("0.25", Ok(900)),
        ("12", Ok(43200)),
        (".5", Ok(1800)),
        ("5.", Err("is not a number")),
        ("1.", Err("is not a number")),
        ("0.05", Ok(180)),
        ("0.01", Ok(36)),
        (" 2 ", Ok(7200)),
        ("\u{a0}2", Ok(7200)),
        ("1:30", Ok(5400)),
        ("0:01", Ok(60)),
        ("1:3", Err("is not H:MM")),
        ("1:5", Err("is not H:MM")),
        ("1:60", Err("has 60 minutes")),
        ("1:30:00", Err("is not H:MM")),
        (":30", Err("is not H:MM")),
        ("1.5:30", Err("is not H:MM")),
        ("1,5", Err("uses a comma; write the decimal point as a dot")),
        ("1,5.5", Err("uses a comma")),
        ("1.234", Err("more than two decimal places")),
        ("1.2.3", Err("is not a number")),
        ("-1", Err("is not a number")),
        ("abc", Err("is not a number")),
        ("", Err("hours are empty")),
        ("0", Err("is zero")),
        ("0:00", Err("is zero")),
        ("0.00", Err("is zero")),
        ("99999999999999999999", Err("is too large")),
    ];
    for (text, want) in cases {
        let got = Hours::parse(text);
        match (want, &got) {
            (Ok(seconds), Ok(h)) => assert_eq!(h.seconds, *seconds, "{text:?}"),
            (Err(phrase), Err(message)) => {
                assert!(message.contains(phrase), "{text:?}: {message}")
            }
            _ => panic!("{text:?}: wanted {want:?}, got {got:?}"),
        }
    }
}
