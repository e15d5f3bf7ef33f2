import { useCallback, useState } from 'react';
import type { Incident, IncidentFacts, ObligationChange } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';
import { useLoad } from '../../lib/useLoad';
import { Button } from '../../components/Button';
import { Pending } from '../../components/Loading';
import { ChangeList } from './ChangeList';
import { DraftLayout } from './DraftLayout';
import { useDraft } from './useDraft';

type Props = { incident: Incident; onSaved: (changes: ObligationChange[]) => Promise<void> };

/** Loads the stored facts, then the editor. */
export function FactsEditor({ incident, onSaved }: Props) {
  const id = incident.id;
  const facts = useLoad(useCallback(() => api.getFacts({ id }), [id]));
  const counts = useLoad(useCallback(() => api.individualCounts({ id }), [id]));
  if (!facts.data) {
    return (
      <div data-testid="facts-editor">
        <Pending error={facts.error} onRetry={facts.reload}>
          Loading facts…
        </Pending>
      </div>
    );
  }
  return <LoadedEditor incident={incident} facts={facts.data} onSaved={onSaved} listTotal={counts.data?.total ?? 0} />;
}

/** Edits the facts; shows what the obligations would become before anything is saved. */
function LoadedEditor({ incident, facts, onSaved, listTotal }: { incident: Incident; facts: IncidentFacts; onSaved: Props['onSaved']; listTotal: number }) {
  const d = useDraft(incident, facts);
  const [busy, setBusy] = useState(false);

  async function save() {
    if (!d.draft) return;
    setBusy(true);
    try {
      const changes = await api.saveDraft({ id: incident.id, draft: d.draft });
      await onSaved(changes);
    } catch (err) {
      d.setSaveError(toErrorBody(err));
      setBusy(false);
    }
  }

  return (
    <DraftLayout
      prefix="fact"
      incident={incident}
      listTotal={listTotal}
      draft={d}
      testId="facts-editor"
      errorTestId="facts-error"
      panelTestId="facts-diff"
      sideLabel="Effect on the obligations"
      title="Effect on the obligations"
      state={{ pending: 'Checking…', clean: 'As stored', dirty: 'Not saved yet' }}
      subject="The effect"
      result={d.preview.preview?.changes ?? null}
      footer={
        <>
          <p className="diff-panel__note">Nothing is saved until you press Save. Saving records the change in the timeline and the audit log.</p>
          <div className="diff-panel__actions">
            <Button variant="ghost" onClick={d.reset} disabled={!d.dirty || busy} testId="facts-reset">
              Discard changes
            </Button>
            <Button variant="primary" onClick={save} busy={busy} disabled={!d.dirty || d.draft === null} testId="facts-save">
              {busy ? 'Saving…' : 'Save facts'}
            </Button>
          </div>
        </>
      }
    >
      {(changes) => <ChangeList changes={changes} zone={incident.timezone} itemTestId="facts-change" />}
    </DraftLayout>
  );
}
