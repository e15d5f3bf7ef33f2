//! The letters benchmark (`breachdesk bench letters`): generated people merged into one-page
//! letters through the merge's own path — the template rendered per person, the markup read, the
//! page laid out (on two threads), the pages streamed into print files of 5,000 letters — against
//! a baseline measured in the same run: the plain printpdf page loop making the same letters
//! (same template, same layout) into one document. Figures are printed, never asserted.
//!
//! The baseline keeps its whole document in memory until it saves, so it runs on at most 10,000
//! letters; the rates compare per letter. Peak memory is the process's VmHWM, reset before each.

use super::letters::{LetterRow, LetterStatus};
use super::merge::{print_letters, Job, Renderer};
use super::org::OrgProfile;
use super::templates::Compiled;
use crate::individuals::bench::{peak_rss_mb, reset_peak};
use crate::individuals::Individual;
use crate::obligations::IncidentFacts;
use crate::{Error, Result};
use breachdesk_docs::stream::PdfStream;
use breachdesk_docs::{pdf, Letterhead, Paper};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// Letters per print file.
const BATCH: usize = 5_000;
/// The baseline's most letters (printpdf holds its document in memory).
const BASELINE_MAX: u64 = 10_000;

const TEMPLATE: &str = r"@ {{ person.full_name }}
{% for l in person.address_lines -%}
@ {{ l }}
{% endfor %}

{{ notice.date }}

# Notice of Data Breach

Dear {{ person.full_name }}:

{{ org.legal_name }} is writing to tell you about a data security incident that may have involved some of your personal information. On November 2, 2026 we learned that an unauthorized person had gained access to one employee's e-mail account; we disabled the account at once and began an investigation with outside experts.

## What You Can Do

Review your account statements and your free credit reports. Your activation code for two years of credit monitoring at no cost is **{{ notice.activation_code }}**; enroll by March 31, 2027. Call us toll-free at {{ org.toll_free }} with any question.

Sincerely,

| {{ org.signatory.name }}
| {{ org.signatory.title }}
| {{ org.legal_name }}
";

/// What the benchmark measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LettersBench {
    pub letters: u64,
    pub pages: u64,
    pub files: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub letters_per_s: f64,
    pub peak_rss_mb: Option<f64>,
    pub baseline_letters: u64,
    pub baseline_seconds: f64,
    pub baseline_letters_per_s: f64,
    pub baseline_peak_rss_mb: Option<f64>,
    /// letters/s ÷ baseline letters/s
    pub ratio: f64,
}

fn org() -> OrgProfile {
    #[allow(clippy::expect_used)]
    serde_json::from_value(serde_json::json!({
        "legal_name": "Northwind Health Partners, Inc.",
        "address": {"line1": "500 Market Street", "line2": "Suite 1200", "city": "San Francisco", "state": "CA", "postal_code": "94105", "country": "US"},
        "phone": "(415) 555-0142", "toll_free": "1-888-555-0199", "email": "privacy@northwind.example",
        "website": "www.northwind.example", "signatory": {"name": "Maria Chen", "title": "Chief Privacy Officer"}
    }))
    .expect("the benchmark's organisation reads")
}

/// A generated person: no one's information.
fn person(k: u64) -> Individual {
    const FIRST: [&str; 8] = ["Zoë", "José", "Đặng", "Ana", "Liam", "Noah", "Mia", "Ava"];
    const LAST: [&str; 8] =
        ["Łukasiewicz", "Núñez", "Thị Mỹ", "Brown", "García", "Johnson", "Lee", "Okafor"];
    const STATES: [(&str, &str); 5] =
        [("CA", "90012"), ("MA", "02110"), ("IL", "60601"), ("TX", "78701"), ("NY", "10001")];
    let (st, zip) = STATES[usize::try_from(k % 5).unwrap_or(0)];
    let i = usize::try_from(k % 8).unwrap_or(0);
    let j = usize::try_from((k / 8) % 8).unwrap_or(0);
    Individual {
        id: i64::try_from(k + 1).unwrap_or(i64::MAX),
        external_id: None,
        full_name: format!("{} {}", FIRST[i], LAST[j]),
        email: None,
        phone: None,
        address1: Some(format!("{} Main Street", 100 + k % 9_000)),
        address2: None,
        city: Some("Springfield".into()),
        region: Some(st.into()),
        postal_code: Some(zip.into()),
        country: Some("US".into()),
        dob: None,
        residence: Some(format!("US-{st}")),
        residence_source: None,
        minor: false,
        deceased: false,
        guardian: None,
        no_postal: false,
        no_email: true,
        email_consent: false,
        data_elements: vec!["name".into(), "ssn".into()],
        batch_id: String::new(),
        source_row: 0,
        residence_conflict: false,
        addressee: String::new(),
    }
}

fn letter(k: u64) -> LetterRow {
    LetterRow {
        id: format!("BENCH000{:08}", k + 1),
        notice_id: "NTC-BENCH000".into(),
        record: i64::try_from(k + 1).unwrap_or(0),
        seq: i64::try_from(k + 1).unwrap_or(0),
        template_id: "bench-letter".into(),
        template_version: 1,
        variant_reason: String::new(),
        channel: "mail".into(),
        addressee: String::new(),
        address_block: String::new(),
        zip: String::new(),
        code: Some(format!("EXP{k:07}")),
        pages: None,
        file: None,
        run_id: None,
        status: LetterStatus::Queued,
        status_at: String::new(),
        reason: None,
        next_of_kin: false,
        remails: 0,
    }
}

fn base(org: &OrgProfile) -> serde_json::Value {
    serde_json::json!({
        "org": org, "incident": {}, "facts": {}, "narrative": {}, "obligation": {},
        "notice": {"id": "NTC-BENCH000", "date": "December 3, 2026", "letter_id": null, "activation_code": null},
    })
}

fn head(org: &OrgProfile) -> Letterhead {
    super::render::letterhead(org, None)
}

/// Runs the benchmark: `rows` letters into print files under `dir`.
///
/// # Errors
/// A template or layout error (none expected), [`Error::Io`] writing the files.
pub fn run(rows: u64, dir: &Path, say: &mut dyn FnMut(&str)) -> Result<LettersBench> {
    let org = org();
    let facts = IncidentFacts::default();
    let mut compiled = HashMap::new();
    compiled.insert(
        ("bench-letter".to_owned(), 1),
        Compiled::new("bench-letter", TEMPLATE, &Default::default())?,
    );
    let renderer = Renderer::new(compiled, &base(&org), head(&org), Paper::Letter, &org, &facts);
    let info = |name: &str| pdf::Info {
        title: name.into(),
        author: org.legal_name.clone(),
        subject: "bench".into(),
        created_unix: 1_764_763_200,
    };

    // Breachdesk's merge: files of 5,000 letters.
    say(&format!("merging {rows} one-page letters into print files of {BATCH}…"));
    reset_peak();
    let started = Instant::now();
    let (mut pages, mut files, mut bytes) = (0u64, 0usize, 0u64);
    let mut k = 0u64;
    while k < rows {
        let n = (rows - k).min(BATCH as u64);
        let people: Vec<Individual> = (k..k + n).map(person).collect();
        let mut letters: Vec<LetterRow> = (k..k + n).map(letter).collect();
        for (l, p) in letters.iter_mut().zip(&people) {
            l.address_block = super::context::address_lines(p, &org).join("\n");
        }
        let jobs: Vec<Job<'_>> =
            letters.iter().zip(&people).map(|(letter, person)| Job { letter, person }).collect();
        let path = dir.join(format!("bench-print-{:03}.pdf", files + 1));
        let file = std::fs::File::create(&path).map_err(|e| crate::files::disk(&path, e))?;
        let mut out = PdfStream::new(
            std::io::BufWriter::with_capacity(1 << 20, file),
            Paper::Letter,
            &info("bench"),
            None,
        )
        .map_err(|e| crate::files::disk(&path, e))?;
        print_letters(&renderer, &jobs, &mut out, &path, &mut |_| true)?;
        let (_, p) = out.finish().map_err(|e| crate::files::disk(&path, e))?;
        if p as u64 != n {
            return Err(Error::Internal(format!(
                "{p} pages for {n} one-page letters: the bench letter no longer fits one page"
            )));
        }
        pages += p as u64;
        bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        files += 1;
        k += n;
    }
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss_mb();

    // The baseline: the plain printpdf page loop, the same letters into one document.
    let baseline_letters = rows.min(BASELINE_MAX);
    say(&format!("baseline: {baseline_letters} letters through the plain printpdf page loop…"));
    reset_peak();
    let started = Instant::now();
    let mut all = breachdesk_docs::Laid { paper: Paper::Letter, pages: Vec::new() };
    for k in 0..baseline_letters {
        let p = person(k);
        let mut l = letter(k);
        l.address_block = super::context::address_lines(&p, &org).join("\n");
        let (_, laid) = renderer.lay(&Job { letter: &l, person: &p })?;
        all.pages.extend(laid.pages);
    }
    let bytes_b = pdf::write(&all, &info("baseline"), None).map_err(|e| Error::Internal(e.0))?;
    let path = dir.join("baseline.pdf");
    std::fs::write(&path, &bytes_b).map_err(|e| crate::files::disk(&path, e))?;
    let baseline_seconds = started.elapsed().as_secs_f64();
    let baseline_peak = peak_rss_mb();
    #[allow(clippy::cast_precision_loss)]
    let (rate, rate_b) =
        (rows as f64 / seconds.max(1e-9), baseline_letters as f64 / baseline_seconds.max(1e-9));
    Ok(LettersBench {
        letters: rows,
        pages,
        files,
        bytes,
        seconds,
        letters_per_s: rate,
        peak_rss_mb: peak,
        baseline_letters,
        baseline_seconds,
        baseline_letters_per_s: rate_b,
        baseline_peak_rss_mb: baseline_peak,
        ratio: rate / rate_b.max(1e-9),
    })
}
