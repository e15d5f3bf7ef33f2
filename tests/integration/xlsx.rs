//! XLSX workbooks, real and hostile. Real ones are written by openpyxl (what a spreadsheet user's
//! tools produce) and read as Excel shows them; hostile ones are built here, small (a ZIP bomb is
//! a few kilobytes of deflate), and each must end in a clear error or a row named as bad — never a
//! panic, an abort, or memory in gigabytes. The figures for the full-size bombs are printed by
//! `make fuzz` (tools: `breachdesk bench hostile`), not asserted here.

use crate::support::*;
use breachdesk_core::individuals::read::Rows;
use breachdesk_core::individuals::xlsx::{Limits, Sheet};
use breachdesk_core::individuals::ImportOptions;
use breachdesk_core::{Error, MemoryKeyring};
use std::io::Write;
use std::path::{Path, PathBuf};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A part of a hand-built workbook: its bytes, given whole or as a prefix, a repeated middle and a
/// suffix (so that a part of gigabytes is deflated from a few kilobytes without being held).
enum Part<'a> {
    Whole(&'a [u8]),
    /// Whole, not compressed.
    Stored(&'a [u8]),
    Repeated {
        head: &'a [u8],
        middle: &'a [u8],
        times: u64,
        tail: &'a [u8],
    },
}

/// Writes a workbook with the given sheet XML and (optional) shared-strings XML; `extra` more
/// empty parts when asked.
fn workbook(
    dir: &Path,
    name: &str,
    sheet: Part<'_>,
    strings: Option<Part<'_>>,
    extra: usize,
) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    let put = |zip: &mut zip::ZipWriter<std::fs::File>, name: &str, part: Part<'_>| {
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file(name, if matches!(part, Part::Stored(_)) { stored } else { deflate })
            .expect("part");
        match part {
            Part::Whole(b) | Part::Stored(b) => zip.write_all(b).expect("write"),
            Part::Repeated { head, middle, times, tail } => {
                zip.write_all(head).expect("write");
                let per = (65_536 / middle.len()).max(1);
                let block = middle.repeat(per);
                let per = per as u64;
                let mut left = times;
                while left >= per {
                    zip.write_all(&block).expect("write");
                    left -= per;
                }
                for _ in 0..left {
                    zip.write_all(middle).expect("write");
                }
                zip.write_all(tail).expect("write");
            }
        }
    };
    put(&mut zip, "[Content_Types].xml", Part::Whole(CONTENT_TYPES.as_bytes()));
    put(&mut zip, "xl/workbook.xml", Part::Whole(WORKBOOK.as_bytes()));
    put(&mut zip, "xl/_rels/workbook.xml.rels", Part::Whole(RELS.as_bytes()));
    put(&mut zip, "xl/worksheets/sheet1.xml", sheet);
    if let Some(s) = strings {
        put(&mut zip, "xl/sharedStrings.xml", s);
    }
    for i in 0..extra {
        put(&mut zip, &format!("xl/media/{i}.bin"), Part::Whole(b""));
    }
    zip.finish().expect("finish");
    path
}

fn sheet_xml(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

const STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Name</t></si><si><t>State</t></si><si><t>Ada Lovelace</t></si><si><t>TX</t></si></sst>"#;

/// Every row of a file: (row number, cells) or (row number, the reason it is bad); then whether
/// the read ended early and why.
/// A row as read: (row number, cells), or (row number, why it is bad).
type RowRead = Result<(u64, Vec<String>), (u64, String)>;

/// A file as read: its header, its rows, and whether the read ended early and why.
type FileRead = (Vec<String>, Vec<RowRead>, Result<(), String>);

fn read_all(path: &Path) -> Result<FileRead, String> {
    let mut rows = Rows::open(path).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    while let Some(r) = rows.next_fields() {
        out.push(
            r.map(|(n, f)| (n, f.iter().map(str::to_owned).collect()))
                .map_err(|i| (i.row, i.reason)),
        );
    }
    let end = rows.finish().map_err(|e| e.to_string());
    Ok((rows.header.clone(), out, end))
}

#[test]
fn workbooks_from_openpyxl_read_as_excel_shows_them() {
    let t = tempfile::tempdir().expect("tmp");
    let path = t.path().join("people.xlsx");
    // Two blank rows before the header; shared and inline strings; a date, a number that is a
    // ZIP, a boolean, an error value, a value right of the header, a formatted empty cell, a
    // formula, a gap of rows, a second sheet (not read).
    let script = r#"
import sys, datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append([]); ws.append([])
ws.append(['Name', 'ZIP', 'Born', 'Minor', 'Note'])
ws.append(['Zoë Ö\'Brien & Co <x>', 2134, datetime.date(1980, 2, 29), False, '  spaced  '])
ws.append(['Ada', 98101, datetime.datetime(1999, 12, 31, 23, 59), True, 1.5])
ws.append(['Err', 1, None, None, '#N/A']); ws['E6'].data_type = 'e'
ws.append(['Wide', 2, None, None, None]); ws['H7'] = 'stray'
ws['A8'].number_format = '0.00'
ws.append(['Formula', 3, None, None, '=1+1'])
ws['A20'] = 'Late'; ws['B20'] = 4
wb.create_sheet('Other')['A1'] = 'not read'
wb.save(sys.argv[1])
"#;
    let ok = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(&path)
        .status()
        .expect("python3 (make deps-test installs python3-openpyxl)");
    assert!(ok.success(), "openpyxl wrote the workbook");
    let (header, rows, end) = read_all(&path).expect("opens");
    assert_eq!(header, ["Name", "ZIP", "Born", "Minor", "Note"]);
    assert_eq!(end, Ok(()));
    let ok =
        |n: u64, cells: &[&str]| Ok((n, cells.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()));
    assert_eq!(
        rows[0],
        ok(4, &["Zoë Ö'Brien & Co <x>", "2134", "1980-02-29", "false", "  spaced  "])
    );
    assert_eq!(rows[1], ok(5, &["Ada", "98101", "1999-12-31", "true", "1.5"]));
    assert_eq!(rows[2], Err((6, "cell E6 holds a spreadsheet error (#N/A)".into())));
    assert_eq!(rows[3], Err((7, "has a value in cell H7, right of the header's 5 columns".into())));
    // openpyxl writes no cached value for a formula: the cell reads empty, as a viewer that does
    // not calculate shows it.
    assert_eq!(rows[4], ok(9, &["Formula", "3", "", "", ""]));
    assert_eq!(rows[5], ok(20, &["Late", "4", "", "", ""]));
    assert_eq!(rows.len(), 6, "the formatted empty row 8 and the second sheet are not rows");
}

#[test]
fn hostile_workbooks_end_in_a_named_error_not_a_crash() {
    let t = tempfile::tempdir().expect("tmp");
    let dir = t.path();
    let strings = Some(Part::Whole(STRINGS.as_bytes()));
    let header = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#;

    // A shared-string index the file does not have (calamine 0.31 panicked: exit 101).
    let p = workbook(dir, "index.xlsx", Part::Whole(sheet_xml(&format!(r#"{header}<row r="2"><c r="A2" t="s"><v>99</v></c><c r="B2" t="s"><v>3</v></c></row><row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>3</v></c></row>"#)).as_bytes()), strings, 0);
    let (_, rows, end) = read_all(&p).expect("opens");
    assert_eq!(
        rows[0],
        Err((
            2,
            "cell A2 refers to shared text #99 but the workbook has 4 (the file is damaged)".into()
        ))
    );
    assert_eq!(rows[1], Ok((3, vec!["Ada Lovelace".into(), "TX".into()])));
    assert_eq!(end, Ok(()));

    // One cell at XFD1048576 and a dimension of the whole sheet (calamine asked for 512 GiB).
    let strings = || Some(Part::Whole(STRINGS.as_bytes()));
    let p = workbook(
        dir,
        "corner.xlsx",
        Part::Whole(
            sheet_xml(&format!(
                r#"{header}<row r="1048576"><c r="XFD1048576" t="s"><v>2</v></c></row>"#
            ))
            .replace("<sheetData>", r#"<dimension ref="A1:XFD1048576"/><sheetData>"#)
            .as_bytes(),
        ),
        strings(),
        0,
    );
    assert!(std::fs::metadata(&p).expect("size").len() < 4096);
    let (_, rows, _) = read_all(&p).expect("opens");
    assert_eq!(
        rows,
        [Err((
            1_048_576,
            "has a value in cell XFD1048576, right of the header's 2 columns".into()
        ))]
    );

    // Beyond Excel's own sheet: a row past 1,048,576 (here: 1.1M empty rows without numbers,
    // the shape of the 5M-row file that took 80 s) and a column past XFD.
    let p = workbook(
        dir,
        "rows.xlsx",
        Part::Repeated {
            head: sheet_xml(header).replace("</sheetData></worksheet>", "").as_bytes(),
            middle: b"<row/>",
            times: 1_100_000,
            tail: b"</sheetData></worksheet>",
        },
        strings(),
        0,
    );
    let (_, rows, end) = read_all(&p).expect("opens");
    assert!(rows.is_empty());
    assert_eq!(
        end.expect_err("refused"),
        format!("{}: after row 1: has a row 1048577, beyond Excel's 1048576 rows", p.display())
    );
    let p = workbook(
        dir,
        "column.xlsx",
        Part::Whole(
            sheet_xml(&format!(r#"{header}<row r="2"><c r="XFE2"><v>1</v></c></row>"#)).as_bytes(),
        ),
        strings(),
        0,
    );
    assert!(read_all(&p)
        .expect("opens")
        .2
        .expect_err("refused")
        .ends_with("has a cell in column 16385 of row 2, beyond Excel's 16384 columns"));

    // Shared text as Excel writes it: rich-text runs joined, phonetic runs left out, entities.
    let rich = r#"<sst><si><t>Name</t></si><si><t>State</t></si><si><r><rPr><b/></rPr><t>Zo&#235; </t></r><r><t xml:space="preserve">O&apos;Brien</t></r><rPh sb="0" eb="1"><t>ゾエ</t></rPh></si><si><t>TX</t></si></sst>"#;
    let p = workbook(dir, "rich.xlsx", Part::Whole(sheet_xml(&format!(r#"{header}<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>"#)).as_bytes()), Some(Part::Whole(rich.as_bytes())), 0);
    assert_eq!(
        read_all(&p).expect("opens").1,
        [Ok((2, vec!["Zoë O'Brien".to_owned(), "TX".to_owned()]))]
    );

    // A shared string longer than Excel allows; then one of 64 MB of 'a' (64 KB deflated), read
    // no further than one element's limit.
    let p = workbook(
        dir,
        "long-string.xlsx",
        Part::Whole(sheet_xml(header).as_bytes()),
        Some(Part::Repeated {
            head: br#"<sst><si><t>Name</t></si><si><t>"#,
            middle: "é".as_bytes(),
            times: 40_000,
            tail: b"</t></si></sst>",
        }),
        0,
    );
    let e = read_all(&p).expect_err("refused");
    assert!(e.ends_with("xl/sharedStrings.xml: text #2 is longer than 32767 characters, Excel's own limit for a cell"), "{e}");
    let p = workbook(
        dir,
        "string-bomb.xlsx",
        Part::Whole(sheet_xml(header).as_bytes()),
        Some(Part::Repeated {
            head: br#"<sst><si><t>Name</t></si><si><t>"#,
            middle: b"a",
            times: 64 << 20,
            tail: b"</t></si></sst>",
        }),
        0,
    );
    let e = read_all(&p).expect_err("refused");
    assert!(
        e.ends_with(
            "xl/sharedStrings.xml has an XML element longer than 1 MB; no cell is that long"
        ),
        "{e}"
    );
    // One XML element (an attribute of 16 MB) is not a cell.
    let p = workbook(
        dir,
        "element.xlsx",
        Part::Repeated {
            head: br#"<worksheet><sheetData><row r="1"><c r="A1" x=""#,
            middle: b"x",
            times: 16 << 20,
            tail: b"\"/></row></sheetData></worksheet>",
        },
        strings(),
        0,
    );
    let e = read_all(&p).expect_err("refused");
    assert!(
        e.ends_with(
            "xl/worksheets/sheet1.xml has an XML element longer than 1 MB; no cell is that long"
        ),
        "{e}"
    );

    // Many strings, a big sheet, many cells: each limit named (the limits are lowered here; the
    // defaults hold a list of a million people).
    let many = Part::Repeated {
        head: b"<sst>",
        middle: b"<si><t>Ada Lovelace</t></si>",
        times: 100_000,
        tail: b"</sst>",
    };
    let p = workbook(dir, "strings.xlsx", Part::Whole(sheet_xml(header).as_bytes()), Some(many), 0);
    let small = Limits { strings_text: 1 << 20, ..Limits::default() };
    assert_eq!(
        Sheet::open(&p, small).err().expect("refused"),
        "xl/sharedStrings.xml holds more than 1 MB of text; a list that large should come as CSV"
    );
    let small = Limits { strings: 1000, ..Limits::default() };
    assert_eq!(Sheet::open(&p, small).err().expect("refused"), "xl/sharedStrings.xml has more than 1000 shared strings; a list that large should come as CSV");
    let small = Limits { strings_xml_bytes: 1 << 20, ..Limits::default() };
    assert!(Sheet::open(&p, small)
        .err()
        .expect("refused")
        .starts_with("xl/sharedStrings.xml inflates to more than 1 MB (a ZIP bomb"));
    let p = workbook(
        dir,
        "cells.xlsx",
        Part::Repeated {
            head: br#"<worksheet><sheetData><row r="1"><c><v>1</v></c><c><v>2</v></c></row>"#,
            middle: b"<row><c/><c/><c/><c/></row>",
            times: 300_000,
            tail: b"</sheetData></worksheet>",
        },
        None,
        0,
    );
    let mut sheet =
        Sheet::open(&p, Limits { cells: 1_000_000, ..Limits::default() }).expect("opens");
    let mut cells = Vec::new();
    assert!(sheet.next_row(&mut cells, None, 1000).expect("header").is_some());
    assert_eq!(
        sheet.next_row(&mut cells, Some(2), 2).expect_err("refused"),
        "has more than 1000000 cells; a list that large should come as CSV"
    );
    let mut sheet =
        Sheet::open(&p, Limits { sheet_bytes: 1 << 20, ..Limits::default() }).expect("opens");
    assert!(sheet.next_row(&mut cells, None, 1000).expect("header").is_some());
    assert!(sheet
        .next_row(&mut cells, Some(2), 2)
        .expect_err("refused")
        .starts_with("xl/worksheets/sheet1.xml inflates to more than 1 MB (a ZIP bomb"));

    // A ZIP of 10,001 parts; a damaged sheet (its checksum); not a workbook at all.
    let p =
        workbook(dir, "parts.xlsx", Part::Whole(sheet_xml(header).as_bytes()), strings(), 10_001);
    let e = read_all(&p).expect_err("refused");
    assert!(
        e.contains("has a ZIP directory of 10006 parts") && e.ends_with("a workbook has tens"),
        "{e}"
    );
    let sheet = sheet_xml(&format!(
        r#"{header}<row r="2"><c r="A2" t="inlineStr"><is><t>QQQQ</t></is></c><c r="B2" t="s"><v>3</v></c></row>"#
    ));
    let p = workbook(dir, "crc.xlsx", Part::Stored(sheet.as_bytes()), strings(), 0);
    let mut bytes = std::fs::read(&p).expect("read");
    let at = bytes.windows(4).position(|w| w == b"QQQQ").expect("stored");
    bytes[at] = b'R'; // still well-formed XML: only the checksum can tell
    std::fs::write(&p, &bytes).expect("write");
    let (_, rows, end) = read_all(&p).expect("opens");
    assert_eq!(rows, [Ok((2, vec!["RQQQ".to_owned(), "TX".to_owned()]))]);
    assert_eq!(
        end.expect_err("damaged"),
        format!(
            "{}: after row 2: xl/worksheets/sheet1.xml is damaged (its checksum does not match)",
            p.display()
        )
    );
    let p = dir.join("fake.xlsx");
    std::fs::write(&p, b"PK\x03\x04 not really a zip").expect("write");
    assert!(read_all(&p).expect_err("refused").contains("is not a ZIP archive"));
}

#[test]
fn a_workbook_that_breaks_midway_imports_nothing() {
    let ring = MemoryKeyring::default();
    let (t, bd) = init_memory(&ring);
    let inc = bd.create_incident(&ctx(), &new_incident("Portal")).expect("create");
    let mut rows = String::from(
        r#"<row r="1"><c t="inlineStr"><is><t>Name</t></is></c><c t="inlineStr"><is><t>State</t></is></c></row>"#,
    );
    for i in 2..=5000 {
        rows.push_str(&format!(r#"<row r="{i}"><c t="inlineStr"><is><t>Person {i}</t></is></c><c t="inlineStr"><is><t>TX</t></is></c></row>"#));
    }
    // Row 4,999 again after row 5,000: the file is damaged past the first chunks of rows.
    rows.push_str(r#"<row r="4999"><c t="inlineStr"><is><t>Again</t></is></c></row>"#);
    let p = workbook(t.path(), "broken.xlsx", Part::Whole(sheet_xml(&rows).as_bytes()), None, 0);
    let e = bd
        .import_individuals(&ctx(), &inc.id, &p, &ImportOptions::default(), &mut |_| true)
        .expect_err("refused");
    assert!(matches!(&e, Error::Validation { .. }), "{e}");
    assert!(
        e.to_string().contains(
            "after row 5000: has row 4999 after row 5000 (rows out of order: the file is damaged)"
        ),
        "{e}"
    );
    let n: i64 = bd
        .connection()
        .query_row("SELECT count(*) FROM individuals", [], |r| r.get(0))
        .expect("count");
    let b: i64 = bd
        .connection()
        .query_row("SELECT count(*) FROM import_batches", [], |r| r.get(0))
        .expect("count");
    assert_eq!((n, b), (0, 0), "nothing written");
}
