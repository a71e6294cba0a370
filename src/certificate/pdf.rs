//! Drawing certificates with krilla: text in the template's fonts
//! (embedded, subset to the glyphs used), frames, and the QR code as
//! vector squares (sharp at any printer resolution).

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::TextDirection;

use super::Fields;
use super::template::{Align, Template};
use crate::model::Paper;

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Width and height of a landscape page, in points.
pub fn page_size(paper: Paper) -> (f32, f32) {
    match paper {
        Paper::A4 => (297.0 * PT_PER_MM, 210.0 * PT_PER_MM),
        Paper::Letter => (11.0 * 72.0, 8.5 * 72.0),
    }
}

/// A character of a certificate that the template's fonts cannot draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undrawable {
    /// The `[[text]]` line of the template that prints it.
    pub template_line: Option<usize>,
    pub font: String,
    pub text: String,
    pub missing: char,
}

/// The first character of `fields` that some line of `template` would
/// print with a font that has no glyph for it.
pub fn undrawable(template: &Template, fields: &Fields) -> Option<Undrawable> {
    template.texts.iter().find_map(|t| {
        let text = t.fill(fields);
        let font = &template.fonts[t.font];
        font.missing(&text).map(|missing| Undrawable {
            template_line: t.line,
            font: font.name.clone(),
            text,
            missing,
        })
    })
}

/// One PDF with a page per certificate, in the order given.
pub fn document(
    template: &Template,
    paper: Paper,
    certificates: &[&Fields],
) -> anyhow::Result<Vec<u8>> {
    let (w, h) = page_size(paper);
    let mut doc = Document::new();
    let title = match certificates {
        [one] => format!("Certificate {}", one.number),
        _ => format!("{} certificates", certificates.len()),
    };
    doc.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title)
            .creator("cohort".to_string()),
    );
    for fields in certificates {
        let mut page = doc.start_page_with(PageSettings::from_wh(w, h).expect("positive size"));
        let mut surface = page.surface();
        for frame in &template.frames {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(
                frame.x / 100.0 * w,
                frame.y / 100.0 * h,
                frame.w / 100.0 * w,
                frame.h / 100.0 * h,
            ) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: color(frame.color).into(),
                    width: frame.line,
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        surface.set_stroke(None);
        for t in &template.texts {
            let text = t.fill(fields);
            if text.trim().is_empty() {
                continue;
            }
            let font = &template.fonts[t.font];
            let room = t.width / 100.0 * w;
            let mut size = t.size;
            let natural = font.width(&text, size);
            if natural > room {
                size *= room / natural;
            }
            let width = font.width(&text, size);
            let anchor = t.x / 100.0 * w;
            let x = match t.align {
                Align::Left => anchor,
                Align::Center => anchor - width / 2.0,
                Align::Right => anchor - width,
            };
            surface.set_fill(Some(Fill {
                paint: color(t.color).into(),
                ..Fill::default()
            }));
            surface.draw_text(
                Point::from_xy(x, t.y / 100.0 * h),
                font.pdf.clone(),
                size,
                &text,
                false,
                TextDirection::Auto,
            );
        }
        qr(&mut surface, template, fields, w, h)?;
        surface.finish();
        page.finish();
    }
    doc.finish()
        .map_err(|e| anyhow::anyhow!("the PDF could not be made: {e:?}"))
}

fn color((r, g, b): (u8, u8, u8)) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

/// The QR code of the verification address, dark modules as one path.
fn qr(
    surface: &mut krilla::surface::Surface,
    template: &Template,
    fields: &Fields,
    w: f32,
    h: f32,
) -> anyhow::Result<()> {
    let code = qrcode::QrCode::with_error_correction_level(
        fields.verify_url.as_bytes(),
        qrcode::EcLevel::M,
    )
    .map_err(|e| anyhow::anyhow!("the QR code of {} cannot be made: {e}", fields.verify_url))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = template.qr.size_mm * PT_PER_MM;
    // The code is drawn inside a quiet zone of 4 modules, as readers expect.
    let unit = side / (modules + 8) as f32;
    let left = template.qr.x / 100.0 * w + 4.0 * unit;
    let top = template.qr.y / 100.0 * h + 4.0 * unit;
    let mut path = PathBuilder::new();
    // A rectangle per run of dark modules in a row.
    for (row, cells) in colors.chunks(modules).enumerate() {
        let mut start = 0;
        for run in cells.chunk_by(|a, b| a == b) {
            if run[0] == qrcode::Color::Dark
                && let Some(rect) = Rect::from_xywh(
                    left + start as f32 * unit,
                    top + row as f32 * unit,
                    run.len() as f32 * unit,
                    unit,
                )
            {
                path.push_rect(rect);
            }
            start += run.len();
        }
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(Fill::default()));
        surface.draw_path(&path);
    }
    Ok(())
}
