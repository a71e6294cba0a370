//! `cohort publish`: the static verification site (see
//! `crate::certificate::site` for how an entry is found and sealed).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context as _;

use crate::certificate::site::{self, Entry};
use crate::exit;
use crate::register;
use crate::term;

use super::Ctx;

/// A static web site that verifies certificate numbers and lists nothing
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Writes DIR/index.html (a form: type a number, learn valid, revoked, \
mistyped or unknown, with the name, level and date of a valid one) and \
one small file per certificate in DIR/c/, named by a slow salted hash \
(PBKDF2-HMAC-SHA256, 600,000 rounds) of its number and sealed with a key \
that only the number gives. The site holds no list of numbers or names; \
every folder has an index.html, so no host lists one. Put DIR on any static \
host (https) at the address of curriculum.toml [certificate] verify_url, or \
open DIR/index.html from disk.

Run it again after `issue` or `revoke`: entries are updated (a revocation \
shows, with its date), stale ones removed, and the site's salt kept. DIR \
must be new, empty, or a site `cohort publish` wrote.

Examples:
  cohort publish site/
  cohort publish /srv/www/certificates")]
pub struct Args {
    /// The folder of the site (made if missing)
    #[arg(value_name = "DIR")]
    pub dir: std::path::PathBuf,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<u8> {
    let curriculum = ctx.curriculum()?;
    let held = super::verify::trusted(ctx, register::load)?;
    let dir = &args.dir;
    let salt = match existing_salt(dir)? {
        Some(s) => s,
        None => site::new_salt()?,
    };
    let mut prefixes = vec![curriculum.certificate_prefix.clone()];
    for p in held.prefixes() {
        if !prefixes.iter().any(|q| q == p) {
            prefixes.push(p.to_string());
        }
    }
    let iterations = site::iterations();
    let files = entries(&curriculum, &held, &site::salt_bytes(&salt), iterations)?;
    let removed = write_entries(dir, &files)?;
    crate::render::xlsx::write_atomically(
        &dir.join("index.html"),
        site::index_html(&curriculum.program_name, &salt, iterations, &prefixes).as_bytes(),
    )?;
    let revoked = held.certificates.len() - held.valid().count();
    term::eprint(&format!(
        "published {} ({revoked} revoked) to {}{}\n",
        super::issue::certificates(files.len()),
        dir.display(),
        if removed > 0 {
            format!(
                "; removed {removed} stale entr{}",
                if removed == 1 { "y" } else { "ies" }
            )
        } else {
            String::new()
        }
    ));
    Ok(exit::SUCCESS)
}

/// Every certificate's entry file: its id and its encrypted text. The slow
/// part: one PBKDF2 per certificate, on every core.
fn entries(
    curriculum: &crate::model::Curriculum,
    held: &register::Register,
    salt: &[u8],
    iterations: u32,
) -> anyhow::Result<Vec<(String, String)>> {
    let files = super::par_map(&held.certificates, |c| {
        let (id, key) = site::derive(&c.number, salt, iterations);
        let entry = Entry {
            name: c.name.clone(),
            level: c.level.to_string(),
            credential: super::export::credential(curriculum, c.level),
            program: curriculum.program_name.clone(),
            date: c.date.to_string(),
            status: if c.revoked.is_some() {
                "revoked"
            } else {
                "valid"
            }
            .to_string(),
            revoked_on: c.revoked.as_ref().map(|r| r.date().to_string()),
        };
        site::entry_file(&id, &key, &entry).map(|text| (id, text))
    });
    files.into_iter().collect()
}

/// Writes the entry files into `dir/c` and removes the stale ones; how many
/// were removed.
fn write_entries(dir: &Path, files: &[(String, String)]) -> anyhow::Result<usize> {
    let entries = dir.join("c");
    std::fs::create_dir_all(&entries)
        .with_context(|| format!("cannot make {}; nothing was published", entries.display()))?;
    let write =
        |path: &Path, text: &str| crate::render::xlsx::write_atomically(path, text.as_bytes());
    let keep: BTreeSet<String> = files.iter().map(|(id, _)| format!("{id}.js")).collect();
    for (id, text) in files {
        write(&entries.join(format!("{id}.js")), text)?;
    }
    // An index.html in every folder: no host shows a listing of c/.
    write(&entries.join("index.html"), EMPTY_PAGE)?;
    let mut removed = 0;
    for entry in std::fs::read_dir(&entries)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".js") && !keep.contains(&name) {
            std::fs::remove_file(entries.join(&name))?;
            removed += 1;
        }
    }
    Ok(removed)
}

const EMPTY_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Nothing here</title></head><body><p><a href=\"../\">Check a certificate</a></p></body></html>\n";

/// The salt of the site already in `dir`; `None` for a new or empty
/// folder. Any other folder is refused: publishing removes stale files, and
/// must never remove someone else's.
fn existing_salt(dir: &Path) -> anyhow::Result<Option<String>> {
    let Ok(mut listing) = std::fs::read_dir(dir) else {
        if dir.exists() {
            anyhow::bail!(
                "cannot publish to {}: it is not a folder; give a new or empty folder; nothing was published",
                dir.display()
            );
        }
        return Ok(None);
    };
    if listing.next().is_none() {
        return Ok(None);
    }
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap_or_default();
    match site::salt_of(&page) {
        Some(salt) => Ok(Some(salt)),
        None => anyhow::bail!(
            "{} holds files that `cohort publish` did not write; give a new or empty folder (publishing replaces what is there); nothing was published",
            dir.display()
        ),
    }
}
