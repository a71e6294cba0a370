//! Times as meeting reports and spreadsheets write them.
//!
//! A date is `YYYY-MM-DD` (ISO, also with `/`), or three numbers `A/B/C`
//! (also with `.` or `-`) whose year is last, with two or four digits
//! (`9/17/24` is what Excel in the US writes back). Which of `A` and `B` is
//! the month is decided for the whole file by [`decide_order`]: a number above
//! 12 settles it; when nothing does, the session's date does. The time is
//! `H:MM[:SS[.f]]`, with or without `AM`/`PM` (`a.m.`, `p.m.` too); a comma
//! may sit between date and time (Teams: `9/17/24, 11:58:03 AM`). A time
//! with a UTC offset (`Z`, `+02:00`) is an instant and is read as one.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// Which of the first two numbers of a slash date is the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    MonthFirst,
    DayFirst,
}

/// A time as read: its date (`None` for a time alone, as Google Meet writes
/// it), its time of day and, when the text gives one, its UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub date: Option<NaiveDate>,
    pub time: NaiveTime,
    /// Seconds east of UTC.
    pub offset: Option<i32>,
}

impl Stamp {
    /// The local date and time, on `default` when the text had no date.
    pub fn local(&self, default: NaiveDate) -> NaiveDateTime {
        self.date.unwrap_or(default).and_time(self.time)
    }
}

/// An example for messages.
pub const EXAMPLE: &str = "9/17/2024 11:58:03 AM, 17/09/2024 11:58 or 2024-09-17 11:58:03";

/// The three numbers of a date with the year last (`9/17/24`), if it is one.
fn ambiguous_fields(date: &str) -> Option<(u32, u32, i32)> {
    let parts: Vec<&str> = date.split(['/', '.', '-']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if parts[0].len() > 2 || parts[1].len() > 2 || !matches!(parts[2].len(), 2 | 4) {
        return None;
    }
    let century = if parts[2].len() == 2 { 2000 } else { 0 };
    let year = parts[2].parse::<i32>().ok()? + century;
    Some((parts[0].parse().ok()?, parts[1].parse().ok()?, year))
}

/// Splits a cell into its date word (if any) and the rest.
fn split_date(text: &str) -> (Option<&str>, &str) {
    let text = text.trim();
    let cut = text.find([' ', 'T', ',']);
    match cut {
        Some(i) if text[..i].contains(['/', '-', '.']) => (
            Some(&text[..i]),
            text[i + 1..].trim_start_matches([',', ' ']),
        ),
        None if text.contains(['/', '-']) && !text.contains(':') => (Some(text), ""),
        _ => (None, text),
    }
}

/// The dates with the year last among `stamps` (see [`ambiguous_fields`]).
fn ambiguous_dates<'a>(stamps: impl Iterator<Item = &'a str>) -> Vec<(u32, u32, i32)> {
    stamps
        .filter_map(|s| ambiguous_fields(split_date(s).0?))
        .collect()
}

/// The date `(a, b, y)` is when read in `order`, if it is one.
fn in_order((a, b, y): (u32, u32, i32), order: Order) -> Option<NaiveDate> {
    match order {
        Order::MonthFirst => NaiveDate::from_ymd_opt(y, a, b),
        Order::DayFirst => NaiveDate::from_ymd_opt(y, b, a),
    }
}

/// Whether every one of `seen` is a date when read in `order`.
fn all_fit(seen: &[(u32, u32, i32)], order: Order) -> bool {
    seen.iter().all(|&date| in_order(date, order).is_some())
}

/// The order to read a file's slash dates in: the one every date fits; if
/// both fit, the one under which one of the `dates` is `session` (its date),
/// else month-first.
pub fn decide_order<'a>(stamps: impl Iterator<Item = &'a str>, session: NaiveDate) -> Order {
    let seen = ambiguous_dates(stamps);
    let finds_session = |order| seen.iter().any(|&d| in_order(d, order) == Some(session));
    match (
        all_fit(&seen, Order::MonthFirst),
        all_fit(&seen, Order::DayFirst),
    ) {
        (false, true) => Order::DayFirst,
        (true, true) if finds_session(Order::DayFirst) && !finds_session(Order::MonthFirst) => {
            Order::DayFirst
        }
        _ => Order::MonthFirst,
    }
}

/// Whether the file's dates could be read both ways (for messages).
pub fn both_orders_fit<'a>(stamps: impl Iterator<Item = &'a str>) -> bool {
    let seen = ambiguous_dates(stamps);
    all_fit(&seen, Order::MonthFirst)
        && all_fit(&seen, Order::DayFirst)
        && seen.iter().any(|&(a, b, _)| a != b)
}

/// Reads one time cell. The error continues a sentence naming the column:
/// `is "13/45/2024"; expected a time like …`.
pub fn parse(text: &str, order: Order) -> Result<Stamp, String> {
    let bad = || format!("is \"{}\"; expected a time like {EXAMPLE}", text.trim());
    if text.trim().is_empty() {
        return Err(format!("is empty; expected a time like {EXAMPLE}"));
    }
    let (date_word, rest) = split_date(text);
    let date = date_word
        .map(|d| read_date(d, order).ok_or_else(bad))
        .transpose()?;
    let (rest, offset) = split_offset(rest.trim());
    let time = read_time(rest).ok_or_else(bad)?;
    Ok(Stamp { date, time, offset })
}

fn read_date(word: &str, order: Order) -> Option<NaiveDate> {
    let parts: Vec<&str> = word.split(['/', '-', '.']).collect();
    if parts.len() == 3 && parts[0].len() == 4 {
        return NaiveDate::from_ymd_opt(
            parts[0].parse().ok()?,
            parts[1].parse().ok()?,
            parts[2].parse().ok()?,
        );
    }
    in_order(ambiguous_fields(word)?, order)
}

/// `Z`, `+02`, `+0200`, `+02:00` (or `-`) at the end: the rest and the offset.
fn split_offset(s: &str) -> (&str, Option<i32>) {
    if let Some(rest) = s.strip_suffix(['Z', 'z']) {
        return (rest.trim_end(), Some(0));
    }
    if let Some(i) = s.rfind(['+', '-']) {
        let (rest, off) = s.split_at(i);
        let digits: String = off[1..].chars().filter(|c| *c != ':').collect();
        if rest.contains(':')
            && matches!(digits.len(), 2 | 4)
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            let h: i32 = digits[..2].parse().unwrap_or(0);
            let m: i32 = digits.get(2..).map_or(0, |m| m.parse().unwrap_or(0));
            let sign = if off.starts_with('-') { -1 } else { 1 };
            return (rest.trim_end(), Some(sign * (h * 3600 + m * 60)));
        }
    }
    (s, None)
}

/// `11:58`, `11:58:03`, `11:58:03.250`, with an optional AM/PM.
fn read_time(s: &str) -> Option<NaiveTime> {
    let lower = s.to_lowercase().replace('.', "").replace('\u{a0}', " ");
    let lower = lower.trim();
    let (clock, half) = if let Some(c) = lower.strip_suffix("am") {
        (c.trim(), Some(false))
    } else if let Some(c) = lower.strip_suffix("pm") {
        (c.trim(), Some(true))
    } else {
        (lower, None)
    };
    // French Canadian clocks: `11 h 52`.
    let french = clock.replace(" h ", ":").replace('h', ":");
    let clock = if clock.contains('h') {
        french.as_str()
    } else {
        clock
    };
    // The fraction's dot was removed with the a.m. dots; seconds keep digits only.
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut h: u32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let s: u32 = match parts.get(2) {
        None => 0,
        Some(sec) => sec.get(..2.min(sec.len()))?.parse().ok()?,
    };
    if parts[1].len() != 2 || parts.get(2).is_some_and(|s| s.len() < 2) {
        return None;
    }
    if let Some(pm) = half {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    NaiveTime::from_hms_opt(h, m, s)
}

/// A duration: `1h 27m 51s`, `27m 5s`, `2 hr 3 min`, `1:27:51`, `87`
/// (minutes).
pub fn duration(s: &str) -> Option<TimeDelta> {
    let s = s.trim().to_lowercase();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(TimeDelta::minutes(s.parse().ok()?));
    }
    if s.contains(':') {
        let parts: Vec<i64> = s
            .split(':')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        return match parts[..] {
            [h, m, sec] => Some(TimeDelta::seconds(h * 3600 + m * 60 + sec)),
            [m, sec] => Some(TimeDelta::seconds(m * 60 + sec)),
            _ => None,
        };
    }
    let mut total = 0i64;
    let mut number = String::new();
    let mut unit = String::new();
    let mut flush = |number: &mut String, unit: &mut String| -> Option<()> {
        if number.is_empty() {
            return if unit.is_empty() { Some(()) } else { None };
        }
        let n: i64 = number.parse().ok()?;
        let factor = match unit.trim_end_matches('.') {
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            _ => return None,
        };
        total += n * factor;
        number.clear();
        unit.clear();
        Some(())
    };
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !unit.is_empty() {
                flush(&mut number, &mut unit)?;
            }
            number.push(c);
        } else if c.is_alphabetic() || c == '.' {
            unit.push(c);
        } else if !c.is_whitespace() {
            return None;
        }
    }
    flush(&mut number, &mut unit)?;
    Some(TimeDelta::seconds(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str, order: Order) -> NaiveDateTime {
        parse(s, order)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .local(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap())
    }

    #[test]
    fn every_shape_a_report_or_a_spreadsheet_writes() {
        use Order::*;
        // What each is read as, in local time ("2000-01-01" for a time alone).
        let table = "\
            09/17/2024 11:58:03 AM | MonthFirst | 2024-09-17 11:58:03
            9/17/24 12:01          | MonthFirst | 2024-09-17 12:01:00
            17/09/2024 12:01       | DayFirst   | 2024-09-17 12:01:00
            03/10/2024 12:01:05 PM | DayFirst   | 2024-10-03 12:01:05
            03/10/2024 12:01:05 PM | MonthFirst | 2024-03-10 12:01:05
            9/17/24, 11:58:03 AM   | MonthFirst | 2024-09-17 11:58:03
            2024-09-17 13:58       | DayFirst   | 2024-09-17 13:58:00
            2024-09-17T13:58:00.5  | MonthFirst | 2024-09-17 13:58:00
            17.09.2024 14:00       | DayFirst   | 2024-09-17 14:00:00
            2024-09-17 12:00 a.m.  | MonthFirst | 2024-09-17 00:00:00
            2024-09-17 12:30 p.m.  | MonthFirst | 2024-09-17 12:30:00
            11:58 AM               | MonthFirst | 2000-01-01 11:58:00
            14:05:09               | MonthFirst | 2000-01-01 14:05:09
            11 h 52                | MonthFirst | 2000-01-01 11:52:00
            2024-09-17 14 h 05     | MonthFirst | 2024-09-17 14:05:00";
        for line in table.lines() {
            let [s, o, want] =
                <[&str; 3]>::try_from(line.split('|').map(str::trim).collect::<Vec<_>>()).unwrap();
            let o = if o == "DayFirst" {
                DayFirst
            } else {
                MonthFirst
            };
            let want = NaiveDateTime::parse_from_str(want, "%Y-%m-%d %H:%M:%S").unwrap();
            assert_eq!(at(s, o), want, "{s}");
        }
        let z = parse("2024-09-17T16:00:00Z", Order::MonthFirst).unwrap();
        assert_eq!(z.offset, Some(0));
        let o = parse("2024-09-17 12:00:00-04:00", Order::MonthFirst).unwrap();
        assert_eq!(o.offset, Some(-4 * 3600));
        for bad in [
            "13/45/2024 10:00",
            "soon",
            "2024-09-17 25:00",
            "9/17/2024 13:00 PM",
            "",
        ] {
            assert!(parse(bad, Order::MonthFirst).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_order_is_settled_by_a_number_above_12_else_by_the_session() {
        let oct3 = NaiveDate::from_ymd_opt(2024, 10, 3).unwrap();
        let stamps = ["03/10/2024 12:01:05 PM", "03/10/2024 01:59:00 PM"];
        assert_eq!(decide_order(stamps.into_iter(), oct3), Order::DayFirst);
        let mar10 = NaiveDate::from_ymd_opt(2024, 3, 10).unwrap();
        assert_eq!(decide_order(stamps.into_iter(), mar10), Order::MonthFirst);
        assert!(both_orders_fit(stamps.into_iter()));
        let stamps = ["17/09/2024 12:01", "03/10/2024 12:00"];
        assert_eq!(decide_order(stamps.into_iter(), mar10), Order::DayFirst);
        assert!(!both_orders_fit(stamps.into_iter()));
    }

    #[test]
    fn durations() {
        for (s, secs) in [
            ("1h 27m 51s", 5271),
            ("27m 5s", 1625),
            ("2 hr 3 min", 7380),
            ("1:27:51", 5271),
            ("87", 5220),
            ("45s", 45),
        ] {
            assert_eq!(duration(s), Some(TimeDelta::seconds(secs)), "{s}");
        }
        assert_eq!(duration("about an hour"), None);
        assert_eq!(duration(""), None);
    }
}
