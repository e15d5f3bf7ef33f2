//! Where a user's data lives: `--data-dir`, else `BREACHDESK_DATA_DIR`, else the platform's
//! standard application-data directory (Linux: `$XDG_DATA_HOME/breachdesk`, usually
//! `~/.local/share/breachdesk`; macOS: `~/Library/Application Support/dev.Breachdesk.Breachdesk`;
//! Windows: `%APPDATA%\Breachdesk\Breachdesk\data`).

use crate::{Error, Result};
use std::path::PathBuf;

pub const ENV_VAR: &str = "BREACHDESK_DATA_DIR";

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
        .ok_or_else(|| Error::validation("data_dir", format!("no home directory found; pass --data-dir or set {ENV_VAR}")))
}
