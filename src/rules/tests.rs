//! Every rule of SPEC "Rules", its edge cases, and properties of the engine.
//!
//! The pure engine is tested on values built here; "last row stands" and row
//! order are properties of the loader feeding it, so those go through a
//! small data root written to a temporary folder.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::model::{Evaluation, PracticumResult, Session, Webinar};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn h(text: &str) -> Hours {
    Hours::parse(text).unwrap()
}

/// The shipped thresholds: 120-minute sessions, 105 minutes count, 50 hours.
fn curriculum(webinars: u32) -> Curriculum {
    Curriculum {
        program_name: "Program".into(),
        credential: "Certified Peer Supporter".into(),
        certificate_prefix: "PSCE".into(),
        session_minutes: 120,
        min_minutes: 105,
        required_hours: Hours::from_hours(50),
        webinars: (1..=webinars)
            .map(|number| Webinar {
                number,
                title: format!("W{number}"),
                topics: vec![],
            })
            .collect(),
        certificate: Default::default(),
    }
}

/// Webinar n on 2024-09-10 + 2(n-1) days; 17 webinars end on 2024-10-12.
fn cohort(webinars: u32) -> Cohort {
    let start = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap();
    let end = chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap();
    Cohort {
        id: "c".into(),
        name: "C".into(),
        timezone: "America/Toronto".into(),
        delivery: "online".into(),
        trainers: vec!["T".into()],
        sessions: (1..=webinars)
            .map(|w| Session {
                webinar: w,
                date: d("2024-09-10") + Duration::days(2 * (w as i64 - 1)),
                start,
                end,
            })
            .collect(),
        participants: vec![],
    }
}

const LAST: &str = "2024-10-12";
const AFTER: &str = "2026-11-22";

fn evaluation(participation: Participation, recommend: bool) -> Option<Evaluation> {
    Some(Evaluation {
        participation,
        recommend,
        by: "T".into(),
        date: d("2024-10-20"),
    })
}

fn result(passed: bool) -> Option<PracticumResult> {
    Some(PracticumResult {
        passed,
        by: "M".into(),
        date: d("2025-03-01"),
    })
}

/// Full participation, recommended, passed: Certified given the hours.
fn person() -> Participant {
    Participant {
        id: "p01".into(),
        name: "P".into(),
        email: None,
        aliases: vec![],
        withdrawn: None,
        evaluation: evaluation(Participation::Full, true),
        practicum: result(true),
    }
}

fn mark(status: Status) -> Option<Mark> {
    Some(Mark {
        status,
        minutes: None,
    })
}

fn partial(minutes: u32) -> Option<Mark> {
    Some(Mark {
        status: Status::Partial,
        minutes: Some(minutes),
    })
}

fn all_present() -> Vec<Option<Mark>> {
    vec![mark(Status::Present); 17]
}

fn row(date: &str, hours: &str, kind: Kind, monitor: &str) -> PracticumRow {
    PracticumRow {
        line: 2,
        date: d(date),
        hours: h(hours),
        kind,
        monitor: monitor.into(),
        reversal: None,
    }
}

fn support(hours: &str) -> PracticumRow {
    row("2025-01-15", hours, Kind::Support, "M")
}

fn fifty() -> Vec<PracticumRow> {
    vec![support("25"), support("25")]
}

fn eval_with(
    p: &Participant,
    marks: &[Option<Mark>],
    practicum: &[PracticumRow],
    as_of: &str,
) -> Outcome {
    evaluate(&curriculum(17), &cohort(17), p, marks, practicum, d(as_of))
}

fn outcome(p: &Participant, marks: &[Option<Mark>], practicum: &[PracticumRow]) -> Outcome {
    eval_with(p, marks, practicum, AFTER)
}

// Rule 1 and 2: attended, missed, upcoming.

#[test]
fn partial_counts_from_min_minutes_on() {
    let state = |m| webinar_state(m, d("2024-09-10"), d(AFTER), 105);
    assert_eq!(state(partial(104)), WebinarState::Missed(partial(104)));
    assert_eq!(
        state(partial(105)),
        WebinarState::Attended(partial(105).unwrap())
    );
    assert_eq!(
        state(partial(106)),
        WebinarState::Attended(partial(106).unwrap())
    );
    assert_eq!(state(partial(0)), WebinarState::Missed(partial(0)));
}

#[test]
fn present_and_makeup_are_attended_absent_and_excused_are_not() {
    let state = |m| webinar_state(m, d("2024-09-10"), d(AFTER), 105);
    assert!(matches!(
        state(mark(Status::Present)),
        WebinarState::Attended(_)
    ));
    assert!(matches!(
        state(mark(Status::Makeup)),
        WebinarState::Attended(_)
    ));
    assert_eq!(
        state(mark(Status::Absent)),
        WebinarState::Missed(mark(Status::Absent))
    );
    assert_eq!(
        state(mark(Status::Excused)),
        WebinarState::Missed(mark(Status::Excused))
    );
}

#[test]
fn a_row_counts_whatever_the_as_of_date() {
    // A row for a session after the as-of date still stands (rule 2 looks
    // at dates only when there is no row).
    let state = webinar_state(mark(Status::Absent), d("2024-10-01"), d("2024-09-01"), 105);
    assert_eq!(state, WebinarState::Missed(mark(Status::Absent)));
    let state = webinar_state(mark(Status::Present), d("2024-10-01"), d("2024-09-01"), 105);
    assert!(matches!(state, WebinarState::Attended(_)));
}

#[test]
fn no_row_is_missed_before_the_as_of_date_and_upcoming_on_or_after_it() {
    let session = d("2024-10-01");
    assert_eq!(
        webinar_state(None, session, d("2024-10-02"), 105),
        WebinarState::Missed(None)
    );
    assert_eq!(
        webinar_state(None, session, d("2024-10-01"), 105),
        WebinarState::Upcoming
    );
    assert_eq!(
        webinar_state(None, session, d("2024-09-30"), 105),
        WebinarState::Upcoming
    );
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
    for m in &mut marks[12..] {
        *m = None;
    }
    // Webinar 13 is on 2024-10-04: on the as-of date it is still upcoming.
    let o = eval_with(
        &Participant {
            evaluation: None,
            practicum: None,
            ..person()
        },
        &marks,
        &[],
        "2024-10-04",
    );
    assert_eq!((o.attended, o.upcoming), (12, 5));
    assert!(o.missed.is_empty());
    assert_eq!(o.level, Level::Incomplete);
    assert_eq!(
        o.reasons,
        vec!["5 webinars upcoming", "awaiting trainer evaluation"]
    );

    let o = eval_with(
        &Participant {
            evaluation: None,
            practicum: None,
            ..person()
        },
        &marks,
        &[],
        "2024-10-12",
    );
    assert_eq!(
        o.reasons,
        vec![
            "missed webinar 13 (no attendance recorded; make-up needed)",
            "missed webinar 14 (no attendance recorded; make-up needed)",
            "missed webinar 15 (no attendance recorded; make-up needed)",
            "missed webinar 16 (no attendance recorded; make-up needed)",
            "1 webinar upcoming",
            "awaiting trainer evaluation"
        ]
    );
}

#[test]
fn upcoming_webinars_keep_an_evaluated_person_incomplete() {
    let mut marks = all_present();
    marks[16] = None;
    let o = eval_with(&person(), &marks, &fifty(), "2024-10-12");
    assert_eq!(o.level, Level::Incomplete);
    assert_eq!(o.reasons, vec!["1 webinar upcoming"]);
}

// Rule 3: which practicum hours count.

#[test]
fn only_monitored_support_after_the_last_session_counts() {
    let last = d(LAST);
    assert_eq!(
        counts(&row("2024-10-13", "1", Kind::Support, "M"), last),
        Ok(())
    );
    assert_eq!(
        counts(&row("2024-10-12", "1", Kind::Support, "M"), last),
        Err(NotCounted::NotAfterCohort(last))
    );
    assert_eq!(
        counts(&row("2024-09-01", "1", Kind::Support, "M"), last),
        Err(NotCounted::NotAfterCohort(last))
    );
    assert_eq!(
        counts(&row("2024-10-13", "1", Kind::Support, ""), last),
        Err(NotCounted::NoMonitor)
    );
    assert_eq!(
        counts(&row("2024-10-13", "1", Kind::Support, "   "), last),
        Err(NotCounted::NoMonitor)
    );
    for kind in [Kind::Supervision, Kind::Training, Kind::Other] {
        assert_eq!(
            counts(&row("2024-10-13", "1", kind, "M"), last),
            Err(NotCounted::Kind(kind))
        );
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
    assert_eq!(
        outcome(&person(), &all_present(), &rows).level,
        Level::Level1R
    );
}

#[test]
fn h_mm_rows_sum_exactly() {
    // Three 0:20 are one hour; rounding each to 0.33 would leave 49.99.
    let rows = vec![
        support("0:20"),
        support("0:20"),
        support("0:20"),
        support("2:50"),
        support("46:10"),
    ];
    let o = outcome(&person(), &all_present(), &rows);
    assert_eq!(o.hours, Hours::from_hours(50));
    assert_eq!(o.level, Level::Certified);
    let o = outcome(&person(), &all_present(), &rows[1..]);
    assert_eq!(o.reasons, vec!["practicum 49.67 of 50 h"]);
}

// Rule 4: the outcome ladder.

#[test]
fn a_withdrawal_is_incomplete_whatever_the_rest_and_the_date() {
    for withdrawn in ["2024-09-01", "2024-10-02", "2030-01-01"] {
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

#[test]
fn no_evaluation_is_incomplete() {
    let p = Participant {
        evaluation: None,
        ..person()
    };
    let o = outcome(&p, &all_present(), &fifty());
    assert_eq!(o.level, Level::Incomplete);
    assert_eq!(o.reasons, vec!["awaiting trainer evaluation"]);
}

#[test]
fn partial_participation_is_incomplete() {
    let p = Participant {
        evaluation: evaluation(Participation::Partial, true),
        ..person()
    };
    let o = outcome(&p, &all_present(), &fifty());
    assert_eq!(o.level, Level::Incomplete);
    assert_eq!(
        o.reasons,
        vec!["participation judged partial by the trainers"]
    );
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
    let p = Participant {
        evaluation: evaluation(Participation::Full, false),
        ..person()
    };
    let o = outcome(&p, &all_present(), &fifty());
    assert_eq!(o.level, Level::Level1);
    assert_eq!(o.reasons, vec!["not recommended for a practicum"]);
}

#[test]
fn recommended_without_all_three_is_level_1r_with_each_reason() {
    let short = [support("32.5")];
    let enough = fifty();
    let cases: Vec<(Option<PracticumResult>, &[PracticumRow], Vec<String>)> = vec![
        (result(true), &short, vec!["practicum 32.5 of 50 h".into()]),
        (
            None,
            &short,
            vec![
                "practicum 32.5 of 50 h".into(),
                "practicum not yet evaluated".into(),
            ],
        ),
        (
            None,
            &[],
            vec![
                "practicum 0 of 50 h".into(),
                "practicum not yet evaluated".into(),
            ],
        ),
        (None, &enough, vec!["practicum not yet evaluated".into()]),
        (
            result(false),
            &enough,
            vec!["practicum evaluated as not passed on 2025-03-01".into()],
        ),
        (
            result(false),
            &short,
            vec![
                "practicum 32.5 of 50 h".into(),
                "practicum evaluated as not passed on 2025-03-01".into(),
            ],
        ),
    ];
    for (practicum, rows, reasons) in cases {
        let p = Participant {
            practicum,
            ..person()
        };
        let o = outcome(&p, &all_present(), rows);
        assert_eq!(o.level, Level::Level1R);
        assert_eq!(o.reasons, reasons);
    }
}

#[test]
fn certified_has_no_reasons_and_more_hours_are_fine() {
    let o = outcome(
        &person(),
        &all_present(),
        &[support("24"), support("24"), support("4")],
    );
    assert_eq!(o.level, Level::Certified);
    assert_eq!(o.hours, Hours::from_hours(52));
    assert!(o.reasons.is_empty());
    assert!(!o.at_risk(&person()));
}

#[test]
fn every_outcome_below_certified_has_a_reason() {
    let people = [
        Participant {
            withdrawn: Some(d("2024-10-01")),
            ..person()
        },
        Participant {
            evaluation: None,
            ..person()
        },
        Participant {
            evaluation: evaluation(Participation::Partial, true),
            ..person()
        },
        Participant {
            evaluation: evaluation(Participation::Full, false),
            ..person()
        },
        Participant {
            practicum: None,
            ..person()
        },
    ];
    for p in &people {
        let o = outcome(p, &all_present(), &fifty());
        assert!(o.level < Level::Certified);
        assert!(!o.reasons.is_empty(), "{p:?}");
    }
}

// Properties of the pure engine.

fn any_mark() -> impl Strategy<Value = Option<Mark>> {
    prop_oneof![
        Just(None),
        prop::sample::select(Status::ALL.to_vec()).prop_map(|status| Some(Mark {
            status,
            minutes: None
        })),
        (100u32..=120).prop_map(partial),
    ]
}

fn any_person() -> impl Strategy<Value = Participant> {
    (
        prop::option::of(prop::sample::select(vec!["2024-09-20", "2024-12-01"])),
        prop::option::of((any::<bool>(), any::<bool>())),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(withdrawn, eval, passed)| Participant {
            withdrawn: withdrawn.map(d),
            evaluation: eval.and_then(|(full, rec)| {
                evaluation(
                    if full {
                        Participation::Full
                    } else {
                        Participation::Partial
                    },
                    rec,
                )
            }),
            practicum: passed.and_then(result),
            ..person()
        })
}

fn any_rows() -> impl Strategy<Value = Vec<PracticumRow>> {
    prop::collection::vec(
        (
            prop::sample::select(vec!["2024-10-12", "2024-10-13", "2025-01-01"]),
            prop::sample::select(vec!["0.1", "1:20", "8", "24", "12.25"]),
            prop::sample::select(Kind::ALL.to_vec()),
            prop::sample::select(vec!["", "M"]),
        )
            .prop_map(|(date, hours, kind, monitor)| row(date, hours, kind, monitor)),
        0..12,
    )
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..60).prop_map(|days| d("2024-09-05") + Duration::days(days))
}

proptest! {
    #[test]
    fn an_attended_row_never_lowers_the_outcome(
        marks in prop::collection::vec(any_mark(), 17),
        p in any_person(),
        rows in any_rows(),
        as_of in any_date(),
        w in 0usize..17,
        new in prop::sample::select(vec![mark(Status::Present), mark(Status::Makeup), partial(105), partial(120)]),
    ) {
        let before = eval_with(&p, &marks, &rows, &as_of.to_string());
        let mut more = marks.clone();
        more[w] = new;
        let after = eval_with(&p, &more, &rows, &as_of.to_string());
        prop_assert!(after.level >= before.level, "{:?} -> {:?}", before.level, after.level);
        prop_assert!(after.attended >= before.attended);
        prop_assert!(after.missed.len() <= before.missed.len());
    }

    #[test]
    fn a_later_as_of_never_turns_missed_into_upcoming(
        marks in prop::collection::vec(any_mark(), 17),
        p in any_person(),
        a in any_date(),
        later in 0i64..60,
    ) {
        let b = a + Duration::days(later);
        let early = eval_with(&p, &marks, &[], &a.to_string());
        let late = eval_with(&p, &marks, &[], &b.to_string());
        for (w, (x, y)) in early.webinars.iter().zip(&late.webinars).enumerate() {
            if matches!(x, WebinarState::Missed(_)) {
                prop_assert!(matches!(y, WebinarState::Missed(_)), "webinar {}: {:?} then {:?}", w + 1, x, y);
            }
            if matches!(x, WebinarState::Attended(_)) {
                prop_assert_eq!(x, y);
            }
        }
        prop_assert!(late.upcoming <= early.upcoming);
        prop_assert!(late.missed.len() >= early.missed.len());
    }

    #[test]
    fn counted_hours_are_the_exact_sum_of_counting_rows(rows in any_rows()) {
        let o = outcome(&person(), &all_present(), &rows);
        let seconds: u64 = rows.iter().filter(|r| counts(r, d(LAST)).is_ok()).map(|r| r.hours.seconds).sum();
        prop_assert_eq!(o.hours.seconds, seconds);
    }
}

/// Properties that depend on how rows become records: through the loader.
mod through_the_loader {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::load::{self, Root};

    const IDS: [&str; 3] = ["a1", "b2", "c3"];

    /// A data root with 3 webinars (2024-09-10, -12, -14) and participants
    /// a1, b2, c3, all evaluated as full and recommended.
    fn root(attendance: &[(u32, String)]) -> (tempfile::TempDir, Root) {
        let dir = tempfile::tempdir().unwrap();
        let mut cur = String::from(
            "[program]\nname = \"P\"\ncredential = \"C\"\ncertificate_prefix = \"PSCE\"\n\
             [attendance]\nsession_minutes = 120\nmin_minutes = 105\n[practicum]\nrequired_hours = 50\n",
        );
        let mut toml = String::from("id = \"c\"\nname = \"C\"\ntimezone = \"America/Toronto\"\n");
        for w in 1..=3 {
            cur += &format!("[[webinar]]\nnumber = {w}\ntitle = \"W{w}\"\n");
            toml += &format!(
                "[[session]]\nwebinar = {w}\ndate = 2024-09-{:02}\nstart = \"12:00\"\nend = \"14:00\"\n",
                8 + 2 * w
            );
        }
        for id in IDS {
            toml += &format!(
                "[[participant]]\nid = \"{id}\"\nname = \"N {id}\"\n[participant.evaluation]\nparticipation = \"full\"\nrecommend = true\nby = \"T\"\ndate = 2024-10-01\n"
            );
        }
        std::fs::write(dir.path().join("curriculum.toml"), cur).unwrap();
        std::fs::create_dir_all(dir.path().join("cohorts/c/attendance")).unwrap();
        std::fs::write(dir.path().join("cohorts/c/cohort.toml"), toml).unwrap();
        for (w, text) in attendance {
            std::fs::write(
                dir.path().join(format!("cohorts/c/attendance/{w:02}.csv")),
                text,
            )
            .unwrap();
        }
        let root = Root {
            dir: dir.path().to_path_buf(),
        };
        (dir, root)
    }

    /// Outcomes of a1, b2, c3 as (level, missed, attended), or the errors.
    fn outcomes(attendance: &[(u32, String)]) -> Vec<(Level, Vec<u32>, usize)> {
        let (_dir, root) = root(attendance);
        let mut diags = Diagnostics::default();
        let cur = load::load_curriculum(&root, &mut diags).expect("curriculum loads");
        let data = load::load_cohort_data(&root, &cur, "c", d(AFTER), d(AFTER), None, &mut diags)
            .expect("cohort loads");
        assert!(!diags.has_errors(), "{diags:?}");
        evaluate_cohort(&cur, &data.cohort, &data.records, d(AFTER))
            .into_iter()
            .map(|o| (o.level, o.missed, o.attended))
            .collect()
    }

    fn csv(rows: &[(usize, &str)]) -> String {
        let mut text = String::from("participant,status,minutes,recorded_by,recorded_at,note\n");
        for (p, cells) in rows {
            text += &format!("{},{cells}\n", IDS[*p]);
        }
        text
    }

    fn cells() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "present,,T,,",
            "absent,,T,,",
            "excused,,T,,",
            "partial,104,T,,",
            "partial,105,T,,",
            "makeup,,T,,with cohort d on 2025-01-21",
            "PRESENT,,T,2024-09-10T14:00:00-04:00,",
        ])
    }

    /// Per participant, a sequence of rows for webinar 1.
    fn histories() -> impl Strategy<Value = Vec<Vec<&'static str>>> {
        prop::collection::vec(prop::collection::vec(cells(), 0..4), 3)
    }

    fn all_present_elsewhere() -> Vec<(u32, String)> {
        (2..=3)
            .map(|w| {
                (
                    w,
                    csv(&[(0, "present,,,,"), (1, "present,,,,"), (2, "present,,,,")]),
                )
            })
            .collect()
    }

    #[test]
    fn a_correction_stands_in_both_directions() {
        let mut files = all_present_elsewhere();
        files.push((
            1,
            csv(&[
                (0, "absent,,T,,"),
                (1, "present,,T,,"),
                (0, "present,,T,,correction: joined by phone"),
                (1, "absent,,T,,correction: left at once"),
                (2, "present,,,,"),
            ]),
        ));
        let o = outcomes(&files);
        assert_eq!(o[0], (Level::Level1R, vec![], 3));
        assert_eq!(o[1], (Level::Incomplete, vec![1], 2));
    }

    #[test]
    fn a_make_up_after_an_absence_stands_and_the_absence_stays_in_the_file() {
        let mut files = all_present_elsewhere();
        files.push((
            1,
            csv(&[
                (0, "absent,,T,,"),
                (1, "excused,,T,,"),
                (2, "present,,,,"),
                (0, "makeup,,T,,with cohort d on 2025-01-21"),
            ]),
        ));
        let o = outcomes(&files);
        assert_eq!(o[0], (Level::Level1R, vec![], 3));
        assert_eq!(o[1], (Level::Incomplete, vec![1], 2));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn only_the_last_row_of_each_participant_matters(histories in histories()) {
            let mut rows = Vec::new();
            let mut last_only = Vec::new();
            for (p, history) in histories.iter().enumerate() {
                rows.extend(history.iter().map(|c| (p, *c)));
                if let Some(last) = history.last() {
                    last_only.push((p, *last));
                }
            }
            let mut full = all_present_elsewhere();
            full.push((1, csv(&rows)));
            let mut short = all_present_elsewhere();
            short.push((1, csv(&last_only)));
            prop_assert_eq!(outcomes(&full), outcomes(&short));
        }

        #[test]
        fn interleaving_participants_changes_nothing(histories in histories(), picks in prop::collection::vec(0usize..3, 12)) {
            let in_order: Vec<(usize, &str)> = histories.iter().enumerate().flat_map(|(p, h)| h.iter().map(move |c| (p, *c))).collect();
            // Interleave: take the next row of a randomly picked participant,
            // keeping each participant's own order.
            let mut next = [0usize; 3];
            let mut shuffled = Vec::new();
            let mut picks = picks.into_iter().cycle();
            while shuffled.len() < in_order.len() {
                let p = picks.next().unwrap();
                let p = (p..p + 3).map(|q| q % 3).find(|&q| next[q] < histories[q].len()).unwrap();
                shuffled.push((p, histories[p][next[p]]));
                next[p] += 1;
            }
            let mut a = all_present_elsewhere();
            a.push((1, csv(&in_order)));
            let mut b = all_present_elsewhere();
            b.push((1, csv(&shuffled)));
            prop_assert_eq!(outcomes(&a), outcomes(&b));
        }
    }
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
