import type { Counts } from '../../lib/ipc/bindings';
import type { TableQuery } from './usePagedIndividuals';

type Tile = {
  key: string;
  label: string;
  /** A second, smaller line under the label. */
  sub?: string;
  hint: string;
  count: (c: Counts) => number;
  /** The table filter the tile stands for; null: not a filter. */
  filter: Pick<TableQuery, 'residence' | 'flag'> | null;
  /** Tone when the count is above zero. */
  tone?: 'warn';
};

const TILES: Tile[] = [
  { key: 'total', label: 'Individuals', hint: 'People on the list, duplicates merged. Shows everyone.', count: (c) => c.total, filter: { residence: null, flag: null } },
  {
    key: 'undetermined',
    label: 'Residence unknown',
    hint: 'No usable state, ZIP code or country: they count toward no jurisdiction until fixed.',
    count: (c) => c.undetermined,
    filter: { residence: '', flag: null },
    tone: 'warn',
  },
  {
    key: 'conflicts',
    label: 'State ≠ ZIP',
    sub: 'check address',
    hint: 'The state column names one state and the ZIP code another. Residence follows the state column: check these addresses.',
    count: (c) => c.residence_conflicts,
    filter: { residence: null, flag: 'conflict' },
    tone: 'warn',
  },
  { key: 'minors', label: 'Minors', hint: 'Under 18 on the date of import: notices go to a parent or guardian.', count: (c) => c.minors, filter: { residence: null, flag: 'minor' } },
  { key: 'deceased', label: 'Deceased', hint: 'Notices go to the next of kin or the estate.', count: (c) => c.deceased, filter: { residence: null, flag: 'deceased' } },
  {
    key: 'undeliverable',
    label: 'No address, no e-mail',
    sub: 'substitute notice',
    hint: 'No usable postal address and no e-mail: they count toward substitute notice.',
    count: (c) => c.undeliverable,
    filter: { residence: null, flag: 'undeliverable' },
    tone: 'warn',
  },
  { key: 'merged', label: 'Duplicates merged', hint: 'Rows identical to someone already on the list after normalisation, and probable duplicates merged on review; counted once, kept on record.', count: (c) => c.merged, filter: null },
];

type Props = { counts: Counts; query: TableQuery; onFilter: (f: Pick<TableQuery, 'residence' | 'flag'>) => void };

const same = (f: Tile['filter'], q: TableQuery) => f !== null && f.residence === q.residence && f.flag === q.flag;

/** The list at a glance; a tile that stands for a group filters the table to it. */
export function CountsStrip({ counts, query, onFilter }: Props) {
  return (
    <ul className="ind-tiles" aria-label="Counts">
      {TILES.map((t) => {
        const n = t.count(counts);
        const active = t.key !== 'total' && same(t.filter, query);
        const classes = ['ind-tile', n > 0 ? 'ind-tile--some' : '', n > 0 && t.tone ? `ind-tile--${t.tone}` : '', active ? 'ind-tile--active' : ''].filter(Boolean).join(' ');
        const body = (
          <>
            <span className="ind-tile__count">{n.toLocaleString('en-US')}</span>
            <span className="ind-tile__label">
              {t.label}
              {t.sub && <span className="ind-tile__sub">{t.sub}</span>}
            </span>
          </>
        );
        const testId = `ind-${t.key}`;
        const filter = t.filter;
        return (
          <li key={t.key} className={classes}>
            {filter === null || n === 0 ? (
              <div className="ind-tile__inner" title={t.hint} data-testid={testId} data-count={n}>
                {body}
              </div>
            ) : (
              <button
                type="button"
                className="ind-tile__inner ind-tile__button"
                title={t.hint}
                onClick={() => onFilter(active ? { residence: null, flag: null } : filter)}
                aria-pressed={t.key === 'total' ? undefined : active}
                data-testid={testId}
                data-count={n}
              >
                {body}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
