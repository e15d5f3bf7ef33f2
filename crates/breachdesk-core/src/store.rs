//! The encrypted SQLite store (SQLCipher). One connection per process.
//!
//! Every connection is keyed first (`PRAGMA key` is its first statement), then probed with a real
//! read: SQLCipher accepts any key and only fails on the first page read. WAL and foreign keys are
//! per-connection settings, so they are set here, not in migrations.

use crate::migrate::{self, Migration};
use crate::secret::DbKey;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

pub(crate) const DB_FILE: &str = "breachdesk.db";
/// `PRAGMA application_id` of a Breachdesk database ("BDK1").
pub(crate) const APPLICATION_ID: i32 = 0x4244_4b31;

/// How long a writer waits for another process's write lock before it gives up (`Error::Busy`).
pub(crate) const BUSY_TIMEOUT_MS: u64 = 30_000;

/// What a waiting writer says after a second (the CLI prints it; the app shows its own progress).
static WAIT_NOTICE: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Sets what is said, once per wait, when a write has waited a second for another process.
pub fn on_wait(notice: fn()) {
    let _ = WAIT_NOTICE.set(notice);
}

const WAIT_STEP_MS: u64 = 25;

/// SQLite's busy handler: wait in steps, say so after a second, give up after the timeout.
fn busy_handler(count: i32) -> bool {
    let waited = u64::try_from(count).unwrap_or(0) * WAIT_STEP_MS;
    if waited >= busy_timeout_ms() {
        return false;
    }
    if waited == 1000 {
        if let Some(notice) = WAIT_NOTICE.get() {
            notice();
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(WAIT_STEP_MS));
    true
}

pub(crate) fn busy_timeout_ms() -> u64 {
    crate::failpoint::busy_timeout_ms(BUSY_TIMEOUT_MS)
}

/// An open, keyed, migrated database.
/// The page cache: 64 MiB (a negative `cache_size` is in KiB).
pub(crate) const CACHE_SIZE: i64 = -65536;

pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// Rows of covered tables written by the current transaction (the audit seals them).
    pub(crate) captured: crate::audit::Captured,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

fn key_connection(conn: &Connection, key: &DbKey, verb: &str) -> Result<()> {
    let mut stmt = Zeroizing::new(String::with_capacity(90));
    stmt.push_str("PRAGMA ");
    stmt.push_str(verb);
    stmt.push_str(" = ");
    stmt.push_str(&key.pragma_literal());
    stmt.push(';');
    conn.execute_batch(&stmt)?;
    Ok(())
}

fn looks_like_plain_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok()
        && &head == b"SQLite format 3\0"
}

impl Store {
    /// Creates a new encrypted database at `path` (which must not exist) and migrates it.
    pub(crate) fn create(path: &Path, key: &DbKey, now: DateTime<Utc>) -> Result<Store> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Internal(format!("cannot create {}: {e}", path.display())))?;
        key_connection(&conn, key, "key")?;
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        let mut store =
            Store { conn, path: path.to_owned(), captured: crate::audit::Captured::default() };
        store.configure()?;
        migrate::apply(&mut store.conn, migrate::MIGRATIONS, now)?;
        store.captured.install(&mut store.conn)?;
        Ok(store)
    }

    /// Opens an existing database with `key`. `key_verified` says the key's check value matched
    /// custody, so an unreadable file is damage rather than a wrong key.
    ///
    /// # Errors
    /// [`Error::WrongKey`], [`Error::DatabaseCorrupt`], [`Error::NotBreachdeskDatabase`], and the
    /// migration errors of [`migrate::apply`].
    pub fn open(
        path: &Path,
        key: &DbKey,
        key_verified: bool,
        migrations: &[Migration],
        now: DateTime<Utc>,
    ) -> Result<Store> {
        if !path.exists() {
            return Err(Error::NotInitialized { dir: path.parent().unwrap_or(path).to_owned() });
        }
        if looks_like_plain_sqlite(path) {
            return Err(Error::NotBreachdeskDatabase { path: path.to_owned() });
        }
        // A write-protected copy (an auditor's) opens read-only: every read works, no write is tried.
        let writable = std::fs::OpenOptions::new().write(true).open(path).is_ok()
            && path.parent().is_some_and(dir_writable);
        let conn = if writable {
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        } else {
            let wal = path.with_file_name(format!("{DB_FILE}-wal"));
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                return Err(Error::ReadOnly {
                    detail: format!("{} holds changes not yet merged into the database, and they cannot be read without write access; copy the folder somewhere writable", wal.display()),
                });
            }
            // Without write access the WAL index cannot be made; a copy is read as it is on disk.
            let uri = format!("file:{}?immutable=1", uri_path(path));
            Connection::open_with_flags(uri, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        }
        .map_err(|e| Error::Internal(format!("cannot open {}: {e}", path.display())))?;
        key_connection(&conn, key, "key")?;
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        let probe: rusqlite::Result<i64> =
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0));
        if let Err(e) = probe {
            return Err(match e.sqlite_error_code() {
                Some(ErrorCode::NotADatabase) if key_verified => Error::DatabaseCorrupt {
                    path: path.to_owned(),
                    detail: "pages fail their integrity check".into(),
                },
                Some(ErrorCode::NotADatabase) => Error::WrongKey { path: path.to_owned() },
                Some(ErrorCode::DatabaseCorrupt) => {
                    Error::DatabaseCorrupt { path: path.to_owned(), detail: e.to_string() }
                }
                _ => Error::from(e),
            });
        }
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if app_id != APPLICATION_ID {
            return Err(Error::NotBreachdeskDatabase { path: path.to_owned() });
        }
        let mut store =
            Store { conn, path: path.to_owned(), captured: crate::audit::Captured::default() };
        store.configure()?;
        migrate::apply(&mut store.conn, migrations, now).map_err(|e| {
            // Told apart by SQLite's error code, never by the message's words.
            let corrupt = match &e {
                Error::Database(s) | Error::Migration { source: s, .. } => matches!(
                    s.sqlite_error_code(),
                    Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
                ),
                _ => false,
            };
            if corrupt {
                Error::DatabaseCorrupt { path: path.to_owned(), detail: e.to_string() }
            } else {
                e
            }
        })?;
        store.captured.install(&mut store.conn)?;
        Ok(store)
    }

    /// Copies what the WAL holds into the database file, without waiting for readers: after each
    /// user action, so a lost or damaged `-wal` file cannot take committed work with it.
    pub(crate) fn checkpoint(&self) {
        if !self.read_only() {
            let _ = self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        }
    }

    /// Whether this store was opened read-only (a write-protected copy).
    #[must_use]
    pub fn read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
    }

    fn configure(&mut self) -> Result<()> {
        if self.read_only() {
            self.conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")?;
            self.conn.execute_batch(&format!("PRAGMA cache_size = {CACHE_SIZE}"))?;
            return Ok(());
        }
        let mode: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Internal(format!("could not switch to WAL (got {mode})")));
        }
        // A 64 MiB page cache: every page read from disk is decrypted, so re-reading is costly.
        // Temporary tables and sorts stay in memory: SQLCipher does not encrypt temporary files.
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;",
        )?;
        self.conn.busy_handler(Some(busy_handler))?;
        self.conn.execute_batch(&format!("PRAGMA cache_size = {CACHE_SIZE}"))?;
        Ok(())
    }

    /// Re-encrypts every page under `new`.
    pub(crate) fn rekey(&mut self, new: &DbKey) -> Result<()> {
        // SQLCipher cannot rekey in WAL mode; checkpoint and drop to a rollback journal around it.
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let _: String = self.conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        key_connection(&self.conn, new, "rekey")?;
        self.configure()
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// SQLCipher's page check (each page's HMAC) and SQLite's integrity and foreign-key checks:
/// every problem found, in words; empty when the file is sound.
pub(crate) fn integrity(conn: &Connection) -> Result<Vec<String>> {
    {
        let mut problems = Vec::new();
        let mut cipher = conn.prepare("PRAGMA cipher_integrity_check")?;
        for row in cipher.query_map([], |r| r.get::<_, String>(0))? {
            problems.push(format!("encrypted page check: {}", row?));
        }
        let mut integrity = conn.prepare("PRAGMA integrity_check")?;
        for row in integrity.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                problems.push(format!("integrity: {line}"));
            }
        }
        let mut fk = conn.prepare("PRAGMA foreign_key_check")?;
        for row in fk.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, String>(2)?))
        })? {
            let (table, rowid, parent) = row?;
            problems.push(format!(
                "table {table} row {} names a {parent} row that does not exist",
                rowid.map_or_else(|| "?".to_owned(), |r| r.to_string())
            ));
        }
        Ok(problems)
    }
}

/// Whether the process can create files in `dir` (SQLite needs to, for the WAL and its index).
fn dir_writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// A path as the path part of an SQLite `file:` URI (`%`, `?` and `#` escaped).
fn uri_path(path: &Path) -> String {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    abs.to_string_lossy().replace('%', "%25").replace('?', "%3f").replace('#', "%23")
}

// ---- the connections of one open store ------------------------------------------------------

/// Read-only connections to the store, kept for reuse. WAL lets each read its last committed
/// state while the one writer works: a read never waits for an import, a merge or a recount.
pub(crate) struct Readers {
    path: PathBuf,
    /// A write-protected copy is read as it is on disk (`immutable=1`), like its writer.
    immutable: bool,
    key: std::sync::Mutex<DbKey>,
    idle: std::sync::Mutex<Vec<Connection>>,
}

/// At most this many idle readers are kept; more are opened when more reads run at once.
const IDLE_READERS: usize = 4;

impl Readers {
    pub(crate) fn new(store: &Store, key: &DbKey) -> Readers {
        Readers {
            path: store.path.clone(),
            immutable: store.read_only(),
            key: std::sync::Mutex::new(DbKey::from_bytes(key.dangerous_raw_bytes())),
            idle: std::sync::Mutex::default(),
        }
    }

    /// A reader: an idle one, or a new one keyed and set up.
    pub(crate) fn get(&self) -> Result<Reader<'_>> {
        let idle = lock(&self.idle).pop();
        let conn = match idle {
            Some(c) => c,
            None => self.open()?,
        };
        Ok(Reader { conn: Some(conn), pool: self })
    }

    fn open(&self) -> Result<Connection> {
        let mut conn = if self.immutable {
            let uri = format!("file:{}?immutable=1", uri_path(&self.path));
            Connection::open_with_flags(
                uri,
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        } else {
            Connection::open_with_flags(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        }
        .map_err(|e| Error::Internal(format!("cannot open {}: {e}", self.path.display())))?;
        key_connection(&conn, &lock(&self.key), "key")?;
        conn.execute_batch(
            "PRAGMA cipher_log_level = NONE; PRAGMA query_only = 1; PRAGMA temp_store = MEMORY;",
        )?;
        conn.execute_batch(&format!("PRAGMA cache_size = {CACHE_SIZE}"))?;
        conn.busy_handler(Some(busy_handler))?;
        Ok(conn)
    }

    /// After a re-key: the idle readers (keyed with the old key) are closed; new ones use `key`.
    pub(crate) fn rekeyed(&self, key: &DbKey) {
        *lock(&self.key) = DbKey::from_bytes(key.dangerous_raw_bytes());
        lock(&self.idle).clear();
    }

    /// Whether the store is a write-protected copy, read as it is on disk.
    pub(crate) fn read_only(&self) -> bool {
        self.immutable
    }

    /// Closes the idle readers (before a change of journal mode, which wants the file alone).
    pub(crate) fn close_idle(&self) {
        lock(&self.idle).clear();
    }
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers").field("path", &self.path).finish_non_exhaustive()
    }
}

/// A read-only connection, back to the pool when dropped.
pub(crate) struct Reader<'a> {
    conn: Option<Connection>,
    pool: &'a Readers,
}

impl std::ops::Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
            .as_ref()
            .unwrap_or_else(|| unreachable!("a reader holds its connection until dropped"))
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut idle = lock(&self.pool.idle);
            if idle.len() < IDLE_READERS && conn.is_autocommit() {
                idle.push(conn);
            }
        }
    }
}

/// The one writer: the store's read-write connection and the rows its transaction captured.
#[derive(Debug)]
pub(crate) struct Writer {
    pub(crate) store: Store,
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

// ---- use cases ---------------------------------------------------------------------------

use crate::audit::{self, Change};
use crate::{Breachdesk, Ctx};

impl Breachdesk {
    /// A read-only connection: it sees what was committed when its statement began and never
    /// waits for the writer.
    pub(crate) fn read(&self) -> Result<Reader<'_>> {
        self.readers.get()
    }

    /// The writer, once the write running in this process (an import, a merge) has finished:
    /// waits as a busy store does (a notice after a second, [`Error::Busy`] after the timeout,
    /// naming the work that holds it).
    pub(crate) fn writer(&self) -> Result<std::sync::MutexGuard<'_, Writer>> {
        let mut waited: u64 = 0;
        loop {
            match self.writer.try_lock() {
                Ok(w) => return Ok(w),
                Err(std::sync::TryLockError::Poisoned(p)) => return Ok(p.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => {
                    if waited >= busy_timeout_ms() {
                        return Err(Error::Busy { waited_s: waited / 1000, holder: None }
                            .explain_busy(&self.dir));
                    }
                    if waited == 1000 {
                        if let Some(notice) = WAIT_NOTICE.get() {
                            notice();
                        }
                    }
                    std::thread::sleep(std::time::Duration::from_millis(WAIT_STEP_MS));
                    waited += WAIT_STEP_MS;
                }
            }
        }
    }

    /// Runs `f` in one transaction with its audit rows; commits only if all of it succeeds.
    /// One user action: one transaction, taken with the write lock first (`BEGIN IMMEDIATE`), so
    /// what `f` reads is what it writes over; the audit rows commit with it.
    pub(crate) fn write<T>(
        &self,
        ctx: &Ctx,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<(T, Vec<Change>)>,
    ) -> Result<T> {
        self.write_sealing(ctx, |tx| f(tx).map(|(out, changes)| (out, changes, Vec::new())))
    }

    /// [`Breachdesk::write`] whose audit row also seals imports' records.
    pub(crate) fn write_sealing<T>(
        &self,
        ctx: &Ctx,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<(T, Vec<Change>, Vec<audit::BatchSeal>)>,
    ) -> Result<T> {
        let mut w = self.writer()?;
        let w = &mut *w;
        let captured = w.store.captured.clone();
        captured.clear();
        let tx =
            w.store.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let result = f(&tx).and_then(|(out, changes, batches)| {
            let head = audit::append_all(
                &tx,
                &ctx.actor,
                ctx.now,
                &changes,
                audit::Sealer { secret: self.secret.as_ref(), captured: &captured, batches },
            )?;
            Ok((out, head))
        });
        let (out, head) = match result {
            Ok(x) => x,
            Err(e) => {
                captured.clear();
                return Err(e);
            }
        };
        tx.commit()?;
        w.store.checkpoint();
        // Under the writer, so heads are recorded in the order the rows were written.
        if let Some(head) = head {
            self.record_head(head)?;
        }
        Ok(out)
    }
}

/// The writer's connection held for a test (see [`Breachdesk::connection`]).
#[doc(hidden)]
pub struct WriterConnection<'a>(pub(crate) std::sync::MutexGuard<'a, Writer>);

impl std::ops::Deref for WriterConnection<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0.store.conn
    }
}
