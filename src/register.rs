//! The certificate register `certificates.csv`: load, validate, cross-check.
//!
//! Append-only: a certificate is one `issued` row; a revocation is a later
//! `revoked` row with the same number. `name`, `level` and `date` are frozen
//! as printed, so the register, not today's records, says what a certificate
//! says. Every problem is a located [`Diagnostic`](crate::diag::Diagnostic),
//! like the other loaders'.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate};
use csv::StringRecord;

use crate::certnum::{self, Reading};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, CohortData, FileKind, Root, cell_span, is_participant_id, is_slug};
use crate::model::{Curriculum, Participant};
use crate::rules::{self, Level};

/// Where the register lives, relative to the data root.
pub const REGISTER: &str = "certificates.csv";

/// The register's columns, in the order `cohort` writes them.
pub const FIELDS: &[&str] = &[
    "number",
    "cohort",
    "participant",
    "name",
    "level",
    "date",
    "issued_at",
    "status",
    "reason",
];
const REQUIRED: &[&str] = &[
    "number",
    "cohort",
    "participant",
    "name",
    "level",
    "date",
    "status",
];
const F_NUMBER: usize = 0;
const F_COHORT: usize = 1;
const F_PARTICIPANT: usize = 2;
const F_NAME: usize = 3;
const F_LEVEL: usize = 4;
const F_DATE: usize = 5;
const F_AT: usize = 6;
const F_STATUS: usize = 7;
const F_REASON: usize = 8;

/// One issued certificate, as printed, and its revocation if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// Line of the `issued` row.
    pub line: usize,
    /// Canonical form, `PREFIX-XXXX-XXXX-C`.
    pub number: String,
    pub cohort: String,
    pub participant: String,
    pub name: String,
    pub level: Level,
    /// The date the level was reached.
    pub date: NaiveDate,
    pub issued_at: String,
    pub revoked: Option<Revocation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub line: usize,
    /// When the `revoked` row was written (its `issued_at` cell).
    pub at: String,
    pub reason: String,
}

impl Revocation {
    /// The date part of `at`.
    pub fn date(&self) -> &str {
        self.at.get(..10).unwrap_or(&self.at)
    }
}

impl Certificate {
    /// The `issued` row, in [`FIELDS`] order.
    pub fn issued_record(&self) -> Vec<String> {
        self.record(&self.issued_at, "issued", "")
    }

    /// A `revoked` row for this certificate: it repeats what was revoked so
    /// the register reads on its own.
    pub fn revoked_record(&self, at: &str, reason: &str) -> Vec<String> {
        self.record(at, "revoked", reason)
    }

    fn record(&self, at: &str, status: &str, reason: &str) -> Vec<String> {
        vec![
            self.number.clone(),
            self.cohort.clone(),
            self.participant.clone(),
            self.name.clone(),
            self.level.to_string(),
            self.date.to_string(),
            at.to_string(),
            status.to_string(),
            reason.to_string(),
        ]
    }
}

/// Every certificate in the register, in the order issued. Rows with errors
/// are left out (and reported).
#[derive(Debug, Clone, Default)]
pub struct Register {
    pub certificates: Vec<Certificate>,
    /// Where each number is in `certificates`: `verify` looks one up in
    /// constant time, however long the register.
    by_number: HashMap<String, usize>,
    /// The certificates of each cohort and participant, in order; looked
    /// up by `&str`, without building a key.
    by_holder: HashMap<String, HashMap<String, Vec<usize>>>,
}

impl Register {
    /// Adds a certificate read from the register, indexed.
    fn add(&mut self, cert: Certificate) {
        let i = self.certificates.len();
        self.by_number.insert(cert.number.clone(), i);
        let cohort = match self.by_holder.get_mut(cert.cohort.as_str()) {
            Some(cohort) => cohort,
            None => self.by_holder.entry(cert.cohort.clone()).or_default(),
        };
        match cohort.get_mut(cert.participant.as_str()) {
            Some(list) => list.push(i),
            None => {
                cohort.insert(cert.participant.clone(), vec![i]);
            }
        }
        self.certificates.push(cert);
    }

    pub fn get(&self, number: &str) -> Option<&Certificate> {
        self.by_number.get(number).map(|&i| &self.certificates[i])
    }

    pub fn numbers(&self) -> impl Iterator<Item = &str> {
        self.certificates.iter().map(|c| c.number.as_str())
    }

    /// Certificates that are not revoked.
    pub fn valid(&self) -> impl Iterator<Item = &Certificate> {
        self.certificates.iter().filter(|c| c.revoked.is_none())
    }

    /// The unrevoked certificate a participant holds for `level`, if any.
    pub fn held(&self, cohort: &str, participant: &str, level: Level) -> Option<&Certificate> {
        self.by_holder
            .get(cohort)?
            .get(participant)?
            .iter()
            .map(|&i| &self.certificates[i])
            .find(|c| c.level == level && c.revoked.is_none())
    }

    /// The prefixes that begin registered numbers (a curriculum may have been renamed).
    pub fn prefixes(&self) -> Vec<&str> {
        let mut prefixes: Vec<&str> = self.numbers().filter_map(|n| n.split('-').next()).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        prefixes
    }
}

/// Reads the register below `root`; a missing file is an empty register.
pub fn load(root: &Root, diags: &mut Diagnostics) -> Register {
    match load::read_source(root, REGISTER, FileKind::Csv, diags) {
        Ok(Some(src)) => parse(&src.text, diags),
        Ok(None) | Err(load::Reported) => Register::default(),
    }
}

/// The certificate levels; `Incomplete` earns none.
fn certificate_level(text: &str) -> Option<Level> {
    Level::parse(text).filter(|l| *l != Level::Incomplete)
}

/// An RFC 3339 timestamp, or a plain date for rows entered by hand.
fn is_timestamp(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok()
        || NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// Parses and validates the register's text (as read, or as held under the lock).
pub fn parse(text: &str, diags: &mut Diagnostics) -> Register {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = crate::lines::lines(text).collect();
    let mut counter = crate::lines::LineCounter::new(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut register = Register::default();
    let mut record = StringRecord::new();
    match rdr.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return register,
        Err(e) => {
            diags.error(REGISTER, Some(1), format!("cannot be read as CSV: {e}"));
            return register;
        }
    }
    let Some((columns, width)) = header(&record, lines.first().copied().unwrap_or(""), diags)
    else {
        return register;
    };
    let file = Located {
        lines: &lines,
        columns: &columns,
    };
    let cell = |record: &StringRecord, f: usize| {
        columns[f]
            .and_then(|i| record.get(i))
            .map_or("", str::trim)
            .to_string()
    };
    let mut last_line = 1;
    loop {
        match rdr.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                diags.error(
                    REGISTER,
                    Some(last_line + 1),
                    format!("cannot be read as CSV: {e}"),
                );
                break;
            }
        }
        let line = record
            .position()
            .map_or(last_line + 1, |p| counter.record_at(p.byte() as usize));
        last_line = line;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != width {
            file.error(
                diags,
                line,
                None,
                format!("row has {} cells but the header has {width}", record.len()),
                "a comma inside a cell needs the cell in double quotes, e.g. \"Brooks, Jr.\""
                    .into(),
            );
            continue;
        }
        if let Some((i, c)) = record
            .iter()
            .enumerate()
            .find_map(|(i, c)| crate::text::forbidden(c.trim()).map(|c| (i, c)))
        {
            let f = columns.iter().position(|&col| col == Some(i));
            file.error(
                diags,
                line,
                f,
                crate::text::problem(&format!("cell {}", i + 1), c),
                "certificate rows are written by `cohort issue` and `cohort revoke`; restore the row from git history".into(),
            );
            continue;
        }
        let typed = cell(&record, F_NUMBER);
        // Each number is read with its own prefix: the curriculum's may have changed since.
        let prefix = typed.split('-').next().unwrap_or("").to_ascii_uppercase();
        let number = match certnum::read(&typed, &prefix) {
            Reading::Valid(n) if n == typed => n,
            Reading::Valid(n) => {
                file.warning(
                    diags,
                    line,
                    Some(F_NUMBER),
                    format!("number \"{typed}\" is not written the way cohort writes it"),
                )
                .help(format!("write it as {n}"));
                n
            }
            Reading::Mistyped { canonical } => {
                file.error(
                    diags,
                    line,
                    Some(F_NUMBER),
                    format!("number {canonical} has a check character that does not fit: a character was changed or mistyped"),
                    "certificate numbers are only ever written by `cohort issue`; restore the number from the printed certificate or from git history".into(),
                );
                continue;
            }
            Reading::Malformed(why) => {
                file.error(
                    diags,
                    line,
                    Some(F_NUMBER),
                    format!("number \"{typed}\" is not a certificate number: {why}"),
                    "numbers look like PSCE-7K3M-9X2Q-H (prefix, eight characters, one check character)".into(),
                );
                continue;
            }
        };
        let status = cell(&record, F_STATUS);
        let at = cell(&record, F_AT);
        if !is_timestamp(&at) {
            file.error(
                diags,
                line,
                Some(F_AT),
                if at.is_empty() { "issued_at is empty".to_string() } else { format!("issued_at \"{at}\" is not a timestamp") },
                "write when the row was recorded, like 2025-03-14T10:05:00-04:00 (or a date, 2025-03-14)".into(),
            );
            continue;
        }
        match status.to_lowercase().as_str() {
            "issued" => {
                let cohort = cell(&record, F_COHORT);
                let participant = cell(&record, F_PARTICIPANT);
                let name = cell(&record, F_NAME);
                let level_text = cell(&record, F_LEVEL);
                let date_text = cell(&record, F_DATE);
                if !is_slug(&cohort) {
                    file.error(
                        diags,
                        line,
                        Some(F_COHORT),
                        format!("cohort \"{cohort}\" is not a cohort id"),
                        "cohort ids are lower-case letters, digits and dashes, e.g. 2024-fall"
                            .into(),
                    );
                    continue;
                }
                if !is_participant_id(&participant) {
                    file.error(diags, line, Some(F_PARTICIPANT), format!("participant \"{participant}\" is not a participant id"), "participant ids are lower-case letters, digits, dots, dashes and underscores, e.g. p01".into());
                    continue;
                }
                if name.is_empty() {
                    file.error(
                        diags,
                        line,
                        Some(F_NAME),
                        "name is empty".into(),
                        "the name is the one printed on the certificate".into(),
                    );
                    continue;
                }
                let Some(level) = certificate_level(&level_text) else {
                    file.error(
                        diags,
                        line,
                        Some(F_LEVEL),
                        format!("level \"{level_text}\" is not a certificate level"),
                        "write Level 1, Level 1R or Certified".into(),
                    );
                    continue;
                };
                let Ok(date) = NaiveDate::parse_from_str(&date_text, "%Y-%m-%d") else {
                    file.error(
                        diags,
                        line,
                        Some(F_DATE),
                        format!("date \"{date_text}\" is not a date"),
                        "write the date the level was reached, like 2024-11-07 (YYYY-MM-DD)".into(),
                    );
                    continue;
                };
                if let Some(&first) = register.by_number.get(&number) {
                    let first = register.certificates[first].line;
                    // The very same row again: a git merge done twice.
                    if lines.get(first - 1).map(|l| l.trim_end())
                        == lines.get(line - 1).map(|l| l.trim_end())
                    {
                        file.warning(diags, line, None, format!("repeats line {first} exactly: a git merge done twice leaves such copies"))
                            .help("it changes nothing (one certificate, one number); you may delete the copy");
                        continue;
                    }
                    file.error(
                        diags,
                        line,
                        Some(F_NUMBER),
                        format!("number {number} was already issued on line {first}"),
                        "every certificate has its own number; a number is never issued twice"
                            .into(),
                    );
                    continue;
                }
                register.add(Certificate {
                    line,
                    number,
                    cohort,
                    participant,
                    name,
                    level,
                    date,
                    issued_at: at,
                    revoked: None,
                });
            }
            "revoked" => {
                let Some(&i) = register.by_number.get(&number) else {
                    file.error(
                        diags,
                        line,
                        Some(F_NUMBER),
                        format!("revokes {number}, but no earlier row issued it"),
                        "a revoked row repeats the number of an issued row above it; `cohort revoke` writes it".into(),
                    );
                    continue;
                };
                let cert = &mut register.certificates[i];
                if let Some(before) = &cert.revoked {
                    file.warning(
                        diags,
                        line,
                        Some(F_NUMBER),
                        format!("{number} was already revoked on line {}", before.line),
                    )
                    .help("the first revocation stands; this row changes nothing");
                    continue;
                }
                // What the row repeats must be what was issued.
                let issued = cert.issued_record();
                for f in [F_COHORT, F_PARTICIPANT, F_NAME, F_LEVEL, F_DATE] {
                    let value = cell(&record, f);
                    let same = match f {
                        F_LEVEL => certificate_level(&value) == Some(cert.level),
                        _ => value == issued[f],
                    };
                    if !value.is_empty() && !same {
                        file.warning(diags, line, Some(f), format!("{} \"{value}\" differs from the issued row of {number} (line {}: \"{}\")", FIELDS[f], cert.line, issued[f]))
                            .help("the issued row is what was printed; this cell is ignored");
                    }
                }
                let reason = cell(&record, F_REASON);
                if reason.is_empty() {
                    file.warning(diags, line, Some(F_REASON), format!("the revocation of {number} gives no reason"))
                        .help("`cohort verify --staff` tells staff why a certificate was revoked; say why in the reason column");
                }
                cert.revoked = Some(Revocation { line, at, reason });
            }
            _ => {
                file.error(diags, line, Some(F_STATUS), format!("status \"{status}\" is not issued or revoked"), "a certificate row is `issued`; a later row with the same number and `revoked` revokes it".into());
            }
        }
    }
    register
}

/// The register's lines and columns, to underline the cell a problem is in.
struct Located<'a> {
    lines: &'a [&'a str],
    columns: &'a [Option<usize>],
}

impl Located<'_> {
    fn error(
        &self,
        diags: &mut Diagnostics,
        line: usize,
        f: Option<usize>,
        message: String,
        help: String,
    ) {
        let (text, start, end) = self.span(line, f);
        diags
            .error(REGISTER, Some(line), message)
            .excerpt(text, start, end)
            .help(help);
    }

    fn warning<'d>(
        &self,
        diags: &'d mut Diagnostics,
        line: usize,
        f: Option<usize>,
        message: String,
    ) -> &'d mut Diagnostic {
        let (text, start, end) = self.span(line, f);
        diags
            .warning(REGISTER, Some(line), message)
            .excerpt(text, start, end)
    }

    /// The line's text and the byte range of field `f` in it (the whole line without one).
    fn span(&self, line: usize, f: Option<usize>) -> (&str, usize, usize) {
        let text = self.lines.get(line - 1).copied().unwrap_or("");
        let span = f
            .and_then(|f| self.columns[f])
            .and_then(|i| cell_span(text, i));
        let (start, end) = span.unwrap_or((0, text.len()));
        (text, start, end)
    }
}

/// Maps [`FIELDS`] to the file's columns; `None` (errors recorded) when required ones are missing.
fn header(
    record: &StringRecord,
    line: &str,
    diags: &mut Diagnostics,
) -> Option<(Vec<Option<usize>>, usize)> {
    let names = record.iter().map(str::to_string);
    let columns = load::map_header(REGISTER, names, line, FIELDS, REQUIRED, diags)?;
    Some((columns, record.len()))
}

/// The date a participant reached `level`: the trainers' evaluation for
/// Level 1 and 1R, the practicum result for Certified.
pub fn level_date(participant: &Participant, level: Level) -> Option<NaiveDate> {
    match level {
        Level::Incomplete => None,
        Level::Level1 | Level::Level1R => participant.evaluation.as_ref().map(|e| e.date),
        Level::Certified => participant.practicum.as_ref().map(|p| p.date),
    }
}

/// What certificates need of one cohort whose records loaded without
/// errors: who stands at which level, and since when. Small, so that
/// commands over every cohort need not keep every cohort's records.
pub struct CohortLevels {
    pub cohort: String,
    /// The cohort's display name (`name` in cohort.toml).
    pub name: String,
    pub trainers: Vec<String>,
    /// participant id → where they stand.
    pub people: HashMap<String, Standing>,
}

pub struct Standing {
    pub name: String,
    pub email: Option<String>,
    pub level: Level,
    /// When the level was reached (see [`level_date`]).
    pub since: Option<NaiveDate>,
}

impl CohortLevels {
    pub fn of(curriculum: &Curriculum, data: &CohortData, today: NaiveDate) -> CohortLevels {
        let outcomes = rules::evaluate_cohort(curriculum, &data.cohort, &data.records, today);
        CohortLevels {
            cohort: data.cohort.id.clone(),
            name: data.cohort.name.clone(),
            trainers: data.cohort.trainers.clone(),
            people: data
                .cohort
                .participants
                .iter()
                .zip(outcomes)
                .map(|(p, o)| {
                    let standing = Standing {
                        name: p.name.clone(),
                        email: p.email.clone(),
                        level: o.level,
                        since: level_date(p, o.level),
                    };
                    (p.id.clone(), standing)
                })
                .collect(),
        }
    }
}

/// An error for every unrevoked certificate of a person and level that
/// already holds an earlier one (two machines each issued one, and git's
/// union merge kept both): the later one is to be revoked.
pub fn issued_twice(register: &Register, diags: &mut Diagnostics) {
    let mut first: std::collections::HashMap<(&str, &str, Level), &Certificate> =
        std::collections::HashMap::new();
    let mut valid: Vec<&Certificate> = register.valid().collect();
    // The earliest issued is kept; the register's order settles a tie.
    valid.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.line.cmp(&b.line)));
    for cert in valid {
        let key = (cert.cohort.as_str(), cert.participant.as_str(), cert.level);
        match first.get(&key) {
            None => {
                first.insert(key, cert);
            }
            Some(kept) => {
                diags
                    .error(
                        REGISTER,
                        Some(cert.line),
                        format!(
                            "{} of {} holds two {} certificates: {} (line {}, issued {}) and {} (line {}, issued {}), most likely issued on two machines",
                            cert.participant, cert.cohort, cert.level, kept.number, kept.line, kept.issued_at, cert.number, cert.line, cert.issued_at
                        ),
                    )
                    .help(format!(
                        "keep the first and revoke the later one: cohort revoke {} --reason \"issued twice\" (if the later one is the one already handed out, revoke {} instead)",
                        cert.number, kept.number
                    ));
            }
        }
    }
}

/// Warnings where the register and the records disagree: a certificate of a
/// cohort or participant that no longer exists, or one whose level the
/// records no longer give (a correction after issue). `cohort_ids` are all
/// cohort folders; `loaded` the cohorts whose records were read.
pub fn cross_check(
    register: &Register,
    cohort_ids: &[String],
    loaded: &[CohortLevels],
    diags: &mut Diagnostics,
) {
    issued_twice(register, diags);
    let known: HashSet<&str> = cohort_ids.iter().map(String::as_str).collect();
    let loaded: HashMap<&str, &CohortLevels> =
        loaded.iter().map(|c| (c.cohort.as_str(), c)).collect();
    for cert in &register.certificates {
        if !known.contains(cert.cohort.as_str()) {
            diags
                .warning(REGISTER, Some(cert.line), format!("certificate {} is of cohort {}, which has no cohorts/{}/cohort.toml", cert.number, cert.cohort, cert.cohort))
                .help("the certificate stays valid; restore the cohort folder (e.g. from git) to keep its records");
            continue;
        }
        let Some(data) = loaded.get(cert.cohort.as_str()) else {
            continue;
        };
        let Some(now) = data.people.get(&cert.participant).map(|s| s.level) else {
            diags
                .warning(
                    REGISTER,
                    Some(cert.line),
                    format!(
                        "certificate {} is of participant {}, who is not in cohort {}",
                        cert.number, cert.participant, cert.cohort
                    ),
                )
                .help(format!(
                    "the certificate stays valid; restore {} to {}",
                    cert.participant,
                    Root::cohort_toml(&data.cohort)
                ));
            continue;
        };
        if cert.revoked.is_none() && now < cert.level {
            diags
                .warning(REGISTER, Some(cert.line), format!("certificate {} was issued for {}, but the records of {} in {} now give {now}", cert.number, cert.level, cert.participant, cert.cohort))
                .help(format!("if the records were corrected after it was issued, revoke it: cohort revoke {} --reason \"…\"", cert.number));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "number,cohort,participant,name,level,date,issued_at,status,reason\n";

    fn number(payload: &str) -> String {
        let check = certnum::check_char(payload.as_bytes()) as char;
        format!("PSCE-{}-{}-{check}", &payload[..4], &payload[4..])
    }

    fn parse_text(rows: &str) -> (Register, Diagnostics) {
        let mut diags = Diagnostics::default();
        let register = parse(&format!("{HEADER}{rows}"), &mut diags);
        (register, diags)
    }

    fn messages(diags: &Diagnostics) -> Vec<String> {
        diags
            .items
            .iter()
            .map(|d| format!("{}:{:?}: {}", d.line.unwrap_or(0), d.severity, d.message))
            .collect()
    }

    #[test]
    fn reads_issued_and_revoked_rows() {
        let n = number("7K3M9X2Q");
        let (register, diags) = parse_text(&format!(
            "{n},2024-fall,p01,\"Brooks, Jr.\",Certified,2025-02-04,2025-03-01T10:00:00-05:00,issued,\n\
             {n},2024-fall,p01,\"Brooks, Jr.\",Certified,2025-02-04,2025-04-01T10:00:00-04:00,revoked,name misspelt\n"
        ));
        assert!(diags.items.is_empty(), "{:?}", messages(&diags));
        let cert = register.get(&n).unwrap();
        assert_eq!(
            (cert.name.as_str(), cert.level, cert.line),
            ("Brooks, Jr.", Level::Certified, 2)
        );
        let revoked = cert.revoked.as_ref().unwrap();
        assert_eq!(
            (revoked.line, revoked.reason.as_str(), revoked.date()),
            (3, "name misspelt", "2025-04-01")
        );
        assert_eq!(register.valid().count(), 0);
    }

    #[test]
    fn every_kind_of_bad_row_is_located() {
        let n = number("7K3M9X2Q");
        let m = number("00000001");
        let mut typo = n.clone();
        typo.replace_range(5..6, "8");
        let (register, diags) = parse_text(&format!(
            "{typo},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,issued,\n\
             PSCE-7K3U-9X2Q-H,2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,issued,\n\
             {n},2024-fall,p01,A,Incomplete,2024-11-07,2024-11-08,issued,\n\
             {n},2024-fall,p01,A,Level 1,7 Nov 2024,2024-11-08,issued,\n\
             {n},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,granted,\n\
             {m},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,revoked,why\n\
             {n},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,issued,\n\
             {n},2024-fall,p02,B,Level 1,2024-11-07,2024-11-08,issued,\n\
             {m},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,issued,\n\
             {n},2024-fall,p01,A,Level 1,2024-11-07,yesterday,revoked,x\n\
             {n},2024-fall,p01\n"
        ));
        let got = messages(&diags);
        let expect = [
            "2:Error: number",
            "3:Error: number \"PSCE-7K3U-9X2Q-H\" is not a certificate number: 'U'",
            "4:Error: level \"Incomplete\" is not a certificate level",
            "5:Error: date \"7 Nov 2024\" is not a date",
            "6:Error: status \"granted\" is not issued or revoked",
            "7:Error: revokes",
            "9:Error: number",
            "11:Error: issued_at \"yesterday\"",
            "12:Error: row has 3 cells but the header has 9",
        ];
        assert_eq!(got.len(), expect.len(), "{got:#?}");
        for (g, e) in got.iter().zip(expect) {
            assert!(g.starts_with(e), "{g} / {e}");
        }
        assert!(
            got[0].contains("check character that does not fit"),
            "{}",
            got[0]
        );
        assert!(got[6].contains("already issued on line 8"), "{}", got[6]);
        assert_eq!(register.certificates.len(), 2);
    }

    #[test]
    fn header_problems_stop_the_read() {
        let mut diags = Diagnostics::default();
        parse("number,cohort,participant,name,date,status\n", &mut diags);
        assert_eq!(
            messages(&diags),
            ["1:Error: the header has no \"level\" column"]
        );
        let mut diags = Diagnostics::default();
        let text = format!("{},Number\n", HEADER.trim_end());
        parse(&text, &mut diags);
        assert!(
            messages(&diags)[0].contains("appears twice"),
            "{:?}",
            messages(&diags)
        );
    }

    #[test]
    fn lower_case_numbers_are_read_and_flagged() {
        let n = number("7K3M9X2Q");
        let (register, diags) = parse_text(&format!(
            "{},2024-fall,p01,A,1r,2024-11-07,2024-11-08,issued,\n",
            n.to_lowercase()
        ));
        assert_eq!(register.certificates[0].number, n);
        assert_eq!(register.certificates[0].level, Level::Level1R);
        assert!(
            messages(&diags)[0].starts_with("2:Warning: number"),
            "{:?}",
            messages(&diags)
        );
    }
}
