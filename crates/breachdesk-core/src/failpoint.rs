//! Fail points for the crash tests: in a debug build (the one `make test` drives), a process whose
//! `BREACHDESK_FAILPOINT` names a point dies there at once, as a `kill -9` would — no destructor
//! runs, no transaction commits. Release builds compile every point to nothing.

/// Dies here when `BREACHDESK_FAILPOINT` names this point (debug builds only).
#[inline]
pub(crate) fn hit(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var_os("BREACHDESK_FAILPOINT").is_some_and(|v| v == name) {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}
