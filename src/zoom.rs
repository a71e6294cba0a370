//! Reading Zoom participant reports and measuring attendance.
//!
//! A participant report is the CSV that Zoom exports for a meeting, with or
//! without a meeting-summary block above the participant table. [`parse`]
//! finds the table by its column names and returns one [`ReportRow`] per
//! join/leave session; [`minutes_in_window`] turns a participant's sessions
//! into minutes attended; [`name_key`] and [`email_key`] give the keys used to
//! match report rows to participants.
//!
//! Decisions worth knowing:
//!
//! * **Times are naive local times** of the meeting's timezone, as Zoom
//!   writes them. A time carrying a UTC offset or a `Z` is *rejected* with an
//!   error rather than having its offset dropped: dropping it would be silently
//!   wrong whenever the offset is not the meeting's, and converting it would
//!   need the meeting's timezone, which this module does not know.
//! * **Slash dates need AM/PM.** `MM/DD/YYYY` is only accepted with a 12-hour
//!   clock and AM/PM, the shape of US-locale exports. A 24-hour slash date
//!   (`05/09/2024 14:00`) most likely comes from a `DD/MM/YYYY` locale, so it
//!   is rejected instead of being misread as May 9.
//! * **Parenthesised suffixes are stripped from name keys.** Zoom writes a
//!   renamed participant as `Renamed (Original Name)` and devices or pronouns
//!   often end up in parentheses too (`Jordan Lee (iPhone)`,
//!   `Sam Roe (they/them)`). [`name_key`] drops every trailing parenthesised
//!   group, so the key is the name shown in the meeting. Names and aliases go
//!   through the same function, so an alias written with or without such a
//!   suffix matches either way. Two people whose names differ only in the
//!   suffix get the same key; callers should treat a key shared by two
//!   participants as ambiguous.

use chrono::NaiveDateTime;

/// One join/leave session of one participant, as read from the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// 1-based line in the file where the row starts.
    pub line: usize,
    /// The name cell, trimmed (e.g. `Jordan Lee (iPhone)`).
    pub name: String,
    /// The email cell, trimmed; `None` when the column is missing or empty.
    pub email: Option<String>,
    pub join: NaiveDateTime,
    pub leave: NaiveDateTime,
}

/// A problem in a report: where it is, and what is wrong in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportError {
    /// 1-based line in the file (1 for problems with the file as a whole).
    pub line: usize,
    /// What is wrong and what would be right.
    pub message: String,
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ReportError {}

/// Accepted header names (compared trimmed and case-insensitively), in order
/// of preference when a header line has more than one of them.
const NAME_HEADERS: &[&str] = &[
    "Name (Original Name)",
    "Name",
    "Participant",
    "User Name (Original Name)",
    "User Name",
];
const EMAIL_HEADERS: &[&str] = &["User Email", "Email", "Email Address"];
const JOIN_HEADERS: &[&str] = &["Join Time"];
const LEAVE_HEADERS: &[&str] = &["Leave Time"];

const TIME_EXAMPLE: &str = "09/17/2024 11:58:03 AM or 2024-09-17 11:58:03";

/// Where the columns we use sit in the participant table.
struct Columns {
    name: usize,
    email: Option<usize>,
    join: usize,
    leave: usize,
    /// Header texts as written in the file, for error messages.
    join_header: String,
    leave_header: String,
    name_header: String,
}

/// Parse a whole report, collecting EVERY problem (never just the first).
///
/// Finds the participant table's header line by its column names (the first
/// line that has a name column and join and leave columns); lines above it
/// (the meeting summary) are ignored. Headers are matched trimmed and
/// case-insensitively, in any order; extra columns are ignored. Errors: no
/// participant table found (saying which columns were expected), a row with a
/// missing or unparsable time, leave before join, empty name. Rows that are
/// entirely empty are skipped. A leading byte-order mark, CRLF line ends and
/// blank lines are accepted.
pub fn parse(text: &str) -> Result<Vec<ReportRow>, Vec<ReportError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let mut columns: Option<Columns> = None;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut lines = LineCounter::new(text);

    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(1, |p| lines.line_at(p.byte()));
                errors.push(ReportError {
                    line,
                    message: format!("this line is not valid CSV ({err})"),
                });
                continue;
            }
        };
        let line = record.position().map_or(1, |p| lines.line_at(p.byte()));
        match &columns {
            None => columns = find_columns(&record),
            Some(cols) => {
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                match parse_row(&record, cols, line) {
                    Ok(row) => rows.push(row),
                    Err(mut row_errors) => errors.append(&mut row_errors),
                }
            }
        }
    }

    if columns.is_none() {
        return Err(vec![ReportError {
            line: 1,
            message: format!(
                "no participant table found: expected a header line with a name column ({}), \
                 a join column ({}) and a leave column ({}); an email column ({}) is optional",
                quoted_list(NAME_HEADERS),
                quoted_list(JOIN_HEADERS),
                quoted_list(LEAVE_HEADERS),
                quoted_list(EMAIL_HEADERS),
            ),
        }]);
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// Turns the byte positions the CSV reader reports into 1-based line numbers.
///
/// The reader's own line count is not used: it is off after blank CRLF lines.
/// And a record's reported position is where the reader stood before it, that
/// is, possibly before the previous line end and any blank lines, so the
/// record starts at the first byte after it that is not `\r` or `\n`.
/// Positions must be asked for in increasing order.
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .clamp(self.pos, self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.line += self.text[self.pos..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = start;
        self.line
    }
}

/// `"A", "B" or "C"`.
fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The index and text of the first cell matching one of `wanted`, trying the
/// wanted names in order of preference.
fn find_column(record: &csv::StringRecord, wanted: &[&str]) -> Option<(usize, String)> {
    wanted.iter().find_map(|w| {
        record
            .iter()
            .position(|cell| cell.trim().eq_ignore_ascii_case(w))
            .map(|i| (i, record[i].trim().to_string()))
    })
}

fn find_columns(record: &csv::StringRecord) -> Option<Columns> {
    let (name, name_header) = find_column(record, NAME_HEADERS)?;
    let (join, join_header) = find_column(record, JOIN_HEADERS)?;
    let (leave, leave_header) = find_column(record, LEAVE_HEADERS)?;
    let email = find_column(record, EMAIL_HEADERS).map(|(i, _)| i);
    Some(Columns {
        name,
        email,
        join,
        leave,
        join_header,
        leave_header,
        name_header,
    })
}

fn parse_row(
    record: &csv::StringRecord,
    cols: &Columns,
    line: usize,
) -> Result<ReportRow, Vec<ReportError>> {
    let cell = |i: usize| record.get(i).unwrap_or("").trim();
    let mut errors = Vec::new();
    let mut error = |message: String| errors.push(ReportError { line, message });

    let name = cell(cols.name);
    if name.is_empty() {
        error(format!(
            "\"{}\" is empty; expected the participant's name",
            cols.name_header
        ));
    }
    let email = cols
        .email
        .map(cell)
        .filter(|e| !e.is_empty())
        .map(str::to_string);

    let mut time = |i: usize, header: &str| match parse_time(cell(i)) {
        Ok(t) => Some(t),
        Err(message) => {
            error(format!("\"{header}\" {message}"));
            None
        }
    };
    let join = time(cols.join, &cols.join_header);
    let leave = time(cols.leave, &cols.leave_header);

    if let (Some(join), Some(leave)) = (join, leave) {
        if leave < join {
            error(format!(
                "\"{}\" {} is before \"{}\" {}; a participant must leave at or after joining",
                cols.leave_header,
                cell(cols.leave),
                cols.join_header,
                cell(cols.join),
            ));
        }
        if errors.is_empty() {
            return Ok(ReportRow {
                line,
                name: name.to_string(),
                email,
                join,
                leave,
            });
        }
    }
    Err(errors)
}

/// Parse one time cell. On failure, the message continues after the column
/// name, e.g. `is "13/45/2024 10:00"; expected a time like ...`.
fn parse_time(s: &str) -> Result<NaiveDateTime, String> {
    if s.is_empty() {
        return Err(format!("is empty; expected a time like {TIME_EXAMPLE}"));
    }
    const US: &[&str] = &["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p"];
    const ISO: &[&str] = &[
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ];
    let try_formats = |s: &str, formats: &[&str]| {
        formats
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    };
    if let Some(t) = try_formats(s, US).or_else(|| try_formats(s, ISO)) {
        return Ok(t);
    }
    if let Some(local) = strip_offset(s)
        && try_formats(local, ISO).is_some()
    {
        return Err(format!(
            "is \"{s}\", which has a UTC offset; expected the meeting's local time \
             without an offset, like {TIME_EXAMPLE}"
        ));
    }
    Err(format!("is \"{s}\"; expected a time like {TIME_EXAMPLE}"))
}

/// If `s` ends in an ISO 8601 offset (`Z`, `+02`, `+0200`, `+02:00`, or the
/// same with `-`), the part before it.
fn strip_offset(s: &str) -> Option<&str> {
    if let Some(rest) = s.strip_suffix(['Z', 'z']) {
        return Some(rest.trim_end());
    }
    let sign = s.rfind(['+', '-'])?;
    let (rest, offset) = s.split_at(sign);
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    let shaped = matches!(offset.len(), 3 | 5 | 6)
        && (digits.len() == 2 || digits.len() == 4)
        && digits.chars().all(|c| c.is_ascii_digit());
    // The sign must come after the time part, not inside the date.
    (shaped && rest.contains(':')).then(|| rest.trim_end())
}

/// Minutes attended: the length of the UNION of the intervals (two devices at
/// once count once), clipped to the window `[start, end)` (joining early or
/// staying late does not count), rounded DOWN to whole minutes.
///
/// Intervals whose leave is not after their join count for nothing. Runs in
/// O(n log n): one sort, then one sweep.
pub fn minutes_in_window(
    intervals: &[(NaiveDateTime, NaiveDateTime)],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> u32 {
    let mut clipped: Vec<(NaiveDateTime, NaiveDateTime)> = intervals
        .iter()
        .map(|&(join, leave)| (join.max(start), leave.min(end)))
        .filter(|(join, leave)| join < leave)
        .collect();
    clipped.sort_unstable();

    let mut total = chrono::TimeDelta::zero();
    let mut current: Option<(NaiveDateTime, NaiveDateTime)> = None;
    for (join, leave) in clipped {
        current = match current {
            Some((cur_join, cur_leave)) if join <= cur_leave => {
                Some((cur_join, cur_leave.max(leave)))
            }
            Some((cur_join, cur_leave)) => {
                total += cur_leave - cur_join;
                Some((join, leave))
            }
            None => Some((join, leave)),
        };
    }
    if let Some((cur_join, cur_leave)) = current {
        total += cur_leave - cur_join;
    }
    u32::try_from(total.num_minutes()).unwrap_or(u32::MAX)
}

/// Key for matching a report name or alias to a participant.
///
/// Trims, collapses inner whitespace runs to one space, drops every trailing
/// parenthesised group (Zoom's `Renamed (Original Name)`, a device such as
/// `(iPhone)`, pronouns) as long as some name is left before it, and
/// lowercases with Unicode lowercasing. So `"  Jordan   LEE (iPhone) "` gives
/// `"jordan lee"`, while a name that is only a parenthesised group, such as
/// `"(iPad)"`, keeps it: `"(ipad)"`.
pub fn name_key(name: &str) -> String {
    let collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut key = collapsed.as_str();
    while let Some(open) = trailing_group_start(key) {
        let before = key[..open].trim_end();
        if before.is_empty() {
            break;
        }
        key = before;
    }
    key.to_lowercase()
}

/// Byte index of the `(` that opens the parenthesised group ending `s`, if
/// `s` ends with `)` and its parentheses balance.
fn trailing_group_start(s: &str) -> Option<usize> {
    if !s.ends_with(')') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Email key: trimmed, lowercased.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    /// 2024-09-17 at h:m:s.
    fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
        t(2024, 9, 17, h, m, s)
    }

    const WITH_SUMMARY: &str = "\
Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,Peer Support Core Essentials - Webinar 3,09/17/2024 11:52:10 AM,09/17/2024 02:07:44 PM,host@example.org,136,19

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Jordan Lee,jordan@example.org,09/17/2024 11:58:03 AM,09/17/2024 02:01:12 PM,124,No
Jordan Lee (iPhone),,09/17/2024 12:30:00 PM,09/17/2024 01:00:00 PM,30,Yes
";

    fn rows(text: &str) -> Vec<ReportRow> {
        parse(text).unwrap_or_else(|e| panic!("unexpected errors: {e:#?}"))
    }

    fn errors(text: &str) -> Vec<ReportError> {
        match parse(text) {
            Ok(rows) => panic!("expected errors, got rows: {rows:#?}"),
            Err(errors) => errors,
        }
    }

    #[test]
    fn summary_block_is_skipped_and_table_read() {
        let rows = rows(WITH_SUMMARY);
        assert_eq!(
            rows,
            vec![
                ReportRow {
                    line: 5,
                    name: "Jordan Lee".into(),
                    email: Some("jordan@example.org".into()),
                    join: at(11, 58, 3),
                    leave: at(14, 1, 12),
                },
                ReportRow {
                    line: 6,
                    name: "Jordan Lee (iPhone)".into(),
                    email: None,
                    join: at(12, 30, 0),
                    leave: at(13, 0, 0),
                },
            ]
        );
    }

    #[test]
    fn without_summary_the_header_is_the_first_line() {
        let text = "\
Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Jordan Lee,jordan@example.org,09/17/2024 11:58:03 AM,09/17/2024 02:01:12 PM,124,No
";
        let rows = rows(text);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].join, at(11, 58, 3));
    }

    #[test]
    fn other_header_names_any_order_extra_columns() {
        let text = "\
Guest, leave time ,Recording Consent,EMAIL,Participant,Join time
No,09/17/2024 01:00 PM,Y,ana@example.org,Ana Ruiz,09/17/2024 12:00 PM
";
        assert_eq!(
            rows(text),
            vec![ReportRow {
                line: 2,
                name: "Ana Ruiz".into(),
                email: Some("ana@example.org".into()),
                join: at(12, 0, 0),
                leave: at(13, 0, 0),
            }]
        );

        let text = "Join Time,Name,Leave Time\n2024-09-17 10:00:00,Bo Chen,2024-09-17 11:00:00\n";
        let rows = rows(text);
        assert_eq!(rows[0].name, "Bo Chen");
        assert_eq!(rows[0].email, None);
        assert_eq!((rows[0].join, rows[0].leave), (at(10, 0, 0), at(11, 0, 0)));
    }

    #[test]
    fn preferred_name_column_wins_when_several_are_present() {
        let text = "Participant,Name (Original Name),Join Time,Leave Time\n\
                    Wrong,Right,2024-09-17 10:00,2024-09-17 11:00\n";
        assert_eq!(rows(text)[0].name, "Right");
    }

    #[test]
    fn bom_crlf_and_blank_trailing_lines() {
        let text = WITH_SUMMARY.replace('\n', "\r\n");
        let text = format!("\u{feff}{text}\r\n\r\n,,,,,\r\n\r\n");
        let rows = rows(&text);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[1].line), (5, 6));
        assert_eq!(rows[1].name, "Jordan Lee (iPhone)");

        // A BOM right before a header that is the first line.
        let text = "\u{feff}Name,Join Time,Leave Time\r\nAl,2024-09-17 10:00,2024-09-17 10:30\r\n";
        assert_eq!(rows_len(text), 1);
    }

    fn rows_len(text: &str) -> usize {
        rows(text).len()
    }

    #[test]
    fn quoted_names_with_commas_and_entirely_empty_rows() {
        let text = "Name,Join Time,Leave Time\n\
                    \"Lee, Jordan\",2024-09-17 10:00,2024-09-17 10:30\n\
                    ,,\n\
                    \"\",\"\",\"\"\n\
                    Al,2024-09-17 10:00,2024-09-17 10:30\n";
        let rows = rows(text);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Lee, Jordan");
        assert_eq!(rows[1].line, 5);
    }

    #[test]
    fn time_formats() {
        for (s, want) in [
            ("09/17/2024 11:58:03 AM", at(11, 58, 3)),
            ("09/17/2024 11:58 AM", at(11, 58, 0)),
            ("9/7/2024 1:05 pm", t(2024, 9, 7, 13, 5, 0)),
            ("2024-09-17 11:58:03", at(11, 58, 3)),
            ("2024-09-17T11:58:03", at(11, 58, 3)),
            ("2024-09-17 13:58", at(13, 58, 0)),
            ("  09/17/2024 02:01:12 PM ", at(14, 1, 12)),
        ] {
            assert_eq!(parse_time(s.trim()), Ok(want), "{s:?}");
        }
    }

    #[test]
    fn twelve_am_and_pm() {
        assert_eq!(parse_time("09/17/2024 12:00:00 AM"), Ok(at(0, 0, 0)));
        assert_eq!(parse_time("09/17/2024 12:30 AM"), Ok(at(0, 30, 0)));
        assert_eq!(parse_time("09/17/2024 12:00:00 PM"), Ok(at(12, 0, 0)));
        assert_eq!(parse_time("09/17/2024 12:59:59 PM"), Ok(at(12, 59, 59)));
        assert_eq!(parse_time("09/17/2024 11:59:59 PM"), Ok(at(23, 59, 59)));
        // A session crossing midnight, through the whole parser.
        let text = "Name,Join Time,Leave Time\n\
                    Al,09/17/2024 11:30 PM,09/18/2024 12:15 AM\n";
        let row = &rows(text)[0];
        assert_eq!(
            (row.join, row.leave),
            (at(23, 30, 0), t(2024, 9, 18, 0, 15, 0))
        );
    }

    #[test]
    fn bad_time_message_names_column_value_and_expected_shape() {
        let text = "Name,Join Time,Leave Time\nAl,13/45/2024 10:00,09/17/2024 11:00 AM\n";
        assert_eq!(
            errors(text),
            vec![ReportError {
                line: 2,
                message: "\"Join Time\" is \"13/45/2024 10:00\"; expected a time like \
                          09/17/2024 11:58:03 AM or 2024-09-17 11:58:03"
                    .into(),
            }]
        );
    }

    #[test]
    fn slash_dates_without_am_pm_are_rejected() {
        // Probably DD/MM/YYYY; reading it as May 9 would be silently wrong.
        assert!(parse_time("05/09/2024 14:00").is_err());
        assert!(parse_time("05/09/2024 10:00:00").is_err());
    }

    #[test]
    fn offsets_are_rejected_with_a_reason() {
        for s in [
            "2024-09-17T11:58:03Z",
            "2024-09-17T11:58:03+02:00",
            "2024-09-17 11:58:03-0500",
            "2024-09-17T11:58:03.5+02",
        ] {
            let err = parse_time(s).unwrap_err();
            assert!(err.contains("UTC offset"), "{s}: {err}");
        }
        // A plain garbage value does not claim to have an offset.
        let err = parse_time("2024-09-17 soon").unwrap_err();
        assert!(!err.contains("offset"), "{err}");
    }

    #[test]
    fn leave_before_join_names_the_line() {
        let text = "Name,Join Time,Leave Time\n\
                    Al,2024-09-17 10:00,2024-09-17 10:30\n\
                    Bo,09/17/2024 11:00 AM,09/17/2024 10:00 AM\n";
        let errs = errors(text);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 3);
        assert_eq!(
            errs[0].message,
            "\"Leave Time\" 09/17/2024 10:00 AM is before \"Join Time\" 09/17/2024 11:00 AM; \
             a participant must leave at or after joining"
        );
    }

    #[test]
    fn join_equal_to_leave_is_fine() {
        let text = "Name,Join Time,Leave Time\nAl,2024-09-17 10:00,2024-09-17 10:00\n";
        assert_eq!(rows_len(text), 1);
    }

    #[test]
    fn every_problem_is_reported() {
        let text = "\
Meeting ID,Topic
1,x

Name (Original Name),User Email,Join Time,Leave Time
Good,,2024-09-17 10:00,2024-09-17 11:00
,a@example.org,2024-09-17 10:00,2024-09-17 11:00
Bad Times,,tomorrow,
Backwards,,2024-09-17 11:00,2024-09-17 10:00
Short row
Good Too,,2024-09-17 10:00,2024-09-17 11:00
";
        let errs = errors(text);
        let summary: Vec<(usize, &str)> = errs
            .iter()
            .map(|e| (e.line, e.message.split(' ').next().unwrap()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (6, "\"Name"),
                (7, "\"Join"),
                (7, "\"Leave"),
                (8, "\"Leave"),
                (9, "\"Join"),
                (9, "\"Leave"),
            ],
            "{errs:#?}"
        );
        assert!(errs[0].message.contains("is empty"));
        assert!(errs[2].message.contains("\"Leave Time\" is empty"));
    }

    #[test]
    fn no_participant_table_is_one_error_listing_the_headers() {
        let text = "\
Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,Webinar 3,09/17/2024 11:52:10 AM,09/17/2024 02:07:44 PM,host@example.org,136,19
";
        let errs = errors(text);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 1);
        let msg = &errs[0].message;
        assert!(msg.starts_with("no participant table found"), "{msg}");
        for header in [
            "\"Name (Original Name)\"",
            "\"Name\"",
            "\"Participant\"",
            "\"Join Time\"",
            "\"Leave Time\"",
        ] {
            assert!(msg.contains(header), "{header} missing from {msg}");
        }
        // An empty file, and a header lacking the leave column, fail the same way.
        assert_eq!(errors("").len(), 1);
        assert!(
            errors("Name,Join Time,Email\nAl,2024-09-17 10:00,\n")[0]
                .message
                .starts_with("no participant table found")
        );
    }

    #[test]
    fn line_numbers_survive_blank_lines_and_multiline_cells() {
        let text = "\r\n\
                    Name,Join Time,Leave Time\r\n\
                    \r\n\
                    \r\n\
                    \"Two\r\nLines\",2024-09-17 10:00,2024-09-17 10:30\r\n\
                    Al,2024-09-17 10:00,2024-09-17 10:30\r\n\
                    \r\n\
                    Bad,2024-09-17 10:00,later\r\n";
        let errs = errors(text);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert_eq!(errs[0].line, 9);
        let good = rows(&text.replace("later", "2024-09-17 11:00"));
        let lines: Vec<usize> = good.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![5, 7, 9]);
        assert_eq!(good[0].name, "Two\r\nLines");
    }

    #[test]
    fn header_without_rows_gives_no_rows() {
        assert_eq!(parse("Name,Join Time,Leave Time\r\n\r\n"), Ok(vec![]));
    }

    #[test]
    fn overlapping_devices_count_once() {
        // Laptop 10:00-11:00, phone 10:30-11:30 and 10:40-10:50: 90 minutes.
        let intervals = [
            (at(10, 30, 0), at(11, 30, 0)),
            (at(10, 0, 0), at(11, 0, 0)),
            (at(10, 40, 0), at(10, 50, 0)),
        ];
        assert_eq!(minutes_in_window(&intervals, at(9, 0, 0), at(13, 0, 0)), 90);
        // The same interval twice still counts once.
        let twice = [(at(10, 0, 0), at(11, 0, 0)); 2];
        assert_eq!(minutes_in_window(&twice, at(9, 0, 0), at(13, 0, 0)), 60);
    }

    #[test]
    fn early_join_and_late_leave_are_clipped() {
        let intervals = [(at(9, 45, 0), at(12, 20, 0))];
        assert_eq!(
            minutes_in_window(&intervals, at(10, 0, 0), at(12, 0, 0)),
            120
        );
        // Entirely outside the window.
        let outside = [(at(8, 0, 0), at(9, 0, 0)), (at(12, 0, 0), at(13, 0, 0))];
        assert_eq!(minutes_in_window(&outside, at(10, 0, 0), at(12, 0, 0)), 0);
    }

    #[test]
    fn partial_minutes_round_down() {
        let intervals = [(at(10, 0, 0), at(11, 44, 59))];
        assert_eq!(
            minutes_in_window(&intervals, at(10, 0, 0), at(12, 0, 0)),
            104
        );
        // Two 30-second pieces make one minute, not zero.
        let halves = [(at(10, 0, 0), at(10, 0, 30)), (at(10, 5, 0), at(10, 5, 30))];
        assert_eq!(minutes_in_window(&halves, at(10, 0, 0), at(12, 0, 0)), 1);
    }

    #[test]
    fn disjoint_intervals_are_summed() {
        let intervals = [
            (at(11, 30, 0), at(11, 45, 0)),
            (at(10, 0, 0), at(10, 20, 0)),
            (at(10, 20, 0), at(10, 25, 0)), // touching: merged, still 25 in all
        ];
        assert_eq!(
            minutes_in_window(&intervals, at(10, 0, 0), at(12, 0, 0)),
            40
        );
    }

    #[test]
    fn degenerate_inputs_count_nothing() {
        let window = (at(10, 0, 0), at(12, 0, 0));
        assert_eq!(minutes_in_window(&[], window.0, window.1), 0);
        let backwards = [(at(11, 0, 0), at(10, 30, 0))];
        assert_eq!(minutes_in_window(&backwards, window.0, window.1), 0);
        let inverted_window = [(at(10, 0, 0), at(12, 0, 0))];
        assert_eq!(minutes_in_window(&inverted_window, window.1, window.0), 0);
    }

    #[test]
    fn many_intervals_are_fast() {
        // 200,000 one-minute intervals shifted by a second each: a quadratic
        // merge would take minutes; a sort and a sweep take milliseconds.
        let base = at(10, 0, 0);
        let intervals: Vec<_> = (0..200_000i64)
            .rev()
            .map(|i| {
                let join = base + chrono::TimeDelta::milliseconds(i * 10);
                (join, join + chrono::TimeDelta::minutes(1))
            })
            .collect();
        // Joins span 10:00:00 to 10:33:19.99; the union ends at 10:34:19.99.
        assert_eq!(minutes_in_window(&intervals, base, at(12, 0, 0)), 34);
    }

    #[test]
    fn name_keys() {
        assert_eq!(name_key("  Jordan   LEE "), "jordan lee");
        assert_eq!(name_key("Jordan\u{a0}Lee\t"), "jordan lee");
        assert_eq!(name_key("Jordan Lee (iPhone)"), "jordan lee");
        assert_eq!(name_key("JL (Jordan Lee)"), "jl");
        assert_eq!(name_key("Sam Roe (they/them) (Samuel Roe)"), "sam roe");
        assert_eq!(name_key("Ana (A (old)) "), "ana");
        assert_eq!(name_key("Maria (Mary) Lopez"), "maria (mary) lopez");
        assert_eq!(name_key("(iPad)"), "(ipad)");
        assert_eq!(name_key("Broken (paren"), "broken (paren");
        assert_eq!(name_key("Broken paren)"), "broken paren)");
        assert_eq!(name_key("ÉLODIE ÇA"), "élodie ça");
        assert_eq!(name_key(""), "");
        assert_eq!(
            name_key("Jordan Lee (iPhone)"),
            name_key(" jordan  lee "),
            "alias and report name meet"
        );
    }

    #[test]
    fn email_keys() {
        assert_eq!(email_key("  Jordan@Example.ORG "), "jordan@example.org");
        assert_eq!(email_key(""), "");
    }
}
