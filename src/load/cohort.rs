//! `cohorts/<id>/cohort.toml`: sessions, trainers, participants and their
//! evaluations. Reading parses and locates every value; the checks that
//! compare values are [`crate::validate::cohort`]'s.

use chrono::NaiveTime;
use toml::de::DeTable;

use super::tomlx::{Tbl, TomlReader, table_list};
use super::{FileKind, Reported, Root, Source, is_participant_id};
use crate::diag::{Diagnostics, Kind};
use crate::model::{
    Cohort, Curriculum, Evaluation, Participant, Participation, PracticumResult, Session,
};
use crate::validate::cohort::{ParticipantPlace, ReadCohort, SessionPlace, validate_cohort};

const TOP_KEYS: &[&str] = &[
    "id",
    "name",
    "timezone",
    "delivery",
    "trainers",
    "session",
    "participant",
];
const SESSION_KEYS: &[&str] = &["webinar", "date", "start", "end"];
const EVALUATION_KEYS: &[&str] = &["participation", "recommend", "by", "date"];
const PRACTICUM_KEYS: &[&str] = &["result", "by", "date"];
const PARTICIPANT_KEYS: &[&str] = &[
    "id",
    "name",
    "email",
    "aliases",
    "withdrawn",
    "withdrawn_reason",
    "evaluation",
    "practicum",
];

/// `None` when the file is missing or has errors.
pub fn load_cohort(
    root: &Root,
    curriculum: &Curriculum,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<Cohort> {
    let read = crate::fsafe::read(&root.dir, &Root::cohort_toml(id));
    cohort_of(read, curriculum, id, diags)
}

/// The cohort in `read`, what was read of its `cohort.toml`; `None` when
/// the file is missing or has errors.
pub(super) fn cohort_of(
    read: Result<Option<Vec<u8>>, crate::fsafe::Refusal>,
    curriculum: &Curriculum,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<Cohort> {
    let rel = Root::cohort_toml(id);
    let src = match super::source(&rel, read, FileKind::Toml, diags) {
        Ok(Some(src)) => src,
        Ok(None) => {
            let message = format!("cohort {id} does not exist");
            diags
                .error(Kind::UnknownCohort, &rel, None, message)
                .help("`cohort report --all` lists every cohort; `cohort new` creates one");
            return None;
        }
        Err(Reported) => return None,
    };
    read_cohort(&src, curriculum, id, diags)
}

/// Reads a `cohort.toml` text that is about to be written (by `cohort new`)
/// with the same reader, so that nothing is written that cannot be read.
pub fn cohort_from_text(
    text: &str,
    curriculum: &Curriculum,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<Cohort> {
    let src = Source {
        rel: Root::cohort_toml(id),
        text: text.to_string(),
    };
    read_cohort(&src, curriculum, id, diags)
}

/// Reads the file, then validates what it read; every problem is recorded.
fn read_cohort(
    src: &Source,
    curriculum: &Curriculum,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<Cohort> {
    let errors_before = diags.errors();
    let mut r = TomlReader::new(src, diags);
    let doc = r.parse()?;
    let top = r.top(&doc, "cohort.toml");
    r.unknown_keys(top, TOP_KEYS);
    let file_id = r
        .string(top, "id", true)
        .map(|i| (i, r.key_line(top, "id")));
    let name = r.string(top, "name", true);
    let timezone = r.string(top, "timezone", true);
    let tz = timezone
        .as_deref()
        .and_then(|tz| match crate::tz::parse(tz) {
            Ok(tz) => Some(tz),
            Err(refused) => {
                let message = format!("timezone {}", refused.problem);
                r.error(Kind::BadTimezone, r.key_line(top, "timezone"), message)
                    .help(refused.help);
                None
            }
        });
    let delivery = r.string(top, "delivery", false).unwrap_or_default();
    let trainers = r.strings(top, "trainers", false).unwrap_or_default();
    let (sessions, sessions_whole, last_session_line) = read_sessions(&mut r, &doc);
    let (participants, participants_whole) = read_participants(&mut r, &doc);
    let read = ReadCohort {
        rel: &src.rel,
        folder: id,
        id: file_id,
        tz,
        sessions,
        sessions_whole,
        last_session_line,
        participants,
        participants_whole,
    };
    validate_cohort(&read, curriculum, r.diags);
    if r.diags.errors() > errors_before {
        return None;
    }
    let mut sessions: Vec<Session> = read.sessions.into_iter().map(|(s, _)| s).collect();
    sessions.sort_by_key(|s| s.webinar);
    Some(Cohort {
        id: id.to_string(),
        name: name?,
        timezone: timezone?,
        delivery,
        trainers,
        sessions,
        participants: read.participants.into_iter().map(|(p, _)| p).collect(),
    })
}

fn time(r: &mut TomlReader, t: Tbl<'_>, key: &str) -> Option<NaiveTime> {
    let text = r.string(t, key, true)?;
    let parsed = NaiveTime::parse_from_str(text.trim(), "%H:%M").ok();
    if parsed.is_none() {
        let message =
            format!("`{key}` is \"{text}\"; expected a 24-hour time like \"12:00\" or \"18:30\"");
        r.error(Kind::BadTime, r.key_line(t, key), message);
    }
    parsed
}

/// The `[[session]]` tables read whole, whether all were, and the line of
/// the last one.
fn read_sessions(
    r: &mut TomlReader,
    doc: &DeTable<'_>,
) -> (Vec<(Session, SessionPlace)>, bool, Option<usize>) {
    let Some(list) = doc.get("session").and_then(|v| table_list(r, v)) else {
        r.error(Kind::MissingTable, Some(1), "has no [[session]] tables")
            .help("add one [[session]] per webinar with webinar, date, start and end; `cohort new` writes them for you");
        return (Vec::new(), false, None);
    };
    let mut out = Vec::new();
    let mut whole = true;
    let last_line = list.last().and_then(|(_, line)| *line);
    for (table, line) in list {
        let t = Tbl::new(table, "[[session]]", line);
        r.unknown_keys(t, SESSION_KEYS);
        let webinar = r.integer(t, "webinar", true);
        let date = r.date(t, "date", true);
        let (start, end) = (time(r, t, "start"), time(r, t, "end"));
        let (Some(number), Some(date), Some(start), Some(end)) = (webinar, date, start, end) else {
            whole = false;
            continue;
        };
        let place = SessionPlace {
            number,
            webinar: r.key_line(t, "webinar"),
            start: r.key_line(t, "start"),
            end: r.key_line(t, "end"),
        };
        let webinar = u32::try_from(number).unwrap_or(0);
        let session = Session {
            webinar,
            date,
            start,
            end,
        };
        out.push((session, place));
    }
    (out, whole, last_line)
}

/// The `[[participant]]` tables read whole, and whether all were.
fn read_participants(
    r: &mut TomlReader,
    doc: &DeTable<'_>,
) -> (Vec<(Participant, ParticipantPlace)>, bool) {
    let Some(item) = doc.get("participant") else {
        return (Vec::new(), true);
    };
    let Some(list) = table_list(r, item) else {
        let line = r.span_line(item.span());
        r.error(
            Kind::WrongValueType,
            line,
            "`participant` must be [[participant]] tables",
        );
        return (Vec::new(), false);
    };
    let read: Vec<_> = list
        .into_iter()
        .map(|(table, line)| read_participant(r, Tbl::new(table, "[[participant]]", line)))
        .collect();
    let whole = read.iter().all(Option::is_some);
    (read.into_iter().flatten().collect(), whole)
}

fn read_participant(r: &mut TomlReader, t: Tbl<'_>) -> Option<(Participant, ParticipantPlace)> {
    r.unknown_keys(t, PARTICIPANT_KEYS);
    let id = r.string(t, "id", true)?;
    let place = ParticipantPlace {
        table: t.line,
        id: r.key_line(t, "id"),
        name: r.key_line(t, "name"),
        email: r.key_line(t, "email"),
    };
    let id_ok = is_participant_id(&id);
    if !id_ok {
        let fix = crate::suggest::cleaned_id(&id).map_or(String::new(), |fixed| {
            format!("; did you mean \"{fixed}\"?")
        });
        r.error(Kind::BadParticipantId, place.id, format!("participant id \"{id}\" is not valid"))
            .help(format!("ids are lower-case letters, digits, '.', '_' or '-', starting with a letter or digit{fix}"));
    }
    let named = Tbl {
        name: &format!("participant {id}"),
        ..t
    };
    let name = r.string(named, "name", true);
    let email = r
        .string(named, "email", false)
        .filter(|e| !e.trim().is_empty());
    let aliases = r.strings(named, "aliases", false).unwrap_or_default();
    let withdrawn = r.date(named, "withdrawn", false);
    // Kept for people reading the file; checked only for being text.
    let _ = r.string(named, "withdrawn_reason", false);
    let evaluation =
        sub_table(r, t, "evaluation", &id).map(|s| s.and_then(|s| evaluation(r, s, &id)));
    let practicum =
        sub_table(r, t, "practicum", &id).map(|s| s.and_then(|s| practicum_result(r, s, &id)));
    let participant = Participant {
        name: name?,
        email,
        aliases,
        withdrawn,
        evaluation: evaluation.map_or(Some(None), |e| e.map(Some))?,
        practicum: practicum.map_or(Some(None), |p| p.map(Some))?,
        id,
    };
    id_ok.then_some((participant, place))
}

/// `[participant.KEY]`: `None` when absent, `Some(None)` when it is not a
/// table (recorded).
fn sub_table<'t>(
    r: &mut TomlReader,
    t: Tbl<'t>,
    key: &str,
    id: &str,
) -> Option<Option<(&'t DeTable<'t>, Option<usize>)>> {
    let value = t.table.get(key)?;
    if let Some(table) = value.get_ref().as_table() {
        return Some(Some((table, r.span_line(value.span()).or(t.line))));
    }
    let message = format!("participant {id}: `{key}` must be a table ([participant.{key}])");
    r.error(Kind::WrongValueType, r.key_line(t, key), message);
    Some(None)
}

/// One of two words, else an error naming the ones expected.
fn choice<T: Copy>(
    r: &mut TomlReader,
    t: Tbl<'_>,
    key: &str,
    what: &str,
    options: [(&str, T); 2],
) -> Option<T> {
    let text = r.string(t, key, true)?;
    let found = options.iter().find(|(word, _)| *word == text.trim());
    if found.is_none() {
        let [(a, _), (b, _)] = options;
        let message = format!("{what} is \"{}\"; expected \"{a}\" or \"{b}\"", text.trim());
        r.error(Kind::BadChoice, r.key_line(t, key), message);
    }
    found.map(|(_, v)| *v)
}

fn evaluation(
    r: &mut TomlReader,
    (table, line): (&DeTable<'_>, Option<usize>),
    id: &str,
) -> Option<Evaluation> {
    let name = format!("the evaluation of {id}");
    let t = Tbl::new(table, &name, line);
    r.unknown_keys(t, EVALUATION_KEYS);
    let what = format!("participation of {id}");
    let options = [
        ("full", Participation::Full),
        ("partial", Participation::Partial),
    ];
    let participation = choice(r, t, "participation", &what, options);
    let recommend = if t.table.contains_key("recommend") {
        r.boolean(t, "recommend", true)
    } else {
        Some(false)
    };
    let by = r.string(t, "by", true);
    let date = r.date(t, "date", true);
    Some(Evaluation {
        participation: participation?,
        recommend: recommend?,
        by: by?,
        date: date?,
    })
}

fn practicum_result(
    r: &mut TomlReader,
    (table, line): (&DeTable<'_>, Option<usize>),
    id: &str,
) -> Option<PracticumResult> {
    let name = format!("the practicum result of {id}");
    let t = Tbl::new(table, &name, line);
    r.unknown_keys(t, PRACTICUM_KEYS);
    let what = format!("practicum result of {id}");
    let passed = choice(r, t, "result", &what, [("pass", true), ("fail", false)]);
    let by = r.string(t, "by", true);
    let date = r.date(t, "date", true);
    Some(PracticumResult {
        passed: passed?,
        by: by?,
        date: date?,
    })
}
