//! The affected individuals: import (encodings, XLSX, mapping), validation that writes nothing,
//! residence from state, ZIP or country, duplicates, flags, counts feeding the clocks, rollback,
//! cancel, bad files, and no personal data in plain text anywhere outside the encrypted store.
//!
//! Every person here is invented at run time; no fixture with personal data is committed.

use crate::support::*;
use breachdesk_core::individuals::{ImportOptions, Progress};
use breachdesk_core::{Breachdesk, Error, MemoryKeyring};
use std::path::{Path, PathBuf};

const HEADER: &str = "Patient ID,First Name,Last Name,Street Address,City,State,ZIP Code,Country,E-mail,Date of Birth,Deceased,Data Exposed";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn setup() -> (tempfile::TempDir, Breachdesk, String) {
    let ring = MemoryKeyring::default();
    let (tmp, bd) = init_memory(&ring);
    let mut n = new_incident("Clinic portal breach");
    n.timezone = "America/Chicago".into();
    n.detected_at = "2026-03-02T10:15".into();
    let inc = bd.create_incident(&ctx(), &n).expect("create");
    bd.set_facts(
        &ctx(),
        &inc.id,
        &breachdesk_core::obligations::IncidentFacts {
            hipaa_role: Some("covered_entity".into()),
            ..Default::default()
        },
    )
    .expect("facts");
    (tmp, bd, inc.id)
}

fn import(
    bd: &mut Breachdesk,
    id: &str,
    path: &Path,
    options: &ImportOptions,
) -> Result<breachdesk_core::individuals::ImportReport, Error> {
    bd.import_individuals(&ctx(), id, path, options, &mut |_| true)
}

fn count(bd: &Breachdesk, sql: &str) -> i64 {
    bd.connection().query_row(sql, [], |r| r.get(0)).expect("count")
}

/// `n` Texans with distinct names, addresses and e-mails, names and SSNs exposed.
fn texans(n: usize, from: usize) -> String {
    texans_with(n, from, "name;ssn")
}

#[test]
fn residence_duplicates_and_flags_are_counted() {
    let (t, mut bd, id) = setup();
    let rows = [
        "1,José,García,1 North Main Street,Seattle,WA,98101,US,jose@example.org,1975-05-05,,SSN; Date of Birth",
        // The same person again, spelled differently: identical after normalisation → merged.
        "2, Jose\u{301} , GARCÍA ,\"1 N. Main St.\",Seattle,Washington,98101-0001,USA,JOSE@example.org,05/05/1975,,ssn",
        // No state: the ZIP says Massachusetts (the leading zero a spreadsheet dropped comes back).
        "3,Liam,O'Brien,5 Elm Road,Boston,,2134,,liam@example.org,1990-02-03,,name",
        // Abroad.
        "4,Jürgen,Müller,Hauptstraße 1,Köln,,50667,DE,jm@example.de,1960-07-07,,name",
        // A child (by date of birth), no postal address and no e-mail: substitute notice.
        "5,Mia,Lee,,,TX,,,,2015-06-01,,medical",
        // Deceased, residence unknown.
        "6,Ruth,Cohen,9 Oak Avenue,Springfield,,,,ruth@example.org,1930-01-01,yes,medical",
    ];
    let file = write(t.path(), "people.csv", &format!("{HEADER}\n{}\n", rows.join("\n")));
    let r = import(&mut bd, &id, &file, &ImportOptions::default()).expect("import");
    assert_eq!(
        (r.rows_read, r.rows_valid, r.imported, r.merged, r.rows_rejected),
        (6, 6, 5, 1, 0),
        "{r:?}"
    );
    let c = bd.individual_counts(&id).expect("counts");
    assert_eq!(c.total, 5);
    assert_eq!(c.merged, 1);
    assert_eq!(
        c.by_residence,
        [
            ("DE".to_owned(), 1),
            ("US-MA".to_owned(), 1),
            ("US-TX".to_owned(), 1),
            ("US-WA".to_owned(), 1)
        ]
        .into()
    );
    assert_eq!(c.undetermined, 1, "no state, ZIP or country");
    assert_eq!((c.minors, c.deceased, c.undeliverable), (1, 1, 1));
    assert_eq!(c.by_element.get("ssn"), Some(&1), "the merged duplicate is not counted twice");
    let ma = bd.search_individuals(&id, "o'brien", 10).expect("search");
    assert_eq!(
        (ma[0].postal_code.as_deref(), ma[0].residence_source.as_deref()),
        (Some("02134"), Some("zip"))
    );
    // The counts went into the facts: residents of WA, MA, TX and Germany; their data elements too.
    let facts = bd.facts(&id).expect("facts");
    assert_eq!(facts.affected.get("US-WA"), Some(&1));
    assert!(
        facts.data_types.contains(&"ssn".to_owned())
            && facts.data_types.contains(&"medical".to_owned())
    );
    // Both source rows stay in history; only one counts.
    assert_eq!(count(&bd, "SELECT count(*) FROM individuals WHERE merged_into IS NOT NULL"), 1);
}

#[test]
fn crossing_a_threshold_by_import_adds_the_notice_and_rollback_takes_it_back() {
    let (t, mut bd, id) = setup();
    let first = write(t.path(), "a.csv", &format!("{HEADER}\n{}", texans(249, 0)));
    import(&mut bd, &id, &first, &ImportOptions::default()).expect("import");
    let counted_as_imported = bd.individual_counts(&id).expect("counts");
    let second = write(t.path(), "b.csv", &format!("{HEADER}\n{}", texans(2, 249)));
    let r = import(&mut bd, &id, &second, &ImportOptions::default()).expect("import");
    let ag = r
        .changes
        .iter()
        .find(|c| c.rule_id == "US-TX-attorney_general")
        .expect("251 Texans: AG notice");
    assert!(ag.message.contains("now required, due 2026-04-01T23:59:59-05:00"), "{}", ag.message);
    assert!(bd
        .timeline(&id)
        .expect("timeline")
        .iter()
        .any(|e| e.description.contains("US-TX attorney general")));

    let e = bd.rollback_import(&ctx(), &id, "1").expect_err("newest first");
    assert_eq!(e.field(), Some("batch"));
    let changes = bd.rollback_import(&ctx(), &id, "2").expect("rollback");
    assert!(
        changes.iter().any(|c| c.rule_id == "US-TX-attorney_general" && c.change == "removed"),
        "{changes:?}"
    );
    assert_eq!(
        bd.individual_counts(&id).expect("counts"),
        counted_as_imported,
        "counts kept while importing = counts rebuilt from the rows"
    );
    let batches = bd.import_batches(&id).expect("batches");
    assert!(batches[1].rolled_back_at.is_some() && batches[0].rolled_back_at.is_none());
    assert!(bd.rollback_import(&ctx(), &id, "2").is_err(), "once");
    assert!(bd.verify_audit().expect("verify").broken.is_none());
}

#[test]
fn invalid_rows_stop_the_import_unless_skipped_and_nothing_is_half_written() {
    let (t, mut bd, id) = setup();
    let text = format!(
        "{HEADER}\n{}T9,Bo,Chen,1 A St,Austin,ZZ,78701,US,not-an-email,1980-13-45,,name\n",
        texans(3, 0)
    );
    let file = write(t.path(), "mixed.csv", &text);
    let audit = count(&bd, "SELECT count(*) FROM audit_log");
    let r = import(&mut bd, &id, &file, &ImportOptions::default()).expect("report");
    assert!(r.refused && r.batch_id.is_none());
    let reasons: Vec<(u64, &str)> = r.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        reasons,
        [(5, "E-mail"), (5, "Date of Birth"), (5, "State")],
        "every bad cell of row 5, by column"
    );
    assert!(
        r.errors.iter().all(|e| !e.reason.contains("not-an-email")),
        "reasons never quote the value"
    );
    assert_eq!(
        count(&bd, "SELECT count(*) FROM individuals")
            + count(&bd, "SELECT count(*) FROM import_batches"),
        0
    );
    assert_eq!(count(&bd, "SELECT count(*) FROM audit_log"), audit, "nothing written");
    let dry = import(
        &mut bd,
        &id,
        &file,
        &ImportOptions { dry_run: true, skip_invalid: true, ..Default::default() },
    )
    .expect("dry run");
    assert_eq!((dry.rows_valid, dry.imported, dry.refused), (3, 3, false));
    assert_eq!(count(&bd, "SELECT count(*) FROM individuals"), 0, "a dry run writes nothing");
    let r =
        import(&mut bd, &id, &file, &ImportOptions { skip_invalid: true, ..Default::default() })
            .expect("import");
    assert_eq!((r.imported, r.rows_rejected), (3, 1));
    assert_eq!(bd.import_batches(&id).expect("batches")[0].rows_rejected, 1);
}

#[test]
fn a_cancelled_import_leaves_nothing_behind() {
    let (t, bd, id) = setup();
    let file = write(t.path(), "big.csv", &format!("{HEADER}\n{}", texans(10_000, 0)));
    let mut seen = Vec::new();
    let e = bd
        .import_individuals(&ctx(), &id, &file, &ImportOptions::default(), &mut |p: Progress| {
            seen.push(p.rows);
            p.rows < 8192
        })
        .expect_err("cancelled");
    assert!(matches!(e, Error::Cancelled), "{e}");
    assert_eq!(seen, [4096, 8192], "progress every 4096 rows until cancelled");
    assert_eq!(
        count(&bd, "SELECT count(*) FROM individuals")
            + count(&bd, "SELECT count(*) FROM import_batches"),
        0
    );
}

#[test]
fn other_encodings_and_xlsx_import_the_same_people() {
    let (t, mut bd, id) = setup();
    let text = format!(
        "{HEADER}\r\n7,Zoë,Dubois,1 Rue,Austin,TX,78701,US,zoe@example.org,1980-01-01,,name\r\n"
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let p = t.path().join("excel-unicode.csv");
    std::fs::write(&p, utf16).expect("write");
    let r = import(&mut bd, &id, &p, &ImportOptions::default()).expect("utf-16");
    assert_eq!((r.encoding.as_str(), r.imported), ("utf-16le", 1));
    let cp1252 = format!("{HEADER}\n8,Ren\u{e9}e,M\u{fc}ller,2 Rue,Austin,TX,78701,US,renee@example.org,1981-01-01,,name\n");
    let bytes = latin1(&cp1252);
    let p = t.path().join("legacy.csv");
    std::fs::write(&p, bytes).expect("write");
    let r = import(&mut bd, &id, &p, &ImportOptions::default()).expect("1252");
    assert_eq!(r.encoding, "windows-1252");
    assert_eq!(
        bd.search_individuals(&id, "renée", 5).expect("search")[0].full_name,
        "Renée Müller"
    );

    let xlsx = t.path().join("people.xlsx");
    let script = "import sys, openpyxl\nwb = openpyxl.Workbook(); ws = wb.active\nws.append(['Name', 'ZIP', 'Email'])\nws.append(['Chloé Martin', 2134, 'chloe@example.org'])\nws.append(['Wei Zhang', 98101, 'wei@example.org'])\nwb.save(sys.argv[1])";
    let ok = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(&xlsx)
        .status()
        .expect("python3 (make deps-test installs python3-openpyxl)");
    assert!(ok.success(), "openpyxl wrote the workbook");
    let r = import(&mut bd, &id, &xlsx, &ImportOptions::default()).expect("xlsx");
    assert_eq!((r.format.as_str(), r.imported), ("xlsx", 2));
    let c = bd.individual_counts(&id).expect("counts");
    assert_eq!(
        (c.by_residence.get("US-MA"), c.by_residence.get("US-WA")),
        (Some(&1), Some(&1)),
        "numeric ZIP cells, leading zero restored"
    );
    // Each import records the SHA-256 of the file's bytes as they are on disk (before decoding).
    let hashes: Vec<String> =
        bd.import_batches(&id).expect("batches").into_iter().map(|b| b.file_sha256).collect();
    let files: Vec<String> = ["excel-unicode.csv", "legacy.csv", "people.xlsx"]
        .iter()
        .map(|f| {
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
                std::fs::read(t.path().join(f)).expect("file"),
            ))
        })
        .collect();
    assert_eq!(hashes, files);
}

/// Windows-1252 bytes of a Latin-1-only string.
fn latin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| u8::try_from(u32::from(c)).expect("Latin-1")).collect()
}

#[test]
fn bad_files_get_an_error_naming_file_row_and_column_and_nothing_is_written() {
    let dir = init_cli();
    let o = cli_new_incident(dir.path(), "T", "SEV-1", "America/Chicago", "2026-03-02T10:15");
    assert_eq!(o.code, 0, "{}", o.stderr);
    let cases: [(&str, &[u8], &str); 6] = [
        ("empty.csv", b"", "empty"),
        ("header-only.csv", b"Name,Email\n", "no rows"),
        ("binary.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00", "binary"),
        ("ragged.csv", b"Name,Email,State\nAna Ruiz,ana@example.org,TX\nBo Chen,bo@example.org\n", "row 3: has 2 fields"),
        ("quote.csv", b"Name,Email,State\nAna Ruiz,ana@example.org,TX\n\"Bo Chen,bo@example.org,TX\nCy Diaz,cy@example.org,TX\n", "row 3"),
        ("nul.csv", b"Name,Email,State\nAna\x00Ruiz,ana@example.org,TX\n", "binary"),
    ];
    for (name, bytes, says) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        let o = cli(
            dir.path(),
            &["individuals", "import", "INC-20260302-001", p.to_str().expect("utf8")],
        );
        assert_eq!(o.code, 1, "{name}: {}", o.stderr);
        assert!(
            o.stderr.contains(name) || o.stdout.contains(name),
            "{name} is named: {} {}",
            o.stderr,
            o.stdout
        );
        assert!(
            o.stderr.contains(says) || o.stdout.contains(says),
            "{name}: {says:?} in {} / {}",
            o.stderr,
            o.stdout
        );
    }
    let o = cli(dir.path(), &["--json", "individuals", "batches", "INC-20260302-001"]);
    assert_eq!(o.stdout.trim(), "[]", "nothing was imported");
}

#[test]
fn no_personal_data_in_plain_text_outside_the_encrypted_store() {
    let dir = init_cli();
    let o = cli_new_incident(dir.path(), "T", "SEV-1", "America/Chicago", "2026-03-02T10:15");
    assert_eq!(o.code, 0, "{}", o.stderr);
    let marker_name = "Quillon Zaxxerfeld";
    let marker_mail = "zaxxerfeld.marker@example.org";
    // The source file lives outside the data and temp directories (the user's own file).
    let src = tempfile::tempdir().expect("src");
    let file = write(src.path(), "people.csv", &format!("{HEADER}\n1,Quillon,Zaxxerfeld,77 Marker Lane,Austin,TX,78701,US,{marker_mail},1970-01-01,,ssn\n2,Bad,Row,1 St,Austin,TX,78701,US,zaxx-invalid-marker,1970-01-01,,ssn\n"));
    let tmp = tempfile::tempdir().expect("tmp");
    let env = [(PASS_VAR, PASS), ("TMPDIR", tmp.path().to_str().expect("utf8"))];
    let errors = dir.path().join("errors.csv");
    let run = |args: &[&str]| cli_env(dir.path(), args, &env);
    let o = run(&[
        "individuals",
        "import",
        "INC-20260302-001",
        file.to_str().expect("utf8"),
        "--errors",
        errors.to_str().expect("utf8"),
    ]);
    assert_eq!(o.code, 1, "refused: one bad row");
    let o2 = run(&[
        "individuals",
        "import",
        "INC-20260302-001",
        file.to_str().expect("utf8"),
        "--skip-invalid",
    ]);
    assert_eq!(o2.code, 0, "{}", o2.stderr);
    let found = run(&["individuals", "search", "INC-20260302-001", "zaxx"]);
    assert!(found.stdout.contains(marker_name), "the person is in the store: {}", found.stdout);
    let mut logs = [o.stdout, o.stderr, o2.stdout, o2.stderr, found.stderr].join("\n");
    logs.push_str(&std::fs::read_to_string(&errors).expect("error report"));
    for m in [marker_name, "Zaxxerfeld", marker_mail, "Marker Lane", "zaxx-invalid-marker"] {
        assert!(!logs.contains(m), "{m:?} in the output or the error report");
        for (path, bytes) in files(dir.path()).into_iter().chain(files(tmp.path())) {
            if path == file || path.starts_with(src.path()) {
                continue;
            }
            assert!(!contains(&bytes, m.as_bytes()), "{m:?} in plain text in {}", path.display());
        }
    }
}

#[test]
fn ten_people_without_address_or_email_call_for_substitute_notice() {
    let (t, mut bd, id) = setup();
    let unreachable = |n: usize, from: usize| -> String {
        (from..from + n)
            .map(|i| format!("U{i},Sam{i},Ortiz,,,TX,,US,,1980-01-01,,name\n"))
            .collect()
    };
    let file =
        write(t.path(), "a.csv", &format!("{HEADER}\n{}{}", texans(5, 0), unreachable(9, 0)));
    let r = import(&mut bd, &id, &file, &ImportOptions::default()).expect("import");
    assert!(
        r.changes.iter().all(|c| c.rule_id != "HIPAA-substitute-notice"),
        "9 unreachable: an alternative form of notice, no substitute-notice obligation"
    );
    assert_eq!(bd.individual_counts(&id).expect("counts").undeliverable, 9);
    let file = write(t.path(), "b.csv", &format!("{HEADER}\n{}", unreachable(1, 9)));
    let r = import(&mut bd, &id, &file, &ImportOptions::default()).expect("import");
    let sub = r
        .changes
        .iter()
        .find(|c| c.rule_id == "HIPAA-substitute-notice")
        .expect("10 unreachable: substitute notice");
    assert!(sub.message.contains("now required, due 2026-05-01T23:59:59-05:00"), "{}", sub.message);
}

#[test]
fn the_table_pages_sorts_and_filters_in_the_core() {
    use breachdesk_core::individuals::PageQuery;
    let (t, mut bd, id) = setup();
    let file = write(
        t.path(),
        "a.csv",
        &format!("{HEADER}\n{}9,Zed,Young,,,,,,,2015-01-01,,name\n", texans(450, 0)),
    );
    import(&mut bd, &id, &file, &ImportOptions::default()).expect("import");
    let q = |offset, sort: &str, residence: Option<&str>, flag: Option<&str>| PageQuery {
        offset,
        limit: 200,
        sort: sort.into(),
        residence: residence.map(str::to_owned),
        flag: flag.map(str::to_owned),
    };
    let p = bd.individuals_page(&id, &q(0, "name", None, None)).expect("page");
    assert_eq!((p.total, p.rows.len()), (451, 200));
    assert!(
        p.rows.windows(2).all(|w| w[0].full_name.to_lowercase() <= w[1].full_name.to_lowercase()),
        "sorted by name"
    );
    let last = bd.individuals_page(&id, &q(400, "source", None, None)).expect("page");
    assert_eq!(
        (last.rows.len(), last.rows[50].full_name.as_str()),
        (51, "Zed Young"),
        "the last page, in import order"
    );
    let tx = bd.individuals_page(&id, &q(0, "name", Some("US-TX"), None)).expect("page");
    assert_eq!(tx.total, 450);
    let unknown = bd.individuals_page(&id, &q(0, "name", Some(""), Some("minor"))).expect("page");
    assert_eq!((unknown.total, unknown.rows[0].full_name.as_str()), (1, "Zed Young"));
    assert_eq!(
        bd.individuals_page(&id, &q(0, "colour", None, None)).expect_err("bad sort").field(),
        Some("sort")
    );
}

#[test]
fn probable_duplicates_wait_for_review_and_a_merge_moves_the_counts() {
    let (t, mut bd, id) = setup();
    let rows = [
        // Same name and date of birth, different addresses: probably one person who moved.
        "1,Ana,Ruiz,1 Main Street,Austin,TX,78701,US,ana1@example.org,1980-01-01,,name",
        "2,Ana,Ruiz,9 Oak Avenue,Seattle,WA,98101,US,ana2@example.org,1980-01-01,,ssn",
        // Same e-mail, different names.
        "3,Bo,Chen,2 Elm Road,Austin,TX,78701,US,family@example.org,1975-03-03,,name",
        "4,Cy,Chen,2 Elm Road,Austin,TX,78701,US,family@example.org,2001-04-04,,name",
        // Same name, different dates of birth: not a pair.
        "5,Dee,Park,3 Pine Court,Austin,TX,78701,US,dee1@example.org,1990-05-05,,name",
        "6,Dee,Park,3 Pine Court,Austin,TX,78701,US,dee2@example.org,1991-05-05,,name",
    ];
    let file = write(t.path(), "a.csv", &format!("{HEADER}\n{}\n", rows.join("\n")));
    import(&mut bd, &id, &file, &ImportOptions::default()).expect("import");
    let scan = bd.scan_duplicates(&ctx(), &id).expect("scan");
    assert_eq!((scan.new_pairs, scan.waiting), (2, 2));
    assert_eq!(
        bd.scan_duplicates(&ctx(), &id).expect("scan again").new_pairs,
        0,
        "a pair is queued once"
    );
    let queue = bd.duplicate_queue(&id, false, 50).expect("queue");
    let ana = queue.iter().find(|p| p.reason == "name_dob").expect("Ana Ruiz twice");
    assert_eq!(
        (ana.first.residence.as_deref(), ana.later.residence.as_deref()),
        (Some("US-TX"), Some("US-WA"))
    );
    let chen = queue.iter().find(|p| p.reason == "email").expect("shared e-mail");

    let before = bd.individual_counts(&id).expect("counts");
    bd.decide_duplicate(&ctx(), &id, ana.id, true).expect("merge");
    let after = bd.individual_counts(&id).expect("counts");
    assert_eq!((after.total, after.merged), (before.total - 1, before.merged + 1));
    assert_eq!(
        after.by_residence.get("US-WA"),
        None,
        "the merged record no longer counts for Washington"
    );
    assert_eq!(
        (before.by_element.get("ssn"), after.by_element.get("ssn")),
        (Some(&1), None),
        "nor for the SSN it alone had exposed"
    );
    assert_eq!(bd.facts(&id).expect("facts").affected.get("US-WA"), None, "and the clocks follow");
    bd.decide_duplicate(&ctx(), &id, chen.id, false).expect("keep apart");
    assert_eq!(bd.individual_counts(&id).expect("counts").total, after.total);
    assert!(bd.duplicate_queue(&id, false, 50).expect("queue").is_empty());
    assert_eq!(
        bd.duplicate_queue(&id, true, 50).expect("all").len(),
        2,
        "decisions stay on record"
    );
    assert_eq!(
        bd.decide_duplicate(&ctx(), &id, ana.id, true).expect_err("twice").field(),
        Some("pair")
    );
    assert_eq!(count(&bd, "SELECT count(*) FROM individuals"), 6, "both source rows are kept");
    // Rolling the import back takes its review pairs with it; counts rebuilt from rows agree.
    bd.rollback_import(&ctx(), &id, "1").expect("rollback");
    assert_eq!(count(&bd, "SELECT count(*) FROM duplicate_candidates"), 0);
    assert_eq!(bd.individual_counts(&id).expect("counts").total, 0);
}

#[test]
fn a_mapping_is_saved_by_name_and_reused_for_the_next_file() {
    let dir = init_cli();
    let o = cli_new_incident(dir.path(), "T", "SEV-1", "America/Chicago", "2026-03-02T10:15");
    assert_eq!(o.code, 0, "{}", o.stderr);
    // Headers nobody would guess: the mapping is given once, saved, and used by name afterwards.
    let text = "Nom complet;Courriel;Code postal\nAna Ruiz;ana@example.org;98101\n";
    let a = write(dir.path(), "export-a.csv", text);
    let b = write(dir.path(), "export-b.csv", &text.replace("Ana Ruiz;ana", "Bo Chen;bo"));
    let map = write(
        dir.path(),
        "map.json",
        r#"{"columns": {"full_name": "Nom complet", "email": "Courriel", "postal_code": "Code postal"}}"#,
    );
    let o =
        cli(dir.path(), &["individuals", "import", "INC-20260302-001", a.to_str().expect("utf8")]);
    assert_eq!(o.code, 1, "without a mapping the name column is not found");
    assert!(o.stderr.contains("mapping.full_name"), "{}", o.stderr);
    let o = cli(
        dir.path(),
        &[
            "individuals",
            "import",
            "INC-20260302-001",
            a.to_str().expect("utf8"),
            "--mapping",
            map.to_str().expect("utf8"),
            "--save-mapping",
            "Forensics export",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = cli(
        dir.path(),
        &[
            "individuals",
            "import",
            "INC-20260302-001",
            b.to_str().expect("utf8"),
            "--use-mapping",
            "Forensics export",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = cli(dir.path(), &["--json", "individuals", "counts", "INC-20260302-001"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    assert_eq!(v["by_residence"]["US-WA"], 2, "both files mapped the same way");
    let o = cli(
        dir.path(),
        &[
            "individuals",
            "import",
            "INC-20260302-001",
            b.to_str().expect("utf8"),
            "--use-mapping",
            "Nope",
        ],
    );
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("Nope"), "{}", o.stderr);
}

/// `n` Texans (distinct names, addresses and e-mails) whose exposed elements are `elements`
/// (`;`-separated), ids from `from`.
fn texans_with(n: usize, from: usize, elements: &str) -> String {
    (from..from + n).map(|i| format!("T{i},Eva{i},Ruiz,{i} Oak Street,Austin,TX,78701,US,eva{i}@example.org,1980-01-01,,{elements}\n")).collect()
}

#[test]
fn each_persons_exposed_data_decides_which_state_law_covers_them() {
    let (t, mut bd, id) = setup();
    // 300 Texans: 200 had an SSN exposed, 100 only a name and an e-mail address. Texas counts only
    // "sensitive personal information" (Tex. Bus. & Com. Code 521.002(a)(2)), so 200 — below the
    // attorney general's 250.
    let file = write(
        t.path(),
        "mixed.csv",
        &format!(
            "{HEADER}\n{}{}",
            texans_with(200, 0, "name;ssn"),
            texans_with(100, 200, "name;email")
        ),
    );
    import(&mut bd, &id, &file, &ImportOptions::default()).expect("import");
    let cov = bd.state_coverage(&id).expect("coverage");
    let tx = cov.iter().find(|c| c.jurisdiction == "US-TX").expect("Texas");
    assert_eq!((tx.residents, tx.covered), (300, 200), "{tx:?}");
    assert!(tx.citation.contains("521.002"), "{}", tx.citation);
    assert!(tx.why.contains("200 of 300"), "{}", tx.why);
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-03T12:00:00Z")
        .expect("now")
        .with_timezone(&chrono::Utc);
    let live = |bd: &Breachdesk| {
        bd.obligations(&id, now)
            .expect("obligations")
            .into_iter()
            .filter(|o| o.in_scope)
            .collect::<Vec<_>>()
    };
    let obligations = live(&bd);
    let notice = obligations
        .iter()
        .find(|o| o.rule_id == "US-TX-individuals")
        .expect("Texans with SSNs are owed notice");
    assert!(notice.explanation.contains("200 of 300 residents of US-TX"), "{}", notice.explanation);
    assert!(
        !obligations.iter().any(|o| o.rule_id == "US-TX-attorney_general"),
        "200 covered Texans: below the AG's 250"
    );

    // 60 more with SSNs: 260 covered, the AG notice is now due, and the change says so.
    let more = write(t.path(), "more.csv", &format!("{HEADER}\n{}", texans_with(60, 300, "ssn")));
    let r = import(&mut bd, &id, &more, &ImportOptions::default()).expect("import");
    assert!(
        r.changes
            .iter()
            .any(|c| c.rule_id == "US-TX-attorney_general" && c.message.contains("now required")),
        "{:?}",
        r.changes
    );
    let ag = live(&bd).into_iter().find(|o| o.rule_id == "US-TX-attorney_general").expect("AG");
    assert!(
        ag.explanation.contains("260 affected residents of US-TX with covered data"),
        "{}",
        ag.explanation
    );
    // The CLI's view of the same numbers comes from the same core call; the facts carry the split.
    let facts = bd.facts(&id).expect("facts");
    assert_eq!(facts.exposure["US-TX"].get("name+ssn"), Some(&200));
    assert_eq!(facts.exposure["US-TX"].get("ssn"), Some(&60));
    assert_eq!(facts.exposure["US-TX"].get("name+email"), Some(&100));
}

#[test]
fn a_state_that_disagrees_with_the_zip_is_flagged_and_notices_go_to_guardians_and_next_of_kin() {
    let (t, mut bd, id) = setup();
    let rows = [
        // The state column says Texas; 98101 is Seattle. Residence follows the column, flagged.
        "1,Ana,Reyes,1 Pine Street,Seattle,TX,98101,US,ana@example.org,1980-01-01,,ssn",
        // A child with a guardian column? Not in this header: the notice goes to "parent or guardian".
        "2,Leo,Reyes,1 Pine Street,Austin,TX,78701,US,leo@example.org,2016-04-01,,ssn",
        "3,Rosa,Vega,2 Elm Street,Austin,TX,78701,US,rosa@example.org,1931-01-01,yes,ssn",
        "4,Omar,Haddad,3 Ash Street,Austin,TX,78701,US,omar@example.org,1970-01-01,,ssn",
    ];
    let file = write(t.path(), "people.csv", &format!("{HEADER}\n{}\n", rows.join("\n")));
    import(&mut bd, &id, &file, &ImportOptions::default()).expect("import");
    let c = bd.individual_counts(&id).expect("counts");
    assert_eq!(c.residence_conflicts, 1);
    let q = |flag: &str| breachdesk_core::individuals::PageQuery {
        limit: 50,
        sort: "source".into(),
        flag: Some(flag.into()),
        ..Default::default()
    };
    let flagged = bd.individuals_page(&id, &q("conflict")).expect("page");
    assert_eq!(
        (flagged.total, flagged.rows[0].full_name.as_str(), flagged.rows[0].residence.as_deref()),
        (1, "Ana Reyes", Some("US-TX"))
    );
    let all = bd
        .individuals_page(
            &id,
            &breachdesk_core::individuals::PageQuery {
                limit: 50,
                sort: "source".into(),
                ..Default::default()
            },
        )
        .expect("page");
    let to: Vec<&str> = all.rows.iter().map(|p| p.addressee.as_str()).collect();
    assert_eq!(
        to,
        ["Ana Reyes", "Parent or guardian of Leo Reyes", "Next of kin of Rosa Vega", "Omar Haddad"]
    );
    // Rebuilt counts (rollback path) agree with the counts kept while importing.
    let kept = bd.individual_counts(&id).expect("counts");
    let again = write(t.path(), "one.csv", &format!("{HEADER}\n{}", texans_with(1, 900, "ssn")));
    import(&mut bd, &id, &again, &ImportOptions::default()).expect("import");
    bd.rollback_import(&ctx(), &id, "2").expect("rollback");
    assert_eq!(bd.individual_counts(&id).expect("counts"), kept);
}

#[test]
fn a_large_list_pages_from_an_order_kept_in_memory_that_matches_sql() {
    let (t, mut bd, id) = setup();
    // Above the in-memory threshold (20,000): names in a scrambled order, some in other states.
    let rows: String = (0..20_500)
        .map(|i| {
            let k = (i * 7919) % 20_500;
            let (st, zip) = if i % 5 == 0 { ("WA", "98101") } else { ("TX", "78701") };
            let dob = if i % 97 == 0 { "2015-01-01" } else { "1980-01-01" };
            format!(
                "P{i},N{k:05},Zed{},{i} Elm St,City,{st},{zip},US,p{i}@example.org,{dob},,ssn\n",
                k % 13
            )
        })
        .collect();
    let file = write(t.path(), "big.csv", &format!("{HEADER}\n{rows}"));
    import(&mut bd, &id, &file, &ImportOptions::default()).expect("import");
    let sql_ids = |order: &str, filter: &str, offset: i64| -> Vec<i64> {
        // A record's number on its list: the low 32 bits of its id (schema 9).
        let sql = format!("SELECT id & 0xFFFFFFFF FROM individuals WHERE merged_into IS NULL {filter} ORDER BY {order} LIMIT 100 OFFSET {offset}");
        let conn = bd.connection();
        let mut s = conn.prepare(&sql).expect("prepare");
        s.query_map([], |r| r.get(0)).expect("query").collect::<Result<_, _>>().expect("ids")
    };
    let cases = [
        ("name", None, None, "name_key, id", ""),
        ("residence", None, None, "residence, name_key, id", ""),
        ("postal_code", None, None, "postal_code, id", ""),
        ("source", None, None, "id", ""),
        ("name", Some("US-WA"), None, "name_key, id", "AND residence = 'US-WA'"),
        ("name", None, Some("minor"), "name_key, id", "AND minor = 1"),
    ];
    for (sort, residence, flag, order, filter) in cases {
        for offset in [0_i64, 4_000, 20_400] {
            let q = breachdesk_core::individuals::PageQuery {
                offset: u64::try_from(offset).expect("offset"),
                limit: 100,
                sort: sort.into(),
                residence: residence.map(str::to_owned),
                flag: flag.map(str::to_owned),
            };
            let page = bd.individuals_page(&id, &q).expect("page");
            let got: Vec<i64> = page.rows.iter().map(|p| p.id).collect();
            assert_eq!(
                got,
                sql_ids(order, filter, offset),
                "{sort} {residence:?} {flag:?} at {offset}"
            );
            let expected_total: i64 = bd
                .connection()
                .query_row(
                    &format!("SELECT count(*) FROM individuals WHERE merged_into IS NULL {filter}"),
                    [],
                    |r| r.get(0),
                )
                .expect("n");
            assert_eq!(page.total, expected_total);
        }
    }
    // A change to the list is seen at once: the kept order is not reused.
    let q = breachdesk_core::individuals::PageQuery {
        limit: 100,
        sort: "name".into(),
        ..Default::default()
    };
    let first = write(
        t.path(),
        "first.csv",
        &format!(
            "{HEADER}\nQ1,Aaron,Aab,1 Elm St,City,TX,78701,US,aaron@example.org,1980-01-01,,ssn\n"
        ),
    );
    import(&mut bd, &id, &first, &ImportOptions::default()).expect("import");
    let page = bd.individuals_page(&id, &q).expect("page");
    assert_eq!((page.total, page.rows[0].full_name.as_str()), (20_501, "Aaron Aab"));
    bd.rollback_import(&ctx(), &id, "2").expect("rollback");
    let page = bd.individuals_page(&id, &q).expect("page");
    assert_eq!((page.total, page.rows[0].full_name.as_str()), (20_500, "N00000 Zed0"));
}

/// What a search for `q` must return, by a scan of the table: the incident's records that are not
/// merged, with a key (name, last name or e-mail; or only the e-mail, or only the ZIP code) that
/// starts with `q`, in the order the search gives (by name; by e-mail; by ZIP code).
fn search_by_scan(bd: &Breachdesk, incident: &str, q: &str) -> Vec<i64> {
    let (test, order) = if q.contains('@') {
        ("substr(email, 1, length(?2)) = ?2", "email, id")
    } else if q.chars().all(|c| c.is_ascii_digit()) {
        ("substr(postal_code, 1, length(?2)) = ?2", "postal_code, id")
    } else {
        ("(substr(name_key, 1, length(?2)) = ?2 OR substr(last_key, 1, length(?2)) = ?2 OR substr(email, 1, length(?2)) = ?2)", "full_name, id")
    };
    let sql = format!(
        "SELECT id & 0xFFFFFFFF FROM individuals WHERE id >> 32 = (SELECT list FROM individual_lists WHERE incident_id = ?1) AND merged_into IS NULL AND {test} ORDER BY {order}"
    );
    let conn = bd.connection();
    let mut s = conn.prepare(&sql).expect("prepare");
    let ids = s
        .query_map(rusqlite::params![incident, q], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("ids");
    ids
}

/// The search index (sorted key chunks, schema 8) answers as a scan of the table would, through a
/// second import with duplicates, a merge on review, a rollback, and in a database whose list was
/// imported before the index existed (it is built when the database is opened).
#[test]
fn search_answers_as_a_scan_would_through_imports_merges_rollbacks_and_an_upgrade() {
    const QUERIES: [&str; 14] = [
        "garc", "garcía", "mü", "nguy", "ana", "ana gar", "eva1", "o'b", "981", "0213", "ana12@",
        "zoë", "é", "zz",
    ];
    let ring = MemoryKeyring::default();
    let (t, mut bd) = init_memory(&ring);
    let id = bd.create_incident(&ctx(), &new_incident("Portal")).expect("create").id;
    let other = bd.create_incident(&ctx(), &new_incident("Other")).expect("create").id;
    let person = |tag: &str, i: usize| {
        let first = ["Ana", "Bo", "José", "Zoë", "Émile", "Eva"][i % 6];
        let last = ["García", "Garcia", "Müller", "Nguyễn", "O'Brien", "Ruiz", "Chen"][(i / 6) % 7];
        let (st, zip) =
            [("WA", "98101"), ("TX", "78701"), ("MA", "02134"), ("NY", "10001"), ("IL", "60601")]
                [i % 5];
        let email = if i.is_multiple_of(11) {
            String::new()
        } else {
            format!("{}{i}@example.org", ["ana", "bo", "jose", "zoe", "emile", "eva"][i % 6])
        };
        format!(
            "{tag}{i},{first},{last},{i} Elm St,City,{st},{zip},US,{email},{}-01-01,,ssn\n",
            1950 + i % 50
        )
    };
    let check = |bd: &Breachdesk, when: &str| {
        for q in QUERIES {
            let got: Vec<i64> =
                bd.search_individuals(&id, q, 1000).expect("search").iter().map(|p| p.id).collect();
            assert_eq!(got, search_by_scan(bd, &id, q), "{q:?} {when}");
        }
        assert!(
            !bd.search_individuals(&id, "garc", 1000).expect("search").is_empty(),
            "{when}: the check found something"
        );
    };
    let list: String = (0..3000).map(|i| person("S", i)).collect();
    import(
        &mut bd,
        &id,
        &write(t.path(), "a.csv", &format!("{HEADER}\n{list}")),
        &ImportOptions::default(),
    )
    .expect("import");
    // Another incident's García family never shows up in this incident's search.
    let theirs: String = (0..60).map(|i| person("X", i)).collect();
    import(
        &mut bd,
        &other,
        &write(t.path(), "x.csv", &format!("{HEADER}\n{theirs}")),
        &ImportOptions::default(),
    )
    .expect("import");
    check(&bd, "after the first import");
    assert_eq!(
        bd.search_individuals(&id, "garc", 10).expect("search").len(),
        10,
        "the limit holds"
    );

    // A second import: 200 new people and 50 exact repeats (merged at import, so not found twice).
    let second: String = (3000..3200).chain(0..50).map(|i| person("S", i)).collect();
    let r = import(
        &mut bd,
        &id,
        &write(t.path(), "b.csv", &format!("{HEADER}\n{second}")),
        &ImportOptions::default(),
    )
    .expect("import");
    assert_eq!((r.imported, r.merged), (200, 50));
    check(&bd, "after a second import with duplicates");

    bd.scan_duplicates(&ctx(), &id).expect("scan");
    let pair = bd.duplicate_queue(&id, false, 1).expect("queue").remove(0);
    bd.decide_duplicate(&ctx(), &id, pair.id, true).expect("merge");
    assert!(search_by_scan(&bd, &id, &pair.later.full_name.to_lowercase())
        .iter()
        .all(|&x| x != pair.later.id));
    check(&bd, "after a merge on review");

    bd.rollback_import(&ctx(), &id, "2").expect("rollback");
    check(&bd, "after rolling the second import back");

    // A database from before schema 8: its list has no search index until it is opened.
    bd.connection()
        .execute_batch(
            "DELETE FROM individual_search; UPDATE individual_lists SET search_built = 0",
        )
        .expect("as before schema 8");
    drop(bd);
    let mut bd = Breachdesk::open(&t.path().join("data"), None, &ring, t0()).expect("open");
    assert_eq!(count(&bd, "SELECT count(*) FROM individual_lists WHERE search_built = 0"), 0);
    check(&bd, "after the index was built on opening");

    // A damaged chunk (a stray byte at its start): searches through it fail, saying so; the next import
    // into the list reads its keys from the records and writes the index whole again.
    let list: i64 = bd
        .connection()
        .query_row("SELECT list FROM individual_lists WHERE incident_id = ?1", [&id], |r| r.get(0))
        .expect("list");
    bd.connection()
        .execute("UPDATE individual_search SET data = CAST(x'05' || data AS BLOB) WHERE list = ?1 AND field = 0 AND seq = 0", [list])
        .expect("damage");
    let err = bd
        .search_individuals(&id, "ana", 1000)
        .map(|hits| hits.len())
        .expect_err("a damaged chunk");
    assert!(err.to_string().contains("search index is damaged"), "{err}");
    let third: String = (3200..3300).map(|i| person("S", i)).collect();
    import(
        &mut bd,
        &id,
        &write(t.path(), "c.csv", &format!("{HEADER}\n{third}")),
        &ImportOptions::default(),
    )
    .expect("an import repairs the index");
    check(&bd, "after an import into a list with a damaged chunk");
}
