//! Incidents: the record at the centre of everything, with the legal timestamps kept apart.
//!
//! * `occurred_at` — when the breach itself happened (often learned later);
//! * `detected_at` — the first alert or report (required);
//! * `discovered_at` — when the organisation knew, or should have known, of the breach (HIPAA and
//!   most state clocks run from here); a gap after detection needs a written reason;
//! * `aware_at` — GDPR "aware" (reasonable certainty a personal-data breach occurred);
//! * `determined_at` — when the incident was determined to be material / a notifiable breach.
//!
//! Instants are stored in UTC; the incident's IANA zone says how to show them and which local
//! date a calendar-day clock counts from.

use crate::{Error, Result};
use breachdesk_rules::time::{parse_timestamp, parse_zone, to_local_rfc3339, to_storage};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// SEV-0 (worst) … SEV-3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
pub enum Severity {
    #[serde(rename = "SEV-0")]
    Sev0,
    #[serde(rename = "SEV-1")]
    Sev1,
    #[serde(rename = "SEV-2")]
    Sev2,
    #[serde(rename = "SEV-3")]
    Sev3,
}

/// The decision rule shown as help wherever severity is chosen.
pub const SEVERITY_RULE: &str = "PHI/PII may have been accessed by an unauthorized party, or the service is fully down for customers, or exploitation is active → SEV-0; when in doubt, one tier up.";

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Sev0, Severity::Sev1, Severity::Sev2, Severity::Sev3];
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Sev0 => "SEV-0",
            Severity::Sev1 => "SEV-1",
            Severity::Sev2 => "SEV-2",
            Severity::Sev3 => "SEV-3",
        }
    }
    /// # Errors
    /// [`Error::Validation`] on `severity` for anything but SEV-0…SEV-3.
    pub fn parse(s: &str) -> Result<Severity> {
        let t = s.trim().to_ascii_uppercase().replace(' ', "-");
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str() == t || v.as_str().replace('-', "") == t)
            .ok_or_else(|| Error::validation("severity", format!("{s:?} is not a severity (SEV-0, SEV-1, SEV-2 or SEV-3)")))
    }
}

/// Where the incident stands. Moves forward only: detected → contained → assessed → notifying → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Detected,
    Contained,
    Assessed,
    Notifying,
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Detected, Status::Contained, Status::Assessed, Status::Notifying, Status::Closed];
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Detected => "detected",
            Status::Contained => "contained",
            Status::Assessed => "assessed",
            Status::Notifying => "notifying",
            Status::Closed => "closed",
        }
    }
    /// # Errors
    /// [`Error::Validation`] on `status` for an unknown status.
    pub fn parse(s: &str) -> Result<Status> {
        let t = s.trim().to_ascii_lowercase();
        Status::ALL.into_iter().find(|v| v.as_str() == t).ok_or_else(|| {
            Error::validation("status", format!("{s:?} is not a status (detected, contained, assessed, notifying, closed)"))
        })
    }
}

/// The named people in charge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct Roles {
    pub incident_commander: Option<String>,
    pub compliance_liaison: Option<String>,
    pub comms_lead: Option<String>,
    pub engineering_responder: Option<String>,
    pub executive_sponsor: Option<String>,
}

impl Roles {
    pub const NAMES: [&'static str; 5] = ["incident_commander", "compliance_liaison", "comms_lead", "engineering_responder", "executive_sponsor"];

    fn slots(&mut self) -> [(&'static str, &mut Option<String>); 5] {
        [
            ("incident_commander", &mut self.incident_commander),
            ("compliance_liaison", &mut self.compliance_liaison),
            ("comms_lead", &mut self.comms_lead),
            ("engineering_responder", &mut self.engineering_responder),
            ("executive_sponsor", &mut self.executive_sponsor),
        ]
    }

    fn normalise(&mut self) -> Result<()> {
        for (name, v) in self.slots() {
            *v = clean_optional(name, v.take(), 200)?;
        }
        Ok(())
    }
}

/// An incident as every client sees it. Timestamps are RFC 3339 in the incident's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Incident {
    /// UUIDv7 primary key.
    pub id: String,
    /// `INC-YYYYMMDD-NNN`, from the local date of detection.
    pub human_id: String,
    pub title: String,
    pub summary: String,
    pub severity: Severity,
    pub status: Status,
    pub timezone: String,
    pub occurred_at: Option<String>,
    pub detected_at: String,
    pub discovered_at: Option<String>,
    pub aware_at: Option<String>,
    pub determined_at: Option<String>,
    pub discovery_gap_reason: Option<String>,
    pub roles: Roles,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
}

/// What a user supplies to open an incident. Timestamps: local `YYYY-MM-DDTHH:MM[:SS]` in
/// `timezone`, or RFC 3339.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct NewIncident {
    pub title: String,
    pub summary: String,
    pub severity: String,
    pub timezone: String,
    pub occurred_at: Option<String>,
    pub detected_at: String,
    pub discovered_at: Option<String>,
    pub aware_at: Option<String>,
    pub determined_at: Option<String>,
    pub discovery_gap_reason: Option<String>,
    pub roles: Roles,
}

/// A change to an incident: `None` leaves a field alone. For optional timestamps and the gap
/// reason, an empty string clears the value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentPatch {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub severity: Option<String>,
    pub status: Option<String>,
    pub timezone: Option<String>,
    pub occurred_at: Option<String>,
    pub detected_at: Option<String>,
    pub discovered_at: Option<String>,
    pub aware_at: Option<String>,
    pub determined_at: Option<String>,
    pub discovery_gap_reason: Option<String>,
    pub roles: Option<Roles>,
}

/// The validated, typed form of an incident's editable fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fields {
    pub title: String,
    pub summary: String,
    pub severity: Severity,
    pub status: Status,
    pub zone: Tz,
    pub occurred_at: Option<DateTime<Utc>>,
    pub detected_at: DateTime<Utc>,
    pub discovered_at: Option<DateTime<Utc>>,
    pub aware_at: Option<DateTime<Utc>>,
    pub determined_at: Option<DateTime<Utc>>,
    pub discovery_gap_reason: Option<String>,
    pub roles: Roles,
}

pub(crate) fn clean_optional(field: &str, v: Option<String>, max: usize) -> Result<Option<String>> {
    let v = v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if let Some(s) = &v {
        if s.chars().count() > max {
            return Err(Error::validation(field, format!("is longer than {max} characters")));
        }
        if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(Error::validation(field, "contains control characters"));
        }
    }
    Ok(v)
}

pub(crate) fn required(field: &str, v: &str, max: usize) -> Result<String> {
    clean_optional(field, Some(v.to_owned()), max)?.ok_or_else(|| Error::validation(field, "is required"))
}

fn optional_time(field: &str, v: Option<&str>, zone: Tz) -> Result<Option<DateTime<Utc>>> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => Ok(Some(parse_timestamp(field, s, zone)?)),
    }
}

impl Fields {
    pub(crate) fn from_new(n: &NewIncident) -> Result<Fields> {
        if n.timezone.trim().is_empty() {
            return Err(Error::validation("timezone", "is required"));
        }
        let zone = parse_zone("timezone", &n.timezone)?;
        let detected = n.detected_at.trim();
        if detected.is_empty() {
            return Err(Error::validation("detected_at", "is required"));
        }
        let mut roles = n.roles.clone();
        roles.normalise()?;
        let f = Fields {
            title: required("title", &n.title, 200)?,
            summary: clean_optional("summary", Some(n.summary.clone()), 20_000)?.unwrap_or_default(),
            severity: Severity::parse(&n.severity)?,
            status: Status::Detected,
            zone,
            occurred_at: optional_time("occurred_at", n.occurred_at.as_deref(), zone)?,
            detected_at: parse_timestamp("detected_at", detected, zone)?,
            discovered_at: optional_time("discovered_at", n.discovered_at.as_deref(), zone)?,
            aware_at: optional_time("aware_at", n.aware_at.as_deref(), zone)?,
            determined_at: optional_time("determined_at", n.determined_at.as_deref(), zone)?,
            discovery_gap_reason: clean_optional("discovery_gap_reason", n.discovery_gap_reason.clone(), 5_000)?,
            roles,
        };
        f.check()?;
        Ok(f)
    }

    /// Applies `p` on top of `self`. Timestamps in the patch are read in the (possibly new) zone.
    pub(crate) fn patched(&self, p: &IncidentPatch) -> Result<Fields> {
        let mut f = self.clone();
        if let Some(z) = &p.timezone {
            f.zone = parse_zone("timezone", z)?;
        }
        if let Some(t) = &p.title {
            f.title = required("title", t, 200)?;
        }
        if let Some(s) = &p.summary {
            f.summary = clean_optional("summary", Some(s.clone()), 20_000)?.unwrap_or_default();
        }
        if let Some(s) = &p.severity {
            f.severity = Severity::parse(s)?;
        }
        if let Some(s) = &p.status {
            let to = Status::parse(s)?;
            if to < f.status {
                return Err(Error::validation(
                    "status",
                    format!("cannot move back from {} to {} (status only moves forward)", f.status.as_str(), to.as_str()),
                ));
            }
            f.status = to;
        }
        if let Some(d) = &p.detected_at {
            if d.trim().is_empty() {
                return Err(Error::validation("detected_at", "is required"));
            }
            f.detected_at = parse_timestamp("detected_at", d, f.zone)?;
        }
        if let Some(v) = &p.occurred_at {
            f.occurred_at = optional_time("occurred_at", Some(v), f.zone)?;
        }
        if let Some(v) = &p.discovered_at {
            f.discovered_at = optional_time("discovered_at", Some(v), f.zone)?;
        }
        if let Some(v) = &p.aware_at {
            f.aware_at = optional_time("aware_at", Some(v), f.zone)?;
        }
        if let Some(v) = &p.determined_at {
            f.determined_at = optional_time("determined_at", Some(v), f.zone)?;
        }
        if let Some(r) = &p.discovery_gap_reason {
            f.discovery_gap_reason = clean_optional("discovery_gap_reason", Some(r.clone()), 5_000)?;
        }
        if let Some(r) = &p.roles {
            let mut r = r.clone();
            r.normalise()?;
            f.roles = r;
        }
        f.check()?;
        Ok(f)
    }

    /// The ordering rules between the legal timestamps.
    fn check(&self) -> Result<()> {
        let show = |t: DateTime<Utc>| to_local_rfc3339(t, self.zone);
        if let Some(o) = self.occurred_at {
            if o > self.detected_at {
                return Err(Error::validation(
                    "occurred_at",
                    format!("the breach cannot occur ({}) after it was detected ({})", show(o), show(self.detected_at)),
                ));
            }
        }
        if let Some(d) = self.discovered_at {
            if d < self.detected_at {
                return Err(Error::validation(
                    "discovered_at",
                    format!("discovery ({}) cannot come before detection ({})", show(d), show(self.detected_at)),
                ));
            }
            if d > self.detected_at && self.discovery_gap_reason.is_none() {
                return Err(Error::validation(
                    "discovery_gap_reason",
                    format!(
                        "discovery ({}) comes after detection ({}): write down why, since the legal clocks run from discovery",
                        show(d),
                        show(self.detected_at)
                    ),
                ));
            }
        }
        for (field, what, t) in [("aware_at", "GDPR awareness", self.aware_at), ("determined_at", "the determination", self.determined_at)] {
            if let Some(t) = t {
                if t < self.detected_at {
                    return Err(Error::validation(
                        field,
                        format!("{what} ({}) cannot come before detection ({})", show(t), show(self.detected_at)),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// One `incidents` row as stored.
pub(crate) struct Row {
    pub id: String,
    pub human_id: String,
    pub fields: Fields,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

pub(crate) const COLUMNS: &str = "id, human_id, title, summary, severity, status, timezone, occurred_at, detected_at, \
     discovered_at, aware_at, determined_at, discovery_gap_reason, incident_commander, compliance_liaison, comms_lead, \
     engineering_responder, executive_sponsor, created_at, created_by, updated_at";

fn stored_time(s: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    s.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
    })
    .transpose()
}

fn conv<E: std::error::Error + Send + Sync + 'static>(e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

impl Row {
    pub(crate) fn from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        let zone_name: String = r.get(6)?;
        let sev: String = r.get(4)?;
        let status: String = r.get(5)?;
        let need = |v: Option<DateTime<Utc>>| v.ok_or(rusqlite::Error::InvalidColumnType(0, "time".into(), rusqlite::types::Type::Null));
        Ok(Row {
            id: r.get(0)?,
            human_id: r.get(1)?,
            fields: Fields {
                title: r.get(2)?,
                summary: r.get(3)?,
                severity: Severity::parse(&sev).map_err(conv)?,
                status: Status::parse(&status).map_err(conv)?,
                zone: parse_zone("timezone", &zone_name).map_err(conv)?,
                occurred_at: stored_time(r.get(7)?)?,
                detected_at: need(stored_time(r.get(8)?)?)?,
                discovered_at: stored_time(r.get(9)?)?,
                aware_at: stored_time(r.get(10)?)?,
                determined_at: stored_time(r.get(11)?)?,
                discovery_gap_reason: r.get(12)?,
                roles: Roles {
                    incident_commander: r.get(13)?,
                    compliance_liaison: r.get(14)?,
                    comms_lead: r.get(15)?,
                    engineering_responder: r.get(16)?,
                    executive_sponsor: r.get(17)?,
                },
            },
            created_at: need(stored_time(r.get(18)?)?)?,
            created_by: r.get(19)?,
            updated_at: need(stored_time(r.get(20)?)?)?,
        })
    }

    /// Values in [`COLUMNS`] order.
    pub(crate) fn to_sql(&self) -> Vec<Option<String>> {
        let f = &self.fields;
        let t = |v: Option<DateTime<Utc>>| v.map(to_storage);
        vec![
            Some(self.id.clone()),
            Some(self.human_id.clone()),
            Some(f.title.clone()),
            Some(f.summary.clone()),
            Some(f.severity.as_str().to_owned()),
            Some(f.status.as_str().to_owned()),
            Some(f.zone.name().to_owned()),
            t(f.occurred_at),
            Some(to_storage(f.detected_at)),
            t(f.discovered_at),
            t(f.aware_at),
            t(f.determined_at),
            f.discovery_gap_reason.clone(),
            f.roles.incident_commander.clone(),
            f.roles.compliance_liaison.clone(),
            f.roles.comms_lead.clone(),
            f.roles.engineering_responder.clone(),
            f.roles.executive_sponsor.clone(),
            Some(to_storage(self.created_at)),
            Some(self.created_by.clone()),
            Some(to_storage(self.updated_at)),
        ]
    }

    pub(crate) fn view(&self) -> Incident {
        let f = &self.fields;
        let show = |t: DateTime<Utc>| to_local_rfc3339(t, f.zone);
        Incident {
            id: self.id.clone(),
            human_id: self.human_id.clone(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            severity: f.severity,
            status: f.status,
            timezone: f.zone.name().to_owned(),
            occurred_at: f.occurred_at.map(show),
            detected_at: show(f.detected_at),
            discovered_at: f.discovered_at.map(show),
            aware_at: f.aware_at.map(show),
            determined_at: f.determined_at.map(show),
            discovery_gap_reason: f.discovery_gap_reason.clone(),
            roles: f.roles.clone(),
            created_at: show(self.created_at),
            created_by: self.created_by.clone(),
            updated_at: show(self.updated_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> NewIncident {
        NewIncident {
            title: "Laptop stolen".into(),
            severity: "SEV-1".into(),
            timezone: "America/New_York".into(),
            detected_at: "2026-03-02T10:00".into(),
            ..NewIncident::default()
        }
    }

    #[test]
    fn discovery_before_detection_is_refused_on_discovered_at() {
        let n = NewIncident { discovered_at: Some("2026-03-02T09:59".into()), ..base() };
        assert_eq!(Fields::from_new(&n).expect_err("must fail").field(), Some("discovered_at"));
    }

    #[test]
    fn a_gap_needs_a_reason_and_a_reason_suffices() {
        let n = NewIncident { discovered_at: Some("2026-03-04T08:00".into()), ..base() };
        assert_eq!(Fields::from_new(&n).expect_err("must fail").field(), Some("discovery_gap_reason"));
        let n = NewIncident { discovery_gap_reason: Some("forensics confirmed exfiltration".into()), ..n };
        assert!(Fields::from_new(&n).is_ok());
        // same instant: no gap, no reason needed
        let n = NewIncident { discovered_at: Some("2026-03-02T10:00".into()), ..base() };
        assert!(Fields::from_new(&n).is_ok());
    }

    #[test]
    fn status_only_moves_forward() {
        let f = Fields::from_new(&base()).expect("valid");
        let f = f.patched(&IncidentPatch { status: Some("assessed".into()), ..Default::default() }).expect("forward");
        let e = f.patched(&IncidentPatch { status: Some("contained".into()), ..Default::default() }).expect_err("must fail");
        assert_eq!(e.field(), Some("status"));
    }

    #[test]
    fn severity_accepts_common_spellings_only() {
        assert_eq!(Severity::parse("sev1").expect("ok"), Severity::Sev1);
        assert_eq!(Severity::parse("SEV-0").expect("ok"), Severity::Sev0);
        assert_eq!(Severity::parse("SEV-4").expect_err("must fail").field(), Some("severity"));
    }
}
