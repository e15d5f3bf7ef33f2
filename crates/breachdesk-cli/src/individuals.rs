//! `breachdesk individuals …` and `breachdesk bench import`.

use crate::{output, Failure};
use breachdesk_core::individuals::mapping::Mapping;
use breachdesk_core::individuals::{spreadsheet_safe, ImportOptions, ImportReport, Individual};
use breachdesk_core::{Breachdesk, Ctx, Error};
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum IndividualsCmd {
    /// Import a CSV or XLSX file. Invalid rows stop the import unless --skip-invalid.
    Import {
        incident: String,
        file: PathBuf,
        /// JSON {"columns": {"first_name": "Given Name", …}}; detected from the header when absent.
        #[arg(long, conflicts_with = "use_mapping")]
        mapping: Option<PathBuf>,
        /// Use a mapping saved earlier under this name.
        #[arg(long)]
        use_mapping: Option<String>,
        /// Save the mapping used under this name (when the import succeeds).
        #[arg(long)]
        save_mapping: Option<String>,
        /// Read and check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the valid rows and leave out the invalid ones.
        #[arg(long)]
        skip_invalid: bool,
        /// Write every row error (row, column, reason) to this CSV.
        #[arg(long)]
        errors: Option<PathBuf>,
    },
    /// Counts by residence, flags and data elements.
    Counts { incident: String },
    /// For each state with affected residents: how many its law covers, by its definition of
    /// personal information and what each person had exposed.
    Coverage { incident: String },
    /// Find people by the start of a name, last name, e-mail address or ZIP code.
    Search {
        incident: String,
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Write the list (merged duplicates left out).
    Export {
        incident: String,
        #[arg(long, default_value = "csv")]
        format: String,
        /// Output file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// The imports of an incident.
    Batches { incident: String },
    /// The saved column mappings.
    Mappings,
    /// Roll back an import whole (newest first).
    Rollback { incident: String, batch: String },
    /// The review queue of probable duplicates (same name and date of birth, or same e-mail).
    Duplicates {
        incident: String,
        /// Look for new pairs first.
        #[arg(long)]
        scan: bool,
        /// Include the pairs already decided.
        #[arg(long)]
        all: bool,
    },
    /// Merge a probable duplicate pair (the later record stops counting; both stay on record).
    Merge { incident: String, pair: i64 },
    /// Keep a probable duplicate pair apart.
    Distinct { incident: String, pair: i64 },
    /// Write a realistic test file of invented people (no data directory needed).
    Generate {
        #[arg(long, default_value_t = 1000)]
        rows: u64,
        /// Share of rows with a defect, 0 to 1.
        #[arg(long, default_value_t = 0.0)]
        bad_rate: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum BenchCmd {
    /// Import a generated file against a bare SQLCipher baseline; counts and search times.
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Turns of import then baseline; the medians are compared.
        #[arg(long, default_value_t = 3)]
        turns: u32,
        /// Working folder (default: a temporary one, removed afterwards).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Merge generated one-page letters into print files, against the plain printpdf page loop.
    Letters {
        #[arg(long, default_value_t = 100_000)]
        rows: u64,
        /// Working folder (default: a temporary one, removed afterwards).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Failure + '_ {
    move |source| Failure(Error::Io { path: path.to_owned(), source })
}

pub fn generate(rows: u64, bad_rate: f64, seed: u64, output: Option<&Path>) -> Result<(), Failure> {
    use breachdesk_core::individuals::generate::{write_csv, Spec};
    if !(0.0..=1.0).contains(&bad_rate) {
        return Err(Failure(Error::Validation {
            field: "bad-rate".into(),
            message: "must be between 0 and 1".into(),
        }));
    }
    let spec = Spec { rows, bad_rate, seed };
    match output {
        Some(p) => {
            let mut w = std::io::BufWriter::new(std::fs::File::create(p).map_err(io(p))?);
            write_csv(spec, &mut w).and_then(|()| w.flush()).map_err(io(p))
        }
        None => write_csv(spec, &mut std::io::stdout().lock()).map_err(io(Path::new("<stdout>"))),
    }
}

pub fn bench(as_json: bool, b: &BenchCmd) -> Result<(), Failure> {
    let (rows, turns, dir) = match b {
        BenchCmd::Import { rows, turns, dir } => (rows, turns, dir),
        BenchCmd::Letters { rows, dir } => return bench_letters(as_json, *rows, dir.as_deref()),
    };
    let tmp;
    let dir = match dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(io(d))?;
            d.clone()
        }
        None => {
            tmp = tempfile::tempdir().map_err(io(Path::new("<temp>")))?;
            tmp.path().to_owned()
        }
    };
    let r = breachdesk_core::individuals::bench::run(
        &dir,
        *rows,
        *turns,
        chrono::Utc::now(),
        &mut |s| eprintln!("{s}"),
    )?;
    if as_json {
        return crate::output::json_value(&r);
    }
    out!("rows                 {}", r.rows);
    out!("file                 {:.1} MB", r.file_mb);
    let each = |f: fn(&(f64, f64)) -> f64| {
        r.turns.iter().map(|t| format!("{:.2}", f(t))).collect::<Vec<_>>().join(", ")
    };
    out!(
        "baseline (bare)      {:.2} s  (median of {}: {} s)",
        r.baseline_s,
        r.turns.len(),
        each(|t| t.1)
    );
    out!(
        "import               {:.2} s  (median of {}: {} s; {:.0} rows/s)",
        r.import_s,
        r.turns.len(),
        each(|t| t.0),
        r.rows_per_s
    );
    out!(
        "ratio                {:.2}x  (target ≤ 2x; turn by turn: {})",
        r.ratio,
        each(|t| t.0 / t.1)
    );
    out!(
        "bare + 4 SQL indexes {:.2} s  (the last turn's baseline, then the same rows made searchable through SQLite indexes)",
        r.indexed_baseline_s
    );
    out!(
        "peak memory          {}",
        r.peak_rss_mb.map_or_else(|| "n/a".into(), |m| format!("{m:.0} MB  (target < 300 MB)"))
    );
    out!(
        "XLSX import          {:.2} s  ({:.1} MB workbook, every text cell a shared string; {:.2}x the CSV import; peak {})",
        r.xlsx_import_s,
        r.xlsx_file_mb,
        r.xlsx_import_s / r.import_s,
        r.xlsx_peak_rss_mb.map_or_else(|| "n/a".into(), |m| format!("{m:.0} MB, target < 500 MB"))
    );
    out!("counts by residence  {:.2} ms  (target < 50 ms)", r.counts_ms);
    for (q, ms, hits) in &r.searches {
        out!("search {:<14} {:.2} ms  ({hits} hits; target < 50 ms)", format!("{q:?}"), ms);
    }
    for (page, ms) in &r.pages {
        out!("table page: {page:<38} {ms:.1} ms  (200 rows)");
    }
    Ok(())
}

pub fn run(
    as_json: bool,
    bd: &mut Breachdesk,
    ctx: &Ctx,
    c: &IndividualsCmd,
) -> Result<(), Failure> {
    match c {
        IndividualsCmd::Import {
            incident,
            file,
            mapping,
            use_mapping,
            save_mapping,
            dry_run,
            skip_invalid,
            errors,
        } => {
            let mapping = match mapping {
                None if use_mapping.is_some() => {
                    Some(bd.mapping(use_mapping.as_deref().unwrap_or_default())?)
                }
                None => None,
                Some(p) => {
                    let text = breachdesk_core::files::read_small(p, "mapping")?;
                    Some(serde_json::from_str::<Mapping>(&text).map_err(|e| {
                        Failure(Error::Validation {
                            field: p.display().to_string(),
                            message: format!("not a mapping: {e}"),
                        })
                    })?)
                }
            };
            let options = ImportOptions { mapping, dry_run: *dry_run, skip_invalid: *skip_invalid };
            let report = bd.import_individuals(
                ctx,
                incident,
                file,
                &options,
                &mut output::progress("rows"),
            )?;
            output::progress_done();
            if let Some(path) = errors {
                write_errors(path, &report)?;
            }
            if let (Some(name), false) = (save_mapping, report.refused || report.dry_run) {
                bd.save_mapping(ctx, name, &report.mapping)?;
            }
            print_report(as_json, &report)?;
            if report.refused {
                return Err(Failure(Error::Validation {
                    field: file.display().to_string(),
                    message: format!(
                        "{} of {} rows are invalid: nothing was imported (fix them, or pass --skip-invalid to import the {} valid rows)",
                        report.rows_rejected, report.rows_read, report.rows_valid
                    ),
                }));
            }
            Ok(())
        }
        IndividualsCmd::Counts { incident } => {
            let c = bd.individual_counts(incident)?;
            if as_json {
                return crate::output::json_value(&c);
            }
            out!("{} individuals ({} duplicates merged)", c.total, c.merged);
            for (j, n) in &c.by_residence {
                out!("  {j:<8} {n}");
            }
            out!("  {:<8} {}", "unknown", c.undetermined);
            out!("minors {} · deceased {} · no postal address {} · no e-mail {} · neither (substitute notice) {}", c.minors, c.deceased, c.no_postal, c.no_email, c.undeliverable);
            if c.residence_conflicts > 0 {
                out!("state column and ZIP code disagree: {} (residence follows the state column; check these addresses)", c.residence_conflicts);
            }
            for (e, n) in &c.by_element {
                out!("  {e:<18} {n}");
            }
            Ok(())
        }
        IndividualsCmd::Coverage { incident } => {
            let rows = bd.state_coverage(incident)?;
            if as_json {
                return crate::output::json_value(&rows);
            }
            for r in &rows {
                let conf = if r.confidence.is_empty() {
                    "no definition encoded: all count".to_owned()
                } else {
                    format!("{} confidence", r.confidence)
                };
                out!(
                    "{:<8} {:>9} residents {:>9} covered   {} ({conf})",
                    r.jurisdiction,
                    r.residents,
                    r.covered,
                    r.citation
                );
            }
            if rows.is_empty() {
                out!("No US residents affected.");
            }
            Ok(())
        }
        IndividualsCmd::Search { incident, query, limit } => {
            let found = bd.search_individuals(incident, query, *limit)?;
            if as_json {
                return crate::output::json_value(&found);
            }
            for p in &found {
                out!(
                    "{:<8} {:<32} {:<32} {:<8} {}",
                    p.id,
                    p.full_name,
                    p.email.as_deref().unwrap_or(""),
                    p.residence.as_deref().unwrap_or("?"),
                    p.postal_code.as_deref().unwrap_or("")
                );
            }
            if found.is_empty() {
                out!("No one matches.");
            }
            Ok(())
        }
        IndividualsCmd::Export { incident, format, output } => {
            if format != "csv" {
                return Err(Failure(Error::Validation {
                    field: "format".into(),
                    message: format!("{format:?} is not a format (csv)"),
                }));
            }
            match output {
                Some(p) => {
                    // Through a private temporary file beside the target, removed on any error.
                    let file = breachdesk_core::files::AtomicFile::create(p)?;
                    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
                    export(bd, incident, &mut w)?;
                    let file = w
                        .into_inner()
                        .map_err(|e| Failure(breachdesk_core::files::disk(p, e.into_error())))?
                        .into_inner()
                        .map_err(|e| Failure(breachdesk_core::files::disk(p, e.into_error())))?;
                    Ok(file.commit()?)
                }
                None if std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
                    // On a terminal, each line through the escaping printer: a name holding an
                    // escape sequence is shown, never obeyed.
                    let mut w = csv::Writer::from_writer(Vec::new());
                    export(bd, incident, &mut w)?;
                    let bytes = w
                        .into_inner()
                        .map_err(|e| Failure(Error::Internal(format!("export: {e}"))))?;
                    for line in String::from_utf8_lossy(&bytes).lines() {
                        out!("{line}");
                    }
                    Ok(())
                }
                None => {
                    let mut w = csv::Writer::from_writer(std::io::stdout().lock());
                    export(bd, incident, &mut w)?;
                    w.flush().map_err(io(Path::new("<stdout>")))
                }
            }
        }
        IndividualsCmd::Batches { incident } => {
            let batches = bd.import_batches(incident)?;
            if as_json {
                return crate::output::json_value(&batches);
            }
            for b in &batches {
                let state = b.rolled_back_at.as_ref().map_or_else(String::new, |t| {
                    format!("  ROLLED BACK {t} by {}", b.rolled_back_by.as_deref().unwrap_or(""))
                });
                out!(
                    "{:<3} {:<28} {} read, {} imported, {} merged, {} rejected  {} by {}{state}",
                    b.seq,
                    b.file_name,
                    b.rows_read,
                    b.rows_imported,
                    b.rows_merged,
                    b.rows_rejected,
                    b.imported_at,
                    b.imported_by
                );
            }
            if batches.is_empty() {
                out!("No imports yet.");
            }
            Ok(())
        }
        IndividualsCmd::Rollback { incident, batch } => {
            let changes = bd.rollback_import(ctx, incident, batch)?;
            crate::output::changes(as_json, &changes, false)
        }
        IndividualsCmd::Duplicates { incident, scan, all } => {
            if *scan {
                let r = bd.scan_duplicates(ctx, incident)?;
                if !as_json {
                    out!(
                        "{} new pairs · {} waiting · {} groups too large to pair",
                        r.new_pairs,
                        r.waiting,
                        r.oversized_groups
                    );
                }
            }
            let queue = bd.duplicate_queue(incident, *all, 200)?;
            if as_json {
                return crate::output::json_value(&queue);
            }
            for p in &queue {
                let why =
                    if p.reason == "email" { "same e-mail" } else { "same name and date of birth" };
                let state = p.decision.as_deref().map_or_else(String::new, |d| {
                    format!("  [{d} by {}]", p.decided_by.as_deref().unwrap_or(""))
                });
                out!("pair {:<6} {why}{state}", p.id);
                for (tag, x) in [("first", &p.first), ("later", &p.later)] {
                    out!(
                        "  {tag:<6} #{:<8} {:<28} {:<30} {:<10} {}",
                        x.id,
                        x.full_name,
                        x.email.as_deref().unwrap_or(""),
                        x.dob.as_deref().unwrap_or(""),
                        x.residence.as_deref().unwrap_or("?")
                    );
                }
            }
            if queue.is_empty() {
                out!(
                    "No probable duplicates waiting{}.",
                    if *scan { "" } else { " (scan with --scan)" }
                );
            }
            Ok(())
        }
        IndividualsCmd::Merge { incident, pair } | IndividualsCmd::Distinct { incident, pair } => {
            let merge = matches!(c, IndividualsCmd::Merge { .. });
            let changes = bd.decide_duplicate(ctx, incident, *pair, merge)?;
            if !as_json {
                out!("Pair {pair}: {}.", if merge { "merged" } else { "kept apart" });
            }
            crate::output::changes(as_json, &changes, false)
        }
        IndividualsCmd::Mappings => {
            let list = bd.mappings()?;
            if as_json {
                return crate::output::json_value(&list);
            }
            for m in &list {
                out!("{}  (saved {} by {})", m.name, m.saved_at, m.saved_by);
                for (field, col) in &m.mapping.columns {
                    out!("  {field:<14} ← {col}");
                }
            }
            if list.is_empty() {
                out!("No saved mappings: import with --save-mapping NAME.");
            }
            Ok(())
        }
        IndividualsCmd::Generate { .. } => unreachable!("handled without a data directory"),
    }
}

fn export<W: Write>(
    bd: &Breachdesk,
    incident: &str,
    w: &mut csv::Writer<W>,
) -> Result<(), Failure> {
    let header = [
        "id",
        "external_id",
        "full_name",
        "email",
        "phone",
        "address1",
        "address2",
        "city",
        "state",
        "postal_code",
        "country",
        "dob",
        "residence",
        "residence_source",
        "residence_conflict",
        "minor",
        "deceased",
        "guardian",
        "addressee",
        "no_postal",
        "no_email",
        "data_elements",
    ];
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => breachdesk_core::files::disk(Path::new("<export>"), e),
        other => Error::Internal(format!("export: {other:?}")),
    };
    w.write_record(header).map_err(csv_err)?;
    bd.for_each_individual(incident, &mut |p: &Individual| {
        // Text cells a spreadsheet would run as formulas are defused.
        let o = |v: &Option<String>| spreadsheet_safe(v.as_deref().unwrap_or_default());
        let b = |v: bool| if v { "yes".to_owned() } else { String::new() };
        w.write_record([
            p.id.to_string(),
            o(&p.external_id),
            spreadsheet_safe(&p.full_name),
            o(&p.email),
            o(&p.phone),
            o(&p.address1),
            o(&p.address2),
            o(&p.city),
            o(&p.region),
            o(&p.postal_code),
            o(&p.country),
            o(&p.dob),
            o(&p.residence),
            o(&p.residence_source),
            b(p.residence_conflict),
            b(p.minor),
            b(p.deceased),
            o(&p.guardian),
            spreadsheet_safe(&p.addressee),
            b(p.no_postal),
            b(p.no_email),
            p.data_elements.join(";"),
        ])
        .map_err(csv_err)
    })?;
    Ok(())
}

fn write_errors(path: &Path, r: &ImportReport) -> Result<(), Failure> {
    Ok(breachdesk_core::files::AtomicFile::write_all(
        path,
        breachdesk_core::individuals::error_report_csv(&r.errors).as_bytes(),
    )?)
}

fn print_report(as_json: bool, r: &ImportReport) -> Result<(), Failure> {
    if as_json {
        return crate::output::json_value(r);
    }
    let delim = r.delimiter.as_deref().map_or_else(String::new, |d| format!(", delimiter {d}"));
    let verb = if r.dry_run || r.refused { "would import" } else { "imported" };
    out!("{}: {} ({}{delim})", r.file_name, r.format, r.encoding);
    out!(
        "{} rows read · {} valid · {} rejected · {verb} {} new · {} duplicates merged",
        r.rows_read,
        r.rows_valid,
        r.rows_rejected,
        r.imported,
        r.merged
    );
    for (field, col) in &r.mapping.columns {
        out!("  {field:<14} ← {col}");
    }
    for e in r.errors.iter().take(20) {
        out!(
            "  row {}: {}{}",
            e.row,
            if e.column.is_empty() { String::new() } else { format!("{}: ", e.column) },
            e.reason
        );
    }
    if r.error_count > 20 {
        out!("  … and {} more (--errors FILE writes them all)", r.error_count - 20);
    }
    for c in &r.changes {
        out!("{}", c.message);
    }
    Ok(())
}

fn bench_letters(as_json: bool, rows: u64, dir: Option<&Path>) -> Result<(), Failure> {
    let tmp;
    let dir = match dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(io(d))?;
            d.to_owned()
        }
        None => {
            tmp = tempfile::tempdir().map_err(io(Path::new("<tmp>")))?;
            tmp.path().to_owned()
        }
    };
    let r = breachdesk_core::notices::bench::run(rows, &dir, &mut |s| eprintln!("{s}"))?;
    if as_json {
        return output::json_value(&r);
    }
    let mb = |m: Option<f64>| m.map_or_else(|| "n/a".to_owned(), |m| format!("{m:.0} MB"));
    out!("letters (Breachdesk merge): {} one-page letters in {:.2} s = {:.0} letters/s; {} files, {} pages, {:.0} MB; peak RSS {}", r.letters, r.seconds, r.letters_per_s, r.files, r.pages, r.bytes as f64 / 1e6, mb(r.peak_rss_mb));
    out!("baseline (plain printpdf loop, one document): {} letters in {:.2} s = {:.0} letters/s; peak RSS {}", r.baseline_letters, r.baseline_seconds, r.baseline_letters_per_s, mb(r.baseline_peak_rss_mb));
    out!("ratio: {:.2}x the baseline", r.ratio);
    Ok(())
}
