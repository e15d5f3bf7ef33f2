//! Breachdesk's notices on paper. Pure: no database, no clock, no file system.
//!
//! [`markup`] reads the text a template renders; [`layout`] breaks it into lines and pages for
//! Letter or A4 with the letterhead and the envelope window; [`pdf`] writes the pages with the
//! committed fonts; [`check`] reads the laid-out text against the notice rules.

pub mod check;
pub mod fonts;
pub mod layout;
pub mod markup;
pub mod pdf;

pub use check::{Finding, Report, RuleBook, Severity, Subject};
pub use layout::{layout, Laid, Letterhead, Paper};

/// The notice rules (`rules/notices/*.toml`), compiled in: `(file name, text)`.
pub const RULE_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));

/// The rule book built into this program.
///
/// # Errors
/// A message naming the file and rule that does not load (a build fault).
pub fn rule_book() -> Result<&'static RuleBook, String> {
    static BOOK: std::sync::OnceLock<Result<RuleBook, String>> = std::sync::OnceLock::new();
    BOOK.get_or_init(|| RuleBook::load(RULE_FILES)).as_ref().map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_rules_load() {
        let book = super::rule_book().expect("rules/notices loads");
        let (rules, phrases) = book.size();
        assert!(rules > 50 && phrases > 10, "{rules} rules, {phrases} phrases");
    }
}
