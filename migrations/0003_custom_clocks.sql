-- Breachdesk schema v3: user-defined obligations (contracts, insurer, investors, board), and the
-- reminders already shown.
--
-- A user-defined obligation is a definition the engine turns into an ordinary obligation row
-- (regime CONTRACT) with the same arithmetic. Definitions are never deleted or edited: a wrong one
-- is retired (with a reason) and a new one added; its obligation row then goes out of scope.

CREATE TABLE custom_obligations (
    id            TEXT PRIMARY KEY,
    incident_id   TEXT NOT NULL REFERENCES incidents (id),
    rule_id       TEXT NOT NULL UNIQUE,
    label         TEXT NOT NULL CHECK (length(trim(label)) > 0),
    recipient     TEXT NOT NULL,
    trigger_field TEXT NOT NULL CHECK (trigger_field IN ('detected_at', 'discovered_at', 'aware_at', 'determined_at')),
    clock         TEXT NOT NULL CHECK (clock IN ('calendar_days', 'hours', 'business_days', 'same_business_day', 'asap')),
    amount        INTEGER CHECK (amount IS NULL OR amount >= 0),
    reference     TEXT,
    channel       TEXT,
    address       TEXT,
    owner_role    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    retired_at    TEXT,
    retired_by    TEXT,
    retire_reason TEXT
) STRICT;

CREATE INDEX custom_obligations_by_incident ON custom_obligations (incident_id);

CREATE TRIGGER custom_obligations_never_deleted BEFORE DELETE ON custom_obligations
BEGIN
    SELECT RAISE(ABORT, 'user-defined obligations are never deleted: retire them');
END;

-- The only change allowed is retiring, once, with a reason.
CREATE TRIGGER custom_obligations_retire_only BEFORE UPDATE ON custom_obligations
WHEN OLD.retired_at IS NOT NULL
  OR NEW.retired_at IS NULL
  OR length(trim(coalesce(NEW.retire_reason, ''))) = 0
  OR NEW.id IS NOT OLD.id OR NEW.incident_id IS NOT OLD.incident_id OR NEW.rule_id IS NOT OLD.rule_id
  OR NEW.label IS NOT OLD.label OR NEW.recipient IS NOT OLD.recipient OR NEW.trigger_field IS NOT OLD.trigger_field
  OR NEW.clock IS NOT OLD.clock OR NEW.amount IS NOT OLD.amount OR NEW.reference IS NOT OLD.reference
  OR NEW.channel IS NOT OLD.channel OR NEW.address IS NOT OLD.address OR NEW.owner_role IS NOT OLD.owner_role
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'a user-defined obligation can only be retired, once, with a reason');
END;

-- Desktop reminders already shown, so a restart does not show them again.
CREATE TABLE reminders_sent (
    clock_key TEXT NOT NULL,
    stage     TEXT NOT NULL CHECK (stage IN ('7d', '24h', '4h', '1h', 'passed')),
    due_at    TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    PRIMARY KEY (clock_key, stage, due_at)
) STRICT;
