//! A quick reader for plain `cohort.toml` files, the kind `cohort` writes.
//!
//! Parsing TOML with `toml_edit` (which keeps every space and comment for
//! editing) was a quarter of the time of `report --all`. This reader knows a
//! small part of TOML: one `key = value` per line (texts without `\`,
//! whole numbers, `true`/`false`, dates, one-line lists of texts), comments,
//! and the headers `[[session]]`, `[[participant]]`,
//! `[participant.evaluation]` and `[participant.practicum]`. It gives a
//! cohort only when the file holds nothing else and the full reader would
//! find no problem at all in it; then the cohort is the same. For anything
//! else it gives `None` and the full reader reads the file and explains what
//! it finds, so no message ever comes from here. Tests hold it to the full
//! reader.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveTime};

use super::{EVALUATION_KEYS, PARTICIPANT_KEYS, PRACTICUM_KEYS, SESSION_KEYS, TOP_KEYS};
use crate::load::is_participant_id;
use crate::model::{
    Cohort, Curriculum, Evaluation, Participant, Participation, PracticumResult, Session,
};

#[derive(Debug)]
enum Val<'t> {
    Str(&'t str),
    Int(i64),
    Bool(bool),
    Date(NaiveDate),
    Strs(Vec<&'t str>),
}

/// The key-value pairs of one table, in file order.
#[derive(Default)]
struct Table<'t>(Vec<(&'t str, Val<'t>)>);

impl<'t> Table<'t> {
    fn get(&self, key: &str) -> Option<&Val<'t>> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    fn only(&self, known: &[&str]) -> Option<()> {
        self.0.iter().all(|(k, _)| known.contains(k)).then_some(())
    }

    /// A text; `None` when it is missing, not a text, or (if `required`) blank.
    fn string(&self, key: &str, required: bool) -> Option<Option<&'t str>> {
        match self.get(key) {
            None if required => None,
            None => Some(None),
            Some(Val::Str(s)) if required && s.trim().is_empty() => None,
            Some(Val::Str(s)) => Some(Some(*s)),
            Some(_) => None,
        }
    }

    fn required(&self, key: &str) -> Option<&'t str> {
        self.string(key, true).flatten()
    }

    /// A date, also written as a text (`"2024-09-10"`), as the full reader takes it.
    fn date(&self, key: &str) -> Option<Option<NaiveDate>> {
        match self.get(key) {
            None => Some(None),
            Some(Val::Date(d)) => Some(Some(*d)),
            Some(Val::Str(s)) => crate::model::parse_ymd(s.trim()).map(Some),
            Some(_) => None,
        }
    }

    fn strings(&self, key: &str) -> Option<Vec<String>> {
        match self.get(key) {
            None => Some(Vec::new()),
            Some(Val::Strs(v)) => Some(v.iter().map(|s| s.to_string()).collect()),
            Some(_) => None,
        }
    }
}

#[derive(Default)]
struct ParticipantTables<'t> {
    table: Table<'t>,
    evaluation: Option<Table<'t>>,
    practicum: Option<Table<'t>>,
}

/// Where key-value lines go.
#[derive(Clone, Copy)]
enum Target {
    Top,
    Session,
    Participant,
    Evaluation,
    Practicum,
}

/// The cohort in `text`, when the full reader would read the same cohort
/// from it without a single problem; `None` otherwise.
pub fn read(text: &str, id: &str, curriculum: &Curriculum) -> Option<Cohort> {
    let mut top = Table::default();
    let mut sessions: Vec<Table> = Vec::new();
    let mut participants: Vec<ParticipantTables> = Vec::new();
    let mut into = Target::Top;
    for line in text.split_inclusive('\n') {
        // A line ends at `\n` or `\r\n`; a `\r` anywhere else is left in
        // the line, where nothing accepts it.
        let line = match line.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => line,
        };
        let line = line.trim_start_matches([' ', '\t']);
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            comment_ok(comment)?;
            continue;
        }
        if line.starts_with('[') {
            let (header, rest) = line.split_at(line.find(']')? + 1);
            let header = match header {
                "[[session]" if rest.starts_with(']') => {
                    sessions.push(Table::default());
                    Target::Session
                }
                "[[participant]" if rest.starts_with(']') => {
                    participants.push(ParticipantTables::default());
                    Target::Participant
                }
                "[participant.evaluation]" | "[participant.practicum]" => {
                    let p = participants.last_mut()?;
                    let evaluation = header == "[participant.evaluation]";
                    let slot = if evaluation {
                        &mut p.evaluation
                    } else {
                        &mut p.practicum
                    };
                    let key = if evaluation {
                        "evaluation"
                    } else {
                        "practicum"
                    };
                    if slot.is_some() || p.table.get(key).is_some() {
                        return None;
                    }
                    *slot = Some(Table::default());
                    if evaluation {
                        Target::Evaluation
                    } else {
                        Target::Practicum
                    }
                }
                _ => return None,
            };
            let rest = if matches!(header, Target::Session | Target::Participant) {
                &rest[1..]
            } else {
                rest
            };
            end_of_line(rest)?;
            into = header;
            continue;
        }
        let (key, value) = key_value(line)?;
        let table = match into {
            Target::Top => &mut top,
            Target::Session => sessions.last_mut()?,
            Target::Participant => &mut participants.last_mut()?.table,
            Target::Evaluation => participants.last_mut()?.evaluation.as_mut()?,
            Target::Practicum => participants.last_mut()?.practicum.as_mut()?,
        };
        if table.get(key).is_some() {
            return None;
        }
        table.0.push((key, value));
    }
    cohort(id, curriculum, &top, &sessions, &participants)
}

/// What `load_cohort` checks, with every problem a `None`.
fn cohort(
    id: &str,
    curriculum: &Curriculum,
    top: &Table,
    sessions: &[Table],
    participants: &[ParticipantTables],
) -> Option<Cohort> {
    top.only(TOP_KEYS)?;
    if top.get("session").is_some() || top.get("participant").is_some() {
        return None;
    }
    if top.required("id")? != id {
        return None;
    }
    let name = top.required("name")?;
    let timezone = top.required("timezone")?;
    let tz = crate::tz::parse(timezone).ok()?;
    let delivery = top.string("delivery", false)?.unwrap_or_default();
    let trainers = top.strings("trainers")?;
    let sessions = self::sessions(sessions, curriculum.required())?;
    // Times that do not exist or happen twice: the full reader says so.
    if sessions
        .iter()
        .any(|s| super::local_time_problem(tz, s).is_some())
    {
        return None;
    }
    let last = sessions.iter().map(|s| s.date).max();
    let mut out: Vec<Participant> = Vec::with_capacity(participants.len());
    // Ids and emails seen so far: a hash lookup each, not a pass over the others.
    let mut ids: HashSet<String> = HashSet::with_capacity(participants.len());
    let mut emails: HashSet<String> = HashSet::with_capacity(participants.len());
    for p in participants {
        let p = participant(p)?;
        if !ids.insert(p.id.clone()) {
            return None;
        }
        if let Some(email) = &p.email
            && !emails.insert(email.trim().to_lowercase())
        {
            return None;
        }
        if let (Some(eval), Some(last)) = (&p.evaluation, last)
            && eval.date < last
        {
            return None;
        }
        if p.withdrawn.is_some() && p.evaluation.is_some() {
            return None;
        }
        let recommended = p.evaluation.as_ref().is_some_and(|e| e.recommend);
        if p.practicum.is_some() && !recommended {
            return None;
        }
        out.push(p);
    }
    Some(Cohort {
        id: id.to_string(),
        name: name.to_string(),
        timezone: timezone.to_string(),
        delivery: delivery.to_string(),
        trainers,
        sessions,
        participants: out,
    })
}

fn sessions(tables: &[Table], n: usize) -> Option<Vec<Session>> {
    if tables.is_empty() {
        return None;
    }
    let mut slots: Vec<Option<Session>> = vec![None; n];
    for t in tables {
        t.only(SESSION_KEYS)?;
        let Some(Val::Int(w)) = t.get("webinar") else {
            return None;
        };
        let date = t.date("date")??;
        let time = |key| {
            let text = t.required(key)?;
            NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
        };
        let (start, end) = (time("start")?, time("end")?);
        if start >= end || *w < 1 || *w as usize > n {
            return None;
        }
        let slot = &mut slots[*w as usize - 1];
        if slot.is_some() {
            return None;
        }
        *slot = Some(Session {
            webinar: *w as u32,
            date,
            start,
            end,
        });
    }
    let sessions: Vec<Session> = slots.into_iter().collect::<Option<_>>()?;
    if sessions.windows(2).any(|pair| pair[1].date < pair[0].date) {
        return None;
    }
    Some(sessions)
}

fn participant(p: &ParticipantTables) -> Option<Participant> {
    let t = &p.table;
    t.only(PARTICIPANT_KEYS)?;
    // An evaluation or a practicum result must be a table, not a value.
    if t.get("evaluation").is_some() || t.get("practicum").is_some() {
        return None;
    }
    let id = t.required("id")?;
    if !is_participant_id(id) {
        return None;
    }
    let name = t.required("name")?;
    if crate::sheet::lost_letters(name) {
        return None;
    }
    let email = t.string("email", false)?.filter(|e| !e.trim().is_empty());
    if let Some(e) = email
        && (!e.contains('@') || e.trim().contains(' '))
    {
        return None;
    }
    let aliases = t.strings("aliases")?;
    let withdrawn = t.date("withdrawn")?;
    t.string("withdrawn_reason", false)?;
    let evaluation = match &p.evaluation {
        None => None,
        Some(e) => {
            e.only(EVALUATION_KEYS)?;
            let participation = match e.required("participation")?.trim() {
                "full" => Participation::Full,
                "partial" => Participation::Partial,
                _ => return None,
            };
            let recommend = match e.get("recommend") {
                None => false,
                Some(Val::Bool(b)) => *b,
                Some(_) => return None,
            };
            Some(Evaluation {
                participation,
                recommend,
                by: e.required("by")?.to_string(),
                date: e.date("date")??,
            })
        }
    };
    let practicum = match &p.practicum {
        None => None,
        Some(r) => {
            r.only(PRACTICUM_KEYS)?;
            let passed = match r.required("result")?.trim() {
                "pass" => true,
                "fail" => false,
                _ => return None,
            };
            Some(PracticumResult {
                passed,
                by: r.required("by")?.to_string(),
                date: r.date("date")??,
            })
        }
    };
    Some(Participant {
        id: id.to_string(),
        name: name.to_string(),
        email: email.map(str::to_string),
        aliases,
        withdrawn,
        evaluation,
        practicum,
    })
}

/// A comment's text: TOML allows no control characters but tab in it.
fn comment_ok(comment: &str) -> Option<()> {
    comment
        .bytes()
        .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7F))
        .then_some(())
}

/// Spaces, then nothing or a comment.
fn end_of_line(rest: &str) -> Option<()> {
    let rest = rest.trim_start_matches([' ', '\t']);
    match rest.strip_prefix('#') {
        Some(comment) => comment_ok(comment),
        None => rest.is_empty().then_some(()),
    }
}

/// `key = value` with a bare key; the rest of the line must be empty.
fn key_value(line: &str) -> Option<(&str, Val<'_>)> {
    let key_end = line
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    let key = &line[..key_end];
    if key.is_empty() {
        return None;
    }
    let rest = line[key_end..].trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix('=')?.trim_start_matches([' ', '\t']);
    let (value, rest) = value(rest)?;
    end_of_line(rest)?;
    Some((key, value))
}

/// A value at the start of `text`, and what follows it.
fn value(text: &str) -> Option<(Val<'_>, &str)> {
    let b = text.as_bytes();
    match b.first()? {
        b'"' => {
            let (s, rest) = string(text)?;
            Some((Val::Str(s), rest))
        }
        b'[' => {
            let mut items = Vec::new();
            let mut rest = text[1..].trim_start_matches([' ', '\t']);
            loop {
                if let Some(after) = rest.strip_prefix(']') {
                    return Some((Val::Strs(items), after));
                }
                let (s, after) = string(rest)?;
                items.push(s);
                rest = after.trim_start_matches([' ', '\t']);
                if let Some(after) = rest.strip_prefix(',') {
                    rest = after.trim_start_matches([' ', '\t']);
                } else if !rest.starts_with(']') {
                    return None;
                }
            }
        }
        b't' if text.starts_with("true") => Some((Val::Bool(true), &text[4..])),
        b'f' if text.starts_with("false") => Some((Val::Bool(false), &text[5..])),
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 4 && b.get(4) == Some(&b'-') {
                // A date: exactly YYYY-MM-DD, nothing of a time after it.
                let date = text.get(..10)?;
                let d = crate::model::parse_ymd(date)?;
                if chrono::Datelike::year(&d) < 1900 {
                    return None;
                }
                return Some((Val::Date(d), &text[10..]));
            }
            let number = &text[..digits];
            if digits > 18 || (digits > 1 && number.starts_with('0')) {
                return None;
            }
            Some((Val::Int(number.parse().ok()?), &text[digits..]))
        }
        _ => None,
    }
}

/// A basic string without escapes or control characters, and what follows.
fn string(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('"')?;
    let end = inner.find('"')?;
    let s = &inner[..end];
    // Control characters (tabs included) are the full reader's to report.
    if s.bytes().any(|b| b == b'\\') || crate::text::forbidden(s).is_some() {
        return None;
    }
    Some((s, &inner[end + 1..]))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{EVALUATION_KEYS, PARTICIPANT_KEYS, PRACTICUM_KEYS, SESSION_KEYS, TOP_KEYS};
    use super::read;
    use crate::diag::Diagnostics;
    use crate::load::{Root, Source, load_curriculum};
    use crate::model::Curriculum;

    const EXAMPLE: &str = include_str!("../../../cohorts/2024-fall/cohort.toml");

    fn curriculum() -> Curriculum {
        let root = Root {
            dir: env!("CARGO_MANIFEST_DIR").into(),
        };
        load_curriculum(&root, &mut Diagnostics::default()).expect("the example curriculum")
    }

    /// What the quick reader gives must be what the full reader gives, and
    /// only where the full reader finds no problem.
    fn agrees(text: &str, curriculum: &Curriculum) -> Result<bool, String> {
        let Some(quick) = read(text, "2024-fall", curriculum) else {
            return Ok(false);
        };
        let src = Source {
            rel: "cohorts/2024-fall/cohort.toml".to_string(),
            text: text.to_string(),
        };
        let mut diags = Diagnostics::default();
        let full = super::super::read_cohort(&src, curriculum, "2024-fall", &mut diags);
        if !diags.items.is_empty() {
            return Err(format!(
                "quick reader accepted a file with problems: {diags:?}"
            ));
        }
        match full {
            Some(full) if format!("{full:?}") == format!("{quick:?}") => Ok(true),
            full => Err(format!("quick {quick:?}\nfull {full:?}")),
        }
    }

    #[test]
    fn reads_the_example_like_the_full_reader() {
        assert_eq!(agrees(EXAMPLE, &curriculum()), Ok(true));
        let crlf = EXAMPLE.replace('\n', "\r\n");
        assert_eq!(agrees(&crlf, &curriculum()), Ok(true));
    }

    #[test]
    fn leaves_what_it_does_not_know_to_the_full_reader() {
        let c = curriculum();
        for (from, to) in [
            ("id = \"p01\"", "id = 'p01'"),
            ("id = \"p01\"", "id = \"p\\u0030\""),
            ("[[session]]", "[ [session]]"),
            ("date = 2024-09-10", "date = 2024-09-10T10:00:00"),
            ("date = 2024-09-10", "date = 2024-09-10 10:00"),
            ("date = 2024-09-10", "date = \"2024-09-1O\""),
            ("webinar = 1\n", "webinar = 01\n"),
            ("webinar = 1\n", "webinar = +1\n"),
            ("webinar = 1\n", "webinar = 1_0\n"),
            ("name = ", "nmae = "),
            ("id = \"p01\"", "id = \"p01\"\nid = \"p01\""),
            (
                "timezone = \"America/Toronto\"",
                "timezone = \"America/Torotno\"",
            ),
            ("timezone = \"America/Toronto\"", "timezone = \"EST\""),
            (
                "timezone = \"America/Toronto\"",
                "timezone = \"US/Eastern\"",
            ),
        ] {
            assert!(EXAMPLE.contains(from), "{from}");
            let text = EXAMPLE.replacen(from, to, 1);
            assert_eq!(agrees(&text, &c), Ok(false), "{to}");
        }
        assert_eq!(agrees(&format!("{EXAMPLE}x = 1\r"), &c), Ok(false));
        for key in ["evaluation", "practicum"] {
            // p10 has neither table; a value under either name is refused.
            let from = "withdrawn = 2024-10-02\n";
            assert!(EXAMPLE.contains(from));
            let value = EXAMPLE.replacen(from, &format!("{from}{key} = \"x\"\n"), 1);
            assert_eq!(agrees(&value, &c), Ok(false), "{key}");
        }
    }

    /// A misspelt key is an error in both readers: the quick one leaves the
    /// file to the full one, which refuses it naming the likely key.
    #[test]
    fn unknown_keys_are_errors_in_both_readers() {
        let c = curriculum();
        for (from, to, likely) in [
            ("recommend = true", "recomend = true", "recommend"),
            ("aliases = [", "aliase = [", "aliases"),
            ("delivery = ", "delivry = ", "delivery"),
            ("start = ", "strat = ", "start"),
            ("result = \"pass\"", "reslt = \"pass\"", "result"),
        ] {
            assert!(EXAMPLE.contains(from), "{from}");
            let text = EXAMPLE.replacen(from, to, 1);
            assert!(read(&text, "2024-fall", &c).is_none(), "{to}");
            let src = Source {
                rel: "cohorts/2024-fall/cohort.toml".to_string(),
                text,
            };
            let mut diags = Diagnostics::default();
            super::super::read_cohort(&src, &c, "2024-fall", &mut diags);
            assert!(diags.has_errors(), "{to}: {diags:?}");
            let d = &diags.items[0];
            assert_eq!(d.severity, crate::diag::Severity::Error, "{to}");
            assert_eq!(
                d.help.as_deref(),
                Some(format!("did you mean `{likely}`?").as_str()),
                "{to}"
            );
        }
    }

    /// Every line of the example removed, doubled, or with its value
    /// changed: the quick reader agrees with the full reader, or leaves it.
    #[test]
    fn line_edits_are_read_alike() {
        let c = curriculum();
        let lines: Vec<&str> = EXAMPLE.lines().collect();
        let (mut quick, mut full) = (0, 0);
        for i in 0..lines.len() {
            let mut variants = vec![
                lines
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, l)| *l)
                    .collect::<Vec<_>>(),
                lines
                    .iter()
                    .enumerate()
                    .flat_map(|(j, l)| if j == i { vec![*l, *l] } else { vec![*l] })
                    .collect(),
            ];
            if let Some((key, _)) = lines[i].split_once(" = ") {
                for value in [
                    "\"\"",
                    "\" \"",
                    "1",
                    "0",
                    "true",
                    "2024-12-01",
                    "\"2024-12-01\"",
                    "\"x@y\"",
                    "[]",
                    "[\"a\"]",
                    "\"full\"",
                    "\"pass\"",
                    "\"fail\"",
                    "\"partial\"",
                    "\"09:00\"",
                    "\"23:59\"",
                ] {
                    let changed = format!("{key} = {value}");
                    let mut v: Vec<&str> = lines.clone();
                    v[i] = &changed;
                    let text = v.join("\n");
                    match agrees(&text, &c) {
                        Ok(true) => quick += 1,
                        Ok(false) => full += 1,
                        Err(e) => panic!("{e}\n{text}"),
                    }
                }
            }
            for v in variants.drain(..) {
                let text = v.join("\n");
                match agrees(&text, &c) {
                    Ok(true) => quick += 1,
                    Ok(false) => full += 1,
                    Err(e) => panic!("{e}\n{text}"),
                }
            }
        }
        // Both readers were exercised.
        assert!(quick > 100 && full > 100, "quick {quick}, full {full}");
    }

    /// Every key either reader knows, and a few it does not, added under
    /// every header and at the top, with a value of each kind.
    #[test]
    fn added_keys_are_read_alike() {
        let c = curriculum();
        let lines: Vec<&str> = EXAMPLE.lines().collect();
        // Every key either reader knows, so that a key added to the full
        // reader is tried here too, and one it does not know.
        let mut keys: Vec<&str> = [
            TOP_KEYS,
            SESSION_KEYS,
            PARTICIPANT_KEYS,
            EVALUATION_KEYS,
            PRACTICUM_KEYS,
            &["other"],
        ]
        .concat();
        keys.sort_unstable();
        keys.dedup();
        let values = ["\"x@y.org\"", "2024-12-01", "[\"a\", \"b\",]", "true", "3"];
        let (mut quick, mut full) = (0, 0);
        for i in (0..lines.len()).filter(|&i| i == 0 || lines[i].starts_with('[')) {
            for &key in &keys {
                for value in values {
                    let mut v = lines.clone();
                    let added = format!("{key} = {value}");
                    v.insert(i + usize::from(i > 0), &added);
                    let text = v.join("\n");
                    match agrees(&text, &c) {
                        Ok(true) => quick += 1,
                        Ok(false) => full += 1,
                        Err(e) => panic!("{e}\n{added} after line {i}"),
                    }
                }
            }
        }
        assert!(quick > 10 && full > 100, "quick {quick}, full {full}");
    }

    /// Small edits of the example: wherever the quick reader still gives a
    /// cohort, it is the full reader's, and the full reader finds no problem.
    fn edit() -> impl Strategy<Value = (usize, &'static str)> {
        let pieces = prop_oneof![
            Just(""),
            Just("\""),
            Just("="),
            Just("["),
            Just("]"),
            Just("#"),
            Just(" "),
            Just("\t"),
            Just(","),
            Just("\\"),
            Just("'"),
            Just("."),
            Just("0"),
            Just("9"),
            Just("-"),
            Just(":"),
            Just("a"),
            Just("\r"),
            Just("\n"),
            Just("é"),
            Just("\u{7f}"),
            Just("\u{1}"),
            Just("true"),
            Just("\n[[session]]\n"),
            Just("\n[[participant]]\n"),
            Just("\n[participant.evaluation]\n"),
            Just("\n[participant.practicum]\n"),
            Just("\nrecommend = true\n"),
            Just("\nwithdrawn = 2024-10-01\n"),
            Just("\nemail = \"a@example.org\"\n"),
            Just("\nevaluation = \"x\"\n"),
            Just("\npracticum = 1\n"),
            Just("\nsession = []\n"),
            Just("\nid = \"p01\"\n"),
            Just("\naliases = [\"a\", \"b\",]\n"),
            Just(
                "\n[participant.evaluation]\nparticipation = \"full\"\nby = \"A\"\ndate = 2024-12-01\n"
            ),
        ];
        (0..EXAMPLE.len(), pieces)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn edited_files_are_read_alike(edits in proptest::collection::vec((edit(), 0usize..3), 1..4)) {
            let c = curriculum();
            let mut text = EXAMPLE.to_string();
            for ((at, piece), cut) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + cut).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(at..end, piece);
            }
            prop_assert!(agrees(&text, &c).is_ok(), "{:?}\n{}", agrees(&text, &c), text);
        }
    }
}
