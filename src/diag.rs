//! Problems found in the data files, reported all at once.
//!
//! Every problem is a value: loaders push them into [`Diagnostics`] and go
//! on, so `check` can list every mistake in one run, each as
//! `PATH:LINE: error: …` with an excerpt and a caret where that helps, and
//! what would be right.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A piece of the offending line, to show with a caret under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// Byte range within `text` to underline.
    pub start: usize,
    pub end: usize,
    /// 1-based, in characters, of the underlined part's start in the whole
    /// line (`text` may be a window of a long one).
    pub column: usize,
}

/// What a problem is: a stable code for scripts, the `kind` of
/// `cohort check --format json` (docs/json.md lists and explains each).
/// The code is the variant's name in kebab-case; the file it is found in
/// is not part of it (`bad-date` is a bad date in any file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum Kind {
    // Files and folders.
    MissingFile,
    UnknownCohort,
    Unreadable,
    SymbolicLink,
    NotAFile,
    FileTooLarge,
    NotUtf8,
    ConflictMarkers,
    LoneConflictMarker,
    StrayFile,
    LeftoverTempFile,
    FolderWithoutCohort,
    BadFolderName,
    // Any file.
    ControlCharacter,
    LostLetters,
    RepeatedRow,
    BadDate,
    BadTimestamp,
    BadStatus,
    BadHours,
    BadParticipantId,
    EmptyParticipant,
    UnknownParticipant,
    // TOML files.
    TomlSyntax,
    UnknownKey,
    MissingKey,
    MissingTable,
    EmptyValue,
    WrongValueType,
    BadChoice,
    // CSV files and spreadsheets.
    DuplicateColumn,
    MissingColumn,
    UnknownColumn,
    WrongCellCount,
    SpreadsheetError,
    UnnamedColumn,
    // The curriculum.
    BadSessionMinutes,
    BadMinMinutes,
    WebinarOutOfRange,
    WebinarNumbering,
    BadCertificatePrefix,
    BadPaper,
    BadVerifyUrl,
    // A cohort.
    IdMismatch,
    BadTimezone,
    BadTime,
    EndBeforeStart,
    SessionTimeSkipped,
    SessionTimeRepeated,
    UnknownWebinar,
    DuplicateSession,
    MissingSession,
    SessionsOutOfOrder,
    DuplicateParticipant,
    BadEmail,
    SameEmail,
    EvaluationBeforeLastSession,
    WithdrawnWithEvaluation,
    ResultNotRecommended,
    // Attendance logs.
    BadMinutes,
    PartialWithoutMinutes,
    MakeupWithoutNote,
    AttendanceAfterWithdrawal,
    RecordedOnTwoMachines,
    StandingRowRecordedBefore,
    MissingRow,
    UnrecordedSession,
    // Practicum logs.
    BadPracticumKind,
    FutureDate,
    #[strum(serialize = "over-24-hours")]
    Over24Hours,
    ReversalWithoutNote,
    ReversalTooMuch,
    NotCounted,
    // The certificate register.
    BadNumber,
    NumberMistyped,
    NumberNotCanonical,
    NumberReused,
    BadCohortId,
    EmptyName,
    BadLevel,
    RevokesUnissued,
    RevokedTwice,
    RevocationDiffers,
    RevocationWithoutReason,
    IssuedTwice,
    CertificateWithoutCohort,
    CertificateWithoutParticipant,
    LevelNowLower,
    // The certificate template.
    NumberNotPrinted,
    BadPlaceholder,
    OutOfRange,
    BadColor,
    BadFont,
    // Rosters and timesheets read by `enroll --from` and `practicum --from`.
    AlreadyEnrolled,
    AlreadyLogged,
}

impl Kind {
    pub fn code(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: Kind,
    /// Relative to the data root, with `/` separators.
    pub path: String,
    /// 1-based; `None` for a problem with the file as a whole.
    pub line: Option<usize>,
    pub message: String,
    pub excerpt: Option<Excerpt>,
    /// What would be right, when the message alone does not say it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Underline bytes `start..end` of `line_text`. A long line is kept
    /// only around the underlined part ([`EXCERPT_BYTES`]), so a 10 MB cell
    /// gives a short excerpt.
    pub fn excerpt(&mut self, line_text: &str, start: usize, end: usize) -> &mut Self {
        let text = line_text.trim_end_matches(['\r', '\n']);
        let end = end.min(text.len()).max(start.min(text.len()));
        let start = start.min(end);
        if text.is_char_boundary(start) && text.is_char_boundary(end) {
            self.excerpt = Some(window(text, start, end));
        }
        self
    }

    /// `path:line: error: message`, then the excerpt and the help.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        self.render_into(&mut out, color);
        out
    }

    /// [`Diagnostic::render`], appended to `out` without building the
    /// pieces apart (`check` renders a hundred thousand of them).
    pub fn render_into(&self, out: &mut String, color: bool) {
        let paint = |out: &mut String, style: Style, text: &str| {
            if color {
                write!(out, "{}{text}{}", style.render(), style.render_reset()).ok();
            } else {
                out.push_str(text);
            }
        };
        let style = match self.severity {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        };
        // Text from the files reaches the terminal only escaped (crate::text).
        use crate::text::shown as esc;
        out.push_str(&esc(&self.path));
        if let Some(line) = self.line {
            write!(out, ":{line}").ok();
        }
        out.push_str(": ");
        paint(out, style, self.severity.into());
        out.push_str(": ");
        out.push_str(&esc(&self.message));
        out.push('\n');
        if let (Some(ex), Some(line)) = (&self.excerpt, self.line) {
            let gutter = line.to_string();
            // Tabs are expanded first: they line the caret up, not escaped.
            let shown = esc(&expand_tabs(&ex.text)).into_owned();
            let before = esc(&expand_tabs(&ex.text[..ex.start])).into_owned();
            let marked = esc(&expand_tabs(&ex.text[ex.start..ex.end])).into_owned();
            let blue = AnsiColor::Blue.on_default().bold();
            out.push(' ');
            paint(out, blue, &gutter);
            out.push(' ');
            paint(out, blue, "|");
            out.push(' ');
            out.push_str(&shown);
            out.push_str("\n ");
            out.extend(std::iter::repeat_n(' ', gutter.len()));
            out.push(' ');
            paint(out, blue, "|");
            out.push(' ');
            out.extend(std::iter::repeat_n(' ', before.width()));
            paint(out, style, &"^".repeat(marked.width().max(1)));
            out.push('\n');
        }
        if let Some(help) = &self.help {
            out.push(' ');
            paint(out, Style::new().bold(), "help:");
            out.push(' ');
            out.push_str(&esc(help));
            out.push('\n');
        }
    }
}

/// One problem as `--format json` gives it (documented in docs/json.md).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiagnosticJson {
    pub file: String,
    /// 1-based; `null` for a problem with the file as a whole.
    pub line: Option<usize>,
    /// 1-based, in characters, of the underlined text; `null` without one.
    pub column: Option<usize>,
    pub severity: &'static str,
    pub kind: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// The typed JSON shape of this problem.
    pub fn to_json(&self) -> DiagnosticJson {
        DiagnosticJson {
            file: self.path.clone(),
            line: self.line,
            column: self.excerpt.as_ref().map(|ex| ex.column),
            severity: self.severity.into(),
            kind: self.kind.code(),
            message: self.message.clone(),
            help: self.help.clone(),
        }
    }
}

/// The most of a line an excerpt keeps, in bytes (about as many columns).
pub const EXCERPT_BYTES: usize = 160;
/// The most of a message kept, in bytes: a message quoting a huge cell
/// keeps its start and its end (which says what would be right).
pub const MESSAGE_BYTES: usize = 400;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `text` cut to about [`EXCERPT_BYTES`] around `start..end`, with `…`
/// where it was cut, and the underlined range within the cut text.
fn window(text: &str, start: usize, end: usize) -> Excerpt {
    let column = text[..start].chars().count() + 1;
    if text.len() <= EXCERPT_BYTES {
        return Excerpt {
            text: text.to_string(),
            start,
            end,
            column,
        };
    }
    let left = floor_boundary(text, start.saturating_sub(EXCERPT_BYTES / 4));
    let marked_end = floor_boundary(text, end.min(start + EXCERPT_BYTES / 2)).max(start);
    let right = floor_boundary(text, marked_end + EXCERPT_BYTES / 4).max(marked_end);
    let mut cut = String::with_capacity(right - left + 8);
    if left > 0 {
        cut.push('…');
    }
    let offset = cut.len();
    cut.push_str(&text[left..right]);
    if right < text.len() {
        cut.push('…');
    }
    Excerpt {
        text: cut,
        start: start - left + offset,
        end: marked_end - left + offset,
        column,
    }
}

/// `message` cut in the middle to about [`MESSAGE_BYTES`].
fn bounded(message: String) -> String {
    if message.len() <= MESSAGE_BYTES {
        return message;
    }
    let head = floor_boundary(&message, MESSAGE_BYTES / 2);
    let tail = floor_boundary(&message, message.len() - MESSAGE_BYTES / 3);
    format!(
        "{} … ({} bytes left out) … {}",
        &message[..head],
        tail - head,
        &message[tail..]
    )
}

/// Tabs as four spaces; borrowed when there are none.
fn expand_tabs(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\t') {
        text.replace('\t', "    ").into()
    } else {
        text.into()
    }
}

/// Every problem found so far, in the order found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
    /// Keep at most this many warnings in full and only count the rest:
    /// for commands that show a few and go on.
    pub warning_limit: Option<usize>,
    /// Warnings counted but not kept.
    pub skipped_warnings: usize,
}

impl Diagnostics {
    /// Keeps `limit` warnings in full, counts the others.
    pub fn brief(limit: usize) -> Diagnostics {
        Diagnostics {
            warning_limit: Some(limit),
            ..Diagnostics::default()
        }
    }

    /// Whether a warning about to be made is kept; if not, it is counted.
    /// Callers on hot paths ask before building the message.
    pub fn wants_warning(&mut self) -> bool {
        let Some(limit) = self.warning_limit else {
            return true;
        };
        if self.count(Severity::Warning) >= limit {
            self.skipped_warnings += 1;
            return false;
        }
        true
    }

    pub fn push(
        &mut self,
        severity: Severity,
        kind: Kind,
        path: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.items.push(Diagnostic {
            severity,
            kind,
            path: path.to_string(),
            line,
            message: bounded(message.into()),
            excerpt: None,
            help: None,
        });
        self.items.last_mut().expect("just pushed")
    }

    pub fn error(
        &mut self,
        kind: Kind,
        path: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Severity::Error, kind, path, line, message)
    }

    pub fn warning(
        &mut self,
        kind: Kind,
        path: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Severity::Warning, kind, path, line, message)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        self.skipped_warnings += other.skipped_warnings;
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning) + self.skipped_warnings
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Sorted by file, then line, so the listing reads like the files.
    /// Stable, so problems on one line keep the order they were found in.
    pub fn sort(&mut self) {
        self.items
            .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    }

    /// Prints every problem to stderr in full.
    pub fn print(&self, color: bool) {
        for d in &self.items {
            crate::term::eprint(&d.render(color));
        }
    }

    /// For commands that go on despite warnings: one line each, at most
    /// `limit` of them, then a pointer to `cohort check` for the rest.
    pub fn print_brief(&self, color: bool, limit: usize) {
        for d in self.items.iter().take(limit) {
            let full = d.render(color);
            crate::term::eprint(full.lines().next().unwrap_or(""));
            crate::term::eprint("\n");
        }
        let more = self.items.len().saturating_sub(limit) + self.skipped_warnings;
        if more > 0 {
            crate::term::eprint(&format!(
                "… and {more} more; `cohort check` lists them all\n"
            ));
        }
    }

    /// "2 errors, 1 warning".
    pub fn summary(&self) -> String {
        summary(self.errors(), self.warnings())
    }
}

/// "2 errors, 1 warning".
pub fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The closest of `known` to `word`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // No typo is that long; comparing a megabyte cell would take seconds.
    if word.len() > 256 {
        return None;
    }
    let word = word.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(&word, &k.to_lowercase()), k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests;
