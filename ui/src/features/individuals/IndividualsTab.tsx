import { useCallback, useMemo, useState } from 'react';
import type { Incident } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { BatchList } from './BatchList';
import { CountsStrip } from './CountsStrip';
import { DuplicateQueue } from './DuplicateQueue';
import { ElementCounts } from './ElementCounts';
import { ImportWizard } from './ImportWizard';
import { InfoIcon } from './InfoIcon';
import { IndividualsTable } from './IndividualsTable';
import { RecognisedColumns } from './RecognisedColumns';
import { ResidenceList } from './ResidenceList';
import type { TableQuery } from './usePagedIndividuals';

type Props = {
  incident: Incident;
  /** After an import, a rollback or a merge: the facts (affected counts) and the obligations have changed. */
  onChanged: () => void;
};

const START: TableQuery = { sort: 'name', residence: null, flag: null };

/** The affected people of an incident: counts, imports, the list itself, and the import wizard. */
export function IndividualsTab({ incident, onChanged }: Props) {
  const id = incident.id;
  const counts = useLoad(useCallback(() => api.individualCounts({ id }), [id]));
  const batches = useLoad(useCallback(() => api.importBatches({ id }), [id]));
  // Follows the counts: the facts' exposure, which it reads, changes with them.
  const coverage = useLoad(useCallback(() => api.stateCoverage({ id }), [id]));
  const [importing, setImporting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const [query, setQuery] = useState<TableQuery>(START);

  const { reload: reloadCounts } = counts;
  const { reload: reloadBatches } = batches;
  const { reload: reloadCoverage } = coverage;
  const reload = useCallback(async () => {
    await Promise.all([reloadCounts(), reloadBatches(), reloadCoverage()]);
    setVersion((v) => v + 1);
  }, [reloadCounts, reloadBatches, reloadCoverage]);
  // After an import, a rollback or a merge the list, the counts and the facts have all changed.
  const refresh = useCallback(async () => {
    await reload();
    onChanged();
  }, [reload, onChanged]);
  const filterBy = useCallback((f: Partial<TableQuery>) => {
    setQuery((q) => ({ ...q, ...f }));
    window.requestAnimationFrame(() => document.getElementById('ind-list')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
  }, []);

  const seqById = useMemo(() => new Map((batches.data ?? []).map((b) => [b.id, b.seq])), [batches.data]);
  const seqOf = useCallback((batchId: string) => seqById.get(batchId), [seqById]);

  const c = counts.data;
  const empty = c !== null && c.total === 0;
  const hasBatches = (batches.data?.length ?? 0) > 0;

  const wizard = importing && <ImportWizard incident={incident} onBusy={setBusy} onImported={refresh} onClose={() => setImporting(false)} />;

  return (
    <div className="stack individuals" data-testid="individuals">
      <div className="toolbar">
        <h2 className="toolbar__title">Affected individuals</h2>
        {!empty && c && (
          <div className="toolbar__actions">
            <Button size="sm" variant={importing ? 'secondary' : 'primary'} onClick={() => setImporting((o) => !o)} aria-expanded={importing} disabled={busy} testId="ind-import">
              Import file…
            </Button>
          </div>
        )}
      </div>

      {wizard}

      <ErrorBanner error={counts.error} testId="ind-error" onRetry={reload} />

      {c === null ? (
        !counts.error && <Loading>Loading the list…</Loading>
      ) : empty ? (
        <>
          {!importing && (
            <div className="empty ind-empty">
              <h2 className="empty__title">No one on the list yet</h2>
              <p className="empty__text">
                Import the affected people from a CSV or Excel (.xlsx) file with a header row. They are cleaned, de-duplicated and counted by
                residence; the counts replace the affected numbers in Facts and the clocks are recomputed. You see a check of the file before
                anything is written.
              </p>
              <RecognisedColumns />
              <Button variant="primary" onClick={() => setImporting(true)} testId="ind-import">
                Import file…
              </Button>
            </div>
          )}
          {hasBatches && <BatchList incident={incident} load={batches} busy={busy} onRolledBack={refresh} />}
        </>
      ) : (
        <>
          <CountsStrip counts={c} query={query} onFilter={filterBy} />
          <p className="ind-feeds">
            <InfoIcon className="ind-feeds__icon" />
            These counts feed the obligations: the counts by residence replace the affected numbers in Facts, the people without an address or
            an e-mail count toward substitute notice, and the clocks are recomputed after every import or rollback.
          </p>
          <div className="ind-overview">
            <ResidenceList
              counts={c}
              coverage={coverage.data}
              coverageError={coverage.error}
              active={query.residence}
              onSelect={(code) => filterBy({ residence: code })}
            />
            <div className="stack">
              <BatchList incident={incident} load={batches} busy={busy} onRolledBack={refresh} />
              <ElementCounts counts={c} />
            </div>
          </div>
          <DuplicateQueue incident={incident} busy={busy} version={version} seqOf={seqOf} onMerged={refresh} />
          <IndividualsTable incidentId={id} counts={c} query={query} onQuery={setQuery} version={version} paused={busy} seqOf={seqOf} />
        </>
      )}
    </div>
  );
}

