//! Breachdesk's application core: the one API that the CLI and the desktop app both call.
//!
//! [`Breachdesk`] is an unlocked data directory. Every use case is a method on it; every write
//! runs in one transaction together with its audit-log row. Time and the acting user come in
//! through [`Ctx`]: nothing in here reads the clock.

pub mod app;
pub mod audit;
pub mod board;
mod bulk;
pub mod commands;
pub mod custody;
pub mod custom;
pub mod datadir;
pub mod error;
mod facts;
mod failpoint;
pub mod files;
pub mod ics;
pub mod incident;
pub mod individuals;
mod integrity;
pub mod internal;
pub mod ipc;
mod keys;
pub mod migrate;
pub mod notices;
pub mod obligations;
mod open;
pub mod reminders;
pub mod secret;
mod settings;
pub mod store;
pub mod text;
pub mod timeline;

pub use audit::{AuditReport, Checkpoint};
pub use custody::{KeyMode, KeySetup, MemoryKeyring, OsKeyring, SecretStore};
pub use error::{Error, Result};
pub use integrity::CheckReport;
pub use open::DirStatus;
pub use secret::{DbKey, Passphrase};

use breachdesk_rules::time::to_local_rfc3339;
use chrono::{DateTime, Utc};
use custody::Custody;
use std::path::{Path, PathBuf};

/// Who is acting, and when. Supplied by the client on every write.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: String,
    pub now: DateTime<Utc>,
}

impl Ctx {
    /// # Errors
    /// [`Error::Validation`] on `actor` when it is blank.
    pub fn new(actor: &str, now: DateTime<Utc>) -> Result<Ctx> {
        Ok(Ctx { actor: incident::required("actor", actor, 200)?, now })
    }
}

/// An unlocked Breachdesk data directory.
#[derive(Debug)]
pub struct Breachdesk {
    dir: PathBuf,
    /// Read-only connections: reads never wait for the writer. Declared (so dropped) before the
    /// writer: the last connection to close merges the WAL into the file, and only the writer can.
    readers: store::Readers,
    /// The one read-write connection; every write takes it for one transaction.
    writer: std::sync::Mutex<store::Writer>,
    /// How the key is kept, and the audit head recorded outside the database.
    custody: std::sync::Mutex<Custody>,
    /// The installation secret: the audit chain's key and the checkpoint signing key (`None` only
    /// for a read-only copy of a store made before schema 12).
    secret: Option<secret::InstallSecret>,
    /// Set while this process holds the data directory's lock (set-up, re-key, mode change), so
    /// recording the audit head does not wait for itself.
    dir_locked: std::sync::atomic::AtomicBool,
    /// The large list's row order for the table's current sort and filter (see `individuals_page`).
    page_order: std::sync::Mutex<Option<individuals::PageOrder>>,
    /// Bumped by every change to a list (import, rollback, merge): the kept page order is stale.
    list_generation: std::sync::atomic::AtomicU64,
}

pub(crate) fn uuid7(now: DateTime<Utc>) -> String {
    let secs = u64::try_from(now.timestamp()).unwrap_or(0);
    uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        secs,
        now.timestamp_subsec_nanos(),
    ))
    .to_string()
}

/// A stored UTC instant (RFC 3339) shown in `zone`; text that does not parse is shown as it is.
pub(crate) fn stored_to_local(s: String, zone: chrono_tz::Tz) -> String {
    DateTime::parse_from_rfc3339(&s)
        .map_or(s.clone(), |t| to_local_rfc3339(t.with_timezone(&Utc), zone))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|source| Error::Json { what: "an audit record", source })
}

impl Breachdesk {
    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    #[must_use]
    pub fn key_mode(&self) -> KeyMode {
        self.custody().mode
    }

    /// Runs `f` while this process holds the data directory's lock (set-up, re-key, mode
    /// change; the caller took it), so recording the audit head inside `f` does not wait for itself.
    pub(crate) fn holding_dir_lock<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.dir_locked.store(true, std::sync::atomic::Ordering::SeqCst);
        let out = f();
        self.dir_locked.store(false, std::sync::atomic::Ordering::SeqCst);
        out
    }

    pub(crate) fn custody(&self) -> std::sync::MutexGuard<'_, Custody> {
        self.custody.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The writer's connection, for tests that tamper with the data on purpose.
    ///
    /// # Panics
    /// When the writer is busy for longer than the busy timeout.
    #[doc(hidden)]
    #[must_use]
    pub fn connection(&self) -> store::WriterConnection<'_> {
        store::WriterConnection(self.writer().expect("the writer"))
    }
}

/// One open store is shared by the app's threads: reads on the pool, writes through the writer.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<Breachdesk>();
};
