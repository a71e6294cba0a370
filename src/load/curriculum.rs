//! `curriculum.toml`: the program, its thresholds and its webinars.
//! Reading parses and locates; [`crate::validate::cohort`] checks the
//! minutes and the numbering.

use toml::de::DeTable;

use super::tomlx::{Tbl, TomlReader, table_list};
use super::{CURRICULUM, FileKind, Reported, Root, read_source};
use crate::diag::{Diagnostics, Kind};
use crate::model::{CertificateSettings, Curriculum, Hours, Paper, Webinar};
use crate::validate::cohort::{CurriculumPlaces, validate_minutes, validate_webinars};

/// `None` when the file is missing or has errors that leave no usable program.
pub fn load_curriculum(root: &Root, diags: &mut Diagnostics) -> Option<Curriculum> {
    let src = match read_source(root, CURRICULUM, FileKind::Toml, diags) {
        Ok(Some(src)) => src,
        Ok(None) => {
            diags.error(Kind::MissingFile, CURRICULUM, None, "is missing");
            return None;
        }
        Err(Reported) => return None,
    };
    let errors_before = diags.errors();
    let mut r = TomlReader::new(&src, diags);
    let doc = r.parse()?;
    let top = r.top(&doc, CURRICULUM);
    let known = [
        "program",
        "attendance",
        "practicum",
        "webinar",
        "certificate",
    ];
    r.unknown_keys(top, &known);
    let program = section(&mut r, &doc, "program").and_then(|t| read_program(&mut r, t));
    let minutes = section(&mut r, &doc, "attendance").and_then(|t| read_minutes(&mut r, t));
    let required_hours =
        section(&mut r, &doc, "practicum").and_then(|t| read_required_hours(&mut r, t));
    let webinars = read_webinars(&mut r, &doc);
    let certificate = read_certificate(&mut r, &doc);
    if r.diags.errors() > errors_before {
        return None;
    }
    let (program_name, credential, certificate_prefix) = program?;
    let (session_minutes, min_minutes) = minutes?;
    Some(Curriculum {
        program_name,
        credential,
        certificate_prefix,
        session_minutes: session_minutes as u32,
        min_minutes: min_minutes as u32,
        required_hours: required_hours?,
        webinars: webinars?,
        certificate: certificate?,
    })
}

/// The table `[key]`, named so in messages; its absence is an error.
fn section<'t>(r: &mut TomlReader, doc: &'t DeTable<'t>, key: &'static str) -> Option<Tbl<'t>> {
    let value = doc.get(key);
    match value.and_then(|v| v.get_ref().as_table()) {
        Some(table) => Some(Tbl {
            table,
            name: match key {
                "program" => "[program]",
                "attendance" => "[attendance]",
                _ => "[practicum]",
            },
            line: value.and_then(|v| r.span_line(v.span())),
        }),
        None => {
            r.error(Kind::MissingTable, Some(1), format!("has no [{key}] table"))
                .help(format!("add a [{key}] section; see docs/files.md"));
            None
        }
    }
}

fn read_program(r: &mut TomlReader, t: Tbl<'_>) -> Option<(String, String, String)> {
    r.unknown_keys(t, &["name", "credential", "certificate_prefix"]);
    let name = r.string(t, "name", true);
    let credential = r.string(t, "credential", true);
    let prefix = r.string(t, "certificate_prefix", true);
    let good_prefix = |p: &String| {
        (1..=8).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    if let Some(p) = prefix.as_ref().filter(|p| !good_prefix(p)) {
        r.error(
            Kind::BadCertificatePrefix,
            r.key_line(t, "certificate_prefix"),
            format!(
                "certificate_prefix \"{p}\" must be 1 to 8 capital letters or digits, e.g. \"PSCE\""
            ),
        );
        return None;
    }
    Some((name?, credential?, prefix?))
}

fn read_minutes(r: &mut TomlReader, t: Tbl<'_>) -> Option<(i64, i64)> {
    r.unknown_keys(t, &["session_minutes", "min_minutes"]);
    let session = r.integer(t, "session_minutes", true);
    let min = r.integer(t, "min_minutes", true);
    let places = CurriculumPlaces {
        session_minutes: r.key_line(t, "session_minutes"),
        min_minutes: r.key_line(t, "min_minutes"),
    };
    let minutes = (session?, min?);
    validate_minutes(minutes, &places, r.diags).then_some(minutes)
}

fn read_required_hours(r: &mut TomlReader, t: Tbl<'_>) -> Option<Hours> {
    r.unknown_keys(t, &["required_hours"]);
    let v = r.value(t, "required_hours", true)?;
    let text = match v.get_ref() {
        toml::de::DeValue::Integer(i) => i.as_str().to_string(),
        toml::de::DeValue::Float(f) => f
            .as_str()
            .parse::<f64>()
            .map_or(String::new(), |f| f.to_string()),
        toml::de::DeValue::String(s) => s.to_string(),
        _ => String::new(),
    };
    Hours::parse(&text)
        .map_err(|e| {
            let line = r.key_line(t, "required_hours");
            r.error(Kind::BadHours, line, format!("required_hours: {e}"));
        })
        .ok()
}

/// `[certificate]`: optional; `paper` is "A4" (default) or "Letter",
/// `verify_url` an http(s) address.
fn read_certificate(r: &mut TomlReader, doc: &DeTable<'_>) -> Option<CertificateSettings> {
    let Some(value) = doc.get("certificate") else {
        return Some(CertificateSettings::default());
    };
    let line = r.span_line(value.span());
    let Some(table) = value.get_ref().as_table() else {
        r.error(
            Kind::WrongValueType,
            line,
            "`certificate` must be a [certificate] table",
        );
        return None;
    };
    let t = Tbl::new(table, "[certificate]", line);
    r.unknown_keys(t, &["paper", "verify_url"]);
    let paper = match r.string(t, "paper", false) {
        None => Some(Paper::A4),
        Some(p) if p.eq_ignore_ascii_case("a4") => Some(Paper::A4),
        Some(p) if p.eq_ignore_ascii_case("letter") => Some(Paper::Letter),
        Some(p) => {
            let message = format!("paper \"{p}\" is not a paper size; use \"A4\" or \"Letter\"");
            r.error(Kind::BadPaper, r.key_line(t, "paper"), message);
            None
        }
    };
    let verify_url = r.string(t, "verify_url", false);
    if let Some(url) = &verify_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        let message = format!(
            "verify_url \"{url}\" is not a web address; write the address the verification site is published at, e.g. \"https://certificates.example.org/\""
        );
        r.error(Kind::BadVerifyUrl, r.key_line(t, "verify_url"), message);
        return None;
    }
    Some(CertificateSettings {
        paper: paper?,
        verify_url,
    })
}

fn read_webinars(r: &mut TomlReader, doc: &DeTable<'_>) -> Option<Vec<Webinar>> {
    let Some(list) = doc.get("webinar").and_then(|v| table_list(r, v)) else {
        r.error(Kind::MissingTable, Some(1), "has no [[webinar]] tables")
            .help("add one [[webinar]] table per mandatory webinar, numbered 1, 2, 3, …");
        return None;
    };
    let mut webinars: Vec<(Webinar, Option<usize>)> = Vec::new();
    let mut ok = true;
    for (table, line) in list {
        let t = Tbl::new(table, "[[webinar]]", line);
        r.unknown_keys(t, &["number", "title", "topics"]);
        let number = r.integer(t, "number", true);
        let title = r.string(t, "title", true);
        let topics = r.strings(t, "topics", false).unwrap_or_default();
        match (number, title) {
            (Some(n), Some(title)) if (1..=99).contains(&n) => {
                let number = n as u32;
                let webinar = Webinar {
                    number,
                    title,
                    topics,
                };
                webinars.push((webinar, line));
            }
            (Some(n), Some(_)) => {
                let message =
                    format!("webinar number {n} is out of range; webinars are numbered 1 to 99");
                r.error(Kind::WebinarOutOfRange, r.key_line(t, "number"), message);
                ok = false;
            }
            _ => ok = false,
        }
    }
    let ok = validate_webinars(&mut webinars, r.diags) && ok;
    ok.then(|| webinars.into_iter().map(|(w, _)| w).collect())
}
