//! The append-only CSV logs: `attendance/NN.csv` and `practicum.csv`.
//!
//! Each file is read once, streaming, with one reused record. Spreadsheet
//! habits are accepted: a byte-order mark, CRLF, headers in any case and
//! order, blank rows.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;

use chrono::{DateTime, Datelike, NaiveDate};

use super::{FileKind, Reported, Root, Source, read_source};
use crate::conflicts;
use crate::csvread::{Reader, Row, trim};
pub use crate::csvread::{cell_span, cell_span_with};
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{
    AttendanceRow, Cohort, Curriculum, Hours, Kind, Mark, PracticumRow, Records, StampedMark,
    Status,
};
use crate::rules;

/// Column names of an attendance log, in the order `cohort` writes them.
pub const ATTENDANCE_FIELDS: &[&str] = &[
    "participant",
    "status",
    "minutes",
    "recorded_by",
    "recorded_at",
    "note",
];
/// Column names of the practicum log, in the order `cohort` writes them.
pub const PRACTICUM_FIELDS: &[&str] = &["participant", "date", "hours", "kind", "monitor", "note"];

/// Rows of one attendance log kept whole, for one person's full record.
pub type AttendanceLog = Vec<AttendanceRow>;

/// A CSV file being read: its text, its header, and where its problems go.
struct CsvFile<'a> {
    src: &'a Source,
    /// `columns[i]`: the record index of `fields[i]`, if the file has it.
    columns: Vec<Option<usize>>,
    width: usize,
    /// The cell separator, sniffed from the header line.
    sep: u8,
    /// Line and byte offset of the record being read.
    at: Cell<(usize, usize)>,
}

impl<'a> CsvFile<'a> {
    /// Reads the header; `None` (with errors recorded) when required columns are missing.
    fn open(
        src: &'a Source,
        reader: &mut Reader<'a>,
        fields: &[&str],
        required: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<CsvFile<'a>> {
        let mut header = Row::default();
        if !reader.read(&mut header) {
            return Some(CsvFile {
                src,
                columns: vec![None; fields.len()],
                width: 0,
                sep: reader.sep,
                at: Cell::new((0, 0)),
            });
        }
        // The header `cohort` writes maps to itself, without a word to say.
        let columns = if header.len() == fields.len()
            && fields
                .iter()
                .enumerate()
                .all(|(i, f)| header.get(&src.text, i) == *f)
        {
            (0..fields.len()).map(Some).collect()
        } else {
            let names = (0..header.len()).map(|i| header.get(&src.text, i).to_string());
            let first_line = crate::lines::lines(&src.text).next().unwrap_or("");
            map_header(&src.rel, names, first_line, fields, required, diags)?
        };
        Some(CsvFile {
            src,
            columns,
            width: header.len(),
            sep: reader.sep,
            at: Cell::new((0, 0)),
        })
    }

    /// Cell of field `f` (trimmed), or "" when the file has no such column.
    #[inline]
    fn cell<'r>(&'r self, record: &'r Row, f: usize) -> &'r str {
        match self.columns[f] {
            Some(i) if i < record.len() => trim(record.get(&self.src.text, i)),
            _ => "",
        }
    }

    /// An error on `line` with the cell of field `f` underlined.
    fn error<'d>(
        &self,
        diags: &'d mut Diagnostics,
        line: usize,
        f: Option<usize>,
        message: String,
    ) -> &'d mut Diagnostic {
        let d = diags.error(&self.src.rel, Some(line), message);
        self.underline(d, line, f);
        d
    }

    fn warning<'d>(
        &self,
        diags: &'d mut Diagnostics,
        line: usize,
        f: Option<usize>,
        message: String,
    ) -> &'d mut Diagnostic {
        let d = diags.warning(&self.src.rel, Some(line), message);
        self.underline(d, line, f);
        d
    }

    /// Remembers where the record being read starts, so that a problem in
    /// it is shown without searching the file for its line.
    fn at(&self, line: usize, record: &Row) {
        self.at.set((line, record.byte));
    }

    /// The text of the line whose record starts at byte `byte`.
    fn text_at(&self, byte: usize) -> &str {
        let text = self.src.text.as_str();
        let rest = text
            .get(byte..)
            .unwrap_or("")
            .trim_start_matches(['\r', '\n']);
        // Any line end ends it: LF, CRLF or a lone CR.
        rest.split(['\n', '\r']).next().unwrap_or(rest)
    }

    /// The text of `line`: from the current record's position when that is
    /// the line asked for, else by counting lines.
    fn line_text(&self, line: usize) -> Option<&str> {
        let text = self.src.text.as_str();
        let (at_line, byte) = self.at.get();
        if at_line == line && byte < text.len() {
            let rest = text[byte..].trim_start_matches(['\r', '\n']);
            return Some(rest.split(['\r', '\n']).next().unwrap_or(rest));
        }
        crate::lines::line(text, line)
    }

    fn underline(&self, d: &mut Diagnostic, line: usize, f: Option<usize>) {
        let Some(text) = self.line_text(line) else {
            return;
        };
        let span = f
            .and_then(|f| self.columns[f])
            .and_then(|i| cell_span_with(text, i, self.sep));
        let (start, end) = span.unwrap_or((0, text.len()));
        d.excerpt(text, start, end);
    }

    /// Reads the next row worth looking at into `record` and gives its line:
    /// blank rows are skipped, rows of the wrong width reported and skipped.
    /// `None` at the end of the file, or when the file stops reading as CSV.
    fn next_row(
        &self,
        rdr: &mut Reader<'a>,
        record: &mut Row,
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        loop {
            if !rdr.read(record) {
                return None;
            }
            let line = record.line;
            self.at(line, record);
            if !self.is_blank(record)
                && self.check_width(record, line, diags)
                && self.visible(record, line, diags)
            {
                return Some(line);
            }
        }
    }

    /// Rows with a control character in any cell are refused (see
    /// [`crate::text`]): it would reach terminals and certificates.
    fn visible(&self, record: &Row, line: usize, diags: &mut Diagnostics) -> bool {
        for i in 0..record.len() {
            let cell = trim(record.get(&self.src.text, i));
            let Some(c) = crate::text::forbidden(cell) else {
                continue;
            };
            let d = diags.error(
                &self.src.rel,
                Some(line),
                crate::text::problem(&format!("cell {}", i + 1), c),
            );
            if let Some(text) = self.line_text(line) {
                let (start, end) = cell_span(text, i).unwrap_or((0, text.len()));
                d.excerpt(text, start, end);
            }
            d.help("remove it; a spreadsheet shows such characters as nothing or as a box");
            return false;
        }
        true
    }

    fn is_blank(&self, record: &Row) -> bool {
        (0..record.len()).all(|i| {
            record
                .get(&self.src.text, i)
                .bytes()
                .all(|b| b.is_ascii_whitespace())
        })
    }

    /// Rows whose cell count differs from the header's are refused: most
    /// often a comma inside an unquoted note.
    fn check_width(&self, record: &Row, line: usize, diags: &mut Diagnostics) -> bool {
        if record.len() == self.width {
            return true;
        }
        self.error(
            diags,
            line,
            None,
            format!(
                "row has {} cells but the header has {}",
                record.len(),
                self.width
            ),
        )
        .help(match self.sep {
            b',' => "a comma inside a cell needs the cell in double quotes, e.g. \"Toronto, ON\"",
            b';' => "the file's cells are separated by semicolons (from its header line); a semicolon inside a cell needs the cell in double quotes",
            _ => "the file's cells are separated by tabs (from its header line); a tab inside a cell needs the cell in double quotes",
        });
        false
    }
}

/// Unknown columns named one by one; the rest are counted in one warning.
pub const UNKNOWN_COLUMNS_SHOWN: usize = 3;

/// Maps the canonical `fields` to a file's header cells `names` (trimmed,
/// any case, any order): `columns[i]` is the cell index of `fields[i]`.
/// Warns about unknown columns; `None` (errors recorded) when a column is
/// named twice or a `required` one is missing. `first_line` is shown then.
pub fn map_header(
    rel: &str,
    names: impl Iterator<Item = String>,
    first_line: &str,
    fields: &[&str],
    required: &[&str],
    diags: &mut Diagnostics,
) -> Option<Vec<Option<usize>>> {
    let mut columns = vec![None; fields.len()];
    // A header of a million unknown columns gives a few warnings, not a million.
    let mut unknown = 0usize;
    for (i, name) in names.enumerate() {
        let name = name.trim().to_lowercase();
        match fields.iter().position(|f| *f == name) {
            Some(f) if columns[f].is_some() => {
                diags
                    .error(
                        rel,
                        Some(1),
                        format!("column \"{name}\" appears twice in the header"),
                    )
                    .help("keep one column of each name");
                return None;
            }
            Some(f) => columns[f] = Some(i),
            None if name.is_empty() => {}
            None => {
                unknown += 1;
                if unknown > UNKNOWN_COLUMNS_SHOWN {
                    continue;
                }
                let d = diags.warning(
                    rel,
                    Some(1),
                    format!("unknown column \"{name}\" is ignored"),
                );
                match did_you_mean(&name, fields.iter().copied()) {
                    Some(f) => d.help(format!("did you mean \"{f}\"?")),
                    None => d.help(format!("known columns: {}", fields.join(", "))),
                };
            }
        }
    }
    if unknown > UNKNOWN_COLUMNS_SHOWN {
        diags
            .warning(
                rel,
                Some(1),
                format!(
                    "and {} more unknown columns are ignored",
                    unknown - UNKNOWN_COLUMNS_SHOWN
                ),
            )
            .help(format!("known columns: {}", fields.join(", ")));
    }
    let missing: Vec<String> = required
        .iter()
        .filter(|r| {
            fields
                .iter()
                .position(|f| f == *r)
                .is_none_or(|f| columns[f].is_none())
        })
        .map(|m| format!("\"{m}\""))
        .collect();
    if !missing.is_empty() {
        diags
            .error(
                rel,
                Some(1),
                format!("the header has no {} column", missing.join(" or ")),
            )
            .excerpt(first_line, 0, first_line.len())
            .help(format!(
                "the first row names the columns, e.g. {}",
                fields.join(",")
            ));
        return None;
    }
    Some(columns)
}

/// Participant ids to their position in the cohort. Ids of up to 15 bytes
/// (all in practice) are packed with their length into one `u128` and found
/// in a small open-addressing table, which is quicker than comparing
/// strings; longer ones are searched as strings.
struct Index<'c> {
    /// `(key, position)`; key 0 marks a free slot (no id packs to 0).
    slots: Vec<(u128, usize)>,
    long: Vec<(&'c str, usize)>,
}

impl<'c> Index<'c> {
    fn of(cohort: &'c Cohort) -> Index<'c> {
        let size = (cohort.participants.len() * 2).next_power_of_two().max(16);
        let mut index = Index {
            slots: vec![(0, 0); size],
            long: Vec::new(),
        };
        for (i, p) in cohort.participants.iter().enumerate() {
            match Self::key(&p.id) {
                Some(key) if index.get(&p.id).is_none() => {
                    let mut slot = index.slot(key);
                    while index.slots[slot].0 != 0 {
                        slot = (slot + 1) & (size - 1);
                    }
                    index.slots[slot] = (key, i);
                }
                Some(_) => {}
                None => index.long.push((p.id.as_str(), i)),
            }
        }
        index.long.sort_unstable();
        index.long.dedup_by_key(|(id, _)| *id);
        index
    }

    /// Bytes and length packed: different ids of up to 15 bytes give
    /// different keys, and only "" gives 0.
    fn key(id: &str) -> Option<u128> {
        let b = id.as_bytes();
        if b.len() > 15 {
            return None;
        }
        // Built in registers: bytes stored to memory and read back as one
        // number stall the processor.
        let (mut lo, mut hi) = (0u64, (b.len() as u64) << 56);
        for (i, &c) in b.iter().enumerate() {
            if i < 8 {
                lo |= u64::from(c) << (8 * i);
            } else {
                hi |= u64::from(c) << (8 * (i - 8));
            }
        }
        Some(u128::from(hi) << 64 | u128::from(lo))
    }

    fn slot(&self, key: u128) -> usize {
        let h = ((key as u64) ^ ((key >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize & (self.slots.len() - 1)
    }

    /// The first participant with this id (ids are unique in a loaded cohort).
    fn get(&self, id: &str) -> Option<&usize> {
        match Self::key(id) {
            Some(0) => None,
            Some(key) => {
                let mut slot = self.slot(key);
                loop {
                    match &self.slots[slot] {
                        (0, _) => return None,
                        (k, i) if *k == key => return Some(i),
                        _ => slot = (slot + 1) & (self.slots.len() - 1),
                    }
                }
            }
            None => self
                .long
                .binary_search_by(|(known, _)| (*known).cmp(id))
                .ok()
                .map(|i| &self.long[i].1),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS` with `Z` or `±HH:MM`, all in range: what `cohort`
/// writes, and a timestamp `DateTime::parse_from_rfc3339` accepts. `false`
/// says nothing: that parser is asked then.
fn plain_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    let num = |i: usize| {
        let (a, c) = (b[i], b[i + 1]);
        (a.is_ascii_digit() && c.is_ascii_digit()).then(|| (a - b'0') * 10 + (c - b'0'))
    };
    let in_range = |i: usize, max: u8| num(i).is_some_and(|n| n <= max);
    let offset = match b.len() {
        20 => b[19] == b'Z',
        25 => matches!(b[19], b'+' | b'-') && in_range(20, 23) && b[22] == b':' && in_range(23, 59),
        _ => false,
    };
    offset
        && b[10] == b'T'
        && in_range(11, 23)
        && b[13] == b':'
        && in_range(14, 59)
        && b[16] == b':'
        && in_range(17, 59)
        && crate::model::parse_ymd(&text[..10]).is_some_and(|d| d.year() >= 1900)
}

/// A timestamp of the [`plain_rfc3339`] form read without chrono's general
/// parser; `None` for any other form.
fn quick_rfc3339(text: &str) -> Option<DateTime<chrono::FixedOffset>> {
    if !plain_rfc3339(text) {
        return None;
    }
    let b = text.as_bytes();
    let num = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    let date = crate::model::parse_ymd(&text[..10])?;
    let time = chrono::NaiveTime::from_hms_opt(num(11), num(14), num(17))?;
    let offset = match b[19] {
        b'Z' => 0,
        sign => {
            let secs = (num(20) * 3600 + num(23) * 60) as i32;
            if sign == b'-' { -secs } else { secs }
        }
    };
    let offset = chrono::FixedOffset::east_opt(offset)?;
    date.and_time(time).and_local_timezone(offset).single()
}

/// [`Status::parse`] without trimming again, for the usual lower-case words.
fn status(text: &str) -> Option<Status> {
    match text {
        "present" => Some(Status::Present),
        "partial" => Some(Status::Partial),
        "absent" => Some(Status::Absent),
        "excused" => Some(Status::Excused),
        "makeup" => Some(Status::Makeup),
        _ => Status::parse(text),
    }
}

/// [`Kind::parse`] without trimming again, for the usual lower-case words.
fn kind(text: &str) -> Option<Kind> {
    match text {
        "" | "support" => Some(Kind::Support),
        "supervision" => Some(Kind::Supervision),
        "training" => Some(Kind::Training),
        "other" => Some(Kind::Other),
        _ => Kind::parse(text),
    }
}

/// [`Hours::parse`] for what the logs nearly always hold (`2`, `1.5`,
/// `0.25`, `1:30`); `None` for anything else, which `Hours::parse` then reads or
/// explains. Gives exactly what `Hours::parse` gives where it answers.
fn quick_hours(text: &str) -> Option<Hours> {
    let b = text.as_bytes();
    if let [h @ .., b':', m1, m2] = b {
        // H:MM
        let all_digits = h.iter().chain([m1, m2]).all(u8::is_ascii_digit);
        if h.is_empty() || h.len() > 9 || !all_digits {
            return None;
        }
        let hours = h.iter().fold(0u64, |n, &c| n * 10 + u64::from(c - b'0'));
        let minutes = u64::from(m1 - b'0') * 10 + u64::from(m2 - b'0');
        let seconds = hours * 3600 + minutes * 60;
        return (minutes < 60 && seconds > 0).then_some(Hours { seconds });
    }
    let (whole, frac) = match b.iter().position(|&c| c == b'.') {
        Some(dot) => (&b[..dot], &b[dot + 1..]),
        None => (b, &b[b.len()..]),
    };
    let digits = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
    if whole.is_empty() || whole.len() > 9 || !digits(whole) || !digits(frac) {
        return None;
    }
    let number = |d: &[u8]| d.iter().fold(0u64, |n, &c| n * 10 + u64::from(c - b'0'));
    let hundredths = match frac.len() {
        0 if whole.len() == b.len() => 0,
        1 => number(frac) * 10,
        2 => number(frac),
        _ => return None,
    };
    let seconds = number(whole) * 3600 + hundredths * 36;
    (seconds > 0).then_some(Hours { seconds })
}

/// Hashes one `u64` with a multiply: the day sums below are keyed by
/// participant and day, and SipHash would cost more than the rest of a row.
#[derive(Default)]
struct DayHasher(u64);

impl std::hash::Hasher for DayHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let h = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

/// A hash of a row's text, eight bytes at a time: quick, and only a first
/// sieve (texts that hash alike are compared).
fn line_hash(text: &str) -> u64 {
    let b = text.as_bytes();
    let mut h = DayHasher(b.len() as u64);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        std::hash::Hasher::write_u64(&mut h, u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    std::hash::Hasher::write_u64(&mut h, u64::from_le_bytes(last));
    h.0
}

/// "p01..p18", or the full list when it is short.
fn id_list(cohort: &Cohort) -> String {
    let mut ids: Vec<&str> = cohort.participants.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    match ids.as_slice() {
        [] => "no participants yet".to_string(),
        [one] => format!("only {one}"),
        ids if ids.len() <= 4 => ids.join(", "),
        ids => format!("{}..{}", ids[0], ids[ids.len() - 1]),
    }
}

fn unknown_participant(
    file: &CsvFile,
    diags: &mut Diagnostics,
    line: usize,
    id: &str,
    cohort: &Cohort,
) {
    let d = file.error(
        diags,
        line,
        Some(0),
        format!(
            "unknown participant \"{id}\"; cohort {} has {}",
            cohort.id,
            id_list(cohort)
        ),
    );
    match did_you_mean(id, cohort.participants.iter().map(|p| p.id.as_str())) {
        Some(guess) => d.help(format!("did you mean \"{guess}\"?")),
        None => d.help(format!(
            "enrol them first (`cohort enroll {} --id {id} --name …`), or fix the id",
            cohort.id
        )),
    };
}

/// Reads `attendance/NN.csv` of one webinar into `records.marks` (the last
/// row of each participant stands) and, when asked, keeps every row.
#[allow(clippy::too_many_arguments)]
pub fn load_attendance(
    root: &Root,
    curriculum: &Curriculum,
    cohort: &Cohort,
    webinar: u32,
    as_of: NaiveDate,
    records: &mut Records,
    history: Option<&mut AttendanceLog>,
    diags: &mut Diagnostics,
) {
    let rel = Root::attendance_csv(&cohort.id, webinar);
    match read_source(root, &rel, FileKind::Csv, diags) {
        Ok(Some(src)) => attendance_from_source(
            &src, curriculum, cohort, webinar, as_of, records, history, diags,
        ),
        Ok(None) => warn_unrecorded(diags, &rel, cohort, webinar, as_of, records, &[], None),
        Err(Reported) => {}
    }
}

/// [`load_attendance`] of a text already read: the whole log, or its header
/// and last rows (see [`crate::tail`]).
#[allow(clippy::too_many_arguments)]
pub fn attendance_from_source(
    src: &Source,
    curriculum: &Curriculum,
    cohort: &Cohort,
    webinar: u32,
    as_of: NaiveDate,
    records: &mut Records,
    mut history: Option<&mut AttendanceLog>,
    diags: &mut Diagnostics,
) {
    let rel = &src.rel;
    let w = webinar as usize - 1;
    let session = &cohort.sessions[w];
    let mut rdr = Reader::new(&src.text);
    let Some(file) = CsvFile::open(
        src,
        &mut rdr,
        ATTENDANCE_FIELDS,
        &["participant", "status"],
        diags,
    ) else {
        return;
    };
    let index = Index::of(cohort);
    let (f_id, f_status, f_minutes, f_by, f_at, f_note) = (0, 1, 2, 3, 4, 5);
    let mut record = Row::default();
    // Participants with a row, valid or not: a rejected row is an error of
    // its own, not also a forgotten recording.
    let mut has_row = vec![false; cohort.participants.len()];
    // For rows merged from two machines: each participant's latest-recorded
    // row so far, and who recorded (see `crate::conflicts`).
    let mut seen: Vec<Option<conflicts::Seen>> = vec![None; cohort.participants.len()];
    let mut recorders: Vec<String> = Vec::new();
    // Overlaps found, until a row recorded after both settles them:
    // (participant, line, message, help).
    let mut overlaps: Vec<(usize, usize, String, String)> = Vec::new();
    while let Some(line) = file.next_row(&mut rdr, &mut record, diags) {
        let id = file.cell(&record, f_id);
        let found = index.get(id).copied();
        if let Some(p) = found {
            has_row[p] = true;
        }
        let Some(p) = found else {
            if id.is_empty() {
                file.error(diags, line, Some(f_id), "participant is empty".to_string())
                    .help(format!(
                        "every row names a participant id; cohort {} has {}",
                        cohort.id,
                        id_list(cohort)
                    ));
            } else {
                unknown_participant(&file, diags, line, id, cohort);
            }
            continue;
        };
        let status_text = file.cell(&record, f_status);
        let Some(status) = status(status_text) else {
            let d = file.error(diags, line, Some(f_status), format!("status \"{status_text}\" is not one of present, partial, absent, excused, makeup"));
            if let Some(g) = did_you_mean(status_text, Status::ALL.iter().map(|s| s.as_str())) {
                d.help(format!("did you mean \"{g}\"?"));
            }
            continue;
        };
        let minutes_text = file.cell(&record, f_minutes);
        let minutes = if minutes_text.is_empty() {
            None
        } else {
            match minutes_text.parse::<u32>() {
                Ok(m) if m <= curriculum.session_minutes => Some(m),
                _ => {
                    file.error(
                        diags,
                        line,
                        Some(f_minutes),
                        format!(
                            "minutes \"{minutes_text}\" must be a whole number from 0 to {}",
                            curriculum.session_minutes
                        ),
                    )
                    .help("write the minutes attended, e.g. 95");
                    continue;
                }
            }
        };
        if status == Status::Partial && minutes.is_none() {
            file.error(
                diags,
                line,
                Some(f_minutes),
                format!(
                    "status partial needs the minutes attended (0 to {})",
                    curriculum.session_minutes
                ),
            )
            .help(format!(
                "e.g. {id},partial,95 — {} or more minutes count as attended",
                curriculum.min_minutes
            ));
            continue;
        }
        let note = file.cell(&record, f_note);
        if status == Status::Makeup && note.is_empty() {
            file.error(
                diags,
                line,
                Some(f_note),
                "a make-up needs a note saying where and when it was made up".to_string(),
            )
            .help("e.g. \"webinar 9 with cohort 2025-winter on 2025-01-21\"");
            continue;
        }
        let at = file.cell(&record, f_at);
        let recorded_at = if at.is_empty() {
            None
        } else {
            quick_rfc3339(at).or_else(|| DateTime::parse_from_rfc3339(at).ok())
        };
        if !at.is_empty() && recorded_at.is_none() {
            file.error(
                diags,
                line,
                Some(f_at),
                format!("recorded_at \"{at}\" is not an RFC 3339 timestamp"),
            )
            .help("write it like 2024-09-10T14:05:00-04:00, or leave it empty");
            continue;
        }
        let participant = &cohort.participants[p];
        if let Some(withdrawn) = participant.withdrawn
            && session.date > withdrawn
            && status != Status::Makeup
        {
            file.warning(
                diags,
                line,
                Some(f_id),
                format!(
                    "participant {id} withdrew on {withdrawn}, before this session ({})",
                    session.date
                ),
            )
            .help("remove the withdrawal if they came back");
        }
        let mark = Mark { status, minutes };
        if let Some(at) = recorded_at {
            let by_text = file.cell(&record, f_by);
            let by = match recorders.iter().position(|r| r == by_text) {
                Some(i) => i,
                None => {
                    recorders.push(by_text.to_string());
                    recorders.len() - 1
                }
            };
            match conflicts::compare(&mut seen[p], line, at, by as u32, mark) {
                conflicts::Overlap::None => {
                    // Recorded after every row above it: it settles them.
                    if seen[p].is_some_and(|s| s.line == line) && !overlaps.is_empty() {
                        overlaps.retain(|o| o.0 != p);
                    }
                }
                conflicts::Overlap::Repeats { .. } if !diags.wants_warning() => {}
                conflicts::Overlap::Repeats { line: first } => {
                    file.warning(
                        diags,
                        line,
                        None,
                        format!("repeats line {first} exactly: a git merge done twice leaves such copies"),
                    )
                    .help("it changes nothing (the last row of a participant stands); you may delete the copy");
                }
                conflicts::Overlap::Overlaps { line: other } => {
                    // The row compared with is still the latest-recorded.
                    let earlier = seen[p].expect("compared with a row above");
                    let who = |i: u32| match recorders[i as usize].as_str() {
                        "" => "someone unnamed".to_string(),
                        name => name.to_string(),
                    };
                    overlaps.push((p, line, format!(
                            "{id} was recorded differently on two machines: line {other} says {} ({}, {}), line {line} says {} ({}, {}); neither was recorded after seeing the other; line {line} stands, being lower in the file",
                            describe_mark(earlier.mark),
                            who(earlier.by),
                            earlier.at.to_rfc3339(),
                            describe_mark(mark),
                            who(by as u32),
                            at.to_rfc3339(),
                        ),
                        format!(
                        "ask the two recorders which is right; if it is line {other}, record it again (e.g. `cohort attend {} {webinar} --{} {id}`): a row recorded after both stands and settles this. If it is line {line}, the record is right as it stands; the warning stays as a note that the two differed",
                        cohort.id,
                        earlier.mark.status
                    )));
                }
            }
        }
        records.marks[p][w] = Some(mark);
        records.stamped.push(StampedMark {
            participant: p as u32,
            webinar: w as u32,
            mark,
            recorded_at,
        });
        if let Some(history) = history.as_deref_mut() {
            history.push(AttendanceRow {
                line,
                participant: id.to_string(),
                mark,
                recorded_by: file.cell(&record, f_by).to_string(),
                recorded_at: at.to_string(),
                note: note.to_string(),
            });
        }
    }
    for (_, line, message, help) in overlaps {
        if diags.wants_warning() {
            file.warning(diags, line, Some(f_status), message)
                .help(help);
        }
    }
    warn_unrecorded(
        diags,
        rel,
        cohort,
        webinar,
        as_of,
        records,
        &has_row,
        Some(file.at.get().0),
    );
}

/// `present`, `partial (95 min)`: a mark in words, for messages.
fn describe_mark(mark: Mark) -> String {
    match mark.minutes {
        Some(m) if mark.status == Status::Partial => format!("partial ({m} min)"),
        _ => mark.status.to_string(),
    }
}

/// A held session without a row for an active participant is most often a
/// forgotten recording; the rules count it as missed.
#[allow(clippy::too_many_arguments)]
fn warn_unrecorded(
    diags: &mut Diagnostics,
    rel: &str,
    cohort: &Cohort,
    webinar: u32,
    as_of: NaiveDate,
    records: &Records,
    has_row: &[bool],
    file_lines: Option<usize>,
) {
    let w = webinar as usize - 1;
    let date = cohort.sessions[w].date;
    if date >= as_of {
        return;
    }
    let missing: Vec<&str> = cohort
        .participants
        .iter()
        .enumerate()
        .filter(|(p, part)| {
            records.marks[*p][w].is_none()
                && !has_row.get(*p).copied().unwrap_or(false)
                && part.active_on(date)
        })
        .map(|(_, part)| part.id.as_str())
        .collect();
    if missing.is_empty() {
        return;
    }
    let help = format!(
        "record it with `cohort attend {} {webinar} …`; until then it counts as missed",
        cohort.id
    );
    match file_lines {
        None => diags.warning(
            rel,
            None,
            format!("webinar {webinar} was held on {date} but no attendance is recorded"),
        ),
        Some(_) => diags.warning(
            rel,
            None,
            format!(
                "webinar {webinar} was held on {date} but has no row for {}",
                missing.join(", ")
            ),
        ),
    }
    .help(help);
}

/// Reads `practicum.csv` into `records.practicum`, warning about every row
/// that will not count and why.
pub fn load_practicum(
    root: &Root,
    cohort: &Cohort,
    today: NaiveDate,
    records: &mut Records,
    diags: &mut Diagnostics,
) {
    let rel = Root::practicum_csv(&cohort.id);
    let src = match read_source(root, &rel, FileKind::Csv, diags) {
        Ok(Some(src)) => src,
        Ok(None) | Err(Reported) => return,
    };
    let mut rdr = Reader::new(&src.text);
    let Some(file) = CsvFile::open(
        &src,
        &mut rdr,
        PRACTICUM_FIELDS,
        &["participant", "date", "hours"],
        diags,
    ) else {
        return;
    };
    let index = Index::of(cohort);
    // Judged in the cohort's zone, with a day's grace (crate::clock).
    let latest = crate::clock::latest_record_date(today, &cohort.timezone);
    let last_session = cohort.last_session();
    let (f_id, f_date, f_hours, f_kind, f_monitor, f_note) = (0, 1, 2, 3, 4, 5);
    // Hours per participant and day, keyed `participant << 32 | day`.
    // Room for about as many rows as the file has (a row is 40 bytes or more).
    let rows = src.text.len() / 40;
    // With each day, its first row (line, byte offset) and whether that row's
    // text is hashed yet: a copy shares the day of its original, so rows
    // are hashed only on days with more than one.
    let mut per_day: HashMap<u64, (Hours, usize, usize, bool), BuildHasherDefault<DayHasher>> =
        HashMap::with_capacity_and_hasher(rows, BuildHasherDefault::default());
    let mut monitors: Vec<Rc<str>> = Vec::new();
    // Each row's line and byte offset by a hash of its text, to find copies
    // a merge made.
    let mut texts: HashMap<u64, (usize, usize), BuildHasherDefault<DayHasher>> = HashMap::default();
    let mut last_date: Option<([u8; 10], NaiveDate)> = None;
    let each = rows / cohort.participants.len().max(1);
    for rows in &mut records.practicum {
        rows.reserve(each);
    }
    let mut record = Row::default();
    while let Some(line) = file.next_row(&mut rdr, &mut record, diags) {
        let id = file.cell(&record, f_id);
        let Some(&p) = index.get(id) else {
            if id.is_empty() {
                file.error(diags, line, Some(f_id), "participant is empty".to_string());
            } else {
                unknown_participant(&file, diags, line, id, cohort);
            }
            continue;
        };
        let date_text = file.cell(&record, f_date);
        // Rows often come in date order: the last date read is reused.
        let date = match &last_date {
            Some((text, date)) if text.as_slice() == date_text.as_bytes() => Some(*date),
            _ => crate::model::parse_ymd(date_text),
        };
        let Some(date) = date else {
            file.error(
                diags,
                line,
                Some(f_date),
                format!("date \"{date_text}\" is not a date like 2025-02-14 (YYYY-MM-DD)"),
            )
            .help("spreadsheets may reformat dates; format the column as text or as YYYY-MM-DD");
            continue;
        };
        if let Ok(text) = date_text.as_bytes().try_into() {
            last_date = Some((text, date));
        }
        if date > latest {
            file.error(
                diags,
                line,
                Some(f_date),
                format!(
                    "date {date} is in the future (today is {} in {}; a day's grace is allowed)",
                    crate::clock::today_in(&cohort.timezone, today).max(today),
                    cohort.timezone
                ),
            )
            .help("log practicum hours once they are done");
            continue;
        }
        let hours_text = file.cell(&record, f_hours);
        // Negative hours: a reversing row, checked below once its kind and
        // monitor are known.
        let (reversing, magnitude) = match hours_text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, hours_text),
        };
        let hours = match quick_hours(magnitude).map_or_else(|| Hours::parse(magnitude), Ok) {
            Ok(h) => h,
            Err(e) => {
                file.error(diags, line, Some(f_hours), e);
                continue;
            }
        };
        let kind_text = file.cell(&record, f_kind);
        let Some(kind) = kind(kind_text) else {
            file.error(
                diags,
                line,
                Some(f_kind),
                format!("kind \"{kind_text}\" is not one of support, supervision, training, other"),
            )
            .help("leave it empty for support");
            continue;
        };
        let monitor = file.cell(&record, f_monitor);
        // A log names a few monitors over and over: each is kept once.
        let monitor = match monitors.iter().find(|m| ***m == *monitor) {
            Some(m) => Rc::clone(m),
            None => {
                // Checked once per name: a log re-saved in an encoding
                // without its letters shows `?` for them.
                if crate::sheet::lost_letters(monitor) && diags.wants_warning() {
                    file.warning(
                        diags,
                        line,
                        Some(f_monitor),
                        format!("the monitor's name \"{monitor}\" has \"?\" where letters were lost"),
                    )
                    .help("open the log in your spreadsheet from a copy that has the letters (git history) and save it as \"CSV UTF-8 (Comma delimited)\", or type the name again");
                }
                monitors.push(Rc::from(monitor));
                Rc::clone(monitors.last().expect("just pushed"))
            }
        };
        let mut row = PracticumRow {
            line,
            date,
            hours,
            kind,
            monitor,
            reversal: None,
        };
        if reversing {
            let note = file.cell(&record, f_note);
            if note.is_empty() {
                file.error(
                    diags,
                    line,
                    Some(f_hours),
                    format!("negative hours ({hours_text}) without a note: a reversing row says why it cancels hours"),
                )
                .help("write the reason in the note column; `cohort practicum correct … --reason TEXT` writes such a row");
                continue;
            }
            let held = crate::model::held_in_slot(&records.practicum[p], &row);
            if hours > held {
                let slot = format!(
                    "{} rows of {id} on {date}{}",
                    kind.as_str(),
                    if row.monitor.is_empty() {
                        ", with no monitor".to_string()
                    } else {
                        format!(" monitored by {}", row.monitor)
                    }
                );
                file.error(
                    diags,
                    line,
                    Some(f_hours),
                    format!("this reversing row cancels {hours} h, but the earlier {slot} hold {held} h"),
                )
                .help("a reversing row has the date, kind and monitor of the row it corrects and cancels at most the hours logged before it; check them");
                continue;
            }
            row.reversal = Some(Rc::from(note));
        }
        let day_key = (p as u64) << 32 | u64::from(date.num_days_from_ce() as u32);
        let byte = file.at.get().1;
        let entry = per_day
            .entry(day_key)
            .or_insert((Hours::default(), line, byte, false));
        // A reversing row takes its hours away from the day's sum.
        entry.0 = if reversing {
            entry.0 - hours
        } else {
            entry.0 + hours
        };
        let day = entry.0;
        let earlier = (entry.1 != line).then(|| {
            let first = (entry.1, entry.2, entry.3);
            entry.3 = true;
            first
        });
        if day.seconds > 24 * 3600 {
            file.error(
                diags,
                line,
                Some(f_hours),
                format!("{id} has {day} hours on {date}; one day holds at most 24"),
            )
            .help("check the hours and the date of this row and the others of that day");
            continue;
        }
        if let Some((first_line, first_byte, hashed)) = earlier {
            if !hashed {
                let first = file.text_at(first_byte).trim_end_matches('\r');
                texts
                    .entry(line_hash(first))
                    .or_insert((first_line, first_byte));
            }
            let text = file.text_at(byte).trim_end_matches('\r');
            let key = line_hash(text);
            match texts.get(&key) {
                Some(&(first, at))
                    if file.text_at(at).trim_end_matches('\r') == text && diags.wants_warning() =>
                {
                    file.warning(
                        diags,
                        line,
                        None,
                        format!("repeats line {first} exactly; both rows count, {hours} h each"),
                    )
                    .help(format!(
                        "a git merge done twice leaves such copies: if the hours were done once, cancel the copy with a reversing row (`cohort practicum correct {} {id} --date {date} --hours {hours} --monitor \"{}\" --reason \"copy from a merge\"`); if they were done twice, add a note to one row to tell them apart",
                        cohort.id,
                        file.cell(&record, f_monitor)
                    ));
                }
                Some(_) => {}
                None => {
                    texts.insert(key, (line, byte));
                }
            }
        }
        if let Some(last) = last_session
            && let Err(why) = rules::counts(&row, last)
            && diags.wants_warning()
        {
            let field = match why {
                rules::NotCounted::Kind(_) => f_kind,
                rules::NotCounted::NoMonitor => f_monitor,
                rules::NotCounted::NotAfterCohort(_) => f_date,
            };
            let what = if reversing {
                format!("the reversal of {hours} h of {id} does not count either")
            } else {
                format!("{hours} h of {id} will not count")
            };
            file.warning(diags, line, Some(field), format!("{what}: {why}"));
        }
        records.practicum[p].push(row);
    }
}

#[cfg(test)]
mod tests {
    use super::{Index, plain_rfc3339, quick_hours};
    use crate::model::Hours;
    use proptest::prelude::*;

    #[test]
    fn plain_timestamps_are_those_chrono_accepts() {
        assert!(plain_rfc3339("2022-04-12T14:36:00-05:00"));
        assert!(plain_rfc3339("2022-04-12T14:36:00Z"));
        for other in [
            "2022-04-12 14:36:00-05:00",
            "2022-02-30T14:36:00-05:00",
            "2022-04-12T24:00:00Z",
            "2022-04-12T14:36:00.5Z",
            "2022-04-12T14:36:00-05",
            "2022-04-12T14:36:00+24:00",
        ] {
            assert!(!plain_rfc3339(other), "{other}");
        }
    }

    proptest! {
        #[test]
        fn plain_timestamps_parse(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})") {
            if plain_rfc3339(&text) {
                prop_assert!(chrono::DateTime::parse_from_rfc3339(&text).is_ok());
            }
            // The quick reading is chrono's reading, instant and offset alike.
            let quick = super::quick_rfc3339(&text);
            if quick.is_some() || plain_rfc3339(&text) {
                prop_assert_eq!(quick, chrono::DateTime::parse_from_rfc3339(&text).ok());
                prop_assert_eq!(quick.map(|t| t.offset().local_minus_utc()), chrono::DateTime::parse_from_rfc3339(&text).ok().map(|t| t.offset().local_minus_utc()));
            }
        }
    }

    #[test]
    fn quick_hours_reads_the_usual_forms_and_leaves_the_rest() {
        assert_eq!(quick_hours("2").map(|h| h.seconds), Some(7200));
        assert_eq!(quick_hours("0.72").map(|h| h.seconds), Some(2592));
        assert_eq!(quick_hours("1.5").map(|h| h.seconds), Some(5400));
        assert_eq!(quick_hours("1:30").map(|h| h.seconds), Some(5400));
        assert_eq!(quick_hours("0:01").map(|h| h.seconds), Some(60));
        for other in [
            "0", "0.00", "1.", ".5", "1,5", "1.234", "-1", "1e3", "", "0:00", "1:60", ":30", "1:3",
            "1:300", "1::30", "1.5:30",
        ] {
            assert_eq!(quick_hours(other), None, "{other}");
        }
    }

    #[test]
    fn index_finds_short_and_long_ids() {
        let cohort = crate::model::Cohort {
            id: "c".into(),
            name: "n".into(),
            timezone: "UTC".into(),
            delivery: String::new(),
            trainers: Vec::new(),
            sessions: Vec::new(),
            participants: ["p02", "p01", "a-very-long-participant-id", "p1", "p01x"]
                .iter()
                .map(|id| crate::model::Participant {
                    id: id.to_string(),
                    name: "x".into(),
                    email: None,
                    aliases: Vec::new(),
                    withdrawn: None,
                    evaluation: None,
                    practicum: None,
                })
                .collect(),
        };
        let index = Index::of(&cohort);
        for (i, p) in cohort.participants.iter().enumerate() {
            assert_eq!(index.get(&p.id), Some(&i));
        }
        for unknown in [
            "p0",
            "p03",
            "p01\0",
            "",
            "a-very-long-participant-i",
            "a-very-long-participant-idx",
        ] {
            assert_eq!(index.get(unknown), None, "{unknown:?}");
        }
    }

    proptest! {
        #[test]
        fn quick_hours_agrees_with_hours_parse(text in "[0-9.:, -]{0,12}|[0-9]{1,3}:[0-9]{2}") {
            if let Some(quick) = quick_hours(&text) {
                prop_assert_eq!(Ok(quick), Hours::parse(&text));
            }
        }

    }
}
