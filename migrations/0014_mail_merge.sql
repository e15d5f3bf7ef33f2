-- Breachdesk schema v14: mail merge — one letter per person a population notice covers, the
-- runs that wrote them to print-ready files, what happened to each letter afterwards, the
-- credit-monitoring codes given out, and who agreed to notice by e-mail.

-- People on a list who agreed to electronic notice (HIPAA 164.404(d)(1)(i); FTC 318.5(a)(1)):
-- filled by an import whose file has an e-mail consent column.
CREATE TABLE individual_email_consent (
    id INTEGER PRIMARY KEY REFERENCES individuals(id)
) STRICT;

-- One letter: a population notice to one person, in the variant the variant rule picked.
CREATE TABLE notice_letters (
    id               TEXT PRIMARY KEY,
    notice_id        TEXT NOT NULL REFERENCES notices(id),
    person_id        INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    variant_reason   TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('mail', 'email', 'none')),
    addressee        TEXT NOT NULL,
    -- The window address as printed, lines joined by "\n" (a re-mail's new address replaces it).
    address_block    TEXT NOT NULL,
    zip              TEXT NOT NULL,
    code             TEXT,
    pages            INTEGER,
    file             TEXT,
    run_id           TEXT,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'printed', 'mailed', 'sending',
                         'e-mailed', 'bounced', 'returned', 're-mailed', 'delivered', 'substitute',
                         'withdrawn')),
    status_at        TEXT NOT NULL,
    reason           TEXT,
    next_of_kin      INTEGER NOT NULL DEFAULT 0,
    remails          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (notice_id, person_id)
) STRICT;
CREATE INDEX notice_letters_by_status ON notice_letters (notice_id, status);
CREATE INDEX notice_letters_by_person ON notice_letters (person_id);
CREATE TRIGGER notice_letters_no_delete BEFORE DELETE ON notice_letters
BEGIN
    SELECT RAISE(ABORT, 'letters are never deleted: a letter no longer due is withdrawn');
END;

-- What happened to a letter, in order: only added to.
CREATE TABLE letter_events (
    id          INTEGER PRIMARY KEY,
    letter_id   TEXT NOT NULL REFERENCES notice_letters(id),
    status      TEXT NOT NULL,
    at          TEXT NOT NULL,
    reason      TEXT,
    detail      TEXT,
    source      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
) STRICT;
CREATE INDEX letter_events_by_letter ON letter_events (letter_id);
CREATE TRIGGER letter_events_no_update BEFORE UPDATE ON letter_events
BEGIN
    SELECT RAISE(ABORT, 'a letter''s history is never changed');
END;
CREATE TRIGGER letter_events_no_delete BEFORE DELETE ON letter_events
BEGIN
    SELECT RAISE(ABORT, 'a letter''s history is never deleted');
END;

-- One run of a merge into an output folder: resumed until finished, then bound by approval.
CREATE TABLE merge_runs (
    id              TEXT PRIMARY KEY,
    notice_id       TEXT NOT NULL REFERENCES notices(id),
    kind            TEXT NOT NULL CHECK (kind IN ('mail', 're-mail')),
    out_dir         TEXT NOT NULL,
    batch_size      INTEGER NOT NULL CHECK (batch_size >= 1),
    per_person      INTEGER NOT NULL,
    email_eml       INTEGER NOT NULL,
    letters         INTEGER NOT NULL,
    plan_sha256     TEXT NOT NULL,
    -- The checker's report on one letter of each variant: [{template, letters, record, report}].
    checks_json     TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    started_by      TEXT NOT NULL,
    finished_at     TEXT,
    manifest_sha256 TEXT,
    approved_event  TEXT
) STRICT;

-- Each file a run wrote, with its SHA-256 (a resumed run skips the files it finds intact).
CREATE TABLE merge_files (
    run_id  TEXT NOT NULL REFERENCES merge_runs(id),
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('print', 'person', 'eml', 'manifest')),
    sha256  TEXT NOT NULL,
    letters INTEGER NOT NULL,
    pages   INTEGER NOT NULL,
    PRIMARY KEY (run_id, name)
) STRICT;
CREATE TRIGGER merge_files_no_update BEFORE UPDATE ON merge_files
BEGIN
    SELECT RAISE(ABORT, 'a merged file''s record is never changed');
END;

-- Credit-monitoring activation codes from the vendor's file: each given to one letter at most.
CREATE TABLE monitoring_codes (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    code        TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    letter_id   TEXT UNIQUE REFERENCES notice_letters(id),
    PRIMARY KEY (incident_id, code)
) STRICT;
CREATE TRIGGER monitoring_codes_given_once BEFORE UPDATE OF letter_id ON monitoring_codes
WHEN OLD.letter_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an activation code is given to one letter only');
END;
