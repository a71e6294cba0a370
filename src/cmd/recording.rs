//! The opening and the helpers the recording commands share: loading a
//! cohort to check a change against (and the participant it is about), who
//! records and when, problems with what was typed, and showing or making a
//! TOML change.

use anyhow::Context as _;
use chrono::NaiveDate;
use toml_edit::{DocumentMut, Item, Table, Value};

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::load::{self, CohortData, Root};
use crate::model::{Cohort, Curriculum, Participant};
use crate::term;
use crate::write;

use super::{Ctx, out, refuse};

/// A cohort loaded whole, with every attendance row kept.
pub struct Loaded {
    pub curriculum: Curriculum,
    pub data: CohortData,
    /// The warnings the loader found; [`Loaded::show_warnings`] prints
    /// those that concern a change.
    pub warnings: Vec<Diagnostic>,
}

impl Loaded {
    /// The cohort and its participant `p`.
    pub fn participant(&self, p: usize) -> (&Cohort, &Participant) {
        let cohort = &self.data.cohort;
        (cohort, &cohort.participants[p])
    }

    /// Prints the warnings that concern what a command records: those in a
    /// file it appends to (`files`, relative to the data root) that are about
    /// the file as a whole or name one of `ids`, and those anywhere that name
    /// one of `ids` or webinar `webinar`. Other warnings are not about this
    /// change; `cohort check` lists them.
    pub fn show_warnings(&self, ids: &[&str], webinar: Option<u32>, files: &[&str]) {
        self.show_warnings_and(&[], ids, webinar, files);
    }

    /// [`Loaded::show_warnings`] of these and `more` (the warnings of a
    /// log the command read itself).
    pub fn show_warnings_and(
        &self,
        more: &[Diagnostic],
        ids: &[&str],
        webinar: Option<u32>,
        files: &[&str],
    ) {
        let webinar = webinar.map(|w| format!("webinar {w}"));
        let concerns = |d: &Diagnostic| {
            let named = ids.iter().any(|id| names(&d.message, id))
                || webinar.as_deref().is_some_and(|w| names(&d.message, w));
            named || (files.contains(&d.path.as_str()) && (d.line.is_none() || d.line == Some(1)))
        };
        let shown = only(self.warnings.iter().chain(more).filter(|d| concerns(d)));
        if !shown.items.is_empty() {
            shown.print_brief(term::stderr_color(), super::WARNINGS_SHOWN);
        }
    }
}

/// These diagnostics, all kept.
fn only<'d>(items: impl Iterator<Item = &'d Diagnostic>) -> Diagnostics {
    Diagnostics {
        warning_limit: None,
        skipped_warnings: 0,
        items: items.cloned().collect(),
    }
}

/// `text` holds `word` as a whole word (`p1` is not in "p10", "webinar 1"
/// not in "webinar 12").
fn names(text: &str, word: &str) -> bool {
    let id_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(id_char) && !after.is_some_and(|c| id_char(c) && c != '.')
    })
}

/// The opening of a command that records something about one participant:
/// cohort `cohort` loaded for a change to the file `writes` (relative to the
/// data root; see [`load_for_change`]), the index of participant `id` (a
/// usage error with the closest id when there is none), and the warnings
/// that concern them and that file shown.
pub fn load_participant(
    ctx: &Ctx,
    cohort: &str,
    id: &str,
    writes: &str,
) -> anyhow::Result<(Loaded, usize)> {
    let loaded = load_for_change(ctx, cohort, &[writes])?;
    let p = participant(&loaded.data.cohort, id)?;
    loaded.show_warnings(&[&loaded.data.cohort.participants[p].id], None, &[writes]);
    Ok((loaded, p))
}

/// [`load_participant`] for a change to the cohort's own cohort.toml
/// (an evaluation, a withdrawal).
pub fn load_participant_for_toml(
    ctx: &Ctx,
    cohort: &str,
    id: &str,
) -> anyhow::Result<(Loaded, usize)> {
    load_participant(ctx, cohort, id, &Root::cohort_toml(cohort))
}

/// Loads cohort `id` to check a change that writes the files `writes`
/// (relative to the data root).
///
/// Errors in the curriculum, in `cohort.toml` or in a file about to be
/// written refuse the change (exit 1, the errors listed: [`crate::error::Error::Refused`]):
/// the change would be checked against records that cannot be read. Errors
/// in other files (a trainer recording attendance while `practicum.csv` has
/// a bad row) do not: they are counted in a note and `cohort check` lists
/// them. Warnings are kept in [`Loaded::warnings`] for the command to show
/// those that concern its change.
pub fn load_for_change(ctx: &Ctx, id: &str, writes: &[&str]) -> anyhow::Result<Loaded> {
    load(ctx, id, writes, None)
}

/// [`load_for_change`] for recording attendance of `webinar`: its log is
/// left unread (its marks `None`), for `attend` reads it itself, before
/// and under its lock.
pub fn load_for_attend(ctx: &Ctx, id: &str, webinar: u32) -> anyhow::Result<Loaded> {
    load(ctx, id, &[], Some(webinar))
}

fn load(ctx: &Ctx, id: &str, writes: &[&str], unread_log: Option<u32>) -> anyhow::Result<Loaded> {
    ctx.known_cohort(id)?;
    let curriculum = ctx.curriculum()?;
    let mut diags = Diagnostics::default();
    let data =
        load::cohort_files(&ctx.root, &curriculum, id, unread_log, &mut diags).map(|files| {
            let dates = crate::validate::Dates::today(ctx.today);
            crate::validate::cohort_data(files, &curriculum, dates, None, &mut diags)
        });
    let readable = data.is_some();
    let errors = || diags.items.iter().filter(|d| d.severity == Severity::Error);
    let toml = Root::cohort_toml(id);
    let blocks = |d: &&Diagnostic| d.path == toml || writes.contains(&d.path.as_str());
    let Some(data) = data.filter(|_| !errors().any(|d| blocks(&d))) else {
        // When cohort.toml itself could not be read, everything found is shown.
        let blocking = only(errors().filter(|d| !readable || blocks(d)));
        return Err(refuse(&blocking));
    };
    let mut elsewhere: Vec<&str> = Vec::new();
    for d in errors() {
        if !elsewhere.contains(&d.path.as_str()) {
            elsewhere.push(&d.path);
        }
    }
    if !elsewhere.is_empty() {
        term::eprint(&format!(
            "cohort: note: {} of cohort {id} has errors ({}); they do not affect this change, and `cohort check` lists them\n",
            if elsewhere.len() == 1 {
                "another file"
            } else {
                "other files"
            },
            elsewhere.join(", ")
        ));
    }
    let warnings = diags
        .items
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    Ok(Loaded {
        curriculum,
        data,
        warnings,
    })
}

/// Prints every problem found in what was typed (`cohort: error: …`, all
/// of them, so that one run shows everything to fix); true when there were any.
pub fn print_problems(problems: &[String]) -> bool {
    for p in problems {
        term::eprint(&format!("cohort: error: {p}\n"));
    }
    !problems.is_empty()
}

/// Who evaluated, and when, and whether to write: the flags an evaluation
/// is recorded with (`evaluate`, `practicum result`).
#[derive(Debug, clap::Args)]
pub struct Evaluator {
    /// Who evaluated
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The date of the evaluation (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "D", value_parser = super::parse_date)]
    pub date: Option<NaiveDate>,
    /// Show the change to cohort.toml; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

impl Evaluator {
    /// The date (today by default, not in the future) and the evaluator
    /// (trimmed, not empty: else a usage error that asks to `name` them).
    pub fn dated_by(
        &self,
        ctx: &Ctx,
        cohort: &Cohort,
        name: &str,
    ) -> anyhow::Result<(NaiveDate, &str)> {
        let date = self.date.unwrap_or(ctx.today);
        not_in_future("--date", date, ctx, cohort)?;
        let by = self.by.trim();
        if by.is_empty() {
            crate::usage!("--by is empty; {name}");
        }
        Ok((date, by))
    }

    /// Records `record` about `participant` in cohort `cohort`'s cohort.toml
    /// (with `--dry-run`, shows the change) and says what it replaced; when
    /// it is the one on file, writes nothing and says so. True when it changed.
    pub fn record(
        &self,
        ctx: &Ctx,
        cohort: &str,
        participant: &Participant,
        record: SubRecord<'_>,
    ) -> anyhow::Result<bool> {
        let (id, dry_run) = (&participant.id, self.dry_run);
        if record.unchanged {
            out(&format!(
                "{id}: {} unchanged ({}); nothing written\n",
                record.noun, record.new
            ))?;
            return Ok(false);
        }
        change_cohort_toml(ctx, cohort, dry_run, |doc| {
            let table = sub_table(participant_table(doc, id)?, record.key)?;
            for (key, value) in record.values {
                set_value(table, key, value);
            }
            Ok(())
        })?;
        let verb = if dry_run { "would record" } else { "recorded" };
        let mut text = format!(
            "{verb} the {} of {id} ({}): {}\n",
            record.noun, participant.name, record.new
        );
        if let Some(old) = record.old {
            text += &format!("  it replaces: {old}\n");
        }
        out(&text)?;
        Ok(true)
    }
}

/// A record about a participant kept in a table of their own in
/// cohort.toml: `[participant.evaluation]`, `[participant.practicum]`.
pub struct SubRecord<'a> {
    /// The table's key.
    pub key: &'a str,
    /// What it holds: "evaluation", "practicum result".
    pub noun: &'a str,
    /// The new keys, in the order a new table gets them.
    pub values: Vec<(&'a str, Value)>,
    /// The new record, and the one on file, in words.
    pub new: String,
    pub old: Option<String>,
    /// The new record is the one on file.
    pub unchanged: bool,
}

/// One row of a log read under its lock, its cells found by field.
pub struct Cells<'r> {
    text: &'r str,
    row: &'r crate::csvread::Row,
    header: &'r crate::csvread::Header,
}

impl Cells<'_> {
    /// The trimmed cell of `fields[f]`, or "" when the file has no such column.
    pub fn get(&self, f: usize) -> &str {
        self.header.cell(self.text, self.row, f)
    }
}

/// Calls `row` for each row of a log's text (read under its lock, to decide
/// what to append), its cells found by the canonical `fields` whatever the
/// file's column order and case, read by the one CSV reader
/// ([`crate::csvread`]). The loader has refused the rows that do not read
/// already, and `cohort check` lists them.
pub fn each_row(text: &str, fields: &[&str], mut row: impl FnMut(Cells<'_>)) {
    let mut reader = crate::csvread::Reader::new(text);
    let mut record = crate::csvread::Row::default();
    if !reader.read(&mut record) {
        return;
    }
    let named = |f: &&str| {
        (0..record.len()).position(|i| record.get(text, i).trim().eq_ignore_ascii_case(f))
    };
    let header = crate::csvread::Header {
        columns: fields.iter().map(named).collect(),
        width: record.len(),
    };
    while reader.read(&mut record) {
        row(Cells {
            text,
            row: &record,
            header: &header,
        });
    }
}

/// Who records: `--by`, else `COHORT_USER`, else the operating-system user.
/// A name with a control character (see [`crate::text`]) is a usage error.
pub fn recorder(by: Option<&str>) -> anyhow::Result<String> {
    let nonempty = |s: String| {
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    };
    let from_env = |var: &'static str| std::env::var(var).ok().and_then(nonempty).map(|s| (var, s));
    let who = by
        .map(str::to_string)
        .and_then(nonempty)
        .map(|s| ("--by", s))
        .or_else(|| from_env("COHORT_USER"))
        .or_else(|| from_env("USER"))
        .or_else(|| from_env("USERNAME"));
    match who {
        Some((from, name)) => {
            crate::text::check_arg(from, &name).map_err(crate::error::Error::Usage)?;
            Ok(name)
        }
        None => Ok(String::new()),
    }
}

/// Now, as RFC 3339 with the local offset: `2024-09-17T14:04:00-04:00`.
pub fn now_rfc3339() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The index of participant `id`, or a usage error with the closest id
/// (or, in a cohort nobody is enrolled in yet, how to enroll them).
pub fn participant(cohort: &Cohort, id: &str) -> anyhow::Result<usize> {
    if let Some(p) = cohort.participant_index(id) {
        return Ok(p);
    }
    if cohort.participants.is_empty() {
        crate::usage!(
            "cohort {0} has no participant \"{id}\"; it has no participants yet (`cohort enroll {0} …` adds them)",
            cohort.id
        );
    }
    crate::usage!("{}", no_participant(cohort, id))
}

/// "cohort COHORT has no participant "ID"", with a guess among the
/// cohort's participants when one is close.
pub fn no_participant(cohort: &Cohort, id: &str) -> String {
    let known = cohort.participants.iter().map(|p| p.id.as_str());
    let hint = crate::diag::did_you_mean(id, known)
        .map_or(String::new(), |g| format!("; did you mean {g}?"));
    format!("cohort {} has no participant \"{id}\"{hint}", cohort.id)
}

/// Applies `edit` to `cohorts/<id>/cohort.toml`: with `dry_run`, shows the
/// change as a diff and writes nothing; otherwise edits the file under the
/// lock, keeping its comments and layout ([`write::edit_toml`]).
///
/// `edit` runs on the file as it is under the lock, so it must check again
/// what it relies on (a participant still there, an id still free) and
/// refuse with a message when it is not.
pub fn change_cohort_toml<T>(
    ctx: &Ctx,
    id: &str,
    dry_run: bool,
    edit: impl FnOnce(&mut DocumentMut) -> Result<T, String>,
) -> anyhow::Result<T> {
    let rel = Root::cohort_toml(id);
    let path = ctx.root.path(&rel);
    if dry_run {
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {rel}"))?;
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut doc: DocumentMut = body
            .parse()
            .with_context(|| format!("cannot read {rel} as TOML"))?;
        let before = doc.to_string();
        let value = edit(&mut doc).map_err(|e| anyhow::anyhow!("{rel}: {e}"))?;
        out(&format!(
            "dry run: nothing was written; {rel} would change like this:\n{}",
            diff(&rel, &before, &doc.to_string())
        ))?;
        return Ok(value);
    }
    write::edit_toml(&path, edit).map_err(|e| match e {
        write::EditError::Edit(message) => anyhow::anyhow!("{rel}: {message}; nothing was written"),
        other => anyhow::Error::new(other).context(format!("{rel} was not changed")),
    })
}

/// The `[[participant]]` table with this id.
pub fn participant_table<'d>(doc: &'d mut DocumentMut, id: &str) -> Result<&'d mut Table, String> {
    let Some(list) = doc.get_mut("participant") else {
        return Err(format!("has no participant \"{id}\" any more"));
    };
    let Some(list) = list.as_array_of_tables_mut() else {
        return Err("participants are written as an inline array; cohort edits only [[participant]] tables, so please make the change by hand".to_string());
    };
    list.iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        .ok_or_else(|| {
            format!("has no participant \"{id}\" any more (was it changed while cohort ran?)")
        })
}

/// Sets `key` in `table`, keeping the key where it is and any comment after
/// the old value.
pub fn set_value(table: &mut Table, key: &str, mut value: Value) {
    match table.get_mut(key) {
        Some(item) => {
            if let Some(old) = item.as_value() {
                *value.decor_mut() = old.decor().clone();
            }
            *item = Item::Value(value);
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// A TOML date value.
pub fn date_value(date: chrono::NaiveDate) -> Value {
    date.format("%Y-%m-%d")
        .to_string()
        .parse()
        .expect("a formatted date is a TOML date")
}

/// The sub-table `key` of `table` (`[participant.evaluation]`), created
/// after the participant's other keys when missing.
pub fn sub_table<'t>(table: &'t mut Table, key: &str) -> Result<&'t mut Table, String> {
    if !table.contains_key(key) {
        let mut sub = Table::new();
        sub.set_implicit(false);
        table.insert(key, Item::Table(sub));
    }
    table
        .get_mut(key)
        .and_then(Item::as_table_mut)
        .ok_or_else(|| format!("`{key}` is written inline; cohort edits only [participant.{key}] tables, so please make the change by hand"))
}

/// A small line diff of one changed region, with two lines of context.
pub fn diff(rel: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix == a.len() && prefix == b.len() {
        return "  (no change)\n".to_string();
    }
    let from = prefix.saturating_sub(2);
    let mut text = format!("--- {rel}\n+++ {rel}\n@@ line {} @@\n", from + 1);
    for line in &a[from..prefix] {
        text += &format!("  {line}\n");
    }
    for line in &a[prefix..a.len() - suffix] {
        text += &format!("- {line}\n");
    }
    for line in &b[prefix..b.len() - suffix] {
        text += &format!("+ {line}\n");
    }
    for line in b[b.len() - suffix..].iter().take(2) {
        text += &format!("  {line}\n");
    }
    text
}

/// A date argument may not lie in the future of `cohort`: after today in
/// its time zone, with a day's grace ([`crate::clock`], as the loader judges
/// the rows of its logs), so that the machine's own zone does not matter.
pub fn not_in_future(
    what: &str,
    date: NaiveDate,
    ctx: &Ctx,
    cohort: &Cohort,
) -> anyhow::Result<()> {
    if let Some(why) = crate::clock::in_the_future(date, ctx.today, &cohort.timezone) {
        crate::usage!("{what} {date} {why}; record it once it has happened");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn names_finds_whole_words_only() {
        use super::names;
        assert!(names("participant p01 withdrew", "p01"));
        assert!(names("2 h of p01 will not count", "p01"));
        assert!(names("no row for p01, p02", "p02"));
        assert!(names("ends with p01.", "p01"));
        assert!(!names("participant p010 withdrew", "p01"));
        assert!(!names("participant ap01 withdrew", "p01"));
        assert!(names("webinar 1 was held", "webinar 1"));
        assert!(!names("webinar 12 was held", "webinar 1"));
    }

    #[test]
    fn diff_shows_one_region_with_context() {
        let d = diff("f", "a\nb\nc\nd\ne\n", "a\nb\nc\nX\ne\n");
        assert_eq!(d, "--- f\n+++ f\n@@ line 2 @@\n  b\n  c\n- d\n+ X\n  e\n");
        let d = diff("f", "a\n", "a\nb\n");
        assert!(d.ends_with("  a\n+ b\n"), "{d}");
    }
}
