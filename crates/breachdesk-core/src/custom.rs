//! User-defined obligations: a BAA partner, a customer's DPA, the cyber-insurance carrier,
//! investors, the board. The definition is stored; the engine computes it with the same arithmetic
//! as the statutes, and it becomes an ordinary obligation row (regime CONTRACT) with an owner,
//! decisions, filings, a frozen due time and reminders.

use crate::audit::Change;
use crate::incident::{clean_optional, required};
use crate::{uuid7, Breachdesk, Ctx, Error, Result};
use breachdesk_rules::custom::{CustomClock, CustomObligation as EngineCustom};
use breachdesk_rules::schema::{Recipient, Trigger};
use breachdesk_rules::time::to_storage;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Recipients a user-defined obligation may name.
pub const RECIPIENTS: [&str; 7] =
    ["covered_entity", "controller", "insurer", "investors", "board", "individuals", "other"];
/// Timestamps a user-defined clock may start from.
pub const TRIGGERS: [&str; 4] = ["detected_at", "discovered_at", "aware_at", "determined_at"];
/// Clock kinds; all but `same_business_day` and `asap` need an amount.
pub const CLOCKS: [&str; 5] =
    ["calendar_days", "hours", "business_days", "same_business_day", "asap"];

/// A new user-defined obligation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct NewCustomObligation {
    /// What it is, e.g. "Acme Health BAA — notify covered entity".
    pub label: String,
    /// covered_entity | controller | insurer | investors | board | individuals | other
    #[ts(as = "breachdesk_rules::schema::Recipient")]
    pub recipient: String,
    /// detected_at | discovered_at | aware_at | determined_at
    pub trigger: String,
    /// calendar_days | hours | business_days | same_business_day | asap
    pub clock: String,
    /// Days or hours; null for same_business_day and asap.
    pub amount: Option<u32>,
    /// The source of the duty: contract and clause, policy, resolution.
    pub reference: Option<String>,
    pub channel: Option<String>,
    pub address: Option<String>,
}

/// A stored user-defined obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CustomObligation {
    pub id: String,
    /// The id its obligation row carries (`CONTRACT-…`).
    pub rule_id: String,
    pub label: String,
    #[ts(as = "breachdesk_rules::schema::Recipient")]
    pub recipient: String,
    pub trigger: String,
    pub clock: String,
    pub amount: Option<u32>,
    pub reference: Option<String>,
    pub channel: Option<String>,
    pub address: Option<String>,
    pub owner_role: String,
    pub created_at: String,
    pub created_by: String,
    pub retired_at: Option<String>,
    pub retired_by: Option<String>,
    pub retire_reason: Option<String>,
}

fn parse_enum<T: for<'de> Deserialize<'de>>(
    field: &str,
    value: &str,
    allowed: &[&str],
) -> Result<T> {
    let v = value.trim();
    if !allowed.contains(&v) {
        return Err(Error::validation(
            field,
            format!("{value:?} is not one of: {}", allowed.join(", ")),
        ));
    }
    serde_json::from_value(serde_json::Value::String(v.to_owned()))
        .map_err(|e| Error::validation(field, e.to_string()))
}

fn clock_of(clock: &str, amount: Option<u32>) -> Result<CustomClock> {
    let need = |a: Option<u32>, max: u32, unit: &str| -> Result<u32> {
        match a {
            None => Err(Error::validation("amount", format!("is required: how many {unit}"))),
            Some(n) if n == 0 || n > max => {
                Err(Error::validation("amount", format!("must be between 1 and {max} {unit}")))
            }
            Some(n) => Ok(n),
        }
    };
    Ok(match clock.trim() {
        "calendar_days" => CustomClock::CalendarDays(need(amount, 3660, "days")?),
        "hours" => CustomClock::Hours(need(amount, 8784, "hours")?),
        "business_days" => CustomClock::BusinessDays(need(amount, 2600, "business days")?),
        "same_business_day" => CustomClock::SameBusinessDay,
        "asap" => CustomClock::Asap,
        other => {
            return Err(Error::validation(
                "clock",
                format!("{other:?} is not one of: {}", CLOCKS.join(", ")),
            ))
        }
    })
}

use crate::obligations::owner_role;

impl CustomObligation {
    pub(crate) fn engine(&self) -> Result<EngineCustom> {
        Ok(EngineCustom {
            rule_id: self.rule_id.clone(),
            label: self.label.clone(),
            recipient: parse_enum::<Recipient>("recipient", &self.recipient, &RECIPIENTS)?,
            trigger: parse_enum::<Trigger>("trigger", &self.trigger, &TRIGGERS)?,
            clock: clock_of(&self.clock, self.amount)?,
            reference: self.reference.clone(),
            channel: self.channel.clone(),
            address: self.address.clone(),
        })
    }
}

const SELECT: &str = "SELECT id, rule_id, label, recipient, trigger_field, clock, amount, reference, channel, address, owner_role,
                             created_at, created_by, retired_at, retired_by, retire_reason FROM custom_obligations";

/// An incident's user-defined obligations, retired ones included, oldest first (times shown in `zone`).
fn list(
    conn: &rusqlite::Connection,
    incident_uuid: &str,
    zone: chrono_tz::Tz,
) -> Result<Vec<CustomObligation>> {
    let show = |s: Option<String>| s.map(|s| crate::stored_to_local(s, zone));
    let mut stmt =
        conn.prepare(&format!("{SELECT} WHERE incident_id = ?1 ORDER BY created_at, id"))?;
    let rows = stmt
        .query_map([incident_uuid], |r| {
            Ok(CustomObligation {
                id: r.get(0)?,
                rule_id: r.get(1)?,
                label: r.get(2)?,
                recipient: r.get(3)?,
                trigger: r.get(4)?,
                clock: r.get(5)?,
                amount: r.get(6)?,
                reference: r.get(7)?,
                channel: r.get(8)?,
                address: r.get(9)?,
                owner_role: r.get(10)?,
                created_at: show(Some(r.get(11)?)).unwrap_or_default(),
                created_by: r.get(12)?,
                retired_at: show(r.get(13)?),
                retired_by: r.get(14)?,
                retire_reason: r.get(15)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The active definitions of an incident as the engine takes them.
pub(crate) fn active(
    conn: &rusqlite::Connection,
    incident_uuid: &str,
) -> Result<Vec<EngineCustom>> {
    list(conn, incident_uuid, chrono_tz::UTC)?
        .iter()
        .filter(|c| c.retired_at.is_none())
        .map(CustomObligation::engine)
        .collect()
}

impl Breachdesk {
    /// An incident's user-defined obligations, retired ones included, oldest first.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn custom_obligations(&self, incident_id: &str) -> Result<Vec<CustomObligation>> {
        let inc = self.incident_row(incident_id)?;
        list(&*self.read()?, &inc.id, inc.fields.zone)
    }

    /// Adds a user-defined obligation and computes its clock at once.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] naming `label`, `recipient`, `trigger`, `clock`,
    /// `amount`, `reference`, `channel` or `address`.
    pub fn add_custom_obligation(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        input: &NewCustomObligation,
    ) -> Result<CustomObligation> {
        let inc = self.incident_row(incident_id)?;
        let label = required("label", &input.label, 300)?;
        let recipient = input.recipient.trim().to_owned();
        parse_enum::<Recipient>("recipient", &recipient, &RECIPIENTS)?;
        let trigger = input.trigger.trim().to_owned();
        parse_enum::<Trigger>("trigger", &trigger, &TRIGGERS)?;
        let clock = input.clock.trim().to_owned();
        let engine_clock = clock_of(&clock, input.amount)?;
        let amount = match engine_clock {
            CustomClock::SameBusinessDay | CustomClock::Asap => None,
            _ => input.amount,
        };
        let reference = clean_optional("reference", input.reference.clone(), 500)?;
        let channel = clean_optional("channel", input.channel.clone(), 500)?;
        let address = clean_optional("address", input.address.clone(), 500)?;
        let id = uuid7(ctx.now);
        let rule_id = format!("CONTRACT-{}", &id.replace('-', "")[20..]).to_ascii_uppercase();
        let owner = owner_role(&recipient);
        let after = serde_json::json!({
            "label": label, "recipient": recipient, "trigger": trigger, "clock": clock, "amount": amount,
            "reference": reference, "channel": channel, "address": address, "rule_id": rule_id,
        });
        self.write(ctx, |tx| {
            tx.execute(
                "INSERT INTO custom_obligations (id, incident_id, rule_id, label, recipient, trigger_field, clock, amount, reference, channel, address,
                     owner_role, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![id, inc.id, rule_id, label, recipient, trigger, clock, amount, reference, channel, address, owner, to_storage(ctx.now), ctx.actor],
            )?;
            let mut audit = vec![Change { action: "custom_obligation.add", entity_type: "custom_obligation", entity_id: id.clone(), before: None, after: Some(after) }];
            // Its clock is computed in the same transaction.
            audit.extend(crate::obligations::refresh(tx, ctx, &inc, None)?.1);
            Ok(((), audit))
        })?;
        self.custom_obligations(&inc.id)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::Internal("custom obligation vanished".into()))
    }

    /// Retires a user-defined obligation (its obligation row goes out of scope, kept on record).
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] on `reason` when blank, or when already retired.
    pub fn retire_custom_obligation(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        custom_id: &str,
        reason: &str,
    ) -> Result<CustomObligation> {
        let inc = self.incident_row(incident_id)?;
        let reason = required("reason", reason, 2000)?;
        let found: Option<(String, Option<String>)> = self.read()?
            .query_row(
                "SELECT id, retired_at FROM custom_obligations WHERE incident_id = ?1 AND (id = ?2 OR rule_id = ?2)",
                params![inc.id, custom_id.trim()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (id, retired) = found.ok_or_else(|| Error::NotFound {
            entity: "user-defined obligation",
            id: format!("{custom_id} in {}", inc.human_id),
        })?;
        if retired.is_some() {
            return Err(Error::validation("id", format!("{custom_id} is already retired")));
        }
        self.write(ctx, |tx| {
            tx.execute(
                "UPDATE custom_obligations SET retired_at = ?2, retired_by = ?3, retire_reason = ?4 WHERE id = ?1",
                params![id, to_storage(ctx.now), ctx.actor, reason],
            )?;
            let mut audit = vec![Change {
                action: "custom_obligation.retire",
                entity_type: "custom_obligation",
                entity_id: id.clone(),
                before: None,
                after: Some(serde_json::json!({ "reason": reason })),
            }];
            audit.extend(crate::obligations::refresh(tx, ctx, &inc, None)?.1);
            Ok(((), audit))
        })?;
        self.custom_obligations(&inc.id)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::Internal("custom obligation vanished".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_need_a_sensible_amount() {
        assert_eq!(clock_of("calendar_days", Some(30)).ok(), Some(CustomClock::CalendarDays(30)));
        assert_eq!(clock_of("same_business_day", None).ok(), Some(CustomClock::SameBusinessDay));
        for (clock, amount) in
            [("hours", None), ("hours", Some(0)), ("calendar_days", Some(100_000))]
        {
            let e = clock_of(clock, amount).expect_err("refused");
            assert_eq!(e.field(), Some("amount"), "{clock} {amount:?}");
        }
        assert_eq!(clock_of("fortnights", Some(2)).expect_err("refused").field(), Some("clock"));
        assert_eq!(owner_role("investors"), "executive_sponsor");
        assert_eq!(owner_role("insurer"), "compliance_liaison");
    }
}
