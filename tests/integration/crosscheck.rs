//! The deadline arithmetic checked against an independent implementation: Python's zoneinfo with
//! its own US federal holiday calendar (tests/oracle/clock_oracle.py), over thousands of random
//! instants and zones.

use breachdesk_rules::calendar::HolidayCalendar;
use breachdesk_rules::clock;
use chrono::{DateTime, NaiveTime, Utc};
use std::io::Write as _;

const ZONES: [&str; 14] = [
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
    "Pacific/Honolulu", "America/Puerto_Rico", "Europe/London", "Europe/Berlin", "Europe/Dublin", "Australia/Sydney",
    "Asia/Kolkata", "UTC",
];

#[test]
fn deadlines_agree_with_python_zoneinfo() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
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
                ("business_days", n, clock::business_days(t, zone, HolidayCalendar::UsFederal, n, cut))
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
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/oracle/clock_oracle.py");
    let o = std::process::Command::new("python3").arg(script).arg(tmp.path()).output().expect("python3 runs the oracle");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "Python disagrees:\n{stdout}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains(&format!("oracle: {n_cases} cases, 0 mismatches")), "{stdout}");
}
