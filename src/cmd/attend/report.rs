//! `attend --from-report`: reads the meeting report ([`crate::meeting`]),
//! applies the import rules, and on a terminal offers each attendee who
//! matches nobody a participant, saving the answer as an alias.

use std::io::{BufRead, IsTerminal};
use std::path::Path;

use chrono_tz::Tz;

use crate::error::Error;
use crate::meeting::import::{self, Outcome, Setting, Stranger};
use crate::meeting::names::{self, Keys};
use crate::meeting::{self, matching};
use crate::model::{Cohort, Mark, Session};

use super::super::{Ctx, alias, out};

/// What `--unmatched` says to do while attendees match nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Unmatched {
    /// Leave unrecorded the participants who would be marked absent
    Hold,
    /// Mark them absent all the same
    Ignore,
}

pub struct Import<'a> {
    pub path: &'a Path,
    pub report_tz: Option<&'a str>,
    pub unmatched: Option<Unmatched>,
    pub dry_run: bool,
    pub webinar: u32,
    pub session_minutes: u32,
    pub min_minutes: u32,
}

/// Marks from a report, by participant index, and the text saying what was
/// read and matched.
pub type Imported = (Vec<(usize, Mark)>, String);

/// Marks from the report and the text saying what was read and matched.
/// A refused report is an [`Error::Rejected`] that says why.
pub fn from_report(
    ctx: &Ctx,
    cohort: &Cohort,
    session: &Session,
    how: &Import<'_>,
) -> anyhow::Result<Imported> {
    let shown = how.path.display().to_string();
    let (cohort_tz, report_tz) = zones(cohort, how)?;
    let (report, table) = read_report(how.path, &shown)?;
    let setting = Setting {
        cohort,
        session,
        webinar: how.webinar,
        session_minutes: how.session_minutes,
        min_minutes: how.min_minutes,
        cohort_tz,
        report_tz,
        tz_given: how.report_tz.is_some(),
        ignore_unmatched: how.unmatched == Some(Unmatched::Ignore),
        shown: &shown,
    };
    let mut keys = Keys::of(cohort);
    let import = |keys: &Keys| import::import(&report, &table, keys, &setting).map_err(fail);
    let mut outcome = import(&keys)?;
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if terminal && !outcome.strangers.is_empty() && how.unmatched != Some(Unmatched::Ignore) {
        let mut saved = String::new();
        if ask(
            ctx,
            cohort,
            session,
            &outcome,
            &mut keys,
            how.dry_run,
            &mut saved,
        )? {
            outcome = import(&keys)?;
        }
        outcome.text += &saved;
    }
    let strangers = import::strangers_text(&outcome, cohort);
    Ok((outcome.marks, outcome.text + &strangers))
}

/// A refusal of the report, saying that nothing was written.
fn fail(message: String) -> anyhow::Error {
    Error::Rejected(format!("{message}\ncohort: nothing was written\n")).into()
}

/// The cohort's zone and the zone the report's times are read in. A bad
/// `--report-tz` is a usage error.
fn zones(cohort: &Cohort, how: &Import<'_>) -> anyhow::Result<(Tz, Tz)> {
    let Ok(cohort_tz) = cohort.timezone.parse::<Tz>() else {
        return Err(fail(format!(
            "cohort: error: the cohort's timezone \"{}\" is not an IANA time zone name",
            cohort.timezone
        )));
    };
    let report_tz: Tz = match how.report_tz {
        None => cohort_tz,
        Some(name) => match name.parse() {
            Ok(tz) => tz,
            Err(_) => crate::usage!(
                "--report-tz \"{name}\" is not an IANA time zone name; write it like America/Vancouver, Europe/Paris or UTC"
            ),
        },
    };
    Ok((cohort_tz, report_tz))
}

/// The report read and its layout recognised, or why not.
fn read_report(path: &Path, shown: &str) -> anyhow::Result<(meeting::Report, meeting::Table)> {
    let bytes = crate::fsafe::read_named(path).map_err(|e| {
        // A report named on the command line that is not there is a usage error.
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(format!(
                "cannot read the meeting report {shown}: {e}\ncohort: nothing was written"
            ))
            .into()
        } else {
            fail(format!(
                "cohort: error: cannot read the meeting report {shown}: {e}"
            ))
        }
    })?;
    meeting::read(&bytes).map_err(|(problems, table)| {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| {
                let at = meeting::located(shown, &table, p.place);
                format!("{at}: error: {}", p.message)
            })
            .collect();
        fail(lines.join("\n"))
    })
}

/// Offers each attendee who matches nobody the closest participants; saves
/// each answer as an alias (with `dry_run`, shows it). True when any alias
/// was added (the report is then matched again).
fn ask(
    ctx: &Ctx,
    cohort: &Cohort,
    session: &Session,
    outcome: &Outcome,
    keys: &mut Keys,
    dry_run: bool,
    saved: &mut String,
) -> anyhow::Result<bool> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let matched: Vec<usize> = outcome.marks.iter().map(|(p, _)| *p).collect();
    let mut any = false;
    for st in outcome.strangers.iter().filter(|s| s.could_be.is_empty()) {
        let ranked = matching::closest(cohort, session, &matched, &st.name);
        out(&prompt(cohort, st, &ranked))?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        let answer = line.trim();
        if answer.is_empty() {
            continue;
        }
        let chosen = answer
            .parse::<usize>()
            .ok()
            .filter(|&i| (1..=ranked.len()).contains(&i))
            .map(|i| ranked[i - 1])
            .or_else(|| cohort.participant_index(answer));
        let Some(p) = chosen else {
            out(&format!(
                "  \"{answer}\" is not a number on the list nor a participant id; left unmatched\n"
            ))?;
            continue;
        };
        let aliases = new_aliases(cohort, keys, p, st)?;
        if aliases.is_empty() {
            continue;
        }
        alias::save(ctx, cohort, p, &aliases, dry_run)?;
        any = true;
        *saved += &saved_line(cohort, p, &aliases, dry_run);
    }
    Ok(any)
}

/// The question about one stranger, with the participants it may be.
fn prompt(cohort: &Cohort, st: &Stranger, ranked: &[usize]) -> String {
    let email = st
        .email
        .as_deref()
        .map_or(String::new(), |e| format!(" <{e}>"));
    let mut prompt = format!(
        "\n\"{}\"{email}, {} min, matches nobody in cohort {}. Who is it?\n",
        st.name, st.minutes, cohort.id
    );
    for (i, p) in ranked.iter().enumerate() {
        let part = &cohort.participants[*p];
        prompt += &format!("  {} {:<5} {}\n", i + 1, part.id, part.name);
    }
    prompt +=
        "a number or a participant id saves the name as their alias; Enter leaves it unmatched: ";
    prompt
}

/// The stranger's name and e-mail that can become aliases of `p`, added to
/// `keys`; each refused one said.
fn new_aliases(
    cohort: &Cohort,
    keys: &mut Keys,
    p: usize,
    st: &Stranger,
) -> anyhow::Result<Vec<String>> {
    let mut aliases = Vec::new();
    for alias in std::iter::once(st.name.trim()).chain(st.email.as_deref()) {
        match names::alias_refusal(cohort, keys, p, alias) {
            None => {
                keys.add_alias(p, alias);
                aliases.push(alias.to_string());
            }
            Some(why) => out(&format!("  not saved: {why}\n"))?,
        }
    }
    Ok(aliases)
}

/// `saved as an alias of p11 (Liam Kowalski): "Liam K"`.
fn saved_line(cohort: &Cohort, p: usize, aliases: &[String], dry_run: bool) -> String {
    let part = &cohort.participants[p];
    format!(
        "{} as {} of {} ({}): {}\n",
        if dry_run { "would save" } else { "saved" },
        if aliases.len() == 1 {
            "an alias"
        } else {
            "aliases"
        },
        part.id,
        part.name,
        crate::render::joined(aliases.iter().map(|a| format!("\"{a}\"")), ", ")
    )
}
