//! The first worksheet of an XLSX workbook, read as rows of text: streaming and bounded.
//!
//! A workbook is a ZIP of XML parts, and every size in it is the sender's word: a 4 KB file can
//! name a cell at XFD1048576, and a 4 MB one can inflate to a 4 GB string. Nothing here is sized
//! from what the file declares. Every part is inflated through a counter that stops at a limit
//! ([`Limits`]), one XML element may not run past [`MAX_ELEMENT_BYTES`], shared text is kept in one
//! buffer with Excel's own 32,767-character limit per string, cells are placed by column only up to
//! the header's width, and the sheet is read one row at a time (a million-row sheet never lives in
//! memory). What breaks one row (a shared-string index the file does not have, an error value, a
//! value right of the header) is that row's problem; what breaks the file is an error naming it.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

/// Excel's own sheet limits: no workbook Excel can open goes beyond them.
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLS: u32 = 16_384;
/// Excel's limit on the characters in one cell.
pub const MAX_STRING_CHARS: usize = 32_767;
/// One XML element (a tag, or the text between two tags) longer than this is not a cell.
pub const MAX_ELEMENT_BYTES: u64 = 1 << 20;
/// Parts other than the sheet and its shared text (workbook, relationships, styles).
const MAX_SMALL_PART: u64 = 16 << 20;
/// A workbook has tens of parts; a ZIP with thousands is not one (and each costs memory to list).
pub const MAX_PARTS: u64 = 10_000;

/// What one workbook may cost to read. The defaults fit a list of more than a million people with
/// tens of columns; a bigger list should come as CSV.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Inflated bytes of the worksheet's XML.
    pub sheet_bytes: u64,
    /// Inflated bytes of the shared-strings XML.
    pub strings_xml_bytes: u64,
    /// Bytes of shared text kept in memory.
    pub strings_text: usize,
    /// Number of shared strings.
    pub strings: usize,
    /// Cells read from the sheet (with or without a value).
    pub cells: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            sheet_bytes: 4 << 30,
            strings_xml_bytes: 1 << 30,
            strings_text: 384 << 20,
            strings: 24_000_000,
            cells: 100_000_000,
        }
    }
}

/// An inflated part with a limit on its total size and on the bytes read since the last mark (one
/// XML event). What tripped is kept, so that the parser's I/O error can be named.
struct Bounded<R> {
    inner: R,
    read: u64,
    since_mark: u64,
    limit: u64,
    part: String,
    tripped: Option<String>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.since_mark += n as u64;
        if self.read > self.limit {
            self.tripped = Some(format!("{} inflates to more than {} MB (a ZIP bomb, or a list too large for XLSX: save it as CSV)", self.part, self.limit >> 20));
        } else if self.since_mark > MAX_ELEMENT_BYTES + 65_536 {
            self.tripped = Some(format!(
                "{} has an XML element longer than {} MB; no cell is that long",
                self.part,
                MAX_ELEMENT_BYTES >> 20
            ));
        }
        if self.tripped.is_some() {
            return Err(io::Error::other("limit"));
        }
        Ok(n)
    }
}

/// The inflated bytes of one ZIP entry read straight from the file, with its CRC-32 checked at the
/// end. Owns the file, so the sheet can be read row by row without borrowing the archive.
struct Entry {
    body: Body,
    crc: crc32fast::Hasher,
    expected_crc: u32,
    done: bool,
}

enum Body {
    Stored(io::Take<BufReader<File>>),
    Deflated(flate2::bufread::DeflateDecoder<io::Take<BufReader<File>>>),
}

impl Entry {
    fn remaining(&self) -> u64 {
        match &self.body {
            Body::Stored(t) => t.limit(),
            Body::Deflated(d) => d.get_ref().limit(),
        }
    }
}

impl Read for Entry {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match &mut self.body {
            Body::Stored(t) => t.read(buf)?,
            Body::Deflated(d) => d.read(buf)?,
        };
        self.crc.update(&buf[..n]);
        if n == 0 && !buf.is_empty() && !self.done {
            self.done = true;
            if self.crc.clone().finalize() != self.expected_crc {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "checksum"));
            }
        }
        Ok(n)
    }
}

type Xml<R> = quick_xml::Reader<BufReader<Bounded<R>>>;

fn xml<R: Read>(inner: R, limit: u64, part: &str) -> Xml<R> {
    let bounded =
        Bounded { inner, read: 0, since_mark: 0, limit, part: part.to_owned(), tripped: None };
    let mut r = quick_xml::Reader::from_reader(BufReader::with_capacity(65_536, bounded));
    let c = r.config_mut();
    c.trim_text(false);
    c.check_end_names = false; // speed; structure is checked where it matters
    r
}

/// Reads the next event, marking the start of a new element for the per-element limit; an error
/// names the part and what went wrong.
fn next<'b, R: Read>(x: &mut Xml<R>, buf: &'b mut Vec<u8>) -> Result<Event<'b>, String> {
    buf.clear();
    x.get_mut().get_mut().since_mark = 0;
    match x.read_event_into(buf) {
        Ok(e) => Ok(e),
        Err(e) => {
            let inner = x.get_ref().get_ref();
            Err(match &inner.tripped {
                Some(t) => t.clone(),
                None if matches!(&e, quick_xml::Error::Io(io) if io.kind() == io::ErrorKind::InvalidData && io.to_string() == "checksum") =>
                {
                    format!("{} is damaged (its checksum does not match)", inner.part)
                }
                None => format!(
                    "{} is not well-formed XML at byte {}: {e}",
                    inner.part,
                    x.error_position()
                ),
            })
        }
    }
}

/// Appends a text or entity event's characters to `out`.
fn push_text(e: &Event<'_>, out: &mut String) -> Result<(), String> {
    match e {
        Event::Text(t) => out.push_str(&t.decode().map_err(|e| format!("text is not UTF-8: {e}"))?),
        Event::CData(t) => {
            out.push_str(&t.decode().map_err(|e| format!("text is not UTF-8: {e}"))?)
        }
        Event::GeneralRef(r) => {
            if let Some(c) =
                r.resolve_char_ref().map_err(|e| format!("bad character reference: {e}"))?
            {
                out.push(c);
            } else {
                let name: &[u8] = r;
                out.push(match name {
                    b"amp" => '&',
                    b"lt" => '<',
                    b"gt" => '>',
                    b"quot" => '"',
                    b"apos" => '\'',
                    other => {
                        return Err(format!(
                            "uses the XML entity &{};, which no workbook needs",
                            String::from_utf8_lossy(other)
                        ))
                    }
                });
            }
        }
        _ => {}
    }
    Ok(())
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<Vec<u8>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// The text of every shared string, in one buffer.
#[derive(Default)]
struct Strings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
}

impl Strings {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }
    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// The zip entry names a workbook's relationships point to, resolved against `xl/`.
fn resolve(base: &str, target: &str) -> String {
    let joined = if let Some(abs) = target.strip_prefix('/') {
        abs.to_owned()
    } else {
        format!("{base}{target}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The ZIP's central directory, checked before the ZIP library lists it (it allocates per entry).
fn check_directory(file: &mut File, len: u64) -> Result<(), String> {
    let tail = len.min(65_557);
    let mut buf = vec![0u8; usize::try_from(tail).unwrap_or(65_557)];
    file.seek(SeekFrom::Start(len - tail))
        .and_then(|_| file.read_exact(&mut buf))
        .map_err(|e| format!("cannot be read: {e}"))?;
    let at = buf
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .ok_or("is not a ZIP archive (no end record); an XLSX workbook is one")?;
    let end = &buf[at..];
    if end.len() < 22 {
        return Err("is a truncated ZIP archive".into());
    }
    let entries = u64::from(u16::from_le_bytes([end[10], end[11]]));
    let size = u64::from(u32::from_le_bytes([end[12], end[13], end[14], end[15]]));
    if entries > MAX_PARTS || size > MAX_PARTS * 512 {
        return Err(format!(
            "has a ZIP directory of {entries} parts ({} KB); a workbook has tens",
            size >> 10
        ));
    }
    Ok(())
}

/// Where the worksheet's bytes are in the file.
struct Located {
    name: String,
    data_start: u64,
    compressed: u64,
    deflated: bool,
    crc: u32,
}

/// A workbook opened for its first worksheet.
pub struct Sheet {
    xml: Xml<Entry>,
    buf: Vec<u8>,
    strings: Strings,
    /// By cell style (the `s` attribute): whether it formats a number as a date.
    date_styles: Vec<bool>,
    date1904: bool,
    limits: Limits,
    /// The last row number read (1-based).
    row: u32,
    cells: u64,
    data_start: u64,
    compressed: u64,
    /// Scratch text for one cell.
    value: String,
}

/// One row as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRead {
    /// The sheet's row number (1-based), as Excel shows it.
    pub row: u32,
    /// Why the row cannot be used as read (the first problem found).
    pub issue: Option<String>,
}

fn column_name(mut col: u32) -> String {
    let mut s = Vec::new();
    while col > 0 {
        let r = (col - 1) % 26;
        s.push(b'A' + u8::try_from(r).unwrap_or(0));
        col = (col - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Parses a cell reference's column (`AB12` → 28); `None` when it is not a reference.
fn reference_column(r: &[u8]) -> Option<u32> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 || !r[letters..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        r[..letters]
            .iter()
            .fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)),
    )
}

fn parse_u32(v: &[u8]) -> Option<u32> {
    std::str::from_utf8(v).ok()?.trim().parse().ok()
}

/// Whether a number format shows a date (Excel's built-in date formats, or a custom code with day,
/// month or year parts outside quotes and brackets).
fn is_date_format(id: u32, code: Option<&str>) -> bool {
    if let Some(code) = code {
        let mut quoted = false;
        let mut bracket = false;
        let mut escaped = false;
        for c in code.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '"' => quoted = !quoted,
                '[' if !quoted => bracket = true,
                ']' if !quoted => bracket = false,
                'd' | 'D' | 'y' | 'Y' | 'm' | 'M' if !quoted && !bracket => return true,
                _ => {}
            }
        }
        return false;
    }
    matches!(id, 14..=17 | 22 | 27..=36 | 50..=58)
}

/// An Excel date serial as an ISO date (the 1900 system counts a 29 February 1900 that never was).
fn serial_date(serial: f64, date1904: bool) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64;
    let (base, days) = if date1904 {
        (chrono::NaiveDate::from_ymd_opt(1904, 1, 1)?, days)
    } else if days < 60 {
        (chrono::NaiveDate::from_ymd_opt(1899, 12, 31)?, days)
    } else if days == 60 {
        return None; // 29 February 1900
    } else {
        (chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?, days)
    };
    Some(base.checked_add_signed(chrono::TimeDelta::try_days(days)?)?.to_string())
}

impl Sheet {
    /// Opens `path`'s first worksheet: its workbook, relationships, styles and shared strings are
    /// read here (bounded); the sheet itself row by row.
    ///
    /// # Errors
    /// What makes the file unreadable, in words (the caller names the file).
    pub fn open(path: &Path, limits: Limits) -> Result<Sheet, String> {
        let mut file = File::open(path).map_err(|e| format!("cannot be opened: {e}"))?;
        let len = file.metadata().map_err(|e| format!("cannot be read: {e}"))?.len();
        check_directory(&mut file, len)?;
        file.seek(SeekFrom::Start(0)).map_err(|e| format!("cannot be read: {e}"))?;
        let mut zip = zip::ZipArchive::new(BufReader::new(file))
            .map_err(|e| format!("is not a readable XLSX workbook: {e}"))?;

        // The workbook: its first sheet's relationship id, and the date system.
        let (rid, date1904) = {
            let mut x = xml(part(&mut zip, "xl/workbook.xml")?, MAX_SMALL_PART, "xl/workbook.xml");
            let mut buf = Vec::new();
            let (mut rid, mut date1904) = (None, false);
            loop {
                match next(&mut x, &mut buf)? {
                    Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                        b"workbookPr" => {
                            date1904 =
                                matches!(attr(&e, b"date1904").as_deref(), Some(b"1" | b"true"))
                        }
                        b"sheet" if rid.is_none() => rid = attr(&e, b"id"),
                        _ => {}
                    },
                    Event::Eof => break,
                    _ => {}
                }
            }
            (rid.ok_or("has no worksheet")?, date1904)
        };
        // Its relationships: where that sheet, the shared strings and the styles are.
        let (mut sheet, mut strings, mut styles) = (None, None, None);
        {
            let mut x = xml(
                part(&mut zip, "xl/_rels/workbook.xml.rels")?,
                MAX_SMALL_PART,
                "xl/_rels/workbook.xml.rels",
            );
            let mut buf = Vec::new();
            loop {
                match next(&mut x, &mut buf)? {
                    Event::Start(e) | Event::Empty(e)
                        if e.local_name().as_ref() == b"Relationship" =>
                    {
                        let target = attr(&e, b"Target")
                            .map(|t| resolve("xl/", &String::from_utf8_lossy(&t)));
                        let kind = attr(&e, b"Type").unwrap_or_default();
                        if attr(&e, b"Id").as_deref() == Some(&rid) {
                            sheet = target;
                        } else if kind.ends_with(b"/sharedStrings") {
                            strings = target;
                        } else if kind.ends_with(b"/styles") {
                            styles = target;
                        }
                    }
                    Event::Eof => break,
                    _ => {}
                }
            }
        }
        let sheet = sheet.ok_or("names a first worksheet that is not in the file")?;
        let date_styles = match styles {
            Some(s) if zip.index_for_name(&s).is_some() => read_styles(part(&mut zip, &s)?, &s)?,
            _ => Vec::new(),
        };
        let strings = match strings {
            Some(s) if zip.index_for_name(&s).is_some() => {
                let index = zip.index_for_name(&s).unwrap_or_default();
                let entry = zip.by_index(index).map_err(|e| format!("cannot read {s}: {e}"))?;
                read_strings(entry, &s, &limits)?
            }
            _ => Strings::default(),
        };
        let at = locate(&mut zip, &sheet)?;
        let mut file = zip.into_inner().into_inner();
        file.seek(SeekFrom::Start(at.data_start)).map_err(|e| format!("cannot be read: {e}"))?;
        let raw = BufReader::with_capacity(65_536, file).take(at.compressed);
        let body = if at.deflated {
            Body::Deflated(flate2::bufread::DeflateDecoder::new(raw))
        } else {
            Body::Stored(raw)
        };
        let entry =
            Entry { body, crc: crc32fast::Hasher::new(), expected_crc: at.crc, done: false };
        Ok(Sheet {
            xml: xml(entry, limits.sheet_bytes, &at.name),
            buf: Vec::with_capacity(4096),
            strings,
            date_styles,
            date1904,
            limits,
            row: 0,
            cells: 0,
            data_start: at.data_start,
            compressed: at.compressed,
            value: String::new(),
        })
    }

    /// How far into the file the sheet has been read (compressed bytes; for progress).
    #[must_use]
    pub fn position(&self) -> u64 {
        let left = self.xml.get_ref().get_ref().inner.remaining();
        self.data_start + self.compressed.saturating_sub(left)
    }

    /// Reads the next row that has a value into `cells` (cleared, then filled by column up to
    /// `width` cells; with `width` `None` — the header — up to `max_width`, trailing blanks
    /// dropped). `None` at the end of the sheet.
    ///
    /// # Errors
    /// What makes the rest of the file unreadable (a limit, broken XML), in words.
    pub fn next_row(
        &mut self,
        cells: &mut Vec<String>,
        width: Option<usize>,
        max_width: usize,
    ) -> Result<Option<RowRead>, String> {
        let mut in_row = false;
        let mut col: u32 = 0;
        let mut any = false;
        let mut issue: Option<String> = None;
        let wide = width.unwrap_or(max_width);
        for c in cells.iter_mut() {
            c.clear();
        }
        cells.resize(width.unwrap_or(0), String::new());
        loop {
            let (e, empty) = match next(&mut self.xml, &mut self.buf)? {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) if e.local_name().as_ref() == b"row" => {
                    in_row = false;
                    if any {
                        if width.is_none() {
                            while cells.last().is_some_and(|c| c.trim().is_empty()) {
                                cells.pop();
                            }
                        }
                        return Ok(Some(RowRead { row: self.row, issue }));
                    }
                    continue;
                }
                Event::Eof if in_row => return Err(format!("ends inside row {}", self.row)),
                Event::Eof => return Ok(None),
                _ => continue,
            };
            match e.local_name().as_ref() {
                b"row" => {
                    let n = match attr(&e, b"r") {
                        Some(v) => parse_u32(&v).ok_or_else(|| {
                            format!("has a row numbered {:?}", String::from_utf8_lossy(&v))
                        })?,
                        None => self.row.saturating_add(1),
                    };
                    if n > MAX_ROWS {
                        return Err(format!("has a row {n}, beyond Excel's {MAX_ROWS} rows"));
                    }
                    if n <= self.row {
                        return Err(format!(
                            "has row {n} after row {} (rows out of order: the file is damaged)",
                            self.row
                        ));
                    }
                    self.row = n;
                    col = 0;
                    in_row = !empty;
                }
                b"c" if in_row => {
                    self.cells += 1;
                    if self.cells > self.limits.cells {
                        return Err(format!(
                            "has more than {} cells; a list that large should come as CSV",
                            self.limits.cells
                        ));
                    }
                    col = match attr(&e, b"r") {
                        Some(r) => reference_column(&r).ok_or_else(|| {
                            format!(
                                "has a cell named {:?} in row {}",
                                String::from_utf8_lossy(&r),
                                self.row
                            )
                        })?,
                        None => col.saturating_add(1),
                    };
                    if col > MAX_COLS {
                        return Err(format!("has a cell in column {col} of row {}, beyond Excel's {MAX_COLS} columns", self.row));
                    }
                    let kind = attr(&e, b"t");
                    let style = attr(&e, b"s").and_then(|s| parse_u32(&s));
                    if empty {
                        continue; // a formatted cell with no value
                    }
                    let row = self.row;
                    let has_value =
                        self.cell_value(kind.as_deref(), style, row, col, &mut issue)?;
                    any |= has_value || issue.is_some();
                    if !has_value {
                        continue;
                    }
                    let i = (col - 1) as usize;
                    if i < wide {
                        if cells.len() <= i {
                            cells.resize(i + 1, String::new());
                        }
                        cells[i].push_str(&self.value);
                    } else if width.is_none() {
                        let c = column_name(col);
                        return Err(format!("has a value in column {c} (cell {c}{row}); a list of people has at most {max_width} columns"));
                    } else if issue.is_none() {
                        issue = Some(format!(
                            "has a value in cell {}{row}, right of the header's {wide} columns",
                            column_name(col)
                        ));
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads a cell's content up to its end tag into `self.value`, converted by its type and
    /// style; a problem with the value becomes the row's `issue` (the first one).
    /// Whether the cell has a value.
    fn cell_value(
        &mut self,
        kind: Option<&[u8]>,
        style: Option<u32>,
        row: u32,
        col: u32,
        issue: &mut Option<String>,
    ) -> Result<bool, String> {
        self.value.clear();
        // <v>…</v> or <is>…<t>…</t>…</is>; formulas (<f>) and phonetic runs (<rPh>) are skipped.
        let (mut in_v, mut in_t, mut skip, mut chars) = (false, false, 0u32, 0usize);
        loop {
            let event = next(&mut self.xml, &mut self.buf)?;
            match &event {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"v" => in_v = true,
                    b"t" => in_t = true,
                    b"f" | b"rPh" => skip += 1,
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    b"v" => in_v = false,
                    b"t" => in_t = false,
                    b"f" | b"rPh" => skip = skip.saturating_sub(1),
                    b"c" => break,
                    b"row" | b"sheetData" => {
                        return Err(format!("has an unclosed cell in row {row}"))
                    }
                    _ => {}
                },
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)
                    if (in_v || in_t) && skip == 0 =>
                {
                    let before = self.value.len();
                    push_text(&event, &mut self.value)
                        .map_err(|m| format!("cell {}{row}: {m}", column_name(col)))?;
                    chars += self.value[before..].chars().count();
                    if chars > MAX_STRING_CHARS {
                        return Err(format!("cell {}{row} holds more than {MAX_STRING_CHARS} characters, Excel's own limit", column_name(col)));
                    }
                }
                Event::Eof => return Err(format!("ends inside cell {}{row}", column_name(col))),
                _ => {}
            }
        }
        let name = || format!("{}{row}", column_name(col));
        match kind {
            Some(b"s") => {
                let i = self.value.trim().parse::<usize>().ok();
                match i.and_then(|i| self.strings.get(i)) {
                    Some(s) => {
                        let s = s.to_owned();
                        self.value = s;
                    }
                    None => {
                        if issue.is_none() {
                            *issue = Some(format!(
                                "cell {} refers to shared text #{} but the workbook has {} (the file is damaged)",
                                name(),
                                self.value.trim(),
                                self.strings.len()
                            ));
                        }
                        self.value.clear();
                    }
                }
            }
            Some(b"b") => {
                let b = self.value.trim() == "1" || self.value.trim().eq_ignore_ascii_case("true");
                self.value = if b { "true" } else { "false" }.into();
            }
            Some(b"e") => {
                if issue.is_none() {
                    *issue = Some(format!(
                        "cell {} holds a spreadsheet error ({})",
                        name(),
                        self.value.trim()
                    ));
                }
                self.value.clear();
            }
            Some(b"str" | b"inlineStr" | b"d") => {}
            _ => {
                let t = self.value.trim();
                if let Ok(f) = t.parse::<f64>() {
                    let date = style
                        .and_then(|s| self.date_styles.get(s as usize))
                        .copied()
                        .unwrap_or(false);
                    if let Some(d) = date.then(|| serial_date(f, self.date1904)).flatten() {
                        self.value = d;
                    } else if f.fract() == 0.0 && f.abs() < 1e15 {
                        // Whole numbers (ZIP codes, ids) without a decimal point.
                        #[allow(clippy::cast_possible_truncation)]
                        let whole = f as i64;
                        self.value = whole.to_string();
                    } else if f.is_finite() {
                        self.value = f.to_string();
                    }
                }
            }
        }
        Ok(!self.value.is_empty())
    }
}

/// A small part's inflated bytes (workbook, relationships, styles), at most [`MAX_SMALL_PART`].
fn part<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<io::Cursor<Vec<u8>>, String> {
    let limit = MAX_SMALL_PART;
    let index = zip
        .index_for_name(name)
        .ok_or_else(|| format!("has no {name} (not an XLSX workbook, or a damaged one)"))?;
    let entry = zip.by_index(index).map_err(|e| format!("cannot read {name}: {e}"))?;
    if entry.encrypted() {
        return Err("is password-protected; save an unprotected copy".into());
    }
    let mut out = Vec::new();
    entry.take(limit + 1).read_to_end(&mut out).map_err(|e| format!("cannot read {name}: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!("{name} inflates to more than {} MB (a ZIP bomb, or a list too large for XLSX: save it as CSV)", limit >> 20));
    }
    Ok(io::Cursor::new(out))
}

fn locate<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Result<Located, String> {
    let index =
        zip.index_for_name(name).ok_or_else(|| format!("has no {name}, its first worksheet"))?;
    let e = zip.by_index_raw(index).map_err(|e| format!("cannot read {name}: {e}"))?;
    if e.encrypted() {
        return Err("is password-protected; save an unprotected copy".into());
    }
    let deflated = match e.compression() {
        zip::CompressionMethod::Stored => false,
        zip::CompressionMethod::Deflated => true,
        other => return Err(format!("compresses its worksheet with {other}, which Excel does not use; save it again from Excel")),
    };
    Ok(Located {
        name: name.to_owned(),
        data_start: e.data_start(),
        compressed: e.compressed_size(),
        deflated,
        crc: e.crc32(),
    })
}

/// Which cell styles format a number as a date: `cellXfs`' number formats, built-in or custom.
fn read_styles<R: Read>(inner: R, name: &str) -> Result<Vec<bool>, String> {
    let mut x = xml(BufReader::new(inner), MAX_SMALL_PART, name);
    let mut buf = Vec::new();
    let mut custom: Vec<(u32, String)> = Vec::new();
    let mut xf_ids: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match next(&mut x, &mut buf)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"numFmt" => {
                    if let (Some(id), Some(code)) =
                        (attr(&e, b"numFmtId").and_then(|v| parse_u32(&v)), attr(&e, b"formatCode"))
                    {
                        let code = quick_xml::escape::unescape(&String::from_utf8_lossy(&code))
                            .map(std::borrow::Cow::into_owned)
                            .unwrap_or_default();
                        custom.push((id, code));
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs => {
                    xf_ids.push(attr(&e, b"numFmtId").and_then(|v| parse_u32(&v)).unwrap_or(0))
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(xf_ids
        .iter()
        .map(|id| {
            is_date_format(*id, custom.iter().find(|(c, _)| c == id).map(|(_, s)| s.as_str()))
        })
        .collect())
}

/// The shared strings, bounded in count, characters per string and bytes in all.
fn read_strings<R: Read>(inner: R, name: &str, limits: &Limits) -> Result<Strings, String> {
    let mut x = xml(inner, limits.strings_xml_bytes, name);
    let mut buf = Vec::new();
    let mut out = Strings::default();
    let (mut in_si, mut in_t, mut skip, mut chars) = (false, false, 0u32, 0usize);
    let end = |out: &mut Strings| -> Result<(), String> {
        if out.ends.len() >= limits.strings {
            return Err(format!(
                "{name} has more than {} shared strings; a list that large should come as CSV",
                limits.strings
            ));
        }
        out.ends
            .push(u32::try_from(out.text.len()).map_err(|_| format!("{name} has too much text"))?);
        Ok(())
    };
    loop {
        let event = next(&mut x, &mut buf)?;
        match &event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"si" => (in_si, chars) = (true, 0),
                b"t" => in_t = true,
                b"rPh" => skip += 1,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == b"si" => end(&mut out)?,
            Event::End(e) => match e.local_name().as_ref() {
                b"si" if in_si => {
                    end(&mut out)?;
                    in_si = false;
                }
                b"t" => in_t = false,
                b"rPh" => skip = skip.saturating_sub(1),
                _ => {}
            },
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)
                if in_si && in_t && skip == 0 =>
            {
                let before = out.text.len();
                push_text(&event, &mut out.text)
                    .map_err(|m| format!("{name}, text #{}: {m}", out.len() + 1))?;
                chars += out.text[before..].chars().count();
                if chars > MAX_STRING_CHARS {
                    return Err(format!("{name}: text #{} is longer than {MAX_STRING_CHARS} characters, Excel's own limit for a cell", out.len() + 1));
                }
                if out.text.len() > limits.strings_text {
                    return Err(format!("{name} holds more than {} MB of text; a list that large should come as CSV", limits.strings_text >> 20));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_dates_and_formats() {
        assert_eq!(reference_column(b"A1"), Some(1));
        assert_eq!(reference_column(b"XFD1048576"), Some(16_384));
        assert_eq!(reference_column(b"1A"), None);
        assert_eq!(reference_column(b"ABCD1"), None);
        assert_eq!(column_name(28), "AB");
        assert_eq!(column_name(16_384), "XFD");
        assert_eq!(serial_date(45_000.0, false).as_deref(), Some("2023-03-15"));
        assert_eq!(serial_date(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(serial_date(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(serial_date(0.0, false), None);
        assert_eq!(serial_date(1e300, false), None);
        assert!(is_date_format(14, None) && !is_date_format(0, None) && !is_date_format(49, None));
        assert!(is_date_format(164, Some("yyyy-mm-dd")));
        assert!(!is_date_format(164, Some("\"day\" 0.00")));
        assert!(!is_date_format(164, Some("[Red]0.00")));
        assert!(!is_date_format(164, Some("0.00E+00")));
        assert_eq!(resolve("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(resolve("xl/", "../xl/./a.xml"), "xl/a.xml");
    }
}
