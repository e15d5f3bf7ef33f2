//! After the merge: the vendor's activation codes in, the vendor's return/status file (and SMTP
//! bounce lists) in, each letter's status, the people who end with no good address counted
//! toward substitute notice, and the 164.414 evidence out.
//!
//! The return/status file is CSV keyed by our letter id (the ACS keyline), one row per piece per
//! event — the columns are those of the canonical import proposed in the reference research
//! (notice-content.md 9.4) that Breachdesk acts on; README "Returns and status files" lists them.

use super::letters::{self, LetterRow, LetterStatus, Move};
use super::variant;
use crate::individuals::{self, Individual};
use crate::obligations::ObligationChange;
use crate::{files, Breachdesk, Ctx, Error, Result};
use breachdesk_rules::time::to_storage;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A code or return file is at most this large.
const MAX_FILE: u64 = 200 << 20;

/// What a codes import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CodesReport {
    pub file_sha256: String,
    #[ts(type = "number")]
    pub imported: i64,
    /// Already imported before (by an earlier file): not added twice.
    #[ts(type = "number")]
    pub already: i64,
    #[ts(type = "number")]
    pub unused: i64,
    #[ts(type = "number")]
    pub given: i64,
}

/// What a returns import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ReturnsReport {
    pub file_sha256: String,
    #[ts(type = "number")]
    pub rows: i64,
    /// Rows by event type.
    #[ts(type = "Record<string, number>")]
    pub events: BTreeMap<String, i64>,
    /// Letters re-queued to a new address (a re-mail: `notices merge` writes it).
    #[ts(type = "number")]
    pub requeued: i64,
    /// Letters whose person is now counted toward substitute notice.
    #[ts(type = "number")]
    pub substitute: i64,
    /// Letters routed to the next of kin (the person has died).
    #[ts(type = "number")]
    pub next_of_kin: i64,
    /// People of the incident without a usable address, after this file.
    #[ts(type = "number")]
    pub undeliverable: i64,
    /// What the new count did to the obligations (the substitute notice appears at 10).
    pub changes: Vec<ObligationChange>,
}

/// One letter as the people list and the evidence show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct LetterView {
    pub id: String,
    #[ts(type = "number")]
    pub record: i64,
    pub addressee: String,
    pub channel: String,
    pub status: LetterStatus,
    pub status_at: String,
    pub reason: Option<String>,
    pub variant: String,
    pub file: Option<String>,
    #[ts(type = "number | null")]
    pub pages: Option<i64>,
    pub has_code: bool,
    pub next_of_kin: bool,
    #[ts(type = "number")]
    pub remails: i64,
}

/// A notice's letters: counts by status and one page of letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PeoplePage {
    #[ts(type = "Record<string, number>")]
    pub counts: BTreeMap<String, i64>,
    #[ts(type = "number")]
    pub total: i64,
    pub letters: Vec<LetterView>,
}

impl LetterView {
    /// The status as a word.
    #[must_use]
    pub fn status_text(&self) -> &'static str {
        self.status.as_str()
    }
}

fn view(l: &LetterRow) -> LetterView {
    LetterView {
        id: l.id.clone(),
        record: l.record,
        addressee: l.addressee.clone(),
        channel: l.channel.clone(),
        status: l.status,
        status_at: l.status_at.clone(),
        reason: l.reason.clone(),
        variant: format!("{}@{}", l.template_id, l.template_version),
        file: l.file.clone(),
        pages: l.pages,
        has_code: l.code.is_some(),
        next_of_kin: l.next_of_kin,
        remails: l.remails,
    }
}

/// A bounced e-mail: the letter goes by first-class mail when there is a postal address
/// (re-queued for the re-mail), else its person counts toward substitute notice.
pub(crate) fn fall_back_to_mail(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx,
    l: &LetterRow,
    p: &Individual,
    at: &str,
    source: &str,
) -> Result<()> {
    let now = to_storage(ctx.now);
    if p.no_postal {
        return letters::move_to(
            tx,
            ctx,
            &Move {
                letter: &l.id,
                status: LetterStatus::Substitute,
                at,
                reason: Some("e-mail bounced and no postal address"),
                detail: None,
                source,
            },
            &now,
        );
    }
    tx.execute("UPDATE notice_letters SET channel = 'mail' WHERE id = ?1", [&l.id])?;
    letters::move_to(
        tx,
        ctx,
        &Move {
            letter: &l.id,
            status: LetterStatus::Bounced,
            at,
            reason: Some("e-mail bounced: goes by first-class mail in the next re-mail"),
            detail: None,
            source,
        },
        &now,
    )
}

/// Reads a CSV file into its header (lower-cased) and rows.
fn read_csv(path: &Path, field: &str) -> Result<(String, Vec<String>, Vec<Vec<String>>)> {
    let bytes = files::read_bytes(path, field, MAX_FILE)?;
    let sha = super::sha256_hex(&bytes);
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&bytes[..]);
    let mut rows = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| {
            Error::validation(field, format!("{} row {}: {e}", path.display(), k + 1))
        })?;
        rows.push(rec.iter().map(|s| s.trim().to_owned()).collect::<Vec<_>>());
    }
    if rows.is_empty() {
        return Err(Error::validation(field, format!("{} is empty", path.display())));
    }
    let header: Vec<String> =
        rows.remove(0).iter().map(|h| h.trim_start_matches('\u{feff}').to_lowercase()).collect();
    Ok((sha, header, rows))
}

/// The event types a returns file may carry.
const EVENTS: [&str; 9] = [
    "accepted",
    "mailed",
    "in_transit",
    "processed_for_delivery",
    "delivered",
    "returned",
    "deceased",
    "email_sent",
    "email_bounced",
];

impl Breachdesk {
    /// Imports a vendor's activation codes for the incident: one code per row (column `code` or
    /// `activation_code`, or a file of codes alone). A code already imported is not added twice;
    /// the same code twice in one file is an error naming both rows.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the file, row and code.
    pub fn import_codes(&self, ctx: &Ctx, incident_id: &str, path: &Path) -> Result<CodesReport> {
        let inc = self.incident_row(incident_id)?;
        let (sha, header, rows) = read_csv(path, "codes")?;
        let col = header.iter().position(|h| h == "code" || h == "activation_code");
        let mut codes: Vec<(usize, String)> = Vec::new();
        if col.is_none() && header.len() == 1 {
            codes.push((1, header[0].clone()));
        }
        let col = col.unwrap_or(0);
        let first = if codes.is_empty() { 2 } else { 1 };
        for (k, r) in rows.iter().enumerate() {
            codes.push((
                k + first + usize::from(first == 1),
                r.get(col).cloned().unwrap_or_default(),
            ));
        }
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (row, c) in &codes {
            if c.is_empty()
                || c.len() > 64
                || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
            {
                return Err(Error::validation("codes", format!("{} row {row}: {c:?} is not an activation code (letters, digits and '-', at most 64)", path.display())));
            }
            if let Some(prev) = seen.insert(c, *row) {
                return Err(Error::validation("codes", format!("{} rows {prev} and {row} carry the same code: a code is used on one letter only", path.display())));
            }
        }
        let at = to_storage(ctx.now);
        let (imported, already) = self.write(ctx, |tx| {
            let mut ins = tx.prepare_cached("INSERT INTO monitoring_codes (incident_id, code, file_sha256, imported_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")?;
            let mut imported = 0i64;
            for (_, c) in &codes {
                imported += i64::try_from(ins.execute(rusqlite::params![inc.id, c, sha, at])?).unwrap_or(0);
            }
            let already = i64::try_from(codes.len()).unwrap_or(0) - imported;
            crate::timeline::append_event(tx, ctx, &inc.id, crate::timeline::TimelineKind::Notification, &format!("{imported} credit-monitoring activation codes imported (file SHA-256 {sha}){}", if already > 0 { format!("; {already} were already imported") } else { String::new() }))?;
            Ok(((imported, already), vec![crate::audit::Change { action: "codes.import", entity_type: "incident", entity_id: inc.id.clone(), before: None, after: Some(serde_json::json!({"file_sha256": sha, "imported": imported, "already": already})) }]))
        })?;
        let (unused, given): (i64, i64) = self.read()?.query_row(
            "SELECT count(*) FILTER (WHERE letter_id IS NULL), count(letter_id) FROM monitoring_codes WHERE incident_id = ?1",
            [&inc.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(CodesReport { file_sha256: sha, imported, already, unused, given })
    }

    /// Imports a vendor's return/status file or an SMTP bounce list (CSV keyed by `letter_id`):
    /// each row moves its letter — mailed, delivered, returned (with the USPS reason), e-mailed,
    /// bounced. A new address re-queues the letter for a re-mail; `deceased` (or the reason
    /// `DEC`) routes it to the next of kin; a return with no new address counts the person toward
    /// substitute notice, and the obligations are recomputed (the diff is returned). Every row
    /// is checked before anything is written; the same file is not imported twice.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the file, row and column.
    pub fn import_returns(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        path: &Path,
    ) -> Result<ReturnsReport> {
        let inc = self.incident_row(incident_id)?;
        let (sha, header, rows) = read_csv(path, "returns")?;
        let col = |name: &str| header.iter().position(|h| h == name);
        let letter_col = col("letter_id").ok_or_else(|| {
            Error::validation(
                "returns",
                format!(
                    "{}: no letter_id column (the header has {})",
                    path.display(),
                    header.join(", ")
                ),
            )
        })?;
        let event_col = col("event_type").ok_or_else(|| {
            Error::validation("returns", format!("{}: no event_type column", path.display()))
        })?;
        let (ts_col, reason_col, evidence_col) =
            (col("event_ts"), col("return_reason_code"), col("evidence_ref"));
        let addr = [
            "new_address1",
            "new_address2",
            "new_city",
            "new_state",
            "new_postal_code",
            "new_country",
        ]
        .map(col);
        let source = format!("returns {}", &sha[..16]);
        let conn = self.read()?;
        let done: i64 = conn.query_row(
            "SELECT count(*) FROM letter_events WHERE substr(source, 1, length(?1)) = ?1",
            [&source],
            |r| r.get(0),
        )?;
        if done > 0 {
            return Err(Error::validation(
                "returns",
                format!(
                    "{} was already imported (SHA-256 {sha}): its rows are applied once",
                    path.display()
                ),
            ));
        }
        let ids = self.list_ids(&inc.id)?;
        let org = super::org::read(&conn)?.map(|o| o.0);
        struct Row {
            n: usize,
            letter: LetterRow,
            person: Individual,
            event: String,
            at: String,
            reason: Option<String>,
            evidence: Option<String>,
            new_address: Option<Individual>,
        }
        let mut parsed = Vec::with_capacity(rows.len());
        let get = |r: &Vec<String>, c: Option<usize>| {
            c.and_then(|c| r.get(c))
                .map(String::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        for (k, r) in rows.iter().enumerate() {
            let n = k + 2;
            let bad = |column: &str, what: String| {
                Error::validation(
                    "returns",
                    format!("{} row {n}, column {column}: {what}", path.display()),
                )
            };
            let id = r.get(letter_col).cloned().unwrap_or_default();
            let letter = letters::get(&conn, &id)?
                .ok_or_else(|| bad("letter_id", format!("{id:?} is not a letter of this store")))?;
            let belongs: Option<String> = conn
                .query_row(
                    "SELECT incident_id FROM notices WHERE id = ?1",
                    [&letter.notice_id],
                    |x| x.get(0),
                )
                .ok();
            if belongs.as_deref() != Some(inc.id.as_str()) {
                return Err(bad("letter_id", format!("{id} belongs to another incident")));
            }
            let event = r.get(event_col).map(|e| e.to_lowercase()).unwrap_or_default();
            if !EVENTS.contains(&event.as_str()) {
                return Err(bad(
                    "event_type",
                    format!("{event:?} is not one of {}", EVENTS.join(", ")),
                ));
            }
            let at = match get(r, ts_col) {
                Some(t) if t.len() == 10 => crate::obligations::past_time(
                    "event_ts",
                    &format!("{t}T12:00"),
                    inc.fields.zone,
                    ctx.now,
                )
                .map_err(|e| bad("event_ts", e.to_string()))?,
                Some(t) => crate::obligations::past_time("event_ts", &t, inc.fields.zone, ctx.now)
                    .map_err(|e| bad("event_ts", e.to_string()))?,
                None => ctx.now,
            };
            let person = individuals::person_by_id_cached(
                &conn,
                ids.id(u32::try_from(letter.record).unwrap_or(0)),
            )?
            .ok_or_else(|| {
                bad("letter_id", format!("the person of {id} is no longer on the list"))
            })?;
            let new_address = if addr.iter().any(|c| get(r, *c).is_some()) {
                let line1 = get(r, addr[0])
                    .ok_or_else(|| bad("new_address1", "is required with a new address".into()))?;
                let mut p = person.clone();
                p.address1 = Some(line1);
                p.address2 = get(r, addr[1]);
                p.city = get(r, addr[2]);
                p.region = get(r, addr[3]);
                p.postal_code = get(r, addr[4]);
                if let Some(c) = get(r, addr[5]) {
                    p.country = Some(c);
                }
                if p.city.is_none() && p.postal_code.is_none() {
                    return Err(bad(
                        "new_city",
                        "a new address needs a city or a postal code".into(),
                    ));
                }
                Some(p)
            } else {
                None
            };
            parsed.push(Row {
                n,
                letter,
                person,
                event,
                at: to_storage(at),
                reason: get(r, reason_col),
                evidence: get(r, evidence_col),
                new_address,
            });
        }
        let templates = super::templates::TemplateRows(&conn).latest()?;
        drop(conn);
        let now = to_storage(ctx.now);
        let mut report = ReturnsReport {
            file_sha256: sha.clone(),
            rows: i64::try_from(parsed.len()).unwrap_or(0),
            events: BTreeMap::new(),
            requeued: 0,
            substitute: 0,
            next_of_kin: 0,
            undeliverable: 0,
            changes: vec![],
        };
        let changes = self.write(ctx, |tx| {
            for r in &parsed {
                *report.events.entry(r.event.clone()).or_insert(0) += 1;
                let src = format!("{source} row {}", r.n);
                fn mv<'a>(r: &'a Row, src: &'a str, status: LetterStatus, reason: Option<&'a str>) -> Move<'a> {
                    Move { letter: &r.letter.id, status, at: &r.at, reason, detail: r.evidence.as_deref(), source: src }
                }
                let m = |status, reason| mv(r, &src, status, reason);
                let reason_code = r.reason.as_deref();
                let deceased = r.event == "deceased" || reason_code.is_some_and(|c| c.eq_ignore_ascii_case("DEC"));
                match r.event.as_str() {
                    "accepted" | "mailed" => letters::move_to(tx, ctx, &m(LetterStatus::Mailed, reason_code), &now)?,
                    "in_transit" | "processed_for_delivery" => letters::event(tx, ctx, &m(LetterStatus::Mailed, Some(&r.event)), &now)?,
                    "delivered" => letters::move_to(tx, ctx, &m(LetterStatus::Delivered, reason_code), &now)?,
                    "email_sent" => letters::move_to(tx, ctx, &m(LetterStatus::Emailed, reason_code), &now)?,
                    "email_bounced" => {
                        letters::event(tx, ctx, &m(LetterStatus::Bounced, reason_code), &now)?;
                        let current = letters::get(tx, &r.letter.id)?.unwrap_or_else(|| r.letter.clone());
                        fall_back_to_mail(tx, ctx, &current, &r.person, &r.at, &src)?;
                        if r.person.no_postal { report.substitute += 1 } else { report.requeued += 1 }
                    }
                    _ => {
                        // returned, or deceased
                        let why = reason_code.map_or_else(|| "returned".to_owned(), |c| format!("returned ({})", usps_reason(c)));
                        letters::event(tx, ctx, &m(LetterStatus::Returned, Some(&why)), &now)?;
                        if deceased {
                            report.next_of_kin += 1;
                            let mut p = r.person.clone();
                            p.deceased = true;
                            let ob_key: String = tx.query_row("SELECT obligation_key FROM notices WHERE id = ?1", [&r.letter.notice_id], |x| x.get(0))?;
                            let pick = variant::pick(&templates, &ob_key, "individuals", Some(&p));
                            if let Some(pk) = &pick {
                                tx.execute("UPDATE notice_letters SET next_of_kin = 1, template_id = ?2, template_version = ?3, variant_reason = ?4, addressee = ?5 WHERE id = ?1",
                                    rusqlite::params![r.letter.id, pk.template.id, pk.template.version, pk.reason, individuals::addressee(&p)])?;
                            }
                            match &r.new_address {
                                Some(a) => {
                                    requeue(tx, ctx, &r.letter, a, org.as_ref(), &r.at, &src, "deceased: re-queued to the next of kin's address", &now)?;
                                    report.requeued += 1;
                                }
                                // No substitute notice is owed for a next of kin's missing address (164.404(d)(2)).
                                None => letters::move_to(tx, ctx, &m(LetterStatus::Returned, Some("deceased: next-of-kin notice needs the next of kin's address")), &now)?,
                            }
                        } else if let Some(a) = &r.new_address {
                            requeue(tx, ctx, &r.letter, a, org.as_ref(), &r.at, &src, &format!("{why}: re-queued to the new address"), &now)?;
                            report.requeued += 1;
                        } else {
                            letters::move_to(tx, ctx, &m(LetterStatus::Substitute, Some(&format!("{why}, no new address: counted toward substitute notice"))), &now)?;
                            report.substitute += 1;
                        }
                    }
                }
            }
            crate::timeline::append_event(tx, ctx, &inc.id, crate::timeline::TimelineKind::Notification, &format!(
                "Return/status file imported ({} rows, SHA-256 {sha}): {} re-queued, {} toward substitute notice, {} to the next of kin",
                parsed.len(), report.requeued, report.substitute, report.next_of_kin))?;
            let (changes, mut audit) = individuals::counts_into_facts(tx, ctx, &inc)?;
            audit.push(crate::audit::Change { action: "returns.import", entity_type: "incident", entity_id: inc.id.clone(), before: None, after: Some(serde_json::json!({"file_sha256": sha, "rows": parsed.len(), "requeued": report.requeued, "substitute": report.substitute, "next_of_kin": report.next_of_kin})) });
            Ok((changes, audit))
        })?;
        report.changes = changes;
        report.undeliverable = self.facts(&inc.id)?.undeliverable;
        Ok(report)
    }

    /// Recomputes the incident's undeliverable count (and so the substitute-notice obligation).
    pub(crate) fn refresh_undeliverable(
        &self,
        ctx: &Ctx,
        incident_uuid: &str,
    ) -> Result<Vec<ObligationChange>> {
        let inc = self.incident_row(incident_uuid)?;
        self.write(ctx, |tx| {
            let (changes, mut audit) = individuals::counts_into_facts(tx, ctx, &inc)?;
            let n = letters::undeliverable(tx, &inc.id)?;
            audit.push(crate::audit::Change {
                action: "letters.undeliverable",
                entity_type: "incident",
                entity_id: inc.id.clone(),
                before: None,
                after: Some(serde_json::json!({ "returned_without_address": n })),
            });
            Ok((changes, audit))
        })
    }

    /// A notice's letters by status, and one page of them (`status` filters).
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] on `status`.
    pub fn notice_people(
        &self,
        id: &str,
        status: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<PeoplePage> {
        let row = self.notice_row(id)?;
        let want = match status.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(LetterStatus::parse(s).ok_or_else(|| {
                Error::validation(
                    "status",
                    format!(
                        "{s:?} is not one of {}",
                        LetterStatus::ALL.map(LetterStatus::as_str).join(", ")
                    ),
                )
            })?),
            None => None,
        };
        let conn = self.read()?;
        let counts: BTreeMap<String, i64> =
            letters::status_counts(&conn, &row.id)?.into_iter().collect();
        let all = letters::of_notice(&conn, &row.id)?;
        let matching: Vec<&LetterRow> =
            all.iter().filter(|l| want.is_none_or(|w| l.status == w)).collect();
        Ok(PeoplePage {
            counts,
            total: i64::try_from(matching.len()).unwrap_or(0),
            letters: matching.into_iter().skip(offset).take(limit).map(view).collect(),
        })
    }

    /// The 164.414 evidence of a notice's letters as CSV: for each person, what was sent (the
    /// variant, the approval and the file with its SHA-256), when and how, and every event after.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn notice_evidence_csv(&self, id: &str) -> Result<String> {
        let row = self.notice_row(id)?;
        let conn = self.read()?;
        let approval = super::tables::approval(&conn, &row.id)?;
        let runs = letters::runs(&conn, &row.id)?;
        let mut file_sha: BTreeMap<String, String> = BTreeMap::new();
        for r in &runs {
            for f in letters::files(&conn, &r.id)? {
                file_sha.insert(f.0, f.2);
            }
        }
        let mut out = String::from("letter_id,record_no,addressee,channel,variant,approved_by,file,file_sha256,status,status_at,reason,events\n");
        for l in letters::of_notice(&conn, &row.id)? {
            let events: Vec<String> = letters::events(&conn, &l.id)?
                .into_iter()
                .map(|(s, at, reason, detail, source)| {
                    let mut e = format!("{at} {s}");
                    for x in [reason, detail].into_iter().flatten() {
                        e.push_str(&format!(" ({x})"));
                    }
                    e.push_str(&format!(" [{source}]"));
                    e
                })
                .collect();
            let file = l.file.clone().unwrap_or_default();
            let fields = [
                l.id.clone(),
                l.record.to_string(),
                l.addressee.clone(),
                l.channel.clone(),
                format!("{}@{}", l.template_id, l.template_version),
                approval.as_ref().map(|a| a.0.clone()).unwrap_or_default(),
                file.clone(),
                file_sha.get(&file).cloned().unwrap_or_default(),
                l.status.as_str().to_owned(),
                l.status_at.clone(),
                l.reason.clone().unwrap_or_default(),
                events.join(" ; "),
            ];
            out.push_str(
                &fields.iter().map(|f| super::merge::csv_field(f)).collect::<Vec<_>>().join(","),
            );
            out.push('\n');
        }
        Ok(out)
    }
}

#[allow(clippy::too_many_arguments)]
fn requeue(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx,
    l: &LetterRow,
    a: &Individual,
    org: Option<&super::org::OrgProfile>,
    at: &str,
    src: &str,
    why: &str,
    now: &str,
) -> Result<()> {
    let lines = org.map_or_else(
        || vec![a.address1.clone().unwrap_or_default()],
        |o| super::context::address_lines(a, o),
    );
    tx.execute(
        "UPDATE notice_letters SET address_block = ?2, zip = ?3, channel = 'mail' WHERE id = ?1",
        rusqlite::params![l.id, lines.join("\n"), a.postal_code.clone().unwrap_or_default()],
    )?;
    letters::move_to(
        tx,
        ctx,
        &Move {
            letter: &l.id,
            status: LetterStatus::Queued,
            at,
            reason: Some(why),
            detail: Some(&lines.join(" | ")),
            source: src,
        },
        now,
    )
}

/// A USPS return reason in words (ACS deliverability codes and nixie reasons), the code kept.
fn usps_reason(code: &str) -> String {
    let c = code.trim().to_uppercase();
    let words = match c.as_str() {
        "ANK" => "Attempted – Not Known",
        "DEC" => "Deceased",
        "DIS" => "In Dispute",
        "IA" => "Insufficient Address",
        "ILL" => "Illegible",
        "NMR" => "No Mail Receptacle",
        "NSN" => "No Such Number",
        "NSS" => "No Such Street",
        "REF" => "Refused",
        "UTF" => "Unable to Forward",
        "VAC" => "Vacant",
        "K" => "Moved, Left No Address",
        "G" => "PO Box Closed",
        "W" => "Temporary Move",
        _ => return c,
    };
    format!("{c}: {words}")
}
