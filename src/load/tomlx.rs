//! Reading typed values out of a parsed TOML document, recording a located
//! problem for every value that is missing or of the wrong kind.

use std::ops::Range;

use chrono::NaiveDate;
use toml_edit::{Item, TableLike, Value};

use super::Source;
use crate::diag::{Diagnostics, did_you_mean};

/// A parsed TOML file and where its problems go.
pub struct TomlReader<'a> {
    pub src: &'a Source,
    pub diags: &'a mut Diagnostics,
    line_starts: Vec<usize>,
}

/// A table and how to name it in messages (`[program]`, `participant p03`).
#[derive(Clone, Copy)]
pub struct Tbl<'t> {
    pub table: &'t dyn TableLike,
    pub name: &'t str,
    /// Where the table starts, for problems of missing keys.
    pub line: Option<usize>,
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

    pub fn parse(&mut self) -> Option<toml_edit::Document<String>> {
        match toml_edit::Document::parse(self.src.text.clone()) {
            Ok(doc) => Some(doc),
            Err(e) => {
                let span = e.span();
                let line = span.as_ref().map(|s| self.line_of(s.start));
                let message = e.message().trim().to_string();
                let excerpt = span.map(|span| {
                    let (text, start, end) = self.line_excerpt(span);
                    (text.to_string(), start, end)
                });
                let d =
                    self.diags
                        .error(&self.src.rel, line, format!("is not valid TOML: {message}"));
                if let Some((text, start, end)) = excerpt {
                    d.excerpt(&text, start, end);
                }
                d.help("the TOML format is described at toml.io; a common slip is a missing quote or a missing closing ]");
                None
            }
        }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    pub fn span_line(&self, span: Option<Range<usize>>) -> Option<usize> {
        span.map(|s| self.line_of(s.start))
    }

    /// The text of the line holding `span.start`, and `span` relative to it.
    fn line_excerpt(&self, span: Range<usize>) -> (&str, usize, usize) {
        let line = self.line_of(span.start);
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.src.text.len(), |&e| e);
        let text = &self.src.text[start..end];
        (text, span.start - start, span.end.min(end) - start)
    }

    /// The line of `key`'s value in `t`, else of the table.
    pub fn key_line(&self, t: Tbl<'_>, key: &str) -> Option<usize> {
        t.table
            .get_key_value(key)
            .and_then(|(k, item)| item.span().or_else(|| k.span()))
            .map(|s| self.line_of(s.start))
            .or(t.line)
    }

    fn error_at(&mut self, t: Tbl<'_>, key: &str, message: String, help: Option<String>) {
        let span = t.table.get_key_value(key).and_then(|(_, item)| item.span());
        let line = self.key_line(t, key);
        let excerpt = span.map(|s| {
            let (text, a, b) = self.line_excerpt(s);
            (text.to_string(), a, b)
        });
        let d = self.diags.error(&self.src.rel, line, message);
        if let Some((text, a, b)) = excerpt {
            d.excerpt(&text, a, b);
        }
        if let Some(help) = help {
            d.help(help);
        }
    }

    pub fn value<'t>(&mut self, t: Tbl<'t>, key: &str, required: bool) -> Option<&'t Value> {
        match t.table.get(key) {
            None => {
                if required {
                    let line = t.line;
                    self.diags
                        .error(&self.src.rel, line, format!("{} has no `{key}`", t.name));
                }
                None
            }
            Some(Item::Value(v)) => Some(v),
            Some(_) => {
                self.error_at(
                    t,
                    key,
                    format!("`{key}` in {} must be a value, not a table", t.name),
                    None,
                );
                None
            }
        }
    }

    pub fn string(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<String> {
        let v = self.value(t, key, required)?;
        match v.as_str() {
            Some(s) if required && s.trim().is_empty() => {
                self.error_at(t, key, format!("`{key}` in {} is empty", t.name), None);
                None
            }
            Some(s) => {
                self.visible(t, key, s)?;
                Some(s.to_string())
            }
            None => {
                self.wrong_kind(t, key, v, "text in quotes, e.g. \"…\"");
                None
            }
        }
    }

    pub fn integer(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<i64> {
        let v = self.value(t, key, required)?;
        match v.as_integer() {
            Some(n) => Some(n),
            None => {
                self.wrong_kind(t, key, v, "a whole number without quotes, e.g. 105");
                None
            }
        }
    }

    pub fn boolean(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<bool> {
        let v = self.value(t, key, required)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_kind(t, key, v, "true or false, without quotes");
                None
            }
        }
    }

    /// A TOML date (`2024-09-10`), or the same in quotes.
    pub fn date(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<NaiveDate> {
        let v = self.value(t, key, required)?;
        let parsed = match v {
            Value::Datetime(dt) => {
                let dt = dt.value();
                match (dt.date, dt.time) {
                    (Some(d), None) => {
                        NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                    }
                    _ => None,
                }
            }
            Value::String(s) => crate::model::parse_ymd(s.value().trim()),
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_kind(t, key, v, "a date like 2024-09-10");
        }
        parsed
    }

    pub fn strings(&mut self, t: Tbl<'_>, key: &str, required: bool) -> Option<Vec<String>> {
        let v = self.value(t, key, required)?;
        let strings: Option<Vec<String>> = v
            .as_array()
            .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect());
        if strings.is_none() {
            self.wrong_kind(t, key, v, "a list of texts, e.g. [\"a\", \"b\"]");
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
        self.error_at(
            t,
            key,
            crate::text::problem(&format!("`{key}` in {}", t.name), c),
            Some(
                "remove it: write the text on one line, without escapes such as \\u001b or \\n"
                    .to_string(),
            ),
        );
        None
    }

    fn wrong_kind(&mut self, t: Tbl<'_>, key: &str, v: &Value, expected: &str) {
        let found = v.to_string();
        let found = found.trim();
        self.error_at(
            t,
            key,
            format!("`{key}` in {} is {found}; expected {expected}", t.name),
            None,
        );
    }

    /// Refuses keys the tool does not read: most often a typo, and an
    /// ignored typo can change an outcome (`recomend = true` would give
    /// Level 1 in place of Level 1R), so it is an error, not a warning.
    pub fn unknown_keys(&mut self, t: Tbl<'_>, known: &[&str]) {
        for (key, item) in t.table.iter() {
            if known.contains(&key) {
                continue;
            }
            let line = self.span_line(item.span()).or(t.line);
            let d = self.diags.error(
                &self.src.rel,
                line,
                format!("unknown key `{key}` in {}; cohort does not read it", t.name),
            );
            match did_you_mean(key, known.iter().copied()) {
                Some(k) => d.help(format!("did you mean `{k}`?")),
                None => d.help(format!("known keys: {}", known.join(", "))),
            };
        }
    }

    pub fn error(
        &mut self,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> &mut crate::diag::Diagnostic {
        self.diags.error(&self.src.rel, line, message)
    }

    pub fn warning(
        &mut self,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> &mut crate::diag::Diagnostic {
        self.diags.warning(&self.src.rel, line, message)
    }
}

/// One table of a list, with the span of its header.
pub type ListedTable<'t> = (&'t dyn TableLike, Option<Range<usize>>);

/// Array-of-tables entries (`[[session]]`) with their header lines; an
/// inline array of inline tables is accepted too.
pub fn table_list(item: &Item) -> Option<Vec<ListedTable<'_>>> {
    match item {
        Item::ArrayOfTables(a) => Some(a.iter().map(|t| (t as &dyn TableLike, t.span())).collect()),
        Item::Value(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_inline_table().map(|t| (t as &dyn TableLike, v.span())))
            .collect(),
        _ => None,
    }
}

/// The span of a table-like item for its line.
pub fn item_span(item: &Item) -> Option<Range<usize>> {
    match item {
        Item::Table(t) => t.span(),
        other => other.span(),
    }
}
