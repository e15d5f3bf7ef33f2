//! Mail merge: a population's notice (`HIPAA-individuals`, `US-CA-individuals`, …) as one letter
//! to each person the obligation covers, in the variant the variant rule picks for that person,
//! written into print-ready PDFs in mailing order with a manifest, one PDF per person, or e-mail.
//!
//! A merge is planned first (one transaction: each person's letter, variant, channel, address and
//! activation code), then written file by file: a file is written beside its name, flushed and
//! renamed, and only then recorded with its SHA-256. Killed at any point, the next merge of the
//! same plan finds the files it recorded intact and writes only the rest — the same letters, byte
//! for byte, never a letter in two files. The manifest is written last, from what was recorded.

use super::letters::{self, FileRow, LetterRow, LetterStatus, Move, RunRow};
use super::org::OrgProfile;
use super::render;
use super::templates::{Compiled, Template, TemplateKind};
use super::{context, sha256_hex, variant, NoticeStatus, Report};
use crate::files::{self, AtomicFile};
use crate::individuals::{self, Individual, Progress};
use crate::obligations::{IncidentFacts, Obligation};
use crate::{uuid7, Breachdesk, Ctx, Error, Result};
use breachdesk_docs::check::Subject;
use breachdesk_docs::layout::Laid;
use breachdesk_docs::stream::{Logo, PdfStream};
use breachdesk_docs::{layout, markup, pdf, Letterhead, Paper};
use breachdesk_rules::time::to_storage;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Letters per print file unless `batch_size` says otherwise.
pub const DEFAULT_BATCH: u32 = 5_000;

/// Why a letter has no channel; the first is counted from the list itself.
pub(crate) const NO_CONTACT: &str = "no postal address or e-mail on the list";
const NO_CONSENT: &str = "no postal address, and no consent to notice by e-mail";

/// What `notices merge` takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct MergeInput {
    /// The folder the files go to (created when missing).
    pub out_dir: String,
    /// Also one PDF per person (`letters/LETTER_ID.pdf`).
    pub per_person: bool,
    /// At most this many letters per print file.
    #[ts(type = "number | null")]
    pub batch_size: Option<u32>,
    /// The e-mail letters as `.eml` files (`email/LETTER_ID.eml`) too.
    pub email_eml: bool,
}

/// A file a merge wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct MergeFile {
    /// The file's name in the output folder (`letters/…` and `email/…` for those kinds).
    pub name: String,
    /// print | person | eml | manifest
    pub kind: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub letters: i64,
    #[ts(type = "number")]
    pub pages: i64,
}

impl From<FileRow> for MergeFile {
    fn from((name, kind, sha256, letters, pages): FileRow) -> Self {
        MergeFile { name, kind, sha256, letters, pages }
    }
}

/// The checker's report on one letter of a variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct VariantCheck {
    /// `id@version`
    pub template: String,
    pub title: String,
    #[ts(type = "number")]
    pub letters: i64,
    /// A record whose letter was checked: the first in mailing order, or one that blocks.
    #[ts(type = "number")]
    pub record: i64,
    /// The residences one letter each was checked for (a state's rules apply to its residents).
    #[serde(default)]
    pub residences: Vec<String>,
    /// The checks' findings together: ok when every checked letter passes.
    pub report: Report,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct MergeReport {
    pub notice: String,
    pub run: String,
    /// mail | re-mail
    pub kind: String,
    pub out_dir: String,
    #[ts(type = "number")]
    pub letters: i64,
    /// Letters by template (`id@version`).
    #[ts(type = "Record<string, number>")]
    pub by_variant: BTreeMap<String, i64>,
    /// Letters by channel: mail, email, none (no usable address: substitute notice).
    #[ts(type = "Record<string, number>")]
    pub by_channel: BTreeMap<String, i64>,
    pub variants: Vec<VariantCheck>,
    pub files: Vec<MergeFile>,
    /// The manifest's file name, once every file is written.
    pub manifest: Option<String>,
    pub manifest_sha256: Option<String>,
    /// Letters written by this call (the rest were found written by an earlier one).
    #[ts(type = "number")]
    pub written: i64,
    pub resumed: bool,
    pub finished: bool,
    /// No BLOCK finding in any variant: the merge can be approved.
    pub approvable: bool,
}

/// One person's letter as planned.
struct Planned {
    person: Individual,
    template: usize,
    reason: String,
    channel: &'static str,
    why_none: Option<&'static str>,
    address: Vec<String>,
    zip: String,
    sort: String,
}

/// Whether `ob` covers `p`: a state's law its residents whose exposed data it defines as personal
/// information (the incident's data when the list did not say); GDPR the EU/EEA residents, UK
/// GDPR the UK's; a federal or contractual obligation everyone on the list.
fn covers(ob: &Obligation, facts: &IncidentFacts, p: &Individual) -> Result<bool> {
    let j = ob.jurisdiction.as_str();
    let residence = p.residence.as_deref().unwrap_or("");
    if j.starts_with("US-") {
        if residence != j {
            return Ok(false);
        }
        let rules = crate::obligations::rules()?;
        let cd = rules
            .files
            .iter()
            .find(|f| f.jurisdiction == j && f.regime == breachdesk_rules::schema::Regime::State)
            .and_then(|f| f.covered_data.as_ref());
        return Ok(match cd {
            None => true,
            Some(cd) if p.data_elements.is_empty() => {
                facts.data_types.is_empty() || cd.covers(&facts.data_types)
            }
            Some(cd) => cd.covers(&p.data_elements),
        });
    }
    Ok(match j {
        "EU" => breachdesk_rules::jurisdiction::GDPR_COUNTRIES.contains(&residence),
        "GB" => residence == "GB",
        _ => true,
    })
}

/// The mailing-order key: ZIP, then family name, given names, record.
fn sort_key(zip: &str, name: &str, record: i64) -> String {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    let (last, rest) = words.split_last().map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
    format!("{zip:<10}\u{1}{last}\u{1}{}\u{1}{record:012}", rest.join(" "))
}

fn letter_id(notice: &str, record: i64) -> String {
    format!("{}{record:08}", notice.trim_start_matches("NTC-"))
}

/// The base of every letter's render context, converted once.
struct Base {
    org: minijinja::Value,
    incident: minijinja::Value,
    facts: minijinja::Value,
    narrative: minijinja::Value,
    obligation: minijinja::Value,
    notice: serde_json::Value,
    /// The whole context as JSON (person unset).
    json: serde_json::Value,
}

/// Everything that renders a notice's letters: shared by the threads that render.
pub(crate) struct Renderer<'a> {
    compiled: HashMap<(String, i64), Compiled>,
    base: Base,
    head: Letterhead,
    paper: Paper,
    org: &'a OrgProfile,
    facts: &'a IncidentFacts,
    legal_name: String,
}

/// One letter to render: the row and the person.
pub(crate) struct Job<'a> {
    pub letter: &'a LetterRow,
    pub person: &'a Individual,
}

impl<'a> Renderer<'a> {
    /// A renderer of the compiled templates over the context `base` (its `person` unset).
    pub(crate) fn new(
        compiled: HashMap<(String, i64), Compiled>,
        base: &serde_json::Value,
        head: Letterhead,
        paper: Paper,
        org: &'a OrgProfile,
        facts: &'a IncidentFacts,
    ) -> Self {
        let v = |k: &str| minijinja::Value::from_serialize(&base[k]);
        Renderer {
            compiled,
            base: Base {
                org: v("org"),
                incident: v("incident"),
                facts: v("facts"),
                narrative: v("narrative"),
                obligation: v("obligation"),
                notice: base["notice"].clone(),
                json: base.clone(),
            },
            head,
            paper,
            org,
            facts,
            legal_name: org.legal_name.clone(),
        }
    }

    /// The letter's render context as JSON (for the checker's `truthy`).
    fn person_value(&self, j: &Job<'_>) -> serde_json::Value {
        let mut person = context::person(j.person, self.facts, self.org);
        person["address_lines"] =
            serde_json::json!(j.letter.address_block.lines().collect::<Vec<_>>());
        person
    }

    fn notice_value(&self, j: &Job<'_>) -> serde_json::Value {
        let mut n = self.base.notice.clone();
        n["letter_id"] = serde_json::Value::String(j.letter.id.clone());
        n["activation_code"] =
            j.letter.code.clone().map_or(serde_json::Value::Null, serde_json::Value::String);
        n
    }

    /// The letter's whole render context as JSON (what the checker's `truthy` reads).
    fn full_json(&self, j: &Job<'_>) -> serde_json::Value {
        let mut v = self.base.json.clone();
        v["person"] = self.person_value(j);
        v["notice"] = self.notice_value(j);
        v
    }

    /// Renders and lays out one letter.
    pub(crate) fn lay(&self, j: &Job<'_>) -> Result<(String, Laid)> {
        let key = (j.letter.template_id.clone(), j.letter.template_version);
        let t = self.compiled.get(&key).ok_or_else(|| Error::NotFound {
            entity: "template",
            id: format!("{} version {}", key.0, key.1),
        })?;
        let b = &self.base;
        let ctx = minijinja::context! {
            org => b.org.clone(), incident => b.incident.clone(), facts => b.facts.clone(),
            narrative => b.narrative.clone(), obligation => b.obligation.clone(),
            person => minijinja::Value::from_serialize(self.person_value(j)),
            notice => minijinja::Value::from_serialize(self.notice_value(j)),
        };
        let text = t.render(ctx)?;
        let blocks = markup::parse(&text)
            .map_err(|e| Error::validation("template", format!("{} v{}: {e}", key.0, key.1)))?;
        let footer = format!("{} · letter {}", self.legal_name, j.letter.id);
        let laid = layout(&blocks, self.paper, &self.head, &footer)
            .map_err(|e| Error::validation("template", format!("letter {}: {e}", j.letter.id)))?;
        Ok((text, laid))
    }
}

/// Lays out `jobs` (64 at a time, on two threads) and writes their pages to `pdf`; `tick` hears
/// of each 64 and stops the work by answering `false` (then `None`). Gives each letter's pages.
pub(crate) fn print_letters<W: std::io::Write>(
    r: &Renderer<'_>,
    jobs: &[Job<'_>],
    pdf: &mut PdfStream<W>,
    path: &Path,
    tick: &mut dyn FnMut(usize) -> bool,
) -> Result<Option<Vec<usize>>> {
    let mut pages_of = Vec::with_capacity(jobs.len());
    for part in jobs.chunks(64) {
        for laid in lay_all(r, part)? {
            pages_of.push(laid.pages.len());
            for p in &laid.pages {
                pdf.page(p).map_err(|e| files::disk(path, e))?;
            }
        }
        if !tick(part.len()) {
            return Ok(None);
        }
    }
    Ok(Some(pages_of))
}

/// Lays out `jobs` on two threads, in order.
fn lay_all(r: &Renderer<'_>, jobs: &[Job<'_>]) -> Result<Vec<Laid>> {
    if jobs.len() < 8 {
        return jobs.iter().map(|j| r.lay(j).map(|x| x.1)).collect();
    }
    let (a, b) = jobs.split_at(jobs.len() / 2);
    let (ra, rb) = std::thread::scope(|s| {
        let h = s.spawn(|| b.iter().map(|j| r.lay(j).map(|x| x.1)).collect::<Result<Vec<_>>>());
        let ra = a.iter().map(|j| r.lay(j).map(|x| x.1)).collect::<Result<Vec<_>>>();
        (ra, h.join().unwrap_or_else(|_| Err(Error::Internal("a render thread panicked".into()))))
    });
    let mut out = ra?;
    out.extend(rb?);
    Ok(out)
}

impl Breachdesk {
    /// The people a population notice's obligation covers, each with the variant, channel and
    /// address of their letter, in mailing order.
    fn plan(&self, i: &super::cases::Inputs) -> Result<Vec<Planned>> {
        let templates = &i.templates;
        let mut out = Vec::new();
        let ob = &i.obligation;
        let mut err = None;
        self.for_each_individual(&i.inc.id, &mut |p| {
            if err.is_some() || !covers(ob, &i.facts, p)? {
                return Ok(());
            }
            let Some(pick) = variant::pick(templates, &ob.rule_id, &ob.recipient, Some(p)) else {
                err = Some(Error::validation("template", format!("no template answers {} for record {}: add one whose front matter lists it in `obligations`", ob.rule_id, p.id)));
                return Ok(());
            };
            let template = templates.iter().position(|t| std::ptr::eq(t, pick.template)).unwrap_or(0);
            let (channel, why_none) = if p.email_consent && p.email.is_some() && !p.deceased && !p.minor {
                ("email", None)
            } else if !p.no_postal {
                ("mail", None)
            } else if p.no_email {
                ("none", Some(NO_CONTACT))
            } else {
                ("none", Some(NO_CONSENT))
            };
            let address = context::address_lines(p, &i.org);
            let zip: String = p.postal_code.clone().unwrap_or_default();
            out.push(Planned {
                sort: sort_key(&zip, &p.full_name, p.id),
                person: p.clone(),
                template,
                reason: pick.reason,
                channel,
                why_none,
                address,
                zip,
            });
            Ok(())
        })?;
        if let Some(e) = err {
            return Err(e);
        }
        out.sort_by(|a, b| a.sort.cmp(&b.sort));
        Ok(out)
    }

    /// Merges a population notice into `input.out_dir`: plans it (or finds the plan unchanged),
    /// checks one letter of every variant, and writes the files the plan still lacks, reporting
    /// progress (`false` from `progress` stops between letters: what was recorded stays, the
    /// next merge goes on from there). A notice already sent merges its re-queued letters (the
    /// re-mail).
    ///
    /// # Errors
    /// [`Error::Validation`]: not a population's notice, `out_dir`, `batch_size`, a template
    /// error, too few activation codes; [`Error::Cancelled`] is not returned: a stop is a report
    /// with `finished: false`.
    pub fn merge_notice(
        &self,
        ctx: &Ctx,
        id: &str,
        input: &MergeInput,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<MergeReport> {
        let n = self.notice(ctx, id)?;
        let row = self.notice_row(&n.id)?;
        if row.person_record.is_some() {
            return Err(Error::validation("notice", format!("{} is a letter to one person; a merge is of a notice to a population (draft one without --person)", n.id)));
        }
        let batch = input.batch_size.unwrap_or(DEFAULT_BATCH);
        if batch == 0 || batch > 1_000_000 {
            return Err(Error::validation(
                "batch_size",
                "is between 1 and 1,000,000 letters per file",
            ));
        }
        let out_dir = PathBuf::from(input.out_dir.trim());
        if input.out_dir.trim().is_empty() {
            return Err(Error::validation("out_dir", "is required: the folder the files go to"));
        }
        if out_dir.exists() && !out_dir.is_dir() {
            return Err(Error::validation(
                "out_dir",
                format!("{} is a file, not a folder", out_dir.display()),
            ));
        }
        std::fs::create_dir_all(&out_dir).map_err(|e| files::disk(&out_dir, e))?;
        let (i, paper, dated, seq) = self.prepare(ctx, &row)?;
        if !super::cases::is_population(&i.obligation) {
            return Err(Error::validation("notice", format!("{} answers {}, which is not a notice to every affected person: only those are merged", n.id, i.obligation.rule_id)));
        }
        let resending = matches!(n.status, NoticeStatus::Sent | NoticeStatus::Confirmed);
        let now = to_storage(ctx.now);
        if !resending {
            let planned = self.plan(&i)?;
            self.store_plan(ctx, &n.id, &i, &planned, &now)?;
        }
        let conn = self.read()?;
        let all = letters::of_notice(&conn, &n.id)?;
        drop(conn);
        let kind = if resending { "re-mail" } else { "mail" };
        let mut run_letters: Vec<LetterRow> = all
            .iter()
            .filter(|l| {
                if resending {
                    matches!(l.status, LetterStatus::Queued | LetterStatus::Bounced)
                        && l.channel == "mail"
                } else {
                    l.status != LetterStatus::Withdrawn
                }
            })
            .cloned()
            .collect();
        run_letters.sort_by_key(|l| l.seq);
        if resending && run_letters.is_empty() {
            return Err(Error::validation("notice", format!("{} was sent and no letter is queued for a re-mail: a re-mail follows a returns file with new addresses (`notices returns`)", n.id)));
        }
        let renderer = self.renderer(&i, &n.id, paper, dated, seq)?;
        let people = self.people_of(&i.inc.id, &run_letters)?;
        // One letter of every variant for every residence, checked: a state's rules apply to its
        // residents' letters (`ny.*`, `ma.*`, …), and parts print by residence.
        let mut variants: Vec<VariantCheck> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let date = dated.format("%Y-%m-%d").to_string();
        for (k, l) in run_letters.iter().enumerate().filter(|(_, l)| l.channel != "none") {
            let key = format!("{}@{}", l.template_id, l.template_version);
            let residence = people[k].residence.clone().unwrap_or_default();
            let v = match variants.iter().position(|v| v.template == key) {
                Some(p) => p,
                None => {
                    let title = i
                        .templates
                        .iter()
                        .find(|t| t.id == l.template_id)
                        .map(|t| t.meta.title.clone())
                        .unwrap_or_default();
                    variants.push(VariantCheck {
                        template: key.clone(),
                        title,
                        letters: 0,
                        record: l.record,
                        residences: vec![],
                        report: Report { ok: true, findings: vec![], passed: vec![] },
                    });
                    variants.len() - 1
                }
            };
            variants[v].letters += 1;
            if !seen.insert((key, residence.clone())) {
                continue;
            }
            let job = Job { letter: l, person: &people[k] };
            let (_, laid) = renderer.lay(&job)?;
            let ctx_json = renderer.full_json(&job);
            let truthy = |p: &str| context::truthy(&ctx_json, p);
            let data = if people[k].data_elements.is_empty() {
                i.facts.data_types.clone()
            } else {
                people[k].data_elements.clone()
            };
            let report = render::rule_book()?.check(
                &laid,
                &Subject {
                    obligation: &i.obligation.rule_id,
                    residence: people[k].residence.as_deref(),
                    data_types: &data,
                    date: &date,
                    truthy: &truthy,
                },
            );
            let vc = &mut variants[v];
            if vc.report.ok && !report.ok {
                vc.record = l.record; // the letter shown is one that blocks
            }
            vc.residences.push(if residence.is_empty() { "unknown".into() } else { residence });
            vc.report.ok &= report.ok;
            for f in report.findings {
                if !vc
                    .report
                    .findings
                    .iter()
                    .any(|g| g.element == f.element && g.message == f.message)
                {
                    vc.report.findings.push(f);
                }
            }
            for p in report.passed {
                if !vc.report.passed.contains(&p) {
                    vc.report.passed.push(p);
                }
            }
        }
        let checks_json = serde_json::to_string(&variants)
            .map_err(|source| Error::Json { what: "variant checks", source })?;
        let plan_sha256 = plan_hash(&n.content_sha256, &run_letters, &i.templates, input, batch);
        let out_text = out_dir.to_string_lossy().into_owned();
        let runs = letters::runs(&*self.read()?, &n.id)?;
        let mut resumed = false;
        let run = match runs.iter().find(|r| r.plan_sha256 == plan_sha256 && r.out_dir == out_text)
        {
            Some(r) => {
                resumed = true;
                r.clone()
            }
            None => {
                let r = RunRow {
                    id: format!(
                        "RUN-{}",
                        &sha256_hex(uuid7(ctx.now).as_bytes())[..8].to_uppercase()
                    ),
                    notice_id: n.id.clone(),
                    kind: kind.to_owned(),
                    out_dir: out_text.clone(),
                    batch_size: i64::from(batch),
                    per_person: input.per_person,
                    email_eml: input.email_eml,
                    letters: i64::try_from(run_letters.len()).unwrap_or(i64::MAX),
                    plan_sha256: plan_sha256.clone(),
                    checks_json,
                    started_at: now.clone(),
                    finished_at: None,
                    manifest_sha256: None,
                    approved_event: None,
                };
                self.write(ctx, |tx| {
                    letters::insert_run(tx, &r, &ctx.actor)?;
                    let what = format!("Mail merge {} of notice {} started ({kind}): {} letters into {}", r.id, n.id, r.letters, r.out_dir);
                    crate::timeline::append_event(tx, ctx, &i.inc.id, crate::timeline::TimelineKind::Notification, &what)?;
                    let mut changes = vec![super::cases::change("notice.merge", &n.id, serde_json::json!({"run": r.id, "kind": kind, "letters": r.letters, "plan_sha256": r.plan_sha256}))];
                    // An approval binds one merge: a different one (the population, a variant or
                    // a letter changed) voids it.
                    if n.status == NoticeStatus::Approved {
                        super::tables::insert_event(tx, &super::tables::NewEvent { id: &uuid7(ctx.now), notice_id: &n.id, event: "voided", at: &now, note: Some("a new merge: the population, a variant or a letter changed after approval"), recorded_at: &now, recorded_by: &ctx.actor, ..super::tables::NewEvent::default() })?;
                        super::tables::set_status(tx, &n.id, NoticeStatus::Draft, &now)?;
                        crate::timeline::append_event(tx, ctx, &i.inc.id, crate::timeline::TimelineKind::Notification, &format!("Approval of notice {} voided: merge {} differs from the one approved", n.id, r.id))?;
                        changes.push(super::cases::change("notice.void", &n.id, serde_json::json!({"status": "draft", "merge": r.id})));
                    }
                    Ok(((), changes))
                })?;
                r
            }
        };
        let prefix = format!("{}-{}-{}", i.inc.human_id, n.id, run.id.trim_start_matches("RUN-"));
        let mut w = Writer {
            bd: self,
            ctx,
            run: &run,
            dir: &out_dir,
            done: letters::files(&*self.read()?, &run.id)?,
            written: 0,
            total: 0,
            finished_letters: 0,
            progress,
            now: &now,
            logo: i
                .logo
                .as_deref()
                .map(Logo::decode)
                .transpose()
                .map_err(|e| Error::validation("logo", e.0))?,
            kind,
        };
        clean_partials(&out_dir);
        let print: Vec<usize> =
            (0..run_letters.len()).filter(|&k| run_letters[k].channel == "mail").collect();
        let person: Vec<usize> = if input.per_person {
            (0..run_letters.len()).filter(|&k| run_letters[k].channel != "none").collect()
        } else {
            vec![]
        };
        let eml: Vec<usize> = if input.email_eml {
            (0..run_letters.len()).filter(|&k| run_letters[k].channel == "email").collect()
        } else {
            vec![]
        };
        w.total = (print.len() + person.len() + eml.len()) as u64;
        let mut stopped = false;
        for (b, chunk) in print.chunks(batch as usize).enumerate() {
            let name = format!("{prefix}-print-{:03}.pdf", b + 1);
            if !w.print_file(&renderer, &name, chunk, &run_letters, &people)? {
                stopped = true;
                break;
            }
        }
        if !stopped && !person.is_empty() {
            std::fs::create_dir_all(out_dir.join("letters"))
                .map_err(|e| files::disk(&out_dir, e))?;
            // One PDF per person, through the same engine as a single notice.
            let make = |k: usize| -> Result<(Vec<u8>, i64)> {
                let l = &run_letters[k];
                let (_, laid) = renderer.lay(&Job { letter: l, person: &people[k] })?;
                let info = pdf::Info {
                    title: format!("Letter {}", l.id),
                    author: renderer.legal_name.clone(),
                    subject: l.notice_id.clone(),
                    created_unix: unix(&now),
                };
                let bytes = pdf::write(&laid, &info, i.logo.as_deref())
                    .map_err(|e| Error::validation("logo", e.0))?;
                Ok((bytes, i64::try_from(laid.pages.len()).unwrap_or(0)))
            };
            for chunk in person.chunks(200) {
                if !w.letter_files(chunk, &run_letters, ("letters", "pdf", "person"), &make)? {
                    stopped = true;
                    break;
                }
            }
        }
        if !stopped && !eml.is_empty() {
            std::fs::create_dir_all(out_dir.join("email")).map_err(|e| files::disk(&out_dir, e))?;
            let make = |k: usize| -> Result<(Vec<u8>, i64)> {
                let job = Job { letter: &run_letters[k], person: &people[k] };
                Ok((
                    super::email::message(&renderer, &job, &i, &n.template_title, &now)?
                        .formatted(),
                    0,
                ))
            };
            for chunk in eml.chunks(200) {
                if !w.letter_files(chunk, &run_letters, ("email", "eml", "eml"), &make)? {
                    stopped = true;
                    break;
                }
            }
        }
        let written = w.written;
        let mut manifest = None;
        let mut manifest_sha = run.manifest_sha256.clone();
        if !stopped {
            let name = format!("{prefix}-manifest.csv");
            let (sha, _) =
                self.write_manifest(ctx, &run, &out_dir, &name, &i.inc.id, &n.id, &run_letters)?;
            manifest = Some(name);
            manifest_sha = Some(sha);
        }
        let files =
            letters::files(&*self.read()?, &run.id)?.into_iter().map(MergeFile::from).collect();
        let mut by_variant = BTreeMap::new();
        let mut by_channel = BTreeMap::new();
        for l in &run_letters {
            *by_variant.entry(format!("{}@{}", l.template_id, l.template_version)).or_insert(0) +=
                1;
            *by_channel.entry(l.channel.clone()).or_insert(0) += 1;
        }
        Ok(MergeReport {
            notice: n.id.clone(),
            run: run.id.clone(),
            kind: kind.to_owned(),
            out_dir: out_text,
            letters: i64::try_from(run_letters.len()).unwrap_or(i64::MAX),
            by_variant,
            by_channel,
            approvable: variants.iter().all(|v| v.report.ok),
            variants,
            files,
            manifest,
            manifest_sha256: manifest_sha,
            written,
            resumed,
            finished: !stopped,
        })
    }

    /// The people of `letters`, in the same order.
    fn people_of(&self, incident_uuid: &str, ls: &[LetterRow]) -> Result<Vec<Individual>> {
        let ids = self.list_ids(incident_uuid)?;
        let conn = self.read()?;
        ls.iter()
            .map(|l| {
                let n = u32::try_from(l.record).unwrap_or(0);
                individuals::person_by_id_cached(&conn, ids.id(n))?.ok_or_else(|| Error::NotFound {
                    entity: "record",
                    id: format!("{} (letter {})", l.record, l.id),
                })
            })
            .collect()
    }

    pub(super) fn renderer<'a>(
        &self,
        i: &'a super::cases::Inputs,
        notice_id: &str,
        paper: Paper,
        dated: chrono::NaiveDate,
        seq: (i64, Option<(String, chrono::NaiveDate)>),
    ) -> Result<Renderer<'a>> {
        let base = context::build(&context::Parts {
            person: None,
            ..i.parts_for(notice_id, dated, "individual", paper, &seq)
        });
        let mut compiled = HashMap::new();
        let conn = self.read()?;
        let rows = super::templates::TemplateRows(&conn);
        for l in letters::of_notice(&conn, notice_id)? {
            let key = (l.template_id.clone(), l.template_version);
            if compiled.contains_key(&key) {
                continue;
            }
            let t: Template = rows.get(&key.0, Some(key.1))?.ok_or_else(|| Error::NotFound {
                entity: "template",
                id: format!("{} version {}", key.0, key.1),
            })?;
            if t.meta.kind == TemplateKind::Part {
                continue;
            }
            compiled.insert(key, Compiled::new(&t.id, &t.source, &i.parts)?);
        }
        Ok(Renderer::new(
            compiled,
            &base,
            render::letterhead(&i.org, i.logo.as_deref()),
            paper,
            &i.org,
            &i.facts,
        ))
    }

    /// Stores the plan: new letters, changed ones re-planned, those no longer due withdrawn, and
    /// an activation code for each letter that needs one.
    fn store_plan(
        &self,
        ctx: &Ctx,
        notice: &str,
        i: &super::cases::Inputs,
        planned: &[Planned],
        now: &str,
    ) -> Result<()> {
        let existing: HashMap<i64, LetterRow> = letters::of_notice(&*self.read()?, notice)?
            .into_iter()
            .map(|l| (l.record, l))
            .collect();
        let monitoring = i.narrative.monitoring.is_some();
        let conn = self.read()?;
        let (unused, total_codes): (i64, i64) = conn.query_row(
            "SELECT count(*) FILTER (WHERE letter_id IS NULL), count(*) FROM monitoring_codes WHERE incident_id = ?1",
            [&i.inc.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        drop(conn);
        let wanting = planned
            .iter()
            .filter(|p| p.channel != "none")
            .filter(|p| existing.get(&p.person.id).is_none_or(|l| l.code.is_none()))
            .count();
        let give_codes = monitoring && total_codes > 0;
        if give_codes && i64::try_from(wanting).unwrap_or(i64::MAX) > unused {
            return Err(Error::validation("codes", format!("{wanting} letters need an activation code and {unused} unused codes are left: import the vendor's next code file (`breachdesk notices codes INCIDENT codes.csv`)")));
        }
        let mut changed = 0i64;
        let mut added = 0i64;
        let mut withdrawn = 0i64;
        self.write(ctx, |tx| {
            let mut next_code = tx.prepare_cached(
                "SELECT code FROM monitoring_codes WHERE incident_id = ?1 AND letter_id IS NULL ORDER BY rowid LIMIT 1",
            )?;
            let mut give = tx.prepare_cached("UPDATE monitoring_codes SET letter_id = ?3 WHERE incident_id = ?1 AND code = ?2 AND letter_id IS NULL")?;
            let mut set_code = tx.prepare_cached("UPDATE notice_letters SET code = ?2 WHERE id = ?1")?;
            let mut seen = std::collections::HashSet::new();
            for (k, p) in planned.iter().enumerate() {
                seen.insert(p.person.id);
                let t = &i.templates[p.template];
                let (status, reason) = match p.why_none {
                    Some(why) => (LetterStatus::Substitute, Some(why.to_owned())),
                    None => (LetterStatus::Queued, None),
                };
                let row = LetterRow {
                    id: letter_id(notice, p.person.id),
                    notice_id: notice.to_owned(),
                    record: p.person.id,
                    seq: i64::try_from(k + 1).unwrap_or(i64::MAX),
                    template_id: t.id.clone(),
                    template_version: t.version,
                    variant_reason: p.reason.clone(),
                    channel: p.channel.to_owned(),
                    addressee: individuals::addressee(&p.person),
                    address_block: p.address.join("\n"),
                    zip: p.zip.clone(),
                    code: None,
                    pages: None,
                    file: None,
                    run_id: None,
                    status,
                    status_at: now.to_owned(),
                    reason,
                    next_of_kin: p.person.deceased,
                    remails: 0,
                };
                let code_wanted = give_codes && p.channel != "none";
                match existing.get(&p.person.id) {
                    None => {
                        letters::insert(tx, &row)?;
                        letters::event(tx, ctx, &Move { letter: &row.id, status, at: now, reason: row.reason.as_deref(), detail: Some(&row.variant_reason), source: "plan" }, now)?;
                        added += 1;
                        if code_wanted {
                            let code: String = next_code.query_row([&i.inc.id], |r| r.get(0))?;
                            give.execute(rusqlite::params![i.inc.id, code, row.id])?;
                            set_code.execute(rusqlite::params![row.id, code])?;
                        }
                    }
                    // A letter already on its way is not re-planned.
                    Some(old) if !replannable(old) => {}
                    Some(old) => {
                        let same = old.seq == row.seq && old.template_id == row.template_id && old.template_version == row.template_version
                            && old.channel == row.channel && old.address_block == row.address_block && old.addressee == row.addressee
                            && (old.status == row.status || (old.status == LetterStatus::Printed && row.status == LetterStatus::Queued));
                        if !same {
                            letters::replan(tx, &row)?;
                            if old.status != row.status {
                                letters::event(tx, ctx, &Move { letter: &row.id, status, at: now, reason: row.reason.as_deref(), detail: Some("re-planned"), source: "plan" }, now)?;
                            }
                            changed += 1;
                        }
                        if code_wanted && old.code.is_none() {
                            let code: String = next_code.query_row([&i.inc.id], |r| r.get(0))?;
                            give.execute(rusqlite::params![i.inc.id, code, row.id])?;
                            set_code.execute(rusqlite::params![row.id, code])?;
                        }
                    }
                }
            }
            for old in existing.values().filter(|l| !seen.contains(&l.record) && replannable(l) && l.status != LetterStatus::Withdrawn) {
                letters::move_to(tx, ctx, &Move { letter: &old.id, status: LetterStatus::Withdrawn, at: now, reason: Some("no longer covered by the obligation"), detail: None, source: "plan" }, now)?;
                withdrawn += 1;
            }
            let changes = if added + changed + withdrawn > 0 {
                vec![super::cases::change("notice.plan", notice, serde_json::json!({"added": added, "re-planned": changed, "withdrawn": withdrawn, "letters": planned.len()}))]
            } else {
                vec![]
            };
            Ok(((), changes))
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn write_manifest(
        &self,
        ctx: &Ctx,
        run: &RunRow,
        dir: &Path,
        name: &str,
        incident_uuid: &str,
        notice: &str,
        run_letters: &[LetterRow],
    ) -> Result<(String, i64)> {
        let ids: std::collections::HashSet<&str> =
            run_letters.iter().map(|l| l.id.as_str()).collect();
        let rows: Vec<LetterRow> = letters::of_notice(&*self.read()?, notice)?
            .into_iter()
            .filter(|l| ids.contains(l.id.as_str()) && l.channel != "none")
            .collect();
        let mut csv = String::from("letter_id,record_no,variant,channel,file,pages,addressee,address_block,activation_code\n");
        for l in &rows {
            let fields = [
                l.id.clone(),
                l.record.to_string(),
                format!("{}@{}", l.template_id, l.template_version),
                l.channel.clone(),
                match (l.channel.as_str(), run.email_eml) {
                    ("email", true) => format!("email/{}.eml", l.id),
                    ("email", false) => String::new(),
                    _ => l.file.clone().unwrap_or_default(),
                },
                l.pages.map(|p| p.to_string()).unwrap_or_default(),
                l.addressee.clone(),
                l.address_block.replace('\n', " | "),
                l.code.clone().unwrap_or_default(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            csv.push_str(&line.join(","));
            csv.push('\n');
        }
        let sha = sha256_hex(csv.as_bytes());
        let path = dir.join(name);
        if run.manifest_sha256.as_deref() != Some(&sha) || !file_matches(&path, &sha) {
            if path.exists() {
                std::fs::remove_file(&path).map_err(|e| files::disk(&path, e))?;
            }
            AtomicFile::write_all(&path, csv.as_bytes())?;
        }
        let count = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        if run.finished_at.is_none() {
            let at = to_storage(ctx.now);
            self.write(ctx, |tx| {
                letters::insert_file(tx, &run.id, &(name.to_owned(), "manifest".into(), sha.clone(), count, 0))?;
                tx.execute("UPDATE merge_runs SET finished_at = ?2, manifest_sha256 = ?3 WHERE id = ?1", rusqlite::params![run.id, at, sha])?;
                crate::timeline::append_event(tx, ctx, incident_uuid, crate::timeline::TimelineKind::Notification, &format!("Mail merge {} of notice {notice} finished: {count} letters, manifest SHA-256 {sha}", run.id))?;
                Ok(((), vec![super::cases::change("notice.merged", notice, serde_json::json!({"run": run.id, "manifest_sha256": sha, "letters": count}))]))
            })?;
        }
        Ok((sha, count))
    }
}

/// Whether a letter is still only a plan (not mailed, e-mailed or tracked after).
fn replannable(l: &LetterRow) -> bool {
    match l.status {
        LetterStatus::Queued | LetterStatus::Printed | LetterStatus::Withdrawn => l.remails == 0,
        LetterStatus::Substitute => l.channel == "none",
        _ => false,
    }
}

/// The SHA-256 of what a run writes: the notice's content, each letter's plan, each variant's
/// text, and the output options. The same hash means the same files, byte for byte.
fn plan_hash(
    content: &str,
    ls: &[LetterRow],
    templates: &[Template],
    input: &MergeInput,
    batch: u32,
) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(render::ENGINE);
    h.update(content);
    h.update(format!("{batch}|{}|{}", input.per_person, input.email_eml));
    let mut seen = std::collections::BTreeSet::new();
    for l in ls {
        h.update(format!(
            "\n{}|{}|{}@{}|{}|{}|{}|{}|{}",
            l.id,
            l.record,
            l.template_id,
            l.template_version,
            l.channel,
            l.addressee,
            l.address_block,
            l.code.as_deref().unwrap_or(""),
            l.remails
        ));
        seen.insert((l.template_id.clone(), l.template_version));
    }
    for (id, v) in seen {
        if let Some(t) = templates.iter().find(|t| t.id == id && t.version == v) {
            h.update(&t.sha256);
        }
    }
    hex::encode(h.finalize())
}

pub(crate) fn csv_field(s: &str) -> String {
    let s = individuals::spreadsheet_safe(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Whether the file at `path` has SHA-256 `sha`.
fn file_matches(path: &Path, sha: &str) -> bool {
    use sha2::{Digest, Sha256};
    let Ok(mut f) = std::fs::File::open(path) else { return false };
    let mut h = Sha256::new();
    if std::io::copy(&mut f, &mut h).is_err() {
        return false;
    }
    hex::encode(h.finalize()) == sha
}

/// Removes the temporary files a killed merge left (`.NAME.RANDOM.partial`).
fn clean_partials(dir: &Path) {
    for sub in [dir.to_owned(), dir.join("letters"), dir.join("email")] {
        if let Ok(entries) = std::fs::read_dir(&sub) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') && name.ends_with(".partial") {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
}

/// A run's writing: file by file, each recorded once written.
struct Writer<'a, 'p> {
    bd: &'a Breachdesk,
    ctx: &'a Ctx,
    run: &'a RunRow,
    dir: &'a Path,
    done: Vec<FileRow>,
    written: i64,
    total: u64,
    finished_letters: u64,
    progress: &'p mut dyn FnMut(Progress) -> bool,
    now: &'a str,
    logo: Option<Logo>,
    kind: &'a str,
}

impl Writer<'_, '_> {
    fn tick(&mut self, n: usize) -> bool {
        self.finished_letters += n as u64;
        (self.progress)(Progress {
            rows: self.finished_letters,
            bytes: Some(self.finished_letters),
            total_bytes: self.total,
        })
    }

    /// Whether `name` is recorded and on disk intact.
    fn already(&self, name: &str) -> bool {
        self.done.iter().any(|f| f.0 == name && file_matches(&self.dir.join(name), &f.2))
    }

    /// Writes one print file; `false` when stopped.
    fn print_file(
        &mut self,
        r: &Renderer<'_>,
        name: &str,
        chunk: &[usize],
        ls: &[LetterRow],
        people: &[Individual],
    ) -> Result<bool> {
        if self.already(name) {
            return Ok(self.tick(chunk.len()));
        }
        let path = self.dir.join(name);
        if path.exists() {
            // Written by a run killed before it recorded the file: the same bytes come again.
            std::fs::remove_file(&path).map_err(|e| files::disk(&path, e))?;
        }
        let file = AtomicFile::create(&path)?;
        let info = pdf::Info {
            title: name.to_owned(),
            author: r.legal_name.clone(),
            subject: format!("mail merge {}", self.run.id),
            created_unix: unix(self.now),
        };
        let out = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut pdf = PdfStream::new(out, r.paper, &info, self.logo.as_ref())
            .map_err(|e| files::disk(&path, e))?;
        let jobs: Vec<Job<'_>> =
            chunk.iter().map(|&k| Job { letter: &ls[k], person: &people[k] }).collect();
        let Some(pages_of) = print_letters(r, &jobs, &mut pdf, &path, &mut |n| self.tick(n))?
        else {
            return Ok(false); // the temporary file is removed as it drops
        };
        let (out, pages) = pdf.finish().map_err(|e| files::disk(&path, e))?;
        let file = out.into_inner().map_err(|e| files::disk(&path, e.into_error()))?;
        file.commit()?;
        crate::failpoint::hit("merge.file_written");
        let sha = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            let mut f = std::fs::File::open(&path).map_err(|e| files::disk(&path, e))?;
            std::io::copy(&mut f, &mut h).map_err(|e| files::disk(&path, e))?;
            hex::encode(h.finalize())
        };
        let status =
            if self.kind == "re-mail" { LetterStatus::Remailed } else { LetterStatus::Printed };
        let rec = (
            name.to_owned(),
            "print".to_owned(),
            sha,
            i64::try_from(chunk.len()).unwrap_or(0),
            i64::try_from(pages).unwrap_or(0),
        );
        let (ctx, run, now) = (self.ctx, self.run, self.now);
        self.bd.write(ctx, |tx| {
            letters::insert_file(tx, &run.id, &rec)?;
            let mut set = tx.prepare_cached("UPDATE notice_letters SET pages = ?2, file = ?3, run_id = ?4 WHERE id = ?1")?;
            for (j, &k) in chunk.iter().enumerate() {
                let l = &ls[k];
                set.execute(rusqlite::params![l.id, i64::try_from(pages_of[j]).unwrap_or(0), name, run.id])?;
                if self.kind == "re-mail" {
                    tx.execute("UPDATE notice_letters SET remails = remails + 1 WHERE id = ?1", [&l.id])?;
                }
                letters::move_to(tx, ctx, &Move { letter: &l.id, status, at: now, reason: None, detail: Some(name), source: &run.id }, now)?;
            }
            Ok(((), vec![super::cases::change("notice.merge_file", &run.notice_id, serde_json::json!({"run": run.id, "file": rec.0, "sha256": rec.2, "letters": rec.3, "pages": rec.4}))]))
        })?;
        crate::failpoint::hit("merge.file_recorded");
        self.written += i64::try_from(chunk.len()).unwrap_or(0);
        self.done.push(rec);
        Ok(true)
    }

    /// One file per letter of `chunk` under `sub/` (`kind`: person, eml), made by `make` (the
    /// bytes and the pages), recorded per chunk; a file recorded and intact is not made again.
    fn letter_files(
        &mut self,
        chunk: &[usize],
        ls: &[LetterRow],
        (sub, ext, kind): (&str, &str, &str),
        make: &dyn Fn(usize) -> Result<(Vec<u8>, i64)>,
    ) -> Result<bool> {
        let mut recs = Vec::new();
        for &k in chunk {
            let name = format!("{sub}/{}.{ext}", ls[k].id);
            if self.already(&name) {
                continue;
            }
            let (bytes, pages) = make(k)?;
            let path = self.dir.join(&name);
            if path.exists() {
                std::fs::remove_file(&path).map_err(|e| files::disk(&path, e))?;
            }
            AtomicFile::write_all(&path, &bytes)?;
            recs.push((name, kind.to_owned(), sha256_hex(&bytes), 1, pages));
        }
        self.record(recs)?;
        Ok(self.tick(chunk.len()))
    }

    fn record(&mut self, recs: Vec<FileRow>) -> Result<()> {
        if recs.is_empty() {
            return Ok(());
        }
        let run = self.run;
        self.bd.write(self.ctx, |tx| {
            for f in &recs {
                letters::insert_file(tx, &run.id, f)?;
            }
            Ok((
                (),
                vec![super::cases::change(
                    "notice.merge_file",
                    &run.notice_id,
                    serde_json::json!({"run": run.id, "files": recs.len()}),
                )],
            ))
        })?;
        self.done.extend(recs);
        Ok(())
    }
}

fn unix(storage: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(storage).map_or(0, |t| t.timestamp())
}

impl Breachdesk {
    /// The merge an approval of population notice `row` binds: its latest finished run, when the
    /// population, the variants and every letter are still as that run wrote them, its files are
    /// on disk with their recorded SHA-256, and no variant has a BLOCK finding.
    ///
    /// # Errors
    /// [`Error::Validation`] on `notice` saying which of these does not hold.
    pub(crate) fn merge_binding(
        &self,
        ctx: &Ctx,
        row: &super::tables::NoticeRow,
        content_sha256: &str,
        replan: bool,
    ) -> Result<(RunRow, Vec<FileRow>)> {
        let (i, _, _, _) = self.prepare(ctx, row)?;
        let conn = self.read()?;
        let runs = letters::runs(&conn, &row.id)?;
        let Some(run) = runs.iter().find(|r| r.kind == "mail" && r.finished_at.is_some()).cloned()
        else {
            return Err(Error::validation("notice", format!("{} goes to every affected person: merge it first (`breachdesk notices merge {} -o OUT_DIR`), then approve the merge", row.id, row.id)));
        };
        let all = letters::of_notice(&conn, &row.id)?;
        let files = letters::files(&conn, &run.id)?;
        drop(conn);
        let again = |why: String| {
            Error::validation(
                "notice",
                format!("{}: {why} since merge {}: merge again, then approve", row.id, run.id),
            )
        };
        if !replan {
            // After approval letters move on (e-mailed, bounced): the approved files are what goes.
            intact(&run, &files).map_err(again)?;
            return Ok((run, files));
        }
        let planned = self.plan(&i)?;
        let by_record: HashMap<i64, &LetterRow> = all.iter().map(|l| (l.record, l)).collect();
        for (k, p) in planned.iter().enumerate() {
            let t = &i.templates[p.template];
            match by_record.get(&p.person.id) {
                Some(l) if !replannable(l) => {}
                Some(l) if l.seq == i64::try_from(k + 1).unwrap_or(0) && l.template_id == t.id && l.template_version == t.version && l.channel == p.channel && l.address_block == p.address.join("\n") => {}
                _ => return Err(again(format!("the letter of record {} changed (its variant, channel, address or place in the mailing)", p.person.id))),
            }
        }
        let live = all.iter().filter(|l| l.status != LetterStatus::Withdrawn).count();
        if live != planned.len() {
            return Err(again(format!(
                "the population changed ({} letters planned, {} now)",
                live,
                planned.len()
            )));
        }
        let mut run_letters: Vec<LetterRow> =
            all.into_iter().filter(|l| l.status != LetterStatus::Withdrawn).collect();
        run_letters.sort_by_key(|l| l.seq);
        let input = MergeInput {
            out_dir: run.out_dir.clone(),
            per_person: run.per_person,
            batch_size: None,
            email_eml: run.email_eml,
        };
        let batch = u32::try_from(run.batch_size).unwrap_or(DEFAULT_BATCH);
        if plan_hash(content_sha256, &run_letters, &i.templates, &input, batch) != run.plan_sha256 {
            return Err(again("the notice, a variant's template or a letter changed".into()));
        }
        intact(&run, &files).map_err(again)?;
        let checks: Vec<VariantCheck> = serde_json::from_str(&run.checks_json).unwrap_or_default();
        let blocks: Vec<String> = checks
            .iter()
            .flat_map(|v| {
                v.report.findings.iter().filter(|f| f.severity == super::Severity::Block).map(
                    move |f| {
                        format!(
                            "{} (record {}): BLOCK {} — {} ({})",
                            v.template, v.record, f.element, f.label, f.citation
                        )
                    },
                )
            })
            .collect();
        if !blocks.is_empty() {
            return Err(Error::validation(
                "notice",
                format!(
                    "{} cannot be approved while {} BLOCK finding(s) stand in its variants: {}",
                    row.id,
                    blocks.len(),
                    blocks.join("; ")
                ),
            ));
        }
        Ok((run, files))
    }
}

/// Whether a run's print files and manifest are on disk as recorded.
fn intact(run: &RunRow, files: &[FileRow]) -> std::result::Result<(), String> {
    let dir = Path::new(&run.out_dir);
    for f in files.iter().filter(|f| f.1 == "print" || f.1 == "manifest") {
        if !file_matches(&dir.join(&f.0), &f.2) {
            return Err(format!(
                "{} is missing or no longer matches its recorded SHA-256",
                dir.join(&f.0).display()
            ));
        }
    }
    Ok(())
}

/// A merge run as the app lists it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct MergeRun {
    pub id: String,
    /// mail | re-mail
    pub kind: String,
    pub out_dir: String,
    #[ts(type = "number")]
    pub letters: i64,
    pub started_at: String,
    pub finished: bool,
    pub manifest_sha256: Option<String>,
    /// The approval of the notice binds this run.
    pub approved: bool,
    /// Its print files and manifest (per-person and .eml files are counted only).
    pub files: Vec<MergeFile>,
    #[ts(type = "number")]
    pub other_files: i64,
    pub variants: Vec<VariantCheck>,
}

impl Breachdesk {
    /// A notice's merge runs, newest first.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn merge_runs(&self, id: &str) -> Result<Vec<MergeRun>> {
        let row = self.notice_row(id)?;
        let conn = self.read()?;
        letters::runs(&conn, &row.id)?
            .into_iter()
            .map(|r| {
                let all = letters::files(&conn, &r.id)?;
                let other = all.iter().filter(|f| f.1 == "person" || f.1 == "eml").count();
                Ok(MergeRun {
                    files: all
                        .into_iter()
                        .filter(|f| f.1 == "print" || f.1 == "manifest")
                        .map(MergeFile::from)
                        .collect(),
                    other_files: i64::try_from(other).unwrap_or(0),
                    variants: serde_json::from_str(&r.checks_json).unwrap_or_default(),
                    id: r.id,
                    kind: r.kind,
                    out_dir: r.out_dir,
                    letters: r.letters,
                    started_at: r.started_at,
                    finished: r.finished_at.is_some(),
                    manifest_sha256: r.manifest_sha256,
                    approved: r.approved_event.is_some(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{letter_id, sort_key};
    use crate::notices::LetterStatus;

    #[test]
    fn mailing_order_is_zip_then_family_name_then_given_names() {
        let mut people = [
            ("90210", "Zoë Łukasiewicz", 3),
            ("02110", "José Núñez", 9),
            ("90210", "Ana Brown", 1),
            ("90210", "Mia Brown", 2),
            ("", "No Address", 4),
        ];
        people.sort_by_key(|(z, n, r)| sort_key(z, n, *r));
        let order: Vec<i64> = people.iter().map(|p| p.2).collect();
        assert_eq!(order, [4, 9, 1, 2, 3]);
        assert_eq!(letter_id("NTC-7CCF4A04", 1296), "7CCF4A0400001296");
        assert_eq!(letter_id("NTC-7CCF4A04", 1296).len(), 16, "fits the ACS keyline");
    }

    #[test]
    fn statuses_read_back_as_written() {
        for s in LetterStatus::ALL {
            assert_eq!(LetterStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).ok(), Some(serde_json::json!(s.as_str())));
        }
        assert_eq!(LetterStatus::parse("lost"), None);
    }
}
