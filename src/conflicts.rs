//! What a git merge can leave in the files, found and named, never decided
//! in silence (SPEC "Sharing"; docs/sharing.md says what to do).
//!
//! - conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`) in any file: an
//!   error naming both versions ([`markers`]), before the file is read;
//! - one participant's webinar recorded differently on two machines at
//!   overlapping times: a warning naming both rows ([`Overlap`], fed by the
//!   attendance reader);
//! - rows repeated by a merge done twice: a warning (the same);
//! - a participant's standing row (the last) recorded before a row above
//!   it that says something else, whoever recorded them: a warning
//!   ([`recorded_before`]);
//! - a marker line left alone (its block half resolved): an error naming
//!   it as a marker, not as a row ([`marker_line`]);
//! - two certificates for one person and level: an error in
//!   [`crate::register::issued_twice`].

use chrono::{DateTime, FixedOffset};

use crate::diag::{Diagnostics, Kind};
use crate::model::Mark;

/// One block of conflict markers: where it is and its two versions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Block {
    /// Line of `<<<<<<<`.
    pub start: usize,
    /// Line of `>>>>>>>` (or the last line, when it is missing).
    pub end: usize,
    /// The label after `<<<<<<<` (git writes `HEAD`: this machine's version).
    pub ours_label: String,
    pub theirs_label: String,
    pub ours: Vec<String>,
    pub theirs: Vec<String>,
}

fn marker<'t>(line: &'t str, mark: &str) -> Option<&'t str> {
    let rest = line.strip_prefix(mark)?;
    match rest.chars().next() {
        None => Some(""),
        Some(' ') | Some('\r') | Some('\t') => Some(rest.trim()),
        _ => None,
    }
}

/// Every block of conflict markers in `text`. Quick when there is none.
pub fn blocks(text: &str) -> Vec<Block> {
    if memchr::memmem::find(text.as_bytes(), b"<<<<<<<").is_none() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut open: Option<(Block, u8)> = None; // 0 ours, 1 base (diff3), 2 theirs
    for (i, line) in crate::lines::lines(text).enumerate() {
        let n = i + 1;
        if let Some(label) = marker(line, "<<<<<<<") {
            if let Some((mut b, _)) = open.take() {
                b.end = n - 1;
                found.push(b);
            }
            let block = Block {
                start: n,
                end: n,
                ours_label: label.to_string(),
                ..Block::default()
            };
            open = Some((block, 0));
            continue;
        }
        let Some((b, part)) = open.as_mut() else {
            continue;
        };
        if marker(line, "|||||||").is_some() {
            *part = 1;
        } else if marker(line, "=======").is_some() {
            *part = 2;
        } else if let Some(label) = marker(line, ">>>>>>>") {
            b.theirs_label = label.to_string();
            b.end = n;
            found.push(open.take().expect("open").0);
        } else {
            match part {
                0 => b.ours.push(line.to_string()),
                2 => b.theirs.push(line.to_string()),
                _ => {}
            }
        }
    }
    if let Some((mut b, _)) = open {
        b.end = crate::lines::lines(text).count();
        found.push(b);
    }
    found
}

fn shown(lines: &[String]) -> String {
    const MAX: usize = 3;
    if lines.is_empty() {
        return "(nothing)".to_string();
    }
    let mut text: Vec<String> = lines
        .iter()
        .take(MAX)
        .map(|l| format!("\"{}\"", l.trim_end()))
        .collect();
    if lines.len() > MAX {
        text.push(format!("and {} more lines", lines.len() - MAX));
    }
    text.join(", ")
}

/// Records an error for every block of conflict markers in file `rel`;
/// `true` when there was one (the file is then not read further: its
/// other messages would be noise).
pub fn markers(rel: &str, text: &str, diags: &mut Diagnostics) -> bool {
    let found = blocks(text);
    for b in &found {
        let side = |whose: &str, label: &str| match label {
            "" => whose.to_string(),
            label => format!("{whose} ({label})"),
        };
        let ours = side("this machine's", &b.ours_label);
        let theirs = side("the other machine's", &b.theirs_label);
        diags
            .error(
                Kind::ConflictMarkers,
                rel,
                Some(b.start),
                format!(
                    "a git merge left two versions here (lines {} to {}): {ours}: {}; {theirs}: {}",
                    b.start,
                    b.end,
                    shown(&b.ours),
                    shown(&b.theirs)
                ),
            )
            .help(format!(
                "keep one: in a text editor delete the version you do not want and the marker lines \
                 (<<<<<<<, ======= and >>>>>>>), or keep a whole file's version with \
                 `git checkout --ours {rel}` (this machine's) or `git checkout --theirs {rel}` (the other's); \
                 then run `cohort check` and `cohort sync`"
            ));
    }
    !found.is_empty()
}

/// The marker (`<<<<<<<`, `|||||||`, `=======` or `>>>>>>>`) a line is,
/// if it is one.
pub fn marker_line(line: &str) -> Option<&'static str> {
    ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
        .into_iter()
        .find(|m| marker(line, m).is_some())
}

/// Records an error for a conflict marker line `marker` found alone on
/// `line` of file `rel` (the rest of its block already removed).
pub fn stray_marker(rel: &str, line: usize, marker: &str, diags: &mut Diagnostics) {
    diags
        .error(
            Kind::LoneConflictMarker,
            rel,
            Some(line),
            format!("\"{marker}\" is a conflict marker a git merge left, not a row"),
        )
        .help(
            "a merge marked two versions of some rows here; keep the rows you want, delete the \
             marker lines (<<<<<<<, ======= and >>>>>>>), then run `cohort check` and `cohort sync`",
        );
}

/// True when a standing row (stamped `at`, saying `mark`) was recorded
/// before `latest`, the latest-recorded row above it, and says something
/// else: it stands only by being lower in the file, which a merge decides.
pub fn recorded_before(at: DateTime<FixedOffset>, mark: Mark, latest: &Seen) -> bool {
    at < latest.at && mark != latest.mark
}

/// The row of one participant that had been recorded latest, among those
/// above in the log: what a later row is compared with.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    pub line: usize,
    pub at: DateTime<FixedOffset>,
    /// Index into the log's list of recorders.
    pub by: u32,
    pub mark: Mark,
}

/// What a row says about the rows above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlap {
    /// Nothing to say.
    None,
    /// The same stamp, recorder and mark as row `line`: a copy a merge made.
    Repeats { line: usize },
    /// Recorded by someone else, not after row `line` was (its stamp is not
    /// later), and differently: the two recorders did not see each other's
    /// row. The later row in the file stands.
    Overlaps { line: usize },
}

/// Compares a row (`this`) with the latest-recorded row above it of the
/// same participant, and keeps the latest in `seen`.
pub fn compare(seen: &mut Option<Seen>, this: Seen) -> Overlap {
    let Seen { at, by, mark, .. } = this;
    let Some(before) = *seen else {
        *seen = Some(this);
        return Overlap::None;
    };
    let verdict = if before.at == at && before.by == by && before.mark == mark {
        Overlap::Repeats { line: before.line }
    } else if before.at >= at && before.by != by && before.mark != mark {
        Overlap::Overlaps { line: before.line }
    } else {
        Overlap::None
    };
    if at > before.at {
        *seen = Some(this);
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    #[test]
    fn blocks_name_both_versions_and_their_labels() {
        let text = "id = \"x\"\n<<<<<<< HEAD\nrecommend = true\n=======\nrecommend = false\n>>>>>>> origin/main\nname = \"y\"\n";
        let b = blocks(text);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end), (2, 6));
        assert_eq!(b[0].ours, vec!["recommend = true"]);
        assert_eq!(b[0].theirs, vec!["recommend = false"]);
        assert_eq!(
            (b[0].ours_label.as_str(), b[0].theirs_label.as_str()),
            ("HEAD", "origin/main")
        );
    }

    #[test]
    fn diff3_base_lines_are_neither_version_and_a_lone_start_is_found() {
        let text =
            "<<<<<<< ours\na\n||||||| base\nb\n=======\nc\n>>>>>>> theirs\n<<<<<<< HEAD\nd\n";
        let b = blocks(text);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].ours, vec!["a"]);
        assert_eq!(b[0].theirs, vec!["c"]);
        assert_eq!((b[1].start, b[1].end), (8, 9));
    }

    #[test]
    fn text_that_only_looks_like_markers_is_not_one() {
        assert!(blocks("note,<<<<<<< not at the start\n").is_empty());
        assert!(blocks("<<<<<<<<< eight\n").is_empty());
        assert!(blocks("a,b\n=======\n").is_empty());
    }

    fn t(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn m(status: Status) -> Mark {
        Mark {
            status,
            minutes: None,
        }
    }

    /// What `compare` says of each row in turn: (line, stamp, recorder, status).
    fn compared(rows: &[(usize, DateTime<FixedOffset>, u32, Status)]) -> Vec<Overlap> {
        let mut seen = None;
        rows.iter()
            .map(|&(line, at, by, status)| {
                let mark = m(status);
                compare(&mut seen, Seen { line, at, by, mark })
            })
            .collect()
    }

    #[test]
    fn rows_in_the_order_recorded_say_nothing() {
        let a = t("2024-09-17T14:04:00-04:00");
        let b = t("2024-09-17T15:00:00-04:00");
        // Then a correction by another trainer, recorded after: nothing to say.
        let rows = [(2, a, 0, Status::Absent), (3, b, 1, Status::Present)];
        assert_eq!(compared(&rows), [Overlap::None, Overlap::None]);
    }

    #[test]
    fn a_row_below_one_recorded_later_by_someone_else_overlaps() {
        let a = t("2024-09-17T15:00:00-04:00");
        let b = t("2024-09-17T14:04:00-04:00");
        let absent = (2, a, 0, Status::Absent);
        let rows = [absent, (3, b, 1, Status::Present)];
        assert_eq!(compared(&rows)[1], Overlap::Overlaps { line: 2 });
        // The same stamp counts as overlapping too: neither saw the other.
        let rows = [absent, (3, a, 1, Status::Present)];
        assert_eq!(compared(&rows)[1], Overlap::Overlaps { line: 2 });
        // Agreeing rows do not conflict; the same recorder is one machine.
        let rows = [
            absent,
            (3, b, 1, Status::Absent),
            (4, b, 0, Status::Present),
        ];
        assert_eq!(compared(&rows)[1..], [Overlap::None, Overlap::None]);
    }

    #[test]
    fn a_standing_row_recorded_before_a_row_above_it_is_found_whoever_recorded() {
        let early = t("2024-09-17T14:04:00-04:00");
        let late = t("2024-09-17T15:00:00-04:00");
        let latest = Seen {
            line: 2,
            at: late,
            by: 0,
            mark: m(Status::Absent),
        };
        assert!(recorded_before(early, m(Status::Makeup), &latest));
        // Recorded after, or saying the same: nothing flips.
        assert!(!recorded_before(late, m(Status::Makeup), &latest));
        assert!(!recorded_before(early, m(Status::Absent), &latest));
    }

    #[test]
    fn marker_lines_are_named() {
        assert_eq!(marker_line("======="), Some("======="));
        assert_eq!(marker_line(">>>>>>> origin/main"), Some(">>>>>>>"));
        assert_eq!(marker_line("<<<<<<< HEAD\r"), Some("<<<<<<<"));
        assert_eq!(marker_line("p01,present"), None);
        assert_eq!(marker_line("========"), None);
    }

    #[test]
    fn an_exact_copy_repeats() {
        let a = t("2024-09-17T14:04:00-04:00");
        let rows = [(2, a, 0, Status::Present), (9, a, 0, Status::Present)];
        assert_eq!(compared(&rows)[1], Overlap::Repeats { line: 2 });
    }
}
