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

// ---- use cases ---------------------------------------------------------------------------

use crate::audit::Change;
use crate::incident;
use crate::{to_json, uuid7, Breachdesk};
use breachdesk_rules::time::{parse_timestamp, to_local_rfc3339};
use rusqlite::OptionalExtension;

impl Breachdesk {
    /// Appends an entry (or a correction of an earlier one) to an incident's timeline.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident or the corrected entry, [`Error::Validation`] naming
    /// `occurred_at`, `kind`, `description` or `corrects`.
    pub fn add_timeline_entry(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        input: &NewTimelineEntry,
    ) -> Result<TimelineEntry> {
        let inc = self.incident_row(incident_id)?;
        let zone = inc.fields.zone;
        if input.occurred_at.trim().is_empty() {
            return Err(Error::validation("occurred_at", "is required"));
        }
        let occurred = parse_timestamp("occurred_at", &input.occurred_at, zone)?;
        let kind = TimelineKind::parse(&input.kind)?;
        let description = incident::required("description", &input.description, 20_000)?;
        let who = incident::clean_optional("who", input.who.clone(), 200)?
            .unwrap_or_else(|| ctx.actor.clone());
        let corrects = match incident::clean_optional("corrects", input.corrects.clone(), 100)? {
            None => None,
            Some(c) => {
                let owner: Option<String> = self
                    .read()?
                    .query_row(
                        "SELECT incident_id FROM timeline_entries WHERE id = ?1",
                        [&c],
                        |r| r.get(0),
                    )
                    .optional()?;
                match owner {
                    Some(o) if o == inc.id => Some(c),
                    Some(_) => {
                        return Err(Error::validation(
                            "corrects",
                            format!("entry {c} belongs to another incident"),
                        ))
                    }
                    None => {
                        return Err(Error::validation(
                            "corrects",
                            format!("no timeline entry {c} in {}", inc.human_id),
                        ))
                    }
                }
            }
        };
        let entry = TimelineEntry {
            id: uuid7(ctx.now),
            incident_id: inc.id.clone(),
            occurred_at: to_local_rfc3339(occurred, zone),
            kind,
            description,
            who,
            corrects,
            corrected_by: None,
            recorded_at: to_local_rfc3339(ctx.now, zone),
            recorded_by: ctx.actor.clone(),
        };
        let after = to_json(&entry)?;
        self.write(ctx, |tx| {
            append(
                tx,
                ctx,
                &Append {
                    id: &entry.id,
                    incident_id: &entry.incident_id,
                    occurred_at: occurred,
                    kind,
                    description: &entry.description,
                    who: &entry.who,
                    corrects: entry.corrects.as_deref(),
                },
            )?;
            let action = if entry.corrects.is_some() { "timeline.correct" } else { "timeline.add" };
            Ok((
                (),
                vec![Change {
                    action,
                    entity_type: "timeline_entry",
                    entity_id: entry.id.clone(),
                    before: None,
                    after: Some(after),
                }],
            ))
        })?;
        Ok(entry)
    }

    /// An incident's timeline in the order things happened (ties: the order they were recorded).
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn timeline(&self, incident_id: &str) -> Result<Vec<TimelineEntry>> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        let zone = inc.fields.zone;
        let mut stmt = conn.prepare(
            "SELECT e.id, e.occurred_at, e.kind, e.description, e.who, e.corrects_id, e.recorded_at, e.recorded_by,
                    (SELECT c.id FROM timeline_entries c WHERE c.corrects_id = e.id ORDER BY c.recorded_at DESC, c.id DESC LIMIT 1)
             FROM timeline_entries e WHERE e.incident_id = ?1 ORDER BY e.occurred_at, e.recorded_at, e.id",
        )?;
        let show = |s: String| -> rusqlite::Result<String> {
            DateTime::parse_from_rfc3339(&s)
                .map(|t| to_local_rfc3339(t.with_timezone(&Utc), zone))
                .map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        1,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })
        };
        let rows = stmt
            .query_map([&inc.id], |r| {
                let kind: String = r.get(2)?;
                Ok(TimelineEntry {
                    id: r.get(0)?,
                    incident_id: inc.id.clone(),
                    occurred_at: show(r.get(1)?)?,
                    kind: TimelineKind::parse(&kind).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            2,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?,
                    description: r.get(3)?,
                    who: r.get(4)?,
                    corrects: r.get(5)?,
                    recorded_at: show(r.get(6)?)?,
                    recorded_by: r.get(7)?,
                    corrected_by: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
