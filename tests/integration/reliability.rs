//! Reliability (issue 13): no timestamp can brick an incident, a crash inside a user action leaves
//! all of it or none, and two processes at once never lose a change or a number.

use crate::support::*;
use breachdesk_core::incident::IncidentPatch;
use breachdesk_core::individuals::generate;
use breachdesk_core::{Error, MemoryKeyring};
use std::path::Path;

fn new_cli_incident(dir: &Path) -> String {
    let o = cli(dir, &["incident", "new", "--title", "Portal", "--severity", "SEV-1", "--timezone", "America/Chicago", "--detected-at", "2026-03-02T10:15", "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    v["human_id"].as_str().expect("id").to_owned()
}

#[test]
fn a_timestamp_outside_1970_to_2199_is_refused_at_the_input_naming_the_field() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    for (args, field) in [
        (vec!["incident", "update", inc.as_str(), "--aware-at", "+10000-01-01T00:00"], "aware_at"),
        (vec!["incident", "update", inc.as_str(), "--occurred-at=-0001-06-01T00:00"], "occurred_at"),
        (vec!["timeline", "add", inc.as_str(), "--kind", "note", "--at", "+10000-01-01T00:00", "--description", "x"], "occurred_at"),
        (vec!["incident", "update", inc.as_str(), "--determined-at", "2200-01-01T00:00:00Z"], "determined_at"),
    ] {
        let o = cli(dir.path(), &args);
        assert_eq!(o.code, 1, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(field), "the error names {field}: {}", o.stderr);
    }
    // Nothing was stored: every read still works.
    for args in [vec!["incident", "list"], vec!["incident", "show", inc.as_str()], vec!["timeline", "list", inc.as_str()], vec!["obligations", "list", inc.as_str()]] {
        assert_eq!(cli(dir.path(), &args).code, 0, "{args:?}");
    }
    // The rules engine on a facts file in year 262142: an error naming the field, never a panic.
    let facts = dir.path().join("facts.json");
    std::fs::write(&facts, r#"{"timezone": "UTC", "discovered_at": "+262142-01-01T00:00:00Z"}"#).expect("write");
    let o = cli(dir.path(), &["clocks", "--facts", facts.to_str().expect("utf8")]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("discovered_at"), "{}", o.stderr);
}

#[test]
fn a_damaged_stored_value_names_its_row_and_is_repaired_by_setting_it_again() {
    let ring = MemoryKeyring::default();
    let (tmp, mut bd) = init_memory(&ring);
    let good = bd.create_incident(&ctx(), &new_incident("Intact")).expect("create");
    let bad = bd.create_incident(&ctx(), &new_incident("Damaged by an old build")).expect("create");
    let data = tmp.path().join("data");
    drop(bd);
    // As an older build could store it (before input was bounded).
    raw_connection(&data, &ring)
        .execute("UPDATE incidents SET aware_at = '+10000-01-01T00:00:00Z' WHERE id = ?1", [&bad.id])
        .expect("damage");
    let mut bd = breachdesk_core::Breachdesk::open(&data, None, &ring, t0()).expect("open");
    let list = bd.incident_list().expect("the list still works");
    assert_eq!(list.incidents.iter().map(|i| i.human_id.as_str()).collect::<Vec<_>>(), [good.human_id.as_str()], "the intact incident is listed");
    let u = list.unreadable.first().expect("the damaged one is named");
    assert_eq!((u.human_id.as_str(), u.field.as_str()), (bad.human_id.as_str(), "aware_at"));
    assert!(u.repair.contains("--aware-at"), "{}", u.repair);
    match bd.get_incident(&bad.human_id) {
        Err(Error::Unreadable { id, field, .. }) => assert_eq!((id.as_str(), field.as_str()), (bad.human_id.as_str(), "aware_at")),
        other => panic!("expected an error naming the row: {other:?}"),
    }
    // Setting the field again repairs it; the other columns were never lost.
    let patch = IncidentPatch { aware_at: Some("2026-03-03T09:00".into()), ..IncidentPatch::default() };
    let fixed = bd.update_incident(&ctx(), &bad.human_id, &patch).expect("repair");
    assert_eq!(fixed.title, "Damaged by an old build");
    assert_eq!(bd.incident_list().expect("list").incidents.len(), 2);
    assert!(bd.verify_audit().expect("audit").broken.is_none());
}

fn counts_json(dir: &Path, inc: &str) -> serde_json::Value {
    let o = cli(dir, &["individuals", "counts", inc, "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    serde_json::from_str(&o.stdout).expect("json")
}

fn in_scope(dir: &Path, inc: &str) -> Vec<String> {
    let o = cli(dir, &["obligations", "list", inc, "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    let mut ids: Vec<String> = v.as_array().expect("list").iter().filter(|o| o["in_scope"] == true).map(|o| format!("{}@{}", o["rule_id"].as_str().unwrap_or(""), o["jurisdiction"].as_str().unwrap_or(""))).collect();
    ids.sort();
    ids
}

fn facts_affected(dir: &Path, inc: &str) -> serde_json::Value {
    let o = cli(dir, &["facts", "show", inc, "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    serde_json::from_str::<serde_json::Value>(&o.stdout).expect("json")["affected"].clone()
}

#[test]
fn a_crash_inside_a_user_action_leaves_all_of_it_or_none() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    let file = dir.path().join("people.csv");
    let mut out = Vec::new();
    generate::write_csv(generate::Spec { rows: 400, bad_rate: 0.0, seed: 5 }, &mut out).expect("generate");
    std::fs::write(&file, out).expect("file");
    let file = file.to_str().expect("utf8");

    // Killed after the rows are written and before the facts and obligations: nothing at all.
    let o = cli_env(dir.path(), &["individuals", "import", &inc, file], &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "import.rows_written")]);
    assert_ne!(o.code, 0, "the fail point killed the import");
    assert_eq!(counts_json(dir.path(), &inc)["total"], 0, "no row survived the crash");
    assert_eq!(facts_affected(dir.path(), &inc), serde_json::json!({}), "the facts did not move either");
    assert!(in_scope(dir.path(), &inc).is_empty());
    // The same import without the crash: rows, counts, facts and obligations together.
    assert_eq!(cli(dir.path(), &["individuals", "import", &inc, file]).code, 0);
    let total = counts_json(dir.path(), &inc)["total"].as_i64().expect("total");
    assert_eq!(total, 400);
    let affected = facts_affected(dir.path(), &inc);
    assert_eq!(affected.as_object().map(|m| m.values().filter_map(serde_json::Value::as_i64).sum::<i64>()), Some(total - counts_json(dir.path(), &inc)["undetermined"].as_i64().unwrap_or(0)));
    let scope = in_scope(dir.path(), &inc);
    assert!(!scope.is_empty());

    // facts set, killed after the facts row and before the obligations: neither changed.
    let facts = dir.path().join("facts.json");
    std::fs::write(&facts, r#"{"hipaa_role": "covered_entity", "affected": {"US-TX": 900}, "data_types": ["name", "medical"]}"#).expect("write");
    let o = cli_env(dir.path(), &["facts", "set", &inc, "--file", facts.to_str().expect("utf8")], &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "refresh.facts_written")]);
    assert_ne!(o.code, 0);
    assert_eq!(facts_affected(dir.path(), &inc), affected, "the facts are as before");
    assert_eq!(in_scope(dir.path(), &inc), scope, "and so are the obligations");

    // incident update --detected-at, killed after the incident row: the row is as before.
    let o = cli_env(dir.path(), &["incident", "update", &inc, "--detected-at", "2026-03-01T10:15"], &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "update.patched")]);
    assert_ne!(o.code, 0);
    let show = cli(dir.path(), &["incident", "show", &inc, "--json"]);
    assert!(show.stdout.contains("2026-03-02T10:15:00-06:00"), "detection unchanged: {}", show.stdout);
    assert_eq!(cli(dir.path(), &["audit", "verify"]).code, 0);
}

#[test]
fn two_processes_at_once_lose_no_change_and_share_no_number() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    let d = dir.path().to_owned();
    let run = |args: Vec<String>| {
        let d = d.clone();
        std::thread::spawn(move || cli(&d, &args.iter().map(String::as_str).collect::<Vec<_>>()))
    };
    for round in 0..4 {
        let a = run(vec!["incident".into(), "update".into(), inc.clone(), "--title".into(), format!("Title {round}")]);
        let b = run(vec!["incident".into(), "update".into(), inc.clone(), "--summary".into(), format!("Summary {round}")]);
        let (a, b) = (a.join().expect("a"), b.join().expect("b"));
        assert_eq!((a.code, b.code), (0, 0), "{} {}", a.stderr, b.stderr);
        let show = cli(dir.path(), &["incident", "show", &inc, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&show.stdout).expect("json");
        assert_eq!((v["incident"]["title"].as_str(), v["incident"]["summary"].as_str()), (Some(format!("Title {round}").as_str()), Some(format!("Summary {round}").as_str())), "neither update was lost");
    }
    let new = |t: &str| run(["incident", "new", "--title", t, "--severity", "SEV-2", "--timezone", "UTC", "--detected-at", "2026-05-05T10:00", "--json"].map(String::from).to_vec());
    let (a, b) = (new("A"), new("B"));
    let (a, b) = (a.join().expect("a"), b.join().expect("b"));
    assert_eq!((a.code, b.code), (0, 0), "{} {}", a.stderr, b.stderr);
    let id = |o: &Out| serde_json::from_str::<serde_json::Value>(&o.stdout).expect("json")["human_id"].as_str().expect("id").to_owned();
    assert_ne!(id(&a), id(&b), "two incidents, two numbers");

    let files: Vec<String> = (0..2)
        .map(|i| {
            let p = dir.path().join(format!("list{i}.csv"));
            let mut out = Vec::new();
            generate::write_csv(generate::Spec { rows: 300, bad_rate: 0.0, seed: 11 + i }, &mut out).expect("generate");
            std::fs::write(&p, out).expect("file");
            p.to_str().expect("utf8").to_owned()
        })
        .collect();
    let imports: Vec<_> = files.iter().map(|f| run(vec!["individuals".into(), "import".into(), inc.clone(), f.clone()])).collect();
    for h in imports {
        let o = h.join().expect("import");
        assert_eq!(o.code, 0, "both imports succeed, one after the other: {}", o.stderr);
    }
    let batches = cli(dir.path(), &["individuals", "batches", &inc, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&batches.stdout).expect("json");
    let mut seqs: Vec<i64> = v.as_array().expect("list").iter().filter_map(|b| b["seq"].as_i64()).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, [1, 2]);
}
