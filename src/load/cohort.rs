//! `cohorts/<id>/cohort.toml`: sessions, trainers, participants and their
//! evaluations.

use std::collections::HashMap;

use chrono::NaiveTime;
use toml_edit::TableLike;

use super::tomlx::{Tbl, TomlReader, item_span, table_list};
use super::{FileKind, Reported, Root, Source, is_participant_id, read_source};

mod quick;
use crate::diag::Diagnostics;
use crate::model::{
    Cohort, Curriculum, Evaluation, Participant, Participation, PracticumResult, Session,
};

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
    let rel = Root::cohort_toml(id);
    let src = match read_source(root, &rel, FileKind::Toml, diags) {
        Ok(Some(src)) => src,
        Ok(None) => {
            diags
                .error(&rel, None, format!("cohort {id} does not exist"))
                .help("`cohort report --all` lists every cohort; `cohort new` creates one");
            return None;
        }
        Err(Reported) => return None,
    };
    // Plain files, without a problem, are read without parsing them as
    // TOML that could be edited; anything else by the full reader below.
    if let Some(cohort) = quick::read(&src.text, id, curriculum) {
        #[cfg(debug_assertions)]
        same_as_full_reader(&src, curriculum, id, &cohort);
        return Some(cohort);
    }
    read_cohort(&src, curriculum, id, diags)
}

/// Reads a `cohort.toml` text that is about to be written (by `cohort new`)
/// with the full reader, so that nothing is written that cannot be read.
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

/// In debug builds (every `cargo test` run, so every test that loads a
/// cohort), the full reader reads each file the quick one took, and the two
/// must agree: no message at all, the same cohort. A check added to the full
/// reader but not to the quick one fails the tests that meet it.
#[cfg(debug_assertions)]
fn same_as_full_reader(src: &Source, curriculum: &Curriculum, id: &str, quick: &Cohort) {
    let mut diags = Diagnostics::default();
    let full = read_cohort(src, curriculum, id, &mut diags);
    assert!(
        diags.items.is_empty(),
        "the quick reader took {} although the full reader says {:?}",
        src.rel,
        diags.items
    );
    assert_eq!(
        format!("{full:?}"),
        format!("{:?}", Some(quick)),
        "the quick and full readers read {} differently",
        src.rel
    );
}

/// The full reader: every problem of the file is recorded. A new check or
/// key here needs the same in `quick.rs` (which must refuse every file this
/// reader has anything to say about), and its tests.
fn read_cohort(
    src: &Source,
    curriculum: &Curriculum,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<Cohort> {
    let errors_before = diags.errors();
    let mut r = TomlReader::new(src, diags);
    let doc = r.parse()?;
    let top = Tbl {
        table: doc.as_table(),
        name: "cohort.toml",
        line: Some(1),
    };
    r.unknown_keys(top, TOP_KEYS);

    let file_id = r.string(top, "id", true);
    if let Some(file_id) = &file_id
        && file_id != id
    {
        let line = r.key_line(top, "id");
        r.error(
            line,
            format!("id is \"{file_id}\" but the folder is cohorts/{id}"),
        )
        .help(if super::is_slug(id) {
            format!("the id must equal the folder name: write id = \"{id}\", or rename the folder")
        } else {
            "the id must equal the folder name; rename the folder to a cohort id (lower-case letters, digits and dashes, e.g. 2024-fall)".to_string()
        });
    }
    let name = r.string(top, "name", true);
    let timezone = r.string(top, "timezone", true);
    if let Some(tz) = &timezone
        && let Err(refused) = crate::tz::parse(tz)
    {
        let line = r.key_line(top, "timezone");
        r.error(line, format!("timezone {}", refused.problem))
            .help(refused.help);
    }
    let delivery = r.string(top, "delivery", false).unwrap_or_default();
    let trainers = r.strings(top, "trainers", false).unwrap_or_default();

    let tz = timezone
        .as_deref()
        .and_then(|tz| tz.parse::<chrono_tz::Tz>().ok());
    let sessions = load_sessions(&mut r, &doc, curriculum, tz);
    let participants = load_participants(&mut r, &doc);

    if let (Some(sessions), Some(participants)) = (&sessions, &participants) {
        let last = sessions.iter().map(|s| s.date).max();
        for (p, line) in participants {
            if let (Some(eval), Some(last)) = (&p.evaluation, last)
                && eval.date < last
            {
                r.warning(*line, format!("participant {}: evaluation is dated {}, before the cohort's last session ({last})", p.id, eval.date))
                    .help("trainers evaluate at the end of the cohort; check the date");
            }
            if p.withdrawn.is_some() && p.evaluation.is_some() {
                r.warning(*line, format!("participant {} withdrew but has a trainer evaluation; a withdrawal makes the outcome Incomplete whatever the evaluation", p.id))
                    .help("remove the withdrawal if they came back, or the evaluation if it was recorded by mistake");
            }
            let recommended = p.evaluation.as_ref().is_some_and(|e| e.recommend);
            if p.practicum.is_some() && !recommended {
                r.warning(*line, format!("participant {} has a practicum result but no recommendation for a practicum; the result does not count", p.id))
                    .help("a practicum counts only after the trainers recommend it (Level 1R)");
            }
        }
    }

    if r.diags.errors() > errors_before {
        return None;
    }
    Some(Cohort {
        id: id.to_string(),
        name: name?,
        timezone: timezone?,
        delivery,
        trainers,
        sessions: sessions?,
        participants: participants?.into_iter().map(|(p, _)| p).collect(),
    })
}

fn time(r: &mut TomlReader, t: Tbl<'_>, key: &str) -> Option<NaiveTime> {
    let text = r.string(t, key, true)?;
    let parsed = NaiveTime::parse_from_str(text.trim(), "%H:%M").ok();
    if parsed.is_none() {
        let line = r.key_line(t, key);
        r.error(
            line,
            format!("`{key}` is \"{text}\"; expected a 24-hour time like \"12:00\" or \"18:30\""),
        );
    }
    parsed
}

/// A session time that does not exist on its day in `tz` (the clocks jump
/// forward over it) is an error; one that happens twice (they fall back
/// over it) is a warning: minutes and "held" are worked out on real instants.
pub(super) fn local_time_problem(
    tz: chrono_tz::Tz,
    session: &Session,
) -> Option<(crate::diag::Severity, String)> {
    use chrono::TimeZone;
    for (what, time) in [("start", session.start), ("end", session.end)] {
        let local = session.date.and_time(time);
        let problem = match tz.from_local_datetime(&local) {
            chrono::LocalResult::Single(_) => continue,
            chrono::LocalResult::None => (
                crate::diag::Severity::Error,
                format!(
                    "webinar {}: {what} {} on {} does not exist in {tz}: the clocks skip it (daylight saving time begins)",
                    session.webinar,
                    time.format("%H:%M"),
                    session.date
                ),
            ),
            chrono::LocalResult::Ambiguous(..) => (
                crate::diag::Severity::Warning,
                format!(
                    "webinar {}: {what} {} on {} happens twice in {tz}: the clocks go back over it (daylight saving time ends)",
                    session.webinar,
                    time.format("%H:%M"),
                    session.date
                ),
            ),
        };
        return Some(problem);
    }
    None
}

fn load_sessions(
    r: &mut TomlReader,
    doc: &toml_edit::Document<String>,
    curriculum: &Curriculum,
    tz: Option<chrono_tz::Tz>,
) -> Option<Vec<Session>> {
    let n = curriculum.required();
    let Some(list) = doc.get("session").and_then(table_list) else {
        r.error(Some(1), "has no [[session]] tables")
            .help(format!("add one [[session]] per webinar (1 to {n}) with webinar, date, start and end; `cohort new` writes them for you"));
        return None;
    };
    let mut slots: Vec<Option<Session>> = vec![None; n];
    let mut ok = true;
    let mut last_line = None;
    for (table, span) in list {
        let line = r.span_line(span);
        last_line = line;
        let t = Tbl {
            table,
            name: "[[session]]",
            line,
        };
        r.unknown_keys(t, SESSION_KEYS);
        let webinar = r.integer(t, "webinar", true);
        let date = r.date(t, "date", true);
        let (start, end) = (time(r, t, "start"), time(r, t, "end"));
        if let (Some(s), Some(e)) = (start, end)
            && s >= e
        {
            let l = r.key_line(t, "end");
            r.error(
                l,
                format!(
                    "session ends at {} but starts at {}; the end must be after the start",
                    e.format("%H:%M"),
                    s.format("%H:%M")
                ),
            );
            ok = false;
        }
        let Some(w) = webinar else {
            ok = false;
            continue;
        };
        if w < 1 || w as usize > n {
            let l = r.key_line(t, "webinar");
            r.error(
                l,
                format!("webinar {w} is not in the curriculum, which has webinars 1 to {n}"),
            );
            ok = false;
            continue;
        }
        let slot = &mut slots[w as usize - 1];
        if slot.is_some() {
            let l = r.key_line(t, "webinar");
            r.error(l, format!("webinar {w} has two [[session]] tables"))
                .help("keep one session per webinar; a make-up is recorded in the attendance log, not as a session");
            ok = false;
            continue;
        }
        match (date, start, end) {
            (Some(date), Some(start), Some(end)) => {
                let session = Session {
                    webinar: w as u32,
                    date,
                    start,
                    end,
                };
                if let Some((severity, message)) =
                    tz.and_then(|tz| local_time_problem(tz, &session))
                {
                    let l = r.key_line(t, "start");
                    let d = r.diags.push(severity, &r.src.rel, l, message);
                    match severity {
                        crate::diag::Severity::Error => {
                            d.help("move the session to a time that exists that day, e.g. an hour later");
                            ok = false;
                        }
                        crate::diag::Severity::Warning => {
                            d.help("cohort counts minutes on real instants; to avoid doubt, move the session out of the repeated hour");
                        }
                    }
                }
                *slot = Some(session);
            }
            _ => ok = false,
        }
    }
    let missing: Vec<String> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if ok && !missing.is_empty() {
        r.error(
            last_line,
            format!("no [[session]] for webinar {}", missing.join(", ")),
        )
        .help(format!(
            "every curriculum webinar (1 to {n}) needs exactly one session"
        ));
        ok = false;
    }
    if !ok {
        return None;
    }
    let sessions: Vec<Session> = slots.into_iter().flatten().collect();
    for pair in sessions.windows(2) {
        if pair[1].date < pair[0].date {
            r.warning(
                None,
                format!(
                    "webinar {} is dated {}, before webinar {} ({})",
                    pair[1].webinar, pair[1].date, pair[0].webinar, pair[0].date
                ),
            )
            .help("sessions usually follow the curriculum's order; check the dates");
        }
    }
    Some(sessions)
}

fn load_participants(
    r: &mut TomlReader,
    doc: &toml_edit::Document<String>,
) -> Option<Vec<(Participant, Option<usize>)>> {
    let Some(item) = doc.get("participant") else {
        return Some(Vec::new());
    };
    let Some(list) = table_list(item) else {
        let line = r.span_line(item_span(item));
        r.error(line, "`participant` must be [[participant]] tables");
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    let mut seen: HashMap<String, Option<usize>> = HashMap::new();
    let mut emails: HashMap<String, String> = HashMap::new();
    for (table, span) in list {
        let line = r.span_line(span);
        let t = Tbl {
            table,
            name: "[[participant]]",
            line,
        };
        r.unknown_keys(t, PARTICIPANT_KEYS);
        let Some(id) = r.string(t, "id", true) else {
            ok = false;
            continue;
        };
        let id_line = r.key_line(t, "id");
        if !is_participant_id(&id) {
            let fix = match crate::suggest::cleaned_id(&id) {
                Some(fixed) => format!("; did you mean \"{fixed}\"?"),
                None => String::new(),
            };
            r.error(id_line, format!("participant id \"{id}\" is not valid"))
                .help(format!("ids are lower-case letters, digits, '.', '_' or '-', starting with a letter or digit{fix}"));
            ok = false;
        }
        if let Some(first) = seen.get(&id) {
            let first = first.map_or(String::new(), |l| format!(" (first on line {l})"));
            r.error(
                id_line,
                format!("participant id \"{id}\" is used twice{first}"),
            )
            .help("every participant needs an id of their own");
            ok = false;
        }
        seen.insert(id.clone(), id_line);
        let name_table = Tbl {
            name: &format!("participant {id}"),
            ..t
        };
        let name = r.string(name_table, "name", true);
        // Printed on certificates as written: letters a spreadsheet lost
        // (`Nguy?n`) must be put back first.
        if let Some(n) = name.as_deref().filter(|n| crate::sheet::lost_letters(n)) {
            let l = r.key_line(t, "name");
            r.error(
                l,
                format!("participant {id}: the name \"{n}\" has \"?\" where letters were lost"),
            )
            .help("write the name with its letters, exactly as it is to be printed on the certificate (e.g. Nguyễn Thị Mai); a roster re-saved as \"CSV UTF-8\" keeps them");
            ok = false;
        }
        let email = r
            .string(name_table, "email", false)
            .filter(|e| !e.trim().is_empty());
        if let Some(e) = &email {
            if !e.contains('@') || e.trim().contains(' ') {
                let l = r.key_line(t, "email");
                r.error(
                    l,
                    format!("participant {id}: email \"{e}\" is not an email address"),
                )
                .help("write it like name@example.org, or leave email out");
                ok = false;
            } else if let Some(other) = emails.insert(e.trim().to_lowercase(), id.clone()) {
                let l = r.key_line(t, "email");
                r.warning(l, format!("participant {id} has the same email as {other}; meeting reports cannot tell them apart"));
            }
        }
        let aliases = r.strings(name_table, "aliases", false).unwrap_or_default();
        let withdrawn = r.date(name_table, "withdrawn", false);
        // Kept for people reading the file; checked only for being text.
        let _ = r.string(name_table, "withdrawn_reason", false);
        let evaluation = sub_table(r, t, "evaluation", &id)
            .map(|(table, tline)| evaluation(r, table, tline, &id));
        let practicum = sub_table(r, t, "practicum", &id)
            .map(|(table, tline)| practicum_result(r, table, tline, &id));
        let (Some(name), Some(evaluation), Some(practicum)) = (
            name,
            evaluation.map_or(Some(None), |e| e.map(Some)),
            practicum.map_or(Some(None), |p| p.map(Some)),
        ) else {
            ok = false;
            continue;
        };
        out.push((
            Participant {
                id,
                name,
                email,
                aliases,
                withdrawn,
                evaluation,
                practicum,
            },
            line,
        ));
    }
    ok.then_some(out)
}

fn sub_table<'t>(
    r: &mut TomlReader,
    t: Tbl<'t>,
    key: &str,
    id: &str,
) -> Option<(&'t dyn TableLike, Option<usize>)> {
    let item = t.table.get(key)?;
    match item.as_table_like() {
        Some(table) => Some((table, r.span_line(item_span(item)).or(t.line))),
        None => {
            let line = r.key_line(t, key);
            r.error(
                line,
                format!("participant {id}: `{key}` must be a table ([participant.{key}])"),
            );
            None
        }
    }
}

/// `None` inside means: present but with errors.
fn evaluation(
    r: &mut TomlReader,
    table: &dyn TableLike,
    line: Option<usize>,
    id: &str,
) -> Option<Evaluation> {
    let name = format!("the evaluation of {id}");
    let t = Tbl {
        table,
        name: &name,
        line,
    };
    r.unknown_keys(t, EVALUATION_KEYS);
    let participation = r
        .string(t, "participation", true)
        .and_then(|p| match p.trim() {
            "full" => Some(Participation::Full),
            "partial" => Some(Participation::Partial),
            other => {
                let l = r.key_line(t, "participation");
                r.error(
                    l,
                    format!(
                        "participation of {id} is \"{other}\"; expected \"full\" or \"partial\""
                    ),
                );
                None
            }
        });
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
    table: &dyn TableLike,
    line: Option<usize>,
    id: &str,
) -> Option<PracticumResult> {
    let name = format!("the practicum result of {id}");
    let t = Tbl {
        table,
        name: &name,
        line,
    };
    r.unknown_keys(t, PRACTICUM_KEYS);
    let passed = r.string(t, "result", true).and_then(|p| match p.trim() {
        "pass" => Some(true),
        "fail" => Some(false),
        other => {
            let l = r.key_line(t, "result");
            r.error(
                l,
                format!("practicum result of {id} is \"{other}\"; expected \"pass\" or \"fail\""),
            );
            None
        }
    });
    let by = r.string(t, "by", true);
    let date = r.date(t, "date", true);
    Some(PracticumResult {
        passed: passed?,
        by: by?,
        date: date?,
    })
}
