import { useState, type FormEvent } from 'react';
import type { ErrorBody, Incident } from '../../lib/ipc/bindings';
import { api, emptyPatch } from '../../lib/ipc/client';
import { errorText, toErrorBody } from '../../lib/ipc/errors';
import { humanise } from '../../lib/labels';
import { Button } from '../../components/Button';
import { useSession } from '../shell';

type Props = { incident: Incident; onChanged: () => Promise<void> };

/** Moves an incident forward in its lifecycle (status never moves back). */
export function StatusControl({ incident, onChanged }: Props) {
  const { vocabulary } = useSession();
  const later = vocabulary.statuses.slice(vocabulary.statuses.indexOf(incident.status) + 1);
  const [target, setTarget] = useState<string>(later[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const chosen = later.includes(target) ? target : (later[0] ?? '');

  if (later.length === 0) {
    return <p className="muted status-final">Closed: no further status.</p>;
  }

  async function apply(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.updateIncident({ id: incident.id, patch: { ...emptyPatch, status: chosen } });
      await onChanged();
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="status-control" onSubmit={apply}>
      <label htmlFor="status-select" className="status-control__label">
        Move to
      </label>
      <select
        id="status-select"
        className="input select input--sm"
        value={chosen}
        onChange={(e) => {
          setTarget(e.target.value);
          setError(null);
        }}
        data-testid="status-select"
      >
        {later.map((s) => (
          <option key={s} value={s}>
            {humanise(s)}
          </option>
        ))}
      </select>
      <Button type="submit" variant="primary" size="sm" busy={busy} testId="status-apply">
        Apply
      </Button>
      {error && (
        <p className="status-control__error" role="alert" data-testid="status-error">
          {errorText(error, { inline: true })}
        </p>
      )}
    </form>
  );
}
