-- Breachdesk schema v2: the facts the clocks depend on, and obligations as records.
-- One obligation row per (incident, rule, jurisdiction, recipient), created when the facts call for
-- it and never deleted: when the facts stop calling for it, in_scope goes to 0. The rule's terms are
-- snapshotted onto the row. Decisions and filings are append-only.

CREATE TABLE incident_facts (
    incident_id TEXT PRIMARY KEY REFERENCES incidents (id),
    facts_json  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE obligations (
    id                TEXT PRIMARY KEY,
    incident_id       TEXT NOT NULL REFERENCES incidents (id),
    rule_id           TEXT NOT NULL,
    regime            TEXT NOT NULL,
    jurisdiction      TEXT NOT NULL,
    recipient         TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('deadline', 'asap', 'annual', 'relative')),
    due_at            TEXT,
    in_scope          INTEGER NOT NULL CHECK (in_scope IN (0, 1)),
    rule_version      TEXT NOT NULL,
    citation          TEXT NOT NULL,
    source_url        TEXT NOT NULL,
    confidence        TEXT NOT NULL CHECK (confidence IN ('high', 'medium', 'low')),
    explanation       TEXT NOT NULL,
    rules_fingerprint TEXT NOT NULL,
    channel           TEXT,
    address           TEXT,
    owner_role        TEXT NOT NULL,
    frozen_at         TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (incident_id, rule_id, jurisdiction, recipient)
) STRICT;

CREATE INDEX obligations_by_incident ON obligations (incident_id, due_at);

CREATE TRIGGER obligations_never_deleted BEFORE DELETE ON obligations
BEGIN
    SELECT RAISE(ABORT, 'obligations are never deleted');
END;

CREATE TRIGGER obligations_due_frozen BEFORE UPDATE OF due_at ON obligations
WHEN OLD.frozen_at IS NOT NULL AND NEW.due_at IS NOT OLD.due_at
BEGIN
    SELECT RAISE(ABORT, 'the due time froze when the first notice was recorded as sent');
END;

CREATE TABLE obligation_decisions (
    id            TEXT PRIMARY KEY,
    obligation_id TEXT NOT NULL REFERENCES obligations (id),
    decision      TEXT NOT NULL CHECK (decision IN ('not_required', 'required')),
    rationale     TEXT NOT NULL CHECK (length(trim(rationale)) > 0),
    approved_by   TEXT NOT NULL CHECK (length(trim(approved_by)) > 0),
    decided_at    TEXT NOT NULL,
    decided_by    TEXT NOT NULL
) STRICT;

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON obligation_decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions are append-only: record a new decision');
END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON obligation_decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions are append-only: record a new decision');
END;

CREATE TABLE obligation_filings (
    id            TEXT PRIMARY KEY,
    obligation_id TEXT NOT NULL REFERENCES obligations (id),
    sent_at       TEXT NOT NULL,
    channel       TEXT,
    reference     TEXT,
    note          TEXT,
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL
) STRICT;

CREATE TRIGGER filings_no_update BEFORE UPDATE ON obligation_filings
BEGIN
    SELECT RAISE(ABORT, 'filings are append-only');
END;
CREATE TRIGGER filings_no_delete BEFORE DELETE ON obligation_filings
BEGIN
    SELECT RAISE(ABORT, 'filings are append-only');
END;
