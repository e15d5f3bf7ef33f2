//! The content checker. It reads the notice as laid out for the PDF (the text of every run, in
//! reading order, with its role and font size) — never the template source — against the rules
//! in `rules/notices/*.toml`: dated, cited data with a severity each.

use crate::layout::{Laid, Role};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[ts(rename = "FindingSeverity")]
pub enum Severity {
    /// Approval is refused while it stands.
    #[serde(rename = "BLOCK")]
    Block,
    /// Needs a look; does not stop approval.
    #[serde(rename = "WARN")]
    Warn,
    #[serde(rename = "INFO")]
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "FindingConfidence")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

/// One failed rule, as the user reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Finding {
    /// The rule's element id (`ca.title`).
    pub element: String,
    /// What the element is, in words.
    pub label: String,
    pub severity: Severity,
    pub citation: String,
    pub source_url: String,
    pub confidence: Confidence,
    /// What is wrong and what to do.
    pub message: String,
}

/// What the checker found: `ok` unless a BLOCK finding stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Report {
    pub ok: bool,
    pub findings: Vec<Finding>,
    /// The element ids of the rules that applied and passed.
    pub passed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    phrase: Vec<PhraseDef>,
    #[serde(default)]
    rule: Vec<RuleDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseDef {
    id: String,
    pattern: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    severity: Severity,
    element: String,
    message: String,
    citation: String,
    source_url: String,
    confidence: Confidence,
    effective_from: Option<String>,
    effective_to: Option<String>,
    obligations: Vec<String>,
    residence: Option<Vec<String>>,
    when: Option<When>,
    test: Test,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct When {
    data_any: Option<Vec<String>>,
    context: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Test {
    title: Option<String>,
    heading: Option<String>,
    heading_order: Option<Vec<String>>,
    phrase: Option<String>,
    all: Option<Vec<String>>,
    any: Option<Vec<String>>,
    forbid: Option<String>,
    section: Option<String>,
    date_or_unknown: Option<bool>,
    near: Option<String>,
    min_months: Option<u32>,
    font_min: Option<f32>,
    no_placeholder: Option<bool>,
    no_identifier_values: Option<bool>,
    min_words: Option<usize>,
}

impl Test {
    fn kinds(&self) -> usize {
        [
            self.title.is_some(),
            self.heading.is_some(),
            self.heading_order.is_some(),
            self.phrase.is_some() && self.min_months.is_none(),
            self.all.is_some(),
            self.any.is_some(),
            self.forbid.is_some(),
            self.date_or_unknown.is_some(),
            self.min_months.is_some(),
            self.font_min.is_some(),
            self.no_placeholder.is_some(),
            self.no_identifier_values.is_some(),
            self.min_words.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }

    fn phrases(&self) -> Vec<&String> {
        let mut v: Vec<&String> = Vec::new();
        v.extend(self.phrase.iter());
        v.extend(self.forbid.iter());
        v.extend(self.near.iter());
        v.extend(self.all.iter().flatten());
        v.extend(self.any.iter().flatten());
        v
    }
}

/// The rule set, loaded and checked.
#[derive(Debug)]
pub struct RuleBook {
    phrases: BTreeMap<String, Regex>,
    rules: Vec<RuleDef>,
}

/// The notice the rules are applied to.
pub struct Subject<'a> {
    /// The obligation key the notice answers (`US-CA-individuals`).
    pub obligation: &'a str,
    /// The addressee's residence (`US-MA`), for letters to a person.
    pub residence: Option<&'a str>,
    /// The data elements exposed: the person's, or the incident's.
    pub data_types: &'a [String],
    /// The notice's date, `YYYY-MM-DD`: rules not in force on it do not apply.
    pub date: &'a str,
    /// Whether a render-context path (`narrative.monitoring`) holds a value.
    pub truthy: &'a dyn Fn(&str) -> bool,
}

/// A glob with `*` over an obligation key.
#[must_use]
pub fn glob(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let mut rest = s;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(p) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            match rest.find(p) {
                Some(k) => rest = &rest[k + p.len()..],
                None => return false,
            }
        }
    }
    true
}

fn builtin(re: &str) -> Regex {
    #[allow(clippy::expect_used)]
    Regex::new(re).expect("a valid built-in pattern")
}

impl RuleBook {
    /// Loads `(file name, TOML)` pairs.
    ///
    /// # Errors
    /// A message naming the file and the rule or phrase: a TOML error, a pattern that does not
    /// compile, a test with no or two kinds, an unknown phrase, a duplicate id, a bad date.
    pub fn load(files: &[(&str, &str)]) -> Result<RuleBook, String> {
        let mut phrases = BTreeMap::new();
        let mut rules: Vec<RuleDef> = Vec::new();
        let mut ids = BTreeSet::new();
        for (name, text) in files {
            let f: File = toml::from_str(text).map_err(|e| format!("rules/notices/{name}: {e}"))?;
            for p in f.phrase {
                let re = Regex::new(&format!("(?i){}", p.pattern))
                    .map_err(|e| format!("rules/notices/{name}: phrase {}: {e}", p.id))?;
                if phrases.insert(p.id.clone(), re).is_some() {
                    return Err(format!("rules/notices/{name}: phrase {} is defined twice", p.id));
                }
            }
            for r in f.rule {
                if !ids.insert(r.id.clone()) {
                    return Err(format!("rules/notices/{name}: rule {} is defined twice", r.id));
                }
                if r.test.kinds() != 1 {
                    return Err(format!(
                        "rules/notices/{name}: rule {}: `test` must hold exactly one test",
                        r.id
                    ));
                }
                for d in [&r.effective_from, &r.effective_to].into_iter().flatten() {
                    let ok = d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-';
                    if !ok {
                        return Err(format!(
                            "rules/notices/{name}: rule {}: date {d:?} is not YYYY-MM-DD",
                            r.id
                        ));
                    }
                }
                if r.obligations.is_empty() {
                    return Err(format!(
                        "rules/notices/{name}: rule {}: `obligations` is empty",
                        r.id
                    ));
                }
                rules.push(r);
            }
        }
        for need in ["PF.DATE", "PF.UNKNOWN"] {
            if !phrases.contains_key(need) {
                return Err(format!("rules/notices: the phrase family {need} is missing"));
            }
        }
        for r in &rules {
            for p in r.test.phrases() {
                if !phrases.contains_key(p) {
                    return Err(format!("rule {}: unknown phrase family {p}", r.id));
                }
            }
        }
        Ok(RuleBook { phrases, rules })
    }

    /// How many rules and phrase families the book holds.
    #[must_use]
    pub fn size(&self) -> (usize, usize) {
        (self.rules.len(), self.phrases.len())
    }

    fn applies(r: &RuleDef, s: &Subject<'_>) -> bool {
        if r.effective_from.as_deref().is_some_and(|f| s.date < f)
            || r.effective_to.as_deref().is_some_and(|t| s.date >= t)
        {
            return false;
        }
        if !r.obligations.iter().any(|g| glob(g, s.obligation)) {
            return false;
        }
        if let Some(res) = &r.residence {
            match s.residence {
                Some(x) if res.iter().any(|g| glob(g, x)) => {}
                _ => return false,
            }
        }
        if let Some(w) = &r.when {
            if let Some(any) = &w.data_any {
                if !any.iter().any(|d| s.data_types.contains(d)) {
                    return false;
                }
            }
            if let Some(path) = &w.context {
                if !(s.truthy)(path) {
                    return false;
                }
            }
        }
        true
    }

    /// Checks a laid-out notice.
    #[must_use]
    pub fn check(&self, laid: &Laid, s: &Subject<'_>) -> Report {
        let doc = Doc::of(laid);
        let mut findings = Vec::new();
        let mut passed = Vec::new();
        for r in self.rules.iter().filter(|r| Self::applies(r, s)) {
            match self.run(&r.test, &doc) {
                Ok(()) => passed.push(r.id.clone()),
                Err(why) => findings.push(Finding {
                    element: r.id.clone(),
                    label: r.element.clone(),
                    severity: r.severity,
                    citation: r.citation.clone(),
                    source_url: r.source_url.clone(),
                    confidence: r.confidence,
                    message: format!("{} {why}", r.message),
                }),
            }
        }
        findings.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.element.cmp(&b.element)));
        Report { ok: !findings.iter().any(|f| f.severity == Severity::Block), findings, passed }
    }

    fn re(&self, id: &str) -> &Regex {
        // Every referenced phrase was checked at load.
        &self.phrases[id]
    }

    fn run(&self, t: &Test, doc: &Doc) -> Result<(), String> {
        let scope = match &t.section {
            Some(name) => match doc.section(name) {
                Some(text) => text,
                // Nothing can be forbidden under a heading the notice does not have.
                None if t.forbid.is_some() => return Ok(()),
                None => return Err(format!("(No heading “{name}” was found.)")),
            },
            None => doc.all.clone(),
        };
        if let Some(title) = &t.title {
            let first = doc.blocks.iter().find(|b| matches!(b.0, Role::Title | Role::Heading));
            return match first {
                Some((_, text)) if same(text, title) => Ok(()),
                Some((_, text)) => Err(format!("(The title reads “{text}”.)")),
                None => Err("(The notice has no title.)".into()),
            };
        }
        if let Some(h) = &t.heading {
            return if doc.headings().iter().any(|x| same(x, h)) {
                Ok(())
            } else {
                Err(format!("(No heading “{h}”.)"))
            };
        }
        if let Some(order) = &t.heading_order {
            let hs = doc.headings();
            let pos: Vec<(usize, &String)> = order
                .iter()
                .filter_map(|o| hs.iter().position(|x| same(x, o)).map(|p| (p, o)))
                .collect();
            return match pos.windows(2).find(|w| w[0].0 > w[1].0) {
                None => Ok(()),
                Some(w) => Err(format!("(“{}” comes after “{}”.)", w[0].1, w[1].1)),
            };
        }
        if let Some(p) = &t.phrase {
            if let Some(n) = t.min_months {
                return months_near(self.re(p), &scope, n);
            }
            return if self.re(p).is_match(&scope) { Ok(()) } else { Err(String::new()) };
        }
        if let Some(all) = &t.all {
            let missing: Vec<&String> =
                all.iter().filter(|p| !self.re(p).is_match(&scope)).collect();
            return if missing.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "(Not found: {}.)",
                    missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ))
            };
        }
        if let Some(any) = &t.any {
            return if any.iter().any(|p| self.re(p).is_match(&scope)) {
                Ok(())
            } else {
                Err(String::new())
            };
        }
        if let Some(p) = &t.forbid {
            let body = match &t.section {
                Some(_) => scope,
                None => doc.body.clone(),
            };
            return match self.re(p).find(&body) {
                None => Ok(()),
                Some(m) => Err(format!("(Found: “{}”.)", m.as_str())),
            };
        }
        if t.date_or_unknown == Some(true) {
            let (date, unknown) = (self.re("PF.DATE"), self.re("PF.UNKNOWN"));
            let ok = match &t.near {
                None => date.is_match(&scope) || unknown.is_match(&scope),
                Some(near) => self.re(near).find_iter(&scope).any(|m| {
                    let w = window(&scope, m.start(), m.end(), 200);
                    date.is_match(w) || unknown.is_match(w)
                }),
            };
            return if ok {
                Ok(())
            } else {
                Err("(No date, and no statement that it is not yet known.)".into())
            };
        }
        if let Some(min) = t.font_min {
            return match doc.sizes.iter().copied().find(|s| *s + 0.001 < min) {
                None => Ok(()),
                Some(s) => Err(format!("(Text is set at {s} pt.)")),
            };
        }
        if t.no_placeholder == Some(true) {
            let re = builtin(
                r"\{\{[^}]*\}\}|\{%|\[\s*[A-Z][A-Z0-9 _/#.-]{2,}\s*\]|«[^»]+»|<<[^>]+>>|\bTBD\b|\bX{3,}\b|(?i:lorem ipsum)",
            );
            return match re.find(&doc.all) {
                None => Ok(()),
                Some(m) => Err(format!("(Found: “{}”.)", m.as_str())),
            };
        }
        if t.no_identifier_values == Some(true) {
            return identifier_values(&doc.body);
        }
        if let Some(n) = t.min_words {
            let words = scope.split_whitespace().count();
            return if words >= n { Ok(()) } else { Err(format!("({words} words.)")) };
        }
        Ok(())
    }
}

/// The notice's text as drawn: blocks in reading order with their roles, and every run's size.
struct Doc {
    blocks: Vec<(Role, String)>,
    all: String,
    /// The text without the letterhead, the address block and the footer.
    body: String,
    sizes: Vec<f32>,
}

impl Doc {
    fn of(laid: &Laid) -> Doc {
        let mut blocks: Vec<(Role, usize, usize, String)> = Vec::new();
        let mut sizes = Vec::new();
        for page in &laid.pages {
            for r in &page.runs {
                sizes.push(r.size);
                if r.role == Role::Item && r.text == "•" {
                    continue;
                }
                let key = if r.block == usize::MAX { r.line } else { r.block };
                match blocks.last_mut() {
                    Some((role, b, line, text))
                        if *role == r.role && *b == key && r.block != usize::MAX =>
                    {
                        if *line != r.line {
                            text.push(' ');
                            *line = r.line;
                        }
                        text.push_str(&r.text);
                    }
                    _ => blocks.push((r.role, key, r.line, r.text.clone())),
                }
            }
        }
        let blocks: Vec<(Role, String)> = blocks.into_iter().map(|(r, _, _, t)| (r, t)).collect();
        let all = blocks.iter().map(|b| b.1.as_str()).collect::<Vec<_>>().join("\n");
        let body = blocks
            .iter()
            .filter(|b| !matches!(b.0, Role::Letterhead | Role::Address | Role::Footer))
            .map(|b| b.1.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        Doc { blocks, all, body, sizes }
    }

    fn headings(&self) -> Vec<String> {
        self.blocks
            .iter()
            .filter(|b| matches!(b.0, Role::Title | Role::Heading))
            .map(|b| b.1.clone())
            .collect()
    }

    /// The text under the heading `name`, to the next heading.
    fn section(&self, name: &str) -> Option<String> {
        let start = self.blocks.iter().position(|b| b.0 == Role::Heading && same(&b.1, name))?;
        let text: Vec<&str> = self.blocks[start + 1..]
            .iter()
            .take_while(|b| !matches!(b.0, Role::Heading | Role::Title))
            .filter(|b| b.0 != Role::Footer)
            .map(|b| b.1.as_str())
            .collect();
        Some(text.join("\n"))
    }
}

fn norm(s: &str) -> String {
    s.trim().trim_end_matches(['?', '.', ':']).trim().to_lowercase()
}

fn same(a: &str, b: &str) -> bool {
    norm(a) == norm(b)
}

fn window(s: &str, start: usize, end: usize, reach: usize) -> &str {
    let mut a = start.saturating_sub(reach);
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (end + reach).min(s.len());
    while !s.is_char_boundary(b) {
        b += 1;
    }
    &s[a..b]
}

fn months_near(phrase: &Regex, scope: &str, min: u32) -> Result<(), String> {
    let dur = builtin(
        r"(?i)\b(\d{1,3}|one|two|three|six|twelve|eighteen|twenty-four)[\s-]*\(?(?:\d{1,3}\)?\s*)?(month|year)s?\b",
    );
    let mut best = 0;
    for m in phrase.find_iter(scope) {
        for c in dur.captures_iter(window(scope, m.start(), m.end(), 200)) {
            let n: u32 = match &c[1].to_lowercase()[..] {
                "one" => 1,
                "two" => 2,
                "three" => 3,
                "six" => 6,
                "twelve" => 12,
                "eighteen" => 18,
                "twenty-four" => 24,
                d => d.parse().unwrap_or(0),
            };
            let months = if c[2].eq_ignore_ascii_case("year") { n * 12 } else { n };
            best = best.max(months);
        }
    }
    if best >= min {
        Ok(())
    } else if best == 0 {
        Err("(No offer with its length was found.)".into())
    } else {
        Err(format!("(The offer found is for {best} months.)"))
    }
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn identifier_values(text: &str) -> Result<(), String> {
    let ssn = builtin(r"\b(\d{3})[- ](\d{2})[- ](\d{4})\b");
    for c in ssn.captures_iter(text) {
        let area = &c[1];
        if area != "000"
            && area != "666"
            && !area.starts_with('9')
            && &c[2] != "00"
            && &c[3] != "0000"
        {
            return Err("(A number shaped like a Social Security number is in the text.)".into());
        }
    }
    let pan = builtin(r"\b(?:\d[ -]?){12,18}\d\b");
    for m in pan.find_iter(text) {
        let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
        if (13..=19).contains(&digits.len()) && luhn(&digits) {
            return Err("(A payment card number is in the text.)".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{layout, Letterhead, Paper};
    use crate::markup::parse;

    const RULES: &str = r#"
[[phrase]]
id = "PF.DATE"
pattern = '''(January|February|March)\s+\d{1,2},\s+\d{4}'''
[[phrase]]
id = "PF.UNKNOWN"
pattern = '''not (yet )?known'''
[[phrase]]
id = "PF.OFFER"
pattern = '''credit monitoring'''
[[phrase]]
id = "PF.COUNT"
pattern = '''\b\d{1,3}(,\d{3})*\b.{0,60}\bresidents\b'''

[[rule]]
id = "x.title"
severity = "BLOCK"
element = "Title"
message = "Title it."
citation = "Civ. Code § 1"
source_url = "https://example.org"
confidence = "medium"
obligations = ["US-*-individuals"]
test = { title = "Notice of Data Breach" }

[[rule]]
id = "x.order"
severity = "WARN"
element = "Order"
message = "Order them."
citation = "c"
source_url = "https://example.org"
confidence = "low"
obligations = ["*"]
test = { heading_order = ["What Happened", "What You Can Do"] }

[[rule]]
id = "x.date"
severity = "BLOCK"
element = "Date"
message = "Date it."
citation = "c"
source_url = "https://example.org"
confidence = "high"
obligations = ["*"]
test = { date_or_unknown = true, section = "What Happened" }

[[rule]]
id = "x.offer"
severity = "BLOCK"
element = "Offer"
message = "Offer 24 months."
citation = "c"
source_url = "https://example.org"
confidence = "high"
obligations = ["*"]
when = { data_any = ["ssn"] }
test = { min_months = 24, phrase = "PF.OFFER" }

[[rule]]
id = "ma.count"
severity = "BLOCK"
element = "No count"
message = "Do not state the count."
citation = "c"
source_url = "https://example.org"
confidence = "medium"
obligations = ["US-MA-individuals"]
residence = ["US-MA"]
test = { forbid = "PF.COUNT" }

[[rule]]
id = "x.size"
severity = "BLOCK"
element = "Size"
message = "10 pt."
citation = "c"
source_url = "https://example.org"
confidence = "high"
effective_from = "2016-01-01"
obligations = ["*"]
test = { font_min = 10.0 }

[[rule]]
id = "x.ids"
severity = "BLOCK"
element = "No identifiers"
message = "Remove it."
citation = "c"
source_url = "https://example.org"
confidence = "high"
obligations = ["*"]
test = { no_identifier_values = true }
"#;

    fn report(markup: &str, obligation: &str, residence: Option<&str>, data: &[&str]) -> Report {
        let book = RuleBook::load(&[("t.toml", RULES)]).expect("rules load");
        let head = Letterhead { name: "Acme".into(), lines: vec![], logo_px: None };
        let laid =
            layout(&parse(markup).expect("markup"), Paper::Letter, &head, "Acme").expect("layout");
        let data: Vec<String> = data.iter().map(|s| (*s).to_owned()).collect();
        let truthy = |_: &str| false;
        book.check(
            &laid,
            &Subject {
                obligation,
                residence,
                data_types: &data,
                date: "2026-12-03",
                truthy: &truthy,
            },
        )
    }

    #[test]
    fn a_good_letter_passes_and_each_fault_is_named() {
        let good = "# Notice of Data Breach\n\n## What Happened\nOn March 3, 2026 we learned of it.\n\n## What You Can Do\nEnroll in credit monitoring for 24 months at no cost.\n";
        let r = report(good, "US-CA-individuals", Some("US-CA"), &["ssn"]);
        assert!(r.ok, "{r:?}");
        assert!(r.findings.is_empty(), "{r:?}");
        assert_eq!(r.passed.len(), 6);

        let bad = "# Notice\n\n## What You Can Do\nEnroll in credit monitoring for 12 months.\n\n## What Happened\nWe do not say when. Card 4111 1111 1111 1111.\n";
        let r = report(bad, "US-CA-individuals", Some("US-CA"), &["ssn"]);
        assert!(!r.ok);
        let ids: Vec<&str> = r.findings.iter().map(|f| f.element.as_str()).collect();
        assert_eq!(ids, ["x.date", "x.ids", "x.offer", "x.title", "x.order"]);
        assert!(r.findings[2].message.contains("12 months"), "{}", r.findings[2].message);
    }

    #[test]
    fn forbidden_content_applies_by_obligation_and_residence() {
        let text = "# Notice of Data Breach\n\n## What Happened\nNot yet known. 1,204 Massachusetts residents were affected.\n";
        let ma = report(text, "US-MA-individuals", Some("US-MA"), &[]);
        assert!(ma.findings.iter().any(|f| f.element == "ma.count"));
        let ca = report(text, "US-CA-individuals", Some("US-CA"), &[]);
        assert!(!ca.findings.iter().any(|f| f.element == "ma.count"));
        assert!(ca.ok);
    }

    #[test]
    fn bad_rule_files_are_named() {
        let e = RuleBook::load(&[("x.toml", "[[rule]]\nid = 1\n")]).expect_err("bad");
        assert!(e.contains("rules/notices/x.toml"), "{e}");
        let two = RULES
            .replace("test = { font_min = 10.0 }", "test = { font_min = 10.0, min_words = 3 }");
        let e = RuleBook::load(&[("t.toml", &two)]).expect_err("two tests");
        assert!(e.contains("x.size"), "{e}");
        assert!(glob("US-*-individuals", "US-CA-individuals"));
        assert!(!glob("US-*-individuals", "HIPAA-individuals"));
    }
}
