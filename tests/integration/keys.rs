//! Key custody: the real Secret Service, passphrase mode, re-keying and switching modes.

use crate::support::*;
use breachdesk_core::{
    Breachdesk, KeyMode, KeySetup, MemoryKeyring, OsKeyring, Passphrase, SecretStore,
};

/// `make test` runs the tests inside a private D-Bus session with gnome-keyring unlocked and sets
/// this variable; there the real Secret Service must work. Elsewhere (a bare `cargo test` on a
/// desktop without a test keyring) the test says it did not run rather than touch a real keyring.
const REQUIRE_SECRET_SERVICE: &str = "BREACHDESK_TEST_SECRET_SERVICE";

#[test]
fn real_secret_service_stores_reads_and_deletes_the_key() {
    if std::env::var_os(REQUIRE_SECRET_SERVICE).is_none() {
        eprintln!("real_secret_service: not run (set {REQUIRE_SECRET_SERVICE}=1 inside a test D-Bus session; `make test` does)");
        return;
    }
    let ring = OsKeyring;
    let account = format!("db-key:/breachdesk-test/{}", std::process::id());
    ring.set(&account, "00ff").expect("store in Secret Service");
    assert_eq!(ring.get(&account).expect("read").as_deref().map(String::as_str), Some("00ff"));
    // A second handle sees the same item: it really is in the daemon, not in this object.
    assert_eq!(
        OsKeyring.get(&account).expect("read again").as_deref().map(String::as_str),
        Some("00ff")
    );
    ring.delete(&account).expect("delete");
    assert_eq!(ring.get(&account).expect("read after delete"), None);

    // The whole flow through the CLI in keyring mode: init, write, reopen from the keyring.
    let dir = tempfile::tempdir().expect("tmp");
    let run = |args: &[&str]| cli_env(dir.path(), args, &[]);
    let o = run(&["--actor", "Kim Keyring", "init"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(Breachdesk::status(dir.path()).expect("status").mode, Some(KeyMode::Keyring));
    let o =
        run(&new_incident_args("Keyring check", "SEV-2", "Europe/Berlin", "2026-03-02T09:00", &[]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = run(&["incident", "list", "--json"]);
    assert!(o.stdout.contains("Keyring check"), "{}", o.stdout);
    // Key missing from the keyring: a distinct, plain error.
    let acct = format!("db-key:{}", dir.path().canonicalize().expect("dir").display());
    let saved = OsKeyring.get(&acct).expect("read").expect("key present");
    OsKeyring.delete(&acct).expect("delete");
    let o = run(&["incident", "list"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("missing from the system keyring"), "{}", o.stderr);
    OsKeyring.set(&acct, &saved).expect("restore");
    assert_eq!(run(&["incident", "list"]).code, 0);
    OsKeyring.delete(&acct).expect("clean up");
}

#[test]
fn passphrase_mode_round_trip_and_wrong_passphrase() {
    let dir = init_cli();
    let o = cli(
        dir.path(),
        &new_incident_args(
            "Stolen laptop",
            "SEV-1",
            "America/Chicago",
            "2026-03-02T10:00:00",
            &["--json"],
        ),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = cli(dir.path(), &["incident", "list", "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let list: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["title"], "Stolen laptop");

    let o = cli_env(dir.path(), &["incident", "list"], &[(PASS_VAR, "not the passphrase")]);
    assert_eq!(o.code, 1, "wrong passphrase is a user error");
    assert!(o.stderr.contains("wrong passphrase"), "{}", o.stderr);
    // No passphrase at all, no terminal: told how to give one.
    let o = cli_env(dir.path(), &["incident", "list"], &[]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("protected by a passphrase"), "{}", o.stderr);
    assert!(o.stderr.contains("--passphrase-env"), "{}", o.stderr);
}

#[test]
fn rekey_keeps_every_record_in_both_modes() {
    // passphrase mode through the CLI
    let dir = init_cli();
    for t in ["one", "two", "three"] {
        assert_eq!(cli_new_incident(dir.path(), t, "SEV-3", "UTC", "2026-03-02T10:00").code, 0);
    }
    let custody_before = std::fs::read_to_string(dir.path().join("custody.json")).expect("custody");
    let o = cli(dir.path(), &["key", "rekey"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let custody_after = std::fs::read_to_string(dir.path().join("custody.json")).expect("custody");
    assert_ne!(custody_before, custody_after, "a new key was wrapped");
    let o = cli(dir.path(), &["incident", "list", "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&o.stdout)
            .expect("json")
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    assert_eq!(cli(dir.path(), &["audit", "verify"]).code, 0);

    // keyring mode: the old key no longer opens the file, the new one does
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let data = tmp.path().join("data");
    let inc = bd.create_incident(&ctx(), &new_incident("kept across rekey")).expect("create");
    let account = format!("db-key:{}", data.canonicalize().expect("dir").display());
    let old = ring.get(&account).expect("ring").expect("key");
    bd.rekey(&ctx(), None, &ring).expect("rekey");
    drop(bd);
    let new = ring.get(&account).expect("ring").expect("key");
    assert_ne!(old.as_str(), new.as_str());
    let bd = Breachdesk::open(&data, None, &ring, t0()).expect("reopen with new key");
    assert_eq!(bd.get_incident(&inc.human_id).expect("still there").title, "kept across rekey");
    drop(bd);
    ring.set(&account, &old).expect("plant old key");
    assert_eq!(
        Breachdesk::open(&data, None, &ring, t0()).expect_err("must fail").code(),
        "wrong_key"
    );
}

#[test]
fn switching_modes_keeps_the_data_and_moves_the_key() {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let data = tmp.path().join("data");
    let account = format!("db-key:{}", data.canonicalize().expect("dir").display());
    bd.create_incident(&ctx(), &new_incident("moves with its key")).expect("create");
    bd.switch_key_mode(&ctx(), None, &KeySetup::Passphrase(passphrase()), &ring)
        .expect("to passphrase");
    assert_eq!(ring.get(&account).expect("ring"), None, "the key left the keyring");
    drop(bd);
    assert_eq!(
        Breachdesk::open(&data, None, &ring, t0()).expect_err("must fail").code(),
        "passphrase_required"
    );
    let wrong = Passphrase::new("wrong wrong wrong".into());
    assert_eq!(
        Breachdesk::open(&data, Some(&wrong), &ring, t0()).expect_err("must fail").code(),
        "wrong_passphrase"
    );
    let bd = Breachdesk::open(&data, Some(&passphrase()), &ring, t0()).expect("open by passphrase");
    assert_eq!(bd.list_incidents().expect("list").len(), 1);
    bd.switch_key_mode(&ctx(), Some(&passphrase()), &KeySetup::Keyring, &ring)
        .expect("back to keyring");
    drop(bd);
    let bd = Breachdesk::open(&data, None, &ring, t0()).expect("open from keyring");
    assert_eq!(bd.key_mode(), KeyMode::Keyring);
    assert_eq!(bd.list_incidents().expect("list").len(), 1);
    let actions: Vec<String> = bd
        .connection()
        .prepare("SELECT action FROM audit_log WHERE action LIKE 'key.%'")
        .expect("sql")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("collect");
    assert_eq!(actions, ["key.mode", "key.mode"], "both switches are in the audit log");
}

#[test]
fn failed_init_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tmp");
    let o = cli_env(dir.path(), &["init"], &[(PASS_VAR, "short")]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("passphrase"), "{}", o.stderr);
    assert!(
        files(dir.path()).is_empty(),
        "nothing written: {:?}",
        files(dir.path()).iter().map(|f| f.0.clone()).collect::<Vec<_>>()
    );
    // and a second init over an existing one is refused
    let dir = init_cli();
    let o = cli(dir.path(), &["init"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("already holds"), "{}", o.stderr);
}

#[test]
fn no_secret_service_is_a_plain_error_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let o = cli_env(
        &data,
        &["--actor", "Ira", "init"],
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"), ("DISPLAY", "")],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("system keyring is not available"), "{}", o.stderr);
    assert!(
        o.stderr.contains("--passphrase-env"),
        "the message says what to do instead: {}",
        o.stderr
    );
    assert!(!data.exists(), "nothing half-written: not even the directory");
}
