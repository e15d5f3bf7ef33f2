//! The desktop app's state and services, kept out of the shell so they are tested here and the
//! shell stays a list of delegations.
//!
//! [`App`] holds one data directory: locked or unlocked, the reminders shown since start, and the
//! long jobs running. The shell supplies what only it has through [`Shell`]: the clock, the
//! Downloads folder, events to the window and desktop notifications. Commands (see
//! [`crate::commands`]) run on worker threads; an unlocked store is shared as an
//! `Arc<Breachdesk>`, so a read runs on a pooled connection while an import holds the writer.

use crate::ipc::{AppStatus, ErrorBody};
use crate::reminders::Reminder;
use crate::{datadir, files, Breachdesk, Ctx, Error, KeyMode, Result, SecretStore};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

/// What the desktop shell provides to the core.
pub trait Shell: Send + Sync {
    /// The current time (the only clock the app reads).
    fn now(&self) -> DateTime<Utc>;
    /// The user's Downloads folder, else their home folder.
    fn downloads_dir(&self) -> Option<PathBuf>;
    /// Sends an event to the window.
    fn emit(&self, event: &str, payload: serde_json::Value);
    /// Shows a desktop notification (best effort: a session without a notification daemon shows
    /// the reminder in the app only).
    fn notify(&self, title: &str, body: &str);
}

/// The events the window listens to.
pub mod events {
    /// A long job's progress: [`super::JobProgress`].
    pub const JOB_PROGRESS: &str = "job-progress";
    /// Reminders just shown: `Reminder[]`.
    pub const REMINDERS: &str = "reminders";
}

/// A long job's progress, as the window receives it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct JobProgress {
    /// The id the window gave the job when it started it.
    pub job: String,
    pub progress: crate::individuals::Progress,
}

/// The app's one data directory and what runs against it.
pub struct App {
    dir: PathBuf,
    keyring: Box<dyn SecretStore + Send + Sync>,
    shell: Box<dyn Shell>,
    open: RwLock<Option<Arc<Breachdesk>>>,
    /// Why the last automatic unlock failed, shown on the start screen.
    problem: Mutex<Option<ErrorBody>>,
    /// Reminders shown since the app started, newest first.
    reminders: Mutex<Vec<Reminder>>,
    /// Long jobs running, by the id the window gave them: set the flag to cancel.
    jobs: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Reminders kept for the in-app list.
const REMINDER_LOG: usize = 200;

impl App {
    /// The app on `dir`. Keyring mode unlocks at once; passphrase mode waits for the user.
    pub fn new(
        dir: PathBuf,
        keyring: Box<dyn SecretStore + Send + Sync>,
        shell: Box<dyn Shell>,
    ) -> App {
        let app = App {
            dir,
            keyring,
            shell,
            open: RwLock::default(),
            problem: Mutex::default(),
            reminders: Mutex::default(),
            jobs: Mutex::default(),
        };
        if matches!(Breachdesk::status(&app.dir), Ok(s) if s.mode == Some(KeyMode::Keyring)) {
            match Breachdesk::open(&app.dir, None, app.keyring.as_ref(), app.shell.now()) {
                Ok(bd) => app.set_open(bd),
                Err(e) => *lock(&app.problem) = Some(ErrorBody::from(&e)),
            }
        }
        app
    }

    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        self.shell.now()
    }

    fn set_open(&self, bd: Breachdesk) {
        *self.open.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(bd));
        *lock(&self.problem) = None;
    }

    /// The unlocked store, shared: holding it never blocks another command.
    ///
    /// # Errors
    /// [`Error::Locked`] before set-up or unlock.
    pub fn store(&self) -> Result<Arc<Breachdesk>> {
        self.open.read().unwrap_or_else(PoisonError::into_inner).clone().ok_or(Error::Locked)
    }

    /// Runs `f` on the unlocked store with the user as actor, at the shell's time.
    ///
    /// # Errors
    /// [`Error::Locked`], and what `f` returns (a busy store's error names what holds it).
    pub fn with<T>(&self, f: impl FnOnce(&Breachdesk, &Ctx) -> Result<T>) -> Result<T> {
        let bd = self.store()?;
        let actor = bd.user_name()?.unwrap_or_else(|| "unknown user".into());
        let ctx = Ctx::new(&actor, self.now())?;
        f(&bd, &ctx).map_err(|e| e.explain_busy(bd.data_dir()))
    }

    /// Where the app stands: set up? unlocked? who is the user?
    ///
    /// # Errors
    /// When the data directory's custody file cannot be read.
    pub fn status(&self) -> Result<AppStatus> {
        let dir = Breachdesk::status(&self.dir)?;
        let open = self.store().ok();
        Ok(AppStatus {
            dir,
            unlocked: open.is_some(),
            user_name: open.as_ref().and_then(|b| b.user_name().ok().flatten()),
            keyring_available: self.keyring.get("probe:availability").is_ok(),
            problem: lock(&self.problem).clone(),
            passphrase_min_chars: crate::custody::MIN_PASSPHRASE_CHARS,
        })
    }

    /// First-run set-up.
    ///
    /// # Errors
    /// As [`Breachdesk::init`]; [`Error::Validation`] on `user_name` when blank.
    pub fn setup(&self, input: crate::ipc::SetupInput) -> Result<AppStatus> {
        let setup = match input.mode {
            KeyMode::Keyring => crate::KeySetup::Keyring,
            KeyMode::Passphrase => crate::KeySetup::Passphrase(crate::Passphrase::new(
                input.passphrase.unwrap_or_default(),
            )),
        };
        let name = crate::incident::required("user_name", &input.user_name, 200)?;
        let bd =
            Breachdesk::init(&self.dir, &setup, self.keyring.as_ref(), Some(&name), self.now())?;
        self.set_open(bd);
        self.status()
    }

    /// Unlocks with the passphrase (or the keyring, with none).
    ///
    /// # Errors
    /// As [`Breachdesk::open`].
    pub fn unlock(&self, r: crate::commands::Unlock) -> Result<AppStatus> {
        let p = r.passphrase.map(crate::Passphrase::new);
        let bd = Breachdesk::open(&self.dir, p.as_ref(), self.keyring.as_ref(), self.now())?;
        self.set_open(bd);
        self.status()
    }

    // ---- long jobs -----------------------------------------------------------------------

    /// Runs a long job under the window's id `job`: `work` gets a progress callback that sends
    /// [`events::JOB_PROGRESS`] and answers whether to go on; [`App::cancel_job_named`] stops it.
    ///
    /// # Errors
    /// [`Error::Validation`] on `job` when blank or already running; what `work` returns.
    pub fn run_job<T>(
        &self,
        job: &str,
        work: impl FnOnce(&mut dyn FnMut(crate::individuals::Progress) -> bool) -> Result<T>,
    ) -> Result<T> {
        let job = crate::incident::required("job", job, 100)?;
        let cancel = Arc::new(AtomicBool::new(false));
        {
            let mut jobs = lock(&self.jobs);
            if jobs.contains_key(&job) {
                return Err(Error::validation("job", format!("job {job:?} is already running")));
            }
            jobs.insert(job.clone(), Arc::clone(&cancel));
        }
        let mut progress = |p: crate::individuals::Progress| {
            let event = JobProgress { job: job.clone(), progress: p };
            if let Ok(v) = serde_json::to_value(&event) {
                self.shell.emit(events::JOB_PROGRESS, v);
            }
            !cancel.load(Ordering::SeqCst)
        };
        let result = work(&mut progress);
        lock(&self.jobs).remove(&job);
        result
    }

    /// Asks a running job to stop (it stops between batches; a cancelled import writes nothing).
    /// Returns whether such a job was running.
    pub fn cancel_job_named(&self, job: &str) -> bool {
        lock(&self.jobs).get(job).is_some_and(|c| {
            c.store(true, Ordering::SeqCst);
            true
        })
    }

    // ---- reminders -----------------------------------------------------------------------

    /// One pass of the reminder loop: the reminders now due are recorded as shown, sent as
    /// desktop notifications and to the window, and kept for the in-app list. Returns them.
    ///
    /// # Errors
    /// [`Error::Locked`]; database errors (a busy store: the next pass tries again).
    pub fn remind(&self) -> Result<Vec<Reminder>> {
        let due = self.with(|bd, ctx| {
            let due = bd.due_reminders(ctx.now)?;
            if !due.is_empty() {
                bd.mark_reminders_sent(ctx, &due)?;
            }
            Ok(due)
        })?;
        if due.is_empty() {
            return Ok(due);
        }
        for r in &due {
            self.shell.notify(&r.title, &r.body);
        }
        {
            let mut log = lock(&self.reminders);
            for r in due.iter().rev() {
                log.insert(0, r.clone());
            }
            log.truncate(REMINDER_LOG);
        }
        if let Ok(v) = serde_json::to_value(&due) {
            self.shell.emit(events::REMINDERS, v);
        }
        Ok(due)
    }

    /// The reminders shown since the app started, newest first.
    #[must_use]
    pub fn shown_reminders(&self) -> Vec<Reminder> {
        lock(&self.reminders).clone()
    }

    // ---- exports -------------------------------------------------------------------------

    /// Where exports go: `BREACHDESK_EXPORT_DIR`, else the user's Downloads folder, else home.
    ///
    /// # Errors
    /// [`Error::Io`] when there is no folder to export to.
    pub fn export_dir(&self) -> Result<PathBuf> {
        if let Some(d) = std::env::var_os("BREACHDESK_EXPORT_DIR").filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(d));
        }
        self.shell.downloads_dir().ok_or_else(|| Error::Io {
            path: PathBuf::from("Downloads"),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no folder to export to"),
        })
    }

    /// Writes an export (atomically: a reader never sees half a file) into the export folder
    /// under `name` made safe; returns its path.
    ///
    /// # Errors
    /// I/O errors naming the path.
    /// The secret store the app opened its key with (the SMTP relay lives there too).
    pub(crate) fn keyring(&self) -> &dyn SecretStore {
        self.keyring.as_ref()
    }

    pub fn export(&self, name: &str, bytes: &[u8]) -> Result<String> {
        files::write_export(&self.export_dir()?, name, bytes)
    }
}

/// The data directory the app opens: `--data-dir DIR` or `--data-dir=DIR` among `args`, else
/// `BREACHDESK_DATA_DIR`, else the platform default.
///
/// # Errors
/// When no data directory can be resolved.
pub fn data_dir_from_args(args: impl IntoIterator<Item = String>) -> Result<PathBuf> {
    let mut args = args.into_iter();
    let mut explicit = None;
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            explicit = args.next().map(PathBuf::from);
        } else if let Some(v) = a.strip_prefix("--data-dir=") {
            explicit = Some(PathBuf::from(v));
        }
    }
    datadir::resolve(explicit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_dir_comes_from_either_spelling_of_the_flag() {
        let got = |a: &[&str]| data_dir_from_args(a.iter().map(|s| (*s).to_owned())).ok();
        assert_eq!(got(&["--data-dir", "/tmp/x"]), Some(PathBuf::from("/tmp/x")));
        assert_eq!(got(&["--data-dir=/tmp/y"]), Some(PathBuf::from("/tmp/y")));
        assert_eq!(got(&["--other", "--data-dir=/tmp/z"]), Some(PathBuf::from("/tmp/z")));
    }
}
