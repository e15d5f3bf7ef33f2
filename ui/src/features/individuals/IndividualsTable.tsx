import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { Counts } from '../../lib/ipc/bindings';
import { errorText } from '../../lib/ipc/errors';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { people, residenceName } from './format';
import { usePagedIndividuals, type TableQuery } from './usePagedIndividuals';
import { MIN_QUERY, SEARCH_LIMIT, useSearch } from './useSearch';
import { VirtualRows } from './VirtualRows';

type Props = {
  incidentId: string;
  counts: Counts;
  query: TableQuery;
  onQuery: (q: TableQuery) => void;
  /** Bumped after an import or a rollback: everything is fetched again. */
  version: number;
  /** True while an import holds the store: nothing is fetched. */
  paused: boolean;
  seqOf: (batchId: string) => number | undefined;
};

const SORTS = [
  { value: 'name', label: 'Name' },
  { value: 'residence', label: 'Residence' },
  { value: 'postal_code', label: 'ZIP code' },
  { value: 'source', label: 'Import order' },
];

const FLAGS = [
  { value: '', label: 'Everyone' },
  { value: 'minor', label: 'Minors' },
  { value: 'deceased', label: 'Deceased' },
  { value: 'undeliverable', label: 'No address, no e-mail' },
  { value: 'conflict', label: 'State and ZIP disagree' },
];

/** The residence select's value for "undetermined" (the backend's residence ""). */
const UNDETERMINED = 'undetermined';

const residenceValue = (r: string | null) => (r === null ? '' : r === '' ? UNDETERMINED : r);
const residenceQuery = (v: string) => (v === '' ? null : v === UNDETERMINED ? '' : v);

/** Everyone on the list, paged from the backend, with sort, filters and search. */
export function IndividualsTable({ incidentId, counts, query, onQuery, version, paused, seqOf }: Props) {
  const [text, setText] = useState('');
  // A filter chosen outside the table (a count tile, a residence) ends the search: the user asked
  // to see those people.
  const filterKey = `${query.residence ?? '*'}|${query.flag ?? '*'}`;
  const [seenFilter, setSeenFilter] = useState(filterKey);
  if (seenFilter !== filterKey) {
    setSeenFilter(filterKey);
    setText('');
  }
  const search = useSearch(incidentId, text, version, paused);
  const paged = usePagedIndividuals(incidentId, query, version, paused);
  const searching = search.mode === 'on';
  const filtered = query.residence !== null || query.flag !== null;

  const codes = useMemo(() => {
    const list = Object.keys(counts.by_residence);
    if (query.residence && !list.includes(query.residence)) list.push(query.residence);
    return list.sort();
  }, [counts.by_residence, query.residence]);

  const results = search.rows;
  const searchAt = useCallback((i: number) => results?.[i], [results]);

  const status: ReactNode = paused ? (
    'The list waits while the import runs.'
  ) : searching ? (
    search.pending && results === null ? (
      'Searching…'
    ) : results ? (
      <>
        {results.length >= SEARCH_LIMIT ? `First ${SEARCH_LIMIT} matches` : `${results.length.toLocaleString('en-US')} ${results.length === 1 ? 'match' : 'matches'}`} for “{search.shownFor}”
        <span className="muted"> · name, last name, e-mail or ZIP starting with it; filters and sort do not apply</span>
      </>
    ) : null
  ) : search.mode === 'short' ? (
    `Type at least ${MIN_QUERY} characters to search.`
  ) : paged.total === null ? (
    'Loading…'
  ) : (
    <>
      {people(paged.total)}
      {filtered ? ' match the filters' : ' on the list'}
    </>
  );

  return (
    <section className="ind-list card" id="ind-list" aria-labelledby="ind-list-title">
      <header className="ind-list__bar">
        <h3 className="card__title" id="ind-list-title">
          People on the list
        </h3>
        <div className="ind-list__controls">
          <div className="ind-search">
            <label className="visually-hidden" htmlFor="ind-search">
              Search by name, last name, e-mail or ZIP code
            </label>
            <SearchIcon />
            <input
              id="ind-search"
              className="input input--sm ind-search__input"
              type="search"
              placeholder="Search name, e-mail or ZIP…"
              autoComplete="off"
              spellCheck={false}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="ind-search"
            />
          </div>
          <Control id="ind-residence-filter" label="Residence">
            <select
              id="ind-residence-filter"
              className="input input--sm select"
              value={residenceValue(query.residence)}
              disabled={searching}
              onChange={(e) => onQuery({ ...query, residence: residenceQuery(e.target.value) })}
              data-testid="ind-residence-filter"
            >
              <option value="">All</option>
              <option value={UNDETERMINED}>Undetermined</option>
              {codes.map((c) => (
                <option key={c} value={c}>
                  {c} {residenceName(c) !== c ? residenceName(c) : ''}
                </option>
              ))}
            </select>
          </Control>
          <Control id="ind-flag" label="Show">
            <ListSelect id="ind-flag" value={query.flag ?? ''} options={FLAGS} disabled={searching} onChange={(v) => onQuery({ ...query, flag: v || null })} />
          </Control>
          <Control id="ind-sort" label="Sort">
            <ListSelect id="ind-sort" value={query.sort} options={SORTS} disabled={searching} onChange={(v) => onQuery({ ...query, sort: v })} />
          </Control>
        </div>
      </header>
      <div className="ind-list__status">
        <p role="status" data-testid="ind-status" data-mode={searching ? 'search' : 'list'}>
          {status}
        </p>
        {filtered && !searching && (
          <Button size="sm" variant="link" onClick={() => onQuery({ ...query, residence: null, flag: null })} testId="ind-clear-filters">
            Clear filters
          </Button>
        )}
      </div>
      {searching && search.error && (
        <p className="field__error ind-list__error" role="alert">
          {errorText(search.error, { inline: true })}
        </p>
      )}
      {!searching && (
        <ErrorBanner error={paged.error} testId="ind-table-error" onRetry={paged.retry} />
      )}
      {searching ? (
        <VirtualRows
          total={results === null ? null : results.length}
          rowAt={searchAt}
          resetKey={`search|${search.shownFor ?? ''}`}
          seqOf={seqOf}
          label={`Individuals matching “${search.query}”`}
          busy={search.pending}
          empty={<p className="muted">No one on the list starts with “{search.shownFor}”.</p>}
        />
      ) : (
        <VirtualRows
          total={paged.total}
          rowAt={paged.rowAt}
          onRange={paged.setRange}
          resetKey={`${query.sort}|${query.residence ?? '*'}|${query.flag ?? '*'}`}
          seqOf={seqOf}
          label="Affected individuals"
          busy={paused}
          empty={<p className="muted">{filtered ? 'No one matches these filters.' : 'No one is on the list.'}</p>}
        />
      )}
    </section>
  );
}

function Control({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="ind-control">
      <label className="ind-control__label" htmlFor={id}>
        {label}
      </label>
      {children}
    </div>
  );
}

type ListSelectProps = { id: string; value: string; options: { value: string; label: string }[]; disabled: boolean; onChange: (value: string) => void };

/** A small select over a fixed list (the flag filter, the sort); `id` is also its test id. */
function ListSelect({ id, value, options, disabled, onChange }: ListSelectProps) {
  return (
    <select id={id} className="input input--sm select" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={id}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

function SearchIcon() {
  return (
    <svg className="ind-search__icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6">
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.5 10.5 14 14" strokeLinecap="round" />
    </svg>
  );
}
