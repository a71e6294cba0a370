//! git as the shared store: what `cohort sync` needs of it.
//!
//! Runs the `git` command line (not libgit2 or gix): it uses the trainer's
//! own git set-up as it is, credentials helpers, SSH keys and `~/.ssh/config`
//! included, honours `.gitattributes` merge drivers (the `union` driver the
//! logs rely on) exactly as every other git on the program's machines does,
//! and adds no C library to build. docs/sharing.md says more.
//!
//! The parts without git are pure and tested on their own: which files of
//! the data root `cohort` writes ([`Known::of`]), whether a change is one a
//! command makes ([`judge`]), and what a change says in words ([`describe`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::load::{CURRICULUM, is_slug};
use crate::register::REGISTER;

/// A file of the data root that `cohort` commands write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    Curriculum,
    /// `.gitattributes`, as `cohort init` writes it.
    GitAttributes,
    Register,
    CohortToml {
        cohort: String,
    },
    Attendance {
        cohort: String,
        webinar: u32,
    },
    Practicum {
        cohort: String,
    },
}

impl Known {
    /// What `rel` (relative to the data root, with `/`) is, if `cohort` writes it.
    pub fn of(rel: &str) -> Option<Known> {
        match rel {
            CURRICULUM => return Some(Known::Curriculum),
            ".gitattributes" => return Some(Known::GitAttributes),
            REGISTER => return Some(Known::Register),
            _ => {}
        }
        let parts: Vec<&str> = rel.split('/').collect();
        match parts.as_slice() {
            ["cohorts", id, "cohort.toml"] if is_slug(id) => Some(Known::CohortToml {
                cohort: id.to_string(),
            }),
            ["cohorts", id, "practicum.csv"] if is_slug(id) => Some(Known::Practicum {
                cohort: id.to_string(),
            }),
            ["cohorts", id, "attendance", name] if is_slug(id) => {
                let number = name.strip_suffix(".csv")?;
                if number.len() < 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let webinar: u32 = number.parse().ok()?;
                (webinar >= 1 && format!("{webinar:02}") == number).then(|| Known::Attendance {
                    cohort: id.to_string(),
                    webinar,
                })
            }
            _ => None,
        }
    }

    /// Append-only: a command only ever adds rows at the end.
    pub fn append_only(&self) -> bool {
        matches!(
            self,
            Known::Register | Known::Attendance { .. } | Known::Practicum { .. }
        )
    }
}

/// One changed file, as `git status` and the files tell.
#[derive(Debug, Clone)]
pub struct Change {
    /// Relative to the data root.
    pub rel: String,
    /// The committed text (`None`: a new file).
    pub old: Option<String>,
    /// The text now (`None`: deleted).
    pub new: Option<String>,
}

/// Why a change is not one `cohort` made, and what to do.
pub fn judge(change: &Change) -> Result<Known, String> {
    let rel = &change.rel;
    let Some(known) = Known::of(rel) else {
        return Err(format!(
            "{rel} is not a file cohort writes; commit it yourself (`git add {rel}` and `git commit`), or move it out of the data root"
        ));
    };
    let (old, new) = (change.old.as_deref(), change.new.as_deref());
    match (old, new) {
        (_, None) => Err(format!(
            "{rel} was deleted; cohort never deletes a record: bring it back with `git checkout -- {rel}`"
        )),
        (None, Some(_)) => Ok(known),
        (Some(old), Some(new)) => {
            if known.append_only() && appended(old, new).is_none() {
                let line = first_changed_line(old, new);
                Err(format!(
                    "{rel} was edited at line {line}, not only appended to; cohort only ever adds rows to a log. Undo the edit with `git checkout -- {rel}` (the rows added since are lost too: note them first) and record corrections as new rows, or commit the edit yourself with git"
                ))
            } else if known == Known::Curriculum || known == Known::GitAttributes {
                Err(format!(
                    "{rel} was changed by hand; no cohort command changes it. Commit it yourself (`git commit {rel} -m \"…\"`), or undo it with `git checkout -- {rel}`"
                ))
            } else {
                Ok(known)
            }
        }
    }
}

/// The text appended to `old` to give `new`, if `new` only adds to it
/// (a last line without its line end may get one).
pub fn appended<'n>(old: &str, new: &'n str) -> Option<&'n str> {
    let rest = new.strip_prefix(old)?;
    // Any line end counts: LF, CRLF, and a lone CR (old Mac spreadsheets).
    if old.is_empty() || old.ends_with(['\n', '\r']) {
        return Some(rest);
    }
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .or_else(|| rest.strip_prefix('\r'))
        .or(if rest.is_empty() { Some(rest) } else { None })
}

fn first_changed_line(old: &str, new: &str) -> usize {
    let lines = crate::lines::lines;
    lines(old)
        .zip(lines(new))
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| lines(old).count().min(lines(new).count()))
        + 1
}

/// Rows of CSV text as maps from lower-case column name to cell.
fn rows(header_of: &str, rows_text: &str) -> Vec<BTreeMap<String, String>> {
    let header: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(header_of.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|c| c.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(rows_text.as_bytes());
    for record in rdr.records().flatten() {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row: BTreeMap<String, String> = header
            .iter()
            .cloned()
            .zip(record.iter().map(|c| c.trim().to_string()))
            .collect();
        if row == header.iter().map(|h| (h.clone(), h.clone())).collect() {
            continue; // a header repeated by a merge
        }
        out.push(row);
    }
    out
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
            let rows = new_rows(change);
            if rows.is_empty() {
                return vec![format!("attend {cohort} webinar {webinar}: no new rows")];
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
            vec![format!(
                "attend {cohort} webinar {webinar}: {}{by}",
                counts.join(", ")
            )]
        }
        Known::Practicum { cohort } => {
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
            vec![format!(
                "practicum {cohort}: {n} row{}{hours} ({})",
                if n == 1 { "" } else { "s" },
                join_ids(&ids)
            )]
        }
        Known::Register => {
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
        Known::CohortToml { cohort } => describe_cohort(&cohort, change),
    }
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

/// The git command line, run at the top of the repository that holds the
/// data root; the time spent in git is counted.
pub struct Git {
    pub top: PathBuf,
    /// The data root relative to `top`, with `/`, ending in `/` (or empty).
    pub prefix: String,
    pub spent: Duration,
}

/// What a failed git run said.
#[derive(Debug)]
pub struct GitFailed {
    pub args: String,
    pub stderr: String,
}

impl std::fmt::Display for GitFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`git {}` failed: {}", self.args, self.stderr.trim())
    }
}

impl std::error::Error for GitFailed {}

fn run_git(dir: &Path, args: &[&str], spent: &mut Duration) -> std::io::Result<Output> {
    let start = Instant::now();
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        // Never wait for a password at a prompt nobody sees; messages in
        // English, so that they can be told apart.
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output();
    *spent += start.elapsed();
    out
}

impl Git {
    /// The repository that holds `root`; `Err` with the fix when there is none
    /// or git is not installed.
    pub fn open(root: &Path) -> Result<Git, String> {
        let mut spent = Duration::ZERO;
        let out = run_git(
            root,
            &["rev-parse", "--show-toplevel", "--show-prefix"],
            &mut spent,
        )
        .map_err(|e| {
            format!(
                "cannot run git ({e}); install git (https://git-scm.com) and run cohort sync again"
            )
        })?;
        if !out.status.success() {
            return Err(
                "the data root is not in a git repository; `cohort init` makes one, or see docs/sharing.md to clone the program's shared repository"
                    .to_string(),
            );
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let top = PathBuf::from(lines.next().unwrap_or("."));
        let prefix = lines.next().unwrap_or("").to_string();
        Ok(Git { top, prefix, spent })
    }

    /// Runs git; its output, or what it said when it failed.
    pub fn run(&mut self, args: &[&str]) -> Result<String, GitFailed> {
        let failed = |stderr: String| GitFailed {
            args: args.join(" "),
            stderr,
        };
        let out = run_git(&self.top, args, &mut self.spent).map_err(|e| failed(e.to_string()))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            let mut said = String::from_utf8_lossy(&out.stderr).into_owned();
            if said.trim().is_empty() {
                said = String::from_utf8_lossy(&out.stdout).into_owned();
            }
            Err(failed(said))
        }
    }

    /// Whether git succeeds, its output ignored.
    pub fn ok(&mut self, args: &[&str]) -> bool {
        self.run(args).is_ok()
    }

    /// A path relative to the data root, as the repository names it.
    pub fn repo_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    /// Every path below the data root that differs from HEAD or is new,
    /// relative to the data root.
    pub fn changed(&mut self) -> Result<Vec<String>, GitFailed> {
        let below = if self.prefix.is_empty() {
            ".".to_string()
        } else {
            self.prefix.clone()
        };
        let out = self.run(&[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            "--",
            &below,
        ])?;
        // Paths in porcelain output are relative to the top, whatever the
        // folder git runs in.
        let mut paths = Vec::new();
        for entry in out.split('\0').filter(|e| e.len() > 3) {
            let path = &entry[3..];
            if let Some(rel) = path.strip_prefix(self.prefix.as_str()) {
                paths.push(rel.to_string());
            }
        }
        paths.sort();
        paths.dedup();
        Ok(paths)
    }

    /// The text of `rel` (relative to the data root) at `rev`, if it is there.
    pub fn show(&mut self, rev: &str, rel: &str) -> Option<String> {
        self.run(&["show", &format!("{rev}:{}", self.repo_path(rel))])
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(rel: &str, old: Option<&str>, new: Option<&str>) -> Change {
        Change {
            rel: rel.into(),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
        }
    }

    const HEAD: &str = "participant,status,minutes,recorded_by,recorded_at,note\n";

    #[test]
    fn known_files_are_the_ones_cohort_writes() {
        assert_eq!(
            Known::of("cohorts/2024-fall/attendance/03.csv"),
            Some(Known::Attendance {
                cohort: "2024-fall".into(),
                webinar: 3
            })
        );
        assert_eq!(Known::of("certificates.csv"), Some(Known::Register));
        for other in [
            "cohorts/2024-fall/attendance/3.csv",
            "cohorts/2024-fall/attendance/03.csv.bak",
            "cohorts/2024-fall/notes.txt",
            "cohorts/Fall/cohort.toml",
            "roster.csv",
            "README.md",
        ] {
            assert_eq!(Known::of(other), None, "{other}");
        }
    }

    #[test]
    fn appends_pass_and_edits_of_logs_do_not() {
        let old = format!("{HEAD}p01,present,,A,,\n");
        let added = format!("{old}p02,absent,,A,,\n");
        assert!(
            judge(&change(
                "cohorts/c/attendance/01.csv",
                Some(&old),
                Some(&added)
            ))
            .is_ok()
        );
        let edited = format!("{HEAD}p01,absent,,A,,\n");
        let why = judge(&change(
            "cohorts/c/attendance/01.csv",
            Some(&old),
            Some(&edited),
        ))
        .unwrap_err();
        assert!(why.contains("edited at line 2"), "{why}");
        assert!(
            why.contains("git checkout -- cohorts/c/attendance/01.csv"),
            "{why}"
        );
        // A last line without its line end may get one.
        assert_eq!(appended("a\nb", "a\nb\nc\n"), Some("c\n"));
        assert_eq!(appended("a\nb", "a\nbc\n"), None);
        // Deleting, unknown files, hand edits of the curriculum: refused.
        assert!(
            judge(&change("cohorts/c/practicum.csv", Some(&old), None))
                .unwrap_err()
                .contains("deleted")
        );
        assert!(
            judge(&change("notes.txt", None, Some("x")))
                .unwrap_err()
                .contains("not a file cohort writes")
        );
        assert!(
            judge(&change("curriculum.toml", Some("a"), Some("b")))
                .unwrap_err()
                .contains("by hand")
        );
        // cohort.toml is edited in place by the commands.
        assert!(judge(&change("cohorts/c/cohort.toml", Some("a"), Some("b"))).is_ok());
    }

    #[test]
    fn attendance_is_described_by_counts_and_recorders() {
        let old = format!("{HEAD}p01,present,,Ana Trainer,2024-09-17T14:00:00-04:00,\n");
        let mut new = old.clone();
        for i in 2..=15 {
            new += &format!("p{i:02},present,,Ana Trainer,2024-09-17T14:05:00-04:00,\n");
        }
        new += "p16,absent,,Ana Trainer,2024-09-17T14:05:00-04:00,\np17,Absent,,Ana Trainer,,\n";
        let said = describe(&change(
            "cohorts/2024-fall/attendance/03.csv",
            Some(&old),
            Some(&new),
        ));
        assert_eq!(
            said,
            vec!["attend 2024-fall webinar 3: 14 present, 2 absent (Ana Trainer)"]
        );
    }

    #[test]
    fn practicum_and_register_rows_are_described() {
        let head = "participant,date,hours,kind,monitor,note\n";
        let new = format!("{head}p01,2025-01-02,1.5,support,M,\np04,2025-01-02,2,support,M,\n");
        assert_eq!(
            describe(&change("cohorts/c/practicum.csv", None, Some(&new))),
            vec!["practicum c: 2 rows, 3.5 h (p01, p04)"]
        );
        let reg = "number,cohort,participant,name,level,date,issued_at,status,reason\n";
        let old = format!("{reg}PSCE-A,c,p01,A,Level 1,2025-01-01,x,issued,\n");
        let new = format!(
            "{old}PSCE-B,c,p02,B,Level 1R,2025-01-01,x,issued,\nPSCE-A,c,p01,A,Level 1,2025-01-01,y,revoked,typo\n"
        );
        assert_eq!(
            describe(&change("certificates.csv", Some(&old), Some(&new))),
            vec!["issue c: 1 certificate (p02 Level 1R)", "revoke PSCE-A"]
        );
    }

    #[test]
    fn cohort_toml_changes_are_described_by_what_the_commands_do() {
        let old = "id = \"c\"\n\n[[participant]]\nid = \"p01\"\nname = \"A\"\n\n[[participant]]\nid = \"p02\"\nname = \"B\"\n";
        let new = "id = \"c\"\n\n[[participant]]\nid = \"p01\"\nname = \"A\"\nwithdrawn = 2024-10-02\n\n[[participant]]\nid = \"p02\"\nname = \"B\"\n\n[participant.evaluation]\nparticipation = \"full\"\nrecommend = true\nby = \"T\"\ndate = 2024-11-07\n\n[[participant]]\nid = \"p03\"\nname = \"C\"\n";
        assert_eq!(
            describe(&change("cohorts/c/cohort.toml", Some(old), Some(new))),
            vec!["withdraw c: p01", "evaluate c: p02", "enroll c: p03"]
        );
        assert_eq!(
            describe(&change(
                "cohorts/c/cohort.toml",
                None,
                Some("id = \"c\"\n[[session]]\n[[session]]\n")
            )),
            vec!["new cohort c: 2 sessions"]
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
