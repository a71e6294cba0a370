//! `cohort enroll`: adds participants to a cohort, one from the command line
//! or many from a roster CSV, checked as a whole before anything is written.

use std::collections::HashMap;
use std::path::PathBuf;

use toml_edit::{Array, Item, Table, Value};

use crate::diag::{Diagnostics, Kind};
use crate::exit;
use crate::load::{Root, is_participant_id};
use crate::model::Cohort;
use crate::sheet;
use crate::term;

use super::recording::{self, change_cohort_toml};
use super::{Ctx, out};

/// Enrol participants: one with --id and --name, or many with --from roster.csv
#[derive(Debug, clap::Args)]
#[command(after_help = "\
A roster is a CSV file with the columns id,name,email and optionally \
aliases (several separated by ';'); the first row names the columns. Cells \
may be separated by ',', ';' or tabs (read from the first row), and an .xlsx \
workbook is read from its first sheet. A name with '?' where a spreadsheet \
lost its letters is refused, with how to save the file as CSV UTF-8. The \
whole roster is checked first: every problem is listed with its line, and \
nothing is enrolled until all are fixed.

The name is printed on certificates exactly as written. Aliases are other \
names or emails the person uses in meeting reports (for --from-zoom).

Examples:
  cohort enroll 2025-winter --id p01 --name \"Jordan Lee\" --email jordan@example.org
  cohort enroll 2025-winter --id p02 --name \"Sam Roe\" --alias \"Sam R\" --alias sam.r@example.com
  cohort enroll 2025-winter --from roster.csv --dry-run
  cohort enroll 2025-winter --from roster.xlsx")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT", add = crate::complete::cohorts())]
    pub cohort: String,
    /// The participant's id, unique in the cohort (lower-case letters, digits, '.', '_', '-')
    #[arg(long, value_name = "ID", required_unless_present = "from")]
    pub id: Option<String>,
    /// The name exactly as it is to be printed on a certificate
    #[arg(long, value_name = "NAME", required_unless_present = "from")]
    pub name: Option<String>,
    /// Email address
    #[arg(long, value_name = "E")]
    pub email: Option<String>,
    /// Another name or email seen in meeting reports; repeat for several
    #[arg(long, value_name = "A")]
    pub alias: Vec<String>,
    /// A roster (CSV or .xlsx) with the columns id,name,email[,aliases]
    #[arg(long, value_name = "FILE", conflicts_with_all = ["id", "name", "email", "alias"])]
    pub from: Option<PathBuf>,
    /// Show the change to cohort.toml; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// One person to enrol.
#[derive(Debug, Clone)]
struct Person {
    id: String,
    name: String,
    email: Option<String>,
    aliases: Vec<String>,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let rel = Root::cohort_toml(&args.cohort);
    let loaded = recording::load_for_change(ctx, &args.cohort, &[&rel])?;
    loaded.show_warnings(&[], None, &[&rel]);
    let mut diags = Diagnostics::default();
    let src = source(args, &mut diags)?;
    let warnings = validate(&loaded.data.cohort, &src, &mut diags);
    if diags.has_errors() {
        diags.print(term::stderr_color());
        let n = diags.errors();
        term::eprint(&format!(
            "cohort: {n} {} in {}; nothing was enrolled\n",
            if n == 1 { "problem" } else { "problems" },
            src.shown
        ));
        // A bad roster is bad data (1); a bad command line is a usage error (2).
        return Ok(if src.roster.is_some() {
            exit::FAILURE
        } else {
            exit::USAGE
        });
    }
    if src.people.is_empty() {
        anyhow::bail!(
            "{} has no participants (only a header?); nothing was enrolled",
            src.shown
        );
    }
    for w in &warnings {
        term::eprint(&format!("cohort: warning: {w}\n"));
    }
    write(ctx, args, &src.people)?;
    let verb = if args.dry_run {
        "would enrol"
    } else {
        "enrolled"
    };
    let n = src.people.len();
    let mut text = format!(
        "{verb} {n} participant{} in cohort {}:\n",
        if n == 1 { "" } else { "s" },
        args.cohort
    );
    for p in &src.people {
        text += &format!("  {}  {}\n", p.id, p.name);
    }
    out(&text)?;
    Ok(exit::SUCCESS)
}

/// The people to enrol: those of a roster, or the one of the command line.
struct Source {
    people: Vec<Person>,
    /// Each person's line of the roster; 0 for the command line.
    lines: Vec<usize>,
    /// Where they come from, for messages.
    shown: String,
    roster: Option<sheet::Table>,
}

impl Source {
    /// A problem with the person of `line`, located where they come from.
    fn problem(&self, kind: Kind, diags: &mut Diagnostics, line: usize, message: String) {
        match &self.roster {
            Some(table) if line > 0 => table.error(kind, diags, line, None, message),
            _ => diags.error(kind, "command line", None, message),
        };
    }
}

/// The people `--from` names (its problems in `diags`), or the one of `--id`.
fn source(args: &Args, diags: &mut Diagnostics) -> anyhow::Result<Source> {
    let (rows, shown, roster) = match &args.from {
        Some(path) => {
            let (table, rows) = read_roster(path, diags)?;
            (rows, path.display().to_string(), Some(table))
        }
        None => {
            let trimmed = |s: &Option<String>| s.as_deref().unwrap_or_default().trim().to_string();
            let person = Person {
                id: trimmed(&args.id),
                name: trimmed(&args.name),
                email: Some(trimmed(&args.email)).filter(|e| !e.is_empty()),
                aliases: args.alias.iter().map(|a| a.trim().to_string()).collect(),
            };
            (vec![(person, 0)], "the command line".to_string(), None)
        }
    };
    let (people, lines) = rows.into_iter().unzip();
    Ok(Source {
        people,
        lines,
        shown,
        roster,
    })
}

/// Every problem of the people to enrol, in `diags`, all of them; the
/// warnings (an email shared) returned.
fn validate(cohort: &Cohort, src: &Source, diags: &mut Diagnostics) -> Vec<String> {
    let unit = src.roster.as_ref().map_or("line", sheet::Table::unit);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut emails: HashMap<String, String> = cohort
        .participants
        .iter()
        .filter_map(|p| Some((p.email.as_ref()?.trim().to_lowercase(), p.id.clone())))
        .collect();
    let mut warnings = Vec::new();
    for (person, &line) in src.people.iter().zip(&src.lines) {
        let id = &person.id;
        let mut problem = |kind, message| src.problem(kind, diags, line, message);
        let first = seen.get(id.as_str()).copied();
        id_problem(cohort, &src.people, id, first, unit, &mut problem);
        seen.entry(id).or_insert(line);
        name_problem(person, src.roster.is_none(), &mut problem);
        if let Some(e) = &person.email {
            if !is_email(e) {
                problem(
                    Kind::BadEmail,
                    format!(
                        "participant {id}: email \"{e}\" is not an email address (like name@example.org)"
                    ),
                );
            } else if let Some(other) = emails.insert(e.to_lowercase(), id.clone()) {
                warnings.push(format!(
                    "{id} has the same email as {other}; meeting reports cannot tell them apart"
                ));
            }
        }
        if person.aliases.iter().any(String::is_empty) {
            problem(
                Kind::EmptyValue,
                format!(
                    "participant {id}: an alias is empty; leave it out or write the other name"
                ),
            );
        }
    }
    warnings
}

/// What is wrong with the id `id` of one of `people`: empty, not an id,
/// enrolled already, or given before (on line `first`).
fn id_problem(
    cohort: &Cohort,
    people: &[Person],
    id: &str,
    first: Option<usize>,
    unit: &str,
    problem: &mut impl FnMut(Kind, String),
) {
    // Ids of the cohort and of everyone being enrolled, for suggestions.
    let taken = || {
        cohort
            .participants
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .chain(people.iter().map(|p| (p.id.as_str(), p.name.as_str())))
    };
    if id.is_empty() {
        problem(
            Kind::EmptyParticipant,
            format!(
                "id is empty; every participant needs an id; {}",
                crate::suggest::id_remedy("", taken())
            ),
        );
    } else if !is_participant_id(id) {
        problem(
            Kind::BadParticipantId,
            format!(
                "id \"{id}\" is not valid: use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit; {}",
                crate::suggest::id_remedy(id, taken())
            ),
        );
    } else if let Some(p) = cohort.participant_index(id) {
        problem(
            Kind::AlreadyEnrolled,
            format!(
                "id \"{id}\" is already enrolled in cohort {} ({}); choose another id",
                cohort.id, cohort.participants[p].name
            ),
        );
    } else if let Some(first) = first {
        problem(
            Kind::DuplicateParticipant,
            format!(
                "id \"{id}\" is given twice (also on {unit} {first}); every participant needs an id of their own"
            ),
        );
    }
}

/// What is wrong with a name to be printed on a certificate.
fn name_problem(person: &Person, typed: bool, problem: &mut impl FnMut(Kind, String)) {
    let id = &person.id;
    if person.name.is_empty() {
        problem(
            Kind::EmptyName,
            format!(
                "participant {id}: the name is empty; give the name exactly as it is to be printed on the certificate"
            ),
        );
    } else if typed && sheet::lost_letters(&person.name) {
        // A roster's names are checked as it is read, with its own help.
        problem(
            Kind::LostLetters,
            format!(
                "participant {id}: the name \"{}\" has \"?\" where letters were lost; type it with its letters, exactly as it is to be printed on the certificate",
                person.name
            ),
        );
    } else if person.name.chars().any(char::is_control) {
        problem(
            Kind::ControlCharacter,
            format!(
                "participant {id}: the name holds a control character (a tab or line break); write it on one line"
            ),
        );
    }
}

/// Adds `people` to cohort.toml, unless someone enrolled one of them meanwhile.
fn write(ctx: &Ctx, args: &Args, people: &[Person]) -> anyhow::Result<()> {
    change_cohort_toml(ctx, &args.cohort, args.dry_run, |doc| {
        let list = doc
            .entry("participant")
            .or_insert(Item::ArrayOfTables(Default::default()))
            .as_array_of_tables_mut()
            .ok_or("participants are written as an inline array; cohort adds only [[participant]] tables, so please enrol by hand")?;
        for person in people {
            if list
                .iter()
                .any(|t| t.get("id").and_then(Item::as_str) == Some(person.id.as_str()))
            {
                return Err(format!(
                    "participant \"{}\" was enrolled by someone else meanwhile",
                    person.id
                ));
            }
            list.push(table(person));
        }
        Ok(())
    })
}

/// The loader's rule, a little stricter: one `@` with text on both sides, no spaces.
fn is_email(e: &str) -> bool {
    e.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty()
            && host.contains('.')
            && !host.contains('@')
            && !e.chars().any(char::is_whitespace)
    })
}

fn table(p: &Person) -> Table {
    let mut t = Table::new();
    t.decor_mut().set_prefix("\n");
    t.insert("id", toml_edit::value(p.id.as_str()));
    t.insert("name", toml_edit::value(p.name.as_str()));
    if let Some(e) = &p.email {
        t.insert("email", toml_edit::value(e.as_str()));
    }
    if !p.aliases.is_empty() {
        let aliases: Array = p.aliases.iter().map(|a| Value::from(a.as_str())).collect();
        t.insert("aliases", toml_edit::value(aliases));
    }
    t
}

/// Reads a roster (CSV or .xlsx, see [`sheet`]): each person with their
/// line or row. Per-row problems go into `diags`; a file that cannot be
/// used at all is bad data (exit 1), one that is not there a usage error.
fn read_roster(
    path: &std::path::Path,
    diags: &mut Diagnostics,
) -> anyhow::Result<(sheet::Table, Vec<(Person, usize)>)> {
    let table = sheet::read(path, "roster", diags)?;
    let shown = &table.shown;
    let header = &table.header;
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(c_id), Some(c_name)) = (col("id"), col("name")) else {
        anyhow::bail!(
            "{shown}: the first {} must name the columns id,name and optionally email and aliases; it is \"{}\"",
            table.unit(),
            table.header_text
        );
    };
    let (c_email, c_aliases) = (col("email"), col("aliases"));
    let mut people = Vec::new();
    for (line, record) in &table.rows {
        let line = *line;
        // Names, emails and aliases end up in cohort.toml and on certificates.
        if let Some((i, c)) = record
            .iter()
            .enumerate()
            .find_map(|(i, cell)| crate::text::forbidden(cell.trim()).map(|c| (i, c)))
        {
            // Located as every roster problem is: a line, or a sheet's row.
            let message = crate::text::problem(&format!("cell {}", i + 1), c);
            table
                .error(Kind::ControlCharacter, diags, line, Some(i), message)
                .help("remove it in the roster and run this again");
            continue;
        }
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).cloned().unwrap_or_default();
        let person = Person {
            id: cell(Some(c_id)),
            name: cell(Some(c_name)),
            email: Some(cell(c_email)).filter(|e| !e.is_empty()),
            aliases: cell(c_aliases)
                .split(';')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
        };
        // A name is printed on certificates as written: a `?` where a
        // spreadsheet lost its letters must never get that far.
        for name in std::iter::once(&person.name).chain(&person.aliases) {
            if sheet::lost_letters(name) && !name.contains('@') {
                let message = format!(
                    "participant {}: the name \"{name}\" has \"?\" where letters were lost",
                    person.id
                );
                table
                    .error(Kind::LostLetters, diags, line, None, message)
                    .help(table.lost_letters_help());
            }
        }
        people.push((person, line));
    }
    Ok((table, people))
}
