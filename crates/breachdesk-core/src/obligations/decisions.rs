//! The `obligation_decisions` table: "not required" or "required after all", with the rationale
//! and the approver, or the confirmation of an exit. Append-only; the newest counts.

use super::Decision;
use crate::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// A decision as written.
pub(crate) struct NewDecision<'a> {
    pub id: &'a str,
    pub obligation_id: &'a str,
    pub decision: &'a str,
    pub rationale: &'a str,
    pub approved_by: &'a str,
    pub decided_at: &'a str,
    pub decided_by: &'a str,
    pub exemption_id: Option<&'a str>,
}

/// Reads of `obligation_decisions`.
pub(crate) struct DecisionRows<'c>(pub &'c Connection);

impl DecisionRows<'_> {
    /// The decision that counts for an obligation (times in storage form).
    pub(crate) fn latest(&self, obligation_id: &str) -> Result<Option<Decision>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT decision, rationale, approved_by, decided_at, decided_by, exemption_id
             FROM obligation_decisions
             WHERE obligation_id = ?1 ORDER BY decided_at DESC, id DESC LIMIT 1",
        )?;
        Ok(stmt
            .query_row([obligation_id], |r| {
                Ok(Decision {
                    decision: r.get(0)?,
                    rationale: r.get(1)?,
                    approved_by: r.get(2)?,
                    decided_at: r.get(3)?,
                    decided_by: r.get(4)?,
                    exemption_id: r.get(5)?,
                })
            })
            .optional()?)
    }
}

/// Appends a decision inside the caller's transaction.
pub(crate) fn insert(tx: &Transaction<'_>, d: &NewDecision<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO obligation_decisions (id, obligation_id, decision, rationale, approved_by,
             decided_at, decided_by, exemption_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            d.id,
            d.obligation_id,
            d.decision,
            d.rationale,
            d.approved_by,
            d.decided_at,
            d.decided_by,
            d.exemption_id
        ],
    )?;
    Ok(())
}
