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
    let expected: Vec<(u32, String)> =
        MIGRATIONS.iter().map(|m| (m.version, checksum(m.sql))).collect();
    assert_eq!(rows, expected);
    let uv: u32 =
        bd.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).expect("user_version");
    assert_eq!(uv, MIGRATIONS.len() as u32);
}

#[test]
fn an_applied_migration_that_changed_is_refused() {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    drop(bd);
    let mut edited: Vec<Migration> = MIGRATIONS.to_vec();
    let sql: &'static str =
        Box::leak(format!("{}\n-- edited after shipping\n", edited[0].sql).into_boxed_str());
    edited[0].sql = sql;
    let err =
        Breachdesk::open_with_migrations(&tmp.path().join("data"), None, &ring, &edited, t0())
            .expect_err("must fail");
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
    conn.execute(
        "INSERT INTO schema_migrations VALUES (42, 'future', 'x', '2030-01-01T00:00:00Z')",
        [],
    )
    .expect("insert");
    drop(conn);
    let err = Breachdesk::open(&data, None, &ring, t0()).expect_err("must fail");
    assert!(
        matches!(err, Error::SchemaTooNew { db_version: 42, app_version } if app_version == MIGRATIONS.len() as u32),
        "{err:?}"
    );
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
    for (i, (incident, name)) in
        [("inc-b", "ana ruiz"), ("inc-a", "bo chen"), ("inc-b", "cy diaz")].iter().enumerate()
    {
        conn.execute(
            "INSERT INTO individuals (incident_id, batch_id, source_row, full_name, name_key, last_key, minor, deceased, no_postal, no_email, elements, dedupe_key)
             VALUES (?1, 'batch', ?2, ?3, ?3, ?3, 0, 0, 0, 0, 0, x'00')",
            rusqlite::params![incident, i64::try_from(i).expect("row"), name],
        )
        .expect("row");
    }
    conn.execute_batch(MIGRATIONS[6].sql).expect("migration 7");
    let lists: Vec<(i64, String)> = conn
        .prepare("SELECT list, incident_id FROM individual_lists ORDER BY list")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(lists, [(1, "inc-a".to_owned()), (2, "inc-b".to_owned())]);
    let b: Vec<String> = conn
        .prepare("SELECT full_name FROM individuals WHERE list = 2 ORDER BY name_key")
        .expect("sql")
        .query_map([], |r| r.get(0))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(b, ["ana ruiz", "cy diaz"]);
    let plan: String = conn
        .query_row("EXPLAIN QUERY PLAN SELECT id FROM individuals WHERE list = 2 AND name_key >= 'c' AND name_key < 'd'", [], |r| r.get(3))
        .expect("plan");
    assert!(plan.contains("individuals_by_name"), "the search uses the new index: {plan}");
}

/// Migration 9 renumbers records as list × 2³² + n and drops their incident and batch columns. A
/// database written by the schema-8 build opens with the same counts, imports, search hits (by
/// record number and batch), duplicate pairs and CSV exports; the next import numbers on from
/// the list's last record and rolls back whole.
#[test]
fn a_schema_8_database_migrates_with_the_same_numbers_batches_searches_and_exports() {
    use breachdesk_core::individuals::{ImportOptions, PageQuery};
    use breachdesk_core::Passphrase;
    use sha2::Digest;
    const FIXTURE: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/integration/fixtures/schema8");
    const PASSPHRASE: &str = "fixture-passphrase-8";
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).expect("dir");
    for f in ["breachdesk.db", "custody.json"] {
        std::fs::copy(format!("{FIXTURE}/{f}"), data.join(f)).expect("copy fixture");
    }
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{FIXTURE}/expected.json")).expect("expected"),
    )
    .expect("json");
    let ring = MemoryKeyring::default();
    let pass = Passphrase::new(PASSPHRASE.into());
    let bd =
        Breachdesk::open(&data, Some(&pass), &ring, t0()).expect("the schema-8 database opens");
    let (a, b) = ("INC-20260302-001", "INC-20260303-001");

    // Schema 8 kept counting the data elements of a record merged on review: A's pair 1 merged
    // a record with name and SSN exposed. The upgrade recounts each list from its records.
    let mut counts_now = expected["counts"].clone();
    for element in ["name", "ssn"] {
        let n = counts_now[a]["by_element"][element].as_i64().expect("count");
        counts_now[a]["by_element"][element] = (n - 1).into();
    }
    for inc in [a, b] {
        let counts =
            serde_json::to_value(bd.individual_counts(inc).expect("counts")).expect("json");
        assert_eq!(counts, counts_now[inc], "{inc}: counts");
        let batches: Vec<serde_json::Value> = bd
            .import_batches(inc)
            .expect("batches")
            .iter()
            .map(|x| serde_json::json!({"id": x.id, "seq": x.seq, "file_name": x.file_name, "rows_read": x.rows_read, "rows_imported": x.rows_imported,
                "rows_merged": x.rows_merged, "rolled_back_at": x.rolled_back_at}))
            .collect();
        assert_eq!(serde_json::Value::from(batches), expected["batches"][inc], "{inc}: imports");
        for (q, hits) in expected["search"][inc].as_object().expect("queries") {
            let found: Vec<serde_json::Value> = bd
                .search_individuals(inc, q, 50)
                .expect("search")
                .iter()
                .map(|p| serde_json::json!([p.id, p.batch_id]))
                .collect();
            assert_eq!(
                &serde_json::Value::from(found),
                hits,
                "{inc}: search {q:?} (record numbers and batches)"
            );
        }
        let pairs: Vec<serde_json::Value> = bd
            .duplicate_queue(inc, true, 100)
            .expect("queue")
            .iter()
            .map(|d| serde_json::json!([d.id, d.reason, d.first.id, d.later.id, d.decision]))
            .collect();
        assert_eq!(
            serde_json::Value::from(pairs),
            expected["duplicates"][inc],
            "{inc}: duplicate pairs"
        );
    }
    // No record is left outside its list's range, and the rows no longer carry the incident.
    let outside: i64 = bd
        .connection()
        .query_row("SELECT count(*) FROM individuals WHERE id < (1 << 32)", [], |r| r.get(0))
        .expect("count");
    assert_eq!(outside, 0);
    let columns: Vec<String> = bd
        .connection()
        .prepare("SELECT name FROM pragma_table_info('individuals')")
        .expect("sql")
        .query_map([], |r| r.get(0))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("cols");
    assert!(
        !columns.iter().any(|c| c == "incident_id" || c == "batch_id" || c == "list"),
        "{columns:?}"
    );
    // A merged record points at a record of its own list (A's automatic and reviewed merges).
    let merged: Vec<(i64, i64)> = bd
        .connection()
        .prepare(
            "SELECT id, merged_into FROM individuals WHERE merged_into IS NOT NULL ORDER BY id",
        )
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("rows");
    let list_a: i64 = bd.connection().query_row("SELECT list FROM individual_lists WHERE incident_id = (SELECT id FROM incidents WHERE human_id = ?1)", [a], |r| r.get(0)).expect("list");
    assert_eq!(merged.len(), 3, "{merged:?}");
    assert!(
        merged.iter().all(|&(id, into)| id >> 32 == list_a && into >> 32 == list_a),
        "{merged:?}"
    );
    assert_eq!(
        merged.iter().map(|&(id, into)| (id & 0xFFFF_FFFF, into & 0xFFFF_FFFF)).collect::<Vec<_>>()
            [1],
        (62, 2),
        "the pair merged on review"
    );
    drop(bd);
    for inc in [a, b] {
        let out = tmp.path().join(format!("{inc}.csv"));
        let o = cli_env(
            &data,
            &["individuals", "export", inc, "--format", "csv", "-o", out.to_str().expect("path")],
            &[(PASS_VAR, PASSPHRASE)],
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        let sha = hex::encode(sha2::Sha256::digest(std::fs::read(&out).expect("export")));
        assert_eq!(
            sha,
            expected["export_sha256"][inc].as_str().expect("sha"),
            "{inc}: the export is byte for byte the schema-8 one"
        );
    }

    // The next import into A numbers on from 113 (its last live record); it rolls back whole.
    let bd = Breachdesk::open(&data, Some(&pass), &ring, t0()).expect("reopen");
    let file = tmp.path().join("more.csv");
    std::fs::write(
        &file,
        "First Name,Last Name,State,Email\nZed,Quayle,TX,zed.quayle@example.org\nYara,Quayle,OH,\n",
    )
    .expect("file");
    let report = bd
        .import_individuals(&ctx(), a, &file, &ImportOptions::default(), &mut |_| true)
        .expect("import");
    let found = bd.search_individuals(a, "quayle", 10).expect("search");
    assert_eq!(
        found.iter().map(|p| (p.id, p.full_name.as_str())).collect::<Vec<_>>(),
        [(115, "Yara Quayle"), (114, "Zed Quayle")]
    );
    assert!(found.iter().all(|p| Some(&p.batch_id) == report.batch_id.as_ref()));
    let page = bd
        .individuals_page(
            a,
            &PageQuery { offset: 80, limit: 5, sort: "source".into(), ..Default::default() },
        )
        .expect("page");
    assert_eq!(
        (page.total, page.rows.iter().map(|p| p.id).collect::<Vec<_>>()),
        (82, vec![114, 115]),
        "after A's 80 live records"
    );
    bd.rollback_import(&ctx(), a, "4").expect("rollback");
    assert_eq!(
        serde_json::to_value(bd.individual_counts(a).expect("counts")).expect("json"),
        counts_now[a]
    );
    assert!(bd.search_individuals(a, "quayle", 10).expect("search").is_empty());
    // A migrated import rolls back by the range the upgrade gave it: A's second import (records
    // 93–113, one of them an exact repeat of a first-import record) goes, the first stays whole.
    bd.rollback_import(&ctx(), a, "2").expect("rollback the migrated import");
    let left: Vec<i64> = bd
        .connection()
        .prepare("SELECT id & 0xFFFFFFFF FROM individuals WHERE id >> 32 = ?1 ORDER BY id")
        .expect("sql")
        .query_map([list_a], |r| r.get(0))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("ids");
    assert_eq!(left, (1..=62).collect::<Vec<i64>>());
    assert_eq!(bd.individual_counts(a).expect("counts").total, 60, "62 rows, two of them merged");
    assert_eq!(count_rows(&bd, b), 30, "the other incident's list is untouched");
    // Migration 12: the audit log now covers the data. The upgrade's baseline row commits to every
    // row the schema-8 store held, and the writes since (the rollback) are sealed: all verify.
    let report = bd.verify_audit().expect("verify");
    assert!(report.intact(), "the upgraded chain verifies: {report:?}");
    assert!(report.data_covered_from.is_some(), "the data is covered from the baseline on");
    assert!(report.data_mismatches.is_empty(), "{:?}", report.data_mismatches);
    drop(bd);
    let bd = Breachdesk::open(&data, Some(&pass), &ring, t0()).expect("reopens after the upgrade");
    assert!(bd.verify_audit().expect("verify").intact(), "no second baseline breaks the chain");
}

fn count_rows(bd: &Breachdesk, incident: &str) -> i64 {
    bd.connection()
        .query_row(
            "SELECT count(*) FROM individuals WHERE id >> 32 = (SELECT list FROM individual_lists WHERE incident_id = (SELECT id FROM incidents WHERE human_id = ?1))",
            [incident],
            |r| r.get(0),
        )
        .expect("count")
}

/// Migration 10 front-codes the search index's chunks. A schema-9 database's chunks (each key
/// whole) must not be read in the new layout: the upgrade drops them and the next open rebuilds
/// every list's index, so searches find what they found before.
#[test]
fn schema_9_search_chunks_are_rebuilt_front_coded_with_the_same_hits() {
    use breachdesk_core::individuals::{generate, ImportOptions};
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let data = tmp.path().join("data");
    let inc = bd.create_incident(&ctx(), &new_incident("Schema 9")).expect("incident").id;
    let file = tmp.path().join("people.csv");
    let mut out = Vec::new();
    generate::write_csv(generate::Spec { rows: 5000, bad_rate: 0.0, seed: 9 }, &mut out)
        .expect("generate");
    std::fs::write(&file, out).expect("file");
    bd.import_individuals(&ctx(), &inc, &file, &ImportOptions::default(), &mut |_| true)
        .expect("import");
    let queries = ["garc", "m", "müller", "noah.", "9", "981", "Nguyễn", "zz"];
    let hits = |bd: &Breachdesk| -> Vec<Vec<i64>> {
        queries
            .iter()
            .map(|q| {
                bd.search_individuals(&inc, q, 40).expect("search").iter().map(|p| p.id).collect()
            })
            .collect()
    };
    let before = hits(&bd);
    assert!(
        before.iter().filter(|h| !h.is_empty()).count() >= 6,
        "the queries find records: {before:?}"
    );
    drop(bd);

    // Back to schema 9: the index rewritten in the schema-9 layout (varint length, key, varint
    // number), marked built, and migration 10 not applied.
    let conn = raw_connection(&data, &ring);
    let old = |entries: &[(Vec<u8>, u32)]| -> Vec<u8> {
        let mut out = Vec::new();
        let varint = |out: &mut Vec<u8>, mut v: u64| {
            while v >= 0x80 {
                out.push(u8::try_from(v & 0x7f).expect("7 bits") | 0x80);
                v >>= 7;
            }
            out.push(u8::try_from(v).expect("7 bits"));
        };
        for (k, n) in entries {
            varint(&mut out, k.len() as u64);
            out.extend_from_slice(k);
            varint(&mut out, u64::from(*n));
        }
        out
    };
    let list: i64 =
        conn.query_row("SELECT list FROM individual_lists", [], |r| r.get(0)).expect("list");
    let mut fields: [Vec<(Vec<u8>, u32)>; 4] = Default::default();
    {
        let mut stmt = conn
            .prepare(
                "SELECT id, name_key, last_key, email, coalesce(postal_code, '') FROM individuals",
            )
            .expect("sql");
        let mut rows = stmt.query([]).expect("rows");
        while let Some(r) = rows.next().expect("row") {
            let n = u32::try_from(r.get::<_, i64>(0).expect("id") & 0xffff_ffff).expect("n");
            for (f, v) in fields.iter_mut().enumerate() {
                if let Some(key) = r.get::<_, Option<String>>(f + 1).expect("key") {
                    v.push((key.into_bytes(), n));
                }
            }
        }
    }
    conn.execute("DELETE FROM individual_search", []).expect("wipe");
    for (f, v) in fields.iter_mut().enumerate() {
        v.sort();
        for (seq, chunk) in v.chunks(2048).enumerate() {
            conn.execute(
                "INSERT INTO individual_search (list, field, seq, first_key, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![list, i64::try_from(f).expect("f"), i64::try_from(seq).expect("seq"), chunk[0].0, old(chunk)],
            )
            .expect("old chunk");
        }
    }
    // Later migrations are undone too (11 and 12 added columns, 13 the notices' tables, 14 the
    // mail merge's).
    conn.execute_batch(
        "UPDATE individual_lists SET search_built = 1; DELETE FROM schema_migrations WHERE version >= 10; PRAGMA user_version = 9;
         DROP TABLE monitoring_codes; DROP TABLE merge_files; DROP TABLE merge_runs; DROP TABLE letter_events;
         DROP TABLE notice_letters; DROP TABLE individual_email_consent;
         DROP TABLE notice_proofs; DROP TABLE notice_events; DROP TABLE notice_renderings; DROP TABLE notices;
         DROP TABLE templates; DROP TABLE notice_narratives; DROP TABLE org_profile;
         ALTER TABLE obligations DROP COLUMN exemption_json; ALTER TABLE obligations DROP COLUMN anchor;
         ALTER TABLE obligation_decisions DROP COLUMN exemption_id;
         ALTER TABLE audit_log DROP COLUMN rows_json; ALTER TABLE audit_log DROP COLUMN keyed;",
    )
    .expect("schema 9");
    drop(conn);

    let bd = Breachdesk::open(&data, None, &ring, t0()).expect("the schema-9 database opens");
    let version: i64 = bd
        .connection()
        .query_row("SELECT max(version) FROM schema_migrations", [], |r| r.get(0))
        .expect("version");
    assert_eq!(usize::try_from(version).expect("version"), MIGRATIONS.len());
    assert_eq!(hits(&bd), before, "the same hits, in the same order, from the rebuilt index");
}
