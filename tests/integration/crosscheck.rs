//! The deadline arithmetic checked against an independent implementation: Python's zoneinfo with
//! its own US federal holiday calendar (tests/oracle/clock_oracle.py), over thousands of random
//! instants and zones; and the engine's hold arithmetic and relative dates, through the public
//! engine on random facts, against the same oracle.

use breachdesk_rules::calendar::HolidayCalendar;
use breachdesk_rules::clock;
use breachdesk_rules::engine::compute;
use breachdesk_rules::facts::{RawFacts, RawHold};
use breachdesk_rules::schema::RuleSet;
use chrono::{DateTime, NaiveTime, Utc};
use std::io::Write as _;

const ZONES: [&str; 14] = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Dublin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
];

fn rng(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Runs the oracle on the cases written to `tmp`; fails on any disagreement.
fn oracle_agrees(tmp: &tempfile::NamedTempFile, n_cases: usize) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/oracle/clock_oracle.py");
    let o = std::process::Command::new("python3")
        .arg(script)
        .arg(tmp.path())
        .output()
        .expect("python3 runs the oracle");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "Python disagrees:\n{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains(&format!("oracle: {n_cases} cases, 0 mismatches")), "{stdout}");
}

#[test]
fn holds_and_relative_dates_agree_with_python_zoneinfo() {
    let rules = RuleSet::embedded().expect("rules");
    let mut next = rng(0x9e37_79b9_7f4a_7c15);
    let tmp = tempfile::NamedTempFile::new().expect("tmp");
    let mut out = std::io::BufWriter::new(tmp.as_file());
    let n_cases = 2000;
    for i in 0..n_cases {
        let secs = 1_420_070_400 + i64::try_from(next() % 599_616_000).expect("fits"); // 2015 .. 2034
        let t = DateTime::<Utc>::from_timestamp(secs, 0).expect("instant");
        let zone_name = ZONES[usize::try_from(next() % ZONES.len() as u64).expect("fits")];
        let base = RawFacts {
            timezone: zone_name.into(),
            discovered_at: t.to_rfc3339(),
            data_types: vec!["name".into(), "ssn".into(), "medical".into()],
            ..RawFacts::default()
        };
        let line = if i % 2 == 0 {
            // A hold from 20 days before the trigger to 80 days after, 1 hour to 60 days long.
            let start = t + chrono::TimeDelta::seconds(
                i64::try_from(next() % (100 * 86_400)).expect("fits") - 20 * 86_400,
            );
            let end = start
                + chrono::TimeDelta::seconds(
                    3600 + i64::try_from(next() % (60 * 86_400)).expect("fits"),
                );
            let oral = next().is_multiple_of(3);
            let facts = RawFacts {
                hipaa_role: Some("covered_entity".into()),
                affected: [("US-NY".to_owned(), 10)].into(),
                law_enforcement_hold: Some(RawHold {
                    start: start.to_rfc3339(),
                    end: end.to_rfc3339(),
                    form: Some(if oral { "oral" } else { "written" }.into()),
                }),
                ..base
            };
            let out = compute(&rules, &facts.check().expect("facts"));
            let due = out
                .obligations
                .iter()
                .find(|c| c.rule_id == "HIPAA-individuals")
                .and_then(|c| c.due_utc)
                .expect("HIPAA due");
            serde_json::json!({ "kind": "hold", "trigger_utc": t.to_rfc3339(), "zone": zone_name, "n": 60, "hold_start_utc": start.to_rfc3339(), "hold_end_utc": end.to_rfc3339(), "oral": oral, "rust": due.to_rfc3339() })
        } else {
            let sent = next().is_multiple_of(2).then(|| {
                t + chrono::TimeDelta::seconds(i64::try_from(next() % (40 * 86_400)).expect("fits"))
            });
            let facts = RawFacts {
                affected: [("US-CA".to_owned(), 600)].into(),
                sent: sent
                    .iter()
                    .map(|s| ("US-CA-individuals".to_owned(), s.to_rfc3339()))
                    .collect(),
                discovered_at: t
                    .max(
                        DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z")
                            .expect("t")
                            .with_timezone(&Utc),
                    )
                    .to_rfc3339(),
                ..base
            };
            let checked = facts.check().expect("facts");
            let out = compute(&rules, &checked);
            let due = out
                .obligations
                .iter()
                .find(|c| c.rule_id == "US-CA-attorney_general")
                .and_then(|c| c.due_utc)
                .expect("CA AG due");
            serde_json::json!({ "kind": "relative", "trigger_utc": checked.discovered_at.to_rfc3339(), "zone": zone_name, "n": 15, "sent_utc": sent.map(|s| s.to_rfc3339()), "rust": due.to_rfc3339() })
        };
        writeln!(out, "{line}").expect("write");
    }
    drop(out);
    oracle_agrees(&tmp, n_cases);
}

#[test]
fn deadlines_agree_with_python_zoneinfo() {
    let mut next = rng(0x2545_f491_4f6c_dd1d);
    let tmp = tempfile::NamedTempFile::new().expect("tmp");
    let mut out = std::io::BufWriter::new(tmp.as_file());
    let cut = NaiveTime::from_hms_opt(17, 30, 0).expect("time");
    let n_cases = 4000;
    for i in 0..n_cases {
        // 2005-01-01 .. 2035-01-01: both tz databases agree on these years for these zones.
        let secs = 1_104_537_600 + i64::try_from(next() % 946_684_800).expect("fits");
        let t = DateTime::<Utc>::from_timestamp(secs, 0).expect("instant");
        let zone_name = ZONES[usize::try_from(next() % ZONES.len() as u64).expect("fits")];
        let zone: chrono_tz::Tz = zone_name.parse().expect("zone");
        let (kind, n, due) = match i % 4 {
            0 => {
                let n = u32::try_from(1 + next() % 120).expect("fits");
                ("calendar_days", n, clock::calendar_days(t, zone, n))
            }
            1 => {
                let n = u32::try_from(1 + next() % 200).expect("fits");
                ("hours", n, clock::hours(t, n))
            }
            2 => {
                let n = u32::try_from(1 + next() % 20).expect("fits");
                (
                    "business_days",
                    n,
                    clock::business_days(t, zone, HolidayCalendar::UsFederal, n, cut),
                )
            }
            _ => {
                let n = u32::try_from(30 + next() % 60).expect("fits");
                ("annual", n, clock::annual(t, zone, n))
            }
        };
        let line = serde_json::json!({ "kind": kind, "trigger_utc": t.to_rfc3339(), "zone": zone_name, "n": n, "rust": due.to_rfc3339() });
        writeln!(out, "{line}").expect("write");
    }
    drop(out);
    oracle_agrees(&tmp, n_cases);
}
