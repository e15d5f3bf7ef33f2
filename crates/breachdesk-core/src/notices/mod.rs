//! Notices: one obligation's message — to a regulator, the press, or one person on the list —
//! from a template to a checked PDF, approved against the SHA-256 of that exact PDF, and proved
//! sent. Owns `org_profile`, `notice_narratives`, `templates`, `notices`, `notice_renderings`,
//! `notice_events` and `notice_proofs`.
//!
//! Workflow: draft → approved (voided by any change to the notice, its template or its data) →
//! sent (files the obligation for a notice to a regulator, the press or a population) →
//! confirmed (confirmation number, receipts). Nothing is deleted.

pub mod bench;
mod cases;
mod context;
mod email;
mod letters;
mod merge;
pub mod narrative;
pub mod org;
mod render;
mod returns;
mod tables;
pub mod templates;
mod variant;

pub use breachdesk_docs::check::{Confidence, Finding, Report, Severity};
pub use breachdesk_docs::Paper;
pub use email::{Pace, Security, SendReport, SmtpConfig, SmtpShown};
pub use letters::LetterStatus;
pub use merge::{MergeFile, MergeInput, MergeReport, MergeRun, VariantCheck, DEFAULT_BATCH};
pub use narrative::{Monitoring, Narrative};
pub use org::{Org, OrgProfile};
pub use returns::{CodesReport, LetterView, PeoplePage, ReturnsReport};
pub(crate) use tables::NoticeState;
pub use templates::{Addressee, Template, TemplateKind, TemplateMeta};

/// People whose letters came back with no good address (for the substitute-notice count).
pub(crate) fn letters_undeliverable(
    conn: &rusqlite::Connection,
    incident_uuid: &str,
) -> crate::Result<i64> {
    letters::undeliverable(conn, incident_uuid)
}

/// A document that is not a notice (the board pack) through the notices' engine: the markup
/// laid out under the organisation's letterhead (a plain one when no profile is set) and written
/// as a PDF. Returns the PDF and its page count.
pub(crate) fn document_pdf(
    conn: &rusqlite::Connection,
    markup_text: &str,
    title: &str,
    footer: &str,
    created_unix: i64,
) -> crate::Result<(Vec<u8>, usize)> {
    let blocks = breachdesk_docs::markup::parse(markup_text)
        .map_err(|e| crate::Error::Internal(format!("the {title}: {e}")))?;
    let stored = org::read(conn)?;
    let (head, logo, author) = match &stored {
        Some((p, logo, _)) => {
            (render::letterhead(p, logo.as_deref()), logo.as_deref(), p.legal_name.clone())
        }
        None => (
            breachdesk_docs::Letterhead { name: "Breachdesk".into(), lines: vec![], logo_px: None },
            None,
            "Breachdesk".into(),
        ),
    };
    let laid = breachdesk_docs::layout::layout(&blocks, Paper::Letter, &head, footer)
        .map_err(|e| crate::Error::validation("text", e.to_string()))?;
    let info = breachdesk_docs::pdf::Info {
        title: title.to_owned(),
        author,
        subject: title.to_owned(),
        created_unix,
    };
    let bytes = breachdesk_docs::pdf::write(&laid, &info, logo)
        .map_err(|e| crate::Error::validation("logo", e.0))?;
    Ok((bytes, laid.pages.len()))
}

/// Every notice of an incident: status and latest confirmation number (read-only, no rendering).
pub(crate) fn notice_states(
    conn: &rusqlite::Connection,
    incident_uuid: &str,
) -> crate::Result<Vec<tables::NoticeState>> {
    tables::NoticeRows(conn).states(incident_uuid)
}

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    Draft,
    Approved,
    Sent,
    Confirmed,
}

impl NoticeStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            NoticeStatus::Draft => "draft",
            NoticeStatus::Approved => "approved",
            NoticeStatus::Sent => "sent",
            NoticeStatus::Confirmed => "confirmed",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        [NoticeStatus::Draft, NoticeStatus::Approved, NoticeStatus::Sent, NoticeStatus::Confirmed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// How a notice went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Mail,
    Email,
    Portal,
    Fax,
    Press,
    Phone,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Mail,
        Channel::Email,
        Channel::Portal,
        Channel::Fax,
        Channel::Press,
        Channel::Phone,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Mail => "mail",
            Channel::Email => "email",
            Channel::Portal => "portal",
            Channel::Fax => "fax",
            Channel::Press => "press",
            Channel::Phone => "phone",
        }
    }
}

/// One step of a notice's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct NoticeEvent {
    pub id: String,
    /// drafted | approved | voided | sent | confirmed
    pub event: String,
    /// When it happened (RFC 3339 in the incident's zone): sent at, acknowledged at, …
    pub at: String,
    pub by_name: Option<String>,
    pub pdf_sha256: Option<String>,
    pub channel: Option<String>,
    pub reference: Option<String>,
    #[ts(type = "number | null")]
    pub recipients: Option<i64>,
    pub via: Option<String>,
    pub note: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
    pub proofs: Vec<Proof>,
}

/// A proof file kept with an event (its bytes stay in the encrypted store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Proof {
    pub id: String,
    pub file_name: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub bytes: i64,
}

/// A notice with its current rendering, checker report and history.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Notice {
    pub id: String,
    /// The incident's `INC-…` id.
    pub incident: String,
    pub obligation_key: String,
    pub obligation_id: String,
    pub template_id: String,
    #[ts(type = "number")]
    pub template_version: i64,
    pub template_title: String,
    #[ts(type = "number | null")]
    pub person_record: Option<i64>,
    /// To whom: the person's name (or their guardian / next of kin), or the recipient.
    pub addressee: String,
    pub paper: Paper,
    /// The letter's date, `YYYY-MM-DD`.
    pub dated: String,
    pub amends: Option<String>,
    /// Why this template: "US-CA resident → California format (ca-individual)".
    pub variant_reason: String,
    pub status: NoticeStatus,
    #[ts(type = "number")]
    pub pages: i64,
    pub pdf_sha256: String,
    pub content_sha256: String,
    pub report: Report,
    /// The approval in force (binds this PDF's hash), if any.
    pub approved_by: Option<String>,
    pub events: Vec<NoticeEvent>,
    pub created_at: String,
    pub created_by: String,
}

/// What `notices draft` takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct DraftInput {
    /// The obligation key (`HIPAA-hhs`, `US-CA-individuals`) or id.
    pub obligation: String,
    pub template: Option<String>,
    /// A record number on the incident's list: a letter to that person.
    #[ts(type = "number | null")]
    pub person: Option<i64>,
    pub paper: Option<Paper>,
    /// The notice this one amends or supplements (HHS addendum, GDPR phased reporting).
    pub amends: Option<String>,
}

/// What `notices sent` takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct SentInput {
    /// Local `YYYY-MM-DDTHH:MM` in the incident's zone, or RFC 3339.
    pub sent_at: String,
    pub channel: String,
    /// The portal's transaction number, the mail vendor's job id, the e-mail's message id.
    pub reference: String,
    #[ts(type = "number | null")]
    pub recipients: Option<i64>,
    /// The portal or vendor it went through.
    pub via: Option<String>,
    pub note: Option<String>,
    /// Proof files to keep (paths).
    pub proofs: Vec<String>,
}

/// What `notices confirm` takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct ConfirmInput {
    /// The confirmation or acknowledgement number.
    pub number: String,
    /// When it was acknowledged.
    pub at: String,
    pub note: Option<String>,
    pub proofs: Vec<String>,
}

/// A template rendered on real data without storing anything: the app's live preview.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Preview {
    /// The pages as SVG (the PDF's runs at the PDF's places).
    pub pages: Vec<String>,
    pub report: Option<Report>,
    pub text: String,
    /// Why it does not render (a template error names the line and column or the field).
    pub error: Option<String>,
    pub variant_reason: String,
}

/// What the preview renders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct PreviewInput {
    pub incident: String,
    pub source: String,
    pub obligation: Option<String>,
    #[ts(type = "number | null")]
    pub person: Option<i64>,
}
