//! Obligations as records (one row per incident × rule × jurisdiction × recipient).
//!
//! The rule engine (breachdesk-rules) says what the facts call for; this module keeps the record:
//! rows are created when the facts call for them and never deleted (a row the facts stop calling
//! for goes out of scope), each carries a snapshot of the rule version it came from, "not
//! required" is a decision with a rationale and an approver, filings are append-only, and the due
//! time freezes at the first filing so later edits of the facts cannot make a late notice look on
//! time.

use crate::audit::Change;
use crate::incident::{clean_optional, required, Row};
use crate::{Ctx, Error, Result};
use breachdesk_rules::custom::{compute_custom, CustomObligation};
use breachdesk_rules::engine::{compute, Computed, Exempted, Outcome};
use breachdesk_rules::facts::{RawFacts, RawHarm, RawHold, RawLicensee};
use breachdesk_rules::schema::RuleSet;
use breachdesk_rules::time::{parse_timestamp, to_local_rfc3339, to_storage};
use chrono::{DateTime, Utc};
use decisions::DecisionRows;
pub(crate) use filings::FilingRows;
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;
pub(crate) use table::ObligationRows;
use table::{ListedRow, ObligationWrites, Stored};

mod cases;
pub(crate) use cases::{file, past_time, Filed};
mod decisions;
mod diff;
mod filings;
mod table;

pub(crate) use diff::diff;
pub(crate) use table::StoredKey;

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
    /// The exposed data was encrypted (encryption safe harbours).
    pub encrypted: bool,
    /// The encryption key or credential was acquired too: no safe harbour.
    pub key_compromised: bool,
    /// An investigation's conclusion that there is no reasonable likelihood of harm.
    pub harm_determination: Option<HarmDetermination>,
    /// Regimes the entity notifies under (deemed-compliance clauses): HIPAA | GLBA | NYDFS |
    /// FTC-HBNR | primary_federal_regulator.
    pub notified_under: Vec<String>,
    /// When an extortion (ransom) payment was made (NYDFS 500.17(c)).
    pub extortion_payment_at: Option<String>,
    /// A financial institution under the FTC Safeguards Rule (16 CFR 314).
    pub glba_financial_institution: bool,
    /// A banking organization's primary federal regulator: occ | frb | fdic | null.
    pub bank_regulator: Option<String>,
    /// A financial entity under DORA (Regulation (EU) 2022/2554).
    pub dora_financial_entity: bool,
    /// DORA: may report by noon of the next working day when a deadline falls on a weekend or
    /// holiday (Delegated Regulation (EU) 2025/301 Art. 5(4)).
    pub dora_next_working_day: bool,
    /// When the ICT-related incident was classified as major (DORA).
    pub classified_major_at: Option<String>,
    /// A licensee under the state insurance codes, with its home state.
    pub insurance_licensee: Option<Licensee>,
    /// When the CSIRT or competent authority asked for an intermediate report (NIS2 Art. 23(4)(c)).
    pub nis2_intermediate_requested_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Hold {
    pub start: String,
    pub end: String,
    /// written (the default) | oral
    #[serde(default)]
    pub form: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct HarmDetermination {
    pub decided_at: String,
    pub by: String,
    pub rationale: String,
    /// Law enforcement was consulted before the determination (some states require it).
    #[serde(default)]
    pub law_enforcement_consulted: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Licensee {
    /// ISO 3166-2 code of the home state (US-OH).
    pub home_state: String,
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
    /// A law's exit removes it (encryption, deemed compliance; no likelihood of harm once a
    /// person confirmed it).
    Exempt,
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
    /// The exit this decision confirms; it counts only while that exit still applies.
    pub exemption_id: Option<String>,
}

/// What a law's exit demands in return (each also an obligation, by its rule id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RequiredView {
    pub rule_id: String,
    #[ts(as = "breachdesk_rules::schema::Recipient")]
    pub recipient: String,
    pub summary: String,
    pub keep_years: Option<u32>,
}

/// The exit that removes an obligation, as stored on its row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ExemptionView {
    /// The exit's id in the rules (`US-FL-harm`).
    pub id: String,
    /// encryption | risk_of_harm | deemed_compliance
    #[ts(as = "breachdesk_rules::schema::ExemptionKind")]
    pub kind: String,
    pub citation: String,
    pub source_url: String,
    /// high | medium | low
    #[ts(as = "breachdesk_rules::schema::Confidence")]
    pub confidence: String,
    pub explanation: String,
    pub requires: Vec<RequiredView>,
    /// A person must confirm it before the notice stops being required (a judgement of harm, or
    /// an exit whose law Breachdesk holds at less than high confidence).
    pub needs_confirmation: bool,
    /// Set when a person confirmed it (filled on reading, never stored).
    #[serde(default)]
    pub confirmed: bool,
}

impl ExemptionView {
    fn from_engine(x: &Exempted) -> Self {
        ExemptionView {
            id: x.exemption_id.clone(),
            kind: name(&x.kind),
            citation: x.citation.clone(),
            source_url: x.source_url.clone(),
            confidence: name(&x.confidence),
            explanation: x.explanation.clone(),
            requires: x
                .requires
                .iter()
                .map(|r| RequiredView {
                    rule_id: r.rule_id.clone(),
                    recipient: name(&r.recipient),
                    summary: r.summary.clone(),
                    keep_years: r.keep_years,
                })
                .collect(),
            needs_confirmation: x.needs_confirmation,
            confirmed: false,
        }
    }
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
    #[ts(as = "breachdesk_rules::schema::Regime")]
    pub regime: String,
    pub jurisdiction: String,
    #[ts(as = "breachdesk_rules::schema::Recipient")]
    pub recipient: String,
    /// deadline | asap | annual | relative
    #[ts(as = "breachdesk_rules::engine::Kind")]
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
    #[ts(as = "breachdesk_rules::schema::Confidence")]
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
    /// The notice a relative deadline is timed against (its rule id).
    pub anchor: Option<String>,
    /// The law's exit that removes (or, awaiting confirmation, would remove) this obligation.
    pub exemption: Option<ExemptionView>,
}

/// One line of a recomputation's diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ObligationChange {
    /// added | removed | due_changed | exempted
    pub change: String,
    pub rule_id: String,
    pub jurisdiction: String,
    #[ts(as = "breachdesk_rules::schema::Recipient")]
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
    #[ts(as = "breachdesk_rules::schema::Regime")]
    pub regime: String,
    pub jurisdiction: String,
    #[ts(as = "breachdesk_rules::schema::Recipient")]
    pub recipient: String,
    #[ts(as = "breachdesk_rules::engine::Kind")]
    pub kind: String,
    pub due: Option<String>,
    pub rule_id: String,
    pub citation: String,
    #[ts(as = "breachdesk_rules::schema::Confidence")]
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

/// One exit the engine finds for a draft (nothing stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ExemptedView {
    #[ts(as = "breachdesk_rules::schema::Regime")]
    pub regime: String,
    pub jurisdiction: String,
    #[ts(as = "breachdesk_rules::schema::Recipient")]
    pub recipient: String,
    pub rule_id: String,
    pub exemption: ExemptionView,
}

/// What a draft would do: the diff against the stored obligations and the full computed list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FactsPreview {
    pub changes: Vec<ObligationChange>,
    pub obligations: Vec<ComputedView>,
    pub exemptions: Vec<ExemptedView>,
}

impl FactsPreview {
    pub(crate) fn new(changes: Vec<ObligationChange>, out: &Outcome) -> Self {
        FactsPreview {
            changes,
            obligations: out.obligations.iter().map(ComputedView::from).collect(),
            exemptions: out
                .exemptions
                .iter()
                .map(|x| ExemptedView {
                    regime: name(&x.regime),
                    jurisdiction: x.jurisdiction.clone(),
                    recipient: name(&x.recipient),
                    rule_id: x.rule_id.clone(),
                    exemption: ExemptionView::from_engine(x),
                })
                .collect(),
        }
    }
}

/// A user's decision on an obligation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionInput {
    /// not_required | required
    pub decision: String,
    pub rationale: String,
    pub approved_by: String,
    /// Confirms the exit the engine proposes (its id); with `not_required` only.
    pub exemption_id: Option<String>,
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
        .map_err(|e| Error::RuleData(e.clone()))
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
        let required_time = |field: &str, v: &str| -> Result<String> {
            t(field, &Some(v.to_owned()))?.ok_or_else(|| Error::validation(field, "is required"))
        };
        let mut out = self.clone();
        out.materiality_determined_at =
            t("materiality_determined_at", &self.materiality_determined_at)?;
        out.extortion_payment_at = t("extortion_payment_at", &self.extortion_payment_at)?;
        out.classified_major_at = t("classified_major_at", &self.classified_major_at)?;
        out.nis2_intermediate_requested_at =
            t("nis2_intermediate_requested_at", &self.nis2_intermediate_requested_at)?;
        out.hipaa_role = clean_optional("hipaa_role", self.hipaa_role.clone(), 40)?;
        out.gdpr_role = clean_optional("gdpr_role", self.gdpr_role.clone(), 40)?;
        out.bank_regulator = clean_optional("bank_regulator", self.bank_regulator.clone(), 10)?;
        out.law_enforcement_hold = match &self.law_enforcement_hold {
            None => None,
            Some(h) => Some(Hold {
                start: required_time("law_enforcement_hold.start", &h.start)?,
                end: required_time("law_enforcement_hold.end", &h.end)?,
                form: clean_optional("law_enforcement_hold.form", h.form.clone(), 20)?,
            }),
        };
        out.harm_determination = match &self.harm_determination {
            None => None,
            Some(h) => Some(HarmDetermination {
                decided_at: required_time("harm_determination.decided_at", &h.decided_at)?,
                by: required("harm_determination.by", &h.by, 200)?,
                rationale: required("harm_determination.rationale", &h.rationale, 20_000)?,
                law_enforcement_consulted: h.law_enforcement_consulted,
            }),
        };
        out.affected.retain(|_, n| *n != 0);
        out.raw(inc, &BTreeMap::new())
            .check()
            .map_err(|e| Error::Validation { field: e.field, message: e.message })?;
        Ok(out)
    }

    /// The engine's input for this incident; `sent` holds when notices were first recorded as
    /// sent, by rule id (storage form), for the notices timed against them.
    pub(crate) fn raw(&self, inc: &Row, sent: &BTreeMap<String, String>) -> RawFacts {
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
            law_enforcement_hold: self.law_enforcement_hold.as_ref().map(|h| RawHold {
                start: h.start.clone(),
                end: h.end.clone(),
                form: h.form.clone(),
            }),
            encrypted: self.encrypted,
            key_compromised: self.key_compromised,
            harm_determination: self.harm_determination.as_ref().map(|h| RawHarm {
                decided_at: h.decided_at.clone(),
                by: h.by.clone(),
                rationale: h.rationale.clone(),
                law_enforcement_consulted: h.law_enforcement_consulted,
            }),
            notified_under: self.notified_under.clone(),
            sent: sent.clone(),
            extortion_payment_at: self.extortion_payment_at.clone(),
            glba_financial_institution: self.glba_financial_institution,
            bank_regulator: self.bank_regulator.clone(),
            dora_financial_entity: self.dora_financial_entity,
            dora_next_working_day: self.dora_next_working_day,
            classified_major_at: self.classified_major_at.clone(),
            insurance_licensee: self
                .insurance_licensee
                .as_ref()
                .map(|l| RawLicensee { home_state: l.home_state.clone() }),
            nis2_intermediate_requested_at: self.nis2_intermediate_requested_at.clone(),
        }
    }
}

/// What the engine says for `inc` with `facts`, the notices already sent and the incident's
/// user-defined obligations.
pub(crate) fn computed(
    inc: &Row,
    facts: &IncidentFacts,
    sent: &BTreeMap<String, String>,
    customs: &[CustomObligation],
) -> Result<Outcome> {
    let f = facts
        .raw(inc, sent)
        .check()
        .map_err(|e| Error::Validation { field: e.field, message: e.message })?;
    let rules = rules()?;
    let mut out = compute(rules, &f);
    out.obligations.extend(customs.iter().map(|c| compute_custom(rules, c, &f)));
    Ok(out)
}

/// Inside the caller's transaction: saves `facts` (when given) and brings the stored obligations
/// in line with the facts, the notices sent and the user-defined obligations as `tx` sees them.
/// Returns the diff and the audit changes to append — so a user action, the facts it changes and
/// the obligations they call for commit together or not at all.
pub(crate) fn refresh(
    tx: &Transaction<'_>,
    ctx: &Ctx,
    inc: &Row,
    facts: Option<&IncidentFacts>,
) -> Result<(Vec<ObligationChange>, Vec<Change>)> {
    let mut audit = Vec::new();
    let facts = match facts {
        Some(new) => {
            let new = new.normalised(inc)?;
            let before = crate::facts::stored_facts(tx, &inc.id)?;
            if before != new {
                crate::facts::write_facts(tx, &inc.id, &new, ctx.now)?;
                crate::failpoint::hit("refresh.facts_written");
                let json = |f: &IncidentFacts| {
                    serde_json::to_value(f)
                        .map_err(|source| Error::Json { what: "incident facts", source })
                };
                audit.push(Change {
                    action: "incident.facts",
                    entity_type: "incident",
                    entity_id: inc.id.clone(),
                    before: Some(json(&before)?),
                    after: Some(json(&new)?),
                });
            }
            new
        }
        None => crate::facts::stored_facts(tx, &inc.id)?,
    };
    let out = computed(
        inc,
        &facts,
        &FilingRows(tx).first_sent_by_rule(&inc.id)?,
        &crate::custom::active(tx, &inc.id)?,
    )?;
    let (changes, recompute) = record(tx, ctx, inc, &out)?;
    audit.extend(recompute);
    Ok((changes, audit))
}

/// Brings the stored obligations of `inc` in line with `out` inside `tx`: rows are never
/// deleted, a frozen due time never moves, exits are recorded on their rows. Returns the diff and
/// the audit change (when anything changed); writes the diff to the timeline.
pub(crate) fn record(
    tx: &Transaction<'_>,
    ctx: &Ctx,
    inc: &Row,
    out: &Outcome,
) -> Result<(Vec<ObligationChange>, Option<Change>)> {
    let stored = ObligationRows(tx).keys(&inc.id)?;
    let changes = diff(&stored, out, inc.fields.zone);
    let fingerprint = rules()?.fingerprint.clone();
    let now = to_storage(ctx.now);
    let rows = out
        .obligations
        .iter()
        .map(|c| (c, None))
        .chain(out.exemptions.iter().map(|x| (&x.as_obligation, Some(x))));
    let writes = ObligationWrites::new(tx);
    for (c, exempt) in rows {
        let exemption_json = exempt
            .map(|x| serde_json::to_string(&ExemptionView::from_engine(x)))
            .transpose()
            .map_err(|source| Error::Json { what: "an exemption", source })?;
        let row = Stored {
            computed: c,
            due_at: c.due_utc.map(to_storage),
            fingerprint: &fingerprint,
            exemption_json,
            now: &now,
        };
        match stored.iter().find(|s| s.is(c)) {
            Some(s) if s.frozen => writes.keep_frozen(&s.id, &row)?,
            Some(s) => writes.update(&s.id, &row)?,
            None => writes.insert(&crate::uuid7(ctx.now), &inc.id, &row)?,
        }
    }
    for s in stored.iter().filter(|s| s.in_scope) {
        if !out
            .obligations
            .iter()
            .chain(out.exemptions.iter().map(|x| &x.as_obligation))
            .any(|c| s.is(c))
        {
            writes.out_of_scope(&s.id, &now)?;
        }
    }
    if changes.is_empty() {
        return Ok((changes, None));
    }
    let summary: Vec<String> = changes.iter().map(|c| c.message.clone()).collect();
    crate::timeline::append_system(
        tx,
        ctx,
        &inc.id,
        &format!("Obligations recomputed: {}", summary.join("; ")),
    )?;
    let audit = Change {
        action: "obligations.recompute",
        entity_type: "incident",
        entity_id: inc.id.clone(),
        before: None,
        after: Some(
            serde_json::json!({ "changes": summary, "rules_fingerprint": fingerprint, "zone": inc.fields.zone.name() }),
        ),
    };
    Ok((changes, Some(audit)))
}

const REPAIR_OBLIGATION: &str = "Save the incident's facts again (the facts editor, or \
     `breachdesk facts set`): the obligation is recomputed; a frozen due time must be restored from \
     a backup";

/// An incident's obligations with their status at `now`, most urgent first.
pub(crate) fn list(conn: &Connection, inc: &Row, now: DateTime<Utc>) -> Result<Vec<Obligation>> {
    use ObligationStatus as S;
    let zone = inc.fields.zone;
    let show = |s: String| crate::stored_to_local(s, zone);
    let mut rows: Vec<(Obligation, Option<DateTime<Utc>>)> = ObligationRows(conn)
        .listed(&inc.id)?
        .into_iter()
        .map(|row| {
            let ListedRow { due_at, frozen_at, owner_role, exemption_json, obligation: mut o } =
                row;
            let id = o.id.clone();
            // A stored value that cannot be read is an error naming the row, never "no due time".
            let unreadable = |field: &str, problem: String| Error::Unreadable {
                entity: "obligation",
                id: id.clone(),
                field: field.to_owned(),
                problem,
                repair: REPAIR_OBLIGATION.into(),
            };
            let due_utc = match due_at.as_deref() {
                None => None,
                Some(t) => {
                    Some(DateTime::parse_from_rfc3339(t).map(|t| t.with_timezone(&Utc)).map_err(
                        |e| {
                            unreadable(
                                "due_at",
                                format!("the stored due time {t:?} cannot be read ({e})"),
                            )
                        },
                    )?)
                }
            };
            o.exemption = exemption_json
                .as_deref()
                .map(serde_json::from_str::<ExemptionView>)
                .transpose()
                .map_err(|e| {
                    unreadable(
                        "exemption_json",
                        format!("the stored exemption cannot be read ({e})"),
                    )
                })?;
            o.owner_name = match owner_role.as_str() {
                "comms_lead" => inc.fields.roles.comms_lead.clone(),
                "executive_sponsor" => inc.fields.roles.executive_sponsor.clone(),
                _ => inc.fields.roles.compliance_liaison.clone(),
            };
            o.owner_role = owner_role;
            o.frozen_at = frozen_at.map(show);
            o.due = due_utc.map(|t| to_local_rfc3339(t, zone));
            o.seconds_left = due_utc.map(|t| (t - now).num_seconds());
            Ok((o, due_utc))
        })
        .collect::<Result<Vec<_>>>()?;
    for (o, due) in &mut rows {
        o.decision = DecisionRows(conn)
            .latest(&o.id)?
            .map(|d| Decision { decided_at: show(d.decided_at.clone()), ..d });
        o.filings = FilingRows(conn)
            .of(&o.id)?
            .into_iter()
            .map(|f| Filing {
                sent_at: show(f.sent_at.clone()),
                recorded_at: show(f.recorded_at.clone()),
                ..f
            })
            .collect();
        if let (Some(x), Some(d)) = (o.exemption.as_mut(), o.decision.as_ref()) {
            x.confirmed =
                d.decision == "not_required" && d.exemption_id.as_deref() == Some(x.id.as_str());
        }
        o.status = status(
            o.in_scope,
            o.decision.as_ref(),
            o.exemption.as_ref(),
            !o.filings.is_empty(),
            *due,
            now,
        );
    }
    // "As soon as possible" is never turned into invented days; the earliest open fixed deadline
    // of the same incident is shown beside it as an internal target.
    let earliest = rows
        .iter()
        .filter(|(o, _)| {
            o.kind == "deadline" && matches!(o.status, S::Open | S::DueSoon | S::Overdue)
        })
        .filter_map(|(_, d)| *d)
        .min();
    for (o, _) in &mut rows {
        if o.kind == "asap" {
            o.internal_target = earliest.map(|t| to_local_rfc3339(t, zone));
        }
    }
    let rank = |s: S| match s {
        S::Overdue => 0,
        S::DueSoon => 1,
        S::Open => 2,
        S::Done => 3,
        S::Exempt => 4,
        S::NotRequired => 5,
        S::OutOfScope => 6,
    };
    rows.sort_by(|(a, da), (b, db)| {
        (rank(a.status), da.is_none(), *da, &a.rule_id, &a.jurisdiction).cmp(&(
            rank(b.status),
            db.is_none(),
            *db,
            &b.rule_id,
            &b.jurisdiction,
        ))
    });
    Ok(rows.into_iter().map(|(o, _)| o).collect())
}

/// Where an obligation stands at `now`. An exit removes it when it needs no confirmation or a
/// person confirmed that very exit; a "required" decision overrides any exit.
pub(crate) fn status(
    in_scope: bool,
    decision: Option<&Decision>,
    exemption: Option<&ExemptionView>,
    filed: bool,
    due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ObligationStatus {
    if filed {
        return ObligationStatus::Done;
    }
    if !in_scope {
        return if decision.is_some_and(|d| d.decision == "not_required") {
            ObligationStatus::NotRequired
        } else {
            ObligationStatus::OutOfScope
        };
    }
    let required = decision.is_some_and(|d| d.decision == "required");
    if let Some(x) = exemption.filter(|_| !required) {
        if !x.needs_confirmation || x.confirmed {
            return ObligationStatus::Exempt;
        }
    }
    if decision.is_some_and(|d| d.decision == "not_required" && d.exemption_id.is_none()) {
        return ObligationStatus::NotRequired;
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
        return Err(Error::validation(
            "decision",
            format!("{:?} is not not_required or required", d.decision),
        ));
    }
    Ok((
        decision,
        required("rationale", &d.rationale, 20_000)?,
        required("approved_by", &d.approved_by, 200)?,
    ))
}
