//! The founder's board through the exact CLI: three incidents in different states give the
//! expected matrix (an overdue investor update, a confirmed HHS filing with its number, a closed
//! incident only with --all), "waiting for me" lists the approval, the pack is one page holding
//! the confirmation numbers, the metrics equal the figures worked out by hand from the timelines,
//! and an internal status update recorded restarts the cadence clock.

use crate::support::{cli, init_cli};
use chrono::{DateTime, TimeDelta, Timelike, Utc};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const ME: &str = "Fran Founder";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/integration/fixtures/notices")
        .join(name)
}

fn run(d: &Path, args: &[&str]) -> String {
    let all = [&["--actor", "Dana Liaison"], args].concat();
    let o = cli(d, &all);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    o.stdout
}

fn json(d: &Path, args: &[&str]) -> Value {
    let out = run(d, &[&["--json"], args].concat());
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

fn at(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn file(d: &Path, name: &str, text: &str) -> String {
    let p = d
        .parent()
        .expect("parent")
        .join(format!("{}-{name}", d.file_name().and_then(|n| n.to_str()).unwrap_or("x")));
    std::fs::write(&p, text).expect("write");
    p.to_str().expect("utf8").to_owned()
}

fn new_incident(
    d: &Path,
    title: &str,
    sev: &str,
    detected: DateTime<Utc>,
    occurred: Option<DateTime<Utc>>,
) -> String {
    let (det, occ) = (at(detected), occurred.map(at));
    let mut args = vec![
        "incident",
        "new",
        "--title",
        title,
        "--severity",
        sev,
        "--timezone",
        "America/New_York",
        "--detected-at",
        &det,
        "--discovered-at",
        &det,
        "--executive-sponsor",
        ME,
        "--incident-commander",
        "Ivan Commander",
    ];
    if let Some(o) = occ.as_deref() {
        args.extend(["--occurred-at", o]);
    }
    json(d, &args)["human_id"].as_str().expect("human id").to_owned()
}

fn entry(d: &Path, inc: &str, kind: &str, t: DateTime<Utc>, corrects: Option<&str>) -> String {
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("timeline")
            .iter()
            .map(|e| e["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let before = ids(&json(d, &["timeline", "list", inc]));
    let t = at(t);
    let mut args =
        vec!["timeline", "add", inc, "--kind", kind, "--at", &t, "--description", "as recorded"];
    if let Some(c) = corrects {
        args.extend(["--corrects", c]);
    }
    ids(&json(d, &args)).into_iter().find(|id| !before.contains(id)).expect("the new entry")
}

fn cell<'a>(row: &'a Value, column: &str) -> &'a Value {
    row["cells"].as_array().expect("cells").iter().find(|c| c["column"] == column).expect("column")
}

fn row<'a>(board: &'a Value, id: &str) -> Option<&'a Value> {
    board["rows"].as_array().expect("rows").iter().find(|r| r["human_id"] == id)
}

#[test]
fn three_incidents_give_the_expected_board_pack_and_figures() {
    let dir = init_cli();
    let d = dir.path();
    run(d, &["config", "user-name", ME]);
    run(d, &["org", "set", "--file", fixture("org.json").to_str().expect("utf8")]);
    let narrative = fixture("narrative.json");
    let h = |n: i64| TimeDelta::minutes(n * 60);
    let now = Utc::now().with_second(0).and_then(|t| t.with_nanosecond(0)).expect("minute");

    // A: a HIPAA breach of 600 people, detected 30 days ago, the HHS notice sent on day 10 and
    // confirmed. Detected 24 h after it began; acknowledged first "at 3 h", corrected to 30 min;
    // contained at 6 h.
    let a_det = now - TimeDelta::days(30);
    let a = new_incident(d, "Phishing at billing", "SEV-1", a_det, Some(a_det - h(24)));
    let wrong = entry(d, &a, "acknowledged", a_det + h(3), None);
    entry(d, &a, "acknowledged", a_det + TimeDelta::minutes(30), Some(&wrong));
    entry(d, &a, "containment", a_det + h(6), None);
    let facts = file(
        d,
        "a.json",
        r#"{"hipaa_role": "covered_entity", "data_types": ["name", "medical"], "affected": {"JP": 600}}"#,
    );
    run(d, &["facts", "set", &a, "--file", &facts]);
    // The letters went out through a mailing vendor on day 9 (entered in the narrative).
    let mut told: Value =
        serde_json::from_str(&std::fs::read_to_string(&narrative).expect("narrative"))
            .expect("json");
    told["individual_notice_dates"] =
        Value::from((a_det + TimeDelta::days(9)).format("%B %-d, %Y").to_string());
    let told = file(d, "narrative-a.json", &told.to_string());
    run(d, &["notices", "narrative", &a, "--file", &told]);
    let hhs =
        json(d, &["notices", "draft", &a, "HIPAA-hhs"])["id"].as_str().expect("id").to_owned();
    run(d, &["notices", "approve", &hhs, "--by", ME]);
    let sent = at(a_det + TimeDelta::days(10));
    run(
        d,
        &[
            "notices",
            "sent",
            &hhs,
            "--at",
            &sent,
            "--channel",
            "portal",
            "--reference",
            "portal-tx-1",
        ],
    );
    run(d, &["notices", "confirm", &hhs, "--number", "HHS-2026-0042", "--at", &sent]);

    // B: ransomware, SEV-0, detected 5 days ago; the investors' 48-hour update is drafted but not
    // approved, so it is overdue and waits for the sponsor. Acknowledged at 15 min, contained at 2 h.
    let b_det = now - TimeDelta::days(5);
    let b = new_incident(d, "Ransomware on the file servers", "SEV-0", b_det, None);
    entry(d, &b, "acknowledged", b_det + TimeDelta::minutes(15), None);
    entry(d, &b, "containment", b_det + h(2), None);
    run(d, &["notices", "narrative", &b, "--file", narrative.to_str().expect("utf8")]);
    run(
        d,
        &[
            "obligations",
            "add",
            &b,
            "--label",
            "Series B investors",
            "--recipient",
            "investors",
            "--trigger",
            "detected_at",
            "--clock",
            "hours",
            "--amount",
            "48",
        ],
    );
    let investors = json(d, &["obligations", "list", &b])
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["recipient"] == "investors")
        .map(|o| o["rule_id"].as_str().expect("rule").to_owned())
        .expect("investor clock");
    let update =
        json(d, &["notices", "draft", &b, &investors])["id"].as_str().expect("id").to_owned();

    // C: closed 37 days ago, SEV-2: began 48 h before detection, acknowledged at 2 h, contained at
    // 24 h, closed at 72 h; the board was told on day 3 against a 7-day clock.
    let c_det = now - TimeDelta::days(40);
    let c = new_incident(d, "Lost laptop", "SEV-2", c_det, Some(c_det - h(48)));
    entry(d, &c, "acknowledged", c_det + h(2), None);
    entry(d, &c, "containment", c_det + h(24), None);
    entry(d, &c, "closed", c_det + h(72), None);
    run(
        d,
        &[
            "obligations",
            "add",
            &c,
            "--label",
            "Board of directors",
            "--recipient",
            "board",
            "--trigger",
            "detected_at",
            "--clock",
            "calendar_days",
            "--amount",
            "7",
        ],
    );
    let board_rule = json(d, &["obligations", "list", &c])
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["recipient"] == "board")
        .map(|o| o["rule_id"].as_str().expect("rule").to_owned())
        .expect("board clock");
    run(
        d,
        &[
            "obligations",
            "file",
            &c,
            &board_rule,
            "--sent-at",
            &at(c_det + h(72)),
            "--channel",
            "email",
            "--reference",
            "BRD-7",
        ],
    );
    for s in ["contained", "assessed", "notifying", "closed"] {
        run(d, &["incident", "update", &c, "--status", s]);
    }

    // The matrix.
    let board = json(d, &["board"]);
    assert_eq!(board["me"], ME);
    let ids: Vec<&str> = board["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["human_id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [b.as_str(), a.as_str()],
        "open incidents, the overdue one first; the closed one left out"
    );
    let ra = row(&board, &a).expect("A");
    assert_eq!(ra["affected"], 600);
    let reg = cell(ra, "regulators");
    assert_eq!(reg["state"], "confirmed");
    let hhs_item = &reg["items"][0];
    assert_eq!(
        (&hhs_item["name"], &hhs_item["confirmation"], &hhs_item["notice_id"]),
        (&Value::from("HIPAA-hhs"), &Value::from("HHS-2026-0042"), &Value::from(hhs.as_str()))
    );
    assert_eq!(
        cell(ra, "individuals")["state"],
        "to_do",
        "HIPAA-individuals: due in 30 days, nothing drafted"
    );
    for empty in ["media", "partners", "investors", "board"] {
        assert_eq!(cell(ra, empty)["state"], Value::Null, "A owes {empty} nothing");
    }
    let rb = row(&board, &b).expect("B");
    let inv = cell(rb, "investors");
    assert_eq!(
        (&inv["state"], &inv["items"][0]["notice_id"]),
        (&Value::from("overdue"), &Value::from(update.as_str()))
    );
    assert_eq!(rb["overdue"].as_array().expect("overdue").len(), 1);
    // Waiting for me: the investor update's approval (nothing else is mine to do).
    let waiting = board["waiting"].as_array().expect("waiting");
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(
        (&waiting[0]["kind"], &waiting[0]["notice_id"]),
        (&Value::from("approval"), &Value::from(update.as_str()))
    );
    // --all adds the incident closed in the last 12 months, its board notice sent with its reference.
    let all = json(d, &["board", "--all"]);
    let rc = row(&all, &c).expect("C with --all");
    let bc = cell(rc, "board");
    assert_eq!(
        (&bc["state"], &bc["items"][0]["confirmation"]),
        (&Value::from("sent"), &Value::from("BRD-7"))
    );
    // The text form names every cell state.
    let text = run(d, &["board"]);
    assert!(
        text.contains("overdue")
            && text.contains("HHS-2026-0042")
            && text.contains("Waiting for Fran Founder"),
        "{text}"
    );

    // The pack: one page, valid, holding each incident and its confirmation number.
    let pdf = d
        .parent()
        .expect("parent")
        .join(format!("{}-pack.pdf", d.file_name().and_then(|n| n.to_str()).unwrap_or("x")));
    let p = pdf.to_str().expect("utf8");
    let made = json(d, &["board", "pack", "-o", p]);
    // `BD_KEEP=DIR` keeps the pack and the board's text to look at.
    if let Some(keep) = std::env::var_os("BD_KEEP").map(PathBuf::from) {
        std::fs::copy(&pdf, keep.join("board-pack.pdf")).expect("keep the pack");
        std::fs::write(keep.join("board.txt"), run(d, &["board", "--all"]) + &run(d, &["metrics"]))
            .expect("keep the board");
    }
    assert_eq!(made["pages"], 1);
    let qpdf =
        Command::new("qpdf").args(["--check", p]).output().expect("qpdf (make test installs it)");
    assert!(qpdf.status.success(), "{}", String::from_utf8_lossy(&qpdf.stdout));
    let t = Command::new("pdftotext").args(["-layout", p, "-"]).output().expect("pdftotext");
    let t = String::from_utf8_lossy(&t.stdout);
    for want in [
        a.as_str(),
        b.as_str(),
        "HHS-2026-0042",
        "Series B investors: overdue",
        "signed off by Fran Founder",
        "600 people affected",
    ] {
        assert!(t.contains(want), "the pack lacks {want:?}:\n{t}");
    }
    assert!(!t.contains(c.as_str()), "a closed incident is not in the pack");

    // The figures, worked out by hand from the timelines above.
    let m = json(d, &["metrics"]);
    assert_eq!(m["incidents"], 3);
    let sev = |s: &str| {
        m["by_severity"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["group"] == s)
            .cloned()
            .expect("group")
    };
    let median = |g: &Value, k: &str| g[k]["median"].as_f64();
    let (s0, s1, s2) = (sev("SEV-0"), sev("SEV-1"), sev("SEV-2"));
    assert_eq!(
        [
            median(&s0, "detect"),
            median(&s0, "acknowledge"),
            median(&s0, "contain"),
            median(&s0, "close")
        ],
        [None, Some(0.25), Some(2.0), None]
    );
    assert_eq!(
        [
            median(&s1, "detect"),
            median(&s1, "acknowledge"),
            median(&s1, "contain"),
            median(&s1, "close")
        ],
        [Some(24.0), Some(0.5), Some(6.0), None],
        "the corrected acknowledgement counts, not the wrong one"
    );
    assert_eq!(
        [
            median(&s2, "detect"),
            median(&s2, "acknowledge"),
            median(&s2, "contain"),
            median(&s2, "close")
        ],
        [Some(48.0), Some(2.0), Some(24.0), Some(72.0)]
    );
    let months: u64 = m["by_month"]
        .as_array()
        .expect("months")
        .iter()
        .map(|g| g["incidents"].as_u64().expect("n"))
        .sum();
    assert_eq!(months, 3);
    let on = |col: &str| {
        m["on_time"]
            .as_array()
            .expect("on time")
            .iter()
            .find(|r| r["column"] == col)
            .cloned()
            .expect("row")
    };
    assert_eq!(
        (on("regulators")["on_time"].as_u64(), on("regulators")["late"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(on("investors")["overdue"], 1);
    assert_eq!(on("board")["on_time"], 1);
    assert_eq!(on("individuals")["overdue"], 0, "HIPAA-individuals is not due yet");
    let days: Vec<(String, f64)> = m["to_notice"]
        .as_array()
        .expect("to notice")
        .iter()
        .map(|n| (n["name"].as_str().expect("name").to_owned(), n["days"].as_f64().expect("days")))
        .collect();
    assert_eq!(days, [("Board of directors".to_owned(), 3.0), ("HIPAA-hhs".to_owned(), 10.0)]);
    // --since leaves out what was detected before it.
    let since = (now - TimeDelta::days(10)).format("%Y-%m-%d").to_string();
    assert_eq!(json(d, &["metrics", "--since", &since])["incidents"], 1);
    let bad = cli(d, &["metrics", "--since", "last week"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("since"), "{}", bad.stderr);

    // Internal updates: drafted from the record; recording one restarts the status-update clock.
    let clock = |d: &Path| {
        json(d, &["obligations", "internal", &b])
            .as_array()
            .expect("clocks")
            .iter()
            .find(|c| c["id"] == "status_update")
            .map(|c| c["due"].as_str().expect("due").to_owned())
            .expect("cadence")
    };
    let before = clock(d);
    let drafted = json(d, &["comms", &b, "--kind", "status", "--record"]);
    let text = drafted["update"]["text"].as_str().expect("text");
    assert!(
        text.starts_with(&format!(
            "[SEV-0] STATUS UPDATE #1: Ransomware on the file servers ({b})"
        )),
        "{text}"
    );
    assert!(
        text.contains("Incident commander: Ivan Commander")
            && text.contains("Next update:")
            && text.contains("Series B investors"),
        "{text}"
    );
    let after = clock(d);
    assert!(after > before, "the clock restarted: {before} → {after}");
    assert!(run(d, &["comms", &b, "--kind", "status"]).contains("STATUS UPDATE #2"));
    let early = cli(d, &["--actor", "Dana Liaison", "comms", &b, "--kind", "resolution"]);
    assert_eq!(early.code, 1);
    assert!(early.stderr.contains("kind") && early.stderr.contains("closed"), "{}", early.stderr);
    let resolved = run(d, &["comms", &c, "--kind", "resolution"]);
    assert!(
        resolved.contains("RESOLVED: Lost laptop")
            && resolved.contains("Duration: 3 d 0 h 0 min")
            && resolved.contains("Post-mortem: due"),
        "{resolved}"
    );
}
