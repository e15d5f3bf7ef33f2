import { useState } from 'react';
import type { ErrorBody } from './ipc/bindings';
import { toErrorBody } from './ipc/errors';

/**
 * One action behind a button (roll back, retire, retry): busy while it runs and after it succeeds
 * (the caller usually leaves the view then); a failure is kept as `error` and the button is usable
 * again.
 */
export function useAction(initialError: ErrorBody | null = null) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(initialError);

  /** Runs `action`; with `clearError` the last failure is forgotten as it starts. */
  async function run(action: () => Promise<unknown>, { clearError = false }: { clearError?: boolean } = {}) {
    setBusy(true);
    if (clearError) setError(null);
    try {
      await action();
    } catch (e) {
      setError(toErrorBody(e));
      setBusy(false);
    }
  }

  return { busy, error, setError, run };
}

/**
 * An action that can run again from the same view (save, draft, export): busy only while it runs;
 * a failure is kept as `error` until the next run. `run` resolves to whether it succeeded.
 */
export function useTask() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(toErrorBody(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, run };
}
