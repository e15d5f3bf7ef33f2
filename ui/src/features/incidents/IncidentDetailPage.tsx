import { useCallback, useState } from 'react';
import type { Incident, ObligationChange } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { PageHeader } from '../../components/PageHeader';
import { Button } from '../../components/Button';
import { Banner } from '../../components/Banner';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Pending } from '../../components/Loading';
import { SeverityBadge, StatusPill } from '../../components/Badges';
import { Card } from '../../components/Card';
import { TabList, TabPanel, type TabDef } from '../../components/Tabs';
import { Timeline } from '../timeline';
import { ObligationsTab } from '../obligations';
import { FactsEditor } from '../facts';
import { ChangeList } from '../facts';
import { WhatIf } from '../whatif';
import { IndividualsTab } from '../individuals';
import { NoticesTab } from '../notices';
import type { IncidentTab, Navigate } from '../shell';
import { StatusControl } from './StatusControl';
import { LegalTimestampsCard } from './LegalTimestampsCard';
import { PeopleCard } from './PeopleCard';
import { RecordCard } from './RecordCard';
import { visible } from '../../lib/visible';

type Props = { id: string; navigate: Navigate; tab?: IncidentTab | undefined; notice?: string | undefined };

type Tab = IncidentTab;

const TABS: TabDef<Tab>[] = [
  { key: 'obligations', label: 'Obligations' },
  { key: 'facts', label: 'Facts' },
  { key: 'individuals', label: 'Individuals' },
  { key: 'notices', label: 'Notices' },
  { key: 'whatif', label: 'What-if' },
  { key: 'timeline', label: 'Timeline' },
];

/** One incident: header with status control, then tabs for the cockpit, facts, individuals, what-if and timeline. */
export function IncidentDetailPage({ id, navigate, tab: initialTab, notice }: Props) {
  const fetch = useCallback(() => api.getIncident({ id }), [id]);
  const load = useLoad(fetch);
  const [tab, setTab] = useState<Tab>(initialTab ?? 'obligations');
  // Editors keep their unsaved state while another tab is shown; they mount on first visit.
  const [visited, setVisited] = useState<ReadonlySet<Tab>>(() => new Set<Tab>([initialTab ?? 'obligations']));
  // A new key gives the facts editor and the sandbox the stored facts again after a save.
  const [factsKey, setFactsKey] = useState(0);
  const [saved, setSaved] = useState<ObligationChange[] | null>(null);

  const select = useCallback((t: Tab) => {
    setTab(t);
    setVisited((v) => (v.has(t) ? v : new Set(v).add(t)));
  }, []);

  const { reload } = load;
  // An import or a rollback rewrites the affected counts: the facts editor and the sandbox start
  // again from the stored facts.
  const individualsChanged = useCallback(() => {
    setFactsKey((k) => k + 1);
    void reload();
  }, [reload]);

  const back = (
    <button type="button" className="btn btn--link btn--sm back-link" onClick={() => navigate({ page: 'list' })} data-testid="back-to-list">
      ← Incidents
    </button>
  );

  if (!load.data) {
    return (
      <div className="page" data-testid="incident-detail">
        <PageHeader eyebrow={back} title={load.error?.code === 'not_found' ? 'Incident not found' : 'Incident'} />
        <Pending error={load.error} errorTestId="detail-error" onRetry={load.error?.code === 'not_found' ? undefined : load.reload}>
          Loading incident…
        </Pending>
      </div>
    );
  }

  const { incident, timeline } = load.data;
  const factsSaved = async (changes: ObligationChange[]) => {
    await load.reload();
    setSaved(changes);
    setFactsKey((k) => k + 1);
    setVisited(new Set<Tab>(['obligations']));
    setTab('obligations');
  };

  return (
    <div className="page" data-testid="incident-detail" data-id={incident.id}>
      <PageHeader
        eyebrow={back}
        title={visible(incident.title)}
        titleTestId="detail-title"
        meta={<HeaderMeta incident={incident} />}
        actions={<StatusControl incident={incident} onChanged={load.reload} />}
      />
      {load.error && <ErrorBanner error={load.error} testId="detail-error" />}
      <TabList id="incident" label="Incident views" tabs={TABS} active={tab} onSelect={select} />

      {saved && (
        <div className="saved-banner">
          <Banner
            tone="success"
            testId="facts-saved"
            action={
              <Button size="sm" variant="ghost" onClick={() => setSaved(null)} aria-label="Dismiss">
                Dismiss
              </Button>
            }
          >
            <p className="saved-banner__title">
              Facts saved.{' '}
              {saved.length === 0 ? 'The obligations did not change.' : `${saved.length} ${saved.length === 1 ? 'change' : 'changes'} to the obligations:`}
            </p>
            {saved.length > 0 && <ChangeList changes={saved} zone={incident.timezone} itemTestId="saved-change" />}
          </Banner>
        </div>
      )}

      <TabPanel id="incident" tab="obligations" active={tab === 'obligations'}>
        {tab === 'obligations' && <ObligationsTab incident={incident} onEditFacts={() => select('facts')} />}
      </TabPanel>
      <TabPanel id="incident" tab="facts" active={tab === 'facts'}>
        {visited.has('facts') && <FactsEditor key={factsKey} incident={incident} onSaved={factsSaved} />}
      </TabPanel>
      <TabPanel id="incident" tab="individuals" active={tab === 'individuals'}>
        {visited.has('individuals') && <IndividualsTab incident={incident} onChanged={individualsChanged} />}
      </TabPanel>
      <TabPanel id="incident" tab="notices" active={tab === 'notices'}>
        {tab === 'notices' && <NoticesTab incident={incident} initialNotice={notice} />}
      </TabPanel>
      <TabPanel id="incident" tab="whatif" active={tab === 'whatif'}>
        {visited.has('whatif') && <WhatIf key={factsKey} incident={incident} />}
      </TabPanel>
      <TabPanel id="incident" tab="timeline" active={tab === 'timeline'}>
        {visited.has('timeline') && (
          <div className="detail-grid">
            <div className="detail-grid__main stack">
              {incident.summary && (
                <Card title="Summary">
                  <p className="prose">{visible(incident.summary)}</p>
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
        )}
      </TabPanel>
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
