//! Times reading every `cohort.toml` of a data root in-process, one thread,
//! the texts already in memory: the `toml` crate's parse alone (`DeTable`,
//! the floor) beside the whole reader (`load::cohort_from_text`: parse,
//! locate and validate), interleaved run by run.
//!
//! ```text
//! cargo run --release --example read_cohorts -- ROOT [RUNS]
//! ```

use std::time::{Duration, Instant};

use cohort::diag::Diagnostics;
use cohort::load::{self, Root};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: read_cohorts ROOT [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args
        .get(1)
        .map_or(7, |r| r.parse().expect("RUNS is a number"));
    let root = Root::find(Some(std::path::Path::new(root)), std::path::Path::new("."))
        .expect("a data root");
    let mut diags = Diagnostics::default();
    let curriculum = load::load_curriculum(&root, &mut diags).expect("curriculum.toml reads");
    let mut texts: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(root.dir.join("cohorts")).expect("a cohorts folder") {
        let dir = entry.expect("a folder entry").path();
        if let Ok(text) = std::fs::read_to_string(dir.join("cohort.toml")) {
            let id = dir.file_name().unwrap().to_string_lossy().into_owned();
            texts.push((id, text));
        }
    }
    let (mut parse, mut read) = (Vec::new(), Vec::new());
    let mut read_ok = 0;
    for _ in 0..runs {
        let start = Instant::now();
        for (_, text) in &texts {
            let table = toml::de::DeTable::parse(text).expect("the TOML parses");
            std::hint::black_box(table);
        }
        parse.push(start.elapsed());
        let start = Instant::now();
        read_ok = 0;
        for (id, text) in &texts {
            let mut diags = Diagnostics::default();
            if load::cohort_from_text(text, &curriculum, id, &mut diags).is_some() {
                read_ok += 1;
            }
        }
        read.push(start.elapsed());
    }
    let (parse, read) = (median(parse), median(read));
    println!(
        "{} cohort.toml ({read_ok} read without errors), medians of {runs} interleaved runs:",
        texts.len()
    );
    println!(
        "  toml::de::DeTable::parse alone  {:>8.3} s",
        parse.as_secs_f64()
    );
    println!(
        "  load::cohort_from_text          {:>8.3} s",
        read.as_secs_f64()
    );
    println!(
        "  reader / parse                  {:>8.2}x",
        read.as_secs_f64() / parse.as_secs_f64()
    );
}
