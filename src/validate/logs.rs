//! Checks of the attendance logs and the practicum log over the parsed
//! rows ([`crate::load`] parses and locates them): what a row must hold
//! besides cells that parse, rows merged from two machines, sessions held
//! without a row, and the practicum rules a row is held to.

// foldhash, not std's SipHash: these maps take a key per row, and SipHash
// was a tenth of `report --all`; its seed is random, so a file cannot be
// made to collide on purpose.
use foldhash::{HashMap, HashMapExt as _};
use std::collections::hash_map::Entry;

use chrono::NaiveDate;

use crate::conflicts::{self, Overlap, Seen};
use crate::diag::{Diagnostics, Kind};
use crate::load::attendance::{F_ID, F_MINUTES, F_NOTE, F_STATUS};
use crate::load::{AttendanceEntry, LogFile, ParsedLog, Place, PracticumEntry, practicum as f};
use crate::model::{Cohort, Curriculum, Hours, Mark, Records, Status};
use crate::rules;

/// Checks the rows of one attendance log; `accepted[i]` says whether row
/// `i` of `log.entries` stands in the records.
pub fn attendance(
    log: &ParsedLog,
    curriculum: &Curriculum,
    cohort: &Cohort,
    webinar: u32,
    diags: &mut Diagnostics,
) -> Vec<bool> {
    let mut merged = Merged::new(cohort.participants.len());
    let mut accepted = vec![false; log.entries.len()];
    for (i, entry) in log.entries.iter().enumerate() {
        if !row_holds(log, entry, curriculum, cohort, webinar, diags) {
            continue;
        }
        accepted[i] = true;
        if let Some(at) = entry.recorded_at {
            let this = Seen {
                line: entry.at.line,
                at,
                by: entry.by,
                mark: entry.mark,
            };
            merged.add(log, entry, this, cohort, webinar, diags);
        }
        merged.standing[entry.participant] = Some(*entry);
    }
    merged.report(log, cohort, webinar, diags);
    accepted
}

/// The checks of one row on its own; `false` (an error recorded) when it
/// cannot stand.
fn row_holds(
    log: &ParsedLog,
    entry: &AttendanceEntry,
    curriculum: &Curriculum,
    cohort: &Cohort,
    webinar: u32,
    diags: &mut Diagnostics,
) -> bool {
    let (file, at, mark) = (&log.file, entry.at, entry.mark);
    let participant = &cohort.participants[entry.participant];
    let id = &participant.id;
    if mark.status == Status::Partial && mark.minutes.is_none() {
        file.error(
            Kind::PartialWithoutMinutes,
            diags,
            at,
            Some(F_MINUTES),
            format!(
                "status partial needs the minutes attended (0 to {})",
                curriculum.session_minutes
            ),
        )
        .help(format!(
            "e.g. {id},partial,95 — {} or more minutes count as attended",
            curriculum.min_minutes
        ));
        return false;
    }
    if mark.status == Status::Makeup && !entry.has_note {
        let message = "a make-up needs a note saying where and when it was made up".to_string();
        file.error(Kind::MakeupWithoutNote, diags, at, Some(F_NOTE), message)
            .help("e.g. \"webinar 9 with cohort 2025-winter on 2025-01-21\"");
        return false;
    }
    let session = &cohort.sessions[webinar as usize - 1];
    if let Some(withdrawn) = participant.withdrawn
        && !participant.active_on(session.date)
        && mark.status != Status::Makeup
    {
        file.warning(
            Kind::AttendanceAfterWithdrawal,
            diags,
            at,
            Some(F_ID),
            format!(
                "participant {id} withdrew on {withdrawn}, before this session ({})",
                session.date
            ),
        )
        .help("remove the withdrawal if they came back");
    }
    true
}

/// What rows merged from two machines say, participant by participant (see
/// [`crate::conflicts`]).
struct Merged {
    /// Each participant's latest-recorded row so far.
    seen: Vec<Option<Seen>>,
    /// Each participant's last row: the one that stands.
    standing: Vec<Option<AttendanceEntry>>,
    /// Overlaps found, until a row recorded after both settles them:
    /// (participant, place of the row, message, help).
    overlaps: Vec<(usize, Place, String, String)>,
}

impl Merged {
    fn new(participants: usize) -> Merged {
        Merged {
            seen: vec![None; participants],
            standing: vec![None; participants],
            overlaps: Vec::new(),
        }
    }

    /// Compares a stamped row with the rows above it of its participant.
    fn add(
        &mut self,
        log: &ParsedLog,
        entry: &AttendanceEntry,
        this: Seen,
        cohort: &Cohort,
        webinar: u32,
        diags: &mut Diagnostics,
    ) {
        let (p, at) = (entry.participant, entry.at);
        let before = self.seen[p];
        match conflicts::compare(&mut self.seen[p], this) {
            Overlap::None => {
                // Recorded after every row above it: it settles them.
                if self.seen[p].is_some_and(|s| s.line == this.line) {
                    self.overlaps.retain(|o| o.0 != p);
                }
            }
            Overlap::Repeats { .. } if !diags.wants_warning() => {}
            Overlap::Repeats { line: first } => {
                let message = format!(
                    "repeats line {first} exactly: a git merge done twice leaves such copies"
                );
                log.file
                    .warning(Kind::RepeatedRow, diags, at, None, message)
                    .help("it changes nothing (the last row of a participant stands); you may delete the copy");
            }
            Overlap::Overlaps { line: other } => {
                // The row compared with is still the latest-recorded.
                let earlier = before.expect("compared with a row above");
                let id = &cohort.participants[p].id;
                let who = |i: u32| match log.recorders[i as usize].as_str() {
                    "" => "someone unnamed".to_string(),
                    name => name.to_string(),
                };
                let line = this.line;
                let message = format!(
                    "{id} was recorded differently on two machines: line {other} says {} ({}, {}), line {line} says {} ({}, {}); neither was recorded after seeing the other; line {line} stands, being lower in the file",
                    describe_mark(earlier.mark),
                    who(earlier.by),
                    earlier.at.to_rfc3339(),
                    describe_mark(this.mark),
                    who(this.by),
                    this.at.to_rfc3339(),
                );
                let help = format!(
                    "ask the two recorders which is right; if it is line {other}, record it again (e.g. `cohort attend {} {webinar} --{} {id}`): a row recorded after both stands and settles this. If it is line {line}, the record is right as it stands; the warning stays as a note that the two differed",
                    cohort.id, earlier.mark.status
                );
                self.overlaps.push((p, at, message, help));
            }
        }
    }

    /// The overlaps left unsettled, and standing rows recorded before a
    /// row above them.
    fn report(self, log: &ParsedLog, cohort: &Cohort, webinar: u32, diags: &mut Diagnostics) {
        for (_, at, message, help) in &self.overlaps {
            if diags.wants_warning() {
                log.file
                    .warning(
                        Kind::RecordedOnTwoMachines,
                        diags,
                        *at,
                        Some(F_STATUS),
                        message.clone(),
                    )
                    .help(help.clone());
            }
        }
        for (p, standing) in self.standing.iter().enumerate() {
            let (Some(row), Some(latest)) = (standing, self.seen[p]) else {
                continue;
            };
            let Some(at) = row.recorded_at else { continue };
            let named = self.overlaps.iter().any(|o| o.0 == p && o.1 == row.at);
            if named || !conflicts::recorded_before(at, row.mark, &latest) || !diags.wants_warning()
            {
                continue;
            }
            let id = &cohort.participants[p].id;
            log.file
                .warning(
                    Kind::StandingRowRecordedBefore,
                    diags,
                    row.at,
                    Some(F_STATUS),
                    format!(
                        "{id}'s standing row (line {}, {}, recorded {}) was recorded before line {} ({}, recorded {}); it stands only because it is lower in the file, as a merge can put an older row",
                        row.at.line,
                        describe_mark(row.mark),
                        at.to_rfc3339(),
                        latest.line,
                        describe_mark(latest.mark),
                        latest.at.to_rfc3339(),
                    ),
                )
                .help(format!(
                    "check which is right and record it again (e.g. `cohort attend {} {webinar} --{} {id}`): a row recorded after both stands and settles this",
                    cohort.id, latest.mark.status
                ));
        }
    }
}

/// `present`, `partial (95 min)`: a mark in words, for messages.
fn describe_mark(mark: Mark) -> String {
    match mark.minutes {
        Some(m) if mark.status == Status::Partial => format!("partial ({m} min)"),
        _ => mark.status.to_string(),
    }
}

/// A held session without a row for an active participant is most often a
/// forgotten recording; the rules count it as missed. `has_row[p]`: the
/// log has a row for participant `p` (the log exists when `has_file`).
pub fn unrecorded(
    diags: &mut Diagnostics,
    rel: &str,
    cohort: &Cohort,
    webinar: u32,
    as_of: NaiveDate,
    has_row: &[bool],
    has_file: bool,
) {
    let date = cohort.sessions[webinar as usize - 1].date;
    if date >= as_of {
        return;
    }
    let missing: Vec<&str> = cohort
        .participants
        .iter()
        .enumerate()
        .filter(|(p, part)| !has_row.get(*p).copied().unwrap_or(false) && part.active_on(date))
        .map(|(_, part)| part.id.as_str())
        .collect();
    if missing.is_empty() {
        return;
    }
    let help = format!(
        "record it with `cohort attend {} {webinar} …`; until then it counts as missed",
        cohort.id
    );
    let (kind, message) = if has_file {
        let message = format!(
            "webinar {webinar} was held on {date} but has no row for {}",
            missing.join(", ")
        );
        (Kind::MissingRow, message)
    } else {
        let message = format!("webinar {webinar} was held on {date} but no attendance is recorded");
        (Kind::UnrecordedSession, message)
    };
    diags.warning(kind, rel, None, message).help(help);
}

/// One participant's rows of one day: their sum, the place of the first,
/// and whether its text is in the index of row texts yet.
struct Day {
    sum: Hours,
    first: Place,
    indexed: bool,
}

/// The checks of the practicum log, row by row in file order, keeping the
/// rows that stand in `records.practicum` and warning about every one that
/// will not count and why. The loader hands each row over as it parses it
/// ([`crate::load::parse_practicum`]), so that no vector of parsed rows is
/// kept between the two.
pub struct Practicum<'c, 't> {
    cohort: &'c Cohort,
    /// `today` as the cohort's zone sees it, with a day's grace
    /// ([`crate::clock`]): rows may not lie after it.
    latest: NaiveDate,
    today: NaiveDate,
    last_session: Option<NaiveDate>,
    days: HashMap<(usize, NaiveDate), Day>,
    /// Each row's place by its text, to find copies a merge made: only rows
    /// of days with more than one are indexed.
    texts: HashMap<&'t str, Place>,
    monitors_checked: Vec<std::rc::Rc<str>>,
}

impl<'c, 't> Practicum<'c, 't> {
    /// `today` is the real date: rows may not lie in the future. `bytes`,
    /// the log's size, sizes the map of days once (a row is some 50 bytes).
    pub fn new(cohort: &'c Cohort, today: NaiveDate, bytes: usize) -> Self {
        Practicum {
            cohort,
            latest: crate::clock::latest_record_date(today, &cohort.timezone),
            today,
            last_session: cohort.last_session(),
            days: HashMap::with_capacity(bytes / 50),
            texts: HashMap::new(),
            monitors_checked: Vec::new(),
        }
    }

    /// Checks one row; it is kept in `records.practicum` when it stands.
    pub fn check(
        &mut self,
        file: &LogFile<'t>,
        entry: PracticumEntry,
        records: &mut Records,
        diags: &mut Diagnostics,
    ) {
        let (at, row, cohort) = (entry.at, &entry.row, self.cohort);
        if row.date > self.latest {
            let message = format!(
                "date {} is in the future (today is {} in {}; a day's grace is allowed)",
                row.date,
                crate::clock::today_in(&cohort.timezone, self.today).max(self.today),
                cohort.timezone
            );
            file.error(Kind::FutureDate, diags, at, Some(f::F_DATE), message)
                .help("log practicum hours once they are done");
            return;
        }
        if !self
            .monitors_checked
            .iter()
            .any(|m| std::rc::Rc::ptr_eq(m, &row.monitor))
        {
            self.monitors_checked.push(std::rc::Rc::clone(&row.monitor));
            lost_letters(file, at, &row.monitor, diags);
        }
        let p = entry.participant;
        if !reversal_holds(file, &entry, &records.practicum[p], cohort, diags)
            || !day_holds(file, &entry, cohort, &mut self.days, &mut self.texts, diags)
        {
            return;
        }
        if let Some(last) = self.last_session {
            not_counted(file, &entry, last, &cohort.participants[p].id, diags);
        }
        records.practicum[p].push(entry.row);
    }
}

/// Checked once per name: a log re-saved in an encoding without its
/// letters shows `?` for them.
fn lost_letters(file: &LogFile, at: Place, monitor: &str, diags: &mut Diagnostics) {
    if crate::sheet::lost_letters(monitor) && diags.wants_warning() {
        let message = format!("the monitor's name \"{monitor}\" has \"?\" where letters were lost");
        file.warning(Kind::LostLetters, diags, at, Some(f::F_MONITOR), message)
            .help("open the log in your spreadsheet from a copy that has the letters (git history) and save it as \"CSV UTF-8 (Comma delimited)\", or type the name again");
    }
}

/// A reversing row says why, and cancels at most the hours held before it
/// in its slot (date, kind and monitor) by `earlier` rows.
fn reversal_holds(
    file: &LogFile,
    entry: &PracticumEntry,
    earlier: &[crate::model::PracticumRow],
    cohort: &Cohort,
    diags: &mut Diagnostics,
) -> bool {
    let Some(hours_text) = &entry.reversing else {
        return true;
    };
    let (at, row) = (entry.at, &entry.row);
    if row.reversal.is_none() {
        let message = format!(
            "negative hours ({hours_text}) without a note: a reversing row says why it cancels hours"
        );
        file.error(Kind::ReversalWithoutNote, diags, at, Some(f::F_HOURS), message)
            .help("write the reason in the note column; `cohort practicum correct … --reason TEXT` writes such a row");
        return false;
    }
    let held = crate::model::held_in_slot(earlier, row);
    if row.hours <= held {
        return true;
    }
    let id = &cohort.participants[entry.participant].id;
    let monitor = if row.monitor.is_empty() {
        ", with no monitor".to_string()
    } else {
        format!(" monitored by {}", row.monitor)
    };
    let slot = format!(
        "{} rows of {id} on {}{monitor}",
        row.kind.as_str(),
        row.date
    );
    let message = format!(
        "this reversing row cancels {} h, but the earlier {slot} hold {held} h",
        row.hours
    );
    file.error(Kind::ReversalTooMuch, diags, at, Some(f::F_HOURS), message)
        .help("a reversing row has the date, kind and monitor of the row it corrects and cancels at most the hours logged before it; check them");
    false
}

/// The hours of a participant's day fit in a day (rule of [`rules::fits_in_a_day`]);
/// a row that repeats another of its day exactly is a copy a merge made.
fn day_holds<'t>(
    file: &LogFile<'t>,
    entry: &PracticumEntry,
    cohort: &Cohort,
    days: &mut HashMap<(usize, NaiveDate), Day>,
    texts: &mut HashMap<&'t str, Place>,
    diags: &mut Diagnostics,
) -> bool {
    let (at, row, p) = (entry.at, &entry.row, entry.participant);
    let day = days.entry((p, row.date)).or_insert(Day {
        sum: Hours::default(),
        first: at,
        indexed: false,
    });
    // A reversing row takes its hours away from the day's sum.
    day.sum = if entry.reversing.is_some() {
        day.sum - row.hours
    } else {
        day.sum + row.hours
    };
    let id = &cohort.participants[p].id;
    if !rules::fits_in_a_day(day.sum) {
        let message = format!(
            "{id} has {} hours on {}; one day holds at most 24",
            day.sum, row.date
        );
        file.error(Kind::Over24Hours, diags, at, Some(f::F_HOURS), message)
            .help("check the hours and the date of this row and the others of that day");
        return false;
    }
    if day.first == at {
        return true;
    }
    if !std::mem::replace(&mut day.indexed, true) {
        texts.entry(file.line_text(day.first)).or_insert(day.first);
    }
    let first = match texts.entry(file.line_text(at)) {
        Entry::Occupied(first) => *first.get(),
        Entry::Vacant(new) => {
            new.insert(at);
            return true;
        }
    };
    if diags.wants_warning() {
        let message = format!(
            "repeats line {} exactly; both rows count, {} h each",
            first.line, row.hours
        );
        file.warning(Kind::RepeatedRow, diags, at, None, message).help(format!(
            "a git merge done twice leaves such copies: if the hours were done once, cancel the copy with a reversing row (`cohort practicum correct {} {id} --date {} --hours {} --monitor \"{}\" --reason \"copy from a merge\"`); if they were done twice, add a note to one row to tell them apart",
            cohort.id, row.date, row.hours, row.monitor
        ));
    }
    true
}

/// Warns about a row that stands but will not count (rule 3).
fn not_counted(
    file: &LogFile,
    entry: &PracticumEntry,
    last_session: NaiveDate,
    id: &str,
    diags: &mut Diagnostics,
) {
    let Err(why) = rules::counts(&entry.row, last_session) else {
        return;
    };
    if !diags.wants_warning() {
        return;
    }
    let field = match why {
        rules::NotCounted::Kind(_) => f::F_KIND,
        rules::NotCounted::NoMonitor => f::F_MONITOR,
        rules::NotCounted::NotAfterCohort(_) => f::F_DATE,
    };
    let hours = entry.row.hours;
    let what = if entry.reversing.is_some() {
        format!("the reversal of {hours} h of {id} does not count either")
    } else {
        format!("{hours} h of {id} will not count")
    };
    let message = format!("{what}: {why}");
    file.warning(Kind::NotCounted, diags, entry.at, Some(field), message);
}
