//! The tamper-evident audit log: every write appends a row (actor, UTC time, action, entity,
//! before/after JSON) carrying the SHA-256 of the previous row, so editing, inserting or removing
//! a row breaks the chain from that row on. `verify` walks the chain and names the first bad row.
//!
//! The hash covers every column, each length-prefixed so that no two different rows serialise
//! to the same bytes.

use crate::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One change to record.
pub(crate) struct Change {
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

fn row_hash(seq: i64, at: &str, actor: &str, c: (&str, &str, &str), before: Option<&str>, after: Option<&str>, prev: &str) -> String {
    let mut h = Sha256::new();
    let mut field = |b: Option<&[u8]>| match b {
        None => h.update(b"-\0"),
        Some(b) => {
            h.update(format!("{}:", b.len()).as_bytes());
            h.update(b);
            h.update(b"\0");
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
    field(Some(prev.as_bytes()));
    hex::encode(h.finalize())
}

/// Appends a row inside the caller's transaction, so the change and its record commit together.
pub(crate) fn append(tx: &Transaction<'_>, actor: &str, now: DateTime<Utc>, c: &Change) -> Result<()> {
    let last: Option<(i64, String)> = tx
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = last.map_or((1, GENESIS.to_owned()), |(s, h)| (s + 1, h));
    let at = breachdesk_rules::time::to_storage(now);
    let before = c.before.as_ref().map(serde_json::Value::to_string);
    let after = c.after.as_ref().map(serde_json::Value::to_string);
    let hash = row_hash(seq, &at, actor, (c.action, c.entity_type, &c.entity_id), before.as_deref(), after.as_deref(), &prev);
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![seq, at, actor, c.action, c.entity_type, c.entity_id, before, after, prev, hash],
    )?;
    Ok(())
}

/// The first row that breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AuditBreak {
    /// The row's sequence number (1 = first row).
    #[ts(type = "number")]
    pub seq: i64,
    pub reason: String,
}

/// Result of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AuditReport {
    #[ts(type = "number")]
    pub rows_checked: u64,
    /// Hash of the last row: write it down to detect truncation of the tail later.
    pub head_hash: Option<String>,
    pub broken: Option<AuditBreak>,
}

/// Walks the audit chain from the first row.
///
/// # Errors
/// Only on database failure; a broken chain is reported in [`AuditReport::broken`].
pub fn verify(conn: &Connection) -> Result<AuditReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash
         FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev_hash = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut checked = 0u64;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let (at, actor, action, etype, eid): (String, String, String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        let (before, after): (Option<String>, Option<String>) = (r.get(6)?, r.get(7)?);
        let (stored_prev, stored_hash): (String, String) = (r.get(8)?, r.get(9)?);
        let broken = |reason: String| AuditReport { rows_checked: checked, head_hash: None, broken: Some(AuditBreak { seq, reason }) };
        if seq != expected_seq {
            return Ok(broken(format!("row {seq} follows row {}: rows {expected_seq}..{} are missing", expected_seq - 1, seq - 1)));
        }
        if stored_prev != prev_hash {
            return Ok(broken(format!("row {seq}: its link to row {} does not match (a row was removed, inserted or re-linked)", seq - 1)));
        }
        let actual = row_hash(seq, &at, &actor, (&action, &etype, &eid), before.as_deref(), after.as_deref(), &stored_prev);
        if actual != stored_hash {
            return Ok(broken(format!("row {seq}: its contents do not match its hash (the row was edited)")));
        }
        prev_hash = stored_hash;
        expected_seq += 1;
        checked += 1;
    }
    Ok(AuditReport { rows_checked: checked, head_hash: (checked > 0).then_some(prev_hash), broken: None })
}
