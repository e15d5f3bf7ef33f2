//! Fuzzing the parsers on stable Rust with proptest: CSV and XLSX files (read, then imported as a
//! dry run into a real encrypted store), facts JSON (parsed, checked, and the rule engine run on
//! what passes), rule files (parsed and, when valid, computed), and timestamps.
//!
//! Inputs are structured mutations of valid seeds — bit flips, cut and repeated spans, tokens of
//! each format's own grammar inserted anywhere — so that most cases get past the first check and
//! reach the code behind it. Each target asserts what must hold whatever the input: no panic, an
//! error that names what was wrong (never an internal error: exit 2), and for what is accepted,
//! the invariants of the result (rows as wide as the header, timestamps in range, …).
//!
//! `make test` runs a few hundred cases per target from a fixed seed; `make fuzz` runs
//! `BREACHDESK_FUZZ_CASES` (default 20,000) per target from a random seed it prints
//! (`BREACHDESK_FUZZ_SEED` replays one). Each target prints how many cases it ran.

use breachdesk_core::individuals::read::Rows;
use breachdesk_core::individuals::ImportOptions;
use breachdesk_core::{Breachdesk, Ctx, Error, KeySetup, MemoryKeyring};
use breachdesk_rules::facts::RawFacts;
use chrono::{Datelike, TimeZone, Timelike, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// How many cases each target runs.
fn cases(brief: u32) -> u32 {
    std::env::var("BREACHDESK_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(brief)
}

/// The seed: fixed for `make test` (the same cases each run), given or random for `make fuzz`.
fn rng(target: &str) -> TestRng {
    let seed: u64 = std::env::var("BREACHDESK_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x00b7_eac4);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    for (i, b) in target.bytes().enumerate() {
        bytes[8 + i % 24] ^= b;
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// How far the cases of a target got (each target names its stages): a fuzzer whose cases all
/// stop at the first check tests nothing behind it.
struct Reach(&'static [&'static str], [AtomicU64; 4]);

impl Reach {
    fn new(stages: &'static [&'static str]) -> Reach {
        Reach(stages, Default::default())
    }
    fn hit(&self, stage: usize) {
        self.1[stage].fetch_add(1, Ordering::Relaxed);
    }
    fn text(&self) -> String {
        self.0
            .iter()
            .zip(&self.1)
            .map(|(s, n)| format!("{} {s}", n.load(Ordering::Relaxed)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Runs `check` on `n` values of `strategy`; proptest catches panics and shrinks a failing case.
fn fuzz<S: Strategy>(
    target: &str,
    n: u32,
    reach: &Reach,
    strategy: S,
    check: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases: n,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, rng(target));
    let started = Instant::now();
    let result = runner.run(&strategy, check);
    eprintln!(
        "fuzz {target}: {n} cases in {:.1} s ({}): {}",
        started.elapsed().as_secs_f64(),
        reach.text(),
        if result.is_ok() { "no failure" } else { "FAILED" }
    );
    if let Err(e) = result {
        panic!("fuzz {target}: {e}");
    }
}

/// One edit of a seed. Positions are taken modulo the data's length, so every edit applies.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Set(usize, u8),
    Cut(usize, usize),
    Token(usize, usize),
    Repeat(usize, usize, usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        2 => (any::<usize>(), 0u8..8).prop_map(|(a, b)| Edit::Flip(a, b)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Set(a, b)),
        2 => (any::<usize>(), 1usize..64).prop_map(|(a, n)| Edit::Cut(a, n)),
        4 => (any::<usize>(), any::<usize>()).prop_map(|(a, t)| Edit::Token(a, t)),
        1 => (any::<usize>(), 1usize..48, 2usize..64).prop_map(|(a, n, k)| Edit::Repeat(a, n, k)),
        1 => any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(data: &mut Vec<u8>, edits: &[Edit], tokens: &[&[u8]]) {
    for e in edits {
        let len = data.len();
        let at = |a: usize| if len == 0 { 0 } else { a % (len + 1) };
        match *e {
            Edit::Flip(a, bit) if len > 0 => data[a % len] ^= 1 << bit,
            Edit::Set(a, b) if len > 0 => data[a % len] = b,
            Edit::Cut(a, n) => {
                let s = at(a);
                data.drain(s..(s + n).min(len));
            }
            Edit::Token(a, t) => {
                let s = at(a);
                let tok = tokens[t % tokens.len()];
                data.splice(s..s, tok.iter().copied());
            }
            Edit::Repeat(a, n, k) => {
                let s = at(a);
                let span: Vec<u8> = data[s..(s + n).min(len)].to_vec();
                for _ in 0..k {
                    data.splice(s..s, span.iter().copied());
                }
            }
            Edit::Truncate(a) => data.truncate(at(a)),
            _ => {}
        }
    }
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(edit(), 0..8)
}

/// A store for dry-run imports (shared by the cases of a target; a dry run writes nothing).
fn store(dir: &Path) -> (Breachdesk, String) {
    let ring = Box::leak(Box::new(MemoryKeyring::default()));
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 16, 0, 0).single().expect("instant");
    let bd = Breachdesk::init(&dir.join("data"), &KeySetup::Keyring, ring, Some("Fuzz"), now)
        .expect("init");
    let ctx = Ctx::new("Fuzz", now).expect("ctx");
    let inc = bd
        .create_incident(
            &ctx,
            &breachdesk_core::incident::NewIncident {
                title: "Fuzz".into(),
                severity: "SEV-2".into(),
                timezone: "America/New_York".into(),
                detected_at: "2026-03-02T10:00".into(),
                ..Default::default()
            },
        )
        .expect("incident");
    (bd, inc.id)
}

/// What must hold for any file given to the reader and to a dry-run import.
fn check_file(
    path: &Path,
    bd: &Mutex<(Breachdesk, String)>,
    reach: &Reach,
) -> Result<(), TestCaseError> {
    match Rows::open(path) {
        Err(e) => {
            prop_assert!(
                matches!(e, Error::Validation { .. }),
                "open: not a validation error: {e:?}"
            );
            prop_assert!(
                e.to_string().starts_with(&path.display().to_string()),
                "open: the error names the file: {e}"
            );
        }
        Ok(mut rows) => {
            reach.hit(0);
            let width = rows.header.len();
            prop_assert!(width > 0 && width <= breachdesk_core::individuals::read::MAX_COLUMNS);
            let mut last = 1;
            while let Some(r) = rows.next_fields() {
                match r {
                    Ok((n, fields)) => {
                        reach.hit(1);
                        prop_assert_eq!(fields.len(), width, "row {} as wide as the header", n);
                        prop_assert!(
                            n > last || rows.format.kind == "csv",
                            "rows ascend: {} after {}",
                            n,
                            last
                        );
                        last = n;
                    }
                    Err(issue) => prop_assert!(!issue.reason.is_empty()),
                }
            }
            if let Err(e) = rows.finish() {
                prop_assert!(matches!(e, Error::Validation { .. }), "finish: {e:?}");
            }
        }
    }
    let mut guard = bd.lock().map_err(|_| TestCaseError::fail("store lock poisoned"))?;
    let (bd, id) = &mut *guard;
    let ctx =
        Ctx::new("Fuzz", Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).single().expect("instant"))
            .expect("ctx");
    let options = ImportOptions { dry_run: true, ..ImportOptions::default() };
    match bd.import_individuals(&ctx, id, path, &options, &mut |_| true) {
        Ok(r) => {
            reach.hit(2);
            if r.rows_valid > 0 {
                reach.hit(3);
            }
            prop_assert_eq!(r.rows_read, r.rows_valid + r.rows_rejected);
        }
        Err(e) => prop_assert!(
            matches!(e, Error::Validation { .. }),
            "import: not a validation error: {e:?}"
        ),
    }
    Ok(())
}

fn write_case(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write case");
    p
}

const CSV_TOKENS: &[&[u8]] = &[
    b"\"",
    b",",
    b";",
    b"\t",
    b"|",
    b"\r\n",
    b"\n",
    b"\r",
    b"\"\"",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\x00",
    b"\x1b[2J",
    b"\x1b]0;x\x07",
    "\u{202e}".as_bytes(),
    b"\xC3",
    b"\x80",
    b"\xE2\x82",
    b"ZIP",
    b"State",
    b"Email",
    b"Date of Birth",
    b"First Name",
    b",,,,,,,,",
    b"99999",
    b"+10000-01-01",
    b"02/30/1980",
    b"US-CA",
    b"Texas",
    b"=cmd|' /C calc'!A0",
    b"@SUM(1)",
    b"Deceased",
    b"yes",
    b"SSN; Medical",
];

#[test]
fn csv_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bd = Mutex::new(store(tmp.path()));
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for (rows, bad, seed) in [(12, 0.0, 1), (12, 0.3, 2), (3, 0.0, 3)] {
        let mut v = Vec::new();
        breachdesk_core::individuals::generate::write_csv(
            breachdesk_core::individuals::generate::Spec { rows, bad_rate: bad, seed },
            &mut v,
        )
        .expect("csv");
        seeds.push(v);
    }
    let semi = String::from_utf8_lossy(&seeds[0]).replace(',', ";");
    seeds.push(semi.into_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(String::from_utf8_lossy(&seeds[2]).encode_utf16().flat_map(u16::to_le_bytes));
    seeds.push(utf16);
    seeds.push(b"Name,State\r\n\"Ada \"\"The\"\" Countess\nof Lovelace\",TX\r\n".to_vec());
    let n = seeds.len();
    let reach = Reach::new(&["opened", "rows read", "imports (dry run)", "with valid rows"]);
    fuzz("csv", cases(400), &reach, (0..n, edits()), |(seed, edits)| {
        let mut data = seeds[seed].clone();
        apply(&mut data, &edits, CSV_TOKENS);
        let path = write_case(tmp.path(), "case.csv", &data);
        check_file(&path, &bd, &reach)
    });
}

const XML_TOKENS: &[&[u8]] = &[
    b"<row>",
    b"</row>",
    b"<row r=\"1048577\">",
    b"<row r=\"0\">",
    b"<c>",
    b"</c>",
    b"<c r=\"XFD1048576\">",
    b"<c r=\"XFE1\">",
    b"<c r=\"A1\" t=\"s\">",
    b"t=\"s\"",
    b"t=\"e\"",
    b"t=\"b\"",
    b"t=\"inlineStr\"",
    b"t=\"d\"",
    b"s=\"1\"",
    b"s=\"99999\"",
    b"<v>",
    b"</v>",
    b"<v>4294967296</v>",
    b"<v>-1</v>",
    b"<v>1e308</v>",
    b"<v>NaN</v>",
    b"<is><t>",
    b"</t></is>",
    b"<t>",
    b"</t>",
    b"<si>",
    b"</si>",
    b"<si/>",
    b"<rPh>",
    b"</rPh>",
    b"&amp;",
    b"&#0;",
    b"&#x1b;",
    b"&#1114112;",
    b"&bogus;",
    b"<![CDATA[x]]>",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    b"&a;",
    b"<?xml version=\"1.0\"?>",
    b"<f>SUM(A1)</f>",
    b"\xC3",
    b"\x00",
    b">",
    b"<",
    b"\"",
    b"r=\"",
    b"ZZZ9",
    b"<sheetData>",
    b"</sheetData>",
    b"<dimension ref=\"A1:XFD1048576\"/>",
    b"\xE2\x80\xAE",
];

const WORKBOOK: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="0"/><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
const STYLES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>"#;
const STRINGS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Name</t></si><si><t>State</t></si><si><t>ZIP</t></si><si><t>Born</t></si><si><r><t>Zo&#235; </t></r><r><t>O&apos;Brien</t></r><rPh><t>x</t></rPh></si><si><t>TX</t></si><si><t xml:space="preserve"> Ada </t></si></sst>"#;
const SHEET: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D4"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row><row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2"><v>78701</v></c><c r="D2" s="1"><v>29280</v></c></row><row r="3" spans="1:4"><c r="A3" t="inlineStr"><is><t>Wei &amp; Co</t></is></c><c r="B3" t="str"><f>"WA"</f><v>WA</v></c><c r="C3"><v>98101</v></c><c r="D3" s="2"><v>36525.5</v></c></row><row r="4"><c r="A4" t="s"><v>6</v></c><c r="B4" t="b"><v>1</v></c><c r="D4" t="e"><v>#N/A</v></c></row></sheetData></worksheet>"#;

/// A workbook from (possibly edited) parts, deflated or stored.
fn zip_parts(parts: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let method =
            if stored { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, bytes) in parts {
            zip.start_file(*name, opts).expect("part");
            zip.write_all(bytes).expect("write");
        }
        zip.finish().expect("zip");
    }
    out.into_inner()
}

#[test]
fn xlsx_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bd = Mutex::new(store(tmp.path()));
    // Which part the edits go to: 0 sheet, 1 shared strings, 2 styles, 3 workbook, 4 relationships,
    // 5 the finished ZIP's bytes.
    let reach = Reach::new(&["opened", "rows read", "imports (dry run)", "with valid rows"]);
    fuzz(
        "xlsx",
        cases(300),
        &reach,
        (0usize..6, edits(), any::<bool>()),
        |(target, edits, stored)| {
            let mut parts: Vec<(&str, Vec<u8>)> = vec![
                ("xl/worksheets/sheet1.xml", SHEET.to_vec()),
                ("xl/sharedStrings.xml", STRINGS.to_vec()),
                ("xl/styles.xml", STYLES.to_vec()),
                ("xl/workbook.xml", WORKBOOK.to_vec()),
                ("xl/_rels/workbook.xml.rels", RELS.to_vec()),
            ];
            if target < parts.len() {
                apply(&mut parts[target].1, &edits, XML_TOKENS);
            }
            let named: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (*n, b.as_slice())).collect();
            let mut bytes = zip_parts(&named, stored);
            if target == 5 {
                apply(
                    &mut bytes,
                    &edits,
                    &[
                        b"PK\x03\x04",
                        b"PK\x01\x02",
                        b"PK\x05\x06",
                        b"\xFF\xFF\xFF\xFF",
                        b"\x00\x00\x00\x00",
                    ],
                );
            }
            let path = write_case(tmp.path(), "case.xlsx", &bytes);
            check_file(&path, &bd, &reach)
        },
    );
}

/// Replaces one node of a JSON tree (the path picks a child at each level, or stops) with one of
/// `values` of the same kind (a number for a number, a string for a string; now and then any
/// kind): structure-level edits, so that most cases still parse and reach the checks behind.
fn replace_node(
    v: &mut serde_json::Value,
    mut path: usize,
    values: &[serde_json::Value],
    pick: usize,
) {
    let kind = |v: &serde_json::Value| std::mem::discriminant(v);
    let mut node = v;
    let mut depth = 0;
    loop {
        let len = match &*node {
            serde_json::Value::Object(m) => m.len(),
            serde_json::Value::Array(a) => a.len(),
            _ => 0,
        };
        if len == 0 || (depth > 0 && path.is_multiple_of(4)) {
            let any_kind = pick.is_multiple_of(16);
            let same: Vec<&serde_json::Value> =
                values.iter().filter(|w| any_kind || kind(w) == kind(node)).collect();
            if let Some(with) = same.get(pick % same.len().max(1)) {
                *node = (*with).clone();
            }
            return;
        }
        let i = (path / 4) % len;
        path /= 5;
        depth += 1;
        node = match node {
            serde_json::Value::Object(m) => m.values_mut().nth(i).expect("in range"),
            serde_json::Value::Array(a) => &mut a[i],
            _ => return,
        };
    }
}

fn interesting_values() -> Vec<serde_json::Value> {
    use serde_json::json;
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1),
        json!(4_294_967_295u64),
        json!(u64::MAX),
        json!(1e308),
        json!(0.5),
        json!(""),
        json!("+10000-01-01T00:00"),
        json!("-0001-06-01T00:00"),
        json!("262142-01-01T00:00:00Z"),
        json!("2199-12-31T23:59:59"),
        json!("1970-01-01T00:00:00Z"),
        json!("2026-03-08T02:30:00"),
        json!("2026-11-01T01:30:00"),
        json!("2026-02-29"),
        json!("America/New_York"),
        json!("Pacific/Kiritimati"),
        json!("Mars/Olympus"),
        json!("US-CA"),
        json!("US-TX"),
        json!("DE"),
        json!("GB"),
        json!("XX"),
        json!("ssn"),
        json!("medical"),
        json!("oral"),
        json!("written"),
        json!("covered_entity"),
        json!("controller"),
        json!("processor"),
        json!("low"),
        json!([]),
        json!({}),
        json!(["name", "ssn", "medical", "financial_account"]),
        json!({"US-CA": 1_000_000_000u64, "DE": 0}),
        json!({"start": "2026-02-25T10:00:00", "until": "2026-03-25T10:00:00", "form": "oral"}),
        json!({"start": "2199-12-31T00:00:00", "until": null}),
        json!({"decided_at": "2026-03-01T10:00:00", "by": "Counsel", "rationale": "x", "law_enforcement_consulted": true}),
    ]
}

const JSON_TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"null",
    b"true",
    b"0",
    b"-1",
    b"1e999",
    b"18446744073709551616",
    b"4294967295",
    b"\"\"",
    b"\"+10000-01-01T00:00\"",
    b"\"-0001-06-01T00:00\"",
    b"\"262142-01-01T00:00:00Z\"",
    b"\"2026-02-30T00:00\"",
    b"\"2026-03-08T02:30\"",
    b"\"America/New_York\"",
    b"\"Mars/Olympus\"",
    b"\"US-CA\"",
    b"\"XX-99\"",
    b"\"ssn\"",
    b"\"affected\":",
    b"\"holds\":",
    b"\"form\":\"oral\"",
    b"\"until\":",
    b"\"discovered_at\":",
    b"\"timezone\":",
    b"\"data_types\":",
    b"\"sent\":",
    b"\\u0000",
    b"\\ud800",
    b"\xC3",
];

#[test]
fn facts_json() {
    let rules = breachdesk_rules::schema::RuleSet::embedded().expect("rules");
    // Seeds: the facts of every test vector, as JSON.
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/vectors");
    let mut names: Vec<_> =
        std::fs::read_dir(&root).expect("vectors").flatten().map(|e| e.path()).collect();
    names.sort();
    for p in names.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        let v: toml::Value =
            toml::from_str(&std::fs::read_to_string(p).expect("read")).expect("vector");
        for case in v.get("case").and_then(toml::Value::as_array).into_iter().flatten().take(4) {
            if let Some(f) = case.get("facts") {
                seeds.push(serde_json::to_vec(f).expect("json"));
            }
        }
    }
    assert!(seeds.len() > 200, "{} seeds", seeds.len());
    let n = seeds.len();
    let values = interesting_values();
    let reach = Reach::new(&["parsed", "checked", "computed with obligations"]);
    let tree_edits = prop::collection::vec((any::<usize>(), any::<usize>()), 0..4);
    fuzz("facts", cases(1500), &reach, (0..n, tree_edits, edits()), |(seed, tree, edits)| {
        // Half the cases edit the tree, half the text (and some both).
        let mut data = seeds[seed].clone();
        if let (false, Ok(mut v)) =
            (tree.is_empty(), serde_json::from_slice::<serde_json::Value>(&data))
        {
            for (path, with) in &tree {
                replace_node(&mut v, *path, &values, *with);
            }
            data = serde_json::to_vec(&v).expect("json");
        }
        if tree.is_empty() {
            apply(&mut data, &edits, JSON_TOKENS);
        }
        let raw = match serde_json::from_slice::<RawFacts>(&data) {
            Ok(r) => r,
            Err(e) => {
                prop_assert!(!e.to_string().is_empty());
                return Ok(());
            }
        };
        reach.hit(0);
        match raw.check() {
            Err(e) => prop_assert!(!e.field.is_empty() && !e.message.is_empty()),
            Ok(facts) => {
                reach.hit(1);
                let out = breachdesk_rules::engine::compute(&rules, &facts);
                if !out.obligations.is_empty() {
                    reach.hit(2);
                }
                for o in &out.obligations {
                    prop_assert!(
                        !o.rule_id.is_empty() && !o.citation.is_empty(),
                        "{} has its citation",
                        o.rule_id
                    );
                }
            }
        }
        Ok(())
    });
}

const TOML_TOKENS: &[&[u8]] = &[
    b"=",
    b"\"",
    b"[[",
    b"]]",
    b"[",
    b"]",
    b"\n",
    b"#",
    b"days = 4294967295",
    b"days = 0",
    b"hours = 4294967295",
    b"months = 4294967295",
    b"effective_from = \"9999-12-31\"",
    b"effective_from = \"0001-01-01\"",
    b"effective_to = \"1970-01-01\"",
    b"trigger = \"discovered_at\"",
    b"kind = \"relative\"",
    b"kind = \"annual\"",
    b"to = \"US-CA-individuals\"",
    b"to = \"nowhere\"",
    b"or_with = \"US-VT-individuals\"",
    b"min_affected = 18446744073709551615",
    b"oral_max_days = 4294967295",
    b"confidence = \"low\"",
    b"\"262142-01-01\"",
    b"-1",
    b"inf",
    b"nan",
    b"[[obligations]]",
    b"[[exemptions]]",
    b"[[delays]]",
    b"\xC3",
    b"\x00",
];

#[test]
fn rule_files() {
    let files = breachdesk_rules::EMBEDDED_RULES;
    let facts: Vec<_> = [
        r#"{"timezone":"America/New_York","discovered_at":"2026-02-20T16:45:00","affected":{"US-CA":1200,"US-NY":600,"US-TX":300},"data_types":["name","ssn"]}"#,
        r#"{"timezone":"Europe/Berlin","discovered_at":"2026-12-31T23:30:00","affected":{"DE":5000},"data_types":["name","email"],"gdpr_role":"controller"}"#,
    ]
    .iter()
    .map(|t| serde_json::from_str::<RawFacts>(t).expect("facts").check().expect("valid"))
    .collect();
    let n = files.len();
    let values = interesting_values();
    let reach = Reach::new(&["UTF-8", "file parsed", "set loaded"]);
    let tree_edits = prop::collection::vec((any::<usize>(), any::<usize>()), 0..4);
    fuzz("rules", cases(200), &reach, (0..n, tree_edits, edits()), |(file, tree, edits)| {
        let (name, text) = files[file];
        let mut data = text.as_bytes().to_vec();
        // Tree edits through TOML → JSON → TOML (keys and tables kept), else text edits.
        if tree.is_empty() {
            apply(&mut data, &edits, TOML_TOKENS);
        } else if let Ok(v) = toml::from_str::<serde_json::Value>(text) {
            let mut v = v;
            for (path, with) in &tree {
                replace_node(&mut v, *path, &values, *with);
            }
            match toml::to_string(&v) {
                Ok(t) => data = t.into_bytes(),
                Err(_) => return Ok(()), // null has no TOML form
            }
        }
        let Ok(text) = String::from_utf8(data) else { return Ok(()) };
        reach.hit(0);
        if let Err(e) = breachdesk_rules::schema::parse_file(name, &text) {
            prop_assert!(!e.message.is_empty());
            return Ok(());
        }
        reach.hit(1);
        // The edited file in place of the original, with the rest of the set.
        let set: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| if *n == name { (*n, text.as_str()) } else { (*n, *t) })
            .collect();
        match breachdesk_rules::schema::RuleSet::from_texts(set) {
            Err(e) => prop_assert!(!e.message.is_empty() && !e.file.is_empty()),
            Ok(rules) => {
                reach.hit(2);
                for f in &facts {
                    let _ = breachdesk_rules::engine::compute(&rules, f);
                }
            }
        }
        Ok(())
    });
}

const TIME_TOKENS: &[&[u8]] = &[
    b"2026",
    b"-",
    b":",
    b"T",
    b" ",
    b"Z",
    b"+",
    b".",
    b"10000",
    b"262142",
    b"-0001",
    b"24:00",
    b"23:59:60",
    b"02-30",
    b"+14:00",
    b"-12:00",
    "\u{2212}".as_bytes(),
    "\u{0663}".as_bytes(),
    b"1969-12-31T23:59",
    b"2199-12-31T23:59:59",
    b"2200-01-01T00:00",
    b"000000000",
    b"9",
    b"2026-03-08T02:30",
    b"2026-11-01T01:30",
    b"\x00",
    b"\xC3",
];

#[test]
fn timestamps() {
    let zones = [
        chrono_tz::UTC,
        chrono_tz::America::New_York,
        chrono_tz::Pacific::Kiritimati,
        chrono_tz::America::St_Johns,
        chrono_tz::Australia::Lord_Howe,
    ];
    let seeds: [&[u8]; 6] = [
        b"2026-03-02T10:15",
        b"2026-03-02T10:15:30Z",
        b"2026-03-02 10:15",
        b"2026-03-02T10:15:30.5+05:30",
        b"2026-03-02",
        b"1970-01-01T00:00Z",
    ];
    let reach = Reach::new(&["accepted", "refused"]);
    fuzz(
        "timestamps",
        cases(3000),
        &reach,
        (0..seeds.len(), 0..zones.len(), edits()),
        |(seed, zone, edits)| {
            let mut data = seeds[seed].to_vec();
            apply(&mut data, &edits, TIME_TOKENS);
            let text = String::from_utf8_lossy(&data);
            match breachdesk_rules::time::parse_timestamp("aware_at", &text, zones[zone]) {
                Ok(t) => {
                    reach.hit(0);
                    prop_assert!((1970..2200).contains(&t.year()), "{text:?} → {t}");
                    let stored = breachdesk_rules::time::to_storage(t);
                    prop_assert_eq!(
                        breachdesk_rules::time::parse_stored(&stored).ok(),
                        t.with_nanosecond(0),
                        "round trip of {} (stored to the second)",
                        stored
                    );
                }
                Err(e) => {
                    reach.hit(1);
                    prop_assert!(
                        e.to_string().contains("aware_at"),
                        "the error names the field: {e}"
                    );
                }
            }
            Ok(())
        },
    );
}
