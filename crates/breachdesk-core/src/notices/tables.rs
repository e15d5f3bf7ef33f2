//! The SQL of `notices`, `notice_renderings`, `notice_events` and `notice_proofs`.

use super::{NoticeEvent, NoticeStatus, Proof, Report};
use crate::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// A `notices` row.
#[derive(Debug, Clone)]
pub(crate) struct NoticeRow {
    pub id: String,
    pub incident_id: String,
    pub obligation_id: String,
    pub obligation_key: String,
    pub template_id: String,
    pub person_record: Option<i64>,
    pub paper: String,
    pub dated: String,
    pub amends: Option<String>,
    pub variant_reason: String,
    pub status: NoticeStatus,
    pub created_at: String,
    pub created_by: String,
}

/// A `notice_renderings` row, without the PDF.
#[derive(Debug, Clone)]
pub(crate) struct RenderingRow {
    pub id: String,
    pub template_version: i64,
    pub content_sha256: String,
    pub pdf_sha256: String,
    pub report: Report,
    pub pages: i64,
}

const SELECT_NOTICE: &str = "SELECT id, incident_id, obligation_id, obligation_key, template_id, person_record, paper, dated, amends, variant_reason, status, created_at, created_by FROM notices";

fn notice_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(NoticeRow, String)> {
    let status: String = r.get(10)?;
    Ok((
        NoticeRow {
            id: r.get(0)?,
            incident_id: r.get(1)?,
            obligation_id: r.get(2)?,
            obligation_key: r.get(3)?,
            template_id: r.get(4)?,
            person_record: r.get(5)?,
            paper: r.get(6)?,
            dated: r.get(7)?,
            amends: r.get(8)?,
            variant_reason: r.get(9)?,
            status: NoticeStatus::Draft,
            created_at: r.get(11)?,
            created_by: r.get(12)?,
        },
        status,
    ))
}

fn with_status((mut n, s): (NoticeRow, String)) -> Result<NoticeRow> {
    n.status = NoticeStatus::parse(&s).ok_or_else(|| Error::Unreadable {
        entity: "notice",
        id: n.id.clone(),
        field: "status".into(),
        problem: format!("{s:?} is not a notice status"),
        repair: "Restore the data directory from a backup".into(),
    })?;
    Ok(n)
}

/// A notice as the board sees it.
#[derive(Debug, Clone)]
pub(crate) struct NoticeState {
    pub id: String,
    pub obligation_id: String,
    pub status: NoticeStatus,
    pub confirmation: Option<String>,
}

/// Reads of the notice tables.
pub(crate) struct NoticeRows<'c>(pub &'c Connection);

impl NoticeRows<'_> {
    pub(crate) fn get(&self, id: &str) -> Result<Option<NoticeRow>> {
        self.0
            .query_row(
                &format!("{SELECT_NOTICE} WHERE id = ?1"),
                [id.trim().to_uppercase()],
                notice_row,
            )
            .optional()?
            .map(with_status)
            .transpose()
    }

    pub(crate) fn of_incident(&self, incident_uuid: &str) -> Result<Vec<NoticeRow>> {
        let mut stmt = self.0.prepare_cached(&format!(
            "{SELECT_NOTICE} WHERE incident_id = ?1 ORDER BY obligation_key, created_at, id"
        ))?;
        let rows =
            stmt.query_map([incident_uuid], notice_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(with_status).collect()
    }

    /// The notice already drafted for this obligation and person (not an amendment), if any.
    pub(crate) fn existing(
        &self,
        incident_uuid: &str,
        obligation_id: &str,
        person: Option<i64>,
        template: Option<&str>,
    ) -> Result<Option<NoticeRow>> {
        self.0
            .query_row(
                &format!("{SELECT_NOTICE} WHERE incident_id = ?1 AND obligation_id = ?2 AND person_record IS ?3 AND amends IS NULL AND (?4 IS NULL OR template_id = ?4) ORDER BY created_at LIMIT 1"),
                params![incident_uuid, obligation_id, person, template.map(str::trim)],
                notice_row,
            )
            .optional()?
            .map(with_status)
            .transpose()
    }

    /// Every notice of an incident with its status and its latest confirmation number (for the
    /// board: no rendering, no re-check).
    pub(crate) fn states(&self, incident_uuid: &str) -> Result<Vec<NoticeState>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT n.id, n.obligation_id, n.status,
                    (SELECT e.reference FROM notice_events e WHERE e.notice_id = n.id AND e.event = 'confirmed'
                     ORDER BY e.recorded_at DESC, e.id DESC LIMIT 1)
             FROM notices n WHERE n.incident_id = ?1 ORDER BY n.created_at, n.id",
        )?;
        let rows = stmt
            .query_map([incident_uuid], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<(String, String, String, Option<String>)>>>()?;
        rows.into_iter()
            .map(|(id, obligation_id, status, confirmation)| {
                let status = NoticeStatus::parse(&status).ok_or_else(|| Error::Unreadable {
                    entity: "notice",
                    id: id.clone(),
                    field: "status".into(),
                    problem: format!("{status:?} is not a notice status"),
                    repair: "Restore the data directory from a backup".into(),
                })?;
                Ok(NoticeState { id, obligation_id, status, confirmation })
            })
            .collect()
    }

    /// When the incident's notices to individuals were recorded as sent, oldest first.
    pub(crate) fn individual_sent(&self, incident_uuid: &str) -> Result<Vec<String>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT e.at FROM notice_events e JOIN notices n ON n.id = e.notice_id
             WHERE n.incident_id = ?1 AND n.obligation_key LIKE '%-individuals' AND e.event = 'sent'
             ORDER BY e.at",
        )?;
        let rows = stmt
            .query_map([incident_uuid], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    pub(crate) fn latest_rendering(&self, notice_id: &str) -> Result<Option<RenderingRow>> {
        let row = self
            .0
            .query_row(
                "SELECT id, template_version, content_sha256, pdf_sha256, report_json, pages FROM notice_renderings
                 WHERE notice_id = ?1 ORDER BY rendered_at DESC, rowid DESC LIMIT 1",
                [notice_id],
                |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?, r.get(5)?)),
            )
            .optional()?;
        row.map(|(id, template_version, content_sha256, pdf_sha256, report, pages)| {
            let report: Report = serde_json::from_str(&report).map_err(|e| Error::Unreadable {
                entity: "notice rendering",
                id: id.clone(),
                field: "report_json".into(),
                problem: e.to_string(),
                repair: "Open the notice again to render it anew".into(),
            })?;
            Ok(RenderingRow { id, template_version, content_sha256, pdf_sha256, report, pages })
        })
        .transpose()
    }

    /// The text of the notice's latest rendering.
    pub(crate) fn text(&self, notice_id: &str) -> Result<String> {
        Ok(self.0.query_row(
            "SELECT text FROM notice_renderings WHERE notice_id = ?1 ORDER BY rendered_at DESC, rowid DESC LIMIT 1",
            [notice_id],
            |r| r.get(0),
        )?)
    }

    pub(crate) fn pdf(&self, rendering_id: &str) -> Result<Vec<u8>> {
        Ok(self.0.query_row(
            "SELECT pdf FROM notice_renderings WHERE id = ?1",
            [rendering_id],
            |r| r.get(0),
        )?)
    }

    pub(crate) fn events(&self, notice_id: &str) -> Result<Vec<NoticeEvent>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT id, event, at, by_name, pdf_sha256, channel, reference, recipients, via, note, recorded_at, recorded_by
             FROM notice_events WHERE notice_id = ?1 ORDER BY recorded_at, rowid",
        )?;
        let mut events = stmt
            .query_map([notice_id], |r| {
                Ok(NoticeEvent {
                    id: r.get(0)?,
                    event: r.get(1)?,
                    at: r.get(2)?,
                    by_name: r.get(3)?,
                    pdf_sha256: r.get(4)?,
                    channel: r.get(5)?,
                    reference: r.get(6)?,
                    recipients: r.get(7)?,
                    via: r.get(8)?,
                    note: r.get(9)?,
                    recorded_at: r.get(10)?,
                    recorded_by: r.get(11)?,
                    proofs: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.0.prepare_cached(
            "SELECT id, event_id, file_name, sha256, length(bytes) FROM notice_proofs WHERE notice_id = ?1 ORDER BY rowid",
        )?;
        let proofs = stmt
            .query_map([notice_id], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    Proof {
                        id: r.get(0)?,
                        file_name: r.get(2)?,
                        sha256: r.get(3)?,
                        bytes: r.get(4)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (event, p) in proofs {
            if let Some(e) = events.iter_mut().find(|e| e.id == event) {
                e.proofs.push(p);
            }
        }
        Ok(events)
    }
}

pub(crate) fn insert_notice(tx: &Transaction<'_>, n: &NoticeRow) -> Result<()> {
    tx.execute(
        "INSERT INTO notices (id, incident_id, obligation_id, obligation_key, template_id, person_record, paper, dated, amends, variant_reason, status, created_at, created_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12)",
        params![n.id, n.incident_id, n.obligation_id, n.obligation_key, n.template_id, n.person_record, n.paper, n.dated, n.amends, n.variant_reason, n.status.as_str(), n.created_at, n.created_by],
    )?;
    Ok(())
}

pub(crate) fn set_status(
    tx: &Transaction<'_>,
    id: &str,
    status: NoticeStatus,
    at: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE notices SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), at],
    )?;
    Ok(())
}

/// A rendering as written.
pub(crate) struct NewRendering<'a> {
    pub id: &'a str,
    pub notice_id: &'a str,
    pub template_version: i64,
    pub content_sha256: &'a str,
    pub pdf: &'a [u8],
    pub pdf_sha256: &'a str,
    pub text: &'a str,
    pub report_json: &'a str,
    pub pages: i64,
    pub at: &'a str,
}

pub(crate) fn insert_rendering(tx: &Transaction<'_>, r: &NewRendering<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO notice_renderings (id, notice_id, template_version, content_sha256, pdf, pdf_sha256, text, report_json, pages, rendered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![r.id, r.notice_id, r.template_version, r.content_sha256, r.pdf, r.pdf_sha256, r.text, r.report_json, r.pages, r.at],
    )?;
    Ok(())
}

/// An event as written.
#[derive(Default)]
pub(crate) struct NewEvent<'a> {
    pub id: &'a str,
    pub notice_id: &'a str,
    pub event: &'a str,
    pub at: &'a str,
    pub by_name: Option<&'a str>,
    pub pdf_sha256: Option<&'a str>,
    pub content_sha256: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub recipients: Option<i64>,
    pub via: Option<&'a str>,
    pub note: Option<&'a str>,
    pub recorded_at: &'a str,
    pub recorded_by: &'a str,
}

pub(crate) fn insert_event(tx: &Transaction<'_>, e: &NewEvent<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO notice_events (id, notice_id, event, at, by_name, pdf_sha256, content_sha256, channel, reference, recipients, via, note, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![e.id, e.notice_id, e.event, e.at, e.by_name, e.pdf_sha256, e.content_sha256, e.channel, e.reference, e.recipients, e.via, e.note, e.recorded_at, e.recorded_by],
    )?;
    Ok(())
}

/// The approval in force: the newest `approved` event after the newest `voided` one, with the
/// hashes it binds.
pub(crate) fn approval(
    conn: &Connection,
    notice_id: &str,
) -> Result<Option<(String, String, String)>> {
    Ok(conn
        .query_row(
            "SELECT event, by_name, pdf_sha256, content_sha256 FROM notice_events
             WHERE notice_id = ?1 AND event IN ('approved', 'voided') ORDER BY recorded_at DESC, rowid DESC LIMIT 1",
            [notice_id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, Option<String>>(3)?)),
        )
        .optional()?
        .and_then(|(e, by, pdf, content)| (e == "approved").then(|| (by.unwrap_or_default(), pdf.unwrap_or_default(), content.unwrap_or_default()))))
}

pub(crate) fn insert_proof(
    tx: &Transaction<'_>,
    ctx: &crate::Ctx,
    notice_id: &str,
    event_id: &str,
    (name, bytes): &(String, Vec<u8>),
) -> Result<String> {
    let sha = super::sha256_hex(bytes);
    tx.execute(
        "INSERT INTO notice_proofs (id, notice_id, event_id, file_name, bytes, sha256, recorded_at,
             recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            crate::uuid7(ctx.now),
            notice_id,
            event_id,
            name,
            bytes,
            sha,
            breachdesk_rules::time::to_storage(ctx.now),
            ctx.actor
        ],
    )?;
    Ok(sha)
}
