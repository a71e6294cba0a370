//! `cohort practicum log|result`: practicum hours and the practicum's
//! final evaluation.

use chrono::NaiveDate;

use crate::exit;
use crate::load::{PRACTICUM_FIELDS, Root};
use crate::model::{Hours, Kind, PracticumResult, PracticumRow};
use crate::rules;
use crate::term;
use crate::write::LockedLog;

use super::recording::{self, SubRecord, date_value};
use super::{Ctx, out, parse_date};

mod correct;

/// Practicum hours and results
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Log practicum hours (appends a row to practicum.csv)
    #[command(after_help = "\
Hours are a decimal with at most two places (1.5, 0.25) or H:MM (1:30). \
A participant's hours on one day add up to at most 24. Only monitored \
`support` hours dated after the cohort's last session count towards the \
required hours; other rows are kept, and cohort says why they will not count. \
Hours of a participant the trainers did not recommend (or not yet) are \
logged, with a warning: they lead to Certified only for a recommended one.

With --from FILE, a whole timesheet (CSV, ';' or tab separated, or the first \
sheet of an .xlsx workbook) with the columns participant, date, hours and \
optionally kind, monitor, note is checked as a whole (every row, 24 h a day \
with the rows already logged, rows logged before) and appended in one write, \
or not at all.

Examples:
  cohort practicum log 2024-fall p18 --date 2024-11-20 --hours 3.5 --monitor \"Grace Okafor\"
  cohort practicum log 2024-fall p18 --date 2024-11-21 --hours 1:00 --monitor \"Grace Okafor\" --kind supervision
  cohort practicum log 2024-fall --from timesheet-march.xlsx --dry-run")]
    Log(LogArgs),
    /// Record the practicum's evaluation: pass or fail
    #[command(after_help = "\
Writes [participant.practicum] in cohort.toml. Recording it again replaces \
the old result, which is shown.

A pass is refused while the participant has fewer counted hours than the \
curriculum's required_hours (it would not make them Certified, and is most \
often recorded too early or for the wrong person); --force records it \
anyway, with a warning. A result for someone not recommended is refused \
the same way.

Examples:
  cohort practicum result 2024-fall p04 pass --by \"Dana Kowalczyk\"
  cohort practicum result 2024-fall p04 fail --by \"Dana Kowalczyk\" --date 2025-03-01 --dry-run")]
    Result(ResultArgs),
    /// Take back hours logged in error (appends a reversing row)
    Correct(correct::Args),
}

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The cohort
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohort: String,
    /// The participant's id
    #[arg(
        value_name = "PARTICIPANT",
        required_unless_present = "from",
        add = crate::complete::participants()
    )]
    pub participant: Option<String>,
    /// The day of the hours (YYYY-MM-DD), not in the future
    #[arg(long, value_name = "D", value_parser = parse_date, required_unless_present = "from")]
    pub date: Option<NaiveDate>,
    /// Hours: 1.5, 0.25 or 1:30
    #[arg(long, value_name = "H", required_unless_present = "from")]
    pub hours: Option<String>,
    /// Who monitored the support
    #[arg(long, value_name = "NAME", required_unless_present = "from")]
    pub monitor: Option<String>,
    /// A whole timesheet to append: CSV or .xlsx with the columns participant, date, hours, kind, monitor, note
    #[arg(long, value_name = "FILE", conflicts_with_all = ["participant", "date", "hours", "monitor", "kind", "note"])]
    pub from: Option<std::path::PathBuf>,
    /// support, supervision, training or other
    #[arg(long, value_name = "K", default_value = "support")]
    pub kind: String,
    /// A note
    #[arg(long, value_name = "T")]
    pub note: Option<String>,
    /// Show the row that would be appended; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct ResultArgs {
    /// The cohort
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohort: String,
    /// The participant's id
    #[arg(value_name = "PARTICIPANT", add = crate::complete::participants())]
    pub participant: String,
    /// The result
    #[arg(value_enum, value_name = "pass|fail")]
    pub result: Outcome,
    /// Record it although the participant is not recommended for a practicum, the result is dated before the cohort ended, or a pass comes before the required hours
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub evaluator: recording::Evaluator,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Outcome {
    Pass,
    Fail,
}

pub fn run(ctx: &Ctx, command: &Command) -> anyhow::Result<u8> {
    match command {
        Command::Log(args) => log(ctx, args),
        Command::Result(args) => result(ctx, args),
        Command::Correct(args) => correct::run(ctx, args),
    }
}

fn log(ctx: &Ctx, args: &LogArgs) -> anyhow::Result<u8> {
    if let Some(from) = &args.from {
        return super::practicum_from::run(ctx, args, from);
    }
    let one = &args.single()?;
    let rel = Root::practicum_csv(&args.cohort);
    let (loaded, p) = recording::load_participant(ctx, &args.cohort, one.participant, &rel)?;
    let (cohort, participant) = loaded.participant(p);
    let row = checked_row(ctx, args, one, &loaded, p, &rel)?;
    // The hours as typed (trimmed): they parsed, and keep their exact form.
    let cells = vec![
        participant.id.clone(),
        one.date.to_string(),
        one.hours.trim().to_string(),
        row.kind.as_str().to_string(),
        row.monitor.to_string(),
        args.note.as_deref().unwrap_or("").trim().to_string(),
    ];
    if args.dry_run {
        out(&format!(
            "dry run: nothing was written; {rel} would get the row\n  {}\n",
            crate::render::csv_line(&cells)?
        ))?;
    } else {
        append_rows(ctx, &rel, &[cells], |text| {
            // Other processes may have logged hours for the same day meanwhile.
            let day = hours_on(text, &participant.id, one.date);
            if !rules::fits_in_a_day(day + row.hours) {
                anyhow::bail!(
                    "{} now has {day} h logged on {} (added meanwhile); {} more would exceed 24 h. Nothing was written to {rel}",
                    participant.id,
                    one.date,
                    row.hours
                );
            }
            Ok(())
        })?;
        out(&format!(
            "logged {} h of {} for {} ({}) on {} in {rel}\n",
            row.hours,
            row.kind.as_str(),
            participant.id,
            participant.name,
            one.date
        ))?;
    }
    warn_logged(cohort, participant, &row);
    if !args.dry_run {
        out(&format!(
            "{} now has {} of {} h counted\n",
            participant.id,
            counted_with(cohort, &loaded.data.records.practicum[p], &row),
            loaded.curriculum.required_hours
        ))?;
    }
    Ok(exit::SUCCESS)
}

/// The row `practicum log` would append, once every argument is checked
/// (all problems reported together) and the day still holds the hours.
fn checked_row(
    ctx: &Ctx,
    args: &LogArgs,
    one: &super::practicum_from::Single,
    loaded: &recording::Loaded,
    p: usize,
    rel: &str,
) -> anyhow::Result<PracticumRow> {
    let (cohort, participant) = loaded.participant(p);
    let mut problems = Vec::new();
    if let Some(why) = crate::clock::in_the_future(one.date, ctx.today, &cohort.timezone) {
        problems.push(format!(
            "--date {} {why}; log practicum hours once they are done",
            one.date
        ));
    }
    let hours = if one.hours.trim().starts_with('-') {
        problems.push(format!("--hours {}: hours are logged positive; to take back hours logged in error, use `cohort practicum correct`", one.hours.trim()));
        None
    } else {
        Hours::parse(one.hours)
            .map_err(|e| problems.push(format!("--hours: {e}")))
            .ok()
    };
    let kind = kind_arg(&args.kind, &mut problems);
    let monitor = one.monitor.trim();
    if monitor.is_empty() {
        problems.push("--monitor is empty; name who monitored the support".to_string());
    }
    if let Some(hours) = hours {
        let day = crate::model::net_hours(
            loaded.data.records.practicum[p]
                .iter()
                .filter(|r| r.date == one.date),
        );
        if !rules::fits_in_a_day(day + hours) {
            problems.push(format!(
                "{} already has {day} h logged on {}; {hours} more would make {} h, and one day holds at most 24. Check the date and the hours",
                participant.id,
                one.date,
                day + hours
            ));
        }
    }
    refuse_problems(&problems, rel)?;
    Ok(practicum_row(
        one.date,
        hours.expect("checked"),
        kind.expect("checked"),
        monitor,
        None,
    ))
}

/// Every problem with what was typed, printed; then nothing is written.
fn refuse_problems(problems: &[String], rel: &str) -> anyhow::Result<()> {
    if recording::print_problems(problems) {
        crate::usage!("nothing was written to {rel}");
    }
    Ok(())
}

/// A row to append (its line is not known until it is written).
fn practicum_row(
    date: NaiveDate,
    hours: Hours,
    kind: Kind,
    monitor: &str,
    reversal: Option<&str>,
) -> PracticumRow {
    PracticumRow {
        line: 0,
        date,
        hours,
        kind,
        monitor: monitor.into(),
        reversal: reversal.map(Into::into),
    }
}

/// Appends `rows` to the practicum log `rel` under its lock, once `recheck`
/// has accepted the log's text as it is then (other processes may have
/// written meanwhile): the one way every practicum command writes.
pub(super) fn append_rows(
    ctx: &Ctx,
    rel: &str,
    rows: &[Vec<String>],
    recheck: impl FnOnce(&str) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let not_written = |e: crate::write::WriteError| {
        anyhow::Error::new(e).context(format!("nothing was written to {rel}"))
    };
    let mut log = LockedLog::open(&ctx.root.dir, rel).map_err(not_written)?;
    recheck(log.contents())?;
    log.append(PRACTICUM_FIELDS, rows).map_err(not_written)
}

/// The counted hours of `rows` with `row` added.
fn counted_with(cohort: &crate::model::Cohort, rows: &[PracticumRow], row: &PracticumRow) -> Hours {
    cohort.last_session().map_or(Hours::default(), |last| {
        rules::counted_hours(rows.iter().chain(std::iter::once(row)), last)
    })
}

/// `--kind`, or a problem.
fn kind_arg(text: &str, problems: &mut Vec<String>) -> Option<Kind> {
    let kind = Kind::parse(text);
    if kind.is_none() {
        problems.push(format!(
            "--kind \"{text}\" is not one of support, supervision, training, other"
        ));
    }
    kind
}

/// The warnings after logging `row`: hours that will not count, and hours
/// of someone withdrawn or not recommended.
fn warn_logged(
    cohort: &crate::model::Cohort,
    participant: &crate::model::Participant,
    row: &PracticumRow,
) {
    if let Some(last) = cohort.last_session()
        && let Err(why) = rules::counts(row, last)
    {
        term::eprint(&format!(
            "cohort: warning: these {} h will not count: {why}\n",
            row.hours
        ));
    }
    if let Some(w) = participant.withdrawn {
        term::eprint(&format!(
            "cohort: warning: {} withdrew on {w}; their outcome stays Incomplete\n",
            participant.id
        ));
    }
    // Hours are kept whoever they are for (they happened); but hours of
    // someone not recommended are most often a mistyped id.
    match &participant.evaluation {
        Some(e) if !e.recommend => term::eprint(&format!(
            "cohort: warning: {} ({}) is not recommended for a practicum (evaluated by {} on {}); their hours will not lead to Certified. Check the participant id\n",
            participant.id, participant.name, e.by, e.date
        )),
        None if participant.withdrawn.is_none() => term::eprint(&format!(
            "cohort: warning: {} ({}) has no trainers' evaluation yet; their hours lead to Certified only once they are recommended (`cohort evaluate {} {} --recommend …`)\n",
            participant.id, participant.name, cohort.id, participant.id
        )),
        _ => {}
    }
}

/// The hours of `id` on `date` in a practicum log's text, reversing rows
/// taken away (rows that do not read are left to `cohort check`).
fn hours_on(text: &str, id: &str, date: NaiveDate) -> Hours {
    let date = date.to_string();
    let (mut plus, mut minus) = (Hours::default(), Hours::default());
    recording::each_row(text, PRACTICUM_FIELDS, |cells| {
        if cells.get(0) == id && cells.get(1) == date {
            match cells.get(2).strip_prefix('-') {
                Some(h) => minus = minus + Hours::parse(h).unwrap_or_default(),
                None => plus = plus + Hours::parse(cells.get(2)).unwrap_or_default(),
            }
        }
    });
    plus - minus
}

fn result(ctx: &Ctx, args: &ResultArgs) -> anyhow::Result<u8> {
    let (loaded, p) = recording::load_participant_for_toml(ctx, &args.cohort, &args.participant)?;
    let (cohort, participant) = loaded.participant(p);
    let (date, by) = args
        .evaluator
        .dated_by(ctx, cohort, "name who evaluated the practicum")?;
    may_have_result(args, cohort, participant, date)?;
    let hours = counted_now(ctx, &loaded, p);
    let required = loaded.curriculum.required_hours;
    let short = hours < required;
    if args.result == Outcome::Pass && short && !args.force {
        crate::usage!(
            "{} ({}) has {hours} of the {required} h counted, so a pass would not make them Certified; log the missing hours first (`cohort practicum log {} {} …`), or give --force to record the pass now",
            participant.id,
            participant.name,
            cohort.id,
            participant.id
        );
    }
    let new = PracticumResult {
        passed: args.result == Outcome::Pass,
        by: by.to_string(),
        date,
    };
    let record = SubRecord {
        key: "practicum",
        noun: "practicum result",
        values: vec![
            ("result", (if new.passed { "pass" } else { "fail" }).into()),
            ("by", by.into()),
            ("date", date_value(date)),
        ],
        new: describe(&new),
        old: participant.practicum.as_ref().map(describe),
        unchanged: participant.practicum.as_ref() == Some(&new),
    };
    let changed = args
        .evaluator
        .record(ctx, &args.cohort, participant, record)?;
    if changed && new.passed && short {
        term::eprint(&format!(
            "cohort: warning: {} has {hours} of the {required} h counted; they stay Level 1R until the hours are logged\n",
            participant.id
        ));
    }
    Ok(exit::SUCCESS)
}

/// A practicum result counts only for someone recommended, after the
/// webinars; else a usage error, unless `--force`.
fn may_have_result(
    args: &ResultArgs,
    cohort: &crate::model::Cohort,
    participant: &crate::model::Participant,
    date: NaiveDate,
) -> anyhow::Result<()> {
    let recommended = participant.evaluation.as_ref().is_some_and(|e| e.recommend);
    if !recommended && !args.force {
        crate::usage!(
            "{} is not recommended for a practicum ({}), so a practicum result would not count; record the trainers' evaluation first (`cohort evaluate … --recommend`), or give --force",
            participant.id,
            if participant.evaluation.is_some() {
                "the evaluation does not recommend it"
            } else {
                "no evaluation yet"
            }
        );
    }
    if let Some(last) = cohort.last_session()
        && date <= last
        && !args.force
    {
        crate::usage!(
            "the result date {date} is not after the cohort's last session ({last}); the practicum follows the webinars. Check --date, or give --force"
        );
    }
    Ok(())
}

/// Participant `p`'s counted practicum hours as of today.
fn counted_now(ctx: &Ctx, loaded: &recording::Loaded, p: usize) -> Hours {
    let (cohort, participant) = loaded.participant(p);
    let records = &loaded.data.records;
    let marks = records.marks.get(p).map_or(&[][..], Vec::as_slice);
    let practicum = records.practicum.get(p).map_or(&[][..], Vec::as_slice);
    rules::evaluate(
        &loaded.curriculum,
        cohort,
        participant,
        marks,
        practicum,
        ctx.today,
    )
    .hours
}

pub(super) fn describe(r: &PracticumResult) -> String {
    format!(
        "{}; by {} on {}",
        if r.passed { "pass" } else { "fail" },
        r.by,
        r.date
    )
}
