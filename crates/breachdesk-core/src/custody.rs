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

use crate::secret::{DbKey, InstallSecret, Passphrase};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// Keyring service name; the account is `db-key:<absolute data directory>`.
/// The shortest passphrase accepted (the set-up screen shows and checks the same number).
pub const MIN_PASSPHRASE_CHARS: usize = 8;

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
    let detail =
        if lower.contains("dbus") || lower.contains("d-bus") || lower.contains("autolaunch") {
            "no Secret Service is running in this session (no D-Bus session or keyring daemon)"
                .to_owned()
        } else if lower.contains("locked")
            || lower.contains("no result found")
            || lower.contains("prompt")
        {
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
    /// SHA-256 of salt, nonce and ciphertext: tells a damaged file from a wrong passphrase (the
    /// cipher alone cannot). Absent in files written before 2026-12.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    check: Option<String>,
}

impl WrappedKey {
    fn digest(&self) -> String {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        for part in [&self.salt, &self.nonce, &self.ciphertext] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        hex::encode(h.finalize())
    }

    /// Refuses what Breachdesk never writes, naming the field: unknown KDF, costs outside bounds,
    /// salt, nonce or ciphertext of the wrong size, a check that does not match.
    fn validate(&self) -> std::result::Result<(), String> {
        if self.kdf != "argon2id" {
            return Err(format!("unknown key derivation {:?}", self.kdf));
        }
        if !(M_COST_MIN_KIB..=M_COST_MAX_KIB).contains(&self.m_cost_kib) {
            return Err(format!(
                "Argon2 memory cost {} KiB is outside {M_COST_MIN_KIB}..={M_COST_MAX_KIB}",
                self.m_cost_kib
            ));
        }
        if !(1..=T_COST_MAX).contains(&self.t_cost) {
            return Err(format!("Argon2 time cost {} is outside 1..={T_COST_MAX}", self.t_cost));
        }
        if !(1..=P_COST_MAX).contains(&self.p_cost) {
            return Err(format!("Argon2 parallelism {} is outside 1..={P_COST_MAX}", self.p_cost));
        }
        let hexlen = |name: &str, v: &str, bytes: usize| {
            if v.len() == bytes * 2 && v.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(())
            } else {
                Err(format!("the {name} is not {bytes} bytes of hex"))
            }
        };
        hexlen("salt", &self.salt, 16)?;
        hexlen("nonce", &self.nonce, 24)?;
        hexlen("ciphertext", &self.ciphertext, 48)?;
        if self.check.as_ref().is_some_and(|c| *c != self.digest()) {
            return Err(
                "the wrapped key does not match its check value (the file was damaged or edited)"
                    .into(),
            );
        }
        Ok(())
    }
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
    /// A key change that reached its new custody but not its clean-up and audit row: finished at
    /// the next open (the old keyring entry removed, the audit row written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) unfinished: Option<Unfinished>,
    /// Passphrase mode: the installation secret, sealed with the same passphrase-derived key as
    /// the database key (keyring mode keeps it in a second keyring entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed_secret: Option<SealedSecret>,
    /// The audit log's last row as this data directory last wrote it, authenticated with the
    /// installation secret: a database that went back in time (a lost WAL, an old copy put back)
    /// says so when it is opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) audit_head: Option<AuditHead>,
    /// The passphrase-derived key of the last unlock, kept to unseal the installation secret
    /// without a second Argon2 run (never written).
    #[serde(skip)]
    kek: Kek,
}

/// A secret sealed with the passphrase-derived key of `wrapped` (its salt and costs).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct SealedSecret {
    nonce: String,
    ciphertext: String,
}

/// The audit chain's head as last written: row, hash, and an HMAC over both.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditHead {
    pub(crate) seq: i64,
    pub(crate) hash: String,
    pub(crate) mac: String,
}

impl AuditHead {
    pub(crate) fn sign(seq: i64, hash: &str, secret: &InstallSecret) -> AuditHead {
        AuditHead { seq, hash: hash.to_owned(), mac: head_mac(seq, hash, secret) }
    }

    pub(crate) fn authentic(&self, secret: &InstallSecret) -> bool {
        head_mac(self.seq, &self.hash, secret) == self.mac
    }
}

fn head_mac(seq: i64, hash: &str, secret: &InstallSecret) -> String {
    use hmac::Mac as _;
    let key = secret.mac_key();
    let mut m = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(&key[..])
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    m.update(format!("audit head v1\0{seq}\0{hash}").as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// A passphrase-derived key, redacted in debug output.
#[derive(Clone, Default, PartialEq, Eq)]
struct Kek(Option<Zeroizing<[u8; 32]>>);

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kek(<redacted>)")
    }
}

/// A key change to finish at the next open.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Unfinished {
    /// `key.rekey` or `key.mode`.
    pub(crate) action: String,
    /// The keyring account whose entry is to be removed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) remove_keyring_entry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) detail: Option<serde_json::Value>,
}

/// The Argon2id costs Breachdesk accepts in `custody.json`: what it writes, with room for stronger
/// settings, and no more (a planted file must not be able to ask for 32 GiB or run for ever).
const M_COST_MAX_KIB: u32 = 1 << 20; // 1 GiB
const M_COST_MIN_KIB: u32 = 8 * 1024;
const T_COST_MAX: u32 = 16;
const P_COST_MAX: u32 = 8;

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

fn derive(
    passphrase: &Passphrase,
    salt: &[u8],
    m: u32,
    t: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(m, t, p, Some(32))
        .map_err(|e| Error::Internal(format!("argon2 params: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.dangerous_expose().as_bytes(), salt, &mut out[..])
        .map_err(|e| Error::Internal(format!("argon2: {e}")))?;
    Ok(out)
}

pub(crate) fn wrap(key: &DbKey, passphrase: &Passphrase) -> Result<WrappedKey> {
    wrap_keeping_kek(key, passphrase).map(|(w, _)| w)
}

fn wrap_keeping_kek(
    key: &DbKey,
    passphrase: &Passphrase,
) -> Result<(WrappedKey, Zeroizing<[u8; 32]>)> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    if passphrase.dangerous_expose().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::validation(
            "passphrase",
            format!("must be at least {MIN_PASSPHRASE_CHARS} characters"),
        ));
    }
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut salt).map_err(|e| Error::NoRandomness(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| Error::NoRandomness(e.to_string()))?;
    let kek = derive(passphrase, &salt, ARGON2_M_KIB, ARGON2_T, ARGON2_P)?;
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(kek.as_ref().into());
    let ct = cipher
        .encrypt(nonce.as_ref().into(), Payload { msg: key.dangerous_raw_bytes(), aad: WRAP_AAD })
        .map_err(|_| Error::Internal("key wrapping failed".into()))?;
    let mut w = WrappedKey {
        kdf: "argon2id".into(),
        m_cost_kib: ARGON2_M_KIB,
        t_cost: ARGON2_T,
        p_cost: ARGON2_P,
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        ciphertext: hex::encode(ct),
        check: None,
    };
    w.check = Some(w.digest());
    Ok((w, kek))
}

pub(crate) fn unwrap(w: &WrappedKey, passphrase: &Passphrase) -> Result<DbKey> {
    unwrap_keeping_kek(w, passphrase).map(|(k, _)| k)
}

fn unwrap_keeping_kek(
    w: &WrappedKey,
    passphrase: &Passphrase,
) -> Result<(DbKey, Zeroizing<[u8; 32]>)> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let bad = |what: &str| Error::Internal(format!("custody.json: malformed {what}"));
    w.validate().map_err(|detail| Error::CustodyInvalid { detail })?;
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
    Ok((DbKey::from_bytes(bytes), kek))
}

const SECRET_AAD: &[u8] = b"breachdesk installation secret v1";

fn seal_secret(secret: &InstallSecret, kek: &[u8; 32]) -> Result<SealedSecret> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(|e| Error::NoRandomness(e.to_string()))?;
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(kek.into());
    let ct = cipher
        .encrypt(
            nonce.as_ref().into(),
            Payload { msg: secret.dangerous_raw_bytes(), aad: SECRET_AAD },
        )
        .map_err(|_| Error::Internal("sealing the installation secret failed".into()))?;
    Ok(SealedSecret { nonce: hex::encode(nonce), ciphertext: hex::encode(ct) })
}

fn unseal_secret(s: &SealedSecret, kek: &[u8; 32]) -> Result<InstallSecret> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let bad = || Error::CustodyInvalid {
        detail: "the sealed installation secret cannot be opened (damaged or edited)".into(),
    };
    let nonce = hex::decode(&s.nonce).ok().filter(|n| n.len() == 24).ok_or_else(bad)?;
    let ct = hex::decode(&s.ciphertext).map_err(|_| bad())?;
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(kek.into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(nonce.as_slice().into(), Payload { msg: &ct, aad: SECRET_AAD })
            .map_err(|_| bad())?,
    );
    let bytes: &[u8; 32] = plain.as_slice().try_into().map_err(|_| bad())?;
    Ok(InstallSecret::from_bytes(bytes))
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
        match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Io { path, source }),
            Ok(m) if !m.is_file() => {
                return Err(Error::CustodyInvalid {
                    detail: format!("{} is not a regular file", path.display()),
                })
            }
            Ok(m) if m.len() > 64 * 1024 => {
                return Err(Error::CustodyInvalid {
                    detail: format!(
                        "{} is {} KB, far larger than Breachdesk writes",
                        path.display(),
                        m.len() >> 10
                    ),
                })
            }
            Ok(_) => {}
        }
        let text =
            fs::read_to_string(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
        let c: Custody = serde_json::from_str(&text)
            .map_err(|e| Error::CustodyInvalid { detail: format!("it cannot be read: {e}") })?;
        c.validate().map_err(|detail| Error::CustodyInvalid { detail })?;
        Ok(Some(c))
    }

    /// Every field within what Breachdesk writes.
    fn validate(&self) -> std::result::Result<(), String> {
        if self.format != 1 {
            return Err(format!("format {} is not one this build understands (1)", self.format));
        }
        let check = |v: &str| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit());
        if !check(&self.key_check) {
            return Err("the key check value is not 32 bytes of hex".into());
        }
        match self.mode {
            KeyMode::Passphrase => self
                .wrapped
                .as_ref()
                .ok_or_else(|| "passphrase mode without a wrapped key".to_owned())?
                .validate()?,
            KeyMode::Keyring => {
                if self
                    .keyring_account
                    .as_deref()
                    .is_some_and(|a| !a.starts_with("db-key:") || a.len() > 4096)
                {
                    return Err("the keyring account is not one Breachdesk writes".into());
                }
            }
        }
        if let Some(p) = &self.pending {
            if !check(&p.key_check) {
                return Err("the pending key check value is not 32 bytes of hex".into());
            }
            if let Some(w) = &p.wrapped {
                w.validate()?;
            }
        }
        Ok(())
    }

    /// Writes `custody.json` atomically (temp file in the same directory, fsync, rename).
    pub(crate) fn save(&self, dir: &Path) -> Result<()> {
        let path = Self::path(dir);
        let text = serde_json::to_string_pretty(self)
            .map_err(|source| Error::Json { what: "custody.json", source })?;
        // A private temporary file, created exclusively and never through a planted link.
        crate::files::AtomicFile::write_all(&path, text.as_bytes())?;
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Puts `key` into custody under `setup` (stores it in the keyring or wraps it).
    pub(crate) fn establish(
        dir: &Path,
        key: &DbKey,
        setup: &KeySetup,
        keyring: &dyn SecretStore,
        secret: &InstallSecret,
    ) -> Result<Custody> {
        Ok(match setup {
            KeySetup::Keyring => {
                let account = keyring_account(dir)?;
                keyring.set(&account, &key_to_text(key))?;
                keyring.set(
                    &format!("{account}#secret"),
                    &Zeroizing::new(hex::encode(secret.dangerous_raw_bytes())),
                )?;
                Custody {
                    format: 1,
                    mode: KeyMode::Keyring,
                    key_check: key.check_value(),
                    keyring_account: Some(account),
                    wrapped: None,
                    pending: None,
                    unfinished: None,
                    sealed_secret: None,
                    audit_head: None,
                    kek: Kek::default(),
                }
            }
            KeySetup::Passphrase(p) => {
                let (wrapped, kek) = wrap_keeping_kek(key, p)?;
                Custody {
                    format: 1,
                    mode: KeyMode::Passphrase,
                    key_check: key.check_value(),
                    keyring_account: None,
                    wrapped: Some(wrapped),
                    pending: None,
                    unfinished: None,
                    sealed_secret: Some(seal_secret(secret, &kek)?),
                    audit_head: None,
                    kek: Kek(Some(kek)),
                }
            }
        })
    }

    /// This installation's secret: from the keyring entry beside the key, or unsealed with the
    /// passphrase-derived key of the last unlock. An installation older than the secret gets one
    /// now (`None` when it cannot be made here: a read-only copy of an old installation).
    pub(crate) fn install_secret(
        &mut self,
        dir: &Path,
        keyring: &dyn SecretStore,
        writable: bool,
    ) -> Result<Option<InstallSecret>> {
        match self.mode {
            KeyMode::Keyring => {
                let entry = format!("{}#secret", self.account(dir)?);
                if let Some(hex_text) = keyring.get(&entry)? {
                    let raw = Zeroizing::new(hex::decode(hex_text.trim()).map_err(|_| {
                        Error::CustodyInvalid {
                            detail: "the keyring's installation secret is not hex".into(),
                        }
                    })?);
                    let bytes: &[u8; 32] =
                        raw.as_slice().try_into().map_err(|_| Error::CustodyInvalid {
                            detail: "the keyring's installation secret is not 32 bytes".into(),
                        })?;
                    return Ok(Some(InstallSecret::from_bytes(bytes)));
                }
                if !writable {
                    return Ok(None);
                }
                let s = InstallSecret::generate()?;
                keyring.set(&entry, &Zeroizing::new(hex::encode(s.dangerous_raw_bytes())))?;
                Ok(Some(s))
            }
            KeyMode::Passphrase => {
                let kek = self.kek.0.clone().ok_or_else(|| {
                    Error::Internal(
                        "the installation secret is read before the key was unlocked".into(),
                    )
                })?;
                if let Some(sealed) = &self.sealed_secret {
                    return unseal_secret(sealed, &kek).map(Some);
                }
                if !writable {
                    return Ok(None);
                }
                let s = InstallSecret::generate()?;
                self.sealed_secret = Some(seal_secret(&s, &kek)?);
                self.save(dir)?;
                Ok(Some(s))
            }
        }
    }

    fn account(&self, dir: &Path) -> Result<String> {
        match &self.keyring_account {
            Some(a) => Ok(a.clone()),
            None => keyring_account(dir),
        }
    }

    /// The candidate keys for this database: the current one, then (after an interrupted re-key)
    /// the pending one. Each is checked against its check value before it is returned.
    pub(crate) fn unlock(
        &mut self,
        dir: &Path,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
    ) -> Result<Vec<(DbKey, bool)>> {
        let mut out = Vec::new();
        match self.mode {
            KeyMode::Keyring => {
                let account = self.account(dir)?;
                let current = keyring.get(&account)?;
                if let Some(pending) = &self.pending {
                    if let Some(k) = keyring
                        .get(&format!("{account}#pending"))?
                        .as_deref()
                        .and_then(|s| key_from_text(s))
                    {
                        if k.check_value() == pending.key_check {
                            out.push((k, true));
                        }
                    }
                }
                match current.as_deref().map(|s| key_from_text(s)) {
                    None if out.is_empty() => {
                        return Err(Error::KeyMissing { dir: dir.to_owned() })
                    }
                    None => {}
                    Some(None) => {
                        return Err(Error::WrongKey { path: dir.join(crate::store::DB_FILE) })
                    }
                    Some(Some(k)) if k.check_value() == self.key_check => out.insert(0, (k, false)),
                    Some(Some(_)) if out.is_empty() => {
                        return Err(Error::WrongKey { path: dir.join(crate::store::DB_FILE) })
                    }
                    Some(Some(_)) => {}
                }
            }
            KeyMode::Passphrase => {
                let p = passphrase.ok_or(Error::PassphraseRequired)?;
                let w = self
                    .wrapped
                    .as_ref()
                    .ok_or_else(|| Error::Internal("custody.json: no wrapped key".into()))?;
                let (k, kek) = unwrap_keeping_kek(w, p)?;
                if k.check_value() != self.key_check {
                    return Err(Error::WrongKey { path: dir.join(crate::store::DB_FILE) });
                }
                self.kek = Kek(Some(kek));
                out.push((k, false));
                // The pending key (an interrupted re-key) is unwrapped only when the current one
                // does not open the database: see `unlock_pending`.
            }
        }
        Ok(out)
    }

    /// The pending key of an interrupted re-key in passphrase mode (a second Argon2 run: only when
    /// the current key did not open the database).
    pub(crate) fn unlock_pending(&self, passphrase: Option<&Passphrase>) -> Result<Option<DbKey>> {
        let (KeyMode::Passphrase, Some(PendingKey { key_check, wrapped: Some(pw) })) =
            (self.mode, &self.pending)
        else {
            return Ok(None);
        };
        let k = unwrap(pw, passphrase.ok_or(Error::PassphraseRequired)?)?;
        Ok((&k.check_value() == key_check).then_some(k))
    }

    /// Drops the pending key of a re-key that never reached the database (the current key opened
    /// it), with its keyring entry.
    pub(crate) fn abandon_rekey(&mut self, dir: &Path, keyring: &dyn SecretStore) -> Result<bool> {
        if self.pending.is_none() {
            return Ok(false);
        }
        if self.mode == KeyMode::Keyring {
            keyring.delete(&format!("{}#pending", self.account(dir)?))?;
        }
        self.pending = None;
        self.save(dir)?;
        Ok(true)
    }

    /// A key change recorded as unfinished: removes the old keyring entry and returns what to
    /// write to the audit log ([`Custody::finished`] clears the record once that is written).
    pub(crate) fn finish_unfinished(
        &mut self,
        keyring: &dyn SecretStore,
    ) -> Result<Option<Unfinished>> {
        let Some(u) = self.unfinished.clone() else { return Ok(None) };
        if let Some(account) = &u.remove_keyring_entry {
            // A keyring that cannot be reached now (passphrase mode needs none) must not keep the
            // data locked: the record stays, and the next open tries again.
            if keyring.delete(account).is_err()
                || (!account.ends_with("#pending")
                    && keyring.delete(&format!("{account}#secret")).is_err())
            {
                return Ok(None);
            }
        }
        Ok(Some(u))
    }

    /// Step 1 of a re-key: park the new key beside the old one.
    pub(crate) fn begin_rekey(
        &mut self,
        dir: &Path,
        new: &DbKey,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
    ) -> Result<()> {
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
    pub(crate) fn finish_rekey(
        &mut self,
        dir: &Path,
        new: &DbKey,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
        secret: &InstallSecret,
    ) -> Result<()> {
        let setup = match self.mode {
            KeyMode::Keyring => KeySetup::Keyring,
            KeyMode::Passphrase => KeySetup::Passphrase(Passphrase::new(
                passphrase.ok_or(Error::PassphraseRequired)?.dangerous_expose().to_owned(),
            )),
        };
        let mut next = Custody::establish(dir, new, &setup, keyring, secret)?;
        next.audit_head = self.audit_head.clone();
        let pending_entry = (self.mode == KeyMode::Keyring)
            .then(|| self.account(dir).map(|a| format!("{a}#pending")))
            .transpose()?;
        next.unfinished = Some(Unfinished {
            action: "key.rekey".into(),
            remove_keyring_entry: pending_entry.clone(),
            detail: None,
        });
        next.save(dir)?;
        crate::failpoint::hit("rekey.custody_saved");
        if let Some(entry) = pending_entry {
            keyring.delete(&entry)?;
        }
        *self = next;
        Ok(())
    }

    /// Moves the key into the other kind of custody. The new custody is written before the old
    /// secret is removed, so a failure part-way leaves the key reachable.
    pub(crate) fn switch(
        &mut self,
        dir: &Path,
        key: &DbKey,
        to: &KeySetup,
        keyring: &dyn SecretStore,
        secret: &InstallSecret,
    ) -> Result<()> {
        let mut next = Custody::establish(dir, key, to, keyring, secret)?;
        next.audit_head = self.audit_head.clone();
        let old_entry = (self.mode == KeyMode::Keyring && next.mode == KeyMode::Passphrase)
            .then(|| self.account(dir))
            .transpose()?;
        let modes = serde_json::json!({ "from": self.mode, "to": next.mode });
        next.unfinished = Some(Unfinished {
            action: "key.mode".into(),
            remove_keyring_entry: old_entry.clone(),
            detail: Some(modes),
        });
        next.save(dir)?;
        crate::failpoint::hit("switch.custody_saved");
        if let Some(entry) = old_entry {
            keyring.delete(&entry)?;
        }
        *self = next;
        Ok(())
    }

    /// Clears the unfinished record once the change's audit row is written.
    pub(crate) fn finished(&mut self, dir: &Path) -> Result<()> {
        if self.unfinished.take().is_some() {
            self.save(dir)?;
        }
        Ok(())
    }

    /// Removes the keyring entry this custody created (used to undo a failed `init`).
    pub(crate) fn forget(&self, dir: &Path, keyring: &dyn SecretStore) {
        if self.mode == KeyMode::Keyring {
            if let Ok(a) = self.account(dir) {
                let _ = keyring.delete(&a);
                let _ = keyring.delete(&format!("{a}#secret"));
            }
        }
    }

    /// Records the audit chain's head, if it is further on than the one recorded.
    pub(crate) fn record_head(
        &mut self,
        dir: &Path,
        seq: i64,
        hash: &str,
        secret: &InstallSecret,
    ) -> Result<()> {
        if self.audit_head.as_ref().is_some_and(|h| h.seq >= seq) {
            return Ok(());
        }
        self.audit_head = Some(AuditHead::sign(seq, hash, secret));
        self.save(dir)
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
        let err =
            unwrap(&w, &Passphrase::new("wrong horse battery".into())).expect_err("must fail");
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
        let secret = InstallSecret::generate().expect("rng");
        let mut c = Custody::establish(dir.path(), &key, &KeySetup::Keyring, &ring, &secret)
            .expect("establish");
        assert_eq!(c.unlock(dir.path(), None, &ring).expect("unlock").len(), 1);
        let account = keyring_account(dir.path()).expect("account");
        ring.set(&account, &hex::encode([7u8; 32])).expect("set");
        assert!(matches!(c.unlock(dir.path(), None, &ring), Err(Error::WrongKey { .. })));
        ring.delete(&account).expect("delete");
        assert!(matches!(c.unlock(dir.path(), None, &ring), Err(Error::KeyMissing { .. })));
    }
}
