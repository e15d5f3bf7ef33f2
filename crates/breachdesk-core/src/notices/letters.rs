//! The SQL of `notice_letters`, `letter_events`, `merge_runs`, `merge_files`,
//! `monitoring_codes` and `individual_email_consent`.

use crate::{Ctx, Result};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

/// Where a letter is: the statuses of the tracking, in the order they usually come.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
pub enum LetterStatus {
    /// Planned, not yet in a print file (or re-queued for a re-mail).
    #[serde(rename = "queued")]
    Queued,
    /// In a print-ready file.
    #[serde(rename = "printed")]
    Printed,
    /// The print file was recorded as mailed (first class).
    #[serde(rename = "mailed")]
    Mailed,
    /// Handed to the SMTP relay; no reply recorded (the send stopped): never sent again on its own.
    #[serde(rename = "sending")]
    Sending,
    #[serde(rename = "e-mailed")]
    Emailed,
    #[serde(rename = "bounced")]
    Bounced,
    /// Came back (with the USPS reason).
    #[serde(rename = "returned")]
    Returned,
    /// Mailed again to a new address.
    #[serde(rename = "re-mailed")]
    Remailed,
    #[serde(rename = "delivered")]
    Delivered,
    /// No good address: counted toward substitute notice.
    #[serde(rename = "substitute")]
    Substitute,
    /// No longer due (the person left the population before mailing).
    #[serde(rename = "withdrawn")]
    Withdrawn,
}

impl LetterStatus {
    pub const ALL: [LetterStatus; 11] = [
        LetterStatus::Queued,
        LetterStatus::Printed,
        LetterStatus::Mailed,
        LetterStatus::Sending,
        LetterStatus::Emailed,
        LetterStatus::Bounced,
        LetterStatus::Returned,
        LetterStatus::Remailed,
        LetterStatus::Delivered,
        LetterStatus::Substitute,
        LetterStatus::Withdrawn,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LetterStatus::Queued => "queued",
            LetterStatus::Printed => "printed",
            LetterStatus::Mailed => "mailed",
            LetterStatus::Sending => "sending",
            LetterStatus::Emailed => "e-mailed",
            LetterStatus::Bounced => "bounced",
            LetterStatus::Returned => "returned",
            LetterStatus::Remailed => "re-mailed",
            LetterStatus::Delivered => "delivered",
            LetterStatus::Substitute => "substitute",
            LetterStatus::Withdrawn => "withdrawn",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<LetterStatus> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// A `notice_letters` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LetterRow {
    pub id: String,
    pub notice_id: String,
    pub record: i64,
    pub seq: i64,
    pub template_id: String,
    pub template_version: i64,
    pub variant_reason: String,
    pub channel: String,
    pub addressee: String,
    pub address_block: String,
    pub zip: String,
    pub code: Option<String>,
    pub pages: Option<i64>,
    pub file: Option<String>,
    pub run_id: Option<String>,
    pub status: LetterStatus,
    pub status_at: String,
    pub reason: Option<String>,
    pub next_of_kin: bool,
    pub remails: i64,
}

pub(crate) const SELECT_LETTER: &str = "SELECT id, notice_id, person_id, seq, template_id, template_version, variant_reason, channel, addressee, address_block, zip, code, pages, file, run_id, status, status_at, reason, next_of_kin, remails FROM notice_letters";

pub(crate) fn letter_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LetterRow> {
    let status: String = r.get(15)?;
    Ok(LetterRow {
        id: r.get(0)?,
        notice_id: r.get(1)?,
        record: r.get(2)?,
        seq: r.get(3)?,
        template_id: r.get(4)?,
        template_version: r.get(5)?,
        variant_reason: r.get(6)?,
        channel: r.get(7)?,
        addressee: r.get(8)?,
        address_block: r.get(9)?,
        zip: r.get(10)?,
        code: r.get(11)?,
        pages: r.get(12)?,
        file: r.get(13)?,
        run_id: r.get(14)?,
        status: LetterStatus::parse(&status).unwrap_or(LetterStatus::Queued),
        status_at: r.get(16)?,
        reason: r.get(17)?,
        next_of_kin: r.get(18)?,
        remails: r.get(19)?,
    })
}

/// A notice's letters, in mailing order.
pub(crate) fn of_notice(conn: &Connection, notice: &str) -> Result<Vec<LetterRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT_LETTER} WHERE notice_id = ?1 ORDER BY seq"))?;
    let rows = stmt.query_map([notice], letter_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<LetterRow>> {
    Ok(conn
        .query_row(&format!("{SELECT_LETTER} WHERE id = ?1"), [id.trim()], letter_row)
        .optional()?)
}

pub(crate) fn insert(tx: &Transaction<'_>, l: &LetterRow) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO notice_letters (id, notice_id, person_id, seq, template_id, template_version, variant_reason, channel, addressee, address_block, zip, code, pages, file, run_id, status, status_at, reason, next_of_kin, remails)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    )?
    .execute(params![
        l.id, l.notice_id, l.record, l.seq, l.template_id, l.template_version, l.variant_reason,
        l.channel, l.addressee, l.address_block, l.zip, l.code, l.pages, l.file, l.run_id,
        l.status.as_str(), l.status_at, l.reason, l.next_of_kin, l.remails
    ])?;
    Ok(())
}

/// Rewrites a letter's plan (variant, channel, address, order) before it is mailed.
pub(crate) fn replan(tx: &Transaction<'_>, l: &LetterRow) -> Result<()> {
    tx.prepare_cached(
        "UPDATE notice_letters SET seq = ?2, template_id = ?3, template_version = ?4, variant_reason = ?5, channel = ?6,
         addressee = ?7, address_block = ?8, zip = ?9, status = ?10, status_at = ?11, reason = ?12 WHERE id = ?1",
    )?
    .execute(params![
        l.id, l.seq, l.template_id, l.template_version, l.variant_reason, l.channel, l.addressee,
        l.address_block, l.zip, l.status.as_str(), l.status_at, l.reason
    ])?;
    Ok(())
}

/// One status change of a letter, with its event.
pub(crate) struct Move<'a> {
    pub letter: &'a str,
    pub status: LetterStatus,
    /// When it happened (storage form).
    pub at: &'a str,
    pub reason: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub source: &'a str,
}

/// Sets a letter's status and adds the event.
pub(crate) fn move_to(
    tx: &Transaction<'_>,
    ctx: &Ctx,
    m: &Move<'_>,
    recorded_at: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE notice_letters SET status = ?2, status_at = ?3, reason = ?4 WHERE id = ?1",
    )?
    .execute(params![m.letter, m.status.as_str(), m.at, m.reason])?;
    event(tx, ctx, m, recorded_at)
}

/// Adds an event without changing the letter's status (a step on the way: returned, then
/// re-queued).
pub(crate) fn event(
    tx: &Transaction<'_>,
    ctx: &Ctx,
    m: &Move<'_>,
    recorded_at: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO letter_events (letter_id, status, at, reason, detail, source, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![m.letter, m.status.as_str(), m.at, m.reason, m.detail, m.source, recorded_at, ctx.actor])?;
    Ok(())
}

/// A letter's history: (status, at, reason, detail, source).
pub(crate) type EventRow = (String, String, Option<String>, Option<String>, String);

pub(crate) fn events(conn: &Connection, letter: &str) -> Result<Vec<EventRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, at, reason, detail, source FROM letter_events WHERE letter_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([letter], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A `merge_runs` row.
#[derive(Debug, Clone)]
pub(crate) struct RunRow {
    pub id: String,
    pub notice_id: String,
    pub kind: String,
    pub out_dir: String,
    pub batch_size: i64,
    pub per_person: bool,
    pub email_eml: bool,
    pub letters: i64,
    pub plan_sha256: String,
    pub checks_json: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub manifest_sha256: Option<String>,
    pub approved_event: Option<String>,
}

const SELECT_RUN: &str = "SELECT id, notice_id, kind, out_dir, batch_size, per_person, email_eml, letters, plan_sha256, checks_json, started_at, finished_at, manifest_sha256, approved_event FROM merge_runs";

fn run_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    Ok(RunRow {
        id: r.get(0)?,
        notice_id: r.get(1)?,
        kind: r.get(2)?,
        out_dir: r.get(3)?,
        batch_size: r.get(4)?,
        per_person: r.get(5)?,
        email_eml: r.get(6)?,
        letters: r.get(7)?,
        plan_sha256: r.get(8)?,
        checks_json: r.get(9)?,
        started_at: r.get(10)?,
        finished_at: r.get(11)?,
        manifest_sha256: r.get(12)?,
        approved_event: r.get(13)?,
    })
}

/// A notice's runs, newest first.
pub(crate) fn runs(conn: &Connection, notice: &str) -> Result<Vec<RunRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_RUN} WHERE notice_id = ?1 ORDER BY started_at DESC, rowid DESC"
    ))?;
    let rows = stmt.query_map([notice], run_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn insert_run(tx: &Transaction<'_>, r: &RunRow, by: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO merge_runs (id, notice_id, kind, out_dir, batch_size, per_person, email_eml, letters, plan_sha256, checks_json, started_at, started_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![r.id, r.notice_id, r.kind, r.out_dir, r.batch_size, r.per_person, r.email_eml, r.letters, r.plan_sha256, r.checks_json, r.started_at, by],
    )?;
    Ok(())
}

/// A file a run wrote: (name, kind, sha256, letters, pages).
pub(crate) type FileRow = (String, String, String, i64, i64);

pub(crate) fn files(conn: &Connection, run: &str) -> Result<Vec<FileRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, kind, sha256, letters, pages FROM merge_files WHERE run_id = ?1 ORDER BY rowid",
    )?;
    let rows = stmt
        .query_map([run], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn insert_file(tx: &Transaction<'_>, run: &str, f: &FileRow) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO merge_files (run_id, name, kind, sha256, letters, pages) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (run_id, name) DO NOTHING",
    )?
    .execute(params![run, f.0, f.1, f.2, f.3, f.4])?;
    Ok(())
}

/// Counts of a notice's letters by status.
pub(crate) fn status_counts(conn: &Connection, notice: &str) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, count(*) FROM notice_letters WHERE notice_id = ?1 GROUP BY status",
    )?;
    let rows = stmt
        .query_map([notice], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many people of the incident have no good address after their letters came back: counted
/// toward HIPAA substitute notice, beside those the list itself gives neither address nor e-mail
/// (who are counted from the list).
pub(crate) fn undeliverable(conn: &Connection, incident_uuid: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT l.person_id) FROM notice_letters l JOIN notices n ON n.id = l.notice_id
         WHERE n.incident_id = ?1 AND l.status = 'substitute' AND coalesce(l.reason, '') <> ?2",
        rusqlite::params![incident_uuid, super::merge::NO_CONTACT],
        |r| r.get(0),
    )?)
}

/// The printed letters of run `run` as mailed (the print file went to the mail).
pub(crate) fn mark_mailed(
    tx: &Transaction<'_>,
    ctx: &Ctx,
    run: &str,
    at: &str,
    reference: &str,
    now: &str,
) -> Result<usize> {
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM notice_letters WHERE run_id = ?1 AND status = 'printed' AND channel = 'mail'")?
        .query_map([run], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        move_to(
            tx,
            ctx,
            &Move {
                letter: id,
                status: LetterStatus::Mailed,
                at,
                reason: None,
                detail: Some(reference),
                source: run,
            },
            now,
        )?;
    }
    Ok(ids.len())
}
