//! The CLI's contract: exit codes, `--json` shapes, and bad input that names the field and writes nothing.

use crate::support::*;

fn state(dir: &std::path::Path) -> (usize, u64, usize) {
    let list = cli(dir, &["incident", "list", "--json"]);
    let incidents = serde_json::from_str::<serde_json::Value>(&list.stdout)
        .expect("list json")
        .as_array()
        .map_or(0, Vec::len);
    let audit = cli(dir, &["audit", "verify", "--json"]);
    let rows = serde_json::from_str::<serde_json::Value>(&audit.stdout).expect("audit json")
        ["report"]["rows_checked"]
        .as_u64()
        .expect("rows");
    let first = serde_json::from_str::<serde_json::Value>(&list.stdout).expect("json")[0]["id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    let timeline = if first.is_empty() {
        0
    } else {
        serde_json::from_str::<serde_json::Value>(
            &cli(dir, &["timeline", "list", &first, "--json"]).stdout,
        )
        .expect("json")
        .as_array()
        .map_or(0, Vec::len)
    };
    (incidents, rows, timeline)
}

#[test]
fn incident_new_prints_the_incident_with_its_id() {
    let dir = init_cli();
    let o = cli(
        dir.path(),
        &new_incident_args(
            "Phishing",
            "SEV-1",
            "America/New_York",
            "2026-03-02T10:00:00",
            &[
                "--discovered-at",
                "2026-03-03T09:00:00",
                "--gap-reason",
                "triage confirmed PHI on day 2",
                "--incident-commander",
                "Ana Ortiz",
                "--json",
            ],
        ),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json object");
    assert_eq!(v["human_id"], "INC-20260302-001");
    assert_eq!(v["detected_at"], "2026-03-02T10:00:00-05:00");
    assert_eq!(v["discovered_at"], "2026-03-03T09:00:00-05:00");
    assert_eq!(v["status"], "detected");
    assert_eq!(v["roles"]["incident_commander"], "Ana Ortiz");
    assert_eq!(v["created_by"], "Dana Liaison", "actor defaults to the user name set at init");
    let id = v["id"].as_str().expect("id");
    let o = cli(dir.path(), &["incident", "show", "INC-20260302-001", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&o.stdout).expect("json")["incident"]["id"],
        id
    );
    // update by human id, then the status can only go forward
    let o = cli(
        dir.path(),
        &[
            "incident",
            "update",
            "INC-20260302-001",
            "--status",
            "assessed",
            "--comms-lead",
            "Bo Chen",
            "--json",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    assert_eq!(
        (
            v["status"].as_str(),
            v["roles"]["comms_lead"].as_str(),
            v["roles"]["incident_commander"].as_str()
        ),
        (Some("assessed"), Some("Bo Chen"), Some("Ana Ortiz"))
    );
    let o = cli(dir.path(), &["incident", "update", id, "--status", "contained"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("status"), "{}", o.stderr);
}

#[test]
fn bad_input_exits_1_names_the_field_and_writes_nothing() {
    let dir = init_cli();
    let o = cli_new_incident(dir.path(), "Base", "SEV-2", "UTC", "2026-03-02T10:00");
    assert_eq!(o.code, 0, "{}", o.stderr);
    let before = state(dir.path());
    let new = |extra: &[&str]| {
        let mut a = vec!["incident", "new", "--title", "X", "--severity", "SEV-1"];
        a.extend_from_slice(extra);
        a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (new(&["--timezone", "Mars/Olympus", "--detected-at", "2026-03-02T10:00"]), "timezone"),
        (new(&["--timezone", "UTC", "--detected-at", "2026-13-45T99:00"]), "detected_at"),
        (new(&["--timezone", "UTC", "--detected-at", "yesterday"]), "detected_at"),
        (
            new(&["--timezone", "America/New_York", "--detected-at", "2026-03-08T02:30"]),
            "detected_at",
        ), // spring-forward gap
        (
            new(&[
                "--timezone",
                "UTC",
                "--detected-at",
                "2026-03-02T10:00",
                "--discovered-at",
                "2026-03-01T10:00",
            ]),
            "discovered_at",
        ),
        (
            new(&[
                "--timezone",
                "UTC",
                "--detected-at",
                "2026-03-02T10:00",
                "--discovered-at",
                "2026-03-05T10:00",
            ]),
            "discovery_gap_reason",
        ),
        (
            new(&[
                "--timezone",
                "UTC",
                "--detected-at",
                "2026-03-02T10:00",
                "--occurred-at",
                "not-a-time",
            ]),
            "occurred_at",
        ),
        (
            vec![
                "incident".into(),
                "new".into(),
                "--title".into(),
                " ".into(),
                "--severity".into(),
                "SEV-1".into(),
                "--timezone".into(),
                "UTC".into(),
                "--detected-at".into(),
                "2026-03-02T10:00".into(),
            ],
            "title",
        ),
        (
            new(&["--timezone", "UTC", "--detected-at", "2026-03-02T10:00"])
                .into_iter()
                .map(|s| if s == "SEV-1" { "SEV-9".into() } else { s })
                .collect(),
            "severity",
        ),
        (vec!["incident".into(), "show".into(), "INC-19990101-001".into()], "INC-19990101-001"),
        (
            vec![
                "incident".into(),
                "update".into(),
                "INC-19990101-001".into(),
                "--title".into(),
                "Y".into(),
            ],
            "INC-19990101-001",
        ),
        (
            vec![
                "incident".into(),
                "update".into(),
                "INC-20260302-001".into(),
                "--timezone".into(),
                "Nowhere/Land".into(),
            ],
            "timezone",
        ),
        (
            vec![
                "incident".into(),
                "update".into(),
                "INC-20260302-001".into(),
                "--discovered-at".into(),
                "2026-03-01T00:00".into(),
            ],
            "discovered_at",
        ),
        (
            vec![
                "timeline".into(),
                "add".into(),
                "INC-19990101-001".into(),
                "--kind".into(),
                "note".into(),
                "--at".into(),
                "2026-03-02T10:00".into(),
                "--description".into(),
                "d".into(),
            ],
            "INC-19990101-001",
        ),
        (
            vec![
                "timeline".into(),
                "add".into(),
                "INC-20260302-001".into(),
                "--kind".into(),
                "gossip".into(),
                "--at".into(),
                "2026-03-02T10:00".into(),
                "--description".into(),
                "d".into(),
            ],
            "kind",
        ),
        (
            vec![
                "timeline".into(),
                "add".into(),
                "INC-20260302-001".into(),
                "--kind".into(),
                "note".into(),
                "--at".into(),
                "soon".into(),
                "--description".into(),
                "d".into(),
            ],
            "occurred_at",
        ),
        (
            vec![
                "timeline".into(),
                "add".into(),
                "INC-20260302-001".into(),
                "--kind".into(),
                "note".into(),
                "--at".into(),
                "2026-03-02T10:00".into(),
                "--description".into(),
                "d".into(),
                "--corrects".into(),
                "nope".into(),
            ],
            "corrects",
        ),
        (vec!["timeline".into(), "list".into(), "INC-19990101-001".into()], "INC-19990101-001"),
    ];
    for (args, field) in &cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = cli(dir.path(), &a);
        assert_eq!(o.code, 1, "{a:?} must be a user error; stderr: {}", o.stderr);
        assert!(o.stderr.contains(field), "{a:?}: the message must name {field}: {}", o.stderr);
        assert!(o.stdout.is_empty(), "{a:?}: nothing on stdout: {}", o.stdout);
        assert_eq!(state(dir.path()), before, "{a:?}: nothing written");
    }
}

#[test]
fn writes_need_an_actor() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(cli(dir.path(), &["init"]).code, 0, "init without a name is allowed");
    let o = cli_new_incident(dir.path(), "T", "SEV-1", "UTC", "2026-03-02T10:00");
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("actor"), "{}", o.stderr);
    let o = cli(
        dir.path(),
        &[
            &["--actor", "Lee"][..],
            &new_incident_args("T", "SEV-1", "UTC", "2026-03-02T10:00", &["--json"]),
        ]
        .concat(),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("\"created_by\": \"Lee\""), "{}", o.stdout);
}

#[test]
fn commands_before_init_say_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let o = cli(dir.path(), &["incident", "list"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("breachdesk init"), "{}", o.stderr);
}
