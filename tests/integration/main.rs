//! Breachdesk's integration tests: one binary, run by `cargo test` (and so by `make test`).
//! They drive the real `breachdesk` binary and the core API against real SQLCipher files.

mod audit;
mod board;
mod cli;
mod clocks;
mod cockpit;
mod crosscheck;
mod encryption;
mod exemptions;
mod individuals;
mod keys;
mod mail_merge;
mod migrations;
mod notices;
mod obligations;
mod reliability;
mod support;
mod timeline;
mod xlsx;
