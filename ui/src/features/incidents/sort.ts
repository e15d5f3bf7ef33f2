import type { Incident, Vocabulary } from '../../lib/ipc/bindings';
import { instant } from '../../lib/time';

export const SORT_KEYS = ['human_id', 'title', 'severity', 'status', 'detected_at'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type Sort = { key: SortKey; dir: 'asc' | 'desc' };

export const DEFAULT_SORT: Sort = { key: 'detected_at', dir: 'desc' };

/** Clicking a column: the same one flips direction; a new one starts at its natural order. */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'detected_at' ? 'desc' : 'asc' };
}

function rank(list: string[], value: string): number {
  const i = list.indexOf(value);
  return i === -1 ? list.length : i;
}

/**
 * Orders incidents by `sort`. Severity ascends from the most severe (SEV-0); status ascends along
 * the lifecycle; ties fall back to newest detection first.
 */
export function sortIncidents(incidents: Incident[], sort: Sort, vocab: Vocabulary): Incident[] {
  const text = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });
  const byKey = (a: Incident, b: Incident): number => {
    switch (sort.key) {
      case 'human_id':
        return text(a.human_id, b.human_id);
      case 'title':
        return text(a.title, b.title);
      case 'severity':
        return rank(vocab.severities, a.severity) - rank(vocab.severities, b.severity);
      case 'status':
        return rank(vocab.statuses, a.status) - rank(vocab.statuses, b.status);
      case 'detected_at':
        return instant(a.detected_at) - instant(b.detected_at);
    }
  };
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...incidents].sort(
    (a, b) => sign * byKey(a, b) || instant(b.detected_at) - instant(a.detected_at) || text(a.human_id, b.human_id),
  );
}
