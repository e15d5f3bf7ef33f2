import { useState } from 'react';
import type { ErrorBody, ImportReport } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { Button } from '../../components/Button';

/** Errors listed on screen; the download holds every one the backend reported. */
export const ERRORS_SHOWN = 200;

type Figure = { key: string; label: string; value: number; hint: string; tone?: 'bad' };

/** What a dry run found: how many rows would go in, as new people or merged duplicates. */
export function CheckSummary({ report }: { report: ImportReport }) {
  const figures: Figure[] = [
    { key: 'read', label: 'Rows read', value: report.rows_read, hint: 'Data rows in the file, header left out' },
    { key: 'valid', label: 'Valid', value: report.rows_valid, hint: 'Rows that can be imported' },
    { key: 'rejected', label: 'Rejected', value: report.rows_rejected, hint: 'Rows with at least one error: they are left out', tone: 'bad' },
    { key: 'new', label: 'New people', value: report.imported, hint: 'Valid rows not yet on the list' },
    { key: 'merged', label: 'Duplicates', value: report.merged, hint: 'Valid rows identical to someone already on the list (or earlier in the file): merged, counted once' },
  ];
  return (
    <div
      className="icheck"
      data-testid="import-summary"
      data-read={report.rows_read}
      data-valid={report.rows_valid}
      data-rejected={report.rows_rejected}
      data-new={report.imported}
      data-merged={report.merged}
    >
      <ul className="ind-tiles ind-tiles--compact" aria-label="Check result">
        {figures.map((f) => (
          <li key={f.key} className={['ind-tile', f.value > 0 ? 'ind-tile--some' : '', f.value > 0 && f.tone ? `ind-tile--${f.tone}` : ''].filter(Boolean).join(' ')}>
            <div className="ind-tile__inner" title={f.hint}>
              <span className="ind-tile__count">{f.value.toLocaleString('en-US')}</span>
              <span className="ind-tile__label">{f.label}</span>
            </div>
          </li>
        ))}
      </ul>
      {report.error_count > 0 && <ErrorTable report={report} />}
    </div>
  );
}

function ErrorTable({ report }: { report: ImportReport }) {
  const shown = report.errors.slice(0, ERRORS_SHOWN);
  const more = report.error_count - shown.length;
  const inReport = report.errors.length;
  // Saved by the backend into the export folder: a webview does not reliably download blobs.
  const [saved, setSaved] = useState<{ path: string } | { error: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      setSaved({ path: await api.exportImportErrors({ file_name: report.file_name, errors: report.errors }) });
    } catch (e) {
      setSaved({ error: (e as ErrorBody).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="ierrors">
      <div className="ierrors__head">
        <h4 className="ierrors__title">
          {report.error_count.toLocaleString('en-US')} {report.error_count === 1 ? 'error' : 'errors'} in {report.rows_rejected.toLocaleString('en-US')}{' '}
          {report.rows_rejected === 1 ? 'row' : 'rows'}
        </h4>
        <Button size="sm" onClick={() => void save()} busy={busy} testId="import-errors-download">
          <DownloadIcon />
          Save error report
        </Button>
      </div>
      {saved && (
        <p className={'error' in saved ? 'ierrors__saved ierrors__saved--bad' : 'ierrors__saved'} role="status" data-testid="import-errors-saved">
          {'error' in saved ? `Not saved: ${saved.error}` : `Saved to ${saved.path} (row, column and reason; no personal data).`}
        </p>
      )}
      <div className="ierrors__scroll">
        <table className="table ierrors__table">
          <caption className="visually-hidden">Rows that will not be imported, and why</caption>
          <thead>
            <tr>
              <th scope="col" className="ierrors__row">
                Row
              </th>
              <th scope="col" className="ierrors__col">
                Column
              </th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e, i) => (
              <tr key={i} data-testid="import-error" data-row={e.row}>
                <td className="tabular">{e.row.toLocaleString('en-US')}</td>
                <td className="ierrors__colname">{e.column || <span className="muted">(whole row)</span>}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Row numbers are as a spreadsheet shows them (the header is row 1). The rejected values are never repeated here.
        {more > 0 && ` ${more.toLocaleString('en-US')} more not shown: save the report${inReport < report.error_count ? ` (it holds the first ${inReport.toLocaleString('en-US')})` : ''}.`}
      </p>
    </div>
  );
}

function DownloadIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
      <path d="M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 13.5h11" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
