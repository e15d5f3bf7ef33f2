//! `breachdesk org`, `templates` and `notices`: the organisation profile, the template library,
//! and notices from draft to proof of sending.

use crate::{output, Failure};
use breachdesk_core::notices::{
    ConfirmInput, DraftInput, MergeInput, MergeReport, Notice, OrgProfile, Pace, Paper, SentInput,
    Severity,
};
use breachdesk_core::{files, Breachdesk, Ctx, Error};
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum OrgCmd {
    /// Set the organisation profile from a JSON file (the fields are in the README).
    Set {
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Show the organisation profile.
    Show,
}

#[derive(Subcommand)]
pub enum TemplatesCmd {
    /// Every template (the latest version of each).
    List,
    /// A template's text: the latest version, or --version N.
    Show {
        template: String,
        #[arg(long)]
        version: Option<i64>,
    },
    /// Add a template, or a new version of its id (front matter: id, title, kind, obligations…).
    Add {
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PaperArg {
    Letter,
    A4,
}

#[derive(Subcommand)]
pub enum NoticesCmd {
    /// Draft the notice of one obligation (the key `obligations list` shows); --person RECORD_NO
    /// drafts the letter to one person on the incident's list.
    Draft {
        incident: String,
        obligation: String,
        #[arg(long)]
        template: Option<String>,
        #[arg(long, value_name = "RECORD_NO")]
        person: Option<i64>,
        #[arg(long, value_enum)]
        paper: Option<PaperArg>,
        /// The notice this one amends or supplements (HHS addendum, GDPR phased reporting).
        #[arg(long, value_name = "NOTICE_ID")]
        amends: Option<String>,
    },
    /// The checker's findings: {"ok", "findings": [{"element", "severity", "citation", "message"}]}.
    Check { notice: String },
    /// Write the notice's PDF.
    Render {
        notice: String,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
    },
    /// Approve the notice (binds the SHA-256 of its PDF); refused while a BLOCK finding stands.
    Approve {
        notice: String,
        #[arg(long, value_name = "NAME")]
        by: String,
    },
    /// Record the approved notice as sent (files its obligation).
    Sent {
        notice: String,
        #[arg(long, value_name = "TIME")]
        at: String,
        #[arg(long)]
        channel: String,
        #[arg(long, value_name = "REF")]
        reference: String,
        #[arg(long)]
        recipients: Option<i64>,
        /// The portal or vendor it went through.
        #[arg(long)]
        via: Option<String>,
        #[arg(long = "proof", value_name = "FILE")]
        proofs: Vec<PathBuf>,
    },
    /// Record the recipient's confirmation (number, date, receipts).
    Confirm {
        notice: String,
        #[arg(long)]
        number: String,
        #[arg(long, value_name = "TIME")]
        at: String,
        #[arg(long = "proof", value_name = "FILE")]
        proofs: Vec<PathBuf>,
    },
    /// One notice: status, template, checker findings, history.
    Show { notice: String },
    /// The incident's notices.
    List { incident: String },
    /// Merge a population's notice into one letter per person (variant per person): print-ready
    /// PDFs in mailing order with a manifest, and on request one PDF per person and .eml files.
    /// Killed or stopped, the same command resumes; a notice already sent merges its re-mails.
    Merge {
        notice: String,
        #[arg(short = 'o', long = "output", value_name = "OUT_DIR")]
        out_dir: PathBuf,
        #[arg(long)]
        per_person: bool,
        /// At most N letters per print file (default 5,000).
        #[arg(long, value_name = "N")]
        batch_size: Option<u32>,
        #[arg(long)]
        email_eml: bool,
    },
    /// E-mail the approved notice's e-mail letters through the configured SMTP relay.
    SendEmail {
        notice: String,
        /// Connect and authenticate; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Messages per second at most.
        #[arg(long, default_value_t = 10.0)]
        rate: f64,
    },
    /// Import a vendor's credit-monitoring activation codes (one per letter, never reused).
    Codes { incident: String, file: PathBuf },
    /// Import a vendor's return/status file or an SMTP bounce list (CSV keyed by letter_id).
    Returns { incident: String, file: PathBuf },
    /// Each letter of a merged notice and its status (--status queued|printed|mailed|…).
    People {
        notice: String,
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
    /// The 164.414 evidence of a merged notice as CSV: per person what was sent, when, how, and
    /// what came back.
    Evidence {
        notice: String,
        #[arg(short = 'o', long = "output", value_name = "FILE.csv")]
        output: PathBuf,
    },
    /// The incident's narrative (what the notices say in words): show, or set from a JSON file.
    Narrative {
        incident: String,
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

fn user(field: &str, message: String) -> Failure {
    Failure(Error::Validation { field: field.into(), message })
}

fn paths(v: &[PathBuf]) -> Vec<String> {
    v.iter().map(|p| p.display().to_string()).collect()
}

pub fn org(json: bool, bd: &Breachdesk, ctx: &Ctx, c: &OrgCmd) -> Result<(), Failure> {
    match c {
        OrgCmd::Set { file } => {
            let text = files::read_small(file, "file")?;
            let p: OrgProfile = serde_json::from_str(&text)
                .map_err(|e| user("file", format!("{}: {e}", file.display())))?;
            let org = bd.set_org(ctx, &p, file.parent())?;
            if json {
                output::json_value(&org)
            } else {
                out!(
                    "Organisation profile set: {}{}",
                    org.profile.legal_name,
                    if org.logo_sha256.is_some() { " (with logo)" } else { "" }
                );
                Ok(())
            }
        }
        OrgCmd::Show => {
            let org = bd.org()?.ok_or_else(|| {
                user(
                    "org",
                    "no organisation profile is set: `breachdesk org set --file org.json`".into(),
                )
            })?;
            if json {
                return output::json_value(&org);
            }
            let p = &org.profile;
            out!("{}", p.legal_name);
            out!(
                "{}, {}, {} {} {}",
                p.address.line1,
                p.address.city,
                p.address.state.as_deref().unwrap_or(""),
                p.address.postal_code,
                p.address.country
            );
            out!(
                "Phone {}{} · {} · {}",
                p.phone,
                p.toll_free.as_ref().map(|t| format!(" · toll-free {t}")).unwrap_or_default(),
                p.email,
                p.website
            );
            out!("Signatory: {}, {}", p.signatory.name, p.signatory.title.as_deref().unwrap_or(""));
            out!(
                "Logo: {}",
                org.logo_sha256
                    .as_deref()
                    .map_or("none".to_owned(), |s| format!("PNG, SHA-256 {s}"))
            );
            Ok(())
        }
    }
}

pub fn templates(json: bool, bd: &Breachdesk, ctx: &Ctx, c: &TemplatesCmd) -> Result<(), Failure> {
    match c {
        TemplatesCmd::List => {
            let list = bd.templates(ctx)?;
            if json {
                let v: Vec<_> = list.iter().map(|t| serde_json::json!({
                    "id": t.id, "version": t.version, "title": t.meta.title, "kind": t.meta.kind,
                    "obligations": t.meta.obligations, "residence": t.meta.residence, "addressee": t.meta.addressee,
                    "paper": t.meta.paper, "language": t.meta.language, "citation": t.meta.citation,
                    "seeded": t.seeded, "sha256": t.sha256,
                })).collect();
                return output::json_value(&v);
            }
            for t in &list {
                out!(
                    "{:<26} v{:<3} {:<11} {:<6} {}{}",
                    t.id,
                    t.version,
                    format!("{:?}", t.meta.kind).to_lowercase(),
                    t.meta.paper.name(),
                    t.meta.title,
                    if t.seeded { "" } else { "  (edited)" }
                );
            }
            Ok(())
        }
        TemplatesCmd::Show { template, version } => {
            let t = bd.template(ctx, template, *version)?;
            if json {
                return output::json_value(&t);
            }
            out!("{}", t.source.trim_end());
            Ok(())
        }
        TemplatesCmd::Add { file } => {
            let text = files::read_small(file, "file")?;
            let t = bd.add_template(ctx, &text)?;
            if json {
                return output::json_value(&t);
            }
            out!("Template {} version {} ({})", t.id, t.version, t.meta.title);
            Ok(())
        }
    }
}

fn show(json: bool, n: &Notice) -> Result<(), Failure> {
    if json {
        return output::json_value(n);
    }
    out!(
        "{}  {}  {}  {}",
        n.id,
        n.obligation_key,
        format!("{:?}", n.status).to_lowercase(),
        n.addressee
    );
    out!(
        "  template {} v{} · {} · {} page(s) · dated {}",
        n.template_id,
        n.template_version,
        n.paper.name(),
        n.pages,
        n.dated
    );
    out!("  variant: {}", n.variant_reason);
    out!("  PDF SHA-256 {}", n.pdf_sha256);
    if let Some(a) = &n.amends {
        out!("  amends {a}");
    }
    findings(n);
    for e in &n.events {
        let mut line = format!("  {} {} by {}", e.recorded_at, e.event, e.recorded_by);
        for (k, v) in [
            ("approver", &e.by_name),
            ("channel", &e.channel),
            ("reference", &e.reference),
            ("via", &e.via),
        ] {
            if let Some(v) = v {
                line.push_str(&format!(" · {k} {v}"));
            }
        }
        out!("{line}");
        for p in &e.proofs {
            out!("    proof {} ({} bytes, SHA-256 {})", p.file_name, p.bytes, p.sha256);
        }
    }
    Ok(())
}

fn findings(n: &Notice) {
    let r = &n.report;
    out!(
        "  checker: {} · {} rule(s) passed, {} finding(s)",
        if r.ok { "ok" } else { "BLOCKED" },
        r.passed.len(),
        r.findings.len()
    );
    for f in &r.findings {
        let sev = match f.severity {
            Severity::Block => "BLOCK",
            Severity::Warn => "WARN",
            Severity::Info => "INFO",
        };
        out!(
            "  {sev:<5} {} — {} ({}; {:?} confidence): {}",
            f.element,
            f.label,
            f.citation,
            f.confidence,
            f.message
        );
    }
}

fn write_pdf(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    files::AtomicFile::write_all(path, bytes)?;
    Ok(())
}

pub fn notices(json: bool, bd: &Breachdesk, ctx: &Ctx, c: &NoticesCmd) -> Result<(), Failure> {
    match c {
        NoticesCmd::Draft { incident, obligation, template, person, paper, amends } => {
            let input = DraftInput {
                obligation: obligation.clone(),
                template: template.clone(),
                person: *person,
                paper: paper.map(|p| match p {
                    PaperArg::Letter => Paper::Letter,
                    PaperArg::A4 => Paper::A4,
                }),
                amends: amends.clone(),
            };
            show(json, &bd.draft_notice(ctx, incident, &input)?)
        }
        NoticesCmd::Check { notice } => {
            let n = bd.notice(ctx, notice)?;
            if json {
                return output::json_value(&n.report);
            }
            out!("{} ({})", n.id, n.obligation_key);
            findings(&n);
            Ok(())
        }
        NoticesCmd::Render { notice, output: file } => {
            let (_, bytes) = bd.notice_pdf(ctx, notice)?;
            write_pdf(file, &bytes)?;
            if json {
                return output::json_value(
                    &serde_json::json!({"file": file, "bytes": bytes.len()}),
                );
            }
            out!("Wrote {} ({} KB)", file.display(), bytes.len().div_ceil(1024));
            Ok(())
        }
        NoticesCmd::Approve { notice, by } => show(json, &bd.approve_notice(ctx, notice, by)?),
        NoticesCmd::Sent { notice, at, channel, reference, recipients, via, proofs } => {
            let input = SentInput {
                sent_at: at.clone(),
                channel: channel.clone(),
                reference: reference.clone(),
                recipients: *recipients,
                via: via.clone(),
                note: None,
                proofs: paths(proofs),
            };
            show(json, &bd.notice_sent(ctx, notice, &input)?)
        }
        NoticesCmd::Confirm { notice, number, at, proofs } => {
            let input = ConfirmInput {
                number: number.clone(),
                at: at.clone(),
                note: None,
                proofs: paths(proofs),
            };
            show(json, &bd.confirm_notice(ctx, notice, &input)?)
        }
        NoticesCmd::Show { notice } => show(json, &bd.notice(ctx, notice)?),
        NoticesCmd::List { incident } => {
            let list = bd.notices(ctx, incident)?;
            if json {
                return output::json_value(&list);
            }
            if list.is_empty() {
                out!("No notices yet: `breachdesk notices draft {incident} OBLIGATION_KEY`");
            }
            for n in &list {
                out!(
                    "{}  {:<32} {:<9} {:<7} {} · {}",
                    n.id,
                    n.obligation_key,
                    format!("{:?}", n.status).to_lowercase(),
                    if n.report.ok { "ok" } else { "BLOCKED" },
                    n.template_id,
                    n.addressee
                );
            }
            Ok(())
        }
        NoticesCmd::Merge { notice, out_dir, per_person, batch_size, email_eml } => {
            let input = MergeInput {
                out_dir: out_dir.display().to_string(),
                per_person: *per_person,
                batch_size: *batch_size,
                email_eml: *email_eml,
            };
            let started = std::time::Instant::now();
            let r = bd.merge_notice(ctx, notice, &input, &mut output::progress("letters"))?;
            output::progress_done();
            merged(json, &r, started.elapsed().as_secs_f64())
        }
        NoticesCmd::SendEmail { notice, dry_run, rate } => {
            if !(*rate > 0.0 && *rate <= 1000.0) {
                return Err(user("rate", "is between 0 and 1000 messages per second".into()));
            }
            let pace =
                Pace { between: std::time::Duration::from_secs_f64(1.0 / rate), ..Pace::default() };
            let r = bd.send_notice_email(
                ctx,
                &breachdesk_core::OsKeyring,
                notice,
                *dry_run,
                pace,
                &mut output::progress("messages"),
            )?;
            output::progress_done();
            if json {
                return output::json_value(&r);
            }
            if r.dry_run {
                out!("The relay accepts the connection; {} letters are queued for e-mail (none sent: dry run).", r.queued);
            } else {
                for (id, status, reply) in &r.results {
                    out!("{id}  {status:<9} {reply}");
                }
                out!(
                    "{} sent, {} bounced, {} deferred (of {} queued)",
                    r.sent,
                    r.bounced,
                    r.deferred,
                    r.queued
                );
            }
            if r.unknown > 0 {
                out!("{} letter(s) were handed to the relay by a send that stopped before the reply: not sent again. Settle them with a returns file (email_sent or email_bounced).", r.unknown);
            }
            Ok(())
        }
        NoticesCmd::Codes { incident, file } => {
            let r = bd.import_codes(ctx, incident, file)?;
            if json {
                return output::json_value(&r);
            }
            out!(
                "{} codes imported ({} already were); {} unused, {} given to letters.",
                r.imported,
                r.already,
                r.unused,
                r.given
            );
            Ok(())
        }
        NoticesCmd::Returns { incident, file } => {
            let r = bd.import_returns(ctx, incident, file)?;
            if json {
                return output::json_value(&r);
            }
            out!(
                "{} rows: {}",
                r.rows,
                r.events.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
            );
            out!("{} re-queued for a re-mail, {} toward substitute notice, {} to the next of kin; {} people without a usable address", r.requeued, r.substitute, r.next_of_kin, r.undeliverable);
            output::changes(false, &r.changes, false)
        }
        NoticesCmd::People { notice, status, limit } => {
            let p = bd.notice_people(notice, status.as_deref(), 0, *limit)?;
            if json {
                return output::json_value(&p);
            }
            out!(
                "{}",
                p.counts.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(" · ")
            );
            for l in &p.letters {
                out!(
                    "{}  {:>8}  {:<10} {:<6} {:<32} {}",
                    l.id,
                    l.record,
                    l.status_text(),
                    l.channel,
                    l.variant,
                    l.reason.as_deref().unwrap_or("")
                );
            }
            if p.total > i64::try_from(p.letters.len()).unwrap_or(0) {
                out!("… {} letters in all (--limit)", p.total);
            }
            Ok(())
        }
        NoticesCmd::Evidence { notice, output: file } => {
            let csv = bd.notice_evidence_csv(notice)?;
            files::AtomicFile::write_all(file, csv.as_bytes())?;
            if json {
                return output::json_value(
                    &serde_json::json!({"file": file, "rows": csv.lines().count().saturating_sub(1)}),
                );
            }
            out!("Wrote {} ({} letters)", file.display(), csv.lines().count().saturating_sub(1));
            Ok(())
        }
        NoticesCmd::Narrative { incident, file } => {
            let n = match file {
                Some(f) => {
                    let text = files::read_small(f, "file")?;
                    let n = serde_json::from_str(&text)
                        .map_err(|e| user("file", format!("{}: {e}", f.display())))?;
                    bd.set_narrative(ctx, incident, &n)?
                }
                None => bd.narrative(incident)?,
            };
            output::json_value(&n)
        }
    }
}

fn merged(json: bool, r: &MergeReport, secs: f64) -> Result<(), Failure> {
    if json {
        return output::json_value(r);
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = r.written as f64 / secs.max(0.001);
    out!(
        "{} {} of {}: {} letters ({}), {} written now ({rate:.0} letters/s){}",
        r.run,
        r.kind,
        r.notice,
        r.letters,
        r.by_channel.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "),
        r.written,
        if r.resumed { ", resumed" } else { "" }
    );
    for (v, n) in &r.by_variant {
        out!("  {n:>8}  {v}");
    }
    for v in &r.variants {
        let blocks = v.report.findings.iter().filter(|f| f.severity == Severity::Block).count();
        out!(
            "  checked {}: one letter for each of {} residence(s), e.g. record {}: {}",
            v.template,
            v.residences.len(),
            v.record,
            if blocks == 0 { "ok".to_owned() } else { format!("{blocks} BLOCK finding(s)") }
        );
        for f in v.report.findings.iter().filter(|f| f.severity == Severity::Block) {
            out!("    BLOCK {} — {} ({}): {}", f.element, f.label, f.citation, f.message);
        }
    }
    for f in &r.files {
        if f.kind != "person" && f.kind != "eml" {
            out!("  {:<60} {:>6} letters {:>7} pages  {}", f.name, f.letters, f.pages, f.sha256);
        }
    }
    let others = r.files.iter().filter(|f| f.kind == "person" || f.kind == "eml").count();
    if others > 0 {
        out!("  and {others} per-person PDF and .eml files under letters/ and email/");
    }
    if r.finished {
        out!(
            "Finished into {}. Approve it with `breachdesk notices approve {} --by NAME`.",
            r.out_dir,
            r.notice
        );
    } else {
        out!("Stopped: run the same command again to go on.");
    }
    Ok(())
}
