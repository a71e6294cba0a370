//! Google Meet: the attendance report (Workspace), one row per person with
//! "First name", "Last name" (or one "Name"), "Email", "Duration", "Time
//! joined" and "Time exited". Its times carry no date: they are read on the
//! session's date, and the wrong-date check cannot be made (the shifted-hours
//! check still is). A person's minutes never exceed their "Duration": the
//! joined and exited times are their first and last.
//!
//! Recognised by the "Time joined" and "Time exited" columns.

use super::{Attendee, Layout, Problem, Report, Role, Table, cell, column};

pub struct Meet;

const FIRST: &[&str] = &["First name", "First Name"];
const LAST: &[&str] = &["Last name", "Last Name"];
const NAME: &[&str] = &["Name", "Participant", "Full name"];
const EMAIL: &[&str] = &["Email", "E-mail", "Email address"];
const DURATION: &[&str] = &["Duration", "Attended duration"];
const JOINED: &[&str] = &["Time joined", "Joined at", "First seen"];
const EXITED: &[&str] = &["Time exited", "Exited at", "Last seen"];

struct Columns {
    first: Option<usize>,
    last: Option<usize>,
    name: Option<usize>,
    email: Option<usize>,
    duration: Option<usize>,
    joined: usize,
    exited: usize,
}

fn header(cells: &[String]) -> Option<Columns> {
    let cols = Columns {
        first: column(cells, FIRST),
        last: column(cells, LAST),
        name: column(cells, NAME),
        email: column(cells, EMAIL),
        duration: column(cells, DURATION),
        joined: column(cells, JOINED)?,
        exited: column(cells, EXITED)?,
    };
    (cols.first.is_some() || cols.name.is_some()).then_some(cols)
}

impl Layout for Meet {
    fn recognises(&self, table: &Table) -> bool {
        table.rows.iter().any(|r| header(&r.cells).is_some())
    }

    fn read(&self, table: &Table) -> Result<Report, Vec<Problem>> {
        let mut report = Report {
            layout: "Google Meet attendance report".into(),
            time_only: true,
            ..Report::default()
        };
        let mut columns = None;
        let mut problems = Vec::new();
        for row in &table.rows {
            if row.is_blank() {
                continue;
            }
            let cells = &row.cells;
            if let Some(cols) = header(cells) {
                columns = Some(cols);
                continue;
            }
            let Some(cols) = &columns else { continue };
            let name = match cols.name {
                Some(n) => cell(cells, Some(n)).to_string(),
                None => format!("{} {}", cell(cells, cols.first), cell(cells, cols.last))
                    .trim()
                    .to_string(),
            };
            if name.is_empty() {
                problems.push(Problem::at(
                    row.place,
                    "the name cells are empty; expected the attendee's name",
                ));
                continue;
            }
            report.attendees.push(Attendee {
                place: row.place,
                name,
                email: Some(cell(cells, cols.email).to_string()).filter(|s| !s.is_empty()),
                original: None,
                join: cell(cells, Some(cols.joined)).to_string(),
                leave: cell(cells, Some(cols.exited)).to_string(),
                waiting: false,
                role: Role::Attendee,
                total: Some(cell(cells, cols.duration).to_string()).filter(|s| !s.is_empty()),
            });
        }
        if problems.is_empty() {
            Ok(report)
        } else {
            Err(problems)
        }
    }
}
