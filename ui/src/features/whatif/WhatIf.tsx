import { useCallback } from 'react';
import type { ComputedView, Incident, IncidentFacts, ObligationChange } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { recipientWords, sentenceCase } from '../../lib/labels';
import { instant } from '../../lib/time';
import { Banner } from '../../components/Banner';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ChangeList } from '../facts';
import { DraftLayout } from '../facts';
import { useDraft } from '../facts';
import { ConfidenceBadge, DueStack } from '../obligations';

/** A sandbox over the stored facts: change anything, see the obligations; nothing is saved. */
export function WhatIf({ incident }: { incident: Incident }) {
  const id = incident.id;
  const facts = useLoad(useCallback(() => api.getFacts({ id }), [id]));
  if (!facts.data) {
    return (
      <div data-testid="whatif">
        {facts.error ? <ErrorBanner error={facts.error} /> : <p className="muted">Loading facts…</p>}
      </div>
    );
  }
  return <Sandbox incident={incident} facts={facts.data} />;
}

function Sandbox({ incident, facts }: { incident: Incident; facts: IncidentFacts }) {
  const d = useDraft(incident, facts);

  return (
    <div className="stack" data-testid="whatif">
      <Banner
        tone="warning"
        testId="whatif-sandbox"
        action={
          <Button size="sm" onClick={d.reset} disabled={!d.dirty} testId="whatif-reset">
            Reset
          </Button>
        }
      >
        <strong>Sandbox — nothing is saved.</strong> Try other facts (another state, a later awareness time, no high risk) and see
        which obligations and deadlines follow. To change the record, use the Facts tab.
      </Banner>
      <DraftLayout
        prefix="whatif"
        incident={incident}
        draft={d}
        className="editor--whatif"
        errorTestId="whatif-error"
        panelTestId="whatif-result"
        sideLabel="What the obligations would be"
        title="Compared with the record"
        state={{ pending: 'Computing…', clean: 'Same as stored', dirty: 'Hypothetical' }}
        subject="The result"
        result={d.preview.preview}
      >
        {(result) => (
          <>
            <ChangeList changes={result.changes} zone={incident.timezone} itemTestId="whatif-change" showDues />
            <h3 className="diff-panel__title diff-panel__title--sub">All obligations under these facts ({result.obligations.length})</h3>
            <ComputedList list={result.obligations} changes={result.changes} zone={incident.timezone} />
          </>
        )}
      </DraftLayout>
    </div>
  );
}

const keyOf = (x: { rule_id: string; jurisdiction: string; recipient: string }) => `${x.rule_id}|${x.jurisdiction}|${x.recipient}`;

function ComputedList({ list, changes, zone }: { list: ComputedView[]; changes: ObligationChange[]; zone: string }) {
  const changed = new Map(changes.map((c) => [keyOf(c), c.change]));
  const sorted = [...list].sort((a, b) => (a.due === null ? 1 : b.due === null ? -1 : instant(a.due) - instant(b.due)));
  if (sorted.length === 0) return <p className="changes__none">No obligations under these facts.</p>;
  return (
    <ul className="computed">
      {sorted.map((o) => {
        const change = changed.get(keyOf(o));
        return (
          <li key={keyOf(o)} className={change ? `computed__item computed__item--${change}` : 'computed__item'} data-testid="whatif-obligation" data-rule-id={o.rule_id} data-change={change}>
            <div className="computed__who">
              <span className="computed__regime">{o.regime}</span>
              <span>
                {o.regime === 'CONTRACT' ? sentenceCase(recipientWords(o.recipient)) : `${o.jurisdiction} ${recipientWords(o.recipient)}`}
              </span>
              <ConfidenceBadge confidence={o.confidence} />
            </div>
            <div className="computed__due">
              {o.kind === 'asap' ? <span>As soon as possible</span> : o.due ? <DueStack due={o.due} zone={zone} /> : <span className="muted">No fixed time</span>}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
