//! The organisation profile every template reads: the `org_profile` table (one row).

use crate::audit::Change;
use crate::{files, Breachdesk, Ctx, Error, Result};
use breachdesk_rules::time::to_storage;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    pub city: String,
    /// State, province or region (required in the US).
    #[serde(default)]
    pub state: Option<String>,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 (`US`, `DE`).
    pub country: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// The organisation profile (`org.json`; the fields are in the README).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct OrgProfile {
    pub legal_name: String,
    pub address: PostalAddress,
    pub phone: String,
    /// The toll-free number for questions (HIPAA 164.404(c)(1)(E), substitute notice).
    #[serde(default)]
    pub toll_free: Option<String>,
    pub email: String,
    pub website: String,
    pub signatory: Person,
    /// Data protection officer (GDPR Art. 33(3)(b)).
    #[serde(default)]
    pub dpo: Option<Person>,
    /// Identifiers with regulators: `hhs`, `ico`, `sec_cik`, `nydfs`, …
    #[serde(default)]
    #[ts(type = "Record<string, string>")]
    pub regulator_ids: BTreeMap<String, String>,
    /// A PNG file to read the logo from (on `org set`); stored inside the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// The stored profile, with whether a logo is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Org {
    pub profile: OrgProfile,
    pub logo_sha256: Option<String>,
    pub updated_at: String,
    pub updated_by: String,
}

const MAX_LOGO: u64 = 2 << 20;

fn required(field: &str, v: &str) -> Result<()> {
    if v.trim().is_empty() {
        return Err(Error::validation(field, "is required (the notices print it)"));
    }
    Ok(())
}

fn check(p: &OrgProfile) -> Result<()> {
    required("legal_name", &p.legal_name)?;
    required("address.line1", &p.address.line1)?;
    required("address.city", &p.address.city)?;
    required("address.postal_code", &p.address.postal_code)?;
    required("address.country", &p.address.country)?;
    if p.address.country.trim().len() != 2 {
        return Err(Error::validation(
            "address.country",
            "use the two-letter ISO code (US, DE, GB)",
        ));
    }
    if p.address.country.eq_ignore_ascii_case("US")
        && p.address.state.as_deref().unwrap_or("").trim().is_empty()
    {
        return Err(Error::validation("address.state", "is required for a US address"));
    }
    required("phone", &p.phone)?;
    required("email", &p.email)?;
    if !p.email.contains('@') {
        return Err(Error::validation("email", "is not an e-mail address"));
    }
    required("website", &p.website)?;
    required("signatory.name", &p.signatory.name)?;
    required("signatory.title", p.signatory.title.as_deref().unwrap_or(""))?;
    for (k, v) in [("legal_name", &p.legal_name), ("phone", &p.phone), ("website", &p.website)] {
        if v.len() > 300 {
            return Err(Error::validation(k, "is longer than 300 characters"));
        }
    }
    Ok(())
}

/// Checks that `bytes` are a PNG image.
fn check_png(bytes: &[u8], field: &str) -> Result<()> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(Error::validation(field, "is not a PNG image"));
    }
    Ok(())
}

/// The PNG's pixel size, from its header.
pub(crate) fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let w = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

/// The stored profile, its logo's bytes, and the view of both.
type Stored = (OrgProfile, Option<Vec<u8>>, Org);

pub(crate) fn read(conn: &Connection) -> Result<Option<Stored>> {
    let row = conn
        .query_row(
            "SELECT profile_json, logo, logo_sha256, updated_at, updated_by FROM org_profile WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<Vec<u8>>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((json, logo, sha, at, by)) = row else { return Ok(None) };
    let profile: OrgProfile = serde_json::from_str(&json).map_err(|e| Error::Unreadable {
        entity: "organisation profile",
        id: "1".into(),
        field: "profile_json".into(),
        problem: e.to_string(),
        repair: "Set the profile again with `breachdesk org set`".into(),
    })?;
    let org = Org { profile: profile.clone(), logo_sha256: sha, updated_at: at, updated_by: by };
    Ok(Some((profile, logo, org)))
}

fn write(
    tx: &Transaction<'_>,
    p: &OrgProfile,
    logo: Option<&[u8]>,
    at: &str,
    by: &str,
) -> Result<Option<String>> {
    let json = serde_json::to_string(p)
        .map_err(|source| Error::Json { what: "the organisation profile", source })?;
    let sha = logo.map(crate::notices::sha256_hex);
    tx.execute(
        "INSERT INTO org_profile (id, profile_json, logo, logo_sha256, updated_at, updated_by)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET profile_json = ?1, logo = ?2, logo_sha256 = ?3,
             updated_at = ?4, updated_by = ?5",
        params![json, logo, sha, at, by],
    )?;
    Ok(sha)
}

impl Breachdesk {
    /// Sets the organisation profile. A `logo` path is read (a PNG of at most 2 MB) and kept in
    /// the database; without one, the stored logo stays.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the missing or bad field (`address.city`, `logo`).
    pub fn set_org(&self, ctx: &Ctx, profile: &OrgProfile, base: Option<&Path>) -> Result<Org> {
        check(profile)?;
        let logo = match &profile.logo {
            Some(path) if !path.trim().is_empty() => {
                let p = Path::new(path.trim());
                let p = match base {
                    Some(b) if p.is_relative() => b.join(p),
                    _ => p.to_owned(),
                };
                let bytes = files::read_bytes(&p, "logo", MAX_LOGO)?;
                check_png(&bytes, "logo")?;
                Some(bytes)
            }
            _ => None,
        };
        let mut stored = profile.clone();
        stored.logo = None;
        let before = read(&*self.read()?)?;
        let logo = logo.or_else(|| before.as_ref().and_then(|b| b.1.clone()));
        let at = to_storage(ctx.now);
        self.write(ctx, |tx| {
            let sha = write(tx, &stored, logo.as_deref(), &at, &ctx.actor)?;
            Ok((
                (),
                vec![Change {
                    action: "org.set",
                    entity_type: "org_profile",
                    entity_id: "1".into(),
                    before: before.as_ref().map(
                        |b| serde_json::json!({"profile": b.0, "logo_sha256": b.2.logo_sha256}),
                    ),
                    after: Some(serde_json::json!({"profile": stored, "logo_sha256": sha})),
                }],
            ))
        })?;
        self.org()?
            .ok_or_else(|| Error::NotFound { entity: "organisation profile", id: "1".into() })
    }

    /// The organisation profile, when one was set.
    ///
    /// # Errors
    /// [`Error::Unreadable`] for a damaged stored profile.
    pub fn org(&self) -> Result<Option<Org>> {
        Ok(read(&*self.read()?)?.map(|r| r.2))
    }
}
