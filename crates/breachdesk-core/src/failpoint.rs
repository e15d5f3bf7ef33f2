//! Fail points for the crash tests: in a debug build (the one `make test` drives), a process whose
//! `BREACHDESK_FAILPOINT` names a point dies there at once, as a `kill -9` would — no destructor
//! runs, no transaction commits. `BREACHDESK_FAILPOINT=NAME:pause=MS` pauses there instead (to
//! hold a lock while another process tries its luck). Release builds compile every point to nothing.

/// Dies here when `BREACHDESK_FAILPOINT` names this point (debug builds only).
#[inline]
pub(crate) fn hit(name: &str) {
    #[cfg(debug_assertions)]
    if let Some(v) = std::env::var_os("BREACHDESK_FAILPOINT") {
        let v = v.to_string_lossy();
        match v.split_once(":pause=") {
            Some((point, ms)) if point == name => {
                std::thread::sleep(std::time::Duration::from_millis(ms.parse().unwrap_or(0)))
            }
            None if v == name => std::process::abort(),
            _ => {}
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// How long a writer waits for the write lock: `BREACHDESK_BUSY_TIMEOUT_MS` in debug builds (the
/// tests shorten it), else `default`.
pub(crate) fn busy_timeout_ms(default: u64) -> u64 {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("BREACHDESK_BUSY_TIMEOUT_MS").ok().and_then(|v| v.parse().ok())
    {
        return ms;
    }
    default
}
