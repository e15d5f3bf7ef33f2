//! Breachdesk's notices on paper. Pure: no database, no clock, no file system.
//!
//! [`markup`] reads the text a template renders; [`layout`] breaks it into lines and pages for
//! Letter or A4 with the letterhead and the envelope window; [`pdf`] writes the pages with the
//! committed fonts; [`check`] reads the laid-out text against the notice rules (`rules/notices/`,
//! which the core compiles in and hands to [`RuleBook::load`]).

pub mod check;
pub mod fonts;
pub mod layout;
pub mod markup;
pub mod pdf;
pub mod stream;

pub use check::{Finding, Report, RuleBook, Severity, Subject};
pub use layout::{layout, Laid, Letterhead, Paper};
