//! A generator of realistic test files: names with diacritics, every US jurisdiction with ZIP codes
//! that belong to it, some people abroad, flags and data elements, and bad rows mixed in at a
//! chosen rate. Seeded, so a file can be made again exactly. The people are invented.

use breachdesk_rules::jurisdiction::US_JURISDICTIONS;
use std::io::Write;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub rows: u64,
    /// Share of rows with a defect (0.0 – 1.0).
    pub bad_rate: f64,
    pub seed: u64,
}

/// SplitMix64: small, fast, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        #[allow(clippy::cast_precision_loss)]
        let x = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        x < p
    }
}

const FIRST: [&str; 24] = [
    "José", "Zoë", "Ana", "Renée", "Jürgen", "Chloé", "Łukasz", "Søren", "Björk", "Ngọc",
    "Siobhán", "Mateo", "Olivia", "Liam", "Emma", "Noah", "Aaliyah", "Darnell", "Priya", "Wei",
    "Fatima", "Hannah", "Élodie", "Andrés",
];
const LAST: [&str; 24] = [
    "García",
    "Müller",
    "O'Brien",
    "Nguyễn",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Kowalski",
    "Dubois",
    "Ørsted",
    "Hernández",
    "Martínez",
    "Lee",
    "Patel",
    "Kim",
    "Rossi",
    "Cohen",
    "Ivanova",
    "Okafor",
    "Yamamoto",
    "Fernández",
    "Şahin",
];
const STREETS: [&str; 12] = [
    "Main Street",
    "Oak Avenue",
    "North Elm Road",
    "Maple Drive",
    "Cedar Lane",
    "Pine Court",
    "Lakeview Boulevard",
    "Hillcrest Place",
    "Sunset Parkway",
    "Washington Street",
    "Mill Road",
    "River Trail",
];
const ELEMENTS: [&str; 8] =
    ["name", "address", "dob", "ssn", "medical", "health_insurance", "email", "financial_account"];
const ABROAD: [&str; 6] = ["DE", "FR", "GB", "IE", "CA", "ES"];

/// One ZIP code of each US jurisdiction that has some in the shipped table (VI and GU have none:
/// their rows name the state instead).
fn zips_by_state() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut by: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for (z, s) in super::zip::rows() {
        by.entry(s).or_default().push(z);
    }
    US_JURISDICTIONS.iter().map(|j| (&j[3..], by.remove(&j[3..]).unwrap_or_default())).collect()
}

/// Writes a CSV of `spec.rows` people (plus a header) to `out`.
///
/// # Errors
/// I/O errors of `out`.
pub fn write_csv(spec: Spec, out: &mut dyn Write) -> std::io::Result<()> {
    let mut r = Rng(spec.seed);
    let states = zips_by_state();
    writeln!(out, "Member ID,First Name,Last Name,Address,City,State,ZIP,Country,Email,Phone,Date of Birth,Deceased,Data Exposed")?;
    for i in 0..spec.rows {
        let first = r.pick(&FIRST);
        let last = r.pick(&LAST);
        let (state, zips) = &states[r.below(states.len())];
        let zip =
            if zips.is_empty() { String::new() } else { zips[r.below(zips.len())].to_owned() };
        let abroad = r.chance(0.02);
        let (state, zip, country) = if abroad {
            ("", format!("{}", 10_000 + r.below(89_999)), r.pick(&ABROAD))
        } else {
            (*state, zip, "US")
        };
        let email = if r.chance(0.85) {
            format!("{}.{}{}@example.org", ascii(first), ascii(last), i)
        } else {
            String::new()
        };
        let address = if r.chance(0.97) {
            format!("{} {}", 1 + r.below(9_999), r.pick(&STREETS))
        } else {
            String::new()
        };
        let dob =
            format!("{:04}-{:02}-{:02}", 1930 + r.below(90), 1 + r.below(12), 1 + r.below(28));
        let deceased = if r.chance(0.005) { "yes" } else { "" };
        let n = 1 + r.below(3);
        let elements: Vec<&str> = (0..n).map(|_| r.pick(&ELEMENTS)).collect();
        let mut row = vec![
            format!("M{i:08}"),
            first.to_owned(),
            csv_quote(last),
            address,
            "Springfield".to_owned(),
            state.to_owned(),
            zip,
            country.to_owned(),
            email,
            format!("555-01{:02}", r.below(100)),
            dob,
            deceased.to_owned(),
            elements.join(";"),
        ];
        if r.chance(spec.bad_rate) {
            match r.below(5) {
                0 => row[8] = "not-an-email".into(),
                1 => row[10] = "31/31/1999".into(),
                2 => row[5] = "XX".into(),
                3 => {
                    row[1].clear();
                    row[2].clear();
                }
                _ => {
                    row.truncate(9);
                }
            }
        }
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

fn ascii(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_lowercase()
}

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Writes the CSV at `csv` as an XLSX workbook at `xlsx` the way spreadsheet programs do: text in
/// the shared-strings part (one entry per cell: the worst case for a reader, nothing repeats),
/// whole numbers without a leading zero as numbers. Streams: the shared text goes to a temporary
/// file beside the target first (the invented people of a generated file, not personal data).
///
/// # Errors
/// I/O errors, and a CSV that cannot be read.
pub fn csv_to_xlsx(csv: &Path, xlsx: &Path) -> std::io::Result<()> {
    use zip::write::SimpleFileOptions;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(csv)
        .map_err(std::io::Error::other)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(xlsx)?));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    let parts: [(&str, &str); 3] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts).map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.start_file("xl/workbook.xml", opts).map_err(std::io::Error::other)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>"#)?;
    let strings_path = xlsx.with_extension("strings.tmp");
    let result = (|| -> std::io::Result<()> {
        let mut strings = std::io::BufWriter::new(std::fs::File::create(&strings_path)?);
        zip.start_file("xl/worksheets/sheet1.xml", opts).map_err(std::io::Error::other)?;
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)?;
        let mut record = csv::ByteRecord::new();
        let (mut row, mut count) = (0u64, 0u64);
        while reader.read_byte_record(&mut record).map_err(std::io::Error::other)? {
            row += 1;
            write!(zip, r#"<row r="{row}">"#)?;
            for field in &record {
                if field.is_empty() {
                    continue;
                }
                let number =
                    field.len() < 15 && field[0] != b'0' && field.iter().all(u8::is_ascii_digit);
                if number {
                    zip.write_all(b"<c><v>")?;
                    zip.write_all(field)?;
                    zip.write_all(b"</v></c>")?;
                } else {
                    write!(zip, r#"<c t="s"><v>{count}</v></c>"#)?;
                    count += 1;
                    strings.write_all(b"<si><t xml:space=\"preserve\">")?;
                    write_escaped(&mut strings, field)?;
                    strings.write_all(b"</t></si>")?;
                }
            }
            zip.write_all(b"</row>")?;
        }
        zip.write_all(b"</sheetData></worksheet>")?;
        strings.flush()?;
        drop(strings);
        zip.start_file("xl/sharedStrings.xml", opts).map_err(std::io::Error::other)?;
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">"#
        )?;
        std::io::copy(&mut std::io::BufReader::new(std::fs::File::open(&strings_path)?), &mut zip)?;
        zip.write_all(b"</sst>")?;
        zip.finish().map_err(std::io::Error::other)?.flush()
    })();
    let _ = std::fs::remove_file(&strings_path);
    result
}

fn write_escaped(out: &mut dyn Write, text: &[u8]) -> std::io::Result<()> {
    let mut from = 0;
    for (i, b) in text.iter().enumerate() {
        let with: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            _ => continue,
        };
        out.write_all(&text[from..i])?;
        out.write_all(with)?;
        from = i + 1;
    }
    out.write_all(&text[from..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_files_are_reproducible_and_cover_every_jurisdiction() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_csv(Spec { rows: 3000, bad_rate: 0.0, seed: 7 }, &mut a).expect("write");
        write_csv(Spec { rows: 3000, bad_rate: 0.0, seed: 7 }, &mut b).expect("write");
        assert_eq!(a, b, "same seed, same file");
        let text = String::from_utf8(a).expect("utf-8");
        assert!(text.contains("Zoë") || text.contains("José"), "diacritics");
        let states: std::collections::BTreeSet<&str> = text
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').nth(5))
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(states.len(), 54, "{states:?}");
    }
}
