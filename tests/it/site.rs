//! `cohort site`, looked at in headless Chromium (installed by .ci/run).

use std::path::Path;
use std::process::Command;

use crate::support::DataRoot;

/// Chromium with everything that would reach the network turned off.
fn chromium(args: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .expect("chromium runs (.ci/run installs Debian's chromium)");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The page as Chromium parsed it.
fn dom(path: &Path) -> String {
    String::from_utf8(chromium(&["--dump-dom", &url(path)]).stdout).unwrap()
}

/// A PNG screenshot of the page; checks it is one, of the window's size.
fn screenshot(path: &Path, out: &Path, width: u32, height: u32) {
    let size = format!("--window-size={width},{height}");
    let shot = format!("--screenshot={}", out.display());
    chromium(&[&shot, &size, &url(path)]);
    let png = std::fs::read(out).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    assert_eq!((be(16), be(20)), (width, height));
    assert!(png.len() > 20_000, "{} bytes: an empty page?", png.len());
}

/// The cells (`class`, text) of the table row with id `row` in a DOM dump.
fn cells(dom: &str, row: &str) -> Vec<(String, String)> {
    let start = dom
        .find(&format!("<tr id=\"{row}\">"))
        .unwrap_or_else(|| panic!("no row {row}"));
    let tr = &dom[start..start + dom[start..].find("</tr>").unwrap()];
    tr.split("<td")
        .skip(1)
        .map(|td| {
            let class = td
                .split_once("class=\"")
                .filter(|(before, _)| !before.contains('>'))
                .map(|(_, rest)| rest[..rest.find('"').unwrap()].to_string())
                .unwrap_or_default();
            let text = &td[td.find('>').unwrap() + 1..];
            let text = text.split("</td>").next().unwrap();
            (class, strip_tags(text))
        })
        .collect()
}

/// The text of `html`: what is between `<` and `>`, and those two, left out.
fn strip_tags(html: &str) -> String {
    let mut inside = false;
    html.chars()
        .filter(|&c| {
            inside = c == '<' || (inside && c != '>');
            !inside && c != '>'
        })
        .collect()
}

#[test]
fn the_example_cohorts_page_shows_every_name_mark_outcome_and_chart() {
    let root = DataRoot::example();
    let out = tempfile::tempdir().unwrap();
    // `unchanged`: site changes no data file.
    root.cli(&["site", out.path().to_str().unwrap()])
        .unchanged()
        .stderr_has("wrote index.html and 1 cohort page into");
    let page = out.path().join("2024-fall.html");
    let dom = dom(&page);
    for name in [
        "Zoë Martin-Leclerc",
        "Nguyễn Thị Mai",
        "Darnell Brooks, Jr.",
        "Kateřina Dvořák",
        "Siobhán O'Brien",
    ] {
        assert!(dom.contains(name), "{name} is not on the page");
    }
    // The grid: p07's partial-short webinar 6, p03's make-up of 9, p10's
    // withdrawal, p17's two absences and the at-risk mark.
    let p07 = cells(&dom, "grid-p07");
    assert_eq!(p07[7], ("m partial-short".into(), "½".into()));
    assert_eq!(p07[19], ("risk".into(), "!".into()));
    assert_eq!(
        cells(&dom, "grid-p03")[10],
        ("m made-up".into(), "M".into())
    );
    let p10 = cells(&dom, "grid-p10");
    assert_eq!(p10[8], ("m absent".into(), "✗".into()));
    assert_eq!(p10[19].1, "withdrew 2024-10-02");
    let p17: Vec<String> = cells(&dom, "grid-p17")[2..19]
        .iter()
        .map(|c| c.1.clone())
        .collect();
    assert_eq!(p17.iter().filter(|m| *m == "✗").count(), 2);
    assert_eq!(p17[2], "✗");
    assert_eq!(p17[13], "✗");
    // Dates above the numbers.
    assert!(
        dom.contains("title=\"2024-09-10\">9/10</th>"),
        "no date header"
    );
    assert!(dom.contains("title=\"2024-11-05\">11/5</th>"));
    // Outcomes with reasons, and the chart's bars (16 of 17 at webinar 6).
    let p04 = cells(&dom, "outcome-p04");
    assert_eq!(p04[3].1, "Level 1R");
    assert_eq!(
        p04[4].1,
        "practicum 32.5 of 50 h; practicum not yet evaluated"
    );
    assert!(dom.contains("webinar 6 on 2024-09-26: 17 of 18 attended (94%)"));
    assert!(dom.contains("style=\"width: 65%\""), "p04's practicum bar");
    assert!(dom.contains("Mateus Conceição</strong> (p07): missed webinar 6"));

    let index_page = out.path().join("index.html");
    let index = self::dom(&index_page);
    let row = cells(&index, "cohort-2024-fall");
    let counts: Vec<&str> = row[2..].iter().map(|c| c.1.as_str()).collect();
    // participants, Certified, Level 1R, Level 1, Incomplete, withdrew, at risk
    assert_eq!(counts, ["18", "3", "5", "4", "6", "1", "3"]);

    let shots = tempfile::tempdir().unwrap();
    screenshot(&page, &shots.path().join("cohort.png"), 1280, 1800);
    screenshot(&index_page, &shots.path().join("index.png"), 1024, 400);
}

#[test]
fn the_pages_need_nothing_from_elsewhere() {
    let root = DataRoot::example();
    let out = tempfile::tempdir().unwrap();
    root.run(&["site", out.path().to_str().unwrap()]).success();
    let files = crate::support::files_below(out.path());
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["2024-fall.html", "index.html"]
    );
    for (name, bytes) in files {
        let html = String::from_utf8(bytes).unwrap();
        let lower = html.to_lowercase();
        for bad in [
            "<script",
            "<link",
            "<img",
            "@import",
            "url(",
            "src=",
            "@font-face",
        ] {
            assert!(!lower.contains(bad), "{name} has {bad}");
        }
        for href in lower.split("href=\"").skip(1) {
            let target = &href[..href.find('"').unwrap()];
            assert!(
                out.path().join(target).is_file(),
                "{name} links to {target}, which is not a page of the site"
            );
        }
    }
}

#[test]
fn a_second_run_over_a_longer_old_page_leaves_nothing_of_it() {
    let root = DataRoot::example();
    let out = tempfile::tempdir().unwrap();
    let page = out.path().join("2024-fall.html");
    std::fs::write(&page, "x".repeat(500_000)).unwrap();
    std::fs::write(out.path().join("notes.txt"), "keep me").unwrap();
    root.run(&["site", out.path().to_str().unwrap()]).success();
    let first = std::fs::read_to_string(&page).unwrap();
    assert!(first.starts_with("<!DOCTYPE html>") && first.trim_end().ends_with("</html>"));
    assert!(!first.contains("xxxx"));
    root.run(&["site", out.path().to_str().unwrap()]).success();
    assert_eq!(std::fs::read_to_string(&page).unwrap(), first);
    assert_eq!(
        std::fs::read_to_string(out.path().join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn names_are_html_escaped() {
    let root = DataRoot::example();
    let evil = "<script>alert(\"x\")</script> & <b>Bold</b>";
    root.run(&["enroll", "2024-fall", "--id", "p19", "--name", evil])
        .success();
    let out = tempfile::tempdir().unwrap();
    root.run(&["site", out.path().to_str().unwrap()]).success();
    let page = out.path().join("2024-fall.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script"), "a raw <script> in the page");
    assert!(!html.contains("<b>"), "a raw <b> in the page");
    let dom = dom(&page);
    assert!(!dom.contains("<script"), "Chromium made a script element");
    assert!(!dom.contains("<b>"), "Chromium made a b element");
    assert_eq!(
        cells(&dom, "grid-p19")[1].1,
        "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &lt;b&gt;Bold&lt;/b&gt;"
    );
}

#[test]
fn a_refused_run_leaves_the_folder_as_it_was() {
    let root = DataRoot::example();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("2024-fall.html"), "old page").unwrap();
    root.append("cohorts/2024-fall/attendance/03.csv", "p99,present,,,,\n");
    root.run(&["site", out.path().to_str().unwrap()])
        .fails(1, "unknown participant \"p99\"")
        .stderr_has("refusing to go on");
    let files = crate::support::files_below(out.path());
    assert_eq!(files.len(), 1, "{:?}", files.keys());
    assert_eq!(files["2024-fall.html"], b"old page");
}

#[test]
fn on_generated_cohorts_the_index_counts_agree_with_report() {
    let root = DataRoot::generated(30);
    let out = tempfile::tempdir().unwrap();
    root.run(&["site", out.path().to_str().unwrap()])
        .success()
        .stderr_has("wrote index.html and 30 cohort pages");
    let rows = root.json("report --all --format json");
    let mut by_cohort: std::collections::BTreeMap<String, [usize; 5]> = Default::default();
    for r in rows.as_array().unwrap() {
        let c = by_cohort
            .entry(r["cohort"].as_str().unwrap().to_string())
            .or_default();
        c[0] += 1;
        let i = ["Certified", "Level 1R", "Level 1", "Incomplete"]
            .iter()
            .position(|l| r["outcome"] == *l)
            .unwrap();
        c[1 + i] += 1;
    }
    assert_eq!(by_cohort.len(), 30);
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    for (cohort, want) in &by_cohort {
        let got: Vec<usize> = cells(&html, &format!("cohort-{cohort}"))[2..7]
            .iter()
            .map(|c| c.1.parse().unwrap())
            .collect();
        assert_eq!(got, want, "{cohort}");
        assert!(out.path().join(format!("{cohort}.html")).is_file());
    }
    // One generated page, in the browser.
    let first = by_cohort.keys().next().unwrap();
    let dom = dom(&out.path().join(format!("{first}.html")));
    assert!(dom.contains("<svg"), "no chart");
    assert_eq!(dom.matches("<tr id=\"grid-").count(), by_cohort[first][0]);
}
