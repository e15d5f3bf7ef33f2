//! What the CLI prints: JSON with `--json`, otherwise aligned plain text.

use crate::Failure;
use breachdesk_core::audit::AuditReport;
use breachdesk_core::incident::Incident;
use breachdesk_core::timeline::TimelineEntry;
use breachdesk_core::{Breachdesk, DirStatus, Error, KeyMode};
use serde::Serialize;

fn json<T: Serialize>(v: &T) -> Result<(), Failure> {
    let s = serde_json::to_string_pretty(v).map_err(|e| Failure(Error::Internal(e.to_string())))?;
    out!("{s}");
    Ok(())
}

fn mode_text(m: Option<KeyMode>) -> &'static str {
    match m {
        Some(KeyMode::Keyring) => "system keyring",
        Some(KeyMode::Passphrase) => "passphrase (Argon2id-wrapped key)",
        None => "not set up",
    }
}

pub fn initialized(as_json: bool, bd: &Breachdesk) -> Result<(), Failure> {
    let dir = bd.data_dir().display().to_string();
    if as_json {
        return json(
            &serde_json::json!({ "data_dir": dir, "mode": bd.key_mode(), "user_name": bd.user_name()? }),
        );
    }
    out!("Created an encrypted Breachdesk database in {dir}");
    out!("Database key kept in: {}", mode_text(Some(bd.key_mode())));
    Ok(())
}

pub fn status(as_json: bool, s: &DirStatus) -> Result<(), Failure> {
    if as_json {
        return json(s);
    }
    out!("Data directory: {}", s.data_dir);
    out!("Initialised:    {}", if s.initialized { "yes" } else { "no (run `breachdesk init`)" });
    out!("Key custody:    {}", mode_text(s.mode));
    Ok(())
}

pub fn done(as_json: bool, what: &str, message: &str) -> Result<(), Failure> {
    if as_json {
        return json(&serde_json::json!({ "ok": true, "result": what }));
    }
    out!("{message}");
    Ok(())
}

fn or_dash(v: Option<&String>) -> &str {
    v.map_or("—", String::as_str)
}

pub fn incident(as_json: bool, i: &Incident) -> Result<(), Failure> {
    if as_json {
        return json(i);
    }
    let r = &i.roles;
    let rows: [(&str, &str); 17] = [
        ("Incident", &i.human_id),
        ("Title", &i.title),
        ("Severity", i.severity.as_str()),
        ("Status", i.status.as_str()),
        ("Time zone", &i.timezone),
        ("Occurred", or_dash(i.occurred_at.as_ref())),
        ("Detected", &i.detected_at),
        ("Discovered", or_dash(i.discovered_at.as_ref())),
        ("Gap reason", or_dash(i.discovery_gap_reason.as_ref())),
        ("Aware (GDPR)", or_dash(i.aware_at.as_ref())),
        ("Determined", or_dash(i.determined_at.as_ref())),
        ("Commander", or_dash(r.incident_commander.as_ref())),
        ("Compliance", or_dash(r.compliance_liaison.as_ref())),
        ("Comms lead", or_dash(r.comms_lead.as_ref())),
        ("Engineering", or_dash(r.engineering_responder.as_ref())),
        ("Exec sponsor", or_dash(r.executive_sponsor.as_ref())),
        ("Id", &i.id),
    ];
    for (k, v) in rows {
        out!("{k:<13} {v}");
    }
    if !i.summary.is_empty() {
        out!("\n{}", i.summary);
    }
    Ok(())
}

pub fn incidents(as_json: bool, list: &[Incident]) -> Result<(), Failure> {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        out!("No incidents yet. Open one with `breachdesk incident new`.");
        return Ok(());
    }
    out!("{:<17} {:<6} {:<10} {:<26} TITLE", "ID", "SEV", "STATUS", "DETECTED");
    for i in list {
        out!(
            "{:<17} {:<6} {:<10} {:<26} {}",
            i.human_id,
            i.severity.as_str(),
            i.status.as_str(),
            i.detected_at,
            i.title
        );
    }
    Ok(())
}

pub fn incident_detail(as_json: bool, i: &Incident, t: &[TimelineEntry]) -> Result<(), Failure> {
    if as_json {
        return json(&serde_json::json!({ "incident": i, "timeline": t }));
    }
    incident(false, i)?;
    out!("\nTimeline:");
    timeline(false, t)
}

pub fn timeline(as_json: bool, entries: &[TimelineEntry]) -> Result<(), Failure> {
    if as_json {
        return json(&entries);
    }
    if entries.is_empty() {
        out!("  (no entries)");
    }
    for e in entries {
        let mark = match (&e.corrects, &e.corrected_by) {
            (_, Some(by)) => format!("  [corrected by {by}]"),
            (Some(of), None) => format!("  [corrects {of}]"),
            _ => String::new(),
        };
        out!(
            "{}  {:<12} {}  — {}{}\n    id {}",
            e.occurred_at,
            e.kind.as_str(),
            e.description,
            e.who,
            mark,
            e.id
        );
    }
    Ok(())
}

pub fn audit(
    as_json: bool,
    r: &AuditReport,
    checkpoint: Option<(&breachdesk_core::Checkpoint, Option<&breachdesk_core::Error>)>,
) -> Result<(), Failure> {
    if as_json {
        let cp = checkpoint.map(|(c, e)| serde_json::json!({ "seq": c.seq, "hash": c.hash, "at": c.at, "holds": e.is_none(), "problem": e.map(ToString::to_string) }));
        return json(&serde_json::json!({ "report": r, "checkpoint": cp }));
    }
    match &r.broken {
        None if r.data_mismatches.is_empty() => out!(
            "Audit chain intact: {} rows; head {}{}",
            r.rows_checked,
            r.head_hash.as_deref().unwrap_or("(empty)"),
            r.data_covered_from.map_or_else(String::new, |s| format!(
                "; every stored row matches it (data covered from row {s})"
            ))
        ),
        None => {
            out!(
                "Audit chain intact ({} rows), but {} stored row(s) no longer match it:",
                r.rows_checked,
                r.data_mismatches.len()
            );
            for m in &r.data_mismatches {
                out!("  {} {}: {}", m.table, m.id, m.what);
            }
        }
        Some(b) => {
            out!("Audit chain checked up to row {}; row {}: {}", r.rows_checked, b.seq, b.reason)
        }
    }
    if let Some((c, problem)) = checkpoint {
        match problem {
            None => {
                out!("Checkpoint of {} (row {}) holds: the chain still extends it.", c.at, c.seq)
            }
            Some(e) => out!("Checkpoint of {} (row {}) does NOT hold: {e}", c.at, c.seq),
        }
    }
    Ok(())
}

pub fn json_value<T: Serialize>(v: &T) -> Result<(), Failure> {
    json(v)
}

pub fn changes(
    as_json: bool,
    changes: &[breachdesk_core::obligations::ObligationChange],
    dry_run: bool,
) -> Result<(), Failure> {
    if as_json {
        return json(&serde_json::json!({ "dry_run": dry_run, "changes": changes }));
    }
    if changes.is_empty() {
        out!("No change to the obligations.");
    }
    for c in changes {
        out!("{}{}", if dry_run { "would: " } else { "" }, c.message);
    }
    Ok(())
}

pub fn obligations(
    as_json: bool,
    list: &[breachdesk_core::obligations::Obligation],
) -> Result<(), Failure> {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        out!("No obligations yet: record the incident's facts with `breachdesk facts set`.");
    }
    for o in list {
        let status = serde_json::to_value(o.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let due = o.due.clone().unwrap_or_else(|| {
            if o.kind == "asap" {
                "as soon as possible".into()
            } else {
                "—".into()
            }
        });
        let conf = if o.confidence == "high" {
            String::new()
        } else {
            format!("  [{} confidence]", o.confidence)
        };
        let place = o.label.clone().unwrap_or_else(|| o.jurisdiction.clone());
        out!(
            "{:<12} {:<26} {:<8} {:<6} {:<26} {}{}",
            status,
            due,
            o.regime,
            place,
            o.recipient,
            o.citation,
            conf
        );
        out!(
            "{:<12} id {}  rule {}  owner {}",
            "",
            o.id,
            o.rule_id,
            o.owner_name.as_deref().unwrap_or(&o.owner_role)
        );
        if let Some(a) = &o.anchor {
            out!("{:<12} timed against {a}", "");
        }
        if let Some(x) = &o.exemption {
            let state = match (x.needs_confirmation, x.confirmed) {
                (false, _) => "applies",
                (true, true) => "confirmed",
                (true, false) => {
                    "PROPOSED — confirm with `obligations decide … --confirm-exemption`"
                }
            };
            let conf = if x.confidence == "high" {
                String::new()
            } else {
                format!(" [{} confidence]", x.confidence)
            };
            out!(
                "{:<12} exit {} ({}) under {}: {state}{conf}",
                "",
                x.id,
                x.kind.replace('_', " "),
                x.citation
            );
        }
    }
    Ok(())
}

pub fn customs(
    as_json: bool,
    list: &[breachdesk_core::custom::CustomObligation],
) -> Result<(), Failure> {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        out!("No user-defined obligations: add one with `breachdesk obligations add`.");
    }
    for c in list {
        let clock = c.amount.map_or_else(
            || c.clock.replace('_', " "),
            |n| format!("{n} {}", c.clock.replace('_', " ")),
        );
        let state = c.retired_at.as_ref().map_or_else(String::new, |t| {
            format!("  RETIRED {t}: {}", c.retire_reason.as_deref().unwrap_or(""))
        });
        out!(
            "{:<22} {:<40} {:<16} {} from {}{}",
            c.rule_id,
            c.label,
            c.recipient,
            clock,
            c.trigger,
            state
        );
    }
    Ok(())
}

pub fn internal(
    as_json: bool,
    list: &[breachdesk_core::internal::InternalClock],
) -> Result<(), Failure> {
    if as_json {
        return json(&list);
    }
    for c in list {
        let status = serde_json::to_value(c.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out!("{:<12} {:<26} {}", status, c.due.as_deref().unwrap_or("—"), c.name);
        out!("{:<12} {}", "", c.explanation);
    }
    Ok(())
}

/// A progress line on standard error (a terminal only), at most twice a second: the count, the
/// rate and the time left. Gives back whether to go on (always: Ctrl-C stops the process, and a
/// merge or an import resumes or rolls back whole).
pub fn progress(unit: &'static str) -> impl FnMut(breachdesk_core::individuals::Progress) -> bool {
    use std::io::IsTerminal as _;
    let tty = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let mut last = std::time::Instant::now();
    move |p| {
        if tty && last.elapsed().as_millis() > 500 {
            last = std::time::Instant::now();
            let secs = started.elapsed().as_secs_f64().max(0.001);
            #[allow(clippy::cast_precision_loss)]
            let rate = p.rows as f64 / secs;
            #[allow(clippy::cast_precision_loss)]
            let eta =
                p.bytes.filter(|b| *b > 0).map(|b| secs * (p.total_bytes as f64 / b as f64 - 1.0));
            eprint!(
                "\r{} {unit} · {:.0} {unit}/s{}   ",
                p.rows,
                rate,
                eta.map_or_else(String::new, |e| format!(" · {e:.0} s left"))
            );
        }
        true
    }
}

/// Ends a progress line.
pub fn progress_done() {
    use std::io::IsTerminal as _;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
}
