//! An incident's facts (table `incident_facts`): read, previewed as a draft, saved with the
//! obligations they call for recomputed in the same transaction.

use crate::incident::{self, IncidentPatch, Row};
use crate::obligations::IncidentFacts;
use crate::{custom, obligations};
use crate::{Breachdesk, Ctx, Error, Result};
use breachdesk_rules::time::to_storage;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

impl Breachdesk {
    /// The facts stored for an incident (defaults when none were recorded).
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn facts(&self, incident_id: &str) -> Result<obligations::IncidentFacts> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        stored_facts(&conn, &inc.id)
    }

    pub(crate) fn stored_facts(&self, incident_uuid: &str) -> Result<obligations::IncidentFacts> {
        let conn = self.read()?;
        stored_facts(&conn, incident_uuid)
    }

    /// What the engine says for `inc` with `facts`, the notices already sent and the incident's
    /// user-defined obligations (reads only).
    pub(crate) fn outcome(
        &self,
        inc: &Row,
        facts: &obligations::IncidentFacts,
    ) -> Result<breachdesk_rules::engine::Outcome> {
        let conn = self.read()?;
        let conn = &conn;
        obligations::computed(
            inc,
            facts,
            &obligations::FilingRows(conn).first_sent_by_rule(&inc.id)?,
            &custom::active(conn, &inc.id)?,
        )
    }

    /// What the rule engine computes for a stored incident now (not the stored records): the
    /// obligations, and the exits that remove others.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] when stored facts no longer validate.
    pub fn computed_obligations(
        &self,
        incident_id: &str,
    ) -> Result<breachdesk_rules::engine::Outcome> {
        let inc = self.incident_row(incident_id)?;
        self.outcome(&inc, &self.stored_facts(&inc.id)?)
    }

    /// What would change if `facts` were saved: the diff against the stored obligations. Writes
    /// nothing (the facts editor's preview and the what-if sandbox).
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] naming the bad fact.
    pub fn preview_facts(
        &self,
        incident_id: &str,
        facts: &obligations::IncidentFacts,
    ) -> Result<Vec<obligations::ObligationChange>> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        let facts = facts.normalised(&inc)?;
        let now = self.outcome(&inc, &facts)?;
        Ok(obligations::diff(
            &obligations::ObligationRows(&conn).keys(&inc.id)?,
            &now,
            inc.fields.zone,
        ))
    }

    /// What a draft of facts and incident timestamps would do, without saving anything: the facts
    /// editor's preview and the what-if sandbox.
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] naming the bad fact or field.
    pub fn preview_draft(
        &self,
        incident_id: &str,
        draft: &obligations::FactsDraft,
    ) -> Result<obligations::FactsPreview> {
        let conn = self.read()?;
        let (inc, facts) = self.drafted(incident_id, draft)?;
        let now = self.outcome(&inc, &facts)?;
        let changes = obligations::diff(
            &obligations::ObligationRows(&conn).keys(&inc.id)?,
            &now,
            inc.fields.zone,
        );
        Ok(obligations::FactsPreview::new(changes, &now))
    }

    /// Saves a draft: the incident's fields and its facts, then one recomputation. Everything is
    /// validated before anything is written.
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] naming the bad fact or field.
    pub fn save_draft(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        draft: &obligations::FactsDraft,
    ) -> Result<Vec<obligations::ObligationChange>> {
        let (inc, _) = self.drafted(incident_id, draft)?;
        self.write(ctx, |tx| {
            let (inc, mut audit) = match &draft.patch {
                Some(p) => incident::apply_patch(tx, ctx, &inc.id, p)?,
                None => (incident::load(tx, &inc.id, &[])?, Vec::new()),
            };
            let (changes, refresh) = obligations::refresh(tx, ctx, &inc, Some(&draft.facts))?;
            audit.extend(refresh);
            Ok((changes, audit))
        })
    }

    /// The incident as the draft would make it, and the draft's facts normalised against it.
    pub(crate) fn drafted(
        &self,
        incident_id: &str,
        draft: &obligations::FactsDraft,
    ) -> Result<(Row, obligations::IncidentFacts)> {
        let spare = draft.patch.as_ref().map(IncidentPatch::fields_set).unwrap_or_default();
        let mut inc = self.incident_row_sparing(incident_id, &spare)?;
        if let Some(p) = &draft.patch {
            inc.fields = inc.fields.patched(p)?;
        }
        let facts = draft.facts.normalised(&inc)?;
        Ok((inc, facts))
    }

    /// Saves an incident's facts and recomputes its obligations, in one transaction; returns the
    /// diff (also written to the timeline and the audit log).
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] naming the bad fact.
    pub fn set_facts(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        facts: &obligations::IncidentFacts,
    ) -> Result<Vec<obligations::ObligationChange>> {
        let inc = self.incident_row(incident_id)?;
        facts.normalised(&inc)?;
        self.write(ctx, |tx| {
            obligations::refresh(tx, ctx, &incident::load(tx, &inc.id, &[])?, Some(facts))
        })
    }

    /// Brings the stored obligations in line with the facts. Rows are never deleted; a frozen due
    /// time never moves.
    ///
    /// # Errors
    /// [`Error::NotFound`]; database errors.
    pub fn recompute_obligations(
        &self,
        ctx: &Ctx,
        incident_id: &str,
    ) -> Result<Vec<obligations::ObligationChange>> {
        let inc = self.incident_row(incident_id)?;
        self.write(ctx, |tx| {
            obligations::refresh(tx, ctx, &incident::load(tx, &inc.id, &[])?, None)
        })
    }
}

// ---- the incident_facts table ----------------------------------------------------------------

/// The facts stored for an incident (defaults when none were recorded).
pub(crate) fn stored_facts(conn: &Connection, incident_uuid: &str) -> Result<IncidentFacts> {
    let json: Option<String> = conn
        .query_row(
            "SELECT facts_json FROM incident_facts WHERE incident_id = ?1",
            [incident_uuid],
            |r| r.get(0),
        )
        .optional()?;
    json.map_or_else(
        || Ok(IncidentFacts::default()),
        |j| {
            serde_json::from_str(&j).map_err(|e| Error::Unreadable {
                entity: "incident facts of incident",
                id: incident_uuid.to_owned(),
                field: "facts_json".into(),
                problem: format!("the stored facts cannot be read ({e})"),
                repair: "Enter the facts again in the facts editor (or `breachdesk facts set`)"
                    .into(),
            })
        },
    )
}

pub(crate) fn write_facts(
    tx: &Transaction<'_>,
    incident_uuid: &str,
    facts: &IncidentFacts,
    now: DateTime<Utc>,
) -> Result<()> {
    let json = serde_json::to_string(facts)
        .map_err(|source| Error::Json { what: "incident facts", source })?;
    tx.execute(
        "INSERT INTO incident_facts (incident_id, facts_json, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (incident_id) DO UPDATE SET facts_json = excluded.facts_json, updated_at = excluded.updated_at",
        params![incident_uuid, json, to_storage(now)],
    )?;
    Ok(())
}
