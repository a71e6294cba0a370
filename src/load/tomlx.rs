//! Reading typed values out of a parsed TOML file, recording a located
//! problem for every value that is missing or of the wrong kind.
//!
//! The files are parsed with `toml`'s `DeTable` (the parser `toml_edit`
//! is built on, without the layer that keeps spaces and comments for
//! editing: about three times quicker, and every syntax error of a file is
//! reported, not only the first). Edits go through `toml_edit`
//! (`crate::write`), which keeps the file as its author wrote it.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Source;
use crate::diag::{Diagnostic, Diagnostics, Kind, did_you_mean};

/// A parsed TOML value with the bytes it was read from.
pub type Value<'i> = Spanned<DeValue<'i>>;

/// A TOML file being read and where its problems go.
pub struct TomlReader<'a> {
    pub src: &'a Source,
    pub diags: &'a mut Diagnostics,
    line_starts: Vec<usize>,
}

/// A table and how to name it in messages (`[program]`, `participant p03`).
#[derive(Clone, Copy)]
pub struct Tbl<'t> {
    pub table: &'t DeTable<'t>,
    pub name: &'t str,
    /// Where the table starts, for problems of missing keys.
    pub line: Option<usize>,
}

impl<'t> Tbl<'t> {
    /// Table `table`, named `name` in messages, starting on `line`.
    pub fn new(table: &'t DeTable<'t>, name: &'t str, line: Option<usize>) -> Self {
        Tbl { table, name, line }
    }
}

impl<'a> TomlReader<'a> {
    pub fn new(src: &'a Source, diags: &'a mut Diagnostics) -> Self {
        let line_starts = std::iter::once(0)
            .chain(src.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        TomlReader {
            src,
            diags,
            line_starts,
        }
    }

    /// The file's top table, or `None` after recording every syntax error.
    pub fn parse(&mut self) -> Option<DeTable<'a>> {
        let (doc, errors) = DeTable::parse_recoverable(&self.src.text);
        // A broken header (`[practicum`) leaves its keys in the table above,
        // where they repeat keys already there: "duplicate key" after a
        // syntax error is an echo of it, not a problem of its own.
        let echo = |e: &toml::de::Error| e.message().starts_with("duplicate");
        let broken = errors.iter().position(|e| !echo(e));
        let shown = errors
            .iter()
            .enumerate()
            .filter(|(i, e)| !(echo(e) && broken.is_some_and(|b| b < *i)));
        for (_, e) in shown {
            let message = format!("is not valid TOML: {}", e.message().trim());
            let d = self.located(Kind::TomlSyntax, e.span(), message);
            d.help("the TOML format is described at toml.io; a common slip is a missing quote or a missing closing ]");
        }
        errors.is_empty().then(|| doc.into_inner())
    }

    /// The top table of a parsed file, named `name` in messages.
    pub fn top<'t>(&self, doc: &'t DeTable<'t>, name: &'t str) -> Tbl<'t> {
        Tbl::new(doc, name, Some(1))
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    pub fn span_line(&self, span: Range<usize>) -> Option<usize> {
        Some(self.line_of(span.start))
    }

    /// An error at `span`'s line with the line as excerpt, `span` underlined.
    fn located(
        &mut self,
        kind: Kind,
        span: Option<Range<usize>>,
        message: String,
    ) -> &mut Diagnostic {
        let Some(span) = span else {
            return self.diags.error(kind, &self.src.rel, None, message);
        };
        let line = self.line_of(span.start);
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.src.text.len(), |&e| e);
        let text = &self.src.text[start..end];
        let (a, b) = (span.start - start, span.end.min(end) - start);
        self.diags
            .error(kind, &self.src.rel, Some(line), message)
            .excerpt(text, a, b)
    }

    /// The line of `key`'s value in `t`, else of the table.
    pub fn key_line(&self, t: Tbl<'_>, key: &str) -> Option<usize> {
        t.table
            .get(key)
            .map(|v| self.line_of(v.span().start))
            .or(t.line)
    }

    fn error_at(&mut self, kind: Kind, t: Tbl<'_>, key: &str, message: String) -> &mut Diagnostic {
        let span = t.table.get(key).map(|v| v.span());
        self.located(kind, span, message)
    }

    pub fn value<'t>(&mut self, t: Tbl<'t>, key: &str, required: bool) -> Option<&'t Value<'t>> {
        match t.table.get(key) {
            None => {
                if required {
                    let message = format!("{} has no `{key}`", t.name);
                    self.error(Kind::MissingKey, t.line, message);
                }
                None
            }
            Some(v) if v.get_ref().is_table() => {
                let message = format!("`{key}` in {} must be a value, not a table", t.name);
                self.error_at(Kind::WrongValueType, t, key, message);
                None
            }
            Some(v) => Some(v),
        }
    }

    pub fn string(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<String> {
        let v = self.value(t, key, required)?;
        match v.get_ref().as_str() {
            Some(s) if required && s.trim().is_empty() => {
                let message = format!("`{key}` in {} is empty", t.name);
                self.error_at(Kind::EmptyValue, t, key, message);
                None
            }
            Some(s) => {
                self.visible(t, key, s)?;
                Some(s.to_string())
            }
            None => {
                self.wrong_type(t, key, v, "text in quotes, e.g. \"…\"");
                None
            }
        }
    }

    pub fn integer(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<i64> {
        let v = self.value(t, key, required)?;
        let n = v
            .get_ref()
            .as_integer()
            .and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok());
        if n.is_none() {
            self.wrong_type(t, key, v, "a whole number without quotes, e.g. 105");
        }
        n
    }

    /// A whole or decimal number, as `f64`.
    pub fn number(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<(f64, &'a str)> {
        let v = self.value(t, key, required)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|i| i as f64),
            DeValue::Float(f) => f.as_str().parse().ok(),
            _ => None,
        };
        Some((n.unwrap_or(f64::NAN), self.raw(v)))
    }

    pub fn boolean(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<bool> {
        let v = self.value(t, key, required)?;
        let b = v.get_ref().as_bool();
        if b.is_none() {
            self.wrong_type(t, key, v, "true or false, without quotes");
        }
        b
    }

    /// A TOML date (`2024-09-10`), or the same in quotes.
    pub fn date(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<NaiveDate> {
        let v = self.value(t, key, required)?;
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => {
                    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                }
                _ => None,
            },
            DeValue::String(s) => crate::model::parse_ymd(s.trim()),
            _ => None,
        };
        if parsed.is_none() {
            // A date that is not one (in quotes, or with a time) is a bad
            // date; a number or a list is of the wrong type.
            let kind = match v.get_ref() {
                DeValue::String(_) | DeValue::Datetime(_) => Kind::BadDate,
                _ => Kind::WrongValueType,
            };
            self.not_a(kind, t, key, v, "a date like 2024-09-10");
        }
        parsed
    }

    pub fn strings(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<Vec<String>> {
        let v = self.value(t, key, required)?;
        let strings: Option<Vec<String>> = v.get_ref().as_array().and_then(|a| {
            a.iter()
                .map(|x| x.get_ref().as_str().map(str::to_string))
                .collect()
        });
        if strings.is_none() {
            self.wrong_type(t, key, v, "a list of texts, e.g. [\"a\", \"b\"]");
        }
        for s in strings.iter().flatten() {
            self.visible(t, key, s)?;
        }
        strings
    }

    /// Text holds no control character (see [`crate::text`]); else an error.
    fn visible(&mut self, t: Tbl<'_>, key: &str, s: &str) -> Option<()> {
        let Some(c) = crate::text::forbidden(s) else {
            return Some(());
        };
        let message = crate::text::problem(&format!("`{key}` in {}", t.name), c);
        self.error_at(Kind::ControlCharacter, t, key, message)
            .help("remove it: write the text on one line, without escapes such as \\u001b or \\n");
        None
    }

    /// The value as written in the file.
    fn raw(&self, v: &Value<'_>) -> &'a str {
        self.src.text[v.span()].trim()
    }

    /// [`TomlReader::not_a`] for a value of the wrong type.
    fn wrong_type(&mut self, t: Tbl<'_>, key: &str, v: &Value<'_>, expected: &str) {
        self.not_a(Kind::WrongValueType, t, key, v, expected);
    }

    /// `key`'s value `v` is not `expected`: an error of `kind`.
    fn not_a(&mut self, kind: Kind, t: Tbl<'_>, key: &str, v: &Value<'_>, expected: &str) {
        let found = self.raw(v);
        let message = format!("`{key}` in {} is {found}; expected {expected}", t.name);
        self.error_at(kind, t, key, message);
    }

    /// Refuses keys the tool does not read: most often a typo, and an
    /// ignored typo can change an outcome (`recomend = true` would give
    /// Level 1 in place of Level 1R), so it is an error, not a warning.
    pub fn unknown_keys(&mut self, t: Tbl<'_>, known: &[&str]) {
        for (key, value) in t.table.iter() {
            let key = key.get_ref().as_ref();
            if known.contains(&key) {
                continue;
            }
            let line = self.span_line(value.span()).or(t.line);
            let message = format!("unknown key `{key}` in {}; cohort does not read it", t.name);
            let d = self.error(Kind::UnknownKey, line, message);
            match did_you_mean(key, known.iter().copied()) {
                Some(k) => d.help(format!("did you mean `{k}`?")),
                None => d.help(format!("known keys: {}", known.join(", "))),
            };
        }
    }

    pub fn error(
        &mut self,
        kind: Kind,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags.error(kind, &self.src.rel, line, message)
    }
}

/// The tables of a list (`[[session]]`, or an inline array of inline
/// tables), each with the line of its header; `None` when `value` is not one.
pub fn table_list<'t>(
    r: &TomlReader<'_>,
    value: &'t Value<'t>,
) -> Option<Vec<(&'t DeTable<'t>, Option<usize>)>> {
    value
        .get_ref()
        .as_array()?
        .iter()
        .map(|v| Some((v.get_ref().as_table()?, r.span_line(v.span()))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str) -> Vec<(Option<usize>, String)> {
        let src = Source {
            rel: "x.toml".to_string(),
            text: text.to_string(),
        };
        let mut diags = Diagnostics::default();
        assert!(TomlReader::new(&src, &mut diags).parse().is_none());
        diags
            .items
            .into_iter()
            .map(|d| (d.line, d.message))
            .collect()
    }

    #[test]
    fn every_syntax_error_of_a_file_is_reported() {
        let errors = errors_of("a = \"x\nb = 1\nc = [1,\nd = 2024-09-31\n");
        let lines: Vec<_> = errors.iter().map(|(l, _)| *l).collect();
        assert!(
            lines.contains(&Some(1)) && lines.contains(&Some(4)),
            "{errors:?}"
        );
    }

    #[test]
    fn duplicate_keys_are_reported_alone_but_not_as_echoes_of_a_broken_header() {
        let errors = errors_of("a = 1\na = 2\n[t]\nb = 1\n[t]\n");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(|(_, m)| m.contains("duplicate key")));
        let errors = errors_of("[p]\nname = 1\n[q\nname = 2\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, Some(3));
    }
}
