import { useEffect, useMemo, useRef, useState } from 'react';
import { jurisdictionName, resolveJurisdiction, type JurisdictionOption } from '../../lib/jurisdictions';
import { Button } from '../../components/Button';
import { nextRowKey, rowErrorKey, type AffectedRow } from './draft';

type Props = {
  /** "fact" or "whatif": keeps ids and test ids apart when both editors are on the page. */
  prefix: string;
  rows: AffectedRow[];
  options: JurisdictionOption[];
  errors: Record<string, string>;
  onChange: (rows: AffectedRow[]) => void;
};

/** Affected people by residence: one row per US state / country, with a count. */
export function AffectedTable({ prefix, rows, options, errors, onChange }: Props) {
  const tid = (name: string) => (prefix === 'fact' ? name : `${prefix}-${name}`);
  const listId = `${prefix}-jurisdiction-list`;
  const [focusKey, setFocusKey] = useState<number | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  useEffect(() => {
    if (focusKey === null) return;
    tableRef.current?.querySelector<HTMLInputElement>(`[data-row-key="${focusKey}"]`)?.focus();
    setFocusKey(null);
  }, [focusKey]);

  const update = (key: number, patch: Partial<AffectedRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () => {
    const key = nextRowKey(rows);
    onChange([...rows, { key, code: '', count: '' }]);
    setFocusKey(key);
  };
  const remove = (key: number) => {
    const left = rows.filter((r) => r.key !== key);
    onChange(left.length > 0 ? left : [{ key: nextRowKey(rows), code: '', count: '' }]);
  };

  const total = useMemo(() => rows.reduce((sum, r) => sum + (/^\d+$/.test(r.count.trim()) ? Number(r.count.trim()) : 0), 0), [rows]);
  const places = rows.filter((r) => r.code.trim() !== '').length;

  return (
    <div className="affected">
      <table className="affected__table" ref={tableRef}>
        <thead>
          <tr>
            <th scope="col">Jurisdiction of residence</th>
            <th scope="col" className="affected__countcol">
              People
            </th>
            <th scope="col" className="affected__rmcol">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const code = resolveJurisdiction(r.code, options);
            const error = errors[rowErrorKey(r.key)] ?? (code ? errors[`affected.${code}`] : undefined);
            const name = code ? jurisdictionName(code) : null;
            const codeId = `${prefix}-affected-code-${r.key}`;
            const errId = `${codeId}-error`;
            return (
              <tr key={r.key} className={error ? 'affected__row affected__row--invalid' : 'affected__row'} data-testid={tid('affected-row')} data-code={code}>
                <td>
                  <div className="affected__code">
                    <input
                      id={codeId}
                      className="input input--sm mono-input"
                      type="text"
                      list={listId}
                      autoComplete="off"
                      spellCheck={false}
                      placeholder="US-TX, DE…"
                      value={r.code}
                      aria-label={`Jurisdiction, row ${i + 1}`}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? errId : undefined}
                      data-row-key={r.key}
                      data-testid={tid('affected-code')}
                      onChange={(e) => update(r.key, { code: e.target.value })}
                    />
                    <span className={name ? 'affected__name' : 'affected__name affected__name--unknown'}>{r.code.trim() === '' ? '' : (name ?? 'Unknown code')}</span>
                  </div>
                  {error && (
                    <p className="field__error" id={errId} data-testid={tid('error-affected')}>
                      {error}
                    </p>
                  )}
                </td>
                <td className="affected__countcol">
                  <input
                    className="input input--sm input--num"
                    type="number"
                    min={0}
                    step={1}
                    inputMode="numeric"
                    value={r.count}
                    aria-label={`People in ${name ?? (code || `row ${i + 1}`)}`}
                    aria-invalid={error ? true : undefined}
                    data-testid={tid('affected-count')}
                    onChange={(e) => update(r.key, { count: e.target.value })}
                  />
                </td>
                <td className="affected__rmcol">
                  <button type="button" className="icon-btn" onClick={() => remove(r.key)} aria-label={`Remove row ${i + 1}${code ? ` (${code})` : ''}`} data-testid={tid('affected-remove')}>
                    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
                      <path d="M3 3l6 6M9 3l-6 6" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
                    </svg>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name}
          </option>
        ))}
      </datalist>
      <div className="affected__foot">
        <Button size="sm" onClick={add} testId={tid('affected-add')}>
          + Add jurisdiction
        </Button>
        <span className="muted small tabular">
          {total.toLocaleString('en-US')} {total === 1 ? 'person' : 'people'} in {places} {places === 1 ? 'jurisdiction' : 'jurisdictions'}
        </span>
      </div>
    </div>
  );
}
