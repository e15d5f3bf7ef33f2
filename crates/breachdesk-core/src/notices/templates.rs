//! Templates: the `templates` table (id, version; a version is never changed), the seed set from
//! `templates/*.j2`, front matter, and rendering with minijinja (sandboxed, strict undefined, a
//! fuel limit, parts included by id from the store only).

use crate::audit::Change;
use crate::{Breachdesk, Ctx, Error, Result};
use breachdesk_docs::Paper;
use breachdesk_rules::time::to_storage;
use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The seed templates (`templates/*.j2`), compiled in: `(file name, text)`.
const SEEDS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/seed_templates.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// A letter to one person.
    Individual,
    Regulator,
    Media,
    Substitute,
    B2b,
    Investor,
    Internal,
    /// A piece other templates include.
    Part,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Addressee {
    Person,
    Guardian,
    NextOfKin,
}

/// The front matter at the top of a template (`{#--- … ---#}`, TOML).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct TemplateMeta {
    pub id: String,
    pub title: String,
    pub kind: TemplateKind,
    #[serde(default)]
    pub obligations: Vec<String>,
    /// Only obligations to these recipients (`investors`, `board`, …); empty: any.
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default)]
    pub residence: Vec<String>,
    #[serde(default = "person")]
    pub addressee: Addressee,
    #[serde(default = "english")]
    pub language: String,
    #[serde(default = "one")]
    pub version: u32,
    #[serde(default = "letter")]
    pub paper: Paper,
    #[serde(default)]
    pub citation: String,
    /// Encloses a sample copy of the notice to the jurisdiction's residents (an attorney
    /// general's cover letter): the resident letter the variant rule picks, addressed to a
    /// specimen person, so that it carries no one's personal information.
    #[serde(default)]
    pub attach_sample: bool,
}

fn person() -> Addressee {
    Addressee::Person
}
fn english() -> String {
    "en".into()
}
fn one() -> u32 {
    1
}
fn letter() -> Paper {
    Paper::Letter
}

/// One stored version of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Template {
    pub id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub meta: TemplateMeta,
    pub source: String,
    pub sha256: String,
    /// This version is the seed text shipped with Breachdesk.
    pub seeded: bool,
    pub created_at: String,
    pub created_by: String,
    /// The seed text of this id, for a diff (none for a template the user added).
    pub seed_source: Option<String>,
    /// How many notices used this version.
    #[ts(type = "number")]
    pub used_by: i64,
    /// Every version of this id, newest first.
    #[ts(type = "number[]")]
    pub versions: Vec<i64>,
}

impl Template {
    /// An unsaved template (the preview's), to fill in.
    pub(crate) fn blank() -> Template {
        Template {
            id: String::new(),
            version: 0,
            meta: TemplateMeta {
                id: String::new(),
                title: String::new(),
                kind: TemplateKind::Regulator,
                obligations: vec![],
                recipients: vec![],
                residence: vec![],
                addressee: Addressee::Person,
                language: english(),
                version: 1,
                paper: Paper::Letter,
                citation: String::new(),
                attach_sample: false,
            },
            source: String::new(),
            sha256: String::new(),
            seeded: false,
            created_at: String::new(),
            created_by: String::new(),
            seed_source: None,
            used_by: 0,
            versions: vec![],
        }
    }
}

/// Reads the front matter.
///
/// # Errors
/// [`Error::Validation`] on `template` naming the line: no front matter, bad TOML, an id that is
/// not `a-z0-9-`, an empty title.
pub fn front_matter(source: &str) -> Result<TemplateMeta> {
    let bad = |m: String| Error::validation("template", m);
    let s = source.trim_start_matches('\u{feff}');
    let Some(rest) = s.strip_prefix("{#---") else {
        return Err(bad("line 1: the template must start with its front matter: `{#---`, TOML lines (id, title, kind, …), `---#}`".into()));
    };
    let Some(end) = rest.find("---#}") else {
        return Err(bad("the front matter is not closed with `---#}`".into()));
    };
    let meta: TemplateMeta = toml::from_str(&rest[..end]).map_err(|e| {
        let line = e.span().map_or(0, |sp| rest[..sp.start].lines().count().max(1));
        bad(format!("front matter, line {line}: {}", e.message()))
    })?;
    if meta.id.is_empty()
        || meta.id.len() > 64
        || !meta.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(bad(format!(
            "front matter: id {:?} must be 1 to 64 of a-z, 0-9 and -",
            meta.id
        )));
    }
    if meta.title.trim().is_empty() {
        return Err(bad("front matter: title is required".into()));
    }
    if meta.kind != TemplateKind::Part && meta.obligations.is_empty() {
        return Err(bad(
            "front matter: obligations (the obligation keys it answers, globs allowed) is required"
                .into(),
        ));
    }
    Ok(meta)
}

/// The byte offset's line and column (1-based).
fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A minijinja error as the user reads it: the template, line and column; for a missing or
/// empty value, the field it names (`narrative.what_happened`).
fn explain(e: &minijinja::Error, fallback_name: &str, fallback_source: &str) -> Error {
    let name = e.name().unwrap_or(fallback_name).to_owned();
    let source = e.template_source().unwrap_or(fallback_source);
    let span = e.range().map(|r| {
        (line_col(source, r.start), source.get(r.clone()).unwrap_or("").trim().to_owned())
    });
    let at = match (&span, e.line()) {
        (Some(((l, c), _)), _) => format!("{name}, line {l}, column {c}"),
        (None, Some(l)) => format!("{name}, line {l}"),
        (None, None) => name.clone(),
    };
    let detail = e.detail().unwrap_or("");
    match e.kind() {
        ErrorKind::UndefinedError => {
            let field = span
                .map(|s| s.1)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "a placeholder".into());
            Error::validation(
                &field,
                format!("unknown placeholder ({at}): the render context has no such field"),
            )
        }
        ErrorKind::InvalidOperation if detail.starts_with("empty:") => {
            let field = span
                .map(|s| s.1)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "a placeholder".into());
            let field = field.trim_start_matches("{{").trim_end_matches("}}").trim().to_owned();
            Error::validation(&field, format!("is not set, and {at} prints it: set it (organisation profile, narrative or incident), or guard it with {{% if … %}}"))
        }
        ErrorKind::SyntaxError
        | ErrorKind::BadEscape
        | ErrorKind::UnknownFilter
        | ErrorKind::UnknownTest
        | ErrorKind::UnknownFunction => Error::validation(
            "template",
            format!(
                "{at}: {}{}",
                e.kind(),
                if detail.is_empty() { String::new() } else { format!(": {detail}") }
            ),
        ),
        ErrorKind::TemplateNotFound => Error::validation(
            "template",
            format!("{at}: includes a part that does not exist ({detail})"),
        ),
        ErrorKind::OutOfFuel => Error::validation(
            "template",
            format!("{at}: the template runs too long (a loop that does not end?)"),
        ),
        _ => Error::validation("template", format!("{at}: {e}")),
    }
}

fn and_list(v: Vec<String>) -> String {
    match v.len() {
        0 => String::new(),
        1 => v[0].clone(),
        2 => format!("{} and {}", v[0], v[1]),
        n => format!("{}, and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

fn longdate(s: String) -> std::result::Result<String, minijinja::Error> {
    chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d")
        .map(|d| d.format("%B %-d, %Y").to_string())
        .map_err(|_| {
            minijinja::Error::new(
                ErrorKind::InvalidOperation,
                format!("longdate: {s:?} is not a date"),
            )
        })
}

/// The environment templates run in: no file system, parts from `parts` only, strict undefined,
/// a fuel limit, and no empty value printed.
fn environment(parts: BTreeMap<String, String>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(2_000_000));
    env.set_keep_trailing_newline(true);
    env.set_loader(move |name| Ok(parts.get(name).cloned()));
    env.add_filter("and_list", and_list);
    env.add_filter("longdate", longdate);
    env.set_formatter(|out, state, value| {
        if value.is_none() || value.is_undefined() {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                "empty: a value that is not set",
            ));
        }
        minijinja::escape_formatter(out, state, value)
    });
    env
}

/// Compiles a template (and checks the parts it includes exist) without rendering it.
///
/// # Errors
/// [`Error::Validation`] with the line and column of a syntax error.
pub(crate) fn compile(id: &str, source: &str, parts: &BTreeMap<String, String>) -> Result<()> {
    let mut env = environment(parts.clone());
    env.add_template_owned(id.to_owned(), source.to_owned())
        .map_err(|e| explain(&e, id, source))?;
    Ok(())
}

/// Renders a template with `context`.
///
/// # Errors
/// [`Error::Validation`] naming the unknown placeholder or the empty field, or the line and
/// column of a syntax error.
pub(crate) fn render(
    id: &str,
    source: &str,
    parts: &BTreeMap<String, String>,
    context: &serde_json::Value,
) -> Result<String> {
    Compiled::new(id, source, parts)?.render(minijinja::Value::from_serialize(context))
}

/// A template compiled once and rendered many times (a mail merge's letters of one variant).
pub(crate) struct Compiled {
    env: Environment<'static>,
    id: String,
    source: String,
}

impl Compiled {
    /// # Errors
    /// [`Error::Validation`] with the line and column of a syntax error.
    pub(crate) fn new(id: &str, source: &str, parts: &BTreeMap<String, String>) -> Result<Self> {
        let mut env = environment(parts.clone());
        env.add_template_owned(id.to_owned(), source.to_owned())
            .map_err(|e| explain(&e, id, source))?;
        Ok(Compiled { env, id: id.to_owned(), source: source.to_owned() })
    }

    /// # Errors
    /// [`Error::Validation`] naming the unknown placeholder or the empty field.
    pub(crate) fn render(&self, context: minijinja::Value) -> Result<String> {
        let t = self.env.get_template(&self.id).map_err(|e| explain(&e, &self.id, &self.source))?;
        t.render(context).map_err(|e| explain(&e, &self.id, &self.source))
    }
}

pub(crate) const SELECT: &str =
    "SELECT id, version, meta_json, source, sha256, seeded, created_at, created_by FROM templates";

/// A `templates` row: id, version, meta, source, sha256, seeded, created at, created by.
type TemplateRow = (String, i64, String, String, String, bool, String, String);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TemplateRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
}

/// Reads of `templates`.
pub(crate) struct TemplateRows<'c>(pub &'c Connection);

impl TemplateRows<'_> {
    /// A version (the latest when `version` is `None`).
    pub(crate) fn get(&self, id: &str, version: Option<i64>) -> Result<Option<Template>> {
        let r = match version {
            Some(v) => self.0.query_row(
                &format!("{SELECT} WHERE id = ?1 AND version = ?2"),
                params![id, v],
                row,
            ),
            None => self.0.query_row(
                &format!("{SELECT} WHERE id = ?1 ORDER BY version DESC LIMIT 1"),
                [id],
                row,
            ),
        }
        .optional()?;
        let Some((id, version, meta, source, sha256, seeded, created_at, created_by)) = r else {
            return Ok(None);
        };
        let meta: TemplateMeta = serde_json::from_str(&meta).map_err(|e| Error::Unreadable {
            entity: "template",
            id: format!("{id} v{version}"),
            field: "meta_json".into(),
            problem: e.to_string(),
            repair: "Add the template again as a new version".into(),
        })?;
        let used_by: i64 = self.0.query_row(
            "SELECT COUNT(DISTINCT notice_id) FROM notice_renderings r JOIN notices n ON n.id = r.notice_id
             WHERE n.template_id = ?1 AND r.template_version = ?2",
            params![id, version],
            |r| r.get(0),
        )?;
        let mut stmt = self
            .0
            .prepare_cached("SELECT version FROM templates WHERE id = ?1 ORDER BY version DESC")?;
        let versions =
            stmt.query_map([&id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
        let seed_source = seed_texts().get(id.as_str()).map(|s| (*s).to_owned());
        Ok(Some(Template {
            id,
            version,
            meta,
            source,
            sha256,
            seeded,
            created_at,
            created_by,
            seed_source,
            used_by,
            versions,
        }))
    }

    /// The latest version of every template.
    pub(crate) fn latest(&self) -> Result<Vec<Template>> {
        let mut stmt = self.0.prepare("SELECT DISTINCT id FROM templates ORDER BY id")?;
        let ids =
            stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        ids.iter().filter_map(|id| self.get(id, None).transpose()).collect()
    }

    /// The latest source of every part, by id.
    pub(crate) fn parts(&self) -> Result<BTreeMap<String, String>> {
        Ok(self
            .latest()?
            .into_iter()
            .filter(|t| t.meta.kind == TemplateKind::Part)
            .map(|t| (t.id, t.source))
            .collect())
    }
}

fn insert(
    tx: &Transaction<'_>,
    meta: &TemplateMeta,
    version: i64,
    source: &str,
    seeded: bool,
    at: &str,
    by: &str,
) -> Result<Change> {
    let sha = crate::notices::sha256_hex(source.as_bytes());
    let meta_json = serde_json::to_string(meta)
        .map_err(|source| Error::Json { what: "a template's front matter", source })?;
    let kind = serde_json::to_value(meta.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    tx.execute(
        "INSERT INTO templates (id, version, kind, title, meta_json, source, sha256, seeded, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![meta.id, version, kind, meta.title, meta_json, source, sha, seeded, at, by],
    )?;
    Ok(Change {
        action: if seeded { "template.seed" } else { "template.add" },
        entity_type: "template",
        entity_id: format!("{}@{version}", meta.id),
        before: None,
        after: Some(serde_json::json!({"sha256": sha, "title": meta.title})),
    })
}

/// The seed texts by template id (their front matter read once).
fn seed_texts() -> &'static BTreeMap<String, &'static str> {
    static BY_ID: std::sync::OnceLock<BTreeMap<String, &'static str>> = std::sync::OnceLock::new();
    BY_ID.get_or_init(|| {
        SEEDS.iter().filter_map(|(_, s)| front_matter(s).ok().map(|m| (m.id, *s))).collect()
    })
}

/// The seeds to store: new ids, and new seed texts of ids whose latest version is a seed.
fn pending_seeds(conn: &Connection) -> Result<Vec<(TemplateMeta, i64, &'static str)>> {
    let rows = TemplateRows(conn);
    let mut out = Vec::new();
    for (file, text) in SEEDS {
        let meta =
            front_matter(text).map_err(|e| Error::RuleData(format!("templates/{file}: {e}")))?;
        match rows.get(&meta.id, None)? {
            None => out.push((meta, 1, *text)),
            Some(t) if t.seeded && t.source != *text => out.push((meta, t.version + 1, *text)),
            Some(_) => {}
        }
    }
    // Parts first, so that a template including one compiles against it.
    out.sort_by_key(|(m, _, _)| m.kind != TemplateKind::Part);
    Ok(out)
}

impl Breachdesk {
    /// Stores the seed templates that are not stored yet (or whose seed text changed while the
    /// user kept the seed). One transaction; nothing when all are stored.
    pub(crate) fn seed_templates(&self, ctx: &Ctx) -> Result<()> {
        if pending_seeds(&*self.read()?)?.is_empty() {
            return Ok(());
        }
        let at = to_storage(ctx.now);
        self.write(ctx, |tx| {
            let mut changes = Vec::new();
            for (meta, version, text) in pending_seeds(tx)? {
                changes.push(insert(tx, &meta, version, text, true, &at, &ctx.actor)?);
            }
            Ok(((), changes))
        })
    }

    /// The latest version of every template.
    ///
    /// # Errors
    /// As the store.
    pub fn templates(&self, ctx: &Ctx) -> Result<Vec<Template>> {
        self.seed_templates(ctx)?;
        TemplateRows(&*self.read()?).latest()
    }

    /// One template: the latest version, or `version`.
    ///
    /// # Errors
    /// [`Error::NotFound`] naming the template and version.
    pub fn template(&self, ctx: &Ctx, id: &str, version: Option<i64>) -> Result<Template> {
        self.seed_templates(ctx)?;
        TemplateRows(&*self.read()?).get(id.trim(), version)?.ok_or_else(|| Error::NotFound {
            entity: "template",
            id: version.map_or_else(|| id.to_owned(), |v| format!("{id} version {v}")),
        })
    }

    /// Adds a template, or a new version of its id (the stored versions never change). The same
    /// text as the latest version adds nothing.
    ///
    /// # Errors
    /// [`Error::Validation`]: front matter, a syntax error with its line and column, a part that
    /// does not exist, a kind that differs from the stored template's.
    pub fn add_template(&self, ctx: &Ctx, source: &str) -> Result<Template> {
        self.seed_templates(ctx)?;
        if source.len() > 256 * 1024 {
            return Err(Error::validation("template", "is larger than 256 KB"));
        }
        let meta = front_matter(source)?;
        let conn = self.read()?;
        let rows = TemplateRows(&conn);
        let mut parts = rows.parts()?;
        if meta.kind == TemplateKind::Part {
            parts.insert(meta.id.clone(), source.to_owned());
        }
        compile(&meta.id, source, &parts)?;
        let latest = rows.get(&meta.id, None)?;
        drop(conn);
        if let Some(t) = &latest {
            if t.source == source {
                return Ok(t.clone());
            }
            if (t.meta.kind == TemplateKind::Part) != (meta.kind == TemplateKind::Part) {
                return Err(Error::validation(
                    "kind",
                    format!(
                        "{} is a {:?} template; a new version keeps its kind",
                        t.id, t.meta.kind
                    ),
                ));
            }
        }
        let version = latest.map_or(1, |t| t.version + 1);
        let at = to_storage(ctx.now);
        self.write(ctx, |tx| {
            Ok(((), vec![insert(tx, &meta, version, source, false, &at, &ctx.actor)?]))
        })?;
        self.template(ctx, &meta.id, Some(version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_compiles_with_the_seeded_parts() {
        let parts: BTreeMap<String, String> = SEEDS
            .iter()
            .filter_map(|(_, s)| {
                front_matter(s)
                    .ok()
                    .filter(|m| m.kind == TemplateKind::Part)
                    .map(|m| (m.id, (*s).to_owned()))
            })
            .collect();
        assert!(SEEDS.len() >= 20, "{} seeds", SEEDS.len());
        for (file, s) in SEEDS {
            let m = front_matter(s).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(format!("{}.j2", m.id), *file);
            compile(&m.id, s, &parts).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
    }

    #[test]
    fn errors_name_line_column_and_field() {
        let parts = BTreeMap::new();
        let src = "{#---\nid = \"t\"\ntitle = \"T\"\nkind = \"regulator\"\nobligations = [\"X\"]\n---#}\n# Title\n\n{{ narrative.what_happened }}\n{% if %}\n";
        let e = compile("t", src, &parts).expect_err("syntax");
        assert!(e.to_string().contains("line 10"), "{e}");
        let ok = src.replace("{% if %}\n", "");
        let ctx = serde_json::json!({"narrative": {"what_happened": null}});
        let e = render("t", &ok, &parts, &ctx).expect_err("empty");
        assert!(e.to_string().starts_with("narrative.what_happened:"), "{e}");
        let e =
            render("t", &ok, &parts, &serde_json::json!({"narrative": {}})).expect_err("unknown");
        assert!(e.to_string().starts_with("narrative.what_happened:"), "{e}");
        assert!(e.to_string().contains("unknown placeholder"), "{e}");
        let e = front_matter("# no front matter").expect_err("none");
        assert!(e.to_string().contains("front matter"));
        assert_eq!(and_list(vec!["a".into(), "b".into(), "c".into()]), "a, b, and c");
    }
}
