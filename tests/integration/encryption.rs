//! Encryption at rest: nothing readable on disk, and the wrong key is an error, not a crash.

use crate::support::*;
use breachdesk_core::timeline::NewTimelineEntry;
use breachdesk_core::{Breachdesk, DbKey, Error, MemoryKeyring};

const MARKERS: [&str; 3] =
    ["ZEBRA-MARKER-TITLE-7731", "ZEBRA-MARKER-SUMMARY-7732", "ZEBRA-MARKER-TIMELINE-7733"];

fn assert_nothing_readable(dir: &std::path::Path, stage: &str) {
    let files = files(dir);
    let names: Vec<String> = files
        .iter()
        .map(|(p, _)| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
        .collect();
    assert!(
        names.iter().any(|n| n == "breachdesk.db"),
        "{stage}: database file present: {names:?}"
    );
    for (path, bytes) in &files {
        assert!(
            !contains(bytes, b"SQLite format 3"),
            "{stage}: {} has a plaintext SQLite header",
            path.display()
        );
        for m in MARKERS {
            assert!(
                !contains(bytes, m.as_bytes()),
                "{stage}: {} contains marker {m} in plain text",
                path.display()
            );
        }
    }
}

#[test]
fn no_marker_or_sqlite_header_on_disk_in_either_mode() {
    // keyring mode (in-memory keyring) through the core API
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let data = tmp.path().join("data");
    let mut n = new_incident(MARKERS[0]);
    n.summary = MARKERS[1].into();
    let inc = bd.create_incident(&ctx(), &n).expect("create");
    let entry = NewTimelineEntry {
        occurred_at: "2026-03-02T11:00".into(),
        kind: "note".into(),
        description: MARKERS[2].into(),
        ..Default::default()
    };
    bd.add_timeline_entry(&ctx(), &inc.id, &entry).expect("timeline");
    // While open, the -wal and -shm files exist: check them too.
    assert!(data.join("breachdesk.db-wal").exists(), "WAL mode: the -wal file exists while open");
    assert_nothing_readable(&data, "keyring mode, open");
    drop(bd);
    assert_nothing_readable(&data, "keyring mode, closed");

    // passphrase mode through the CLI (the wrapped key file sits beside the database)
    let dir = init_cli();
    let o = cli(
        dir.path(),
        &new_incident_args(
            MARKERS[0],
            "SEV-0",
            "UTC",
            "2026-03-02T10:00:00",
            &["--summary", MARKERS[1], "--json"],
        ),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let id = serde_json::from_str::<serde_json::Value>(&o.stdout).expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let o = cli(
        dir.path(),
        &[
            "timeline",
            "add",
            &id,
            "--kind",
            "note",
            "--at",
            "2026-03-02T11:00",
            "--description",
            MARKERS[2],
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(dir.path().join("custody.json").exists());
    assert_nothing_readable(dir.path(), "passphrase mode");
}

#[test]
fn the_wrong_key_is_the_wrong_key_error() {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    drop(bd);
    let db = tmp.path().join("data/breachdesk.db");
    let wrong = DbKey::generate().expect("rng");
    let err = breachdesk_core::store::Store::open(
        &db,
        &wrong,
        false,
        breachdesk_core::migrate::MIGRATIONS,
        t0(),
    )
    .expect_err("must fail");
    assert!(matches!(err, Error::WrongKey { .. }), "{err:?}");
    // A foreign key planted in the keyring is caught by the check value before SQLCipher sees it.
    use breachdesk_core::SecretStore;
    let data = tmp.path().join("data");
    let account = format!("db-key:{}", data.canonicalize().expect("dir").display());
    ring.set(&account, &"ab".repeat(32)).expect("set");
    let err = Breachdesk::open(&data, None, &ring, t0()).expect_err("must fail");
    assert_eq!(err.code(), "wrong_key", "{err}");
}

#[test]
fn damaged_and_foreign_files_get_their_own_errors() {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    drop(bd);
    let data = tmp.path().join("data");
    let db = data.join("breachdesk.db");
    // Damage the first page (the key is right, the file is not).
    let mut bytes = std::fs::read(&db).expect("read");
    for b in &mut bytes[100..400] {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &bytes).expect("write");
    let err = Breachdesk::open(&data, None, &ring, t0()).expect_err("must fail");
    assert_eq!(err.code(), "database_corrupt", "{err}");

    // A plain SQLite file where the database should be.
    std::fs::remove_file(&db).expect("rm");
    let plain = rusqlite::Connection::open(&db).expect("plain");
    plain.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").expect("plain sql");
    drop(plain);
    let err = Breachdesk::open(&data, None, &ring, t0()).expect_err("must fail");
    assert_eq!(err.code(), "not_breachdesk_database", "{err}");

    // No custody file at all beside a database.
    std::fs::remove_file(data.join("custody.json")).expect("rm");
    let err = Breachdesk::open(&data, None, &ring, t0()).expect_err("must fail");
    assert_eq!(err.code(), "not_breachdesk_database", "{err}");
}
