//! Breachdesk's pure rule engine.
//!
//! Everything here is a function of its inputs: no database, no keyring, no clock. Time is always
//! passed in. Rule data (`rules/**/*.toml`) is compiled in and checked by [`schema`]; [`engine`]
//! turns an incident's [`facts`] into obligations with due times and explanations, using the
//! arithmetic of [`clock`] and the holiday calendars of [`calendar`].
#![forbid(unsafe_code)] // the workspace denies it; only breachdesk-core::bulk may allow it

pub mod calendar;
pub mod clock;
pub mod custom;
pub mod engine;
pub mod facts;
pub mod jurisdiction;
pub mod schema;
pub mod time;
#[cfg(test)]
mod vectors;

/// `(path relative to rules/, text)` of every rule file, embedded at build time.
pub static EMBEDDED_RULES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rules.rs"));
