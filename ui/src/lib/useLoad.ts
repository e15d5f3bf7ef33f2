import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorBody } from './ipc/bindings';
import { toErrorBody } from './ipc/errors';

export type Load<T> = {
  data: T | null;
  error: ErrorBody | null;
  loading: boolean;
  /** Fetches again, keeping the current data on screen meanwhile. */
  reload: () => Promise<void>;
};

/** Runs `fetch` on mount (and on `reload`), ignoring answers that arrive after a newer request. */
export function useLoad<T>(fetch: () => Promise<T>): Load<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const value = await fetchRef.current();
      if (ticket === latest.current) {
        setData(value);
        setError(null);
      }
    } catch (e) {
      if (ticket === latest.current) setError(toErrorBody(e));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    return () => {
      // A counter, not a node: bumping it at cleanup makes late answers of this load stale.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      latest.current++;
    };
  }, [reload]);

  return { data, error, loading, reload };
}
