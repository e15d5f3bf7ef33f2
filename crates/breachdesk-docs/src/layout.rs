//! Page layout: the letterhead, the address block in the envelope window, wrapped paragraphs with
//! real line breaking (no word or date split across lines), lists, headings kept with their text,
//! and a running footer with page numbers on multi-page notices. Letter and A4.

use crate::fonts::{uncovered, Face};
use crate::markup::{Block, Span};
use regex::Regex;
use std::sync::OnceLock;

/// Paper size; the address block sits where that paper's window envelope shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// US Letter, tri-folded into a #10 window envelope.
    Letter,
    /// A4, DIN 5008 form B, in a DL window envelope.
    A4,
}

impl Paper {
    #[must_use]
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::Letter => (612.0, 792.0),
            Paper::A4 => (595.28, 841.89),
        }
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Paper::Letter => "letter",
            Paper::A4 => "a4",
        }
    }

    /// Left and right margins, in points.
    fn margins(self) -> (f32, f32) {
        match self {
            Paper::Letter => (72.0, 72.0),
            Paper::A4 => (mm(25.0), mm(20.0)),
        }
    }

    /// Where the first line of the address block goes: (left, distance from the top).
    /// Letter: 2⅛ in. from the top, 1 in. from the left (inside a #10 window: ⅞ in. from the left,
    /// about 2 to 3¼ in. from the top of a tri-folded sheet). A4: the DIN 5008 form B address field
    /// (45 mm from the top, 25 mm from the left, 85 × 45 mm), first line at 50 mm.
    fn window(self) -> (f32, f32) {
        match self {
            Paper::Letter => (72.0, 153.0),
            Paper::A4 => (mm(25.0), mm(50.0)),
        }
    }
}

fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// What is drawn at the top of the first page.
#[derive(Debug, Clone, Default)]
pub struct Letterhead {
    pub name: String,
    /// Address and contact lines under the name.
    pub lines: Vec<String>,
    /// The logo's pixel size, when there is one (drawn top right, at most 36 pt high).
    pub logo_px: Option<(u32, u32)>,
}

/// The role of a run of text: the checker reads titles and headings by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Letterhead,
    Address,
    Title,
    Heading,
    Body,
    Item,
    Kept,
    Footer,
}

/// One run of text in one face and size, at a baseline position (points from the bottom left).
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub x: f32,
    pub y: f32,
    pub text: String,
    pub face: Face,
    pub size: f32,
    pub role: Role,
    /// Which block (in reading order) the run belongs to, and which line of the page.
    pub block: usize,
    pub line: usize,
}

/// One laid-out page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub runs: Vec<Run>,
    /// Horizontal rules: (x1, x2, y).
    pub rules: Vec<(f32, f32, f32)>,
    /// Where the logo goes: (x, y, width, height), y at its bottom.
    pub logo: Option<(f32, f32, f32, f32)>,
}

/// A laid-out notice.
#[derive(Debug, Clone)]
pub struct Laid {
    pub paper: Paper,
    pub pages: Vec<Page>,
}

/// A layout error: a character the fonts lack, named with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the character {ch:?} (U+{code:04X}) in the {place} is not in the notice's fonts ({face}); write it another way or ask for a font that has it")]
pub struct GlyphError {
    pub ch: char,
    pub code: u32,
    pub place: String,
    pub face: &'static str,
}

const BODY: f32 = 10.5;
const LEADING: f32 = 14.0;
const TITLE: f32 = 14.0;
const HEADING: f32 = 11.5;
const SMALL: f32 = 10.0; // letterhead and footer: California wants nothing under 10 pt
const TOP: f32 = 40.0;
const BOTTOM: f32 = 66.0;
const FOOTER_BASELINE: f32 = 36.0;

/// A word: segments of one weight, drawn without spaces between them.
type Word = Vec<(String, bool)>;

fn words(spans: &[Span]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut cur: Word = Vec::new();
    for s in spans {
        for c in glue(&s.text).chars() {
            if c == ' ' {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                continue;
            }
            match cur.last_mut() {
                Some((t, b)) if *b == s.bold => t.push(c),
                _ => cur.push((c.to_string(), s.bold)),
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Spaces that must not break a line: inside dates ("March 3, 2026"), after "§", before "a.m.".
fn glue(text: &str) -> String {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let re = DATE.get_or_init(|| {
        #[allow(clippy::expect_used)]
        Regex::new(r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? \d{1,2}, \d{4}|§ \S|\d{1,2}:\d{2} (?:[AaPp]\.?[Mm]\.?)|\d+ (?:days|hours|months|years|pt|mm|%)|Art\. \d+|\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}")
            .expect("a valid pattern")
    });
    re.replace_all(text, |c: &regex::Captures<'_>| c[0].replace(' ', "\u{a0}")).into_owned()
}

fn face_of(bold: bool, base: Face) -> Face {
    if bold && base == Face::Body {
        Face::Bold
    } else {
        base
    }
}

fn word_width(w: &Word, base: Face, size: f32) -> f32 {
    w.iter().map(|(t, b)| face_of(*b, base).width(t, size)).sum()
}

/// Breaks words into lines no wider than `width` (a word longer than a line is cut).
fn break_lines(mut ws: Vec<Word>, base: Face, size: f32, width: f32) -> Vec<Vec<Word>> {
    let space = base.width(" ", size);
    let mut lines: Vec<Vec<Word>> = Vec::new();
    let mut cur: Vec<Word> = Vec::new();
    let mut used = 0.0;
    ws.reverse();
    while let Some(w) = ws.pop() {
        let ww = word_width(&w, base, size);
        let need = if cur.is_empty() { ww } else { used + space + ww };
        if need <= width {
            used = need;
            cur.push(w);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            used = 0.0;
            ws.push(w);
            continue;
        }
        // One word wider than the line (a long web address): cut it where it fits.
        let (head, tail) = cut(&w, base, size, width);
        lines.push(vec![head]);
        if !tail.is_empty() {
            ws.push(tail);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

fn cut(w: &Word, base: Face, size: f32, width: f32) -> (Word, Word) {
    let mut head: Word = Vec::new();
    let mut tail: Word = Vec::new();
    let mut used = 0.0;
    for (t, b) in w {
        for c in t.chars() {
            let cw = face_of(*b, base).width(&c.to_string(), size);
            let target = if tail.is_empty() && (used + cw <= width || head.is_empty()) {
                used += cw;
                &mut head
            } else {
                &mut tail
            };
            match target.last_mut() {
                Some((s, bb)) if bb == b => s.push(c),
                _ => target.push((c.to_string(), *b)),
            }
        }
    }
    (head, tail)
}

/// A line ready to place: its runs relative to the line's left edge.
struct Line {
    runs: Vec<(f32, String, Face)>,
}

fn set_line(ws: &[Word], base: Face, size: f32) -> Line {
    let mut runs: Vec<(f32, String, Face)> = Vec::new();
    let mut x = 0.0;
    for (i, w) in ws.iter().enumerate() {
        for (j, (t, b)) in w.iter().enumerate() {
            let face = face_of(*b, base);
            let text = if i > 0 && j == 0 { format!(" {t}") } else { t.clone() };
            let text = text.replace('\u{a0}', " ");
            let width = face.width(&text, size);
            match runs.last_mut() {
                Some((_, s, f)) if *f == face => s.push_str(&text),
                _ => runs.push((x, text, face)),
            }
            x += width;
        }
    }
    Line { runs }
}

struct Cursor {
    paper: Paper,
    pages: Vec<Page>,
    /// Distance of the next line box's top from the top of the page.
    top: f32,
    line_no: usize,
}

impl Cursor {
    fn height(&self) -> f32 {
        self.paper.size().1
    }

    fn limit(&self) -> f32 {
        self.height() - BOTTOM
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.top = TOP + 14.0;
    }

    fn ensure(&mut self, need: f32) {
        if self.top + need > self.limit() {
            self.new_page();
        }
    }

    fn place(&mut self, x: f32, line: Line, size: f32, leading: f32, role: Role, block: usize) {
        let baseline = self.height() - (self.top + leading * 0.78);
        self.line_no += 1;
        let line_no = self.line_no;
        if let Some(page) = self.pages.last_mut() {
            for (dx, text, face) in line.runs {
                page.runs.push(Run {
                    x: x + dx,
                    y: baseline,
                    text,
                    face,
                    size,
                    role,
                    block,
                    line: line_no,
                });
            }
        }
        self.top += leading;
    }
}

fn check_glyphs(blocks: &[Block], head: &Letterhead) -> Result<(), GlyphError> {
    let err = |ch: char, place: &str, face: Face| GlyphError {
        ch,
        code: u32::from(ch),
        place: place.to_owned(),
        face: face.name(),
    };
    for line in std::iter::once(&head.name).chain(&head.lines) {
        if let Some(c) = uncovered(Face::Body, line).or_else(|| uncovered(Face::Heading, line)) {
            return Err(err(c, "letterhead", Face::Body));
        }
    }
    for (i, b) in blocks.iter().enumerate() {
        let (spans, base, place): (Vec<Span>, Face, String) = match b {
            Block::Title(s) => (s.clone(), Face::Heading, "title".into()),
            Block::Heading(s) => (s.clone(), Face::Heading, format!("heading (block {})", i + 1)),
            Block::Para(s) | Block::Item(s) | Block::Kept(s) => {
                (s.clone(), Face::Body, format!("text (block {})", i + 1))
            }
            Block::Address(a) => {
                (vec![Span { text: a.clone(), bold: false }], Face::Body, "address block".into())
            }
            Block::PageBreak | Block::NewLetter => continue,
        };
        for s in &spans {
            let face = face_of(s.bold, base);
            if let Some(c) = uncovered(face, &s.text) {
                return Err(err(c, &place, face));
            }
        }
    }
    Ok(())
}

/// The letterhead at the top of the current page: the name, its lines, the logo top right, a rule.
fn letterhead(c: &mut Cursor, head: &Letterhead, left: f32, width: f32) {
    let (w, h) = c.paper.size();
    let right = w - left - width;
    // The logo, top right, at most 36 pt high and 140 pt wide; lines beside it leave it room.
    #[allow(clippy::cast_precision_loss)]
    let logo = head.logo_px.map(|(pw, ph)| {
        let (pw, ph) = (pw.max(1) as f32, ph.max(1) as f32);
        let scale = (36.0 / ph).min(140.0 / pw);
        (pw * scale, ph * scale)
    });
    let beside = |top: f32| match logo {
        Some((lw, lh)) if top < TOP + lh + 2.0 => width - lw - 12.0,
        _ => width,
    };
    for l in break_lines(
        words(&[Span { text: head.name.clone(), bold: false }]),
        Face::Heading,
        13.0,
        beside(c.top),
    ) {
        c.place(left, set_line(&l, Face::Heading, 13.0), 13.0, 17.0, Role::Letterhead, usize::MAX);
    }
    for text in &head.lines {
        for l in break_lines(
            words(&[Span { text: text.clone(), bold: false }]),
            Face::Body,
            SMALL,
            beside(c.top),
        ) {
            c.place(
                left,
                set_line(&l, Face::Body, SMALL),
                SMALL,
                12.5,
                Role::Letterhead,
                usize::MAX,
            );
        }
    }
    if let (Some((lw, lh)), Some(page)) = (logo, c.pages.last_mut()) {
        page.logo = Some((w - right - lw, h - TOP - lh, lw, lh));
    }
    c.top = c.top.max(TOP + 48.0) + 6.0;
    let rule_y = h - c.top;
    if let Some(page) = c.pages.last_mut() {
        page.rules.push((left, w - right, rule_y));
    }
    c.top += 18.0;
}

/// Lays out a notice.
///
/// # Errors
/// A [`GlyphError`] for a character the fonts lack.
pub fn layout(
    blocks: &[Block],
    paper: Paper,
    head: &Letterhead,
    footer: &str,
) -> Result<Laid, GlyphError> {
    check_glyphs(blocks, head)?;
    let (w, _) = paper.size();
    let (left, right) = paper.margins();
    let width = w - left - right;
    let mut c = Cursor { paper, pages: vec![Page::default()], top: TOP, line_no: 0 };

    // Letterhead: the name, its lines, the logo top right, a rule under it.
    letterhead(&mut c, head, left, width);

    // The body.
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        match b {
            Block::Address(a) => {
                // A letter's address block sits in the envelope window of its first page.
                if i == 0 || !matches!(blocks[i - 1], Block::Address(_)) {
                    c.top = c.top.max(paper.window().1);
                }
                let ws = words(&[Span { text: a.clone(), bold: false }]);
                // An address line is never wrapped into the window's next line: it is shrunk to fit.
                let mut size = BODY;
                while size > SMALL && word_width(&ws.concat(), Face::Body, size) > mm(85.0) {
                    size -= 0.25;
                }
                for l in break_lines(ws, Face::Body, size, mm(85.0)) {
                    c.place(
                        paper.window().0,
                        set_line(&l, Face::Body, size),
                        size,
                        13.0,
                        Role::Address,
                        i,
                    );
                }
                if !matches!(blocks.get(i + 1), Some(Block::Address(_))) {
                    c.top += 26.0;
                }
            }
            Block::PageBreak => c.new_page(),
            Block::NewLetter => {
                c.new_page();
                c.top = TOP;
                letterhead(&mut c, head, left, width);
            }
            Block::Title(s) => {
                c.top += 4.0;
                let lines = break_lines(words(s), Face::Heading, TITLE, width);
                c.ensure(lines.len() as f32 * 19.0 + 3.0 * LEADING);
                for l in lines {
                    c.place(left, set_line(&l, Face::Heading, TITLE), TITLE, 19.0, Role::Title, i);
                }
                c.top += 6.0;
            }
            Block::Heading(s) => {
                c.top += 8.0;
                let lines = break_lines(words(s), Face::Heading, HEADING, width);
                // Kept with the first two lines of what follows.
                c.ensure(lines.len() as f32 * 16.0 + 2.0 * LEADING + 4.0);
                for l in lines {
                    c.place(
                        left,
                        set_line(&l, Face::Heading, HEADING),
                        HEADING,
                        16.0,
                        Role::Heading,
                        i,
                    );
                }
                c.top += 2.0;
            }
            Block::Para(s) => {
                let lines = break_lines(words(s), Face::Body, BODY, width);
                let n = lines.len();
                for (k, l) in lines.into_iter().enumerate() {
                    // No single line of a paragraph alone at the foot or the head of a page.
                    let keep_two = (k == 0 && n >= 2) || (n >= 3 && k == n - 2);
                    c.ensure(if keep_two { 2.0 * LEADING } else { LEADING });
                    c.place(left, set_line(&l, Face::Body, BODY), BODY, LEADING, Role::Body, i);
                }
                c.top += 6.0;
            }
            Block::Item(s) => {
                let lines = break_lines(words(s), Face::Body, BODY, width - 16.0);
                // A short item is never split across pages.
                if lines.len() <= 3 {
                    c.ensure(lines.len() as f32 * LEADING);
                }
                for (k, l) in lines.into_iter().enumerate() {
                    c.ensure(LEADING);
                    if k == 0 {
                        let bullet = Line { runs: vec![(0.0, "•".into(), Face::Body)] };
                        let top = c.top;
                        c.place(left + 4.0, bullet, BODY, LEADING, Role::Item, i);
                        c.top = top;
                        c.line_no -= 1;
                    }
                    c.place(
                        left + 16.0,
                        set_line(&l, Face::Body, BODY),
                        BODY,
                        LEADING,
                        Role::Item,
                        i,
                    );
                }
                c.top += 2.0;
            }
            Block::Kept(s) => {
                c.ensure(LEADING);
                if s.is_empty() {
                    c.top += LEADING;
                } else {
                    for l in break_lines(words(s), Face::Body, BODY, width) {
                        c.place(left, set_line(&l, Face::Body, BODY), BODY, LEADING, Role::Kept, i);
                    }
                }
                if !matches!(blocks.get(i + 1), Some(Block::Kept(_))) {
                    c.top += 6.0;
                }
            }
        }
        i += 1;
    }

    // The running footer: the sender and the notice on every page; page numbers when more than one.
    let n = c.pages.len();
    for (k, page) in c.pages.iter_mut().enumerate() {
        page.runs.push(Run {
            x: left,
            y: FOOTER_BASELINE,
            text: footer.to_owned(),
            face: Face::Body,
            size: SMALL,
            role: Role::Footer,
            block: usize::MAX,
            line: usize::MAX,
        });
        if n > 1 {
            let text = format!("Page {} of {n}", k + 1);
            let tw = Face::Body.width(&text, SMALL);
            page.runs.push(Run {
                x: w - right - tw,
                y: FOOTER_BASELINE,
                text,
                face: Face::Body,
                size: SMALL,
                role: Role::Footer,
                block: usize::MAX,
                line: usize::MAX,
            });
        }
    }
    Ok(Laid { paper, pages: c.pages })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::parse;

    fn head() -> Letterhead {
        Letterhead {
            name: "Acme Health, Inc.".into(),
            lines: vec!["1 Main St".into()],
            logo_px: None,
        }
    }

    #[test]
    fn dates_are_never_split_and_lines_fit() {
        let text = format!("# T\n\n{}\n", "On March 3, 2026 we learned of it. ".repeat(40));
        let laid = layout(&parse(&text).expect("markup"), Paper::Letter, &head(), "Acme")
            .expect("lays out");
        let body: Vec<&Run> = laid.pages[0].runs.iter().filter(|r| r.role == Role::Body).collect();
        assert!(body.len() > 5);
        for r in &body {
            let w = r.face.width(&r.text, r.size);
            assert!(r.x + w <= 612.0 - 72.0 + 0.01, "{} overflows", r.text);
            let t = r.text.trim();
            assert!(!t.ends_with("March") && !t.ends_with("March 3,"), "split date: {t}");
        }
    }

    #[test]
    fn long_notices_get_page_numbers_and_headings_stay_with_text() {
        let mut text =
            String::from("@ Zoë Łukasiewicz\n@ 1 Main St\n\n# Notice of Data Breach\n\n");
        for k in 0..12 {
            text.push_str(&format!(
                "## Heading {k}\n\n{}\n\n",
                "Words in a paragraph. ".repeat(30)
            ));
        }
        let laid = layout(&parse(&text).expect("markup"), Paper::A4, &head(), "Acme · NTC-1")
            .expect("lays out");
        let n = laid.pages.len();
        assert!(n >= 2);
        for (k, p) in laid.pages.iter().enumerate() {
            assert!(p
                .runs
                .iter()
                .any(|r| r.role == Role::Footer && r.text == format!("Page {} of {n}", k + 1)));
            // A heading is never the last thing on a page.
            let last = p.runs.iter().rfind(|r| r.role != Role::Footer).expect("runs");
            assert_ne!(last.role, Role::Heading);
            assert!(p.runs.iter().all(|r| r.size >= 10.0));
        }
        let addr = laid.pages[0].runs.iter().find(|r| r.role == Role::Address).expect("address");
        // DIN 5008 form B: the address field starts 45 mm from the top, 25 mm from the left.
        assert!((addr.x - mm(25.0)).abs() < 0.1);
        assert!(841.89 - addr.y > mm(45.0) && 841.89 - addr.y < mm(90.0));
    }

    #[test]
    fn a_missing_glyph_is_named() {
        let e = layout(&parse("@ 漢字\n\n# T\n").expect("markup"), Paper::Letter, &head(), "A")
            .expect_err("no CJK in DejaVu");
        assert_eq!(e.ch, '漢');
        assert_eq!(e.place, "address block");
    }
}
