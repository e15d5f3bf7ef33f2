import type { ImportReport } from '../../lib/ipc/bindings';
import { ChangeList } from '../facts';
import { people } from './format';

/** What an import did: who was added, merged and left out, and what it did to the obligations. */
export function ImportResult({ report, zone }: { report: ImportReport; zone: string }) {
  const changes = report.changes;
  return (
    <div className="iresult" data-testid="import-result" data-imported={report.imported} data-merged={report.merged} data-rejected={report.rows_rejected}>
      <div className="iresult__done" role="status">
        <span className="iresult__mark" aria-hidden="true">
          ✓
        </span>
        <div>
          <p className="iresult__title">
            {people(report.imported)} added from {report.file_name}.
          </p>
          <p className="iresult__numbers tabular">
            {report.merged.toLocaleString('en-US')} merged as duplicates · {report.rows_rejected.toLocaleString('en-US')}{' '}
            {report.rows_rejected === 1 ? 'row' : 'rows'} rejected · {report.rows_read.toLocaleString('en-US')} read
          </p>
        </div>
      </div>
      <div className="iresult__changes">
        <h4 className="iresult__subtitle">
          {changes.length === 0 ? 'The obligations did not change.' : `${changes.length} ${changes.length === 1 ? 'change' : 'changes'} to the obligations`}
        </h4>
        {changes.length > 0 && <ChangeList changes={changes} zone={zone} itemTestId="import-change" />}
        <p className="muted small">The counts by residence now replace the affected numbers in Facts, and the clocks are computed again from them.</p>
      </div>
    </div>
  );
}
