//! Letters by e-mail, for the people who agreed to it (HIPAA 164.404(d)(1)(i), FTC 318.5(a)(1)):
//! the message (the letter's text, its PDF attached, our letter id in the Message-ID and in
//! `X-Breachdesk-Letter` so a bounce can be keyed back), and sending through the company's SMTP
//! relay with lettre over TLS. The relay's address and credentials live in the keyring only.
//!
//! Sending is at most once per letter: a letter is marked `sending` in a committed transaction
//! before it is handed to the relay and gets the relay's reply after. A send killed in between
//! leaves it `sending`, which is reported and never sent again on its own (a returns file with
//! `email_sent` or `email_bounced` settles it).

use super::letters::{self, LetterStatus, Move};
use super::merge::{Job, Renderer};
use crate::custody::SecretStore;
use crate::individuals::Progress;
use crate::{Breachdesk, Ctx, Error, Result};
use breachdesk_rules::time::to_storage;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use zeroize::Zeroizing;

/// How the relay is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// Plain, upgraded with STARTTLS before anything is sent (usually port 587); refused if the
    /// relay cannot upgrade.
    Starttls,
}

/// The relay, as kept in the keyring (one JSON entry, password included).
#[derive(Clone, Serialize, Deserialize)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub security: Security,
    /// A CA certificate (PEM) to trust besides the system's: a relay with a private CA.
    #[serde(default)]
    pub ca_cert_pem: Option<String>,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("security", &self.security)
            .finish_non_exhaustive()
    }
}

/// The relay as shown: no password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SmtpShown {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub security: Security,
    pub private_ca: bool,
}

/// What a send did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, ts_rs::TS)]
pub struct SendReport {
    pub notice: String,
    pub dry_run: bool,
    /// Letters waiting to be e-mailed when the send started.
    #[ts(type = "number")]
    pub queued: i64,
    #[ts(type = "number")]
    pub sent: i64,
    #[ts(type = "number")]
    pub bounced: i64,
    /// Letters a temporary failure left queued after every retry.
    #[ts(type = "number")]
    pub deferred: i64,
    /// Letters left `sending` by an earlier send that stopped: not sent again.
    #[ts(type = "number")]
    pub unknown: i64,
    /// Per letter: (letter id, status, the relay's reply).
    pub results: Vec<(String, String, String)>,
    pub stopped: bool,
}

/// How a send is paced.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// The pause between two messages (the rate limit).
    pub between: Duration,
    /// Attempts for a temporary failure (4xx, a dropped connection).
    pub attempts: u32,
    /// The first pause before a retry; doubled each time.
    pub backoff: Duration,
}

impl Default for Pace {
    fn default() -> Self {
        Pace { between: Duration::from_millis(100), attempts: 3, backoff: Duration::from_secs(2) }
    }
}

fn keyring_account(bd: &Breachdesk) -> String {
    let dir = bd.data_dir().to_string_lossy().into_owned();
    format!("smtp-relay:{}", &super::sha256_hex(dir.as_bytes())[..16])
}

fn domain_of(email: &str) -> &str {
    email.rsplit_once('@').map_or("breachdesk.invalid", |(_, d)| d)
}

/// The e-mail of one letter.
pub(crate) fn message(
    r: &Renderer<'_>,
    j: &Job<'_>,
    i: &super::cases::Inputs,
    subject: &str,
    now: &str,
) -> Result<Message> {
    let to = j.person.email.as_deref().ok_or_else(|| {
        Error::validation("email", format!("record {} has no e-mail address", j.person.id))
    })?;
    let (markup, laid) = r.lay(j)?;
    let blocks = breachdesk_docs::markup::parse(&markup)
        .map_err(|e| Error::validation("template", e.to_string()))?;
    let text = breachdesk_docs::markup::email_text(&blocks);
    let subject = match breachdesk_docs::markup::title(&blocks) {
        Some(t) => format!("{t} from {}", i.org.legal_name),
        None => subject.to_owned(),
    };
    let pdf_info = breachdesk_docs::pdf::Info {
        title: format!("Letter {}", j.letter.id),
        author: i.org.legal_name.clone(),
        subject: j.letter.notice_id.clone(),
        created_unix: chrono::DateTime::parse_from_rfc3339(now).map_or(0, |t| t.timestamp()),
    };
    let pdf = breachdesk_docs::pdf::write(&laid, &pdf_info, i.logo.as_deref())
        .map_err(|e| Error::validation("logo", e.0))?;
    let from = Mailbox::new(
        Some(i.org.legal_name.clone()),
        i.org.email.trim().parse().map_err(|e| {
            Error::validation(
                "org.email",
                format!("{:?} is not an address mail can come from: {e}", i.org.email),
            )
        })?,
    );
    let to_box = Mailbox::new(
        Some(j.letter.addressee.clone()),
        to.parse()
            .map_err(|e| Error::validation("email", format!("record {}: {e}", j.person.id)))?,
    );
    let when = chrono::DateTime::parse_from_rfc3339(now)
        .map(|t| {
            std::time::SystemTime::UNIX_EPOCH
                + Duration::from_secs(u64::try_from(t.timestamp()).unwrap_or(0))
        })
        .unwrap_or(std::time::SystemTime::UNIX_EPOCH);
    Message::builder()
        .from(from)
        .to(to_box)
        .subject(subject)
        .date(when)
        .message_id(Some(format!(
            "<{}.{}@{}>",
            j.letter.id,
            j.letter.notice_id,
            domain_of(&i.org.email)
        )))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Breachdesk-Letter"),
            j.letter.id.clone(),
        ))
        .multipart(MultiPart::mixed().singlepart(SinglePart::plain(text)).singlepart(
            Attachment::new(format!("{}.pdf", j.letter.id)).body(
                pdf,
                ContentType::parse("application/pdf").unwrap_or(ContentType::TEXT_PLAIN),
            ),
        ))
        .map_err(|e| Error::validation("email", format!("letter {}: {e}", j.letter.id)))
}

impl Breachdesk {
    /// Keeps the SMTP relay's address and credentials in the keyring.
    ///
    /// # Errors
    /// [`Error::Validation`] naming `host`, `port`, `user`, `password` or `ca_cert`;
    /// [`Error::KeyringUnavailable`].
    pub fn set_smtp(&self, store: &dyn SecretStore, cfg: &SmtpConfig) -> Result<SmtpShown> {
        if cfg.host.trim().is_empty() || cfg.host.contains(char::is_whitespace) {
            return Err(Error::validation(
                "host",
                "is the relay's host name, e.g. smtp.example.com",
            ));
        }
        if cfg.port == 0 {
            return Err(Error::validation("port", "is between 1 and 65535"));
        }
        if cfg.user.trim().is_empty() {
            return Err(Error::validation("user", "is required"));
        }
        if cfg.password.is_empty() {
            return Err(Error::validation(
                "password",
                "is empty: give it through the environment variable named by --password-env",
            ));
        }
        if let Some(pem) = &cfg.ca_cert_pem {
            lettre::transport::smtp::client::Certificate::from_pem(pem.as_bytes()).map_err(
                |e| Error::validation("ca_cert", format!("is not a PEM certificate: {e}")),
            )?;
        }
        let json = Zeroizing::new(
            serde_json::to_string(cfg)
                .map_err(|source| Error::Json { what: "the SMTP settings", source })?,
        );
        store.set(&keyring_account(self), &json)?;
        Ok(shown(cfg))
    }

    /// The relay as configured (no password), if any.
    ///
    /// # Errors
    /// [`Error::KeyringUnavailable`]; [`Error::Validation`] when the entry does not read.
    pub fn smtp(&self, store: &dyn SecretStore) -> Result<Option<SmtpShown>> {
        Ok(self.smtp_config(store)?.map(|c| shown(&c)))
    }

    fn smtp_config(&self, store: &dyn SecretStore) -> Result<Option<SmtpConfig>> {
        let Some(json) = store.get(&keyring_account(self))? else { return Ok(None) };
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|_| Error::validation("smtp", "the relay's settings in the keyring do not read: set them again with `breachdesk config smtp`"))
    }

    /// E-mails the queued e-mail letters of an approved (or sent) population notice through the
    /// relay, one at a time, paced, each retried on a temporary failure. `dry_run` connects and
    /// authenticates, and sends nothing.
    ///
    /// # Errors
    /// [`Error::Validation`]: no relay configured, the notice is not approved, the relay refuses
    /// the connection or the credentials.
    pub fn send_notice_email(
        &self,
        ctx: &Ctx,
        store: &dyn SecretStore,
        id: &str,
        dry_run: bool,
        pace: Pace,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<SendReport> {
        let cfg = self.smtp_config(store)?.ok_or_else(|| Error::validation("smtp", "no SMTP relay is configured: `breachdesk config smtp --host H --port P --user U --password-env VAR --starttls`"))?;
        let n = self.notice(ctx, id)?;
        if !matches!(
            n.status,
            super::NoticeStatus::Approved
                | super::NoticeStatus::Sent
                | super::NoticeStatus::Confirmed
        ) {
            return Err(Error::validation(
                "notice",
                format!("{} is not approved: letters go out only as approved", n.id),
            ));
        }
        let row = self.notice_row(&n.id)?;
        let all = letters::of_notice(&*self.read()?, &n.id)?;
        let queued: Vec<_> = all
            .iter()
            .filter(|l| l.channel == "email" && l.status == LetterStatus::Queued)
            .cloned()
            .collect();
        let unknown = all.iter().filter(|l| l.status == LetterStatus::Sending).count();
        let mut report = SendReport {
            notice: n.id.clone(),
            dry_run,
            queued: i64::try_from(queued.len()).unwrap_or(0),
            unknown: i64::try_from(unknown).unwrap_or(0),
            ..SendReport::default()
        };
        let transport = transport(&cfg)?;
        if dry_run {
            transport.test_connection().map_err(|e| {
                Error::validation(
                    "smtp",
                    format!(
                        "the relay {}:{} does not accept the connection: {e}",
                        cfg.host, cfg.port
                    ),
                )
            })?;
            return Ok(report);
        }
        if queued.is_empty() {
            return Ok(report);
        }
        let (i, paper, dated, seq) = self.prepare(ctx, &row)?;
        let renderer = self.renderer(&i, &n.id, paper, dated, seq)?;
        let ids = self.list_ids(&i.inc.id)?;
        let total = queued.len() as u64;
        let now = to_storage(ctx.now);
        for (k, l) in queued.iter().enumerate() {
            if k > 0 {
                std::thread::sleep(pace.between);
            }
            let person = crate::individuals::person_by_id_cached(
                &*self.read()?,
                ids.id(u32::try_from(l.record).unwrap_or(0)),
            )?
            .ok_or_else(|| Error::NotFound { entity: "record", id: l.record.to_string() })?;
            let msg = message(
                &renderer,
                &Job { letter: l, person: &person },
                &i,
                &n.template_title,
                &now,
            )?;
            self.write(ctx, |tx| {
                letters::move_to(
                    tx,
                    ctx,
                    &Move {
                        letter: &l.id,
                        status: LetterStatus::Sending,
                        at: &now,
                        reason: None,
                        detail: Some(&cfg.host),
                        source: "smtp",
                    },
                    &now,
                )?;
                Ok(((), vec![]))
            })?;
            crate::failpoint::hit("email.handed_over");
            let mut attempt = 0;
            let outcome = loop {
                attempt += 1;
                match lettre::Transport::send(&transport, &msg) {
                    Ok(resp) => break Ok(reply_text(resp.code().to_string(), resp.message())),
                    Err(e) if e.is_permanent() => break Err((true, e.to_string())),
                    Err(e) if attempt < pace.attempts => {
                        let _ = e;
                        std::thread::sleep(pace.backoff * 2u32.pow(attempt - 1));
                    }
                    Err(e) => break Err((false, e.to_string())),
                }
            };
            let at = to_storage(ctx.now);
            let (status, reply) = match &outcome {
                Ok(reply) => (LetterStatus::Emailed, reply.clone()),
                Err((true, why)) => (LetterStatus::Bounced, why.clone()),
                Err((false, why)) => (LetterStatus::Queued, why.clone()),
            };
            self.write(ctx, |tx| {
                letters::move_to(
                    tx,
                    ctx,
                    &Move {
                        letter: &l.id,
                        status,
                        at: &at,
                        reason: Some(&reply),
                        detail: Some(&format!("attempts {attempt}")),
                        source: "smtp",
                    },
                    &now,
                )?;
                if status == LetterStatus::Bounced {
                    super::returns::fall_back_to_mail(tx, ctx, l, &person, &at, "smtp")?;
                }
                Ok(((), vec![]))
            })?;
            match status {
                LetterStatus::Emailed => report.sent += 1,
                LetterStatus::Bounced => report.bounced += 1,
                _ => report.deferred += 1,
            }
            report.results.push((l.id.clone(), status.as_str().to_owned(), reply));
            if !progress(Progress {
                rows: k as u64 + 1,
                bytes: Some(k as u64 + 1),
                total_bytes: total,
            }) {
                report.stopped = true;
                break;
            }
        }
        let summary = format!(
            "Notice {} e-mailed through {}: {} sent, {} bounced, {} deferred",
            n.id, cfg.host, report.sent, report.bounced, report.deferred
        );
        let (sent, bounced, deferred) = (report.sent, report.bounced, report.deferred);
        self.write(ctx, |tx| {
            crate::timeline::append_event(tx, ctx, &row.incident_id, crate::timeline::TimelineKind::Notification, &summary)?;
            Ok(((), vec![super::cases::change("notice.email", &n.id, serde_json::json!({"relay": cfg.host, "sent": sent, "bounced": bounced, "deferred": deferred}))]))
        })?;
        if report.bounced > 0 {
            self.refresh_undeliverable(ctx, &row.incident_id)?;
        }
        Ok(report)
    }
}

fn reply_text<'a>(code: String, lines: impl Iterator<Item = &'a str>) -> String {
    let text: Vec<&str> = lines.collect();
    format!("{code} {}", text.join(" ")).trim().to_owned()
}

fn shown(c: &SmtpConfig) -> SmtpShown {
    SmtpShown {
        host: c.host.clone(),
        port: c.port,
        user: c.user.clone(),
        security: c.security,
        private_ca: c.ca_cert_pem.is_some(),
    }
}

fn transport(cfg: &SmtpConfig) -> Result<lettre::SmtpTransport> {
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
    let bad = |e: lettre::transport::smtp::Error| {
        Error::validation("smtp", format!("the relay's TLS settings: {e}"))
    };
    let mut params = TlsParameters::builder(cfg.host.clone());
    if let Some(pem) = &cfg.ca_cert_pem {
        params = params.add_root_certificate(Certificate::from_pem(pem.as_bytes()).map_err(bad)?);
    }
    let params = params.build().map_err(bad)?;
    let tls = match cfg.security {
        Security::Tls => Tls::Wrapper(params),
        Security::Starttls => Tls::Required(params),
    };
    Ok(lettre::SmtpTransport::builder_dangerous(cfg.host.clone())
        .port(cfg.port)
        .tls(tls)
        .credentials(Credentials::new(cfg.user.clone(), cfg.password.clone()))
        .timeout(Some(Duration::from_secs(30)))
        .build())
}
