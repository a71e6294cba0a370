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

fn reversal(mut row: PracticumRow) -> PracticumRow {
    row.reversal = Some("logged twice".into());
    row
}

/// The counted sum, level and reasons of an otherwise certified person
/// (never at risk: they attended every webinar).
#[test]
fn practicum_rows_sum_exactly_to_level_1r_or_certified() {
    let not_counted = [
        row("2024-10-13", "5", Kind::Support, ""),
        row("2024-10-13", "5", Kind::Supervision, "M"),
        row("2024-10-12", "5", Kind::Support, "M"),
        row("2024-10-13", "5", Kind::Training, "M"),
        row("2024-10-13", "5", Kind::Other, "M"),
    ];
    let mut mixed = vec![support("48")];
    mixed.extend(not_counted.iter().cloned());
    mixed.push(row("2024-10-13", "1.5", Kind::Support, "M"));
    let tenths = vec![support("0.1"); 500];
    let mut tenths_short = tenths[1..].to_vec();
    tenths_short.push(support("0.09"));
    // Three 0:20 are one hour; rounding each to 0.33 would leave 49.99.
    let h_mm = ["0:20", "0:20", "0:20", "2:50", "46:10"].map(support);
    // 52 h logged, 3 of them twice by mistake and reversed: 49 h, not Certified.
    let mut reversed = ["49", "3", "3", "3"].map(support);
    reversed[2] = reversal(support("3"));
    // Reversals of rows that do not count take nothing from the counted sum.
    let mut uncounted_reversed = vec![support("50")];
    for r in &not_counted[..3] {
        uncounted_reversed.extend([r.clone(), reversal(r.clone())]);
    }
    let more = ["24", "24", "4"].map(support);
    // The counted sum, and the sum the reason shows: none when Certified.
    let cases: [(&str, &[PracticumRow], &str, &str); 10] = [
        ("more hours are fine", &more, "52", ""),
        ("rows that do not count", &mixed, "49.5", "49.5"),
        ("five hundred tenths", &tenths, "50", ""),
        ("49.99", &[support("49.99")], "49.99", "49.99"),
        ("a hundredth short", &tenths_short, "49.99", "49.99"),
        ("H:MM rows", &h_mm, "50", ""),
        ("H:MM rows but one", &h_mm[1..], "49:40", "49.67"),
        ("a reversal", &reversed[..3], "49", "49"),
        ("a reversal, logged again", &reversed, "52", ""),
        ("reversed uncounted rows", &uncounted_reversed, "50", ""),
    ];
    for (case, rows, hours, shown) in cases {
        let o = outcome(&person(), &all_present(), rows);
        assert_eq!(o.hours, h(hours), "{case}");
        assert!(!o.at_risk(&person()), "{case}");
        if shown.is_empty() {
            assert_eq!(o.level, Level::Certified, "{case}");
            assert!(o.reasons.is_empty(), "{case}: {:?}", o.reasons);
        } else {
            assert_eq!(o.level, Level::Level1R, "{case}");
            assert_eq!(o.reasons, [format!("practicum {shown} of 50 h")], "{case}");
        }
    }
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
