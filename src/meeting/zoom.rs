//! Zoom: the participants report (with or without the meeting block above
//! it, current and older column names, and the export with the meeting's
//! columns on every row) and the Webinar attendee report (host, panelist
//! and attendee sections). The "unique users" export is refused: it keeps
//! one total per person, not when they were there.
//!
//! Recognised by a header line with a name column and "Join Time" and
//! "Leave Time" (any case, any order), or by the unique users' "Total
//! Duration (Minutes)".

use super::{Attendee, Layout, Problem, Report, Role, Table, cell, column, column_after};

pub struct Zoom;

const NAME: &[&str] = &[
    "Name (Original Name)",
    "User Name (Original Name)",
    "Name",
    "User Name",
    "Participant",
];
const EMAIL: &[&str] = &["User Email", "Email", "Email Address", "Attendee Email"];
const JOIN: &[&str] = &["Join Time"];
const LEAVE: &[&str] = &["Leave Time"];
const WAITING: &[&str] = &["In Waiting Room", "Waiting Room"];
const ATTENDED: &[&str] = &["Attended"];
const UNIQUE: &[&str] = &["Total Duration (Minutes)", "Total Duration (Mins)"];
const MEETING_START: &[&str] = &["Start Time", "Actual Start Time"];
const MEETING_ID: &[&str] = &["Meeting ID", "Webinar ID"];

struct Columns {
    name: usize,
    email: Option<usize>,
    join: usize,
    leave: usize,
    waiting: Option<usize>,
    attended: Option<usize>,
    /// The per-row export: the meeting's start on every row.
    meeting_start: Option<usize>,
    host_email: Option<usize>,
}

fn participant_header(cells: &[String]) -> Option<Columns> {
    let name = column(cells, NAME)?;
    let join = column(cells, JOIN)?;
    let leave = column(cells, LEAVE)?;
    let meeting = column(cells, MEETING_ID).filter(|&m| m < name);
    Some(Columns {
        name,
        email: column_after(cells, EMAIL, name).or_else(|| column(cells, EMAIL)),
        join,
        leave,
        waiting: column(cells, WAITING),
        attended: column(cells, ATTENDED),
        meeting_start: meeting.and_then(|_| column(cells, MEETING_START)),
        host_email: meeting.and_then(|_| column(cells, EMAIL).filter(|&e| e < name)),
    })
}

fn unique_users_header(cells: &[String]) -> bool {
    column(cells, NAME).is_some()
        && column(cells, UNIQUE).is_some()
        && column(cells, JOIN).is_none()
}

/// `Host Details`, `Panelist Details`, `Attendee Details`: the role of the
/// section that follows.
fn section_title(cells: &[String]) -> Option<Role> {
    let first = cells.first()?.trim().to_lowercase();
    if cells.iter().skip(1).any(|c| !c.trim().is_empty()) || !first.ends_with("details") {
        return None;
    }
    Some(if first.starts_with("host") {
        Role::Host
    } else if first.starts_with("panelist") {
        Role::Panelist
    } else {
        Role::Attendee
    })
}

impl Layout for Zoom {
    fn recognises(&self, table: &Table) -> bool {
        table
            .rows
            .iter()
            .any(|r| participant_header(&r.cells).is_some() || unique_users_header(&r.cells))
    }

    fn read(&self, table: &Table) -> Result<Report, Vec<Problem>> {
        let mut report = Report::default();
        let mut columns: Option<Columns> = None;
        let mut role = Role::Attendee;
        let mut sections = 0;
        let mut meeting_header: Option<Vec<String>> = None;
        let mut kind = "participants report";
        let mut block = false;
        let mut problems = Vec::new();
        let mut meeting_starts: Vec<String> = Vec::new();
        for row in &table.rows {
            let cells = &row.cells;
            if row.is_blank() {
                continue;
            }
            if unique_users_header(cells) {
                return Err(vec![Problem::at(
                    row.place,
                    "this is Zoom's \"unique users\" export: it keeps one total per person, not when each was there, \
                     so the minutes inside the session cannot be told. Export the participants report again with \
                     the \"Show unique users\" box unticked",
                )]);
            }
            if let Some(cols) = participant_header(cells) {
                if cols.meeting_start.is_some() {
                    kind = "participants export with the meeting on every row";
                }
                if cols.attended.is_some() {
                    kind = "webinar attendee report";
                }
                columns = Some(cols);
                sections += 1;
                continue;
            }
            if let Some(r) = section_title(cells) {
                role = r;
                columns = None;
                continue;
            }
            if columns.is_none() {
                if column(cells, MEETING_START).is_some()
                    && (column(cells, MEETING_ID).is_some() || column(cells, &["Topic"]).is_some())
                {
                    meeting_header = Some(cells.clone());
                    continue;
                }
                if let Some(header) = meeting_header.take() {
                    block = true;
                    report.meeting_start =
                        Some(cell(cells, column(&header, MEETING_START)).to_string())
                            .filter(|s| !s.is_empty());
                    report.host_email = Some(cell(cells, column(&header, EMAIL)).to_string())
                        .filter(|s| !s.is_empty());
                }
                continue;
            }
            let cols = columns.as_ref().expect("checked above");
            if let Some(a) = cols.attended
                && cell(cells, Some(a)).eq_ignore_ascii_case("no")
            {
                continue;
            }
            let name = cell(cells, Some(cols.name)).to_string();
            if name.is_empty() {
                problems.push(Problem::at(
                    row.place,
                    "the name cell is empty; expected the attendee's name",
                ));
                continue;
            }
            if let Some(m) = cols.meeting_start {
                let start = cell(cells, Some(m)).to_string();
                if !meeting_starts.contains(&start) {
                    meeting_starts.push(start.clone());
                }
                report.meeting_start.get_or_insert(start);
                if let Some(h) = cols.host_email {
                    let host = cell(cells, Some(h));
                    if !host.is_empty() {
                        report.host_email.get_or_insert(host.to_string());
                    }
                }
            }
            let (_, original) = super::split_original(&name);
            report.attendees.push(Attendee {
                place: row.place,
                name,
                email: Some(cell(cells, cols.email).to_string()).filter(|s| !s.is_empty()),
                original,
                join: cell(cells, Some(cols.join)).to_string(),
                leave: cell(cells, Some(cols.leave)).to_string(),
                waiting: cell(cells, cols.waiting).eq_ignore_ascii_case("yes"),
                role,
                total: None,
            });
        }
        if meeting_starts.len() > 1 {
            problems.push(Problem::file(format!(
                "this export holds {} meetings (starting {}); export the participants of the one webinar you record",
                meeting_starts.len(),
                meeting_starts.join(", ")
            )));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        report.layout = match (kind, block) {
            ("participants report", true) => {
                "Zoom participants report (with the meeting block)".into()
            }
            (kind, _) => format!("Zoom {kind}"),
        };
        if sections > 1 && kind == "participants report" {
            report.layout = "Zoom participants report".into();
        }
        Ok(report)
    }
}
