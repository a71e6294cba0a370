//! `cohort init`: starts a data root from nothing — the program's
//! curriculum from the template built into the binary, `cohorts/`, and the
//! files that make it a good git repository (SPEC "Sharing").

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context as _;

use crate::write;

use super::done;

/// The shipped curriculum: 17 webinars covering the Core Essentials
/// syllabus. A test holds it equal to the repository's own curriculum.toml.
pub const CURRICULUM_TEMPLATE: &str = include_str!("../../templates/curriculum.toml");

/// Git merges the append-only logs by keeping the new rows of both sides
/// (its built-in `union` driver); cohort.toml merges as text, as usual.
pub const GITATTRIBUTES: &str = "\
# Written by `cohort init`. The attendance and practicum logs and the
# certificate register are append-only: when two machines append rows,
# git's built-in union merge keeps the rows of both, so they never
# conflict. `cohort check` finds what a merge can leave (a row twice, one
# webinar recorded differently on two machines). cohort.toml merges as
# ordinary text.
cohorts/*/attendance/*.csv merge=union
cohorts/*/practicum.csv merge=union
certificates.csv merge=union
";

/// Start a new data root: curriculum.toml, cohorts/ and git
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Writes DIR/curriculum.toml (the program: 17 two-hour webinars covering the \
Core Essentials syllabus, 105 of 120 minutes to count a partial \
attendance, 50 practicum hours), an empty DIR/cohorts/, and a \
.gitattributes that lets git merge the append-only logs from several \
machines without conflicts. Unless DIR is already inside a git \
repository, it runs `git init` there (without git installed, it says so \
and goes on). It refuses, writing nothing, when DIR already holds a \
curriculum.toml. Open curriculum.toml afterwards to fit it to your \
program; `cohort check` says whether it still reads.

Examples:
  cohort init my-program --program \"Peer Support Core Essentials\" --prefix PSCE
  cohort init --credential \"Certified Peer Supporter\"     (in the current folder)
  cd my-program && cohort new 2025-winter --start 2025-01-14 --days tue,thu --timezone America/Toronto")]
pub struct Args {
    /// The folder to start in (created if need be) [default: the current folder]
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The program's name, printed on reports and exports
    #[arg(long, value_name = "NAME")]
    pub program: Option<String>,
    /// The words printed on the certificate of a Certified participant
    #[arg(long, value_name = "TEXT")]
    pub credential: Option<String>,
    /// 1 to 8 capital letters or digits that begin every certificate number
    #[arg(long, value_name = "P")]
    pub prefix: Option<String>,
}

/// The curriculum text for a program: the template with the given names
/// set in place (comments and layout kept), or a usage problem.
pub fn curriculum_text(
    program: Option<&str>,
    credential: Option<&str>,
    prefix: Option<&str>,
) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    let mut set = Vec::new();
    for (flag, key, value) in [
        ("--program", "name", program),
        ("--credential", "credential", credential),
        ("--prefix", "certificate_prefix", prefix),
    ] {
        let Some(value) = value.map(str::trim) else {
            continue;
        };
        if value.is_empty() {
            problems.push(format!(
                "{flag} is empty; leave it out for the template's, or give one"
            ));
        } else if key == "certificate_prefix"
            && !(value.len() <= 8
                && value
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        {
            problems.push(format!(
                "--prefix \"{value}\" must be 1 to 8 capital letters or digits, e.g. PSCE"
            ));
        } else if value.chars().any(char::is_control) {
            problems.push(format!(
                "{flag} holds a control character (a line break?); give one line"
            ));
        } else {
            set.push((key, value));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if set.is_empty() {
        return Ok(CURRICULUM_TEMPLATE.to_string());
    }
    let mut doc: toml_edit::DocumentMut = CURRICULUM_TEMPLATE
        .parse()
        .expect("the built-in template is TOML");
    let table = doc["program"]
        .as_table_mut()
        .expect("the template has [program]");
    for (key, value) in set {
        super::recording::set_value(table, key, value.into());
    }
    Ok(doc.to_string())
}

/// `--root` and `COHORT_ROOT` name an existing data root; `init` starts a
/// new one in DIR or the current folder only.
pub fn run(args: &Args) -> anyhow::Result<u8> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let dir = match args.dir.as_deref() {
        Some(dir) => cwd.join(dir),
        None => cwd,
    };
    let shown = args
        .dir
        .as_deref()
        .map_or(".".to_string(), |d| d.display().to_string());
    if dir.join("curriculum.toml").exists() {
        crate::usage!(
            "{shown} already holds a curriculum.toml: it is a data root already, and nothing was written. `cohort check` there says whether it reads; to start another program, give another folder"
        );
    }
    if dir.exists() && !dir.is_dir() {
        crate::usage!("{shown} is a file, not a folder; nothing was written");
    }
    let curriculum = match curriculum_text(
        args.program.as_deref(),
        args.credential.as_deref(),
        args.prefix.as_deref(),
    ) {
        Ok(text) => text,
        Err(problems) => {
            super::recording::print_problems(&problems);
            crate::usage!("nothing was written");
        }
    };
    std::fs::create_dir_all(dir.join("cohorts"))
        .with_context(|| format!("cannot create {shown}/cohorts"))?;
    let mut text = format!("started a data root in {shown}:\n");
    text += "  curriculum.toml   the program: 17 webinars, 105 of 120 minutes count, 50 practicum hours (open it to fit your program)\n";
    text += "  cohorts/          one folder per cohort, made by `cohort new`\n";
    // The certificate template of `cohort print`, for staff to change.
    match crate::certificate::template::write_default(&dir) {
        Ok(true) => {
            text += "  templates/certificate.toml   the page `cohort print` makes (docs/certificates.md)\n"
        }
        Ok(false) => text += "  templates/certificate.toml   already there, left as it is\n",
        Err(e) => anyhow::bail!("cannot write {shown}/templates/certificate.toml: {e}"),
    }
    let attributes = dir.join(".gitattributes");
    if attributes.exists() {
        text += "  .gitattributes    already there, left as it is: check that it has the lines `cohort init --help` describes\n";
    } else {
        write::create_atomically(&attributes, GITATTRIBUTES.as_bytes())
            .with_context(|| format!("cannot write {shown}/.gitattributes"))?;
        text += "  .gitattributes    git merges the append-only logs from several machines without conflicts\n";
    }
    // Written last: with it, the folder is a data root.
    write::create_atomically(&dir.join("curriculum.toml"), curriculum.as_bytes())
        .with_context(|| format!("cannot write {shown}/curriculum.toml"))?;
    text += &git_init(&dir);
    text += "\nnext, in that folder:\n";
    text += "  cohort new 2025-winter --start 2025-01-14 --days tue,thu --timezone America/Toronto --trainer \"Ana Trainer\"\n";
    text += "  cohort enroll 2025-winter --from roster.csv        (columns id,name,email)\n";
    text += "  cohort attend 2025-winter 1 --absent p03 --rest present\n";
    done(&text)
}

/// Runs `git init` in `dir` unless it is inside a git repository already;
/// says what it did. Git missing is not an error: the files work without it.
fn git_init(dir: &Path) -> String {
    let inside = Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(dir)
        .output();
    match inside {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return "  git               not installed, so no repository was made; the files work without it (install git and run `git init` there to share them)\n".to_string();
        }
        Err(e) => {
            return format!("  git               could not be run ({e}); no repository was made\n");
        }
        Ok(o) if o.status.success() => {
            return "  git               the folder is inside a git repository already; nothing to do\n".to_string();
        }
        Ok(_) => {}
    }
    match Command::new("git")
        .args(["init", "--quiet"])
        .current_dir(dir)
        .output()
    {
        Ok(o) if o.status.success() => {
            "  .git/             a new git repository (`git init`)\n".to_string()
        }
        Ok(o) => format!(
            "  git               `git init` failed ({}); the files work without it\n",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => format!(
            "  git               `git init` could not be run ({e}); the files work without it\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../curriculum.toml");

    #[test]
    fn the_template_is_the_shipped_curriculum() {
        assert_eq!(CURRICULUM_TEMPLATE, SHIPPED);
        assert_eq!(curriculum_text(None, None, None).unwrap(), SHIPPED);
    }

    #[test]
    fn names_are_set_in_place_and_nothing_else_changes() {
        let text = curriculum_text(
            Some("Peer \"Care\" Basics"),
            Some("Certified Peer Worker"),
            Some("PCB1"),
        )
        .unwrap();
        let changed: Vec<(&str, &str)> = SHIPPED
            .lines()
            .zip(text.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(SHIPPED.lines().count(), text.lines().count());
        assert_eq!(
            changed.iter().map(|(_, b)| *b).collect::<Vec<_>>(),
            [
                "name = 'Peer \"Care\" Basics'",
                "credential = \"Certified Peer Worker\"   # words printed for Certified",
                "certificate_prefix = \"PCB1\"               # begins every certificate number",
            ]
        );
    }

    #[test]
    fn bad_names_are_refused_all_at_once() {
        let problems = curriculum_text(Some(" "), Some("a\nb"), Some("psce")).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[2].contains("capital letters"));
        assert!(curriculum_text(None, None, Some("ABCDEFGHI")).is_err());
    }
}
