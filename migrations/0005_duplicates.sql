-- Breachdesk schema v5: the review queue of probable duplicates.
--
-- Records identical after normalisation merge automatically at import. Probable duplicates (the
-- same normalised name and date of birth, or the same e-mail address) wait here until a person
-- merges them or keeps them apart; both rows stay in history either way.

CREATE TABLE duplicate_candidates (
    id          INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL,
    a_id        INTEGER NOT NULL,
    b_id        INTEGER NOT NULL,
    -- name_dob | email
    reason      TEXT NOT NULL CHECK (reason IN ('name_dob', 'email')),
    decision    TEXT CHECK (decision IN ('merged', 'distinct')),
    decided_at  TEXT,
    decided_by  TEXT,
    UNIQUE (a_id, b_id)
) STRICT;

CREATE INDEX duplicate_candidates_open ON duplicate_candidates (incident_id, decision);
