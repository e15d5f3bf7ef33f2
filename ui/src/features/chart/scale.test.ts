import { describe, expect, it } from 'vitest';
import { chartDomain, layoutLanes, scale, ticks } from './scale';
import { wallClock } from '../../lib/time';

const H = 3_600_000;
const NY = 'America/New_York';

describe('chartDomain', () => {
  it('keeps now in view, with a margin', () => {
    const anchor = Date.UTC(2026, 2, 2);
    const { domain, nowInside } = chartDomain(anchor, [anchor + 72 * H], anchor + 10 * H);
    expect(nowInside).toBe(true);
    expect(domain.start).toBeLessThan(anchor);
    expect(domain.end).toBeGreaterThan(anchor + 72 * H);
  });

  it('leaves out a now far beyond the last deadline', () => {
    const anchor = Date.UTC(2026, 2, 2);
    const { domain, nowInside } = chartDomain(anchor, [anchor + 72 * H], anchor + 365 * 24 * H);
    expect(nowInside).toBe(false);
    expect(domain.end).toBeLessThan(anchor + 100 * H);
  });
});

describe('ticks', () => {
  it('falls on local midnights in the incident zone, across a daylight-saving change', () => {
    const domain = { start: Date.UTC(2026, 2, 5, 12), end: Date.UTC(2026, 2, 12, 12) };
    const list = ticks(domain, 800, NY);
    expect(list.length).toBeGreaterThanOrEqual(5);
    for (const t of list) {
      const w = wallClock(t.t, NY);
      expect([w.hour, w.minute]).toEqual([0, 0]);
    }
    expect(list.map((t) => t.label)).toContain('8 Mar');
  });

  it('never crowds labels closer than the minimum gap', () => {
    const domain = { start: Date.UTC(2026, 2, 1), end: Date.UTC(2026, 5, 1) };
    for (const width of [320, 640, 1280]) {
      const x = scale(domain, 0, width);
      const list = ticks(domain, width, 'Europe/Berlin');
      for (let i = 1; i < list.length; i++) {
        expect(x(list[i]!.t) - x(list[i - 1]!.t)).toBeGreaterThanOrEqual(84 * 0.9);
      }
    }
  });

  it('uses hours on a short domain, with the date on midnight', () => {
    const domain = { start: Date.UTC(2026, 2, 2, 20), end: Date.UTC(2026, 2, 3, 8) };
    const list = ticks(domain, 1200, 'UTC');
    expect(list.some((t) => t.label === '3 Mar' && t.major)).toBe(true);
    expect(list.some((t) => t.label === '06:00')).toBe(true);
  });
});

describe('layoutLanes', () => {
  it('stacks marks that would overlap and keeps labels inside the chart', () => {
    const { placed, lanes } = layoutLanes(
      [
        { item: 'a', x: 100, width: 80 },
        { item: 'b', x: 105, width: 80 },
        { item: 'c', x: 600, width: 80 },
        { item: 'd', x: 790, width: 80 },
      ],
      0,
      800,
    );
    const lane = (id: string) => placed.find((p) => p.item === id)!.lane;
    expect(lane('a')).not.toBe(lane('b'));
    expect(lane('c')).toBe(0);
    expect(placed.find((p) => p.item === 'd')!.side).toBe('left');
    expect(lanes).toBe(2);
  });
});
