//! Who each row of a report is: a participant by e-mail, else by name or
//! alias, else by the original name of a renamed attendee; a trainer or the
//! host; a panelist who is no participant; or nobody (or several). And, for
//! a row that matches nobody, the participants whose names come closest.

use super::names::{self, Keys};
use super::{Attendee, Report, Role};
use crate::model::{Cohort, Session};

/// Who a row turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Who {
    Participant(usize),
    /// A trainer or the host.
    Staff,
    /// A panelist who is no participant.
    Guest,
    /// Matches nobody or several: grouped by name and e-mail keys.
    Unresolved(String, String),
}

/// Who each attendee row of `report` is, in order.
pub fn each(report: &Report, keys: &Keys) -> Vec<Who> {
    let host_email = report.host_email.as_deref().map(names::email_key);
    report
        .attendees
        .iter()
        .map(|a| identify(a, keys, host_email.as_deref()))
        .collect()
}

/// The participants a row's e-mail and name point at.
fn by_email_and_name<'k>(a: &Attendee, keys: &'k Keys) -> (&'k [usize], &'k [usize]) {
    let email = a.email.as_deref().unwrap_or("");
    let by_email = if email.is_empty() {
        &[][..]
    } else {
        keys.email(email)
    };
    (by_email, keys.name(&a.name))
}

/// Who a row is: a participant by e-mail, else by name or alias, else by
/// the original name; a trainer or the host; or nobody / several.
fn identify(a: &Attendee, keys: &Keys, host_email: Option<&str>) -> Who {
    let email = a.email.as_deref().unwrap_or("");
    if a.role == Role::Host
        || (host_email.is_some() && host_email == Some(names::email_key(email).as_str()))
    {
        return Who::Staff;
    }
    let unresolved = || Who::Unresolved(names::name_key(&a.name), names::email_key(email));
    let (by_email, by_name) = by_email_and_name(a, keys);
    match (by_email, by_name) {
        ([p], [q]) if p != q => return unresolved(),
        ([p], _) => return Who::Participant(*p),
        ([], _) => {}
        _ => return unresolved(),
    }
    match by_name {
        [p] => return Who::Participant(*p),
        [] => {}
        _ => return unresolved(),
    }
    if let Some(original) = &a.original {
        match keys.name(original) {
            [p] => return Who::Participant(*p),
            [] => {}
            _ => return unresolved(),
        }
    }
    // Some reports show the e-mail in the name cell.
    if let [p] = keys.email(&a.name) {
        return Who::Participant(*p);
    }
    if keys.is_trainer(&a.name) || a.original.as_deref().is_some_and(|o| keys.is_trainer(o)) {
        return Who::Staff;
    }
    if a.role == Role::Panelist {
        return Who::Guest;
    }
    unresolved()
}

/// For an unresolved row: the participants it could be, and the e-mail/name
/// pair when they point at two.
pub fn candidates(a: &Attendee, keys: &Keys) -> (Vec<usize>, Option<(usize, usize)>) {
    let (by_email, by_name) = by_email_and_name(a, keys);
    if let ([p], [q]) = (by_email, by_name)
        && p != q
    {
        return (vec![*p, *q], Some((*p, *q)));
    }
    let mut all: Vec<usize> = by_email.iter().chain(by_name).copied().collect();
    if let Some(o) = &a.original {
        all.extend(keys.name(o));
    }
    all.sort_unstable();
    all.dedup();
    (all, None)
}

/// The (at most five) participants active on the session's date, not among
/// `matched`, whose name or an alias comes closest to `name` (Jaro-Winkler
/// on the name keys), closest first.
pub fn closest(cohort: &Cohort, session: &Session, matched: &[usize], name: &str) -> Vec<usize> {
    let key = names::name_key(name);
    let mut ranked: Vec<(f64, usize)> = cohort
        .participants
        .iter()
        .enumerate()
        .filter(|(p, part)| !matched.contains(p) && part.active_on(session.date))
        .map(|(p, part)| {
            let best = std::iter::once(&part.name)
                .chain(&part.aliases)
                .map(|n| strsim::jaro_winkler(&key, &names::name_key(n)))
                .fold(0.0, f64::max);
            (best, p)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.truncate(5);
    ranked.into_iter().map(|(_, p)| p).collect()
}
