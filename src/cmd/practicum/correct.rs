//! `cohort practicum correct`: takes back practicum hours logged in error
//! by appending a reversing row (the same date, kind and monitor, negative
//! hours, a note saying why). The log is append-only, so the wrong row
//! stays as history; the reversal may cancel only hours that earlier rows
//! of the same date, kind and monitor hold.

use chrono::NaiveDate;

use crate::load::{PRACTICUM_FIELDS, Root};
use crate::model::{Hours, Kind, PracticumRow};

use super::super::recording;
use super::super::{Ctx, done, parse_date};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
A row of practicum.csv is never edited: a wrong one is cancelled by a \
reversing row with the same date, kind and monitor, the hours negative, \
and the reason as its note. Give the hours to take back (2, or 1:30); \
they may not be more than the earlier rows of that date, kind and monitor \
hold. To replace a wrong row, correct it, then log the right one.

Examples:
  cohort practicum correct 2024-fall p04 --date 2025-01-10 --hours 2 --monitor \"Grace Okafor\" --reason \"logged twice\"
  cohort practicum correct 2024-fall p04 --date 2025-01-10 --hours 0:30 --monitor \"Grace Okafor\" --reason \"was 1:30, not 2\" --dry-run")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT")]
    pub cohort: String,
    /// The participant's id
    #[arg(value_name = "PARTICIPANT")]
    pub participant: String,
    /// The date of the rows to correct (YYYY-MM-DD)
    #[arg(long, value_name = "D", value_parser = parse_date)]
    pub date: NaiveDate,
    /// The hours to take back: 2, 0.5 or 1:30 (written to the log negative)
    #[arg(long, value_name = "H", allow_hyphen_values = true)]
    pub hours: String,
    /// The monitor of the rows to correct
    #[arg(long, value_name = "NAME")]
    pub monitor: String,
    /// The kind of the rows to correct: support, supervision, training or other
    #[arg(long, value_name = "K", default_value = "support")]
    pub kind: String,
    /// Why the hours are taken back (the reversing row's note)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Show the row that would be appended; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let rel = Root::practicum_csv(&args.cohort);
    let (loaded, p) = recording::load_participant(ctx, &args.cohort, &args.participant, &rel)?;
    let (cohort, participant) = loaded.participant(p);
    let typed = args.hours.trim();
    let typed = typed.strip_prefix('-').unwrap_or(typed).trim();
    let rows = &loaded.data.records.practicum[p];
    let row = checked_reversal(args, typed, &participant.id, rows, &rel)?;
    let reason = row.reversal.as_deref().unwrap_or_default();
    let cells = vec![
        participant.id.clone(),
        args.date.to_string(),
        format!("-{typed}"),
        row.kind.as_str().to_string(),
        row.monitor.to_string(),
        reason.to_string(),
    ];
    if args.dry_run {
        return done(&format!(
            "dry run: nothing was written; {rel} would get the reversing row\n  {}\n",
            crate::render::csv_line(&cells)?
        ));
    }
    super::append_rows(ctx, &rel, &[cells], |text| {
        // Rows may have been logged or reversed meanwhile: check again under the lock.
        let held = held_in_text(text, &participant.id, &row);
        if row.hours > held {
            anyhow::bail!(
                "{} (the log changed meanwhile). Nothing was written to {rel}",
                too_much(&participant.id, &row, held, &[])
            );
        }
        Ok(())
    })?;
    done(&format!(
        "took back {} h of {} for {} ({}) on {} in {rel} (a reversing row: \"{reason}\")\n{} now has {} of {} h counted\n",
        row.hours,
        row.kind.as_str(),
        participant.id,
        participant.name,
        args.date,
        participant.id,
        super::counted_with(cohort, rows, &row),
        loaded.curriculum.required_hours
    ))
}

/// The reversing row to append, once every argument is checked (all
/// problems reported together) and the earlier rows of its slot hold the
/// hours it takes back.
fn checked_reversal(
    args: &Args,
    typed: &str,
    id: &str,
    rows: &[PracticumRow],
    rel: &str,
) -> anyhow::Result<PracticumRow> {
    let mut problems = Vec::new();
    let hours = Hours::parse(typed)
        .map_err(|e| problems.push(format!("--hours: {e}")))
        .ok();
    let kind = super::kind_arg(&args.kind, &mut problems);
    let reason = args.reason.trim();
    if reason.is_empty() {
        problems.push("--reason is empty; say why the hours are taken back".to_string());
    }
    let row = hours.zip(kind).map(|(hours, kind)| {
        super::practicum_row(args.date, hours, kind, args.monitor.trim(), Some(reason))
    });
    if let Some(row) = &row {
        let held = crate::model::held_in_slot(rows, row);
        if row.hours > held {
            problems.push(too_much(id, row, held, rows));
        }
    }
    super::refuse_problems(&problems, rel)?;
    Ok(row.expect("checked"))
}

/// The refusal when the reversal would cancel more than its slot holds,
/// with the rows of that day that could be meant.
fn too_much(id: &str, slot: &PracticumRow, held: Hours, rows: &[PracticumRow]) -> String {
    let monitor = if slot.monitor.is_empty() {
        "no monitor".to_string()
    } else {
        format!("monitor \"{}\"", slot.monitor)
    };
    let mut text = format!(
        "{id} has {held} h of {} with {monitor} on {}; a reversing row may cancel only hours logged before it, so it cannot take back {} h",
        slot.kind.as_str(),
        slot.date,
        slot.hours
    );
    let same_day: Vec<String> = rows
        .iter()
        .filter(|r| r.date == slot.date && r.reversal.is_none())
        .map(|r| {
            format!(
                "{} h of {} with \"{}\" (line {})",
                r.hours,
                r.kind.as_str(),
                r.monitor,
                r.line
            )
        })
        .collect();
    if held == Hours::default() && !same_day.is_empty() {
        text += &format!(
            "; that day holds {}. Give the same --kind and --monitor",
            same_day.join(", ")
        );
    }
    text
}

/// What the rows of `id` in `like`'s slot hold in a log's text (rows that
/// do not read are left to `cohort check`).
fn held_in_text(text: &str, id: &str, like: &PracticumRow) -> Hours {
    let date = like.date.to_string();
    let mut rows = Vec::new();
    recording::each_row(text, PRACTICUM_FIELDS, |cells| {
        if cells.get(0) != id || cells.get(1) != date {
            return;
        }
        let (negative, hours) = match cells.get(2).strip_prefix('-') {
            Some(h) => (true, h),
            None => (false, cells.get(2)),
        };
        let (Ok(hours), Some(kind)) = (Hours::parse(hours), Kind::parse(cells.get(3))) else {
            return;
        };
        rows.push(PracticumRow {
            line: 0,
            date: like.date,
            hours,
            kind,
            monitor: cells.get(4).into(),
            reversal: negative.then(|| cells.get(5).into()),
        });
    });
    crate::model::held_in_slot(&rows, like)
}
