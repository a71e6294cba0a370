//! `cohort attend`: records who attended one webinar — from flags, from a
//! meeting report, or from a checklist on a terminal — as rows appended to
//! `attendance/NN.csv`.
//!
//! The log is read for the standing row of each participant (the `log` module): a
//! long one from its end, so that recording costs the same however long the
//! log has grown. It is read before the lock (the checklist may wait on a
//! person) and used again under it only if the file has not changed.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::diag::did_you_mean;
use crate::exit;
use crate::load::{ATTENDANCE_FIELDS, Root};
use crate::model::{Cohort, Mark, Status};
use crate::rules;
use crate::term;
use crate::write::LockedEnd;

use super::recording::{self, Loaded};
use super::{Ctx, out, refuse};

mod checklist;
mod guest;
mod log;
mod report;

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

/// `attend --format json` (docs/json.md).
#[derive(serde::Serialize)]
struct AttendJson<'a> {
    dry_run: bool,
    cohort: &'a str,
    webinar: u32,
    file: &'a str,
    /// The rows appended (or that would be).
    rows: Vec<RowJson<'a>>,
    /// What changed for whom, in words.
    changes: Vec<String>,
}

/// One attendance row, with the file's column names.
#[derive(serde::Serialize)]
struct RowJson<'a> {
    participant: &'a str,
    status: &'a str,
    minutes: Option<u32>,
    recorded_by: &'a str,
    recorded_at: &'a str,
    note: &'a str,
}

fn attend_json(
    args: &Args,
    file: &str,
    rows: &[Vec<String>],
    lines: &[String],
) -> anyhow::Result<String> {
    super::json(&AttendJson {
        dry_run: args.dry_run,
        cohort: &args.cohort,
        webinar: args.webinar,
        file,
        rows: rows
            .iter()
            .map(|r| RowJson {
                participant: &r[0],
                status: &r[1],
                minutes: r[2].parse().ok(),
                recorded_by: &r[3],
                recorded_at: &r[4],
                note: &r[5],
            })
            .collect(),
        changes: lines.iter().map(|l| l.trim().to_string()).collect(),
    })
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
            return Err(refuse(&errors));
        }
    };
    if args.note.as_deref().is_some_and(|n| n.trim().is_empty()) {
        crate::usage!(
            "--note is empty; say where and when the webinar was made up, or leave --note out"
        );
    }

    let mut errors: Vec<String> = Vec::new();
    let mut planned = explicit_marks(args, cohort, curriculum.session_minutes, &mut errors);
    let resting = matches!(args.rest, Some(Rest::Absent | Rest::Present));
    let no_marks = planned.is_empty() && args.from_zoom.is_none() && !resting;
    if no_marks && errors.is_empty() {
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            return checklist::run(ctx, args, &loaded, &want, read);
        }
        crate::usage!(
            "say who attended webinar {}: --present IDS, --absent IDS, --excused IDS, --partial ID=MIN, --makeup ID=NOTE, --rest present|absent, or --from-report FILE (on a terminal, with no marks, a checklist opens)",
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
        let (marks, report) = report::from_report(ctx, cohort, session, &how)?;
        for (p, mark) in marks {
            planned.entry(p).or_insert(Planned {
                mark,
                source: "the report",
                note: String::new(),
            });
        }
        zoom_text = report;
    }

    let standing = &read.standing;
    let rest = match args.rest {
        Some(Rest::Absent) => Some((Status::Absent, "--rest absent")),
        Some(Rest::Present) => Some((Status::Present, "--rest present")),
        Some(Rest::None) | None => None,
    };
    if let Some((status, source)) = rest {
        for p in (0..cohort.participants.len()).filter(|&p| active(p)) {
            if !standing.contains_key(&cohort.participants[p].id) {
                planned.entry(p).or_insert(Planned {
                    mark: Mark {
                        status,
                        minutes: None,
                    },
                    source,
                    note: String::new(),
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

    let as_json = args.format == super::TextFormat::Json;
    if !zoom_text.is_empty() {
        if as_json {
            term::eprint(&zoom_text);
        } else {
            out(&zoom_text)?;
        }
    }
    let marked: Vec<&str> = planned
        .keys()
        .map(|&p| cohort.participants[p].id.as_str())
        .collect();
    loaded.show_warnings_and(&read.warnings, &marked, Some(args.webinar), &[&rel]);
    let who = recording::recorder(args.by.as_deref())?;
    let rows = |standing: &HashMap<String, Standing>| plan_rows(cohort, &planned, standing, &who);
    if args.dry_run {
        let (mut rows, lines) = rows(standing);
        let stamp = recording::now_rfc3339();
        for r in &mut rows {
            r[4] = stamp.clone();
        }
        if as_json {
            out(&attend_json(args, &rel, &rows, &lines)?)?;
            return Ok(exit::SUCCESS);
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
    let mut standing = under_lock(&log, read, &want)?;
    let (mut rows, lines) = rows(&standing);
    let stamp = recording::now_rfc3339();
    for r in &mut rows {
        r[4] = stamp.clone();
    }
    log.append(ATTENDANCE_FIELDS, &rows)
        .map_err(|e| anyhow::Error::new(e).context(format!("nothing was written to {rel}")))?;
    drop(log);
    apply(&mut standing, &rows);
    let after = standing;
    if as_json {
        out(&attend_json(args, &rel, &rows, &lines)?)?;
        return Ok(exit::SUCCESS);
    }

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
///
/// A flag's value is a list of ids (`p01,p02`) or one `ID=NOTE`: the note
/// goes on that person's row only. `--note` is the note of the `--makeup`
/// ids given without one.
fn explicit_marks(
    args: &Args,
    cohort: &Cohort,
    session_minutes: u32,
    errors: &mut Vec<String>,
) -> BTreeMap<usize, Planned> {
    let mut planned: BTreeMap<usize, Planned> = BTreeMap::new();
    let mut give =
        |id: &str, mark: Mark, note: String, source: &'static str, errors: &mut Vec<String>| {
            let Some(p) = cohort.participant_index(id) else {
                let hint = match did_you_mean(id, cohort.participants.iter().map(|p| p.id.as_str()))
                {
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
                Some(other) if other.note != note => errors.push(format!(
                    "{id} is given two notes: \"{}\" and \"{note}\"; give one",
                    other.note
                )),
                _ => {
                    planned.insert(p, Planned { mark, source, note });
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
    let shared_note = args.note.as_deref().map(str::trim).unwrap_or("");
    let mut shared_note_used = false;
    let simple = [
        (&args.present, Status::Present, "--present"),
        (&args.absent, Status::Absent, "--absent"),
        (&args.excused, Status::Excused, "--excused"),
        (&args.makeup, Status::Makeup, "--makeup"),
    ];
    for (list, status, source) in simple {
        let mark = Mark {
            status,
            minutes: None,
        };
        for value in list {
            if let Some((id, note)) = value.split_once('=') {
                let (id, note) = (id.trim(), note.trim());
                if id.contains(',') {
                    errors.push(format!(
                        "{source} \"{value}\": a note is for one person; write {source} ID=NOTE once per person, e.g. {source} p08=\"called in sick\""
                    ));
                } else if note.is_empty() {
                    errors.push(format!(
                        "{source} {id}= has an empty note; write the note after = (e.g. {source} {id}=\"called in sick\") or leave out ="
                    ));
                } else {
                    give(id, mark, note.to_string(), source, errors);
                }
                continue;
            }
            for id in ids(std::slice::from_ref(value)) {
                let note = if status == Status::Makeup {
                    if shared_note.is_empty() {
                        errors.push(format!(
                            "--makeup {id} needs a note saying where and when it was made up: --makeup {id}=\"with 2025-winter on 2025-01-21\" (or --note TEXT for it)"
                        ));
                        continue;
                    }
                    shared_note_used = true;
                    shared_note.to_string()
                } else {
                    String::new()
                };
                give(&id, mark, note, source, errors);
            }
        }
    }
    if !shared_note.is_empty() && !shared_note_used {
        errors.push(
            "--note is the note of the --makeup ids given without one of their own, and there are none; for a note on one person's row write ID=NOTE (e.g. --excused p08=\"called in sick\")".to_string(),
        );
    }
    for item in ids(&args.partial) {
        let Some((id, min)) = item.split_once('=') else {
            errors.push(format!(
                "--partial \"{item}\" needs the minutes: write ID=MIN, e.g. --partial {item}=95"
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
                String::new(),
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
/// may have recorded meanwhile), or the refusal listing the errors of a log
/// that no longer reads.
fn under_lock(
    locked: &LockedEnd,
    before: log::Log,
    want: &log::Want<'_>,
) -> anyhow::Result<HashMap<String, Standing>> {
    let stamp = locked.stamp().map_err(|e| {
        anyhow::Error::new(e).context(format!("nothing was written to {}", want.rel))
    })?;
    if before.stamp == Some(stamp) {
        return Ok(before.standing);
    }
    match log::read_file(locked.file(), want)? {
        Ok(log) => Ok(log.standing),
        Err(errors) => Err(refuse(&errors)),
    }
}

/// The rows to append (cells in `ATTENDANCE_FIELDS` order, `recorded_at`
/// left for the caller) and one line per participant saying what happens.
fn plan_rows(
    cohort: &Cohort,
    planned: &BTreeMap<usize, Planned>,
    standing: &HashMap<String, Standing>,
    who: &str,
) -> (Vec<Vec<String>>, Vec<String>) {
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
        lines.push(match old {
            Some(s) => format!(
                "  {id}: {} → {} (a correction; the earlier row stays as history)\n",
                describe(s.mark),
                describe(plan.mark)
            ),
            None => format!("  {id}: {}\n", describe(plan.mark)),
        });
        if !note.is_empty() {
            let line = lines.last_mut().expect("pushed above");
            line.insert_str(line.len() - 1, &format!(" \"{note}\""));
        }
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
