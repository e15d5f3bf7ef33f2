//! ZIP code → US state, from the shipped table `rules/reference/zip-state.csv` (US Census 2010
//! ZCTAs; see the file's header for source, date and licence). A ZIP missing from the table (PO-box
//! ZIPs have no ZCTA) falls back to its 3-digit prefix when every known ZIP of that prefix is in
//! one state; otherwise the residence stays undetermined.

use std::sync::OnceLock;

static TABLE: &str = include_str!("../../../../rules/reference/zip-state.csv");

/// Every (ZIP, state code) row of the table, in ZIP order.
pub(crate) fn rows() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && *l != "zip,state")
        .filter_map(|l| l.split_once(','))
}

/// ZIP → state as flat tables: index into `states` + 1 (0: none), by five-digit ZIP and by prefix.
struct Zips {
    states: Vec<&'static str>,
    exact: Vec<u8>,
    prefix: Vec<u8>,
}

fn zips() -> &'static Zips {
    static Z: OnceLock<Zips> = OnceLock::new();
    Z.get_or_init(|| {
        let mut z = Zips { states: Vec::new(), exact: vec![0; 100_000], prefix: vec![0; 1000] };
        // A prefix whose ZIPs are in more than one state has no state (u8::MAX while building).
        for (zip, state) in rows() {
            let Ok(n) = zip.parse::<usize>() else { continue };
            if n >= 100_000 {
                continue;
            }
            let i = match z.states.iter().position(|s| *s == state) {
                Some(i) => i,
                None => {
                    z.states.push(state);
                    z.states.len() - 1
                }
            };
            let i = u8::try_from(i + 1).unwrap_or(u8::MAX);
            z.exact[n] = i;
            let p = &mut z.prefix[n / 100];
            *p = if *p == 0 || *p == i { i } else { u8::MAX };
        }
        for p in &mut z.prefix {
            if *p == u8::MAX {
                *p = 0;
            }
        }
        z
    })
}

/// The state's two-letter code (`TX`) of a five-digit ZIP, and whether it was an exact match (else
/// the ZIP's 3-digit prefix).
#[must_use]
pub fn state_code(zip5: &str) -> Option<(&'static str, bool)> {
    if zip5.len() != 5 || !zip5.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n = zip5.bytes().fold(0usize, |n, c| n * 10 + usize::from(c - b'0'));
    let t = zips();
    let state = |i: u8| t.states.get(usize::from(i).wrapping_sub(1)).copied();
    state(t.exact[n]).map(|s| (s, true)).or_else(|| state(t.prefix[n / 100]).map(|s| (s, false)))
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
