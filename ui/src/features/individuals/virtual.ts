// Window maths for the virtualised individuals table: which rows are on screen, where each one
// goes, and which pages of the backend's list they fall in. Pure, so it can be checked on its own.

/**
 * The tallest scroll area we let the browser lay out. WebKit and Chromium stop at about 2^25 px
 * (33,554,431); past this the spacer is capped and scrolling is scaled, so a list of any length
 * still scrolls end to end. A million 30 px rows (30,000,000 px) stay below it, unscaled.
 */
export const MAX_SCROLL_PX = 32_000_000;

export type WindowInput = {
  /** Rows in the list. */
  total: number;
  /** Fixed height of one row, px. */
  rowHeight: number;
  /** scrollTop of the scroll container, measured from the top of the rows. */
  scrollTop: number;
  /** Height of the visible part of the rows, px. */
  viewport: number;
  /** Rows rendered above and below the visible ones. */
  overscan: number;
  /** Cap on the spacer's height (see MAX_SCROLL_PX). */
  maxHeight?: number;
};

export type VirtualWindow = {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Height of the spacer that gives the scroll area its length: total × rowHeight unless capped. */
  height: number;
  /** Added to index × rowHeight to place a row; 0 unless the list is taller than the cap. */
  shift: number;
};

const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), hi);

/** The rows to render for a scroll position, and how to place them. */
export function virtualWindow({ total, rowHeight, scrollTop, viewport, overscan, maxHeight = MAX_SCROLL_PX }: WindowInput): VirtualWindow {
  const rows = Math.max(0, Math.floor(total));
  const full = rows * rowHeight;
  const height = Math.min(full, maxHeight);
  const view = Math.max(0, viewport);
  const top = clamp(scrollTop, 0, Math.max(0, height - view));
  // Scaled: the scroll position is a fraction of the way through the whole list.
  const virtualTop = height < full && height > view ? (top * (full - view)) / (height - view) : top;
  const first = Math.floor(virtualTop / rowHeight);
  const last = Math.ceil((virtualTop + view) / rowHeight);
  return {
    start: clamp(first - overscan, 0, rows),
    end: clamp(last + overscan, 0, rows),
    height,
    shift: top - virtualTop,
  };
}

/** Where row `index` goes inside the spacer, px. */
export function rowTop(index: number, rowHeight: number, w: VirtualWindow): number {
  return index * rowHeight + w.shift;
}

/** The scrollTop that brings row `index` to the top of the view (scaled like virtualWindow). */
export function scrollTopFor(index: number, total: number, rowHeight: number, viewport: number, maxHeight = MAX_SCROLL_PX): number {
  const full = total * rowHeight;
  const height = Math.min(full, maxHeight);
  const target = clamp(index * rowHeight, 0, Math.max(0, full - viewport));
  if (height >= full || height <= viewport) return target;
  return (target * (height - viewport)) / (full - viewport);
}

/** Offsets of the pages of `pageSize` rows that hold rows [start, end). */
export function pageOffsets(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const out: number[] = [];
  for (let p = Math.floor(start / pageSize) * pageSize; p < end; p += pageSize) out.push(p);
  return out;
}
