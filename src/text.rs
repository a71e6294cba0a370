//! Characters that must not be in a record, and how text from the files is
//! shown on a terminal.
//!
//! A name, note or email is one line of visible text. Control characters
//! (Unicode category Cc: C0 such as ESC, CR, LF and TAB, DEL, and C1) and
//! the bidirectional controls (the Unicode property `Bidi_Control`, e.g.
//! RIGHT-TO-LEFT OVERRIDE U+202E) can make a terminal, a spreadsheet or a
//! printed certificate show something else than what is stored: an escape
//! sequence in a name can erase the line above it and print "VALID". They
//! are refused in every text field ([`forbidden`]) and, wherever text from
//! a file reaches a terminal anyway (an excerpt of a wrong line), shown the
//! way Rust's `char::escape_debug` writes them ([`shown`]): `\u{1b}`, `\n`,
//! `\u{202e}`. Other characters (accents, any script, emoji, zero-width
//! joiners) are left alone: names are written in every language.

use std::borrow::Cow;

/// Unicode's `Bidi_Control` property (PropList.txt): the twelve characters
/// that change the direction of the text around them without being seen.
const BIDI_CONTROLS: [char; 12] = [
    '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// True for a character no text field may hold: a control character
/// (`char::is_control`, Unicode Cc), a bidirectional control, or the
/// Unicode line and paragraph separators (U+2028, U+2029), which break a
/// line as a newline does.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() || BIDI_CONTROLS.contains(&c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The first forbidden character of `s`, if any.
pub fn forbidden(s: &str) -> Option<char> {
    // Plain printable ASCII, by far the usual case, has none.
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return None;
    }
    s.chars().find(|&c| is_forbidden(c))
}

/// How a forbidden character is named in a message: `U+001B (\u{1b})`.
pub fn describe(c: char) -> String {
    format!("U+{:04X} ({})", c as u32, c.escape_debug())
}

/// The message for a text field holding a forbidden character.
pub fn problem(what: &str, c: char) -> String {
    format!(
        "{what} holds the control character {}; names and notes are one line of visible text",
        describe(c)
    )
}

/// `s` with every forbidden character escaped as `char::escape_debug` does;
/// borrowed when there is none.
pub fn shown(s: &str) -> Cow<'_, str> {
    if forbidden(s).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_forbidden(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// For values given on the command line or in the environment: the value,
/// or why it is refused.
pub fn check_arg(what: &str, value: &str) -> Result<(), String> {
    match forbidden(value) {
        Some(c) => Err(format!(
            "{what} \"{}\" holds the control character {}; give one line of visible text",
            shown(value),
            describe(c)
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_forbidden() {
        let control = [
            '\u{1b}', '\n', '\r', '\t', '\0', '\u{7f}', '\u{85}', '\u{9b}',
        ];
        let bidi = ['\u{202e}', '\u{2066}', '\u{200f}', '\u{2028}'];
        for c in control.into_iter().chain(bidi) {
            assert!(is_forbidden(c), "{c:?}");
        }
        for s in [
            "Zoë Martin-Leclerc",
            "Nguyễn Thị Mai",
            "名前",
            "می‌خواهم",
            "👩‍🔬",
        ] {
            assert_eq!(forbidden(s), None, "{s}");
        }
    }

    #[test]
    fn shown_escapes_only_forbidden_characters() {
        assert_eq!(shown("Zoë"), "Zoë");
        assert_eq!(
            shown("A\u{1b}[2K\rB \u{202e}C\"'\\"),
            "A\\u{1b}[2K\\rB \\u{202e}C\"'\\"
        );
        assert_eq!(describe('\u{1b}'), "U+001B (\\u{1b})");
        assert_eq!(describe('\n'), "U+000A (\\n)");
    }
}
