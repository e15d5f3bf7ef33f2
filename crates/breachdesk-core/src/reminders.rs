//! Reminders: 7 days, 24 hours, 4 hours and 1 hour before each open deadline, and when it passes.
//!
//! The desktop app asks [`Breachdesk::due_reminders`] every few seconds while it runs, shows what
//! comes back as desktop notifications, and records it with [`Breachdesk::mark_reminders_sent`] so
//! a restart does not show it again. Only the most advanced stage reached is shown (an app opened
//! two hours before a deadline says "due in 2 h", not also "due in 7 days"); a deadline that moves
//! starts its stages afresh.

use crate::obligations::ObligationStatus;
use crate::{Breachdesk, Ctx, Result};
use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

/// The stages, most advanced first: (name, seconds before the due time).
pub const STAGES: [(&str, i64); 5] =
    [("passed", 0), ("1h", 3600), ("4h", 4 * 3600), ("24h", 24 * 3600), ("7d", 7 * 24 * 3600)];

/// The most advanced stage reached with `seconds_left` to go, if any.
#[must_use]
pub fn stage(seconds_left: i64) -> Option<&'static str> {
    STAGES.iter().find(|(_, s)| seconds_left <= *s).map(|(n, _)| *n)
}

/// One reminder to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Reminder {
    /// The clock: an obligation id, or `internal:<incident id>:<clock>`.
    pub key: String,
    pub incident_id: String,
    pub human_id: String,
    /// 7d | 24h | 4h | 1h | passed
    pub stage: String,
    /// RFC 3339 in the incident's zone.
    pub due: String,
    pub title: String,
    pub body: String,
}

/// Any clock a reminder can be about: an obligation or an internal clock.
struct Clock {
    key: String,
    what: String,
    due: Option<String>,
    left: Option<i64>,
    status: ObligationStatus,
}

fn left_text(seconds: i64) -> String {
    let m = seconds / 60;
    match m {
        m if m <= 0 => "is now overdue".into(),
        m if m < 60 => format!("is due in {m} min"),
        m if m < 48 * 60 => format!("is due in {} h {} min", m / 60, m % 60),
        m => format!("is due in {} days", m / (24 * 60)),
    }
}

impl Breachdesk {
    /// The reminders due at `now` that have not been shown yet, across all incidents.
    ///
    /// # Errors
    /// Database errors.
    pub fn due_reminders(&self, now: DateTime<Utc>) -> Result<Vec<Reminder>> {
        let conn = self.read()?;
        let mut sent = conn.prepare(
            "SELECT 1 FROM reminders_sent WHERE clock_key = ?1 AND stage = ?2 AND due_at = ?3",
        )?;
        let mut out = Vec::new();
        for inc in self.list_incidents()? {
            let mut clocks: Vec<Clock> = Vec::new();
            for o in self.obligations(&inc.id, now)? {
                let what = o.label.clone().unwrap_or_else(|| {
                    let j = if o.jurisdiction.is_empty() {
                        String::new()
                    } else {
                        format!("{} ", o.jurisdiction)
                    };
                    format!("{} notice to {j}{}", o.regime, o.recipient.replace('_', " "))
                });
                clocks.push(Clock {
                    key: o.id,
                    what,
                    due: o.due,
                    left: o.seconds_left,
                    status: o.status,
                });
            }
            for c in self.internal_clocks(&inc.id, now)? {
                // A status-update cadence is its own reminder: only its passing is worth a notification.
                if c.id == "status_update" && c.seconds_left.is_some_and(|s| s > 0) {
                    continue;
                }
                clocks.push(Clock {
                    key: format!("internal:{}:{}", inc.id, c.id),
                    what: c.name,
                    due: c.due,
                    left: c.seconds_left,
                    status: c.status,
                });
            }
            for Clock { key, what, due, left, status } in clocks {
                let (Some(due), Some(left)) = (due, left) else { continue };
                if !matches!(
                    status,
                    ObligationStatus::Open | ObligationStatus::DueSoon | ObligationStatus::Overdue
                ) {
                    continue;
                }
                let Some(stage) = stage(left) else { continue };
                if sent.exists(params![key, stage, due])? {
                    continue;
                }
                let when = chrono::DateTime::parse_from_rfc3339(&due)
                    .ok()
                    .zip(inc.timezone.parse::<chrono_tz::Tz>().ok())
                    .map_or_else(
                        || due.clone(),
                        |(t, z)| t.with_timezone(&z).format("%a %-d %b %Y, %H:%M %Z").to_string(),
                    );
                out.push(Reminder {
                    key,
                    incident_id: inc.id.clone(),
                    human_id: inc.human_id.clone(),
                    stage: stage.to_owned(),
                    title: format!("{}: {what} {}", inc.human_id, left_text(left)),
                    body: format!("Due {when} — {}", inc.title),
                    due,
                });
            }
        }
        Ok(out)
    }

    /// Records reminders as shown (not audited: a reminder changes nothing on record).
    ///
    /// # Errors
    /// Database errors.
    pub fn mark_reminders_sent(&self, ctx: &Ctx, reminders: &[Reminder]) -> Result<()> {
        self.write(ctx, |tx| {
            for r in reminders {
                tx.execute(
                    "INSERT OR IGNORE INTO reminders_sent (clock_key, stage, due_at, sent_at) VALUES (?1, ?2, ?3, ?4)",
                    params![r.key, r.stage, r.due, breachdesk_rules::time::to_storage(ctx.now)],
                )?;
            }
            Ok(((), Vec::new()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_advanced_stage_reached() {
        assert_eq!(stage(8 * 24 * 3600), None);
        assert_eq!(stage(7 * 24 * 3600), Some("7d"));
        assert_eq!(stage(24 * 3600 + 1), Some("7d"));
        assert_eq!(stage(24 * 3600), Some("24h"));
        assert_eq!(stage(2 * 3600), Some("4h"));
        assert_eq!(stage(3600), Some("1h"));
        assert_eq!(stage(1), Some("1h"));
        assert_eq!(stage(0), Some("passed"));
        assert_eq!(stage(-86_400), Some("passed"));
        assert_eq!(left_text(90 * 60), "is due in 1 h 30 min");
        assert_eq!(left_text(-5), "is now overdue");
    }
}
