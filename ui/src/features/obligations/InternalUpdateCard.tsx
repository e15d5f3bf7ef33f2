import { useState } from 'react';
import type { CommsKind, Incident } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useTask } from '../../lib/useAction';
import { Card } from '../../components/Card';
import { Button } from '../../components/Button';
import { Banner } from '../../components/Banner';
import { ErrorBanner } from '../../components/ErrorBanner';

const KINDS: [CommsKind, string][] = [
  ['initial', 'Initial alert'],
  ['status', 'Status update'],
  ['resolution', 'Resolution'],
];

type Props = { incident: Incident; onRecorded: () => void };

/**
 * The team's internal update in the playbooks' shape, drafted from the record: edit, copy, save as
 * text, or record it on the timeline (a status update: the cadence clock restarts).
 */
export function InternalUpdateCard({ incident, onRecorded }: Props) {
  const [kind, setKind] = useState<CommsKind>(incident.status === 'closed' ? 'resolution' : 'status');
  const [text, setText] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const task = useTask();

  const draft = () =>
    task.run(async () => {
      setDone(null);
      const u = await api.internalUpdate({ id: incident.id, kind });
      setText(u.text);
    });
  const copy = () =>
    task.run(async () => {
      if (text === null) return;
      await navigator.clipboard.writeText(text);
      setDone('Copied to the clipboard.');
    });
  const save = () =>
    task.run(async () => {
      if (text === null) return;
      const path = await api.saveInternalUpdate({ id: incident.id, kind, text });
      setDone(`Saved as ${path}`);
    });
  const record = () =>
    task.run(async () => {
      if (text === null) return;
      const at = new Date();
      at.setMilliseconds(0);
      await api.addTimelineEntry({ incident_id: incident.id, input: { occurred_at: at.toISOString(), kind: 'note', description: text.trim(), who: null, corrects: null } });
      setDone('Recorded on the timeline as a status update; the status-update clock starts again.');
      onRecorded();
    });

  return (
    <Card title="Internal update" testId="internal-update" actions={<span className="muted small">For the response team and leadership · not a legal notice</span>}>
      <div className="iupdate__bar">
        <div className="segmented" role="group" aria-label="Kind of update">
          {KINDS.map(([k, label]) => (
            <button key={k} type="button" className={kind === k ? 'is-on' : ''} aria-pressed={kind === k} onClick={() => setKind(k)} data-testid={`iupdate-kind-${k}`}>
              {label}
            </button>
          ))}
        </div>
        <Button onClick={draft} busy={task.busy} testId="iupdate-draft">
          Draft from the record
        </Button>
      </div>
      <ErrorBanner error={task.error} />
      {text !== null && (
        <>
          <textarea className="input iupdate__text" value={text} onChange={(e) => setText(e.target.value)} rows={Math.min(24, text.split('\n').length + 1)} spellCheck data-testid="iupdate-text" aria-label="Update text" />
          <div className="form-actions">
            <Button variant="primary" onClick={record} busy={task.busy} testId="iupdate-record">
              Record on the timeline
            </Button>
            <Button onClick={copy} testId="iupdate-copy">
              Copy
            </Button>
            <Button onClick={save} testId="iupdate-save">
              Save as text
            </Button>
          </div>
        </>
      )}
      {done && (
        <Banner tone="success" testId="iupdate-done">
          {done}
        </Banner>
      )}
    </Card>
  );
}
