//! The team's internal updates in the playbooks' shape — initial alert (severity, status, impact,
//! next update, commander), status update (progress, next steps, next update), resolution
//! (duration, root cause, action items, post-mortem date) — drafted from the record with the
//! templates in `templates/internal/`. Recording one is a `note` entry on the timeline, which
//! is what the status-update clock counts.

use super::instant;
use crate::obligations::ObligationStatus;
use crate::timeline::TimelineKind;
use crate::{Breachdesk, Error, Result};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Which update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CommsKind {
    Initial,
    Status,
    Resolution,
}

impl CommsKind {
    /// # Errors
    /// [`Error::Validation`] on `kind`.
    pub fn parse(s: &str) -> Result<CommsKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "initial" | "alert" => Ok(CommsKind::Initial),
            "status" | "update" => Ok(CommsKind::Status),
            "resolution" | "resolved" => Ok(CommsKind::Resolution),
            _ => Err(Error::validation(
                "kind",
                format!("{s:?} is not an update kind (initial, status, resolution)"),
            )),
        }
    }

    fn template(self) -> &'static str {
        match self {
            CommsKind::Initial => include_str!("../../../../templates/internal/initial.txt"),
            CommsKind::Status => include_str!("../../../../templates/internal/status.txt"),
            CommsKind::Resolution => include_str!("../../../../templates/internal/resolution.txt"),
        }
    }
}

/// A drafted internal update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct InternalUpdate {
    pub kind: CommsKind,
    /// The first line (a chat message's or an e-mail's subject).
    pub subject: String,
    /// The whole update, plain text.
    pub text: String,
    /// When the next one is due (RFC 3339 in the incident's zone), when a cadence applies.
    pub next_update: Option<String>,
}

fn local(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z").to_string()
}

/// `3 d 4 h 5 min`.
fn duration(d: TimeDelta) -> String {
    let m = d.num_minutes().max(0);
    let (days, hours, mins) = (m / 1440, m % 1440 / 60, m % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) => format!("{h} h {mins} min"),
        (d, h) => format!("{d} d {h} h {mins} min"),
    }
}

/// Sentences or lines of a narrative field, as action items.
fn items(text: Option<&str>) -> Vec<String> {
    text.map(|t| {
        t.lines()
            .flat_map(|l| l.split(". "))
            .map(|s| s.trim().trim_start_matches(['-', '*', '•']).trim().trim_end_matches('.'))
            .filter(|s| !s.is_empty())
            .map(|s| format!("{s}."))
            .collect()
    })
    .unwrap_or_default()
}

impl Breachdesk {
    /// Drafts an internal update of `kind` for an incident at `now` (nothing is written).
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident; [`Error::Validation`] for a resolution of an open
    /// incident.
    pub fn internal_update(
        &self,
        incident_id: &str,
        kind: CommsKind,
        now: DateTime<Utc>,
    ) -> Result<InternalUpdate> {
        let inc = self.get_incident(incident_id)?;
        let zone: Tz = inc.timezone.parse().unwrap_or(chrono_tz::UTC);
        if kind == CommsKind::Resolution && inc.status != crate::incident::Status::Closed {
            return Err(Error::validation(
                "kind",
                "a resolution is drafted once the incident is closed (set its status to closed)",
            ));
        }
        let timeline = self.timeline(&inc.id)?;
        let live: Vec<_> = timeline.iter().filter(|e| e.corrected_by.is_none()).collect();
        let facts = self.facts(&inc.id)?;
        let affected: i64 = facts.affected.values().sum();
        let impact = if affected > 0 {
            let types = facts
                .data_types
                .iter()
                .map(|t| breachdesk_rules::schema::data_type_label(t))
                .collect::<Vec<_>>()
                .join(", ");
            let types = if types.is_empty() { String::new() } else { format!("; data: {types}") };
            format!("{} people affected{types}", crate::text::thousands(affected))
        } else {
            "not yet known (no affected people counted)".into()
        };
        let commander =
            inc.roles.incident_commander.clone().unwrap_or_else(|| "not assigned".into());
        let settings = self.internal_clock_settings()?;
        let cadence = settings
            .status_update_minutes
            .get(inc.severity.as_str())
            .copied()
            .flatten()
            .filter(|_| kind != CommsKind::Resolution);
        let next = cadence.map(|m| now + TimeDelta::minutes(i64::from(m)));
        let next_update = next.map_or_else(
            || "as events warrant".to_owned(),
            |t| format!("{} (every {} min)", local(t, zone), cadence.unwrap_or_default()),
        );
        let last_note = live
            .iter()
            .filter(|e| e.kind == TimelineKind::Note)
            .filter_map(|e| instant(&e.occurred_at))
            .max();
        let since = last_note.map_or_else(
            || "detection".to_owned(),
            |t| format!("the last update ({})", local(t, zone)),
        );
        let progress: Vec<String> = live
            .iter()
            .filter(|e| e.kind != TimelineKind::Note)
            .filter(|e| instant(&e.occurred_at).zip(last_note).is_none_or(|(t, l)| t > l))
            .map(|e| {
                let at = instant(&e.occurred_at).map(|t| local(t, zone)).unwrap_or_default();
                let d = e.description.split_whitespace().collect::<Vec<_>>().join(" ");
                format!("{at} {}: {d}", e.kind.as_str().replace('_', " "))
            })
            .collect();
        let progress = progress[progress.len().saturating_sub(8)..].to_vec();
        let mut open: Vec<_> = self
            .obligations(&inc.id, now)?
            .into_iter()
            .filter(|o| {
                o.in_scope
                    && matches!(
                        o.status,
                        ObligationStatus::Open
                            | ObligationStatus::DueSoon
                            | ObligationStatus::Overdue
                    )
            })
            .collect();
        open.sort_by_key(|o| o.seconds_left.unwrap_or(i64::MAX));
        let next_steps: Vec<String> = open
            .iter()
            .take(5)
            .map(|o| {
                let name = o.label.clone().unwrap_or_else(|| o.rule_id.clone());
                let due = o.due.as_deref().and_then(instant).map(|t| local(t, zone));
                let late = if o.status == ObligationStatus::Overdue { " (OVERDUE)" } else { "" };
                match due {
                    Some(d) => format!("{name}: due {d}{late}"),
                    None => format!("{name}: as soon as possible"),
                }
            })
            .collect();
        let clocks = self.internal_clocks(&inc.id, now)?;
        let closed = super::closed_at(&inc, &timeline);
        let detected = instant(&inc.detected_at).unwrap_or(now);
        let narrative = self.narrative(&inc.id)?;
        let root_cause =
            narrative.what_happened.clone().or(narrative.investigation.clone()).map_or_else(
                || "to be established at the post-mortem".to_owned(),
                |s| s.split_whitespace().collect::<Vec<_>>().join(" "),
            );
        let mut action_items = items(narrative.prevention.as_deref());
        action_items.extend(items(narrative.mitigation.as_deref()));
        let postmortem = clocks
            .iter()
            .find(|c| c.id == "postmortem")
            .and_then(|c| c.due.as_deref().and_then(instant))
            .map_or_else(|| "to be scheduled".to_owned(), |t| format!("due {}", local(t, zone)));
        let number = live.iter().filter(|e| e.kind == TimelineKind::Note).count() + 1;
        let ctx = json!({
            "incident": {
                "id": inc.human_id, "title": inc.title, "severity": inc.severity.as_str(),
                "status": inc.status.as_str(), "summary": inc.summary.trim(),
                "detected": local(detected, zone),
            },
            "impact": impact, "commander": commander, "next_update": next_update,
            "number": number, "since": since, "progress": progress, "next_steps": next_steps,
            "duration": duration(closed.unwrap_or(now) - detected),
            "closed": closed.map(|t| local(t, zone)).unwrap_or_default(),
            "root_cause": root_cause, "action_items": action_items, "postmortem": postmortem,
        });
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        let text = env
            .render_str(kind.template(), &ctx)
            .map_err(|e| Error::Internal(format!("internal update template: {e}")))?;
        let text = text.replace("\n\n\n", "\n\n");
        Ok(InternalUpdate {
            kind,
            subject: text.lines().next().unwrap_or_default().to_owned(),
            text,
            next_update: next.map(|t| breachdesk_rules::time::to_local_rfc3339(t, zone)),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_and_items() {
        assert_eq!(super::duration(chrono::TimeDelta::minutes(3 * 1440 + 125)), "3 d 2 h 5 min");
        assert_eq!(super::duration(chrono::TimeDelta::minutes(45)), "45 min");
        assert_eq!(
            super::items(Some("Rotate keys. Enforce MFA\n- Retire the old VPN.")),
            ["Rotate keys.", "Enforce MFA.", "Retire the old VPN."]
        );
    }
}
