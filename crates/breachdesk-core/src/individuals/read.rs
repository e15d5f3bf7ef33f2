//! Reading a spreadsheet of individuals as rows of text, streaming: CSV in any common delimiter and
//! encoding (UTF-8 with or without BOM, UTF-16 LE/BE with BOM, Windows-1252), or XLSX.
//!
//! What cannot be read at all (an empty or binary file, a header-only file, one too large) is an
//! error naming the file; what is wrong with one row is a [`RowIssue`] naming the row.

use super::xlsx;
use crate::{Error, Result};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Larger files are refused before anything is read (a 1M-row export is about 150 MB).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// How the file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    /// csv | xlsx
    pub kind: &'static str,
    /// utf-8 | utf-8-bom | utf-16le | utf-16be | windows-1252 | xlsx
    pub encoding: &'static str,
    pub delimiter: Option<char>,
    pub bytes: u64,
}

/// A row that cannot be used as read (the others go on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    pub row: u64,
    pub reason: String,
}

enum Inner {
    Csv(csv::Reader<Box<dyn Read + Send>>),
    Xlsx(Box<xlsx::Sheet>),
}

/// The rows of a file after its header.
pub struct Rows {
    inner: Inner,
    pub header: Vec<String>,
    pub format: Format,
    /// 1-based line/row number of the last row returned (the header is row 1).
    pub row: u64,
    record: csv::StringRecord,
    /// The current XLSX row.
    cells: Vec<String>,
    path: std::path::PathBuf,
    /// What stopped the reading early (see [`Rows::finish`]).
    fatal: Option<Error>,
}

/// One row's cells, borrowed from the reader (nothing is copied per row).
#[derive(Clone, Copy)]
pub enum Fields<'a> {
    Csv(&'a csv::StringRecord),
    Cells(&'a [String]),
}

impl<'a> Fields<'a> {
    #[must_use]
    pub fn get(self, i: usize) -> Option<&'a str> {
        match self {
            Fields::Csv(r) => r.get(i),
            Fields::Cells(c) => c.get(i).map(String::as_str),
        }
    }

    #[must_use]
    pub fn len(self) -> usize {
        match self {
            Fields::Csv(r) => r.len(),
            Fields::Cells(c) => c.len(),
        }
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    /// Every cell is blank.
    fn blank(self) -> bool {
        match self {
            // The cells side by side: blank cells make a blank whole, and only they do.
            Fields::Csv(r) => r.as_slice().trim().is_empty(),
            Fields::Cells(_) => self.iter().all(|f| f.trim().is_empty()),
        }
    }

    /// Some cell holds a control or direction-override character.
    fn hostile(self) -> bool {
        match self {
            Fields::Csv(r) => crate::text::has_hostile(r.as_slice()),
            Fields::Cells(_) => self.iter().any(crate::text::has_hostile),
        }
    }

    /// Some cell holds `c`.
    fn contains(self, c: char) -> bool {
        match self {
            Fields::Csv(r) => r.as_slice().contains(c),
            Fields::Cells(_) => self.iter().any(|f| f.contains(c)),
        }
    }
}

fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::validation(&path.display().to_string(), message.into())
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_owned(), source }
}

/// The delimiter that splits the header line into the most fields (outside quotes).
fn sniff_delimiter(head: &str) -> char {
    let line = head.lines().next().unwrap_or("");
    let count = |d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted && *c == d
            })
            .count()
    };
    [',', ';', '\t', '|'].into_iter().max_by_key(|d| (count(*d), *d == ',')).unwrap_or(',')
}

impl Rows {
    /// Opens `path` and reads its header.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the file when it is empty, binary, too large, header-only or
    /// unreadable as CSV/XLSX; [`Error::Io`].
    pub fn open(path: &Path) -> Result<Rows> {
        // A FIFO would block the open until someone writes to it; a device never ends.
        let meta = std::fs::metadata(path).map_err(io(path))?;
        if !meta.is_file() {
            return Err(bad(path, "is not a regular file (a folder, pipe or device): choose the exported CSV or XLSX file"));
        }
        let mut file = File::open(path).map_err(io(path))?;
        let bytes = file.metadata().map_err(io(path))?.len();
        if bytes == 0 {
            return Err(bad(path, "the file is empty"));
        }
        if bytes > MAX_FILE_BYTES {
            return Err(bad(
                path,
                format!(
                    "the file is {} MB; files over {} MB are refused (split it)",
                    bytes >> 20,
                    MAX_FILE_BYTES >> 20
                ),
            ));
        }
        let mut head = vec![0u8; 65_536.min(usize::try_from(bytes).unwrap_or(65_536))];
        file.read_exact(&mut head).map_err(io(path))?;
        file.seek(SeekFrom::Start(0)).map_err(io(path))?;
        if head.starts_with(b"PK\x03\x04") {
            return Self::xlsx(path, bytes);
        }
        let (encoding, reader): (&'static str, Box<dyn Read + Send>) =
            if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
                (
                    "utf-8-bom",
                    Box::new(
                        encoding_rs_io::DecodeReaderBytesBuilder::new()
                            .bom_sniffing(true)
                            .build(BufReader::new(file)),
                    ),
                )
            } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
                let name = if head[0] == 0xFF { "utf-16le" } else { "utf-16be" };
                (
                    name,
                    Box::new(
                        encoding_rs_io::DecodeReaderBytesBuilder::new()
                            .bom_sniffing(true)
                            .build(BufReader::new(file)),
                    ),
                )
            } else if head.contains(&0) || looks_binary(&head) {
                return Err(bad(
                    path,
                    "this is not a text spreadsheet (binary content; export it as CSV or XLSX)",
                ));
            } else if valid_utf8_prefix(&head) {
                ("utf-8", Box::new(BufReader::with_capacity(1 << 20, file)))
            } else {
                (
                    "windows-1252",
                    Box::new(
                        encoding_rs_io::DecodeReaderBytesBuilder::new()
                            .encoding(Some(encoding_rs::WINDOWS_1252))
                            .build(BufReader::with_capacity(1 << 20, file)),
                    ),
                )
            };
        let head_text = match encoding {
            "utf-8" | "utf-8-bom" => String::from_utf8_lossy(&head).into_owned(),
            "windows-1252" => encoding_rs::WINDOWS_1252.decode(&head).0.into_owned(),
            _ => encoding_rs::Encoding::for_bom(&head)
                .map(|(e, n)| e.decode_without_bom_handling(&head[n..]).0.into_owned())
                .unwrap_or_default(),
        };
        let delimiter = sniff_delimiter(head_text.trim_start_matches('\u{feff}'));
        let d = u8::try_from(u32::from(delimiter)).unwrap_or(b',');
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(reader);
        let mut record = csv::StringRecord::new();
        let got = csv
            .read_record(&mut record)
            .map_err(|e| bad(path, format!("row 1 (the header): {}", csv_reason(&e))))?;
        if !got {
            return Err(bad(path, "the file is empty"));
        }
        let header: Vec<String> =
            record.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_owned()).collect();
        check_header(path, &header)?;
        let format = Format { kind: "csv", encoding, delimiter: Some(delimiter), bytes };
        Ok(Rows {
            inner: Inner::Csv(csv),
            header,
            format,
            row: 1,
            record,
            cells: Vec::new(),
            path: path.to_owned(),
            fatal: None,
        })
    }

    fn xlsx(path: &Path, bytes: u64) -> Result<Rows> {
        // The reader is bounded and returns errors; a panic in it (or in the ZIP library under it)
        // would still be a bug, so it is caught here as a last guard and named as the file's.
        let opened = std::panic::catch_unwind(
            || -> std::result::Result<(xlsx::Sheet, Vec<String>), String> {
                let mut sheet = xlsx::Sheet::open(path, xlsx::Limits::default())?;
                let mut header = Vec::new();
                match sheet.next_row(&mut header, None, MAX_COLUMNS)? {
                    None => Err("the first worksheet is empty".into()),
                    Some(xlsx::RowRead { issue: Some(issue), row }) => {
                        Err(format!("row {row} (the header): {issue}"))
                    }
                    Some(_) => Ok((sheet, header)),
                }
            },
        )
        .unwrap_or_else(|_| {
            Err("could not be read (the workbook's structure is not one this reader understands)"
                .into())
        });
        let (sheet, header) = opened.map_err(|m| bad(path, m))?;
        let header: Vec<String> = header.into_iter().map(|h| h.trim().to_owned()).collect();
        check_header(path, &header)?;
        let format = Format { kind: "xlsx", encoding: "xlsx", delimiter: None, bytes };
        Ok(Rows {
            inner: Inner::Xlsx(Box::new(sheet)),
            header,
            format,
            row: 1,
            record: csv::StringRecord::new(),
            cells: Vec::new(),
            path: path.to_owned(),
            fatal: None,
        })
    }

    /// Why reading stopped before the end of the file, if it did (an XLSX limit, broken XML):
    /// the import that read these rows must not go on as if the file ended there.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the file.
    pub fn finish(&mut self) -> Result<()> {
        self.fatal.take().map_or(Ok(()), Err)
    }

    /// Bytes read so far (for progress), where the format tells.
    #[must_use]
    pub fn position(&self) -> Option<u64> {
        match &self.inner {
            Inner::Csv(c) => Some(c.position().byte()),
            Inner::Xlsx(s) => Some(s.position()),
        }
    }

    /// The next row's fields, or why that row cannot be read. Blank lines are skipped.
    pub fn next_row(&mut self) -> Option<std::result::Result<Vec<String>, RowIssue>> {
        self.next_fields().map(|r| r.map(|(_, f)| f.iter().map(str::to_owned).collect()))
    }

    /// The next row's number and cells (borrowed: no copy per row), or why that row cannot be
    /// read. Blank lines are skipped.
    pub fn next_fields(&mut self) -> Option<std::result::Result<(u64, Fields<'_>), RowIssue>> {
        loop {
            self.row += 1;
            match &mut self.inner {
                Inner::Xlsx(sheet) => {
                    let width = self.header.len();
                    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sheet.next_row(&mut self.cells, Some(width), width)))
                        .unwrap_or_else(|_| Err("could not be read past this point (the workbook's structure is not one this reader understands)".into()));
                    match read {
                        Ok(None) => return None,
                        Err(m) => {
                            self.fatal =
                                Some(bad(&self.path, format!("after row {}: {m}", self.row - 1)));
                            return None;
                        }
                        Ok(Some(r)) => {
                            self.row = u64::from(r.row);
                            if let Some(reason) = r.issue {
                                return Some(Err(RowIssue { row: self.row, reason }));
                            }
                        }
                    }
                }
                Inner::Csv(c) => match c.read_record(&mut self.record) {
                    Ok(false) => return None,
                    Ok(true) => {
                        if let Some(p) = self.record.position() {
                            // The line the row starts on (quoted fields may span lines).
                            self.row = p.line();
                        }
                    }
                    Err(e) => {
                        let row = e.position().map_or(self.row, |p| p.line());
                        return Some(Err(RowIssue { row, reason: csv_reason(&e) }));
                    }
                },
            }
            let fields = self.fields();
            if fields.blank() {
                continue;
            }
            if fields.contains('\u{0}') {
                return Some(Err(RowIssue {
                    row: self.row,
                    reason: "contains a NUL byte or a spreadsheet error value".into(),
                }));
            }
            if fields.hostile() {
                return Some(Err(RowIssue {
                    row: self.row,
                    reason:
                        "contains control or text-direction characters (escape sequences, U+202E…)"
                            .into(),
                }));
            }
            if fields.len() != self.header.len() {
                let unclosed = fields.contains('\n');
                let reason = if unclosed {
                    format!(
                        "has {} fields where the header has {}: probably an unclosed quote",
                        fields.len(),
                        self.header.len()
                    )
                } else {
                    format!(
                        "has {} fields where the header has {}",
                        fields.len(),
                        self.header.len()
                    )
                };
                return Some(Err(RowIssue { row: self.row, reason }));
            }
            break;
        }
        Some(Ok((self.row, self.fields())))
    }

    fn fields(&self) -> Fields<'_> {
        match self.inner {
            Inner::Xlsx(_) => Fields::Cells(&self.cells),
            Inner::Csv(_) => Fields::Csv(&self.record),
        }
    }
}

/// The most columns a list may have: a list of affected people has tens of columns; a file with
/// thousands is not one, and reading it would only cost time and memory.
pub const MAX_COLUMNS: usize = 1000;

fn check_header(path: &Path, header: &[String]) -> Result<()> {
    if header.len() > MAX_COLUMNS {
        return Err(bad(
            path,
            format!(
                "row 1 has {} columns; a list of people has at most {MAX_COLUMNS}",
                header.len()
            ),
        ));
    }
    if header.iter().all(String::is_empty) {
        return Err(bad(path, "row 1 should be a header naming the columns, and it is blank"));
    }
    // One pass with a set (the old search of every earlier header was quadratic).
    let mut seen = std::collections::HashSet::with_capacity(header.len());
    if let Some(dup) =
        header.iter().enumerate().find(|(_, h)| !h.is_empty() && !seen.insert(h.as_str()))
    {
        return Err(bad(path, format!("column {} repeats the header {:?}", dup.0 + 1, dup.1)));
    }
    Ok(())
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("is not valid text in the file's encoding (field {})", err.field() + 1)
        }
        csv::ErrorKind::Io(io) => format!("cannot be read: {io}"),
        _ => "cannot be read as CSV".into(),
    }
}

/// Whether `b` is UTF-8, allowing a character cut at the end of the sample.
fn valid_utf8_prefix(b: &[u8]) -> bool {
    match std::str::from_utf8(b) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && b.len() - e.valid_up_to() < 4,
    }
}

/// Control characters other than tab, CR, LF and form feed in the first block: not a text file.
fn looks_binary(b: &[u8]) -> bool {
    let controls =
        b.iter().filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c)).count();
    controls * 100 > b.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = std::result::Result<Vec<String>, RowIssue>;

    fn rows_of(bytes: &[u8]) -> Result<(Rows, Vec<Read>)> {
        let dir = tempfile::tempdir().map_err(|source| Error::Io { path: "tmp".into(), source })?;
        let p = dir.path().join("people.csv");
        std::fs::write(&p, bytes).map_err(|source| Error::Io { path: p.clone(), source })?;
        let mut r = Rows::open(&p)?;
        let mut out = Vec::new();
        while let Some(x) = r.next_row() {
            out.push(x);
        }
        Ok((r, out))
    }

    #[test]
    fn encodings_and_delimiters() {
        let (r, rows) = rows_of("name;city\nJosé;Köln\n".as_bytes()).expect("utf-8");
        assert_eq!((r.format.encoding, r.format.delimiter), ("utf-8", Some(';')));
        assert_eq!(rows[0].as_ref().expect("row"), &["José", "Köln"]);
        let (r, rows) = rows_of(b"name\tcity\nJos\xe9\tK\xf6ln\n").expect("1252");
        assert_eq!((r.format.encoding, r.format.delimiter), ("windows-1252", Some('\t')));
        assert_eq!(rows[0].as_ref().expect("row"), &["José", "Köln"]);
        let mut le = vec![0xFF, 0xFE];
        le.extend("name,city\r\nJosé,Köln\r\n".encode_utf16().flat_map(u16::to_le_bytes));
        let (r, rows) = rows_of(&le).expect("utf-16le");
        assert_eq!(r.format.encoding, "utf-16le");
        assert_eq!(rows[0].as_ref().expect("row"), &["José", "Köln"]);
        let (r, rows) =
            rows_of("\u{feff}name|city\n\"Smith, Ana\"|Austin\n".as_bytes()).expect("bom");
        assert_eq!((r.format.encoding, r.header[0].as_str()), ("utf-8-bom", "name"));
        assert_eq!(rows[0].as_ref().expect("row")[0], "Smith, Ana");
    }

    #[test]
    fn bad_files_and_rows_are_named() {
        for (bytes, says) in [
            (&b""[..], "empty"),
            (&b"\x00\x01\x02\x03binary\x00"[..], "binary"),
            (&b",,\n1,2,3\n"[..], "header"),
            (&b"a,b,a\n1,2,3\n"[..], "repeats"),
        ] {
            let e = rows_of(bytes).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(e.contains("people.csv") && e.contains(says), "{e}");
        }
        let (_, rows) = rows_of(b"a,b,c\n1,2,3\n1,2\n\n4,5,6\n7,\"8,9\n").expect("opens");
        assert!(rows[0].is_ok());
        assert_eq!(
            rows[1].as_ref().expect_err("ragged"),
            &RowIssue { row: 3, reason: "has 2 fields where the header has 3".into() }
        );
        assert!(rows[2].is_ok(), "a blank line is skipped");
        assert!(rows[3].as_ref().expect_err("unclosed").reason.contains("has 2 fields"));
    }
}
