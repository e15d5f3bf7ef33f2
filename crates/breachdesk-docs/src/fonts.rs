//! The three faces every notice is set in, compiled in from `templates/fonts/` (no system paths),
//! and their glyph widths for line breaking.

use std::sync::OnceLock;

/// A face of the notice's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Body text: DejaVu Serif.
    Body,
    /// Bold body text: DejaVu Serif Bold.
    Bold,
    /// Title and headings: DejaVu Sans Bold.
    Heading,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Body, Face::Bold, Face::Heading];

    #[must_use]
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Body => include_bytes!("../../../templates/fonts/DejaVuSerif.ttf"),
            Face::Bold => include_bytes!("../../../templates/fonts/DejaVuSerif-Bold.ttf"),
            Face::Heading => include_bytes!("../../../templates/fonts/DejaVuSans-Bold.ttf"),
        }
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Face::Body => "DejaVu Serif",
            Face::Bold => "DejaVu Serif Bold",
            Face::Heading => "DejaVu Sans Bold",
        }
    }

    fn parsed(self) -> &'static ttf_parser::Face<'static> {
        static FACES: OnceLock<[ttf_parser::Face<'static>; 3]> = OnceLock::new();
        let faces = FACES.get_or_init(|| {
            Face::ALL.map(|f| {
                #[allow(clippy::expect_used)]
                ttf_parser::Face::parse(f.bytes(), 0).expect("the committed fonts parse")
            })
        });
        &faces[self as usize]
    }

    /// Whether the face has a glyph for `c`.
    #[must_use]
    pub fn covers(self, c: char) -> bool {
        c.is_control() || self.parsed().glyph_index(c).is_some()
    }

    /// The advance width of `text` at `size` points (no kerning: the PDF places glyphs by their
    /// advance widths too).
    #[must_use]
    pub fn width(self, text: &str, size: f32) -> f32 {
        let face = self.parsed();
        let upem = f32::from(face.units_per_em());
        let units: u32 = text
            .chars()
            .map(|c| {
                let c = if c == '\u{a0}' { ' ' } else { c };
                face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).map_or(0, u32::from)
            })
            .sum();
        #[allow(clippy::cast_precision_loss)]
        let units = units as f32;
        units / upem * size
    }
}

/// What the PDF's font descriptor says of a face, in font units.
#[derive(Debug, Clone, Copy)]
pub struct Metrics {
    pub units_per_em: u16,
    pub ascent: i16,
    pub descent: i16,
    pub cap_height: i16,
    pub bbox: (i16, i16, i16, i16),
}

impl Face {
    /// The glyph that draws `c`.
    #[must_use]
    pub fn glyph(self, c: char) -> Option<u16> {
        self.parsed().glyph_index(c).map(|g| g.0)
    }

    /// The advance width of glyph `gid` in font units (`c`'s when the glyph has none).
    #[must_use]
    pub fn advance(self, gid: u16, c: char) -> f32 {
        let face = self.parsed();
        let g = face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .or_else(|| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)));
        f32::from(g.unwrap_or(0))
    }

    #[must_use]
    pub fn metrics(self) -> Metrics {
        let f = self.parsed();
        let b = f.global_bounding_box();
        Metrics {
            units_per_em: f.units_per_em(),
            ascent: f.ascender(),
            descent: f.descender(),
            cap_height: f.capital_height().unwrap_or(f.ascender()),
            bbox: (b.x_min, b.y_min, b.x_max, b.y_max),
        }
    }
}

/// The first character of `text` that `face` cannot draw.
#[must_use]
pub fn uncovered(face: Face, text: &str) -> Option<char> {
    text.chars().find(|&c| !face.covers(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_many_languages_are_covered_and_measured() {
        for name in ["Zoë Łukasiewicz", "Đặng Thị Mỹ", "José Núñez", "Ελένη", "Дмитрий"]
        {
            for f in Face::ALL {
                assert_eq!(uncovered(f, name), None, "{name} in {f:?}");
            }
        }
        assert_eq!(uncovered(Face::Body, "漢字"), Some('漢'));
        let w = Face::Body.width("Notice", 10.0);
        assert!(w > 25.0 && w < 45.0, "{w}");
        assert!((Face::Body.width("Notice", 20.0) - 2.0 * w).abs() < 0.01);
    }
}
