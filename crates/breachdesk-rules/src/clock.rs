//! Deadline arithmetic. Each rule says which kind it means, and the kinds never mix:
//!
//! * **Calendar days** count on the trigger's LOCAL date in the incident's zone: due is 23:59:59
//!   local on (local trigger date + N days). No roll-forward over weekends or holidays: almost no
//!   breach statute provides one, and the earlier date is the safe one.
//! * **Hours** are absolute: trigger instant + N × 3600 s, whatever the wall clock does (DST).
//! * **Business days**: the Nth business day after the trigger's local date in the calendar's zone,
//!   skipping weekends and the calendar's holidays; due at the rule's cut-off in that zone
//!   (SEC Form 8-K: 17:30 America/New_York), else 23:59:59.
//! * **Annual**: N days after 31 December of the trigger's local year, 23:59:59 local (HIPAA's
//!   small-breach log: 1 March, or 29 February in a leap year).
//!
//! `chrono::TimeDelta::days` is 24 hours, not a calendar day: it is never used for day rules.

use crate::calendar::HolidayCalendar;
use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

/// The last second of a local day.
#[must_use]
pub fn end_of_local_day() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()
}

/// The instant of local wall time `t` on `date` in `zone`. A time inside a DST gap resolves to the
/// first instant after the gap; an ambiguous one to its earlier instant (the stricter deadline).
#[must_use]
pub fn local_instant(date: NaiveDate, t: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let mut naive = NaiveDateTime::new(date, t);
    for _ in 0..180 {
        match zone.from_local_datetime(&naive) {
            chrono::LocalResult::Single(x) | chrono::LocalResult::Ambiguous(x, _) => {
                return x.with_timezone(&Utc)
            }
            chrono::LocalResult::None => match naive.checked_add_signed(TimeDelta::minutes(1)) {
                Some(next) => naive = next,
                None => break,
            },
        }
    }
    Utc.from_utc_datetime(&naive)
}

/// `t + d`, or the latest representable instant (never a panic; inputs are bounded to 1970–2199,
/// so only a hostile caller of this pure crate could reach the limit).
#[must_use]
pub fn add(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The local calendar date of an instant in `zone`.
#[must_use]
pub fn local_date(t: DateTime<Utc>, zone: Tz) -> NaiveDate {
    local(t, zone).date()
}

/// The local wall time of an instant in `zone`; at the very ends of chrono's range, where the
/// offset would overflow, the UTC wall time (never a panic).
fn local(t: DateTime<Utc>, zone: Tz) -> NaiveDateTime {
    use chrono::Offset as _;
    let utc = t.naive_utc();
    let offset = zone.offset_from_utc_datetime(&utc).fix().local_minus_utc();
    utc.checked_add_signed(TimeDelta::seconds(i64::from(offset))).unwrap_or(utc)
}

/// Calendar-day clock: 23:59:59 local on (local date of `trigger` + `days`).
#[must_use]
pub fn calendar_days(trigger: DateTime<Utc>, zone: Tz, days: u32) -> DateTime<Utc> {
    let d = local_date(trigger, zone)
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    local_instant(d, end_of_local_day(), zone)
}

/// Hour clock: exactly `hours` × 3600 s after `trigger`.
#[must_use]
pub fn hours(trigger: DateTime<Utc>, hours: u32) -> DateTime<Utc> {
    add(trigger, TimeDelta::seconds(i64::from(hours) * 3600))
}

/// Business-day clock counted in `count_zone` on `calendar`, due at `cutoff` local time there.
#[must_use]
pub fn business_days(
    trigger: DateTime<Utc>,
    count_zone: Tz,
    calendar: HolidayCalendar,
    days: u32,
    cutoff: NaiveTime,
) -> DateTime<Utc> {
    let d = calendar.nth_business_day_after(local_date(trigger, count_zone), days);
    local_instant(d, cutoff, count_zone)
}

/// Annual clock: `days` after 31 December of the trigger's local year, 23:59:59 local.
#[must_use]
pub fn annual(trigger: DateTime<Utc>, zone: Tz, days_after_year_end: u32) -> DateTime<Utc> {
    let year_end =
        NaiveDate::from_ymd_opt(local_date(trigger, zone).year(), 12, 31).unwrap_or_default();
    let d = year_end
        .checked_add_days(Days::new(u64::from(days_after_year_end)))
        .unwrap_or(NaiveDate::MAX);
    local_instant(d, end_of_local_day(), zone)
}

/// Calendar-month clock: 23:59:59 local on the same day `months` later, or on the last day of that
/// month when it is shorter (31 January + 1 month → 28 or 29 February: the earlier date).
#[must_use]
pub fn calendar_months(trigger: DateTime<Utc>, zone: Tz, months: u32) -> DateTime<Utc> {
    let d = local_date(trigger, zone)
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    local_instant(d, end_of_local_day(), zone)
}

/// The first instant of the local year after `t`'s: where an annual clock's period starts (HIPAA
/// 164.408(c): the log of a year is due 60 days after that year ends).
#[must_use]
pub fn year_end(t: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    let next = local_date(t, zone)
        .year()
        .checked_add(1)
        .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        .unwrap_or(NaiveDate::MAX);
    local_instant(next, NaiveTime::MIN, zone)
}

/// Whole calendar days between the local dates of `start` and `end` (a law-enforcement hold's
/// length as a day clock counts it).
#[must_use]
pub fn whole_local_days(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> u32 {
    let n = local_date(end, zone).signed_duration_since(local_date(start, zone)).num_days();
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// Moves a day-clock due date by `days` calendar days, keeping 23:59:59 local.
#[must_use]
pub fn extend_days(due: DateTime<Utc>, zone: Tz, days: u32) -> DateTime<Utc> {
    let d = local_date(due, zone)
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    local_instant(d, local(due, zone).time(), zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every clock is total: the extremes of chrono's range give an answer, never a panic.
    #[test]
    fn extreme_instants_never_panic() {
        let zones: [Tz; 3] = [
            "America/New_York".parse().expect("z"),
            "Pacific/Kiritimati".parse().expect("z"),
            "UTC".parse().expect("z"),
        ];
        for t in [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::MAX_UTC - TimeDelta::seconds(1),
            DateTime::<Utc>::MIN_UTC + TimeDelta::days(1),
        ] {
            for zone in zones {
                let _ = calendar_days(t, zone, u32::MAX);
                let _ = hours(t, u32::MAX);
                let _ = annual(t, zone, u32::MAX);
                let _ = year_end(t, zone);
                let _ = calendar_months(t, zone, u32::MAX);
                let _ = extend_days(t, zone, u32::MAX);
                let _ = whole_local_days(DateTime::<Utc>::MIN_UTC, t, zone);
                let _ = business_days(t, zone, HolidayCalendar::UsFederal, 3, end_of_local_day());
            }
        }
    }

    fn ny() -> Tz {
        "America/New_York".parse().expect("zone")
    }
    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("rfc3339").with_timezone(&Utc)
    }

    #[test]
    fn setup_notes_dst_example() {
        // 72 hours after 2026-03-07 10:00 New York is 2026-03-10 11:00 EDT...
        let t = at("2026-03-07T10:00:00-05:00");
        assert_eq!(hours(t, 72).with_timezone(&ny()).to_rfc3339(), "2026-03-10T11:00:00-04:00");
        // ...while 3 calendar days is the end of 2026-03-10 local.
        assert_eq!(
            calendar_days(t, ny(), 3).with_timezone(&ny()).to_rfc3339(),
            "2026-03-10T23:59:59-04:00"
        );
    }

    #[test]
    fn calendar_days_count_the_local_date_not_utc() {
        // 23:30 local on 2 March is already 3 March in UTC; the local date counts.
        let t = at("2026-03-03T04:30:00Z");
        assert_eq!(
            calendar_days(t, ny(), 60).with_timezone(&ny()).to_rfc3339(),
            "2026-05-01T23:59:59-04:00"
        );
    }

    #[test]
    fn hipaa_annual_log_is_1_march_or_29_february() {
        assert_eq!(
            annual(at("2026-06-01T12:00:00Z"), ny(), 60)
                .with_timezone(&ny())
                .date_naive()
                .to_string(),
            "2027-03-01"
        );
        assert_eq!(
            annual(at("2027-06-01T12:00:00Z"), ny(), 60)
                .with_timezone(&ny())
                .date_naive()
                .to_string(),
            "2028-02-29"
        );
    }

    #[test]
    fn sec_four_business_days_at_1730_new_york() {
        let cutoff = NaiveTime::from_hms_opt(17, 30, 0).expect("time");
        // Determined Wednesday 2026-11-25 21:00 New York; Thanksgiving on the 26th.
        let due =
            business_days(at("2026-11-26T02:00:00Z"), ny(), HolidayCalendar::UsFederal, 4, cutoff);
        assert_eq!(due.with_timezone(&ny()).to_rfc3339(), "2026-12-02T17:30:00-05:00");
    }
}

/// Properties of the arithmetic over many random instants and zones (a deterministic xorshift
/// generator, so a failure reproduces).
#[cfg(test)]
mod properties {
    use super::*;
    use crate::calendar::HolidayCalendar;

    pub(crate) const ZONES: [&str; 16] = [
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
        "America/Puerto_Rico",
        "Pacific/Guam",
        "Europe/London",
        "Europe/Berlin",
        "Europe/Dublin",
        "Australia/Sydney",
        "Asia/Kolkata",
        "America/Sao_Paulo",
        "UTC",
    ];

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn cases(n: usize) -> Vec<(DateTime<Utc>, Tz, u32)> {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        (0..n)
            .map(|_| {
                // 2000-01-01 .. 2040-01-01
                let secs = 946_684_800 + i64::try_from(r.below(1_262_304_000)).unwrap_or(0);
                let zone: Tz = ZONES[usize::try_from(r.below(ZONES.len() as u64)).unwrap_or(0)]
                    .parse()
                    .expect("zone");
                let n = u32::try_from(1 + r.below(400)).unwrap_or(1);
                (DateTime::from_timestamp(secs, 0).expect("instant"), zone, n)
            })
            .collect()
    }

    #[test]
    fn a_calendar_day_due_is_23_59_59_local_on_date_plus_n() {
        for (t, zone, n) in cases(5000) {
            let due = calendar_days(t, zone, n).with_timezone(&zone);
            let want = local_date(t, zone).checked_add_days(Days::new(u64::from(n))).expect("date");
            assert_eq!(due.date_naive(), want, "{t} {zone} +{n}");
            assert_eq!(due.time(), end_of_local_day(), "{t} {zone} +{n}");
        }
    }

    #[test]
    fn an_hour_clock_is_exactly_n_times_3600_seconds() {
        for (t, _zone, n) in cases(5000) {
            assert_eq!((hours(t, n) - t).num_seconds(), i64::from(n) * 3600);
        }
    }

    #[test]
    fn a_business_day_due_lands_on_the_nth_business_day() {
        let cal = HolidayCalendar::UsFederal;
        let cut = NaiveTime::from_hms_opt(17, 30, 0).expect("time");
        for (t, zone, n) in cases(2000) {
            let n = n % 30 + 1;
            let due = business_days(t, zone, cal, n, cut).with_timezone(&zone);
            let start = local_date(t, zone);
            assert!(cal.is_business_day(due.date_naive()), "{t} {zone} +{n}");
            let counted = start
                .iter_days()
                .skip(1)
                .take_while(|d| *d <= due.date_naive())
                .filter(|d| cal.is_business_day(*d))
                .count();
            assert_eq!(counted, n as usize, "{t} {zone} +{n}");
            assert_eq!(due.time(), cut);
        }
    }
}
