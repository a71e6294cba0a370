//! The checklist of `cohort attend` on a terminal: every participant still
//! in the cohort, each with their mark and whether it counts; the trainer
//! changes marks a line at a time, then confirms.
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

use std::collections::BTreeMap;
use std::io::BufRead;

use crate::exit;
use crate::load::ATTENDANCE_FIELDS;
use crate::model::{Mark, Status};
use crate::rules;
use crate::write::LockedEnd;

use super::super::recording::{self, Loaded};
use super::super::{Ctx, out};
use super::{
    Args, Planned, Standing, apply, describe, log, plan_rows, plural_rows, summary, under_lock,
};

/// One person's mark on the list and its note.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    mark: Mark,
    note: String,
}

const PRESENT: Mark = Mark {
    status: Status::Present,
    minutes: None,
};
const ABSENT: Mark = Mark {
    status: Status::Absent,
    minutes: None,
};

const HELP: &str = "\
each line names people (numbers or ids) and what they are; a line with a problem changes nothing:
  3 7                                switch between present and absent
  4 absent    4 present              that status
  8 excused: called in sick          excused, with a note after : if you like
  5 partial 95                       partial, with the minutes attended
  3 makeup: with 2025-winter on 2025-01-21   a make-up, saying where and when
";

/// What the list needs to judge a line.
struct Judge<'a> {
    ids: Vec<&'a str>,
    session_minutes: u32,
    min_minutes: u32,
    force: bool,
}

/// Applies one typed line to `entries`, whole, or gives every problem and
/// changes nothing.
fn apply_line(
    line: &str,
    entries: &mut [Entry],
    standing: &[Option<&Standing>],
    judge: &Judge<'_>,
) -> Result<(), Vec<String>> {
    let (head, note) = match line.split_once(':') {
        Some((head, note)) => (head, Some(note.trim())),
        None => (line, None),
    };
    let mut problems = Vec::new();
    let mut who: Vec<usize> = Vec::new();
    let mut status: Option<Status> = None;
    let mut minutes: Option<u32> = None;
    for word in head
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        if let Some(st) = status {
            match (st, word.parse::<u32>()) {
                (Status::Partial, Ok(m)) if minutes.is_none() => minutes = Some(m),
                _ => problems.push(format!(
                    "\"{word}\" after the status: the people come first, then the status ({})",
                    if st == Status::Partial {
                        "and for partial the minutes"
                    } else {
                        "and a note after :"
                    }
                )),
            }
            continue;
        }
        if let Some(i) = judge.ids.iter().position(|id| *id == word) {
            who.push(i);
        } else if let Ok(n) = word.parse::<usize>() {
            if (1..=judge.ids.len()).contains(&n) {
                who.push(n - 1);
            } else {
                problems.push(format!(
                    "\"{word}\" is not a number from 1 to {}",
                    judge.ids.len()
                ));
            }
        } else {
            let lower = word.to_lowercase();
            let fits: Vec<Status> = Status::ALL
                .into_iter()
                .filter(|s| s.as_str().starts_with(&lower))
                .collect();
            match fits.as_slice() {
                [st] => status = Some(*st),
                [] => problems.push(format!(
                    "\"{word}\" is neither a number, an id on the list nor a status (present, absent, excused, partial, makeup)"
                )),
                several => problems.push(format!(
                    "\"{word}\" could be {}; write more of it",
                    several
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            }
        }
    }
    if who.is_empty() && problems.is_empty() {
        problems
            .push("name the people first, by number or id (e.g. 3 7, or 8 excused)".to_string());
    }
    let note = note.unwrap_or("").to_string();
    let mark_for = |i: usize| -> Result<Entry, String> {
        let id = judge.ids[i];
        let Some(st) = status else {
            if !note.is_empty() {
                return Err(format!(
                    "a note needs a status: write e.g. {} excused: {note}",
                    i + 1
                ));
            }
            let mark = if entries[i].mark.status == Status::Absent {
                PRESENT
            } else {
                ABSENT
            };
            return Ok(Entry {
                mark,
                note: String::new(),
            });
        };
        match st {
            Status::Partial => match minutes {
                None => Err(format!(
                    "partial needs the minutes attended: {} partial 95",
                    i + 1
                )),
                Some(m) if m > judge.session_minutes => Err(format!(
                    "{m} minutes is longer than the session ({} minutes)",
                    judge.session_minutes
                )),
                Some(m) => Ok(Entry {
                    mark: Mark {
                        status: st,
                        minutes: Some(m),
                    },
                    note: note.clone(),
                }),
            },
            Status::Makeup if note.is_empty() => Err(format!(
                "a make-up needs a note saying where and when: {} makeup: with 2025-winter on 2025-01-21",
                i + 1
            )),
            Status::Makeup
                if standing[i].is_some_and(|s| {
                    s.mark.status != Status::Makeup && attended(s.mark, judge.min_minutes)
                }) =>
            {
                Err(format!(
                    "{id} is recorded as {}; a make-up is for a missed webinar",
                    describe(standing[i].expect("checked").mark)
                ))
            }
            _ => Ok(Entry {
                mark: Mark {
                    status: st,
                    minutes: None,
                },
                note: note.clone(),
            }),
        }
    };
    let mut changes = Vec::new();
    if problems.is_empty() {
        for &i in &who {
            match mark_for(i) {
                Ok(entry) => {
                    if let Some(s) = standing[i]
                        && s.mark.status == Status::Makeup
                        && entry.mark.status != Status::Makeup
                        && !judge.force
                    {
                        problems.push(format!(
                            "{} made up this webinar (\"{}\"); marking them {} would cancel the make-up (run with --force if that is what you mean)",
                            judge.ids[i], s.note, entry.mark.status
                        ));
                        continue;
                    }
                    changes.push((i, entry));
                }
                Err(e) => problems.push(e),
            }
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

/// Rule 1 for a mark on the list (the date only matters for a missing row,
/// which the list never has).
fn attended(mark: Mark, min_minutes: u32) -> bool {
    let day = chrono::NaiveDate::MIN;
    matches!(
        rules::webinar_state(Some(mark), day, day, min_minutes),
        rules::WebinarState::Attended(_)
    )
}

/// `counts`, or why the mark does not count.
fn counts(mark: Mark, min_minutes: u32) -> String {
    match attended(mark, min_minutes) {
        true => "counts".to_string(),
        _ if mark.status == Status::Partial => {
            format!("does not count ({min_minutes} min needed)")
        }
        _ => "does not count; make-up needed".to_string(),
    }
}

/// `present`, `partial 95 min`, `excused "called in sick"`.
fn shown(entry: &Entry) -> String {
    let mark = match (entry.mark.status, entry.mark.minutes) {
        (Status::Partial, Some(m)) => format!("partial {m} min"),
        (status, _) => status.to_string(),
    };
    if entry.note.is_empty() {
        mark
    } else {
        format!("{mark} \"{}\"", entry.note)
    }
}

/// The checklist; writes after the trainer confirms.
pub(super) fn run(
    ctx: &Ctx,
    args: &Args,
    loaded: &Loaded,
    want: &log::Want<'_>,
    before: log::Log,
) -> anyhow::Result<u8> {
    let rel = want.rel;
    let (curriculum, cohort) = (&loaded.curriculum, &loaded.data.cohort);
    let w = args.webinar as usize - 1;
    let session = &cohort.sessions[w];
    if session.date > ctx.today && !args.force {
        crate::usage!(
            "webinar {} is on {}, after today ({}); attendance is recorded once the session is held",
            args.webinar,
            session.date,
            ctx.today
        );
    }
    let people: Vec<usize> = (0..cohort.participants.len())
        .filter(|&p| cohort.participants[p].active_on(session.date))
        .collect();
    if people.is_empty() {
        crate::usage!(
            "cohort {} has nobody to mark for webinar {}",
            cohort.id,
            args.webinar
        );
    }
    let ids: Vec<&str> = people
        .iter()
        .map(|&p| cohort.participants[p].id.as_str())
        .collect();
    loaded.show_warnings_and(&before.warnings, &ids, Some(args.webinar), &[rel]);
    let standing: Vec<Option<&Standing>> = ids.iter().map(|id| before.standing.get(*id)).collect();
    // Everyone starts as they stand, or present when not recorded yet.
    let mut entries: Vec<Entry> = standing
        .iter()
        .map(|s| match s {
            Some(s) => Entry {
                mark: s.mark,
                note: s.note.clone(),
            },
            None => Entry {
                mark: PRESENT,
                note: String::new(),
            },
        })
        .collect();
    let judge = Judge {
        ids: ids.clone(),
        session_minutes: curriculum.session_minutes,
        min_minutes: curriculum.min_minutes,
        force: args.force,
    };
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut read = |prompt: &str| -> anyhow::Result<Option<String>> {
        out(prompt)?;
        let mut line = String::new();
        Ok(match input.read_line(&mut line)? {
            0 => None,
            _ => Some(line.trim().to_string()),
        })
    };
    let cancelled = || -> anyhow::Result<u8> {
        out("\ncancelled; nothing was written\n")?;
        Ok(exit::FAILURE)
    };
    let name_width = people
        .iter()
        .map(|&p| unicode_width::UnicodeWidthStr::width(cohort.participants[p].name.as_str()))
        .max()
        .unwrap_or(0)
        .min(28);
    let mut message = String::new();
    loop {
        let mut text = format!(
            "\nwebinar {} ({}) of cohort {}: who attended? (a partial counts from {} minutes)\n",
            args.webinar, session.date, cohort.id, curriculum.min_minutes
        );
        for (i, &p) in people.iter().enumerate() {
            let participant = &cohort.participants[p];
            let entry = &entries[i];
            let recorded = match standing[i] {
                Some(s) if s.mark == entry.mark && s.note == entry.note => "   (as recorded)",
                Some(_) => "   (changed)",
                None => "",
            };
            let name: String = participant.name.chars().take(28).collect();
            let pad =
                name_width.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
            text += &format!(
                "  {:>2} {:<5} {name}{}  {}: {}{recorded}\n",
                i + 1,
                participant.id,
                " ".repeat(pad),
                shown(entry),
                counts(entry.mark, curriculum.min_minutes),
            );
        }
        text += &message;
        text += HELP;
        text += "press Enter when the list is right, q to quit: ";
        let Some(line) = read(&text)? else {
            return cancelled();
        };
        if line.is_empty() {
            break;
        }
        if line.eq_ignore_ascii_case("q") {
            return cancelled();
        }
        message = match apply_line(&line, &mut entries, &standing, &judge) {
            Ok(()) => String::new(),
            Err(problems) => {
                let mut m = format!("  not taken, nothing on the line \"{line}\" was changed:\n");
                for p in problems {
                    m += &format!("    {p}\n");
                }
                m
            }
        };
    }
    let mut planned = BTreeMap::new();
    for (i, &p) in people.iter().enumerate() {
        let entry = &entries[i];
        if standing[i].is_some_and(|s| s.mark == entry.mark && s.note == entry.note) {
            continue;
        }
        planned.insert(
            p,
            Planned {
                mark: entry.mark,
                source: "the checklist",
                note: entry.note.clone(),
            },
        );
    }
    let who = recording::recorder(args.by.as_deref())?;
    let (rows, lines) = plan_rows(cohort, &planned, &before.standing, &who);
    let missing: Vec<String> = entries
        .iter()
        .zip(&ids)
        .filter(|(e, _)| !attended(e.mark, curriculum.min_minutes))
        .map(|(e, id)| format!("{id} {}", shown(e)))
        .collect();
    let mut text = format!(
        "\n{} count as attended, {} do not{}\n",
        people.len() - missing.len(),
        missing.len(),
        if missing.is_empty() {
            String::new()
        } else {
            format!(" ({})", missing.join(", "))
        }
    );
    text += &lines.join("");
    if rows.is_empty() {
        out(&format!(
            "{text}everything is recorded like this already; nothing was written\n"
        ))?;
        return Ok(exit::SUCCESS);
    }
    if args.dry_run {
        out(&format!("{text}dry run: nothing was written\n"))?;
        return Ok(exit::SUCCESS);
    }
    let Some(answer) = read(&format!(
        "{text}write {} to {rel}? [y/N] ",
        plural_rows(rows.len())
    ))?
    else {
        return cancelled();
    };
    if !matches!(answer.to_lowercase().as_str(), "y" | "yes") {
        return cancelled();
    }
    let mut log = LockedEnd::open(&ctx.root.path(rel))
        .map_err(|e| anyhow::Error::new(e).context(format!("nothing was written to {rel}")))?;
    let mut after = under_lock(&log, before, want)?;
    let (mut rows, _) = plan_rows(cohort, &planned, &after, &who);
    let stamp = recording::now_rfc3339();
    for r in &mut rows {
        r[4] = stamp.clone();
    }
    log.append(ATTENDANCE_FIELDS, &rows)
        .map_err(|e| anyhow::Error::new(e).context(format!("nothing was written to {rel}")))?;
    drop(log);
    apply(&mut after, &rows);
    out(&format!(
        "{} written to {rel}\n{}",
        plural_rows(rows.len()),
        summary(loaded, w, &after, ctx.today)
    ))?;
    Ok(exit::SUCCESS)
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

    #[test]
    fn a_line_marks_every_status() {
        let mut e = fresh();
        let none = [None; 4];
        apply_line("1 3", &mut e, &none, &judge()).unwrap();
        assert_eq!((e[0].mark, e[2].mark), (ABSENT, ABSENT));
        apply_line("p01", &mut e, &none, &judge()).unwrap();
        assert_eq!(e[0].mark, PRESENT);
        apply_line("2 partial 95", &mut e, &none, &judge()).unwrap();
        assert_eq!(e[1].mark.status, Status::Partial);
        assert_eq!(e[1].mark.minutes, Some(95));
        apply_line("3 e: called in sick", &mut e, &none, &judge()).unwrap();
        assert_eq!(e[2].mark.status, Status::Excused);
        assert_eq!(e[2].note, "called in sick");
        apply_line(
            "p04 makeup: with 2025-winter on 2025-01-21",
            &mut e,
            &none,
            &judge(),
        )
        .unwrap();
        assert_eq!(e[3].mark.status, Status::Makeup);
        assert_eq!(e[3].note, "with 2025-winter on 2025-01-21");
        apply_line("4 a", &mut e, &none, &judge()).unwrap();
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
            mark: Mark {
                status: Status::Makeup,
                minutes: None,
            },
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

    #[test]
    fn a_partial_counts_only_from_min_minutes() {
        let partial = |m| Mark {
            status: Status::Partial,
            minutes: Some(m),
        };
        assert_eq!(counts(partial(105), 105), "counts");
        assert_eq!(counts(partial(95), 105), "does not count (105 min needed)");
        assert_eq!(counts(PRESENT, 105), "counts");
        assert!(counts(ABSENT, 105).starts_with("does not count"));
    }
}
