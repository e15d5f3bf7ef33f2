// Pure geometry of the deadline chart: the time domain, a linear scale, ticks at round local
// times in the incident's zone, and lanes so that marks sharing a date do not overlap.
import { instantAt, wallClock } from '../../lib/time';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type Domain = { start: number; end: number };

/**
 * From the first anchor (discovery or detection) to the last point, with a margin on both sides.
 * "Now" is kept in view unless it lies far beyond the last deadline (a closed incident reviewed
 * months later), in which case `nowInside` is false and the chart shows an arrow at its edge.
 */
export function chartDomain(anchor: number, points: number[], now: number): { domain: Domain; nowInside: boolean } {
  const finite = points.filter(Number.isFinite);
  let start = Math.min(anchor, ...finite);
  let end = Math.max(anchor, ...finite);
  const span = Math.max(end - start, 6 * HOUR);
  const nowInside = now >= start - span && now <= end + span;
  if (nowInside) {
    start = Math.min(start, now);
    end = Math.max(end, now);
  }
  const margin = Math.max((end - start) * 0.04, HOUR);
  return { domain: { start: start - margin, end: end + margin }, nowInside };
}

/** Maps an instant to an x coordinate in [x0, x1]. */
export function scale(domain: Domain, x0: number, x1: number): (t: number) => number {
  const k = (x1 - x0) / Math.max(domain.end - domain.start, 1);
  return (t) => x0 + (t - domain.start) * k;
}

export type Tick = { t: number; label: string; major: boolean };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOUR_STEPS = [1, 2, 3, 6, 12];
const DAY_STEPS = [1, 2, 3, 7, 14];
const MONTH_STEPS = [1, 2, 3, 6, 12];

function dayLabel(y: number, m: number, d: number, withYear: boolean): string {
  return `${d} ${MONTHS[m - 1] ?? ''}${withYear ? ` ${y}` : ''}`;
}

/**
 * Ticks at local midnights (or local hours, or month starts) in `zone`, at most about one per
 * `minGapPx` pixels of `widthPx`. Day ticks are labelled "3 Mar"; hour ticks "09:00", with the date
 * on midnight ticks (major).
 */
export function ticks(domain: Domain, widthPx: number, zone: string, minGapPx = 84): Tick[] {
  const span = domain.end - domain.start;
  const maxTicks = Math.max(2, Math.floor(widthPx / minGapPx));
  const first = wallClock(domain.start, zone);
  const last = wallClock(domain.end, zone);
  const withYear = first.year !== last.year;
  const out: Tick[] = [];

  const hourStep = HOUR_STEPS.find((h) => span / (h * HOUR) <= maxTicks);
  if (hourStep !== undefined) {
    let t = instantAt(first.year, first.month, first.day, first.hour, 0, zone);
    for (let guard = 0; t <= domain.end && guard < 500; guard++) {
      const w = wallClock(t, zone);
      if (t >= domain.start && w.hour % hourStep === 0) {
        const midnight = w.hour === 0;
        out.push({ t, label: midnight ? dayLabel(w.year, w.month, w.day, withYear) : `${String(w.hour).padStart(2, '0')}:00`, major: midnight });
      }
      t = instantAt(w.year, w.month, w.day, w.hour + 1, 0, zone);
    }
    return out;
  }

  const dayStep = DAY_STEPS.find((d) => span / (d * DAY) <= maxTicks);
  if (dayStep !== undefined) {
    // Count days from a fixed origin so the ticks do not shift as the domain grows.
    let y = first.year;
    let m = first.month;
    let d = first.day;
    for (let guard = 0; guard < 500; guard++) {
      const t = instantAt(y, m, d, 0, 0, zone);
      if (t > domain.end) break;
      const dayNumber = Math.round(Date.UTC(y, m - 1, d) / DAY);
      if (t >= domain.start && dayNumber % dayStep === 0) {
        out.push({ t, label: dayLabel(y, m, d, withYear || (m === 1 && d === 1)), major: d === 1 });
      }
      const next = new Date(Date.UTC(y, m - 1, d + 1));
      y = next.getUTCFullYear();
      m = next.getUTCMonth() + 1;
      d = next.getUTCDate();
    }
    return out;
  }

  const monthStep = MONTH_STEPS.find((n) => span / (n * 30.4 * DAY) <= maxTicks) ?? 24;
  let y = first.year;
  let m = first.month;
  for (let guard = 0; guard < 500; guard++) {
    const t = instantAt(y, m, 1, 0, 0, zone);
    if (t > domain.end) break;
    if (t >= domain.start && (m - 1) % monthStep === 0) out.push({ t, label: `${MONTHS[m - 1] ?? ''} ${y}`, major: m === 1 });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export type LaneInput<T> = { item: T; x: number; width: number };
export type Placed<T> = { item: T; x: number; lane: number; side: 'right' | 'left' };

/**
 * Greedy lane assignment: each mark (radius `r`) with its label of `width` px goes in the first
 * lane where it does not touch the previous one. A label that would leave [x0, x1] on the right
 * goes to the left of its mark.
 */
export function layoutLanes<T>(items: LaneInput<T>[], x0: number, x1: number, r = 6, gap = 10): { placed: Placed<T>[]; lanes: number } {
  const ends: number[] = [];
  const placed: Placed<T>[] = [];
  const sorted = [...items].sort((a, b) => a.x - b.x);
  for (const it of sorted) {
    const side: 'right' | 'left' = it.x + r + 4 + it.width <= x1 || it.x - r - 4 - it.width < x0 ? 'right' : 'left';
    const from = side === 'right' ? it.x - r : it.x - r - 4 - it.width;
    const to = side === 'right' ? it.x + r + 4 + it.width : it.x + r;
    let lane = ends.findIndex((end) => end + gap <= from);
    if (lane === -1) {
      lane = ends.length;
      ends.push(to);
    } else {
      ends[lane] = to;
    }
    placed.push({ item: it.item, x: it.x, lane, side });
  }
  return { placed, lanes: ends.length };
}

/** A label's width in px at the chart's 11 px Inter (close enough to lay out lanes). */
export function textWidth(text: string, px = 11): number {
  return Math.ceil(text.length * px * 0.58);
}
