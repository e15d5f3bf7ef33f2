//! Many letters into one PDF, written as they come: the print-ready file of a mail merge.
//!
//! [`crate::pdf`] builds one notice in memory with printpdf, which is right for one document
//! and wrong for 100,000 letters: printpdf keeps every page's operations and its fonts' subset
//! work in memory until it saves. This writer streams each page's content to the file as soon as
//! the page is laid out and keeps only the page's object number; the fonts (embedded whole, with
//! the widths and the text mapping of the glyphs used) and the page tree are written at the end.
//! Text is drawn with the same runs at the same places as the single notice, in the same fonts.

use crate::fonts::Face;
use crate::layout::{Page, Paper};
use crate::pdf::{Info, PdfError};
use flate2::write::ZlibEncoder;
use flate2::Compression;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::OnceLock;

/// A decoded logo, drawn from one image object.
#[derive(Debug, Clone)]
pub struct Logo {
    pub width: usize,
    pub height: usize,
    /// 8-bit RGB, row by row.
    pub rgb: Vec<u8>,
    /// 8-bit alpha, when the image has one.
    pub alpha: Option<Vec<u8>>,
}

impl Logo {
    /// Decodes a PNG (or any format the PDF library reads).
    ///
    /// # Errors
    /// [`PdfError`] naming why it does not decode.
    pub fn decode(bytes: &[u8]) -> Result<Logo, PdfError> {
        use printpdf::{RawImage, RawImageData, RawImageFormat as F};
        let img = RawImage::decode_from_bytes(bytes, &mut Vec::new())
            .map_err(|e| PdfError(format!("the logo does not decode as an image: {e}")))?;
        let px: Vec<u8> = match img.pixels {
            RawImageData::U8(px) => px,
            RawImageData::U16(px) => px.iter().map(|v| (v >> 8) as u8).collect(),
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            RawImageData::F32(px) => {
                px.iter().map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8).collect()
            }
        };
        let n = img.width * img.height;
        let (mut rgb, mut alpha) = (Vec::with_capacity(n * 3), None);
        match img.data_format {
            F::R8 | F::R16 => px.iter().for_each(|&g| rgb.extend([g, g, g])),
            F::RG8 | F::RG16 => {
                let mut a = Vec::with_capacity(n);
                for c in px.chunks_exact(2) {
                    rgb.extend([c[0], c[0], c[0]]);
                    a.push(c[1]);
                }
                alpha = Some(a);
            }
            F::RGB8 | F::RGB16 | F::RGBF32 => rgb = px,
            F::BGR8 => px.chunks_exact(3).for_each(|c| rgb.extend([c[2], c[1], c[0]])),
            F::RGBA8 | F::RGBA16 | F::RGBAF32 => {
                let mut a = Vec::with_capacity(n);
                for c in px.chunks_exact(4) {
                    rgb.extend_from_slice(&c[..3]);
                    a.push(c[3]);
                }
                alpha = Some(a);
            }
            other => {
                return Err(PdfError(format!(
                "the logo's pixel format {other:?} is not supported: save it as an 8-bit RGB PNG"
            )))
            }
        }
        Ok(Logo { width: img.width, height: img.height, rgb, alpha })
    }
}

fn deflate(bytes: &[u8], level: Compression) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 3 + 64), level);
    // Writing to a Vec cannot fail.
    let _ = z.write_all(bytes);
    z.finish().unwrap_or_default()
}

/// The committed font files, compressed once per process.
fn font_file(face: Face) -> &'static [u8] {
    static FILES: OnceLock<[Vec<u8>; 3]> = OnceLock::new();
    &FILES.get_or_init(|| Face::ALL.map(|f| deflate(f.bytes(), Compression::default())))
        [face as usize]
}

/// A PDF being written to `W`, page by page.
pub struct PdfStream<W: Write> {
    out: W,
    pos: u64,
    /// Byte offset of each object, by number (index 0 unused).
    offsets: Vec<u64>,
    pages: Vec<u32>,
    /// Object numbers reserved at the start: pages tree, resources, and per face the font.
    pages_obj: u32,
    resources_obj: u32,
    font_objs: [u32; 3],
    /// Glyphs used, per face: glyph id → the character it draws.
    used: [BTreeMap<u16, char>; 3],
    glyphs: [BTreeMap<char, u16>; 3],
    logo_obj: Option<u32>,
    paper: Paper,
    content: String,
    info: Info,
}

impl<W: Write> PdfStream<W> {
    /// Starts a PDF on `out` for `paper`, with the logo (drawn where each page says).
    ///
    /// # Errors
    /// Writing to `out`.
    pub fn new(out: W, paper: Paper, info: &Info, logo: Option<&Logo>) -> io::Result<Self> {
        let mut s = PdfStream {
            out,
            pos: 0,
            offsets: vec![0],
            pages: Vec::new(),
            pages_obj: 0,
            resources_obj: 0,
            font_objs: [0; 3],
            used: Default::default(),
            glyphs: Default::default(),
            logo_obj: None,
            paper,
            content: String::with_capacity(8192),
            info: info.clone(),
        };
        s.raw(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")?;
        s.pages_obj = s.reserve();
        s.resources_obj = s.reserve();
        s.font_objs = [s.reserve(), s.reserve(), s.reserve()];
        if let Some(l) = logo {
            let smask = match &l.alpha {
                Some(a) => {
                    let n = s.reserve();
                    let data = deflate(a, Compression::fast());
                    let dict = format!("<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length {} >>", l.width, l.height, data.len());
                    s.stream(n, &dict, &data)?;
                    format!(" /SMask {n} 0 R")
                }
                None => String::new(),
            };
            let n = s.reserve();
            let data = deflate(&l.rgb, Compression::fast());
            let dict = format!("<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceRGB /BitsPerComponent 8{smask} /Filter /FlateDecode /Length {} >>", l.width, l.height, data.len());
            s.stream(n, &dict, &data)?;
            s.logo_obj = Some(n);
        }
        let logo_res =
            s.logo_obj.map(|n| format!(" /XObject << /Im1 {n} 0 R >>")).unwrap_or_default();
        let [f0, f1, f2] = s.font_objs;
        let res = s.resources_obj;
        s.object(res, &format!("<< /Font << /F0 {f0} 0 R /F1 {f1} 0 R /F2 {f2} 0 R >>{logo_res} /ProcSet [/PDF /Text /ImageC] >>"))?;
        Ok(s)
    }

    fn raw(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)?;
        self.pos += b.len() as u64;
        Ok(())
    }

    fn reserve(&mut self) -> u32 {
        self.offsets.push(0);
        u32::try_from(self.offsets.len() - 1).unwrap_or(u32::MAX)
    }

    fn object(&mut self, n: u32, body: &str) -> io::Result<()> {
        self.offsets[n as usize] = self.pos;
        self.raw(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes())
    }

    fn stream(&mut self, n: u32, dict: &str, data: &[u8]) -> io::Result<()> {
        self.offsets[n as usize] = self.pos;
        self.raw(format!("{n} 0 obj\n{dict}\nstream\n").as_bytes())?;
        self.raw(data)?;
        self.raw(b"\nendstream\nendobj\n")
    }

    /// How many pages are written so far.
    #[must_use]
    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    /// Bytes written so far.
    #[must_use]
    pub fn bytes(&self) -> u64 {
        self.pos
    }

    /// Draws one laid-out page and writes it out.
    ///
    /// # Errors
    /// Writing to the output.
    pub fn page(&mut self, page: &Page) -> io::Result<()> {
        let mut c = std::mem::take(&mut self.content);
        c.clear();
        for &(x1, x2, y) in &page.rules {
            let _ = writeln!(c, "0.55 0.55 0.55 RG 0.6 w {x1} {y} m {x2} {y} l S");
        }
        if let (Some((x, y, w, h)), Some(_)) = (page.logo, self.logo_obj) {
            let _ = writeln!(c, "q {w} 0 0 {h} {x} {y} cm /Im1 Do Q");
        }
        c.push_str("0 0 0 rg\nBT\n");
        let mut font = None;
        for r in &page.runs {
            let f = r.face as usize;
            if font != Some((f, r.size.to_bits())) {
                let _ = writeln!(c, "/F{f} {} Tf", r.size);
                font = Some((f, r.size.to_bits()));
            }
            let _ = write!(c, "1 0 0 1 {} {} Tm <", r.x, r.y);
            for ch in r.text.chars() {
                let ch = if ch == '\u{a0}' { ' ' } else { ch };
                let gid = match self.glyphs[f].get(&ch) {
                    Some(g) => *g,
                    None => {
                        let g = r.face.glyph(ch).unwrap_or(0);
                        self.glyphs[f].insert(ch, g);
                        g
                    }
                };
                self.used[f].entry(gid).or_insert(ch);
                let _ = write!(c, "{gid:04X}");
            }
            c.push_str("> Tj\n");
        }
        c.push_str("ET\n");
        let data = deflate(c.as_bytes(), Compression::fast());
        self.content = c;
        let content = self.reserve();
        self.stream(content, &format!("<< /Length {} /Filter /FlateDecode >>", data.len()), &data)?;
        let page_obj = self.reserve();
        let (w, h) = self.paper.size();
        let (parent, res) = (self.pages_obj, self.resources_obj);
        self.object(page_obj, &format!("<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 {w} {h}] /Resources {res} 0 R /Contents {content} 0 R >>"))?;
        self.pages.push(page_obj);
        Ok(())
    }

    fn font(&mut self, face: Face) -> io::Result<()> {
        let f = face as usize;
        let m = face.metrics();
        let scale = 1000.0 / f32::from(m.units_per_em);
        let k = |v: i16| (f32::from(v) * scale).round();
        let file = self.reserve();
        let data = font_file(face);
        let dict = format!(
            "<< /Length {} /Length1 {} /Filter /FlateDecode >>",
            data.len(),
            face.bytes().len()
        );
        self.stream(file, &dict, data)?;
        let name = face.name().replace(' ', "");
        let desc = self.reserve();
        let (x0, y0, x1, y1) = m.bbox;
        self.object(desc, &format!("<< /Type /FontDescriptor /FontName /{name} /Flags {} /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 {file} 0 R >>",
            if face == Face::Heading { 32 } else { 34 }, k(x0), k(y0), k(x1), k(y1), k(m.ascent), k(m.descent), k(m.cap_height)))?;
        let mut widths = String::from("[");
        for (&gid, &ch) in &self.used[f] {
            let w = (face.advance(gid, ch) * scale).round();
            let _ = write!(widths, "{gid} [{w}] ");
        }
        widths.push(']');
        let cid = self.reserve();
        self.object(cid, &format!("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {desc} 0 R /DW 1000 /W {widths} /CIDToGIDMap /Identity >>"))?;
        let mut cmap = String::from("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        let used: Vec<(u16, char)> = self.used[f].iter().map(|(g, c)| (*g, *c)).collect();
        for chunk in used.chunks(100) {
            let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
            for (g, ch) in chunk {
                let mut buf = [0u16; 2];
                let hex: String =
                    ch.encode_utf16(&mut buf).iter().map(|u| format!("{u:04X}")).collect();
                let _ = writeln!(cmap, "<{g:04X}> <{hex}>");
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        let to_unicode = self.reserve();
        let data = deflate(cmap.as_bytes(), Compression::fast());
        self.stream(
            to_unicode,
            &format!("<< /Length {} /Filter /FlateDecode >>", data.len()),
            &data,
        )?;
        let n = self.font_objs[f];
        self.object(n, &format!("<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"))
    }

    /// Writes the fonts, the page tree, the document information and the cross-reference table,
    /// and gives back the output and the number of pages.
    ///
    /// # Errors
    /// Writing to the output.
    pub fn finish(mut self) -> io::Result<(W, usize)> {
        for face in Face::ALL {
            self.font(face)?;
        }
        let mut kids = String::with_capacity(self.pages.len() * 10);
        for p in &self.pages {
            let _ = write!(kids, "{p} 0 R ");
        }
        let (n, count) = (self.pages_obj, self.pages.len());
        self.object(n, &format!("<< /Type /Pages /Kids [{kids}] /Count {count} >>"))?;
        let date = pdf_date(self.info.created_unix);
        let info = self.reserve();
        self.object(info, &format!("<< /Title {} /Author {} /Subject {} /Creator (Breachdesk) /Producer (Breachdesk mail merge) /CreationDate ({date}) /ModDate ({date}) >>",
            text_string(&self.info.title), text_string(&self.info.author), text_string(&self.info.subject)))?;
        let catalog = self.reserve();
        self.object(catalog, &format!("<< /Type /Catalog /Pages {n} 0 R >>"))?;
        let xref = self.pos;
        let mut x = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len());
        for o in &self.offsets[1..] {
            let _ = writeln!(x, "{o:010} 00000 n ");
        }
        let id = file_id(&self.info, count);
        let _ = write!(x, "trailer\n<< /Size {} /Root {catalog} 0 R /Info {info} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n", self.offsets.len());
        self.raw(x.as_bytes())?;
        self.out.flush()?;
        Ok((self.out, count))
    }
}

/// A file identifier from what the file is (not random: the same merge gives the same file).
fn file_id(info: &Info, pages: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in info.title.bytes().chain(info.subject.bytes()).chain(pages.to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016X}{:016X}", h.rotate_left(17) ^ 0x9e37_79b9_7f4a_7c15)
}

/// A PDF text string: UTF-16BE with its byte-order mark, in hex.
fn text_string(s: &str) -> String {
    let mut out = String::from("<FEFF");
    for u in s.encode_utf16() {
        let _ = write!(out, "{u:04X}");
    }
    out.push('>');
    out
}

fn pdf_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("D:{y:04}{m:02}{d:02}{:02}{:02}{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Sets `err` as a [`PdfError`].
#[must_use]
pub fn io_error(err: &io::Error) -> PdfError {
    PdfError(format!("writing the PDF: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Letterhead, Role, Run};

    #[test]
    fn a_streamed_file_is_a_pdf_with_every_page_and_text() {
        let info = Info {
            title: "T".into(),
            author: "A".into(),
            subject: "S".into(),
            created_unix: 1_764_763_200,
        };
        let mut s = PdfStream::new(Vec::new(), Paper::Letter, &info, None).expect("start");
        for k in 0..3 {
            let page = Page {
                runs: vec![Run {
                    x: 72.0,
                    y: 700.0,
                    text: format!("Zoë {k}"),
                    face: Face::Body,
                    size: 11.0,
                    role: Role::Body,
                    block: 0,
                    line: 0,
                }],
                rules: vec![(72.0, 540.0, 690.0)],
                logo: None,
            };
            s.page(&page).expect("page");
        }
        let (bytes, pages) = s.finish().expect("finish");
        assert_eq!(pages, 3);
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-1.7") && text.trim_end().ends_with("%%EOF"));
        assert!(text.contains("/Count 3"), "the page tree counts every page");
        assert!(text.contains("/ToUnicode"));
        assert_eq!(pdf_date(1_764_763_200), "D:20251203120000Z");
        let _ = Letterhead::default();
    }
}
