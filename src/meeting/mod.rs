//! Meeting reports: the participant report a meeting platform gives after a
//! webinar, turned into attendance.
//!
//! The shape is hyperfine's exporters: one file per platform, each a
//! [`Layout`] that recognises its own file and yields [`Attendee`] rows.
//! Everything around the readers is shared:
//!
//! * [`table`] turns the file's bytes into rows of cells with the line an
//!   editor shows (UTF-8 or UTF-16, `,` `;` or tab, LF, CRLF or a lone CR;
//!   .xlsx through calamine);
//! * [`time`] reads the many ways a time is written (`9/17/24 12:01`,
//!   `17/09/2024 12:01:05`, `9/17/2024, 11:58:03 AM`, `2024-09-17 12:01`,
//!   `11:58 AM`), leaving a day/month order the file does not settle to the
//!   session's date;
//! * [`names`] compares names (NFC, case folded, spaces collapsed);
//! * [`import`] applies the import rules of SPEC "Meeting reports" and says
//!   what it did, or refuses.
//!
//! A new platform is one new file here and one line in [`LAYOUTS`].

mod fit;
pub mod import;
pub mod matching;
mod meet;
pub mod names;
mod plan;
pub mod spans;
pub mod table;
mod teams;
pub mod time;
mod zoom;

pub use table::{Row, Table};

/// Who a row is in the meeting, as the report says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The host or organiser: a trainer, never a participant row.
    Host,
    /// A panelist or presenter: matched like anyone, but not a stranger when
    /// nobody matches.
    Panelist,
    Attendee,
}

/// One interval of one person in the meeting, as read from the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Where it is, for messages: a line of a text file or a row of a sheet.
    pub place: Place,
    /// The name shown in the meeting (`Jordan Lee (iPhone)`).
    pub name: String,
    pub email: Option<String>,
    /// For an attendee renamed in the meeting: the name they joined with.
    pub original: Option<String>,
    /// The join and leave times as the file writes them; [`time`] reads them.
    pub join: String,
    pub leave: String,
    /// Time spent in the waiting room (or lobby): it does not count.
    pub waiting: bool,
    pub role: Role,
    /// For layouts that give one row per person (first join, last leave):
    /// the time they were really in, as the file writes it. Minutes are
    /// never more than this.
    pub total: Option<String>,
}

/// Where a row is in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// Index in [`Table::sheets`] for a spreadsheet; `None` for text.
    pub sheet: Option<usize>,
    /// 1-based line (text) or row (sheet).
    pub line: usize,
}

/// What a reader makes of a file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The layout, in words: `Zoom participants report`.
    pub layout: String,
    /// The meeting's start as the file writes it, when it says.
    pub meeting_start: Option<String>,
    /// The host's e-mail, when the file says (Zoom's meeting block).
    pub host_email: Option<String>,
    /// Every interval, in file order.
    pub attendees: Vec<Attendee>,
    /// Whether the times carry no date (Google Meet): they are on the
    /// session's date.
    pub time_only: bool,
}

/// A problem with the file: where, and what is wrong and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Place,
    pub message: String,
}

impl Problem {
    pub fn at(place: Place, message: impl Into<String>) -> Problem {
        Problem {
            place,
            message: message.into(),
        }
    }

    /// A problem with the file as a whole (line 1).
    pub fn file(message: impl Into<String>) -> Problem {
        Problem::at(
            Place {
                sheet: None,
                line: 1,
            },
            message,
        )
    }
}

/// One platform's layouts: recognises its files and reads them.
pub trait Layout: Sync {
    /// Whether `table` is this layout's (by its column names and sections).
    fn recognises(&self, table: &Table) -> bool;
    /// The attendees of a table this layout recognises, or every problem.
    fn read(&self, table: &Table) -> Result<Report, Vec<Problem>>;
}

/// Every supported layout, in the order they are tried.
pub const LAYOUTS: &[&dyn Layout] = &[&teams::Teams, &zoom::Zoom, &meet::Meet];

/// Reads a report from its bytes: decodes it, finds the layout and reads
/// it. The error is every problem found, each with its place, and the table
/// they are in (for the sheet names of a workbook).
pub fn read(bytes: &[u8]) -> Result<(Report, Table), (Vec<Problem>, Table)> {
    let found = table::each_table(bytes, |table| {
        LAYOUTS
            .iter()
            .find(|layout| layout.recognises(&table))
            .map(|layout| (layout.read(&table), table))
    })
    .map_err(|problems| (problems, Table::default()))?;
    match found {
        Some((Ok(report), table)) => Ok((report, table)),
        Some((Err(problems), table)) => Err((problems, table)),
        None => Err((
            vec![Problem::file(
                "this is not a meeting report cohort knows: expected a Zoom participants or webinar \
             attendee report (columns like \"Name (Original Name)\", \"Join Time\", \"Leave Time\"), \
             a Microsoft Teams attendance report (\"2. Participants\", \"3. In-Meeting Activities\") \
             or a Google Meet attendance report (\"Time joined\", \"Time exited\"); \
             docs/meeting-reports.md shows each",
            )],
            Table::default(),
        )),
    }
}

/// `file:LINE` or `file (sheet "S", row N)`.
pub fn located(shown: &str, table: &Table, place: Place) -> String {
    match place.sheet {
        None => format!("{shown}:{}", place.line),
        Some(s) => format!(
            "{shown} (sheet \"{}\", row {})",
            table.sheets.get(s).map_or("?", String::as_str),
            place.line
        ),
    }
}

/// The header cell that matches one of `wanted` (trimmed, case-insensitive),
/// trying the wanted names in order of preference; its index.
pub(crate) fn column(cells: &[String], wanted: &[&str]) -> Option<usize> {
    wanted.iter().find_map(|w| {
        cells
            .iter()
            .position(|cell| cell.trim().eq_ignore_ascii_case(w))
    })
}

/// As [`column`], looking only after index `after` (a file may have two
/// columns of one name, e.g. the host's and the attendee's "User Email").
pub(crate) fn column_after(cells: &[String], wanted: &[&str], after: usize) -> Option<usize> {
    let from = after + 1;
    column(cells.get(from..)?, wanted).map(|i| from + i)
}

/// The trimmed cell `i` of a row, "" when it is missing.
pub(crate) fn cell(cells: &[String], i: Option<usize>) -> &str {
    i.and_then(|i| cells.get(i)).map_or("", |c| c.trim())
}

/// Zoom and Teams write a renamed attendee as `Shown Name (Original Name)`.
/// Splits the last parenthesised group off; `("Jo", Some("Jordan Lee"))`.
pub(crate) fn split_original(name: &str) -> (String, Option<String>) {
    let trimmed = name.trim();
    if let Some(open) = names::trailing_group_start(trimmed) {
        let before = trimmed[..open].trim_end();
        let inner = trimmed[open + 1..trimmed.len() - 1].trim();
        if !before.is_empty() && !inner.is_empty() {
            return (before.to_string(), Some(inner.to_string()));
        }
    }
    (trimmed.to_string(), None)
}
