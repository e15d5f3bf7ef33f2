//! Reading legal timestamps.
//!
//! A timestamp arrives either as an instant (RFC 3339 with an offset or `Z`) or as a local wall-clock
//! time `YYYY-MM-DDTHH:MM[:SS]` read in the incident's IANA zone. Local times are where the law
//! bites: a time inside a spring-forward gap does not exist and is refused (naming the field); a time
//! in the fall-back hour is ambiguous and means its *earlier* instant, which is the conservative
//! reading for a clock that starts at that moment.

use chrono::{DateTime, LocalResult, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

/// Why a timestamp could not be read. Every variant names the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("{field}: unknown time zone {value:?} (use an IANA name such as America/New_York)")]
    UnknownZone { field: String, value: String },
    #[error("{field}: {value:?} is not a timestamp (use 2026-03-02T10:00:00 in the incident's time zone, or RFC 3339 such as 2026-03-02T15:00:00Z)")]
    Malformed { field: String, value: String },
    #[error("{field}: {value} does not exist in {zone} (the clocks skip that hour when daylight saving time starts)")]
    Nonexistent { field: String, value: String, zone: String },
    #[error("{field}: {value:?} is outside the years 1970 to 2199 that Breachdesk accepts for an incident's times")]
    OutOfRange { field: String, value: String },
}

/// The first instant a timestamp may name (1970-01-01T00:00:00Z).
pub const EARLIEST: i64 = 0;
/// The first instant a timestamp may not name (2200-01-01T00:00:00Z).
pub const LATEST_EXCLUSIVE: i64 = 7_258_118_400;

/// Whether `t` lies in the accepted range, 1970-01-01 (inclusive) to 2200-01-01 (exclusive): every
/// deadline computed from it (at most a few years later) then stays far from chrono's limits.
#[must_use]
pub fn in_range(t: DateTime<Utc>) -> bool {
    (EARLIEST..LATEST_EXCLUSIVE).contains(&t.timestamp())
}

/// Parses an IANA zone name.
///
/// # Errors
/// [`TimeError::UnknownZone`] naming `field` when the name is not in the tz database.
pub fn parse_zone(field: &str, name: &str) -> Result<Tz, TimeError> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| TimeError::UnknownZone { field: field.to_owned(), value: name.to_owned() })
}

/// Reads `value` as an instant: RFC 3339 as given, or a local time in `zone`.
///
/// ```
/// use breachdesk_rules::time::parse_timestamp;
/// let ny: chrono_tz::Tz = "America/New_York".parse().unwrap();
/// let t = parse_timestamp("detected_at", "2026-03-02T10:00", ny).unwrap();
/// assert_eq!(t.to_rfc3339(), "2026-03-02T15:00:00+00:00");
/// // 02:30 on the spring-forward night does not exist:
/// assert!(parse_timestamp("detected_at", "2026-03-08T02:30:00", ny).is_err());
/// ```
///
/// # Errors
/// [`TimeError::Malformed`] for text that is neither form, [`TimeError::Nonexistent`] for a local
/// time inside a daylight-saving gap.
pub fn parse_timestamp(field: &str, value: &str, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    let v = value.trim();
    let t = if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        t.with_timezone(&Utc)
    } else {
        let naive = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
            .ok_or_else(|| TimeError::Malformed { field: field.to_owned(), value: clip(value) })?;
        local_to_utc(field, naive, zone)?
    };
    if !in_range(t) {
        return Err(TimeError::OutOfRange { field: field.to_owned(), value: clip(value) });
    }
    Ok(without_leap_second(t))
}

/// A leap second (`23:59:60`, which chrono keeps as a second 59 with more than a second of
/// nanoseconds) is read as the second before it: stored times have whole seconds 0–59, so the
/// value saved and the value read back are the same instant. No notification clock turns on it.
fn without_leap_second(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Timelike;
    t.with_nanosecond(t.nanosecond() % 1_000_000_000).unwrap_or(t)
}

/// A value as an error shows it: at most 60 characters, so a hostile input cannot flood a message.
fn clip(value: &str) -> String {
    let mut out: String = value.chars().take(60).collect();
    if value.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// Reads a stored instant (RFC 3339, as [`to_storage`] wrote it) and checks its range.
///
/// # Errors
/// The text when it is not an instant in 1970–2199.
pub fn parse_stored(value: &str) -> Result<DateTime<Utc>, String> {
    match DateTime::parse_from_rfc3339(value) {
        Ok(t) if in_range(t.with_timezone(&Utc)) => Ok(t.with_timezone(&Utc)),
        Ok(_) => Err(format!("{:?} is outside the years 1970 to 2199", clip(value))),
        Err(_) => Err(format!("{:?} is not a stored instant", clip(value))),
    }
}

/// Resolves a wall-clock time in `zone` to an instant (gap → error, fold → earlier instant).
///
/// # Errors
/// [`TimeError::Nonexistent`] when `naive` falls in a spring-forward gap.
pub fn local_to_utc(
    field: &str,
    naive: NaiveDateTime,
    zone: Tz,
) -> Result<DateTime<Utc>, TimeError> {
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // Fall-back hour: the same wall time happens twice; the earlier one starts the clock first.
        LocalResult::Ambiguous(earlier, _later) => Ok(earlier.with_timezone(&Utc)),
        LocalResult::None => Err(TimeError::Nonexistent {
            field: field.to_owned(),
            value: naive.format("%Y-%m-%dT%H:%M:%S").to_string(),
            zone: zone.name().to_owned(),
        }),
    }
}

/// The instant as stored: UTC, whole seconds, `Z` suffix (sorts as text).
#[must_use]
pub fn to_storage(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The instant shown in `zone` as RFC 3339 with that zone's offset at that moment.
#[must_use]
pub fn to_local_rfc3339(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leap_second_is_read_as_the_second_before_it() {
        let utc: Tz = "UTC".parse().expect("zone");
        for v in ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60", "2016-12-31T23:59:60.5Z"] {
            let t = parse_timestamp("detected_at", v, utc).expect("leap second accepted");
            assert_eq!(to_storage(t), "2016-12-31T23:59:59Z", "{v}");
            assert_eq!(
                to_storage(parse_stored(&to_storage(t)).expect("stored")),
                to_storage(t),
                "{v} round-trips"
            );
            assert!(t.timestamp_subsec_nanos() < 1_000_000_000, "{v}");
        }
    }

    #[test]
    fn timestamps_outside_1970_to_2199_are_refused_naming_the_field() {
        let ny = "America/New_York".parse().expect("zone");
        for v in [
            "+10000-01-01T00:00",
            "-0001-06-01T00:00",
            "1969-12-31T23:59:59Z",
            "2200-01-01T00:00:00Z",
            "+262142-01-01T00:00:00Z",
        ] {
            let e = parse_timestamp("aware_at", v, ny).expect_err(v);
            assert!(
                matches!(e, TimeError::OutOfRange { .. } | TimeError::Malformed { .. }),
                "{v}: {e}"
            );
            assert!(e.to_string().starts_with("aware_at: "), "{e}");
        }
        assert!(parse_timestamp("aware_at", "1970-01-01T00:00:00Z", ny).is_ok());
        assert!(parse_timestamp("aware_at", "2199-12-31T23:59:59Z", ny).is_ok());
        assert!(parse_stored("+10000-01-01T00:00:00Z").is_err());
        assert_eq!(parse_stored("2026-03-02T15:00:00Z").map(|t| t.timestamp()), Ok(1_772_463_600));
        let long = "9".repeat(10_000);
        assert!(
            parse_timestamp("aware_at", &long, ny).expect_err("long").to_string().len() < 300,
            "a huge value is not echoed whole"
        );
    }

    fn ny() -> Tz {
        parse_zone("timezone", "America/New_York").expect("zone")
    }

    #[test]
    fn local_time_is_read_in_the_zone() {
        let t = parse_timestamp("detected_at", "2026-03-02T10:00:00", ny()).expect("valid");
        assert_eq!(to_storage(t), "2026-03-02T15:00:00Z");
        assert_eq!(to_local_rfc3339(t, ny()), "2026-03-02T10:00:00-05:00");
    }

    #[test]
    fn rfc3339_keeps_its_own_offset() {
        let t = parse_timestamp("detected_at", "2026-03-02T10:00:00+01:00", ny()).expect("valid");
        assert_eq!(to_storage(t), "2026-03-02T09:00:00Z");
    }

    #[test]
    fn spring_forward_gap_is_an_error_naming_the_field() {
        let e = parse_timestamp("discovered_at", "2026-03-08T02:30", ny()).expect_err("must fail");
        assert!(matches!(e, TimeError::Nonexistent { .. }));
        assert!(e.to_string().starts_with("discovered_at:"), "{e}");
    }

    #[test]
    fn fall_back_hour_means_the_earlier_instant() {
        // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
        let t = parse_timestamp("aware_at", "2026-11-01T01:30:00", ny()).expect("valid");
        assert_eq!(to_storage(t), "2026-11-01T05:30:00Z");
    }

    #[test]
    fn malformed_and_unknown_zone_name_the_field() {
        let e = parse_timestamp("detected_at", "yesterday", ny()).expect_err("must fail");
        assert!(e.to_string().starts_with("detected_at:"));
        let e = parse_zone("timezone", "Mars/Olympus").expect_err("must fail");
        assert!(e.to_string().contains("Mars/Olympus"));
    }
}
