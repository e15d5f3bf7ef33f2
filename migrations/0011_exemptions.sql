-- Breachdesk schema v11: the notify-or-not decision, and notices timed against other notices.
--
-- An obligation a law's exit removes (encryption, no likelihood of harm, deemed compliance) keeps its
-- row: `exemption_json` holds the exit the engine found (kind, citation, explanation, what it
-- requires, whether a person must confirm it), NULL when none applies. The row keeps the due time
-- the notice would have, because an exit that needs a person's confirmation leaves the clock running
-- until it is confirmed. `anchor` is the rule id of the notice a relative deadline is timed against.
--
-- A confirmation is a "not required" decision that names the exit it confirms
-- (`obligation_decisions.exemption_id`): it counts only while that exit still applies, so facts that
-- take the exit away make the notice required again instead of leaving a stale "not required".

ALTER TABLE obligations ADD COLUMN exemption_json TEXT;
ALTER TABLE obligations ADD COLUMN anchor TEXT;
ALTER TABLE obligation_decisions ADD COLUMN exemption_id TEXT;
