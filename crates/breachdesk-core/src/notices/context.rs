//! The render context every template reads: `org`, `incident`, `facts`, `narrative`,
//! `obligation`, `person`, `notice` (see `templates/README.md`). Unknown fields are errors (strict
//! undefined); fields that are not set are `none`.

use super::narrative::Narrative;
use super::org::OrgProfile;
use crate::incident::Incident;
use crate::individuals::Individual;
use crate::obligations::{IncidentFacts, Obligation};
use breachdesk_rules::schema::data_type_label;
use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use serde_json::{json, Value};

/// `2026-03-03…` (RFC 3339 or a date) in words in `zone`: "March 3, 2026".
pub(crate) fn date_words(s: &str, zone: Tz) -> Option<String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&zone).format("%B %-d, %Y").to_string());
    }
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%B %-d, %Y").to_string())
}

/// An instant in words in `zone`: "March 3, 2026 at 9:00 AM EST".
fn time_words(s: &str, zone: Tz) -> Option<String> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&zone).format("%B %-d, %Y at %-I:%M %p %Z").to_string())
}

fn opt_date(s: Option<&String>, zone: Tz) -> Value {
    s.and_then(|s| date_words(s, zone)).map_or(Value::Null, Value::String)
}

fn opt_time(s: Option<&String>, zone: Tz) -> Value {
    s.and_then(|s| time_words(s, zone)).map_or(Value::Null, Value::String)
}

/// The address lines of a postal address, country last when it is not the sender's.
fn postal_lines(
    line1: Option<&str>,
    line2: Option<&str>,
    city: Option<&str>,
    region: Option<&str>,
    postal: Option<&str>,
    country: Option<&str>,
    home: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for l in [line1, line2].into_iter().flatten() {
        if !l.trim().is_empty() {
            out.push(one_line(l));
        }
    }
    let country = country.map(str::trim).filter(|c| !c.is_empty());
    let us = country.is_none_or(|c| c.eq_ignore_ascii_case("US") || c.eq_ignore_ascii_case("USA"));
    let city = city.unwrap_or("").trim();
    let region = region.unwrap_or("").trim().trim_start_matches("US-");
    let postal = postal.unwrap_or("").trim();
    let last = if us {
        format!("{city}{} {region} {postal}", if city.is_empty() { "" } else { "," })
    } else {
        format!("{postal} {city}")
    };
    let last = last.split_whitespace().collect::<Vec<_>>().join(" ");
    if !last.is_empty() {
        out.push(last);
    }
    if let Some(c) = country {
        let domestic = c.eq_ignore_ascii_case(home) || (us && home.eq_ignore_ascii_case("US"));
        if !domestic {
            out.push(c.to_uppercase());
        }
    }
    out
}

pub(crate) fn org_lines(o: &OrgProfile) -> Vec<String> {
    let a = &o.address;
    postal_lines(
        Some(&a.line1),
        a.line2.as_deref(),
        Some(&a.city),
        a.state.as_deref(),
        Some(&a.postal_code),
        None,
        &a.country,
    )
}

/// User text made safe to print into the markup: a line that would start with a marker (`#`,
/// `-`, `@`, `|`, `\`) is escaped, so a pasted list or heading stays text.
pub(crate) fn escape_markup(s: &str) -> String {
    s.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with(['#', '-', '@', '|', '\\']) {
                format!("\\{t}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes every string in a JSON value (the narrative).
fn escape_all(v: &mut Value) {
    match v {
        Value::String(s) => *s = escape_markup(s),
        Value::Array(a) => a.iter_mut().for_each(escape_all),
        Value::Object(o) => o.values_mut().for_each(escape_all),
        _ => {}
    }
}

/// One line of an address: line breaks inside a field become spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Everything a notice's template reads.
pub(crate) struct Parts<'a> {
    pub org: &'a OrgProfile,
    pub has_logo: bool,
    pub incident: &'a Incident,
    pub facts: &'a IncidentFacts,
    pub narrative: &'a Narrative,
    pub obligation: &'a Obligation,
    pub person: Option<&'a Individual>,
    pub notice_id: &'a str,
    pub dated: NaiveDate,
    pub kind: &'a str,
    pub paper: &'a str,
    pub amends: Option<(&'a str, NaiveDate)>,
    pub sequence: i64,
    /// Dates (storage form) on which notices to individuals were recorded as sent.
    pub individual_sent: &'a [String],
}

pub(crate) fn build(p: &Parts<'_>) -> Value {
    let zone: Tz = p.incident.timezone.parse().unwrap_or(chrono_tz::UTC);
    let o = p.org;
    let org = json!({
        "legal_name": o.legal_name,
        "address": {
            "line1": o.address.line1, "line2": o.address.line2, "city": o.address.city,
            "state": o.address.state, "postal_code": o.address.postal_code, "country": o.address.country,
        },
        "address_lines": org_lines(o),
        "phone": o.phone, "toll_free": o.toll_free, "email": o.email, "website": o.website,
        "signatory": {"name": o.signatory.name, "title": o.signatory.title},
        "dpo": o.dpo.as_ref().map(|d| json!({"name": d.name, "email": d.email, "phone": d.phone})),
        "regulator_ids": o.regulator_ids,
        "logo": p.has_logo,
    });
    let i = p.incident;
    let incident = json!({
        "id": i.human_id, "title": i.title, "summary": i.summary,
        "severity": serde_json::to_value(i.severity).unwrap_or_default(),
        "timezone": i.timezone,
        "occurred_on": opt_date(i.occurred_at.as_ref(), zone),
        "detected_on": opt_date(Some(&i.detected_at), zone),
        "discovered_on": opt_date(i.discovered_at.as_ref(), zone),
        "aware_on": opt_date(i.aware_at.as_ref(), zone),
        "determined_on": opt_date(i.determined_at.as_ref(), zone),
        "occurred_at": opt_time(i.occurred_at.as_ref(), zone),
        "detected_at": opt_time(Some(&i.detected_at), zone),
        "discovered_at": opt_time(i.discovered_at.as_ref(), zone),
        "aware_at": opt_time(i.aware_at.as_ref(), zone),
        "determined_at": opt_time(i.determined_at.as_ref(), zone),
    });
    let f = p.facts;
    let total: i64 = f.affected.values().sum();
    let facts = json!({
        "data_types": f.data_types,
        "data_labels": f.data_types.iter().map(|t| data_type_label(t)).collect::<Vec<_>>(),
        "affected_total": total,
        "affected_by_state": f.affected,
        "undeliverable": f.undeliverable,
        "high_risk": f.high_risk,
        "encrypted": f.encrypted,
        "hipaa_role": f.hipaa_role,
        "gdpr_role": f.gdpr_role,
        "law_enforcement_hold": f.law_enforcement_hold.as_ref().map(|h| json!({
            "start": date_words(&h.start, zone), "until": date_words(&h.end, zone),
        })),
    });
    let n = p.narrative;
    let mut narrative = serde_json::to_value(n).unwrap_or_else(|_| json!({}));
    escape_all(&mut narrative);
    if let Some(obj) = narrative.as_object_mut() {
        for k in ["breach_start", "breach_end"] {
            let words = obj.get(k).and_then(Value::as_str).and_then(|s| date_words(s, zone));
            obj.insert(k.into(), words.map_or(Value::Null, Value::String));
        }
        if let Some(m) = obj.get_mut("monitoring").and_then(Value::as_object_mut) {
            let by = m.get("enroll_by").and_then(Value::as_str).and_then(|s| date_words(s, zone));
            m.insert("enroll_by".into(), by.map_or(Value::Null, Value::String));
            m.insert("offered".into(), Value::Bool(true));
        }
        obj.insert("phase".into(), json!(p.sequence));
    }
    let ob = p.obligation;
    let obligation = json!({
        "key": ob.rule_id, "regime": ob.regime, "jurisdiction": ob.jurisdiction, "recipient": ob.recipient,
        "citation": ob.citation, "due_on": opt_date(ob.due.as_ref(), zone), "address": ob.address,
        "channel": ob.channel, "label": ob.label,
    });
    let person = p.person.map(|x| person(x, f, o));
    let notice = json!({
        "id": p.notice_id,
        "date": p.dated.format("%B %-d, %Y").to_string(),
        "date_iso": p.dated.format("%Y-%m-%d").to_string(),
        "kind": p.kind,
        "paper": p.paper,
        "amends": p.amends.map(|a| a.0),
        "amends_date": p.amends.map(|a| a.1.format("%B %-d, %Y").to_string()),
        "sequence": p.sequence,
        "individual_notice_dates": individual_dates(p, zone),
        "sample": serde_json::Value::Null,
        "letter_id": serde_json::Value::Null,
        "activation_code": serde_json::Value::Null,
    });
    json!({
        "org": org, "incident": incident, "facts": facts, "narrative": narrative,
        "obligation": obligation, "person": person, "notice": notice,
    })
}

/// The `person` of the context.
pub(crate) fn person(x: &Individual, f: &IncidentFacts, o: &OrgProfile) -> Value {
    let data: Vec<String> =
        if x.data_elements.is_empty() { f.data_types.clone() } else { x.data_elements.clone() };
    json!({
        "record_no": x.id,
        "full_name": one_line(&x.full_name),
        "address_lines": address_lines(x, o),
        "residence": x.residence,
        "minor": x.minor,
        "deceased": x.deceased,
        "guardian": x.guardian,
        "data_types": data,
        "data_labels": data.iter().map(|t| data_type_label(t)).collect::<Vec<_>>(),
    })
}

/// A person's postal address lines, as the envelope shows them.
pub(crate) fn address_lines(x: &Individual, o: &OrgProfile) -> Vec<String> {
    postal_lines(
        x.address1.as_deref(),
        x.address2.as_deref(),
        x.city.as_deref(),
        x.region.as_deref(),
        x.postal_code.as_deref(),
        x.country.as_deref(),
        &o.address.country,
    )
}

/// The dates individual notice was given: those recorded here, else what the narrative says.
fn individual_dates(p: &Parts<'_>, zone: Tz) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in p.individual_sent.iter().filter_map(|s| date_words(s, zone)) {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.is_empty() {
        if let Some(d) =
            p.narrative.individual_notice_dates.as_ref().filter(|d| !d.trim().is_empty())
        {
            out.push(d.trim().to_owned());
        }
    }
    out
}

/// Whether a dotted path of the context holds a value (not null, false, 0 or empty).
pub(crate) fn truthy(ctx: &Value, path: &str) -> bool {
    let mut v = ctx;
    for k in path.split('.') {
        match v.get(k) {
            Some(x) => v = x,
            None => return false,
        }
    }
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_dates_read_as_on_an_envelope() {
        let us = postal_lines(
            Some("12 Elm St"),
            Some(""),
            Some("Boston"),
            Some("US-MA"),
            Some("02110"),
            Some("US"),
            "US",
        );
        assert_eq!(us, ["12 Elm St", "Boston, MA 02110"]);
        let de = postal_lines(
            Some("Hauptstr. 5"),
            None,
            Some("Köln"),
            None,
            Some("50667"),
            Some("DE"),
            "US",
        );
        assert_eq!(de, ["Hauptstr. 5", "50667 Köln", "DE"]);
        let zone: Tz = "America/New_York".parse().expect("zone");
        assert_eq!(date_words("2026-03-03T03:00:00Z", zone).as_deref(), Some("March 2, 2026"));
        assert_eq!(date_words("2026-03-03", zone).as_deref(), Some("March 3, 2026"));
        let ctx = json!({"narrative": {"monitoring": {"months": 24}, "x": null}});
        assert!(truthy(&ctx, "narrative.monitoring"));
        assert!(!truthy(&ctx, "narrative.x"));
        assert!(!truthy(&ctx, "narrative.y.z"));
        assert_eq!(escape_markup("Steps:\n- reset\n  # 2 done"), "Steps:\n\\- reset\n\\# 2 done");
    }
}
