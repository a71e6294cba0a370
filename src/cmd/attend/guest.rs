//! `cohort attend OTHER N --guest HOME:ID`: a participant of cohort HOME
//! attended webinar N with cohort OTHER, as a make-up. The row goes into
//! HOME's log (`status` makeup, a note naming OTHER and the session's date)
//! through the ordinary `attend HOME N --makeup ID --note …`, so the same
//! lock, checks and refusals apply as to any other append.

use clap::{Args as _, FromArgMatches as _};

use crate::diag::Diagnostics;
use crate::load;

use super::super::{Ctx, refuse};
use super::Args;

pub fn run(ctx: &Ctx, args: &Args, guest: &str) -> anyhow::Result<u8> {
    let Some((home, id)) = guest.split_once(':') else {
        crate::usage!(
            "--guest \"{guest}\" is not COHORT:ID; name the participant's own cohort and id, e.g. --guest 2024-fall:p07"
        );
    };
    let (home, id) = (home.trim(), id.trim());
    if home == args.cohort {
        crate::usage!(
            "{id} is in cohort {home} itself; --guest is for a participant of another cohort (record them with --present)"
        );
    }
    if gives_marks(args) {
        crate::usage!(
            "--guest records one make-up on its own; record the cohort's own participants in a separate `cohort attend`"
        );
    }
    ctx.known_cohort(&args.cohort)?;
    ctx.known_cohort(home)?;
    let curriculum = ctx.curriculum()?;
    let w = super::webinar_index(args.webinar, &curriculum)?;
    let mut diags = Diagnostics::default();
    let Some(other) = load::load_cohort(&ctx.root, &curriculum, &args.cohort, &mut diags)
        .filter(|_| !diags.has_errors())
    else {
        return Err(refuse(&diags));
    };
    let session = &other.sessions[w];
    if session.date > ctx.today && !args.force {
        let webinar = format!("webinar {} of {}", args.webinar, other.id);
        crate::usage!(
            "{}",
            super::not_held_yet(&webinar, session.date, ctx.today, "a make-up")
        );
    }
    let mut note = format!(
        "made up with {} ({}) on {}",
        other.id, other.name, session.date
    );
    if let Some(extra) = args
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        note = format!("{note}; {extra}");
    }
    // The home cohort's own `attend`, as if typed: every check of an append.
    let argv = home_argv(args, home, id, note);
    let matches = Args::augment_args(clap::Command::new("attend")).try_get_matches_from(argv)?;
    let home_args = Args::from_arg_matches(&matches)?;
    super::run(ctx, &home_args)
}

/// True when anything besides the guest is marked.
fn gives_marks(args: &Args) -> bool {
    !args.present.is_empty()
        || !args.absent.is_empty()
        || !args.excused.is_empty()
        || !args.partial.is_empty()
        || !args.makeup.is_empty()
        || args.rest.is_some()
        || args.from_zoom.is_some()
}

/// `attend HOME N --makeup ID --note NOTE` with the flags that carry over.
fn home_argv(args: &Args, home: &str, id: &str, note: String) -> Vec<String> {
    let mut argv: Vec<String> = vec![
        "attend".into(),
        home.into(),
        args.webinar.to_string(),
        "--makeup".into(),
        id.into(),
        "--note".into(),
        note,
    ];
    if let Some(by) = &args.by {
        argv.extend(["--by".into(), by.clone()]);
    }
    if args.force {
        argv.push("--force".into());
    }
    if args.dry_run {
        argv.push("--dry-run".into());
    }
    argv
}
