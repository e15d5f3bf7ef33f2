import { useState } from 'react';
import type { AuditReport, ErrorBody } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { errorText, toErrorBody } from '../../lib/ipc/errors';

type Result = { kind: 'report'; report: AuditReport } | { kind: 'error'; error: ErrorBody };

/** Re-checks the hash chain of the audit log and says whether it is intact. */
export function AuditVerify() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  async function verify() {
    setBusy(true);
    try {
      setResult({ kind: 'report', report: await api.verifyAudit() });
    } catch (e) {
      setResult({ kind: 'error', error: toErrorBody(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="audit">
      <div className="audit__row">
        <span className="sidebar__label">Audit log</span>
        <button type="button" className="btn btn--link btn--sm" onClick={verify} disabled={busy} data-testid="audit-verify">
          {busy ? 'Verifying…' : 'Verify'}
        </button>
      </div>
      {result && <AuditResult result={result} />}
    </div>
  );
}

function AuditResult({ result }: { result: Result }) {
  if (result.kind === 'error') {
    return (
      <p className="audit__result audit__result--bad" role="alert" data-testid="audit-result" data-intact="false">
        {errorText(result.error)}
      </p>
    );
  }
  const { rows_checked, broken, head_hash, data_mismatches } = result.report;
  if (!broken && data_mismatches.length > 0) {
    return (
      <div className="audit__result audit__result--bad" role="alert" data-testid="audit-result" data-intact="false">
        <p>
          The chain holds, but {data_mismatches.length} stored {data_mismatches.length === 1 ? 'row no longer matches' : 'rows no longer match'} it:
        </p>
        <ul className="audit__list">
          {data_mismatches.slice(0, 5).map((m) => (
            <li key={`${m.table}:${m.id}:${m.what}`}>
              {m.table} {m.id}: {m.what}
            </li>
          ))}
          {data_mismatches.length > 5 && <li>… and {data_mismatches.length - 5} more (breachdesk audit verify lists them all)</li>}
        </ul>
      </div>
    );
  }
  if (broken) {
    return (
      <p className="audit__result audit__result--bad" role="alert" data-testid="audit-result" data-intact="false">
        Audit chain broken at row {broken.seq}: {broken.reason}
      </p>
    );
  }
  return (
    <p className="audit__result audit__result--ok" role="status" data-testid="audit-result" data-intact="true" title={head_hash ?? undefined}>
      Audit chain intact — {rows_checked} {rows_checked === 1 ? 'row' : 'rows'}
      {result.report.data_covered_from !== null && ', every stored row matches it'}
    </p>
  );
}
