//! Where the register and the records disagree, and certificates a merge
//! left twice: warnings and errors of `check`, `issue` and `export`.

use std::collections::{HashMap, HashSet};

use super::{Certificate, CohortLevels, REGISTER, Register};
use crate::diag::{Diagnostics, Kind};
use crate::load::Root;
use crate::rules::Level;

/// An error for every unrevoked certificate of a person and level that
/// already holds an earlier one (two machines each issued one, and git's
/// union merge kept both): the later one is to be revoked.
pub fn issued_twice(register: &Register, diags: &mut Diagnostics) {
    let mut first: HashMap<(&str, &str, Level), &Certificate> = HashMap::new();
    let mut valid: Vec<&Certificate> = register.valid().collect();
    // The earliest issued is kept; the register's order settles a tie.
    valid.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.line.cmp(&b.line)));
    for cert in valid {
        let key = (cert.cohort.as_str(), cert.participant.as_str(), cert.level);
        let Some(kept) = first.get(&key) else {
            first.insert(key, cert);
            continue;
        };
        diags
            .error(
                Kind::IssuedTwice,
                REGISTER,
                Some(cert.line),
                format!(
                    "{} of {} holds two {} certificates: {} (line {}, issued {}) and {} (line {}, issued {}), most likely issued on two machines",
                    cert.participant, cert.cohort, cert.level, kept.number, kept.line, kept.issued_at, cert.number, cert.line, cert.issued_at
                ),
            )
            .help(format!(
                "keep the first and revoke the later one: cohort revoke {} --reason \"issued twice\" (if the later one is the one already handed out, revoke {} instead)",
                cert.number, kept.number
            ));
    }
}

/// Warnings where the register and the records disagree: a certificate of a
/// cohort or participant that no longer exists, or one whose level the
/// records no longer give (a correction after issue). `cohort_ids` are all
/// cohort folders; `loaded` the cohorts whose records were read.
pub fn cross_check(
    register: &Register,
    cohort_ids: &[String],
    loaded: &[CohortLevels],
    diags: &mut Diagnostics,
) {
    issued_twice(register, diags);
    let known: HashSet<&str> = cohort_ids.iter().map(String::as_str).collect();
    let loaded: HashMap<&str, &CohortLevels> =
        loaded.iter().map(|c| (c.cohort.as_str(), c)).collect();
    for cert in &register.certificates {
        if !known.contains(cert.cohort.as_str()) {
            diags
                .warning(Kind::CertificateWithoutCohort, REGISTER, Some(cert.line), format!("certificate {} is of cohort {}, which has no cohorts/{}/cohort.toml", cert.number, cert.cohort, cert.cohort))
                .help("the certificate stays valid; restore the cohort folder (e.g. from git) to keep its records");
            continue;
        }
        let Some(data) = loaded.get(cert.cohort.as_str()) else {
            continue;
        };
        let Some(now) = data.people.get(&cert.participant).map(|s| s.level) else {
            diags
                .warning(
                    Kind::CertificateWithoutParticipant,
                    REGISTER,
                    Some(cert.line),
                    format!(
                        "certificate {} is of participant {}, who is not in cohort {}",
                        cert.number, cert.participant, cert.cohort
                    ),
                )
                .help(format!(
                    "the certificate stays valid; restore {} to {}",
                    cert.participant,
                    Root::cohort_toml(&data.cohort)
                ));
            continue;
        };
        if cert.revoked.is_none() && now < cert.level {
            diags
                .warning(Kind::LevelNowLower, REGISTER, Some(cert.line), format!("certificate {} was issued for {}, but the records of {} in {} now give {now}", cert.number, cert.level, cert.participant, cert.cohort))
                .help(format!("if the records were corrected after it was issued, revoke it: cohort revoke {} --reason \"…\"", cert.number));
        }
    }
}
