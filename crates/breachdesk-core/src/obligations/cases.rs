//! The obligation use cases: read, decide, record a filing.

use super::decisions::{self, NewDecision};
use super::filings::{self, NewFiling};
use super::table::{ObligationRows, ObligationWrites};
use super::{check_decision, list, refresh, DecisionInput, FilingInput, Obligation};
use crate::audit::Change;
use crate::incident::{self, Row};
use crate::timeline::{self, TimelineKind};
use crate::{ics, uuid7, Breachdesk, Ctx, Error, Result};
use breachdesk_rules::time::{parse_timestamp, to_storage};
use chrono::{DateTime, Utc};

impl Breachdesk {
    /// An incident's obligations with their status at `now`, most urgent first.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn obligations(&self, incident_id: &str, now: DateTime<Utc>) -> Result<Vec<Obligation>> {
        let conn = self.read()?;
        let inc = self.incident_row(incident_id)?;
        list(&conn, &inc, now)
    }

    /// The incident's open fixed deadlines as an iCalendar file (RFC 5545), with alarms.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn deadlines_ics(&self, incident_id: &str, now: DateTime<Utc>) -> Result<String> {
        let inc = self.incident_row(incident_id)?;
        Ok(ics::calendar(&inc.human_id, &inc.fields.title, &self.obligations(&inc.id, now)?, now))
    }

    /// Finds an obligation of an incident by its id, `RULE@JURISDICTION`, or a rule id.
    pub(crate) fn obligation_of(
        &self,
        incident_id: &str,
        obligation_id: &str,
    ) -> Result<(Row, String)> {
        let inc = self.incident_row(incident_id)?;
        let id = ObligationRows(&*self.read()?).find(&inc.id, obligation_id)?;
        let id = id.ok_or_else(|| Error::NotFound {
            entity: "obligation",
            id: format!("{obligation_id} in {}", inc.human_id),
        })?;
        Ok((inc, id))
    }

    pub(crate) fn one_obligation(
        &self,
        inc: &Row,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Obligation> {
        let conn = self.read()?;
        list(&conn, inc, now)?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| Error::NotFound { entity: "obligation", id: id.to_owned() })
    }

    /// Records that an obligation is not required (or is required after all), with the rationale
    /// and the person who approved it; or confirms the exit the engine proposes for it
    /// (`exemption_id`). Decisions are append-only; the newest counts. Each goes to the timeline
    /// and the audit log.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] naming `decision`, `rationale`, `approved_by` or
    /// `exemption_id` (an exit that does not apply to this obligation now).
    pub fn decide_obligation(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        obligation_id: &str,
        input: &DecisionInput,
    ) -> Result<Obligation> {
        let (decision, rationale, approved_by) = check_decision(input)?;
        let (inc, id) = self.obligation_of(incident_id, obligation_id)?;
        let current = self.one_obligation(&inc, &id, ctx.now)?;
        let exemption_id =
            match incident::clean_optional("exemption_id", input.exemption_id.clone(), 200)? {
                None => None,
                Some(x) => {
                    if decision != "not_required" {
                        return Err(Error::validation(
                            "exemption_id",
                            "an exit is confirmed with the decision not_required",
                        ));
                    }
                    match &current.exemption {
                        Some(e) if e.id == x => Some(x),
                        Some(e) => {
                            return Err(Error::validation(
                                "exemption_id",
                                format!(
                                    "{x:?} is not the exit that applies to this notice now ({})",
                                    e.id
                                ),
                            ))
                        }
                        None => {
                            return Err(Error::validation(
                                "exemption_id",
                                format!(
                                "no exit applies to this notice now, so {x:?} cannot be confirmed"
                            ),
                            ))
                        }
                    }
                }
            };
        let label = format!(
            "{} {} ({})",
            current.jurisdiction,
            current.recipient.replace('_', " "),
            current.rule_id
        );
        let what = match (&exemption_id, current.exemption.as_ref()) {
            (Some(_), Some(e)) => format!(
                "Exemption confirmed for {label}: not required under {} ({})",
                e.citation,
                e.kind.replace('_', " ")
            ),
            _ if decision == "not_required" => format!("Decided not required: {label}"),
            _ => format!("Decided required: {label}"),
        };
        let text = format!("{what}. Rationale: {rationale}. Approved by {approved_by}.");
        self.write(ctx, |tx| {
            decisions::insert(
                tx,
                &NewDecision {
                    id: &uuid7(ctx.now),
                    obligation_id: &id,
                    decision: &decision,
                    rationale: &rationale,
                    approved_by: &approved_by,
                    decided_at: &to_storage(ctx.now),
                    decided_by: &ctx.actor,
                    exemption_id: exemption_id.as_deref(),
                },
            )?;
            timeline::append_event(tx, ctx, &inc.id, TimelineKind::Assessment, &text)?;
            Ok((
                (),
                vec![Change {
                    action: if exemption_id.is_some() {
                        "obligation.confirm_exemption"
                    } else {
                        "obligation.decide"
                    },
                    entity_type: "obligation",
                    entity_id: id.clone(),
                    before: None,
                    after: Some(serde_json::json!({
                        "decision": decision,
                        "rationale": rationale,
                        "approved_by": approved_by,
                        "exemption_id": exemption_id,
                    })),
                }],
            ))
        })?;
        self.one_obligation(&inc, &id, ctx.now)
    }

    /// Records a notice as sent. The first filing freezes the obligation's due time, so later
    /// edits of the facts cannot make a late notice look on time; the notices timed against this
    /// one get their dates from it, in the same transaction.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] naming `sent_at`, `channel`, `reference` or `note`.
    pub fn record_filing(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        obligation_id: &str,
        input: &FilingInput,
    ) -> Result<Obligation> {
        let (inc, id) = self.obligation_of(incident_id, obligation_id)?;
        let sent = past_time("sent_at", &input.sent_at, inc.fields.zone, ctx.now)?;
        let channel = incident::clean_optional("channel", input.channel.clone(), 500)?;
        let reference = incident::clean_optional("reference", input.reference.clone(), 500)?;
        let note = incident::clean_optional("note", input.note.clone(), 20_000)?;
        let filed = Filed {
            sent,
            channel: channel.as_deref(),
            reference: reference.as_deref(),
            note: note.as_deref(),
        };
        self.write(ctx, |tx| Ok(((), file(tx, ctx, &inc, &id, &filed)?)))?;
        self.one_obligation(&inc, &id, ctx.now)
    }
}

/// A notice recorded as sent.
pub(crate) struct Filed<'a> {
    pub sent: DateTime<Utc>,
    pub channel: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Files obligation `id` inside the caller's transaction: the filing row, the due time frozen
/// (so later edits of the facts cannot make a late notice look on time), and the notices timed
/// against this one recomputed. Returns the audit changes.
pub(crate) fn file(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx,
    inc: &Row,
    id: &str,
    f: &Filed<'_>,
) -> Result<Vec<Change>> {
    filings::insert(
        tx,
        &NewFiling {
            id: &uuid7(ctx.now),
            obligation_id: id,
            sent_at: &to_storage(f.sent),
            channel: f.channel,
            reference: f.reference,
            note: f.note,
            recorded_at: &to_storage(ctx.now),
            recorded_by: &ctx.actor,
        },
    )?;
    ObligationWrites::new(tx).freeze(id, &to_storage(ctx.now))?;
    crate::failpoint::hit("filing.recorded");
    let mut audit = vec![Change {
        action: "obligation.filing",
        entity_type: "obligation",
        entity_id: id.to_owned(),
        before: None,
        after: Some(serde_json::json!({
            "sent_at": to_storage(f.sent),
            "channel": f.channel,
            "reference": f.reference,
        })),
    }];
    // The notices timed against this one take their dates from it, in the same transaction.
    let (_, recompute) = refresh(tx, ctx, inc, None)?;
    audit.extend(recompute);
    Ok(audit)
}

/// A time the user says something happened: required, in the incident's zone (or RFC 3339),
/// not after `now`.
pub(crate) fn past_time(
    field: &str,
    value: &str,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    if value.trim().is_empty() {
        return Err(Error::validation(field, "is required"));
    }
    let t = parse_timestamp(field, value, zone)?;
    if t > now {
        return Err(Error::validation(field, "cannot be in the future"));
    }
    Ok(t)
}
