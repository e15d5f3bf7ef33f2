//! From facts to obligations: which rules apply, which version is in force, whether an exit from
//! notifying (encryption, no likelihood of harm, deemed compliance) removes one, when each is due,
//! and why — in words a liaison can check by hand.
//!
//! Three passes: every rule that applies becomes an obligation or, where the facts meet one of its
//! law's exits, an [`Exempted`] (whose demands — a written determination, a notice to the attorney
//! general — become obligations of their own); then the notices timed against another notice get
//! their dates from it; then the list is sorted, most urgent first.

use crate::calendar::HolidayCalendar;
use crate::clock;
use crate::facts::{Facts, GdprRole, HipaaRole};
use crate::jurisdiction::{GDPR_COUNTRIES, US_JURISDICTIONS};
use crate::schema::{
    citations_text, parse_cutoff, Confidence, Deadline, Exemption, ExemptionKind, Obligation,
    Recipient, Regime, Relation, Requirement, RuleFile, RuleSet, Scope, Trigger, Version,
};
use crate::time::to_local_rfc3339;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// How an obligation's due time is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "ObligationKind")]
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
    /// The notice this one is timed against (relative deadlines, and "or at that notice if
    /// sooner"): its rule id.
    pub anchor: Option<String>,
}

/// An obligation an exit from notifying removes, and what the exit demands in return.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exempted {
    pub regime: Regime,
    pub jurisdiction: String,
    pub recipient: Recipient,
    /// encryption | risk_of_harm | deemed_compliance
    pub kind: ExemptionKind,
    /// The obligation the exit removes.
    pub rule_id: String,
    pub exemption_id: String,
    pub citation: String,
    pub source_url: String,
    pub confidence: Confidence,
    /// "Not required under … because …", with what the exit demands.
    pub explanation: String,
    /// What the exit demands in return (each also an obligation, by its rule id).
    pub requires: Vec<Required>,
    /// A person's judgement is the ground (no likelihood of harm): the exit is proposed, and the
    /// obligation's clock runs until a person confirms it.
    pub needs_confirmation: bool,
    /// When the obligation would be due without the exit (RFC 3339 in the incident's zone).
    pub due: Option<String>,
    #[serde(skip)]
    pub due_utc: Option<DateTime<Utc>>,
    /// The obligation's own deadline kind.
    pub obligation_kind: Kind,
    /// The obligation the exit removes, as it would be computed without it.
    #[serde(skip)]
    pub as_obligation: Computed,
}

/// One thing an exit demands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Required {
    /// The obligation it became.
    pub rule_id: String,
    pub recipient: Recipient,
    pub summary: String,
    /// A written record kept this many years.
    pub keep_years: Option<u32>,
}

/// What the engine says for a set of facts.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Outcome {
    /// Most urgent first; no fixed due time last.
    pub obligations: Vec<Computed>,
    pub exemptions: Vec<Exempted>,
}

fn applies(file: &RuleFile, o: &Obligation, f: &Facts) -> bool {
    let a = &o.applies;
    let role_ok = |want: &Option<Vec<String>>, have: Option<&str>| {
        want.as_ref().is_none_or(|w| have.is_some_and(|h| w.iter().any(|x| x == h)))
    };
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
    let data =
        a.data_types_any.as_ref().is_none_or(|any| any.iter().any(|t| f.data_types.contains(t)));
    // A state's law reaches a breach only when its residents are among the affected, and only those
    // whose exposed data its definition of personal information covers.
    let state_residents = file.regime != Regime::State || coverage(file, f).covered > 0;
    let bank = a
        .bank_regulator
        .as_ref()
        .is_none_or(|want| f.bank_regulator.as_ref().is_some_and(|r| want.contains(r)));
    let recorded = a.recorded.is_none_or(|t| f.trigger(t).is_some());
    role_ok(&a.hipaa_role, hipaa)
        && flag(a.glba_financial_institution, f.glba_financial_institution)
        && flag(a.dora_financial_entity, f.dora_financial_entity)
        && flag(a.insurance_licensee, f.insurance_home_state.is_some())
        && bank
        && recorded
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
        format!(
            "All {residents} residents of {j} had data that {} covers ({}){conf}. ",
            cd.citation_text(),
            cd.elements_text()
        )
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

fn show_date(t: DateTime<Utc>, zone: Tz) -> String {
    clock::local_date(t, zone).to_string()
}

pub(crate) struct Due {
    pub(crate) kind: Kind,
    pub(crate) at: Option<DateTime<Utc>>,
    pub(crate) why: String,
    /// Whether the clock counts days (a hold moves it by whole days) rather than elapsed time.
    day_clock: bool,
    /// Where the clock's counting period starts: the trigger, or the end of the year for an
    /// annual log. A hold tolls only what it overlaps from here on.
    window_start: Option<DateTime<Utc>>,
}

/// When `deadline`, started by `trigger`, falls due for these facts, and why. Relative deadlines
/// get their date later, from the notice they are timed against ([`resolve_relative`]).
pub(crate) fn due_for(deadline: &Deadline, trigger: Trigger, f: &Facts, rules: &RuleSet) -> Due {
    let zone = f.zone;
    let Some((t, tname)) = f.trigger(trigger) else {
        let kind = match deadline {
            Deadline::Asap => Kind::Asap,
            Deadline::Relative { .. } => Kind::Relative,
            _ => Kind::Deadline,
        };
        return Due {
            kind,
            at: None,
            why: format!(
                "The clock starts at {}, which has not been recorded yet.",
                trigger.field()
            ),
            day_clock: false,
            window_start: None,
        };
    };
    let started = format!("Clock starts at {tname} = {}. ", show(t, zone));
    let fixed = |at: DateTime<Utc>, why: String, day_clock: bool| Due {
        kind: Kind::Deadline,
        at: Some(at),
        why,
        day_clock,
        window_start: Some(t),
    };
    match deadline {
        Deadline::CalendarDays { days } => {
            let at = clock::calendar_days(t, zone, *days);
            fixed(
                at,
                format!(
                    "{started}{days} calendar days counted from the local date {} → {}, due at the end of that day (no weekend or holiday roll-forward).",
                    clock::local_date(t, zone),
                    clock::local_date(at, zone)
                ),
                true,
            )
        }
        Deadline::Hours { hours } => {
            fixed(clock::hours(t, *hours), format!("{started}{hours} hours of elapsed time (weekends, holidays and clock changes included)."), false)
        }
        Deadline::HoursWithin { hours, within_hours, of } => {
            let own = clock::hours(t, *hours);
            let (base, bname) = f.trigger(*of).unwrap_or((f.discovered_at, "discovered_at"));
            let limit = clock::hours(base, *within_hours);
            if t > limit {
                fixed(own, format!("{started}{hours} hours of elapsed time; the {within_hours}-hour limit from {bname} ({}) had already passed when the clock started, so {hours} hours from it stand.", show(limit, zone)), false)
            } else if own > limit {
                fixed(limit, format!("{started}{hours} hours of elapsed time, but no later than {within_hours} hours after {bname} = {} → {}.", show(base, zone), show(limit, zone)), false)
            } else {
                fixed(own, format!("{started}{hours} hours of elapsed time (within the {within_hours}-hour limit from {bname}, {})." , show(limit, zone)), false)
            }
        }
        Deadline::BusinessDays { days, calendar, cutoff, zone: count_zone } => {
            let cal = HolidayCalendar::parse(calendar).unwrap_or(HolidayCalendar::UsFederal);
            let cz: Tz = count_zone.as_deref().and_then(|z| z.parse().ok()).unwrap_or(zone);
            let cut = cutoff.as_deref().and_then(|c| parse_cutoff(c).ok()).unwrap_or_else(clock::end_of_local_day);
            let at = clock::business_days(t, cz, cal, *days, cut);
            let cut_text = if cut == clock::end_of_local_day() { "the end of that day".to_owned() } else { format!("{} {}", cut.format("%H:%M"), cz.name()) };
            let why = if *days == 0 {
                format!(
                    "{started}Same business day: the {} date {} if it is a business day, else the next one (weekends and {} holidays skipped) → {}, due at {cut_text}.",
                    cz.name(),
                    clock::local_date(t, cz),
                    cal.name(),
                    clock::local_date(at, cz)
                )
            } else {
                format!(
                    "{started}{days} business days after the {} date {} (weekends and {} holidays skipped) → {}, due at {cut_text}.",
                    cz.name(),
                    clock::local_date(t, cz),
                    cal.name(),
                    clock::local_date(at, cz)
                )
            };
            fixed(at, why, true)
        }
        Deadline::Asap => Due {
            kind: Kind::Asap,
            at: None,
            why: format!("{started}No fixed number of days: notify as soon as possible / without unreasonable delay."),
            day_clock: false,
            window_start: Some(t),
        },
        Deadline::Annual { days_after_year_end } => {
            let at = clock::annual(t, zone, *days_after_year_end);
            Due {
                kind: Kind::Annual,
                at: Some(at),
                why: format!("{started}Annual log: {days_after_year_end} days after 31 December of {} → {}.", clock::local_date(t, zone).format("%Y"), clock::local_date(at, zone)),
                day_clock: true,
                window_start: Some(clock::year_end(t, zone)),
            }
        }
        Deadline::Relative { to, relation, days, hours, months, outer_days } => {
            let other = rules.obligation(to).map_or_else(|| to.clone(), |(_, o)| format!("{to} ({})", recipient_words(o.recipient)));
            let rel = match relation {
                Relation::Before => format!("before the notice of {other} is sent"),
                Relation::With => format!("together with the notice of {other}, at the latest"),
                Relation::After => format!("{} after the notice of {other} is sent", period_words(*days, *hours, *months)),
            };
            let at = outer_days.map(|n| clock::calendar_days(t, zone, n));
            let outer = outer_days.map_or_else(String::new, |n| format!(" Outer limit: {n} calendar days from the trigger."));
            Due { kind: Kind::Relative, at, why: format!("{started}Due {rel}.{outer}"), day_clock: outer_days.is_some(), window_start: Some(t) }
        }
    }
}

/// DORA (Delegated Regulation (EU) 2025/301 Art. 5(4)): a deadline on a Saturday or Sunday moves
/// to 12:00 of the next working day, for the entities Art. 5(5) does not exclude. Public holidays
/// of the competent authority's Member State are not modelled, so a deadline on one does not move
/// (the earlier date).
fn next_working_day_noon(at: &mut Option<DateTime<Utc>>, why: &mut String, zone: Tz) {
    use chrono::Datelike;
    let Some(due) = *at else { return };
    let day = clock::local_date(due, zone);
    let skip = match day.weekday() {
        chrono::Weekday::Sat => 2,
        chrono::Weekday::Sun => 1,
        _ => return,
    };
    let monday = day.checked_add_days(chrono::Days::new(skip)).unwrap_or(day);
    let noon = clock::local_instant(
        monday,
        chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default(),
        zone,
    );
    *at = Some(noon);
    why.push_str(&format!(
        " The deadline falls on a weekend; under Delegated Regulation (EU) 2025/301 Art. 5(4) this entity may report by 12:00 of the next working day → {} (public holidays are not modelled: a deadline on one does not move).",
        show(noon, zone)
    ));
}

fn period_words(days: Option<u32>, hours: Option<u32>, months: Option<u32>) -> String {
    match (days, hours, months) {
        (Some(d), _, _) => format!("{d} calendar day{}", if d == 1 { "" } else { "s" }),
        (_, Some(h), _) => format!("{h} hour{}", if h == 1 { "" } else { "s" }),
        (_, _, Some(m)) => format!("{m} calendar month{}", if m == 1 { "" } else { "s" }),
        _ => "0 days".into(),
    }
}

fn recipient_words(r: Recipient) -> String {
    crate::schema::recipient_label(r).to_owned()
}

/// A law-enforcement hold tolls a clock only where the obligation's own law provides a delay, and
/// only by the part of the hold that falls in the clock's counting period: a hold that ended
/// before the period started (a hold in March and the next year's HIPAA annual log) moves nothing,
/// and one that started after the deadline moves nothing either. A hold that starts inside the
/// period pauses the clock until it ends, however long that is: the time left resumes when the
/// hold ends (so a hold that outlasts the original deadline never leaves a notice due while law
/// enforcement still asks for silence). Day clocks move by whole local days, hour clocks by the
/// exact duration. An oral request is capped where the law caps it (HIPAA 164.412(b): 30 days
/// unless a written statement follows), and does nothing where only a written one counts.
fn apply_hold(file: &RuleFile, o: &Obligation, f: &Facts, due: &mut Due) {
    let (Some(hold), Some(at), Some(window)) = (f.hold, due.at, due.window_start) else { return };
    let zone = f.zone;
    let on = clock::local_date(f.discovered_at, zone);
    let held = format!(
        "Law-enforcement hold {} → {} ({}).",
        show(hold.start, zone),
        show(hold.end, zone),
        if hold.oral { "oral" } else { "written" }
    );
    let Some(d) = file.delays.iter().find(|d| d.obligations.contains(&o.id) && d.in_force_on(on))
    else {
        due.why.push_str(&format!(
            " {held} No law-enforcement delay provision is encoded for this notice (none its law provides, or none Breachdesk could verify — rules/COVERAGE.md), so its deadline does not move; have counsel confirm before relying on the hold."
        ));
        return;
    };
    let cite = d.citation_text();
    if hold.oral && d.written_only {
        due.why.push_str(&format!(" {held} Under {cite} only a written request delays this notice; the request was oral, so the deadline does not move."));
        return;
    }
    let mut end = hold.end;
    let mut capped = String::new();
    if let (true, Some(n)) = (hold.oral, d.oral_max_days) {
        let cap = clock::extend_days(hold.start, zone, n);
        if cap < end {
            end = cap;
            capped = format!(" An oral request delays notice at most {n} days from the statement unless a written one follows, so the hold counts until {}.", show(cap, zone));
        }
    }
    let from = hold.start.max(window);
    if from >= at || end <= from {
        let period = format!("{} → {}", show(window, zone), show(at, zone));
        due.why.push_str(&format!(" {held}{capped} It does not overlap this clock's period ({period}), so under {cite} the deadline does not move."));
        return;
    }
    if let Some(r) = &d.resume {
        let after = match r {
            Deadline::BusinessDays { days, calendar, .. } => {
                let cal = HolidayCalendar::parse(calendar).unwrap_or(HolidayCalendar::UsFederal);
                (
                    clock::business_days(end, zone, cal, *days, clock::end_of_local_day()),
                    format!("{days} business days"),
                )
            }
            Deadline::CalendarDays { days } => {
                (clock::calendar_days(end, zone, *days), format!("{days} calendar days"))
            }
            _ => (at, String::new()),
        };
        due.at = Some(after.0);
        due.why.push_str(&format!(
            " {held}{capped} Under {cite} the notice is due within {} after the hold ends ({}) → {}.",
            after.1,
            show_date(end, zone),
            show_date(after.0, zone)
        ));
        return;
    }
    if due.day_clock {
        let days = clock::whole_local_days(from, end, zone);
        due.at = Some(clock::extend_days(at, zone, days));
        due.why.push_str(&format!(
            " {held}{capped} Under {cite} it tolls this clock for the part of it inside the clock's period ({} → {}): {days} whole calendar day{} added → {}.",
            show_date(from, zone),
            show_date(end, zone),
            if days == 1 { "" } else { "s" },
            show_date(due.at.unwrap_or(at), zone)
        ));
    } else {
        let added = end - from;
        due.at = Some(clock::add(at, added));
        due.why.push_str(&format!(
            " {held}{capped} Under {cite} it tolls this clock for the part of it inside the clock's period: {} h {} min added → {}.",
            added.num_hours(),
            added.num_minutes() % 60,
            show(clock::add(at, added), zone)
        ));
    }
}

/// Whether one exit's conditions hold: `Ok(reason)` when they do, `Err(note)` (possibly empty)
/// when they do not — a note says why an exit the facts come close to is not available.
fn exit_met(x: &Exemption, f: &Facts) -> Result<String, String> {
    let zone = f.zone;
    match x.kind {
        ExemptionKind::Encryption => {
            if !f.encrypted {
                return Err(String::new());
            }
            if f.key_compromised {
                return Err(format!("The encryption safe harbour ({}) does not apply: the key or credential was compromised too.", x.citation_text()));
            }
            Ok("the data was encrypted and the key was not compromised".into())
        }
        ExemptionKind::RiskOfHarm => {
            let Some(h) = &f.harm else { return Err(String::new()) };
            if x.law_enforcement_consultation && !h.law_enforcement_consulted {
                return Err(format!(
                    "The no-harm exception ({}) needs the determination to follow consultation with law enforcement, which is not recorded.",
                    x.citation_text()
                ));
            }
            Ok(format!(
                "on {} {} determined that there is no reasonable likelihood of harm (\"{}\")",
                show_date(h.decided_at, zone),
                h.by,
                h.rationale
            ))
        }
        ExemptionKind::DeemedCompliance => {
            let under: Vec<&str> = x
                .regimes
                .iter()
                .filter(|r| f.notified_under.contains(r))
                .map(String::as_str)
                .collect();
            if under.is_empty() {
                return Err(String::new());
            }
            Ok(format!("the entity notifies under {}, which this law accepts", under.join(" and ")))
        }
    }
}

/// The exit that removes `o`, if the facts meet one (exits that need no one's judgement first),
/// and notes on the exits the facts come close to.
fn exit_for<'a>(
    file: &'a RuleFile,
    o: &Obligation,
    f: &Facts,
) -> (Option<(&'a Exemption, String)>, Vec<String>) {
    let on = clock::local_date(f.discovered_at, f.zone);
    let mut candidates: Vec<&Exemption> =
        file.exemptions.iter().filter(|x| x.exempts.contains(&o.id) && x.in_force_on(on)).collect();
    let rank = |k: ExemptionKind| match k {
        ExemptionKind::Encryption => 0,
        ExemptionKind::DeemedCompliance => 1,
        ExemptionKind::RiskOfHarm => 2,
    };
    candidates.sort_by_key(|x| rank(x.kind));
    let mut notes = Vec::new();
    for x in candidates {
        match exit_met(x, f) {
            Ok(reason) => return (Some((x, reason)), notes),
            Err(n) if !n.is_empty() => notes.push(n),
            Err(_) => {}
        }
    }
    (None, notes)
}

fn confidence_note(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "",
        Confidence::Medium => " Confidence: medium — have counsel confirm this rule.",
        Confidence::Low => " Confidence: low — have counsel confirm this rule.",
    }
}

/// One computed item before relative dates are known.
struct Item {
    c: Computed,
    /// Text before and after the clock's explanation.
    lead: String,
    why: String,
    tail: String,
    /// The relative deadline still to date, and the "or at that notice if sooner" anchor.
    relative: Option<Deadline>,
    or_with: Option<String>,
    /// A relative due on a weekend moves to the next working day's noon (DORA Art. 5(4)).
    weekend: bool,
    exempt: Option<Exempted>,
}

/// Every obligation the facts call for and every exit that removes one.
#[must_use]
pub fn compute(rules: &RuleSet, f: &Facts) -> Outcome {
    let mut items: Vec<Item> = Vec::new();
    let mut used: Vec<(&Exemption, &RuleFile, String)> = Vec::new();
    for file in &rules.files {
        for o in &file.obligations {
            if !applies(file, o, f) {
                continue;
            }
            let Some(v) = version_for(o, f) else { continue };
            let cov = if file.regime == Regime::State {
                coverage(file, f)
            } else {
                Coverage { residents: 0, covered: 0, why: String::new() }
            };
            for (jurisdiction, thr) in targets(file, v, f, &cov) {
                let mut due = due_for(&v.deadline, v.trigger, f, rules);
                if !matches!(v.deadline, Deadline::Relative { .. }) || due.at.is_some() {
                    apply_hold(file, o, f, &mut due);
                }
                let weekend = v.weekend_allowance && f.dora_next_working_day;
                if weekend && !matches!(v.deadline, Deadline::Relative { .. }) {
                    next_working_day_noon(&mut due.at, &mut due.why, f.zone);
                }
                let (exit, notes) = exit_for(file, o, f);
                let notes =
                    if notes.is_empty() { String::new() } else { format!(" {}", notes.join(" ")) };
                let c = Computed {
                    regime: file.regime,
                    jurisdiction: jurisdiction.clone(),
                    recipient: o.recipient,
                    kind: due.kind,
                    due: None,
                    due_utc: due.at,
                    rule_id: o.id.clone(),
                    rule_version: v.range_text(),
                    citation: v.citation_text(),
                    source_url: v.citations.first().map(|c| c.url.clone()).unwrap_or_default(),
                    confidence: v.confidence,
                    explanation: String::new(),
                    channel: o.channel.clone(),
                    address: o.address.clone(),
                    anchor: match &v.deadline {
                        Deadline::Relative { to, .. } => Some(to.clone()),
                        _ => v.or_with.clone(),
                    },
                };
                let exempt = exit.map(|(x, reason)| {
                    if !used.iter().any(|(u, _, j)| u.id == x.id && *j == jurisdiction) {
                        used.push((x, file, jurisdiction.clone()));
                    }
                    exempted(x, &c, &reason)
                });
                items.push(Item {
                    c,
                    lead: format!("{} {thr}", v.summary.trim()),
                    why: due.why,
                    tail: format!(
                        "{notes} Rule {} {} ({}).{}",
                        o.id,
                        v.range_text(),
                        v.citation_text(),
                        confidence_note(v.confidence)
                    ),
                    relative: matches!(v.deadline, Deadline::Relative { .. })
                        .then(|| v.deadline.clone()),
                    or_with: v.or_with.clone(),
                    weekend,
                    exempt,
                });
            }
        }
    }
    for (x, file, jurisdiction) in &used {
        for r in &x.requires {
            items.push(requirement(r, x, file, jurisdiction, f, rules));
        }
    }
    resolve_relative(&mut items, f);
    let zone = f.zone;
    let mut out = Outcome::default();
    for mut it in items {
        it.c.due = it.c.due_utc.map(|t| to_local_rfc3339(t, zone));
        it.c.explanation = format!("{}{}{}", it.lead, it.why, it.tail);
        match it.exempt {
            Some(mut x) => {
                x.due_utc = it.c.due_utc;
                x.due = it.c.due.clone();
                x.obligation_kind = it.c.kind;
                let without = match &x.due {
                    Some(d) => format!(" Without the exit it would be due {d}."),
                    None => String::new(),
                };
                x.explanation.push_str(&without);
                x.as_obligation = it.c;
                out.exemptions.push(x);
            }
            None => out.obligations.push(it.c),
        }
    }
    out.obligations.sort_by(|a, b| {
        (a.due_utc.is_none(), a.due_utc, a.regime, &a.jurisdiction, a.recipient, &a.rule_id).cmp(&(
            b.due_utc.is_none(),
            b.due_utc,
            b.regime,
            &b.jurisdiction,
            b.recipient,
            &b.rule_id,
        ))
    });
    out.exemptions.sort_by(|a, b| {
        (a.regime, &a.jurisdiction, a.recipient, &a.rule_id).cmp(&(
            b.regime,
            &b.jurisdiction,
            b.recipient,
            &b.rule_id,
        ))
    });
    out
}

/// The jurisdictions a version calls for and the threshold text of each.
fn targets(file: &RuleFile, v: &Version, f: &Facts, cov: &Coverage) -> Vec<(String, String)> {
    let Some(t) = &v.threshold else { return vec![(file.jurisdiction.clone(), cov.why.clone())] };
    let one = |n: u64, whose: &str| {
        if within(t, n) {
            vec![(file.jurisdiction.clone(), threshold_text(t, n, whose))]
        } else {
            vec![]
        }
    };
    match t.scope {
        Scope::StateResidents => {
            let whose = if file.covered_data.is_some() {
                format!("residents of {} with covered data", file.jurisdiction)
            } else {
                format!("residents of {}", file.jurisdiction)
            };
            one(cov.covered, &whose)
                .into_iter()
                .map(|(j, text)| (j, format!("{}{text}", cov.why)))
                .collect()
        }
        Scope::IndividualsTotal => one(f.total(), "individuals in total"),
        Scope::Undeliverable => {
            one(f.undeliverable, "individuals without a usable postal address or e-mail")
        }
        Scope::EachStateResidents => US_JURISDICTIONS
            .iter()
            .filter(|s| within(t, f.count(s)))
            .map(|s| ((*s).to_owned(), threshold_text(t, f.count(s), &format!("residents of {s}"))))
            .collect(),
        Scope::HomeState => {
            if f.insurance_home_state.as_deref() == Some(file.jurisdiction.as_str()) {
                vec![(
                    file.jurisdiction.clone(),
                    format!("{} is the licensee's home state. ", file.jurisdiction),
                )]
            } else {
                vec![]
            }
        }
        Scope::HomeStateOrResidents => {
            if f.insurance_home_state.as_deref() == Some(file.jurisdiction.as_str()) {
                vec![(file.jurisdiction.clone(), format!("{} is the licensee's home state, so any number of affected consumers counts. ", file.jurisdiction))]
            } else {
                one(
                    f.count(&file.jurisdiction),
                    &format!("residents of {} (not the licensee's home state)", file.jurisdiction),
                )
            }
        }
    }
}

fn exempted(x: &Exemption, c: &Computed, reason: &str) -> Exempted {
    let requires: Vec<Required> = x
        .requires
        .iter()
        .map(|r| Required {
            rule_id: r.id.clone(),
            recipient: r.recipient,
            summary: r.summary.clone(),
            keep_years: r.keep_years,
        })
        .collect();
    let demands = if requires.is_empty() {
        String::new()
    } else {
        format!(
            " In return it requires: {}.",
            requires
                .iter()
                .map(|r| r.summary.trim_end_matches('.').to_owned())
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    let confirm = if x.kind == ExemptionKind::RiskOfHarm {
        " This rests on a person's judgement: confirm it, with a rationale, before relying on it; until then the notice's clock keeps running."
    } else if x.confidence != Confidence::High {
        " Breachdesk holds this exit's law at less than high confidence: have counsel confirm it before relying on it; until then the notice's clock keeps running."
    } else {
        ""
    };
    Exempted {
        regime: c.regime,
        jurisdiction: c.jurisdiction.clone(),
        recipient: c.recipient,
        kind: x.kind,
        rule_id: c.rule_id.clone(),
        exemption_id: x.id.clone(),
        citation: x.citation_text(),
        source_url: x.citations.first().map(|c| c.url.clone()).unwrap_or_default(),
        confidence: x.confidence,
        explanation: format!(
            "Not required under {} because {reason}. {}{demands}{confirm} Exemption {} {}.{}",
            x.citation_text(),
            x.summary.trim(),
            x.id,
            x.range_text(),
            confidence_note(x.confidence)
        ),
        requires,
        needs_confirmation: x.kind == ExemptionKind::RiskOfHarm || x.confidence != Confidence::High,
        due: None,
        due_utc: None,
        obligation_kind: c.kind,
        as_obligation: c.clone(),
    }
}

/// A demand of an exit, as an obligation of its own.
fn requirement(
    r: &Requirement,
    x: &Exemption,
    file: &RuleFile,
    jurisdiction: &str,
    f: &Facts,
    rules: &RuleSet,
) -> Item {
    let due = due_for(&r.deadline, r.trigger, f, rules);
    let citations = if r.citations.is_empty() { &x.citations } else { &r.citations };
    let citation = citations_text(citations);
    let keep = match (r.keep_years, f.trigger(r.trigger)) {
        (Some(n), Some((t, _))) => {
            let until = clock::local_date(t, f.zone)
                .checked_add_months(chrono::Months::new(n * 12))
                .unwrap_or(chrono::NaiveDate::MAX);
            format!(" Keep it until at least {until} ({n} years).")
        }
        (Some(n), None) => format!(" Keep it for {n} years."),
        _ => String::new(),
    };
    Item {
        c: Computed {
            regime: file.regime,
            jurisdiction: jurisdiction.to_owned(),
            recipient: r.recipient,
            kind: due.kind,
            due: None,
            due_utc: due.at,
            rule_id: r.id.clone(),
            rule_version: x.range_text(),
            citation: citation.clone(),
            source_url: citations.first().map(|c| c.url.clone()).unwrap_or_default(),
            confidence: x.confidence,
            explanation: String::new(),
            channel: r.channel.clone(),
            address: None,
            anchor: match &r.deadline {
                Deadline::Relative { to, .. } => Some(to.clone()),
                _ => None,
            },
        },
        lead: format!(
            "{} Required by the exit {} ({}).{keep} ",
            r.summary.trim(),
            x.id,
            x.citation_text()
        ),
        why: due.why,
        tail: format!(" Rule {} ({citation}).{}", r.id, confidence_note(x.confidence)),
        relative: matches!(r.deadline, Deadline::Relative { .. }).then(|| r.deadline.clone()),
        or_with: None,
        weekend: false,
        exempt: None,
    }
}

/// Dates the notices timed against another notice. From the other notice's recorded sent time
/// once it is filed; before that, the latest the law allows given the other notice's own deadline.
/// Chains (an intermediate report after the initial one, a final report after that) are followed.
fn resolve_relative(items: &mut [Item], f: &Facts) {
    let zone = f.zone;
    let mut done: Vec<bool> =
        items.iter().map(|it| it.relative.is_none() && it.or_with.is_none()).collect();
    for _ in 0..8 {
        let mut progress = false;
        for i in 0..items.len() {
            if done[i] {
                continue;
            }
            let to = match (&items[i].relative, &items[i].or_with) {
                (Some(Deadline::Relative { to, .. }), _) => to.clone(),
                (_, Some(w)) => w.clone(),
                _ => {
                    done[i] = true;
                    continue;
                }
            };
            // The anchor in the same jurisdiction, else anywhere (a federal notice).
            let j = &items[i].c.jurisdiction;
            let anchor = items
                .iter()
                .enumerate()
                .filter(|(_, it)| it.c.rule_id == to)
                .min_by_key(|(_, it)| &it.c.jurisdiction != j)
                .map(|(k, _)| k);
            if anchor.is_some_and(|k| !done[k]) {
                continue;
            }
            let sent = f.sent.get(&to).copied();
            let base = anchor.map(|k| (items[k].c.due_utc, items[k].exempt.is_some()));
            let it = &mut items[i];
            if let Some(Deadline::Relative { relation, days, hours, months, .. }) =
                it.relative.clone()
            {
                let shift = |t: DateTime<Utc>| match (relation, days, hours, months) {
                    (Relation::After, Some(d), _, _) => clock::calendar_days(t, zone, d),
                    (Relation::After, _, Some(h), _) => clock::hours(t, h),
                    (Relation::After, _, _, Some(m)) => clock::calendar_months(t, zone, m),
                    _ => t,
                };
                let outer = it.c.due_utc;
                let (from_anchor, how) = match (sent, base) {
                    (Some(s), _) => (Some(shift(s)), format!(" {to} was sent {} → due {}.", show(s, zone), shift_words(relation, days, hours, months, &show(shift(s), zone)))),
                    (None, Some((Some(d), exempt))) => (
                        Some(shift(d)),
                        format!(
                            " {to} is not recorded as sent yet; its own deadline is {}{} → the latest this notice can be due is {}.",
                            show(d, zone),
                            if exempt { " (it is exempt here, but the notice it stands for still goes out)" } else { "" },
                            show(shift(d), zone)
                        ),
                    ),
                    (None, Some((None, _))) => (None, format!(" {to} has no fixed deadline and is not recorded as sent yet, so this notice has no date until it is.")),
                    (None, None) => (None, format!(" {to} does not apply to these facts, so this notice has no date from it.")),
                };
                it.c.due_utc = match (from_anchor, outer) {
                    (Some(a), Some(o)) if o < a => {
                        it.why.push_str(&how);
                        it.why.push_str(&format!(
                            " The outer limit ({}) comes first.",
                            show(o, zone)
                        ));
                        Some(o)
                    }
                    (Some(a), _) => {
                        it.why.push_str(&how);
                        Some(a)
                    }
                    (None, o) => {
                        it.why.push_str(&how);
                        o
                    }
                };
                if it.weekend {
                    next_working_day_noon(&mut it.c.due_utc, &mut it.why, zone);
                }
            } else if let Some(w) = it.or_with.clone() {
                let other = sent
                    .map(|s| (s, "was sent"))
                    .or_else(|| base.and_then(|(d, _)| d).map(|d| (d, "is due")));
                if let (Some((t, verb)), Some(own)) = (other, it.c.due_utc) {
                    if t < own {
                        it.c.due_utc = Some(t);
                        it.why.push_str(&format!(" {w} {verb} {}, sooner, and this notice is due no later than that → {}.", show(t, zone), show(t, zone)));
                    } else {
                        it.why.push_str(&format!(
                            " Or at the notice of {w}, if sooner ({verb} {}).",
                            show(t, zone)
                        ));
                    }
                }
            }
            done[i] = true;
            progress = true;
        }
        if !progress {
            break;
        }
    }
}

fn shift_words(
    relation: Relation,
    days: Option<u32>,
    hours: Option<u32>,
    months: Option<u32>,
    at: &str,
) -> String {
    match relation {
        Relation::After => format!("{} later, {at}", period_words(days, hours, months)),
        Relation::With | Relation::Before => format!("by then, {at}"),
    }
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
        let ok = rules
            .files
            .iter()
            .find(|f| f.jurisdiction == "US-OK" && f.regime == crate::schema::Regime::State)
            .expect("Oklahoma");
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
        let before =
            coverage(ok, &facts(&format!("{}T12:00", from.pred_opt().expect("day before"))));
        assert_eq!(before.covered, 10);
        assert!(before.why.contains(&format!("in force from {from}")), "{}", before.why);
        let after = coverage(ok, &facts(&format!("{from}T12:00")));
        assert!(!after.why.contains("in force from"), "{}", after.why);
    }

    /// A synthetic rule set: one 72-hour clock and one 10-day clock, both with a delay provision.
    fn synthetic(delay: &str) -> RuleSet {
        let file = format!(
            r#"
regime = "STATE"
jurisdiction = "US-TX"
title = "Synthetic"
[[obligations]]
id = "X-hours"
recipient = "attorney_general"
[[obligations.versions]]
trigger = "discovered_at"
deadline = {{ kind = "hours", hours = 72 }}
confidence = "high"
reviewed_on = 2026-12-02
summary = "72 hours."
[[obligations.versions.citations]]
instrument = "Code"
section = "1"
url = "https://example.org/code"
[[obligations]]
id = "X-days"
recipient = "individuals"
[[obligations.versions]]
trigger = "discovered_at"
deadline = {{ kind = "calendar_days", days = 10 }}
confidence = "high"
reviewed_on = 2026-12-02
summary = "10 days."
[[obligations.versions.citations]]
instrument = "Code"
section = "2"
url = "https://example.org/code"
[[delays]]
obligations = ["X-hours", "X-days"]
{delay}
confidence = "high"
reviewed_on = 2026-12-02
summary = "Delay."
[[delays.citations]]
instrument = "Code"
section = "3"
url = "https://example.org/code"
"#
        );
        RuleSet::from_texts([("t.toml", file.as_str())]).expect("synthetic rules")
    }

    fn due_with_hold(rules: &RuleSet, start: &str, end: &str, form: &str) -> (String, String) {
        let raw = RawFacts {
            timezone: "America/Chicago".into(),
            discovered_at: "2026-03-02T10:00".into(),
            law_enforcement_hold: Some(crate::facts::RawHold {
                start: start.into(),
                end: end.into(),
                form: Some(form.into()),
            }),
            affected: [("US-TX".to_owned(), 5)].into(),
            ..RawFacts::default()
        };
        let out = super::compute(rules, &raw.check().expect("facts"));
        let get = |id: &str| {
            out.obligations
                .iter()
                .find(|c| c.rule_id == id)
                .and_then(|c| c.due.clone())
                .expect("due")
        };
        (get("X-hours"), get("X-days"))
    }

    #[test]
    fn an_hour_clock_is_tolled_by_the_exact_part_of_the_hold_inside_it() {
        let rules = synthetic("");
        // No hold inside: 72 h after 2 March 10:00 CST is 5 March 10:00 CST.
        let (h, d) = due_with_hold(&rules, "2026-03-20T00:00", "2026-03-25T00:00", "written");
        assert_eq!(
            (h.as_str(), d.as_str()),
            ("2026-03-05T10:00:00-06:00", "2026-03-12T23:59:59-05:00")
        );
        // A 24 h 30 min hold inside both clocks.
        let (h, d) = due_with_hold(&rules, "2026-03-03T10:00", "2026-03-04T10:30", "written");
        assert_eq!(h, "2026-03-06T10:30:00-06:00", "exact duration");
        assert_eq!(d, "2026-03-13T23:59:59-05:00", "one whole local day (3 → 4 March)");
        // A hold from hour 60 that outlasts the deadline: the 12 hours left resume when it ends.
        let (h, _) = due_with_hold(&rules, "2026-03-04T22:00", "2026-03-07T22:00", "written");
        assert_eq!(h, "2026-03-08T11:00:00-05:00", "the hold's end + 12 h, across the DST change");
    }

    #[test]
    fn an_oral_request_counts_only_where_the_law_accepts_it() {
        let written_only = synthetic("written_only = true");
        let (h, _) = due_with_hold(&written_only, "2026-03-03T10:00", "2026-03-04T10:00", "oral");
        assert_eq!(
            h, "2026-03-05T10:00:00-06:00",
            "an oral request does not delay where only a written one does"
        );
        let (h, _) =
            due_with_hold(&written_only, "2026-03-03T10:00", "2026-03-04T10:00", "written");
        assert_eq!(h, "2026-03-06T10:00:00-06:00");
    }

    #[test]
    fn some_laws_give_a_fixed_time_after_the_hold_ends() {
        let rules =
            synthetic(r#"resume = { kind = "business_days", days = 7, calendar = "US-federal" }"#);
        // Hold ends Friday 13 March: 7 business days later is Tuesday 24 March, end of day.
        let (h, d) = due_with_hold(&rules, "2026-03-03T10:00", "2026-03-13T10:00", "written");
        assert_eq!(
            (h.as_str(), d.as_str()),
            ("2026-03-24T23:59:59-05:00", "2026-03-24T23:59:59-05:00")
        );
    }

    #[test]
    fn the_loader_refuses_delays_and_exits_it_cannot_vouch_for() {
        let err = |extra: &str| {
            let text = format!(
                "regime = \"STATE\"\njurisdiction = \"US-TX\"\ntitle = \"T\"\n[[obligations]]\nid = \"A\"\nrecipient = \"individuals\"\n[[obligations.versions]]\ntrigger = \"discovered_at\"\ndeadline = {{ kind = \"asap\" }}\nconfidence = \"high\"\nreviewed_on = 2026-12-02\nsummary = \"S\"\n[[obligations.versions.citations]]\ninstrument = \"C\"\nsection = \"1\"\nurl = \"https://example.org\"\n{extra}"
            );
            crate::schema::parse_file("t.toml", &text).expect_err("refused").to_string()
        };
        let cite = "confidence = \"high\"\nreviewed_on = 2026-12-02\nsummary = \"S\"\n";
        let url = "instrument = \"C\"\nsection = \"2\"\nurl = \"https://example.org\"\n";
        assert!(err(&format!(
            "[[delays]]\nobligations = [\"B\"]\n{cite}[[delays.citations]]\n{url}"
        ))
        .contains("not an obligation of this file"));
        assert!(err(&format!("[[delays]]\nobligations = [\"A\"]\n{cite}")).contains("citation"));
        assert!(err(&format!("[[exemptions]]\nid = \"X\"\nkind = \"deemed_compliance\"\nexempts = [\"A\"]\nregimes = [\"SOX\"]\n{cite}[[exemptions.citations]]\n{url}")).contains("unknown regime"));
        assert!(err(&format!("[[exemptions]]\nid = \"X\"\nkind = \"encryption\"\nexempts = [\"A\"]\nlaw_enforcement_consultation = true\n{cite}[[exemptions.citations]]\n{url}")).contains("risk_of_harm only"));
    }
}
