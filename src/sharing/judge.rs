//! Whether a change is one a `cohort` command makes.

use super::{Change, Known};

/// Why a change is not one `cohort` made, and what to do.
pub fn judge(change: &Change) -> Result<Known, String> {
    let rel = &change.rel;
    let Some(known) = Known::of(rel) else {
        return Err(format!(
            "{rel} is not a file cohort writes; commit it yourself (`git add {rel}` and `git commit`), or move it out of the data root"
        ));
    };
    let (old, new) = (change.old.as_deref(), change.new.as_deref());
    match (old, new) {
        (_, None) => Err(format!(
            "{rel} was deleted; cohort never deletes a record: bring it back with `git checkout -- {rel}`"
        )),
        (None, Some(_)) => Ok(known),
        (Some(old), Some(new)) => {
            if known.append_only() && appended(old, new).is_none() {
                let line = first_changed_line(old, new);
                Err(format!(
                    "{rel} was edited at line {line}, not only appended to; cohort only ever adds rows to a log. Undo the edit with `git checkout -- {rel}` (the rows added since are lost too: note them first) and record corrections as new rows, or commit the edit yourself with git"
                ))
            } else if known == Known::Curriculum || known == Known::GitAttributes {
                Err(format!(
                    "{rel} was changed by hand; no cohort command changes it. Commit it yourself (`git commit {rel} -m \"…\"`), or undo it with `git checkout -- {rel}`"
                ))
            } else {
                Ok(known)
            }
        }
    }
}

/// The text appended to `old` to give `new`, if `new` only adds to it
/// (a last line without its line end may get one).
pub fn appended<'n>(old: &str, new: &'n str) -> Option<&'n str> {
    let rest = new.strip_prefix(old)?;
    // Any line end counts: LF, CRLF, and a lone CR (old Mac spreadsheets).
    if old.is_empty() || old.ends_with(['\n', '\r']) {
        return Some(rest);
    }
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .or_else(|| rest.strip_prefix('\r'))
        .or(if rest.is_empty() { Some(rest) } else { None })
}

fn first_changed_line(old: &str, new: &str) -> usize {
    let lines = crate::lines::lines;
    lines(old)
        .zip(lines(new))
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| lines(old).count().min(lines(new).count()))
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sharing::tests::{HEAD, change};

    /// Why `judge` refuses the change of `path` from `old` to `new`.
    fn refused(path: &str, old: Option<&str>, new: Option<&str>) -> String {
        judge(&change(path, old, new)).unwrap_err()
    }

    #[test]
    fn appends_pass_and_edits_of_logs_do_not() {
        let log = "cohorts/c/attendance/01.csv";
        let old = format!("{HEAD}p01,present,,A,,\n");
        let added = format!("{old}p02,absent,,A,,\n");
        assert!(judge(&change(log, Some(&old), Some(&added))).is_ok());
        let edited = format!("{HEAD}p01,absent,,A,,\n");
        let why = refused(log, Some(&old), Some(&edited));
        assert!(why.contains("edited at line 2"), "{why}");
        assert!(
            why.contains("git checkout -- cohorts/c/attendance/01.csv"),
            "{why}"
        );
        // A last line without its line end may get one.
        assert_eq!(appended("a\nb", "a\nb\nc\n"), Some("c\n"));
        assert_eq!(appended("a\nb", "a\nbc\n"), None);
        // Deleting, unknown files, hand edits of the curriculum: refused.
        let why = refused("cohorts/c/practicum.csv", Some(&old), None);
        assert!(why.contains("deleted"), "{why}");
        let why = refused("notes.txt", None, Some("x"));
        assert!(why.contains("not a file cohort writes"), "{why}");
        let why = refused("curriculum.toml", Some("a"), Some("b"));
        assert!(why.contains("by hand"), "{why}");
        // cohort.toml is edited in place by the commands.
        assert!(judge(&change("cohorts/c/cohort.toml", Some("a"), Some("b"))).is_ok());
    }
}
