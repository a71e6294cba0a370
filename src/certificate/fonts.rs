//! The fonts a template can name: DejaVu Serif and Serif Bold are built in
//! (they draw Latin with every accent, Vietnamese, Greek and Cyrillic; their
//! licence is `assets/fonts/LICENSE-DejaVu.txt`), and any .ttf/.otf file in
//! the data root can be added. Only the glyphs a PDF uses are embedded
//! (krilla subsets every font it writes).

use std::sync::Arc;

static SERIF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif.ttf");
static SERIF_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif-Bold.ttf");

/// The names of the built-in fonts, as a template writes them.
pub const BUILT_IN: &[&str] = &["serif", "serif-bold"];

/// One font, ready to measure and draw text with.
#[derive(Clone)]
pub struct Font {
    /// As the template names it: "serif" or a path in the data root.
    pub name: String,
    data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    pub pdf: krilla::text::Font,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Font({})", self.name)
    }
}

impl Font {
    /// A built-in font by name.
    pub fn built_in(name: &str) -> Option<Font> {
        let bytes: &'static [u8] = match name {
            "serif" => SERIF,
            "serif-bold" => SERIF_BOLD,
            _ => return None,
        };
        Font::from_data(name, Arc::new(bytes))
    }

    /// A font file's bytes; `None` when they are not a font krilla can use.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Option<Font> {
        Font::from_data(name, Arc::new(bytes))
    }

    fn from_data(name: &str, data: Arc<dyn AsRef<[u8]> + Send + Sync>) -> Option<Font> {
        rustybuzz::Face::from_slice((*data).as_ref(), 0)?;
        let pdf = krilla::text::Font::new(krilla::Data::from(data.clone()), 0)?;
        Some(Font {
            name: name.to_string(),
            data,
            pdf,
        })
    }

    fn face(&self) -> rustybuzz::Face<'_> {
        rustybuzz::Face::from_slice((*self.data).as_ref(), 0).expect("checked when loaded")
    }

    /// The first character of `text` this font has no glyph for.
    pub fn missing(&self, text: &str) -> Option<char> {
        let face = self.face();
        text.chars()
            .filter(|c| !c.is_control() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}'))
            .find(|&c| face.glyph_index(c).is_none())
    }

    /// The width of `text` set in one line at `size` points, shaped the way
    /// krilla shapes it when drawing.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let face = self.face();
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / face.units_per_em() as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_fonts_draw_every_script_the_contract_names() {
        for name in BUILT_IN {
            let font = Font::built_in(name).unwrap();
            for text in [
                "Zoë Martin-Leclerc",
                "Nguyễn Thị Mai",
                "Kateřina Dvořák",
                "Ελένη Παπαδοπούλου",
                "Анна Кузнецова",
                "Siobhán O'Brien",
                "Łukasz Żółć",
            ] {
                assert_eq!(font.missing(text), None, "{name}: {text}");
            }
            assert_eq!(font.missing("王小明"), Some('王'), "{name}");
        }
    }

    #[test]
    fn wider_text_measures_wider() {
        let font = Font::built_in("serif").unwrap();
        let one = font.width("Mai", 10.0);
        assert!(one > 10.0 && one < 30.0, "{one}");
        assert!((font.width("Mai", 20.0) - 2.0 * one).abs() < 0.01);
        assert!(font.width("Nguyễn Thị Mai", 10.0) > one);
    }
}
