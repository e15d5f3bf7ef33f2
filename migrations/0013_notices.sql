-- Breachdesk schema v13: notices — letters and regulator filings from templates to PDF, checked,
-- approved and proved sent. Everything here is append-only or kept with its history: templates
-- get new versions (never changed in place), renderings and events are only added, and nothing
-- is deleted.

-- The organisation profile every template reads (one row).
CREATE TABLE org_profile (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    profile_json TEXT NOT NULL,
    logo         BLOB,
    logo_sha256  TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL
) STRICT;

-- What the incident's notices say in words (what happened, what we are doing, …), per incident.
CREATE TABLE notice_narratives (
    incident_id    TEXT PRIMARY KEY REFERENCES incidents(id),
    narrative_json TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL
) STRICT;

-- Templates by id and version: a new text is a new version.
CREATE TABLE templates (
    id         TEXT NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    meta_json  TEXT NOT NULL,
    source     TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    seeded     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
) STRICT;
CREATE TRIGGER templates_no_update BEFORE UPDATE ON templates
BEGIN
    SELECT RAISE(ABORT, 'a template version is never changed: add a new version');
END;
CREATE TRIGGER templates_no_delete BEFORE DELETE ON templates
BEGIN
    SELECT RAISE(ABORT, 'template versions are never deleted');
END;

-- One obligation's message: to a regulator, the press, or one person on the incident's list.
CREATE TABLE notices (
    id             TEXT PRIMARY KEY,
    incident_id    TEXT NOT NULL REFERENCES incidents(id),
    obligation_id  TEXT NOT NULL REFERENCES obligations(id),
    obligation_key TEXT NOT NULL,
    template_id    TEXT NOT NULL,
    person_record  INTEGER,
    paper          TEXT NOT NULL CHECK (paper IN ('letter', 'a4')),
    dated          TEXT NOT NULL,
    amends         TEXT REFERENCES notices(id),
    variant_reason TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'sent', 'confirmed')),
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX notices_by_incident ON notices(incident_id, obligation_key);
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
BEGIN
    SELECT RAISE(ABORT, 'notices are never deleted');
END;

-- Every rendering of a notice: the exact PDF, its text and what the checker found.
CREATE TABLE notice_renderings (
    id               TEXT PRIMARY KEY,
    notice_id        TEXT NOT NULL REFERENCES notices(id),
    template_version INTEGER NOT NULL,
    content_sha256   TEXT NOT NULL,
    pdf              BLOB NOT NULL,
    pdf_sha256       TEXT NOT NULL,
    text             TEXT NOT NULL,
    report_json      TEXT NOT NULL,
    pages            INTEGER NOT NULL,
    rendered_at      TEXT NOT NULL
) STRICT;
CREATE INDEX notice_renderings_by_notice ON notice_renderings(notice_id, rendered_at);

-- The notice's history: drafted, approved, voided, sent, confirmed.
CREATE TABLE notice_events (
    id             TEXT PRIMARY KEY,
    notice_id      TEXT NOT NULL REFERENCES notices(id),
    event          TEXT NOT NULL CHECK (event IN ('drafted', 'approved', 'voided', 'sent', 'confirmed')),
    at             TEXT NOT NULL,
    by_name        TEXT,
    pdf_sha256     TEXT,
    content_sha256 TEXT,
    channel        TEXT,
    reference      TEXT,
    recipients     INTEGER,
    via            TEXT,
    note           TEXT,
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT NOT NULL
) STRICT;
CREATE INDEX notice_events_by_notice ON notice_events(notice_id, recorded_at);

-- Proof files (portal receipts, certificates of mailing), kept encrypted with their hashes.
CREATE TABLE notice_proofs (
    id          TEXT PRIMARY KEY,
    notice_id   TEXT NOT NULL REFERENCES notices(id),
    event_id    TEXT NOT NULL REFERENCES notice_events(id),
    file_name   TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    sha256      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
) STRICT;

CREATE TRIGGER notice_renderings_no_update BEFORE UPDATE ON notice_renderings
BEGIN
    SELECT RAISE(ABORT, 'renderings are kept as made');
END;
CREATE TRIGGER notice_renderings_no_delete BEFORE DELETE ON notice_renderings
BEGIN
    SELECT RAISE(ABORT, 'renderings are kept as made');
END;
CREATE TRIGGER notice_events_no_update BEFORE UPDATE ON notice_events
BEGIN
    SELECT RAISE(ABORT, 'notice events are append-only');
END;
CREATE TRIGGER notice_events_no_delete BEFORE DELETE ON notice_events
BEGIN
    SELECT RAISE(ABORT, 'notice events are append-only');
END;
CREATE TRIGGER notice_proofs_no_update BEFORE UPDATE ON notice_proofs
BEGIN
    SELECT RAISE(ABORT, 'proof files are kept as recorded');
END;
CREATE TRIGGER notice_proofs_no_delete BEFORE DELETE ON notice_proofs
BEGIN
    SELECT RAISE(ABORT, 'proof files are kept as recorded');
END;
