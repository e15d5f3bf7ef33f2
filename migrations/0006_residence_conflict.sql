-- Breachdesk schema v6: a state column that disagrees with the ZIP code.
--
-- Residence comes from the state column when there is one; when the ZIP code belongs, exactly, to a
-- different state, the record is flagged so a person can check the address (the notice may be owed
-- to the other state's residents). Counted in individual_counts as '#conflict'.

ALTER TABLE individuals ADD COLUMN residence_conflict INTEGER NOT NULL DEFAULT 0;
