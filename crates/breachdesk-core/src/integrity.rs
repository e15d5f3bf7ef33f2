//! The store's own checks: encrypted pages, structure, the audit chain, the head recorded
//! outside it, and signed checkpoints.

use crate::audit::{self};
use crate::custody::Custody;
use crate::datadir;
use crate::{Breachdesk, Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

/// What `breachdesk check` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct CheckReport {
    pub intact: bool,
    #[ts(type = "number")]
    pub pages: i64,
    pub read_only: bool,
    /// Every problem found in the file, in words.
    pub problems: Vec<String>,
    pub audit: audit::AuditReport,
}

impl Breachdesk {
    /// The first open after the audit began to cover the data writes the row that commits to
    /// every row as found (a new store writes it at once).
    pub(crate) fn seal_baseline(&self, now: DateTime<Utc>) -> Result<()> {
        let mut w = self.writer()?;
        let w = &mut *w;
        let done: bool = w.store.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'audit.baseline')",
            [],
            |r| r.get(0),
        )?;
        if done {
            return Ok(());
        }
        let tx =
            w.store.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let head = audit::baseline(&tx, "Breachdesk (audit baseline)", now, self.secret.as_ref())?;
        tx.commit()?;
        w.store.captured.clear();
        self.record_head(head)
    }

    /// Records the audit chain's head outside the database (custody.json, authenticated).
    pub(crate) fn record_head(&self, (seq, hash): (i64, String)) -> Result<()> {
        let Some(secret) = &self.secret else { return Ok(()) };
        let locked = self.dir_locked.load(std::sync::atomic::Ordering::SeqCst);
        let _lock = if locked { None } else { Some(datadir::lock(&self.dir)?) };
        // Re-read under the lock: another process may have recorded a later head.
        let mut custody = self.custody();
        let mut fresh = Custody::load(&self.dir)?.unwrap_or_else(|| custody.clone());
        fresh.record_head(&self.dir, seq, &hash, secret)?;
        custody.audit_head = fresh.audit_head;
        Ok(())
    }

    /// A database that went back in time (a lost WAL, an older copy put back) says so: the audit
    /// head recorded outside it must still be in its chain.
    pub(crate) fn check_head(&self) -> Result<()> {
        let head = self.custody().audit_head.clone();
        let (Some(head), Some(secret)) = (&head, &self.secret) else {
            return Ok(());
        };
        if !head.authentic(secret) {
            return Err(Error::CustodyInvalid { detail: "the recorded audit head does not match its authentication code (custody.json was edited)".into() });
        }
        let conn = self.read()?;
        let stored: Option<String> = conn
            .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [head.seq], |r| r.get(0))
            .optional()?;
        match stored {
            Some(h) if h == head.hash => Ok(()),
            Some(_) => Err(Error::StoreWentBack { detail: format!("audit row {} is not the one this data directory recorded: the log was rewritten or replaced", head.seq) }),
            None => {
                let last: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| r.get(0))?;
                Err(Error::StoreWentBack { detail: format!("its audit log ends at row {last}, but this data directory recorded row {}: committed work is missing (a lost -wal file, or an older copy put back)", head.seq) })
            }
        }
    }

    /// Checks the store: every encrypted page, the database's structure, its cross-references and
    /// the audit chain. A damaged page is found here, not when some command happens to read it.
    ///
    /// # Errors
    /// On database failure only; problems found are in the report.
    pub fn check(&self) -> Result<CheckReport> {
        // Each step's own failure (a page that cannot be read at all) is a finding, not the end.
        let damaged = |step: &str, e: Error| {
            format!("{step}: {}", e.to_string().trim_start_matches("database: "))
        };
        let conn = self.read()?;
        let mut problems = crate::store::integrity(&conn)
            .unwrap_or_else(|e| vec![damaged("the file could not be read through", e)]);
        let audit = audit::verify(&conn, self.secret.as_ref()).unwrap_or_else(|e| {
            problems.push(damaged("the audit log could not be read", e));
            audit::AuditReport {
                rows_checked: 0,
                head_hash: None,
                broken: None,
                data_covered_from: None,
                data_mismatches: Vec::new(),
            }
        });
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap_or(0);
        Ok(CheckReport {
            intact: problems.is_empty() && audit.intact(),
            pages,
            read_only: self.readers.read_only(),
            problems,
            audit,
        })
    }

    /// Walks the whole audit chain.
    ///
    /// # Errors
    /// On database failure only.
    pub fn verify_audit(&self) -> Result<audit::AuditReport> {
        audit::verify(&*self.read()?, self.secret.as_ref())
    }

    /// Signs the audit chain's current head with this installation's key: a checkpoint to keep
    /// outside the data directory (with counsel, in the incident file). Later,
    /// [`Breachdesk::verify_checkpoint`] proves the chain still extends it.
    ///
    /// # Errors
    /// [`Error::Validation`] when the log is empty; [`Error::ReadOnly`] for an old read-only copy.
    pub fn checkpoint(&self, now: DateTime<Utc>) -> Result<audit::Checkpoint> {
        let secret = self.secret.as_ref().ok_or_else(|| Error::ReadOnly {
            detail: "this copy predates signed checkpoints; open it writable once".into(),
        })?;
        audit::checkpoint(&*self.read()?, secret, now)
    }

    /// Whether the audit chain still extends `cp` (signed here, and its row still has its hash).
    ///
    /// # Errors
    /// [`Error::Validation`] on `checkpoint` naming what fails.
    pub fn verify_checkpoint(&self, cp: &audit::Checkpoint) -> Result<()> {
        let secret = self.secret.as_ref().ok_or_else(|| Error::ReadOnly {
            detail: "this copy predates signed checkpoints".into(),
        })?;
        audit::check_checkpoint(&*self.read()?, secret, cp)
            .map_err(|m| Error::validation("checkpoint", m))
    }
}
