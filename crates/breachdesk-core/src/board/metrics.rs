//! The team's figures across incidents: notices on time or late by kind of recipient, days from
//! discovery to each notice, and the playbooks' response times (to detect, acknowledge, contain,
//! close) by severity and by month of detection — all from what the record holds.

use super::{instant, Column};
use crate::incident::{Incident, Severity};
use crate::obligations::{Obligation, ObligationStatus};
use crate::timeline::{TimelineEntry, TimelineKind};
use crate::{Breachdesk, Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

/// Count, mean and median of a set of durations (hours or days, as the field says).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Stat {
    pub count: u32,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub max: Option<f64>,
}

impl Stat {
    fn of(mut v: Vec<f64>) -> Stat {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = match n {
            0 => None,
            n if !n.is_multiple_of(2) => Some(v[n / 2]),
            n => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
        };
        #[allow(clippy::cast_precision_loss)] // counts of incidents
        let mean = (n > 0).then(|| v.iter().sum::<f64>() / n as f64);
        Stat { count: u32::try_from(n).unwrap_or(u32::MAX), mean, median, max: v.last().copied() }
    }
}

/// Notices with a deadline, by kind of recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct OnTime {
    pub column: Column,
    /// Sent by the deadline.
    pub on_time: u32,
    /// Sent after the deadline.
    pub late: u32,
    /// Not sent, deadline passed.
    pub overdue: u32,
}

/// One notice sent: how many days after discovery.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ToNotice {
    pub human_id: String,
    pub name: String,
    pub column: Column,
    /// Days from discovery (or detection, when discovery is not recorded) to the first sending.
    pub days: f64,
    /// Against its deadline: null when it had none.
    pub on_time: Option<bool>,
}

/// The response times of a group of incidents, in hours.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ResponseGroup {
    /// `SEV-1` or `2026-11`.
    pub group: String,
    pub incidents: u32,
    /// From occurrence (when known) to detection.
    pub detect: Stat,
    /// From detection to the first `acknowledged` entry.
    pub acknowledge: Stat,
    /// From detection to the first `containment` entry.
    pub contain: Stat,
    /// From detection to the first `closed` entry.
    pub close: Stat,
}

/// The figures across incidents.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Metrics {
    /// RFC 3339, UTC.
    pub as_of: String,
    /// Incidents detected on or after this date (`YYYY-MM-DD`, each in its own zone), if given.
    pub since: Option<String>,
    pub incidents: u32,
    /// One row per kind of recipient, in column order.
    pub on_time: Vec<OnTime>,
    /// Every notice sent, by incident and detection order.
    pub to_notice: Vec<ToNotice>,
    /// Days to notice by kind of recipient (rows with none sent are left out).
    #[ts(type = "Array<[Column, Stat]>")]
    pub to_notice_by_column: Vec<(Column, Stat)>,
    pub by_severity: Vec<ResponseGroup>,
    /// By month of detection, oldest first.
    pub by_month: Vec<ResponseGroup>,
}

/// What the figures read of one incident.
pub(crate) struct Record<'a> {
    pub incident: &'a Incident,
    pub timeline: &'a [TimelineEntry],
    pub obligations: &'a [Obligation],
}

fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    #[allow(clippy::cast_precision_loss)] // seconds of an incident's life
    let s = (to - from).num_seconds() as f64;
    s / 3600.0
}

/// The first entry of `kind` that no later entry corrects.
fn first(timeline: &[TimelineEntry], kind: TimelineKind) -> Option<DateTime<Utc>> {
    timeline
        .iter()
        .filter(|e| e.kind == kind && e.corrected_by.is_none())
        .filter_map(|e| instant(&e.occurred_at))
        .min()
}

/// The response times of one incident, hours: detect, acknowledge, contain, close.
fn times(r: &Record<'_>) -> [Option<f64>; 4] {
    let inc = r.incident;
    let Some(detected) = instant(&inc.detected_at) else { return [None; 4] };
    let since_detection = |k| first(r.timeline, k).map(|t| hours(detected, t));
    [
        inc.occurred_at.as_deref().and_then(instant).map(|o| hours(o, detected)),
        since_detection(TimelineKind::Acknowledged),
        since_detection(TimelineKind::Containment),
        since_detection(TimelineKind::Closed),
    ]
}

fn group(name: String, members: &[[Option<f64>; 4]]) -> ResponseGroup {
    let col = |i: usize| Stat::of(members.iter().filter_map(|m| m[i]).collect());
    ResponseGroup {
        group: name,
        incidents: u32::try_from(members.len()).unwrap_or(u32::MAX),
        detect: col(0),
        acknowledge: col(1),
        contain: col(2),
        close: col(3),
    }
}

/// The figures of these incidents at `now` (pure).
pub(crate) fn compute(
    records: &[Record<'_>],
    now: DateTime<Utc>,
    since: Option<NaiveDate>,
) -> Metrics {
    let mut on_time: BTreeMap<Column, OnTime> = Column::ALL
        .iter()
        .map(|&column| (column, OnTime { column, on_time: 0, late: 0, overdue: 0 }))
        .collect();
    let mut to_notice = Vec::new();
    let mut by_sev: BTreeMap<Severity, Vec<[Option<f64>; 4]>> = BTreeMap::new();
    let mut by_month: BTreeMap<String, Vec<[Option<f64>; 4]>> = BTreeMap::new();
    for r in records {
        let inc = r.incident;
        let t = times(r);
        by_sev.entry(inc.severity).or_default().push(t);
        by_month
            .entry(inc.detected_at.get(..7).unwrap_or_default().to_owned())
            .or_default()
            .push(t);
        let start = inc.discovered_at.as_deref().unwrap_or(&inc.detected_at);
        let start = instant(start);
        for o in r.obligations.iter().filter(|o| o.in_scope) {
            if matches!(
                o.status,
                ObligationStatus::NotRequired
                    | ObligationStatus::Exempt
                    | ObligationStatus::OutOfScope
            ) {
                continue;
            }
            let column = Column::of(&o.recipient);
            let due = o.due.as_deref().and_then(instant);
            let sent = o.filings.iter().filter_map(|f| instant(&f.sent_at)).min();
            let verdict = due.zip(sent).map(|(d, s)| s <= d);
            let row = on_time.get_mut(&column).expect("every column has a row");
            match (due, sent) {
                (Some(d), Some(s)) if s <= d => row.on_time += 1,
                (Some(_), Some(_)) => row.late += 1,
                (Some(d), None) if now > d => row.overdue += 1,
                _ => {}
            }
            if let (Some(s), Some(from)) = (sent, start) {
                to_notice.push(ToNotice {
                    human_id: inc.human_id.clone(),
                    name: o.label.clone().unwrap_or_else(|| o.rule_id.clone()),
                    column,
                    days: hours(from, s) / 24.0,
                    on_time: verdict,
                });
            }
        }
    }
    let to_notice_by_column = Column::ALL
        .iter()
        .map(|&c| {
            (c, Stat::of(to_notice.iter().filter(|n| n.column == c).map(|n| n.days).collect()))
        })
        .filter(|(_, s)| s.count > 0)
        .collect();
    Metrics {
        as_of: breachdesk_rules::time::to_local_rfc3339(now, chrono_tz::UTC),
        since: since.map(|d| d.format("%Y-%m-%d").to_string()),
        incidents: u32::try_from(records.len()).unwrap_or(u32::MAX),
        on_time: on_time.into_values().collect(),
        to_notice,
        to_notice_by_column,
        by_severity: by_sev.into_iter().map(|(s, m)| group(s.as_str().to_owned(), &m)).collect(),
        by_month: by_month.into_iter().map(|(k, m)| group(k, &m)).collect(),
    }
}

/// `YYYY-MM-DD`, or a validation error naming `since`.
///
/// # Errors
/// [`Error::Validation`] on `since`.
pub fn parse_since(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::validation("since", format!("{s:?} is not a date (YYYY-MM-DD)")))
}

impl Breachdesk {
    /// The figures across every incident (detected on or after `since`, in its own zone) at `now`.
    ///
    /// # Errors
    /// Database errors; [`Error::Unreadable`] for a damaged stored row.
    pub fn metrics(&self, now: DateTime<Utc>, since: Option<NaiveDate>) -> Result<Metrics> {
        let mut incidents = self.list_incidents()?;
        incidents.retain(|i| {
            since.is_none_or(|d| {
                let zone: Tz = i.timezone.parse().unwrap_or(chrono_tz::UTC);
                instant(&i.detected_at).is_some_and(|t| t.with_timezone(&zone).date_naive() >= d)
            })
        });
        incidents.sort_by(|a, b| a.detected_at.cmp(&b.detected_at));
        let mut data = Vec::with_capacity(incidents.len());
        for inc in &incidents {
            data.push((self.timeline(&inc.id)?, self.obligations(&inc.id, now)?));
        }
        let records: Vec<Record<'_>> = incidents
            .iter()
            .zip(&data)
            .map(|(incident, (timeline, obligations))| Record { incident, timeline, obligations })
            .collect();
        Ok(compute(&records, now, since))
    }
}

#[cfg(test)]
mod tests {
    use super::Stat;

    #[test]
    fn median_and_mean() {
        let s = Stat::of(vec![3.0, 1.0, 2.0, 10.0]);
        assert_eq!((s.count, s.median, s.mean, s.max), (4, Some(2.5), Some(4.0), Some(10.0)));
        assert_eq!(Stat::of(vec![]).median, None);
        assert_eq!(Stat::of(vec![5.0, 1.0, 2.0]).median, Some(2.0));
    }
}
