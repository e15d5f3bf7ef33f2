-- Breachdesk schema v9: a list's records are one range of ids, and a record no longer repeats its
-- incident and batch.
--
-- A record's id is its list × 2^32 + its number on the list (from 1). A list's rows are then one
-- range of the table (no index on the list needed), and an import's rows one range within it,
-- kept on the batch (first_id, last_id): the batch a record came from is the batch whose range
-- holds its id. Each row loses its incident id and batch id (two 36-character UUIDs, about 75 of
-- its ~250 bytes, encrypted and written twice by the WAL) and the list index goes.
--
-- Records stored before this version keep their number: new id = list × 2^32 + old id, so the low
-- 32 bits of an id are the id that earlier audit entries (merges) and exports name. References
-- (merged_into, duplicate pairs) move with them. The search index is rebuilt on the next open.
ALTER TABLE import_batches ADD COLUMN first_id INTEGER;
ALTER TABLE import_batches ADD COLUMN last_id INTEGER;

CREATE TABLE individuals_v9 (
    -- list × 2^32 + the record's number on the list
    id                 INTEGER PRIMARY KEY,
    source_row         INTEGER NOT NULL,
    external_id        TEXT,
    full_name          TEXT NOT NULL,
    name_key           TEXT NOT NULL,
    last_key           TEXT NOT NULL,
    email              TEXT,
    phone              TEXT,
    address1           TEXT,
    address2           TEXT,
    city               TEXT,
    region             TEXT,
    postal_code        TEXT,
    country            TEXT,
    dob                TEXT,
    -- ISO 3166-2 US code or ISO 3166-1 country; NULL when it cannot be determined.
    residence          TEXT,
    residence_src      TEXT,
    minor              INTEGER NOT NULL,
    deceased           INTEGER NOT NULL,
    guardian           TEXT,
    no_postal          INTEGER NOT NULL,
    no_email           INTEGER NOT NULL,
    -- Bit i set: data element i of the vocabulary (breachdesk_rules::schema::RECOGNISED_DATA_TYPES).
    elements           INTEGER NOT NULL,
    dedupe_key         BLOB NOT NULL,
    merged_into        INTEGER,
    residence_conflict INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO individuals_v9 (id, source_row, external_id, full_name, name_key, last_key, email, phone, address1, address2, city,
    region, postal_code, country, dob, residence, residence_src, minor, deceased, guardian, no_postal, no_email, elements,
    dedupe_key, merged_into, residence_conflict)
SELECT (list << 32) + id, source_row, external_id, full_name, name_key, last_key, email, phone, address1, address2, city,
    region, postal_code, country, dob, residence, residence_src, minor, deceased, guardian, no_postal, no_email, elements,
    dedupe_key, CASE WHEN merged_into IS NULL THEN NULL ELSE (list << 32) + merged_into END, residence_conflict
FROM individuals ORDER BY list, id;

UPDATE import_batches SET first_id = r.lo, last_id = r.hi
FROM (SELECT batch_id, min((list << 32) + id) AS lo, max((list << 32) + id) AS hi FROM individuals GROUP BY batch_id) AS r
WHERE r.batch_id = import_batches.id;

UPDATE duplicate_candidates SET a_id = (l.list << 32) + a_id, b_id = (l.list << 32) + b_id
FROM individual_lists l WHERE l.incident_id = duplicate_candidates.incident_id;

DROP TABLE individuals;
ALTER TABLE individuals_v9 RENAME TO individuals;

-- The batch of a record: the last batch whose range starts at or before its id.
CREATE INDEX import_batches_by_first_id ON import_batches (first_id);

DELETE FROM individual_search;
UPDATE individual_lists SET search_built = 0;
