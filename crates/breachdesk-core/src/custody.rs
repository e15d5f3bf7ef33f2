//! Key custody: where the database key lives and how it is unlocked.
//!
//! Two modes. **Keyring**: a random 256-bit key sits in the OS keyring (Secret Service, Keychain,
//! Credential Manager) under an entry namespaced by the data directory. **Passphrase**: the same kind
//! of random key, wrapped (XChaCha20-Poly1305) by a key derived from the passphrase with Argon2id;
//! only the wrapped key and the salt sit beside the database, in `custody.json`.
//!
//! `custody.json` also holds a *check value* of the key (a domain-separated SHA-256), which lets us
//! tell "this key belongs to another database" from "the database file is damaged" — SQLCipher
//! reports both as "file is not a database".

use crate::secret::{DbKey, Passphrase};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// Keyring service name; the account is `db-key:<absolute data directory>`.
pub const KEYRING_SERVICE: &str = "dev.breachdesk.database-key";
pub(crate) const CUSTODY_FILE: &str = "custody.json";

/// How the database key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum KeyMode {
    Keyring,
    Passphrase,
}

/// A place to keep secrets by account name. The OS keyring in production, memory in unit tests.
pub trait SecretStore: Send + Sync {
    /// The secret, or `None` when there is no entry.
    ///
    /// # Errors
    /// [`Error::KeyringUnavailable`] when the store cannot be reached.
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>>;
    /// # Errors
    /// [`Error::KeyringUnavailable`] when the store cannot be reached.
    fn set(&self, account: &str, secret: &str) -> Result<()>;
    /// Removes the entry; a missing entry is not an error.
    ///
    /// # Errors
    /// [`Error::KeyringUnavailable`] when the store cannot be reached.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The operating system's keyring through the `keyring` crate.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeyring;

fn keyring_unavailable(e: &keyring::Error) -> Error {
    let raw = e.to_string();
    let lower = raw.to_lowercase();
    let detail = if lower.contains("dbus") || lower.contains("d-bus") || lower.contains("autolaunch") {
        "no Secret Service is running in this session (no D-Bus session or keyring daemon)".to_owned()
    } else if lower.contains("locked") || lower.contains("no result found") || lower.contains("prompt") {
        "the keyring is locked".to_owned()
    } else {
        raw
    };
    Error::KeyringUnavailable { detail }
}

impl OsKeyring {
    fn entry(account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| keyring_unavailable(&e))
    }
}

impl SecretStore for OsKeyring {
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>> {
        match Self::entry(account)?.get_password() {
            Ok(s) => Ok(Some(Zeroizing::new(s))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_unavailable(&e)),
        }
    }
    fn set(&self, account: &str, secret: &str) -> Result<()> {
        Self::entry(account)?.set_password(secret).map_err(|e| keyring_unavailable(&e))
    }
    fn delete(&self, account: &str) -> Result<()> {
        match Self::entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_unavailable(&e)),
        }
    }
}

/// An in-memory [`SecretStore`] for unit tests (and for simulating a lost keyring entry).
#[derive(Default)]
pub struct MemoryKeyring(Mutex<HashMap<String, Zeroizing<String>>>);

impl MemoryKeyring {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Zeroizing<String>>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SecretStore for MemoryKeyring {
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>> {
        Ok(self.map().get(account).cloned())
    }
    fn set(&self, account: &str, secret: &str) -> Result<()> {
        self.map().insert(account.to_owned(), Zeroizing::new(secret.to_owned()));
        Ok(())
    }
    fn delete(&self, account: &str) -> Result<()> {
        self.map().remove(account);
        Ok(())
    }
}

/// A database key wrapped by a passphrase.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct WrappedKey {
    kdf: String,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
    nonce: String,
    ciphertext: String,
}

/// A key change under way (see [`crate::Breachdesk::rekey`]): written before `PRAGMA rekey`, so a
/// crash between re-encrypting and storing the new key never leaves the database without its key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct PendingKey {
    key_check: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wrapped: Option<WrappedKey>,
}

/// The contents of `custody.json`. Holds no secret: only the mode, the keyring account, the
/// passphrase-wrapped key and the key's check value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Custody {
    format: u32,
    pub(crate) mode: KeyMode,
    key_check: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    keyring_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wrapped: Option<WrappedKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pending: Option<PendingKey>,
}

/// How to protect the key when setting up or switching modes.
#[derive(Debug)]
pub enum KeySetup {
    Keyring,
    Passphrase(Passphrase),
}

/// Keyring account for a data directory (which must already exist).
pub(crate) fn keyring_account(dir: &Path) -> Result<String> {
    let abs = dir.canonicalize().map_err(|source| Error::Io { path: dir.to_owned(), source })?;
    Ok(format!("db-key:{}", abs.display()))
}

const ARGON2_M_KIB: u32 = 64 * 1024;
const ARGON2_T: u32 = 3;
const ARGON2_P: u32 = 1;
const WRAP_AAD: &[u8] = b"breachdesk database key v1";

fn derive(passphrase: &Passphrase, salt: &[u8], m: u32, t: u32, p: u32) -> Result<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(m, t, p, Some(32)).map_err(|e| Error::Internal(format!("argon2 params: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.dangerous_expose().as_bytes(), salt, &mut out[..])
        .map_err(|e| Error::Internal(format!("argon2: {e}")))?;
    Ok(out)
}

pub(crate) fn wrap(key: &DbKey, passphrase: &Passphrase) -> Result<WrappedKey> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    if passphrase.dangerous_expose().chars().count() < 8 {
        return Err(Error::validation("passphrase", "must be at least 8 characters"));
    }
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut salt).map_err(|e| Error::Internal(format!("no OS randomness: {e}")))?;
    getrandom::fill(&mut nonce).map_err(|e| Error::Internal(format!("no OS randomness: {e}")))?;
    let kek = derive(passphrase, &salt, ARGON2_M_KIB, ARGON2_T, ARGON2_P)?;
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(kek.as_ref().into());
    let ct = cipher
        .encrypt(nonce.as_ref().into(), Payload { msg: key.dangerous_raw_bytes(), aad: WRAP_AAD })
        .map_err(|_| Error::Internal("key wrapping failed".into()))?;
    Ok(WrappedKey {
        kdf: "argon2id".into(),
        m_cost_kib: ARGON2_M_KIB,
        t_cost: ARGON2_T,
        p_cost: ARGON2_P,
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        ciphertext: hex::encode(ct),
    })
}

pub(crate) fn unwrap(w: &WrappedKey, passphrase: &Passphrase) -> Result<DbKey> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let bad = |what: &str| Error::Internal(format!("custody.json: malformed {what}"));
    if w.kdf != "argon2id" {
        return Err(bad("kdf"));
    }
    let salt = hex::decode(&w.salt).map_err(|_| bad("salt"))?;
    let nonce = hex::decode(&w.nonce).map_err(|_| bad("nonce"))?;
    let ct = hex::decode(&w.ciphertext).map_err(|_| bad("ciphertext"))?;
    if nonce.len() != 24 {
        return Err(bad("nonce"));
    }
    let kek = derive(passphrase, &salt, w.m_cost_kib, w.t_cost, w.p_cost)?;
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(kek.as_ref().into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(nonce.as_slice().into(), Payload { msg: &ct, aad: WRAP_AAD })
            .map_err(|_| Error::WrongPassphrase)?,
    );
    let bytes: &[u8; 32] = plain.as_slice().try_into().map_err(|_| bad("key length"))?;
    Ok(DbKey::from_bytes(bytes))
}

fn key_to_text(key: &DbKey) -> Zeroizing<String> {
    Zeroizing::new(hex::encode(key.dangerous_raw_bytes()))
}

fn key_from_text(s: &str) -> Option<DbKey> {
    let raw = Zeroizing::new(hex::decode(s.trim()).ok()?);
    let bytes: &[u8; 32] = raw.as_slice().try_into().ok()?;
    Some(DbKey::from_bytes(bytes))
}

impl Custody {
    pub(crate) fn path(dir: &Path) -> PathBuf {
        dir.join(CUSTODY_FILE)
    }

    /// Reads `custody.json`; `Ok(None)` when there is none.
    pub(crate) fn load(dir: &Path) -> Result<Option<Custody>> {
        let path = Self::path(dir);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Io { path, source }),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Error::DatabaseCorrupt { path, detail: format!("unreadable key custody file: {e}") })
    }

    /// Writes `custody.json` atomically (temp file in the same directory, fsync, rename).
    pub(crate) fn save(&self, dir: &Path) -> Result<()> {
        let path = Self::path(dir);
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::Internal(e.to_string()))?;
        // A private temporary file, created exclusively and never through a planted link.
        crate::files::AtomicFile::write_all(&path, text.as_bytes())?;
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Puts `key` into custody under `setup` (stores it in the keyring or wraps it).
    pub(crate) fn establish(dir: &Path, key: &DbKey, setup: &KeySetup, keyring: &dyn SecretStore) -> Result<Custody> {
        Ok(match setup {
            KeySetup::Keyring => {
                let account = keyring_account(dir)?;
                keyring.set(&account, &key_to_text(key))?;
                Custody {
                    format: 1,
                    mode: KeyMode::Keyring,
                    key_check: key.check_value(),
                    keyring_account: Some(account),
                    wrapped: None,
                    pending: None,
                }
            }
            KeySetup::Passphrase(p) => Custody {
                format: 1,
                mode: KeyMode::Passphrase,
                key_check: key.check_value(),
                keyring_account: None,
                wrapped: Some(wrap(key, p)?),
                pending: None,
            },
        })
    }

    fn account(&self, dir: &Path) -> Result<String> {
        match &self.keyring_account {
            Some(a) => Ok(a.clone()),
            None => keyring_account(dir),
        }
    }

    /// The candidate keys for this database: the current one, then (after an interrupted re-key)
    /// the pending one. Each is checked against its check value before it is returned.
    pub(crate) fn unlock(&self, dir: &Path, passphrase: Option<&Passphrase>, keyring: &dyn SecretStore) -> Result<Vec<(DbKey, bool)>> {
        let mut out = Vec::new();
        match self.mode {
            KeyMode::Keyring => {
                let account = self.account(dir)?;
                let current = keyring.get(&account)?;
                if let Some(pending) = &self.pending {
                    if let Some(k) = keyring.get(&format!("{account}#pending"))?.as_deref().and_then(|s| key_from_text(s)) {
                        if k.check_value() == pending.key_check {
                            out.push((k, true));
                        }
                    }
                }
                match current.as_deref().map(|s| key_from_text(s)) {
                    None if out.is_empty() => return Err(Error::KeyMissing { dir: dir.to_owned() }),
                    None => {}
                    Some(None) => return Err(Error::WrongKey { path: dir.join(crate::store::DB_FILE) }),
                    Some(Some(k)) if k.check_value() == self.key_check => out.insert(0, (k, false)),
                    Some(Some(_)) if out.is_empty() => return Err(Error::WrongKey { path: dir.join(crate::store::DB_FILE) }),
                    Some(Some(_)) => {}
                }
            }
            KeyMode::Passphrase => {
                let p = passphrase.ok_or(Error::PassphraseRequired)?;
                let w = self.wrapped.as_ref().ok_or_else(|| Error::Internal("custody.json: no wrapped key".into()))?;
                let k = unwrap(w, p)?;
                if k.check_value() != self.key_check {
                    return Err(Error::WrongKey { path: dir.join(crate::store::DB_FILE) });
                }
                out.push((k, false));
                if let Some(PendingKey { key_check, wrapped: Some(pw) }) = &self.pending {
                    let k = unwrap(pw, p)?;
                    if &k.check_value() == key_check {
                        out.push((k, true));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Step 1 of a re-key: park the new key beside the old one.
    pub(crate) fn begin_rekey(&mut self, dir: &Path, new: &DbKey, passphrase: Option<&Passphrase>, keyring: &dyn SecretStore) -> Result<()> {
        let wrapped = match self.mode {
            KeyMode::Keyring => {
                keyring.set(&format!("{}#pending", self.account(dir)?), &key_to_text(new))?;
                None
            }
            KeyMode::Passphrase => Some(wrap(new, passphrase.ok_or(Error::PassphraseRequired)?)?),
        };
        self.pending = Some(PendingKey { key_check: new.check_value(), wrapped });
        self.save(dir)
    }

    /// Step 3 of a re-key (after `PRAGMA rekey`): the new key becomes the current one.
    pub(crate) fn finish_rekey(&mut self, dir: &Path, new: &DbKey, passphrase: Option<&Passphrase>, keyring: &dyn SecretStore) -> Result<()> {
        let setup = match self.mode {
            KeyMode::Keyring => KeySetup::Keyring,
            KeyMode::Passphrase => KeySetup::Passphrase(Passphrase::new(
                passphrase.ok_or(Error::PassphraseRequired)?.dangerous_expose().to_owned(),
            )),
        };
        let next = Custody::establish(dir, new, &setup, keyring)?;
        next.save(dir)?;
        if self.mode == KeyMode::Keyring {
            keyring.delete(&format!("{}#pending", self.account(dir)?))?;
        }
        *self = next;
        Ok(())
    }

    /// Moves the key into the other kind of custody. The new custody is written before the old
    /// secret is removed, so a failure part-way leaves the key reachable.
    pub(crate) fn switch(&mut self, dir: &Path, key: &DbKey, to: &KeySetup, keyring: &dyn SecretStore) -> Result<()> {
        let next = Custody::establish(dir, key, to, keyring)?;
        next.save(dir)?;
        if self.mode == KeyMode::Keyring && next.mode == KeyMode::Passphrase {
            keyring.delete(&self.account(dir)?)?;
        }
        *self = next;
        Ok(())
    }

    /// Removes the keyring entry this custody created (used to undo a failed `init`).
    pub(crate) fn forget(&self, dir: &Path, keyring: &dyn SecretStore) {
        if self.mode == KeyMode::Keyring {
            if let Ok(a) = self.account(dir) {
                let _ = keyring.delete(&a);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_key_round_trips_and_rejects_a_wrong_passphrase() {
        let key = DbKey::generate().expect("rng");
        let w = wrap(&key, &Passphrase::new("correct horse battery".into())).expect("wrap");
        let back = unwrap(&w, &Passphrase::new("correct horse battery".into())).expect("unwrap");
        assert_eq!(back.dangerous_raw_bytes(), key.dangerous_raw_bytes());
        let err = unwrap(&w, &Passphrase::new("wrong horse battery".into())).expect_err("must fail");
        assert!(matches!(err, Error::WrongPassphrase), "{err:?}");
        // the wrapped form holds neither the key nor the passphrase
        let json = serde_json::to_string(&w).expect("json");
        assert!(!json.contains(&hex::encode(key.dangerous_raw_bytes())));
        assert!(!json.contains("correct horse"));
    }

    #[test]
    fn short_passphrases_are_refused_naming_the_field() {
        let key = DbKey::generate().expect("rng");
        let err = wrap(&key, &Passphrase::new("short".into())).expect_err("must fail");
        assert_eq!(err.field(), Some("passphrase"));
    }

    #[test]
    fn keyring_custody_finds_a_missing_or_foreign_key() {
        let dir = tempfile::tempdir().expect("tmp");
        let ring = MemoryKeyring::default();
        let key = DbKey::generate().expect("rng");
        let c = Custody::establish(dir.path(), &key, &KeySetup::Keyring, &ring).expect("establish");
        assert_eq!(c.unlock(dir.path(), None, &ring).expect("unlock").len(), 1);
        let account = keyring_account(dir.path()).expect("account");
        ring.set(&account, &hex::encode([7u8; 32])).expect("set");
        assert!(matches!(c.unlock(dir.path(), None, &ring), Err(Error::WrongKey { .. })));
        ring.delete(&account).expect("delete");
        assert!(matches!(c.unlock(dir.path(), None, &ring), Err(Error::KeyMissing { .. })));
    }
}
