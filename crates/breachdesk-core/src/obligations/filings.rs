//! The `obligation_filings` table: each notice recorded as sent. Append-only.

use super::Filing;
use crate::Result;
use rusqlite::{params, Connection, Transaction};
use std::collections::BTreeMap;

/// A filing as written (times in storage form).
pub(crate) struct NewFiling<'a> {
    pub id: &'a str,
    pub obligation_id: &'a str,
    pub sent_at: &'a str,
    pub channel: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub note: Option<&'a str>,
    pub recorded_at: &'a str,
    pub recorded_by: &'a str,
}

/// Reads of `obligation_filings`.
pub(crate) struct FilingRows<'c>(pub &'c Connection);

impl FilingRows<'_> {
    /// An obligation's filings, oldest first (times in storage form).
    pub(crate) fn of(&self, obligation_id: &str) -> Result<Vec<Filing>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT id, sent_at, channel, reference, note, recorded_at, recorded_by
             FROM obligation_filings WHERE obligation_id = ?1 ORDER BY sent_at, id",
        )?;
        let rows = stmt
            .query_map([obligation_id], |r| {
                Ok(Filing {
                    id: r.get(0)?,
                    sent_at: r.get(1)?,
                    channel: r.get(2)?,
                    reference: r.get(3)?,
                    note: r.get(4)?,
                    recorded_at: r.get(5)?,
                    recorded_by: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// When each rule's notice was first recorded as sent (storage form), by rule id.
    pub(crate) fn first_sent_by_rule(
        &self,
        incident_uuid: &str,
    ) -> Result<BTreeMap<String, String>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT o.rule_id, MIN(f.sent_at)
             FROM obligation_filings f JOIN obligations o ON o.id = f.obligation_id
             WHERE o.incident_id = ?1 GROUP BY o.rule_id",
        )?;
        let rows = stmt
            .query_map([incident_uuid], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
        Ok(rows)
    }
}

/// Appends a filing inside the caller's transaction.
pub(crate) fn insert(tx: &Transaction<'_>, f: &NewFiling<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO obligation_filings (id, obligation_id, sent_at, channel, reference, note,
             recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            f.id,
            f.obligation_id,
            f.sent_at,
            f.channel,
            f.reference,
            f.note,
            f.recorded_at,
            f.recorded_by
        ],
    )?;
    Ok(())
}
