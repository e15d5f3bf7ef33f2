//! The desktop shell: Tauri around `breachdesk_core::app::App`. Every command is generated from
//! the one list in `breachdesk_core::commands` and delegates to the `App` method of its name on a
//! worker thread, so the window never waits on the store. What only the shell has — the clock,
//! the Downloads folder, window events, desktop notifications — reaches the core through
//! [`DesktopShell`]. No business logic lives here.
#![forbid(unsafe_code)] // the workspace denies it; only breachdesk-core::bulk may allow it

use breachdesk_core::app::{App, Shell};
use breachdesk_core::commands::*;
use breachdesk_core::ipc::ErrorBody;
use breachdesk_core::{Error, OsKeyring};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_notification::NotificationExt;

/// How often the reminder loop looks for reminders due.
const REMINDER_TICK: Duration = Duration::from_secs(5);

/// What the shell gives the core.
struct DesktopShell(AppHandle);

impl Shell for DesktopShell {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }

    fn downloads_dir(&self) -> Option<PathBuf> {
        let path = self.0.path();
        path.download_dir().or_else(|_| path.home_dir()).ok()
    }

    fn emit(&self, event: &str, payload: serde_json::Value) {
        let _ = self.0.emit(event, payload);
    }

    fn notify(&self, title: &str, body: &str) {
        let _ = self.0.notification().builder().title(title).body(body).show();
    }
}

/// Runs a command's work off the main thread; its error crosses as `{code, message, field}`.
async fn delegate<T: Send + 'static>(
    app: &State<'_, Arc<App>>,
    work: impl FnOnce(&App) -> Result<T, Error> + Send + 'static,
) -> Result<T, ErrorBody> {
    let app = Arc::clone(app);
    tauri::async_runtime::spawn_blocking(move || work(&app))
        .await
        .map_err(|e| ErrorBody::from(&Error::Internal(format!("command worker: {e}"))))?
        .map_err(|e| ErrorBody::from(&e))
}

macro_rules! tauri_commands {
    ($($name:ident($req:ident) -> $resp:ty;)*) => {
        $(
            #[tauri::command]
            async fn $name(app: State<'_, Arc<App>>, req: $req) -> Result<$resp, ErrorBody> {
                delegate(&app, move |a| a.$name(req)).await
            }
        )*

        fn handlers() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

breachdesk_core::with_commands!(tauri_commands);

/// Starts the desktop app on `--data-dir`, `BREACHDESK_DATA_DIR`, or the platform default.
///
/// # Errors
/// When the data directory cannot be resolved or Tauri cannot start.
pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let dir = breachdesk_core::app::data_dir_from_args(std::env::args().skip(1))?;
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(move |tauri_app| {
            let shell = Box::new(DesktopShell(tauri_app.handle().clone()));
            let app = Arc::new(App::new(dir, Box::new(OsKeyring), shell));
            tauri_app.manage(Arc::clone(&app));
            std::thread::spawn(move || loop {
                std::thread::sleep(REMINDER_TICK);
                let _ = app.remind(); // locked or busy: the next tick tries again
            });
            Ok(())
        })
        .invoke_handler(handlers())
        .run(tauri::generate_context!())?;
    Ok(())
}
