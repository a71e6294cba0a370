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

pub const LEGEND: &str = "\
✓ attended   p partial, enough minutes   M made up        · upcoming
✗ absent     ½ partial, too few minutes  E excused        ? held, nothing recorded
! at risk: a missed webinar not made up yet";

pub fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}
