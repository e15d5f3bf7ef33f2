//! The founder's board: every incident's notices by kind of recipient, what waits for the
//! executive sponsor, the response figures across incidents (`metrics.rs`), the one-page board
//! pack (`pack.rs`) and the team's internal updates (`comms.rs`).
//!
//! Owns no table: it reads incidents, obligations, notices and the timeline through their
//! modules, at a `now` the caller gives.

mod comms;
mod metrics;
mod pack;

pub use comms::{CommsKind, InternalUpdate};
pub use metrics::{parse_since, Metrics, OnTime, ResponseGroup, Stat, ToNotice};
pub use pack::Pack;

use crate::incident::{Incident, Status};
use crate::notices::{NoticeState, NoticeStatus};
use crate::obligations::{Obligation, ObligationStatus};
use crate::timeline::{TimelineEntry, TimelineKind};
use crate::{Breachdesk, Result};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The kinds of recipient the board has a column for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// HHS, attorneys general, supervisory authorities, the SEC, NYDFS, CSIRTs, credit bureaus, …
    Regulators,
    Individuals,
    Media,
    /// Customers and partners under contract: covered entities, controllers, insurers, others.
    Partners,
    Investors,
    Board,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::Regulators,
        Column::Individuals,
        Column::Media,
        Column::Partners,
        Column::Investors,
        Column::Board,
    ];

    /// The column of an obligation's recipient.
    #[must_use]
    pub fn of(recipient: &str) -> Column {
        match recipient {
            "individuals" => Column::Individuals,
            "media" => Column::Media,
            "investors" => Column::Investors,
            "board" => Column::Board,
            "covered_entity" | "controller" | "insurer" | "other" => Column::Partners,
            _ => Column::Regulators,
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Column::Regulators => "Regulators",
            Column::Individuals => "Individuals",
            Column::Media => "Media",
            Column::Partners => "Customers & partners",
            Column::Investors => "Investors",
            Column::Board => "Board",
        }
    }
}

/// Where one notice stands, worst first: the order a cell takes its worst state in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    Overdue,
    /// Due in less than 24 hours.
    DueSoon,
    /// Required, no notice drafted yet.
    ToDo,
    Draft,
    Approved,
    Sent,
    Confirmed,
    NotRequired,
}

impl CellState {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            CellState::Overdue => "overdue",
            CellState::DueSoon => "due < 24 h",
            CellState::ToDo => "to do",
            CellState::Draft => "draft",
            CellState::Approved => "approved",
            CellState::Sent => "sent",
            CellState::Confirmed => "confirmed",
            CellState::NotRequired => "not required",
        }
    }
}

/// One obligation in a cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct BoardItem {
    pub obligation_id: String,
    /// The rule (`HIPAA-hhs`) or, for a contract clock, its label.
    pub name: String,
    /// A contract clock's label (the user's words).
    pub label: Option<String>,
    pub jurisdiction: String,
    #[ts(as = "breachdesk_rules::schema::Recipient")]
    pub recipient: String,
    pub state: CellState,
    /// RFC 3339 in the incident's zone.
    pub due: Option<String>,
    #[ts(type = "number | null")]
    pub seconds_left: Option<i64>,
    pub owner_role: String,
    pub owner_name: Option<String>,
    /// The notice that answers it (the most advanced one), if drafted.
    pub notice_id: Option<String>,
    /// The regulator's confirmation number, or the reference the filing was recorded with.
    pub confirmation: Option<String>,
    /// When it was sent (the first filing), RFC 3339 in the incident's zone.
    pub sent_at: Option<String>,
    /// high | medium | low
    #[ts(as = "breachdesk_rules::schema::Confidence")]
    pub confidence: String,
}

/// One cell: a kind of recipient for one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct BoardCell {
    pub column: Column,
    /// The worst state among its items; null when the incident owes this kind nothing.
    pub state: Option<CellState>,
    pub items: Vec<BoardItem>,
}

/// One incident's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct BoardRow {
    pub incident_id: String,
    pub human_id: String,
    pub title: String,
    pub severity: crate::incident::Severity,
    pub status: Status,
    pub timezone: String,
    #[ts(type = "number")]
    pub affected: i64,
    pub executive_sponsor: Option<String>,
    pub detected_at: String,
    /// When it was closed (its first `closed` timeline entry, else its last change).
    pub closed_at: Option<String>,
    /// The six cells, in [`Column::ALL`] order.
    pub cells: Vec<BoardCell>,
    /// What is overdue, most overdue first.
    pub overdue: Vec<BoardItem>,
    /// The next deadline not yet met.
    pub next: Option<BoardItem>,
}

/// Something the executive sponsor has to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum WaitingKind {
    /// A drafted notice waits for approval.
    Approval,
    /// A law's exit waits for a person to confirm it (or reject it).
    Decision,
    /// An investor or board update is due.
    Update,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct WaitingItem {
    pub kind: WaitingKind,
    pub incident_id: String,
    pub human_id: String,
    pub what: String,
    pub obligation_id: String,
    pub notice_id: Option<String>,
    pub due: Option<String>,
    #[ts(type = "number | null")]
    pub seconds_left: Option<i64>,
    pub sponsor: Option<String>,
}

/// The board at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Board {
    /// RFC 3339, UTC.
    pub as_of: String,
    pub columns: Vec<Column>,
    /// Open incidents, most urgent first; with `all`, then those closed in the last 12 months.
    pub rows: Vec<BoardRow>,
    /// For the executive sponsor (the user, when their name is the incident's sponsor or the
    /// incident has none), most urgent first.
    pub waiting: Vec<WaitingItem>,
    /// Whose waiting list this is (the user's name), when known.
    pub me: Option<String>,
}

/// A cell state for one obligation and the notices that answer it.
fn item(o: &Obligation, notices: &[&NoticeState]) -> Option<BoardItem> {
    if !o.in_scope || o.status == ObligationStatus::OutOfScope {
        return None;
    }
    let best = notices.iter().max_by_key(|n| n.status as u8);
    let confirmation = notices
        .iter()
        .rev()
        .find_map(|n| n.confirmation.clone())
        .or_else(|| o.filings.iter().rev().find_map(|f| f.reference.clone()));
    let due_soon = o.seconds_left.is_some_and(|s| (0..86_400).contains(&s));
    let state = match o.status {
        ObligationStatus::NotRequired | ObligationStatus::Exempt => CellState::NotRequired,
        ObligationStatus::Overdue => CellState::Overdue,
        ObligationStatus::Done => match best.map(|n| n.status) {
            Some(NoticeStatus::Confirmed) => CellState::Confirmed,
            _ => CellState::Sent,
        },
        _ if due_soon => CellState::DueSoon,
        _ => match best.map(|n| n.status) {
            None => CellState::ToDo,
            Some(NoticeStatus::Draft) => CellState::Draft,
            Some(NoticeStatus::Approved) => CellState::Approved,
            Some(NoticeStatus::Sent) => CellState::Sent,
            Some(NoticeStatus::Confirmed) => CellState::Confirmed,
        },
    };
    Some(BoardItem {
        obligation_id: o.id.clone(),
        name: o.label.clone().unwrap_or_else(|| o.rule_id.clone()),
        label: o.label.clone(),
        jurisdiction: o.jurisdiction.clone(),
        recipient: o.recipient.clone(),
        state,
        due: o.due.clone(),
        seconds_left: o.seconds_left,
        owner_role: o.owner_role.clone(),
        owner_name: o.owner_name.clone(),
        notice_id: best.map(|n| n.id.clone()),
        confirmation,
        sent_at: o.filings.first().map(|f| f.sent_at.clone()),
        confidence: o.confidence.clone(),
    })
}

/// The six cells of an incident from its obligations and notices (pure).
#[must_use]
pub(crate) fn cells(obligations: &[Obligation], notices: &[NoticeState]) -> Vec<BoardCell> {
    let mut cells: Vec<BoardCell> = Column::ALL
        .iter()
        .map(|&column| BoardCell { column, state: None, items: vec![] })
        .collect();
    for o in obligations {
        let mine: Vec<&NoticeState> = notices.iter().filter(|n| n.obligation_id == o.id).collect();
        if let Some(it) = item(o, &mine) {
            let col = Column::of(&o.recipient);
            let cell = &mut cells[Column::ALL.iter().position(|c| *c == col).unwrap_or(0)];
            cell.state = Some(cell.state.map_or(it.state, |s| s.min(it.state)));
            cell.items.push(it);
        }
    }
    for c in &mut cells {
        c.items.sort_by_key(|i| (i.state, i.seconds_left.unwrap_or(i64::MAX)));
    }
    cells
}

/// Whether an item still has to be sent.
pub(super) fn open(i: &BoardItem) -> bool {
    matches!(
        i.state,
        CellState::Overdue
            | CellState::DueSoon
            | CellState::ToDo
            | CellState::Draft
            | CellState::Approved
    )
}

/// One incident's row (pure): its cells, what is overdue and what is next.
fn row(
    inc: &Incident,
    affected: i64,
    closed_at: Option<String>,
    obligations: &[Obligation],
    notices: &[NoticeState],
) -> BoardRow {
    let cells = cells(obligations, notices);
    let all = cells.iter().flat_map(|c| c.items.iter());
    let mut overdue: Vec<BoardItem> =
        all.clone().filter(|i| i.state == CellState::Overdue).cloned().collect();
    overdue.sort_by_key(|i| i.seconds_left.unwrap_or(0));
    let next = all
        .filter(|i| open(i) && i.state != CellState::Overdue && i.seconds_left.is_some())
        .min_by_key(|i| i.seconds_left)
        .cloned();
    BoardRow {
        incident_id: inc.id.clone(),
        human_id: inc.human_id.clone(),
        title: inc.title.clone(),
        severity: inc.severity,
        status: inc.status,
        timezone: inc.timezone.clone(),
        affected,
        executive_sponsor: inc.roles.executive_sponsor.clone(),
        detected_at: inc.detected_at.clone(),
        closed_at,
        cells,
        overdue,
        next,
    }
}

/// What waits for the executive sponsor in one row (pure).
fn waiting(
    row: &BoardRow,
    obligations: &[Obligation],
    notices: &[NoticeState],
) -> Vec<WaitingItem> {
    let mut out = Vec::new();
    let base = |kind, what: String, o: &Obligation, notice_id: Option<String>| WaitingItem {
        kind,
        incident_id: row.incident_id.clone(),
        human_id: row.human_id.clone(),
        what,
        obligation_id: o.id.clone(),
        notice_id,
        due: o.due.clone(),
        seconds_left: o.seconds_left,
        sponsor: row.executive_sponsor.clone(),
    };
    for o in obligations.iter().filter(|o| o.in_scope) {
        let name = o.label.clone().unwrap_or_else(|| o.rule_id.clone());
        let live = !matches!(
            o.status,
            ObligationStatus::Done | ObligationStatus::NotRequired | ObligationStatus::OutOfScope
        );
        for n in notices.iter().filter(|n| n.obligation_id == o.id) {
            if n.status == NoticeStatus::Draft && live && o.status != ObligationStatus::Exempt {
                out.push(base(
                    WaitingKind::Approval,
                    format!("Approve {} ({name})", n.id),
                    o,
                    Some(n.id.clone()),
                ));
            }
        }
        if let Some(x) = o.exemption.as_ref().filter(|x| x.needs_confirmation && !x.confirmed) {
            if o.decision.is_none() {
                out.push(base(
                    WaitingKind::Decision,
                    format!("Confirm or reject the exit {} for {name}", x.id),
                    o,
                    None,
                ));
            }
        }
        let update = matches!(Column::of(&o.recipient), Column::Investors | Column::Board);
        if update && live && o.status != ObligationStatus::Exempt {
            let drafted = notices.iter().any(|n| n.obligation_id == o.id);
            if !drafted {
                out.push(base(WaitingKind::Update, format!("Send the {name} update"), o, None));
            }
        }
    }
    out
}

/// Whether `name` is the sponsor (or the incident has none).
fn is_me(sponsor: Option<&str>, me: Option<&str>) -> bool {
    match (sponsor.map(str::trim).filter(|s| !s.is_empty()), me) {
        (None, _) | (_, None) => true,
        (Some(s), Some(m)) => s.eq_ignore_ascii_case(m.trim()),
    }
}

/// The order rows come in: open first, then by the worst cell, then severity, then detection.
fn urgency(r: &BoardRow) -> (bool, CellState, crate::incident::Severity, String) {
    let worst = r.cells.iter().filter_map(|c| c.state).min().unwrap_or(CellState::NotRequired);
    (r.status == Status::Closed, worst, r.severity, r.detected_at.clone())
}

/// An RFC 3339 time as stored or shown, as an instant.
pub(super) fn instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

/// When a closed incident was closed: its first `closed` timeline entry (uncorrected), else its
/// last change. None while it is open.
pub(super) fn closed_at(inc: &Incident, timeline: &[TimelineEntry]) -> Option<DateTime<Utc>> {
    if inc.status != Status::Closed {
        return None;
    }
    timeline
        .iter()
        .filter(|e| e.kind == TimelineKind::Closed && e.corrected_by.is_none())
        .filter_map(|e| instant(&e.occurred_at))
        .min()
        .or_else(|| instant(&inc.updated_at))
}

impl Breachdesk {
    /// The board at `now`: open incidents (and with `all`, those closed in the last 12 months),
    /// and what waits for `me` as executive sponsor.
    ///
    /// # Errors
    /// Database errors; [`crate::Error::Unreadable`] for a damaged stored row.
    pub fn board(&self, now: DateTime<Utc>, all: bool, me: Option<&str>) -> Result<Board> {
        let mut rows = Vec::new();
        let mut wait = Vec::new();
        for inc in self.list_incidents()? {
            let closed = match inc.status {
                Status::Closed => closed_at(&inc, &self.timeline(&inc.id)?),
                _ => None,
            };
            if let Some(c) = closed {
                if !all || now - c > TimeDelta::days(365) {
                    continue;
                }
            }
            let zone: chrono_tz::Tz = inc.timezone.parse().unwrap_or(chrono_tz::UTC);
            let obligations = self.obligations(&inc.id, now)?;
            let notices = crate::notices::notice_states(&*self.read()?, &inc.id)?;
            let affected = self.facts(&inc.id)?.affected.values().sum();
            let shown = closed.map(|c| breachdesk_rules::time::to_local_rfc3339(c, zone));
            let r = row(&inc, affected, shown, &obligations, &notices);
            if inc.status != Status::Closed && is_me(r.executive_sponsor.as_deref(), me) {
                wait.extend(waiting(&r, &obligations, &notices));
            }
            rows.push(r);
        }
        rows.sort_by_key(urgency);
        wait.sort_by_key(|w| (w.seconds_left.unwrap_or(i64::MAX), w.kind as u8));
        Ok(Board {
            as_of: breachdesk_rules::time::to_local_rfc3339(now, chrono_tz::UTC),
            columns: Column::ALL.to_vec(),
            rows,
            waiting: wait,
            me: me.map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ob(id: &str, recipient: &str, status: ObligationStatus, secs: Option<i64>) -> Obligation {
        Obligation {
            id: id.into(),
            rule_id: format!("R-{id}"),
            regime: "HIPAA".into(),
            jurisdiction: "US".into(),
            recipient: recipient.into(),
            kind: "deadline".into(),
            due: secs.map(|_| "2026-12-10T00:00:00-05:00".into()),
            seconds_left: secs,
            status,
            internal_target: None,
            in_scope: true,
            frozen_at: None,
            rule_version: "1".into(),
            citation: String::new(),
            source_url: String::new(),
            confidence: "high".into(),
            explanation: String::new(),
            channel: None,
            address: None,
            owner_role: "compliance_liaison".into(),
            owner_name: None,
            label: None,
            decision: None,
            filings: vec![],
            anchor: None,
            exemption: None,
        }
    }

    fn notice(id: &str, ob: &str, status: NoticeStatus) -> NoticeState {
        NoticeState { id: id.into(), obligation_id: ob.into(), status, confirmation: None }
    }

    #[test]
    fn a_cell_shows_its_worst_state() {
        let obs = [
            ob("a", "hhs", ObligationStatus::Open, Some(3 * 86_400)),
            ob("b", "attorney_general", ObligationStatus::Open, Some(3_600)),
            ob("c", "investors", ObligationStatus::Overdue, Some(-60)),
            ob("d", "media", ObligationStatus::NotRequired, None),
            ob("e", "individuals", ObligationStatus::Open, Some(9 * 86_400)),
        ];
        let ns =
            [notice("N1", "a", NoticeStatus::Approved), notice("N2", "e", NoticeStatus::Draft)];
        let c = cells(&obs, &ns);
        let state = |col: Column| c.iter().find(|x| x.column == col).and_then(|x| x.state);
        assert_eq!(state(Column::Regulators), Some(CellState::DueSoon), "the AG is due in an hour");
        assert_eq!(state(Column::Investors), Some(CellState::Overdue));
        assert_eq!(state(Column::Media), Some(CellState::NotRequired));
        assert_eq!(state(Column::Individuals), Some(CellState::Draft));
        assert_eq!(state(Column::Board), None);
        let reg = &c[0].items;
        assert_eq!((reg[0].obligation_id.as_str(), reg[1].state), ("b", CellState::Approved));
    }

    #[test]
    fn a_done_obligation_is_sent_or_confirmed_with_its_number() {
        let mut done = ob("a", "hhs", ObligationStatus::Done, Some(86_400 * 20));
        done.filings.push(crate::obligations::Filing {
            id: "f".into(),
            sent_at: "2026-12-01T10:00:00-05:00".into(),
            channel: Some("portal".into()),
            reference: Some("portal-ref".into()),
            note: None,
            recorded_at: String::new(),
            recorded_by: String::new(),
        });
        let c = cells(std::slice::from_ref(&done), &[]);
        assert_eq!(c[0].items[0].state, CellState::Sent);
        assert_eq!(c[0].items[0].confirmation.as_deref(), Some("portal-ref"));
        let mut n = notice("N1", "a", NoticeStatus::Confirmed);
        n.confirmation = Some("HHS-123".into());
        let c = cells(&[done], &[n]);
        assert_eq!(
            (c[0].items[0].state, c[0].items[0].confirmation.as_deref()),
            (CellState::Confirmed, Some("HHS-123"))
        );
    }

    #[test]
    fn the_sponsor_is_me_by_name_or_when_unset() {
        assert!(is_me(None, Some("Ana")));
        assert!(is_me(Some("ana "), Some("Ana")));
        assert!(!is_me(Some("Bo"), Some("Ana")));
        assert!(is_me(Some("Bo"), None));
    }
}
