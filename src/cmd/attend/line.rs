//! One line typed into the checklist, applied whole or not at all.
//!
//! A line names people (list numbers or ids) and what they are:
//!
//! | line | means |
//! |---|---|
//! | `3 7` | switch between present and absent |
//! | `4 absent`, `4 present` | that status |
//! | `8 excused: called in sick` | excused, the note after `:` (optional) |
//! | `5 partial 95` | partial, with the minutes attended |
//! | `3 makeup: with 2025-winter on 2025-01-21` | a make-up, the note saying where and when (required) |
//!
//! A status may be shortened to any unambiguous start (`a`, `e`, `m`, `pr`,
//! `pa`). A line with any problem changes nothing: half a line applied
//! would leave marks the trainer did not mean.

use crate::model::{Mark, Status};
use crate::rules;

use super::Standing;
use super::summary::describe;

/// One person's mark on the list and its note: what their standing row
/// would be.
pub(super) type Entry = Standing;

/// A mark of `status` without minutes.
pub(super) const fn plain(status: Status) -> Mark {
    Mark {
        status,
        minutes: None,
    }
}

pub(super) const PRESENT: Mark = plain(Status::Present);
pub(super) const ABSENT: Mark = plain(Status::Absent);

/// What the list needs to judge a line.
pub(super) struct Judge<'a> {
    pub ids: Vec<&'a str>,
    pub session_minutes: u32,
    pub min_minutes: u32,
    pub force: bool,
}

/// The words of a line: whom it names, the status and the minutes.
#[derive(Default)]
struct Words {
    who: Vec<usize>,
    status: Option<Status>,
    minutes: Option<u32>,
}

/// Applies one typed line to `entries`, whole, or gives every problem and
/// changes nothing.
pub(super) fn apply_line(
    line: &str,
    entries: &mut [Entry],
    standing: &[Option<&Standing>],
    judge: &Judge<'_>,
) -> Result<(), Vec<String>> {
    let (head, note) = line
        .split_once(':')
        .map_or((line, ""), |(head, note)| (head, note.trim()));
    let words = read_words(head, judge)?;
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    for &i in &words.who {
        match entry_for(i, &words, note, &entries[i], standing[i], judge) {
            Ok(entry) => changes.push((i, entry)),
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (i, entry) in changes {
        entries[i] = entry;
    }
    Ok(())
}

/// The people, status and minutes a line's words name, or every word that
/// is none of these.
fn read_words(head: &str, judge: &Judge<'_>) -> Result<Words, Vec<String>> {
    let mut problems = Vec::new();
    let mut words = Words::default();
    for word in head
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        if let Some(st) = words.status {
            match (st, word.parse::<u32>()) {
                (Status::Partial, Ok(m)) if words.minutes.is_none() => words.minutes = Some(m),
                _ => problems.push(format!(
                    "\"{word}\" after the status: the people come first, then the status ({})",
                    if st == Status::Partial {
                        "and for partial the minutes"
                    } else {
                        "and a note after :"
                    }
                )),
            }
        } else if let Some(i) = judge.ids.iter().position(|id| *id == word) {
            words.who.push(i);
        } else if let Ok(n) = word.parse::<usize>() {
            if (1..=judge.ids.len()).contains(&n) {
                words.who.push(n - 1);
            } else {
                problems.push(format!(
                    "\"{word}\" is not a number from 1 to {}",
                    judge.ids.len()
                ));
            }
        } else {
            match status_of(word) {
                Ok(st) => words.status = Some(st),
                Err(problem) => problems.push(problem),
            }
        }
    }
    if words.who.is_empty() && problems.is_empty() {
        problems
            .push("name the people first, by number or id (e.g. 3 7, or 8 excused)".to_string());
    }
    match problems.is_empty() {
        true => Ok(words),
        false => Err(problems),
    }
}

/// The status a word is the start of, when it is the start of one only.
fn status_of(word: &str) -> Result<Status, String> {
    let lower = word.to_lowercase();
    let fits: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| s.as_str().starts_with(&lower))
        .collect();
    match fits.as_slice() {
        [st] => Ok(*st),
        [] => Err(format!(
            "\"{word}\" is neither a number, an id on the list nor a status (present, absent, excused, partial, makeup)"
        )),
        several => Err(format!(
            "\"{word}\" could be {}; write more of it",
            crate::render::joined(several.iter().map(|s| s.as_str()), " or ")
        )),
    }
}

/// The new entry of person `i` (list position) for the line's words.
fn entry_for(
    i: usize,
    words: &Words,
    note: &str,
    entry: &Entry,
    standing: Option<&Standing>,
    judge: &Judge<'_>,
) -> Result<Entry, String> {
    let Some(status) = words.status else {
        if !note.is_empty() {
            return Err(format!(
                "a note needs a status: write e.g. {} excused: {note}",
                i + 1
            ));
        }
        let mark = if entry.mark.status == Status::Absent {
            PRESENT
        } else {
            ABSENT
        };
        return keeps_make_up(i, mark, String::new(), standing, judge);
    };
    let minutes = match status {
        Status::Partial => Some(partial_minutes(i, words.minutes, judge)?),
        _ => None,
    };
    if status == Status::Makeup {
        if note.is_empty() {
            return Err(format!(
                "a make-up needs a note saying where and when: {} makeup: with 2025-winter on 2025-01-21",
                i + 1
            ));
        }
        if let Some(s) = standing
            && s.mark.status != Status::Makeup
            && attended(s.mark, judge.min_minutes)
        {
            return Err(format!(
                "{} is recorded as {}; a make-up is for a missed webinar",
                judge.ids[i],
                describe(s.mark)
            ));
        }
    }
    keeps_make_up(
        i,
        Mark { status, minutes },
        note.to_string(),
        standing,
        judge,
    )
}

/// The minutes of a partial: given, and no longer than the session.
fn partial_minutes(i: usize, minutes: Option<u32>, judge: &Judge<'_>) -> Result<u32, String> {
    match minutes {
        None => Err(format!(
            "partial needs the minutes attended: {} partial 95",
            i + 1
        )),
        Some(m) if m > judge.session_minutes => Err(format!(
            "{m} minutes is longer than the session ({} minutes)",
            judge.session_minutes
        )),
        Some(m) => Ok(m),
    }
}

/// `mark` as the entry, unless it would cancel a standing make-up without
/// `--force`.
fn keeps_make_up(
    i: usize,
    mark: Mark,
    note: String,
    standing: Option<&Standing>,
    judge: &Judge<'_>,
) -> Result<Entry, String> {
    if let Some(s) = standing
        && s.mark.status == Status::Makeup
        && mark.status != Status::Makeup
        && !judge.force
    {
        return Err(format!(
            "{} made up this webinar (\"{}\"); marking them {} would cancel the make-up (run with --force if that is what you mean)",
            judge.ids[i], s.note, mark.status
        ));
    }
    Ok(Entry { mark, note })
}

/// Rule 1 for a mark on the list (the date only matters for a missing row,
/// which the list never has).
pub(super) fn attended(mark: Mark, min_minutes: u32) -> bool {
    let day = chrono::NaiveDate::MIN;
    matches!(
        rules::webinar_state(Some(mark), day, day, min_minutes),
        rules::WebinarState::Attended(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge() -> Judge<'static> {
        Judge {
            ids: vec!["p01", "p02", "p03", "p04"],
            session_minutes: 120,
            min_minutes: 105,
            force: false,
        }
    }

    fn fresh() -> Vec<Entry> {
        vec![
            Entry {
                mark: PRESENT,
                note: String::new()
            };
            4
        ]
    }

    /// Applies `line` to `e`, nobody's standing in the way; it must take.
    fn apply(line: &str, e: &mut [Entry]) {
        apply_line(line, e, &[None; 4], &judge()).unwrap();
    }

    #[test]
    fn a_line_marks_every_status() {
        let mut e = fresh();
        apply("1 3", &mut e);
        assert_eq!((e[0].mark, e[2].mark), (ABSENT, ABSENT));
        apply("p01", &mut e);
        assert_eq!(e[0].mark, PRESENT);
        apply("2 partial 95", &mut e);
        assert_eq!(e[1].mark.status, Status::Partial);
        assert_eq!(e[1].mark.minutes, Some(95));
        apply("3 e: called in sick", &mut e);
        assert_eq!(e[2].mark.status, Status::Excused);
        assert_eq!(e[2].note, "called in sick");
        apply("p04 makeup: with 2025-winter on 2025-01-21", &mut e);
        assert_eq!(e[3].mark.status, Status::Makeup);
        assert_eq!(e[3].note, "with 2025-winter on 2025-01-21");
        apply("4 a", &mut e);
        assert_eq!(e[3].mark, ABSENT);
        assert_eq!(e[3].note, "");
    }

    #[test]
    fn a_line_with_a_problem_changes_nothing() {
        let none = [None; 4];
        for bad in [
            "1 9",           // no person 9
            "1 2 partial",   // no minutes
            "1 partial 121", // longer than the session
            "1 makeup",      // a make-up needs its note
            "1 2 p",         // present or partial?
            "1 late",        // not a status
            "1: a note",     // a note without a status
            "absent",        // nobody named
            "1 absent 3",    // people after the status
        ] {
            let mut e = fresh();
            let problems = apply_line(bad, &mut e, &none, &judge()).unwrap_err();
            assert!(!problems.is_empty(), "{bad}");
            assert_eq!(e, fresh(), "{bad} changed the list");
        }
    }

    #[test]
    fn a_standing_make_up_is_kept_unless_forced() {
        let made_up = Standing {
            mark: plain(Status::Makeup),
            note: "with 2025-winter".to_string(),
        };
        let standing = [None, Some(&made_up), None, None];
        let mut e = fresh();
        assert!(apply_line("1 2", &mut e, &standing, &judge()).is_err());
        assert_eq!(e, fresh(), "p01 was switched although the line failed");
        let forced = Judge {
            force: true,
            ..judge()
        };
        apply_line("1 2", &mut e, &standing, &forced).unwrap();
        assert_eq!(e[1].mark, ABSENT);
    }
}
