//! `cohort attend`: records who attended one webinar — from flags, from a
//! meeting report, or from a checklist on a terminal — as rows appended to
//! `attendance/NN.csv`.
//!
//! One run is plan → write → summary: the marks asked for (`flags`, the
//! report, `--rest`) are planned against the log as it stands (`log`, read
//! whole) and checked; `plan::record` takes the lock, reads the log again and
//! appends; `summary` says what changed and who is at risk.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::load::Root;
use crate::model::{Curriculum, Mark};
use crate::term;

use super::recording;
use super::{Ctx, out, refuse};

mod checklist;
mod flags;
mod guest;
mod line;
mod log;
mod plan;
mod report;
mod summary;

/// Record attendance for one webinar
#[derive(Debug, clap::Args)]
#[command(after_help = "\
IDS are participant ids separated by commas, or one ID=NOTE to give that \
person's row a note (`--excused p08=\"called in sick\"`; repeat the flag for \
several). Each mark appends a row to \
cohorts/COHORT/attendance/NN.csv; marking someone again appends a correction \
(the last row stands) and says what changed, and marking them as they \
already stand writes nothing for them.

With --from-report (also spelled --from-zoom), the meeting platform's \
report (Zoom, Microsoft Teams or Google Meet; CSV, UTF-16 text or .xlsx, as \
downloaded or re-saved by a spreadsheet) is matched to participants by \
e-mail, then name or alias, then the original name of a renamed attendee. \
A person's minutes are the union of their intervals on all devices inside \
the session's scheduled time, rounded down; waiting-room time does not \
count. At least the curriculum's min_minutes is present, fewer is partial, \
none is absent. Trainers and the host write no row. While an attendee \
matches nobody, the participants who would be absent are left unrecorded \
(give --unmatched ignore to mark them absent); on a terminal you are asked \
who each one is and the answer is saved as an alias (see also `cohort \
alias`). A report of another day, whose times are shifted by whole hours \
(give --report-tz), or in which nobody matches is refused. Marks given as \
flags win over the report. docs/meeting-reports.md lists the layouts.

--rest present or --rest absent marks everyone given no mark and not yet \
recorded for this webinar. --note TEXT is the note of the --makeup ids given \
without one of their own (it lands on no other row).

On a terminal, with no marks, a checklist of the participants opens: it \
marks every status, shows whether each mark counts, and takes each line \
whole or not at all.

Examples:
  cohort attend 2024-fall 3 --present p01,p02,p04 --absent p03 --partial p05=95
  cohort attend 2024-fall 3 --present p01,p02 --rest absent
  cohort attend 2024-fall 3 --absent p03 --excused p08=\"called in sick\" --rest present
  cohort attend 2024-fall 9 --makeup p03=\"with 2025-winter on 2025-01-21\"
  cohort attend 2024-fall 3 --from-report participants_3.csv --dry-run
  cohort attend 2024-fall 3 --from-report attendance.csv --report-tz America/Vancouver
  cohort attend 2024-fall 9 --makeup p03 --note \"webinar 9 with 2025-winter on 2025-01-21\"
  cohort attend 2024-fall 3 --present p01 --dry-run --format json
  cohort attend 2024-fall 3          (on a terminal: the checklist)
  cohort attend 2025-winter 6 --guest 2024-fall:p07   p07 of 2024-fall made up webinar 6 with 2025-winter")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohort: String,
    /// The webinar's number (1 to 17 in the shipped curriculum)
    #[arg(value_name = "WEBINAR")]
    pub webinar: u32,
    /// Attended the whole webinar (IDS, or one ID=NOTE)
    #[arg(long, value_name = "IDS", add = crate::complete::participants())]
    pub present: Vec<String>,
    /// Did not attend (IDS, or one ID=NOTE)
    #[arg(long, value_name = "IDS", add = crate::complete::participants())]
    pub absent: Vec<String>,
    /// Did not attend, with notice; still needs a make-up (IDS, or one ID=NOTE: --excused p08="called in sick")
    #[arg(long, value_name = "IDS", add = crate::complete::participants())]
    pub excused: Vec<String>,
    /// Attended part of it, in minutes: ID=MIN; repeat for several
    #[arg(long, value_name = "ID=MIN", add = crate::complete::participants())]
    pub partial: Vec<String>,
    /// Made up this webinar elsewhere, saying where and when: ID=NOTE (--makeup p03="with 2025-winter on 2025-01-21"), or IDS with --note
    #[arg(long, value_name = "ID=NOTE", add = crate::complete::participants())]
    pub makeup: Vec<String>,
    /// The note of the --makeup ids given without ID=NOTE; it goes on no other row
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Mark everyone given no mark and not yet recorded for this webinar present or absent
    #[arg(long, value_enum, value_name = "present|absent|none")]
    pub rest: Option<Rest>,
    /// A meeting platform's participant report (Zoom, Teams, Meet; CSV or .xlsx)
    #[arg(
        long = "from-report",
        visible_alias = "from-zoom",
        value_name = "FILE",
        conflicts_with = "rest"
    )]
    pub from_zoom: Option<PathBuf>,
    /// The time zone the report's times are in [default: the cohort's]
    #[arg(long, value_name = "TZ", requires = "from_zoom")]
    pub report_tz: Option<String>,
    /// While report rows match nobody: hold (leave the would-be absent unrecorded) or ignore (mark them absent)
    #[arg(long, value_enum, value_name = "hold|ignore", requires = "from_zoom")]
    pub unmatched: Option<report::Unmatched>,
    /// Who records [default: COHORT_USER, else the login name]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Record a session dated after today, or replace a standing make-up
    #[arg(long)]
    pub force: bool,
    /// Show the rows that would be appended; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// text: sentences for people; json: the rows written (or, with --dry-run, that would be), for scripts
    #[arg(long, value_enum, default_value_t = super::TextFormat::Text)]
    pub format: super::TextFormat,
    /// A participant of another cohort made up this webinar here: HOME:ID; the make-up goes into HOME's log
    #[arg(long, value_name = "COHORT:ID")]
    pub guest: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Rest {
    Present,
    Absent,
    None,
}

/// A mark to record for one participant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Planned {
    mark: Mark,
    /// Where it came from, for messages: "--present", "the report".
    source: &'static str,
    /// The note of this row only (a make-up's where and when, an excuse).
    note: String,
}

/// The standing row of one participant in a log.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Standing {
    mark: Mark,
    note: String,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    if let Some(home) = &args.guest {
        return guest::run(ctx, args, home);
    }
    let rel = Root::attendance_csv(&args.cohort, args.webinar);
    let loaded = recording::load_for_attend(ctx, &args.cohort, args.webinar)?;
    let (curriculum, cohort) = (&loaded.curriculum, &loaded.data.cohort);
    let w = webinar_index(args.webinar, curriculum)?;
    let want = log::Want {
        rel: &rel,
        curriculum,
        cohort,
        webinar: args.webinar,
        today: ctx.today,
    };
    let read = log::read(&ctx.root.dir, &want)?;
    if args.note.as_deref().is_some_and(|n| n.trim().is_empty()) {
        crate::usage!(
            "--note is empty; say where and when the webinar was made up, or leave --note out"
        );
    }

    let mut errors: Vec<String> = Vec::new();
    let mut planned = flags::marks(args, cohort, curriculum.session_minutes, &mut errors);
    let resting = matches!(args.rest, Some(Rest::Absent | Rest::Present));
    if planned.is_empty() && args.from_zoom.is_none() && !resting && errors.is_empty() {
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            return checklist::run(ctx, args, &loaded, &want, read);
        }
        crate::usage!(
            "say who attended webinar {}: --present IDS, --absent IDS, --excused IDS, --partial ID=MIN, --makeup ID=NOTE, --rest present|absent, or --from-report FILE (on a terminal, with no marks, a checklist opens)",
            args.webinar
        );
    }
    let report_text = match &args.from_zoom {
        Some(path) => plan::from_report(ctx, args, &loaded, path, &mut planned)?,
        None => String::new(),
    };
    plan::add_rest(args.rest, cohort, w, &read.standing, &mut planned);
    plan::check(
        args,
        ctx.today,
        &loaded,
        &planned,
        &read.standing,
        &mut errors,
    );
    if recording::print_problems(&errors) {
        crate::usage!("nothing was written to {rel}");
    }

    let as_json = args.format == super::TextFormat::Json;
    if !report_text.is_empty() {
        if as_json {
            term::eprint(&report_text);
        } else {
            out(&report_text)?;
        }
    }
    let marked: Vec<&str> = planned
        .keys()
        .map(|&p| cohort.participants[p].id.as_str())
        .collect();
    loaded.show_warnings_and(&read.warnings, &marked, Some(args.webinar), &[&rel]);
    let who = recording::recorder(args.by.as_deref())?;
    if args.dry_run {
        let mut planned_rows = plan::rows(cohort, &planned, &read.standing, &who);
        plan::stamp(&mut planned_rows.0);
        return summary::dry_run(args, &rel, &planned_rows);
    }
    let recorded = plan::record(&ctx.root.dir, &want, &read, &planned, &who)?;
    summary::written(args, &rel, &loaded, w, &recorded, ctx.today)
}

/// The index of webinar `n` among the curriculum's, or a usage error.
fn webinar_index(n: u32, curriculum: &Curriculum) -> anyhow::Result<usize> {
    let required = curriculum.required() as u32;
    if n < 1 || n > required {
        crate::usage!("there is no webinar {n}; the curriculum has webinars 1 to {required}");
    }
    Ok(n as usize - 1)
}

/// Why a session dated after today is not recorded without `--force`:
/// `webinar` names it ("webinar 3", "webinar 3 of 2024-fall"), `what` is
/// what would be recorded ("attendance", "a make-up").
fn not_held_yet(webinar: &str, date: NaiveDate, today: NaiveDate, what: &str) -> String {
    format!(
        "{webinar} is on {date}, after today ({today}); {what} is recorded once it is held (give --force if the date in cohort.toml is wrong and you must record now)"
    )
}
