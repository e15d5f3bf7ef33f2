// How pressing a clock is right now, from its backend status and the live countdown. Pure: the
// cockpit, the internal clocks and the chart all colour and order by these.
import type { Obligation, ObligationStatus } from '../../lib/ipc/bindings';
import { instant } from '../../lib/time';

export const URGENCIES = ['overdue', 'lt24h', 'lt7d', 'later', 'done', 'exempt', 'not_required', 'out_of_scope'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Still to do (counts as open); the rest sit greyed at the bottom. */
export const ACTIVE: ReadonlySet<Urgency> = new Set<Urgency>(['overdue', 'lt24h', 'lt7d', 'later']);

/** Words next to the colour, so that colour is never the only signal. */
export const URGENCY_LABEL: Record<Urgency, string> = {
  overdue: 'Overdue',
  lt24h: 'Due within 24 h',
  lt7d: 'Due within 7 days',
  later: 'Later',
  done: 'Done',
  exempt: 'Exempt',
  not_required: 'Not required',
  out_of_scope: 'Out of scope',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The urgency of a clock due at `dueMs` (null: no fixed time) at `nowMs`. Settled statuses win;
 * otherwise the countdown decides, so a row turns red the second its deadline passes.
 */
export function classify(status: ObligationStatus, dueMs: number | null, nowMs: number): Urgency {
  if (status === 'done' || status === 'exempt' || status === 'not_required' || status === 'out_of_scope') return status;
  if (dueMs === null || Number.isNaN(dueMs)) return status === 'overdue' ? 'overdue' : 'later';
  const left = dueMs - nowMs;
  if (left <= 0) return 'overdue';
  if (left < DAY) return 'lt24h';
  if (left < 7 * DAY) return 'lt7d';
  return 'later';
}

/**
 * The time a row counts down to: its due time, or for an "as soon as possible" duty the internal
 * target (the earliest fixed deadline of the incident).
 */
export function countdownTarget(o: Pick<Obligation, 'due' | 'kind' | 'internal_target'>): string | null {
  return o.due ?? (o.kind === 'asap' ? o.internal_target : null);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2 d 04:13:07", "04:13:07"; past the deadline "overdue by 3 h 12 min". */
export function formatCountdown(msLeft: number): string {
  if (msLeft > 0) {
    const s = Math.floor(msLeft / 1000);
    const d = Math.floor(s / 86400);
    const hms = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
    return d > 0 ? `${d} d ${hms}` : hms;
  }
  return `overdue by ${formatSpan(-msLeft)}`;
}

/** A duration in the two largest units: "2 d 3 h", "3 h 12 min", "12 min", "45 s". */
export function formatSpan(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

export type Ranked<T> = { item: T; urgency: Urgency; dueMs: number | null };

const rank = (u: Urgency) => (ACTIVE.has(u) ? 0 : URGENCIES.indexOf(u));

/**
 * Open clocks first, soonest due first (so overdue ones lead), clocks without a time after them;
 * then done, not required and out of scope. Ties keep the given order.
 */
export function byUrgency<T>(a: Ranked<T>, b: Ranked<T>): number {
  const r = rank(a.urgency) - rank(b.urgency);
  if (r !== 0) return r;
  if (a.dueMs === null || b.dueMs === null) return a.dueMs === null ? (b.dueMs === null ? 0 : 1) : -1;
  return a.dueMs - b.dueMs;
}

/** Each obligation with its urgency at `nowMs`, in cockpit order. */
export function rankObligations(list: Obligation[], nowMs: number): Ranked<Obligation>[] {
  return list
    .map((o) => {
      const target = countdownTarget(o);
      const dueMs = target === null ? null : instant(target);
      return { item: o, urgency: classify(o.status, dueMs, nowMs), dueMs: dueMs === null || Number.isNaN(dueMs) ? null : dueMs };
    })
    .sort(byUrgency);
}

export type Summary = Record<Urgency, number> & { open: number; next: Ranked<Obligation> | null };

/** Counts per urgency, the open total, and the next deadline still ahead. */
export function summarise(ranked: Ranked<Obligation>[], nowMs: number): Summary {
  const counts = Object.fromEntries(URGENCIES.map((u) => [u, 0])) as Record<Urgency, number>;
  let next: Ranked<Obligation> | null = null;
  for (const r of ranked) {
    counts[r.urgency] += 1;
    if (ACTIVE.has(r.urgency) && r.item.due !== null && r.dueMs !== null && r.dueMs > nowMs && (next === null || r.dueMs < (next.dueMs ?? Infinity))) {
      next = r;
    }
  }
  const open = counts.overdue + counts.lt24h + counts.lt7d + counts.later;
  return { ...counts, open, next };
}
