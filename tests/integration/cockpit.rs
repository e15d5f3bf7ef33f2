//! What the cockpit runs on: user-defined (contract, investor, board) obligations with the rule
//! arithmetic, internal clocks by severity, drafts previewed without writing, reminders by stage.

use crate::support::*;
use breachdesk_core::custom::NewCustomObligation;
use breachdesk_core::incident::{IncidentPatch, Roles};
use breachdesk_core::internal::InternalClockSettings;
use breachdesk_core::obligations::{FactsDraft, IncidentFacts, ObligationStatus};
use breachdesk_core::timeline::NewTimelineEntry;
use breachdesk_core::{Breachdesk, Ctx, MemoryKeyring};
use chrono::{DateTime, TimeZone, Utc};

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("valid")
}

fn setup(severity: &str) -> (tempfile::TempDir, Breachdesk, String) {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let mut n = new_incident("Portal breach");
    n.severity = severity.into();
    n.timezone = "America/Chicago".into();
    n.detected_at = "2026-03-02T10:15".into();
    n.roles = Roles { executive_sponsor: Some("Ari Founder".into()), ..Roles::default() };
    let inc = bd.create_incident(&ctx(), &n).expect("create");
    (tmp, bd, inc.id)
}

fn custom(label: &str, recipient: &str, clock: &str, amount: Option<u32>) -> NewCustomObligation {
    NewCustomObligation {
        label: label.into(),
        recipient: recipient.into(),
        trigger: "discovered_at".into(),
        clock: clock.into(),
        amount,
        reference: Some("MSA §9.2".into()),
        ..NewCustomObligation::default()
    }
}

fn count(bd: &Breachdesk, sql: &str) -> i64 {
    bd.connection().query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn contract_and_investor_clocks_become_obligations_with_owners() {
    let (_t, bd, id) = setup("SEV-0");
    let baa = bd
        .add_custom_obligation(
            &ctx(),
            &id,
            &custom("Acme Health BAA", "covered_entity", "calendar_days", Some(30)),
        )
        .expect("add");
    bd.add_custom_obligation(
        &ctx(),
        &id,
        &custom("Investors", "investors", "same_business_day", Some(9)),
    )
    .expect("add");
    let obs = bd.obligations(&id, at(2026, 3, 2, 17, 0)).expect("list");
    let b = obs.iter().find(|o| o.rule_id == baa.rule_id).expect("BAA row");
    assert_eq!(
        (b.regime.as_str(), b.due.as_deref(), b.label.as_deref()),
        ("CONTRACT", Some("2026-04-01T23:59:59-05:00"), Some("Acme Health BAA"))
    );
    assert_eq!(b.citation, "MSA §9.2");
    let inv = obs.iter().find(|o| o.recipient == "investors").expect("investors row");
    // Discovered Monday 2 March 10:15 Chicago: the same business day ends that night.
    assert_eq!(inv.due.as_deref(), Some("2026-03-02T23:59:59-06:00"));
    assert_eq!(
        (inv.owner_role.as_str(), inv.owner_name.as_deref()),
        ("executive_sponsor", Some("Ari Founder"))
    );
    assert_eq!(inv.status, ObligationStatus::DueSoon);
    // The amount means nothing for a same-business-day clock and is not kept.
    let customs = bd.custom_obligations(&id).expect("list");
    assert_eq!(customs.iter().find(|c| c.label == "Investors").expect("stored").amount, None);

    // Retiring keeps the row, out of scope; the definition cannot be edited behind the app's back.
    let err =
        bd.retire_custom_obligation(&ctx(), &id, &baa.rule_id, "  ").expect_err("reason required");
    assert_eq!(err.field(), Some("reason"));
    bd.retire_custom_obligation(&ctx(), &id, &baa.rule_id, "Entered against the wrong customer")
        .expect("retire");
    let b = bd
        .obligations(&id, at(2026, 3, 2, 17, 0))
        .expect("list")
        .into_iter()
        .find(|o| o.rule_id == baa.rule_id)
        .expect("kept");
    assert_eq!(b.status, ObligationStatus::OutOfScope);
    assert!(
        bd.retire_custom_obligation(&ctx(), &id, &baa.rule_id, "again").is_err(),
        "retired once"
    );
    let edit = bd
        .connection()
        .execute("UPDATE custom_obligations SET amount = 90 WHERE rule_id = ?1", [&baa.rule_id]);
    assert!(edit.is_err(), "definitions are not edited in place");
    assert!(
        bd.connection().execute("DELETE FROM custom_obligations", []).is_err(),
        "never deleted"
    );
    assert!(bd.verify_audit().expect("verify").broken.is_none());
}

#[test]
fn bad_custom_obligations_name_the_field_and_write_nothing() {
    let (_t, bd, id) = setup("SEV-2");
    let before = count(&bd, "SELECT count(*) FROM audit_log");
    for (input, field) in [
        (custom(" ", "investors", "hours", Some(4)), "label"),
        (custom("Board", "shareholders", "hours", Some(4)), "recipient"),
        (custom("Board", "board", "fortnights", Some(2)), "clock"),
        (custom("Board", "board", "hours", None), "amount"),
        (
            NewCustomObligation {
                trigger: "closed_at".into(),
                ..custom("Board", "board", "hours", Some(4))
            },
            "trigger",
        ),
    ] {
        let e = bd.add_custom_obligation(&ctx(), &id, &input).expect_err("refused");
        assert_eq!(e.field(), Some(field), "{e}");
    }
    assert_eq!(count(&bd, "SELECT count(*) FROM audit_log"), before);
    assert_eq!(count(&bd, "SELECT count(*) FROM custom_obligations"), 0);
}

#[test]
fn a_draft_moves_timestamps_and_facts_together_and_a_preview_writes_nothing() {
    let (_t, bd, id) = setup("SEV-1");
    let facts = IncidentFacts {
        gdpr_role: Some("controller".into()),
        affected: [("DE".to_owned(), 20)].into(),
        ..IncidentFacts::default()
    };
    bd.set_facts(&ctx(), &id, &facts).expect("facts");
    let draft = FactsDraft {
        facts: facts.clone(),
        patch: Some(IncidentPatch {
            aware_at: Some("2026-03-04T08:00".into()),
            ..IncidentPatch::default()
        }),
    };
    let rows = count(&bd, "SELECT count(*) FROM audit_log");
    let preview = bd.preview_draft(&id, &draft).expect("preview");
    assert_eq!(count(&bd, "SELECT count(*) FROM audit_log"), rows, "a preview writes nothing");
    let gdpr = preview
        .changes
        .iter()
        .find(|c| c.rule_id == "GDPR-supervisory_authority")
        .expect("GDPR moves");
    assert_eq!(gdpr.change, "due_changed");
    assert_eq!(gdpr.new_due.as_deref(), Some("2026-03-07T08:00:00-06:00"), "72 h from awareness");
    assert!(preview
        .obligations
        .iter()
        .any(|o| o.rule_id == "GDPR-supervisory_authority" && o.due == gdpr.new_due));
    // A bad draft names its field.
    let bad = FactsDraft {
        facts: facts.clone(),
        patch: Some(IncidentPatch {
            aware_at: Some("2026-03-08T02:30".into()),
            ..IncidentPatch::default()
        }),
    };
    assert_eq!(
        bd.preview_draft(&id, &bad).expect_err("spring-forward gap").field(),
        Some("aware_at")
    );
    let changes = bd.save_draft(&ctx(), &id, &draft).expect("save");
    assert_eq!(changes, preview.changes, "saving did what the preview showed");
    assert_eq!(
        bd.get_incident(&id).expect("incident").aware_at.as_deref(),
        Some("2026-03-04T08:00:00-06:00")
    );
}

#[test]
fn internal_clocks_follow_the_timeline_and_the_settings() {
    let (_t, bd, id) = setup("SEV-0");
    let now = at(2026, 3, 2, 16, 40); // 10:40 Chicago, 25 min after detection
    let clocks = bd.internal_clocks(&id, now).expect("clocks");
    let ack = clocks.iter().find(|c| c.id == "ack").expect("ack");
    assert_eq!(
        (ack.due.as_deref(), ack.status),
        (Some("2026-03-02T10:30:00-06:00"), ObligationStatus::Overdue)
    );
    let entry = |kind: &str, t: &str| NewTimelineEntry {
        occurred_at: t.into(),
        kind: kind.into(),
        description: "x".into(),
        ..NewTimelineEntry::default()
    };
    bd.add_timeline_entry(&ctx(), &id, &entry("acknowledged", "2026-03-02T10:25")).expect("ack");
    bd.add_timeline_entry(&ctx(), &id, &entry("note", "2026-03-02T10:35")).expect("update");
    let clocks = bd.internal_clocks(&id, now).expect("clocks");
    assert_eq!(clocks.iter().find(|c| c.id == "ack").expect("ack").status, ObligationStatus::Done);
    let upd = clocks.iter().find(|c| c.id == "status_update").expect("cadence for SEV-0");
    assert_eq!(
        upd.due.as_deref(),
        Some("2026-03-02T11:05:00-06:00"),
        "30 min after the last status update"
    );

    // Configurable: SEV-0 updates every hour.
    let mut s = bd.internal_clock_settings().expect("settings");
    s.status_update_minutes.insert("SEV-0".into(), Some(60));
    bd.set_internal_clock_settings(&ctx(), &s).expect("set");
    let upd = bd
        .internal_clocks(&id, now)
        .expect("clocks")
        .into_iter()
        .find(|c| c.id == "status_update")
        .expect("cadence");
    assert_eq!(upd.due.as_deref(), Some("2026-03-02T11:35:00-06:00"));
    let bad =
        InternalClockSettings { postmortem_business_days: 0, ..InternalClockSettings::default() };
    assert_eq!(
        bd.set_internal_clock_settings(&ctx(), &bad).expect_err("refused").field(),
        Some("postmortem_business_days")
    );

    // Closing (Friday 6 March) records a `closed` entry; the post-mortem is due 5 business days later.
    let close = Ctx::new("Test Liaison", at(2026, 3, 6, 22, 0)).expect("ctx");
    bd.update_incident(
        &close,
        &id,
        &IncidentPatch { status: Some("closed".into()), ..IncidentPatch::default() },
    )
    .expect("close");
    assert!(bd.timeline(&id).expect("timeline").iter().any(|e| e.kind.as_str() == "closed"));
    let clocks = bd.internal_clocks(&id, at(2026, 3, 7, 12, 0)).expect("clocks");
    assert!(clocks.iter().all(|c| c.id != "status_update"), "no cadence once closed");
    assert_eq!(
        clocks.iter().find(|c| c.id == "postmortem").expect("post-mortem").due.as_deref(),
        Some("2026-03-13T23:59:59-05:00")
    );
}

#[test]
fn reminders_fire_once_per_stage_and_again_when_the_due_time_moves() {
    let (_t, bd, id) = setup("SEV-3");
    bd.add_custom_obligation(&ctx(), &id, &custom("Customer DPA", "controller", "hours", Some(48)))
        .expect("add");
    let key = |bd: &Breachdesk, now| {
        bd.due_reminders(now)
            .expect("due")
            .into_iter()
            .filter(|r| !r.key.starts_with("internal:"))
            .collect::<Vec<_>>()
    };
    // Due 2026-03-04 10:15 Chicago (16:15 UTC). Three hours before: the 4 h stage.
    let r = key(&bd, at(2026, 3, 4, 13, 15));
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].stage, "4h");
    assert!(r[0].title.contains("is due in 3 h 0 min"), "{}", r[0].title);
    assert_eq!(r[0].body, "Due Wed 4 Mar 2026, 10:15 CST — Portal breach");
    let c = Ctx::new("Test Liaison", at(2026, 3, 4, 13, 15)).expect("ctx");
    bd.mark_reminders_sent(&c, &r).expect("mark");
    assert!(key(&bd, at(2026, 3, 4, 13, 20)).is_empty(), "shown once");
    let passed = key(&bd, at(2026, 3, 4, 16, 16));
    assert_eq!(passed.iter().map(|r| r.stage.as_str()).collect::<Vec<_>>(), ["passed"]);
    // Discovery moves later: the deadline moves, and its stages start afresh.
    bd.update_incident(
        &ctx(),
        &id,
        &IncidentPatch {
            discovered_at: Some("2026-03-03T10:15".into()),
            discovery_gap_reason: Some("found in logs".into()),
            ..IncidentPatch::default()
        },
    )
    .expect("move");
    let r = key(&bd, at(2026, 3, 4, 17, 15));
    assert_eq!(r.iter().map(|r| r.stage.as_str()).collect::<Vec<_>>(), ["24h"]);
}

#[test]
fn the_cli_adds_contract_obligations_and_sets_internal_targets() {
    let dir = init_cli();
    let o = cli_new_incident(dir.path(), "T", "SEV-0", "America/Chicago", "2026-03-02T10:15");
    assert_eq!(o.code, 0, "{}", o.stderr);
    let add = [
        "obligations",
        "add",
        "INC-20260302-001",
        "--label",
        "Acme DPA",
        "--recipient",
        "controller",
        "--trigger",
        "discovered_at",
        "--clock",
        "hours",
    ];
    let o = cli(dir.path(), &add);
    assert_eq!((o.code, o.stdout.as_str()), (1, ""), "an hour clock needs an amount");
    assert!(o.stderr.contains("amount"), "{}", o.stderr);
    let o = cli(dir.path(), &[&add[..], &["--amount", "48", "--reference", "DPA §7.1"]].concat());
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("2026-03-04T10:15:00-06:00") && o.stdout.contains("Acme DPA"),
        "{}",
        o.stdout
    );
    let o = cli(dir.path(), &["--json", "obligations", "custom", "INC-20260302-001"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    let rule = v[0]["rule_id"].as_str().expect("rule id").to_owned();
    let o = cli(
        dir.path(),
        &[
            "obligations",
            "retire",
            "INC-20260302-001",
            &rule,
            "--reason",
            "Duplicate of the MSA clause",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("RETIRED"), "{}", o.stdout);

    let o = cli(dir.path(), &["--json", "obligations", "internal", "INC-20260302-001"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    assert_eq!(v[0]["due"], "2026-03-02T10:30:00-06:00", "SEV-0: acknowledge within 15 min");
    let f = dir.path().join("clocks.json");
    let mut s: serde_json::Value =
        serde_json::from_str(&cli(dir.path(), &["config", "clocks"]).stdout).expect("json");
    s["ack_minutes"]["SEV-0"] = 10.into();
    std::fs::write(&f, s.to_string()).expect("write");
    assert_eq!(cli(dir.path(), &["config", "clocks", "--set", f.to_str().expect("utf8")]).code, 0);
    let v: serde_json::Value = serde_json::from_str(
        &cli(dir.path(), &["--json", "obligations", "internal", "INC-20260302-001"]).stdout,
    )
    .expect("json");
    assert_eq!(v[0]["due"], "2026-03-02T10:25:00-06:00");
    s["ack_minutes"]["SEV-0"] = 0.into();
    std::fs::write(&f, s.to_string()).expect("write");
    let o = cli(dir.path(), &["config", "clocks", "--set", f.to_str().expect("utf8")]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("ack_minutes.SEV-0"), "{}", o.stderr);
}
