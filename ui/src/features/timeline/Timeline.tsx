import { useState } from 'react';
import type { Incident, TimelineEntry } from '../../lib/ipc/bindings';
import { Card } from '../../components/Card';
import { TimelineEntryItem } from './TimelineEntryItem';
import { TimelineForm } from './TimelineForm';

type Props = { incident: Incident; entries: TimelineEntry[]; onChanged: () => Promise<void> };

/** The append-only timeline: entries as the backend orders them, then the form to add one. */
export function Timeline({ incident, entries, onChanged }: Props) {
  const [correcting, setCorrecting] = useState<TimelineEntry | null>(null);
  // A new key gives the form fresh values: after an entry is added, or when a correction starts.
  const [formKey, setFormKey] = useState(0);
  const byId = new Map(entries.map((e) => [e.id, e]));

  const startCorrection = (entry: TimelineEntry) => {
    setCorrecting(entry);
    setFormKey((k) => k + 1);
  };
  const cancelCorrection = () => {
    setCorrecting(null);
    setFormKey((k) => k + 1);
  };
  const added = async () => {
    setCorrecting(null);
    setFormKey((k) => k + 1);
    await onChanged();
  };

  return (
    <Card title="Timeline" actions={<span className="muted small">{countLabel(entries.length)}</span>} testId="timeline">
      <p className="note">The timeline is append-only: entries are never edited or deleted; a correction is added as a new entry.</p>
      {entries.length === 0 ? (
        <p className="timeline-empty muted">No entries yet. Record the first thing that happened below.</p>
      ) : (
        <ol className="timeline">
          {entries.map((e) => (
            <TimelineEntryItem
              key={e.id}
              entry={e}
              original={e.corrects ? (byId.get(e.corrects) ?? null) : null}
              correcting={correcting?.id === e.id}
              onCorrect={startCorrection}
            />
          ))}
        </ol>
      )}
      <TimelineForm key={formKey} incident={incident} correcting={correcting} onCancelCorrection={cancelCorrection} onAdded={added} />
    </Card>
  );
}

function countLabel(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}
