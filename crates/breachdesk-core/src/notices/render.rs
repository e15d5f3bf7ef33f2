//! From a template and its data to a checked PDF: render the template (minijinja), read the
//! markup, lay out the pages, check the laid-out text against the notice rules, write the PDF.

use super::org::OrgProfile;
use super::templates::{self, Template};
use super::{context, sha256_hex};
use crate::{Error, Result};
use breachdesk_docs::check::{Report, Subject};
use breachdesk_docs::fonts::Face;
use breachdesk_docs::layout::{Laid, Role};
use breachdesk_docs::{layout, markup, pdf, Letterhead, Paper};
use chrono::NaiveDate;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Changes whenever the same inputs would lay out differently: part of every content hash.
pub(crate) const ENGINE: &str = "breachdesk-notices/1";

/// Everything one rendering reads.
pub(crate) struct Job<'a> {
    pub template: &'a Template,
    pub parts: &'a BTreeMap<String, String>,
    pub context: &'a Value,
    pub paper: Paper,
    pub org: &'a OrgProfile,
    pub logo: Option<&'a [u8]>,
    pub notice_id: &'a str,
    pub obligation_key: &'a str,
    pub residence: Option<&'a str>,
    pub data_types: &'a [String],
    pub dated: NaiveDate,
}

/// A rendering: the PDF, its text and what the checker found.
pub(crate) struct Rendered {
    pub text: String,
    pub pdf: Vec<u8>,
    pub pdf_sha256: String,
    pub content_sha256: String,
    pub report: Report,
    pub pages: usize,
    pub laid: Laid,
}

/// The SHA-256 of everything that decides a notice's content: the engine, the rules, the
/// template version and the parts, the paper, the data, the logo. (The PDF's own bytes carry
/// random identifiers, so the approval binds both this and the PDF's hash.)
pub(crate) fn content_hash(job: &Job<'_>) -> String {
    let mut h = Sha256::new();
    h.update(ENGINE);
    for (name, text) in RULE_FILES {
        h.update(name);
        h.update(text);
    }
    h.update(format!("{}@{}:{}", job.template.id, job.template.version, job.template.sha256));
    for (id, src) in job.parts {
        h.update(id);
        h.update(sha256_hex(src.as_bytes()));
    }
    h.update(job.paper.name());
    h.update(job.context.to_string());
    h.update(job.logo.map(sha256_hex).unwrap_or_default());
    hex::encode(h.finalize())
}

/// The notice rules (`rules/notices/*.toml`), compiled in: `(file name, text)`.
pub(crate) const RULE_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/notice_rules.rs"));

/// The rule book built into this program (loaded once).
pub(crate) fn rule_book() -> Result<&'static breachdesk_docs::RuleBook> {
    static BOOK: std::sync::OnceLock<std::result::Result<breachdesk_docs::RuleBook, String>> =
        std::sync::OnceLock::new();
    BOOK.get_or_init(|| breachdesk_docs::RuleBook::load(RULE_FILES))
        .as_ref()
        .map_err(|e| Error::RuleData(e.clone()))
}

/// The letterhead: the organisation's name, address and contacts, and its logo.
pub(crate) fn letterhead(o: &OrgProfile, logo: Option<&[u8]>) -> Letterhead {
    let mut phones = vec![o.phone.clone()];
    if let Some(t) = o.toll_free.as_ref().filter(|t| !t.trim().is_empty()) {
        phones.push(format!("Toll-free {t}"));
    }
    Letterhead {
        name: o.legal_name.clone(),
        lines: vec![
            context::org_lines(o).join(" · "),
            phones.join(" · "),
            format!("{} · {}", o.website, o.email),
        ],
        logo_px: logo.and_then(super::org::png_size),
    }
}

/// Renders, lays out, checks and writes one notice.
///
/// # Errors
/// [`Error::Validation`]: a template error (the field, or the line and column), a markup error,
/// a character the fonts lack, a logo that does not decode.
pub(crate) fn run(job: &Job<'_>) -> Result<Rendered> {
    let text = templates::render(&job.template.id, &job.template.source, job.parts, job.context)?;
    let blocks = markup::parse(&text).map_err(|e| {
        Error::validation("template", format!("{} v{}: {e}", job.template.id, job.template.version))
    })?;
    let o = job.org;
    let head = letterhead(o, job.logo);
    let footer = format!("{} · {}", o.legal_name, job.notice_id);
    let laid = layout(&blocks, job.paper, &head, &footer)
        .map_err(|e| Error::validation("template", e.to_string()))?;
    let truthy = |p: &str| context::truthy(job.context, p);
    let date = job.dated.format("%Y-%m-%d").to_string();
    let report = rule_book()?.check(
        &laid,
        &Subject {
            obligation: job.obligation_key,
            residence: job.residence,
            data_types: job.data_types,
            date: &date,
            truthy: &truthy,
        },
    );
    let title = blocks
        .iter()
        .find_map(|b| if let markup::Block::Title(s) = b { Some(markup::plain(s)) } else { None })
        .unwrap_or_else(|| job.template.meta.title.clone());
    let created = job.dated.and_hms_opt(12, 0, 0).map_or(0, |d| d.and_utc().timestamp());
    let info = pdf::Info {
        title,
        author: o.legal_name.clone(),
        subject: job.obligation_key.to_owned(),
        created_unix: created,
    };
    let bytes = pdf::write(&laid, &info, job.logo).map_err(|e| Error::validation("logo", e.0))?;
    Ok(Rendered {
        text: plain_text(&laid),
        pdf_sha256: sha256_hex(&bytes),
        pdf: bytes,
        content_sha256: content_hash(job),
        report,
        pages: laid.pages.len(),
        laid,
    })
}

/// The notice's text as drawn, page by page (what `pdftotext` reads back).
pub(crate) fn plain_text(laid: &Laid) -> String {
    let mut out = String::new();
    for (k, page) in laid.pages.iter().enumerate() {
        if k > 0 {
            out.push('\u{c}');
        }
        let mut last = None;
        for r in &page.runs {
            if last.is_some() && last != Some((r.line, r.role == Role::Footer)) {
                out.push('\n');
            } else if out.ends_with('•') || r.role == Role::Footer {
                // A bullet and its text, the footer's two ends: apart on paper, apart in text.
                out.push_str(if r.role == Role::Footer { "   " } else { " " });
            }
            out.push_str(&r.text);
            last = Some((r.line, r.role == Role::Footer));
        }
        out.push('\n');
    }
    out
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for (i, shift) in [18, 12, 6, 0].iter().enumerate() {
            if i <= c.len() {
                out.push(char::from(A[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The pages as SVG, for the app's preview: the same runs at the same places as the PDF.
pub(crate) fn svg_pages(laid: &Laid, logo: Option<&[u8]>) -> Vec<String> {
    let (w, h) = laid.paper.size();
    laid.pages
        .iter()
        .map(|p| {
            let mut s = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}"><rect width="100%" height="100%" fill="white"/>"#);
            for &(x1, x2, y) in &p.rules {
                s.push_str(&format!(r##"<line x1="{x1}" x2="{x2}" y1="{0}" y2="{0}" stroke="#8c8c8c" stroke-width="0.6"/>"##, h - y));
            }
            if let (Some((x, y, lw, lh)), Some(png)) = (p.logo, logo) {
                s.push_str(&format!(r#"<image x="{x}" y="{}" width="{lw}" height="{lh}" href="data:image/png;base64,{}"/>"#, h - y - lh, base64(png)));
            }
            for r in &p.runs {
                let (family, weight) = match r.face {
                    Face::Body => ("DejaVu Serif, serif", "normal"),
                    Face::Bold => ("DejaVu Serif, serif", "bold"),
                    Face::Heading => ("DejaVu Sans, sans-serif", "bold"),
                };
                s.push_str(&format!(
                    r#"<text x="{}" y="{}" font-family="{family}" font-weight="{weight}" font-size="{}" xml:space="preserve">{}</text>"#,
                    r.x, h - r.y, r.size, xml(&r.text)
                ));
            }
            s.push_str("</svg>");
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_rules_load() {
        let book = super::rule_book().expect("rules/notices loads");
        let (rules, phrases) = book.size();
        assert!(rules > 250 && phrases > 90, "{rules} rules, {phrases} phrases");
    }

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (i, o) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")]
        {
            assert_eq!(super::base64(i.as_bytes()), o);
        }
    }
}
