//! The README shows real output: keep it true.

use crate::support::DataRoot;

/// The fenced block that follows the line naming `command` in the README.
fn block_after(readme: &str, command: &str) -> String {
    let start = readme
        .find(command)
        .unwrap_or_else(|| panic!("README does not mention {command}"));
    let rest = &readme[start..];
    let open = rest.find("```\n").expect("a fenced block follows") + 4;
    let close = rest[open..].find("```").expect("the block is closed");
    rest[open..open + close].to_string()
}

#[test]
fn readme_shows_the_real_report_and_status() {
    let readme = crate::init::readme();
    let root = DataRoot::example();
    assert_eq!(
        block_after(&readme, "`cohort report 2024-fall --format csv`:"),
        root.ok("report 2024-fall --format csv").stdout
    );
    assert_eq!(
        block_after(
            &readme,
            "`cohort status 2024-fall` (colours on a terminal):"
        ),
        root.ok("status 2024-fall").stdout
    );
}

/// docs/example-cohort.md lists each participant's outcome, counted hours
/// and reasons: they must be what `cohort report` says.
#[test]
fn example_cohort_doc_matches_the_report() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/example-cohort.md"
    ))
    .unwrap();
    let rows = DataRoot::example().json("report 2024-fall --format json");
    assert_eq!(rows.as_array().unwrap().len(), 18);
    for row in rows.as_array().unwrap() {
        let id = row["participant"].as_str().unwrap();
        let line = doc
            .lines()
            .find(|l| l.starts_with(&format!("| {id} |")))
            .unwrap_or_else(|| panic!("docs/example-cohort.md has no row for {id}"));
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let n = cells.len();
        let reasons: Vec<&str> = row["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        let reasons = if reasons.is_empty() {
            "none".to_string()
        } else {
            reasons.join("; ")
        };
        assert_eq!(
            cells[n - 3],
            format!("**{}**", row["outcome"].as_str().unwrap()),
            "{id}"
        );
        assert_eq!(cells[n - 2], row["practicum_hours"].to_string(), "{id}");
        assert_eq!(cells[n - 1], reasons, "{id}");
    }
}

#[test]
fn the_module_table_names_every_module_and_only_those() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table: Vec<&str> = readme
        .split("## Design")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("| `src/"))
        .collect();
    let named: Vec<&str> = table
        .iter()
        .flat_map(|row| row.split('|').nth(1).unwrap().split(", "))
        .map(|cell| cell.trim().trim_matches('`').trim_end_matches('/'))
        .collect();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for name in &named {
        assert!(
            src.join(name.strip_prefix("src/").unwrap()).exists(),
            "{name} is not in the tree"
        );
    }
    // `src/x.rs` and its folder `src/x/` are one module: either names it.
    let module = |path: &str| path.trim_end_matches(".rs").to_string();
    let modules: Vec<String> = named.iter().map(|n| module(n)).collect();
    for entry in std::fs::read_dir(&src).unwrap() {
        let name = format!("src/{}", entry.unwrap().file_name().to_str().unwrap());
        assert!(
            modules.contains(&module(&name)),
            "README's module table lacks {name}"
        );
    }
}
