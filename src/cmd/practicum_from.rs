//! `cohort practicum log COHORT --from FILE`: a whole practicum timesheet
//! (CSV or .xlsx, see [`crate::sheet`]) appended to `practicum.csv`.
//!
//! The timesheet is checked as a whole before a single row is written:
//! every row (participant, date, hours, kind, monitor), the 24 hours of a
//! day together with the rows the log already holds, and rows the log
//! already has (a timesheet imported twice). Then, under the log's lock,
//! the day sums and repeats are checked again against the log as it is
//! now, and all rows are appended in one write.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::error::Error;
use crate::exit;
use crate::load::{PRACTICUM_FIELDS, Root, map_header};
use crate::model::{Cohort, Hours, Kind as PracticumKind, PracticumRow};
use crate::rules;
use crate::sheet;
use crate::term;

use super::practicum::LogArgs;
use super::{Ctx, out, recording};

/// The values of one practicum row given on the command line that
/// [`LogArgs`] holds as options, once clap has made sure each is there.
pub struct Single<'a> {
    pub participant: &'a str,
    pub date: NaiveDate,
    pub hours: &'a str,
    pub monitor: &'a str,
}

impl LogArgs {
    /// The row of a `practicum log` without `--from`.
    pub fn single(&self) -> anyhow::Result<Single<'_>> {
        let (Some(participant), Some(date), Some(hours), Some(monitor)) = (
            self.participant.as_deref(),
            self.date,
            self.hours.as_deref(),
            self.monitor.as_deref(),
        ) else {
            crate::usage!(
                "practicum log needs PARTICIPANT, --date, --hours and --monitor, or --from FILE for a whole timesheet"
            );
        };
        Ok(Single {
            participant,
            date,
            hours,
            monitor,
        })
    }
}

/// A timesheet row that passed every check on its own.
struct Entry {
    at: usize,
    p: usize,
    date: NaiveDate,
    hours: Hours,
    kind: PracticumKind,
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
        PracticumKind::parse(cells[3])
            .unwrap_or(PracticumKind::Support)
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
    recording::each_row(text, PRACTICUM_FIELDS, |c| {
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
    let loaded = recording::load_for_change(ctx, &args.cohort, &[&rel])?;
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
    let sheet = Sheet {
        today: ctx.today,
        loaded: &loaded,
        table: &table,
        columns: &columns,
        rel: &rel,
        existing: log_rows(&existing_text).0,
    };
    let entries = sheet.entries(&mut diags);
    if diags.has_errors() {
        return refuse(&diags, &table.shown, &rel);
    }
    if entries.is_empty() {
        crate::usage!(
            "{} has no rows below its header; nothing was written to {rel}",
            table.shown
        );
    }
    sheet.warn_not_counting(&entries, &mut diags);
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
    append(ctx, &rel, &entries, &records)?;
    out(&sheet.summary(&entries))?;
    let withdrawn: BTreeSet<usize> = entries.iter().map(|e| e.p).collect();
    for part in withdrawn.iter().map(|&p| &cohort.participants[p]) {
        if let Some(date) = part.withdrawn {
            term::eprint(&format!(
                "cohort: warning: {} withdrew on {date}; their outcome stays Incomplete\n",
                part.id
            ));
        }
    }
    Ok(exit::SUCCESS)
}

/// A timesheet being checked against the cohort and its log.
struct Sheet<'a> {
    today: NaiveDate,
    loaded: &'a recording::Loaded,
    table: &'a sheet::Table,
    columns: &'a [Option<usize>],
    rel: &'a str,
    /// The keys of the rows the log holds.
    existing: HashSet<Key>,
}

impl Sheet<'_> {
    /// An error about the cell of field `f` (of [`PRACTICUM_FIELDS`]) of the
    /// row at `at`.
    fn error<'d>(
        &self,
        kind: Kind,
        diags: &'d mut Diagnostics,
        at: usize,
        f: usize,
        message: impl Into<String>,
    ) -> &'d mut Diagnostic {
        self.table.error(kind, diags, at, self.columns[f], message)
    }

    /// The rows that pass every check; the problems of the others go into `diags`.
    fn entries(&self, diags: &mut Diagnostics) -> Vec<Entry> {
        // Hours per participant and day: the log's, then the timesheet's.
        let mut days: HashMap<(usize, NaiveDate), (Hours, Hours)> = HashMap::new();
        let mut seen: HashMap<Key, usize> = HashMap::new();
        let mut entries = Vec::new();
        for (at, record) in &self.table.rows {
            let cells: Vec<&str> = (0..PRACTICUM_FIELDS.len())
                .map(|f| {
                    self.columns[f]
                        .and_then(|c| record.get(c))
                        .map_or("", |c| c.as_str())
                })
                .collect();
            if let Some(e) = self.entry(*at, &cells, diags)
                && self.fresh(&e, &mut seen, diags)
                && self.within_a_day(&e, &mut days, diags)
            {
                entries.push(e);
            }
        }
        entries
    }

    /// The row at `at` when each of its cells reads.
    fn entry(&self, at: usize, cells: &[&str], diags: &mut Diagnostics) -> Option<Entry> {
        let table = self.table;
        let (date_text, kind_text, monitor) = (cells[1], cells[3], cells[4]);
        // In a `;` file a comma cannot part cells: `2,5` is the decimal
        // comma of the spreadsheet's language, and is written `2.5`.
        let hours_text = decimal_point(cells[2], table.sep);
        let p = self.participant(at, cells[0], diags);
        let date = self.date(at, date_text, diags);
        let hours = Hours::parse(&hours_text)
            .map_err(|e| self.error(Kind::BadHours, diags, at, 2, e))
            .ok();
        // An empty kind is support.
        let kind = PracticumKind::parse(kind_text);
        if kind.is_none() {
            let message =
                format!("kind \"{kind_text}\" is not one of support, supervision, training, other");
            self.error(Kind::BadPracticumKind, diags, at, 3, message)
                .help("leave it empty for support");
        }
        let lost = sheet::lost_letters(monitor);
        if lost {
            let message =
                format!("the monitor's name \"{monitor}\" has \"?\" where letters were lost");
            self.error(Kind::LostLetters, diags, at, 4, message)
                .help(table.lost_letters_help());
        }
        let (Some(p), Some(date), Some(hours), Some(kind), false) = (p, date, hours, kind, lost)
        else {
            return None;
        };
        let id = self.loaded.data.cohort.participants[p].id.clone();
        let cells = vec![
            id,
            date.to_string(),
            hours_text,
            kind.as_str().to_string(),
            monitor.to_string(),
            cells[5].to_string(),
        ];
        Some(Entry {
            at,
            p,
            date,
            hours,
            kind,
            cells,
        })
    }

    /// The participant with id `id`, or an error with the ids there are.
    fn participant(&self, at: usize, id: &str, diags: &mut Diagnostics) -> Option<usize> {
        let cohort = &self.loaded.data.cohort;
        let p = cohort.participant_index(id);
        if p.is_some() {
            return p;
        }
        if id.is_empty() {
            self.error(Kind::EmptyParticipant, diags, at, 0, "participant is empty")
                .help("every row names a participant id, e.g. p01");
            return None;
        }
        let by_name = cohort
            .participants
            .iter()
            .find(|q| q.name.to_lowercase() == id.to_lowercase());
        let message = format!(
            "unknown participant \"{id}\"; cohort {} has {}",
            cohort.id,
            id_list(cohort)
        );
        let d = self.error(Kind::UnknownParticipant, diags, at, 0, message);
        match by_name {
            Some(q) => d.help(format!(
                "the participant column holds ids: write {} for {}",
                q.id, q.name
            )),
            None => d.help("fix the id, or enrol them first (`cohort enroll`)"),
        };
        None
    }

    /// The date of a row: YYYY-MM-DD, not in the future ([`crate::clock`]).
    fn date(&self, at: usize, text: &str, diags: &mut Diagnostics) -> Option<NaiveDate> {
        let Some(date) = crate::model::parse_ymd(text) else {
            let message = format!("date \"{text}\" is not a date like 2025-02-14 (YYYY-MM-DD)");
            self.error(Kind::BadDate, diags, at, 1, message)
                .help("spreadsheets may reformat dates; format the column as YYYY-MM-DD");
            return None;
        };
        let tz = &self.loaded.data.cohort.timezone;
        if let Some(why) = crate::clock::in_the_future(date, self.today, tz) {
            self.error(Kind::FutureDate, diags, at, 1, format!("date {date} {why}"))
                .help("log practicum hours once they are done");
            return None;
        }
        Some(date)
    }

    /// Not a row the log has already (an error), and a warning when it
    /// repeats a row of the timesheet.
    fn fresh(&self, e: &Entry, seen: &mut HashMap<Key, usize>, diags: &mut Diagnostics) -> bool {
        let key = key_of(&e.cells.iter().map(String::as_str).collect::<Vec<_>>());
        if self.existing.contains(&key) {
            let message = format!(
                "{} already has this row ({} h of {} on {}, same kind, monitor and note): was this timesheet logged before?",
                self.rel, e.hours, e.cells[0], e.date
            );
            self.table
                .error(Kind::AlreadyLogged, diags, e.at, None, message)
                .help("leave out the rows already logged; if these are new hours, tell them apart with a note");
            return false;
        }
        if let Some(first) = seen.insert(key, e.at) {
            let message = format!(
                "this row repeats {} {first}: both are logged",
                self.table.unit()
            );
            self.table.warning(Kind::RepeatedRow, diags, e.at, message);
        }
        true
    }

    /// The day's hours, the log's and the timesheet's so far, stay within 24.
    fn within_a_day(
        &self,
        e: &Entry,
        days: &mut HashMap<(usize, NaiveDate), (Hours, Hours)>,
        diags: &mut Diagnostics,
    ) -> bool {
        let day = days.entry((e.p, e.date)).or_insert_with(|| {
            let logged = self.loaded.data.records.practicum[e.p]
                .iter()
                .filter(|r| r.date == e.date);
            (crate::model::net_hours(logged), Hours::default())
        });
        day.1 = day.1 + e.hours;
        if crate::rules::fits_in_a_day(day.0 + day.1) {
            return true;
        }
        let message = format!(
            "{} would have {} h on {} ({} h already in {}, {} h in this timesheet so far); one day holds at most 24",
            e.cells[0],
            day.0 + day.1,
            e.date,
            day.0,
            self.rel,
            day.1
        );
        self.error(Kind::Over24Hours, diags, e.at, 2, message)
            .help("check the hours and the date of this row and the others of that day");
        false
    }

    /// What will not count is said before anything is written.
    fn warn_not_counting(&self, entries: &[Entry], diags: &mut Diagnostics) {
        let Some(last) = self.loaded.data.cohort.last_session() else {
            return;
        };
        for e in entries {
            if let Err(why) = rules::counts(&e.row(), last) {
                let message = format!("{} h of {} will not count: {why}", e.hours, e.cells[0]);
                self.table.warning(Kind::NotCounted, diags, e.at, message);
            }
        }
    }

    /// What was logged, per participant, with their counted hours now.
    fn summary(&self, entries: &[Entry]) -> String {
        let (loaded, cohort) = (self.loaded, &self.loaded.data.cohort);
        let total: Hours = entries.iter().map(|e| e.hours).sum();
        let mut text = format!(
            "logged {} rows ({total} h) from {} in {}:\n",
            entries.len(),
            self.table.shown,
            self.rel
        );
        let ps: BTreeSet<usize> = entries.iter().map(|e| e.p).collect();
        for p in ps {
            let mine: Vec<&Entry> = entries.iter().filter(|e| e.p == p).collect();
            let hours: Hours = mine.iter().map(|e| e.hours).sum();
            let participant = &cohort.participants[p];
            // The timesheet's rows are never reversing ones; the log's may
            // be, and `counted_hours` takes them away.
            let new: Vec<PracticumRow> = mine.iter().map(|e| e.row()).collect();
            let counted = cohort.last_session().map_or(Hours::default(), |last| {
                rules::counted_hours(loaded.data.records.practicum[p].iter().chain(&new), last)
            });
            text += &format!(
                "  {}  {}: {} {}, {hours} h; now {counted} of {} h counted\n",
                participant.id,
                participant.name,
                mine.len(),
                if mine.len() == 1 { "row" } else { "rows" },
                loaded.curriculum.required_hours
            );
        }
        text
    }
}

impl Entry {
    fn row(&self) -> PracticumRow {
        PracticumRow {
            line: 0,
            date: self.date,
            hours: self.hours,
            kind: self.kind,
            monitor: self.cells[4].as_str().into(),
            reversal: None,
        }
    }
}

/// Appends the rows under the log's lock, once the day sums and repeats are
/// checked again against the log as it is now (other recordings may have
/// logged hours meanwhile).
fn append(ctx: &Ctx, rel: &str, entries: &[Entry], records: &[Vec<String>]) -> anyhow::Result<()> {
    super::practicum::append_rows(ctx, rel, records, |text| {
        let (now_keys, now_days) = log_rows(text);
        let mut sheet_days: HashMap<(String, String), Hours> = HashMap::new();
        for e in entries {
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
        Ok(())
    })
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
    let n = diags.errors();
    let closing = format!(
        "{n} {} in {shown}; nothing was written to {rel}",
        if n == 1 { "problem" } else { "problems" }
    );
    Err(Error::refused_with(diags.clone(), closing).into())
}
