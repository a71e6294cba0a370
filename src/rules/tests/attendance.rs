//! Rules 1 and 2: attended, missed, upcoming.

use super::*;

/// A row for a session after the as-of date still stands (rule 2 looks at
/// dates only when there is no row), so each row is tried on both sides.
#[test]
fn partial_from_min_minutes_on_present_and_makeup_are_attended_whatever_the_date() {
    let dates = [("2024-09-10", AFTER), ("2024-10-01", "2024-09-01")];
    for (m, attended) in [
        (partial(104), false),
        (partial(105), true),
        (partial(106), true),
        (partial(0), false),
        (mark(Status::Present), true),
        (mark(Status::Makeup), true),
        (mark(Status::Absent), false),
        (mark(Status::Excused), false),
    ] {
        let want = match attended {
            true => WebinarState::Attended(m.unwrap()),
            false => WebinarState::Missed(m),
        };
        for (session, as_of) in dates {
            let state = webinar_state(m, d(session), d(as_of), 105);
            assert_eq!(state, want, "{m:?}, session {session}, as of {as_of}");
        }
    }
}

#[test]
fn no_row_is_missed_before_the_as_of_date_and_upcoming_on_or_after_it() {
    let session = d("2024-10-01");
    for (as_of, expected) in [
        ("2024-10-02", WebinarState::Missed(None)),
        ("2024-10-01", WebinarState::Upcoming),
        ("2024-09-30", WebinarState::Upcoming),
    ] {
        let state = webinar_state(None, session, d(as_of), 105);
        assert_eq!(state, expected, "as of {as_of}");
    }
}

#[test]
fn each_kind_of_miss_says_why_and_that_a_make_up_is_needed() {
    let mut marks = all_present();
    marks[2] = mark(Status::Absent);
    marks[5] = partial(104);
    marks[8] = mark(Status::Excused);
    marks[11] = None;
    let o = outcome(&person(), &marks, &fifty());
    assert_eq!(o.level, Level::Incomplete);
    assert_eq!(o.missed, vec![3, 6, 9, 12]);
    assert_eq!(o.attended, 13);
    assert_eq!(
        o.reasons,
        vec![
            "missed webinar 3 (absent; make-up needed)",
            "missed webinar 6 (partial, 104 of 105 minutes; make-up needed)",
            "missed webinar 9 (excused; make-up needed)",
            "missed webinar 12 (no attendance recorded; make-up needed)",
        ]
    );
}

#[test]
fn a_make_up_after_an_absence_is_attended() {
    // What the loader hands over after an `absent` row then a `makeup` row.
    let mut marks = all_present();
    marks[8] = mark(Status::Makeup);
    let o = outcome(&person(), &marks, &fifty());
    assert_eq!((o.level, o.attended), (Level::Certified, 17));
    assert!(o.reasons.is_empty());
}

#[test]
fn upcoming_webinars_are_counted_in_words() {
    let mut marks = all_present();
    marks[12..].fill(None);
    // Not evaluated yet: the outcome as the records stand on `date`.
    let unevaluated = Participant {
        evaluation: None,
        practicum: None,
        ..person()
    };
    let as_of = |date: &str| eval_with(&unevaluated, &marks, &[], date);
    // Webinar 13 is on 2024-10-04: on the as-of date it is still upcoming.
    let o = as_of("2024-10-04");
    assert_eq!((o.attended, o.upcoming), (12, 5));
    assert!(o.missed.is_empty());
    assert_eq!(o.level, Level::Incomplete);
    assert_eq!(
        o.reasons,
        vec!["5 webinars upcoming", "awaiting trainer evaluation"]
    );

    let o = as_of("2024-10-12");
    let mut reasons: Vec<String> = (13..=16)
        .map(|w| format!("missed webinar {w} (no attendance recorded; make-up needed)"))
        .collect();
    reasons.extend(["1 webinar upcoming", "awaiting trainer evaluation"].map(String::from));
    assert_eq!(o.reasons, reasons);
}

#[test]
fn upcoming_webinars_keep_an_evaluated_person_incomplete() {
    let mut marks = all_present();
    marks[16] = None;
    let o = eval_with(&person(), &marks, &fifty(), "2024-10-12");
    assert_eq!(o.level, Level::Incomplete);
    assert_eq!(o.reasons, vec!["1 webinar upcoming"]);
}
