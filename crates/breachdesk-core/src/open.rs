//! Setting up and opening a data directory: the key from custody, the store, the audit head.

use crate::custody::{self, Custody, KeyMode, KeySetup, SecretStore};
use crate::incident::{self};
use crate::secret::{self, DbKey, Passphrase};
use crate::store::{Readers, Store, Writer, DB_FILE};
use crate::{datadir, individuals, migrate};
use crate::{Breachdesk, Ctx, Error, Result};
use chrono::{DateTime, Utc};
use std::path::Path;

/// Whether `path` looks like a Breachdesk database (SQLCipher pages: random bytes, not a plain
/// SQLite header) rather than some other file.
fn looks_like_ours(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok()
        && &head != b"SQLite format 3\0"
}

/// What a data directory holds, readable without a key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct DirStatus {
    pub data_dir: String,
    pub initialized: bool,
    pub mode: Option<KeyMode>,
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
            let bd = Breachdesk::assemble(
                store,
                &key,
                dir,
                c.clone(),
                Some(secret::InstallSecret::from_bytes(secret.dangerous_raw_bytes())),
            );
            bd.holding_dir_lock(|| {
                bd.seal_baseline(now)?;
                if let Some(name) = &user_name {
                    bd.set_user_name(&Ctx::new(name, now)?, name)?;
                }
                Ok(())
            })?;
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
        let bd = Breachdesk::assemble(store, &key, dir, custody, secret);
        if writable {
            bd.finish_key_changes(&key, pending, passphrase, keyring, now)?;
            bd.seal_baseline(now)?;
        }
        bd.check_head()?;
        Ok(bd)
    }

    fn assemble(
        store: Store,
        key: &DbKey,
        dir: &Path,
        custody: Custody,
        secret: Option<secret::InstallSecret>,
    ) -> Breachdesk {
        Breachdesk {
            readers: Readers::new(&store, key),
            writer: std::sync::Mutex::new(Writer { store }),
            dir: dir.to_owned(),
            custody: std::sync::Mutex::new(custody),
            secret,
            dir_locked: std::sync::atomic::AtomicBool::new(false),
            page_order: std::sync::Mutex::default(),
            list_generation: std::sync::atomic::AtomicU64::new(0),
        }
    }
}
