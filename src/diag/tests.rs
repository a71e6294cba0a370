use super::*;

/// An error on line 2 of f.csv, its excerpt `line` marked from `start` to `end`.
fn excerpted(line: &str, start: usize, end: usize) -> Diagnostic {
    let mut diags = Diagnostics::default();
    diags
        .error(Kind::BadStatus, "f.csv", Some(2), "bad")
        .excerpt(line, start, end);
    diags.items.remove(0)
}

#[test]
fn the_column_is_counted_in_the_whole_line_even_when_the_excerpt_is_a_window() {
    let long = format!(
        "p01,present,{},\"Zoë, {}\",x",
        "é".repeat(300),
        "a".repeat(10)
    );
    let start = long.rfind(",x").unwrap() + 1;
    for (line, start) in [("p99,present,,", 0), ("Zoë,bad", 5), (long.as_str(), start)] {
        let json = excerpted(line, start, start + 1).to_json();
        let column = line[..start].chars().count() + 1;
        assert_eq!(json.column, Some(column), "{line}");
    }
    // The long line's excerpt is a window, and yet the column is the line's.
    let diag = excerpted(&long, start, start + 1);
    let ex = diag.excerpt.as_ref().unwrap();
    let text = &ex.text;
    assert!(text.len() < long.len() && text.starts_with('…'), "{text}");
    // "p01,present," (12), 300 × é, ",\"Zoë, " (7), 10 × a, "\"," (2): x is the 332nd.
    assert_eq!(ex.column, 332);
}

#[test]
fn renders_path_line_excerpt_and_help() {
    let mut diags = Diagnostics::default();
    diags
        .error(
            Kind::UnknownParticipant,
            "cohorts/x/attendance/03.csv",
            Some(7),
            "unknown participant \"p99\"",
        )
        .excerpt("p99,present,,", 0, 3)
        .help("add p99 to cohorts/x/cohort.toml, or fix the id");
    let text = diags.items[0].render(false);
    assert_eq!(
        text,
        "cohorts/x/attendance/03.csv:7: error: unknown participant \"p99\"\n \
         7 | p99,present,,\n   \
         | ^^^\n \
         help: add p99 to cohorts/x/cohort.toml, or fix the id\n"
    );
}

#[test]
fn caret_aligns_under_wide_characters_and_tabs() {
    let line = "Zoë\t名前,bad";
    let start = line.find("bad").unwrap();
    let text = excerpted(line, start, start + 3).render(false);
    let lines: Vec<&str> = text.lines().collect();
    let shown = lines[1].split_once("| ").unwrap().1;
    let caret_line = lines[2].split_once("| ").unwrap().1;
    let col = caret_line.find('^').unwrap();
    // "Zoë" is 3 columns, the tab 4, "名前" 4, the comma 1.
    assert_eq!(col, 12);
    assert_eq!(shown.width(), "Zoë    名前,bad".width());
}

#[test]
fn summary_counts_both_kinds() {
    let mut diags = Diagnostics::default();
    diags.error(Kind::BadStatus, "a", None, "x");
    diags.error(Kind::BadStatus, "a", None, "y");
    diags.warning(Kind::BadStatus, "a", None, "z");
    assert_eq!(diags.summary(), "2 errors, 1 warning");
    assert!(diags.has_errors());
}

/// docs/json.md lists every kind's code, in the enum's order, and no other.
#[test]
fn every_kind_is_documented_and_only_those() {
    use strum::VariantArray;
    let docs = include_str!("../../docs/json.md");
    let (_, section) = docs.split_once("### The kinds of problems").unwrap();
    let listed: Vec<&str> = section
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| l.strip_prefix("| `")?.split_once('`'))
        .map(|(code, _)| code)
        .collect();
    let codes: Vec<&str> = Kind::VARIANTS.iter().map(|k| k.code()).collect();
    assert_eq!(listed, codes);
}

#[test]
fn suggests_close_words_only() {
    let known = ["min_minutes", "session_minutes"];
    assert_eq!(did_you_mean("min_minute", known), Some("min_minutes"));
    assert_eq!(did_you_mean("colour", known), None);
}
