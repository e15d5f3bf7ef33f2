//! Jurisdiction codes: the 54 US jurisdictions (50 states, DC, PR, VI, GU) as ISO 3166-2 (`US-TX`, `US-DC`, `US-PR`, `US-VI`,
//! `US-GU`) and countries as ISO 3166-1 alpha-2.

/// The 50 states, DC, Puerto Rico, the US Virgin Islands and Guam (54 jurisdictions).
pub const US_JURISDICTIONS: [&str; 54] = [
    "US-AL", "US-AK", "US-AZ", "US-AR", "US-CA", "US-CO", "US-CT", "US-DE", "US-FL", "US-GA",
    "US-HI", "US-ID", "US-IL", "US-IN", "US-IA", "US-KS", "US-KY", "US-LA", "US-ME", "US-MD",
    "US-MA", "US-MI", "US-MN", "US-MS", "US-MO", "US-MT", "US-NE", "US-NV", "US-NH", "US-NJ",
    "US-NM", "US-NY", "US-NC", "US-ND", "US-OH", "US-OK", "US-OR", "US-PA", "US-RI", "US-SC",
    "US-SD", "US-TN", "US-TX", "US-UT", "US-VT", "US-VA", "US-WA", "US-WV", "US-WI", "US-WY",
    "US-DC", "US-PR", "US-VI", "US-GU",
];

/// Where GDPR applies: the 27 EU member states and the EEA states Iceland, Liechtenstein, Norway.
pub const GDPR_COUNTRIES: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// ISO 3166-1 alpha-2 (officially assigned codes).
const ISO_3166_1: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM \
FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV \
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD \
SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC \
VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Every ISO 3166-1 alpha-2 country code.
pub fn countries() -> impl Iterator<Item = &'static str> {
    ISO_3166_1.split_whitespace()
}

#[must_use]
pub fn is_us(code: &str) -> bool {
    US_JURISDICTIONS.contains(&code)
}

#[must_use]
pub fn is_country(code: &str) -> bool {
    // The list is in alphabetical order in 3-byte slots ("AD AE …"): a binary search, no allocation
    // (the importer asks once per row).
    let b = ISO_3166_1.as_bytes();
    let (mut lo, mut hi) = (0, b.len().div_ceil(3));
    while code.len() == 2 && lo < hi {
        let mid = (lo + hi) / 2;
        match b[3 * mid..3 * mid + 2].cmp(code.as_bytes()) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// A key allowed in the facts' `affected` map.
#[must_use]
pub fn is_affected_key(code: &str) -> bool {
    is_us(code) || is_country(code)
}

/// A jurisdiction a rule file may name.
#[must_use]
pub fn is_rule_jurisdiction(code: &str) -> bool {
    matches!(code, "US" | "EU" | "GB") || is_us(code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::ISO_3166_1.split_whitespace().count(), 249);
        let codes: Vec<&str> = super::countries().collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted, so the binary search is right");
        assert!(
            codes.iter().all(|c| super::is_country(c))
                && !super::is_country("ZZ")
                && !super::is_country("A")
        );
        assert!(
            super::is_affected_key("US-GU")
                && super::is_affected_key("DE")
                && !super::is_affected_key("US-XX")
        );
    }
}
