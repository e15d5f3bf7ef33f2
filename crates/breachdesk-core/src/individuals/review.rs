//! The review queue of probable duplicates: the same normalised name and date of birth, or the same
//! e-mail address. A scan pairs each later record of such a group with its first record; a person
//! then merges the pair (the later record is kept, marked merged into the first, and stops
//! counting) or keeps them apart. Counts and obligations follow each merge.

use super::{person_row, Individual, ListIds, Tally, SELECT_PERSON};
use crate::audit::Change;
use crate::obligations::ObligationChange;
use crate::{Breachdesk, Ctx, Error, Result};
use breachdesk_rules::time::to_storage;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// Groups larger than this are not paired (a shared family e-mail, a placeholder date of birth):
/// they are counted in the scan's result instead.
pub const MAX_GROUP: i64 = 50;

/// One probable duplicate pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DuplicatePair {
    #[ts(type = "number")]
    pub id: i64,
    /// name_dob | email
    pub reason: String,
    pub first: Individual,
    pub later: Individual,
    /// merged | distinct | null (waiting)
    pub decision: Option<String>,
    pub decided_by: Option<String>,
}

/// What a scan found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ScanResult {
    /// Pairs added to the queue by this scan.
    #[ts(type = "number")]
    pub new_pairs: i64,
    /// Pairs waiting for a decision now.
    #[ts(type = "number")]
    pub waiting: i64,
    /// Groups too large to pair (more than MAX_GROUP records share the key).
    #[ts(type = "number")]
    pub oversized_groups: i64,
}

impl Breachdesk {
    /// Finds probable duplicates among the incident's individuals and queues them for review.
    ///
    /// # Errors
    /// [`Error::NotFound`]; database errors.
    pub fn scan_duplicates(&self, ctx: &Ctx, incident_id: &str) -> Result<ScanResult> {
        let inc = self.incident_row(incident_id)?;
        let ids = self.list_ids(&inc.id)?;
        let pair = |key: &str, reason: &str, present: &str| {
            format!(
                "INSERT OR IGNORE INTO duplicate_candidates (incident_id, a_id, b_id, reason)
                 SELECT ?1, first, id, '{reason}' FROM (
                     SELECT id, first_value(id) OVER w AS first, count(*) OVER w AS n
                     FROM individuals WHERE id BETWEEN ?2 AND ?3 AND merged_into IS NULL AND {present}
                     WINDOW w AS (PARTITION BY {key} ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
                 WHERE id <> first AND n <= {MAX_GROUP}"
            )
        };
        let oversized = |key: &str, present: &str| {
            format!(
                "SELECT count(*) FROM (SELECT 1 FROM individuals WHERE id BETWEEN ?1 AND ?2 AND merged_into IS NULL AND {present}
                 GROUP BY {key} HAVING count(*) > {MAX_GROUP})"
            )
        };
        let result = self.write(ctx, |tx| {
            let a = tx.execute(&pair("name_key, dob", "name_dob", "dob IS NOT NULL"), params![inc.id, ids.lo(), ids.hi()])?;
            let b = tx.execute(&pair("email", "email", "email IS NOT NULL"), params![inc.id, ids.lo(), ids.hi()])?;
            let big: i64 = tx.query_row(&oversized("name_key, dob", "dob IS NOT NULL"), [ids.lo(), ids.hi()], |r| r.get(0))?;
            let big_mail: i64 = tx.query_row(&oversized("email", "email IS NOT NULL"), [ids.lo(), ids.hi()], |r| r.get(0))?;
            let waiting: i64 = tx.query_row("SELECT count(*) FROM duplicate_candidates WHERE incident_id = ?1 AND decision IS NULL", [&inc.id], |r| r.get(0))?;
            let r = ScanResult { new_pairs: i64::try_from(a + b).unwrap_or(i64::MAX), waiting, oversized_groups: big + big_mail };
            Ok((r, vec![Change {
                action: "individuals.scan_duplicates",
                entity_type: "incident",
                entity_id: inc.id.clone(),
                before: None,
                after: Some(serde_json::json!({ "new_pairs": r.new_pairs, "waiting": r.waiting, "oversized_groups": r.oversized_groups })),
            }]))
        })?;
        Ok(result)
    }

    /// The queue: waiting pairs first, then (with `decided`) the decided ones.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn duplicate_queue(
        &self,
        incident_id: &str,
        decided: bool,
        limit: u32,
    ) -> Result<Vec<DuplicatePair>> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        let filter = if decided { "" } else { "AND decision IS NULL" };
        let mut stmt = conn.prepare(&format!(
            "SELECT id, reason, a_id, b_id, decision, decided_by FROM duplicate_candidates WHERE incident_id = ?1 {filter}
             ORDER BY decision IS NOT NULL, id LIMIT ?2"
        ))?;
        let raw = stmt
            .query_map(params![inc.id, limit.min(1000)], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get(4)?, r.get(5)?)))?
            .collect::<rusqlite::Result<Vec<(i64, String, i64, i64, Option<String>, Option<String>)>>>()?;
        let mut one = conn.prepare_cached(&format!("{SELECT_PERSON} WHERE id = ?1"))?;
        let mut out = Vec::new();
        for (id, reason, a, b, decision, decided_by) in raw {
            let (Some(first), Some(later)) = (
                one.query_row([a], person_row).optional()?,
                one.query_row([b], person_row).optional()?,
            ) else {
                continue;
            };
            out.push(DuplicatePair { id, reason, first, later, decision, decided_by });
        }
        Ok(out)
    }

    /// Merges a pair (the later record stops counting; both stay on record) or keeps it apart.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] on `pair` when it was decided already or one
    /// of its records is no longer on the list.
    pub fn decide_duplicate(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        pair: i64,
        merge: bool,
    ) -> Result<Vec<ObligationChange>> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        let found: Option<(i64, i64, Option<String>)> = conn
            .query_row("SELECT a_id, b_id, decision FROM duplicate_candidates WHERE id = ?1 AND incident_id = ?2", params![pair, inc.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let (a, b, decision) = found.ok_or_else(|| Error::NotFound {
            entity: "duplicate pair",
            id: format!("{pair} in {}", inc.human_id),
        })?;
        if decision.is_some() {
            return Err(Error::validation("pair", "this pair was decided already"));
        }
        let active: i64 = conn.query_row(
            "SELECT count(*) FROM individuals WHERE id IN (?1, ?2) AND merged_into IS NULL",
            params![a, b],
            |r| r.get(0),
        )?;
        if merge && active != 2 {
            return Err(Error::validation(
                "pair",
                "one of the two records was merged or removed since the scan",
            ));
        }
        let word = if merge { "merged" } else { "distinct" };
        let changes = self.write(ctx, |tx| {
            tx.execute(
                "UPDATE duplicate_candidates SET decision = ?2, decided_at = ?3, decided_by = ?4 WHERE id = ?1",
                params![pair, word, to_storage(ctx.now), ctx.actor],
            )?;
            if merge {
                // The later record stops counting: take its share out of the counts.
                let later = tx.query_row(&format!("{SELECT_PERSON} WHERE id = ?1"), [b], person_row)?;
                let mut minus = Tally::of_individual(&later);
                minus.negate();
                minus.flags[6] = 1; // #merged
                minus.apply(tx, &inc.id)?;
                tx.execute("UPDATE individuals SET merged_into = ?2 WHERE id = ?1", params![b, a])?;
            }
            let mut audit = vec![Change {
                action: "individuals.duplicate",
                entity_type: "duplicate_pair",
                entity_id: pair.to_string(),
                before: None,
                after: Some(serde_json::json!({ "decision": word, "kept": ListIds::n(a), "merged": merge.then(|| ListIds::n(b)) })),
            }];
            // A merge changes the counts: the facts and the obligations follow in the same transaction.
            let changes = if merge {
                let (changes, refresh) = super::counts_into_facts(tx, ctx, &inc)?;
                audit.extend(refresh);
                changes
            } else {
                Vec::new()
            };
            Ok((changes, audit))
        });
        if merge {
            self.list_changed();
        }
        changes
    }
}
