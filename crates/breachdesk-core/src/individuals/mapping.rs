//! Which column holds which field: detected from common headers, confirmed or changed by the user,
//! saved by name for the next file of the same shape.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The fields a person can have.
pub const FIELDS: [&str; 18] = [
    "external_id",
    "full_name",
    "first_name",
    "last_name",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "country",
    "email",
    "phone",
    "dob",
    "deceased",
    "minor",
    "guardian",
    "data_elements",
    "email_consent",
];

/// Positions in [`FIELDS`], for the per-row lookups of an import.
pub(crate) mod field {
    pub const EXTERNAL_ID: usize = 0;
    pub const FULL_NAME: usize = 1;
    pub const FIRST_NAME: usize = 2;
    pub const LAST_NAME: usize = 3;
    pub const ADDRESS1: usize = 4;
    pub const ADDRESS2: usize = 5;
    pub const CITY: usize = 6;
    pub const STATE: usize = 7;
    pub const POSTAL_CODE: usize = 8;
    pub const COUNTRY: usize = 9;
    pub const EMAIL: usize = 10;
    pub const PHONE: usize = 11;
    pub const DOB: usize = 12;
    pub const DECEASED: usize = 13;
    pub const MINOR: usize = 14;
    pub const GUARDIAN: usize = 15;
    pub const DATA_ELEMENTS: usize = 16;
    pub const EMAIL_CONSENT: usize = 17;
}

/// Field → header of the column that holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub columns: BTreeMap<String, String>,
}

fn squash(h: &str) -> String {
    h.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The field a header most likely means.
fn field_for(header: &str) -> Option<&'static str> {
    let h = squash(header);
    let f = match h.as_str() {
        "id" | "externalid" | "recordid" | "memberid" | "patientid" | "customerid" | "mrn"
        | "accountid" | "personid" => "external_id",
        "name" | "fullname" | "patientname" | "customername" | "membername" | "individual"
        | "individualname" => "full_name",
        "first" | "firstname" | "givenname" | "forename" | "fname" => "first_name",
        "last" | "lastname" | "surname" | "familyname" | "lname" => "last_name",
        "address" | "address1" | "addressline1" | "street" | "streetaddress" | "addr1"
        | "mailingaddress" | "homeaddress" => "address1",
        "address2" | "addressline2" | "addr2" | "apt" | "suite" | "unit" | "aptsuite" => "address2",
        "city" | "town" | "locality" => "city",
        "state" | "stateprovince" | "province" | "region" | "st" | "statecode"
        | "stateorprovince" => "state",
        "zip" | "zipcode" | "postalcode" | "postcode" | "zip5" | "postal" | "ziporpostalcode" => {
            "postal_code"
        }
        "country" | "countrycode" | "nation" => "country",
        "email" | "emailaddress" | "mail" => "email",
        "phone" | "phonenumber" | "telephone" | "mobile" | "tel" | "cell" => "phone",
        "dob" | "dateofbirth" | "birthdate" | "birthday" => "dob",
        "deceased" | "isdeceased" | "dateofdeath" | "dod" => "deceased",
        "minor" | "isminor" | "under18" => "minor",
        "guardian" | "parentguardian" | "guardianname" | "parent" | "parentorguardian" => {
            "guardian"
        }
        "dataelements" | "dataexposed" | "elementsexposed" | "exposeddata" | "datatypes"
        | "compromiseddata" | "elements" => "data_elements",
        "emailconsent" | "consentemail" | "emailoptin" | "electronicnotice"
        | "electronicconsent" | "emailnotice" => "email_consent",
        _ => return None,
    };
    Some(f)
}

impl Mapping {
    /// The mapping detected from a header row (the first column that matches a field wins).
    #[must_use]
    pub fn detect(header: &[String]) -> Mapping {
        let mut columns = BTreeMap::new();
        for h in header {
            if let Some(f) = field_for(h) {
                columns.entry(f.to_owned()).or_insert_with(|| h.clone());
            }
        }
        Mapping { columns }
    }

    /// Column indexes by field for this header.
    ///
    /// # Errors
    /// The message names the unknown field or the header that is not in the file, or says what
    /// is missing (a name).
    pub fn resolve(&self, header: &[String]) -> Result<Resolved, (String, String)> {
        let mut idx = [None; FIELDS.len()];
        for (field, col) in &self.columns {
            let Some(slot) = FIELDS.iter().position(|f| f == field) else {
                return Err((
                    format!("mapping.{field}"),
                    format!("is not a field (known: {})", FIELDS.join(", ")),
                ));
            };
            let i = header.iter().position(|h| h == col).ok_or_else(|| {
                (format!("mapping.{field}"), format!("the file has no column {col:?}"))
            })?;
            idx[slot] = Some(i);
        }
        let has = |f: &str| idx[slot(f)].is_some();
        if !(has("full_name") || has("first_name") || has("last_name")) {
            return Err((
                "mapping.full_name".into(),
                "map a name column (full_name, or first_name and last_name)".into(),
            ));
        }
        Ok(Resolved { idx })
    }
}

/// A mapping resolved against one header.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Column index by position in [`FIELDS`] (a lookup per cell of every row: no string keys).
    idx: [Option<usize>; FIELDS.len()],
}

/// The position of a field in [`FIELDS`] (past the end for a name that is not a field, whose
/// cell is then never found).
fn slot(field: &str) -> usize {
    FIELDS.iter().position(|f| *f == field).unwrap_or(FIELDS.len())
}

impl Resolved {
    /// The cell of `field` in `row`, trimmed; `None` when unmapped or blank.
    #[must_use]
    pub fn get<'a>(&self, row: super::read::Fields<'a>, field: &str) -> Option<&'a str> {
        self.cell(row, slot(field))
    }

    /// The cell of the field at position `slot` of [`FIELDS`] (see [`field`]), as [`Resolved::get`].
    #[must_use]
    pub(crate) fn cell<'a>(&self, row: super::read::Fields<'a>, slot: usize) -> Option<&'a str> {
        self.idx
            .get(slot)
            .copied()
            .flatten()
            .and_then(|i| row.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The header of the column that holds `field` (for error reports).
    #[must_use]
    pub fn column<'a>(&self, header: &'a [String], field: &str) -> &'a str {
        self.idx[slot(field)].and_then(|i| header.get(i)).map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_headers_are_recognised() {
        let header: Vec<String> = [
            "Patient ID",
            "First Name",
            "Last Name",
            "Street Address",
            "City",
            "State",
            "ZIP Code",
            "E-mail",
            "Date of Birth",
            "Data Exposed",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let m = Mapping::detect(&header);
        assert_eq!(m.columns.get("postal_code").map(String::as_str), Some("ZIP Code"));
        assert_eq!(m.columns.get("email").map(String::as_str), Some("E-mail"));
        assert_eq!(m.columns.get("data_elements").map(String::as_str), Some("Data Exposed"));
        assert_eq!(m.columns.len(), 10);
        assert!(m.resolve(&header).is_ok());
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(slot(f), i, "{f}");
        }
        let none = Mapping::detect(&["Colour".to_owned()]);
        assert_eq!(
            none.resolve(&["Colour".to_owned()]).expect_err("no name").0,
            "mapping.full_name"
        );
        let typo = Mapping { columns: [("email".to_owned(), "Mail".to_owned())].into() };
        assert_eq!(typo.resolve(&header).expect_err("missing column").0, "mapping.email");
    }
}

/// A mapping saved by name, for the next file of the same shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SavedMapping {
    pub name: String,
    pub mapping: Mapping,
    pub saved_at: String,
    pub saved_by: String,
}

impl crate::Breachdesk {
    /// Saves (or replaces) a named mapping.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on `name` when blank, or `mapping.<field>` for an unknown field.
    pub fn save_mapping(
        &self,
        ctx: &crate::Ctx,
        name: &str,
        mapping: &Mapping,
    ) -> crate::Result<SavedMapping> {
        let name = crate::incident::required("name", name, 100)?;
        if let Some(f) = mapping.columns.keys().find(|f| !FIELDS.contains(&f.as_str())) {
            return Err(crate::Error::validation(
                &format!("mapping.{f}"),
                format!("is not a field (known: {})", FIELDS.join(", ")),
            ));
        }
        let json = serde_json::to_string(mapping)
            .map_err(|source| crate::Error::Json { what: "a column mapping", source })?;
        let at = breachdesk_rules::time::to_storage(ctx.now);
        self.write(ctx, |tx| {
            tx.execute(
                "INSERT INTO import_mappings (name, mapping_json, saved_at, saved_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET mapping_json = excluded.mapping_json, saved_at = excluded.saved_at, saved_by = excluded.saved_by",
                rusqlite::params![name, json, at, ctx.actor],
            )?;
            Ok(((), vec![crate::audit::Change {
                action: "individuals.save_mapping",
                entity_type: "import_mapping",
                entity_id: name.clone(),
                before: None,
                after: Some(serde_json::json!({ "columns": mapping.columns })),
            }]))
        })?;
        Ok(SavedMapping {
            name,
            mapping: mapping.clone(),
            saved_at: at,
            saved_by: ctx.actor.clone(),
        })
    }

    /// The saved mappings, by name.
    ///
    /// # Errors
    /// Database errors.
    pub fn mappings(&self) -> crate::Result<Vec<SavedMapping>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare(
            "SELECT name, mapping_json, saved_at, saved_by FROM import_mappings ORDER BY name",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let json: String = r.get(1)?;
                Ok(SavedMapping {
                    name: r.get(0)?,
                    mapping: serde_json::from_str(&json).unwrap_or_default(),
                    saved_at: r.get(2)?,
                    saved_by: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One saved mapping by name.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`].
    pub fn mapping(&self, name: &str) -> crate::Result<Mapping> {
        self.mappings()?
            .into_iter()
            .find(|m| m.name == name.trim())
            .map(|m| m.mapping)
            .ok_or_else(|| crate::Error::NotFound { entity: "saved mapping", id: name.to_owned() })
    }
}
