//! Internal clocks: what the response team owes itself, by severity. Not law — playbook targets,
//! configurable in the settings. Defaults from common incident-response playbooks:
//!
//! * the incident commander acknowledges within 15 min (SEV-0), 1 h (SEV-1), 4 h (SEV-2), 24 h
//!   (SEV-3) of detection — done when an `acknowledged` timeline entry is recorded;
//! * a status update every 30 min for SEV-0 and SEV-1 while the incident is not closed — the clock
//!   restarts at each `note` entry of the timeline (the team's status updates);
//! * the post-mortem is due 5 business days (US federal calendar, incident zone) after close.

use crate::audit::Change;
use crate::incident::{Severity, Status};
use crate::obligations::{status, ObligationStatus};
use crate::{Breachdesk, Ctx, Error, Result};
use breachdesk_rules::calendar::HolidayCalendar;
use breachdesk_rules::clock;
use breachdesk_rules::time::to_local_rfc3339;
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The team's own targets, by severity (`SEV-0` … `SEV-3`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct InternalClockSettings {
    /// Minutes from detection for the incident commander to acknowledge.
    pub ack_minutes: BTreeMap<String, u32>,
    /// Minutes between status updates while the incident is open (null: no cadence).
    pub status_update_minutes: BTreeMap<String, Option<u32>>,
    /// Business days after close for the post-mortem.
    pub postmortem_business_days: u32,
}

impl Default for InternalClockSettings {
    fn default() -> Self {
        let sev = |v: [u32; 4]| {
            Severity::ALL.iter().zip(v).map(|(s, m)| (s.as_str().to_owned(), m)).collect()
        };
        InternalClockSettings {
            ack_minutes: sev([15, 60, 240, 1440]),
            status_update_minutes: Severity::ALL
                .iter()
                .zip([Some(30), Some(30), None, None])
                .map(|(s, m)| (s.as_str().to_owned(), m))
                .collect(),
            postmortem_business_days: 5,
        }
    }
}

impl InternalClockSettings {
    fn check(&self) -> Result<()> {
        for s in Severity::ALL {
            let key = s.as_str();
            match self.ack_minutes.get(key) {
                Some(m) if (1..=10_080).contains(m) => {}
                Some(_) => {
                    return Err(Error::validation(
                        &format!("ack_minutes.{key}"),
                        "must be between 1 and 10080 minutes (7 days)",
                    ))
                }
                None => {
                    return Err(Error::validation(&format!("ack_minutes.{key}"), "is required"))
                }
            }
            match self.status_update_minutes.get(key) {
                Some(None) | None => {}
                Some(Some(m)) if (5..=1440).contains(m) => {}
                Some(Some(_)) => {
                    return Err(Error::validation(
                        &format!("status_update_minutes.{key}"),
                        "must be between 5 and 1440 minutes, or empty for none",
                    ))
                }
            }
        }
        for k in self.ack_minutes.keys().chain(self.status_update_minutes.keys()) {
            if Severity::parse(k).is_err() {
                return Err(Error::validation(
                    "severity",
                    format!("{k:?} is not a severity (SEV-0 … SEV-3)"),
                ));
            }
        }
        if !(1..=60).contains(&self.postmortem_business_days) {
            return Err(Error::validation("postmortem_business_days", "must be between 1 and 60"));
        }
        Ok(())
    }
}

/// One internal clock of an incident at a given moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct InternalClock {
    /// ack | status_update | postmortem
    pub id: String,
    pub name: String,
    /// RFC 3339 in the incident's zone.
    pub due: Option<String>,
    #[ts(type = "number | null")]
    pub seconds_left: Option<i64>,
    pub status: ObligationStatus,
    pub done_at: Option<String>,
    pub owner_role: String,
    pub explanation: String,
}

/// What the internal clocks depend on.
#[derive(Debug, Clone)]
pub struct InternalFacts {
    pub severity: Severity,
    pub status: Status,
    pub zone: Tz,
    pub detected_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub last_update_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

fn minutes(m: u32) -> String {
    match m {
        m if m % 60 == 0 && m >= 60 => format!("{} h", m / 60),
        m => format!("{m} min"),
    }
}

/// The internal clocks for `f` at `now` (pure).
#[must_use]
pub fn compute(
    settings: &InternalClockSettings,
    f: &InternalFacts,
    now: DateTime<Utc>,
) -> Vec<InternalClock> {
    let show = |t: DateTime<Utc>| to_local_rfc3339(t, f.zone);
    let local = |t: DateTime<Utc>| t.with_timezone(&f.zone).format("%Y-%m-%d %H:%M %Z").to_string();
    let sev = f.severity.as_str();
    // Every internal clock is the incident commander's, with a fixed due time.
    let clock_at = |id: &str,
                    name: String,
                    due: DateTime<Utc>,
                    done_at: Option<DateTime<Utc>>,
                    explanation: String| InternalClock {
        id: id.into(),
        name,
        due: Some(show(due)),
        seconds_left: Some((due - now).num_seconds()),
        status: status(true, None, None, done_at.is_some(), Some(due), now),
        done_at: done_at.map(show),
        owner_role: "incident_commander".into(),
        explanation,
    };
    let mut out = Vec::new();
    if let Some(&m) = settings.ack_minutes.get(sev) {
        let due = f.detected_at + TimeDelta::minutes(i64::from(m));
        let why = format!(
            "{sev}: the incident commander acknowledges within {} of detection ({}).",
            minutes(m),
            local(f.detected_at)
        );
        let explanation = match f.acknowledged_at {
            Some(a) => {
                let late = if a > due {
                    format!(
                        " Acknowledged {} late.",
                        minutes(u32::try_from((a - due).num_minutes()).unwrap_or(u32::MAX))
                    )
                } else {
                    String::new()
                };
                format!("{why} Acknowledged {}.{late}", local(a))
            }
            None => format!(
                "{why} Record an \u{201c}acknowledged\u{201d} timeline entry when it happens."
            ),
        };
        out.push(clock_at(
            "ack",
            "Incident commander acknowledges".into(),
            due,
            f.acknowledged_at,
            explanation,
        ));
    }
    if let (Some(Some(m)), false) =
        (settings.status_update_minutes.get(sev), f.status == Status::Closed)
    {
        let (since, what) = [
            (Some(f.detected_at), "detection"),
            (f.acknowledged_at, "acknowledgement"),
            (f.last_update_at, "the last status update"),
        ]
        .into_iter()
        .filter_map(|(t, w)| t.map(|t| (t, w)))
        .max_by_key(|(t, _)| *t)
        .unwrap_or((f.detected_at, "detection"));
        let due = since + TimeDelta::minutes(i64::from(*m));
        let explanation = format!(
            "{sev}: a status update every {} while the incident is open, counted from {what} ({}). Each \u{201c}note\u{201d} timeline entry is a status update and restarts the clock.",
            minutes(*m),
            local(since)
        );
        out.push(clock_at(
            "status_update",
            format!("Status update (every {})", minutes(*m)),
            due,
            None,
            explanation,
        ));
    }
    if let Some(closed) = f.closed_at.filter(|_| f.status == Status::Closed) {
        let n = settings.postmortem_business_days;
        let due = clock::business_days(
            closed,
            f.zone,
            HolidayCalendar::UsFederal,
            n,
            clock::end_of_local_day(),
        );
        let explanation = format!(
            "Post-mortem due {n} business days after close ({}): weekends and US federal holidays skipped, end of day {}.",
            local(closed),
            clock::local_date(due, f.zone)
        );
        out.push(clock_at("postmortem", "Post-mortem".into(), due, None, explanation));
    }
    out
}

impl Breachdesk {
    /// The configured internal clock targets (defaults when never set).
    ///
    /// # Errors
    /// Database errors; [`Error::Internal`] when the stored settings are unreadable.
    pub fn internal_clock_settings(&self) -> Result<InternalClockSettings> {
        let json: Option<String> = self
            .read()?
            .query_row("SELECT value FROM settings WHERE key = 'internal_clocks'", [], |r| r.get(0))
            .optional()?;
        json.map_or_else(
            || Ok(InternalClockSettings::default()),
            |j| {
                serde_json::from_str(&j)
                    .map_err(|e| Error::Internal(format!("internal clock settings: {e}")))
            },
        )
    }

    /// # Errors
    /// [`Error::Validation`] naming the bad setting (e.g. `ack_minutes.SEV-0`).
    pub fn set_internal_clock_settings(
        &self,
        ctx: &Ctx,
        settings: &InternalClockSettings,
    ) -> Result<InternalClockSettings> {
        settings.check()?;
        let before = self.internal_clock_settings()?;
        let json = serde_json::to_string(settings)
            .map_err(|source| Error::Json { what: "internal clock settings", source })?;
        let (b, a) = (crate::to_json(&before)?, crate::to_json(settings)?);
        self.write(ctx, |tx| {
            tx.execute("INSERT INTO settings (key, value) VALUES ('internal_clocks', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [&json])?;
            Ok(((), vec![Change { action: "settings.internal_clocks", entity_type: "settings", entity_id: "internal_clocks".into(), before: Some(b), after: Some(a) }]))
        })?;
        Ok(settings.clone())
    }

    /// An incident's internal clocks at `now`.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn internal_clocks(
        &self,
        incident_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<InternalClock>> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        let when = |sql: &str| -> Result<Option<DateTime<Utc>>> {
            let s: Option<String> = conn.query_row(sql, [&inc.id], |r| r.get(0))?;
            Ok(s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok()).map(|t| t.with_timezone(&Utc)))
        };
        let closed_entry = when("SELECT min(occurred_at) FROM timeline_entries WHERE incident_id = ?1 AND kind = 'closed'")?;
        let f = InternalFacts {
            severity: inc.fields.severity,
            status: inc.fields.status,
            zone: inc.fields.zone,
            detected_at: inc.fields.detected_at,
            acknowledged_at: when("SELECT min(occurred_at) FROM timeline_entries WHERE incident_id = ?1 AND kind = 'acknowledged'")?,
            last_update_at: when("SELECT max(occurred_at) FROM timeline_entries WHERE incident_id = ?1 AND kind = 'note'")?,
            // Closing records a `closed` entry; an incident closed without one counts from its last change.
            closed_at: closed_entry.or(Some(inc.updated_at)),
        };
        Ok(compute(&self.internal_clock_settings()?, &f, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("valid")
    }

    fn facts(severity: Severity, status: Status) -> InternalFacts {
        InternalFacts {
            severity,
            status,
            zone: "America/New_York".parse().expect("zone"),
            detected_at: at(2026, 11, 25, 14, 0),
            acknowledged_at: None,
            last_update_at: None,
            closed_at: None,
        }
    }

    #[test]
    fn acknowledgement_by_severity() {
        let s = InternalClockSettings::default();
        let now = at(2026, 11, 25, 14, 10);
        for (sev, due) in [
            (Severity::Sev0, "2026-11-25T09:15:00-05:00"),
            (Severity::Sev1, "2026-11-25T10:00:00-05:00"),
            (Severity::Sev3, "2026-11-26T09:00:00-05:00"),
        ] {
            let c = compute(&s, &facts(sev, Status::Detected), now);
            assert_eq!(c[0].due.as_deref(), Some(due), "{sev:?}");
        }
        let mut f = facts(Severity::Sev0, Status::Detected);
        assert_eq!(compute(&s, &f, at(2026, 11, 25, 14, 20))[0].status, ObligationStatus::Overdue);
        f.acknowledged_at = Some(at(2026, 11, 25, 14, 25));
        let ack = &compute(&s, &f, at(2026, 11, 25, 14, 30))[0];
        assert_eq!(ack.status, ObligationStatus::Done);
        assert!(ack.explanation.contains("10 min late"), "{}", ack.explanation);
    }

    #[test]
    fn status_updates_restart_and_stop_at_close() {
        let s = InternalClockSettings::default();
        let mut f = facts(Severity::Sev1, Status::Contained);
        f.last_update_at = Some(at(2026, 11, 25, 15, 0));
        let c = compute(&s, &f, at(2026, 11, 25, 15, 10));
        let u = c.iter().find(|c| c.id == "status_update").expect("cadence");
        assert_eq!(
            (u.due.as_deref(), u.seconds_left),
            (Some("2026-11-25T10:30:00-05:00"), Some(20 * 60))
        );
        assert!(compute(&s, &facts(Severity::Sev2, Status::Detected), at(2026, 11, 25, 15, 0))
            .iter()
            .all(|c| c.id != "status_update"));
        f.status = Status::Closed;
        // Closed the day before Thanksgiving (26 Nov 2026): 5 business days skip it and the weekend.
        f.closed_at = Some(at(2026, 11, 25, 20, 0));
        let c = compute(&s, &f, at(2026, 11, 25, 21, 0));
        assert!(c.iter().all(|c| c.id != "status_update"));
        let pm = c.iter().find(|c| c.id == "postmortem").expect("post-mortem");
        assert_eq!(pm.due.as_deref(), Some("2026-12-03T23:59:59-05:00"));
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let mut s = InternalClockSettings::default();
        s.ack_minutes.insert("SEV-0".into(), 0);
        assert_eq!(s.check().expect_err("refused").field(), Some("ack_minutes.SEV-0"));
        let mut s = InternalClockSettings::default();
        s.status_update_minutes.insert("SEV-9".into(), Some(30));
        assert_eq!(s.check().expect_err("refused").field(), Some("severity"));
        assert!(InternalClockSettings::default().check().is_ok());
    }
}
