//! `cohort unenroll`: removes a participant enrolled by mistake, while
//! nothing is recorded about them yet. Someone with records left the
//! cohort, and that is a withdrawal: their records stay.

use crate::exit;
use crate::load::{ATTENDANCE_FIELDS, PRACTICUM_FIELDS, Root};
use crate::register::REGISTER;

use super::recording::{self, change_cohort_toml};
use super::{Ctx, out};

/// Remove a participant enrolled by mistake (only while nothing is recorded about them)
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Removes the participant's [[participant]] table from cohort.toml (with the \
comment lines just above it), keeping the rest of the file as it is. It \
refuses, writing nothing, when anything is recorded about them: an \
attendance row, a practicum row, an evaluation, a practicum result, a \
withdrawal or a certificate. A participant with records who left is \
withdrawn instead (`cohort withdraw COHORT ID --date D`): no record is \
ever lost.

Examples:
  cohort unenroll 2025-winter p19
  cohort unenroll 2025-winter p19 --dry-run")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT")]
    pub cohort: String,
    /// The participant's id
    #[arg(value_name = "PARTICIPANT")]
    pub participant: String,
    /// Show the change to cohort.toml; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let (loaded, p) = recording::load_participant_for_toml(ctx, &args.cohort, &args.participant)?;
    nothing_recorded(ctx, &loaded, p)?;
    let (cohort, participant) = loaded.participant(p);
    let id = participant.id.clone();
    change_cohort_toml(ctx, &args.cohort, args.dry_run, |doc| {
        let list = doc
            .get_mut("participant")
            .and_then(toml_edit::Item::as_array_of_tables_mut)
            .ok_or_else(|| {
                "participants are not [[participant]] tables; please remove the participant by hand"
                    .to_string()
            })?;
        let index = list
            .iter()
            .position(|t| t.get("id").and_then(toml_edit::Item::as_str) == Some(id.as_str()))
            .ok_or_else(|| {
                format!("has no participant \"{id}\" any more (was it changed while cohort ran?)")
            })?;
        list.remove(index);
        Ok(())
    })?;
    let verb = if args.dry_run {
        "would remove"
    } else {
        "removed"
    };
    out(&format!(
        "{verb} {id} ({}) from cohort {}; nothing was recorded about them\n",
        participant.name, cohort.id
    ))?;
    Ok(exit::SUCCESS)
}

/// A usage error when anything is recorded about participant `p`: they
/// left, and that is a withdrawal.
fn nothing_recorded(ctx: &Ctx, loaded: &recording::Loaded, p: usize) -> anyhow::Result<()> {
    let records = records_of(ctx, loaded, p)?;
    if !records.is_empty() {
        let (cohort, participant) = loaded.participant(p);
        let id = &participant.id;
        crate::usage!(
            "{id} ({}) has records: {}. Unenrolling would lose them; if they left the cohort, record that with `cohort withdraw {} {id} --date D`. Nothing was written",
            participant.name,
            records.join("; "),
            cohort.id
        );
    }
    Ok(())
}

/// What is recorded about participant `p`, in words; empty when nothing.
/// The logs are read as text too, so that a row the loader could not read
/// (and `cohort check` lists) still counts as a record.
fn records_of(ctx: &Ctx, loaded: &recording::Loaded, p: usize) -> anyhow::Result<Vec<String>> {
    let cohort = &loaded.data.cohort;
    let participant = &cohort.participants[p];
    let id = participant.id.as_str();
    let mut found = Vec::new();
    let mut webinars = Vec::new();
    for w in 1..=loaded.curriculum.required() as u32 {
        let rel = Root::attendance_csv(&cohort.id, w);
        if rows_naming(ctx, &rel, ATTENDANCE_FIELDS, 0, id)? > 0 {
            webinars.push(w.to_string());
        }
    }
    if !webinars.is_empty() {
        found.push(format!("attendance of webinar {}", webinars.join(", ")));
    }
    let rel = Root::practicum_csv(&cohort.id);
    let practicum = rows_naming(ctx, &rel, PRACTICUM_FIELDS, 0, id)?;
    if practicum > 0 {
        found.push(format!("{practicum} practicum row(s)"));
    }
    if participant.evaluation.is_some() {
        found.push("a trainer evaluation".to_string());
    }
    if participant.practicum.is_some() {
        found.push("a practicum result".to_string());
    }
    if let Some(date) = participant.withdrawn {
        found.push(format!("a withdrawal on {date}"));
    }
    let text = match std::fs::read_to_string(ctx.root.path(REGISTER)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(anyhow::Error::new(e).context(format!("cannot read {REGISTER}"))),
    };
    let mut certificates = 0;
    recording::each_row(&text, &["cohort", "participant"], |cells| {
        if cells.get(0) == cohort.id && cells.get(1) == id {
            certificates += 1;
        }
    });
    if certificates > 0 {
        found.push(format!("{certificates} row(s) in {REGISTER}"));
    }
    Ok(found)
}

/// How many rows of the log `rel` name `id` in field `fields[f]`.
fn rows_naming(ctx: &Ctx, rel: &str, fields: &[&str], f: usize, id: &str) -> anyhow::Result<usize> {
    let text = match std::fs::read(ctx.root.path(rel)) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(anyhow::Error::new(e).context(format!("cannot read {rel}"))),
    };
    let mut n = 0;
    recording::each_row(&text, fields, |cells| {
        if cells.get(f) == id {
            n += 1;
        }
    });
    Ok(n)
}
