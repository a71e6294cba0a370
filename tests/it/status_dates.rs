//! `cohort status`: the session dates above the webinar numbers, and a
//! grid that fits 80 columns.

use unicode_width::UnicodeWidthStr;

use crate::support::{DataRoot, session_dates};

/// The month (where shown) and day above each webinar's column, read by
/// the column of its number in the header.
fn dates_by_column(stdout: &str) -> Vec<(Option<u32>, u32)> {
    // The lines above the `id  name` header: months, then days.
    let lines: Vec<&str> = stdout.lines().collect();
    let h = lines.iter().position(|l| l.starts_with("id ")).unwrap();
    let (months, days, header) = (lines[h - 2], lines[h - 1], lines[h]);
    let at = |line: &str, end: usize| -> Option<u32> {
        let chars: Vec<char> = line.chars().collect();
        let from = end.saturating_sub(2);
        let cell: String = chars.get(from..end.min(chars.len()))?.iter().collect();
        cell.trim().parse().ok()
    };
    let mut out = Vec::new();
    let mut end = 0;
    for word in header.split_inclusive(' ') {
        end += word.chars().count();
        let number = word.trim();
        if number.parse::<u32>().is_ok() {
            let e = end - (word.len() - number.len());
            out.push((at(months, e), at(days, e).unwrap()));
        }
    }
    out
}

#[test]
fn the_example_grid_shows_each_sessions_month_and_day_and_fits_80_columns() {
    let root = DataRoot::example();
    let stdout = &root.ok("status 2024-fall").stdout;
    for line in stdout.lines() {
        assert!(line.width() <= 80, "{} columns: {line}", line.width());
    }
    let dates: Vec<(u32, u32)> = session_dates(&root.read("cohorts/2024-fall/cohort.toml"))
        .iter()
        .map(|d| (d[5..7].parse().unwrap(), d[8..10].parse().unwrap()))
        .collect();
    assert_eq!(dates.len(), 17);
    let shown = dates_by_column(stdout);
    assert_eq!(shown.len(), 17);
    let mut month = None;
    for (i, ((m, d), (shown_m, shown_d))) in dates.iter().zip(&shown).enumerate() {
        assert_eq!(shown_d, d, "webinar {}", i + 1);
        // The month is shown where it changes, and only there.
        let want = (month != Some(*m)).then_some(*m);
        assert_eq!(*shown_m, want, "webinar {}", i + 1);
        month = Some(*m);
    }
}

#[test]
fn generated_cohorts_fit_80_columns_too() {
    let root = DataRoot::generated(10);
    for (rel, _) in crate::support::files_below(&root.path("cohorts")) {
        let Some(id) = rel.strip_suffix("/cohort.toml") else {
            continue;
        };
        let run = root.run(&["status", id]);
        for line in run.success().stdout.lines() {
            assert!(line.width() <= 80, "{id}: {} columns: {line}", line.width());
        }
        assert_eq!(dates_by_column(&run.stdout).len(), 17, "{id}");
    }
}
