//! The desktop shell. Each command takes the state, calls breachdesk-core, and maps the error to
//! `{code, message, field}` (core's `ipc::ErrorBody`). No business logic lives here.

use breachdesk_core::audit::AuditReport;
use breachdesk_core::incident::{Incident, IncidentPatch, NewIncident};
use breachdesk_core::ipc::{AppStatus, ErrorBody, IncidentDetail, SetupInput, Vocabulary};
use breachdesk_core::timeline::{NewTimelineEntry, TimelineEntry};
use breachdesk_core::{datadir, Breachdesk, Ctx, Error, KeyMode, KeySetup, OsKeyring, Passphrase, SecretStore};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use tauri::State;

type CmdResult<T> = Result<T, ErrorBody>;

/// The app's one open data directory.
pub struct AppState {
    dir: PathBuf,
    open: Mutex<Option<Breachdesk>>,
    /// Why the last automatic unlock failed, shown on the start screen.
    problem: Mutex<Option<ErrorBody>>,
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
        let state = AppState { dir, open: Mutex::new(None), problem: Mutex::new(None) };
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
        f(bd, &ctx).map_err(|e| err(&e))
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
        KeyMode::Passphrase => KeySetup::Passphrase(Passphrase::new(input.passphrase.unwrap_or_default())),
    };
    let name = input.user_name.trim();
    if name.is_empty() {
        return Err(err(&Error::Validation { field: "user_name".into(), message: "is required".into() }));
    }
    let bd = Breachdesk::init(&state.dir, &mode, &OsKeyring, Some(name), now()).map_err(|e| err(&e))?;
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
    state.with(|bd, _| Ok(IncidentDetail { incident: bd.get_incident(&id)?, timeline: bd.timeline(&id)? }))
}

#[tauri::command]
fn update_incident(state: State<'_, AppState>, id: String, patch: IncidentPatch) -> CmdResult<Incident> {
    state.with(|bd, ctx| bd.update_incident(ctx, &id, &patch))
}

#[tauri::command]
fn add_timeline_entry(state: State<'_, AppState>, incident_id: String, input: NewTimelineEntry) -> CmdResult<TimelineEntry> {
    state.with(|bd, ctx| bd.add_timeline_entry(ctx, &incident_id, &input))
}

#[tauri::command]
fn verify_audit(state: State<'_, AppState>) -> CmdResult<AuditReport> {
    state.with(|bd, _| bd.verify_audit())
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
        .manage(AppState::new(dir))
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
            verify_audit
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}
