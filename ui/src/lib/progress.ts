// Progress of a long job (an import, a merge) as numbers a person reads: fraction done, rate, time left.
import type { Progress } from './ipc/bindings';

/** One progress report and when it arrived (ms). */
export type Sample = { at: number; rows: number; bytes: number | null };

/** How far back the rate looks: long enough to be steady, short enough to follow a change. */
export const RATE_WINDOW_MS = 5_000;

/** The samples worth keeping after `next` arrives: the window, plus the one just before it. */
export function addSample(samples: readonly Sample[], next: Sample, windowMs = RATE_WINDOW_MS): Sample[] {
  const all = [...samples, next];
  const from = all.findIndex((s) => s.at >= next.at - windowMs);
  return all.slice(Math.max(0, from - 1));
}

/** Share of the file read, 0–1; null when the reader cannot tell (no byte position). */
export function fraction(p: Progress | null): number | null {
  if (!p || p.bytes === null || p.total_bytes <= 0) return null;
  return Math.min(1, Math.max(0, p.bytes / p.total_bytes));
}

function span(samples: readonly Sample[]): { first: Sample; last: Sample; secs: number } | null {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last) return null;
  const secs = (last.at - first.at) / 1000;
  return secs > 0 ? { first, last, secs } : null;
}

/** Rows per second over the samples; null until two samples are apart in time. */
export function rowsPerSecond(samples: readonly Sample[]): number | null {
  const s = span(samples);
  return s ? Math.max(0, (s.last.rows - s.first.rows) / s.secs) : null;
}

/** Milliseconds left at the current byte rate; null when it cannot be told. */
export function etaMs(samples: readonly Sample[], totalBytes: number): number | null {
  const s = span(samples);
  if (!s || s.first.bytes === null || s.last.bytes === null) return null;
  const rate = (s.last.bytes - s.first.bytes) / s.secs;
  if (rate <= 0) return null;
  return (Math.max(0, totalBytes - s.last.bytes) / rate) * 1000;
}

const nf = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return nf.format(Math.round(n));
}

/** "12,300 rows/s" ("letters/s" with `unit`); "—" when unknown. */
export function formatRate(perSecond: number | null, unit = 'rows'): string {
  if (perSecond === null) return '—';
  const n = perSecond >= 100 ? Math.round(perSecond / 100) * 100 : Math.round(perSecond);
  return `${formatCount(n)} ${unit}/s`;
}

/** Time left in words: "under 5 s", "40 s", "3 min 10 s", "1 h 05 min"; "—" when unknown. */
export function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const secs = Math.round(ms / 1000);
  if (secs < 5) return 'under 5 s';
  if (secs < 60) return `${Math.ceil(secs / 5) * 5} s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return mins < 10 ? `${mins} min ${String(secs % 60).padStart(2, '0')} s` : `${mins} min`;
  return `${Math.floor(mins / 60)} h ${String(mins % 60).padStart(2, '0')} min`;
}

/** 1536 → "1.5 KB", 12_582_912 → "12.0 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i] ?? 'TB'}`;
}

/** A stopwatch reading: "0:07", "3:10", "1:02:05". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
