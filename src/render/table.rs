//! Tables for people, at the terminal's width (80 columns when piped).

use comfy_table::{ContentArrangement, Table, presets};

/// An empty table with the house style and a sensible width.
pub fn new(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().copied());
    if !table.is_tty() {
        table.set_width(80);
    }
    table
}
