import { useState, type FormEvent } from 'react';
import type { CustomObligation, Incident } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { errorText } from '../../lib/ipc/errors';
import type { Load } from '../../lib/useLoad';
import { useAction } from '../../lib/useAction';
import { clockWords, humanise, recipientWords, sentenceCase, triggerWords } from '../../lib/labels';
import { formatDue } from '../../lib/time';
import { Card } from '../../components/Card';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { describeClock } from './presets';

type Props = { incident: Incident; load: Load<CustomObligation[]>; onChanged: () => Promise<void> };

/** The user-defined duties of the incident; retiring one needs a reason (it stays on record). */
export function CustomObligationList({ incident, load, onChanged }: Props) {
  const items = load.data ?? [];
  if (items.length === 0 && !load.error) return null;
  const active = items.filter((c) => c.retired_at === null).length;
  return (
    <Card title="Contractual and user-defined obligations" actions={<span className="muted small">{active} active</span>} testId="custom-list">
      <ErrorBanner error={load.error} />
      <ul className="customs">
        {items.map((c) => (
          <CustomItem key={c.id} incident={incident} c={c} onChanged={onChanged} />
        ))}
      </ul>
    </Card>
  );
}

function CustomItem({ incident, c, onChanged }: { incident: Incident; c: CustomObligation; onChanged: () => Promise<void> }) {
  const [retiring, setRetiring] = useState(false);
  const retired = c.retired_at !== null;
  return (
    <li className={retired ? 'custom custom--retired' : 'custom'} data-testid="custom-item" data-id={c.id} data-retired={retired}>
      <div className="custom__main">
        <p className="custom__label">
          {c.label}
          {retired && <span className="tag tag--muted">Retired</span>}
        </p>
        <p className="custom__terms">
          {sentenceCase(recipientWords(c.recipient))} · {describeClock(c.clock, c.amount, c.trigger, { clock: clockWords, trigger: triggerWords })}
          {c.reference && <> · {c.reference}</>}
        </p>
        <p className="custom__meta">
          Owner {humanise(c.owner_role).toLowerCase()} · added by {c.created_by}, {formatDue(c.created_at, incident.timezone)}
          {retired && c.retired_at && (
            <>
              {' '}
              · retired by {c.retired_by ?? 'unknown'}, {formatDue(c.retired_at, incident.timezone)}: “{c.retire_reason}”
            </>
          )}
        </p>
      </div>
      {!retired && !retiring && (
        <Button size="sm" variant="ghost" onClick={() => setRetiring(true)} testId="custom-retire" aria-label={`Retire: ${c.label}`}>
          Retire
        </Button>
      )}
      {retiring && <RetireForm incidentId={incident.id} c={c} onCancel={() => setRetiring(false)} onDone={onChanged} />}
    </li>
  );
}

function RetireForm({ incidentId, c, onCancel, onDone }: { incidentId: string; c: CustomObligation; onCancel: () => void; onDone: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction();
  const id = `retire-reason-${c.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim() === '') {
      setError({ code: 'validation', message: 'Give a reason: the obligation stays on record as retired.', field: 'reason' });
      return;
    }
    await run(async () => {
      await api.retireCustomObligation({ incident_id: incidentId, custom_id: c.id, reason: reason.trim() });
      await onDone();
    });
  }

  return (
    <form className="retire" onSubmit={submit} noValidate>
      <label className="field__label" htmlFor={id}>
        Why retire it?
      </label>
      <div className="input-row">
        <input
          id={id}
          className="input input--sm"
          type="text"
          value={reason}
          maxLength={2000}
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setReason(e.target.value);
            setError(null);
          }}
          data-testid="retire-reason"
        />
        <Button type="submit" size="sm" variant="primary" busy={busy} testId="retire-submit">
          Retire
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      {error && (
        <p className="field__error" id={`${id}-error`} data-testid="error-retire-reason">
          {errorText(error, { inline: true })}
        </p>
      )}
    </form>
  );
}
