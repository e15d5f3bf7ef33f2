import type { DuplicatePair, Individual } from '../../lib/ipc/bindings';
import { compareRows, flagLabels, reasonWords, sourceLabel, type CompareKey } from './duplicates';
import { residenceHint, residenceName, residenceTitle } from './format';

type Props = {
  pair: DuplicatePair;
  seqOf: (batchId: string) => number | undefined;
};

const dash = <span className="irow__none">—</span>;

/** Two records side by side, field by field; the fields that differ are marked. */
export function PairCompare({ pair, seqOf }: Props) {
  const rows = compareRows(pair.first, pair.later);
  const merged = pair.decision === 'merged';
  return (
    <table className="dcmp">
      <caption className="visually-hidden">
        {reasonWords(pair.reason)}: the first record and the later record side by side. Fields that differ are marked.
      </caption>
      <colgroup>
        <col className="dcmp__labelcol" />
        <col />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Field</span>
          </th>
          <th scope="col">
            First record <span className="dcmp__src">{sourceLabel(seqOf(pair.first.batch_id), pair.first.source_row)}</span>
          </th>
          <th scope="col">
            Later record <span className="dcmp__src">{sourceLabel(seqOf(pair.later.batch_id), pair.later.source_row)}</span>
            {merged && <span className="tag tag--muted dcmp__tag">No longer counts</span>}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className={r.differs ? 'dcmp__row dcmp__row--differs' : 'dcmp__row'} data-field={r.key} data-differs={r.differs}>
            <th scope="row">
              {r.label}
              {r.differs && <span className="visually-hidden"> (differs)</span>}
            </th>
            <td>
              <Value field={r.key} text={r.first} person={pair.first} />
            </td>
            <td>
              <Value field={r.key} text={r.later} person={pair.later} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Value({ field, text, person: p }: { field: CompareKey; text: string | null; person: Individual }) {
  if (field === 'flags') {
    const flags = flagLabels(p);
    if (flags.length === 0) return <span className="irow__none">None</span>;
    return (
      <span className="dcmp__flags">
        {p.minor && (
          <span className="iflag iflag--minor" title={p.guardian ? `Minor · guardian: ${p.guardian}` : 'Minor: notify a parent or guardian'}>
            Minor
          </span>
        )}
        {p.deceased && <span className="iflag iflag--deceased">Deceased</span>}
        {p.no_postal && <span className="iflag iflag--gap">No address</span>}
        {p.no_email && <span className="iflag iflag--gap">No e-mail</span>}
      </span>
    );
  }
  if (field === 'residence') {
    if (!p.residence) return <span className="dcmp__undetermined">Undetermined</span>;
    const hint = residenceHint(p.residence_source);
    const name = residenceName(p.residence);
    return (
      <span title={residenceTitle(p.residence_source)}>
        <span className="mono dcmp__code">{p.residence}</span>
        {name !== p.residence && ` ${name}`}
        {hint && <span className="irow__hint">{hint}</span>}
      </span>
    );
  }
  if (text === null) return dash;
  return <span className={field === 'postal_code' || field === 'external_id' ? 'mono' : undefined}>{text}</span>;
}
