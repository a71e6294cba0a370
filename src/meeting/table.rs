//! A report's bytes as rows of cells, each with the line an editor shows.
//!
//! Text may be UTF-8 (with or without a byte-order mark) or UTF-16 with its
//! byte-order mark (what Teams and Excel's "Unicode text" write); cells are
//! separated by `,`, `;` (Excel in fr-CA and much of Europe) or a tab; lines
//! end in LF, CRLF or a lone CR. An .xlsx workbook (it starts with the zip
//! signature) is read with calamine, every sheet in order.

use super::{Attendee, Place, Problem, Role, cell};

/// One row of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub place: Place,
    pub cells: Vec<String>,
}

impl Row {
    /// True when every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// The name in column `i`, or the problem of a row without one.
    pub fn name(&self, i: usize) -> Result<String, Problem> {
        let name = cell(&self.cells, Some(i));
        if name.is_empty() {
            return Err(Problem::at(
                self.place,
                "the name cell is empty; expected the attendee's name",
            ));
        }
        Ok(name.to_string())
    }

    /// The row as an attendee (out of the waiting room, role to be told):
    /// `name` as read, a renamed attendee's original name split off it.
    pub fn attendee(
        &self,
        name: String,
        email: Option<usize>,
        join: usize,
        leave: usize,
    ) -> Attendee {
        let cells = &self.cells;
        let (_, original) = super::split_original(&name);
        Attendee {
            place: self.place,
            name,
            email: Some(cell(cells, email).to_string()).filter(|s| !s.is_empty()),
            original,
            join: cell(cells, Some(join)).to_string(),
            leave: cell(cells, Some(leave)).to_string(),
            waiting: false,
            role: Role::Attendee,
            total: None,
        }
    }
}

/// A whole report as rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Sheet names of a workbook; empty for text.
    pub sheets: Vec<String>,
}

/// Calls `try_table` with each reading of `bytes` worth trying, the likeliest
/// first, until it gives something: for text, one reading per separator the
/// text may use (each made only when the one before gave nothing); for a
/// workbook, the workbook.
pub fn each_table<R>(
    bytes: &[u8],
    mut try_table: impl FnMut(Table) -> Option<R>,
) -> Result<Option<R>, Vec<Problem>> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(try_table(workbook(bytes)?));
    }
    let text = decode(bytes)?;
    let mut seps: Vec<(usize, u8)> = [b'\t', b';', b',']
        .iter()
        .map(|&s| (first_lines_count(&text, s), s))
        .filter(|&(n, _)| n > 0)
        .collect();
    // The separator used most in the first lines first.
    seps.sort_by_key(|s| std::cmp::Reverse(s.0));
    if seps.is_empty() {
        seps.push((0, b','));
    }
    Ok(seps
        .into_iter()
        .find_map(|(_, s)| try_table(split(&text, s))))
}

/// How often `sep` appears in the first lines of `text` (a cheap vote).
fn first_lines_count(text: &str, sep: u8) -> usize {
    text.as_bytes()
        .iter()
        .take(4096)
        .filter(|&&b| b == sep)
        .count()
}

/// The text of a report file, or why it cannot be read.
pub fn decode(bytes: &[u8]) -> Result<String, Vec<Problem>> {
    let utf16 = |be: bool| -> Result<String, Vec<Problem>> {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let pair = [c[0], *c.get(1).unwrap_or(&0)];
                if be {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| {
            vec![Problem::file(
                "the report says it is UTF-16 text but is not; download it again from the meeting platform",
            )]
        })
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(bytes[0] == 0xFE);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(t) => Ok(t.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = crate::lines::line_of(&body[..at], at);
            Err(vec![Problem::at(
                Place { sheet: None, line },
                format!(
                    "the report is not UTF-8 text (byte 0x{:02X}); names with letters such as é would be garbled\n  \
                     help: download it again, or open it in your spreadsheet and save it again as \"CSV UTF-8 (Comma delimited)\", then run this again",
                    body[at]
                ),
            )])
        }
    }
}

/// Splits text into rows with the one CSV reader (`crate::csvread`: a
/// record ends at LF, CR or CRLF), each numbered by the line it starts on.
fn split(text: &str, sep: u8) -> Table {
    let mut reader = crate::csvread::Reader::with_separator(text, sep);
    let mut row = crate::csvread::Row::default();
    let mut rows = Vec::new();
    while reader.read(&mut row) {
        let cells = (0..row.len())
            .map(|i| row.get(text, i).to_string())
            .collect();
        rows.push(Row {
            place: Place {
                sheet: None,
                line: row.line,
            },
            cells,
        });
    }
    Table {
        rows,
        sheets: Vec::new(),
    }
}

/// Every sheet of an .xlsx workbook, in order; dates as `YYYY-MM-DD HH:MM:SS`.
fn workbook(bytes: &[u8]) -> Result<Table, Vec<Problem>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            vec![Problem::file(format!(
                "the report looks like a spreadsheet (.xlsx) but cannot be read ({e}); save it again from Excel or download it again"
            ))]
        })?;
    let mut table = Table::default();
    for (s, name) in book.sheet_names().into_iter().enumerate() {
        let range = book.worksheet_range(&name).map_err(|e| {
            vec![Problem::file(format!(
                "sheet \"{name}\" of the workbook cannot be read ({e})"
            ))]
        })?;
        let first = range.start().map_or(0, |(r, _)| r as usize);
        let first_col = range.start().map_or(0, |(_, c)| c as usize);
        for (i, row) in range.rows().enumerate() {
            let mut cells: Vec<String> = vec![String::new(); first_col];
            cells.extend(row.iter().map(|c| match c {
                Data::Empty => String::new(),
                Data::String(s) => s.clone(),
                Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                Data::Float(f) => f.to_string(),
                Data::Int(i) => i.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => match d.as_datetime() {
                    Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                    None => d.to_string(),
                },
                Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Error(e) => format!("#{e:?}"),
            }));
            table.rows.push(Row {
                place: Place {
                    sheet: Some(s),
                    line: first + i + 1,
                },
                cells,
            });
        }
        table.sheets.push(name);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(t: &Table) -> Vec<usize> {
        t.rows.iter().map(|r| r.place.line).collect()
    }

    #[test]
    fn line_numbers_are_an_editors_whatever_the_line_ends() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "", "c,d", "\"e", "f\",g", "h,i", ""].join(end);
            let t = split(&text, b',');
            assert_eq!(lines(&t), vec![1, 3, 4, 6], "{end:?}");
        }
    }

    proptest::proptest! {
        /// Each row's line is one more than the line breaks before it, counted
        /// here on their own: every LF, every CR not followed by LF.
        #[test]
        fn row_lines_count_every_kind_of_line_end(
            rows in proptest::collection::vec(
                (proptest::collection::vec("[a-z]{0,3}|\"[a-z]{0,2}(\r\n|\n|\r)[a-z]{0,2}\"", 1..4), "\n|\r\n|\r", proptest::bool::ANY),
                1..12,
            )
        ) {
            let mut text = String::new();
            let mut want = Vec::new();
            for (cells, end, blank_after) in &rows {
                let breaks = text.matches('\n').count() + text.replace("\r\n", "").matches('\r').count();
                let line = cells.join(",");
                if !line.is_empty() {
                    want.push(breaks + 1);
                }
                text += &line;
                text += end;
                if *blank_after {
                    text += end;
                }
            }
            let got = lines(&split(&text, b','));
            proptest::prop_assert_eq!(got, want, "{:?}", text);
        }
    }

    #[test]
    fn utf16_both_orders_and_utf8_bom() {
        let text = "Name\tJoin\r\nZoë\t1\r\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap(), text);
        assert_eq!(decode(&be).unwrap(), text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(text.as_bytes());
        assert_eq!(decode(&bom).unwrap(), text);
        let bad = decode(b"a\r\nb\rJos\xe9").unwrap_err();
        assert_eq!(bad[0].place.line, 3);
    }

    #[test]
    fn the_separator_used_most_is_tried_first() {
        let first = |bytes: &[u8]| each_table(bytes, Some).unwrap().unwrap();
        assert_eq!(first(b"a;b;c\n1;2,5;3\n").rows[1].cells, ["1", "2,5", "3"]);
        assert_eq!(first(b"a\tb\n1\t2\n").rows[0].cells, ["a", "b"]);
        // The next reading is tried when the first gives nothing.
        let mut tried = Vec::new();
        let got = each_table(b"a;b,c;d\n", |t| {
            tried.push(t.rows[0].cells.len());
            (tried.len() == 2).then_some(t)
        });
        assert_eq!(tried, [3, 2]);
        assert_eq!(got.unwrap().unwrap().rows[0].cells, ["a;b", "c;d"]);
    }
}
