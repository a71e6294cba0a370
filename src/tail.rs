//! Reading a CSV log from its end, so that recording one more row costs the
//! same whatever the length of the log.
//!
//! An append needs to know three things about a log: its column names (the
//! first line), its line ending, and whether its last row is complete. A
//! recording command also wants the last rows of a few participants. None of
//! that needs the middle of the file, but a CSV file cannot simply be read
//! backwards: a quoted cell may hold line breaks, so not every line break ends
//! a row.
//!
//! In well-formed CSV every `"` opens or closes a quoted cell or is half of an
//! escaped `""`, so a line break lies outside every quoted cell exactly when
//! an even number of quotes follows it (the file ending outside a quoted
//! cell). [`read_end`] starts at the earliest such line break of the last
//! bytes of the file. A file that is not well-formed can fool that count, so
//! callers treat what they read as a claim to check: every row read must have
//! the header's width and must validate, or they read the whole file instead.
//! Whenever anything is unclear, [`read_end`] answers `None` and the caller
//! reads the whole file, which is always right.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// Logs up to this size are read whole: that is at most a couple of
/// milliseconds, and a whole read also checks every row. Real webinar logs
/// (a few dozen rows) are far below it.
pub const WHOLE_UP_TO: u64 = 64 * 1024;

/// How much of the first line is read to find the header.
const HEAD: u64 = 8 * 1024;

/// The header and the last complete rows of a CSV file, read from its ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct End {
    /// The first line with its line ending, without a byte-order mark.
    pub header: String,
    /// The text from a row boundary to the end of the file; the last row may
    /// lack its line ending.
    pub rows: String,
    /// Byte offset in the file where `rows` starts.
    pub start: u64,
}

impl End {
    /// The header followed by the rows: a small CSV text that reads like the
    /// end of the file (for a validating loader; its line numbers are not the
    /// file's).
    pub fn text(&self) -> String {
        let mut text = String::with_capacity(self.header.len() + self.rows.len());
        text.push_str(&self.header);
        text.push_str(&self.rows);
        text
    }

    /// True when the header uses CRLF line endings.
    pub fn crlf(&self) -> bool {
        self.header.ends_with("\r\n")
    }
}

/// Reads the first line and the rows in the last `window` bytes of the first
/// `len` bytes of `file`.
///
/// `None` when the caller should read the file whole: the file is short
/// (`len <= WHOLE_UP_TO`, or the window reaches back into the header), the
/// first line is not found in its first 8 KiB, contains a quote or is not
/// UTF-8, or no row boundary is found in the window.
pub fn read_end(file: &File, len: u64, window: u64) -> io::Result<Option<End>> {
    if len <= WHOLE_UP_TO {
        return Ok(None);
    }
    let mut head = vec![0; HEAD.min(len) as usize];
    file.read_exact_at(&mut head, 0)?;
    let Some(newline) = head.iter().position(|&b| b == b'\n') else {
        return Ok(None);
    };
    let line = &head[..=newline];
    let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
    if line.contains(&b'"') {
        return Ok(None);
    }
    let Ok(header) = std::str::from_utf8(line) else {
        return Ok(None);
    };
    let header_end = newline as u64 + 1;
    if window == 0 || len - header_end <= window {
        return Ok(None);
    }
    let start = len - window;
    let mut bytes = vec![0; window as usize];
    file.read_exact_at(&mut bytes, start)?;
    let Some(boundary) = first_boundary(&bytes) else {
        return Ok(None);
    };
    bytes.drain(..=boundary);
    let Ok(rows) = String::from_utf8(bytes) else {
        return Ok(None);
    };
    Ok(Some(End {
        header: header.to_string(),
        rows,
        start: start + boundary as u64 + 1,
    }))
}

/// The earliest line break in `bytes` that has an even number of quotes
/// after it and at least one byte after it: in well-formed CSV ending outside
/// a quoted cell, the start of the earliest complete row.
///
/// The final line break is never chosen: in a file whose last row opens a
/// quoted cell and never closes it, that line break is inside the cell, and
/// starting there would hide the open quote.
fn first_boundary(bytes: &[u8]) -> Option<usize> {
    let quotes = bytes.iter().filter(|&&b| b == b'"').count();
    let mut seen = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => seen += 1,
            b'\n' if (quotes - seen) % 2 == 0 && i + 1 < bytes.len() => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_of(text: &str) -> (tempfile::NamedTempFile, u64) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        (f, text.len() as u64)
    }

    /// A log longer than `WHOLE_UP_TO`: a header, then `n` plain rows.
    fn long_log(n: usize) -> String {
        let mut text = String::from("participant,status,minutes\n");
        for i in 0..n {
            text += &format!("p{:02},present,\n", i % 18 + 1);
        }
        assert!(text.len() as u64 > WHOLE_UP_TO);
        text
    }

    #[test]
    fn boundaries_skip_line_breaks_inside_quoted_cells() {
        assert_eq!(first_boundary(b"a,b\nc,d\n"), Some(3));
        // The window starts inside a quoted cell: its line break is not a boundary.
        assert_eq!(first_boundary(b"x\ny\",z\nc,d\n"), Some(6));
        // Escaped quotes count twice and change nothing.
        assert_eq!(first_boundary(b"\"a\"\"\nb\",c\nd,e\n"), Some(9));
        assert_eq!(first_boundary(b"no line break"), None);
        assert_eq!(first_boundary(b"one row\n"), None);
    }

    #[test]
    fn an_open_quote_in_the_last_row_is_not_hidden() {
        // Every line break before the quote has an odd count after it, and
        // the final one is never chosen: nothing claims the end is clean.
        assert_eq!(first_boundary(b"a,b\nc,d\np05,\"made up\n"), None);
    }

    #[test]
    fn short_files_are_left_to_a_whole_read() {
        let (f, len) = file_of("participant,status\np01,present\n");
        assert_eq!(read_end(f.as_file(), len, 1024).unwrap(), None);
    }

    #[test]
    fn reads_the_header_and_the_last_complete_rows() {
        let mut text = long_log(6000);
        text += "p07,\"makeup\nwith, commas\",\n";
        let (f, len) = file_of(&text);
        let end = read_end(f.as_file(), len, 64).unwrap().unwrap();
        assert_eq!(end.header, "participant,status,minutes\n");
        assert!(!end.crlf());
        assert!(end.rows.ends_with("p07,\"makeup\nwith, commas\",\n"));
        assert_eq!(
            &text[end.start as usize..],
            end.rows,
            "start is the offset of the rows"
        );
        assert_eq!(text.as_bytes()[end.start as usize - 1], b'\n');
        assert!(end.text().starts_with("participant,status,minutes\np"));
    }

    #[test]
    fn a_byte_order_mark_and_crlf_are_kept_out_of_the_header_and_noticed() {
        let text = format!("\u{feff}{}", long_log(6000).replace('\n', "\r\n"));
        let (f, len) = file_of(&text);
        let end = read_end(f.as_file(), len, 100).unwrap().unwrap();
        assert_eq!(end.header, "participant,status,minutes\r\n");
        assert!(end.crlf());
        assert!(end.rows.ends_with(",present,\r\n"));
    }

    #[test]
    fn unclear_files_are_left_to_a_whole_read() {
        // The header holds a quote.
        let text = long_log(6000).replacen("status", "\"status\"", 1);
        let (f, len) = file_of(&text);
        assert_eq!(read_end(f.as_file(), len, 100).unwrap(), None);
        // The window reaches back into the header.
        let text = long_log(6000);
        let (f, len) = file_of(&text);
        assert_eq!(read_end(f.as_file(), len, len).unwrap(), None);
        // No row boundary in the window: one very long last line.
        let text = format!("{}p01,present,{}\n", long_log(6000), "x".repeat(500));
        let (f, len) = file_of(&text);
        assert_eq!(read_end(f.as_file(), len, 200).unwrap(), None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn cell() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z0-9 ]{0,3}",
                "[a-z ,]{1,4}",
                "[a-z\"]{1,6}",
                "[a-z]{0,4}\n[a-z,]{0,4}",
                "[a-z]{0,3}\r\n\"[a-z]{0,3}",
            ]
        }

        /// A long CSV text: plain rows, then `rows` written by the csv crate
        /// (quoting cells with commas, quotes and line breaks).
        fn csv_text(rows: &[Vec<String>], crlf: bool) -> String {
            let mut w = csv::WriterBuilder::new()
                .terminator(if crlf {
                    csv::Terminator::CRLF
                } else {
                    csv::Terminator::Any(b'\n')
                })
                .from_writer(Vec::new());
            w.write_record(["a", "b", "c"]).unwrap();
            for i in 0..8000 {
                w.write_record([format!("p{i}"), "x".into(), String::new()])
                    .unwrap();
            }
            for row in rows {
                w.write_record(row).unwrap();
            }
            String::from_utf8(w.into_inner().unwrap()).unwrap()
        }

        fn records(text: &str) -> Vec<(u64, csv::StringRecord)> {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.as_bytes());
            let mut out = Vec::new();
            let mut record = csv::StringRecord::new();
            loop {
                let at = r.position().byte();
                if !r.read_record(&mut record).unwrap() {
                    break;
                }
                out.push((at, record.clone()));
            }
            out
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]

            /// What is read from the end is exactly the last rows of the
            /// whole file, starting where one of its rows starts.
            #[test]
            fn the_end_read_is_the_end_of_the_whole(
                rows in prop::collection::vec(prop::collection::vec(cell(), 3), 0..40),
                crlf in any::<bool>(),
                cut in 0.0f64..1.0,
            ) {
                let text = csv_text(&rows, crlf);
                prop_assert!(text.len() as u64 > WHOLE_UP_TO);
                // A window ending anywhere in the random rows (or just before).
                let random = text.len() - csv_text(&[], crlf).len();
                let window = (random as f64 * cut) as u64 + 1;
                let mut f = tempfile::NamedTempFile::new().unwrap();
                f.write_all(text.as_bytes()).unwrap();
                let whole = records(&text);
                let Some(end) = read_end(f.as_file(), text.len() as u64, window).unwrap() else {
                    return Ok(());
                };
                // After a CRLF the reader stands on its "\n": the row starts after it.
                let starts: Vec<u64> = whole
                    .iter()
                    .map(|(at, _)| *at + u64::from(text.as_bytes()[*at as usize] == b'\n'))
                    .collect();
                prop_assert!(starts.contains(&end.start), "{} is not a row start", end.start);
                let read: Vec<csv::StringRecord> = records(&end.rows).into_iter().map(|(_, r)| r).collect();
                let last: Vec<csv::StringRecord> =
                    whole[whole.len() - read.len()..].iter().map(|(_, r)| r.clone()).collect();
                prop_assert_eq!(read, last);
                prop_assert_eq!(end.crlf(), crlf);
            }
        }
    }
}
