//! The timeline is append-only; corrections point at what they correct.

use crate::support::*;
use breachdesk_core::timeline::{NewTimelineEntry, TimelineKind};
use breachdesk_core::MemoryKeyring;

#[test]
fn a_correction_is_a_new_entry_and_the_original_stays() {
    let ring = MemoryKeyring::default();
    let (_tmp, bd) = init_memory(&ring);
    let inc = bd.create_incident(&ctx(), &new_incident("Timeline")).expect("create");
    let first = bd
        .add_timeline_entry(
            &ctx(),
            &inc.human_id,
            &NewTimelineEntry {
                occurred_at: "2026-03-02T10:05".into(),
                kind: "containment".into(),
                description: "Blocked IP 10.0.0.5".into(),
                ..Default::default()
            },
        )
        .expect("add");
    assert_eq!(first.who, "Test Liaison", "who defaults to the actor");
    assert_eq!(first.occurred_at, "2026-03-02T10:05:00-05:00", "shown in the incident's zone");
    let fix = bd
        .add_timeline_entry(
            &ctx(),
            &inc.id,
            &NewTimelineEntry {
                occurred_at: "2026-03-02T10:05".into(),
                kind: "containment".into(),
                description: "Blocked IP 10.0.0.6".into(),
                who: Some("Sam SRE".into()),
                corrects: Some(first.id.clone()),
            },
        )
        .expect("correct");
    let t = bd.timeline(&inc.id).expect("timeline");
    assert_eq!(t.len(), 2, "nothing replaced");
    let orig = t.iter().find(|e| e.id == first.id).expect("original kept");
    assert_eq!(orig.description, "Blocked IP 10.0.0.5", "original text unchanged");
    assert_eq!(orig.corrected_by.as_deref(), Some(fix.id.as_str()));
    assert_eq!(
        t.iter().find(|e| e.id == fix.id).expect("fix").corrects.as_deref(),
        Some(first.id.as_str())
    );
    assert_eq!(orig.kind, TimelineKind::Containment);

    // the database itself refuses edits and deletes
    let c = bd.connection();
    assert!(c.execute("UPDATE timeline_entries SET description = 'x'", []).is_err());
    assert!(c.execute("DELETE FROM timeline_entries", []).is_err());
    assert!(c.execute("DELETE FROM incidents", []).is_err());
}

#[test]
fn corrections_must_point_into_the_same_incident() {
    let ring = MemoryKeyring::default();
    let (_tmp, bd) = init_memory(&ring);
    let a = bd.create_incident(&ctx(), &new_incident("A")).expect("a");
    let b = bd.create_incident(&ctx(), &new_incident("B")).expect("b");
    assert_eq!(
        (a.human_id.as_str(), b.human_id.as_str()),
        ("INC-20260302-001", "INC-20260302-002")
    );
    let e = bd
        .add_timeline_entry(
            &ctx(),
            &a.id,
            &NewTimelineEntry {
                occurred_at: "2026-03-02T10:05".into(),
                kind: "note".into(),
                description: "x".into(),
                ..Default::default()
            },
        )
        .expect("add");
    let err = bd
        .add_timeline_entry(
            &ctx(),
            &b.id,
            &NewTimelineEntry {
                occurred_at: "2026-03-02T10:06".into(),
                kind: "note".into(),
                description: "y".into(),
                corrects: Some(e.id),
                ..Default::default()
            },
        )
        .expect_err("must fail");
    assert_eq!(err.field(), Some("corrects"), "{err}");
    let id = uuid_version(&a.id);
    assert_eq!(id, 7, "primary keys are UUIDv7");
}

fn uuid_version(s: &str) -> u32 {
    s.chars().nth(14).and_then(|c| c.to_digit(16)).unwrap_or(0)
}
