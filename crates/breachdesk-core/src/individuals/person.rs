//! One row of a file → one person: the reader thread's work for every row of an import (check,
//! clean, find the residence, hash the dedupe key).
//!
//! A person's text fields are buffers that the next row overwrites: the import hands each chunk
//! of people to the writer and gets it back, so once the buffers have grown a row costs no
//! allocation, and no row's memory is freed on another thread.

use super::mapping::{field as f, Resolved};
use super::normalize::{self as nz, Scratch};
use super::read::Fields;
use super::{zip, RowError};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// A person built from one row. A text field is "" when the row has none.
#[derive(Default)]
pub(super) struct Person {
    pub external_id: String,
    pub full_name: String,
    pub name_key: String,
    pub last_key: String,
    pub email: String,
    pub phone: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    /// The state column as written (cleaned).
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub dob: String,
    pub residence: String,
    pub residence_src: Option<&'static str>,
    pub minor: bool,
    pub deceased: bool,
    pub guardian: String,
    pub no_postal: bool,
    pub no_email: bool,
    /// Agreed to notice by e-mail (and has an address).
    pub email_consent: bool,
    pub elements: u32,
    /// The state column and the ZIP code name different states.
    pub conflict: bool,
    /// The first 16 bytes of the SHA-256 of the normalised record: identical records share it.
    pub key: [u8; 16],
}

/// A text field as stored: NULL when absent.
pub(super) fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// The reader's own buffers, reused from row to row.
#[derive(Default)]
pub(super) struct Buffers {
    scratch: Scratch,
    address_key: String,
}

/// Fills `p` from `row` (row number `n` of the file), or gives every reason the row is refused.
pub(super) fn fill(
    p: &mut Person,
    m: &Resolved,
    header: &[String],
    row: Fields<'_>,
    n: u64,
    today: NaiveDate,
    buf: &mut Buffers,
) -> std::result::Result<(), Vec<RowError>> {
    for s in [
        &mut p.external_id,
        &mut p.full_name,
        &mut p.name_key,
        &mut p.last_key,
        &mut p.email,
        &mut p.phone,
        &mut p.address1,
        &mut p.address2,
        &mut p.city,
        &mut p.region,
        &mut p.postal_code,
        &mut p.country,
        &mut p.dob,
        &mut p.residence,
        &mut p.guardian,
    ] {
        s.clear();
    }
    let scratch = &mut buf.scratch;
    let get = |slot: usize| m.cell(row, slot);
    let mut errs = Vec::new();
    match get(f::FULL_NAME) {
        Some(full) => nz::clean_into(&[full], &mut p.full_name, scratch),
        None => nz::clean_into(
            &[get(f::FIRST_NAME).unwrap_or(""), get(f::LAST_NAME).unwrap_or("")],
            &mut p.full_name,
            scratch,
        ),
    }
    if p.full_name.is_empty() {
        let column = if m.column(header, "full_name").is_empty() {
            [m.column(header, "first_name"), m.column(header, "last_name")]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" + ")
        } else {
            m.column(header, "full_name").to_owned()
        };
        errs.push(RowError { row: n, column, reason: "no name".into() });
    }
    let mut fail = |field: &str, reason: &str| {
        errs.push(RowError {
            row: n,
            column: m.column(header, field).to_owned(),
            reason: reason.to_owned(),
        })
    };
    if p.full_name.chars().count() > 300 {
        fail("full_name", "longer than 300 characters");
    }
    match get(f::LAST_NAME) {
        Some(last) => nz::name_key_into(last, &mut p.last_key, scratch),
        None => nz::lower_into(p.full_name.rsplit(' ').next().unwrap_or(""), &mut p.last_key), // already clean
    }
    if let Some(Err(r)) = get(f::EMAIL).map(|e| nz::email_into(e, &mut p.email)) {
        fail("email", r);
    }
    let dob = get(f::DOB).and_then(|d| match nz::date(d) {
        Ok(d) if d > today => {
            fail("dob", "is in the future");
            None
        }
        Ok(d) => Some(d),
        Err(r) => {
            fail("dob", r);
            None
        }
    });
    if let Some(Err(r)) = get(f::COUNTRY).map(|c| nz::country_into(c, &mut p.country)) {
        fail("country", r);
    }
    let us = p.country.is_empty() || p.country == "US";
    // The state column's state, as ISO 3166-2, goes straight into the residence.
    let mut state = false;
    if us {
        match get(f::STATE).map(|s| nz::us_state_into(s, &mut p.residence)) {
            Some(Ok(())) => state = true,
            Some(Err(r)) => fail("state", r),
            None => {}
        }
    }
    match get(f::POSTAL_CODE) {
        Some(z)
            if us
                && (state
                    || !p.country.is_empty()
                    || z.bytes().filter(u8::is_ascii_digit).count() >= 3) =>
        {
            if let Err(r) = nz::us_zip_into(z, &mut p.postal_code) {
                fail("postal_code", r);
            }
        }
        Some(z) => nz::clean_into(&[z], &mut p.postal_code, scratch),
        None => {}
    }
    // The ZIP's own state, when it names one exactly and the state column says another.
    p.conflict = state
        && zip::state_code(&p.postal_code)
            .is_some_and(|(zs, exact)| exact && p.residence.strip_prefix("US-") != Some(zs));
    p.residence_src = if !us {
        p.residence.push_str(&p.country);
        Some("country")
    } else if state {
        Some("state")
    } else {
        match zip::state_code(&p.postal_code) {
            Some((s, exact)) => {
                p.residence.push_str("US-");
                p.residence.push_str(s);
                Some(if exact { "zip" } else { "zip_prefix" })
            }
            None => None,
        }
    };
    p.elements = get(f::DATA_ELEMENTS).map_or(0, |e| match nz::elements(e) {
        Ok(b) => b,
        Err(r) => {
            fail("data_elements", r);
            0
        }
    });
    let minor_by_age = dob.is_some_and(|d| {
        d.checked_add_months(chrono::Months::new(18 * 12)).is_some_and(|adult| adult > today)
    });
    let mut text = |slot: usize, out: &mut String| {
        if let Some(v) = get(slot) {
            nz::clean_into(&[v], out, scratch);
        }
    };
    text(f::ADDRESS1, &mut p.address1);
    text(f::CITY, &mut p.city);
    if !errs.is_empty() {
        return Err(errs);
    }
    text(f::EXTERNAL_ID, &mut p.external_id);
    text(f::PHONE, &mut p.phone);
    text(f::ADDRESS2, &mut p.address2);
    text(f::STATE, &mut p.region);
    text(f::GUARDIAN, &mut p.guardian);
    p.no_postal = p.address1.is_empty() || (p.postal_code.is_empty() && p.city.is_empty());
    p.no_email = p.email.is_empty();
    p.email_consent = !p.no_email && get(f::EMAIL_CONSENT).is_some_and(nz::truthy);
    buf.address_key.clear();
    nz::address_key_into(
        &[&p.address1, get(f::ADDRESS2).unwrap_or("")],
        &mut buf.address_key,
        &mut buf.scratch,
    );
    nz::lower_into(&p.full_name, &mut p.name_key); // full_name is already cleaned
    if let Some(d) = dob {
        nz::date_into(d, &mut p.dob);
    }
    let mut h = Sha256::new();
    for part in [&p.name_key, &p.dob, &p.email, &buf.address_key, &p.postal_code, &p.residence] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    p.key.copy_from_slice(&h.finalize()[..16]);
    if p.country.is_empty() && p.residence.starts_with("US-") {
        p.country.push_str("US");
    }
    p.minor = get(f::MINOR).is_some_and(nz::truthy) || minor_by_age;
    p.deceased = get(f::DECEASED).is_some_and(nz::truthy);
    Ok(())
}
