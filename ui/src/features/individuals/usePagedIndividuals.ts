import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorBody, Individual } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';
import { pageOffsets } from './virtual';

/** What the table shows: the backend's order and filters (null = no filter; residence "" = undetermined). */
export type TableQuery = { sort: string; residence: string | null; flag: string | null };

export const PAGE_SIZE = 200;
/** Pages kept in memory (40 × 200 rows); the least recently used go first. */
const MAX_PAGES = 40;
/** Wait this long after the window stops moving before fetching (a dragged scrollbar passes many pages). */
const DEBOUNCE_MS = 120;

type Cache = { key: string; pages: Map<number, Individual[]>; inflight: Set<number>; total: number | null };

const fresh = (key: string): Cache => ({ key, pages: new Map(), inflight: new Set(), total: null });

/**
 * Rows of the incident's list fetched page by page as the table asks for them, cached by offset.
 * A change of query, incident or `version` starts over; `paused` holds back fetching (while an
 * import holds the store).
 */
export function usePagedIndividuals(incidentId: string, query: TableQuery, version: number, paused: boolean) {
  const key = `${incidentId}|${query.sort}|${query.residence ?? '*'}|${query.flag ?? '*'}|${version}`;
  const cache = useRef<Cache>(fresh(key));
  if (cache.current.key !== key) cache.current = fresh(key);
  const [, setTick] = useState(0);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [range, setRange] = useState<{ start: number; end: number }>({ start: 0, end: PAGE_SIZE });
  const [retry, setRetry] = useState(0);
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => setError(null), [key]);

  const fetchPage = useCallback(
    async (c: Cache, offset: number) => {
      c.inflight.add(offset);
      try {
        const q = queryRef.current;
        const page = await api.individualsPage({ id: incidentId, query: { offset, limit: PAGE_SIZE, sort: q.sort, residence: q.residence, flag: q.flag } });
        if (cache.current !== c) return; // the query changed meanwhile
        c.pages.set(offset, page.rows);
        c.total = page.total;
        setError(null);
      } catch (e) {
        if (cache.current === c) setError(toErrorBody(e));
      } finally {
        c.inflight.delete(offset);
        if (cache.current === c) setTick((t) => t + 1);
      }
    },
    [incidentId],
  );

  const knownTotal = cache.current.total;
  useEffect(() => {
    if (paused) return;
    const c = cache.current;
    const wanted = c.total === null ? [0] : pageOffsets(range.start, Math.min(range.end, c.total), PAGE_SIZE);
    const missing = wanted.filter((o) => !c.pages.has(o) && !c.inflight.has(o));
    // Keep what is on screen fresh in the LRU order.
    for (const o of wanted) {
      const rows = c.pages.get(o);
      if (rows) {
        c.pages.delete(o);
        c.pages.set(o, rows);
      }
    }
    if (missing.length === 0) return;
    const timer = window.setTimeout(
      () => {
        for (const o of missing) void fetchPage(c, o);
        // Forget the pages used longest ago, never those just asked for.
        for (const o of c.pages.keys()) {
          if (c.pages.size <= MAX_PAGES) break;
          if (!wanted.includes(o)) c.pages.delete(o);
        }
      },
      c.total === null || c.pages.size === 0 ? 0 : DEBOUNCE_MS,
    );
    return () => window.clearTimeout(timer);
  }, [key, knownTotal, range, paused, retry, fetchPage]);

  const c = cache.current;
  const rowAt = useCallback(
    (i: number): Individual | undefined => {
      const offset = Math.floor(i / PAGE_SIZE) * PAGE_SIZE;
      return cache.current.pages.get(offset)?.[i - offset];
    },
    // Each fetch re-renders the table; rowAt reads the cache then.
    [],
  );

  return {
    /** How many rows match; null until the first page has come. */
    total: c.total,
    rowAt,
    error,
    /** The table tells which rows it shows (start inclusive, end exclusive). */
    setRange: useCallback((start: number, end: number) => setRange((r) => (r.start === start && r.end === end ? r : { start, end })), []),
    retry: useCallback(() => {
      setError(null);
      setRetry((n) => n + 1);
    }, []),
  };
}
