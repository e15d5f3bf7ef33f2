//! Runs `rules/vectors/*.toml` against the embedded rules, and checks that every rule file is
//! exercised by at least one vector. Expected values in the vectors are computed independently
//! (by hand or with Python's zoneinfo), never by this crate.

use crate::engine::{compute, Computed, Exempted};
use crate::facts::RawFacts;
use crate::schema::RuleSet;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    facts: RawFacts,
    #[serde(default)]
    expect: Vec<Expect>,
    #[serde(default)]
    absent: Vec<Absent>,
    /// Rules an exit removes: listed among the exemptions, not among the obligations.
    #[serde(default)]
    exempt: Vec<ExpectExempt>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectExempt {
    rule_id: String,
    jurisdiction: Option<String>,
    /// encryption | risk_of_harm | deemed_compliance
    kind: String,
    /// What the exit demands, by the rule ids of the obligations it becomes.
    #[serde(default)]
    requires: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    rule_id: String,
    jurisdiction: Option<String>,
    recipient: Option<String>,
    kind: Option<String>,
    due: Option<String>,
    /// The notice it is timed against.
    anchor: Option<String>,
    /// A phrase the explanation must contain.
    explains: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Absent {
    rule_id: String,
    jurisdiction: Option<String>,
}

fn text<T: serde::Serialize>(v: &T) -> String {
    // enums serialise as plain strings; toml cannot serialise a bare string, so go through a map
    #[derive(serde::Serialize)]
    struct W<'a, T> {
        v: &'a T,
    }
    toml::to_string(&W { v })
        .unwrap_or_default()
        .trim_start_matches("v = ")
        .trim()
        .trim_matches('"')
        .to_owned()
}

fn matches(c: &Computed, rule_id: &str, jurisdiction: Option<&String>) -> bool {
    c.rule_id == rule_id && jurisdiction.is_none_or(|j| &c.jurisdiction == j)
}

pub(crate) fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules/vectors")
}

/// Runs every vector file; returns (cases run, rule ids mentioned).
pub(crate) fn run_all(rules: &RuleSet) -> Result<(usize, BTreeSet<String>), Vec<String>> {
    let mut failures = Vec::new();
    let mut mentioned = BTreeSet::new();
    let mut cases = 0;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .map_err(|e| vec![e.to_string()])?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let file: VectorFile = match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| toml::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        for case in file.case {
            cases += 1;
            let at = format!("{name} / {}", case.name);
            let facts = match case.facts.check() {
                Ok(f) => f,
                Err(e) => {
                    failures.push(format!("{at}: facts refused: {e}"));
                    continue;
                }
            };
            let outcome = compute(rules, &facts);
            let got = &outcome.obligations;
            for e in &case.expect {
                mentioned.insert(e.rule_id.clone());
                let Some(c) = got.iter().find(|c| matches(c, &e.rule_id, e.jurisdiction.as_ref()))
                else {
                    let ids: Vec<String> =
                        got.iter().map(|c| format!("{}@{}", c.rule_id, c.jurisdiction)).collect();
                    failures.push(format!(
                        "{at}: expected {}{} — got {ids:?}",
                        e.rule_id,
                        e.jurisdiction.as_deref().map(|j| format!("@{j}")).unwrap_or_default()
                    ));
                    continue;
                };
                let checks = [
                    ("recipient", e.recipient.as_ref(), text(&c.recipient)),
                    ("kind", e.kind.as_ref(), text(&c.kind)),
                    ("due", e.due.as_ref(), c.due.clone().unwrap_or_else(|| "null".into())),
                    (
                        "anchor",
                        e.anchor.as_ref(),
                        c.anchor.clone().unwrap_or_else(|| "null".into()),
                    ),
                ];
                for (what, want, have) in checks {
                    if let Some(w) = want {
                        if *w != have {
                            failures.push(format!(
                                "{at}: {} {what}: expected {w}, got {have}\n    explanation: {}",
                                e.rule_id, c.explanation
                            ));
                        }
                    }
                }
            }
            for e in &case.expect {
                if let (Some(phrase), Some(c)) = (
                    &e.explains,
                    got.iter().find(|c| matches(c, &e.rule_id, e.jurisdiction.as_ref())),
                ) {
                    if !c.explanation.contains(phrase.as_str()) {
                        failures.push(format!(
                            "{at}: {} explanation lacks {phrase:?}: {}",
                            e.rule_id, c.explanation
                        ));
                    }
                }
            }
            for a in &case.absent {
                mentioned.insert(a.rule_id.clone());
                if let Some(c) =
                    got.iter().find(|c| matches(c, &a.rule_id, a.jurisdiction.as_ref()))
                {
                    failures.push(format!(
                        "{at}: {}@{} must not apply, but: {}",
                        c.rule_id, c.jurisdiction, c.explanation
                    ));
                }
            }
            for x in &case.exempt {
                mentioned.insert(x.rule_id.clone());
                let found: Option<&Exempted> = outcome.exemptions.iter().find(|e| {
                    e.rule_id == x.rule_id
                        && x.jurisdiction.as_ref().is_none_or(|j| &e.jurisdiction == j)
                });
                match found {
                    None => failures.push(format!(
                        "{at}: expected {} to be exempt — exemptions: {:?}",
                        x.rule_id,
                        outcome.exemptions.iter().map(|e| &e.rule_id).collect::<Vec<_>>()
                    )),
                    Some(e) => {
                        if text(&e.kind) != x.kind {
                            failures.push(format!(
                                "{at}: {} exempt as {}, expected {}",
                                x.rule_id,
                                text(&e.kind),
                                x.kind
                            ));
                        }
                        let req: Vec<&String> = e.requires.iter().map(|r| &r.rule_id).collect();
                        if req != x.requires.iter().collect::<Vec<_>>() {
                            failures.push(format!(
                                "{at}: {} requires {req:?}, expected {:?}",
                                x.rule_id, x.requires
                            ));
                        }
                        for r in &x.requires {
                            mentioned.insert(r.clone());
                        }
                    }
                }
                if let Some(c) =
                    got.iter().find(|c| matches(c, &x.rule_id, x.jurisdiction.as_ref()))
                {
                    failures.push(format!(
                        "{at}: {} is exempt and must not be among the obligations: {}",
                        x.rule_id, c.explanation
                    ));
                }
            }
        }
    }
    if failures.is_empty() {
        Ok((cases, mentioned))
    } else {
        Err(failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_rule_file_loads() {
        let rules = RuleSet::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert!(rules.files.len() >= 7, "federal, EU and UK files at least");
    }

    #[test]
    fn every_vector_passes_and_every_rule_file_has_one() {
        let rules = RuleSet::embedded().unwrap_or_else(|e| panic!("{e}"));
        let (cases, mentioned) = run_all(&rules)
            .unwrap_or_else(|f| panic!("{} vector failure(s):\n{}", f.len(), f.join("\n")));
        assert!(cases > 0);
        let uncovered: Vec<&str> = rules
            .files
            .iter()
            .filter(|f| !f.obligations.iter().any(|o| mentioned.contains(&o.id)))
            .map(|f| f.source.as_str())
            .collect();
        assert!(uncovered.is_empty(), "rule files without a vector: {uncovered:?}");
        let unknown: Vec<&String> = mentioned.iter().filter(|id| !rules.knows(id)).collect();
        assert!(unknown.is_empty(), "vectors name obligations that do not exist: {unknown:?}");
    }
}
