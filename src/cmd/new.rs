//! `cohort new`: writes a new cohort's `cohort.toml` with one session per
//! curriculum webinar.

use anyhow::Context as _;
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

use crate::load::{Root, is_slug};
use crate::model::Curriculum;
use crate::write;

use super::{Ctx, done, parse_date};

/// Create a cohort: one session per curriculum webinar on the given weekdays
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Sessions fall on the given weekdays, from the start date on, one per \
curriculum webinar in order, leaving out the --skip dates (holidays). The \
file it writes, cohorts/ID/cohort.toml, is commented: open it to check the \
dates, then add participants with `cohort enroll`. An existing cohort is \
never overwritten.

Examples:
  cohort new 2025-winter --start 2025-01-14 --days tue,thu --skip 2025-02-18 \\
      --time 12:00-14:00 --timezone America/Toronto --trainer \"Ana Trainer\"
  cohort new 2025-spring --start 2025-04-01 --days monday,wednesday --dry-run")]
pub struct Args {
    /// The new cohort's id: lower-case letters, digits and dashes, e.g. 2025-winter
    #[arg(value_name = "ID")]
    pub id: String,
    /// The first day the cohort may meet (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub start: NaiveDate,
    /// The weekdays of the sessions, comma-separated: mon,tue,… or monday,tuesday,…
    #[arg(long, value_name = "DAYS")]
    pub days: String,
    /// A date without a session (a holiday); repeat it or separate with commas
    #[arg(long, value_name = "DATE", value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Session time, local to the timezone
    #[arg(long, value_name = "HH:MM-HH:MM", default_value = "12:00-14:00")]
    pub time: String,
    /// IANA name of the place whose clock the sessions keep, e.g. America/Toronto (not EST) [default: that of the latest existing cohort]
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
    /// A trainer's name; repeat for several
    #[arg(long, value_name = "NAME")]
    pub trainer: Vec<String>,
    /// The cohort's name for people [default: the id]
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Delivery mode
    #[arg(long, value_name = "TEXT", default_value = "online")]
    pub delivery: String,
    /// Show the file that would be written; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let curriculum = ctx.curriculum()?;
    let rel = Root::cohort_toml(&args.id);
    let plan = plan(ctx, args, &curriculum, &rel)?;
    let minutes = (plan.end - plan.start).num_minutes();
    if minutes != i64::from(curriculum.session_minutes) {
        crate::term::eprint(&format!(
            "cohort: warning: sessions of {minutes} minutes ({}); the curriculum's webinars are {} minutes long\n",
            args.time, curriculum.session_minutes
        ));
    }
    let text = render(args, &plan, &curriculum);
    // What is written is read back first with the reader every command
    // uses: a file nobody could read is never written.
    let mut diags = crate::diag::Diagnostics::default();
    if crate::load::cohort_from_text(&text, &curriculum, &args.id, &mut diags).is_none()
        || diags.has_errors()
    {
        diags.print(crate::term::stderr_color());
        crate::usage!(
            "the {rel} these options give could not be read back (above); nothing was written"
        );
    }
    if args.dry_run {
        return done(&format!(
            "dry run: nothing was written; {rel} would be:\n\n{text}"
        ));
    }
    create(ctx, &args.id, &rel, &text)?;
    let (first, last) = (plan.dates[0], plan.dates[plan.dates.len() - 1]);
    done(&format!(
        "created {rel}: {} sessions, {first} to {last}, {} {}–{} ({})\nnext: `cohort enroll {} --id p01 --name \"…\"` adds participants\n",
        plan.dates.len(),
        plan.days
            .iter()
            .map(|d| weekday_name(*d)[..3].to_lowercase())
            .collect::<Vec<_>>()
            .join(","),
        plan.start.format("%H:%M"),
        plan.end.format("%H:%M"),
        plan.timezone,
        args.id
    ))
}

/// The cohort the options describe, once every one of them is checked.
struct Plan {
    days: Vec<Weekday>,
    dates: Vec<NaiveDate>,
    start: NaiveTime,
    end: NaiveTime,
    timezone: String,
    name: String,
}

/// Checks every option (all problems printed together) and works out the
/// sessions; an existing cohort is refused before anything else is said.
fn plan(ctx: &Ctx, args: &Args, curriculum: &Curriculum, rel: &str) -> anyhow::Result<Plan> {
    let mut problems = Vec::new();
    if !is_slug(&args.id) {
        problems.push(format!(
            "\"{}\" is not a cohort id: use lower-case letters, digits and dashes, starting with a letter or digit, e.g. 2025-winter",
            args.id
        ));
    }
    let days = parse_days(&args.days).unwrap_or_else(|e| {
        problems.push(e);
        Vec::new()
    });
    let mut skip = Vec::new();
    for text in &args.skip {
        match parse_date(text) {
            Ok(d) => skip.push(d),
            Err(e) => problems.push(format!("--skip {e}")),
        }
    }
    let time = parse_time_range(&args.time)
        .map_err(|e| problems.push(e))
        .ok();
    if is_slug(&args.id) && ctx.root.path(rel).exists() {
        crate::usage!(
            "cohort {} already exists ({rel}); nothing was written. Choose another id, or edit that file",
            args.id
        );
    }
    let timezone = timezone(ctx, args, &mut problems);
    let name = args.name.clone().unwrap_or_else(|| args.id.clone());
    if name.trim().is_empty() {
        problems.push(
            "--name is empty; give the cohort's name, e.g. --name \"Winter 2025\"".to_string(),
        );
    }
    if args.trainer.iter().any(|t| t.trim().is_empty()) {
        problems.push("a --trainer is empty; give each trainer's name".to_string());
    }
    let dates = if days.is_empty() {
        Vec::new()
    } else {
        schedule(args.start, &days, &skip, curriculum.required())
    };
    problems.extend(date_problems(args.start, &days, &skip, &dates));
    if super::recording::print_problems(&problems) {
        let problems = crate::render::count(problems.len(), "problem", "problems");
        crate::usage!("nothing was written ({problems} to fix)");
    }
    let (start, end) = time.expect("checked above");
    Ok(Plan {
        days,
        dates,
        start,
        end,
        timezone: timezone.expect("checked above"),
        name,
    })
}

/// `--timezone`, else that of the latest cohort; a problem when there is
/// none or it is not a time zone.
fn timezone(ctx: &Ctx, args: &Args, problems: &mut Vec<String>) -> Option<String> {
    let timezone = match &args.timezone {
        Some(tz) => Some(tz.trim().to_string()),
        None => latest_timezone(ctx),
    };
    match timezone.as_deref().map(crate::tz::parse) {
        None => problems.push("give --timezone, e.g. --timezone America/Toronto (there is no other cohort to take it from)".to_string()),
        Some(Err(refused)) => {
            problems.push(format!("--timezone {}; {}", refused.problem, refused.help))
        }
        Some(Ok(_)) => {}
    }
    timezone
}

/// `--skip` dates that skip nothing, and sessions past the year 9999.
fn date_problems(
    start: NaiveDate,
    days: &[Weekday],
    skip: &[NaiveDate],
    dates: &[NaiveDate],
) -> Vec<String> {
    let mut problems = Vec::new();
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return problems;
    };
    for d in skip {
        if !days.contains(&d.weekday()) {
            problems.push(format!(
                "--skip {d} is a {}, not a session day; nothing to skip (check the date)",
                weekday_name(d.weekday())
            ));
        } else if *d < start || d > last {
            problems.push(format!("--skip {d} is outside the cohort's sessions ({first} to {last}); nothing to skip (check the date)"));
        }
    }
    if last.year() > 9999 {
        problems.push(format!(
            "--start {start}: the sessions would run past the year 9999 ({last}); give the real start date"
        ));
    }
    problems
}

/// Writes the new cohort.toml (and its folder), never over an existing one.
fn create(ctx: &Ctx, id: &str, rel: &str, text: &str) -> anyhow::Result<()> {
    let folder = ctx.root.path(&format!("cohorts/{id}"));
    let made_folder = !folder.exists();
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create the folder cohorts/{id}; nothing was written"))?;
    let written = write::create_atomically(&ctx.root.path(rel), text.as_bytes());
    if written.is_err() && made_folder {
        let _ = std::fs::remove_dir(&folder);
    }
    match written {
        Ok(()) => Ok(()),
        Err(write::WriteError::AlreadyExists { .. }) => {
            anyhow::bail!("cohort {id} already exists ({rel}); nothing was written")
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("{rel} was not written"))),
    }
}

/// `tue,thu`, `Tuesday, Thursday`, `TUE`: weekdays, in any case, without repeats.
pub fn parse_days(text: &str) -> Result<Vec<Weekday>, String> {
    let mut days = Vec::new();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let lower = word.to_lowercase();
        // "tu", "tues", "thur": any prefix of two letters or more of a day's name.
        let day = (0..7)
            .map(|i| Weekday::try_from(i as u8).expect("0..7"))
            .find(|d| lower.len() >= 2 && weekday_name(*d).to_lowercase().starts_with(&lower))
            .ok_or_else(|| format!("--days: \"{word}\" is not a weekday; write mon, tue, wed, thu, fri, sat, sun (or the full names), separated by commas"))?;
        if !days.contains(&day) {
            days.push(day);
        }
    }
    if days.is_empty() {
        return Err(
            "--days is empty; give the weekdays of the sessions, e.g. --days tue,thu".to_string(),
        );
    }
    Ok(days)
}

/// `12:00-14:00` (an en dash is accepted too).
fn parse_time_range(text: &str) -> Result<(NaiveTime, NaiveTime), String> {
    let bad = || {
        format!("--time \"{text}\" is not a time range; write it like 12:00-14:00 (24-hour clock)")
    };
    let (a, b) = text
        .split_once('-')
        .or_else(|| text.split_once('–'))
        .ok_or_else(bad)?;
    let t = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| bad());
    let (start, end) = (t(a)?, t(b)?);
    if end <= start {
        return Err(format!(
            "--time {text}: the end must be after the start (sessions end on the day they start)"
        ));
    }
    Ok((start, end))
}

/// The first `n` dates from `start` on that fall on `days`, leaving out `skip`.
pub fn schedule(
    start: NaiveDate,
    days: &[Weekday],
    skip: &[NaiveDate],
    n: usize,
) -> Vec<NaiveDate> {
    start
        .iter_days()
        .filter(|d| days.contains(&d.weekday()) && !skip.contains(d))
        .take(n)
        .collect()
}

/// The timezone of the cohort with the greatest id, read leniently.
fn latest_timezone(ctx: &Ctx) -> Option<String> {
    let ids = ctx
        .root
        .cohort_ids(&mut crate::diag::Diagnostics::default());
    ids.iter().rev().find_map(|id| {
        // Never a link, a FIFO or a huge file (crate::fsafe).
        let bytes = crate::fsafe::read(&ctx.root.dir, &Root::cohort_toml(id)).ok()??;
        let text = String::from_utf8(bytes).ok()?;
        let doc: toml_edit::DocumentMut = text.parse().ok()?;
        let tz = doc.get("timezone")?.as_str()?.to_string();
        crate::term::eprint(&format!(
            "cohort: timezone {tz}, as cohort {id} (give --timezone for another)\n"
        ));
        Some(tz)
    })
}

fn weekday_name(d: Weekday) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][d.num_days_from_monday() as usize]
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// The commented cohort.toml of the cohort `plan` describes.
fn render(args: &Args, plan: &Plan, curriculum: &Curriculum) -> String {
    let id = &args.id;
    let trainers: Vec<String> = args.trainer.iter().map(|t| quote(t.trim())).collect();
    let mut text = format!(
        "\
# Cohort {id}, written by `cohort new`. Edit it freely: comments and order are
# kept when cohort records changes. `cohort check` validates it.
#
# - one [[session]] per curriculum webinar; times are local to `timezone`.
# - participants are added with `cohort enroll {id} --id ID --name \"…\"`;
#   `name` is printed on certificates exactly as written.

id = {}
name = {}
timezone = {}
delivery = {}
trainers = [{}]
",
        quote(id),
        quote(plan.name.trim()),
        quote(&plan.timezone),
        quote(args.delivery.trim()),
        trainers.join(", ")
    );
    for (i, date) in plan.dates.iter().enumerate() {
        let webinar = &curriculum.webinars[i];
        text += &format!(
            "\n# {}, webinar {}: {}\n[[session]]\nwebinar = {}\ndate = {date}\nstart = \"{}\"\nend = \"{}\"\n",
            weekday_name(date.weekday()),
            webinar.number,
            webinar.title.replace('\n', " "),
            webinar.number,
            plan.start.format("%H:%M"),
            plan.end.format("%H:%M")
        );
    }
    text += "\n# [[participant]] tables follow (`cohort enroll` adds them).\n";
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_short_and_full_names_in_any_case() {
        for days in ["tue,thu", " Tuesday , THURSDAY ", "tues,thur"] {
            let parsed = parse_days(days).unwrap();
            assert_eq!(parsed, vec![Weekday::Tue, Weekday::Thu], "{days:?}");
        }
        let err = parse_days("tue,thurs-day").unwrap_err();
        assert!(err.contains("thurs-day"), "{err}");
        assert!(parse_days("").is_err());
        assert!(parse_days("t").is_err());
    }

    #[test]
    fn time_ranges_need_an_end_after_the_start() {
        assert!(parse_time_range("12:00-14:00").is_ok());
        let err = parse_time_range("14:00-12:00").unwrap_err();
        assert!(err.contains("after the start"), "{err}");
        assert!(parse_time_range("noon").is_err());
        assert!(parse_time_range("25:00-26:00").is_err());
    }

    #[test]
    fn schedule_skips_dates_and_starts_on_the_first_matching_day() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 2024-09-09 is a Monday: the first session is Tuesday the 10th.
        let tue_thu = [Weekday::Tue, Weekday::Thu];
        let dates = schedule(d("2024-09-09"), &tue_thu, &[d("2024-09-12")], 3);
        let want = [d("2024-09-10"), d("2024-09-17"), d("2024-09-19")];
        assert_eq!(dates, want);
    }
}
