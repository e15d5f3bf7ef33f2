import { useMemo, useState } from 'react';
import type { Counts, ErrorBody, StateCoverage } from '../../lib/ipc/bindings';
import { errorText } from '../../lib/ipc/errors';
import { Card } from '../../components/Card';
import { CoverageDetail, CoverageToggle, coverageByCode, isState, type EncodedCoverage } from './Coverage';
import { residenceName } from './format';

type Props = {
  counts: Counts;
  /** Per state, how many residents its law covers; null while loading or when it failed. */
  coverage: StateCoverage[] | null;
  coverageError: ErrorBody | null;
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
export function ResidenceList({ counts, coverage, coverageError, active, onSelect }: Props) {
  const entries = useMemo(() => residenceEntries(counts), [counts]);
  const byCode = useMemo(() => coverageByCode(coverage), [coverage]);
  const [open, setOpen] = useState<string | null>(null);
  const max = entries[0]?.count ?? 0;
  const places = entries.filter((e) => e.code !== '').length;
  // The column is kept whenever a state is listed, so the bars do not move when coverage arrives.
  const withCoverage = entries.some((e) => isState(e.code));
  const actions = (
    <span className="muted small">
      {places === 1 ? '1 jurisdiction' : `${places} jurisdictions`} · click to filter
      {coverageError && withCoverage && (
        <span className="ind-cov-error" title={errorText(coverageError)}>
          {' '}
          · coverage unavailable
        </span>
      )}
    </span>
  );
  return (
    <Card title="By residence" actions={actions} className="ind-card">
      {entries.length === 0 ? (
        <p className="muted">No one on the list yet.</p>
      ) : (
        <ul className={['ind-bars', 'ind-bars--scroll', withCoverage ? 'ind-bars--coverage' : ''].filter(Boolean).join(' ')}>
          {entries.map((e) => (
            <ResidenceRow
              key={e.code || '(undetermined)'}
              entry={e}
              share={max > 0 ? e.count / max : 0}
              total={counts.total}
              active={active === e.code}
              onSelect={onSelect}
              coverage={byCode.get(e.code)}
              open={open === e.code}
              onToggle={() => setOpen((o) => (o === e.code ? null : e.code))}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

type RowProps = {
  entry: Entry;
  /** The bar's length, relative to the largest. */
  share: number;
  total: number;
  active: boolean;
  onSelect: (code: string | null) => void;
  coverage: EncodedCoverage | undefined;
  open: boolean;
  onToggle: () => void;
};

/** One jurisdiction: the bar filters the table; a state's coverage opens its explanation. */
function ResidenceRow({ entry: e, share, total, active, onSelect, coverage, open, onToggle }: RowProps) {
  const name = e.code === '' ? null : residenceName(e.code);
  const detailId = `ind-cov-${e.code}`;
  return (
    <li className={['ind-res', active ? 'ind-res--active' : ''].filter(Boolean).join(' ')} data-jurisdiction={e.code || undefined}>
      <button
        type="button"
        className={['ind-bar', active ? 'ind-bar--active' : '', e.code === '' ? 'ind-bar--unknown' : ''].filter(Boolean).join(' ')}
        aria-pressed={active}
        onClick={() => onSelect(active ? null : e.code)}
        data-testid="ind-residence"
        data-code={e.code}
        data-count={e.count}
      >
        <span className="ind-bar__label" title={name ?? undefined}>
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
          <span className="ind-bar__fill" style={{ width: `${share > 0 ? Math.max(1, share * 100) : 0}%` }} />
        </span>
        <span className="ind-bar__count">{e.count.toLocaleString('en-US')}</span>
        <span className="ind-bar__pct">{percent(e.count, total)}</span>
      </button>
      {coverage && <CoverageToggle coverage={coverage} open={open} detailId={detailId} onToggle={onToggle} />}
      {coverage && open && <CoverageDetail coverage={coverage} id={detailId} />}
    </li>
  );
}

/** "12.3 %", "< 0.1 %". */
function percent(n: number, total: number): string {
  if (total <= 0) return '';
  const p = (n / total) * 100;
  if (p > 0 && p < 0.1) return '< 0.1 %';
  return `${p.toFixed(p >= 10 ? 0 : 1)} %`;
}
