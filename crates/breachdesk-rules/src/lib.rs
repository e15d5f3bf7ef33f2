//! Breachdesk's pure rule engine.
//!
//! Everything here is a function of its inputs: no database, no keyring, no clock. Time is always
//! passed in. The notification rules themselves arrive with the clock engine; for now this crate
//! holds the time handling every later rule depends on, so that the store and the rules read a
//! timestamp the same way.

pub mod time;
