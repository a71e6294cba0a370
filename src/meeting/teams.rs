//! Microsoft Teams: the attendance report, as downloaded (UTF-16 with a
//! byte-order mark, tab separated) or re-saved (UTF-8, commas or `;`), or as
//! an .xlsx workbook (its sections on one sheet or on a sheet each).
//!
//! Its numbered sections: `1. Summary` (key and value rows: "Start time"),
//! `2. Participants` (one row per person: "First Join", "Last Leave",
//! "In-Meeting Duration" like `1h 27m 51s`) and `3. In-Meeting Activities`
//! (one row per join: "Join Time", "Leave Time"). The activities give the
//! intervals; without them, a person's first join to last leave is used,
//! never counting more than their in-meeting duration. The older report
//! (`Full Name`, `User Action` Joined/Left, `Timestamp`) is read too.
//! "Role" says who organised (a host) and who presented.

use std::collections::HashMap;

use super::{Attendee, Layout, Problem, Report, Role, Row, Table, cell, column};

pub struct Teams;

const NAME: &[&str] = &["Name", "Full Name", "Participant"];
const EMAIL: &[&str] = &["Email", "Participant ID (UPN)", "UPN"];
const FIRST: &[&str] = &["First Join", "First join"];
const LAST: &[&str] = &["Last Leave", "Last leave"];
const TOTAL: &[&str] = &["In-Meeting Duration", "In-meeting duration", "Duration"];
const JOIN: &[&str] = &["Join Time", "Join time"];
const LEAVE: &[&str] = &["Leave Time", "Leave time"];
const ROLE: &[&str] = &["Role"];
const ACTION: &[&str] = &["User Action"];
const STAMP: &[&str] = &["Timestamp"];
const START: &[&str] = &["Start time", "Meeting Start Time", "Meeting start time"];

fn is_section_title(cells: &[String]) -> bool {
    let first = cells.first().map_or("", |c| c.trim());
    let rest_blank = cells.iter().skip(1).all(|c| c.trim().is_empty());
    let numbered = first
        .split_once(". ")
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    rest_blank && (numbered || first.eq_ignore_ascii_case("Meeting Summary"))
}

fn role(text: &str) -> Role {
    match text.trim().to_lowercase().as_str() {
        "organizer" | "organiser" | "co-organizer" | "co-organiser" => Role::Host,
        "presenter" => Role::Panelist,
        _ => Role::Attendee,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// One row per person: first join, last leave, total.
    People,
    /// One row per join.
    Activities,
    /// The older report: one row per Joined/Left event.
    Events,
}

struct Columns {
    kind: Kind,
    name: usize,
    email: Option<usize>,
    join: usize,
    leave: usize,
    total: Option<usize>,
    role: Option<usize>,
}

fn header(cells: &[String]) -> Option<Columns> {
    let name = column(cells, NAME)?;
    let email = column(cells, EMAIL);
    let role = column(cells, ROLE);
    let columns = |kind, join, leave, total| Columns {
        kind,
        name,
        email,
        join,
        leave,
        total,
        role,
    };
    if let (Some(first), Some(last)) = (column(cells, FIRST), column(cells, LAST)) {
        return Some(columns(Kind::People, first, last, column(cells, TOTAL)));
    }
    if let (Some(join), Some(leave)) = (column(cells, JOIN), column(cells, LEAVE)) {
        return Some(columns(Kind::Activities, join, leave, None));
    }
    if let (Some(action), Some(stamp)) = (column(cells, ACTION), column(cells, STAMP)) {
        return Some(columns(Kind::Events, action, stamp, None));
    }
    None
}

/// What the rows say, section by section, before the sections are put together.
#[derive(Default)]
struct Read {
    report: Report,
    people: Vec<Attendee>,
    activities: Vec<Attendee>,
    problems: Vec<Problem>,
    /// The older report: open joins by lower-case name.
    open: HashMap<String, Attendee>,
}

impl Read {
    /// One row of a section with columns.
    fn row(&mut self, row: &Row, cols: &Columns) {
        let cells = &row.cells;
        let name = match row.name(cols.name) {
            Ok(name) => name,
            Err(problem) => return self.problems.push(problem),
        };
        let mut attendee = row.attendee(name, cols.email, cols.join, cols.leave);
        attendee.role = role(cell(cells, cols.role));
        attendee.total = cols
            .total
            .map(|t| cell(cells, Some(t)).to_string())
            .filter(|s| !s.is_empty());
        match cols.kind {
            Kind::People => self.people.push(attendee),
            Kind::Activities => self.activities.push(attendee),
            Kind::Events => self.event(row, cols, attendee),
        }
    }

    /// A Joined or Left row of the older report: pairs them into intervals.
    fn event(&mut self, row: &Row, cols: &Columns, attendee: Attendee) {
        let cells = &row.cells;
        let name = attendee.name.clone();
        let action = cell(cells, Some(cols.join)).to_lowercase();
        let stamp = cell(cells, Some(cols.leave)).to_string();
        if action.starts_with("joined") {
            let mut a = attendee;
            a.join = stamp;
            a.leave = String::new();
            if let Some(prev) = self.open.insert(name.to_lowercase(), a) {
                self.problems.push(Problem::at(
                    prev.place,
                    format!("\"{}\" joins again at line {} without having left; the report is incomplete", prev.name, row.place.line),
                ));
            }
        } else if action.starts_with("left") {
            match self.open.remove(&name.to_lowercase()) {
                Some(mut a) => {
                    a.leave = stamp;
                    self.activities.push(a);
                }
                None => self.problems.push(Problem::at(
                    row.place,
                    format!("\"{name}\" leaves without having joined; the report is incomplete"),
                )),
            }
        } else {
            self.problems.push(Problem::at(
                row.place,
                format!(
                    "\"User Action\" is \"{}\"; expected Joined or Left",
                    cell(cells, Some(cols.join))
                ),
            ));
        }
    }

    /// The report from the sections read, or every problem.
    fn finish(mut self, table: &Table) -> Result<Report, Vec<Problem>> {
        // Still in at the end of the older report: in until the last event.
        let mut still: Vec<Attendee> = self.open.into_values().collect();
        still.sort_by_key(|a| a.place);
        for a in still {
            self.problems.push(Problem::at(
                a.place,
                format!(
                    "\"{}\" joins and never leaves in the report; download it again after the meeting has ended",
                    a.name
                ),
            ));
        }
        if !self.problems.is_empty() {
            self.problems.sort_by_key(|p| p.place);
            return Err(self.problems);
        }
        let mut report = self.report;
        if self.activities.is_empty() {
            report.attendees = self.people;
            report.layout = "Microsoft Teams attendance report (participants only)".into();
        } else {
            let mut activities = self.activities;
            // Roles are given in the participants section of some versions only.
            for a in &mut activities {
                if a.role == Role::Attendee
                    && let Some(p) = self
                        .people
                        .iter()
                        .find(|p| p.name == a.name && p.email == a.email)
                {
                    a.role = p.role;
                }
            }
            report.attendees = activities;
            report.layout = "Microsoft Teams attendance report".into();
        }
        if !table.sheets.is_empty() {
            report.layout += " (.xlsx)";
        }
        Ok(report)
    }
}

impl Layout for Teams {
    fn recognises(&self, table: &Table) -> bool {
        table.rows.iter().any(|r| {
            is_section_title(&r.cells)
                || header(&r.cells).is_some_and(|c| c.kind != Kind::Activities)
        })
    }

    fn read(&self, table: &Table) -> Result<Report, Vec<Problem>> {
        let mut read = Read::default();
        let mut columns: Option<Columns> = None;
        for row in &table.rows {
            let cells = &row.cells;
            if row.is_blank() {
                continue;
            }
            if is_section_title(cells) {
                columns = None;
                continue;
            }
            if let Some(cols) = header(cells) {
                columns = Some(cols);
                continue;
            }
            match &columns {
                Some(cols) => read.row(row, cols),
                // The summary's key and value rows.
                None if column(cells, START) == Some(0) => {
                    read.report.meeting_start = Some(cell(cells, Some(1)).to_string());
                }
                None => {}
            }
        }
        read.finish(table)
    }
}
