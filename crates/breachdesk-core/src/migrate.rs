//! Schema migrations: plain SQL files from `migrations/`, embedded at build time, applied in order
//! inside one transaction, each recorded with the SHA-256 of its text. A database whose applied
//! migrations differ from this build's files, or that is ahead of this build, is refused.

use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// One migration file.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The checksum recorded for a migration's text.
#[must_use]
pub fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Brings `conn` up to the last of `migrations`.
///
/// # Errors
/// [`Error::SchemaTooNew`] when the database has a version this build lacks,
/// [`Error::MigrationChanged`] when an applied migration's text differs from the file.
pub fn apply(conn: &mut Connection, migrations: &[Migration], now: DateTime<Utc>) -> Result<()> {
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return check_read_only(conn, migrations);
    }
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             checksum   TEXT NOT NULL,
             applied_at TEXT NOT NULL
         ) STRICT;",
    )?;
    let applied: Vec<(u32, String, String)> = conn
        .prepare("SELECT version, name, checksum FROM schema_migrations ORDER BY version")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let app_version = migrations.last().map_or(0, |m| m.version);
    if let Some((db_version, _, _)) = applied.last() {
        if *db_version > app_version {
            return Err(Error::SchemaTooNew { db_version: *db_version, app_version });
        }
    }
    for (version, name, sum) in &applied {
        let m = migrations
            .iter()
            .find(|m| m.version == *version)
            .ok_or_else(|| Error::MigrationChanged { version: *version, name: name.clone() })?;
        if checksum(m.sql) != *sum || m.name != name {
            return Err(Error::MigrationChanged { version: *version, name: name.clone() });
        }
    }
    let done = applied.len();
    if done == migrations.len() {
        return Ok(());
    }
    crate::failpoint::hit("migrate.before");
    let tx = conn.transaction()?;
    for m in &migrations[done..] {
        tx.execute_batch(m.sql).map_err(|source| Error::Migration {
            version: m.version,
            name: m.name,
            source,
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![m.version, m.name, checksum(m.sql), breachdesk_rules::time::to_storage(now)],
        )?;
    }
    tx.pragma_update(None, "user_version", app_version)?;
    tx.commit()?;
    Ok(())
}

/// A read-only copy (an auditor's write-protected copy): checked, never migrated.
fn check_read_only(conn: &Connection, migrations: &[Migration]) -> Result<()> {
    let applied: Vec<(u32, String, String)> = conn
        .prepare("SELECT version, name, checksum FROM schema_migrations ORDER BY version")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let app_version = migrations.last().map_or(0, |m| m.version);
    for (version, name, sum) in &applied {
        if *version > app_version {
            return Err(Error::SchemaTooNew { db_version: *version, app_version });
        }
        let m = migrations
            .iter()
            .find(|m| m.version == *version)
            .ok_or_else(|| Error::MigrationChanged { version: *version, name: name.clone() })?;
        if checksum(m.sql) != *sum || m.name != *name {
            return Err(Error::MigrationChanged { version: *version, name: name.clone() });
        }
    }
    if applied.len() < migrations.len() {
        return Err(Error::ReadOnly { detail: format!("this copy is at schema version {} and this build needs {app_version}; open a writable copy once to upgrade it", applied.len()) });
    }
    Ok(())
}
