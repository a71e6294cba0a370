//! `cohort man`: the manual pages, in roff: the main page on stdout, or one
//! page per command and subcommand with `--out DIR`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::exit;

/// Print the manual page (roff), or write one page per command with --out
#[derive(Debug, clap::Args)]
#[command(after_help = "\
With --out DIR, writes cohort.1 and one page per command and subcommand \
(cohort-check.1, cohort-practicum-log.1, …) into DIR, creating it; each \
page's SEE ALSO names the pages above and below it, all of them written. \
Pages already in DIR with those names are replaced.

Examples:
  cohort man | man -l -
  cohort man --out ~/.local/share/man/man1 && man cohort-attend
  cohort man --out /usr/local/share/man/man1")]
pub struct Args {
    /// Write every page into this folder instead of printing the main page
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// One manual page: its file name and its roff text.
pub struct Page {
    pub file: String,
    pub text: String,
}

/// The pages of `cmd`, the whole command line.
pub fn run(args: &Args, cmd: clap::Command) -> anyhow::Result<u8> {
    let pages = pages(cmd)?;
    let Some(dir) = &args.out else {
        let main = pages.into_iter().next().expect("the main page comes first");
        // The pages it names are written by `--out`: say so where it names them.
        super::out(&format!(
            "{}.PP\n\\fBcohort man \\-\\-out\\fR \\fIDIR\\fR writes these pages.\n",
            main.text
        ))?;
        return Ok(exit::SUCCESS);
    };
    write_pages(dir, &pages)?;
    super::out(&format!(
        "wrote {} manual pages to {}; `man -M {} cohort` shows them if the folder is not on the MANPATH\n",
        pages.len(),
        dir.display(),
        dir.parent().unwrap_or(Path::new(".")).display()
    ))?;
    Ok(exit::SUCCESS)
}

fn write_pages(dir: &Path, pages: &[Page]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for page in pages {
        let path = dir.join(&page.file);
        std::fs::write(&path, &page.text)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Every page, the main one first: a page per command and subcommand
/// (`help` has none), each ending with a SEE ALSO of its parent and its
/// subcommands' pages.
pub fn pages(cmd: clap::Command) -> anyhow::Result<Vec<Page>> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, None, &mut pages)?;
    Ok(pages)
}

fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string()
}

fn collect(cmd: &clap::Command, parent: Option<&str>, pages: &mut Vec<Page>) -> anyhow::Result<()> {
    let name = page_name(cmd);
    let subs: Vec<&clap::Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    let mut text = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut text)?;
    let mut text = String::from_utf8(text)?;
    let see_also: Vec<String> = parent
        .map(str::to_string)
        .into_iter()
        .chain(subs.iter().map(|s| page_name(s)))
        .map(|n| format!("\\fB{}\\fR(1)", n.replace('-', "\\-")))
        .collect();
    if !see_also.is_empty() {
        text.push_str(".SH \"SEE ALSO\"\n");
        text.push_str(&see_also.join(", "));
        text.push('\n');
    }
    pages.push(Page {
        file: format!("{name}.1"),
        text,
    });
    for sub in subs {
        collect(sub, Some(&name), pages)?;
    }
    Ok(())
}
