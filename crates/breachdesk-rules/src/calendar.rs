//! Holiday calendars, computed for any year (never typed in by hand).
//!
//! US federal holidays per 5 U.S.C. 6103(a) with the observance rule of 6103(b) and Executive
//! Order 11582: a holiday on a Saturday is observed on the Friday before, on a Sunday the Monday
//! after. Juneteenth is a holiday from 2021 (Pub. L. 117-17). Inauguration Day (a holiday only in
//! the Washington, D.C. area) is not included.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A named calendar of non-business days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayCalendar {
    UsFederal,
}

impl HolidayCalendar {
    /// # Errors
    /// The unknown name, for the loader to report.
    pub fn parse(name: &str) -> Result<Self, String> {
        match name {
            "US-federal" => Ok(HolidayCalendar::UsFederal),
            other => Err(format!("unknown holiday calendar {other:?} (known: US-federal)")),
        }
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            HolidayCalendar::UsFederal => "US-federal",
        }
    }

    /// True when `d` is neither a weekend day nor an (observed) holiday.
    #[must_use]
    pub fn is_business_day(self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(d)
    }

    /// True when `d` is an observed holiday.
    #[must_use]
    pub fn is_holiday(self, d: NaiveDate) -> bool {
        match self {
            // A 1 January that falls on Saturday is observed on 31 December of the year before.
            HolidayCalendar::UsFederal => {
                us_federal_observed(d.year()).contains(&d)
                    || us_federal_observed(d.year() + 1).contains(&d)
            }
        }
    }

    /// The `n`th business day after `start` (`start` itself is day 0 and never counted).
    #[must_use]
    ///
    /// `n = 0` means "the same business day": `start` itself when it is a business day, else the
    /// next one.
    pub fn nth_business_day_after(self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        if n == 0 {
            while !self.is_business_day(d) {
                let Some(next) = d.succ_opt() else { return d };
                d = next;
            }
            return d;
        }
        let mut left = n;
        while left > 0 {
            // The end of the calendar ends the count (never reached from the accepted 1970-2199).
            let Some(next) = d.succ_opt() else { return d };
            d = next;
            if self.is_business_day(d) {
                left -= 1;
            }
        }
        d
    }
}

fn nth_weekday(year: i32, month: u32, wd: Weekday, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, wd, n).unwrap_or_default()
}

fn last_weekday(year: i32, month: u32, wd: Weekday) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, wd, 5)
        .unwrap_or_else(|| nth_weekday(year, month, wd, 4))
}

fn observed(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d.pred_opt().unwrap_or(d),
        Weekday::Sun => d.checked_add_days(Days::new(1)).unwrap_or(d),
        _ => d,
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The observed dates of `year`'s federal holidays (one may fall on 31 December of `year - 1`).
#[must_use]
pub fn us_federal_observed(year: i32) -> Vec<NaiveDate> {
    let mut v = vec![
        observed(ymd(year, 1, 1)),
        nth_weekday(year, 1, Weekday::Mon, 3), // Birthday of Martin Luther King, Jr.
        nth_weekday(year, 2, Weekday::Mon, 3), // Washington's Birthday
        last_weekday(year, 5, Weekday::Mon),   // Memorial Day
        observed(ymd(year, 7, 4)),             // Independence Day
        nth_weekday(year, 9, Weekday::Mon, 1), // Labor Day
        nth_weekday(year, 10, Weekday::Mon, 2), // Columbus Day
        observed(ymd(year, 11, 11)),           // Veterans Day
        nth_weekday(year, 11, Weekday::Thu, 4), // Thanksgiving Day
        observed(ymd(year, 12, 25)),           // Christmas Day
    ];
    if year >= 2021 {
        v.push(observed(ymd(year, 6, 19))); // Juneteenth National Independence Day
    }
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_observed_dates() {
        let c = HolidayCalendar::UsFederal;
        // 2021-12-31 (Fri) is the observed New Year's Day 2022 (a Saturday).
        assert!(c.is_holiday(ymd(2021, 12, 31)));
        // 2026: July 4 is a Saturday → observed Friday July 3.
        assert!(c.is_holiday(ymd(2026, 7, 3)) && !c.is_holiday(ymd(2026, 7, 4)));
        // 2027: Juneteenth on Saturday → Friday June 18; Christmas on Saturday → Friday Dec 24.
        assert!(c.is_holiday(ymd(2027, 6, 18)) && c.is_holiday(ymd(2027, 12, 24)));
        // 2026 Thanksgiving is Nov 26; Memorial Day May 25; MLK Jan 19.
        assert!(
            c.is_holiday(ymd(2026, 11, 26))
                && c.is_holiday(ymd(2026, 5, 25))
                && c.is_holiday(ymd(2026, 1, 19))
        );
        // No Juneteenth before 2021.
        assert!(!c.is_holiday(ymd(2020, 6, 19)));
        assert_eq!(us_federal_observed(2026).len(), 11);
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        let c = HolidayCalendar::UsFederal;
        // Wed 2026-11-25 + 4 business days: Thu 26 is Thanksgiving → Fri 27, Mon 30, Tue Dec 1, Wed Dec 2.
        assert_eq!(c.nth_business_day_after(ymd(2026, 11, 25), 4), ymd(2026, 12, 2));
        // Same business day: a Saturday rolls to Monday; a Wednesday stays.
        assert_eq!(c.nth_business_day_after(ymd(2026, 3, 7), 0), ymd(2026, 3, 9));
        assert_eq!(c.nth_business_day_after(ymd(2026, 3, 4), 0), ymd(2026, 3, 4));
        // Friday + 1 → Monday.
        assert_eq!(c.nth_business_day_after(ymd(2026, 3, 6), 1), ymd(2026, 3, 9));
        // A Saturday start counts from the Monday.
        assert_eq!(c.nth_business_day_after(ymd(2026, 3, 7), 4), ymd(2026, 3, 12));
    }
}
