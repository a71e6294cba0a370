//! Zoom: the participants report (with or without the meeting block above
//! it, current and older column names, and the export with the meeting's
//! columns on every row) and the Webinar attendee report (host, panelist
//! and attendee sections). The "unique users" export is refused: it keeps
//! one total per person, not when they were there.
//!
//! Recognised by a header line with a name column and "Join Time" and
//! "Leave Time" (any case, any order), or by the unique users' "Total
//! Duration (Minutes)".

use super::{Layout, Problem, Report, Role, Row, Table, cell, column, column_after};

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

/// What the rows say as they are read.
struct Read {
    report: Report,
    /// Participant headers seen: more than one is a webinar's sections.
    sections: usize,
    /// The meeting block's header, waiting for its row of values.
    meeting_header: Option<Vec<String>>,
    kind: &'static str,
    /// Whether the meeting block was above the participants.
    block: bool,
    problems: Vec<Problem>,
    /// The per-row export: every meeting it holds, by its start.
    meeting_starts: Vec<String>,
}

impl Read {
    fn header(&mut self, cols: &Columns) {
        if cols.meeting_start.is_some() {
            self.kind = "participants export with the meeting on every row";
        }
        if cols.attended.is_some() {
            self.kind = "webinar attendee report";
        }
        self.sections += 1;
    }

    /// A row outside the participants: the meeting block's header or values.
    fn meeting_block(&mut self, cells: &[String]) {
        if column(cells, MEETING_START).is_some()
            && (column(cells, MEETING_ID).is_some() || column(cells, &["Topic"]).is_some())
        {
            self.meeting_header = Some(cells.to_vec());
            return;
        }
        if let Some(header) = self.meeting_header.take() {
            self.block = true;
            self.report.meeting_start =
                Some(cell(cells, column(&header, MEETING_START)).to_string())
                    .filter(|s| !s.is_empty());
            self.report.host_email =
                Some(cell(cells, column(&header, EMAIL)).to_string()).filter(|s| !s.is_empty());
        }
    }

    /// One participant row, in a section of `role`.
    fn row(&mut self, row: &Row, cols: &Columns, role: Role) {
        let cells = &row.cells;
        if let Some(a) = cols.attended
            && cell(cells, Some(a)).eq_ignore_ascii_case("no")
        {
            return;
        }
        let name = match row.name(cols.name) {
            Ok(name) => name,
            Err(problem) => return self.problems.push(problem),
        };
        if let Some(m) = cols.meeting_start {
            let start = cell(cells, Some(m)).to_string();
            if !self.meeting_starts.contains(&start) {
                self.meeting_starts.push(start.clone());
            }
            self.report.meeting_start.get_or_insert(start);
            if let Some(h) = cols.host_email {
                let host = cell(cells, Some(h));
                if !host.is_empty() {
                    self.report.host_email.get_or_insert(host.to_string());
                }
            }
        }
        let mut attendee = row.attendee(name, cols.email, cols.join, cols.leave);
        attendee.waiting = cell(cells, cols.waiting).eq_ignore_ascii_case("yes");
        attendee.role = role;
        self.report.attendees.push(attendee);
    }

    /// The report with its layout named, or every problem.
    fn finish(mut self) -> Result<Report, Vec<Problem>> {
        if self.meeting_starts.len() > 1 {
            self.problems.push(Problem::file(format!(
                "this export holds {} meetings (starting {}); export the participants of the one webinar you record",
                self.meeting_starts.len(),
                self.meeting_starts.join(", ")
            )));
        }
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        let mut report = self.report;
        report.layout = match (self.kind, self.block) {
            ("participants report", true) => {
                "Zoom participants report (with the meeting block)".into()
            }
            (kind, _) => format!("Zoom {kind}"),
        };
        if self.sections > 1 && self.kind == "participants report" {
            report.layout = "Zoom participants report".into();
        }
        Ok(report)
    }
}

impl Layout for Zoom {
    fn recognises(&self, table: &Table) -> bool {
        table
            .rows
            .iter()
            .any(|r| participant_header(&r.cells).is_some() || unique_users_header(&r.cells))
    }

    fn read(&self, table: &Table) -> Result<Report, Vec<Problem>> {
        let mut read = Read {
            report: Report::default(),
            sections: 0,
            meeting_header: None,
            kind: "participants report",
            block: false,
            problems: Vec::new(),
            meeting_starts: Vec::new(),
        };
        let mut columns: Option<Columns> = None;
        let mut role = Role::Attendee;
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
                read.header(&cols);
                columns = Some(cols);
                continue;
            }
            if let Some(r) = section_title(cells) {
                role = r;
                columns = None;
                continue;
            }
            match &columns {
                None => read.meeting_block(cells),
                Some(cols) => read.row(row, cols, role),
            }
        }
        read.finish()
    }
}
