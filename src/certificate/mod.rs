//! Certificates on paper and online: the page template, the PDF, the QR
//! code and the static verification site.
//!
//! `cmd::print` and `cmd::publish` are thin glue around this module; what
//! goes on a page is a [`Fields`] value built from the register, never from
//! the cohort's current data (the register froze name, level and date).

pub mod fonts;
pub mod pdf;
pub mod site;
pub mod template;

use chrono::NaiveDate;

/// Everything a template may print about one certificate, by field name.
#[derive(Debug, Clone)]
pub struct Fields {
    pub program: String,
    pub credential: String,
    pub level: String,
    pub name: String,
    pub date: NaiveDate,
    pub number: String,
    pub trainers: Vec<String>,
    pub cohort: String,
    pub cohort_name: String,
    /// The address in the QR code: `verify_url` with the number.
    pub verify_url: String,
}

/// The `{field}` names a template may use.
pub const FIELD_NAMES: &[&str] = &[
    "program",
    "credential",
    "level",
    "name",
    "date",
    "date_long",
    "number",
    "trainers",
    "cohort",
    "cohort_name",
    "verify_url",
];

impl Fields {
    /// The text of field `name` (one of [`FIELD_NAMES`]).
    pub fn get(&self, name: &str) -> Option<String> {
        Some(match name {
            "program" => self.program.clone(),
            "credential" => self.credential.clone(),
            "level" => self.level.clone(),
            "name" => self.name.clone(),
            "date" => self.date.to_string(),
            "date_long" => self.date.format("%-d %B %Y").to_string(),
            "number" => self.number.clone(),
            "trainers" => self.trainers.join("; "),
            "cohort" => self.cohort.clone(),
            "cohort_name" => self.cohort_name.clone(),
            "verify_url" => self.verify_url.clone(),
            _ => return None,
        })
    }
}

/// The address a certificate's QR code holds: `{number}` in `verify_url`
/// is replaced by the number; otherwise the number is added after `#`, so
/// that it reaches the verification page but never the web server's logs.
pub fn verify_address(verify_url: &str, number: &str) -> String {
    if verify_url.contains("{number}") {
        verify_url.replace("{number}", number)
    } else {
        format!("{verify_url}#{number}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_goes_after_a_hash_or_into_its_placeholder() {
        assert_eq!(
            verify_address("https://x.org/", "PSCE-1234-5678-9"),
            "https://x.org/#PSCE-1234-5678-9"
        );
        assert_eq!(
            verify_address("https://x.org/v?n={number}", "PSCE-1"),
            "https://x.org/v?n=PSCE-1"
        );
    }
}
