//! The audit hash chain catches edits made behind the app's back, and names the row.

use crate::support::*;
use breachdesk_core::incident::IncidentPatch;
use breachdesk_core::{Breachdesk, MemoryKeyring};

fn populated() -> (tempfile::TempDir, MemoryKeyring) {
    let ring = MemoryKeyring::default();
    let (tmp, mut bd) = init_memory(&ring);
    let inc = bd.create_incident(&ctx(), &new_incident("Audit subject")).expect("create");
    bd.update_incident(&ctx(), &inc.id, &IncidentPatch { status: Some("contained".into()), ..Default::default() }).expect("update");
    bd.update_incident(&ctx(), &inc.id, &IncidentPatch { severity: Some("SEV-0".into()), ..Default::default() }).expect("update");
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
        .query_row("SELECT action, actor, before_json, after_json FROM audit_log WHERE seq = 4", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("row 4");
    assert_eq!((action.as_str(), actor.as_str()), ("incident.update", "Test Liaison"));
    assert!(before.contains("\"status\":\"detected\"") && after.contains("\"status\":\"contained\""), "{before} → {after}");
}

#[test]
fn editing_any_row_is_detected_and_named() {
    for (seq, column) in [(2, "actor"), (3, "after_json"), (4, "at"), (5, "action"), (3, "rows_json")] {
        let (tmp, ring) = populated();
        let data = tmp.path().join("data");
        let conn = raw_connection(&data, &ring);
        // The triggers refuse edits; an attacker with the key drops them first.
        assert!(conn.execute("UPDATE audit_log SET actor = 'x' WHERE seq = 1", []).is_err(), "append-only trigger");
        conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;").expect("drop triggers");
        let value = match column {
            "after_json" => "{\"title\":\"Forged\"}",
            "rows_json" => "{\"rows\":[]}",
            _ => "tampered",
        };
        conn.execute(&format!("UPDATE audit_log SET {column} = ?1 WHERE seq = ?2"), rusqlite::params![value, seq]).expect("tamper");
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
    conn.execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE seq = 3;").expect("delete");
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
        assert_eq!(cli(dir.path(), &["incident", "new", "--title", t, "--severity", "SEV-2", "--timezone", "UTC", "--detected-at", "2026-03-02T10:00"]).code, 0);
    }
    let o = cli(dir.path(), &["audit", "verify"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("intact: 4 rows"), "{}", o.stdout);
    // Tamper through a raw SQLCipher connection keyed with the passphrase-unwrapped key.
    let bd = Breachdesk::open(dir.path(), Some(&passphrase()), &MemoryKeyring::default(), t0()).expect("open");
    bd.connection().execute_batch("DROP TRIGGER audit_no_update; UPDATE audit_log SET actor = 'Mallory' WHERE seq = 3;").expect("tamper");
    drop(bd);
    let o = cli(dir.path(), &["audit", "verify"]);
    assert_eq!(o.code, 1, "a broken chain fails the command");
    assert!(o.stderr.contains("row 3"), "{}", o.stderr);
}
