//! `cohort print`: PDF certificates of the issued, unrevoked certificates,
//! drawn from the data root's `templates/certificate.toml`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::certificate::template::{self, TEMPLATE, Template};
use crate::certificate::{Fields, pdf, verify_address};
use crate::diag::Diagnostics;
use crate::exit;
use crate::model::Paper;
use crate::render::xlsx::write_atomically as write_file;
use crate::rules::Level;
use crate::term;

use super::issue::certificates;
use super::{Ctx, export};

/// Printable PDF certificates: one file per certificate, or one file of all
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Every issued, unrevoked certificate of the cohorts named (or --all) gets a \
page: landscape, on the paper of curriculum.toml [certificate] paper (A4 or \
Letter), drawn from templates/certificate.toml, which staff may change \
(docs/certificates.md). Name, level and date are printed exactly as the \
register froze them. Each page carries a QR code of the number's address on \
the verification site ([certificate] verify_url, see `cohort publish`).

Everything is checked before any file is written: the template, the fonts \
(a name a font cannot draw is refused, naming the person), and that the \
output folder can be written. An existing NUMBER.pdf is replaced.

Examples:
  cohort print 2024-fall --out certificates/
  cohort print --all --level Certified --out certificates/ --merge
  cohort print --write-template        writes the default template to change

Files: DIR/NUMBER.pdf for each certificate, or DIR/certificates.pdf with --merge.")]
pub struct Args {
    /// Cohorts whose certificates to print
    #[arg(value_name = "COHORT")]
    pub cohorts: Vec<String>,
    /// Every cohort
    #[arg(long)]
    pub all: bool,
    /// Only certificates of this level: "Level 1", "Level 1R" or "Certified"
    #[arg(long, value_name = "LEVEL", value_parser = export::parse_level)]
    pub level: Option<Level>,
    /// The folder to write the PDF files to (made if missing)
    #[arg(long, value_name = "DIR", required_unless_present = "write_template")]
    pub out: Option<PathBuf>,
    /// One file, certificates.pdf, with a page per certificate
    #[arg(long)]
    pub merge: bool,
    /// Write the default template to templates/certificate.toml (if there is none) and stop
    #[arg(long, conflicts_with_all = ["cohorts", "all", "level", "out", "merge"])]
    pub write_template: bool,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    if args.write_template {
        return write_template(ctx);
    }
    let out_dir = args.out.as_deref().expect("clap requires --out");
    let selected = export::select(ctx, &args.cohorts, args.all, args.level)?;
    let Some(verify_url) = selected.curriculum.certificate.verify_url.clone() else {
        anyhow::bail!(
            "curriculum.toml has no [certificate] verify_url, the address every QR code carries; add\n  [certificate]\n  verify_url = \"https://certificates.example.org/\"\nwith the address the site of `cohort publish` is put at; nothing was written"
        );
    };
    let mut diags = Diagnostics::default();
    let Some(template) = template::load(&ctx.root, &mut diags) else {
        diags.sort();
        diags.print(term::stderr_color());
        term::eprint(&format!(
            "cohort: refusing to print: {TEMPLATE} has {}; nothing was written\n",
            diags.summary()
        ));
        return Ok(exit::FAILURE);
    };
    diags.print(term::stderr_color());

    let fields: Vec<Fields> = selected
        .rows
        .iter()
        .map(|row| fields(row, &verify_url))
        .collect();
    let refused = undrawable(&template, &selected.rows, &fields);
    if refused > 0 {
        term::eprint(&format!(
            "cohort: refusing to print: {} cannot be drawn with the template's fonts; nothing was written\n",
            certificates(refused)
        ));
        return Ok(exit::FAILURE);
    }
    if fields.is_empty() {
        term::eprint(
            "no issued, unrevoked certificates to print (`cohort issue` gives them); nothing was written\n",
        );
        return Ok(exit::SUCCESS);
    }
    let made = writable(out_dir)?;
    let paper = selected.curriculum.certificate.paper;
    if let Err(e) = write_pdfs(&template, paper, &fields, out_dir, args.merge) {
        if let Some(dir) = made {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Err(e);
    }
    term::eprint(&format!(
        "printed {} to {}\n",
        certificates(fields.len()),
        if args.merge {
            out_dir.join("certificates.pdf")
        } else {
            out_dir.to_path_buf()
        }
        .display()
    ));
    Ok(exit::SUCCESS)
}

/// `--write-template`: the default template, where there is none yet.
fn write_template(ctx: &Ctx) -> anyhow::Result<u8> {
    if !template::write_default(&ctx.root.dir)
        .with_context(|| format!("cannot write {TEMPLATE}"))?
    {
        anyhow::bail!(
            "{TEMPLATE} is there already; nothing was written (remove it first to start again from the default)"
        );
    }
    term::eprint(&format!("wrote {TEMPLATE}\n"));
    Ok(exit::SUCCESS)
}

/// What a certificate's page shows, as the register froze it.
fn fields(row: &export::Row, verify_url: &str) -> Fields {
    Fields {
        program: row.program.clone(),
        credential: row.credential.clone(),
        level: row.level.to_string(),
        name: row.name.clone(),
        date: row.date,
        number: row.number.clone(),
        trainers: row.trainers.clone(),
        cohort: row.cohort.clone(),
        cohort_name: row.cohort_name.clone(),
        verify_url: verify_address(verify_url, &row.number),
    }
}

/// Says of each certificate the template's fonts cannot draw what is
/// missing and how to fix it; how many there are.
fn undrawable(template: &Template, rows: &[export::Row], fields: &[Fields]) -> usize {
    let mut refused = 0;
    for (row, f) in rows.iter().zip(fields) {
        let Some(u) = pdf::undrawable(template, f) else {
            continue;
        };
        refused += 1;
        let what = if row.name.contains(u.missing) {
            format!("the name \"{}\"", row.name)
        } else {
            format!("the text \"{}\"", u.text)
        };
        let line = u.template_line.map(|l| format!(":{l}")).unwrap_or_default();
        term::eprint(&format!(
            "cohort: error: cannot print certificate {} of {} ({}, cohort {}): {what} has '{}' (U+{:04X}), which font \"{}\" ({TEMPLATE}{line}) cannot draw\n help: add a font that can: put its .ttf or .otf file in the data root, e.g. fonts/NotoSans-Regular.ttf, and name it in that [[text]] of {TEMPLATE}: font = \"fonts/NotoSans-Regular.ttf\" (docs/certificates.md, \"Fonts\")\n",
            row.number, row.name, row.participant, row.cohort, u.missing, u.missing as u32, u.font,
        ));
    }
    refused
}

/// The PDF files: one of all pages with `merge`, else one per certificate.
fn write_pdfs(
    template: &Template,
    paper: Paper,
    fields: &[Fields],
    out_dir: &Path,
    merge: bool,
) -> anyhow::Result<()> {
    if merge {
        let all: Vec<&Fields> = fields.iter().collect();
        pdf::document(template, paper, &all)
            .and_then(|bytes| write_file(&out_dir.join("certificates.pdf"), &bytes))
    } else {
        super::par_map(fields, |f| {
            pdf::document(template, paper, &[f])
                .and_then(|bytes| write_file(&out_dir.join(format!("{}.pdf", f.number)), &bytes))
        })
        .into_iter()
        .collect()
    }
}

/// Makes `dir` if need be and proves that a file can be written in it;
/// gives the topmost folder it made (to take back on failure). On failure
/// nothing is left behind.
fn writable(dir: &Path) -> anyhow::Result<Option<PathBuf>> {
    let mut first_missing = None;
    let mut p = Some(dir);
    while let Some(d) = p {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        first_missing = Some(d.to_path_buf());
        p = d.parent();
    }
    let fail = |e: std::io::Error, made: &Option<PathBuf>| {
        if let Some(m) = made {
            let _ = std::fs::remove_dir_all(m);
        }
        anyhow::anyhow!(
            "cannot write certificates to {}: {e}; give --out a folder you can write to; nothing was written",
            dir.display()
        )
    };
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "cannot write certificates to {}: it is a file, not a folder; give --out a folder; nothing was written",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).map_err(|e| fail(e, &first_missing))?;
    let probe = dir.join(".cohort-print-probe");
    std::fs::write(&probe, b"").map_err(|e| fail(e, &first_missing))?;
    let _ = std::fs::remove_file(&probe);
    Ok(first_missing)
}
