//! Obligations as records (one row per incident × rule × jurisdiction × recipient).
//!
//! The rule engine (breachdesk-rules) says what the facts call for; this module keeps the record:
//! rows are created when the facts call for them and never deleted (a row the facts stop calling
//! for goes out of scope), each carries a snapshot of the rule version it came from, "not
//! required" is a decision with a rationale and an approver, filings are append-only, and the due
//! time freezes at the first filing so later edits of the facts cannot make a late notice look on
//! time.

use crate::incident::{clean_optional, required, Row};
use crate::{Error, Result};
use breachdesk_rules::custom::{compute_custom, CustomObligation};
use breachdesk_rules::engine::{compute, Computed};
use breachdesk_rules::facts::{RawFacts, RawHold};
use breachdesk_rules::schema::RuleSet;
use breachdesk_rules::time::{parse_timestamp, to_local_rfc3339, to_storage};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The facts of an incident beyond its own timestamps and zone. Times: local
/// `YYYY-MM-DDTHH:MM[:SS]` in the incident's zone or RFC 3339; stored as UTC instants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentFacts {
    pub materiality_determined_at: Option<String>,
    /// covered_entity | business_associate | null
    pub hipaa_role: Option<String>,
    /// controller | processor | null
    pub gdpr_role: Option<String>,
    pub high_risk: bool,
    pub sec_registrant: bool,
    pub nydfs_covered: bool,
    pub nis2_entity: bool,
    pub phr_vendor: bool,
    /// Affected individuals by residence: ISO 3166-2 US codes or ISO 3166-1 countries.
    #[ts(type = "Record<string, number>")]
    pub affected: BTreeMap<String, i64>,
    /// Affected individuals with no usable postal address and no e-mail (from the imported list).
    #[ts(type = "number")]
    pub undeliverable: i64,
    pub data_types: Vec<String>,
    /// From the imported list: per residence, people by the set of data elements exposed
    /// (`"name+ssn"`; `""` when the list did not say). Decides whom each state's law covers.
    #[ts(type = "Record<string, Record<string, number>>")]
    pub exposure: BTreeMap<String, BTreeMap<String, i64>>,
    pub law_enforcement_hold: Option<Hold>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Hold {
    pub start: String,
    pub end: String,
}

/// Where an obligation stands at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ObligationStatus {
    Open,
    DueSoon,
    Overdue,
    Done,
    NotRequired,
    /// The facts no longer call for it (kept on record).
    OutOfScope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Decision {
    pub decision: String,
    pub rationale: String,
    pub approved_by: String,
    pub decided_at: String,
    pub decided_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Filing {
    pub id: String,
    pub sent_at: String,
    pub channel: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// An obligation as clients see it, with its status at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Obligation {
    pub id: String,
    pub rule_id: String,
    pub regime: String,
    pub jurisdiction: String,
    pub recipient: String,
    /// deadline | asap | annual | relative
    pub kind: String,
    /// RFC 3339 in the incident's zone, or null.
    pub due: Option<String>,
    /// Seconds from `now` to the due time (negative when overdue).
    #[ts(type = "number | null")]
    pub seconds_left: Option<i64>,
    pub status: ObligationStatus,
    /// For asap rows: the earliest fixed deadline of the same incident, as an internal target.
    pub internal_target: Option<String>,
    pub in_scope: bool,
    /// Set when the first notice was recorded as sent: the due time no longer moves.
    pub frozen_at: Option<String>,
    pub rule_version: String,
    pub citation: String,
    pub source_url: String,
    /// high | medium | low
    pub confidence: String,
    pub explanation: String,
    pub channel: Option<String>,
    pub address: Option<String>,
    pub owner_role: String,
    pub owner_name: Option<String>,
    /// For user-defined obligations (regime CONTRACT): the user's label.
    pub label: Option<String>,
    pub decision: Option<Decision>,
    pub filings: Vec<Filing>,
}

/// One line of a recomputation's diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ObligationChange {
    /// added | removed | due_changed
    pub change: String,
    pub rule_id: String,
    pub jurisdiction: String,
    pub recipient: String,
    pub old_due: Option<String>,
    pub new_due: Option<String>,
    pub message: String,
}

/// Facts and incident timestamps as edited in the facts editor or the what-if sandbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct FactsDraft {
    pub facts: IncidentFacts,
    /// Changes to the incident's own fields (timestamps, zone); null leaves them as they are.
    pub patch: Option<crate::incident::IncidentPatch>,
}

/// One obligation as the engine computes it for a draft (nothing stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ComputedView {
    pub regime: String,
    pub jurisdiction: String,
    pub recipient: String,
    pub kind: String,
    pub due: Option<String>,
    pub rule_id: String,
    pub citation: String,
    pub confidence: String,
    pub explanation: String,
}

impl From<&Computed> for ComputedView {
    fn from(c: &Computed) -> Self {
        ComputedView {
            regime: name(&c.regime),
            jurisdiction: c.jurisdiction.clone(),
            recipient: name(&c.recipient),
            kind: name(&c.kind),
            due: c.due.clone(),
            rule_id: c.rule_id.clone(),
            citation: c.citation.clone(),
            confidence: name(&c.confidence),
            explanation: c.explanation.clone(),
        }
    }
}

/// What a draft would do: the diff against the stored obligations and the full computed list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FactsPreview {
    pub changes: Vec<ObligationChange>,
    pub obligations: Vec<ComputedView>,
}

/// A user's decision on an obligation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionInput {
    /// not_required | required
    pub decision: String,
    pub rationale: String,
    pub approved_by: String,
}

/// A notice recorded as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct FilingInput {
    pub sent_at: String,
    pub channel: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// The embedded rule set, parsed once per process.
///
/// # Errors
/// [`Error::Internal`] when the shipped rule data is invalid (the test suite prevents that).
pub fn rules() -> Result<&'static RuleSet> {
    static RULES: OnceLock<std::result::Result<RuleSet, String>> = OnceLock::new();
    RULES
        .get_or_init(|| RuleSet::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::Internal(format!("rule data: {e}")))
}

/// The serde name of an engine enum (`Recipient::AttorneyGeneral` → "attorney_general").
pub(crate) fn name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The default owner of an obligation: the comms lead for individuals and media, the executive
/// sponsor for investors and the board, the compliance liaison for regulators and counterparties.
#[must_use]
pub fn owner_role(recipient: &str) -> &'static str {
    match recipient {
        "individuals" | "media" => "comms_lead",
        "investors" | "board" => "executive_sponsor",
        _ => "compliance_liaison",
    }
}

impl IncidentFacts {
    /// Normalises the times to UTC instants and checks every field against the rule engine's
    /// vocabulary (errors name the field).
    pub(crate) fn normalised(&self, inc: &Row) -> Result<IncidentFacts> {
        let zone = inc.fields.zone;
        let t = |field: &str, v: &Option<String>| -> Result<Option<String>> {
            match v.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(s) => Ok(Some(to_storage(parse_timestamp(field, s, zone)?))),
            }
        };
        let mut out = self.clone();
        out.materiality_determined_at = t("materiality_determined_at", &self.materiality_determined_at)?;
        out.hipaa_role = clean_optional("hipaa_role", self.hipaa_role.clone(), 40)?;
        out.gdpr_role = clean_optional("gdpr_role", self.gdpr_role.clone(), 40)?;
        out.law_enforcement_hold = match &self.law_enforcement_hold {
            None => None,
            Some(h) => Some(Hold {
                start: t("law_enforcement_hold.start", &Some(h.start.clone()))?.ok_or_else(|| Error::validation("law_enforcement_hold.start", "is required"))?,
                end: t("law_enforcement_hold.end", &Some(h.end.clone()))?.ok_or_else(|| Error::validation("law_enforcement_hold.end", "is required"))?,
            }),
        };
        out.affected.retain(|_, n| *n != 0);
        out.raw(inc).check().map_err(|e| Error::Validation { field: e.field, message: e.message })?;
        Ok(out)
    }

    /// The engine's input for this incident.
    pub(crate) fn raw(&self, inc: &Row) -> RawFacts {
        let f = &inc.fields;
        RawFacts {
            timezone: f.zone.name().to_owned(),
            // Legal clocks run from discovery; until it is recorded, detection (earlier) stands in.
            discovered_at: to_storage(f.discovered_at.unwrap_or(f.detected_at)),
            detected_at: Some(to_storage(f.detected_at)),
            aware_at: f.aware_at.map(to_storage),
            determined_at: f.determined_at.map(to_storage),
            materiality_determined_at: self.materiality_determined_at.clone(),
            hipaa_role: self.hipaa_role.clone(),
            gdpr_role: self.gdpr_role.clone(),
            high_risk: self.high_risk,
            sec_registrant: self.sec_registrant,
            nydfs_covered: self.nydfs_covered,
            nis2_entity: self.nis2_entity,
            phr_vendor: self.phr_vendor,
            affected: self.affected.clone(),
            undeliverable: self.undeliverable,
            data_types: self.data_types.clone(),
            exposure: self.exposure.clone(),
            law_enforcement_hold: self.law_enforcement_hold.as_ref().map(|h| RawHold { start: h.start.clone(), end: h.end.clone() }),
        }
    }
}

/// What the engine says for `inc` with `facts` and the incident's user-defined obligations.
pub(crate) fn computed(inc: &Row, facts: &IncidentFacts, customs: &[CustomObligation]) -> Result<Vec<Computed>> {
    let f = facts.raw(inc).check().map_err(|e| Error::Validation { field: e.field, message: e.message })?;
    let rules = rules()?;
    let mut out = compute(rules, &f);
    out.extend(customs.iter().map(|c| compute_custom(rules, c, &f)));
    Ok(out)
}

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
}

fn show_due(due_utc: Option<&str>, zone: chrono_tz::Tz) -> String {
    due_utc
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map_or_else(|| "no fixed time".to_owned(), |t| to_local_rfc3339(t.with_timezone(&Utc), zone))
}

impl StoredKey {
    /// Whether this row records the obligation `c` (same rule, jurisdiction and recipient).
    pub(crate) fn is(&self, c: &Computed) -> bool {
        self.rule_id == c.rule_id && self.jurisdiction == c.jurisdiction && self.recipient == name(&c.recipient)
    }
}

/// Compares what is stored with what the engine says now.
pub(crate) fn diff(stored: &[StoredKey], now: &[Computed], zone: chrono_tz::Tz) -> Vec<ObligationChange> {
    let mut out = Vec::new();
    for c in now {
        let recipient = name(&c.recipient);
        let new_due = c.due_utc.map(to_storage);
        let label = format!("{} {} ({})", c.jurisdiction, recipient.replace('_', " "), c.rule_id);
        match stored.iter().find(|s| s.is(c)) {
            None => out.push(ObligationChange {
                change: "added".into(),
                rule_id: c.rule_id.clone(),
                jurisdiction: c.jurisdiction.clone(),
                recipient: recipient.clone(),
                old_due: None,
                new_due: c.due.clone(),
                message: format!("{label}: now required, due {}", show_due(new_due.as_deref(), zone)),
            }),
            Some(s) if !s.in_scope => out.push(ObligationChange {
                change: "added".into(),
                rule_id: c.rule_id.clone(),
                jurisdiction: c.jurisdiction.clone(),
                recipient,
                old_due: None,
                new_due: c.due.clone(),
                message: format!("{label}: required again, due {}", show_due(new_due.as_deref(), zone)),
            }),
            Some(s) if !s.frozen && s.due_at != new_due => out.push(ObligationChange {
                change: "due_changed".into(),
                rule_id: c.rule_id.clone(),
                jurisdiction: c.jurisdiction.clone(),
                recipient,
                old_due: s.due_at.as_deref().map(|d| show_due(Some(d), zone)),
                new_due: c.due.clone(),
                message: format!("{label}: due moves from {} to {}", show_due(s.due_at.as_deref(), zone), show_due(new_due.as_deref(), zone)),
            }),
            Some(_) => {}
        }
    }
    for s in stored.iter().filter(|s| s.in_scope) {
        if !now.iter().any(|c| s.is(c)) {
            out.push(ObligationChange {
                change: "removed".into(),
                rule_id: s.rule_id.clone(),
                jurisdiction: s.jurisdiction.clone(),
                recipient: s.recipient.clone(),
                old_due: s.due_at.as_deref().map(|d| show_due(Some(d), zone)),
                new_due: None,
                message: format!("{} {} ({}): no longer called for by the facts (kept on record)", s.jurisdiction, s.recipient.replace('_', " "), s.rule_id),
            });
        }
    }
    out
}

pub(crate) fn status(in_scope: bool, decision: Option<&Decision>, filed: bool, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> ObligationStatus {
    if filed {
        return ObligationStatus::Done;
    }
    if decision.is_some_and(|d| d.decision == "not_required") {
        return ObligationStatus::NotRequired;
    }
    if !in_scope {
        return ObligationStatus::OutOfScope;
    }
    match due {
        Some(d) if d <= now => ObligationStatus::Overdue,
        Some(d) if (d - now).num_seconds() < 7 * 24 * 3600 => ObligationStatus::DueSoon,
        _ => ObligationStatus::Open,
    }
}

pub(crate) fn check_decision(d: &DecisionInput) -> Result<(String, String, String)> {
    let decision = d.decision.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    if decision != "not_required" && decision != "required" {
        return Err(Error::validation("decision", format!("{:?} is not not_required or required", d.decision)));
    }
    Ok((decision, required("rationale", &d.rationale, 20_000)?, required("approved_by", &d.approved_by, 200)?))
}
