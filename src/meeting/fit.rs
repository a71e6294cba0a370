//! The report's day and hours against the session's: a report of another
//! day, one whose attendance only fits the session shifted by whole hours (a
//! zone mistake), or one in which nobody was in during the scheduled time is
//! refused, saying what would fit.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Offset, TimeDelta, Utc};
use chrono_tz::Tz;

use super::Report;
use super::import::{Setting, Window};
use super::matching::Who;
use super::spans::{Span, Times, seconds_inside};

/// Zones to suggest for `--report-tz`, in order of preference.
const ZONES: &[&str] = &[
    "America/Toronto",
    "America/Vancouver",
    "America/Edmonton",
    "America/Winnipeg",
    "America/Halifax",
    "America/Regina",
    "America/Whitehorse",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Pacific/Noumea",
    "Pacific/Auckland",
];

fn offset_of(tz: Tz, at: DateTime<Utc>) -> i64 {
    i64::from(at.with_timezone(&tz).offset().fix().local_minus_utc())
}

/// A zone whose UTC offset at `at` is `offset` seconds.
fn zone_with_offset(at: DateTime<Utc>, offset: i64) -> Option<&'static str> {
    ZONES.iter().copied().find(|name| {
        name.parse::<Tz>()
            .is_ok_and(|tz| offset_of(tz, at) == offset)
    })
}

/// Refuses a report that does not fit the session: shifted by whole hours,
/// of another day, or with nobody in during the scheduled time.
pub fn check(
    report: &Report,
    times: &Times,
    who: &[Who],
    s: &Setting<'_>,
    w: &Window,
) -> Result<(), String> {
    // Each person's spans (staff left out), grouped once.
    let mut people: BTreeMap<&Who, Vec<Span>> = BTreeMap::new();
    for (i, span, _) in &times.spans {
        if !matches!(who[*i], Who::Staff | Who::Guest) {
            people.entry(&who[*i]).or_default().push(*span);
        }
    }
    let fit = score(&people, w, 0);
    let mut dates: Vec<NaiveDate> = times.spans.iter().filter_map(|(_, _, d)| *d).collect();
    dates.sort();
    dates.dedup();
    let other_day = !report.time_only && !dates.is_empty() && !dates.contains(&s.session.date);
    if let Some(k) = best_shift(&people, w, fit) {
        let d = TimeDelta::hours(k);
        let fixes_day = !other_day
            || times.spans.iter().any(|(_, (j, _), _)| {
                (*j - d).with_timezone(&s.cohort_tz).date_naive() == s.session.date
            });
        if fixes_day {
            return Err(format!("{}: {}", s.shown, shifted(k, s, w)));
        }
    }
    if other_day {
        return Err(another_day(&dates, times.ambiguous_order, s));
    }
    if fit == 0 {
        return Err(nobody_inside(times, s, w));
    }
    Ok(())
}

/// Seconds of attendance inside the session shifted by `shift` hours.
fn score(people: &BTreeMap<&Who, Vec<Span>>, w: &Window, shift: i64) -> i64 {
    let d = TimeDelta::hours(shift);
    people
        .values()
        .map(|v| seconds_inside(v, w.start + d, w.end + d))
        .sum()
}

/// The whole-hour shift that fits the report much better than none, if any.
/// Where the meeting sat: the median of the people's first joins and of
/// their last leaves. A whole-hour shift that puts both much nearer the
/// scheduled start and end than no shift does is a zone mistake.
fn best_shift(people: &BTreeMap<&Who, Vec<Span>>, w: &Window, fit: i64) -> Option<i64> {
    let median = |mut v: Vec<i64>| -> Option<i64> {
        v.sort_unstable();
        let n = v.len();
        (n > 0).then(|| (v[(n - 1) / 2] + v[n / 2]) / 2)
    };
    let edge = |pick: fn(&[Span]) -> Option<i64>| {
        median(people.values().filter_map(|v| pick(v)).collect())
    };
    let firsts = edge(|v| v.iter().map(|s| s.0.timestamp()).min());
    let lasts = edge(|v| v.iter().map(|s| s.1.timestamp()).max());
    let distance = |k: i64| -> i64 {
        match (firsts, lasts) {
            (Some(f), Some(l)) => {
                (f - w.start.timestamp() - k * 3600).abs()
                    + (l - w.end.timestamp() - k * 3600).abs()
            }
            _ => 0,
        }
    };
    (-14i64..=14)
        .filter(|&k| k != 0)
        .map(|k| (distance(k), k))
        .min_by_key(|&(d, k)| (d, k.abs()))
        .filter(|&(d, k)| d + 30 * 60 <= distance(0) && score(people, w, k) > fit)
        .map(|(_, k)| k)
}

/// The refusal of a report whose times look `k` hours off.
fn shifted(k: i64, s: &Setting<'_>, w: &Window) -> String {
    let hours = crate::render::count(k.unsigned_abs() as usize, "hour", "hours");
    let dir = if k < 0 { "behind" } else { "ahead of" };
    let offset = offset_of(s.report_tz, w.start) + k * 3600;
    let read_in = if s.tz_given {
        format!("read in {} (--report-tz), ", s.report_tz)
    } else {
        String::new()
    };
    let fix = match zone_with_offset(w.start, offset) {
        Some(z) => format!("give --report-tz {z}"),
        None => format!(
            "give --report-tz with the time zone of the account that downloaded the report (UTC{:+} on that day)",
            offset as f64 / 3600.0
        ),
    };
    format!(
        "error: {read_in}the report's times look {hours} {dir} the session (webinar {}, {} {}): its attendance fits {}–{}, not the scheduled time; {fix}\n  help: if the meeting really was held at other times than cohort.toml says, correct the session's start and end there first",
        s.webinar,
        w.text,
        s.cohort_tz,
        (w.start_local + TimeDelta::hours(k)).format("%H:%M"),
        (w.end_local + TimeDelta::hours(k)).format("%H:%M"),
    )
}

/// The refusal of a report of another day, naming the webinars of its dates.
fn another_day(dates: &[NaiveDate], ambiguous_order: bool, s: &Setting<'_>) -> String {
    let cohort = s.cohort;
    let listed: Vec<String> = dates.iter().map(NaiveDate::to_string).collect();
    let mut text = format!(
        "{}: error: the report's meeting is on {}, not on {} (the date of webinar {} of cohort {})",
        s.shown,
        listed.join(", "),
        s.session.date,
        s.webinar,
        cohort.id
    );
    if ambiguous_order {
        text += "; its dates can be read day-first or month-first, and neither fits the session";
    }
    let fitting: Vec<String> = cohort
        .sessions
        .iter()
        .filter(|x| dates.contains(&x.date))
        .map(|x| {
            format!(
                "webinar {} is on {}: cohort attend {} {} --from-report {}",
                x.webinar, x.date, cohort.id, x.webinar, s.shown
            )
        })
        .collect();
    if fitting.is_empty() {
        text += &format!(
            "\n  help: no webinar of cohort {} is on that date; is this the report of the right meeting?",
            cohort.id
        );
    } else {
        text += &format!("\n  help: {}", fitting.join("; "));
    }
    text
}

/// The refusal of a report in which nobody was in during the session.
fn nobody_inside(times: &Times, s: &Setting<'_>, w: &Window) -> String {
    let first = times.spans.iter().map(|(_, (j, _), _)| *j).min();
    let last = times.spans.iter().map(|(_, (_, l), _)| *l).max();
    let shown_range = match (first, last) {
        (Some(a), Some(b)) => format!(
            "the report runs {}–{} ({})",
            a.with_timezone(&s.cohort_tz).format("%H:%M"),
            b.with_timezone(&s.cohort_tz).format("%H:%M"),
            s.cohort_tz
        ),
        _ => "the report has no attendance times".to_string(),
    };
    format!(
        "{}: error: nobody in the report was in the meeting during the session's scheduled time ({} {}); {shown_range}. Check that it is the report of webinar {} and that cohort.toml has its times right",
        s.shown, w.text, s.cohort_tz, s.webinar
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_zone_is_suggested_by_its_offset_on_the_day() {
        // 2024-09-17 16:00 UTC: Toronto is -4, Vancouver -7.
        let at = Utc.with_ymd_and_hms(2024, 9, 17, 16, 0, 0).unwrap();
        assert_eq!(zone_with_offset(at, -7 * 3600), Some("America/Vancouver"));
        assert_eq!(zone_with_offset(at, -4 * 3600), Some("America/Toronto"));
        assert_eq!(zone_with_offset(at, 0), Some("UTC"));
        assert_eq!(zone_with_offset(at, 3600), Some("Europe/London"));
    }
}
