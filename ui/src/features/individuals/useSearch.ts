import { useEffect, useState } from 'react';
import type { ErrorBody, Individual } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';

/** Shorter queries are not sent: two characters are the least that narrows a large list. */
export const MIN_QUERY = 2;
const DEBOUNCE_MS = 250;
/** The backend returns at most this many matches. */
export const SEARCH_LIMIT = 200;

export type Search = {
  /** off: no query; short: under MIN_QUERY characters; on: searching or showing matches. */
  mode: 'off' | 'short' | 'on';
  /** The trimmed query. */
  query: string;
  /** The latest matches (for `shownFor`, which may be an older query while a new one runs). */
  rows: Individual[] | null;
  shownFor: string | null;
  pending: boolean;
  error: ErrorBody | null;
};

type Answer = { query: string; rows: Individual[] | null; error: ErrorBody | null };

/**
 * Prefix search over name, last name, e-mail and ZIP, sent 250 ms after the last keystroke.
 * Answers to older queries are dropped; `paused` holds the search back (import running).
 */
export function useSearch(incidentId: string, text: string, version: number, paused: boolean): Search {
  const query = text.trim();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [pending, setPending] = useState(false);
  const active = query.length >= MIN_QUERY;

  useEffect(() => {
    if (!active || paused) return;
    let current = true;
    setPending(true);
    const timer = window.setTimeout(() => {
      api.searchIndividuals({ id: incidentId, query }).then(
        (rows) => {
          if (!current) return;
          setAnswer({ query, rows, error: null });
          setPending(false);
        },
        (e) => {
          if (!current) return;
          setAnswer({ query, rows: null, error: toErrorBody(e) });
          setPending(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [incidentId, query, active, version, paused]);

  return {
    mode: query.length === 0 ? 'off' : active ? 'on' : 'short',
    query,
    rows: answer?.rows ?? null,
    shownFor: answer?.query ?? null,
    pending: active && (pending || answer?.query !== query),
    error: answer && answer.query === query ? answer.error : null,
  };
}
