//! `cohort print`: every certificate of the example cohort rendered,
//! its text read back with poppler's `pdftotext`, its QR code decoded with
//! zbar's `zbarimg`, and every refusal leaving nothing behind.

use std::path::Path;
use std::process::Command;

use crate::support::{DataRoot, Run, refused_line};

/// Where `cohort print` finds its template in a data root.
const TEMPLATE: &str = "templates/certificate.toml";

/// The shipped templates/certificate.toml.
const SHIPPED_TEMPLATE: &str = include_str!("../../templates/certificate.toml");

/// The example with the shipped template in its root.
fn with_template() -> DataRoot {
    let root = DataRoot::example();
    root.write(TEMPLATE, SHIPPED_TEMPLATE);
    root
}

/// The example with its certificates issued and the shipped template.
pub fn issued_with_template() -> DataRoot {
    let root = with_template();
    root.ok("issue 2024-fall");
    root
}

/// `cohort LINE --out OUT`.
fn print_to(root: &DataRoot, line: &str, out: &Path) -> Run {
    root.cohort(&format!("{line} --out '{}'", out.display()))
}

/// A tool's stdout; the test fails if the tool is missing or fails.
pub fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (.ci/run installs it): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What zbarimg reads in the QR code of a PDF's first page.
fn qr_of(pdf: &Path) -> String {
    let png = pdf.with_extension("");
    let mut args = vec!["-png", "-r", "100", "-singlefile", "-f", "1"];
    args.extend([pdf.to_str().unwrap(), png.to_str().unwrap()]);
    tool("pdftoppm", &args);
    let png = png.with_extension("png");
    tool("zbarimg", &["-q", "--raw", png.to_str().unwrap()])
        .trim()
        .to_string()
}

/// The export rows as JSON: what each certificate must show.
fn exported(root: &DataRoot) -> Vec<serde_json::Value> {
    serde_json::from_value(root.json("export 2024-fall --format json")).unwrap()
}

fn long_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .unwrap()
        .format("%-d %B %Y")
        .to_string()
}

#[test]
fn every_certificate_prints_every_field_and_a_qr_code_of_its_number() {
    let root = issued_with_template();
    let rows = exported(&root);
    assert_eq!(rows.len(), 12, "the example has 12 certificates");
    let out = root.path("out");
    print_to(&root, "print 2024-fall", &out)
        .success()
        .stderr_has("printed 12 certificates");
    let files: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(files.len(), 12, "one file per certificate, nothing else");
    for row in &rows {
        let number = row["number"].as_str().unwrap();
        let pdf = out.join(format!("{number}.pdf"));
        let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        let trainers: Vec<&str> = row["trainers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        for field in [
            row["program"].as_str().unwrap().to_string(),
            row["credential"].as_str().unwrap().to_string(),
            row["name"].as_str().unwrap().to_string(),
            long_date(row["date"].as_str().unwrap()),
            number.to_string(),
            trainers.join("; "),
            "Fall 2024".to_string(),
        ] {
            assert!(text.contains(&field), "{number}: {field:?} not in\n{text}");
        }
        assert_eq!(
            qr_of(&pdf),
            format!("https://certificates.example.org/#{number}"),
            "{number}"
        );
        let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(info.contains("Pages:           1"), "{info}");
        assert!(
            info.contains("841.89 x 595.276 pts (A4)"),
            "landscape A4: {info}"
        );
        // Every font embedded and subset.
        let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
        let font_lines: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!font_lines.is_empty(), "{fonts}");
        for line in font_lines {
            assert!(
                line.contains("yes yes yes"),
                "embedded, subset, with unicode: {line}"
            );
            assert!(
                line.split_whitespace().next().unwrap().contains('+'),
                "a subset font's name: {line}"
            );
        }
    }
    // The accents came through as letters, not look-alikes.
    let p04 = rows.iter().find(|r| r["participant"] == "p04").unwrap();
    let pdf = out.join(format!("{}.pdf", p04["number"].as_str().unwrap()));
    assert!(tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).contains("Nguyễn Thị Mai"));
}

#[test]
fn greek_cyrillic_and_vietnamese_names_print_and_merge_makes_one_file() {
    let root = with_template();
    root.rename("Kwame Mensah", "Ελένη Παπαδοπούλου");
    root.rename("Rahim Chowdhury", "Анна Кузнецова");
    root.edit("curriculum.toml", "paper = \"A4\"", "paper = \"Letter\"");
    root.ok("issue 2024-fall");
    let out = root.path("merged");
    print_to(&root, "print 2024-fall --merge", &out).success();
    let pdf = out.join("certificates.pdf");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Pages:           12"), "{info}");
    assert!(
        info.contains("792 x 612 pts (letter)"),
        "landscape Letter: {info}"
    );
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    for name in [
        "Ελένη Παπαδοπούλου",
        "Анна Кузнецова",
        "Nguyễn Thị Mai",
        "Zoë Martin-Leclerc",
    ] {
        assert!(text.contains(name), "{name} not in the merged file");
    }
    assert_eq!(text.matches("Certificate PSCE-").count(), 12, "a page each");
}

#[test]
fn level_filters_what_is_printed_and_revoked_certificates_are_not() {
    let root = issued_with_template();
    let out = root.path("certified");
    print_to(&root, "print --all --level certified", &out)
        .success()
        .stderr_has("printed 3 certificates");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3);
    let n = exported(&root)[0]["number"].as_str().unwrap().to_string();
    root.ok(&format!("revoke {n} --reason 'issued in error' --yes"));
    let out = root.path("out");
    print_to(&root, "print 2024-fall", &out)
        .success()
        .stderr_has("printed 11 certificates");
    assert!(!out.join(format!("{n}.pdf")).exists());
}

#[test]
fn write_template_writes_the_default_once() {
    let root = DataRoot::example();
    root.ok("print --write-template")
        .stderr_has("wrote templates/certificate.toml");
    assert_eq!(root.read(TEMPLATE), SHIPPED_TEMPLATE);
    root.edit(TEMPLATE, "size = 34", "size = 30");
    root.cli_line("print --write-template").refused(
        1,
        "templates/certificate.toml is there already; nothing was written",
    );
}

/// A refused print: the exact message, exit 1, no file changed and no
/// output folder made.
fn refused(root: &DataRoot, line: &str, expected_stderr: &str) {
    let before = root.snapshot();
    let out = root.path("out");
    let run = print_to(root, line, &out);
    run.code(1);
    let stderr: String = run
        .stderr
        .lines()
        .filter(|l| !l.contains(": warning: "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(stderr, expected_stderr, "stderr of `cohort {}`", run.args);
    assert_eq!(before, root.snapshot(), "nothing changed");
    assert!(!out.exists(), "no output folder");
}

#[test]
fn a_missing_template_is_refused() {
    let root = issued_with_template();
    root.remove(TEMPLATE);
    refused(
        &root,
        "print 2024-fall",
        "templates/certificate.toml: error: is missing: `cohort print` draws every certificate from it\n \
         help: write the default one with `cohort print --write-template`, then change it as you like (docs/certificates.md)\n\
         cohort: refusing to print: templates/certificate.toml has 1 error, 0 warnings; nothing was written\n",
    );
}

#[test]
fn a_bad_template_field_is_refused_with_its_line() {
    let root = issued_with_template();
    root.edit(TEMPLATE, "text = \"{name}\"", "text = \"{nmae}\"");
    refused(
        &root,
        "print 2024-fall",
        "templates/certificate.toml:57: error: unknown field {nmae} in \"{nmae}\"; did you mean {name}?\n \
         help: the fields are {program} {credential} {level} {name} {date} {date_long} {number} {trainers} {cohort} {cohort_name} {verify_url}; write {{ and }} for the braces themselves\n\
         cohort: refusing to print: templates/certificate.toml has 1 error, 0 warnings; nothing was written\n",
    );
}

#[test]
fn bad_template_values_are_all_refused() {
    let root = issued_with_template();
    root.edit(TEMPLATE, "size = 34", "sise = 34")
        .edit(TEMPLATE, "y = 18", "y = 180")
        .edit(TEMPLATE, "color = \"#555555\"", "color = \"grey\"")
        .edit(
            TEMPLATE,
            "font = \"serif-bold\"\nwidth = 80",
            "font = \"fonts/Missing.ttf\"\nwidth = 80",
        );
    root.cohort("print 2024-fall --out out").fails(1, "templates/certificate.toml:45: error: `y` in [[text]] is 180; expected a number from 0 to 100 (per cent of the page's height)")
        .stderr_has("templates/certificate.toml:60: error: unknown key `sise` in [[text]]")
        .stderr_has("did you mean `size`?")
        .stderr_has("templates/certificate.toml:61: error: cannot read font file fonts/Missing.ttf: there is no such file")
        .stderr_has("templates/certificate.toml:104: error: color \"grey\" is not a colour like \"#2B4C7E\"")
        .stderr_has("templates/certificate.toml has 4 errors");
    assert!(!root.path("out").exists());
}

#[test]
fn a_name_the_fonts_cannot_draw_is_refused_naming_the_person() {
    let root = with_template();
    root.rename("Kwame Mensah", "王小明");
    root.ok("issue 2024-fall");
    let register = root.rows("certificates.csv");
    let n = &register.iter().find(|r| r[2] == "p13").unwrap()[0];
    refused(
        &root,
        "print 2024-fall",
        &format!(
            "cohort: error: cannot print certificate {n} of 王小明 (p13, cohort 2024-fall): the name \"王小明\" has '王' (U+738B), which font \"serif-bold\" (templates/certificate.toml:56) cannot draw\n \
             help: add a font that can: put its .ttf or .otf file in the data root, e.g. fonts/NotoSans-Regular.ttf, and name it in that [[text]] of templates/certificate.toml: font = \"fonts/NotoSans-Regular.ttf\" (docs/certificates.md, \"Fonts\")\n\
             cohort: refusing to print: 1 certificate cannot be drawn with the template's fonts; nothing was written\n"
        ),
    );
}

#[test]
fn an_output_folder_that_cannot_be_written_is_refused() {
    let root = issued_with_template();
    // A file where the folder should be, and a folder below a file.
    for out in ["certificates.csv", "certificates.csv/pdfs"] {
        let message = format!("cohort: error: cannot write certificates to {out}: ");
        refused_line(&root, &format!("print 2024-fall --out {out}"), 1, &message)
            .stderr_has("nothing was written");
    }
}

#[test]
fn a_curriculum_without_verify_url_is_refused() {
    let root = issued_with_template();
    root.edit(
        "curriculum.toml",
        "verify_url = \"https://certificates.example.org/\"",
        "",
    );
    root.cli_line("print 2024-fall --out out").refused(
        1,
        "cohort: error: curriculum.toml has no [certificate] verify_url",
    );
    assert!(!root.path("out").exists());
}

#[test]
fn a_bad_paper_size_is_an_error_of_the_curriculum() {
    let root = DataRoot::example();
    root.edit("curriculum.toml", "paper = \"A4\"", "paper = \"A5\"");
    root.cohort("check")
        .fails(1, "curriculum.toml:")
        .stderr_has("error: paper \"A5\" is not a paper size; use \"A4\" or \"Letter\"");
}
