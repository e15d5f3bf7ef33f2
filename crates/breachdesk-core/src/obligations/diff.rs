//! What changed between the stored obligations and what the engine says now: the text the
//! facts editor previews and the timeline records.

use super::{name, StoredKey};
use crate::obligations::ObligationChange;
use breachdesk_rules::engine::{Computed, Outcome};
use breachdesk_rules::time::{to_local_rfc3339, to_storage};
use chrono::{DateTime, Utc};

fn show_due(due_utc: Option<&str>, zone: chrono_tz::Tz) -> String {
    due_utc.and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map_or_else(
        || "no fixed time".to_owned(),
        |t| to_local_rfc3339(t.with_timezone(&Utc), zone),
    )
}

fn kind_words(kind: &str) -> &'static str {
    match kind {
        "encryption" => "encryption safe harbour",
        "risk_of_harm" => "no likelihood of harm",
        _ => "deemed compliance",
    }
}

/// Compares what is stored with what the engine says now.
pub(crate) fn diff(
    stored: &[StoredKey],
    now: &Outcome,
    zone: chrono_tz::Tz,
) -> Vec<ObligationChange> {
    let mut out = Vec::new();
    let change =
        |change: &str, c: &Computed, old_due: Option<String>, message: String| ObligationChange {
            change: change.into(),
            rule_id: c.rule_id.clone(),
            jurisdiction: c.jurisdiction.clone(),
            recipient: name(&c.recipient),
            old_due,
            new_due: c.due.clone(),
            message,
        };
    for c in &now.obligations {
        let new_due = c.due_utc.map(to_storage);
        let label =
            format!("{} {} ({})", c.jurisdiction, name(&c.recipient).replace('_', " "), c.rule_id);
        let due = show_due(new_due.as_deref(), zone);
        match stored.iter().find(|s| s.is(c)) {
            None => out.push(change("added", c, None, format!("{label}: now required, due {due}"))),
            Some(s) if !s.in_scope => {
                out.push(change("added", c, None, format!("{label}: required again, due {due}")))
            }
            Some(s) if s.exemption.is_some() => {
                out.push(change(
                    "added",
                    c,
                    None,
                    format!(
                        "{label}: required again — the exit {} no longer applies, due {due}",
                        s.exemption.as_deref().unwrap_or_default()
                    ),
                ));
            }
            Some(s) if !s.frozen && s.due_at != new_due => out.push(change(
                "due_changed",
                c,
                s.due_at.as_deref().map(|d| show_due(Some(d), zone)),
                format!("{label}: due moves from {} to {due}", show_due(s.due_at.as_deref(), zone)),
            )),
            Some(_) => {}
        }
    }
    for x in &now.exemptions {
        let c = &x.as_obligation;
        let label =
            format!("{} {} ({})", c.jurisdiction, name(&c.recipient).replace('_', " "), c.rule_id);
        let stored_row = stored.iter().find(|s| s.is(c));
        if let Some(s) = stored_row
            .filter(|s| s.in_scope && s.exemption.as_deref() == Some(x.exemption_id.as_str()))
        {
            // The same exit as before; a proposed one leaves the clock running, so its moves count.
            let new_due = c.due_utc.map(to_storage);
            if x.needs_confirmation && !s.frozen && s.due_at != new_due {
                out.push(change(
                    "due_changed",
                    c,
                    s.due_at.as_deref().map(|d| show_due(Some(d), zone)),
                    format!(
                        "{label}: due moves from {} to {} (exemption proposed, not yet confirmed)",
                        show_due(s.due_at.as_deref(), zone),
                        show_due(new_due.as_deref(), zone)
                    ),
                ));
            }
            continue;
        }
        let what = if x.needs_confirmation {
            format!(
                "{label}: exemption proposed under {} ({}) — confirm it; the clock runs until then",
                x.citation,
                kind_words(&name(&x.kind))
            )
        } else {
            format!("{label}: not required under {} ({})", x.citation, kind_words(&name(&x.kind)))
        };
        out.push(change(
            "exempted",
            c,
            stored_row.and_then(|s| s.due_at.as_deref().map(|d| show_due(Some(d), zone))),
            what,
        ));
    }
    for s in stored.iter().filter(|s| s.in_scope) {
        if !now
            .obligations
            .iter()
            .chain(now.exemptions.iter().map(|x| &x.as_obligation))
            .any(|c| s.is(c))
        {
            out.push(ObligationChange {
                change: "removed".into(),
                rule_id: s.rule_id.clone(),
                jurisdiction: s.jurisdiction.clone(),
                recipient: s.recipient.clone(),
                old_due: s.due_at.as_deref().map(|d| show_due(Some(d), zone)),
                new_due: None,
                message: format!(
                    "{} {} ({}): no longer called for by the facts (kept on record)",
                    s.jurisdiction,
                    s.recipient.replace('_', " "),
                    s.rule_id
                ),
            });
        }
    }
    out
}
