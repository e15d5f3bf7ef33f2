import { useCallback, useEffect, useState } from 'react';
import type { AppStatus, ErrorBody } from './lib/ipc/bindings';
import { api } from './lib/ipc/client';
import { toErrorBody } from './lib/ipc/errors';
import { SetupScreen } from './features/setup/SetupScreen';
import { UnlockScreen } from './features/setup/UnlockScreen';
import { AuthCard } from './features/setup/AuthCard';
import { AppShell } from './features/shell/AppShell';
import { ErrorBanner } from './components/ErrorBanner';
import { Loading } from './components/Loading';
import { Button } from './components/Button';

type Boot = { kind: 'loading' } | { kind: 'failed'; error: ErrorBody } | { kind: 'ready'; status: AppStatus };

/** Picks the screen from the app's status: first-run set-up, unlock, or the app itself. */
export function App() {
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });

  const load = useCallback(() => {
    setBoot({ kind: 'loading' });
    api.appStatus().then(
      (status) => setBoot({ kind: 'ready', status }),
      (e: unknown) => setBoot({ kind: 'failed', error: toErrorBody(e) }),
    );
  }, []);

  useEffect(load, [load]);

  const ready = useCallback((status: AppStatus) => setBoot({ kind: 'ready', status }), []);

  if (boot.kind === 'loading') {
    return (
      <AuthCard>
        <Loading>Opening Breachdesk…</Loading>
      </AuthCard>
    );
  }
  if (boot.kind === 'failed') {
    return (
      <AuthCard>
        <ErrorBanner error={boot.error} testId="boot-error" />
        <div className="form-actions">
          <Button variant="primary" onClick={load}>
            Try again
          </Button>
        </div>
      </AuthCard>
    );
  }
  const { status } = boot;
  if (!status.dir.initialized) return <SetupScreen status={status} onDone={ready} />;
  if (!status.unlocked) return <UnlockScreen status={status} onUnlocked={ready} />;
  return <AppShell status={status} />;
}
