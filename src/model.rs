//! Plain data types of the program, a cohort and its records.
//!
//! Nothing here reads files or knows the date: `load` builds these values,
//! `rules` turns them into outcomes, `render` prints them.

use std::fmt;
use std::rc::Rc;

use chrono::{NaiveDate, NaiveTime};
use strum::{EnumString, IntoStaticStr, VariantArray};

/// The program, from `curriculum.toml`.
#[derive(Debug, Clone)]
pub struct Curriculum {
    pub program_name: String,
    /// The words printed for a Certified participant.
    pub credential: String,
    pub certificate_prefix: String,
    pub session_minutes: u32,
    /// A `partial` attendance of at least this many minutes counts as attended.
    pub min_minutes: u32,
    pub required_hours: Hours,
    /// Numbered 1..=N without gaps, in order.
    pub webinars: Vec<Webinar>,
    /// `[certificate]`: how certificates are printed and verified online.
    pub certificate: CertificateSettings,
}

/// `curriculum.toml` `[certificate]` (optional as a whole).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateSettings {
    pub paper: Paper,
    /// The verification page's address, printed in every QR code; `None`
    /// until staff set it (`print` then refuses).
    pub verify_url: Option<String>,
}

/// Paper sizes `print` knows; pages are landscape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Curriculum {
    /// How many webinars every participant must attend.
    pub fn required(&self) -> usize {
        self.webinars.len()
    }
}

#[derive(Debug, Clone)]
pub struct Webinar {
    pub number: u32,
    pub title: String,
    pub topics: Vec<String>,
}

/// One cohort, from `cohorts/<id>/cohort.toml`.
#[derive(Debug, Clone)]
pub struct Cohort {
    pub id: String,
    pub name: String,
    pub timezone: String,
    pub delivery: String,
    pub trainers: Vec<String>,
    /// Index `n - 1` holds the session of webinar `n`.
    pub sessions: Vec<Session>,
    /// In file order; ids are unique.
    pub participants: Vec<Participant>,
}

impl Cohort {
    /// The date of the cohort's last session: practicum hours count only after it.
    pub fn last_session(&self) -> Option<NaiveDate> {
        self.sessions.iter().map(|s| s.date).max()
    }

    /// The dates of the cohort's first and last sessions.
    pub fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.sessions.iter().map(|s| s.date).min()?;
        Some((first, self.last_session()?))
    }

    pub fn participant_index(&self, id: &str) -> Option<usize> {
        self.participants.iter().position(|p| p.id == id)
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub webinar: u32,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub id: String,
    /// Exactly as it is printed on a certificate.
    pub name: String,
    pub email: Option<String>,
    /// Other names and emails seen in meeting reports.
    pub aliases: Vec<String>,
    pub withdrawn: Option<NaiveDate>,
    pub evaluation: Option<Evaluation>,
    pub practicum: Option<PracticumResult>,
}

impl Participant {
    /// Still in the cohort on `date`: not withdrawn, or withdrawn on that
    /// day or later (a session on the day of the withdrawal still counts).
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.withdrawn.is_none_or(|d| date <= d)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub participation: Participation,
    pub recommend: bool,
    pub by: String,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Participation {
    Full,
    Partial,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticumResult {
    pub passed: bool,
    pub by: String,
    pub date: NaiveDate,
}

/// The `status` column of an attendance log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum Status {
    Present,
    Partial,
    Absent,
    Excused,
    Makeup,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Present,
        Status::Partial,
        Status::Absent,
        Status::Excused,
        Status::Makeup,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Case-insensitive, surrounding spaces ignored.
    pub fn parse(text: &str) -> Option<Status> {
        crate::csvread::trim(text).parse().ok()
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the rules need of the row that stands for one participant and webinar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub status: Status,
    /// Minutes attended, for `partial`.
    pub minutes: Option<u32>,
}

/// One row of an attendance log, kept whole for `report --participant`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub line: usize,
    pub participant: String,
    pub mark: Mark,
    pub recorded_by: String,
    pub recorded_at: String,
    pub note: String,
}

/// A cohort's records as the rules need them.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// `marks[p][w]`: the standing row (the last one) of participant `p`
    /// for webinar `w + 1`, if any.
    pub marks: Vec<Vec<Option<Mark>>>,
    /// `practicum[p]`: participant `p`'s practicum rows, in file order.
    pub practicum: Vec<Vec<PracticumRow>>,
    /// Every valid attendance row with its stamp, webinar by webinar in
    /// file order: what the records were on an earlier date is worked out
    /// from these (see [`crate::rules::asof`]).
    pub stamped: Vec<StampedMark>,
}

/// One attendance row as the as-of rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StampedMark {
    /// Index of the participant in the cohort.
    pub participant: u32,
    /// Index of the webinar: `webinar - 1`.
    pub webinar: u32,
    pub mark: Mark,
    /// `recorded_at`, when the row has one.
    pub recorded_at: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Records {
    /// Empty records for `participants` people and `webinars` webinars.
    pub fn new(participants: usize, webinars: usize) -> Records {
        Records {
            marks: vec![vec![None; webinars]; participants],
            practicum: vec![Vec::new(); participants],
            stamped: Vec::new(),
        }
    }
}

/// The `kind` column of the practicum log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr, EnumString, VariantArray)]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum Kind {
    Support,
    Supervision,
    Training,
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Empty means `support`; case-insensitive.
    pub fn parse(text: &str) -> Option<Kind> {
        let text = crate::csvread::trim(text);
        if text.is_empty() {
            return Some(Kind::Support);
        }
        text.parse().ok()
    }
}

/// One row of `practicum.csv`, as the rules need it (whose it is, is where
/// it is kept: `Records::practicum[p]`; the note of an ordinary row is for
/// people reading the file and is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticumRow {
    pub line: usize,
    pub date: NaiveDate,
    /// For a reversing row, the hours it cancels (the log holds them negative).
    pub hours: Hours,
    pub kind: Kind,
    /// Shared between the rows that name the same monitor.
    pub monitor: Rc<str>,
    /// `Some(why)` for a reversing row: negative hours that cancel hours of
    /// earlier rows of the same date, kind and monitor; its note says why.
    pub reversal: Option<Rc<str>>,
}

impl PracticumRow {
    /// The same date, kind and monitor: a reversing row cancels only the
    /// hours of rows it is the same as.
    pub fn same_slot(&self, other: &PracticumRow) -> bool {
        self.date == other.date && self.kind == other.kind && *self.monitor == *other.monitor
    }
}

/// The hours of `rows` with reversing rows taken away.
pub fn net_hours<'r>(rows: impl IntoIterator<Item = &'r PracticumRow>) -> Hours {
    let (mut plus, mut minus) = (Hours::default(), Hours::default());
    for r in rows {
        if r.reversal.is_some() {
            minus = minus + r.hours;
        } else {
            plus = plus + r.hours;
        }
    }
    plus - minus
}

/// The hours held by the rows of `rows` in the slot of `like` (its date,
/// kind and monitor): ordinary rows add, reversing rows take away.
pub fn held_in_slot<'r>(
    rows: impl IntoIterator<Item = &'r PracticumRow>,
    like: &PracticumRow,
) -> Hours {
    net_hours(rows.into_iter().filter(|r| r.same_slot(like)))
}

/// Reads a date written `YYYY-MM-DD` exactly (what the logs hold): four,
/// two and two digits; chrono alone would take `2024-9-1` and `+2024-09-10`.
/// The digits are read here and the date checked by chrono: its format
/// parser, once a row, was a tenth of `report --all`.
pub fn parse_ymd(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// An exact amount of time, in seconds.
///
/// Both ways of writing hours are whole seconds: `0.01 h` is 36 s and `0:01`
/// is 60 s, so sums never drift (500 rows of `0.1` are exactly 50 h).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hours {
    pub seconds: u64,
}

impl Hours {
    pub const fn from_hours(hours: u64) -> Hours {
        Hours {
            seconds: hours * 3600,
        }
    }

    /// Reads `1.5`, `0.25`, `12` or `1:30`: positive, at most two decimal
    /// places, minutes of `H:MM` below 60. The error says what would be right.
    ///
    /// ```
    /// use cohort::model::Hours;
    /// let total: Hours = ["0.1"; 500].iter().map(|h| Hours::parse(h).unwrap()).sum();
    /// assert_eq!(total, Hours::from_hours(50));
    /// assert_eq!(Hours::parse("1:20").unwrap().to_string(), "1.33");
    /// assert!(Hours::parse("1,5").unwrap_err().contains("dot"));
    /// ```
    pub fn parse(text: &str) -> Result<Hours, String> {
        let text = crate::csvread::trim(text);
        let expected = "expected hours like 1.5, 0.25 or 1:30";
        let too_large = || format!("\"{text}\" is too large");
        if text.is_empty() {
            return Err(format!("hours are empty; {expected}"));
        }
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // The first `:` and `.`, and whether there is a comma: one look at
        // each byte (this runs once a row of every practicum log).
        let (mut colon, mut dot, mut comma) = (None, None, false);
        for (i, b) in text.bytes().enumerate() {
            match b {
                b':' if colon.is_none() => colon = Some(i),
                b'.' if dot.is_none() => dot = Some(i),
                b',' => comma = true,
                _ => {}
            }
        }
        let seconds = if let Some(c) = colon {
            let (h, m) = (&text[..c], &text[c + 1..]);
            if !digits(h) || m.len() != 2 || !digits(m) {
                return Err(format!("\"{text}\" is not H:MM; {expected}"));
            }
            let minutes: u64 = m.parse().map_err(|_| format!("\"{text}\": {expected}"))?;
            if minutes >= 60 {
                return Err(format!(
                    "\"{text}\" has {minutes} minutes; H:MM takes 00 to 59 minutes"
                ));
            }
            let h: u64 = h.parse().map_err(|_| too_large())?;
            h.checked_mul(3600)
                .and_then(|s| s.checked_add(minutes * 60))
                .ok_or_else(too_large)?
        } else {
            let (whole, frac) = dot.map_or((text, ""), |d| (&text[..d], &text[d + 1..]));
            if comma {
                return Err(format!(
                    "\"{text}\" uses a comma; write the decimal point as a dot (1.5)"
                ));
            }
            let whole_ok = digits(whole) || (whole.is_empty() && !frac.is_empty());
            if !whole_ok || (dot.is_some() && !digits(frac)) {
                return Err(format!("\"{text}\" is not a number; {expected}"));
            }
            if frac.len() > 2 {
                return Err(format!(
                    "\"{text}\" has more than two decimal places; round to hundredths (e.g. 1.33) or write H:MM (1:20)"
                ));
            }
            let whole: u64 = match whole {
                "" => 0,
                _ => whole.parse().map_err(|_| too_large())?,
            };
            // "5" is 50 hundredths, "05" is 5: digits checked above.
            let digit = |i: usize| u64::from(frac.as_bytes()[i] - b'0');
            let hundredths = match frac.len() {
                0 => 0,
                1 => digit(0) * 10,
                _ => digit(0) * 10 + digit(1),
            };
            whole
                .checked_mul(3600)
                .and_then(|s| s.checked_add(hundredths * 36))
                .ok_or_else(too_large)?
        };
        if seconds == 0 {
            return Err(format!("\"{text}\" is zero; hours must be more than 0"));
        }
        Ok(Hours { seconds })
    }

    /// Rounded half up to hundredths of an hour.
    pub fn hundredths(self) -> u64 {
        (self.seconds * 100 + 1800) / 3600
    }

    /// As a JSON number: hundredths of an hour.
    pub fn as_f64(self) -> f64 {
        self.hundredths() as f64 / 100.0
    }
}

impl std::ops::Add for Hours {
    type Output = Hours;
    fn add(self, other: Hours) -> Hours {
        Hours {
            seconds: self.seconds.saturating_add(other.seconds),
        }
    }
}

/// Saturating: hours never go below zero.
impl std::ops::Sub for Hours {
    type Output = Hours;
    fn sub(self, other: Hours) -> Hours {
        Hours {
            seconds: self.seconds.saturating_sub(other.seconds),
        }
    }
}

impl std::iter::Sum for Hours {
    fn sum<I: Iterator<Item = Hours>>(iter: I) -> Hours {
        iter.fold(Hours::default(), |a, b| a + b)
    }
}

/// Two decimal places at most, no trailing zeros: `50`, `32.5`, `0.25`, `1.33`.
impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = self.hundredths();
        let (whole, frac) = (h / 100, h % 100);
        match frac {
            0 => write!(f, "{whole}"),
            f10 if f10 % 10 == 0 => write!(f, "{whole}.{}", f10 / 10),
            _ => write!(f, "{whole}.{frac:02}"),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn h(text: &str) -> Hours {
        Hours::parse(text).unwrap()
    }

    #[test]
    fn five_hundred_tenths_are_exactly_fifty_hours() {
        let total: Hours = (0..500).map(|_| h("0.1")).sum();
        assert_eq!(total, Hours::from_hours(50));
    }

    #[test]
    fn hours_print_without_trailing_zeros() {
        assert_eq!(h("50").to_string(), "50");
        assert_eq!(h("32.50").to_string(), "32.5");
        assert_eq!(h("0.25").to_string(), "0.25");
        assert_eq!(h("1:20").to_string(), "1.33");
        assert_eq!(h("0:40").to_string(), "0.67");
        assert_eq!((h("1:20") + h("1:20") + h("1:20")).to_string(), "4");
    }

    #[test]
    fn dates_read_strictly() {
        let ymd = NaiveDate::from_ymd_opt;
        assert_eq!(parse_ymd("2024-09-10"), ymd(2024, 9, 10));
        for bad in [
            "2024-9-10",
            "2024-09-31",
            "10/09/2024",
            "2024-09-10 ",
            "202x-09-10",
            "2024/09/10",
            "",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad:?}");
        }
        assert_eq!(parse_ymd("2024-02-29"), ymd(2024, 2, 29));
        assert_eq!(parse_ymd("2023-02-29"), None);
    }

    #[test]
    fn status_and_kind_are_case_insensitive() {
        assert_eq!(Status::parse(" Present "), Some(Status::Present));
        assert_eq!(Status::parse("MAKEUP"), Some(Status::Makeup));
        assert_eq!(Status::parse("late"), None);
        assert_eq!(Kind::parse(""), Some(Kind::Support));
        assert_eq!(Kind::parse("Supervision"), Some(Kind::Supervision));
        assert_eq!(Kind::parse("coaching"), None);
    }

    proptest::proptest! {
        /// The digits read by hand give the date chrono's `%Y-%m-%d` gives,
        /// for every text of the exact shape, and nothing for any other.
        #[test]
        fn parse_ymd_reads_as_chrono_does(
            text in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9+-]{1,5}-[0-9]{1,3}-[0-9]{1,3}|.{0,12}"
        ) {
            let exact = text.len() == 10
                && text.bytes().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() });
            let chrono = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok().filter(|_| exact);
            proptest::prop_assert_eq!(parse_ymd(&text), chrono, "{:?}", text);
        }
    }
}
