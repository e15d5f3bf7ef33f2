import { useCallback } from 'react';
import type { Incident } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { PageHeader } from '../../components/PageHeader';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { SeverityBadge, StatusPill } from '../../components/Badges';
import { Card } from '../../components/Card';
import { Timeline } from '../timeline/Timeline';
import type { Navigate } from '../shell/routes';
import { StatusControl } from './StatusControl';
import { LegalTimestampsCard } from './LegalTimestampsCard';
import { PeopleCard } from './PeopleCard';
import { RecordCard } from './RecordCard';

type Props = { id: string; navigate: Navigate };

/** One incident: header with status control, timeline on the left, facts on the right. */
export function IncidentDetailPage({ id, navigate }: Props) {
  const fetch = useCallback(() => api.getIncident(id), [id]);
  const load = useLoad(fetch);
  const back = (
    <button type="button" className="btn btn--link btn--sm back-link" onClick={() => navigate({ page: 'list' })} data-testid="back-to-list">
      ← Incidents
    </button>
  );

  if (!load.data) {
    return (
      <div className="page" data-testid="incident-detail">
        <PageHeader eyebrow={back} title={load.error?.code === 'not_found' ? 'Incident not found' : 'Incident'} />
        {load.error ? (
          <ErrorBanner
            error={load.error}
            testId="detail-error"
            action={
              load.error.code === 'not_found' ? undefined : (
                <Button size="sm" onClick={() => void load.reload()}>
                  Try again
                </Button>
              )
            }
          />
        ) : (
          <p className="muted" role="status">
            Loading incident…
          </p>
        )}
      </div>
    );
  }

  const { incident, timeline } = load.data;
  return (
    <div className="page" data-testid="incident-detail" data-id={incident.id}>
      <PageHeader
        eyebrow={back}
        title={incident.title}
        titleTestId="detail-title"
        meta={<HeaderMeta incident={incident} />}
        actions={<StatusControl incident={incident} onChanged={load.reload} />}
      />
      {load.error && <ErrorBanner error={load.error} testId="detail-error" />}
      <div className="detail-grid">
        <div className="detail-grid__main stack">
          {incident.summary && (
            <Card title="Summary">
              <p className="prose">{incident.summary}</p>
            </Card>
          )}
          <Timeline incident={incident} entries={timeline} onChanged={load.reload} />
        </div>
        <div className="detail-grid__side stack">
          <LegalTimestampsCard incident={incident} />
          <PeopleCard roles={incident.roles} />
          <RecordCard incident={incident} />
        </div>
      </div>
    </div>
  );
}

function HeaderMeta({ incident }: { incident: Incident }) {
  return (
    <>
      <span className="mono human-id" data-testid="detail-human-id">
        {incident.human_id}
      </span>
      <SeverityBadge severity={incident.severity} />
      <StatusPill status={incident.status} testId="detail-status" />
    </>
  );
}
