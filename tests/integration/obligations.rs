//! Obligations as records: created by the facts, never deleted, decisions with rationale and
//! approver, filings that freeze the due time, and a diff written to the timeline.

use crate::support::*;
use breachdesk_core::incident::{IncidentPatch, Roles};
use breachdesk_core::obligations::{DecisionInput, FilingInput, IncidentFacts, ObligationStatus};
use breachdesk_core::{Breachdesk, MemoryKeyring};
use chrono::{TimeZone, Utc};

fn setup() -> (tempfile::TempDir, Breachdesk, String) {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let mut n = new_incident("Portal breach");
    n.timezone = "America/Chicago".into();
    n.detected_at = "2026-03-02T10:15".into();
    n.roles = Roles {
        compliance_liaison: Some("Dana Liaison".into()),
        comms_lead: Some("Bo Chen".into()),
        ..Roles::default()
    };
    let inc = bd.create_incident(&ctx(), &n).expect("create");
    (tmp, bd, inc.id)
}

fn facts(tx: i64) -> IncidentFacts {
    IncidentFacts {
        hipaa_role: Some("covered_entity".into()),
        affected: [("US-TX".to_owned(), tx)].into(),
        ..IncidentFacts::default()
    }
}

fn count(bd: &Breachdesk, sql: &str) -> i64 {
    bd.connection().query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn crossing_a_threshold_adds_an_obligation_and_says_so_in_the_timeline() {
    let (_t, bd, id) = setup();
    let changes = bd.set_facts(&ctx(), &id, &facts(249)).expect("facts");
    assert!(
        changes.iter().all(|c| c.rule_id != "US-TX-attorney_general"),
        "249 Texans: no AG notice"
    );
    let preview = bd.preview_facts(&id, &facts(250)).expect("preview");
    let audit_rows = count(&bd, "SELECT count(*) FROM audit_log");
    assert_eq!(
        count(&bd, "SELECT count(*) FROM audit_log"),
        audit_rows,
        "a preview writes nothing"
    );
    let changes = bd.set_facts(&ctx(), &id, &facts(250)).expect("facts");
    assert_eq!(preview, changes, "the preview showed exactly what saving did");
    let ag = changes
        .iter()
        .find(|c| c.rule_id == "US-TX-attorney_general")
        .expect("AG notice now required");
    assert_eq!(ag.change, "added");
    assert!(ag.message.contains("now required, due 2026-04-01T23:59:59-05:00"), "{}", ag.message);
    let timeline = bd.timeline(&id).expect("timeline");
    assert!(
        timeline.iter().any(|e| e.description.contains("US-TX attorney general")
            && e.description.contains("now required")),
        "the diff is in the timeline"
    );
    let obs = bd
        .obligations(&id, Utc.with_ymd_and_hms(2026, 3, 3, 12, 0, 0).single().expect("t"))
        .expect("list");
    let ag = obs.iter().find(|o| o.rule_id == "US-TX-attorney_general").expect("stored");
    assert_eq!(
        (ag.owner_role.as_str(), ag.owner_name.as_deref()),
        ("compliance_liaison", Some("Dana Liaison"))
    );
    assert_eq!(ag.status, ObligationStatus::Open);
    assert!(ag.citation.contains("521.053"), "the rule's citation is snapshotted: {}", ag.citation);
    let ind = obs.iter().find(|o| o.rule_id == "HIPAA-individuals").expect("stored");
    assert_eq!(
        ind.owner_name.as_deref(),
        Some("Bo Chen"),
        "individual notices belong to the comms lead"
    );
}

#[test]
fn rows_are_never_deleted_when_the_facts_stop_calling_for_them() {
    let (_t, bd, id) = setup();
    bd.set_facts(&ctx(), &id, &facts(300)).expect("facts");
    let rows = count(&bd, "SELECT count(*) FROM obligations");
    let changes = bd.set_facts(&ctx(), &id, &facts(100)).expect("facts");
    assert!(changes.iter().any(|c| c.rule_id == "US-TX-attorney_general" && c.change == "removed"));
    assert_eq!(count(&bd, "SELECT count(*) FROM obligations"), rows, "nothing deleted");
    let obs = bd.obligations(&id, ctx().now).expect("list");
    assert_eq!(
        obs.iter().find(|o| o.rule_id == "US-TX-attorney_general").expect("kept").status,
        ObligationStatus::OutOfScope
    );
    assert!(
        bd.connection().execute("DELETE FROM obligations", []).is_err(),
        "the database refuses deletes"
    );
}

#[test]
fn not_required_needs_a_rationale_and_an_approver() {
    let (_t, bd, id) = setup();
    bd.set_facts(&ctx(), &id, &facts(300)).expect("facts");
    let bad = DecisionInput {
        decision: "not_required".into(),
        rationale: " ".into(),
        approved_by: "Gen Counsel".into(),
        exemption_id: None,
    };
    assert_eq!(
        bd.decide_obligation(&ctx(), &id, "US-TX-attorney_general", &bad)
            .expect_err("must fail")
            .field(),
        Some("rationale")
    );
    let bad = DecisionInput {
        decision: "not_required".into(),
        rationale: "Encrypted laptop, key not compromised".into(),
        approved_by: String::new(),
        exemption_id: None,
    };
    assert_eq!(
        bd.decide_obligation(&ctx(), &id, "US-TX-attorney_general", &bad)
            .expect_err("must fail")
            .field(),
        Some("approved_by")
    );
    let ok = DecisionInput { approved_by: "Ines Counsel".into(), ..bad };
    let o = bd.decide_obligation(&ctx(), &id, "US-TX-attorney_general@US-TX", &ok).expect("decide");
    assert_eq!(o.status, ObligationStatus::NotRequired);
    assert_eq!(o.decision.as_ref().map(|d| d.approved_by.as_str()), Some("Ines Counsel"));
    assert!(bd.verify_audit().expect("audit").broken.is_none());
}

#[test]
fn the_first_filing_freezes_the_due_time() {
    let (_t, bd, id) = setup();
    bd.set_facts(&ctx(), &id, &facts(300)).expect("facts");
    let later = breachdesk_core::Ctx::new(
        "Bo Chen",
        Utc.with_ymd_and_hms(2026, 3, 5, 12, 0, 0).single().expect("t"),
    )
    .expect("ctx");
    let filed = bd
        .record_filing(
            &later,
            &id,
            "HIPAA-individuals",
            &FilingInput {
                sent_at: "2026-03-02T11:00".into(),
                reference: Some("USPS batch 7".into()),
                ..FilingInput::default()
            },
        )
        .expect("file");
    assert_eq!(filed.status, ObligationStatus::Done);
    assert_eq!(filed.due.as_deref(), Some("2026-05-01T23:59:59-05:00"));
    // Discovery recorded later: every unfiled clock moves, the filed one does not.
    bd.update_incident(
        &ctx(),
        &id,
        &IncidentPatch {
            discovered_at: Some("2026-03-20T09:00".into()),
            discovery_gap_reason: Some("vendor report".into()),
            ..Default::default()
        },
    )
    .expect("update");
    let obs = bd.obligations(&id, ctx().now).expect("list");
    assert_eq!(
        obs.iter()
            .find(|o| o.rule_id == "HIPAA-individuals")
            .and_then(|o| o.due.clone())
            .as_deref(),
        Some("2026-05-01T23:59:59-05:00"),
        "frozen"
    );
    assert_eq!(
        obs.iter()
            .find(|o| o.rule_id == "US-TX-attorney_general")
            .and_then(|o| o.due.clone())
            .as_deref(),
        Some("2026-04-19T23:59:59-05:00"),
        "recomputed from the new discovery"
    );
    assert!(bd.connection().execute("UPDATE obligations SET due_at = '2030-01-01T00:00:00Z' WHERE frozen_at IS NOT NULL", []).is_err(), "the database keeps it frozen too");
    let err = bd
        .record_filing(
            &ctx(),
            &id,
            "US-TX-attorney_general",
            &FilingInput { sent_at: "2030-01-01T00:00".into(), ..FilingInput::default() },
        )
        .expect_err("must fail");
    assert_eq!(err.field(), Some("sent_at"), "a filing cannot be in the future");
}

#[test]
fn cli_obligations_list_decide_and_clocks_for_an_incident() {
    let dir = init_cli();
    let o = cli_new_incident(dir.path(), "T", "SEV-1", "America/Chicago", "2026-03-02T10:15");
    assert_eq!(o.code, 0, "{}", o.stderr);
    let f = dir.path().join("facts.json");
    std::fs::write(&f, r#"{"hipaa_role": "covered_entity", "affected": {"US-TX": 700}}"#)
        .expect("write");
    let o =
        cli(dir.path(), &["facts", "set", "INC-20260302-001", "--file", f.to_str().expect("utf8")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("HIPAA-media"), "{}", o.stdout);
    let o = cli(dir.path(), &["clocks", "INC-20260302-001"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    assert!(v["obligations"].as_array().expect("array").iter().any(|o| o["rule_id"]
        == "US-TX-attorney_general"
        && o["due"] == "2026-04-01T23:59:59-05:00"));
    let o = cli(
        dir.path(),
        &[
            "obligations",
            "decide",
            "INC-20260302-001",
            "HIPAA-media@US-TX",
            "--not-required",
            "--rationale",
            "Counsel: media notice replaced by web posting",
            "--approved-by",
            "Ines Counsel",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("not_required"), "{}", o.stdout);
    let o = cli(dir.path(), &["obligations", "list", "INC-20260302-001", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    assert!(list
        .as_array()
        .expect("array")
        .iter()
        .any(|o| o["rule_id"] == "HIPAA-media" && o["status"] == "not_required"));
    std::fs::write(&f, r#"{"hipaa_role": "dentist"}"#).expect("write");
    let o =
        cli(dir.path(), &["facts", "set", "INC-20260302-001", "--file", f.to_str().expect("utf8")]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("hipaa_role"), "{}", o.stderr);
}

/// The .ics export parses with an independent RFC 5545 implementation (Debian's python3-icalendar)
/// and holds exactly the open fixed deadlines, each with its alarms.
#[test]
fn ics_export_is_valid_rfc5545_with_the_open_deadlines() {
    let (_t, bd, id) = setup();
    bd.set_facts(&ctx(), &id, &facts(700)).expect("facts");
    let later = breachdesk_core::Ctx::new(
        "Bo Chen",
        Utc.with_ymd_and_hms(2026, 3, 5, 12, 0, 0).single().expect("t"),
    )
    .expect("ctx");
    bd.record_filing(
        &later,
        &id,
        "HIPAA-individuals",
        &FilingInput { sent_at: "2026-03-04T09:00".into(), ..FilingInput::default() },
    )
    .expect("file");
    let open: Vec<String> = bd
        .obligations(&id, later.now)
        .expect("list")
        .into_iter()
        .filter(|o| {
            o.due.is_some()
                && matches!(
                    o.status,
                    ObligationStatus::Open | ObligationStatus::DueSoon | ObligationStatus::Overdue
                )
        })
        .map(|o| o.id)
        .collect();
    assert!(!open.is_empty());
    let ics = bd.deadlines_ics(&id, later.now).expect("ics");
    assert!(ics.lines().all(|l| l.len() <= 76), "folded at 75 octets (+CR)");
    let file = tempfile::NamedTempFile::new().expect("tmp");
    std::fs::write(file.path(), &ics).expect("write");
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for ev in cal.walk('VEVENT'):
    print(str(ev['UID']).split('@')[0], ev.decoded('DTSTART').isoformat(), len(list(ev.walk('VALARM'))))
"#;
    let o = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(file.path())
        .output()
        .expect("python3-icalendar (make deps-test installs it)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let parsed: Vec<(String, String, String)> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let p: Vec<&str> = l.split(' ').collect();
            (p[0].to_owned(), p[1].to_owned(), p[2].to_owned())
        })
        .collect();
    let uids: Vec<&String> = parsed.iter().map(|p| &p.0).collect();
    assert_eq!(uids.len(), open.len(), "one event per open deadline: {parsed:?}");
    assert!(open.iter().all(|id| uids.contains(&id)), "{parsed:?}");
    assert!(parsed.iter().all(|p| p.2 == "4"), "alarms at 7 d, 24 h, 4 h, 1 h: {parsed:?}");
    let ag = bd
        .obligations(&id, later.now)
        .expect("list")
        .into_iter()
        .find(|o| o.rule_id == "US-TX-attorney_general")
        .expect("AG");
    let ev = parsed.iter().find(|p| p.0 == ag.id).expect("AG event");
    assert_eq!(ev.1, "2026-04-02T04:59:59+00:00", "23:59:59 CDT on 1 April");
}

/// A stored due time that cannot be read is an error naming the obligation and the column, never
/// "no due time" (which would hide an overdue notice); saving the facts again recomputes it.
#[test]
fn an_unreadable_due_time_is_an_error_naming_the_row_not_a_missing_deadline() {
    let (_t, bd, id) = setup();
    bd.set_facts(&ctx(), &id, &facts(300)).expect("facts");
    let victim: String = bd
        .connection()
        .query_row("SELECT id FROM obligations WHERE due_at IS NOT NULL LIMIT 1", [], |r| r.get(0))
        .expect("an obligation with a due time");
    // A raw write stands in for damage (a bad restore, an edit outside Breachdesk).
    bd.connection()
        .execute("UPDATE obligations SET due_at = 'next tuesday' WHERE id = ?1", [&victim])
        .expect("damage");
    let err = bd.obligations(&id, t0()).expect_err("an unreadable due time is an error");
    assert_eq!(err.code(), "unreadable", "{err}");
    assert_eq!(err.field(), Some("due_at"));
    assert!(err.to_string().contains(&victim), "the error names the row: {err}");
    bd.set_facts(&ctx(), &id, &facts(301)).expect("saving the facts again");
    let list = bd.obligations(&id, t0()).expect("readable again");
    assert!(list.iter().find(|o| o.id == victim).is_some_and(|o| o.due.is_some()));
}
