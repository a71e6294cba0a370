//! Times the import of one meeting report in-process, without the start-up
//! and file-system noise of running the binary: reading (decoding, finding
//! the layout) and applying the import rules, repeated.
//!
//! ```text
//! cargo run --release --example report_import -- ROOT COHORT WEBINAR REPORT [RUNS]
//! ```

use std::time::Instant;

use cohort::diag::Diagnostics;
use cohort::load::{self, Root};
use cohort::meeting::{self, import, names::Keys};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, id, webinar, report, rest @ ..] = args.as_slice() else {
        eprintln!("usage: report_import ROOT COHORT WEBINAR REPORT [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = rest
        .first()
        .map_or(1000, |r| r.parse().expect("RUNS is a number"));
    let webinar: u32 = webinar.parse().expect("WEBINAR is a number");
    let root = Root::find(Some(std::path::Path::new(root)), std::path::Path::new("."))
        .expect("a data root");
    let mut diags = Diagnostics::default();
    let curriculum = load::load_curriculum(&root, &mut diags).expect("curriculum.toml reads");
    let data = load::cohort_files(&root, &curriculum, id, Some(webinar), &mut diags)
        .expect("the cohort reads");
    let cohort = &data.cohort;
    let session = &cohort.sessions[webinar as usize - 1];
    let tz: chrono_tz::Tz = cohort.timezone.parse().unwrap();
    let bytes = std::fs::read(report).expect("the report reads");
    let mut times = Vec::with_capacity(runs);
    let mut marks = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let (report, table) = meeting::read(&bytes)
            .map_err(|(p, _)| p)
            .expect("the report reads");
        let keys = Keys::of(cohort);
        let setting = import::Setting {
            cohort,
            session,
            webinar,
            session_minutes: curriculum.session_minutes,
            min_minutes: curriculum.min_minutes,
            cohort_tz: tz,
            report_tz: tz,
            tz_given: false,
            ignore_unmatched: false,
            shown: "report",
        };
        let outcome =
            import::import(&report, &table, &keys, &setting).expect("the import succeeds");
        marks = outcome.marks.len();
        times.push(start.elapsed());
    }
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} bytes, {marks} marks: median {:.3} ms, min {:.3} ms, 90th percentile {:.3} ms over {runs} runs",
        bytes.len(),
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs * 9 / 10])
    );
}
