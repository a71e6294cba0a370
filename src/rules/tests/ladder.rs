//! Rules 4 and 5: the outcome ladder, and a reason for every outcome below Certified.

use super::*;

#[test]
fn a_withdrawal_is_incomplete_whatever_the_rest_and_the_date() {
    for withdrawn in ["2024-09-01", "2024-10-01", "2024-10-02", "2030-01-01"] {
        let p = Participant {
            withdrawn: Some(d(withdrawn)),
            ..person()
        };
        let o = outcome(&p, &all_present(), &fifty());
        assert_eq!(o.level, Level::Incomplete, "withdrawn {withdrawn}");
        assert_eq!(o.reasons, vec![format!("withdrew on {withdrawn}")]);
        assert_eq!(o.attended, 17);
        assert!(!o.at_risk(&p));
    }
}

/// The person, evaluated as given.
fn evaluated(evaluation: Option<Evaluation>) -> Participant {
    Participant {
        evaluation,
        ..person()
    }
}

#[test]
fn no_evaluation_and_partial_participation_are_incomplete() {
    for (p, reason) in [
        (evaluated(None), "awaiting trainer evaluation"),
        (
            evaluated(evaluation(Participation::Partial, true)),
            "participation judged partial by the trainers",
        ),
    ] {
        let o = outcome(&p, &all_present(), &fifty());
        assert_eq!(o.level, Level::Incomplete, "{reason}");
        assert_eq!(o.reasons, vec![reason]);
    }
}

#[test]
fn a_missed_webinar_outranks_the_evaluation() {
    let mut marks = all_present();
    marks[5] = partial(104);
    let o = outcome(&person(), &marks, &fifty());
    assert_eq!(o.level, Level::Incomplete);
    assert_eq!(
        o.reasons,
        vec!["missed webinar 6 (partial, 104 of 105 minutes; make-up needed)"]
    );
    assert!(o.at_risk(&person()));
}

#[test]
fn not_recommended_is_level_1_even_with_a_passed_practicum() {
    let p = evaluated(evaluation(Participation::Full, false));
    let o = outcome(&p, &all_present(), &fifty());
    assert_eq!(o.level, Level::Level1);
    assert_eq!(o.reasons, vec!["not recommended for a practicum"]);
}

#[test]
fn recommended_without_all_three_is_level_1r_with_each_reason() {
    let short = [support("32.5")];
    let enough = fifty();
    let (hours, unevaluated) = ("practicum 32.5 of 50 h", "practicum not yet evaluated");
    let not_passed = "practicum evaluated as not passed on 2025-03-01";
    let cases: [(Option<PracticumResult>, &[PracticumRow], &[&str]); 6] = [
        (result(true), &short, &[hours]),
        (None, &short, &[hours, unevaluated]),
        (None, &[], &["practicum 0 of 50 h", unevaluated]),
        (None, &enough, &[unevaluated]),
        (result(false), &enough, &[not_passed]),
        (result(false), &short, &[hours, not_passed]),
    ];
    for (practicum, rows, reasons) in cases {
        let p = Participant {
            practicum,
            ..person()
        };
        let o = outcome(&p, &all_present(), rows);
        assert_eq!(o.level, Level::Level1R, "{reasons:?}");
        assert_eq!(o.reasons, reasons);
    }
}
