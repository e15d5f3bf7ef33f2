-- Breachdesk schema v10: the search index's chunks are front-coded (each key stored as the length
-- of the prefix it shares with the key before it and the rest; a repeated key's record number as
-- the gap from the one before). Sorted keys share long prefixes: at a million records the index
-- shrinks from about 68 MB to a third of that, less to encrypt, write and checkpoint.
-- The chunks in the old layout are dropped; every list's index is rebuilt on the next open.
DELETE FROM individual_search;
UPDATE individual_lists SET search_built = 0;
