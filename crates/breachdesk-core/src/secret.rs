//! Key material that cannot leak by accident: no `Clone`, no `Serialize`, a redacted `Debug`,
//! zeroized on drop, and the raw bytes only through a method whose name says it is dangerous.

use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// The 256-bit SQLCipher key of one database.
pub struct DbKey(Box<[u8; 32]>);

impl DbKey {
    /// A fresh random key from the operating system's CSPRNG.
    ///
    /// # Errors
    /// When the OS has no randomness to give (a broken system).
    pub fn generate() -> crate::Result<Self> {
        let mut k = Box::new([0u8; 32]);
        getrandom::fill(&mut k[..]).map_err(|e| crate::Error::NoRandomness(e.to_string()))?;
        Ok(DbKey(k))
    }

    /// Takes ownership of `bytes`; the caller's copy should be zeroized (use a `Zeroizing` buffer).
    #[must_use]
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        DbKey(Box::new(*bytes))
    }

    /// The raw key. Anything holding the result must not log, print or persist it.
    #[must_use]
    pub fn dangerous_raw_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// `x'…'` form for `PRAGMA key` / `PRAGMA rekey`: a raw key, so SQLCipher skips its own KDF.
    pub(crate) fn pragma_literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(70));
        s.push_str("\"x'");
        s.push_str(&hex::encode(&self.0[..]));
        s.push_str("'\"");
        s
    }

    /// A public fingerprint to tell whether a key belongs to a database, without revealing it.
    pub(crate) fn check_value(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"breachdesk key check v1\0");
        h.update(&self.0[..]);
        hex::encode(h.finalize())
    }
}

/// A secret of this installation, kept like the database key (a keyring entry beside it, or
/// wrapped by the same passphrase) and unchanged by a re-key. The audit chain's MAC key and the
/// Ed25519 key that signs checkpoints derive from it.
pub struct InstallSecret(Box<[u8; 32]>);

impl InstallSecret {
    /// A fresh random secret.
    ///
    /// # Errors
    /// When the OS has no randomness to give.
    pub(crate) fn generate() -> crate::Result<Self> {
        let mut k = Box::new([0u8; 32]);
        getrandom::fill(&mut k[..]).map_err(|e| crate::Error::NoRandomness(e.to_string()))?;
        Ok(InstallSecret(k))
    }

    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Self {
        InstallSecret(Box::new(*bytes))
    }

    pub(crate) fn dangerous_raw_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn derive(&self, label: &[u8]) -> Zeroizing<[u8; 32]> {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(label);
        h.update(&self.0[..]);
        Zeroizing::new(h.finalize().into())
    }

    /// The key of the audit chain's HMAC.
    pub(crate) fn mac_key(&self) -> Zeroizing<[u8; 32]> {
        self.derive(b"breachdesk audit mac v1\0")
    }

    /// The Ed25519 key that signs checkpoints.
    pub(crate) fn signing_key(&self) -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(&self.derive(b"breachdesk checkpoint signing v1\0"))
    }
}

impl Drop for InstallSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for InstallSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InstallSecret(<redacted>)")
    }
}

impl Drop for DbKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(<redacted>)")
    }
}

/// A passphrase typed by the user; zeroized on drop, redacted in `Debug`.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    #[must_use]
    pub fn new(s: String) -> Self {
        Passphrase(Zeroizing::new(s))
    }
    #[must_use]
    pub fn dangerous_expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let k = DbKey::from_bytes(&[0xab; 32]);
        let shown = format!("{k:?}");
        assert!(!shown.to_lowercase().contains("abab"), "{shown}");
        assert!(!format!("{:?}", Passphrase::new("hunter2".into())).contains("hunter2"));
    }

    #[test]
    fn generated_keys_differ_and_check_values_are_stable() {
        let a = DbKey::generate().expect("rng");
        let b = DbKey::generate().expect("rng");
        assert_ne!(a.dangerous_raw_bytes(), b.dangerous_raw_bytes());
        assert_eq!(a.check_value(), DbKey::from_bytes(a.dangerous_raw_bytes()).check_value());
        assert_ne!(a.check_value(), b.check_value());
    }
}
