import { useMemo } from 'react';
import type { Counts } from '../../lib/ipc/bindings';
import { Card } from '../../components/Card';
import { residenceName } from './format';

type Props = {
  counts: Counts;
  /** The residence the table is filtered to (null: none; "" undetermined). */
  active: string | null;
  onSelect: (code: string | null) => void;
};

type Entry = { code: string; count: number };

/** By count, largest first; ties by code. Undetermined ("") takes its place among them. */
export function residenceEntries(counts: Counts): Entry[] {
  const list: Entry[] = Object.entries(counts.by_residence).map(([code, count]) => ({ code, count }));
  if (counts.undetermined > 0) list.push({ code: '', count: counts.undetermined });
  return list.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** Where the people live, per jurisdiction: the numbers the state and country rules read. */
export function ResidenceList({ counts, active, onSelect }: Props) {
  const entries = useMemo(() => residenceEntries(counts), [counts]);
  const max = entries[0]?.count ?? 0;
  const places = entries.filter((e) => e.code !== '').length;
  return (
    <Card title="By residence" actions={<span className="muted small">{places === 1 ? '1 jurisdiction' : `${places} jurisdictions`} · click to filter</span>} className="ind-card">
      {entries.length === 0 ? (
        <p className="muted">No one on the list yet.</p>
      ) : (
        <ul className="ind-bars ind-bars--scroll">
          {entries.map((e) => {
            const on = active === e.code;
            const name = e.code === '' ? null : residenceName(e.code);
            return (
              <li key={e.code || '(undetermined)'}>
                <button
                  type="button"
                  className={['ind-bar', on ? 'ind-bar--active' : '', e.code === '' ? 'ind-bar--unknown' : ''].filter(Boolean).join(' ')}
                  aria-pressed={on}
                  onClick={() => onSelect(on ? null : e.code)}
                  data-testid="ind-residence"
                  data-code={e.code}
                  data-count={e.count}
                >
                  <span className="ind-bar__label">
                    {e.code === '' ? (
                      <span className="ind-bar__name">Undetermined</span>
                    ) : (
                      <>
                        <span className="ind-bar__code mono">{e.code}</span>
                        {name !== e.code && <span className="ind-bar__name">{name}</span>}
                      </>
                    )}
                  </span>
                  <span className="ind-bar__track" aria-hidden="true">
                    <span className="ind-bar__fill" style={{ width: `${max > 0 ? Math.max(1, (e.count / max) * 100) : 0}%` }} />
                  </span>
                  <span className="ind-bar__count">{e.count.toLocaleString('en-US')}</span>
                  <span className="ind-bar__pct">{percent(e.count, counts.total)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

/** "12.3 %", "< 0.1 %". */
function percent(n: number, total: number): string {
  if (total <= 0) return '';
  const p = (n / total) * 100;
  if (p > 0 && p < 0.1) return '< 0.1 %';
  return `${p.toFixed(p >= 10 ? 0 : 1)} %`;
}
