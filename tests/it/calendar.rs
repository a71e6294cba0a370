//! `cohort calendar`, read back by an independent reader: Python's
//! `icalendar` package (installed by .ci/run).

use std::process::Command;

use chrono::{NaiveDate, NaiveTime, Offset, TimeZone};

use crate::support::{DataRoot, TOML, session_dates};

/// Every VEVENT as JSON; `vtimezone_offset` is the UTC offset at the start
/// as the file's own VTIMEZONE gives it (not Python's zone database).
const READER: &str = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
zones = cal.walk('VTIMEZONE')
assert len(zones) == 1, len(zones)
tz = zones[0].to_tz()
out = []
for e in cal.walk('VEVENT'):
    s, t = e.decoded('DTSTART'), e.decoded('DTEND')
    out.append(dict(uid=str(e['UID']), sequence=int(e['SEQUENCE']),
        start=s.isoformat(), end=t.isoformat(),
        tzid=str(e['DTSTART'].params.get('TZID')), summary=str(e['SUMMARY']),
        description=str(e['DESCRIPTION']),
        vtimezone_offset=int(tz.utcoffset(s.replace(tzinfo=None)).total_seconds())))
print(json.dumps(dict(zone=str(zones[0]['TZID']), events=out)))
"#;

fn read_back(ics: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cal.ics");
    std::fs::write(&path, ics).unwrap();
    let output = Command::new("python3")
        .args(["-c", READER])
        .arg(&path)
        .output()
        .expect("python3 runs (.ci/run installs it and its icalendar package)");
    assert!(
        output.status.success(),
        "python icalendar could not read the calendar: {}\n{ics}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

struct Session {
    webinar: u32,
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
}

fn schedule(toml: &str) -> (String, Vec<Session>) {
    let doc: toml_edit::DocumentMut = toml.parse().unwrap();
    let zone = doc["timezone"].as_str().unwrap().to_string();
    let time =
        |v: &toml_edit::Item| NaiveTime::parse_from_str(v.as_str().unwrap(), "%H:%M").unwrap();
    let sessions = doc["session"]
        .as_array_of_tables()
        .unwrap()
        .iter()
        .zip(session_dates(toml))
        .map(|(s, date)| Session {
            webinar: s["webinar"].as_integer().unwrap() as u32,
            date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap(),
            start: time(&s["start"]),
            end: time(&s["end"]),
        })
        .collect();
    (zone, sessions)
}

/// Checks every event against cohort.toml: UID, local date and time, and the
/// UTC offset from both Python's zone database and the file's VTIMEZONE.
/// Gives the offsets seen.
fn check_against_toml(cohort: &str, toml: &str, read: &serde_json::Value) -> Vec<i32> {
    let (zone, sessions) = schedule(toml);
    let tz: chrono_tz::Tz = zone.parse().unwrap();
    assert_eq!(read["zone"], zone);
    let events = read["events"].as_array().unwrap();
    assert_eq!(events.len(), sessions.len(), "{cohort}");
    let mut offsets = Vec::new();
    for (e, s) in events.iter().zip(&sessions) {
        assert_eq!(
            e["uid"],
            format!("{cohort}-webinar-{:02}@cohort", s.webinar)
        );
        assert_eq!(e["tzid"], zone);
        let offset = tz
            .from_local_datetime(&s.date.and_time(s.start))
            .earliest()
            .unwrap()
            .offset()
            .fix()
            .local_minus_utc();
        let text = |t: NaiveTime| {
            let sign = if offset < 0 { '-' } else { '+' };
            let o = offset.abs();
            format!(
                "{}T{}{sign}{:02}:{:02}",
                s.date,
                t.format("%H:%M:%S"),
                o / 3600,
                o / 60 % 60
            )
        };
        assert_eq!(e["start"], text(s.start), "{cohort} webinar {}", s.webinar);
        assert_eq!(e["end"], text(s.end), "{cohort} webinar {}", s.webinar);
        assert_eq!(
            e["vtimezone_offset"], offset,
            "{cohort} webinar {}: the VTIMEZONE disagrees",
            s.webinar
        );
        offsets.push(offset);
    }
    offsets
}

#[test]
fn every_session_reads_back_at_its_date_and_time_across_the_dst_change() {
    let root = DataRoot::example();
    let run = root.ok("calendar 2024-fall");
    let read = read_back(&run.stdout);
    let offsets = check_against_toml("2024-fall", &root.read(TOML), &read);
    // Fall 2024 crosses 2024-11-03: EDT before, EST after.
    assert_eq!(offsets[..16], [-4 * 3600; 16]);
    assert_eq!(offsets[16..], [-5 * 3600]);
    let events = read["events"].as_array().unwrap();
    assert_eq!(
        events[0]["summary"],
        "Webinar 1: Peer support and why it matters"
    );
    assert!(
        events[0]["description"]
            .as_str()
            .unwrap()
            .contains("Topics: Defining Peer Support; Benefits of Peer Support."),
        "{}",
        events[0]["description"]
    );
    run.stdout_has("TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500");
    // Stable from run to run: a re-import updates, never duplicates.
    assert_eq!(root.cohort("calendar 2024-fall").stdout, run.stdout);
}

fn sequences(read: &serde_json::Value) -> Vec<i64> {
    read["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sequence"].as_i64().unwrap())
        .collect()
}

#[test]
fn sequence_rises_only_for_the_events_that_changed_since_the_last_file() {
    let root = DataRoot::example();
    let before = root.snapshot();
    root.ok("calendar 2024-fall --out fall.ics");
    assert_eq!(sequences(&read_back(&root.read("fall.ics"))), [0; 17]);
    // Written again from unchanged data: the same bytes.
    let first = root.read("fall.ics");
    root.ok("calendar 2024-fall --out fall.ics");
    assert_eq!(root.read("fall.ics"), first);
    let mut after = before;
    after.insert("fall.ics".into(), first.into_bytes());
    assert_eq!(root.snapshot(), after, "calendar changed a data file");

    root.edit(TOML, "date = 2024-10-01", "date = 2024-10-02");
    root.ok("calendar 2024-fall --out fall.ics");
    let read = read_back(&root.read("fall.ics"));
    let mut want = [0; 17];
    want[6] = 1; // webinar 7 moved
    assert_eq!(sequences(&read), want);
    assert_eq!(read["events"][6]["start"], "2024-10-02T12:00:00-04:00");
    root.edit(TOML, "date = 2024-10-02", "date = 2024-10-03");
    // --previous reads the last file and writes to stdout.
    let run = root.ok("calendar 2024-fall --previous fall.ics");
    want[6] = 2;
    assert_eq!(sequences(&read_back(&run.stdout)), want);
    root.cohort("calendar 2024-fall --previous missing.ics")
        .fails(2, "--previous missing.ics: no such file");
}

#[test]
fn a_participants_calendar_stops_at_their_withdrawal() {
    let root = DataRoot::example();
    let read = read_back(&root.ok("calendar 2024-fall --participant p10").stdout);
    let starts: Vec<&str> = read["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["start"].as_str().unwrap())
        .collect();
    // p10 withdrew on 2024-10-02; webinar 7 was that day.
    assert_eq!(starts.len(), 7, "{starts:?}");
    assert!(starts[6].starts_with("2024-10-01"), "{starts:?}");
    let all = read_back(&root.ok("calendar 2024-fall --participant p01").stdout);
    assert_eq!(all["events"].as_array().unwrap().len(), 17);
    root.cohort("calendar 2024-fall --participant p99")
        .fails(2, "cohort 2024-fall has no participant \"p99\"");
    root.cohort("calendar 2099-none")
        .fails(2, "there is no cohort \"2099-none\"");
}

#[test]
fn generated_cohorts_in_every_zone_read_back_right() {
    let root = DataRoot::generated(12);
    let mut zones = std::collections::BTreeSet::new();
    for (rel, bytes) in crate::support::files_below(&root.path("cohorts")) {
        let Some(id) = rel.strip_suffix("/cohort.toml") else {
            continue;
        };
        let toml = String::from_utf8(bytes).unwrap();
        let read = read_back(&root.ok(&format!("calendar {id}")).stdout);
        check_against_toml(id, &toml, &read);
        zones.insert(read["zone"].as_str().unwrap().to_string());
    }
    assert!(zones.len() >= 3, "{zones:?}");
}
