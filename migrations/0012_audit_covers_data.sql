-- Breachdesk schema v12: the audit log covers the data, and is keyed.
--
-- `rows_json`: what the row's action wrote — for each row of a covered table its SHA-256 and a
-- short hash of each column, for each import the digest of its records (crates/breachdesk-core/
-- src/audit.rs). `keyed`: the row's hash is an HMAC under a key derived from the installation
-- secret, which is kept with the database key. Rows written before this schema keep their plain
-- SHA-256 and no commitment; the first open after the upgrade writes a baseline row that commits
-- to every row as found.

ALTER TABLE audit_log ADD COLUMN rows_json TEXT;
ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
