//! The notify-or-not decision as records: an exit the engine finds is kept on the obligation's row
//! and shown, a person confirms the ones that need it (in the timeline and the audit log), and facts
//! that take the exit away make the notice required again, with the diff. Relative deadlines take
//! their date from the anchor notice's filing, in the same transaction.

use crate::support::*;
use breachdesk_core::obligations::{DecisionInput, FilingInput, IncidentFacts, ObligationStatus};
use breachdesk_core::{Breachdesk, Ctx, MemoryKeyring};
use chrono::{TimeZone, Utc};

fn setup(zone: &str, detected: &str) -> (tempfile::TempDir, Breachdesk, String) {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let mut n = new_incident("Laptop stolen from a car");
    n.timezone = zone.into();
    n.detected_at = detected.into();
    let inc = bd.create_incident(&ctx(), &n).expect("create");
    (tmp, bd, inc.id)
}

fn laptop(encrypted: bool, key_compromised: bool) -> IncidentFacts {
    IncidentFacts {
        hipaa_role: Some("covered_entity".into()),
        affected: [("US-FL".to_owned(), 600), ("US-TX".to_owned(), 300)].into(),
        data_types: vec!["name".into(), "ssn".into(), "medical".into()],
        encrypted,
        key_compromised,
        ..IncidentFacts::default()
    }
}

fn later() -> Ctx {
    Ctx::new("Test Liaison", Utc.with_ymd_and_hms(2026, 3, 20, 15, 0, 0).single().expect("t"))
        .expect("ctx")
}

#[test]
fn an_encrypted_laptop_is_exempt_until_the_key_turns_out_compromised() {
    let (_t, bd, id) = setup("America/New_York", "2026-03-02T09:00");
    let changes = bd.set_facts(&ctx(), &id, &laptop(true, false)).expect("facts");
    let fl =
        changes.iter().find(|c| c.rule_id == "US-FL-individuals").expect("Florida in the diff");
    assert_eq!(fl.change, "exempted");
    assert!(
        fl.message.contains("exemption proposed under Fla. Stat."),
        "medium-confidence law: a person confirms: {}",
        fl.message
    );
    let obs = bd.obligations(&id, ctx().now).expect("list");
    let hipaa = obs.iter().find(|o| o.rule_id == "HIPAA-individuals").expect("kept on record");
    assert_eq!(
        hipaa.status,
        ObligationStatus::Exempt,
        "HIPAA's safe harbour is high-confidence law: exempt at once"
    );
    assert!(hipaa
        .exemption
        .as_ref()
        .is_some_and(|x| x.citation.contains("164.402") && !x.needs_confirmation));
    let fl = obs.iter().find(|o| o.rule_id == "US-FL-individuals").expect("kept on record");
    let x = fl.exemption.clone().expect("the exit is shown on the row");
    assert!(x.needs_confirmation && !x.confirmed);
    assert_eq!(fl.status, ObligationStatus::Open, "until someone confirms it, the clock runs");
    assert!(fl.due.is_some());

    // Confirming the wrong exit is refused and names the field; the right one is recorded.
    let wrong = DecisionInput {
        decision: "not_required".into(),
        rationale: "Full-disk encryption, key in the TPM".into(),
        approved_by: "Ines Counsel".into(),
        exemption_id: Some("US-TX-encryption".into()),
    };
    let e = bd
        .decide_obligation(&ctx(), &id, "US-FL-individuals", &wrong)
        .expect_err("not this row's exit");
    assert_eq!(e.field(), Some("exemption_id"));
    let right = DecisionInput { exemption_id: Some(x.id.clone()), ..wrong };
    let fl = bd.decide_obligation(&ctx(), &id, "US-FL-individuals", &right).expect("confirm");
    assert_eq!(fl.status, ObligationStatus::Exempt);
    assert!(fl.exemption.as_ref().is_some_and(|x| x.confirmed));
    let timeline = bd.timeline(&id).expect("timeline");
    assert!(
        timeline
            .iter()
            .any(|e| e.description.starts_with("Exemption confirmed for US-FL individuals")
                && e.description.contains("Ines Counsel")),
        "in the timeline"
    );
    let audit: i64 = bd
        .connection()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'obligation.confirm_exemption'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audit, 1, "in the audit log");

    // The key was on a sticky note: every exit is gone, the confirmation no longer counts.
    let changes = bd.set_facts(&ctx(), &id, &laptop(true, true)).expect("facts");
    let fl =
        changes.iter().find(|c| c.rule_id == "US-FL-individuals").expect("Florida in the diff");
    assert_eq!(fl.change, "added");
    assert!(
        fl.message.contains("required again — the exit US-FL-encryption no longer applies"),
        "{}",
        fl.message
    );
    let obs = bd.obligations(&id, ctx().now).expect("list");
    let fl = obs.iter().find(|o| o.rule_id == "US-FL-individuals").expect("row");
    assert!(fl.exemption.is_none());
    assert_eq!(
        fl.status,
        ObligationStatus::Open,
        "a confirmation of an exit that no longer applies does not make a notice 'not required'"
    );
    assert!(
        fl.explanation.contains("does not apply: the key or credential was compromised"),
        "{}",
        fl.explanation
    );
    assert_eq!(
        obs.iter().find(|o| o.rule_id == "HIPAA-individuals").expect("row").status,
        ObligationStatus::Open
    );
    assert!(bd.verify_audit().expect("audit").broken.is_none());
}

#[test]
fn a_required_decision_overrides_an_exit() {
    let (_t, bd, id) = setup("America/New_York", "2026-03-02T09:00");
    bd.set_facts(&ctx(), &id, &laptop(true, false)).expect("facts");
    let input = DecisionInput {
        decision: "required".into(),
        rationale: "The encryption was not FIPS-validated: we notify.".into(),
        approved_by: "Ines Counsel".into(),
        exemption_id: None,
    };
    let o = bd.decide_obligation(&ctx(), &id, "HIPAA-individuals", &input).expect("decide");
    assert_eq!(o.status, ObligationStatus::Open);
}

#[test]
fn filing_the_anchor_notice_dates_the_notice_timed_against_it() {
    let (_t, bd, id) = setup("America/Los_Angeles", "2026-03-02T10:00");
    let facts = IncidentFacts {
        affected: [("US-CA".to_owned(), 600)].into(),
        data_types: vec!["name".into(), "ssn".into()],
        ..IncidentFacts::default()
    };
    bd.set_facts(&ctx(), &id, &facts).expect("facts");
    let ag = |bd: &Breachdesk| {
        bd.obligations(&id, later().now)
            .expect("list")
            .into_iter()
            .find(|o| o.rule_id == "US-CA-attorney_general")
            .expect("AG row")
    };
    let before = ag(&bd);
    assert_eq!(
        (before.kind.as_str(), before.anchor.as_deref()),
        ("relative", Some("US-CA-individuals"))
    );
    assert_eq!(
        before.due.as_deref(),
        Some("2026-04-16T23:59:59-07:00"),
        "15 days after the consumer notice's own deadline"
    );
    let filing = FilingInput {
        sent_at: "2026-03-20T08:00".into(),
        channel: Some("First-class mail".into()),
        reference: Some("USPS batch 1".into()),
        note: None,
    };
    bd.record_filing(&later(), &id, "US-CA-individuals", &filing).expect("file");
    let after = ag(&bd);
    assert_eq!(
        after.due.as_deref(),
        Some("2026-04-04T23:59:59-07:00"),
        "15 days after the notice was sent"
    );
    let timeline = bd.timeline(&id).expect("timeline");
    assert!(
        timeline.iter().any(|e| e.description.contains("US-CA-attorney_general")
            && e.description.contains("due moves")),
        "the move is in the timeline"
    );
}
