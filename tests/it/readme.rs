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
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let root = DataRoot::example();
    let csv = root.run(&["report", "2024-fall", "--format", "csv"]);
    csv.success();
    assert_eq!(
        block_after(&readme, "`cohort report 2024-fall --format csv`:"),
        csv.stdout
    );
    let status = root.run(&["status", "2024-fall"]);
    status.success();
    assert_eq!(
        block_after(
            &readme,
            "`cohort status 2024-fall` (colours on a terminal):"
        ),
        status.stdout
    );
}
