//! Breachdesk's application core: the one API that the CLI and the desktop app both call.
//!
//! [`Breachdesk`] is an unlocked data directory. Every use case is a method on it; every write
//! runs in one transaction together with its audit-log row. Time and the acting user come in
//! through [`Ctx`]: nothing in here reads the clock.

pub mod audit;
mod bulk;
pub mod custody;
pub mod custom;
pub mod datadir;
mod error;
mod failpoint;
pub mod files;
pub mod ics;
pub mod incident;
pub mod individuals;
pub mod internal;
pub mod ipc;
pub mod migrate;
pub mod obligations;
pub mod reminders;
pub mod secret;
pub mod store;
pub mod text;
pub mod timeline;

pub use audit::{AuditReport, Checkpoint};
pub use custody::{KeyMode, KeySetup, MemoryKeyring, OsKeyring, SecretStore};
pub use error::{Error, Result};
pub use secret::{DbKey, Passphrase};

use audit::Change;
use breachdesk_rules::time::{parse_timestamp, to_local_rfc3339, to_storage};
use chrono::{DateTime, Utc};
use custody::Custody;
use incident::{Fields, Incident, IncidentPatch, NewIncident, Row};
use rusqlite::{params, OptionalExtension};
use std::path::{Path, PathBuf};
use store::{Store, DB_FILE};
use timeline::{NewTimelineEntry, TimelineEntry, TimelineKind};

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

/// What a data directory holds, readable without a key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct DirStatus {
    pub data_dir: String,
    pub initialized: bool,
    pub mode: Option<KeyMode>,
}

/// What `breachdesk check` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct CheckReport {
    pub intact: bool,
    #[ts(type = "number")]
    pub pages: i64,
    pub read_only: bool,
    /// Every problem found in the file, in words.
    pub problems: Vec<String>,
    pub audit: audit::AuditReport,
}

/// An unlocked Breachdesk data directory.
#[derive(Debug)]
pub struct Breachdesk {
    store: Store,
    dir: PathBuf,
    custody: Custody,
    /// The installation secret: the audit chain's key and the checkpoint signing key (`None` only
    /// for a read-only copy of a store made before schema 12).
    secret: Option<secret::InstallSecret>,
    /// Set while this process holds the data directory's lock (set-up, re-key, mode change), so
    /// recording the audit head does not wait for itself.
    dir_locked: bool,
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
    serde_json::to_value(v).map_err(|e| Error::Internal(e.to_string()))
}

impl Breachdesk {
    /// What `dir` holds, without unlocking it.
    ///
    /// # Errors
    /// When `custody.json` exists but cannot be read.
    pub fn status(dir: &Path) -> Result<DirStatus> {
        let custody = Custody::load(dir)?;
        Ok(DirStatus {
            data_dir: dir.display().to_string(),
            initialized: custody.is_some() || dir.join(DB_FILE).exists(),
            mode: custody.map(|c| c.mode),
        })
    }

    /// Creates a new encrypted database in `dir` with a fresh random key kept as `setup` says.
    /// On failure nothing is left behind (no database file, no custody file, no keyring entry).
    ///
    /// # Errors
    /// [`Error::AlreadyInitialized`], [`Error::KeyringUnavailable`], validation of the passphrase
    /// and user name, and I/O errors naming the path.
    pub fn init(
        dir: &Path,
        setup: &KeySetup,
        keyring: &dyn SecretStore,
        user_name: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Breachdesk> {
        let user_name = incident::clean_optional("user_name", user_name.map(str::to_owned), 200)?;
        let db_path = dir.join(DB_FILE);
        if db_path.exists() || Custody::path(dir).exists() {
            return Err(Error::AlreadyInitialized { dir: dir.to_owned() });
        }
        let created_dir = !dir.exists();
        datadir::create(dir)?;
        // Two set-ups at once: the second waits, then finds the first's database.
        let lock_existed = dir.join(datadir::LOCK_FILE).exists();
        let _lock = datadir::lock(dir)?;
        if db_path.exists() || Custody::path(dir).exists() {
            return Err(Error::AlreadyInitialized { dir: dir.to_owned() });
        }
        let key = DbKey::generate()?;
        let secret = secret::InstallSecret::generate()?;
        let mut custody = None;
        let made = (|| {
            let c = custody.insert(Custody::establish(dir, &key, setup, keyring, &secret)?);
            let store = Store::create(&db_path, &key, now)?;
            c.save(dir)?;
            datadir::tighten(dir);
            let mut bd = Breachdesk::assemble(
                store,
                dir,
                c.clone(),
                Some(secret::InstallSecret::from_bytes(secret.dangerous_raw_bytes())),
            );
            bd.dir_locked = true;
            bd.seal_baseline(now)?;
            if let Some(name) = &user_name {
                let ctx = Ctx::new(name, now)?;
                bd.set_user_name(&ctx, name)?;
            }
            bd.dir_locked = false;
            Ok(bd)
        })();
        if made.is_err() {
            if let Some(c) = &custody {
                c.forget(dir, keyring);
            }
            for f in [DB_FILE, "breachdesk.db-wal", "breachdesk.db-shm", custody::CUSTODY_FILE] {
                let _ = std::fs::remove_file(dir.join(f));
            }
            if !lock_existed {
                let _ = std::fs::remove_file(dir.join(datadir::LOCK_FILE));
            }
            if created_dir {
                let _ = std::fs::remove_dir(dir);
            }
        }
        made
    }

    /// Unlocks `dir`: fetches the key from the keyring or unwraps it with `passphrase`.
    ///
    /// # Errors
    /// [`Error::NotInitialized`], [`Error::KeyringUnavailable`], [`Error::KeyMissing`],
    /// [`Error::PassphraseRequired`], [`Error::WrongPassphrase`], [`Error::WrongKey`],
    /// [`Error::NotBreachdeskDatabase`], [`Error::DatabaseCorrupt`], and the migration errors.
    pub fn open(
        dir: &Path,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
        now: DateTime<Utc>,
    ) -> Result<Breachdesk> {
        Self::open_with_migrations(dir, passphrase, keyring, migrate::MIGRATIONS, now)
    }

    /// [`Breachdesk::open`] with a different migration set (tests of the migration checks).
    ///
    /// # Errors
    /// As [`Breachdesk::open`].
    #[doc(hidden)]
    pub fn open_with_migrations(
        dir: &Path,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
        migrations: &[migrate::Migration],
        now: DateTime<Utc>,
    ) -> Result<Breachdesk> {
        let db_path = dir.join(DB_FILE);
        datadir::tighten(dir);
        let Some(mut custody) = Custody::load(dir)? else {
            return Err(if db_path.exists() {
                if looks_like_ours(&db_path) {
                    Error::CustodyMissing { dir: dir.to_owned() }
                } else {
                    Error::NotBreachdeskDatabase { path: db_path }
                }
            } else {
                Error::NotInitialized { dir: dir.to_owned() }
            });
        };
        let candidates = custody.unlock(dir, passphrase, keyring)?;
        let mut last = None;
        let mut opened = None;
        for (key, pending) in candidates {
            match Store::open(&db_path, &key, true, migrations, now) {
                Ok(store) => {
                    opened = Some((store, key, pending));
                    break;
                }
                Err(e @ Error::DatabaseCorrupt { .. }) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        if opened.is_none() {
            // Only now the interrupted re-key's key (another Argon2 run in passphrase mode).
            if let Some(key) = custody.unlock_pending(passphrase)? {
                match Store::open(&db_path, &key, true, migrations, now) {
                    Ok(store) => opened = Some((store, key, true)),
                    Err(e @ Error::DatabaseCorrupt { .. }) => last = Some(e),
                    Err(e) => return Err(e),
                }
            }
        }
        let Some((mut store, key, pending)) = opened else {
            return Err(last.unwrap_or(Error::WrongKey { path: db_path }));
        };
        let writable = !store.read_only();
        if writable {
            individuals::search::backfill(&mut store.conn)?;
        }
        let secret = custody.install_secret(dir, keyring, writable)?;
        let mut bd = Breachdesk::assemble(store, dir, custody, secret);
        if writable {
            bd.finish_key_changes(&key, pending, passphrase, keyring, now)?;
            bd.seal_baseline(now)?;
        }
        bd.check_head()?;
        Ok(bd)
    }

    fn assemble(
        store: Store,
        dir: &Path,
        custody: Custody,
        secret: Option<secret::InstallSecret>,
    ) -> Breachdesk {
        Breachdesk {
            store,
            dir: dir.to_owned(),
            custody,
            secret,
            dir_locked: false,
            page_order: std::sync::Mutex::default(),
            list_generation: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The first open after the audit began to cover the data writes the row that commits to
    /// every row as found (a new store writes it at once).
    fn seal_baseline(&mut self, now: DateTime<Utc>) -> Result<()> {
        let done: bool = self.store.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'audit.baseline')",
            [],
            |r| r.get(0),
        )?;
        if done {
            return Ok(());
        }
        let tx =
            self.store.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let head = audit::baseline(&tx, "Breachdesk (audit baseline)", now, self.secret.as_ref())?;
        tx.commit()?;
        self.store.captured.clear();
        self.record_head(head)
    }

    /// Records the audit chain's head outside the database (custody.json, authenticated).
    fn record_head(&mut self, (seq, hash): (i64, String)) -> Result<()> {
        let Some(secret) = &self.secret else { return Ok(()) };
        let _lock = if self.dir_locked { None } else { Some(datadir::lock(&self.dir)?) };
        // Re-read under the lock: another process may have recorded a later head.
        let mut fresh = Custody::load(&self.dir)?.unwrap_or_else(|| self.custody.clone());
        fresh.record_head(&self.dir, seq, &hash, secret)?;
        self.custody.audit_head = fresh.audit_head;
        Ok(())
    }

    /// A database that went back in time (a lost WAL, an older copy put back) says so: the audit
    /// head recorded outside it must still be in its chain.
    fn check_head(&self) -> Result<()> {
        let (Some(head), Some(secret)) = (&self.custody.audit_head, &self.secret) else {
            return Ok(());
        };
        if !head.authentic(secret) {
            return Err(Error::CustodyInvalid { detail: "the recorded audit head does not match its authentication code (custody.json was edited)".into() });
        }
        let stored: Option<String> = self
            .store
            .conn
            .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [head.seq], |r| r.get(0))
            .optional()?;
        match stored {
            Some(h) if h == head.hash => Ok(()),
            Some(_) => Err(Error::StoreWentBack { detail: format!("audit row {} is not the one this data directory recorded: the log was rewritten or replaced", head.seq) }),
            None => {
                let last: i64 = self.store.conn.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| r.get(0))?;
                Err(Error::StoreWentBack { detail: format!("its audit log ends at row {last}, but this data directory recorded row {}: committed work is missing (a lost -wal file, or an older copy put back)", head.seq) })
            }
        }
    }

    /// Finishes or rolls back a key change a crash interrupted, with its audit row: a re-key that
    /// reached the database gets its new custody; one that did not is dropped (no extra Argon2 run
    /// on every open after it); a change whose clean-up did not run gets it (the old keyring entry
    /// removed).
    fn finish_key_changes(
        &mut self,
        key: &DbKey,
        pending: bool,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let ctx = Ctx::new("Breachdesk (completing an interrupted key change)", now)?;
        let dir = self.dir.clone();
        if pending {
            // A re-key was interrupted after the database took the new key.
            let secret = self.secret.as_ref().ok_or_else(|| {
                Error::Internal("no installation secret to finish the re-key with".into())
            })?;
            self.custody.finish_rekey(&dir, key, passphrase, keyring, secret)?;
        } else if self.custody.abandon_rekey(&dir, keyring)? {
            self.write(&ctx, |_| {
                Ok(((), vec![Change { action: "key.rekey.abandoned", entity_type: "database", entity_id: DB_FILE.into(), before: None, after: Some(serde_json::json!({ "reason": "interrupted before the database was re-encrypted; the old key stays" })) }]))
            })?;
        }
        if let Some(u) = self.custody.finish_unfinished(keyring)? {
            let action = if u.action == "key.rekey" { "key.rekey" } else { "key.mode" };
            self.write(&ctx, |_| {
                Ok((
                    (),
                    vec![Change {
                        action,
                        entity_type: "database",
                        entity_id: DB_FILE.into(),
                        before: None,
                        after: Some(
                            serde_json::json!({ "completed_at_open": true, "detail": u.detail }),
                        ),
                    }],
                ))
            })?;
            self.custody.finished(&dir)?;
        }
        Ok(())
    }

    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    #[must_use]
    pub fn key_mode(&self) -> KeyMode {
        self.custody.mode
    }

    /// The raw connection, for tests that tamper with the data on purpose.
    #[doc(hidden)]
    #[must_use]
    pub fn connection(&self) -> &rusqlite::Connection {
        &self.store.conn
    }

    /// Runs `f` in one transaction with its audit rows; commits only if all of it succeeds.
    /// One user action: one transaction, taken with the write lock first (`BEGIN IMMEDIATE`), so
    /// what `f` reads is what it writes over; the audit rows commit with it.
    fn write<T>(
        &mut self,
        ctx: &Ctx,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<(T, Vec<Change>)>,
    ) -> Result<T> {
        self.write_sealing(ctx, |tx| f(tx).map(|(out, changes)| (out, changes, Vec::new())))
    }

    /// [`Breachdesk::write`] whose audit row also seals imports' records.
    fn write_sealing<T>(
        &mut self,
        ctx: &Ctx,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<(T, Vec<Change>, Vec<audit::BatchSeal>)>,
    ) -> Result<T> {
        let captured = self.store.captured.clone();
        captured.clear();
        let tx =
            self.store.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
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
        self.store.checkpoint();
        if let Some(head) = head {
            self.record_head(head)?;
        }
        Ok(out)
    }

    // ---- settings ------------------------------------------------------------------------

    /// The configured user name (the default actor).
    ///
    /// # Errors
    /// On database failure.
    pub fn user_name(&self) -> Result<Option<String>> {
        Ok(self
            .store
            .conn
            .query_row("SELECT value FROM settings WHERE key = 'user_name'", [], |r| r.get(0))
            .optional()?)
    }

    /// # Errors
    /// [`Error::Validation`] on `user_name` when blank.
    pub fn set_user_name(&mut self, ctx: &Ctx, name: &str) -> Result<()> {
        let name = incident::required("user_name", name, 200)?;
        let before = self.user_name()?;
        self.write(ctx, |tx| {
            tx.execute("INSERT INTO settings (key, value) VALUES ('user_name', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [&name])?;
            Ok(((), vec![Change {
                action: "settings.user_name",
                entity_type: "settings",
                entity_id: "user_name".into(),
                before: before.map(serde_json::Value::String),
                after: Some(serde_json::Value::String(name.clone())),
            }]))
        })
    }

    // ---- incidents -----------------------------------------------------------------------

    fn incident_row(&self, id: &str) -> Result<Row> {
        self.incident_row_sparing(id, &[])
    }

    /// The incident row; the columns in `spare` (about to be replaced by a patch) may be damaged.
    fn incident_row_sparing(&self, id: &str, spare: &[&str]) -> Result<Row> {
        incident::load(&self.store.conn, id, spare)
    }

    /// Opens a new incident in status `detected`.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the field: blank title, unknown severity or zone, malformed or
    /// nonexistent local time, discovery before detection, a detection→discovery gap without a reason.
    pub fn create_incident(&mut self, ctx: &Ctx, input: &NewIncident) -> Result<Incident> {
        let fields = Fields::from_new(input)?;
        let date = fields.detected_at.with_timezone(&fields.zone).format("%Y%m%d").to_string();
        let prefix = format!("INC-{date}-");
        self.write(ctx, |tx| {
            // The number is taken under the write lock: two processes never give out the same id.
            let n: i64 = tx.query_row(
                "SELECT COALESCE(MAX(CAST(substr(human_id, 14) AS INTEGER)), 0) FROM incidents WHERE human_id LIKE ?1 || '%'",
                [&prefix],
                |r| r.get(0),
            )?;
            let row = Row { id: uuid7(ctx.now), human_id: format!("{prefix}{:03}", n + 1), fields, created_at: ctx.now, created_by: ctx.actor.clone(), updated_at: ctx.now };
            let view = row.view();
            let values = row.to_sql();
            let marks: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
            tx.execute(&format!("INSERT INTO incidents ({}) VALUES ({})", incident::COLUMNS, marks.join(", ")), rusqlite::params_from_iter(values.iter()))?;
            let change = Change { action: "incident.create", entity_type: "incident", entity_id: row.id.clone(), before: None, after: Some(to_json(&view)?) };
            Ok((view, vec![change]))
        })
    }

    /// Every incident, newest detection first.
    ///
    /// # Errors
    /// On database failure.
    pub fn list_incidents(&self) -> Result<Vec<Incident>> {
        Ok(self.incident_list()?.incidents)
    }

    /// Every incident, newest detection first, and the ones with a stored value that cannot be
    /// read (each named with its column and how to repair it): one damaged row never hides the others.
    ///
    /// # Errors
    /// On database failure.
    pub fn incident_list(&self) -> Result<incident::IncidentList> {
        let sql = format!(
            "SELECT {} FROM incidents ORDER BY detected_at DESC, human_id DESC",
            incident::COLUMNS
        );
        let mut stmt = self.store.conn.prepare(&sql)?;
        let mut out = incident::IncidentList::default();
        for row in stmt.query_map([], |r| Row::read(r, &[]))? {
            match row? {
                Ok(r) => out.incidents.push(r.view()),
                Err(u) => out.unreadable.push(u),
            }
        }
        Ok(out)
    }

    /// One incident by UUID or `INC-…` id.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn get_incident(&self, id: &str) -> Result<Incident> {
        Ok(self.incident_row(id)?.view())
    }

    /// Applies a patch; the audit row keeps the before and after.
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] as for [`Breachdesk::create_incident`] plus a
    /// backwards status move.
    pub fn update_incident(
        &mut self,
        ctx: &Ctx,
        id: &str,
        patch: &IncidentPatch,
    ) -> Result<Incident> {
        let uuid = self.incident_row_sparing(id, &patch.fields_set())?.id;
        self.write(ctx, |tx| {
            let (inc, mut audit) = apply_patch(tx, ctx, &uuid, patch)?;
            // The legal timestamps and the zone drive the clocks: recomputed in the same transaction.
            let (_, recompute) = obligations::refresh(tx, ctx, &inc, None)?;
            audit.extend(recompute);
            Ok((inc.view(), audit))
        })
    }

    // ---- timeline ------------------------------------------------------------------------

    /// Appends an entry (or a correction of an earlier one) to an incident's timeline.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident or the corrected entry, [`Error::Validation`] naming
    /// `occurred_at`, `kind`, `description` or `corrects`.
    pub fn add_timeline_entry(
        &mut self,
        ctx: &Ctx,
        incident_id: &str,
        input: &NewTimelineEntry,
    ) -> Result<TimelineEntry> {
        let inc = self.incident_row(incident_id)?;
        let zone = inc.fields.zone;
        if input.occurred_at.trim().is_empty() {
            return Err(Error::validation("occurred_at", "is required"));
        }
        let occurred = parse_timestamp("occurred_at", &input.occurred_at, zone)?;
        let kind = TimelineKind::parse(&input.kind)?;
        let description = incident::required("description", &input.description, 20_000)?;
        let who = incident::clean_optional("who", input.who.clone(), 200)?
            .unwrap_or_else(|| ctx.actor.clone());
        let corrects = match incident::clean_optional("corrects", input.corrects.clone(), 100)? {
            None => None,
            Some(c) => {
                let owner: Option<String> = self
                    .store
                    .conn
                    .query_row(
                        "SELECT incident_id FROM timeline_entries WHERE id = ?1",
                        [&c],
                        |r| r.get(0),
                    )
                    .optional()?;
                match owner {
                    Some(o) if o == inc.id => Some(c),
                    Some(_) => {
                        return Err(Error::validation(
                            "corrects",
                            format!("entry {c} belongs to another incident"),
                        ))
                    }
                    None => {
                        return Err(Error::validation(
                            "corrects",
                            format!("no timeline entry {c} in {}", inc.human_id),
                        ))
                    }
                }
            }
        };
        let entry = TimelineEntry {
            id: uuid7(ctx.now),
            incident_id: inc.id.clone(),
            occurred_at: to_local_rfc3339(occurred, zone),
            kind,
            description,
            who,
            corrects,
            corrected_by: None,
            recorded_at: to_local_rfc3339(ctx.now, zone),
            recorded_by: ctx.actor.clone(),
        };
        let after = to_json(&entry)?;
        self.write(ctx, |tx| {
            timeline::append(
                tx,
                ctx,
                &timeline::Append {
                    id: &entry.id,
                    incident_id: &entry.incident_id,
                    occurred_at: occurred,
                    kind,
                    description: &entry.description,
                    who: &entry.who,
                    corrects: entry.corrects.as_deref(),
                },
            )?;
            let action = if entry.corrects.is_some() { "timeline.correct" } else { "timeline.add" };
            Ok((
                (),
                vec![Change {
                    action,
                    entity_type: "timeline_entry",
                    entity_id: entry.id.clone(),
                    before: None,
                    after: Some(after),
                }],
            ))
        })?;
        Ok(entry)
    }

    /// An incident's timeline in the order things happened (ties: the order they were recorded).
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn timeline(&self, incident_id: &str) -> Result<Vec<TimelineEntry>> {
        let inc = self.incident_row(incident_id)?;
        let zone = inc.fields.zone;
        let mut stmt = self.store.conn.prepare(
            "SELECT e.id, e.occurred_at, e.kind, e.description, e.who, e.corrects_id, e.recorded_at, e.recorded_by,
                    (SELECT c.id FROM timeline_entries c WHERE c.corrects_id = e.id ORDER BY c.recorded_at DESC, c.id DESC LIMIT 1)
             FROM timeline_entries e WHERE e.incident_id = ?1 ORDER BY e.occurred_at, e.recorded_at, e.id",
        )?;
        let show = |s: String| -> rusqlite::Result<String> {
            DateTime::parse_from_rfc3339(&s)
                .map(|t| to_local_rfc3339(t.with_timezone(&Utc), zone))
                .map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        1,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })
        };
        let rows = stmt
            .query_map([&inc.id], |r| {
                let kind: String = r.get(2)?;
                Ok(TimelineEntry {
                    id: r.get(0)?,
                    incident_id: inc.id.clone(),
                    occurred_at: show(r.get(1)?)?,
                    kind: TimelineKind::parse(&kind).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            2,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?,
                    description: r.get(3)?,
                    who: r.get(4)?,
                    corrects: r.get(5)?,
                    recorded_at: show(r.get(6)?)?,
                    recorded_by: r.get(7)?,
                    corrected_by: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    // ---- facts and obligations -------------------------------------------------------------

    /// The facts stored for an incident (defaults when none were recorded).
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn facts(&self, incident_id: &str) -> Result<obligations::IncidentFacts> {
        let inc = self.incident_row(incident_id)?;
        obligations::stored_facts(&self.store.conn, &inc.id)
    }

    pub(crate) fn stored_facts(&self, incident_uuid: &str) -> Result<obligations::IncidentFacts> {
        obligations::stored_facts(&self.store.conn, incident_uuid)
    }

    /// What the engine says for `inc` with `facts`, the notices already sent and the incident's
    /// user-defined obligations (reads only).
    fn outcome(
        &self,
        inc: &Row,
        facts: &obligations::IncidentFacts,
    ) -> Result<breachdesk_rules::engine::Outcome> {
        let conn = &self.store.conn;
        obligations::computed(
            inc,
            facts,
            &obligations::sent_times(conn, &inc.id)?,
            &custom::active(conn, &inc.id)?,
        )
    }

    /// What the rule engine computes for a stored incident now (not the stored records): the
    /// obligations, and the exits that remove others.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] when stored facts no longer validate.
    pub fn computed_obligations(
        &self,
        incident_id: &str,
    ) -> Result<breachdesk_rules::engine::Outcome> {
        let inc = self.incident_row(incident_id)?;
        self.outcome(&inc, &self.stored_facts(&inc.id)?)
    }

    /// What would change if `facts` were saved: the diff against the stored obligations. Writes
    /// nothing (the facts editor's preview and the what-if sandbox).
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] naming the bad fact.
    pub fn preview_facts(
        &self,
        incident_id: &str,
        facts: &obligations::IncidentFacts,
    ) -> Result<Vec<obligations::ObligationChange>> {
        let inc = self.incident_row(incident_id)?;
        let facts = facts.normalised(&inc)?;
        let now = self.outcome(&inc, &facts)?;
        Ok(obligations::diff(
            &obligations::stored_keys(&self.store.conn, &inc.id)?,
            &now,
            inc.fields.zone,
        ))
    }

    /// What a draft of facts and incident timestamps would do, without saving anything: the facts
    /// editor's preview and the what-if sandbox.
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] naming the bad fact or field.
    pub fn preview_draft(
        &self,
        incident_id: &str,
        draft: &obligations::FactsDraft,
    ) -> Result<obligations::FactsPreview> {
        let (inc, facts) = self.drafted(incident_id, draft)?;
        let now = self.outcome(&inc, &facts)?;
        let changes = obligations::diff(
            &obligations::stored_keys(&self.store.conn, &inc.id)?,
            &now,
            inc.fields.zone,
        );
        Ok(obligations::FactsPreview::new(changes, &now))
    }

    /// Saves a draft: the incident's fields and its facts, then one recomputation. Everything is
    /// validated before anything is written.
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] naming the bad fact or field.
    pub fn save_draft(
        &mut self,
        ctx: &Ctx,
        incident_id: &str,
        draft: &obligations::FactsDraft,
    ) -> Result<Vec<obligations::ObligationChange>> {
        let (inc, _) = self.drafted(incident_id, draft)?;
        self.write(ctx, |tx| {
            let (inc, mut audit) = match &draft.patch {
                Some(p) => apply_patch(tx, ctx, &inc.id, p)?,
                None => (incident::load(tx, &inc.id, &[])?, Vec::new()),
            };
            let (changes, refresh) = obligations::refresh(tx, ctx, &inc, Some(&draft.facts))?;
            audit.extend(refresh);
            Ok((changes, audit))
        })
    }

    /// The incident as the draft would make it, and the draft's facts normalised against it.
    fn drafted(
        &self,
        incident_id: &str,
        draft: &obligations::FactsDraft,
    ) -> Result<(Row, obligations::IncidentFacts)> {
        let spare = draft.patch.as_ref().map(IncidentPatch::fields_set).unwrap_or_default();
        let mut inc = self.incident_row_sparing(incident_id, &spare)?;
        if let Some(p) = &draft.patch {
            inc.fields = inc.fields.patched(p)?;
        }
        let facts = draft.facts.normalised(&inc)?;
        Ok((inc, facts))
    }

    /// Saves an incident's facts and recomputes its obligations, in one transaction; returns the
    /// diff (also written to the timeline and the audit log).
    ///
    /// # Errors
    /// [`Error::NotFound`], and [`Error::Validation`] naming the bad fact.
    pub fn set_facts(
        &mut self,
        ctx: &Ctx,
        incident_id: &str,
        facts: &obligations::IncidentFacts,
    ) -> Result<Vec<obligations::ObligationChange>> {
        let inc = self.incident_row(incident_id)?;
        facts.normalised(&inc)?;
        self.write(ctx, |tx| {
            obligations::refresh(tx, ctx, &incident::load(tx, &inc.id, &[])?, Some(facts))
        })
    }

    /// Brings the stored obligations in line with the facts. Rows are never deleted; a frozen due
    /// time never moves.
    ///
    /// # Errors
    /// [`Error::NotFound`]; database errors.
    pub fn recompute_obligations(
        &mut self,
        ctx: &Ctx,
        incident_id: &str,
    ) -> Result<Vec<obligations::ObligationChange>> {
        let inc = self.incident_row(incident_id)?;
        self.write(ctx, |tx| {
            obligations::refresh(tx, ctx, &incident::load(tx, &inc.id, &[])?, None)
        })
    }

    /// An incident's obligations with their status at `now`, most urgent first.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn obligations(
        &self,
        incident_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<obligations::Obligation>> {
        let inc = self.incident_row(incident_id)?;
        obligations::list(&self.store.conn, &inc, now)
    }

    /// The incident's open fixed deadlines as an iCalendar file (RFC 5545), with alarms.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the incident.
    pub fn deadlines_ics(&self, incident_id: &str, now: DateTime<Utc>) -> Result<String> {
        let inc = self.incident_row(incident_id)?;
        Ok(ics::calendar(&inc.human_id, &inc.fields.title, &self.obligations(&inc.id, now)?, now))
    }

    /// Finds an obligation of an incident by its id, `RULE@JURISDICTION`, or a rule id.
    fn obligation_of(&self, incident_id: &str, obligation_id: &str) -> Result<(Row, String)> {
        let inc = self.incident_row(incident_id)?;
        let id: Option<String> = self
            .store
            .conn
            .query_row(
                "SELECT id FROM obligations WHERE incident_id = ?1 AND (id = ?2 OR (rule_id || '@' || jurisdiction) = ?2 OR rule_id = ?2)
                 ORDER BY jurisdiction LIMIT 1",
                params![inc.id, obligation_id.trim()],
                |r| r.get(0),
            )
            .optional()?;
        let id = id.ok_or_else(|| Error::NotFound {
            entity: "obligation",
            id: format!("{obligation_id} in {}", inc.human_id),
        })?;
        Ok((inc, id))
    }

    fn one_obligation(
        &self,
        inc: &Row,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<obligations::Obligation> {
        obligations::list(&self.store.conn, inc, now)?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| Error::NotFound { entity: "obligation", id: id.to_owned() })
    }

    /// Records that an obligation is not required (or is required after all), with the rationale
    /// and the person who approved it; or confirms the exit the engine proposes for it
    /// (`exemption_id`). Decisions are append-only; the newest counts. Each goes to the timeline
    /// and the audit log.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] naming `decision`, `rationale`, `approved_by` or
    /// `exemption_id` (an exit that does not apply to this obligation now).
    pub fn decide_obligation(
        &mut self,
        ctx: &Ctx,
        incident_id: &str,
        obligation_id: &str,
        input: &obligations::DecisionInput,
    ) -> Result<obligations::Obligation> {
        let (decision, rationale, approved_by) = obligations::check_decision(input)?;
        let (inc, id) = self.obligation_of(incident_id, obligation_id)?;
        let current = self.one_obligation(&inc, &id, ctx.now)?;
        let exemption_id =
            match incident::clean_optional("exemption_id", input.exemption_id.clone(), 200)? {
                None => None,
                Some(x) => {
                    if decision != "not_required" {
                        return Err(Error::validation(
                            "exemption_id",
                            "an exit is confirmed with the decision not_required",
                        ));
                    }
                    match &current.exemption {
                        Some(e) if e.id == x => Some(x),
                        Some(e) => {
                            return Err(Error::validation(
                                "exemption_id",
                                format!(
                                    "{x:?} is not the exit that applies to this notice now ({})",
                                    e.id
                                ),
                            ))
                        }
                        None => {
                            return Err(Error::validation(
                                "exemption_id",
                                format!(
                                "no exit applies to this notice now, so {x:?} cannot be confirmed"
                            ),
                            ))
                        }
                    }
                }
            };
        let label = format!(
            "{} {} ({})",
            current.jurisdiction,
            current.recipient.replace('_', " "),
            current.rule_id
        );
        let text = match (&exemption_id, current.exemption.as_ref()) {
            (Some(_), Some(e)) => format!("Exemption confirmed for {label}: not required under {} ({}). Rationale: {rationale}. Approved by {approved_by}.", e.citation, e.kind.replace('_', " ")),
            _ if decision == "not_required" => format!("Decided not required: {label}. Rationale: {rationale}. Approved by {approved_by}."),
            _ => format!("Decided required: {label}. Rationale: {rationale}. Approved by {approved_by}."),
        };
        self.write(ctx, |tx| {
            tx.execute(
                "INSERT INTO obligation_decisions (id, obligation_id, decision, rationale, approved_by, decided_at, decided_by, exemption_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![uuid7(ctx.now), id, decision, rationale, approved_by, to_storage(ctx.now), ctx.actor, exemption_id],
            )?;
            timeline::append_event(tx, ctx, &inc.id, TimelineKind::Assessment, &text)?;
            Ok(((), vec![Change {
                action: if exemption_id.is_some() { "obligation.confirm_exemption" } else { "obligation.decide" },
                entity_type: "obligation",
                entity_id: id.clone(),
                before: None,
                after: Some(serde_json::json!({ "decision": decision, "rationale": rationale, "approved_by": approved_by, "exemption_id": exemption_id })),
            }]))
        })?;
        self.one_obligation(&inc, &id, ctx.now)
    }

    /// Records a notice as sent. The first filing freezes the obligation's due time, so later
    /// edits of the facts cannot make a late notice look on time; the notices timed against this
    /// one get their dates from it, in the same transaction.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Validation`] naming `sent_at`, `channel`, `reference` or `note`.
    pub fn record_filing(
        &mut self,
        ctx: &Ctx,
        incident_id: &str,
        obligation_id: &str,
        input: &obligations::FilingInput,
    ) -> Result<obligations::Obligation> {
        let (inc, id) = self.obligation_of(incident_id, obligation_id)?;
        if input.sent_at.trim().is_empty() {
            return Err(Error::validation("sent_at", "is required"));
        }
        let sent = parse_timestamp("sent_at", &input.sent_at, inc.fields.zone)?;
        if sent > ctx.now {
            return Err(Error::validation("sent_at", "cannot be in the future"));
        }
        let channel = incident::clean_optional("channel", input.channel.clone(), 500)?;
        let reference = incident::clean_optional("reference", input.reference.clone(), 500)?;
        let note = incident::clean_optional("note", input.note.clone(), 20_000)?;
        self.write(ctx, |tx| {
            tx.execute(
                "INSERT INTO obligation_filings (id, obligation_id, sent_at, channel, reference, note, recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![uuid7(ctx.now), id, to_storage(sent), channel, reference, note, to_storage(ctx.now), ctx.actor],
            )?;
            tx.execute("UPDATE obligations SET frozen_at = ?2 WHERE id = ?1 AND frozen_at IS NULL", params![id, to_storage(ctx.now)])?;
            crate::failpoint::hit("filing.recorded");
            let mut audit = vec![Change {
                action: "obligation.filing",
                entity_type: "obligation",
                entity_id: id.clone(),
                before: None,
                after: Some(serde_json::json!({ "sent_at": to_storage(sent), "channel": channel, "reference": reference })),
            }];
            // The notices timed against this one take their dates from it, in the same transaction.
            let (_, recompute) = obligations::refresh(tx, ctx, &inc, None)?;
            audit.extend(recompute);
            Ok(((), audit))
        })?;
        self.one_obligation(&inc, &id, ctx.now)
    }

    // ---- audit and keys ------------------------------------------------------------------

    /// Checks the store: every encrypted page, the database's structure, its cross-references and
    /// the audit chain. A damaged page is found here, not when some command happens to read it.
    ///
    /// # Errors
    /// On database failure only; problems found are in the report.
    pub fn check(&self) -> Result<CheckReport> {
        // Each step's own failure (a page that cannot be read at all) is a finding, not the end.
        let damaged = |step: &str, e: Error| {
            format!("{step}: {}", e.to_string().trim_start_matches("internal error: database: "))
        };
        let mut problems = self
            .store
            .integrity()
            .unwrap_or_else(|e| vec![damaged("the file could not be read through", e)]);
        let audit = audit::verify(&self.store.conn, self.secret.as_ref()).unwrap_or_else(|e| {
            problems.push(damaged("the audit log could not be read", e));
            audit::AuditReport {
                rows_checked: 0,
                head_hash: None,
                broken: None,
                data_covered_from: None,
                data_mismatches: Vec::new(),
            }
        });
        let pages: i64 =
            self.store.conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap_or(0);
        Ok(CheckReport {
            intact: problems.is_empty() && audit.intact(),
            pages,
            read_only: self.store.read_only(),
            problems,
            audit,
        })
    }

    /// Walks the whole audit chain.
    ///
    /// # Errors
    /// On database failure only.
    pub fn verify_audit(&self) -> Result<audit::AuditReport> {
        audit::verify(&self.store.conn, self.secret.as_ref())
    }

    /// Signs the audit chain's current head with this installation's key: a checkpoint to keep
    /// outside the data directory (with counsel, in the incident file). Later,
    /// [`Breachdesk::verify_checkpoint`] proves the chain still extends it.
    ///
    /// # Errors
    /// [`Error::Validation`] when the log is empty; [`Error::ReadOnly`] for an old read-only copy.
    pub fn checkpoint(&self, now: DateTime<Utc>) -> Result<audit::Checkpoint> {
        let secret = self.secret.as_ref().ok_or_else(|| Error::ReadOnly {
            detail: "this copy predates signed checkpoints; open it writable once".into(),
        })?;
        audit::checkpoint(&self.store.conn, secret, now)
    }

    /// Whether the audit chain still extends `cp` (signed here, and its row still has its hash).
    ///
    /// # Errors
    /// [`Error::Validation`] on `checkpoint` naming what fails.
    pub fn verify_checkpoint(&self, cp: &audit::Checkpoint) -> Result<()> {
        let secret = self.secret.as_ref().ok_or_else(|| Error::ReadOnly {
            detail: "this copy predates signed checkpoints".into(),
        })?;
        audit::check_checkpoint(&self.store.conn, secret, cp)
            .map_err(|m| Error::validation("checkpoint", m))
    }

    /// Re-encrypts the database under a fresh random key and puts that key into custody. In
    /// passphrase mode, `passphrase` (the current one) wraps the new key.
    ///
    /// # Errors
    /// [`Error::PassphraseRequired`], [`Error::KeyringUnavailable`], database and I/O errors.
    pub fn rekey(
        &mut self,
        ctx: &Ctx,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
    ) -> Result<()> {
        let _lock = datadir::lock(&self.dir)?;
        self.dir_locked = true;
        let done = self.rekey_locked(ctx, passphrase, keyring);
        self.dir_locked = false;
        done
    }

    fn rekey_locked(
        &mut self,
        ctx: &Ctx,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
    ) -> Result<()> {
        if self.custody.mode == KeyMode::Passphrase {
            // Prove the passphrase before anything changes.
            let p = passphrase.ok_or(Error::PassphraseRequired)?;
            self.custody.unlock(&self.dir, Some(p), keyring)?;
        }
        let new = DbKey::generate()?;
        self.custody.begin_rekey(&self.dir, &new, passphrase, keyring)?;
        crate::failpoint::hit("rekey.pending_saved");
        self.store.rekey(&new)?;
        crate::failpoint::hit("rekey.database_rekeyed");
        let secret =
            self.secret.as_ref().ok_or_else(|| Error::Internal("no installation secret".into()))?;
        self.custody.finish_rekey(&self.dir, &new, passphrase, keyring, secret)?;
        self.write(ctx, |_| {
            Ok((
                (),
                vec![Change {
                    action: "key.rekey",
                    entity_type: "database",
                    entity_id: DB_FILE.into(),
                    before: None,
                    after: None,
                }],
            ))
        })?;
        let dir = self.dir.clone();
        self.custody.finished(&dir)
    }

    /// Moves the database key to the other kind of custody (keyring ↔ passphrase). The key itself
    /// does not change; run [`Breachdesk::rekey`] as well to retire it.
    ///
    /// # Errors
    /// [`Error::Validation`] when already in that mode or the passphrase is too short,
    /// [`Error::KeyringUnavailable`], I/O errors.
    pub fn switch_key_mode(
        &mut self,
        ctx: &Ctx,
        current_passphrase: Option<&Passphrase>,
        to: &KeySetup,
        keyring: &dyn SecretStore,
    ) -> Result<()> {
        let _lock = datadir::lock(&self.dir)?;
        self.dir_locked = true;
        let done = self.switch_locked(ctx, current_passphrase, to, keyring);
        self.dir_locked = false;
        done
    }

    fn switch_locked(
        &mut self,
        ctx: &Ctx,
        current_passphrase: Option<&Passphrase>,
        to: &KeySetup,
        keyring: &dyn SecretStore,
    ) -> Result<()> {
        let target = match to {
            KeySetup::Keyring => KeyMode::Keyring,
            KeySetup::Passphrase(_) => KeyMode::Passphrase,
        };
        if target == self.custody.mode {
            return Err(Error::validation(
                "mode",
                format!("the key is already kept in {} mode", mode_name(target)),
            ));
        }
        let from = self.custody.mode;
        let mut keys = self.custody.unlock(&self.dir, current_passphrase, keyring)?;
        let (key, _) = keys.swap_remove(0);
        let secret =
            self.secret.as_ref().ok_or_else(|| Error::Internal("no installation secret".into()))?;
        self.custody.switch(&self.dir, &key, to, keyring, secret)?;
        self.write(ctx, |_| {
            Ok((
                (),
                vec![Change {
                    action: "key.mode",
                    entity_type: "database",
                    entity_id: DB_FILE.into(),
                    before: Some(serde_json::json!({ "mode": mode_name(from) })),
                    after: Some(serde_json::json!({ "mode": mode_name(target) })),
                }],
            ))
        })?;
        let dir = self.dir.clone();
        self.custody.finished(&dir)
    }
}

fn mode_name(m: KeyMode) -> &'static str {
    match m {
        KeyMode::Keyring => "keyring",
        KeyMode::Passphrase => "passphrase",
    }
}

/// Inside the caller's transaction: re-reads the incident (so a concurrent update of other fields
/// is kept, not overwritten), applies the patch and writes it with its audit change and, when it
/// closes the incident, the timeline entry. Returns the incident as it now stands.
fn apply_patch(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx,
    uuid: &str,
    patch: &IncidentPatch,
) -> Result<(Row, Vec<Change>)> {
    let old = incident::load(tx, uuid, &patch.fields_set())?;
    let fields = old.fields.patched(patch)?;
    if fields == old.fields {
        return Ok((old, Vec::new()));
    }
    let new = Row {
        fields,
        updated_at: ctx.now,
        id: old.id.clone(),
        human_id: old.human_id.clone(),
        created_at: old.created_at,
        created_by: old.created_by.clone(),
    };
    let (before, after) = (to_json(&old.view())?, to_json(&new.view())?);
    let values = new.to_sql();
    let sets: Vec<String> = incident::COLUMNS
        .split(", ")
        .enumerate()
        .skip(1)
        .map(|(i, c)| format!("{} = ?{}", c.trim(), i + 1))
        .collect();
    tx.execute(
        &format!("UPDATE incidents SET {} WHERE id = ?1", sets.join(", ")),
        rusqlite::params_from_iter(values.iter()),
    )?;
    crate::failpoint::hit("update.patched");
    // Closing is a fact of the timeline too: the post-mortem clock starts there.
    if new.fields.status == incident::Status::Closed
        && old.fields.status != incident::Status::Closed
    {
        timeline::append_event(
            tx,
            ctx,
            &new.id,
            TimelineKind::Closed,
            &format!("Incident closed (status {} → closed)", old.fields.status.as_str()),
        )?;
    }
    let change = Change {
        action: "incident.update",
        entity_type: "incident",
        entity_id: new.id.clone(),
        before: Some(before),
        after: Some(after),
    };
    Ok((new, vec![change]))
}

/// Whether `path` looks like a Breachdesk database (SQLCipher pages: random bytes, not a plain
/// SQLite header) rather than some other file.
fn looks_like_ours(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok()
        && &head != b"SQLite format 3\0"
}
