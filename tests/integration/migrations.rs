//! Migrations: applied fresh with checksums; an edited applied migration and a newer schema are refused.

use crate::support::*;
use breachdesk_core::migrate::{checksum, Migration, MIGRATIONS};
use breachdesk_core::{Breachdesk, Error, MemoryKeyring};

#[test]
fn fresh_database_records_every_migration_with_its_checksum() {
    let ring = MemoryKeyring::default();
    let (_tmp, bd) = init_memory(&ring);
    let rows: Vec<(u32, String)> = bd
        .connection()
        .prepare("SELECT version, checksum FROM schema_migrations ORDER BY version")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("collect");
    let expected: Vec<(u32, String)> = MIGRATIONS.iter().map(|m| (m.version, checksum(m.sql))).collect();
    assert_eq!(rows, expected);
    let uv: u32 = bd.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).expect("user_version");
    assert_eq!(uv, MIGRATIONS.len() as u32);
}

#[test]
fn an_applied_migration_that_changed_is_refused() {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    drop(bd);
    let mut edited: Vec<Migration> = MIGRATIONS.to_vec();
    let sql: &'static str = Box::leak(format!("{}\n-- edited after shipping\n", edited[0].sql).into_boxed_str());
    edited[0].sql = sql;
    let err = Breachdesk::open_with_migrations(&tmp.path().join("data"), None, &ring, &edited, t0()).expect_err("must fail");
    assert!(matches!(err, Error::MigrationChanged { version: 1, .. }), "{err:?}");
    assert!(err.to_string().contains("migration 1 (init)"), "{err}");
}

#[test]
fn a_database_from_a_newer_schema_is_refused_naming_both_versions() {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    drop(bd);
    let data = tmp.path().join("data");
    let conn = raw_connection(&data, &ring);
    conn.execute("INSERT INTO schema_migrations VALUES (42, 'future', 'x', '2030-01-01T00:00:00Z')", []).expect("insert");
    drop(conn);
    let err = Breachdesk::open(&data, None, &ring, t0()).expect_err("must fail");
    assert!(matches!(err, Error::SchemaTooNew { db_version: 42, app_version } if app_version == MIGRATIONS.len() as u32), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("42") && msg.contains(&format!("up to {}", MIGRATIONS.len())), "{msg}");
}
