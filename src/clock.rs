//! Which dates count as "in the future" for records.
//!
//! A trainer at UTC+14 logs hours on their today while a machine at UTC-11
//! is still on its yesterday. So a record's date is judged against today in
//! the cohort's time zone (or on this machine, whichever is later), with one
//! day of grace: only a date after that is "in the future".

use chrono::{Days, NaiveDate, Utc};

/// Today in the time zone `tz` (an IANA name): `COHORT_TODAY` when it is
/// set (then every zone is on that date, for reproducible runs), else the
/// clock; `machine_today` when `tz` is not a zone name.
pub fn today_in(tz: &str, machine_today: NaiveDate) -> NaiveDate {
    if std::env::var_os("COHORT_TODAY").is_some() {
        return machine_today;
    }
    match tz.parse::<chrono_tz::Tz>() {
        Ok(tz) => Utc::now().with_timezone(&tz).date_naive(),
        Err(_) => machine_today,
    }
}

/// The latest date a record of a cohort in `tz` may carry.
pub fn latest_record_date(machine_today: NaiveDate, tz: &str) -> NaiveDate {
    let today = today_in(tz, machine_today).max(machine_today);
    today.checked_add_days(Days::new(1)).unwrap_or(today)
}

/// Why `date` may not be recorded for a cohort in `tz` ("is in the future
/// (today is … in …; a day's grace is allowed)"), or `None` when it may.
pub fn in_the_future(date: NaiveDate, machine_today: NaiveDate, tz: &str) -> Option<String> {
    (date > latest_record_date(machine_today, tz)).then(|| {
        format!(
            "is in the future (today is {} in {tz}; a day's grace is allowed)",
            today_in(tz, machine_today).max(machine_today)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_day_of_grace_after_the_later_today() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // With COHORT_TODAY unset, the cohort's zone may be ahead of the
        // machine, never behind the grace.
        let machine = Utc::now().date_naive();
        for tz in [
            "Pacific/Kiritimati",
            "Pacific/Pago_Pago",
            "America/Toronto",
            "nowhere",
        ] {
            let latest = latest_record_date(machine, tz);
            assert!(latest > machine, "{tz}");
            assert!(latest <= machine + Days::new(2), "{tz}");
        }
        // Not a zone: the machine's date and the grace day.
        let latest = latest_record_date(d("2026-11-22"), "nowhere");
        assert_eq!(latest, d("2026-11-23"));
    }
}
