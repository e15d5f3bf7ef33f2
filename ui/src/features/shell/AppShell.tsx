import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppStatus, ErrorBody, Vocabulary } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { IncidentList } from '../incidents';
import { IncidentForm } from '../incidents';
import { IncidentDetailPage } from '../incidents';
import { SettingsPage } from '../settings';
import { TemplatesPage } from '../notices';
import { BoardPage } from '../board';
import { SessionContext, type Session } from './session';
import type { Route } from './routes';
import { Sidebar } from './Sidebar';
import { ReminderBell, ReminderPanel, ReminderToasts } from './Reminders';
import { useReminders } from './useReminders';

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
  // Only the main column scrolls: the document itself never does, or focusing a control (a
  // keyboard user tabbing to Save) would shift the whole window, sidebar included.
  useEffect(() => {
    document.documentElement.classList.add('has-shell');
    return () => document.documentElement.classList.remove('has-shell');
  }, []);

  const navigate = useCallback((to: Route) => {
    setRoute(to);
    document.querySelector('.main')?.scrollTo({ top: 0 });
  }, []);

  const reminders = useReminders();
  const [panelOpen, setPanelOpen] = useState(false);
  const { markSeen } = reminders;
  const togglePanel = useCallback(() => {
    setPanelOpen((o) => !o);
    markSeen();
  }, [markSeen]);
  const closePanel = useCallback(() => {
    setPanelOpen(false);
    markSeen();
  }, [markSeen]);
  const openIncident = useCallback(
    (id: string) => {
      setPanelOpen(false);
      navigate({ page: 'detail', id });
    },
    [navigate],
  );

  const session = useMemo<Session | null>(
    () => (vocabulary ? { userName: status.user_name, dataDir: status.dir.data_dir, vocabulary } : null),
    [vocabulary, status.user_name, status.dir.data_dir],
  );

  return (
    <div className="shell">
      <Sidebar
        userName={status.user_name}
        dataDir={status.dir.data_dir}
        route={route}
        onIncidents={() => navigate({ page: 'list' })}
        onBoard={() => navigate({ page: 'board' })}
        onSettings={() => navigate({ page: 'settings' })}
        onTemplates={() => navigate({ page: 'templates' })}
        reminders={<ReminderBell count={reminders.list.length} unseen={reminders.unseen} open={panelOpen} onToggle={togglePanel} />}
      />
      {panelOpen && <ReminderPanel reminders={reminders.list} listenError={reminders.listenError} onClose={closePanel} onOpen={openIncident} />}
      <ReminderToasts toasts={reminders.toasts} onDismiss={reminders.dismiss} onOpen={openIncident} />
      <main className="main">
        {error && (
          <ErrorBanner error={error} onRetry={loadVocabulary} />
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
      return <IncidentDetailPage key={`${route.id}-${route.tab ?? ''}-${route.notice ?? ''}`} id={route.id} tab={route.tab} notice={route.notice} navigate={navigate} />;
    case 'board':
      return <BoardPage navigate={navigate} />;
    case 'templates':
      return <TemplatesPage />;
    case 'settings':
      return <SettingsPage />;
  }
}
