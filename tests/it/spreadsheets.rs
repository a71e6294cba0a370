//! `report` and `export` as .xlsx, read back with calamine; export's CSV
//! byte-order mark and the e-mail column that only `--with-email` adds.

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::print::issued_with_template;
use crate::support::{DataRoot, TOML, csv_rows, refused_lines};

/// Every cell of the first sheet; each must be text.
fn cells(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("a cell that is not text: {other:?}"),
                })
                .collect()
        })
        .collect()
}

#[test]
fn report_as_xlsx_holds_the_csv_report_as_text_cells() {
    let root = DataRoot::example();
    let csv = root.ok("report 2024-fall --format csv");
    root.ok("report 2024-fall --format xlsx --out outcomes.xlsx")
        .stderr_has("wrote outcomes.xlsx");
    let sheet = cells(&root.path("outcomes.xlsx"));
    assert_eq!(sheet, csv_rows(&csv.stdout));
    assert_eq!(sheet[0][0], "cohort", "a header row");
    assert_eq!(sheet.len(), 19);
    // Counts and hours are text too: "17", "32.5".
    assert!(
        sheet
            .iter()
            .any(|r| r[7] == "32.5" && r[2] == "Nguyễn Thị Mai")
    );
}

/// The column widths the sheet sets (in characters), from its XML.
fn column_widths(path: &std::path::Path) -> Vec<f64> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.split("<col ")
        .skip(1)
        .map(|col| {
            let w = col.split("width=\"").nth(1).unwrap();
            w[..w.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[test]
fn columns_are_as_wide_as_their_contents() {
    let root = DataRoot::example();
    root.ok("report 2024-fall --format xlsx --out o.xlsx");
    let widths = column_widths(&root.path("o.xlsx"));
    assert_eq!(widths.len(), 10, "every column has a width: {widths:?}");
    // Widths are in widths of "0" in Calibri 11, as Excel measures them:
    // "Fatima Zahra El Idrissi" (23 letters, many narrow) needs about 20.
    assert!(widths[2] >= 19.0, "{widths:?}");
    assert!(
        widths[2] > widths[1],
        "name wider than the participant id: {widths:?}"
    );
    assert!(widths[9] > widths[2], "{widths:?}");
    // attended: "attended" (the header) is the widest cell.
    assert!(widths[3] >= 8.0 && widths[3] < 15.0, "{widths:?}");
}

#[test]
fn xlsx_needs_out_and_out_needs_xlsx() {
    let root = DataRoot::example();
    let needs_out = "--format xlsx writes a file: give --out FILE";
    refused_lines(
        &root,
        2,
        &[
            ("report 2024-fall --format xlsx", needs_out),
            ("export 2024-fall --format xlsx", needs_out),
            ("report 2024-fall --out x.csv", "--out is for --format xlsx"),
        ],
    );
}

#[test]
fn export_as_xlsx_keeps_formulas_as_text_and_names_as_issued() {
    let root = DataRoot::example();
    root.edit(TOML, "name = \"Kwame Mensah\"", "name = \"=1+1\"");
    root.ok("issue 2024-fall");
    root.ok("export 2024-fall --format xlsx --out certs.xlsx");
    let sheet = cells(&root.path("certs.xlsx"));
    let header =
        "number,cohort,participant,name,level,credential,date,program,trainers,cohort_name";
    assert_eq!(sheet[0], header.split(',').collect::<Vec<_>>());
    assert_eq!(sheet.len(), 13);
    let p13 = sheet.iter().find(|r| r[2] == "p13").unwrap();
    assert_eq!(
        p13[3], "=1+1",
        "a text cell, never a formula, and no ' added"
    );
    let p01 = sheet.iter().find(|r| r[2] == "p01").unwrap();
    assert_eq!(p01[3], "Zoë Martin-Leclerc");
    assert_eq!(p01[6], "2025-02-04", "a date stays text");
    assert_eq!(p01[9], "Fall 2024");
}

#[test]
fn emails_only_with_with_email() {
    let root = issued_with_template();
    for format in ["csv", "json", "table"] {
        let run = root.ok(&format!("export 2024-fall --format {format}"));
        assert!(!run.stdout.contains('@'), "{format}: {}", run.stdout);
    }
    let run = root.ok("export 2024-fall --with-email");
    let rows = csv_rows(run.stdout.strip_prefix('\u{feff}').unwrap());
    assert_eq!(rows[0].last().unwrap(), "email");
    assert_eq!(rows[0][9], "cohort_name");
    let p01 = rows.iter().find(|r| r[2] == "p01").unwrap();
    assert_eq!(p01[11 - 1], "zoe.martin-leclerc@example.org");
    root.ok("export 2024-fall --with-email --format json")
        .stdout_has("\"email\": \"zoe.martin-leclerc@example.org\"");
    root.ok("export 2024-fall --with-email --format xlsx --out m.xlsx");
    let sheet = cells(&root.path("m.xlsx"));
    assert_eq!(sheet[0].last().unwrap(), "email");
}

#[test]
fn export_csv_begins_with_a_byte_order_mark_and_can_go_to_a_file() {
    let root = issued_with_template();
    let run = root.ok("export 2024-fall");
    assert!(
        run.stdout.starts_with("\u{feff}number,"),
        "{:?}",
        &run.stdout[..20]
    );
    root.ok("export 2024-fall --out e.csv");
    assert_eq!(root.read("e.csv"), run.stdout);
}
