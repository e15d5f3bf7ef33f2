//! The core's one error type. Every client maps it through [`Error::code`]: the CLI to exit codes,
//! the desktop app to `{code, message, field}` over IPC. Messages are plain language, name the
//! field, file or record concerned, and never contain key material or personal data.

use std::path::PathBuf;

macro_rules! error_codes {
    ($($variant:ident = $code:literal),* $(,)?) => {
        /// What kind of error: the stable code the CLI maps to exit codes and the UI branches on.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, ts_rs::TS)]
        pub enum ErrorCode {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl ErrorCode {
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

error_codes! {
    Validation = "validation",
    NotFound = "not_found",
    NotInitialized = "not_initialized",
    AlreadyInitialized = "already_initialized",
    KeyringUnavailable = "keyring_unavailable",
    KeyMissing = "key_missing",
    WrongPassphrase = "wrong_passphrase",
    CustodyInvalid = "custody_invalid",
    CustodyMissing = "custody_missing",
    PassphraseRequired = "passphrase_required",
    WrongKey = "wrong_key",
    NotBreachdeskDatabase = "not_breachdesk_database",
    DatabaseCorrupt = "database_corrupt",
    MigrationChanged = "migration_changed",
    SchemaTooNew = "schema_too_new",
    Io = "io",
    Cancelled = "cancelled",
    Unreadable = "unreadable",
    Busy = "busy",
    ReadOnly = "read_only",
    StoreWentBack = "store_went_back",
    DiskFull = "disk_full",
    Locked = "locked",
    Database = "database",
    Migration = "migration",
    RuleData = "rule_data",
    NoRandomness = "no_randomness",
    Json = "json",
    Internal = "internal",
}

/// Everything that can go wrong in a core use case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that the user can fix; `field` names it (e.g. `discovered_at`).
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("no {entity} {id:?}")]
    NotFound { entity: &'static str, id: String },
    #[error("no Breachdesk data in {}: run `breachdesk init` first", dir.display())]
    NotInitialized { dir: PathBuf },
    #[error("{} already holds a Breachdesk database; refusing to overwrite it", dir.display())]
    AlreadyInitialized { dir: PathBuf },
    #[error("the system keyring is not available: {detail}. Unlock or start your keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager), or use passphrase mode")]
    KeyringUnavailable { detail: String },
    #[error("the database key for {} is missing from the system keyring; restore it, or open the data with the passphrase if passphrase mode was set up", dir.display())]
    KeyMissing { dir: PathBuf },
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// `custody.json` holds what Breachdesk never writes (damaged, edited or planted).
    #[error("the key custody file custody.json is damaged or not Breachdesk's: {detail}. Restore it from a backup of the data directory")]
    CustodyInvalid { detail: String },
    /// The database is there, its key custody file is not.
    #[error("the key custody file custody.json is missing from {}: without it the database cannot be unlocked; restore it from a backup of the data directory", dir.display())]
    CustodyMissing { dir: PathBuf },
    #[error("this database is protected by a passphrase; supply it to unlock")]
    PassphraseRequired,
    #[error("the key does not open {}: it belongs to another database or was changed", path.display())]
    WrongKey { path: PathBuf },
    #[error("{} is not a Breachdesk database", path.display())]
    NotBreachdeskDatabase { path: PathBuf },
    #[error("the database {} is damaged ({detail}); restore it from a backup", path.display())]
    DatabaseCorrupt { path: PathBuf, detail: String },
    #[error("migration {version} ({name}) was changed after it was applied to this database; refusing to open it")]
    MigrationChanged { version: u32, name: String },
    #[error("this database was written by a newer Breachdesk (schema version {db_version}; this build knows up to {app_version}); upgrade Breachdesk to open it")]
    SchemaTooNew { db_version: u32, app_version: u32 },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cancelled: nothing was written")]
    Cancelled,
    /// A stored value that cannot be read: which record, which column, and how to repair it.
    #[error("{entity} {id}: {problem}. {repair}")]
    Unreadable { entity: &'static str, id: String, field: String, problem: String, repair: String },
    /// Another process holds the store's write lock longer than this one waited.
    #[error("the store is busy: {} has been writing to it for longer than {waited_s} s. Nothing was written; try again when it has finished", holder.as_deref().unwrap_or("another Breachdesk process (an import, a merge, or the desktop app)"))]
    Busy { waited_s: u64, holder: Option<String> },
    /// The store is a read-only copy: reading works, changing does not.
    #[error("this data directory is read-only ({detail}): read commands work on it; changes need a writable copy")]
    ReadOnly { detail: String },
    /// The database is behind the audit head this data directory recorded.
    #[error("the database went back in time: {detail}. Restore the latest backup, or keep this copy for investigation")]
    StoreWentBack { detail: String },
    /// The disk is full: nothing was written.
    #[error("the disk holding the data directory is full: nothing was written; free some space and try again")]
    DiskFull,
    /// A database failure SQLite reports (busy, a full disk and a read-only file have their own
    /// variants); told apart by `rusqlite::Error::sqlite_error_code`.
    #[error("database: {0}")]
    Database(#[source] rusqlite::Error),
    /// A schema migration failed; nothing of it was applied.
    #[error("migration {version} ({name}) failed: {source}")]
    Migration { version: u32, name: &'static str, source: rusqlite::Error },
    /// The rule data built into this program does not load (a build fault, not the user's).
    #[error("rule data: {0}")]
    RuleData(String),
    /// The operating system gave no randomness (a broken system).
    #[error("no randomness from the operating system: {0}")]
    NoRandomness(String),
    /// Data Breachdesk wrote could not be encoded or decoded as JSON.
    #[error("{what}: {source}")]
    Json { what: &'static str, source: serde_json::Error },
    /// The desktop app has not been unlocked (or set up) yet.
    #[error("Breachdesk is locked: unlock it first")]
    Locked,
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A stable machine-readable code; clients match on this, never on message text.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The code as a value (the UI's `ErrorCode` union is generated from it).
    #[must_use]
    pub fn kind(&self) -> ErrorCode {
        match self {
            Error::Validation { .. } => ErrorCode::Validation,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NotInitialized { .. } => ErrorCode::NotInitialized,
            Error::AlreadyInitialized { .. } => ErrorCode::AlreadyInitialized,
            Error::KeyringUnavailable { .. } => ErrorCode::KeyringUnavailable,
            Error::KeyMissing { .. } => ErrorCode::KeyMissing,
            Error::WrongPassphrase => ErrorCode::WrongPassphrase,
            Error::CustodyInvalid { .. } => ErrorCode::CustodyInvalid,
            Error::CustodyMissing { .. } => ErrorCode::CustodyMissing,
            Error::PassphraseRequired => ErrorCode::PassphraseRequired,
            Error::WrongKey { .. } => ErrorCode::WrongKey,
            Error::NotBreachdeskDatabase { .. } => ErrorCode::NotBreachdeskDatabase,
            Error::DatabaseCorrupt { .. } => ErrorCode::DatabaseCorrupt,
            Error::MigrationChanged { .. } => ErrorCode::MigrationChanged,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::Io { .. } => ErrorCode::Io,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Unreadable { .. } => ErrorCode::Unreadable,
            Error::Busy { .. } => ErrorCode::Busy,
            Error::ReadOnly { .. } => ErrorCode::ReadOnly,
            Error::StoreWentBack { .. } => ErrorCode::StoreWentBack,
            Error::DiskFull => ErrorCode::DiskFull,
            Error::Locked => ErrorCode::Locked,
            Error::Database(_) => ErrorCode::Database,
            Error::Migration { .. } => ErrorCode::Migration,
            Error::RuleData(_) => ErrorCode::RuleData,
            Error::NoRandomness(_) => ErrorCode::NoRandomness,
            Error::Json { .. } => ErrorCode::Json,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The field a validation error concerns, for inline display.
    #[must_use]
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } | Error::Unreadable { field, .. } => Some(field),
            _ => None,
        }
    }

    /// True when the user can act on it (CLI exit 1); false for internal faults (exit 2).
    #[must_use]
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            Error::Internal(_)
                | Error::Io { .. }
                | Error::Database(_)
                | Error::Migration { .. }
                | Error::RuleData(_)
                | Error::NoRandomness(_)
                | Error::Json { .. }
        )
    }

    pub(crate) fn validation(field: &str, message: impl Into<String>) -> Self {
        Error::Validation { field: field.to_owned(), message: message.into() }
    }
}

impl From<breachdesk_rules::time::TimeError> for Error {
    fn from(e: breachdesk_rules::time::TimeError) -> Self {
        use breachdesk_rules::time::TimeError as T;
        let field = match &e {
            T::UnknownZone { field, .. }
            | T::Malformed { field, .. }
            | T::Nonexistent { field, .. }
            | T::OutOfRange { field, .. } => field.clone(),
        };
        let full = e.to_string();
        let message = full.strip_prefix(&format!("{field}: ")).unwrap_or(&full).to_owned();
        Error::Validation { field, message }
    }
}

impl Error {
    /// A busy store's error, told what holds it (the long write recorded in `dir`), if anything
    /// is recorded; any other error as it is.
    #[must_use]
    pub fn explain_busy(self, dir: &std::path::Path) -> Error {
        match self {
            Error::Busy { waited_s, holder: None } => Error::Busy {
                waited_s,
                holder: crate::datadir::activity(dir)
                    .map(|a| format!("another Breachdesk process, {a},")),
            },
            e => e,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Error::Busy { waited_s: crate::store::busy_timeout_ms() / 1000, holder: None }
            }
            Some(rusqlite::ErrorCode::DiskFull) => Error::DiskFull,
            Some(rusqlite::ErrorCode::ReadOnly) => Error::ReadOnly {
                detail: "the database file or its folder cannot be written".into(),
            },
            // SQL text and bound values can carry personal data: the engine's error only.
            _ => Error::Database(e),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
