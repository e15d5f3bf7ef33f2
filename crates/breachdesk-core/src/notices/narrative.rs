//! What the incident's notices say in words: the `notice_narratives` table (one row per incident).

use crate::audit::Change;
use crate::{Breachdesk, Ctx, Error, Result};
use breachdesk_rules::time::to_storage;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A credit or identity monitoring offer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    pub provider: String,
    pub months: u32,
    #[serde(default)]
    pub enroll_url: Option<String>,
    /// The last day to enroll, `YYYY-MM-DD`.
    #[serde(default)]
    pub enroll_by: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// The incident's narrative (`narrative.json`; the fields are in the README). Every field is
/// optional here; a template that prints an empty one stops with an error naming it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct Narrative {
    pub what_happened: Option<String>,
    pub how_discovered: Option<String>,
    /// `YYYY-MM-DD`, when known.
    pub breach_start: Option<String>,
    pub breach_end: Option<String>,
    pub investigation: Option<String>,
    pub mitigation: Option<String>,
    pub prevention: Option<String>,
    pub what_you_can_do: Option<String>,
    pub consequences: Option<String>,
    pub measures: Option<String>,
    /// HHS portal list: Hacking/IT Incident, Unauthorized Access/Disclosure, Theft, Loss,
    /// Improper Disposal, Other.
    pub breach_type: Option<String>,
    /// HHS portal list: Network Server, Email, Electronic Medical Record, Desktop Computer,
    /// Laptop, Paper/Films, Other Portable Electronic Device, Other.
    pub location: Option<String>,
    pub safeguards: Option<String>,
    pub subject_categories: Option<String>,
    pub record_categories: Option<String>,
    pub approx_subjects: Option<String>,
    pub approx_records: Option<String>,
    pub le_delay_statement: Option<String>,
    /// yes | no | unknown
    pub malicious: Option<String>,
    /// yes | no | unknown
    pub cross_border: Option<String>,
    pub root_cause: Option<String>,
    pub iocs: Option<String>,
    pub severity_impact: Option<String>,
    pub material_impact: Option<String>,
    pub delay_reasons: Option<String>,
    /// When individual notice was given, in words, when it was sent outside Breachdesk (the
    /// dates of notices recorded as sent here come first).
    pub individual_notice_dates: Option<String>,
    pub monitoring: Option<Monitoring>,
}

const DATES: [&str; 2] = ["breach_start", "breach_end"];

fn check(n: &Narrative) -> Result<()> {
    for (f, v) in DATES.iter().zip([&n.breach_start, &n.breach_end]) {
        if let Some(d) = v {
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| Error::validation(f, format!("{d:?} is not a date (YYYY-MM-DD)")))?;
        }
    }
    if let Some(m) = &n.monitoring {
        if m.provider.trim().is_empty() {
            return Err(Error::validation("monitoring.provider", "is required with an offer"));
        }
        if m.months == 0 || m.months > 120 {
            return Err(Error::validation("monitoring.months", "must be 1 to 120"));
        }
        if let Some(d) = &m.enroll_by {
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                Error::validation(
                    "monitoring.enroll_by",
                    format!("{d:?} is not a date (YYYY-MM-DD)"),
                )
            })?;
        }
    }
    for (f, v) in [("malicious", &n.malicious), ("cross_border", &n.cross_border)] {
        if let Some(v) = v {
            if !["yes", "no", "unknown"].contains(&v.as_str()) {
                return Err(Error::validation(f, "is yes, no or unknown"));
            }
        }
    }
    Ok(())
}

pub(crate) fn read(conn: &Connection, incident_uuid: &str) -> Result<Narrative> {
    let json: Option<String> = conn
        .query_row(
            "SELECT narrative_json FROM notice_narratives WHERE incident_id = ?1",
            [incident_uuid],
            |r| r.get(0),
        )
        .optional()?;
    match json {
        None => Ok(Narrative::default()),
        Some(j) => serde_json::from_str(&j).map_err(|e| Error::Unreadable {
            entity: "narrative",
            id: incident_uuid.to_owned(),
            field: "narrative_json".into(),
            problem: e.to_string(),
            repair: "Set the narrative again".into(),
        }),
    }
}

impl Breachdesk {
    /// The incident's narrative (empty when none was written).
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn narrative(&self, incident_id: &str) -> Result<Narrative> {
        let inc = self.incident_row(incident_id)?;
        read(&*self.read()?, &inc.id)
    }

    /// Replaces the incident's narrative.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] naming the field.
    pub fn set_narrative(&self, ctx: &Ctx, incident_id: &str, n: &Narrative) -> Result<Narrative> {
        check(n)?;
        let inc = self.incident_row(incident_id)?;
        let before = self.narrative(&inc.id)?;
        let json = serde_json::to_string(n)
            .map_err(|source| Error::Json { what: "a narrative", source })?;
        let at = to_storage(ctx.now);
        self.write(ctx, |tx| {
            tx.execute(
                "INSERT INTO notice_narratives (incident_id, narrative_json, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(incident_id) DO UPDATE SET narrative_json = ?2, updated_at = ?3, updated_by = ?4",
                params![inc.id, json, at, ctx.actor],
            )?;
            Ok((
                (),
                vec![Change {
                    action: "narrative.set",
                    entity_type: "incident",
                    entity_id: inc.id.clone(),
                    before: Some(serde_json::to_value(&before).unwrap_or_default()),
                    after: Some(serde_json::to_value(n).unwrap_or_default()),
                }],
            ))
        })?;
        Ok(n.clone())
    }
}
