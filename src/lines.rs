//! Line numbers as a text editor shows them, whatever the line ends: a line
//! ends at LF, at CRLF (one break, not two) and at a lone CR (what old Mac
//! spreadsheets write). The `csv` crate counts only LFs, and reports the
//! line where reading a record began, which after a CRLF is the line before
//! the record; every reader of CSV text takes its line numbers from here.
//!
//! Also the separator of a spreadsheet's CSV, sniffed from its header line.

/// True when byte `i` of `b` ends a line: an LF, or a CR not followed by LF.
#[inline]
pub fn is_break(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'\n' => true,
        b'\r' => b.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// The lines of `text` without their line ends (LF, CRLF or CR). Like
/// `str::lines`, a final line end does not start another line.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        // Taken: what is left after the last line (or an empty text) is none.
        let t = rest.take().filter(|t| !t.is_empty())?;
        match t.find(['\r', '\n']) {
            Some(i) => {
                let skip = if t[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&t[i + skip..]);
                Some(&t[..i])
            }
            None => Some(t),
        }
    })
}

/// Line `n` (1-based) of `text`, without its line end.
pub fn line(text: &str, n: usize) -> Option<&str> {
    lines(text).nth(n.checked_sub(1)?)
}

/// `text` up to its first line end (`\r` or `\n`).
pub fn first_line(text: &str) -> &str {
    memchr::memchr2(b'\r', b'\n', text.as_bytes()).map_or(text, |end| &text[..end])
}

/// The line (1-based) of byte `at` of `text`.
pub fn line_of(text: &[u8], at: usize) -> usize {
    1 + (0..at.min(text.len()))
        .filter(|&i| is_break(text, i))
        .count()
}

/// The cell separator of a CSV text, from its header line: `;` (what
/// spreadsheets in French, German and many other languages write) or a
/// tab when the header line has it and no comma, else `,`. Quoted text
/// is not looked at. A header of one column is read with `,`.
pub fn sniff_separator(text: &str) -> u8 {
    let first = lines(text.strip_prefix('\u{feff}').unwrap_or(text))
        .next()
        .unwrap_or("");
    let (mut commas, mut semis, mut tabs, mut quoted) = (0, 0, 0, false);
    for b in first.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semis += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if commas > 0 {
        b','
    } else if semis >= tabs && semis > 0 {
        b';'
    } else if tabs > 0 {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_end_is_one_break() {
        for text in ["a\nb\nc", "a\r\nb\r\nc", "a\rb\rc", "a\r\nb\rc\n"] {
            assert_eq!(lines(text).collect::<Vec<_>>(), ["a", "b", "c"], "{text:?}");
            assert_eq!(line_of(text.as_bytes(), text.find('c').unwrap()), 3);
            assert_eq!(line(text, 2), Some("b"));
        }
        assert_eq!(lines("a\r\n\r\n").collect::<Vec<_>>(), ["a", ""]);
        assert_eq!(lines("").count(), 0);
        assert_eq!(line("a", 0), None);
    }

    #[test]
    fn separators_are_sniffed_from_the_header_line() {
        assert_eq!(sniff_separator("participant,status\np01;x"), b',');
        assert_eq!(sniff_separator("\u{feff}participant;status;note\r\n"), b';');
        assert_eq!(sniff_separator("participant\tstatus\rp01\tpresent"), b'\t');
        assert_eq!(sniff_separator("\"a;b\",c"), b',');
        assert_eq!(sniff_separator("\"a,b\";c"), b';');
        assert_eq!(sniff_separator("participant"), b',');
        assert_eq!(sniff_separator(""), b',');
    }
}
