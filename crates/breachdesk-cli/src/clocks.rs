//! `breachdesk clocks --facts FILE`: the rule engine on a facts file, as JSON on stdout.

use crate::Failure;
use breachdesk_core::Error;
use breachdesk_rules::engine::compute;
use breachdesk_rules::facts::RawFacts;
use std::path::Path;

fn user(field: String, message: String) -> Failure {
    Failure(Error::Validation { field, message })
}

pub fn from_file(path: &Path) -> Result<(), Failure> {
    let shown = path.display().to_string();
    let text = breachdesk_core::files::read_small(path, "facts")?;
    let raw: RawFacts = serde_json::from_str(&text).map_err(|e| {
        // serde names the unknown or mistyped key; keep the file and position too.
        user("facts".into(), format!("{shown}: {e}"))
    })?;
    let facts = raw.check().map_err(|e| user(e.field, e.message))?;
    let rules = breachdesk_core::obligations::rules()?;
    let outcome = compute(rules, &facts);
    let out = serde_json::json!({ "rules_fingerprint": rules.fingerprint, "obligations": outcome.obligations, "exemptions": outcome.exemptions });
    let s =
        serde_json::to_string_pretty(&out).map_err(|e| Failure(Error::Internal(e.to_string())))?;
    out!("{s}");
    Ok(())
}

/// `breachdesk clocks INCIDENT`: the engine's view of a stored incident, in the same JSON shape.
pub fn for_incident(bd: &breachdesk_core::Breachdesk, incident: &str) -> Result<(), Failure> {
    let computed = bd.computed_obligations(incident)?;
    let rules = breachdesk_core::obligations::rules()?;
    let out = serde_json::json!({ "rules_fingerprint": rules.fingerprint, "obligations": computed.obligations, "exemptions": computed.exemptions });
    let s =
        serde_json::to_string_pretty(&out).map_err(|e| Failure(Error::Internal(e.to_string())))?;
    out!("{s}");
    Ok(())
}

/// Reads an incident facts file (the facts beyond the incident's own timestamps).
pub fn read_incident_facts(
    path: &Path,
) -> Result<breachdesk_core::obligations::IncidentFacts, Failure> {
    let shown = path.display().to_string();
    let text = breachdesk_core::files::read_small(path, "file")?;
    serde_json::from_str(&text).map_err(|e| user("file".into(), format!("{shown}: {e}")))
}
