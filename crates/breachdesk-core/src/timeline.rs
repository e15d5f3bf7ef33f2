//! The append-only incident timeline. Entries are never edited or deleted (the database refuses
//! it too); a correction is a new entry that points at the one it corrects.

use crate::{Ctx, Error, Result};
use breachdesk_rules::time::to_storage;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What kind of event an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Detection,
    Acknowledged,
    Containment,
    Evidence,
    Assessment,
    Notification,
    FixDeployed,
    Closed,
    Note,
}

impl TimelineKind {
    pub const ALL: [TimelineKind; 9] = [
        TimelineKind::Detection,
        TimelineKind::Acknowledged,
        TimelineKind::Containment,
        TimelineKind::Evidence,
        TimelineKind::Assessment,
        TimelineKind::Notification,
        TimelineKind::FixDeployed,
        TimelineKind::Closed,
        TimelineKind::Note,
    ];
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKind::Detection => "detection",
            TimelineKind::Acknowledged => "acknowledged",
            TimelineKind::Containment => "containment",
            TimelineKind::Evidence => "evidence",
            TimelineKind::Assessment => "assessment",
            TimelineKind::Notification => "notification",
            TimelineKind::FixDeployed => "fix_deployed",
            TimelineKind::Closed => "closed",
            TimelineKind::Note => "note",
        }
    }
    /// # Errors
    /// [`Error::Validation`] on `kind`.
    pub fn parse(s: &str) -> Result<TimelineKind> {
        let t = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        TimelineKind::ALL.into_iter().find(|k| k.as_str() == t).ok_or_else(|| {
            let all: Vec<&str> = TimelineKind::ALL.iter().map(|k| k.as_str()).collect();
            Error::validation("kind", format!("{s:?} is not a timeline kind ({})", all.join(", ")))
        })
    }
}

/// A timeline entry as clients see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct TimelineEntry {
    pub id: String,
    pub incident_id: String,
    /// When it happened, RFC 3339 in the incident's zone.
    pub occurred_at: String,
    pub kind: TimelineKind,
    pub description: String,
    /// Who did or saw it.
    pub who: String,
    /// The entry this one corrects, if it is a correction.
    pub corrects: Option<String>,
    /// The newest entry that corrects this one, if any (derived, never stored on this row).
    pub corrected_by: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// What a user supplies to add an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct NewTimelineEntry {
    /// Local `YYYY-MM-DDTHH:MM[:SS]` in the incident's zone, or RFC 3339.
    pub occurred_at: String,
    pub kind: String,
    pub description: String,
    /// Defaults to the acting user.
    pub who: Option<String>,
    /// Id of the entry this corrects.
    pub corrects: Option<String>,
}

/// One row to append (instants in UTC).
pub(crate) struct Append<'a> {
    pub id: &'a str,
    pub incident_id: &'a str,
    pub occurred_at: DateTime<Utc>,
    pub kind: TimelineKind,
    pub description: &'a str,
    pub who: &'a str,
    pub corrects: Option<&'a str>,
}

/// The one INSERT into `timeline_entries`: every entry, the user's and the system's, goes here.
pub(crate) fn append(tx: &rusqlite::Transaction<'_>, ctx: &Ctx, e: &Append<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO timeline_entries (id, incident_id, occurred_at, kind, description, who, corrects_id, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![e.id, e.incident_id, to_storage(e.occurred_at), e.kind.as_str(), e.description, e.who, e.corrects, to_storage(ctx.now), ctx.actor],
    )?;
    Ok(())
}

/// An entry the system writes on the user's behalf, now: what a recomputation changed, a decision.
pub(crate) fn append_event(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx,
    incident_id: &str,
    kind: TimelineKind,
    description: &str,
) -> Result<()> {
    let id = crate::uuid7(ctx.now);
    append(
        tx,
        ctx,
        &Append {
            id: &id,
            incident_id,
            occurred_at: ctx.now,
            kind,
            description,
            who: &ctx.actor,
            corrects: None,
        },
    )
}

/// An assessment entry written by the system (a recomputation's diff).
pub(crate) fn append_system(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx,
    incident_id: &str,
    description: &str,
) -> Result<()> {
    append_event(tx, ctx, incident_id, TimelineKind::Assessment, description)
}
