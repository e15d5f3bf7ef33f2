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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHold {
    pub start: String,
    pub end: String,
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
    pub hold: Option<(DateTime<Utc>, DateTime<Utc>)>,
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
        let (field, message) = full.split_once(": ").map_or((String::new(), full.clone()), |(f, m)| (f.to_owned(), m.to_owned()));
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
                return Err(fe(&field, format!("{k:?} is not an ISO 3166-2 US code (US-TX) or an ISO 3166-1 country (DE)")));
            }
            let n = u64::try_from(*v).map_err(|_| fe(&field, format!("a count cannot be negative ({v})")))?;
            affected.insert(k.clone(), n);
        }
        let mut exposure = BTreeMap::new();
        for (k, groups) in &self.exposure {
            if !jurisdiction::is_affected_key(k) {
                return Err(fe(&format!("exposure.{k}"), format!("{k:?} is not an ISO 3166-2 US code (US-TX) or an ISO 3166-1 country (DE)")));
            }
            let mut out = Vec::new();
            for (set, n) in groups {
                let field = format!("exposure.{k}.{set}");
                let elements: Vec<String> = set.split('+').map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned).collect();
                if let Some(bad) = elements.iter().find(|e| !RECOGNISED_DATA_TYPES.contains(&e.as_str())) {
                    return Err(fe(&field, format!("unknown data type {bad:?} (known: {})", RECOGNISED_DATA_TYPES.join(", "))));
                }
                out.push((elements, u64::try_from(*n).map_err(|_| fe(&field, format!("a count cannot be negative ({n})")))?));
            }
            exposure.insert(k.clone(), out);
        }
        for (i, t) in self.data_types.iter().enumerate() {
            if !RECOGNISED_DATA_TYPES.contains(&t.as_str()) {
                return Err(fe(&format!("data_types[{i}]"), format!("unknown data type {t:?} (known: {})", RECOGNISED_DATA_TYPES.join(", "))));
            }
        }
        let hipaa_role = match self.hipaa_role.as_deref() {
            None => None,
            Some("covered_entity") => Some(HipaaRole::CoveredEntity),
            Some("business_associate") => Some(HipaaRole::BusinessAssociate),
            Some(o) => return Err(fe("hipaa_role", format!("{o:?} is not covered_entity, business_associate or null"))),
        };
        let gdpr_role = match self.gdpr_role.as_deref() {
            None => None,
            Some("controller") => Some(GdprRole::Controller),
            Some("processor") => Some(GdprRole::Processor),
            Some(o) => return Err(fe("gdpr_role", format!("{o:?} is not controller, processor or null"))),
        };
        let hold = match &self.law_enforcement_hold {
            None => None,
            Some(h) => {
                let s = parse_timestamp("law_enforcement_hold.start", &h.start, zone)?;
                let e = parse_timestamp("law_enforcement_hold.end", &h.end, zone)?;
                if e <= s {
                    return Err(fe("law_enforcement_hold.end", "must come after the start"));
                }
                Some((s, e))
            }
        };
        let discovered_at = parse_timestamp("discovered_at", &self.discovered_at, zone)?;
        Ok(Facts {
            zone,
            detected_at: opt("detected_at", &self.detected_at)?,
            discovered_at,
            aware_at: opt("aware_at", &self.aware_at)?,
            determined_at: opt("determined_at", &self.determined_at)?,
            materiality_determined_at: opt("materiality_determined_at", &self.materiality_determined_at)?,
            hipaa_role,
            gdpr_role,
            high_risk: self.high_risk,
            sec_registrant: self.sec_registrant,
            nydfs_covered: self.nydfs_covered,
            nis2_entity: self.nis2_entity,
            phr_vendor: self.phr_vendor,
            affected,
            undeliverable: u64::try_from(self.undeliverable).map_err(|_| fe("undeliverable", "cannot be negative"))?,
            data_types: self.data_types.clone(),
            exposure,
            hold,
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
            T::DetectedAt => Some(self.detected_at.map_or((self.discovered_at, "discovered_at (no detected_at given)"), |x| (x, "detected_at"))),
            T::AwareAt => Some(self.aware_at.map_or((self.discovered_at, "discovered_at (no aware_at given)"), |x| (x, "aware_at"))),
            T::DeterminedAt => Some(self.determined_at.map_or((self.discovered_at, "discovered_at (no determined_at given)"), |x| (x, "determined_at"))),
            T::MaterialityDeterminedAt => self.materiality_determined_at.map(|x| (x, "materiality_determined_at")),
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
