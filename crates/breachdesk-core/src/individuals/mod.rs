//! The affected individuals: imported from a spreadsheet, cleaned, de-duplicated and counted by
//! residence. The counts drive the notification clocks.
//!
//! An import streams the file row by row into one transaction: all the chosen rows or none. Rows
//! that fail validation are reported (row, column, reason — never the value) and either stop the
//! import or, when the user chooses, are left out. Records identical after normalisation merge
//! into the first one; the merged row is kept (merged_into) so the source stays in history.

pub mod bench;
pub mod generate;
pub mod mapping;
pub mod normalize;
mod person;
pub mod read;
pub mod review;
pub(crate) mod search;
pub mod xlsx;
mod zip;

use crate::audit::Change;
use crate::bulk::{Bind, BulkInsert};
use crate::obligations::ObligationChange;
use crate::{uuid7, Breachdesk, Ctx, Error, Result};
use breachdesk_rules::schema::RECOGNISED_DATA_TYPES;
use breachdesk_rules::time::to_storage;
use mapping::Mapping;
use person::{opt, Person};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// At most this many row errors are kept in a report (all are counted).
pub const MAX_REPORTED_ERRORS: usize = 10_000;

/// One reason a row was not imported. Never carries the value itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RowError {
    #[ts(type = "number")]
    pub row: u64,
    pub column: String,
    pub reason: String,
}

/// A cell as a spreadsheet may open it: text it would run as a formula ("=…", "+…", "-…", "@…")
/// gets a leading apostrophe.
#[must_use]
pub fn spreadsheet_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// An import's error report as CSV (row, column, reason). A cell a spreadsheet would run as a
/// formula (a header from the user's file could start with "=") gets a leading apostrophe.
#[must_use]
pub fn error_report_csv(errors: &[RowError]) -> String {
    let guard = spreadsheet_safe;
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(["row", "column", "reason"]);
    for e in errors {
        let _ = w.write_record([e.row.to_string(), guard(&e.column), guard(&e.reason)]);
    }
    w.into_inner().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
}

/// How to import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct ImportOptions {
    /// The columns to use; detected from the header when null.
    pub mapping: Option<Mapping>,
    /// Read and check everything, write nothing.
    pub dry_run: bool,
    /// Import the valid rows even when some rows are invalid (otherwise nothing is imported).
    pub skip_invalid: bool,
}

/// What an import did (or, for a dry run or a refused import, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportReport {
    pub batch_id: Option<String>,
    pub file_name: String,
    /// csv | xlsx
    pub format: String,
    pub encoding: String,
    pub delimiter: Option<String>,
    pub header: Vec<String>,
    pub mapping: Mapping,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub rows_valid: u64,
    #[ts(type = "number")]
    pub rows_rejected: u64,
    /// New individuals (rows that were not exact duplicates).
    #[ts(type = "number")]
    pub imported: u64,
    /// Rows identical to one already on the list after normalisation, merged into it.
    #[ts(type = "number")]
    pub merged: u64,
    pub errors: Vec<RowError>,
    #[ts(type = "number")]
    pub error_count: u64,
    pub dry_run: bool,
    /// True when nothing was written because rows were invalid and skip_invalid was off.
    pub refused: bool,
    /// What the new counts did to the obligations.
    pub changes: Vec<ObligationChange>,
}

/// Progress of a long import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Progress {
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number | null")]
    pub bytes: Option<u64>,
    #[ts(type = "number")]
    pub total_bytes: u64,
}

/// Counts over an incident's individuals (merged duplicates not counted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Counts {
    #[ts(type = "number")]
    pub total: i64,
    /// By residence: ISO 3166-2 US codes and ISO 3166-1 countries.
    #[ts(type = "Record<string, number>")]
    pub by_residence: BTreeMap<String, i64>,
    /// People whose residence cannot be determined (no usable state, ZIP or country).
    #[ts(type = "number")]
    pub undetermined: i64,
    #[ts(type = "number")]
    pub minors: i64,
    #[ts(type = "number")]
    pub deceased: i64,
    /// No usable postal address and no e-mail: they count toward substitute notice.
    #[ts(type = "number")]
    pub undeliverable: i64,
    #[ts(type = "number")]
    pub no_postal: i64,
    #[ts(type = "number")]
    pub no_email: i64,
    #[ts(type = "number")]
    pub merged: i64,
    /// The state column names one state and the ZIP code another (residence follows the column).
    #[ts(type = "number")]
    pub residence_conflicts: i64,
    #[ts(type = "Record<string, number>")]
    pub by_element: BTreeMap<String, i64>,
    /// By residence ("" undetermined), people per set of exposed elements (`"name+ssn"`, `""`
    /// when the list did not say).
    #[ts(type = "Record<string, Record<string, number>>")]
    pub exposure: BTreeMap<String, BTreeMap<String, i64>>,
}

/// One individual as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Individual {
    /// The record's number on the incident's list: from 1, in import order (a merged duplicate
    /// keeps its own; a rolled-back import's numbers are not given again, except those of imports
    /// rolled back before schema 9, whose range was not kept). Exports and the audit log name
    /// records by it.
    #[ts(type = "number")]
    pub id: i64,
    pub external_id: Option<String>,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub dob: Option<String>,
    pub residence: Option<String>,
    /// state | zip | zip_prefix | country | null
    pub residence_source: Option<String>,
    pub minor: bool,
    pub deceased: bool,
    pub guardian: Option<String>,
    pub no_postal: bool,
    pub no_email: bool,
    /// Agreed to notice by e-mail (the list's e-mail consent column).
    pub email_consent: bool,
    pub data_elements: Vec<String>,
    pub batch_id: String,
    #[ts(type = "number")]
    pub source_row: i64,
    /// The state column and the ZIP code name different states.
    pub residence_conflict: bool,
    /// Whom the notice goes to: the person, a parent or guardian (minors) or the next of kin
    /// (deceased).
    pub addressee: String,
}

/// One import, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Batch {
    pub id: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub file_name: String,
    pub file_sha256: String,
    pub format: String,
    pub encoding: String,
    #[ts(type = "number")]
    pub rows_read: i64,
    #[ts(type = "number")]
    pub rows_imported: i64,
    #[ts(type = "number")]
    pub rows_rejected: i64,
    #[ts(type = "number")]
    pub rows_merged: i64,
    pub imported_at: String,
    pub imported_by: String,
    pub rolled_back_at: Option<String>,
    pub rolled_back_by: Option<String>,
}

/// Rows the reader thread hands over at a time (and how often progress is reported).
const CHUNK_ROWS: usize = 4096;

/// A run of rows, read and checked, with the reader's position in the file after them. Once the
/// rows are written and counted, the keeper thread hands the chunk back and the reader fills it
/// again (see [`person`]).
#[derive(Default)]
struct Chunk {
    people: Vec<Person>,
    /// Each row read: its person, or why it was refused.
    items: Vec<std::result::Result<Numbered, Vec<RowError>>>,
    position: Option<u64>,
}

/// A valid row as the reader hands it over.
struct Numbered {
    source_row: u64,
    /// Index in the chunk's `people`.
    person: usize,
    /// Its number on the list (0 in a dry run).
    number: u32,
    /// The number of the record it duplicates exactly (it is stored merged into that one).
    dup: Option<u32>,
}

/// What the reader thread keeps across the rows: the next record number and the dedupe map.
/// (The keeper thread counts.)
struct Numbering {
    dry_run: bool,
    next: u32,
    seen: SeenKeys,
}

impl Numbering {
    /// Numbers one valid person and tells whether it repeats a record (a dry run numbers nothing:
    /// its duplicates of its own rows are counted, with no record to point at).
    fn number(&mut self, p: &Person) -> Result<(u32, Option<u32>)> {
        let dup = self.seen.get(&p.key).copied();
        if self.dry_run {
            if dup.is_none() {
                self.seen.insert(p.key, 0);
            }
            return Ok((0, dup));
        }
        let n = self.next;
        if n == u32::MAX {
            return Err(Error::Internal("the list is full (4,294,967,294 records)".into()));
        }
        self.next += 1;
        if dup.is_none() {
            self.seen.insert(p.key, n);
        }
        Ok((n, dup))
    }
}

/// The counts an import adds, kept as it goes so that counting never rescans the list.
#[derive(Default)]
struct Tally {
    /// (residence, exposed elements as bits) → people.
    by_residence: HashMap<String, HashMap<u32, i64>>,
    /// #total, #minor, #deceased, #undeliverable, #no_postal, #no_email, #merged, #conflict
    flags: [i64; 8],
    elements: [i64; 32],
}

const FLAG_BUCKETS: [&str; 8] = [
    "#total",
    "#minor",
    "#deceased",
    "#undeliverable",
    "#no_postal",
    "#no_email",
    "#merged",
    "#conflict",
];

impl Tally {
    fn add(&mut self, p: &Person) {
        self.count(&p.residence, p.elements);
        self.flag(p.minor, p.deceased, p.no_postal, p.no_email, p.conflict);
        for (i, n) in self.elements.iter_mut().enumerate() {
            *n += i64::from((p.elements >> i) & 1);
        }
    }

    /// One more person in the flag counts (in the order of `FLAG_BUCKETS`; #merged is counted
    /// where a merge happens).
    fn flag(
        &mut self,
        minor: bool,
        deceased: bool,
        no_postal: bool,
        no_email: bool,
        conflict: bool,
    ) {
        let flags = [true, minor, deceased, no_postal && no_email, no_postal, no_email];
        for (i, on) in flags.into_iter().enumerate() {
            self.flags[i] += i64::from(on);
        }
        self.flags[7] += i64::from(conflict);
    }

    /// One more person of `residence` with exposed `elements` (no allocation once the residence
    /// has been seen: this runs for every row of an import).
    fn count(&mut self, residence: &str, elements: u32) {
        if !self.by_residence.contains_key(residence) {
            self.by_residence.insert(residence.to_owned(), HashMap::new());
        }
        if let Some(by_elements) = self.by_residence.get_mut(residence) {
            *by_elements.entry(elements).or_default() += 1;
        }
    }

    /// One stored individual's share of the counts.
    fn of_individual(p: &Individual) -> Tally {
        let mut t = Tally::default();
        let bits = p
            .data_elements
            .iter()
            .filter_map(|e| RECOGNISED_DATA_TYPES.iter().position(|t| t == e))
            .fold(0u32, |b, i| b | (1 << i));
        t.count(p.residence.as_deref().unwrap_or(""), bits);
        t.flag(p.minor, p.deceased, p.no_postal, p.no_email, p.residence_conflict);
        for e in &p.data_elements {
            if let Some(i) = RECOGNISED_DATA_TYPES.iter().position(|t| t == e) {
                t.elements[i] += 1;
            }
        }
        t
    }

    fn negate(&mut self) {
        self.by_residence.values_mut().flat_map(HashMap::values_mut).for_each(|n| *n = -*n);
        self.flags.iter_mut().for_each(|n| *n = -*n);
        self.elements.iter_mut().for_each(|n| *n = -*n);
    }

    /// Adds the tally to the stored counts (inside the import's transaction).
    fn apply(&self, tx: &rusqlite::Transaction<'_>, incident: &str) -> Result<()> {
        let mut add = tx.prepare(
            "INSERT INTO individual_counts (incident_id, bucket, n) VALUES (?1, ?2, ?3)
             ON CONFLICT (incident_id, bucket) DO UPDATE SET n = n + excluded.n",
        )?;
        let mut residences: HashMap<&str, i64> = HashMap::new();
        for (residence, by_elements) in &self.by_residence {
            for (bits, n) in by_elements {
                *residences.entry(residence).or_default() += n;
                add.execute(params![incident, exposure_bucket(residence, *bits), n])?;
            }
        }
        for (bucket, n) in residences {
            add.execute(params![incident, bucket, n])?;
        }
        for (bucket, n) in FLAG_BUCKETS.iter().zip(self.flags) {
            add.execute(params![incident, bucket, n])?;
        }
        for (t, n) in RECOGNISED_DATA_TYPES.iter().zip(self.elements) {
            if n != 0 {
                add.execute(params![incident, format!("@{t}"), n])?;
            }
        }
        Ok(())
    }
}

/// Hashes a dedupe key by its first eight bytes: the key is a SHA-256 prefix, already uniform, so
/// a second hash of it (`SipHash`, for every row of an import) buys nothing.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        if let Some(head) = bytes.first_chunk::<8>() {
            self.0 ^= u64::from_le_bytes(*head);
        }
    }
    fn write_usize(&mut self, _: usize) {} // the slice's length prefix: always 16
}

type SeenKeys = HashMap<[u8; 16], u32, std::hash::BuildHasherDefault<KeyHasher>>;

const INSERT: &str = "INSERT INTO individuals (id, source_row, external_id, full_name, name_key, last_key, email, phone,
    address1, address2, city, region, postal_code, country, dob, residence, residence_src, minor, deceased, guardian, no_postal,
    no_email, elements, dedupe_key, merged_into, residence_conflict)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)";

/// One record's values, in [`INSERT`]'s order (the table's column order): the writer binds them,
/// and the import's seal hashes them as `SELECT *` reads them back (STRICT: stored as bound).
fn record_binds(
    ids: ListIds,
    p: &Person,
    source_row: u64,
    number: u32,
    dup: Option<u32>,
) -> [Bind<'_>; 26] {
    [
        Bind::Int(ids.id(number)),
        Bind::Int(to_i64(source_row)),
        opt(&p.external_id).into(),
        Bind::Text(&p.full_name),
        Bind::Text(&p.name_key),
        Bind::Text(&p.last_key),
        opt(&p.email).into(),
        opt(&p.phone).into(),
        opt(&p.address1).into(),
        opt(&p.address2).into(),
        opt(&p.city).into(),
        opt(&p.region).into(),
        opt(&p.postal_code).into(),
        opt(&p.country).into(),
        opt(&p.dob).into(),
        opt(&p.residence).into(),
        p.residence_src.into(),
        Bind::Int(p.minor.into()),
        Bind::Int(p.deceased.into()),
        opt(&p.guardian).into(),
        Bind::Int(p.no_postal.into()),
        Bind::Int(p.no_email.into()),
        Bind::Int(p.elements.into()),
        Bind::Blob(&p.key),
        dup.map(|d| ids.id(d)).into(),
        Bind::Int(p.conflict.into()),
    ]
}

/// The position of `merged_into` in [`record_binds`] (left out of the seal: a review's merge
/// changes it).
const MERGED_INTO: usize = 24;

/// The ids of one list's records (schema 9): `list × 2³² + n`, n from 1. A list is one range of
/// the table, an import one range within it, and n fits the `u32` that the dedupe map and the
/// search index keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListIds(pub(crate) i64);

impl ListIds {
    /// The smallest id of the list (n = 0 is never used).
    pub(crate) fn lo(self) -> i64 {
        self.0 << 32
    }
    pub(crate) fn hi(self) -> i64 {
        (self.0 << 32) | 0xFFFF_FFFF
    }
    pub(crate) fn id(self, n: u32) -> i64 {
        self.lo() | i64::from(n)
    }
    /// A record's number on its list.
    pub(crate) fn n(id: i64) -> u32 {
        u32::try_from(id & 0xFFFF_FFFF).unwrap_or(0)
    }
}

/// The counts bucket of the people of one residence with one set of exposed elements.
fn exposure_bucket(residence: &str, bits: u32) -> String {
    format!("~{bits}:{residence}")
}

/// Rebuilds an incident's counts from its rows (inside the caller's transaction).
fn rebuild_counts(tx: &rusqlite::Transaction<'_>, incident: &str, ids: ListIds) -> Result<()> {
    tx.execute("DELETE FROM individual_counts WHERE incident_id = ?1", [incident])?;
    tx.execute(
        "INSERT INTO individual_counts (incident_id, bucket, n)
         SELECT ?1, coalesce(residence, ''), count(*) FROM individuals WHERE id BETWEEN ?2 AND ?3 AND merged_into IS NULL GROUP BY residence",
        params![incident, ids.lo(), ids.hi()],
    )?;
    tx.execute(
        "INSERT INTO individual_counts (incident_id, bucket, n)
         SELECT ?1, '~' || elements || ':' || coalesce(residence, ''), count(*) FROM individuals WHERE id BETWEEN ?2 AND ?3 AND merged_into IS NULL
         GROUP BY residence, elements",
        params![incident, ids.lo(), ids.hi()],
    )?;
    let mut sums = String::from("count(*), sum(minor), sum(deceased), sum(no_postal AND no_email), sum(no_postal), sum(no_email), sum(residence_conflict)");
    for i in 0..RECOGNISED_DATA_TYPES.len() {
        sums.push_str(&format!(", sum((elements >> {i}) & 1)"));
    }
    let sql = format!(
        "SELECT {sums} FROM individuals WHERE id BETWEEN ?1 AND ?2 AND merged_into IS NULL"
    );
    let values: Vec<i64> = tx.query_row(&sql, [ids.lo(), ids.hi()], |r| {
        (0..7 + RECOGNISED_DATA_TYPES.len())
            .map(|i| r.get::<_, Option<i64>>(i).map(Option::unwrap_or_default))
            .collect()
    })?;
    let merged: i64 = tx.query_row(
        "SELECT count(*) FROM individuals WHERE id BETWEEN ?1 AND ?2 AND merged_into IS NOT NULL",
        [ids.lo(), ids.hi()],
        |r| r.get(0),
    )?;
    let put = |bucket: &str, n: i64| {
        tx.execute(
            "INSERT INTO individual_counts (incident_id, bucket, n) VALUES (?1, ?2, ?3)",
            params![incident, bucket, n],
        )
    };
    for (bucket, n) in FLAG_BUCKETS[..6].iter().zip(&values) {
        put(bucket, *n)?;
    }
    put("#merged", merged)?;
    put("#conflict", values[6])?;
    for (t, n) in RECOGNISED_DATA_TYPES.iter().zip(&values[7..]) {
        if *n > 0 {
            put(&format!("@{t}"), *n)?;
        }
    }
    Ok(())
}

/// The file's SHA-256 (hex), or "" when `stop` is set before the end.
fn sha256_file(path: &Path, stop: &std::sync::atomic::AtomicBool) -> Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let io = |source| Error::Io { path: path.to_owned(), source };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(String::new());
        }
        match f.read(&mut buf).map_err(io)? {
            0 => return Ok(hex::encode(h.finalize())),
            n => h.update(&buf[..n]),
        }
    }
}

/// An incident's list as an import finds it, under the write lock.
struct OpenList {
    /// The import's number among the incident's imports.
    seq: i64,
    list: i64,
    ids: ListIds,
    /// Dedupe key → the first record's number on the list.
    seen: SeenKeys,
    /// The number the batch's first record takes.
    first_n: u32,
}

/// Opens (or makes) the incident's list for an import: its next batch number, the keys of the
/// records already on it, and the number the batch's first record takes.
fn open_list(tx: &rusqlite::Transaction<'_>, incident: &str) -> Result<OpenList> {
    let seq: i64 = tx.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM import_batches WHERE incident_id = ?1",
        [incident],
        |r| r.get(0),
    )?;
    tx.execute("INSERT OR IGNORE INTO individual_lists (incident_id) VALUES (?1)", [incident])?;
    let list: i64 = tx.query_row(
        "SELECT list FROM individual_lists WHERE incident_id = ?1",
        [incident],
        |r| r.get(0),
    )?;
    let ids = ListIds(list);
    // Dedupe key → the first record's number on the list (0 in a dry run, which writes none).
    let mut seen = SeenKeys::default();
    {
        let mut stmt = tx.prepare("SELECT dedupe_key, id FROM individuals WHERE id BETWEEN ?1 AND ?2 AND merged_into IS NULL")?;
        let mut q = stmt.query([ids.lo(), ids.hi()])?;
        while let Some(r) = q.next()? {
            let k: Vec<u8> = r.get(0)?;
            if let Ok(k) = <[u8; 16]>::try_from(k.as_slice()) {
                seen.insert(k, ListIds::n(r.get(1)?));
            }
        }
    }
    // The batch's records are numbered on from the list's last record, or its last import's
    // (a rolled-back import's numbers are not reused; before schema 9 they were, and those
    // batches have no range).
    let last: i64 = tx.query_row(
        "SELECT max(coalesce((SELECT max(id) FROM individuals WHERE id BETWEEN ?1 AND ?2), 0),
                    coalesce((SELECT max(last_id) FROM import_batches WHERE incident_id = ?3), 0))",
        params![ids.lo(), ids.hi(), incident],
        |r| r.get(0),
    )?;
    let first_n = ListIds::n(last).saturating_add(1); // 1 for a new list (last = 0)
    Ok(OpenList { seq, list, ids, seen, first_n })
}

impl ImportReport {
    /// The report of an import about to read `format`'s rows.
    fn started(
        format: &read::Format,
        header: &[String],
        mapping: &Mapping,
        file_name: &str,
        dry_run: bool,
    ) -> ImportReport {
        ImportReport {
            batch_id: None,
            file_name: file_name.to_owned(),
            format: format.kind.into(),
            encoding: format.encoding.into(),
            delimiter: format
                .delimiter
                .map(|d| if d == '\t' { "tab".into() } else { d.to_string() }),
            header: header.to_vec(),
            mapping: mapping.clone(),
            rows_read: 0,
            rows_valid: 0,
            rows_rejected: 0,
            imported: 0,
            merged: 0,
            errors: Vec::new(),
            error_count: 0,
            dry_run,
            refused: false,
            changes: Vec::new(),
        }
    }
}

// ---- the import's stages, each on its own thread (see `Breachdesk::import_rows`) --------------

/// The reader: parses, checks and normalises the rows, numbers them and finds the exact
/// duplicates, a chunk at a time. Stops when the writer hangs up (a cancel or an error).
fn read_chunks(
    mut rows: read::Rows,
    numbering: &mut Numbering,
    resolved: &mapping::Resolved,
    header: &[String],
    today: chrono::NaiveDate,
    send: &std::sync::mpsc::SyncSender<Chunk>,
    given_back: &std::sync::mpsc::Receiver<Chunk>,
) -> Result<u32> {
    let mut buffers = person::Buffers::default();
    let mut chunk = Chunk::default();
    let mut filled = 0;
    while let Some(next) = rows.next_fields() {
        match next {
            Err(issue) => chunk.items.push(Err(vec![RowError {
                row: issue.row,
                column: String::new(),
                reason: issue.reason,
            }])),
            Ok((n, row)) => {
                if filled == chunk.people.len() {
                    chunk.people.push(Person::default());
                }
                let p = &mut chunk.people[filled];
                match person::fill(p, resolved, header, row, n, today, &mut buffers) {
                    Ok(()) => {
                        let (number, dup) = numbering.number(p)?;
                        chunk.items.push(Ok(Numbered {
                            source_row: n,
                            person: filled,
                            number,
                            dup,
                        }));
                        filled += 1;
                    }
                    Err(errs) => chunk.items.push(Err(errs)),
                }
            }
        }
        if chunk.items.len() == CHUNK_ROWS {
            chunk.position = rows.position();
            let mut next = given_back.try_recv().unwrap_or_default();
            next.items.clear();
            if send.send(std::mem::replace(&mut chunk, next)).is_err() {
                return Err(Error::Cancelled); // the writer stopped: its error is the one reported
            }
            filled = 0;
        }
    }
    chunk.position = rows.position();
    rows.finish()?; // a file that could not be read to its end imports nothing
    let _ = send.send(chunk);
    Ok(numbering.next)
}

/// The writer (the import's own thread, which holds the transaction): writes each chunk's
/// records, keeps the report, says how far it got, and passes the chunk to the keeper.
#[allow(clippy::too_many_arguments)]
fn write_chunks(
    tx: &rusqlite::Transaction<'_>,
    receive: std::sync::mpsc::Receiver<Chunk>,
    to_keeper: std::sync::mpsc::SyncSender<Chunk>,
    report: &mut ImportReport,
    options: &ImportOptions,
    ids: ListIds,
    progress: &mut dyn FnMut(Progress) -> bool,
    total_bytes: u64,
) -> Result<()> {
    let mut insert = BulkInsert::prepare(tx, INSERT)?;
    let mut consent = tx.prepare_cached("INSERT INTO individual_email_consent (id) VALUES (?1)")?;
    for chunk in receive {
        for item in &chunk.items {
            report.rows_read += 1;
            let errs = match item {
                Err(errs) => errs,
                Ok(Numbered { source_row, person, number, dup }) => {
                    let p = &chunk.people[*person];
                    report.rows_valid += 1;
                    if dup.is_some() {
                        report.merged += 1;
                    } else {
                        report.imported += 1;
                    }
                    if !options.dry_run {
                        insert.insert(&record_binds(ids, p, *source_row, *number, *dup))?;
                        if p.email_consent {
                            consent.execute([ids.id(*number)])?;
                        }
                    }
                    continue;
                }
            };
            report.rows_rejected += 1;
            for e in errs {
                report.error_count += 1;
                if report.errors.len() < MAX_REPORTED_ERRORS {
                    report.errors.push(e.clone());
                }
            }
        }
        if !progress(Progress { rows: report.rows_read, bytes: chunk.position, total_bytes }) {
            return Err(Error::Cancelled);
        }
        if to_keeper.send(chunk).is_err() {
            break; // the keeper failed: joined and reported by the caller
        }
    }
    Ok(())
}

/// The keeper: counts the records, collects their search keys and builds the audit row's digest
/// from the values written (no re-read), then hands each chunk back to the reader.
fn keep(
    keeper_in: std::sync::mpsc::Receiver<Chunk>,
    give_back: &std::sync::mpsc::Sender<Chunk>,
    mut keys: search::ListKeys,
    ids: ListIds,
    dry_run: bool,
) -> (Tally, search::ListKeys, crate::audit::SealBuilder) {
    let mut tally = Tally::default();
    let mut seal = crate::audit::SealBuilder::default();
    for chunk in keeper_in {
        for Numbered { person, number, dup, source_row } in chunk.items.iter().flatten() {
            let p = &chunk.people[*person];
            if dup.is_some() {
                tally.flags[6] += 1; // #merged
            } else {
                tally.add(p);
            }
            if !dry_run {
                search::add(
                    &mut keys,
                    *number,
                    &p.name_key,
                    &p.last_key,
                    opt(&p.email),
                    opt(&p.postal_code),
                );
                let binds = record_binds(ids, p, *source_row, *number, *dup);
                seal.add(
                    binds
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != MERGED_INTO)
                        .map(|(_, b)| b.value_ref()),
                );
            }
        }
        let _ = give_back.send(chunk); // the reader fills it again (it may have finished)
    }
    (tally, keys, seal)
}

impl Breachdesk {
    /// Imports a CSV or XLSX file of individuals into an incident. `progress` is called every few
    /// thousand rows; returning false cancels (nothing is written).
    ///
    /// # Errors
    /// [`Error::Validation`] naming the file (unreadable), the mapping field, or — when rows are
    /// invalid and `skip_invalid` is off — nothing: the report says `refused`. [`Error::Cancelled`].
    pub fn import_individuals(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<ImportReport> {
        // The page cache gives way to the import's own memory (the search keys): rows are only
        // appended, so a smaller cache costs no speed, and the peak at 1M rows drops by ~30 MB.
        let mut w = self.writer()?;
        w.store.conn.execute_batch("PRAGMA cache_size = -16384")?;
        let result = self.import_rows(&mut w, ctx, incident_id, path, options, progress);
        w.store.conn.execute_batch(&format!("PRAGMA cache_size = {}", crate::store::CACHE_SIZE))?;
        result
    }

    fn import_rows(
        &self,
        w: &mut crate::store::Writer,
        ctx: &Ctx,
        incident_id: &str,
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<ImportReport> {
        let inc = self.incident_row(incident_id)?;
        let rows = read::Rows::open(path)?;
        let header = rows.header.clone();
        let mapping = options.mapping.clone().unwrap_or_else(|| Mapping::detect(&header));
        let resolved = mapping
            .resolve(&header)
            .map_err(|(field, message)| Error::Validation { field, message })?;
        let today = ctx.now.with_timezone(&inc.fields.zone).date_naive();
        let file_name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let mut report =
            ImportReport::started(&rows.format, &header, &mapping, &file_name, options.dry_run);
        let total_bytes = rows.format.bytes;
        let batch_id = uuid7(ctx.now);
        // The write lock first, then the batch number: two imports at once never take the same one.
        w.store.captured.clear();
        let tx =
            w.store.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process that finds the store busy can say what holds it.
        let _activity = crate::datadir::Activity::start(
            &self.dir,
            if options.dry_run {
                "a check of a file of individuals"
            } else {
                "an import of individuals"
            },
            ctx.now,
        );
        let OpenList { seq, list, ids, seen, first_n } = open_list(&tx, &inc.id)?;
        // The list's search keys: those already stored plus each new record's, sorted and written
        // at the end (same transaction: a failure or a cancel leaves the stored ones as they were).
        let keys = if options.dry_run { search::new_keys() } else { search::load(&tx, list)? };
        if !options.dry_run {
            // The batch row first; its file hash, counts and range are filled in at the end.
            tx.execute(
                "INSERT INTO import_batches (id, incident_id, seq, file_name, file_sha256, format, encoding, mapping_json, rows_read, rows_imported,
                     rows_rejected, rows_merged, imported_at, imported_by) VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, ?7, 0, 0, 0, 0, ?8, ?9)",
                params![batch_id, inc.id, seq, file_name, report.format, report.encoding, serde_json::to_string(&mapping).unwrap_or_default(), to_storage(ctx.now), ctx.actor],
            )?;
        }
        // Three stages on two cores, each chunk of rows passing through them in turn (and a fourth
        // thread hashing the file). The reader thread parses, checks and normalises the rows,
        // numbers them and finds the exact duplicates; this one writes the rows; the keeper
        // thread counts them and collects their search keys (sorting them in runs) and hands the
        // chunk back to the reader. The reader stops when this side hangs up (cancel, error).
        let mut numbering = Numbering { dry_run: options.dry_run, next: first_n, seen };
        let stop = std::sync::atomic::AtomicBool::new(false);
        let (file_hash, next_n, tally, mut keys, seal) = std::thread::scope(
            |scope| -> Result<(String, u32, Tally, search::ListKeys, crate::audit::SealBuilder)> {
                // The file's SHA-256 on a thread of its own (a second read of the file, from the page
                // cache).
                // It stops early when the import does (cancel, error).
                let hasher = scope.spawn(|| {
                    if options.dry_run {
                        Ok(String::new())
                    } else {
                        sha256_file(path, &stop)
                    }
                });
                let (send, receive) = std::sync::mpsc::sync_channel::<Chunk>(2);
                let (give_back, given_back) = std::sync::mpsc::channel::<Chunk>();
                let (to_keeper, keeper_in) = std::sync::mpsc::sync_channel::<Chunk>(1); // the cheapest stage
                let dry_run = options.dry_run;
                let keeper = scope.spawn(move || keep(keeper_in, &give_back, keys, ids, dry_run));
                let (resolved, header) = (&resolved, &header);
                let reader = scope.spawn(move || {
                    read_chunks(rows, &mut numbering, resolved, header, today, &send, &given_back)
                });
                let written = write_chunks(
                    &tx,
                    receive,
                    to_keeper,
                    &mut report,
                    options,
                    ids,
                    progress,
                    total_bytes,
                );
                // Every stage is joined here, so that a failed one is reported as an error (this
                // stage's first: the reader's is then only that it was cut off) and the hashing stops
                // when any stage fails.
                let fail = |e| Error::Internal(format!("the import's {e} thread failed"));
                if written.is_err() {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                let read = reader.join().map_err(|_| fail("reader")).and_then(|r| r);
                if read.is_err() {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                let hash = hasher.join().map_err(|_| fail("hashing")).and_then(|r| r);
                let kept = keeper.join().map_err(|_| fail("counting"));
                written?;
                let (tally, keys, seal) = kept?; // before the reader's: a failed keeper cuts the reader off
                let (next_n, hash) = (read?, hash?);
                Ok((hash, next_n, tally, keys, seal))
            },
        )?;
        progress(Progress { rows: report.rows_read, bytes: Some(total_bytes), total_bytes });
        if report.rows_read == 0 {
            return Err(Error::validation(
                &path.display().to_string(),
                "the file has a header but no rows",
            ));
        }
        if options.dry_run || (report.rows_rejected > 0 && !options.skip_invalid) {
            report.refused = !options.dry_run;
            drop(tx); // rolls back: nothing written
            w.store.captured.clear();
            return Ok(report);
        }
        search::write(&tx, list, &mut keys)?;
        drop(keys);
        let range = (next_n > first_n).then(|| (ids.id(first_n), ids.id(next_n - 1)));
        tx.execute(
            "UPDATE import_batches SET rows_read = ?2, rows_imported = ?3, rows_rejected = ?4, rows_merged = ?5, first_id = ?6, last_id = ?7, file_sha256 = ?8
             WHERE id = ?1",
            params![
                batch_id,
                to_i64(report.rows_read),
                to_i64(report.imported),
                to_i64(report.rows_rejected),
                to_i64(report.merged),
                range.map(|r| r.0),
                range.map(|r| r.1),
                file_hash
            ],
        )?;
        tally.apply(&tx, &inc.id)?;
        let mut audit = vec![Change {
            action: "individuals.import",
            entity_type: "import_batch",
            entity_id: batch_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "file_name": file_name, "file_sha256": file_hash, "rows_read": report.rows_read, "imported": report.imported,
                "merged": report.merged, "rejected": report.rows_rejected, "seq": seq,
            })),
        }];
        // The counts, the facts and the obligations they call for commit with the rows.
        crate::failpoint::hit("import.rows_written");
        let (changes, refresh) = counts_into_facts(&tx, ctx, &inc)?;
        audit.extend(refresh);
        // The audit row commits to the imported records (their digest) and every row written.
        let batches: Vec<_> =
            range.map(|(first, last)| seal.finish(&batch_id, first, last)).into_iter().collect();
        // What verify will recompute from the stored rows (checked in the test builds).
        #[cfg(debug_assertions)]
        for b in &batches {
            debug_assert_eq!(
                *b,
                crate::audit::batch_seal(&tx, &b.batch, b.first, b.last)?,
                "the import's seal is what the stored rows give"
            );
        }
        let sealer = crate::audit::Sealer {
            secret: self.secret.as_ref(),
            captured: &w.store.captured,
            batches,
        };
        let head = crate::audit::append_all(&tx, &ctx.actor, ctx.now, &audit, sealer)?;
        tx.commit()?;
        w.store.checkpoint();
        if let Some(head) = head {
            self.record_head(head)?;
        }
        self.list_changed();
        report.batch_id = Some(batch_id);
        report.changes = changes;
        Ok(report)
    }

    /// Counts over the incident's individuals.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn individual_counts(&self, incident_id: &str) -> Result<Counts> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        read_counts(&conn, &inc.id)
    }

    /// Individuals whose name, last name or e-mail starts with `query`, or whose ZIP does (digits).
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] on `query` when blank.
    pub fn search_individuals(
        &self,
        incident_id: &str,
        query: &str,
        limit: u32,
    ) -> Result<Vec<Individual>> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        let q = normalize::name_key(query);
        if q.is_empty() {
            return Err(Error::validation(
                "query",
                "type part of a name, an e-mail address or a ZIP code",
            ));
        }
        let list = self.list_ids(&inc.id)?;
        let limit = usize::try_from(limit.min(1000)).unwrap_or(1000);
        // An e-mail address, a ZIP code, or a name (full name, last name or e-mail address):
        // each field gives up to `limit` records in its key order, then the union by name.
        let (fields, by_name): (&[usize], bool) = if q.contains('@') {
            (&[search::EMAIL], false)
        } else if q.chars().all(|c| c.is_ascii_digit() || c == '-') {
            (&[search::POSTAL], false)
        } else {
            (&[search::NAME, search::LAST, search::EMAIL], true)
        };
        let mut fetch = conn.prepare_cached(&live_person_by_id())?;
        let mut found: HashMap<i64, Option<Individual>> = HashMap::new();
        let mut order = Vec::new();
        for &field in fields {
            let mut n = 0;
            search::scan(&conn, list, field, &q, &mut |id| {
                let person = match found.get(&id) {
                    Some(p) => p.is_some(),
                    None => {
                        let p = fetch.query_row([id], person_row).optional()?;
                        let live = p.is_some();
                        found.insert(id, p);
                        if live {
                            order.push(id);
                        }
                        live
                    }
                };
                n += usize::from(person);
                Ok(n < limit)
            })?;
        }
        let mut rows: Vec<Individual> =
            order.into_iter().filter_map(|id| found.remove(&id).flatten()).collect();
        if by_name {
            rows.sort_by(|a, b| a.full_name.cmp(&b.full_name).then(a.id.cmp(&b.id)));
        }
        rows.truncate(limit);
        Ok(rows)
    }

    /// Calls `each` for every individual on the list (merged duplicates left out), in import order.
    ///
    /// # Errors
    /// [`Error::NotFound`]; whatever `each` returns.
    pub fn for_each_individual(
        &self,
        incident_id: &str,
        each: &mut dyn FnMut(&Individual) -> Result<()>,
    ) -> Result<()> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        let ids = self.list_ids(&inc.id)?;
        let mut stmt = conn.prepare(&format!(
            "{SELECT_PERSON} WHERE id BETWEEN ?1 AND ?2 AND merged_into IS NULL ORDER BY id"
        ))?;
        let mut q = stmt.query([ids.lo(), ids.hi()])?;
        while let Some(r) = q.next()? {
            each(&person_row(r)?)?;
        }
        Ok(())
    }

    /// The incident's imports, oldest first.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn import_batches(&self, incident_id: &str) -> Result<Vec<Batch>> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        let zone = inc.fields.zone;
        let show = |s: String| crate::stored_to_local(s, zone);
        let mut stmt = conn.prepare(
            "SELECT id, seq, file_name, file_sha256, format, encoding, rows_read, rows_imported, rows_rejected, rows_merged, imported_at, imported_by,
                    rolled_back_at, rolled_back_by FROM import_batches WHERE incident_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([&inc.id], |r| {
                Ok(Batch {
                    id: r.get(0)?,
                    seq: r.get(1)?,
                    file_name: r.get(2)?,
                    file_sha256: r.get(3)?,
                    format: r.get(4)?,
                    encoding: r.get(5)?,
                    rows_read: r.get(6)?,
                    rows_imported: r.get(7)?,
                    rows_rejected: r.get(8)?,
                    rows_merged: r.get(9)?,
                    imported_at: show(r.get(10)?),
                    imported_by: r.get(11)?,
                    rolled_back_at: r.get::<_, Option<String>>(12)?.map(show),
                    rolled_back_by: r.get(13)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Rolls back an import whole: its individuals are deleted, the batch stays on record as rolled
    /// back, and the counts and obligations follow. Only the newest live import can be rolled
    /// back (later imports may have merged into its rows).
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] on `batch` when it is already rolled back or not
    /// the newest live import.
    pub fn rollback_import(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        batch: &str,
    ) -> Result<Vec<ObligationChange>> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        // (id, seq, rolled back at, first record id, last record id)
        type Found = (String, i64, Option<String>, Option<i64>, Option<i64>);
        let found: Option<Found> = conn
            .query_row(
                "SELECT id, seq, rolled_back_at, first_id, last_id FROM import_batches WHERE incident_id = ?1 AND (id = ?2 OR CAST(seq AS TEXT) = ?2)",
                params![inc.id, batch.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (id, seq, rolled, first, last) = found.ok_or_else(|| Error::NotFound {
            entity: "import batch",
            id: format!("{batch} in {}", inc.human_id),
        })?;
        if rolled.is_some() {
            return Err(Error::validation("batch", format!("import {seq} is already rolled back")));
        }
        let newest: i64 = conn.query_row(
            "SELECT max(seq) FROM import_batches WHERE incident_id = ?1 AND rolled_back_at IS NULL",
            [&inc.id],
            |r| r.get(0),
        )?;
        if newest != seq {
            return Err(Error::validation(
                "batch",
                format!("roll back import {newest} first: imports roll back newest first"),
            ));
        }
        let ids = self.list_ids(&inc.id)?;
        // The batch's records: one range of ids (none when every row was refused).
        let (first, last) = (first.unwrap_or(0), last.unwrap_or(-1));
        let dir = self.dir.clone();
        let changes = self.write(ctx, |tx| {
            let _activity = crate::datadir::Activity::start(&dir, "a rollback of an import", ctx.now);
            // Records of earlier imports merged (on review) into this import's records count again,
            // and the review pairs that name its records go with them.
            tx.execute(
                "UPDATE individuals SET merged_into = NULL WHERE id BETWEEN ?1 AND ?2 AND id NOT BETWEEN ?3 AND ?4 AND merged_into BETWEEN ?3 AND ?4",
                params![ids.lo(), ids.hi(), first, last],
            )?;
            tx.execute("DELETE FROM duplicate_candidates WHERE a_id BETWEEN ?1 AND ?2 OR b_id BETWEEN ?1 AND ?2", params![first, last])?;
            tx.execute("DELETE FROM individual_email_consent WHERE id BETWEEN ?1 AND ?2", params![first, last])?;
            let removed = tx.execute("DELETE FROM individuals WHERE id BETWEEN ?1 AND ?2", params![first, last])?;
            search::rebuild(tx, ids.0)?;
            tx.execute("UPDATE import_batches SET rolled_back_at = ?2, rolled_back_by = ?3 WHERE id = ?1", params![id, to_storage(ctx.now), ctx.actor])?;
            rebuild_counts(tx, &inc.id, ids)?;
            let mut audit = vec![Change {
                action: "individuals.rollback",
                entity_type: "import_batch",
                entity_id: id.clone(),
                before: None,
                after: Some(serde_json::json!({ "seq": seq, "rows_removed": removed })),
            }];
            let (changes, refresh) = counts_into_facts(tx, ctx, &inc)?;
            audit.extend(refresh);
            Ok((changes, audit))
        });
        self.list_changed();
        changes
    }
}

/// Puts the list's counts into the incident's facts (residence counts replace `affected`; exposed
/// data elements are added to `data_types`) and recomputes the obligations, inside the caller's
/// transaction. Returns the diff and the audit changes.
pub(crate) fn counts_into_facts(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx,
    inc: &crate::incident::Row,
) -> Result<(Vec<ObligationChange>, Vec<Change>)> {
    let counts = read_counts(tx, &inc.id)?;
    let mut facts = crate::facts::stored_facts(tx, &inc.id)?;
    facts.affected = counts.by_residence.clone();
    facts.exposure = counts.exposure.clone();
    facts.exposure.remove(""); // the undetermined are not in `affected` either
                               // The list's people with neither address nor e-mail, and those whose letters came back.
    facts.undeliverable =
        counts.undeliverable + crate::notices::letters_undeliverable(tx, &inc.id)?;
    for t in counts.by_element.keys() {
        if !facts.data_types.contains(t) {
            facts.data_types.push(t.clone());
        }
    }
    crate::obligations::refresh(tx, ctx, inc, Some(&facts))
}

/// The stored counts of an incident's list.
fn read_counts(conn: &rusqlite::Connection, incident_uuid: &str) -> Result<Counts> {
    let mut c = Counts::default();
    let mut stmt =
        conn.prepare_cached("SELECT bucket, n FROM individual_counts WHERE incident_id = ?1")?;
    let mut q = stmt.query([incident_uuid])?;

    while let Some(r) = q.next()? {
        let (bucket, n): (String, i64) = (r.get(0)?, r.get(1)?);
        if n == 0 && !bucket.starts_with('#') {
            continue;
        }
        match bucket.as_str() {
            "" => c.undetermined = n,
            "#total" => c.total = n,
            "#minor" => c.minors = n,
            "#deceased" => c.deceased = n,
            "#undeliverable" => c.undeliverable = n,
            "#no_postal" => c.no_postal = n,
            "#no_email" => c.no_email = n,
            "#merged" => c.merged = n,
            "#conflict" => c.residence_conflicts = n,
            b if b.starts_with('@') => {
                c.by_element.insert(b[1..].to_owned(), n);
            }
            b if b.starts_with('~') => {
                if let Some((bits, residence)) = b[1..]
                    .split_once(':')
                    .and_then(|(bits, r)| Some((bits.parse::<u32>().ok()?, r)))
                {
                    if n > 0 {
                        c.exposure
                            .entry(residence.to_owned())
                            .or_default()
                            .insert(normalize::element_names(bits).join("+"), n);
                    }
                }
            }
            b => {
                c.by_residence.insert(b.to_owned(), n);
            }
        }
    }
    Ok(c)
}

const SELECT_PERSON: &str = "SELECT id, external_id, full_name, email, phone, address1, address2, city, region, postal_code, country, dob,
    residence, residence_src, minor, deceased, guardian, no_postal, no_email, elements,
    (SELECT b.id FROM import_batches b WHERE b.first_id <= individuals.id ORDER BY b.first_id DESC LIMIT 1), source_row, residence_conflict,
    EXISTS (SELECT 1 FROM individual_email_consent c WHERE c.id = individuals.id)
    FROM individuals";

/// One record by id, when it is not merged into another (the search index holds merged records too).
fn live_person_by_id() -> String {
    format!("{SELECT_PERSON} WHERE id = ?1 AND merged_into IS NULL")
}

/// [`person_by_id`] through a cached statement (a merge reads every letter's person).
pub(crate) fn person_by_id_cached(
    conn: &rusqlite::Connection,
    id: i64,
) -> Result<Option<Individual>> {
    Ok(conn.prepare_cached(&live_person_by_id())?.query_row([id], person_row).optional()?)
}

/// One record by its row id, when it is not merged into another.
pub(crate) fn person_by_id(conn: &rusqlite::Connection, id: i64) -> Result<Option<Individual>> {
    Ok(conn.query_row(&live_person_by_id(), [id], person_row).optional()?)
}

fn person_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Individual> {
    Ok(Individual {
        id: i64::from(ListIds::n(r.get(0)?)),
        external_id: r.get(1)?,
        full_name: r.get(2)?,
        email: r.get(3)?,
        phone: r.get(4)?,
        address1: r.get(5)?,
        address2: r.get(6)?,
        city: r.get(7)?,
        region: r.get(8)?,
        postal_code: r.get(9)?,
        country: r.get(10)?,
        dob: r.get(11)?,
        residence: r.get(12)?,
        residence_source: r.get(13)?,
        minor: r.get(14)?,
        deceased: r.get(15)?,
        guardian: r.get(16)?,
        no_postal: r.get(17)?,
        no_email: r.get(18)?,
        data_elements: normalize::element_names(r.get(19)?)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        batch_id: r.get(20)?,
        source_row: r.get(21)?,
        residence_conflict: r.get(22)?,
        email_consent: r.get(23)?,
        addressee: String::new(),
    })
    .map(|mut p: Individual| {
        p.addressee = addressee(&p);
        p
    })
}

/// To whom this person's notice is addressed: a minor's goes to a parent or guardian, a deceased
/// person's to the next of kin (the letter still names the person it is about).
#[must_use]
pub fn addressee(p: &Individual) -> String {
    if p.deceased {
        format!("Next of kin of {}", p.full_name)
    } else if p.minor {
        p.guardian.as_ref().map_or_else(
            || format!("Parent or guardian of {}", p.full_name),
            |g| format!("{g} (parent or guardian of {})", p.full_name),
        )
    } else {
        p.full_name.clone()
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The first rows of a file as read, with the mapping detected from its header: the import
/// wizard's preview (nothing is checked or written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FilePreview {
    pub file_name: String,
    pub format: String,
    pub encoding: String,
    pub delimiter: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub mapping: Mapping,
    /// Every field a column can be mapped to.
    pub fields: Vec<String>,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Reads the header and up to `n` rows of a file.
///
/// # Errors
/// As [`read::Rows::open`].
pub fn preview_file(path: &Path, n: usize) -> Result<FilePreview> {
    let mut r = read::Rows::open(path)?;
    let mut rows = Vec::new();
    while rows.len() < n {
        match r.next_row() {
            None => break,
            Some(Ok(row)) => rows.push(row),
            Some(Err(_)) => {}
        }
    }
    r.finish()?;
    Ok(FilePreview {
        file_name: path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        format: r.format.kind.into(),
        encoding: r.format.encoding.into(),
        delimiter: r.format.delimiter.map(|d| if d == '\t' { "tab".into() } else { d.to_string() }),
        mapping: Mapping::detect(&r.header),
        header: r.header,
        rows,
        fields: mapping::FIELDS.iter().map(|f| (*f).to_owned()).collect(),
        bytes: r.format.bytes,
    })
}

/// Which individuals to show, in what order (the table pages through the core, never loading the list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct PageQuery {
    #[ts(type = "number")]
    pub offset: u64,
    pub limit: u32,
    /// name | residence | postal_code | source (import order)
    pub sort: String,
    /// A residence code, or "" for undetermined.
    pub residence: Option<String>,
    /// minor | deceased | undeliverable | conflict (state column and ZIP disagree)
    pub flag: Option<String>,
}

/// One page of individuals and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Page {
    #[ts(type = "number")]
    pub total: i64,
    pub rows: Vec<Individual>,
}

/// From this many people on a list, the table's pages come from an order computed once per sort
/// and filter and kept in memory: SQL `OFFSET` deep into a million rows walks every row before it
/// (measured: 10–26 s for a page in the middle), a slice of the order does not.
const ORDER_IN_MEMORY_FROM: i64 = 20_000;

/// Rows from the top of a list that an indexed sort serves straight from SQL.
const NEAR_TOP: i64 = 5_000;

/// One list's ids in the table's order, for one sort and filter, valid while no list changes (the
/// list generation, bumped by import, rollback and merge; the audit head for other processes,
/// such as the CLI importing while the app is open).
#[derive(Debug)]
pub(crate) struct PageOrder {
    key: (String, String, String, String, u64, i64),
    ids: Vec<i64>,
}

impl Breachdesk {
    /// The ids of an incident's list (list 0 when nothing was ever imported: no record has them).
    pub(crate) fn list_ids(&self, incident_uuid: &str) -> Result<ListIds> {
        let list = self
            .read()?
            .query_row(
                "SELECT list FROM individual_lists WHERE incident_id = ?1",
                [incident_uuid],
                |r| r.get(0),
            )
            .optional()?;
        Ok(ListIds(list.unwrap_or(0)))
    }

    /// Marks every list as changed (the table's kept order is rebuilt on its next page).
    pub(crate) fn list_changed(&self) {
        self.list_generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    #[allow(clippy::too_many_arguments)]
    fn page_from_order(
        &self,
        incident: &str,
        ids: ListIds,
        q: &PageQuery,
        filter: &str,
        residence: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Page> {
        let conn = self.read()?;
        // The audit head names the store's state across connections and processes (every write
        // appends to the log; `data_version` is per connection, and reads use several).
        let version: i64 =
            conn.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |x| x.get(0))?;
        let key = (
            incident.to_owned(),
            q.sort.clone(),
            q.flag.clone().unwrap_or_default(),
            q.residence.clone().map_or_else(|| "*".to_owned(), |r| format!("={r}")),
            self.list_generation.load(std::sync::atomic::Ordering::SeqCst),
            version,
        );
        let mut cache = self
            .page_order
            .lock()
            .map_err(|_| Error::Internal("page order lock poisoned".into()))?;
        if cache.as_ref().is_none_or(|c| c.key != key) {
            *cache = None; // free the old order before building the new one
                           // One sequential pass over the list's range of the table, then the sort in memory.
                           // Only the sort key is read: NULL sorts first as in SQL (no stored key is empty).
            let sort_key = match q.sort.as_str() {
                "residence" => "coalesce(residence, '') || char(0) || name_key",
                "postal_code" => "coalesce(postal_code, '')",
                "source" => "''",
                _ => "name_key",
            };
            let sql = format!("SELECT {sort_key}, id FROM individuals WHERE {filter}");
            let mut stmt = conn.prepare(&sql)?;
            let row = |x: &rusqlite::Row<'_>| Ok((x.get::<_, String>(0)?, x.get::<_, i64>(1)?));
            let mut all: Vec<(String, i64)> = if q.residence.is_some() {
                stmt.query_map(params![ids.lo(), ids.hi(), residence], row)?
                    .collect::<rusqlite::Result<_>>()?
            } else {
                stmt.query_map(params![ids.lo(), ids.hi()], row)?
                    .collect::<rusqlite::Result<_>>()?
            };
            all.sort_unstable();
            *cache = Some(PageOrder { key, ids: all.into_iter().map(|a| a.1).collect() });
        }
        let ids = cache.as_ref().map(|c| c.ids.as_slice()).unwrap_or_default();
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(ids.len());
        let page = &ids[start..(start + usize::try_from(limit).unwrap_or(0)).min(ids.len())];
        let total = i64::try_from(ids.len()).unwrap_or(i64::MAX);
        if page.is_empty() {
            return Ok(Page { total, rows: Vec::new() });
        }
        let list = page.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let mut stmt = conn.prepare(&format!("{SELECT_PERSON} WHERE id IN ({list})"))?;
        let mut found: HashMap<i64, Individual> = stmt
            .query_map([], person_row)?
            .map(|p| p.map(|p| (p.id, p)))
            .collect::<rusqlite::Result<_>>()?;
        Ok(Page {
            total,
            rows: page.iter().filter_map(|&id| found.remove(&i64::from(ListIds::n(id)))).collect(),
        })
    }

    /// A page near the top of the list in the order of one of its search-index fields: the index's
    /// entries from the start, each record fetched by id, merged duplicates skipped.
    fn page_from_index(
        &self,
        list: ListIds,
        field: usize,
        total: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Page> {
        let conn = self.read()?;
        let mut fetch = conn.prepare_cached(&live_person_by_id())?;
        let (mut skip, mut rows) = (offset, Vec::new());
        search::scan(&conn, list, field, "", &mut |id| {
            if let Some(p) = fetch.query_row([id], person_row).optional()? {
                if skip > 0 {
                    skip -= 1;
                } else {
                    rows.push(p);
                }
            }
            Ok(i64::try_from(rows.len()).unwrap_or(i64::MAX) < limit)
        })?;
        Ok(Page { total, rows })
    }

    /// A page of the incident's individuals (merged duplicates left out).
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] on `sort` or `flag`.
    pub fn individuals_page(&self, incident_id: &str, q: &PageQuery) -> Result<Page> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        let order = match q.sort.as_str() {
            "" | "name" => "name_key, id",
            "residence" => "residence, name_key, id",
            "postal_code" => "postal_code, id",
            "source" => "id",
            other => {
                return Err(Error::validation(
                    "sort",
                    format!("{other:?} is not a sort (name, residence, postal_code, source)"),
                ))
            }
        };
        let mut filter = String::from("id BETWEEN ?1 AND ?2 AND merged_into IS NULL");
        let ids = self.list_ids(&inc.id)?;
        match q.flag.as_deref() {
            None | Some("") => {}
            Some("minor") => filter.push_str(" AND minor = 1"),
            Some("deceased") => filter.push_str(" AND deceased = 1"),
            Some("undeliverable") => filter.push_str(" AND no_postal = 1 AND no_email = 1"),
            Some("conflict") => filter.push_str(" AND residence_conflict = 1"),
            Some(other) => {
                return Err(Error::validation(
                    "flag",
                    format!("{other:?} is not a flag (minor, deceased, undeliverable, conflict)"),
                ))
            }
        }
        let residence = q.residence.clone();
        match residence.as_deref() {
            None => {}
            Some("") => filter.push_str(" AND residence IS NULL AND ?3 = ?3"),
            Some(_) => filter.push_str(" AND residence = ?3"),
        }
        let r = residence.unwrap_or_default();
        let limit = i64::from(q.limit.clamp(1, 500));
        let offset = to_i64(q.offset);
        let list_size: i64 =
            conn.query_row("SELECT coalesce((SELECT n FROM individual_counts WHERE incident_id = ?1 AND bucket = '#total'), 0)", [&inc.id], |x| x.get(0))?;
        // Near the top of an unfiltered sort that the search index keeps (name, ZIP code), the
        // index is already in order and needs no order in memory: a large list opens at once, and
        // the order is built on the first deep jump.
        let near_top = offset + limit <= NEAR_TOP
            && q.residence.is_none()
            && q.flag.as_deref().unwrap_or("").is_empty()
            && matches!(q.sort.as_str(), "" | "name" | "postal_code");
        if list_size >= ORDER_IN_MEMORY_FROM {
            if near_top {
                let field = if q.sort == "postal_code" { search::POSTAL } else { search::NAME };
                return self.page_from_index(ids, field, list_size, offset, limit);
            }
            return self.page_from_order(&inc.id, ids, q, &filter, &r, offset, limit);
        }
        let total: i64 = if q.flag.as_deref().unwrap_or("").is_empty() {
            let bucket = if q.residence.is_some() { r.clone() } else { "#total".into() };
            conn.query_row("SELECT coalesce((SELECT n FROM individual_counts WHERE incident_id = ?1 AND bucket = ?2), 0)", params![inc.id, bucket], |x| x.get(0))?
        } else {
            let sql = format!("SELECT count(*) FROM individuals WHERE {filter}");
            if q.residence.is_some() {
                conn.query_row(&sql, params![ids.lo(), ids.hi(), r], |x| x.get(0))?
            } else {
                conn.query_row(&sql, params![ids.lo(), ids.hi()], |x| x.get(0))?
            }
        };
        let sql = format!(
            "{SELECT_PERSON} WHERE {filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = if q.residence.is_some() {
            stmt.query_map(params![ids.lo(), ids.hi(), r], person_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            stmt.query_map(params![ids.lo(), ids.hi()], person_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        Ok(Page { total, rows })
    }
}

/// How many of one state's affected residents its breach law covers, given what was exposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct StateCoverage {
    pub jurisdiction: String,
    #[ts(type = "number")]
    pub residents: u64,
    #[ts(type = "number")]
    pub covered: u64,
    /// The state's definition of personal information (empty when none is encoded: everyone counts).
    pub citation: String,
    pub source_url: String,
    /// high | medium | low | "" (no definition encoded)
    /// Empty when the state's definition is not encoded (everyone counts).
    #[ts(type = "Confidence | \"\"")]
    pub confidence: String,
    pub covered_elements: Vec<String>,
    pub why: String,
}

impl Breachdesk {
    /// For each US state with affected residents: how many its law covers, by its definition of
    /// personal information and the data elements each person had exposed.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn state_coverage(&self, incident_id: &str) -> Result<Vec<StateCoverage>> {
        let inc = self.incident_row(incident_id)?;
        let facts = self.stored_facts(&inc.id)?;
        let f = facts
            .raw(&inc, &std::collections::BTreeMap::new())
            .check()
            .map_err(|e| Error::Validation { field: e.field, message: e.message })?;
        let rules = crate::obligations::rules()?;
        let mut out = Vec::new();
        for file in rules.files.iter().filter(|r| {
            r.regime == breachdesk_rules::schema::Regime::State && f.count(&r.jurisdiction) > 0
        }) {
            let c = breachdesk_rules::engine::coverage(file, &f);
            let cd = file.covered_data.as_ref();
            out.push(StateCoverage {
                jurisdiction: file.jurisdiction.clone(),
                residents: c.residents,
                covered: c.covered,
                citation: cd
                    .map(breachdesk_rules::schema::CoveredData::citation_text)
                    .unwrap_or_default(),
                source_url: cd
                    .and_then(|d| d.citations.first())
                    .map(|c| c.url.clone())
                    .unwrap_or_default(),
                confidence: cd
                    .map(|d| format!("{:?}", d.confidence).to_lowercase())
                    .unwrap_or_default(),
                covered_elements: cd
                    .map(|d| d.with_name.iter().chain(&d.alone).cloned().collect())
                    .unwrap_or_default(),
                why: c.why.trim().to_owned(),
            });
        }
        out.sort_by(|a, b| {
            b.residents.cmp(&a.residents).then_with(|| a.jurisdiction.cmp(&b.jurisdiction))
        });
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{error_report_csv, RowError};

    #[test]
    fn the_error_report_is_csv_that_runs_no_formula() {
        let errors = [
            RowError {
                row: 3,
                column: "E-mail".into(),
                reason: "not an e-mail address (no @)".into(),
            },
            RowError {
                row: 9,
                column: "=HYPERLINK(\"x\")".into(),
                reason: "no name, \"really\"".into(),
            },
        ];
        assert_eq!(
            error_report_csv(&errors),
            "row,column,reason\n3,E-mail,not an e-mail address (no @)\n9,\"'=HYPERLINK(\"\"x\"\")\",\"no name, \"\"really\"\"\"\n"
        );
    }
}
