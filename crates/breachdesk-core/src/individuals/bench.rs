//! The import benchmark: a generated file imported into a fresh encrypted store, against a bare
//! baseline measured in the same run on the same machine — the same rows read with the same CSV
//! reader and inserted with one prepared INSERT into a SQLCipher table inside one transaction (no
//! validation, normalisation, de-duplication or indexes). Then counts and searches over the result.
//! Figures are printed, never asserted: speed is a benchmark, not a test.
//!
//! Import and baseline run in turns (import, baseline, import, baseline, …) and the medians are
//! compared: on a shared two-core machine one run of either can be a third slower than the next.

use super::generate::{write_csv, Spec};
use super::ImportOptions;
use crate::store::Store;
use crate::{Breachdesk, Ctx, DbKey, Error, KeySetup, MemoryKeyring, Result};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::time::{Duration, Instant};

/// What the benchmark measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    pub rows: u64,
    pub file_mb: f64,
    /// Each turn's (import, baseline) seconds.
    pub turns: Vec<(f64, f64)>,
    /// The median of the turns' baselines.
    pub baseline_s: f64,
    /// The bare baseline plus four indexes (first and last name, last name, e-mail, ZIP) built
    /// on the bare table: what searchable rows cost through SQLite's indexes (the import's own
    /// search index replaced them in schema 8).
    pub indexed_baseline_s: f64,
    /// The median of the turns' imports.
    pub import_s: f64,
    /// Median import ÷ median baseline.
    pub ratio: f64,
    pub rows_per_s: f64,
    /// Peak resident memory of this process (VmHWM), in MB, after the first import (which runs
    /// first).
    pub peak_rss_mb: Option<f64>,
    /// The same rows as an XLSX workbook (every text cell its own shared string), imported once
    /// before the turns: its size, seconds and peak memory (VmHWM reset before it).
    pub xlsx_file_mb: f64,
    pub xlsx_import_s: f64,
    pub xlsx_peak_rss_mb: Option<f64>,
    pub counts_ms: f64,
    /// (query, median ms, hits)
    pub searches: Vec<(String, f64, usize)>,
    /// (table page asked for, median ms): the virtualised table's requests.
    pub pages: Vec<(String, f64)>,
}

pub(crate) fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Resets this process's peak-memory mark to its current size (Linux: `clear_refs` 5).
pub(crate) fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn median_ms(mut f: impl FnMut() -> Result<usize>) -> Result<(f64, usize)> {
    let mut times = Vec::new();
    let mut hits = 0;
    for _ in 0..21 {
        let t = Instant::now();
        hits = f()?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok((times[times.len() / 2].as_secs_f64() * 1000.0, hits))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// One import of `file` into a fresh data directory `data`: the seconds it took.
fn import_once(
    data: &Path,
    file: &Path,
    now: DateTime<Utc>,
    say: &mut dyn FnMut(&str),
) -> Result<(Breachdesk, String, f64)> {
    let ring = MemoryKeyring::default();
    let bd = Breachdesk::init(data, &KeySetup::Keyring, &ring, Some("Bench"), now)?;
    let ctx = Ctx::new("Bench", now)?;
    let inc = bd.create_incident(
        &ctx,
        &crate::incident::NewIncident {
            title: "Benchmark".into(),
            severity: "SEV-1".into(),
            timezone: "America/New_York".into(),
            detected_at: "2026-03-02T10:00".into(),
            ..Default::default()
        },
    )?;
    let t = Instant::now();
    let mut last = Instant::now();
    let report = bd.import_individuals(
        &ctx,
        &inc.id,
        file,
        &ImportOptions { skip_invalid: true, ..ImportOptions::default() },
        &mut |p| {
            if last.elapsed() > Duration::from_secs(5) {
                last = Instant::now();
                say(&format!("  … {} rows", p.rows));
            }
            true
        },
    )?;
    let took = t.elapsed().as_secs_f64();
    if report.imported == 0 {
        return Err(Error::Internal("the benchmark imported nothing".into()));
    }
    Ok((bd, inc.id, took))
}

/// The bare baseline: the file's rows inserted into a new SQLCipher table with one prepared
/// INSERT in one transaction. The store (for the index figure) and the seconds it took.
fn baseline_once(db: &Path, file: &Path, now: DateTime<Utc>) -> Result<(Store, f64)> {
    let mut store = Store::create(db, &DbKey::generate()?, now)?;
    let t = Instant::now();
    let tx = store.conn.transaction()?;
    tx.execute_batch(
        "CREATE TABLE people (c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12)",
    )?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO people VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(file)
            .map_err(|e| Error::Internal(e.to_string()))?;
        let mut rec = csv::StringRecord::new();
        while reader.read_record(&mut rec).map_err(|e| Error::Internal(e.to_string()))? {
            insert.execute(rusqlite::params_from_iter(rec.iter()))?;
        }
    }
    tx.commit()?;
    Ok((store, t.elapsed().as_secs_f64()))
}

/// Runs the benchmark in `dir` (which it fills with a generated file and its databases): `turns`
/// turns of import then baseline (at least one).
///
/// # Errors
/// I/O and database errors.
pub fn run(
    dir: &Path,
    rows: u64,
    turns: u32,
    now: DateTime<Utc>,
    say: &mut dyn FnMut(&str),
) -> Result<BenchReport> {
    let io = |source| Error::Io { path: dir.to_owned(), source };
    let file = dir.join("people.csv");
    say(&format!("generating {rows} rows …"));
    {
        let mut out =
            std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&file).map_err(io)?);
        write_csv(Spec { rows, bad_rate: 0.0, seed: 42 }, &mut out).map_err(io)?;
        std::io::Write::flush(&mut out).map_err(io)?;
    }
    #[allow(clippy::cast_precision_loss)]
    let file_mb = std::fs::metadata(&file).map_err(io)?.len() as f64 / 1_048_576.0;

    // The XLSX import first, in a process that has not yet imported anything.
    let xlsx = dir.join("people.xlsx");
    say("writing the same rows as XLSX …");
    super::generate::csv_to_xlsx(&file, &xlsx).map_err(io)?;
    #[allow(clippy::cast_precision_loss)]
    let xlsx_file_mb = std::fs::metadata(&xlsx).map_err(io)?.len() as f64 / 1_048_576.0;
    say("XLSX import …");
    reset_peak();
    let (bd, _, xlsx_import_s) = import_once(&dir.join("data-xlsx"), &xlsx, now, say)?;
    let xlsx_peak_rss_mb = peak_rss_mb();
    drop(bd);
    let _ = std::fs::remove_dir_all(dir.join("data-xlsx"));
    say(&format!(
        "XLSX import {xlsx_import_s:.2} s, peak {:.0} MB",
        xlsx_peak_rss_mb.unwrap_or(0.0)
    ));

    let mut times = Vec::new();
    let mut peak = None;
    let mut kept = None;
    for turn in 1..=turns.max(1) {
        // A turn's databases replace the last turn's (a million rows take ~400 MB of disk).
        drop(kept.take());
        for old in ["data", "baseline.db", "baseline.db-wal", "baseline.db-shm"] {
            let p = dir.join(old);
            let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
        }
        say(&format!("turn {turn}: import (validation, normalisation, de-duplication, search index, counts, obligations) …"));
        if turn == 1 {
            reset_peak();
        }
        let (bd, incident, import) = import_once(&dir.join("data"), &file, now, say)?;
        // The first import runs before any baseline: its peak memory is its own (SQLite's
        // allocator keeps what the baseline's index sorts used).
        peak = peak.or_else(peak_rss_mb);
        say(&format!("turn {turn}: baseline (prepared INSERTs into a bare SQLCipher table, one transaction) …"));
        let (store, baseline) = baseline_once(&dir.join("baseline.db"), &file, now)?;
        say(&format!(
            "turn {turn}: import {import:.2} s, baseline {baseline:.2} s ({:.2}x)",
            import / baseline
        ));
        times.push((import, baseline));
        kept = Some((bd, incident, store));
    }
    let (bd, inc_id, store) = kept.ok_or_else(|| Error::Internal("no turn ran".into()))?;
    say(
        "the last baseline + the same four indexes (first and last name, last name, e-mail, ZIP) …",
    );
    let indexes = {
        let t = Instant::now();
        store.conn.execute_batch(
            "PRAGMA threads = 2; BEGIN; CREATE INDEX p_name ON people (c1, c2); CREATE INDEX p_last ON people (c2);
             CREATE INDEX p_email ON people (c8); CREATE INDEX p_zip ON people (c6); COMMIT;",
        )?;
        t.elapsed()
    };
    drop(store);
    let import_s = median(times.iter().map(|t| t.0).collect());
    let baseline_s = median(times.iter().map(|t| t.1).collect());
    let last_baseline = times.last().map_or(0.0, |t| t.1);
    let (counts_ms, _) = median_ms(|| Ok(bd.individual_counts(&inc_id)?.by_residence.len()))?;
    // The table's requests: the first page of a sort (from SQL), a jump to the middle (the first
    // deep page orders the list in memory, once per sort and filter; residence sorts order at
    // once), then the last page (a slice of that order).
    let mut pages = Vec::new();
    let total = u64::try_from(bd.individual_counts(&inc_id)?.total).unwrap_or(0);
    for sort in ["name", "residence", "source"] {
        for (label, at) in
            [("first page", 0), ("middle", total / 2), ("last page", total.saturating_sub(200))]
        {
            let q = super::PageQuery {
                offset: at,
                limit: 200,
                sort: sort.into(),
                ..Default::default()
            };
            let t = Instant::now();
            bd.individuals_page(&inc_id, &q)?;
            pages.push((format!("{sort}, {label}"), t.elapsed().as_secs_f64() * 1000.0));
        }
    }
    let mut searches = Vec::new();
    for q in ["garc", "müller", "jose.garcia1", "981", "Nguyễn"] {
        let (ms, hits) = median_ms(|| Ok(bd.search_individuals(&inc_id, q, 100)?.len()))?;
        searches.push((q.to_owned(), ms, hits));
    }
    #[allow(clippy::cast_precision_loss)]
    let rows_per_s = rows as f64 / import_s;
    Ok(BenchReport {
        rows,
        file_mb,
        turns: times,
        baseline_s,
        indexed_baseline_s: last_baseline + indexes.as_secs_f64(),
        import_s,
        ratio: import_s / baseline_s,
        rows_per_s,
        peak_rss_mb: peak,
        xlsx_file_mb,
        xlsx_import_s,
        xlsx_peak_rss_mb,
        counts_ms,
        searches,
        pages,
    })
}
