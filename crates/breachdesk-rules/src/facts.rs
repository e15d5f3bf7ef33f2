//! The facts of an incident that the clocks depend on, read from JSON (the CLI's `--facts`), TOML
//! (the vectors) or the store, and checked with errors that name the field.

use crate::jurisdiction;
use crate::schema::RECOGNISED_DATA_TYPES;
use crate::time::{parse_timestamp, parse_zone, TimeError};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Facts as supplied; every key but `timezone` and `discovered_at` is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFacts {
    pub timezone: String,
    pub discovered_at: String,
    #[serde(default)]
    pub detected_at: Option<String>,
    #[serde(default)]
    pub aware_at: Option<String>,
    #[serde(default)]
    pub determined_at: Option<String>,
    #[serde(default)]
    pub materiality_determined_at: Option<String>,
    #[serde(default)]
    pub hipaa_role: Option<String>,
    #[serde(default)]
    pub gdpr_role: Option<String>,
    #[serde(default)]
    pub high_risk: bool,
    #[serde(default)]
    pub sec_registrant: bool,
    #[serde(default)]
    pub nydfs_covered: bool,
    /// An essential or important entity under NIS2 (as transposed).
    #[serde(default)]
    pub nis2_entity: bool,
    /// A vendor of personal health records or PHR related entity (FTC Health Breach Notification Rule).
    #[serde(default)]
    pub phr_vendor: bool,
    #[serde(default)]
    pub affected: BTreeMap<String, i64>,
    /// Affected individuals with no usable postal address and no e-mail (HIPAA substitute notice).
    #[serde(default)]
    pub undeliverable: i64,
    #[serde(default)]
    pub data_types: Vec<String>,
    /// From an imported list: per residence, how many people had each set of exposed data elements,
    /// keyed by the elements joined with `+` (`"name+ssn"`; `""` when the list did not say, so the
    /// incident's `data_types` stand for them). State laws count only the people their definition
    /// of personal information covers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exposure: BTreeMap<String, BTreeMap<String, i64>>,
    #[serde(default)]
    pub law_enforcement_hold: Option<RawHold>,
    /// The exposed data was encrypted (encryption safe harbours).
    #[serde(default)]
    pub encrypted: bool,
    /// The encryption key or credential was acquired too, so the safe harbours do not hold.
    #[serde(default)]
    pub key_compromised: bool,
    /// An investigation's conclusion that there is no reasonable likelihood of harm.
    #[serde(default)]
    pub harm_determination: Option<RawHarm>,
    /// Regimes the entity notifies under (deemed-compliance clauses): HIPAA, GLBA, NYDFS,
    /// FTC-HBNR, primary_federal_regulator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notified_under: Vec<String>,
    /// When notices were sent, by rule id (the first filing): dates the notices timed against them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sent: BTreeMap<String, String>,
    /// When an extortion (ransom) payment was made (NYDFS 500.17(c)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extortion_payment_at: Option<String>,
    /// A financial institution under the FTC Safeguards Rule (16 CFR 314).
    #[serde(default)]
    pub glba_financial_institution: bool,
    /// A banking organization's primary federal regulator: occ | frb | fdic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_regulator: Option<String>,
    /// A financial entity under DORA.
    #[serde(default)]
    pub dora_financial_entity: bool,
    /// DORA: the entity may report by noon of the next working day when a deadline falls on a
    /// weekend or holiday (Delegated Regulation (EU) 2025/301 Art. 5(4)); false for the entities
    /// it excludes.
    #[serde(default)]
    pub dora_next_working_day: bool,
    /// When the ICT-related incident was classified as major (DORA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classified_major_at: Option<String>,
    /// A licensee under the state insurance codes, and its home state (state of domicile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance_licensee: Option<RawLicensee>,
    /// When the CSIRT or competent authority asked for an intermediate report (NIS2 Art. 23(4)(c)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nis2_intermediate_requested_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHold {
    pub start: String,
    pub end: String,
    /// "written" (the default) or "oral": some laws let an oral request delay notice only briefly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHarm {
    pub decided_at: String,
    pub by: String,
    pub rationale: String,
    /// Law enforcement was consulted before the determination (some states require it).
    #[serde(default)]
    pub law_enforcement_consulted: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLicensee {
    /// ISO 3166-2 code of the licensee's home state (state of domicile or principal place of business).
    pub home_state: String,
}

/// A law-enforcement hold, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub oral: bool,
}

/// A risk-of-harm determination, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Harm {
    pub decided_at: DateTime<Utc>,
    pub by: String,
    pub rationale: String,
    pub law_enforcement_consulted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HipaaRole {
    CoveredEntity,
    BusinessAssociate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GdprRole {
    Controller,
    Processor,
}

/// Checked facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub zone: Tz,
    pub detected_at: Option<DateTime<Utc>>,
    pub discovered_at: DateTime<Utc>,
    pub aware_at: Option<DateTime<Utc>>,
    pub determined_at: Option<DateTime<Utc>>,
    pub materiality_determined_at: Option<DateTime<Utc>>,
    pub hipaa_role: Option<HipaaRole>,
    pub gdpr_role: Option<GdprRole>,
    pub high_risk: bool,
    pub sec_registrant: bool,
    pub nydfs_covered: bool,
    pub nis2_entity: bool,
    pub phr_vendor: bool,
    pub affected: BTreeMap<String, u64>,
    pub undeliverable: u64,
    pub data_types: Vec<String>,
    /// Per residence: (exposed elements, people). See [`RawFacts::exposure`].
    pub exposure: BTreeMap<String, Vec<(Vec<String>, u64)>>,
    pub hold: Option<Hold>,
    pub encrypted: bool,
    pub key_compromised: bool,
    pub harm: Option<Harm>,
    pub notified_under: Vec<String>,
    /// When notices were sent, by rule id.
    pub sent: BTreeMap<String, DateTime<Utc>>,
    pub extortion_payment_at: Option<DateTime<Utc>>,
    pub glba_financial_institution: bool,
    pub bank_regulator: Option<String>,
    pub dora_financial_entity: bool,
    pub dora_next_working_day: bool,
    pub classified_major_at: Option<DateTime<Utc>>,
    /// The insurance licensee's home state, when the entity is one.
    pub insurance_home_state: Option<String>,
    pub nis2_intermediate_requested_at: Option<DateTime<Utc>>,
}

/// A fact that cannot be used, and the field it is in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FactError {
    pub field: String,
    pub message: String,
}

impl From<TimeError> for FactError {
    fn from(e: TimeError) -> Self {
        let full = e.to_string();
        let (field, message) = full
            .split_once(": ")
            .map_or((String::new(), full.clone()), |(f, m)| (f.to_owned(), m.to_owned()));
        FactError { field, message }
    }
}

fn fe(field: &str, message: impl Into<String>) -> FactError {
    FactError { field: field.to_owned(), message: message.into() }
}

impl RawFacts {
    /// Checks every field.
    ///
    /// # Errors
    /// The first bad field: unknown zone, malformed or nonexistent local time, negative count,
    /// unknown jurisdiction, unknown data type or role, a hold that ends before it starts.
    pub fn check(&self) -> Result<Facts, FactError> {
        if self.timezone.trim().is_empty() {
            return Err(fe("timezone", "is required"));
        }
        let zone = parse_zone("timezone", &self.timezone)?;
        if self.discovered_at.trim().is_empty() {
            return Err(fe("discovered_at", "is required"));
        }
        let opt = |field: &str, v: &Option<String>| -> Result<Option<DateTime<Utc>>, FactError> {
            match v.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(s) => Ok(Some(parse_timestamp(field, s, zone)?)),
            }
        };
        let mut affected = BTreeMap::new();
        for (k, v) in &self.affected {
            let field = format!("affected.{k}");
            if !jurisdiction::is_affected_key(k) {
                return Err(fe(
                    &field,
                    format!(
                        "{k:?} is not an ISO 3166-2 US code (US-TX) or an ISO 3166-1 country (DE)"
                    ),
                ));
            }
            let n = u64::try_from(*v)
                .map_err(|_| fe(&field, format!("a count cannot be negative ({v})")))?;
            affected.insert(k.clone(), n);
        }
        let mut exposure = BTreeMap::new();
        for (k, groups) in &self.exposure {
            if !jurisdiction::is_affected_key(k) {
                return Err(fe(
                    &format!("exposure.{k}"),
                    format!(
                        "{k:?} is not an ISO 3166-2 US code (US-TX) or an ISO 3166-1 country (DE)"
                    ),
                ));
            }
            let mut out = Vec::new();
            for (set, n) in groups {
                let field = format!("exposure.{k}.{set}");
                let elements: Vec<String> = set
                    .split('+')
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(str::to_owned)
                    .collect();
                if let Some(bad) =
                    elements.iter().find(|e| !RECOGNISED_DATA_TYPES.contains(&e.as_str()))
                {
                    return Err(fe(
                        &field,
                        format!(
                            "unknown data type {bad:?} (known: {})",
                            RECOGNISED_DATA_TYPES.join(", ")
                        ),
                    ));
                }
                out.push((
                    elements,
                    u64::try_from(*n)
                        .map_err(|_| fe(&field, format!("a count cannot be negative ({n})")))?,
                ));
            }
            exposure.insert(k.clone(), out);
        }
        for (i, t) in self.data_types.iter().enumerate() {
            if !RECOGNISED_DATA_TYPES.contains(&t.as_str()) {
                return Err(fe(
                    &format!("data_types[{i}]"),
                    format!(
                        "unknown data type {t:?} (known: {})",
                        RECOGNISED_DATA_TYPES.join(", ")
                    ),
                ));
            }
        }
        let hipaa_role = match self.hipaa_role.as_deref() {
            None => None,
            Some("covered_entity") => Some(HipaaRole::CoveredEntity),
            Some("business_associate") => Some(HipaaRole::BusinessAssociate),
            Some(o) => {
                return Err(fe(
                    "hipaa_role",
                    format!("{o:?} is not covered_entity, business_associate or null"),
                ))
            }
        };
        let gdpr_role = match self.gdpr_role.as_deref() {
            None => None,
            Some("controller") => Some(GdprRole::Controller),
            Some("processor") => Some(GdprRole::Processor),
            Some(o) => {
                return Err(fe("gdpr_role", format!("{o:?} is not controller, processor or null")))
            }
        };
        let hold = match &self.law_enforcement_hold {
            None => None,
            Some(h) => {
                let s = parse_timestamp("law_enforcement_hold.start", &h.start, zone)?;
                let e = parse_timestamp("law_enforcement_hold.end", &h.end, zone)?;
                if e <= s {
                    return Err(fe("law_enforcement_hold.end", "must come after the start"));
                }
                let oral = match h.form.as_deref().map(str::trim) {
                    None | Some("" | "written") => false,
                    Some("oral") => true,
                    Some(o) => {
                        return Err(fe(
                            "law_enforcement_hold.form",
                            format!("{o:?} is not written or oral"),
                        ))
                    }
                };
                Some(Hold { start: s, end: e, oral })
            }
        };
        let harm = match &self.harm_determination {
            None => None,
            Some(h) => {
                if h.decided_at.trim().is_empty() {
                    return Err(fe("harm_determination.decided_at", "is required"));
                }
                let text = |field: &str, v: &str| -> Result<String, FactError> {
                    let v = v.trim();
                    if v.is_empty() {
                        return Err(fe(
                            field,
                            "is required: who decided, and why, is what a regulator asks for",
                        ));
                    }
                    if v.chars().count() > 20_000 {
                        return Err(fe(field, "is longer than 20,000 characters"));
                    }
                    Ok(v.to_owned())
                };
                Some(Harm {
                    decided_at: parse_timestamp(
                        "harm_determination.decided_at",
                        &h.decided_at,
                        zone,
                    )?,
                    by: text("harm_determination.by", &h.by)?,
                    rationale: text("harm_determination.rationale", &h.rationale)?,
                    law_enforcement_consulted: h.law_enforcement_consulted,
                })
            }
        };
        for (i, r) in self.notified_under.iter().enumerate() {
            if !crate::schema::NOTIFIED_UNDER.contains(&r.as_str()) {
                return Err(fe(
                    &format!("notified_under[{i}]"),
                    format!("{r:?} is not one of {}", crate::schema::NOTIFIED_UNDER.join(", ")),
                ));
            }
            if r == "HIPAA" && self.hipaa_role.is_none() {
                return Err(fe(
                    &format!("notified_under[{i}]"),
                    "notice under HIPAA needs a HIPAA role (hipaa_role)",
                ));
            }
        }
        let mut sent = BTreeMap::new();
        for (id, at) in &self.sent {
            sent.insert(id.clone(), parse_timestamp(&format!("sent.{id}"), at, zone)?);
        }
        if self.key_compromised && !self.encrypted {
            return Err(fe(
                "key_compromised",
                "only means something when the data was encrypted (encrypted: true)",
            ));
        }
        let bank_regulator = match self.bank_regulator.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(r @ ("occ" | "frb" | "fdic")) => Some(r.to_owned()),
            Some(o) => return Err(fe("bank_regulator", format!("{o:?} is not occ, frb or fdic"))),
        };
        let insurance_home_state = match &self.insurance_licensee {
            None => None,
            Some(l) => {
                let s = l.home_state.trim();
                if !jurisdiction::US_JURISDICTIONS.contains(&s) {
                    return Err(fe(
                        "insurance_licensee.home_state",
                        format!("{s:?} is not a US state code (US-OH)"),
                    ));
                }
                Some(s.to_owned())
            }
        };
        if self.dora_next_working_day && !self.dora_financial_entity {
            return Err(fe(
                "dora_next_working_day",
                "only applies to a DORA financial entity (dora_financial_entity: true)",
            ));
        }
        let discovered_at = parse_timestamp("discovered_at", &self.discovered_at, zone)?;
        Ok(Facts {
            zone,
            detected_at: opt("detected_at", &self.detected_at)?,
            discovered_at,
            aware_at: opt("aware_at", &self.aware_at)?,
            determined_at: opt("determined_at", &self.determined_at)?,
            materiality_determined_at: opt(
                "materiality_determined_at",
                &self.materiality_determined_at,
            )?,
            hipaa_role,
            gdpr_role,
            high_risk: self.high_risk,
            sec_registrant: self.sec_registrant,
            nydfs_covered: self.nydfs_covered,
            nis2_entity: self.nis2_entity,
            phr_vendor: self.phr_vendor,
            affected,
            undeliverable: u64::try_from(self.undeliverable)
                .map_err(|_| fe("undeliverable", "cannot be negative"))?,
            data_types: self.data_types.clone(),
            exposure,
            hold,
            encrypted: self.encrypted,
            key_compromised: self.key_compromised,
            harm,
            notified_under: self.notified_under.clone(),
            sent,
            extortion_payment_at: opt("extortion_payment_at", &self.extortion_payment_at)?,
            glba_financial_institution: self.glba_financial_institution,
            bank_regulator,
            dora_financial_entity: self.dora_financial_entity,
            dora_next_working_day: self.dora_next_working_day,
            classified_major_at: opt("classified_major_at", &self.classified_major_at)?,
            insurance_home_state,
            nis2_intermediate_requested_at: opt(
                "nis2_intermediate_requested_at",
                &self.nis2_intermediate_requested_at,
            )?,
        })
    }
}

impl Facts {
    /// The instant a trigger names, with the fallbacks the rules rely on: `aware_at`,
    /// `determined_at` and `detected_at` default to `discovered_at`; a materiality determination has
    /// no default (the SEC clock has not started until it is made).
    #[must_use]
    pub fn trigger(&self, t: crate::schema::Trigger) -> Option<(DateTime<Utc>, &'static str)> {
        use crate::schema::Trigger as T;
        match t {
            T::DiscoveredAt => Some((self.discovered_at, "discovered_at")),
            T::DetectedAt => Some(
                self.detected_at
                    .map_or((self.discovered_at, "discovered_at (no detected_at given)"), |x| {
                        (x, "detected_at")
                    }),
            ),
            T::AwareAt => Some(
                self.aware_at
                    .map_or((self.discovered_at, "discovered_at (no aware_at given)"), |x| {
                        (x, "aware_at")
                    }),
            ),
            T::DeterminedAt => Some(
                self.determined_at
                    .map_or((self.discovered_at, "discovered_at (no determined_at given)"), |x| {
                        (x, "determined_at")
                    }),
            ),
            T::MaterialityDeterminedAt => {
                self.materiality_determined_at.map(|x| (x, "materiality_determined_at"))
            }
            T::HarmDeterminedAt => {
                self.harm.as_ref().map(|h| (h.decided_at, "harm_determination.decided_at"))
            }
            T::ExtortionPaymentAt => self.extortion_payment_at.map(|x| (x, "extortion_payment_at")),
            T::ClassifiedMajorAt => self.classified_major_at.map(|x| (x, "classified_major_at")),
            T::IntermediateRequestedAt => {
                self.nis2_intermediate_requested_at.map(|x| (x, "nis2_intermediate_requested_at"))
            }
        }
    }

    /// Total affected individuals, everywhere.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.affected.values().sum()
    }

    #[must_use]
    pub fn count(&self, code: &str) -> u64 {
        self.affected.get(code).copied().unwrap_or(0)
    }
}
