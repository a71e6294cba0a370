//! Bounded fuzzing of every loader, in process: arbitrary and near-valid
//! inputs never panic, and every rejection is located in a file.
//!
//! cargo-fuzz needs a nightly toolchain, which this project's machines do not
//! have; proptest drives the same loaders for a bounded number of cases in
//! every CI run instead.

use chrono::NaiveDate;
use cohort::diag::Diagnostics;
use cohort::load::{self, Root};
use cohort::validate;
use proptest::prelude::*;

use crate::support::DataRoot;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// Loads everything the way `check` does and checks the invariants.
fn load_all(root: &DataRoot) -> Diagnostics {
    let root = Root {
        dir: root.dir().to_path_buf(),
    };
    let mut diags = Diagnostics::default();
    if let Some(curriculum) = load::load_curriculum(&root, &mut diags) {
        for id in root.cohort_ids(&mut diags) {
            if let Some(files) = load::cohort_files(&root, &curriculum, &id, None, &mut diags) {
                let dates = validate::Dates::today(today());
                validate::cohort_data(files, &curriculum, dates, None, &mut diags);
            }
        }
    }
    for d in &diags.items {
        assert!(!d.path.is_empty(), "a diagnostic without a file: {d:?}");
        assert!(
            !d.message.is_empty(),
            "a diagnostic without a message: {d:?}"
        );
        if let Some(e) = &d.excerpt {
            assert!(e.start <= e.end && e.end <= e.text.len());
        }
    }
    diags
}

/// Lines that look like attendance rows, often almost right.
fn attendance_text() -> impl Strategy<Value = String> {
    let row = "(p0[1-9]|p1[0-8]|p99|P01| p02 |)(,(present|partial|absent|excused|makeup|PARTIAL|late|)(,(-?[0-9]{0,4}|1e3|10\\.5)(,[A-Za-z ]{0,8}(,(2024-09-10T14:05:00-04:00|yesterday|)(,(\"[a-z, \"]{0,10}\"|[a-z ]{0,6}))?)?)?)?)?";
    let header = "(participant,status,minutes,recorded_by,recorded_at,note|STATUS,Participant,Minutes|participant,minutes|)";
    (
        header,
        proptest::collection::vec(row, 0..12),
        prop_oneof!["\n", "\r\n"],
    )
        .prop_map(|(h, rows, eol)| format!("{h}{eol}{}", rows.join(&eol)))
}

fn practicum_text() -> impl Strategy<Value = String> {
    let row = "(p0[1-9]|p1[0-8]|zz|)(,(2025-0[1-9]-1[0-9]|2099-01-01|2024-11-05|01/02/2025|)(,([0-9]{1,2}(\\.[0-9]{1,3})?|[0-9]:[0-9]{2}|1,5|0|-2|24)(,(support|supervision|training|other|SUPPORT|coach|)(,[A-Za-z ]{0,6}(,[a-z ]{0,6})?)?)?)?)?";
    proptest::collection::vec(row, 0..12).prop_map(|rows| {
        format!(
            "participant,date,hours,kind,monitor,note\n{}",
            rows.join("\n")
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn attendance_logs_never_panic(text in attendance_text(), webinar in 1u32..=17) {
        let root = DataRoot::example();
        root.write(&format!("cohorts/2024-fall/attendance/{webinar:02}.csv"), &text);
        load_all(&root);
    }

    #[test]
    fn arbitrary_bytes_in_a_log_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let root = DataRoot::example();
        root.write("cohorts/2024-fall/attendance/05.csv", &bytes);
        root.write("cohorts/2024-fall/practicum.csv", &bytes);
        load_all(&root);
    }

    #[test]
    fn practicum_logs_never_panic(text in practicum_text()) {
        let root = DataRoot::example();
        root.write("cohorts/2024-fall/practicum.csv", &text);
        load_all(&root);
    }

    #[test]
    fn cohort_toml_edits_never_panic(
        cut in 0usize..6000,
        insert in "(\\[|\\]|\\[\\[participant\\]\\]\n|\"|=|\n|id = \"p01\"\n|date = 2024-13-40\n|webinar = 99\n|start = \"25:00\"\n|withdrawn = true\n|x = 1\n)"
    ) {
        let root = DataRoot::example();
        let text = root.read("cohorts/2024-fall/cohort.toml");
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        root.write("cohorts/2024-fall/cohort.toml", format!("{}{insert}{}", &text[..at], &text[at..]));
        load_all(&root);
    }

    #[test]
    fn curriculum_edits_never_panic(
        cut in 0usize..4000,
        insert in "(\\[|\\]|\\[\\[webinar\\]\\]\nnumber = 3\n|\"|min_minutes = 500\n|number = -1\n|required_hours = \"abc\"\n|\n)"
    ) {
        let root = DataRoot::example();
        let text = root.read("curriculum.toml");
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        root.write("curriculum.toml", format!("{}{insert}{}", &text[..at], &text[at..]));
        load_all(&root);
    }

    #[test]
    fn certificate_registers_never_panic(text in "(number,cohort,participant,name,level,date,issued_at,status,reason\n|NUMBER,Status\n|)((PSCE-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]|psce 1234|PSCE-0000-0000-0|),(2024-fall|x|),(p0[1-9]|),(\"A, B\"|Zoë|=1|),(Level 1|Level 1R|Certified|level 9|),(2025-01-0[1-9]|2025-13-40|),(2025-01-01T00:00:00Z|now|),(issued|revoked|lost|),([a-z ]{0,8})\n){0,8}") {
        let mut diags = Diagnostics::default();
        let register = cohort::register::parse(&text, &mut diags);
        for d in &diags.items {
            prop_assert_eq!(d.path.as_str(), "certificates.csv");
            prop_assert!(!d.message.is_empty());
        }
        // What was accepted can be looked up again by its own number.
        for number in register.numbers() {
            prop_assert!(register.get(number).is_some());
        }
    }

    #[test]
    fn meeting_reports_never_panic(text in "(Name \\(Original Name\\),User Email,Join Time,Leave Time\n|Meeting ID,Topic\n1,x\n\n|)((Jo|Zoë|\"A, B\"|),(a@b\\.c|),(09/17/2024 1[0-2]:[0-5][0-9]:[0-5][0-9] (AM|PM)|2024-09-17 12:00|13/45/2024|),(09/17/2024 0[1-2]:[0-5][0-9] PM|2024-09-17T14:00:00Z|)\n){0,8}") {
        if let Err((errors, _)) = cohort::meeting::read(text.as_bytes()) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(e.place.line >= 1);
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

/// Cost grows with the input and no faster: ten times the rows take well
/// under a hundred times as long (a quadratic loader would take ~100×).
#[test]
fn loading_time_is_linear_in_rows() {
    fn time_with(rows: usize) -> std::time::Duration {
        let root = DataRoot::example();
        let mut text = String::from("participant,status,minutes,recorded_by,recorded_at,note\n");
        for i in 0..rows {
            // Many corrections of the same few people, and long quoted notes.
            text += &format!(
                "p0{},partial,{},T,,\"note, {}\"\n",
                1 + i % 9,
                i % 121,
                "x".repeat(i % 50)
            );
        }
        root.write("cohorts/2024-fall/attendance/03.csv", &text);
        let start = std::time::Instant::now();
        load_all(&root);
        start.elapsed()
    }
    time_with(2_000); // warm the file cache and the allocator
    let small = time_with(10_000);
    let large = time_with(100_000);
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    assert!(
        ratio < 40.0,
        "10× the rows took {ratio:.1}× as long ({small:?} → {large:?})"
    );
}
