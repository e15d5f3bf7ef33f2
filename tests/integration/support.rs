//! Shared helpers: run the CLI, open data directories, scan files.

use breachdesk_core::{Breachdesk, Ctx, KeySetup, MemoryKeyring, Passphrase};
use chrono::{DateTime, TimeZone, Utc};
use std::path::Path;
use std::process::Command;

pub const PASS_VAR: &str = "BD_TEST_PASSPHRASE";
pub const PASS: &str = "correct horse battery staple";

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 16, 0, 0).single().expect("valid instant")
}

pub fn ctx() -> Ctx {
    Ctx::new("Test Liaison", t0()).expect("ctx")
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `breachdesk --data-dir DIR --passphrase-env BD_TEST_PASSPHRASE <args>` with the test
/// passphrase in the environment (passphrase mode needs no keyring).
pub fn cli(dir: &Path, args: &[&str]) -> Out {
    cli_env(dir, args, &[(PASS_VAR, PASS)])
}

pub fn cli_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_breachdesk"));
    cmd.arg("--data-dir").arg(dir);
    if env.iter().any(|(k, _)| *k == PASS_VAR) {
        cmd.args(["--passphrase-env", PASS_VAR]);
    }
    cmd.args(args);
    cmd.env_remove("BREACHDESK_DATA_DIR").env_remove("BREACHDESK_ACTOR").env_remove(PASS_VAR);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("run breachdesk");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// A passphrase-mode data directory initialised through the CLI.
pub fn init_cli() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let o = cli(dir.path(), &["--actor", "Dana Liaison", "init"]);
    assert_eq!(o.code, 0, "init failed: {}", o.stderr);
    dir
}

/// A keyring-mode data directory on an in-memory keyring, opened through the core API.
pub fn init_memory(ring: &MemoryKeyring) -> (tempfile::TempDir, Breachdesk) {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let bd = Breachdesk::init(&data, &KeySetup::Keyring, ring, Some("Test Liaison"), t0())
        .expect("init");
    (dir, bd)
}

pub fn passphrase() -> Passphrase {
    Passphrase::new(PASS.into())
}

pub fn new_incident(title: &str) -> breachdesk_core::incident::NewIncident {
    breachdesk_core::incident::NewIncident {
        title: title.into(),
        severity: "SEV-1".into(),
        timezone: "America/New_York".into(),
        detected_at: "2026-03-02T10:00:00".into(),
        ..Default::default()
    }
}

/// Opens the database file directly with SQLCipher and the key held in `ring` (as an attacker
/// holding the key could).
pub fn raw_connection(data: &Path, ring: &MemoryKeyring) -> rusqlite::Connection {
    use breachdesk_core::SecretStore;
    let account = format!("db-key:{}", data.canonicalize().expect("dir").display());
    let key = ring.get(&account).expect("ring").expect("key in ring");
    let conn = rusqlite::Connection::open(data.join("breachdesk.db")).expect("open");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.as_str())).expect("key");
    conn
}

/// Every regular file under `dir`, with its bytes.
pub fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).expect("read")));
        }
    }
    out
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The arguments of `breachdesk incident new`: its four required flags, then `extra`.
pub fn new_incident_args<'a>(
    title: &'a str,
    severity: &'a str,
    zone: &'a str,
    detected_at: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec!["incident", "new", "--title", title, "--severity", severity];
    args.extend(["--timezone", zone, "--detected-at", detected_at]);
    args.extend_from_slice(extra);
    args
}

/// `breachdesk incident new` with its four required flags.
pub fn cli_new_incident(
    dir: &Path,
    title: &str,
    severity: &str,
    zone: &str,
    detected_at: &str,
) -> Out {
    cli(dir, &new_incident_args(title, severity, zone, detected_at, &[]))
}
