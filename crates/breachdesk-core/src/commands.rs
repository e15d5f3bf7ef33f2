//! Every command of the desktop app, declared once.
//!
//! [`with_commands!`] lists each command with its request and response types. From that one list
//! the shell generates its Tauri handlers and `generate_handler!` list (`src-tauri`), and
//! [`typescript_client`] generates the window's typed client (`ui/src/lib/ipc/bindings.ts`). The
//! work of each command is the [`App`] method of the same name, here.
//!
//! Adding a command: a request type below (when none fits), the method on `App`, one line in the
//! list; then `make bindings`.

use crate::app::App;
// Every type the list names, so a user of the list needs one `use commands::*`.
pub use crate::audit::AuditReport;
pub use crate::board::{Board, CommsKind, InternalUpdate, Metrics};
pub use crate::custom::{CustomObligation, NewCustomObligation};
pub use crate::incident::{Incident, IncidentPatch, NewIncident};
pub use crate::individuals::mapping::{Mapping, SavedMapping};
pub use crate::individuals::review::{DuplicatePair, ScanResult};
pub use crate::individuals::{
    Batch, Counts, FilePreview, ImportOptions, ImportReport, Individual, Page, PageQuery, RowError,
    StateCoverage,
};
pub use crate::internal::{InternalClock, InternalClockSettings};
pub use crate::ipc::{AppStatus, IncidentDetail, SetupInput, Vocabulary};
pub use crate::notices::{
    CodesReport, ConfirmInput, DraftInput, MergeInput, MergeReport, MergeRun, Narrative, Notice,
    Org, OrgProfile, PeoplePage, Preview, PreviewInput, ReturnsReport, Security, SendReport,
    SentInput, SmtpShown, Template,
};
pub use crate::obligations::{
    DecisionInput, FactsDraft, FactsPreview, FilingInput, IncidentFacts, Obligation,
    ObligationChange,
};
pub use crate::reminders::Reminder;
pub use crate::timeline::{NewTimelineEntry, TimelineEntry};
use crate::Result;
use serde::Deserialize;

/// The command list: `name(Request) -> Response;`, calling `$m!` with it.
#[macro_export]
macro_rules! with_commands {
    ($m:ident) => {
        $m! {
            app_status(Empty) -> AppStatus;
            setup(SetupInput) -> AppStatus;
            unlock(Unlock) -> AppStatus;
            vocabulary(Empty) -> Vocabulary;
            list_incidents(Empty) -> Vec<Incident>;
            create_incident(NewIncident) -> Incident;
            get_incident(ById) -> IncidentDetail;
            update_incident(UpdateIncident) -> Incident;
            add_timeline_entry(AddTimelineEntry) -> TimelineEntry;
            verify_audit(Empty) -> AuditReport;
            save_checkpoint(Empty) -> String;
            get_facts(ById) -> IncidentFacts;
            preview_draft(Draft) -> FactsPreview;
            save_draft(Draft) -> Vec<ObligationChange>;
            list_obligations(ById) -> Vec<Obligation>;
            decide_obligation(DecideObligation) -> Obligation;
            record_filing(RecordFiling) -> Obligation;
            export_ics(ById) -> String;
            list_custom_obligations(ById) -> Vec<CustomObligation>;
            add_custom_obligation(AddCustomObligation) -> CustomObligation;
            retire_custom_obligation(RetireCustomObligation) -> CustomObligation;
            internal_clocks(ById) -> Vec<InternalClock>;
            get_clock_settings(Empty) -> InternalClockSettings;
            set_clock_settings(InternalClockSettings) -> InternalClockSettings;
            reminder_log(Empty) -> Vec<Reminder>;
            preview_import_file(ByPath) -> FilePreview;
            import_individuals(ImportIndividuals) -> ImportReport;
            cancel_job(ByJob) -> bool;
            export_import_errors(ExportImportErrors) -> String;
            individual_counts(ById) -> Counts;
            state_coverage(ById) -> Vec<StateCoverage>;
            individuals_page(IndividualsPage) -> Page;
            search_individuals(SearchIndividuals) -> Vec<Individual>;
            import_batches(ById) -> Vec<Batch>;
            rollback_import(RollbackImport) -> Vec<ObligationChange>;
            scan_duplicates(ById) -> ScanResult;
            duplicate_queue(DuplicateQueue) -> Vec<DuplicatePair>;
            decide_duplicate(DecideDuplicate) -> Vec<ObligationChange>;
            saved_mappings(Empty) -> Vec<SavedMapping>;
            save_mapping(SaveMapping) -> SavedMapping;
            get_org(Empty) -> Option<Org>;
            set_org(SetOrg) -> Org;
            get_narrative(ById) -> Narrative;
            set_narrative(SetNarrative) -> Narrative;
            list_templates(Empty) -> Vec<Template>;
            get_template(TemplateRef) -> Template;
            add_template(AddTemplate) -> Template;
            preview_template(PreviewInput) -> Preview;
            list_notices(ById) -> Vec<Notice>;
            draft_notice(DraftNotice) -> Notice;
            get_notice(ByNotice) -> Notice;
            notice_pages(ByNotice) -> Preview;
            approve_notice(ApproveNotice) -> Notice;
            record_notice_sent(NoticeSent) -> Notice;
            confirm_notice(ConfirmNotice) -> Notice;
            export_notice_pdf(ByNotice) -> String;
            merge_notice(MergeNotice) -> MergeReport;
            merge_runs(ByNotice) -> Vec<MergeRun>;
            notice_people(NoticePeople) -> PeoplePage;
            import_codes(ImportIncidentFile) -> CodesReport;
            import_returns(ImportIncidentFile) -> ReturnsReport;
            export_notice_evidence(ByNotice) -> String;
            get_smtp(Empty) -> Option<SmtpShown>;
            set_smtp(SetSmtp) -> SmtpShown;
            send_notice_email(SendNoticeEmail) -> SendReport;
            board(BoardQuery) -> Board;
            export_board_pack(BoardPack) -> String;
            metrics(MetricsQuery) -> Metrics;
            internal_update(InternalUpdateQuery) -> InternalUpdate;
            save_internal_update(SaveInternalUpdate) -> String;
        }
    };
}

macro_rules! requests {
    ($($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident: $ty:ty),* $(,)? })*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Deserialize, ts_rs::TS)]
            #[serde(deny_unknown_fields)]
            pub struct $name { $($(#[$fdoc])* pub $field: $ty,)* }
        )*

        /// The request types' TypeScript declarations.
        pub(crate) fn request_decls() -> Vec<String> {
            use ts_rs::TS;
            vec![$($name::decl()),*]
        }
    };
}

requests! {
    /// A command that takes nothing.
    Empty {}
    /// An incident by UUID or `INC-…` id.
    ById { id: String }
    Unlock { passphrase: Option<String> }
    ByPath { path: String }
    /// A long job by the id the window gave it.
    ByJob { job: String }
    UpdateIncident { id: String, patch: IncidentPatch }
    AddTimelineEntry { incident_id: String, input: NewTimelineEntry }
    Draft { id: String, draft: FactsDraft }
    DecideObligation { incident_id: String, obligation_id: String, input: DecisionInput }
    RecordFiling { incident_id: String, obligation_id: String, input: FilingInput }
    AddCustomObligation { incident_id: String, input: NewCustomObligation }
    RetireCustomObligation { incident_id: String, custom_id: String, reason: String }
    /// `job`: the id progress events carry and `cancel_job` takes.
    ImportIndividuals { incident_id: String, path: String, options: ImportOptions, job: String }
    ExportImportErrors { file_name: String, errors: Vec<RowError> }
    IndividualsPage { id: String, query: PageQuery }
    SearchIndividuals { id: String, query: String }
    RollbackImport { incident_id: String, batch: String }
    DuplicateQueue { id: String, decided: bool }
    DecideDuplicate {
        incident_id: String,
        #[ts(type = "number")]
        pair: i64,
        merge: bool,
    }
    SaveMapping { name: String, mapping: Mapping }
    /// The organisation profile; its `logo` is a PNG file's path (none keeps the stored logo).
    SetOrg { profile: OrgProfile }
    SetNarrative { id: String, narrative: Narrative }
    /// A template's latest version, or `version`.
    TemplateRef {
        id: String,
        #[ts(type = "number | null")]
        version: Option<i64>,
    }
    /// A template's text: a new template, or a new version of its id.
    AddTemplate { source: String }
    DraftNotice { incident_id: String, input: DraftInput }
    /// A notice by its `NTC-…` id.
    ByNotice { id: String }
    ApproveNotice { id: String, by: String }
    NoticeSent { id: String, input: SentInput }
    ConfirmNotice { id: String, input: ConfirmInput }
    /// A merge as job `job` (progress events; `cancel_job` stops it, the next merge goes on).
    /// An empty `input.out_dir` merges into the export folder's `merge-NTC-…`.
    MergeNotice { id: String, input: MergeInput, job: String }
    /// One page of a merged notice's letters, `status` filtering.
    NoticePeople {
        id: String,
        status: Option<String>,
        #[ts(type = "number")]
        offset: u32,
        #[ts(type = "number")]
        limit: u32,
    }
    /// A vendor's file (codes, returns) for an incident.
    ImportIncidentFile { incident_id: String, path: String }
    /// The SMTP relay for e-mailed notices (kept in the keyring); `ca_cert` a PEM file's path.
    SetSmtp {
        host: String,
        port: u16,
        user: String,
        password: String,
        security: Security,
        ca_cert: Option<String>,
    }
    /// E-mails the approved notice's e-mail letters as job `job`.
    SendNoticeEmail { id: String, dry_run: bool, job: String }
    /// The board; `all` adds the incidents closed in the last 12 months.
    BoardQuery { all: bool }
    /// The board pack, signed off by `signed_by` (else the incidents' executive sponsors).
    BoardPack { signed_by: Option<String> }
    /// The figures of the incidents detected on or after `since` (`YYYY-MM-DD`), or all.
    MetricsQuery { since: Option<String> }
    /// An internal update drafted from the record.
    InternalUpdateQuery { id: String, kind: CommsKind }
    /// An internal update's text, saved as a text file in the export folder.
    SaveInternalUpdate { id: String, kind: CommsKind, text: String }
}

/// How many search hits the window shows.
const SEARCH_HITS: u32 = 200;
/// How many duplicate pairs the review queue shows at once.
const QUEUE_LENGTH: u32 = 200;
/// Rows of a file shown before its import.
const PREVIEW_ROWS: usize = 20;

impl App {
    pub fn app_status(&self, _: Empty) -> Result<AppStatus> {
        self.status()
    }

    pub fn vocabulary(&self, _: Empty) -> Result<Vocabulary> {
        Ok(Vocabulary::get())
    }

    pub fn list_incidents(&self, _: Empty) -> Result<Vec<Incident>> {
        self.with(|bd, _| bd.list_incidents())
    }

    pub fn create_incident(&self, input: NewIncident) -> Result<Incident> {
        self.with(|bd, ctx| bd.create_incident(ctx, &input))
    }

    pub fn get_incident(&self, r: ById) -> Result<IncidentDetail> {
        self.with(|bd, _| {
            Ok(IncidentDetail { incident: bd.get_incident(&r.id)?, timeline: bd.timeline(&r.id)? })
        })
    }

    pub fn update_incident(&self, r: UpdateIncident) -> Result<Incident> {
        self.with(|bd, ctx| bd.update_incident(ctx, &r.id, &r.patch))
    }

    pub fn add_timeline_entry(&self, r: AddTimelineEntry) -> Result<TimelineEntry> {
        self.with(|bd, ctx| bd.add_timeline_entry(ctx, &r.incident_id, &r.input))
    }

    pub fn verify_audit(&self, _: Empty) -> Result<AuditReport> {
        self.with(|bd, _| bd.verify_audit())
    }

    /// Saves a signed checkpoint of the audit log's head in the export folder (to keep outside
    /// Breachdesk); returns its path.
    pub fn save_checkpoint(&self, _: Empty) -> Result<String> {
        let cp = self.with(|bd, ctx| bd.checkpoint(ctx.now))?;
        let text = serde_json::to_string_pretty(&cp)
            .map_err(|source| crate::Error::Json { what: "a checkpoint", source })?;
        self.export(&cp.file_name(), text.as_bytes())
    }

    pub fn get_facts(&self, r: ById) -> Result<IncidentFacts> {
        self.with(|bd, _| bd.facts(&r.id))
    }

    pub fn preview_draft(&self, r: Draft) -> Result<FactsPreview> {
        self.with(|bd, _| bd.preview_draft(&r.id, &r.draft))
    }

    pub fn save_draft(&self, r: Draft) -> Result<Vec<ObligationChange>> {
        self.with(|bd, ctx| bd.save_draft(ctx, &r.id, &r.draft))
    }

    pub fn list_obligations(&self, r: ById) -> Result<Vec<Obligation>> {
        self.with(|bd, ctx| bd.obligations(&r.id, ctx.now))
    }

    pub fn decide_obligation(&self, r: DecideObligation) -> Result<Obligation> {
        self.with(|bd, ctx| bd.decide_obligation(ctx, &r.incident_id, &r.obligation_id, &r.input))
    }

    pub fn record_filing(&self, r: RecordFiling) -> Result<Obligation> {
        self.with(|bd, ctx| bd.record_filing(ctx, &r.incident_id, &r.obligation_id, &r.input))
    }

    /// Saves the incident's open deadlines as an iCalendar file; returns its path.
    pub fn export_ics(&self, r: ById) -> Result<String> {
        let (name, ics) = self.with(|bd, ctx| {
            let inc = bd.get_incident(&r.id)?;
            Ok((format!("{}-deadlines.ics", inc.human_id), bd.deadlines_ics(&r.id, ctx.now)?))
        })?;
        self.export(&name, ics.as_bytes())
    }

    pub fn list_custom_obligations(&self, r: ById) -> Result<Vec<CustomObligation>> {
        self.with(|bd, _| bd.custom_obligations(&r.id))
    }

    pub fn add_custom_obligation(&self, r: AddCustomObligation) -> Result<CustomObligation> {
        self.with(|bd, ctx| bd.add_custom_obligation(ctx, &r.incident_id, &r.input))
    }

    pub fn retire_custom_obligation(&self, r: RetireCustomObligation) -> Result<CustomObligation> {
        self.with(|bd, ctx| {
            bd.retire_custom_obligation(ctx, &r.incident_id, &r.custom_id, &r.reason)
        })
    }

    pub fn internal_clocks(&self, r: ById) -> Result<Vec<InternalClock>> {
        self.with(|bd, ctx| bd.internal_clocks(&r.id, ctx.now))
    }

    pub fn get_clock_settings(&self, _: Empty) -> Result<InternalClockSettings> {
        self.with(|bd, _| bd.internal_clock_settings())
    }

    pub fn set_clock_settings(&self, s: InternalClockSettings) -> Result<InternalClockSettings> {
        self.with(|bd, ctx| bd.set_internal_clock_settings(ctx, &s))
    }

    pub fn reminder_log(&self, _: Empty) -> Result<Vec<Reminder>> {
        Ok(self.shown_reminders())
    }

    /// Header, first rows and detected mapping of a file; checks and writes nothing.
    pub fn preview_import_file(&self, r: ByPath) -> Result<FilePreview> {
        crate::individuals::preview_file(std::path::Path::new(&r.path), PREVIEW_ROWS)
    }

    /// Imports a file as job `r.job`: progress events while it runs; `cancel_job` stops it and
    /// nothing is written. Reads keep answering meanwhile.
    pub fn import_individuals(&self, r: ImportIndividuals) -> Result<ImportReport> {
        self.run_job(&r.job, |progress| {
            self.with(|bd, ctx| {
                bd.import_individuals(
                    ctx,
                    &r.incident_id,
                    std::path::Path::new(&r.path),
                    &r.options,
                    progress,
                )
            })
        })
    }

    pub fn cancel_job(&self, r: ByJob) -> Result<bool> {
        Ok(self.cancel_job_named(&r.job))
    }

    /// Saves an import's error report (row, column, reason: no personal data) as CSV in the
    /// export folder; returns its path.
    pub fn export_import_errors(&self, r: ExportImportErrors) -> Result<String> {
        let csv = crate::individuals::error_report_csv(&r.errors);
        let stem = std::path::Path::new(&r.file_name)
            .file_stem()
            .map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
        self.export(&format!("{}-errors.csv", crate::files::safe_stem(&stem)), csv.as_bytes())
    }

    pub fn individual_counts(&self, r: ById) -> Result<Counts> {
        self.with(|bd, _| bd.individual_counts(&r.id))
    }

    pub fn state_coverage(&self, r: ById) -> Result<Vec<StateCoverage>> {
        self.with(|bd, _| bd.state_coverage(&r.id))
    }

    pub fn individuals_page(&self, r: IndividualsPage) -> Result<Page> {
        self.with(|bd, _| bd.individuals_page(&r.id, &r.query))
    }

    pub fn search_individuals(&self, r: SearchIndividuals) -> Result<Vec<Individual>> {
        self.with(|bd, _| bd.search_individuals(&r.id, &r.query, SEARCH_HITS))
    }

    pub fn import_batches(&self, r: ById) -> Result<Vec<Batch>> {
        self.with(|bd, _| bd.import_batches(&r.id))
    }

    pub fn rollback_import(&self, r: RollbackImport) -> Result<Vec<ObligationChange>> {
        self.with(|bd, ctx| bd.rollback_import(ctx, &r.incident_id, &r.batch))
    }

    pub fn scan_duplicates(&self, r: ById) -> Result<ScanResult> {
        self.with(|bd, ctx| bd.scan_duplicates(ctx, &r.id))
    }

    pub fn duplicate_queue(&self, r: DuplicateQueue) -> Result<Vec<DuplicatePair>> {
        self.with(|bd, _| bd.duplicate_queue(&r.id, r.decided, QUEUE_LENGTH))
    }

    pub fn decide_duplicate(&self, r: DecideDuplicate) -> Result<Vec<ObligationChange>> {
        self.with(|bd, ctx| bd.decide_duplicate(ctx, &r.incident_id, r.pair, r.merge))
    }

    pub fn saved_mappings(&self, _: Empty) -> Result<Vec<SavedMapping>> {
        self.with(|bd, _| bd.mappings())
    }

    pub fn save_mapping(&self, r: SaveMapping) -> Result<SavedMapping> {
        self.with(|bd, ctx| bd.save_mapping(ctx, &r.name, &r.mapping))
    }
}

impl App {
    pub fn get_org(&self, _: Empty) -> Result<Option<Org>> {
        self.with(|bd, _| bd.org())
    }

    pub fn set_org(&self, r: SetOrg) -> Result<Org> {
        self.with(|bd, ctx| bd.set_org(ctx, &r.profile, None))
    }

    pub fn get_narrative(&self, r: ById) -> Result<Narrative> {
        self.with(|bd, _| bd.narrative(&r.id))
    }

    pub fn set_narrative(&self, r: SetNarrative) -> Result<Narrative> {
        self.with(|bd, ctx| bd.set_narrative(ctx, &r.id, &r.narrative))
    }

    pub fn list_templates(&self, _: Empty) -> Result<Vec<Template>> {
        self.with(|bd, ctx| bd.templates(ctx))
    }

    pub fn get_template(&self, r: TemplateRef) -> Result<Template> {
        self.with(|bd, ctx| bd.template(ctx, &r.id, r.version))
    }

    pub fn add_template(&self, r: AddTemplate) -> Result<Template> {
        self.with(|bd, ctx| bd.add_template(ctx, &r.source))
    }

    /// The template's text rendered on the incident's data: nothing is stored.
    pub fn preview_template(&self, r: PreviewInput) -> Result<Preview> {
        self.with(|bd, ctx| bd.preview_template(ctx, &r))
    }

    pub fn list_notices(&self, r: ById) -> Result<Vec<Notice>> {
        self.with(|bd, ctx| bd.notices(ctx, &r.id))
    }

    pub fn draft_notice(&self, r: DraftNotice) -> Result<Notice> {
        self.with(|bd, ctx| bd.draft_notice(ctx, &r.incident_id, &r.input))
    }

    pub fn get_notice(&self, r: ByNotice) -> Result<Notice> {
        self.with(|bd, ctx| bd.notice(ctx, &r.id))
    }

    pub fn notice_pages(&self, r: ByNotice) -> Result<Preview> {
        self.with(|bd, ctx| bd.notice_pages(ctx, &r.id))
    }

    pub fn approve_notice(&self, r: ApproveNotice) -> Result<Notice> {
        self.with(|bd, ctx| bd.approve_notice(ctx, &r.id, &r.by))
    }

    pub fn record_notice_sent(&self, r: NoticeSent) -> Result<Notice> {
        self.with(|bd, ctx| bd.notice_sent(ctx, &r.id, &r.input))
    }

    pub fn confirm_notice(&self, r: ConfirmNotice) -> Result<Notice> {
        self.with(|bd, ctx| bd.confirm_notice(ctx, &r.id, &r.input))
    }

    pub fn merge_notice(&self, r: MergeNotice) -> Result<MergeReport> {
        let mut input = r.input.clone();
        if input.out_dir.trim().is_empty() {
            let name = format!("merge-{}", crate::files::safe_stem(&r.id));
            input.out_dir = self.export_dir()?.join(name).display().to_string();
        }
        self.run_job(&r.job, |progress| {
            self.with(|bd, ctx| bd.merge_notice(ctx, &r.id, &input, progress))
        })
    }

    pub fn merge_runs(&self, r: ByNotice) -> Result<Vec<MergeRun>> {
        self.with(|bd, _| bd.merge_runs(&r.id))
    }

    pub fn notice_people(&self, r: NoticePeople) -> Result<PeoplePage> {
        self.with(|bd, _| {
            bd.notice_people(
                &r.id,
                r.status.as_deref(),
                r.offset as usize,
                r.limit.min(500) as usize,
            )
        })
    }

    pub fn import_codes(&self, r: ImportIncidentFile) -> Result<CodesReport> {
        self.with(|bd, ctx| bd.import_codes(ctx, &r.incident_id, std::path::Path::new(&r.path)))
    }

    pub fn import_returns(&self, r: ImportIncidentFile) -> Result<ReturnsReport> {
        self.with(|bd, ctx| bd.import_returns(ctx, &r.incident_id, std::path::Path::new(&r.path)))
    }

    /// Saves the notice's 164.414 evidence CSV in the export folder; returns its path.
    pub fn export_notice_evidence(&self, r: ByNotice) -> Result<String> {
        let csv = self.with(|bd, _| bd.notice_evidence_csv(&r.id))?;
        self.export(&format!("{}-evidence.csv", crate::files::safe_stem(&r.id)), csv.as_bytes())
    }

    pub fn get_smtp(&self, _: Empty) -> Result<Option<SmtpShown>> {
        self.with(|bd, _| bd.smtp(self.keyring()))
    }

    pub fn set_smtp(&self, r: SetSmtp) -> Result<SmtpShown> {
        let ca_cert_pem = match r.ca_cert.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(crate::files::read_small(std::path::Path::new(p), "ca_cert")?),
            None => None,
        };
        let cfg = crate::notices::SmtpConfig {
            host: r.host.trim().to_owned(),
            port: r.port,
            user: r.user.trim().to_owned(),
            password: r.password,
            security: r.security,
            ca_cert_pem,
        };
        self.with(|bd, _| bd.set_smtp(self.keyring(), &cfg))
    }

    pub fn send_notice_email(&self, r: SendNoticeEmail) -> Result<SendReport> {
        self.run_job(&r.job, |progress| {
            self.with(|bd, ctx| {
                bd.send_notice_email(
                    ctx,
                    self.keyring(),
                    &r.id,
                    r.dry_run,
                    crate::notices::Pace::default(),
                    progress,
                )
            })
        })
    }

    /// Saves the notice's PDF in the export folder; returns its path.
    /// The board at the shell's clock; "waiting for me" is the user's as executive sponsor.
    pub fn board(&self, r: BoardQuery) -> Result<Board> {
        self.with(|bd, ctx| bd.board(ctx.now, r.all, bd.user_name()?.as_deref()))
    }

    /// Saves the one-page board pack in the export folder; returns its path.
    pub fn export_board_pack(&self, r: BoardPack) -> Result<String> {
        let pack = self.with(|bd, ctx| bd.board_pack(ctx.now, r.signed_by.as_deref()))?;
        self.export(&pack.file_name, &pack.pdf)
    }

    pub fn metrics(&self, r: MetricsQuery) -> Result<Metrics> {
        let since = match r.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(crate::board::parse_since(s)?),
            None => None,
        };
        self.with(|bd, ctx| bd.metrics(ctx.now, since))
    }

    pub fn internal_update(&self, r: InternalUpdateQuery) -> Result<InternalUpdate> {
        self.with(|bd, ctx| bd.internal_update(&r.id, r.kind, ctx.now))
    }

    /// Saves an internal update's text (as edited) as a `.txt` file; returns its path.
    pub fn save_internal_update(&self, r: SaveInternalUpdate) -> Result<String> {
        let (human, at) = self.with(|bd, ctx| Ok((bd.get_incident(&r.id)?.human_id, ctx.now)))?;
        let kind = match r.kind {
            CommsKind::Initial => "initial-alert",
            CommsKind::Status => "status-update",
            CommsKind::Resolution => "resolution",
        };
        let name = format!("{human}-{kind}-{}.txt", at.format("%Y%m%d-%H%M"));
        self.export(&name, r.text.as_bytes())
    }

    pub fn export_notice_pdf(&self, r: ByNotice) -> Result<String> {
        let (name, bytes) = self.with(|bd, ctx| bd.notice_pdf(ctx, &r.id))?;
        self.export(&name, &bytes)
    }
}

/// `list_incidents` → `listIncidents`.
fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

macro_rules! client {
    ($($name:ident($req:ident) -> $resp:ty;)*) => {
        /// The window's typed client: one function per command, taking its request.
        #[must_use]
        pub fn typescript_client() -> String {
            use ts_rs::TS;
            let mut out = String::from(
                "/** Every command of the app (crates/breachdesk-core/src/commands.rs). */\nexport const commands = {\n",
            );
            $(
                let (name, req, resp) = (stringify!($name), stringify!($req), <$resp as TS>::name());
                if req == "Empty" {
                    out.push_str(&format!("  {}: () => call<{resp}>('{name}', {{}}),\n", camel(name)));
                } else {
                    out.push_str(&format!("  {}: (req: {req}) => call<{resp}>('{name}', req),\n", camel(name)));
                }
            )*
            out.push_str("};\n");
            out
        }

        /// The names of every command, in the list's order.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

with_commands!(client);

#[cfg(test)]
mod tests {
    #[test]
    fn names_become_camel_case() {
        assert_eq!(super::camel("list_incidents"), "listIncidents");
        assert_eq!(super::camel("app_status"), "appStatus");
        assert_eq!(super::camel("ics"), "ics");
    }

    #[test]
    fn every_command_is_in_the_client_once() {
        let ts = super::typescript_client();
        for name in super::NAMES {
            assert_eq!(ts.matches(&format!("'{name}'")).count(), 1, "{name}");
        }
    }
}
