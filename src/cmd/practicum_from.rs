//! `cohort practicum log COHORT --from FILE`: a whole practicum timesheet
//! (CSV or .xlsx, see [`crate::sheet`]) appended to `practicum.csv`.
//!
//! The timesheet is checked as a whole before a single row is written:
//! every row (participant, date, hours, kind, monitor), the 24 hours of a
//! day together with the rows the log already holds, and rows the log
//! already has (a timesheet imported twice). Then, under the log's lock,
//! the day sums and repeats are checked again against the log as it is
//! now, and all rows are appended in one write.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

use crate::diag::Diagnostics;
use crate::exit;
use crate::load::{PRACTICUM_FIELDS, Root, map_header};
use crate::model::{Cohort, Hours, Kind, PracticumRow};
use crate::rules;
use crate::sheet;
use crate::term;
use crate::write::LockedLog;

use super::practicum::LogArgs;
use super::{Ctx, change, out};

/// One practicum row given on the command line, as [`LogArgs`] holds it
/// once clap has made sure every value is there.
pub struct Single {
    pub cohort: String,
    pub participant: String,
    pub date: NaiveDate,
    pub hours: String,
    pub monitor: String,
    pub kind: String,
    pub note: Option<String>,
    pub dry_run: bool,
}

impl LogArgs {
    /// The row of a `practicum log` without `--from`.
    pub fn single(&self) -> anyhow::Result<Single> {
        let (Some(participant), Some(date), Some(hours), Some(monitor)) = (
            self.participant.clone(),
            self.date,
            self.hours.clone(),
            self.monitor.clone(),
        ) else {
            crate::usage!(
                "practicum log needs PARTICIPANT, --date, --hours and --monitor, or --from FILE for a whole timesheet"
            );
        };
        Ok(Single {
            cohort: self.cohort.clone(),
            participant,
            date,
            hours,
            monitor,
            kind: self.kind.clone(),
            note: self.note.clone(),
            dry_run: self.dry_run,
        })
    }
}

/// A timesheet row that passed every check on its own.
struct Entry {
    at: usize,
    p: usize,
    date: NaiveDate,
    hours: Hours,
    kind: Kind,
    /// The cells to append, in [`PRACTICUM_FIELDS`] order.
    cells: Vec<String>,
}

/// What tells one row from another: a row equal in all of it to one the
/// log already holds is most likely the same hours imported again.
type Key = (String, String, u64, String, String, String);

fn key_of(cells: &[&str]) -> Key {
    (
        cells[0].to_string(),
        cells[1].to_string(),
        Hours::parse(cells[2]).map_or(0, |h| h.seconds),
        Kind::parse(cells[3])
            .unwrap_or(Kind::Support)
            .as_str()
            .to_string(),
        cells[4].to_string(),
        cells[5].to_string(),
    )
}

/// The rows of a practicum log's text: their keys, and hours per
/// participant id and date (rows that do not read are left to `check`).
fn log_rows(text: &str) -> (HashSet<Key>, HashMap<(String, String), Hours>) {
    let mut keys = HashSet::new();
    let mut days: HashMap<(String, String), Hours> = HashMap::new();
    change::each_row(text, PRACTICUM_FIELDS, |c| {
        let cells: Vec<&str> = (0..PRACTICUM_FIELDS.len()).map(|f| c.get(f)).collect();
        keys.insert(key_of(&cells));
        let day = days
            .entry((cells[0].to_string(), cells[1].to_string()))
            .or_default();
        // A reversing row (negative hours) takes its hours away.
        *day = match cells[2].strip_prefix('-') {
            Some(magnitude) => *day - Hours::parse(magnitude).unwrap_or_default(),
            None => *day + Hours::parse(cells[2]).unwrap_or_default(),
        };
    });
    (keys, days)
}

fn id_list(cohort: &Cohort) -> String {
    let mut ids: Vec<&str> = cohort.participants.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    match ids.as_slice() {
        [] => "no participants yet".to_string(),
        ids if ids.len() <= 4 => ids.join(", "),
        ids => format!("{}..{}", ids[0], ids[ids.len() - 1]),
    }
}

pub fn run(ctx: &Ctx, args: &LogArgs, from: &Path) -> anyhow::Result<u8> {
    let rel = Root::practicum_csv(&args.cohort);
    let loaded = match change::load_for_change(ctx, &args.cohort, &[&rel])? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let cohort = &loaded.data.cohort;
    let mut diags = Diagnostics::default();
    let table = sheet::read(from, "timesheet", &mut diags)?;
    let Some(columns) = map_header(
        &table.shown,
        table.header.iter().cloned(),
        &table.header_text,
        PRACTICUM_FIELDS,
        &["participant", "date", "hours"],
        &mut diags,
    ) else {
        return refuse(&diags, &table.shown, &rel);
    };
    let existing_text = std::fs::read_to_string(ctx.root.path(&rel)).unwrap_or_default();
    let (existing, _) = log_rows(&existing_text);
    // Hours per participant and day: the log's, then the timesheet's.
    let mut days: HashMap<(usize, NaiveDate), (Hours, Hours)> = HashMap::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for (at, record) in &table.rows {
        let at = *at;
        let cell = |f: usize| {
            columns[f]
                .and_then(|c| record.get(c))
                .map_or("", |c| c.as_str())
        };
        let (id, date_text, hours_text, kind_text, monitor, note) =
            (cell(0), cell(1), cell(2), cell(3), cell(4), cell(5));
        // In a `;` file a comma cannot part cells: `2,5` is the decimal
        // comma of the spreadsheet's language, and is written `2.5`.
        let hours_text = decimal_point(hours_text, table.sep);
        let hours_text = hours_text.as_str();
        let mut ok = true;
        let p = cohort.participant_index(id);
        if p.is_none() {
            ok = false;
            if id.is_empty() {
                table
                    .error_in(&mut diags, at, columns[0], "participant is empty")
                    .help("every row names a participant id, e.g. p01");
            } else {
                let by_name = cohort
                    .participants
                    .iter()
                    .find(|q| q.name.to_lowercase() == id.to_lowercase());
                let d = table.error_in(
                    &mut diags,
                    at,
                    columns[0],
                    format!(
                        "unknown participant \"{id}\"; cohort {} has {}",
                        cohort.id,
                        id_list(cohort)
                    ),
                );
                match by_name {
                    Some(q) => d.help(format!(
                        "the participant column holds ids: write {} for {}",
                        q.id, q.name
                    )),
                    None => d.help("fix the id, or enrol them first (`cohort enroll`)"),
                };
            }
        }
        let date = crate::model::parse_ymd(date_text);
        match date {
            None => {
                ok = false;
                table
                    .error_in(
                        &mut diags,
                        at,
                        columns[1],
                        format!("date \"{date_text}\" is not a date like 2025-02-14 (YYYY-MM-DD)"),
                    )
                    .help("spreadsheets may reformat dates; format the column as YYYY-MM-DD");
            }
            Some(d) if d > ctx.today => {
                ok = false;
                table
                    .error_in(
                        &mut diags,
                        at,
                        columns[1],
                        format!("date {d} is in the future (today is {})", ctx.today),
                    )
                    .help("log practicum hours once they are done");
            }
            Some(_) => {}
        }
        let hours = match Hours::parse(hours_text) {
            Ok(h) => Some(h),
            Err(e) => {
                ok = false;
                table.error_in(&mut diags, at, columns[2], e);
                None
            }
        };
        let kind = if kind_text.is_empty() {
            Some(Kind::Support)
        } else {
            Kind::parse(kind_text)
        };
        if kind.is_none() {
            ok = false;
            table
                .error_in(
                    &mut diags,
                    at,
                    columns[3],
                    format!(
                        "kind \"{kind_text}\" is not one of support, supervision, training, other"
                    ),
                )
                .help("leave it empty for support");
        }
        if sheet::lost_letters(monitor) {
            ok = false;
            table
                .error_in(
                    &mut diags,
                    at,
                    columns[4],
                    format!("the monitor's name \"{monitor}\" has \"?\" where letters were lost"),
                )
                .help(table.lost_letters_help());
        }
        let (Some(p), Some(date), Some(hours), Some(kind), true) = (p, date, hours, kind, ok)
        else {
            continue;
        };
        let cells = vec![
            cohort.participants[p].id.clone(),
            date.to_string(),
            hours_text.to_string(),
            kind.as_str().to_string(),
            monitor.to_string(),
            note.to_string(),
        ];
        let key = key_of(&cells.iter().map(String::as_str).collect::<Vec<_>>());
        if existing.contains(&key) {
            table
                .error(
                    &mut diags,
                    at,
                    format!(
                        "{rel} already has this row ({} h of {} on {date}, same kind, monitor and note): was this timesheet logged before?",
                        hours, cells[0]
                    ),
                )
                .help("leave out the rows already logged; if these are new hours, tell them apart with a note");
            continue;
        }
        if let Some(first) = seen.insert(key, at) {
            table.warning(
                &mut diags,
                at,
                format!("this row repeats {} {first}: both are logged", table.unit()),
            );
        }
        let day = days.entry((p, date)).or_insert_with(|| {
            let logged = loaded.data.records.practicum[p]
                .iter()
                .filter(|r| r.date == date)
                .fold(Hours::default(), |sum, r| match r.reversal {
                    Some(_) => sum - r.hours,
                    None => sum + r.hours,
                });
            (logged, Hours::default())
        });
        day.1 = day.1 + hours;
        if !crate::rules::fits_in_a_day(day.0 + day.1) {
            table
                .error_in(
                    &mut diags,
                    at,
                    columns[2],
                    format!(
                        "{} would have {} h on {date} ({} h already in {rel}, {} h in this timesheet so far); one day holds at most 24",
                        cells[0],
                        day.0 + day.1,
                        day.0,
                        day.1
                    ),
                )
                .help("check the hours and the date of this row and the others of that day");
            continue;
        }
        entries.push(Entry {
            at,
            p,
            date,
            hours,
            kind,
            cells,
        });
    }
    if diags.has_errors() {
        return refuse(&diags, &table.shown, &rel);
    }
    if entries.is_empty() {
        crate::usage!(
            "{} has no rows below its header; nothing was written to {rel}",
            table.shown
        );
    }
    // What will not count is said before anything is written.
    if let Some(last) = cohort.last_session() {
        for e in &entries {
            let row = PracticumRow {
                line: 0,
                date: e.date,
                hours: e.hours,
                kind: e.kind,
                monitor: e.cells[4].as_str().into(),
                reversal: None,
            };
            if let Err(why) = rules::counts(&row, last) {
                table.warning(
                    &mut diags,
                    e.at,
                    format!("{} h of {} will not count: {why}", e.hours, e.cells[0]),
                );
            }
        }
    }
    let mut withdrawn: Vec<usize> = entries
        .iter()
        .map(|e| e.p)
        .filter(|&p| cohort.participants[p].withdrawn.is_some())
        .collect();
    withdrawn.sort_unstable();
    withdrawn.dedup();
    diags.print(term::stderr_color());
    let records: Vec<Vec<String>> = entries.iter().map(|e| e.cells.clone()).collect();
    if args.dry_run {
        let mut text = format!(
            "dry run: nothing was written; {rel} would get {} rows from {}:\n",
            records.len(),
            table.shown
        );
        for r in &records {
            text += &format!("  {}\n", r.join(","));
        }
        out(&text)?;
        return Ok(exit::SUCCESS);
    }
    let mut log = LockedLog::open(&ctx.root.path(&rel))
        .map_err(|e| anyhow::Error::new(e).context(format!("nothing was written to {rel}")))?;
    // Other recordings may have logged hours meanwhile: check again under the lock.
    let (now_keys, now_days) = log_rows(log.contents());
    let mut sheet_days: HashMap<(String, String), Hours> = HashMap::new();
    for e in &entries {
        let k = key_of(&e.cells.iter().map(String::as_str).collect::<Vec<_>>());
        if now_keys.contains(&k) {
            anyhow::bail!(
                "{rel} got the row of {} on {} meanwhile; nothing was written. Run the command again to see what is left",
                e.cells[0],
                e.date
            );
        }
        let day_key = (e.cells[0].clone(), e.cells[1].clone());
        let sum = sheet_days.entry(day_key.clone()).or_default();
        *sum = *sum + e.hours;
        let logged = now_days.get(&day_key).copied().unwrap_or_default();
        if !crate::rules::fits_in_a_day(logged + *sum) {
            anyhow::bail!(
                "{} now has {logged} h logged on {} (added meanwhile); the timesheet's {sum} h more would exceed 24 h. Nothing was written to {rel}",
                e.cells[0],
                e.date
            );
        }
    }
    log.append(PRACTICUM_FIELDS, &records)
        .map_err(|e| anyhow::Error::new(e).context(format!("nothing was written to {rel}")))?;
    drop(log);
    let total: Hours = entries.iter().map(|e| e.hours).sum();
    let mut text = format!(
        "logged {} rows ({total} h) from {} in {rel}:\n",
        entries.len(),
        table.shown
    );
    let mut ps: Vec<usize> = entries.iter().map(|e| e.p).collect();
    ps.sort_unstable();
    ps.dedup();
    for p in ps {
        let mine: Vec<&Entry> = entries.iter().filter(|e| e.p == p).collect();
        let hours: Hours = mine.iter().map(|e| e.hours).sum();
        let participant = &cohort.participants[p];
        let counted: Hours = match cohort.last_session() {
            Some(last) => {
                // The timesheet's rows are never reversing ones; the log's
                // may be, and `counted_hours` takes them away.
                let new: Vec<PracticumRow> = mine
                    .iter()
                    .map(|e| PracticumRow {
                        line: 0,
                        date: e.date,
                        hours: e.hours,
                        kind: e.kind,
                        monitor: e.cells[4].as_str().into(),
                        reversal: None,
                    })
                    .collect();
                rules::counted_hours(loaded.data.records.practicum[p].iter().chain(&new), last)
            }
            None => Hours::default(),
        };
        text += &format!(
            "  {}  {}: {} {}, {hours} h; now {counted} of {} h counted\n",
            participant.id,
            participant.name,
            mine.len(),
            if mine.len() == 1 { "row" } else { "rows" },
            loaded.curriculum.required_hours
        );
    }
    out(&text)?;
    for p in withdrawn {
        let part = &cohort.participants[p];
        term::eprint(&format!(
            "cohort: warning: {} withdrew on {}; their outcome stays Incomplete\n",
            part.id,
            part.withdrawn.expect("filtered")
        ));
    }
    Ok(exit::SUCCESS)
}

/// `2,5` as `2.5` in a `;`-separated timesheet; anything else as it is
/// (and `Hours::parse` explains a comma elsewhere).
fn decimal_point(hours: &str, sep: u8) -> String {
    let b = hours.as_bytes();
    let digits_comma_digits = b.iter().filter(|&&c| c == b',').count() == 1
        && b.iter().all(|c| c.is_ascii_digit() || *c == b',')
        && !b.starts_with(b",")
        && !b.ends_with(b",");
    if sep == b';' && digits_comma_digits {
        hours.replace(',', ".")
    } else {
        hours.to_string()
    }
}

fn refuse(diags: &Diagnostics, shown: &str, rel: &str) -> anyhow::Result<u8> {
    diags.print(term::stderr_color());
    let n = diags.errors();
    term::eprint(&format!(
        "cohort: {n} {} in {shown}; nothing was written to {rel}\n",
        if n == 1 { "problem" } else { "problems" }
    ));
    Ok(exit::FAILURE)
}
