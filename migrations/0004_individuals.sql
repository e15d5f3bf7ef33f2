-- Breachdesk schema v4: the affected individuals.
--
-- Each import is a batch (the file's name and hash, the mapping, the counts); its rows are
-- individuals. Exact duplicates (identical after normalisation) are kept as rows merged into the
-- first one (merged_into), so the source rows stay in history. A batch rolls back whole: its rows are
-- deleted and the batch is marked rolled back. Counts by residence are kept in individual_counts,
-- rebuilt in the same transaction as every change, so reading them never scans a million rows.

CREATE TABLE import_batches (
    id             TEXT PRIMARY KEY,
    incident_id    TEXT NOT NULL REFERENCES incidents (id),
    seq            INTEGER NOT NULL,
    file_name      TEXT NOT NULL,
    file_sha256    TEXT NOT NULL,
    format         TEXT NOT NULL,
    encoding       TEXT NOT NULL,
    mapping_json   TEXT NOT NULL,
    rows_read      INTEGER NOT NULL,
    rows_imported  INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL,
    rows_merged    INTEGER NOT NULL,
    imported_at    TEXT NOT NULL,
    imported_by    TEXT NOT NULL,
    rolled_back_at TEXT,
    rolled_back_by TEXT,
    UNIQUE (incident_id, seq)
) STRICT;

CREATE TRIGGER import_batches_never_deleted BEFORE DELETE ON import_batches
BEGIN
    SELECT RAISE(ABORT, 'import batches are never deleted: roll them back');
END;

CREATE TABLE individuals (
    id            INTEGER PRIMARY KEY,
    incident_id   TEXT NOT NULL,
    batch_id      TEXT NOT NULL REFERENCES import_batches (id),
    source_row    INTEGER NOT NULL,
    external_id   TEXT,
    full_name     TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    last_key      TEXT NOT NULL,
    email         TEXT,
    phone         TEXT,
    address1      TEXT,
    address2      TEXT,
    city          TEXT,
    region        TEXT,
    postal_code   TEXT,
    country       TEXT,
    dob           TEXT,
    -- ISO 3166-2 US code or ISO 3166-1 country; NULL when it cannot be determined.
    residence     TEXT,
    residence_src TEXT,
    minor         INTEGER NOT NULL,
    deceased      INTEGER NOT NULL,
    guardian      TEXT,
    no_postal     INTEGER NOT NULL,
    no_email      INTEGER NOT NULL,
    -- Bit i set: data element i of the vocabulary (breachdesk_rules::schema::RECOGNISED_DATA_TYPES).
    elements      INTEGER NOT NULL,
    dedupe_key    BLOB NOT NULL,
    merged_into   INTEGER
) STRICT;

CREATE INDEX individuals_by_name ON individuals (incident_id, name_key);
CREATE INDEX individuals_by_last ON individuals (incident_id, last_key);
CREATE INDEX individuals_by_email ON individuals (incident_id, email);
CREATE INDEX individuals_by_postal ON individuals (incident_id, postal_code);
CREATE INDEX individuals_by_batch ON individuals (batch_id);

CREATE TABLE individual_counts (
    incident_id TEXT NOT NULL,
    -- A residence code, '' for undetermined, or a flag: '#minor', '#deceased', '#undeliverable',
    -- '#no_postal', '#no_email', '#total', '#merged', or '@<data element>'.
    bucket      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (incident_id, bucket)
) STRICT, WITHOUT ROWID;

CREATE TABLE import_mappings (
    name         TEXT PRIMARY KEY,
    mapping_json TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    saved_by     TEXT NOT NULL
) STRICT;
