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
            .ok_or_else(|| {
                Error::validation(
                    "severity",
                    format!("{s:?} is not a severity (SEV-0, SEV-1, SEV-2 or SEV-3)"),
                )
            })
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
    pub const ALL: [Status; 5] =
        [Status::Detected, Status::Contained, Status::Assessed, Status::Notifying, Status::Closed];
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
            Error::validation(
                "status",
                format!("{s:?} is not a status (detected, contained, assessed, notifying, closed)"),
            )
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
    pub const NAMES: [&'static str; 5] = [
        "incident_commander",
        "compliance_liaison",
        "comms_lead",
        "engineering_responder",
        "executive_sponsor",
    ];

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

impl IncidentPatch {
    /// The columns this patch sets (a damaged stored value in one of them is repaired by it).
    #[must_use]
    pub fn fields_set(&self) -> Vec<&'static str> {
        let all = [
            ("severity", self.severity.is_some()),
            ("status", self.status.is_some()),
            ("timezone", self.timezone.is_some()),
            ("occurred_at", self.occurred_at.is_some()),
            ("detected_at", self.detected_at.is_some()),
            ("discovered_at", self.discovered_at.is_some()),
            ("aware_at", self.aware_at.is_some()),
            ("determined_at", self.determined_at.is_some()),
        ];
        all.iter().filter(|(_, set)| *set).map(|(f, _)| *f).collect()
    }
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
        if s.chars().any(|c| crate::text::is_hostile(c) && c != '\r') {
            return Err(Error::validation(field, "contains control or text-direction characters (such as escape sequences or U+202E), which would change how it is shown"));
        }
    }
    Ok(v)
}

pub(crate) fn required(field: &str, v: &str, max: usize) -> Result<String> {
    clean_optional(field, Some(v.to_owned()), max)?
        .ok_or_else(|| Error::validation(field, "is required"))
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
            summary: clean_optional("summary", Some(n.summary.clone()), 20_000)?
                .unwrap_or_default(),
            severity: Severity::parse(&n.severity)?,
            status: Status::Detected,
            zone,
            occurred_at: optional_time("occurred_at", n.occurred_at.as_deref(), zone)?,
            detected_at: parse_timestamp("detected_at", detected, zone)?,
            discovered_at: optional_time("discovered_at", n.discovered_at.as_deref(), zone)?,
            aware_at: optional_time("aware_at", n.aware_at.as_deref(), zone)?,
            determined_at: optional_time("determined_at", n.determined_at.as_deref(), zone)?,
            discovery_gap_reason: clean_optional(
                "discovery_gap_reason",
                n.discovery_gap_reason.clone(),
                5_000,
            )?,
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
                    format!(
                        "cannot move back from {} to {} (status only moves forward)",
                        f.status.as_str(),
                        to.as_str()
                    ),
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
            f.discovery_gap_reason =
                clean_optional("discovery_gap_reason", Some(r.clone()), 5_000)?;
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
                    format!(
                        "the breach cannot occur ({}) after it was detected ({})",
                        show(o),
                        show(self.detected_at)
                    ),
                ));
            }
        }
        if let Some(d) = self.discovered_at {
            if d < self.detected_at {
                return Err(Error::validation(
                    "discovered_at",
                    format!(
                        "discovery ({}) cannot come before detection ({})",
                        show(d),
                        show(self.detected_at)
                    ),
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
        for (field, what, t) in [
            ("aware_at", "GDPR awareness", self.aware_at),
            ("determined_at", "the determination", self.determined_at),
        ] {
            if let Some(t) = t {
                if t < self.detected_at {
                    return Err(Error::validation(
                        field,
                        format!(
                            "{what} ({}) cannot come before detection ({})",
                            show(t),
                            show(self.detected_at)
                        ),
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

/// An incident by UUID or `INC-…` id; the columns in `spare` (a patch is about to replace them)
/// may be damaged.
pub(crate) fn load(conn: &rusqlite::Connection, id: &str, spare: &[&str]) -> Result<Row> {
    let sql = format!("SELECT {COLUMNS} FROM incidents WHERE id = ?1 OR human_id = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params![id.trim(), id.trim().to_ascii_uppercase()])?;
    match rows.next()? {
        None => Err(Error::NotFound { entity: "incident", id: id.to_owned() }),
        Some(r) => Row::read(r, spare)?.map_err(Unreadable::error),
    }
}

/// The incident list: the readable incidents, and the rows that cannot be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct IncidentList {
    pub incidents: Vec<Incident>,
    pub unreadable: Vec<Unreadable>,
}

/// A stored value of an incident that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Unreadable {
    pub id: String,
    pub human_id: String,
    pub title: String,
    /// The column, as the CLI and the facts editor name it (`aware_at`).
    pub field: String,
    pub problem: String,
    /// What repairs it, in words.
    pub repair: String,
}

impl Unreadable {
    pub(crate) fn error(self) -> Error {
        Error::Unreadable {
            entity: "incident",
            id: self.human_id,
            field: self.field,
            problem: self.problem,
            repair: self.repair,
        }
    }
}

/// The fields a user can set again (`incident update --FIELD`), which repairs a damaged value.
const REPAIRABLE: [&str; 8] = [
    "severity",
    "status",
    "timezone",
    "occurred_at",
    "detected_at",
    "discovered_at",
    "aware_at",
    "determined_at",
];

/// The columns of a row as text, before they are read into types.
struct Raw {
    id: String,
    human_id: String,
    title: String,
}

fn damage(raw: &Raw, field: &str, problem: String) -> Unreadable {
    let repair = if REPAIRABLE.contains(&field) {
        format!("Set a correct value: `breachdesk incident update {} --{} …` (or the facts editor); the rest of the incident is intact", raw.human_id, field.replace('_', "-"))
    } else {
        "This column is written by Breachdesk itself, so the store was changed outside it: run `breachdesk audit verify` and restore from a backup".to_owned()
    };
    Unreadable {
        id: raw.id.clone(),
        human_id: raw.human_id.clone(),
        title: raw.title.clone(),
        field: field.to_owned(),
        problem,
        repair,
    }
}

impl Row {
    /// Reads one `incidents` row. A stored value that cannot be read is an [`Unreadable`] naming the
    /// row and the column, never a failure of the whole query. Columns in `spare` (those a patch is
    /// about to replace) read as empty when damaged, so the patch can repair them.
    pub(crate) fn read(
        r: &rusqlite::Row<'_>,
        spare: &[&str],
    ) -> rusqlite::Result<std::result::Result<Row, Unreadable>> {
        let raw = Raw { id: r.get(0)?, human_id: r.get(1)?, title: r.get(2)? };
        let text = |i: usize| r.get::<_, Option<String>>(i);
        macro_rules! try_field {
            ($field:expr, $e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(problem) => return Ok(Err(damage(&raw, $field, problem))),
                }
            };
        }
        let time =
            |i: usize,
             field: &str|
             -> rusqlite::Result<std::result::Result<Option<DateTime<Utc>>, String>> {
                Ok(match text(i)? {
                    None => Ok(None),
                    Some(s) => match breachdesk_rules::time::parse_stored(&s) {
                        Ok(t) => Ok(Some(t)),
                        Err(_) if spare.contains(&field) => Ok(None),
                        Err(e) => Err(format!("the stored {field} {e}")),
                    },
                })
            };
        let required = |v: Option<DateTime<Utc>>, field: &str| {
            v.ok_or_else(|| format!("the stored {field} is missing"))
        };
        let sev: String = r.get(4)?;
        let status: String = r.get(5)?;
        let zone_name: String = r.get(6)?;
        // A damaged value the patch replaces reads as a placeholder the patch then overwrites.
        let spared = |field: &str| spare.contains(&field);
        let severity = try_field!(
            "severity",
            Severity::parse(&sev).or_else(|_| if spared("severity") {
                Ok(Severity::Sev3)
            } else {
                Err(format!("the stored severity {sev:?} is not a severity"))
            })
        );
        let status = try_field!(
            "status",
            Status::parse(&status).or_else(|_| if spared("status") {
                Ok(Status::Detected)
            } else {
                Err(format!("the stored status {status:?} is not a status"))
            })
        );
        let zone = try_field!(
            "timezone",
            parse_zone("timezone", &zone_name).or_else(|_| if spared("timezone") {
                Ok(chrono_tz::UTC)
            } else {
                Err(format!("the stored time zone {zone_name:?} is unknown"))
            })
        );
        let created_at = try_field!(
            "created_at",
            time(18, "created_at")?.and_then(|v| required(v, "created_at"))
        );
        let detected = try_field!("detected_at", time(8, "detected_at")?);
        // A damaged detection time the patch replaces stands in as the creation time until then.
        let detected_at = if spare.contains(&"detected_at") {
            detected.unwrap_or(created_at)
        } else {
            try_field!("detected_at", required(detected, "detected_at"))
        };
        Ok(Ok(Row {
            id: raw.id.clone(),
            human_id: raw.human_id.clone(),
            fields: Fields {
                title: raw.title.clone(),
                summary: r.get(3)?,
                severity,
                status,
                zone,
                occurred_at: try_field!("occurred_at", time(7, "occurred_at")?),
                detected_at,
                discovered_at: try_field!("discovered_at", time(9, "discovered_at")?),
                aware_at: try_field!("aware_at", time(10, "aware_at")?),
                determined_at: try_field!("determined_at", time(11, "determined_at")?),
                discovery_gap_reason: r.get(12)?,
                roles: Roles {
                    incident_commander: r.get(13)?,
                    compliance_liaison: r.get(14)?,
                    comms_lead: r.get(15)?,
                    engineering_responder: r.get(16)?,
                    executive_sponsor: r.get(17)?,
                },
            },
            created_at,
            created_by: r.get(19)?,
            updated_at: try_field!(
                "updated_at",
                time(20, "updated_at")?.and_then(|v| required(v, "updated_at"))
            ),
        }))
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

// ---- use cases ---------------------------------------------------------------------------

use crate::audit::Change;
use crate::timeline::{self, TimelineKind};
use crate::{obligations, to_json, uuid7, Breachdesk, Ctx};

/// Inside the caller's transaction: re-reads the incident (so a concurrent update of other fields
/// is kept, not overwritten), applies the patch and writes it with its audit change and, when it
/// closes the incident, the timeline entry. Returns the incident as it now stands.
pub(crate) fn apply_patch(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx,
    uuid: &str,
    patch: &IncidentPatch,
) -> Result<(Row, Vec<Change>)> {
    let old = load(tx, uuid, &patch.fields_set())?;
    let fields = old.fields.patched(patch)?;
    if fields == old.fields {
        return Ok((old, Vec::new()));
    }
    let new = Row {
        fields,
        updated_at: ctx.now,
        id: old.id.clone(),
        human_id: old.human_id.clone(),
        created_at: old.created_at,
        created_by: old.created_by.clone(),
    };
    let (before, after) = (to_json(&old.view())?, to_json(&new.view())?);
    let values = new.to_sql();
    let sets: Vec<String> = COLUMNS
        .split(", ")
        .enumerate()
        .skip(1)
        .map(|(i, c)| format!("{} = ?{}", c.trim(), i + 1))
        .collect();
    tx.execute(
        &format!("UPDATE incidents SET {} WHERE id = ?1", sets.join(", ")),
        rusqlite::params_from_iter(values.iter()),
    )?;
    crate::failpoint::hit("update.patched");
    // Closing is a fact of the timeline too: the post-mortem clock starts there.
    if new.fields.status == Status::Closed && old.fields.status != Status::Closed {
        timeline::append_event(
            tx,
            ctx,
            &new.id,
            TimelineKind::Closed,
            &format!("Incident closed (status {} → closed)", old.fields.status.as_str()),
        )?;
    }
    let change = Change {
        action: "incident.update",
        entity_type: "incident",
        entity_id: new.id.clone(),
        before: Some(before),
        after: Some(after),
    };
    Ok((new, vec![change]))
}

impl Breachdesk {
    pub(crate) fn incident_row(&self, id: &str) -> Result<Row> {
        self.incident_row_sparing(id, &[])
    }

    /// The incident row; the columns in `spare` (about to be replaced by a patch) may be damaged.
    pub(crate) fn incident_row_sparing(&self, id: &str, spare: &[&str]) -> Result<Row> {
        let conn = self.read()?;
        load(&conn, id, spare)
    }

    /// Opens a new incident in status `detected`.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the field: blank title, unknown severity or zone, malformed or
    /// nonexistent local time, discovery before detection, a detection→discovery gap without a reason.
    pub fn create_incident(&self, ctx: &Ctx, input: &NewIncident) -> Result<Incident> {
        let fields = Fields::from_new(input)?;
        let date = fields.detected_at.with_timezone(&fields.zone).format("%Y%m%d").to_string();
        let prefix = format!("INC-{date}-");
        self.write(ctx, |tx| {
            // The number is taken under the write lock: two processes never give out the same id.
            let n: i64 = tx.query_row(
                "SELECT COALESCE(MAX(CAST(substr(human_id, 14) AS INTEGER)), 0) FROM incidents WHERE human_id LIKE ?1 || '%'",
                [&prefix],
                |r| r.get(0),
            )?;
            let row = Row { id: uuid7(ctx.now), human_id: format!("{prefix}{:03}", n + 1), fields, created_at: ctx.now, created_by: ctx.actor.clone(), updated_at: ctx.now };
            let view = row.view();
            let values = row.to_sql();
            let marks: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
            tx.execute(&format!("INSERT INTO incidents ({}) VALUES ({})", COLUMNS, marks.join(", ")), rusqlite::params_from_iter(values.iter()))?;
            let change = Change { action: "incident.create", entity_type: "incident", entity_id: row.id.clone(), before: None, after: Some(to_json(&view)?) };
            Ok((view, vec![change]))
        })
    }

    /// Every incident, newest detection first.
    ///
    /// # Errors
    /// On database failure.
    pub fn list_incidents(&self) -> Result<Vec<Incident>> {
        Ok(self.incident_list()?.incidents)
    }

    /// Every incident, newest detection first, and the ones with a stored value that cannot be
    /// read (each named with its column and how to repair it): one damaged row never hides the others.
    ///
    /// # Errors
    /// On database failure.
    pub fn incident_list(&self) -> Result<IncidentList> {
        let conn = self.read()?;
        let sql =
            format!("SELECT {} FROM incidents ORDER BY detected_at DESC, human_id DESC", COLUMNS);
        let mut stmt = conn.prepare(&sql)?;
        let mut out = IncidentList::default();
        for row in stmt.query_map([], |r| Row::read(r, &[]))? {
            match row? {
                Ok(r) => out.incidents.push(r.view()),
                Err(u) => out.unreadable.push(u),
            }
        }
        Ok(out)
    }

    /// One incident by UUID or `INC-…` id.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn get_incident(&self, id: &str) -> Result<Incident> {
        Ok(self.incident_row(id)?.view())
    }

    /// Applies a patch; the audit row keeps the before and after.
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] as for [`Breachdesk::create_incident`] plus a
    /// backwards status move.
    pub fn update_incident(&self, ctx: &Ctx, id: &str, patch: &IncidentPatch) -> Result<Incident> {
        let uuid = self.incident_row_sparing(id, &patch.fields_set())?.id;
        self.write(ctx, |tx| {
            let (inc, mut audit) = apply_patch(tx, ctx, &uuid, patch)?;
            // The legal timestamps and the zone drive the clocks: recomputed in the same transaction.
            let (_, recompute) = obligations::refresh(tx, ctx, &inc, None)?;
            audit.extend(recompute);
            Ok((inc.view(), audit))
        })
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
        assert_eq!(
            Fields::from_new(&n).expect_err("must fail").field(),
            Some("discovery_gap_reason")
        );
        let n = NewIncident {
            discovery_gap_reason: Some("forensics confirmed exfiltration".into()),
            ..n
        };
        assert!(Fields::from_new(&n).is_ok());
        // same instant: no gap, no reason needed
        let n = NewIncident { discovered_at: Some("2026-03-02T10:00".into()), ..base() };
        assert!(Fields::from_new(&n).is_ok());
    }

    #[test]
    fn status_only_moves_forward() {
        let f = Fields::from_new(&base()).expect("valid");
        let f = f
            .patched(&IncidentPatch { status: Some("assessed".into()), ..Default::default() })
            .expect("forward");
        let e = f
            .patched(&IncidentPatch { status: Some("contained".into()), ..Default::default() })
            .expect_err("must fail");
        assert_eq!(e.field(), Some("status"));
    }

    #[test]
    fn severity_accepts_common_spellings_only() {
        assert_eq!(Severity::parse("sev1").expect("ok"), Severity::Sev1);
        assert_eq!(Severity::parse("SEV-0").expect("ok"), Severity::Sev0);
        assert_eq!(Severity::parse("SEV-4").expect_err("must fail").field(), Some("severity"));
    }
}
