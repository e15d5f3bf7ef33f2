//! Cleaning one person's fields: names (Unicode NFC, case, whitespace), e-mail, postal addresses
//! (common USPS abbreviations), dates of birth, states, countries, ZIP codes and data elements.
//! Errors are reasons without the value, so an error report never carries personal data.

use breachdesk_rules::jurisdiction::{is_country, US_JURISDICTIONS};
use breachdesk_rules::schema::RECOGNISED_DATA_TYPES;
use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// Buffers reused from row to row by the `_into` forms, so that cleaning a row allocates nothing
/// once they have grown.
#[derive(Default)]
pub struct Scratch {
    nfc: String,
    text: String,
    words: Vec<(usize, usize)>,
}

/// NFC, whitespace collapsed, trimmed.
#[must_use]
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    clean_into(&[s], &mut out, &mut Scratch::default());
    out
}

/// Appends the words of `parts` (NFC, one space between words, none around them).
pub fn clean_into(parts: &[&str], out: &mut String, scratch: &mut Scratch) {
    let start = out.len();
    for part in parts {
        if already_clean(part.as_bytes()) {
            // The common case, taken whole.
            if !part.is_empty() {
                if out.len() > start {
                    out.push(' ');
                }
                out.push_str(part);
            }
            continue;
        }
        let text = if part.is_ascii() {
            part // ASCII is already in NFC
        } else {
            scratch.nfc.clear();
            scratch.nfc.extend(part.nfc());
            scratch.nfc.as_str()
        };
        for w in text.split_whitespace() {
            if out.len() > start {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
}

/// ASCII with single spaces between words and none around them: already as [`clean`] leaves it.
fn already_clean(b: &[u8]) -> bool {
    let mut space = true; // no space at the start
    for &c in b {
        match c {
            b' ' if space => return false,
            b' ' => space = true,
            b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => return false,
            c if c >= 0x80 => return false,
            _ => space = false,
        }
    }
    !space || b.is_empty()
}

/// Appends `s` lower-cased.
pub fn lower_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase()); // str's rules (a final sigma), not char by char
    }
}

/// The comparison form of a name: cleaned and lower-cased.
#[must_use]
pub fn name_key(s: &str) -> String {
    let mut out = String::new();
    name_key_into(s, &mut out, &mut Scratch::default());
    out
}

/// Appends the comparison form of a name.
pub fn name_key_into(s: &str, out: &mut String, scratch: &mut Scratch) {
    let mut cleaned = std::mem::take(&mut scratch.text);
    cleaned.clear();
    clean_into(&[s], &mut cleaned, scratch);
    lower_into(&cleaned, out);
    scratch.text = cleaned;
}

/// A lower-cased e-mail address, or why it is not one.
///
/// # Errors
/// A reason (without the value).
pub fn email(s: &str) -> Result<String, &'static str> {
    let mut out = String::new();
    email_into(s, &mut out)?;
    Ok(out)
}

/// Appends a lower-cased e-mail address, or says why it is not one (appending nothing).
///
/// # Errors
/// A reason (without the value).
pub fn email_into(s: &str, out: &mut String) -> Result<(), &'static str> {
    let start = out.len();
    lower_into(s.trim(), out);
    let e = &out[start..];
    let check = || {
        let (local, domain) = e.split_once('@').ok_or("not an e-mail address (no @)")?;
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains('@')
        {
            return Err("not an e-mail address");
        }
        if e.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("an e-mail address cannot contain spaces");
        }
        Ok(())
    };
    let verdict = check();
    if verdict.is_err() {
        out.truncate(start);
    }
    verdict
}

/// The USPS abbreviation of a common address word (Publication 28): STREET → ST.
fn usps(word: &str) -> Option<&'static str> {
    Some(match word {
        "STREET" => "ST",
        "AVENUE" => "AVE",
        "ROAD" => "RD",
        "BOULEVARD" => "BLVD",
        "DRIVE" => "DR",
        "LANE" => "LN",
        "COURT" => "CT",
        "PLACE" => "PL",
        "SUITE" => "STE",
        "APARTMENT" => "APT",
        "NORTH" => "N",
        "SOUTH" => "S",
        "EAST" => "E",
        "WEST" => "W",
        "NORTHEAST" => "NE",
        "NORTHWEST" => "NW",
        "SOUTHEAST" => "SE",
        "SOUTHWEST" => "SW",
        "HIGHWAY" => "HWY",
        "PARKWAY" => "PKWY",
        "CIRCLE" => "CIR",
        "TERRACE" => "TER",
        "SQUARE" => "SQ",
        "TRAIL" => "TRL",
        "FLOOR" => "FL",
        "BUILDING" => "BLDG",
        "EXPRESSWAY" => "EXPY",
        "FREEWAY" => "FWY",
        "MOUNT" => "MT",
        _ => return None,
    })
}

/// An address line in its USPS-style comparison form: upper case, no punctuation, common words
/// abbreviated ("123 North Main Street, Apt. 4" → "123 N MAIN ST APT 4").
#[must_use]
pub fn address_key(s: &str) -> String {
    let mut out = String::new();
    address_key_into(&[s], &mut out, &mut Scratch::default());
    out
}

/// Appends the comparison form of the address lines `parts` (as if joined by a space).
pub fn address_key_into(parts: &[&str], out: &mut String, scratch: &mut Scratch) {
    let Scratch { nfc, text: upper, words } = scratch;
    upper.clear();
    words.clear();
    // The words, upper-cased, split at whitespace and at . , #
    for part in parts {
        let text = if part.is_ascii() {
            part
        } else {
            nfc.clear();
            nfc.extend(part.nfc());
            nfc.as_str()
        };
        let mut start = None;
        for c in text.chars() {
            for u in c.to_uppercase() {
                if u.is_whitespace() || matches!(u, '.' | ',' | '#') {
                    if let Some(s) = start.take() {
                        words.push((s, upper.len()));
                    }
                } else {
                    start.get_or_insert(upper.len());
                    upper.push(u);
                }
            }
        }
        if let Some(s) = start {
            words.push((s, upper.len()));
        }
    }
    let word = |i: usize| words.get(i).map_or("", |&(a, b)| &upper[a..b]);
    let begin = out.len();
    let mut i = 0;
    while i < words.len() {
        if out.len() > begin {
            out.push(' ');
        }
        // "P O BOX" and "POST OFFICE BOX" are both "PO BOX".
        if matches!(
            (word(i), word(i + 1), word(i + 2)),
            ("P", "O", "BOX") | ("POST", "OFFICE", "BOX")
        ) {
            out.push_str("PO BOX");
            i += 3;
            continue;
        }
        let w = word(i);
        out.push_str(usps(w).unwrap_or(w));
        i += 1;
    }
}

/// Four, two and two ASCII digits at the given positions of `b`, as a date.
fn ymd(b: &[u8], y: usize, m: usize, d: usize, widths: (usize, usize)) -> Option<NaiveDate> {
    let num = |at: usize, len: usize| -> Option<u32> {
        let part = b.get(at..at + len)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, c| n * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(y, 4)?).ok()?, num(m, widths.0)?, num(d, widths.1)?)
}

/// The common shapes parsed without a format string: `YYYY-MM-DD`, `YYYY/MM/DD`, `MM/DD/YYYY`
/// (and one-digit months and days in the US form).
fn quick_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    match b.len() {
        10 if (b[4] == b'-' || b[4] == b'/') && b[7] == b[4] => ymd(b, 0, 5, 8, (2, 2)),
        8..=10 if !b.contains(&b'-') => {
            let (m, rest) = t.split_once('/')?;
            let (d, y) = rest.split_once('/')?;
            if m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 || y.len() != 4 {
                return None;
            }
            let num = |p: &str| {
                p.bytes()
                    .all(|c| c.is_ascii_digit())
                    .then(|| p.bytes().fold(0, |n, c| n * 10 + u32::from(c - b'0')))
            };
            NaiveDate::from_ymd_opt(i32::try_from(num(y)?).ok()?, num(m)?, num(d)?)
        }
        _ => None,
    }
}

/// A date of birth as `YYYY-MM-DD` from ISO (`1980-04-09`, `1980/04/09`) or US (`4/9/1980`) form.
///
/// # Errors
/// A reason (without the value).
pub fn date(s: &str) -> Result<NaiveDate, &'static str> {
    let t = s.trim();
    let t = t.split(['T', ' ']).next().unwrap_or(t);
    if let Some(d) = quick_date(t).filter(|d| (1850..=9999).contains(&chrono::Datelike::year(d))) {
        return Ok(d);
    }
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%m-%d-%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            if (1850..=9999).contains(&chrono::Datelike::year(&d)) {
                return Ok(d);
            }
        }
    }
    Err("not a date (use YYYY-MM-DD or MM/DD/YYYY)")
}

const STATE_NAMES: [(&str, &str); 54] = [
    ("ALABAMA", "AL"),
    ("ALASKA", "AK"),
    ("ARIZONA", "AZ"),
    ("ARKANSAS", "AR"),
    ("CALIFORNIA", "CA"),
    ("COLORADO", "CO"),
    ("CONNECTICUT", "CT"),
    ("DELAWARE", "DE"),
    ("FLORIDA", "FL"),
    ("GEORGIA", "GA"),
    ("HAWAII", "HI"),
    ("IDAHO", "ID"),
    ("ILLINOIS", "IL"),
    ("INDIANA", "IN"),
    ("IOWA", "IA"),
    ("KANSAS", "KS"),
    ("KENTUCKY", "KY"),
    ("LOUISIANA", "LA"),
    ("MAINE", "ME"),
    ("MARYLAND", "MD"),
    ("MASSACHUSETTS", "MA"),
    ("MICHIGAN", "MI"),
    ("MINNESOTA", "MN"),
    ("MISSISSIPPI", "MS"),
    ("MISSOURI", "MO"),
    ("MONTANA", "MT"),
    ("NEBRASKA", "NE"),
    ("NEVADA", "NV"),
    ("NEW HAMPSHIRE", "NH"),
    ("NEW JERSEY", "NJ"),
    ("NEW MEXICO", "NM"),
    ("NEW YORK", "NY"),
    ("NORTH CAROLINA", "NC"),
    ("NORTH DAKOTA", "ND"),
    ("OHIO", "OH"),
    ("OKLAHOMA", "OK"),
    ("OREGON", "OR"),
    ("PENNSYLVANIA", "PA"),
    ("RHODE ISLAND", "RI"),
    ("SOUTH CAROLINA", "SC"),
    ("SOUTH DAKOTA", "SD"),
    ("TENNESSEE", "TN"),
    ("TEXAS", "TX"),
    ("UTAH", "UT"),
    ("VERMONT", "VT"),
    ("VIRGINIA", "VA"),
    ("WASHINGTON", "WA"),
    ("WEST VIRGINIA", "WV"),
    ("WISCONSIN", "WI"),
    ("WYOMING", "WY"),
    ("DISTRICT OF COLUMBIA", "DC"),
    ("PUERTO RICO", "PR"),
    ("US VIRGIN ISLANDS", "VI"),
    ("GUAM", "GU"),
];

/// Appends a date as `YYYY-MM-DD` (years 1000–9999, as [`date`] gives them).
pub fn date_into(d: NaiveDate, out: &mut String) {
    use chrono::Datelike;
    let digits = |n: u32, width: u32, out: &mut String| {
        for p in (0..width).rev() {
            out.push(char::from(b'0' + u8::try_from(n / 10u32.pow(p) % 10).unwrap_or(0)));
        }
    };
    digits(u32::try_from(d.year()).unwrap_or(0), 4, out);
    out.push('-');
    digits(d.month(), 2, out);
    out.push('-');
    digits(d.day(), 2, out);
}

/// Which two-letter codes (AA..ZZ, 26 × 26) are US states or territories.
fn us_codes() -> &'static [bool; 676] {
    static CODES: std::sync::OnceLock<[bool; 676]> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        let mut t = [false; 676];
        for code in US_JURISDICTIONS {
            let b = code.as_bytes();
            t[usize::from(b[3] - b'A') * 26 + usize::from(b[4] - b'A')] = true;
        }
        t
    })
}

/// Appends a US state or territory as ISO 3166-2 (see [`us_state`]), or says why not (appending
/// nothing).
///
/// # Errors
/// A reason (without the value).
pub fn us_state_into(s: &str, out: &mut String) -> Result<(), &'static str> {
    let t = s.trim();
    if t.len() == 2 && t.bytes().all(|c| c.is_ascii_alphabetic()) {
        // The common case, a two-letter code, without the name lookups.
        let (a, b) = (t.as_bytes()[0].to_ascii_uppercase(), t.as_bytes()[1].to_ascii_uppercase());
        if !us_codes()[usize::from(a - b'A') * 26 + usize::from(b - b'A')] {
            return Err("not a US state or territory");
        }
        out.push_str("US-");
        out.push(char::from(a));
        out.push(char::from(b));
        return Ok(());
    }
    out.push_str(&us_state(t)?);
    Ok(())
}

/// A US state or territory as ISO 3166-2 (`US-TX`) from a code (`TX`, `US-TX`) or a name (`Texas`).
///
/// # Errors
/// A reason (without the value).
pub fn us_state(s: &str) -> Result<String, &'static str> {
    let t = s.trim();
    if t.len() == 2 && t.bytes().all(|c| c.is_ascii_alphabetic()) {
        let mut out = String::with_capacity(5);
        us_state_into(t, &mut out)?;
        return Ok(out);
    }
    let u = clean(s).to_uppercase().replace('.', "");
    let code = u.strip_prefix("US-").unwrap_or(&u);
    let code = match code {
        "VIRGIN ISLANDS" | "USVI" | "US VI" => "VI",
        "WASHINGTON DC" | "WASHINGTON D C" | "DC" | "D C" => "DC",
        c => STATE_NAMES.iter().find(|(n, _)| *n == c).map_or(c, |(_, k)| k),
    };
    let iso = format!("US-{code}");
    if US_JURISDICTIONS.contains(&iso.as_str()) {
        Ok(iso)
    } else {
        Err("not a US state or territory")
    }
}

/// Appends a country as ISO 3166-1 alpha-2 (see [`country`]), or says why not (appending nothing).
///
/// # Errors
/// A reason (without the value).
pub fn country_into(s: &str, out: &mut String) -> Result<(), &'static str> {
    let t = s.trim();
    if t.len() == 2 && t.bytes().all(|c| c.is_ascii_alphabetic()) {
        // The common case, a two-letter code.
        let code = [t.as_bytes()[0].to_ascii_uppercase(), t.as_bytes()[1].to_ascii_uppercase()];
        let code = if &code == b"UK" { "GB" } else { std::str::from_utf8(&code).unwrap_or("") };
        if is_country(code) {
            out.push_str(code);
            return Ok(());
        }
    }
    out.push_str(&country(s)?);
    Ok(())
}

/// A country as ISO 3166-1 alpha-2 from a code or a few common names.
///
/// # Errors
/// A reason (without the value).
pub fn country(s: &str) -> Result<String, &'static str> {
    let u = clean(s).to_uppercase().replace('.', "");
    let code = match u.as_str() {
        "USA" | "UNITED STATES" | "UNITED STATES OF AMERICA" | "US" | "U S" | "U S A" => "US",
        "UK" | "UNITED KINGDOM" | "GREAT BRITAIN" | "ENGLAND" | "SCOTLAND" | "WALES"
        | "NORTHERN IRELAND" => "GB",
        "GERMANY" | "DEUTSCHLAND" => "DE",
        "FRANCE" => "FR",
        "CANADA" => "CA",
        "MEXICO" | "MÉXICO" => "MX",
        "IRELAND" => "IE",
        "SPAIN" | "ESPAÑA" => "ES",
        "ITALY" | "ITALIA" => "IT",
        "NETHERLANDS" | "THE NETHERLANDS" => "NL",
        c => c,
    };
    if is_country(code) {
        Ok(code.to_owned())
    } else {
        Err("not a country (use an ISO 3166-1 code such as US, DE, GB)")
    }
}

/// A US ZIP code as five digits (ZIP+4 cut; leading zeros that a spreadsheet dropped restored).
///
/// # Errors
/// A reason (without the value).
pub fn us_zip(s: &str) -> Result<String, &'static str> {
    let mut out = String::with_capacity(5);
    us_zip_into(s, &mut out)?;
    Ok(out)
}

/// Appends a US ZIP code as five digits (see [`us_zip`]), or says why not (appending nothing).
///
/// # Errors
/// A reason (without the value).
pub fn us_zip_into(s: &str, out: &mut String) -> Result<(), &'static str> {
    let t = s.trim();
    let five = t.split('-').next().unwrap_or(t).trim();
    let five =
        if five.len() == 9 && five.bytes().all(|c| c.is_ascii_digit()) { &five[..5] } else { five };
    if five.is_empty()
        || five.len() > 5
        || !five.bytes().all(|c| c.is_ascii_digit())
        || five.len() < 3
    {
        return Err("not a US ZIP code");
    }
    for _ in five.len()..5 {
        out.push('0');
    }
    out.push_str(five);
    Ok(())
}

/// A yes/no cell: yes, y, true, 1, x (and a non-empty date for "deceased"-style columns).
#[must_use]
pub fn truthy(s: &str) -> bool {
    const YES: [&str; 8] = ["y", "yes", "true", "1", "x", "deceased", "minor", "t"];
    let t = s.trim();
    if t.is_empty() || YES.iter().any(|y| t.eq_ignore_ascii_case(y)) {
        return !t.is_empty();
    }
    let t = t.to_lowercase();
    matches!(t.as_str(), "y" | "yes" | "true" | "1" | "x" | "deceased" | "minor" | "t")
        || (t.len() >= 8 && date(&t).is_ok())
}

/// Data elements named in one cell (separated by `;`, `,` or `|`) as a bit set over
/// [`RECOGNISED_DATA_TYPES`].
///
/// # Errors
/// A reason (without the value).
pub fn elements(s: &str) -> Result<u32, &'static str> {
    let mut bits = 0u32;
    for part in s.split([';', ',', '|', '/']).map(str::trim).filter(|p| !p.is_empty()) {
        // The part lower-cased, letters and digits only; every name of the vocabulary is ASCII
        // and short, so anything else is outside it.
        let (mut buf, mut len, mut other) = ([0u8; 32], 0, false);
        for l in part.chars().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()) {
            match u8::try_from(l) {
                Ok(b) if b.is_ascii() && len < buf.len() => {
                    buf[len] = b;
                    len += 1;
                }
                _ => other = true,
            }
        }
        let k = if other { "" } else { std::str::from_utf8(&buf[..len]).unwrap_or("") };
        let name = match k {
            "name" | "fullname" | "names" => "name",
            "address" | "postaladdress" | "mailingaddress" | "homeaddress" => "address",
            "email" | "emailaddress" => "email",
            "phone" | "phonenumber" | "telephone" => "phone",
            "dob" | "dateofbirth" | "birthdate" => "dob",
            "ssn" | "socialsecuritynumber" | "socialsecurity" => "ssn",
            "taxid" | "tin" | "itin" => "tax_id",
            "driverslicense" | "driverslicence" | "dl" | "driverslicensenumber" | "stateid" => {
                "drivers_license"
            }
            "passport" | "passportnumber" => "passport",
            "financialaccount" | "bankaccount" | "accountnumber" => "financial_account",
            "paymentcard" | "creditcard" | "debitcard" | "cardnumber" => "payment_card",
            "usernamepassword" | "credentials" | "password" | "login" => "username_password",
            "medical" | "medicalinformation" | "phi" | "diagnosis" | "treatment"
            | "medicalrecord" => "medical",
            "healthinsurance" | "insurance" | "memberid" => "health_insurance",
            "biometric" | "biometrics" | "fingerprint" => "biometric",
            "genetic" | "dna" => "genetic",
            "precisegeolocation" | "geolocation" | "location" => "precise_location",
            _ => return Err("names a data element outside the vocabulary"),
        };
        let i = RECOGNISED_DATA_TYPES
            .iter()
            .position(|t| *t == name)
            .ok_or("names a data element outside the vocabulary")?;
        bits |= 1 << i;
    }
    Ok(bits)
}

/// The names of the data elements in a bit set.
#[must_use]
pub fn element_names(bits: u32) -> Vec<&'static str> {
    RECOGNISED_DATA_TYPES
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, t)| *t)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_addresses_normalise() {
        // "é" as e + combining acute and as one code point compare equal after NFC.
        assert_eq!(name_key("  Jose\u{301}   GARCÍA "), name_key("José García"));
        assert_eq!(address_key("123 North Main Street, Apt. #4"), "123 N MAIN ST APT 4");
        assert_eq!(address_key("P.O. Box 12"), "PO BOX 12");
        assert_eq!(address_key("Post Office Box 12, North"), "PO BOX 12 N");
        assert_eq!(address_key("  "), "");
    }

    #[test]
    fn fields_are_checked_with_reasons_not_values() {
        assert_eq!(email(" Ana@Example.COM "), Ok("ana@example.com".into()));
        assert!(
            email("ana.example.com").is_err()
                && email("ana@com").is_err()
                && email("a b@x.org").is_err()
        );
        assert_eq!(date("4/9/1980").map(|d| d.to_string()), Ok("1980-04-09".into()));
        assert_eq!(date("1980-04-09T00:00:00").map(|d| d.to_string()), Ok("1980-04-09".into()));
        assert!(date("31/12/1980").is_err());
        for (text, iso) in [
            ("1980/04/09", "1980-04-09"),
            ("04/09/1980", "1980-04-09"),
            ("12/31/1999", "1999-12-31"),
            ("4-9-1980", "1980-04-09"),
            ("2024-02-29", "2024-02-29"),
        ] {
            assert_eq!(date(text).map(|d| d.to_string()), Ok(iso.into()), "{text}");
        }
        for bad in
            ["2023-02-29", "1980-13-01", "13/01/1980", "1980-4-9x", "1700-01-01", "1980-04-0a"]
        {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert!(us_state("tx").is_ok() && us_state("ZZ").is_err());
        assert_eq!(us_state("texas"), Ok("US-TX".into()));
        assert_eq!(us_state("US-PR"), Ok("US-PR".into()));
        assert_eq!(us_state("Washington D.C."), Ok("US-DC".into()));
        assert!(us_state("XX").is_err());
        assert_eq!(country("Deutschland"), Ok("DE".into()));
        assert!(country("Atlantis").is_err());
        assert_eq!(us_zip("2134"), Ok("02134".into()), "a dropped leading zero is restored");
        assert_eq!(us_zip("98101-1234"), Ok("98101".into()));
        assert!(us_zip("ABCDE").is_err());
        let bits = elements("SSN; Date of Birth | medical").expect("known");
        assert_eq!(element_names(bits), ["dob", "ssn", "medical"]);
        assert!(elements("favourite colour").is_err());
        assert!(truthy("Yes") && truthy("2021-01-05") && !truthy("no") && !truthy(""));
    }

    /// The appending forms (used for every row of an import) answer as the plain ones.
    #[test]
    fn appending_forms_agree_with_the_plain_ones() {
        let mut scratch = Scratch::default();
        let mut out = String::from("kept|");
        address_key_into(&["12 North Main St.", "Apt #4"], &mut out, &mut scratch);
        assert_eq!(out, "kept|12 N MAIN ST APT 4");
        out.clear();
        address_key_into(&["P.O.", "Box 7"], &mut out, &mut scratch);
        assert_eq!(out, "PO BOX 7", "a box split across the two lines");
        out.clear();
        clean_into(&["  Zoe\u{308} ", " de  la Cruz "], &mut out, &mut scratch);
        assert_eq!(out, "Zoë de la Cruz");
        for (text, clean_text) in [
            ("Ana Ruiz", "Ana Ruiz"),
            ("Ana  Ruiz", "Ana Ruiz"),
            (" Ana", "Ana"),
            ("Ana ", "Ana"),
            ("A\tB", "A B"),
            ("", ""),
            (" ", ""),
        ] {
            assert_eq!(clean(text), clean_text, "{text:?}");
        }
        out.clear();
        name_key_into("ΟΔΥΣΣΕΥΣ", &mut out, &mut scratch);
        assert_eq!(out, "ΟΔΥΣΣΕΥΣ".to_lowercase(), "a final sigma as str lower-cases it");
        assert_eq!(
            (country("uk"), country(" us "), country("Deutschland")),
            (Ok("GB".into()), Ok("US".into()), Ok("DE".into()))
        );
        let mut e = String::from("x");
        assert!(email_into("not an address", &mut e).is_err());
        assert_eq!(e, "x", "nothing appended on error");
        assert!(us_state_into("ZZ", &mut e).is_err() && us_zip_into("12", &mut e).is_err());
        assert_eq!(e, "x");
        out.clear();
        date_into(date("7/4/1976").expect("date"), &mut out);
        assert_eq!(out, "1976-07-04");
        assert!(truthy(" YES ") && truthy("t") && !truthy("maybe"));
        assert!(elements("Médical").is_err() && elements("Social Security").is_ok());
    }
}
