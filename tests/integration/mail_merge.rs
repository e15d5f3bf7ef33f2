//! Mail merge end to end through the exact CLI: 2,000 people in five states merged letter by
//! letter (variant per person, counts equal to the coverage counts), the manifest against the
//! PDFs' pages, activation codes one per letter, approval bound to the files, e-mail through a
//! real SMTP relay (aiosmtpd, STARTTLS, AUTH) with a bounce, a returns file moving statuses and
//! bringing the HIPAA substitute notice past 9 undeliverable, the re-mail, the evidence export,
//! and kill -9 during a merge resumed with no letter twice.

use crate::support::{cli, cli_env, init_cli, PASS, PASS_VAR};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const INC: &str = "INC-20261102-001";
const STATES: [&str; 5] = ["CA", "MA", "IL", "TX", "NY"];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/integration/fixtures").join(name)
}

fn run(dir: &Path, args: &[&str]) -> String {
    let mut a = vec!["--actor", "Dana Liaison"];
    a.extend(args);
    let o = cli(dir, &a);
    assert_eq!(o.code, 0, "{args:?}: {}{}", o.stderr, o.stdout);
    o.stdout
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn zip(state: &str, k: usize) -> String {
    match state {
        "CA" => format!("9{:04}", k % 1000),
        "MA" => format!("02{:03}", 100 + k % 600),
        "IL" => format!("60{:03}", k % 1000),
        "TX" => format!("75{:03}", k % 1000),
        _ => format!("10{:03}", k % 1000),
    }
}

/// Who is who on the generated list.
struct Person {
    state: &'static str,
    minor: bool,
    deceased: bool,
    no_contact: bool,
    consent: bool,
}

fn person(k: usize) -> Person {
    Person {
        state: STATES[k % 5],
        minor: k % 50 == 7,
        deceased: k % 70 == 10,
        no_contact: k % 400 == 11,
        consent: k % 25 == 5,
    }
}

/// 2,000 people in five states (written outside the data directory).
fn people_csv(path: &Path) {
    let mut s = String::from("Member ID,Full Name,Address,City,State,ZIP,Email,Email Consent,Data Exposed,Minor,Deceased,Guardian\n");
    let first = ["Zoë", "José", "Đặng", "Ana", "Liam", "Noah", "Mia", "Ava"];
    for k in 0..2000 {
        let p = person(k);
        let name = format!("{} Family{:03}", first[k % first.len()], (k * 7) % 211);
        let (addr, city, z) = if p.no_contact {
            (String::new(), String::new(), String::new())
        } else {
            (format!("{} Main Street", 10 + k), "Springfield".to_owned(), zip(p.state, k))
        };
        let email = if p.no_contact {
            String::new()
        } else if k == 5 {
            "bounce.person@example.org".to_owned()
        } else {
            format!("p{k}@example.org")
        };
        let data = ["name;ssn", "name;medical", "email", "name;drivers_license"][k % 4];
        s.push_str(&format!(
            "M{k:05},{name},{addr},{city},{},{z},{email},{},{data},{},{},{}\n",
            p.state,
            if p.consent { "yes" } else { "" },
            if p.minor { "yes" } else { "" },
            if p.deceased { "yes" } else { "" },
            if p.minor { "Pat Guardian" } else { "" },
        ));
    }
    std::fs::write(path, s).expect("write list");
}

fn setup() -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = init_cli();
    let d = dir.path();
    let work = tempfile::tempdir().expect("work");
    let w = work.path();
    run(
        d,
        &[
            "incident",
            "new",
            "--title",
            "Phishing at billing",
            "--severity",
            "SEV-1",
            "--timezone",
            "America/New_York",
            "--detected-at",
            "2026-11-02T10:00",
            "--discovered-at",
            "2026-11-02T10:00",
            "--aware-at",
            "2026-11-02T10:00",
            "--determined-at",
            "2026-11-02T10:00",
        ],
    );
    let list = w.join("people.csv");
    people_csv(&list);
    run(d, &["individuals", "import", INC, list.to_str().expect("utf8")]);
    let mut facts = json(&run(d, &["--json", "facts", "show", INC]));
    facts["hipaa_role"] = Value::String("covered_entity".into());
    let f = w.join("facts.json");
    std::fs::write(&f, facts.to_string()).expect("facts");
    run(d, &["facts", "set", INC, "--file", f.to_str().expect("utf8")]);
    let narrative = fixture("notices/narrative.json");
    run(d, &["notices", "narrative", INC, "--file", narrative.to_str().expect("utf8")]);
    let org = fixture("notices/org.json");
    run(d, &["org", "set", "--file", org.to_str().expect("utf8")]);
    (dir, work)
}

fn draft(d: &Path, obligation: &str) -> String {
    let n = json(&run(d, &["--json", "notices", "draft", INC, obligation]));
    n["id"].as_str().expect("id").to_owned()
}

type Manifest = Vec<BTreeMap<String, String>>;

fn manifest(path: &Path) -> Manifest {
    let mut r = csv::Reader::from_path(path).expect("manifest");
    let h: Vec<String> = r.headers().expect("header").iter().map(str::to_owned).collect();
    r.records()
        .map(|x| {
            let x = x.expect("row");
            h.iter().cloned().zip(x.iter().map(str::to_owned)).collect()
        })
        .collect()
}

fn pdf_pages(path: &Path) -> usize {
    let o = Command::new("pdfinfo").arg(path).output().expect("pdfinfo (poppler-utils)");
    let text = String::from_utf8_lossy(&o.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().expect("pages")))
        .unwrap_or_else(|| panic!("no page count for {}: {text}", path.display()))
}

/// Every print file's page count equals the manifest's pages for it; every letter once.
fn check_manifest_against_pdfs(out: &Path, report: &Value) -> Manifest {
    let m = manifest(&out.join(report["manifest"].as_str().expect("manifest name")));
    let ids: BTreeSet<&String> = m.iter().map(|r| &r["letter_id"]).collect();
    assert_eq!(ids.len(), m.len(), "no letter twice in the manifest");
    let mut by_file: BTreeMap<&str, usize> = BTreeMap::new();
    for r in m.iter().filter(|r| r["channel"] == "mail") {
        *by_file.entry(r["file"].as_str()).or_default() +=
            r["pages"].parse::<usize>().expect("pages");
    }
    let prints: Vec<&Value> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["kind"] == "print")
        .collect();
    assert_eq!(prints.len(), by_file.len(), "every print file is in the manifest");
    for f in prints {
        let name = f["name"].as_str().expect("name");
        assert_eq!(pdf_pages(&out.join(name)), by_file[name], "{name}: PDF pages = manifest pages");
    }
    m
}

#[test]
#[allow(clippy::too_many_lines)]
fn a_population_merges_letter_by_letter_is_approved_emailed_mailed_returned_and_proved() {
    let (dir, work) = setup();
    let (d, w) = (dir.path(), work.path());

    // Codes: a duplicate is refused naming both rows; then 2,100 codes.
    let dup = w.join("dup.csv");
    std::fs::write(&dup, "code\nAAA111\nBBB222\nAAA111\n").expect("dup");
    let o = cli(d, &["notices", "codes", INC, dup.to_str().expect("utf8")]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("rows 2 and 4"), "{}", o.stderr);
    let codes = w.join("codes.csv");
    let text: String = std::iter::once("activation_code\n".to_owned())
        .chain((0..2100).map(|k| format!("EXP{k:06}\n")))
        .collect();
    std::fs::write(&codes, text).expect("codes");
    let c = json(&run(d, &["--json", "notices", "codes", INC, codes.to_str().expect("utf8")]));
    assert_eq!(c["imported"], 2100);
    let again = json(&run(d, &["--json", "notices", "codes", INC, codes.to_str().expect("utf8")]));
    assert_eq!((again["imported"].as_i64(), again["already"].as_i64()), (Some(0), Some(2100)));

    // The HIPAA population: everyone, a guardian's letter for minors, the next of kin's for the dead.
    let n = draft(d, "HIPAA-individuals");
    let out = w.join("out");
    let r = json(&run(
        d,
        &[
            "--json",
            "notices",
            "merge",
            &n,
            "-o",
            out.to_str().expect("utf8"),
            "--batch-size",
            "300",
            "--email-eml",
        ],
    ));
    assert_eq!(r["finished"], true, "{r}");
    let people: Vec<Person> = (0..2000).map(person).collect();
    let deceased = people.iter().filter(|p| p.deceased).count();
    let minors = people.iter().filter(|p| p.minor && !p.deceased).count();
    let no_contact = people.iter().filter(|p| p.no_contact).count();
    let email =
        people.iter().filter(|p| p.consent && !p.no_contact && !p.minor && !p.deceased).count();
    assert_eq!(r["letters"], 2000);
    assert_eq!(r["by_variant"]["next-of-kin@1"].as_u64(), Some(deceased as u64));
    assert_eq!(r["by_variant"]["guardian-individual@1"].as_u64(), Some(minors as u64));
    assert_eq!(
        r["by_variant"]["hipaa-individual@1"].as_u64(),
        Some((2000 - deceased - minors) as u64)
    );
    assert_eq!(r["by_channel"]["email"].as_u64(), Some(email as u64));
    assert_eq!(r["by_channel"]["none"].as_u64(), Some(no_contact as u64));
    assert_eq!(r["approvable"], true, "every variant passes its checker: {}", r["variants"]);
    assert_eq!(r["variants"].as_array().map(Vec::len), Some(3));
    let m = check_manifest_against_pdfs(&out, &r);
    assert_eq!(m.len(), 2000 - no_contact, "mail and e-mail letters are in the manifest");
    let codes: BTreeSet<&String> = m.iter().map(|r| &r["activation_code"]).collect();
    assert_eq!(codes.len(), m.len(), "one code per letter, never two letters with one code");
    assert!(!codes.contains(&String::new()));
    // The first letter of the first file reads back with its address and its own code.
    let first_file = out.join(&m[0]["file"]);
    let text = String::from_utf8_lossy(
        &Command::new("pdftotext")
            .args(["-f", "1", "-l", "4"])
            .arg(&first_file)
            .arg("-")
            .output()
            .expect("pdftotext")
            .stdout,
    )
    .into_owned();
    assert!(text.contains(&m[0]["activation_code"]), "the letter shows its code");
    assert!(text.contains(m[0]["address_block"].split(" | ").next().expect("line")), "{text}");
    assert!(text.contains("March 31, 2027"), "the enrol-by date");
    let q = Command::new("qpdf").arg("--check").arg(&first_file).output().expect("qpdf");
    assert!(q.status.success(), "{}", String::from_utf8_lossy(&q.stdout));
    // Mailing order: by ZIP, then name, within the run.
    let zips: Vec<&str> = m
        .iter()
        .filter(|r| r["channel"] == "mail")
        .map(|r| &r["address_block"][r["address_block"].len() - 5..])
        .collect();
    assert!(
        zips.len() > 1000 && zips.windows(2).all(|z| z[0] <= z[1]),
        "print letters go in ZIP order"
    );
    // The e-mail letters as .eml: headers a mail client reads, the letter attached.
    let eml = std::fs::read_dir(out.join("email")).expect("email dir").count();
    assert_eq!(eml, email);
    let one = m.iter().find(|r| r["channel"] == "email").expect("an e-mail letter");
    let msg = std::fs::read_to_string(out.join("email").join(format!("{}.eml", one["letter_id"])))
        .expect("eml");
    for h in [
        "From: ",
        "To: ",
        "Subject: ",
        "Message-ID: <",
        "Date: ",
        "X-Breachdesk-Letter: ",
        "Content-Type: multipart/mixed",
        "application/pdf",
    ] {
        assert!(msg.contains(h), "{h} in the .eml");
    }
    // Merging again finds every file written: nothing is written twice.
    let again = json(&run(
        d,
        &[
            "--json",
            "notices",
            "merge",
            &n,
            "-o",
            out.to_str().expect("utf8"),
            "--batch-size",
            "300",
            "--email-eml",
        ],
    ));
    assert_eq!(
        (again["written"].as_i64(), again["resumed"].as_bool(), again["run"].as_str()),
        (Some(0), Some(true), r["run"].as_str())
    );

    // Approval binds the merge.
    let a = json(&run(d, &["--json", "notices", "approve", &n, "--by", "Pat Compliance"]));
    assert_eq!(a["status"], "approved");
    let note = a["events"]
        .as_array()
        .and_then(|e| e.last())
        .and_then(|e| e["note"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(note.contains(r["manifest_sha256"].as_str().expect("sha")), "{note}");

    // E-mail through a real relay: STARTTLS, AUTH, one recipient refused.
    let cert = w.join("cert.pem");
    let key = w.join("key.pem");
    let ok = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(ok.success());
    let got = w.join("relay");
    std::fs::create_dir_all(&got).expect("relay dir");
    let mut server = Command::new("/usr/bin/python3")
        .arg(fixture("mail/smtp_server.py"))
        .args([&cert, &key, &got])
        .args(["relay-user", "relay-secret"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3-aiosmtpd (make deps-test installs it)");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().expect("stdout")),
        &mut line,
    )
    .expect("READY");
    let port = line.trim().strip_prefix("READY ").expect("READY port").to_owned();
    let env = [(PASS_VAR, PASS), ("SMTP_PW", "relay-secret")];
    let smtp = |args: &[&str]| {
        let mut a = vec!["--actor", "Dana Liaison"];
        a.extend(args);
        cli_env(d, &a, &env)
    };
    let o = smtp(&[
        "config",
        "smtp",
        "--host",
        "localhost",
        "--port",
        &port,
        "--user",
        "relay-user",
        "--password-env",
        "SMTP_PW",
        "--starttls",
        "--ca-cert",
        cert.to_str().expect("utf8"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stdout.contains("relay-secret"));
    let o = smtp(&["--json", "notices", "send-email", &n, "--dry-run"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(json(&o.stdout)["queued"].as_u64(), Some(email as u64));
    assert_eq!(std::fs::read_dir(&got).expect("relay").count(), 0, "a dry run sends nothing");
    let o = smtp(&["--json", "notices", "send-email", &n, "--rate", "200"]);
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(o.code, 0, "{}", o.stderr);
    let s = json(&o.stdout);
    assert_eq!(
        (s["sent"].as_u64(), s["bounced"].as_u64()),
        (Some(email as u64 - 1), Some(1)),
        "{s}"
    );
    assert_eq!(
        std::fs::read_dir(&got).expect("relay").count(),
        email - 1,
        "the relay got each accepted letter once"
    );
    let bounce = s["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|x| x[1] == "bounced")
        .expect("the bounce");
    assert!(bounce[2].as_str().unwrap_or_default().contains("550"), "{bounce}");
    let again = json(&smtp(&["--json", "notices", "send-email", &n]).stdout);
    assert_eq!(again["sent"], 0, "nothing is e-mailed twice");

    // Mailed: the print files went to the vendor.
    run(
        d,
        &[
            "notices",
            "sent",
            &n,
            "--at",
            "2026-12-01T09:00",
            "--channel",
            "mail",
            "--reference",
            "VENDOR-JOB-77",
            "--via",
            "Print vendor",
        ],
    );
    let p = json(&run(d, &["--json", "notices", "people", &n]));
    assert_eq!(
        p["counts"]["mailed"].as_u64(),
        Some((2000 - no_contact - email) as u64),
        "{}",
        p["counts"]
    );
    assert_eq!(p["counts"]["e-mailed"].as_u64(), Some(email as u64 - 1));
    assert_eq!(p["counts"]["bounced"], 1);

    // Returns: 12 with no forwarding address, 2 with a new one, 1 deceased, 3 delivered.
    let mailed: Vec<&String> = m
        .iter()
        .filter(|r| r["channel"] == "mail" && r["variant"] == "hipaa-individual@1")
        .map(|r| &r["letter_id"])
        .collect();
    let mut ret = String::from("letter_id,event_type,event_ts,return_reason_code,new_address1,new_city,new_state,new_postal_code\n");
    for id in &mailed[..12] {
        ret.push_str(&format!("{id},returned,2026-12-02,ANK,,,,\n"));
    }
    for id in &mailed[12..14] {
        ret.push_str(&format!("{id},returned,2026-12-02,K,1 New Road,Springfield,CA,90210\n"));
    }
    ret.push_str(&format!("{},deceased,2026-12-02,DEC,,,,\n", mailed[14]));
    for id in &mailed[15..18] {
        ret.push_str(&format!("{id},delivered,2026-12-02,,,,,\n"));
    }
    let rf = w.join("returns.csv");
    std::fs::write(&rf, ret).expect("returns");
    let rr = json(&run(d, &["--json", "notices", "returns", INC, rf.to_str().expect("utf8")]));
    assert_eq!(
        (rr["substitute"].as_u64(), rr["requeued"].as_u64(), rr["next_of_kin"].as_u64()),
        (Some(12), Some(2), Some(1)),
        "{rr}"
    );
    assert_eq!(rr["undeliverable"].as_u64(), Some((no_contact + 12) as u64));
    let added: Vec<&str> = rr["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["rule_id"].as_str())
        .collect();
    assert!(
        added.contains(&"HIPAA-substitute-notice"),
        "past 9 undeliverable the substitute notice appears: {added:?}"
    );
    let p = json(&run(d, &["--json", "notices", "people", &n, "--status", "substitute"]));
    assert_eq!(p["total"].as_u64(), Some((no_contact + 12) as u64));
    assert_eq!(p["counts"]["delivered"], 3);
    let o = cli(d, &["notices", "returns", INC, rf.to_str().expect("utf8")]);
    assert_ne!(o.code, 0, "the same file is not applied twice");
    let bad = w.join("bad.csv");
    std::fs::write(&bad, "letter_id,event_type\nNOPE,returned\n").expect("bad");
    let o = cli(d, &["notices", "returns", INC, bad.to_str().expect("utf8")]);
    assert!(o.stderr.contains("row 2") && o.stderr.contains("letter_id"), "{}", o.stderr);

    // The re-mail: the two new addresses and the bounced e-mail, by first-class mail.
    let out2 = w.join("remail");
    let r2 = json(&run(d, &["--json", "notices", "merge", &n, "-o", out2.to_str().expect("utf8")]));
    assert_eq!((r2["kind"].as_str(), r2["letters"].as_u64()), (Some("re-mail"), Some(3)), "{r2}");
    let m2 = check_manifest_against_pdfs(&out2, &r2);
    assert!(m2.iter().any(|r| r["address_block"].contains("1 New Road")));
    let p = json(&run(d, &["--json", "notices", "people", &n, "--status", "re-mailed"]));
    assert_eq!(p["total"], 3);

    // The 164.414 evidence.
    let ev = w.join("evidence.csv");
    run(d, &["notices", "evidence", &n, "-o", ev.to_str().expect("utf8")]);
    let e = manifest(&ev);
    assert_eq!(e.len(), 2000);
    let one = e.iter().find(|r| r["letter_id"] == *mailed[12]).expect("a re-mailed letter");
    for word in ["printed", "mailed", "returned", "queued", "re-mailed", "VENDOR-JOB-77"] {
        assert!(one["events"].contains(word), "{word} in {}", one["events"]);
    }
    assert_eq!(one["approved_by"], "Pat Compliance");
    // Every merge run and file record is sealed in the audit chain, which verifies.
    let v = json(&run(d, &["--json", "audit", "verify"]));
    assert!(
        v["report"]["broken"].is_null() && v["report"]["data_mismatches"] == serde_json::json!([]),
        "{v}"
    );
    assert!(v["report"]["rows_checked"].as_u64() > Some(10), "{v}");
}

#[test]
fn a_merge_killed_at_any_point_resumes_with_no_letter_twice_and_a_state_gets_its_own_variant() {
    let (dir, work) = setup();
    let (d, w) = (dir.path(), work.path());
    let coverage = json(&run(d, &["--json", "individuals", "coverage", INC]));
    let covered = |j: &str| {
        coverage
            .as_array()
            .expect("coverage")
            .iter()
            .find(|c| c["jurisdiction"] == j)
            .and_then(|c| c["covered"].as_u64())
            .expect("covered")
    };

    // Killed right after a file is written, before it is recorded.
    let n = draft(d, "US-CA-individuals");
    let out = w.join("ca");
    let args = [
        "--actor",
        "Dana Liaison",
        "--json",
        "notices",
        "merge",
        &n,
        "-o",
        out.to_str().expect("utf8"),
        "--batch-size",
        "50",
    ];
    let o = cli_env(d, &args, &[(PASS_VAR, PASS), ("BREACHDESK_FAILPOINT", "merge.file_written")]);
    assert_ne!(o.code, 0, "the fail point kills the merge");
    let r = json(&run(d, &args[2..]));
    assert_eq!(r["finished"], true);
    assert_eq!(
        r["letters"].as_u64(),
        Some(covered("US-CA")),
        "the letters are the people US-CA's law covers"
    );
    let minors_or_dead =
        (0..2000).map(person).filter(|p| p.state == "CA" && (p.minor || p.deceased)).count() as u64;
    assert!(
        r["by_variant"]["ca-individual@1"].as_u64().expect("ca") + minors_or_dead
            >= covered("US-CA") - 1
    );
    assert!(
        r["by_variant"]
            .as_object()
            .expect("variants")
            .keys()
            .all(|k| k.starts_with("ca-individual")
                || k.starts_with("guardian")
                || k.starts_with("next-of-kin")),
        "{}",
        r["by_variant"]
    );
    check_manifest_against_pdfs(&out, &r);

    // A variant that fails its checker blocks the approval, naming the element.
    let approved = cli(d, &["notices", "approve", &n, "--by", "Pat Compliance"]);
    assert_eq!(approved.code, 0, "{}", approved.stderr);
    let source = run(d, &["templates", "show", "next-of-kin"]);
    let broken = source.replace("## What Happened", "## Background");
    assert_ne!(broken, source);
    let file = w.join("nok-broken.j2");
    std::fs::write(&file, broken).expect("template");
    run(d, &["templates", "add", "--file", file.to_str().expect("utf8")]);
    assert_eq!(draft(d, "US-CA-individuals"), n, "the same notice, merged again");
    let r = json(&run(d, &args[2..]));
    assert_eq!(r["approvable"], false, "{}", r["variants"]);
    let o = cli(d, &["notices", "approve", &n, "--by", "Pat Compliance"]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("BLOCK") && o.stderr.contains("next-of-kin@2"), "{}", o.stderr);

    // kill -9 in the middle of writing a file.
    let n = draft(d, "US-TX-individuals");
    let out = w.join("tx");
    let mut child = Command::new(env!("CARGO_BIN_EXE_breachdesk"))
        .arg("--data-dir")
        .arg(d)
        .args([
            "--passphrase-env",
            PASS_VAR,
            "--actor",
            "Dana Liaison",
            "notices",
            "merge",
            &n,
            "-o",
        ])
        .arg(&out)
        .args(["--batch-size", "40"])
        .env(PASS_VAR, PASS)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = std::time::Instant::now();
    let mut killed_mid_file = false;
    while started.elapsed().as_secs() < 60 {
        let partial = std::fs::read_dir(&out)
            .map(|r| r.flatten().any(|e| e.file_name().to_string_lossy().ends_with(".partial")))
            .unwrap_or(false);
        let recorded = std::fs::read_dir(&out)
            .map(|r| {
                r.flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".pdf")).count()
            })
            .unwrap_or(0);
        if partial && recorded >= 1 {
            child.kill().expect("kill -9");
            killed_mid_file = true;
            break;
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.wait();
    assert!(killed_mid_file, "the merge was killed while it wrote a file");
    let r = json(&run(
        d,
        &[
            "--json",
            "notices",
            "merge",
            &n,
            "-o",
            out.to_str().expect("utf8"),
            "--batch-size",
            "40",
        ],
    ));
    assert_eq!((r["finished"].as_bool(), r["resumed"].as_bool()), (Some(true), Some(true)));
    assert!(
        r["written"].as_u64() < r["letters"].as_u64(),
        "the resume wrote only what was missing: {r}"
    );
    assert_eq!(r["letters"].as_u64(), Some(covered("US-TX")));
    let m = check_manifest_against_pdfs(&out, &r);
    assert_eq!(
        m.len() as u64,
        covered("US-TX")
            - (0..2000).map(person).filter(|p| p.state == "TX" && p.no_contact).count() as u64
    );
    let left: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "no temporary file is left: {left:?}");
}
