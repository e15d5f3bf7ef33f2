import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { Individual } from '../../lib/ipc/bindings';
import { COLUMNS, IndividualRow } from './IndividualRow';
import { rowTop, virtualWindow } from './virtual';

/** Fixed height of a row, px: the window maths needs every row the same. */
export const ROW_HEIGHT = 30;
const HEAD_HEIGHT = 32;
/** Rows the box shows at most before it scrolls. */
const VISIBLE_ROWS = 16;
const OVERSCAN = 12;

type Props = {
  /** Rows in the list; null while unknown (a few placeholders are shown). */
  total: number | null;
  rowAt: (index: number) => Individual | undefined;
  /** Told which rows are rendered, so their pages can be fetched. */
  onRange?: (start: number, end: number) => void;
  /** A new value scrolls back to the top (a new sort, filter or search). */
  resetKey: string;
  seqOf: (batchId: string) => number | undefined;
  label: string;
  busy?: boolean;
  /** Shown instead of rows when the list is empty. */
  empty: ReactNode;
};

/**
 * The individuals table, virtualised: the scroll area is as tall as every row together, and only
 * the rows in view (plus a margin) are in the DOM, so a million rows scroll like a hundred.
 */
export function VirtualRows({ total, rowAt, onRange, resetKey, seqOf, label, busy = false, empty }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(VISIBLE_ROWS * ROW_HEIGHT);
  const frame = useRef(0);

  // The box's height comes from CSS and the window; follow it.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setViewport(Math.max(0, el.clientHeight - HEAD_HEIGHT));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (scrollRef.current) setScrollTop(scrollRef.current.scrollTop);
    });
  };

  const count = total ?? 0;
  const w = virtualWindow({ total: total ?? 3, rowHeight: ROW_HEIGHT, scrollTop, viewport, overscan: OVERSCAN });

  useEffect(() => {
    onRange?.(w.start, w.end);
  }, [onRange, w.start, w.end]);

  const shown = Math.min(Math.max(total ?? 3, 3), VISIBLE_ROWS);
  const rows: ReactNode[] = [];
  for (let i = w.start; i < w.end; i++) {
    const p = rowAt(i);
    rows.push(<IndividualRow key={i} index={i} person={p} top={rowTop(i, ROW_HEIGHT, w)} height={ROW_HEIGHT} seq={p ? seqOf(p.batch_id) : undefined} />);
  }

  return (
    <div className="itable" data-testid="ind-table" role="table" aria-label={label} aria-rowcount={count + 1} aria-busy={busy || total === null || undefined} data-total={total ?? undefined}>
      <div
        className="itable__scroll"
        ref={scrollRef}
        onScroll={onScroll}
        tabIndex={0}
        style={{ height: total === 0 ? undefined : HEAD_HEIGHT + shown * ROW_HEIGHT }}
      >
        <div className="itable__head" role="rowgroup">
          <div className="irow irow--head" role="row" aria-rowindex={1} style={{ height: HEAD_HEIGHT }}>
            {COLUMNS.map((c) => (
              <div key={c.key} className="irow__cell" role="columnheader">
                {c.label}
              </div>
            ))}
          </div>
        </div>
        {total === 0 ? (
          <div className="itable__empty">{empty}</div>
        ) : (
          <div className="itable__spacer" role="rowgroup" style={{ height: w.height }}>
            {rows}
          </div>
        )}
      </div>
    </div>
  );
}
