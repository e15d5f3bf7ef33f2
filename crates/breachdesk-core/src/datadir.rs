//! Where a user's data lives: `--data-dir`, else `BREACHDESK_DATA_DIR`, else the platform's
//! standard application-data directory (Linux: `$XDG_DATA_HOME/breachdesk`, usually
//! `~/.local/share/breachdesk`; macOS: `~/Library/Application Support/dev.Breachdesk.Breachdesk`;
//! Windows: `%APPDATA%\Breachdesk\Breachdesk\data`).

use crate::{Error, Result};
use std::path::PathBuf;

pub const ENV_VAR: &str = "BREACHDESK_DATA_DIR";

/// The lock file that serialises set-up, re-keying and key-mode changes across processes.
pub(crate) const LOCK_FILE: &str = ".breachdesk.lock";

/// Held while a process sets up, re-keys or changes the key mode of a data directory; the
/// operating system releases it when the process ends, however it ends.
#[derive(Debug)]
pub(crate) struct DirLock(#[allow(dead_code)] std::fs::File);

/// Takes the data directory's lock, waiting for another process that holds it.
pub(crate) fn lock(dir: &std::path::Path) -> Result<DirLock> {
    let path = dir.join(LOCK_FILE);
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let f = opts.open(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
    f.lock().map_err(|source| Error::Io { path, source })?;
    Ok(DirLock(f))
}

/// Creates the data directory readable by its owner only (0700).
pub(crate) fn create(dir: &std::path::Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        b.mode(0o700);
    }
    b.create(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })
}

/// Makes the data directory 0700 and Breachdesk's files in it 0600, where they are broader (data
/// directories made by older builds were 0755 and 0644: another local user could copy
/// custody.json and guess the passphrase offline).
pub(crate) fn tighten(dir: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let fix = |p: &std::path::Path, mode: u32| {
            if let Ok(m) = std::fs::symlink_metadata(p) {
                if !m.file_type().is_symlink() && m.permissions().mode() & 0o077 != 0 {
                    let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
                }
            }
        };
        fix(dir, 0o700);
        for f in
            ["breachdesk.db", "breachdesk.db-wal", "breachdesk.db-shm", "custody.json", LOCK_FILE]
        {
            fix(&dir.join(f), 0o600);
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Resolves the data directory from an explicit choice, then the environment, then the platform.
///
/// # Errors
/// [`Error::Validation`] on `data_dir` when no home directory can be found.
pub fn resolve(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = explicit.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(p);
    }
    if let Some(p) = std::env::var_os(ENV_VAR).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("dev", "Breachdesk", "Breachdesk")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            Error::validation(
                "data_dir",
                format!("no home directory found; pass --data-dir or set {ENV_VAR}"),
            )
        })
}

/// The record of a long write (an import, a rollback) in progress, for another process that finds
/// the store busy: which action, which process, since when. No personal data: the action's name
/// only. Written once the write lock is held; removed when the action ends, however it ends (a
/// record left by a killed process names a process that no longer runs, and is ignored).
pub(crate) const ACTIVITY_FILE: &str = "activity.json";

#[derive(serde::Serialize, serde::Deserialize)]
struct ActivityRecord {
    pid: u32,
    what: String,
    since: String,
}

/// Removes the activity record when dropped.
pub(crate) struct Activity(PathBuf);

impl Activity {
    /// Records `what` as this process's long write in `dir` (best effort: a store on a read-only
    /// medium cannot say it, and is not busy).
    pub(crate) fn start(
        dir: &std::path::Path,
        what: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Activity {
        let path = dir.join(ACTIVITY_FILE);
        let record = ActivityRecord {
            pid: std::process::id(),
            what: what.to_owned(),
            since: now.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        };
        if let Ok(text) = serde_json::to_vec(&record) {
            if let Ok(mut out) = crate::files::AtomicFile::create(&path) {
                if std::io::Write::write_all(&mut out, &text).is_ok() {
                    let _ = out.commit();
                }
            }
        }
        Activity(path)
    }
}

impl Drop for Activity {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The long write recorded in `dir`, in words, while its process still runs.
#[must_use]
pub fn activity(dir: &std::path::Path) -> Option<String> {
    let text = std::fs::read(dir.join(ACTIVITY_FILE)).ok()?;
    let r: ActivityRecord = serde_json::from_slice(&text).ok()?;
    #[cfg(target_os = "linux")]
    if !std::path::Path::new(&format!("/proc/{}", r.pid)).exists() {
        return None;
    }
    Some(format!("{} (process {}, since {})", crate::text::escape_hostile(&r.what), r.pid, r.since))
}
