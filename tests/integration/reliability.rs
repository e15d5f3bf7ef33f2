//! Reliability (issue 13): no timestamp can brick an incident, a crash inside a user action leaves
//! all of it or none, and two processes at once never lose a change or a number.

use crate::support::*;
use breachdesk_core::incident::IncidentPatch;
use breachdesk_core::individuals::generate;
use breachdesk_core::{Error, MemoryKeyring};
use std::path::Path;

fn new_cli_incident(dir: &Path) -> String {
    let o = cli(
        dir,
        &new_incident_args("Portal", "SEV-1", "America/Chicago", "2026-03-02T10:15", &["--json"]),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    v["human_id"].as_str().expect("id").to_owned()
}

#[test]
fn a_timestamp_outside_1970_to_2199_is_refused_at_the_input_naming_the_field() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    for (args, field) in [
        (vec!["incident", "update", inc.as_str(), "--aware-at", "+10000-01-01T00:00"], "aware_at"),
        (
            vec!["incident", "update", inc.as_str(), "--occurred-at=-0001-06-01T00:00"],
            "occurred_at",
        ),
        (
            vec![
                "timeline",
                "add",
                inc.as_str(),
                "--kind",
                "note",
                "--at",
                "+10000-01-01T00:00",
                "--description",
                "x",
            ],
            "occurred_at",
        ),
        (
            vec!["incident", "update", inc.as_str(), "--determined-at", "2200-01-01T00:00:00Z"],
            "determined_at",
        ),
    ] {
        let o = cli(dir.path(), &args);
        assert_eq!(o.code, 1, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(field), "the error names {field}: {}", o.stderr);
    }
    // Nothing was stored: every read still works.
    for args in [
        vec!["incident", "list"],
        vec!["incident", "show", inc.as_str()],
        vec!["timeline", "list", inc.as_str()],
        vec!["obligations", "list", inc.as_str()],
    ] {
        assert_eq!(cli(dir.path(), &args).code, 0, "{args:?}");
    }
    // The rules engine on a facts file in year 262142: an error naming the field, never a panic.
    let facts = dir.path().join("facts.json");
    std::fs::write(&facts, r#"{"timezone": "UTC", "discovered_at": "+262142-01-01T00:00:00Z"}"#)
        .expect("write");
    let o = cli(dir.path(), &["clocks", "--facts", facts.to_str().expect("utf8")]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("discovered_at"), "{}", o.stderr);
}

#[test]
fn a_damaged_stored_value_names_its_row_and_is_repaired_by_setting_it_again() {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let good = bd.create_incident(&ctx(), &new_incident("Intact")).expect("create");
    let bad = bd.create_incident(&ctx(), &new_incident("Damaged by an old build")).expect("create");
    let data = tmp.path().join("data");
    drop(bd);
    // As an older build could store it (before input was bounded).
    raw_connection(&data, &ring)
        .execute(
            "UPDATE incidents SET aware_at = '+10000-01-01T00:00:00Z' WHERE id = ?1",
            [&bad.id],
        )
        .expect("damage");
    let bd = breachdesk_core::Breachdesk::open(&data, None, &ring, t0()).expect("open");
    let list = bd.incident_list().expect("the list still works");
    assert_eq!(
        list.incidents.iter().map(|i| i.human_id.as_str()).collect::<Vec<_>>(),
        [good.human_id.as_str()],
        "the intact incident is listed"
    );
    let u = list.unreadable.first().expect("the damaged one is named");
    assert_eq!((u.human_id.as_str(), u.field.as_str()), (bad.human_id.as_str(), "aware_at"));
    assert!(u.repair.contains("--aware-at"), "{}", u.repair);
    match bd.get_incident(&bad.human_id) {
        Err(Error::Unreadable { id, field, .. }) => {
            assert_eq!((id.as_str(), field.as_str()), (bad.human_id.as_str(), "aware_at"))
        }
        other => panic!("expected an error naming the row: {other:?}"),
    }
    // Setting the field again repairs it; the other columns were never lost.
    let patch =
        IncidentPatch { aware_at: Some("2026-03-03T09:00".into()), ..IncidentPatch::default() };
    let fixed = bd.update_incident(&ctx(), &bad.human_id, &patch).expect("repair");
    assert_eq!(fixed.title, "Damaged by an old build");
    assert_eq!(bd.incident_list().expect("list").incidents.len(), 2);
    assert!(bd.verify_audit().expect("audit").broken.is_none());
}

fn counts_json(dir: &Path, inc: &str) -> serde_json::Value {
    let o = cli(dir, &["individuals", "counts", inc, "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    serde_json::from_str(&o.stdout).expect("json")
}

fn in_scope(dir: &Path, inc: &str) -> Vec<String> {
    let o = cli(dir, &["obligations", "list", inc, "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    let mut ids: Vec<String> = v
        .as_array()
        .expect("list")
        .iter()
        .filter(|o| o["in_scope"] == true)
        .map(|o| {
            format!(
                "{}@{}",
                o["rule_id"].as_str().unwrap_or(""),
                o["jurisdiction"].as_str().unwrap_or("")
            )
        })
        .collect();
    ids.sort();
    ids
}

fn facts_affected(dir: &Path, inc: &str) -> serde_json::Value {
    let o = cli(dir, &["facts", "show", inc, "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    serde_json::from_str::<serde_json::Value>(&o.stdout).expect("json")["affected"].clone()
}

#[test]
fn a_crash_inside_a_user_action_leaves_all_of_it_or_none() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    let file = dir.path().join("people.csv");
    let mut out = Vec::new();
    generate::write_csv(generate::Spec { rows: 400, bad_rate: 0.0, seed: 5 }, &mut out)
        .expect("generate");
    std::fs::write(&file, out).expect("file");
    let file = file.to_str().expect("utf8");

    // Killed after the rows are written and before the facts and obligations: nothing at all.
    let o = cli_env(
        dir.path(),
        &["individuals", "import", &inc, file],
        &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "import.rows_written")],
    );
    assert_ne!(o.code, 0, "the fail point killed the import");
    assert_eq!(counts_json(dir.path(), &inc)["total"], 0, "no row survived the crash");
    assert_eq!(
        facts_affected(dir.path(), &inc),
        serde_json::json!({}),
        "the facts did not move either"
    );
    assert!(in_scope(dir.path(), &inc).is_empty());
    // The same import without the crash: rows, counts, facts and obligations together.
    assert_eq!(cli(dir.path(), &["individuals", "import", &inc, file]).code, 0);
    let total = counts_json(dir.path(), &inc)["total"].as_i64().expect("total");
    assert_eq!(total, 400);
    let affected = facts_affected(dir.path(), &inc);
    assert_eq!(
        affected.as_object().map(|m| m.values().filter_map(serde_json::Value::as_i64).sum::<i64>()),
        Some(total - counts_json(dir.path(), &inc)["undetermined"].as_i64().unwrap_or(0))
    );
    let scope = in_scope(dir.path(), &inc);
    assert!(!scope.is_empty());

    // facts set, killed after the facts row and before the obligations: neither changed.
    let facts = dir.path().join("facts.json");
    std::fs::write(&facts, r#"{"hipaa_role": "covered_entity", "affected": {"US-TX": 900}, "data_types": ["name", "medical"]}"#).expect("write");
    let o = cli_env(
        dir.path(),
        &["facts", "set", &inc, "--file", facts.to_str().expect("utf8")],
        &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "refresh.facts_written")],
    );
    assert_ne!(o.code, 0);
    assert_eq!(facts_affected(dir.path(), &inc), affected, "the facts are as before");
    assert_eq!(in_scope(dir.path(), &inc), scope, "and so are the obligations");

    // incident update --detected-at, killed after the incident row: the row is as before.
    let o = cli_env(
        dir.path(),
        &["incident", "update", &inc, "--detected-at", "2026-03-01T10:15"],
        &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "update.patched")],
    );
    assert_ne!(o.code, 0);
    let show = cli(dir.path(), &["incident", "show", &inc, "--json"]);
    assert!(
        show.stdout.contains("2026-03-02T10:15:00-06:00"),
        "detection unchanged: {}",
        show.stdout
    );
    assert_eq!(cli(dir.path(), &["audit", "verify"]).code, 0);
}

#[test]
fn two_processes_at_once_lose_no_change_and_share_no_number() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    let d = dir.path().to_owned();
    let run = |args: Vec<String>| {
        let d = d.clone();
        std::thread::spawn(move || cli(&d, &args.iter().map(String::as_str).collect::<Vec<_>>()))
    };
    for round in 0..4 {
        let a = run(vec![
            "incident".into(),
            "update".into(),
            inc.clone(),
            "--title".into(),
            format!("Title {round}"),
        ]);
        let b = run(vec![
            "incident".into(),
            "update".into(),
            inc.clone(),
            "--summary".into(),
            format!("Summary {round}"),
        ]);
        let (a, b) = (a.join().expect("a"), b.join().expect("b"));
        assert_eq!((a.code, b.code), (0, 0), "{} {}", a.stderr, b.stderr);
        let show = cli(dir.path(), &["incident", "show", &inc, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&show.stdout).expect("json");
        assert_eq!(
            (v["incident"]["title"].as_str(), v["incident"]["summary"].as_str()),
            (Some(format!("Title {round}").as_str()), Some(format!("Summary {round}").as_str())),
            "neither update was lost"
        );
    }
    let new = |t: &str| {
        run(new_incident_args(t, "SEV-2", "UTC", "2026-05-05T10:00", &["--json"])
            .into_iter()
            .map(String::from)
            .collect())
    };
    let (a, b) = (new("A"), new("B"));
    let (a, b) = (a.join().expect("a"), b.join().expect("b"));
    assert_eq!((a.code, b.code), (0, 0), "{} {}", a.stderr, b.stderr);
    let id = |o: &Out| {
        serde_json::from_str::<serde_json::Value>(&o.stdout).expect("json")["human_id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    assert_ne!(id(&a), id(&b), "two incidents, two numbers");

    let files: Vec<String> = (0..2)
        .map(|i| {
            let p = dir.path().join(format!("list{i}.csv"));
            let mut out = Vec::new();
            generate::write_csv(
                generate::Spec { rows: 300, bad_rate: 0.0, seed: 11 + i },
                &mut out,
            )
            .expect("generate");
            std::fs::write(&p, out).expect("file");
            p.to_str().expect("utf8").to_owned()
        })
        .collect();
    let imports: Vec<_> = files
        .iter()
        .map(|f| run(vec!["individuals".into(), "import".into(), inc.clone(), f.clone()]))
        .collect();
    for h in imports {
        let o = h.join().expect("import");
        assert_eq!(o.code, 0, "both imports succeed, one after the other: {}", o.stderr);
    }
    let batches = cli(dir.path(), &["individuals", "batches", &inc, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&batches.stdout).expect("json");
    let mut seqs: Vec<i64> =
        v.as_array().expect("list").iter().filter_map(|b| b["seq"].as_i64()).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, [1, 2]);
}

#[test]
fn a_writer_behind_a_long_import_waits_says_so_and_names_what_holds_the_store() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    let list = dir.path().join("list.csv");
    let mut out = Vec::new();
    generate::write_csv(generate::Spec { rows: 200, bad_rate: 0.0, seed: 5 }, &mut out)
        .expect("generate");
    std::fs::write(&list, out).expect("file");
    // An import that holds the write lock for a while (a pause at a marked step inside its
    // transaction), and a write behind it.
    let import = |pause_ms: u32| {
        let (d, inc, list) =
            (dir.path().to_owned(), inc.clone(), list.to_str().expect("utf8").to_owned());
        let handle = std::thread::spawn(move || {
            let fp = format!("import.rows_written:pause={pause_ms}");
            cli_env(
                &d,
                &["individuals", "import", &inc, &list],
                &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", &fp)],
            )
        });
        let started = std::time::Instant::now();
        while !dir.path().join("activity.json").exists() {
            assert!(started.elapsed().as_secs() < 30, "the import recorded what it is doing");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        handle
    };
    let held = import(3000);
    let w = cli(dir.path(), &["incident", "update", &inc, "--title", "Behind the import"]);
    assert_eq!(w.code, 0, "the write waited for the import: {}", w.stderr);
    assert!(
        w.stderr.contains("Waiting for another Breachdesk process to finish writing to the store"),
        "{}",
        w.stderr
    );
    assert_eq!(held.join().expect("import").code, 0);
    assert!(!dir.path().join("activity.json").exists(), "the record goes with the import");

    // Held for longer than the writer waits: exit 1, in plain words, naming what holds the store.
    let held = import(8000);
    let w = cli_env(
        dir.path(),
        &["incident", "update", &inc, "--title", "Gave up"],
        &[(PASS_VAR, PASS), ("BREACHDESK_BUSY_TIMEOUT_MS", "1500")],
    );
    assert_eq!(w.code, 1, "{}", w.stderr);
    assert!(w.stderr.contains("error: the store is busy: another Breachdesk process, an import of individuals (process "), "{}", w.stderr);
    assert!(w.stderr.contains("Nothing was written"), "{}", w.stderr);
    assert_eq!(held.join().expect("import").code, 0);
    let show = cli(dir.path(), &["incident", "show", &inc, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&show.stdout).expect("json");
    assert_eq!(v["incident"]["title"], "Behind the import");
}

#[test]
fn exports_never_leave_plaintext_behind_and_stop_quietly_for_a_closed_pipe() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    let file = dir.path().join("people.csv");
    let mut out = Vec::new();
    generate::write_csv(generate::Spec { rows: 50, bad_rate: 0.0, seed: 3 }, &mut out)
        .expect("generate");
    std::fs::write(&file, out).expect("file");
    assert_eq!(
        cli(dir.path(), &["individuals", "import", &inc, file.to_str().expect("utf8")]).code,
        0
    );
    let outdir = tempfile::tempdir().expect("tmp");
    let before = |d: &Path| std::fs::read_dir(d).expect("dir").count();
    // A folder as the target: refused before anything is written.
    let o = cli(
        dir.path(),
        &[
            "individuals",
            "export",
            &inc,
            "--format",
            "csv",
            "-o",
            &format!("{}/", outdir.path().display()),
        ],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("output") && o.stderr.contains("folder"), "{}", o.stderr);
    assert_eq!(before(outdir.path()), 0, "no partial file");
    // The user's own notes.partial survives an export to notes.csv.
    std::fs::write(outdir.path().join("notes.partial"), b"mine").expect("write");
    let target = outdir.path().join("notes.csv");
    let o = cli(
        dir.path(),
        &["individuals", "export", &inc, "--format", "csv", "-o", target.to_str().expect("utf8")],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read(outdir.path().join("notes.partial")).expect("kept"), b"mine");
    let names: std::collections::BTreeSet<String> = std::fs::read_dir(outdir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["notes.csv", "notes.partial"].map(String::from).into(), "nothing else left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&target).expect("meta").permissions().mode() & 0o777,
            0o600,
            "the export is the owner's only"
        );
        for f in ["", "breachdesk.db", "custody.json"] {
            let mode =
                std::fs::metadata(dir.path().join(f)).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, if f.is_empty() { 0o700 } else { 0o600 }, "{f:?}");
        }
    }
    // `export | head -1`: the reader goes away; the exporter stops without an error.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_breachdesk"))
        .args([
            "--data-dir",
            dir.path().to_str().expect("utf8"),
            "--passphrase-env",
            PASS_VAR,
            "individuals",
            "export",
            &inc,
            "--format",
            "csv",
        ])
        .env(PASS_VAR, PASS)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 10];
    std::io::Read::read_exact(child.stdout.as_mut().expect("stdout"), &mut first).expect("read");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(0), "quiet exit: {}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stderr.is_empty(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn two_inits_at_once_give_one_store_and_one_clear_refusal() {
    let parent = tempfile::tempdir().expect("tmp");
    let data = parent.path().join("data");
    let run = || {
        let d = data.clone();
        std::thread::spawn(move || cli(&d, &["--actor", "Dana", "init"]))
    };
    let (a, b) = (run(), run());
    let (a, b) = (a.join().expect("a"), b.join().expect("b"));
    let mut codes = [a.code, b.code];
    codes.sort_unstable();
    assert_eq!(codes, [0, 1], "one succeeds, one is refused: {} / {}", a.stderr, b.stderr);
    let refused = if a.code == 1 { &a } else { &b };
    assert!(refused.stderr.contains("already holds a Breachdesk database"), "{}", refused.stderr);
    // The winner's store is whole and opens.
    assert_eq!(cli(&data, &["audit", "verify"]).code, 0);
    assert_eq!(cli(&data, &["check"]).code, 0);
}

#[test]
fn hostile_input_files_get_a_clear_error_never_a_hang() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    // 100,000 columns: refused at once, the limit named (was quadratic: 24.5 s).
    let wide = dir.path().join("wide.csv");
    let header: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    std::fs::write(&wide, format!("{}\n{}\n", header.join(","), vec!["x"; 100_000].join(",")))
        .expect("write");
    let started = std::time::Instant::now();
    let o = cli(dir.path(), &["individuals", "import", &inc, wide.to_str().expect("utf8")]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("100000 columns") && o.stderr.contains("1000"), "{}", o.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "answered promptly");
    // A FIFO would block an open() for ever: refused for the import and for --facts.
    #[cfg(unix)]
    {
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success());
        let o = cli(dir.path(), &["individuals", "import", &inc, fifo.to_str().expect("utf8")]);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(o.stderr.contains("not a regular file"), "{}", o.stderr);
        let o = cli(dir.path(), &["clocks", "--facts", fifo.to_str().expect("utf8")]);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(o.stderr.contains("not a regular file"), "{}", o.stderr);
    }
    // A facts file over 1 MiB is refused, named.
    let big = dir.path().join("big.json");
    std::fs::write(&big, format!("{{\"timezone\": \"UTC\", \"discovered_at\": \"2026-03-02T10:00\", \"data_types\": [{}]}}", vec!["\"name\""; 200_000].join(","))).expect("write");
    let o = cli(dir.path(), &["clocks", "--facts", big.to_str().expect("utf8")]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("facts") && o.stderr.contains("KB"), "{}", o.stderr);
}

#[test]
fn escape_sequences_are_shown_never_obeyed() {
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    // A title with a right-to-left override is refused, naming the field.
    let o = cli(dir.path(), &["incident", "update", &inc, "--title", "invoice\u{202e}fdp.exe"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("title") && o.stderr.contains("text-direction"), "{}", o.stderr);
    // An imported name with an escape sequence: the row is flagged (refused), the rest imported.
    let file = dir.path().join("people.csv");
    let mut text = String::from("name,email,state\nEve \u{1b}]0;pwned\u{7},eve@example.org,TX\n");
    for i in 0..60 {
        text.push_str(&format!("Ada Byron {i},ada{i}@example.org,TX\n"));
    }
    std::fs::write(&file, text).expect("write");
    let o = cli(
        dir.path(),
        &["individuals", "import", &inc, file.to_str().expect("utf8"), "--skip-invalid"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("control or text-direction"), "the row is reported: {}", o.stdout);
    assert!(!o.stdout.contains('\u{1b}'), "nothing raw reaches the terminal");
    let o = cli(dir.path(), &["individuals", "search", &inc, "eve"]);
    assert!(!o.stdout.contains('\u{1b}'), "{:?}", o.stdout);
}

#[test]
fn check_finds_a_damaged_page_in_plain_words() {
    let dir = init_cli();
    new_cli_incident(dir.path());
    assert_eq!(cli(dir.path(), &["check"]).code, 0);
    let copy = tempfile::tempdir().expect("tmp");
    for f in ["breachdesk.db", "custody.json"] {
        std::fs::copy(dir.path().join(f), copy.path().join(f)).expect("copy");
    }
    // Checkpointed on exit, so the copy of the main file holds every commit.
    let db = copy.path().join("breachdesk.db");
    let mut bytes = std::fs::read(&db).expect("read");
    let at = bytes.len() / 2;
    bytes[at..at + 64].fill(0x5a);
    std::fs::write(&db, bytes).expect("damage");
    let o = cli(copy.path(), &["check"]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("The store is damaged"), "{}", o.stdout);
}

#[cfg(unix)]
#[test]
fn a_write_protected_copy_can_be_listed_checked_and_verified() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = init_cli();
    let inc = new_cli_incident(dir.path());
    // An auditor's copy: the files, write-protected (for root, who ignores modes: owned by nobody
    // and read as nobody).
    let place = tempfile::tempdir().expect("tmp");
    std::fs::set_permissions(place.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let copy = place.path().join("copy");
    std::fs::create_dir(&copy).expect("mkdir");
    for f in ["breachdesk.db", "custody.json"] {
        std::fs::copy(dir.path().join(f), copy.join(f)).expect("copy");
    }
    let bin = place.path().join("breachdesk");
    std::fs::copy(env!("CARGO_BIN_EXE_breachdesk"), &bin).expect("copy binary");
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if root {
        assert!(std::process::Command::new("chown")
            .args(["-R", "nobody"])
            .arg(&copy)
            .status()
            .expect("chown")
            .success());
    }
    for p in [copy.join("breachdesk.db"), copy.join("custody.json")] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o400)).expect("chmod");
    }
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o500)).expect("chmod");
    let run = |args: &[&str]| {
        let mut cmd = if root {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "nobody", "--", "env", &format!("{PASS_VAR}={PASS}")]).arg(&bin);
            c
        } else {
            let mut c = std::process::Command::new(&bin);
            c.env(PASS_VAR, PASS);
            c
        };
        cmd.arg("--data-dir").arg(&copy).args(["--passphrase-env", PASS_VAR]).args(args);
        let o = cmd.output().expect("run");
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&["incident", "list"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&inc), "{out}");
    let (code, out, err) = run(&["audit", "verify"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("intact"), "{out}");
    let (code, out, _) = run(&["check"]);
    assert_eq!(code, 0);
    assert!(out.contains("read-only"), "{out}");
    // A change is refused in plain words (exit 1), and the copy is untouched.
    let (code, _, err) = run(&["incident", "update", &inc, "--title", "Changed"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("read-only"), "{err}");
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o700))
        .expect("chmod back for clean-up");
}

fn custody(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("custody.json")).expect("custody"))
        .expect("json")
}

#[test]
fn an_interrupted_key_change_is_finished_or_rolled_back_at_the_next_open() {
    // Re-key killed after the new key was parked, before the database took it: dropped at the
    // next open (one Argon2 run again, not two), with an audit row.
    let dir = init_cli();
    new_cli_incident(dir.path());
    let o = cli_env(
        dir.path(),
        &["key", "rekey"],
        &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "rekey.pending_saved")],
    );
    assert_ne!(o.code, 0);
    assert!(custody(dir.path()).get("pending").is_some(), "the crash left a pending key");
    assert_eq!(cli(dir.path(), &["incident", "list"]).code, 0);
    assert!(custody(dir.path()).get("pending").is_none(), "the open dropped it");
    // Killed after the database was re-encrypted: the next open finishes the change.
    let o = cli_env(
        dir.path(),
        &["key", "rekey"],
        &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "rekey.database_rekeyed")],
    );
    assert_ne!(o.code, 0);
    assert_eq!(cli(dir.path(), &["incident", "list"]).code, 0, "the pending key opens it");
    let c = custody(dir.path());
    assert!(c.get("pending").is_none() && c.get("unfinished").is_none(), "{c}");
    assert_eq!(cli(dir.path(), &["audit", "verify"]).code, 0);
    assert_eq!(cli(dir.path(), &["check"]).code, 0);
}

#[test]
fn an_interrupted_switch_to_passphrase_takes_the_key_out_of_the_keyring_at_the_next_open() {
    if std::env::var_os("BREACHDESK_TEST_SECRET_SERVICE").is_none() {
        eprintln!("not run: needs the test D-Bus session of `make test`");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let o = cli_env(dir.path(), &["--actor", "Dana", "init"], &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let account = format!("db-key:{}", dir.path().canonicalize().expect("dir").display());
    let in_ring = || {
        breachdesk_core::SecretStore::get(&breachdesk_core::OsKeyring, &account)
            .expect("keyring")
            .is_some()
    };
    assert!(in_ring(), "keyring mode keeps the key in the keyring");
    let o = cli_env(
        dir.path(),
        &["key", "mode", "passphrase", "--new-passphrase-env", PASS_VAR],
        &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "switch.custody_saved")],
    );
    assert_ne!(o.code, 0, "killed mid-switch");
    assert!(in_ring(), "the crash left the key in the keyring");
    assert_eq!(cli(dir.path(), &["incident", "list"]).code, 0, "the passphrase opens it");
    assert!(!in_ring(), "and the next open took the key out of the keyring");
    assert!(custody(dir.path()).get("unfinished").is_none());
}

#[test]
fn a_damaged_or_planted_custody_file_gets_its_own_clear_error() {
    let dir = init_cli();
    let good = std::fs::read_to_string(dir.path().join("custody.json")).expect("custody");
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v: serde_json::Value = serde_json::from_str(&good).expect("json");
        f(&mut v);
        std::fs::write(dir.path().join("custody.json"), v.to_string()).expect("write");
        let started = std::time::Instant::now();
        let o = cli(dir.path(), &["incident", "list"]);
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "no hang");
        o
    };
    for (what, f, expect) in [
        (
            "32 GiB of Argon2 memory",
            Box::new(|v: &mut serde_json::Value| v["wrapped"]["m_cost_kib"] = 33_554_432.into())
                as Box<dyn Fn(&mut serde_json::Value)>,
            "memory cost",
        ),
        (
            "t_cost 2^32-1",
            Box::new(|v: &mut serde_json::Value| v["wrapped"]["t_cost"] = 4_294_967_295u64.into()),
            "time cost",
        ),
        ("format 99", Box::new(|v: &mut serde_json::Value| v["format"] = 99.into()), "format 99"),
        (
            "a damaged salt",
            Box::new(|v: &mut serde_json::Value| {
                v["wrapped"]["salt"] = "00112233445566778899aabbccddeeff".into()
            }),
            "damaged or edited",
        ),
    ] {
        let o = edit(&f);
        assert_eq!(o.code, 1, "{what}: {}", o.stderr);
        assert!(
            o.stderr.contains("custody.json") && o.stderr.contains(expect),
            "{what}: {}",
            o.stderr
        );
        assert!(!o.stderr.contains("wrong passphrase"), "{what}: {}", o.stderr);
    }
    std::fs::remove_file(dir.path().join("custody.json")).expect("rm");
    let o = cli(dir.path(), &["incident", "list"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("custody.json is missing"), "{}", o.stderr);
    // A planted link where an old build wrote its temporary file is never followed.
    std::fs::write(dir.path().join("custody.json"), &good).expect("restore");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, b"untouched").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, dir.path().join(".custody.json.tmp")).expect("symlink");
    assert_eq!(cli(dir.path(), &["key", "rekey"]).code, 0);
    assert_eq!(std::fs::read(&victim).expect("read"), b"untouched");
}
