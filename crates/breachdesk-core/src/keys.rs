//! The database key's life: re-keying, moving it between keyring and passphrase custody, and
//! finishing a change a crash interrupted.

use crate::audit::Change;
use crate::custody::{KeyMode, KeySetup, SecretStore};
use crate::datadir;
use crate::secret::{DbKey, Passphrase};
use crate::store::DB_FILE;
use crate::{Breachdesk, Ctx, Error, Result};
use chrono::{DateTime, Utc};
use serde_json::json;

fn mode_name(m: KeyMode) -> &'static str {
    match m {
        KeyMode::Keyring => "keyring",
        KeyMode::Passphrase => "passphrase",
    }
}

impl Breachdesk {
    /// Finishes or rolls back a key change a crash interrupted, with its audit row: a re-key that
    /// reached the database gets its new custody; one that did not is dropped (no extra Argon2 run
    /// on every open after it); a change whose clean-up did not run gets it (the old keyring entry
    /// removed).
    pub(crate) fn finish_key_changes(
        &self,
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
            self.custody().finish_rekey(&dir, key, passphrase, keyring, secret)?;
        } else if self.custody().abandon_rekey(&dir, keyring)? {
            let why = "interrupted before the database was re-encrypted; the old key stays";
            self.record_key_event(&ctx, "key.rekey.abandoned", None, json!({ "reason": why }))?;
        }
        let unfinished = self.custody().finish_unfinished(keyring)?;
        if let Some(u) = unfinished {
            let action = if u.action == "key.rekey" { "key.rekey" } else { "key.mode" };
            let after = json!({ "completed_at_open": true, "detail": u.detail });
            self.record_key_event(&ctx, action, None, after)?;
            self.custody().finished(&dir)?;
        }
        Ok(())
    }

    /// Re-encrypts the database under a fresh random key and puts that key into custody. In
    /// passphrase mode, `passphrase` (the current one) wraps the new key.
    ///
    /// # Errors
    /// [`Error::PassphraseRequired`], [`Error::KeyringUnavailable`], database and I/O errors.
    pub fn rekey(
        &self,
        ctx: &Ctx,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
    ) -> Result<()> {
        let _lock = datadir::lock(&self.dir)?;
        self.holding_dir_lock(|| self.rekey_locked(ctx, passphrase, keyring))
    }

    fn rekey_locked(
        &self,
        ctx: &Ctx,
        passphrase: Option<&Passphrase>,
        keyring: &dyn SecretStore,
    ) -> Result<()> {
        let mode = self.custody().mode;
        if mode == KeyMode::Passphrase {
            // Prove the passphrase before anything changes.
            let p = passphrase.ok_or(Error::PassphraseRequired)?;
            self.custody().unlock(&self.dir, Some(p), keyring)?;
        }
        let new = DbKey::generate()?;
        self.custody().begin_rekey(&self.dir, &new, passphrase, keyring)?;
        crate::failpoint::hit("rekey.pending_saved");
        self.readers.close_idle();
        self.writer()?.store.rekey(&new)?;
        self.readers.rekeyed(&new);
        crate::failpoint::hit("rekey.database_rekeyed");
        let secret =
            self.secret.as_ref().ok_or_else(|| Error::Internal("no installation secret".into()))?;
        self.custody().finish_rekey(&self.dir, &new, passphrase, keyring, secret)?;
        self.record_key_event(ctx, "key.rekey", None, serde_json::Value::Null)?;
        let dir = self.dir.clone();
        self.custody().finished(&dir)
    }

    /// Moves the database key to the other kind of custody (keyring ↔ passphrase). The key itself
    /// does not change; run [`Breachdesk::rekey`] as well to retire it.
    ///
    /// # Errors
    /// [`Error::Validation`] when already in that mode or the passphrase is too short,
    /// [`Error::KeyringUnavailable`], I/O errors.
    pub fn switch_key_mode(
        &self,
        ctx: &Ctx,
        current_passphrase: Option<&Passphrase>,
        to: &KeySetup,
        keyring: &dyn SecretStore,
    ) -> Result<()> {
        let _lock = datadir::lock(&self.dir)?;
        self.holding_dir_lock(|| self.switch_locked(ctx, current_passphrase, to, keyring))
    }

    fn switch_locked(
        &self,
        ctx: &Ctx,
        current_passphrase: Option<&Passphrase>,
        to: &KeySetup,
        keyring: &dyn SecretStore,
    ) -> Result<()> {
        let target = match to {
            KeySetup::Keyring => KeyMode::Keyring,
            KeySetup::Passphrase(_) => KeyMode::Passphrase,
        };
        if target == self.custody().mode {
            return Err(Error::validation(
                "mode",
                format!("the key is already kept in {} mode", mode_name(target)),
            ));
        }
        let from = self.custody().mode;
        let mut keys = self.custody().unlock(&self.dir, current_passphrase, keyring)?;
        let (key, _) = keys.swap_remove(0);
        let secret =
            self.secret.as_ref().ok_or_else(|| Error::Internal("no installation secret".into()))?;
        self.custody().switch(&self.dir, &key, to, keyring, secret)?;
        let (before, after) =
            (json!({ "mode": mode_name(from) }), json!({ "mode": mode_name(target) }));
        self.record_key_event(ctx, "key.mode", Some(before), after)?;
        let dir = self.dir.clone();
        self.custody().finished(&dir)
    }
}

impl Breachdesk {
    /// Records a change to the database key in the audit log (`after` null: nothing to add).
    fn record_key_event(
        &self,
        ctx: &Ctx,
        action: &'static str,
        before: Option<serde_json::Value>,
        after: serde_json::Value,
    ) -> Result<()> {
        let after = (!after.is_null()).then_some(after);
        self.write(ctx, |_| {
            let change = Change {
                action,
                entity_type: "database",
                entity_id: DB_FILE.into(),
                before,
                after,
            };
            Ok(((), vec![change]))
        })
    }
}
