//! Notices end to end: every seeded template renders on sample incidents, passes its checker, and
//! reads back from the PDF (`pdftotext`, `qpdf --check`); the Massachusetts letter states no count
//! and no nature of the breach; approval, voiding, sending and proof through the exact CLI.

use crate::support::{cli, init_cli, passphrase};
use breachdesk_core::notices::{DraftInput, Notice, Severity};
use breachdesk_core::{Breachdesk, Ctx, MemoryKeyring};
use chrono::{TimeZone, Utc};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/integration/fixtures/notices")
        .join(name)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = cli(dir, args);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    o.stdout
}

/// Writes an input file outside the data directory (which must hold nothing in plain text).
fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir
        .parent()
        .expect("parent")
        .join(format!("{}-{name}", dir.file_name().and_then(|n| n.to_str()).unwrap_or("x")));
    std::fs::write(&p, text).expect("write");
    p.to_str().expect("utf8").to_owned()
}

/// Three incidents whose obligations call for every seeded template.
fn sample() -> tempfile::TempDir {
    let dir = init_cli();
    let d = dir.path();
    let a = ["--actor", "Dana Liaison"];
    let new = |title: &str, zone: &str, at: &str| {
        let mut args = a.to_vec();
        args.extend([
            "incident",
            "new",
            "--title",
            title,
            "--severity",
            "SEV-1",
            "--timezone",
            zone,
        ]);
        args.extend([
            "--detected-at",
            at,
            "--discovered-at",
            at,
            "--aware-at",
            at,
            "--determined-at",
            at,
        ]);
        ok(d, &args);
    };
    new("Phishing at billing", "America/New_York", "2026-11-02T10:00");
    new("Ransomware", "Europe/Berlin", "2026-11-20T08:00");
    new("Vendor breach", "America/Chicago", "2026-11-25T09:00");
    let people = fixture("people.csv");
    ok(
        d,
        &[&a[..], &["individuals", "import", "INC-20261102-001", people.to_str().expect("utf8")]]
            .concat(),
    );
    let facts = [
        (
            "INC-20261102-001",
            r#"{"hipaa_role": "covered_entity", "data_types": ["name", "ssn", "medical"], "undeliverable": 12,
               "affected": {"US-CA": 1200, "US-MA": 40, "US-IL": 30, "US-TX": 300},
               "exposure": {"US-CA": {"name+ssn": 1000, "name+medical": 200}, "US-MA": {"name+ssn": 40},
                            "US-IL": {"name+medical": 30}, "US-TX": {"name+ssn": 300}}}"#,
        ),
        (
            "INC-20261120-001",
            r#"{"gdpr_role": "controller", "high_risk": true, "sec_registrant": true, "nydfs_covered": true,
               "nis2_entity": true, "materiality_determined_at": "2026-11-20T08:00",
               "data_types": ["name", "email", "financial_account"], "affected": {"DE": 5000, "GB": 300, "US-NY": 800}}"#,
        ),
        (
            "INC-20261125-001",
            r#"{"hipaa_role": "business_associate", "gdpr_role": "processor", "data_types": ["name", "medical"],
               "affected": {"DE": 40, "US-IL": 20}}"#,
        ),
    ];
    let narrative = fixture("narrative.json");
    for (inc, f) in facts {
        let file = write(d, "facts.json", f);
        ok(d, &[&a[..], &["facts", "set", inc, "--file", &file]].concat());
        ok(
            d,
            &[&a[..], &["notices", "narrative", inc, "--file", narrative.to_str().expect("utf8")]]
                .concat(),
        );
    }
    for (label, recipient) in [("Acme Corp MSA 9.2", "other"), ("Series B investors", "investors")]
    {
        ok(
            d,
            &[
                &a[..],
                &[
                    "obligations",
                    "add",
                    "INC-20261120-001",
                    "--label",
                    label,
                    "--recipient",
                    recipient,
                    "--clock",
                    "hours",
                    "--amount",
                    "48",
                ],
            ]
            .concat(),
        );
    }
    ok(
        d,
        &[&a[..], &["org", "set", "--file", fixture("org.json").to_str().expect("utf8")]].concat(),
    );
    dir
}

/// The sample store through the core, on 3 December 2026 at 15:00 UTC.
fn open(dir: &Path) -> (Breachdesk, Ctx) {
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 15, 0, 0).single().expect("instant");
    let ctx = Ctx::new("Dana Liaison", now).expect("ctx");
    let bd =
        Breachdesk::open(dir, Some(&passphrase()), &MemoryKeyring::default(), now).expect("open");
    (bd, ctx)
}

fn tool(cmd: &str, args: &[&str]) -> (bool, String) {
    let o = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e} (make test installs it)"));
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
    )
}

/// The PDF's text as `pdftotext` reads it, with `qpdf --check` passed first.
fn read_back(bd: &Breachdesk, ctx: &Ctx, n: &Notice, out: &Path) -> String {
    let (_, bytes) = bd.notice_pdf(ctx, &n.id).expect("pdf");
    let pdf = out.join(format!("{}.pdf", n.id));
    std::fs::write(&pdf, bytes).expect("write pdf");
    let p = pdf.to_str().expect("utf8");
    let (good, said) = tool("qpdf", &["--check", p]);
    assert!(good, "{} ({}): qpdf --check: {said}", n.id, n.template_id);
    let (good, text) = tool("pdftotext", &[p, "-"]);
    assert!(good, "pdftotext {p}");
    text
}

/// Drafts (or finds) the notice of `key` on the first sample incident.
fn draft(
    bd: &Breachdesk,
    ctx: &Ctx,
    key: &str,
    person: Option<i64>,
    template: Option<&str>,
) -> Notice {
    let input = DraftInput {
        obligation: key.to_owned(),
        person,
        template: template.map(str::to_owned),
        ..DraftInput::default()
    };
    bd.draft_notice(ctx, "INC-20261102-001", &input).unwrap_or_else(|e| panic!("{key}: {e}"))
}

fn custom_key(bd: &Breachdesk, now: chrono::DateTime<Utc>, recipient: &str) -> String {
    bd.obligations("INC-20261120-001", now)
        .expect("obligations")
        .into_iter()
        .find(|o| o.rule_id.starts_with("CONTRACT-") && o.recipient == recipient)
        .map(|o| o.rule_id)
        .expect("custom obligation")
}

#[test]
fn every_seeded_template_renders_passes_its_checker_and_reads_back_from_the_pdf() {
    let dir = sample();
    let (bd, ctx) = open(dir.path());
    let out = tempfile::tempdir().expect("tmp");
    let (other, investors) =
        (custom_key(&bd, ctx.now, "other"), custom_key(&bd, ctx.now, "investors"));
    // (incident, obligation, person, the template the variant rule must pick, words the PDF must show)
    type Case<'a> = (&'a str, &'a str, Option<i64>, &'a str, Vec<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        (
            "INC-20261102-001",
            "US-CA-individuals",
            Some(1),
            "ca-individual",
            vec![
                "Zoë Łukasiewicz",
                "Notice of Data Breach",
                "What Happened",
                "What Information Was Involved",
                "What We Are Doing",
                "What You Can Do",
                "For More Information",
                "24 months",
            ],
        ),
        (
            "INC-20261102-001",
            "US-MA-individuals",
            Some(2),
            "ma-individual",
            vec!["José Núñez", "police report", "security freeze"],
        ),
        ("INC-20261102-001", "US-IL-individuals", Some(3), "il-individual", vec!["Đặng Thị Mỹ"]),
        (
            "INC-20261102-001",
            "HIPAA-individuals",
            Some(3),
            "hipaa-individual",
            vec!["Đặng Thị Mỹ", "1-888-555-0199"],
        ),
        (
            "INC-20261102-001",
            "HIPAA-individuals",
            Some(4),
            "guardian-individual",
            vec!["Sam Rivers"],
        ),
        ("INC-20261102-001", "HIPAA-individuals", Some(5), "next-of-kin", vec!["Ruth Old"]),
        (
            "INC-20261102-001",
            "US-TX-individuals",
            Some(1),
            "state-individual",
            vec!["Zoë Łukasiewicz"],
        ),
        (
            "INC-20261102-001",
            "HIPAA-substitute-notice",
            None,
            "hipaa-substitute",
            vec!["1-888-555-0199"],
        ),
        ("INC-20261102-001", "HIPAA-media", None, "hipaa-media", vec!["Northwind Health Partners"]),
        (
            "INC-20261102-001",
            "US-TX-attorney_general",
            None,
            "ag-cover",
            vec!["Attorney General", "Jane Sample", "123 Main Street", "Anytown, TX 00000"],
        ),
        (
            "INC-20261120-001",
            "GDPR-supervisory_authority",
            None,
            "gdpr-art33",
            vec!["Nature of the breach", "Likely consequences", "Measures taken or proposed"],
        ),
        (
            "INC-20261102-001",
            "HIPAA-individuals",
            Some(6),
            "hipaa-individual",
            vec!["Lena Vogel", "Köln"],
        ),
        (
            "INC-20261120-001",
            "NIS2-early_warning",
            None,
            "nis2-early-warning",
            vec!["Early warning"],
        ),
        (
            "INC-20261120-001",
            "NIS2-notification",
            None,
            "nis2-notification",
            vec!["Initial assessment"],
        ),
        (
            "INC-20261120-001",
            "NIS2-final",
            None,
            "nis2-final",
            vec!["Type of threat or root cause"],
        ),
        (
            "INC-20261120-001",
            "SEC-8K-1.05",
            None,
            "sec-8k-105",
            vec!["Item 1.05", "financial condition"],
        ),
        (
            "INC-20261120-001",
            "NYDFS-500.17",
            None,
            "nydfs-500-17",
            vec!["Description of the cybersecurity event"],
        ),
        ("INC-20261120-001", &other, None, "b2b-customer", vec!["Acme Corp MSA 9.2"]),
        (
            "INC-20261120-001",
            &investors,
            None,
            "investor-update",
            vec!["Northwind Health Partners"],
        ),
        ("INC-20261125-001", "HIPAA-covered_entity", None, "ba-to-ce", vec!["164.410"]),
        (
            "INC-20261125-001",
            "GDPR-controller",
            None,
            "processor-to-controller",
            vec!["Article 33"],
        ),
    ];
    let mut used = BTreeSet::new();
    for (inc, key, person, template, words) in &cases {
        let n = bd
            .draft_notice(
                &ctx,
                inc,
                &DraftInput {
                    obligation: (*key).to_owned(),
                    person: *person,
                    ..DraftInput::default()
                },
            )
            .unwrap_or_else(|e| panic!("{key} {person:?}: {e}"));
        assert_eq!(&n.template_id, template, "{key} {person:?}: {}", n.variant_reason);
        let blocks: Vec<String> = n
            .report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Block)
            .map(|f| format!("{}: {}", f.element, f.message))
            .collect();
        assert!(n.report.ok && blocks.is_empty(), "{template} for {key}: {blocks:#?}");
        assert!(!n.report.passed.is_empty(), "{template}: no rule applied");
        let text = read_back(&bd, &ctx, &n, out.path());
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for w in words {
            assert!(flat.contains(w), "{template}: {w:?} not in the PDF's text:\n{text}");
        }
        assert!(text.contains(&n.id), "{template}: the footer names the notice");
        if *template == "ag-cover" {
            // The enclosed sample copy is addressed to a specimen: no one on the list appears.
            for real in ["Łukasiewicz", "Núñez", "Rivers", "Ruth Old"] {
                assert!(!flat.contains(real), "the AG's sample names {real}");
            }
        }
        used.insert(n.template_id.clone());
    }
    // The two drafts not picked by the variant rule, by --template.
    for (key, template) in [("US-TX-attorney_general", "ag-cover"), (other.as_str(), "exec-brief")]
    {
        let inc = if template == "exec-brief" { "INC-20261120-001" } else { "INC-20261102-001" };
        let n = bd
            .draft_notice(
                &ctx,
                inc,
                &DraftInput {
                    obligation: key.to_owned(),
                    template: Some(template.to_owned()),
                    amends: None,
                    ..DraftInput::default()
                },
            )
            .unwrap_or_else(|e| panic!("{template}: {e}"));
        assert!(n.report.ok, "{template}: {:?}", n.report.findings);
        used.insert(n.template_id);
    }
    // GDPR Art. 34 and HHS are drafted in the other tests; every other seeded template is here.
    let seeded: BTreeSet<String> = bd
        .templates(&ctx)
        .expect("templates")
        .into_iter()
        .filter(|t| t.meta.kind != breachdesk_core::notices::TemplateKind::Part)
        .map(|t| t.id)
        .collect();
    let missing: Vec<&String> = seeded
        .iter()
        .filter(|t| !used.contains(*t) && !["gdpr-art34", "hhs-worksheet"].contains(&t.as_str()))
        .collect();
    assert!(missing.is_empty(), "not rendered: {missing:?}");
}

#[test]
fn a_massachusetts_letter_states_no_count_and_no_nature_and_names_are_exact() {
    let dir = sample();
    let (bd, ctx) = open(dir.path());
    let out = tempfile::tempdir().expect("tmp");
    let ma = draft(&bd, &ctx, "US-MA-individuals", Some(2), None);
    let text = read_back(&bd, &ctx, &ma, out.path());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    for forbidden in
        ["phishing", "unauthorized", "e-mail account", "40 ", "1,270", "residents were affected"]
    {
        assert!(!flat.contains(forbidden), "the MA letter says {forbidden:?}:\n{text}");
    }
    assert!(flat.contains("josé núñez"), "{text}");
    // The same incident's California letter does describe what happened (the narrative).
    let ca = draft(&bd, &ctx, "US-CA-individuals", Some(1), None);
    let ca_text = read_back(&bd, &ctx, &ca, out.path());
    assert!(ca_text.contains("phishing"), "{ca_text}");
    // GDPR Art. 34 to a person in Germany, on A4.
    let de = draft(&bd, &ctx, "HIPAA-individuals", Some(6), Some("gdpr-art34"));
    assert_eq!(de.paper, breachdesk_core::notices::Paper::A4);
    let de_text = read_back(&bd, &ctx, &de, out.path());
    assert!(de_text.contains("Hauptstraße 5") && de_text.contains("50667 Köln"), "{de_text}");
    // A letter drafted twice is one notice.
    let again = draft(&bd, &ctx, "US-MA-individuals", Some(2), None);
    assert_eq!(again.id, ma.id);
    assert_eq!(again.pdf_sha256, ma.pdf_sha256);
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

#[test]
fn the_cli_drafts_blocks_approves_voids_sends_and_files_with_proof() {
    let dir = sample();
    let d = dir.path();
    fn with_actor<'a>(args: &[&'a str]) -> Vec<&'a str> {
        [&["--actor", "Dana Liaison"][..], args].concat()
    }
    let a = with_actor;
    // Bad input names what is wrong, and writes nothing.
    let o = cli(d, &a(&["notices", "draft", "INC-20261102-001", "US-ZZ-individuals"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("US-ZZ-individuals"), "{}", o.stderr);
    let bad = write(d, "bad.j2", "{#---\nid = \"hhs-worksheet\"\ntitle = \"T\"\nkind = \"regulator\"\nobligations = [\"HIPAA-hhs\"]\n---#}\n# T\n\n{% if narrative.what_happened %}\nunclosed\n");
    let o = cli(d, &a(&["templates", "add", "--file", &bad]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("line 9, column 33"), "names the line and column: {}", o.stderr);
    let typo = write(d, "typo.j2", "{#---\nid = \"typo\"\ntitle = \"T\"\nkind = \"regulator\"\nobligations = [\"HIPAA-hhs\"]\n---#}\n# T\n\n{{ narrative.what_hapened }}\n");
    ok(d, &a(&["templates", "add", "--file", &typo]));
    let o =
        cli(d, &a(&["notices", "draft", "INC-20261102-001", "HIPAA-hhs", "--template", "typo"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("narrative.what_hapened") && o.stderr.contains("unknown placeholder"),
        "{}",
        o.stderr
    );
    let org = write(
        d,
        "org.json",
        r#"{"legal_name": "X", "address": {"line1": "1 Main", "city": "", "postal_code": "1", "country": "US", "state": "CA"}, "phone": "1", "email": "a@b.c", "website": "w", "signatory": {"name": "N", "title": "T"}}"#,
    );
    let o = cli(d, &a(&["org", "set", "--file", &org]));
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("address.city"), "{}", o.stderr);
    assert!(
        json(&ok(d, &a(&["--json", "notices", "list", "INC-20261102-001"])))
            .as_array()
            .expect("list")
            .is_empty(),
        "nothing half-written"
    );

    // The HHS worksheet: blocked until individual notice is dated.
    let templates = json(&ok(d, &a(&["--json", "templates", "list"])));
    assert!(templates
        .as_array()
        .expect("list")
        .iter()
        .any(|t| t["id"] == "hhs-worksheet" && t["kind"] == "regulator"));
    let n = json(&ok(d, &a(&["--json", "notices", "draft", "INC-20261102-001", "HIPAA-hhs"])));
    let id = n["id"].as_str().expect("id").to_owned();
    assert!(id.starts_with("NTC-"));
    let check = json(&ok(d, &a(&["--json", "notices", "check", &id])));
    assert_eq!(check["ok"], false);
    let finding = &check["findings"][0];
    for k in ["element", "severity", "citation", "message"] {
        assert!(finding[k].is_string(), "{k}: {finding}");
    }
    assert_eq!(finding["element"], "hipaa.hhs.individual_notice_date");
    let o = cli(d, &a(&["notices", "approve", &id, "--by", "Pat Compliance"]));
    assert_eq!(o.code, 1, "a BLOCK stops approval");
    assert!(
        o.stderr.contains("hipaa.hhs.individual_notice_date") && o.stderr.contains("164.408"),
        "{}",
        o.stderr
    );

    // Fix it (the individual notices went out through a mail vendor), approve.
    let mut narrative = json(&std::fs::read_to_string(fixture("narrative.json")).expect("read"));
    narrative["individual_notice_dates"] = "December 1, 2026".into();
    let nf = write(d, "narrative.json", &narrative.to_string());
    ok(d, &a(&["notices", "narrative", "INC-20261102-001", "--file", &nf]));
    let check = json(&ok(d, &a(&["--json", "notices", "check", &id])));
    assert_eq!(check["ok"], true, "{check}");
    let approved =
        json(&ok(d, &a(&["--json", "notices", "approve", &id, "--by", "Pat Compliance"])));
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["approved_by"], "Pat Compliance");
    let pdf = PathBuf::from(write(d, "hhs.pdf", ""));
    ok(d, &a(&["notices", "render", &id, "-o", pdf.to_str().expect("utf8")]));
    let bytes = std::fs::read(&pdf).expect("pdf");
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    assert_eq!(approved["pdf_sha256"], sha, "the approval binds the exact PDF");

    // An edit of the template after approval voids it; approving again binds the new PDF.
    let src = json(&ok(d, &a(&["--json", "templates", "show", "hhs-worksheet"])))["source"]
        .as_str()
        .expect("src")
        .to_owned();
    let edited = write(
        d,
        "hhs.j2",
        &src.replace("# HHS Breach Portal Worksheet", "# HHS Breach Portal Worksheet (revised)"),
    );
    assert_eq!(
        json(&ok(d, &a(&["--json", "templates", "add", "--file", &edited])))["version"],
        2,
        "the seed is version 1"
    );
    let listed = json(&ok(d, &a(&["--json", "notices", "list", "INC-20261102-001"])));
    assert_eq!(listed[0]["status"], "draft", "the list shows the voided approval too: {listed}");
    let shown = json(&ok(d, &a(&["--json", "notices", "show", &id])));
    assert_eq!(shown["status"], "draft", "{shown}");
    assert!(shown["events"].as_array().expect("events").iter().any(|e| e["event"] == "voided"));
    let o = cli(
        d,
        &a(&[
            "notices",
            "sent",
            &id,
            "--at",
            "2026-12-02T09:00",
            "--channel",
            "portal",
            "--reference",
            "X",
        ]),
    );
    assert_eq!(o.code, 1, "a voided approval cannot be sent");
    ok(d, &a(&["notices", "approve", &id, "--by", "Pat Compliance"]));

    // Sent through the portal with its receipt; the obligation is filed.
    let receipt =
        write(d, "receipt.txt", "OCR breach portal: submission received. Transaction 4471-2026.");
    let sent = json(&ok(
        d,
        &a(&[
            "--json",
            "notices",
            "sent",
            &id,
            "--at",
            "2026-12-02T09:00",
            "--channel",
            "portal",
            "--reference",
            "4471-2026",
            "--proof",
            &receipt,
        ]),
    ));
    assert_eq!(sent["status"], "sent");
    let ev = sent["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["event"] == "sent")
        .expect("sent event")
        .clone();
    assert_eq!(ev["reference"], "4471-2026");
    assert_eq!(
        ev["proofs"][0]["sha256"],
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(std::fs::read(&receipt).expect("read")))
    );
    let obligations = ok(d, &["--json", "obligations", "list", "INC-20261102-001"]);
    let hhs = json(&obligations)
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["rule_id"] == "HIPAA-hhs")
        .expect("hhs")
        .clone();
    assert_eq!(hhs["filings"][0]["reference"], "4471-2026", "{hhs}");
    assert!(hhs["frozen_at"].is_string());
    let list = json(&ok(d, &a(&["--json", "notices", "list", "INC-20261102-001"])));
    assert_eq!(list.as_array().expect("list").len(), 1);
    let timeline = ok(d, &["timeline", "list", "INC-20261102-001"]);
    assert!(timeline.contains(&format!("Notice {id} (HIPAA-hhs) sent by portal")), "{timeline}");
    // A sent notice is never changed: drafting again asks for an amendment.
    let o = cli(d, &a(&["notices", "draft", "INC-20261102-001", "HIPAA-hhs"]));
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("--amends"), "{}", o.stderr);
    let addendum = json(&ok(
        d,
        &a(&["--json", "notices", "draft", "INC-20261102-001", "HIPAA-hhs", "--amends", &id]),
    ));
    assert_eq!(addendum["amends"], id.as_str());
    assert_eq!(addendum["status"], "draft");
    // Nothing of the letters is on disk in plain text.
    for (path, bytes) in crate::support::files(d) {
        assert!(
            !crate::support::contains(&bytes, "Łukasiewicz".as_bytes()),
            "{} holds a name in plain text",
            path.display()
        );
        assert!(
            !crate::support::contains(&bytes, b"4471-2026"),
            "{} holds the reference in plain text",
            path.display()
        );
    }
}
