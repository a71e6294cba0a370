//! The as-of rule's odd cases, one test each, and its properties.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::model::{Curriculum, Hours, Kind, Participant, PracticumResult, Session, Status};
use crate::rules::tests::{d, mark, person, result, row};
use crate::rules::{Level, Outcome, WebinarState, evaluate_cohort};

fn at(text: &str) -> Option<DateTime<FixedOffset>> {
    Some(DateTime::parse_from_rfc3339(text).unwrap())
}

/// Three webinars; 2 practicum hours.
fn curriculum() -> Curriculum {
    Curriculum {
        credential: "Certified".into(),
        required_hours: Hours::from_hours(2),
        ..crate::rules::tests::curriculum(3)
    }
}

/// Webinars on 2024-10-01, 10-03 and 10-05, in `tz`; two participants,
/// evaluated on 10-20, practicum passed on 11-30.
fn cohort(tz: &str) -> Cohort {
    let base = crate::rules::tests::cohort(1);
    let person = |id: &str| Participant {
        id: id.into(),
        practicum: Some(PracticumResult {
            date: d("2024-11-30"),
            ..result(true).unwrap()
        }),
        ..person()
    };
    Cohort {
        timezone: tz.into(),
        sessions: ["2024-10-01", "2024-10-03", "2024-10-05"]
            .iter()
            .zip(1..)
            .map(|(date, webinar)| Session {
                webinar,
                date: d(date),
                ..base.sessions[0]
            })
            .collect(),
        participants: vec![person("p01"), person("p02")],
        ..base
    }
}

type AnyRow = (u32, u32, Status, Option<DateTime<FixedOffset>>);

/// Records built the way the loader builds them: rows in file order, the
/// last one of each participant and webinar standing.
fn records(rows: &[AnyRow]) -> Records {
    let mut records = Records::new(2, 3);
    for &(p, w, status, recorded_at) in rows {
        records.marks[p as usize][w as usize] = mark(status);
        records.stamped.push(StampedMark {
            participant: p,
            webinar: w,
            mark: mark(status).unwrap(),
            recorded_at,
        });
    }
    records
}

/// Both present at every webinar, recorded on the session's day.
fn all_present() -> Vec<AnyRow> {
    let days = ["2024-10-01", "2024-10-03", "2024-10-05"];
    let stamp = |w: u32| at(&format!("{}T14:05:00-04:00", days[w as usize]));
    (0..2)
        .flat_map(|p| (0..3).map(move |w| (p, w, Status::Present, stamp(w))))
        .collect()
}

/// The cohort and records as they stood on `as_of`, and the outcomes then.
fn stood(cohort: &Cohort, records: &Records, as_of: &str) -> (Cohort, Records, Vec<Outcome>) {
    let (mut c, mut r) = (cohort.clone(), records.clone());
    as_it_stood(&mut c, &mut r, d(as_of));
    let outcomes = evaluate_cohort(&curriculum(), &c, &r, d(as_of));
    (c, r, outcomes)
}

#[test]
fn a_correction_recorded_the_day_after_counts_from_that_day() {
    let c = cohort("America/Toronto");
    let mut rows = all_present();
    rows[0] = (0, 0, Status::Absent, at("2024-10-01T14:05:00-04:00"));
    rows.push((0, 0, Status::Present, at("2024-10-02T09:30:00-04:00")));
    let r = records(&rows);
    let (_, r1, o) = stood(&c, &r, "2024-10-01");
    assert_eq!(r1.marks[0][0], mark(Status::Absent));
    assert_eq!(o[0].webinars[0], WebinarState::Missed(mark(Status::Absent)));
    let (_, r2, _) = stood(&c, &r, "2024-10-02");
    assert_eq!(r2.marks[0][0], mark(Status::Present));
    // The other participant is untouched either way.
    assert_eq!(r1.marks[1][0], mark(Status::Present));
}

#[test]
fn a_row_recorded_later_is_left_out_even_without_an_earlier_one() {
    let c = cohort("America/Toronto");
    // Webinar 1 recorded only on 10-04: as of 10-02 it is a held session with no row.
    let r = records(&[(0, 0, Status::Present, at("2024-10-04T10:00:00-04:00"))]);
    let (_, r1, o) = stood(&c, &r, "2024-10-02");
    assert_eq!(r1.marks[0][0], None);
    assert_eq!(o[0].webinars[0], WebinarState::Missed(None));
    // The rows stay, for `report --participant` to show.
    assert_eq!(r1.stamped.len(), 1);
}

#[test]
fn an_evaluation_dated_after_is_left_out() {
    let c = cohort("America/Toronto");
    let r = records(&all_present());
    let (c1, _, o) = stood(&c, &r, "2024-10-19");
    assert_eq!(c1.participants[0].evaluation, None);
    assert_eq!(o[0].level, Level::Incomplete);
    assert_eq!(o[0].reasons, ["awaiting trainer evaluation"]);
    let (c2, _, o) = stood(&c, &r, "2024-10-20");
    assert!(c2.participants[0].evaluation.is_some());
    assert_eq!(o[0].level, Level::Level1R);
}

#[test]
fn a_withdrawal_dated_after_is_left_out() {
    let mut c = cohort("America/Toronto");
    c.participants[0].withdrawn = Some(d("2024-10-04"));
    let rows: Vec<_> = all_present().into_iter().filter(|r| r.1 < 2).collect();
    let r = records(&rows);
    let (c1, _, o) = stood(&c, &r, "2024-10-03");
    assert_eq!(c1.participants[0].withdrawn, None);
    let why = &o[0].reasons;
    assert!(!why.iter().any(|r| r.contains("withdrew")), "{why:?}");
    let (c2, _, o) = stood(&c, &r, "2024-10-04");
    assert_eq!(c2.participants[0].withdrawn, Some(d("2024-10-04")));
    assert_eq!(o[0].reasons, vec!["withdrew on 2024-10-04".to_string()]);
}

#[test]
fn rows_without_stamps_count_from_their_sessions_date() {
    let c = cohort("America/Toronto");
    let unstamped: Vec<_> = (0..3).map(|w| (0, w, Status::Present, None)).collect();
    let r = records(&unstamped);
    let present = mark(Status::Present);
    for (as_of, marks) in [
        ("2024-10-02", [present, None, None]),
        ("2024-10-03", [present, present, None]),
    ] {
        assert_eq!(stood(&c, &r, as_of).1.marks[0], marks, "as of {as_of}");
    }
    // A correction without a stamp counts from the session's date too: it
    // stands over an earlier stamped row from that day on.
    let r = records(&[
        (0, 0, Status::Absent, at("2024-10-01T14:00:00-04:00")),
        (0, 0, Status::Present, None),
    ]);
    let (_, r3, _) = stood(&c, &r, "2024-10-01");
    assert_eq!(r3.marks[0][0], mark(Status::Present));
}

#[test]
fn a_stamp_late_in_the_evening_counts_on_its_day_in_the_cohorts_zone() {
    let (toronto, tokyo, present) = ("America/Toronto", "Asia/Tokyo", mark(Status::Present));
    for (zone, stamp, as_of, want) in [
        // 23:30 in Toronto on 10-01 is 03:30 UTC on 10-02.
        (toronto, "2024-10-02T03:30:00Z", "2024-10-01", present),
        // The same instant written with Toronto's offset.
        (toronto, "2024-10-01T23:30:00-04:00", "2024-10-01", present),
        // A zone east of UTC: 16:00 UTC on 10-01 is 01:00 on 10-02 in Tokyo.
        (tokyo, "2024-10-01T16:00:00Z", "2024-10-01", None),
        (tokyo, "2024-10-01T16:00:00Z", "2024-10-02", present),
    ] {
        let r = records(&[(0, 0, Status::Present, at(stamp))]);
        let (_, r1, _) = stood(&cohort(zone), &r, as_of);
        assert_eq!(r1.marks[0][0], want, "{stamp} in {zone} as of {as_of}");
    }
}

#[test]
fn practicum_rows_and_results_dated_after_are_left_out() {
    let c = cohort("America/Toronto");
    let mut r = records(&all_present());
    let on = |date: &str| row(date, "1", Kind::Support, "M");
    r.practicum[0] = vec![on("2024-11-01"), on("2024-11-10")];
    let (c1, r1, o) = stood(&c, &r, "2024-11-05");
    assert_eq!(r1.practicum[0], vec![on("2024-11-01")]);
    assert_eq!(c1.participants[0].practicum, None);
    assert_eq!(o[0].hours, Hours::from_hours(1));
    let (_, _, o) = stood(&c, &r, "2024-11-30");
    assert_eq!(o[0].level, Level::Certified);
}

#[test]
fn on_or_after_today_nothing_is_cut() {
    assert!(applies(d("2024-10-01"), d("2024-10-02")));
    assert!(!applies(d("2024-10-02"), d("2024-10-02")));
    assert!(!applies(d("2024-10-03"), d("2024-10-02")));
}

// Properties.

const ZONES: [&str; 4] = [
    "America/Toronto",
    "Asia/Tokyo",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
];

fn any_stamp() -> impl Strategy<Value = Option<DateTime<FixedOffset>>> {
    prop::option::of(
        (0i64..20 * 24 * 60, -12i32..=14).prop_map(|(minutes, offset)| {
            let base = d("2024-09-28").and_hms_opt(0, 0, 0).unwrap() + Duration::minutes(minutes);
            let offset = FixedOffset::east_opt(offset * 3600).unwrap();
            base.and_local_timezone(offset).single().unwrap()
        }),
    )
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (0i64..80).prop_map(|n| d("2024-09-28") + Duration::days(n))
}

/// Rows of every status, partial drawn as present.
fn any_rows() -> impl Strategy<Value = Vec<AnyRow>> {
    let mut statuses = Status::ALL.to_vec();
    let partial = statuses.iter().position(|&s| s == Status::Partial);
    statuses[partial.unwrap()] = Status::Present;
    let status = prop::sample::select(statuses);
    prop::collection::vec((0u32..2, 0u32..3, status, any_stamp()), 0..14)
}

/// The same records in file order of webinar, as the loader keeps them.
fn by_webinar(mut rows: Vec<AnyRow>) -> Vec<AnyRow> {
    rows.sort_by_key(|r| r.1);
    rows
}

proptest! {
    #[test]
    fn the_quick_day_test_agrees_with_the_zones_calendar(
        stamp in any_stamp(), zone in prop::sample::select(ZONES.to_vec()), as_of in any_day()
    ) {
        let tz: Tz = zone.parse().unwrap();
        let session = d("2024-10-03");
        prop_assert_eq!(
            recorded_by(stamp, session, tz, as_of),
            recorded_on(stamp, session, tz) <= as_of
        );
    }

    /// Moving the as-of date forward never loses a record that had counted,
    /// except through a correction recorded in between.
    #[test]
    fn a_later_as_of_loses_nothing_but_to_a_later_correction(
        rows in any_rows(),
        zone in prop::sample::select(ZONES.to_vec()),
        early in any_day(),
        days in 0i64..30,
        withdrawn in prop::option::of(any_day()),
        hours in prop::collection::vec(any_day(), 0..6),
    ) {
        let late = early + Duration::days(days);
        let mut c = cohort(zone);
        c.participants[1].withdrawn = withdrawn;
        let rows = by_webinar(rows);
        let mut r = records(&rows);
        r.practicum[0] = hours.iter().map(|date| row(&date.to_string(), "1", Kind::Support, "M")).collect();
        let tz: Tz = zone.parse().unwrap();
        let (c1, r1, o1) = stood(&c, &r, &early.to_string());
        let (c2, r2, o2) = stood(&c, &r, &late.to_string());
        for p in 0..2 {
            for w in 0..3 {
                let corrected = rows.iter().any(|&(rp, rw, _, at)| {
                    let day = recorded_on(at, c.sessions[rw as usize].date, tz);
                    rp as usize == p && rw as usize == w && early < day && day <= late
                });
                if r1.marks[p][w].is_some() && !corrected {
                    prop_assert_eq!(r1.marks[p][w], r2.marks[p][w]);
                }
                if matches!(o1[p].webinars[w], WebinarState::Attended(_)) && !corrected {
                    prop_assert!(matches!(o2[p].webinars[w], WebinarState::Attended(_)));
                }
            }
            prop_assert!(o2[p].hours >= o1[p].hours);
            prop_assert!(r2.practicum[p].len() >= r1.practicum[p].len());
            let (a, b) = (&c1.participants[p], &c2.participants[p]);
            prop_assert!(a.evaluation.is_none() || a.evaluation == b.evaluation);
            prop_assert!(a.practicum.is_none() || a.practicum == b.practicum);
            prop_assert!(a.withdrawn.is_none() || a.withdrawn == b.withdrawn);
        }
    }

    /// Far enough ahead, the cut is no cut: today's report is unchanged.
    #[test]
    fn after_every_record_the_records_are_whole(rows in any_rows(), zone in prop::sample::select(ZONES.to_vec())) {
        let c = cohort(zone);
        let r = records(&by_webinar(rows));
        let (c1, r1, _) = stood(&c, &r, "2025-06-01");
        prop_assert_eq!(r1.marks, r.marks);
        prop_assert_eq!(format!("{:?}", c1.participants), format!("{:?}", c.participants));
    }
}
