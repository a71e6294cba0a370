//! `curriculum.toml`: the program, its thresholds and its webinars.

use super::tomlx::{Tbl, TomlReader, item_span, table_list};
use super::{CURRICULUM, FileKind, Reported, Root, read_source};
use crate::diag::Diagnostics;
use crate::model::{CertificateSettings, Curriculum, Hours, Paper, Webinar};

/// `None` when the file is missing or has errors that leave no usable program.
pub fn load_curriculum(root: &Root, diags: &mut Diagnostics) -> Option<Curriculum> {
    let src = match read_source(root, CURRICULUM, FileKind::Toml, diags) {
        Ok(Some(src)) => src,
        Ok(None) => {
            diags.error(CURRICULUM, None, "is missing");
            return None;
        }
        Err(Reported) => return None,
    };
    let errors_before = diags.errors();
    let mut r = TomlReader::new(&src, diags);
    let doc = r.parse()?;
    let top = Tbl {
        table: doc.as_table(),
        name: CURRICULUM,
        line: Some(1),
    };
    r.unknown_keys(
        top,
        &[
            "program",
            "attendance",
            "practicum",
            "webinar",
            "certificate",
        ],
    );

    let section = |r: &mut TomlReader, key: &'static str| {
        let item = doc.get(key);
        match item.and_then(|i| i.as_table_like()) {
            Some(table) => Some((table, r.span_line(item.and_then(item_span)))),
            None => {
                r.error(Some(1), format!("has no [{key}] table"))
                    .help(format!("add a [{key}] section; see docs/files.md"));
                None
            }
        }
    };

    let mut program = (None, None, None);
    if let Some((table, line)) = section(&mut r, "program") {
        let t = Tbl {
            table,
            name: "[program]",
            line,
        };
        r.unknown_keys(t, &["name", "credential", "certificate_prefix"]);
        program.0 = r.string(t, "name", true);
        program.1 = r.string(t, "credential", true);
        program.2 = r.string(t, "certificate_prefix", true);
        let bad_prefix = |p: &String| {
            !(1..=8).contains(&p.len())
                || !p
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        };
        if program.2.as_ref().is_some_and(bad_prefix) {
            let line = r.key_line(t, "certificate_prefix");
            r.error(line, format!("certificate_prefix \"{}\" must be 1 to 8 capital letters or digits, e.g. \"PSCE\"", program.2.as_deref().unwrap_or("")));
            program.2 = None;
        }
    }

    let mut minutes = (None, None);
    if let Some((table, line)) = section(&mut r, "attendance") {
        let t = Tbl {
            table,
            name: "[attendance]",
            line,
        };
        r.unknown_keys(t, &["session_minutes", "min_minutes"]);
        minutes.0 = r.integer(t, "session_minutes", true);
        minutes.1 = r.integer(t, "min_minutes", true);
        if let Some(s) = minutes.0
            && !(1..=24 * 60).contains(&s)
        {
            let line = r.key_line(t, "session_minutes");
            r.error(line, format!("session_minutes is {s}; expected the length of one webinar in minutes, e.g. 120"));
            minutes.0 = None;
        }
        if let (Some(s), Some(m)) = minutes
            && !(0..=s).contains(&m)
        {
            let line = r.key_line(t, "min_minutes");
            r.error(
                line,
                format!("min_minutes is {m}; it must be between 0 and session_minutes ({s})"),
            );
            minutes.1 = None;
        }
    }

    let mut required_hours = None;
    if let Some((table, line)) = section(&mut r, "practicum") {
        let t = Tbl {
            table,
            name: "[practicum]",
            line,
        };
        r.unknown_keys(t, &["required_hours"]);
        if let Some(v) = r.value(t, "required_hours", true) {
            let text = match (v.as_integer(), v.as_float(), v.as_str()) {
                (Some(i), _, _) => i.to_string(),
                (_, Some(f), _) => f.to_string(),
                (_, _, Some(s)) => s.to_string(),
                _ => String::new(),
            };
            match Hours::parse(&text) {
                Ok(h) => required_hours = Some(h),
                Err(e) => {
                    let line = r.key_line(t, "required_hours");
                    r.error(line, format!("required_hours: {e}"));
                }
            }
        }
    }

    let webinars = load_webinars(&mut r, &doc);
    let certificate = load_certificate(&mut r, &doc);

    if r.diags.errors() > errors_before {
        return None;
    }
    let (Some(name), Some(credential), Some(prefix)) = program else {
        return None;
    };
    let (Some(session_minutes), Some(min_minutes)) = minutes else {
        return None;
    };
    Some(Curriculum {
        program_name: name,
        credential,
        certificate_prefix: prefix,
        session_minutes: session_minutes as u32,
        min_minutes: min_minutes as u32,
        required_hours: required_hours?,
        webinars: webinars?,
        certificate: certificate?,
    })
}

/// `[certificate]`: optional; `paper` is "A4" (default) or "Letter",
/// `verify_url` an http(s) address.
fn load_certificate(
    r: &mut TomlReader,
    doc: &toml_edit::Document<String>,
) -> Option<CertificateSettings> {
    let Some(item) = doc.get("certificate") else {
        return Some(CertificateSettings::default());
    };
    let Some(table) = item.as_table_like() else {
        r.error(
            r.span_line(item_span(item)),
            "`certificate` must be a [certificate] table",
        );
        return None;
    };
    let t = Tbl {
        table,
        name: "[certificate]",
        line: r.span_line(item_span(item)),
    };
    r.unknown_keys(t, &["paper", "verify_url"]);
    let mut ok = true;
    let paper = match r.string(t, "paper", false) {
        None => Paper::A4,
        Some(p) if p.eq_ignore_ascii_case("a4") => Paper::A4,
        Some(p) if p.eq_ignore_ascii_case("letter") => Paper::Letter,
        Some(p) => {
            let line = r.key_line(t, "paper");
            r.error(
                line,
                format!("paper \"{p}\" is not a paper size; use \"A4\" or \"Letter\""),
            );
            ok = false;
            Paper::A4
        }
    };
    let verify_url = r.string(t, "verify_url", false);
    if let Some(url) = &verify_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        let line = r.key_line(t, "verify_url");
        r.error(
            line,
            format!("verify_url \"{url}\" is not a web address; write the address the verification site is published at, e.g. \"https://certificates.example.org/\""),
        );
        ok = false;
    }
    ok.then_some(CertificateSettings { paper, verify_url })
}

fn load_webinars(r: &mut TomlReader, doc: &toml_edit::Document<String>) -> Option<Vec<Webinar>> {
    let Some(list) = doc.get("webinar").and_then(table_list) else {
        r.error(Some(1), "has no [[webinar]] tables")
            .help("add one [[webinar]] table per mandatory webinar, numbered 1, 2, 3, …");
        return None;
    };
    let mut webinars: Vec<(Webinar, Option<usize>)> = Vec::new();
    let mut ok = true;
    for (table, span) in list {
        let line = r.span_line(span);
        let t = Tbl {
            table,
            name: "[[webinar]]",
            line,
        };
        r.unknown_keys(t, &["number", "title", "topics"]);
        let number = r.integer(t, "number", true);
        let title = r.string(t, "title", true);
        let topics = r.strings(t, "topics", false).unwrap_or_default();
        match (number, title) {
            (Some(n), Some(title)) if (1..=99).contains(&n) => webinars.push((
                Webinar {
                    number: n as u32,
                    title,
                    topics,
                },
                line,
            )),
            (Some(n), Some(_)) => {
                let line = r.key_line(t, "number");
                r.error(
                    line,
                    format!("webinar number {n} is out of range; webinars are numbered 1 to 99"),
                );
                ok = false;
            }
            _ => ok = false,
        }
    }
    webinars.sort_by_key(|(w, _)| w.number);
    for (i, (w, line)) in webinars.iter().enumerate() {
        let expected = i as u32 + 1;
        if w.number != expected {
            let what = if i > 0 && webinars[i - 1].0.number == w.number {
                format!("webinar {} is defined twice", w.number)
            } else {
                format!(
                    "webinar {expected} is missing (the next one is {})",
                    w.number
                )
            };
            r.error(*line, what)
                .help("number the [[webinar]] tables 1, 2, 3, … without gaps or repeats");
            ok = false;
            break;
        }
    }
    ok.then(|| webinars.into_iter().map(|(w, _)| w).collect())
}
