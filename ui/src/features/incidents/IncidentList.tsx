import { useMemo, useState, type KeyboardEvent } from 'react';
import type { Incident } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { PageHeader } from '../../components/PageHeader';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { SeverityBadge, StatusPill } from '../../components/Badges';
import { When } from '../../components/When';
import { useSession } from '../shell';
import type { Navigate } from '../shell';
import { DEFAULT_SORT, nextSort, sortIncidents, type Sort, type SortKey } from './sort';
import { visible } from '../../lib/visible';

/** All incidents as a sortable table. */
export function IncidentList({ navigate }: { navigate: Navigate }) {
  const { vocabulary } = useSession();
  const load = useLoad(api.listIncidents);
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const rows = useMemo(() => (load.data ? sortIncidents(load.data, sort, vocabulary) : []), [load.data, sort, vocabulary]);
  const newIncident = () => navigate({ page: 'new' });

  return (
    <div className="page" data-testid="incident-list">
      <PageHeader
        title="Incidents"
        actions={
          <Button variant="primary" onClick={newIncident} testId="new-incident">
            New incident
          </Button>
        }
      />
      <ErrorBanner error={load.error} testId="list-error" onRetry={load.reload} />
      {load.data === null ? (
        !load.error && <Loading>Loading incidents…</Loading>
      ) : load.data.length === 0 ? (
        <EmptyState onNew={newIncident} />
      ) : (
        <IncidentTable rows={rows} sort={sort} onSort={(key) => setSort((s) => nextSort(s, key))} onOpen={(id) => navigate({ page: 'detail', id })} />
      )}
    </div>
  );
}

function EmptyState({ onNew }: { onNew: () => void }) {
  return (
    <div className="empty">
      <h2 className="empty__title">No incidents recorded</h2>
      <p className="empty__text">
        When something looks wrong, open an incident straight away. The legal notification clocks run from the times you record
        here, so it is better to start early and refine later.
      </p>
      <Button variant="primary" onClick={onNew} testId="new-incident-empty">
        New incident
      </Button>
    </div>
  );
}

type TableProps = { rows: Incident[]; sort: Sort; onSort: (key: SortKey) => void; onOpen: (id: string) => void };

function IncidentTable({ rows, sort, onSort, onOpen }: TableProps) {
  const header = (key: SortKey, label: string, className: string) => (
    <SortHeader sortKey={key} label={label} sort={sort} onSort={onSort} className={className} />
  );
  const openOnKey = (e: KeyboardEvent, id: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(id);
    }
  };
  return (
    <div className="table-wrap">
      <table className="table table--incidents">
        <thead>
          <tr>
            {header('human_id', 'ID', 'col-id')}
            {header('title', 'Title', 'col-title')}
            {header('severity', 'Severity', 'col-sev')}
            {header('status', 'Status', 'col-status')}
            {header('detected_at', 'Detected', 'col-detected')}
            <th scope="col" className="col-ic">
              Commander
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => (
            <tr
              key={i.id}
              className="table__row--link"
              tabIndex={0}
              onClick={() => onOpen(i.id)}
              onKeyDown={(e) => openOnKey(e, i.id)}
              data-testid="incident-row"
              data-id={i.id}
              aria-label={`${i.human_id}: ${visible(i.title)}`}
            >
              <td className="mono">{i.human_id}</td>
              <td className="cell-title">{visible(i.title)}</td>
              <td>
                <SeverityBadge severity={i.severity} />
              </td>
              <td>
                <StatusPill status={i.status} />
              </td>
              <td>
                <When value={i.detected_at} layout="stacked" />
              </td>
              <td className={i.roles.incident_commander ? 'cell-person' : 'cell-person muted'}>{i.roles.incident_commander ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type SortHeaderProps = { sortKey: SortKey; label: string; sort: Sort; onSort: (key: SortKey) => void; className: string };

function SortHeader({ sortKey, label, sort, onSort, className }: SortHeaderProps) {
  const active = sort.key === sortKey;
  const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th scope="col" className={className} aria-sort={ariaSort}>
      <button
        type="button"
        className={active ? 'sort sort--active' : 'sort'}
        onClick={() => onSort(sortKey)}
        data-testid={`sort-${sortKey}`}
        data-dir={active ? sort.dir : undefined}
      >
        {label}
        <SortArrow dir={active ? sort.dir : null} />
      </button>
    </th>
  );
}

function SortArrow({ dir }: { dir: 'asc' | 'desc' | null }) {
  return (
    <svg className={`sort__arrow sort__arrow--${dir ?? 'none'}`} width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
      {dir === 'desc' ? (
        <path d="M5 8.5 1.5 4h7z" />
      ) : dir === 'asc' ? (
        <path d="M5 1.5 8.5 6h-7z" />
      ) : (
        <path d="M5 1 7.5 4h-5zM5 9 2.5 6h5z" />
      )}
    </svg>
  );
}
