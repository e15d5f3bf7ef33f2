//! Settings (table `settings`): the user's name, the default actor.

use crate::audit::Change;
use crate::incident::{self};
use crate::{Breachdesk, Ctx, Result};
use rusqlite::OptionalExtension;

impl Breachdesk {
    /// The configured user name (the default actor).
    ///
    /// # Errors
    /// On database failure.
    pub fn user_name(&self) -> Result<Option<String>> {
        Ok(self
            .read()?
            .query_row("SELECT value FROM settings WHERE key = 'user_name'", [], |r| r.get(0))
            .optional()?)
    }

    /// # Errors
    /// [`Error::Validation`] on `user_name` when blank.
    pub fn set_user_name(&self, ctx: &Ctx, name: &str) -> Result<()> {
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
}
