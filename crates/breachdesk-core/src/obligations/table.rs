//! The `obligations` table: one row per incident × rule × jurisdiction × recipient, never deleted
//! (a row the facts stop calling for goes out of scope), each with a snapshot of the rule it came
//! from. Reads through [`ObligationRows`] on any connection; writes through [`ObligationWrites`],
//! which only a transaction gives.

use super::{name, owner_role, Obligation, ObligationStatus};
use crate::Result;
use breachdesk_rules::engine::Computed;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, ToSql, Transaction};

/// A stored row, as much as the diff needs.
#[derive(Debug, Clone)]
pub(crate) struct StoredKey {
    pub id: String,
    pub rule_id: String,
    pub jurisdiction: String,
    pub recipient: String,
    pub due_at: Option<String>,
    pub in_scope: bool,
    pub frozen: bool,
    /// The id of the exit recorded on the row.
    pub exemption: Option<String>,
}

impl StoredKey {
    /// Whether this row records the obligation `c` (same rule, jurisdiction and recipient).
    pub(crate) fn is(&self, c: &Computed) -> bool {
        self.rule_id == c.rule_id
            && self.jurisdiction == c.jurisdiction
            && self.recipient == name(&c.recipient)
    }
}

/// A row as stored, before its decision, filings and status are joined in: the stored forms of
/// the due time, the freeze, the owner's role and the exit are kept apart for the caller to read.
pub(crate) struct ListedRow {
    pub due_at: Option<String>,
    pub frozen_at: Option<String>,
    pub owner_role: String,
    pub exemption_json: Option<String>,
    /// Everything else, read as stored; `due`, `status`, `owner_*`, `decision`, `filings` and
    /// `exemption` are left for the caller.
    pub obligation: Obligation,
}

/// What a write stores of one computed obligation.
pub(crate) struct Stored<'a> {
    pub computed: &'a Computed,
    pub due_at: Option<String>,
    pub fingerprint: &'a str,
    pub exemption_json: Option<String>,
    pub now: &'a str,
}

impl Stored<'_> {
    /// What the rule says of the row, in the order of `?1`–`?13` of the insert and the update.
    fn rule_values(&self) -> [Box<dyn ToSql + '_>; 13] {
        let c = self.computed;
        [
            Box::new(name(&c.kind)),
            Box::new(&self.due_at),
            Box::new(&c.rule_version),
            Box::new(&c.citation),
            Box::new(&c.source_url),
            Box::new(name(&c.confidence)),
            Box::new(&c.explanation),
            Box::new(self.fingerprint),
            Box::new(&c.channel),
            Box::new(&c.address),
            Box::new(self.now),
            Box::new(&self.exemption_json),
            Box::new(&c.anchor),
        ]
    }
}

/// Reads of `obligations`.
pub(crate) struct ObligationRows<'c>(pub &'c Connection);

impl ObligationRows<'_> {
    /// The rows of an incident, as much as the diff needs.
    pub(crate) fn keys(&self, incident_uuid: &str) -> Result<Vec<StoredKey>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT id, rule_id, jurisdiction, recipient, due_at, in_scope, frozen_at IS NOT NULL,
                    json_extract(exemption_json, '$.id')
             FROM obligations WHERE incident_id = ?1",
        )?;
        let rows = stmt
            .query_map([incident_uuid], |r| {
                Ok(StoredKey {
                    id: r.get(0)?,
                    rule_id: r.get(1)?,
                    jurisdiction: r.get(2)?,
                    recipient: r.get(3)?,
                    due_at: r.get(4)?,
                    in_scope: r.get::<_, i64>(5)? == 1,
                    frozen: r.get(6)?,
                    exemption: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The rows of an incident with the label of the user-defined obligation they come from.
    pub(crate) fn listed(&self, incident_uuid: &str) -> Result<Vec<ListedRow>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT o.id, o.rule_id, o.regime, o.jurisdiction, o.recipient, o.kind, o.due_at,
                    o.in_scope, o.frozen_at, o.rule_version, o.citation, o.source_url, o.confidence,
                    o.explanation, o.channel, o.address, o.owner_role, c.label, o.anchor,
                    o.exemption_json
             FROM obligations o
             LEFT JOIN custom_obligations c ON c.rule_id = o.rule_id AND c.incident_id = o.incident_id
             WHERE o.incident_id = ?1",
        )?;
        let rows = stmt
            .query_map([incident_uuid], |r| {
                Ok(ListedRow {
                    due_at: r.get(6)?,
                    frozen_at: r.get(8)?,
                    owner_role: r.get(16)?,
                    exemption_json: r.get(19)?,
                    obligation: Obligation {
                        id: r.get(0)?,
                        rule_id: r.get(1)?,
                        regime: r.get(2)?,
                        jurisdiction: r.get(3)?,
                        recipient: r.get(4)?,
                        kind: r.get(5)?,
                        due: None,
                        seconds_left: None,
                        status: ObligationStatus::Open,
                        internal_target: None,
                        in_scope: r.get::<_, i64>(7)? == 1,
                        frozen_at: None,
                        rule_version: r.get(9)?,
                        citation: r.get(10)?,
                        source_url: r.get(11)?,
                        confidence: r.get(12)?,
                        explanation: r.get(13)?,
                        channel: r.get(14)?,
                        address: r.get(15)?,
                        owner_role: String::new(),
                        owner_name: None,
                        label: r.get(17)?,
                        decision: None,
                        filings: Vec::new(),
                        anchor: r.get(18)?,
                        exemption: None,
                    },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The id of an incident's obligation named by its id, `RULE@JURISDICTION` or rule id.
    pub(crate) fn find(&self, incident_uuid: &str, named: &str) -> Result<Option<String>> {
        Ok(self
            .0
            .query_row(
                "SELECT id FROM obligations
                 WHERE incident_id = ?1
                   AND (id = ?2 OR (rule_id || '@' || jurisdiction) = ?2 OR rule_id = ?2)
                 ORDER BY jurisdiction LIMIT 1",
                params![incident_uuid, named.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// Writes to `obligations`, inside the caller's transaction.
pub(crate) struct ObligationWrites<'t>(&'t Connection);

impl<'t> ObligationWrites<'t> {
    pub(crate) fn new(tx: &'t Transaction<'_>) -> Self {
        ObligationWrites(tx)
    }

    /// A new row for an obligation the facts now call for.
    pub(crate) fn insert(&self, id: &str, incident_uuid: &str, s: &Stored<'_>) -> Result<()> {
        let c = s.computed;
        let recipient = name(&c.recipient);
        let (regime, role) = (name(&c.regime), owner_role(&recipient));
        let keys: [&dyn ToSql; 7] =
            [&id, &incident_uuid, &c.rule_id, &regime, &c.jurisdiction, &recipient, &role];
        self.0.execute(
            "INSERT INTO obligations (kind, due_at, rule_version, citation, source_url, confidence,
                 explanation, rules_fingerprint, channel, address, updated_at, exemption_json,
                 anchor, id, incident_id, rule_id, regime, jurisdiction, recipient, owner_role,
                 created_at, in_scope)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?11, 1)",
            params_from_iter(s.rule_values().iter().map(|v| &**v).chain(keys)),
        )?;
        Ok(())
    }

    /// The row brought in line with the rule as it reads now (a row whose due time is not frozen).
    pub(crate) fn update(&self, id: &str, s: &Stored<'_>) -> Result<()> {
        self.0.execute(
            "UPDATE obligations SET kind = ?1, due_at = ?2, rule_version = ?3, citation = ?4,
                 source_url = ?5, confidence = ?6, explanation = ?7, rules_fingerprint = ?8,
                 channel = ?9, address = ?10, updated_at = ?11, exemption_json = ?12, anchor = ?13,
                 in_scope = 1
             WHERE id = ?14",
            params_from_iter(s.rule_values().iter().map(|v| &**v).chain([&id as &dyn ToSql])),
        )?;
        Ok(())
    }

    /// A frozen row stays as it was but for its scope and exit.
    pub(crate) fn keep_frozen(&self, id: &str, s: &Stored<'_>) -> Result<()> {
        self.0.execute(
            "UPDATE obligations SET in_scope = 1, exemption_json = ?3, updated_at = ?2 WHERE id = ?1",
            params![id, s.now, s.exemption_json],
        )?;
        Ok(())
    }

    /// The facts no longer call for the row; it stays on record.
    pub(crate) fn out_of_scope(&self, id: &str, now: &str) -> Result<()> {
        self.0.execute(
            "UPDATE obligations SET in_scope = 0, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    }

    /// Freezes the due time at the first filing (a later filing changes nothing).
    pub(crate) fn freeze(&self, id: &str, at: &str) -> Result<()> {
        self.0.execute(
            "UPDATE obligations SET frozen_at = ?2 WHERE id = ?1 AND frozen_at IS NULL",
            params![id, at],
        )?;
        Ok(())
    }
}
