//! iCalendar (RFC 5545) text: content lines folded at 75 octets, text
//! values escaped, and a VTIMEZONE built from the IANA zone's real
//! transitions over a span of dates.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// Lines of an iCalendar object, each ended by CRLF.
#[derive(Default)]
pub struct Writer {
    text: String,
}

impl Writer {
    /// `NAME:VALUE` with VALUE written as is (dates, numbers, ids).
    pub fn raw(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// `NAME:VALUE` with VALUE escaped as TEXT (RFC 5545 3.3.11).
    pub fn text(&mut self, name: &str, value: &str) {
        let mut escaped = String::with_capacity(value.len());
        for c in value.chars() {
            match c {
                '\\' => escaped.push_str("\\\\"),
                ';' => escaped.push_str("\\;"),
                ',' => escaped.push_str("\\,"),
                '\n' => escaped.push_str("\\n"),
                '\r' => {}
                c => escaped.push(c),
            }
        }
        self.raw(name, &escaped);
    }

    /// One content line, folded so that no line is longer than 75 octets
    /// (RFC 5545 3.1), never inside a UTF-8 character.
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            if width + c.len_utf8() > 75 {
                self.text.push_str("\r\n ");
                width = 1;
            }
            self.text.push(c);
            width += c.len_utf8();
        }
        self.text.push_str("\r\n");
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn append(&mut self, other: Writer) {
        self.text.push_str(&other.text);
    }

    pub fn finish(self) -> String {
        self.text
    }
}

/// `20240910T120000`: a local date-time, as with a TZID parameter.
pub fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// `20240910T160000Z`.
pub fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    if s % 60 == 0 {
        format!("{sign}{:02}{:02}", s / 3600, s / 60 % 60)
    } else {
        format!("{sign}{:02}{:02}{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

/// The zone's offset and whether it is daylight time, at `t`.
fn state(tz: Tz, t: DateTime<Utc>) -> (i32, bool, String) {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    (
        o.fix().local_minus_utc(),
        o.dst_offset() != Duration::zero(),
        o.abbreviation().unwrap_or("").to_string(),
    )
}

/// The first instant in `(from, to]` at which the zone's state differs from
/// its state at `from` (the two are an hour apart or less).
fn transition(tz: Tz, mut from: DateTime<Utc>, mut to: DateTime<Utc>) -> DateTime<Utc> {
    let before = state(tz, from);
    while to - from > Duration::seconds(1) {
        let mid = from + (to - from) / 2;
        if state(tz, mid) == before {
            from = mid;
        } else {
            to = mid;
        }
    }
    to
}

/// A VTIMEZONE for `tz` covering the years of `first` to `last`: one
/// STANDARD or DAYLIGHT part for the state on 1 January of the first year
/// and one for every transition up to 31 December of the last, each with
/// its real date (no RRULE: the zone's rules may have changed in between).
pub fn vtimezone(w: &mut Writer, tz: Tz, first: NaiveDate, last: NaiveDate) {
    let jan1 = |year| {
        NaiveDate::from_ymd_opt(year, 1, 1)
            .expect("1 January exists")
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
    };
    // Local midnight of 1 January (no zone changes at that moment).
    let start = tz
        .from_local_datetime(&jan1(first.year()))
        .earliest()
        .map_or_else(
            || Utc.from_utc_datetime(&jan1(first.year())),
            |t| t.with_timezone(&Utc),
        );
    let end = Utc.from_utc_datetime(&jan1(last.year() + 1));
    let mut parts = vec![(start, state(tz, start), state(tz, start))];
    let mut t = start;
    while t < end {
        let next = t + Duration::hours(1);
        let (before, after) = (state(tz, t), state(tz, next));
        if before != after {
            let at = transition(tz, t, next);
            parts.push((at, before, state(tz, at)));
        }
        t = next;
    }
    w.raw("BEGIN", "VTIMEZONE");
    w.raw("TZID", tz.name());
    for (at, (from, _, _), (to, dst, name)) in parts {
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        w.raw("BEGIN", kind);
        // DTSTART is the local time just before the change, in the old offset.
        w.raw(
            "DTSTART",
            &local(at.naive_utc() + Duration::seconds(i64::from(from))),
        );
        w.raw("TZOFFSETFROM", &offset(from));
        w.raw("TZOFFSETTO", &offset(to));
        if !name.is_empty() {
            w.text("TZNAME", &name);
        }
        w.raw("END", kind);
    }
    w.raw("END", "VTIMEZONE");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut w = Writer::default();
        w.text("SUMMARY", &"é".repeat(60));
        let text = w.finish();
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = text.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn text_is_escaped() {
        let mut w = Writer::default();
        w.text("DESCRIPTION", "a, b; c\\d\nnext");
        assert_eq!(w.finish(), "DESCRIPTION:a\\, b\\; c\\\\d\\nnext\r\n");
    }

    #[test]
    fn toronto_2024_has_its_two_real_transitions() {
        let mut w = Writer::default();
        let d = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        vtimezone(&mut w, chrono_tz::America::Toronto, d(9, 10), d(11, 5));
        let text = w.finish();
        for part in [
            "BEGIN:DAYLIGHT\r\nDTSTART:20240310T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n",
            "BEGIN:STANDARD\r\nDTSTART:20241103T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n",
        ] {
            assert!(text.contains(part), "{text}");
        }
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 2, "{text}");
    }

    #[test]
    fn a_zone_without_daylight_time_has_one_part() {
        let mut w = Writer::default();
        let d = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        vtimezone(&mut w, chrono_tz::America::Regina, d, d);
        let text = w.finish();
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1, "{text}");
        assert!(!text.contains("DAYLIGHT"), "{text}");
        assert!(text.contains("TZOFFSETTO:-0600"), "{text}");
    }
}
