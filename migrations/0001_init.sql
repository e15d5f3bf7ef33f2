-- Breachdesk schema v1: settings, incidents, the append-only timeline and the audit hash chain.
-- Instants are TEXT in UTC ('YYYY-MM-DDTHH:MM:SSZ'); each incident names the IANA zone they belong to.
-- Primary keys are UUIDv7 text so records made on two machines can be merged one day.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE incidents (
    id                    TEXT PRIMARY KEY,
    human_id              TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL CHECK (length(trim(title)) > 0),
    summary               TEXT NOT NULL DEFAULT '',
    severity              TEXT NOT NULL CHECK (severity IN ('SEV-0', 'SEV-1', 'SEV-2', 'SEV-3')),
    status                TEXT NOT NULL CHECK (status IN ('detected', 'contained', 'assessed', 'notifying', 'closed')),
    timezone              TEXT NOT NULL,
    occurred_at           TEXT,
    detected_at           TEXT NOT NULL,
    discovered_at         TEXT,
    aware_at              TEXT,
    determined_at         TEXT,
    discovery_gap_reason  TEXT,
    incident_commander    TEXT,
    compliance_liaison    TEXT,
    comms_lead            TEXT,
    engineering_responder TEXT,
    executive_sponsor     TEXT,
    created_at            TEXT NOT NULL,
    created_by            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) STRICT;

CREATE TRIGGER incidents_never_deleted BEFORE DELETE ON incidents
BEGIN
    SELECT RAISE(ABORT, 'incidents are never deleted');
END;

CREATE TABLE timeline_entries (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents (id),
    occurred_at  TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('detection', 'acknowledged', 'containment', 'evidence', 'assessment',
                                               'notification', 'fix_deployed', 'closed', 'note')),
    description  TEXT NOT NULL CHECK (length(trim(description)) > 0),
    who          TEXT NOT NULL,
    corrects_id  TEXT REFERENCES timeline_entries (id),
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
) STRICT;

CREATE INDEX timeline_by_incident ON timeline_entries (incident_id, occurred_at);

CREATE TRIGGER timeline_no_update BEFORE UPDATE ON timeline_entries
BEGIN
    SELECT RAISE(ABORT, 'timeline entries are append-only: add a correction instead');
END;
CREATE TRIGGER timeline_no_delete BEFORE DELETE ON timeline_entries
BEGIN
    SELECT RAISE(ABORT, 'timeline entries are append-only: add a correction instead');
END;

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    before_json  TEXT,
    after_json   TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
