//! The tamper-evident audit log.
//!
//! Every user action appends a row (actor, UTC time, action, entity, before/after JSON) that
//! carries the hash of the row before it, so editing, inserting or removing a row breaks the chain
//! from that row on. Since schema 12 the chain also covers the **data**:
//!
//! * each row **commits to the rows its action wrote** (`rows_json`): for every row of a covered
//!   table that the transaction inserted, updated or deleted (as SQLite's update hook reports
//!   them), the row's SHA-256 and a short hash of each column; for a list of individuals, the
//!   digest of each import's records. [`verify`] recomputes every covered table's current rows
//!   and names each one that no longer matches its last commitment (table, row, column);
//! * rows are **keyed**: an HMAC under a key derived from the installation secret (kept with the
//!   database key), so a chain rewritten without that secret does not verify;
//! * **checkpoints** sign the head (sequence, hash, time) with the installation's Ed25519 key;
//!   a checkpoint kept elsewhere proves later that the chain still extends it.
//!
//! The first open after the upgrade writes a baseline row that commits to every row as found.

use crate::secret::InstallSecret;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The tables the audit log covers row by row. The individuals themselves are covered per import
/// (a digest of each import's records); their search index and counts are derived from them.
/// `reminders_sent` is not: a reminder shown changes nothing on record.
pub(crate) const COVERED: [&str; 21] = [
    "settings",
    "incidents",
    "timeline_entries",
    "incident_facts",
    "obligations",
    "obligation_decisions",
    "obligation_filings",
    "custom_obligations",
    "import_batches",
    "import_mappings",
    "duplicate_candidates",
    "individual_lists",
    "org_profile",
    "notice_narratives",
    "templates",
    "notices",
    "notice_renderings",
    "notice_events",
    "notice_proofs",
    "merge_runs",
    "merge_files",
];

/// One change to record.
pub(crate) struct Change {
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Rows written by the current transaction (table index in [`COVERED`], rowid), as SQLite's
/// update hook reports them.
#[derive(Debug, Default, Clone)]
pub(crate) struct Captured(Arc<Mutex<Vec<(u8, i64)>>>);

impl Captured {
    /// Registers the hook on `conn`.
    pub(crate) fn install(&self, conn: &mut Connection) -> Result<()> {
        let sink = Arc::clone(&self.0);
        conn.update_hook(Some(move |_action, _db: &str, table: &str, rowid: i64| {
            // The bulk of all writes (an import's rows) is not row-covered: leave at once.
            if table.starts_with("individual") && table != "individual_lists" {
                return;
            }
            if let Some(i) = COVERED.iter().position(|t| *t == table) {
                sink.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((u8::try_from(i).unwrap_or(u8::MAX), rowid));
            }
        }))?;
        Ok(())
    }

    /// Forgets what was captured (before a transaction starts, and after a rollback).
    pub(crate) fn clear(&self) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    fn take(&self) -> Vec<(u8, i64)> {
        let mut v =
            std::mem::take(&mut *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// An import's records, as committed: the id range, how many, and their digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BatchSeal {
    pub batch: String,
    pub first: i64,
    pub last: i64,
    pub count: i64,
    pub digest: String,
}

/// One row as an audit row commits to it: `[table, rowid, key, sha256 | null (deleted), [column
/// short hashes]]` (a tuple: stored as a JSON array).
type SealedRow = (String, i64, String, Option<String>, Vec<String>);

/// What an audit row commits to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Seal {
    rows: Vec<SealedRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    batches: Vec<BatchSeal>,
}

fn value_bytes(h: &mut Sha256, v: rusqlite::types::ValueRef<'_>) {
    use rusqlite::types::ValueRef as V;
    match v {
        V::Null => h.update(b"n"),
        V::Integer(i) => {
            h.update(b"i");
            h.update(i.to_le_bytes());
        }
        V::Real(f) => {
            h.update(b"r");
            h.update(f.to_bits().to_le_bytes());
        }
        V::Text(t) => {
            h.update(b"t");
            h.update((t.len() as u64).to_le_bytes());
            h.update(t);
        }
        V::Blob(b) => {
            h.update(b"b");
            h.update((b.len() as u64).to_le_bytes());
            h.update(b);
        }
    }
}

/// A row's SHA-256 over every column, and a short hash of each column (to name what changed).
fn row_digest(
    r: &rusqlite::Row<'_>,
    columns: usize,
    skip: Option<usize>,
) -> rusqlite::Result<(String, Vec<String>)> {
    let mut all = Sha256::new();
    let mut short = Vec::with_capacity(columns);
    for i in 0..columns {
        if Some(i) == skip {
            continue;
        }
        let v = r.get_ref(i)?;
        value_bytes(&mut all, v);
        let mut one = Sha256::new();
        value_bytes(&mut one, v);
        short.push(hex::encode(&one.finalize()[..4]));
    }
    Ok((hex::encode(all.finalize()), short))
}

/// The columns of a covered table, in order.
fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let stmt = conn.prepare(&format!("SELECT * FROM {table} LIMIT 0"))?;
    Ok(stmt.column_names().map(str::to_owned).collect())
}

/// The key a person knows a row by: its first column (the id), as text.
fn key_text(v: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef as V;
    match v {
        V::Integer(i) => i.to_string(),
        V::Text(t) => String::from_utf8_lossy(t).into_owned(),
        V::Real(f) => f.to_string(),
        V::Null => String::new(),
        V::Blob(b) => hex::encode(b),
    }
}

/// An import's digest, built row by row in id order: SHA-256 over each row's SHA-256 (hex), the
/// row's over every column but `merged_into` (which a review's merge changes). The import builds
/// it from the values it binds as it writes; `audit verify` from the rows as they are stored.
#[derive(Default)]
pub(crate) struct SealBuilder {
    all: Sha256,
    count: i64,
}

impl SealBuilder {
    pub(crate) fn add<'a>(&mut self, values: impl Iterator<Item = rusqlite::types::ValueRef<'a>>) {
        let mut one = Sha256::new();
        for v in values {
            value_bytes(&mut one, v);
        }
        let mut hex_digest = [0u8; 64];
        if hex::encode_to_slice(one.finalize(), &mut hex_digest).is_ok() {
            self.all.update(hex_digest);
        }
        self.count += 1;
    }

    pub(crate) fn finish(self, batch: &str, first: i64, last: i64) -> BatchSeal {
        BatchSeal {
            batch: batch.to_owned(),
            first,
            last,
            count: self.count,
            digest: hex::encode(self.all.finalize()),
        }
    }
}

/// The records of one import, as they stand: count and digest (see [`SealBuilder`]).
pub(crate) fn batch_seal(
    conn: &Connection,
    batch: &str,
    first: i64,
    last: i64,
) -> Result<BatchSeal> {
    let mut stmt =
        conn.prepare_cached("SELECT * FROM individuals WHERE id BETWEEN ?1 AND ?2 ORDER BY id")?;
    let n = stmt.column_count();
    let skip = stmt.column_names().position(|c| c == "merged_into");
    let mut rows = stmt.query(params![first, last])?;
    let mut seal = SealBuilder::default();
    while let Some(r) = rows.next()? {
        let values = (0..n)
            .filter(|i| Some(*i) != skip)
            .map(|i| r.get_ref(i))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        seal.add(values.into_iter());
    }
    Ok(seal.finish(batch, first, last))
}

/// Every live import of every list, sealed (the baseline).
fn all_batches(conn: &Connection) -> Result<Vec<BatchSeal>> {
    let batches: Vec<(String, Option<i64>, Option<i64>)> = conn
        .prepare("SELECT id, first_id, last_id FROM import_batches WHERE rolled_back_at IS NULL AND first_id IS NOT NULL ORDER BY first_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    batches
        .into_iter()
        .filter_map(|(id, f, l)| Some((id, f?, l?)))
        .map(|(id, f, l)| batch_seal(conn, &id, f, l))
        .collect()
}

fn seal_rows(conn: &Connection, captured: &[(u8, i64)]) -> Result<Vec<SealedRow>> {
    let mut out = Vec::with_capacity(captured.len());
    for &(t, rowid) in captured {
        let table = COVERED[usize::from(t)];
        let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {table} WHERE rowid = ?1"))?;
        let n = stmt.column_count();
        let found = stmt
            .query_row([rowid], |r| Ok((key_text(r.get_ref(0)?), row_digest(r, n, None)?)))
            .optional()?;
        out.push(match found {
            Some((key, (digest, cols))) => (table.to_owned(), rowid, key, Some(digest), cols),
            None => (table.to_owned(), rowid, String::new(), None, Vec::new()),
        });
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)] // the chain's fields, in the order they are hashed
fn hash_row(
    mac: Option<&[u8; 32]>,
    seq: i64,
    at: &str,
    actor: &str,
    c: (&str, &str, &str),
    before: Option<&str>,
    after: Option<&str>,
    rows: Option<&str>,
    prev: &str,
) -> String {
    let mut fields: Vec<u8> = Vec::new();
    let mut field = |b: Option<&[u8]>| match b {
        None => fields.extend_from_slice(b"-\0"),
        Some(b) => {
            fields.extend_from_slice(format!("{}:", b.len()).as_bytes());
            fields.extend_from_slice(b);
            fields.push(0);
        }
    };
    field(Some(seq.to_string().as_bytes()));
    field(Some(at.as_bytes()));
    field(Some(actor.as_bytes()));
    field(Some(c.0.as_bytes()));
    field(Some(c.1.as_bytes()));
    field(Some(c.2.as_bytes()));
    field(before.map(str::as_bytes));
    field(after.map(str::as_bytes));
    // Rows written before schema 12 have no commitment and no key: hashed as they always were.
    if mac.is_some() || rows.is_some() {
        field(rows.map(str::as_bytes));
    }
    field(Some(prev.as_bytes()));
    match mac {
        None => hex::encode(Sha256::digest(&fields)),
        Some(key) => {
            use hmac::Mac as _;
            let mut m = <hmac::Hmac<Sha256> as hmac::Mac>::new_from_slice(key)
                .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
            m.update(&fields);
            hex::encode(m.finalize().into_bytes())
        }
    }
}

/// What an action's audit rows need: the installation secret (the chain's key), the rows the
/// transaction wrote, and the imports it sealed.
pub(crate) struct Sealer<'a> {
    pub secret: Option<&'a InstallSecret>,
    pub captured: &'a Captured,
    pub batches: Vec<BatchSeal>,
}

/// Appends the rows of one action inside the caller's transaction, so the change and its record
/// commit together; the last row commits to the data the transaction wrote. Returns the head.
pub(crate) fn append_all(
    tx: &Transaction<'_>,
    actor: &str,
    now: DateTime<Utc>,
    changes: &[Change],
    sealer: Sealer<'_>,
) -> Result<Option<(i64, String)>> {
    let captured = sealer.captured.take();
    if changes.is_empty() && !captured.is_empty() {
        // A change to the record without an audit row would show as tampering: refuse it here.
        return Err(Error::Internal(format!(
            "{} covered row(s) written without an audit row",
            captured.len()
        )));
    }
    let mut head = None;
    for (i, c) in changes.iter().enumerate() {
        let last = i + 1 == changes.len();
        let seal = if last && (!captured.is_empty() || !sealer.batches.is_empty()) {
            Some(Seal { rows: seal_rows(tx, &captured)?, batches: sealer.batches.clone() })
        } else {
            None
        };
        head = Some(append_one(tx, actor, now, c, seal.as_ref(), sealer.secret)?);
    }
    Ok(head)
}

fn append_one(
    tx: &Transaction<'_>,
    actor: &str,
    now: DateTime<Utc>,
    c: &Change,
    seal: Option<&Seal>,
    secret: Option<&InstallSecret>,
) -> Result<(i64, String)> {
    let last: Option<(i64, String)> = tx
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (seq, prev) = last.map_or((1, GENESIS.to_owned()), |(s, h)| (s + 1, h));
    let at = breachdesk_rules::time::to_storage(now);
    let before = c.before.as_ref().map(serde_json::Value::to_string);
    let after = c.after.as_ref().map(serde_json::Value::to_string);
    // Every row from schema 12 on carries a commitment (an empty one when it wrote no data), so
    // the hash layout of a keyed row never depends on whether it did.
    let rows = serde_json::to_string(&seal.cloned().unwrap_or_default())
        .map_err(|source| Error::Json { what: "an audit row's commitment", source })?;
    let mac = secret.map(InstallSecret::mac_key);
    let hash = hash_row(
        mac.as_deref(),
        seq,
        &at,
        actor,
        (c.action, c.entity_type, &c.entity_id),
        before.as_deref(),
        after.as_deref(),
        Some(&rows),
        &prev,
    );
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash, rows_json, keyed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![seq, at, actor, c.action, c.entity_type, c.entity_id, before, after, prev, hash, rows, i64::from(mac.is_some())],
    )?;
    Ok((seq, hash))
}

/// The baseline row: commits to every row of every covered table and every import, as found when
/// the audit began to cover the data (the first open after schema 12).
pub(crate) fn baseline(
    tx: &Transaction<'_>,
    actor: &str,
    now: DateTime<Utc>,
    secret: Option<&InstallSecret>,
) -> Result<(i64, String)> {
    let mut rows = Vec::new();
    for (i, table) in COVERED.iter().enumerate() {
        let ids: Vec<i64> = tx
            .prepare(&format!("SELECT rowid FROM {table} ORDER BY rowid"))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let t = u8::try_from(i).unwrap_or(u8::MAX);
        rows.extend(seal_rows(tx, &ids.into_iter().map(|r| (t, r)).collect::<Vec<_>>())?);
    }
    let seal = Seal { rows, batches: all_batches(tx)? };
    let change = Change {
        action: "audit.baseline",
        entity_type: "database",
        entity_id: crate::store::DB_FILE.into(),
        before: None,
        after: Some(
            serde_json::json!({ "note": "from here on every audit row commits to the data it wrote; this row commits to every row as found" }),
        ),
    };
    append_one(tx, actor, now, &change, Some(&seal), secret)
}

/// The first row that breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AuditBreak {
    /// The row's sequence number (1 = first row).
    #[ts(type = "number")]
    pub seq: i64,
    pub reason: String,
}

/// A stored row that no longer matches what the audit log recorded for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DataMismatch {
    pub table: String,
    /// The row's id (or, for a row that is gone, its position in the table).
    pub id: String,
    /// What changed, in words: the columns, or that it is missing or unrecorded.
    pub what: String,
}

/// Result of walking the whole chain and checking the data against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AuditReport {
    #[ts(type = "number")]
    pub rows_checked: u64,
    /// Hash of the last row: write it down to detect truncation of the tail later.
    pub head_hash: Option<String>,
    pub broken: Option<AuditBreak>,
    /// The row from which the log covers the data (its baseline), if it does.
    #[ts(type = "number | null")]
    pub data_covered_from: Option<i64>,
    /// Every stored row that no longer matches the log (empty when all do).
    pub data_mismatches: Vec<DataMismatch>,
}

impl AuditReport {
    /// The chain holds and every covered row matches it.
    #[must_use]
    pub fn intact(&self) -> bool {
        self.broken.is_none() && self.data_mismatches.is_empty()
    }
}

/// The last commitment of every covered row and import, as the chain states them.
#[derive(Default)]
#[allow(clippy::type_complexity)] // one map, documented field by field
struct Committed {
    /// (table, rowid) → (key, sha256 | none, column short hashes)
    rows: HashMap<(String, i64), (String, Option<String>, Vec<String>)>,
    batches: BTreeMap<String, BatchSeal>,
}

/// Walks the audit chain from the first row (keyed rows with the installation secret), then checks
/// every covered row and every import's records against their last commitment.
///
/// # Errors
/// Only on database failure; a broken chain and data that no longer matches are in the report.
pub fn verify(conn: &Connection, secret: Option<&InstallSecret>) -> Result<AuditReport> {
    let mac = secret.map(InstallSecret::mac_key);
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash, rows_json, keyed
         FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev_hash = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut checked = 0u64;
    let mut covered_from = None;
    let mut keyed_seen = false;
    let mut committed = Committed::default();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let (at, actor, action, etype, eid): (String, String, String, String, String) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        let (before, after): (Option<String>, Option<String>) = (r.get(6)?, r.get(7)?);
        let (stored_prev, stored_hash): (String, String) = (r.get(8)?, r.get(9)?);
        let (rows_json, keyed): (Option<String>, i64) = (r.get(10)?, r.get(11)?);
        let broken = |reason: String| AuditReport {
            rows_checked: checked,
            head_hash: None,
            broken: Some(AuditBreak { seq, reason }),
            data_covered_from: None,
            data_mismatches: Vec::new(),
        };
        if seq != expected_seq {
            return Ok(broken(format!(
                "row {seq} follows row {}: rows {expected_seq}..{} are missing",
                expected_seq - 1,
                seq - 1
            )));
        }
        if stored_prev != prev_hash {
            return Ok(broken(format!("row {seq}: its link to row {} does not match (a row was removed, inserted or re-linked)", seq - 1)));
        }
        if keyed == 0 && (keyed_seen || (rows_json.is_some() && mac.is_some())) {
            return Ok(broken(format!("row {seq} is not keyed: the chain was rewritten from here without this installation's key")));
        }
        let key = match (keyed, mac.as_deref()) {
            (0, _) => None,
            (_, Some(k)) => Some(k),
            (_, None) => {
                return Ok(broken(format!(
                    "row {seq} is keyed and this copy has no installation secret to check it with"
                )))
            }
        };
        keyed_seen |= keyed != 0;
        let actual = hash_row(
            key,
            seq,
            &at,
            &actor,
            (&action, &etype, &eid),
            before.as_deref(),
            after.as_deref(),
            rows_json.as_deref(),
            &stored_prev,
        );
        if actual != stored_hash {
            return Ok(broken(format!("row {seq}: its contents do not match its hash (the row was edited, or rewritten without this installation's key)")));
        }
        if let Some(j) = &rows_json {
            let seal: Seal = serde_json::from_str(j).map_err(|e| {
                Error::Internal(format!("audit row {seq}: commitment unreadable: {e}"))
            })?;
            if action == "audit.baseline" && covered_from.is_none() {
                covered_from = Some(seq);
            }
            for (t, rowid, k, digest, cols) in seal.rows {
                committed.rows.insert((t, rowid), (k, digest, cols));
            }
            for b in seal.batches {
                committed.batches.insert(b.batch.clone(), b);
            }
        }
        prev_hash = stored_hash;
        expected_seq += 1;
        checked += 1;
    }
    drop(rows);
    if mac.is_some() && checked > 0 && covered_from.is_none() {
        return Ok(AuditReport {
            rows_checked: checked,
            head_hash: None,
            broken: Some(AuditBreak { seq: expected_seq - 1, reason: "the log has no baseline row: it no longer covers the data (rewritten in the old format?)".into() }),
            data_covered_from: None,
            data_mismatches: Vec::new(),
        });
    }
    let data_mismatches =
        if covered_from.is_some() { check_data(conn, &committed)? } else { Vec::new() };
    Ok(AuditReport {
        rows_checked: checked,
        head_hash: (checked > 0).then_some(prev_hash),
        broken: None,
        data_covered_from: covered_from,
        data_mismatches,
    })
}

/// Every covered row and import compared with its last commitment.
fn check_data(conn: &Connection, committed: &Committed) -> Result<Vec<DataMismatch>> {
    let mut out = Vec::new();
    for table in COVERED {
        let cols = columns(conn, table)?;
        let mut seen = std::collections::HashSet::new();
        let mut stmt = conn.prepare(&format!("SELECT rowid, * FROM {table}"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let rowid: i64 = r.get(0)?;
            seen.insert(rowid);
            // Column 0 is the rowid; the row's own columns start at 1.
            let key = key_text(r.get_ref(1)?);
            let (digest, short) = {
                let mut all = Sha256::new();
                let mut short = Vec::with_capacity(cols.len());
                for i in 1..=cols.len() {
                    let v = r.get_ref(i)?;
                    value_bytes(&mut all, v);
                    let mut one = Sha256::new();
                    value_bytes(&mut one, v);
                    short.push(hex::encode(&one.finalize()[..4]));
                }
                (hex::encode(all.finalize()), short)
            };
            match committed.rows.get(&(table.to_owned(), rowid)) {
                None => out.push(DataMismatch {
                    table: table.into(),
                    id: key,
                    what: "is not in the audit log: it was written outside Breachdesk".into(),
                }),
                Some((_, None, _)) => out.push(DataMismatch {
                    table: table.into(),
                    id: key,
                    what: "was deleted according to the audit log, yet is present".into(),
                }),
                Some((_, Some(d), was)) if *d != digest => {
                    let changed: Vec<&str> = cols
                        .iter()
                        .zip(short.iter().zip(was.iter().chain(std::iter::repeat(&String::new()))))
                        .filter(|(_, (now, then))| now != then)
                        .map(|(c, _)| c.as_str())
                        .collect();
                    let what = if changed.is_empty() {
                        "changed since the audit log recorded it".to_owned()
                    } else {
                        format!("changed since the audit log recorded it: {}", changed.join(", "))
                    };
                    out.push(DataMismatch { table: table.into(), id: key, what });
                }
                Some(_) => {}
            }
        }
        for ((t, rowid), (key, digest, _)) in &committed.rows {
            if t == table && digest.is_some() && !seen.contains(rowid) {
                out.push(DataMismatch {
                    table: table.into(),
                    id: if key.is_empty() { format!("rowid {rowid}") } else { key.clone() },
                    what: "is missing: deleted outside Breachdesk".into(),
                });
            }
        }
    }
    let rolled_back: std::collections::HashSet<String> = conn
        .prepare("SELECT id FROM import_batches WHERE rolled_back_at IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for b in committed.batches.values() {
        let now = batch_seal(conn, &b.batch, b.first, b.last)?;
        if rolled_back.contains(&b.batch) {
            if now.count != 0 {
                out.push(DataMismatch {
                    table: "individuals".into(),
                    id: format!("import {}", b.batch),
                    what: format!("{} records remain of an import that was rolled back", now.count),
                });
            }
        } else if now.count != b.count {
            out.push(DataMismatch { table: "individuals".into(), id: format!("import {}", b.batch), what: format!("{} records where the audit log recorded {} (records deleted or added outside Breachdesk)", now.count, b.count) });
        } else if now.digest != b.digest {
            out.push(DataMismatch {
                table: "individuals".into(),
                id: format!("import {}", b.batch),
                what: "records were edited outside Breachdesk".into(),
            });
        }
    }
    out.sort_by(|a, b| (&a.table, &a.id).cmp(&(&b.table, &b.id)));
    Ok(out)
}

/// A signed statement of the audit chain's head, to keep outside the data directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub format: u32,
    #[ts(type = "number")]
    pub seq: i64,
    pub hash: String,
    /// When the checkpoint was made (UTC, RFC 3339).
    pub at: String,
    /// This installation's Ed25519 public key (hex).
    pub public_key: String,
    /// Ed25519 signature (hex) over `breachdesk checkpoint v1`, seq, hash and time.
    pub signature: String,
}

impl Checkpoint {
    /// The name it is saved under: `breachdesk-checkpoint-<time>-row<seq>.json`.
    #[must_use]
    pub fn file_name(&self) -> String {
        let stamp = self.at.replace([':', '-'], "");
        format!("breachdesk-checkpoint-{}-row{}.json", stamp.trim_end_matches('Z'), self.seq)
    }
}

fn checkpoint_message(seq: i64, hash: &str, at: &str) -> Vec<u8> {
    format!("breachdesk checkpoint v1\0{seq}\0{hash}\0{at}").into_bytes()
}

/// Signs the chain's current head.
pub(crate) fn checkpoint(
    conn: &Connection,
    secret: &InstallSecret,
    now: DateTime<Utc>,
) -> Result<Checkpoint> {
    use ed25519_dalek::Signer as _;
    let (seq, hash): (i64, String) = conn
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| Error::validation("audit_log", "is empty: nothing to checkpoint yet"))?;
    let at = breachdesk_rules::time::to_storage(now);
    let key = secret.signing_key();
    let signature = key.sign(&checkpoint_message(seq, &hash, &at));
    Ok(Checkpoint {
        format: 1,
        seq,
        hash,
        at,
        public_key: hex::encode(key.verifying_key().as_bytes()),
        signature: hex::encode(signature.to_bytes()),
    })
}

/// Whether the chain still extends `cp`: signed by this installation, and row `seq` still has
/// the hash it had. `Err` names what fails.
pub(crate) fn check_checkpoint(
    conn: &Connection,
    secret: &InstallSecret,
    cp: &Checkpoint,
) -> std::result::Result<(), String> {
    use ed25519_dalek::Verifier as _;
    let key = secret.signing_key().verifying_key();
    if cp.format != 1 {
        return Err(format!("checkpoint format {} is not one this build reads", cp.format));
    }
    if cp.public_key != hex::encode(key.as_bytes()) {
        return Err("the checkpoint was not signed by this installation".into());
    }
    let sig_bytes: [u8; 64] = hex::decode(&cp.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("the signature is not 64 bytes of hex")?;
    key.verify(
        &checkpoint_message(cp.seq, &cp.hash, &cp.at),
        &ed25519_dalek::Signature::from_bytes(&sig_bytes),
    )
    .map_err(|_| {
        "the signature does not match the checkpoint's contents (it was edited)".to_owned()
    })?;
    let stored: Option<String> = conn
        .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [cp.seq], |r| r.get(0))
        .optional()
        .map_err(|e| e.to_string())?;
    match stored {
        None => Err(format!("the audit log no longer reaches row {} that the checkpoint of {} signed: it was cut back", cp.seq, cp.at)),
        Some(h) if h != cp.hash => Err(format!("row {} no longer has the hash the checkpoint of {} signed: the chain was rewritten", cp.seq, cp.at)),
        Some(_) => Ok(()),
    }
}
