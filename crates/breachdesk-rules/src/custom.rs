//! User-defined obligations: what a contract, a policy or the board asks for (a BAA partner within
//! 30 days, a customer's DPA within 48 hours, the insurer, investors on the same business day).
//!
//! They are not law, so they carry no citation of a statute: the "citation" is the user's own
//! reference (for example "MSA §9.2"). Their clocks use exactly the arithmetic of [`crate::clock`],
//! through the same code path as the legal rules. A law-enforcement hold does not pause them: a
//! hold excuses delays under the statutes that provide for it, not under a contract.

use crate::engine::{due_for, Computed, Kind};
use crate::facts::Facts;
use crate::schema::{Confidence, Deadline, Recipient, Regime, RuleSet, Trigger};
use crate::time::to_local_rfc3339;
use serde::{Deserialize, Serialize};

/// The clock of a user-defined obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "clock", content = "amount")]
pub enum CustomClock {
    CalendarDays(u32),
    Hours(u32),
    /// Business days on the US federal calendar, counted in the incident's zone; due 23:59:59.
    BusinessDays(u32),
    /// The trigger's business day (or the next one when it falls on a weekend or holiday).
    SameBusinessDay,
    Asap,
}

/// One user-defined obligation, as the engine needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomObligation {
    /// Unique within the incident, e.g. `CONTRACT-0193…`.
    pub rule_id: String,
    pub label: String,
    pub recipient: Recipient,
    pub trigger: Trigger,
    pub clock: CustomClock,
    /// The user's reference: contract and clause, policy, resolution.
    pub reference: Option<String>,
    pub channel: Option<String>,
    pub address: Option<String>,
}

impl CustomClock {
    fn deadline(self) -> Deadline {
        let business = |days| Deadline::BusinessDays {
            days,
            calendar: "US-federal".into(),
            cutoff: None,
            zone: None,
        };
        match self {
            CustomClock::CalendarDays(days) => Deadline::CalendarDays { days },
            CustomClock::Hours(hours) => Deadline::Hours { hours },
            CustomClock::BusinessDays(days) => business(days),
            CustomClock::SameBusinessDay => business(0),
            CustomClock::Asap => Deadline::Asap,
        }
    }

    /// How a person would say it ("30 calendar days", "same business day").
    #[must_use]
    pub fn describe(self) -> String {
        match self {
            CustomClock::CalendarDays(n) => format!("{n} calendar days"),
            CustomClock::Hours(n) => format!("{n} hours"),
            CustomClock::BusinessDays(n) => format!("{n} business days"),
            CustomClock::SameBusinessDay => "same business day".into(),
            CustomClock::Asap => "as soon as possible".into(),
        }
    }
}

/// The obligation `c` computed for the facts `f`, with the same arithmetic as the legal rules.
#[must_use]
pub fn compute_custom(rules: &RuleSet, c: &CustomObligation, f: &Facts) -> Computed {
    let due = due_for(&c.clock.deadline(), c.trigger, f, rules);
    let reference = c.reference.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let hold = if f.hold.is_some() {
        " A law-enforcement hold does not pause contractual clocks."
    } else {
        ""
    };
    Computed {
        regime: Regime::Contract,
        jurisdiction: String::new(),
        recipient: c.recipient,
        kind: if due.kind == Kind::Asap { Kind::Asap } else { Kind::Deadline },
        due: due.at.map(|t| to_local_rfc3339(t, f.zone)),
        due_utc: due.at,
        rule_id: c.rule_id.clone(),
        rule_version: "user-defined".into(),
        citation: reference.map_or_else(|| format!("User-defined: {}", c.label), str::to_owned),
        source_url: String::new(),
        confidence: Confidence::High,
        explanation: format!(
            "{}: {} from {} (user-defined, not a statute{}). {}{hold}",
            c.label,
            c.clock.describe(),
            c.trigger.field(),
            reference.map_or_else(String::new, |r| format!("; terms: {r}")),
            due.why
        ),
        channel: c.channel.clone(),
        address: c.address.clone(),
        anchor: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::RawFacts;

    fn facts(discovered: &str, hold: bool) -> Facts {
        RawFacts {
            timezone: "America/Chicago".into(),
            discovered_at: discovered.into(),
            law_enforcement_hold: hold.then(|| crate::facts::RawHold {
                start: "2026-03-10T09:00".into(),
                end: "2026-04-09T09:00".into(),
                form: None,
            }),
            ..RawFacts::default()
        }
        .check()
        .expect("valid facts")
    }

    fn one(clock: CustomClock, f: &Facts) -> Computed {
        let rules = RuleSet::embedded().expect("rules");
        let c = CustomObligation {
            rule_id: "CONTRACT-1".into(),
            label: "Acme BAA".into(),
            recipient: Recipient::CoveredEntity,
            trigger: Trigger::DiscoveredAt,
            clock,
            reference: Some("BAA §4.2".into()),
            channel: None,
            address: None,
        };
        compute_custom(&rules, &c, f)
    }

    #[test]
    fn contract_clocks_use_the_rule_arithmetic() {
        let f = facts("2026-03-02T10:15:00", false);
        assert_eq!(
            one(CustomClock::CalendarDays(30), &f).due.as_deref(),
            Some("2026-04-01T23:59:59-05:00")
        );
        // 48 h across the 8 March DST change: exact elapsed time, shown at the new offset.
        let g = facts("2026-03-07T10:15:00", false);
        assert_eq!(
            one(CustomClock::Hours(48), &g).due.as_deref(),
            Some("2026-03-09T11:15:00-05:00")
        );
        // Saturday 7 March → same business day is Monday 9 March, end of day.
        assert_eq!(
            one(CustomClock::SameBusinessDay, &g).due.as_deref(),
            Some("2026-03-09T23:59:59-05:00")
        );
        assert_eq!(
            one(CustomClock::SameBusinessDay, &f).due.as_deref(),
            Some("2026-03-02T23:59:59-06:00")
        );
        let asap = one(CustomClock::Asap, &f);
        assert_eq!((asap.kind, asap.due), (Kind::Asap, None));
        let c = one(CustomClock::BusinessDays(5), &f);
        assert_eq!(c.due.as_deref(), Some("2026-03-09T23:59:59-05:00"));
        assert_eq!((c.regime, c.citation.as_str()), (Regime::Contract, "BAA §4.2"));
    }

    #[test]
    fn a_hold_does_not_pause_a_contract() {
        let c = one(CustomClock::CalendarDays(30), &facts("2026-03-02T10:15:00", true));
        assert_eq!(c.due.as_deref(), Some("2026-04-01T23:59:59-05:00"));
        assert!(c.explanation.contains("does not pause"), "{}", c.explanation);
    }
}
