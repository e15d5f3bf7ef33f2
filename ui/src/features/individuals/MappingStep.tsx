import type { ReactNode } from 'react';
import type { FilePreview } from '../../lib/ipc/bindings';
import { formatBytes } from '../../lib/progress';
import { duplicateHeaders, fieldLabel, hasNameColumn } from './mapping';

type Props = {
  preview: FilePreview;
  selection: string[];
  onChange: (index: number, field: string) => void;
  /** An error the backend gave about one column's field. */
  columnError: { index: number; message: string } | null;
  /** Saved mappings: apply one, or save these columns (shown under the file's details). */
  saved?: ReactNode;
};

/** The file as read (format, encoding, first rows) and a field for each of its columns. */
export function MappingStep({ preview, selection, onChange, columnError, saved }: Props) {
  const dup = duplicateHeaders(preview.header);
  const named = hasNameColumn(selection);
  const mapped = selection.filter((f) => f !== '').length;
  return (
    <div className="imap" data-testid="import-mapping">
      <dl className="ifile">
        <div>
          <dt>File</dt>
          <dd className="ifile__name">{preview.file_name}</dd>
        </div>
        <div>
          <dt>Format</dt>
          <dd>{preview.format === 'xlsx' ? 'Excel workbook (first sheet)' : 'CSV'}</dd>
        </div>
        <div>
          <dt>Encoding</dt>
          <dd className="mono" data-testid="import-encoding">
            {preview.encoding}
          </dd>
        </div>
        {preview.delimiter !== null && (
          <div>
            <dt>Delimiter</dt>
            <dd className="mono">{preview.delimiter === 'tab' ? 'tab' : `“${preview.delimiter}”`}</dd>
          </div>
        )}
        <div>
          <dt>Size</dt>
          <dd className="tabular">{formatBytes(preview.bytes)}</dd>
        </div>
        <div>
          <dt>Columns</dt>
          <dd className="tabular">
            {preview.header.length} · {mapped} used
          </dd>
        </div>
      </dl>

      {saved}

      <p className={named ? 'imap__need imap__need--ok' : 'imap__need'} data-testid="import-name-hint" data-ok={named}>
        <span className="imap__needmark" aria-hidden="true">
          {named ? '✓' : '!'}
        </span>
        {named
          ? 'A name column is mapped. Residence comes from State, then ZIP code, then Country; map as many of them as the file has.'
          : 'Map a name column: Full name, or First name and Last name. It is the one column the import needs.'}
      </p>

      <div className="ipreview-wrap">
        <table className="ipreview" data-testid="import-preview-table">
          <caption className="visually-hidden">First rows of {preview.file_name}, with the field each column fills</caption>
          <thead>
            <tr>
              <th scope="col" className="ipreview__num">
                <span className="visually-hidden">Row</span>
              </th>
              {preview.header.map((h, i) => (
                <th key={i} scope="col" className={selection[i] ? undefined : 'ipreview__off'}>
                  <span className="ipreview__header" title={h}>
                    {h === '' ? <em className="muted">(no header)</em> : h}
                  </span>
                </th>
              ))}
            </tr>
            <tr className="ipreview__map">
              <td className="ipreview__num">
                <span className="ipreview__maplabel">Field</span>
              </td>
              {preview.header.map((h, i) => (
                <td key={i}>
                  <ColumnSelect
                    index={i}
                    header={h}
                    fields={preview.fields}
                    selection={selection}
                    duplicateOf={dup[i] ?? null}
                    error={columnError?.index === i ? columnError.message : null}
                    onChange={onChange}
                  />
                </td>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r, ri) => (
              <tr key={ri}>
                <td className="ipreview__num tabular">{ri + 1}</td>
                {preview.header.map((_, ci) => (
                  <td key={ci} className={selection[ci] ? undefined : 'ipreview__off'} title={r[ci]}>
                    {r[ci] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        {preview.rows.length === 0 ? 'The file has a header but no rows could be read for the preview.' : `The first ${preview.rows.length} ${preview.rows.length === 1 ? 'row' : 'rows'} of the file.`} Nothing has been
        checked or written yet.
      </p>
    </div>
  );
}

type SelectProps = {
  index: number;
  header: string;
  fields: string[];
  selection: string[];
  duplicateOf: number | null;
  error: string | null;
  onChange: (index: number, field: string) => void;
};

function ColumnSelect({ index, header, fields, selection, duplicateOf, error, onChange }: SelectProps) {
  const id = `map-${index}`;
  const errId = `${id}-error`;
  return (
    <div className="ipreview__field">
      <select
        id={id}
        className={selection[index] ? 'input input--sm select' : 'input input--sm select ipreview__select--off'}
        value={selection[index] ?? ''}
        disabled={duplicateOf !== null}
        title={duplicateOf !== null ? `Same header as column ${duplicateOf + 1}: only the first can be used. Rename one in the file to use both.` : undefined}
        aria-label={`Field for column ${index + 1}${header ? ` “${header}”` : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errId : undefined}
        onChange={(e) => onChange(index, e.target.value)}
        data-testid={id}
      >
        <option value="">{duplicateOf !== null ? `Same header as column ${duplicateOf + 1}` : 'Ignore'}</option>
        {fields.map((f) => {
          const usedBy = selection.indexOf(f);
          return (
            <option key={f} value={f}>
              {fieldLabel(f)}
              {usedBy >= 0 && usedBy !== index ? ` (moves from column ${usedBy + 1})` : ''}
            </option>
          );
        })}
      </select>
      {error && (
        <p className="field__error" id={errId} data-testid="import-mapping-error">
          {error}
        </p>
      )}
    </div>
  );
}
