//! The board pack: the board on one page, through the notices' PDF engine — per incident its
//! severity, status and affected count, the regulator and investor notices with their states and
//! confirmation numbers, what is overdue and what is next; signed off by the executive sponsor.

use super::{Board, BoardItem, BoardRow, CellState, Column};
use crate::{Breachdesk, Result};
use chrono::{DateTime, Utc};

/// A board pack: its file name, the PDF and its page count.
#[derive(Debug, Clone)]
pub struct Pack {
    pub file_name: String,
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// The markup it was laid out from (what the PDF says).
    pub text: String,
}

/// User text on one markup line: no line breaks, no bold markers.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace("**", "* *")
}

/// "HHS", "attorney general US-CA", "HIPAA-individuals", or a contract clock's label.
fn who(i: &BoardItem) -> String {
    if let Some(l) = &i.label {
        return clean(l);
    }
    if Column::of(&i.recipient) != Column::Regulators {
        return i.name.clone();
    }
    let r: Option<breachdesk_rules::schema::Recipient> =
        serde_json::from_value(serde_json::Value::String(i.recipient.clone())).ok();
    let label: String = r.map_or_else(
        || i.recipient.clone(),
        |r| breachdesk_rules::schema::recipient_label(r).to_owned(),
    );
    if i.jurisdiction.is_empty() || (i.jurisdiction == "US" && label == "HHS") {
        label
    } else {
        format!("{label} {}", i.jurisdiction)
    }
}

/// `2026-12-05 17:00 EST`: an RFC 3339 time in the incident's zone.
fn short(t: &str, zone: &str) -> String {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    DateTime::parse_from_rfc3339(t).map_or_else(
        |_| t.to_owned(),
        |d| d.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
    )
}

/// One notice as the pack states it: "HHS: confirmed, no. HHS-2026-0042".
fn state(i: &BoardItem, zone: &str) -> String {
    let mut s = format!("{}: {}", who(i), i.state.label());
    if let Some(c) = &i.confirmation {
        s.push_str(&format!(", no. {}", clean(c)));
    } else if super::open(i) {
        if let Some(d) = &i.due {
            s.push_str(&format!(", due {}", short(d, zone)));
        }
    }
    s
}

/// The items of some columns still to be sent, worst first, at most `max` named.
fn line(row: &BoardRow, cols: &[Column], max: usize) -> Option<String> {
    let mut items: Vec<&BoardItem> = row
        .cells
        .iter()
        .filter(|c| cols.contains(&c.column))
        .flat_map(|c| c.items.iter())
        .filter(|i| super::open(i))
        .collect();
    if items.is_empty() {
        return None;
    }
    items.sort_by_key(|i| (i.state, i.seconds_left.unwrap_or(i64::MAX)));
    let mut parts: Vec<String> = items.iter().take(max).map(|i| state(i, &row.timezone)).collect();
    if items.len() > max {
        parts.push(format!("{} more", items.len() - max));
    }
    Some(parts.join("; "))
}

/// Every notice of some columns already sent, with its confirmation number: none is left out.
fn filed(row: &BoardRow, cols: &[Column]) -> Option<String> {
    let parts: Vec<String> = row
        .cells
        .iter()
        .filter(|c| cols.contains(&c.column))
        .flat_map(|c| c.items.iter())
        .filter(|i| matches!(i.state, CellState::Sent | CellState::Confirmed))
        .map(|i| state(i, &row.timezone))
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The pack's markup (pure).
#[must_use]
pub fn markup(board: &Board, signer: &str, now: DateTime<Utc>) -> String {
    let date = now.format("%Y-%m-%d").to_string();
    let open = board.rows.iter().filter(|r| r.status != crate::incident::Status::Closed).count();
    let overdue: usize = board.rows.iter().map(|r| r.overdue.len()).sum();
    let mut m = String::new();
    m.push_str("# Board pack: security incidents and their notifications\n\n");
    m.push_str(&format!(
        "| As of {} UTC · {open} open incident{} · {overdue} notice{} overdue\n\n",
        now.format("%Y-%m-%d %H:%M"),
        if open == 1 { "" } else { "s" },
        if overdue == 1 { "" } else { "s" },
    ));
    if board.rows.is_empty() {
        m.push_str("No open incident.\n\n");
    }
    for r in &board.rows {
        m.push_str(&format!("## {} · {}\n\n", r.human_id, clean(&r.title)));
        let affected = if r.affected > 0 {
            format!("{} people affected", crate::text::thousands(r.affected))
        } else {
            "affected people not yet counted".into()
        };
        m.push_str(&format!(
            "| **{} · {}** · {affected} · detected {}{}\n",
            r.severity.as_str(),
            r.status.as_str(),
            short(&r.detected_at, &r.timezone),
            r.executive_sponsor
                .as_deref()
                .map(|s| format!(" · sponsor {}", clean(s)))
                .unwrap_or_default(),
        ));
        let (reg, inv) = ([Column::Regulators], [Column::Investors, Column::Board]);
        let nothing = |cols: &[Column]| {
            let owed = r.cells.iter().any(|c| cols.contains(&c.column) && c.state.is_some());
            Some(if owed { "nothing outstanding" } else { "none owed" }.to_owned())
        };
        let others = line(r, &[Column::Individuals, Column::Media, Column::Partners], 3);
        let filed = filed(r, &[Column::Regulators, Column::Investors, Column::Board]);
        for (label, text) in [
            ("Regulators", line(r, &reg, 3).or_else(|| nothing(&reg))),
            ("Investors and board", line(r, &inv, 3).or_else(|| nothing(&inv))),
            ("Filed", filed),
            ("Others", others),
        ] {
            if let Some(t) = text {
                m.push_str(&format!("| **{label}:** {t}\n"));
            }
        }
        if !r.overdue.is_empty() {
            let names: Vec<String> = r
                .overdue
                .iter()
                .take(4)
                .map(|i| {
                    format!(
                        "{} (due {})",
                        who(i),
                        i.due.as_deref().map(|d| short(d, &r.timezone)).unwrap_or_default()
                    )
                })
                .collect();
            m.push_str(&format!("| **Overdue:** {}\n", names.join("; ")));
        }
        match &r.next {
            Some(n) => m.push_str(&format!(
                "| **Next:** {}, due {}{}\n",
                who(n),
                n.due.as_deref().map(|d| short(d, &r.timezone)).unwrap_or_default(),
                n.owner_name.as_deref().map(|o| format!(", {}", clean(o))).unwrap_or_default()
            )),
            None if r.overdue.is_empty() => m.push_str("| **Next:** nothing outstanding\n"),
            None => {}
        }
        m.push('\n');
    }
    m.push_str("## Sign-off\n\n");
    m.push_str(&format!(
        "| Reviewed and signed off by {}, executive sponsor, on {date}.\n|\n",
        clean(signer)
    ));
    m.push_str("| Signature: ______________________________\n");
    m
}

impl Breachdesk {
    /// The board pack at `now`: the board's open incidents on one page, signed off by `signer`
    /// (the executive sponsor; when none is given, the incidents' sponsors).
    ///
    /// # Errors
    /// Database errors; a character the fonts lack (naming `text`).
    pub fn board_pack(&self, now: DateTime<Utc>, signer: Option<&str>) -> Result<Pack> {
        let board = self.board(now, false, None)?;
        let signer = match signer.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => s.to_owned(),
            None => {
                let mut names: Vec<&str> =
                    board.rows.iter().filter_map(|r| r.executive_sponsor.as_deref()).collect();
                names.sort_unstable();
                names.dedup();
                if names.is_empty() {
                    "the executive sponsor".into()
                } else {
                    names.join(" and ")
                }
            }
        };
        let text = markup(&board, &signer, now);
        let date = now.format("%Y-%m-%d").to_string();
        let (pdf, pages) = crate::notices::document_pdf(
            &*self.read()?,
            &text,
            "Board pack",
            &format!("Board pack · {date} · confidential"),
            now.timestamp(),
        )?;
        Ok(Pack { file_name: format!("board-pack-{date}.pdf"), pdf, pages, text })
    }
}
