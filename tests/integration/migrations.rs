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

/// Migration 7 gives each incident's list an integer key and moves the search indexes onto it; a
/// list imported before keeps every row and is found through the new indexes.
#[test]
fn lists_imported_before_migration_7_get_their_key_and_stay_searchable() {
    let conn = rusqlite::Connection::open_in_memory().expect("sqlite");
    // Rows without their incident and batch: this checks the data migration, not the references.
    conn.execute_batch("PRAGMA foreign_keys = OFF").expect("pragma");
    for m in &MIGRATIONS[..6] {
        conn.execute_batch(m.sql).expect("older migrations");
    }
    for (i, (incident, name)) in [("inc-b", "ana ruiz"), ("inc-a", "bo chen"), ("inc-b", "cy diaz")].iter().enumerate() {
        conn.execute(
            "INSERT INTO individuals (incident_id, batch_id, source_row, full_name, name_key, last_key, minor, deceased, no_postal, no_email, elements, dedupe_key)
             VALUES (?1, 'batch', ?2, ?3, ?3, ?3, 0, 0, 0, 0, 0, x'00')",
            rusqlite::params![incident, i64::try_from(i).expect("row"), name],
        )
        .expect("row");
    }
    conn.execute_batch(MIGRATIONS[6].sql).expect("migration 7");
    let lists: Vec<(i64, String)> =
        conn.prepare("SELECT list, incident_id FROM individual_lists ORDER BY list").expect("sql").query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("q").collect::<Result<_, _>>().expect("rows");
    assert_eq!(lists, [(1, "inc-a".to_owned()), (2, "inc-b".to_owned())]);
    let b: Vec<String> = conn.prepare("SELECT full_name FROM individuals WHERE list = 2 ORDER BY name_key").expect("sql").query_map([], |r| r.get(0)).expect("q").collect::<Result<_, _>>().expect("rows");
    assert_eq!(b, ["ana ruiz", "cy diaz"]);
    let plan: String = conn
        .query_row("EXPLAIN QUERY PLAN SELECT id FROM individuals WHERE list = 2 AND name_key >= 'c' AND name_key < 'd'", [], |r| r.get(3))
        .expect("plan");
    assert!(plan.contains("individuals_by_name"), "the search uses the new index: {plan}");
}
