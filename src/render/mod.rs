//! Rendering computed data as a table, CSV or JSON. Nothing here decides
//! anything: it only prints what `rules` worked out.

pub mod grid;
pub mod ical;
pub mod table;
pub mod xlsx;

/// Output formats of the commands that print rows (`report`, `export`): the
/// usual three, and a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SheetFormat {
    Table,
    Csv,
    Json,
    /// An Excel workbook (every cell typed text); needs --out FILE
    Xlsx,
}

/// "1 row", "2 rows".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Each item as text, joined by `sep`: `joined(&[1, 3, 6], ", ")` is `1, 3, 6`.
pub fn joined<T: std::fmt::Display>(items: impl IntoIterator<Item = T>, sep: &str) -> String {
    let texts: Vec<String> = items.into_iter().map(|item| item.to_string()).collect();
    texts.join(sep)
}

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return first) gets a leading `'`.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes CSV rows with every cell neutralised, for files people open.
pub fn csv_for_people(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> anyhow::Result<String> {
    let header = header.iter().map(|h| h.to_string()).collect();
    csv_rows(std::iter::once(header).chain(rows))
}

/// CSV lines, every cell neutralised, without a header: for output put
/// together from parts rendered apart.
pub fn csv_rows(rows: impl IntoIterator<Item = Vec<String>>) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Cell by cell: a neutralised cell is borrowed unless it changed.
        for cell in &row {
            w.write_field(neutralise(cell).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// One row as a CSV line, without its line end: a row a command shows
/// before (or instead of) appending it to a log.
pub fn csv_line(cells: &[String]) -> anyhow::Result<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(cells)?;
    Ok(String::from_utf8(w.into_inner()?)?.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for good in ["Zoë", "O'Brien", "1.5", "", " =x"] {
            assert_eq!(neutralise(good), good);
        }
    }

    #[test]
    fn csv_quotes_commas_and_neutralises() {
        let text = csv_for_people(
            &["a", "b"],
            [vec!["Brooks, Jr.".into(), "=HYPERLINK()".into()]],
        )
        .unwrap();
        assert_eq!(text, "a,b\n\"Brooks, Jr.\",'=HYPERLINK()\n");
    }
}
