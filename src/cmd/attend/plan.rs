//! The rows one `attend` appends: planned against the standing rows, checked
//! against the cohort, and written under the log's lock.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::load::ATTENDANCE_FIELDS;
use crate::model::{Cohort, Mark, Status};
use crate::rules;
use crate::write::LockedLog;

use super::super::recording::{self, Loaded};
use super::super::{Ctx, refuse};
use super::line::plain;
use super::summary::describe;
use super::{Args, Planned, Rest, Standing, log, report};

/// One attendance row, in the terms of the log's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    pub participant: String,
    pub mark: Mark,
    pub recorded_by: String,
    /// Set when the row is written (or shown as it would be).
    pub recorded_at: String,
    pub note: String,
}

impl Row {
    /// The cells in `ATTENDANCE_FIELDS` order.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.participant.clone(),
            self.mark.status.to_string(),
            self.mark.minutes.map_or(String::new(), |m| m.to_string()),
            self.recorded_by.clone(),
            self.recorded_at.clone(),
            self.note.clone(),
        ]
    }
}

/// What one `attend` wrote: the rows, a line per participant saying what
/// changed, and every standing row after it.
pub(super) struct Recorded {
    pub rows: Vec<Row>,
    pub lines: Vec<String>,
    pub standing: HashMap<String, Standing>,
}

/// Gives every row the time it is recorded at.
pub(super) fn stamp(rows: &mut [Row]) {
    let now = recording::now_rfc3339();
    for row in rows {
        row.recorded_at = now.clone();
    }
}

/// The marks of the meeting report at `path` for those given no mark as a
/// flag (flags win), and the report's own account to show.
pub(super) fn from_report(
    ctx: &Ctx,
    args: &Args,
    loaded: &Loaded,
    path: &Path,
    planned: &mut BTreeMap<usize, Planned>,
) -> anyhow::Result<String> {
    let (curriculum, cohort) = (&loaded.curriculum, &loaded.data.cohort);
    let how = report::Import {
        path,
        report_tz: args.report_tz.as_deref(),
        unmatched: args.unmatched,
        dry_run: args.dry_run,
        webinar: args.webinar,
        session_minutes: curriculum.session_minutes,
        min_minutes: curriculum.min_minutes,
    };
    let session = &cohort.sessions[args.webinar as usize - 1];
    let (marks, text) = report::from_report(ctx, cohort, session, &how)?;
    for (p, mark) in marks {
        planned.entry(p).or_insert(Planned {
            mark,
            source: "the report",
            note: String::new(),
        });
    }
    Ok(text)
}

/// `--rest present|absent`: everyone active on webinar `w` given no mark
/// and not yet recorded.
pub(super) fn add_rest(
    rest: Option<Rest>,
    cohort: &Cohort,
    w: usize,
    standing: &HashMap<String, Standing>,
    planned: &mut BTreeMap<usize, Planned>,
) {
    let (status, source) = match rest {
        Some(Rest::Absent) => (Status::Absent, "--rest absent"),
        Some(Rest::Present) => (Status::Present, "--rest present"),
        Some(Rest::None) | None => return,
    };
    let date = cohort.sessions[w].date;
    for (p, participant) in cohort.participants.iter().enumerate() {
        if participant.active_on(date) && !standing.contains_key(&participant.id) {
            planned.entry(p).or_insert(Planned {
                mark: plain(status),
                source,
                note: String::new(),
            });
        }
    }
}

/// Every reason the planned marks cannot be recorded, into `errors`: a
/// session not held yet, a participant who had withdrawn, a make-up for a
/// webinar attended, a standing make-up overwritten without `--force`.
pub(super) fn check(
    args: &Args,
    today: chrono::NaiveDate,
    loaded: &Loaded,
    planned: &BTreeMap<usize, Planned>,
    standing: &HashMap<String, Standing>,
    errors: &mut Vec<String>,
) {
    let (curriculum, cohort) = (&loaded.curriculum, &loaded.data.cohort);
    let session = &cohort.sessions[args.webinar as usize - 1];
    if session.date > today && !args.force && !planned.is_empty() {
        let webinar = format!("webinar {}", args.webinar);
        errors.push(super::not_held_yet(
            &webinar,
            session.date,
            today,
            "attendance",
        ));
    }
    for (&p, plan) in planned {
        let participant = &cohort.participants[p];
        if let Some(withdrawn) = participant.withdrawn
            && session.date > withdrawn
        {
            errors.push(format!("{} withdrew on {withdrawn}, before webinar {} ({}); nothing can be recorded for them", participant.id, args.webinar, session.date));
            continue;
        }
        let Some(current) = standing.get(&participant.id) else {
            continue;
        };
        let missed = rules::webinar_state(
            Some(current.mark),
            session.date,
            today,
            curriculum.min_minutes,
        ) == rules::WebinarState::Missed(Some(current.mark));
        if plan.mark.status == Status::Makeup && current.mark.status != Status::Makeup && !missed {
            errors.push(format!(
                "{} attended webinar {} ({}); a make-up is for a missed webinar",
                participant.id,
                args.webinar,
                describe(current.mark)
            ));
        }
        if current.mark.status == Status::Makeup
            && plan.mark.status != Status::Makeup
            && !args.force
        {
            errors.push(format!(
                "{} made up webinar {} (\"{}\"); marking them {} would cancel the make-up. Give --force if that is what you mean",
                participant.id, args.webinar, current.note, plan.mark.status
            ));
        }
    }
}

/// The rows to append (`recorded_at` left empty) and one line per
/// participant saying what happens.
pub(super) fn rows(
    cohort: &Cohort,
    planned: &BTreeMap<usize, Planned>,
    standing: &HashMap<String, Standing>,
    who: &str,
) -> (Vec<Row>, Vec<String>) {
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut unchanged = Vec::new();
    for (&p, plan) in planned {
        let id = &cohort.participants[p].id;
        let note = plan.note.as_str();
        let old = standing.get(id);
        // A note given anew is a change; no note keeps the standing one's.
        let same = old.is_some_and(|s| {
            s.mark.status == plan.mark.status
                && (plan.mark.status != Status::Partial || s.mark.minutes == plan.mark.minutes)
                && (s.note == note || (note.is_empty() && plan.mark.status != Status::Makeup))
        });
        if same {
            unchanged.push(id.as_str());
            continue;
        }
        let mut line = match old {
            Some(s) => format!(
                "  {id}: {} → {} (a correction; the earlier row stays as history)",
                describe(s.mark),
                describe(plan.mark)
            ),
            None => format!("  {id}: {}", describe(plan.mark)),
        };
        if !note.is_empty() {
            line += &format!(" \"{note}\"");
        }
        lines.push(line + "\n");
        rows.push(Row {
            participant: id.clone(),
            mark: plan.mark,
            recorded_by: who.to_string(),
            recorded_at: String::new(),
            note: note.to_string(),
        });
    }
    if !unchanged.is_empty() {
        lines.push(format!(
            "  unchanged (already recorded so, nothing written for them): {}\n",
            unchanged.join(", ")
        ));
    }
    (rows, lines)
}

/// Records `planned` in the log `want.rel` below `root`: takes the lock, reads the log
/// whole under it (another trainer may have recorded since `before` was
/// read), plans the rows against what stands now and appends them. Nothing
/// is written when the log no longer reads.
pub(super) fn record(
    root: &Path,
    want: &log::Want<'_>,
    before: &log::Log,
    planned: &BTreeMap<usize, Planned>,
    who: &str,
) -> anyhow::Result<Recorded> {
    let nothing = |e| anyhow::Error::new(e).context(format!("nothing was written to {}", want.rel));
    let mut locked = LockedLog::open(root, want.rel).map_err(nothing)?;
    let now = locked.contents();
    let mut standing = if now.strip_prefix('\u{feff}').unwrap_or(now) == before.text {
        before.standing.clone()
    } else {
        log::of_bytes(now.as_bytes().to_vec(), want)
            .map_err(|errors| refuse(&errors))?
            .standing
    };
    let (mut rows, lines) = rows(want.cohort, planned, &standing, who);
    stamp(&mut rows);
    let cells: Vec<Vec<String>> = rows.iter().map(Row::cells).collect();
    locked.append(ATTENDANCE_FIELDS, &cells).map_err(nothing)?;
    drop(locked);
    for row in &rows {
        let standing_row = Standing {
            mark: row.mark,
            note: row.note.clone(),
        };
        standing.insert(row.participant.clone(), standing_row);
    }
    Ok(Recorded {
        rows,
        lines,
        standing,
    })
}

#[cfg(test)]
mod tests {
    use super::super::log::tests::{example, want};
    use super::*;

    const HEADER: &str = "participant,status,minutes,recorded_by,recorded_at,note\n";

    #[test]
    fn the_rows_are_planned_on_what_the_lock_reads() {
        let (curriculum, cohort, dir) = example();
        let want = want(&curriculum, &cohort);
        let path = dir.path().join(want.rel);
        std::fs::write(&path, format!("{HEADER}p01,absent,,A,,\n")).unwrap();
        let before = log::read(dir.path(), &want).unwrap();
        let present = || Planned {
            mark: super::super::line::PRESENT,
            source: "--present",
            note: String::new(),
        };
        let planned = BTreeMap::from([(0, present()), (1, present())]);
        // Another trainer records p01 present and p02 absent meanwhile.
        let other = format!("{HEADER}p01,absent,,A,,\np01,present,,B,,\np02,absent,,B,,\n");
        std::fs::write(&path, &other).unwrap();
        let recorded = record(dir.path(), &want, &before, &planned, "C").unwrap();
        let ids: Vec<&str> = recorded
            .rows
            .iter()
            .map(|r| r.participant.as_str())
            .collect();
        assert_eq!(ids, ["p02"], "p01 stands present already");
        assert!(recorded.lines[0].contains("p02: absent → present (a correction"));
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(
            after.starts_with(&other) && after.lines().count() == 5,
            "{after}"
        );
        // Unchanged since it was read: what was read stands.
        let before = log::read(dir.path(), &want).unwrap();
        let again = record(dir.path(), &want, &before, &planned, "C").unwrap();
        assert!(again.rows.is_empty());
        assert_eq!(again.standing["p02"].mark.status, Status::Present);
    }
}
