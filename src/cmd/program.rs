//! Reading many cohorts at once for the planning commands (`makeups`,
//! `stats`, `site`) and the certificate commands (`Ctx::levels`): each
//! cohort is loaded on its own core, turned into what the command keeps of
//! it, and dropped; problems of every cohort are gathered and reported
//! together, as `report` does.

use chrono::NaiveDate;

use crate::diag::Diagnostics;
use crate::error::Error;
use crate::load::{self, CohortData};
use crate::model::{Cohort, Curriculum};

use super::{Ctx, WARNINGS_SHOWN, par_map, usable};

/// What is read of one cohort: everything (`Full`), or only its
/// `cohort.toml` (`Schedule`), which is enough to know its sessions.
pub enum Read {
    Full,
    Schedule,
}

/// Loads every cohort of `ids` (`how` says how much of each), keeps
/// `keep(cohort)` of it, and gives the kept values in `ids`' order; on
/// errors in any cohort, the refusal that lists them all.
pub fn load_each<T: Send>(
    ctx: &Ctx,
    curriculum: &Curriculum,
    ids: &[String],
    as_of: NaiveDate,
    how: impl Fn(&str) -> Read + Sync,
    keep: impl Fn(Loaded) -> T + Sync,
) -> Result<Vec<T>, Error> {
    let found = par_map(ids, |id| {
        let mut diags = Diagnostics::brief(WARNINGS_SHOWN);
        let loaded = load_one(ctx, curriculum, id, as_of, how(id), &mut diags);
        let kept = loaded.filter(|_| !diags.has_errors()).map(&keep);
        (kept, diags)
    });
    let mut diags = Diagnostics::default();
    let mut all = Vec::with_capacity(found.len());
    for (kept, cohort_diags) in found {
        diags.extend(cohort_diags);
        all.extend(kept);
    }
    usable(Some(all), diags)
}

/// `keep` of every cohort of `ids`, each read whole (stats, the site's
/// pages, the certificate commands).
pub fn each_whole<T: Send>(
    ctx: &Ctx,
    curriculum: &Curriculum,
    ids: &[String],
    as_of: NaiveDate,
    keep: impl Fn(&CohortData) -> T + Sync,
) -> Result<Vec<T>, Error> {
    load_each(
        ctx,
        curriculum,
        ids,
        as_of,
        |_| Read::Full,
        |loaded| match loaded {
            Loaded::Full(data) => keep(&data),
            Loaded::Schedule(_) => unreachable!("every cohort is read whole"),
        },
    )
}

fn load_one(
    ctx: &Ctx,
    curriculum: &Curriculum,
    id: &str,
    as_of: NaiveDate,
    how: Read,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    match how {
        Read::Full => ctx
            .read_cohort(curriculum, id, as_of, None, diags)
            .map(|mut data| {
                // The records as they stood at the end of `as_of` (SPEC's rules).
                if crate::rules::asof::applies(as_of, ctx.today) {
                    crate::rules::asof::as_it_stood(&mut data.cohort, &mut data.records, as_of);
                }
                Loaded::Full(data)
            }),
        Read::Schedule => load::load_cohort(&ctx.root, curriculum, id, diags).map(Loaded::Schedule),
    }
}

/// One cohort as read by [`load_each`].
pub enum Loaded {
    Full(CohortData),
    Schedule(Cohort),
}

/// The instant a session starts, from its local date and time in `tz`
/// (a time that a DST change skips is read as the time after the gap).
pub fn instant(
    tz: chrono_tz::Tz,
    date: NaiveDate,
    time: chrono::NaiveTime,
) -> chrono::DateTime<chrono_tz::Tz> {
    use chrono::TimeZone as _;
    let local = date.and_time(time);
    tz.from_local_datetime(&local)
        .earliest()
        .unwrap_or_else(|| {
            tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
                .expect("an hour after a DST gap exists")
        })
}

/// The cohort's time zone; the loader has checked it is a known IANA name.
pub fn zone(cohort: &Cohort) -> chrono_tz::Tz {
    cohort.timezone.parse().unwrap_or(chrono_tz::UTC)
}
