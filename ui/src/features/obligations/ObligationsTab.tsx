import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Incident } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { useInterval, useNow } from '../../lib/useNow';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { DeadlineChart } from '../chart';
import { CustomObligationForm } from './CustomObligationForm';
import { CustomObligationList } from './CustomObligationList';
import { ExportIcs } from './ExportIcs';
import { InternalClocks } from './InternalClocks';
import { InternalUpdateCard } from './InternalUpdateCard';
import { ObligationTable } from './ObligationTable';
import { SummaryStrip } from './SummaryStrip';
import { rankObligations, summarise } from './urgency';

type Props = { incident: Incident; onEditFacts: () => void };

const RELOAD_MS = 60_000;

/** The cockpit: chart, counts, every obligation with a live countdown, internal clocks. */
export function ObligationsTab({ incident, onEditFacts }: Props) {
  const id = incident.id;
  const now = useNow(1000);
  const obligations = useLoad(useCallback(() => api.listObligations({ id }), [id]));
  const clocks = useLoad(useCallback(() => api.internalClocks({ id }), [id]));
  const customs = useLoad(useCallback(() => api.listCustomObligations({ id }), [id]));
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [adding, setAdding] = useState(false);

  const { reload: reloadObligations } = obligations;
  const { reload: reloadInternal } = clocks;
  const { reload: reloadCustoms } = customs;
  const reloadClocks = useCallback(async () => {
    await Promise.all([reloadObligations(), reloadInternal()]);
  }, [reloadObligations, reloadInternal]);
  const reloadAll = useCallback(async () => {
    await Promise.all([reloadObligations(), reloadInternal(), reloadCustoms()]);
  }, [reloadObligations, reloadInternal, reloadCustoms]);
  // Statuses move with time even when nobody edits anything.
  useInterval(() => void reloadClocks(), RELOAD_MS);
  // A change to the incident (status, times) can start or stop internal clocks.
  const seen = useRef(incident.updated_at);
  useEffect(() => {
    if (seen.current === incident.updated_at) return;
    seen.current = incident.updated_at;
    void reloadClocks();
  }, [incident.updated_at, reloadClocks]);

  const ranked = useMemo(() => rankObligations(obligations.data ?? [], now), [obligations.data, now]);
  const summary = useMemo(() => summarise(ranked, now), [ranked, now]);

  const toggle = useCallback((oid: string) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(oid)) next.delete(oid);
      else next.add(oid);
      return next;
    });
  }, []);
  const reveal = useCallback((oid: string) => {
    setExpanded((old) => (old.has(oid) ? old : new Set(old).add(oid)));
    window.requestAnimationFrame(() => {
      document.querySelector(`[data-testid="obligation-row"][data-id="${CSS.escape(oid)}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    });
  }, []);

  const added = async () => {
    setAdding(false);
    await reloadAll();
  };

  const list = obligations.data;
  return (
    <div className="stack" data-testid="obligations-tab">
      {list && list.length > 0 && (
        <Card title="Deadlines" actions={<span className="muted small">{incident.timezone}</span>} className="chart-card">
          <DeadlineChart incident={incident} ranked={ranked} now={now} onSelect={reveal} />
        </Card>
      )}

      {list && list.length > 0 && <SummaryStrip summary={summary} incident={incident} now={now} />}

      <div className="toolbar">
        <h2 className="toolbar__title">Obligations</h2>
        <div className="toolbar__actions">
          <ExportIcs incidentId={id} />
          <Button size="sm" variant={adding ? 'secondary' : 'primary'} onClick={() => setAdding((a) => !a)} aria-expanded={adding} testId="add-custom">
            Add obligation
          </Button>
        </div>
      </div>

      {adding && <CustomObligationForm incidentId={id} onAdded={added} onCancel={() => setAdding(false)} />}

      <ErrorBanner error={obligations.error} testId="obligations-error" onRetry={obligations.reload} />

      {list === null ? (
        !obligations.error && <Loading>Loading obligations…</Loading>
      ) : list.length === 0 ? (
        <div className="empty" data-testid="obligations">
          <h2 className="empty__title">No obligations yet</h2>
          <p className="empty__text">
            Obligations are computed from the facts: who you are (HIPAA, GDPR role), what data was involved and where the affected people
            live. Record them in the Facts tab; you will see what they call for before anything is saved.
          </p>
          <Button variant="primary" onClick={onEditFacts} testId="go-to-facts">
            Record the facts
          </Button>
        </div>
      ) : (
        <ObligationTable incident={incident} ranked={ranked} now={now} expanded={expanded} onToggle={toggle} onChanged={reloadAll} />
      )}

      <CustomObligationList incident={incident} load={customs} onChanged={reloadAll} />
      <InternalClocks incident={incident} load={clocks} now={now} />
      <InternalUpdateCard incident={incident} onRecorded={() => void clocks.reload()} />
    </div>
  );
}
