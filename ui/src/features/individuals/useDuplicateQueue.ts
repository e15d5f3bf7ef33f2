import { useCallback, useEffect, useRef, useState } from 'react';
import type { DuplicatePair, ErrorBody } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';

/**
 * The probable-duplicates queue (waiting pairs first; with `decided`, the decided ones after).
 * Fetched again when the incident, `decided` or `version` changes, or on `reload`; `paused` holds
 * fetching back while an import holds the store.
 */
export function useDuplicateQueue(incidentId: string, decided: boolean, version: number, paused: boolean) {
  const [data, setData] = useState<DuplicatePair[] | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [loading, setLoading] = useState(false);
  const [nonce, setNonce] = useState(0);
  const fetched = useRef<string | null>(null);
  const key = `${incidentId}|${decided}|${version}|${nonce}`;

  useEffect(() => {
    if (paused || fetched.current === key) return;
    fetched.current = key;
    let live = true;
    let settled = false;
    setLoading(true);
    api
      .duplicateQueue({ id: incidentId, decided })
      .then(
        (pairs) => {
          if (!live) return;
          setData(pairs);
          setError(null);
        },
        (e: unknown) => {
          if (live) setError(toErrorBody(e));
        },
      )
      .finally(() => {
        settled = true;
        if (live) setLoading(false);
      });
    return () => {
      live = false;
      // A request cut short is asked again when the effect runs next; a finished one is not.
      if (!settled) fetched.current = null;
    };
  }, [key, paused, incidentId, decided]);

  return { data, error, loading, reload: useCallback(() => setNonce((n) => n + 1), []) };
}
