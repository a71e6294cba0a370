//! `attend --from-report`: every platform and layout of SPEC "Meeting
//! reports", from the fixtures in tests/fixtures/reports/ (written by its
//! make.py), with minutes computed here on their own; the silent cases of
//! issue 10 as refusals or right records; terminal matching; `cohort alias`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::{DataRoot, Run, TOML, refused_line, refused_lines};

const LOG3: &str = "cohorts/2024-fall/attendance/03.csv";

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reports")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The example cohort without any attendance recorded.
fn fresh() -> DataRoot {
    let root = DataRoot::empty();
    root.write(TOML, DataRoot::example().read(TOML));
    root
}

/// The example cohort without any attendance recorded, with `bytes`
/// saved as `name`.
fn fresh_with(name: &str, bytes: impl AsRef<[u8]>) -> DataRoot {
    let root = fresh();
    root.write(name, bytes);
    root
}

/// [`fresh_with`] a report saved as z.csv.
fn with_report(report: impl AsRef<[u8]>) -> DataRoot {
    fresh_with("z.csv", report)
}

/// `cohort attend 2024-fall WEBINAR --from-report z.csv --unmatched
/// ignore`, which must succeed.
#[track_caller]
fn import_ignoring(root: &DataRoot, webinar: u32) -> Run {
    root.ok(&format!(
        "attend 2024-fall {webinar} --from-report z.csv --unmatched ignore"
    ))
}

/// `cohort attend 2024-fall 3 --from-report z.csv`, which must be refused
/// with exit 1 and `message`, nothing written.
#[track_caller]
fn refused_z(root: &DataRoot, message: &str) -> Run {
    refused_line(root, "attend 2024-fall 3 --from-report z.csv", 1, message)
}

/// A standing row: (status, minutes).
fn row(status: &str, minutes: &str) -> (String, String) {
    (status.to_string(), minutes.to_string())
}

/// The standing row of each participant in a log: id → (status, minutes).
fn standing(root: &DataRoot, rel: &str) -> BTreeMap<String, (String, String)> {
    root.rows(rel)[1..]
        .iter()
        .map(|r| (r[0].clone(), row(&r[1], &r[2])))
        .collect()
}

/// Join and leave (seconds after midnight) and whether in the waiting room.
type Interval = (u32, u32, bool);

/// The meeting every fixture holds (tests/fixtures/reports/make.py), as
/// data, one row per join: participant id (None: a trainer), the interval
/// in local time on 2024-09-17 as seconds after midnight, and whether it is
/// in the waiting room.
fn meeting() -> Vec<(Option<&'static str>, Interval)> {
    let s = |h: u32, m: u32, sec: u32| h * 3600 + m * 60 + sec;
    vec![
        (None, (s(11, 45, 0), s(14, 10, 0), false)),
        // p01 leaves and joins again; p02 is in on two devices at once.
        (Some("p01"), (s(11, 52, 10), s(13, 1, 30), false)),
        (Some("p01"), (s(13, 5, 0), s(14, 7, 44), false)),
        (Some("p02"), (s(11, 58, 3), s(13, 30, 0), false)),
        (Some("p02"), (s(13, 15, 0), s(14, 1, 12), false)),
        (Some("p03"), (s(11, 50, 0), s(12, 10, 0), true)),
        (Some("p03"), (s(12, 10, 0), s(13, 40, 30), false)),
        (Some("p04"), (s(12, 1, 5), s(13, 59, 59), false)),
        (Some("p14"), (s(12, 0, 0), s(14, 0, 0), false)),
        (Some("p11"), (s(12, 30, 0), s(13, 15, 20), false)),
        (Some("p11"), (s(13, 50, 0), s(13, 59, 0), false)),
        (Some("p13"), (s(12, 5, 30), s(13, 55, 10), false)),
        (None, (s(11, 55, 0), s(14, 0, 0), false)),
    ]
}

#[derive(Clone, Copy, PartialEq)]
enum Model {
    /// Every join with its leave, to the second.
    Seconds,
    /// Every join with its leave, seconds lost (Excel's h:mm).
    Minutes,
    /// One row per person: first join to last leave (to the minute),
    /// never more than the whole minutes they were in (Google Meet).
    FirstLast,
    /// One row per person, to the second, never more than the seconds
    /// they were in (Teams without its activities section).
    FirstLastSeconds,
}

/// Seconds in `lo..hi` that some span covers, each span's ends first passed
/// through `trunc`.
fn covered(spans: &[(u32, u32)], trunc: impl Fn(u32) -> u32, lo: u32, hi: u32) -> u32 {
    let mut bits = vec![false; (hi - lo) as usize];
    for &(a, b) in spans {
        for t in trunc(a).max(lo)..trunc(b).min(hi) {
            bits[(t - lo) as usize] = true;
        }
    }
    bits.iter().filter(|&&x| x).count() as u32
}

/// Minutes per participant, counted second by second over the session's
/// 12:00–14:00 (7,200 seconds): a different way from the crate's sort and sweep.
fn expected(model: Model) -> BTreeMap<&'static str, u32> {
    let (from, to) = (12 * 3600, 14 * 3600);
    let seconds = matches!(model, Model::Seconds | Model::FirstLastSeconds);
    let trunc = |t: u32| if seconds { t } else { t - t % 60 };
    let mut all: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
    for (id, (a, b, waiting)) in meeting() {
        let Some(id) = id else { continue };
        let spans = all.entry(id).or_default();
        if !waiting {
            spans.push((a, b));
        }
    }
    let mut out = BTreeMap::new();
    for (id, spans) in all {
        let minutes = if matches!(model, Model::FirstLast | Model::FirstLastSeconds) {
            let first = spans.iter().map(|s| s.0).min().unwrap();
            let last = spans.iter().map(|s| s.1).max().unwrap();
            // The whole minutes (or seconds) really in, devices counted once.
            let cap = trunc(covered(&spans, |t| t, 0, 86_400));
            covered(&[(first, last)], trunc, from, to).min(cap) / 60
        } else {
            covered(&spans, trunc, from, to) / 60
        };
        out.insert(id, minutes);
    }
    out
}

/// Imports `bytes` (saved as `name`) for webinar 3 and checks every
/// participant's standing row against the minutes computed here.
#[track_caller]
fn imports_exactly(name: &str, bytes: &[u8], model: Model, layout: &str) {
    let root = fresh_with(name, bytes);
    let run = root.run(&["attend", "2024-fall", "3", "--from-report", name]);
    run.success()
        .stdout_has(layout)
        .stdout_has("trainers and host, not recorded: ");
    let want = expected(model);
    let got = standing(&root, LOG3);
    assert_eq!(
        got.len(),
        18,
        "{name}: one row per participant active on 2024-09-17: {got:?}"
    );
    for (id, got) in &got {
        let expect = match want.get(id.as_str()) {
            Some(&m) if m >= 105 => row("present", &m.to_string()),
            Some(&m) => row("partial", &m.to_string()),
            None => row("absent", ""),
        };
        assert_eq!(got, &expect, "{name}: {id}\n{}", run.stdout);
    }
}

#[test]
fn the_independent_count_is_what_the_fixtures_hold() {
    // A check on the test itself: the numbers worked out by hand.
    let s = expected(Model::Seconds);
    let ids = ["p01", "p02", "p03", "p04", "p11", "p13", "p14"];
    assert_eq!(ids.map(|id| s[id]), [116, 120, 90, 118, 54, 109, 120]);
    let m = expected(Model::Minutes);
    assert_eq!(m["p13"], 110);
    let f = expected(Model::FirstLast);
    assert_eq!((f["p01"], f["p11"], f["p13"]), (120, 54, 109));
}

/// Every platform's report as downloaded or resaved by a spreadsheet (Excel
/// in the US and in fr-CA), saved under the fixture's own name.
#[test]
fn every_fixture_imports_exactly() {
    use Model::{FirstLast, Minutes, Seconds};
    let zoom = "Zoom participants report";
    let block = "Zoom participants report (with the meeting block)";
    let older = "Zoom participants report, ";
    let rows = "Zoom participants export with the meeting on every row";
    let webinar = "Zoom webinar attendee report";
    let teams = "Microsoft Teams attendance report";
    let meet = "Google Meet attendance report";
    for (file, model, layout) in [
        ("zoom-participants.csv", Seconds, block),
        ("zoom-participants-older.csv", Seconds, older),
        ("zoom-meeting-rows.csv", Seconds, rows),
        ("zoom-excel-us.csv", Minutes, zoom),
        ("zoom-excel-fr-ca.csv", Minutes, zoom),
        ("zoom-webinar.csv", Seconds, webinar),
        ("zoom-webinar-excel-us.csv", Minutes, webinar),
        ("teams-attendance.csv", Seconds, teams),
        ("teams-attendance-utf8.csv", Seconds, teams),
        ("teams-attendance-excel-us.csv", Minutes, teams),
        ("teams-attendance-fr-ca.csv", Minutes, teams),
        ("meet-attendance.csv", FirstLast, meet),
        ("meet-attendance-fr-ca.csv", FirstLast, meet),
    ] {
        imports_exactly(file, &fixture(file), model, layout);
    }
}

#[test]
fn teams_attendance_report_in_utf16_be() {
    let utf16 = fixture("teams-attendance.csv");
    assert!(
        utf16.starts_with(&[0xFF, 0xFE]),
        "the fixture is UTF-16 LE with its BOM"
    );
    // The same report in UTF-16 BE.
    let mut be = vec![0xFE, 0xFF];
    for pair in utf16[2..].chunks(2) {
        be.extend([pair[1], pair[0]]);
    }
    let teams = "Microsoft Teams attendance report";
    imports_exactly("teams-be.csv", &be, Model::Seconds, teams);
}

#[test]
fn teams_report_without_its_activities_counts_first_join_to_last_leave_at_most_the_duration() {
    let text = String::from_utf8(fixture("teams-attendance-utf8.csv")).unwrap();
    let cut = text.find("3. In-Meeting Activities").unwrap();
    // Two devices of p02 are two rows there; one person per row here.
    imports_exactly(
        "teams.csv",
        &text.as_bytes()[..cut],
        Model::FirstLastSeconds,
        "Microsoft Teams attendance report (participants only)",
    );
}

#[test]
fn teams_older_report_of_joined_and_left_events() {
    let rows = [
        "Full Name\tUser Action\tTimestamp",
        "Rosa Delgado\tJoined\t9/17/2024, 11:45:00 AM",
        "Liam Kowalski\tJoined\t9/17/2024, 12:10:00 PM",
        "Liam Kowalski\tLeft\t9/17/2024, 12:40:30 PM",
        "Liam Kowalski\tJoined before\t9/17/2024, 12:50:00 PM",
        "Liam Kowalski\tLeft\t9/17/2024, 2:30:00 PM",
        "Rosa Delgado\tLeft\t9/17/2024, 2:10:00 PM",
    ];
    let mut bytes = vec![0xFF, 0xFE];
    for u in (rows.join("\r\n") + "\r\n").encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let root = fresh_with("old.csv", bytes);
    root.ok("attend 2024-fall 3 --from-report old.csv --unmatched ignore")
        .stdout_has("trainers and host, not recorded: Rosa Delgado");
    // 12:10–12:40:30 and 12:50–14:00: 30 min 30 s + 70 min.
    assert_eq!(standing(&root, LOG3)["p11"], row("partial", "100"));
    // A join without its leave is a report cut short: refused.
    root.write(
        "old.csv",
        "Full Name,User Action,Timestamp\nLiam Kowalski,Joined,9/17/2024 12:10 PM\n",
    );
    root.cli_line("attend 2024-fall 4 --from-report old.csv")
        .refused(
            1,
            "old.csv:2: error: \"Liam Kowalski\" joins and never leaves in the report",
        );
}

#[test]
fn teams_attendance_report_as_xlsx() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    // The UTF-8 fixture's cells, with real Excel date cells for the times.
    let text = String::from_utf8(fixture("teams-attendance-utf8.csv")).unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Attendance").unwrap();
    let date = Format::new().set_num_format("m/d/yy h:mm:ss AM/PM");
    for (r, rec) in csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .enumerate()
    {
        for (c, cell) in rec.unwrap().iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            // "9/17/24, 1:05:00 PM"
            if let Some((_, clock)) = cell.split_once("9/17/24, ") {
                let (hms, half) = clock.split_once(' ').unwrap();
                let parts: Vec<u8> = hms.split(':').map(|p| p.parse().unwrap()).collect();
                let h = u16::from(parts[0] % 12) + if half == "PM" { 12 } else { 0 };
                let t = ExcelDateTime::from_ymd(2024, 9, 17)
                    .unwrap()
                    .and_hms(h, parts[1], parts[2])
                    .unwrap();
                sheet
                    .write_datetime_with_format(row, col, &t, &date)
                    .unwrap();
            } else {
                sheet.write_string(row, col, cell).unwrap();
            }
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    imports_exactly(
        "attendance.xlsx",
        &bytes,
        Model::Seconds,
        "Microsoft Teams attendance report (.xlsx)",
    );
}

#[test]
fn a_bad_cell_of_a_workbook_is_named_by_sheet_and_row() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("In-Meeting Activities").unwrap();
    let rows = [
        "3. In-Meeting Activities",
        "Name|Join Time|Leave Time|Email|Role",
        "Liam Kowalski|2024-09-17 12:00:00|half past one||Attendee",
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.split('|').enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    let root = fresh_with("a.xlsx", book.save_to_buffer().unwrap());
    refused_line(
        &root,
        "attend 2024-fall 3 --from-report a.xlsx",
        1,
        "a.xlsx (sheet \"In-Meeting Activities\", row 3): error: the leave time is \"half past one\"",
    );
}

#[test]
fn zoom_unique_users_export_is_refused_saying_to_untick_the_box() {
    let root = fresh_with("unique.csv", fixture("zoom-unique-users.csv"));
    root.cli_line("attend 2024-fall 3 --from-report unique.csv")
        .refused(
            1,
            "unique.csv:1: error: this is Zoom's \"unique users\" export",
        )
        .stderr_has("with the \"Show unique users\" box unticked")
        .stderr_has("nothing was written");
}

// ------------------------------------------------------- the silent cases

const HEADER: &str =
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n";

#[test]
fn day_first_dates_with_am_pm_are_settled_by_the_session_date() {
    // Webinar 8 is on 2024-10-03; read month-first this was March 10 and
    // everyone got `partial 0`.
    let root = with_report(format!(
        "{HEADER}Zoë Martin-Leclerc,zoe.martin-leclerc@example.org,03/10/2024 12:01:05 PM,03/10/2024 01:50:00 PM,108,No\n\
         Liam Kowalski,,03/10/2024 11:59:00 AM,03/10/2024 01:00:30 PM,61,No\n"
    ));
    import_ignoring(&root, 8).stdout_has("its dates read day-first");
    let got = standing(&root, "cohorts/2024-fall/attendance/08.csv");
    // 12:01:05–13:50:00 is 108 min 55 s; 12:00–13:00:30 is 60 min 30 s.
    assert_eq!(got["p01"], row("present", "108"));
    assert_eq!(got["p11"], row("partial", "60"));
    assert_eq!(got["p02"], row("absent", ""));
}

/// Webinar 3's report as made by an account whose clock reads `shift`
/// hours from Toronto's.
fn shifted_report(shift: i32) -> String {
    let at = |h: i32, m: u32| {
        let h = h + shift;
        format!("2024-09-17 {h:02}:{m:02}:00")
    };
    format!(
        "{HEADER}Zoë Martin-Leclerc,zoe.martin-leclerc@example.org,{},{},120,No\n\
         Liam Kowalski,liam.kowalski@example.com,{},{},60,No\n",
        at(11, 58),
        at(14, 2),
        at(12, 0),
        at(13, 0)
    )
}

#[test]
fn a_report_three_hours_behind_is_refused_then_read_with_report_tz() {
    let root = with_report(shifted_report(-3));
    refused_z(&root,
        "z.csv: error: the report's times look 3 hours behind the session (webinar 3, 2024-09-17 12:00–14:00 America/Toronto): its attendance fits 09:00–11:00, not the scheduled time; give --report-tz America/Vancouver")
        .stderr_has("cohort: nothing was written");
    root.ok(
        "attend 2024-fall 3 --from-report z.csv --report-tz America/Vancouver --unmatched ignore",
    )
    .stdout_has("its times read in America/Vancouver");
    let got = standing(&root, LOG3);
    assert_eq!(got["p01"], row("present", "120"));
    assert_eq!(got["p11"], row("partial", "60"));
}

#[test]
fn a_report_one_hour_ahead_is_refused_not_read_as_partials() {
    // Read as it stands this gives plausible partials (p01 60 min, p11 0).
    let root = with_report(shifted_report(1));
    refused_z(&root, "the report's times look 1 hour ahead of the session")
        .stderr_has("give --report-tz America/Halifax");
    // A wrong --report-tz says so in the message too.
    refused_line(
        &root,
        "attend 2024-fall 3 --from-report z.csv --report-tz America/Winnipeg",
        1,
        "read in America/Winnipeg (--report-tz), the report's times look 2 hours ahead of the session",
    );
    root.cli_line("attend 2024-fall 3 --from-report z.csv --report-tz Mars/Olympus")
        .refused(
            2,
            "--report-tz \"Mars/Olympus\" is not an IANA time zone name",
        );
}

#[test]
fn a_report_of_another_day_is_refused_naming_the_webinar_of_that_day() {
    let root = with_report(fixture("zoom-participants.csv"));
    refused_line(&root, "attend 2024-fall 4 --from-report z.csv", 1,
        "z.csv: error: the report's meeting is on 2024-09-17, not on 2024-09-19 (the date of webinar 4 of cohort 2024-fall)")
        .stderr_has("help: webinar 3 is on 2024-09-17: cohort attend 2024-fall 3 --from-report z.csv");
}

#[test]
fn a_report_in_which_nobody_matches_is_refused() {
    let root = with_report(format!(
        "{HEADER}Ann Other,ann@example.net,2024-09-17 12:00:00,2024-09-17 14:00:00,120,Yes\nBo Else,,2024-09-17 12:00:00,2024-09-17 13:00:00,60,Yes\n"
    ));
    refused_z(
        &root,
        "z.csv: error: nobody in the report is a participant of cohort 2024-fall (2 people in it, e.g. \"Ann Other\", \"Bo Else\"); is it another group's meeting?",
    );
}

#[test]
fn nobody_inside_the_scheduled_time_is_refused_not_partial_zero() {
    // One in the morning, one in the evening: no whole-hour shift explains it.
    let root = with_report(format!(
        "{HEADER}Liam Kowalski,,2024-09-17 08:00:00,2024-09-17 08:10:00,10,No\n\
         Kwame Mensah,,2024-09-17 18:00:00,2024-09-17 18:10:00,10,No\n"
    ));
    refused_z(
        &root,
        "nobody in the report was in the meeting during the session's scheduled time",
    );
}

#[test]
fn while_a_stranger_is_left_the_would_be_absent_are_left_unrecorded() {
    let root = with_report(format!(
        "{HEADER}Zoë Martin-Leclerc,zoe.martin-leclerc@example.org,2024-09-17 12:00:00,2024-09-17 14:00:00,120,No\n\
         iPad de Kwame,,2024-09-17 12:00:00,2024-09-17 14:00:00,120,Yes\n"
    ));
    root.ok("attend 2024-fall 3 --from-report z.csv")
        .stdout_has("\"iPad de Kwame\", 120 min")
        .stdout_has("left unrecorded, not marked absent, while a row above is unmatched (it may be one of them): p02, p03,");
    let got = standing(&root, LOG3);
    assert_eq!(got.len(), 1, "only p01 written: {got:?}");
    assert_eq!(got["p01"], row("present", "120"));
    // --unmatched ignore marks them absent.
    import_ignoring(&root, 3);
    let got = standing(&root, LOG3);
    assert_eq!(got.len(), 18);
    assert_eq!(got["p13"], row("absent", ""));
}

#[test]
fn waiting_room_time_does_not_count() {
    let root = with_report(
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,In Waiting Room\n\
         Liam Kowalski,,2024-09-17 11:55:00,2024-09-17 13:30:00,95,No,Yes\n\
         Liam Kowalski,,2024-09-17 13:30:00,2024-09-17 14:00:00,30,No,No\n",
    );
    import_ignoring(&root, 3).stdout_has("1 waiting-room row not counted");
    assert_eq!(standing(&root, LOG3)["p11"], row("partial", "30"));
}

#[test]
fn a_name_two_participants_share_matches_neither_and_neither_is_marked_absent() {
    let root = with_report(format!(
        "{HEADER}Zoë Martin-Leclerc,zoe.martin-leclerc@example.org,2024-09-17 12:00:00,2024-09-17 14:00:00,120,No\n\
         Kwame Mensah,,2024-09-17 12:00:00,2024-09-17 14:00:00,120,No\n"
    ));
    root.append(
        TOML,
        "\n[[participant]]\nid = \"p19\"\nname = \"Kwame Mensah\"\n",
    );
    root.ok("attend 2024-fall 3 --from-report z.csv")
        .stdout_has("\"Kwame Mensah\", 120 min: could be p13 or p19; not recorded");
    let got = standing(&root, LOG3);
    assert!(
        !got.contains_key("p13") && !got.contains_key("p19"),
        "{got:?}"
    );
}

#[test]
fn decomposed_unicode_matches_the_enrolled_name_and_an_alias() {
    let root = with_report(format!(
        "{HEADER}Rene\u{301}e Lachance,,2024-09-17 12:00:00,2024-09-17 14:00:00,120,No\n\
         Kw\u{101}me,,2024-09-17 12:00:00,2024-09-17 13:00:00,60,No\n"
    ));
    // An alias written decomposed matches a composed report name too.
    root.edit(
        TOML,
        "name = \"Kwame Mensah\"",
        "name = \"Kwame Mensah\"\naliases = [\"Kwa\u{304}me\"]",
    );
    import_ignoring(&root, 3);
    let got = standing(&root, LOG3);
    assert_eq!(got["p14"], row("present", "120"));
    assert_eq!(got["p13"], row("partial", "60"));
}

#[test]
fn a_renamed_attendee_is_matched_by_the_original_name() {
    let root = with_report(format!(
        "{HEADER}Mai (Nguyễn Thị Mai),,2024-09-17 12:00:00,2024-09-17 13:45:00,105,No\n"
    ));
    import_ignoring(&root, 3);
    assert_eq!(standing(&root, LOG3)["p04"], row("present", "105"));
}

#[test]
fn an_email_of_one_and_a_name_of_another_is_reported_and_credits_neither() {
    let root = with_report(format!(
        "{HEADER}Chloé Fontaine,chloe.fontaine@example.org,2024-09-17 12:00:00,2024-09-17 14:00:00,120,No\n\
         Liam Kowalski,zoe.martin-leclerc@example.org,2024-09-17 12:00:00,2024-09-17 14:00:00,120,No\n"
    ));
    root.ok("attend 2024-fall 3 --from-report z.csv")
        .stdout_has("\"Liam Kowalski\" <zoe.martin-leclerc@example.org>, 120 min: the e-mail is p01's and the name is p11's; not recorded for either");
    let got = standing(&root, LOG3);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got.contains_key("p08"));
}

#[test]
fn flags_win_over_the_report() {
    let root = with_report(fixture("zoom-participants.csv"));
    root.ok("attend 2024-fall 3 --from-report z.csv --absent p01 --excused p05");
    let got = standing(&root, LOG3);
    assert_eq!(got["p01"], row("absent", ""));
    assert_eq!(got["p05"], row("excused", ""));
    assert_eq!(got["p02"], row("present", "120"));
}

#[test]
fn report_line_numbers_are_an_editors_with_crlf_and_lone_cr() {
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            "Meeting ID,Topic,Start Time",
            "1,x,2024-09-17 11:50:00",
            "",
            HEADER.trim_end(),
            "Zoë Martin-Leclerc,,2024-09-17 12:00:00,2024-09-17 14:00:00,120,No",
            "\"Liam",
            "Kowalski\",,2024-09-17 12:00:00,2024-09-17 14:00:00,120,No",
            "Kwame Mensah,,2024-09-17 12:00:00,later,120,No",
            "",
        ]
        .join(end);
        refused_z(
            &with_report(text),
            "z.csv:8: error: the leave time is \"later\"; expected a time like",
        );
    }
}

#[test]
fn each_kind_of_bad_report_is_refused_with_its_place_and_remedy() {
    let cases: [(&[u8], &str); 9] = [
        (
            b"Name,Join Time,Leave Time\n,2024-09-17 12:00,2024-09-17 13:00\n",
            "r.csv:2: error: the name cell is empty; expected the attendee's name",
        ),
        (
            b"Name,Join Time,Leave Time\nLiam Kowalski,2024-09-17 13:00,2024-09-17 12:00\n",
            "r.csv:2: error: the leave time \"2024-09-17 12:00\" is before the join time \"2024-09-17 13:00\"; an attendee leaves at or after joining",
        ),
        (
            b"Meeting ID,Topic,Start Time,End Time,User Email,Name (Original Name),User Email,Join Time,Leave Time\n\
              1,a,09/17/2024 11:50 AM,09/17/2024 02:00 PM,h@example.org,Liam Kowalski,,09/17/2024 12:00 PM,09/17/2024 01:00 PM\n\
              2,b,09/19/2024 11:50 AM,09/19/2024 02:00 PM,h@example.org,Liam Kowalski,,09/19/2024 12:00 PM,09/19/2024 01:00 PM\n",
            "r.csv:1: error: this export holds 2 meetings (starting 09/17/2024 11:50 AM, 09/19/2024 11:50 AM); export the participants of the one webinar you record",
        ),
        (
            b"First name,Last name,Email,Duration,Time joined,Time exited\nLiam,Kowalski,,most of it,12:00 PM,1:00 PM\n",
            "r.csv:2: error: the duration \"most of it\" is not a duration like 1h 27m 51s, 2 hr 3 min or 1:27:51",
        ),
        (
            b"Full Name,User Action,Timestamp\nLiam Kowalski,Left,9/17/2024 12:10 PM\n",
            "r.csv:2: error: \"Liam Kowalski\" leaves without having joined; the report is incomplete",
        ),
        (
            b"Full Name,User Action,Timestamp\nLiam Kowalski,Joined,9/17/2024 12:10 PM\nLiam Kowalski,Joined,9/17/2024 12:20 PM\nLiam Kowalski,Left,9/17/2024 12:30 PM\n",
            "r.csv:2: error: \"Liam Kowalski\" joins again at line 3 without having left; the report is incomplete",
        ),
        (
            b"Full Name,User Action,Timestamp\nLiam Kowalski,Waved,9/17/2024 12:10 PM\n",
            "r.csv:2: error: \"User Action\" is \"Waved\"; expected Joined or Left",
        ),
        (
            b"PK\x03\x04 not really a workbook",
            "r.csv:1: error: the report looks like a spreadsheet (.xlsx) but cannot be read",
        ),
        (
            b"\xFF\xFEN\x00\x00\xD8",
            "r.csv:1: error: the report says it is UTF-16 text but is not; download it again from the meeting platform",
        ),
    ];
    for (bytes, message) in cases {
        let root = fresh_with("r.csv", bytes);
        refused_line(&root, "attend 2024-fall 3 --from-report r.csv", 1, message)
            .stderr_has("cohort: nothing was written");
    }
    let root = fresh();
    root.cli_line("attend 2024-fall 3 --from-report missing.csv")
        .refused(
            2,
            "cohort: error: cannot read the meeting report missing.csv:",
        );
}

#[test]
fn every_bad_row_is_reported_in_line_order() {
    let mut text = HEADER.to_string();
    for i in 2..=11 {
        let leave = if i == 2 || i == 10 {
            "soon"
        } else {
            "2024-09-17 13:00:00"
        };
        text += &format!("Liam Kowalski,,2024-09-17 12:{i:02}:00,{leave},60,No\n");
    }
    let run = refused_z(&with_report(text), "z.csv:10: error:");
    let (two, ten) = (
        run.stderr.find("z.csv:2: error:").unwrap(),
        run.stderr.find("z.csv:10: error:").unwrap(),
    );
    assert!(two < ten, "{}", run.stderr);
}

#[test]
fn from_zoom_is_still_the_flags_other_name() {
    let root = with_report(fixture("zoom-participants.csv"));
    root.ok("attend 2024-fall 3 --from-zoom z.csv --dry-run")
        .stdout_has("p01,present,116,");
    assert!(!root.path(LOG3).exists());
}

// ------------------------------------------------------- matching

#[test]
fn on_a_terminal_each_stranger_is_offered_a_participant_and_saved_as_an_alias() {
    let root = with_report(format!(
        "{HEADER}Zoë Martin-Leclerc,zoe.martin-leclerc@example.org,2024-09-17 12:00:00,2024-09-17 14:00:00,120,No\n\
         Liam K,lk@example.net,2024-09-17 12:10:00,2024-09-17 14:00:00,110,Yes\n\
         Unknown Caller,,2024-09-17 12:00:00,2024-09-17 12:20:00,20,Yes\n"
    ));
    let toml_before = root.read(TOML);
    // The closest name is offered first: answer 1 for "Liam K", Enter for the caller.
    let (code, out) = root.on_terminal("attend 2024-fall 3 --from-report z.csv", "1\n\n");
    assert_eq!(code, 0, "{out}");
    for want in [
        "\"Liam K\" <lk@example.net>, 110 min, matches nobody in cohort 2024-fall. Who is it?",
        "  1 p11   Liam Kowalski",
        "saved as aliases of p11 (Liam Kowalski): \"Liam K\", \"lk@example.net\"",
        "\"Unknown Caller\", 20 min",
    ] {
        assert!(out.contains(want), "{want:?} not shown:\n{out}");
    }
    let toml = root.read(TOML);
    assert!(toml.contains("name = \"Liam Kowalski\"\nemail = \"liam.kowalski@example.com\"\naliases = [\"Liam K\", \"lk@example.net\"]"), "{toml}");
    // Only the alias line was added: every comment is kept.
    assert_eq!(toml.lines().count(), toml_before.lines().count() + 1);
    for line in toml_before
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
    {
        assert!(toml.contains(line), "comment lost: {line}");
    }
    let got = standing(&root, LOG3);
    assert_eq!(got["p11"], row("present", "110"));
    // The caller is still unmatched: the rest stay unrecorded.
    assert!(!got.contains_key("p13"), "{got:?}");
    assert_eq!(got.len(), 2);
}

#[test]
fn alias_adds_names_and_refuses_duplicates_and_ambiguous_ones() {
    let root = fresh();
    root.ok("alias 2024-fall p11 'Liam K' lk@example.net")
        .stdout_has("added to p11 (Liam Kowalski)'s aliases: \"Liam K\", \"lk@example.net\"");
    assert!(
        root.read(TOML)
            .contains("aliases = [\"Liam K\", \"lk@example.net\"]")
    );
    refused_lines(
        &root,
        1,
        &[
            (
                "alias 2024-fall p11 'liam  k'",
                "cohort: error: \"liam k\" already matches p11",
            ),
            (
                "alias 2024-fall p11 'Rahim C.'",
                "\"Rahim C.\" is already the name or an alias of p09 (Rahim Chowdhury); as an alias of p11 too it would match neither",
            ),
            (
                "alias 2024-fall p11 ZOE.MARTIN-LECLERC@example.org",
                "is already the e-mail or an alias of p01",
            ),
            (
                "alias 2024-fall p11 'Rosa Delgado'",
                "is a trainer of cohort 2024-fall",
            ),
            // One bad name refuses the whole command.
            (
                "alias 2024-fall p11 'Liam the Second' 'Rahim C.'",
                "nothing was written to cohorts/2024-fall/cohort.toml",
            ),
        ],
    );
    root.cli_line("alias 2024-fall p99 X")
        .refused(2, "cohort 2024-fall has no participant \"p99\"");
    root.unchanged("alias 2024-fall p13 'Kwame M' --dry-run")
        .stdout_has("+ aliases = [\"Kwame M\"]");
}

/// The example cohort (no attendance yet) with webinar 17 moved to `date`
/// at `start`–`end`, in America/Toronto.
fn last_webinar_on(date: &str, start: &str, end: &str) -> DataRoot {
    let root = fresh();
    root.edit(
        TOML,
        "date = 2024-11-05   # the last session: practicum hours count only after this date\nstart = \"12:00\"\nend = \"14:00\"",
        &format!("date = {date}\nstart = \"{start}\"\nend = \"{end}\""),
    );
    root
}

const LOG17: &str = "cohorts/2024-fall/attendance/17.csv";

#[test]
fn minutes_across_the_spring_change_are_the_minutes_that_passed() {
    // Toronto skips 02:00–03:00 on 2025-03-09: 01:00–04:00 on its clocks is
    // two real hours, the length of a webinar.
    let root = last_webinar_on("2025-03-09", "01:00", "04:00");
    root.write(
        "z.csv",
        format!(
            "{HEADER}Zoë Martin-Leclerc,zoe.martin-leclerc@example.org,2025-03-09 00:58:00,2025-03-09 04:02:00,124,No\n\
             Liam Kowalski,liam.kowalski@example.com,2025-03-09 01:30:00,2025-03-09 03:30:00,60,No\n\
             Kwame Mensah,,2025-03-09 01:00:00,2025-03-09 03:45:00,105,No\n"
        ),
    );
    import_ignoring(&root, 17);
    let got = standing(&root, LOG17);
    assert_eq!(got["p01"], row("present", "120"));
    // 01:30–03:30 on the clocks is one real hour, not the two they show.
    assert_eq!(got["p11"], row("partial", "60"));
    // 01:00–03:45 is 105 real minutes: just enough.
    assert_eq!(got["p13"], row("present", "105"));
}

#[test]
fn minutes_across_the_autumn_change_are_the_minutes_that_passed() {
    // Toronto's clocks go back from 02:00 to 01:00 on 2024-11-03: a session
    // from 01:30 (the first time) to 02:30 is two real hours.
    let root = last_webinar_on("2024-11-03", "01:30", "02:30");
    root.write(
        "t.csv",
        "1. Summary\n\
         Meeting title,Peer Support Core Essentials - Webinar 17\n\
         Attended participants,2\n\
         Start time,\"11/3/24, 1:20:00 AM\"\n\
         End time,\"11/3/24, 2:35:00 AM\"\n\
         Meeting duration,2h 15m 0s\n\
         \n\
         2. Participants\n\
         Name,First Join,Last Leave,In-Meeting Duration,Email,Participant ID (UPN),Role\n\
         Zoë Martin-Leclerc,\"11/3/24, 1:25:00 AM\",\"11/3/24, 2:31:00 AM\",2h 6m 0s,zoe.martin-leclerc@example.org,zoe.martin-leclerc@example.org,Attendee\n\
         Liam Kowalski,\"11/3/24, 2:00:00 AM\",\"11/3/24, 2:30:00 AM\",30m 0s,liam.kowalski@example.com,liam.kowalski@example.com,Attendee\n\
         \n\
         3. In-Meeting Activities\n\
         Name,Join Time,Leave Time,Duration,Email,Role\n\
         Zoë Martin-Leclerc,\"11/3/24, 1:25:00 AM\",\"11/3/24, 2:31:00 AM\",2h 6m 0s,zoe.martin-leclerc@example.org,Attendee\n\
         Liam Kowalski,\"11/3/24, 2:00:00 AM\",\"11/3/24, 2:30:00 AM\",30m 0s,liam.kowalski@example.com,Attendee\n",
    );
    root.ok("attend 2024-fall 17 --from-report t.csv --unmatched ignore")
    .stdout_has("Microsoft Teams attendance report")
    // 01:25 comes twice that night: the report does not say which.
    .stdout_has("warning: 2024-11-03 01:25 happen twice in America/Toronto (the clocks go back that night); read as the first time, before the change (a report with UTC offsets in its times leaves no doubt)");
    let got = standing(&root, LOG17);
    // 01:25 (the first time) to 02:31 is 126 real minutes, not the 66 the
    // clocks show; the session's 120 at most.
    assert_eq!(got["p01"], row("present", "120"));
    assert_eq!(got["p11"], row("partial", "30"));
}

#[test]
fn a_report_with_utc_offsets_in_the_repeated_hour_is_read_without_a_warning() {
    let root = last_webinar_on("2024-11-03", "01:30", "02:30");
    // The second 01:25 (-05:00, after the change): 65 minutes inside the
    // session, which ended at 02:30 (07:30 UTC).
    root.write(
        "z.csv",
        format!(
            "{HEADER}Zoë Martin-Leclerc,zoe.martin-leclerc@example.org,2024-11-03T01:25:00-05:00,2024-11-03T02:31:00-05:00,66,No\n"
        ),
    );
    let run = import_ignoring(&root, 17);
    assert!(!run.stdout.contains("happen twice"), "{}", run.stdout);
    assert_eq!(standing(&root, LOG17)["p01"], row("partial", "65"));
}
