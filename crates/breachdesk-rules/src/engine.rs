//! From facts to obligations: which rules apply, which version is in force, when each is due, and
//! why — in words a liaison can check by hand.

use crate::calendar::HolidayCalendar;
use crate::clock;
use crate::facts::{Facts, GdprRole, HipaaRole};
use crate::jurisdiction::{GDPR_COUNTRIES, US_JURISDICTIONS};
use crate::schema::{parse_cutoff, Confidence, Deadline, Obligation, Recipient, Regime, Relation, RuleFile, RuleSet, Scope, Trigger, Version};
use crate::time::to_local_rfc3339;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// How an obligation's due time is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A fixed due time.
    Deadline,
    /// "Without unreasonable delay": no invented days.
    Asap,
    /// A yearly log, due after the year ends.
    Annual,
    /// Before, with, or N days after another notice.
    Relative,
}

/// One obligation computed from the facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Computed {
    pub regime: Regime,
    pub jurisdiction: String,
    pub recipient: Recipient,
    pub kind: Kind,
    /// RFC 3339 in the incident's zone, or null when no fixed time applies (yet).
    pub due: Option<String>,
    #[serde(skip)]
    pub due_utc: Option<DateTime<Utc>>,
    pub rule_id: String,
    /// The version's effective range, `[from, until)`.
    pub rule_version: String,
    pub citation: String,
    pub source_url: String,
    pub confidence: Confidence,
    pub explanation: String,
    pub channel: Option<String>,
    pub address: Option<String>,
    /// For `relative` obligations: the obligation id it is timed against.
    pub relative_to: Option<String>,
}

fn applies(file: &RuleFile, o: &Obligation, f: &Facts) -> bool {
    let a = &o.applies;
    let role_ok = |want: &Option<Vec<String>>, have: Option<&str>| want.as_ref().is_none_or(|w| have.is_some_and(|h| w.iter().any(|x| x == h)));
    let hipaa = f.hipaa_role.map(|r| match r {
        HipaaRole::CoveredEntity => "covered_entity",
        HipaaRole::BusinessAssociate => "business_associate",
    });
    let gdpr = f.gdpr_role.map(|r| match r {
        GdprRole::Controller => "controller",
        GdprRole::Processor => "processor",
    });
    let flag = |want: Option<bool>, have: bool| want.is_none_or(|w| w == have);
    let residents = match a.residents_of.as_deref() {
        None => true,
        Some("EU") => GDPR_COUNTRIES.iter().any(|c| f.count(c) > 0),
        Some("GB") => f.count("GB") > 0,
        Some(_) => false,
    };
    let data = a.data_types_any.as_ref().is_none_or(|any| any.iter().any(|t| f.data_types.contains(t)));
    // A state's law reaches a breach only when its residents are among the affected, and only those
    // whose exposed data its definition of personal information covers.
    let state_residents = file.regime != Regime::State || coverage(file, f).covered > 0;
    role_ok(&a.hipaa_role, hipaa)
        && role_ok(&a.gdpr_role, gdpr)
        && flag(a.sec_registrant, f.sec_registrant)
        && flag(a.nydfs_covered, f.nydfs_covered)
        && flag(a.nis2_entity, f.nis2_entity)
        && flag(a.phr_vendor, f.phr_vendor)
        && flag(a.high_risk, f.high_risk)
        && residents
        && data
        && state_residents
}

/// How many residents of a state file's jurisdiction its law covers, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// Affected residents.
    pub residents: u64,
    /// Of them, those with data elements the state's definition covers.
    pub covered: u64,
    /// Empty when every resident counts for a plain reason (all covered, or no definition encoded).
    pub why: String,
}

/// Which of a state's affected residents its law covers. People on an imported list count by
/// their own exposed elements; the others (typed counts, or list rows that did not say) by the
/// incident's data types. With no data types recorded at all, everyone counts: better a notice
/// than a missed one.
#[must_use]
pub fn coverage(file: &RuleFile, f: &Facts) -> Coverage {
    let j = &file.jurisdiction;
    let residents = f.count(j);
    let Some(cd) = &file.covered_data else {
        return Coverage { residents, covered: residents, why: String::new() };
    };
    let incident_covered = f.data_types.is_empty() || cd.covers(&f.data_types);
    let (mut listed, mut covered) = (0u64, 0u64);
    for (elements, n) in f.exposure.get(j).into_iter().flatten() {
        listed += n;
        if if elements.is_empty() { incident_covered } else { cd.covers(elements) } {
            covered += n;
        }
    }
    let rest = residents.saturating_sub(listed);
    if incident_covered {
        covered += rest;
    }
    let covered = covered.min(residents);
    let mut conf = match cd.confidence {
        Confidence::High => String::new(),
        Confidence::Medium => " (definition: medium confidence — have counsel confirm)".to_owned(),
        Confidence::Low => " (definition: low confidence — have counsel confirm)".to_owned(),
    };
    if clock::local_date(f.discovered_at, f.zone) < cd.from {
        conf.push_str(&format!(" (this definition is in force from {}; an older, possibly narrower one applied when the breach was discovered)", cd.from));
    }
    let why = if residents == 0 {
        String::new()
    } else if f.data_types.is_empty() && listed == 0 {
        format!("No exposed data types are recorded, so all {residents} residents of {j} are taken as covered by {}{conf}. ", cd.citation_text())
    } else if covered == residents {
        format!("All {residents} residents of {j} had data that {} covers ({}){conf}. ", cd.citation_text(), cd.elements_text())
    } else {
        format!(
            "{covered} of {residents} residents of {j} had data that {} covers ({}); the other {} had none of it{conf}. ",
            cd.citation_text(),
            cd.elements_text(),
            residents - covered
        )
    };
    Coverage { residents, covered, why }
}

fn within(t: &crate::schema::Threshold, n: u64) -> bool {
    t.min.is_none_or(|m| n >= m) && t.max.is_none_or(|m| n <= m)
}

fn threshold_text(t: &crate::schema::Threshold, n: u64, whose: &str) -> String {
    let bound = match (t.min, t.max) {
        (Some(a), Some(b)) => format!("between {a} and {b}"),
        (Some(a), None) => format!("{a} or more"),
        (None, Some(b)) => format!("{b} or fewer"),
        (None, None) => String::new(),
    };
    format!("{n} affected {whose} ({bound} required). ")
}

/// The version in force on the local date of its own trigger (or of discovery, when its trigger
/// has not happened yet).
fn version_for<'a>(o: &'a Obligation, f: &Facts) -> Option<&'a Version> {
    o.versions.iter().find(|v| {
        let t = f.trigger(v.trigger).map_or(f.discovered_at, |(t, _)| t);
        v.in_force_on(clock::local_date(t, f.zone))
    })
}

fn show(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S %Z").to_string()
}

pub(crate) struct Due {
    pub(crate) kind: Kind,
    pub(crate) at: Option<DateTime<Utc>>,
    pub(crate) why: String,
    day_clock: bool,
}

fn compute_due(v: &Version, f: &Facts, rules: &RuleSet) -> Due {
    due_for(&v.deadline, v.trigger, f, rules)
}

/// When `deadline`, started by `trigger`, falls due for these facts, and why.
pub(crate) fn due_for(deadline: &Deadline, trigger: Trigger, f: &Facts, rules: &RuleSet) -> Due {
    let zone = f.zone;
    let trig = f.trigger(trigger);
    let (t, tname) = match trig {
        Some(x) => x,
        None => {
            let kind = if matches!(deadline, Deadline::Asap) { Kind::Asap } else { Kind::Deadline };
            return Due { kind, at: None, why: format!("The clock starts at {}, which has not been recorded yet.", trigger.field()), day_clock: false };
        }
    };
    let started = format!("Clock starts at {tname} = {}. ", show(t, zone));
    match deadline {
        Deadline::CalendarDays { days } => {
            let at = clock::calendar_days(t, zone, *days);
            Due {
                kind: Kind::Deadline,
                at: Some(at),
                why: format!("{started}{days} calendar days counted from the local date {} → {}, due at the end of that day (no weekend or holiday roll-forward).", clock::local_date(t, zone), clock::local_date(at, zone)),
                day_clock: true,
            }
        }
        Deadline::Hours { hours } => {
            let at = clock::hours(t, *hours);
            Due { kind: Kind::Deadline, at: Some(at), why: format!("{started}{hours} hours of elapsed time (weekends, holidays and clock changes included)."), day_clock: false }
        }
        Deadline::BusinessDays { days, calendar, cutoff, zone: count_zone } => {
            let cal = HolidayCalendar::parse(calendar).unwrap_or(HolidayCalendar::UsFederal);
            let cz: Tz = count_zone.as_deref().and_then(|z| z.parse().ok()).unwrap_or(zone);
            let cut = cutoff.as_deref().and_then(|c| parse_cutoff(c).ok()).unwrap_or_else(clock::end_of_local_day);
            let at = clock::business_days(t, cz, cal, *days, cut);
            let cut_text = if cut == clock::end_of_local_day() { "the end of that day".to_owned() } else { format!("{} {}", cut.format("%H:%M"), cz.name()) };
            if *days == 0 {
                return Due {
                    kind: Kind::Deadline,
                    at: Some(at),
                    why: format!(
                        "{started}Same business day: the {} date {} if it is a business day, else the next one (weekends and {} holidays skipped) → {}, due at {cut_text}.",
                        cz.name(),
                        clock::local_date(t, cz),
                        cal.name(),
                        clock::local_date(at, cz)
                    ),
                    day_clock: true,
                };
            }
            Due {
                kind: Kind::Deadline,
                at: Some(at),
                why: format!(
                    "{started}{days} business days after the {} date {} (weekends and {} holidays skipped) → {}, due at {cut_text}.",
                    cz.name(),
                    clock::local_date(t, cz),
                    cal.name(),
                    clock::local_date(at, cz)
                ),
                day_clock: true,
            }
        }
        Deadline::Asap => Due {
            kind: Kind::Asap,
            at: None,
            why: format!("{started}No fixed number of days: notify as soon as possible / without unreasonable delay."),
            day_clock: false,
        },
        Deadline::Annual { days_after_year_end } => {
            let at = clock::annual(t, zone, *days_after_year_end);
            Due {
                kind: Kind::Annual,
                at: Some(at),
                why: format!("{started}Annual log: {days_after_year_end} days after 31 December of {} → {}.", clock::local_date(t, zone).format("%Y"), clock::local_date(at, zone)),
                day_clock: true,
            }
        }
        Deadline::Relative { to, relation, days, outer_days } => {
            let other = rules.obligation(to).map_or_else(|| to.clone(), |(_, o)| format!("{to} ({:?})", o.recipient).to_lowercase());
            let rel = match relation {
                Relation::Before => format!("before the notice of {other} is sent"),
                Relation::With => format!("together with the notice of {other}"),
                Relation::After => format!("{} days after the notice of {other} is sent", days.unwrap_or(0)),
            };
            let at = outer_days.map(|n| clock::calendar_days(t, zone, n));
            let outer = outer_days.map_or_else(String::new, |n| format!(" Outer limit: {n} calendar days from the trigger."));
            Due { kind: Kind::Relative, at, why: format!("{started}Due {rel}.{outer}"), day_clock: outer_days.is_some() }
        }
    }
}

fn apply_hold(v: &Version, f: &Facts, due: &mut Due) {
    let (Some((start, end)), Some(at)) = (f.hold, due.at) else { return };
    if !v.law_enforcement_hold || start > at {
        return;
    }
    if due.day_clock {
        let days = clock::whole_local_days(start, end, f.zone);
        due.at = Some(clock::extend_days(at, f.zone, days));
        due.why.push_str(&format!(
            " Law-enforcement hold {} → {}: the deadline moves by {days} whole calendar days.",
            show(start, f.zone),
            show(end, f.zone)
        ));
    } else {
        let secs = (end - start).num_seconds();
        due.at = Some(at + (end - start));
        due.why.push_str(&format!(" Law-enforcement hold {} → {}: the deadline moves by its exact length ({secs} s).", show(start, f.zone), show(end, f.zone)));
    }
}

/// Every obligation the facts call for, most urgent first (no fixed due time last).
#[must_use]
pub fn compute(rules: &RuleSet, f: &Facts) -> Vec<Computed> {
    let mut out = Vec::new();
    for file in &rules.files {
        for o in &file.obligations {
            if !applies(file, o, f) {
                continue;
            }
            let Some(v) = version_for(o, f) else { continue };
            // (jurisdiction of the obligation, threshold text)
            let cov = if file.regime == Regime::State { coverage(file, f) } else { Coverage { residents: 0, covered: 0, why: String::new() } };
            let targets: Vec<(String, String)> = match &v.threshold {
                None => vec![(file.jurisdiction.clone(), cov.why.clone())],
                Some(t) => match t.scope {
                    Scope::StateResidents => {
                        let n = cov.covered;
                        let whose = if file.covered_data.is_some() { format!("residents of {} with covered data", file.jurisdiction) } else { format!("residents of {}", file.jurisdiction) };
                        if within(t, n) { vec![(file.jurisdiction.clone(), format!("{}{}", cov.why, threshold_text(t, n, &whose)))] } else { vec![] }
                    }
                    Scope::IndividualsTotal => {
                        let n = f.total();
                        if within(t, n) { vec![(file.jurisdiction.clone(), threshold_text(t, n, "individuals in total"))] } else { vec![] }
                    }
                    Scope::Undeliverable => {
                        let n = f.undeliverable;
                        if within(t, n) { vec![(file.jurisdiction.clone(), threshold_text(t, n, "individuals without a usable postal address or e-mail"))] } else { vec![] }
                    }
                    Scope::EachStateResidents => US_JURISDICTIONS
                        .iter()
                        .filter(|s| within(t, f.count(s)))
                        .map(|s| ((*s).to_owned(), threshold_text(t, f.count(s), &format!("residents of {s}"))))
                        .collect(),
                },
            };
            for (jurisdiction, thr) in targets {
                let mut due = compute_due(v, f, rules);
                apply_hold(v, f, &mut due);
                let conf = match v.confidence {
                    Confidence::High => String::new(),
                    Confidence::Medium => " Confidence: medium — have counsel confirm this rule.".to_owned(),
                    Confidence::Low => " Confidence: low — have counsel confirm this rule.".to_owned(),
                };
                out.push(Computed {
                    regime: file.regime,
                    jurisdiction,
                    recipient: o.recipient,
                    kind: due.kind,
                    due: due.at.map(|t| to_local_rfc3339(t, f.zone)),
                    due_utc: due.at,
                    rule_id: o.id.clone(),
                    rule_version: v.range_text(),
                    citation: v.citation_text(),
                    source_url: v.citations.first().map(|c| c.url.clone()).unwrap_or_default(),
                    confidence: v.confidence,
                    explanation: format!("{} {thr}{} Rule {} {} ({}).{conf}", v.summary.trim(), due.why, o.id, v.range_text(), v.citation_text()),
                    channel: o.channel.clone(),
                    address: o.address.clone(),
                    relative_to: match &v.deadline {
                        Deadline::Relative { to, .. } => Some(to.clone()),
                        _ => None,
                    },
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.due_utc.is_none(), a.due_utc, a.regime, &a.jurisdiction, a.recipient).cmp(&(b.due_utc.is_none(), b.due_utc, b.regime, &b.jurisdiction, b.recipient))
    });
    out
}

/// RFC 3339 with `Z`, for logs and storage.
#[must_use]
pub fn utc_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}


#[cfg(test)]
mod tests {
    use super::coverage;
    use crate::facts::RawFacts;
    use crate::schema::RuleSet;

    /// Oklahoma's definition as encoded dates from 2026-01-01: a breach discovered before it is
    /// judged by it (no older version is encoded) and the explanation says so; one after is not.
    #[test]
    fn a_breach_before_the_encoded_definition_is_told_so() {
        let rules = RuleSet::embedded().expect("rules");
        let ok = rules.files.iter().find(|f| f.jurisdiction == "US-OK").expect("Oklahoma");
        let from = ok.covered_data.as_ref().expect("covered data").from;
        let facts = |at: &str| {
            let raw = RawFacts {
                timezone: "America/Chicago".into(),
                discovered_at: at.into(),
                affected: [("US-OK".to_owned(), 10)].into(),
                data_types: vec!["ssn".into()],
                ..RawFacts::default()
            };
            raw.check().expect("facts")
        };
        let before = coverage(ok, &facts(&format!("{}T12:00", from.pred_opt().expect("day before"))));
        assert_eq!(before.covered, 10);
        assert!(before.why.contains(&format!("in force from {from}")), "{}", before.why);
        let after = coverage(ok, &facts(&format!("{from}T12:00")));
        assert!(!after.why.contains("in force from"), "{}", after.why);
    }
}
