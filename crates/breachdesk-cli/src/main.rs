//! `breachdesk`: the command line client of breachdesk-core.
//!
//! Exit codes: 0 ok, 1 user error (the message names the field), 2 internal error.
#![forbid(unsafe_code)] // the workspace denies it; only breachdesk-core::bulk may allow it

use breachdesk_core::incident::{IncidentPatch, NewIncident, Roles};
use breachdesk_core::timeline::NewTimelineEntry;
use breachdesk_core::{datadir, Breachdesk, Ctx, Error, KeyMode, KeySetup, OsKeyring, Passphrase};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc: the import allocates many small strings on two threads, where glibc malloc is slow.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `println!` that ends the process quietly when stdout is closed (`breachdesk … | head`).
macro_rules! out {
    ($($t:tt)*) => { $crate::emit(&format!($($t)*)) };
}

mod board;
mod clocks;
mod individuals;
mod notices;
mod output;

fn emit(line: &str) {
    use std::io::Write as _;
    let mut o = std::io::stdout().lock();
    // Text from files and users is shown, never obeyed: escape sequences and direction overrides
    // are written out visibly.
    if let Err(e) = writeln!(o, "{}", breachdesk_core::text::escape_hostile(line)) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

#[derive(Parser)]
#[command(
    name = "breachdesk",
    version,
    about = "Breachdesk: the incident and breach-notification record, from the command line"
)]
struct Cli {
    /// Data directory (default: the platform's app-data directory).
    #[arg(long, global = true, env = datadir::ENV_VAR, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Who is acting, for the audit log (default: the configured user name).
    #[arg(long, global = true, env = "BREACHDESK_ACTOR", value_name = "NAME")]
    actor: Option<String>,
    /// Read the passphrase from this environment variable (with `init`: use passphrase mode).
    #[arg(long, global = true, value_name = "VAR")]
    passphrase_env: Option<String>,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
enum Command {
    /// Create the encrypted database and its key (keyring mode unless --passphrase-env is given).
    Init {
        /// Your name, recorded as the default actor (defaults to --actor).
        #[arg(long)]
        user_name: Option<String>,
    },
    /// Create, list, show and update incidents.
    #[command(subcommand)]
    Incident(IncidentCmd),
    /// The append-only incident timeline.
    #[command(subcommand)]
    Timeline(TimelineCmd),
    /// The tamper-evident audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Database key custody.
    #[command(subcommand)]
    Key(KeyCmd),
    /// Settings.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Where the data lives and how it is protected.
    Status,
    /// Check the store: every encrypted page, its structure and cross-references, the audit chain.
    Check,
    /// Every notification obligation, its due time and why, as JSON: from a facts file (touches
    /// no database) or for a stored incident.
    Clocks {
        /// A stored incident (UUID or INC-… id).
        #[arg(required_unless_present = "facts", conflicts_with = "facts")]
        incident: Option<String>,
        /// The facts file: {"timezone": …, "discovered_at": …, "affected": {…}, …}.
        #[arg(long, value_name = "FILE")]
        facts: Option<PathBuf>,
    },
    /// The facts an incident's clocks depend on (roles, counts by residence, data types, hold).
    #[command(subcommand)]
    Facts(FactsCmd),
    /// An incident's obligations as records: list, decide "not required", record a notice sent.
    #[command(subcommand)]
    Obligations(ObligationsCmd),
    /// The affected individuals: import, counts, search, export, batches, rollback, generate.
    #[command(subcommand)]
    Individuals(individuals::IndividualsCmd),
    /// The organisation profile every notice prints.
    #[command(subcommand)]
    Org(notices::OrgCmd),
    /// The notice templates: list, show, add a template or a new version.
    #[command(subcommand)]
    Templates(notices::TemplatesCmd),
    /// Notices: draft, check, render, approve, record sent and confirmed.
    #[command(subcommand)]
    Notices(notices::NoticesCmd),
    /// The founder's board: every open incident's notices by kind of recipient, and what waits
    /// for the executive sponsor; `board pack -o FILE.pdf` for the one-page board pack.
    Board(board::BoardArgs),
    /// The response figures across incidents: notices on time, days to notice, time to detect,
    /// acknowledge, contain and close (by severity and by month).
    Metrics {
        /// Only incidents detected on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
    },
    /// Draft the team's internal update (initial alert, status update, resolution) from the record.
    Comms {
        incident: String,
        /// initial, status or resolution.
        #[arg(long)]
        kind: String,
        /// Record it on the timeline as a status update (a `note` entry: the cadence clock restarts).
        #[arg(long)]
        record: bool,
        /// Also save the text to this file.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Benchmarks that print their figures.
    #[command(subcommand)]
    Bench(individuals::BenchCmd),
}

#[derive(Subcommand)]
enum FactsCmd {
    /// Show the stored facts.
    Show { incident: String },
    /// Replace the facts from a JSON file and recompute the obligations (prints the diff).
    Set {
        incident: String,
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// Show what would change without saving.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ObligationsCmd {
    /// List the incident's obligations, most urgent first.
    List { incident: String },
    /// Write the open deadlines as an iCalendar file (RFC 5545) with alarms at 7 d, 24 h, 4 h, 1 h.
    Ics {
        incident: String,
        /// Output file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Record a decision: --not-required (or --required) with a rationale and an approver; with
    /// --confirm-exemption ID, confirm the law's exit the engine proposes for it.
    Decide {
        incident: String,
        /// Obligation id, RULE@JURISDICTION, or rule id.
        obligation: String,
        #[arg(long, conflicts_with = "required")]
        not_required: bool,
        #[arg(long)]
        required: bool,
        /// The exit to confirm (as `obligations list` shows it); implies --not-required.
        #[arg(long, conflicts_with = "required")]
        confirm_exemption: Option<String>,
        #[arg(long)]
        rationale: String,
        #[arg(long)]
        approved_by: String,
    },
    /// Add a user-defined obligation (contract, insurer, investors, board) with the same clock arithmetic.
    Add {
        incident: String,
        /// What it is, e.g. "Acme Health BAA".
        #[arg(long)]
        label: String,
        /// covered_entity, controller, insurer, investors, board, individuals, other.
        #[arg(long)]
        recipient: String,
        /// Which timestamp starts the clock: detected_at, discovered_at, aware_at, determined_at.
        #[arg(long, default_value = "discovered_at")]
        trigger: String,
        /// calendar_days, hours, business_days, same_business_day, asap.
        #[arg(long)]
        clock: String,
        /// Days or hours (not for same_business_day or asap).
        #[arg(long)]
        amount: Option<u32>,
        /// The source of the duty: contract and clause, policy, resolution.
        #[arg(long)]
        reference: Option<String>,
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        address: Option<String>,
    },
    /// Retire a user-defined obligation (its obligation row is kept, out of scope).
    Retire {
        incident: String,
        /// The user-defined obligation's id or its CONTRACT-… rule id.
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// List the user-defined obligations, retired ones included.
    Custom { incident: String },
    /// The team's internal clocks (acknowledge, status updates, post-mortem).
    Internal { incident: String },
    /// Record a notice as sent (freezes the obligation's due time).
    File {
        incident: String,
        obligation: String,
        #[arg(long)]
        sent_at: String,
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        reference: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Args, Default)]
struct IncidentFields {
    #[arg(long)]
    summary: Option<String>,
    /// Local `YYYY-MM-DDTHH:MM[:SS]` in the incident's zone, or RFC 3339. Same for every timestamp.
    #[arg(long)]
    occurred_at: Option<String>,
    #[arg(long)]
    discovered_at: Option<String>,
    #[arg(long)]
    aware_at: Option<String>,
    #[arg(long)]
    determined_at: Option<String>,
    /// Why discovery came after detection (required when it did).
    #[arg(long)]
    gap_reason: Option<String>,
    #[arg(long)]
    incident_commander: Option<String>,
    #[arg(long)]
    compliance_liaison: Option<String>,
    #[arg(long)]
    comms_lead: Option<String>,
    #[arg(long)]
    engineering_responder: Option<String>,
    #[arg(long)]
    executive_sponsor: Option<String>,
}

impl IncidentFields {
    fn roles(&self) -> Option<Roles> {
        let r = Roles {
            incident_commander: self.incident_commander.clone(),
            compliance_liaison: self.compliance_liaison.clone(),
            comms_lead: self.comms_lead.clone(),
            engineering_responder: self.engineering_responder.clone(),
            executive_sponsor: self.executive_sponsor.clone(),
        };
        (r != Roles::default()).then_some(r)
    }
}

#[derive(Subcommand)]
enum IncidentCmd {
    /// Open a new incident.
    New {
        #[arg(long)]
        title: String,
        /// SEV-0 (worst) … SEV-3. PHI/PII possibly accessed, full outage or active exploitation → SEV-0; when in doubt, one tier up.
        #[arg(long)]
        severity: String,
        /// IANA zone of the entity, e.g. America/New_York.
        #[arg(long)]
        timezone: String,
        #[arg(long)]
        detected_at: String,
        #[command(flatten)]
        fields: IncidentFields,
    },
    /// List incidents, newest detection first.
    List,
    /// Show one incident (UUID or INC-… id).
    Show { id: String },
    /// Change an incident. An empty value clears an optional timestamp.
    Update {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        severity: Option<String>,
        /// detected → contained → assessed → notifying → closed (forward only).
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        timezone: Option<String>,
        #[arg(long)]
        detected_at: Option<String>,
        #[command(flatten)]
        fields: IncidentFields,
    },
}

#[derive(Subcommand)]
enum TimelineCmd {
    /// Append an entry (or, with --corrects, a correction of an earlier one).
    Add {
        incident: String,
        /// detection, acknowledged, containment, evidence, assessment, notification, fix_deployed, closed, note.
        #[arg(long)]
        kind: String,
        /// When it happened (local time in the incident's zone, or RFC 3339).
        #[arg(long)]
        at: String,
        #[arg(long)]
        description: String,
        /// Who did or saw it (default: the actor).
        #[arg(long)]
        who: Option<String>,
        /// Id of the entry this corrects.
        #[arg(long)]
        corrects: Option<String>,
    },
    /// List an incident's timeline.
    List { incident: String },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Check the whole chain and every stored row against it; names the first chain row that does
    /// not match and each data row that changed. With --checkpoint, also prove the chain still
    /// extends a checkpoint saved earlier.
    Verify {
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Save the chain's head, signed with this installation's key, to keep elsewhere.
    Checkpoint {
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    Keyring,
    Passphrase,
}

#[derive(Subcommand)]
enum KeyCmd {
    /// Re-encrypt the database under a new random key.
    Rekey,
    /// Move the key to the OS keyring or under a passphrase.
    Mode {
        mode: ModeArg,
        /// With `passphrase`: read the new passphrase from this environment variable.
        #[arg(long, value_name = "VAR")]
        new_passphrase_env: Option<String>,
    },
}

#[derive(Subcommand)]
enum ConfigCmd {
    /// Set the user name recorded as the default actor.
    UserName { name: String },
    /// The company's SMTP relay for e-mailed notices (kept in the system keyring).
    #[command(group(clap::ArgGroup::new("security").required(true).args(["starttls", "tls"])))]
    Smtp {
        #[arg(long)]
        host: String,
        #[arg(long)]
        port: u16,
        #[arg(long)]
        user: String,
        /// The environment variable that holds the password.
        #[arg(long, value_name = "VAR")]
        password_env: String,
        /// Upgrade with STARTTLS before anything is sent (port 587).
        #[arg(long)]
        starttls: bool,
        /// TLS from the first byte (port 465).
        #[arg(long)]
        tls: bool,
        /// A CA certificate (PEM) to trust for this relay besides the system's.
        #[arg(long, value_name = "FILE")]
        ca_cert: Option<PathBuf>,
    },
    /// Show the internal clock targets by severity, or set them from a JSON file (--set FILE).
    Clocks {
        #[arg(long)]
        set: Option<PathBuf>,
    },
}

/// A failure: user errors exit 1, internal ones 2.
struct Failure(Error);

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped reading (`export | head`) is not an error.
        Err(Failure(Error::Io { source, .. }))
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(Failure(e)) => {
            let hint = match &e {
                Error::PassphraseRequired => {
                    " (pass --passphrase-env VAR naming an environment variable that holds it)"
                }
                Error::KeyringUnavailable { .. } => " (for passphrase mode: --passphrase-env VAR)",
                _ => "",
            };
            eprintln!("error: {e}{hint}");
            ExitCode::from(if e.is_user_error() { 1 } else { 2 })
        }
    }
}

fn env_passphrase(flag: &str, var: &str) -> Result<Passphrase, Error> {
    std::env::var(var).map(Passphrase::new).map_err(|_| Error::Validation {
        field: flag.to_owned(),
        message: format!("environment variable {var} is not set (or is not UTF-8)"),
    })
}

/// The passphrase for opening, if the directory needs one.
fn passphrase_for(cli: &Cli, dir: &Path) -> Result<Option<Passphrase>, Error> {
    if let Some(var) = &cli.passphrase_env {
        return env_passphrase("passphrase-env", var).map(Some);
    }
    if Breachdesk::status(dir)?.mode == Some(KeyMode::Passphrase) && std::io::stdin().is_terminal()
    {
        let p = rpassword::prompt_password("Passphrase: ")
            .map_err(|source| Error::Io { path: PathBuf::from("<terminal>"), source })?;
        return Ok(Some(Passphrase::new(p)));
    }
    Ok(None)
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn ctx(cli: &Cli, bd: &Breachdesk) -> Result<Ctx, Error> {
    let actor = match &cli.actor {
        Some(a) => a.clone(),
        None => bd.user_name()?.ok_or_else(|| Error::Validation {
            field: "actor".into(),
            message: "who is acting? pass --actor NAME, or set one with `breachdesk config user-name NAME`".into(),
        })?,
    };
    Ctx::new(&actor, now())
}

fn run(cli: &Cli) -> Result<(), Failure> {
    let dir = datadir::resolve(cli.data_dir.clone())?;
    breachdesk_core::store::on_wait(|| {
        eprintln!(
            "Waiting for another Breachdesk process to finish writing to the store (up to 30 s)…"
        )
    });
    run_in(cli, &dir).map_err(|Failure(e)| Failure(e.explain_busy(&dir)))
}

fn run_in(cli: &Cli, dir: &Path) -> Result<(), Failure> {
    let dir = dir.to_owned();
    let ring = OsKeyring;
    if let Command::Init { user_name } = &cli.command {
        let setup = match &cli.passphrase_env {
            Some(var) => KeySetup::Passphrase(env_passphrase("passphrase-env", var)?),
            None => KeySetup::Keyring,
        };
        let name = user_name.as_deref().or(cli.actor.as_deref());
        let bd = Breachdesk::init(&dir, &setup, &ring, name, now())?;
        return output::initialized(cli.json, &bd);
    }
    if let Command::Clocks { facts: Some(facts), .. } = &cli.command {
        return clocks::from_file(facts);
    }
    if let Command::Individuals(individuals::IndividualsCmd::Generate {
        rows,
        bad_rate,
        seed,
        output,
    }) = &cli.command
    {
        return individuals::generate(*rows, *bad_rate, *seed, output.as_deref());
    }
    if let Command::Bench(b) = &cli.command {
        return individuals::bench(cli.json, b);
    }
    if let Command::Status = &cli.command {
        return output::status(cli.json, &Breachdesk::status(&dir)?);
    }
    let pass = passphrase_for(cli, &dir)?;
    let mut bd = Breachdesk::open(&dir, pass.as_ref(), &ring, now())?;
    match &cli.command {
        Command::Init { .. } | Command::Status | Command::Clocks { facts: Some(_), .. } => {
            unreachable!("handled above")
        }
        Command::Clocks { incident, .. } => {
            clocks::for_incident(&bd, incident.as_deref().unwrap_or_default())
        }
        Command::Bench(_) | Command::Individuals(individuals::IndividualsCmd::Generate { .. }) => {
            unreachable!("handled above")
        }
        Command::Individuals(c) => {
            let ctx = ctx(cli, &bd)?;
            individuals::run(cli.json, &mut bd, &ctx, c)
        }
        Command::Org(c) => notices::org(cli.json, &bd, &ctx(cli, &bd)?, c),
        Command::Templates(c) => notices::templates(cli.json, &bd, &ctx(cli, &bd)?, c),
        Command::Notices(c) => notices::notices(cli.json, &bd, &ctx(cli, &bd)?, c),
        Command::Board(a) => board::board(cli.json, &bd, &ctx(cli, &bd)?, a),
        Command::Metrics { since } => {
            board::metrics(cli.json, &bd, &ctx(cli, &bd)?, since.as_deref())
        }
        Command::Comms { incident, kind, record, output } => {
            board::comms(cli.json, &bd, &ctx(cli, &bd)?, incident, kind, *record, output.as_deref())
        }
        Command::Facts(FactsCmd::Show { incident }) => output::json_value(&bd.facts(incident)?),
        Command::Facts(FactsCmd::Set { incident, file, dry_run }) => {
            let facts = clocks::read_incident_facts(file)?;
            let changes = if *dry_run {
                bd.preview_facts(incident, &facts)?
            } else {
                bd.set_facts(&ctx(cli, &bd)?, incident, &facts)?
            };
            output::changes(cli.json, &changes, *dry_run)
        }
        Command::Obligations(ObligationsCmd::List { incident }) => {
            output::obligations(cli.json, &bd.obligations(incident, now())?)
        }
        Command::Obligations(ObligationsCmd::Ics { incident, output: file }) => {
            let ics = bd.deadlines_ics(incident, now())?;
            match file {
                None => {
                    out!("{}", ics.trim_end_matches("\r\n"));
                    Ok(())
                }
                Some(path) => {
                    Ok(breachdesk_core::files::AtomicFile::write_all(path, ics.as_bytes())?)
                }
            }
        }
        Command::Obligations(ObligationsCmd::Decide {
            incident,
            obligation,
            not_required,
            required,
            confirm_exemption,
            rationale,
            approved_by,
        }) => {
            let decision = match (*not_required || confirm_exemption.is_some(), required) {
                (true, false) => "not_required",
                (false, true) => "required",
                _ => {
                    return Err(Failure(Error::Validation {
                        field: "decision".into(),
                        message: "pass --not-required, --required or --confirm-exemption".into(),
                    }))
                }
            };
            let input = breachdesk_core::obligations::DecisionInput {
                decision: decision.into(),
                rationale: rationale.clone(),
                approved_by: approved_by.clone(),
                exemption_id: confirm_exemption.clone(),
            };
            let o = bd.decide_obligation(&ctx(cli, &bd)?, incident, obligation, &input)?;
            output::obligations(cli.json, &[o])
        }
        Command::Obligations(ObligationsCmd::Add {
            incident,
            label,
            recipient,
            trigger,
            clock,
            amount,
            reference,
            channel,
            address,
        }) => {
            let input = breachdesk_core::custom::NewCustomObligation {
                label: label.clone(),
                recipient: recipient.clone(),
                trigger: trigger.clone(),
                clock: clock.clone(),
                amount: *amount,
                reference: reference.clone(),
                channel: channel.clone(),
                address: address.clone(),
            };
            let c = bd.add_custom_obligation(&ctx(cli, &bd)?, incident, &input)?;
            let o: Vec<_> = bd
                .obligations(incident, now())?
                .into_iter()
                .filter(|o| o.rule_id == c.rule_id)
                .collect();
            output::obligations(cli.json, &o)
        }
        Command::Obligations(ObligationsCmd::Retire { incident, id, reason }) => {
            let c = bd.retire_custom_obligation(&ctx(cli, &bd)?, incident, id, reason)?;
            output::customs(cli.json, &[c])
        }
        Command::Obligations(ObligationsCmd::Custom { incident }) => {
            output::customs(cli.json, &bd.custom_obligations(incident)?)
        }
        Command::Obligations(ObligationsCmd::Internal { incident }) => {
            output::internal(cli.json, &bd.internal_clocks(incident, now())?)
        }
        Command::Obligations(ObligationsCmd::File {
            incident,
            obligation,
            sent_at,
            channel,
            reference,
            note,
        }) => {
            let input = breachdesk_core::obligations::FilingInput {
                sent_at: sent_at.clone(),
                channel: channel.clone(),
                reference: reference.clone(),
                note: note.clone(),
            };
            let o = bd.record_filing(&ctx(cli, &bd)?, incident, obligation, &input)?;
            output::obligations(cli.json, &[o])
        }
        Command::Incident(c) => incident(cli, &mut bd, c),
        Command::Timeline(TimelineCmd::Add { incident, kind, at, description, who, corrects }) => {
            let ctx = ctx(cli, &bd)?;
            let input = NewTimelineEntry {
                occurred_at: at.clone(),
                kind: kind.clone(),
                description: description.clone(),
                who: who.clone(),
                corrects: corrects.clone(),
            };
            let e = bd.add_timeline_entry(&ctx, incident, &input)?;
            output::timeline(cli.json, &[e])
        }
        Command::Timeline(TimelineCmd::List { incident }) => {
            output::timeline(cli.json, &bd.timeline(incident)?)
        }
        Command::Check => {
            let report = bd.check()?;
            if cli.json {
                output::json_value(&report)?;
            } else if report.intact {
                out!(
                    "The store is intact: {} pages read and checked, the audit chain holds ({} rows){}.",
                    report.pages,
                    report.audit.rows_checked,
                    if report.read_only { "; this copy is read-only" } else { "" }
                );
            } else {
                out!("The store is damaged:");
                for p in &report.problems {
                    out!("  {p}");
                }
                if let Some(b) = &report.audit.broken {
                    out!("  audit chain broken at row {}: {}", b.seq, b.reason);
                }
                out!("Restore the data directory from a backup; keep this copy for investigation.");
            }
            if report.intact {
                Ok(())
            } else {
                Err(Failure(Error::DatabaseCorrupt {
                    path: bd.data_dir().join("breachdesk.db"),
                    detail: format!(
                        "{} problem(s) found",
                        report.problems.len() + usize::from(report.audit.broken.is_some())
                    ),
                }))
            }
        }
        Command::Audit(AuditCmd::Verify { checkpoint }) => {
            let report = bd.verify_audit()?;
            let cp = checkpoint
                .as_ref()
                .map(|p| {
                    let text = breachdesk_core::files::read_small(p, "checkpoint")?;
                    let cp: breachdesk_core::Checkpoint =
                        serde_json::from_str(&text).map_err(|e| Error::Validation {
                            field: "checkpoint".into(),
                            message: format!("{}: {e}", p.display()),
                        })?;
                    Ok::<_, Error>((cp.clone(), bd.verify_checkpoint(&cp)))
                })
                .transpose()?;
            output::audit(cli.json, &report, cp.as_ref().map(|(c, r)| (c, r.as_ref().err())))?;
            if let Some(b) = report.broken {
                return Err(Failure(Error::Validation {
                    field: "audit_log".into(),
                    message: format!("chain broken at row {}: {}", b.seq, b.reason),
                }));
            }
            if let Some((_, Err(e))) = cp {
                return Err(Failure(e));
            }
            if !report.data_mismatches.is_empty() {
                return Err(Failure(Error::Validation {
                    field: "audit_log".into(),
                    message: format!(
                        "{} stored row(s) no longer match the audit log (listed above)",
                        report.data_mismatches.len()
                    ),
                }));
            }
            Ok(())
        }
        Command::Audit(AuditCmd::Checkpoint { output }) => {
            let cp = bd.checkpoint(now())?;
            let text = serde_json::to_string_pretty(&cp)
                .map_err(|e| Failure(Error::Internal(e.to_string())))?;
            breachdesk_core::files::AtomicFile::write_all(output, text.as_bytes())?;
            out!("Checkpoint of audit row {} ({}) signed and saved to {}: keep it outside the data directory.", cp.seq, cp.hash, output.display());
            Ok(())
        }
        Command::Key(KeyCmd::Rekey) => {
            let ctx = ctx(cli, &bd)?;
            bd.rekey(&ctx, pass.as_ref(), &ring)?;
            output::done(cli.json, "rekeyed", "The database is now encrypted under a new key.")
        }
        Command::Key(KeyCmd::Mode { mode, new_passphrase_env }) => {
            let ctx = ctx(cli, &bd)?;
            let setup = match mode {
                ModeArg::Keyring => KeySetup::Keyring,
                ModeArg::Passphrase => KeySetup::Passphrase(match new_passphrase_env {
                    Some(var) => env_passphrase("new-passphrase-env", var)?,
                    None if std::io::stdin().is_terminal() => {
                        let a = rpassword::prompt_password("New passphrase: ")
                            .map_err(|source| Error::Io { path: "<terminal>".into(), source })?;
                        let b = rpassword::prompt_password("Repeat it: ")
                            .map_err(|source| Error::Io { path: "<terminal>".into(), source })?;
                        if a != b {
                            return Err(Failure(Error::Validation {
                                field: "new-passphrase".into(),
                                message: "the two entries differ".into(),
                            }));
                        }
                        Passphrase::new(a)
                    }
                    None => return Err(Failure(Error::Validation {
                        field: "new-passphrase-env".into(),
                        message:
                            "passphrase mode needs a new passphrase: pass --new-passphrase-env VAR"
                                .into(),
                    })),
                }),
            };
            bd.switch_key_mode(&ctx, pass.as_ref(), &setup, &ring)?;
            let what = match mode {
                ModeArg::Keyring => "The database key is now kept in the system keyring.",
                ModeArg::Passphrase => "The database key is now protected by your passphrase; it was removed from the keyring.",
            };
            output::done(cli.json, "mode_changed", what)
        }
        Command::Config(ConfigCmd::Clocks { set: None }) => {
            output::json_value(&bd.internal_clock_settings()?)
        }
        Command::Config(ConfigCmd::Clocks { set: Some(path) }) => {
            let text = breachdesk_core::files::read_small(path, "set")?;
            let settings: breachdesk_core::internal::InternalClockSettings =
                serde_json::from_str(&text).map_err(|e| {
                    Failure(Error::Validation {
                        field: path.display().to_string(),
                        message: format!("not valid clock settings: {e}"),
                    })
                })?;
            output::json_value(&bd.set_internal_clock_settings(&ctx(cli, &bd)?, &settings)?)
        }
        Command::Config(ConfigCmd::Smtp {
            host,
            port,
            user,
            password_env,
            starttls: _,
            tls,
            ca_cert,
        }) => {
            let password = env_passphrase("password-env", password_env)?;
            let ca_cert_pem = ca_cert
                .as_ref()
                .map(|p| breachdesk_core::files::read_small(p, "ca-cert"))
                .transpose()?;
            let cfg = breachdesk_core::notices::SmtpConfig {
                host: host.clone(),
                port: *port,
                user: user.clone(),
                password: password.dangerous_expose().to_owned(),
                security: if *tls {
                    breachdesk_core::notices::Security::Tls
                } else {
                    breachdesk_core::notices::Security::Starttls
                },
                ca_cert_pem,
            };
            let shown = bd.set_smtp(&ring, &cfg)?;
            if cli.json {
                return output::json_value(&shown);
            }
            output::done(
                false,
                "smtp_set",
                &format!(
                    "SMTP relay {}:{} ({:?}) for {} kept in the system keyring.",
                    shown.host, shown.port, shown.security, shown.user
                ),
            )
        }
        Command::Config(ConfigCmd::UserName { name }) => {
            let ctx = Ctx::new(cli.actor.as_deref().unwrap_or(name), now())?;
            bd.set_user_name(&ctx, name)?;
            output::done(cli.json, "user_name_set", &format!("User name set to {name}."))
        }
    }
}

fn incident(cli: &Cli, bd: &mut Breachdesk, c: &IncidentCmd) -> Result<(), Failure> {
    match c {
        IncidentCmd::New { title, severity, timezone, detected_at, fields } => {
            let ctx = ctx(cli, bd)?;
            let input = NewIncident {
                title: title.clone(),
                summary: fields.summary.clone().unwrap_or_default(),
                severity: severity.clone(),
                timezone: timezone.clone(),
                occurred_at: fields.occurred_at.clone(),
                detected_at: detected_at.clone(),
                discovered_at: fields.discovered_at.clone(),
                aware_at: fields.aware_at.clone(),
                determined_at: fields.determined_at.clone(),
                discovery_gap_reason: fields.gap_reason.clone(),
                roles: fields.roles().unwrap_or_default(),
            };
            output::incident(cli.json, &bd.create_incident(&ctx, &input)?)
        }
        IncidentCmd::List => {
            let list = bd.incident_list()?;
            output::incidents(cli.json, &list.incidents)?;
            // One damaged row never hides the others; it is named, with its repair, and the exit
            // code says something needs attention.
            for u in &list.unreadable {
                eprintln!(
                    "error: incident {} ({}): {}. {}",
                    u.human_id, u.title, u.problem, u.repair
                );
            }
            match list.unreadable.first() {
                None => Ok(()),
                Some(u) => Err(Failure(Error::Unreadable {
                    entity: "incident",
                    id: u.human_id.clone(),
                    field: u.field.clone(),
                    problem: format!(
                        "{} incident(s) could not be read (named above)",
                        list.unreadable.len()
                    ),
                    repair: "The others are listed".into(),
                })),
            }
        }
        IncidentCmd::Show { id } => {
            output::incident_detail(cli.json, &bd.get_incident(id)?, &bd.timeline(id)?)
        }
        IncidentCmd::Update { id, title, severity, status, timezone, detected_at, fields } => {
            let ctx = ctx(cli, bd)?;
            // Role flags patch one role at a time: start from the stored roles.
            let roles = fields.roles().map(|r| {
                let cur = bd.get_incident(id).map(|i| i.roles).unwrap_or_default();
                Roles {
                    incident_commander: r.incident_commander.or(cur.incident_commander),
                    compliance_liaison: r.compliance_liaison.or(cur.compliance_liaison),
                    comms_lead: r.comms_lead.or(cur.comms_lead),
                    engineering_responder: r.engineering_responder.or(cur.engineering_responder),
                    executive_sponsor: r.executive_sponsor.or(cur.executive_sponsor),
                }
            });
            let patch = IncidentPatch {
                title: title.clone(),
                summary: fields.summary.clone(),
                severity: severity.clone(),
                status: status.clone(),
                timezone: timezone.clone(),
                occurred_at: fields.occurred_at.clone(),
                detected_at: detected_at.clone(),
                discovered_at: fields.discovered_at.clone(),
                aware_at: fields.aware_at.clone(),
                determined_at: fields.determined_at.clone(),
                discovery_gap_reason: fields.gap_reason.clone(),
                roles,
            };
            output::incident(cli.json, &bd.update_incident(&ctx, id, &patch)?)
        }
    }
}
