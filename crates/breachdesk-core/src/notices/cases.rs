//! The notice use cases: draft, read (re-rendered when its inputs changed), check, approve,
//! record sent, confirm; and the template preview.

use super::narrative::{self, Narrative};
use super::org::{self, OrgProfile};
use super::render::{self, Job, Rendered};
use super::tables::{self, NewEvent, NewRendering, NoticeRow, NoticeRows};
use super::templates::{Template, TemplateKind, TemplateRows};
use super::{
    variant, Channel, ConfirmInput, DraftInput, Notice, NoticeStatus, Paper, Preview, PreviewInput,
    SentInput,
};
use crate::audit::Change;
use crate::incident::{self, Incident, Row};
use crate::individuals::{self, Individual};
use crate::obligations::{self, IncidentFacts, Obligation};
use crate::timeline::{self, TimelineKind};
use crate::{files, uuid7, Breachdesk, Ctx, Error, Result};
use breachdesk_rules::time::to_storage;
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::Path;

/// A proof file is at most this large.
const MAX_PROOF: u64 = 20 << 20;

/// Everything a notice of one obligation reads.
pub(super) struct Inputs {
    pub(super) inc: Row,
    pub(super) incident: Incident,
    pub(super) facts: IncidentFacts,
    pub(super) narrative: Narrative,
    pub(super) obligation: Obligation,
    pub(super) person: Option<Individual>,
    pub(super) org: OrgProfile,
    pub(super) logo: Option<Vec<u8>>,
    pub(super) templates: Vec<Template>,
    pub(super) parts: BTreeMap<String, String>,
    /// When notices to individuals were recorded as sent (storage form).
    pub(super) individual_sent: Vec<String>,
}

/// A notice's phase and the notice it amends (with its date).
pub(super) type Seq = (i64, Option<(String, NaiveDate)>);

impl Inputs {
    /// The render context's parts for notice `id` of these inputs (its person, its obligation).
    pub(super) fn parts_for<'a>(
        &'a self,
        id: &'a str,
        dated: NaiveDate,
        kind: &'a str,
        paper: Paper,
        seq: &'a Seq,
    ) -> super::context::Parts<'a> {
        super::context::Parts {
            org: &self.org,
            has_logo: self.logo.is_some(),
            incident: &self.incident,
            facts: &self.facts,
            narrative: &self.narrative,
            obligation: &self.obligation,
            person: self.person.as_ref(),
            notice_id: id,
            dated,
            kind,
            paper: paper.name(),
            amends: seq.1.as_ref().map(|(a, d)| (a.as_str(), *d)),
            sequence: seq.0,
            individual_sent: &self.individual_sent,
        }
    }
}

fn notice_id(now: chrono::DateTime<chrono::Utc>) -> String {
    let h = super::sha256_hex(uuid7(now).as_bytes());
    format!("NTC-{}", h[..8].to_uppercase())
}

fn today(now: chrono::DateTime<chrono::Utc>, zone: Tz) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

impl Breachdesk {
    /// One person on the incident's list, by record number.
    ///
    /// # Errors
    /// [`Error::NotFound`] naming the record.
    pub fn individual(&self, incident_id: &str, record: i64) -> Result<Individual> {
        let inc = self.incident_row(incident_id)?;
        let not_found = || Error::NotFound {
            entity: "record",
            id: format!("{record} on the list of {}", inc.human_id),
        };
        let n = u32::try_from(record).map_err(|_| not_found())?;
        let ids = self.list_ids(&inc.id)?;
        let id = ids.id(n);
        if n == 0 || id < ids.lo() || id > ids.hi() {
            return Err(not_found());
        }
        individuals::person_by_id(&*self.read()?, id)?.ok_or_else(not_found)
    }

    fn inputs(
        &self,
        ctx: &Ctx,
        incident_id: &str,
        obligation: &str,
        person: Option<i64>,
    ) -> Result<Inputs> {
        self.seed_templates(ctx)?;
        let (inc, ob_id) = self.obligation_of(incident_id, obligation)?;
        let obligation = self.one_obligation(&inc, &ob_id, ctx.now)?;
        let conn = self.read()?;
        let Some((org, logo, _)) = org::read(&conn)? else {
            return Err(Error::validation("org", "no organisation profile is set: every notice prints it. Set it with `breachdesk org set --file org.json` (or in the app: Settings → Organisation)"));
        };
        let narrative = narrative::read(&conn, &inc.id)?;
        let rows = TemplateRows(&conn);
        let templates = rows.latest()?;
        let parts = rows.parts()?;
        let individual_sent = NoticeRows(&conn).individual_sent(&inc.id)?;
        drop(conn);
        let facts = self.facts(&inc.id)?;
        let person = match person {
            Some(r) => Some(self.individual(&inc.id, r)?),
            // A population's notice (a mail merge's letter) reads as the letter to a specimen.
            None if is_population(&obligation) => Some(population_specimen(&obligation, &facts)),
            None => None,
        };
        Ok(Inputs {
            incident: self.get_incident(&inc.id)?,
            facts,
            inc,
            narrative,
            obligation,
            person,
            org,
            logo,
            templates,
            parts,
            individual_sent,
        })
    }

    /// The phase of a notice: 1, or one more than the notice it amends.
    fn sequence(&self, amends: Option<&str>) -> Result<(i64, Option<(String, NaiveDate)>)> {
        let Some(first) = amends else { return Ok((1, None)) };
        let conn = self.read()?;
        let rows = NoticeRows(&conn);
        let mut n = 1;
        let mut cur = Some(first.to_owned());
        let mut amended = None;
        while let Some(id) = cur {
            let r = rows
                .get(&id)?
                .ok_or_else(|| Error::NotFound { entity: "notice", id: id.clone() })?;
            if amended.is_none() {
                let d = NaiveDate::parse_from_str(&r.dated, "%Y-%m-%d").unwrap_or_default();
                amended = Some((r.id.clone(), d));
            }
            n += 1;
            cur = r.amends;
            if n > 100 {
                break;
            }
        }
        Ok((n, amended))
    }

    #[allow(clippy::too_many_arguments)]
    fn job_for<'a>(
        i: &'a Inputs,
        template: &'a Template,
        ctx_json: &'a serde_json::Value,
        paper: Paper,
        id: &'a str,
        data: &'a [String],
        dated: NaiveDate,
    ) -> Job<'a> {
        Job {
            template,
            parts: &i.parts,
            context: ctx_json,
            paper,
            org: &i.org,
            logo: i.logo.as_deref(),
            notice_id: id,
            obligation_key: &i.obligation.rule_id,
            residence: i.person.as_ref().and_then(|p| p.residence.as_deref()),
            data_types: data,
            dated,
        }
    }

    /// The context of `template` for notice `id`, with the enclosed sample letter's markup when
    /// the template encloses one.
    fn full_context(
        i: &Inputs,
        template: &Template,
        id: &str,
        dated: NaiveDate,
        paper: Paper,
        seq: (i64, Option<(String, NaiveDate)>),
    ) -> Result<serde_json::Value> {
        let kind = serde_json::to_value(template.meta.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let mut ctx = super::context::build(&i.parts_for(id, dated, &kind, paper, &seq));
        if template.meta.attach_sample {
            ctx["notice"]["sample"] =
                serde_json::Value::String(Self::sample_letter(i, id, dated, paper)?);
        }
        Ok(ctx)
    }

    /// The jurisdiction's resident letter for a specimen person (no one's personal information):
    /// the sample copy an attorney general asks for.
    fn sample_letter(i: &Inputs, id: &str, dated: NaiveDate, paper: Paper) -> Result<String> {
        let jurisdiction = i.obligation.jurisdiction.clone();
        let key = format!("{jurisdiction}-individuals");
        let specimen = specimen(&jurisdiction, &i.facts);
        let pick =
            variant::pick(&i.templates, &key, "individuals", Some(&specimen)).ok_or_else(|| {
                Error::validation(
                    "template",
                    format!("no template answers {key}, so no sample copy can be enclosed"),
                )
            })?;
        let mut obligation = i.obligation.clone();
        obligation.rule_id = key;
        obligation.recipient = "individuals".into();
        let kind = "individual";
        let ctx = super::context::build(&super::context::Parts {
            obligation: &obligation,
            person: Some(&specimen),
            amends: None,
            sequence: 1,
            ..i.parts_for(id, dated, kind, paper, &(1, None))
        });
        super::templates::render(&pick.template.id, &pick.template.source, &i.parts, &ctx)
    }

    fn data_of(i: &Inputs) -> Vec<String> {
        match &i.person {
            Some(p) if !p.data_elements.is_empty() => p.data_elements.clone(),
            _ => i.facts.data_types.clone(),
        }
    }

    /// Drafts the notice of one obligation (`--person`: the letter to one person on the list).
    /// The template is the one given, or the one the variant rule picks (shown as the notice's
    /// `variant_reason`). Drafting again returns the notice already drafted, unless `amends`
    /// names the notice this one amends or supplements.
    ///
    /// # Errors
    /// [`Error::NotFound`]: the incident, the obligation, the template, the record;
    /// [`Error::Validation`]: no organisation profile, a template error naming the field or the
    /// line and column, a notice already sent (draft a supplement with `amends`).
    pub fn draft_notice(&self, ctx: &Ctx, incident_id: &str, input: &DraftInput) -> Result<Notice> {
        if input.obligation.trim().is_empty() {
            return Err(Error::validation(
                "obligation",
                "is required (the key `obligations list` shows)",
            ));
        }
        let i = self.inputs(ctx, incident_id, &input.obligation, input.person)?;
        if input.amends.is_none() {
            if let Some(existing) = NoticeRows(&*self.read()?).existing(
                &i.inc.id,
                &i.obligation.id,
                input.person,
                input.template.as_deref(),
            )? {
                if matches!(existing.status, NoticeStatus::Sent | NoticeStatus::Confirmed) {
                    return Err(Error::validation(
                        "amends",
                        format!("{} was already sent for {}: a change is a new notice that amends it (--amends {})", existing.id, i.obligation.rule_id, existing.id),
                    ));
                }
                return self.notice(ctx, &existing.id);
            }
        }
        let amends = match &input.amends {
            Some(a) => {
                let r = NoticeRows(&*self.read()?)
                    .get(a)?
                    .ok_or_else(|| Error::NotFound { entity: "notice", id: a.clone() })?;
                if r.incident_id != i.inc.id {
                    return Err(Error::validation(
                        "amends",
                        format!("{} belongs to another incident", r.id),
                    ));
                }
                Some(r.id)
            }
            None => None,
        };
        let (template, reason) = match &input.template {
            Some(t) => {
                let t = t.trim();
                let found = i
                    .templates
                    .iter()
                    .find(|x| x.id == t)
                    .ok_or_else(|| Error::NotFound { entity: "template", id: t.to_owned() })?;
                if found.meta.kind == TemplateKind::Part {
                    return Err(Error::validation(
                        "template",
                        format!("{t} is a part: it is included by templates, not drafted"),
                    ));
                }
                (found, format!("chosen: {} ({})", found.meta.title, found.id))
            }
            None => {
                let p = variant::pick(&i.templates, &i.obligation.rule_id, &i.obligation.recipient, i.person.as_ref()).ok_or_else(|| {
                    Error::validation("template", format!("no template answers {}: add one whose front matter lists it in `obligations`, or pass --template", i.obligation.rule_id))
                })?;
                (p.template, p.reason)
            }
        };
        if template.meta.kind == TemplateKind::Individual && i.person.is_none() {
            return Err(Error::validation("person", format!("{} is a letter to one person: pass the record number that `individuals search` shows (--person RECORD_NO)", template.id)));
        }
        let paper = input.paper.unwrap_or(template.meta.paper);
        let id = notice_id(ctx.now);
        let dated = today(ctx.now, i.inc.fields.zone);
        let seq = self.sequence(amends.as_deref())?;
        let ctx_json = Self::full_context(&i, template, &id, dated, paper, seq)?;
        let data = Self::data_of(&i);
        let r = render::run(&Self::job_for(&i, template, &ctx_json, paper, &id, &data, dated))?;
        let row = NoticeRow {
            id: id.clone(),
            incident_id: i.inc.id.clone(),
            obligation_id: i.obligation.id.clone(),
            obligation_key: i.obligation.rule_id.clone(),
            template_id: template.id.clone(),
            person_record: input.person,
            paper: paper.name().to_owned(),
            dated: dated.format("%Y-%m-%d").to_string(),
            amends: amends.clone(),
            variant_reason: reason,
            status: NoticeStatus::Draft,
            created_at: to_storage(ctx.now),
            created_by: ctx.actor.clone(),
        };
        let at = to_storage(ctx.now);
        self.write(ctx, |tx| {
            tables::insert_notice(tx, &row)?;
            store_rendering(tx, &row.id, template.version, &r, &at)?;
            tables::insert_event(tx, &NewEvent { id: &uuid7(ctx.now), notice_id: &row.id, event: "drafted", at: &at, pdf_sha256: Some(&r.pdf_sha256), content_sha256: Some(&r.content_sha256), recorded_at: &at, recorded_by: &ctx.actor, ..NewEvent::default() })?;
            let what = match &amends {
                Some(a) => format!("Notice {} drafted for {} (amends {a}) from template {} v{}", row.id, row.obligation_key, template.id, template.version),
                None => format!("Notice {} drafted for {} from template {} v{}", row.id, row.obligation_key, template.id, template.version),
            };
            timeline::append_event(tx, ctx, &row.incident_id, TimelineKind::Notification, &what)?;
            Ok(((), vec![change("notice.draft", &row.id, serde_json::json!({
                "obligation": row.obligation_key, "template": format!("{}@{}", template.id, template.version),
                "person_record": row.person_record, "amends": row.amends, "pdf_sha256": r.pdf_sha256,
                "content_sha256": r.content_sha256, "variant": row.variant_reason,
            }))]))
        })?;
        self.view(&row.id)
    }

    /// A notice, re-rendered first when anything it reads changed (its template's latest
    /// version, the incident, its facts and narrative, the person, the organisation profile):
    /// a change voids an approval. A notice recorded as sent is never re-rendered.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] for a template that no longer renders.
    pub fn notice(&self, ctx: &Ctx, id: &str) -> Result<Notice> {
        let row = self.notice_row(id)?;
        if matches!(row.status, NoticeStatus::Sent | NoticeStatus::Confirmed) {
            return self.view(&row.id);
        }
        let (i, paper, dated, seq) = self.prepare(ctx, &row)?;
        let template =
            i.templates.iter().find(|t| t.id == row.template_id).ok_or_else(|| {
                Error::NotFound { entity: "template", id: row.template_id.clone() }
            })?;
        let ctx_json = Self::full_context(&i, template, &row.id, dated, paper, seq)?;
        let data = Self::data_of(&i);
        let job = Self::job_for(&i, template, &ctx_json, paper, &row.id, &data, dated);
        let latest = NoticeRows(&*self.read()?).latest_rendering(&row.id)?;
        if latest.is_some_and(|l| l.content_sha256 == render::content_hash(&job)) {
            return self.view(&row.id);
        }
        let r = render::run(&job)?;
        let at = to_storage(ctx.now);
        self.write(ctx, |tx| {
            store_rendering(tx, &row.id, template.version, &r, &at)?;
            let mut changes = vec![change("notice.render", &row.id, serde_json::json!({
                "template": format!("{}@{}", template.id, template.version), "pdf_sha256": r.pdf_sha256, "content_sha256": r.content_sha256,
            }))];
            if row.status == NoticeStatus::Approved {
                tables::insert_event(tx, &NewEvent { id: &uuid7(ctx.now), notice_id: &row.id, event: "voided", at: &at, note: Some("the notice, its template or the data it uses changed after approval"), pdf_sha256: Some(&r.pdf_sha256), content_sha256: Some(&r.content_sha256), recorded_at: &at, recorded_by: &ctx.actor, ..NewEvent::default() })?;
                tables::set_status(tx, &row.id, NoticeStatus::Draft, &at)?;
                timeline::append_event(tx, ctx, &row.incident_id, TimelineKind::Notification, &format!("Approval of notice {} voided: its content changed after approval", row.id))?;
                changes.push(change("notice.void", &row.id, serde_json::json!({"status": "draft"})));
            }
            Ok(((), changes))
        })?;
        self.view(&row.id)
    }

    /// Whether a stored notice goes to a whole population (merged letter by letter).
    pub(super) fn is_population_notice(&self, row: &NoticeRow) -> Result<bool> {
        let recipient: String = self.read()?.query_row(
            "SELECT recipient FROM obligations WHERE id = ?1",
            [&row.obligation_id],
            |r| r.get(0),
        )?;
        Ok(row.person_record.is_none()
            && recipient == "individuals"
            && row.obligation_key.ends_with("-individuals"))
    }

    pub(super) fn notice_row(&self, id: &str) -> Result<NoticeRow> {
        NoticeRows(&*self.read()?)
            .get(id)?
            .ok_or_else(|| Error::NotFound { entity: "notice", id: id.trim().to_owned() })
    }

    /// The incident's notices, by obligation. Those that can still change are brought up to date
    /// first (as [`Breachdesk::notice`]), so that a list never shows an approval a change has
    /// voided; one whose template no longer renders is shown as last rendered.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn notices(&self, ctx: &Ctx, incident_id: &str) -> Result<Vec<Notice>> {
        let inc = self.incident_row(incident_id)?;
        let rows = NoticeRows(&*self.read()?).of_incident(&inc.id)?;
        rows.iter()
            .map(|r| match r.status {
                NoticeStatus::Draft | NoticeStatus::Approved => {
                    self.notice(ctx, &r.id).or_else(|_| self.view(&r.id))
                }
                NoticeStatus::Sent | NoticeStatus::Confirmed => self.view(&r.id),
            })
            .collect()
    }

    /// The notice's current PDF and a file name for it.
    ///
    /// # Errors
    /// As [`Breachdesk::notice`].
    pub fn notice_pdf(&self, ctx: &Ctx, id: &str) -> Result<(String, Vec<u8>)> {
        let n = self.notice(ctx, id)?;
        let conn = self.read()?;
        let rows = NoticeRows(&conn);
        let latest = rows
            .latest_rendering(&n.id)?
            .ok_or_else(|| Error::NotFound { entity: "rendering of notice", id: n.id.clone() })?;
        let name = format!("{}-{}-{}.pdf", n.incident, files::safe_stem(&n.obligation_key), n.id);
        Ok((name, rows.pdf(&latest.id)?))
    }

    /// Approves a notice: binds the SHA-256 of its exact PDF (and of everything it was made
    /// from). Refused while a BLOCK finding stands, naming each.
    ///
    /// # Errors
    /// [`Error::Validation`] on `notice` naming each BLOCK finding (element and citation), or a
    /// notice already sent; on `by` when blank.
    pub fn approve_notice(&self, ctx: &Ctx, id: &str, by: &str) -> Result<Notice> {
        let by = incident::required("by", by, 200)?;
        let n = self.notice(ctx, id)?;
        match n.status {
            NoticeStatus::Draft => {}
            NoticeStatus::Approved => return Ok(n),
            NoticeStatus::Sent | NoticeStatus::Confirmed => {
                return Err(Error::validation(
                    "notice",
                    format!("{} was already sent; a change is a new notice that amends it", n.id),
                ))
            }
        }
        if !n.report.ok {
            let blocks: Vec<String> = n
                .report
                .findings
                .iter()
                .filter(|f| f.severity == super::Severity::Block)
                .map(|f| {
                    format!("BLOCK {} — {} ({}): {}", f.element, f.label, f.citation, f.message)
                })
                .collect();
            return Err(Error::validation(
                "notice",
                format!(
                    "{} cannot be approved while {} BLOCK finding(s) stand: {}",
                    n.id,
                    blocks.len(),
                    blocks.join("; ")
                ),
            ));
        }
        let at = to_storage(ctx.now);
        let row = self.notice_row(&n.id)?;
        // A population's notice is approved as merged: the approval binds every file's SHA-256.
        let merge = if row.person_record.is_none() && self.is_population_notice(&row)? {
            Some(self.merge_binding(ctx, &row, &n.content_sha256, true)?)
        } else {
            None
        };
        self.write(ctx, |tx| {
            let event = uuid7(ctx.now);
            let note = merge.as_ref().map(|(run, files)| format!("merge {}: manifest SHA-256 {}; {} files", run.id, run.manifest_sha256.clone().unwrap_or_default(), files.len()));
            tables::insert_event(tx, &NewEvent { id: &event, notice_id: &n.id, event: "approved", at: &at, by_name: Some(&by), pdf_sha256: Some(&n.pdf_sha256), content_sha256: Some(&n.content_sha256), note: note.as_deref(), recorded_at: &at, recorded_by: &ctx.actor, ..NewEvent::default() })?;
            tables::set_status(tx, &n.id, NoticeStatus::Approved, &at)?;
            let mut after = serde_json::json!({"by": by, "pdf_sha256": n.pdf_sha256, "content_sha256": n.content_sha256});
            let what = match &merge {
                Some((run, files)) => {
                    tx.execute("UPDATE merge_runs SET approved_event = ?2 WHERE id = ?1", rusqlite::params![run.id, event])?;
                    after["merge"] = serde_json::json!({"run": run.id, "manifest_sha256": run.manifest_sha256, "files": files.iter().map(|f| serde_json::json!({"name": f.0, "sha256": f.2})).collect::<Vec<_>>()});
                    format!("Notice {} ({}) approved by {by} as merged in {}: {} letters, manifest SHA-256 {}", n.id, n.obligation_key, run.id, run.letters, run.manifest_sha256.clone().unwrap_or_default())
                }
                None => format!("Notice {} ({}) approved by {by}; PDF SHA-256 {}", n.id, n.obligation_key, n.pdf_sha256),
            };
            timeline::append_event(tx, ctx, &row.incident_id, TimelineKind::Notification, &what)?;
            Ok(((), vec![change("notice.approve", &n.id, after)]))
        })?;
        self.view(&n.id)
    }

    /// Records an approved notice as sent, with its proof files. A notice to a regulator, the
    /// press or a population files its obligation in the same transaction (the due time freezes
    /// and the clocks that hang on it start); a letter to one person does not discharge the
    /// notice to everyone, so its obligation stays open.
    ///
    /// # Errors
    /// [`Error::Validation`]: not approved (or the approval was voided by a change), already
    /// sent, `sent_at`, `channel`, `reference`, `recipients`, a proof file.
    pub fn notice_sent(&self, ctx: &Ctx, id: &str, input: &SentInput) -> Result<Notice> {
        let n = self.notice(ctx, id)?;
        match n.status {
            NoticeStatus::Approved => {}
            NoticeStatus::Draft => {
                return Err(Error::validation("notice", format!("{} is not approved: it is sent only as approved (an approval is voided by any change)", n.id)))
            }
            NoticeStatus::Sent | NoticeStatus::Confirmed => {
                return Err(Error::validation("notice", format!("{} is already recorded as sent", n.id)))
            }
        }
        let row = self.notice_row(&n.id)?;
        let approval = tables::approval(&*self.read()?, &n.id)?;
        if approval.as_ref().is_none_or(|a| a.1 != n.pdf_sha256) {
            return Err(Error::validation(
                "notice",
                format!("{}: the approval does not match this PDF; approve it again", n.id),
            ));
        }
        let merge = if row.person_record.is_none() && self.is_population_notice(&row)? {
            let (run, _) = self.merge_binding(ctx, &row, &n.content_sha256, false)?;
            if run.approved_event.is_none() {
                return Err(Error::validation(
                    "notice",
                    format!("{}: merge {} is not the one approved; approve it again", n.id, run.id),
                ));
            }
            Some(run)
        } else {
            None
        };
        let inc = self.incident_row(&row.incident_id)?;
        let sent = obligations::past_time("sent_at", &input.sent_at, inc.fields.zone, ctx.now)?;
        let channel = Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == input.channel.trim())
            .ok_or_else(|| {
                Error::validation(
                    "channel",
                    format!(
                        "{:?} is not one of mail, email, portal, fax, press, phone",
                        input.channel
                    ),
                )
            })?;
        let reference = incident::required("reference", &input.reference, 500)?;
        let recipients = input.recipients.unwrap_or(1);
        if recipients < 1 {
            return Err(Error::validation("recipients", "is at least 1"));
        }
        let via = incident::clean_optional("via", input.via.clone(), 300)?;
        let note = incident::clean_optional("note", input.note.clone(), 20_000)?;
        let proofs = read_proofs(&input.proofs)?;
        let at = to_storage(ctx.now);
        let sent_s = to_storage(sent);
        self.write(ctx, |tx| {
            let event = uuid7(ctx.now);
            tables::insert_event(tx, &NewEvent { id: &event, notice_id: &n.id, event: "sent", at: &sent_s, pdf_sha256: Some(&n.pdf_sha256), content_sha256: Some(&n.content_sha256), channel: Some(channel.as_str()), reference: Some(&reference), recipients: Some(recipients), via: via.as_deref(), note: note.as_deref(), recorded_at: &at, recorded_by: &ctx.actor, ..NewEvent::default() })?;
            let mut hashes = Vec::new();
            for proof in &proofs {
                hashes.push(tables::insert_proof(tx, ctx, &n.id, &event, proof)?);
            }
            tables::set_status(tx, &n.id, NoticeStatus::Sent, &at)?;
            if let (Some(run), Channel::Mail) = (&merge, channel) {
                super::letters::mark_mailed(tx, ctx, &run.id, &sent_s, &reference, &at)?;
            }
            let mut changes = vec![change("notice.sent", &n.id, serde_json::json!({
                "sent_at": sent_s, "channel": channel.as_str(), "reference": reference, "recipients": recipients,
                "via": via, "pdf_sha256": n.pdf_sha256, "proofs": hashes,
            }))];
            if row.person_record.is_none() {
                let filed = obligations::Filed { sent, channel: Some(channel.as_str()), reference: Some(&reference), note: Some(&format!("notice {}", n.id)) };
                changes.extend(obligations::file(tx, ctx, &inc, &row.obligation_id, &filed)?);
            }
            timeline::append_event(tx, ctx, &row.incident_id, TimelineKind::Notification, &format!(
                "Notice {} ({}) sent by {}{}, reference {reference}, {recipients} recipient(s){}",
                n.id, n.obligation_key, channel.as_str(), via.as_ref().map(|v| format!(" via {v}")).unwrap_or_default(),
                if proofs.is_empty() { String::new() } else { format!(", {} proof file(s)", proofs.len()) }
            ))?;
            Ok(((), changes))
        })?;
        self.view(&n.id)
    }

    /// Records the recipient's confirmation of a sent notice: its number, when, and proof files
    /// (a portal receipt, a certificate of mailing).
    ///
    /// # Errors
    /// [`Error::Validation`]: not sent yet, `number`, `at`, a proof file.
    pub fn confirm_notice(&self, ctx: &Ctx, id: &str, input: &ConfirmInput) -> Result<Notice> {
        let row = self.notice_row(id)?;
        if row.status != NoticeStatus::Sent && row.status != NoticeStatus::Confirmed {
            return Err(Error::validation(
                "notice",
                format!("{} is not recorded as sent yet", row.id),
            ));
        }
        let inc = self.incident_row(&row.incident_id)?;
        let number = incident::required("number", &input.number, 500)?;
        let when = obligations::past_time("at", &input.at, inc.fields.zone, ctx.now)?;
        let note = incident::clean_optional("note", input.note.clone(), 20_000)?;
        let proofs = read_proofs(&input.proofs)?;
        let at = to_storage(ctx.now);
        let when_s = to_storage(when);
        self.write(ctx, |tx| {
            let event = uuid7(ctx.now);
            tables::insert_event(
                tx,
                &NewEvent {
                    id: &event,
                    notice_id: &row.id,
                    event: "confirmed",
                    at: &when_s,
                    reference: Some(&number),
                    note: note.as_deref(),
                    recorded_at: &at,
                    recorded_by: &ctx.actor,
                    ..NewEvent::default()
                },
            )?;
            let mut hashes = Vec::new();
            for proof in &proofs {
                hashes.push(tables::insert_proof(tx, ctx, &row.id, &event, proof)?);
            }
            tables::set_status(tx, &row.id, NoticeStatus::Confirmed, &at)?;
            timeline::append_event(
                tx,
                ctx,
                &row.incident_id,
                TimelineKind::Notification,
                &format!(
                    "Notice {} ({}) confirmed: number {number}{}",
                    row.id,
                    row.obligation_key,
                    if proofs.is_empty() {
                        String::new()
                    } else {
                        format!(", {} proof file(s)", proofs.len())
                    }
                ),
            )?;
            Ok((
                (),
                vec![change(
                    "notice.confirm",
                    &row.id,
                    serde_json::json!({"number": number, "at": when_s, "proofs": hashes}),
                )],
            ))
        })?;
        self.view(&row.id)
    }

    /// What a stored notice is made of: its inputs, paper, date and phase.
    #[allow(clippy::type_complexity)]
    pub(super) fn prepare(
        &self,
        ctx: &Ctx,
        row: &NoticeRow,
    ) -> Result<(Inputs, Paper, NaiveDate, (i64, Option<(String, NaiveDate)>))> {
        let i = self.inputs(ctx, &row.incident_id, &row.obligation_id, row.person_record)?;
        let paper = if row.paper == "a4" { Paper::A4 } else { Paper::Letter };
        let dated =
            NaiveDate::parse_from_str(&row.dated, "%Y-%m-%d").map_err(|_| Error::Unreadable {
                entity: "notice",
                id: row.id.clone(),
                field: "dated".into(),
                problem: format!("{:?} is not a date", row.dated),
                repair: "Restore the data directory from a backup".into(),
            })?;
        let seq = self.sequence(row.amends.as_deref())?;
        Ok((i, paper, dated, seq))
    }

    /// The notice's pages for the app's preview, drawn as in its PDF; a notice recorded as sent
    /// shows the text kept with its PDF (what it was made of may have changed since).
    ///
    /// # Errors
    /// As [`Breachdesk::notice`].
    pub fn notice_pages(&self, ctx: &Ctx, id: &str) -> Result<Preview> {
        let n = self.notice(ctx, id)?;
        if matches!(n.status, NoticeStatus::Sent | NoticeStatus::Confirmed) {
            let text = NoticeRows(&*self.read()?).text(&n.id)?;
            return Ok(Preview {
                pages: vec![],
                report: Some(n.report),
                text,
                error: None,
                variant_reason: n.variant_reason,
            });
        }
        let row = self.notice_row(&n.id)?;
        let (i, paper, dated, seq) = self.prepare(ctx, &row)?;
        let template = TemplateRows(&*self.read()?)
            .get(&n.template_id, Some(n.template_version))?
            .ok_or_else(|| Error::NotFound {
                entity: "template",
                id: format!("{} version {}", n.template_id, n.template_version),
            })?;
        let ctx_json = Self::full_context(&i, &template, &row.id, dated, paper, seq)?;
        let data = Self::data_of(&i);
        let r =
            render::run(&Self::job_for(&i, &template, &ctx_json, paper, &row.id, &data, dated))?;
        Ok(Preview {
            pages: render::svg_pages(&r.laid, i.logo.as_deref()),
            report: Some(r.report),
            text: r.text,
            error: None,
            variant_reason: n.variant_reason,
        })
    }

    /// Renders a template's text (saved or not) on the incident's real data: nothing is stored.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident; everything else comes back as the preview's `error`.
    pub fn preview_template(&self, ctx: &Ctx, input: &PreviewInput) -> Result<Preview> {
        let inc = self.incident_row(&input.incident)?;
        let fail = |e: Error, reason: String| Preview {
            pages: vec![],
            report: None,
            text: String::new(),
            error: Some(e.to_string()),
            variant_reason: reason,
        };
        let meta = match super::templates::front_matter(&input.source) {
            Ok(m) => m,
            Err(e) => return Ok(fail(e, String::new())),
        };
        let obligation = match &input.obligation {
            Some(o) => o.clone(),
            None => {
                let all = self.obligations(&inc.id, ctx.now)?;
                let probe = Template { meta: meta.clone(), ..Template::blank() };
                match all.iter().find(|o| variant::answers(&probe, &o.rule_id, &o.recipient)) {
                    Some(o) => o.rule_id.clone(),
                    None => {
                        return Ok(fail(
                            Error::validation(
                                "obligation",
                                format!(
                                    "no obligation of {} matches this template's obligations ({})",
                                    inc.human_id,
                                    meta.obligations.join(", ")
                                ),
                            ),
                            String::new(),
                        ))
                    }
                }
            }
        };
        let person = match (input.person, meta.kind) {
            (Some(p), _) => Some(p),
            (None, TemplateKind::Individual) => self.individual(&inc.id, 1).ok().map(|p| p.id),
            _ => None,
        };
        let mut i = match self.inputs(ctx, &inc.id, &obligation, person) {
            Ok(i) => i,
            Err(e) => return Ok(fail(e, String::new())),
        };
        let mut parts = i.parts.clone();
        if meta.kind == TemplateKind::Part {
            parts.insert(meta.id.clone(), input.source.clone());
        }
        i.parts = parts;
        let template = Template {
            id: meta.id.clone(),
            sha256: super::sha256_hex(input.source.as_bytes()),
            source: input.source.clone(),
            meta: meta.clone(),
            ..Template::blank()
        };
        let dated = today(ctx.now, i.inc.fields.zone);
        let reason = i
            .person
            .as_ref()
            .map_or_else(|| obligation.clone(), |p| format!("{obligation} · record {}", p.id));
        let ctx_json =
            match Self::full_context(&i, &template, "NTC-PREVIEW", dated, meta.paper, (1, None)) {
                Ok(c) => c,
                Err(e) => return Ok(fail(e, reason)),
            };
        let data = Self::data_of(&i);
        match render::run(&Self::job_for(
            &i,
            &template,
            &ctx_json,
            meta.paper,
            "NTC-PREVIEW",
            &data,
            dated,
        )) {
            Ok(r) => Ok(Preview {
                pages: render::svg_pages(&r.laid, i.logo.as_deref()),
                report: Some(r.report),
                text: r.text,
                error: None,
                variant_reason: reason,
            }),
            Err(e) => Ok(fail(e, reason)),
        }
    }

    /// A notice with its latest rendering and history (reads only).
    fn view(&self, id: &str) -> Result<Notice> {
        let conn = self.read()?;
        let rows = NoticeRows(&conn);
        let row =
            rows.get(id)?.ok_or_else(|| Error::NotFound { entity: "notice", id: id.to_owned() })?;
        let r = rows
            .latest_rendering(&row.id)?
            .ok_or_else(|| Error::NotFound { entity: "rendering of notice", id: row.id.clone() })?;
        let template = TemplateRows(&conn).get(&row.template_id, Some(r.template_version))?;
        let events = rows.events(&row.id)?;
        let approval = tables::approval(&conn, &row.id)?.filter(|a| a.1 == r.pdf_sha256);
        let (human, jurisdiction, recipient, label): (String, String, String, Option<String>) =
            conn.query_row(
                "SELECT i.human_id, o.jurisdiction, o.recipient, c.label FROM notices n
                 JOIN incidents i ON i.id = n.incident_id JOIN obligations o ON o.id = n.obligation_id
                 LEFT JOIN custom_obligations c ON c.rule_id = o.rule_id WHERE n.id = ?1",
                [&row.id],
                |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?)),
            )?;
        // "US-TX attorney general", "US HHS", or a contract clock's own label.
        let recipient = label.unwrap_or_else(|| {
            let words = serde_json::from_value::<breachdesk_rules::schema::Recipient>(
                serde_json::Value::String(recipient.clone()),
            )
            .map_or_else(
                |_| recipient.replace('_', " "),
                |r| breachdesk_rules::schema::recipient_label(r).to_owned(),
            );
            format!("{jurisdiction} {words}").trim().to_owned()
        });
        drop(conn);
        let addressee = match row.person_record {
            Some(p) => self
                .individual(&row.incident_id, p)
                .map_or_else(|_| format!("record {p}"), |x| individuals::addressee(&x)),
            None => recipient,
        };
        Ok(Notice {
            id: row.id,
            incident: human,
            obligation_key: row.obligation_key,
            obligation_id: row.obligation_id,
            template_id: row.template_id,
            template_version: r.template_version,
            template_title: template.map(|t| t.meta.title).unwrap_or_default(),
            person_record: row.person_record,
            addressee,
            paper: if row.paper == "a4" { Paper::A4 } else { Paper::Letter },
            dated: row.dated,
            amends: row.amends,
            variant_reason: row.variant_reason,
            status: row.status,
            pages: r.pages,
            pdf_sha256: r.pdf_sha256,
            content_sha256: r.content_sha256,
            report: r.report,
            approved_by: approval.map(|a| a.0),
            events,
            created_at: row.created_at,
            created_by: row.created_by,
        })
    }
}

/// Whether the obligation is a notice to every affected person (merged letter by letter).
pub(crate) fn is_population(o: &Obligation) -> bool {
    o.recipient == "individuals" && o.rule_id.ends_with("-individuals")
}

/// The specimen a population's notice is drafted for: a resident of the obligation's state, or
/// of no particular place for a federal or EU obligation.
fn population_specimen(o: &Obligation, facts: &IncidentFacts) -> Individual {
    let mut p = specimen(&o.jurisdiction, facts);
    if !o.jurisdiction.starts_with("US-") {
        p.residence = None;
        p.region = None;
    }
    p
}

/// A person who does not exist, living in `jurisdiction`: the addressee of a sample copy.
fn specimen(jurisdiction: &str, facts: &IncidentFacts) -> Individual {
    Individual {
        id: 0,
        external_id: None,
        full_name: "Jane Sample".into(),
        email: None,
        phone: None,
        address1: Some("123 Main Street".into()),
        address2: None,
        city: Some("Anytown".into()),
        region: Some(jurisdiction.trim_start_matches("US-").to_owned()),
        postal_code: Some("00000".into()),
        country: Some("US".into()),
        dob: None,
        residence: Some(jurisdiction.to_owned()),
        residence_source: None,
        minor: false,
        deceased: false,
        guardian: None,
        no_postal: false,
        no_email: false,
        email_consent: false,
        data_elements: facts.data_types.clone(),
        batch_id: String::new(),
        source_row: 0,
        residence_conflict: false,
        addressee: "Jane Sample".into(),
    }
}

pub(super) fn change(action: &'static str, id: &str, after: serde_json::Value) -> Change {
    Change {
        action,
        entity_type: "notice",
        entity_id: id.to_owned(),
        before: None,
        after: Some(after),
    }
}

fn store_rendering(
    tx: &rusqlite::Transaction<'_>,
    notice_id: &str,
    version: i64,
    r: &Rendered,
    at: &str,
) -> Result<()> {
    let report_json = serde_json::to_string(&r.report)
        .map_err(|source| Error::Json { what: "a checker report", source })?;
    tables::insert_rendering(
        tx,
        &NewRendering {
            id: &uuid7(
                chrono::DateTime::parse_from_rfc3339(at).map(|t| t.to_utc()).unwrap_or_default(),
            ),
            notice_id,
            template_version: version,
            content_sha256: &r.content_sha256,
            pdf: &r.pdf,
            pdf_sha256: &r.pdf_sha256,
            text: &r.text,
            report_json: &report_json,
            pages: i64::try_from(r.pages).unwrap_or(i64::MAX),
            at,
        },
    )
}

fn read_proofs(paths: &[String]) -> Result<Vec<(String, Vec<u8>)>> {
    paths
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let path = Path::new(p.trim());
            let bytes = files::read_bytes(path, "proof", MAX_PROOF)?;
            let name = path
                .file_name()
                .map_or_else(|| "proof".into(), |n| n.to_string_lossy().into_owned());
            Ok((name, bytes))
        })
        .collect()
}
