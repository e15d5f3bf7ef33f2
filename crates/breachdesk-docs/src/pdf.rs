//! The laid-out notice written as a PDF with printpdf: the committed fonts embedded (subset),
//! one text object per run, the logo, the letterhead's rule.

use crate::fonts::Face;
use crate::layout::Laid;
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, RawImage, Rgb, TextItem, TextMatrix, XObjectTransform,
};
use std::collections::BTreeMap;

/// What the PDF's document information says.
#[derive(Debug, Clone)]
pub struct Info {
    pub title: String,
    pub author: String,
    pub subject: String,
    /// The notice's date as a Unix time (the PDF's creation date; never the clock).
    pub created_unix: i64,
}

/// A PDF error (a logo that does not decode, a font the PDF library refuses).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PdfError(pub String);

/// Writes the notice as PDF bytes.
///
/// # Errors
/// [`PdfError`] when the logo does not decode or a font does not load.
pub fn write(laid: &Laid, info: &Info, logo_png: Option<&[u8]>) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&info.title);
    doc.metadata.info.author.clone_from(&info.author);
    doc.metadata.info.subject.clone_from(&info.subject);
    doc.metadata.info.creator = "Breachdesk".into();
    doc.metadata.info.producer = "Breachdesk (printpdf)".into();
    let when = printpdf::OffsetDateTime::from_unix_timestamp(info.created_unix)
        .map_err(|e| PdfError(format!("the notice date: {e}")))?;
    doc.metadata.info.creation_date = when;
    doc.metadata.info.modification_date = when;
    doc.metadata.info.metadata_date = when;

    let mut fonts: BTreeMap<Face, FontId> = BTreeMap::new();
    for f in Face::ALL {
        let parsed = ParsedFont::from_bytes(f.bytes(), 0, &mut Vec::new())
            .ok_or_else(|| PdfError(format!("the font {} does not load", f.name())))?;
        fonts.insert(f, doc.add_font(&parsed));
    }
    let logo = match logo_png {
        Some(bytes) => {
            let img = RawImage::decode_from_bytes(bytes, &mut Vec::new())
                .map_err(|e| PdfError(format!("the logo does not decode as an image: {e}")))?;
            let px = img.width;
            Some((doc.add_image(&img), px))
        }
        None => None,
    };

    let (w, h) = laid.paper.size();
    let black = Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None });
    let grey = Color::Rgb(Rgb { r: 0.55, g: 0.55, b: 0.55, icc_profile: None });
    let mut pages = Vec::with_capacity(laid.pages.len());
    for page in &laid.pages {
        let mut ops = Vec::with_capacity(page.runs.len() * 5 + 8);
        for &(x1, x2, y) in &page.rules {
            ops.push(Op::SetOutlineColor { col: grey.clone() });
            ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint { p: Point { x: Pt(x1), y: Pt(y) }, bezier: false },
                        LinePoint { p: Point { x: Pt(x2), y: Pt(y) }, bezier: false },
                    ],
                    is_closed: false,
                },
            });
        }
        if let (Some((x, y, lw, _)), Some((id, px))) = (page.logo, &logo) {
            #[allow(clippy::cast_precision_loss)]
            let dpi = (*px as f32) * 72.0 / lw;
            ops.push(Op::UseXobject {
                id: id.clone(),
                transform: XObjectTransform {
                    translate_x: Some(Pt(x)),
                    translate_y: Some(Pt(y)),
                    dpi: Some(dpi),
                    ..XObjectTransform::default()
                },
            });
        }
        ops.push(Op::SetFillColor { col: black.clone() });
        for r in &page.runs {
            let Some(font) = fonts.get(&r.face) else { continue };
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(r.size) });
            ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(r.x), Pt(r.y)) });
            ops.push(Op::ShowText { items: vec![TextItem::Text(r.text.clone())] });
            ops.push(Op::EndTextSection);
        }
        pages.push(PdfPage::new(Mm(w * 25.4 / 72.0), Mm(h * 25.4 / 72.0), ops));
    }
    doc.with_pages(pages);
    let opts = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
    Ok(doc.save(&opts, &mut Vec::new()))
}
