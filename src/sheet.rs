//! Tables people keep in spreadsheets and name on the command line (a
//! roster, a practicum timesheet), read as a spreadsheet saved them: CSV with
//! `,`, `;` or tab between cells (sniffed from the header line), any line
//! ends, a byte-order mark (read by [`crate::csvread`]); or the first sheet of an `.xlsx` workbook (read
//! with the `calamine` crate), every cell taken as the text it shows.
//!
//! Rows are located as a person finds them again: the line an editor shows
//! for a CSV file, the sheet and row number for a workbook.

use std::path::Path;

use calamine::{Data, Reader as _};

use crate::csvread::{self, NotUtf8};
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::error::Error;
use crate::lines;

/// A table read from a file named on the command line.
#[derive(Default)]
pub struct Table {
    /// The file as the user named it, for messages.
    pub shown: String,
    /// The sheet's name, when the table is a workbook's first sheet.
    pub sheet: Option<String>,
    /// The CSV cell separator (`,` for a workbook).
    pub sep: u8,
    /// The header cells, trimmed and lower-cased.
    pub header: Vec<String>,
    /// The header as it reads, for an excerpt.
    pub header_text: String,
    /// Each row below the header with its line (CSV) or row number (sheet),
    /// and its cells, trimmed. Blank rows are left out.
    pub rows: Vec<(usize, Vec<String>)>,
    /// The text of a CSV file, for excerpts ("" for a workbook).
    text: String,
}

impl Table {
    /// "line" or "row", for "also on line 4".
    pub fn unit(&self) -> &'static str {
        if self.sheet.is_some() { "row" } else { "line" }
    }

    /// An error about the row at `at` (0: the whole file), and cell `cell`
    /// (an index into the row's cells) if given: a CSV file shows the line
    /// with the cell underlined.
    pub fn error<'d>(
        &self,
        kind: Kind,
        diags: &'d mut Diagnostics,
        at: usize,
        cell: Option<usize>,
        message: impl Into<String>,
    ) -> &'d mut Diagnostic {
        let message = message.into();
        if at == 0 {
            return diags.error(kind, &self.shown, None, message);
        }
        let (line, message) = self.place(at, message);
        let d = diags.error(kind, &self.shown, line, message);
        if let Some(text) = line.and_then(|line| lines::line(&self.text, line)) {
            let span = cell.and_then(|c| csvread::cell_span_with(text, c, self.sep));
            let (start, end) = span.unwrap_or((0, text.len()));
            d.excerpt(text, start, end);
        }
        d
    }

    /// A warning about the row at `at`.
    pub fn warning<'d>(
        &self,
        kind: Kind,
        diags: &'d mut Diagnostics,
        at: usize,
        message: impl Into<String>,
    ) -> &'d mut Diagnostic {
        let (line, message) = self.place(at, message.into());
        diags.warning(kind, &self.shown, line, message)
    }

    /// Where a message about the row at `at` points: the line of a CSV file;
    /// a sheet's row is named in the message itself.
    fn place(&self, at: usize, message: String) -> (Option<usize>, String) {
        match &self.sheet {
            Some(sheet) => (None, format!("sheet \"{sheet}\" row {at}: {message}")),
            None => (Some(at), message),
        }
    }

    /// How to get back letters a spreadsheet replaced with `?`.
    pub fn lost_letters_help(&self) -> &'static str {
        if self.sheet.is_some() {
            "the letters were lost before they reached this workbook: type the name again with its letters (e.g. Nguyễn Văn An)"
        } else {
            "the spreadsheet saved the file in an encoding without these letters: open the original in your spreadsheet and save it as \"CSV UTF-8 (Comma delimited)\" (Excel: File > Save As > CSV UTF-8; LibreOffice: Text CSV, character set Unicode (UTF-8)), or save it as .xlsx"
        }
    }
}

/// True when a name holds a `?` or U+FFFD: letters a spreadsheet could not
/// save in the file's encoding are replaced so (`Nguy?n V?n An`). People's
/// names never hold them; notes may, and are not checked.
pub fn lost_letters(name: &str) -> bool {
    name.contains(['?', '\u{FFFD}'])
}

/// Reads `path`, a `what` ("roster", "timesheet"): an `.xlsx` workbook by
/// its name, else CSV. A file that is not there is a usage error, one that
/// cannot be used at all bad data;
/// problems of single cells go into `diags`.
pub fn read(path: &Path, what: &str, diags: &mut Diagnostics) -> anyhow::Result<Table> {
    let shown = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx(path, shown, what, diags),
        "xls" | "ods" | "numbers" => Err(usage(format!(
            "{shown}: cohort reads a {what} as CSV or .xlsx; open it in your spreadsheet and save it as \"Excel Workbook (.xlsx)\" or \"CSV UTF-8 (Comma delimited)\""
        ))),
        _ => read_csv(path, shown, what, diags),
    }
}

/// A file that is there but cannot be used is bad data (exit 1), as a bad
/// row is (docs/exit-codes.md); only a file that is not there is a usage error.
fn usage(message: String) -> anyhow::Error {
    anyhow::anyhow!(message)
}

fn read_csv(
    path: &Path,
    shown: String,
    what: &str,
    diags: &mut Diagnostics,
) -> anyhow::Result<Table> {
    let text = csv_text(path, &shown, what)?;
    let mut reader = csvread::Reader::new(&text);
    let sep = reader.sep();
    let mut record = csvread::Row::default();
    let mut all = Vec::new();
    while reader.read(&mut record) {
        let cells: Vec<String> = (0..record.len())
            .map(|i| record.get(&text, i).trim().to_string())
            .collect();
        all.push((record.line, cells));
    }
    let Some((header, rows)) = header_and_rows(all) else {
        return Err(usage(format!(
            "{shown} is empty; its first line names the columns"
        )));
    };
    let header_text = lines::lines(&text).next().unwrap_or("").to_string();
    let mut table = Table {
        shown,
        sep,
        header: header.iter().map(|h| h.to_lowercase()).collect(),
        header_text,
        text,
        ..Table::default()
    };
    keep_full_rows(&mut table, rows, diags);
    Ok(table)
}

/// The text of a CSV file, or why it cannot be read as one.
fn csv_text(path: &Path, shown: &str, what: &str) -> anyhow::Result<String> {
    let bytes = crate::fsafe::read_named(path).map_err(|e| {
        let message = format!("cannot read the {what} {shown}: {e}");
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(message).into()
        } else {
            usage(message)
        }
    })?;
    let resave = "open it in your spreadsheet and save it again as \"CSV UTF-8 (Comma delimited)\"";
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(usage(format!(
            "{shown} is a workbook, not CSV text; name it with .xlsx at the end, or save it as \"CSV UTF-8 (Comma delimited)\""
        )));
    }
    match csvread::utf8(bytes) {
        Ok(text) => Ok(text),
        Err(NotUtf8::Utf16) => Err(usage(format!(
            "{shown}:1: the {what} is UTF-16 text (\"Unicode text\"), not UTF-8; {resave}; nothing was written"
        ))),
        Err(NotUtf8::Invalid { line, .. }) => Err(usage(format!(
            "{shown}:{line}: the {what} is not UTF-8 text; {resave}; nothing was written"
        ))),
    }
}

/// A row's line (CSV) or row number (sheet), and its cells.
type Numbered = (usize, Vec<String>);

/// The first row that is not blank, and the rows below it that are not.
fn header_and_rows(all: Vec<Numbered>) -> Option<(Vec<String>, Vec<Numbered>)> {
    let mut rows = all
        .into_iter()
        .filter(|(_, cells)| !cells.iter().all(String::is_empty));
    let (_, header) = rows.next()?;
    Some((header, rows.collect()))
}

/// Keeps the rows as wide as the header. A row of another width would put
/// cells under the wrong columns, or drop some: refused, most often a
/// separator in an unquoted cell.
fn keep_full_rows(table: &mut Table, rows: Vec<Numbered>, diags: &mut Diagnostics) {
    for (line, cells) in rows {
        if cells.len() == table.header.len() {
            table.rows.push((line, cells));
            continue;
        }
        let message = format!(
            "row has {} cells but the header has {}",
            cells.len(),
            table.header.len()
        );
        table.error(Kind::WrongCellCount, diags, line, None, message).help(match table.sep {
            b',' => "a comma inside a cell needs the cell in double quotes, e.g. \"Brooks, Jr.\"",
            b';' => "the cells are separated by semicolons (as the header line is); a semicolon inside a cell needs the cell in double quotes",
            _ => "the cells are separated by tabs (as the header line is); a tab inside a cell needs the cell in double quotes",
        });
    }
}

fn read_xlsx(
    path: &Path,
    shown: String,
    what: &str,
    diags: &mut Diagnostics,
) -> anyhow::Result<Table> {
    let (sheet, range) = first_sheet(path, &shown, what)?;
    let mut table = Table {
        shown,
        sheet: Some(sheet),
        sep: b',',
        ..Table::default()
    };
    let all = sheet_rows(&table, &range, diags);
    let Some((mut header, mut rows)) = header_and_rows(all) else {
        return Err(usage(format!(
            "sheet \"{}\" of {} is empty; its first row names the columns",
            table.sheet.as_deref().unwrap_or(""),
            table.shown
        )));
    };
    // The used range may reach right of the header: those cells have no name.
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    table.header_text = header.join(",");
    table.header = header.iter().map(|h| h.to_lowercase()).collect();
    cut_to_header(&table, &mut rows, diags);
    table.rows = rows;
    Ok(table)
}

/// The name and the cells of a workbook's first sheet.
fn first_sheet(
    path: &Path,
    shown: &str,
    what: &str,
) -> anyhow::Result<(String, calamine::Range<Data>)> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|e| {
        usage(format!(
            "cannot read the {what} {shown} as an .xlsx workbook: {e}"
        ))
    })?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(usage(format!("{shown} has no sheet")));
    };
    let range = book
        .worksheet_range_at(0)
        .expect("the first sheet is named")
        .map_err(|e| usage(format!("cannot read sheet \"{sheet}\" of {shown}: {e}")))?;
    Ok((sheet, range))
}

/// Every row of the sheet with its row number, cells as the text they show;
/// a cell holding a spreadsheet error is an error, and read as empty.
fn sheet_rows(
    table: &Table,
    range: &calamine::Range<Data>,
    diags: &mut Diagnostics,
) -> Vec<Numbered> {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let row = first_row as usize + i + 1;
        // Columns left of the used range are empty: keep them, so that
        // cells keep their columns whatever the sheet's first column.
        let mut texts = vec![String::new(); first_col as usize];
        for (j, cell) in cells.iter().enumerate() {
            match cell_text(cell) {
                Ok(t) => texts.push(t.trim().to_string()),
                Err(shown) => {
                    let col = column_name(first_col as usize + j);
                    let message = format!("cell {col}{row} holds the spreadsheet error {shown}");
                    table
                        .error(Kind::SpreadsheetError, diags, row, None, message)
                        .help("fix the formula or type the value itself");
                    texts.push(String::new());
                }
            }
        }
        rows.push((row, texts));
    }
    rows
}

/// Cuts the rows to the header's width: a value right of the last named
/// column would not be read, and is an error.
fn cut_to_header(table: &Table, rows: &mut [Numbered], diags: &mut Diagnostics) {
    let width = table.header.len();
    for (row, cells) in rows {
        if let Some(extra) = cells.iter().skip(width).position(|c| !c.is_empty()) {
            let col = column_name(width + extra);
            let message = format!(
                "cell {col}{row} holds \"{}\" but its column has no name in the header row",
                cells[width + extra]
            );
            table
                .error(Kind::UnnamedColumn, diags, *row, None, message)
                .help("name the column in the header row, or move the value into a named column");
        }
        cells.resize(width, String::new());
    }
}

/// `A`, `B`, … `Z`, `AA`: the name of column `i` (0-based).
fn column_name(mut i: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

/// The text a cell shows, as cohort reads its files: a date as
/// `YYYY-MM-DD`, a time of day or a duration as `H:MM`, a number as its
/// shortest exact decimal (`1.5`, `2`). `Err` with what the sheet shows for
/// a cell holding a spreadsheet error (`#N/A`).
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            if dt.is_duration() || (0.0..1.0).contains(&serial) {
                clock(serial * 24.0 * 3600.0)
            } else {
                let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
                if (hh, mm, ss, ms) == (0, 0, 0, 0) {
                    format!("{y:04}-{m:02}-{d:02}")
                } else {
                    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
                }
            }
        }
        Data::Error(e) => return Err(e.to_string()),
    })
}

/// A number as its shortest decimal: `2` for 2.0, `1.5`, `0.30000000000000004`
/// (which is then refused as more than two decimals, not rounded).
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Seconds as `H:MM`, or `H:MM:SS` when they are not whole minutes.
fn clock(seconds: f64) -> String {
    let total = seconds.round() as i64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    if s == 0 {
        format!("{h}:{m:02}")
    } else {
        format!("{h}:{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_go_on_past_z() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn cells_read_as_the_text_they_show() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        assert_eq!(float_text(2.0), "2");
        assert_eq!(float_text(1.5), "1.5");
        assert_eq!(float_text(0.1 + 0.2), "0.30000000000000004");
        use ExcelDateTimeType::{DateTime, TimeDelta};
        for (value, kind, shown) in [
            (45717.0, DateTime, "2025-03-01"),
            (0.0625, DateTime, "1:30"),
            (1.25, TimeDelta, "30:00"),
        ] {
            let cell = Data::DateTime(ExcelDateTime::new(value, kind, false));
            assert_eq!(cell_text(&cell), Ok(shown.to_string()), "{value}");
        }
        assert!(cell_text(&Data::Error(calamine::CellErrorType::NA)).is_err());
    }

    #[test]
    fn lost_letters_are_question_marks_and_replacement_characters() {
        assert!(lost_letters("Nguy?n V?n An"));
        assert!(lost_letters("Ren\u{FFFD}e"));
        assert!(!lost_letters("Nguyễn Văn An"));
    }
}
