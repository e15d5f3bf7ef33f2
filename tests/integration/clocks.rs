//! `breachdesk clocks --facts FILE`: the exact interface scripts rely on.

use std::process::Command;

fn clocks(facts: &str) -> (i32, String, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("facts.json");
    std::fs::write(&file, facts).expect("write facts");
    let data = dir.path().join("never-created");
    let o = Command::new(env!("CARGO_BIN_EXE_breachdesk"))
        .args(["--data-dir"])
        .arg(&data)
        .args(["clocks", "--facts"])
        .arg(&file)
        .output()
        .expect("run");
    assert!(!data.exists(), "clocks --facts touches no database");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        dir,
    )
}

const EXAMPLE: &str = r#"{"timezone": "America/Chicago",
 "discovered_at": "2026-03-02T10:15:00",
 "aware_at": null, "determined_at": null, "materiality_determined_at": null,
 "hipaa_role": "covered_entity", "gdpr_role": null, "high_risk": false,
 "sec_registrant": false, "nydfs_covered": false,
 "affected": {"US-TX": 700, "US-CA": 400, "DE": 20},
 "data_types": ["name", "address", "medical", "ssn"]}"#;

#[test]
fn the_issue_example_gives_the_hipaa_and_state_obligations() {
    let (code, stdout, stderr, _d) = clocks(EXAMPLE);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let obs = v["obligations"].as_array().expect("obligations array");
    let find = |rule: &str, j: &str| {
        obs.iter()
            .find(|o| o["rule_id"] == rule && o["jurisdiction"] == j)
            .unwrap_or_else(|| panic!("{rule}@{j} missing: {stdout}"))
    };
    let ind = find("HIPAA-individuals", "US");
    for key in
        ["regime", "jurisdiction", "recipient", "kind", "due", "rule_id", "citation", "explanation"]
    {
        assert!(ind.get(key).is_some(), "key {key} present");
    }
    assert_eq!(ind["regime"], "HIPAA");
    assert_eq!(ind["recipient"], "individuals");
    assert_eq!(ind["kind"], "deadline");
    assert_eq!(ind["due"], "2026-05-01T23:59:59-05:00");
    assert_eq!(ind["citation"], "45 CFR 164.404(a)-(b)");
    assert_eq!(find("HIPAA-media", "US-TX")["due"], "2026-05-01T23:59:59-05:00");
    assert!(
        !obs.iter().any(|o| o["rule_id"] == "HIPAA-media" && o["jurisdiction"] == "US-CA"),
        "400 CA residents: no media notice"
    );
    // No GDPR without a GDPR role, even with DE residents.
    assert!(!obs.iter().any(|o| o["regime"] == "GDPR"));
    // Sorted by urgency: no fixed due time comes last.
    let dues: Vec<Option<&str>> = obs.iter().map(|o| o["due"].as_str()).collect();
    let first_null = dues.iter().position(Option::is_none).unwrap_or(dues.len());
    assert!(dues[first_null..].iter().all(Option::is_none), "null dues last: {dues:?}");
}

#[test]
fn invalid_facts_exit_1_name_the_field_and_print_nothing() {
    let with = |k: &str, v: &str| {
        let mut m: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(EXAMPLE).expect("json");
        m.insert(k.into(), serde_json::from_str(v).expect("value"));
        serde_json::Value::Object(m).to_string()
    };
    let cases = [
        (with("timezone", "\"Mars/Olympus\""), "timezone"),
        (with("discovered_at", "\"2026-03-02 ten o'clock\""), "discovered_at"),
        (with("discovered_at", "\"2026-03-08T02:30:00\""), "discovered_at"), // spring-forward gap in Chicago
        (with("affected", r#"{"US-TX": -1}"#), "affected.US-TX"),
        (with("affected", r#"{"US-XX": 1}"#), "affected.US-XX"),
        (with("data_types", r#"["shoe_size"]"#), "data_types[0]"),
        (with("hipaa_role", "\"landlord\""), "hipaa_role"),
        (with("favourite_colour", "\"blue\""), "favourite_colour"),
        ("{not json".to_owned(), "facts"),
        (r#"{"timezone": "UTC"}"#.to_owned(), "discovered_at"),
    ];
    for (facts, field) in cases {
        let (code, stdout, stderr, _d) = clocks(&facts);
        assert_eq!(code, 1, "{facts}: {stderr}");
        assert!(stdout.is_empty(), "{facts}: nothing on stdout, got {stdout}");
        assert!(stderr.contains(field), "{facts}: stderr names {field}: {stderr}");
    }
}
