//! iCalendar (RFC 5545) export of an incident's open deadlines, so they sit in the liaison's own
//! calendar with alarms at 7 days, 24 hours, 4 hours and 1 hour before each. Pure: time is passed
//! in (DTSTAMP), nothing is read from the clock.

use crate::obligations::{Obligation, ObligationStatus};
use chrono::{DateTime, Utc};

/// RFC 5545 3.3.11: backslash, semicolon and comma are escaped; newlines become `\n`.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 5545 3.1: lines longer than 75 octets are folded (CRLF + one space), never inside a
/// UTF-8 sequence.
fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The calendar for `obligations` of incident `human_id`: one VEVENT per open fixed deadline.
#[must_use]
pub fn calendar(
    human_id: &str,
    title: &str,
    obligations: &[Obligation],
    now: DateTime<Utc>,
) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Breachdesk//Notification deadlines//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", escape(&format!("{human_id} notification deadlines"))),
    ];
    for o in obligations {
        let open = matches!(
            o.status,
            ObligationStatus::Open | ObligationStatus::DueSoon | ObligationStatus::Overdue
        );
        let Some(due) = o
            .due
            .as_deref()
            .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.with_timezone(&Utc))
        else {
            continue;
        };
        if !open {
            continue;
        }
        let who = o.recipient.replace('_', " ");
        let summary = format!("{human_id}: notify {who} ({} {}) due", o.regime, o.jurisdiction);
        let description = format!(
            "{title}\n{}\nCitation: {}\nConfidence: {}\nOwner: {}\nHow: {}\n{}",
            o.explanation,
            o.citation,
            o.confidence,
            o.owner_name.as_deref().unwrap_or(&o.owner_role),
            o.channel.as_deref().unwrap_or("see the rule"),
            o.source_url
        );
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}@breachdesk", o.id),
            format!("DTSTAMP:{}", stamp(now)),
            format!("DTSTART:{}", stamp(due)),
            format!("DTEND:{}", stamp(due)),
            format!("SUMMARY:{}", escape(&summary)),
            format!("DESCRIPTION:{}", escape(&description)),
            format!("URL:{}", o.source_url),
            "TRANSP:TRANSPARENT".to_owned(),
        ]);
        for (trigger, label) in
            [("-P7D", "7 days"), ("-PT24H", "24 hours"), ("-PT4H", "4 hours"), ("-PT1H", "1 hour")]
        {
            lines.extend([
                "BEGIN:VALARM".to_owned(),
                "ACTION:DISPLAY".to_owned(),
                format!("TRIGGER:{trigger}"),
                format!("DESCRIPTION:{}", escape(&format!("{summary} in {label}"))),
                "END:VALARM".to_owned(),
            ]);
        }
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_lines_within_75_octets_and_utf8_intact() {
        let mut out = String::new();
        fold(&format!("DESCRIPTION:{}", "Zoë Łukasiewicz — Đặng Thị Mỹ; ".repeat(8)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert!(unfolded.contains("Zoë Łukasiewicz — Đặng Thị Mỹ; Zoë"), "{unfolded}");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
