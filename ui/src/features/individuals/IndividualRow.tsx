import { memo } from 'react';
import type { Individual } from '../../lib/ipc/bindings';
import { dataTypeLabel } from '../../lib/labels';
import { elementShort, residenceHint, residenceName, residenceTitle } from './format';
import { visible } from '../../lib/visible';

/** The table's columns, in order; their widths are the grid template in individuals.css. */
export const COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'E-mail' },
  { key: 'city', label: 'City' },
  { key: 'region', label: 'State' },
  { key: 'zip', label: 'ZIP' },
  { key: 'residence', label: 'Residence' },
  { key: 'flags', label: 'Flags' },
  { key: 'elements', label: 'Data elements' },
  { key: 'source', label: 'Import / row' },
] as const;

type Props = {
  /** Row number in the list (0-based). */
  index: number;
  /** Undefined while its page is loading: a placeholder of the same height is shown. */
  person: Individual | undefined;
  top: number;
  height: number;
  /** The import's number, from its batch id. */
  seq: number | undefined;
};

const dash = <span className="irow__none">—</span>;

/** One person, one line: everything else is in the tooltip of the cell that would overflow. */
export const IndividualRow = memo(function IndividualRow({ index, person: p, top, height, seq }: Props) {
  const style = { transform: `translateY(${top}px)`, height };
  if (!p) {
    return (
      <div className="irow irow--placeholder" role="row" aria-rowindex={index + 2} aria-busy="true" style={style} data-testid="ind-row-placeholder">
        {COLUMNS.map((c) => (
          <div key={c.key} className="irow__cell" role="cell">
            <span className="irow__bone" />
          </div>
        ))}
      </div>
    );
  }
  const elements = p.data_elements;
  return (
    <div className="irow" role="row" aria-rowindex={index + 2} style={style} data-testid="ind-row" data-id={p.id} data-residence={p.residence ?? ''}>
      <Name person={p} />
      <div className="irow__cell" role="cell" title={visible(p.email) ?? undefined}>
        {visible(p.email) ?? dash}
      </div>
      <div className="irow__cell" role="cell" title={visible(p.city) ?? undefined}>
        {visible(p.city) ?? dash}
      </div>
      <div className="irow__cell" role="cell" title={visible(p.region) ?? undefined}>
        {visible(p.region) ?? dash}
      </div>
      <div className="irow__cell mono" role="cell">
        {p.postal_code ?? dash}
      </div>
      <Residence person={p} />
      <div className="irow__cell irow__flags" role="cell">
        {p.minor && <span className="iflag iflag--minor" title={p.guardian ? `Minor · guardian: ${p.guardian}` : 'Minor: notify a parent or guardian'}>Minor</span>}
        {p.deceased && <span className="iflag iflag--deceased">Deceased</span>}
        {p.no_postal && <span className="iflag iflag--gap" title="No usable postal address">No address</span>}
        {p.no_email && <span className="iflag iflag--gap" title="No e-mail address">No e-mail</span>}
      </div>
      <div className="irow__cell irow__elements" role="cell" title={elements.map(dataTypeLabel).join(', ') || undefined}>
        {elements.length === 0 ? dash : elements.map(elementShort).join(', ')}
      </div>
      <div className="irow__cell irow__source mono" role="cell" title={`Import #${seq ?? '?'}, row ${p.source_row.toLocaleString('en-US')} of the file`}>
        #{seq ?? '?'} · {p.source_row.toLocaleString('en-US')}
      </div>
    </div>
  );
});

function Residence({ person: p }: { person: Individual }) {
  if (!p.residence) {
    return (
      <div className="irow__cell irow__residence irow__residence--none" role="cell" title="No usable state, ZIP code or country">
        Undetermined
      </div>
    );
  }
  const hint = residenceHint(p.residence_source);
  return (
    <div className="irow__cell irow__residence" role="cell" title={[residenceName(p.residence), residenceTitle(p.residence_source)].filter(Boolean).join(' · ')}>
      <span className="mono">{p.residence}</span>
      {hint && <span className="irow__hint">{hint}</span>}
      {p.residence_conflict && (
        <span className="iflag iflag--gap irow__conflict" title={CONFLICT} data-testid="ind-conflict">
          ≠ ZIP
        </span>
      )}
    </div>
  );
}

const CONFLICT = 'The state column and the ZIP code name different states; residence follows the state column';

/** The name, and under it whom the notice goes to when that is someone else (a guardian, the next of kin). */
function Name({ person: p }: { person: Individual }) {
  const other = p.addressee !== p.full_name;
  const title = [p.external_id ? `${p.full_name} · ID ${p.external_id}` : p.full_name, other ? `Notice to: ${p.addressee}` : ''].filter(Boolean).join('\n');
  return (
    <div className={['irow__cell', 'irow__name', other ? 'irow__name--two' : ''].filter(Boolean).join(' ')} role="cell" title={title}>
      <span className="irow__line">{visible(p.full_name)}</span>
      {other && <span className="irow__line ind-addressee">Notice to: {p.addressee}</span>}
    </div>
  );
}
