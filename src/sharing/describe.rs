//! What a change says in words, and the commit message made of them.

use std::collections::BTreeMap;

use super::{Change, Known, appended};

/// The cells of each record of CSV text, by the one CSV reader.
fn records(text: &str) -> Vec<Vec<String>> {
    let mut reader = crate::csvread::Reader::with_separator(text, b',');
    let mut row = crate::csvread::Row::default();
    let mut out = Vec::new();
    while reader.read(&mut row) {
        out.push(
            (0..row.len())
                .map(|i| row.get(text, i).to_string())
                .collect(),
        );
    }
    out
}

/// Rows of CSV text as maps from lower-case column name to cell.
fn rows(header_of: &str, rows_text: &str) -> Vec<BTreeMap<String, String>> {
    let header: Vec<String> = records(header_of)
        .into_iter()
        .next()
        .map(|r| r.iter().map(|c| c.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let repeated: BTreeMap<String, String> =
        header.iter().map(|h| (h.clone(), h.clone())).collect();
    records(rows_text)
        .into_iter()
        .filter(|record| !record.iter().all(|c| c.trim().is_empty()))
        .map(|record| {
            let cells = record.iter().map(|c| c.trim().to_string());
            header.iter().cloned().zip(cells).collect()
        })
        .filter(|row| *row != repeated) // a header repeated by a merge
        .collect()
}

/// The new rows of a log: all of them for a new file, the appended ones else.
fn new_rows(change: &Change) -> Vec<BTreeMap<String, String>> {
    let new = change.new.as_deref().unwrap_or("");
    let new = new.strip_prefix('\u{feff}').unwrap_or(new);
    let first_end = new.find('\n').map_or(new.len(), |i| i + 1);
    let (header, body) = new.split_at(first_end);
    match change.old.as_deref() {
        None | Some("") => rows(header, body),
        Some(old) => {
            let old = old.strip_prefix('\u{feff}').unwrap_or(old);
            match appended(old, new) {
                Some(added) => rows(header, added),
                None => Vec::new(),
            }
        }
    }
}

fn join_ids(ids: &[String]) -> String {
    const MAX: usize = 6;
    if ids.len() <= MAX {
        ids.join(", ")
    } else {
        format!("{} and {} more", ids[..MAX].join(", "), ids.len() - MAX)
    }
}

/// What one change says, in the words of the command that made it:
/// `attend 2024-fall webinar 3: 14 present, 2 absent (Ana Trainer)`.
pub fn describe(change: &Change) -> Vec<String> {
    let Some(known) = Known::of(&change.rel) else {
        return vec![format!("change {}", change.rel)];
    };
    match known {
        Known::Curriculum => vec!["set up the program (curriculum.toml)".to_string()],
        Known::GitAttributes => vec!["set up sharing (.gitattributes)".to_string()],
        Known::Attendance { cohort, webinar } => {
            vec![describe_attendance(&cohort, webinar, change)]
        }
        Known::Practicum { cohort } => vec![describe_practicum(&cohort, change)],
        Known::Register => describe_register(change),
        Known::CohortToml { cohort } => describe_cohort(&cohort, change),
    }
}

/// New attendance rows: how many of each status, and who recorded them.
fn describe_attendance(cohort: &str, webinar: u32, change: &Change) -> String {
    let rows = new_rows(change);
    if rows.is_empty() {
        return format!("attend {cohort} webinar {webinar}: no new rows");
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut by: Vec<String> = Vec::new();
    for row in &rows {
        let status = row.get("status").map_or("", String::as_str).to_lowercase();
        match counts.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => counts.push((status, 1)),
        }
        if let Some(who) = row.get("recorded_by").filter(|w| !w.is_empty())
            && !by.contains(who)
        {
            by.push(who.clone());
        }
    }
    let order = ["present", "partial", "absent", "excused", "makeup"];
    counts.sort_by_key(|(s, _)| order.iter().position(|o| o == s).unwrap_or(order.len()));
    let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    let by = if by.is_empty() {
        String::new()
    } else {
        format!(" ({})", by.join(", "))
    };
    format!(
        "attend {cohort} webinar {webinar}: {}{by}",
        counts.join(", ")
    )
}

/// New practicum rows: how many, their hours when every row has valid ones, and whose.
fn describe_practicum(cohort: &str, change: &Change) -> String {
    let rows = new_rows(change);
    let mut ids: Vec<String> = Vec::new();
    let mut total = crate::model::Hours::default();
    let mut exact = true;
    for row in &rows {
        if let Some(id) = row.get("participant")
            && !ids.contains(id)
        {
            ids.push(id.clone());
        }
        match row.get("hours").map(|h| crate::model::Hours::parse(h)) {
            Some(Ok(h)) => total = total + h,
            _ => exact = false,
        }
    }
    let n = rows.len();
    let hours = if exact {
        format!(", {total} h")
    } else {
        String::new()
    };
    format!(
        "practicum {cohort}: {n} row{}{hours} ({})",
        if n == 1 { "" } else { "s" },
        join_ids(&ids)
    )
}

/// New register rows: the certificates issued, by cohort, and the ones revoked.
fn describe_register(change: &Change) -> Vec<String> {
    let rows = new_rows(change);
    let mut issued: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut revoked: Vec<String> = Vec::new();
    for row in &rows {
        let get = |k: &str| row.get(k).cloned().unwrap_or_default();
        match get("status").as_str() {
            "revoked" => revoked.push(get("number")),
            _ => issued.entry(get("cohort")).or_default().push(format!(
                "{} {}",
                get("participant"),
                get("level")
            )),
        }
    }
    let mut out = Vec::new();
    for (cohort, who) in issued {
        out.push(format!(
            "issue {cohort}: {} certificate{} ({})",
            who.len(),
            if who.len() == 1 { "" } else { "s" },
            join_ids(&who)
        ));
    }
    if !revoked.is_empty() {
        out.push(format!("revoke {}", join_ids(&revoked)));
    }
    out
}

/// Each participant's parts (key → value as text), by id.
type ById = BTreeMap<String, BTreeMap<String, String>>;

/// Participants of a `cohort.toml` text by id, and the rest of the file as text.
fn participants(text: &str) -> Option<(ById, String)> {
    let doc: toml_edit::DocumentMut = text.parse().ok()?;
    let mut out = BTreeMap::new();
    let mut rest = doc.clone();
    rest.remove("participant");
    if let Some(array) = doc.get("participant").and_then(|i| i.as_array_of_tables()) {
        for table in array {
            let Some(id) = table.get("id").and_then(|i| i.as_str()) else {
                continue;
            };
            let parts: BTreeMap<String, String> = table
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string().trim().to_string()))
                .collect();
            out.insert(id.to_string(), parts);
        }
    }
    Some((out, rest.to_string()))
}

fn describe_cohort(cohort: &str, change: &Change) -> Vec<String> {
    let new = change.new.as_deref().unwrap_or("");
    let Some((after, after_rest)) = participants(new) else {
        return vec![format!("edit {cohort} cohort.toml")];
    };
    let Some(old) = change.old.as_deref() else {
        let sessions = new.matches("[[session]]").count();
        let mut out = vec![format!("new cohort {cohort}: {sessions} sessions")];
        if !after.is_empty() {
            let ids: Vec<String> = after.keys().cloned().collect();
            out.push(format!("enroll {cohort}: {}", join_ids(&ids)));
        }
        return out;
    };
    let Some((before, before_rest)) = participants(old) else {
        return vec![format!("edit {cohort} cohort.toml")];
    };
    let mut by_verb: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut verbs: Vec<&str> = Vec::new();
    let mut note = |verb: &'static str, id: &str| {
        if !verbs.contains(&verb) {
            verbs.push(verb);
        }
        by_verb.entry(verb).or_default().push(id.to_string());
    };
    for (id, parts) in &after {
        let Some(was) = before.get(id) else {
            note("enroll", id);
            continue;
        };
        let differs = |key: &str| parts.get(key) != was.get(key);
        let mut said = false;
        for (key, verb) in [
            ("evaluation", "evaluate"),
            ("practicum", "practicum result"),
            ("withdrawn", "withdraw"),
            ("aliases", "alias"),
        ] {
            if differs(key) {
                note(
                    if key == "withdrawn" && !parts.contains_key(key) {
                        "withdraw --undo"
                    } else {
                        verb
                    },
                    id,
                );
                said = true;
            }
        }
        let other = parts.keys().chain(was.keys()).any(|k| {
            !matches!(
                k.as_str(),
                "evaluation" | "practicum" | "withdrawn" | "aliases" | "withdrawn_reason"
            ) && differs(k)
        });
        if other && !said {
            note("change", id);
        }
    }
    for id in before.keys().filter(|id| !after.contains_key(*id)) {
        note("unenroll", id);
    }
    let mut out: Vec<String> = verbs
        .iter()
        .map(|verb| format!("{verb} {cohort}: {}", join_ids(&by_verb[verb])))
        .collect();
    if before_rest != after_rest {
        out.push(format!("edit {cohort} cohort.toml (sessions or settings)"));
    }
    if out.is_empty() {
        out.push(format!("edit {cohort} cohort.toml"));
    }
    out
}

/// A commit message from the descriptions: the first line says it all when
/// it can, the body lists every part.
pub fn message(parts: &[String]) -> String {
    let subject = match parts {
        [] => "cohort sync".to_string(),
        [one] => one.clone(),
        many => {
            let joined = many.join("; ");
            if joined.chars().count() <= 72 {
                joined
            } else {
                format!("{} (and {} more)", many[0], many.len() - 1)
            }
        }
    };
    if parts.len() <= 1 {
        return subject + "\n";
    }
    let body: Vec<String> = parts.iter().map(|p| format!("- {p}")).collect();
    format!("{subject}\n\n{}\n", body.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sharing::tests::{HEAD, change};

    /// What `describe` says of the change of `path` from `old` to `new`.
    fn said(path: &str, old: Option<&str>, new: Option<&str>) -> Vec<String> {
        describe(&change(path, old, new))
    }

    #[test]
    fn attendance_is_described_by_counts_and_recorders() {
        let old = format!("{HEAD}p01,present,,Ana Trainer,2024-09-17T14:00:00-04:00,\n");
        let mut new = old.clone();
        for i in 2..=15 {
            new += &format!("p{i:02},present,,Ana Trainer,2024-09-17T14:05:00-04:00,\n");
        }
        new += "p16,absent,,Ana Trainer,2024-09-17T14:05:00-04:00,\np17,Absent,,Ana Trainer,,\n";
        let log = "cohorts/2024-fall/attendance/03.csv";
        assert_eq!(
            said(log, Some(&old), Some(&new)),
            ["attend 2024-fall webinar 3: 14 present, 2 absent (Ana Trainer)"]
        );
    }

    #[test]
    fn practicum_and_register_rows_are_described() {
        let head = crate::load::PRACTICUM_FIELDS.join(",");
        let new = format!("{head}\np01,2025-01-02,1.5,support,M,\np04,2025-01-02,2,support,M,\n");
        assert_eq!(
            said("cohorts/c/practicum.csv", None, Some(&new)),
            ["practicum c: 2 rows, 3.5 h (p01, p04)"]
        );
        let reg = crate::register::FIELDS.join(",");
        let old = format!("{reg}\nPSCE-A,c,p01,A,Level 1,2025-01-01,x,issued,\n");
        let new = format!(
            "{old}PSCE-B,c,p02,B,Level 1R,2025-01-01,x,issued,\nPSCE-A,c,p01,A,Level 1,2025-01-01,y,revoked,typo\n"
        );
        assert_eq!(
            said("certificates.csv", Some(&old), Some(&new)),
            ["issue c: 1 certificate (p02 Level 1R)", "revoke PSCE-A"]
        );
    }

    #[test]
    fn cohort_toml_changes_are_described_by_what_the_commands_do() {
        let old = "id = \"c\"\n\n[[participant]]\nid = \"p01\"\nname = \"A\"\n\n[[participant]]\nid = \"p02\"\nname = \"B\"\n";
        let new = "id = \"c\"\n\n[[participant]]\nid = \"p01\"\nname = \"A\"\nwithdrawn = 2024-10-02\n\n[[participant]]\nid = \"p02\"\nname = \"B\"\n\n[participant.evaluation]\nparticipation = \"full\"\nrecommend = true\nby = \"T\"\ndate = 2024-11-07\n\n[[participant]]\nid = \"p03\"\nname = \"C\"\n";
        assert_eq!(
            said("cohorts/c/cohort.toml", Some(old), Some(new)),
            ["withdraw c: p01", "evaluate c: p02", "enroll c: p03"]
        );
        let new = "id = \"c\"\n[[session]]\n[[session]]\n";
        assert_eq!(
            said("cohorts/c/cohort.toml", None, Some(new)),
            ["new cohort c: 2 sessions"]
        );
    }

    #[test]
    fn messages_put_everything_in_the_first_line_when_it_fits() {
        assert_eq!(message(&["a".into()]), "a\n");
        assert_eq!(message(&["a".into(), "b".into()]), "a; b\n\n- a\n- b\n");
        let long: Vec<String> = (0..5)
            .map(|i| format!("attend 2024-fall webinar {i}: 18 present"))
            .collect();
        assert!(
            message(&long).starts_with("attend 2024-fall webinar 0: 18 present (and 4 more)\n\n- ")
        );
    }
}
