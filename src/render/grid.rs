//! The attendance grid of `cohort status`: participants × webinars.

use anstyle::{AnsiColor, Style};

use crate::model::Status;
use crate::rules::WebinarState;

/// One mark per webinar state, distinct without colour.
pub fn mark(state: WebinarState) -> (&'static str, Style) {
    let green = AnsiColor::Green.on_default();
    let red = AnsiColor::Red.on_default().bold();
    let yellow = AnsiColor::Yellow.on_default().bold();
    let dim = Style::new().dimmed();
    match state {
        WebinarState::Attended(m) if m.status == Status::Makeup => ("M", green.bold()),
        WebinarState::Attended(m) if m.status == Status::Partial => ("p", green),
        WebinarState::Attended(_) => ("✓", green),
        WebinarState::Missed(Some(m)) => match m.status {
            Status::Excused => ("E", yellow),
            Status::Partial => ("½", red),
            _ => ("✗", red),
        },
        WebinarState::Missed(None) => ("?", red),
        WebinarState::Upcoming => ("·", dim),
    }
}

/// A webinar state in one word: `status`'s CSV and JSON, the site's classes.
pub fn word(state: WebinarState) -> &'static str {
    match state {
        WebinarState::Attended(m) => match m.status {
            Status::Makeup => "made-up",
            Status::Partial => "partial-enough",
            _ => "attended",
        },
        WebinarState::Missed(Some(m)) => match m.status {
            Status::Partial => "partial-short",
            Status::Excused => "excused",
            _ => "absent",
        },
        WebinarState::Missed(None) => "not-recorded",
        WebinarState::Upcoming => "upcoming",
    }
}

pub const LEGEND: &str = "\
✓ attended  p partial, enough minutes  M made up  · upcoming
✗ absent    ½ partial, too few minutes E excused  ? held, nothing recorded
! at risk: a missed webinar not made up yet       W withdrew";

/// The two lines above the webinar numbers: the month where it changes,
/// and the day, right-aligned in columns of `width` after `indent` columns.
///
/// ```
/// use chrono::NaiveDate;
/// let d = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
/// let [months, days] = cohort::render::grid::date_header(&[d(9, 26), d(10, 1), d(10, 3)], 2, 3);
/// assert_eq!(months, "    9 10");
/// assert_eq!(days, "   26  1  3");
/// ```
pub fn date_header(dates: &[chrono::NaiveDate], indent: usize, width: usize) -> [String; 2] {
    use chrono::Datelike as _;
    let mut months = " ".repeat(indent);
    let mut days = months.clone();
    let mut last = None;
    for date in dates {
        let month = (date.year(), date.month());
        let shown = if last == Some(month) {
            String::new()
        } else {
            date.month().to_string()
        };
        last = Some(month);
        months += &format!("{shown:>width$}");
        days += &format!("{:>width$}", date.day());
    }
    [months.trim_end().to_string(), days.trim_end().to_string()]
}

pub fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

/// `text` broken at spaces into lines of at most `width` columns, the
/// lines after the first indented by two spaces.
pub fn wrap(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr as _;
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.trim().is_empty() && line.width() + 1 + word.width() > width {
            out += line.trim_end();
            out += "\n";
            line = "  ".to_string();
        } else if !line.trim().is_empty() {
            line.push(' ');
        }
        line += word;
    }
    out += line.trim_end();
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        let text = "at risk: p01 (webinar 1), p02 (webinar 2), p03 (webinar 3)";
        assert_eq!(
            super::wrap(text, 30),
            "at risk: p01 (webinar 1), p02\n  (webinar 2), p03 (webinar 3)"
        );
        assert_eq!(super::wrap("short", 30), "short");
        assert_eq!(super::wrap("aaaa bbbb", 4), "aaaa\n  bbbb");
    }
}
