import type { Finding, Report } from '../../lib/ipc/bindings';

const SEVERITY_LABEL: Record<Finding['severity'], string> = { BLOCK: 'Block', WARN: 'Warn', INFO: 'Info' };

/** The checker's findings: severity, element, citation (linked), confidence when not high. */
export function Findings({ report, testId = 'findings' }: { report: Report; testId?: string }) {
  const blocks = report.findings.filter((f) => f.severity === 'BLOCK').length;
  return (
    <div className="findings" data-testid={testId} data-ok={report.ok ? 'true' : 'false'}>
      <p className={report.ok ? 'findings__summary findings__summary--ok' : 'findings__summary findings__summary--block'} data-testid="findings-summary">
        {report.ok
          ? `Passes the checker: ${report.passed.length} ${report.passed.length === 1 ? 'rule' : 'rules'} applied${report.findings.length ? `, ${report.findings.length} to review` : ''}.`
          : `${blocks} ${blocks === 1 ? 'finding blocks' : 'findings block'} approval.`}
      </p>
      {report.findings.length > 0 && (
        <ul className="findings__list">
          {report.findings.map((f) => (
            <li key={f.element} className={`finding finding--${f.severity.toLowerCase()}`} data-testid="finding" data-element={f.element} data-severity={f.severity}>
              <div className="finding__head">
                <span className={`finding__sev finding__sev--${f.severity.toLowerCase()}`}>{SEVERITY_LABEL[f.severity]}</span>
                <span className="finding__label">{f.label}</span>
                {f.confidence !== 'high' && (
                  <span className={`confidence confidence--${f.confidence}`} title="How firmly the rule rests on the law's text">
                    {f.confidence} confidence
                  </span>
                )}
              </div>
              <p className="finding__message">{f.message}</p>
              <p className="finding__cite">
                <code className="mono">{f.element}</code> ·{' '}
                <a href={f.source_url} target="_blank" rel="noreferrer">
                  {f.citation}
                </a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
