//! Properties of the pure engine, and of the loader feeding it.

use super::*;
use strum::VariantArray as _;

fn any_mark() -> impl Strategy<Value = Option<Mark>> {
    prop_oneof![
        Just(None),
        prop::sample::select(Status::ALL.to_vec()).prop_map(mark),
        (100u32..=120).prop_map(partial),
    ]
}

fn any_person() -> impl Strategy<Value = Participant> {
    (
        prop::option::of(prop::sample::select(vec!["2024-09-20", "2024-12-01"])),
        prop::option::of((
            prop::sample::select(vec![Participation::Full, Participation::Partial]),
            any::<bool>(),
        )),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(withdrawn, eval, passed)| Participant {
            withdrawn: withdrawn.map(d),
            evaluation: eval.and_then(|(participation, rec)| evaluation(participation, rec)),
            practicum: passed.and_then(result),
            ..person()
        })
}

fn any_rows() -> impl Strategy<Value = Vec<PracticumRow>> {
    prop::collection::vec(
        (
            prop::sample::select(vec!["2024-10-12", "2024-10-13", "2025-01-01"]),
            prop::sample::select(vec!["0.1", "1:20", "8", "24", "12.25"]),
            prop::sample::select(Kind::VARIANTS.to_vec()),
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
        let write = |rel: &str, text: &str| std::fs::write(dir.path().join(rel), text).unwrap();
        write("curriculum.toml", &cur);
        std::fs::create_dir_all(dir.path().join("cohorts/c/attendance")).unwrap();
        write("cohorts/c/cohort.toml", &toml);
        for (w, text) in attendance {
            write(&format!("cohorts/c/attendance/{w:02}.csv"), text);
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
        let files = load::cohort_files(&root, &cur, "c", None, &mut diags).expect("cohort loads");
        let dates = crate::validate::Dates::today(d(AFTER));
        let data = crate::validate::cohort_data(files, &cur, dates, None, &mut diags);
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

    /// Outcomes when everyone was present at webinars 2 and 3, and webinar
    /// 1's file holds `rows`.
    fn outcomes_with_webinar_1(rows: &[(usize, &str)]) -> Vec<(Level, Vec<u32>, usize)> {
        let present = csv(&[(0, "present,,,,"), (1, "present,,,,"), (2, "present,,,,")]);
        outcomes(&[(1, csv(rows)), (2, present.clone()), (3, present)])
    }

    #[test]
    fn a_correction_or_a_make_up_after_an_absence_stands() {
        for (what, rows) in [
            (
                "a correction stands in both directions",
                &[
                    (0, "absent,,T,,"),
                    (1, "present,,T,,"),
                    (0, "present,,T,,correction: joined by phone"),
                    (1, "absent,,T,,correction: left at once"),
                    (2, "present,,,,"),
                ][..],
            ),
            (
                "a make-up after an absence stands, the absence stays in the file",
                &[
                    (0, "absent,,T,,"),
                    (1, "excused,,T,,"),
                    (2, "present,,,,"),
                    (0, "makeup,,T,,with cohort d on 2025-01-21"),
                ],
            ),
        ] {
            let o = outcomes_with_webinar_1(rows);
            assert_eq!(o[0], (Level::Level1R, vec![], 3), "{what}");
            assert_eq!(o[1], (Level::Incomplete, vec![1], 2), "{what}");
        }
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
            prop_assert_eq!(outcomes_with_webinar_1(&rows), outcomes_with_webinar_1(&last_only));
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
            prop_assert_eq!(outcomes_with_webinar_1(&in_order), outcomes_with_webinar_1(&shuffled));
        }
    }
}
