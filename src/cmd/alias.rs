//! `cohort alias`: adds names or e-mails seen in meeting reports to a
//! participant's `aliases` in cohort.toml (an atomic edit that keeps the
//! file's comments and layout). `attend --from-report` on a terminal saves
//! the trainer's answers through the same function.

use crate::exit;
use crate::load::Root;
use crate::meeting::names::{self, Keys};
use crate::model::Cohort;
use crate::term;

use super::recording::{self, change_cohort_toml, participant_table};
use super::{Ctx, done};

/// Add names or e-mails seen in meeting reports to a participant's aliases
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each NAME is a name or an e-mail address under which the participant \
appears in meeting reports; `attend --from-report` then matches them. An \
alias that is already theirs, or that is another participant's name, e-mail \
or alias (it would then match neither), or a trainer's name, is refused and \
nothing is written.

Examples:
  cohort alias 2024-fall p09 \"R. Chowdhury\" rahim@example.net
  cohort alias 2024-fall p04 \"Mai N.\" --dry-run")]
pub struct Args {
    /// The cohort
    #[arg(value_name = "COHORT")]
    pub cohort: String,
    /// The participant's id
    #[arg(value_name = "PARTICIPANT")]
    pub participant: String,
    /// Names or e-mails, as the meeting report writes them
    #[arg(value_name = "NAME", required = true)]
    pub names: Vec<String>,
    /// Show the change to cohort.toml; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let rel = Root::cohort_toml(&args.cohort);
    let (loaded, p) = recording::load_participant(ctx, &args.cohort, &args.participant, &rel)?;
    let cohort = &loaded.data.cohort;
    let mut keys = Keys::of(cohort);
    let mut problems = Vec::new();
    let mut adding: Vec<String> = Vec::new();
    for name in &args.names {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        match names::alias_refusal(cohort, &keys, p, &name) {
            Some(why) => problems.push(why),
            None => {
                keys.add_alias(p, &name);
                adding.push(name);
            }
        }
    }
    if recording::print_problems(&problems) {
        term::eprint(&format!("cohort: nothing was written to {rel}\n"));
        return Ok(exit::FAILURE);
    }
    save(ctx, cohort, p, &adding, args.dry_run)?;
    let participant = &cohort.participants[p];
    let quoted: Vec<String> = adding.iter().map(|a| format!("\"{a}\"")).collect();
    done(&format!(
        "{} {} ({})'s aliases: {}\n",
        if args.dry_run {
            "would add to"
        } else {
            "added to"
        },
        participant.id,
        participant.name,
        quoted.join(", ")
    ))
}

/// Appends `aliases` (already checked) to participant `p`'s `aliases` in
/// cohort.toml, creating the key when missing; with `dry_run`, shows the
/// change. Under the file's lock an alias found there already is not added
/// twice.
pub fn save(
    ctx: &Ctx,
    cohort: &Cohort,
    p: usize,
    aliases: &[String],
    dry_run: bool,
) -> anyhow::Result<()> {
    let id = cohort.participants[p].id.clone();
    change_cohort_toml(ctx, &cohort.id, dry_run, |doc| {
        let table = participant_table(doc, &id)?;
        if !table.contains_key("aliases") {
            table.insert(
                "aliases",
                toml_edit::Item::Value(toml_edit::Value::Array(toml_edit::Array::new())),
            );
        }
        let Some(list) = table.get_mut("aliases").and_then(|i| i.as_array_mut()) else {
            return Err(format!(
                "the aliases of {id} are not a list of strings; fix them by hand"
            ));
        };
        for alias in aliases {
            let known = list.iter().any(|v| {
                v.as_str()
                    .is_some_and(|s| names::name_key(s) == names::name_key(alias))
            });
            if !known {
                list.push(alias.as_str());
            }
        }
        Ok(())
    })
}
