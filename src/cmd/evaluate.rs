//! `cohort evaluate`: records the trainers' end-of-cohort evaluation.

use crate::exit;
use crate::model::{Evaluation, Participation};

use super::Ctx;
use super::recording::{self, SubRecord, date_value};

/// Record the trainers' evaluation of a participant
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Writes [participant.evaluation] in cohort.toml. Trainers evaluate at the \
end of the cohort: an evaluation dated before the cohort's last session \
is refused unless --force. Evaluating again replaces the evaluation, and \
the old one is shown (git keeps its history).

Examples:
  cohort evaluate 2024-fall p01 --participation full --recommend --by \"Rosa Delgado\"
  cohort evaluate 2024-fall p13 --participation full --no-recommend --by \"Malik Haddad\" --date 2024-11-07")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohort: String,
    /// The participant's id
    #[arg(value_name = "PARTICIPANT", add = crate::complete::participants())]
    pub participant: String,
    /// Did they participate fully?
    #[arg(long, value_enum, value_name = "full|partial")]
    pub participation: ParticipationArg,
    /// Recommend them for a practicum (Level 1R)
    #[arg(long, conflicts_with = "no_recommend")]
    pub recommend: bool,
    /// Do not recommend them for a practicum (the default)
    #[arg(long)]
    pub no_recommend: bool,
    /// Evaluate before the cohort's last session, or a withdrawn participant
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub evaluator: recording::Evaluator,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ParticipationArg {
    Full,
    Partial,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let (loaded, p) = recording::load_participant_for_toml(ctx, &args.cohort, &args.participant)?;
    let (cohort, participant) = loaded.participant(p);
    let (date, by) = args
        .evaluator
        .dated_by(ctx, cohort, "name the trainer who evaluated")?;
    let participation = match args.participation {
        ParticipationArg::Full => Participation::Full,
        ParticipationArg::Partial => Participation::Partial,
    };
    if participation == Participation::Partial && args.recommend {
        crate::usage!(
            "--recommend with --participation partial: a partial participation leaves the outcome Incomplete, so the recommendation could not count; give one or the other"
        );
    }
    if let Some(last) = cohort.last_session()
        && date < last
        && !args.force
    {
        crate::usage!(
            "the evaluation date {date} is before the cohort's last session ({last}); trainers evaluate at the end. Give --date on or after {last}, or --force if this is right"
        );
    }
    if let Some(withdrawn) = participant.withdrawn
        && !args.force
    {
        crate::usage!(
            "{} withdrew on {withdrawn}; an evaluation would not change their outcome (Incomplete). Give --force to record it anyway",
            participant.id
        );
    }
    let new = Evaluation {
        participation,
        recommend: args.recommend,
        by: by.to_string(),
        date,
    };
    let full = participation == Participation::Full;
    let record = SubRecord {
        key: "evaluation",
        noun: "evaluation",
        values: vec![
            (
                "participation",
                (if full { "full" } else { "partial" }).into(),
            ),
            ("recommend", new.recommend.into()),
            ("by", by.into()),
            ("date", date_value(date)),
        ],
        new: describe(&new),
        old: participant.evaluation.as_ref().map(describe),
        unchanged: participant.evaluation.as_ref() == Some(&new),
    };
    args.evaluator
        .record(ctx, &args.cohort, participant, record)?;
    Ok(exit::SUCCESS)
}

pub(super) fn describe(e: &Evaluation) -> String {
    let participation = match e.participation {
        Participation::Full => "full participation",
        Participation::Partial => "partial participation",
    };
    let rec = if e.recommend {
        "recommended for a practicum"
    } else {
        "not recommended for a practicum"
    };
    format!("{participation}, {rec}; by {} on {}", e.by, e.date)
}
