//! A report's times on real instants: each row's join and leave read (in one
//! day/month order for the whole file) and placed in the report's zone, so a
//! session across a daylight-saving change counts the minutes that really
//! passed; and the union of a person's intervals inside the session.

use chrono::{DateTime, LocalResult, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::import::Setting;
use super::time::{self, Order, Stamp};
use super::{Attendee, Place, Report};

/// One interval on real instants.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// A report's times, read.
pub struct Times {
    /// Every counted interval: the attendee's index, the span and the local
    /// date of the join (`None` for a time alone).
    pub spans: Vec<(usize, Span, Option<NaiveDate>)>,
    /// Waiting-room rows, not counted.
    pub waiting: usize,
    /// Each attendee's total time in, where the layout gives one.
    pub totals: Vec<Option<TimeDelta>>,
    pub order: Order,
    /// Whether the dates could be read day-first and month-first.
    pub ambiguous_order: bool,
    /// Local times that happen twice in the report's zone (the autumn hour),
    /// read as the first time: for a warning.
    pub repeated: Vec<String>,
}

/// Union of the spans clipped to `[start, end)`, in whole seconds.
pub fn seconds_inside(spans: &[Span], start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    let mut clipped: Vec<Span> = spans
        .iter()
        .map(|&(a, b)| (a.max(start), b.min(end)))
        .filter(|(a, b)| a < b)
        .collect();
    clipped.sort_unstable();
    let mut total = TimeDelta::zero();
    let mut current: Option<Span> = None;
    for (a, b) in clipped {
        current = match current {
            Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += cb - ca;
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    if let Some((ca, cb)) = current {
        total += cb - ca;
    }
    total.num_seconds()
}

/// The instant of a local time in `tz`, and whether that local time happens
/// twice there. A time that falls in a daylight-saving gap does not exist
/// and is an error; one that falls twice (the autumn hour) is taken the
/// first time.
pub fn instant(stamp: &Stamp, default: NaiveDate, tz: Tz) -> Result<(DateTime<Utc>, bool), String> {
    let local = stamp.local(default);
    if let Some(offset) = stamp.offset {
        let utc = local - TimeDelta::seconds(offset.into());
        return Ok((Utc.from_utc_datetime(&utc), false));
    }
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok((t.with_timezone(&Utc), false)),
        LocalResult::Ambiguous(first, _) => Ok((first.with_timezone(&Utc), true)),
        LocalResult::None => Err(format!(
            "{local} does not exist in {tz} (the clocks skip that hour)"
        )),
    }
}

/// Reads every row's times. `Err` is every problem, one line each, in line
/// order; `at` names a row's place.
pub fn read(
    report: &Report,
    s: &Setting<'_>,
    at: &dyn Fn(Place) -> String,
) -> Result<Times, String> {
    let stamps = report.meeting_start.iter().map(String::as_str).chain(
        report
            .attendees
            .iter()
            .flat_map(|a| [a.join.as_str(), a.leave.as_str()]),
    );
    let mut times = Times {
        spans: Vec::new(),
        waiting: 0,
        totals: Vec::new(),
        order: time::decide_order(stamps.clone(), s.session.date),
        ambiguous_order: time::both_orders_fit(stamps),
        repeated: Vec::new(),
    };
    let mut problems = Vec::new();
    for (i, a) in report.attendees.iter().enumerate() {
        if a.join == "--" || a.leave == "--" {
            continue;
        }
        match interval(a, times.order, report.time_only, s, at) {
            Err(lines) => problems.extend(lines.into_iter().map(|m| (a.place, m))),
            Ok((_, repeated)) if a.waiting => {
                times.waiting += 1;
                times.repeated.extend(repeated);
            }
            Ok(((span, date), repeated)) => {
                times.spans.push((i, span, date));
                times.repeated.extend(repeated);
            }
        }
    }
    times.totals = report
        .attendees
        .iter()
        .map(|a| a.total.as_deref().and_then(time::duration))
        .collect();
    for (a, total) in report.attendees.iter().zip(&times.totals) {
        if a.total.is_some() && total.is_none() {
            problems.push((a.place, format!(
                "{}: error: the duration \"{}\" is not a duration like 1h 27m 51s, 2 hr 3 min or 1:27:51",
                at(a.place),
                a.total.as_deref().unwrap_or("")
            )));
        }
    }
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        let lines: Vec<String> = problems.into_iter().map(|(_, m)| m).collect();
        return Err(lines.join("\n"));
    }
    times.repeated.sort();
    times.repeated.dedup();
    Ok(times)
}

/// A span with the join's local date, and the local times in it that happen
/// twice.
type Interval = ((Span, Option<NaiveDate>), Vec<String>);

/// One row's interval on real instants, or its problems.
fn interval(
    a: &Attendee,
    order: Order,
    time_only: bool,
    s: &Setting<'_>,
    at: &dyn Fn(Place) -> String,
) -> Result<Interval, Vec<String>> {
    let read = |text: &str, what: &str| {
        time::parse(text, order).map_err(|e| format!("{}: error: the {what} time {e}", at(a.place)))
    };
    let (join, leave) = both(read(&a.join, "join"), read(&a.leave, "leave"))?;
    let place = |stamp: &Stamp| {
        instant(stamp, s.session.date, s.report_tz).map_err(|e| {
            format!(
                "{}: error: {e}; give --report-tz with the zone the report was made in",
                at(a.place)
            )
        })
    };
    let ((j, twice_j), (mut l, twice_l)) = both(place(&join), place(&leave))?;
    if l < j && time_only {
        // A time alone past midnight: the next day.
        l += TimeDelta::days(1);
    }
    if l < j {
        return Err(vec![format!(
            "{}: error: the leave time \"{}\" is before the join time \"{}\"; an attendee leaves at or after joining",
            at(a.place),
            a.leave,
            a.join
        )]);
    }
    let repeated = [(twice_j, &join), (twice_l, &leave)]
        .into_iter()
        .filter(|(twice, _)| *twice)
        .map(|(_, stamp)| {
            stamp
                .local(s.session.date)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .collect();
    Ok((((j, l), join.date), repeated))
}

/// Both values, or the errors of either.
fn both<A, B>(a: Result<A, String>, b: Result<B, String>) -> Result<(A, B), Vec<String>> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err(a.err().into_iter().chain(b.err()).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 9, 17, h, m, 0).unwrap()
    }

    #[test]
    fn union_of_devices_clipped_and_summed() {
        let spans = [
            (t(10, 30), t(11, 30)),
            (t(10, 0), t(11, 0)),
            (t(10, 40), t(10, 50)),
        ];
        assert_eq!(seconds_inside(&spans, t(9, 0), t(13, 0)), 90 * 60);
        let spans = [(t(9, 45), t(12, 20))];
        assert_eq!(seconds_inside(&spans, t(10, 0), t(12, 0)), 120 * 60);
        let spans = [(t(8, 0), t(9, 0)), (t(12, 0), t(13, 0))];
        assert_eq!(seconds_inside(&spans, t(10, 0), t(12, 0)), 0);
        assert_eq!(seconds_inside(&[], t(10, 0), t(12, 0)), 0);
    }

    #[test]
    fn local_times_become_real_instants_across_daylight_saving() {
        let tz: Tz = "America/Toronto".parse().unwrap();
        let stamp = |d: u32, m: u32, h: u32, min: u32| Stamp {
            date: NaiveDate::from_ymd_opt(2024, m, d),
            time: chrono::NaiveTime::from_hms_opt(h, min, 0).unwrap(),
            offset: None,
        };
        let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let utc =
            |m: u32, d: u32, h: u32, min: u32| Utc.with_ymd_and_hms(2024, m, d, h, min, 0).unwrap();
        for (local, want) in [
            // Summer (-4) and winter (-5) time.
            (stamp(17, 9, 12, 0), (utc(9, 17, 16, 0), false)),
            (stamp(5, 11, 12, 0), (utc(11, 5, 17, 0), false)),
            // The autumn hour happens twice: the first time is taken, and said.
            (stamp(3, 11, 1, 30), (utc(11, 3, 5, 30), true)),
        ] {
            assert_eq!(instant(&local, day, tz).unwrap(), want, "{local:?}");
        }
        // The spring hour does not exist.
        let err = instant(&stamp(10, 3, 2, 30), day, tz).unwrap_err();
        assert!(err.contains("does not exist in America/Toronto"), "{err}");
        // A time with an offset is that instant whatever the zone.
        let with = Stamp {
            offset: Some(-7 * 3600),
            ..stamp(17, 9, 9, 0)
        };
        assert_eq!(instant(&with, day, tz).unwrap(), (utc(9, 17, 16, 0), false));
    }
}
