//! The marks given as flags: `--present IDS`, `--absent IDS`, `--excused
//! IDS`, `--makeup ID=NOTE`, `--partial ID=MIN`.
//!
//! A flag's value is a list of ids (`p01,p02`) or one `ID=NOTE`: the note
//! goes on that person's row only. `--note` is the note of the `--makeup`
//! ids given without one.

use std::collections::BTreeMap;

use crate::model::{Cohort, Mark, Status};

use super::line::plain;
use super::summary::describe;
use super::{Args, Planned};

/// The marks given as flags, by participant index; problems go to `errors`.
pub(super) fn marks(
    args: &Args,
    cohort: &Cohort,
    session_minutes: u32,
    errors: &mut Vec<String>,
) -> BTreeMap<usize, Planned> {
    let mut marks = Marks {
        cohort,
        planned: BTreeMap::new(),
        errors,
    };
    let shared_note = args.note.as_deref().map(str::trim).unwrap_or("");
    let mut shared_note_used = false;
    let simple = [
        (&args.present, Status::Present, "--present"),
        (&args.absent, Status::Absent, "--absent"),
        (&args.excused, Status::Excused, "--excused"),
        (&args.makeup, Status::Makeup, "--makeup"),
    ];
    for (list, status, source) in simple {
        for value in list {
            shared_note_used |= marks.simple(value, status, source, shared_note);
        }
    }
    if !shared_note.is_empty() && !shared_note_used {
        marks.errors.push(
            "--note is the note of the --makeup ids given without one of their own, and there are none; for a note on one person's row write ID=NOTE (e.g. --excused p08=\"called in sick\")".to_string(),
        );
    }
    for item in ids(&args.partial) {
        marks.partial(&item, session_minutes);
    }
    marks.planned
}

/// The ids of a list of flag values, each a comma-separated list.
fn ids(list: &[String]) -> Vec<String> {
    list.iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The marks planned so far, and the problems found.
struct Marks<'a> {
    cohort: &'a Cohort,
    planned: BTreeMap<usize, Planned>,
    errors: &'a mut Vec<String>,
}

impl Marks<'_> {
    /// Plans `mark` for `id`, unless `id` is unknown or already given
    /// another mark or note.
    fn give(&mut self, id: &str, mark: Mark, note: String, source: &'static str) {
        let Some(p) = self.cohort.participant_index(id) else {
            let missing = crate::cmd::recording::no_participant(self.cohort, id);
            self.errors.push(format!("{source}: {missing}"));
            return;
        };
        match self.planned.get(&p) {
            Some(other) if other.mark != mark => self.errors.push(format!(
                "{id} is given two marks: {} ({}) and {} ({}); give one",
                describe(other.mark),
                other.source,
                describe(mark),
                source
            )),
            Some(other) if other.note != note => self.errors.push(format!(
                "{id} is given two notes: \"{}\" and \"{note}\"; give one",
                other.note
            )),
            _ => {
                self.planned.insert(p, Planned { mark, source, note });
            }
        }
    }

    /// One value of a flag without minutes: `IDS` or `ID=NOTE`. True when
    /// the shared `--note` went on a make-up.
    fn simple(&mut self, value: &str, status: Status, source: &'static str, shared: &str) -> bool {
        let mark = plain(status);
        if let Some((id, note)) = value.split_once('=') {
            let (id, note) = (id.trim(), note.trim());
            if id.contains(',') {
                self.errors.push(format!(
                    "{source} \"{value}\": a note is for one person; write {source} ID=NOTE once per person, e.g. {source} p08=\"called in sick\""
                ));
            } else if note.is_empty() {
                self.errors.push(format!(
                    "{source} {id}= has an empty note; write the note after = (e.g. {source} {id}=\"called in sick\") or leave out ="
                ));
            } else {
                self.give(id, mark, note.to_string(), source);
            }
            return false;
        }
        let mut used = false;
        for id in ids(&[value.to_string()]) {
            let mut note = String::new();
            if status == Status::Makeup {
                if shared.is_empty() {
                    self.errors.push(format!(
                        "--makeup {id} needs a note saying where and when it was made up: --makeup {id}=\"with 2025-winter on 2025-01-21\" (or --note TEXT for it)"
                    ));
                    continue;
                }
                used = true;
                note = shared.to_string();
            }
            self.give(&id, mark, note, source);
        }
        used
    }

    /// One `--partial ID=MIN`.
    fn partial(&mut self, item: &str, session_minutes: u32) {
        let Some((id, min)) = item.split_once('=') else {
            self.errors.push(format!(
                "--partial \"{item}\" needs the minutes: write ID=MIN, e.g. --partial {item}=95"
            ));
            return;
        };
        match min.trim().parse::<u32>() {
            Ok(m) if m <= session_minutes => {
                let mark = Mark {
                    status: Status::Partial,
                    minutes: Some(m),
                };
                self.give(id.trim(), mark, String::new(), "--partial");
            }
            _ => self.errors.push(format!(
                "--partial {item}: the minutes must be a whole number from 0 to {session_minutes}"
            )),
        }
    }
}
