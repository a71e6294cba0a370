//! `cohort attend`: records who attended one webinar — from flags, from a
//! meeting report, or from a checklist on a terminal — as rows appended to
//! `attendance/NN.csv`.
//!
//! The log is read for the standing row of each participant (the `log` module): a
//! long one from its end, so that recording costs the same however long the
//! log has grown. It is read before the lock (the checklist may wait on a
//! person) and used again under it only if the file has not changed.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use crate::diag::did_you_mean;
use crate::exit;
use crate::load::{ATTENDANCE_FIELDS, Root};
use crate::model::{Cohort, Mark, Status};
use crate::rules;
use crate::term;
use crate::write::LockedEnd;

use super::change::{self, Loaded};
use super::{Ctx, out, refuse};

mod log;
mod report;

/// Record attendance for one webinar
#[derive(Debug, clap::Args)]
#[command(after_help = "\
IDS are participant ids separated by commas. Each mark appends a row to \
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

On a terminal, with no marks, a checklist of the participants opens.

Examples:
  cohort attend 2024-fall 3 --present p01,p02,p04 --absent p03 --partial p05=95
  cohort attend 2024-fall 3 --present p01,p02 --rest absent
  cohort attend 2024-fall 3 --from-report participants_3.csv --dry-run
  cohort attend 2024-fall 3 --from-report attendance.csv --report-tz America/Vancouver
  cohort attend 2024-fall 9 --makeup p03 --note \"webinar 9 with 2025-winter on 2025-01-21\"
  cohort attend 2024-fall 3          (on a terminal: the checklist)")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT")]
    pub cohort: String,
    /// The webinar's number (1 to 17 in the shipped curriculum)
    #[arg(value_name = "WEBINAR")]
    pub webinar: u32,
    /// Attended the whole webinar
    #[arg(long, value_name = "IDS")]
    pub present: Vec<String>,
    /// Did not attend
    #[arg(long, value_name = "IDS")]
    pub absent: Vec<String>,
    /// Did not attend, with notice (still needs a make-up)
    #[arg(long, value_name = "IDS")]
    pub excused: Vec<String>,
    /// Attended part of it, in minutes: ID=MIN; repeat for several
    #[arg(long, value_name = "ID=MIN")]
    pub partial: Vec<String>,
    /// Made up this webinar elsewhere (needs --note saying where and when)
    #[arg(long, value_name = "IDS", requires = "note")]
    pub makeup: Vec<String>,
    /// A note on every row written: for a make-up, where and when
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// What to do with participants given no mark and not yet recorded
    #[arg(long, value_enum, value_name = "absent|none")]
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Rest {
    Absent,
    None,
}

/// A mark to record for one participant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Planned {
    mark: Mark,
    /// Where it came from, for messages: "--present", "the report".
    source: &'static str,
}

/// The standing row of one participant in a log.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Standing {
    mark: Mark,
    note: String,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let rel = Root::attendance_csv(&args.cohort, args.webinar);
    let loaded = match change::load_for_attend(ctx, &args.cohort, args.webinar)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let (curriculum, cohort) = (&loaded.curriculum, &loaded.data.cohort);
    let n = curriculum.required() as u32;
    if args.webinar < 1 || args.webinar > n {
        crate::usage!(
            "there is no webinar {}; the curriculum has webinars 1 to {n}",
            args.webinar
        );
    }
    let w = args.webinar as usize - 1;
    let session = &cohort.sessions[w];
    let path = ctx.root.path(&rel);
    let needed: Vec<&str> = cohort
        .participants
        .iter()
        .filter(|p| p.active_on(session.date))
        .map(|p| p.id.as_str())
        .collect();
    let want = log::Want {
        rel: &rel,
        curriculum,
        cohort,
        webinar: args.webinar,
        today: ctx.today,
        needed: &needed,
    };
    let read = match log::read(&path, &want)? {
        Ok(read) => read,
        Err(errors) => {
            refuse(&errors);
            return Ok(exit::FAILURE);
        }
    };
    let note = args
        .note
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    if args.note.is_some() && note.is_empty() {
        crate::usage!(
            "--note is empty; say where and when the webinar was made up, or leave --note out"
        );
    }

    let mut errors: Vec<String> = Vec::new();
    let mut planned = explicit_marks(args, cohort, curriculum.session_minutes, &mut errors);
    let no_marks =
        planned.is_empty() && args.from_zoom.is_none() && args.rest != Some(Rest::Absent);
    if no_marks && errors.is_empty() {
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            return interactive(ctx, args, &loaded, &want, read);
        }
        crate::usage!(
            "say who attended webinar {}: --present IDS, --absent IDS, --excused IDS, --partial ID=MIN, --makeup ID --note TEXT, --rest absent, or --from-report FILE (on a terminal, with no marks, a checklist opens)",
            args.webinar
        );
    }
    let active = |p: usize| cohort.participants[p].active_on(session.date);

    let mut zoom_text = String::new();
    if let Some(path) = &args.from_zoom {
        let how = report::Import {
            path,
            report_tz: args.report_tz.as_deref(),
            unmatched: args.unmatched,
            dry_run: args.dry_run,
            webinar: args.webinar,
            session_minutes: curriculum.session_minutes,
            min_minutes: curriculum.min_minutes,
        };
        match report::from_report(ctx, cohort, session, &how)? {
            Ok((marks, report)) => {
                for (p, mark) in marks {
                    planned.entry(p).or_insert(Planned {
                        mark,
                        source: "the report",
                    });
                }
                zoom_text = report;
            }
            Err(code) => return Ok(code),
        }
    }

    let standing = &read.standing;
    if args.rest == Some(Rest::Absent) {
        for p in (0..cohort.participants.len()).filter(|&p| active(p)) {
            if !standing.contains_key(&cohort.participants[p].id) {
                planned.entry(p).or_insert(Planned {
                    mark: Mark {
                        status: Status::Absent,
                        minutes: None,
                    },
                    source: "--rest absent",
                });
            }
        }
    }

    // Check every mark against the cohort; report all problems together.
    if session.date > ctx.today && !args.force && !planned.is_empty() {
        errors.push(format!(
            "webinar {} is on {}, after today ({}); attendance is recorded once the session is held (give --force if the date in cohort.toml is wrong and you must record now)",
            args.webinar, session.date, ctx.today
        ));
    }
    for (&p, plan) in &planned {
        let participant = &cohort.participants[p];
        if let Some(withdrawn) = participant.withdrawn
            && session.date > withdrawn
        {
            errors.push(format!("{} withdrew on {withdrawn}, before webinar {} ({}); nothing can be recorded for them", participant.id, args.webinar, session.date));
            continue;
        }
        let current = standing.get(&participant.id);
        if plan.mark.status == Status::Makeup
            && let Some(s) = current
            && s.mark.status != Status::Makeup
            && rules::webinar_state(
                Some(s.mark),
                session.date,
                ctx.today,
                curriculum.min_minutes,
            ) != rules::WebinarState::Missed(Some(s.mark))
        {
            errors.push(format!(
                "{} attended webinar {} ({}); a make-up is for a missed webinar",
                participant.id,
                args.webinar,
                describe(s.mark)
            ));
        }
        if let Some(s) = current
            && s.mark.status == Status::Makeup
            && plan.mark.status != Status::Makeup
            && !args.force
        {
            errors.push(format!(
                "{} made up webinar {} (\"{}\"); marking them {} would cancel the make-up. Give --force if that is what you mean",
                participant.id,
                args.webinar,
                s.note,
                plan.mark.status
            ));
        }
    }
    if !errors.is_empty() {
        for e in &errors {
            term::eprint(&format!("cohort: error: {e}\n"));
        }
        crate::usage!("nothing was written to {rel}");
    }

    if !zoom_text.is_empty() {
        out(&zoom_text)?;
    }
    let who = change::recorder(args.by.as_deref())?;
    let rows =
        |standing: &HashMap<String, Standing>| plan_rows(cohort, &planned, standing, &note, &who);
    if args.dry_run {
        let (mut rows, lines) = rows(standing);
        let stamp = change::now_rfc3339();
        for r in &mut rows {
            r[4] = stamp.clone();
        }
        let mut text = format!(
            "dry run: nothing was written; {rel} would get {} ({}, in the file's own column order):\n",
            plural_rows(rows.len()),
            ATTENDANCE_FIELDS.join(",")
        );
        for r in &rows {
            text += &format!("  {}\n", csv_line(r)?);
        }
        text += &lines.join("");
        out(&text)?;
        return Ok(exit::SUCCESS);
    }

    let mut log = LockedEnd::open(&path)
        .map_err(|e| anyhow::Error::new(e).context(format!("nothing was written to {rel}")))?;
    let mut standing = match under_lock(&log, read, &want)? {
        Ok(standing) => standing,
        Err(code) => return Ok(code),
    };
    let (mut rows, lines) = rows(&standing);
    let stamp = change::now_rfc3339();
    for r in &mut rows {
        r[4] = stamp.clone();
    }
    log.append(ATTENDANCE_FIELDS, &rows)
        .map_err(|e| anyhow::Error::new(e).context(format!("nothing was written to {rel}")))?;
    drop(log);
    apply(&mut standing, &rows);
    let after = standing;

    let written = if rows.is_empty() {
        "nothing new to write".to_string()
    } else {
        format!("{} written to {rel}", plural_rows(rows.len()))
    };
    let mut text = format!(
        "webinar {} ({}) of cohort {}: {written}\n",
        args.webinar, session.date, cohort.id
    );
    text += &lines.join("");
    text += &summary(&loaded, w, &after, ctx.today);
    out(&text)?;
    Ok(exit::SUCCESS)
}

fn plural_rows(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// `present`, `partial, 95 min`.
fn describe(mark: Mark) -> String {
    match (mark.status, mark.minutes) {
        (Status::Partial | Status::Present, Some(m)) => format!("{}, {m} min", mark.status),
        (status, _) => status.to_string(),
    }
}

/// The marks given as flags, by participant index; problems go to `errors`.
fn explicit_marks(
    args: &Args,
    cohort: &Cohort,
    session_minutes: u32,
    errors: &mut Vec<String>,
) -> BTreeMap<usize, Planned> {
    let mut planned: BTreeMap<usize, Planned> = BTreeMap::new();
    let mut give = |id: &str, mark: Mark, source: &'static str, errors: &mut Vec<String>| {
        let Some(p) = cohort.participant_index(id) else {
            let hint = match did_you_mean(id, cohort.participants.iter().map(|p| p.id.as_str())) {
                Some(g) => format!("; did you mean {g}?"),
                None => String::new(),
            };
            errors.push(format!(
                "{source}: cohort {} has no participant \"{id}\"{hint}",
                cohort.id
            ));
            return;
        };
        match planned.get(&p) {
            Some(other) if other.mark != mark => errors.push(format!(
                "{id} is given two marks: {} ({}) and {} ({}); give one",
                describe(other.mark),
                other.source,
                describe(mark),
                source
            )),
            _ => {
                planned.insert(p, Planned { mark, source });
            }
        }
    };
    let ids = |list: &[String]| -> Vec<String> {
        list.iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let simple = [
        (&args.present, Status::Present, "--present"),
        (&args.absent, Status::Absent, "--absent"),
        (&args.excused, Status::Excused, "--excused"),
        (&args.makeup, Status::Makeup, "--makeup"),
    ];
    for (list, status, source) in simple {
        for id in ids(list) {
            give(
                &id,
                Mark {
                    status,
                    minutes: None,
                },
                source,
                errors,
            );
        }
    }
    for item in ids(&args.partial) {
        let Some((id, min)) = item.split_once('=') else {
            errors.push(format!(
                "--partial \"{item}\" needs the minutes: write ID=MIN, e.g. --partial p05=95"
            ));
            continue;
        };
        match min.trim().parse::<u32>() {
            Ok(m) if m <= session_minutes => give(
                id.trim(),
                Mark {
                    status: Status::Partial,
                    minutes: Some(m),
                },
                "--partial",
                errors,
            ),
            _ => errors.push(format!(
                "--partial {item}: the minutes must be a whole number from 0 to {session_minutes}"
            )),
        }
    }
    planned
}

/// What stands once `rows` (cells in `ATTENDANCE_FIELDS` order) are
/// appended: each becomes its participant's last row. Saves reading the
/// log a second time.
fn apply(standing: &mut HashMap<String, Standing>, rows: &[Vec<String>]) {
    for r in rows {
        let Some(status) = Status::parse(&r[1]) else {
            continue;
        };
        let mark = Mark {
            status,
            minutes: r[2].parse().ok(),
        };
        standing.insert(
            r[0].clone(),
            Standing {
                mark,
                note: r[5].clone(),
            },
        );
    }
}

/// The standing rows to decide on under the lock: those read before it was
/// taken if the file has not changed since, else read again (another trainer
/// may have recorded meanwhile). `Err` is the exit code once the errors of a
/// log that no longer reads are shown.
fn under_lock(
    locked: &LockedEnd,
    before: log::Log,
    want: &log::Want<'_>,
) -> anyhow::Result<Result<HashMap<String, Standing>, u8>> {
    let stamp = locked.stamp().map_err(|e| {
        anyhow::Error::new(e).context(format!("nothing was written to {}", want.rel))
    })?;
    if before.stamp == Some(stamp) {
        return Ok(Ok(before.standing));
    }
    Ok(match log::read_file(locked.file(), want)? {
        Ok(log) => Ok(log.standing),
        Err(errors) => {
            refuse(&errors);
            Err(exit::FAILURE)
        }
    })
}

/// The rows to append (cells in `ATTENDANCE_FIELDS` order, `recorded_at`
/// left for the caller) and one line per participant saying what happens.
fn plan_rows(
    cohort: &Cohort,
    planned: &BTreeMap<usize, Planned>,
    standing: &HashMap<String, Standing>,
    note: &str,
    who: &str,
) -> (Vec<Vec<String>>, Vec<String>) {
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut unchanged = Vec::new();
    for (&p, plan) in planned {
        let id = &cohort.participants[p].id;
        let old = standing.get(id);
        let same = old.is_some_and(|s| {
            s.mark.status == plan.mark.status
                && (plan.mark.status != Status::Partial || s.mark.minutes == plan.mark.minutes)
                && (plan.mark.status != Status::Makeup || s.note == note)
        });
        if same {
            unchanged.push(id.as_str());
            continue;
        }
        lines.push(match old {
            Some(s) => format!(
                "  {id}: {} → {} (a correction; the earlier row stays as history)\n",
                describe(s.mark),
                describe(plan.mark)
            ),
            None => format!("  {id}: {}\n", describe(plan.mark)),
        });
        rows.push(vec![
            id.clone(),
            plan.mark.status.to_string(),
            plan.mark.minutes.map_or(String::new(), |m| m.to_string()),
            who.to_string(),
            String::new(),
            note.to_string(),
        ]);
    }
    if !unchanged.is_empty() {
        lines.push(format!(
            "  unchanged (already recorded so, nothing written for them): {}\n",
            unchanged.join(", ")
        ));
    }
    (rows, lines)
}

fn csv_line(cells: &[String]) -> anyhow::Result<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(cells)?;
    Ok(String::from_utf8(w.into_inner()?)?.trim_end().to_string())
}

/// Counts per status of this webinar, and who is at risk now.
fn summary(
    loaded: &Loaded,
    w: usize,
    after: &HashMap<String, Standing>,
    today: chrono::NaiveDate,
) -> String {
    let cohort = &loaded.data.cohort;
    let session = &cohort.sessions[w];
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unrecorded = Vec::new();
    let mut records = loaded.data.records.clone();
    for (p, participant) in cohort.participants.iter().enumerate() {
        let row = after.get(&participant.id);
        records.marks[p][w] = row.map(|s| s.mark);
        if participant.withdrawn.is_some_and(|d| session.date > d) {
            continue;
        }
        match row {
            Some(s) => *counts.entry(s.mark.status.as_str()).or_default() += 1,
            None => unrecorded.push(participant.id.as_str()),
        }
    }
    let order = Status::ALL.map(Status::as_str);
    let parts: Vec<String> = order
        .iter()
        .filter_map(|s| counts.get(s).map(|n| format!("{n} {s}")))
        .collect();
    let mut text = format!(
        "\nwebinar {}: {}",
        w + 1,
        if parts.is_empty() {
            "nothing recorded".to_string()
        } else {
            parts.join(", ")
        }
    );
    if !unrecorded.is_empty() {
        text += &format!("; not recorded yet: {}", unrecorded.join(", "));
    }
    text += "\n";
    let outcomes = rules::evaluate_cohort(&loaded.curriculum, cohort, &records, today);
    let at_risk: Vec<String> = cohort
        .participants
        .iter()
        .zip(&outcomes)
        .filter(|(p, o)| o.at_risk(p))
        .map(|(p, o)| {
            format!(
                "{} (webinar {})",
                p.id,
                o.missed
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    if at_risk.is_empty() {
        text += "nobody is at risk\n";
    } else {
        text += &format!(
            "at risk (a missed webinar without make-up): {}\n",
            at_risk.join(", ")
        );
    }
    text
}

/// The checklist on a terminal: everyone starts present (or as they stand);
/// the trainer toggles the absent ones by number, then confirms.
fn interactive(
    ctx: &Ctx,
    args: &Args,
    loaded: &Loaded,
    want: &log::Want<'_>,
    before: log::Log,
) -> anyhow::Result<u8> {
    let rel = want.rel;
    let cohort = &loaded.data.cohort;
    let w = args.webinar as usize - 1;
    let session = &cohort.sessions[w];
    if session.date > ctx.today && !args.force {
        crate::usage!(
            "webinar {} is on {}, after today ({}); attendance is recorded once the session is held",
            args.webinar,
            session.date,
            ctx.today
        );
    }
    let standing = &before.standing;
    let people: Vec<usize> = (0..cohort.participants.len())
        .filter(|&p| cohort.participants[p].active_on(session.date))
        .collect();
    if people.is_empty() {
        crate::usage!(
            "cohort {} has nobody to mark for webinar {}",
            cohort.id,
            args.webinar
        );
    }
    // true = present. A standing absence starts absent; everything else present.
    let mut present: Vec<bool> = people
        .iter()
        .map(|&p| {
            standing
                .get(&cohort.participants[p].id)
                .is_none_or(|s| s.mark.status != Status::Absent)
        })
        .collect();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut read = |prompt: &str| -> anyhow::Result<Option<String>> {
        out(prompt)?;
        let mut line = String::new();
        Ok(match input.read_line(&mut line)? {
            0 => None,
            _ => Some(line.trim().to_string()),
        })
    };
    let cancelled = || -> anyhow::Result<u8> {
        out("\ncancelled; nothing was written\n")?;
        Ok(exit::FAILURE)
    };
    let mut message = String::new();
    loop {
        let mut text = format!(
            "\nwebinar {} ({}) of cohort {}: who attended?\n",
            args.webinar, session.date, cohort.id
        );
        for (i, &p) in people.iter().enumerate() {
            let participant = &cohort.participants[p];
            let now = standing.get(&participant.id).map_or(String::new(), |s| {
                format!("   (recorded: {})", describe(s.mark))
            });
            text += &format!(
                "  {:>2} [{}] {:<5} {}{now}\n",
                i + 1,
                if present[i] { "x" } else { " " },
                participant.id,
                participant.name
            );
        }
        text += &message;
        text += "type the numbers (or ids) of people to switch between present [x] and absent [ ], e.g. 3 7; press Enter when the list is right, q to quit: ";
        let Some(line) = read(&text)? else {
            return cancelled();
        };
        if line.is_empty() {
            break;
        }
        if line.eq_ignore_ascii_case("q") {
            return cancelled();
        }
        message.clear();
        for word in line
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
        {
            let index = word
                .parse::<usize>()
                .ok()
                .filter(|&i| (1..=people.len()).contains(&i))
                .map(|i| i - 1)
                .or_else(|| {
                    people
                        .iter()
                        .position(|&p| cohort.participants[p].id == word)
                });
            match index {
                Some(i) => present[i] = !present[i],
                None => {
                    message += &format!(
                        "  \"{word}\" is not a number from 1 to {} nor an id on the list\n",
                        people.len()
                    )
                }
            }
        }
    }
    let mut planned = BTreeMap::new();
    for (i, &p) in people.iter().enumerate() {
        let status = if present[i] {
            Status::Present
        } else {
            Status::Absent
        };
        let current = standing.get(&cohort.participants[p].id);
        // A standing partial or excused is kept unless switched to absent.
        // A make-up is never undone from the checklist (--force with --absent does that).
        let keep = current.is_some_and(|s| {
            s.mark.status == Status::Makeup
                || (matches!(s.mark.status, Status::Partial | Status::Excused) && present[i])
        });
        if !keep {
            planned.insert(
                p,
                Planned {
                    mark: Mark {
                        status,
                        minutes: None,
                    },
                    source: "the checklist",
                },
            );
        }
    }
    let who = change::recorder(args.by.as_deref())?;
    let (rows, lines) = plan_rows(cohort, &planned, standing, "", &who);
    let absent: Vec<&str> = people
        .iter()
        .zip(&present)
        .filter(|(_, p)| !**p)
        .map(|(&p, _)| cohort.participants[p].id.as_str())
        .collect();
    let mut text = format!(
        "\n{} present, {} absent{}\n",
        people.len() - absent.len(),
        absent.len(),
        if absent.is_empty() {
            String::new()
        } else {
            format!(" ({})", absent.join(", "))
        }
    );
    text += &lines.join("");
    if rows.is_empty() {
        out(&format!(
            "{text}everything is recorded like this already; nothing was written\n"
        ))?;
        return Ok(exit::SUCCESS);
    }
    if args.dry_run {
        out(&format!("{text}dry run: nothing was written\n"))?;
        return Ok(exit::SUCCESS);
    }
    let Some(answer) = read(&format!(
        "{text}write {} to {rel}? [y/N] ",
        plural_rows(rows.len())
    ))?
    else {
        return cancelled();
    };
    if !matches!(answer.to_lowercase().as_str(), "y" | "yes") {
        return cancelled();
    }
    let mut log = LockedEnd::open(&ctx.root.path(rel))
        .map_err(|e| anyhow::Error::new(e).context(format!("nothing was written to {rel}")))?;
    let mut after = match under_lock(&log, before, want)? {
        Ok(standing) => standing,
        Err(code) => return Ok(code),
    };
    let (mut rows, _) = plan_rows(cohort, &planned, &after, "", &who);
    let stamp = change::now_rfc3339();
    for r in &mut rows {
        r[4] = stamp.clone();
    }
    log.append(ATTENDANCE_FIELDS, &rows)
        .map_err(|e| anyhow::Error::new(e).context(format!("nothing was written to {rel}")))?;
    drop(log);
    apply(&mut after, &rows);
    out(&format!(
        "{} written to {rel}\n{}",
        plural_rows(rows.len()),
        summary(loaded, w, &after, ctx.today)
    ))?;
    Ok(exit::SUCCESS)
}
