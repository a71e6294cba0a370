//! Time zones: only IANA names of places (`America/Toronto`) or `UTC`.
//!
//! An abbreviation such as `EST` is refused even where the IANA database
//! has a zone of that name: `EST` is a fixed UTC−5 all year, so a cohort
//! meeting in Toronto at noon would be an hour off from March to November.
//! The names that fit an abbreviation are worked out from chrono-tz's data
//! (the zones whose abbreviation it is in January or July), the common ones
//! first (see [`COMMON`]); a city typed alone (`toronto`) finds its zone;
//! an old or compatibility name (`US/Eastern`, `Etc/GMT+5`) gets the places
//! that keep the same clock all year.

use chrono::{NaiveDate, TimeZone as _};
use chrono_tz::{OffsetName as _, TZ_VARIANTS, Tz};

/// The areas of IANA place names; `Etc/…`, `US/…` and the other
/// compatibility names are not places.
const AREAS: &[&str] = &[
    "Africa/",
    "America/",
    "Antarctica/",
    "Arctic/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
];

/// Zones that many people live in, offered first when several fit an
/// abbreviation (the rest follow alphabetically). A short list on purpose:
/// it orders suggestions, and decides nothing.
pub const COMMON: &[&str] = &[
    "America/Toronto",
    "America/New_York",
    "America/Vancouver",
    "America/Los_Angeles",
    "America/Chicago",
    "America/Winnipeg",
    "America/Denver",
    "America/Edmonton",
    "America/Phoenix",
    "America/Regina",
    "America/Halifax",
    "America/St_Johns",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Athens",
    "Africa/Johannesburg",
    "Africa/Lagos",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Australia/Brisbane",
    "Australia/Adelaide",
    "Australia/Perth",
    "Pacific/Auckland",
];

/// Suggestions shown at most.
const SHOWN: usize = 6;

/// Why a time zone was refused, and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `"EST" is an abbreviation, not a place`.
    pub problem: String,
    /// `write the IANA name of the place, e.g. America/Toronto, …`.
    pub help: String,
    /// The first suggestion alone, for "did you mean".
    pub best: Option<String>,
}

/// A place name or `UTC`, as written.
pub fn is_place(name: &str) -> bool {
    name == "UTC" || AREAS.iter().any(|a| name.starts_with(a))
}

/// The zone named, if it is an IANA place name (or `UTC`).
pub fn parse(text: &str) -> Result<Tz, Refusal> {
    let name = text.trim();
    if is_place(name)
        && let Ok(tz) = name.parse::<Tz>()
    {
        return Ok(tz);
    }
    Err(refusal(name))
}

fn places() -> impl Iterator<Item = &'static str> {
    TZ_VARIANTS
        .iter()
        .map(|t| t.name())
        .filter(|n| is_place(n) && *n != "UTC")
}

fn refusal(name: &str) -> Refusal {
    let lower = name.to_lowercase();
    // The right name in the wrong case: america/toronto.
    if let Some(exact) = places().find(|p| p.to_lowercase() == lower) {
        return one(name, "is not written as the IANA name is", exact);
    }
    // A city alone: toronto, new york, Sao_Paulo.
    let city = lower.replace(' ', "_");
    let cities: Vec<&str> = places()
        .filter(|p| {
            p.rsplit('/')
                .next()
                .is_some_and(|c| c.to_lowercase() == city)
        })
        .collect();
    if !cities.is_empty() {
        return many(
            format!("\"{name}\" is a place, not its time zone name"),
            cities,
        );
    }
    // An abbreviation: EST, PST, CEST, or a POSIX name like EST5EDT.
    let letters: String = name
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_uppercase();
    if (2..=5).contains(&letters.len()) && name.len() <= 8 {
        let fit = abbreviated(&letters);
        if !fit.is_empty() {
            return many(
                format!(
                    "\"{name}\" is an abbreviation, not a place: it does not say when daylight saving time applies"
                ),
                fit,
            );
        }
    }
    // Another name of a zone chrono-tz knows (US/Eastern, Etc/GMT+5): the
    // places that keep the same clock all year.
    if let Ok(tz) = name.parse::<Tz>() {
        // UTC under another name: Etc/UTC, UCT, Zulu, Universal.
        if clock(tz) == clock(Tz::UTC) {
            return one(name, "is another name of UTC", "UTC");
        }
        let its = clock(tz);
        let same: Vec<&str> = places()
            .filter(|p| p.parse::<Tz>().is_ok_and(|t| clock(t) == its))
            .collect();
        if !same.is_empty() {
            return many(
                format!("\"{name}\" is an old or compatibility name, not a place"),
                same,
            );
        }
    }
    // A typo of a place name or of a city: America/Torotno, Torotno.
    if let Some(g) = crate::diag::did_you_mean(name, places()) {
        return one(name, "is not an IANA time zone name", g);
    }
    if let Some(g) =
        crate::diag::did_you_mean(&city, places().map(|p| p.rsplit('/').next().unwrap_or(p)))
        && let Some(place) = places().find(|p| p.ends_with(&format!("/{g}")))
    {
        return one(name, "is not an IANA time zone name", place);
    }
    Refusal {
        problem: format!("\"{name}\" is not an IANA time zone name"),
        help: "write the place's IANA name, like America/Toronto or Europe/Paris".to_string(),
        best: None,
    }
}

fn one(name: &str, problem: &str, exact: &str) -> Refusal {
    Refusal {
        problem: format!("\"{name}\" {problem}"),
        help: format!("did you mean \"{exact}\"?"),
        best: Some(exact.to_string()),
    }
}

fn many(problem: String, mut fit: Vec<&str>) -> Refusal {
    // Common places first, then those that change their clocks (someone
    // who wrote EST most likely means Eastern time, summer included).
    fit.sort_by_key(|p| {
        (
            COMMON.iter().position(|c| c == p).unwrap_or(usize::MAX),
            !changes_clocks(p),
            p.matches('/').count(),
            p.to_string(),
        )
    });
    let more = fit.len().saturating_sub(SHOWN);
    let mut list = fit[..fit.len().min(SHOWN)].join(", ");
    if more > 0 {
        list.push_str(&format!(" … ({more} more)"));
    }
    Refusal {
        problem,
        help: format!("write the IANA name of the place, e.g. {list}"),
        best: fit.first().map(|s| s.to_string()),
    }
}

/// A zone's UTC offsets in January and July: two zones with the same clock
/// show the same time all year (this year's rules).
fn clock(tz: Tz) -> [i32; 2] {
    use chrono::Offset as _;
    midyear().map(|at| tz.offset_from_utc_datetime(&at).fix().local_minus_utc())
}

/// Noon on 15 January and on 15 July, by this year's rules.
fn midyear() -> [chrono::NaiveDateTime; 2] {
    [1, 7].map(|month| {
        NaiveDate::from_ymd_opt(2025, month, 15)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("a real date")
    })
}

/// January's and July's abbreviation of a zone.
fn abbreviations(tz: Tz) -> [Option<String>; 2] {
    midyear().map(|at| {
        tz.offset_from_utc_datetime(&at)
            .abbreviation()
            .map(str::to_string)
    })
}

/// Whether the zone keeps summer time (its offset differs in January and July).
fn changes_clocks(name: &str) -> bool {
    name.parse::<Tz>().is_ok_and(|tz| {
        let [jan, jul] = abbreviations(tz);
        jan != jul
    })
}

/// The place zones whose abbreviation in January or in July is `abbr`
/// (of this year's rules; a zone that stopped using it long ago does not fit).
fn abbreviated(abbr: &str) -> Vec<&'static str> {
    TZ_VARIANTS
        .iter()
        .filter(|tz| is_place(tz.name()) && tz.name() != "UTC")
        .filter(|tz| {
            abbreviations(**tz)
                .iter()
                .flatten()
                .any(|a| a.eq_ignore_ascii_case(abbr))
        })
        .map(|tz| tz.name())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every common zone is a place chrono-tz knows.
    #[test]
    fn places_and_utc_pass() {
        let places = [
            "America/Toronto",
            "Europe/Paris",
            "UTC",
            " America/Vancouver ",
        ];
        for ok in places.iter().chain(COMMON) {
            assert!(parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn abbreviations_are_refused_with_the_places_that_fit() {
        let r = parse("EST").unwrap_err();
        assert!(r.problem.contains("abbreviation"), "{r:?}");
        let iana = "write the IANA name of the place, e.g. America/Toronto, America/New_York";
        let help = &r.help;
        assert!(help.starts_with(iana), "{help}");
        assert_eq!(r.best.as_deref(), Some("America/Toronto"));
        for (abbreviation, place) in [
            // Not a zone chrono-tz knows by that name: found by abbreviation.
            ("PST", "America/Vancouver, America/Los_Angeles"),
            ("EST5EDT", "America/Toronto"),
            ("CEST", "Europe/Paris"),
            // A zone that only ever fits in summer is found by July.
            ("EDT", "America/Toronto"),
        ] {
            let help = parse(abbreviation).unwrap_err().help;
            assert!(help.contains(place), "{abbreviation}: {help}");
        }
        // Legacy names that parse in chrono-tz are refused too.
        for legacy in ["MST", "HST", "US/Eastern", "Etc/GMT+5", "GMT"] {
            assert!(parse(legacy).is_err(), "{legacy}");
        }
    }

    #[test]
    fn compatibility_names_get_the_places_with_the_same_clock() {
        let r = parse("US/Eastern").unwrap_err();
        assert!(r.problem.contains("compatibility name"), "{r:?}");
        let help = &r.help;
        assert!(help.contains("America/Toronto, America/New_York"), "{help}");
        assert_eq!(best("Canada/Pacific").as_deref(), Some("America/Vancouver"));
        // UTC-5 all year: Bogota, Cancun, Panama, not Toronto.
        let r = parse("Etc/GMT+5").unwrap_err();
        assert!(!r.help.contains("Toronto"), "{}", r.help);
        assert!(r.help.contains("America/Bogota"), "{}", r.help);
        for utc in ["Etc/UTC", "Zulu", "Universal", "UCT"] {
            assert_eq!(best(utc).as_deref(), Some("UTC"), "{utc}");
        }
    }

    /// The zone `parse` suggests for a name it refuses.
    fn best(name: &str) -> Option<String> {
        parse(name).unwrap_err().best
    }

    #[test]
    fn a_city_or_the_wrong_case_finds_its_zone() {
        for (typed, zone) in [
            ("toronto", Some("America/Toronto")),
            ("new york", Some("America/New_York")),
            ("America/Torotno", Some("America/Toronto")),
            ("Torotno", Some("America/Toronto")),
            ("Narnia/Cair_Paravel", None),
        ] {
            assert_eq!(best(typed).as_deref(), zone, "{typed}");
        }
        let help = parse("toronto").unwrap_err().help;
        assert!(help.contains("America/Toronto"), "{help}");
        assert_eq!(
            parse("america/toronto").unwrap_err().help,
            "did you mean \"America/Toronto\"?"
        );
    }
}
