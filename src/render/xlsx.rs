//! Spreadsheets: an .xlsx workbook of one sheet, a bold header row, every
//! cell written as text (so that no formula ever runs and no date or
//! number is guessed from a name or a certificate number), columns as wide
//! as their contents.

use std::path::Path;

use anyhow::Context as _;
use rust_xlsxwriter::{Format, Workbook};

/// Writes `header` and `rows` to an .xlsx file at `path` (atomically).
pub fn write(
    path: &Path,
    sheet: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> anyhow::Result<()> {
    let bytes = workbook(sheet, header, rows)?;
    write_atomically(path, &bytes)
}

/// The workbook's bytes.
pub fn workbook(
    sheet: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (col, name) in header.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    for (i, row) in rows.into_iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            ws.write_string_with_format(i as u32 + 1, col as u16, cell, &text)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    Ok(book.save_to_buffer()?)
}

/// Writes `bytes` to `path` through a temporary file beside it and a
/// rename, so that a reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
