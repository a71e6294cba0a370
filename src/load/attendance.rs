//! Reading `attendance/NN.csv`: each row parsed and located; the checks
//! over the parsed rows are [`crate::validate::logs::attendance`].

use chrono::{DateTime, FixedOffset};

use super::Source;
use super::logfile::{LogFile, Place, index};
use crate::csvread::{Reader, Row};
use crate::diag::{Diagnostics, Kind, did_you_mean};
use crate::model::{AttendanceRow, Cohort, Curriculum, Mark, Status};

/// Column names of an attendance log, in the order `cohort` writes them.
pub const ATTENDANCE_FIELDS: &[&str] = &[
    "participant",
    "status",
    "minutes",
    "recorded_by",
    "recorded_at",
    "note",
];
pub const F_ID: usize = 0;
pub const F_STATUS: usize = 1;
pub const F_MINUTES: usize = 2;
pub const F_BY: usize = 3;
pub const F_AT: usize = 4;
pub const F_NOTE: usize = 5;

/// Rows of one attendance log kept whole, for one person's full record.
pub type AttendanceLog = Vec<AttendanceRow>;

/// One attendance row as read: every cell parsed, nothing judged yet.
#[derive(Debug, Clone, Copy)]
pub struct AttendanceEntry {
    pub at: Place,
    /// Index of the participant in the cohort.
    pub participant: usize,
    pub mark: Mark,
    pub has_note: bool,
    pub recorded_at: Option<DateTime<FixedOffset>>,
    /// Index into [`ParsedLog::recorders`].
    pub by: u32,
}

/// The rows of one log that parsed, and what the checks need besides.
pub struct ParsedLog<'a> {
    pub file: LogFile<'a>,
    pub entries: Vec<AttendanceEntry>,
    /// The `recorded_by` names, each once.
    pub recorders: Vec<String>,
    /// Participants with a row, valid or not: a rejected row is an error of
    /// its own, not also a forgotten recording.
    pub has_row: Vec<bool>,
}

/// Every row of an attendance log parsed and located; `None` (errors
/// recorded) when its header is unusable. The rows are checked by
/// [`crate::validate::logs::attendance`]; the text of a row that stands is
/// read again from its place when it is wanted ([`ParsedLog::row_text`]).
pub fn parse_attendance<'a>(
    src: &'a Source,
    curriculum: &Curriculum,
    cohort: &Cohort,
    diags: &mut Diagnostics,
) -> Option<ParsedLog<'a>> {
    let mut rdr = Reader::new(&src.text);
    let file = LogFile::open(
        src,
        &mut rdr,
        ATTENDANCE_FIELDS,
        &["participant", "status"],
        diags,
    )?;
    let index = index(cohort);
    let mut log = ParsedLog {
        file,
        entries: Vec::new(),
        recorders: Vec::new(),
        has_row: vec![false; cohort.participants.len()],
    };
    let mut row = Row::default();
    while let Some(at) = log.file.next_row(&mut rdr, &mut row, diags) {
        if let Some(entry) = parse_row(&mut log, &index, &row, at, curriculum, cohort, diags) {
            log.entries.push(entry);
        }
    }
    Some(log)
}

impl ParsedLog<'_> {
    /// The cells of the row `entry` was parsed from, read again from its
    /// place: only the rows a command keeps are copied.
    pub fn row_text(&self, entry: &AttendanceEntry) -> AttendanceRow {
        let file = &self.file;
        let mut rdr = Reader::with_separator(&file.src.text, file.sep).starting_at(entry.at.start);
        let mut row = Row::default();
        rdr.read(&mut row);
        let cell = |f| file.cell(&row, f).to_string();
        AttendanceRow {
            line: entry.at.line,
            participant: cell(F_ID),
            mark: entry.mark,
            recorded_by: cell(F_BY),
            recorded_at: cell(F_AT),
            note: cell(F_NOTE),
        }
    }
}

/// One row's cells parsed; `None` (an error recorded) when one does not parse.
fn parse_row(
    log: &mut ParsedLog,
    index: &foldhash::HashMap<&str, usize>,
    row: &Row,
    at: Place,
    curriculum: &Curriculum,
    cohort: &Cohort,
    diags: &mut Diagnostics,
) -> Option<AttendanceEntry> {
    let file = &log.file;
    let p = file.participant(index, diags, row, at, cohort)?;
    log.has_row[p] = true;
    let status_text = file.cell(row, F_STATUS);
    let Some(status) = Status::parse(status_text) else {
        let message = format!(
            "status \"{status_text}\" is not one of present, partial, absent, excused, makeup"
        );
        let d = file.error(Kind::BadStatus, diags, at, Some(F_STATUS), message);
        if let Some(g) = did_you_mean(status_text, Status::ALL.iter().map(|s| s.as_str())) {
            d.help(format!("did you mean \"{g}\"?"));
        }
        return None;
    };
    let minutes_text = file.cell(row, F_MINUTES);
    let minutes = match minutes_text.parse::<u32>() {
        _ if minutes_text.is_empty() => None,
        Ok(m) if m <= curriculum.session_minutes => Some(m),
        _ => {
            let message = format!(
                "minutes \"{minutes_text}\" must be a whole number from 0 to {}",
                curriculum.session_minutes
            );
            file.error(Kind::BadMinutes, diags, at, Some(F_MINUTES), message)
                .help("write the minutes attended, e.g. 95");
            return None;
        }
    };
    let stamp = file.cell(row, F_AT);
    let recorded_at = match DateTime::parse_from_rfc3339(stamp) {
        _ if stamp.is_empty() => None,
        Ok(t) => Some(t),
        Err(_) => {
            let message = format!("recorded_at \"{stamp}\" is not an RFC 3339 timestamp");
            file.error(Kind::BadTimestamp, diags, at, Some(F_AT), message)
                .help("write it like 2024-09-10T14:05:00-04:00, or leave it empty");
            return None;
        }
    };
    let by_text = file.cell(row, F_BY);
    let known = log.recorders.iter().position(|r| r == by_text);
    let by = known.unwrap_or_else(|| {
        log.recorders.push(by_text.to_string());
        log.recorders.len() - 1
    });
    Some(AttendanceEntry {
        at,
        participant: p,
        mark: Mark { status, minutes },
        has_note: !file.cell(row, F_NOTE).is_empty(),
        recorded_at,
        by: by as u32,
    })
}
