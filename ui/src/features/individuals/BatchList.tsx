import { useState } from 'react';
import type { Batch, Incident, ObligationChange } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { errorText } from '../../lib/ipc/errors';
import type { Load } from '../../lib/useLoad';
import { useAction } from '../../lib/useAction';
import { formatDue } from '../../lib/time';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ChangeList } from '../facts';
import { people } from './format';

type Props = {
  incident: Incident;
  load: Load<Batch[]>;
  /** While an import runs nothing may be rolled back. */
  busy: boolean;
  onRolledBack: () => Promise<void>;
};

type Done = { seq: number; changes: ObligationChange[] };

/**
 * Every import of the incident, newest first. Only the newest live one can be rolled back (a
 * later import may have merged into its rows); it stays on record as rolled back.
 */
export function BatchList({ incident, load, busy, onRolledBack }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const batches = [...(load.data ?? [])].reverse();
  const newestLive = batches.find((b) => b.rolled_back_at === null)?.id ?? null;

  return (
    <Card title="Imports" actions={<span className="muted small">{batches.length === 1 ? '1 file' : `${batches.length} files`}</span>} className="ind-card" testId="ind-batches">
      <ErrorBanner error={load.error} />
      {done && (
        <div className="ind-rolled" data-testid="ind-rollback-result" role="status">
          <p className="ind-rolled__title">
            Import #{done.seq} rolled back.{' '}
            {done.changes.length === 0 ? 'The obligations did not change.' : `${done.changes.length} ${done.changes.length === 1 ? 'change' : 'changes'} to the obligations:`}
          </p>
          {done.changes.length > 0 && <ChangeList changes={done.changes} zone={incident.timezone} itemTestId="ind-rollback-change" />}
          <Button size="sm" variant="link" onClick={() => setDone(null)}>
            Dismiss
          </Button>
        </div>
      )}
      {load.data === null ? (
        !load.error && <p className="muted">Loading…</p>
      ) : batches.length === 0 ? (
        <p className="muted small">No file imported yet.</p>
      ) : (
        <ul className="batches">
          {batches.map((b) => (
            <BatchItem
              key={b.id}
              incident={incident}
              b={b}
              canRollBack={b.id === newestLive && !busy}
              confirming={confirming === b.id}
              onConfirm={() => {
                setDone(null);
                setConfirming(b.id);
              }}
              onCancel={() => setConfirming(null)}
              onDone={async (changes) => {
                setConfirming(null);
                setDone({ seq: b.seq, changes });
                await onRolledBack();
              }}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

type ItemProps = {
  incident: Incident;
  b: Batch;
  canRollBack: boolean;
  confirming: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  onDone: (changes: ObligationChange[]) => Promise<void>;
};

function BatchItem({ incident, b, canRollBack, confirming, onConfirm, onCancel, onDone }: ItemProps) {
  const zone = incident.timezone;
  const rolled = b.rolled_back_at !== null;
  return (
    <li className={rolled ? 'batch batch--rolled' : 'batch'} data-testid="ind-batch" data-seq={b.seq} data-id={b.id} data-rolled-back={rolled}>
      <div className="batch__main">
        <p className="batch__title">
          <span className="batch__seq mono">#{b.seq}</span>
          <span className="batch__file" title={`${b.file_name} · SHA-256 ${b.file_sha256}`}>
            {b.file_name}
          </span>
          {rolled && <span className="tag tag--muted">Rolled back</span>}
        </p>
        <p className="batch__numbers tabular">
          {b.rows_read.toLocaleString('en-US')} read · <strong>{b.rows_imported.toLocaleString('en-US')}</strong> imported · {b.rows_merged.toLocaleString('en-US')} merged ·{' '}
          <span className={b.rows_rejected > 0 ? 'batch__rejected' : undefined}>{b.rows_rejected.toLocaleString('en-US')} rejected</span>
        </p>
        <p className="batch__meta">
          {formatDue(b.imported_at, zone)} · {b.imported_by} · {b.format.toUpperCase()}, {b.encoding}
          {rolled && b.rolled_back_at && (
            <>
              <br />
              Rolled back {formatDue(b.rolled_back_at, zone)} · {b.rolled_back_by ?? 'unknown'}
            </>
          )}
        </p>
      </div>
      {canRollBack && !confirming && (
        <Button size="sm" variant="ghost" onClick={onConfirm} testId="ind-rollback" aria-label={`Roll back import #${b.seq} (${b.file_name})`}>
          Roll back
        </Button>
      )}
      {confirming && <RollbackConfirm incidentId={incident.id} b={b} onCancel={onCancel} onDone={onDone} />}
    </li>
  );
}

function RollbackConfirm({ incidentId, b, onCancel, onDone }: { incidentId: string; b: Batch; onCancel: () => void; onDone: ItemProps['onDone'] }) {
  const { busy, error, run: runAction } = useAction();
  const run = () => runAction(async () => onDone(await api.rollbackImport({ incident_id: incidentId, batch: b.id })), { clearError: true });

  return (
    <div className="batch__confirm" role="group" aria-label={`Roll back import #${b.seq}`}>
      <p className="batch__warn">
        Remove the {people(b.rows_imported)} this import added? The import stays on record as rolled back; the counts and the obligations are
        recomputed.
      </p>
      {error && (
        <p className="field__error" role="alert" data-testid="ind-rollback-error">
          {errorText(error)}
        </p>
      )}
      <div className="input-row">
        <Button size="sm" variant="primary" className="batch__danger" onClick={run} busy={busy} testId="ind-rollback-confirm">
          {busy ? 'Rolling back…' : `Roll back import #${b.seq}`}
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel} disabled={busy} testId="ind-rollback-cancel">
          Cancel
        </Button>
      </div>
    </div>
  );
}
