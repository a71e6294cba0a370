//! `templates/certificate.toml`: the certificate page, as staff can change
//! it without code. A small declarative format (text lines with position,
//! size, font and `{field}`s; frames; the QR code), read whole and checked
//! before anything is printed; see the default template for the keys.

use toml::de::DeTable;

use super::fonts::{self, Font};
use super::{FIELD_NAMES, Fields};
use crate::diag::{Diagnostics, Kind, did_you_mean};
use crate::load::tomlx::{Tbl, TomlReader, table_list};
use crate::load::{FileKind, Reported, Root, read_source};

/// Where the template lives in a data root.
pub const TEMPLATE: &str = "templates/certificate.toml";

/// The default template, as `cohort init` writes it.
pub const DEFAULT: &str = include_str!("../../templates/certificate.toml");

/// Writes the default template into the data root at `root` unless one is
/// there already; gives whether it wrote. `cohort init` calls this.
pub fn write_default(root: &std::path::Path) -> std::io::Result<bool> {
    let path = root.join(TEMPLATE);
    // An existing template is left as it is: create_atomically refuses it.
    std::fs::create_dir_all(path.parent().expect("has a folder"))?;
    match crate::write::create_atomically(&path, DEFAULT.as_bytes()) {
        Ok(()) => Ok(true),
        Err(crate::write::WriteError::AlreadyExists { .. }) => Ok(false),
        Err(e) => Err(std::io::Error::other(e.to_string())),
    }
}

/// A checked template and the fonts it names.
#[derive(Debug)]
pub struct Template {
    pub texts: Vec<Text>,
    pub frames: Vec<Frame>,
    pub qr: Qr,
    /// Indexed by [`Text::font`].
    pub fonts: Vec<Font>,
}

/// One line of text.
#[derive(Debug, Clone)]
pub struct Text {
    /// Line of its `[[text]]` header, for messages.
    pub line: Option<usize>,
    pub parts: Vec<Part>,
    /// Per cent of the page's width and height.
    pub x: f32,
    pub y: f32,
    /// Points.
    pub size: f32,
    /// Widest the line may be, in per cent of the page's width.
    pub width: f32,
    pub align: Align,
    pub font: usize,
    pub color: (u8, u8, u8),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    Field(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A rectangle's outline; per cent of the page, line width in points.
#[derive(Debug, Clone)]
pub struct Frame {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub line: f32,
    pub color: (u8, u8, u8),
}

/// Top left corner in per cent of the page; side in millimetres.
#[derive(Debug, Clone)]
pub struct Qr {
    pub x: f32,
    pub y: f32,
    pub size_mm: f32,
}

impl Text {
    /// The line as printed for one certificate.
    pub fn fill(&self, fields: &Fields) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Literal(s) => s.clone(),
                Part::Field(f) => fields.get(f).unwrap_or_default(),
            })
            .collect()
    }

    pub fn uses(&self, field: &str) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Field(f) if *f == field))
    }
}

/// Reads and checks the data root's template and loads its fonts; every
/// problem goes to `diags` with its line.
pub fn load(root: &Root, diags: &mut Diagnostics) -> Option<Template> {
    let src = match read_source(root, TEMPLATE, FileKind::Toml, diags) {
        Ok(Some(src)) => src,
        Ok(None) => {
            diags.error(Kind::MissingFile, TEMPLATE, None, "is missing: `cohort print` draws every certificate from it")
                .help("write the default one with `cohort print --write-template`, then change it as you like (docs/certificates.md)");
            return None;
        }
        Err(Reported) => return None,
    };
    let errors_before = diags.errors();
    let mut r = TomlReader::new(&src, diags);
    let doc = r.parse()?;
    read(&mut r, root, &doc).filter(|_| r.diags.errors() <= errors_before)
}

fn read(r: &mut TomlReader, root: &Root, doc: &DeTable<'_>) -> Option<Template> {
    let top = r.top(doc, "the template");
    r.unknown_keys(top, &["text", "box", "qr"]);
    // The `[[key]]` tables, each named so for messages.
    let tables = |r: &TomlReader, key: &str, name: &'static str| -> Vec<Tbl> {
        let list = doc.get(key).and_then(|v| table_list(r, v));
        list.unwrap_or_default()
            .into_iter()
            .map(|(table, line)| Tbl { table, name, line })
            .collect()
    };
    let mut fonts: Vec<Font> = Vec::new();
    let mut texts = Vec::new();
    for t in tables(r, "text", "[[text]]") {
        texts.extend(text(r, t, root, &mut fonts));
    }
    let mut frames = Vec::new();
    for t in tables(r, "box", "[[box]]") {
        frames.extend(frame(r, t));
    }
    let qr = qr(r, doc);
    if !texts.iter().any(|t| t.uses("number")) && r.diags.errors() == 0 {
        r.error(
            Kind::NumberNotPrinted,
            Some(1),
            "no [[text]] prints {number}: a certificate must show its number",
        )
        .help("add a line such as text = \"Certificate {number}\"");
    }
    Some(Template {
        texts,
        frames,
        qr: qr?,
        fonts,
    })
}

const WIDTH: &str = "per cent of the page's width";
const HEIGHT: &str = "per cent of the page's height";

/// One `[[text]]` line.
fn text(r: &mut TomlReader, t: Tbl<'_>, root: &Root, fonts: &mut Vec<Font>) -> Option<Text> {
    let known = ["text", "x", "y", "size", "width", "align", "font", "color"];
    r.unknown_keys(t, &known);
    let parts = r.string(t, "text", true).and_then(|s| {
        parse_fields(&s)
            .map_err(|why| {
                let line = r.key_line(t, "text");
                let fields: Vec<String> = FIELD_NAMES.iter().map(|f| format!("{{{f}}}")).collect();
                r.error(Kind::BadPlaceholder, line, why).help(format!(
                    "the fields are {}; write {{{{ and }}}} for the braces themselves",
                    fields.join(" ")
                ));
            })
            .ok()
    });
    let x = number(r, t, "x", None, 0.0..=100.0, WIDTH);
    let y = number(r, t, "y", None, 0.0..=100.0, HEIGHT);
    let size = number(r, t, "size", Some(14.0), 1.0..=300.0, "points");
    let width = number(r, t, "width", Some(90.0), 1.0..=100.0, WIDTH);
    let align = match r.string(t, "align", false).as_deref() {
        None | Some("center") => Some(Align::Center),
        Some("left") => Some(Align::Left),
        Some("right") => Some(Align::Right),
        Some(other) => {
            let line = r.key_line(t, "align");
            r.error(
                Kind::BadChoice,
                line,
                format!("align \"{other}\" is not one of \"center\", \"left\", \"right\""),
            );
            None
        }
    };
    let font = r.string(t, "font", false).unwrap_or_else(|| "serif".into());
    let font = font_index(r, t, root, &font, fonts);
    let color = color(r, t);
    Some(Text {
        line: t.line,
        parts: parts?,
        x: x?,
        y: y?,
        size: size?,
        width: width?,
        align: align?,
        font: font?,
        color: color?,
    })
}

/// One `[[box]]`.
fn frame(r: &mut TomlReader, t: Tbl<'_>) -> Option<Frame> {
    r.unknown_keys(t, &["x", "y", "w", "h", "line", "color"]);
    let x = number(r, t, "x", None, 0.0..=100.0, WIDTH);
    let y = number(r, t, "y", None, 0.0..=100.0, HEIGHT);
    let w = number(r, t, "w", None, 0.0..=100.0, WIDTH);
    let h = number(r, t, "h", None, 0.0..=100.0, HEIGHT);
    let line = number(r, t, "line", Some(1.0), 0.1..=20.0, "points");
    let color = color(r, t);
    Some(Frame {
        x: x?,
        y: y?,
        w: w?,
        h: h?,
        line: line?,
        color: color?,
    })
}

/// The `[qr]` table, which every template needs.
fn qr(r: &mut TomlReader, doc: &DeTable<'_>) -> Option<Qr> {
    let value = doc.get("qr");
    let Some(table) = value.and_then(|v| v.get_ref().as_table()) else {
        r.error(
            Kind::MissingTable,
            Some(1),
            "has no [qr] table: every certificate carries the QR code of its verification address",
        )
        .help("add\n  [qr]\n  x = 80\n  y = 66\n  size = 32");
        return None;
    };
    let t = Tbl {
        table,
        name: "[qr]",
        line: value.and_then(|v| r.span_line(v.span())),
    };
    r.unknown_keys(t, &["x", "y", "size"]);
    let x = number(r, t, "x", None, 0.0..=100.0, WIDTH);
    let y = number(r, t, "y", None, 0.0..=100.0, HEIGHT);
    // Below 15 mm a phone struggles with a code of this length.
    let size = number(r, t, "size", Some(30.0), 15.0..=150.0, "millimetres");
    Some(Qr {
        x: x?,
        y: y?,
        size_mm: size?,
    })
}

/// Splits `text` into literals and `{field}`s; `{{` and `}}` are braces.
pub fn parse_fields(text: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("{{") || rest.starts_with("}}") {
            literal.push(c);
            rest = &rest[2..];
        } else if c == '{' {
            let Some(end) = rest.find('}') else {
                return Err(format!("\"{text}\" has a {{ that is not closed by }}"));
            };
            let name = rest[1..end].trim();
            let Some(field) = FIELD_NAMES.iter().find(|f| **f == name) else {
                let guess = did_you_mean(name, FIELD_NAMES.iter().copied())
                    .map_or(String::new(), |g| format!("; did you mean {{{g}}}?"));
                return Err(format!("unknown field {{{name}}} in \"{text}\"{guess}"));
            };
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            parts.push(Part::Field(field));
            rest = &rest[end + 1..];
        } else if c == '}' {
            return Err(format!("\"{text}\" has a }} that no {{ opens"));
        } else {
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Ok(parts)
}

fn number(
    r: &mut TomlReader,
    t: Tbl<'_>,
    key: &str,
    default: Option<f32>,
    range: std::ops::RangeInclusive<f32>,
    unit: &str,
) -> Option<f32> {
    let Some((n, written)) = r.number(t, key, default.is_none()) else {
        return default;
    };
    let n = n as f32;
    if !range.contains(&n) {
        let line = r.key_line(t, key);
        r.error(
            Kind::OutOfRange,
            line,
            format!(
                "`{key}` in {} is {written}; expected a number from {} to {} ({unit})",
                t.name,
                range.start(),
                range.end()
            ),
        );
        return None;
    }
    Some(n)
}

fn color(r: &mut TomlReader, t: Tbl<'_>) -> Option<(u8, u8, u8)> {
    let Some(text) = r.string(t, "color", false) else {
        return Some((0, 0, 0));
    };
    let hex = text.strip_prefix('#').unwrap_or("");
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    match (hex.len(), channel(0), channel(2), channel(4)) {
        (6, Some(r), Some(g), Some(b)) => Some((r, g, b)),
        _ => {
            let line = r.key_line(t, "color");
            r.error(Kind::BadColor, line, format!("color \"{text}\" is not a colour like \"#2B4C7E\" (#, then red, green and blue in hexadecimal)"));
            None
        }
    }
}

/// The index of font `name` in `fonts`, loading it on first use.
fn font_index(
    r: &mut TomlReader,
    t: Tbl<'_>,
    root: &Root,
    name: &str,
    fonts: &mut Vec<Font>,
) -> Option<usize> {
    if let Some(i) = fonts.iter().position(|f| f.name == name) {
        return Some(i);
    }
    let font = if let Some(font) = Font::built_in(name) {
        font
    } else {
        let line = r.key_line(t, "font");
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".ttf") || lower.ends_with(".otf")) {
            r.error(Kind::BadFont, line, format!("font \"{name}\" is neither a built-in font ({}) nor a .ttf or .otf file", fonts::BUILT_IN.join(", ")))
                .help("put the font file in the data root, e.g. fonts/NotoSerif-Regular.ttf, and write font = \"fonts/NotoSerif-Regular.ttf\"");
            return None;
        }
        match std::fs::read(root.path(name)) {
            Err(e) => {
                r.error(
                    Kind::Unreadable,
                    line,
                    format!(
                        "cannot read font file {name}: {}",
                        if e.kind() == std::io::ErrorKind::NotFound {
                            "there is no such file".to_string()
                        } else {
                            e.to_string()
                        }
                    ),
                )
                .help("the path is relative to the data root (the folder with curriculum.toml)");
                return None;
            }
            Ok(bytes) => match Font::from_bytes(name, bytes) {
                Some(font) => font,
                None => {
                    r.error(
                        Kind::BadFont,
                        line,
                        format!("{name} is not a font file cohort can read (TrueType or OpenType)"),
                    );
                    return None;
                }
            },
        }
    };
    fonts.push(font);
    Some(fonts.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_braces_are_split_out() {
        assert_eq!(
            parse_fields("Dear {name}, {{not a field}}").unwrap(),
            vec![
                Part::Literal("Dear ".into()),
                Part::Field("name"),
                Part::Literal(", {not a field}".into()),
            ]
        );
        assert_eq!(parse_fields("{number}").unwrap(), [Part::Field("number")]);
    }

    #[test]
    fn bad_fields_are_refused_with_a_guess() {
        let e = parse_fields("{nmae}").unwrap_err();
        assert!(
            e.contains("unknown field {nmae}") && e.contains("did you mean {name}?"),
            "{e}"
        );
        assert!(parse_fields("{name").unwrap_err().contains("not closed"));
        assert!(parse_fields("name}").unwrap_err().contains("no { opens"));
    }

    #[test]
    fn the_default_template_is_the_shipped_file_and_reads_without_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_default(dir.path()).unwrap());
        assert!(
            !write_default(dir.path()).unwrap(),
            "an existing template is kept"
        );
        let root = Root {
            dir: dir.path().to_path_buf(),
        };
        let mut diags = Diagnostics::default();
        let t = load(&root, &mut diags).expect("reads");
        assert!(diags.items.is_empty(), "{diags:?}");
        assert!(t.texts.iter().any(|t| t.uses("name")));
        assert_eq!(t.fonts.len(), 2);
    }
}
