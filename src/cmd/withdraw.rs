//! `cohort withdraw`: records that a participant left the cohort.

use chrono::NaiveDate;

use super::recording::{self, change_cohort_toml, date_value, participant_table, set_value};
use super::{Ctx, done, parse_date};

/// Record that a participant withdrew from the cohort, or take a withdrawal back
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Sets `withdrawn = DATE` on the participant in cohort.toml; with --reason \
also `withdrawn_reason`. Keep the reason short and factual: it is stored \
in the cohort file that staff share. A withdrawal's date lies within the \
cohort's sessions (first to last), unless --force. A withdrawn \
participant's outcome is Incomplete; attendance for sessions after the \
date is refused. Giving another date later corrects it (and says what it \
was); --undo takes back a withdrawal recorded in error (both keys go).

Examples:
  cohort withdraw 2024-fall p10 --date 2024-10-02
  cohort withdraw 2024-fall p10 --date 2024-10-02 --reason \"moved away\" --dry-run
  cohort withdraw 2024-fall p10 --undo")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohort: String,
    /// The participant's id
    #[arg(value_name = "PARTICIPANT", add = crate::complete::participants())]
    pub participant: String,
    /// The date they withdrew (YYYY-MM-DD)
    #[arg(long, value_name = "D", value_parser = parse_date, required_unless_present = "undo")]
    pub date: Option<NaiveDate>,
    /// Why, briefly (kept as withdrawn_reason)
    #[arg(long, value_name = "T")]
    pub reason: Option<String>,
    /// Take back a withdrawal recorded in error
    #[arg(long, conflicts_with_all = ["date", "reason", "force"])]
    pub undo: bool,
    /// Record a date outside the cohort's sessions (before the first or after the last)
    #[arg(long)]
    pub force: bool,
    /// Show the change to cohort.toml; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let (loaded, p) = recording::load_participant_for_toml(ctx, &args.cohort, &args.participant)?;
    let (cohort, participant) = loaded.participant(p);
    let Some(date) = args.date else {
        return undo(ctx, args, participant);
    };
    recording::not_in_future("--date", date, ctx, cohort)?;
    if let Some((first, last)) = cohort.span()
        && (date < first || date > last)
        && !args.force
    {
        if date < first {
            crate::usage!(
                "--date {date} is before the cohort's first session ({first}); withdrawn then, they would miss every webinar, whatever they attended. Check the date, or give --force"
            );
        }
        crate::usage!(
            "--date {date} is after the cohort's last session ({last}); a withdrawal lies within the sessions ({first} to {last}). Check the date, or give --force"
        );
    }
    let reason = args
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if args.reason.is_some() && reason.is_none() {
        crate::usage!("--reason is empty; leave it out or say briefly why");
    }
    if participant.withdrawn == Some(date) && reason.is_none() {
        return done(&format!(
            "{} already withdrew on {date}: unchanged, nothing written\n",
            participant.id
        ));
    }
    let id = participant.id.clone();
    change_cohort_toml(ctx, &args.cohort, args.dry_run, |doc| {
        let t = participant_table(doc, &id)?;
        set_value(t, "withdrawn", date_value(date));
        if let Some(reason) = reason {
            set_value(t, "withdrawn_reason", reason.into());
        }
        Ok(())
    })?;
    let verb = if args.dry_run {
        "would record"
    } else {
        "recorded"
    };
    let mut text = format!(
        "{verb}: {} ({}) withdrew on {date}",
        participant.id, participant.name
    );
    if let Some(old) = participant.withdrawn.filter(|old| *old != date) {
        text += &format!(" (was {old})");
    }
    text += "\n";
    // Rows after the withdrawal stay (the log is append-only); say so.
    let later: Vec<String> = cohort
        .sessions
        .iter()
        .filter(|s| s.date > date)
        .filter(|s| {
            loaded.data.records.marks[p][s.webinar as usize - 1]
                .is_some_and(|m| m.status != crate::model::Status::Makeup)
        })
        .map(|s| s.webinar.to_string())
        .collect();
    if !later.is_empty() {
        text += &format!(
            "note: {} has attendance recorded after {date} (webinar {}); those rows stay, and `cohort check` will warn about them\n",
            participant.id,
            later.join(", ")
        );
    }
    done(&text)
}

/// `--undo`: removes `withdrawn` and `withdrawn_reason`, keeping the rest.
fn undo(ctx: &Ctx, args: &Args, participant: &crate::model::Participant) -> anyhow::Result<u8> {
    let Some(date) = participant.withdrawn else {
        crate::usage!(
            "{} ({}) has no withdrawal to take back; nothing was written",
            participant.id,
            participant.name
        );
    };
    let id = participant.id.clone();
    change_cohort_toml(ctx, &args.cohort, args.dry_run, |doc| {
        let t = participant_table(doc, &id)?;
        if t.remove("withdrawn").is_none() {
            return Err(format!(
                "{id} has no `withdrawn` any more (was it changed while cohort ran?)"
            ));
        }
        t.remove("withdrawn_reason");
        Ok(())
    })?;
    let verb = if args.dry_run {
        "would take back"
    } else {
        "took back"
    };
    done(&format!(
        "{verb} the withdrawal of {} ({}) on {date}; they are in the cohort again\n",
        participant.id, participant.name
    ))
}
