//! The one CSV cell splitter: logs, rosters, the register and meeting
//! reports are split into records here.
//!
//! It reads records exactly as the `csv` crate does with the settings the
//! logs were first read with, but hands out cells as slices of the text
//! (checked as UTF-8 once, by the caller) and numbers lines as an editor
//! does (see [`crate::lines`]).

use std::ops::Range;

/// Byte range of cell `index` within one CSV line, honouring quotes.
pub fn cell_span(line: &str, index: usize) -> Option<(usize, usize)> {
    cell_span_with(line, index, b',')
}

/// [`cell_span`] with cells separated by `sep`.
pub fn cell_span_with(line: &str, index: usize, sep: u8) -> Option<(usize, usize)> {
    let (mut cell, mut start, mut quoted) = (0, 0, false);
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b if b == sep && !quoted => {
                if cell == index {
                    return Some((start, i));
                }
                cell += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    (cell == index).then_some((start, line.trim_end_matches('\r').len()))
}

/// `str::trim`, skipping its Unicode tables in the usual case of a cell
/// that starts and ends with a visible ASCII character.
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// One CSV record and where reading it began. A cell is a range of the
/// file's text, or of `owned` when it had to be unquoted (a doubled `""`
/// inside quotes, or text after the closing quote).
#[derive(Default)]
pub struct Row {
    /// The line of the record's first byte, as an editor numbers lines
    /// (see [`crate::lines`]), and the byte offset where reading it began,
    /// as the `csv` crate reports it: before the line ends and blank lines
    /// that precede it, if any.
    pub line: usize,
    pub byte: usize,
    cells: Vec<(Range<usize>, bool)>,
    owned: String,
}

impl Row {
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Cell `i` (not trimmed); `text` is the text the row was read from.
    #[inline]
    pub fn get<'r>(&'r self, text: &'r str, i: usize) -> &'r str {
        let (range, owned) = &self.cells[i];
        if *owned {
            &self.owned[range.clone()]
        } else {
            &text[range.clone()]
        }
    }

    /// Cell text from the file's `text`, made owned once it is not one slice.
    fn push(&mut self, text: &str, parts: &[Range<usize>]) {
        match parts {
            [one] => self.cells.push((one.clone(), false)),
            parts => {
                let start = self.owned.len();
                for part in parts {
                    self.owned.push_str(&text[part.clone()]);
                }
                self.cells.push((start..self.owned.len(), true));
            }
        }
    }
}

/// Reads records exactly as the `csv` crate does with the settings these
/// logs were read with before (comma, `"` quotes with `""` inside, a record
/// ends at `\r`, `\n` or `\r\n`, blank lines skipped, no header handling,
/// rows of any width), including the line and byte it reports for each
/// record. The text is already known to be UTF-8 and every cell boundary is
/// an ASCII byte, so cells are `&str` slices of it: not copied, and not
/// checked for UTF-8 again. A unit test compares it with the `csv` crate.
pub struct Reader<'t> {
    text: &'t str,
    /// The cell separator: `,`, `;` or a tab (see [`crate::lines::sniff_separator`]).
    pub sep: u8,
    /// Where the next read begins, and its line.
    pos: usize,
    line: usize,
    /// The pieces of the cell being read (reused).
    parts: Vec<Range<usize>>,
}

impl<'t> Reader<'t> {
    /// A reader of `text` with the separator its header line shows.
    pub fn new(text: &'t str) -> Reader<'t> {
        Self::with_separator(text, crate::lines::sniff_separator(text))
    }

    pub fn with_separator(text: &'t str, sep: u8) -> Reader<'t> {
        Reader {
            text,
            sep,
            pos: 0,
            line: 1,
            parts: Vec::new(),
        }
    }

    /// The next record into `row`; `false` at the end of the text.
    pub fn read(&mut self, row: &mut Row) -> bool {
        let b = self.text.as_bytes();
        row.cells.clear();
        row.owned.clear();
        row.byte = self.pos;
        let mut i = self.pos;
        // Like csv, a byte-order mark at the very start is skipped.
        if i == 0 && b.starts_with(b"\xEF\xBB\xBF") {
            i = 3;
        }
        // Line ends before a record are skipped (blank lines).
        while i < b.len() && matches!(b[i], b'\r' | b'\n') {
            self.line += usize::from(crate::lines::is_break(b, i));
            i += 1;
        }
        row.line = self.line;
        if i == b.len() {
            self.pos = i;
            return false;
        }
        let mut parts = std::mem::take(&mut self.parts);
        let done = loop {
            // At the start of a cell.
            if b.get(i) == Some(&b'"') {
                parts.clear();
                i += 1;
                loop {
                    let Some(q) = b[i..].iter().position(|&c| c == b'"') else {
                        // The text ends inside the quotes: the cell is what is there.
                        self.count_lines(i..b.len());
                        parts.push(i..b.len());
                        i = b.len();
                        break;
                    };
                    let q = i + q;
                    self.count_lines(i..q);
                    if b.get(q + 1) == Some(&b'"') {
                        // `""` is one quote; the cell goes on in quotes.
                        parts.push(i..q + 1);
                        i = q + 2;
                        continue;
                    }
                    parts.push(i..q);
                    i = q + 1;
                    // Text after the closing quote belongs to the cell, unquoted.
                    let end = Self::unquoted_end(b, i, self.sep);
                    if end > i {
                        parts.push(i..end);
                    }
                    i = end;
                    break;
                }
                row.push(self.text, &parts);
            } else {
                let end = Self::unquoted_end(b, i, self.sep);
                row.cells.push((i..end, false));
                i = end;
            }
            match b.get(i) {
                Some(&s) if s == self.sep => i += 1,
                Some(_) => {
                    // `\r` or `\n` ends the record; the `\n` of a `\r\n`
                    // is skipped (and counted) by the next read, as csv does.
                    self.line += usize::from(crate::lines::is_break(b, i));
                    break i + 1;
                }
                None => break i,
            }
        };
        self.parts = parts;
        self.pos = done;
        true
    }

    /// The end of an unquoted cell (or unquoted rest of one) starting at
    /// `i`: the first `sep`, `\r` or `\n`, looked for eight bytes at a time.
    #[inline]
    fn unquoted_end(b: &[u8], mut i: usize, sep: u8) -> usize {
        const ONES: u64 = u64::from_le_bytes([1; 8]);
        const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
        // The high bit of each byte of `w` that equals `c`; a byte above
        // the first such one may be marked too, which the lowest bit ignores.
        let marks = |w: u64, c: u8| {
            let x = w ^ (ONES * u64::from(c));
            x.wrapping_sub(ONES) & !x & HIGH
        };
        while let Some(chunk) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            let m = marks(w, sep) | marks(w, b'\r') | marks(w, b'\n');
            if m != 0 {
                return i + (m.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        b[i..]
            .iter()
            .position(|&c| c == sep || matches!(c, b'\r' | b'\n'))
            .map_or(b.len(), |n| i + n)
    }

    /// Counts the line ends in `range` (inside a quoted cell) as an editor does.
    fn count_lines(&mut self, range: Range<usize>) {
        let b = self.text.as_bytes();
        self.line += range.filter(|&i| crate::lines::is_break(b, i)).count();
    }
}

#[cfg(test)]
mod tests {
    use super::{Reader, Row, cell_span};
    use proptest::prelude::*;

    /// The line an editor shows for the record whose reading began at
    /// byte `start`, counted apart from the code under test: the line ends
    /// before the record's first byte, each of CRLF, CR and LF one line.
    fn editor_line(text: &str, start: usize) -> u64 {
        let b = text.as_bytes();
        let mut first = start;
        if first == 0 && text.starts_with('\u{feff}') {
            first = 3;
        }
        while first < b.len() && (b[first] == b'\r' || b[first] == b'\n') {
            first += 1;
        }
        let before = text[..first].replace("\r\n", "\n").replace('\r', "\n");
        before.matches('\n').count() as u64 + 1
    }

    /// Records with the byte of each, as the `csv` crate reads them, and
    /// the line an editor shows for each.
    fn with_csv(text: &str, sep: u8) -> Vec<(u64, u64, Vec<String>)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sep)
            .from_reader(text.as_bytes());
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut record).unwrap() {
            let pos = record.position().unwrap();
            let cells = record
                .iter()
                .map(|c| String::from_utf8(c.to_vec()).unwrap())
                .collect();
            out.push((editor_line(text, pos.byte() as usize), pos.byte(), cells));
        }
        out
    }

    fn with_reader(text: &str, sep: u8) -> Vec<(u64, u64, Vec<String>)> {
        let mut rdr = Reader::with_separator(text, sep);
        let mut row = Row::default();
        let mut out = Vec::new();
        while rdr.read(&mut row) {
            let cells = (0..row.len())
                .map(|i| row.get(text, i).to_string())
                .collect();
            out.push((row.line as u64, row.byte as u64, cells));
        }
        out
    }

    #[test]
    fn reads_like_the_csv_crate() {
        for text in [
            "",
            "\n\r\n",
            "a,b\r\nc,d\r\n",
            "h\n\n\nx,\"y\"\"z\"\n",
            "\u{feff}a,b\nc",
            "\u{feff}\u{feff}a",
            "a,\"b\nc\"d,e\n\"open",
            "\"x\"\"\",\"\",,\r\r\n é,\"ü\"ß\n",
            "p01,present,,Sam,2022-04-12T14:36:00-05:00,\"a, b\"\n",
            "a\rb\r\rc\r",
            "a,\"x\ry\r\nz\"\rb\r\n\r\nc",
        ] {
            assert_eq!(with_reader(text, b','), with_csv(text, b','), "{text:?}");
        }
        for (text, sep) in [
            ("a;b\r\n\"c;d\";e\r\n", b';'),
            ("a\tb,c\rd\t\"e\tf\"\r", b'\t'),
        ] {
            assert_eq!(with_reader(text, sep), with_csv(text, sep), "{text:?}");
        }
    }

    #[test]
    fn lines_are_those_an_editor_shows_whatever_the_line_ends() {
        for eol in ["\n", "\r\n", "\r"] {
            let text = ["h,i", "a,b", "", "\"c", "d\",e", "f,g"].join(eol);
            let lines: Vec<u64> = with_reader(&text, b',').iter().map(|r| r.0).collect();
            assert_eq!(lines, [1, 2, 4, 6], "{eol:?}");
        }
    }

    #[test]
    fn unquoted_end_finds_the_first_separator_at_any_offset() {
        for len in 0..40 {
            for at in 0..=len {
                for sep in [b',', b'\r', b'\n'] {
                    let mut b: Vec<u8> = (0..len).map(|i| b"a\x80+-,\xff"[i % 3]).collect();
                    b.iter_mut().for_each(|c| {
                        if matches!(*c, b',') {
                            *c = b'x'
                        }
                    });
                    if at < len {
                        b[at] = sep;
                        // A separator later must not be taken for this one.
                        if at + 1 < len {
                            b[at + 1] = b',';
                        }
                    }
                    for start in 0..=at {
                        assert_eq!(
                            Reader::unquoted_end(&b, start, b','),
                            at,
                            "{b:?} from {start}"
                        );
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn reads_any_text_like_the_csv_crate(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just(","), Just("\""), Just("\r"), Just("\n"),
                    Just(" "), Just("é"), Just("\u{feff}"), Just("\"\""),
                    Just(";"), Just("\t"), Just("\r\n"),
                ],
                0..40,
            ),
            sep in prop_oneof![Just(b','), Just(b';'), Just(b'\t')],
        ) {
            // Cells and bytes as the csv crate reads them; lines as an
            // editor shows them, counted apart.
            let text = parts.concat();
            prop_assert_eq!(with_reader(&text, sep), with_csv(&text, sep));
        }
    }

    #[test]
    fn cell_span_finds_cells_and_skips_quoted_commas() {
        let line = "p01,\"Lee, Jo\",x";
        assert_eq!(cell_span(line, 0), Some((0, 3)));
        assert_eq!(
            &line[cell_span(line, 1).unwrap().0..cell_span(line, 1).unwrap().1],
            "\"Lee, Jo\""
        );
        assert_eq!(cell_span(line, 2), Some((14, 15)));
        assert_eq!(cell_span(line, 3), None);
    }
}
