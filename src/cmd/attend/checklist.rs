//! The checklist of `cohort attend` on a terminal: every participant still
//! in the cohort, each with their mark and whether it counts; the trainer
//! changes marks a line at a time (see `line`), then confirms.

use std::collections::BTreeMap;
use std::io::BufRead;

use crate::exit;
use crate::model::{Mark, Status};

use super::super::recording::{self, Loaded};
use super::super::{Ctx, done, out};
use super::line::{Entry, Judge, PRESENT, apply_line, attended};
use super::summary::{plural_rows, summary};
use super::{Args, Planned, Standing, log, plan};

const HELP: &str = "\
each line names people (numbers or ids) and what they are; a line with a problem changes nothing:
  3 7                                switch between present and absent
  4 absent    4 present              that status
  8 excused: called in sick          excused, with a note after : if you like
  5 partial 95                       partial, with the minutes attended
  3 makeup: with 2025-winter on 2025-01-21   a make-up, saying where and when
";

/// The list being marked: who is on it, as they stand, as marked now.
struct List<'a> {
    people: Vec<usize>,
    ids: Vec<&'a str>,
    standing: Vec<Option<&'a Standing>>,
    entries: Vec<Entry>,
}

impl<'a> List<'a> {
    /// Everyone active on webinar `w`, each starting as they stand, or
    /// present when not recorded yet.
    fn new(loaded: &'a Loaded, w: usize, before: &'a log::Log) -> List<'a> {
        let cohort = &loaded.data.cohort;
        let date = cohort.sessions[w].date;
        let people: Vec<usize> = (0..cohort.participants.len())
            .filter(|&p| cohort.participants[p].active_on(date))
            .collect();
        let ids: Vec<&str> = people
            .iter()
            .map(|&p| cohort.participants[p].id.as_str())
            .collect();
        let standing: Vec<Option<&Standing>> =
            ids.iter().map(|id| before.standing.get(*id)).collect();
        let entries = standing
            .iter()
            .map(|s| Entry {
                mark: s.map_or(PRESENT, |s| s.mark),
                note: s.map_or_else(String::new, |s| s.note.clone()),
            })
            .collect();
        List {
            people,
            ids,
            standing,
            entries,
        }
    }

    /// True when person `i` is marked as they stand.
    fn as_recorded(&self, i: usize) -> bool {
        self.standing[i] == Some(&self.entries[i])
    }

    /// The list as shown: number, id, name, mark and whether it counts.
    fn show(&self, loaded: &Loaded, w: usize) -> String {
        let (curriculum, cohort) = (&loaded.curriculum, &loaded.data.cohort);
        let width = |name: &str| unicode_width::UnicodeWidthStr::width(name);
        let name_width = self
            .people
            .iter()
            .map(|&p| width(cohort.participants[p].name.as_str()))
            .max()
            .unwrap_or(0)
            .min(28);
        let mut text = format!(
            "\nwebinar {} ({}) of cohort {}: who attended? (a partial counts from {} minutes)\n",
            w + 1,
            cohort.sessions[w].date,
            cohort.id,
            curriculum.min_minutes
        );
        for (i, &p) in self.people.iter().enumerate() {
            let participant = &cohort.participants[p];
            let entry = &self.entries[i];
            let recorded = match self.standing[i] {
                Some(_) if self.as_recorded(i) => "   (as recorded)",
                Some(_) => "   (changed)",
                None => "",
            };
            let name: String = participant.name.chars().take(28).collect();
            let pad = name_width.saturating_sub(width(&name));
            text += &format!(
                "  {:>2} {:<5} {name}{}  {}: {}{recorded}\n",
                i + 1,
                participant.id,
                " ".repeat(pad),
                shown(entry),
                counts(entry.mark, curriculum.min_minutes),
            );
        }
        text
    }
}

/// The trainer's answers, a line at a time; `None` at the end of input.
struct Prompt<'a> {
    input: std::io::StdinLock<'a>,
}

impl Prompt<'_> {
    fn ask(&mut self, prompt: &str) -> anyhow::Result<Option<String>> {
        out(prompt)?;
        let mut line = String::new();
        Ok(match self.input.read_line(&mut line)? {
            0 => None,
            _ => Some(line.trim().to_string()),
        })
    }
}

fn cancelled() -> anyhow::Result<u8> {
    out("\ncancelled; nothing was written\n")?;
    Ok(exit::FAILURE)
}

/// The checklist; writes after the trainer confirms.
pub(super) fn run(
    ctx: &Ctx,
    args: &Args,
    loaded: &Loaded,
    want: &log::Want<'_>,
    before: log::Log,
) -> anyhow::Result<u8> {
    let (curriculum, cohort) = (&loaded.curriculum, &loaded.data.cohort);
    let w = args.webinar as usize - 1;
    let session = &cohort.sessions[w];
    if session.date > ctx.today && !args.force {
        let webinar = format!("webinar {}", args.webinar);
        crate::usage!(
            "{}",
            super::not_held_yet(&webinar, session.date, ctx.today, "attendance")
        );
    }
    let mut list = List::new(loaded, w, &before);
    if list.people.is_empty() {
        crate::usage!(
            "cohort {} has nobody to mark for webinar {}",
            cohort.id,
            args.webinar
        );
    }
    loaded.show_warnings_and(&before.warnings, &list.ids, Some(args.webinar), &[want.rel]);
    let judge = Judge {
        ids: list.ids.clone(),
        session_minutes: curriculum.session_minutes,
        min_minutes: curriculum.min_minutes,
        force: args.force,
    };
    let mut prompt = Prompt {
        input: std::io::stdin().lock(),
    };
    if !mark(&mut list, &judge, loaded, w, &mut prompt)? {
        return cancelled();
    }
    let planned: BTreeMap<usize, Planned> = (0..list.people.len())
        .filter(|&i| !list.as_recorded(i))
        .map(|i| {
            let entry = &list.entries[i];
            let plan = Planned {
                mark: entry.mark,
                source: "the checklist",
                note: entry.note.clone(),
            };
            (list.people[i], plan)
        })
        .collect();
    confirm_and_record(
        ctx,
        args,
        loaded,
        want,
        &before,
        &list,
        &planned,
        &mut prompt,
    )
}

/// Shows the list and applies the trainer's lines until they press Enter
/// (true) or quit (false).
fn mark(
    list: &mut List<'_>,
    judge: &Judge<'_>,
    loaded: &Loaded,
    w: usize,
    prompt: &mut Prompt<'_>,
) -> anyhow::Result<bool> {
    let mut message = String::new();
    loop {
        let text = list.show(loaded, w)
            + &message
            + HELP
            + "press Enter when the list is right, q to quit: ";
        let Some(line) = prompt.ask(&text)? else {
            return Ok(false);
        };
        if line.is_empty() {
            return Ok(true);
        }
        if line.eq_ignore_ascii_case("q") {
            return Ok(false);
        }
        message = match apply_line(&line, &mut list.entries, &list.standing, judge) {
            Ok(()) => String::new(),
            Err(problems) => {
                let said: String = problems.iter().map(|p| format!("    {p}\n")).collect();
                format!("  not taken, nothing on the line \"{line}\" was changed:\n{said}")
            }
        };
    }
}

/// Says what the list changes, asks to write it, and records it.
#[allow(clippy::too_many_arguments)]
fn confirm_and_record(
    ctx: &Ctx,
    args: &Args,
    loaded: &Loaded,
    want: &log::Want<'_>,
    before: &log::Log,
    list: &List<'_>,
    planned: &BTreeMap<usize, Planned>,
    prompt: &mut Prompt<'_>,
) -> anyhow::Result<u8> {
    let (rel, min_minutes) = (want.rel, loaded.curriculum.min_minutes);
    let who = recording::recorder(args.by.as_deref())?;
    let (rows, lines) = plan::rows(&loaded.data.cohort, planned, &before.standing, &who);
    let missing: Vec<String> = list
        .entries
        .iter()
        .zip(&list.ids)
        .filter(|(e, _)| !attended(e.mark, min_minutes))
        .map(|(e, id)| format!("{id} {}", shown(e)))
        .collect();
    let mut text = format!(
        "\n{} count as attended, {} do not{}\n",
        list.people.len() - missing.len(),
        missing.len(),
        if missing.is_empty() {
            String::new()
        } else {
            format!(" ({})", missing.join(", "))
        }
    );
    text += &lines.join("");
    if rows.is_empty() {
        return done(&format!(
            "{text}everything is recorded like this already; nothing was written\n"
        ));
    }
    if args.dry_run {
        return done(&format!("{text}dry run: nothing was written\n"));
    }
    let question = format!("{text}write {} to {rel}? [y/N] ", plural_rows(rows.len()));
    let Some(answer) = prompt.ask(&question)? else {
        return cancelled();
    };
    if !matches!(answer.to_lowercase().as_str(), "y" | "yes") {
        return cancelled();
    }
    let recorded = plan::record(&ctx.root.dir, want, before, planned, &who)?;
    done(&format!(
        "{} written to {rel}\n{}",
        plural_rows(recorded.rows.len()),
        summary(
            loaded,
            args.webinar as usize - 1,
            &recorded.standing,
            ctx.today
        )
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::attend::line::ABSENT;

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
