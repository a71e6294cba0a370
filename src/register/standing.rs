//! Who stands at which level in a cohort's records, and since when: what
//! `issue`, `export` and the cross-check need of the records.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::load::CohortData;
use crate::model::Curriculum;
use crate::rules::{self, Level, level_date};

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
