//! The audit hash chain catches edits made behind the app's back, and names the row.

use crate::support::*;
use breachdesk_core::incident::IncidentPatch;
use breachdesk_core::{Breachdesk, MemoryKeyring};

fn populated() -> (tempfile::TempDir, MemoryKeyring) {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let inc = bd.create_incident(&ctx(), &new_incident("Audit subject")).expect("create");
    bd.update_incident(
        &ctx(),
        &inc.id,
        &IncidentPatch { status: Some("contained".into()), ..Default::default() },
    )
    .expect("update");
    bd.update_incident(
        &ctx(),
        &inc.id,
        &IncidentPatch { severity: Some("SEV-0".into()), ..Default::default() },
    )
    .expect("update");
    let r = bd.verify_audit().expect("verify");
    // row 1: the baseline; 2: user name set at init; 3: create; 4, 5: updates
    assert_eq!((r.rows_checked, r.broken.clone()), (5, None), "{r:?}");
    (tmp, ring)
}

#[test]
fn every_write_is_recorded_with_before_and_after() {
    let (tmp, ring) = populated();
    let bd = Breachdesk::open(&tmp.path().join("data"), None, &ring, t0()).expect("open");
    let (action, actor, before, after): (String, String, String, String) = bd
        .connection()
        .query_row(
            "SELECT action, actor, before_json, after_json FROM audit_log WHERE seq = 4",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("row 4");
    assert_eq!((action.as_str(), actor.as_str()), ("incident.update", "Test Liaison"));
    assert!(
        before.contains("\"status\":\"detected\"") && after.contains("\"status\":\"contained\""),
        "{before} → {after}"
    );
}

#[test]
fn editing_any_row_is_detected_and_named() {
    for (seq, column) in
        [(2, "actor"), (3, "after_json"), (4, "at"), (5, "action"), (3, "rows_json")]
    {
        let (tmp, ring) = populated();
        let data = tmp.path().join("data");
        let conn = raw_connection(&data, &ring);
        // The triggers refuse edits; an attacker with the key drops them first.
        assert!(
            conn.execute("UPDATE audit_log SET actor = 'x' WHERE seq = 1", []).is_err(),
            "append-only trigger"
        );
        conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
            .expect("drop triggers");
        let value = match column {
            "after_json" => "{\"title\":\"Forged\"}",
            "rows_json" => "{\"rows\":[]}",
            _ => "tampered",
        };
        conn.execute(
            &format!("UPDATE audit_log SET {column} = ?1 WHERE seq = ?2"),
            rusqlite::params![value, seq],
        )
        .expect("tamper");
        drop(conn);
        let bd = Breachdesk::open(&data, None, &ring, t0()).expect("open");
        let broken = bd.verify_audit().expect("verify").broken.expect("tampering must be detected");
        assert_eq!(broken.seq, seq, "editing {column} of row {seq}: {}", broken.reason);
    }
}

#[test]
fn removing_a_row_or_relinking_is_detected() {
    let (tmp, ring) = populated();
    let data = tmp.path().join("data");
    let conn = raw_connection(&data, &ring);
    conn.execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE seq = 3;")
        .expect("delete");
    drop(conn);
    let bd = Breachdesk::open(&data, None, &ring, t0()).expect("open");
    let b = bd.verify_audit().expect("verify").broken.expect("detected");
    assert_eq!(b.seq, 4, "{}", b.reason);
    assert!(b.reason.contains("missing"), "{}", b.reason);
}

#[test]
fn cli_audit_verify_names_the_first_bad_row() {
    let dir = init_cli();
    for t in ["a", "b"] {
        assert_eq!(cli_new_incident(dir.path(), t, "SEV-2", "UTC", "2026-03-02T10:00").code, 0);
    }
    let o = cli(dir.path(), &["audit", "verify"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("intact: 4 rows"), "{}", o.stdout);
    // Tamper through a raw SQLCipher connection keyed with the passphrase-unwrapped key.
    let bd = Breachdesk::open(dir.path(), Some(&passphrase()), &MemoryKeyring::default(), t0())
        .expect("open");
    bd.connection()
        .execute_batch(
            "DROP TRIGGER audit_no_update; UPDATE audit_log SET actor = 'Mallory' WHERE seq = 3;",
        )
        .expect("tamper");
    drop(bd);
    let o = cli(dir.path(), &["audit", "verify"]);
    assert_eq!(o.code, 1, "a broken chain fails the command");
    assert!(o.stderr.contains("row 3"), "{}", o.stderr);
}

/// A store with a bit of everything: an incident, facts, a filed notice, timeline entries and an
/// imported list. Returns the incident's id.
fn full(ring: &MemoryKeyring) -> (tempfile::TempDir, String) {
    use breachdesk_core::obligations::{FilingInput, IncidentFacts};
    let (tmp, bd) = init_memory(ring);
    let inc = bd.create_incident(&ctx(), &new_incident("Covered")).expect("create");
    let facts = IncidentFacts {
        hipaa_role: Some("covered_entity".into()),
        affected: [("US-TX".to_owned(), 300)].into(),
        ..IncidentFacts::default()
    };
    bd.set_facts(&ctx(), &inc.id, &facts).expect("facts");
    bd.record_filing(
        &ctx(),
        &inc.id,
        "US-TX-attorney_general",
        &FilingInput {
            sent_at: "2026-03-02T10:30".into(),
            reference: Some("TX-AG-1".into()),
            ..FilingInput::default()
        },
    )
    .expect("file");
    for d in ["Contained at the gateway", "Forensics engaged"] {
        bd.add_timeline_entry(
            &ctx(),
            &inc.id,
            &breachdesk_core::timeline::NewTimelineEntry {
                occurred_at: "2026-03-02T10:45".into(),
                kind: "note".into(),
                description: d.into(),
                ..Default::default()
            },
        )
        .expect("entry");
    }
    let file = tmp.path().join("people.csv");
    let mut out = Vec::new();
    breachdesk_core::individuals::generate::write_csv(
        breachdesk_core::individuals::generate::Spec { rows: 120, bad_rate: 0.0, seed: 4 },
        &mut out,
    )
    .expect("generate");
    std::fs::write(&file, out).expect("file");
    bd.import_individuals(
        &ctx(),
        &inc.id,
        &file,
        &breachdesk_core::individuals::ImportOptions::default(),
        &mut |_| true,
    )
    .expect("import");
    let r = bd.verify_audit().expect("verify");
    assert!(r.intact(), "a store written only through Breachdesk matches its log: {r:?}");
    (tmp, inc.id)
}

#[test]
fn every_edit_of_the_data_behind_the_apps_back_is_named() {
    let ring = MemoryKeyring::default();
    let (tmp, inc) = full(&ring);
    let data = tmp.path().join("data");
    let conn = raw_connection(&data, &ring);
    // An attacker with the key: drops the guards, then edits the record to look better.
    conn.execute_batch(
        "DROP TRIGGER obligations_due_frozen; DROP TRIGGER filings_no_update; DROP TRIGGER timeline_no_update; DROP TRIGGER timeline_no_delete;",
    )
    .expect("drop guards");
    let filed: String = conn
        .query_row("SELECT obligation_id FROM obligation_filings LIMIT 1", [], |r| r.get(0))
        .expect("filing");
    conn.execute("UPDATE obligations SET due_at = '2026-12-31T23:59:59Z' WHERE id = ?1", [&filed])
        .expect("move a frozen due time");
    conn.execute("UPDATE obligation_filings SET sent_at = '2026-03-02T12:00:00Z'", [])
        .expect("back-date the filing");
    conn.execute("UPDATE timeline_entries SET description = 'Nothing happened' WHERE description = 'Contained at the gateway'", []).expect("edit");
    conn.execute("DELETE FROM timeline_entries WHERE description = 'Forensics engaged'", [])
        .expect("delete");
    conn.execute("UPDATE incidents SET detected_at = '2026-03-01T10:00:00Z' WHERE id = ?1", [&inc])
        .expect("move detection");
    let victim: i64 =
        conn.query_row("SELECT max(id) FROM individuals", [], |r| r.get(0)).expect("id");
    conn.execute("DELETE FROM individuals WHERE id = ?1", [victim]).expect("delete a person");
    drop(conn);
    let bd = Breachdesk::open(&data, None, &ring, t0()).expect("open");
    let r = bd.verify_audit().expect("verify");
    assert!(r.broken.is_none(), "the chain itself was not touched: {r:?}");
    let found = |table: &str, what: &str| {
        r.data_mismatches.iter().any(|m| m.table == table && m.what.contains(what))
    };
    assert!(found("obligations", "due_at"), "{:#?}", r.data_mismatches);
    assert!(found("obligation_filings", "sent_at"), "{:#?}", r.data_mismatches);
    assert!(found("timeline_entries", "description"), "{:#?}", r.data_mismatches);
    assert!(found("timeline_entries", "missing"), "{:#?}", r.data_mismatches);
    assert!(found("incidents", "detected_at"), "{:#?}", r.data_mismatches);
    assert!(
        found("individuals", "119 records where the audit log recorded 120"),
        "{:#?}",
        r.data_mismatches
    );
    assert!(!r.intact());
}

#[test]
fn a_chain_rewritten_or_cut_fails_against_a_checkpoint_kept_elsewhere() {
    let dir = init_cli();
    let mk = |t: &str| {
        assert_eq!(cli_new_incident(dir.path(), t, "SEV-2", "UTC", "2026-03-02T10:00").code, 0)
    };
    mk("a");
    let keep = tempfile::tempdir().expect("tmp");
    let cp = keep.path().join("checkpoint.json");
    let o = cli(dir.path(), &["audit", "checkpoint", "-o", cp.to_str().expect("utf8")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let custody_then = std::fs::read(dir.path().join("custody.json")).expect("custody");
    mk("b");
    let o = cli(dir.path(), &["audit", "verify", "--checkpoint", cp.to_str().expect("utf8")]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("holds"), "{}", o.stdout);
    // An edited checkpoint file does not verify.
    let mut forged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cp).expect("read")).expect("json");
    forged["seq"] = 1.into();
    let forged_path = keep.path().join("forged.json");
    std::fs::write(&forged_path, forged.to_string()).expect("write");
    let o =
        cli(dir.path(), &["audit", "verify", "--checkpoint", forged_path.to_str().expect("utf8")]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("does NOT hold") && o.stdout.contains("signature"), "{}", o.stdout);
    // The chain cut back before the checkpoint, and custody.json put back to match: the store
    // opens, but the checkpoint kept elsewhere says it was cut.
    let bd = Breachdesk::open(dir.path(), Some(&passphrase()), &MemoryKeyring::default(), t0())
        .expect("open");
    let checkpointed: i64 =
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&cp).expect("read"))
            .expect("json")["seq"]
            .as_i64()
            .expect("seq");
    bd.connection()
        .execute_batch(&format!(
            "DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE seq >= {checkpointed};"
        ))
        .expect("cut");
    drop(bd);
    std::fs::write(dir.path().join("custody.json"), custody_then).expect("put back");
    let o = cli(dir.path(), &["audit", "verify", "--checkpoint", cp.to_str().expect("utf8")]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("does NOT hold") || o.stderr.contains("went back"),
        "{}{}",
        o.stdout,
        o.stderr
    );
}

#[test]
fn a_store_that_went_back_in_time_says_so() {
    let dir = init_cli();
    assert_eq!(cli_new_incident(dir.path(), "a", "SEV-2", "UTC", "2026-03-02T10:00").code, 0);
    let old = std::fs::read(dir.path().join("breachdesk.db")).expect("copy");
    assert_eq!(cli_new_incident(dir.path(), "b", "SEV-2", "UTC", "2026-03-02T10:00").code, 0);
    // The older database file put back (as a lost -wal or an old copy would leave it).
    for f in ["breachdesk.db-wal", "breachdesk.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(f));
    }
    std::fs::write(dir.path().join("breachdesk.db"), old).expect("put back");
    let o = cli(dir.path(), &["incident", "list"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("went back in time") && o.stderr.contains("committed work is missing"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_chain_downgraded_to_unkeyed_rows_fails() {
    let ring = MemoryKeyring::default();
    let (tmp, _) = full(&ring);
    let data = tmp.path().join("data");
    let conn = raw_connection(&data, &ring);
    conn.execute_batch(
        "DROP TRIGGER audit_no_update; UPDATE audit_log SET keyed = 0 WHERE seq = 3;",
    )
    .expect("downgrade");
    drop(conn);
    let bd = Breachdesk::open(&data, None, &ring, t0()).expect("open");
    let b = bd.verify_audit().expect("verify").broken.expect("detected");
    assert_eq!(b.seq, 3, "{}", b.reason);
    assert!(b.reason.contains("not keyed"), "{}", b.reason);
}
