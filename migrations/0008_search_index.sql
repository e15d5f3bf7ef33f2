-- Breachdesk schema v8: the list's search index moves out of SQLite's B-tree indexes into sorted
-- key chunks the import writes itself (see crates/breachdesk-core/src/individuals/search.rs).
-- At a million rows the four CREATE INDEX took 9-11 s, more than twice the time of inserting the
-- rows; sorting the keys the import already holds and writing them as chunks takes about one.
-- The chunks of lists imported before this version are built when the database is next opened.

CREATE TABLE individual_search (
    list      INTEGER NOT NULL,
    field     INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    first_key BLOB NOT NULL,
    data      BLOB NOT NULL,
    UNIQUE (list, field, seq)
) STRICT;
CREATE INDEX individual_search_by_key ON individual_search (list, field, first_key);

ALTER TABLE individual_lists ADD COLUMN search_built INTEGER NOT NULL DEFAULT 0;

DROP INDEX IF EXISTS individuals_by_name;
DROP INDEX IF EXISTS individuals_by_last;
DROP INDEX IF EXISTS individuals_by_email;
DROP INDEX IF EXISTS individuals_by_postal;
DROP INDEX IF EXISTS individuals_by_batch;
-- Written in order as rows are appended: the table's pages and the rollback find a list's rows.
CREATE INDEX individuals_by_list ON individuals (list);
