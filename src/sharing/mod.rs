//! git as the shared store: what `cohort sync` needs of it.
//!
//! Runs the `git` command line (not libgit2 or gix): it uses the trainer's
//! own git set-up as it is, credentials helpers, SSH keys and `~/.ssh/config`
//! included, honours `.gitattributes` merge drivers (the `union` driver the
//! logs rely on) exactly as every other git on the program's machines does,
//! and adds no C library to build. docs/sharing.md says more.
//!
//! The parts without git are pure and tested on their own: which files of
//! the data root `cohort` writes ([`Known::of`]), whether a change is one a
//! command makes ([`judge`]), and what a change says in words ([`describe`]).

mod describe;
mod git;
mod judge;

pub use describe::{describe, message};
pub use git::{Git, GitFailed};
pub use judge::{appended, judge};

use crate::load::{CURRICULUM, is_slug};
use crate::register::REGISTER;

/// A file of the data root that `cohort` commands write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    Curriculum,
    /// `.gitattributes`, as `cohort init` writes it.
    GitAttributes,
    Register,
    CohortToml {
        cohort: String,
    },
    Attendance {
        cohort: String,
        webinar: u32,
    },
    Practicum {
        cohort: String,
    },
}

impl Known {
    /// What `rel` (relative to the data root, with `/`) is, if `cohort` writes it.
    pub fn of(rel: &str) -> Option<Known> {
        match rel {
            CURRICULUM => return Some(Known::Curriculum),
            ".gitattributes" => return Some(Known::GitAttributes),
            REGISTER => return Some(Known::Register),
            _ => {}
        }
        let parts: Vec<&str> = rel.split('/').collect();
        match parts.as_slice() {
            ["cohorts", id, "cohort.toml"] if is_slug(id) => Some(Known::CohortToml {
                cohort: id.to_string(),
            }),
            ["cohorts", id, "practicum.csv"] if is_slug(id) => Some(Known::Practicum {
                cohort: id.to_string(),
            }),
            ["cohorts", id, "attendance", name] if is_slug(id) => {
                let number = name.strip_suffix(".csv")?;
                // Only the name cohort writes: two digits at least, no sign.
                let webinar: u32 = number.parse().ok()?;
                (webinar >= 1 && format!("{webinar:02}") == number).then(|| Known::Attendance {
                    cohort: id.to_string(),
                    webinar,
                })
            }
            _ => None,
        }
    }

    /// Append-only: a command only ever adds rows at the end.
    pub fn append_only(&self) -> bool {
        matches!(
            self,
            Known::Register | Known::Attendance { .. } | Known::Practicum { .. }
        )
    }
}

/// One changed file, as `git status` and the files tell.
#[derive(Debug, Clone)]
pub struct Change {
    /// Relative to the data root.
    pub rel: String,
    /// The committed text (`None`: a new file).
    pub old: Option<String>,
    /// The text now (`None`: deleted).
    pub new: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn change(rel: &str, old: Option<&str>, new: Option<&str>) -> Change {
        Change {
            rel: rel.into(),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
        }
    }

    pub(super) const HEAD: &str = "participant,status,minutes,recorded_by,recorded_at,note\n";

    #[test]
    fn known_files_are_the_ones_cohort_writes() {
        assert_eq!(
            Known::of("cohorts/2024-fall/attendance/03.csv"),
            Some(Known::Attendance {
                cohort: "2024-fall".into(),
                webinar: 3
            })
        );
        assert_eq!(Known::of("certificates.csv"), Some(Known::Register));
        for other in [
            "cohorts/2024-fall/attendance/3.csv",
            "cohorts/2024-fall/attendance/03.csv.bak",
            "cohorts/2024-fall/notes.txt",
            "cohorts/Fall/cohort.toml",
            "roster.csv",
            "README.md",
        ] {
            assert_eq!(Known::of(other), None, "{other}");
        }
    }
}
