import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_PX, pageOffsets, rowTop, scrollTopFor, virtualWindow } from './virtual';

const ROW = 30;

describe('virtualWindow', () => {
  it('renders the rows in view and the overscan around them', () => {
    const w = virtualWindow({ total: 1000, rowHeight: ROW, scrollTop: 300, viewport: 600, overscan: 5 });
    expect(w).toMatchObject({ start: 5, end: 35, height: 30_000, shift: 0 });
    expect(rowTop(10, ROW, w)).toBe(300);
  });

  it('scrolls a list taller than the browser allows end to end (scaled past the cap)', () => {
    const total = 2_000_000; // 60,000,000 px of rows
    const viewport = 600;
    const bottom = virtualWindow({ total, rowHeight: ROW, scrollTop: MAX_SCROLL_PX, viewport, overscan: 0 });
    expect(bottom.height).toBe(MAX_SCROLL_PX);
    expect(bottom.end).toBe(total);
    // The last row sits at the bottom of the view.
    expect(rowTop(total - 1, ROW, bottom) + ROW).toBeCloseTo(MAX_SCROLL_PX, 0);
    const middle = virtualWindow({ total, rowHeight: ROW, scrollTop: scrollTopFor(1_000_000, total, ROW, viewport), viewport, overscan: 0 });
    expect(middle.start).toBe(1_000_000);
  });

  it('names the pages that hold the rows', () => {
    expect(pageOffsets(95, 210, 100)).toEqual([0, 100, 200]);
    expect(pageOffsets(10, 10, 100)).toEqual([]);
  });
});
