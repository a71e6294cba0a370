//! Reading `practicum.csv`: each row parsed and located, and handed to
//! the checks ([`crate::validate::logs::Practicum`]) as it is parsed.

use std::rc::Rc;

use super::Source;
use super::logfile::{LogFile, Place, index};
use crate::csvread::{Reader, Row};
use crate::diag::{Diagnostics, Kind};
use crate::model::{Cohort, Hours, Kind as PracticumKind, PracticumRow};

/// Column names of the practicum log, in the order `cohort` writes them.
pub const PRACTICUM_FIELDS: &[&str] = &["participant", "date", "hours", "kind", "monitor", "note"];
pub const F_DATE: usize = 1;
pub const F_HOURS: usize = 2;
pub const F_KIND: usize = 3;
pub const F_MONITOR: usize = 4;
const F_NOTE: usize = 5;

/// One practicum row as read: every cell parsed, nothing judged yet.
#[derive(Debug, Clone)]
pub struct PracticumEntry {
    pub at: Place,
    /// Index of the participant in the cohort.
    pub participant: usize,
    /// `reversal` holds the note of a reversing row, if it has one.
    pub row: PracticumRow,
    /// For a reversing row (negative hours): the hours cell as written.
    pub reversing: Option<Box<str>>,
}

/// Every row of `practicum.csv` parsed and located, each handed to `each`
/// as it is parsed, in file order (the checks:
/// [`crate::validate::logs::Practicum`]); nothing is handed over when the
/// header is unusable (the errors are recorded).
pub fn parse_practicum<'a>(
    src: &'a Source,
    cohort: &Cohort,
    diags: &mut Diagnostics,
    mut each: impl FnMut(&LogFile<'a>, PracticumEntry, &mut Diagnostics),
) {
    let mut rdr = Reader::new(&src.text);
    let Some(file) = LogFile::open(
        src,
        &mut rdr,
        PRACTICUM_FIELDS,
        &["participant", "date", "hours"],
        diags,
    ) else {
        return;
    };
    let index = index(cohort);
    // A log names a few monitors over and over: each is kept once.
    let mut monitors: Vec<Rc<str>> = Vec::new();
    let mut row = Row::default();
    while let Some(at) = file.next_row(&mut rdr, &mut row, diags) {
        let Some(p) = file.participant(&index, diags, &row, at, cohort) else {
            continue;
        };
        let monitor = file.cell(&row, F_MONITOR);
        let known = monitors.iter().find(|m| ***m == *monitor).cloned();
        let monitor = known.unwrap_or_else(|| {
            monitors.push(Rc::from(monitor));
            Rc::clone(monitors.last().expect("just pushed"))
        });
        if let Some(mut entry) = parse_row(&file, &row, at, monitor, diags) {
            entry.participant = p;
            each(&file, entry, diags);
        }
    }
}

/// The date, hours and kind of one row parsed; `None` (an error recorded)
/// when one does not parse.
fn parse_row(
    file: &LogFile,
    row: &Row,
    at: Place,
    monitor: Rc<str>,
    diags: &mut Diagnostics,
) -> Option<PracticumEntry> {
    let date_text = file.cell(row, F_DATE);
    let Some(date) = crate::model::parse_ymd(date_text) else {
        let message = format!("date \"{date_text}\" is not a date like 2025-02-14 (YYYY-MM-DD)");
        file.error(Kind::BadDate, diags, at, Some(F_DATE), message)
            .help("spreadsheets may reformat dates; format the column as text or as YYYY-MM-DD");
        return None;
    };
    let hours_text = file.cell(row, F_HOURS);
    // Negative hours: a reversing row, checked once its kind and monitor are known.
    let (reversing, magnitude) = match hours_text.strip_prefix('-') {
        Some(rest) => (Some(Box::from(hours_text)), rest),
        None => (None, hours_text),
    };
    let hours = Hours::parse(magnitude)
        .map_err(|e| file.error(Kind::BadHours, diags, at, Some(F_HOURS), e))
        .ok()?;
    let kind_text = file.cell(row, F_KIND);
    let Some(kind) = PracticumKind::parse(kind_text) else {
        let message =
            format!("kind \"{kind_text}\" is not one of support, supervision, training, other");
        file.error(Kind::BadPracticumKind, diags, at, Some(F_KIND), message)
            .help("leave it empty for support");
        return None;
    };
    let note = file.cell(row, F_NOTE);
    let reversal = (reversing.is_some() && !note.is_empty()).then(|| Rc::from(note));
    Some(PracticumEntry {
        at,
        participant: 0,
        row: PracticumRow {
            line: at.line,
            date,
            hours,
            kind,
            monitor,
            reversal,
        },
        reversing,
    })
}
