//! The desktop shell. Each command takes the state, calls breachdesk-core, and maps the error to
//! `{code, message, field}` (core's `ipc::ErrorBody`). No business logic lives here.
#![forbid(unsafe_code)] // the workspace denies it; only breachdesk-core::bulk may allow it

use breachdesk_core::audit::AuditReport;
use breachdesk_core::custom::{CustomObligation, NewCustomObligation};
use breachdesk_core::incident::{Incident, IncidentPatch, NewIncident};
use breachdesk_core::individuals::{
    Batch, Counts, FilePreview, ImportOptions, ImportReport, Page, PageQuery, Progress,
    StateCoverage,
};
use breachdesk_core::internal::{InternalClock, InternalClockSettings};
use breachdesk_core::ipc::{AppStatus, ErrorBody, IncidentDetail, SetupInput, Vocabulary};
use breachdesk_core::obligations::{
    DecisionInput, FactsDraft, FactsPreview, FilingInput, IncidentFacts, Obligation,
    ObligationChange,
};
use breachdesk_core::reminders::Reminder;
use breachdesk_core::timeline::{NewTimelineEntry, TimelineEntry};
use breachdesk_core::{
    datadir, Breachdesk, Ctx, Error, KeyMode, KeySetup, OsKeyring, Passphrase, SecretStore,
};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_notification::NotificationExt;

type CmdResult<T> = Result<T, ErrorBody>;

/// The app's one open data directory.
pub struct AppState {
    dir: PathBuf,
    open: Mutex<Option<Breachdesk>>,
    /// Why the last automatic unlock failed, shown on the start screen.
    problem: Mutex<Option<ErrorBody>>,
    /// Reminders shown since the app started, newest first.
    reminders: Mutex<Vec<Reminder>>,
    /// Set to cancel the running import (checked between batches of rows).
    cancel_import: std::sync::atomic::AtomicBool,
}

fn err(e: &Error) -> ErrorBody {
    ErrorBody::from(e)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

impl AppState {
    fn new(dir: PathBuf) -> Self {
        let state = AppState {
            dir,
            open: Mutex::new(None),
            problem: Mutex::new(None),
            reminders: Mutex::new(Vec::new()),
            cancel_import: std::sync::atomic::AtomicBool::new(false),
        };
        // Keyring mode unlocks by itself; passphrase mode waits for the user.
        if matches!(Breachdesk::status(&state.dir), Ok(s) if s.mode == Some(KeyMode::Keyring)) {
            match Breachdesk::open(&state.dir, None, &OsKeyring, now()) {
                Ok(bd) => *lock(&state.open) = Some(bd),
                Err(e) => *lock(&state.problem) = Some(err(&e)),
            }
        }
        state
    }

    fn status(&self) -> CmdResult<AppStatus> {
        let dir = Breachdesk::status(&self.dir).map_err(|e| err(&e))?;
        let open = lock(&self.open);
        let keyring_available = OsKeyring.get("probe:availability").is_ok();
        Ok(AppStatus {
            dir,
            unlocked: open.is_some(),
            user_name: open.as_ref().and_then(|b| b.user_name().ok().flatten()),
            keyring_available,
            problem: lock(&self.problem).clone(),
        })
    }

    /// Runs `f` on the unlocked data with the user as actor.
    fn with<T>(&self, f: impl FnOnce(&mut Breachdesk, &Ctx) -> Result<T, Error>) -> CmdResult<T> {
        let mut guard = lock(&self.open);
        let bd = guard.as_mut().ok_or_else(|| ErrorBody {
            code: "locked".into(),
            message: "Breachdesk is locked: unlock it first".into(),
            field: None,
        })?;
        let actor = bd.user_name().map_err(|e| err(&e))?.unwrap_or_else(|| "unknown user".into());
        let ctx = Ctx::new(&actor, now()).map_err(|e| err(&e))?;
        let dir = bd.data_dir().to_owned();
        f(bd, &ctx).map_err(|e| err(&e.explain_busy(&dir)))
    }
}

#[tauri::command]
fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    state.status()
}

#[tauri::command]
fn setup(state: State<'_, AppState>, input: SetupInput) -> CmdResult<AppStatus> {
    let mode = match input.mode {
        KeyMode::Keyring => KeySetup::Keyring,
        KeyMode::Passphrase => {
            KeySetup::Passphrase(Passphrase::new(input.passphrase.unwrap_or_default()))
        }
    };
    let name = input.user_name.trim();
    if name.is_empty() {
        return Err(err(&Error::Validation {
            field: "user_name".into(),
            message: "is required".into(),
        }));
    }
    let bd =
        Breachdesk::init(&state.dir, &mode, &OsKeyring, Some(name), now()).map_err(|e| err(&e))?;
    *lock(&state.open) = Some(bd);
    *lock(&state.problem) = None;
    state.status()
}

#[tauri::command]
fn unlock(state: State<'_, AppState>, passphrase: Option<String>) -> CmdResult<AppStatus> {
    let p = passphrase.map(Passphrase::new);
    let bd = Breachdesk::open(&state.dir, p.as_ref(), &OsKeyring, now()).map_err(|e| err(&e))?;
    *lock(&state.open) = Some(bd);
    *lock(&state.problem) = None;
    state.status()
}

#[tauri::command]
fn vocabulary() -> Vocabulary {
    Vocabulary::get()
}

#[tauri::command]
fn list_incidents(state: State<'_, AppState>) -> CmdResult<Vec<Incident>> {
    state.with(|bd, _| bd.list_incidents())
}

#[tauri::command]
fn create_incident(state: State<'_, AppState>, input: NewIncident) -> CmdResult<Incident> {
    state.with(|bd, ctx| bd.create_incident(ctx, &input))
}

#[tauri::command]
fn get_incident(state: State<'_, AppState>, id: String) -> CmdResult<IncidentDetail> {
    state.with(|bd, _| {
        Ok(IncidentDetail { incident: bd.get_incident(&id)?, timeline: bd.timeline(&id)? })
    })
}

#[tauri::command]
fn update_incident(
    state: State<'_, AppState>,
    id: String,
    patch: IncidentPatch,
) -> CmdResult<Incident> {
    state.with(|bd, ctx| bd.update_incident(ctx, &id, &patch))
}

#[tauri::command]
fn add_timeline_entry(
    state: State<'_, AppState>,
    incident_id: String,
    input: NewTimelineEntry,
) -> CmdResult<TimelineEntry> {
    state.with(|bd, ctx| bd.add_timeline_entry(ctx, &incident_id, &input))
}

#[tauri::command]
fn verify_audit(state: State<'_, AppState>) -> CmdResult<AuditReport> {
    state.with(|bd, _| bd.verify_audit())
}

#[tauri::command]
fn get_facts(state: State<'_, AppState>, id: String) -> CmdResult<IncidentFacts> {
    state.with(|bd, _| bd.facts(&id))
}

#[tauri::command]
fn preview_draft(
    state: State<'_, AppState>,
    id: String,
    draft: FactsDraft,
) -> CmdResult<FactsPreview> {
    state.with(|bd, _| bd.preview_draft(&id, &draft))
}

#[tauri::command]
fn save_draft(
    state: State<'_, AppState>,
    id: String,
    draft: FactsDraft,
) -> CmdResult<Vec<ObligationChange>> {
    state.with(|bd, ctx| bd.save_draft(ctx, &id, &draft))
}

#[tauri::command]
fn list_obligations(state: State<'_, AppState>, id: String) -> CmdResult<Vec<Obligation>> {
    state.with(|bd, ctx| bd.obligations(&id, ctx.now))
}

#[tauri::command]
fn decide_obligation(
    state: State<'_, AppState>,
    incident_id: String,
    obligation_id: String,
    input: DecisionInput,
) -> CmdResult<Obligation> {
    state.with(|bd, ctx| bd.decide_obligation(ctx, &incident_id, &obligation_id, &input))
}

#[tauri::command]
fn record_filing(
    state: State<'_, AppState>,
    incident_id: String,
    obligation_id: String,
    input: FilingInput,
) -> CmdResult<Obligation> {
    state.with(|bd, ctx| bd.record_filing(ctx, &incident_id, &obligation_id, &input))
}

#[tauri::command]
fn list_custom_obligations(
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<Vec<CustomObligation>> {
    state.with(|bd, _| bd.custom_obligations(&id))
}

#[tauri::command]
fn add_custom_obligation(
    state: State<'_, AppState>,
    incident_id: String,
    input: NewCustomObligation,
) -> CmdResult<CustomObligation> {
    state.with(|bd, ctx| bd.add_custom_obligation(ctx, &incident_id, &input))
}

#[tauri::command]
fn retire_custom_obligation(
    state: State<'_, AppState>,
    incident_id: String,
    custom_id: String,
    reason: String,
) -> CmdResult<CustomObligation> {
    state.with(|bd, ctx| bd.retire_custom_obligation(ctx, &incident_id, &custom_id, &reason))
}

#[tauri::command]
fn internal_clocks(state: State<'_, AppState>, id: String) -> CmdResult<Vec<InternalClock>> {
    state.with(|bd, ctx| bd.internal_clocks(&id, ctx.now))
}

#[tauri::command]
fn get_clock_settings(state: State<'_, AppState>) -> CmdResult<InternalClockSettings> {
    state.with(|bd, _| bd.internal_clock_settings())
}

#[tauri::command]
fn set_clock_settings(
    state: State<'_, AppState>,
    settings: InternalClockSettings,
) -> CmdResult<InternalClockSettings> {
    state.with(|bd, ctx| bd.set_internal_clock_settings(ctx, &settings))
}

#[tauri::command]
fn reminder_log(state: State<'_, AppState>) -> Vec<Reminder> {
    lock(&state.reminders).clone()
}

/// Where exports go: `BREACHDESK_EXPORT_DIR`, else the user's Downloads folder, else home.
fn export_dir(app: &AppHandle) -> CmdResult<PathBuf> {
    if let Some(d) = std::env::var_os("BREACHDESK_EXPORT_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    let path = app.path();
    path.download_dir().or_else(|_| path.home_dir()).map_err(|e| ErrorBody {
        code: "io".into(),
        message: format!("no folder to export to: {e}"),
        field: None,
    })
}

/// Writes `bytes` to `dir/name` through a private temporary file in the same folder, so a reader
/// never sees half a file and nothing is left behind on an error.
fn write_export(dir: &Path, name: &str, bytes: &[u8]) -> CmdResult<String> {
    std::fs::create_dir_all(dir)
        .map_err(|source| err(&Error::Io { path: dir.to_owned(), source }))?;
    let target = dir.join(name);
    breachdesk_core::files::AtomicFile::write_all(&target, bytes).map_err(|e| err(&e))?;
    Ok(target.display().to_string())
}

/// Saves the incident's open deadlines as an iCalendar file and returns its path.
#[tauri::command]
fn export_ics(app: AppHandle, state: State<'_, AppState>, id: String) -> CmdResult<String> {
    let (human_id, ics) = state
        .with(|bd, ctx| Ok((bd.get_incident(&id)?.human_id, bd.deadlines_ics(&id, ctx.now)?)))?;
    write_export(&export_dir(&app)?, &format!("{human_id}-deadlines.ics"), ics.as_bytes())
}

/// Saves a signed checkpoint of the audit log's head (to keep outside Breachdesk) and returns
/// where it went.
#[tauri::command]
fn save_checkpoint(app: AppHandle, state: State<'_, AppState>) -> CmdResult<String> {
    let cp = state.with(|bd, ctx| bd.checkpoint(ctx.now))?;
    let text =
        serde_json::to_string_pretty(&cp).map_err(|e| err(&Error::Internal(e.to_string())))?;
    let stamp = cp.at.replace([':', '-'], "");
    write_export(
        &export_dir(&app)?,
        &format!("breachdesk-checkpoint-{}-row{}.json", stamp.trim_end_matches('Z'), cp.seq),
        text.as_bytes(),
    )
}

#[tauri::command]
fn preview_import_file(path: String) -> CmdResult<FilePreview> {
    breachdesk_core::individuals::preview_file(Path::new(&path), 20).map_err(|e| err(&e))
}

/// Imports a file on a worker thread (the window stays responsive), with `import-progress`
/// events; `cancel_import` stops it and nothing is written.
#[tauri::command]
async fn import_individuals(
    app: AppHandle,
    incident_id: String,
    path: String,
    options: ImportOptions,
) -> CmdResult<ImportReport> {
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = handle.state::<AppState>();
        state.cancel_import.store(false, std::sync::atomic::Ordering::SeqCst);
        state.with(|bd, ctx| {
            bd.import_individuals(
                ctx,
                &incident_id,
                Path::new(&path),
                &options,
                &mut |p: Progress| {
                    let _ = handle.emit("import-progress", p);
                    !state.cancel_import.load(std::sync::atomic::Ordering::SeqCst)
                },
            )
        })
    })
    .await
    .map_err(|e| err(&Error::Internal(format!("import worker: {e}"))))?
}

#[tauri::command]
fn cancel_import(state: State<'_, AppState>) {
    state.cancel_import.store(true, std::sync::atomic::Ordering::SeqCst);
}

#[tauri::command]
fn individual_counts(state: State<'_, AppState>, id: String) -> CmdResult<Counts> {
    state.with(|bd, _| bd.individual_counts(&id))
}

#[tauri::command]
fn state_coverage(state: State<'_, AppState>, id: String) -> CmdResult<Vec<StateCoverage>> {
    state.with(|bd, _| bd.state_coverage(&id))
}

#[tauri::command]
fn individuals_page(state: State<'_, AppState>, id: String, query: PageQuery) -> CmdResult<Page> {
    state.with(|bd, _| bd.individuals_page(&id, &query))
}

#[tauri::command]
fn search_individuals(
    state: State<'_, AppState>,
    id: String,
    query: String,
) -> CmdResult<Vec<breachdesk_core::individuals::Individual>> {
    state.with(|bd, _| bd.search_individuals(&id, &query, 200))
}

#[tauri::command]
fn import_batches(state: State<'_, AppState>, id: String) -> CmdResult<Vec<Batch>> {
    state.with(|bd, _| bd.import_batches(&id))
}

#[tauri::command]
fn rollback_import(
    state: State<'_, AppState>,
    incident_id: String,
    batch: String,
) -> CmdResult<Vec<ObligationChange>> {
    state.with(|bd, ctx| bd.rollback_import(ctx, &incident_id, &batch))
}

#[tauri::command]
fn scan_duplicates(
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<breachdesk_core::individuals::review::ScanResult> {
    state.with(|bd, ctx| bd.scan_duplicates(ctx, &id))
}

#[tauri::command]
fn duplicate_queue(
    state: State<'_, AppState>,
    id: String,
    decided: bool,
) -> CmdResult<Vec<breachdesk_core::individuals::review::DuplicatePair>> {
    state.with(|bd, _| bd.duplicate_queue(&id, decided, 200))
}

#[tauri::command]
fn decide_duplicate(
    state: State<'_, AppState>,
    incident_id: String,
    pair: i64,
    merge: bool,
) -> CmdResult<Vec<ObligationChange>> {
    state.with(|bd, ctx| bd.decide_duplicate(ctx, &incident_id, pair, merge))
}

#[tauri::command]
fn saved_mappings(
    state: State<'_, AppState>,
) -> CmdResult<Vec<breachdesk_core::individuals::mapping::SavedMapping>> {
    state.with(|bd, _| bd.mappings())
}

#[tauri::command]
fn save_mapping(
    state: State<'_, AppState>,
    name: String,
    mapping: breachdesk_core::individuals::mapping::Mapping,
) -> CmdResult<breachdesk_core::individuals::mapping::SavedMapping> {
    state.with(|bd, ctx| bd.save_mapping(ctx, &name, &mapping))
}

/// Saves an import's error report (row, column, reason: no personal data) as CSV in the export
/// folder and returns its path.
#[tauri::command]
fn export_import_errors(
    app: AppHandle,
    file_name: String,
    errors: Vec<breachdesk_core::individuals::RowError>,
) -> CmdResult<String> {
    let csv = breachdesk_core::individuals::error_report_csv(&errors);
    let stem = Path::new(&file_name)
        .file_stem()
        .map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
    let safe: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    write_export(&export_dir(&app)?, &format!("{safe}-errors.csv"), csv.as_bytes())
}

/// One pass of the reminder loop: finds the reminders now due, records them as shown, and shows
/// them as desktop notifications and in the app.
fn remind(app: &AppHandle) {
    let state = app.state::<AppState>();
    let due = {
        // An import may hold the store for a while: skip this pass rather than wait.
        let Ok(mut guard) = state.open.try_lock() else { return };
        let Some(bd) = guard.as_mut() else { return };
        let actor = bd.user_name().ok().flatten().unwrap_or_else(|| "reminders".into());
        let Ok(ctx) = Ctx::new(&actor, now()) else { return };
        match bd.due_reminders(ctx.now) {
            Ok(r) if !r.is_empty() => {
                if bd.mark_reminders_sent(&ctx, &r).is_err() {
                    return;
                }
                r
            }
            _ => return,
        }
    };
    for r in &due {
        // No notification daemon (a bare CI session) is not an error worth more than the in-app list.
        let _ = app.notification().builder().title(&r.title).body(&r.body).show();
    }
    {
        let mut log = lock(&state.reminders);
        for r in due.iter().rev() {
            log.insert(0, r.clone());
        }
        log.truncate(200);
    }
    let _ = app.emit("reminders", &due);
}

/// Starts the desktop app on `--data-dir`, `BREACHDESK_DATA_DIR`, or the platform default.
///
/// # Errors
/// When the data directory cannot be resolved or Tauri cannot start.
pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut explicit = None;
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            explicit = args.next().map(PathBuf::from);
        } else if let Some(v) = a.strip_prefix("--data-dir=") {
            explicit = Some(PathBuf::from(v));
        }
    }
    let dir = datadir::resolve(explicit)?;
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(dir))
        .setup(|app| {
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(Duration::from_secs(5));
                remind(&handle);
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app_status,
            setup,
            unlock,
            vocabulary,
            list_incidents,
            create_incident,
            get_incident,
            update_incident,
            add_timeline_entry,
            verify_audit,
            get_facts,
            preview_draft,
            save_draft,
            list_obligations,
            decide_obligation,
            record_filing,
            list_custom_obligations,
            add_custom_obligation,
            retire_custom_obligation,
            internal_clocks,
            get_clock_settings,
            set_clock_settings,
            reminder_log,
            export_ics,
            save_checkpoint,
            preview_import_file,
            import_individuals,
            cancel_import,
            individual_counts,
            state_coverage,
            individuals_page,
            search_individuals,
            import_batches,
            rollback_import,
            scan_duplicates,
            duplicate_queue,
            decide_duplicate,
            saved_mappings,
            save_mapping,
            export_import_errors
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}
