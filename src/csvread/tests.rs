use super::{Header, NotUtf8, Reader, Row, cell_end, cell_ends, cell_span, utf8};
use proptest::prelude::*;

/// The line an editor shows at byte `at`, counted apart from the code
/// under test: each of CRLF, CR and LF before it ends one line.
fn editor_line_at(text: &str, at: usize) -> usize {
    let before = text[..at].replace("\r\n", "\n").replace('\r', "\n");
    before.matches('\n').count() + 1
}

/// The first byte of the record whose reading the `csv` crate says began
/// at `start`: after a byte-order mark and the line ends before it.
fn first_byte(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut first = start;
    if first == 0 && text.starts_with('\u{feff}') {
        first = 3;
    }
    while first < b.len() && (b[first] == b'\r' || b[first] == b'\n') {
        first += 1;
    }
    first
}

/// Records as the `csv` crate reads them, each with the line an editor
/// shows for its first byte.
fn with_csv(text: &str, sep: u8) -> Vec<(usize, Vec<String>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    while rdr.read_byte_record(&mut record).unwrap() {
        let pos = record.position().unwrap().byte() as usize;
        let cells = record
            .iter()
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        out.push((editor_line_at(text, first_byte(text, pos)), cells));
    }
    out
}

fn with_reader(text: &str, sep: u8) -> Vec<(usize, Vec<String>)> {
    let mut rdr = Reader::with_separator(text, sep);
    let mut row = Row::default();
    let mut out = Vec::new();
    while rdr.read(&mut row) {
        let cells = (0..row.len())
            .map(|i| row.get(text, i).to_string())
            .collect();
        out.push((row.line, cells));
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
        let lines: Vec<usize> = with_reader(&text, b',').iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 4, 6], "{eol:?}");
    }
}

#[test]
fn a_row_knows_its_first_byte_and_line_text() {
    let text = "h\r\n\r\n\"a\nb\",c\r\nd";
    let mut rdr = Reader::new(text);
    let mut row = Row::default();
    assert!(rdr.read(&mut row) && rdr.read(&mut row));
    assert_eq!((row.line, row.start, row.line_text(text)), (3, 5, "\"a"));
    assert!(rdr.read(&mut row));
    assert_eq!((row.line, row.line_text(text)), (5, "d"));
    assert!(!rdr.read(&mut row));
}

#[test]
fn unquoted_end_finds_the_first_separator_at_any_offset() {
    for file_sep in [b',', b';', b'\t'] {
        let ends = cell_ends(file_sep);
        for len in 0..40 {
            for at in 0..=len {
                for sep in [file_sep, b'\r', b'\n'] {
                    let mut b: Vec<u8> = (0..len).map(|i| b"a\x80+-,;\xff"[i % 3]).collect();
                    if at < len {
                        b[at] = sep;
                        // A separator later must not be taken for this one.
                        if at + 1 < len {
                            b[at + 1] = file_sep;
                        }
                    }
                    for start in 0..=at {
                        let found = cell_end(&b, start, file_sep, &ends);
                        assert_eq!(found, at, "{b:?} from {start}");
                    }
                }
            }
        }
    }
}

/// Records built from parts, with the line and first byte of each counted
/// while the text is written (apart from the reader): what it must give.
fn build(records: &[(Vec<&str>, &str, usize)], sep: u8) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut expected = Vec::new();
    for (cells, eol, blanks) in records {
        let first = text.len();
        expected.push((editor_line_at(&format!("{text}x"), first), first));
        text.push_str(&cells.join(&char::from(sep).to_string()));
        for _ in 0..=*blanks {
            text.push_str(eol);
        }
    }
    (text, expected)
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
        let text = parts.concat();
        prop_assert_eq!(with_reader(&text, sep), with_csv(&text, sep));
    }

    #[test]
    fn lines_and_first_bytes_are_counted_as_written(
        records in proptest::collection::vec(
            (
                proptest::collection::vec(
                    prop_oneof![
                        Just("a"), Just("\"b,c\""), Just("\"x\ny\""), Just("\"x\r\ny\""),
                        Just("\"x\ry\""), Just("\"\"\"\""), Just(""), Just("é"),
                    ],
                    1..4,
                ),
                prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
                0..3usize,
            ),
            0..8,
        ),
        sep in prop_oneof![Just(b','), Just(b';')],
    ) {
        // A record of one empty cell is a blank line, which is skipped.
        let records: Vec<_> = records
            .into_iter()
            .filter(|(cells, _, _)| cells.concat() != "")
            .collect();
        let (text, expected) = build(&records, sep);
        let mut rdr = Reader::with_separator(&text, sep);
        let mut row = Row::default();
        let mut got = Vec::new();
        while rdr.read(&mut row) {
            got.push((row.line, row.start));
        }
        prop_assert_eq!(got, expected, "{:?}", text);
    }
}

#[test]
fn cell_span_finds_cells_and_skips_quoted_commas() {
    let line = "p01,\"Lee, Jo\",x";
    assert_eq!(cell_span(line, 0), Some((0, 3)));
    let (start, end) = cell_span(line, 1).unwrap();
    assert_eq!(&line[start..end], "\"Lee, Jo\"");
    assert_eq!(cell_span(line, 2), Some((14, 15)));
    assert_eq!(cell_span(line, 3), None);
}

#[test]
fn the_header_maps_names_in_any_case_and_order() {
    let fields = ["participant", "status", "note"];
    let mut diags = crate::diag::Diagnostics::default();
    let text = " Status ,PARTICIPANT,colour\n";
    let mut rdr = Reader::new(text);
    let header = Header::read("f.csv", text, &mut rdr, &fields, &["status"], &mut diags).unwrap();
    assert_eq!(header.columns, [Some(1), Some(0), None]);
    assert_eq!(header.width, 3);
    assert_eq!(diags.warnings(), 1);
    let text = "note\n";
    let mut rdr = Reader::new(text);
    assert!(Header::read("f.csv", text, &mut rdr, &fields, &["status"], &mut diags).is_none());
    assert_eq!(diags.errors(), 1);
}

#[test]
fn text_is_utf8_without_its_byte_order_mark() {
    assert_eq!(utf8(b"\xEF\xBB\xBFa,b".to_vec()), Ok("a,b".to_string()));
    assert_eq!(utf8(vec![0xFF, 0xFE, b'a', 0]), Err(NotUtf8::Utf16));
    assert_eq!(
        utf8(b"a\r\nb\xE9c".to_vec()),
        Err(NotUtf8::Invalid {
            line: 2,
            byte: 0xE9,
            before: "b".to_string()
        })
    );
}
