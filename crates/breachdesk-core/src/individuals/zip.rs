//! ZIP code → US state, from the shipped table `rules/reference/zip-state.csv` (US Census 2010
//! ZCTAs; see the file's header for source, date and licence). A ZIP missing from the table (PO-box
//! ZIPs have no ZCTA) falls back to its 3-digit prefix when every known ZIP of that prefix is in
//! one state; otherwise the residence stays undetermined.

use std::collections::HashMap;
use std::sync::OnceLock;

static TABLE: &str = include_str!("../../../../rules/reference/zip-state.csv");

/// Every (ZIP, state code) row of the table, in ZIP order.
pub(crate) fn rows() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE.lines().filter(|l| !l.starts_with('#') && *l != "zip,state").filter_map(|l| l.split_once(','))
}

struct Zips {
    exact: HashMap<u32, &'static str>,
    prefix: HashMap<u32, &'static str>,
}

fn zips() -> &'static Zips {
    static Z: OnceLock<Zips> = OnceLock::new();
    Z.get_or_init(|| {
        let mut exact = HashMap::new();
        let mut prefix: HashMap<u32, Option<&'static str>> = HashMap::new();
        for (zip, state) in rows() {
            let Ok(z) = zip.parse::<u32>() else { continue };
            exact.insert(z, state);
            prefix.entry(z / 100).and_modify(|s| if *s != Some(state) { *s = None }).or_insert(Some(state));
        }
        Zips { exact, prefix: prefix.into_iter().filter_map(|(p, s)| s.map(|s| (p, s))).collect() }
    })
}

/// The state's two-letter code (`TX`) of a five-digit ZIP, and whether it was an exact match (else
/// the ZIP's 3-digit prefix).
#[must_use]
pub fn state_code(zip5: &str) -> Option<(&'static str, bool)> {
    let z: u32 = zip5.parse().ok()?;
    let t = zips();
    t.exact.get(&z).map(|s| (*s, true)).or_else(|| t.prefix.get(&(z / 100)).map(|s| (*s, false)))
}

#[cfg(test)]
mod tests {
    use super::state_code as state_of;

    #[test]
    fn zips_resolve_to_states() {
        assert_eq!(state_of("98101"), Some(("WA", true)));
        assert_eq!(state_of("00901"), Some(("PR", true)));
        assert_eq!(state_of("02134"), Some(("MA", true)));
        // The White House ZIP has no ZCTA; every known 205xx ZIP is in DC.
        assert_eq!(state_of("20500"), Some(("DC", false)));
        // 75260 is a Dallas PO-box ZIP without a ZCTA: the 752 prefix is all Texas.
        assert_eq!(state_of("75260"), Some(("TX", false)));
        assert_eq!(state_of("00000"), None);
    }
}
