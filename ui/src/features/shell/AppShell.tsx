import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppStatus, ErrorBody, Vocabulary } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Button } from '../../components/Button';
import { IncidentList } from '../incidents/IncidentList';
import { IncidentForm } from '../incidents/IncidentForm';
import { IncidentDetailPage } from '../incidents/IncidentDetailPage';
import { SessionContext, type Session } from './session';
import type { Route } from './routes';
import { Sidebar } from './Sidebar';

/** The unlocked app: sidebar plus the current page. */
export function AppShell({ status }: { status: AppStatus }) {
  const [route, setRoute] = useState<Route>({ page: 'list' });
  const [vocabulary, setVocabulary] = useState<Vocabulary | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);

  const loadVocabulary = useCallback(() => {
    setError(null);
    api.vocabulary().then(setVocabulary, (e: unknown) => setError(toErrorBody(e)));
  }, []);
  useEffect(loadVocabulary, [loadVocabulary]);

  const navigate = useCallback((to: Route) => {
    setRoute(to);
    document.querySelector('.main')?.scrollTo({ top: 0 });
  }, []);

  const session = useMemo<Session | null>(
    () => (vocabulary ? { userName: status.user_name, dataDir: status.dir.data_dir, vocabulary } : null),
    [vocabulary, status.user_name, status.dir.data_dir],
  );

  return (
    <div className="shell">
      <Sidebar userName={status.user_name} dataDir={status.dir.data_dir} onIncidents={() => navigate({ page: 'list' })} />
      <main className="main">
        {error && (
          <ErrorBanner
            error={error}
            action={
              <Button size="sm" onClick={loadVocabulary}>
                Try again
              </Button>
            }
          />
        )}
        {session && (
          <SessionContext.Provider value={session}>
            <Page route={route} navigate={navigate} />
          </SessionContext.Provider>
        )}
      </main>
    </div>
  );
}

function Page({ route, navigate }: { route: Route; navigate: (to: Route) => void }) {
  switch (route.page) {
    case 'list':
      return <IncidentList navigate={navigate} />;
    case 'new':
      return <IncidentForm navigate={navigate} />;
    case 'detail':
      return <IncidentDetailPage key={route.id} id={route.id} navigate={navigate} />;
  }
}
